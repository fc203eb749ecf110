//! The `danvan` binary: serve the web application, load the demo, manage accounts, generate
//! data at scale, print reports. Results go to stdout, logs to stderr; exit 0 success, 1 a
//! failed operation, 2 bad input.

#![forbid(unsafe_code)]

mod backup_cmd;
mod calendar_cmd;
mod demo;
mod demo_coordination;
mod gen_data;
mod report_cmd;
mod vn;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use danvan_domain::Role;
use danvan_store::{NewUser, Store};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "danvan",
    version,
    about = "Tiếp công dân, xử lý đơn và phối hợp công tác dân vận"
)]
struct Cli {
    /// Data folder (SQLite database and attachments).
    #[arg(
        long,
        global = true,
        env = "DANVAN_DATA",
        default_value = "./danvan-data"
    )]
    data: PathBuf,
    /// Database URL: sqlite://… or postgres://… (default: SQLite in the data folder).
    #[arg(long, global = true, env = "DANVAN_DATABASE_URL")]
    database: Option<String>,
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// "Today" (Vietnam time) for everything that depends on it, as YYYY-MM-DD.
    #[arg(long, global = true)]
    as_of: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Text,
    Json,
    Csv,
    /// Excel (`--out` required).
    Xlsx,
    /// Word, NĐ 30/2020 layout (`--out` required).
    Docx,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application.
    Serve {
        #[arg(long, env = "DANVAN_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        /// Load the demo data if the database is empty and print the demo logins.
        #[arg(long)]
        demo: bool,
        /// Mark the session cookie `Secure` (set it when danvan is served behind TLS).
        #[arg(long, env = "DANVAN_SECURE_COOKIES")]
        secure_cookies: bool,
    },
    /// Load the demo dataset into an empty database.
    Demo,
    /// Accounts without the UI.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Generate realistic synthetic data at scale (deterministic by seed).
    Gen {
        /// Petitions (with their visits, cases, people and the units of the 34 provinces);
        /// 0 adds only the coordination records below to an existing database.
        #[arg(long)]
        petitions: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// "Dân vận khéo" models.
        #[arg(long, default_value_t = 0)]
        models: u64,
        /// Tasks of coordination programmes (about 25 per programme).
        #[arg(long, default_value_t = 0)]
        tasks: u64,
        /// Situation reports (about one in ten names a hotspot).
        #[arg(long, default_value_t = 0)]
        situations: u64,
    },
    /// Print a report.
    Report {
        /// Form: `summary` (the narrative summary), or an official form: 01-TCD, 01-XLD,
        /// 02-XLD, 03-XLD, 04-XLD (codes of the set in force on the period's last day).
        #[arg(long)]
        form: String,
        /// The set of forms (TT02-2021, TT01-2024, TT06-2025) instead of the one in force.
        #[arg(long)]
        form_set: Option<String>,
        /// Output file (required for xlsx and docx).
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        /// Unit code (with its subtree and the history of the units it succeeded).
        #[arg(long)]
        unit: Option<String>,
    },
    /// The audit log: `audit verify` walks its hash chain and prints `OK n`, or names the first
    /// broken entry and exits 1.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// A consistent backup of the data folder (database and attachments) while the server runs
    /// and writes: one zip with a manifest a restore checks.
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
    /// Restore a backup into the data folder (`--data`), which must be absent or empty, and
    /// check it: every table's row count, the audit chain, each attachment's hash.
    Restore { file: PathBuf },
    /// The 6-month or annual review of a coordination programme: text, JSON, or Word.
    Review {
        /// The programme's number (on its page: /programmes/N).
        #[arg(long)]
        programme: i64,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        /// Read as this account; without it, every unit.
        #[arg(long)]
        user: Option<String>,
        /// Output file (required for docx).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Search petitions, visits and cases however the words were typed.
    Search {
        /// Words (with or without diacritics), "a phrase", a code or an ID number in part.
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: i64,
        /// Search as this account (its units and rights); without it, every unit as a reader
        /// without identity rights.
        #[arg(long)]
        user: Option<String>,
        /// petition, visit or case.
        #[arg(long)]
        kind: Option<String>,
    },
    /// PostgreSQL holding many provinces: build, per register, each province's own full-text
    /// index and one of the newest records (rebuilt when a province's units changed or the
    /// register grew), which searches read instead of the whole index; `--drop` removes them.
    SearchPartitions {
        #[arg(long)]
        drop: bool,
    },
    /// List the units; `units regroup [--apply]` links the units of communes abolished on
    /// 1/7/2025 to the new ones through the official conversion table.
    Units {
        #[command(subcommand)]
        action: Option<UnitsAction>,
    },
    /// The lunar and working-day calendars.
    Calendar {
        #[command(subcommand)]
        action: calendar_cmd::CalendarAction,
    },
    /// Running statutory clocks (overdue first), or `recompute`.
    Deadlines {
        #[command(subcommand)]
        action: Option<calendar_cmd::DeadlineAction>,
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        overdue: bool,
    },
}

#[derive(Subcommand)]
enum AuditAction {
    /// Check every entry's link to the one before and the chain's head.
    Verify,
}

#[derive(Subcommand)]
enum UnitsAction {
    /// Link abolished communes to their successors (a split goes to the first listed); without
    /// `--apply` only shows what would change.
    Regroup {
        #[arg(long)]
        apply: bool,
    },
}

#[derive(Subcommand)]
enum UserAction {
    /// Add an account (the password is read from DANVAN_PASSWORD or --password).
    Add {
        username: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        unit: String,
        #[arg(
            long,
            help = "reception_officer | petition_handler | head | deputy | board | admin | viewer"
        )]
        role: String,
        #[arg(long, env = "DANVAN_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Set a new password (ends the account's sessions).
    Passwd {
        username: String,
        #[arg(long, env = "DANVAN_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Issue an API token (printed once).
    Token {
        username: String,
        #[arg(long, default_value = "cli")]
        label: String,
    },
}

/// The official conversion of communes on 1/7/2025 (copied from shared/data).
/// A register of fewer records gets no index of its newest from `search-partitions`: its whole
/// full-text index is small enough to be read whole.
const SEARCH_PARTITIONS_FROM: i64 = 1_000_000;
const CONVERSION_2025: &str = include_str!("../../../data/admin-units-2025-conversion.csv");

/// An error that exits with code 2 (bad input) rather than 1.
#[derive(Debug)]
struct BadInput(String);
impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for BadInput {}

fn bad(msg: impl Into<String>) -> anyhow::Error {
    BadInput(msg.into()).into()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("DANVAN_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("lỗi: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let invalid = e.downcast_ref::<BadInput>().is_some()
                || matches!(
                    e.downcast_ref::<danvan_store::StoreError>(),
                    Some(danvan_store::StoreError::Invalid(_))
                );
            if let Some(danvan_store::StoreError::Invalid(inv)) =
                e.downcast_ref::<danvan_store::StoreError>()
            {
                for (field, msg) in &inv.0.0 {
                    eprintln!("lỗi: {field}: {msg}");
                }
            } else {
                eprintln!("lỗi: {e:#}");
            }
            ExitCode::from(if invalid { 2 } else { 1 })
        }
    }
}

fn today(as_of: &Option<String>) -> anyhow::Result<NaiveDate> {
    match as_of {
        Some(s) => parse_iso(s, "--as-of"),
        None => Ok((chrono::Utc::now() + chrono::Duration::hours(7)).date_naive()),
    }
}

fn parse_iso(s: &str, what: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        bad(format!(
            "{what}: ngày không hợp lệ '{s}' (định dạng YYYY-MM-DD)"
        ))
    })
}

/// The account a reading command acts as; without one, a reader of every unit without
/// identity rights.
async fn reader(store: &Store, user: Option<&str>) -> anyhow::Result<danvan_domain::Actor> {
    match user {
        Some(name) => store
            .actor_by_username(name)
            .await?
            .ok_or_else(|| bad(format!("không có tài khoản {name}"))),
        None => Ok(store.anonymous_reader().await?),
    }
}

/// Opens the database. Commands that only read never create the data folder.
async fn open(cli: &Cli, create: bool) -> anyhow::Result<Store> {
    let url = match &cli.database {
        Some(url) => url.clone(),
        None => {
            let file = cli.data.join("danvan.db");
            if !create && !file.exists() {
                return Err(bad(format!(
                    "không có dữ liệu tại {} (chạy `danvan demo` hoặc `danvan serve` trước)",
                    cli.data.display()
                )));
            }
            std::fs::create_dir_all(&cli.data)
                .with_context(|| format!("tạo thư mục {}", cli.data.display()))?;
            format!("sqlite://{}", file.display())
        }
    };
    Ok(Store::open(&url).await?)
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let today = today(&cli.as_of)?;
    match &cli.command {
        Command::Serve {
            listen,
            demo: with_demo,
            secure_cookies,
        } => {
            let store = open(&cli, true).await?;
            if *with_demo && store.is_empty().await? {
                let d = demo::load(&store, today, &cli.data.join("attachments")).await?;
                eprintln!(
                    "Đã nạp dữ liệu mẫu ({} bản ghi). Tài khoản mẫu (mật khẩu: {}):",
                    d.rows,
                    demo::DEMO_PASSWORD
                );
                for (u, role, unit) in &d.users {
                    eprintln!("  {u:<12} {role:<24} {unit}");
                }
            } else if *with_demo {
                eprintln!(
                    "Cơ sở dữ liệu đã có dữ liệu; tài khoản mẫu (nếu có) dùng mật khẩu {}",
                    demo::DEMO_PASSWORD
                );
            }
            let attachments = cli.data.join("attachments");
            let config = danvan_web::Config {
                attachments_dir: attachments,
                secure_cookies: *secure_cookies,
                today_override: cli.as_of.as_ref().map(|_| today),
            };
            let _upkeep = danvan_web::spawn_upkeep(store.clone());
            let app = danvan_web::router(store, config);
            let listener = tokio::net::TcpListener::bind(listen)
                .await
                .with_context(|| format!("không mở được cổng {listen}"))?;
            eprintln!("danvan đang chạy: http://{listen}/");
            axum_serve(listener, app).await?;
            Ok(())
        }
        Command::Demo => {
            let store = open(&cli, true).await?;
            if !store.is_empty().await? {
                return Err(bad("cơ sở dữ liệu đã có dữ liệu: không nạp dữ liệu mẫu"));
            }
            let d = demo::load(&store, today, &cli.data.join("attachments")).await?;
            if cli.format == Format::Json {
                println!(
                    "{}",
                    serde_json::json!({"rows": d.rows, "password": demo::DEMO_PASSWORD, "users": d.users.iter().map(|u| serde_json::json!({"username": u.0, "role": u.1, "unit": u.2})).collect::<Vec<_>>()})
                );
            } else {
                println!(
                    "Đã nạp dữ liệu mẫu: {} bản ghi. Mật khẩu các tài khoản mẫu: {}",
                    d.rows,
                    demo::DEMO_PASSWORD
                );
                for (u, role, unit) in &d.users {
                    println!("{u}\t{role}\t{unit}");
                }
            }
            Ok(())
        }
        Command::User { action } => {
            let store = open(&cli, false).await?;
            match action {
                UserAction::Add {
                    username,
                    name,
                    unit,
                    role,
                    password,
                } => {
                    let role = Role::parse(role)
                        .ok_or_else(|| bad(format!("vai trò không hợp lệ: {role}")))?;
                    store
                        .create_user(
                            None,
                            &NewUser {
                                username: username.clone(),
                                full_name: name.clone(),
                                unit_code: unit.clone(),
                                role,
                                password: password.clone(),
                            },
                        )
                        .await?;
                    println!("Đã tạo tài khoản {username}");
                }
                UserAction::Passwd { username, password } => {
                    store
                        .set_password(None, username, password)
                        .await
                        .map_err(|e| match e {
                            danvan_store::StoreError::NotFound => {
                                bad(format!("không có tài khoản {username}"))
                            }
                            e => e.into(),
                        })?;
                    println!("Đã đổi mật khẩu {username}");
                }
                UserAction::Token { username, label } => {
                    let token =
                        store
                            .create_token(None, username, label)
                            .await
                            .map_err(|e| match e {
                                danvan_store::StoreError::NotFound => {
                                    bad(format!("không có tài khoản {username}"))
                                }
                                e => e.into(),
                            })?;
                    println!("{token}");
                }
            }
            Ok(())
        }
        Command::Gen {
            petitions,
            seed,
            models,
            tasks,
            situations,
        } => {
            let store = open(&cli, true).await?;
            let started = std::time::Instant::now();
            let stats = if *petitions > 0 {
                Some(gen_data::generate(&store, *petitions, *seed, today).await?)
            } else {
                None
            };
            let spec = gen_data::CoordinationSpec {
                models: *models,
                tasks: *tasks,
                situations: *situations,
            };
            let coordination = if spec.models + spec.tasks + spec.situations > 0 {
                Some(gen_data::coordination(&store, spec, *seed, today).await?)
            } else {
                None
            };
            store.refresh_statistics().await?;
            let secs = started.elapsed().as_secs_f64();
            if cli.format == Format::Json {
                let mut out = serde_json::json!({"seconds": secs});
                if let Some(s) = &stats {
                    out["petitions"] = s.petitions.into();
                    out["visits"] = s.visits.into();
                    out["cases"] = s.cases.into();
                    out["people"] = s.people.into();
                    out["units"] = s.units.into();
                }
                if let Some(c) = &coordination {
                    out["programmes"] = c.programmes.into();
                    out["tasks"] = c.tasks.into();
                    out["situations"] = c.situations.into();
                    out["hotspots"] = c.hotspots.into();
                    out["models"] = c.models.into();
                }
                println!("{out}");
            } else {
                if let Some(s) = &stats {
                    println!(
                        "Đã sinh {} đơn, {} lượt tiếp, {} vụ việc, {} công dân, {} đơn vị",
                        s.petitions, s.visits, s.cases, s.people, s.units
                    );
                }
                if let Some(c) = &coordination {
                    println!(
                        "Đã sinh {} chương trình phối hợp, {} nhiệm vụ, {} báo cáo tình hình, {} điểm nóng, {} mô hình Dân vận khéo",
                        c.programmes, c.tasks, c.situations, c.hotspots, c.models
                    );
                }
                println!("Thời gian: {secs:.1} giây");
            }
            Ok(())
        }
        Command::Audit {
            action: AuditAction::Verify,
        } => {
            let store = open(&cli, false).await?;
            match store.verify_audit_chain().await? {
                danvan_store::ChainCheck::Ok(n) => {
                    println!("OK {n}");
                    Ok(())
                }
                danvan_store::ChainCheck::Broken { id, why } => {
                    println!("BROKEN at entry {id}: {why}");
                    std::process::exit(1);
                }
            }
        }
        Command::Backup { out } => {
            let store = open(&cli, false).await?;
            let facts = match backup_cmd::backup(&store, &cli.data, out).await {
                Err(e) => match e.downcast::<danvan_store::StoreError>() {
                    Ok(danvan_store::StoreError::Invalid(i)) => return Err(bad(i.0.joined())),
                    Ok(other) => return Err(other.into()),
                    Err(e) => return Err(e),
                },
                Ok(f) => f,
            };
            println!(
                "Đã sao lưu {}: {} bảng, {} dòng, {} mục nhật ký (chuỗi băm đúng), {} tệp đính kèm",
                out.display(),
                facts.tables.len(),
                facts.tables.values().sum::<i64>(),
                facts.audit_entries,
                facts.blobs.len()
            );
            Ok(())
        }
        Command::Restore { file } => {
            let r = match backup_cmd::restore(file, &cli.data).await {
                Err(e) => match e.downcast::<backup_cmd::Refused>() {
                    Ok(refused) => return Err(bad(refused.0)),
                    Err(e) => return Err(e),
                },
                Ok(r) => r,
            };
            println!(
                "OK: đã khôi phục vào {}: {} bảng, {} dòng, {} mục nhật ký (chuỗi băm đúng), {} tệp đính kèm (mã băm đúng)",
                cli.data.display(),
                r.tables,
                r.rows,
                r.audit_entries,
                r.files
            );
            Ok(())
        }
        Command::Review {
            programme,
            from,
            to,
            user,
            out,
        } => {
            let store = open(&cli, false).await?;
            let actor = reader(&store, user.as_deref()).await?;
            let (from, to) = (parse_iso(from, "--from")?, parse_iso(to, "--to")?);
            let refused = |e: danvan_store::StoreError| match e {
                danvan_store::StoreError::Invalid(i) => bad(i.0.joined()),
                danvan_store::StoreError::NotFound | danvan_store::StoreError::Forbidden => {
                    bad(format!("không có chương trình số {programme}"))
                }
                e => e.into(),
            };
            match cli.format {
                Format::Docx => {
                    let out = out
                        .as_ref()
                        .ok_or_else(|| bad("--out là bắt buộc với --format docx"))?;
                    let bytes = store
                        .review_docx(&actor, *programme, from, to, today)
                        .await
                        .map_err(refused)?;
                    std::fs::write(out, bytes)?;
                    println!("{}", out.display());
                }
                Format::Json => {
                    let r = store
                        .review(&actor, *programme, from, to)
                        .await
                        .map_err(refused)?;
                    println!("{}", serde_json::to_string_pretty(&r)?);
                }
                Format::Text => {
                    let r = store
                        .review(&actor, *programme, from, to)
                        .await
                        .map_err(refused)?;
                    println!("{}\n", r.title_line().to_uppercase());
                    for b in r.blocks() {
                        use danvan_reports::docx::Block;
                        match b {
                            Block::Heading(t) => println!("\n{t}"),
                            Block::Paragraph(t) | Block::Item(t) | Block::ToWrite(t) => {
                                println!("{t}")
                            }
                        }
                    }
                }
                _ => return Err(bad("--format: text, json hoặc docx")),
            }
            Ok(())
        }
        Command::Search {
            query,
            limit,
            user,
            kind,
        } => {
            let store = open(&cli, false).await?;
            let actor = reader(&store, user.as_deref()).await?;
            if kind
                .as_deref()
                .is_some_and(|k| !["petition", "visit", "case"].contains(&k))
            {
                return Err(bad("--kind: petition, visit hoặc case"));
            }
            let filter = danvan_store::search::SearchFilter {
                text: query.clone(),
                kind: kind.clone(),
                ..Default::default()
            };
            let found = match store
                .search(
                    &actor,
                    &filter,
                    danvan_store::Page::new(1, (*limit).clamp(1, 1000)),
                )
                .await
            {
                Err(danvan_store::StoreError::Invalid(e)) => {
                    return Err(bad(e.0.joined()));
                }
                other => other?,
            };
            if cli.format == Format::Json {
                println!("{}", serde_json::to_string_pretty(&found)?);
            } else {
                println!(
                    "{}{} kết quả",
                    if found.total_is_lower_bound {
                        "hơn "
                    } else {
                        ""
                    },
                    danvan_domain::format::number(found.total)
                );
                for h in &found.results {
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        h.kind,
                        h.code,
                        h.date.format("%d/%m/%Y"),
                        h.unit,
                        h.snippet
                    );
                }
            }
            Ok(())
        }
        Command::Report {
            form,
            form_set,
            out,
            from,
            to,
            unit,
        } => {
            let from = parse_iso(from, "--from")?;
            let to = parse_iso(to, "--to")?;
            if to < from {
                return Err(bad("--to: ngày kết thúc trước ngày bắt đầu"));
            }
            if form != "summary" {
                return report_cmd::official(
                    &cli,
                    form,
                    form_set.as_deref(),
                    out.as_deref(),
                    (from, to),
                    unit.as_deref(),
                    today,
                )
                .await;
            }
            let store = open(&cli, false).await?;
            if let Some(code) = unit
                && store.unit_by_code(code).await?.is_none()
            {
                return Err(bad(format!("--unit: không có đơn vị {code}")));
            }
            let s = store.summary(from, to, unit.as_deref()).await?;
            if cli.format == Format::Json {
                let mut v = serde_json::to_value(&s)?;
                v["text"] = serde_json::Value::String(s.text());
                println!("{v}");
            } else {
                println!("{}", s.text());
            }
            Ok(())
        }
        Command::Calendar { action } => calendar_cmd::calendar(&cli, action).await,
        Command::Deadlines {
            action,
            unit,
            overdue,
        } => calendar_cmd::deadlines(&cli, action, unit, *overdue, today).await,
        Command::Units {
            action: Some(UnitsAction::Regroup { apply }),
        } => {
            let store = open(&cli, false).await?;
            let r = store
                .regroup_communes(None, CONVERSION_2025, *apply)
                .await?;
            if cli.format == Format::Json {
                println!("{}", serde_json::to_string(&r)?);
            } else {
                for (old, new) in &r.linked {
                    println!("{old} → {new}");
                }
                for (old, new, n) in &r.split {
                    println!("{old} → {new} (chia tách thành {n} xã: lấy xã đầu tiên)");
                }
                eprintln!(
                    "{} nối, {} chia tách, {} chưa có đơn vị mới{}",
                    r.linked.len(),
                    r.split.len(),
                    r.unmatched.len(),
                    if *apply {
                        ""
                    } else {
                        " (thêm --apply để lưu)"
                    }
                );
            }
            Ok(())
        }
        Command::SearchPartitions { drop } => {
            let store = open(&cli, false).await?;
            let changes = if *drop {
                store.drop_search_partitions().await?
            } else {
                store
                    .refresh_search_partitions(SEARCH_PARTITIONS_FROM)
                    .await?
            };
            if cli.format == Format::Json {
                println!("{}", serde_json::to_string(&changes)?);
            } else {
                for name in &changes.built {
                    println!("+ {name}");
                }
                for name in &changes.dropped {
                    println!("- {name}");
                }
                eprintln!(
                    "{} chỉ mục mới, {} giữ nguyên, {} bỏ",
                    changes.built.len(),
                    changes.kept,
                    changes.dropped.len()
                );
            }
            Ok(())
        }
        Command::Units { action: None } => {
            let store = open(&cli, false).await?;
            let units = store.units().await?;
            if cli.format == Format::Json {
                println!("{}", serde_json::to_string(&units)?);
            } else {
                for u in units {
                    println!("{:<16} {}{}", u.code, "  ".repeat(u.depth()), u.name);
                }
            }
            Ok(())
        }
    }
}

async fn axum_serve(
    listener: tokio::net::TcpListener,
    app: danvan_web::Router,
) -> anyhow::Result<()> {
    danvan_web::serve(listener, app).await?;
    Ok(())
}

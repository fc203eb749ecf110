//! `danvan calendar …` and `danvan deadlines …`: the lunar calendar, the working-day calendar
//! and the statutory clocks from the command line (also the hooks acceptance checks use).

use crate::{Cli, Format, bad, parse_iso};
use chrono::{Datelike, NaiveDate};
use clap::Subcommand;
use danvan_calendar::{LunarDate, WorkCalendar, holidays};
use danvan_domain::format::date as vn_date;
use danvan_store::{DeadlineFilter, Store};
use std::sync::Arc;

#[derive(Subcommand)]
pub enum CalendarAction {
    /// Solar → lunar (`YYYY-MM-DD`), or lunar → solar with `--to-solar D/M/YYYY [--leap]`.
    Lunar {
        date: Option<String>,
        #[arg(long)]
        to_solar: Option<String>,
        #[arg(long)]
        leap: bool,
    },
    /// The days of a year that differ from Monday–Friday.
    Holidays {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        unit: Option<String>,
    },
    /// The N-th working day after a date (the date itself not counted).
    AddWorkingDays {
        date: String,
        n: u32,
        #[arg(long)]
        unit: Option<String>,
    },
    /// The working days in (FROM, TO].
    WorkingDays {
        from: String,
        to: String,
        #[arg(long)]
        unit: Option<String>,
    },
    /// Replace a year's recorded schedule with a CSV file (date,kind,name,basis,provisional).
    Import {
        #[arg(long)]
        year: i32,
        file: std::path::PathBuf,
    },
    /// Set the week of a unit that does not work Monday–Friday ("1111110": Monday–Saturday).
    WorkWeek {
        #[arg(long)]
        unit: String,
        week: String,
    },
}

#[derive(Subcommand)]
pub enum DeadlineAction {
    /// Recompute running clocks with today's calendar and rules: lists what would move;
    /// `--apply` stores it (logged).
    Recompute {
        #[arg(long)]
        apply: bool,
    },
}

/// The administrator the command line acts as: the whole tree.
fn system_actor(unit_path: Option<String>) -> danvan_domain::Actor {
    danvan_domain::Actor {
        user_id: 0,
        username: "cli".into(),
        role: danvan_domain::Role::Admin,
        unit_id: 0,
        unit_path: unit_path.clone().unwrap_or_else(|| "/".into()),
        scope: vec![unit_path.unwrap_or_else(|| "/".into())],
        unit_is_inspectorate: false,
    }
}

/// The database if there is one (the calendar commands also work on a fresh machine, with the
/// shipped schedules).
async fn maybe_open(cli: &Cli) -> anyhow::Result<Option<Store>> {
    if cli.database.is_some() || cli.data.join("danvan.db").exists() {
        Ok(Some(crate::open(cli, false).await?))
    } else {
        Ok(None)
    }
}

async fn unit_id(store: &Store, code: &str) -> anyhow::Result<i64> {
    Ok(store
        .unit_by_code(code)
        .await?
        .ok_or_else(|| bad(format!("--unit: không có đơn vị {code}")))?
        .id)
}

async fn calendar_for(cli: &Cli, unit: &Option<String>) -> anyhow::Result<Arc<WorkCalendar>> {
    match (maybe_open(cli).await?, unit) {
        (Some(store), Some(code)) => Ok(store.work_calendar(unit_id(&store, code).await?).await?),
        (Some(store), None) => Ok(store.work_calendar(0).await?),
        (None, Some(_)) => Err(bad(
            "--unit: chưa có cơ sở dữ liệu (chạy `danvan demo` hoặc `danvan serve` trước)",
        )),
        (None, None) => Ok(Arc::new(danvan_calendar::national())),
    }
}

fn in_range(d: NaiveDate, what: &str) -> anyhow::Result<NaiveDate> {
    if danvan_calendar::lunar::supported(d) {
        Ok(d)
    } else {
        Err(bad(format!(
            "{what}: ngày {} ngoài phạm vi 1900–2100",
            vn_date(d)
        )))
    }
}

pub async fn calendar(cli: &Cli, action: &CalendarAction) -> anyhow::Result<()> {
    let json = cli.format == Format::Json;
    match action {
        CalendarAction::Lunar {
            date,
            to_solar,
            leap,
        } => {
            let (solar, lunar) = match (date, to_solar) {
                (Some(d), None) => {
                    let d = in_range(parse_iso(d, "ngày")?, "ngày")?;
                    let l = danvan_calendar::to_lunar(d)
                        .ok_or_else(|| bad("ngày ngoài phạm vi 1900–2100"))?;
                    (d, l)
                }
                (None, Some(t)) => {
                    let parts: Vec<&str> = t.split('/').collect();
                    let nums: Option<Vec<i64>> =
                        parts.iter().map(|p| p.trim().parse().ok()).collect();
                    let Some([day, month, year]) =
                        nums.as_deref().and_then(|n| <[i64; 3]>::try_from(n).ok())
                    else {
                        return Err(bad(format!(
                            "--to-solar: '{t}' phải có dạng D/M/YYYY (ngày âm lịch)"
                        )));
                    };
                    let l = LunarDate {
                        day: day as u32,
                        month: month as u32,
                        year: year as i32,
                        leap: *leap,
                    };
                    let d = danvan_calendar::to_solar(l).ok_or_else(|| {
                        bad(format!("--to-solar: không có ngày âm lịch {}", l.text()))
                    })?;
                    (d, l)
                }
                _ => {
                    return Err(bad(
                        "cho một ngày dương lịch YYYY-MM-DD, hoặc --to-solar D/M/YYYY",
                    ));
                }
            };
            let text = format!("{} là ngày âm lịch {}", vn_date(solar), lunar.text());
            if json {
                println!(
                    "{}",
                    serde_json::json!({"solar": solar, "lunar": lunar, "text": text})
                );
            } else if to_solar.is_some() {
                println!("âm lịch {} là ngày {}", lunar.text(), vn_date(solar));
            } else {
                println!("âm lịch {}", lunar.text());
            }
        }
        CalendarAction::Holidays { year, unit } => {
            if !(1900..=2100).contains(year) {
                return Err(bad("--year: năm phải trong khoảng 1900–2100"));
            }
            let (entries, recorded) = match maybe_open(cli).await? {
                Some(store) => {
                    let id = match unit {
                        Some(code) => unit_id(&store, code).await?,
                        None => 0,
                    };
                    let s = store.year_schedule(id, *year).await?;
                    (s.entries, s.recorded)
                }
                None if unit.is_some() => return Err(bad("--unit: chưa có cơ sở dữ liệu")),
                None => {
                    let shipped: Vec<_> = holidays::shipped()
                        .into_iter()
                        .filter(|e| e.date.year() == *year)
                        .collect();
                    let recorded = !shipped.is_empty();
                    let all = if recorded {
                        shipped
                    } else {
                        holidays::statutory_defaults(*year)
                    };
                    (
                        holidays::differences(&all, danvan_calendar::WorkWeek::STATE),
                        recorded,
                    )
                }
            };
            if json {
                let list: Vec<_> = entries
                    .iter()
                    .map(|e| serde_json::json!({"date": e.date, "kind": e.kind.code(), "name": e.name, "basis": e.basis, "provisional": e.provisional}))
                    .collect();
                println!("{}", serde_json::Value::Array(list));
            } else {
                if !recorded {
                    eprintln!(
                        "năm {year} chưa có lịch chính thức: lịch tính theo Bộ luật Lao động (dự kiến)"
                    );
                }
                for e in &entries {
                    println!(
                        "{}\t{}\t{}\t{}{}",
                        vn_date(e.date),
                        if e.kind == danvan_calendar::DayKind::Work {
                            "làm bù"
                        } else {
                            "nghỉ"
                        },
                        e.name,
                        e.basis,
                        if e.provisional { " (dự kiến)" } else { "" }
                    );
                }
            }
        }
        CalendarAction::AddWorkingDays { date, n, unit } => {
            let d = in_range(parse_iso(date, "ngày")?, "ngày")?;
            let cal = calendar_for(cli, unit).await?;
            let r = cal
                .add_working_days(d, *n)
                .map_err(|e| bad(e.to_string()))?;
            if json {
                println!("{}", serde_json::json!({"date": d, "n": n, "result": r}));
            } else {
                println!("{r}");
            }
        }
        CalendarAction::WorkingDays { from, to, unit } => {
            let f = in_range(parse_iso(from, "FROM")?, "FROM")?;
            let t = in_range(parse_iso(to, "TO")?, "TO")?;
            let cal = calendar_for(cli, unit).await?;
            let n = cal
                .working_days_between(f, t)
                .map_err(|e| bad(e.to_string()))?;
            if json {
                println!(
                    "{}",
                    serde_json::json!({"from": f, "to": t, "working_days": n})
                );
            } else {
                println!("{n}");
            }
        }
        CalendarAction::Import { year, file } => {
            let text = std::fs::read_to_string(file)
                .map_err(|e| bad(format!("{}: {e}", file.display())))?;
            let store = crate::open(cli, false).await?;
            match store
                .import_schedule(&system_actor(None), 0, *year, &text)
                .await
            {
                Ok(n) => println!(
                    "Đã nhập {n} ngày cho năm {year}. Chạy `danvan deadlines recompute --apply` để áp dụng cho các thời hạn đang tính."
                ),
                Err(danvan_store::calendar::ImportError::Rows(rows)) => {
                    for r in &rows {
                        eprintln!("lỗi: {r}");
                    }
                    return Err(bad(format!("{} dòng sai: không nhập gì", rows.len())));
                }
                Err(danvan_store::calendar::ImportError::Store(e)) => return Err(e.into()),
            }
        }
        CalendarAction::WorkWeek { unit, week } => {
            let w = danvan_calendar::WorkWeek::parse(week)
                .ok_or_else(|| bad("tuần làm việc: 7 chữ số 0/1 từ thứ Hai, ví dụ 1111110"))?;
            let store = crate::open(cli, false).await?;
            let id = unit_id(&store, unit).await?;
            store.set_work_week(&system_actor(None), id, w).await?;
            println!("Đã đặt tuần làm việc {} cho {unit}", w.code());
        }
    }
    Ok(())
}

pub async fn deadlines(
    cli: &Cli,
    action: &Option<DeadlineAction>,
    unit: &Option<String>,
    overdue: bool,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let store = crate::open(cli, false).await?;
    let json = cli.format == Format::Json;
    if let Some(DeadlineAction::Recompute { apply }) = action {
        let moved = store.recompute_deadlines(None, *apply).await?;
        if json {
            println!("{}", serde_json::json!({"applied": apply, "moved": moved}));
        } else {
            for m in &moved {
                println!(
                    "{}\t{}\t{} → {}",
                    m.petition_code,
                    m.clock,
                    m.before.map(vn_date).unwrap_or_else(|| "—".into()),
                    m.after.map(vn_date).unwrap_or_else(|| "—".into())
                );
            }
            eprintln!(
                "{} thời hạn {}",
                moved.len(),
                if *apply {
                    "đã được tính lại"
                } else {
                    "sẽ thay đổi (thêm --apply để lưu)"
                }
            );
        }
        return Ok(());
    }
    let path = match unit {
        Some(code) => Some(
            store
                .unit_by_code(code)
                .await?
                .ok_or_else(|| bad(format!("--unit: không có đơn vị {code}")))?
                .path,
        ),
        None => None,
    };
    let actor = system_actor(path.clone());
    let filter = DeadlineFilter {
        unit_path: path,
        overdue_only: overdue,
        due_within: None,
        include_done: false,
    };
    let rows = store.deadlines(&actor, &filter, today).await?;
    if json {
        println!("{}", serde_json::to_string(&rows)?);
    } else {
        for r in &rows {
            println!(
                "{}\t{}\t{}\t{}",
                r.due.map(vn_date).unwrap_or_else(|| "—".into()),
                if r.overdue {
                    "QUÁ HẠN"
                } else {
                    "trong hạn"
                },
                r.petition_code,
                r.explanation
            );
        }
    }
    Ok(())
}

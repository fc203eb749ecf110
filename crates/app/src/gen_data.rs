//! `danvan gen`: realistic synthetic data at national scale, deterministic by seed. Units for
//! the 34 provinces of the 2025 list with some of their communes, people with real commune
//! codes, and per petition about 0.85 visits and 0.87 cases (the rest come back on a case the
//! unit already holds), texts across the field catalogue,
//! dates over the two years before today.

use crate::vn;
use chrono::{Duration, NaiveDate};
use danvan_domain::records::UnitKind;
use danvan_store::bulk::{BulkCase, BulkPerson, BulkPetition, BulkVisit};
use danvan_store::{NewUnit, Store, UnitRow};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;

/// The official 2025 list, shipped in the repository (`data/`).
const UNITS_2025: &str = include_str!("../../../data/admin-units-2025.csv");
const COMMUNES_PER_PROVINCE: usize = 12;
/// Cases per unit that a repeat petition may come back on.
const RECENT_CASES: usize = 64;

pub struct Stats {
    pub petitions: u64,
    pub visits: u64,
    pub cases: u64,
    pub people: u64,
    pub units: u64,
}

struct Province {
    code: String,
    name: String,
    /// (unit id of the reception office, unit id of the committee, communes: (unit id, name, area code))
    reception: i64,
    committee: i64,
    communes: Vec<(i64, String, String)>,
}

/// The unit with this code: the one an earlier run of the seed made, else a new one (counted).
async fn unit(store: &Store, made: &mut u64, new: NewUnit) -> anyhow::Result<UnitRow> {
    if let Some(existing) = store.unit_by_code(&new.code).await? {
        return Ok(existing);
    }
    *made += 1;
    Ok(store.insert_unit(None, &new).await?)
}

const FIELDS: &[(&str, u32)] = &[
    ("DD-TC", 24),
    ("DD-TH", 18),
    ("DD-GCN", 14),
    ("HC-CS", 12),
    ("DD-NHA", 7),
    ("HC-CBCC", 7),
    ("HC-KHAC", 5),
    ("TP", 5),
    ("TN", 3),
    ("DANG", 2),
    ("KHAC", 3),
];

fn field(rng: &mut impl Rng) -> &'static str {
    let mut x = rng.gen_range(0..FIELDS.iter().map(|f| f.1).sum::<u32>());
    for (code, w) in FIELDS {
        if x < *w {
            return code;
        }
        x -= w;
    }
    "KHAC"
}

pub async fn generate(
    store: &Store,
    petitions: u64,
    seed: u64,
    today: NaiveDate,
) -> anyhow::Result<Stats> {
    let mut provinces: Vec<Province> = vec![];
    let mut units = 0;
    let prefix = format!("G{seed}");
    // One national root above the provinces: whole-country reports have a unit to ask for.
    unit(
        store,
        &mut units,
        NewUnit {
            code: prefix.clone(),
            name: format!("Toàn quốc (dữ liệu sinh, seed {seed})"),
            kind: UnitKind::National,
            parent_code: None,
            area_code: None,
            valid_from: Some("2025-07-01".into()),
            valid_to: None,
        },
    )
    .await?;
    for line in UNITS_2025.lines().skip(1) {
        let cols: Vec<&str> = line.split(',').collect();
        if cols.len() < 6 {
            continue;
        }
        let (pcode, pname, ccode, cname) = (cols[0], cols[1], cols[3], cols[4]);
        if provinces.last().is_none_or(|p| p.code != pcode) {
            let root = format!("{prefix}-{pcode}");
            let mk = |code: String, name: String, kind: UnitKind, parent: Option<String>| NewUnit {
                code,
                name,
                kind,
                parent_code: parent,
                area_code: Some(pcode.to_owned()),
                valid_from: Some("2025-07-01".into()),
                valid_to: None,
            };
            unit(
                store,
                &mut units,
                mk(
                    root.clone(),
                    pname.to_owned(),
                    UnitKind::Province,
                    Some(prefix.clone()),
                ),
            )
            .await?;
            let committee = unit(
                store,
                &mut units,
                mk(
                    format!("{root}-UBND"),
                    format!("UBND {pname}"),
                    UnitKind::PeoplesCommittee,
                    Some(root.clone()),
                ),
            )
            .await?;
            let reception = unit(
                store,
                &mut units,
                mk(
                    format!("{root}-BTCD"),
                    format!("Ban Tiếp công dân {pname}"),
                    UnitKind::ReceptionOffice,
                    Some(format!("{root}-UBND")),
                ),
            )
            .await?;
            unit(
                store,
                &mut units,
                mk(
                    format!("{root}-TTR"),
                    format!("Thanh tra {pname}"),
                    UnitKind::Inspectorate,
                    Some(format!("{root}-UBND")),
                ),
            )
            .await?;
            provinces.push(Province {
                code: pcode.to_owned(),
                name: pname.to_owned(),
                reception: reception.id,
                committee: committee.id,
                communes: vec![],
            });
        }
        let Some(p) = provinces.last_mut() else {
            continue;
        };
        if p.communes.len() < COMMUNES_PER_PROVINCE {
            let commune = unit(
                store,
                &mut units,
                NewUnit {
                    code: format!("{prefix}-{}-{ccode}", p.code),
                    name: format!("UBND {cname}"),
                    kind: UnitKind::Commune,
                    parent_code: Some(format!("{prefix}-{}-UBND", p.code)),
                    area_code: Some(ccode.to_owned()),
                    valid_from: Some("2025-07-01".into()),
                    valid_to: None,
                },
            )
            .await?;
            p.communes
                .push((commune.id, cname.to_owned(), ccode.to_owned()));
        }
    }
    anyhow::ensure!(!provinces.is_empty(), "danh mục đơn vị hành chính rỗng");
    let start = today - Duration::days(730);
    let mut stats = Stats {
        petitions: 0,
        visits: 0,
        cases: 0,
        people: 0,
        units,
    };
    let mut recent_cases: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    // A run of a seed that an earlier one began (interrupted, or asked for fewer) goes on
    // where it stopped, with the dates the whole run would give them: `--petitions` is the
    // size the seed's data reaches. A fresh run draws the same numbers as ever.
    let before = store.generated_petitions(&prefix).await?;
    let mut rng = StdRng::seed_from_u64(seed ^ before.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    if before > 0 {
        tracing::info!(before, petitions, "gen goes on from an earlier run");
    }
    // One transaction per 50.000 petitions keeps memory flat and a failure cheap.
    let mut done = before;
    while done < petitions {
        let chunk = (petitions - done).min(50_000);
        let mut bulk = store.bulk().await?;
        for i in 0..chunk {
            let p = &provinces[rng.gen_range(0..provinces.len())];
            let commune = &p.communes[rng.gen_range(0..p.communes.len())];
            // Dates progress with the counter so that codes and dates grow together.
            let date = start + Duration::days(((done + i) * 730 / petitions.max(1)) as i64);
            let f = field(&mut rng);
            let (ptype, text) = vn::content(&mut rng, f, &commune.1);
            let name = vn::person_name(&mut rng);
            let birth = rng.gen_range(1945..2005);
            let id_number = vn::cccd(
                &mut rng,
                p.code.parse().unwrap_or(1),
                birth,
                name.contains(" Thị "),
            );
            let address = vn::address(&mut rng, &commune.1, "", &p.name);
            let person = bulk
                .person(&BulkPerson {
                    full_name: &name,
                    id_number: Some(&id_number),
                    birth_year: Some(birth),
                    address: &address,
                    area_code: Some(&commune.2),
                    phone: None,
                })
                .await?;
            stats.people += 1;
            let level = rng.gen_range(0..10);
            let unit = if level < 5 {
                commune.0
            } else if level < 8 {
                p.reception
            } else {
                p.committee
            };
            let open = date > today - Duration::days(60);
            // About one petition in seven comes back on a matter the unit already holds
            // (a repeat petition or visit); the others open a case of their own.
            let recent = recent_cases.entry(unit).or_default();
            let repeat = recent.len() >= 8 && rng.gen_bool(0.15);
            let case = if repeat {
                recent[rng.gen_range(0..recent.len())].clone()
            } else {
                let case = bulk
                    .case(&BulkCase {
                        unit_id: unit,
                        title: &text,
                        petition_type: ptype,
                        field_code: f,
                        status: if open { "open" } else { "closed" },
                        is_group: false,
                        is_complex: false,
                        opened_on: date,
                    })
                    .await?;
                stats.cases += 1;
                if recent.len() < RECENT_CASES {
                    recent.push(case.clone());
                } else {
                    recent[rng.gen_range(0..RECENT_CASES)] = case.clone();
                }
                case
            };
            let visit_id = if rng.gen_bool(0.85) {
                let group = rng.gen_bool(0.002);
                let people = [(person, name.as_str())];
                let (vid, _) = bulk
                    .visit(&BulkVisit {
                        unit_id: unit,
                        date,
                        time: "08:00",
                        place: "Trụ sở tiếp công dân",
                        kind: "regular",
                        mode: "in_person",
                        receiver_name: "Cán bộ tiếp công dân",
                        is_group: group,
                        headcount: if group { rng.gen_range(5..40) } else { 1 },
                        representatives: if group { 2 } else { 0 },
                        content: &text,
                        petition_type: ptype,
                        field_code: f,
                        case: (case.0, &case.1),
                        first_time: !repeat,
                        documents: "Đơn",
                        handling: "accept",
                        people: &people,
                    })
                    .await?;
                stats.visits += 1;
                Some(vid)
            } else {
                None
            };
            let decision = if open && rng.gen_bool(0.5) {
                None
            } else {
                Some(["accept", "guide", "file", "accept", "return"][rng.gen_range(0..5)])
            };
            let arrival = (done + i + 1).to_string();
            bulk.petition(&BulkPetition {
                unit_id: unit,
                arrival_no: &arrival,
                received_date: date,
                source: if visit_id.is_some() {
                    "reception"
                } else {
                    "post"
                },
                sender_kind: "one",
                signer_count: 1,
                sender: Some((person, &name)),
                subject: "",
                petition_type: ptype,
                field_code: f,
                summary: &text,
                eligible: decision.map(|d| d != "file"),
                competent: decision.map(|d| d == "accept"),
                decision,
                decision_date: decision.map(|_| date),
                target_unit_id: None,
                case: (case.0, &case.1),
                visit_id,
                transfer_reply: None,
                accepted_on: None,
                result_on: (decision == Some("accept") && !open).then(|| date + Duration::days(25)),
                is_remote: false,
                outcome: (decision == Some("accept") && !open).then(|| {
                    let kind =
                        ["wrong", "partly_right", "right", "withdrawn"][(done + i) as usize % 4];
                    (
                        kind,
                        if kind == "right" { 10_000_000 } else { 0 },
                        0,
                        i64::from(kind == "right"),
                    )
                }),
                execution: None,
            })
            .await?;
            stats.petitions += 1;
        }
        bulk.finish(&format!("gen seed={seed}")).await?;
        done += chunk;
        tracing::info!(done, petitions, "gen");
    }
    let started = std::time::Instant::now();
    let clocks = store.compute_all_clocks().await?;
    tracing::info!(
        petitions = clocks,
        seconds = started.elapsed().as_secs_f64(),
        "clocks computed"
    );
    Ok(stats)
}

/// How much coordination work to generate.
#[derive(Debug, Clone, Copy, Default)]
pub struct CoordinationSpec {
    pub models: u64,
    pub tasks: u64,
    pub situations: u64,
}

pub struct CoordinationStats {
    pub programmes: u64,
    pub tasks: u64,
    pub situations: u64,
    pub hotspots: u64,
    pub models: u64,
}

const MODEL_THEMES: &[&str] = &[
    "xây dựng nông thôn mới",
    "hiến đất mở đường giao thông",
    "giảm nghèo bền vững",
    "bảo vệ môi trường khu dân cư",
    "tự quản an ninh trật tự",
    "phát triển kinh tế hợp tác",
    "cải cách hành chính",
    "chuyển đổi số ở cơ sở",
    "vận động đồng bào dân tộc",
    "sống tốt đời đẹp đạo",
    "tiếp công dân, đối thoại với nhân dân",
    "xây dựng khu dân cư văn hóa",
];

const TASK_THEMES: &[&str] = &[
    "Cụ thể hóa chủ trương, nghị quyết về công tác dân vận",
    "Tổ chức đối thoại với nhân dân",
    "Kiểm tra, khảo sát mô hình Dân vận khéo",
    "Nắm tình hình nhân dân, báo cáo định kỳ",
    "Tiếp công dân định kỳ của lãnh đạo",
    "Giải quyết vụ việc khiếu nại phức tạp, kéo dài",
    "Thực hiện quy chế dân chủ ở cơ sở",
    "Sơ kết chương trình phối hợp",
];

/// Programmes and tasks, situation reports with hotspots, and "Dân vận khéo" models over the
/// units already in the database (run after the petitions, or over any database with
/// communes): deterministic by seed, spread over the two years before today (models over five).
pub async fn coordination(
    store: &Store,
    spec: CoordinationSpec,
    seed: u64,
    today: NaiveDate,
) -> anyhow::Result<CoordinationStats> {
    use chrono::Datelike;
    use danvan_domain::coordination::{
        HotspotStatus, ModelField, ModelKind, ModelLevel, ModelStage, Recurrence, SituationLevel,
        TaskStatus,
    };
    use danvan_store::bulk::{BulkModel, BulkSituation, BulkTask};
    let mut rng = StdRng::seed_from_u64(seed ^ 0xC00D);
    let units = store.units().await?;
    let live = |kind: &str| -> Vec<&danvan_store::UnitRow> {
        units
            .iter()
            .filter(|u| u.kind == kind && u.valid_to.is_none())
            .collect()
    };
    let provinces = live("province");
    let communes = live("commune");
    let committees = live("committee");
    anyhow::ensure!(
        !provinces.is_empty() && !communes.is_empty() && !committees.is_empty(),
        "chưa có đơn vị: chạy danvan gen --petitions trước"
    );
    // The committee and the other units of each province (parties and lead units).
    let province_of = |path: &str| {
        provinces
            .iter()
            .find(|p| path.starts_with(&p.path))
            .copied()
    };
    let mut stats = CoordinationStats {
        programmes: 0,
        tasks: 0,
        situations: 0,
        hotspots: 0,
        models: 0,
    };
    let mut bulk = store.bulk().await?;
    // Programmes: about 25 tasks each, each province's committee with another of its units.
    let n_programmes = (spec.tasks / 25).max(if spec.tasks > 0 { 1 } else { 0 });
    let mut programmes = vec![];
    for i in 0..n_programmes {
        let c = committees[i as usize % committees.len()];
        let province = province_of(&c.path).unwrap_or(provinces[0]);
        let partner = units
            .iter()
            .find(|u| u.parent_id == Some(c.id) && u.kind != "commune")
            .unwrap_or(c);
        let year = today.year() - (i as i32 % 2);
        let id = bulk
            .programme(
                &format!(
                    "Chương trình phối hợp công tác dân vận {} năm {year} (số {})",
                    province.name,
                    i + 1
                ),
                (year, year),
                province.id,
                &[c.id, partner.id],
            )
            .await?;
        programmes.push((id, year, c.id, partner.id));
        stats.programmes += 1;
    }
    for i in 0..spec.tasks {
        let (programme, year, lead, partner) = programmes[(i % n_programmes.max(1)) as usize];
        let due = NaiveDate::from_ymd_opt(year, rng.gen_range(1..=12), 28).unwrap_or(today);
        let past = due < today;
        let (status, completed) = match rng.gen_range(0..10) {
            _ if !past => (TaskStatus::Planned, None),
            0 => (TaskStatus::InProgress, None),
            1 => (TaskStatus::Planned, None),
            _ => (
                TaskStatus::Done,
                Some((due - Duration::days(rng.gen_range(0..20))).min(today)),
            ),
        };
        let (lead, coop) = if rng.gen_bool(0.5) {
            (lead, partner)
        } else {
            (partner, lead)
        };
        bulk.task(&BulkTask {
            programme_id: programme,
            content: TASK_THEMES[rng.gen_range(0..TASK_THEMES.len())],
            lead_unit_id: lead,
            cooperating: &[coop],
            due_on: due,
            recurrence: Recurrence::Once,
            status,
            completed_on: completed,
        })
        .await?;
        stats.tasks += 1;
    }
    // Situation reports: a month of a commune or a committee; one in five is not stable.
    let topics = [
        "dat_dai",
        "ton_giao",
        "dan_toc",
        "an_ninh",
        "dan_sinh",
        "chinh_sach",
    ];
    for i in 0..spec.situations {
        let unit = if i % 5 == 0 {
            committees[rng.gen_range(0..committees.len())]
        } else {
            communes[rng.gen_range(0..communes.len())]
        };
        let back = rng.gen_range(1..24);
        let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1)
            .and_then(|d| d.checked_sub_months(chrono::Months::new(back)))
            .unwrap_or(today);
        let last = first
            .checked_add_months(chrono::Months::new(1))
            .and_then(|d| d.pred_opt())
            .unwrap_or(first);
        let level = match rng.gen_range(0..20) {
            0 => SituationLevel::Complex,
            1..=3 => SituationLevel::Signs,
            _ => SituationLevel::Stable,
        };
        let t = [topics[rng.gen_range(0..topics.len())]];
        let id = bulk
            .situation(&BulkSituation {
                unit_id: unit.id,
                from: first,
                to: last,
                level,
                topics: &t,
                narrative: match level {
                    SituationLevel::Stable => "Tình hình nhân dân ổn định, phấn khởi.",
                    SituationLevel::Signs => {
                        "Một số hộ dân bức xúc về bồi thường, hỗ trợ khi thu hồi đất."
                    }
                    SituationLevel::Complex => "Tụ tập đông người, khiếu kiện kéo dài về đất đai.",
                },
            })
            .await?;
        stats.situations += 1;
        if level != SituationLevel::Stable && rng.gen_bool(0.5) {
            let area = if unit.kind == "commune" {
                unit
            } else {
                communes
                    .iter()
                    .find(|c| c.path.starts_with(&unit.path))
                    .copied()
                    .unwrap_or(unit)
            };
            bulk.hotspot(
                id,
                (area.id, area.area_code.as_deref()),
                &format!("Khu dân cư {}", area.name.trim_start_matches("UBND ")),
                first + Duration::days(rng.gen_range(0..25)),
                rng.gen_range(10..120),
                [
                    HotspotStatus::Open,
                    HotspotStatus::Monitoring,
                    HotspotStatus::Resolved,
                ][rng.gen_range(0..3)],
            )
            .await?;
            stats.hotspots += 1;
        }
    }
    // Models: registered over five years; the older, the further along their cycle.
    let fields = ModelField::ALL;
    for i in 0..spec.models {
        let unit = if i % 10 == 0 {
            committees[rng.gen_range(0..committees.len())]
        } else {
            communes[rng.gen_range(0..communes.len())]
        };
        let registered = today - Duration::days(rng.gen_range(30..1800));
        let age = (today - registered).num_days();
        let stage = match (age / 180, rng.gen_range(0..10)) {
            (_, 0) => ModelStage::Stopped,
            (0, _) => ModelStage::Registered,
            (1, _) => ModelStage::InProgress,
            (2, _) => ModelStage::Checked,
            (3, _) | (4, _) => ModelStage::Recognised,
            (5..=6, k) if k < 5 => ModelStage::Exemplary,
            (_, k) if k < 7 => ModelStage::Commended,
            _ => ModelStage::Replicated,
        };
        let recognised_on = registered + Duration::days(400);
        let commended_on = registered + Duration::days(600);
        let is_recognised = stage.is_recognised();
        let is_commended = matches!(stage, ModelStage::Commended | ModelStage::Replicated);
        let theme = MODEL_THEMES[rng.gen_range(0..MODEL_THEMES.len())];
        let place = unit.name.trim_start_matches("UBND ");
        bulk.model(&BulkModel {
            name: &format!("“Dân vận khéo” trong {theme} ở {place}"),
            unit_id: unit.id,
            address: place,
            field: fields[rng.gen_range(0..fields.len())],
            kind: if rng.gen_bool(0.6) {
                ModelKind::Collective
            } else {
                ModelKind::Individual
            },
            level: match rng.gen_range(0..100) {
                0..=1 => ModelLevel::Central,
                2..=14 => ModelLevel::Province,
                _ => ModelLevel::Commune,
            },
            registered_on: registered,
            period: (registered.year(), registered.year() + 4),
            stage,
            stage_on: if is_commended {
                commended_on
            } else if is_recognised {
                recognised_on
            } else {
                registered + Duration::days(age / 2)
            },
            recognised: is_recognised.then_some(("QĐ công nhận", recognised_on)),
            commended: is_commended.then_some((
                "Giấy khen",
                "Chủ tịch UBND",
                "QĐ khen thưởng",
                commended_on,
            )),
        })
        .await?;
        stats.models += 1;
    }
    bulk.finish(&format!("gen coordination seed={seed}"))
        .await?;
    Ok(stats)
}

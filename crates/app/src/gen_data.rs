//! `danvan gen`: realistic synthetic data at national scale, deterministic by seed. Units for
//! the 34 provinces of the 2025 list with some of their communes, people with real commune
//! codes, and per petition about 0.85 visits and 0.87 cases (the rest come back on a case the
//! unit already holds), texts across the field catalogue,
//! dates over the two years before today.

use crate::vn;
use chrono::{Duration, NaiveDate};
use danvan_domain::records::UnitKind;
use danvan_store::bulk::{BulkCase, BulkPerson, BulkPetition, BulkVisit};
use danvan_store::{NewUnit, Store};
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
    let mut rng = StdRng::seed_from_u64(seed);
    let mut provinces: Vec<Province> = vec![];
    let mut units = 1;
    let prefix = format!("G{seed}");
    // One national root above the provinces: whole-country reports have a unit to ask for.
    store
        .insert_unit(
            None,
            &NewUnit {
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
            store
                .insert_unit(
                    None,
                    &mk(
                        root.clone(),
                        pname.to_owned(),
                        UnitKind::Province,
                        Some(prefix.clone()),
                    ),
                )
                .await?;
            let committee = store
                .insert_unit(
                    None,
                    &mk(
                        format!("{root}-UBND"),
                        format!("UBND {pname}"),
                        UnitKind::PeoplesCommittee,
                        Some(root.clone()),
                    ),
                )
                .await?;
            let reception = store
                .insert_unit(
                    None,
                    &mk(
                        format!("{root}-BTCD"),
                        format!("Ban Tiếp công dân {pname}"),
                        UnitKind::ReceptionOffice,
                        Some(format!("{root}-UBND")),
                    ),
                )
                .await?;
            store
                .insert_unit(
                    None,
                    &mk(
                        format!("{root}-TTR"),
                        format!("Thanh tra {pname}"),
                        UnitKind::Inspectorate,
                        Some(format!("{root}-UBND")),
                    ),
                )
                .await?;
            units += 4;
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
            let unit = store
                .insert_unit(
                    None,
                    &NewUnit {
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
            units += 1;
            p.communes
                .push((unit.id, cname.to_owned(), ccode.to_owned()));
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
    // One transaction per 50.000 petitions keeps memory flat and a failure cheap.
    let mut done = 0;
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

//! Computing the clocks of 1.000.000 open cases in memory: `cargo bench -p danvan-domain`.
//! Target (issue 3): recomputing the deadlines of 1.000.000 open cases in ≤ 10 s; this is the
//! computation alone (the database part is measured with `danvan deadlines recompute` on the
//! scale database, docs/PERFORMANCE.md).

use chrono::{Duration, NaiveDate};
use danvan_domain::deadlines::{Facts, clocks, default_rules};
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let cal = danvan_calendar::national();
    let rules = default_rules();
    let today = NaiveDate::from_ymd_opt(2026, 11, 28).expect("date");
    let base = NaiveDate::from_ymd_opt(2024, 12, 1).expect("date");
    let kinds = ["KN", "TC", "KNPA"];
    let facts: Vec<Facts> = (0..1_000_000i64)
        .map(|i| {
            let received = base + Duration::days(i % 700);
            let accepted = (i % 3 != 0).then(|| received + Duration::days(5));
            Facts {
                petition_type: kinds[(i % 3) as usize].into(),
                received: Some(received),
                decision: accepted.map(|a| ("accept".to_owned(), a)),
                competent: Some(true),
                accepted,
                instance: 1 + (i % 2) as u8,
                complex: i % 5 == 0,
                remote: i % 11 == 0,
                extensions: if i % 7 == 0 {
                    vec![(received + Duration::days(30), "QĐ".into())]
                } else {
                    vec![]
                },
                suspensions: if i % 13 == 0 {
                    vec![(
                        received + Duration::days(10),
                        Some(received + Duration::days(20)),
                    )]
                } else {
                    vec![]
                },
                ..Facts::default()
            }
        })
        .collect();
    let t = Instant::now();
    let mut n = 0usize;
    for f in &facts {
        n += clocks(black_box(f), &rules, &cal, today)
            .expect("computes")
            .len();
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "clocks of 1.000.000 open cases: {secs:.2} s ({n} clocks, {:.0} cases per second)",
        1e6 / secs
    );
}

//! The official forms on the demo: for 1/1–30/6/2022 every form agrees with the narrative
//! summary and with counts taken straight from the records, and every column computed in SQL
//! equals the same predicate evaluated over the records in memory, row by row.

use danvan_reports::predicate::Source;
use danvan_reports::report::differences;
use danvan_reports::{Period, form_sets};
use danvan_store::Store;
use std::process::Command;

fn danvan(data: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_danvan"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("DANVAN_DATABASE_URL")
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn the_forms_agree_with_the_summary_the_records_and_their_own_predicates() {
    let data = std::env::temp_dir().join(format!("danvan-reports-{}", std::process::id()));
    let (code, _, err) = danvan(&data, &["--as-of", "2026-11-28", "demo"]);
    assert_eq!(code, 0, "{err}");
    let store = Store::open(&format!("sqlite://{}", data.join("danvan.db").display()))
        .await
        .expect("open");
    let period = Period::preset("2022-H1").expect("period");

    // Every form of every set: SQL equals the in-memory evaluation, for every row and the total.
    let (rows, total, _) = store.report_rows("LD").await.expect("rows");
    let facts = store.report_facts(&total.unit_ids).await.expect("facts");
    assert!(
        facts.iter().any(|f| f.0 == Source::Visits)
            && facts.iter().any(|f| f.0 == Source::Petitions)
    );
    let periods = ["2022-H1", "2023", "2026-KY-6T"].map(|p| Period::preset(p).expect("period"));
    let mut carried = 0;
    for (set, period) in form_sets()
        .into_iter()
        .flat_map(|s| periods.map(|p| (s.clone(), p)))
    {
        for form in &set.forms {
            let report = store
                .compute_report(&set, form, period, "LD")
                .await
                .expect("report");
            if form.code.ends_with("XLD") {
                carried += report.total_of(2).unwrap_or(0);
            }
            let differences = differences(&report, form, period, &rows, &total, &facts);
            assert!(
                differences.is_empty(),
                "{} {}: SQL and memory differ: {differences:#?}",
                set.code,
                form.code
            );
        }
    }

    assert!(
        carried > 0,
        "some periods carry petitions over, so those columns are tested too"
    );
    let sets = form_sets();
    // The demo's state-management work reaches every column of 06/QLKNTC.
    let tt06 = sets.last().expect("TT 06/2025");
    let qlkntc = tt06
        .forms
        .iter()
        .find(|f| f.code == "06/QLKNTC")
        .expect("06/QLKNTC");
    let management = store
        .compute_report(tt06, qlkntc, Period::preset("2023").expect("p"), "LD")
        .await
        .expect("report");
    for n in 1..=7 {
        assert!(
            management.total_of(n).unwrap_or(0) > 0,
            "06/QLKNTC column {n} is exercised"
        );
    }
    let kqgq = sets[0]
        .forms
        .iter()
        .find(|f| f.code == "01/KQGQ")
        .expect("01/KQGQ");
    let settled = store
        .compute_report(&sets[0], kqgq, Period::preset("2022-H1").expect("p"), "LD")
        .await
        .expect("report");
    for n in [3, 4, 5, 6, 7, 8, 11, 14] {
        assert!(
            settled.total_of(n).unwrap_or(0) > 0,
            "01/KQGQ column {n} is exercised"
        );
    }
    let kqth = sets[0]
        .forms
        .iter()
        .find(|f| f.code == "02/KQGQ")
        .expect("02/KQGQ");
    let executed = store
        .compute_report(&sets[0], kqth, Period::preset("2022-H2").expect("p"), "LD")
        .await
        .expect("report");
    for n in [2, 4, 5, 6] {
        assert!(
            executed.total_of(n).unwrap_or(0) > 0,
            "02/KQGQ column {n} is exercised"
        );
    }
    assert_eq!(
        settled.total_of(4),
        Some(
            [5, 6, 7, 8, 9]
                .iter()
                .filter_map(|n| settled.total_of(*n))
                .sum::<i64>()
        ),
        "every settled complaint has one outcome"
    );

    // The seed's figures, three ways: the summary, the forms, the records.
    let set = &sets[0];
    let tcd = set
        .forms
        .iter()
        .find(|f| f.code == "01/TCD")
        .expect("01/TCD");
    let xld = set
        .forms
        .iter()
        .find(|f| f.code == "01/XLD")
        .expect("01/XLD");
    let tcd = store
        .compute_report(set, tcd, period, "LD")
        .await
        .expect("01/TCD");
    let xld = store
        .compute_report(set, xld, period, "LD")
        .await
        .expect("01/XLD");
    let summary = store
        .summary(period.from, period.to, Some("LD"))
        .await
        .expect("summary");
    assert_eq!(tcd.total_of(1), Some(summary.visits));
    assert_eq!(tcd.total_of(1), Some(2002));
    assert_eq!(tcd.total_of(3), Some(1993), "distinct cases");
    let groups: i64 = [8, 17, 25].iter().filter_map(|n| tcd.total_of(*n)).sum();
    let group_people: i64 = [9, 18, 26].iter().filter_map(|n| tcd.total_of(*n)).sum();
    assert_eq!((groups, group_people), (4, 72));
    let received: i64 = [5, 6, 7].iter().filter_map(|n| xld.total_of(*n)).sum();
    assert_eq!(received, summary.petitions);
    assert_eq!(received, 2384);
    assert_eq!(
        xld.total_of(24),
        Some(danvan_store::testing::scalar(&store, "SELECT COUNT(*) FROM petitions WHERE received_date BETWEEN '2022-01-01' AND '2022-06-30' AND decision = 'transfer' AND eligible = 1 AND COALESCE(competent, 0) = 0 AND decision_date <= '2022-06-30'").await)
    );
    assert_eq!(
        xld.total_of(11)
            .zip(xld.total_of(12))
            .zip(xld.total_of(13))
            .map(|((a, b), c)| a + b + c),
        xld.total_of(9),
        "the eligible petitions split by type"
    );
    let by_type: i64 = tcd
        .columns
        .iter()
        .zip(&tcd.total.values)
        .filter(|(c, _)| {
            c.groups
                .first()
                .is_some_and(|g| g == "Phân loại theo nội dung")
        })
        .map(|(_, v)| *v)
        .sum();
    assert_eq!(by_type, 2002, "every visit has one type");

    // The charts of the same period: visits and petitions by month, petitions by field and by
    // decision, each equal to counts taken straight from the records.
    let charts = store
        .chart_data("LD", period, period.to)
        .await
        .expect("charts");
    let visits: i64 = charts.by_month.iter().map(|m| m.1).sum();
    let petitions: i64 = charts.by_month.iter().map(|m| m.2).sum();
    assert_eq!((visits, petitions), (2002, 2384));
    assert_eq!(charts.by_month.len(), 6, "six months");
    let period_sql = "received_date BETWEEN '2022-01-01' AND '2022-06-30'";
    for (month, _, n) in &charts.by_month {
        assert_eq!(
            *n,
            danvan_store::testing::scalar(&store, &format!("SELECT COUNT(*) FROM petitions WHERE {period_sql} AND received_date LIKE '{month}%'")).await,
            "{month}"
        );
    }
    assert_eq!(charts.by_field.iter().map(|f| f.1).sum::<i64>(), 2384);
    assert!(
        charts.by_field.windows(2).all(|w| w[0].1 >= w[1].1),
        "most first"
    );
    for (field, n) in &charts.by_field {
        assert_eq!(
            *n,
            danvan_store::testing::scalar(
                &store,
                &format!(
                    "SELECT COUNT(*) FROM petitions WHERE {period_sql} AND field_code = '{field}'"
                )
            )
            .await,
            "{field}"
        );
    }
    assert_eq!(charts.outcomes.iter().map(|f| f.1).sum::<i64>(), 2384);
    for (decision, n) in &charts.outcomes {
        let cond = if decision == "none" {
            "decision IS NULL".to_owned()
        } else {
            format!("decision = '{decision}'")
        };
        assert_eq!(
            *n,
            danvan_store::testing::scalar(
                &store,
                &format!("SELECT COUNT(*) FROM petitions WHERE {period_sql} AND {cond}")
            )
            .await,
            "{decision}"
        );
    }

    // The command line: JSON names the set; a bad form or period is refused.
    let (code, out, _) = danvan(
        &data,
        &[
            "--format",
            "json",
            "report",
            "--form",
            "01-XLD",
            "--from",
            "2022-01-01",
            "--to",
            "2022-06-30",
            "--unit",
            "LD",
        ],
    );
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["form_set"], "TT02-2021");
    assert_eq!(v["total"]["values"][0], 2384);
    let (code, out, _) = danvan(
        &data,
        &[
            "--format",
            "csv",
            "report",
            "--form",
            "01-TCD",
            "--from",
            "2022-01-01",
            "--to",
            "2022-06-30",
            "--unit",
            "LD",
        ],
    );
    assert_eq!(code, 0);
    assert!(
        out.lines()
            .last()
            .is_some_and(|l| l.starts_with("\"Tổng cộng\",2002,"))
    );
    let (code, _, err) = danvan(
        &data,
        &[
            "report",
            "--form",
            "01-XLD",
            "--from",
            "2025-12-15",
            "--to",
            "2026-06-14",
            "--unit",
            "LD",
        ],
    );
    assert_eq!(code, 2, "TT 06/2025 numbers it 02/XLD");
    assert!(err.contains("02/XLD"));
    let (code, _, _) = danvan(
        &data,
        &[
            "report",
            "--form",
            "01-XLD",
            "--from",
            "2025-12-15",
            "--to",
            "2026-06-14",
            "--unit",
            "LD",
            "--form-set",
            "TT01-2024",
        ],
    );
    assert_eq!(code, 0);
    let (code, _, err) = danvan(
        &data,
        &[
            "report",
            "--form",
            "01-XLD",
            "--from",
            "2022-06-30",
            "--to",
            "2022-01-01",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("ngày kết thúc trước ngày bắt đầu"), "{err}");
    let (code, _, err) = danvan(
        &data,
        &[
            "report",
            "--form",
            "99-ABC",
            "--from",
            "2022-01-01",
            "--to",
            "2022-06-30",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("99/ABC không có"), "{err}");
    store.close().await;
    let _ = std::fs::remove_dir_all(&data);
}

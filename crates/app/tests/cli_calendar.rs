//! The calendar and deadline commands, run as the binary is run (the acceptance hooks).

mod common;

use common::danvan;

fn temp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("danvan-cli-{name}-{}", std::process::id()))
}

#[test]
fn lunar_dates_both_ways() {
    let data = temp("lunar");
    let (code, out, _) = danvan(&data, &["calendar", "lunar", "2030-02-02"]);
    assert_eq!((code, out.trim()), (0, "âm lịch 1/1/2030"));
    let (_, out, _) = danvan(
        &data,
        &["--format", "json", "calendar", "lunar", "1985-01-21"],
    );
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["lunar"]["day"], 1);
    assert_eq!(v["lunar"]["month"], 1);
    assert_eq!(v["lunar"]["year"], 1985);
    assert_eq!(v["lunar"]["leap"], false);
    assert_eq!(v["solar"], "1985-01-21");
    let (_, out, _) = danvan(
        &data,
        &[
            "--format",
            "json",
            "calendar",
            "lunar",
            "--to-solar",
            "1/2/2023",
            "--leap",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["solar"], "2023-03-22");
    let (code, _, err) = danvan(&data, &["calendar", "lunar", "--to-solar", "30/12/2025"]);
    assert_eq!(code, 2, "tháng Chạp Ất Tỵ has 29 days");
    assert!(err.contains("không có ngày âm lịch"));
    let (code, _, _) = danvan(&data, &["calendar", "lunar", "2101-01-01"]);
    assert_eq!(code, 2);
    assert!(
        !data.exists(),
        "reading commands never create the data folder"
    );
}

#[test]
fn holidays_and_working_day_arithmetic() {
    let data = temp("holidays");
    let (code, out, _) = danvan(
        &data,
        &["--format", "json", "calendar", "holidays", "--year", "2026"],
    );
    assert_eq!(code, 0);
    let list: Vec<serde_json::Value> = serde_json::from_str(&out).expect("json");
    let off: Vec<&str> = list
        .iter()
        .filter(|e| e["kind"] == "off")
        .filter_map(|e| e["date"].as_str())
        .filter(|d| d.starts_with("2026-02"))
        .collect();
    assert_eq!(
        off,
        [
            "2026-02-16",
            "2026-02-17",
            "2026-02-18",
            "2026-02-19",
            "2026-02-20"
        ]
    );
    assert!(
        list.iter()
            .any(|e| e["date"] == "2026-01-10" && e["kind"] == "work")
    );
    assert!(
        list.iter()
            .all(|e| e.get("basis").is_some() && e.get("provisional").is_some())
    );
    let (_, out, _) = danvan(
        &data,
        &["--format", "json", "calendar", "holidays", "--year", "2027"],
    );
    let list: Vec<serde_json::Value> = serde_json::from_str(&out).expect("json");
    assert!(
        list.iter().all(|e| e["provisional"] == true),
        "2027 is not decided yet"
    );

    let (_, out, _) = danvan(&data, &["calendar", "add-working-days", "2026-02-13", "1"]);
    assert_eq!(out.trim(), "2026-02-23");
    let (_, out, _) = danvan(
        &data,
        &["calendar", "working-days", "2026-02-13", "2026-02-23"],
    );
    assert_eq!(out.trim(), "1");
    let (_, out, _) = danvan(&data, &["calendar", "add-working-days", "2026-11-20", "7"]);
    let end = out.trim().to_owned();
    let (_, out, _) = danvan(&data, &["calendar", "working-days", "2026-11-20", &end]);
    assert_eq!(out.trim(), "7", "counting back what was added");
    let (code, _, err) = danvan(&data, &["calendar", "add-working-days", "2026-13-01", "1"]);
    assert_eq!(code, 2);
    assert!(err.contains("không hợp lệ"));
}

#[test]
fn deadlines_of_the_demo_are_real_and_some_are_overdue() {
    let data = temp("deadlines");
    let (code, _, err) = danvan(&data, &["--as-of", "2026-11-28", "demo"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = danvan(
        &data,
        &[
            "--as-of",
            "2026-11-28",
            "--format",
            "json",
            "deadlines",
            "--overdue",
        ],
    );
    assert_eq!(code, 0);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).expect("json");
    assert!(!rows.is_empty(), "the demo has overdue clocks");
    assert!(rows.iter().all(|r| r["overdue"] == true));
    assert!(rows.iter().all(|r| {
        r["explanation"]
            .as_str()
            .is_some_and(|e| e.contains("kể từ ngày"))
    }));
    let (_, out, _) = danvan(
        &data,
        &[
            "--as-of",
            "2026-11-28",
            "--format",
            "json",
            "deadlines",
            "--unit",
            "LD-PHUQUY",
        ],
    );
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).expect("json");
    assert!(rows.iter().all(|r| r["unit_code"] == "LD-PHUQUY"));
    let (code, out, _) = danvan(&data, &["--format", "json", "deadlines", "recompute"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["applied"], false);
    assert_eq!(
        v["moved"].as_array().map(Vec::len),
        Some(0),
        "nothing changed since they were computed"
    );
    let (code, _, _) = danvan(&data, &["deadlines", "--unit", "KHONG-CO"]);
    assert_eq!(code, 2);
    let _ = std::fs::remove_dir_all(&data);
}

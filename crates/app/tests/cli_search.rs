//! `danvan search` on the demo: the strings of issue 5's "done when" are found however they are
//! typed, the JSON has its documented shape, and bad queries exit 2 with a message (as does
//! `search-partitions`, PostgreSQL's).

mod common;

use common::danvan;

#[test]
fn the_demo_is_found_however_it_is_typed() {
    let data = std::env::temp_dir().join(format!("danvan-cli-search-{}", std::process::id()));
    let (code, _, err) = danvan(&data, &["--as-of", "2026-11-28", "demo"]);
    assert_eq!(code, 0, "{err}");
    let search = |query: &str| -> serde_json::Value {
        let (code, out, err) = danvan(
            &data,
            &["search", query, "--kind", "petition", "--format", "json"],
        );
        assert_eq!(code, 0, "{query}: {err}");
        serde_json::from_str(&out).expect("json")
    };
    for (query, expected) in [
        ("dat dai", "đất đai"),
        ("hoà giải", "hòa giải"),
        ("Phu Qui", "Phú Quý"),
    ] {
        let found = search(query);
        assert!(found["total"].as_i64().is_some_and(|n| n > 0), "{query}");
        let first = &found["results"][0];
        for key in ["kind", "code", "title", "snippet", "score"] {
            assert!(!first[key].is_null(), "{query}: {key} in {first}");
        }
        assert!(
            first["snippet"]
                .as_str()
                .is_some_and(|s| s.contains(expected)),
            "{query} → {first}"
        );
    }
    // The name typed in NFD on the demo's petition is found by the name typed without marks;
    // the results never show the name.
    let found = search("Nguyen Van A");
    assert_eq!(found["total"], 1, "{found}");
    assert!(
        found["results"][0]["snippet"]
            .as_str()
            .is_some_and(|s| s.contains("hòa giải tranh chấp ranh giới đất đai")),
        "{found}"
    );
    assert!(!found.to_string().contains("Nguyễn Văn A"));

    let (code, _, err) = danvan(&data, &["search", "?!…"]);
    assert_eq!(code, 2);
    assert!(err.contains("Nhập từ cần tìm"), "{err}");
    let (code, _, err) = danvan(&data, &["search", "dat", "--user", "khongco"]);
    assert_eq!(code, 2);
    assert!(err.contains("không có tài khoản khongco"), "{err}");
    // The provinces' and newest records' indexes are PostgreSQL's (the conformance suite
    // builds them there): on SQLite the command says so.
    let (code, _, err) = danvan(&data, &["search-partitions"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("chỉ dùng với PostgreSQL"), "{err}");
    let _ = std::fs::remove_dir_all(&data);
}

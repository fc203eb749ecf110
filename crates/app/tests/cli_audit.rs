//! `danvan audit verify` on the demo: OK with the number of entries; an entry edited in the
//! database, or the newest entries deleted, are named and the command exits 1.

mod common;

use common::danvan;

async fn sql(data: &std::path::Path, statement: &str) {
    let store =
        danvan_store::Store::open(&format!("sqlite://{}", data.join("danvan.db").display()))
            .await
            .expect("open");
    danvan_store::testing::execute(&store, statement).await;
}

#[tokio::test]
async fn the_chain_verifies_and_names_an_edited_or_a_removed_entry() {
    let data = std::env::temp_dir().join(format!("danvan-cli-audit-{}", std::process::id()));
    let (code, _, err) = danvan(&data, &["--as-of", "2026-11-28", "demo"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = danvan(&data, &["audit", "verify"]);
    assert_eq!(code, 0, "{out}");
    let n: i64 = out
        .trim()
        .strip_prefix("OK ")
        .and_then(|n| n.parse().ok())
        .expect("OK n");
    assert!(n >= 2, "the demo's writes are in the log: {out}");

    // Someone edits an entry in the database itself.
    sql(
        &data,
        "UPDATE audit_log SET detail = 'sửa lén' WHERE id = 2",
    )
    .await;
    let (code, out, _) = danvan(&data, &["audit", "verify"]);
    assert_eq!(code, 1);
    assert!(out.starts_with("BROKEN at entry 2:"), "{out}");
    sql(&data, "DELETE FROM audit_log WHERE id >= 2").await;
    // With entry 2 and everything after it gone, the chain itself holds but the head does not.
    let (code, out, _) = danvan(&data, &["audit", "verify"]);
    assert_eq!(code, 1);
    assert!(out.contains("newest entries removed"), "{out}");
    let _ = std::fs::remove_dir_all(&data);
}

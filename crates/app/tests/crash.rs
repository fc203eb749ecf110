//! Nothing acknowledged is lost on a crash: a writer records visits through the API of a real
//! server while the test kills the server (SIGKILL) at a random moment, 30 times in a row
//! (`DANVAN_CRASH_ROUNDS` for more by hand). Afterwards every acknowledged visit is present and
//! intact, nothing half-written exists (every visit has its case, its person and its audit
//! entry), and the audit chain verifies.

mod common;

use common::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[tokio::test(flavor = "multi_thread")]
async fn acknowledged_writes_survive_kill_9() {
    let rounds: usize = std::env::var("DANVAN_CRASH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(30);
    let dir = temp("crash");
    let data = dir.join("data");
    let (code, _, err) = danvan(&data, &["--as-of", "2026-11-28", "demo"]);
    assert_eq!(code, 0, "{err}");
    let (_, token, _) = danvan(&data, &["user", "token", "tiepdan"]);
    let token = token.trim().to_owned();
    // A fixed sequence of kill moments (a small LCG): the same test every run.
    let mut seed: u64 = 0x5EED_2026;
    let mut next_delay = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        30 + (seed >> 33) % 400
    };
    let mut acknowledged: Vec<(String, usize)> = vec![];
    let mut n = 0;
    for round in 0..rounds {
        let server = Server::start(&data, 18_500 + (round % 50) as u16);
        let stop = Arc::new(AtomicBool::new(false));
        let writer = {
            let (port, stop, token) = (server.port, stop.clone(), token.clone());
            let first = n;
            std::thread::spawn(move || {
                let mut acked = vec![];
                let mut k = first;
                while !stop.load(Ordering::SeqCst) {
                    k += 1;
                    let (status, body) = request(
                        port,
                        "POST",
                        "/api/v1/visits",
                        Some(&token),
                        Some(&visit_json(k)),
                    );
                    if status != 201 {
                        break; // killed mid-request: not acknowledged
                    }
                    let v: serde_json::Value = serde_json::from_str(&body).expect("json");
                    acked.push((v["code"].as_str().expect("code").to_owned(), k));
                }
                (acked, k)
            })
        };
        std::thread::sleep(std::time::Duration::from_millis(next_delay()));
        // SIGKILL while requests are in flight: no graceful shutdown, no flush.
        server.kill();
        stop.store(true, Ordering::SeqCst);
        let (acked, last) = writer.join().expect("writer");
        acknowledged.extend(acked);
        n = last;
    }
    assert!(
        acknowledged.len() >= rounds,
        "the writer got through: {}",
        acknowledged.len()
    );

    let store =
        danvan_store::Store::open(&format!("sqlite://{}", data.join("danvan.db").display()))
            .await
            .expect("open after the crashes");
    let scalar = |sql: String| {
        let store = store.clone();
        async move { danvan_store::testing::scalar(&store, &sql).await }
    };
    for (code, k) in &acknowledged {
        let content = format!("Kiểm thử độ bền lượt tiếp số {k}");
        let found = scalar(format!(
            "SELECT COUNT(*) FROM visits v JOIN cases c ON c.id = v.case_id JOIN visit_people vp ON vp.visit_id = v.id \
             WHERE v.code = '{code}' AND v.content = '{content}'"
        ))
        .await;
        assert_eq!(found, 1, "acknowledged visit {code} is present and whole");
    }
    // Nothing half-written: every test visit has its case, its person and its audit entry.
    let visits =
        scalar("SELECT COUNT(*) FROM visits WHERE content LIKE 'Kiểm thử độ bền%'".into()).await;
    assert!(
        visits >= acknowledged.len() as i64 && visits <= n as i64,
        "{visits}"
    );
    let orphans = scalar(
        "SELECT COUNT(*) FROM visits v WHERE v.content LIKE 'Kiểm thử độ bền%' AND (\
         NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = v.case_id) \
         OR NOT EXISTS (SELECT 1 FROM visit_people vp WHERE vp.visit_id = v.id) \
         OR NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'visit' AND a.entity_code = v.code))"
            .into(),
    )
    .await;
    assert_eq!(orphans, 0, "half-written visits");
    assert!(matches!(
        store.verify_audit_chain().await.expect("verify"),
        danvan_store::ChainCheck::Ok(_)
    ));
    eprintln!(
        "{rounds} kills: {} visits acknowledged, {visits} stored (the rest were in flight), none half-written",
        acknowledged.len()
    );
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

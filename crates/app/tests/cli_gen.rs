//! `danvan gen` brings a seed's data to the size asked: a second run of the same seed goes on
//! where the first stopped (an interrupted 10M load is not lost) and makes no unit twice.

mod common;

use common::danvan;

#[tokio::test]
async fn a_second_run_of_a_seed_goes_on_where_the_first_stopped() {
    let data = std::env::temp_dir().join(format!("danvan-cli-gen-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let gen_to = |n: &str| {
        let (code, out, err) = danvan(&data, &["--format", "json", "gen", "--petitions", n]);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str::<serde_json::Value>(out.trim()).expect("json")
    };
    let first = gen_to("300");
    assert_eq!(first["petitions"], 300);
    assert!(first["units"].as_u64().is_some_and(|u| u > 100), "{first}");
    let second = gen_to("500");
    assert_eq!(second["petitions"], 200, "the 200 missing: {second}");
    assert_eq!(second["units"], 0, "no unit made twice: {second}");
    let third = gen_to("500");
    assert_eq!(
        third["petitions"], 0,
        "the seed's data holds 500 already: {third}"
    );

    let store =
        danvan_store::Store::open(&format!("sqlite://{}", data.join("danvan.db").display()))
            .await
            .expect("open");
    let count = |sql: &'static str| danvan_store::testing::scalar(&store, sql);
    assert_eq!(count("SELECT COUNT(*) FROM petitions").await, 500);
    assert_eq!(
        count("SELECT COUNT(DISTINCT code) FROM petitions").await,
        500,
        "the codes went on from the first run's"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM (SELECT code FROM units GROUP BY code HAVING COUNT(*) > 1) x")
            .await,
        0
    );
    // The later petitions keep the dates a single run of 500 would give them: the newest
    // were received in the last days before today.
    assert!(count("SELECT COUNT(*) FROM petitions WHERE received_date > '2026-11-01'").await > 0);
    let _ = std::fs::remove_dir_all(&data);
}

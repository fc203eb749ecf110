//! Search recall on the labelled query set (`eval/search.jsonl`, built by
//! `scripts/make-eval.py`): 60 petitions entered through the store, 300 queries typed the ways
//! officials type (no marks, NFD, a name in part, an ID number's first digits, a given name
//! with the place in the old tone placement); each query's record must be in the first ten.
//! Run with `--nocapture` to see recall by kind of query.

mod common;

use common::*;
use danvan_domain::records::{PersonDraft, PetitionDraft};
use danvan_store::Page;
use danvan_store::search::{Plan, SearchFilter};
use std::collections::{BTreeMap, HashMap};

#[tokio::test]
async fn recall_at_ten_on_the_query_set() {
    let app = TestApp::new().await;
    let actor = app
        .store
        .actor_by_username("chutich")
        .await
        .expect("db")
        .expect("actor");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).expect("date");
    let fields = |_: &str| true;
    let mut codes: HashMap<String, String> = HashMap::new();
    let mut queries = vec![];
    for line in include_str!("../../../eval/search.jsonl").lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        let s = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
        if v.get("record").is_some() {
            let draft = PetitionDraft {
                received_date: "10/11/2026".into(),
                source: "post".into(),
                sender_kind: "one".into(),
                sender: PersonDraft {
                    full_name: s("name"),
                    id_number: s("id_number"),
                    ..Default::default()
                },
                petition_type: "KN".into(),
                field_code: s("field"),
                summary: s("text"),
                ..Default::default()
            };
            let input = draft.check(today, &fields).expect("valid record");
            let code = app
                .store
                .create_petition(&actor, "P-UB", &input)
                .await
                .expect("petition");
            codes.insert(s("record"), code);
        } else {
            queries.push((s("q"), s("expect"), s("how")));
        }
    }
    assert!(queries.len() >= 100, "at least 100 queries");
    let mut by_how: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut missed = vec![];
    for (q, expect, how) in &queries {
        let found = app
            .store
            .search(
                &actor,
                &SearchFilter {
                    text: q.clone(),
                    kind: Some("petition".into()),
                    ..Default::default()
                },
                Page::new(1, 10),
            )
            .await
            .expect("search");
        let hit = found
            .results
            .iter()
            .any(|h| Some(&h.code) == codes.get(expect));
        // The plans — the full-text index walked or gathered, the scope's own keys, the
        // newest records — answer the same.
        let mut plans: Vec<Vec<(String, f64)>> = vec![];
        for plan in [Plan::FullText, Plan::Scope, Plan::Newest, Plan::Gathered] {
            let r = app
                .store
                .search(
                    &actor,
                    &SearchFilter {
                        text: q.clone(),
                        plan,
                        ..Default::default()
                    },
                    Page::new(1, 50),
                )
                .await
                .expect("search");
            plans.push(r.results.into_iter().map(|h| (h.code, h.score)).collect());
        }
        assert_eq!(
            plans[0], plans[1],
            "{q}: the index and the scope's keys differ"
        );
        assert_eq!(
            plans[0], plans[2],
            "{q}: the index and the newest records differ"
        );
        assert_eq!(
            plans[0], plans[3],
            "{q}: the index walked and gathered differ"
        );
        let e = by_how.entry(how.clone()).or_default();
        e.1 += 1;
        if hit {
            e.0 += 1;
        } else {
            missed.push(q.clone());
        }
    }
    let total: usize = by_how.values().map(|v| v.1).sum();
    let hits: usize = by_how.values().map(|v| v.0).sum();
    println!("\nrecall@10 by kind of query:");
    for (how, (h, n)) in &by_how {
        println!("  {how:<45} {h:>3}/{n:<3} {:.3}", *h as f64 / *n as f64);
    }
    let recall = hits as f64 / total as f64;
    println!(
        "  {:<45} {hits:>3}/{total:<3} {recall:.3}\n  missed: {missed:?}",
        "all"
    );
    assert!(recall >= 0.98, "recall@10 {recall}: missed {missed:?}");
}

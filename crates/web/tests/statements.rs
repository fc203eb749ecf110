//! No page issues a query per row: each main page is rendered over a small register and again
//! over a register ten times larger, and the number of SQL statements must not grow.
//!
//! sqlx reports every statement it runs as a tracing event with target `sqlx::query`; a global
//! subscriber counts them. This file holds a single test so nothing else runs concurrently.

mod common;

use common::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use tracing::subscriber::Subscriber;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

static STATEMENTS: AtomicUsize = AtomicUsize::new(0);

struct CountStatements;

impl<S: Subscriber> Layer<S> for CountStatements {
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        struct Summary(String);
        impl tracing::field::Visit for Summary {
            fn record_debug(&mut self, f: &tracing::field::Field, v: &dyn std::fmt::Debug) {
                if f.name() == "summary" {
                    self.0 = format!("{v:?}");
                }
            }
        }
        let mut summary = Summary(String::new());
        event.record(&mut summary);
        // A new pooled connection runs its PRAGMAs whenever the pool grows: not the page's.
        if summary.0.trim_start_matches('"').starts_with("PRAGMA") {
            return;
        }
        STATEMENTS.fetch_add(1, Ordering::SeqCst);
        if std::env::var("DEBUG_SQL").is_ok() {
            eprintln!("  sql: {}", summary.0);
        }
    }
}

/// Statements of one rendering, after a first one has warmed the caches (the built
/// working-day calendars).
async fn statements_for(app: &TestApp, path: &str, cookie: &str) -> usize {
    let (status, _) = app.get(path, cookie).await;
    assert_eq!(status, 200, "{path}");
    // sqlx reports a statement when its connection is done with it, which can be a moment
    // after the response: let stragglers land before and after counting.
    tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    let before = STATEMENTS.load(Ordering::SeqCst);
    let (status, body) = app.get(path, cookie).await;
    assert_eq!(status, 200, "{path}: {body}");
    if std::env::var("DEBUG_SQL").is_ok() {
        eprintln!("{path}: {} rows", body.matches("<tr").count());
    }
    tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    STATEMENTS.load(Ordering::SeqCst) - before
}

async fn add_records(app: &TestApp, cookie: &str, csrf: &str, from: usize, to: usize) {
    for i in from..to {
        let id = format!("0600850{i:05}");
        let (status, _, body) = app
            .post_form("/visits", cookie, &visit_form(csrf, "P-TCD", &id))
            .await;
        assert_eq!(status, 303, "visit {i}: {body}");
        let summary = format!("Đơn số {i} về tranh chấp đất đai");
        let form = vec![
            ("_csrf", csrf),
            ("unit_code", "P-TCD"),
            ("received_date", "10/11/2026"),
            ("source", "post"),
            ("sender_kind", "one"),
            ("sender.full_name", "Lê Văn Đơn"),
            ("sender.id_number", id.as_str()),
            ("petition_type", "KN"),
            ("field_code", "DD-TC"),
            ("summary", summary.as_str()),
        ];
        let (status, _, body) = app.post_form("/petitions", cookie, &form).await;
        assert_eq!(status, 303, "petition {i}: {body}");
    }
}

#[tokio::test]
async fn page_statement_counts_do_not_grow_with_the_rows_shown() {
    let subscriber = tracing_subscriber::registry()
        .with(CountStatements)
        .with(tracing_subscriber::filter::LevelFilter::TRACE);
    tracing::subscriber::set_global_default(subscriber).expect("one subscriber per test binary");

    let app = TestApp::new().await;
    let (cookie, csrf) = app.login("chutich").await;
    add_records(&app, &cookie, &csrf, 0, 3).await;
    let pages = [
        "/",
        "/visits",
        "/visits?q=dat+dai&field=DD-TC",
        "/petitions",
        "/cases",
        "/inbox",
        "/units",
        "/schedule",
        "/summary?from=01/01/2026&to=31/12/2026",
        "/deadlines",
        "/deadlines?overdue=1&sort=unit",
        "/calendar?year=2026",
    ];
    let mut small = vec![];
    for page in pages {
        small.push(statements_for(&app, page, &cookie).await);
    }
    add_records(&app, &cookie, &csrf, 3, 30).await;
    for (page, before) in pages.iter().zip(small) {
        let after = statements_for(&app, page, &cookie).await;
        assert!(before > 0, "{page}: the counter sees statements");
        assert_eq!(
            before, after,
            "{page}: {before} statements over 3 records, {after} over 30"
        );
    }
    // A case page with one visit and with many visits on the same case.
    let (_, list) = app.get("/cases", &cookie).await;
    let code = list
        .split("/cases/VV-")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .map(|s| format!("VV-{s}"))
        .expect("a case link");
    let path = format!("/cases/{code}");
    let one = statements_for(&app, &path, &cookie).await;
    for i in 0..10 {
        let id = format!("0600860{i:05}");
        let mut form = visit_form(&csrf, "P-TCD", &id);
        form.push(("case_code", code.as_str()));
        let (status, _, body) = app.post_form("/visits", &cookie, &form).await;
        assert_eq!(status, 303, "{body}");
    }
    let many = statements_for(&app, &path, &cookie).await;
    assert_eq!(
        one, many,
        "case page: {one} statements with one visit, {many} with eleven"
    );
}

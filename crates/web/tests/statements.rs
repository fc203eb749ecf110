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
        if event.metadata().target() == "sqlx::query" {
            STATEMENTS.fetch_add(1, Ordering::SeqCst);
        }
    }
}

async fn statements_for(app: &TestApp, path: &str, cookie: &str) -> usize {
    let before = STATEMENTS.load(Ordering::SeqCst);
    let (status, body) = app.get(path, cookie).await;
    assert_eq!(status, 200, "{path}: {body}");
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

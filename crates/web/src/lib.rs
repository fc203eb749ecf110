//! danvan's web application: server-rendered Vietnamese pages and the JSON API over one router.
//! Handlers are thin: parse input into domain drafts, ask the store (which asks the one
//! permission function), render.

#![forbid(unsafe_code)]

mod account_pages;
mod admin_pages;
mod api;
mod api_coordination;
mod audit_pages;
mod auth;
mod case_pages;
mod coordination_pages;
mod deadline_pages;
mod error;
mod letter_pages;
mod login_pages;
mod management_pages;
mod model_pages;
mod pages;
mod petition_pages;
mod related_pages;
pub(crate) mod report_pages;
mod search_pages;
mod situation_pages;
mod view;
mod visit_pages;

pub use axum::Router;

use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use chrono::NaiveDate;
use danvan_store::Store;
use std::path::PathBuf;
use std::sync::Arc;

/// What the web layer needs to know beyond the database.
#[derive(Debug, Clone)]
pub struct Config {
    pub attachments_dir: PathBuf,
    /// Mark cookies `Secure` (behind TLS).
    pub secure_cookies: bool,
    /// Fixed "today" (tests and `--as-of`); None = the clock, Vietnam time.
    pub today_override: Option<NaiveDate>,
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
}

impl AppState {
    pub fn today(&self) -> NaiveDate {
        self.config
            .today_override
            .unwrap_or_else(|| (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive())
    }
}

const HTMX: &str = include_str!("../static/htmx.min.js");
const CSS: &str = include_str!("../static/app.css");

pub fn router(store: Store, config: Config) -> Router {
    let state = AppState {
        store,
        config: Arc::new(config),
    };
    Router::new()
        .route("/healthz", get(healthz))
        .route(
            "/static/htmx.min.js",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/javascript"),
                        (header::CACHE_CONTROL, "max-age=86400"),
                    ],
                    HTMX,
                )
            }),
        )
        .route(
            "/static/app.css",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/css"),
                        (header::CACHE_CONTROL, "max-age=3600"),
                    ],
                    CSS,
                )
            }),
        )
        .route(
            "/login",
            get(login_pages::login_form).post(login_pages::login),
        )
        .route("/login/totp", post(login_pages::login_totp))
        .route("/logout", post(login_pages::logout))
        .route("/", get(pages::dashboard))
        .route(
            "/visits",
            get(visit_pages::visits).post(visit_pages::create_visit),
        )
        .route("/visits/new", get(visit_pages::new_visit))
        .route("/visits/{code}", get(visit_pages::visit))
        .route("/visits/{code}/receipt", get(visit_pages::receipt))
        .route(
            "/petitions",
            get(petition_pages::petitions).post(petition_pages::create_petition),
        )
        .route("/petitions/new", get(petition_pages::new_petition))
        .route("/petitions/{code}", get(petition_pages::petition))
        .route(
            "/petitions/{code}/reply",
            post(petition_pages::reply_transfer),
        )
        .route(
            "/petitions/{code}/redacted.docx",
            get(petition_pages::redacted_copy),
        )
        .route(
            "/petitions/{code}/waiver",
            post(petition_pages::record_waiver),
        )
        .route(
            "/petitions/{code}/attachments",
            // The store enforces the configured size (default 20 MB); this caps the request.
            post(petition_pages::attach)
                .layer(axum::extract::DefaultBodyLimit::max(64 * 1024 * 1024)),
        )
        .route("/attachments/{id}", get(petition_pages::attachment))
        .route(
            "/petitions/{code}/events",
            post(deadline_pages::petition_event),
        )
        .route("/deadlines", get(deadline_pages::deadlines))
        .route("/deadlines/recompute", post(deadline_pages::recompute))
        .route("/calendar", get(deadline_pages::calendar))
        .route("/calendar/entries", post(deadline_pages::calendar_set))
        .route(
            "/calendar/entries/{date}/delete",
            post(deadline_pages::calendar_delete),
        )
        .route("/calendar/import", post(deadline_pages::calendar_import))
        .route(
            "/calendar/work-week",
            post(deadline_pages::calendar_work_week),
        )
        .route("/admin/rules", get(deadline_pages::rules))
        .route("/admin/rules/{id}", post(deadline_pages::update_rule))
        .route("/people/lookup", get(pages::person_lookup))
        .route("/people/{id}", get(related_pages::person))
        .route("/inbox", get(petition_pages::inbox))
        .route("/cases", get(case_pages::cases))
        .route(
            "/cases/{code}",
            get(case_pages::case).post(case_pages::update_case),
        )
        .route("/cases/{code}/handlers", post(case_pages::assign_handler))
        .route("/units", get(pages::units))
        .route("/schedule", get(pages::schedule).post(pages::add_schedule))
        .route("/schedule/{id}", post(pages::mark_schedule))
        .route(
            "/management",
            get(management_pages::management).post(management_pages::add),
        )
        .route("/management/{id}/remove", post(management_pages::remove))
        .route("/summary", get(pages::summary))
        .route("/search", get(search_pages::search))
        .route("/related", get(related_pages::related))
        .route(
            "/petitions/{code}/related/{id}/undo",
            post(petition_pages::undo_related),
        )
        .route("/reports", get(report_pages::reports))
        .route("/reports/records", get(report_pages::records))
        .route("/reports/submit", post(report_pages::submit))
        .route("/letters", post(letter_pages::draft))
        .route(
            "/letters/{id}",
            get(letter_pages::letter).post(letter_pages::save),
        )
        .route("/letters/{id}/docx", get(letter_pages::docx))
        .route(
            "/programmes",
            get(coordination_pages::programmes).post(coordination_pages::create_programme),
        )
        .route("/programmes/{id}", get(coordination_pages::programme))
        .route("/programmes/{id}/tasks", post(coordination_pages::add_task))
        .route(
            "/programmes/{id}/documents",
            // The store enforces the configured size (default 20 MB); this caps the request.
            post(coordination_pages::add_document)
                .layer(axum::extract::DefaultBodyLimit::max(64 * 1024 * 1024)),
        )
        .route("/programmes/{id}/review", get(coordination_pages::review))
        .route(
            "/programmes/{id}/review.docx",
            get(coordination_pages::review_docx),
        )
        .route(
            "/tasks/{id}",
            get(coordination_pages::task).post(coordination_pages::update_task),
        )
        .route("/tasks/{id}/links", post(coordination_pages::link_task))
        .route(
            "/engagements",
            get(coordination_pages::engagements).post(coordination_pages::create_engagement),
        )
        .route("/engagements/{id}", get(coordination_pages::engagement))
        .route("/situation", get(situation_pages::situation))
        .route("/situation/reports", post(situation_pages::create_report))
        .route("/situation/reports/{id}", get(situation_pages::report))
        .route(
            "/situation/reports/{id}/hotspots",
            post(situation_pages::add_hotspot),
        )
        .route("/hotspots/{id}", post(situation_pages::update_hotspot))
        .route(
            "/models",
            get(model_pages::models).post(model_pages::register),
        )
        .route("/models/round", post(model_pages::round))
        .route("/models/{id}", get(model_pages::model))
        .route("/models/{id}/stage", post(model_pages::step))
        .route("/models/{id}/criteria", post(model_pages::criteria))
        .route("/admin/audit", get(audit_pages::audit))
        .route("/admin", get(admin_pages::admin))
        .route("/admin/settings", post(admin_pages::admin_settings))
        .route("/admin/fields", post(admin_pages::admin_add_field))
        .route(
            "/admin/fields/{code}",
            post(admin_pages::admin_update_field),
        )
        .route("/admin/users", post(admin_pages::admin_add_user))
        .route(
            "/admin/users/{username}/password",
            post(admin_pages::admin_reset_password),
        )
        .route("/admin/units", post(admin_pages::admin_add_unit))
        .route(
            "/admin/users/{username}/unlock",
            post(admin_pages::admin_unlock),
        )
        .route("/account", get(account_pages::account))
        .route("/account/tokens", post(account_pages::create_token))
        .route(
            "/account/tokens/{id}/revoke",
            post(account_pages::revoke_token),
        )
        .route("/account/logout-all", post(account_pages::logout_all))
        .route("/account/totp/start", post(account_pages::totp_start))
        .route("/account/totp/{action}", post(account_pages::totp_set))
        .route(
            "/admin/users/{username}/totp-reset",
            post(admin_pages::admin_totp_reset),
        )
        .route(
            "/admin/situation-topics",
            post(admin_pages::admin_set_topic),
        )
        .route(
            "/admin/model-criteria",
            post(admin_pages::admin_set_criterion),
        )
        .nest("/api/v1", api::routes())
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn(security_headers))
        .with_state(state)
}

async fn healthz(axum::extract::State(state): axum::extract::State<AppState>) -> impl IntoResponse {
    match state.store.ping().await {
        Ok(()) => (axum::http::StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "database unreachable",
            )
        }
    }
}

/// CSP without inline scripts, no framing, no sniffing, no referrer leaks.
async fn security_headers(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    res
}

/// Serves until Ctrl-C or SIGTERM; in-flight requests finish first.
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let ctrl_c = tokio::signal::ctrl_c();
            #[cfg(unix)]
            {
                let mut term =
                    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    {
                        Ok(s) => s,
                        Err(_) => return,
                    };
                tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
            }
            #[cfg(not(unix))]
            {
                let _ = ctrl_c.await;
            }
        })
        .await
}

/// Starts the database upkeep the server runs beside the requests: on PostgreSQL, the GIN
/// indexes' pending entries merged every second (`Store::merge_pending_index_entries`), so
/// that no officer's save waits for a merge. Nothing on SQLite. A failure is logged and tried
/// again a minute later.
pub fn spawn_upkeep(store: Store) -> Option<tokio::task::JoinHandle<()>> {
    if store.backend() != danvan_store::Backend::Postgres {
        return None;
    }
    Some(tokio::spawn(async move {
        loop {
            let pause = match store.merge_pending_index_entries().await {
                Ok(_) => std::time::Duration::from_secs(1),
                Err(e) => {
                    tracing::warn!(error = %e, "merging the indexes' pending entries");
                    std::time::Duration::from_secs(60)
                }
            };
            tokio::time::sleep(pause).await;
        }
    }))
}

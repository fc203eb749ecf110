//! The audit log for administrators and leaders: filter and read, never edit. The time is
//! shown in Vietnam time.

use crate::AppState;
use crate::auth::SessionUser;
use crate::error::WebError;
use crate::pages::{Chrome, chrome, render};
use crate::view::{Pager, qs};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use danvan_store::{AuditFilter, Page};
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    rows: Vec<Line>,
    pager: Pager,
    q: HashMap<String, String>,
    action_opts: Vec<crate::view::Opt>,
    filter_error: String,
}

struct Line {
    at: String,
    user: String,
    action: String,
    entity: String,
    code: String,
    detail: String,
}

/// The actions the log records, in Vietnamese.
const ACTIONS: [(&str, &str); 7] = [
    ("create", "Tạo"),
    ("update", "Sửa"),
    ("read_identity", "Xem thông tin được bảo vệ"),
    ("attach", "Đính kèm tệp"),
    ("link", "Liên kết"),
    ("reply_transfer", "Trả lời đơn chuyển"),
    ("bulk_load", "Nạp dữ liệu"),
];

fn action_label(action: &str) -> &str {
    ACTIONS
        .iter()
        .find(|(c, _)| *c == action)
        .map(|(_, l)| *l)
        .unwrap_or(action)
}

pub async fn audit(
    State(state): State<AppState>,
    user: SessionUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let get = |k: &str| q.get(k).cloned().filter(|v| !v.trim().is_empty());
    let (from, to, filter_error) = match crate::view::date_range(
        q.get("from").map(String::as_str).unwrap_or(""),
        q.get("to").map(String::as_str).unwrap_or(""),
    ) {
        Ok((from, to)) => (from, to, String::new()),
        Err(e) => (None, None, e),
    };
    let filter = AuditFilter {
        username: get("user"),
        action: get("action"),
        entity: get("entity"),
        code: get("code"),
        from,
        to,
    };
    let page = Page::new(q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1), 50);
    let list = state
        .store
        .audit_entries(&user.actor, &filter, page)
        .await?;
    let query = ["user", "action", "entity", "code", "from", "to"]
        .iter()
        .map(|k| format!("{k}={}", qs(q.get(*k).map(String::as_str).unwrap_or(""))))
        .collect::<Vec<_>>()
        .join("&");
    Ok(render(AuditPage {
        chrome: chrome(&user, "audit"),
        pager: Pager::new(&list, "/admin/audit", &query),
        rows: list
            .items
            .into_iter()
            .map(|r| Line {
                at: crate::view::timestamp(&r.at),
                user: if r.user.is_empty() {
                    "(hệ thống)".into()
                } else {
                    r.user
                },
                action: action_label(&r.action).to_owned(),
                entity: r.entity,
                code: r.entity_code,
                detail: r.detail,
            })
            .collect(),
        action_opts: crate::view::options(
            ACTIONS,
            q.get("action").map(String::as_str).unwrap_or(""),
        ),
        q,
        filter_error,
    }))
}

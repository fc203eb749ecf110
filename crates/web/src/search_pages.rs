//! The search page: one box across petitions, visits and cases, with the filters of the
//! registers (unit subtree, dates, type, field, case status), results ranked and highlighted.

use crate::AppState;
use crate::auth::SessionUser;
use crate::error::WebError;
use crate::pages::{Chrome, chrome, field_options, render, unit_filter_options};
use crate::view::{Opt, Pager, date, num, options, qs};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use danvan_domain::format::parse_date;
use danvan_domain::records::PetitionType;
use danvan_store::search::{Piece, SearchFilter, SearchHit};
use danvan_store::{Page, StoreError};

/// Results per page.
const PAGE_SIZE: i64 = 20;

#[derive(Debug, Default, serde::Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default, rename = "type")]
    pub petition_type: String,
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub page: Option<i64>,
    /// The API's page size (the page shows 20).
    #[serde(default)]
    pub page_size: Option<i64>,
}

fn some(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

impl SearchQuery {
    /// The store's filter, or the Vietnamese message of what is wrong with the form.
    pub async fn filter(&self, state: &AppState) -> Result<SearchFilter, String> {
        let day = |s: &str, what: &str| match s.trim() {
            "" => Ok(None),
            s => parse_date(s)
                .map(Some)
                .ok_or_else(|| format!("{what} không hợp lệ (dd/mm/yyyy)")),
        };
        let (from, to) = (day(&self.from, "Từ ngày")?, day(&self.to, "Đến ngày")?);
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            return Err("Đến ngày trước Từ ngày: chọn lại khoảng thời gian".into());
        }
        if !matches!(self.kind.as_str(), "" | "petition" | "visit" | "case") {
            return Err("Loại hồ sơ không hợp lệ".into());
        }
        let unit_path = match some(&self.unit) {
            None => None,
            Some(code) => match state.store.unit_by_code(&code).await {
                Ok(Some(u)) => Some(u.path),
                _ => return Err("Không có đơn vị này".into()),
            },
        };
        Ok(SearchFilter {
            text: self.q.clone(),
            unit_path,
            from,
            to,
            kind: some(&self.kind),
            petition_type: some(&self.petition_type),
            field_code: some(&self.field),
            status: some(&self.status),
            plan: Default::default(),
        })
    }

    fn query_string(&self) -> String {
        [
            ("q", &self.q),
            ("kind", &self.kind),
            ("unit", &self.unit),
            ("from", &self.from),
            ("to", &self.to),
            ("type", &self.petition_type),
            ("field", &self.field),
            ("status", &self.status),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", qs(v)))
        .collect::<Vec<_>>()
        .join("&")
    }
}

pub struct HitLine {
    pub kind: &'static str,
    pub code: String,
    pub url: String,
    pub pieces: Vec<Piece>,
    pub date: String,
    pub unit: String,
}

impl From<SearchHit> for HitLine {
    fn from(h: SearchHit) -> Self {
        HitLine {
            kind: match h.kind {
                "petition" => "Đơn",
                "visit" => "Lượt tiếp",
                _ => "Vụ việc",
            },
            code: h.code,
            url: h.url,
            pieces: h.pieces,
            date: date(h.date),
            unit: h.unit,
        }
    }
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    q: SearchQuery,
    hits: Vec<HitLine>,
    /// "Tìm thấy 1.234 kết quả" and, when only the newest are ranked, how to see the rest.
    found: String,
    narrow: bool,
    error: String,
    pager: Option<Pager>,
    kind_opts: Vec<Opt>,
    type_opts: Vec<Opt>,
    field_opts: Vec<Opt>,
    unit_opts: Vec<Opt>,
    status_opts: Vec<Opt>,
}

/// GET /search
pub async fn search(
    State(state): State<AppState>,
    user: SessionUser,
    Query(q): Query<SearchQuery>,
) -> Result<Response, WebError> {
    let mut page = SearchPage {
        chrome: chrome(&user, "search"),
        hits: vec![],
        found: String::new(),
        narrow: false,
        error: String::new(),
        pager: None,
        kind_opts: options(
            [
                ("petition", "Đơn"),
                ("visit", "Lượt tiếp"),
                ("case", "Vụ việc"),
            ],
            &q.kind,
        ),
        type_opts: options(
            PetitionType::ALL.iter().map(|t| (t.code(), t.label())),
            &q.petition_type,
        ),
        field_opts: field_options(&state, &q.field).await?,
        unit_opts: unit_filter_options(&state, &user, &q.unit).await?,
        status_opts: options(
            danvan_domain::records::CaseStatus::ALL
                .iter()
                .map(|s| (s.code(), s.label())),
            &q.status,
        ),
        q,
    };
    if page.q.q.trim().is_empty() {
        // The empty form: nothing searched yet.
        return Ok(render(page));
    }
    let filter = match page.q.filter(&state).await {
        Ok(f) => f,
        Err(e) => {
            page.error = e;
            return Ok(crate::pages::rejected(render(page)));
        }
    };
    let number = page.q.page.unwrap_or(1);
    match state
        .store
        .search(&user.actor, &filter, Page::new(number, PAGE_SIZE))
        .await
    {
        Ok(r) => {
            page.found = if r.total == 0 {
                "Không tìm thấy hồ sơ nào phù hợp.".into()
            } else {
                format!(
                    "Tìm thấy {}{} kết quả",
                    if r.total_is_lower_bound { "hơn " } else { "" },
                    num(r.total)
                )
            };
            page.narrow = r.ranked < r.total;
            let list = danvan_store::Paged::<()> {
                items: vec![],
                total: r.ranked,
                total_is_lower_bound: false,
                page: r.page,
                page_size: r.page_size,
            };
            page.pager =
                (r.ranked > 0).then(|| Pager::new(&list, "/search", &page.q.query_string()));
            page.hits = r.results.into_iter().map(HitLine::from).collect();
            Ok(render(page))
        }
        Err(StoreError::Invalid(e)) => {
            page.error = e.0.joined();
            let mut res = render(page);
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

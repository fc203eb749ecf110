//! Related records while a petition or a visit is being entered (htmx): the form sends what was
//! typed so far, the fragment lists the likely related records with why and how strongly, and
//! the officer answers each — link to its case, mark this petition a duplicate to be filed, or
//! leave it (dismissed). The answers travel with the form and are recorded with the record.

use crate::AppState;
use crate::auth::SessionUser;
use crate::error::WebError;
use crate::pages::render;
use crate::view::date;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use danvan_domain::format::parse_date;
use danvan_store::related::{Related, RelatedQuery};

/// Suggestions a form can carry answers for.
pub const SHOWN_MAX: usize = 8;

/// What the fragment reads from the form being typed (petition or visit field names).
pub fn query_of(pairs: &[(String, String)]) -> RelatedQuery {
    let get = |names: &[&str]| -> String {
        names
            .iter()
            .find_map(|n| pairs.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()))
            .unwrap_or_default()
    };
    RelatedQuery {
        unit_code: get(&["unit_code"]),
        text: get(&["summary", "content"]),
        id_number: get(&["sender.id_number", "people[0].id_number"]),
        full_name: get(&["sender.full_name", "people[0].full_name"]),
        area_code: get(&["sender.area_code", "people[0].area_code"]),
        date: parse_date(&get(&["received_date", "visit_date"])),
    }
}

pub struct Line {
    pub i: usize,
    pub kind: &'static str,
    pub code: String,
    pub case_code: String,
    pub url: String,
    pub date: String,
    pub unit: String,
    pub summary: String,
    pub why: String,
    pub percent: i64,
}

impl Line {
    fn new(i: usize, r: Related) -> Self {
        Line {
            i,
            kind: if r.kind == "petition" {
                "Đơn"
            } else {
                "Lượt tiếp"
            },
            url: format!("/{}s/{}", r.kind, r.code),
            why: r.why(),
            percent: (r.strength * 100.0).round() as i64,
            code: r.code,
            case_code: r.case_code,
            date: date(r.date),
            unit: r.unit,
            summary: r.summary,
        }
    }
}

#[derive(Template)]
#[template(path = "related.html")]
struct RelatedFragment {
    lines: Vec<Line>,
    /// A petition may be marked a duplicate to be filed; a visit is only linked.
    duplicates: bool,
    /// The answer already picked in the form, kept when the list is refreshed.
    picked: String,
    /// Whether that answer is for a record still listed.
    kept: bool,
}

/// GET /related?…the form's fields…
pub async fn related(
    State(state): State<AppState>,
    user: SessionUser,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let q = query_of(&pairs);
    let found = state.store.related(&user.actor, &q).await?;
    let picked = pairs
        .iter()
        .find(|(k, _)| k == "related")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let lines: Vec<Line> = found
        .into_iter()
        .take(SHOWN_MAX)
        .enumerate()
        .map(|(i, r)| Line::new(i, r))
        .collect();
    let kept = lines.iter().any(|l| {
        picked
            .split_once(':')
            .is_some_and(|(_, code)| code == l.code)
    });
    Ok(render(RelatedFragment {
        duplicates: pairs.iter().any(|(k, _)| k == "summary"),
        lines,
        picked,
        kept,
    }))
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    chrome: crate::pages::Chrome,
    p: danvan_store::people::PersonRecords,
}

/// GET /people/{id}: every visit and petition of a citizen that the reader may see with their
/// identity, with counts (repeat petitioners).
pub async fn person(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let p = state.store.person_records(&user.actor, id).await?;
    Ok(render(PersonPage {
        chrome: crate::pages::chrome(&user, "cases"),
        p,
    }))
}

//! The state-management work a unit records for form 06/QLKNTC: inspections of how units apply
//! the law on reception, complaints and denunciations; dissemination and training sessions;
//! directing documents. One page per year lists them and takes a new one.

use crate::AppState;
use crate::auth::{SessionUser, posted_form};
use crate::error::WebError;
use crate::pages::saved_or_again;
use crate::pages::{Chrome, chrome, render, unit_options};
use crate::view::{FormState, Opt, Pairs, date, num, options, year_bounds, year_param};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use danvan_domain::access::{Action, RecordRef};
use danvan_domain::management::{ActivityDraft, ActivityKind};
use std::collections::HashMap;

struct ActivityLine {
    id: i64,
    date: String,
    kind: String,
    unit: String,
    title: String,
    /// "3 đơn vị được thanh tra, 1 có vi phạm …": the amounts its kind has.
    amounts: String,
    note: String,
    removable: bool,
}

#[derive(Template)]
#[template(path = "management.html")]
struct ManagementPage {
    chrome: Chrome,
    year: i32,
    rows: Vec<ActivityLine>,
    unit_opts: Vec<Opt>,
    kind_opts: Vec<Opt>,
    form: FormState,
}

fn amounts(a: &danvan_store::management::ActivityRow) -> String {
    match a.kind {
        ActivityKind::Inspection => format!(
            "{} đơn vị được thanh tra, kiểm tra; {} có vi phạm; {} cá nhân bị kiến nghị xử lý",
            num(a.units_covered),
            num(a.units_in_breach),
            num(a.people_recommended)
        ),
        ActivityKind::Dissemination => format!("{} lượt người tham dự", num(a.participants)),
        ActivityKind::Document => String::new(),
    }
}

async fn page(
    state: &AppState,
    user: &SessionUser,
    year: i32,
    form: FormState,
) -> Result<Response, WebError> {
    let (first, last) = year_bounds(year, state.today());
    let rows = state
        .store
        .activities(&user.actor, first, last)
        .await?
        .into_iter()
        .map(|a| ActivityLine {
            id: a.id,
            date: date(a.activity_date),
            kind: a.kind.label().to_owned(),
            amounts: amounts(&a),
            unit: a.unit_name,
            title: a.title,
            note: a.note,
            removable: a.removable,
        })
        .collect();
    let actor = user.actor.clone();
    let unit_opts = unit_options(state, user, form.v("unit"), move |p| {
        actor.may(Action::RecordManagement(RecordRef { unit_path: p }))
    })
    .await?;
    Ok(render(ManagementPage {
        chrome: chrome(user, "summary"),
        year,
        rows,
        unit_opts,
        kind_opts: options(ActivityKind::choices(), form.v("kind")),
        form,
    }))
}

/// GET /management?year=2026
pub async fn management(
    State(state): State<AppState>,
    user: SessionUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let year = year_param(&q, state.today());
    page(&state, &user, year, FormState::default()).await
}

/// POST /management: a new activity; a refused one comes back with every fault named.
pub async fn add(
    State(state): State<AppState>,
    user: SessionUser,
    Form(pairs): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, pairs)?;
    let draft = ActivityDraft {
        unit: f.take("unit"),
        kind: f.take("kind"),
        activity_date: f.take("activity_date"),
        title: f.take("title"),
        units_covered: f.take("units_covered"),
        units_in_breach: f.take("units_in_breach"),
        people_recommended: f.take("people_recommended"),
        participants: f.take("participants"),
        note: f.take("note"),
    };
    let today = state.today();
    let year = danvan_domain::format::parse_date(&draft.activity_date)
        .map(|d| d.year())
        .unwrap_or(today.year());
    let result = state
        .store
        .add_activity(&user.actor, &draft, today)
        .await
        .map(|_| year);
    saved_or_again(
        result,
        f,
        |year| format!("/management?year={year}"),
        |form| page(&state, &user, year, form),
    )
    .await
}

/// POST /management/{id}/remove
pub async fn remove(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
    Form(pairs): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, pairs)?;
    state.store.remove_activity(&user.actor, id).await?;
    let year = f.v("year").parse::<i32>().unwrap_or(state.today().year());
    Ok(Redirect::to(&format!("/management?year={year}")).into_response())
}

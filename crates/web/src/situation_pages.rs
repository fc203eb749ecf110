//! Situation monitoring pages: the overview for a period and an area (levels and hotspots by
//! unit, a chart, the trend by month, the registers' signals), the reports list and form, and
//! a report with its hotspots.

use crate::AppState;
use crate::auth::{SessionUser, posted_form};
use crate::coordination_pages::{Pairs, all, coordination_units, visible_units};
use crate::error::WebError;
use crate::pages::saved_or_again;
use crate::pages::{Chrome, chrome, render};
use crate::view::{FormState, Opt, Pager, date, num, options, qs};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use danvan_domain::coordination::{HotspotDraft, HotspotStatus, SituationDraft, SituationLevel};
use danvan_store::Page;
use danvan_store::coordination::{HotspotRow, SituationDetail, SituationOverview};
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "situation.html")]
struct SituationPage {
    chrome: Chrome,
    o: SituationOverview,
    filter_error: String,
    /// The registers' signals beside the reports: (label, figure).
    signals: Vec<(&'static str, String)>,
    from: String,
    to: String,
    area_opts: Vec<Opt>,
    level_filter: Vec<Opt>,
    level_chart: String,
    trend_chart: String,
    reports: Vec<ReportLine>,
    pager: Pager,
    may_create: bool,
    unit_opts: Vec<Opt>,
    level_opts: Vec<Opt>,
    topics: Vec<(String, String, bool)>,
    form: FormState,
}

struct ReportLine {
    id: i64,
    unit: String,
    period: String,
    level: String,
    level_code: &'static str,
    topics: String,
    hotspots: i64,
}

/// The period asked for, by default this year up to today; a period that is not one is said
/// and the default shown.
fn period(q: &HashMap<String, String>, today: NaiveDate) -> (NaiveDate, NaiveDate, String) {
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let (from, to, error) = match crate::view::date_range(get("from"), get("to")) {
        Ok((from, to)) => (from, to, String::new()),
        Err(e) => (None, None, e),
    };
    let from = from
        .or_else(|| NaiveDate::from_ymd_opt(today.year(), 1, 1))
        .unwrap_or(today);
    (from, to.unwrap_or(today).max(from), error)
}

async fn situation_page(
    state: &AppState,
    user: &SessionUser,
    q: &HashMap<String, String>,
    form: FormState,
    topics_chosen: &[String],
) -> Result<Response, WebError> {
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let (from, to, filter_error) = period(q, state.today());
    let area_opts = visible_units(state, user, get("unit")).await?;
    let within = match get("unit") {
        "" => None,
        code => Some(
            state
                .store
                .unit_by_code(code)
                .await?
                .ok_or(WebError::NotFound)?
                .path,
        ),
    };
    let o = state
        .store
        .situation_overview(&user.actor, from, to, within.as_deref())
        .await?;
    let level = SituationLevel::parse(get("level"));
    let list = state
        .store
        .list_situations(
            &user.actor,
            Some(from),
            Some(to),
            within.as_deref(),
            level,
            Page::new(get("page").parse().unwrap_or(1), 50),
        )
        .await?;
    // Series graver first: the chart's first shade is red.
    let labels: Vec<String> = o.units.iter().take(12).map(|u| u.unit.clone()).collect();
    let level_chart = danvan_reports::chart::columns(
        "Báo cáo tình hình theo đơn vị, địa bàn",
        &labels,
        &[
            (
                "Ổn định",
                o.units.iter().take(12).map(|u| u.stable).collect(),
            ),
            (
                "Có biểu hiện phức tạp",
                o.units.iter().take(12).map(|u| u.signs).collect(),
            ),
            (
                "Phức tạp",
                o.units.iter().take(12).map(|u| u.complex).collect(),
            ),
        ],
    );
    let months: Vec<String> = o.trend.iter().map(|t| t.0.clone()).collect();
    let trend_chart = danvan_reports::chart::columns(
        "Diễn biến theo tháng",
        &months,
        &[
            ("Ổn định", o.trend.iter().map(|t| t.1).collect()),
            (
                "Có biểu hiện phức tạp",
                o.trend.iter().map(|t| t.2).collect(),
            ),
            ("Phức tạp", o.trend.iter().map(|t| t.3).collect()),
        ],
    );
    let query = format!(
        "from={}&to={}&unit={}&level={}",
        date(from),
        date(to),
        qs(get("unit")),
        qs(get("level"))
    );
    let unit_opts = coordination_units(state, user, form.v("unit")).await?;
    let topics = state
        .store
        .situation_topics(false)
        .await?
        .into_iter()
        .map(|t| {
            let on = topics_chosen.contains(&t.code);
            (t.code, t.label, on)
        })
        .collect();
    let signals = vec![
        (
            "Đoàn đông người (sổ tiếp)",
            format!("{}/{} người", num(o.group_visits), num(o.group_people)),
        ),
        ("Vụ việc phức tạp", num(o.complex_cases)),
        ("Vụ việc kéo dài", num(o.prolonged_cases)),
        ("Liên quan dân tộc", num(o.ethnic_cases)),
        ("Liên quan tôn giáo", num(o.religious_cases)),
        ("Điểm nóng trong kỳ", num(o.hotspots.len() as i64)),
    ];
    Ok(render(SituationPage {
        chrome: chrome(user, "situation"),
        filter_error,
        signals,
        from: date(from),
        to: date(to),
        area_opts,
        level_filter: options(
            std::iter::once(("", "Tất cả")).chain(SituationLevel::choices()),
            get("level"),
        ),
        level_chart,
        trend_chart,
        pager: Pager::new(&list, "/situation", &query),
        reports: list
            .items
            .into_iter()
            .map(|s| ReportLine {
                id: s.id,
                unit: s.unit,
                period: format!("{} – {}", date(s.period_from), date(s.period_to)),
                level: s.level.label().to_owned(),
                level_code: s.level.code(),
                topics: s.topics.join(", "),
                hotspots: s.hotspots,
            })
            .collect(),
        may_create: !unit_opts.is_empty(),
        unit_opts,
        level_opts: options(SituationLevel::choices(), form.v("level")),
        topics,
        form,
        o,
    }))
}

pub async fn situation(
    State(state): State<AppState>,
    user: SessionUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    situation_page(&state, &user, &q, FormState::default(), &[]).await
}

pub async fn create_report(
    State(state): State<AppState>,
    user: SessionUser,
    axum::Form(pairs): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, pairs.clone())?;
    let topics = all(&pairs, "topics");
    let d = SituationDraft {
        unit: f.take("unit"),
        period_from: f.take("period_from"),
        period_to: f.take("period_to"),
        level: f.take("level"),
        topics: topics.clone(),
        narrative: f.take("narrative"),
        recommendations: f.take("recommendations"),
    };
    let result = state.store.create_situation(&user.actor, &d).await;
    // The refused form comes back on the list's first page, unfiltered.
    let no_query = HashMap::new();
    saved_or_again(
        result,
        f,
        |id| format!("/situation/reports/{id}"),
        |form| situation_page(&state, &user, &no_query, form, &topics),
    )
    .await
}

#[derive(Template)]
#[template(path = "situation_report.html")]
struct ReportPage {
    chrome: Chrome,
    s: SituationDetail,
    period: String,
    hotspots: Vec<HotspotLine>,
    area_opts: Vec<Opt>,
    status_opts: Vec<Opt>,
    form: FormState,
    tasks: Vec<(i64, String)>,
}

struct HotspotLine {
    pub id: i64,
    pub place: String,
    pub area: String,
    pub since: String,
    pub people: String,
    pub status: String,
    pub status_code: &'static str,
    pub measures: String,
    pub cases: Vec<(String, String)>,
    pub group_visits: String,
}

fn hotspot_line(h: &HotspotRow) -> HotspotLine {
    HotspotLine {
        id: h.id,
        place: h.place.clone(),
        area: h.area.clone(),
        since: date(h.since),
        people: num(h.people),
        status: h.status.label().to_owned(),
        status_code: h.status.code(),
        measures: h.measures.clone(),
        cases: h.cases.clone(),
        group_visits: if h.group_visits == 0 {
            String::new()
        } else {
            format!(
                "{} đoàn đông người/{} người",
                num(h.group_visits),
                num(h.group_people)
            )
        },
    }
}

async fn report_page(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    form: FormState,
) -> Result<Response, WebError> {
    let s = state.store.situation(&user.actor, id).await?;
    let tasks = state
        .store
        .linked_tasks(
            &user.actor,
            danvan_domain::coordination::LinkKind::Situation,
            &id.to_string(),
        )
        .await?;
    let area_opts = {
        let inside = s.unit_path.clone();
        let actor = user.actor.clone();
        crate::pages::unit_options(state, user, form.v("area_unit"), move |p| {
            p.starts_with(&inside)
                && actor.may(danvan_domain::Action::Coordinate(
                    danvan_domain::access::RecordRef { unit_path: p },
                ))
        })
        .await?
    };
    Ok(render(ReportPage {
        tasks,
        chrome: chrome(user, "situation"),
        period: format!("{} – {}", date(s.row.period_from), date(s.row.period_to)),
        hotspots: s.hotspots.iter().map(hotspot_line).collect(),
        area_opts,
        status_opts: options(HotspotStatus::choices(), form.v("status")),
        form,
        s,
    }))
}

pub async fn report(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    report_page(&state, &user, id, FormState::default()).await
}

pub async fn add_hotspot(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
    axum::Form(pairs): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, pairs)?;
    let people = match f.v("people").trim() {
        "" => Some(0),
        s => s.parse::<i64>().ok(),
    };
    let d = HotspotDraft {
        area_unit: f.take("area_unit"),
        place: f.take("place"),
        since: f.take("since"),
        people: people.unwrap_or(-1),
        status: f.take("status"),
        measures: f.take("measures"),
        cases: vec![f.take("cases")],
    };
    let result = state
        .store
        .add_hotspot(&user.actor, id, &d, state.today())
        .await;
    saved_or_again(
        result,
        f,
        |_| format!("/situation/reports/{id}"),
        |form| report_page(&state, &user, id, form),
    )
    .await
}

pub async fn update_hotspot(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
    axum::Form(pairs): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, pairs)?;
    let report = state
        .store
        .update_hotspot(&user.actor, id, f.v("status"), f.v("measures"))
        .await?;
    Ok(Redirect::to(&format!("/situation/reports/{report}")).into_response())
}

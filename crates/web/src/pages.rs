//! What the HTML pages share — the frame, labels, the registers' list filters, form helpers —
//! and the pages of no register: the dashboard, units, the heads' reception schedule, the
//! summary, the person lookup. The registers' own pages are in `visit_pages`,
//! `petition_pages` and `case_pages`; each handler there as here: who is asking, parse, one
//! store call, render.

use crate::AppState;
use crate::auth::{SessionUser, posted_form};
use crate::error::WebError;
use crate::view::{FormState, Opt, date, num, qs};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use danvan_domain::Role;
use danvan_domain::access::{Action, RecordRef};
use danvan_domain::format::parse_date;
use danvan_domain::records::{PersonDraft, PetitionType};
use danvan_domain::summary::Summary;
use danvan_store::{Page, StoreError, VisitFilter};
use std::collections::HashMap;

use crate::view::Pairs;
use crate::visit_pages::VisitLine;

pub(crate) fn render(t: impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template");
            WebError::Internal("Lỗi hiển thị trang".into()).into_response()
        }
    }
}

/// A page shown again because its form was refused: same page, status 422.
pub(crate) fn rejected(mut page: Response) -> Response {
    *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    page
}

/// A form's outcome: saved, on to `to(value)`; refused, the same page again (422) with each
/// message next to its field and what was typed kept.
pub(crate) async fn saved_or_again<T, Fut>(
    result: Result<T, StoreError>,
    mut form: FormState,
    to: impl FnOnce(T) -> String,
    again: impl FnOnce(FormState) -> Fut,
) -> Result<Response, WebError>
where
    Fut: std::future::Future<Output = Result<Response, WebError>>,
{
    match result {
        Ok(v) => Ok(Redirect::to(&to(v)).into_response()),
        Err(StoreError::Invalid(i)) => {
            form.errors = i.0;
            Ok(rejected(again(form).await?))
        }
        Err(e) => Err(e.into()),
    }
}

/// The frame of every page: who is signed in, the CSRF token for the logout form, the menu.
pub struct Chrome {
    pub user_name: String,
    pub role_label: String,
    pub csrf: String,
    pub active: &'static str,
    pub is_admin: bool,
    /// Administrators and leaders read the audit log.
    pub may_audit: bool,
}

pub(crate) fn chrome(u: &SessionUser, active: &'static str) -> Chrome {
    Chrome {
        user_name: u.full_name.clone(),
        role_label: u.actor.role.label().into(),
        csrf: u.csrf.clone(),
        active,
        is_admin: u.actor.may(Action::Administer),
        may_audit: u.actor.may(Action::ReadAuditLog),
    }
}

/// A role's Vietnamese name from its code.
pub fn role_label(code: &str) -> &'static str {
    Role::parse(code).map(Role::label).unwrap_or("")
}

pub async fn not_found() -> Response {
    WebError::NotFound.into_response()
}

// ---------------------------------------------------------------- labels

pub(crate) fn type_label(code: &str) -> String {
    PetitionType::parse(code)
        .map(|t| t.label().to_owned())
        .unwrap_or_else(|| code.to_owned())
}

pub(crate) struct Labels {
    fields: HashMap<String, String>,
}

impl Labels {
    pub(crate) async fn load(state: &AppState) -> Result<Self, WebError> {
        Ok(Labels {
            fields: state
                .store
                .fields()
                .await?
                .into_iter()
                .map(|f| (f.code, f.label))
                .collect(),
        })
    }
    pub(crate) fn field(&self, code: &str) -> String {
        self.fields
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_owned())
    }
}

pub(crate) async fn field_options(state: &AppState, current: &str) -> Result<Vec<Opt>, WebError> {
    let fields = state.store.fields().await?;
    Ok(fields
        .iter()
        .filter(|f| f.active)
        .map(|f| {
            let indent = if f.parent_code.is_some() { "— " } else { "" };
            Opt {
                code: f.code.clone(),
                label: format!("{indent}{}", f.label),
                selected: f.code == current,
            }
        })
        .collect())
}

/// The units a list may be filtered by: those of the reader's scope, "all" unless one is picked.
pub(crate) async fn unit_filter_options(
    state: &AppState,
    user: &SessionUser,
    current: &str,
) -> Result<Vec<Opt>, WebError> {
    Ok(unit_options(state, user, current, |p| user.actor.covers(p))
        .await?
        .into_iter()
        .map(|mut o| {
            o.selected = o.code == current;
            o
        })
        .collect())
}

pub(crate) async fn unit_options(
    state: &AppState,
    user: &SessionUser,
    current: &str,
    writable: impl Fn(&str) -> bool,
) -> Result<Vec<Opt>, WebError> {
    let units = state.store.units().await?;
    Ok(units
        .iter()
        .filter(|u| writable(&u.path) && u.valid_to.is_none())
        .map(|u| Opt {
            code: u.code.clone(),
            label: format!("{}{}", "· ".repeat(u.depth()), u.name),
            selected: u.code == current || (current.is_empty() && u.id == user.actor.unit_id),
        })
        .collect())
}

// ---------------------------------------------------------------- dashboard

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    period: String,
    summary_text: String,
    figures: Vec<(String, String)>,
    open_cases: String,
    inbox: String,
    overdue: String,
    due_soon: String,
    recent: Vec<VisitLine>,
    charts: Vec<String>,
    /// Coordination tasks past due that the reader's units lead or cooperate on.
    overdue_tasks: Vec<crate::coordination_pages::TaskLine>,
    overdue_tasks_total: String,
}

/// The reporting half-year containing `today`.
fn current_half(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let y = today.year();
    let ymd = |m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(today);
    if today.month() <= 6 {
        (ymd(1, 1), ymd(6, 30))
    } else {
        (ymd(7, 1), ymd(12, 31))
    }
}

fn summary_figures(s: &Summary) -> Vec<(String, String)> {
    vec![
        ("Lượt tiếp".into(), num(s.visits)),
        ("Vụ việc".into(), num(s.cases)),
        (
            "Đoàn đông người".into(),
            format!("{} lượt/{} người", num(s.group_visits), num(s.group_people)),
        ),
        ("Đơn tiếp nhận".into(), num(s.petitions)),
    ]
}

pub async fn dashboard(
    State(state): State<AppState>,
    user: SessionUser,
) -> Result<Response, WebError> {
    let (from, to) = current_half(state.today());
    let unit = state.store.unit_by_id(user.actor.unit_id).await?;
    let summary = state.store.summary(from, to, Some(&unit.code)).await?;
    let (open, inbox) = state.store.dashboard_counts(&user.actor.unit_path).await?;
    let (overdue, due_soon) = state
        .store
        .deadline_counts(&user.actor, state.today(), 5)
        .await?;
    let labels = Labels::load(&state).await?;
    let recent = state
        .store
        .list_visits(&user.actor, &VisitFilter::default(), Page::new(1, 8))
        .await?;
    let (tasks, tasks_total) = state
        .store
        .overdue_tasks(&user.actor, state.today(), 10)
        .await?;
    Ok(render(DashboardPage {
        overdue_tasks: tasks
            .iter()
            .map(crate::coordination_pages::task_line)
            .collect(),
        overdue_tasks_total: num(tasks_total),
        period: format!("{} – {} · {}", date(from), date(to), unit.name),
        summary_text: summary.text(),
        figures: summary_figures(&summary),
        open_cases: num(open),
        inbox: num(inbox),
        overdue: num(overdue),
        due_soon: num(due_soon),
        charts: crate::report_pages::charts(
            &state,
            &unit.code,
            danvan_reports::Period { from, to },
        )
        .await?,
        recent: recent
            .items
            .iter()
            .map(|v| VisitLine::from(v, &labels))
            .collect(),
        chrome: chrome(&user, "home"),
    }))
}

// ---------------------------------------------------------------- units, schedule, summary

pub struct UnitLine {
    pub code: String,
    pub name: String,
    pub indent: usize,
    pub kind: String,
    pub area: String,
    pub validity: String,
    pub successor: String,
}

#[derive(Template)]
#[template(path = "units.html")]
struct UnitsPage {
    chrome: Chrome,
    rows: Vec<UnitLine>,
}

pub async fn units(State(state): State<AppState>, user: SessionUser) -> Result<Response, WebError> {
    let units = state.store.units().await?;
    let by_id: HashMap<i64, String> = units.iter().map(|u| (u.id, u.name.clone())).collect();
    let rows = units
        .iter()
        .map(|u| UnitLine {
            code: u.code.clone(),
            name: u.name.clone(),
            indent: u.depth() * 18,
            kind: danvan_domain::records::UnitKind::parse(&u.kind)
                .map(|k| k.label())
                .unwrap_or("")
                .into(),
            area: u.area_code.clone().unwrap_or_default(),
            validity: match (&u.valid_from, &u.valid_to) {
                (None, None) => String::new(),
                (f, t) => format!(
                    "{} – {}",
                    f.as_deref()
                        .and_then(parse_date)
                        .map(date)
                        .unwrap_or_default(),
                    t.as_deref()
                        .and_then(parse_date)
                        .map(date)
                        .unwrap_or_else(|| "nay".into())
                ),
            },
            successor: u
                .successor_id
                .and_then(|id| by_id.get(&id).cloned())
                .unwrap_or_default(),
        })
        .collect();
    Ok(render(UnitsPage {
        rows,
        chrome: chrome(&user, "units"),
    }))
}

pub struct ScheduleLine {
    pub id: i64,
    pub date: String,
    pub unit: String,
    pub leader: String,
    pub held: String,
    pub pending: bool,
}

#[derive(Template)]
#[template(path = "schedule.html")]
struct SchedulePage {
    chrome: Chrome,
    rows: Vec<ScheduleLine>,
    unit_opts: Vec<Opt>,
    year: i32,
    may_manage: bool,
}

pub async fn schedule(
    State(state): State<AppState>,
    user: SessionUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let year = crate::view::year_param(&q, state.today());
    let (from, to) = crate::view::year_bounds(year, state.today());
    let rows = state
        .store
        .schedule(&user.actor, from, to)
        .await?
        .into_iter()
        .map(|s| ScheduleLine {
            id: s.id,
            date: date(s.scheduled_on),
            unit: s.unit_name,
            leader: s.leader_name,
            held: match s.held {
                Some(true) => "Đã tiếp".into(),
                Some(false) => "Không tiếp".into(),
                None => "Chưa đến ngày / chưa cập nhật".into(),
            },
            pending: s.held.is_none(),
        })
        .collect();
    let actor = user.actor.clone();
    Ok(render(SchedulePage {
        rows,
        unit_opts: unit_options(&state, &user, "", |p| {
            actor.may(Action::ManageSchedule(RecordRef { unit_path: p }))
        })
        .await?,
        year,
        may_manage: user.actor.may(Action::ManageSchedule(RecordRef {
            unit_path: &user.actor.unit_path,
        })),
        chrome: chrome(&user, "schedule"),
    }))
}

pub async fn add_schedule(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, form)?;
    let on = parse_date(f.v("scheduled_on"))
        .ok_or_else(|| WebError::BadRequest("Ngày tiếp không hợp lệ (dd/mm/yyyy)".into()))?;
    state
        .store
        .add_schedule(&user.actor, f.v("unit_code"), f.v("leader_name"), on)
        .await?;
    Ok(Redirect::to(&format!("/schedule?year={}", on.year())).into_response())
}

pub async fn mark_schedule(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, form)?;
    state
        .store
        .mark_schedule(&user.actor, id, f.v("held") == "1", f.v("note"))
        .await?;
    Ok(Redirect::to("/schedule").into_response())
}

#[derive(Template)]
#[template(path = "summary.html")]
struct SummaryPage {
    chrome: Chrome,
    from: String,
    to: String,
    unit_opts: Vec<Opt>,
    text: String,
    figures: Vec<(String, String)>,
    leading: Vec<(String, String)>,
    error: String,
}

pub async fn summary(
    State(state): State<AppState>,
    user: SessionUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (default_from, default_to) = current_half(state.today());
    let from_s = q.get("from").cloned().unwrap_or_else(|| date(default_from));
    let to_s = q.get("to").cloned().unwrap_or_else(|| date(default_to));
    let unit_code = q
        .get("unit")
        .cloned()
        .filter(|u| !u.is_empty())
        .unwrap_or(state.store.unit_by_id(user.actor.unit_id).await?.code);
    let units = state.store.units().await?;
    let allowed: Vec<&danvan_store::UnitRow> = units
        .iter()
        .filter(|u| {
            user.actor
                .may(Action::ViewAggregates(RecordRef { unit_path: &u.path }))
        })
        .collect();
    let unit_opts = allowed
        .iter()
        .map(|u| Opt {
            code: u.code.clone(),
            label: format!("{}{}", "· ".repeat(u.depth()), u.name),
            selected: u.code == unit_code,
        })
        .collect();
    let mut page = SummaryPage {
        chrome: chrome(&user, "summary"),
        from: from_s.clone(),
        to: to_s.clone(),
        unit_opts,
        text: String::new(),
        figures: vec![],
        leading: vec![],
        error: String::new(),
    };
    match (parse_date(&from_s), parse_date(&to_s)) {
        (Some(from), Some(to)) if from <= to => {
            if !allowed.iter().any(|u| u.code == unit_code) {
                return Err(WebError::Forbidden);
            }
            let s = state.store.summary(from, to, Some(&unit_code)).await?;
            page.text = s.text();
            page.figures = summary_figures(&s);
            page.leading = s
                .leading_fields
                .iter()
                .map(|f| (f.label.clone(), num(f.count)))
                .collect();
        }
        (Some(_), Some(_)) => page.error = "Ngày kết thúc phải sau ngày bắt đầu".into(),
        _ => page.error = "Ngày không hợp lệ (dd/mm/yyyy)".into(),
    }
    Ok(render(page))
}

// ---------------------------------------------------------------- people

#[derive(Template)]
#[template(path = "person_lookup.html")]
struct PersonLookup {
    known: Option<danvan_store::KnownPerson>,
}

/// htmx: while an ID number is typed on a form, who this citizen is and their earlier visits
/// and petitions, from the records the reader may see with identity shown (otherwise empty).
/// The value comes under the input's own name (`people[0].id_number`, `sender.id_number`).
pub async fn person_lookup(
    State(state): State<AppState>,
    user: SessionUser,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let number = q
        .iter()
        .find(|(k, _)| k.ends_with("id_number"))
        .map(|(_, v)| v.trim())
        .unwrap_or("");
    let known = state.store.known_person(&user.actor, number).await?;
    Ok(render(PersonLookup { known }))
}

/// Filters shared by the registers, as they arrive in the query string.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct ListQuery {
    #[serde(default)]
    pub(crate) from: String,
    #[serde(default)]
    pub(crate) to: String,
    #[serde(default)]
    pub(crate) unit: String,
    #[serde(default, rename = "type")]
    pub(crate) petition_type: String,
    #[serde(default)]
    pub(crate) field: String,
    #[serde(default)]
    pub(crate) group: String,
    #[serde(default)]
    pub(crate) q: String,
    #[serde(default)]
    pub(crate) decision: String,
    #[serde(default)]
    pub(crate) status: String,
    #[serde(default)]
    pub(crate) page: Option<i64>,
}

impl ListQuery {
    pub(crate) fn query_string(&self) -> String {
        let mut parts = vec![];
        for (k, v) in [
            ("from", &self.from),
            ("to", &self.to),
            ("unit", &self.unit),
            ("type", &self.petition_type),
            ("field", &self.field),
            ("group", &self.group),
            ("q", &self.q),
            ("decision", &self.decision),
            ("status", &self.status),
        ] {
            if !v.is_empty() {
                parts.push(format!("{k}={}", qs(v)));
            }
        }
        parts.join("&")
    }
    pub(crate) fn none_if_empty(s: &str) -> Option<String> {
        Some(s.trim().to_owned()).filter(|s| !s.is_empty())
    }
    /// Dates as typed; a malformed one is reported, not ignored.
    pub(crate) fn dates(&self) -> Result<(Option<NaiveDate>, Option<NaiveDate>), String> {
        crate::view::date_range(&self.from, &self.to)
    }
    pub(crate) async fn unit_path(&self, state: &AppState) -> Result<Option<String>, WebError> {
        match Self::none_if_empty(&self.unit) {
            None => Ok(None),
            Some(code) => Ok(Some(
                state
                    .store
                    .unit_by_code(&code)
                    .await?
                    .map(|u| u.path)
                    .unwrap_or_else(|| "/none/".into()),
            )),
        }
    }
}

pub(crate) fn person_draft(f: &FormState, prefix: &str) -> PersonDraft {
    PersonDraft {
        full_name: f.take(&format!("{prefix}full_name")),
        id_number: f.take(&format!("{prefix}id_number")),
        birth_year: f.take(&format!("{prefix}birth_year")),
        address: f.take(&format!("{prefix}address")),
        area_code: f.take(&format!("{prefix}area_code")),
        phone: f.take(&format!("{prefix}phone")),
    }
}

pub(crate) async fn field_checker(
    state: &AppState,
) -> Result<impl Fn(&str) -> bool + Sync + Send, WebError> {
    let codes: Vec<String> = state
        .store
        .fields()
        .await?
        .into_iter()
        .filter(|f| f.active)
        .map(|f| f.code)
        .collect();
    Ok(move |c: &str| codes.iter().any(|x| x == c))
}

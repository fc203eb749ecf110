//! The HTML pages. Each handler: who is asking, parse, one store call, render.

use crate::AppState;
use crate::auth::{SESSION_COOKIE, SessionUser, check_csrf};
use crate::error::WebError;
use crate::view::{FormState, Opt, Pager, date, num, opt_date, options, qs};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use danvan_domain::Role;
use danvan_domain::access::{Action, RecordRef};
use danvan_domain::format::parse_date;
use danvan_domain::records::{
    CaseStatus, Decision, PersonDraft, PetitionDraft, PetitionSource, PetitionType, SenderKind,
    VisitDraft, VisitHandling, VisitKind, VisitMode,
};
use danvan_domain::summary::Summary;
use danvan_store::{CaseFilter, Page, PetitionFilter, VisitFilter};
use std::collections::HashMap;

use crate::view::Pairs;

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

// ---------------------------------------------------------------- login

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    error: String,
    username: String,
}

pub async fn login_form() -> Response {
    render(LoginPage {
        error: String::new(),
        username: String::new(),
    })
}

pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = FormState::from_pairs(form);
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if origin.split_once("://").map(|(_, h)| h) != Some(host) {
            return Err(WebError::Forbidden);
        }
    }
    let username = f.v("username").trim().to_owned();
    let refused = |error: String, username: String| {
        let page = render(LoginPage { error, username });
        Ok((StatusCode::UNAUTHORIZED, page).into_response())
    };
    match state.store.verify_login(&username, f.v("password")).await? {
        danvan_store::Login::Ok(user_id) if state.store.needs_totp(user_id).await? => {
            // The password was right; the session waits for the authenticator's code.
            let challenge = state.store.create_login_challenge(user_id).await?;
            Ok(render(LoginTotpPage {
                challenge,
                error: String::new(),
            }))
        }
        danvan_store::Login::Ok(user_id) => signed_in(&state, user_id).await,
        danvan_store::Login::Refused => {
            refused("Tên đăng nhập hoặc mật khẩu không đúng".into(), username)
        }
        danvan_store::Login::Locked { until } => {
            let until = crate::view::timestamp(&until);
            refused(
                format!(
                    "Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần: thử lại sau {until}, hoặc đề nghị quản trị mở khóa"
                ),
                username,
            )
        }
    }
}

/// Opens the session and sets its cookie.
async fn signed_in(state: &AppState, user_id: i64) -> Result<Response, WebError> {
    let token = state
        .store
        .create_session(user_id, chrono::Duration::hours(10))
        .await?;
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=36000{secure}"
    );
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/")).into_response())
}

#[derive(Template)]
#[template(path = "login_totp.html")]
struct LoginTotpPage {
    challenge: String,
    error: String,
}

/// The second step of a sign-in with a second factor.
pub async fn login_totp(
    State(state): State<AppState>,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = FormState::from_pairs(form);
    match state
        .store
        .verify_login_challenge(f.v("challenge"), f.v("code"))
        .await?
    {
        danvan_store::Login::Ok(user_id) => signed_in(&state, user_id).await,
        danvan_store::Login::Locked { .. } => {
            let page = render(LoginPage {
                error: "Tài khoản tạm khóa do nhập sai nhiều lần; thử lại sau, hoặc đề nghị quản trị mở khóa".into(),
                username: String::new(),
            });
            Ok((StatusCode::UNAUTHORIZED, page).into_response())
        }
        danvan_store::Login::Refused => {
            let page = render(LoginTotpPage {
                challenge: f.take("challenge"),
                error: "Mã xác thực không đúng hoặc đã hết hạn".into(),
            });
            Ok((StatusCode::UNAUTHORIZED, page).into_response())
        }
    }
}

/// An administrator turns off a user's second factor (a lost phone), audited.
pub async fn admin_totp_reset(
    State(state): State<AppState>,
    user: SessionUser,
    Path(username): Path<String>,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = FormState::from_pairs(form);
    check_csrf(&user, Some(f.v("_csrf")))?;
    let result = state.store.totp_off(&user.actor, &username, None).await;
    admin_done(
        &state,
        &user,
        "password",
        f,
        result,
        "Đã tắt xác thực hai bước",
    )
    .await
}

pub async fn logout(
    State(state): State<AppState>,
    user: SessionUser,
    headers: HeaderMap,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = FormState::from_pairs(form);
    check_csrf(&user, Some(f.v("_csrf")))?;
    if let Some(raw) = crate::auth::cookie(&headers, SESSION_COOKIE) {
        state.store.delete_session(raw).await?;
    }
    let cookie = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}

// ---------------------------------------------------------------- labels

fn type_label(code: &str) -> String {
    PetitionType::parse(code)
        .map(|t| t.label().to_owned())
        .unwrap_or_else(|| code.to_owned())
}

struct Labels {
    fields: HashMap<String, String>,
}

impl Labels {
    async fn load(state: &AppState) -> Result<Self, WebError> {
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
    fn field(&self, code: &str) -> String {
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

// ---------------------------------------------------------------- visits

pub struct VisitLine {
    pub code: String,
    pub date: String,
    pub person: String,
    pub address: String,
    pub id_number: String,
    pub masked: bool,
    pub content: String,
    pub kind: String,
    pub petition_type: String,
    pub field: String,
    pub people: String,
    pub group: bool,
    pub earlier: String,
    pub handling: String,
    pub follow_up: String,
    pub case_code: String,
    pub unit: String,
    pub repeat: bool,
}

impl VisitLine {
    fn from(v: &danvan_store::VisitRow, labels: &Labels) -> Self {
        VisitLine {
            code: v.code.clone(),
            date: date(v.visit_date),
            person: v.person_name.clone(),
            address: v.person_address.clone(),
            id_number: v.person_id_number.clone(),
            masked: v.identity_masked,
            content: v.content.clone(),
            kind: VisitKind::parse(&v.kind)
                .map(|k| k.label())
                .unwrap_or("")
                .into(),
            petition_type: type_label(&v.petition_type),
            field: labels.field(&v.field_code),
            people: num(v.headcount),
            group: v.is_group,
            earlier: v.earlier_handling.clone(),
            handling: VisitHandling::parse(&v.handling)
                .map(|h| h.label())
                .unwrap_or("")
                .into(),
            follow_up: v.follow_up.clone(),
            case_code: v.case_code.clone(),
            unit: v.unit_name.clone(),
            repeat: !v.first_time,
        }
    }
}

/// Filters shared by the registers, as they arrive in the query string.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    unit: String,
    #[serde(default, rename = "type")]
    petition_type: String,
    #[serde(default)]
    field: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    page: Option<i64>,
}

impl ListQuery {
    fn query_string(&self) -> String {
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
    fn none_if_empty(s: &str) -> Option<String> {
        Some(s.trim().to_owned()).filter(|s| !s.is_empty())
    }
    /// Dates as typed; a malformed one is reported, not ignored.
    fn dates(&self) -> Result<(Option<NaiveDate>, Option<NaiveDate>), String> {
        crate::view::date_range(&self.from, &self.to)
    }
    async fn unit_path(&self, state: &AppState) -> Result<Option<String>, WebError> {
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

#[derive(Template)]
#[template(path = "visits.html")]
struct VisitsPage {
    chrome: Chrome,
    q: ListQuery,
    filter_error: String,
    rows: Vec<VisitLine>,
    pager: Pager,
    type_opts: Vec<Opt>,
    field_opts: Vec<Opt>,
    unit_opts: Vec<Opt>,
    may_create: bool,
}

pub async fn visits(
    State(state): State<AppState>,
    user: SessionUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let (dates, filter_error) = match q.dates() {
        Ok(d) => (d, String::new()),
        Err(e) => ((None, None), e),
    };
    let filter = VisitFilter {
        from: dates.0,
        to: dates.1,
        unit_path: q.unit_path(&state).await?,
        petition_type: ListQuery::none_if_empty(&q.petition_type),
        field_code: ListQuery::none_if_empty(&q.field),
        group: match q.group.as_str() {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        },
        text: ListQuery::none_if_empty(&q.q),
    };
    let page = Page::new(q.page.unwrap_or(1), 50);
    let list = state.store.list_visits(&user.actor, &filter, page).await?;
    let labels = Labels::load(&state).await?;
    Ok(render(VisitsPage {
        rows: list
            .items
            .iter()
            .map(|v| VisitLine::from(v, &labels))
            .collect(),
        pager: Pager::new(&list, "/visits", &q.query_string()),
        type_opts: options(
            PetitionType::ALL.iter().map(|t| (t.code(), t.label())),
            &q.petition_type,
        ),
        field_opts: field_options(&state, &q.field).await?,
        unit_opts: unit_filter_options(&state, &user, &q.unit).await?,
        may_create: user.actor.may(Action::RecordVisit(RecordRef {
            unit_path: &user.actor.unit_path,
        })),
        filter_error,
        q,
        chrome: chrome(&user, "visits"),
    }))
}

#[derive(Template)]
#[template(path = "visit_form.html")]
struct VisitFormPage {
    chrome: Chrome,
    f: FormState,
    unit_opts: Vec<Opt>,
    kind_opts: Vec<Opt>,
    mode_opts: Vec<Opt>,
    type_opts: Vec<Opt>,
    field_opts: Vec<Opt>,
    handling_opts: Vec<Opt>,
    person_rows: Vec<usize>,
    group_threshold: i64,
}

async fn visit_form(
    state: &AppState,
    user: &SessionUser,
    f: FormState,
) -> Result<VisitFormPage, WebError> {
    let actor = user.actor.clone();
    Ok(VisitFormPage {
        unit_opts: unit_options(state, user, f.v("unit_code"), |p| {
            actor.may(Action::RecordVisit(RecordRef { unit_path: p }))
        })
        .await?,
        kind_opts: options(
            VisitKind::ALL.iter().map(|k| (k.code(), k.label())),
            if f.v("kind").is_empty() {
                "regular"
            } else {
                f.v("kind")
            },
        ),
        mode_opts: options(
            VisitMode::ALL.iter().map(|k| (k.code(), k.label())),
            f.v("mode"),
        ),
        type_opts: options(
            PetitionType::ALL.iter().map(|k| (k.code(), k.label())),
            f.v("petition_type"),
        ),
        field_opts: field_options(state, f.v("field_code")).await?,
        handling_opts: options(
            VisitHandling::ALL.iter().map(|k| (k.code(), k.label())),
            f.v("handling"),
        ),
        person_rows: vec![0, 1, 2],
        group_threshold: state.store.group_threshold().await?,
        chrome: chrome(user, "visits"),
        f,
    })
}

pub async fn new_visit(
    State(state): State<AppState>,
    user: SessionUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    if !user.actor.may(Action::RecordVisit(RecordRef {
        unit_path: &user.actor.unit_path,
    })) && user.actor.role != danvan_domain::Role::Admin
    {
        return Err(WebError::Forbidden);
    }
    let mut f = FormState::default();
    f.values.insert("visit_date".into(), date(state.today()));
    f.values
        .insert("receiver_name".into(), user.full_name.clone());
    if let Some(c) = q.get("case") {
        f.values.insert("case_code".into(), c.clone());
    }
    Ok(render(visit_form(&state, &user, f).await?))
}

fn person_draft(f: &FormState, prefix: &str) -> PersonDraft {
    PersonDraft {
        full_name: f.take(&format!("{prefix}full_name")),
        id_number: f.take(&format!("{prefix}id_number")),
        birth_year: f.take(&format!("{prefix}birth_year")),
        address: f.take(&format!("{prefix}address")),
        area_code: f.take(&format!("{prefix}area_code")),
        phone: f.take(&format!("{prefix}phone")),
    }
}

pub(crate) fn visit_draft(f: &FormState) -> VisitDraft {
    VisitDraft {
        unit_code: f.take("unit_code"),
        visit_date: f.take("visit_date"),
        visit_time: f.take("visit_time"),
        place: f.take("place"),
        kind: f.take("kind"),
        mode: f.take("mode"),
        receiver_name: f.take("receiver_name"),
        is_group: f.checked("is_group"),
        headcount: f.take("headcount"),
        representatives: f.take("representatives"),
        people: (0..10)
            .map(|i| person_draft(f, &format!("people[{i}].")))
            .collect(),
        content: f.take("content"),
        petition_type: f.take("petition_type"),
        field_code: f.take("field_code"),
        case_code: f.take("case_code"),
        documents: f.take("documents"),
        earlier_handling: f.take("earlier_handling"),
        handling: f.take("handling"),
        follow_up: f.take("follow_up"),
        refused: f.checked("refused"),
        refusal_reason: f.take("refusal_reason"),
        related: related_answers(f),
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

pub async fn create_visit(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let mut f = FormState::from_pairs(form);
    check_csrf(&user, Some(f.v("_csrf")))?;
    let draft = visit_draft(&f);
    let exists = field_checker(&state).await?;
    let rules = danvan_domain::records::VisitRules {
        today: state.today(),
        group_threshold: state.store.group_threshold().await?,
        field_exists: &exists,
    };
    let result = match draft.check(&rules) {
        Ok(input) => state
            .store
            .create_visit(&user.actor, &draft.unit_code, &input)
            .await
            .map_err(WebError::from),
        Err(inv) => Err(WebError::Invalid(inv.0)),
    };
    match result {
        Ok(code) => Ok(Redirect::to(&format!("/visits/{code}?created=1")).into_response()),
        Err(WebError::Invalid(errors)) => {
            f.errors = errors;
            Ok(rejected(render(visit_form(&state, &user, f).await?)))
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "visit.html")]
struct VisitPage {
    chrome: Chrome,
    v: VisitLine,
    d: danvan_store::VisitDetail,
    time: String,
    mode: String,
    created: bool,
    letters: Vec<danvan_store::letters::Letter>,
    letter_kinds: Vec<(&'static str, &'static str)>,
    letter_record: String,
}

pub async fn visit(
    State(state): State<AppState>,
    user: SessionUser,
    Path(code): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let d = state.store.visit_detail(&user.actor, &code).await?;
    let labels = Labels::load(&state).await?;
    let (letters, letter_kinds) =
        record_letters(&state, &user, &d.row.case_code, &code, true).await?;
    Ok(render(VisitPage {
        letters,
        letter_kinds,
        letter_record: code.clone(),
        v: VisitLine::from(&d.row, &labels),
        time: d.row.visit_time.clone().unwrap_or_default(),
        mode: VisitMode::parse(&d.row.mode)
            .map(|m| m.label())
            .unwrap_or("")
            .into(),
        created: q.contains_key("created"),
        d,
        chrome: chrome(&user, "visits"),
    }))
}

#[derive(Template)]
#[template(path = "receipt.html")]
struct ReceiptPage {
    v: VisitLine,
    d: danvan_store::VisitDetail,
    today: String,
}

pub async fn receipt(
    State(state): State<AppState>,
    user: SessionUser,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let d = state.store.visit_detail(&user.actor, &code).await?;
    let labels = Labels::load(&state).await?;
    Ok(render(ReceiptPage {
        v: VisitLine::from(&d.row, &labels),
        today: date(d.row.visit_date),
        d,
    }))
}

// ---------------------------------------------------------------- petitions

pub struct PetitionLine {
    pub code: String,
    pub arrival_no: String,
    pub date: String,
    pub unit: String,
    pub sender: String,
    pub masked: bool,
    pub sender_kind: String,
    pub petition_type: String,
    pub field: String,
    pub summary: String,
    pub decision: String,
    pub decision_date: String,
    pub target: String,
    pub case_code: String,
    pub transfer_status: String,
}

impl PetitionLine {
    fn from(p: &danvan_store::PetitionRow, labels: &Labels) -> Self {
        let kind = SenderKind::parse(&p.sender_kind)
            .map(|k| k.label())
            .unwrap_or("");
        PetitionLine {
            code: p.code.clone(),
            arrival_no: p.arrival_no.clone(),
            date: date(p.received_date),
            unit: p.unit_name.clone(),
            sender: p.sender_name.clone(),
            masked: p.identity_masked,
            sender_kind: if p.sender_kind == "many" {
                format!("{kind} ({} người)", num(p.signer_count))
            } else {
                kind.to_owned()
            },
            petition_type: type_label(&p.petition_type),
            field: labels.field(&p.field_code),
            summary: p.summary.clone(),
            decision: p
                .decision
                .as_deref()
                .and_then(Decision::parse)
                .map(|d| d.label())
                .unwrap_or("Chưa xử lý")
                .into(),
            decision_date: opt_date(p.decision_date),
            target: p.target_unit_name.clone().unwrap_or_default(),
            case_code: p.case_code.clone(),
            transfer_status: match p.transfer_status.as_deref() {
                Some("pending") => "Chờ trả lời".into(),
                Some("accepted") => "Đã thụ lý".into(),
                Some("returned") => "Trả lại".into(),
                _ => String::new(),
            },
        }
    }
}

#[derive(Template)]
#[template(path = "petitions.html")]
struct PetitionsPage {
    chrome: Chrome,
    title: &'static str,
    base: &'static str,
    q: ListQuery,
    filter_error: String,
    rows: Vec<PetitionLine>,
    pager: Pager,
    type_opts: Vec<Opt>,
    field_opts: Vec<Opt>,
    decision_opts: Vec<Opt>,
    may_create: bool,
}

async fn petition_list(
    state: AppState,
    user: SessionUser,
    q: ListQuery,
    inbox: bool,
) -> Result<Response, WebError> {
    let (dates, filter_error) = match q.dates() {
        Ok(d) => (d, String::new()),
        Err(e) => ((None, None), e),
    };
    let filter = PetitionFilter {
        from: dates.0,
        to: dates.1,
        unit_path: q.unit_path(&state).await?,
        petition_type: ListQuery::none_if_empty(&q.petition_type),
        field_code: ListQuery::none_if_empty(&q.field),
        decision: ListQuery::none_if_empty(&q.decision),
        text: ListQuery::none_if_empty(&q.q),
        inbox,
    };
    let page = Page::new(q.page.unwrap_or(1), 50);
    let list = state
        .store
        .list_petitions(&user.actor, &filter, page)
        .await?;
    let labels = Labels::load(&state).await?;
    let base = if inbox { "/inbox" } else { "/petitions" };
    let mut decisions = vec![("none", "Chưa xử lý")];
    decisions.extend(Decision::ALL.iter().map(|d| (d.code(), d.label())));
    Ok(render(PetitionsPage {
        title: if inbox {
            "Đơn chuyển đến (chờ trả lời)"
        } else {
            "Sổ xử lý đơn"
        },
        base,
        rows: list
            .items
            .iter()
            .map(|p| PetitionLine::from(p, &labels))
            .collect(),
        pager: Pager::new(&list, base, &q.query_string()),
        type_opts: options(
            PetitionType::ALL.iter().map(|t| (t.code(), t.label())),
            &q.petition_type,
        ),
        field_opts: field_options(&state, &q.field).await?,
        decision_opts: options(decisions, &q.decision),
        may_create: user.actor.may(Action::HandlePetition(RecordRef {
            unit_path: &user.actor.unit_path,
        })),
        filter_error,
        q,
        chrome: chrome(&user, if inbox { "inbox" } else { "petitions" }),
    }))
}

pub async fn petitions(
    State(state): State<AppState>,
    user: SessionUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    petition_list(state, user, q, false).await
}

pub async fn inbox(
    State(state): State<AppState>,
    user: SessionUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    petition_list(state, user, q, true).await
}

#[derive(Template)]
#[template(path = "petition_form.html")]
struct PetitionFormPage {
    chrome: Chrome,
    f: FormState,
    unit_opts: Vec<Opt>,
    source_opts: Vec<Opt>,
    sender_opts: Vec<Opt>,
    type_opts: Vec<Opt>,
    field_opts: Vec<Opt>,
    decision_opts: Vec<Opt>,
    target_opts: Vec<Opt>,
    yesno_eligible: Vec<Opt>,
    yesno_competent: Vec<Opt>,
}

async fn petition_form(
    state: &AppState,
    user: &SessionUser,
    f: FormState,
) -> Result<PetitionFormPage, WebError> {
    let actor = user.actor.clone();
    let all_units = state.store.units().await?;
    let yesno = |v: &str| options([("", "Chưa xác định"), ("1", "Có"), ("0", "Không")], v);
    Ok(PetitionFormPage {
        unit_opts: unit_options(state, user, f.v("unit_code"), |p| {
            actor.may(Action::HandlePetition(RecordRef { unit_path: p }))
        })
        .await?,
        source_opts: options(
            PetitionSource::ALL.iter().map(|k| (k.code(), k.label())),
            f.v("source"),
        ),
        sender_opts: options(
            SenderKind::ALL.iter().map(|k| (k.code(), k.label())),
            if f.v("sender_kind").is_empty() {
                "one"
            } else {
                f.v("sender_kind")
            },
        ),
        type_opts: options(
            PetitionType::ALL.iter().map(|k| (k.code(), k.label())),
            f.v("petition_type"),
        ),
        field_opts: field_options(state, f.v("field_code")).await?,
        decision_opts: options(
            std::iter::once(("", "Chưa xử lý"))
                .chain(Decision::ALL.iter().map(|k| (k.code(), k.label()))),
            f.v("decision"),
        ),
        target_opts: std::iter::once(Opt {
            code: String::new(),
            label: "—".into(),
            selected: false,
        })
        .chain(
            all_units
                .iter()
                .filter(|u| u.valid_to.is_none())
                .map(|u| Opt {
                    code: u.code.clone(),
                    label: u.name.clone(),
                    selected: u.code == f.v("target_unit_code"),
                }),
        )
        .collect(),
        yesno_eligible: yesno(f.v("eligible")),
        yesno_competent: yesno(f.v("competent")),
        chrome: chrome(user, "petitions"),
        f,
    })
}

pub async fn new_petition(
    State(state): State<AppState>,
    user: SessionUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let mut f = FormState::default();
    f.values.insert("received_date".into(), date(state.today()));
    for key in ["case", "visit"] {
        if let Some(v) = q.get(key) {
            f.values.insert(format!("{key}_code"), v.clone());
        }
    }
    Ok(render(petition_form(&state, &user, f).await?))
}

pub(crate) fn petition_draft(f: &FormState) -> PetitionDraft {
    PetitionDraft {
        arrival_no: f.take("arrival_no"),
        received_date: f.take("received_date"),
        source: f.take("source"),
        sender_kind: f.take("sender_kind"),
        signer_count: f.take("signer_count"),
        sender: person_draft(f, "sender."),
        subject: f.take("subject"),
        subject_unit_code: f.take("subject_unit_code"),
        petition_type: f.take("petition_type"),
        field_code: f.take("field_code"),
        summary: f.take("summary"),
        eligible: f.take("eligible"),
        eligibility_reason: f.take("eligibility_reason"),
        competent: f.take("competent"),
        decision: f.take("decision"),
        decision_date: f.take("decision_date"),
        target_unit_code: f.take("target_unit_code"),
        case_code: f.take("case_code"),
        visit_code: f.take("visit_code"),
        related: related_answers(f),
    }
}

/// The officer's answer to each suggestion the form showed (`shown[i]`, `why[i]`): the one
/// picked in `related` ("link:CODE" or "duplicate:CODE"), the others dismissed.
pub(crate) fn related_answers(f: &FormState) -> Vec<(String, String, String)> {
    let picked = f.v("related");
    (0..crate::related_pages::SHOWN_MAX)
        .map_while(|i| {
            let code = f.v(&format!("shown[{i}]"));
            (!code.is_empty()).then(|| (code.to_owned(), f.take(&format!("why[{i}]"))))
        })
        .map(|(code, why)| {
            let choice = match picked.split_once(':') {
                Some((action, c)) if c == code => action.to_owned(),
                _ => "dismiss".to_owned(),
            };
            (choice, code, why)
        })
        .collect()
}

pub async fn create_petition(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let mut f = FormState::from_pairs(form);
    check_csrf(&user, Some(f.v("_csrf")))?;
    let draft = petition_draft(&f);
    let exists = field_checker(&state).await?;
    let result = match draft.check(state.today(), &exists) {
        Ok(input) => state
            .store
            .create_petition(&user.actor, f.v("unit_code"), &input)
            .await
            .map_err(WebError::from),
        Err(inv) => Err(WebError::Invalid(inv.0)),
    };
    match result {
        Ok(code) => Ok(Redirect::to(&format!("/petitions/{code}?created=1")).into_response()),
        Err(WebError::Invalid(errors)) => {
            f.errors = errors;
            Ok(rejected(render(petition_form(&state, &user, f).await?)))
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "petition.html")]
struct PetitionPage {
    chrome: Chrome,
    p: PetitionLine,
    d: danvan_store::PetitionDetail,
    source: String,
    eligible: String,
    competent: String,
    created: bool,
    today: String,
    attach_error: String,
    clocks: Vec<crate::deadline_pages::ClockLine>,
    event_error: String,
    letters: Vec<danvan_store::letters::Letter>,
    letter_kinds: Vec<(&'static str, &'static str)>,
    letter_record: String,
    related: Vec<danvan_store::related::ChoiceRow>,
    /// A denunciation whose denouncer the reader may see: the redacted copy and the waivers.
    protection: bool,
    waivers: Vec<danvan_store::protection::Waiver>,
}

fn yes_no(v: Option<bool>) -> String {
    match v {
        Some(true) => "Có".into(),
        Some(false) => "Không".into(),
        None => "Chưa xác định".into(),
    }
}

pub async fn petition(
    State(state): State<AppState>,
    user: SessionUser,
    Path(code): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    petition_page(
        &state,
        &user,
        &code,
        q.contains_key("created"),
        String::new(),
        String::new(),
    )
    .await
}

/// The petition page with an error next to the clock events form.
pub(crate) async fn petition_page_with(
    state: &AppState,
    user: &SessionUser,
    code: &str,
    attach_error: String,
    event_error: String,
) -> Result<Response, WebError> {
    petition_page(state, user, code, false, attach_error, event_error).await
}

async fn petition_page(
    state: &AppState,
    user: &SessionUser,
    code: &str,
    created: bool,
    attach_error: String,
    event_error: String,
) -> Result<Response, WebError> {
    let d = state.store.petition_detail(&user.actor, code).await?;
    let clocks = crate::deadline_pages::petition_clock_lines(state, user, code).await?;
    let (letters, mut letter_kinds) =
        record_letters(state, user, &d.row.case_code, code, false).await?;
    if !d.may_attach {
        letter_kinds.clear();
    }
    let labels = Labels::load(state).await?;
    let protection = d.row.petition_type == "TC" && !d.row.identity_masked;
    let waivers = if protection {
        state.store.waivers(code).await?
    } else {
        vec![]
    };
    Ok(render(PetitionPage {
        protection,
        waivers,
        p: PetitionLine::from(&d.row, &labels),
        source: PetitionSource::parse(&d.row.source)
            .map(|s| s.label())
            .unwrap_or("")
            .into(),
        eligible: yes_no(d.row.eligible),
        competent: yes_no(d.row.competent),
        created,
        today: date(state.today()),
        attach_error,
        clocks,
        event_error,
        letters,
        letter_kinds,
        letter_record: code.to_owned(),
        related: state.store.related_choices(&user.actor, code).await?,
        d,
        chrome: chrome(user, "petitions"),
    }))
}

/// GET /petitions/{code}/redacted.docx: the copy of a denunciation without its denouncer, for
/// a verification team (Art. 56.2).
pub async fn redacted_copy(
    State(state): State<AppState>,
    user: SessionUser,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let bytes = state
        .store
        .redacted_copy(&user.actor, &code, state.today())
        .await?;
    Ok(crate::view::word_file(
        &format!("ban-sao-da-che-{code}.docx"),
        bytes,
    ))
}

/// POST /petitions/{code}/waiver: the denouncer declined protection (who, when).
pub async fn record_waiver(
    State(state): State<AppState>,
    user: SessionUser,
    Path(code): Path<String>,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = FormState::from_pairs(form);
    check_csrf(&user, Some(f.v("_csrf")))?;
    let Some(on) = parse_date(f.v("waived_on")) else {
        return Err(WebError::Invalid({
            let mut e = danvan_domain::FieldErrors::default();
            e.add("waived_on", "Ngày không hợp lệ (dd/mm/yyyy)");
            e
        }));
    };
    state
        .store
        .record_waiver(&user.actor, &code, on, f.v("note"), state.today())
        .await?;
    Ok(Redirect::to(&format!("/petitions/{code}")).into_response())
}

/// POST /petitions/{code}/related/{id}/undo: undoes a link or a duplicate mark made when the
/// petition was entered.
pub async fn undo_related(
    State(state): State<AppState>,
    user: SessionUser,
    Path((code, id)): Path<(String, i64)>,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = FormState::from_pairs(form);
    check_csrf(&user, Some(f.v("_csrf")))?;
    state
        .store
        .undo_related_choice(&user.actor, &code, id)
        .await?;
    Ok(Redirect::to(&format!("/petitions/{code}")).into_response())
}

/// Upload of a file to a petition (multipart: `_csrf`, `file`). A refused file re-renders the
/// petition with the reason next to the upload field.
pub async fn attach(
    State(state): State<AppState>,
    user: SessionUser,
    Path(code): Path<String>,
    multipart: axum::extract::Multipart,
) -> Result<Response, WebError> {
    let (name, bytes) = upload(&user, multipart).await?;
    let dir = state.config.attachments_dir.clone();
    match state
        .store
        .attach_to_petition(&user.actor, &dir, &code, &name, &bytes)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/petitions/{code}")).into_response()),
        Err(danvan_store::StoreError::Invalid(e)) => {
            let message = e.0.0.get("file").cloned().unwrap_or_default();
            Ok(rejected(
                petition_page(&state, &user, &code, false, message, String::new()).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// The file of an upload form (`file`), once its CSRF token (`_csrf`) is checked.
pub(crate) async fn upload(
    user: &SessionUser,
    mut multipart: axum::extract::Multipart,
) -> Result<(String, Vec<u8>), WebError> {
    let mut csrf = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    let unreadable = |_| WebError::BadRequest("Không đọc được tệp gửi lên".into());
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("_csrf") => csrf = field.text().await.map_err(unreadable)?,
            Some("file") => {
                let name = field.file_name().unwrap_or("").to_owned();
                let bytes = field.bytes().await.map_err(unreadable)?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    check_csrf(user, Some(&csrf))?;
    Ok(file.unwrap_or_default())
}

/// Sends a file of a petition (or a programme) the reader may see, as a download.
pub async fn attachment(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let dir = state.config.attachments_dir.clone();
    let (row, bytes) = state.store.open_attachment(&user.actor, &dir, id).await?;
    let ascii: String = danvan_vntext::fold(&row.file_name)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        crate::view::qs(&row.file_name).replace('+', "%20")
    );
    Ok((
        [
            (header::CONTENT_TYPE, row.media_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".into()),
        ],
        bytes,
    )
        .into_response())
}

pub async fn reply_transfer(
    State(state): State<AppState>,
    user: SessionUser,
    Path(code): Path<String>,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = FormState::from_pairs(form);
    check_csrf(&user, Some(f.v("_csrf")))?;
    let on = parse_date(f.v("reply_on"))
        .ok_or_else(|| WebError::BadRequest("Ngày trả lời không hợp lệ".into()))?;
    if on > state.today() {
        return Err(WebError::BadRequest(
            "Ngày trả lời không được sau hôm nay".into(),
        ));
    }
    state
        .store
        .reply_transfer(
            &user.actor,
            &code,
            f.v("status") == "accepted",
            f.v("reply_note"),
            on,
        )
        .await?;
    Ok(Redirect::to(&format!("/petitions/{code}")).into_response())
}

// ---------------------------------------------------------------- cases

pub struct CaseLine {
    pub code: String,
    pub opened: String,
    pub unit: String,
    pub title: String,
    pub petition_type: String,
    pub field: String,
    pub status: String,
    pub flags: String,
    pub visits: String,
    pub petitions: String,
    pub repeat: bool,
}

impl CaseLine {
    fn from(c: &danvan_store::CaseRow, labels: &Labels) -> Self {
        CaseLine {
            code: c.code.clone(),
            opened: date(c.opened_on),
            unit: c.unit_name.clone(),
            title: c.title.clone(),
            petition_type: type_label(&c.petition_type),
            field: labels.field(&c.field_code),
            status: CaseStatus::parse(&c.status)
                .map(|s| s.label())
                .unwrap_or("")
                .into(),
            flags: c.flags.join(", "),
            visits: num(c.visits),
            petitions: num(c.petitions),
            repeat: c.visits + c.petitions > 1,
        }
    }
}

#[derive(Template)]
#[template(path = "cases.html")]
struct CasesPage {
    chrome: Chrome,
    q: ListQuery,
    rows: Vec<CaseLine>,
    pager: Pager,
    status_opts: Vec<Opt>,
}

pub async fn cases(
    State(state): State<AppState>,
    user: SessionUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let filter = CaseFilter {
        status: ListQuery::none_if_empty(&q.status),
        text: ListQuery::none_if_empty(&q.q),
        repeat_only: q.group == "repeat",
    };
    let page = Page::new(q.page.unwrap_or(1), 50);
    let list = state.store.list_cases(&user.actor, &filter, page).await?;
    let labels = Labels::load(&state).await?;
    Ok(render(CasesPage {
        rows: list
            .items
            .iter()
            .map(|c| CaseLine::from(c, &labels))
            .collect(),
        pager: Pager::new(&list, "/cases", &q.query_string()),
        status_opts: options(
            CaseStatus::ALL.iter().map(|s| (s.code(), s.label())),
            &q.status,
        ),
        q,
        chrome: chrome(&user, "cases"),
    }))
}

pub struct Timeline {
    pub date: String,
    pub kind: &'static str,
    pub code: String,
    pub link: String,
    pub text: String,
}

pub struct FlagBox {
    pub column: &'static str,
    pub label: &'static str,
    pub on: bool,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    chrome: Chrome,
    c: CaseLine,
    d: danvan_store::CaseDetail,
    timeline: Vec<Timeline>,
    status_opts: Vec<Opt>,
    flag_boxes: Vec<FlagBox>,
    may_assign: bool,
    message: String,
    clocks: Vec<crate::deadline_pages::ClockLine>,
    letters: Vec<danvan_store::letters::Letter>,
    letter_kinds: Vec<(&'static str, &'static str)>,
    letter_record: String,
}

async fn case_page(
    state: &AppState,
    user: &SessionUser,
    code: &str,
    message: String,
) -> Result<Response, WebError> {
    let d = state.store.case_detail(&user.actor, code).await?;
    let labels = Labels::load(state).await?;
    let clocks = crate::deadline_pages::case_clock_lines(state, user, code).await?;
    let letters = state.store.letters_of_case(&user.actor, code).await?;
    let timeline = d
        .timeline
        .iter()
        .map(|t| Timeline {
            date: date(t.date),
            kind: t.kind,
            link: if t.code.starts_with("TCD") {
                format!("/visits/{}", t.code)
            } else {
                format!("/petitions/{}", t.code)
            },
            code: t.code.clone(),
            text: t.text.clone(),
        })
        .collect();
    let flag_boxes = danvan_store::flag_columns()
        .map(|(column, label)| FlagBox {
            column,
            label,
            on: d.row.flags.contains(&label),
        })
        .collect();
    Ok(render(CasePage {
        clocks,
        letters,
        letter_kinds: vec![],
        letter_record: String::new(),
        c: CaseLine::from(&d.row, &labels),
        status_opts: options(
            CaseStatus::ALL.iter().map(|s| (s.code(), s.label())),
            &d.row.status,
        ),
        may_assign: d.may_edit
            && matches!(
                user.actor.role,
                danvan_domain::Role::Head
                    | danvan_domain::Role::Deputy
                    | danvan_domain::Role::Admin
            ),
        timeline,
        flag_boxes,
        d,
        message,
        chrome: chrome(user, "cases"),
    }))
}

pub async fn case(
    State(state): State<AppState>,
    user: SessionUser,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    case_page(&state, &user, &code, String::new()).await
}

pub async fn update_case(
    State(state): State<AppState>,
    user: SessionUser,
    Path(code): Path<String>,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = FormState::from_pairs(form);
    check_csrf(&user, Some(f.v("_csrf")))?;
    let status = CaseStatus::parse(f.v("status"))
        .ok_or_else(|| WebError::BadRequest("Trạng thái không hợp lệ".into()))?;
    let flags: Vec<(&str, bool)> = danvan_store::flag_columns()
        .map(|(c, _)| (c, f.checked(c)))
        .collect();
    state
        .store
        .update_case(&user.actor, &code, status, &flags)
        .await?;
    Ok(Redirect::to(&format!("/cases/{code}")).into_response())
}

pub async fn assign_handler(
    State(state): State<AppState>,
    user: SessionUser,
    Path(code): Path<String>,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = FormState::from_pairs(form);
    check_csrf(&user, Some(f.v("_csrf")))?;
    match state
        .store
        .assign_handler(&user.actor, &code, f.v("username"))
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{code}")).into_response()),
        Err(danvan_store::StoreError::Invalid(i)) => {
            let msg = i.0.joined();
            case_page(&state, &user, &code, msg).await
        }
        Err(e) => Err(e.into()),
    }
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
    let f = FormState::from_pairs(form);
    check_csrf(&user, Some(f.v("_csrf")))?;
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
    let f = FormState::from_pairs(form);
    check_csrf(&user, Some(f.v("_csrf")))?;
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

// ---------------------------------------------------------------- administration

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    chrome: Chrome,
    notice: String,
    /// Which form the errors belong to ("field", "user", "unit", "settings").
    section: String,
    f: FormState,
    fields: Vec<danvan_store::FieldRow>,
    users: Vec<danvan_store::UserRow>,
    units: Vec<Opt>,
    role_opts: Vec<Opt>,
    kind_opts: Vec<Opt>,
    group_threshold: i64,
    attachment_max_mb: i64,
    topics: Vec<danvan_store::coordination::CatalogueItem>,
    criteria: Vec<danvan_store::coordination::CatalogueItem>,
}

/// Administrators: the field catalogue, user accounts and units of their subtree, settings.
pub async fn admin(
    State(state): State<AppState>,
    user: SessionUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let notice = q.get("ok").cloned().unwrap_or_default();
    admin_page(&state, &user, notice, "", FormState::default()).await
}

async fn admin_page(
    state: &AppState,
    user: &SessionUser,
    notice: String,
    section: &str,
    f: FormState,
) -> Result<Response, WebError> {
    if !user.actor.may(Action::Administer) {
        return Err(WebError::Forbidden);
    }
    let units: Vec<_> = state
        .store
        .units()
        .await?
        .into_iter()
        .filter(|u| user.actor.covers(&u.path))
        .collect();
    let users = state
        .store
        .users()
        .await?
        .into_iter()
        .filter(|u| units.iter().any(|x| x.code == u.unit_code))
        .collect();
    let unit_opts = units
        .iter()
        .map(|u| Opt {
            code: u.code.clone(),
            label: format!("{}{}", "· ".repeat(u.depth().saturating_sub(1)), u.name),
            selected: false,
        })
        .collect();
    let status = if f.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let max = state.store.attachment_max_bytes().await?;
    let page = AdminPage {
        chrome: chrome(user, "admin"),
        notice,
        section: section.into(),
        fields: state.store.fields().await?,
        users,
        units: unit_opts,
        role_opts: options(Role::ALL.iter().map(|r| (r.code(), r.label())), f.v("role")),
        kind_opts: options(
            danvan_domain::records::UnitKind::ALL
                .iter()
                .map(|k| (k.code(), k.label())),
            f.v("kind"),
        ),
        group_threshold: state.store.group_threshold().await?,
        attachment_max_mb: max / (1024 * 1024),
        topics: state.store.situation_topics(true).await?,
        criteria: state.store.model_criteria(true).await?,
        f,
    };
    let mut res = render(page);
    *res.status_mut() = status;
    Ok(res)
}

/// One admin form's outcome: back to the page with a notice, or the form again with its errors.
async fn admin_done(
    state: &AppState,
    user: &SessionUser,
    section: &str,
    f: FormState,
    result: Result<(), danvan_store::StoreError>,
    notice: &str,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin?ok={}", qs(notice))).into_response()),
        Err(danvan_store::StoreError::Invalid(e)) => {
            let f = FormState { errors: e.0, ..f };
            admin_page(state, user, String::new(), section, f).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Adds or edits a topic of situation reports (code, label, active).
pub async fn admin_set_topic(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = FormState::from_pairs(form);
    check_csrf(&user, Some(f.v("_csrf")))?;
    let result = state
        .store
        .set_situation_topic(&user.actor, f.v("code"), f.v("label"), f.checked("active"))
        .await;
    admin_done(&state, &user, "topic", f, result, "Đã lưu chủ đề tình hình").await
}

/// Adds (no id) or edits a criterion of the "Dân vận khéo" checklist.
pub async fn admin_set_criterion(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = FormState::from_pairs(form);
    check_csrf(&user, Some(f.v("_csrf")))?;
    let id = f.v("id").trim().parse().ok();
    let result = state
        .store
        .set_model_criterion(&user.actor, id, f.v("label"), f.checked("active"))
        .await;
    admin_done(&state, &user, "criterion", f, result, "Đã lưu tiêu chí").await
}

pub async fn admin_add_field(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = FormState::from_pairs(form);
    check_csrf(&user, Some(f.v("_csrf")))?;
    if !user.actor.may(Action::Administer) {
        return Err(WebError::Forbidden);
    }
    let parent = Some(f.v("parent_code")).filter(|p| !p.is_empty());
    let result = state
        .store
        .add_field(
            Some(user.actor.user_id),
            f.v("code"),
            parent,
            f.v("label"),
            f.v("narrative_label"),
        )
        .await;
    admin_done(&state, &user, "field", f, result, "Đã thêm lĩnh vực").await
}

pub async fn admin_update_field(
    State(state): State<AppState>,
    user: SessionUser,
    Path(code): Path<String>,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = FormState::from_pairs(form);
    check_csrf(&user, Some(f.v("_csrf")))?;
    if !user.actor.may(Action::Administer) {
        return Err(WebError::Forbidden);
    }
    let result = state
        .store
        .update_field(
            Some(user.actor.user_id),
            &code,
            f.v("label"),
            f.v("narrative_label"),
            f.checked("active"),
        )
        .await;
    admin_done(&state, &user, "field", f, result, "Đã lưu lĩnh vực").await
}

/// The unit a form names, if the administrator's subtree holds it (else a field error).
async fn administered_unit(
    state: &AppState,
    user: &SessionUser,
    code: &str,
    field: &str,
) -> Result<Result<danvan_store::UnitRow, danvan_store::StoreError>, WebError> {
    let unit = state.store.unit_by_code(code).await?;
    Ok(match unit {
        Some(u)
            if user
                .actor
                .may(Action::AdministerUnit(RecordRef { unit_path: &u.path })) =>
        {
            Ok(u)
        }
        _ => {
            Err(danvan_domain::Invalid::one(field, "Chọn một đơn vị thuộc phạm vi quản trị").into())
        }
    })
}

pub async fn admin_add_user(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = FormState::from_pairs(form);
    check_csrf(&user, Some(f.v("_csrf")))?;
    if !user.actor.may(Action::Administer) {
        return Err(WebError::Forbidden);
    }
    let result = match administered_unit(&state, &user, f.v("unit_code"), "unit_code").await? {
        Err(e) => Err(e),
        Ok(unit) => match Role::parse(f.v("role")) {
            None => Err(danvan_domain::Invalid::one("role", "Chọn vai trò").into()),
            Some(role) => state
                .store
                .create_user(
                    Some(user.actor.user_id),
                    &danvan_store::NewUser {
                        username: f.v("username").trim().to_owned(),
                        full_name: f.v("full_name").trim().to_owned(),
                        unit_code: unit.code,
                        role,
                        password: f.v("password").to_owned(),
                    },
                )
                .await
                .map(|_| ()),
        },
    };
    admin_done(&state, &user, "user", f, result, "Đã tạo tài khoản").await
}

pub async fn admin_reset_password(
    State(state): State<AppState>,
    user: SessionUser,
    Path(username): Path<String>,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = FormState::from_pairs(form);
    check_csrf(&user, Some(f.v("_csrf")))?;
    let target = state
        .store
        .actor_by_username(&username)
        .await?
        .ok_or(WebError::NotFound)?;
    if !user.actor.may(Action::AdministerUnit(RecordRef {
        unit_path: &target.unit_path,
    })) {
        return Err(WebError::NotFound);
    }
    let result = state
        .store
        .set_password(Some(user.actor.user_id), &username, f.v("password"))
        .await;
    admin_done(&state, &user, "password", f, result, "Đã đặt lại mật khẩu").await
}

/// Unlocks an account locked by failed sign-ins (audited).
pub async fn admin_unlock(
    State(state): State<AppState>,
    user: SessionUser,
    Path(username): Path<String>,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = FormState::from_pairs(form);
    check_csrf(&user, Some(f.v("_csrf")))?;
    let result = state.store.unlock_user(&user.actor, &username).await;
    admin_done(&state, &user, "password", f, result, "Đã mở khóa tài khoản").await
}

pub async fn admin_add_unit(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = FormState::from_pairs(form);
    check_csrf(&user, Some(f.v("_csrf")))?;
    if !user.actor.may(Action::Administer) {
        return Err(WebError::Forbidden);
    }
    let result = match administered_unit(&state, &user, f.v("parent_code"), "parent_code").await? {
        Err(e) => Err(e),
        Ok(parent) => match danvan_domain::records::UnitKind::parse(f.v("kind")) {
            None => Err(danvan_domain::Invalid::one("kind", "Chọn loại đơn vị").into()),
            Some(kind) => {
                let from = f.v("valid_from");
                match (from.is_empty(), parse_date(from)) {
                    (false, None) => Err(danvan_domain::Invalid::one(
                        "valid_from",
                        "Ngày không hợp lệ (dd/mm/yyyy)",
                    )
                    .into()),
                    (_, from) => state
                        .store
                        .insert_unit(
                            Some(user.actor.user_id),
                            &danvan_store::NewUnit {
                                code: f.v("code").trim().to_owned(),
                                name: f.v("name").trim().to_owned(),
                                kind,
                                parent_code: Some(parent.code),
                                area_code: Some(f.v("area_code").trim().to_owned())
                                    .filter(|a| !a.is_empty()),
                                valid_from: from.map(|d| d.to_string()),
                                valid_to: None,
                            },
                        )
                        .await
                        .map(|_| ()),
                }
            }
        },
    };
    admin_done(&state, &user, "unit", f, result, "Đã thêm đơn vị").await
}

pub async fn admin_settings(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = FormState::from_pairs(form);
    check_csrf(&user, Some(f.v("_csrf")))?;
    let mut errors = danvan_domain::FieldErrors::default();
    let threshold = f
        .v("group_threshold")
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (2..=100).contains(n));
    if threshold.is_none() {
        errors.add("group_threshold", "Nhập một số từ 2 đến 100");
    }
    let max_mb = f
        .v("attachment_max_mb")
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=64).contains(n));
    if max_mb.is_none() {
        errors.add("attachment_max_mb", "Nhập một số từ 1 đến 64 (MB)");
    }
    let result = match (threshold, max_mb) {
        (Some(t), Some(m)) => {
            match state
                .store
                .set_setting(&user.actor, "group_threshold", &t.to_string())
                .await
            {
                Ok(()) => {
                    state
                        .store
                        .set_setting(
                            &user.actor,
                            "attachment_max_bytes",
                            &(m * 1024 * 1024).to_string(),
                        )
                        .await
                }
                Err(e) => Err(e),
            }
        }
        _ => Err(danvan_domain::Invalid(errors).into()),
    };
    admin_done(&state, &user, "settings", f, result, "Đã lưu thiết lập").await
}

/// The letters of one record (on its case) and the kinds the reader may draft for it.
async fn record_letters(
    state: &AppState,
    user: &SessionUser,
    case_code: &str,
    record_code: &str,
    for_visit: bool,
) -> Result<
    (
        Vec<danvan_store::letters::Letter>,
        Vec<(&'static str, &'static str)>,
    ),
    WebError,
> {
    let letters = state
        .store
        .letters_of_case(&user.actor, case_code)
        .await?
        .into_iter()
        .filter(|l| l.record_code == record_code)
        .collect();
    Ok((letters, crate::letter_pages::kinds(for_visit)))
}

//! The JSON API under `/api/v1`: the same store calls as the pages, structured errors with
//! Vietnamese messages, and the OpenAPI document at `/api/v1/openapi.json`.

use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, WebError};
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use danvan_domain::access::{Action, RecordRef};
use danvan_domain::format::parse_date;
use danvan_domain::records::{PersonDraft, PetitionDraft, VisitDraft, VisitRules};
use danvan_store::{CaseFilter, Page, PetitionFilter, VisitFilter};
use serde::Deserialize;
use serde_json::json;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/units", get(units))
        .route("/fields", get(fields))
        .route("/users", get(users))
        .route("/visits", get(list_visits).post(create_visit))
        .route("/visits/{code}", get(visit))
        .route("/petitions", get(list_petitions).post(create_petition))
        .route("/petitions/{code}", get(petition))
        .route("/cases", get(list_cases))
        .route("/cases/{code}", get(case))
        .route("/summary", get(summary))
        .route("/reports", get(report))
        .route(
            "/management-activities",
            get(management_activities).post(add_management_activity),
        )
        .route("/search", get(search))
        .route("/related", get(related))
        .route("/cases/{code}/letters", get(case_letters))
        .route("/letters", axum::routing::post(draft_letter))
        .route("/letters/{id}", get(letter).post(update_letter))
        .route("/letters/{id}/docx", get(letter_docx))
        .merge(crate::api_coordination::routes())
        .fallback(|| async { ApiError(WebError::NotFound) })
}

pub(crate) type ApiResult = Result<Response, ApiError>;

pub(crate) fn ok(v: impl serde::Serialize) -> ApiResult {
    Ok(Json(v).into_response())
}

/// The OpenAPI document, kept beside the handlers and snapshot-tested.
pub const OPENAPI: &str = include_str!("../openapi.json");

async fn openapi() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        OPENAPI,
    )
        .into_response()
}

async fn units(State(state): State<AppState>, ApiUser(_): ApiUser) -> ApiResult {
    ok(state.store.units().await?)
}

async fn fields(State(state): State<AppState>, ApiUser(_): ApiUser) -> ApiResult {
    ok(state.store.fields().await?)
}

async fn users(State(state): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult {
    if !actor.may(Action::Administer) {
        return Err(ApiError(WebError::Forbidden));
    }
    ok(state.store.users().await?)
}

#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    from: Option<String>,
    to: Option<String>,
    unit: Option<String>,
    #[serde(rename = "type")]
    petition_type: Option<String>,
    field: Option<String>,
    group: Option<bool>,
    q: Option<String>,
    decision: Option<String>,
    status: Option<String>,
    inbox: Option<bool>,
    page: Option<i64>,
    page_size: Option<i64>,
}

fn date_param(v: &Option<String>, field: &str) -> Result<Option<chrono::NaiveDate>, ApiError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => parse_date(s).map(Some).ok_or_else(|| {
            ApiError(WebError::Invalid(
                danvan_domain::Invalid::one(
                    field,
                    "Ngày không hợp lệ (YYYY-MM-DD hoặc dd/mm/yyyy)",
                )
                .0,
            ))
        }),
    }
}

async fn unit_path(state: &AppState, code: &Option<String>) -> Result<Option<String>, ApiError> {
    match code.as_deref().filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(c) => match state.store.unit_by_code(c).await? {
            Some(u) => Ok(Some(u.path)),
            None => Err(ApiError(WebError::Invalid(
                danvan_domain::Invalid::one("unit", "Không có đơn vị này").0,
            ))),
        },
    }
}

async fn list_visits(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Query(p): Query<ListParams>,
) -> ApiResult {
    let f = VisitFilter {
        from: date_param(&p.from, "from")?,
        to: date_param(&p.to, "to")?,
        unit_path: unit_path(&state, &p.unit).await?,
        petition_type: p.petition_type,
        field_code: p.field,
        group: p.group,
        text: p.q,
    };
    ok(state
        .store
        .list_visits(
            &actor,
            &f,
            Page::new(p.page.unwrap_or(1), p.page_size.unwrap_or(50)),
        )
        .await?)
}

async fn visit(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(code): Path<String>,
) -> ApiResult {
    ok(state.store.visit_detail(&actor, &code).await?)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PersonJson {
    full_name: String,
    id_number: String,
    birth_year: String,
    address: String,
    area_code: String,
    phone: String,
}

impl From<PersonJson> for PersonDraft {
    fn from(p: PersonJson) -> Self {
        PersonDraft {
            full_name: p.full_name,
            id_number: p.id_number,
            birth_year: p.birth_year,
            address: p.address,
            area_code: p.area_code,
            phone: p.phone,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct VisitJson {
    unit_code: String,
    visit_date: String,
    visit_time: String,
    place: String,
    kind: String,
    mode: String,
    receiver_name: String,
    is_group: bool,
    headcount: Option<i64>,
    representatives: Option<i64>,
    people: Vec<PersonJson>,
    content: String,
    petition_type: String,
    field_code: String,
    case_code: String,
    documents: String,
    earlier_handling: String,
    handling: String,
    follow_up: String,
    refused: bool,
    refusal_reason: String,
    /// Answers to the related records suggested by `/api/v1/related` (link or dismiss).
    related: Vec<RelatedJson>,
}

pub(crate) fn json_body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    body.map(|Json(b)| b).map_err(|e| {
        ApiError(WebError::BadRequest(format!(
            "Nội dung JSON không hợp lệ: {}",
            e.body_text()
        )))
    })
}

async fn create_visit(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    body: Result<Json<VisitJson>, JsonRejection>,
) -> ApiResult {
    let b = json_body(body)?;
    let draft = VisitDraft {
        unit_code: b.unit_code.clone(),
        visit_date: b.visit_date,
        visit_time: b.visit_time,
        place: b.place,
        kind: b.kind,
        mode: b.mode,
        receiver_name: b.receiver_name,
        is_group: b.is_group,
        headcount: b.headcount.map(|n| n.to_string()).unwrap_or_default(),
        representatives: b.representatives.map(|n| n.to_string()).unwrap_or_default(),
        people: b.people.into_iter().map(Into::into).collect(),
        content: b.content,
        petition_type: b.petition_type,
        field_code: b.field_code,
        case_code: b.case_code,
        documents: b.documents,
        earlier_handling: b.earlier_handling,
        handling: b.handling,
        follow_up: b.follow_up,
        refused: b.refused,
        refusal_reason: b.refusal_reason,
        related: b
            .related
            .into_iter()
            .map(|r| (r.choice, r.code, r.reason))
            .collect(),
    };
    let exists = crate::pages::field_checker(&state).await?;
    let rules = VisitRules {
        today: state.today(),
        group_threshold: state.store.group_threshold().await?,
        field_exists: &exists,
    };
    let input = draft
        .check(&rules)
        .map_err(|i| ApiError(WebError::Invalid(i.0)))?;
    let code = state
        .store
        .create_visit(&actor, &b.unit_code, &input)
        .await?;
    Ok((StatusCode::CREATED, Json(json!({"code": code}))).into_response())
}

async fn list_petitions(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Query(p): Query<ListParams>,
) -> ApiResult {
    let f = PetitionFilter {
        from: date_param(&p.from, "from")?,
        to: date_param(&p.to, "to")?,
        unit_path: unit_path(&state, &p.unit).await?,
        petition_type: p.petition_type,
        field_code: p.field,
        decision: p.decision,
        text: p.q,
        inbox: p.inbox.unwrap_or(false),
    };
    ok(state
        .store
        .list_petitions(
            &actor,
            &f,
            Page::new(p.page.unwrap_or(1), p.page_size.unwrap_or(50)),
        )
        .await?)
}

async fn petition(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(code): Path<String>,
) -> ApiResult {
    ok(state.store.petition_detail(&actor, &code).await?)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PetitionJson {
    unit_code: String,
    arrival_no: String,
    received_date: String,
    source: String,
    sender_kind: String,
    signer_count: Option<i64>,
    sender: PersonJson,
    subject: String,
    subject_unit_code: String,
    petition_type: String,
    field_code: String,
    summary: String,
    eligible: Option<bool>,
    eligibility_reason: String,
    competent: Option<bool>,
    decision: String,
    decision_date: String,
    target_unit_code: String,
    case_code: String,
    visit_code: String,
    /// Answers to the related records suggested by `/api/v1/related`.
    related: Vec<RelatedJson>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RelatedJson {
    /// link, duplicate or dismiss.
    choice: String,
    code: String,
    #[serde(default)]
    reason: String,
}

async fn create_petition(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    body: Result<Json<PetitionJson>, JsonRejection>,
) -> ApiResult {
    let b = json_body(body)?;
    let flag = |v: Option<bool>| {
        v.map(|b| if b { "1" } else { "0" }.to_owned())
            .unwrap_or_default()
    };
    let draft = PetitionDraft {
        arrival_no: b.arrival_no,
        received_date: b.received_date,
        source: b.source,
        sender_kind: b.sender_kind,
        signer_count: b.signer_count.map(|n| n.to_string()).unwrap_or_default(),
        sender: b.sender.into(),
        subject: b.subject,
        subject_unit_code: b.subject_unit_code,
        petition_type: b.petition_type,
        field_code: b.field_code,
        summary: b.summary,
        eligible: flag(b.eligible),
        eligibility_reason: b.eligibility_reason,
        competent: flag(b.competent),
        decision: b.decision,
        decision_date: b.decision_date,
        target_unit_code: b.target_unit_code,
        case_code: b.case_code,
        visit_code: b.visit_code,
        related: b
            .related
            .into_iter()
            .map(|r| (r.choice, r.code, r.reason))
            .collect(),
    };
    let exists = crate::pages::field_checker(&state).await?;
    let input = draft
        .check(state.today(), &exists)
        .map_err(|i| ApiError(WebError::Invalid(i.0)))?;
    let code = state
        .store
        .create_petition(&actor, &b.unit_code, &input)
        .await?;
    Ok((StatusCode::CREATED, Json(json!({"code": code}))).into_response())
}

async fn list_cases(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Query(p): Query<ListParams>,
) -> ApiResult {
    let f = CaseFilter {
        status: p.status,
        text: p.q,
        repeat_only: false,
    };
    ok(state
        .store
        .list_cases(
            &actor,
            &f,
            Page::new(p.page.unwrap_or(1), p.page_size.unwrap_or(50)),
        )
        .await?)
}

async fn case(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(code): Path<String>,
) -> ApiResult {
    ok(state.store.case_detail(&actor, &code).await?)
}

#[derive(Debug, Deserialize)]
pub struct SummaryParams {
    from: String,
    to: String,
    unit: Option<String>,
}

async fn summary(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    params: Result<Query<SummaryParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    let Query(p) = params.map_err(|_| {
        ApiError(WebError::BadRequest(
            "Thiếu tham số from, to (YYYY-MM-DD)".into(),
        ))
    })?;
    let (from, to, unit_code) = aggregate_request(&state, &actor, p.from, p.to, p.unit).await?;
    let s = state.store.summary(from, to, Some(&unit_code)).await?;
    let mut v =
        serde_json::to_value(&s).map_err(|e| ApiError(WebError::Internal(e.to_string())))?;
    v["text"] = json!(s.text());
    ok(v)
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct YearParams {
    year: Option<i32>,
}

/// The state-management activities (form 06/QLKNTC) the user may see, of a year (this one by
/// default).
async fn management_activities(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    params: Result<Query<YearParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    let Query(p) = params
        .map_err(|_| ApiError(WebError::BadRequest("Tham số year phải là một năm".into())))?;
    let year = p.year.unwrap_or(chrono::Datelike::year(&state.today()));
    let (Some(first), Some(last)) = (
        chrono::NaiveDate::from_ymd_opt(year, 1, 1),
        chrono::NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(ApiError(WebError::BadRequest(
            "Tham số year phải là một năm".into(),
        )));
    };
    ok(state.store.activities(&actor, first, last).await?)
}

async fn add_management_activity(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    body: Result<Json<danvan_domain::management::ActivityDraft>, JsonRejection>,
) -> ApiResult {
    let d = json_body(body)?;
    let id = state.store.add_activity(&actor, &d, state.today()).await?;
    ok(json!({ "id": id }))
}

#[derive(Debug, serde::Deserialize)]
pub struct ReportParams {
    form: String,
    from: String,
    to: String,
    unit: Option<String>,
    form_set: Option<String>,
}

/// An official form for a period and a unit (the set in force on the period's last day unless
/// `form_set` says otherwise).
async fn report(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    params: Result<Query<ReportParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    let Query(p) = params.map_err(|_| {
        ApiError(WebError::BadRequest(
            "Thiếu tham số form, from, to (YYYY-MM-DD)".into(),
        ))
    })?;
    let (from, to, unit_code) = aggregate_request(&state, &actor, p.from, p.to, p.unit).await?;
    let period = danvan_reports::Period::new(from, to).map_err(|e| {
        ApiError(WebError::Invalid(
            danvan_domain::Invalid::one("to", e.to_string()).0,
        ))
    })?;
    let set = match p.form_set.filter(|s| !s.is_empty()) {
        Some(code) => danvan_reports::set_by_code(&code).ok_or_else(|| {
            ApiError(WebError::Invalid(
                danvan_domain::Invalid::one("form_set", "Không có bộ biểu này").0,
            ))
        })?,
        None => danvan_reports::set_on(to),
    };
    let code = danvan_reports::canonical_code(&p.form);
    let Some(form) = set.forms.iter().find(|f| f.code == code) else {
        return Err(ApiError(WebError::Invalid(
            danvan_domain::Invalid::one("form", format!("{} không có biểu {code}", set.name)).0,
        )));
    };
    ok(state
        .store
        .compute_report(&set, form, period, &unit_code)
        .await?)
}

/// The period and the unit (the reader's own when none is named) of a request for aggregate
/// figures, checked: dates in order, the unit known, and within what the reader may aggregate.
async fn aggregate_request(
    state: &AppState,
    actor: &danvan_domain::Actor,
    from: String,
    to: String,
    unit: Option<String>,
) -> Result<(chrono::NaiveDate, chrono::NaiveDate, String), ApiError> {
    let from = date_param(&Some(from), "from")?
        .ok_or_else(|| ApiError(WebError::BadRequest("Thiếu from".into())))?;
    let to = date_param(&Some(to), "to")?
        .ok_or_else(|| ApiError(WebError::BadRequest("Thiếu to".into())))?;
    if to < from {
        return Err(ApiError(WebError::Invalid(
            danvan_domain::Invalid::one("to", "Ngày kết thúc trước ngày bắt đầu").0,
        )));
    }
    let unit_code = match unit.filter(|u| !u.is_empty()) {
        Some(u) => u,
        None => state.store.unit_by_id(actor.unit_id).await?.code,
    };
    let unit = state.store.unit_by_code(&unit_code).await?.ok_or_else(|| {
        ApiError(WebError::Invalid(
            danvan_domain::Invalid::one("unit", "Không có đơn vị này").0,
        ))
    })?;
    if !actor.may(Action::ViewAggregates(RecordRef {
        unit_path: &unit.path,
    })) {
        return Err(ApiError(WebError::Forbidden));
    }
    Ok((from, to, unit_code))
}

/// The letters of a case (its petitions' and visits'), newest first.
async fn case_letters(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(code): Path<String>,
) -> ApiResult {
    ok(state.store.letters_of_case(&actor, &code).await?)
}

#[derive(Debug, Deserialize)]
pub struct DraftJson {
    kind: String,
    /// The petition or visit the letter is drafted from.
    code: String,
}

/// Drafts a letter from a record (unnumbered until issued).
async fn draft_letter(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    body: Result<Json<DraftJson>, JsonRejection>,
) -> ApiResult {
    let b = json_body(body)?;
    let kind = danvan_store::letters::LetterKind::parse(&b.kind).ok_or_else(|| {
        ApiError(WebError::Invalid(
            danvan_domain::Invalid::one("kind", "Không có loại văn bản này").0,
        ))
    })?;
    let id = state
        .store
        .draft_letter(&actor, kind, &b.code, state.today())
        .await?;
    let letter = state.store.letter(&actor, id).await?;
    Ok((StatusCode::CREATED, Json(letter)).into_response())
}

async fn letter(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult {
    ok(state.store.letter(&actor, id).await?)
}

#[derive(Debug, Deserialize)]
pub struct LetterJson {
    title: String,
    body: String,
    signer_title: String,
    signer_name: String,
    /// Issue it after saving: numbered and dated today, then fixed.
    #[serde(default)]
    issue: bool,
}

/// Saves a draft's text, and issues it when asked; an issued letter cannot change.
async fn update_letter(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<LetterJson>, JsonRejection>,
) -> ApiResult {
    let b = json_body(body)?;
    state
        .store
        .update_letter(
            &actor,
            id,
            &b.title,
            &b.body,
            &b.signer_title,
            &b.signer_name,
        )
        .await?;
    if b.issue {
        state.store.issue_letter(&actor, id, state.today()).await?;
    }
    ok(state.store.letter(&actor, id).await?)
}

async fn letter_docx(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult {
    let bytes = state.store.letter_docx(&actor, id).await?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    .to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"van-ban-{id}.docx\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Search across petitions, visits and cases: `{total, total_is_lower_bound, ranked, results:
/// [{kind, code, title, snippet, date, unit, score, url}], page, page_size}`.
async fn search(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    params: Result<
        Query<crate::search_pages::SearchQuery>,
        axum::extract::rejection::QueryRejection,
    >,
) -> ApiResult {
    let Query(q) = params.map_err(|_| {
        ApiError(WebError::BadRequest(
            "Tham số tìm kiếm không hợp lệ (q, kind, unit, from, to, type, field, status, page)"
                .into(),
        ))
    })?;
    let filter = q.filter(&state).await.map_err(|message| {
        ApiError(WebError::Invalid(
            danvan_domain::Invalid::one("query", message).0,
        ))
    })?;
    let page = Page::new(q.page.unwrap_or(1), q.page_size.unwrap_or(20).clamp(1, 100));
    ok(state.store.search(&actor, &filter, page).await?)
}

/// The records likely related to one being entered (the petition form's field names:
/// `unit_code`, `summary`, `received_date`, `sender.id_number`, `sender.full_name`,
/// `sender.area_code`), strongest first, each with its reasons.
async fn related(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Query(pairs): Query<Vec<(String, String)>>,
) -> ApiResult {
    let q = crate::related_pages::query_of(&pairs);
    ok(state.store.related(&actor, &q).await?)
}

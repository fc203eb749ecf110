//! The coordination part of the JSON API: programmes and tasks, dialogues, situation reports
//! and hotspots, "Dân vận khéo" models, and the review. The same store calls as the pages.

use crate::AppState;
use crate::api::{ApiResult, json_body, ok};
use crate::auth::ApiUser;
use crate::error::{ApiError, WebError};
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Json, Path, Query, State};
use axum::routing::{get, post};
use chrono::NaiveDate;
use danvan_domain::coordination::{
    EngagementDraft, EngagementKind, HotspotDraft, ModelDraft, ModelField, ModelKind, ModelLevel,
    ModelStage, ProgrammeDraft, SituationDraft, SituationLevel, StageDraft, TaskDraft, TaskUpdate,
};
use danvan_domain::format::parse_date;
use danvan_store::Page;
use danvan_store::coordination::{ModelFilter, RoundDraft};
use serde::Deserialize;
use serde_json::json;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/programmes", get(programmes).post(create_programme))
        .route("/programmes/{id}", get(programme))
        .route("/programmes/{id}/tasks", post(add_task))
        .route("/programmes/{id}/review", get(review))
        .route("/tasks/{id}", get(task).post(update_task))
        .route("/engagements", get(engagements).post(create_engagement))
        .route("/engagements/{id}", get(engagement))
        .route("/situation", get(situation))
        .route(
            "/situation/reports",
            get(situation_reports).post(create_report),
        )
        .route("/situation/reports/{id}", get(situation_report))
        .route("/situation/reports/{id}/hotspots", post(add_hotspot))
        .route("/models", get(models).post(register_model))
        .route("/models/round", post(round))
        .route("/models/{id}", get(model))
        .route("/models/{id}/stage", post(step))
}

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    from: Option<String>,
    to: Option<String>,
    unit: Option<String>,
    kind: Option<String>,
    level: Option<String>,
    field: Option<String>,
    stage: Option<String>,
    year: Option<i32>,
    q: Option<String>,
    page: Option<i64>,
    page_size: Option<i64>,
}

impl Params {
    fn date(v: &Option<String>, what: &str) -> Result<Option<NaiveDate>, ApiError> {
        match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => parse_date(s)
                .map(Some)
                .ok_or_else(|| ApiError(WebError::BadRequest(format!("{what} không hợp lệ: {s}")))),
        }
    }
    fn from(&self) -> Result<Option<NaiveDate>, ApiError> {
        Self::date(&self.from, "from")
    }
    fn to(&self) -> Result<Option<NaiveDate>, ApiError> {
        Self::date(&self.to, "to")
    }
    fn page(&self) -> Page {
        Page::new(self.page.unwrap_or(1), self.page_size.unwrap_or(50))
    }
    /// The path of the `unit` parameter's unit, if given.
    async fn within(&self, state: &AppState) -> Result<Option<String>, ApiError> {
        match self.unit.as_deref().filter(|u| !u.is_empty()) {
            None => Ok(None),
            Some(code) => Ok(Some(
                state
                    .store
                    .unit_by_code(code)
                    .await?
                    .ok_or(ApiError(WebError::NotFound))?
                    .path,
            )),
        }
    }
}

async fn programmes(State(state): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult {
    ok(state.store.list_programmes(&actor, state.today()).await?)
}

async fn create_programme(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    body: Result<Json<ProgrammeDraft>, JsonRejection>,
) -> ApiResult {
    let d = json_body(body)?;
    let id = state.store.create_programme(&actor, &d).await?;
    ok(json!({ "id": id }))
}

async fn programme(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult {
    ok(state.store.programme(&actor, id, state.today()).await?)
}

async fn add_task(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<TaskDraft>, JsonRejection>,
) -> ApiResult {
    let d = json_body(body)?;
    let task = state.store.add_task(&actor, id, &d).await?;
    ok(json!({ "id": task }))
}

async fn task(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult {
    ok(state.store.task(&actor, id, state.today()).await?)
}

async fn update_task(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<TaskUpdate>, JsonRejection>,
) -> ApiResult {
    let u = json_body(body)?;
    state
        .store
        .update_task(&actor, id, &u, state.today())
        .await?;
    ok(state.store.task(&actor, id, state.today()).await?)
}

async fn review(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
    Query(p): Query<Params>,
) -> ApiResult {
    let (Some(from), Some(to)) = (p.from()?, p.to()?) else {
        return Err(ApiError(WebError::BadRequest(
            "Cần from và to (yyyy-mm-dd)".into(),
        )));
    };
    let r = state.store.review(&actor, id, from, to).await?;
    let text: Vec<String> = r
        .blocks()
        .into_iter()
        .map(|b| match b {
            danvan_reports::docx::Block::Heading(t)
            | danvan_reports::docx::Block::Paragraph(t)
            | danvan_reports::docx::Block::Item(t)
            | danvan_reports::docx::Block::ToWrite(t) => t,
        })
        .collect();
    ok(json!({ "title": r.title_line(), "empty": r.is_empty(), "review": r, "text": text }))
}

async fn engagements(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Query(p): Query<Params>,
) -> ApiResult {
    let kind = p.kind.as_deref().and_then(EngagementKind::parse);
    ok(state
        .store
        .list_engagements(&actor, p.from()?, p.to()?, kind, p.page())
        .await?)
}

async fn create_engagement(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    body: Result<Json<EngagementDraft>, JsonRejection>,
) -> ApiResult {
    let d = json_body(body)?;
    let id = state
        .store
        .create_engagement(&actor, &d, state.today())
        .await?;
    ok(json!({ "id": id }))
}

async fn engagement(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult {
    ok(state.store.engagement(&actor, id).await?)
}

async fn situation(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Query(p): Query<Params>,
) -> ApiResult {
    let today = state.today();
    let to = p.to()?.unwrap_or(today);
    let from = p.from()?.unwrap_or_else(|| {
        NaiveDate::from_ymd_opt(chrono::Datelike::year(&to), 1, 1).unwrap_or(to)
    });
    let within = p.within(&state).await?;
    ok(state
        .store
        .situation_overview(&actor, from, to, within.as_deref())
        .await?)
}

async fn situation_reports(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Query(p): Query<Params>,
) -> ApiResult {
    let within = p.within(&state).await?;
    let level = p.level.as_deref().and_then(SituationLevel::parse);
    ok(state
        .store
        .list_situations(
            &actor,
            p.from()?,
            p.to()?,
            within.as_deref(),
            level,
            p.page(),
        )
        .await?)
}

async fn create_report(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    body: Result<Json<SituationDraft>, JsonRejection>,
) -> ApiResult {
    let d = json_body(body)?;
    let id = state.store.create_situation(&actor, &d).await?;
    ok(json!({ "id": id }))
}

async fn situation_report(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult {
    ok(state.store.situation(&actor, id).await?)
}

async fn add_hotspot(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<HotspotDraft>, JsonRejection>,
) -> ApiResult {
    let d = json_body(body)?;
    let hotspot = state
        .store
        .add_hotspot(&actor, id, &d, state.today())
        .await?;
    ok(json!({ "id": hotspot }))
}

async fn models(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Query(p): Query<Params>,
) -> ApiResult {
    let f = ModelFilter {
        year: p.year,
        field: p.field.as_deref().and_then(ModelField::parse),
        level: p.level.as_deref().and_then(ModelLevel::parse),
        stage: p.stage.as_deref().and_then(ModelStage::parse),
        kind: p.kind.as_deref().and_then(ModelKind::parse),
        within: p.within(&state).await?,
        text: p.q.clone(),
    };
    let (list, counts) = state.store.list_models(&actor, &f, p.page()).await?;
    ok(json!({ "list": list, "counts": counts }))
}

async fn register_model(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    body: Result<Json<ModelDraft>, JsonRejection>,
) -> ApiResult {
    let d = json_body(body)?;
    let id = state
        .store
        .register_model(&actor, &d, state.today())
        .await?;
    ok(json!({ "id": id }))
}

async fn model(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult {
    ok(state.store.model(&actor, id).await?)
}

async fn step(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<StageDraft>, JsonRejection>,
) -> ApiResult {
    let d = json_body(body)?;
    state
        .store
        .step_model(&actor, id, &d, state.today())
        .await?;
    ok(state.store.model(&actor, id).await?)
}

async fn round(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    body: Result<Json<RoundDraft>, JsonRejection>,
) -> ApiResult {
    let d = json_body(body)?;
    let n = state.store.model_round(&actor, &d, state.today()).await?;
    ok(json!({ "models": n }))
}

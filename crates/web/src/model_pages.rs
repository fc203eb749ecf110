//! "Dân vận khéo" pages: the list with its counts by field, level, kind and stage, the
//! registration form, a model's page with its criteria and cycle, the yearly round.

use crate::AppState;
use crate::auth::{SessionUser, posted_form};
use crate::coordination_pages::{Pairs, all, coordination_units, visible_units};
use crate::error::WebError;
use crate::pages::saved_or_again;
use crate::pages::{Chrome, chrome, render};
use crate::view::{FormState, Opt, Pager, date, num, opt_date, options, qs};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use danvan_domain::access::{Action, RecordRef};
use danvan_domain::coordination::{
    ModelDraft, ModelField, ModelKind, ModelLevel, ModelStage, StageDraft,
};
use danvan_store::Page;
use danvan_store::coordination::{ModelCounts, ModelDetail, ModelFilter, RoundDraft};
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "models.html")]
struct ModelsPage {
    chrome: Chrome,
    rows: Vec<ModelLine>,
    pager: Pager,
    counts: Vec<(&'static str, Vec<(String, String)>)>,
    total: String,
    filter_error: String,
    year: String,
    text: String,
    field_filter: Vec<Opt>,
    level_filter: Vec<Opt>,
    stage_filter: Vec<Opt>,
    kind_filter: Vec<Opt>,
    area_opts: Vec<Opt>,
    may_register: bool,
    may_assess: bool,
    unit_opts: Vec<Opt>,
    field_opts: Vec<Opt>,
    kind_opts: Vec<Opt>,
    level_opts: Vec<Opt>,
    round_opts: Vec<Opt>,
    form: FormState,
}

struct ModelLine {
    id: i64,
    name: String,
    unit: String,
    field: String,
    kind: String,
    level: String,
    year: i32,
    stage: String,
    stage_on: String,
}

/// "Tất cả" and then every choice, for a filter.
fn any_of(
    choices: impl Iterator<Item = (&'static str, &'static str)>,
) -> impl Iterator<Item = (&'static str, &'static str)> {
    std::iter::once(("", "Tất cả")).chain(choices)
}

fn count_lines<T: Copy>(list: &[(T, i64)], label: fn(T) -> &'static str) -> Vec<(String, String)> {
    list.iter()
        .map(|(v, n)| (label(*v).to_owned(), num(*n)))
        .collect()
}

async fn models_page(
    state: &AppState,
    user: &SessionUser,
    q: &HashMap<String, String>,
    form: FormState,
) -> Result<Response, WebError> {
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
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
    let year: Option<i32> = get("year").trim().parse().ok();
    let filter_error = if year.is_none() && !get("year").trim().is_empty() {
        format!("Năm không hợp lệ: {} (ví dụ 2026)", get("year").trim())
    } else {
        String::new()
    };
    let filter = ModelFilter {
        year,
        field: ModelField::parse(get("field")),
        level: ModelLevel::parse(get("level")),
        stage: ModelStage::parse(get("stage")),
        kind: ModelKind::parse(get("kind")),
        within,
        text: Some(get("q").to_owned()).filter(|t| !t.trim().is_empty()),
    };
    let page = Page::new(get("page").parse().unwrap_or(1), 50);
    let (list, counts) = state.store.list_models(&user.actor, &filter, page).await?;
    let ModelCounts {
        total,
        by_field,
        by_level,
        by_kind,
        by_stage,
        by_area,
    } = counts;
    let query = format!(
        "year={}&field={}&level={}&stage={}&kind={}&unit={}&q={}",
        qs(get("year")),
        qs(get("field")),
        qs(get("level")),
        qs(get("stage")),
        qs(get("kind")),
        qs(get("unit")),
        qs(get("q"))
    );
    let unit_opts = coordination_units(state, user, form.v("unit")).await?;
    let actor = user.actor.clone();
    let may_assess = !crate::pages::unit_options(state, user, "", move |p| {
        actor.may(Action::AssessModel(RecordRef { unit_path: p }))
    })
    .await?
    .is_empty();
    Ok(render(ModelsPage {
        chrome: chrome(user, "models"),
        pager: Pager::new(&list, "/models", &query),
        rows: list
            .items
            .into_iter()
            .map(|m| ModelLine {
                id: m.id,
                name: m.name,
                unit: m.unit,
                field: m.field.label().to_owned(),
                kind: m.kind.label().to_owned(),
                level: m.level.label().to_owned(),
                year: m.year,
                stage: m.stage.label().to_owned(),
                stage_on: date(m.stage_on),
            })
            .collect(),
        counts: vec![
            ("Theo lĩnh vực", count_lines(&by_field, ModelField::label)),
            ("Theo cấp", count_lines(&by_level, ModelLevel::label)),
            ("Theo loại", count_lines(&by_kind, ModelKind::label)),
            ("Theo bước", count_lines(&by_stage, ModelStage::label)),
            (
                "Theo đơn vị, địa bàn",
                by_area
                    .iter()
                    .take(15)
                    .map(|(name, _, n)| (name.clone(), num(*n)))
                    .collect(),
            ),
        ],
        total: num(total),
        filter_error,
        year: get("year").to_owned(),
        text: get("q").to_owned(),
        field_filter: options(any_of(ModelField::choices()), get("field")),
        level_filter: options(any_of(ModelLevel::choices()), get("level")),
        stage_filter: options(any_of(ModelStage::choices()), get("stage")),
        kind_filter: options(any_of(ModelKind::choices()), get("kind")),
        area_opts: visible_units(state, user, get("unit")).await?,
        may_register: !unit_opts.is_empty(),
        may_assess,
        unit_opts,
        field_opts: options(ModelField::choices(), form.v("field")),
        kind_opts: options(ModelKind::choices(), form.v("kind")),
        level_opts: options(ModelLevel::choices(), form.v("level")),
        round_opts: options(
            [
                ("recognised", "Công nhận mô hình"),
                ("commended", "Khen thưởng mô hình"),
            ],
            form.v("round_stage"),
        ),
        form,
    }))
}

pub async fn models(
    State(state): State<AppState>,
    user: SessionUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let mut form = FormState::default();
    let y = state.today().year().to_string();
    form.values.insert("period_from".into(), y.clone());
    form.values.insert("period_to".into(), y);
    models_page(&state, &user, &q, form).await
}

pub async fn register(
    State(state): State<AppState>,
    user: SessionUser,
    axum::Form(pairs): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, pairs)?;
    let year = |k: &str| f.v(k).trim().parse::<i32>().unwrap_or(0);
    let d = ModelDraft {
        name: f.take("name"),
        unit: f.take("unit"),
        address: f.take("address"),
        field: f.take("field"),
        kind: f.take("kind"),
        level: f.take("level"),
        registered_on: f.take("registered_on"),
        period_from: year("period_from"),
        period_to: year("period_to"),
        description: f.take("description"),
        results: f.take("results"),
        evidence: f.take("evidence"),
    };
    let result = state
        .store
        .register_model(&user.actor, &d, state.today())
        .await;
    // The refused form comes back on the list's first page, unfiltered.
    let no_query = HashMap::new();
    saved_or_again(
        result,
        f,
        |id| format!("/models/{id}"),
        |form| models_page(&state, &user, &no_query, form),
    )
    .await
}

/// A round: one decision for the models ticked in the list.
pub async fn round(
    State(state): State<AppState>,
    user: SessionUser,
    axum::Form(pairs): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, pairs.clone())?;
    let d = RoundDraft {
        stage: f.take("round_stage"),
        decision: f.take("decision"),
        on: f.take("on"),
        form: f.take("form"),
        issuer: f.take("issuer"),
        models: all(&pairs, "model")
            .iter()
            .filter_map(|v| v.parse().ok())
            .collect(),
    };
    let result = state
        .store
        .model_round(&user.actor, &d, state.today())
        .await;
    let stage = qs(&d.stage);
    let no_query = HashMap::new();
    saved_or_again(
        result,
        f,
        |n| format!("/models?stage={stage}&done={n}"),
        |form| models_page(&state, &user, &no_query, form),
    )
    .await
}

#[derive(Template)]
#[template(path = "model.html")]
struct ModelPage {
    chrome: Chrome,
    m: ModelDetail,
    registered_on: String,
    stage_on: String,
    recognised_on: String,
    commended_on: String,
    events: Vec<(String, String, String, String, String)>,
    next_opts: Vec<Opt>,
    form: FormState,
    tasks: Vec<(i64, String)>,
}

async fn model_page(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    form: FormState,
) -> Result<Response, WebError> {
    let m = state.store.model(&user.actor, id).await?;
    let tasks = state
        .store
        .linked_tasks(
            &user.actor,
            danvan_domain::coordination::LinkKind::Model,
            &id.to_string(),
        )
        .await?;
    let next: Vec<(&str, &str)> = m
        .row
        .stage
        .next()
        .iter()
        .filter(|s| {
            m.may_assess
                || (m.may_update && matches!(s, ModelStage::InProgress | ModelStage::Stopped))
        })
        .map(|s| (s.code(), s.label()))
        .collect();
    Ok(render(ModelPage {
        tasks,
        chrome: chrome(user, "models"),
        registered_on: date(m.registered_on),
        stage_on: date(m.row.stage_on),
        recognised_on: opt_date(m.row.recognised_on),
        commended_on: opt_date(m.row.commended_on),
        events: m
            .events
            .iter()
            .map(|e| {
                (
                    date(e.on),
                    e.stage.label().to_owned(),
                    e.decision.clone(),
                    e.note.clone(),
                    e.by.clone(),
                )
            })
            .collect(),
        next_opts: options(next, form.v("stage")),
        form,
        m,
    }))
}

pub async fn model(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let mut form = FormState::default();
    form.values.insert("on".into(), date(state.today()));
    model_page(&state, &user, id, form).await
}

pub async fn step(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
    axum::Form(pairs): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, pairs)?;
    let d = StageDraft {
        stage: f.take("stage"),
        on: f.take("on"),
        note: f.take("note"),
        decision: f.take("decision"),
        form: f.take("form"),
        issuer: f.take("issuer"),
    };
    let result = state
        .store
        .step_model(&user.actor, id, &d, state.today())
        .await;
    saved_or_again(
        result,
        f,
        |_| format!("/models/{id}"),
        |form| model_page(&state, &user, id, form),
    )
    .await
}

pub async fn criteria(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
    axum::Form(pairs): Pairs,
) -> Result<Response, WebError> {
    posted_form(&user, pairs.clone())?;
    let met: Vec<i64> = all(&pairs, "criterion")
        .iter()
        .filter_map(|v| v.parse().ok())
        .collect();
    state
        .store
        .set_model_criteria(&user.actor, id, &met)
        .await?;
    Ok(Redirect::to(&format!("/models/{id}")).into_response())
}

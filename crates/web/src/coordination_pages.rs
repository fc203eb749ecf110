//! Pages of the coordination work: programmes and their tasks, dialogues and contact visits,
//! and the programme's review (on screen and as Word). A refused form comes back filled in,
//! with the message next to each field at fault (status 422).

use crate::AppState;
use crate::auth::{SessionUser, posted_form};
use crate::error::WebError;
use crate::pages::{Chrome, chrome, render, saved_or_again, unit_options};
use crate::view::{FormState, Opt, Pager, date, num, opt_date, options, qs};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use danvan_domain::access::{Action, RecordRef};
use danvan_domain::coordination::{
    EngagementDraft, EngagementKind, LinkKind, ProgrammeDraft, Recurrence, TaskDraft, TaskStatus,
    TaskUpdate,
};
use danvan_store::coordination::{Review, TaskRow};
use danvan_store::{Page, StoreError};
use std::collections::HashMap;

pub(crate) use crate::view::{Pairs, all};

/// The units where the reader may write coordination records.
pub(crate) async fn coordination_units(
    state: &AppState,
    user: &SessionUser,
    current: &str,
) -> Result<Vec<Opt>, WebError> {
    let actor = user.actor.clone();
    unit_options(state, user, current, move |p| {
        actor.may(Action::Coordinate(RecordRef { unit_path: p }))
    })
    .await
}

/// The units the reader may read coordination records of (filters, programme scope).
pub(crate) async fn visible_units(
    state: &AppState,
    user: &SessionUser,
    current: &str,
) -> Result<Vec<Opt>, WebError> {
    let actor = user.actor.clone();
    let mut opts = unit_options(state, user, current, move |p| {
        actor.may(Action::ViewCoordination(RecordRef { unit_path: p }))
    })
    .await?;
    for o in &mut opts {
        o.selected = o.code == current;
    }
    Ok(opts)
}

/// Every unit (parties and cooperating units of a programme may be anywhere).
async fn any_units(state: &AppState, selected: &[String]) -> Result<Vec<Opt>, WebError> {
    Ok(state
        .store
        .units()
        .await?
        .into_iter()
        .filter(|u| u.valid_to.is_none())
        .map(|u| Opt {
            selected: selected.contains(&u.code),
            label: format!("{}{}", "· ".repeat(u.depth()), u.name),
            code: u.code,
        })
        .collect())
}

/// A task as a line of a table.
pub(crate) struct TaskLine {
    pub id: i64,
    pub content: String,
    pub lead: String,
    pub cooperating: String,
    pub due: String,
    pub recurrence: String,
    pub status: String,
    pub overdue: bool,
    pub done_on: String,
    pub evidence: String,
}

pub(crate) fn task_line(t: &TaskRow) -> TaskLine {
    TaskLine {
        id: t.id,
        content: t.content.clone(),
        lead: t.lead_unit.clone(),
        cooperating: t.cooperating.join(", "),
        due: date(t.due_on),
        recurrence: if t.recurrence == Recurrence::Once {
            String::new()
        } else {
            t.recurrence.label().to_owned()
        },
        status: t.status.label().to_owned(),
        overdue: t.overdue,
        done_on: opt_date(t.completed_on),
        evidence: format!("{} ghi nhận · {} liên kết", t.notes, t.links),
    }
}

// ---------------------------------------------------------------- programmes

#[derive(Template)]
#[template(path = "programmes.html")]
struct ProgrammesPage {
    chrome: Chrome,
    rows: Vec<ProgrammeLine>,
    may_create: bool,
    unit_opts: Vec<Opt>,
    scope_opts: Vec<Opt>,
    form: FormState,
}

struct ProgrammeLine {
    id: i64,
    title: String,
    years: String,
    parties: String,
    tasks: String,
    done: String,
    overdue: i64,
}

fn years(a: i32, b: i32) -> String {
    if a == b {
        a.to_string()
    } else {
        format!("{a}–{b}")
    }
}

async fn programmes_page(
    state: &AppState,
    user: &SessionUser,
    form: FormState,
    parties: &[String],
) -> Result<Response, WebError> {
    let rows = state
        .store
        .list_programmes(&user.actor, state.today())
        .await?
        .into_iter()
        .map(|p| ProgrammeLine {
            id: p.id,
            title: p.title,
            years: years(p.year_from, p.year_to),
            parties: p.parties.join("; "),
            tasks: num(p.tasks),
            done: num(p.done),
            overdue: p.overdue,
        })
        .collect();
    let mine = coordination_units(state, user, "").await?;
    Ok(render(ProgrammesPage {
        chrome: chrome(user, "programmes"),
        rows,
        may_create: !mine.is_empty(),
        unit_opts: any_units(state, parties).await?,
        scope_opts: visible_units(state, user, form.v("scope_unit")).await?,
        form,
    }))
}

pub async fn programmes(
    State(state): State<AppState>,
    user: SessionUser,
) -> Result<Response, WebError> {
    let mut form = FormState::default();
    form.values
        .insert("year_from".into(), state.today().year().to_string());
    form.values
        .insert("year_to".into(), state.today().year().to_string());
    programmes_page(&state, &user, form, &[]).await
}

pub async fn create_programme(
    State(state): State<AppState>,
    user: SessionUser,
    Form(pairs): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, pairs.clone())?;
    let parties = all(&pairs, "parties");
    let d = ProgrammeDraft {
        title: f.take("title"),
        year_from: f.v("year_from").trim().parse().unwrap_or(0),
        year_to: f.v("year_to").trim().parse().unwrap_or(0),
        legal_basis: f.take("legal_basis"),
        parties: parties.clone(),
        scope_unit: f.take("scope_unit"),
    };
    let result = state.store.create_programme(&user.actor, &d).await;
    saved_or_again(
        result,
        f,
        |id| format!("/programmes/{id}"),
        |form| programmes_page(&state, &user, form, &parties),
    )
    .await
}

#[derive(Template)]
#[template(path = "programme.html")]
struct ProgrammePage {
    chrome: Chrome,
    id: i64,
    title: String,
    years: String,
    legal_basis: String,
    scope: String,
    parties: String,
    tasks: Vec<TaskLine>,
    /// Progress by lead unit for leaders: (unit, tasks, done, overdue), and the whole.
    progress: Vec<(String, usize, usize, usize)>,
    /// (id, file name, size)
    documents: Vec<(i64, String, String)>,
    may_edit: bool,
    unit_opts: Vec<Opt>,
    coop_opts: Vec<Opt>,
    recurrence_opts: Vec<Opt>,
    /// Review periods offered: (label, from, to).
    periods: Vec<(String, String, String)>,
    form: FormState,
}

async fn programme_page(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    form: FormState,
    cooperating: &[String],
) -> Result<Response, WebError> {
    let p = state
        .store
        .programme(&user.actor, id, state.today())
        .await?;
    let mut periods = vec![];
    for y in p.year_from..=p.year_to {
        let d = |m, day| {
            NaiveDate::from_ymd_opt(y, m, day)
                .map(date)
                .unwrap_or_default()
        };
        periods.push((format!("6 tháng đầu năm {y}"), d(1, 1), d(6, 30)));
        periods.push((format!("Năm {y}"), d(1, 1), d(12, 31)));
    }
    let mut progress: Vec<(String, usize, usize, usize)> = vec![];
    for t in &p.tasks {
        let i = match progress.iter().position(|r| r.0 == t.lead_unit) {
            Some(i) => i,
            None => {
                progress.push((t.lead_unit.clone(), 0, 0, 0));
                progress.len() - 1
            }
        };
        let row = &mut progress[i];
        row.1 += 1;
        row.2 += usize::from(t.status == TaskStatus::Done);
        row.3 += usize::from(t.overdue);
    }
    if progress.len() > 1 {
        let whole = progress
            .iter()
            .fold(("Cả chương trình".to_owned(), 0, 0, 0), |a, r| {
                (a.0, a.1 + r.1, a.2 + r.2, a.3 + r.3)
            });
        progress.push(whole);
    }
    Ok(render(ProgrammePage {
        chrome: chrome(user, "programmes"),
        progress,
        id,
        years: years(p.year_from, p.year_to),
        legal_basis: p.legal_basis,
        scope: p.scope_unit.name,
        parties: p
            .parties
            .iter()
            .map(|u| u.name.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        tasks: p.tasks.iter().map(task_line).collect(),
        documents: p
            .documents
            .iter()
            .map(|d| {
                (
                    d.id,
                    d.file_name.clone(),
                    format!("{} KB", num((d.size_bytes + 1023) / 1024)),
                )
            })
            .collect(),
        may_edit: p.may_edit,
        unit_opts: any_units(state, &[form.take("lead_unit")]).await?,
        coop_opts: any_units(state, cooperating).await?,
        recurrence_opts: options(Recurrence::choices(), form.v("recurrence")),
        periods,
        title: p.title,
        form,
    }))
}

pub async fn programme(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    programme_page(&state, &user, id, FormState::default(), &[]).await
}

/// Adds a document to a programme (the same checks and storage as a petition's scans).
pub async fn add_document(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
    multipart: axum::extract::Multipart,
) -> Result<Response, WebError> {
    let (name, bytes) = crate::petition_pages::upload(&user, multipart).await?;
    let dir = state.config.attachments_dir.clone();
    let result = state
        .store
        .attach_to_programme(&user.actor, &dir, id, &name, &bytes)
        .await;
    saved_or_again(
        result,
        FormState::default(),
        |_| format!("/programmes/{id}"),
        |form| programme_page(&state, &user, id, form, &[]),
    )
    .await
}

pub async fn add_task(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
    Form(pairs): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, pairs.clone())?;
    let cooperating = all(&pairs, "cooperating");
    let d = TaskDraft {
        content: f.take("content"),
        lead_unit: f.take("lead_unit"),
        cooperating: cooperating.clone(),
        starts_on: f.take("starts_on"),
        due_on: f.take("due_on"),
        recurrence: f.take("recurrence"),
    };
    let result = state.store.add_task(&user.actor, id, &d).await;
    saved_or_again(
        result,
        f,
        |_| format!("/programmes/{id}"),
        |form| programme_page(&state, &user, id, form, &cooperating),
    )
    .await
}

#[derive(Template)]
#[template(path = "task.html")]
struct TaskPage {
    chrome: Chrome,
    task: TaskLine,
    programme_id: i64,
    programme_title: String,
    starts: String,
    notes: Vec<(String, String, String, String, String)>,
    links: Vec<(String, String, String, String)>,
    may_update: bool,
    status_opts: Vec<Opt>,
    link_opts: Vec<Opt>,
    form: FormState,
}

async fn task_page(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    form: FormState,
) -> Result<Response, WebError> {
    let t = state.store.task(&user.actor, id, state.today()).await?;
    Ok(render(TaskPage {
        chrome: chrome(user, "programmes"),
        programme_id: t.task.programme_id,
        starts: opt_date(t.task.starts_on),
        task: task_line(&t.task),
        programme_title: t.programme_title,
        notes: t
            .notes
            .into_iter()
            .map(|n| {
                (
                    date(n.noted_on),
                    n.status.map(|s| s.label().to_owned()).unwrap_or_default(),
                    n.note,
                    n.evidence,
                    n.by,
                )
            })
            .collect(),
        links: t
            .links
            .into_iter()
            .map(|l| (l.kind.label().to_owned(), l.target, l.title, l.href))
            .collect(),
        may_update: t.may_update,
        status_opts: options(
            std::iter::once(("", "(giữ nguyên)")).chain(TaskStatus::choices()),
            form.v("status"),
        ),
        link_opts: options(LinkKind::choices(), form.v("kind")),
        form,
    }))
}

pub async fn task(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    task_page(&state, &user, id, FormState::default()).await
}

pub async fn update_task(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
    Form(pairs): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, pairs)?;
    let u = TaskUpdate {
        status: f.take("status"),
        note: f.take("note"),
        evidence: f.take("evidence"),
        noted_on: f.take("noted_on"),
    };
    let result = state
        .store
        .update_task(&user.actor, id, &u, state.today())
        .await;
    saved_or_again(
        result,
        f,
        |_| format!("/tasks/{id}"),
        |form| task_page(&state, &user, id, form),
    )
    .await
}

pub async fn link_task(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
    Form(pairs): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, pairs)?;
    let kind = LinkKind::parse(f.v("kind"))
        .ok_or_else(|| WebError::BadRequest("Loại liên kết không hợp lệ".into()))?;
    let result = state
        .store
        .link_task(&user.actor, id, kind, f.v("target"))
        .await;
    saved_or_again(
        result,
        f,
        |_| format!("/tasks/{id}"),
        |form| task_page(&state, &user, id, form),
    )
    .await
}

// ---------------------------------------------------------------- review

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    chrome: Chrome,
    r: Review,
    title_line: String,
    from: String,
    to: String,
    summary_text: String,
    level_counts: (String, String, String),
    engagement_counts: Vec<(String, String)>,
}

fn review_period(
    q: &HashMap<String, String>,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate), WebError> {
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let (from, to) =
        crate::view::date_range(get("from"), get("to")).map_err(WebError::BadRequest)?;
    // By default the first half of this year.
    let from = from
        .or_else(|| NaiveDate::from_ymd_opt(today.year(), 1, 1))
        .unwrap_or(today);
    let to = to
        .or_else(|| NaiveDate::from_ymd_opt(from.year(), 6, 30))
        .unwrap_or(today);
    if to < from {
        return Err(WebError::BadRequest(
            "Đến ngày trước Từ ngày: chọn lại khoảng thời gian".into(),
        ));
    }
    Ok((from, to))
}

pub async fn review(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (from, to) = review_period(&q, state.today())?;
    let r = state.store.review(&user.actor, id, from, to).await?;
    let (a, b, c) = r.situation_levels;
    Ok(render(ReviewPage {
        chrome: chrome(&user, "programmes"),
        title_line: r.title_line(),
        from: date(from),
        to: date(to),
        summary_text: r.summary.text(),
        level_counts: (num(a), num(b), num(c)),
        engagement_counts: r
            .engagements
            .iter()
            .map(|(k, n)| (k.label().to_owned(), num(*n)))
            .collect(),
        r,
    }))
}

pub async fn review_docx(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (from, to) = review_period(&q, state.today())?;
    let bytes = state
        .store
        .review_docx(&user.actor, id, from, to, state.today())
        .await?;
    Ok(crate::view::word_file(
        &format!("so-ket-chuong-trinh-{id}-{from}-{to}.docx"),
        bytes,
    ))
}

// ---------------------------------------------------------------- dialogues and contacts

#[derive(Template)]
#[template(path = "engagements.html")]
struct EngagementsPage {
    chrome: Chrome,
    rows: Vec<EngagementLine>,
    pager: Pager,
    kind_filter: Vec<Opt>,
    from: String,
    to: String,
    filter_error: String,
    may_create: bool,
    unit_opts: Vec<Opt>,
    kind_opts: Vec<Opt>,
    form: FormState,
}

struct EngagementLine {
    id: i64,
    kind: String,
    unit: String,
    date: String,
    host: String,
    counterpart: String,
    topics: String,
    participants: String,
}

async fn engagements_page(
    state: &AppState,
    user: &SessionUser,
    q: &HashMap<String, String>,
    form: FormState,
) -> Result<Response, WebError> {
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let kind = EngagementKind::parse(get("kind"));
    let page = Page::new(get("page").parse().unwrap_or(1), 50);
    let ((from, to), filter_error) = match crate::view::date_range(get("from"), get("to")) {
        Ok(range) => (range, String::new()),
        Err(e) => ((None, None), e),
    };
    let list = state
        .store
        .list_engagements(&user.actor, from, to, kind, page)
        .await?;
    let query = format!(
        "kind={}&from={}&to={}",
        qs(get("kind")),
        qs(get("from")),
        qs(get("to"))
    );
    let unit_opts = coordination_units(state, user, form.v("unit")).await?;
    Ok(render(EngagementsPage {
        chrome: chrome(user, "engagements"),
        pager: Pager::new(&list, "/engagements", &query),
        rows: list
            .items
            .into_iter()
            .map(|e| EngagementLine {
                id: e.id,
                kind: e.kind.label().to_owned(),
                unit: e.unit,
                date: date(e.held_on),
                host: e.host,
                counterpart: e.counterpart,
                topics: e.topics,
                participants: num(e.participants),
            })
            .collect(),
        kind_filter: options(
            std::iter::once(("", "Tất cả")).chain(EngagementKind::choices()),
            get("kind"),
        ),
        from: get("from").to_owned(),
        to: get("to").to_owned(),
        filter_error,
        may_create: !unit_opts.is_empty(),
        unit_opts,
        kind_opts: options(EngagementKind::choices(), form.v("kind")),
        form,
    }))
}

pub async fn engagements(
    State(state): State<AppState>,
    user: SessionUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    engagements_page(&state, &user, &q, FormState::default()).await
}

pub async fn create_engagement(
    State(state): State<AppState>,
    user: SessionUser,
    Form(pairs): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, pairs)?;
    let participants = match f.v("participants").trim() {
        "" => Some(0),
        s => s.parse::<i64>().ok(),
    };
    let d = EngagementDraft {
        kind: f.take("kind"),
        unit: f.take("unit"),
        held_on: f.take("held_on"),
        place: f.take("place"),
        host: f.take("host"),
        counterpart: f.take("counterpart"),
        occasion: f.take("occasion"),
        participants: participants.unwrap_or(-1),
        topics: f.take("topics"),
        gifts: f.take("gifts"),
        issues: f.take("issues"),
        conclusions: f.take("conclusions"),
        follow_up: f.take("follow_up"),
        cases: vec![f.take("cases")],
    };
    let result = if participants.is_none() {
        Err(StoreError::Invalid(danvan_domain::Invalid::one(
            "participants",
            "Số người tham dự phải là số",
        )))
    } else {
        state
            .store
            .create_engagement(&user.actor, &d, state.today())
            .await
    };
    // The refused form comes back on the list's first page, unfiltered.
    let no_query = HashMap::new();
    saved_or_again(
        result,
        f,
        |id| format!("/engagements/{id}"),
        |form| engagements_page(&state, &user, &no_query, form),
    )
    .await
}

#[derive(Template)]
#[template(path = "engagement.html")]
struct EngagementPage {
    chrome: Chrome,
    e: danvan_store::coordination::EngagementDetail,
    kind: String,
    date: String,
    tasks: Vec<(i64, String)>,
}

pub async fn engagement(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let e = state.store.engagement(&user.actor, id).await?;
    let tasks = state
        .store
        .linked_tasks(&user.actor, LinkKind::Engagement, &id.to_string())
        .await?;
    Ok(render(EngagementPage {
        tasks,
        chrome: chrome(&user, "engagements"),
        kind: e.row.kind.label().to_owned(),
        date: date(e.row.held_on),
        e,
    }))
}

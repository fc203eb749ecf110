//! The reception register (sổ tiếp công dân): the list, the form, a visit and its receipt.

use crate::AppState;
use crate::auth::{SessionUser, posted_form};
use crate::error::WebError;
use crate::view::{FormState, Opt, Pager, date, num, options};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use danvan_domain::access::{Action, RecordRef};
use danvan_domain::records::{PetitionType, VisitDraft, VisitHandling, VisitKind, VisitMode};
use danvan_store::{Page, VisitFilter};
use std::collections::HashMap;

use crate::letter_pages::record_letters;
use crate::pages::{
    Chrome, Labels, ListQuery, chrome, field_checker, field_options, person_draft, render,
    saved_or_again, type_label, unit_filter_options, unit_options,
};
use crate::petition_pages::related_answers;
use crate::view::Pairs;

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
    pub(crate) fn from(v: &danvan_store::VisitRow, labels: &Labels) -> Self {
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

pub async fn create_visit(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, form)?;
    let draft = visit_draft(&f);
    let exists = field_checker(&state).await?;
    let rules = danvan_domain::records::VisitRules {
        today: state.today(),
        group_threshold: state.store.group_threshold().await?,
        field_exists: &exists,
    };
    let result = match draft.check(&rules) {
        Ok(input) => {
            state
                .store
                .create_visit(&user.actor, &draft.unit_code, &input)
                .await
        }
        Err(inv) => Err(inv.into()),
    };
    saved_or_again(
        result,
        f,
        |code| format!("/visits/{code}?created=1"),
        |form| async { Ok(render(visit_form(&state, &user, form).await?)) },
    )
    .await
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

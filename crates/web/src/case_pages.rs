//! Cases (vụ việc): the list, a case with its timeline, its status and its handler.

use crate::AppState;
use crate::auth::{SessionUser, posted_form};
use crate::error::WebError;
use crate::view::{Opt, Pager, date, num, options};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_domain::records::CaseStatus;
use danvan_store::{CaseFilter, Page};

use crate::pages::{Chrome, Labels, ListQuery, chrome, render, type_label};
use crate::view::Pairs;

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
    pub(crate) fn from(c: &danvan_store::CaseRow, labels: &Labels) -> Self {
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
    let f = posted_form(&user, form)?;
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
    let f = posted_form(&user, form)?;
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

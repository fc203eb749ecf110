//! The letters of a petition or a visit: draft from the record, edit, issue (numbered and
//! dated, then fixed), download as Word; listed on the record and on its case.

use crate::AppState;
use crate::auth::{SessionUser, posted_form};
use crate::error::WebError;
use crate::pages::{Chrome, chrome, render};
use crate::view::date;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_store::StoreError;
use danvan_store::letters::{Letter, LetterKind};

use crate::view::Pairs;

/// (code, label) of the letters a petition or a visit may need.
pub fn kinds(for_visit: bool) -> Vec<(&'static str, &'static str)> {
    LetterKind::ALL
        .into_iter()
        .filter(|k| k.for_visit() == for_visit)
        .map(|k| (k.code(), k.label()))
        .collect()
}

/// POST /letters: draft a letter of `kind` for the record `code`.
pub async fn draft(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, form)?;
    let kind = LetterKind::parse(f.v("kind"))
        .ok_or_else(|| WebError::BadRequest("Chọn loại văn bản".into()))?;
    let id = state
        .store
        .draft_letter(&user.actor, kind, f.v("code"), state.today())
        .await?;
    Ok(Redirect::to(&format!("/letters/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "letter.html")]
struct LetterPage {
    chrome: Chrome,
    l: Letter,
    issued: String,
    error: String,
}

async fn page(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    error: String,
) -> Result<Response, WebError> {
    let l = state.store.letter(&user.actor, id).await?;
    let issued = match (&l.number, l.issued_on) {
        (Some(n), Some(d)) => format!("Số {n}, ngày {}", date(d)),
        _ => String::new(),
    };
    let bad = !error.is_empty();
    let mut res = render(LetterPage {
        chrome: chrome(user, "cases"),
        l,
        issued,
        error,
    });
    if bad {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// GET /letters/{id}
pub async fn letter(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    page(&state, &user, id, String::new()).await
}

/// POST /letters/{id}: save the draft, or issue it (`issue=1`).
pub async fn save(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, form)?;
    let mut result = state
        .store
        .update_letter(
            &user.actor,
            id,
            f.v("title"),
            f.v("body"),
            f.v("signer_title"),
            f.v("signer_name"),
        )
        .await;
    if result.is_ok() && f.v("issue") == "1" {
        result = state
            .store
            .issue_letter(&user.actor, id, state.today())
            .await
            .map(|_| ());
    }
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/letters/{id}")).into_response()),
        Err(StoreError::Invalid(e)) => page(&state, &user, id, e.0.joined()).await,
        Err(e) => Err(e.into()),
    }
}

/// GET /letters/{id}/docx
pub async fn docx(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let bytes = state.store.letter_docx(&user.actor, id).await?;
    Ok(crate::view::word_file(&format!("van-ban-{id}.docx"), bytes))
}

/// The letters of one record (on its case) and the kinds the reader may draft for it.
pub(crate) async fn record_letters(
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
    Ok((letters, kinds(for_visit)))
}

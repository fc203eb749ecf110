//! The signed-in user's own account: API tokens (issued once, listed, revoked) and ending
//! every session at once.

use crate::AppState;
use crate::auth::{SESSION_COOKIE, SessionUser, check_csrf};
use crate::error::WebError;
use crate::pages::{Chrome, chrome, render};
use crate::view::FormState;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};

type Pairs = Form<Vec<(String, String)>>;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    tokens: Vec<danvan_store::TokenRow>,
    /// A token just issued: shown this once.
    new_token: String,
    error: String,
}

async fn page(
    state: &AppState,
    user: &SessionUser,
    new_token: String,
    error: String,
) -> Result<Response, WebError> {
    Ok(render(AccountPage {
        chrome: chrome(user, "account"),
        tokens: state.store.tokens_of(user.actor.user_id).await?,
        new_token,
        error,
    }))
}

pub async fn account(
    State(state): State<AppState>,
    user: SessionUser,
) -> Result<Response, WebError> {
    page(&state, &user, String::new(), String::new()).await
}

pub async fn create_token(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = FormState::from_pairs(form);
    check_csrf(&user, Some(f.v("_csrf")))?;
    let label = f.v("label").trim();
    if label.is_empty() {
        let mut res = page(
            &state,
            &user,
            String::new(),
            "Chưa nhập tên gợi nhớ của mã".into(),
        )
        .await?;
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(res);
    }
    let raw = state
        .store
        .create_token(Some(user.actor.user_id), &user.actor.username, label)
        .await?;
    // Shown once, on this response; never stored in clear.
    page(&state, &user, raw, String::new()).await
}

pub async fn revoke_token(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = FormState::from_pairs(form);
    check_csrf(&user, Some(f.v("_csrf")))?;
    state.store.revoke_token(user.actor.user_id, id).await?;
    Ok(Redirect::to("/account").into_response())
}

/// Ends every session of the user, this one included ("đăng xuất khỏi mọi nơi").
pub async fn logout_all(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = FormState::from_pairs(form);
    check_csrf(&user, Some(f.v("_csrf")))?;
    state.store.end_all_sessions(user.actor.user_id).await?;
    Ok((
        [(
            header::SET_COOKIE,
            format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
        )],
        Redirect::to("/login"),
    )
        .into_response())
}

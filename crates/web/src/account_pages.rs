//! The signed-in user's own account: API tokens (issued once, listed, revoked) and ending
//! every session at once.

use crate::AppState;
use crate::auth::{SESSION_COOKIE, SessionUser, posted_form};
use crate::error::WebError;
use crate::pages::{Chrome, chrome, render};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};

use crate::view::Pairs;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    tokens: Vec<danvan_store::TokenRow>,
    /// A token just issued: shown this once.
    new_token: String,
    error: String,
    /// Administrators and leaders may add a second factor: (on, may).
    totp_on: bool,
    totp_may: bool,
    /// While enrolling: the secret and the otpauth address to type into the app.
    totp_secret: String,
    totp_uri: String,
}

async fn page(
    state: &AppState,
    user: &SessionUser,
    new_token: String,
    error: String,
) -> Result<Response, WebError> {
    enrolling(
        state,
        user,
        new_token,
        error,
        (String::new(), String::new()),
    )
    .await
}

async fn enrolling(
    state: &AppState,
    user: &SessionUser,
    new_token: String,
    error: String,
    (totp_secret, totp_uri): (String, String),
) -> Result<Response, WebError> {
    use danvan_domain::Role;
    Ok(render(AccountPage {
        chrome: chrome(user, "account"),
        tokens: state.store.tokens_of(user.actor.user_id).await?,
        new_token,
        error,
        totp_on: state.store.needs_totp(user.actor.user_id).await?,
        totp_may: matches!(user.actor.role, Role::Admin | Role::Head | Role::Deputy),
        totp_secret,
        totp_uri,
    }))
}

/// Starts adding a second factor: shows the secret once, for the authenticator app.
pub async fn totp_start(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    posted_form(&user, form)?;
    let secret = state.store.totp_start(&user.actor).await?;
    enrolling(&state, &user, String::new(), String::new(), secret).await
}

/// Confirms the second factor with a first code, or turns it off with a current one.
pub async fn totp_set(
    State(state): State<AppState>,
    user: SessionUser,
    Path(action): Path<String>,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, form)?;
    let result = match action.as_str() {
        "confirm" => state.store.totp_confirm(&user.actor, f.v("code")).await,
        "off" => {
            state
                .store
                .totp_off(&user.actor, &user.actor.username, Some(f.v("code")))
                .await
        }
        _ => return Err(WebError::NotFound),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/account").into_response()),
        Err(danvan_store::StoreError::Invalid(i)) => {
            let mut res = page(&state, &user, String::new(), i.0.joined()).await?;
            *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
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
    let f = posted_form(&user, form)?;
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
    posted_form(&user, form)?;
    state.store.revoke_token(user.actor.user_id, id).await?;
    Ok(Redirect::to("/account").into_response())
}

/// Ends every session of the user, this one included ("đăng xuất khỏi mọi nơi").
pub async fn logout_all(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    posted_form(&user, form)?;
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

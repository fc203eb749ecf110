//! Signing in and out: password, the second factor, the end of a session.

use crate::AppState;
use crate::auth::{SESSION_COOKIE, SessionUser, posted_form};
use crate::error::WebError;
use crate::view::FormState;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::pages::render;
use crate::view::Pairs;

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

pub async fn logout(
    State(state): State<AppState>,
    user: SessionUser,
    headers: HeaderMap,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    posted_form(&user, form)?;
    if let Some(raw) = crate::auth::cookie(&headers, SESSION_COOKIE) {
        state.store.delete_session(raw).await?;
    }
    let cookie = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}

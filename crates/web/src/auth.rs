//! Who is asking: a browser session (cookie) or an API token (Bearer). Unsafe requests from a
//! browser must come from our own origin and carry the session's CSRF token.

use crate::AppState;
use crate::error::{ApiError, WebError};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use danvan_domain::Actor;

pub const SESSION_COOKIE: &str = "danvan_session";

/// A signed-in browser user.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub actor: Actor,
    pub full_name: String,
    pub csrf: String,
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Refuses cross-site unsafe requests: an `Origin` (or `Sec-Fetch-Site`) that is not ours.
pub fn same_origin(parts: &Parts) -> bool {
    if matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    if let Some(site) = parts
        .headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return false;
    }
    match (
        parts
            .headers
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok()),
        parts
            .headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok()),
    ) {
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, h)| h) == Some(host),
        (Some(_), None) => false,
        (None, _) => true,
    }
}

async fn from_session(parts: &Parts, state: &AppState) -> Result<Option<SessionUser>, WebError> {
    let Some(raw) = cookie(&parts.headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    Ok(state.store.session(raw).await?.map(|s| SessionUser {
        actor: s.actor,
        full_name: s.full_name,
        csrf: s.csrf_token,
    }))
}

impl FromRequestParts<AppState> for SessionUser {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if !same_origin(parts) {
            return Err(WebError::Forbidden);
        }
        from_session(parts, state)
            .await?
            .ok_or(WebError::Unauthorized)
    }
}

/// The caller of an API route: a Bearer token, or a browser session (then unsafe methods need
/// the `X-CSRF-Token` header).
pub struct ApiUser(pub Actor);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(auth) = parts.headers.get(header::AUTHORIZATION) {
            let token = auth
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .ok_or(ApiError(WebError::Unauthorized))?;
            return match state.store.token_actor(token.trim()).await? {
                Some((actor, _)) => Ok(ApiUser(actor)),
                None => Err(ApiError(WebError::Unauthorized)),
            };
        }
        if !same_origin(parts) {
            return Err(ApiError(WebError::Forbidden));
        }
        let user = from_session(parts, state)
            .await?
            .ok_or(ApiError(WebError::Unauthorized))?;
        if !matches!(parts.method, Method::GET | Method::HEAD) {
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok());
            if sent != Some(user.csrf.as_str()) {
                return Err(ApiError(WebError::Forbidden));
            }
        }
        Ok(ApiUser(user.actor))
    }
}

/// A posted form, once its CSRF token is found to be the session's: every form handler reads
/// its fields through this, so none can forget the check.
pub fn posted_form(
    user: &SessionUser,
    pairs: Vec<(String, String)>,
) -> Result<crate::view::FormState, WebError> {
    let f = crate::view::FormState::from_pairs(pairs);
    check_csrf(user, Some(f.v("_csrf")))?;
    Ok(f)
}

/// Checks the CSRF token posted with a form.
pub fn check_csrf(user: &SessionUser, posted: Option<&str>) -> Result<(), WebError> {
    if posted == Some(user.csrf.as_str()) {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

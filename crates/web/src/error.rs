//! Errors as users see them: a Vietnamese page or a structured JSON error
//! `{"error": {"code", "message", "fields"}}`; causes go to the log, never to the user.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use danvan_domain::FieldErrors;
use danvan_store::StoreError;

#[derive(Debug)]
pub enum WebError {
    NotFound,
    Forbidden,
    Unauthorized,
    BadRequest(String),
    Invalid(FieldErrors),
    Internal(String),
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(i) => WebError::Invalid(i.0),
            StoreError::NotFound => WebError::NotFound,
            StoreError::Forbidden => WebError::Forbidden,
            e => {
                tracing::error!(error = %e, "store error");
                WebError::Internal("Lỗi hệ thống, vui lòng thử lại".into())
            }
        }
    }
}

impl WebError {
    fn parts(&self) -> (StatusCode, &'static str, String) {
        match self {
            WebError::NotFound => (StatusCode::NOT_FOUND, "not_found", "Không tìm thấy".into()),
            WebError::Forbidden => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "Bạn không có quyền thực hiện thao tác này".into(),
            ),
            WebError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Chưa đăng nhập hoặc phiên làm việc đã hết hạn".into(),
            ),
            WebError::BadRequest(m) => (StatusCode::BAD_REQUEST, "bad_request", m.clone()),
            WebError::Invalid(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                "Dữ liệu không hợp lệ".into(),
            ),
            WebError::Internal(m) => (StatusCode::INTERNAL_SERVER_ERROR, "internal", m.clone()),
        }
    }

    /// The JSON form, for the API.
    pub fn json(self) -> Response {
        let (status, code, message) = self.parts();
        let fields = match &self {
            WebError::Invalid(f) => serde_json::to_value(&f.0).unwrap_or_default(),
            _ => serde_json::json!({}),
        };
        (
            status,
            Json(
                serde_json::json!({"error": {"code": code, "message": message, "fields": fields}}),
            ),
        )
            .into_response()
    }
}

/// For pages: a small Vietnamese error page.
impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if let WebError::Unauthorized = self {
            return axum::response::Redirect::to("/login").into_response();
        }
        let (status, _, message) = self.parts();
        let detail = match &self {
            WebError::Invalid(f) => f.joined(),
            _ => String::new(),
        };
        let body = format!(
            "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{}</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head><body><main class=\"narrow\"><h1>{}</h1><p>{}</p><p><a href=\"/\">Về trang chủ</a></p></main></body></html>",
            status.as_u16(),
            crate::view::escape(&message),
            crate::view::escape(&detail)
        );
        (status, Html(body)).into_response()
    }
}

/// API handlers return this, so that every error is JSON.
pub struct ApiError(pub WebError);

impl<E: Into<WebError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.json()
    }
}

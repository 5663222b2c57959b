//! Errors over HTTP: the engine's one shape `{ code, message, details }`
//! ([`ApiError`]) as the JSON body, with a status chosen by its code
//! (documented in `docs/errors/README.md`).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use weft_engine::ops::error::ApiError;

/// An [`ApiError`] answered over HTTP.
#[derive(Debug)]
pub struct HttpError(pub ApiError);

/// Result of a route.
pub type HttpResult<T> = Result<T, HttpError>;

impl<E: Into<ApiError>> From<E> for HttpError {
    fn from(e: E) -> Self {
        Self(e.into())
    }
}

impl HttpError {
    /// An error of the bridge itself (`WEFT-A…`, `WEFT-H…`).
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self(ApiError::new(code, message))
    }
}

/// The HTTP status an error code is answered with.
pub fn status_of(code: &str) -> StatusCode {
    match code {
        "WEFT-A001" => StatusCode::UNAUTHORIZED,
        "WEFT-A002" | "WEFT-A004" | "WEFT-A005" => StatusCode::FORBIDDEN,
        "WEFT-H001" => StatusCode::PAYLOAD_TOO_LARGE,
        "WEFT-H002" | "WEFT-S003" | "WEFT-T001" => StatusCode::NOT_FOUND,
        "WEFT-H004" => StatusCode::METHOD_NOT_ALLOWED,
        "WEFT-X005" => StatusCode::GATEWAY_TIMEOUT,
        "WEFT-X002" | "WEFT-X003" | "WEFT-X006" | "WEFT-X009" | "WEFT-A010" | "WEFT-A014"
        | "WEFT-C015" => StatusCode::CONFLICT,
        c if c.starts_with("WEFT-R") => StatusCode::CONFLICT,
        "WEFT-H005" | "WEFT-X004" | "WEFT-T003" | "WEFT-A013" => StatusCode::INTERNAL_SERVER_ERROR,
        c if c.starts_with("WEFT-S") => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let status = status_of(&self.0.code);
        if status.is_server_error() {
            tracing::warn!("{}", self.0);
        }
        (status, axum::Json(self.0)).into_response()
    }
}

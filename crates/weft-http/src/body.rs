//! Request bodies: JSON of the route's type, at most [`LIMIT`] bytes. A body over the limit is
//! refused with 413 (`WEFT-H001`) — at once when its `Content-Length` says so, else as soon as
//! reading it passes the limit, so a large body is never held whole.

use crate::error::HttpError;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_LENGTH;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

/// The largest request body: 1 MiB.
pub const LIMIT: usize = 1024 * 1024;

fn too_large() -> HttpError {
    HttpError::new(
        "WEFT-H001",
        format!("the request body is larger than {} KiB", LIMIT / 1024),
    )
}

/// Refuses a request whose declared `Content-Length` is over [`LIMIT`], whatever its route.
pub async fn refuse_large_declared_body(request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > LIMIT as u64) {
        return too_large().into_response();
    }
    next.run(request).await
}

/// A JSON body of type `T`, read up to [`LIMIT`] bytes; an empty body reads as `{}` (every
/// field optional or defaulted), anything else that is not a `T` is a 400 (`WEFT-H003`) that
/// names the field.
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = HttpError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::to_bytes(request.into_body(), LIMIT)
            .await
            .map_err(|_| too_large())?;
        let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            &bytes
        };
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let value = T::deserialize(&mut de)
            .and_then(|v| de.end().map(|()| v))
            .map_err(|e| HttpError::new("WEFT-H003", format!("the request body: {e}")))?;
        Ok(Self(value))
    }
}

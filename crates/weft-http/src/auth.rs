//! Who may call: every `/api/v1/` request bears `Authorization: Bearer <token>`, a token made
//! by `weft tokens create` and checked by the engine ([`Engine::check_token`]: bounded work, a
//! revoked token refused from the commit on). No token or a wrong one is a 401 (`WEFT-A001`);
//! a read-only token on a command or an edit a 403 (`WEFT-A002`). A token in the address is
//! refused (`WEFT-A003`): addresses end up in logs, histories and `Referer` headers.

use crate::error::HttpError;
use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use weft_engine::ops::operators::Principal;
use weft_engine::ops::tokens::{PREFIX, TOKEN_LEN};
use weft_engine::store::tokens::TokenInfo;
use weft_engine::Engine;

/// The caller of a request that passed [`authenticate`], in its extensions: the token, and who
/// it acts for (the store's owner, or an operator with their capabilities as stored now).
#[derive(Clone, Debug)]
pub struct Caller(pub TokenInfo, pub Principal);

/// Query parameter names that carry credentials by convention.
const CREDENTIAL_PARAMS: &[&str] = &[
    "token",
    "access_token",
    "auth",
    "authorization",
    "bearer",
    "api_key",
    "apikey",
    "key",
];

/// Refuses any request whose query string carries a token (a Weft token's text anywhere in it,
/// or a parameter named like a credential), before anything else is looked at.
pub async fn refuse_token_in_query(request: Request, next: Next) -> Response {
    if let Some(query) = request.uri().query() {
        let lower = query.to_ascii_lowercase();
        let named = lower.split('&').any(|pair| {
            let name = pair.split('=').next().unwrap_or_default();
            CREDENTIAL_PARAMS.contains(&name)
        });
        if named || lower.contains(PREFIX) {
            return HttpError::new(
                "WEFT-A003",
                "a token in the address is refused: send it as `Authorization: Bearer …`, and revoke this one (`weft tokens revoke`), since addresses are logged",
            )
            .into_response();
        }
    }
    next.run(request).await
}

/// Checks the bearer token and records the [`Caller`]; 401 without a live one.
pub async fn authenticate(
    State(engine): State<Engine>,
    mut request: Request,
    next: Next,
) -> Response {
    let token = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer)
        // Longer text cannot be a token: refused before any look-up or hashing.
        .filter(|t| t.len() == TOKEN_LEN);
    let Some(token) = token else {
        return unauthorized().into_response();
    };
    match engine.check_token(token) {
        // A token whose operator was removed acts for nobody (removing one revokes their
        // tokens too; this covers a request racing the removal).
        Ok(Some(info)) => match engine.principal(&info) {
            Ok(Some(principal)) => {
                request.extensions_mut().insert(Caller(info, principal));
                next.run(request).await
            }
            Ok(None) => unauthorized().into_response(),
            Err(e) => HttpError::from(e).into_response(),
        },
        Ok(None) => unauthorized().into_response(),
        Err(e) => HttpError::from(e).into_response(),
    }
}

/// The credentials of a `Bearer` authorization (the scheme's name is case-insensitive).
fn bearer(value: &str) -> Option<&str> {
    let (scheme, rest) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(rest.trim())
}

fn unauthorized() -> impl IntoResponse {
    let mut response = HttpError::new(
        "WEFT-A001",
        "a live access token is needed: `Authorization: Bearer <token>` (make one with `weft tokens create NAME`)",
    )
    .into_response();
    response.headers_mut().insert(
        axum::http::header::WWW_AUTHENTICATE,
        axum::http::HeaderValue::from_static("Bearer realm=\"weft\""),
    );
    response
}

/// Lets a command or an edit through only for a token that is not read-only.
pub async fn require_write(request: Request, next: Next) -> Response {
    match request.extensions().get::<Caller>() {
        Some(Caller(info, _)) if !info.read_only => next.run(request).await,
        Some(Caller(info, _)) => HttpError::new(
            "WEFT-A002",
            format!(
                "the token {:?} is read-only: commands and edits need a token made without --read-only",
                info.name
            ),
        )
        .into_response(),
        None => unauthorized().into_response(),
    }
}

/// Lets a request through only when the caller's operator holds the capability its route's
/// operation needs (the engine's rule, by the operation's name); the owner passes. Commands are
/// checked again one by one when they are queued (Approve needs `approve` and the group).
pub async fn require_capability(
    State(engine): State<Engine>,
    request: Request,
    next: Next,
) -> Response {
    let Some(Caller(_, principal)) = request.extensions().get::<Caller>() else {
        return unauthorized().into_response();
    };
    // The owner may do everything: nothing to look up.
    let verdict = match principal {
        Principal::Owner => Ok(()),
        operator => {
            // The route's pattern (`/api/v1/runs/{id}`), not the address, names its operation.
            let operation = request
                .extensions()
                .get::<axum::extract::MatchedPath>()
                .and_then(|matched| {
                    let path = matched.as_str();
                    let path = path.strip_prefix("/api/v1").unwrap_or(path);
                    let method = request.method().as_str();
                    crate::routes::ROUTES
                        .iter()
                        .find(|r| r.method == method && r.path == path)
                })
                .map_or("unknown", |r| r.command);
            engine.authorize(operator, operation)
        }
    };
    match verdict {
        Ok(()) => next.run(request).await,
        Err(e) => HttpError::from(e).into_response(),
    }
}

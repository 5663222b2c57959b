//! The webhook listener: HTTP on loopback (axum). `POST /hooks/WORKFLOW/TRIGGER` with the
//! trigger's secret token (`Authorization: Bearer TOKEN`) fires a run with the JSON body as its
//! parameters. A bad or missing token gets 401 and nothing runs; a body that does not fit the
//! parameter schema gets 400 with the reasons; a workflow that is not started gets 409.

use super::{Engine, Error};
use crate::command::{Command, CommandOutcome, Refusal};
use crate::store::Trigger;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::time::Duration;

/// Starts the listener on `addr` (use port 0 for any free port); returns the bound address.
pub async fn serve(engine: Engine, addr: SocketAddr) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    let shutdown = engine.inner.shutdown.clone();
    let app = Router::new()
        .route("/hooks/{workflow}/{trigger}", post(fire))
        .with_state(engine);
    tokio::spawn(async move {
        let result = axum::serve(listener, app)
            .with_graceful_shutdown(async move { shutdown.cancelled().await })
            .await;
        if let Err(e) = result {
            tracing::error!("webhook listener stopped: {e}");
        }
    });
    Ok(bound)
}

fn answer(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}

/// The secret token of a webhook trigger, created when the workflow was started.
pub fn token(
    engine: &Engine,
    workflow: &str,
    trigger: &str,
) -> crate::store::Result<Option<String>> {
    engine.store().read(|r| r.trigger_secret(workflow, trigger))
}

async fn fire(
    State(engine): State<Engine>,
    Path((workflow, trigger)): Path<(String, String)>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let given = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .or_else(|| headers.get("x-weft-token").and_then(|v| v.to_str().ok()))
        .map(str::trim)
        .unwrap_or_default()
        .to_string();
    let expected = match token(&engine, &workflow, &trigger) {
        Ok(t) => t,
        Err(e) => {
            return answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"error": e.to_string()}),
            )
        }
    };
    // Compare without revealing through timing how much of the token matched.
    let authorised = expected.as_deref().is_some_and(|t| {
        t.len() == given.len()
            && t.bytes()
                .zip(given.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    });
    if !authorised {
        return answer(
            StatusCode::UNAUTHORIZED,
            json!({"error": "missing or wrong token"}),
        );
    }
    let params: Value = if body.trim().is_empty() {
        json!({})
    } else {
        match serde_json::from_str(&body) {
            Ok(v @ Value::Object(_)) => v,
            Ok(_) => {
                return answer(
                    StatusCode::BAD_REQUEST,
                    json!({"error": "the body must be a JSON object", "reasons": ["the body must be a JSON object"]}),
                )
            }
            Err(e) => {
                return answer(
                    StatusCode::BAD_REQUEST,
                    json!({"error": format!("the body is not JSON: {e}"), "reasons": [e.to_string()]}),
                )
            }
        }
    };
    let command = Command::Fire {
        activity_id: trigger.clone(),
        trigger: Trigger::Webhook,
        params: params.clone(),
    };
    let applied = match engine
        .submit(Some(&workflow), command, Duration::from_secs(10))
        .await
    {
        Ok(record) => Ok(record),
        Err(Error::BadParameters(reasons)) => {
            return answer(
                StatusCode::BAD_REQUEST,
                json!({"error": format!("bad parameters: {}", reasons.join("; ")), "reasons": reasons}),
            );
        }
        Err(e)
            if e.code().starts_with("WEFT-S")
                || matches!(e, Error::NotAppliedYet { .. } | Error::Stopped) =>
        {
            Err(e)
        }
        Err(e) => return answer(StatusCode::BAD_REQUEST, json!({"error": e.to_string()})),
    };
    match applied {
        Ok(record) => match record.outcome {
            Some(CommandOutcome::Applied { run: Some(run), .. }) => {
                answer(StatusCode::ACCEPTED, json!({"run": run}))
            }
            Some(CommandOutcome::Refused {
                code: Refusal::BadParameters,
                reason,
            }) => answer(
                StatusCode::BAD_REQUEST,
                json!({"error": reason, "reasons": [reason]}),
            ),
            Some(other) => answer(StatusCode::CONFLICT, json!({"error": other.to_string()})),
            None => answer(
                StatusCode::SERVICE_UNAVAILABLE,
                json!({"error": "the command was not applied"}),
            ),
        },
        Err(e) => answer(
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"error": e.to_string()}),
        ),
    }
}

//! The store's status and its numbered events: a page after a number (`events_after`), and the
//! live stream (the desktop's `weft://event`) as server-sent events, resumable: each event's
//! SSE `id` is its sequence number, and a stream opened with `?after=N` (or the standard
//! `Last-Event-ID` header) starts with the events after N, read back from the store.

use super::Query;
use crate::error::{HttpError, HttpResult};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::Stream;
use serde::Deserialize;
use std::convert::Infallible;
use std::time::Duration;
use weft_engine::exec::Followed;
use weft_engine::ops::status::StoreStatus;
use weft_engine::store::Event;
use weft_engine::Engine;

pub async fn status(State(engine): State<Engine>) -> HttpResult<axum::Json<StoreStatus>> {
    Ok(axum::Json(engine.store_status()?))
}

/// Who the token acts for and what they may do (the UI offers only that).
pub async fn session(
    axum::Extension(caller): axum::Extension<crate::auth::Caller>,
) -> axum::Json<weft_engine::ops::operators::Session> {
    axum::Json(caller.1.session(caller.0.read_only))
}

#[derive(Deserialize)]
pub struct After {
    after: Option<i64>,
}

/// Committed events after `?after=` (default 0), oldest first, at most 1000.
pub async fn after(
    State(engine): State<Engine>,
    Query(q): Query<After>,
) -> HttpResult<axum::Json<Vec<Event>>> {
    Ok(axum::Json(engine.events_after(q.after.unwrap_or(0), 1000)?))
}

/// The live stream of events after `?after=N` or `Last-Event-ID: N` (from now on without
/// either). Each SSE message is `id: <seq>`, `event: weft`, `data: <Event as JSON>`; a comment
/// every 15 s keeps proxies from closing a quiet stream.
pub async fn stream(
    State(engine): State<Engine>,
    headers: HeaderMap,
    Query(q): Query<After>,
) -> HttpResult<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>> {
    let last_id = match headers.get("last-event-id") {
        None => None,
        Some(v) => Some(
            v.to_str()
                .ok()
                .and_then(|t| t.trim().parse::<i64>().ok())
                .ok_or_else(|| HttpError::new("WEFT-H003", "Last-Event-ID is not a number"))?,
        ),
    };
    let follower = engine.follow_events(q.after.or(last_id))?;
    let events = futures_util::stream::unfold(follower, |mut follower| async move {
        loop {
            match follower.next().await {
                Followed::Event(event) => {
                    let message = SseEvent::default()
                        .id(event.seq.to_string())
                        .event("weft")
                        .json_data(&event)
                        .unwrap_or_else(|_| SseEvent::default().comment("unserialisable event"));
                    return Some((Ok(message), follower));
                }
                // The follower reads what it missed back from the store: nothing to tell.
                Followed::Lagged { .. } => continue,
            }
        }
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

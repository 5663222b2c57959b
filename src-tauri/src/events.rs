//! Forwards the engine's committed events to the webview as the Tauri event `weft://event`
//! (payload: the engine's `Event`), and watches the store's ownership.
//!
//! When this process executes the store, events come live from [`Engine::subscribe`]. When
//! another process does (a `weft serve`, a second window), they are committed there, so this
//! process polls the store for them instead, and tries every few seconds to take over once that
//! owner is gone; `weft://store-status` tells the UI when that happens.

use crate::state::AppState;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::broadcast::error::RecvError;
use weft_engine::store::{self, Event};
use weft_engine::Engine;

/// Name of the Tauri event carrying one engine [`Event`].
pub const EVENT: &str = "weft://event";
/// Name of the Tauri event carrying a new [`crate::state::StoreStatus`].
pub const STORE_STATUS: &str = "weft://store-status";

const POLL: Duration = Duration::from_millis(250);
/// Polls between two attempts to take over an abandoned store.
const TAKEOVER_EVERY: u32 = 20;
const CATCH_UP_PAGE: u32 = 1000;

/// Starts the forwarding task on Tauri's (tokio) runtime.
pub fn forward<R: Runtime>(app: AppHandle<R>, engine: Engine) {
    tauri::async_runtime::spawn(async move {
        let mut live = engine.subscribe();
        let mut last = engine.store().read(store::events::last_seq).unwrap_or(0);
        let mut ticker = tokio::time::interval(POLL);
        let mut until_takeover = TAKEOVER_EVERY;
        loop {
            tokio::select! {
                received = live.recv() => match received {
                    // Only the owner's events are complete live; a reader polls instead.
                    Ok(event) if engine.is_owner() => {
                        if event.seq > last {
                            last = event.seq;
                        }
                        emit(&app, &event);
                    }
                    Ok(_) => {}
                    Err(RecvError::Lagged(missed)) => {
                        tracing::debug!("event stream lagged by {missed}; catching up from the store");
                        last = catch_up(&app, &engine, last);
                    }
                    Err(RecvError::Closed) => break,
                },
                _ = ticker.tick(), if !engine.is_owner() => {
                    last = catch_up(&app, &engine, last);
                    until_takeover -= 1;
                    if until_takeover == 0 {
                        until_takeover = TAKEOVER_EVERY;
                        if engine.start().is_err() {
                            continue;
                        }
                        tracing::info!("the previous owner of the store is gone: this window executes it now");
                        if let Ok(status) = app.state::<AppState>().store_status() {
                            let _ = app.emit(STORE_STATUS, status);
                        }
                    }
                }
            }
        }
    });
}

fn emit<R: Runtime>(app: &AppHandle<R>, event: &Event) {
    if let Err(e) = app.emit(EVENT, event) {
        tracing::warn!("event {} not forwarded: {e}", event.seq);
    }
}

/// Emits every stored event after `last`; returns the new last sequence number.
fn catch_up<R: Runtime>(app: &AppHandle<R>, engine: &Engine, mut last: i64) -> i64 {
    loop {
        let batch = match engine.events_after(last, CATCH_UP_PAGE) {
            Ok(batch) => batch,
            Err(e) => {
                tracing::warn!("cannot read events: {e}");
                return last;
            }
        };
        let full = batch.len() == CATCH_UP_PAGE as usize;
        for event in &batch {
            last = last.max(event.seq);
            emit(app, event);
        }
        if !full {
            return last;
        }
    }
}

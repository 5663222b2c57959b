//! Forwards the engine's committed events to the webview as the Tauri event `weft://event`
//! (payload: the engine's `Event`), and watches the store's ownership.
//!
//! Events come from the engine's [`EventFollower`](weft_engine::exec::EventFollower): every
//! committed event once, in order, whether this process executes the store or another one (a
//! `weft serve`, a second window) does, and also after this reader fell behind. While another
//! process owns the store, this one tries every few seconds to take over once that owner is
//! gone; `weft://store-status` tells the UI when that happens.

use crate::state::AppState;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use weft_engine::exec::Followed;
use weft_engine::Engine;

/// Name of the Tauri event carrying one engine [`weft_engine::store::Event`].
pub const EVENT: &str = "weft://event";
/// Name of the Tauri event carrying a new [`crate::state::StoreStatus`].
pub const STORE_STATUS: &str = "weft://store-status";

/// How often a window that does not execute the store tries to take it over.
const TAKEOVER_EVERY: Duration = Duration::from_secs(5);

/// Starts the forwarding and takeover tasks on Tauri's (tokio) runtime.
pub fn forward<R: Runtime>(app: AppHandle<R>, engine: Engine) {
    let (forward_app, forward_engine) = (app.clone(), engine.clone());
    tauri::async_runtime::spawn(async move {
        let mut events = match forward_engine.follow_events(None) {
            Ok(events) => events,
            Err(e) => {
                tracing::error!("cannot follow the store's events: {e}");
                return;
            }
        };
        loop {
            match events.next().await {
                Followed::Event(event) => {
                    if let Err(e) = forward_app.emit(EVENT, &event) {
                        tracing::warn!("event {} not forwarded: {e}", event.seq);
                    }
                }
                Followed::Lagged { missed } => {
                    tracing::debug!("event stream lagged by {missed}; catching up from the store")
                }
            }
        }
    });
    tauri::async_runtime::spawn(async move {
        let mut ticker = tokio::time::interval(TAKEOVER_EVERY);
        ticker.tick().await;
        loop {
            ticker.tick().await;
            if engine.is_owner() || engine.start().is_err() {
                continue;
            }
            tracing::info!("the previous owner of the store is gone: this window executes it now");
            if let Ok(status) = app.state::<AppState>().engine.store_status() {
                let _ = app.emit(STORE_STATUS, status);
            }
        }
    });
}

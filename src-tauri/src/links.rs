//! Links into the app (`weft://workflow/ID`, `weft://run/ID`, `weft://approve/RUN`) as the
//! system hands them over: on the command line of the first launch, or from a second launch that
//! the single-instance plugin turns into a call on this one.
//!
//! The engine reads the link ([`weft_engine::links::Link`]); the shell keeps the latest one in an
//! [`Inbox`] and tells the UI with the event [`LINK`], and the UI takes it (`take_link`). Keeping
//! it rather than sending it in the event means a link that arrives before the UI listens — the
//! one the app was started with — is not lost.

use std::sync::Mutex;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use weft_engine::links::Link;
use weft_engine::ops::error::ApiError;

/// Name of the Tauri event saying a link is waiting in the [`Inbox`].
pub const LINK: &str = "weft://link";

/// The link waiting for the UI (a link that did not parse waits as its error).
#[derive(Default)]
pub struct Inbox(Mutex<Option<Result<Link, ApiError>>>);

impl Inbox {
    /// Takes the waiting link, if any.
    pub fn take(&self) -> Option<Result<Link, ApiError>> {
        match self.0.lock() {
            Ok(mut slot) => slot.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        }
    }

    fn put(&self, link: Result<Link, ApiError>) {
        match self.0.lock() {
            Ok(mut slot) => *slot = Some(link),
            Err(poisoned) => *poisoned.into_inner() = Some(link),
        }
    }
}

/// Receives a link from the system: keeps it, tells the UI and brings the main window forward.
pub fn receive<R: Runtime>(app: &AppHandle<R>, url: &str) {
    let link = Link::parse(url).map_err(ApiError::from);
    match &link {
        Ok(link) => tracing::info!("link {link}"),
        Err(e) => tracing::warn!("link refused: {e}"),
    }
    app.state::<Inbox>().put(link);
    if let Err(e) = app.emit(LINK, ()) {
        tracing::warn!("link not announced to the UI: {e}");
    }
    focus_main(app);
}

/// Shows, unminimizes and focuses the main window (a second launch ends here too).
pub fn focus_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

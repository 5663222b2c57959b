//! Desktop notifications for the engine's Notify activity and run notifications.

use tauri::{AppHandle, Runtime};
use tauri_plugin_notification::NotificationExt;
use weft_engine::activities::Notifier;

/// Shows engine notifications with the system's notification service.
pub struct DesktopNotifier<R: Runtime> {
    app: AppHandle<R>,
}

impl<R: Runtime> DesktopNotifier<R> {
    /// A notifier showing through this app.
    pub fn new(app: AppHandle<R>) -> Self {
        Self { app }
    }
}

impl<R: Runtime> Notifier for DesktopNotifier<R> {
    fn notify(&self, title: &str, body: &str) {
        // No notification daemon (CI, Xvfb) is not an error of the workflow: log and go on.
        if let Err(e) = self
            .app
            .notification()
            .builder()
            .title(title)
            .body(body)
            .show()
        {
            tracing::warn!("notification not shown: {e}");
        }
    }
}

//! SIGTERM and SIGINT end the app as closing its window does: the engine releases the store and
//! the window-state plugin saves the main window's size and position (a session logout, `kill`,
//! Ctrl-C in a terminal).

use tauri::{AppHandle, Runtime};

/// Exits the app cleanly on the first SIGTERM or SIGINT.
pub fn exit_on_terminate<R: Runtime>(app: AppHandle<R>) {
    use tokio::signal::unix::{signal, SignalKind};
    tauri::async_runtime::spawn(async move {
        let (mut term, mut int) = match (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) {
            (Ok(term), Ok(int)) => (term, int),
            (Err(e), _) | (_, Err(e)) => {
                tracing::warn!("signals not handled, the app ends without saving its window: {e}");
                return;
            }
        };
        tokio::select! {
            _ = term.recv() => tracing::info!("SIGTERM: closing"),
            _ = int.recv() => tracing::info!("SIGINT: closing"),
        }
        app.exit(0);
    });
}

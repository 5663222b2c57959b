//! More windows: a workflow opened in a window of its own, beside the main one, to compare two
//! workflows or copy activities from one to the other.

use crate::error::{BridgeError, BridgeResult};
use crate::state::AppState;
use std::sync::atomic::{AtomicU64, Ordering};
use tauri::{AppHandle, Runtime, State, WebviewUrl, WebviewWindowBuilder};

/// Opens workflow `id` in a new window. Each call opens one: a window can go on to show another
/// workflow, so there is no window "of" a workflow to bring forward instead.
#[tauri::command]
pub async fn open_workflow_window<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
) -> BridgeResult<()> {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let (summary, _) = state.engine.workflow(&id)?;
    // Labels must match the `workflow-*` pattern of capabilities/default.json.
    let label = format!("workflow-{}", NEXT.fetch_add(1, Ordering::Relaxed));
    // The UI reads the workflow to open from the address's fragment (ui/src/app/navStore.ts).
    let url = WebviewUrl::App(format!("index.html#/workflow/{}", encode_fragment(&id)).into());
    WebviewWindowBuilder::new(&app, label, url)
        .title(format!("{} — Weft", summary.name))
        .inner_size(1280.0, 800.0)
        .min_inner_size(800.0, 500.0)
        .build()
        .map(|_| ())
        .map_err(|e| BridgeError::new("WEFT-D007", format!("cannot open a window: {e}")))
}

/// Percent-encodes everything but unreserved characters, for a URL fragment.
fn encode_fragment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_keep_ids_readable_back() {
        assert_eq!(encode_fragment("daily-report_2"), "daily-report_2");
        assert_eq!(encode_fragment("a b/c#"), "a%20b%2Fc%23");
    }
}

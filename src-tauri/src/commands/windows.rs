//! More windows: a workflow opened in a window of its own, beside the main one, to compare two
//! workflows or copy activities from one to the other.

use crate::error::{BridgeError, BridgeResult};
use crate::state::AppState;
use tauri::{AppHandle, Manager, Runtime, State, WebviewUrl, WebviewWindowBuilder};

/// Opens workflow `id` in a new window, or brings forward the window already showing it.
#[tauri::command]
pub async fn open_workflow_window<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
) -> BridgeResult<()> {
    let (summary, _) = state.engine.workflow(&id)?;
    let label = window_label(&id);
    if let Some(existing) = app.get_webview_window(&label) {
        return existing
            .set_focus()
            .map_err(|e| BridgeError::new("WEFT-D007", format!("cannot show the window: {e}")));
    }
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

/// One window per workflow. Labels may hold only `a-zA-Z0-9-/:_` (and must match the
/// `workflow-*` pattern of capabilities/default.json), so other bytes are written in hex.
fn window_label(id: &str) -> String {
    let mut label = String::from("workflow-");
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b == b'_' {
            label.push(char::from(b));
        } else {
            label.push_str(&format!("-{b:02x}"));
        }
    }
    label
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
    fn labels_are_valid_and_distinct_for_distinct_ids() {
        let ids = ["wf_1", "wf-1", "wf 1", "wf/1", "été", "a-2d"];
        let labels: Vec<String> = ids.iter().map(|id| window_label(id)).collect();
        for l in &labels {
            assert!(l.starts_with("workflow-"));
            assert!(l
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-/:_".contains(&b)));
        }
        let unique: std::collections::HashSet<_> = labels.iter().collect();
        assert_eq!(unique.len(), labels.len(), "{labels:?}");
    }

    #[test]
    fn fragments_keep_ids_readable_back() {
        assert_eq!(encode_fragment("daily-report_2"), "daily-report_2");
        assert_eq!(encode_fragment("a b/c#"), "a%20b%2Fc%23");
    }
}

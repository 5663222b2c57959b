//! More windows: a workflow opened in a window of its own, beside the main one, to compare two
//! workflows or copy activities from one to the other; and a team server's store, in a window
//! showing the UI that server serves (`weft serve --http`), where it works as a browser does —
//! over HTTP with a token, within the operator's capabilities — beside the local store.

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

/// Attaches to a team server: opens its address (`http://host:port/`, as `weft serve --http`
/// printed it) in a window of its own. The page is the server's: it has no access to this app's
/// commands, asks for a token once, and every operation is checked by that server's engine.
#[tauri::command]
pub async fn open_team_server<R: Runtime>(app: AppHandle<R>, url: String) -> BridgeResult<()> {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let address = team_address(&url)?;
    let host = address.host_str().unwrap_or_default().to_string();
    let port = address.port().map(|p| format!(":{p}")).unwrap_or_default();
    let label = format!("team-{}", NEXT.fetch_add(1, Ordering::Relaxed));
    WebviewWindowBuilder::new(&app, label, WebviewUrl::External(address))
        .title(format!("Team server {host}{port} — Weft"))
        .inner_size(1280.0, 800.0)
        .min_inner_size(800.0, 500.0)
        .build()
        .map(|_| ())
        .map_err(|e| BridgeError::new("WEFT-D007", format!("cannot open a window: {e}")))
}

/// A team server's address: http or https, with a host, nothing after the path (a token never
/// travels in an address).
fn team_address(text: &str) -> BridgeResult<tauri::Url> {
    let bad = |why: &str| {
        BridgeError::new(
            "WEFT-D009",
            format!("{text:?} is not a team server's address: {why}"),
        )
    };
    let trimmed = text.trim();
    let with_scheme = if trimmed.contains("://") {
        trimmed.to_string()
    } else {
        format!("http://{trimmed}")
    };
    let url = tauri::Url::parse(&with_scheme).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("use http:// or https://"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("no host"));
    }
    if url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(bad(
            "give the server's address only (the token is asked for in its window)",
        ));
    }
    Ok(url)
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
    fn team_addresses_are_plain_http_addresses() {
        assert_eq!(
            team_address("127.0.0.1:8080").unwrap().as_str(),
            "http://127.0.0.1:8080/"
        );
        assert_eq!(
            team_address(" https://weft.example.com/ ")
                .unwrap()
                .as_str(),
            "https://weft.example.com/"
        );
        for bad in [
            "",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "http://host/?token=x",
            "http://u:p@host/",
        ] {
            let e = team_address(bad).unwrap_err();
            assert_eq!(e.code, "WEFT-D009", "{bad}");
        }
    }

    #[test]
    fn fragments_keep_ids_readable_back() {
        assert_eq!(encode_fragment("daily-report_2"), "daily-report_2");
        assert_eq!(encode_fragment("a b/c#"), "a%20b%2Fc%23");
    }
}

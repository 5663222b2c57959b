//! Each route reaches its engine operation and answers the engine's types; the event stream is
//! resumable from a sequence number.

use crate::support::{blank, error, Served};
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;

#[tokio::test]
async fn workflows_are_made_edited_run_and_read_over_http() {
    let s = Served::start().await;
    let created = s.post("/workflows", json!({"name": ""})).await;
    assert_eq!(created["name"], "Untitled workflow");
    let id = created["id"].as_str().unwrap().to_string();
    let detail = s.get(&format!("/workflows/{id}")).await;
    assert_eq!(detail["body"]["activities"].as_array().unwrap().len(), 2);
    let mut body = blank("Renamed by save");
    body["activities"][1]["label"] = json!("Done");
    let r = s
        .api(Method::PUT, &format!("/workflows/{id}"))
        .json(&json!({"body": body}))
        .send()
        .await
        .unwrap();
    let saved = crate::support::ok_json(r).await;
    assert_eq!(saved["name"], "Renamed by save");
    // A save made from an older revision (another window saved since) is refused.
    let stale = saved["revision"].as_i64().unwrap() - 1;
    let r = s
        .api(Method::PUT, &format!("/workflows/{id}"))
        .json(&json!({"body": body, "baseRevision": stale}))
        .send()
        .await
        .unwrap();
    assert_eq!(error(r).await, (409, "WEFT-X009".into()));
    s.post(&format!("/workflows/{id}/rename"), json!({"name": "Again"}))
        .await;
    let copy = s
        .post(&format!("/workflows/{id}/duplicate"), json!({}))
        .await;
    assert_eq!(copy["name"], "Again (copy)");
    // Save as a copy: the copy holds the body sent, under a free copy name.
    let mine = s
        .post(
            &format!("/workflows/{id}/duplicate"),
            json!({"body": blank("Again")}),
        )
        .await;
    assert_eq!(mine["name"], "Again (copy 2)");
    let text: String =
        serde_json::from_value(s.get(&format!("/workflows/{id}/export")).await).unwrap();
    assert!(text.contains("\"Again\""));
    let problems = s
        .post(
            "/workflows/validate",
            json!({"body": {"format": 1, "name": "x", "activities": [], "transitions": []}}),
        )
        .await;
    assert!(!problems.as_array().unwrap().is_empty());
    let imported = s
        .post(
            "/workflows/import",
            json!({"json": blank("Imported").to_string()}),
        )
        .await;
    assert_eq!(imported["name"], "Imported");

    // Run now → a run that completes, seen in the history, with tasks and edges.
    let command = s
        .post(
            &format!("/workflows/{id}/commands"),
            json!({"type": "run_now", "params": {}, "simulate": false}),
        )
        .await;
    let record = s
        .get(&format!("/commands/{}/wait", command.as_i64().unwrap()))
        .await;
    assert_eq!(record["outcome"]["outcome"], "applied", "{record}");
    let run = record["outcome"]["run"].as_i64().unwrap();
    for _ in 0..100 {
        if s.get(&format!("/runs/{run}")).await["status"] == "completed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(s.get(&format!("/runs/{run}")).await["status"], "completed");
    let page = s.post("/runs/query", json!({"filter": {"workflowId": id, "statuses": [], "trigger": null, "from": null, "to": null, "ascending": false}})).await;
    assert_eq!(page["runs"][0]["id"], run);
    let tasks = s.get(&format!("/runs/{run}/tasks")).await;
    let task = tasks[0]["id"].as_i64().unwrap();
    assert!(s.get(&format!("/tasks/{task}/attempts")).await.is_array());
    assert!(s
        .get(&format!("/runs/{run}/logs?activity=start"))
        .await
        .is_array());
    assert!(s.get(&format!("/runs/{run}/edges")).await.is_array());
    assert!(s.get("/approvals").await.as_array().unwrap().is_empty());
    assert_eq!(s.get("/status").await["owner"], true);
    assert!(s.get("/catalog").await.as_array().unwrap().len() > 10);
    assert!(s.get("/templates").await.is_array());
    let r = s
        .api(
            Method::DELETE,
            &format!("/workflows/{}", copy["id"].as_str().unwrap()),
        )
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    // A refused command keeps its code: Pause on a workflow that is not started.
    let command = s
        .post(
            &format!("/workflows/{id}/commands"),
            json!({"type": "pause"}),
        )
        .await;
    let record = s
        .get(&format!("/commands/{}/wait", command.as_i64().unwrap()))
        .await;
    assert_eq!(record["outcome"]["code"], "WEFT-R002", "{record}");
    // A taken name is a conflict.
    let r = s
        .api(Method::POST, "/workflows")
        .json(&json!({"name": "Again"}))
        .send()
        .await
        .unwrap();
    assert_eq!(error(r).await, (409, "WEFT-X006".into()));
}

#[tokio::test]
async fn contacts_are_imported_listed_edited_and_exported_over_http() {
    let s = Served::start().await;
    let report = s
        .post(
            "/contacts/import",
            json!({"csv": "email,name\nada@example.org,Ada\nbad,Bob\n"}),
        )
        .await;
    assert_eq!(report["created"], 1, "{report}");
    assert_eq!(s.get("/contacts/count").await, 1);
    let list = s
        .post(
            "/contacts/query",
            json!({"filter": {"match": "all", "rules": []}}),
        )
        .await;
    let id = list[0]["id"].as_i64().unwrap();
    let r = s
        .api(Method::PATCH, &format!("/contacts/{id}"))
        .json(&json!({"status": "qualified"}))
        .send()
        .await
        .unwrap();
    assert_eq!(crate::support::ok_json(r).await["status"], "qualified");
    let csv: String = serde_json::from_value(s.post("/contacts/export", json!({})).await).unwrap();
    assert!(csv.contains("ada@example.org"));
    let r = s
        .api(Method::POST, "/contacts/demo")
        .json(&json!({"count": 5}))
        .send()
        .await
        .unwrap();
    assert_eq!(error(r).await, (409, "WEFT-C015".into()));
}

#[tokio::test]
async fn the_event_stream_resumes_after_a_sequence_number() {
    let s = Served::start().await;
    for name in ["One", "Two", "Three"] {
        s.post("/workflows", json!({"name": name})).await;
    }
    let all: Vec<Value> = serde_json::from_value(s.get("/events?after=0").await).unwrap();
    assert!(all.len() >= 3);
    let first = all[0]["seq"].as_i64().unwrap();
    // From ?after=first: the events after it, each with its number as the SSE id.
    let seqs = stream_ids(
        &s,
        &format!("/events/stream?after={first}"),
        None,
        all.len() - 1,
    )
    .await;
    let expected: Vec<i64> = all[1..]
        .iter()
        .map(|e| e["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(seqs, expected);
    // The same with the standard Last-Event-ID header a reconnecting client sends.
    let seqs = stream_ids(&s, "/events/stream", Some(first), all.len() - 1).await;
    assert_eq!(seqs, expected);
    // And live: an event committed while the stream is open arrives.
    let last = *expected.last().unwrap();
    let s2 = &s;
    let live = format!("/events/stream?after={last}");
    let (seqs, _) = tokio::join!(stream_ids(s2, &live, None, 1), async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        s2.post("/workflows", json!({"name": "Four"})).await
    });
    assert!(seqs[0] > last);
}

/// The `id:` of the first `n` messages of an event stream.
/// Copy as bitmap and Export in a browser: the workflow as the editor holds it, drawn by the
/// engine's renderer; a bad selection is a 400 with its code.
#[tokio::test]
async fn pictures_are_drawn_from_the_posted_workflow() {
    use base64::Engine as _;
    let s = Served::start().await;
    let body = blank("Drawn");
    let png = s
        .post(
            "/pictures",
            json!({"body": body, "selection": [], "theme": "dark", "runId": null, "format": "png"}),
        )
        .await;
    assert_eq!(png["mime"], "image/png");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(png["base64"].as_str().unwrap())
        .unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    // Start and Finish of a blank workflow (160 × 48 at (0,0) and (0,200)), 32 around, at 2×.
    assert_eq!(
        (png["width"].as_u64(), png["height"].as_u64()),
        (Some(448), Some(624))
    );
    let svg = s
        .post(
            "/pictures",
            json!({"body": body, "selection": ["finish"], "format": "svg"}),
        )
        .await;
    assert_eq!(svg["mime"], "image/svg+xml");
    let r = s
        .api(Method::POST, "/pictures")
        .json(&json!({"body": body, "selection": ["nowhere"], "format": "png"}))
        .send()
        .await
        .unwrap();
    let (status, code) = error(r).await;
    assert_eq!((status, code.as_str()), (400, "WEFT-G002"));
    // The UI's fonts, the renderer's own copies, like the UI's files without a token.
    let font = reqwest::get(s.url("/fonts/Inter-Regular.otf"))
        .await
        .unwrap();
    assert_eq!(font.status(), 200);
    assert_eq!(font.headers()["content-type"], "font/otf");
    assert!(font.bytes().await.unwrap().len() > 100_000);
    for other in ["/fonts/nothing.otf", "/fonts/..%2FCargo.toml"] {
        assert_eq!(
            reqwest::get(s.url(other)).await.unwrap().status(),
            404,
            "{other}"
        );
    }
}

async fn stream_ids(s: &Served, path: &str, last_event_id: Option<i64>, n: usize) -> Vec<i64> {
    let mut request = s.api(Method::GET, path);
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id.to_string());
    }
    let mut response = request.send().await.unwrap();
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "text/event-stream"
    );
    let mut text = String::new();
    let mut ids = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while ids.len() < n {
        let chunk = tokio::time::timeout_at(deadline, response.chunk())
            .await
            .expect("events in time")
            .unwrap()
            .expect("stream open");
        text.push_str(&String::from_utf8_lossy(&chunk));
        ids = text
            .lines()
            .filter_map(|l| l.strip_prefix("id: "))
            .map(|id| id.parse().unwrap())
            .collect();
    }
    ids
}

/// A debug run pauses at a breakpoint set over HTTP, is seen paused, and continues; revisions
/// are listed, diffed and restored.
#[tokio::test]
async fn breakpoints_debug_runs_and_revisions_over_http() {
    let s = Served::start().await;
    let created = s.post("/workflows", json!({"name": "Debugged"})).await;
    let id = created["id"].as_str().unwrap().to_string();
    let mut body = blank("Debugged");
    body["activities"][1]["label"] = json!("The end");
    let r = s
        .api(Method::PUT, &format!("/workflows/{id}"))
        .json(&json!({"body": body}))
        .send()
        .await
        .unwrap();
    crate::support::ok_json(r).await;
    let finish = body["activities"][1]["id"].as_str().unwrap().to_string();

    let r = s
        .api(Method::PUT, &format!("/workflows/{id}/breakpoints"))
        .json(&json!({"breakpoints": [{"kind": "before", "activity": finish}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        crate::support::ok_json(r).await[0]["activity"],
        finish.as_str()
    );
    let bad = s
        .api(Method::PUT, &format!("/workflows/{id}/breakpoints"))
        .json(&json!({"breakpoints": [{"kind": "after", "activity": "nope"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(error(bad).await, (400, "WEFT-X008".to_string()));
    assert_eq!(
        s.get(&format!("/workflows/{id}/breakpoints")).await[0]["kind"],
        "before"
    );

    let command = s
        .post(
            &format!("/workflows/{id}/commands"),
            json!({"type": "debug_run", "params": {}}),
        )
        .await;
    let record = s
        .get(&format!("/commands/{}/wait", command.as_i64().unwrap()))
        .await;
    let run = record["outcome"]["run"].as_i64().unwrap();
    let mut view = Value::Null;
    for _ in 0..100 {
        view = s.get(&format!("/runs/{run}/debug")).await;
        if !view["paused"].as_array().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(view["debug"], true);
    assert_eq!(view["paused"][0]["activityId"], finish.as_str());
    let command = s
        .post(
            "/commands",
            json!({"type": "debug", "run_id": run, "action": "continue"}),
        )
        .await;
    let record = s
        .get(&format!("/commands/{}/wait", command.as_i64().unwrap()))
        .await;
    assert_eq!(record["outcome"]["outcome"], "applied", "{record}");
    for _ in 0..100 {
        if s.get(&format!("/runs/{run}")).await["status"] == "completed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(s.get(&format!("/runs/{run}")).await["status"], "completed");

    let list = s.get(&format!("/workflows/{id}/revisions")).await;
    assert_eq!(list[0]["revision"], 2);
    let d = s.get(&format!("/workflows/{id}/diff?from=1&to=2")).await;
    assert!(
        d["diff"]["changed"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["field"] == "label" && c["after"] == "The end"),
        "{d}"
    );
    // One revision as its file: the label was set in revision 2, not 1.
    let labels = |w: &serde_json::Value| -> Vec<String> {
        w["activities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["label"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let first = s.get(&format!("/workflows/{id}/revisions/1")).await;
    let second = s.get(&format!("/workflows/{id}/revisions/2")).await;
    assert!(!labels(&first).contains(&"The end".to_string()), "{first}");
    assert!(labels(&second).contains(&"The end".to_string()), "{second}");
    let restored = s
        .post(&format!("/workflows/{id}/restore"), json!({"revision": 1}))
        .await;
    assert_eq!(restored["revision"], 3);
}

fn repo_file(path: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(path),
    )
    .unwrap()
}

/// Every desktop command that is not about the desktop app itself (clipboard, windows, the links
/// handed to it, its crash reports, its window's last screen: the UI's `shell` bridge, which a
/// browser does not have) has its route, and every route names a desktop command: the two front
/// doors offer the same API.
#[test]
fn routes_mirror_the_desktop_commands_one_to_one() {
    let main = repo_file("src-tauri/src/main.rs");
    let desktop: std::collections::BTreeSet<String> = main
        .lines()
        .filter_map(|l| l.trim().strip_prefix("commands::"))
        .filter(|l| {
            !["clipboard::", "windows::", "links::", "crash::", "screen::"]
                .iter()
                .any(|desktop_only| l.starts_with(desktop_only))
        })
        .filter_map(|l| l.trim_end_matches(',').rsplit("::").next())
        .map(str::to_owned)
        .collect();
    let routed: std::collections::BTreeSet<String> = weft_http::ROUTES
        .iter()
        .map(|r| r.command.to_string())
        .filter(|c| c != "weft://event")
        .collect();
    assert!(desktop.len() > 25, "{desktop:?}");
    assert_eq!(desktop, routed);
}

/// Every `WEFT-` code the bridge's sources use is in `docs/errors/README.md`.
#[test]
fn every_bridge_error_code_is_documented() {
    let docs = repo_file("docs/errors/README.md");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut folders = vec![dir];
    let mut missing = Vec::new();
    let mut seen = 0;
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (at, _) in text.match_indices("\"WEFT-") {
                let Some(code) = text.get(at + 1..at + 10) else {
                    continue;
                };
                if !code[6..].bytes().all(|b| b.is_ascii_digit()) {
                    continue; // a prefix (`"WEFT-R"`), not a code
                }
                seen += 1;
                if !docs.contains(&format!("| {code} |")) {
                    missing.push(format!("{code} ({})", path.display()));
                }
            }
        }
    }
    assert!(seen > 10, "{seen}");
    assert!(
        missing.is_empty(),
        "not in docs/errors/README.md: {missing:?}"
    );
}

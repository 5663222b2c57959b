//! Every shipped template runs headless to completion: waits are executed now, approvals
//! approved, retries hurried, file paths pointed into a temporary folder and URLs at a local
//! server.

use crate::support::*;
use serde_json::{json, Value};
use std::path::PathBuf;
use weft_engine::store::{RunStatus, TaskStatus, WaitReason};
use weft_engine::Command;

async fn local_server() -> String {
    use axum::{routing::get, Router};
    let app = Router::new().fallback(get(|| async { axum::Json(json!({"status": "up"})) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

fn params_for(body: &Value, dir: &std::path::Path, server: &str) -> Value {
    let mut params = serde_json::Map::new();
    if let Some(props) = body["parameters"]["properties"].as_object() {
        for (name, prop) in props {
            match prop["default"].as_str() {
                Some(d) if d.starts_with("/tmp/") => {
                    params.insert(name.clone(), json!(dir.join(&d[5..]).display().to_string()));
                }
                Some(d) if d.starts_with("workflows-templates/") => {
                    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
                    params.insert(name.clone(), json!(repo.join(d).display().to_string()));
                }
                Some(d) if d.starts_with("http://127.0.0.1:8080") => {
                    params.insert(
                        name.clone(),
                        json!(d.replace("http://127.0.0.1:8080", server)),
                    );
                }
                _ => {}
            }
        }
    }
    Value::Object(params)
}

#[tokio::test]
async fn every_shipped_template_runs_to_completion() {
    let server = local_server().await;
    let h = Harness::new().await;
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../workflows-templates");
    let mut ran = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".weft.json"))
        .collect();
    paths.sort();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let body: Value = serde_json::from_str(&text).unwrap();
        let wf = h.engine.import_workflow(&text, false).unwrap().id;
        let params = params_for(&body, h.dir.path(), &server);
        let run = h.run_now(&wf, params).await;
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let detail = h.run(run);
            if detail.summary.status.is_final() {
                assert_eq!(
                    detail.summary.status,
                    RunStatus::Completed,
                    "{}: {:?} {:#?}",
                    path.display(),
                    detail.error,
                    h.tasks(run)
                );
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{} did not finish: {:#?}",
                path.display(),
                h.tasks(run)
            );
            for t in h.tasks(run) {
                let command = match (t.status, t.wait_reason) {
                    (TaskStatus::Waiting, Some(WaitReason::Approval)) => Some(Command::Approve {
                        task_id: t.id,
                        comment: Some("template test".into()),
                        by: Some("test".into()),
                    }),
                    (TaskStatus::Waiting, Some(WaitReason::Wait | WaitReason::Hold))
                    | (TaskStatus::Ready, Some(WaitReason::Retry)) => {
                        Some(Command::ExecuteTask { task_id: t.id })
                    }
                    _ => None,
                };
                if let Some(c) = command {
                    let _ = h
                        .engine
                        .command_and_wait(Some(&wf), c, std::time::Duration::from_secs(5))
                        .await;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        ran.push(path.file_name().unwrap().to_string_lossy().to_string());
    }
    assert!(ran.len() >= 8, "{ran:?}");
}

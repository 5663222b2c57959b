//! A server on a temporary store, with a read-write and a read-only token.

use reqwest::{Client, RequestBuilder, Response};
use serde_json::Value;
use std::path::PathBuf;
use tempfile::TempDir;
use weft_engine::{Engine, EngineOptions};

pub struct Served {
    pub engine: Engine,
    pub base: String,
    pub writer: String,
    pub reader: String,
    pub client: Client,
    pub dir: TempDir,
    server: weft_http::Server,
}

impl Served {
    /// An executing engine served on a free port of 127.0.0.1, with a small UI folder
    /// (`index.html`, `assets/app.js`) and a secret file beside it that must stay unreachable.
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let ui = dir.path().join("ui");
        std::fs::create_dir_all(ui.join("assets")).unwrap();
        std::fs::write(ui.join("index.html"), "<!doctype html><title>Weft</title>").unwrap();
        std::fs::write(ui.join("assets/app.js"), "console.log('weft')").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "TOP-SECRET").unwrap();
        let mut options = EngineOptions::new(dir.path().join("weft.db"));
        options.poll_interval = std::time::Duration::from_millis(50);
        let engine = Engine::open(options).unwrap();
        engine.start().unwrap();
        let writer = engine.create_token("writer", false).unwrap().token;
        let reader = engine.create_token("reader", true).unwrap().token;
        let server = weft_http::serve(
            engine.clone(),
            "127.0.0.1:0".parse().unwrap(),
            weft_http::Options { ui_dir: Some(ui) },
        )
        .await
        .unwrap();
        Self {
            base: format!("http://{}", server.addr),
            engine,
            writer,
            reader,
            client: Client::new(),
            dir,
            server,
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A request to `/api/v1{path}` with the read-write token.
    pub fn api(&self, method: reqwest::Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, self.url(&format!("/api/v1{path}")))
            .bearer_auth(&self.writer)
    }

    pub async fn get(&self, path: &str) -> Value {
        let response = self.api(reqwest::Method::GET, path).send().await.unwrap();
        ok_json(response).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Value {
        let response = self
            .api(reqwest::Method::POST, path)
            .json(&body)
            .send()
            .await
            .unwrap();
        ok_json(response).await
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.server.task.abort();
        self.engine.shutdown();
    }
}

pub async fn ok_json(response: Response) -> Value {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    body
}

/// Status and the `{code, message, details}` of an error answer.
pub async fn error(response: Response) -> (u16, String) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("an error answers JSON");
    assert!(body["message"].is_string(), "{body}");
    assert!(body.get("details").is_some(), "{body}");
    (
        status,
        body["code"].as_str().unwrap_or_default().to_string(),
    )
}

pub fn blank(name: &str) -> Value {
    serde_json::json!({
        "format": 1,
        "name": name,
        "activities": [
            {"id": "start", "kind": "start", "label": "Start", "position": {"x": 0, "y": 0}},
            {"id": "finish", "kind": "finish", "label": "Finish", "position": {"x": 0, "y": 200}}
        ],
        "transitions": [{"from": "start", "port": "ok", "to": "finish"}]
    })
}

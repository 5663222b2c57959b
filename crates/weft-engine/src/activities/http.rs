//! HTTP request with reqwest; sends a stable `Idempotency-Key`; cancellation drops the request.

use super::{ActivityContext, ActivityError, Outcome};
use crate::expr::{self, Site};
use crate::model::{HttpMethod, HttpRequestConfig};
use crate::store::tasks::bound_output;
use serde_json::{json, Value};
use std::sync::OnceLock;

fn client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .user_agent(concat!("weft/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default()
    })
}

pub(super) async fn run(
    id: &str,
    config: &HttpRequestConfig,
    ctx: &ActivityContext,
) -> Result<Outcome, ActivityError> {
    let url = expr::render(
        Site {
            activity: id,
            field: "url",
        },
        &config.url,
        &ctx.data,
    )?;
    let method = match config.method {
        HttpMethod::Get => reqwest::Method::GET,
        HttpMethod::Post => reqwest::Method::POST,
        HttpMethod::Put => reqwest::Method::PUT,
        HttpMethod::Patch => reqwest::Method::PATCH,
        HttpMethod::Delete => reqwest::Method::DELETE,
        HttpMethod::Head => reqwest::Method::HEAD,
    };
    let mut request = client()
        .request(method.clone(), &url)
        .header("Idempotency-Key", &ctx.idempotency_key);
    for (name, value) in &config.headers {
        request = request.header(
            name,
            expr::render(
                Site {
                    activity: id,
                    field: "headers",
                },
                value,
                &ctx.data,
            )?,
        );
    }
    if let Some(body) = &config.body {
        let text = expr::render(
            Site {
                activity: id,
                field: "body",
            },
            body,
            &ctx.data,
        )?;
        request = match serde_json::from_str::<Value>(&text) {
            Ok(json) => request.json(&json),
            Err(_) => request.body(text),
        };
    }
    ctx.log("info", format!("{method} {url}"));
    let send = async {
        let response = request
            .send()
            .await
            .map_err(|e| ActivityError::failed(format!("{method} {url}: {e}")))?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let text = response
            .text()
            .await
            .map_err(|e| ActivityError::failed(format!("reading the response of {url}: {e}")))?;
        Ok::<_, ActivityError>((status, content_type, text))
    };
    let (status, content_type, text) = tokio::select! {
        r = send => r?,
        () = ctx.cancel.cancelled() => return Err(ActivityError::Cancelled { stdout: String::new(), stderr: String::new() }),
    };
    let body = if content_type.contains("json") {
        serde_json::from_str(&text).unwrap_or_else(|_| Value::String(bound_output(&text)))
    } else {
        Value::String(bound_output(&text))
    };
    let result = json!({"status": status, "url": url, "body": body});
    ctx.log("info", format!("{url} answered {status}"));
    let accepted = if config.expect_status.is_empty() {
        (200..300).contains(&status)
    } else {
        config.expect_status.contains(&status)
    };
    if accepted {
        Ok(Outcome::ok(result))
    } else {
        Err(ActivityError::Failed {
            message: format!("{method} {url} answered {status}"),
            result,
            stdout: String::new(),
            stderr: bound_output(&text),
        })
    }
}

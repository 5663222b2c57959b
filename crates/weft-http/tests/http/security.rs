//! What the door refuses: no token, a wrong, malformed or revoked one, a read-only one on
//! commands and edits, a token in the address, large bodies, unknown routes, other origins,
//! paths outside the UI folder — and a flood of bad tokens costs the server little.

use crate::support::{blank, error, Served};
use reqwest::{Method, StatusCode};
use std::time::{Duration, Instant};
use weft_http::ROUTES;

/// A route's path with its parameters filled in.
fn concrete(path: &str) -> String {
    path.replace("{id}", "1")
}

fn method(name: &str) -> Method {
    Method::from_bytes(name.as_bytes()).unwrap()
}

#[tokio::test]
async fn every_route_without_a_token_or_with_a_wrong_one_is_401() {
    let s = Served::start().await;
    let mut wrong = s.writer.clone();
    let last = if wrong.ends_with('0') { "1" } else { "0" };
    wrong.replace_range(wrong.len() - 1.., last);
    for route in ROUTES {
        let url = s.url(&format!("/api/v1{}", concrete(route.path)));
        let bare = s
            .client
            .request(method(route.method), &url)
            .send()
            .await
            .unwrap();
        assert_eq!(error(bare).await, (401, "WEFT-A001".into()), "{route:?}");
        for bad in [
            format!("Bearer {wrong}"),
            "Bearer ".to_string(),
            format!("Basic {}", s.writer),
            format!("bearer{}", s.writer),
            s.writer.clone(),
            "Bearer weft_not-a-token".to_string(),
        ] {
            let r = s
                .client
                .request(method(route.method), &url)
                .header("authorization", &bad)
                .send()
                .await
                .unwrap();
            assert_eq!(error(r).await, (401, "WEFT-A001".into()), "{route:?} {bad}");
        }
    }
}

#[tokio::test]
async fn a_read_only_token_reads_but_every_command_and_edit_is_403() {
    let s = Served::start().await;
    let id = s
        .engine
        .create_workflow(&weft_engine::load::from_value(blank("Mine")).unwrap())
        .unwrap()
        .id;
    for route in ROUTES {
        let path = format!(
            "/api/v1{}",
            route.path.replace(
                "{id}",
                if route.path.starts_with("/workflows") {
                    &id
                } else {
                    "1"
                }
            )
        );
        if route.path == "/events/stream" || route.path == "/commands/{id}/wait" {
            continue; // long answers; read routes checked below with a short one
        }
        let r = s
            .client
            .request(method(route.method), s.url(&path))
            .bearer_auth(&s.reader)
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap();
        match route.access {
            weft_http::Access::Write => {
                assert_eq!(error(r).await, (403, "WEFT-A002".into()), "{route:?}")
            }
            weft_http::Access::Read => {
                // Answered by the engine (a missing run is its own 404, WEFT-S003), not the door.
                if !r.status().is_success() {
                    let (status, code) = error(r).await;
                    assert!(
                        !["WEFT-A001", "WEFT-A002", "WEFT-H002", "WEFT-H004"]
                            .contains(&code.as_str()),
                        "{route:?}: {status} {code}"
                    );
                }
            }
        }
    }
    // Nothing was changed by the refused requests.
    assert_eq!(s.engine.list_workflows().unwrap().len(), 1);
    assert_eq!(s.engine.count_contacts().unwrap(), 0);
}

#[tokio::test]
async fn a_revoked_token_is_refused_at_once() {
    let s = Served::start().await;
    let r = s
        .client
        .get(s.url("/api/v1/workflows"))
        .bearer_auth(&s.writer)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Revoked through another handle on the store, as `weft tokens revoke` in another process.
    let other =
        weft_engine::Engine::open(weft_engine::EngineOptions::new(s.path("weft.db"))).unwrap();
    other.revoke_token("writer").unwrap();
    let r = s
        .client
        .get(s.url("/api/v1/workflows"))
        .bearer_auth(&s.writer)
        .send()
        .await
        .unwrap();
    assert_eq!(error(r).await, (401, "WEFT-A001".into()));
    // The other token still works.
    let r = s
        .client
        .get(s.url("/api/v1/workflows"))
        .bearer_auth(&s.reader)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_token_in_the_query_string_is_refused_even_beside_a_good_header() {
    let s = Served::start().await;
    for query in [
        format!("token={}", s.writer),
        format!("access_token={}", s.writer),
        format!("x={}", s.writer),
        "api_key=anything".to_string(),
        format!("AUTHORIZATION=Bearer%20{}", s.writer),
    ] {
        for path in ["/api/v1/workflows", "/api/v1/events/stream", "/"] {
            let r = s
                .client
                .get(s.url(&format!("{path}?{query}")))
                .bearer_auth(&s.writer)
                .send()
                .await
                .unwrap();
            assert_eq!(error(r).await, (400, "WEFT-A003".into()), "{path}?{query}");
        }
    }
    // Ordinary parameters pass.
    let r = s
        .client
        .get(s.url("/api/v1/events?after=0"))
        .bearer_auth(&s.writer)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_body_over_1_mib_is_413_declared_or_streamed() {
    let s = Served::start().await;
    let big = format!("{{\"json\": \"{}\"}}", "x".repeat(1024 * 1024 + 10));
    let r = s
        .api(Method::POST, "/workflows/import")
        .body(big.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(error(r).await, (413, "WEFT-H001".into()));
    // Without a Content-Length (chunked): refused once reading passes the limit.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = big
        .into_bytes()
        .chunks(64 * 1024)
        .map(|c| Ok(c.to_vec()))
        .collect();
    let stream = futures_util::stream::iter(chunks);
    let r = s
        .api(Method::POST, "/workflows/import")
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await
        .unwrap();
    assert_eq!(error(r).await, (413, "WEFT-H001".into()));
    // Even before the token is looked at, and on routes without a body.
    let r = s
        .client
        .get(s.url("/api/v1/workflows"))
        .header("content-length", "2000000")
        .body(vec![b' '; 2_000_000])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 413);
    // Just under the limit is read (and refused for what it is, not for its size).
    let fits = format!("{{\"json\": \"{}\"}}", "x".repeat(1024 * 1024 - 100));
    let r = s
        .api(Method::POST, "/workflows/import")
        .body(fits)
        .send()
        .await
        .unwrap();
    assert_ne!(r.status().as_u16(), 413);
}

#[tokio::test]
async fn unknown_routes_are_404_and_wrong_methods_405_with_codes() {
    let s = Served::start().await;
    let r = s.api(Method::GET, "/nothing/here").send().await.unwrap();
    assert_eq!(error(r).await, (404, "WEFT-H002".into()));
    let r = s.api(Method::DELETE, "/catalog").send().await.unwrap();
    assert_eq!(error(r).await, (405, "WEFT-H004".into()));
    let r = s
        .client
        .get(s.url("/no-such-file.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(error(r).await, (404, "WEFT-H002".into()));
    // Unknown API routes are not revealed without a token.
    let r = s.client.get(s.url("/api/v1/nothing")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401);
    // A bad body names what is wrong.
    let r = s
        .api(Method::POST, "/workflows/import")
        .body("{\"json\": 3}")
        .send()
        .await
        .unwrap();
    assert_eq!(error(r).await, (400, "WEFT-H003".into()));
    let r = s.api(Method::GET, "/runs/abc").send().await.unwrap();
    assert_eq!(error(r).await, (400, "WEFT-H003".into()));
    // Engine errors keep their codes.
    let r = s.api(Method::GET, "/runs/999").send().await.unwrap();
    assert_eq!(error(r).await, (404, "WEFT-S003".into()));
}

#[tokio::test]
async fn cors_is_closed_no_allow_origin_header_ever() {
    let s = Served::start().await;
    let evil = "http://evil.example";
    let preflight = s
        .client
        .request(Method::OPTIONS, s.url("/api/v1/workflows"))
        .header("origin", evil)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .send()
        .await
        .unwrap();
    assert!(!preflight.status().is_success(), "{}", preflight.status());
    for r in [
        preflight,
        s.api(Method::GET, "/workflows")
            .header("origin", evil)
            .send()
            .await
            .unwrap(),
        s.client
            .get(s.url("/"))
            .header("origin", evil)
            .send()
            .await
            .unwrap(),
    ] {
        let names: Vec<String> = r.headers().keys().map(|k| k.as_str().to_string()).collect();
        assert!(
            names.iter().all(|n| !n.starts_with("access-control-")),
            "{names:?}"
        );
    }
}

#[tokio::test]
async fn static_files_are_served_and_nothing_outside_their_folder() {
    let s = Served::start().await;
    let r = s.client.get(s.url("/")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("<title>Weft</title>"));
    let r = s.client.get(s.url("/assets/app.js")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Raw paths, sent as they are (no client-side normalisation).
    for path in [
        "/../secret.txt",
        "/assets/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/assets/%2e%2e/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/assets/..%00/secret.txt",
        "/....//secret.txt",
    ] {
        let (status, body) = raw_get(&s.base, path).await;
        assert!(
            !body.contains("TOP-SECRET") && !body.contains("root:"),
            "{path} leaked: {status}"
        );
        assert!(status == 404 || status == 400, "{path}: {status}");
    }
}

/// A GET with the path exactly as given, over a plain socket.
async fn raw_get(base: &str, path: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let text = String::from_utf8_lossy(&answer).to_string();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_wrong_tokens_do_not_slow_the_server() {
    let s = Served::start().await;
    let median = |s: &Served| {
        let client = s.client.clone();
        let url = s.url("/api/v1/status");
        let token = s.writer.clone();
        async move {
            let mut times = Vec::new();
            for _ in 0..30 {
                let t = Instant::now();
                let r = client.get(&url).bearer_auth(&token).send().await.unwrap();
                assert_eq!(r.status(), StatusCode::OK);
                times.push(t.elapsed());
            }
            times.sort();
            times[times.len() / 2]
        }
    };
    let before = median(&s).await;
    // 1,000 wrong tokens, 8 at a time: some of the right shape (one look-up and one hash each),
    // some huge (refused on their length).
    let started = Instant::now();
    let wrong_shape = format!("weft_{}_{}", "0".repeat(12), "f".repeat(64));
    let huge = "x".repeat(60_000);
    let mut pending = Vec::new();
    for i in 0..1000 {
        let client = s.client.clone();
        let url = s.url("/api/v1/workflows");
        let token = if i % 2 == 0 {
            wrong_shape.clone()
        } else {
            huge.clone()
        };
        pending.push(tokio::spawn(async move {
            client
                .get(&url)
                .bearer_auth(token)
                .send()
                .await
                .map(|r| r.status().as_u16())
        }));
        if pending.len() == 8 {
            for p in pending.drain(..) {
                assert_eq!(p.await.unwrap().unwrap(), 401);
            }
        }
    }
    for p in pending {
        assert_eq!(p.await.unwrap().unwrap(), 401);
    }
    let flood = started.elapsed();
    let after = median(&s).await;
    assert!(
        flood < Duration::from_secs(20),
        "1,000 refusals took {flood:?}"
    );
    assert!(
        after < before * 3 + Duration::from_millis(20),
        "a good request took {before:?} before the flood and {after:?} after"
    );
    eprintln!("1,000 wrong tokens in {flood:?}; good request {before:?} before, {after:?} after");
}

//! Operators and capabilities over the bridge: a token acts for its operator; every route is
//! checked against the operator's capabilities (403 `WEFT-A004`), an approval is offered to and
//! answered by members of its group only (403 `WEFT-A005` for others), signed with the
//! operator's name, and mailed to the members with an address; removing an operator revokes
//! their tokens at once. The owner's tokens keep every capability.

use crate::support::*;
use reqwest::Method;
use serde_json::{json, Value};
use weft_engine::ops::operators::capability_for;
use weft_engine::store::Capability;
use weft_http::ROUTES;

fn approval_flow() -> Value {
    json!({
        "format": 1, "name": "Gated",
        "activities": [
            {"id": "start", "kind": "start", "label": "Start", "position": {"x": 0, "y": 0}},
            {"id": "ask", "kind": "approval", "label": "Marketing says yes", "config": {"group": "marketing", "message": "Send the campaign?"}, "position": {"x": 0, "y": 150}},
            {"id": "finish", "kind": "finish", "label": "Finish", "position": {"x": 0, "y": 300}}
        ],
        "transitions": [{"from": "start", "to": "ask"}, {"from": "ask", "port": "approved", "to": "finish"}]
    })
}

fn token_for(
    s: &Served,
    name: &str,
    groups: &[&str],
    can: Vec<Capability>,
    email: Option<&str>,
) -> String {
    let groups: Vec<String> = groups.iter().map(|g| g.to_string()).collect();
    s.engine.add_operator(name, email, &groups, can).unwrap();
    s.engine
        .create_token_for(&format!("{name}-token"), false, Some(name))
        .unwrap()
        .token
}

async fn call(
    s: &Served,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = s
        .client
        .request(method, s.url(&format!("/api/v1{path}")))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

#[test]
fn every_route_names_an_operation_the_engine_knows() {
    for r in ROUTES {
        assert!(
            capability_for(r.command).is_some(),
            "{} {} ({}) has no capability",
            r.method,
            r.path,
            r.command
        );
    }
}

#[tokio::test]
async fn each_route_needs_its_capability_and_the_owner_keeps_every_one() {
    let s = Served::start().await;
    let viewer = token_for(&s, "viewer", &[], vec![Capability::List], None);
    let runner = token_for(
        &s,
        "runner",
        &[],
        vec![Capability::List, Capability::Run],
        None,
    );
    let made = s
        .post(
            "/workflows/import",
            json!({"json": blank("Shared").to_string()}),
        )
        .await;
    let id = made["id"].as_str().unwrap().to_string();

    // Reading: list is enough.
    let listed = call(&s, &viewer, Method::GET, "/workflows", None).await;
    assert_eq!(ok_json(listed).await.as_array().unwrap().len(), 1);
    // Editing needs update.
    let save = call(
        &s,
        &viewer,
        Method::PUT,
        &format!("/workflows/{id}"),
        Some(json!({"body": blank("Shared")})),
    )
    .await;
    let body: Value = save.json().await.unwrap();
    assert_eq!(body["code"], "WEFT-A004", "{body}");
    assert_eq!(body["details"]["capability"], "update");
    let save = call(
        &s,
        &runner,
        Method::PUT,
        &format!("/workflows/{id}"),
        Some(json!({"body": blank("Shared")})),
    )
    .await;
    assert_eq!(error(save).await, (403, "WEFT-A004".into()));
    // Running needs run.
    let run = call(
        &s,
        &viewer,
        Method::POST,
        &format!("/workflows/{id}/commands"),
        Some(json!({"type": "run_now", "params": {}})),
    )
    .await;
    assert_eq!(error(run).await, (403, "WEFT-A004".into()));
    let run = call(
        &s,
        &runner,
        Method::POST,
        &format!("/workflows/{id}/commands"),
        Some(json!({"type": "run_now", "params": {}})),
    )
    .await;
    assert!(run.status().is_success(), "{}", run.status());
    // The owner's token (no operator) may do everything, as before.
    let owner = s
        .api(Method::PUT, &format!("/workflows/{id}"))
        .json(&json!({"body": blank("Shared")}))
        .send()
        .await
        .unwrap();
    assert!(owner.status().is_success());

    // Removing an operator revokes their tokens at once.
    s.engine.remove_operator("runner").unwrap();
    let gone = call(&s, &runner, Method::GET, "/workflows", None).await;
    assert_eq!(error(gone).await, (401, "WEFT-A001".into()));
}

#[tokio::test]
async fn approvals_go_to_their_group_only_and_are_signed_by_the_operator() {
    let s = Served::start().await;
    let ada = token_for(
        &s,
        "ada",
        &["marketing"],
        vec![Capability::List, Capability::Approve],
        Some("ada@example.com"),
    );
    let bob = token_for(
        &s,
        "bob",
        &["ops"],
        vec![Capability::List, Capability::Approve],
        Some("bob@example.com"),
    );
    let cy = token_for(&s, "cy", &["marketing"], vec![Capability::List], None);
    let made = s
        .post(
            "/workflows/import",
            json!({"json": approval_flow().to_string()}),
        )
        .await;
    let id = made["id"].as_str().unwrap().to_string();
    let command = s
        .post(
            &format!("/workflows/{id}/commands"),
            json!({"type": "run_now", "params": {}}),
        )
        .await;
    let record = s.get(&format!("/commands/{command}/wait")).await;
    let run = record["outcome"]["run"].as_i64().unwrap();
    let mut task = None;
    for _ in 0..200 {
        let open = s.get("/approvals").await;
        if let Some(a) = open.as_array().unwrap().first() {
            task = a["taskId"].as_i64();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let task = task.expect("the approval opens");

    // Offered to the group only.
    let for_ada = ok_json(call(&s, &ada, Method::GET, "/approvals", None).await).await;
    assert_eq!(for_ada.as_array().unwrap().len(), 1);
    let for_bob = ok_json(call(&s, &bob, Method::GET, "/approvals", None).await).await;
    assert!(for_bob.as_array().unwrap().is_empty(), "{for_bob}");
    // Mailed to the group's members with an address, and to nobody else.
    let outbox = s.path("outbox");
    let mut mails = Vec::new();
    for _ in 0..200 {
        mails = std::fs::read_dir(&outbox)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().to_string())
                    .filter(|n| n.ends_with(".eml"))
                    .collect()
            })
            .unwrap_or_default();
        if !mails.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(mails, vec![format!("approval-{task}-ada.eml")]);
    let text = std::fs::read_to_string(outbox.join(&mails[0])).unwrap();
    assert!(
        text.contains("ada@example.com") && text.contains("Send the campaign?"),
        "{text}"
    );

    // Answered by a member of the group only, with the approve capability.
    let by_bob = call(
        &s,
        &bob,
        Method::POST,
        "/commands",
        Some(json!({"type": "approve", "task_id": task})),
    )
    .await;
    let body: Value = by_bob.json().await.unwrap();
    assert_eq!(body["code"], "WEFT-A005", "{body}");
    assert_eq!(body["details"]["group"], "marketing");
    let by_cy = call(
        &s,
        &cy,
        Method::POST,
        "/commands",
        Some(json!({"type": "approve", "task_id": task})),
    )
    .await;
    assert_eq!(error(by_cy).await, (403, "WEFT-A004".into()));
    let by_ada = call(
        &s,
        &ada,
        Method::POST,
        "/commands",
        Some(json!({"type": "approve", "task_id": task, "by": "someone else"})),
    )
    .await;
    let command = ok_json(by_ada).await;
    let record = s.get(&format!("/commands/{command}/wait")).await;
    assert_eq!(record["outcome"]["outcome"], "applied", "{record}");
    let tasks = s.get(&format!("/runs/{run}/tasks")).await;
    assert!(tasks
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["activityId"] == "ask"));
    let approval = s.engine.approval(task).unwrap();
    assert_eq!(
        approval.decided_by.as_deref(),
        Some("ada"),
        "signed with the operator's name"
    );
}

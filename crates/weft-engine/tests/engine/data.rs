//! Data activities on the contacts database: import, split, update, export, set operations,
//! per-record email, counts on transitions, simulation, and bad input that changes nothing.

use crate::support::*;
use serde_json::{json, Value};
use weft_engine::contacts::{self, Filter};
use weft_engine::ops::contacts::ContactChange;
use weft_engine::store::{RunStatus, TaskStatus, WaitReason};

fn csv(h: &Harness, name: &str, text: &[u8]) -> String {
    let path = h.path(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn lead_flow(import: &str, export: &str) -> Value {
    json!({
        "format": 1, "name": "Leads",
        "activities": [
            {"id": "start", "kind": "start"},
            {"id": "import", "kind": "import_csv", "config": {"path": import, "mapping": {"email": "E-mail", "name": "Full name"}}},
            {"id": "split", "kind": "split", "config": {"percent": 50}},
            {"id": "contact", "kind": "update_data", "config": {"set_status": "contacted", "add_tags": ["wave1"]}},
            {"id": "mail", "kind": "send_email_each", "config": {"subject": "Hello {{ contact.name }}", "body": "Hi {{ contact.name }} from {{ contact.custom.city }}"}},
            {"id": "export", "kind": "export_csv", "config": {"path": export}},
            {"id": "finish", "kind": "finish"}
        ],
        "transitions": [
            {"from": "start", "to": "import"}, {"from": "import", "to": "split"},
            {"from": "split", "port": "match", "to": "contact"}, {"from": "contact", "to": "mail"}, {"from": "mail", "to": "finish"},
            {"from": "split", "port": "rest", "to": "export"}, {"from": "export", "to": "finish"}
        ]
    })
}

fn all_contacts(h: &Harness) -> Vec<contacts::Contact> {
    h.engine
        .list_contacts(&Filter::all(), None, 10_000)
        .unwrap()
}

#[tokio::test]
async fn import_split_update_email_export_with_counts_on_transitions() {
    let h = Harness::new().await;
    let import = csv(&h, "leads.csv", b"E-mail,Full name,city\nada@example.com,Ada,Paris\nbad-email,Bob,Oslo\ngrace@example.com,Grace,Rome\nada@example.com,Ada again,Paris\nlinus@example.com,Linus,Oslo\nkaty@example.com,Katy,Lima\n");
    let export = h.path("out/rest.csv");
    let wf = h.create(lead_flow(&import, &export));
    let run = h.run_now(&wf, json!({})).await;
    let detail = h.wait_final(run).await;
    assert_eq!(
        detail.summary.status,
        RunStatus::Completed,
        "{:?} {:#?}",
        detail.error,
        h.tasks(run)
    );

    let report = h.task(run, "import").result;
    assert_eq!(report["created"], json!(4));
    assert_eq!(
        report["rejectedCount"]
            .as_i64()
            .or(report["rejected_count"].as_i64()),
        Some(2),
        "{report}"
    );
    let reasons: Vec<String> = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| format!("{} {}", r["line"], r["reason"]))
        .collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("3 ") && r.contains("bad email")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("5 ") && r.contains("duplicate")),
        "{reasons:?}"
    );

    let edges = h.engine.run_edges(run).unwrap();
    let count = |from: &str, port: &str| {
        edges
            .iter()
            .find(|e| e.from == from && e.port == port)
            .and_then(|e| e.records)
    };
    assert_eq!(
        count("import", "ok"),
        Some(4),
        "574 - Ok style counts: {edges:?}"
    );
    assert_eq!(count("split", "match"), Some(2));
    assert_eq!(count("split", "rest"), Some(2));
    assert_eq!(count("contact", "ok"), Some(2));
    assert_eq!(count("mail", "ok"), Some(2));

    let people = all_contacts(&h);
    assert_eq!(people.len(), 4);
    let contacted: Vec<&str> = people
        .iter()
        .filter(|c| c.status == "contacted")
        .map(|c| c.email.as_str())
        .collect();
    assert_eq!(contacted, ["ada@example.com", "grace@example.com"]);
    assert!(people
        .iter()
        .filter(|c| c.status == "contacted")
        .all(|c| c.tags == ["wave1"]));
    assert_eq!(people[0].custom["city"], json!("Paris"));

    let exported = std::fs::read_to_string(&export).unwrap();
    assert!(
        exported.starts_with("email,name,phone,status,tags,city\n"),
        "{exported}"
    );
    assert!(
        exported.contains("linus@example.com,Linus,,new,,Oslo")
            && exported.contains("katy@example.com"),
        "{exported}"
    );
    let mails: Vec<String> = std::fs::read_dir(h.dir.path().join("outbox"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(mails.len(), 2);
    assert!(
        mails
            .iter()
            .any(|m| m.contains("Subject: Hello Ada") && m.contains("Hi Ada from Paris")),
        "{mails:?}"
    );
}

#[tokio::test]
async fn simulation_runs_queries_but_skips_updates_exports_and_email() {
    let h = Harness::new().await;
    add_contacts(
        &h.engine,
        &[
            ("a@x.io", "P0", "new", None),
            ("b@x.io", "P1", "new", None),
            ("c@x.io", "P2", "new", None),
        ],
    );
    let wf = h.create(json!({
        "format": 1, "name": "Sim data",
        "activities": [
            {"id": "start", "kind": "start"},
            {"id": "q", "kind": "query", "config": {"filter": {"rules": [{"field": "status", "op": "eq", "value": "new"}]}}},
            {"id": "u", "kind": "update_data", "config": {"set_status": "gone"}},
            {"id": "finish", "kind": "finish"}
        ],
        "transitions": [{"from": "start", "to": "q"}, {"from": "q", "to": "u"}, {"from": "u", "to": "finish"}]
    }));
    let record = h
        .engine
        .command_and_wait(
            Some(&wf),
            weft_engine::Command::RunNow {
                params: json!({}),
                simulate: true,
            },
            std::time::Duration::from_secs(5),
        )
        .await
        .unwrap();
    let run = run_id_of(record.outcome.as_ref().unwrap());
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Completed);
    assert_eq!(h.task(run, "q").record_count, Some(3));
    assert_eq!(
        (h.task(run, "u").status, h.task(run, "u").wait_reason),
        (TaskStatus::Skipped, Some(WaitReason::Simulation))
    );
    assert!(all_contacts(&h).iter().all(|c| c.status == "new"));
}

#[tokio::test]
async fn union_intersection_and_exclusion_combine_sets() {
    let h = Harness::new().await;
    add_contacts(
        &h.engine,
        &[
            ("a@x.io", "a@x.io", "new", Some("Paris")),
            ("b@x.io", "b@x.io", "new", Some("Oslo")),
            ("c@x.io", "c@x.io", "lost", Some("Paris")),
            ("d@x.io", "d@x.io", "lost", Some("Lima")),
        ],
    );
    let q = |id: &str, field: &str, value: &str| json!({"id": id, "kind": "query", "config": {"filter": {"rules": [{"field": field, "op": "eq", "value": value}]}}});
    let wf = h.create(json!({
        "format": 1, "name": "Sets",
        "activities": [
            {"id": "start", "kind": "start"}, {"id": "fork", "kind": "fork"},
            q("new", "status", "new"), q("paris", "custom.city", "Paris"),
            {"id": "union", "kind": "union"}, {"id": "inter", "kind": "intersection"}, {"id": "excl", "kind": "exclusion"},
            {"id": "finish", "kind": "finish"}
        ],
        "transitions": [
            {"from": "start", "to": "fork"}, {"from": "fork", "to": "new"}, {"from": "fork", "to": "paris"},
            {"from": "new", "to": "union"}, {"from": "paris", "to": "union"},
            {"from": "new", "to": "inter"}, {"from": "paris", "to": "inter"},
            {"from": "new", "to": "excl"}, {"from": "paris", "to": "excl"},
            {"from": "union", "to": "finish"}, {"from": "inter", "to": "finish"}, {"from": "excl", "to": "finish"}
        ]
    }));
    let run = h.run_now(&wf, json!({})).await;
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Completed);
    assert_eq!(h.task(run, "union").record_count, Some(3));
    assert_eq!(h.task(run, "inter").record_count, Some(1));
    assert_eq!(
        h.task(run, "excl").record_count,
        Some(1),
        "new but not in Paris: b"
    );
}

#[tokio::test]
async fn bad_input_gives_clear_errors_and_leaves_contacts_as_they_were() {
    let h = Harness::new().await;
    add_contacts(&h.engine, &[("keep@x.io", "Keep", "new", None)]);
    let one = |activity: Value| {
        json!({"format": 1, "name": format!("Bad {}", activity["id"]), "activities": [{"id": "start", "kind": "start"}, activity.clone(), {"id": "finish", "kind": "finish"}],
               "transitions": [{"from": "start", "to": activity["id"]}, {"from": activity["id"], "to": "finish"}]})
    };
    // A filter on a missing field is refused before anything runs.
    let body = weft_engine::load::from_value(one(json!({"id": "q", "kind": "query", "config": {"filter": {"rules": [{"field": "shoe_size", "op": "eq", "value": 42}]}}}))).unwrap();
    let problems = weft_engine::validate::validate(&body);
    assert!(
        problems
            .iter()
            .any(|d| d.activity.as_deref() == Some("q") && d.message.contains("shoe_size")),
        "{problems:?}"
    );

    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "semicolons.csv",
            b"email;name\na@x.io;A\n".to_vec(),
            "email",
        ),
        (
            "quotes.csv",
            b"email,name\n\"a@x.io,A\nb@x.io,\"B\"\"\n".to_vec(),
            "line",
        ),
        (
            "ragged.csv",
            b"email,name\na@x.io,A,extra\n".to_vec(),
            "expected 2 fields",
        ),
        (
            "twice.csv",
            b"email,city,name,city\nb@x.io,Paris,B,Rome\n".to_vec(),
            "WEFT-C012 columns 2 (\"city\") and 4 (\"city\") both fill the field custom.city",
        ),
        (
            "cased.csv",
            b"Email,name,email\nb@x.io,B,c@x.io\n".to_vec(),
            "columns 1 (\"Email\") and 3 (\"email\") both fill the field email",
        ),
    ];
    for (name, bytes, expect) in cases {
        let path = csv(&h, name, &bytes);
        // Names are unique in a store: one workflow per case.
        let mut body = one(json!({"id": "imp", "kind": "import_csv", "config": {"path": path}}));
        body["name"] = json!(name);
        let wf = h.create(body);
        let run = h.run_now(&wf, json!({})).await;
        let detail = h.wait_final(run).await;
        assert_eq!(detail.summary.status, RunStatus::Failed, "{name}");
        let error = h.task(run, "imp").error.unwrap();
        assert!(error.contains(expect), "{name}: {error}");
        assert_eq!(all_contacts(&h).len(), 1, "{name}: nothing imported");
    }

    // Invalid UTF-8 and a 10 MB line: rows rejected with their line, the others land.
    let mut bytes = b"email,name\nok1@x.io,Fine\n".to_vec();
    bytes.extend_from_slice(b"bad@x.io,\xff\xfe\n");
    bytes.extend_from_slice(format!("huge@x.io,{}\n", "y".repeat(10 * 1024 * 1024)).as_bytes());
    bytes.extend_from_slice(b"nul@x.io,Na\0me\n");
    let path = csv(&h, "mixed.csv", &bytes);
    let mut body = one(json!({"id": "imp", "kind": "import_csv", "config": {"path": path}}));
    body["name"] = json!("Mixed");
    let wf = h.create(body);
    let run = h.run_now(&wf, json!({})).await;
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Completed);
    let report = h.task(run, "imp").result;
    assert_eq!(report["created"], json!(2));
    assert!(
        report["rejected"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("UTF-8"),
        "{report}"
    );
    assert_eq!(report["rejected"][0]["line"], json!(3));
    assert_eq!(
        report["rejected"][1],
        json!({"line": 5, "reason": "column \"name\" contains a NUL byte"})
    );

    // An email template naming an unknown field: Error, naming it; nothing sent.
    let before = all_contacts(&h);
    let wf = h.create(json!({
        "format": 1, "name": "Bad template",
        "activities": [{"id": "start", "kind": "start"}, {"id": "q", "kind": "query", "config": {}}, {"id": "mail", "kind": "send_email_each", "config": {"subject": "Hi {{ contact.nickname }}"}}, {"id": "finish", "kind": "finish"}],
        "transitions": [{"from": "start", "to": "q"}, {"from": "q", "to": "mail"}, {"from": "mail", "to": "finish"}]
    }));
    let run = h.run_now(&wf, json!({})).await;
    let detail = h.wait_final(run).await;
    assert_eq!(detail.summary.status, RunStatus::Error);
    let error = h.task(run, "mail").error.unwrap();
    assert!(
        error.contains("mail.subject") && error.contains("nickname"),
        "{error}"
    );
    assert_eq!(all_contacts(&h), before);
    assert!(
        !h.dir.path().join("outbox").exists()
            || std::fs::read_dir(h.dir.path().join("outbox"))
                .unwrap()
                .count()
                == 0
    );
}

fn read_csv(path: &str) -> Vec<Vec<String>> {
    csv_crate_rows(&std::fs::read(path).unwrap())
}

fn csv_crate_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[tokio::test]
async fn export_csv_neutralises_formulas_unless_raw_and_the_stored_values_stay() {
    let h = Harness::new().await;
    let import = csv(
        &h,
        "formulas.csv",
        b"email,name,phone,status,=cmd\nevil@x.io,\"=HYPERLINK(\"\"http://x\"\")\",+1 555 0100,-1,@SUM(A1)\nplain@x.io,Plain,555,new,ok\n",
    );
    let (safe, raw) = (h.path("safe.csv"), h.path("raw.csv"));
    let wf = h.create(json!({
        "format": 1, "name": "Formulas",
        "activities": [
            {"id": "start", "kind": "start"},
            {"id": "import", "kind": "import_csv", "config": {"path": import}},
            {"id": "safe", "kind": "export_csv", "config": {"path": safe}},
            {"id": "raw", "kind": "export_csv", "config": {"path": raw, "raw_formulas": true}},
            {"id": "finish", "kind": "finish"}
        ],
        "transitions": [
            {"from": "start", "to": "import"}, {"from": "import", "to": "safe"},
            {"from": "safe", "to": "raw"}, {"from": "raw", "to": "finish"}
        ]
    }));
    let run = h.run_now(&wf, json!({})).await;
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Completed);
    let header = ["email", "name", "phone", "status", "tags"];
    assert_eq!(
        read_csv(&safe),
        vec![
            [&header[..], &["'=cmd"]].concat(),
            vec![
                "evil@x.io",
                "'=HYPERLINK(\"http://x\")",
                "'+1 555 0100",
                "'-1",
                "",
                "'@SUM(A1)"
            ],
            vec!["plain@x.io", "Plain", "555", "new", "", "ok"],
        ]
    );
    assert_eq!(
        read_csv(&raw),
        vec![
            [&header[..], &["=cmd"]].concat(),
            vec![
                "evil@x.io",
                "=HYPERLINK(\"http://x\")",
                "+1 555 0100",
                "-1",
                "",
                "@SUM(A1)"
            ],
            vec!["plain@x.io", "Plain", "555", "new", "", "ok"],
        ]
    );
    let stored = all_contacts(&h);
    assert_eq!(
        stored[0].name, "=HYPERLINK(\"http://x\")",
        "stored as imported"
    );
    assert_eq!(stored[0].custom["=cmd"], json!("@SUM(A1)"));

    // Tabs and carriage returns (which an import trims, but an edit may store) too.
    h.engine
        .update_contact(
            stored[1].id,
            &ContactChange {
                name: Some("\tTabbed".into()),
                status: Some("\rnew".into()),
                tags: None,
            },
        )
        .unwrap();
    let mut out = Vec::new();
    h.engine
        .export_contacts(&Filter::all(), &mut out, Default::default())
        .unwrap();
    let rows = csv_crate_rows(&out);
    assert_eq!(
        (rows[2][1].as_str(), rows[2][3].as_str()),
        ("'\tTabbed", "'\rnew")
    );
}

#[tokio::test]
async fn enrichment_adds_fields_from_a_lookup_file() {
    let h = Harness::new().await;
    add_contacts(
        &h.engine,
        &[
            ("a@x.io", "a@x.io", "new", Some("Paris")),
            ("b@x.io", "b@x.io", "new", Some("Lima")),
            ("c@x.io", "c@x.io", "new", Some("Atlantis")),
        ],
    );
    let lookup = csv(
        &h,
        "regions.csv",
        b"city,region,currency\nparis,Europe,EUR\nLima,Americas,PEN\n",
    );
    let wf = h.create(json!({
        "format": 1, "name": "Enrich",
        "activities": [
            {"id": "start", "kind": "start"}, {"id": "q", "kind": "query", "config": {}},
            {"id": "enrich", "kind": "enrichment", "config": {"lookup": lookup, "key": "custom.city", "column": "city", "fields": {"region": "region", "currency": "currency"}}},
            {"id": "finish", "kind": "finish"}
        ],
        "transitions": [{"from": "start", "to": "q"}, {"from": "q", "to": "enrich"}, {"from": "enrich", "to": "finish"}]
    }));
    let run = h.run_now(&wf, json!({})).await;
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Completed);
    assert_eq!(h.task(run, "enrich").record_count, Some(2));
    let people = all_contacts(&h);
    assert_eq!(
        people[0].custom["region"],
        json!("Europe"),
        "matched case-insensitively"
    );
    assert_eq!(people[1].custom["currency"], json!("PEN"));
    assert!(!people[2].custom.contains_key("region"));
}

#[tokio::test]
async fn deduplication_keeps_one_record_per_value_and_status_edits_fire_record_triggers() {
    let h = Harness::new().await;
    add_contacts(
        &h.engine,
        &[
            ("a@x.io", "Ada", "new", None),
            ("b@x.io", "ada", "new", None),
            ("c@x.io", "Grace", "new", None),
        ],
    );
    let wf = h.create(json!({
        "format": 1, "name": "Dedup",
        "activities": [{"id": "start", "kind": "start"}, {"id": "q", "kind": "query", "config": {}}, {"id": "d", "kind": "deduplicate", "config": {"field": "name"}}, {"id": "finish", "kind": "finish"}],
        "transitions": [{"from": "start", "to": "q"}, {"from": "q", "to": "d"}, {"from": "d", "to": "finish"}]
    }));
    let run = h.run_now(&wf, json!({})).await;
    assert_eq!(h.wait_final(run).await.summary.status, RunStatus::Completed);
    assert_eq!(
        h.task(run, "d").record_count,
        Some(2),
        "Ada and ada are one name"
    );

    let updated = h
        .engine
        .update_contact(
            3,
            &ContactChange {
                name: None,
                status: Some("qualified".into()),
                tags: Some(vec!["vip".to_string()]),
            },
        )
        .unwrap();
    assert_eq!(
        (updated.status.as_str(), updated.tags.clone()),
        ("qualified", vec!["vip".to_string()])
    );
}

#[tokio::test]
async fn the_email_throttle_waits_on_the_engine_clock() {
    let h = Harness::manual().await;
    add_contacts(
        &h.engine,
        &[
            ("a@x.io", "A", "new", None),
            ("b@x.io", "B", "new", None),
            ("c@x.io", "C", "new", None),
        ],
    );
    let wf = h.create(json!({
        "format": 1, "name": "Throttled",
        "activities": [
            {"id": "start", "kind": "start"},
            {"id": "q", "kind": "query", "config": {}},
            {"id": "mail", "kind": "send_email_each", "config": {"subject": "Hi {{ contact.name }}", "per_second": 1}},
            {"id": "finish", "kind": "finish"}
        ],
        "transitions": [{"from": "start", "to": "q"}, {"from": "q", "to": "mail"}, {"from": "mail", "to": "finish"}]
    }));
    let run = h.run_now(&wf, json!({})).await;
    h.wait_task(run, "mail", TaskStatus::Running).await;
    // One message a second: without the clock moving, the step cannot finish.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(h.task(run, "mail").status, TaskStatus::Running);
    h.advance_until(
        || async { h.run(run).summary.status.is_final() },
        "the throttled sends",
    )
    .await;
    assert_eq!(h.run(run).summary.status, RunStatus::Completed);
    assert_eq!(h.task(run, "mail").record_count, Some(3));
}

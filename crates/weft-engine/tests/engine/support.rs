//! Test harness: an engine on a temporary store, helpers to build workflows and await runs.

use serde_json::{json, Value};
use std::future::Future;
use std::time::Duration;
use tempfile::TempDir;
use weft_engine::command::CommandOutcome;
use weft_engine::store::{self, RunDetail, RunStatus, TaskRecord};
use weft_engine::{Command, Engine, EngineOptions, ManualClock, WorkflowFile};

pub struct Harness {
    pub engine: Engine,
    pub clock: Option<ManualClock>,
    pub dir: TempDir,
}

impl Harness {
    /// An executing engine with the system clock.
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let engine = Engine::open(options(&dir)).expect("open");
        engine.start().expect("owner");
        Self {
            engine,
            clock: None,
            dir,
        }
    }

    /// An executing engine whose clock moves only when the test says so.
    pub async fn manual() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let clock = ManualClock::new(
            chrono::DateTime::parse_from_rfc3339("2026-03-02T08:00:00Z")
                .expect("time")
                .to_utc(),
        );
        let mut opts = options(&dir);
        opts.clock = std::sync::Arc::new(clock.clone());
        let engine = Engine::open(opts).expect("open");
        engine.start().expect("owner");
        Self {
            engine,
            clock: Some(clock),
            dir,
        }
    }

    pub fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    pub fn create(&self, workflow: Value) -> String {
        let body: WorkflowFile = weft_engine::load::from_value(workflow).expect("workflow loads");
        self.engine.create_workflow(&body).expect("create").id
    }

    pub async fn run_now(&self, workflow_id: &str, params: Value) -> i64 {
        let record = self
            .engine
            .command_and_wait(
                Some(workflow_id),
                Command::RunNow {
                    params,
                    simulate: false,
                },
                Duration::from_secs(10),
            )
            .await
            .expect("run now applied");
        run_id_of(record.outcome.as_ref().expect("an outcome"))
    }

    pub async fn command(&self, workflow_id: &str, command: Command) -> CommandOutcome {
        self.engine
            .command_and_wait(Some(workflow_id), command, Duration::from_secs(10))
            .await
            .expect("command applied")
            .outcome
            .expect("an outcome")
    }

    pub async fn command_refused(&self, workflow_id: Option<&str>, command: Command) -> String {
        match self
            .engine
            .command_and_wait(workflow_id, command, Duration::from_secs(10))
            .await
        {
            Err(e) => e.to_string(),
            Ok(r) => panic!("expected a refusal, got {:?}", r.outcome),
        }
    }

    pub fn run(&self, run_id: i64) -> RunDetail {
        self.engine.run(run_id).expect("run")
    }

    pub fn tasks(&self, run_id: i64) -> Vec<TaskRecord> {
        self.engine.run_tasks(run_id).expect("tasks")
    }

    pub fn task(&self, run_id: i64, activity: &str) -> TaskRecord {
        self.tasks(run_id)
            .into_iter()
            .rfind(|t| t.activity_id == activity)
            .unwrap_or_else(|| panic!("no task for {activity} in run {run_id}"))
    }

    pub async fn wait_status(&self, run_id: i64, status: RunStatus) -> RunDetail {
        wait_for(
            || async { self.run(run_id).summary.status == status },
            &format!("run {run_id} to be {status}"),
        )
        .await;
        self.run(run_id)
    }

    pub async fn wait_final(&self, run_id: i64) -> RunDetail {
        wait_for(
            || async { self.run(run_id).summary.status.is_final() },
            &format!("run {run_id} to end"),
        )
        .await;
        self.run(run_id)
    }

    pub async fn wait_task(
        &self,
        run_id: i64,
        activity: &str,
        status: store::TaskStatus,
    ) -> TaskRecord {
        wait_for(
            || async {
                self.tasks(run_id)
                    .iter()
                    .any(|t| t.activity_id == activity && t.status == status)
            },
            &format!("{activity} to be {status} in run {run_id}"),
        )
        .await;
        self.task(run_id, activity)
    }

    /// Moves the manual clock and lets the executor react.
    pub async fn advance(&self, by: Duration) {
        self.clock.as_ref().expect("manual clock").advance(by);
        tokio::time::sleep(Duration::from_millis(30)).await;
    }

    /// Moves the manual clock a second at a time until `check` holds (at most ten minutes of
    /// engine time): for what the executor does on its own schedule, such as trigger scans.
    pub async fn advance_until<F, Fut>(&self, mut check: F, what: &str)
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = bool>,
    {
        for _ in 0..600 {
            if check().await {
                return;
            }
            self.advance(Duration::from_secs(1)).await;
        }
        panic!("{what} did not happen within ten minutes of engine time");
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        self.engine.shutdown();
    }
}

pub fn options(dir: &TempDir) -> EngineOptions {
    let mut o = EngineOptions::new(dir.path().join("weft.db"));
    o.poll_interval = Duration::from_millis(50);
    o
}

pub fn run_id_of(outcome: &CommandOutcome) -> i64 {
    outcome
        .run()
        .unwrap_or_else(|| panic!("no run in {outcome:?}"))
}

pub async fn wait_for<F, Fut>(mut check: F, what: &str)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !check().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Starts a debug run (it pauses at the workflow's breakpoints) and returns its id.
pub async fn debug_run(h: &Harness, wf: &str, params: Value, simulate: bool) -> i64 {
    run_id_of(&h.command(wf, Command::DebugRun { params, simulate }).await)
}

/// A workflow: Start → the given chain of activities → Finish, plus extra transitions.
pub fn chain(name: &str, activities: Vec<Value>) -> Value {
    let mut all = vec![json!({"id": "start", "kind": "start"})];
    let mut transitions = Vec::new();
    let mut previous = "start".to_string();
    for a in activities {
        let id = a["id"].as_str().expect("id").to_string();
        transitions.push(json!({"from": previous, "to": id}));
        previous = id;
        all.push(a);
    }
    all.push(json!({"id": "finish", "kind": "finish"}));
    transitions.push(json!({"from": previous, "to": "finish"}));
    json!({"format": 1, "name": name, "activities": all, "transitions": transitions})
}

pub fn cmd(id: &str, command: &str) -> Value {
    json!({"id": id, "kind": "run_command", "config": {"command": command}})
}

/// Adds contacts the way a person does, through a CSV import: (email, name, status, city); the
/// city, when any row has one, becomes the custom field `city`.
pub fn add_contacts(engine: &Engine, rows: &[(&str, &str, &str, Option<&str>)]) {
    let with_city = rows.iter().any(|r| r.3.is_some());
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut text = String::from(if with_city {
        "email,name,status,city\n"
    } else {
        "email,name,status\n"
    });
    for (email, name, status, city) in rows {
        text.push_str(&format!(
            "{},{},{}",
            quote(email),
            quote(name),
            quote(status)
        ));
        if with_city {
            text.push_str(&format!(",{}", quote(city.unwrap_or(""))));
        }
        text.push('\n');
    }
    let report = engine
        .import_contacts(text.as_bytes(), &Default::default())
        .expect("contacts import");
    assert_eq!(report.rejected_count, 0, "{:?}", report.rejected);
}

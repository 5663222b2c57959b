//! Human output of the CLI: aligned tables and run reports. `--json` prints the engine types.

use anyhow::Result;
use serde_json::Value;
use weft_engine::store::{Event, RunPage};
use weft_engine::Engine;

pub fn human_ms(ms: i64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        format!("{:.1} s", ms as f64 / 1000.0)
    } else {
        format!("{}m {}s", ms / 60_000, (ms % 60_000) / 1000)
    }
}

pub fn time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default()
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub fn print_rows(json_out: bool, rows: &[Value], columns: &[&str]) {
    if json_out {
        println!("{}", serde_json::to_string_pretty(rows).unwrap_or_default());
        return;
    }
    if rows.is_empty() {
        println!("(none)");
        return;
    }
    let widths: Vec<usize> = columns
        .iter()
        .map(|c| {
            rows.iter()
                .map(|r| cell(&r[*c]).chars().count())
                .max()
                .unwrap_or(0)
                .max(c.len())
                .min(60)
        })
        .collect();
    let line = |values: Vec<String>| {
        values
            .iter()
            .zip(&widths)
            .map(|(v, w)| format!("{:<w$}", v.chars().take(60).collect::<String>(), w = w))
            .collect::<Vec<_>>()
            .join("  ")
    };
    println!(
        "{}",
        line(columns.iter().map(|c| c.to_uppercase()).collect())
    );
    for r in rows {
        println!("{}", line(columns.iter().map(|c| cell(&r[*c])).collect()));
    }
}

pub fn print_value(json_out: bool, value: &Value, human: &str) {
    if json_out {
        println!(
            "{}",
            serde_json::to_string_pretty(value).unwrap_or_default()
        );
    } else {
        println!("{human}");
    }
}

pub fn print_runs(page: &RunPage) {
    let rows: Vec<Value> = page
        .runs
        .iter()
        .map(|r| {
            serde_json::json!({
                "run": r.id, "status": r.status, "workflow": r.workflow_name, "trigger": r.trigger,
                "started": r.started_at.map(time), "duration": match (r.started_at, r.ended_at) { (Some(s), Some(e)) => Some(human_ms(e - s)), _ => None },
                "revision": r.revision,
            })
        })
        .collect();
    print_rows(
        false,
        &rows,
        &[
            "run", "status", "workflow", "trigger", "started", "duration", "revision",
        ],
    );
    if let Some(next) = page.next {
        println!("more: --after {next}");
    }
}

/// A run's timeline, one entry a line, read a page at a time: the time since the run began,
/// what happened and to what.
pub fn print_timeline(engine: &Engine, run_id: i64, json_out: bool) -> Result<()> {
    use weft_engine::store::timeline::TimelineKind;
    let mut after = None;
    loop {
        let page = engine.run_timeline(run_id, after, 1_000)?;
        let origin = page.run.created_at;
        for e in &page.entries {
            if json_out {
                println!("{}", serde_json::to_string(e)?);
                continue;
            }
            let what = match e.kind {
                TimelineKind::EdgeTaken | TimelineKind::EdgeDead => format!(
                    "{}:{} -> {}",
                    e.activity_id,
                    e.port.as_deref().unwrap_or("ok"),
                    e.to.as_deref().unwrap_or("?")
                ),
                _ => format!("{} (task {})", e.activity_id, e.task_id.unwrap_or_default()),
            };
            let detail = [
                e.attempt.map(|a| format!("attempt {a}")),
                e.status.map(|s| s.to_string()),
                e.records.map(|n| format!("{n} records")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
            let kind = serde_json::to_value(e.kind)?;
            println!(
                "{:>10}  {:<15} {what}{}",
                format!("+{}", human_ms(e.at - origin)),
                kind.as_str().unwrap_or_default(),
                if detail.is_empty() {
                    String::new()
                } else {
                    format!("  {detail}")
                }
            );
        }
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(()),
        }
    }
}

pub fn show_run(engine: &Engine, run_id: i64, json_out: bool) -> Result<()> {
    let detail = engine.run(run_id)?;
    let tasks = engine.run_tasks(run_id)?;
    let logs = engine.run_logs(run_id, None)?;
    let edges = engine.run_edges(run_id)?;
    if json_out {
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({"run": detail, "tasks": tasks, "logs": logs, "edges": edges})
            )?
        );
        return Ok(());
    }
    let s = &detail.summary;
    println!(
        "run {} — {} (revision {})",
        s.id, s.workflow_name, s.revision
    );
    println!(
        "  status    {}{}",
        s.status,
        detail
            .error
            .as_ref()
            .map(|e| format!(" — {e}"))
            .unwrap_or_default()
    );
    println!(
        "  trigger   {}{}",
        s.trigger,
        if s.simulate { " (simulation)" } else { "" }
    );
    println!("  progress  {}%", detail.progress);
    println!("  params    {}", detail.params);
    if detail.vars.as_object().is_some_and(|m| !m.is_empty()) {
        println!("  vars      {}", detail.vars);
    }
    if let Some(started) = s.started_at {
        println!(
            "  started   {}{}",
            time(started),
            s.ended_at
                .map(|e| format!(", took {}", human_ms(e - started)))
                .unwrap_or_default()
        );
    }
    if let Some(of) = s.restart_of {
        println!(
            "  restarts  run {of} from {}",
            detail.restart_from.clone().unwrap_or_default()
        );
    }
    println!("tasks:");
    for t in &tasks {
        let took = match (t.started_at, t.ended_at) {
            (Some(a), Some(b)) => human_ms(b - a),
            _ => "-".into(),
        };
        println!(
            "  #{:<5} {:<22} {:<10} attempt {} {:>8}{}{}{}",
            t.id,
            t.activity_id,
            t.status,
            t.attempt,
            took,
            t.port
                .as_ref()
                .map(|p| format!("  → {p}"))
                .unwrap_or_default(),
            t.wait_reason
                .map(|r| format!("  ({r})"))
                .unwrap_or_default(),
            if t.reused { "  (reused)" } else { "" }
        );
        if !t.result.is_null() {
            println!("         result {}", t.result);
        }
        if let Some(e) = &t.error {
            println!("         error  {e}");
        }
        for (label, text) in [("stdout", &t.stdout), ("stderr", &t.stderr)] {
            if !text.is_empty() {
                for line in text.lines().take(20) {
                    println!("         {label} | {line}");
                }
            }
        }
    }
    if !logs.is_empty() {
        println!("logs:");
        for l in &logs {
            println!(
                "  {} {:<5} {:<20} {}",
                time(l.at),
                l.level,
                l.activity_id,
                l.message
            );
        }
    }
    let counted: Vec<_> = edges.iter().filter(|e| e.records.is_some()).collect();
    if !counted.is_empty() {
        println!("transitions:");
        for e in counted {
            println!(
                "  {} → {}: {} - Ok",
                e.from,
                e.to,
                e.records.unwrap_or_default()
            );
        }
    }
    Ok(())
}

pub fn describe_event(e: &Event) -> String {
    format!(
        "{} #{} {} wf={} run={} task={} {}",
        time(e.at),
        e.seq,
        e.kind(),
        e.workflow_id.as_deref().unwrap_or("-"),
        e.run_id.map(|r| r.to_string()).unwrap_or("-".into()),
        e.task_id.map(|r| r.to_string()).unwrap_or("-".into()),
        serde_json::to_value(&e.body)
            .ok()
            .and_then(|v| v.get("payload").cloned())
            .unwrap_or_default()
    )
}

/// A revision diff as lines: `+` added, `-` removed, `~` changed or moved.
pub fn print_diff(name: &str, d: &weft_engine::diff::RevisionDiff) {
    println!("{name}: revision {} → {}", d.from, d.to);
    let c = &d.diff;
    if c.is_empty() {
        println!("  no changes");
        return;
    }
    for a in &c.added {
        println!("  + activity {} ({})", a.id, a.kind);
    }
    for a in &c.removed {
        println!("  - activity {} ({})", a.id, a.kind);
    }
    for m in &c.moved {
        println!(
            "  ~ moved {}: ({}, {}) → ({}, {})",
            m.id, m.before.x, m.before.y, m.after.x, m.after.y
        );
    }
    for f in &c.changed {
        let at = match &f.activity {
            Some(a) => format!("{a}.{}", f.field),
            None => f.field.clone(),
        };
        println!("  ~ {at}: {} → {}", f.before, f.after);
    }
    for t in &c.transitions_added {
        println!("  + transition {}:{} -> {}", t.from, t.port, t.to);
    }
    for t in &c.transitions_removed {
        println!("  - transition {}:{} -> {}", t.from, t.port, t.to);
    }
}

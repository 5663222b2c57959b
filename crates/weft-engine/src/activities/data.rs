//! Data activities over the local contacts database. Record sets flow along transitions as rows
//! of `record_sets` owned by the producing task (never JSON blobs in memory); each activity works
//! in one transaction, so a failure leaves the contacts exactly as they were.

use super::{ActivityContext, ActivityError, Outcome};
use crate::contacts::{self, Filter};
use crate::expr::{self, Site};
use crate::model::*;
use rusqlite::{params, Connection};
use serde_json::{json, Value};

/// One input record set: the producing task and the port it left by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputSet {
    /// Activity that produced it.
    pub from: String,
    /// Its task in this run.
    pub task_id: i64,
    /// The port.
    pub port: String,
}

fn store_err(e: impl std::fmt::Display) -> ActivityError {
    ActivityError::failed(format!("contacts database: {e}"))
}

fn config_err(id: &str, e: impl std::fmt::Display) -> ActivityError {
    ActivityError::Config(format!("{id}: {e}"))
}

/// The union of the input sets into a temporary table `input_ids`.
fn load_inputs(conn: &Connection, inputs: &[InputSet]) -> rusqlite::Result<()> {
    conn.execute_batch("CREATE TEMP TABLE IF NOT EXISTS input_ids (contact_id INTEGER PRIMARY KEY); DELETE FROM input_ids;")?;
    let mut stmt = conn.prepare_cached("INSERT OR IGNORE INTO input_ids SELECT contact_id FROM record_sets WHERE task_id = ?1 AND port = ?2")?;
    for input in inputs {
        stmt.execute(params![input.task_id, input.port])?;
    }
    Ok(())
}

fn save_set(
    conn: &Connection,
    task_id: i64,
    port: &str,
    select: &str,
    args: &[rusqlite::types::Value],
) -> rusqlite::Result<i64> {
    conn.execute(
        "DELETE FROM record_sets WHERE task_id = ?1 AND port = ?2",
        params![task_id, port],
    )?;
    let mut all: Vec<rusqlite::types::Value> = vec![task_id.into(), port.to_string().into()];
    all.extend_from_slice(args);
    let sql = format!("INSERT OR IGNORE INTO record_sets (task_id, port, contact_id) SELECT ?1, ?2, id FROM ({select})");
    Ok(conn.execute(&sql, rusqlite::params_from_iter(all))? as i64)
}

/// Shifts `?N` placeholders of a compiled filter by `by` (it is embedded after other parameters).
fn shift_params(sql: &str, by: usize) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' {
            let mut digits = String::new();
            while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                digits.push(*d);
                chars.next();
            }
            match digits.parse::<usize>() {
                Ok(n) => out.push_str(&format!("?{}", n + by)),
                Err(_) => out.push('?'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn counted(port: &str, count: i64, result: Value) -> Outcome {
    Outcome {
        port: port.into(),
        record_count: Some(count),
        result,
        ..Outcome::default()
    }
}

pub(super) async fn run(
    activity: &Activity,
    ctx: &ActivityContext,
) -> Result<Outcome, ActivityError> {
    let activity = activity.clone();
    let ctx = ctx.clone();
    // SQLite work on up to millions of rows: off the async threads.
    tokio::task::spawn_blocking(move || run_blocking(&activity, &ctx))
        .await
        .map_err(|e| ActivityError::failed(format!("data activity crashed: {e}")))?
}

fn run_blocking(activity: &Activity, ctx: &ActivityContext) -> Result<Outcome, ActivityError> {
    let id = activity.id.as_str();
    let task = ctx.task_id;
    let store = &ctx.store;
    match &activity.config {
        ActivityConfig::Query(c) => {
            let (clause, args) = c.filter.to_sql().map_err(|e| config_err(id, e))?;
            let (count, _) = store
                .write(|tx| {
                    Ok(save_set(
                        tx.conn(),
                        task,
                        "ok",
                        &format!("SELECT id FROM contacts WHERE {}", shift_params(&clause, 2)),
                        &args,
                    )?)
                })
                .map_err(store_err)?;
            ctx.log("info", format!("{count} contact(s) selected"));
            Ok(counted("ok", count, json!({"count": count})))
        }
        ActivityConfig::Union(_)
        | ActivityConfig::Intersection(_)
        | ActivityConfig::Exclusion(_) => {
            let kind = activity.kind();
            let inputs = ctx.inputs.clone();
            let (count, _) = store
                .write(|tx| {
                    let c = tx.conn();
                    let sets: Vec<String> = inputs.iter().map(|i| format!("SELECT contact_id AS id FROM record_sets WHERE task_id = {} AND port = '{}'", i.task_id, i.port.replace('\'', "''"))).collect();
                    if sets.is_empty() {
                        return Ok(save_set(c, task, "ok", "SELECT id FROM contacts WHERE 0", &[])?);
                    }
                    let select = match kind {
                        ActivityKind::Union => sets.join(" UNION "),
                        ActivityKind::Intersection => sets.join(" INTERSECT "),
                        _ => {
                            let (first, rest) = sets.split_first().map(|(f, r)| (f.clone(), r.to_vec())).unwrap_or_default();
                            if rest.is_empty() { first } else { format!("{first} EXCEPT SELECT id FROM ({})", rest.join(" UNION ")) }
                        }
                    };
                    Ok(save_set(c, task, "ok", &select, &[])?)
                })
                .map_err(store_err)?;
            Ok(counted(
                "ok",
                count,
                json!({"count": count, "inputs": ctx.inputs.len()}),
            ))
        }
        ActivityConfig::Split(c) => {
            let inputs = ctx.inputs.clone();
            let modes = [c.filter.is_some(), c.percent.is_some(), c.count.is_some()]
                .iter()
                .filter(|m| **m)
                .count();
            if modes != 1 {
                return Err(config_err(
                    id,
                    "a Split needs exactly one of filter, percent and count",
                ));
            }
            let ((matched, rest), _) = store
                .write(|tx| {
                    let conn = tx.conn();
                    load_inputs(conn, &inputs)?;
                    let total: i64 = conn.query_row("SELECT COUNT(*) FROM input_ids", [], |r| r.get(0))?;
                    let matched = if let Some(filter) = &c.filter {
                        let (clause, args) = filter.to_sql().map_err(|e| crate::store::Error::Corrupt { what: "filter", message: e.to_string() })?;
                        save_set(conn, task, "match", &format!("SELECT c.id FROM contacts c JOIN input_ids i ON i.contact_id = c.id WHERE {}", shift_params(&clause, 2)), &args)?
                    } else {
                        let n = match (c.percent, c.count) {
                            (Some(p), _) => total * i64::from(p.min(100)) / 100,
                            (_, Some(n)) => (n as i64).min(total),
                            _ => 0,
                        };
                        save_set(conn, task, "match", &format!("SELECT contact_id AS id FROM input_ids ORDER BY contact_id LIMIT {n}"), &[])?
                    };
                    let rest = save_set(conn, task, "rest", &format!("SELECT contact_id AS id FROM input_ids WHERE contact_id NOT IN (SELECT contact_id FROM record_sets WHERE task_id = {task} AND port = 'match')"), &[])?;
                    Ok((matched, rest))
                })
                .map_err(|e| match e {
                    crate::store::Error::Corrupt { what: "filter", message } => config_err(id, message),
                    other => store_err(other),
                })?;
            ctx.log("info", format!("{matched} matched, {rest} in the rest"));
            Ok(Outcome {
                extra_ports: vec![("rest".into(), Some(rest))],
                ..counted("match", matched, json!({"match": matched, "rest": rest}))
            })
        }
        ActivityConfig::Deduplicate(c) => {
            let column = match c.field.as_str() {
                "name" | "phone" | "status" | "email" => c.field.clone(),
                f if f.starts_with("custom.") => format!(
                    "json_extract(custom, '$.\"{}\"')",
                    f[7..].replace(['\'', '"'], "")
                ),
                other => {
                    return Err(config_err(
                        id,
                        format!(
                        "cannot deduplicate on {other:?}; use name, phone, status or custom.NAME"
                    ),
                    ))
                }
            };
            let inputs = ctx.inputs.clone();
            let (count, _) = store
                .write(|tx| {
                    load_inputs(tx.conn(), &inputs)?;
                    Ok(save_set(tx.conn(), task, "ok", &format!("SELECT MIN(c.id) AS id FROM contacts c JOIN input_ids i ON i.contact_id = c.id GROUP BY lower(COALESCE({column}, ''))"), &[])?)
                })
                .map_err(store_err)?;
            Ok(counted("ok", count, json!({"count": count})))
        }
        ActivityConfig::UpdateData(c) => {
            let inputs = ctx.inputs.clone();
            let now = ctx.now;
            let data = ctx.data.clone();
            let (count, _) = store
                .write(|tx| {
                    let conn = tx.conn();
                    load_inputs(conn, &inputs)?;
                    let ids: Vec<i64> = conn.prepare("SELECT contact_id FROM input_ids ORDER BY contact_id")?.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
                    if let Some(status) = &c.set_status {
                        conn.execute("UPDATE contacts SET status = ?1, updated_at = ?2 WHERE id IN (SELECT contact_id FROM input_ids)", params![status, now])?;
                    }
                    for tag in &c.add_tags {
                        conn.execute(
                            "UPDATE contacts SET tags = json_insert(tags, '$[#]', ?1), updated_at = ?2 WHERE id IN (SELECT contact_id FROM input_ids) AND NOT EXISTS (SELECT 1 FROM json_each(contacts.tags) WHERE value = ?1)",
                            params![tag, now],
                        )?;
                    }
                    for tag in &c.remove_tags {
                        conn.execute(
                            "UPDATE contacts SET tags = (SELECT json_group_array(value) FROM json_each(contacts.tags) WHERE value <> ?1), updated_at = ?2 WHERE id IN (SELECT contact_id FROM input_ids)",
                            params![tag, now],
                        )?;
                    }
                    if !c.set_custom.is_empty() {
                        for contact_id in &ids {
                            let Some(contact) = contacts::get(conn, *contact_id)? else { continue };
                            let mut local = (*data).clone();
                            local["contact"] = serde_json::to_value(&contact).unwrap_or(Value::Null);
                            let mut custom = contact.custom.clone();
                            for (key, template) in &c.set_custom {
                                let value = expr::render(Site { activity: id, field: "set_custom" }, template, &local)
                                    .map_err(|e| crate::store::Error::Corrupt { what: "template", message: e.to_string() })?;
                                custom.insert(key.clone(), Value::String(value));
                            }
                            conn.execute("UPDATE contacts SET custom = ?1, updated_at = ?2 WHERE id = ?3", params![Value::Object(custom).to_string(), now, contact_id])?;
                        }
                    }
                    conn.execute("INSERT OR IGNORE INTO record_sets (task_id, port, contact_id) SELECT ?1, 'ok', contact_id FROM input_ids", [task])?;
                    Ok(ids.len() as i64)
                })
                .map_err(|e| match e {
                    crate::store::Error::Corrupt { what: "template", message } => ActivityError::Config(message),
                    other => store_err(other),
                })?;
            ctx.log("info", format!("{count} contact(s) updated"));
            Ok(counted("ok", count, json!({"updated": count})))
        }
        ActivityConfig::Enrichment(c) => {
            let path = expr::render(
                Site {
                    activity: id,
                    field: "lookup",
                },
                &c.lookup,
                &ctx.data,
            )?;
            let bytes = contacts::read_csv_file(std::path::Path::new(&path))
                .map_err(|e| ActivityError::failed(e.to_string()))?;
            let mut reader = csv::ReaderBuilder::new().from_reader(bytes.as_slice());
            let headers: Vec<String> = reader
                .headers()
                .map_err(|e| ActivityError::failed(format!("{path}: {e}")))?
                .iter()
                .map(|h| h.trim().to_string())
                .collect();
            let position = |name: &str| headers.iter().position(|h| h == name);
            let key_at = position(&c.column).ok_or_else(|| {
                config_err(
                    id,
                    format!(
                        "{path} has no column {:?} (columns: {})",
                        c.column,
                        headers.join(", ")
                    ),
                )
            })?;
            let mut take = Vec::new();
            for (field, column) in &c.fields {
                let at = position(column).ok_or_else(|| {
                    config_err(
                        id,
                        format!(
                            "{path} has no column {column:?} (columns: {})",
                            headers.join(", ")
                        ),
                    )
                })?;
                take.push((field.clone(), at));
            }
            let mut lookup = std::collections::HashMap::new();
            for (line, record) in reader.records().enumerate() {
                let record = record
                    .map_err(|e| ActivityError::failed(format!("{path} line {}: {e}", line + 2)))?;
                if let Some(key) = record.get(key_at) {
                    let values: Vec<(String, String)> = take
                        .iter()
                        .map(|(f, at)| (f.clone(), record.get(*at).unwrap_or_default().to_string()))
                        .collect();
                    lookup.entry(key.trim().to_lowercase()).or_insert(values);
                }
            }
            let key = c.key.clone();
            if !["email", "name", "phone", "status"].contains(&key.as_str())
                && !key.starts_with("custom.")
            {
                return Err(config_err(
                    id,
                    format!(
                        "cannot match on {key:?}; use email, name, phone, status or custom.NAME"
                    ),
                ));
            }
            let inputs = ctx.inputs.clone();
            let now = ctx.now;
            let (matched, _) = store
                .write(|tx| {
                    let conn = tx.conn();
                    load_inputs(conn, &inputs)?;
                    let ids: Vec<i64> = conn.prepare("SELECT contact_id FROM input_ids ORDER BY contact_id")?.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
                    let mut matched = 0i64;
                    for contact_id in &ids {
                        let Some(contact) = contacts::get(conn, *contact_id)? else { continue };
                        let value = match key.as_str() {
                            "email" => contact.email.clone(),
                            "name" => contact.name.clone(),
                            "phone" => contact.phone.clone(),
                            "status" => contact.status.clone(),
                            other => contact.custom.get(&other[7..]).map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())).unwrap_or_default(),
                        };
                        let Some(values) = lookup.get(&value.trim().to_lowercase()) else { continue };
                        let mut custom = contact.custom.clone();
                        for (field, v) in values {
                            custom.insert(field.clone(), Value::String(v.clone()));
                        }
                        conn.execute("UPDATE contacts SET custom = ?1, updated_at = ?2 WHERE id = ?3", params![Value::Object(custom).to_string(), now, contact_id])?;
                        matched += 1;
                    }
                    conn.execute("INSERT OR IGNORE INTO record_sets (task_id, port, contact_id) SELECT ?1, 'ok', contact_id FROM input_ids", [task])?;
                    Ok(matched)
                })
                .map_err(store_err)?;
            ctx.log("info", format!("{matched} record(s) enriched from {path}"));
            Ok(counted(
                "ok",
                matched,
                json!({"enriched": matched, "lookup": path}),
            ))
        }
        ActivityConfig::ImportCsv(c) => {
            let path = expr::render(
                Site {
                    activity: id,
                    field: "path",
                },
                &c.path,
                &ctx.data,
            )?;
            let delimiter = match c.delimiter.as_bytes() {
                [d] => *d,
                _ if c.delimiter == "\\t" || c.delimiter == "tab" => b'\t',
                _ => {
                    return Err(config_err(
                        id,
                        format!("delimiter must be one character, got {:?}", c.delimiter),
                    ))
                }
            };
            let bytes = std::fs::read(&path)
                .map_err(|e| ActivityError::failed(format!("cannot read {path}: {e}")))?;
            let mut report = None;
            let result = store.write(|tx| {
                let r = contacts::import_csv(tx.conn(), &bytes, delimiter, &c.mapping, &c.status, ctx.now).map_err(|e| crate::store::Error::Corrupt { what: "csv", message: e.to_string() })?;
                if c.strict && r.rejected_count > 0 {
                    return Err(crate::store::Error::Corrupt { what: "csv", message: format!("{} row(s) rejected, first: line {} {}", r.rejected_count, r.rejected[0].line, r.rejected[0].reason) });
                }
                let mut stmt = tx.conn().prepare_cached("INSERT OR IGNORE INTO record_sets (task_id, port, contact_id) VALUES (?1, 'ok', ?2)")?;
                for cid in &r.ids {
                    stmt.execute(params![task, cid])?;
                }
                report = Some(r);
                Ok(())
            });
            match result {
                Ok(_) => {}
                Err(crate::store::Error::Corrupt {
                    what: "csv",
                    message,
                }) => return Err(ActivityError::failed(format!("{path}: {message}"))),
                Err(e) => return Err(store_err(e)),
            }
            let report = report.unwrap_or_default();
            for r in report.rejected.iter().take(50) {
                ctx.log("warn", format!("line {}: {}", r.line, r.reason));
            }
            ctx.log(
                "info",
                format!(
                    "{} row(s): {} created, {} rejected",
                    report.rows, report.created, report.rejected_count
                ),
            );
            Ok(counted(
                "ok",
                report.created as i64,
                serde_json::to_value(&report).unwrap_or(Value::Null),
            ))
        }
        ActivityConfig::ExportCsv(c) => {
            let path = expr::render(
                Site {
                    activity: id,
                    field: "path",
                },
                &c.path,
                &ctx.data,
            )?;
            let inputs = ctx.inputs.clone();
            let temp = format!("{path}.weft-{task}.tmp");
            if let Some(parent) = std::path::Path::new(&path)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
            {
                std::fs::create_dir_all(parent).map_err(|e| {
                    ActivityError::failed(format!("cannot create {}: {e}", parent.display()))
                })?;
            }
            let mut file = std::fs::File::create(&temp)
                .map_err(|e| ActivityError::failed(format!("cannot write {temp}: {e}")))?;
            let (count, _) = store
                .write(|tx| {
                    load_inputs(tx.conn(), &inputs)?;
                    let ids: Vec<i64> = tx.conn().prepare("SELECT contact_id FROM input_ids ORDER BY contact_id")?.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
                    let options = contacts::ExportOptions { raw_formulas: c.raw_formulas };
                    contacts::export_csv(tx.conn(), &Filter::all(), Some(&ids), &mut file, options)?;
                    tx.conn().execute("INSERT OR IGNORE INTO record_sets (task_id, port, contact_id) SELECT ?1, 'ok', contact_id FROM input_ids", [task])?;
                    Ok(ids.len() as i64)
                })
                .map_err(store_err)?;
            std::fs::rename(&temp, &path)
                .map_err(|e| ActivityError::failed(format!("cannot move into {path}: {e}")))?;
            ctx.log("info", format!("{count} contact(s) written to {path}"));
            Ok(counted("ok", count, json!({"path": path, "count": count})))
        }
        ActivityConfig::RecordTrigger(_) => {
            // The contacts that fired the run become its first record set.
            let ids: Vec<i64> = ctx.data["params"]["contact_ids"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_i64).collect())
                .unwrap_or_default();
            let (count, _) = store
                .write(|tx| {
                    let mut stmt = tx.conn().prepare_cached("INSERT OR IGNORE INTO record_sets (task_id, port, contact_id) VALUES (?1, 'ok', ?2)")?;
                    for cid in &ids {
                        stmt.execute(params![task, cid])?;
                    }
                    Ok(ids.len() as i64)
                })
                .map_err(store_err)?;
            Ok(counted(
                "ok",
                count,
                json!({"trigger": ctx.data["run"]["trigger"], "contacts": count}),
            ))
        }
        _ => Err(ActivityError::failed("not a data activity")),
    }
}

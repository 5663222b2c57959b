//! Data activities over the local contacts database. Record sets flow along transitions as rows
//! of `record_sets` owned by the producing task (never JSON blobs in memory); each activity works
//! in one transaction, so a failure leaves the contacts exactly as they were.

use super::{ActivityContext, ActivityError, Outcome};
use crate::contacts::{self, Filter};
use crate::expr::{self, Site};
use crate::model::*;
use crate::store::api::{BulkChange, SetOp, SetRef, SplitBy};
use crate::store::Error as StoreError;
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

/// How many contacts an activity that looks at each one holds in memory at a time.
const CONTACTS_AT_ONCE: usize = 1_000;

fn store_err(e: impl std::fmt::Display) -> ActivityError {
    ActivityError::failed(format!("contacts database: {e}"))
}

fn config_err(id: &str, e: impl std::fmt::Display) -> ActivityError {
    ActivityError::Config(format!("{id}: {e}"))
}

/// A store failure as the activity's: a bad filter or field is the configuration's fault.
fn store_failure(id: &str, e: StoreError) -> ActivityError {
    match e {
        StoreError::Corrupt {
            what: "filter" | "template",
            message,
        } => config_err(id, message),
        other => store_err(other),
    }
}

/// The input sets as the store names them.
pub(super) fn set_refs(inputs: &[InputSet]) -> Vec<SetRef> {
    inputs
        .iter()
        .map(|i| SetRef {
            task_id: i.task_id,
            port: i.port.clone(),
        })
        .collect()
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
            c.filter.check().map_err(|e| config_err(id, e))?;
            let (count, _) = store
                .write(|tx| tx.query_into_set(task, "ok", &c.filter))
                .map_err(|e| store_failure(id, e))?;
            ctx.log("info", format!("{count} contact(s) selected"));
            Ok(counted("ok", count, json!({"count": count})))
        }
        ActivityConfig::Union(_)
        | ActivityConfig::Intersection(_)
        | ActivityConfig::Exclusion(_) => {
            let op = match activity.kind() {
                ActivityKind::Union => SetOp::Union,
                ActivityKind::Intersection => SetOp::Intersection,
                _ => SetOp::Exclusion,
            };
            let inputs = set_refs(&ctx.inputs);
            let (count, _) = store
                .write(|tx| tx.combine_into_set(task, "ok", op, &inputs))
                .map_err(store_err)?;
            Ok(counted(
                "ok",
                count,
                json!({"count": count, "inputs": ctx.inputs.len()}),
            ))
        }
        ActivityConfig::Split(c) => {
            let inputs = set_refs(&ctx.inputs);
            let by = match (&c.filter, c.percent, c.count) {
                (Some(filter), None, None) => {
                    filter.check().map_err(|e| config_err(id, e))?;
                    SplitBy::Filter(filter)
                }
                (None, Some(percent), None) => SplitBy::Percent(percent.min(100)),
                (None, None, Some(count)) => {
                    SplitBy::First(i64::try_from(count).unwrap_or(i64::MAX))
                }
                _ => {
                    return Err(config_err(
                        id,
                        "a Split needs exactly one of filter, percent and count",
                    ))
                }
            };
            let ((matched, rest), _) = store
                .write(|tx| tx.split_into_sets(task, &inputs, &by))
                .map_err(|e| store_failure(id, e))?;
            ctx.log("info", format!("{matched} matched, {rest} in the rest"));
            Ok(Outcome {
                extra_ports: vec![("rest".into(), Some(rest))],
                ..counted("match", matched, json!({"match": matched, "rest": rest}))
            })
        }
        ActivityConfig::Deduplicate(c) => {
            let inputs = set_refs(&ctx.inputs);
            let (count, _) = store
                .write(|tx| tx.dedupe_into_set(task, "ok", &inputs, &c.field))
                .map_err(|e| store_failure(id, e))?;
            Ok(counted("ok", count, json!({"count": count})))
        }
        ActivityConfig::UpdateData(c) => {
            let inputs = set_refs(&ctx.inputs);
            let now = ctx.now;
            let data = ctx.data.clone();
            let (count, _) = store
                .write(|tx| {
                    let change = BulkChange {
                        status: c.set_status.as_deref(),
                        add_tags: &c.add_tags,
                        remove_tags: &c.remove_tags,
                    };
                    tx.update_contacts_in(&inputs, &change, now)?;
                    if !c.set_custom.is_empty() {
                        let ids = tx.set_members(&inputs)?;
                        // In pieces: a million contacts are never all in memory.
                        for chunk in ids.chunks(CONTACTS_AT_ONCE) {
                            for contact in tx.contacts_by_ids(chunk)? {
                                let mut local = (*data).clone();
                                local["contact"] =
                                    serde_json::to_value(&contact).unwrap_or(Value::Null);
                                let mut custom = contact.custom.clone();
                                for (key, template) in &c.set_custom {
                                    let value = expr::render(
                                        Site {
                                            activity: id,
                                            field: "set_custom",
                                        },
                                        template,
                                        &local,
                                    )
                                    .map_err(|e| StoreError::Corrupt {
                                        what: "template",
                                        message: e.to_string(),
                                    })?;
                                    custom.insert(key.clone(), Value::String(value));
                                }
                                tx.set_contact_custom(contact.id, &custom, now)?;
                            }
                        }
                    }
                    tx.combine_into_set(task, "ok", SetOp::Union, &inputs)
                })
                .map_err(|e| match e {
                    StoreError::Corrupt {
                        what: "template",
                        message,
                    } => ActivityError::Config(message),
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
            let inputs = set_refs(&ctx.inputs);
            let now = ctx.now;
            let (matched, _) = store
                .write(|tx| {
                    let ids = tx.set_members(&inputs)?;
                    let mut matched = 0i64;
                    // In pieces: a million contacts are never all in memory.
                    for chunk in ids.chunks(CONTACTS_AT_ONCE) {
                        for contact in tx.contacts_by_ids(chunk)? {
                            let value = match key.as_str() {
                                "email" => contact.email.clone(),
                                "name" => contact.name.clone(),
                                "phone" => contact.phone.clone(),
                                "status" => contact.status.clone(),
                                other => contact
                                    .custom
                                    .get(&other[7..])
                                    .map(|v| {
                                        v.as_str()
                                            .map(str::to_string)
                                            .unwrap_or_else(|| v.to_string())
                                    })
                                    .unwrap_or_default(),
                            };
                            let Some(values) = lookup.get(&value.trim().to_lowercase()) else {
                                continue;
                            };
                            let mut custom = contact.custom.clone();
                            for (field, v) in values {
                                custom.insert(field.clone(), Value::String(v.clone()));
                            }
                            tx.set_contact_custom(contact.id, &custom, now)?;
                            matched += 1;
                        }
                    }
                    tx.combine_into_set(task, "ok", SetOp::Union, &inputs)?;
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
                let r = contacts::import_csv(tx, &bytes, delimiter, &c.mapping, &c.status, ctx.now)
                    .map_err(|e| crate::store::Error::Corrupt {
                        what: "csv",
                        message: e.to_string(),
                    })?;
                if c.strict && r.rejected_count > 0 {
                    return Err(crate::store::Error::Corrupt {
                        what: "csv",
                        message: format!(
                            "{} row(s) rejected, first: line {} {}",
                            r.rejected_count, r.rejected[0].line, r.rejected[0].reason
                        ),
                    });
                }
                tx.add_to_set(task, "ok", &r.ids)?;
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
            let inputs = set_refs(&ctx.inputs);
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
                    let ids = tx.set_members(&inputs)?;
                    let options = contacts::ExportOptions {
                        raw_formulas: c.raw_formulas,
                    };
                    contacts::export_csv(
                        tx.as_read(),
                        &Filter::all(),
                        Some(&ids),
                        &mut file,
                        options,
                    )?;
                    tx.combine_into_set(task, "ok", SetOp::Union, &inputs)
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
                    tx.add_to_set(task, "ok", &ids)?;
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

//! Record sets of data activities: the contacts a task passes on a port, as rows of
//! `record_sets` owned by the task (so they go with its purge). Each operation works in the
//! caller's transaction.

use super::contacts::{load_inputs, shifted};
use super::{HasConn, Tx};
use crate::contacts::Filter;
use crate::store::api::{RecordSetWrites, SetOp, SetRef, SplitBy};
use crate::store::Result;
use rusqlite::{params, Connection};

/// Replaces the set (task, port) with the ids `select` yields; returns how many.
fn save_set(
    conn: &Connection,
    task_id: i64,
    port: &str,
    select: &str,
    args: &[rusqlite::types::Value],
) -> Result<i64> {
    conn.execute(
        "DELETE FROM record_sets WHERE task_id = ?1 AND port = ?2",
        params![task_id, port],
    )?;
    let mut all: Vec<rusqlite::types::Value> = vec![task_id.into(), port.to_string().into()];
    all.extend_from_slice(args);
    let sql = format!("INSERT OR IGNORE INTO record_sets (task_id, port, contact_id) SELECT ?1, ?2, id FROM ({select})");
    Ok(conn.execute(&sql, rusqlite::params_from_iter(all))? as i64)
}

/// The expression of a deduplication field over `contacts c`, or `None` for an unknown one.
fn dedupe_column(field: &str) -> Option<String> {
    match field {
        "name" | "phone" | "status" | "email" => Some(format!("c.{field}")),
        f if f.starts_with("custom.") && f.len() > 7 => Some(format!(
            "json_extract(c.custom, '$.\"{}\"')",
            f[7..].replace(['\'', '"'], "")
        )),
        _ => None,
    }
}

impl RecordSetWrites for Tx<'_> {
    fn query_into_set(&mut self, task_id: i64, port: &str, filter: &Filter) -> Result<i64> {
        let (clause, args) = shifted(filter, 2)?;
        save_set(
            self.conn(),
            task_id,
            port,
            &format!("SELECT id FROM contacts WHERE {clause}"),
            &args,
        )
    }

    fn combine_into_set(
        &mut self,
        task_id: i64,
        port: &str,
        op: SetOp,
        inputs: &[SetRef],
    ) -> Result<i64> {
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        let sets: Vec<String> = inputs
            .iter()
            .map(|i| {
                args.push(i.task_id.into());
                args.push(i.port.clone().into());
                // ?1 and ?2 are the set being made.
                format!(
                    "SELECT contact_id AS id FROM record_sets WHERE task_id = ?{} AND port = ?{}",
                    args.len() + 1,
                    args.len() + 2
                )
            })
            .collect();
        if sets.is_empty() {
            return save_set(
                self.conn(),
                task_id,
                port,
                "SELECT id FROM contacts WHERE 0",
                &[],
            );
        }
        let select = match op {
            SetOp::Union => sets.join(" UNION "),
            SetOp::Intersection => sets.join(" INTERSECT "),
            SetOp::Exclusion => {
                let (first, rest) = sets
                    .split_first()
                    .map(|(f, r)| (f.clone(), r.to_vec()))
                    .unwrap_or_default();
                if rest.is_empty() {
                    first
                } else {
                    format!("{first} EXCEPT SELECT id FROM ({})", rest.join(" UNION "))
                }
            }
        };
        save_set(self.conn(), task_id, port, &select, &args)
    }

    fn split_into_sets(
        &mut self,
        task_id: i64,
        inputs: &[SetRef],
        by: &SplitBy<'_>,
    ) -> Result<(i64, i64)> {
        let conn = self.conn();
        load_inputs(conn, inputs)?;
        let total: i64 = conn.query_row("SELECT COUNT(*) FROM input_ids", [], |r| r.get(0))?;
        let matched = match by {
            SplitBy::Filter(filter) => {
                let (clause, args) = shifted(filter, 2)?;
                save_set(
                    conn,
                    task_id,
                    "match",
                    &format!("SELECT c.id FROM contacts c JOIN input_ids i ON i.contact_id = c.id WHERE {clause}"),
                    &args,
                )?
            }
            SplitBy::First(n) => first_n(conn, task_id, (*n).min(total))?,
            SplitBy::Percent(p) => first_n(conn, task_id, total * i64::from((*p).min(100)) / 100)?,
        };
        let rest = save_set(
            conn,
            task_id,
            "rest",
            "SELECT contact_id AS id FROM input_ids WHERE contact_id NOT IN (SELECT contact_id FROM record_sets WHERE task_id = ?1 AND port = 'match')",
            &[],
        )?;
        Ok((matched, rest))
    }

    fn dedupe_into_set(
        &mut self,
        task_id: i64,
        port: &str,
        inputs: &[SetRef],
        field: &str,
    ) -> Result<i64> {
        let column = dedupe_column(field).ok_or_else(|| crate::store::Error::Corrupt {
            what: "filter",
            message: format!(
                "cannot deduplicate on {field:?}; use name, phone, status or custom.NAME"
            ),
        })?;
        load_inputs(self.conn(), inputs)?;
        save_set(
            self.conn(),
            task_id,
            port,
            &format!("SELECT MIN(c.id) AS id FROM contacts c JOIN input_ids i ON i.contact_id = c.id GROUP BY lower(COALESCE({column}, ''))"),
            &[],
        )
    }

    fn add_to_set(&mut self, task_id: i64, port: &str, ids: &[i64]) -> Result<()> {
        let mut stmt = self.conn().prepare_cached(
            "INSERT OR IGNORE INTO record_sets (task_id, port, contact_id) VALUES (?1, ?2, ?3)",
        )?;
        for id in ids {
            stmt.execute(params![task_id, port, id])?;
        }
        Ok(())
    }
}

/// The first `n` of the loaded inputs, by id, become the `match` set.
fn first_n(conn: &Connection, task_id: i64, n: i64) -> Result<i64> {
    save_set(
        conn,
        task_id,
        "match",
        &format!("SELECT contact_id AS id FROM input_ids ORDER BY contact_id LIMIT {n}"),
        &[],
    )
}

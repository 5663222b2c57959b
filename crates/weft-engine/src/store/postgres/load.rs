//! Loading a copied store into PostgreSQL for `weft migrate` ([`crate::store::migrate`]): one
//! transaction on the writer connection, rows inserted with the types of the target's columns,
//! read back for the checksum inside the same transaction, serial ids continued after the
//! copied ones. Rolled back unless the caller's work succeeds.

use super::{Conn, Link, PgStore, V};
use crate::store::migrate::{Cell, Checksum};
use crate::store::{Error, Result};
use std::sync::Arc;

/// The most parameters one INSERT carries (PostgreSQL allows 65,535).
const MAX_PARAMS: usize = 30_000;

/// A transaction loading rows.
pub struct Loader<'s> {
    link: &'s Link,
    client: Arc<Conn>,
}

impl PgStore {
    /// Runs `work` in one transaction on the writer connection: committed when it succeeds,
    /// rolled back otherwise.
    pub fn load<T>(&self, work: impl FnOnce(&Loader<'_>) -> Result<T>) -> Result<T> {
        let (_guard, client) = self.writer.get(&self.link)?;
        self.link.batch(&client, "BEGIN")?;
        let loader = Loader {
            link: &self.link,
            client: client.clone(),
        };
        match work(&loader) {
            Ok(value) => {
                self.link.batch(&client, "COMMIT")?;
                Ok(value)
            }
            Err(e) => {
                // The error says what went wrong; a failed rollback only adds noise.
                let _ = self.link.batch(&client, "ROLLBACK");
                Err(e)
            }
        }
    }
}

fn bad(message: String) -> Error {
    Error::Corrupt {
        what: "migration",
        message,
    }
}

impl Loader<'_> {
    /// The first of `tables` that holds rows, with how many.
    pub fn first_non_empty<'t>(&self, tables: &[&'t str]) -> Result<Option<(&'t str, i64)>> {
        for table in tables {
            let rows = self.link.query(
                &self.client,
                &format!("SELECT COUNT(*) FROM \"{table}\""),
                &[],
            )?;
            let n: i64 = rows.first().map(|r| r.try_get(0)).transpose()?.unwrap_or(0);
            if n > 0 {
                return Ok(Some((table, n)));
            }
        }
        Ok(None)
    }

    /// A table's columns with their types (`bigint`, `text`, `boolean`, `bytea`…), in order.
    pub fn table_columns(&self, table: &str) -> Result<Vec<(String, String)>> {
        let rows = self.link.query(
            &self.client,
            "SELECT column_name::text, data_type::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            &[V::T(Some(table.to_string()))],
        )?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    /// Inserts rows (cells in the order of `columns`).
    pub fn insert(
        &self,
        table: &str,
        columns: &[(String, String)],
        rows: Vec<Vec<Cell>>,
    ) -> Result<()> {
        if columns.is_empty() || rows.is_empty() {
            return Ok(());
        }
        let names: Vec<String> = columns.iter().map(|(c, _)| format!("\"{c}\"")).collect();
        let per_insert = (MAX_PARAMS / columns.len()).max(1);
        for chunk in rows.chunks(per_insert) {
            let mut params = Vec::with_capacity(chunk.len() * columns.len());
            let mut tuples = Vec::with_capacity(chunk.len());
            for row in chunk {
                let mut marks = Vec::with_capacity(columns.len());
                for ((column, kind), cell) in columns.iter().zip(row) {
                    params.push(value(table, column, kind, cell)?);
                    marks.push(format!("${}", params.len()));
                }
                tuples.push(format!("({})", marks.join(", ")));
            }
            let sql = format!(
                "INSERT INTO \"{table}\" ({}) VALUES {}",
                names.join(", "),
                tuples.join(", ")
            );
            self.link.query(&self.client, &sql, &params)?;
        }
        Ok(())
    }

    /// The count and checksum of a table's rows as stored here (these columns, canonical form).
    pub fn checksum(&self, table: &str, columns: &[(String, String)]) -> Result<Checksum> {
        let mut sum = Checksum::default();
        if columns.is_empty() {
            return Ok(sum);
        }
        let names: Vec<String> = columns.iter().map(|(c, _)| format!("\"{c}\"")).collect();
        let rows = self.link.query(
            &self.client,
            &format!("SELECT {} FROM \"{table}\"", names.join(", ")),
            &[],
        )?;
        for row in &rows {
            let mut cells = Vec::with_capacity(columns.len());
            for (i, (column, kind)) in columns.iter().enumerate() {
                let cell = match kind.as_str() {
                    "bigint" => row.try_get::<_, Option<i64>>(i)?.map(Cell::Int),
                    "integer" => row
                        .try_get::<_, Option<i32>>(i)?
                        .map(|n| Cell::Int(i64::from(n))),
                    "boolean" => row
                        .try_get::<_, Option<bool>>(i)?
                        .map(|b| Cell::Int(i64::from(b))),
                    "text" => row.try_get::<_, Option<String>>(i)?.map(Cell::Text),
                    "bytea" => row.try_get::<_, Option<Vec<u8>>>(i)?.map(Cell::Blob),
                    "double precision" => row.try_get::<_, Option<f64>>(i)?.map(Cell::Real),
                    other => {
                        return Err(bad(format!(
                            "{table}.{column}: a {other} column is not one weft migrate copies"
                        )))
                    }
                };
                cells.push(cell.unwrap_or(Cell::Null));
            }
            sum.add(&cells);
        }
        Ok(sum)
    }

    /// Turns the tables' own triggers off (or on again): copied rows are copied as they are —
    /// an inserted contact must not add a contact event the copy brings anyway. Inside the
    /// transaction: nobody else ever sees them off.
    pub fn set_triggers(&self, tables: &[&str], on: bool) -> Result<()> {
        for table in tables {
            let verb = if on { "ENABLE" } else { "DISABLE" };
            self.link.batch(
                &self.client,
                &format!("ALTER TABLE \"{table}\" {verb} TRIGGER USER"),
            )?;
        }
        Ok(())
    }

    /// Continues each table's serial `id` after the largest copied one, so that new rows do
    /// not collide with copied ones.
    pub fn continue_serials(&self, tables: &[&str]) -> Result<()> {
        for table in tables {
            if !self.table_columns(table)?.iter().any(|(c, _)| c == "id") {
                continue;
            }
            let sequence = self.link.query(
                &self.client,
                "SELECT pg_get_serial_sequence($1, 'id')",
                &[V::T(Some(format!("\"{table}\"")))],
            )?;
            let Some(sequence) = sequence
                .first()
                .map(|r| r.try_get::<_, Option<String>>(0))
                .transpose()?
                .flatten()
            else {
                continue;
            };
            self.link.query(
                &self.client,
                &format!("SELECT setval($1::regclass, COALESCE((SELECT MAX(id) FROM \"{table}\"), 0) + 1, false)"),
                &[V::T(Some(sequence))],
            )?;
        }
        Ok(())
    }
}

/// A copied cell as a parameter for a column of type `kind`.
fn value(table: &str, column: &str, kind: &str, cell: &Cell) -> Result<V> {
    Ok(match (kind, cell) {
        ("bigint" | "integer", Cell::Null) => V::I(None),
        ("bigint" | "integer", Cell::Int(n)) => V::I(Some(*n)),
        ("boolean", Cell::Null) => V::B(None),
        ("boolean", Cell::Int(n)) => V::B(Some(*n != 0)),
        ("text", Cell::Null) => V::T(None),
        ("text", Cell::Text(t)) => V::T(Some(t.clone())),
        ("bytea", Cell::Null) => V::Y(None),
        ("bytea", Cell::Blob(b)) => V::Y(Some(b.clone())),
        ("double precision", Cell::Null) => V::F(None),
        ("double precision", Cell::Real(f)) => V::F(Some(*f)),
        ("double precision", Cell::Int(n)) => V::F(Some(*n as f64)),
        (kind, cell) => {
            return Err(bad(format!(
                "{table}.{column}: {cell:?} cannot go into a {kind} column; nothing was kept"
            )))
        }
    })
}

//! Moving up: a SQLite store copied into an empty PostgreSQL store (`weft migrate`), table by
//! table — workflows and revisions, the run history (runs, tasks, attempts, logs, transitions,
//! approvals, commands, record sets, debug state), schedules' firings and owner sessions,
//! contacts, what triggers remember, breakpoints, tokens and operators. The columns copied are
//! those both schemas have (a SQLite column the target lacks refuses the copy: nothing is left
//! behind silently). Each table is verified by its row count and an order-independent checksum
//! computed on both sides — the target's read back inside the copying transaction — and the
//! copy is one transaction on the target, committed only when every table matches. The event
//! log is not copied: it is a feed for listeners, and the new store numbers its own.

use super::{postgres, sqlite, Error, Result, StoreOptions};
use serde::Serialize;
use std::path::Path;

/// The tables copied, parents before children.
pub const TABLES: &[&str] = &[
    "workflows",
    "revisions",
    "runs",
    "tasks",
    "attempts",
    "task_logs",
    "run_edges",
    "run_edge_marks",
    "approvals",
    "commands",
    "firings",
    "owner_sessions",
    "contacts",
    "record_sets",
    "contact_events",
    "trigger_secrets",
    "trigger_cursors",
    "seen_files",
    "access_tokens",
    "operators",
    "breakpoints",
    "debug_runs",
];

/// One value of a copied row, whatever the database.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// NULL.
    Null,
    /// An integer (booleans are 0 and 1).
    Int(i64),
    /// A floating-point number.
    Real(f64),
    /// Text.
    Text(String),
    /// Bytes.
    Blob(Vec<u8>),
}

/// A row count and an order-independent checksum of the rows (the wrapping sum of a 64-bit
/// FNV-1a hash of each row's canonical form), so that both databases may return the rows in
/// their own order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Checksum {
    /// Rows.
    pub rows: u64,
    /// The sum of the rows' hashes.
    pub sum: u64,
}

impl Checksum {
    /// Adds a row.
    pub fn add(&mut self, row: &[Cell]) {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |bytes: &[u8]| {
            for b in bytes {
                h ^= u64::from(*b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        };
        for cell in row {
            match cell {
                Cell::Null => eat(b"\x00N"),
                Cell::Int(n) => {
                    eat(b"\x00I");
                    eat(&n.to_le_bytes());
                }
                Cell::Real(f) => {
                    eat(b"\x00R");
                    eat(&f.to_bits().to_le_bytes());
                }
                Cell::Text(t) => {
                    eat(b"\x00T");
                    eat(&(t.len() as u64).to_le_bytes());
                    eat(t.as_bytes());
                }
                Cell::Blob(b) => {
                    eat(b"\x00B");
                    eat(&(b.len() as u64).to_le_bytes());
                    eat(b);
                }
            }
        }
        self.rows += 1;
        self.sum = self.sum.wrapping_add(h);
    }
}

/// What was copied of one table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TableCopy {
    /// The table.
    pub table: &'static str,
    /// Read from the SQLite store.
    pub source: Checksum,
    /// Read back from the PostgreSQL store inside the copying transaction.
    pub target: Checksum,
}

impl TableCopy {
    /// Whether both sides hold the same rows.
    pub fn matches(&self) -> bool {
        self.source == self.target
    }
}

/// Rows read from SQLite at a time (the target's batches are smaller when a table is wide).
const BATCH: usize = 2_000;

/// Copies the SQLite store at `from` into the empty PostgreSQL store at `to` (its schema made
/// or brought up to date first). Refuses a target holding any row ([`Error::NotEmpty`]);
/// commits only when every table's count and checksum match on both sides.
pub fn sqlite_to_postgres(from: &Path, to: &str) -> Result<Vec<TableCopy>> {
    if !from.is_file() {
        return Err(Error::Open {
            path: from.display().to_string(),
            message: "no such store file".into(),
        });
    }
    let source = sqlite::SqliteStore::open(from, &StoreOptions::default())?;
    let target = postgres::PgStore::open(to)?;
    target.load(|load| {
        if let Some((table, rows)) = load.first_non_empty(TABLES)? {
            return Err(Error::NotEmpty {
                table: table.to_string(),
                rows,
            });
        }
        load.set_triggers(TABLES, false)?;
        let mut copies = Vec::with_capacity(TABLES.len());
        for &table in TABLES {
            let source_columns = source.table_columns(table)?;
            let target_columns = load.table_columns(table)?;
            if let Some(missing) = source_columns
                .iter()
                .find(|c| !target_columns.iter().any(|(t, _)| t == *c))
            {
                return Err(Error::Corrupt {
                    what: "migration",
                    message: format!("{table}.{missing} has no place in the PostgreSQL schema; nothing was copied"),
                });
            }
            let columns: Vec<(String, String)> = target_columns
                .into_iter()
                .filter(|(c, _)| source_columns.contains(c))
                .collect();
            let names: Vec<String> = columns.iter().map(|(c, _)| c.clone()).collect();
            let mut sum = Checksum::default();
            source.export_rows(table, &names, BATCH, &mut |rows| {
                for row in &rows {
                    sum.add(row);
                }
                load.insert(table, &columns, rows)
            })?;
            let back = load.checksum(table, &columns)?;
            copies.push(TableCopy {
                table,
                source: sum,
                target: back,
            });
        }
        if let Some(bad) = copies.iter().find(|c| !c.matches()) {
            return Err(Error::Corrupt {
                what: "migration",
                message: format!(
                    "{}: {} rows (checksum {:016x}) read, {} rows (checksum {:016x}) written; nothing was kept",
                    bad.table, bad.source.rows, bad.source.sum, bad.target.rows, bad.target.sum
                ),
            });
        }
        load.continue_serials(TABLES)?;
        load.set_triggers(TABLES, true)?;
        Ok(copies)
    })
}

#[cfg(test)]
mod tests {
    use super::{Cell, Checksum};

    #[test]
    fn a_checksum_ignores_row_order_and_sees_every_value() {
        let a = [Cell::Int(1), Cell::Text("x".into()), Cell::Null];
        let b = [Cell::Int(2), Cell::Text("y".into()), Cell::Real(0.5)];
        let (mut one, mut two) = (Checksum::default(), Checksum::default());
        one.add(&a);
        one.add(&b);
        two.add(&b);
        two.add(&a);
        assert_eq!(one, two);
        let mut three = Checksum::default();
        three.add(&a);
        three.add(&[Cell::Int(2), Cell::Text("y".into()), Cell::Real(0.25)]);
        assert_ne!(one, three);
        // NULL, empty text, empty bytes and zero are four different values.
        let sums: Vec<u64> = [
            Cell::Null,
            Cell::Text(String::new()),
            Cell::Int(0),
            Cell::Blob(Vec::new()),
        ]
        .into_iter()
        .map(|c| {
            let mut s = Checksum::default();
            s.add(&[c]);
            s.sum
        })
        .collect();
        let mut unique = sums.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), sums.len());
    }
}

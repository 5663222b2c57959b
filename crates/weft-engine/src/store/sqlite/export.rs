//! Reading a SQLite store's tables row by row for `weft migrate` ([`crate::store::migrate`]).

use super::SqliteStore;
use crate::store::migrate::Cell;
use crate::store::Result;
use rusqlite::types::ValueRef;

impl SqliteStore {
    /// A table's columns, in order (none when the table does not exist).
    pub fn table_columns(&self, table: &str) -> Result<Vec<String>> {
        let conn = self.reader();
        let mut stmt = conn.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?;
        let rows = stmt.query_map([table], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every row of `table` (these columns, which must exist), handed to `sink` `batch` rows at
    /// a time, in one read transaction (a consistent view even while an engine writes).
    pub fn export_rows(
        &self,
        table: &str,
        columns: &[String],
        batch: usize,
        sink: &mut dyn FnMut(Vec<Vec<Cell>>) -> Result<()>,
    ) -> Result<()> {
        let conn = self.reader();
        let quoted: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
        let sql = format!("SELECT {} FROM \"{table}\"", quoted.join(", "));
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let mut buffer = Vec::with_capacity(batch);
        while let Some(row) = rows.next()? {
            let mut cells = Vec::with_capacity(columns.len());
            for i in 0..columns.len() {
                cells.push(match row.get_ref(i)? {
                    ValueRef::Null => Cell::Null,
                    ValueRef::Integer(n) => Cell::Int(n),
                    ValueRef::Real(f) => Cell::Real(f),
                    ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(b) => Cell::Blob(b.to_vec()),
                });
            }
            buffer.push(cells);
            if buffer.len() == batch {
                sink(std::mem::take(&mut buffer))?;
            }
        }
        if !buffer.is_empty() {
            sink(buffer)?;
        }
        Ok(())
    }
}

//! The SQLite backend: one file, WAL journal, one writer connection and a few read
//! connections (reads never wait for a write transaction). [`Durability`] chooses what a commit
//! survives: `normal` (`synchronous = NORMAL`) the process being killed at any moment — only a
//! power cut or an OS crash can lose the last commits; `full` (`synchronous = FULL`) a power cut
//! too, at the price of an fsync per transaction. The only code of the engine that names
//! rusqlite.

mod commands;
mod contacts;
mod debug;
mod events;
mod export;
mod filter_sql;
mod firings;
mod migrations;
mod owner;
mod records;
mod runs;
mod tasks;
mod tokens;
mod triggers;
mod workflows;

#[doc(hidden)]
pub mod fixtures;
#[cfg(test)]
mod tests;

pub use migrations::{latest as latest_schema, MIGRATIONS};

use super::api::{Backend, StoreRead, StoreWrite};
use super::{
    DatabaseFailure, Durability, Error, Event, EventBody, Millis, Result, StoreOptions, StoreSize,
};
use crate::store::stored_json::{event_body, json_column, payload_text};
use rusqlite::{Connection, OpenFlags, Transaction};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The state enums are stored as their text.
macro_rules! stored_as_text {
    ($($name:ty),*) => {$(
        impl rusqlite::types::FromSql for $name {
            fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let text = value.as_str()?;
                Self::parse(text).ok_or_else(|| rusqlite::types::FromSqlError::Other(
                    format!("unknown {} {text:?}", stringify!($name)).into()))
            }
        }

        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }
    )*};
}

stored_as_text!(
    crate::store::WorkflowState,
    crate::store::RunStatus,
    crate::store::TaskStatus,
    crate::store::WaitReason,
    crate::store::Trigger,
    crate::store::EventKind
);

/// How many read connections a store keeps.
const READERS: usize = 4;

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        let kind = match &e {
            rusqlite::Error::SqliteFailure(f, message)
                if matches!(
                    f.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) =>
            {
                let _ = message;
                DatabaseFailure::Busy
            }
            rusqlite::Error::SqliteFailure(f, Some(message))
                if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    && message.contains("workflows.name") =>
            {
                DatabaseFailure::NameTaken
            }
            _ => DatabaseFailure::Other,
        };
        Error::Database {
            message: e.to_string(),
            kind,
        }
    }
}

/// Gives access to the SQLite connection a read view or a transaction runs on.
pub(crate) trait HasConn {
    /// The connection.
    fn conn(&self) -> &Connection;
}

/// A read view: one read connection.
pub(crate) struct Conn<'c>(&'c Connection);

impl HasConn for Conn<'_> {
    fn conn(&self) -> &Connection {
        self.0
    }
}

/// The SQLite store.
pub struct SqliteStore {
    conn: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: std::sync::atomic::AtomicUsize,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens (creating if needed) and migrates the store at `path`.
    pub fn open(path: &Path, options: &StoreOptions) -> Result<Self> {
        let StoreOptions {
            durability,
            busy_timeout,
        } = *options;
        let open_error = |e: &dyn std::fmt::Display| Error::Open {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        if let Some(parent) = path.parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(|e| open_error(&e))?;
            }
        }
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| open_error(&e))?;
        // First, so that processes opening the same store at once wait for each other.
        conn.busy_timeout(busy_timeout)?;
        // auto_vacuum must be chosen before the first table exists; INCREMENTAL lets Purge
        // give pages back without a full VACUUM.
        conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        let synchronous = match durability {
            Durability::Full => "FULL",
            Durability::Normal => "NORMAL",
        };
        conn.pragma_update(None, "synchronous", synchronous)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.set_prepared_statement_cache_capacity(256);
        migrations::migrate(&mut conn)?;
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            let reader = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| open_error(&e))?;
            reader.pragma_update(None, "query_only", "ON")?;
            reader.pragma_update(None, "foreign_keys", "ON")?;
            reader.busy_timeout(busy_timeout)?;
            reader.set_prepared_statement_cache_capacity(256);
            readers.push(Mutex::new(reader));
        }
        Ok(Self {
            conn: Mutex::new(conn),
            readers,
            next_reader: std::sync::atomic::AtomicUsize::new(0),
            path: path.to_path_buf(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A poisoned lock only means another thread panicked mid-call; SQLite rolled back its
        // transaction, so the connection is still sound.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn reader(&self) -> MutexGuard<'_, Connection> {
        // A free reader if there is one, else the next in turn.
        for reader in &self.readers {
            if let Ok(conn) = reader.try_lock() {
                return conn;
            }
        }
        let turn = self
            .next_reader
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            % self.readers.len();
        self.readers[turn].lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Backend for SqliteStore {
    fn read_with(&self, f: &mut dyn FnMut(&dyn StoreRead) -> Result<()>) -> Result<()> {
        let conn = self.reader();
        f(&Conn(&conn))
    }

    fn write_with(
        &self,
        f: &mut dyn FnMut(&mut dyn StoreWrite) -> Result<()>,
    ) -> Result<Vec<Event>> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut wrapped = Tx {
            tx,
            events: Vec::new(),
            floor: 0,
        };
        f(&mut wrapped)?;
        let Tx { tx, events, .. } = wrapped;
        tx.commit()?;
        Ok(events)
    }

    fn location(&self) -> String {
        self.path.display().to_string()
    }

    fn marker_source(&self) -> PathBuf {
        self.path.clone()
    }

    fn size(&self) -> Result<StoreSize> {
        let conn = self.reader();
        let page_size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
        let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
        let free: i64 = conn.query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
        let mut wal = self.path.clone().into_os_string();
        wal.push("-wal");
        let wal_bytes = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        Ok(StoreSize {
            bytes: (pages * page_size) as u64,
            free_bytes: (free * page_size) as u64,
            wal_bytes,
        })
    }

    fn reclaim_space(&self) -> Result<()> {
        let conn = self.lock();
        // Each step of incremental_vacuum frees one page: step it to the end.
        let mut stmt = conn.prepare("PRAGMA incremental_vacuum")?;
        let mut rows = stmt.raw_query();
        while rows.next()?.is_some() {}
        drop(rows);
        drop(stmt);
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }
}

/// A write transaction that also collects the events describing what it changed.
pub(crate) struct Tx<'c> {
    tx: Transaction<'c>,
    events: Vec<Event>,
    /// Events before this index belong to an enclosing unit and are never merged into.
    floor: usize,
}

impl HasConn for Tx<'_> {
    fn conn(&self) -> &Connection {
        &self.tx
    }
}

impl StoreWrite for Tx<'_> {
    fn unit(&mut self, f: &mut dyn FnMut(&mut dyn StoreWrite) -> Result<()>) -> Result<()> {
        let mark = self.events.len();
        let floor = std::mem::replace(&mut self.floor, mark);
        self.tx.execute_batch("SAVEPOINT weft_unit")?;
        let result = f(self);
        self.floor = floor;
        match result {
            Ok(()) => {
                self.tx.execute_batch("RELEASE weft_unit")?;
                Ok(())
            }
            Err(e) => {
                self.tx
                    .execute_batch("ROLLBACK TO weft_unit; RELEASE weft_unit")?;
                self.events.truncate(mark);
                Err(e)
            }
        }
    }

    fn as_read(&self) -> &dyn StoreRead {
        self
    }
}

impl super::api::EventWrites for Tx<'_> {
    fn emit(
        &mut self,
        at: Millis,
        workflow_id: Option<&str>,
        run_id: Option<i64>,
        task_id: Option<i64>,
        body: EventBody,
    ) -> Result<()> {
        if let (EventBody::TaskChanged(change), Some(_)) = (&body, task_id) {
            if self.events.len() > self.floor {
                if let Some(last) = self.events.last_mut() {
                    if let (EventBody::TaskChanged(earlier), true) =
                        (&mut last.body, last.task_id == task_id)
                    {
                        // The same task changing again in this transaction (ready → running →
                        // succeeded of an instant step): one event with its latest state, so
                        // the log stays compact; listeners learn of its creation once.
                        earlier.absorb(change.clone());
                        last.at = at;
                        let payload = payload_text(&last.body)?;
                        self.tx
                            .prepare_cached(
                                "UPDATE events SET at = ?2, payload = ?3 WHERE seq = ?1",
                            )?
                            .execute(rusqlite::params![last.seq, at, payload])?;
                        return Ok(());
                    }
                }
            }
        }
        let payload = payload_text(&body)?;
        self.tx.prepare_cached(
            "INSERT INTO events (at, kind, workflow_id, run_id, task_id, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(rusqlite::params![at, body.kind().as_str(), workflow_id, run_id, task_id, payload])?;
        let seq = self.tx.last_insert_rowid();
        self.events.push(Event {
            seq,
            at,
            workflow_id: workflow_id.map(str::to_string),
            run_id,
            task_id,
            body,
        });
        Ok(())
    }

    fn prune_events(&mut self) -> Result<usize> {
        events::prune_events(self.conn())
    }
}

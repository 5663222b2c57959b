//! The SQLite store: the single source of truth for workflows, revisions, runs, tasks, logs,
//! commands, firings and events.
//!
//! One file, WAL journal, `synchronous = NORMAL`: a commit survives the process being killed at
//! any moment (WAL is fsynced at checkpoints; only a power cut can lose the last commits), which
//! is the guarantee the engine promises and what keeps per-step overhead well under a
//! millisecond. Every state change is one transaction; events describing it are inserted in that
//! same transaction and published only after it commits.

pub mod commands;
pub mod events;
mod migrations;
pub mod records;
pub mod runs;
pub mod tasks;
pub mod workflows;

pub use migrations::{latest as latest_schema, MIGRATIONS};
pub use records::*;

use rusqlite::{Connection, OpenFlags, Transaction};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// WEFT-S001: SQLite reported an error.
    #[error("WEFT-S001 database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// WEFT-S002: the database was written by a newer Weft.
    #[error("WEFT-S002 the database schema version {found} is newer than this Weft supports ({supported}); update Weft")]
    NewerSchema {
        /// Version found in the file.
        found: u32,
        /// Newest version this build knows.
        supported: u32,
    },
    /// WEFT-S003: a row that was asked for does not exist.
    #[error("WEFT-S003 {what} {id} not found")]
    NotFound {
        /// Kind of row (workflow, run, task…).
        what: &'static str,
        /// Its id.
        id: String,
    },
    /// WEFT-S004: a stored JSON value could not be read back.
    #[error("WEFT-S004 stored {what} is not valid: {message}")]
    Corrupt {
        /// What was being read.
        what: &'static str,
        /// Parser message.
        message: String,
    },
    /// WEFT-S005: the database file could not be opened.
    #[error("WEFT-S005 cannot open {path}: {message}")]
    Open {
        /// The path.
        path: String,
        /// Why.
        message: String,
    },
}

impl Error {
    /// Whether the failure is passing: another connection held the database (SQLITE_BUSY or
    /// SQLITE_LOCKED). The same operation can simply be tried again later.
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            Self::Sqlite(rusqlite::Error::SqliteFailure(e, _))
                if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        )
    }

    /// The stable error code (`WEFT-S003`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "WEFT-S001",
            Self::NewerSchema { .. } => "WEFT-S002",
            Self::NotFound { .. } => "WEFT-S003",
            Self::Corrupt { .. } => "WEFT-S004",
            Self::Open { .. } => "WEFT-S005",
        }
    }
}

/// Result alias for store operations.
pub type Result<T> = std::result::Result<T, Error>;

/// A handle on one SQLite store. Cheap to share behind an `Arc`; calls are short transactions.
pub struct Store {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// Milliseconds since the Unix epoch: how every time is stored.
pub type Millis = i64;

impl Store {
    /// Opens (creating if needed) and migrates the store at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(parent) = path.parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(|e| Error::Open {
                    path: path.display().to_string(),
                    message: e.to_string(),
                })?;
            }
        }
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| Error::Open {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        // First, so that processes opening the same store at once wait for each other.
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // auto_vacuum must be chosen before the first table exists; INCREMENTAL lets Purge
        // give pages back without a full VACUUM.
        conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.set_prepared_statement_cache_capacity(64);
        migrations::migrate(&mut conn)?;
        Ok(Self {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
        })
    }

    /// The file this store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A poisoned lock only means another thread panicked mid-call; SQLite rolled back its
        // transaction, so the connection is still sound.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` in one IMMEDIATE transaction and commits it; the events it recorded are
    /// returned only once the commit succeeded.
    pub fn write<T>(&self, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<(T, Vec<Event>)> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut wrapped = Tx {
            tx,
            events: Vec::new(),
        };
        let value = f(&mut wrapped)?;
        let Tx { tx, events } = wrapped;
        tx.commit()?;
        Ok((value, events))
    }

    /// Runs read-only queries on the connection.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.lock();
        f(&conn)
    }

    /// Gives free pages back to the file system (after a purge).
    pub fn reclaim_space(&self) -> Result<()> {
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
pub struct Tx<'c> {
    tx: Transaction<'c>,
    events: Vec<Event>,
}

impl Tx<'_> {
    /// The underlying SQLite transaction.
    pub fn conn(&self) -> &Connection {
        &self.tx
    }

    /// Runs `f` as one unit inside this transaction: when it fails, what it wrote (and the
    /// events it recorded) is rolled back and the rest of the transaction goes on.
    pub fn savepoint<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        let mark = self.events.len();
        self.tx.execute_batch("SAVEPOINT weft_unit")?;
        match f(self) {
            Ok(value) => {
                self.tx.execute_batch("RELEASE weft_unit")?;
                Ok(value)
            }
            Err(e) => {
                self.tx
                    .execute_batch("ROLLBACK TO weft_unit; RELEASE weft_unit")?;
                self.events.truncate(mark);
                Err(e)
            }
        }
    }

    /// Records an event in the same transaction; it is published after commit.
    pub fn emit(
        &mut self,
        at: Millis,
        kind: EventKind,
        workflow_id: Option<&str>,
        run_id: Option<i64>,
        task_id: Option<i64>,
        payload: serde_json::Value,
    ) -> Result<()> {
        let payload_text = payload.to_string();
        self.tx.prepare_cached(
            "INSERT INTO events (at, kind, workflow_id, run_id, task_id, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(rusqlite::params![at, kind.as_str(), workflow_id, run_id, task_id, payload_text])?;
        let seq = self.tx.last_insert_rowid();
        self.events.push(Event {
            seq,
            at,
            kind,
            workflow_id: workflow_id.map(str::to_string),
            run_id,
            task_id,
            payload,
        });
        Ok(())
    }
}

pub(crate) fn json_column(what: &'static str, text: Option<String>) -> Result<serde_json::Value> {
    match text {
        None => Ok(serde_json::Value::Null),
        Some(t) => serde_json::from_str(&t).map_err(|e| Error::Corrupt {
            what,
            message: e.to_string(),
        }),
    }
}

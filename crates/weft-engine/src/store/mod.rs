//! The SQLite store: the single source of truth for workflows, revisions, runs, tasks, logs,
//! commands, firings and events.
//!
//! One file, WAL journal. [`Durability`] chooses what a commit survives: with `normal` (the
//! default, `synchronous = NORMAL`) the process being killed at any moment — only a power cut
//! or an OS crash can lose the last commits; with `full` (`synchronous = FULL`) a power cut too,
//! at the price of an fsync per transaction. Every state change is one transaction; events describing it are inserted in that
//! same transaction and published only after it commits.

pub mod commands;
pub mod events;
pub mod firings;
mod migrations;
pub mod records;
pub mod runs;
pub mod tasks;
pub mod tokens;
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

/// How hard each commit is pushed to the disk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Durability {
    /// Every commit is on the disk before it returns (SQLite `synchronous = FULL`): not even a
    /// power cut loses a committed step. Costs an fsync per transaction.
    Full,
    /// A commit survives the process being killed at any moment; a power cut or an OS crash may
    /// lose the last commits (the WAL is fsynced at checkpoints; `synchronous = NORMAL`). The
    /// default.
    #[default]
    Normal,
}

impl Durability {
    /// Reads `full` or `normal`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "full" => Some(Self::Full),
            "normal" => Some(Self::Normal),
            _ => None,
        }
    }
}

impl std::fmt::Display for Durability {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Full => "full",
            Self::Normal => "normal",
        })
    }
}

/// How a store is opened.
#[derive(Clone, Copy, Debug)]
pub struct StoreOptions {
    /// What a commit survives.
    pub durability: Durability,
    /// How long a statement waits for another process holding the database before it fails
    /// with a passing "busy" error (see [`Error::is_busy`]).
    pub busy_timeout: std::time::Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            durability: Durability::default(),
            busy_timeout: std::time::Duration::from_secs(10),
        }
    }
}

/// The room a store takes on disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct StoreSize {
    /// The database file (pages in use and free).
    #[ts(type = "number")]
    pub bytes: u64,
    /// Of which free pages (given back by Purge).
    #[ts(type = "number")]
    pub free_bytes: u64,
    /// The write-ahead log beside it.
    #[ts(type = "number")]
    pub wal_bytes: u64,
}

/// How many read connections a store keeps (readers never wait for the writer, WAL).
const READERS: usize = 4;

/// A handle on one SQLite store. Cheap to share behind an `Arc`; calls are short transactions.
/// One writer connection, and a few read connections so that reads (the UI, the HTTP bridge, a
/// follower) never wait for a write transaction: WAL lets them read the last commit meanwhile.
pub struct Store {
    conn: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: std::sync::atomic::AtomicUsize,
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
    /// Opens (creating if needed) and migrates the store at `path`, with the default
    /// [`StoreOptions`].
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, &StoreOptions::default())
    }

    /// Opens (creating if needed) and migrates the store at `path`.
    pub fn open_with(path: &Path, options: &StoreOptions) -> Result<Self> {
        let StoreOptions {
            durability,
            busy_timeout,
        } = *options;
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
            .map_err(|e| Error::Open {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
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
            floor: 0,
        };
        let value = f(&mut wrapped)?;
        let Tx { tx, events, .. } = wrapped;
        tx.commit()?;
        Ok((value, events))
    }

    /// Runs read-only queries on a read connection: they see the last commit and never wait
    /// for the writer.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        // Take a free reader if there is one, else wait for the next in turn.
        for reader in &self.readers {
            if let Ok(conn) = reader.try_lock() {
                return f(&conn);
            }
        }
        let turn = self
            .next_reader
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            % self.readers.len();
        let conn = self.readers[turn].lock().unwrap_or_else(|p| p.into_inner());
        f(&conn)
    }

    /// How much room the store takes: its pages in use and free, and the write-ahead log.
    pub fn size(&self) -> Result<StoreSize> {
        self.read(|c| {
            let page_size: i64 = c.query_row("PRAGMA page_size", [], |r| r.get(0))?;
            let pages: i64 = c.query_row("PRAGMA page_count", [], |r| r.get(0))?;
            let free: i64 = c.query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
            let mut wal = self.path.clone().into_os_string();
            wal.push("-wal");
            let wal_bytes = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
            Ok(StoreSize {
                bytes: (pages * page_size) as u64,
                free_bytes: (free * page_size) as u64,
                wal_bytes,
            })
        })
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
    /// Events before this index belong to an enclosing unit and are never merged into.
    floor: usize,
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
        let floor = std::mem::replace(&mut self.floor, mark);
        self.tx.execute_batch("SAVEPOINT weft_unit")?;
        let result = f(self);
        self.floor = floor;
        match result {
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
}

/// The `payload` of an event body, as stored beside its kind.
fn payload_text(body: &EventBody) -> Result<String> {
    let value = serde_json::to_value(body).map_err(|e| Error::Corrupt {
        what: "event",
        message: e.to_string(),
    })?;
    Ok(value
        .get("payload")
        .map(|p| p.to_string())
        .unwrap_or_else(|| "{}".into()))
}

/// An event body from its stored kind and payload.
pub(crate) fn event_body(kind: &str, payload: &str) -> Result<EventBody> {
    let payload: serde_json::Value = serde_json::from_str(payload).map_err(|e| Error::Corrupt {
        what: "event",
        message: e.to_string(),
    })?;
    serde_json::from_value(serde_json::json!({"kind": kind, "payload": payload})).map_err(|e| {
        Error::Corrupt {
            what: "event",
            message: format!("{kind}: {e}"),
        }
    })
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

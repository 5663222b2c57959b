//! The store: the single source of truth for workflows, revisions, runs, tasks, logs, commands,
//! firings, events and contacts. Every state change is one transaction; the events describing
//! it are recorded in that same transaction and published only after it commits.
//!
//! This module is the store as the rest of the engine sees it: the interface ([`api`]: traits
//! per concern), the records it holds ([`records`], [`runs`], [`tasks`]…), and [`Store`], a handle
//! over a backend. The one backend today is SQLite ([`sqlite`], the only code that names its
//! database library); PostgreSQL ([`postgres`], shared by several servers) passes the same
//! [`conformance`] suite.

pub mod api;
pub mod conformance;
pub mod events;
pub mod firings;
pub mod migrate;
pub mod postgres;
pub mod records;
pub mod runs;
pub mod sqlite;
mod stored_json;
pub mod tasks;
pub mod timeline;
pub mod tokens;
pub mod workflows;

pub use api::{StoreRead, StoreWrite};
pub use records::*;
pub use sqlite::{latest_schema, MIGRATIONS};

use std::path::Path;

/// What kind of database failure it was, as far as the engine cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatabaseFailure {
    /// Another connection held the database: try again later.
    Busy,
    /// Another workflow bears the name being written.
    NameTaken,
    /// Anything else.
    Other,
}

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// WEFT-S001: the database reported an error.
    #[error("WEFT-S001 database error: {message}")]
    Database {
        /// What the database said.
        message: String,
        /// What kind of failure it was, as far as callers care.
        kind: DatabaseFailure,
    },
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
    /// WEFT-S006: `weft migrate` refuses a target store that holds anything.
    #[error("WEFT-S006 the target store is not empty: {table} holds {rows} row(s); migrate into a new, empty database")]
    NotEmpty {
        /// The first table found holding rows.
        table: String,
        /// How many.
        rows: i64,
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
    /// Whether the failure is passing: another connection held the database. The same
    /// operation can simply be tried again later.
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            Self::Database {
                kind: DatabaseFailure::Busy,
                ..
            }
        )
    }

    /// Whether the failure is another workflow bearing the name being written.
    pub fn is_name_conflict(&self) -> bool {
        matches!(
            self,
            Self::Database {
                kind: DatabaseFailure::NameTaken,
                ..
            }
        )
    }

    /// The stable error code (`WEFT-S003`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Database { .. } => "WEFT-S001",
            Self::NewerSchema { .. } => "WEFT-S002",
            Self::NotFound { .. } => "WEFT-S003",
            Self::Corrupt { .. } => "WEFT-S004",
            Self::Open { .. } => "WEFT-S005",
            Self::NotEmpty { .. } => "WEFT-S006",
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

/// Milliseconds since the Unix epoch: how every time is stored.
pub type Millis = i64;

/// A handle on one store. Cheap to share behind an `Arc`; calls are short transactions.
pub struct Store {
    backend: Box<dyn api::Backend>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("at", &self.backend.location())
            .finish()
    }
}

impl Store {
    /// Opens (creating if needed) and migrates the SQLite store at `path`, with the default
    /// [`StoreOptions`].
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, &StoreOptions::default())
    }

    /// Opens (creating if needed) and migrates the SQLite store at `path`.
    pub fn open_with(path: &Path, options: &StoreOptions) -> Result<Self> {
        Ok(Self::over(Box::new(sqlite::SqliteStore::open(
            path, options,
        )?)))
    }

    /// Connects to the PostgreSQL store at `url` (`postgres://…`), creating or migrating its
    /// schema.
    pub fn open_postgres(url: &str) -> Result<Self> {
        Ok(Self::over(Box::new(postgres::PgStore::open(url)?)))
    }

    /// Opens the store a location names: a PostgreSQL URL ([`is_postgres_url`]) or a SQLite
    /// file path.
    pub fn open_location(location: &str, options: &StoreOptions) -> Result<Self> {
        if is_postgres_url(location) {
            Self::open_postgres(location)
        } else {
            Self::open_with(Path::new(location), options)
        }
    }

    /// Whether several engines execute this store at once (see [`api::Backend::shares_work`]).
    pub fn shares_work(&self) -> bool {
        self.backend.shares_work()
    }

    /// A store over any backend.
    pub fn over(backend: Box<dyn api::Backend>) -> Self {
        Self { backend }
    }

    /// Where the store lives.
    pub fn location(&self) -> String {
        self.backend.location()
    }

    /// The path the store's processes are marked with (see
    /// [`crate::activities::process_tree`]).
    pub fn path(&self) -> std::path::PathBuf {
        self.backend.marker_source()
    }

    /// Runs read-only queries on a view of the last commit; never waits for a writer.
    pub fn read<T>(&self, f: impl FnOnce(&dyn StoreRead) -> Result<T>) -> Result<T> {
        let mut f = Some(f);
        let mut out = None;
        self.backend.read_with(&mut |r| {
            if let Some(f) = f.take() {
                out = Some(f(r)?);
            }
            Ok(())
        })?;
        out.ok_or_else(|| Error::Corrupt {
            what: "read",
            message: "the backend did not run the read".into(),
        })
    }

    /// Runs `f` in one write transaction and commits it; the events it recorded are returned
    /// only once the commit succeeded.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut dyn StoreWrite) -> Result<T>,
    ) -> Result<(T, Vec<Event>)> {
        let mut f = Some(f);
        let mut out = None;
        let events = self.backend.write_with(&mut |tx| {
            if let Some(f) = f.take() {
                out = Some(f(tx)?);
            }
            Ok(())
        })?;
        let value = out.ok_or_else(|| Error::Corrupt {
            what: "write",
            message: "the backend did not run the transaction".into(),
        })?;
        Ok((value, events))
    }

    /// How much room the store takes.
    pub fn size(&self) -> Result<StoreSize> {
        self.backend.size()
    }

    /// Gives free space back (after a purge).
    pub fn reclaim_space(&self) -> Result<()> {
        self.backend.reclaim_space()
    }

    /// Analyses the tables that have grown without planner statistics yet (see
    /// [`api::Backend::refresh_statistics`]); returns their names.
    pub fn refresh_statistics(&self) -> Result<Vec<String>> {
        self.backend.refresh_statistics()
    }
}

/// Whether a store location is a PostgreSQL URL rather than a SQLite file path.
pub fn is_postgres_url(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// Runs `f` as one unit of a transaction (see [`StoreWrite::unit`]), returning its value.
pub fn unit<T>(
    tx: &mut dyn StoreWrite,
    f: impl FnOnce(&mut dyn StoreWrite) -> Result<T>,
) -> Result<T> {
    let mut f = Some(f);
    let mut out = None;
    tx.unit(&mut |tx| {
        if let Some(f) = f.take() {
            out = Some(f(tx)?);
        }
        Ok(())
    })?;
    out.ok_or_else(|| Error::Corrupt {
        what: "unit",
        message: "the backend did not run the unit".into(),
    })
}

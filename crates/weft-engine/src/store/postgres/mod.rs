//! The PostgreSQL backend: a store several `weft serve` processes share. The only code of the
//! engine that names tokio-postgres.
//!
//! **Bridging.** The store interface is synchronous and is called from inside tokio tasks (the
//! executor, the operations API), where a blocking client cannot run its own runtime. So the
//! connections live on a small runtime of their own (one thread, started by [`PgStore::open`]),
//! and each statement is sent to it and waited for on a channel: the caller's thread blocks for
//! one round trip, exactly as it blocks on a SQLite statement, and works the same from a
//! current-thread runtime, a multi-thread one or none (see decision 0005 for the measurements).
//!
//! **Transactions.** A write transaction is `BEGIN … COMMIT` (READ COMMITTED) on the writer
//! connection; units are savepoints. Every statement is sent with its parameter types, so
//! PostgreSQL never guesses a type. Round trips are what a step costs most (each is a hop to
//! the connection thread and back, and a wake-up of PostgreSQL), so `BEGIN`, the savepoints and
//! the writes whose rows nobody reads (a task's status, an attempt, an edge mark) are deferred:
//! sent with the next statement in one pipeline, and at the latest as their unit ends, so that a
//! refused write still fails its own unit. A unit or transaction that ran nothing sends nothing.
//!
//! **One transaction per run at a time.** Several servers progress runs at once. The first time
//! a write transaction touches a run (a read or a write of the run or of one of its tasks) it
//! locks the run's row (`SELECT … FOR UPDATE`), so two transactions never interleave on one run:
//! a join sees the other branch's commit, a wait is ended once. Ready tasks are claimed with
//! `FOR UPDATE … SKIP LOCKED` (the task and its run), so servers never wait for each other to
//! find work. Deadlocks and lock time-outs are passing failures ([`Error::is_busy`]).
//!
//! **Events in commit order.** Events are kept in memory while the transaction runs and written
//! just before `COMMIT` with sequence numbers taken from a counter row: the row stays locked
//! until the commit, so numbers are handed out in commit order and a follower reading "after N"
//! never skips a transaction that committed late.
//!
//! **Leases.** An attempt started here is leased to this process (`lease_owner`, `lease_until`);
//! the executor renews its leases with its heartbeat, and a task whose lease lapsed is taken
//! over by whichever server sees it first (see [`crate::store::api::TaskWrites::take_over_lapsed`]).

mod contacts;
mod debug;
#[doc(hidden)]
pub mod fixtures;
mod load;
mod misc;
mod runs;
mod schema;
mod tasks;
mod tokens;
mod workflows;

pub use schema::MIGRATIONS;

use super::api::{Backend, EventWrites, StoreRead, StoreWrite};
use super::{DatabaseFailure, Error, Event, EventBody, Millis, Result, StoreSize};
use crate::store::stored_json::{event_body, json_column, payload_text};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{Client, Row, Statement};

/// How many read connections a store keeps.
const READERS: usize = 3;
/// How long a statement waits for a row another transaction locked before it fails as busy.
const LOCK_TIMEOUT: &str = "10s";

/// A statement parameter, owned so that it can cross to the connection thread, and typed so
/// that the statement needs no preparing round trip.
#[derive(Clone, Debug)]
pub(crate) enum V {
    /// BIGINT.
    I(Option<i64>),
    /// TEXT.
    T(Option<String>),
    /// BOOLEAN.
    B(Option<bool>),
    /// DOUBLE PRECISION.
    F(Option<f64>),
    /// BIGINT[].
    IA(Vec<Option<i64>>),
    /// TEXT[].
    TA(Vec<Option<String>>),
    /// BYTEA.
    Y(Option<Vec<u8>>),
}

impl V {
    fn typed(&self) -> (&(dyn ToSql + Sync), Type) {
        match self {
            V::I(v) => (v, Type::INT8),
            V::T(v) => (v, Type::TEXT),
            V::B(v) => (v, Type::BOOL),
            V::F(v) => (v, Type::FLOAT8),
            V::IA(v) => (v, Type::INT8_ARRAY),
            V::TA(v) => (v, Type::TEXT_ARRAY),
            V::Y(v) => (v, Type::BYTEA),
        }
    }
}

macro_rules! v_from {
    ($($t:ty => $e:expr),* $(,)?) => {$(
        impl From<$t> for V {
            fn from(x: $t) -> Self {
                #[allow(clippy::redundant_closure_call)]
                ($e)(x)
            }
        }
    )*};
}

v_from!(
    i64 => |x| V::I(Some(x)),
    Option<i64> => V::I,
    u32 => |x: u32| V::I(Some(i64::from(x))),
    Option<u32> => |x: Option<u32>| V::I(x.map(i64::from)),
    i32 => |x: i32| V::I(Some(i64::from(x))),
    usize => |x: usize| V::I(Some(x as i64)),
    bool => |x| V::B(Some(x)),
    f64 => |x| V::F(Some(x)),
    &str => |x: &str| V::T(Some(x.to_string())),
    &String => |x: &String| V::T(Some(x.clone())),
    String => |x| V::T(Some(x)),
    Option<&str> => |x: Option<&str>| V::T(x.map(str::to_string)),
    Option<String> => V::T,
    Option<&String> => |x: Option<&String>| V::T(x.cloned()),
    &[u8] => |x: &[u8]| V::Y(Some(x.to_vec())),
);

/// The state enums are stored as their text.
pub(crate) trait Stored: Sized + Copy {
    /// Read back.
    fn from_text(text: &str) -> Option<Self>;
}

macro_rules! stored_as_text {
    ($($name:ty),*) => {$(
        impl Stored for $name {
            fn from_text(text: &str) -> Option<Self> { Self::parse(text) }
        }
        impl From<$name> for V {
            fn from(x: $name) -> Self { V::T(Some(x.as_str().to_string())) }
        }
        impl From<Option<$name>> for V {
            fn from(x: Option<$name>) -> Self { V::T(x.map(|x| x.as_str().to_string())) }
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

/// Parameters of a statement: `args![a, b]`.
macro_rules! args {
    ($($e:expr),* $(,)?) => { &[$($crate::store::postgres::V::from($e)),*][..] };
}
pub(crate) use args;

/// Implements a read trait for both the read view and the transaction (one body).
macro_rules! both {
    (impl $tr:ident { $($body:tt)* }) => {
        impl $tr for super::ReadView<'_> { $($body)* }
        impl $tr for super::Tx<'_> { $($body)* }
    };
}
pub(crate) use both;

/// Typed column reads that fail as a corrupt store, never panic.
pub(crate) trait Col {
    /// Column `i` as `T`.
    fn c<'a, T: tokio_postgres::types::FromSql<'a>>(&'a self, i: usize) -> Result<T>;
    /// Column `i` (BIGINT) as a u32.
    fn u(&self, i: usize) -> Result<u32>;
    /// Column `i` (TEXT) as a state enum.
    fn e<T: Stored>(&self, i: usize) -> Result<T>;
    /// Column `i` (TEXT or NULL) as a state enum.
    fn oe<T: Stored>(&self, i: usize) -> Result<Option<T>>;
}

impl Col for Row {
    fn c<'a, T: tokio_postgres::types::FromSql<'a>>(&'a self, i: usize) -> Result<T> {
        self.try_get(i).map_err(|e| Error::Corrupt {
            what: "column",
            message: format!("column {i}: {e}"),
        })
    }
    fn u(&self, i: usize) -> Result<u32> {
        let n: i64 = self.c(i)?;
        u32::try_from(n).map_err(|_| Error::Corrupt {
            what: "column",
            message: format!("column {i}: {n} is out of range"),
        })
    }
    fn e<T: Stored>(&self, i: usize) -> Result<T> {
        let text: &str = self.c(i)?;
        T::from_text(text).ok_or_else(|| Error::Corrupt {
            what: "state",
            message: format!("unknown state {text:?}"),
        })
    }
    fn oe<T: Stored>(&self, i: usize) -> Result<Option<T>> {
        let text: Option<&str> = self.c(i)?;
        text.map(|t| {
            T::from_text(t).ok_or_else(|| Error::Corrupt {
                what: "state",
                message: format!("unknown state {t:?}"),
            })
        })
        .transpose()
    }
}

impl From<tokio_postgres::Error> for Error {
    fn from(e: tokio_postgres::Error) -> Self {
        use tokio_postgres::error::SqlState;
        let Some(db) = e.as_db_error() else {
            return Error::Database {
                message: format!("PostgreSQL: {e}"),
                kind: DatabaseFailure::Other,
            };
        };
        let code = db.code();
        let kind = if *code == SqlState::T_R_DEADLOCK_DETECTED
            || *code == SqlState::T_R_SERIALIZATION_FAILURE
            || *code == SqlState::LOCK_NOT_AVAILABLE
        {
            DatabaseFailure::Busy
        } else if *code == SqlState::UNIQUE_VIOLATION
            && db.constraint() == Some("workflows_by_name")
        {
            DatabaseFailure::NameTaken
        } else {
            DatabaseFailure::Other
        };
        let mut message = format!("PostgreSQL {}: {}", code.code(), db.message());
        if let Some(detail) = db.detail() {
            message.push_str(&format!(" ({detail})"));
        }
        Error::Database { message, kind }
    }
}

fn gone() -> Error {
    Error::Database {
        message: "the PostgreSQL connection thread stopped".into(),
        kind: DatabaseFailure::Other,
    }
}

/// How many prepared statements a connection keeps (the engine has a few dozen; statements
/// built from a filter vary and, past this many, are sent unprepared).
const PREPARED_PER_CONNECTION: usize = 256;

/// A connection with the statements it prepared. A prepared statement is parsed and planned
/// once per connection instead of at every call; for the short statements a step makes, that
/// planning was most of the database's work.
pub(crate) struct Conn {
    client: Client,
    prepared: Mutex<HashMap<(String, Vec<u32>), Statement>>,
}

impl Conn {
    fn is_closed(&self) -> bool {
        self.client.is_closed()
    }

    /// Runs one statement, prepared on this connection the first time it is seen.
    async fn query(
        &self,
        sql: &str,
        params: &[V],
    ) -> std::result::Result<Vec<Row>, tokio_postgres::Error> {
        let typed: Vec<(&(dyn ToSql + Sync), Type)> = params.iter().map(V::typed).collect();
        let types: Vec<Type> = typed.iter().map(|(_, t)| t.clone()).collect();
        let Some(statement) = self.statement(sql, &types).await? else {
            return self.client.query_typed(sql, &typed).await;
        };
        let values: Vec<&(dyn ToSql + Sync)> = typed.iter().map(|(v, _)| *v).collect();
        match self.client.query(&statement, &values).await {
            // Another process changed a table's shape (a migration): prepare afresh.
            Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::FEATURE_NOT_SUPPORTED) => {
                self.lock_prepared().clear();
                self.client.query_typed(sql, &typed).await
            }
            other => other,
        }
    }

    /// The statement as prepared on this connection (prepared now the first time it is seen);
    /// `None` when the connection keeps as many as it may (the statement is then sent
    /// unprepared).
    async fn statement(
        &self,
        sql: &str,
        types: &[Type],
    ) -> std::result::Result<Option<Statement>, tokio_postgres::Error> {
        let key = (
            sql.to_string(),
            types.iter().map(Type::oid).collect::<Vec<_>>(),
        );
        if let Some(statement) = self.lock_prepared().get(&key).cloned() {
            return Ok(Some(statement));
        }
        if self.lock_prepared().len() >= PREPARED_PER_CONNECTION {
            return Ok(None);
        }
        let statement = self.client.prepare_typed(sql, types).await?;
        self.lock_prepared().insert(key, statement.clone());
        Ok(Some(statement))
    }

    /// Runs the steps in order, all sent at once: one round trip for them all (PostgreSQL runs
    /// them one after the other as they arrive). Returns each step's rows, or the first error
    /// (the steps after it fail too, in an aborted transaction, where a `COMMIT` rolls back).
    async fn pipeline(
        &self,
        steps: &[Step],
    ) -> std::result::Result<Vec<Vec<Row>>, tokio_postgres::Error> {
        // Prepared first (once per connection), so that each request below is queued on the
        // connection at its future's first poll, in order.
        let mut statements = Vec::with_capacity(steps.len());
        for step in steps {
            statements.push(match step {
                Step::Plain(_) => None,
                Step::Query(sql, params) => {
                    let types: Vec<Type> = params.iter().map(|p| p.typed().1).collect();
                    self.statement(sql, &types).await?
                }
            });
        }
        type Answer<'a> = std::pin::Pin<
            Box<
                dyn std::future::Future<
                        Output = std::result::Result<Vec<Row>, tokio_postgres::Error>,
                    > + Send
                    + 'a,
            >,
        >;
        let mut answers: Vec<Answer<'_>> = steps
            .iter()
            .zip(statements)
            .map(|(step, statement)| -> Answer<'_> {
                match (step, statement) {
                    (Step::Plain(sql), _) => Box::pin(async move {
                        self.client.batch_execute(sql).await.map(|()| Vec::new())
                    }),
                    (Step::Query(_, params), Some(statement)) => Box::pin(async move {
                        let values: Vec<&(dyn ToSql + Sync)> =
                            params.iter().map(|p| p.typed().0).collect();
                        self.client.query(&statement, &values).await
                    }),
                    (Step::Query(sql, params), None) => Box::pin(async move {
                        let typed: Vec<(&(dyn ToSql + Sync), Type)> =
                            params.iter().map(V::typed).collect();
                        self.client.query_typed(sql, &typed).await
                    }),
                }
            })
            .collect();
        let mut results: Vec<Option<std::result::Result<Vec<Row>, tokio_postgres::Error>>> =
            answers.iter().map(|_| None).collect();
        // Polled in order, each until it answers: the first poll of each sends its request.
        std::future::poll_fn(|cx| {
            let mut waiting = false;
            for (answer, result) in answers.iter_mut().zip(results.iter_mut()) {
                if result.is_none() {
                    match answer.as_mut().poll(cx) {
                        std::task::Poll::Ready(r) => *result = Some(r),
                        std::task::Poll::Pending => waiting = true,
                    }
                }
            }
            if waiting {
                std::task::Poll::Pending
            } else {
                std::task::Poll::Ready(())
            }
        })
        .await;
        results.into_iter().flatten().collect()
    }

    fn lock_prepared(&self) -> MutexGuard<'_, HashMap<(String, Vec<u32>), Statement>> {
        self.prepared.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// What a pipeline sends: plain commands (`BEGIN`, savepoints) or a statement.
#[derive(Clone, Debug)]
pub(crate) enum Step {
    /// A plain command, with no parameters and no rows.
    Plain(&'static str),
    /// A statement and its parameters.
    Query(String, Vec<V>),
}

/// The connections' own runtime and how to reach the database.
struct Link {
    runtime: Option<tokio::runtime::Runtime>,
    handle: tokio::runtime::Handle,
    config: tokio_postgres::Config,
}

impl Link {
    /// Runs `fut` on the connections' runtime and waits for it on this thread.
    fn block<T: Send + 'static>(
        &self,
        fut: impl std::future::Future<Output = T> + Send + 'static,
    ) -> Result<T> {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        self.handle.spawn(async move {
            let _ = tx.send(fut.await);
        });
        rx.recv().map_err(|_| gone())
    }

    fn connect(&self) -> Result<Arc<Conn>> {
        let config = self.config.clone();
        let handle = self.handle.clone();
        let client = self.block(async move {
            let (client, connection) = config.connect(tokio_postgres::NoTls).await?;
            handle.spawn(async move {
                if let Err(e) = connection.await {
                    tracing::warn!("PostgreSQL connection closed: {e}");
                }
            });
            // Row locks are waited for, but not for ever: a lock held longer is a passing
            // failure the executor retries. UTC so that nothing depends on the server's zone.
            // An index lookup priced as a cached page (the default 4 prices a disk seek): with
            // the default, the planner joined each ready task to its run by scanning all runs
            // (a run table of a few pages costs less than one seek), a plan that grew to 25 ms
            // a call on 200 running runs whenever statistics said the ready tasks were few.
            client
                .batch_execute(&format!(
                    "SET lock_timeout = '{LOCK_TIMEOUT}'; SET TIME ZONE 'UTC'; SET random_page_cost = {RANDOM_PAGE_COST}"
                ))
                .await?;
            Ok::<_, tokio_postgres::Error>(client)
        })??;
        Ok(Arc::new(Conn {
            client,
            prepared: Mutex::new(HashMap::new()),
        }))
    }

    fn query(&self, client: &Arc<Conn>, sql: &str, params: &[V]) -> Result<Vec<Row>> {
        let (client, sql, params) = (client.clone(), sql.to_string(), params.to_vec());
        Ok(self.block(async move { client.query(&sql, &params).await })??)
    }

    /// Runs the steps in order, sent at once (see [`Conn::pipeline`]); each step's rows.
    fn pipeline(&self, client: &Arc<Conn>, steps: Vec<Step>) -> Result<Vec<Vec<Row>>> {
        let client = client.clone();
        Ok(self.block(async move { client.pipeline(&steps).await })??)
    }

    fn batch(&self, client: &Arc<Conn>, sql: &str) -> Result<()> {
        let (client, sql) = (client.clone(), sql.to_string());
        Ok(self.block(async move { client.client.batch_execute(&sql).await })??)
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        // Dropped anywhere, also inside another runtime, where a blocking shutdown would panic.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// A connection taken from its slot: the slot stays locked while the connection is used.
type Held<'a> = (MutexGuard<'a, Option<Arc<Conn>>>, Arc<Conn>);

/// A pooled connection, reopened when it was lost.
struct Slot(Mutex<Option<Arc<Conn>>>);

impl Slot {
    fn get(&self, link: &Link) -> Result<Held<'_>> {
        let mut guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let client = match guard.as_ref() {
            Some(c) if !c.is_closed() => c.clone(),
            _ => {
                let c = link.connect()?;
                *guard = Some(c.clone());
                c
            }
        };
        Ok((guard, client))
    }
}

/// The PostgreSQL store.
pub struct PgStore {
    link: Link,
    writer: Slot,
    readers: Vec<Slot>,
    location: String,
    /// This process's name in task leases.
    worker: String,
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:port/db`), and creates or migrates the schema.
    pub fn open(url: &str) -> Result<Self> {
        let open_error = |message: String| Error::Open {
            path: redact(url),
            message,
        };
        let config: tokio_postgres::Config = url.parse().map_err(|e| open_error(format!("{e}")))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("weft-postgres")
            .enable_all()
            .build()
            .map_err(|e| open_error(e.to_string()))?;
        let link = Link {
            handle: runtime.handle().clone(),
            runtime: Some(runtime),
            config,
        };
        let store = Self {
            writer: Slot(Mutex::new(None)),
            readers: (0..READERS).map(|_| Slot(Mutex::new(None))).collect(),
            location: redact(url),
            worker: format!(
                "{}-{}-{}",
                hostname(),
                std::process::id(),
                uuid::Uuid::new_v4().simple()
            ),
            link,
        };
        {
            let (_guard, client) = store.writer.get(&store.link).map_err(|e| match e {
                Error::Database { message, .. } => open_error(message),
                other => other,
            })?;
            schema::migrate(&store.link, &client)?;
        }
        Ok(store)
    }

    /// This process's name in the leases of the tasks it runs.
    pub fn worker(&self) -> &str {
        &self.worker
    }

    fn reader(&self) -> Result<Held<'_>> {
        for slot in &self.readers {
            if let Ok(mut guard) = slot.0.try_lock() {
                let client = match guard.as_ref() {
                    Some(c) if !c.is_closed() => c.clone(),
                    _ => {
                        let c = self.link.connect()?;
                        *guard = Some(c.clone());
                        c
                    }
                };
                return Ok((guard, client));
            }
        }
        self.readers[0].get(&self.link)
    }
}

/// The URL without its password, for messages.
pub fn redacted(url: &str) -> String {
    redact(url)
}

/// The URL without its password.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}{}@{}", &url[..scheme + 3], user, &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "host".into())
}

/// Runs statements: a read connection or a transaction. The run locks are the transaction's.
pub(crate) trait Q {
    /// Runs one statement; returns its rows.
    fn q(&self, sql: &str, params: &[V]) -> Result<Vec<Row>>;
    /// Locks a run for this transaction (nothing on a read connection).
    fn lock_run(&self, _run_id: i64) -> Result<()> {
        Ok(())
    }
    /// Locks the run of a task for this transaction (nothing on a read connection).
    fn lock_task(&self, _task_id: i64) -> Result<()> {
        Ok(())
    }
    /// Locks the run of a task and then runs `then`, both in one round trip when the run's lock
    /// has to be taken: `then`'s rows, or `None` when it was not run (no lock to take, or a
    /// read connection): then the caller runs it.
    fn lock_task_and(&self, _task_id: i64, _then: (&str, &[V])) -> Result<Option<Vec<Row>>> {
        Ok(None)
    }
    /// Whether this is a write transaction (claims lock what they return).
    fn writing(&self) -> bool {
        false
    }
    /// Notes a task claimed with its run locked (a write transaction keeps the lock).
    fn note_claimed(&self, _task_id: i64, _run_id: i64) {}
    /// The runs this transaction read while holding their locks (none on a read connection).
    fn run_cache(&self) -> Option<&RefCell<RunCache>> {
        None
    }
    /// Locks the run and reads one thing of it (`slot` says which) — once per transaction when
    /// this one holds the run (see [`RunCache`]), at every call on a read connection.
    fn read_run<T: Clone>(
        &self,
        run_id: i64,
        slot: fn(&mut RunCache) -> &mut HashMap<i64, T>,
        read: impl FnOnce() -> Result<T>,
    ) -> Result<T> {
        self.lock_run(run_id)?;
        let cache = self.run_cache();
        if let Some(known) = cache.and_then(|c| slot(&mut c.borrow_mut()).get(&run_id).cloned()) {
            return Ok(known);
        }
        let value = read()?;
        if let Some(c) = cache {
            slot(&mut c.borrow_mut()).insert(run_id, value.clone());
        }
        Ok(value)
    }
    /// This process's lease name.
    fn worker(&self) -> &str;
    /// The first row.
    fn q1(&self, sql: &str, params: &[V]) -> Result<Option<Row>> {
        Ok(self.q(sql, params)?.into_iter().next())
    }
    /// The first row, or [`Error::NotFound`] naming the `what` with that `id` when there is none.
    fn q1_found(
        &self,
        sql: &str,
        params: &[V],
        what: &'static str,
        id: impl ToString,
    ) -> Result<Row> {
        self.q1(sql, params)?.ok_or_else(|| Error::NotFound {
            what,
            id: id.to_string(),
        })
    }
    /// How many rows (a statement with `RETURNING 1` counts what it changed).
    fn n(&self, sql: &str, params: &[V]) -> Result<usize> {
        Ok(self.q(sql, params)?.len())
    }
}

/// A read view: one read connection, each statement on the last commit.
pub(crate) struct ReadView<'s> {
    store: &'s PgStore,
    client: Arc<Conn>,
}

impl Q for ReadView<'_> {
    fn q(&self, sql: &str, params: &[V]) -> Result<Vec<Row>> {
        self.store.link.query(&self.client, sql, params)
    }
    fn worker(&self) -> &str {
        &self.store.worker
    }
}

/// An event recorded in a transaction, numbered at commit.
struct Pending {
    at: Millis,
    workflow_id: Option<String>,
    run_id: Option<i64>,
    task_id: Option<i64>,
    body: EventBody,
}

/// Rows of runs a write transaction holds locked, as it read them: nobody else can change them
/// before the commit, so the executor's many reads of one run cost one statement. Every write
/// to a run in the transaction forgets it, and so does a rolled-back unit.
#[derive(Default)]
pub(crate) struct RunCache {
    pub(crate) heads: HashMap<i64, crate::store::runs::RunHead>,
    pub(crate) rows: HashMap<i64, crate::store::runs::RunRow>,
    /// Debug states (`None`: not a debug run).
    pub(crate) debug: HashMap<i64, Option<crate::debug::DebugState>>,
}

impl RunCache {
    /// Forgets what was read of a run (it is being written).
    pub(crate) fn forget(&mut self, run_id: i64) {
        self.heads.remove(&run_id);
        self.rows.remove(&run_id);
        self.debug.remove(&run_id);
    }
}

/// Locks the run of a task (`$1`); returns the run's id.
const LOCK_TASK_RUN: &str =
    "SELECT r.id FROM runs r WHERE r.id = (SELECT run_id FROM tasks WHERE id = $1) FOR UPDATE OF r";

/// A write transaction.
pub(crate) struct Tx<'s> {
    store: &'s PgStore,
    client: Arc<Conn>,
    events: Vec<Pending>,
    /// Events before this index belong to an enclosing unit and are never merged into.
    floor: usize,
    /// Runs this transaction has locked, in order (a rolled-back unit gives its own back).
    locked: RefCell<Vec<i64>>,
    /// Which run each task belongs to (never changes).
    task_runs: RefCell<HashMap<i64, i64>>,
    /// Locked runs as read (see [`RunCache`]).
    runs: RefCell<RunCache>,
    /// Commands (`BEGIN`, savepoints) and writes whose rows nobody reads, not sent yet: they
    /// go with the next statement, in the same round trip; at the latest when their unit ends.
    /// Those of a unit that ran nothing else are never sent.
    deferred: RefCell<Vec<Step>>,
    /// How many times deferred commands were sent (a unit whose count did not move ran nothing).
    flushes: Cell<u64>,
}

impl Q for Tx<'_> {
    fn q(&self, sql: &str, params: &[V]) -> Result<Vec<Row>> {
        match self.take_deferred() {
            None => self.store.link.query(&self.client, sql, params),
            Some(steps) => {
                let query = Step::Query(sql.to_string(), params.to_vec());
                let mut answers = self.send_after(steps, vec![query])?;
                Ok(answers.pop().unwrap_or_default())
            }
        }
    }

    fn lock_run(&self, run_id: i64) -> Result<()> {
        if self.locked.borrow().contains(&run_id) {
            return Ok(());
        }
        self.q(
            "SELECT id FROM runs WHERE id = $1 FOR UPDATE",
            args![run_id],
        )?;
        self.locked.borrow_mut().push(run_id);
        Ok(())
    }

    fn lock_task(&self, task_id: i64) -> Result<()> {
        let known = self.task_runs.borrow().get(&task_id).copied();
        if let Some(run_id) = known {
            return self.lock_run(run_id);
        }
        if let Some(row) = self.q1(LOCK_TASK_RUN, args![task_id])? {
            self.note_locked(task_id, row.c(0)?);
        }
        Ok(())
    }

    fn lock_task_and(&self, task_id: i64, then: (&str, &[V])) -> Result<Option<Vec<Row>>> {
        if self.task_runs.borrow().contains_key(&task_id) {
            self.lock_task(task_id)?;
            return Ok(None);
        }
        let deferred = self.take_deferred().unwrap_or_default();
        let lock = Step::Query(LOCK_TASK_RUN.to_string(), args![task_id].to_vec());
        let then = Step::Query(then.0.to_string(), then.1.to_vec());
        let mut answers = self.send_after(deferred, vec![lock, then])?;
        let rows = answers.pop().unwrap_or_default();
        if let Some(row) = answers.pop().and_then(|rows| rows.into_iter().next()) {
            self.note_locked(task_id, row.c(0)?);
        }
        Ok(Some(rows))
    }

    fn writing(&self) -> bool {
        true
    }

    fn note_claimed(&self, task_id: i64, run_id: i64) {
        self.note_locked(task_id, run_id);
    }

    fn run_cache(&self) -> Option<&RefCell<RunCache>> {
        Some(&self.runs)
    }

    fn worker(&self) -> &str {
        &self.store.worker
    }
}

impl Tx<'_> {
    /// The deferred steps, to send before the next statement.
    fn take_deferred(&self) -> Option<Vec<Step>> {
        let mut deferred = self.deferred.borrow_mut();
        if deferred.is_empty() {
            return None;
        }
        self.flushes.set(self.flushes.get() + 1);
        Some(std::mem::take(&mut *deferred))
    }

    /// Sends the deferred steps taken (see [`Tx::take_deferred`]) and then `more`, in one
    /// pipeline; each step's rows.
    fn send_after(&self, mut deferred: Vec<Step>, more: Vec<Step>) -> Result<Vec<Vec<Row>>> {
        deferred.extend(more);
        self.store.link.pipeline(&self.client, deferred)
    }

    /// Whether writes are among the deferred steps (then they must be sent before a unit or
    /// the transaction ends).
    fn has_deferred_writes(&self) -> bool {
        self.deferred
            .borrow()
            .iter()
            .any(|s| matches!(s, Step::Query(..)))
    }

    /// A write whose rows nobody reads: sent with the next statement, or when its unit ends,
    /// whose outcome it decides like any other statement of the unit.
    pub(crate) fn defer(&self, sql: &str, params: &[V]) {
        self.deferred
            .borrow_mut()
            .push(Step::Query(sql.to_string(), params.to_vec()));
    }

    /// Sends the deferred writes now (with the commands before them), if there are any.
    fn flush_writes(&self) -> Result<()> {
        if !self.has_deferred_writes() {
            return Ok(());
        }
        let deferred = self.take_deferred().unwrap_or_default();
        self.send_after(deferred, Vec::new()).map(|_| ())
    }

    /// Notes the run of a task and that this transaction holds its lock (a claim locked both).
    pub(crate) fn note_locked(&self, task_id: i64, run_id: i64) {
        self.task_runs.borrow_mut().insert(task_id, run_id);
        let mut locked = self.locked.borrow_mut();
        if !locked.contains(&run_id) {
            locked.push(run_id);
        }
    }

    /// Ends the transaction in one round trip: the deferred writes, the recorded events
    /// numbered in commit order (see the module's notes), and `COMMIT`. Nothing is sent for a
    /// transaction that sent nothing and has nothing to write.
    fn commit(&mut self) -> Result<Vec<Event>> {
        let begun = self.flushes.get() > 0;
        if !begun && !self.has_deferred_writes() && self.events.is_empty() {
            return Ok(Vec::new());
        }
        let deferred = self.take_deferred().unwrap_or_default();
        let mut steps = Vec::new();
        let count = self.events.len() as i64;
        if count > 0 {
            let mut ats = Vec::new();
            let mut kinds = Vec::new();
            let mut workflows = Vec::new();
            let mut runs = Vec::new();
            let mut tasks = Vec::new();
            let mut payloads = Vec::new();
            for e in &self.events {
                ats.push(Some(e.at));
                kinds.push(Some(e.body.kind().as_str().to_string()));
                workflows.push(e.workflow_id.clone());
                runs.push(e.run_id);
                tasks.push(e.task_id);
                payloads.push(Some(payload_text(&e.body)?));
            }
            // One statement: the counter row, locked until COMMIT so that numbers are handed
            // out in commit order; the events numbered from it; and the wake-up of the other
            // processes following the log, whose payload is only the newest number (never an
            // event: NOTIFY payloads are limited to 8 KB). COMMIT follows in the same pipeline,
            // so the counter is held for no round trip of ours.
            steps.push(Step::Query(
                "WITH counter AS (
                     UPDATE event_counter SET last = last + $1 WHERE id = 1 RETURNING last
                 ), written AS (
                     INSERT INTO events (seq, at, kind, workflow_id, run_id, task_id, payload)
                     SELECT counter.last - $1 + e.n, e.at, e.kind, e.workflow_id, e.run_id, e.task_id, e.payload
                     FROM counter, unnest($2::int8[], $3::text[], $4::text[], $5::int8[], $6::int8[], $7::text[])
                          WITH ORDINALITY AS e(at, kind, workflow_id, run_id, task_id, payload, n)
                 )
                 SELECT last, pg_notify('weft_events', last::text) FROM counter"
                    .to_string(),
                vec![
                    V::from(count),
                    V::IA(ats),
                    V::TA(kinds),
                    V::TA(workflows),
                    V::IA(runs),
                    V::IA(tasks),
                    V::TA(payloads),
                ],
            ));
        }
        // COMMIT also releases the savepoints still deferred.
        steps.push(Step::Plain("COMMIT"));
        let answers = self.send_after(deferred, steps)?;
        if count == 0 {
            return Ok(Vec::new());
        }
        let last: i64 = answers
            .get(answers.len().saturating_sub(2))
            .and_then(|rows| rows.first())
            .ok_or_else(|| Error::Corrupt {
                what: "event counter",
                message: "missing".into(),
            })?
            .c(0)?;
        let first = last - count + 1;
        Ok(std::mem::take(&mut self.events)
            .into_iter()
            .enumerate()
            .map(|(i, e)| Event {
                seq: first + i as i64,
                at: e.at,
                workflow_id: e.workflow_id,
                run_id: e.run_id,
                task_id: e.task_id,
                body: e.body,
            })
            .collect())
    }
}

impl Backend for PgStore {
    fn read_with(&self, f: &mut dyn FnMut(&dyn StoreRead) -> Result<()>) -> Result<()> {
        let (_guard, client) = self.reader()?;
        f(&ReadView {
            store: self,
            client,
        })
    }

    fn write_with(
        &self,
        f: &mut dyn FnMut(&mut dyn StoreWrite) -> Result<()>,
    ) -> Result<Vec<Event>> {
        let (_guard, client) = self.writer.get(&self.link)?;
        let mut tx = Tx {
            store: self,
            client: client.clone(),
            events: Vec::new(),
            floor: 0,
            locked: RefCell::new(Vec::new()),
            task_runs: RefCell::new(HashMap::new()),
            runs: RefCell::new(RunCache::default()),
            deferred: RefCell::new(vec![Step::Plain("BEGIN")]),
            flushes: Cell::new(0),
        };
        let result = f(&mut tx).and_then(|()| tx.commit());
        if result.is_err() && tx.flushes.get() > 0 {
            // After a failed pipeline with COMMIT, PostgreSQL has rolled back already and
            // this only warns that no transaction is in progress.
            if let Err(rollback) = self.link.batch(&client, "ROLLBACK") {
                tracing::warn!("rolling back failed: {rollback}");
            }
        }
        result
    }

    fn location(&self) -> String {
        self.location.clone()
    }

    fn marker_source(&self) -> PathBuf {
        // Each server marks its own processes: several share the database, even on one machine.
        PathBuf::from(format!("{}#{}", self.location, self.worker))
    }

    fn size(&self) -> Result<StoreSize> {
        let (_guard, client) = self.reader()?;
        let rows = self
            .link
            .query(&client, "SELECT pg_database_size(current_database())", &[])?;
        let bytes: i64 = rows.first().map(|r| r.c(0)).transpose()?.unwrap_or(0);
        Ok(StoreSize {
            bytes: bytes.max(0) as u64,
            free_bytes: 0,
            wal_bytes: 0,
        })
    }

    fn reclaim_space(&self) -> Result<()> {
        // Autovacuum gives dead rows' room back to the tables; nothing to do here.
        Ok(())
    }

    fn shares_work(&self) -> bool {
        true
    }

    fn refresh_statistics(&self) -> Result<Vec<String>> {
        // A fresh database is first analysed by autovacuum after its first naptime (a minute by
        // default). Until then the planner takes the tables for nearly empty, and a prepared
        // statement keeps the generic plan it chose then: the ready-task query took ~170 ms a
        // call on four servers (the fleet benchmark's instant steps at a third of their speed).
        // Analysing the grown tables at once invalidates those plans; from then on autovacuum's
        // own thresholds keep the statistics current, and this finds nothing to do.
        // The check on a read connection: the writer (this server's transactions) waits only
        // for an ANALYZE, once per table.
        let (reader_guard, reader) = self.reader()?;
        let rows = self.link.query(
            &reader,
            "SELECT relname::text FROM pg_stat_user_tables
              WHERE schemaname = current_schema() AND last_analyze IS NULL
                AND last_autoanalyze IS NULL AND n_mod_since_analyze >= $1
              ORDER BY relname",
            &[V::from(STATISTICS_AFTER_ROWS)],
        )?;
        drop(reader_guard);
        let tables: Vec<String> = rows.iter().map(|r| r.c(0)).collect::<Result<_>>()?;
        if !tables.is_empty() {
            let (_guard, client) = self.writer.get(&self.link)?;
            let list = tables
                .iter()
                .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(", ");
            self.link.batch(&client, &format!("ANALYZE {list}"))?;
        }
        Ok(tables)
    }
}

/// The planner's price of a page read out of order, for this store's sessions: PostgreSQL's
/// usual advice for storage without seek time (the store's hot rows are in memory).
const RANDOM_PAGE_COST: &str = "1.1";

/// Rows written to a table never analysed before [`PgStore`] analyses it itself.
const STATISTICS_AFTER_ROWS: i64 = 100;

impl StoreWrite for Tx<'_> {
    fn unit(&mut self, f: &mut dyn FnMut(&mut dyn StoreWrite) -> Result<()>) -> Result<()> {
        let mark = self.events.len();
        let locks = self.locked.borrow().len();
        let floor = std::mem::replace(&mut self.floor, mark);
        // Deferred like BEGIN: sent with the unit's first statement, or never when it has none.
        let queued = self.deferred.borrow().len();
        self.deferred
            .borrow_mut()
            .push(Step::Plain("SAVEPOINT weft_unit"));
        let flushes = self.flushes.get();
        // The unit's deferred writes are sent before it is judged: their failure is its own.
        let result = f(self).and_then(|()| self.flush_writes());
        self.floor = floor;
        let ran = self.flushes.get() != flushes;
        match result {
            Ok(()) if ran => {
                self.deferred
                    .borrow_mut()
                    .push(Step::Plain("RELEASE weft_unit"));
                Ok(())
            }
            Ok(()) => {
                // No statement: its savepoint (and any of inner units) was never sent.
                self.deferred.borrow_mut().truncate(queued);
                Ok(())
            }
            Err(e) => {
                if ran {
                    let deferred = self.take_deferred().unwrap_or_default();
                    let rollback = Step::Plain("ROLLBACK TO weft_unit; RELEASE weft_unit");
                    self.send_after(deferred, vec![rollback])?;
                } else {
                    self.deferred.borrow_mut().truncate(queued);
                }
                self.events.truncate(mark);
                // Locks taken after a savepoint go with its rollback, and so do its writes.
                self.locked.borrow_mut().truncate(locks);
                *self.runs.borrow_mut() = RunCache::default();
                Err(e)
            }
        }
    }

    fn as_read(&self) -> &dyn StoreRead {
        self
    }
}

impl EventWrites for Tx<'_> {
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
                        // The same task changing again in this transaction: one event with its
                        // latest state, as the SQLite store does.
                        earlier.absorb(change.clone());
                        last.at = at;
                        return Ok(());
                    }
                }
            }
        }
        self.events.push(Pending {
            at,
            workflow_id: workflow_id.map(str::to_string),
            run_id,
            task_id,
            body,
        });
        Ok(())
    }

    fn prune_events(&mut self) -> Result<usize> {
        self.n(
            "DELETE FROM events WHERE seq <= (SELECT MAX(seq) FROM events) - $1 RETURNING 1",
            args![crate::store::events::EVENTS_KEPT],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn a_location_never_shows_the_password() {
        assert_eq!(
            redact("postgres://weft:secret@127.0.0.1:5433/weft"),
            "postgres://weft@127.0.0.1:5433/weft"
        );
        assert_eq!(
            redact("postgres://127.0.0.1/weft"),
            "postgres://127.0.0.1/weft"
        );
    }
}

//! The engine: a cheap clonable handle over the store, and (when this process owns the store)
//! the executor loop that applies commands, fires schedules and runs tasks.

mod approval_mail;
pub mod clock;
mod executor;
pub mod follow;
mod owner;
pub mod plan;
pub mod progress;
pub mod rerun;
mod schedules;
mod triggers;
pub mod webhook;

pub use clock::{Clock, ManualClock, SystemClock};
pub(crate) use executor::{input_sets, Submission};
pub use follow::{EventFollower, Followed};
pub use owner::{OwnerInfo, STALE_AFTER_MS};

use crate::activities::{ActivityRunner, BuiltinActivities, LogOnlyNotifier, Notifier};
use crate::store::{self, Event, Store};
use crate::validate::Diagnostic;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, Notify};
use tokio_util::sync::CancellationToken;

/// How an engine is built.
#[derive(Clone)]
pub struct EngineOptions {
    /// The SQLite file (and, beside it, the outbox and templates).
    pub db_path: PathBuf,
    /// A PostgreSQL store's URL (`postgres://…`): when set, the store is there instead of in
    /// `db_path`, shared with other servers.
    pub store_url: Option<String>,
    /// Time source.
    pub clock: Arc<dyn Clock>,
    /// Runs activities.
    pub runner: Arc<dyn ActivityRunner>,
    /// Shows desktop notifications.
    pub notifier: Arc<dyn Notifier>,
    /// Default outbox folder for Send email.
    pub outbox: PathBuf,
    /// How often the owner looks for commands queued by other processes.
    pub poll_interval: Duration,
    /// How many tasks may run at once.
    pub max_parallel_tasks: usize,
    /// A name for this process in the owner row (`weft serve`, `desktop`).
    pub owner_name: String,
    /// What a commit survives (see [`store::Durability`]).
    pub durability: store::Durability,
    /// How long a write waits for another process holding the store before it is retried
    /// later (a queued command is never refused for it).
    pub busy_timeout: Duration,
    /// Where templates are read from and saved to.
    pub templates: crate::templates::TemplateDirs,
    /// Events the live channel holds for a slow subscriber before it lags (see
    /// [`Engine::follow_events`], which catches up from the store).
    pub event_capacity: usize,
}

impl EngineOptions {
    /// Defaults for a store file: system clock, built-in activities, outbox beside the store.
    pub fn new(db_path: impl Into<PathBuf>) -> Self {
        let db_path = db_path.into();
        let beside = |name: &str| {
            db_path
                .parent()
                .map(|p| p.join(name))
                .unwrap_or_else(|| PathBuf::from(name))
        };
        let outbox = beside("outbox");
        let templates = crate::templates::TemplateDirs::locate(None, beside("templates"));
        Self {
            db_path,
            store_url: None,
            clock: Arc::new(SystemClock),
            runner: Arc::new(BuiltinActivities),
            notifier: Arc::new(LogOnlyNotifier),
            outbox,
            poll_interval: Duration::from_millis(200),
            max_parallel_tasks: 64,
            owner_name: "weft".into(),
            durability: store::Durability::default(),
            busy_timeout: Duration::from_secs(10),
            templates,
            event_capacity: 4096,
        }
    }
}

/// Errors of the engine API.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] store::Error),
    /// A workflow file did not load.
    #[error(transparent)]
    Load(#[from] crate::load::Error),
    /// WEFT-X001: the workflow does not validate.
    #[error("WEFT-X001 the workflow does not validate:\n{}", .0.iter().map(|d| format!("  - {d}")).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Diagnostic>),
    /// WEFT-X002: a command was refused.
    #[error("WEFT-X002 {0}")]
    Refused(String),
    /// WEFT-X003: another process owns the store.
    #[error("WEFT-X003 another process ({0}) executes this store; this one only reads and queues commands")]
    NotOwner(String),
    /// WEFT-X004: the engine stopped while waiting.
    #[error("WEFT-X004 the engine stopped")]
    Stopped,
    /// WEFT-X005: a queued command was not applied within the time waited for it (it stays
    /// queued).
    #[error("WEFT-X005 command {id} was not applied within {waited:?}: is an engine running on this store (weft serve or the desktop app)?")]
    NotAppliedYet {
        /// The command.
        id: i64,
        /// How long was waited.
        waited: Duration,
    },
    /// WEFT-R005: run parameters do not match the workflow's parameter schema (each problem).
    #[error("WEFT-R005 bad parameters: {}", .0.join("; "))]
    BadParameters(Vec<String>),
    /// A contacts import or CSV file was refused (its own `WEFT-C…` code).
    #[error(transparent)]
    Contacts(#[from] crate::contacts::ImportError),
    /// WEFT-C015: demo contacts are only added to an empty database.
    #[error(
        "WEFT-C015 the contacts database is not empty: demo data is only added to an empty one"
    )]
    ContactsNotEmpty,
    /// A template could not be listed, read or saved (its own `WEFT-T…` code).
    #[error(transparent)]
    Template(#[from] crate::templates::Error),
    /// A queued command was refused by the engine (its code is the refusal's, `WEFT-C…`).
    #[error("{} {reason}", code.code())]
    CommandRefused {
        /// Why, as a stable code.
        code: crate::command::Refusal,
        /// Why, in words.
        reason: String,
    },
    /// WEFT-X006: another workflow already bears this name (names are unique in a store).
    #[error("WEFT-X006 a workflow named {name:?} already exists; choose another name")]
    NameTaken {
        /// The name asked for.
        name: String,
    },
    /// WEFT-X007: the name cannot be a workflow's name (empty, too long, control characters).
    #[error("WEFT-X007 bad workflow name {shown:?}: {reason}")]
    BadName {
        /// The start of the name (a name may be megabytes long).
        shown: String,
        /// Why it is refused.
        reason: String,
    },
    /// WEFT-X008: a breakpoint does not fit the workflow (no such activity or transition, or a
    /// condition that does not parse).
    #[error("WEFT-X008 {0}")]
    BadBreakpoint(String),
    /// WEFT-X009: a save was made from a revision that is no longer the latest (someone saved
    /// in between); nothing was saved.
    #[error("WEFT-X009 workflow {id} was saved elsewhere (revision {latest}) since revision {base} this save was made from")]
    StaleRevision {
        /// The workflow.
        id: String,
        /// The revision the save was made from.
        base: i64,
        /// The latest revision in the store.
        latest: i64,
    },
}

impl Error {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Store(e) => e.code(),
            Self::Load(e) => e.code(),
            Self::Invalid(_) => "WEFT-X001",
            Self::Refused(_) => "WEFT-X002",
            Self::NotOwner(_) => "WEFT-X003",
            Self::Stopped => "WEFT-X004",
            Self::NotAppliedYet { .. } => "WEFT-X005",
            Self::Contacts(e) => e.code(),
            Self::ContactsNotEmpty => "WEFT-C015",
            Self::Template(e) => e.code(),
            Self::BadParameters(_) => "WEFT-R005",
            Self::CommandRefused { code, .. } => code.code(),
            Self::NameTaken { .. } => "WEFT-X006",
            Self::BadName { .. } => "WEFT-X007",
            Self::BadBreakpoint(_) => "WEFT-X008",
            Self::StaleRevision { .. } => "WEFT-X009",
        }
    }
}

/// Result alias of the engine API.
pub type Result<T> = std::result::Result<T, Error>;

pub(crate) struct Inner {
    pub store: Arc<Store>,
    pub options: EngineOptions,
    pub events: broadcast::Sender<Event>,
    pub wake: Notify,
    pub shutdown: CancellationToken,
    pub owner: AtomicBool,
    /// Set by [`Engine::hand_over`]: start nothing new, stop once nothing runs.
    pub draining: AtomicBool,
    pub owner_id: String,
    /// Callers waiting for a command's outcome, by command id; woken when it commits.
    pub waiters:
        std::sync::Mutex<std::collections::HashMap<i64, Vec<tokio::sync::oneshot::Sender<()>>>>,
    /// Parsed revisions for checks made outside the executor (commands before they are queued).
    pub plans: std::sync::Mutex<plan::PlanCache>,
    /// The running executor's inbox for commands submitted in this process.
    pub submissions:
        std::sync::Mutex<Option<tokio::sync::mpsc::UnboundedSender<executor::Submission>>>,
}

impl Inner {
    /// Wakes whoever waits for these commands' outcomes (after their transaction committed).
    pub(crate) fn commands_answered(&self, ids: &[i64]) {
        let mut waiters = self.waiters.lock().unwrap_or_else(|p| p.into_inner());
        for id in ids {
            for waiter in waiters.remove(id).unwrap_or_default() {
                let _ = waiter.send(());
            }
        }
    }
}

/// A handle on the engine: clone it freely. Reads go to the store; changes of run state go
/// through the command queue and are applied by whichever process owns the store.
#[derive(Clone)]
pub struct Engine {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("db", &self.inner.options.db_path)
            .finish()
    }
}

impl Engine {
    /// Opens the store (creating and migrating it). Does not execute anything until
    /// [`Engine::start`] is called.
    pub fn open(options: EngineOptions) -> Result<Self> {
        let store = match &options.store_url {
            Some(url) => Store::open_postgres(url)?,
            None => Store::open_with(
                &options.db_path,
                &store::StoreOptions {
                    durability: options.durability,
                    busy_timeout: options.busy_timeout,
                },
            )?,
        };
        let (events, _) = broadcast::channel(options.event_capacity.max(1));
        Ok(Self {
            inner: Arc::new(Inner {
                store: Arc::new(store),
                owner_id: format!(
                    "{}-{}-{}",
                    options.owner_name,
                    std::process::id(),
                    uuid::Uuid::new_v4().simple()
                ),
                options,
                events,
                wake: Notify::new(),
                shutdown: CancellationToken::new(),
                owner: AtomicBool::new(false),
                draining: AtomicBool::new(false),
                waiters: Default::default(),
                plans: Default::default(),
                submissions: Default::default(),
            }),
        })
    }

    /// Takes ownership of the store, recovers what a previous owner left in flight, and starts
    /// the executor loop on the current tokio runtime. Fails with [`Error::NotOwner`] when another
    /// live process owns the store.
    pub fn start(&self) -> Result<tokio::task::JoinHandle<()>> {
        let session = owner::acquire(self)?;
        self.inner.draining.store(false, Ordering::SeqCst);
        self.inner.owner.store(true, Ordering::SeqCst);
        let (submit, inbox) = tokio::sync::mpsc::unbounded_channel();
        *self
            .inner
            .submissions
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some(submit);
        let executor = executor::Executor::new(self.clone(), session, inbox);
        Ok(tokio::spawn(executor.run()))
    }

    /// Starts executing when the store's owner is gone (it exited, or died: its process is gone
    /// or its heartbeat is stale), recovering what it left in flight. `None` while another live
    /// process owns the store, or when this one already does.
    pub fn take_over_if_abandoned(&self) -> Result<Option<tokio::task::JoinHandle<()>>> {
        if self.is_owner() {
            return Ok(None);
        }
        if let Some(info) = owner::current(self)? {
            if owner::is_live(&info, self.now_ms()) {
                return Ok(None);
            }
        }
        match self.start() {
            Ok(handle) => Ok(Some(handle)),
            Err(Error::NotOwner(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Stops taking on work and lets what runs finish, then gives the store up (the executor
    /// loop ends): a short-lived owner such as `weft run` leaves no work of another process
    /// half done, and the next process that needs the store takes it over at once. Await the
    /// handle [`Engine::start`] returned to know when it is done.
    pub fn hand_over(&self) {
        self.inner.draining.store(true, Ordering::SeqCst);
        self.inner.wake.notify_one();
    }

    /// Starts the webhook listener on `addr` (loopback; port 0 picks a free one) and returns the
    /// address it listens on. Only the owner should listen: firings are queued as commands.
    pub async fn start_webhooks(
        &self,
        addr: std::net::SocketAddr,
    ) -> std::io::Result<std::net::SocketAddr> {
        webhook::serve(self.clone(), addr).await
    }

    /// Whether this process executes the store.
    pub fn is_owner(&self) -> bool {
        self.inner.owner.load(Ordering::SeqCst)
    }

    /// Who owns the store now, if anyone.
    pub fn owner(&self) -> Result<Option<OwnerInfo>> {
        owner::current(self)
    }

    /// Stops the executor loop (running tasks are left to recovery) and releases ownership.
    pub fn shutdown(&self) {
        self.inner.shutdown.cancel();
    }

    /// The store (reads; writes go through the API).
    pub(crate) fn store(&self) -> &Store {
        &self.inner.store
    }

    /// Now, from the engine's clock.
    pub fn now_ms(&self) -> store::Millis {
        self.inner.options.clock.now_ms()
    }

    /// Subscribes to the events this process commits, live. The channel is bounded and does
    /// not carry other processes' events: to follow them all, use [`Engine::follow_events`].
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.inner.events.subscribe()
    }

    pub(crate) fn publish(&self, events: Vec<Event>) {
        for e in events {
            let _ = self.inner.events.send(e);
        }
    }
}

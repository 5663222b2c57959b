//! The engine: a cheap clonable handle over the store, and (when this process owns the store)
//! the executor loop that applies commands, fires schedules and runs tasks.

pub mod clock;
mod executor;
pub mod follow;
mod owner;
pub mod plan;
pub mod progress;
mod schedules;
mod triggers;
pub mod webhook;

pub use clock::{Clock, ManualClock, SystemClock};
pub use follow::{EventFollower, Followed};
pub use owner::OwnerInfo;

use crate::activities::{ActivityRunner, BuiltinActivities, LogOnlyNotifier, Notifier};
use crate::command::{Command, CommandOutcome};
use crate::model::WorkflowFile;
use crate::store::{self, CommandRecord, Event, Store, WorkflowSummary};
use crate::validate::{self, Diagnostic};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, Notify};
use tokio_util::sync::CancellationToken;

/// How an engine is built.
#[derive(Clone)]
pub struct EngineOptions {
    /// The SQLite file.
    pub db_path: PathBuf,
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
    /// Events the live channel holds for a slow subscriber before it lags (see
    /// [`Engine::follow_events`], which catches up from the store).
    pub event_capacity: usize,
}

impl EngineOptions {
    /// Defaults for a store file: system clock, built-in activities, outbox beside the store.
    pub fn new(db_path: impl Into<PathBuf>) -> Self {
        let db_path = db_path.into();
        let outbox = db_path
            .parent()
            .map(|p| p.join("outbox"))
            .unwrap_or_else(|| PathBuf::from("outbox"));
        Self {
            db_path,
            clock: Arc::new(SystemClock),
            runner: Arc::new(BuiltinActivities),
            notifier: Arc::new(LogOnlyNotifier),
            outbox,
            poll_interval: Duration::from_millis(200),
            max_parallel_tasks: 64,
            owner_name: "weft".into(),
            durability: store::Durability::default(),
            busy_timeout: Duration::from_secs(10),
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
            Self::BadParameters(_) => "WEFT-R005",
            Self::CommandRefused { code, .. } => code.code(),
            Self::NameTaken { .. } => "WEFT-X006",
            Self::BadName { .. } => "WEFT-X007",
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
        let store = Store::open_with(
            &options.db_path,
            &store::StoreOptions {
                durability: options.durability,
                busy_timeout: options.busy_timeout,
            },
        )?;
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
    pub fn store(&self) -> &Store {
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

    /// Events after a sequence number (to catch up after missing some).
    pub fn events_after(&self, seq: i64, limit: u32) -> Result<Vec<Event>> {
        Ok(self
            .inner
            .store
            .read(|c| store::events::events_after(c, seq, limit))?)
    }

    // ---- workflows -------------------------------------------------------------------------

    /// Creates a workflow from a body (validated only for loading, not for graph rules: a
    /// workflow being edited may be incomplete). Returns its card. Refused with
    /// [`Error::NameTaken`] when another workflow bears the name, [`Error::BadName`] when the
    /// name is empty or too long.
    pub fn create_workflow(&self, body: &WorkflowFile) -> Result<WorkflowSummary> {
        check_name(&body.name)?;
        let id = new_workflow_id(&body.name);
        let now = self.now_ms();
        let (_, events) = self
            .inner
            .store
            .write(|tx| tx.insert_workflow(&id, body, now))
            .map_err(|e| name_error(e, &body.name))?;
        self.publish(events);
        Ok(self
            .inner
            .store
            .read(|c| store::workflows::workflow_summary(c, &id))?)
    }

    /// Creates a workflow under the first free name of "Name", "Name (2)", "Name (3)"… from the
    /// body's name ([`UNTITLED`] when it is blank): what a new blank workflow or one made from a
    /// template is called when its creator did not choose a name.
    pub fn create_workflow_with_free_name(&self, body: &WorkflowFile) -> Result<WorkflowSummary> {
        let base = match body.name.trim() {
            "" => UNTITLED,
            name => name,
        };
        check_name(base)?;
        self.insert_with_free_name(body, base, store::workflows::NameSeries::Numbered)
    }

    fn insert_with_free_name(
        &self,
        body: &WorkflowFile,
        base: &str,
        series: store::workflows::NameSeries,
    ) -> Result<WorkflowSummary> {
        let now = self.now_ms();
        let (id, events) = self.inner.store.write(|tx| {
            let mut body = body.clone();
            body.name = store::workflows::free_name(tx.conn(), base, series)?;
            let id = new_workflow_id(&body.name);
            tx.insert_workflow(&id, &body, now)?;
            Ok(id)
        })?;
        self.publish(events);
        Ok(self
            .inner
            .store
            .read(|c| store::workflows::workflow_summary(c, &id))?)
    }

    /// Saves a new revision.
    pub fn save_workflow(&self, id: &str, body: &WorkflowFile) -> Result<WorkflowSummary> {
        check_name(&body.name)?;
        let now = self.now_ms();
        let (_, events) = self
            .inner
            .store
            .write(|tx| tx.insert_revision(id, body, now))
            .map_err(|e| name_error(e, &body.name))?;
        self.publish(events);
        Ok(self
            .inner
            .store
            .read(|c| store::workflows::workflow_summary(c, id))?)
    }

    /// The latest revision of a workflow.
    pub fn workflow(&self, id: &str) -> Result<(WorkflowSummary, WorkflowFile)> {
        Ok(self.inner.store.read(|c| {
            let summary = store::workflows::workflow_summary(c, id)?;
            let (_, body) = store::workflows::latest_body(c, id)?;
            Ok((summary, body))
        })?)
    }

    /// One revision of a workflow.
    pub fn workflow_revision(&self, id: &str, revision: i64) -> Result<WorkflowFile> {
        Ok(self
            .inner
            .store
            .read(|c| store::workflows::revision_body(c, id, revision))?)
    }

    /// Every workflow's card.
    pub fn list_workflows(&self) -> Result<Vec<WorkflowSummary>> {
        Ok(self.inner.store.read(store::workflows::list_workflows)?)
    }

    /// Finds a workflow by id or exact name.
    pub fn find_workflow(&self, id_or_name: &str) -> Result<Option<WorkflowSummary>> {
        Ok(self
            .list_workflows()?
            .into_iter()
            .find(|w| w.id == id_or_name)
            .or_else(|| {
                self.list_workflows()
                    .ok()?
                    .into_iter()
                    .find(|w| w.name == id_or_name)
            }))
    }

    /// Renames a workflow (a new revision).
    pub fn rename_workflow(&self, id: &str, name: &str) -> Result<()> {
        check_name(name)?;
        let now = self.now_ms();
        let (_, events) = self
            .inner
            .store
            .write(|tx| tx.rename_workflow(id, name, now))
            .map_err(|e| name_error(e, name))?;
        self.publish(events);
        Ok(())
    }

    /// Copies a workflow under the first free name of "Name (copy)", "Name (copy 2)"…
    pub fn duplicate_workflow(&self, id: &str) -> Result<WorkflowSummary> {
        let (_, body) = self.workflow(id)?;
        self.insert_with_free_name(&body, &body.name, store::workflows::NameSeries::Copy)
    }

    /// Deletes a workflow with its history; refused while it has runs in progress.
    pub fn delete_workflow(&self, id: &str) -> Result<()> {
        let active = self.inner.store.read(|c| store::runs::active_runs(c, id))?;
        if !active.is_empty() {
            return Err(Error::Refused(format!(
                "workflow {id} has {} run(s) in progress; stop it first",
                active.len()
            )));
        }
        let now = self.now_ms();
        let (_, events) = self.inner.store.write(|tx| tx.delete_workflow(id, now))?;
        self.publish(events);
        Ok(())
    }

    /// Validates a body.
    pub fn validate(&self, body: &WorkflowFile) -> Vec<Diagnostic> {
        validate::validate(body)
    }

    /// Imports a workflow file's text. A file must load (see [`crate::load::from_str`], which
    /// also bounds its size), bear a valid name ([`check_name`]) and have exactly one Start.
    /// When no workflow bears its name, it becomes a new workflow. When one does and its latest
    /// revision equals the file, that workflow is the answer, unchanged; when it differs, the
    /// file becomes its new revision if `replace_same_name` is set, and is refused with
    /// [`Error::NameTaken`] otherwise. The look-up and the write are one transaction, so imports
    /// of the same file at once answer exactly as one import after the other would.
    pub fn import_workflow(&self, text: &str, replace_same_name: bool) -> Result<WorkflowSummary> {
        let body = crate::load::from_str(text)?;
        self.import_body(&body, replace_same_name)
    }

    fn import_body(&self, body: &WorkflowFile, replace_same_name: bool) -> Result<WorkflowSummary> {
        check_name(&body.name)?;
        let starts: Vec<Diagnostic> = validate::validate(body)
            .into_iter()
            .filter(|d| d.code == "WEFT-V001")
            .collect();
        if !starts.is_empty() {
            return Err(Error::Invalid(starts));
        }
        let now = self.now_ms();
        let (answer, events) = self.inner.store.write(|tx| {
            match store::workflows::workflow_id_by_name(tx.conn(), &body.name)? {
                Some(id) => {
                    let (_, current) = store::workflows::latest_body(tx.conn(), &id)?;
                    if current != *body {
                        if !replace_same_name {
                            return Ok(Err(Error::NameTaken {
                                name: body.name.clone(),
                            }));
                        }
                        tx.insert_revision(&id, body, now)?;
                    }
                    Ok(Ok(id))
                }
                None => {
                    let id = new_workflow_id(&body.name);
                    tx.insert_workflow(&id, body, now)?;
                    Ok(Ok(id))
                }
            }
        })?;
        self.publish(events);
        let id = answer?;
        Ok(self
            .inner
            .store
            .read(|c| store::workflows::workflow_summary(c, &id))?)
    }

    // ---- commands --------------------------------------------------------------------------

    /// Queues a command for a workflow and wakes the executor. Checks what can be checked now
    /// (the workflow exists and validates for commands that start runs); the rest is answered
    /// when it is applied.
    pub fn send(&self, workflow_id: Option<&str>, command: Command) -> Result<i64> {
        self.check_command(workflow_id, &command)?;
        let now = self.now_ms();
        let (id, events) = self
            .inner
            .store
            .write(|tx| tx.enqueue_command(workflow_id, &command, now))?;
        self.publish(events);
        self.inner.wake.notify_one();
        Ok(id)
    }

    /// What can be checked before a command is queued: the workflow exists, it validates for
    /// commands that start runs, and run parameters match its schema.
    fn check_command(&self, workflow_id: Option<&str>, command: &Command) -> Result<()> {
        let Some(id) = workflow_id else {
            return Ok(());
        };
        let body = self.inner.store.read(|c| {
            let revision = store::workflows::workflow_row(c, id)?.revision;
            self.inner
                .plans
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(c, id, revision)
        })?;
        if matches!(
            command,
            Command::Start | Command::StartSimulation | Command::RunNow { .. } | Command::Restart
        ) && !body.errors().is_empty()
        {
            return Err(Error::Invalid(body.errors().to_vec()));
        }
        if let Command::RunNow { params, .. } | Command::Fire { params, .. } = command {
            crate::params::resolve(&body.parameters, params).map_err(Error::BadParameters)?;
        }
        Ok(())
    }

    /// Applies a command at once when this process executes the store: the executor records it
    /// and applies it in one transaction, and the outcome comes straight back (a webhook's
    /// firing is answered with the run it made without a round trip through the queue). In a
    /// process that does not execute the store, the command is queued and waited for.
    pub async fn submit(
        &self,
        workflow_id: Option<&str>,
        command: Command,
        timeout: Duration,
    ) -> Result<CommandRecord> {
        self.check_command(workflow_id, &command)?;
        let inbox = self
            .inner
            .submissions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if let (true, Some(inbox)) = (self.is_owner(), inbox) {
            let (reply, answer) = tokio::sync::oneshot::channel();
            let submission = executor::Submission {
                workflow_id: workflow_id.map(str::to_string),
                command: command.clone(),
                reply,
            };
            if inbox.send(submission).is_ok() {
                self.inner.wake.notify_one();
                if let Ok(Ok(record)) = tokio::time::timeout(timeout, answer).await {
                    return Ok(record);
                }
                return Err(Error::Stopped);
            }
        }
        let id = self.send(workflow_id, command)?;
        self.wait_command(id, timeout).await
    }

    /// A queued command's record.
    pub fn command(&self, id: i64) -> Result<CommandRecord> {
        Ok(self.inner.store.read(|c| store::commands::command(c, id))?)
    }

    /// Waits until a command has been applied (or refused) and returns its record. Wakes on the
    /// engine's own `command_applied` event when this process applies it, and looks at the store
    /// every 100 ms for a command applied by another process.
    pub async fn wait_command(&self, id: i64, timeout: Duration) -> Result<CommandRecord> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            // Registered before reading, so an outcome committed in between still wakes us.
            let (wake, woken) = tokio::sync::oneshot::channel();
            self.inner
                .waiters
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .entry(id)
                .or_default()
                .push(wake);
            let record = self.command(id)?;
            if record.applied_at.is_some() {
                drop(woken);
                self.forget_waiter(id);
                return Ok(record);
            }
            if tokio::time::Instant::now() >= deadline {
                drop(woken);
                self.forget_waiter(id);
                return Err(Error::NotAppliedYet {
                    id,
                    waited: timeout,
                });
            }
            // Woken by this process's executor; another process's is seen by looking again.
            let look_again = tokio::time::sleep_until(
                deadline.min(tokio::time::Instant::now() + Duration::from_millis(100)),
            );
            tokio::select! {
                _ = woken => {}
                () = look_again => {}
            }
        }
    }

    fn forget_waiter(&self, id: i64) {
        let mut waiters = self.inner.waiters.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(list) = waiters.get_mut(&id) {
            list.retain(|w| !w.is_closed());
            if list.is_empty() {
                waiters.remove(&id);
            }
        }
    }

    /// Sends a command and waits for its outcome; a refusal becomes
    /// [`Error::CommandRefused`].
    pub async fn command_and_wait(
        &self,
        workflow_id: Option<&str>,
        command: Command,
        timeout: Duration,
    ) -> Result<CommandRecord> {
        let id = self.send(workflow_id, command)?;
        let record = self.wait_command(id, timeout).await?;
        match &record.outcome {
            Some(CommandOutcome::Applied { .. }) => Ok(record),
            Some(CommandOutcome::Refused { code, reason }) => Err(Error::CommandRefused {
                code: *code,
                reason: reason.clone(),
            }),
            None => Err(Error::Stopped),
        }
    }
}

/// The name a new workflow gets when its creator leaves the name blank.
pub const UNTITLED: &str = "Untitled workflow";

/// Refuses names that cannot be a workflow's: blank, longer than
/// [`MAX_NAME_CHARS`](crate::model::MAX_NAME_CHARS) characters, or with control characters.
pub fn check_name(name: &str) -> Result<()> {
    let length = name.chars().count();
    let reason = if name.trim().is_empty() {
        "a workflow needs a name".to_string()
    } else if length > crate::model::MAX_NAME_CHARS {
        format!(
            "{length} characters; at most {} are allowed",
            crate::model::MAX_NAME_CHARS
        )
    } else if name.chars().any(char::is_control) {
        "control characters (line breaks, tabs, NUL…) are not allowed".to_string()
    } else {
        return Ok(());
    };
    let mut shown: String = name.chars().take(40).collect();
    if length > 40 {
        shown.push('…');
    }
    Err(Error::BadName { shown, reason })
}

/// A store error from writing a workflow named `name`, with a taken name said as such.
fn name_error(error: store::Error, name: &str) -> Error {
    if store::workflows::is_name_conflict(&error) {
        Error::NameTaken { name: name.into() }
    } else {
        error.into()
    }
}

fn new_workflow_id(name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .take(6)
        .collect::<Vec<_>>()
        .join("-");
    let suffix = &uuid::Uuid::new_v4().simple().to_string()[..8];
    if slug.is_empty() {
        format!("wf-{suffix}")
    } else {
        format!("{slug}-{suffix}")
    }
}

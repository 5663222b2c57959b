//! Commands: queue one (checked for what can be checked now), submit one to this process's own
//! executor, wait for an outcome (woken by id), or both at once.

use crate::command::{Command, CommandOutcome};
use crate::exec::{Engine, Error, Result, Submission};
use crate::store::CommandRecord;
use std::time::Duration;

impl Engine {
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
            let revision = c.workflow_row(id)?.revision;
            self.inner
                .plans
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(c, id, revision)
        })?;
        if matches!(
            command,
            Command::Start
                | Command::StartSimulation
                | Command::RunNow { .. }
                | Command::DebugRun { .. }
                | Command::Restart
        ) && !body.errors().is_empty()
        {
            return Err(Error::Invalid(body.errors().to_vec()));
        }
        if let Command::RunNow { params, .. }
        | Command::DebugRun { params, .. }
        | Command::Fire { params, .. } = command
        {
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
            let submission = Submission {
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
        Ok(self.inner.store.read(|c| c.command(id))?)
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

//! Event triggers of started workflows: files arriving in folders (each file once, also across
//! restarts), contact events (read from the store's event table with a cursor per trigger), and
//! the secrets of webhook triggers. Each firing is recorded in the transaction that makes its run.

use super::executor::Executor;
use super::progress::RunRequest;
use crate::model::{ActivityConfig, ExecutionMode, RecordEvent, WorkflowFile};
use crate::store::api::SeenFile;
use crate::store::{self, Millis, Trigger, WorkflowState};
use serde_json::json;

impl Executor {
    /// Looks at every file and record trigger of started workflows and fires what is due.
    pub(super) fn scan_event_triggers(&mut self) -> store::Result<()> {
        let now = self.engine.now_ms();
        let started = self
            .engine
            .inner
            .store
            .read(|c| c.workflows_in_states(&[WorkflowState::Started]))?;
        let mut folders = Vec::new();
        for wf in started {
            let body = self.plans.get_read(&self.engine, &wf.id, wf.revision)?;
            for activity in body
                .activities
                .iter()
                .filter(|a| a.mode != ExecutionMode::Disabled)
            {
                match &activity.config {
                    ActivityConfig::FileTrigger(c) => {
                        folders.push(std::path::PathBuf::from(&c.folder));
                        self.scan_folder(&wf, &body, &activity.id, c, now)?;
                    }
                    ActivityConfig::RecordTrigger(c) => {
                        self.scan_contact_events(&wf, &body, &activity.id, c)?
                    }
                    _ => {}
                }
            }
        }
        self.watch(folders);
        Ok(())
    }

    fn scan_folder(
        &mut self,
        wf: &store::workflows::WorkflowRow,
        body: &WorkflowFile,
        activity_id: &str,
        config: &crate::model::FileTriggerConfig,
        now: Millis,
    ) -> store::Result<()> {
        let Ok(pattern) = glob::Pattern::new(&config.pattern) else {
            return Ok(());
        };
        let Ok(entries) = std::fs::read_dir(&config.folder) else {
            return Ok(());
        };
        let settle = config.settle.as_duration().as_millis() as i64;
        let mut files: Vec<(String, String, i64, i64)> = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if name.starts_with('.') || !pattern.matches(&name) {
                continue;
            }
            let Ok(meta) = entry.metadata() else { continue };
            if !meta.is_file() {
                continue;
            }
            let modified = meta
                .modified()
                .ok()
                .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_millis() as i64)
                .unwrap_or(0);
            // Still being written: wait until it has been quiet for the settle time. File times
            // come from the system clock, so they are compared with it, not the engine's.
            if chrono::Utc::now().timestamp_millis() - modified < settle {
                self.next_trigger_scan = self.next_trigger_scan.min(now + settle.max(200));
                continue;
            }
            files.push((
                entry.path().display().to_string(),
                name,
                meta.len() as i64,
                modified,
            ));
        }
        files.sort();
        for (path, name, size, modified) in files {
            let (wf_id, revision, simulate) = (wf.id.clone(), wf.revision, wf.simulate);
            let params = crate::params::resolve(
                &body.parameters,
                &json!({"file": path, "name": name, "size": size}),
            )
            .unwrap_or_else(|_| json!({"file": path, "name": name, "size": size}));
            self.progress(|p| {
                let seen = SeenFile {
                    workflow_id: &wf_id,
                    activity_id,
                    path: &path,
                    size,
                    modified,
                };
                if !p.tx.record_seen_file(&seen, p.now)? {
                    return Ok(()); // processed before: never twice
                }
                let run = p.create_run(RunRequest {
                    workflow_id: &wf_id,
                    revision: Some(revision),
                    trigger: Trigger::File,
                    trigger_activity: Some(activity_id),
                    params,
                    simulate,
                    restart: None,
                    parent_task: None,
                })?;
                p.tx.set_seen_file_run(&seen, run)?;
                Ok(())
            })?;
        }
        Ok(())
    }

    fn scan_contact_events(
        &mut self,
        wf: &store::workflows::WorkflowRow,
        body: &WorkflowFile,
        activity_id: &str,
        config: &crate::model::RecordTriggerConfig,
    ) -> store::Result<()> {
        let cursor = self
            .engine
            .inner
            .store
            .read(|r| r.trigger_cursor(&wf.id, activity_id))?;
        let Some(cursor) = cursor else {
            // First look since the trigger was armed: start from now, not from history.
            self.engine
                .inner
                .store
                .write(|tx| tx.start_trigger_cursor(&wf.id, activity_id))?;
            return Ok(());
        };
        let kind = match config.event {
            RecordEvent::NewContact => "new_contact",
            RecordEvent::StatusChanged => "status_changed",
        };
        let events = self
            .engine
            .inner
            .store
            .read(|r| r.contact_events_after(cursor, 10_000))?;
        let Some(last) = events.last().map(|e| e.0) else {
            return Ok(());
        };
        let matching: Vec<i64> = events
            .iter()
            .filter(|(_, _, status, _)| config.status.as_deref().is_none_or(|s| s == status))
            .filter(|(_, _, _, event_kind)| event_kind == kind)
            .map(|(_, contact, _, _)| *contact)
            .collect();
        let groups: Vec<Vec<i64>> = if config.batch {
            if matching.is_empty() {
                vec![]
            } else {
                vec![matching]
            }
        } else {
            matching.into_iter().map(|c| vec![c]).collect()
        };
        let (wf_id, revision, simulate) = (wf.id.clone(), wf.revision, wf.simulate);
        let body = body.clone();
        self.progress(|p| {
            p.tx.set_trigger_cursor(&wf_id, activity_id, last)?;
            for ids in groups {
                let given = json!({"contact_ids": ids, "contact_id": ids.first()});
                let params = crate::params::resolve(&body.parameters, &given).unwrap_or(given);
                p.create_run(RunRequest {
                    workflow_id: &wf_id,
                    revision: Some(revision),
                    trigger: Trigger::Record,
                    trigger_activity: Some(activity_id),
                    params,
                    simulate,
                    restart: None,
                    parent_task: None,
                })?;
            }
            Ok(())
        })
    }

    /// Watches trigger folders so a new file wakes the loop at once (scans still run every second).
    fn watch(&mut self, folders: Vec<std::path::PathBuf>) {
        use notify::Watcher;
        let mut folders = folders;
        folders.sort();
        folders.dedup();
        if folders == self.watched {
            return;
        }
        let engine = self.engine.clone();
        let watcher = notify::recommended_watcher(move |_event: notify::Result<notify::Event>| {
            engine.inner.wake.notify_one()
        });
        let Ok(mut watcher) = watcher else {
            tracing::warn!("cannot watch folders; new files are found by the scan every second");
            return;
        };
        for folder in &folders {
            if let Err(e) = watcher.watch(folder, notify::RecursiveMode::NonRecursive) {
                tracing::debug!("not watching {}: {e}", folder.display());
            }
        }
        self.watcher = Some(watcher);
        self.watched = folders;
    }
}

//! Inspecting a task in the debugger: the records that came in and went out of it (counts, a
//! first page, a search), and what a re-run after an edit would reuse.

use crate::contacts::Contact;
use crate::exec::{Engine, Result};
use crate::store::api::SetRef;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The most records one answer holds.
pub const MAX_RECORDS: u32 = 200;

/// Which records of a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RecordSide {
    /// The record sets arriving by the transitions taken into the task.
    Input,
    /// The record sets the task made, on every port.
    Output,
}

/// One record set at a task: where it came from or goes, and its size.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecordSetInfo {
    /// The task that made it.
    #[ts(type = "number")]
    pub task_id: i64,
    /// The activity of that task.
    pub activity_id: String,
    /// Its port.
    pub port: String,
    /// How many records it holds.
    #[ts(type = "number")]
    pub count: i64,
}

/// Records of a task, as the debugger's inspector shows them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TaskRecords {
    /// The task.
    #[ts(type = "number")]
    pub task_id: i64,
    /// Input or output.
    pub side: RecordSide,
    /// The sets, each with its size (a record in two sets counts in each).
    pub sets: Vec<RecordSetInfo>,
    /// Distinct records in all the sets.
    #[ts(type = "number")]
    pub total: i64,
    /// Of those, how many match the search (all of them without one).
    #[ts(type = "number")]
    pub matching: i64,
    /// The first matching records, by id (at most [`MAX_RECORDS`]).
    pub rows: Vec<Contact>,
}

/// Whether a contact matches a search: any word of its email, name, phone, status or tags
/// contains it, without regard to case.
fn matches(contact: &Contact, needle: &str) -> bool {
    let hit = |s: &str| s.to_lowercase().contains(needle);
    hit(&contact.email)
        || hit(&contact.name)
        || hit(&contact.phone)
        || hit(&contact.status)
        || contact.tags.iter().any(|t| hit(t))
}

impl Engine {
    /// The records that arrived at a task (`Input`) or that it made (`Output`): each set with
    /// its size, the number of distinct records, and the first `limit` (at most
    /// [`MAX_RECORDS`]) that match `search`. Input sets are those of the taken transitions into
    /// the task, from the latest task of each source activity in the run.
    pub fn task_records(
        &self,
        task_id: i64,
        side: RecordSide,
        search: Option<&str>,
        limit: u32,
    ) -> Result<TaskRecords> {
        let limit = limit.clamp(1, MAX_RECORDS) as usize;
        let needle = search
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty());
        Ok(self.inner.store.read(|c| {
            let task = c.task(task_id)?;
            let sets: Vec<(i64, String, String)> = match side {
                RecordSide::Output => c
                    .task_ports(task_id)?
                    .into_iter()
                    .map(|port| (task_id, task.activity_id.clone(), port))
                    .collect(),
                RecordSide::Input => {
                    let run = c.run_head(task.run_id)?;
                    let plan = self
                        .inner
                        .plans
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .get(c, &run.workflow_id, run.revision)?;
                    match plan.index(&task.activity_id) {
                        Some(index) => crate::exec::input_sets(c, task.run_id, &plan, index)?
                            .into_iter()
                            .map(|i| (i.task_id, i.from, i.port))
                            .collect(),
                        None => Vec::new(),
                    }
                }
            };
            // Each set is read once: its size, and its members into the distinct union.
            let mut infos = Vec::with_capacity(sets.len());
            let mut union = std::collections::BTreeSet::new();
            for (task_id, activity_id, port) in sets {
                let members = c.set_members(&[SetRef {
                    task_id,
                    port: port.clone(),
                }])?;
                infos.push(RecordSetInfo {
                    task_id,
                    activity_id,
                    port,
                    count: members.len() as i64,
                });
                union.extend(members);
            }
            let ids: Vec<i64> = union.into_iter().collect();
            let total = ids.len() as i64;
            let mut rows = Vec::new();
            let mut matching = 0i64;
            match &needle {
                None => {
                    matching = total;
                    rows = c.contacts_by_ids(&ids[..ids.len().min(limit)])?;
                }
                Some(needle) => {
                    // A search reads every member once, a thousand at a time.
                    for chunk in ids.chunks(1_000) {
                        for contact in c.contacts_by_ids(chunk)? {
                            if matches(&contact, needle) {
                                matching += 1;
                                if rows.len() < limit {
                                    rows.push(contact);
                                }
                            }
                        }
                    }
                }
            }
            rows.sort_by_key(|r| r.id);
            Ok(TaskRecords {
                task_id,
                side,
                sets: infos,
                total,
                matching,
                rows,
            })
        })?)
    }
}

/// What re-running a past run on its workflow's latest revision would do
/// ([`Command::RerunAfterEdit`](crate::Command::RerunAfterEdit)), activity by activity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RerunPreview {
    /// The past run.
    #[ts(type = "number")]
    pub run_id: i64,
    /// Its workflow.
    pub workflow_id: String,
    /// The revision it ran.
    #[ts(type = "number")]
    pub from_revision: i64,
    /// The latest revision, which a re-run runs.
    #[ts(type = "number")]
    pub to_revision: i64,
    /// Activities new or changed since (not only moved or renamed), in file order.
    pub changed: Vec<String>,
    /// Activities whose recorded result a re-run takes instead of running them.
    pub reused: Vec<String>,
    /// Every other activity of the latest revision: it runs again if the run reaches it.
    pub run_again: Vec<String>,
}

impl Engine {
    /// What a re-run of a past run after an edit would reuse and what it would run again —
    /// the same rule the executor applies when the re-run is made.
    pub fn rerun_preview(&self, run_id: i64) -> Result<RerunPreview> {
        Ok(self.inner.store.read(|c| {
            let run = c.run_head(run_id)?;
            let latest = c.workflow_row(&run.workflow_id)?.revision;
            let (old, new) = {
                let mut plans = self.inner.plans.lock().unwrap_or_else(|p| p.into_inner());
                (
                    plans.get(c, &run.workflow_id, run.revision)?,
                    plans.get(c, &run.workflow_id, latest)?,
                )
            };
            let reuse = new.reuse_after_edit(run.revision, &old);
            let mut preview = RerunPreview {
                run_id,
                workflow_id: run.workflow_id.clone(),
                from_revision: run.revision,
                to_revision: latest,
                changed: Vec::new(),
                reused: Vec::new(),
                run_again: Vec::new(),
            };
            for (i, activity) in new.activities.iter().enumerate() {
                if reuse.changed.contains(&i) {
                    preview.changed.push(activity.id.clone());
                }
                let recorded = reuse.reusable.contains(&i)
                    && c.latest_success(run_id, &activity.id)?.is_some();
                if recorded {
                    preview.reused.push(activity.id.clone());
                } else {
                    preview.run_again.push(activity.id.clone());
                }
            }
            Ok(preview)
        })?)
    }
}

//! Workflows: list, read, create (blank, from a body, under a free name), save a revision,
//! rename, duplicate, delete, import a file's text, validate. Names are unique in a store.

use crate::exec::{Engine, Error, Result};
use crate::model::WorkflowFile;
use crate::store::{self, WorkflowSummary};
use crate::validate::{self, Diagnostic};

/// A workflow opened in the designer: its card and its latest revision.
#[derive(Clone, Debug, PartialEq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct WorkflowDetail {
    /// The card.
    pub summary: WorkflowSummary,
    /// The latest revision.
    pub body: WorkflowFile,
}

impl Engine {
    /// A workflow's card with its latest revision.
    pub fn workflow_detail(&self, id: &str) -> Result<WorkflowDetail> {
        let (summary, body) = self.workflow(id)?;
        Ok(WorkflowDetail { summary, body })
    }

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
            .write(|tx| {
                tx.insert_workflow(&id, body, now)?;
                tx.set_revision_origin(&id, 1, self.source(), None)
            })
            .map_err(|e| name_error(e, &body.name))?;
        self.publish(events);
        Ok(self
            .inner
            .store
            .read(|c| self.with_commands(vec![c.workflow_summary(&id)?], c))?
            .remove(0))
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
            body.name = tx.free_name(base, series)?;
            let id = new_workflow_id(&body.name);
            tx.insert_workflow(&id, &body, now)?;
            tx.set_revision_origin(&id, 1, self.source(), None)?;
            Ok(id)
        })?;
        self.publish(events);
        Ok(self
            .inner
            .store
            .read(|c| self.with_commands(vec![c.workflow_summary(&id)?], c))?
            .remove(0))
    }

    /// Saves a new revision, whatever the latest one is (an import, a script, "Overwrite").
    pub fn save_workflow(&self, id: &str, body: &WorkflowFile) -> Result<WorkflowSummary> {
        self.save_workflow_over(id, body, None)
    }

    /// Saves a new revision made from revision `base`: refused with [`Error::StaleRevision`]
    /// when the latest revision is no longer `base` (someone saved in between — another window,
    /// the CLI, another browser), so that nobody overwrites a change they never saw. `None`
    /// saves whatever the latest revision is. The check and the write are one transaction.
    pub fn save_workflow_over(
        &self,
        id: &str,
        body: &WorkflowFile,
        base: Option<i64>,
    ) -> Result<WorkflowSummary> {
        check_name(&body.name)?;
        let now = self.now_ms();
        let (answer, events) = self
            .inner
            .store
            .write(|tx| {
                if let Some(base) = base {
                    let (latest, _) = tx.latest_body(id)?;
                    if latest != base {
                        return Ok(Err(Error::StaleRevision {
                            id: id.to_string(),
                            base,
                            latest,
                        }));
                    }
                }
                let revision = tx.insert_revision(id, body, now)?;
                tx.set_revision_origin(id, revision, self.source(), None)
                    .map(Ok)
            })
            .map_err(|e| name_error(e, &body.name))?;
        answer?;
        self.publish(events);
        Ok(self
            .inner
            .store
            .read(|c| self.with_commands(vec![c.workflow_summary(id)?], c))?
            .remove(0))
    }

    /// The latest revision of a workflow.
    pub fn workflow(&self, id: &str) -> Result<(WorkflowSummary, WorkflowFile)> {
        Ok(self.inner.store.read(|c| {
            let summary = self
                .with_commands(vec![c.workflow_summary(id)?], c)?
                .remove(0);
            let (_, body) = c.latest_body(id)?;
            Ok((summary, body))
        })?)
    }

    /// One revision of a workflow.
    pub fn workflow_revision(&self, id: &str, revision: i64) -> Result<WorkflowFile> {
        Ok(self.inner.store.read(|c| c.revision_body(id, revision))?)
    }

    /// Every workflow's card.
    pub fn list_workflows(&self) -> Result<Vec<WorkflowSummary>> {
        Ok(self
            .inner
            .store
            .read(|c| self.with_commands(c.list_workflows()?, c))?)
    }

    /// Fills each card's toolbar commands: whether each applies now, and why not — from the
    /// rule the engine applies them by ([`crate::command::check`]).
    pub(crate) fn with_commands(
        &self,
        mut summaries: Vec<WorkflowSummary>,
        conn: &dyn store::StoreRead,
    ) -> store::Result<Vec<WorkflowSummary>> {
        let active = conn.active_run_counts()?;
        let mut plans = self.inner.plans.lock().unwrap_or_else(|p| p.into_inner());
        for summary in &mut summaries {
            let valid = plans
                .get(conn, &summary.id, summary.revision)
                .map(|plan| plan.errors().is_empty())
                .unwrap_or(false);
            let situation = crate::command::Situation {
                state: summary.state,
                active_runs: active.get(&summary.id).copied().unwrap_or(0),
                valid,
            };
            summary.commands = crate::command::availability(&situation);
        }
        Ok(summaries)
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

    /// Saves `body` (given as JSON, as the editor holds it) as a new workflow beside `id`, under
    /// the first free name of "Name (copy)", "Name (copy 2)"… from the body's name: the editor's
    /// "Save as a copy" when `id` changed behind its back. `id` must exist.
    pub fn duplicate_workflow_as(
        &self,
        id: &str,
        body: serde_json::Value,
    ) -> Result<WorkflowSummary> {
        let body = crate::load::from_value(body)?;
        self.inner.store.read(|c| c.workflow_summary(id))?;
        let base = match body.name.trim() {
            "" => UNTITLED,
            name => name,
        };
        check_name(base)?;
        self.insert_with_free_name(&body, base, store::workflows::NameSeries::Copy)
    }

    /// Deletes a workflow with its history; refused while it has runs in progress.
    pub fn delete_workflow(&self, id: &str) -> Result<()> {
        let active = self.inner.store.read(|c| c.active_runs(id))?;
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

    /// Every problem of a workflow given as JSON (from the editor): a body that does not even
    /// load is one diagnostic with the loader's code and JSON path.
    pub fn validate_value(&self, body: serde_json::Value) -> Vec<Diagnostic> {
        match crate::load::from_value(body) {
            Ok(body) => validate::validate(&body),
            Err(e) => vec![e.to_diagnostic()],
        }
    }

    /// Saves a new revision of a workflow given as JSON; with `activate` ("Save as Active"),
    /// also queues Start to arm its triggers. With `base`, the revision the editor started from,
    /// a save over a newer revision is refused (see [`Engine::save_workflow_over`]). Returns its
    /// card.
    pub fn save_workflow_value(
        &self,
        id: &str,
        body: serde_json::Value,
        activate: bool,
        base: Option<i64>,
    ) -> Result<WorkflowSummary> {
        let body = crate::load::from_value(body)?;
        let saved = self.save_workflow_over(id, &body, base)?;
        if activate {
            self.send(Some(id), crate::command::Command::Start)?;
        }
        Ok(saved)
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
        let (answer, events) =
            self.inner
                .store
                .write(|tx| match tx.workflow_id_by_name(&body.name)? {
                    Some(id) => {
                        let (_, current) = tx.latest_body(&id)?;
                        if current != *body {
                            if !replace_same_name {
                                return Ok(Err(Error::NameTaken {
                                    name: body.name.clone(),
                                }));
                            }
                            let revision = tx.insert_revision(&id, body, now)?;
                            tx.set_revision_origin(
                                &id,
                                revision,
                                self.source(),
                                Some("imported from a file"),
                            )?;
                        }
                        Ok(Ok(id))
                    }
                    None => {
                        let id = new_workflow_id(&body.name);
                        tx.insert_workflow(&id, body, now)?;
                        tx.set_revision_origin(
                            &id,
                            1,
                            self.source(),
                            Some("imported from a file"),
                        )?;
                        Ok(Ok(id))
                    }
                })?;
        self.publish(events);
        let id = answer?;
        Ok(self
            .inner
            .store
            .read(|c| self.with_commands(vec![c.workflow_summary(&id)?], c))?
            .remove(0))
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
    if error.is_name_conflict() {
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

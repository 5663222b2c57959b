//! Templates: the gallery (shipped templates, then the user's, by folder), saving a workflow as
//! a template into a folder, and a new workflow from a template. Templates are `*.weft.json`
//! files (see [`crate::templates`]), so they can be shared as files.

use crate::exec::{Engine, Result};
use crate::store::WorkflowSummary;
use crate::templates::TemplateInfo;
use crate::WorkflowFile;

impl Engine {
    /// Every readable template: shipped first, each group by folder then name. A file that does
    /// not load is left out (with a warning in the log) rather than hiding the others.
    pub fn templates(&self) -> Vec<TemplateInfo> {
        self.inner.options.templates.list()
    }

    /// The template with this id (`shipped:PATH` or `user:PATH`).
    pub fn template(&self, id: &str) -> Result<TemplateInfo> {
        Ok(self.inner.options.templates.get(id)?)
    }

    /// Saves a workflow's latest revision as a user template in `folder` (created when new, one
    /// plain name), named `name` when given, else after the workflow. Never overwrites a file.
    pub fn save_as_template(
        &self,
        workflow_id: &str,
        folder: &str,
        name: Option<&str>,
    ) -> Result<TemplateInfo> {
        let (_, mut body) = self.workflow(workflow_id)?;
        if let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) {
            body.name = name.to_string();
        }
        Ok(self.inner.options.templates.save(&body, folder)?)
    }

    /// A new workflow: a copy of a template (or blank, Start → Finish, without one). With a
    /// blank `name` it gets a free name after the template ("Daily report (2)") or "Untitled
    /// workflow"; a name given is taken as it is, or refused when another workflow bears it.
    pub fn new_workflow(&self, name: &str, template: Option<&str>) -> Result<WorkflowSummary> {
        let mut body = match template.filter(|t| !t.is_empty()) {
            Some(id) => self.template(id)?.body,
            None => WorkflowFile::new_blank(""),
        };
        if name.trim().is_empty() {
            return self.create_workflow_with_free_name(&body);
        }
        body.name = name.trim().to_string();
        self.create_workflow(&body)
    }
}

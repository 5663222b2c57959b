//! A cache of parsed workflow revisions (revisions never change once saved).

use crate::model::WorkflowFile;
use crate::store::{workflows, Result};
use rusqlite::Connection;
use std::collections::HashMap;
use std::sync::Arc;

/// Parsed revisions by (workflow, revision).
#[derive(Default, Debug)]
pub struct BodyCache {
    bodies: HashMap<(String, i64), Arc<WorkflowFile>>,
}

impl BodyCache {
    /// The parsed body of a revision, read once.
    pub fn get(
        &mut self,
        conn: &Connection,
        workflow_id: &str,
        revision: i64,
    ) -> Result<Arc<WorkflowFile>> {
        if let Some(body) = self.bodies.get(&(workflow_id.to_string(), revision)) {
            return Ok(body.clone());
        }
        let body = Arc::new(workflows::revision_body(conn, workflow_id, revision)?);
        self.bodies
            .insert((workflow_id.to_string(), revision), body.clone());
        Ok(body)
    }

    /// Forgets a deleted workflow.
    pub fn forget(&mut self, workflow_id: &str) {
        self.bodies.retain(|(w, _), _| w != workflow_id);
    }
}

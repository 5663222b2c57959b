//! A saved revision, parsed once and indexed for the executor: activities by id, transitions by
//! source and target, and which earlier tasks each activity's expressions read. Every lookup the
//! progression makes per step is O(1) or O(degree), so a step costs the same in a 10,000-activity
//! workflow as in a ten-activity one.

use crate::model::{Activity, Role, Transition, WorkflowFile};
use crate::store::Result;
use crate::store::StoreRead;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

/// Which earlier tasks an activity's templates and conditions read through `tasks.ID`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TaskRefs {
    /// These activities' latest results (often none).
    Some(Vec<String>),
    /// Every activity's: the expressions use `tasks` in a way a static reading cannot narrow
    /// (`tasks[name]`, a loop over `tasks`).
    All,
}

/// A parsed, indexed revision. Dereferences to its [`WorkflowFile`].
#[derive(Debug)]
pub struct Plan {
    body: WorkflowFile,
    by_id: HashMap<String, usize>,
    outgoing: Vec<Vec<usize>>,
    incoming: Vec<Vec<usize>>,
    task_refs: Vec<TaskRefs>,
    start: Option<usize>,
    upstream: Mutex<HashMap<usize, Arc<HashSet<usize>>>>,
    reuse_after: Mutex<HashMap<i64, Arc<super::rerun::ReuseAfterEdit>>>,
    errors: OnceLock<Vec<crate::validate::Diagnostic>>,
}

impl std::ops::Deref for Plan {
    type Target = WorkflowFile;
    fn deref(&self) -> &WorkflowFile {
        &self.body
    }
}

impl Plan {
    /// Indexes a body.
    pub fn new(body: WorkflowFile) -> Self {
        let mut by_id = HashMap::with_capacity(body.activities.len());
        for (i, a) in body.activities.iter().enumerate() {
            // The first of duplicate ids wins, as `WorkflowFile::activity` did (validation
            // refuses such files before they run).
            by_id.entry(a.id.clone()).or_insert(i);
        }
        let mut outgoing = vec![Vec::new(); body.activities.len()];
        let mut incoming = vec![Vec::new(); body.activities.len()];
        for (i, t) in body.transitions.iter().enumerate() {
            if let Some(&from) = by_id.get(&t.from) {
                outgoing[from].push(i);
            }
            if let Some(&to) = by_id.get(&t.to) {
                incoming[to].push(i);
            }
        }
        let task_refs = body.activities.iter().map(task_refs_of).collect();
        let start = body.activities.iter().position(|a| a.role() == Role::Start);
        Self {
            body,
            by_id,
            outgoing,
            incoming,
            task_refs,
            start,
            upstream: Mutex::new(HashMap::new()),
            reuse_after: Mutex::new(HashMap::new()),
            errors: OnceLock::new(),
        }
    }

    /// The revision's validation errors (warnings left out), found once.
    pub fn errors(&self) -> &[crate::validate::Diagnostic] {
        self.errors.get_or_init(|| {
            crate::validate::validate(&self.body)
                .into_iter()
                .filter(|d| d.severity == crate::validate::Severity::Error)
                .collect()
        })
    }

    /// The body.
    pub fn body(&self) -> &WorkflowFile {
        &self.body
    }

    /// The index of an activity.
    pub fn index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The activity with this id.
    pub fn activity(&self, id: &str) -> Option<&Activity> {
        self.index(id).map(|i| &self.body.activities[i])
    }

    /// The activity at an index.
    pub fn at(&self, index: usize) -> &Activity {
        &self.body.activities[index]
    }

    /// The Start activity.
    pub fn start(&self) -> Option<usize> {
        self.start
    }

    /// Transitions leaving an activity, in file order.
    pub fn outgoing(&self, index: usize) -> impl Iterator<Item = &Transition> {
        self.outgoing[index]
            .iter()
            .map(|&t| &self.body.transitions[t])
    }

    /// The `n`th transition leaving an activity.
    pub fn outgoing_nth(&self, index: usize, n: usize) -> Option<&Transition> {
        self.outgoing[index]
            .get(n)
            .map(|&t| &self.body.transitions[t])
    }

    /// Transitions arriving at an activity.
    pub fn incoming(&self, index: usize) -> impl Iterator<Item = &Transition> {
        self.incoming[index]
            .iter()
            .map(|&t| &self.body.transitions[t])
    }

    /// How many transitions arrive at an activity.
    pub fn incoming_count(&self, index: usize) -> usize {
        self.incoming[index].len()
    }

    /// Whether an activity has a transition leaving by `port`.
    pub fn has_exit(&self, index: usize, port: &str) -> bool {
        self.outgoing(index).any(|t| t.port == port)
    }

    /// Which earlier tasks an activity's expressions read.
    pub fn task_refs(&self, index: usize) -> &TaskRefs {
        &self.task_refs[index]
    }

    /// Whether `activity` is strictly upstream of `target` (a path leads from it to `target`).
    /// Computed once per target (iteratively) and kept.
    pub fn is_upstream(&self, activity: usize, target: usize) -> bool {
        let set = {
            let mut cache = self.upstream.lock().unwrap_or_else(|p| p.into_inner());
            cache
                .entry(target)
                .or_insert_with(|| Arc::new(self.ancestors(target)))
                .clone()
        };
        set.contains(&activity)
    }

    /// What a re-run of a run of revision `old_revision` (parsed as `old`) on this revision
    /// reuses. Computed once per earlier revision and kept.
    pub fn reuse_after_edit(
        &self,
        old_revision: i64,
        old: &Plan,
    ) -> Arc<super::rerun::ReuseAfterEdit> {
        let mut cache = self.reuse_after.lock().unwrap_or_else(|p| p.into_inner());
        cache
            .entry(old_revision)
            .or_insert_with(|| Arc::new(super::rerun::reuse_after_edit(old, self)))
            .clone()
    }

    fn ancestors(&self, target: usize) -> HashSet<usize> {
        let mut seen = HashSet::new();
        let mut stack = vec![target];
        while let Some(i) = stack.pop() {
            for t in self.incoming(i) {
                if let Some(from) = self.index(&t.from) {
                    if seen.insert(from) {
                        stack.push(from);
                    }
                }
            }
        }
        seen.remove(&target);
        seen
    }
}

/// Reads every template and condition of an activity's configuration for `tasks.ID` lookups.
fn task_refs_of(activity: &Activity) -> TaskRefs {
    let config = serde_json::to_value(&activity.config).unwrap_or_default();
    let mut texts = Vec::new();
    collect_strings(&config, &mut texts);
    let mut names = HashSet::new();
    for text in texts {
        if !text.contains("tasks") {
            continue;
        }
        match crate::expr::referenced_tasks(text) {
            Some(found) => names.extend(found),
            None => return TaskRefs::All,
        }
    }
    let mut names: Vec<String> = names.into_iter().collect();
    names.sort();
    TaskRefs::Some(names)
}

fn collect_strings<'a>(value: &'a serde_json::Value, out: &mut Vec<&'a str>) {
    // Configurations are shallow; an explicit stack keeps this safe on any input anyway.
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::String(s) => out.push(s),
            serde_json::Value::Array(items) => stack.extend(items),
            serde_json::Value::Object(map) => stack.extend(map.values()),
            _ => {}
        }
    }
}

/// Parsed revisions by (workflow, revision); revisions never change once saved. Bounded: the
/// least recently used revisions are dropped beyond [`PlanCache::CAPACITY`].
#[derive(Default, Debug)]
pub struct PlanCache {
    plans: HashMap<(String, i64), (Arc<Plan>, u64)>,
    tick: u64,
}

impl PlanCache {
    /// How many revisions are kept parsed.
    pub const CAPACITY: usize = 256;

    /// The plan of a revision, read and indexed once.
    pub fn get(
        &mut self,
        conn: &dyn StoreRead,
        workflow_id: &str,
        revision: i64,
    ) -> Result<Arc<Plan>> {
        self.tick += 1;
        let key = (workflow_id.to_string(), revision);
        if let Some((plan, used)) = self.plans.get_mut(&key) {
            *used = self.tick;
            return Ok(plan.clone());
        }
        let plan = Arc::new(Plan::new(conn.revision_body(workflow_id, revision)?));
        if self.plans.len() >= Self::CAPACITY {
            if let Some(oldest) = self
                .plans
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone())
            {
                self.plans.remove(&oldest);
            }
        }
        self.plans.insert(key, (plan.clone(), self.tick));
        Ok(plan)
    }

    /// Forgets a deleted workflow.
    pub fn forget(&mut self, workflow_id: &str) {
        self.plans.retain(|(w, _), _| w != workflow_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn plan(activities: serde_json::Value, transitions: serde_json::Value) -> Plan {
        let body = crate::load::from_value(json!({
            "format": 1, "name": "p", "activities": activities, "transitions": transitions
        }))
        .expect("loads");
        Plan::new(body)
    }

    #[test]
    fn expressions_are_read_for_the_tasks_they_name() {
        let p = plan(
            json!([
                {"id": "start", "kind": "start"},
                {"id": "a", "kind": "set_variables", "config": {"variables": {"x": "{{ tasks.q.recordCount + tasks.r.result.n }}", "y": "{{ params.p }}"}}},
                {"id": "b", "kind": "set_variables", "config": {"variables": {"x": "{{ tasks[params.which].result }}"}}},
                {"id": "c", "kind": "condition", "config": {"expression": "vars.n > 2"}},
                {"id": "finish", "kind": "finish"}
            ]),
            json!([]),
        );
        assert_eq!(
            p.task_refs(1),
            &TaskRefs::Some(vec!["q".into(), "r".into()])
        );
        assert_eq!(p.task_refs(2), &TaskRefs::All);
        assert_eq!(p.task_refs(3), &TaskRefs::Some(vec![]));
    }

    #[test]
    fn upstream_is_found_without_recursion_on_a_long_chain() {
        let n = 50_000;
        let mut activities = vec![json!({"id": "start", "kind": "start"})];
        let mut transitions = Vec::new();
        let mut prev = "start".to_string();
        for i in 0..n {
            let id = format!("s{i}");
            activities
                .push(json!({"id": id, "kind": "set_variables", "config": {"variables": {}}}));
            transitions.push(json!({"from": prev, "to": id}));
            prev = id;
        }
        let p = plan(json!(activities), json!(transitions));
        let last = p.index(&format!("s{}", n - 1)).expect("last");
        assert!(p.is_upstream(0, last));
        assert!(!p.is_upstream(last, 0));
    }
}

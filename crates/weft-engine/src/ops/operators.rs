//! Operators of a team server and what they may do: `weft operators add NAME --group marketing
//! --can list,run,update,approve`. A token of the HTTP bridge may belong to an operator; every
//! operation a front door performs for a caller is checked here against the caller's
//! capabilities ([`Engine::authorize`]), and an approval is answered only by a member of its
//! group ([`Engine::authorize_command`]) and offered only to them
//! ([`Engine::open_approvals_for`]). On a private store nobody is an operator: the local user
//! (the desktop app, the CLI, a token made without `--operator`) holds every capability.

use crate::command::Command;
use crate::exec::Engine;
use crate::ops::error::ApiError;
use crate::store::tokens::{Operator, TokenInfo};
use crate::store::{self, ApprovalRecord, Capability};
use serde_json::json;

/// Why an operator operation, or an operation for an operator, was refused.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// WEFT-A004: the caller's operator lacks the capability the operation needs.
    #[error("WEFT-A004 operator {operator:?} may not {operation}: it needs the {capability:?} capability (`weft operators add {operator} --can …`)")]
    Missing {
        /// The operator.
        operator: String,
        /// The operation (`save_workflow`, `approve`).
        operation: String,
        /// What it needs.
        capability: String,
    },
    /// WEFT-A005: an approval is answered only by a member of its group.
    #[error("WEFT-A005 operator {operator:?} is not in the group {group:?} this approval asks")]
    NotInGroup {
        /// The operator.
        operator: String,
        /// The approval's group.
        group: String,
    },
    /// WEFT-A014: an operator already bears this name.
    #[error("WEFT-A014 an operator named {name:?} already exists")]
    NameTaken {
        /// The name.
        name: String,
    },
    /// WEFT-A015: what was given cannot make an operator.
    #[error("WEFT-A015 {what}: {reason}")]
    Bad {
        /// What was wrong (`name "a b"`, `capability "fly"`).
        what: String,
        /// Why.
        reason: String,
    },
    /// WEFT-A016: no operator bears this name.
    #[error("WEFT-A016 no operator is named {name:?}")]
    NotFound {
        /// The name.
        name: String,
    },
    /// The store failed (its own code).
    #[error(transparent)]
    Store(#[from] store::Error),
}

impl Error {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Missing { .. } => "WEFT-A004",
            Self::NotInGroup { .. } => "WEFT-A005",
            Self::NameTaken { .. } => "WEFT-A014",
            Self::Bad { .. } => "WEFT-A015",
            Self::NotFound { .. } => "WEFT-A016",
            Self::Store(e) => e.code(),
        }
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        if let Error::Store(inner) = e {
            return inner.into();
        }
        let code = e.code();
        let details = match &e {
            Error::Missing {
                operator,
                capability,
                ..
            } => json!({"operator": operator, "capability": capability}),
            Error::NotInGroup { operator, group } => json!({"operator": operator, "group": group}),
            _ => serde_json::Value::Null,
        };
        let text = e.to_string();
        let message = text.strip_prefix(code).unwrap_or(&text).trim_start();
        ApiError::new(code, message).with_details(details)
    }
}

/// Who a front door acts for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    /// The store's own user: the desktop app, the CLI, a token made without an operator.
    Owner,
    /// An operator of a team server, as stored when the request came.
    Operator(Operator),
}

impl Principal {
    /// The operator's name (`None` for the owner).
    pub fn name(&self) -> Option<&str> {
        match self {
            Self::Owner => None,
            Self::Operator(o) => Some(&o.name),
        }
    }
}

/// What the caller of a front door may do, so that a client offers only that (the engine
/// checks every operation again whatever a client offers).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// The operator the caller acts as; `None` for the store's owner.
    pub operator: Option<String>,
    /// The groups whose approvals the caller answers (empty for the owner, who answers all).
    pub groups: Vec<String>,
    /// What the caller may do, in the order of [`Capability::ALL`].
    pub capabilities: Vec<Capability>,
    /// True for a read-only token: commands and edits are refused whatever the operator holds.
    pub read_only: bool,
}

impl Principal {
    /// What this caller may do, with a token that is read-only or not.
    pub fn session(&self, read_only: bool) -> Session {
        let (operator, groups, held) = match self {
            Self::Owner => (None, Vec::new(), Capability::ALL.to_vec()),
            Self::Operator(op) => (
                Some(op.name.clone()),
                op.groups.clone(),
                op.capabilities.clone(),
            ),
        };
        let capabilities = held
            .into_iter()
            .filter(|c| !read_only || *c == Capability::List)
            .collect();
        Session {
            operator,
            groups,
            capabilities,
            read_only,
        }
    }
}

/// The capability an operation of the front doors needs (their shared names: the desktop
/// shell's commands, the HTTP bridge's routes). `None` for a name no front door uses, which
/// [`Engine::authorize`] refuses. Sending a command needs only `list` here: each command is
/// checked by [`Engine::authorize_command`].
pub fn capability_for(operation: &str) -> Option<Capability> {
    Some(match operation {
        "list_workflows" | "get_workflow" | "export_workflow" | "workflow_overview"
        | "validate_workflow" | "activity_catalog" | "render_picture" | "list_templates"
        | "wait_command" | "list_runs" | "get_run" | "run_tasks" | "run_logs" | "run_edges"
        | "task_attempts" | "open_approvals" | "list_schedulers" | "store_status"
        | "events_after" | "weft://event" | "get_breakpoints" | "list_revisions"
        | "get_revision" | "diff_revisions" | "debug_view" | "task_records" | "rerun_preview"
        | "run_timeline" | "list_contacts" | "count_contacts" | "export_contacts"
        | "session_info" => Capability::List,
        // The door to commands: each command is checked by `authorize_command` (`run`, or
        // `approve` and the group for an answer).
        "send_command" => Capability::List,
        "create_workflow" | "save_workflow" | "delete_workflow" | "rename_workflow"
        | "duplicate_workflow" | "import_workflow" | "save_as_template" | "set_breakpoints"
        | "restore_revision" | "import_contacts" | "demo_contacts" | "update_contact" => {
            Capability::Update
        }
        _ => return None,
    })
}

/// Refuses names that cannot be an operator's or a group's: 1 to 64 letters, digits, `.`, `_`
/// or `-`.
fn check_word(kind: &str, word: &str) -> Result<(), Error> {
    let plain = !word.is_empty()
        && word.chars().count() <= 64
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if plain {
        Ok(())
    } else {
        Err(Error::Bad {
            what: format!("{kind} {:?}", word.chars().take(64).collect::<String>()),
            reason: "1 to 64 letters, digits, '.', '_' or '-'".into(),
        })
    }
}

/// Parses `list,run,update,approve` (any order, spaces allowed) into capabilities in their
/// canonical order.
pub fn parse_capabilities(text: &str) -> Result<Vec<Capability>, Error> {
    let mut found = Vec::new();
    for word in text.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        let c = Capability::parse(word).ok_or_else(|| Error::Bad {
            what: format!("capability {word:?}"),
            reason: "one of list, run, update, approve".into(),
        })?;
        found.push(c);
    }
    Ok(Capability::ALL
        .iter()
        .copied()
        .filter(|c| found.contains(c))
        .collect())
}

impl Engine {
    /// Adds an operator with groups and capabilities (and an email address for the approval
    /// requests of their groups).
    pub fn add_operator(
        &self,
        name: &str,
        email: Option<&str>,
        groups: &[String],
        capabilities: Vec<Capability>,
    ) -> Result<Operator, Error> {
        check_word("operator name", name)?;
        let mut groups: Vec<String> = groups.iter().map(|g| g.trim().to_string()).collect();
        for g in &groups {
            check_word("group", g)?;
        }
        groups.sort();
        groups.dedup();
        let email = email.map(str::trim).filter(|e| !e.is_empty());
        if let Some(e) = email {
            if !crate::contacts::valid_email(e) {
                return Err(Error::Bad {
                    what: format!("email {e:?}"),
                    reason: "not an email address".into(),
                });
            }
        }
        let operator = Operator {
            name: name.to_string(),
            email: email.map(str::to_string),
            groups,
            capabilities,
            created_at: self.now_ms(),
        };
        let (inserted, _) = self.inner.store.write(|tx| tx.insert_operator(&operator))?;
        if !inserted {
            return Err(Error::NameTaken { name: name.into() });
        }
        Ok(operator)
    }

    /// Every operator, by name.
    pub fn list_operators(&self) -> Result<Vec<Operator>, Error> {
        Ok(self.inner.store.read(|r| r.operators())?)
    }

    /// Removes an operator and revokes every token of theirs, at once.
    pub fn remove_operator(&self, name: &str) -> Result<(), Error> {
        let (deleted, _) = self.inner.store.write(|tx| tx.delete_operator(name))?;
        if deleted {
            Ok(())
        } else {
            Err(Error::NotFound { name: name.into() })
        }
    }

    /// Who a live token acts for: its operator as stored now, or the owner. A token whose
    /// operator is gone acts for nobody (`None`).
    pub fn principal(&self, token: &TokenInfo) -> Result<Option<Principal>, Error> {
        match &token.operator {
            None => Ok(Some(Principal::Owner)),
            Some(name) => Ok(self
                .inner
                .store
                .read(|r| r.operator(name))?
                .map(Principal::Operator)),
        }
    }

    /// Whether the caller may perform an operation (by its front-door name).
    pub fn authorize(&self, who: &Principal, operation: &str) -> Result<(), Error> {
        let Principal::Operator(op) = who else {
            return Ok(());
        };
        match capability_for(operation) {
            Some(c) if op.can(c) => Ok(()),
            needed => Err(Error::Missing {
                operator: op.name.clone(),
                operation: operation.to_string(),
                capability: needed.map_or("unknown", |c| c.as_str()).to_string(),
            }),
        }
    }

    /// Checks a command for the caller and returns it as it is to be queued: Approve and
    /// Reject need the `approve` capability and membership of the approval's group, and are
    /// signed with the operator's name (whatever `by` said); every other command needs `run`.
    pub fn authorize_command(&self, who: &Principal, command: Command) -> Result<Command, Error> {
        let Principal::Operator(op) = who else {
            return Ok(command);
        };
        let missing = |operation: &str, c: Capability| Error::Missing {
            operator: op.name.clone(),
            operation: operation.to_string(),
            capability: c.as_str().to_string(),
        };
        let approve = matches!(command, Command::Approve { .. });
        match command {
            Command::Approve {
                task_id, comment, ..
            }
            | Command::Reject {
                task_id, comment, ..
            } => {
                if !op.can(Capability::Approve) {
                    return Err(missing(
                        if approve { "approve" } else { "reject" },
                        Capability::Approve,
                    ));
                }
                // An unknown task is answered by the command itself (refused, not found).
                if let Some(a) = self.inner.store.read(|r| r.approval(task_id))? {
                    if !op.groups.contains(&a.group) {
                        return Err(Error::NotInGroup {
                            operator: op.name.clone(),
                            group: a.group,
                        });
                    }
                }
                Ok(Command::answer(
                    approve,
                    task_id,
                    comment,
                    Some(op.name.clone()),
                ))
            }
            other if op.can(Capability::Run) => Ok(other),
            other => Err(missing(other.name(), Capability::Run)),
        }
    }

    /// The approvals waiting that the caller is asked to answer: all of them for the owner,
    /// those of their groups for an operator.
    pub fn open_approvals_for(
        &self,
        who: &Principal,
        workflow_id: Option<&str>,
    ) -> crate::exec::Result<Vec<ApprovalRecord>> {
        let all = self.open_approvals(workflow_id)?;
        Ok(match who {
            Principal::Owner => all,
            Principal::Operator(op) => all
                .into_iter()
                .filter(|a| op.groups.contains(&a.group))
                .collect(),
        })
    }

    /// The operators of a group who have an email address (approval requests go to them).
    pub fn group_addresses(&self, group: &str) -> Result<Vec<(String, String)>, Error> {
        Ok(self
            .list_operators()?
            .into_iter()
            .filter(|o| o.groups.iter().any(|g| g == group))
            .filter_map(|o| o.email.map(|e| (o.name, e)))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn capabilities_parse_in_any_order_and_refuse_unknown_words() {
        assert_eq!(
            parse_capabilities(" approve,list , run").unwrap(),
            vec![Capability::List, Capability::Run, Capability::Approve]
        );
        assert_eq!(parse_capabilities("").unwrap(), vec![]);
        let err = parse_capabilities("list,fly").unwrap_err();
        assert_eq!(err.code(), "WEFT-A015");
    }

    #[test]
    fn every_write_needs_update_and_reads_need_list() {
        assert_eq!(capability_for("save_workflow"), Some(Capability::Update));
        assert_eq!(capability_for("get_run"), Some(Capability::List));
        assert_eq!(capability_for("send_command"), Some(Capability::List));
        assert_eq!(capability_for("no_such_thing"), None);
    }

    #[test]
    fn a_session_says_what_the_caller_may_do_and_a_read_only_token_only_reads() {
        let owner = Principal::Owner.session(false);
        assert_eq!(owner.operator, None);
        assert_eq!(owner.capabilities, Capability::ALL.to_vec());
        assert_eq!(
            Principal::Owner.session(true).capabilities,
            vec![Capability::List]
        );
        let ana = Principal::Operator(Operator {
            name: "ana".into(),
            email: None,
            groups: vec!["marketing".into()],
            capabilities: vec![Capability::List, Capability::Approve],
            created_at: 0,
        });
        let session = ana.session(false);
        assert_eq!(session.operator.as_deref(), Some("ana"));
        assert_eq!(session.groups, vec!["marketing".to_string()]);
        assert_eq!(
            session.capabilities,
            vec![Capability::List, Capability::Approve]
        );
        assert!(!session.read_only);
        let read_only = ana.session(true);
        assert_eq!(read_only.capabilities, vec![Capability::List]);
        assert!(read_only.read_only);
    }
}

//! The operations API: every read and write the front doors need — the `weft` CLI, the desktop
//! shell, the HTTP bridge — as methods of [`Engine`](crate::Engine), grouped by resource, with
//! typed inputs and outputs and keyset pages. Front doors call these and hold no rule of their
//! own; nothing outside the engine reaches into the store.
//!
//! - [`workflows`]: list, read, create, save, rename, duplicate, delete, import, validate.
//! - [`revisions`]: a workflow's revisions, the diff of two, restoring one.
//! - [`templates`]: the template gallery, save as template, new workflow from a template.
//! - [`commands`]: queue, submit, wait for outcomes.
//! - [`runs`]: the history, a run, its tasks, attempts, logs, transitions; schedule firings.
//! - [`schedulers`]: the Schedulers view — schedules in words, next fire times, last runs —
//!   and a workflow's overview.
//! - [`approvals`]: those waiting, answering one.
//! - [`debug`]: breakpoints beside a workflow, what a debug run is paused at.
//! - [`inspect`]: a task's input and output records; what a re-run after an edit reuses.
//! - [`contacts`]: the local contacts database — pages, import, export, demo data, edits.
//! - [`events`]: numbered events after a number; live following is [`crate::exec::follow`].
//! - [`status`]: who executes the store.
//! - [`tokens`]: access tokens of the HTTP bridge — make, list, revoke, check.
//! - [`operators`]: operators of a team server, their groups and capabilities; checking an
//!   operation or a command for a caller.
//! - [`error`]: the one error shape front doors answer with.

pub mod approvals;
pub mod commands;
pub mod contacts;
pub mod debug;
pub mod error;
pub mod events;
pub mod inspect;
pub mod operators;
pub mod revisions;
pub mod runs;
pub mod schedulers;
pub mod status;
pub mod templates;
pub mod tokens;
pub mod workflows;

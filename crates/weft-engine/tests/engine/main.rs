//! Integration tests of the engine over real SQLite files, real child processes and a real HTTP
//! server on 127.0.0.1. Modules mirror the features they test.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::type_complexity,
    missing_docs
)]

mod support;

mod approvals;
mod commands;
mod conformance;
mod data;
mod debug;
mod events;
mod flow;
mod format;
mod generated;
mod inspect;
mod processes;
mod recovery;
mod revisions;
mod schedulers;
mod scheduling;
mod store;
mod subworkflows;
mod templates;
mod timeline;
mod tokens;
mod triggers;
mod validation;
mod workflows;

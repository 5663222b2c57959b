//! The HTTP bridge against a real server on 127.0.0.1, with a real store and real tokens:
//! what every door refuses (security), and that each route reaches its engine operation.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod operators;
mod routes;
mod security;
mod support;

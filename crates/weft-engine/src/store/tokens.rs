//! Access tokens of the HTTP bridge, as the store holds them: a name, the public id that finds
//! the token, and the SHA-256 of its secret — never the secret itself, which is shown once when
//! the token is made ([`crate::ops::tokens`]). Read and written through
//! [`TokenReads`](super::api::TokenReads) and [`TokenWrites`](super::api::TokenWrites).

use super::Millis;
use serde::Serialize;

/// A token as listed: what it may do and since when, never its secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenInfo {
    /// The name it was made under (unique in a store).
    pub name: String,
    /// True when it may only read: commands and edits are refused with it.
    pub read_only: bool,
    /// When it was made (ms since the epoch).
    pub created_at: Millis,
}

/// A stored token found by its public id, with the hash its secret must match.
#[derive(Clone, Debug)]
pub struct StoredToken {
    /// What the token is.
    pub info: TokenInfo,
    /// SHA-256 of its secret.
    pub hash: Vec<u8>,
}

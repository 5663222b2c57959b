//! Access tokens of the HTTP bridge: make one (its text is returned once, only a hash is kept),
//! list them, revoke one, and check the token a request bears.
//!
//! A token reads `weft_<id>_<secret>`: `id` (12 hex digits) is public and finds the row in one
//! indexed look-up; `secret` (64 hex digits, 256 random bits from the operating system) is
//! stored only as its SHA-256 and compared in constant time. A plain hash suffices — a slow one
//! (bcrypt, argon2) protects guessable passwords, while a 256-bit random secret cannot be
//! guessed — and it keeps the work a bad request costs small and fixed: a length check, one
//! look-up, one hash.

use crate::exec::Engine;
use crate::ops::error::ApiError;
use crate::store::{self, tokens::TokenInfo};
use serde_json::json;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The prefix of every token (lets secret scanners and people recognise one).
pub const PREFIX: &str = "weft_";
/// Hex digits of a token's public id.
const ID_HEX: usize = 12;
/// Hex digits of a token's secret.
const SECRET_HEX: usize = 64;
/// The length of every token's text.
pub const TOKEN_LEN: usize = PREFIX.len() + ID_HEX + 1 + SECRET_HEX;
/// The longest token name.
pub const MAX_NAME_CHARS: usize = 64;

/// Why a token operation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// WEFT-A010: a token already bears this name.
    #[error(
        "WEFT-A010 a token named {name:?} already exists; revoke it first or choose another name"
    )]
    NameTaken {
        /// The name.
        name: String,
    },
    /// WEFT-A011: the name cannot be a token's.
    #[error("WEFT-A011 {name:?} is not a token name: {reason}")]
    BadName {
        /// The name (shortened when long).
        name: String,
        /// Why.
        reason: String,
    },
    /// WEFT-A012: no token bears this name.
    #[error("WEFT-A012 no token is named {name:?}")]
    NotFound {
        /// The name.
        name: String,
    },
    /// WEFT-A016: a token is made for an operator who does not exist.
    #[error("WEFT-A016 no operator is named {name:?} (`weft operators add` first)")]
    NoOperator {
        /// The name.
        name: String,
    },
    /// WEFT-A013: the operating system gave no random bytes.
    #[error("WEFT-A013 no random bytes from the operating system: {0}")]
    Random(String),
    /// The store failed (its own code).
    #[error(transparent)]
    Store(#[from] store::Error),
}

impl Error {
    /// The stable code (`WEFT-A010`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::NameTaken { .. } => "WEFT-A010",
            Self::BadName { .. } => "WEFT-A011",
            Self::NotFound { .. } => "WEFT-A012",
            Self::Random(_) => "WEFT-A013",
            Self::NoOperator { .. } => "WEFT-A016",
            Self::Store(e) => e.code(),
        }
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        let details = match &e {
            Error::NameTaken { name }
            | Error::NotFound { name }
            | Error::NoOperator { name }
            | Error::BadName { name, .. } => {
                json!({ "name": name })
            }
            Error::Random(_) => serde_json::Value::Null,
            Error::Store(_) => {
                return match e {
                    Error::Store(inner) => inner.into(),
                    other => ApiError::new(other.code(), other.to_string()),
                }
            }
        };
        let code = e.code();
        let text = e.to_string();
        let message = text.strip_prefix(code).unwrap_or(&text).trim_start();
        ApiError::new(code, message).with_details(details)
    }
}

/// A token just made: its text (shown once, never stored) and what it is.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewToken {
    /// The token's text, `weft_…`: the only time it is available.
    pub token: String,
    /// What it is.
    pub info: TokenInfo,
}

impl Engine {
    /// Makes a token named `name`; returns its text, which is not kept anywhere (only the
    /// SHA-256 of its secret is stored).
    pub fn create_token(&self, name: &str, read_only: bool) -> Result<NewToken, Error> {
        self.create_token_for(name, read_only, None)
    }

    /// Makes a token named `name` that acts for `operator` (who must exist): what it may do is
    /// the operator's capabilities (and reading only, when `read_only`).
    pub fn create_token_for(
        &self,
        name: &str,
        read_only: bool,
        operator: Option<&str>,
    ) -> Result<NewToken, Error> {
        check_name(name)?;
        if let Some(op) = operator {
            if self.inner.store.read(|r| r.operator(op))?.is_none() {
                return Err(Error::NoOperator { name: op.into() });
            }
        }
        let mut random = [0u8; ID_HEX / 2 + SECRET_HEX / 2];
        getrandom::fill(&mut random).map_err(|e| Error::Random(e.to_string()))?;
        let (id, secret) = random.split_at(ID_HEX / 2);
        let (id, secret) = (hex(id), hex(secret));
        let hash = Sha256::digest(secret.as_bytes());
        let now = self.now_ms();
        let (inserted, _) = self
            .inner
            .store
            .write(|tx| tx.insert_token(name, &id, &hash, read_only, operator, now))?;
        if !inserted {
            return Err(Error::NameTaken { name: name.into() });
        }
        Ok(NewToken {
            token: format!("{PREFIX}{id}_{secret}"),
            info: TokenInfo {
                name: name.into(),
                read_only,
                created_at: now,
                operator: operator.map(str::to_string),
            },
        })
    }

    /// Every token, by name (never their secrets).
    pub fn list_tokens(&self) -> Result<Vec<TokenInfo>, Error> {
        Ok(self.inner.store.read(|r| r.tokens())?)
    }

    /// Revokes a token: from the commit on, requests bearing it are refused.
    pub fn revoke_token(&self, name: &str) -> Result<(), Error> {
        let (deleted, _) = self.inner.store.write(|tx| tx.delete_token(name))?;
        if deleted {
            Ok(())
        } else {
            Err(Error::NotFound { name: name.into() })
        }
    }

    /// The token `text` is, when it is a live one; `None` for anything else. Bounded work
    /// whatever it is sent: text of the wrong shape is refused before any look-up, and a
    /// well-formed one costs one indexed look-up and one SHA-256 of 64 bytes, compared in
    /// constant time (also when no token has its id, against a dummy).
    pub fn check_token(&self, text: &str) -> Result<Option<TokenInfo>, Error> {
        let Some((id, secret)) = split(text) else {
            return Ok(None);
        };
        let stored = self.inner.store.read(|r| r.token_by_id(id))?;
        let hash = Sha256::digest(secret.as_bytes());
        let expected: &[u8] = stored.as_ref().map_or(&[0u8; 32], |s| s.hash.as_slice());
        let matches: bool = hash.as_slice().ct_eq(expected).into();
        Ok(stored.filter(|_| matches).map(|s| s.info))
    }
}

/// The id and secret of a token of the right shape.
fn split(text: &str) -> Option<(&str, &str)> {
    if text.len() != TOKEN_LEN {
        return None;
    }
    let rest = text.strip_prefix(PREFIX)?;
    let (id, secret) = rest.split_at_checked(ID_HEX)?;
    let secret = secret.strip_prefix('_')?;
    let lower_hex = |s: &str| s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    (lower_hex(id) && lower_hex(secret)).then_some((id, secret))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Refuses names that cannot be a token's: 1 to 64 letters, digits, `.`, `_` or `-` — a name
/// that prints plainly in `weft tokens list` and in a log.
pub fn check_name(name: &str) -> Result<(), Error> {
    let reason = if name.is_empty() {
        Some("a token needs a name".to_string())
    } else if name.chars().count() > MAX_NAME_CHARS {
        Some(format!("at most {MAX_NAME_CHARS} characters"))
    } else if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        Some("only letters, digits, '.', '_' and '-'".to_string())
    } else {
        None
    };
    match reason {
        None => Ok(()),
        Some(reason) => Err(Error::BadName {
            name: name.chars().take(MAX_NAME_CHARS).collect(),
            reason,
        }),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn only_tokens_of_the_exact_shape_are_split() {
        let good = format!("weft_{}_{}", "a".repeat(12), "0".repeat(64));
        assert_eq!(split(&good), Some(("aaaaaaaaaaaa", &*"0".repeat(64))));
        assert_eq!(split(&good.to_uppercase()), None);
        assert_eq!(split(&good[1..]), None);
        assert_eq!(split(&format!("{good}0")), None);
        let no_separator = good.replacen('_', "x", 2);
        assert_eq!(split(&no_separator), None);
        assert_eq!(split(""), None);
        // Multi-byte text of the right length never panics on a char boundary.
        assert_eq!(split(&"é".repeat(TOKEN_LEN / 2)), None);
    }

    #[test]
    fn names_are_plain() {
        assert!(check_name("ci-bot.2").is_ok());
        assert!(check_name("").is_err());
        assert!(check_name("a b").is_err());
        assert!(check_name(&"x".repeat(65)).is_err());
    }
}

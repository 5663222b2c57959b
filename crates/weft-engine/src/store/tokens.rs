//! Access tokens of the HTTP bridge: one row per token, holding its name, the public id that
//! finds it, and the SHA-256 of its secret — never the secret itself, which is shown once when
//! the token is made ([`crate::ops::tokens`]).

use super::{Millis, Result, Tx};
use rusqlite::{params, Connection, OptionalExtension};
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

impl Tx<'_> {
    /// Stores a new token; false when a token already bears this name (nothing is written).
    pub fn insert_token(
        &mut self,
        name: &str,
        id: &str,
        hash: &[u8],
        read_only: bool,
        now: Millis,
    ) -> Result<bool> {
        Ok(self
            .conn()
            .prepare_cached(
                "INSERT OR IGNORE INTO access_tokens (name, id, hash, read_only, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![name, id, hash, read_only, now])?
            == 1)
    }

    /// Deletes a token by name; false when there was none. From the commit on, every request
    /// bearing it is refused: requests look their token up in the store each time.
    pub fn delete_token(&mut self, name: &str) -> Result<bool> {
        Ok(self
            .conn()
            .prepare_cached("DELETE FROM access_tokens WHERE name = ?1")?
            .execute(params![name])?
            == 1)
    }
}

/// Every token, by name.
pub fn list(conn: &Connection) -> Result<Vec<TokenInfo>> {
    let mut stmt =
        conn.prepare_cached("SELECT name, read_only, created_at FROM access_tokens ORDER BY name")?;
    let rows = stmt.query_map([], |r| {
        Ok(TokenInfo {
            name: r.get(0)?,
            read_only: r.get(1)?,
            created_at: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The token whose public id is `id`, if any (one indexed look-up).
pub fn by_id(conn: &Connection, id: &str) -> Result<Option<StoredToken>> {
    Ok(conn
        .prepare_cached(
            "SELECT name, read_only, created_at, hash FROM access_tokens WHERE id = ?1",
        )?
        .query_row(params![id], |r| {
            Ok(StoredToken {
                info: TokenInfo {
                    name: r.get(0)?,
                    read_only: r.get(1)?,
                    created_at: r.get(2)?,
                },
                hash: r.get(3)?,
            })
        })
        .optional()?)
}

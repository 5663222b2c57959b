//! Access tokens in SQLite: the `access_tokens` table (migration 8), found by public id.

use super::{HasConn, Tx};
use crate::store::api::{TokenReads, TokenWrites};
use crate::store::tokens::{StoredToken, TokenInfo};
use crate::store::{Millis, Result};
use rusqlite::{params, OptionalExtension};

impl TokenWrites for Tx<'_> {
    fn insert_token(
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

    fn delete_token(&mut self, name: &str) -> Result<bool> {
        Ok(self
            .conn()
            .prepare_cached("DELETE FROM access_tokens WHERE name = ?1")?
            .execute(params![name])?
            == 1)
    }
}

impl<C: HasConn> TokenReads for C {
    fn tokens(&self) -> Result<Vec<TokenInfo>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT name, read_only, created_at FROM access_tokens ORDER BY name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(TokenInfo {
                name: r.get(0)?,
                read_only: r.get(1)?,
                created_at: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn token_by_id(&self, id: &str) -> Result<Option<StoredToken>> {
        Ok(self
            .conn()
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
}

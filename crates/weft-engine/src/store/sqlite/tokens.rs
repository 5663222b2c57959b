//! Access tokens in SQLite: the `access_tokens` table (migration 8), found by public id.

use super::{HasConn, Tx};
use crate::store::api::{TokenReads, TokenWrites};
use crate::store::tokens::{operator_lists, Operator, StoredToken, TokenInfo};
use crate::store::{Millis, Result};
use rusqlite::{params, OptionalExtension};

impl TokenWrites for Tx<'_> {
    fn insert_token(
        &mut self,
        name: &str,
        id: &str,
        hash: &[u8],
        read_only: bool,
        operator: Option<&str>,
        now: Millis,
    ) -> Result<bool> {
        Ok(self
            .conn()
            .prepare_cached(
                "INSERT OR IGNORE INTO access_tokens (name, id, hash, read_only, created_at, operator) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![name, id, hash, read_only, now, operator])?
            == 1)
    }

    fn insert_operator(&mut self, o: &Operator) -> Result<bool> {
        let (groups, capabilities) = operator_lists(o);
        Ok(self
            .conn()
            .prepare_cached(
                "INSERT OR IGNORE INTO operators (name, email, groups, capabilities, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![o.name, o.email, groups, capabilities, o.created_at])?
            == 1)
    }

    fn delete_operator(&mut self, name: &str) -> Result<bool> {
        self.conn()
            .prepare_cached("DELETE FROM access_tokens WHERE operator = ?1")?
            .execute(params![name])?;
        Ok(self
            .conn()
            .prepare_cached("DELETE FROM operators WHERE name = ?1")?
            .execute(params![name])?
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
            "SELECT name, read_only, created_at, operator FROM access_tokens ORDER BY name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(TokenInfo {
                name: r.get(0)?,
                read_only: r.get(1)?,
                created_at: r.get(2)?,
                operator: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn token_by_id(&self, id: &str) -> Result<Option<StoredToken>> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT name, read_only, created_at, hash, operator FROM access_tokens WHERE id = ?1",
            )?
            .query_row(params![id], |r| {
                Ok(StoredToken {
                    info: TokenInfo {
                        name: r.get(0)?,
                        read_only: r.get(1)?,
                        created_at: r.get(2)?,
                        operator: r.get(4)?,
                    },
                    hash: r.get(3)?,
                })
            })
            .optional()?)
    }

    fn operators(&self) -> Result<Vec<Operator>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT name, email, groups, capabilities, created_at FROM operators ORDER BY name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (name, email, groups, capabilities, created_at): (
                String,
                Option<String>,
                String,
                String,
                Millis,
            ) = row?;
            out.push(Operator::from_stored(
                name,
                email,
                &groups,
                &capabilities,
                created_at,
            )?);
        }
        Ok(out)
    }

    fn operator(&self, name: &str) -> Result<Option<Operator>> {
        let row: Option<(String, Option<String>, String, String, Millis)> = self
            .conn()
            .prepare_cached(
                "SELECT name, email, groups, capabilities, created_at FROM operators WHERE name = ?1",
            )?
            .query_row(params![name], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .optional()?;
        row.map(|(name, email, groups, caps, at)| {
            Operator::from_stored(name, email, &groups, &caps, at)
        })
        .transpose()
    }
}

//! Access tokens in PostgreSQL: the `access_tokens` table (migration 2), found by public id.

use super::{args, both, Col, Tx, Q};
use crate::store::api::{TokenReads, TokenWrites};
use crate::store::tokens::{StoredToken, TokenInfo};
use crate::store::{Millis, Result};

impl TokenWrites for Tx<'_> {
    fn insert_token(
        &mut self,
        name: &str,
        id: &str,
        hash: &[u8],
        read_only: bool,
        now: Millis,
    ) -> Result<bool> {
        Ok(self.n(
            "INSERT INTO access_tokens (name, id, hash, read_only, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING 1",
            args![name, id, hash, read_only, now],
        )? == 1)
    }

    fn delete_token(&mut self, name: &str) -> Result<bool> {
        Ok(self.n(
            "DELETE FROM access_tokens WHERE name = $1 RETURNING 1",
            args![name],
        )? == 1)
    }
}

both!(impl TokenReads {
    fn tokens(&self) -> Result<Vec<TokenInfo>> {
        self.q(
            "SELECT name, read_only, created_at FROM access_tokens ORDER BY name",
            args![],
        )?
        .iter()
        .map(|r| {
            Ok(TokenInfo {
                name: r.c(0)?,
                read_only: r.c(1)?,
                created_at: r.c(2)?,
            })
        })
        .collect()
    }

    fn token_by_id(&self, id: &str) -> Result<Option<StoredToken>> {
        self.q1(
            "SELECT name, read_only, created_at, hash FROM access_tokens WHERE id = $1",
            args![id],
        )?
        .map(|r| {
            Ok(StoredToken {
                info: TokenInfo {
                    name: r.c(0)?,
                    read_only: r.c(1)?,
                    created_at: r.c(2)?,
                },
                hash: r.c(3)?,
            })
        })
        .transpose()
    }
});

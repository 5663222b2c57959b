//! Access tokens in PostgreSQL: the `access_tokens` table (migration 2), found by public id.

use super::{args, both, Col, Tx, Q};
use crate::store::api::{TokenReads, TokenWrites};
use crate::store::tokens::{operator_lists, Operator, StoredToken, TokenInfo};
use crate::store::{Millis, Result};

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
        Ok(self.n(
            "INSERT INTO access_tokens (name, id, hash, read_only, created_at, operator) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING 1",
            args![name, id, hash, read_only, now, operator],
        )? == 1)
    }

    fn insert_operator(&mut self, o: &Operator) -> Result<bool> {
        let (groups, capabilities) = operator_lists(o);
        Ok(self.n(
            "INSERT INTO operators (name, email, groups, capabilities, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING 1",
            args![&o.name, o.email.as_deref(), groups, capabilities, o.created_at],
        )? == 1)
    }

    fn delete_operator(&mut self, name: &str) -> Result<bool> {
        self.n(
            "DELETE FROM access_tokens WHERE operator = $1 RETURNING 1",
            args![name],
        )?;
        Ok(self.n(
            "DELETE FROM operators WHERE name = $1 RETURNING 1",
            args![name],
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
            "SELECT name, read_only, created_at, operator FROM access_tokens ORDER BY name",
            args![],
        )?
        .iter()
        .map(|r| {
            Ok(TokenInfo {
                name: r.c(0)?,
                read_only: r.c(1)?,
                created_at: r.c(2)?,
                operator: r.c(3)?,
            })
        })
        .collect()
    }

    fn operators(&self) -> Result<Vec<Operator>> {
        self.q(
            "SELECT name, email, groups, capabilities, created_at FROM operators ORDER BY name",
            args![],
        )?
        .iter()
        .map(|r| {
            let (groups, caps): (String, String) = (r.c(2)?, r.c(3)?);
            Operator::from_stored(r.c(0)?, r.c(1)?, &groups, &caps, r.c(4)?)
        })
        .collect()
    }

    fn operator(&self, name: &str) -> Result<Option<Operator>> {
        self.q1(
            "SELECT name, email, groups, capabilities, created_at FROM operators WHERE name = $1",
            args![name],
        )?
        .map(|r| {
            let (groups, caps): (String, String) = (r.c(2)?, r.c(3)?);
            Operator::from_stored(r.c(0)?, r.c(1)?, &groups, &caps, r.c(4)?)
        })
        .transpose()
    }

    fn token_by_id(&self, id: &str) -> Result<Option<StoredToken>> {
        self.q1(
            "SELECT name, read_only, created_at, hash, operator FROM access_tokens WHERE id = $1",
            args![id],
        )?
        .map(|r| {
            Ok(StoredToken {
                info: TokenInfo {
                    name: r.c(0)?,
                    read_only: r.c(1)?,
                    created_at: r.c(2)?,
                    operator: r.c(4)?,
                },
                hash: r.c(3)?,
            })
        })
        .transpose()
    }
});

//! The contacts table: reads by filter (compiled by [`super::filter_sql`]), inserts, edits.

use super::filter_sql::{compile, shift_params};
use super::{HasConn, Tx};
use crate::contacts::Contact;
use crate::contacts::Filter;
use crate::store::api::{BulkChange, ContactReads, ContactWrites, NewContact, SetRef};
use crate::store::{Error, Millis, Result};
use rusqlite::{params, Connection, OptionalExtension, Row};

const COLUMNS: &str = "id, email, name, phone, status, tags, custom, created_at, updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Contact> {
    let tags: String = r.get(5)?;
    let custom: String = r.get(6)?;
    Ok(Contact {
        id: r.get(0)?,
        email: r.get(1)?,
        name: r.get(2)?,
        phone: r.get(3)?,
        status: r.get(4)?,
        tags: serde_json::from_str(&tags).unwrap_or_default(),
        custom: serde_json::from_str(&custom).unwrap_or_default(),
        created_at: r.get(7)?,
        updated_at: r.get(8)?,
    })
}

/// A filter as SQL, its failure told as a bad filter (not a store failure).
pub(super) fn filter_clause(filter: &Filter) -> Result<(String, Vec<rusqlite::types::Value>)> {
    compile(filter).map_err(|e| Error::Corrupt {
        what: "filter",
        message: e.to_string(),
    })
}

fn get(conn: &Connection, id: i64) -> Result<Option<Contact>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM contacts WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// The union of record sets into the temporary table `input_ids` (one per connection).
pub(super) fn load_inputs(conn: &Connection, sets: &[SetRef]) -> rusqlite::Result<()> {
    conn.execute_batch("CREATE TEMP TABLE IF NOT EXISTS input_ids (contact_id INTEGER PRIMARY KEY); DELETE FROM input_ids;")?;
    let mut stmt = conn.prepare_cached("INSERT OR IGNORE INTO input_ids SELECT contact_id FROM record_sets WHERE task_id = ?1 AND port = ?2")?;
    for set in sets {
        stmt.execute(params![set.task_id, set.port])?;
    }
    Ok(())
}

impl<C: HasConn> ContactReads for C {
    fn contact(&self, id: i64) -> Result<Option<Contact>> {
        get(self.conn(), id)
    }

    fn count_contacts(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT COUNT(*) FROM contacts", [], |r| r.get(0))?)
    }

    fn list_contacts(
        &self,
        filter: &Filter,
        after: Option<i64>,
        limit: u32,
    ) -> Result<Vec<Contact>> {
        let (clause, mut args) = filter_clause(filter)?;
        args.push(after.unwrap_or(0).into());
        let sql = format!(
            "SELECT {COLUMNS} FROM contacts WHERE ({clause}) AND id > ?{} ORDER BY id LIMIT {}",
            args.len(),
            limit.clamp(1, 10_000)
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn contacts_by_ids(&self, ids: &[i64]) -> Result<Vec<Contact>> {
        let mut stmt = self
            .conn()
            .prepare_cached(&format!("SELECT {COLUMNS} FROM contacts WHERE id = ?1"))?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(c) = stmt.query_row([id], from_row).optional()? {
                out.push(c);
            }
        }
        Ok(out)
    }

    fn set_members(&self, sets: &[SetRef]) -> Result<Vec<i64>> {
        let mut ids = std::collections::BTreeSet::new();
        let mut stmt = self.conn().prepare_cached(
            "SELECT contact_id FROM record_sets WHERE task_id = ?1 AND port = ?2",
        )?;
        for set in sets {
            let rows = stmt.query_map(params![set.task_id, set.port], |r| r.get::<_, i64>(0))?;
            for id in rows {
                ids.insert(id?);
            }
        }
        Ok(ids.into_iter().collect())
    }

    fn task_ports(&self, task_id: i64) -> Result<Vec<String>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT DISTINCT port FROM record_sets WHERE task_id = ?1 ORDER BY port",
        )?;
        let rows = stmt.query_map(params![task_id], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl ContactWrites for Tx<'_> {
    fn insert_contact(&mut self, contact: &NewContact, now: Millis) -> Result<Option<i64>> {
        let tags = serde_json::to_string(&contact.tags).unwrap_or_else(|_| "[]".into());
        let custom = serde_json::Value::Object(contact.custom.clone()).to_string();
        let created = contact.created_at.unwrap_or(now);
        let n = self
            .conn()
            .prepare_cached("INSERT OR IGNORE INTO contacts (email, name, phone, status, tags, custom, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)")?
            .execute(params![contact.email, contact.name, contact.phone, contact.status, tags, custom, created])?;
        Ok((n == 1).then(|| self.conn().last_insert_rowid()))
    }

    fn update_contact(
        &mut self,
        id: i64,
        name: Option<&str>,
        status: Option<&str>,
        tags: Option<&[String]>,
        now: Millis,
    ) -> Result<Option<Contact>> {
        let tags_json = tags.map(|t| serde_json::to_string(t).unwrap_or_else(|_| "[]".into()));
        self.conn().execute(
            "UPDATE contacts SET name = COALESCE(?2, name), status = COALESCE(?3, status), tags = COALESCE(?4, tags), updated_at = ?5 WHERE id = ?1",
            params![id, name, status, tags_json, now],
        )?;
        get(self.conn(), id)
    }

    fn update_contacts_in(
        &mut self,
        sets: &[SetRef],
        change: &BulkChange<'_>,
        now: Millis,
    ) -> Result<i64> {
        let conn = self.conn();
        load_inputs(conn, sets)?;
        if let Some(status) = change.status {
            conn.execute("UPDATE contacts SET status = ?1, updated_at = ?2 WHERE id IN (SELECT contact_id FROM input_ids)", params![status, now])?;
        }
        for tag in change.add_tags {
            conn.execute(
                "UPDATE contacts SET tags = json_insert(tags, '$[#]', ?1), updated_at = ?2 WHERE id IN (SELECT contact_id FROM input_ids) AND NOT EXISTS (SELECT 1 FROM json_each(contacts.tags) WHERE value = ?1)",
                params![tag, now],
            )?;
        }
        for tag in change.remove_tags {
            conn.execute(
                "UPDATE contacts SET tags = (SELECT json_group_array(value) FROM json_each(contacts.tags) WHERE value <> ?1), updated_at = ?2 WHERE id IN (SELECT contact_id FROM input_ids)",
                params![tag, now],
            )?;
        }
        Ok(conn.query_row("SELECT COUNT(*) FROM input_ids", [], |r| r.get(0))?)
    }

    fn set_contact_custom(
        &mut self,
        id: i64,
        custom: &serde_json::Map<String, serde_json::Value>,
        now: Millis,
    ) -> Result<()> {
        self.conn().execute(
            "UPDATE contacts SET custom = ?1, updated_at = ?2 WHERE id = ?3",
            params![
                serde_json::Value::Object(custom.clone()).to_string(),
                now,
                id
            ],
        )?;
        Ok(())
    }
}

/// The contacts of a filter embedded in a larger query after `by` parameters.
pub(super) fn shifted(filter: &Filter, by: usize) -> Result<(String, Vec<rusqlite::types::Value>)> {
    let (clause, args) = filter_clause(filter)?;
    Ok((shift_params(&clause, by), args))
}

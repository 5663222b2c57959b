//! The local contacts (leads) database: pages by filter, count, CSV import (one transaction,
//! rejected rows reported) and export, demo data (only into an empty database), edits.

use crate::contacts::{self, Contact, ExportOptions, Filter, ImportError, ImportReport};
use crate::exec::{Engine, Error, Result};
use crate::store;
use std::collections::BTreeMap;

/// The most contacts one page holds.
pub const MAX_PAGE: u32 = 10_000;
/// The most demo contacts added at once.
pub const MAX_DEMO: u32 = 100_000;

/// How a CSV file is read into contacts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportOptions {
    /// The column separator: one ASCII character (`tab` or `\t` for a tab).
    pub delimiter: String,
    /// Contact field (`email`, `name`, `custom.NAME`…) → CSV column.
    pub mapping: BTreeMap<String, String>,
    /// Status of contacts whose row has none.
    pub status: String,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            delimiter: ",".into(),
            mapping: BTreeMap::new(),
            status: "new".into(),
        }
    }
}

/// A change to a contact's editable fields (those given).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContactChange {
    /// New name.
    pub name: Option<String>,
    /// New status (seen by record triggers).
    pub status: Option<String>,
    /// New tags.
    pub tags: Option<Vec<String>>,
}

impl Engine {
    /// A page of contacts matching a filter, by id after `after`.
    pub fn list_contacts(
        &self,
        filter: &Filter,
        after: Option<i64>,
        limit: u32,
    ) -> Result<Vec<Contact>> {
        let limit = limit.clamp(1, MAX_PAGE);
        Ok(self
            .inner
            .store
            .read(|r| r.list_contacts(filter, after, limit))?)
    }

    /// How many contacts the database holds.
    pub fn count_contacts(&self) -> Result<i64> {
        Ok(self.inner.store.read(|r| r.count_contacts())?)
    }

    /// Imports CSV data in one transaction: every acceptable row lands, or — when the file is
    /// refused (not CSV, a mapped column missing, two columns for one field, too large) —
    /// nothing does. Rows with a bad email, a duplicate or a NUL byte are rejected with their
    /// line in the report.
    pub fn import_contacts(&self, csv: &[u8], options: &ImportOptions) -> Result<ImportReport> {
        let delimiter = match options.delimiter.as_bytes() {
            b"tab" | b"\\t" | b"\t" => Some(b'\t'),
            [b] if b.is_ascii() && !b.is_ascii_control() => Some(*b),
            _ => None,
        }
        .ok_or_else(|| {
            Error::Contacts(ImportError::Csv {
                line: 0,
                message: format!(
                    "the delimiter must be one ASCII character, not {:?}",
                    options.delimiter
                ),
            })
        })?;
        let now = self.now_ms();
        contacts::import_csv_into(
            &self.inner.store,
            csv,
            delimiter,
            &options.mapping,
            &options.status,
            now,
        )
        .map_err(Error::Contacts)
    }

    /// Imports a CSV file (refused before it is read whole when it is too large).
    pub fn import_contacts_file(
        &self,
        path: &std::path::Path,
        options: &ImportOptions,
    ) -> Result<ImportReport> {
        let bytes = contacts::read_csv_file(path).map_err(Error::Contacts)?;
        self.import_contacts(&bytes, options)
    }

    /// Writes the contacts matching a filter as CSV; returns how many. Cells a spreadsheet would
    /// run as formulas are neutralised unless `options.raw_formulas`.
    pub fn export_contacts(
        &self,
        filter: &Filter,
        out: &mut dyn std::io::Write,
        options: ExportOptions,
    ) -> Result<u64> {
        Ok(self
            .inner
            .store
            .read(|c| contacts::export_csv(c, filter, None, out, options))?)
    }

    /// Adds `count` generated demo leads (at most [`MAX_DEMO`]) — only into an empty database,
    /// never beside real data.
    pub fn add_demo_contacts(&self, count: u32) -> Result<u64> {
        let now = self.now_ms();
        let (added, _) = self.inner.store.write(|tx| {
            if tx.count_contacts()? > 0 {
                return Ok(None);
            }
            let mut added = 0;
            for contact in contacts::demo_contacts(count.min(MAX_DEMO), now) {
                added += u64::from(tx.insert_contact(&contact, now)?.is_some());
            }
            Ok(Some(added))
        })?;
        added.ok_or(Error::ContactsNotEmpty)
    }

    /// Changes a contact's editable fields; returns it as changed.
    pub fn update_contact(&self, id: i64, change: &ContactChange) -> Result<Contact> {
        let now = self.now_ms();
        let (contact, _) = self.inner.store.write(|tx| {
            tx.update_contact(
                id,
                change.name.as_deref(),
                change.status.as_deref(),
                change.tags.as_deref(),
                now,
            )
        })?;
        contact.ok_or_else(|| {
            Error::Store(store::Error::NotFound {
                what: "contact",
                id: id.to_string(),
            })
        })
    }
}

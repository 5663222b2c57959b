//! CSV import (with column mapping and a report of rejected rows) and export of contacts.
//! An import is one transaction: it either lands whole or leaves the database as it was.

use super::{valid_email, Contact, Filter};
use crate::store::api::{NewContact, StoreRead, StoreWrite};
use crate::store::{Millis, Result};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// A row that was not imported, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct RejectedRow {
    /// 1-based line in the file (the header is line 1).
    #[ts(type = "number")]
    pub line: u64,
    /// Why.
    pub reason: String,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ImportReport {
    /// Rows read (without the header).
    #[ts(type = "number")]
    pub rows: u64,
    /// Contacts created.
    #[ts(type = "number")]
    pub created: u64,
    /// Rows rejected, with reasons (the first 1,000 are listed).
    pub rejected: Vec<RejectedRow>,
    /// Rejected rows in all.
    #[ts(type = "number")]
    pub rejected_count: u64,
    /// Ids of the contacts created, in file order.
    #[serde(skip)]
    #[ts(skip)]
    pub ids: Vec<i64>,
}

/// Why an import failed as a whole (nothing was written).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// WEFT-C010: the file is not usable CSV.
    #[error("WEFT-C010 line {line}: {message}")]
    Csv {
        /// Line.
        line: u64,
        /// What the parser said.
        message: String,
    },
    /// WEFT-C011: the mapping names a column the file does not have.
    #[error("WEFT-C011 the mapping names column {column:?}, which the file does not have (columns: {available})")]
    MissingColumn {
        /// Column.
        column: String,
        /// Columns the file has.
        available: String,
    },
    /// WEFT-C012: two columns would fill the same contact field (the same name, or names that
    /// differ only in case for a built-in field).
    #[error("WEFT-C012 columns {first} ({first_name:?}) and {second} ({second_name:?}) both fill the field {field}; rename or remove one of them")]
    DuplicateColumn {
        /// The field both fill (`email`, `custom.city`).
        field: String,
        /// 1-based position of the first column.
        first: usize,
        /// Its header.
        first_name: String,
        /// 1-based position of the second column.
        second: usize,
        /// Its header.
        second_name: String,
    },
    /// WEFT-C013: the file is larger than [`MAX_CSV_BYTES`]; it was not read.
    #[error(
        "WEFT-C013 the file is {size} bytes; CSV imports are limited to {limit} bytes (256 MiB)"
    )]
    TooLarge {
        /// Its size, as far as it was known before refusing it.
        size: u64,
        /// [`MAX_CSV_BYTES`].
        limit: u64,
    },
    /// WEFT-C014: the file could not be read.
    #[error("WEFT-C014 cannot read {path}: {message}")]
    Unreadable {
        /// The path.
        path: String,
        /// Why.
        message: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] crate::store::Error),
}

impl ImportError {
    /// The stable code (`WEFT-C012`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Csv { .. } => "WEFT-C010",
            Self::MissingColumn { .. } => "WEFT-C011",
            Self::DuplicateColumn { .. } => "WEFT-C012",
            Self::TooLarge { .. } => "WEFT-C013",
            Self::Unreadable { .. } => "WEFT-C014",
            Self::Store(e) => e.code(),
        }
    }
}

/// The largest CSV file (or text) an import accepts: 256 MiB (a million leads fit).
pub const MAX_CSV_BYTES: u64 = 256 * 1024 * 1024;

/// Reads a CSV file for [`import_csv`], refusing one larger than [`MAX_CSV_BYTES`] before
/// reading it whole.
pub fn read_csv_file(path: &std::path::Path) -> std::result::Result<Vec<u8>, ImportError> {
    crate::load::read_bounded(path, MAX_CSV_BYTES).map_err(|e| match e {
        crate::load::Bounded::TooLarge(size) => ImportError::TooLarge {
            size,
            limit: MAX_CSV_BYTES,
        },
        crate::load::Bounded::Io(e) => ImportError::Unreadable {
            path: path.display().to_string(),
            message: e.to_string(),
        },
    })
}

/// [`import_csv`] in one transaction of `store`: the contacts land all together, or nothing is
/// written when the file is refused.
pub fn import_csv_into(
    store: &crate::store::Store,
    data: &[u8],
    delimiter: u8,
    mapping: &BTreeMap<String, String>,
    default_status: &str,
    now: Millis,
) -> std::result::Result<ImportReport, ImportError> {
    let mut refusal = None;
    let result = store.write(|tx| {
        import_csv(tx, data, delimiter, mapping, default_status, now).map_err(|e| match e {
            ImportError::Store(e) => e,
            other => {
                refusal = Some(other);
                // Any error rolls the transaction back; the refusal itself is returned below.
                crate::store::Error::Corrupt {
                    what: "csv import",
                    message: "refused".into(),
                }
            }
        })
    });
    match (result, refusal) {
        (Ok((report, _)), _) => Ok(report),
        (Err(_), Some(refusal)) => Err(refusal),
        (Err(e), None) => Err(e.into()),
    }
}

/// Imports contacts from CSV text, inside the caller's transaction (so that a failure leaves the
/// database as it was). `mapping` maps contact fields (`email`, `name`, `phone`,
/// `status`, `tags`, `custom.NAME`) to CSV column names; unmapped columns whose name is a field go
/// to that field, and other columns become custom fields. A file larger than [`MAX_CSV_BYTES`]
/// or with two columns filling the same field is refused whole. Bad emails, duplicates (in the
/// file or already stored) and fields holding a NUL byte or invalid UTF-8 are rejected with
/// their line; everything else lands in one transaction.
pub fn import_csv(
    tx: &mut dyn StoreWrite,
    data: &[u8],
    delimiter: u8,
    mapping: &BTreeMap<String, String>,
    default_status: &str,
    now: Millis,
) -> std::result::Result<ImportReport, ImportError> {
    if data.len() as u64 > MAX_CSV_BYTES {
        return Err(ImportError::TooLarge {
            size: data.len() as u64,
            limit: MAX_CSV_BYTES,
        });
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .from_reader(data);
    let headers = reader.headers().map_err(|e| csv_error(&e))?.clone();
    let headers: Vec<String> = headers.iter().map(|h| h.trim().to_string()).collect();
    for column in mapping.values() {
        if !headers.iter().any(|h| h == column) {
            return Err(ImportError::MissingColumn {
                column: column.clone(),
                available: headers.join(", "),
            });
        }
    }
    let field_of = |index: usize| -> String {
        let header = &headers[index];
        if let Some((field, _)) = mapping.iter().find(|(_, col)| *col == header) {
            return field.clone();
        }
        let lower = header.to_lowercase();
        if ["email", "name", "phone", "status", "tags"].contains(&lower.as_str())
            && !mapping.contains_key(&lower)
        {
            lower
        } else {
            format!("custom.{header}")
        }
    };
    let fields: Vec<String> = (0..headers.len()).map(field_of).collect();
    // Otherwise the later column would silently win. Unnamed columns (trailing commas) are left
    // to hold nothing of interest.
    for (second, field) in fields.iter().enumerate() {
        if headers[second].is_empty() {
            continue;
        }
        if let Some(first) = fields[..second].iter().position(|f| f == field) {
            return Err(ImportError::DuplicateColumn {
                field: field.clone(),
                first: first + 1,
                first_name: headers[first].clone(),
                second: second + 1,
                second_name: headers[second].clone(),
            });
        }
    }
    if !fields.iter().any(|f| f == "email") {
        return Err(ImportError::MissingColumn {
            column: "email".into(),
            available: headers.join(", "),
        });
    }
    let mut report = ImportReport::default();
    {
        let mut record = csv::ByteRecord::new();
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => return Err(csv_error(&e)),
            }
            report.rows += 1;
            let line = record
                .position()
                .map(|p| p.line())
                .unwrap_or(report.rows + 1);
            let mut reject = |reason: String| {
                report.rejected_count += 1;
                if report.rejected.len() < 1000 {
                    report.rejected.push(RejectedRow { line, reason });
                }
            };
            let mut values: Vec<String> = Vec::with_capacity(record.len());
            let mut bad_field = None;
            for (i, raw) in record.iter().enumerate() {
                let column = || headers.get(i).cloned().unwrap_or_default();
                if raw.contains(&0) {
                    bad_field = Some(format!("column {:?} contains a NUL byte", column()));
                    break;
                }
                match std::str::from_utf8(raw) {
                    Ok(s) => values.push(s.trim().to_string()),
                    Err(_) => {
                        bad_field = Some(format!("column {:?} is not valid UTF-8", column()));
                        break;
                    }
                }
            }
            if let Some(reason) = bad_field {
                reject(reason);
                continue;
            }
            let (mut email, mut name, mut phone, mut status, mut tags) = (
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                Vec::<String>::new(),
            );
            let mut custom = serde_json::Map::new();
            for (field, value) in fields.iter().zip(values) {
                match field.as_str() {
                    "email" => email = value,
                    "name" => name = value,
                    "phone" => phone = value,
                    "status" => status = value,
                    "tags" => {
                        tags = value
                            .split([';', ','])
                            .map(str::trim)
                            .filter(|t| !t.is_empty())
                            .map(str::to_string)
                            .collect()
                    }
                    other => {
                        if let Some(key) = other.strip_prefix("custom.") {
                            if !value.is_empty() {
                                custom.insert(key.to_string(), serde_json::Value::String(value));
                            }
                        }
                    }
                }
            }
            if !valid_email(&email) {
                reject(if email.is_empty() {
                    "missing email".into()
                } else {
                    format!("bad email {email:?}")
                });
                continue;
            }
            if status.is_empty() {
                status = default_status.to_string();
            }
            let new = NewContact {
                email: email.clone(),
                name,
                phone,
                status,
                tags,
                custom,
                created_at: None,
            };
            let inserted = tx.insert_contact(&new, now)?;
            if let Some(id) = inserted {
                report.created += 1;
                report.ids.push(id);
            } else {
                reject(format!("duplicate email {email:?}"));
            }
        }
    }
    Ok(report)
}

fn csv_error(e: &csv::Error) -> ImportError {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "expected {expected_len} fields, found {len} (wrong delimiter or broken quotes?)"
        ),
        _ => e.to_string(),
    };
    ImportError::Csv { line, message }
}

/// How contacts are written as CSV.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// Write every cell exactly as stored, even one a spreadsheet would run as a formula. Off by
    /// default: such cells are neutralised by [`neutralise_formula`].
    pub raw_formulas: bool,
}

/// A cell as a spreadsheet may open it safely: text beginning with `=`, `+`, `-`, `@`, a tab or
/// a carriage return gets a leading `'`, so that it is shown as text instead of being run as a
/// formula (OWASP, "CSV injection"); any other text is unchanged. Only the written file changes:
/// the stored value stays as it was imported.
pub fn neutralise_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// Writes the contacts matching a filter (or the given ids) as CSV; returns how many. Every cell,
/// headers included, goes through [`neutralise_formula`] unless `options.raw_formulas`. The one
/// writer behind the Export CSV activity, the Contacts view and `weft contacts export`.
pub fn export_csv(
    store: &dyn StoreRead,
    filter: &Filter,
    ids: Option<&[i64]>,
    out: &mut dyn std::io::Write,
    options: ExportOptions,
) -> Result<u64> {
    let cell = |text: &str| -> String {
        if options.raw_formulas {
            text.to_string()
        } else {
            neutralise_formula(text).into_owned()
        }
    };
    let mut writer = csv::Writer::from_writer(out);
    let io = |e: csv::Error| crate::store::Error::Corrupt {
        what: "csv export",
        message: e.to_string(),
    };
    let mut customs = std::collections::BTreeSet::new();
    let rows: Vec<Contact> = match ids {
        Some(ids) => store.contacts_by_ids(ids)?,
        None => {
            // Keyset pages, so that a large database is read in pieces.
            let mut rows = Vec::new();
            let mut after = None;
            loop {
                let page = store.list_contacts(filter, after, 10_000)?;
                let Some(last) = page.last() else {
                    break;
                };
                after = Some(last.id);
                rows.extend(page);
            }
            rows
        }
    };
    for c in &rows {
        customs.extend(c.custom.keys().cloned());
    }
    let mut header = vec![
        "email".to_string(),
        "name".into(),
        "phone".into(),
        "status".into(),
        "tags".into(),
    ];
    header.extend(customs.iter().map(|key| cell(key)));
    writer.write_record(&header).map_err(io)?;
    for c in &rows {
        let mut record = vec![
            cell(&c.email),
            cell(&c.name),
            cell(&c.phone),
            cell(&c.status),
            cell(&c.tags.join(";")),
        ];
        for key in &customs {
            record.push(match c.custom.get(key) {
                Some(serde_json::Value::String(s)) => cell(s),
                Some(v) => cell(&v.to_string()),
                None => String::new(),
            });
        }
        writer.write_record(&record).map_err(io)?;
    }
    writer.flush().map_err(|e| crate::store::Error::Corrupt {
        what: "csv export",
        message: e.to_string(),
    })?;
    Ok(rows.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::neutralise_formula;

    #[test]
    fn cells_a_spreadsheet_would_run_get_a_leading_quote_and_others_stay() {
        for (cell, written) in [
            ("=1+1", "'=1+1"),
            ("+1 555", "'+1 555"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("plain", "plain"),
            ("a=b", "a=b"),
            ("", ""),
            ("'=quoted", "'=quoted"),
        ] {
            assert_eq!(neutralise_formula(cell), written, "{cell:?}");
        }
    }
}

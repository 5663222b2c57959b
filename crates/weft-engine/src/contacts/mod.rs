//! The local contacts (leads) database: built-in fields plus custom ones, a structured filter
//! (never raw SQL), CSV import with a report of rejected rows, and CSV export.

mod csv_io;
mod filter;

pub use csv_io::{
    export_csv, import_csv, import_csv_into, neutralise_formula, read_csv_file, ExportOptions,
    ImportError, ImportReport, RejectedRow, MAX_CSV_BYTES,
};
pub use filter::{Filter, FilterError, Match, Operator, Rule};

use crate::store::{Millis, Result};
use rusqlite::{params, Connection, OptionalExtension, Row};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The built-in contact fields (custom ones are `custom.NAME`).
pub const BUILT_IN_FIELDS: &[&str] = &[
    "email",
    "name",
    "phone",
    "status",
    "tags",
    "created_at",
    "updated_at",
];

/// One contact.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    /// Id.
    #[ts(type = "number")]
    pub id: i64,
    /// Email (unique, case-insensitive).
    pub email: String,
    /// Name.
    pub name: String,
    /// Phone.
    pub phone: String,
    /// Lead status (`new`, `contacted`, `qualified`, `customer`, `lost`… free text).
    pub status: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Custom fields.
    #[ts(type = "Record<string, unknown>")]
    pub custom: serde_json::Map<String, serde_json::Value>,
    /// Created (ms).
    #[ts(type = "number")]
    pub created_at: Millis,
    /// Updated (ms).
    #[ts(type = "number")]
    pub updated_at: Millis,
}

pub(crate) const COLUMNS: &str =
    "id, email, name, phone, status, tags, custom, created_at, updated_at";

pub(crate) fn from_row(r: &Row<'_>) -> rusqlite::Result<Contact> {
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

/// Whether a text looks like an email address (one `@`, a dot in the domain, no spaces).
pub fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.contains(char::is_whitespace)
        && !domain.contains('@')
}

/// Inserts a contact; `None` when the email already exists.
pub fn insert(
    conn: &Connection,
    email: &str,
    name: &str,
    status: &str,
    now: Millis,
) -> Result<Option<i64>> {
    let n = conn
        .prepare_cached("INSERT OR IGNORE INTO contacts (email, name, status, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)")?
        .execute(params![email, name, status, now])?;
    Ok((n == 1).then(|| conn.last_insert_rowid()))
}

/// One contact by id.
pub fn get(conn: &Connection, id: i64) -> Result<Option<Contact>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM contacts WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// How many contacts there are.
pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT COUNT(*) FROM contacts", [], |r| r.get(0))?)
}

/// A page of contacts matching a filter, by id, after a cursor.
pub fn list(
    conn: &Connection,
    filter: &Filter,
    after: Option<i64>,
    limit: u32,
) -> Result<Vec<Contact>> {
    let (clause, mut args) = filter.to_sql().map_err(|e| crate::store::Error::Corrupt {
        what: "filter",
        message: e.to_string(),
    })?;
    args.push(after.unwrap_or(0).into());
    let sql = format!(
        "SELECT {COLUMNS} FROM contacts WHERE ({clause}) AND id > ?{} ORDER BY id LIMIT {}",
        args.len(),
        limit.clamp(1, 10_000)
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Fills an empty database with `count` generated leads (deterministic), for demos; returns how
/// many were added. Refuses nothing itself: callers check that the database is empty.
pub fn generate_demo(conn: &Connection, count: u32, now: Millis) -> Result<u64> {
    const FIRST: &[&str] = &[
        "Ada",
        "Grace",
        "Linus",
        "Katherine",
        "Alan",
        "Barbara",
        "Dennis",
        "Margaret",
        "Ken",
        "Radia",
        "Tim",
        "Frances",
        "John",
        "Hedy",
        "Guido",
        "Sophie",
        "Edsger",
        "Donald",
    ];
    const LAST: &[&str] = &[
        "Lovelace", "Hopper", "Torvalds", "Johnson", "Turing", "Liskov", "Ritchie", "Hamilton",
        "Thompson", "Perlman", "Allen", "McCarthy", "Lamarr", "Wilson", "Dijkstra", "Knuth",
    ];
    const CITIES: &[&str] = &[
        "Paris", "Oslo", "Rome", "Lima", "Kyoto", "Austin", "Berlin", "Lagos",
    ];
    const STATUSES: &[&str] = &[
        "new",
        "new",
        "new",
        "contacted",
        "qualified",
        "customer",
        "lost",
    ];
    const TAGS: &[&str] = &["webinar", "newsletter", "fair", "vip", "partner"];
    let mut seed: u64 = 0x5eed;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    let mut stmt = conn.prepare("INSERT OR IGNORE INTO contacts (email, name, phone, status, tags, custom, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)")?;
    let mut added = 0;
    for i in 0..count {
        let (f, l) = (FIRST[next() % FIRST.len()], LAST[next() % LAST.len()]);
        let email = format!("{}.{}{}@example.com", f.to_lowercase(), l.to_lowercase(), i);
        let tags =
            serde_json::to_string(&[TAGS[next() % TAGS.len()]]).unwrap_or_else(|_| "[]".into());
        let custom =
            serde_json::json!({"city": CITIES[next() % CITIES.len()], "score": next() % 100})
                .to_string();
        let created = now - (next() % (90 * 86_400)) as i64 * 1000;
        added += stmt.execute(params![
            email,
            format!("{f} {l}"),
            format!("+1 555 {:04}", next() % 10_000),
            STATUSES[next() % STATUSES.len()],
            tags,
            custom,
            created
        ])? as u64;
    }
    Ok(added)
}

/// Changes a contact's editable fields (those given); returns the contact after the change.
/// The change of status is seen by record triggers like any other.
pub fn update(
    conn: &Connection,
    id: i64,
    name: Option<&str>,
    status: Option<&str>,
    tags: Option<&[String]>,
    now: Millis,
) -> Result<Option<Contact>> {
    let tags_json = tags.map(|t| serde_json::to_string(t).unwrap_or_else(|_| "[]".into()));
    conn.execute(
        "UPDATE contacts SET name = COALESCE(?2, name), status = COALESCE(?3, status), tags = COALESCE(?4, tags), updated_at = ?5 WHERE id = ?1",
        params![id, name, status, tags_json, now],
    )?;
    get(conn, id)
}

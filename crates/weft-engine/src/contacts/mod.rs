//! The local contacts (leads) database: built-in fields plus custom ones, a structured filter
//! (never raw SQL), CSV import with a report of rejected rows, and CSV export.

mod csv_io;
mod filter;

pub use csv_io::{
    export_csv, import_csv, import_csv_into, neutralise_formula, read_csv_file, ExportOptions,
    ImportError, ImportReport, RejectedRow, MAX_CSV_BYTES,
};
pub(crate) use filter::text as filter_text;
pub use filter::{Filter, FilterError, Match, Operator, Rule};

use crate::store::api::NewContact;
use crate::store::Millis;
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

/// `count` generated leads (deterministic), for demos. Callers check that the database is empty
/// and insert them in one transaction.
pub fn demo_contacts(count: u32, now: Millis) -> Vec<NewContact> {
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
    (0..count)
        .map(|i| {
            let (f, l) = (FIRST[next() % FIRST.len()], LAST[next() % LAST.len()]);
            let email = format!("{}.{}{}@example.com", f.to_lowercase(), l.to_lowercase(), i);
            let tags = vec![TAGS[next() % TAGS.len()].to_string()];
            let custom = match serde_json::json!({"city": CITIES[next() % CITIES.len()], "score": next() % 100}) {
                serde_json::Value::Object(map) => map,
                _ => serde_json::Map::new(),
            };
            let created = now - (next() % (90 * 86_400)) as i64 * 1000;
            NewContact {
                email,
                name: format!("{f} {l}"),
                phone: format!("+1 555 {:04}", next() % 10_000),
                status: STATUSES[next() % STATUSES.len()].to_string(),
                tags,
                custom,
                created_at: Some(created),
            }
        })
        .collect()
}

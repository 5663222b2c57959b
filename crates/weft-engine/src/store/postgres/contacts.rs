//! The contacts table and record sets. A [`Filter`] is compiled to SQL with bound, typed
//! parameters (never text pasted into the query); JSON columns are stored as text, as in
//! SQLite, and read as `jsonb` where a filter looks inside them.

use super::{args, both, Col, Tx, Q, V};
use crate::contacts::filter_text as text;
use crate::contacts::{Contact, Filter, FilterError, Match, Operator};
use crate::store::api::{
    BulkChange, ContactReads, ContactWrites, NewContact, RecordSetWrites, SetOp, SetRef, SplitBy,
};
use crate::store::{Error, Millis, Result};
use serde_json::Value;
use tokio_postgres::Row;

const COLUMNS: &str = "id, email, name, phone, status, tags, custom, created_at, updated_at";

fn from_row(r: &Row) -> Result<Contact> {
    let tags: String = r.c(5)?;
    let custom: String = r.c(6)?;
    Ok(Contact {
        id: r.c(0)?,
        email: r.c(1)?,
        name: r.c(2)?,
        phone: r.c(3)?,
        status: r.c(4)?,
        tags: serde_json::from_str(&tags).unwrap_or_default(),
        custom: serde_json::from_str(&custom).unwrap_or_default(),
        created_at: r.c(7)?,
        updated_at: r.c(8)?,
    })
}

/// A filter as an SQL condition over `contacts`, its parameters numbered after `before` others.
fn compile(filter: &Filter, before: usize) -> Result<(String, Vec<V>)> {
    compile_rules(filter, before).map_err(|e| Error::Corrupt {
        what: "filter",
        message: e.to_string(),
    })
}

fn compile_rules(
    filter: &Filter,
    before: usize,
) -> std::result::Result<(String, Vec<V>), FilterError> {
    filter.check()?;
    if filter.rules.is_empty() {
        return Ok(("TRUE".into(), Vec::new()));
    }
    let mut args: Vec<V> = Vec::new();
    let mut parts = Vec::new();
    for (index, rule) in filter.rules.iter().enumerate() {
        let bad = |message: &str| FilterError::BadValue {
            index,
            field: rule.field.clone(),
            message: message.into(),
        };
        let mut bind = |v: V| {
            args.push(v);
            format!("${}", before + args.len())
        };
        let numeric = matches!(rule.field.as_str(), "created_at" | "updated_at");
        let (column, custom_key) = match rule.field.as_str() {
            "email" | "name" | "phone" | "status" | "created_at" | "updated_at" | "tags" => {
                (rule.field.clone(), None)
            }
            f if f.starts_with("custom.")
                && f.len() > 7
                && f[7..]
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-') =>
            {
                let key = bind(V::from(&f[7..]));
                (format!("(custom::jsonb ->> {key})"), Some(key))
            }
            _ => {
                return Err(FilterError::UnknownField {
                    index,
                    field: rule.field.clone(),
                })
            }
        };
        let part = if rule.field == "tags" {
            match rule.op {
                Operator::Contains | Operator::Eq => format!(
                    "EXISTS (SELECT 1 FROM jsonb_array_elements_text(tags::jsonb) v WHERE lower(v) = lower({}))",
                    bind(V::from(text(&rule.value)))
                ),
                Operator::Ne => format!(
                    "NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(tags::jsonb) v WHERE lower(v) = lower({}))",
                    bind(V::from(text(&rule.value)))
                ),
                Operator::IsEmpty => "jsonb_array_length(tags::jsonb) = 0".into(),
                Operator::NotEmpty => "jsonb_array_length(tags::jsonb) > 0".into(),
                _ => return Err(bad("tags support contains, ne, is_empty and not_empty")),
            }
        } else if numeric {
            // Times are numbers; a value that is not one matches as text, as SQLite compares.
            let as_number = |v: &Value| match v {
                Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
                other => text(other).parse::<i64>().ok(),
            };
            let mut cmp = |op: &str, v: &Value| match as_number(v) {
                Some(n) => format!("{column} {op} {}", bind(V::from(n))),
                None => format!("{column}::text {op} {}", bind(V::from(text(v)))),
            };
            match rule.op {
                Operator::Eq => cmp("=", &rule.value),
                Operator::Ne => format!("NOT ({})", cmp("=", &rule.value)),
                Operator::Gt => cmp(">", &rule.value),
                Operator::Lt => cmp("<", &rule.value),
                Operator::Contains => format!(
                    "strpos({column}::text, {}) > 0",
                    bind(V::from(text(&rule.value)))
                ),
                Operator::StartsWith => format!(
                    "{column}::text LIKE {} || '%' ESCAPE '\\'",
                    bind(V::from(escape_like(&text(&rule.value))))
                ),
                Operator::EndsWith => format!(
                    "{column}::text LIKE '%' || {} ESCAPE '\\'",
                    bind(V::from(escape_like(&text(&rule.value))))
                ),
                Operator::IsEmpty => format!("{column} IS NULL"),
                Operator::NotEmpty => format!("{column} IS NOT NULL"),
                Operator::In => {
                    let Value::Array(items) = &rule.value else {
                        return Err(bad("`in` needs a list of values"));
                    };
                    let numbers: Vec<Option<i64>> = items.iter().map(as_number).collect();
                    format!("{column} = ANY({})", bind(V::IA(numbers)))
                }
            }
        } else {
            match rule.op {
                Operator::Eq => format!(
                    "lower({column}) = lower({})",
                    bind(V::from(text(&rule.value)))
                ),
                Operator::Ne => format!(
                    "({column} IS NULL OR lower({column}) <> lower({}))",
                    bind(V::from(text(&rule.value)))
                ),
                Operator::Contains => format!(
                    "strpos(lower({column}), lower({})) > 0",
                    bind(V::from(text(&rule.value)))
                ),
                Operator::StartsWith => format!(
                    "lower({column}) LIKE lower({}) || '%' ESCAPE '\\'",
                    bind(V::from(escape_like(&text(&rule.value))))
                ),
                Operator::EndsWith => format!(
                    "lower({column}) LIKE '%' || lower({}) ESCAPE '\\'",
                    bind(V::from(escape_like(&text(&rule.value))))
                ),
                Operator::Gt | Operator::Lt => {
                    let op = if rule.op == Operator::Gt { ">" } else { "<" };
                    match (&rule.value, &custom_key) {
                        // A number against a custom field compares as numbers, where the field
                        // holds one.
                        (Value::Number(n), Some(key)) => format!(
                            "(CASE WHEN jsonb_typeof(custom::jsonb -> {key}) = 'number' THEN (custom::jsonb ->> {key})::float8 END) {op} {}",
                            bind(V::from(n.as_f64().unwrap_or_default()))
                        ),
                        (v, _) => format!("{column} {op} {}", bind(V::from(text(v)))),
                    }
                }
                Operator::IsEmpty => format!("({column} IS NULL OR {column} = '')"),
                Operator::NotEmpty => format!("({column} IS NOT NULL AND {column} <> '')"),
                Operator::In => {
                    let Value::Array(items) = &rule.value else {
                        return Err(bad("`in` needs a list of values"));
                    };
                    let values: Vec<Option<String>> =
                        items.iter().map(|i| Some(text(i).to_lowercase())).collect();
                    format!("lower({column}) = ANY({})", bind(V::TA(values)))
                }
            }
        };
        parts.push(format!("({part})"));
    }
    let joiner = match filter.match_ {
        Match::All => " AND ",
        Match::Any => " OR ",
    };
    Ok((parts.join(joiner), args))
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// The union of record sets as a subquery yielding `contact_id`, its two parameters numbered
/// after `before` others.
fn inputs(sets: &[SetRef], before: usize) -> (String, Vec<V>) {
    (
        format!(
            "SELECT DISTINCT rs.contact_id FROM record_sets rs JOIN unnest(${}::int8[], ${}::text[]) AS i(task_id, port) ON rs.task_id = i.task_id AND rs.port = i.port",
            before + 1,
            before + 2
        ),
        vec![
            V::IA(sets.iter().map(|s| Some(s.task_id)).collect()),
            V::TA(sets.iter().map(|s| Some(s.port.clone())).collect()),
        ],
    )
}

/// Replaces the set (task, port) with the ids `select` yields (its parameters after `$1`, `$2`,
/// which are the task and the port); returns how many.
fn save_set(tx: &Tx<'_>, task_id: i64, port: &str, select: &str, params: Vec<V>) -> Result<i64> {
    tx.q(
        "DELETE FROM record_sets WHERE task_id = $1 AND port = $2",
        args![task_id, port],
    )?;
    let mut all: Vec<V> = vec![task_id.into(), port.into()];
    all.extend(params);
    tx.q(
        &format!("INSERT INTO record_sets (task_id, port, contact_id) SELECT $1, $2, s.id FROM ({select}) s ON CONFLICT DO NOTHING"),
        &all,
    )?;
    count(
        tx,
        "SELECT COUNT(*) FROM record_sets WHERE task_id = $1 AND port = $2",
        args![task_id, port],
    )
}

fn count(c: &impl Q, sql: &str, params: &[V]) -> Result<i64> {
    Ok(c.q1(sql, params)?
        .map(|r| r.c::<i64>(0))
        .transpose()?
        .unwrap_or(0))
}

fn get(c: &impl Q, id: i64) -> Result<Option<Contact>> {
    c.q1(
        &format!("SELECT {COLUMNS} FROM contacts WHERE id = $1"),
        args![id],
    )?
    .map(|r| from_row(&r))
    .transpose()
}

both!(impl ContactReads {
    fn contact(&self, id: i64) -> Result<Option<Contact>> {
        get(self, id)
    }
    fn count_contacts(&self) -> Result<i64> {
        count(self, "SELECT COUNT(*) FROM contacts", &[])
    }
    fn list_contacts(
        &self,
        filter: &Filter,
        after: Option<i64>,
        limit: u32,
    ) -> Result<Vec<Contact>> {
        let (clause, mut params) = compile(filter, 0)?;
        params.push(after.unwrap_or(0).into());
        let sql = format!(
            "SELECT {COLUMNS} FROM contacts WHERE ({clause}) AND id > ${} ORDER BY id LIMIT {}",
            params.len(),
            limit.clamp(1, 10_000)
        );
        self.q(&sql, &params)?.iter().map(from_row).collect()
    }
    fn contacts_by_ids(&self, ids: &[i64]) -> Result<Vec<Contact>> {
        let wanted: Vec<Option<i64>> = ids.iter().map(|i| Some(*i)).collect();
        let found: Vec<Contact> = self
            .q(
                &format!("SELECT {COLUMNS} FROM contacts WHERE id = ANY($1)"),
                &[V::IA(wanted)],
            )?
            .iter()
            .map(from_row)
            .collect::<Result<_>>()?;
        // In the order asked for, as the SQLite store returns them.
        let mut by_id: std::collections::HashMap<i64, Contact> =
            found.into_iter().map(|c| (c.id, c)).collect();
        Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
    }
    fn set_members(&self, sets: &[SetRef]) -> Result<Vec<i64>> {
        let (select, params) = inputs(sets, 0);
        self.q(&format!("{select} ORDER BY 1"), &params)?
            .iter()
            .map(|r| r.c(0))
            .collect()
    }
    fn task_ports(&self, task_id: i64) -> Result<Vec<String>> {
        self.q(
            "SELECT DISTINCT port FROM record_sets WHERE task_id = $1 ORDER BY port",
            args![task_id],
        )?
        .iter()
        .map(|r| r.c(0))
        .collect()
    }
});

impl ContactWrites for Tx<'_> {
    fn insert_contact(&mut self, contact: &NewContact, now: Millis) -> Result<Option<i64>> {
        let tags = serde_json::to_string(&contact.tags).unwrap_or_else(|_| "[]".into());
        let custom = Value::Object(contact.custom.clone()).to_string();
        let created = contact.created_at.unwrap_or(now);
        self.q1(
            "INSERT INTO contacts (email, name, phone, status, tags, custom, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
             ON CONFLICT DO NOTHING RETURNING id",
            args![&contact.email, &contact.name, &contact.phone, &contact.status, tags, custom, created],
        )?
        .map(|r| r.c(0))
        .transpose()
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
        self.q(
            "UPDATE contacts SET name = COALESCE($2, name), status = COALESCE($3, status), tags = COALESCE($4, tags), updated_at = $5 WHERE id = $1",
            args![id, name, status, tags_json, now],
        )?;
        get(self, id)
    }

    fn update_contacts_in(
        &mut self,
        sets: &[SetRef],
        change: &BulkChange<'_>,
        now: Millis,
    ) -> Result<i64> {
        let (members, params) = inputs(sets, 2);
        let with = |first: V, second: V| {
            let mut all = vec![first, second];
            all.extend(params.iter().cloned());
            all
        };
        if let Some(status) = change.status {
            self.q(
                &format!(
                    "UPDATE contacts SET status = $1, updated_at = $2 WHERE id IN ({members})"
                ),
                &with(status.into(), now.into()),
            )?;
        }
        for tag in change.add_tags {
            self.q(
                &format!("UPDATE contacts SET tags = (tags::jsonb || to_jsonb($1::text))::text, updated_at = $2 WHERE id IN ({members}) AND NOT (tags::jsonb ? $1)"),
                &with(tag.into(), now.into()),
            )?;
        }
        for tag in change.remove_tags {
            self.q(
                &format!("UPDATE contacts SET tags = COALESCE((SELECT jsonb_agg(v) FROM jsonb_array_elements(tags::jsonb) v WHERE v <> to_jsonb($1::text)), '[]'::jsonb)::text, updated_at = $2 WHERE id IN ({members})"),
                &with(tag.into(), now.into()),
            )?;
        }
        let (members, params) = inputs(sets, 0);
        count(
            self,
            &format!("SELECT COUNT(*) FROM ({members}) m"),
            &params,
        )
    }

    fn set_contact_custom(
        &mut self,
        id: i64,
        custom: &serde_json::Map<String, Value>,
        now: Millis,
    ) -> Result<()> {
        self.q(
            "UPDATE contacts SET custom = $1, updated_at = $2 WHERE id = $3",
            args![Value::Object(custom.clone()).to_string(), now, id],
        )?;
        Ok(())
    }
}

/// The expression of a deduplication field over `contacts c`, or `None` for an unknown one.
fn dedupe_column(field: &str) -> Option<String> {
    match field {
        "name" | "phone" | "status" | "email" => Some(format!("c.{field}")),
        f if f.starts_with("custom.") && f.len() > 7 => Some(format!(
            "(c.custom::jsonb ->> '{}')",
            f[7..].replace(['\'', '"', '\\'], "")
        )),
        _ => None,
    }
}

impl RecordSetWrites for Tx<'_> {
    fn query_into_set(&mut self, task_id: i64, port: &str, filter: &Filter) -> Result<i64> {
        let (clause, params) = compile(filter, 2)?;
        save_set(
            self,
            task_id,
            port,
            &format!("SELECT id FROM contacts WHERE {clause}"),
            params,
        )
    }

    fn combine_into_set(
        &mut self,
        task_id: i64,
        port: &str,
        op: SetOp,
        inputs: &[SetRef],
    ) -> Result<i64> {
        let mut params: Vec<V> = Vec::new();
        let sets: Vec<String> = inputs
            .iter()
            .map(|i| {
                params.push(i.task_id.into());
                params.push(i.port.clone().into());
                // $1 and $2 are the set being made.
                format!(
                    "SELECT contact_id AS id FROM record_sets WHERE task_id = ${} AND port = ${}",
                    params.len() + 1,
                    params.len() + 2
                )
            })
            .collect();
        if sets.is_empty() {
            return save_set(
                self,
                task_id,
                port,
                "SELECT id FROM contacts WHERE FALSE",
                Vec::new(),
            );
        }
        let select = match op {
            SetOp::Union => sets.join(" UNION "),
            SetOp::Intersection => sets.join(" INTERSECT "),
            SetOp::Exclusion => {
                let (first, rest) = sets
                    .split_first()
                    .map(|(f, r)| (f.clone(), r.to_vec()))
                    .unwrap_or_default();
                if rest.is_empty() {
                    first
                } else {
                    format!("{first} EXCEPT SELECT id FROM ({}) x", rest.join(" UNION "))
                }
            }
        };
        save_set(self, task_id, port, &select, params)
    }

    fn split_into_sets(
        &mut self,
        task_id: i64,
        inputs_: &[SetRef],
        by: &SplitBy<'_>,
    ) -> Result<(i64, i64)> {
        let (members, params) = inputs(inputs_, 0);
        let total = count(
            self,
            &format!("SELECT COUNT(*) FROM ({members}) m"),
            &params,
        )?;
        let (members2, params2) = inputs(inputs_, 2);
        let first_n = |tx: &Tx<'_>, n: i64| {
            save_set(
                tx,
                task_id,
                "match",
                &format!(
                    "SELECT contact_id AS id FROM ({members2}) m ORDER BY contact_id LIMIT {}",
                    n.max(0)
                ),
                params2.clone(),
            )
        };
        let matched = match by {
            SplitBy::Filter(filter) => {
                let (clause, mut fparams) = compile(filter, 4)?;
                let mut all = params2.clone();
                all.append(&mut fparams);
                save_set(
                    self,
                    task_id,
                    "match",
                    &format!(
                        "SELECT c.id FROM contacts c WHERE c.id IN ({members2}) AND ({clause})"
                    ),
                    all,
                )?
            }
            SplitBy::First(n) => first_n(self, (*n).min(total))?,
            SplitBy::Percent(p) => first_n(self, total * i64::from((*p).min(100)) / 100)?,
        };
        let rest = save_set(
            self,
            task_id,
            "rest",
            &format!("SELECT contact_id AS id FROM ({members2}) m WHERE contact_id NOT IN (SELECT contact_id FROM record_sets WHERE task_id = $1 AND port = 'match')"),
            params2.clone(),
        )?;
        Ok((matched, rest))
    }

    fn dedupe_into_set(
        &mut self,
        task_id: i64,
        port: &str,
        inputs_: &[SetRef],
        field: &str,
    ) -> Result<i64> {
        let column = dedupe_column(field).ok_or_else(|| Error::Corrupt {
            what: "filter",
            message: format!(
                "cannot deduplicate on {field:?}; use name, phone, status or custom.NAME"
            ),
        })?;
        let (members, params) = inputs(inputs_, 2);
        save_set(
            self,
            task_id,
            port,
            &format!("SELECT MIN(c.id) AS id FROM contacts c WHERE c.id IN ({members}) GROUP BY lower(COALESCE({column}, ''))"),
            params,
        )
    }

    fn add_to_set(&mut self, task_id: i64, port: &str, ids: &[i64]) -> Result<()> {
        self.q(
            "INSERT INTO record_sets (task_id, port, contact_id) SELECT $1, $2, unnest($3::int8[]) ON CONFLICT DO NOTHING",
            &[
                task_id.into(),
                port.into(),
                V::IA(ids.iter().map(|i| Some(*i)).collect()),
            ],
        )?;
        Ok(())
    }
}

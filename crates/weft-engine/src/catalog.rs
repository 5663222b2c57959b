//! The activity catalogue: every kind with its role, ports, description, configuration schema
//! and default configuration. The palette, the section menu and the section modals are built
//! from it; `weft schema` writes it to `docs/schema/catalog.json`.

use crate::model::{ActivityKind, Role, WorkflowFile};
use schemars::generate::SchemaSettings;
use serde::Serialize;
use serde_json::{json, Value};
use ts_rs::TS;

/// One entry of the catalogue.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CatalogEntry {
    /// Kind name.
    pub kind: ActivityKind,
    /// Role.
    pub role: Role,
    /// Default label.
    pub label: String,
    /// One line.
    pub description: String,
    /// Output ports.
    pub ports: Vec<String>,
    /// Whether it is skipped in simulation mode.
    pub side_effects: bool,
    /// JSON Schema (draft-07) of its configuration.
    #[ts(type = "Record<string, unknown>")]
    pub config_schema: Value,
    /// Configuration the palette inserts.
    #[ts(type = "Record<string, unknown>")]
    pub default_config: Value,
}

fn settings() -> SchemaSettings {
    // Draft-07: what the form library's validator (AJV with @rjsf) reads by default.
    SchemaSettings::draft07()
}

/// Every kind, in palette order.
pub fn catalog() -> Vec<CatalogEntry> {
    ActivityKind::ALL
        .iter()
        .map(|&kind| {
            let mut generator = settings().into_generator();
            let schema = kind.config_schema(&mut generator);
            let mut schema = inline_definitions(schema.to_value(), &generator);
            if let Some(obj) = schema.as_object_mut() {
                obj.insert(
                    "$schema".into(),
                    json!("http://json-schema.org/draft-07/schema#"),
                );
                obj.insert("title".into(), json!(kind.label()));
            }
            CatalogEntry {
                kind,
                role: kind.role(),
                label: kind.label().into(),
                description: kind.description().into(),
                ports: kind.ports().iter().map(|p| p.to_string()).collect(),
                side_effects: kind.has_side_effects(),
                config_schema: schema,
                default_config: default_config(kind),
            }
        })
        .collect()
}

/// Resolves `$ref`s into `definitions` so each config schema stands alone.
fn inline_definitions(schema: Value, generator: &schemars::SchemaGenerator) -> Value {
    let definitions: serde_json::Map<String, Value> = generator.definitions().clone();
    let mut schema = schema;
    if let Some(obj) = schema.as_object_mut() {
        if !definitions.is_empty() {
            obj.insert("definitions".into(), Value::Object(definitions));
        }
    }
    resolve_top_ref(schema)
}

fn resolve_top_ref(mut schema: Value) -> Value {
    let Some(reference) = schema
        .get("$ref")
        .and_then(Value::as_str)
        .map(str::to_string)
    else {
        return schema;
    };
    let name = reference.rsplit('/').next().unwrap_or_default().to_string();
    let Some(target) = schema
        .get("definitions")
        .and_then(|d| d.get(&name))
        .cloned()
    else {
        return schema;
    };
    let definitions = schema.get("definitions").cloned();
    schema = target;
    if let (Some(obj), Some(defs)) = (schema.as_object_mut(), definitions) {
        let mut defs = defs;
        if let Some(d) = defs.as_object_mut() {
            d.remove(&name);
            if !d.is_empty() {
                obj.insert("definitions".into(), defs);
            }
        }
    }
    schema
}

/// The configuration the palette inserts for a kind: valid where it can be, with examples.
pub fn default_config(kind: ActivityKind) -> Value {
    match kind {
        ActivityKind::ScheduleTrigger => {
            json!({"schedule": {"type": "cron", "cron": "0 9 * * 1-5", "timezone": "UTC"}, "missed": "skip"})
        }
        ActivityKind::Condition => json!({"expression": "params.count > 0"}),
        ActivityKind::Loop => json!({"expression": "loop.index < 3", "max_iterations": 100}),
        ActivityKind::Wait => json!({"duration": "5m"}),
        ActivityKind::Approval => {
            json!({"group": "operators", "message": "Please review this run.", "default_outcome": "reject"})
        }
        ActivityKind::SetVariables => json!({"variables": {}}),
        ActivityKind::RunCommand => json!({"command": "echo hello"}),
        ActivityKind::HttpRequest => {
            json!({"method": "GET", "url": "http://127.0.0.1:8080/health"})
        }
        ActivityKind::WriteFile => {
            json!({"path": "out/report.txt", "content": "", "append": false})
        }
        ActivityKind::SendEmail => {
            json!({"to": "someone@example.com", "from": "weft@localhost", "subject": "", "body": "", "transport": {"type": "outbox"}})
        }
        ActivityKind::Notify => json!({"title": "Weft", "body": ""}),
        ActivityKind::Enrichment => {
            json!({"lookup": "regions.csv", "key": "custom.city", "column": "city", "fields": {"region": "region"}})
        }
        ActivityKind::SubWorkflow => json!({"workflow": "", "params": {}, "wait": true}),
        ActivityKind::FileTrigger => json!({"folder": "inbox", "pattern": "*.csv", "settle": "2s"}),
        ActivityKind::RecordTrigger => json!({"event": "new_contact", "batch": false}),
        ActivityKind::Query => {
            json!({"filter": {"match": "all", "rules": [{"field": "status", "op": "eq", "value": "new"}]}})
        }
        ActivityKind::Split => json!({"percent": 50}),
        ActivityKind::Deduplicate => json!({"field": "name"}),
        ActivityKind::UpdateData => json!({"set_status": "contacted"}),
        ActivityKind::ImportCsv => json!({"path": "leads.csv", "delimiter": ",", "status": "new"}),
        ActivityKind::ExportCsv => json!({"path": "out/contacts.csv"}),
        ActivityKind::SendEmailEach => {
            json!({"from": "weft@localhost", "subject": "Hello {{ contact.name }}", "body": "Hi {{ contact.name }},", "transport": {"type": "outbox"}})
        }
        _ => json!({}),
    }
}

/// JSON Schema (draft-07) of the whole workflow file format.
pub fn workflow_schema() -> Value {
    let generator = settings().into_generator();
    generator.into_root_schema_for::<WorkflowFile>().to_value()
}

/// JSON Schema of the engine commands.
pub fn command_schema() -> Value {
    settings()
        .into_generator()
        .into_root_schema_for::<crate::command::Command>()
        .to_value()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_config_loads() {
        for kind in ActivityKind::ALL {
            let file = json!({
                "format": 1, "name": "t",
                "activities": [{"id": "a", "kind": kind.name(), "config": default_config(*kind)}],
            });
            crate::load::from_value(file).unwrap_or_else(|e| panic!("{kind}: {e}"));
        }
    }

    #[test]
    fn schemas_stand_alone() {
        for entry in catalog() {
            let text = entry.config_schema.to_string();
            assert!(
                !text.contains("\"$ref\":\"#/$defs"),
                "{}: {text}",
                entry.kind
            );
        }
    }
}

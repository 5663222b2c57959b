//! Run parameters checked against the workflow's parameter schema: defaults filled in, required
//! ones present, simple types right. Errors name the parameter.

use serde_json::{Map, Value};

/// Applies defaults and checks `given` against `schema` (an object schema).
pub fn resolve(schema: &Value, given: &Value) -> Result<Value, Vec<String>> {
    let mut out: Map<String, Value> = match given {
        Value::Object(m) => m.clone(),
        Value::Null => Map::new(),
        _ => return Err(vec!["parameters must be a JSON object".into()]),
    };
    let mut problems = Vec::new();
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (name, prop) in &properties {
        if !out.contains_key(name) {
            if let Some(default) = prop.get("default") {
                out.insert(name.clone(), default.clone());
            }
        }
    }
    if let Some(required) = schema.get("required").and_then(Value::as_array) {
        for name in required.iter().filter_map(Value::as_str) {
            if !out.contains_key(name) {
                problems.push(format!("parameter {name:?} is required"));
            }
        }
    }
    for (name, value) in out.iter_mut() {
        let Some(prop) = properties.get(name) else {
            continue;
        };
        let Some(kind) = prop.get("type").and_then(Value::as_str) else {
            continue;
        };
        // Values given on a command line arrive as strings: coerce where it is unambiguous.
        if let Value::String(text) = value {
            let coerced = match kind {
                "integer" => text.parse::<i64>().ok().map(Value::from),
                "number" => text.parse::<f64>().ok().map(Value::from),
                "boolean" => text.parse::<bool>().ok().map(Value::from),
                _ => None,
            };
            if let Some(c) = coerced {
                *value = c;
            }
        }
        let ok = match kind {
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => true,
        };
        if !ok {
            problems.push(format!(
                "parameter {name:?} must be of type {kind}, got {value}"
            ));
        }
        if let (Some(options), false) =
            (prop.get("enum").and_then(Value::as_array), value.is_null())
        {
            if !options.contains(value) {
                problems.push(format!(
                    "parameter {name:?} must be one of {}",
                    Value::Array(options.clone())
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(Value::Object(out))
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fills_defaults_and_coerces_cli_strings() {
        let schema = json!({"type":"object","properties":{"n":{"type":"integer","default":3},"name":{"type":"string"}},"required":["name"]});
        assert_eq!(
            resolve(&schema, &json!({"name":"x"})).unwrap(),
            json!({"name":"x","n":3})
        );
        assert_eq!(
            resolve(&schema, &json!({"name":"x","n":"7"})).unwrap()["n"],
            json!(7)
        );
    }

    #[test]
    fn names_every_problem() {
        let schema =
            json!({"type":"object","properties":{"n":{"type":"integer"}},"required":["name"]});
        let problems = resolve(&schema, &json!({"n":"seven"})).unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:?}");
    }
}

//! Property tests of the file format: generated workflows round-trip, and no input — random
//! JSON, mutated files, random graphs — makes the loader or the validator panic.

use proptest::prelude::*;
use serde_json::{json, Value};
use weft_engine::model::ActivityKind;

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[a-z_]{0,8}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn arb_workflow() -> impl Strategy<Value = Value> {
    let kinds: Vec<&'static str> = ActivityKind::ALL.iter().map(|k| k.name()).collect();
    (2usize..12, prop::collection::vec((0usize..12, 0usize..12, 0usize..3), 0..20), prop::collection::vec(prop::sample::select(kinds), 12))
        .prop_map(|(n, edges, kinds)| {
            let activities: Vec<Value> = (0..n)
                .map(|i| {
                    let kind = ActivityKind::from_name(kinds[i]).unwrap();
                    json!({"id": format!("a{i}"), "kind": kind.name(), "config": kind.default_config(), "position": {"x": i as f64 * 10.0, "y": 0.0}})
                })
                .collect();
            let ports = ["ok", "true", "error"];
            let transitions: Vec<Value> = edges.into_iter().map(|(a, b, p)| json!({"from": format!("a{}", a % n), "port": ports[p], "to": format!("a{}", b % n)})).collect();
            json!({"format": 1, "name": "generated", "activities": activities, "transitions": transitions})
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn generated_workflows_round_trip_and_validate_without_panicking(body in arb_workflow()) {
        let wf = weft_engine::load::from_value(body).expect("generated workflows load");
        let text = wf.to_pretty_json();
        let back = weft_engine::load::from_str(&text).expect("round trip");
        prop_assert_eq!(&wf, &back);
        let _ = weft_engine::validate::validate(&wf);
    }

    #[test]
    fn arbitrary_json_never_panics_the_loader(value in arb_json()) {
        let _ = weft_engine::load::from_value(value.clone());
        let _ = weft_engine::load::from_str(&value.to_string());
    }

    #[test]
    fn mutated_files_give_errors_not_panics(body in arb_workflow(), path in prop::collection::vec(0usize..8, 1..4), replacement in arb_json()) {
        let mut body = body;
        let mut pointer = String::new();
        for step in path {
            let next = match body.pointer(&pointer) {
                Some(Value::Object(m)) if !m.is_empty() => m.keys().nth(step % m.len()).map(|k| k.replace('~', "~0").replace('/', "~1")),
                Some(Value::Array(a)) if !a.is_empty() => Some((step % a.len()).to_string()),
                _ => None,
            };
            match next { Some(n) => pointer = format!("{pointer}/{n}"), None => break }
        }
        if let Some(slot) = body.pointer_mut(&pointer) {
            *slot = replacement;
        }
        if let Ok(wf) = weft_engine::load::from_value(body) {
            let _ = weft_engine::validate::validate(&wf);
        }
    }

    #[test]
    fn truncated_text_gives_a_syntax_error(body in arb_workflow(), cut in 1usize..400) {
        let text = body.to_string();
        let cut = cut.min(text.len() - 1);
        let err = weft_engine::load::from_str(&text[..cut]).unwrap_err();
        prop_assert_eq!(err.code(), "WEFT-F001");
    }
}

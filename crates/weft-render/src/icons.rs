//! The canvas's icons (lucide drawings on a 24×24 grid), from `assets/icons/canvas-icons.json`,
//! which the UI's test `ui/src/app/icons.node.test.ts` writes from the app's own icon choices.

use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

const ICONS: &str = include_str!("../../../assets/icons/canvas-icons.json");

#[derive(Debug, Default, Deserialize)]
struct Icons {
    kind: HashMap<String, String>,
    role: HashMap<String, String>,
    badge: HashMap<String, String>,
}

fn icons() -> &'static Icons {
    static ICONS_PARSED: OnceLock<Icons> = OnceLock::new();
    // The file is generated and checked in CI; a broken one draws cards without icons.
    ICONS_PARSED.get_or_init(|| serde_json::from_str(ICONS).unwrap_or_default())
}

/// The drawing of a kind's icon, else of its role's (as the canvas falls back).
pub(crate) fn of_kind(kind: &str, role: &str) -> &'static str {
    let i = icons();
    i.kind
        .get(kind)
        .or_else(|| i.role.get(role))
        .map_or("", String::as_str)
}

/// A badge's icon: `hold`, `disabled` or `problem`.
pub(crate) fn badge(name: &str) -> &'static str {
    icons().badge.get(name).map_or("", String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use weft_engine::model::ActivityKind;

    #[test]
    fn every_kind_has_an_icon() {
        for kind in ActivityKind::ALL {
            let drawing = of_kind(kind.name(), "action");
            assert!(
                drawing.contains("<path")
                    || drawing.contains("<circle")
                    || drawing.contains("<rect")
                    || drawing.contains("<line"),
                "{kind}"
            );
            assert!(
                !icons().kind.get(kind.name()).is_none_or(String::is_empty),
                "no icon of its own: {kind}"
            );
        }
        for b in ["hold", "disabled", "problem"] {
            assert!(!badge(b).is_empty(), "{b}");
        }
    }
}

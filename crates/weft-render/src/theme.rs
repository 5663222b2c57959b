//! The canvas's colours, read from the UI's design tokens (`ui/src/styles/tokens.css`) so that a
//! picture and the canvas share one palette: a token changed there changes both.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The UI's design tokens, the one source of the palette.
const TOKENS: &str = include_str!("../../../ui/src/styles/tokens.css");

/// Light or dark, as the app's theme switch.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// The light theme (`:root`).
    #[default]
    Light,
    /// The dark theme (`:root[data-theme="dark"]`).
    Dark,
}

impl std::str::FromStr for Theme {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "light" => Ok(Self::Light),
            "dark" => Ok(Self::Dark),
            other => Err(format!("unknown theme `{other}`: light or dark")),
        }
    }
}

/// The colours of one theme: custom property name (without `--`) → `#rrggbb`.
#[derive(Debug)]
pub(crate) struct Palette {
    colours: HashMap<String, Rgb>,
}

/// An opaque colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    fn parse(hex: &str) -> Option<Self> {
        let h = hex.strip_prefix('#')?;
        let byte = |i: usize| u8::from_str_radix(h.get(i..i + 2)?, 16).ok();
        match h.len() {
            6 => Some(Self(byte(0)?, byte(2)?, byte(4)?)),
            3 => {
                let nib = |i: usize| u8::from_str_radix(h.get(i..=i)?, 16).ok().map(|v| v * 17);
                Some(Self(nib(0)?, nib(1)?, nib(2)?))
            }
            _ => None,
        }
    }

    /// `color-mix(in srgb, self pct%, other)`, as the stylesheet writes tints.
    pub fn mix(self, pct: f32, other: Rgb) -> Rgb {
        let p = pct.clamp(0.0, 100.0) / 100.0;
        let ch = |a: u8, b: u8| (f32::from(a) * p + f32::from(b) * (1.0 - p)).round() as u8;
        Rgb(
            ch(self.0, other.0),
            ch(self.1, other.1),
            ch(self.2, other.2),
        )
    }

    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

impl Palette {
    /// The palette of `theme` (parsed once).
    pub fn of(theme: Theme) -> &'static Palette {
        static LIGHT: OnceLock<Palette> = OnceLock::new();
        static DARK: OnceLock<Palette> = OnceLock::new();
        match theme {
            Theme::Light => LIGHT.get_or_init(|| parse(TOKENS, Theme::Light)),
            Theme::Dark => DARK.get_or_init(|| parse(TOKENS, Theme::Dark)),
        }
    }

    /// A token's colour; a missing token (a renamed one) draws magenta rather than failing, and a
    /// test checks every token the renderer uses exists in both themes.
    pub fn get(&self, name: &str) -> Rgb {
        self.colours
            .get(name)
            .copied()
            .unwrap_or(Rgb(0xff, 0x00, 0xff))
    }

    #[cfg(test)]
    pub fn has(&self, name: &str) -> bool {
        self.colours.contains_key(name)
    }
}

/// The declarations of the block that opens with `selector {`.
fn block<'a>(css: &'a str, selector: &str) -> &'a str {
    let Some(start) = css.find(selector) else {
        return "";
    };
    let rest = &css[start + selector.len()..];
    let open = rest.find('{').map_or(0, |i| i + 1);
    let close = rest[open..].find('}').map_or(rest.len(), |i| open + i);
    &rest[open..close]
}

fn parse(css: &str, theme: Theme) -> Palette {
    let mut raw: HashMap<String, String> = HashMap::new();
    let mut read = |decls: &str| {
        for decl in decls.split(';') {
            // Comments sit between declarations; keep what follows the last one.
            let decl = decl.rsplit("*/").next().unwrap_or(decl);
            if let Some((name, value)) = decl.split_once(':') {
                if let Some(name) = name.trim().strip_prefix("--") {
                    raw.insert(name.to_string(), value.trim().to_string());
                }
            }
        }
    };
    read(block(css, ":root"));
    if theme == Theme::Dark {
        read(block(css, ":root[data-theme=\"dark\"]"));
    }
    let resolve = |value: &str| -> Option<Rgb> {
        let mut v = value.to_string();
        // `var(--accent)`: one level of indirection is all the tokens use.
        for _ in 0..4 {
            match v.strip_prefix("var(--").and_then(|r| r.strip_suffix(')')) {
                Some(name) => v = raw.get(name)?.clone(),
                None => break,
            }
        }
        Rgb::parse(&v)
    };
    let colours = raw
        .iter()
        .filter_map(|(k, v)| resolve(v).map(|c| (k.clone(), c)))
        .collect();
    Palette { colours }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_themes_from_the_ui_tokens() {
        let light = Palette::of(Theme::Light);
        let dark = Palette::of(Theme::Dark);
        assert_eq!(light.get("canvas-bg"), Rgb(0xf4, 0xf5, 0xf8));
        assert_eq!(dark.get("canvas-bg"), Rgb(0x12, 0x14, 0x1a));
        // Tokens the dark theme does not override keep their light value.
        assert_eq!(dark.get("role-action"), Rgb(0x60, 0xa5, 0xfa));
        // `--edge-active: var(--accent)` follows the theme's accent.
        assert_eq!(light.get("edge-active"), light.get("accent"));
        assert_eq!(dark.get("edge-active"), dark.get("accent"));
    }

    #[test]
    fn mixes_like_color_mix() {
        let white = Rgb(255, 255, 255);
        assert_eq!(Rgb(0, 0, 0).mix(14.0, white), Rgb(219, 219, 219));
        assert_eq!(Rgb(10, 20, 30).mix(100.0, white), Rgb(10, 20, 30));
    }
}

//! The fonts pictures are drawn with, built into the binary: the UI's Inter (labels) and
//! JetBrains Mono (counts, durations) from the top-level `assets/fonts/`, so a picture looks the
//! same on every machine whatever fonts it has. Also measures text, to fit labels in a card.

use resvg::usvg::fontdb;
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};
use std::sync::{Arc, OnceLock};

const INTER_REGULAR: &[u8] = include_bytes!("../../../assets/fonts/Inter-Regular.otf");
const INTER_SEMIBOLD: &[u8] = include_bytes!("../../../assets/fonts/Inter-SemiBold.otf");
const MONO: &[u8] = include_bytes!("../../../assets/fonts/JetBrainsMono-Regular.ttf");

/// The sans-serif family of labels.
pub(crate) const SANS: &str = "Inter";
/// The monospace family of counts and durations.
pub(crate) const MONO_FAMILY: &str = "JetBrains Mono";

/// A face the renderer writes text in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Face {
    /// Inter 400.
    Regular,
    /// Inter 600.
    SemiBold,
    /// JetBrains Mono 400.
    Mono,
}

impl Face {
    fn bytes(self) -> &'static [u8] {
        match self {
            Face::Regular => INTER_REGULAR,
            Face::SemiBold => INTER_SEMIBOLD,
            Face::Mono => MONO,
        }
    }

    /// `font-family` and `font-weight` of the face in SVG.
    pub fn svg_attributes(self) -> (&'static str, u16) {
        match self {
            Face::Regular => (SANS, 400),
            Face::SemiBold => (SANS, 600),
            Face::Mono => (MONO_FAMILY, 400),
        }
    }
}

/// The UI's font files by name (`Inter-Regular.otf`…), from the same bytes: the desktop shell
/// and the HTTP bridge serve them to the webview, so the package holds each font once.
pub fn file(name: &str) -> Option<(&'static [u8], &'static str)> {
    match name {
        "Inter-Regular.otf" => Some((INTER_REGULAR, "font/otf")),
        "Inter-SemiBold.otf" => Some((INTER_SEMIBOLD, "font/otf")),
        "JetBrainsMono-Regular.ttf" => Some((MONO, "font/ttf")),
        _ => None,
    }
}

/// The font database resvg draws text from: only the built-in fonts.
pub(crate) fn database() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        for face in [Face::Regular, Face::SemiBold, Face::Mono] {
            db.load_font_data(face.bytes().to_vec());
        }
        db.set_sans_serif_family(SANS);
        db.set_monospace_family(MONO_FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// The width of `text` in `face` at `size` px (advances; kerning is ignored, which errs wide).
pub(crate) fn text_width(text: &str, face: Face, size: f32) -> f32 {
    let Ok(font) = FontRef::new(face.bytes()) else {
        // Built-in fonts always parse (a test checks); an estimate keeps pictures drawable.
        return text.chars().count() as f32 * size * 0.6;
    };
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
    text.chars()
        .map(|c| {
            let glyph = charmap.map(c).unwrap_or_default();
            metrics.advance_width(glyph).unwrap_or(size * 0.6)
        })
        .sum()
}

/// `text` cut to fit `max` px with an ellipsis, as the canvas's `text-overflow: ellipsis`.
pub(crate) fn fit(text: &str, face: Face, size: f32, max: f32) -> String {
    if text_width(text, face, size) <= max {
        return text.to_string();
    }
    let ellipsis = text_width("…", face, size);
    let mut out = String::new();
    let mut width = 0.0;
    for c in text.chars() {
        let w = text_width(c.encode_utf8(&mut [0; 4]), face, size);
        if width + w + ellipsis > max {
            break;
        }
        width += w;
        out.push(c);
    }
    format!("{}…", out.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_fonts_parse_and_measure() {
        for face in [Face::Regular, Face::SemiBold, Face::Mono] {
            assert!(FontRef::new(face.bytes()).is_ok(), "{face:?}");
            let w = text_width("Send email", face, 13.0);
            assert!(w > 40.0 && w < 120.0, "{face:?}: {w}");
        }
        assert!(text_width("WWW", Face::SemiBold, 13.0) > text_width("iii", Face::SemiBold, 13.0));
        assert_eq!(database().len(), 3);
    }

    #[test]
    fn fits_long_labels_with_an_ellipsis() {
        let long = "Send the weekly newsletter to every subscribed contact in Europe";
        let cut = fit(long, Face::SemiBold, 13.0, 168.0);
        assert!(cut.ends_with('…') && cut.len() < long.len(), "{cut}");
        assert!(text_width(&cut, Face::SemiBold, 13.0) <= 168.0);
        assert_eq!(fit("Short", Face::SemiBold, 13.0, 168.0), "Short");
    }
}

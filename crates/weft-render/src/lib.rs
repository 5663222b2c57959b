//! Pictures of workflows, drawn from the model rather than from a screen: the canvas's look
//! (role colours, icons, labels and kinds, handles, transitions and their labels, and a run's
//! states, counts and durations) written as SVG and rasterised with resvg. One code path serves
//! Copy as bitmap and Export in the app and the browser, the template gallery's previews and
//! `weft render`, so every picture is the same on every machine (the fonts are built in).
//!
//! - [`picture`]: what is drawn, and where ([`Picture`] → [`Svg`]).
//! - [`geometry`]: card sizes, handles and curves as the canvas places them.
//! - [`overlay`]: a run folded into what its cards and transitions show.
//! - [`theme`]: the palette, read from the UI's design tokens.

mod fonts;
pub use fonts::file as font_file;
pub mod geometry;
mod icons;
pub mod overlay;
pub mod picture;
pub mod theme;

pub use overlay::RunOverlay;
pub use picture::{Picture, Svg, PADDING};
pub use theme::Theme;

use resvg::{tiny_skia, usvg};
use weft_engine::ops::error::ApiError;
use weft_engine::{Engine, WorkflowFile};

/// Why a picture could not be made (codes `WEFT-G…`, docs/errors/README.md).
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// Nothing to draw: the workflow has no activity.
    #[error("nothing to draw: the workflow has no activity")]
    Empty,
    /// A selected activity is not in the workflow.
    #[error("no activity `{0}` in this workflow")]
    UnknownActivity(String),
    /// The bitmap would be over [`MAX_PIXELS`].
    #[error("the picture would be {width} × {height} pixels, over the limit of {MAX_PIXELS}; export SVG, select fewer activities or use a smaller scale")]
    TooLarge {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// The drawing could not be read back or encoded (a bug: reported with its cause).
    #[error("the picture could not be drawn: {0}")]
    Draw(String),
    /// Reading the workflow or the run failed.
    #[error(transparent)]
    Engine(#[from] weft_engine::exec::Error),
    /// The workflow sent is not a workflow file (the JSON path is named).
    #[error(transparent)]
    Load(#[from] weft_engine::load::Error),
}

impl RenderError {
    /// Its stable code (an engine error keeps its own).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "WEFT-G001",
            Self::UnknownActivity(_) => "WEFT-G002",
            Self::TooLarge { .. } => "WEFT-G003",
            Self::Draw(_) => "WEFT-G004",
            Self::Engine(e) => e.code(),
            Self::Load(e) => e.code(),
        }
    }
}

impl From<RenderError> for ApiError {
    fn from(e: RenderError) -> Self {
        match e {
            // Engine errors keep their own codes (no such run, store failures).
            RenderError::Engine(inner) => ApiError::from(inner),
            RenderError::Load(inner) => ApiError::from(inner),
            other => ApiError::new(other.code(), other.to_string()),
        }
    }
}

/// The workflow as it was when run `run_id` started (its revision), and the run drawn on it.
pub fn run_picture(
    engine: &Engine,
    run_id: i64,
) -> Result<(WorkflowFile, RunOverlay), RenderError> {
    let run = engine.run(run_id)?;
    let workflow = engine.workflow_revision(&run.summary.workflow_id, run.summary.revision)?;
    Ok((workflow, overlay_of_run(engine, run_id)?))
}

/// The most pixels a bitmap may have (256 MB of RGBA): a 5,000-activity workflow at 2× would
/// exceed it, and SVG is the way out.
pub const MAX_PIXELS: u64 = 64 * 1024 * 1024;

/// The scale of bitmaps in the app: 2× (sharp on high-density screens and in documents).
pub const BITMAP_SCALE: f32 = 2.0;

/// A bitmap: straight (not premultiplied) RGBA rows, or a PNG file's bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bitmap {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The bytes (RGBA rows for [`rgba`], a PNG file for [`png`]).
    pub bytes: Vec<u8>,
}

/// The picture as an SVG document whose text refers to the built-in fonts by name.
pub fn svg(p: &Picture<'_>) -> Result<Svg, RenderError> {
    picture::svg(p)
}

fn tree(svg: &Svg) -> Result<usvg::Tree, RenderError> {
    let options = usvg::Options {
        fontdb: fonts::database(),
        font_family: fonts::SANS.to_string(),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(&svg.text, &options).map_err(|e| RenderError::Draw(e.to_string()))
}

/// The picture as a self-contained SVG file (its `text`): text turned into outlines, so that it
/// looks the same in any viewer, with or without the fonts.
pub fn svg_file(p: &Picture<'_>) -> Result<Svg, RenderError> {
    let drawn = svg(p)?;
    let tree = tree(&drawn)?;
    let file = tree.to_string(&usvg::WriteOptions::default());
    // usvg writes a size but no viewBox; with one, the picture scales to any box (an <img>).
    let text = match file.find("<svg ") {
        Some(at) if !file[..file.find('>').unwrap_or(0)].contains("viewBox") => format!(
            "{}<svg viewBox=\"0 0 {} {}\" {}",
            &file[..at],
            drawn.width,
            drawn.height,
            &file[at + 5..]
        ),
        _ => file,
    };
    Ok(Svg { text, ..drawn })
}

fn pixmap(p: &Picture<'_>, scale: f32) -> Result<tiny_skia::Pixmap, RenderError> {
    let drawn = svg(p)?;
    let scale = if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        BITMAP_SCALE
    };
    let width = (drawn.width * scale).ceil() as u32;
    let height = (drawn.height * scale).ceil() as u32;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(RenderError::TooLarge { width, height });
    }
    let tree = tree(&drawn)?;
    let mut pixmap =
        tiny_skia::Pixmap::new(width, height).ok_or(RenderError::TooLarge { width, height })?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}

/// The picture as a PNG file at `scale` (the app uses [`BITMAP_SCALE`]).
pub fn png(p: &Picture<'_>, scale: f32) -> Result<Bitmap, RenderError> {
    let pixmap = pixmap(p, scale)?;
    let bytes = pixmap
        .encode_png()
        .map_err(|e| RenderError::Draw(e.to_string()))?;
    Ok(Bitmap {
        width: pixmap.width(),
        height: pixmap.height(),
        bytes,
    })
}

/// The picture as straight RGBA pixels at `scale` (what a clipboard takes).
pub fn rgba(p: &Picture<'_>, scale: f32) -> Result<Bitmap, RenderError> {
    let pixmap = pixmap(p, scale)?;
    let bytes = pixmap
        .pixels()
        .iter()
        .flat_map(|px| {
            let c = px.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        })
        .collect();
    Ok(Bitmap {
        width: pixmap.width(),
        height: pixmap.height(),
        bytes,
    })
}

/// A picture file's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// PNG at [`BITMAP_SCALE`].
    Png,
    /// SVG with text as outlines.
    Svg,
}

/// A picture file, as Export writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PictureFile {
    /// `image/png` or `image/svg+xml`.
    pub mime: &'static str,
    /// The file.
    pub bytes: Vec<u8>,
    /// Width in pixels (PNG) or canvas units (SVG).
    pub width: u32,
    /// Height in pixels (PNG) or canvas units (SVG).
    pub height: u32,
}

/// What the front doors' Copy as bitmap and Export ask for: the editor's workflow as shown
/// (saved or not), optionally with run `run_id` on it, as a file.
pub fn picture_file(
    engine: &Engine,
    workflow: &WorkflowFile,
    selection: &[String],
    theme: Theme,
    run_id: Option<i64>,
    format: Format,
) -> Result<PictureFile, RenderError> {
    let overlay = run_id.map(|id| overlay_of_run(engine, id)).transpose()?;
    let picture = Picture {
        workflow,
        selection,
        theme,
        run: overlay.as_ref(),
    };
    match format {
        Format::Png => {
            let png = png(&picture, BITMAP_SCALE)?;
            Ok(PictureFile {
                mime: "image/png",
                bytes: png.bytes,
                width: png.width,
                height: png.height,
            })
        }
        Format::Svg => {
            let file = svg_file(&picture)?;
            Ok(PictureFile {
                mime: "image/svg+xml",
                width: file.width.ceil() as u32,
                height: file.height.ceil() as u32,
                bytes: file.text.into_bytes(),
            })
        }
    }
}

/// What Copy as bitmap and Export ask of a front door (desktop command `render_picture` /
/// `copy_picture`, `POST /api/v1/pictures`).
#[derive(Clone, Debug, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PictureRequest {
    /// The workflow as the editor shows it (saved or not); read as a workflow file is, so that
    /// a bad one is refused with the path of the bad field.
    #[ts(type = "WorkflowFile")]
    pub body: serde_json::Value,
    /// The activities to draw; empty draws them all.
    #[serde(default)]
    pub selection: Vec<String>,
    /// Light or dark.
    #[serde(default)]
    pub theme: Theme,
    /// A run to show on it.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub run_id: Option<i64>,
    /// PNG or SVG (Copy as bitmap is always PNG).
    pub format: Format,
}

/// A picture file as it crosses a bridge.
#[derive(Clone, Debug, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PictureData {
    /// `image/png` or `image/svg+xml`.
    pub mime: String,
    /// The file's bytes, base64.
    pub base64: String,
    /// Width in pixels (PNG) or canvas units (SVG).
    pub width: u32,
    /// Height in pixels (PNG) or canvas units (SVG).
    pub height: u32,
}

impl PictureRequest {
    /// The workflow sent, read as a workflow file is.
    fn workflow(&self) -> Result<WorkflowFile, RenderError> {
        Ok(weft_engine::load::from_value(self.body.clone())?)
    }

    /// Draws the file asked for.
    pub fn draw(&self, engine: &Engine) -> Result<PictureData, RenderError> {
        use base64::Engine as _;
        let body = self.workflow()?;
        let file = picture_file(
            engine,
            &body,
            &self.selection,
            self.theme,
            self.run_id,
            self.format,
        )?;
        Ok(PictureData {
            mime: file.mime.into(),
            base64: base64::engine::general_purpose::STANDARD.encode(&file.bytes),
            width: file.width,
            height: file.height,
        })
    }

    /// The bitmap Copy as bitmap places on a clipboard: straight RGBA at 2×.
    pub fn clipboard_bitmap(&self, engine: &Engine) -> Result<Bitmap, RenderError> {
        let body = self.workflow()?;
        let overlay = self
            .run_id
            .map(|id| overlay_of_run(engine, id))
            .transpose()?;
        rgba(
            &Picture {
                workflow: &body,
                selection: &self.selection,
                theme: self.theme,
                run: overlay.as_ref(),
            },
            BITMAP_SCALE,
        )
    }
}

/// The TypeScript of the types above, for `ui/src/bridge/generated/picture.ts` (`weft gen-ts`).
pub fn typescript() -> String {
    use ts_rs::TS;
    let mut out = String::from("// Generated from crates/weft-render by `weft gen-ts` (ts-rs). Do not edit: change the Rust types.\n/* eslint-disable */\nimport type { WorkflowFile } from \"./index\";\n\n");
    for decl in [
        Theme::decl(),
        Format::decl(),
        PictureRequest::decl(),
        PictureData::decl(),
    ] {
        out.push_str("export ");
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    out
}

/// Run `run_id`'s states and counts, to draw on a workflow.
pub fn overlay_of_run(engine: &Engine, run_id: i64) -> Result<RunOverlay, RenderError> {
    Ok(RunOverlay::from_records(
        &engine.run_tasks(run_id)?,
        &engine.run_edges(run_id)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use theme::Palette;

    #[test]
    fn both_themes_define_every_token_drawn() {
        for theme in [Theme::Light, Theme::Dark] {
            for token in picture::TOKENS_USED {
                assert!(Palette::of(theme).has(token), "{theme:?} lacks --{token}");
            }
        }
    }
}

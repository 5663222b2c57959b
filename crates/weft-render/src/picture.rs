//! Draws a workflow, or a selection of it, to SVG in the canvas's look: cards with their role
//! colour, icon, label, kind, badges and handles; transitions with their arrows and labels; and,
//! when a run is shown, each card's run state and duration and each transition's count.

use crate::fonts::{self, Face};
use crate::geometry::{self, card_size, Curve, Rect};
use crate::icons;
use crate::overlay::{format_duration, RunOverlay, Visual};
use crate::theme::{Palette, Rgb, Theme};
use crate::RenderError;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use weft_engine::model::{Activity, ExecutionMode, Role, WorkflowFile};
use weft_engine::validate::{validate, Severity};

/// Space around the drawn activities, in canvas units (as the canvas's former export).
pub const PADDING: f32 = 32.0;

/// What to draw.
#[derive(Clone, Copy, Debug)]
pub struct Picture<'a> {
    /// The workflow (saved or not: the editor draws what it shows).
    pub workflow: &'a WorkflowFile,
    /// The activities to draw, and the transitions between them; empty draws every activity.
    pub selection: &'a [String],
    /// Light or dark.
    pub theme: Theme,
    /// A run to show on it.
    pub run: Option<&'a RunOverlay>,
}

/// A picture as SVG, and its size in canvas units (CSS pixels at 1×).
#[derive(Clone, Debug, PartialEq)]
pub struct Svg {
    /// The document.
    pub text: String,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
    /// The drawn activities' bounds, in the workflow's coordinates.
    pub bounds: Rect,
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Start => "start",
        Role::Finish => "finish",
        Role::Trigger => "trigger",
        Role::Action => "action",
        Role::Condition => "condition",
        Role::Wait => "wait",
        Role::Parallel => "parallel",
        Role::Approval => "approval",
    }
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Control characters are not allowed in XML 1.0; a label may hold one.
            c if (c as u32) < 0x20 && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Writes `text` with its baseline at `y`.
// A drawing primitive: a position, the words and the four attributes of their style, as SVG
// spells them; a struct for the style would only rename them.
#[allow(clippy::too_many_arguments)]
fn text(out: &mut String, x: f32, y: f32, s: &str, face: Face, size: f32, fill: Rgb, anchor: &str) {
    let (family, weight) = face.svg_attributes();
    let _ = write!(
        out,
        r#"<text x="{x:.2}" y="{y:.2}" font-family="{family}" font-weight="{weight}" font-size="{size}" fill="{}" text-anchor="{anchor}">{}</text>"#,
        fill.hex(),
        esc(s)
    );
}

/// A lucide drawing of `size` px at (x, y), stroked with `colour`.
fn icon(out: &mut String, drawing: &str, x: f32, y: f32, size: f32, colour: Rgb, stroke: f32) {
    let _ = write!(
        out,
        r#"<g transform="translate({x:.2} {y:.2}) scale({:.4})" fill="none" stroke="{}" stroke-width="{stroke}" stroke-linecap="round" stroke-linejoin="round">{drawing}</g>"#,
        size / 24.0,
        colour.hex()
    );
}

/// A pill (fully rounded rectangle).
fn pill(out: &mut String, x: f32, y: f32, w: f32, h: f32, fill: Rgb, border: Option<Rgb>) {
    let stroke = border.map_or(String::new(), |b| {
        format!(r#" stroke="{}" stroke-width="1""#, b.hex())
    });
    let _ = write!(
        out,
        r#"<rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" rx="{:.2}" fill="{}"{stroke}/>"#,
        x + 0.5,
        y + 0.5,
        w - 1.0,
        h - 1.0,
        h / 2.0,
        fill.hex()
    );
}

/// Where a pill's text baseline goes so that capitals and digits sit centred.
fn centred_baseline(centre_y: f32, size: f32) -> f32 {
    centre_y + size * 0.36
}

/// A badge's width and how to draw it at a left edge.
type Badge = (f32, Box<dyn Fn(&mut String, f32)>);

struct Card<'a> {
    activity: &'a Activity,
    role: Role,
    rect: Rect,
    ports: &'static [&'static str],
}

/// Draws the picture.
pub fn svg(p: &Picture<'_>) -> Result<Svg, RenderError> {
    let wf = p.workflow;
    let palette = Palette::of(p.theme);
    let wanted: HashSet<&str> = p.selection.iter().map(String::as_str).collect();
    for id in &wanted {
        if wf.activity(id).is_none() {
            return Err(RenderError::UnknownActivity((*id).to_string()));
        }
    }
    let cards: Vec<Card<'_>> = wf
        .activities
        .iter()
        .filter(|a| wanted.is_empty() || wanted.contains(a.id.as_str()))
        .map(|a| {
            let role = a.role();
            let (width, height) = card_size(role);
            Card {
                activity: a,
                role,
                rect: Rect {
                    x: a.position.x as f32,
                    y: a.position.y as f32,
                    width,
                    height,
                },
                ports: a.kind().ports(),
            }
        })
        .collect();
    let Some(bounds) = cards.iter().map(|c| c.rect).reduce(Rect::union) else {
        return Err(RenderError::Empty);
    };
    let width = bounds.width + 2.0 * PADDING;
    let height = bounds.height + 2.0 * PADDING;
    let by_id: HashMap<&str, &Card<'_>> =
        cards.iter().map(|c| (c.activity.id.as_str(), c)).collect();
    let connected: HashSet<(&str, &str)> = wf
        .transitions
        .iter()
        .map(|t| (t.from.as_str(), t.port.as_str()))
        .collect();
    let mut problems: HashMap<String, (usize, usize)> = HashMap::new();
    for d in validate(wf) {
        if let Some(a) = d.activity {
            let e = problems.entry(a).or_default();
            match d.severity {
                Severity::Error => e.0 += 1,
                Severity::Warning => e.1 += 1,
            }
        }
    }

    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">"#
    );
    out.push_str(r#"<filter id="grey"><feColorMatrix type="saturate" values="0"/></filter>"#);
    let _ = write!(
        out,
        r#"<rect width="{width}" height="{height}" fill="{}"/>"#,
        palette.get("canvas-bg").hex()
    );
    // Canvas coordinates from here on: the bounds' corner lands at (PADDING, PADDING).
    let _ = write!(
        out,
        r#"<g transform="translate({:.2} {:.2})">"#,
        PADDING - bounds.x,
        PADDING - bounds.y
    );

    // Transitions between drawn activities, under the cards.
    let mut labels = String::new();
    for t in &wf.transitions {
        let (Some(from), Some(to)) = (by_id.get(t.from.as_str()), by_id.get(t.to.as_str())) else {
            continue;
        };
        let index = from.ports.iter().position(|p| *p == t.port).unwrap_or(0);
        let curve = Curve::between(
            geometry::source_point(from.rect, index, from.ports.len().max(1)),
            geometry::target_point(to.rect),
        );
        let record = p
            .run
            .and_then(|r| r.edges.get(&(t.from.clone(), t.port.clone(), t.to.clone())));
        let (colour, stroke_width, extra) = match (p.run, record) {
            (None, _) => (palette.get("edge"), 1.6, String::new()),
            (Some(_), Some(e)) if e.taken > 0 => (palette.get("success"), 2.2, String::new()),
            (Some(_), Some(e)) if e.dead => (
                palette.get("edge"),
                1.6,
                r#" stroke-dasharray="4 4" opacity="0.5""#.to_string(),
            ),
            (Some(_), _) => (palette.get("edge"), 1.6, r#" opacity="0.6""#.to_string()),
        };
        let _ = write!(
            out,
            r#"<g data-transition="{}:{}->{}"{extra}><path d="{}" fill="none" stroke="{}" stroke-width="{stroke_width}"/>"#,
            esc(&t.from),
            esc(&t.port),
            esc(&t.to),
            curve.path(),
            colour.hex()
        );
        arrow(&mut out, &curve, colour);
        out.push_str("</g>");
        let (mx, my) = curve.middle();
        let count = record.and_then(|e| e.label(&t.port));
        if let Some(count) = count {
            let size = 11.0;
            let w = fonts::text_width(&count, Face::Mono, size) + 16.0;
            let h = 20.0;
            let success = palette.get("success");
            pill(
                &mut labels,
                mx - w / 2.0,
                my - h / 2.0,
                w,
                h,
                palette.get("success-soft"),
                Some(success.mix(35.0, palette.get("success-soft"))),
            );
            text(
                &mut labels,
                mx,
                centred_baseline(my, size),
                &count,
                Face::Mono,
                size,
                success,
                "middle",
            );
        } else if from.ports.len() > 1 {
            let size = 10.5;
            let w = fonts::text_width(&t.port, Face::SemiBold, size) + 16.0;
            let h = 19.0;
            let colour = match t.port.as_str() {
                "true" | "approved" | "again" => palette.get("success"),
                "false" | "rejected" | "error" => palette.get("danger"),
                _ => palette.get("text-2"),
            };
            pill(
                &mut labels,
                mx - w / 2.0,
                my - h / 2.0,
                w,
                h,
                palette.get("surface"),
                Some(palette.get("border")),
            );
            text(
                &mut labels,
                mx,
                centred_baseline(my, size),
                &t.port,
                Face::SemiBold,
                size,
                colour,
                "middle",
            );
        }
    }
    out.push_str(&labels);

    for card in &cards {
        let problem = problems.get(&card.activity.id).copied().unwrap_or_default();
        let run = p.run.map(|r| {
            r.activities
                .get(&card.activity.id)
                .map_or((Visual::NotReached, None), |a| (a.visual, a.duration_ms))
        });
        draw_card(&mut out, palette, card, &connected, problem, run);
    }
    out.push_str("</g></svg>");
    Ok(Svg {
        text: out,
        width,
        height,
        bounds,
    })
}

/// xyflow's closed arrow at the end of a transition (16 × 16 marker at stroke width 1.6).
fn arrow(out: &mut String, curve: &Curve, colour: Rgb) {
    let (tx, ty) = curve.to;
    let (px, py) = curve.at(0.98);
    let (dx, dy) = (tx - px, ty - py);
    let len = (dx * dx + dy * dy).sqrt().max(f32::EPSILON);
    let (ux, uy) = (dx / len, dy / len);
    let unit = 1.28;
    let (back, half) = (5.0 * unit, 4.0 * unit);
    let (bx, by) = (tx - ux * back, ty - uy * back);
    let _ = write!(
        out,
        r#"<path d="M{:.2},{:.2} L{:.2},{:.2} L{:.2},{:.2} Z" fill="{c}" stroke="{c}" stroke-width="{unit}" stroke-linejoin="round"/>"#,
        bx - uy * half,
        by + ux * half,
        tx,
        ty,
        bx + uy * half,
        by - ux * half,
        c = colour.hex()
    );
}

fn draw_card(
    out: &mut String,
    palette: &Palette,
    card: &Card<'_>,
    connected: &HashSet<(&str, &str)>,
    (errors, warnings): (usize, usize),
    run: Option<(Visual, Option<i64>)>,
) {
    let a = card.activity;
    let r = card.rect;
    let role = role_name(card.role);
    let colour = palette.get(&format!("role-{role}"));
    let terminal = matches!(card.role, Role::Start | Role::Finish);
    let surface = palette.get("surface");
    let visual = run.map(|(v, _)| v);

    let mut border = palette.get("border");
    let mut fill = surface;
    let mut dashed = a.mode != ExecutionMode::Normal;
    let mut opacity = if a.mode == ExecutionMode::Disabled {
        0.55
    } else {
        1.0
    };
    let mut ring: Option<(Rgb, f32, f32)> = None;
    let mut grey = false;
    match visual {
        None => {}
        Some(Visual::NotReached) => opacity = 0.55,
        Some(Visual::Done) => {
            border = palette.get("success");
            ring = Some((border, 2.0, 0.30));
        }
        Some(Visual::Running) => border = palette.get("accent"),
        Some(Visual::Pending) => {
            border = palette.get("warning");
            dashed = true;
        }
        Some(Visual::Approval) => {
            border = palette.get("warning");
            ring = Some((border, 3.0, 0.45));
        }
        Some(Visual::Failed) => {
            border = palette.get("danger");
            fill = border.mix(8.0, surface);
            ring = Some((border, 2.0, 0.35));
        }
        Some(Visual::Warning) => {
            border = palette.get("warning");
            ring = Some((border, 2.0, 0.35));
        }
        Some(Visual::Skipped) => {
            opacity = 0.45;
            grey = true;
            dashed = true;
        }
    }
    let radius = if terminal { r.height / 2.0 } else { 10.0 };
    let _ = write!(
        out,
        r#"<g data-activity="{}" opacity="{opacity}"{}>"#,
        esc(&a.id),
        if grey { r#" filter="url(#grey)""# } else { "" }
    );
    if let Some((c, w, o)) = ring {
        let _ = write!(
            out,
            r#"<rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" rx="{:.2}" fill="none" stroke="{}" stroke-opacity="{o}" stroke-width="{w}"/>"#,
            r.x - w / 2.0,
            r.y - w / 2.0,
            r.width + w,
            r.height + w,
            radius + w / 2.0,
            c.hex()
        );
    }
    let _ = write!(
        out,
        r#"<rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" rx="{:.2}" fill="{}" stroke="{}" stroke-width="1"{}/>"#,
        r.x + 0.5,
        r.y + 0.5,
        r.width - 1.0,
        r.height - 1.0,
        radius - 0.5,
        fill.hex(),
        border.hex(),
        if dashed {
            r#" stroke-dasharray="4 3""#
        } else {
            ""
        }
    );
    let label = if a.label.is_empty() {
        a.kind().label()
    } else {
        a.label.as_str()
    };
    if terminal {
        let _ = write!(
            out,
            r#"<circle cx="{:.2}" cy="{:.2}" r="16" fill="{}"/>"#,
            r.x + 25.0,
            r.y + r.height / 2.0,
            colour.hex()
        );
        icon(
            out,
            icons::of_kind(a.kind().name(), role),
            r.x + 17.5,
            r.y + r.height / 2.0 - 7.5,
            15.0,
            Rgb(255, 255, 255),
            2.2,
        );
        let shown = fonts::fit(label, Face::SemiBold, 13.0, r.width - 51.0 - 15.0);
        text(
            out,
            r.x + 51.0,
            r.y + r.height / 2.0 + 4.7,
            &shown,
            Face::SemiBold,
            13.0,
            palette.get("text-1"),
            "start",
        );
    } else {
        // The role's bar along the left edge (its corners scaled as CSS does: radius 4).
        let _ = write!(
            out,
            r#"<path d="M{x4:.2},{y0:.2} H{x1:.2} A4,4 0 0 0 {x0:.2},{y1:.2} V{y2:.2} A4,4 0 0 0 {x1:.2},{y3:.2} H{x4:.2} Z" fill="{}"/>"#,
            colour.hex(),
            x0 = r.x,
            x1 = r.x + 4.0,
            x4 = r.x + 4.0,
            y0 = r.y,
            y1 = r.y + 4.0,
            y2 = r.y + r.height - 4.0,
            y3 = r.y + r.height,
        );
        let box_y = r.y + (r.height - 34.0) / 2.0;
        let _ = write!(
            out,
            r#"<rect x="{:.2}" y="{box_y:.2}" width="34" height="34" rx="9" fill="{}" fill-opacity="0.14"/>"#,
            r.x + 15.0,
            colour.hex()
        );
        icon(
            out,
            icons::of_kind(a.kind().name(), role),
            r.x + 23.5,
            box_y + 8.5,
            17.0,
            colour,
            2.2,
        );
        let max = r.width - 59.0 - 13.0;
        let shown = fonts::fit(label, Face::SemiBold, 13.0, max);
        let baseline = r.y + r.height / 2.0 - 3.25;
        text(
            out,
            r.x + 59.0,
            baseline,
            &shown,
            Face::SemiBold,
            13.0,
            palette.get("text-1"),
            "start",
        );
        if a.mode == ExecutionMode::Disabled {
            let w = fonts::text_width(&shown, Face::SemiBold, 13.0);
            let _ = write!(
                out,
                r#"<line x1="{:.2}" y1="{:.2}" x2="{:.2}" y2="{:.2}" stroke="{}" stroke-width="1"/>"#,
                r.x + 59.0,
                baseline - 4.0,
                r.x + 59.0 + w,
                baseline - 4.0,
                palette.get("text-1").hex()
            );
        }
        let kind = fonts::fit(a.kind().label(), Face::Regular, 11.0, max);
        text(
            out,
            r.x + 59.0,
            baseline + 16.7,
            &kind,
            Face::Regular,
            11.0,
            palette.get("text-3"),
            "start",
        );
    }

    // Handles: the input centred on top (none on Start), one output per port along the bottom.
    let handle = |out: &mut String, cx: f32, cy: f32| {
        let _ = write!(
            out,
            r#"<circle cx="{cx:.2}" cy="{cy:.2}" r="4" fill="{}" stroke="{}" stroke-width="2"/>"#,
            surface.hex(),
            palette.get("edge").hex()
        );
    };
    if card.role != Role::Start {
        handle(out, r.x + r.width / 2.0, r.y - 5.0);
    }
    for (i, port) in card.ports.iter().enumerate() {
        let x = r.x + geometry::port_x(i, card.ports.len(), r.width);
        handle(out, x, r.y + r.height);
        if card.ports.len() > 1 && !connected.contains(&(a.id.as_str(), *port)) {
            text(
                out,
                x,
                r.y + r.height + 16.5,
                port,
                Face::SemiBold,
                10.0,
                palette.get("text-3"),
                "middle",
            );
        }
    }

    // Badges, right-aligned 8 px from the right edge, straddling the top edge.
    let mut badges: Vec<Badge> = Vec::new();
    if a.mode != ExecutionMode::Normal {
        let (name, word) = if a.mode == ExecutionMode::Hold {
            ("hold", "Hold")
        } else {
            ("disabled", "Off")
        };
        let w = 6.0 + 11.0 + 3.0 + fonts::text_width(word, Face::SemiBold, 10.0) + 6.0;
        let (bg, bd, fg) = (surface, palette.get("border"), palette.get("text-2"));
        let y = r.y - 9.0;
        badges.push((
            w,
            Box::new(move |out: &mut String, x: f32| {
                pill(out, x, y, w, 18.0, bg, Some(bd));
                icon(out, icons::badge(name), x + 6.0, y + 3.5, 11.0, fg, 2.0);
                text(
                    out,
                    x + 20.0,
                    centred_baseline(y + 9.0, 10.0),
                    word,
                    Face::SemiBold,
                    10.0,
                    fg,
                    "start",
                );
            }),
        ));
    }
    if errors + warnings > 0 {
        let word = (errors + warnings).to_string();
        let w = 6.0 + 10.0 + 3.0 + fonts::text_width(&word, Face::SemiBold, 10.0) + 6.0;
        let (bg, fg) = if errors > 0 {
            (palette.get("danger"), Rgb(255, 255, 255))
        } else {
            (palette.get("warning"), Rgb(0x1b, 0x13, 0x00))
        };
        let y = r.y - 9.0;
        badges.push((
            w,
            Box::new(move |out: &mut String, x: f32| {
                pill(out, x, y, w, 18.0, bg, Some(bg));
                icon(
                    out,
                    icons::badge("problem"),
                    x + 6.0,
                    y + 4.0,
                    10.0,
                    fg,
                    2.0,
                );
                text(
                    out,
                    x + 19.0,
                    centred_baseline(y + 9.0, 10.0),
                    &word,
                    Face::SemiBold,
                    10.0,
                    fg,
                    "start",
                );
            }),
        ));
    }
    let total: f32 =
        badges.iter().map(|(w, _)| w).sum::<f32>() + 4.0 * badges.len().saturating_sub(1) as f32;
    let mut x = r.x + r.width - 8.0 - total;
    for (w, draw) in &badges {
        draw(out, x);
        x += w + 4.0;
    }

    if let Some((visual, duration)) = run {
        if let Some(ms) = duration {
            let words = format_duration(ms);
            let w = fonts::text_width(&words, Face::Mono, 10.5) + 12.0;
            let (x, y) = (r.x + 14.0, r.y - 10.0);
            pill(out, x, y, w, 17.0, palette.get("text-1"), None);
            text(
                out,
                x + w / 2.0,
                centred_baseline(y + 8.5, 10.5),
                &words,
                Face::Mono,
                10.5,
                palette.get("bg"),
                "middle",
            );
        }
        if visual == Visual::Approval {
            let words = "Waiting for approval";
            let w = fonts::text_width(words, Face::SemiBold, 10.5) + 16.0;
            let (x, y) = (r.x + r.width / 2.0 - w / 2.0, r.y - 11.0);
            pill(out, x, y, w, 17.0, palette.get("warning"), None);
            text(
                out,
                x + w / 2.0,
                centred_baseline(y + 8.5, 10.5),
                words,
                Face::SemiBold,
                10.5,
                Rgb(255, 255, 255),
                "middle",
            );
        }
    }
    out.push_str("</g>");
}

#[cfg(test)]
/// Every token the renderer reads (a test checks both themes define them).
pub(crate) const TOKENS_USED: &[&str] = &[
    "canvas-bg",
    "surface",
    "border",
    "text-1",
    "text-2",
    "text-3",
    "edge",
    "accent",
    "success",
    "success-soft",
    "danger",
    "warning",
    "bg",
    "role-start",
    "role-finish",
    "role-trigger",
    "role-action",
    "role-condition",
    "role-wait",
    "role-parallel",
    "role-approval",
];

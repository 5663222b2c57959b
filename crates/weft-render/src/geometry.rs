//! Where things are, in canvas units, exactly as the canvas puts them: card sizes
//! (`ui/src/canvas/layout.ts`), handles (`geometry.ts` `nodeHandles`) and xyflow's bezier curves,
//! so that a picture matches the screen.

use weft_engine::model::Role;

/// A rectangle (top-left corner and size).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f32,
    /// Top.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

impl Rect {
    /// The smallest rectangle holding both.
    pub fn union(self, o: Rect) -> Rect {
        let x = self.x.min(o.x);
        let y = self.y.min(o.y);
        Rect {
            x,
            y,
            width: (self.x + self.width).max(o.x + o.width) - x,
            height: (self.y + self.height).max(o.y + o.height) - y,
        }
    }
}

/// A card's size before measuring (`estimatedSize`): Start and Finish are smaller pills.
pub fn card_size(role: Role) -> (f32, f32) {
    match role {
        Role::Start | Role::Finish => (160.0, 48.0),
        _ => (240.0, 64.0),
    }
}

/// Side of a handle's box.
const HANDLE: f32 = 10.0;

/// Horizontal position of output `index` of `count` on a card of `width` (evenly spread).
pub fn port_x(index: usize, count: usize, width: f32) -> f32 {
    (index as f32 + 1.0) / (count as f32 + 1.0) * width
}

/// Where a transition leaves a card (the bottom of its output handle's box).
pub fn source_point(card: Rect, index: usize, count: usize) -> (f32, f32) {
    (
        card.x + port_x(index, count, card.width),
        card.y + card.height + HANDLE / 2.0,
    )
}

/// Where a transition reaches a card (the top of its input handle's box).
pub fn target_point(card: Rect) -> (f32, f32) {
    (card.x + card.width / 2.0, card.y - HANDLE)
}

/// A transition's curve: xyflow's `getBezierPath` from a bottom handle to a top handle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Curve {
    /// Start.
    pub from: (f32, f32),
    /// First control point.
    pub c1: (f32, f32),
    /// Second control point.
    pub c2: (f32, f32),
    /// End.
    pub to: (f32, f32),
}

const CURVATURE: f32 = 0.25;

fn control_offset(distance: f32) -> f32 {
    if distance >= 0.0 {
        0.5 * distance
    } else {
        CURVATURE * 25.0 * (-distance).sqrt()
    }
}

impl Curve {
    /// The curve xyflow draws from `from` (leaving downwards) to `to` (arriving from above).
    pub fn between(from: (f32, f32), to: (f32, f32)) -> Curve {
        Curve {
            from,
            c1: (from.0, from.1 + control_offset(to.1 - from.1)),
            c2: (to.0, to.1 - control_offset(to.1 - from.1)),
            to,
        }
    }

    /// The point at `t` in 0..=1.
    pub fn at(&self, t: f32) -> (f32, f32) {
        let u = 1.0 - t;
        let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
        (
            a * self.from.0 + b * self.c1.0 + c * self.c2.0 + d * self.to.0,
            a * self.from.1 + b * self.c1.1 + c * self.c2.1 + d * self.to.1,
        )
    }

    /// Where xyflow puts the label (the curve's midpoint).
    pub fn middle(&self) -> (f32, f32) {
        self.at(0.5)
    }

    /// SVG path data.
    pub fn path(&self) -> String {
        format!(
            "M{:.2},{:.2} C{:.2},{:.2} {:.2},{:.2} {:.2},{:.2}",
            self.from.0,
            self.from.1,
            self.c1.0,
            self.c1.1,
            self.c2.0,
            self.c2.1,
            self.to.0,
            self.to.1
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curves_match_xyflow() {
        // xyflow: getBezierPath({sourceX: 0, sourceY: 0, targetX: 100, targetY: 200, Bottom, Top})
        // = "M0,0 C0,100 100,100 100,200", label at (50, 100).
        let c = Curve::between((0.0, 0.0), (100.0, 200.0));
        assert_eq!(
            c.path(),
            "M0.00,0.00 C0.00,100.00 100.00,100.00 100.00,200.00"
        );
        assert_eq!(c.middle(), (50.0, 100.0));
        // Upwards (a loop back): offsets of 0.25 × 25 × √distance.
        let back = Curve::between((0.0, 100.0), (0.0, 0.0));
        assert_eq!(back.c1, (0.0, 162.5));
        assert_eq!(back.c2, (0.0, -62.5));
    }

    #[test]
    fn handles_sit_where_the_canvas_draws_them() {
        let card = Rect {
            x: 10.0,
            y: 20.0,
            width: 240.0,
            height: 64.0,
        };
        assert_eq!(source_point(card, 0, 1), (130.0, 89.0));
        assert_eq!(source_point(card, 0, 2), (90.0, 89.0));
        assert_eq!(source_point(card, 1, 2), (170.0, 89.0));
        assert_eq!(target_point(card), (130.0, 10.0));
    }
}

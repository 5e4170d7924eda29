//! Laying a sampled [`Figure`] out once, as an SVG document in points.
//!
//! Every label is typeset by [`super::math`] and placed run by run at explicit positions, so
//! nothing depends on a viewer's text layout; the text names the bundled DejaVu Sans, which the
//! outputs hand to their renderer. The legend is a strip below the four panels, so it never
//! covers a curve, packed left to right. Colours are Okabe–Ito (distinguishable with colour
//! blindness, yellow left out for white paper) and the curves also differ in dash pattern, so a
//! grey-scale print still tells them apart. A curve that leaves a panel ends at the edge with a
//! small triangle in its colour pointing the way it went.

use super::math::{self, Label};
use super::range::{Exit, clip};
use super::{Figure, Layout, Panel};
use std::fmt::Write;

/// Okabe–Ito: blue, vermillion, bluish green, reddish purple, orange, sky blue, black.
pub const PALETTE: [(u8, u8, u8); 7] = [
    (0, 114, 178),
    (213, 94, 0),
    (0, 158, 115),
    (204, 121, 167),
    (230, 159, 0),
    (86, 180, 233),
    (0, 0, 0),
];

/// Dash patterns in points (on, off, …): solid, dashed, dotted, dash-dotted, long-dashed.
pub const DASHES: [&[f64]; 5] = [
    &[],
    &[3.2, 1.6],
    &[0.9, 1.3],
    &[4.5, 1.4, 0.9, 1.4],
    &[7.0, 2.0],
];

/// The font family the SVG names; the outputs load the bundled faces under it.
pub const FAMILY: &str = "DejaVu Sans";

/// Line width of the curves, in points.
const CURVE: f64 = 1.0;

/// The colour and dashes of the `k`-th curve.
pub fn curve_style(k: usize) -> ((u8, u8, u8), &'static [f64]) {
    (PALETTE[k % PALETTE.len()], DASHES[k % DASHES.len()])
}

/// The figure as an SVG document, `layout.width × layout.height` points.
pub fn svg(fig: &Figure, layout: Layout) -> String {
    let (w, h, font) = (layout.width, layout.height, layout.font);
    let mut svg = Svg::open(w, h);
    let labels: Vec<&str> = fig
        .panels
        .first()
        .map(|p| p.series.iter().map(|s| s.label.as_str()).collect())
        .unwrap_or_default();
    let legend = legend_layout(&labels, w - 2.0 * font, font);
    let legend_height = legend.rows as f64 * 1.35 * font + 0.6 * font;
    let grid_height = h - legend_height;
    for (k, panel) in fig.panels.iter().enumerate() {
        let (col, row) = ((k % 2) as f64, (k / 2) as f64);
        let cell = Rect {
            x: col * w / 2.0,
            y: row * grid_height / 2.0,
            w: w / 2.0,
            h: grid_height / 2.0,
        };
        draw_panel(&mut svg, panel, cell, font);
    }
    draw_legend(&mut svg, &legend, font, grid_height + 0.3 * font);
    svg.out.push_str("</svg>\n");
    svg.out
}

/// A rectangle in points, from its top left corner.
#[derive(Clone, Copy)]
pub(super) struct Rect {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) w: f64,
    pub(super) h: f64,
}

/// Where a label sits relative to its anchor point.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Anchor {
    Start,
    Middle,
    End,
}

/// An SVG document being written.
#[derive(Default)]
pub(super) struct Svg {
    pub(super) out: String,
}

/// A number for the SVG, two decimals (a hundredth of a point).
pub(super) fn n(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub(super) fn colour((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

impl Svg {
    /// A document `w × h` points on white, its text in the bundled family.
    pub(super) fn open(w: f64, h: f64) -> Svg {
        let mut svg = Svg::default();
        let _ = write!(
            svg.out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FAMILY}" font-kerning="none">"#
        );
        svg.out.push('\n');
        let _ = writeln!(svg.out, r#"<rect width="{w}" height="{h}" fill="white"/>"#);
        svg
    }

    /// A typeset label with its baseline at `y`, anchored at `x`.
    pub(super) fn label(&mut self, label: &Label, x: f64, y: f64, size: f64, anchor: Anchor) {
        let x0 = match anchor {
            Anchor::Start => x,
            Anchor::Middle => x - 0.5 * label.width * size,
            Anchor::End => x - label.width * size,
        };
        for run in &label.runs {
            let style = if run.italic {
                r#" font-style="italic""#
            } else {
                ""
            };
            let _ = writeln!(
                self.out,
                r#"<text x="{}" y="{}" font-size="{}"{style}>{}</text>"#,
                n(x0 + run.x * size),
                n(y - run.rise * size),
                n(run.scale * size),
                escape(&run.text)
            );
        }
    }

    /// A label turned a quarter left (reading upwards), centred on `(x, y)`, baseline at `x`.
    pub(super) fn vertical_label(&mut self, label: &Label, x: f64, y: f64, size: f64) {
        let _ = writeln!(
            self.out,
            r#"<g transform="translate({} {}) rotate(-90)">"#,
            n(x),
            n(y)
        );
        self.label(label, 0.0, 0.0, size, Anchor::Middle);
        self.out.push_str("</g>\n");
    }

    pub(super) fn line(
        &mut self,
        (x0, y0): (f64, f64),
        (x1, y1): (f64, f64),
        stroke: &str,
        width: f64,
    ) {
        let _ = writeln!(
            self.out,
            r#"<path d="M{} {}L{} {}" stroke="{stroke}" stroke-width="{}" fill="none"/>"#,
            n(x0),
            n(y0),
            n(x1),
            n(y1),
            n(width)
        );
    }

    /// A curve in the `k`-th curve's colour and dashes.
    pub(super) fn polyline(&mut self, points: &[(f64, f64)], k: usize) {
        let (rgb, dashes) = curve_style(k);
        self.styled_polyline(points, rgb, dashes);
    }

    /// A curve in the colour `rgb` with the dash pattern `dashes`.
    pub(super) fn styled_polyline(
        &mut self,
        points: &[(f64, f64)],
        rgb: (u8, u8, u8),
        dashes: &[f64],
    ) {
        let mut d = String::new();
        for (i, (x, y)) in points.iter().enumerate() {
            let _ = write!(d, "{}{} {}", if i == 0 { "M" } else { "L" }, n(*x), n(*y));
        }
        let dash = if dashes.is_empty() {
            String::new()
        } else {
            let list: Vec<String> = dashes.iter().map(|v| n(*v)).collect();
            format!(r#" stroke-dasharray="{}""#, list.join(" "))
        };
        let _ = writeln!(
            self.out,
            r#"<path d="{d}" stroke="{}" stroke-width="{}" fill="none" stroke-linejoin="round"{dash}/>"#,
            colour(rgb),
            n(CURVE)
        );
    }

    /// A filled disc of radius `r` centred on `(x, y)`.
    pub(super) fn dot(&mut self, (x, y): (f64, f64), r: f64, rgb: (u8, u8, u8)) {
        let _ = writeln!(
            self.out,
            r#"<circle cx="{}" cy="{}" r="{}" fill="{}"/>"#,
            n(x),
            n(y),
            n(r),
            colour(rgb)
        );
    }

    /// A small triangle inside the panel with its tip on an edge at `(x, y)`, pointing up
    /// (out of the top edge, `top`) or down.
    fn exit_marker(&mut self, x: f64, y: f64, top: bool, k: usize, size: f64) {
        let (rgb, _) = curve_style(k);
        let s = if top { 1.0 } else { -1.0 };
        let _ = writeln!(
            self.out,
            r#"<path d="M{} {}L{} {}L{} {}Z" fill="{}"/>"#,
            n(x),
            n(y),
            n(x - 0.5 * size),
            n(y + s * size),
            n(x + 0.5 * size),
            n(y + s * size),
            colour(rgb)
        );
    }
}

/// Ticks at 1, 2, 2.5 or 5 times a power of ten, about `count` of them over `[lo, hi]`.
pub fn nice_ticks(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    let raw = (hi - lo) / count as f64;
    if !(raw.is_finite() && raw > 0.0) {
        return Vec::new();
    }
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw * 0.999)
        .unwrap_or(10.0 * mag);
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last)
        .map(|i| {
            let v = i as f64 * step;
            if v.abs() < step * 1e-9 { 0.0 } else { v }
        })
        .collect()
}

/// Ticks of a log axis: the decades, or 1–2–5 steps when fewer than two decades show.
pub fn log_ticks(lo: f64, hi: f64) -> Vec<(f64, String)> {
    let (a, b) = (lo.log10(), hi.log10());
    let decades: Vec<i32> = ((a - 1e-9).ceil() as i32..=(b + 1e-9).floor() as i32).collect();
    if decades.len() >= 2 {
        // At most five labels, on multiples of the stride so that 10⁰ is one when it shows.
        let stride = (1..)
            .find(|s| decades.iter().filter(|k| *k % s == 0).count() <= 5)
            .unwrap_or(1);
        return decades
            .iter()
            .filter(|k| *k % stride == 0)
            .map(|&k| (10f64.powi(k), format!("$10^{{{k}}}$")))
            .collect();
    }
    let mut out = Vec::new();
    for k in (a.floor() as i32 - 1)..=(b.ceil() as i32) {
        for m in [1.0, 2.0, 5.0] {
            let v = m * 10f64.powi(k);
            if v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9) {
                out.push((v, tick(v)));
            }
        }
    }
    out
}

/// A tick label: at most three significant digits, a true minus sign, large and small values
/// as `m×10^k`.
pub fn tick(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return "0".into();
    }
    let a = v.abs();
    if !(1e-3..1e5).contains(&a) {
        let k = a.log10().floor() as i32;
        let m = v / 10f64.powi(k);
        let m = format!("{m:.1}");
        let m = m.trim_end_matches('0').trim_end_matches('.');
        let m = m.replace('-', "−");
        return if m == "1" {
            format!("$10^{{{k}}}$")
        } else {
            format!("{m}$\\times 10^{{{k}}}$")
        };
    }
    let decimals = (2 - a.log10().floor() as i32).clamp(0, 4) as usize;
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    s.replace('-', "−")
}

fn draw_panel(svg: &mut Svg, panel: &Panel, cell: Rect, font: f64) {
    let (lo, hi) = panel.y_range.unwrap_or((-1.0, 1.0));
    let y_ticks: Vec<(f64, String)> = nice_ticks(lo, hi, 4)
        .into_iter()
        .map(|v| (v, tick(v)))
        .collect();
    let frame = Frame::new(cell, font, &y_ticks);
    let plot = frame.plot;
    let (x0, x1) = panel.x_range;
    let sx = |x: f64| if panel.log_x { x.log10() } else { x };
    let px = |x: f64| plot.x + (sx(x) - sx(x0)) / (sx(x1) - sx(x0)) * plot.w;
    let py = |y: f64| plot.y + plot.h - (y - lo) / (hi - lo) * plot.h;
    let x_ticks: Vec<(f64, String)> = if panel.log_x {
        log_ticks(x0, x1)
    } else {
        nice_ticks(x0, x1, 4)
            .into_iter()
            .map(|v| (v, tick(v)))
            .collect()
    };
    frame.axes(svg, &panel.title, py, px, &x_ticks);
    if lo < 0.0 && hi > 0.0 {
        svg.line(
            (plot.x, py(0.0)),
            (plot.x + plot.w, py(0.0)),
            "#888888",
            0.5,
        );
    }
    match panel.y_range {
        Some((lo, hi)) => {
            for (k, series) in panel.series.iter().enumerate() {
                let cut = clip(&series.points, lo, hi, panel.log_x);
                for piece in &cut.pieces {
                    let pts: Vec<(f64, f64)> = piece.iter().map(|&(x, y)| (px(x), py(y))).collect();
                    svg.polyline(&pts, k);
                }
                for Exit { x, top } in cut.exits {
                    let y = if top { plot.y } else { plot.y + plot.h };
                    svg.exit_marker(px(x), y, top, k, 0.45 * font);
                }
            }
        }
        None => svg.label(
            &math::layout("no finite values"),
            plot.x + 0.5 * plot.w,
            plot.y + 0.5 * plot.h,
            frame.tick_size,
            Anchor::Middle,
        ),
    }
    frame.border(svg, &panel.x_label, &panel.y_label);
}

/// The axes of one panel: its plot area inside the cell, leaving room for the title above, the
/// widest y tick label on the left and the x tick labels and axis label below.
pub(super) struct Frame {
    pub(super) plot: Rect,
    cell: Rect,
    font: f64,
    pub(super) tick_size: f64,
    y_ticks: Vec<(f64, Label)>,
}

impl Frame {
    /// The frame of `cell` for body text of size `font` and the y ticks `(value, text)`.
    pub(super) fn new(cell: Rect, font: f64, y_ticks: &[(f64, String)]) -> Frame {
        let tick_size = 0.85 * font;
        let y_ticks: Vec<(f64, Label)> =
            y_ticks.iter().map(|(v, t)| (*v, math::layout(t))).collect();
        let tick_width = y_ticks
            .iter()
            .map(|(_, l)| l.width * tick_size)
            .fold(0.0, f64::max);
        let left = cell.x + 1.3 * font + tick_width + 0.35 * font;
        let top = cell.y + 1.55 * font;
        let plot = Rect {
            x: left,
            y: top,
            w: (cell.x + cell.w - 0.7 * font - left).max(1.0),
            h: (cell.y + cell.h - 2.45 * font - top).max(1.0),
        };
        Frame {
            plot,
            cell,
            font,
            tick_size,
            y_ticks,
        }
    }

    /// The title, and the grid lines, ticks and labels at the y ticks (placed by `py`) and at
    /// the x ticks `(value, text)` (placed by `px`).
    pub(super) fn axes(
        &self,
        svg: &mut Svg,
        title: &str,
        py: impl Fn(f64) -> f64,
        px: impl Fn(f64) -> f64,
        x_ticks: &[(f64, String)],
    ) {
        let (plot, cell, font, tick_size) = (self.plot, self.cell, self.font, self.tick_size);
        svg.label(
            &math::layout(title),
            cell.x + 0.5 * cell.w,
            cell.y + 1.0 * font,
            font,
            Anchor::Middle,
        );
        let grid = "#dddddd";
        let tick_len = 0.25 * font;
        for (v, label) in &self.y_ticks {
            let y = py(*v);
            svg.line((plot.x, y), (plot.x + plot.w, y), grid, 0.3);
            svg.line((plot.x - tick_len, y), (plot.x, y), "black", 0.5);
            svg.label(
                label,
                plot.x - tick_len - 0.15 * font,
                y + 0.33 * tick_size,
                tick_size,
                Anchor::End,
            );
        }
        for (v, text) in x_ticks {
            let x = px(*v);
            svg.line((x, plot.y), (x, plot.y + plot.h), grid, 0.3);
            svg.line(
                (x, plot.y + plot.h),
                (x, plot.y + plot.h + tick_len),
                "black",
                0.5,
            );
            svg.label(
                &math::layout(text),
                x,
                plot.y + plot.h + tick_len + 0.95 * tick_size,
                tick_size,
                Anchor::Middle,
            );
        }
    }

    /// The box around the plot area and the axis labels.
    pub(super) fn border(&self, svg: &mut Svg, x_label: &str, y_label: &str) {
        let (plot, cell, font) = (self.plot, self.cell, self.font);
        let _ = writeln!(
            svg.out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="black" stroke-width="0.5"/>"#,
            n(plot.x),
            n(plot.y),
            n(plot.w),
            n(plot.h)
        );
        svg.label(
            &math::layout(x_label),
            plot.x + 0.5 * plot.w,
            cell.y + cell.h - 0.35 * font,
            0.95 * font,
            Anchor::Middle,
        );
        svg.vertical_label(
            &math::layout(y_label),
            cell.x + 1.0 * font,
            plot.y + 0.5 * plot.h,
            0.95 * font,
        );
    }
}

/// The legend's entries placed in rows.
pub(super) struct LegendLayout {
    /// Each entry's label, row and x offset (points from the left margin).
    entries: Vec<(Label, usize, f64)>,
    pub(super) rows: usize,
}

/// Legend text size relative to the body text.
const LEGEND_SCALE: f64 = 0.9;

/// Entries packed left to right into rows of `width` points; a label longer than a row is
/// shortened with an ellipsis.
pub(super) fn legend_layout(labels: &[&str], width: f64, font: f64) -> LegendLayout {
    let size = LEGEND_SCALE * font;
    let sample = 2.2 * font;
    let gap = 1.2 * font;
    let mut entries = Vec::with_capacity(labels.len());
    let (mut row, mut x) = (0usize, 0.0);
    for text in labels {
        let label = math::shorten(math::layout(text), (width - sample) / size);
        let w = sample + label.width * size;
        if x > 0.0 && x + w > width {
            row += 1;
            x = 0.0;
        }
        entries.push((label, row, x));
        x += w + gap;
    }
    LegendLayout {
        entries,
        rows: row + usize::from(!labels.is_empty()),
    }
}

/// How many legend entries fit in the first row of a figure of this layout.
pub fn legend_columns(labels: &[&str], layout: Layout) -> usize {
    let legend = legend_layout(labels, layout.width - 2.0 * layout.font, layout.font);
    legend.entries.iter().filter(|e| e.1 == 0).count()
}

pub(super) fn draw_legend(svg: &mut Svg, legend: &LegendLayout, font: f64, top: f64) {
    let size = LEGEND_SCALE * font;
    // Centre the rows as a block.
    let row_width = |r: usize| {
        legend
            .entries
            .iter()
            .filter(|e| e.1 == r)
            .map(|e| e.2 + 2.2 * font + e.0.width * size)
            .fold(0.0, f64::max)
    };
    let widest = (0..legend.rows).map(row_width).fold(0.0, f64::max);
    let total = svg_width(svg);
    let left = ((total - widest) / 2.0).max(font);
    for (k, (label, row, dx)) in legend.entries.iter().enumerate() {
        let y = top + (*row as f64 + 0.5) * 1.35 * font;
        let x = left + dx;
        svg.polyline(&[(x, y), (x + 1.8 * font, y)], k);
        svg.label(label, x + 2.2 * font, y + 0.33 * size, size, Anchor::Start);
    }
}

/// The document's width, read back from its `<svg>` element.
fn svg_width(svg: &Svg) -> f64 {
    svg.out
        .split("width=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_short() {
        for (v, s) in [
            (0.0, "0"),
            (0.01, "0.01"),
            (100.0, "100"),
            (-2.5, "−2.5"),
            (0.30000000000000004, "0.3"),
            (1e6, "$10^{6}$"),
            (2.5e5, "2.5$\\times 10^{5}$"),
            (-2e-4, "−2$\\times 10^{-4}$"),
            (12.5, "12.5"),
        ] {
            assert_eq!(tick(v), s, "{v}");
        }
    }

    #[test]
    fn nice_ticks_step_by_one_two_or_five() {
        assert_eq!(nice_ticks(-4.0, 4.0, 4), vec![-4.0, -2.0, 0.0, 2.0, 4.0]);
        assert_eq!(nice_ticks(0.0, 1.0, 4), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(nice_ticks(-23.0, 5.0, 4), vec![-20.0, -10.0, 0.0]);
        assert!(nice_ticks(1.0, 1.0, 4).is_empty());
        let decades: Vec<f64> = log_ticks(0.01, 100.0).iter().map(|t| t.0).collect();
        assert_eq!(decades.len(), 5);
        let wide: Vec<f64> = log_ticks(1e-12, 1e12).iter().map(|t| t.0).collect();
        assert_eq!(wide, vec![1e-10, 1e-5, 1.0, 1e5, 1e10]);
        let narrow: Vec<f64> = log_ticks(0.5, 3.0).iter().map(|t| t.0).collect();
        assert_eq!(narrow, vec![0.5, 1.0, 2.0]);
    }
}

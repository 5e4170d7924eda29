//! Drawing a sampled [`Figure`] with plotters, in memory.
//!
//! The legend is a strip below the four panels, so it never covers a curve. Colours are the
//! Okabe–Ito palette (distinguishable with colour-blindness) and the curves also differ in
//! dash pattern, so a grey-scale print still tells them apart.

use super::{Figure, Layout, Panel, PlotError};
use plotters::coord::Shift;
use plotters::coord::ranged1d::{AsRangedCoord, Ranged, ValueFormatter};
use plotters::prelude::*;
use plotters::style::FontStyle;
use std::sync::OnceLock;

/// Okabe–Ito: blue, vermillion, bluish green, reddish purple, orange, sky blue, yellow, black.
pub(super) const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(240, 228, 66),
    RGBColor(0, 0, 0),
];

pub(super) const FONT: &str = "sans-serif";

/// Register the bundled DejaVu Sans as `sans-serif`, once per process.
pub(super) fn register_font() -> Result<(), PlotError> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular()).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(PlotError::Render("the bundled font cannot be read".into()))
    }
}

pub(super) fn render_error(e: impl std::fmt::Display) -> PlotError {
    PlotError::Render(e.to_string())
}

/// The figure as an SVG document.
pub fn svg(fig: &Figure, layout: Layout) -> Result<String, PlotError> {
    register_font()?;
    let mut out = String::new();
    {
        let root =
            SVGBackend::with_string(&mut out, (layout.width, layout.height)).into_drawing_area();
        draw(&root, fig, layout)?;
        root.present().map_err(render_error)?;
    }
    Ok(out)
}

/// The figure as PNG bytes, with its resolution recorded in the file.
pub fn png(fig: &Figure, layout: Layout) -> Result<Vec<u8>, PlotError> {
    register_font()?;
    let (w, h) = (layout.width, layout.height);
    let mut pixels = vec![255u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
        draw(&root, fig, layout)?;
        root.present().map_err(render_error)?;
    }
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let per_metre = (super::DPI / 0.0254).round() as u32;
        encoder.set_pixel_dims(Some(png::PixelDimensions {
            xppu: per_metre,
            yppu: per_metre,
            unit: png::Unit::Meter,
        }));
        let mut writer = encoder.write_header().map_err(render_error)?;
        writer.write_image_data(&pixels).map_err(render_error)?;
        writer.finish().map_err(render_error)?;
    }
    Ok(bytes)
}

/// Sizes derived from the text size, so every figure size has the same proportions.
struct Style {
    font: f64,
    stroke: u32,
}

impl Style {
    fn text(&self, scale: f64) -> TextStyle<'static> {
        TextStyle::from((FONT, self.font * scale).into_font()).color(&BLACK)
    }

    fn px(&self, scale: f64) -> u32 {
        (self.font * scale).round() as u32
    }
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    fig: &Figure,
    layout: Layout,
) -> Result<(), PlotError> {
    let style = Style {
        font: layout.font,
        stroke: ((layout.font / 12.0).round() as u32).max(1),
    };
    root.fill(&WHITE).map_err(render_error)?;
    let labels: Vec<&str> = fig
        .panels
        .first()
        .map(|p| p.series.iter().map(|s| s.label.as_str()).collect())
        .unwrap_or_default();
    let legend_width = f64::from(layout.width) - 2.0 * style.font;
    let rows = legend_rows(&labels, legend_width, &style).1 as u32;
    let legend_height = style.px(1.5) * rows + style.px(0.8);
    let (grid, legend) = root.split_vertically(layout.height.saturating_sub(legend_height).max(1));
    let cells = grid.split_evenly((2, 2));
    for (panel, area) in fig.panels.iter().zip(cells.iter()) {
        draw_panel(area, panel, &style)?;
    }
    draw_legend(&legend, &labels, &style)
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
    style: &Style,
) -> Result<(), PlotError> {
    let (a, b) = panel.x_range;
    if panel.log_x {
        // A hair wider, so that a decade at an end (u = 0.01) still gets its label: plotters
        // finds decades with `ceil(log10(start))`, and `log10(0.01)` rounds to −1.9999….
        let (a, b) = (a * (1.0 - 1e-9), b * (1.0 + 1e-9));
        chart(area, panel, (a..b).log_scale(), style)
    } else {
        chart(area, panel, a..b, style)
    }
}

fn chart<DB, X>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
    x: X,
    style: &Style,
) -> Result<(), PlotError>
where
    DB: DrawingBackend,
    X: AsRangedCoord<Value = f64>,
    X::CoordDescType: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let (lo, hi) = panel.y_range.unwrap_or((-1.0, 1.0));
    let mut chart = ChartBuilder::on(area)
        .caption(panel.title, style.text(1.0))
        .margin_top(style.px(0.3))
        .margin_right(style.px(0.9))
        .margin_left(style.px(0.3))
        .x_label_area_size(style.px(2.6))
        .y_label_area_size(style.px(3.3))
        .build_cartesian_2d(x, lo..hi)
        .map_err(render_error)?;
    let grid = RGBColor(225, 225, 225);
    chart
        .configure_mesh()
        .x_labels(5)
        .y_labels(5)
        .max_light_lines(0)
        .bold_line_style(grid.stroke_width(1))
        .axis_style(BLACK.stroke_width(style.stroke.div_ceil(2)))
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&|v| tick(*v))
        .label_style(style.text(0.85))
        .axis_desc_style(style.text(0.95))
        .x_desc(panel.x_label)
        .y_desc(panel.y_label)
        .set_all_tick_mark_size(style.px(0.25))
        .draw()
        .map_err(render_error)?;
    let (x0, x1) = panel.x_range;
    if lo < 0.0 && hi > 0.0 {
        chart
            .draw_series(LineSeries::new(
                [(x0, 0.0), (x1, 0.0)],
                RGBColor(140, 140, 140).stroke_width(style.stroke.div_ceil(2)),
            ))
            .map_err(render_error)?;
    }
    for (k, series) in panel.series.iter().enumerate() {
        let line = PALETTE[k % PALETTE.len()].stroke_width(style.stroke);
        for segment in segments(&series.points, lo, hi) {
            match dash(k, style) {
                None => chart
                    .draw_series(LineSeries::new(segment, line))
                    .map(|_| ()),
                Some((on, off)) => chart
                    .draw_series(DashedLineSeries::new(segment, on, off, line))
                    .map(|_| ()),
            }
            .map_err(render_error)?;
        }
    }
    Ok(())
}

/// Runs of at least two consecutive points with a value inside `[lo, hi]`: a point outside or
/// without a value breaks the curve.
fn segments(points: &[(f64, Option<f64>)], lo: f64, hi: f64) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    let mut run = Vec::new();
    for &(x, y) in points {
        match y {
            Some(y) if (lo..=hi).contains(&y) => run.push((x, y)),
            _ => {
                if run.len() >= 2 {
                    out.push(std::mem::take(&mut run));
                }
                run.clear();
            }
        }
    }
    if run.len() >= 2 {
        out.push(run);
    }
    out
}

/// The dash pattern of the `k`-th curve (dash, gap in pixels); the first is solid.
fn dash(k: usize, style: &Style) -> Option<(u32, u32)> {
    let s = style.stroke.max(1);
    match k % 4 {
        0 => None,
        1 => Some((5 * s, 3 * s)),
        2 => Some((s, 2 * s)),
        _ => Some((9 * s, 3 * s)),
    }
}

/// Legend entries left to right, wrapped into rows: `(row, x offset)` of each, and the rows.
fn legend_rows(labels: &[&str], width: f64, style: &Style) -> (Vec<(usize, f64)>, usize) {
    let mut places = Vec::with_capacity(labels.len());
    let (mut row, mut x) = (0, 0.0);
    for label in labels {
        let w = entry_width(label, width, style);
        if x > 0.0 && x + w > width {
            row += 1;
            x = 0.0;
        }
        places.push((row, x));
        x += w + 1.5 * style.font;
    }
    (places, row + usize::from(!labels.is_empty()))
}

/// The legend's line sample, its gap, and an estimate of the label's width.
fn entry_width(label: &str, width: f64, style: &Style) -> f64 {
    let chars = shorten(label, max_chars(width, style)).chars().count() as f64;
    3.0 * style.font + 0.55 * style.font * chars
}

fn max_chars(width: f64, style: &Style) -> usize {
    ((width - 3.0 * style.font) / (0.55 * style.font)).max(8.0) as usize
}

fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    labels: &[&str],
    style: &Style,
) -> Result<(), PlotError> {
    let left = style.font;
    let width = area.dim_in_pixel().0 as f64 - 2.0 * left;
    let (places, _) = legend_rows(labels, width, style);
    let sample = style.px(2.4) as i32;
    let row = style.px(1.5) as i32;
    let text = style.text(0.9).pos(plotters::style::text_anchor::Pos::new(
        plotters::style::text_anchor::HPos::Left,
        plotters::style::text_anchor::VPos::Center,
    ));
    for (k, (label, &(r, dx))) in labels.iter().zip(&places).enumerate() {
        let y = style.px(0.4) as i32 + row * r as i32 + row / 2;
        let line = PALETTE[k % PALETTE.len()].stroke_width(style.stroke);
        let x0 = (left + dx).round() as i32;
        let x1 = x0 + sample;
        let result = match dash(k, style) {
            None => area.draw(&PathElement::new(vec![(x0, y), (x1, y)], line)),
            Some((on, off)) => area.draw(&plotters::element::DashedPathElement::new(
                vec![(x0, y), (x1, y)],
                on,
                off,
                line,
            )),
        };
        result.map_err(render_error)?;
        let shown = shorten(label, max_chars(width, style));
        area.draw(&Text::new(
            shown,
            (x1 + style.px(0.6) as i32, y),
            text.clone(),
        ))
        .map_err(render_error)?;
    }
    Ok(())
}

/// `s` cut to `max` characters with an ellipsis.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// A tick label: at most three significant digits, a true minus sign, powers of ten as `1e4`.
pub(super) fn tick(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return "0".into();
    }
    let a = v.abs();
    let text = if !(1e-3..1e5).contains(&a) {
        let s = format!("{v:.1e}");
        s.replace(".0e", "e")
    } else {
        let decimals = (2 - a.log10().floor() as i32).clamp(0, 4) as usize;
        let s = format!("{v:.decimals$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    text.replace('-', "−")
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
            (1e6, "1e6"),
            (12.5, "12.5"),
        ] {
            assert_eq!(tick(v), s, "{v}");
        }
    }

    #[test]
    fn segments_break_at_gaps_and_outside_the_range() {
        let pts = [
            (0.0, Some(0.0)),
            (1.0, Some(1.0)),
            (2.0, None),
            (3.0, Some(1.0)),
            (4.0, Some(9.0)),
            (5.0, Some(1.0)),
            (6.0, Some(1.0)),
        ];
        let s = segments(&pts, 0.0, 2.0);
        assert_eq!(
            s,
            vec![vec![(0.0, 0.0), (1.0, 1.0)], vec![(5.0, 1.0), (6.0, 1.0)]]
        );
    }
}

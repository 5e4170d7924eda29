//! The figure of a variance report: (a) the trace `V(c)` of each loss's estimator against the
//! shift `c`, with its minimum `c*` marked by a dot; (b) Kish's ESS fraction and (c) the bias
//! `‖b(0)‖` of the importance-weighted estimator against the mixture weight `λ` of
//! `μ_λ = (1 − λ)·pθ + λ·μ₁`. The curves are the exact quadratics, not samples; the bundled
//! font, the palette and the atomic write are the other figures'.

use super::draw::{FONT, PALETTE, register_font, render_error, tick};
use super::{Format, Layout, PlotError, Size, write_atomic};
use crate::variance::Report;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{AsRangedCoord, Ranged, ValueFormatter};
use plotters::prelude::*;
use std::path::Path;

/// Points per `V(c)` curve.
const POINTS: usize = 201;

/// One curve: its colour, points, an optional marked point, and whether every point is
/// marked (a curve that may jump at its last point, as the bias does at `λ = 1`).
struct Curve {
    colour: RGBColor,
    points: Vec<(f64, f64)>,
    mark: Option<(f64, f64)>,
    dots: bool,
}

/// One panel's data.
struct Panel {
    title: &'static str,
    x_label: &'static str,
    y_label: &'static str,
    x: (f64, f64),
    y: (f64, f64),
    /// A log y-axis, for curves whose sizes differ by more than [`LOG_RATIO`].
    log_y: bool,
    curves: Vec<Curve>,
}

/// Above this ratio of the largest to the smallest value, `V(c)` is drawn on a log axis.
const LOG_RATIO: f64 = 20.0;

/// The shift range of panel (a): the requested shifts, every `c*` and 0, padded.
fn shift_range(report: &Report) -> (f64, f64) {
    let mut xs: Vec<f64> = report.options.shifts.clone();
    xs.push(0.0);
    xs.extend(
        report
            .losses
            .iter()
            .filter_map(|r| r.analysis.optimal_shift),
    );
    let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let pad = ((hi - lo) * 0.1).max(0.5);
    (lo - pad, hi + pad)
}

fn y_range(curves: &[Curve], floor: f64) -> (f64, f64) {
    let hi = curves
        .iter()
        .flat_map(|c| c.points.iter().map(|p| p.1))
        .filter(|y| y.is_finite())
        .fold(floor, f64::max);
    let hi = if hi > 0.0 { hi * 1.05 } else { 1.0 };
    (0.0, hi)
}

fn panels(report: &Report) -> Vec<Panel> {
    let (a, b) = shift_range(report);
    let curves: Vec<Curve> = report
        .losses
        .iter()
        .enumerate()
        .map(|(k, r)| {
            let an = &r.analysis;
            let v = |c: f64| match an.optimal_shift {
                Some(o) => an.variance_at_optimal + an.curvature * (c - o) * (c - o),
                None => an.variance_at_optimal,
            };
            Curve {
                colour: PALETTE[k % PALETTE.len()],
                points: (0..POINTS)
                    .map(|i| {
                        let c = a + (b - a) * i as f64 / (POINTS - 1) as f64;
                        (c, v(c))
                    })
                    .collect(),
                mark: an.optimal_shift.map(|o| (o, an.variance_at_optimal)),
                dots: false,
            }
        })
        .collect();
    let values = || curves.iter().flat_map(|c| c.points.iter().map(|p| p.1));
    let min = values().fold(f64::INFINITY, f64::min);
    let max = values().fold(f64::NEG_INFINITY, f64::max);
    let log_y = min > 0.0 && max / min > LOG_RATIO;
    let y = if log_y {
        (min / 1.2, max * 1.2)
    } else {
        y_range(&curves, 0.0)
    };
    let mut out = vec![Panel {
        title: "(a) gradient noise V(c), ● at c*",
        x_label: "shift c",
        y_label: "V(c)",
        x: (a, b),
        y,
        log_y,
        curves,
    }];
    let sweeps: Vec<_> = report
        .losses
        .iter()
        .filter_map(|r| r.analysis.mixture.as_ref().map(|m| (r, m)))
        .collect();
    if let Some((_, first)) = sweeps.first() {
        // The ESS does not depend on the loss: one black curve.
        let ess = vec![Curve {
            colour: BLACK,
            points: first
                .points
                .iter()
                .map(|p| (p.weight, p.ess_fraction))
                .collect(),
            mark: None,
            dots: false,
        }];
        out.push(Panel {
            title: "(b) ESS fraction",
            x_label: "mixture weight λ",
            y_label: "(E ρ)²/E ρ²",
            x: (0.0, 1.0),
            y: (0.0, 1.05),
            log_y: false,
            curves: ess,
        });
        let bias: Vec<Curve> = sweeps
            .iter()
            .enumerate()
            .map(|(k, (_, m))| Curve {
                colour: PALETTE[k % PALETTE.len()],
                points: m.points.iter().map(|p| (p.weight, p.bias_norm)).collect(),
                mark: None,
                dots: true,
            })
            .collect();
        let y = y_range(&bias, 0.0);
        out.push(Panel {
            title: "(c) bias ‖b(0)‖",
            x_label: "mixture weight λ",
            y_label: "‖b(0)‖",
            x: (0.0, 1.0),
            y,
            log_y: false,
            curves: bias,
        });
    }
    out
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    report: &Report,
    layout: Layout,
) -> Result<(), PlotError> {
    let font = layout.font;
    let stroke = ((font / 12.0).round() as u32).max(1);
    root.fill(&WHITE).map_err(render_error)?;
    let panels = panels(report);
    let labels: Vec<&str> = report.losses.iter().map(|r| r.input.as_str()).collect();
    let row = (font * 1.5).round() as u32;
    // Entries left to right, wrapped into rows.
    let usable = f64::from(layout.width) - 2.0 * font;
    let mut places = Vec::with_capacity(labels.len());
    let (mut r, mut x) = (0u32, 0.0);
    for label in &labels {
        let w = 3.0 * font + 0.55 * font * label.chars().count() as f64;
        if x > 0.0 && x + w > usable {
            r += 1;
            x = 0.0;
        }
        places.push((r, x));
        x += w + 1.5 * font;
    }
    let legend_height = row * (r + 1) + (font * 0.8).round() as u32;
    let (body, legend) = root.split_vertically(layout.height.saturating_sub(legend_height).max(1));
    let areas = if panels.len() == 1 {
        vec![body]
    } else {
        let (top, bottom) = body.split_vertically(body.dim_in_pixel().1 / 2);
        let (left, right) = bottom.split_horizontally(bottom.dim_in_pixel().0 / 2);
        vec![top, left, right]
    };
    for (panel, area) in panels.iter().zip(&areas) {
        draw_panel(area, panel, font, stroke)?;
    }
    let text = TextStyle::from((FONT, font * 0.9).into_font())
        .color(&BLACK)
        .pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Left,
            plotters::style::text_anchor::VPos::Center,
        ));
    for (k, (label, &(r, dx))) in labels.iter().zip(&places).enumerate() {
        let y = (font * 0.4) as i32 + (row * r) as i32 + row as i32 / 2;
        let x0 = (font + dx) as i32;
        let x1 = x0 + (font * 2.4) as i32;
        let colour = PALETTE[k % PALETTE.len()];
        legend
            .draw(&PathElement::new(
                vec![(x0, y), (x1, y)],
                colour.stroke_width(stroke),
            ))
            .map_err(render_error)?;
        legend
            .draw(&Text::new(
                label.to_string(),
                (x1 + (font * 0.6) as i32, y),
                text.clone(),
            ))
            .map_err(render_error)?;
    }
    Ok(())
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
    font: f64,
    stroke: u32,
) -> Result<(), PlotError> {
    let (lo, hi) = panel.y;
    if panel.log_y {
        chart(area, panel, (lo..hi).log_scale(), font, stroke)
    } else {
        chart(area, panel, lo..hi, font, stroke)
    }
}

fn chart<DB, Y>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
    y: Y,
    font: f64,
    stroke: u32,
) -> Result<(), PlotError>
where
    DB: DrawingBackend,
    Y: AsRangedCoord<Value = f64>,
    Y::CoordDescType: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let text = |scale: f64| TextStyle::from((FONT, font * scale).into_font()).color(&BLACK);
    let px = |scale: f64| (font * scale).round() as u32;
    let mut chart = ChartBuilder::on(area)
        .caption(panel.title, text(1.0))
        .margin_top(px(0.3))
        .margin_right(px(0.9))
        .margin_left(px(0.3))
        .x_label_area_size(px(2.6))
        .y_label_area_size(px(3.3))
        .build_cartesian_2d(panel.x.0..panel.x.1, y)
        .map_err(render_error)?;
    chart
        .configure_mesh()
        .x_labels(5)
        .y_labels(5)
        .max_light_lines(0)
        .bold_line_style(RGBColor(225, 225, 225).stroke_width(1))
        .axis_style(BLACK.stroke_width(stroke.div_ceil(2)))
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&|v| tick(*v))
        .label_style(text(0.85))
        .axis_desc_style(text(0.95))
        .x_desc(panel.x_label)
        .y_desc(panel.y_label)
        .set_all_tick_mark_size(px(0.25))
        .draw()
        .map_err(render_error)?;
    for curve in &panel.curves {
        let colour = curve.colour;
        let inside: Vec<(f64, f64)> = curve
            .points
            .iter()
            .copied()
            .filter(|(_, y)| y.is_finite() && *y <= panel.y.1)
            .collect();
        chart
            .draw_series(LineSeries::new(inside, colour.stroke_width(stroke)))
            .map_err(render_error)?;
        if curve.dots {
            let r = (font * 0.18).round().max(1.0) as i32;
            chart
                .draw_series(
                    curve
                        .points
                        .iter()
                        .filter(|(_, y)| y.is_finite() && *y <= panel.y.1)
                        .map(|&p| Circle::new(p, r, colour.filled())),
                )
                .map_err(render_error)?;
        }
        if let Some(m) = curve.mark {
            chart
                .draw_series(std::iter::once(Circle::new(
                    m,
                    (font * 0.35).round() as i32,
                    colour.filled(),
                )))
                .map_err(render_error)?;
        }
    }
    Ok(())
}

/// The figure as an SVG document.
pub fn svg(report: &Report, size: Size) -> Result<String, PlotError> {
    register_font()?;
    let layout = size.layout()?;
    let mut out = String::new();
    {
        let root =
            SVGBackend::with_string(&mut out, (layout.width, layout.height)).into_drawing_area();
        draw(&root, report, layout)?;
        root.present().map_err(render_error)?;
    }
    Ok(out)
}

/// The figure as PNG bytes, with its resolution recorded in the file.
pub fn png(report: &Report, size: Size) -> Result<Vec<u8>, PlotError> {
    register_font()?;
    let layout = size.layout()?;
    let (w, h) = (layout.width, layout.height);
    let mut pixels = vec![255u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
        draw(&root, report, layout)?;
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

/// Render by `path`'s extension and write atomically.
pub fn plot_to_file(report: &Report, path: &Path, size: Size) -> Result<(), PlotError> {
    let bytes = match Format::from_path(path)? {
        Format::Svg => svg(report, size)?.into_bytes(),
        Format::Png => png(report, size)?,
    };
    write_atomic(path, &bytes)
}

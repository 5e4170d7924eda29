//! The figure of a variance report: (a) the trace `V(c)` of each loss's estimator against the
//! shift `c`, with its minimum `c*` marked by a dot; (b) Kish's ESS fraction and (c) the bias
//! `‖b(0)‖` of the importance-weighted estimator against the mixture weight `λ` of
//! `μ_λ = (1 − λ)·pθ + λ·μ₁`. The curves are the exact quadratics, not samples. The drawing is
//! the pair figures' (`super::draw`: typeset labels, ticks, palette and dashes, legend) and goes
//! through the same outputs, so the figure is written as SVG, PDF, PNG or pgfplots alike.

use super::draw::{
    self, Frame, Rect, Svg, curve_style, legend_layout, log_ticks, nice_ticks, tick,
};
use super::math::to_latex;
use super::range::{Exit, clip};
use super::{Format, Layout, PlotError, Size, output, write_atomic};
use crate::variance::Report;
use std::fmt::Write;
use std::path::Path;

/// Points per `V(c)` curve.
const POINTS: usize = 201;

/// One curve: its colour, points, an optional marked point, and whether every point is
/// marked (a curve that may jump at its last point, as the bias does at `λ = 1`).
struct Curve {
    /// The curve's colour and dashes.
    style: ((u8, u8, u8), &'static [f64]),
    points: Vec<(f64, f64)>,
    mark: Option<(f64, f64)>,
    dots: bool,
}

/// One panel's data.
struct Panel {
    /// Caption, axis labels: markup (text with `$…$` math).
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
                style: curve_style(k),
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
        title: "(a) gradient noise $V(c)$, a dot at its minimum $c^*$",
        x_label: "shift $c$",
        y_label: "$V(c)$",
        x: (a, b),
        y,
        log_y,
        curves,
    }];
    // Each loss keeps its own colour: the sweeps with the index of their loss.
    let sweeps: Vec<_> = report
        .losses
        .iter()
        .enumerate()
        .filter_map(|(k, r)| r.analysis.mixture.as_ref().map(|m| (k, m)))
        .collect();
    if let Some((_, first)) = sweeps.first() {
        // The ESS does not depend on the loss: one black curve.
        let ess = vec![Curve {
            style: ((0, 0, 0), &[]),
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
            x_label: r"mixture weight $\lambda$",
            y_label: r"$(\mathrm{E}\,\rho)^2/\mathrm{E}\,\rho^2$",
            x: (0.0, 1.0),
            y: (0.0, 1.05),
            log_y: false,
            curves: ess,
        });
        let bias: Vec<Curve> = sweeps
            .iter()
            .map(|&(k, m)| Curve {
                style: curve_style(k),
                points: m.points.iter().map(|p| (p.weight, p.bias_norm)).collect(),
                mark: None,
                dots: true,
            })
            .collect();
        let y = y_range(&bias, 0.0);
        out.push(Panel {
            title: r"(c) bias $\|b(0)\|$",
            x_label: r"mixture weight $\lambda$",
            y_label: r"$\|b(0)\|$",
            x: (0.0, 1.0),
            y,
            log_y: false,
            curves: bias,
        });
    }
    out
}

/// The legend's labels: a catalog name as it is, an expression typeset, anything else as text.
fn legend_labels(report: &Report) -> Vec<String> {
    report
        .losses
        .iter()
        .map(|r| {
            let text = r.input.trim();
            let named =
                crate::catalog::loss(text).is_some() || crate::catalog::divergence(text).is_some();
            match crate::parse::parse(text) {
                Ok(e) if !named && !text.contains('\n') => {
                    format!("${}$", crate::print::latex(&e))
                }
                _ => text.replace('$', ""),
            }
        })
        .collect()
}

/// Where each panel goes: (a) across the top half, (b) and (c) side by side below it; (a)
/// alone fills the grid.
fn cells(count: usize, w: f64, h: f64) -> Vec<Rect> {
    if count <= 1 {
        return vec![Rect {
            x: 0.0,
            y: 0.0,
            w,
            h,
        }];
    }
    let half = h / 2.0;
    vec![
        Rect {
            x: 0.0,
            y: 0.0,
            w,
            h: half,
        },
        Rect {
            x: 0.0,
            y: half,
            w: w / 2.0,
            h: half,
        },
        Rect {
            x: w / 2.0,
            y: half,
            w: w / 2.0,
            h: half,
        },
    ]
}

/// The figure as an SVG document in points, text as `<text>` runs: the source of the drawn
/// formats.
fn svg_source(report: &Report, layout: Layout) -> String {
    let (w, h, font) = (layout.width, layout.height, layout.font);
    let mut svg = Svg::open(w, h);
    let labels = legend_labels(report);
    let refs: Vec<&str> = labels.iter().map(String::as_str).collect();
    let legend = legend_layout(&refs, w - 2.0 * font, font);
    let legend_height = legend.rows as f64 * 1.35 * font + 0.6 * font;
    let grid_height = h - legend_height;
    let panels = panels(report);
    for (panel, cell) in panels.iter().zip(cells(panels.len(), w, grid_height)) {
        draw_panel(&mut svg, panel, cell, font);
    }
    draw::draw_legend(&mut svg, &legend, font, grid_height + 0.3 * font);
    svg.out.push_str("</svg>\n");
    svg.out
}

/// `y` on the panel's scale: its logarithm on a log axis.
fn scaled(panel: &Panel, y: f64) -> f64 {
    if panel.log_y { y.log10() } else { y }
}

/// A curve's points on the panel's scale, `None` where not finite.
fn scaled_points(panel: &Panel, curve: &Curve) -> Vec<(f64, Option<f64>)> {
    curve
        .points
        .iter()
        .map(|&(x, y)| (x, Some(scaled(panel, y)).filter(|v| v.is_finite())))
        .collect()
}

/// The y-axis ticks with their labels.
fn y_ticks(panel: &Panel) -> Vec<(f64, String)> {
    let (lo, hi) = panel.y;
    if panel.log_y {
        log_ticks(lo, hi)
    } else {
        nice_ticks(lo, hi, 4)
            .into_iter()
            .map(|v| (v, tick(v)))
            .collect()
    }
}

fn draw_panel(svg: &mut Svg, panel: &Panel, cell: Rect, font: f64) {
    let frame = Frame::new(cell, font, &y_ticks(panel));
    let plot = frame.plot;
    let (x0, x1) = panel.x;
    let (lo, hi) = (scaled(panel, panel.y.0), scaled(panel, panel.y.1));
    let px = |x: f64| plot.x + (x - x0) / (x1 - x0) * plot.w;
    let py = |y: f64| plot.y + plot.h - (y - lo) / (hi - lo) * plot.h;
    let x_ticks: Vec<(f64, String)> = nice_ticks(x0, x1, 5)
        .into_iter()
        .map(|v| (v, tick(v)))
        .collect();
    frame.axes(svg, panel.title, |v| py(scaled(panel, v)), px, &x_ticks);
    for curve in &panel.curves {
        let (rgb, dashes) = curve.style;
        let cut = clip(&scaled_points(panel, curve), lo, hi, false);
        for piece in &cut.pieces {
            let pts: Vec<(f64, f64)> = piece.iter().map(|&(x, y)| (px(x), py(y))).collect();
            svg.styled_polyline(&pts, rgb, dashes);
            if curve.dots {
                for &p in &pts {
                    svg.dot(p, 0.22 * font, rgb);
                }
            }
        }
        for Exit { x, top } in cut.exits {
            let y = if top { plot.y } else { plot.y + plot.h };
            svg.dot((px(x), y), 0.22 * font, rgb);
        }
        if let Some((x, y)) = curve.mark {
            let y = scaled(panel, y);
            if y.is_finite() && (lo..=hi).contains(&y) {
                svg.dot((px(x), py(y)), 0.4 * font, rgb);
            }
        }
    }
    frame.border(svg, panel.x_label, panel.y_label);
}

/// A pgfplots dash option for a dash pattern in points.
fn tex_dash(dashes: &[f64]) -> String {
    if dashes.is_empty() {
        return "solid".into();
    }
    let parts: Vec<String> = dashes
        .chunks(2)
        .map(|c| format!("on {}pt off {}pt", c[0], c.get(1).unwrap_or(&c[0])))
        .collect();
    format!("dash pattern={}", parts.join(" "))
}

/// The figure as a pgfplots `tikzpicture`, `layout.width` points wide.
fn tex(report: &Report, layout: Layout) -> String {
    use super::tex::n;
    let mut out = String::new();
    out.push_str("% fcorr variance figure: V(c), ESS and bias. Needs in the preamble:\n");
    for line in super::PGFPLOTS_PREAMBLE.lines() {
        let _ = writeln!(out, "%   {line}");
    }
    out.push_str("\\begin{tikzpicture}\n");
    let labels = legend_labels(report);
    for k in 0..labels.len() {
        let ((r, g, b), _) = curve_style(k);
        let _ = writeln!(out, "\\definecolor{{fcorr{k}}}{{RGB}}{{{r},{g},{b}}}");
    }
    let em = layout.font;
    let panels = panels(report);
    let full = (layout.width - 4.6 * em - 0.5 * em).max(8.0 * em);
    let half = (layout.width - 2.0 * 4.6 * em - 0.5 * em).max(8.0 * em) / 2.0;
    let refs: Vec<&str> = labels.iter().map(String::as_str).collect();
    let columns = draw::legend_columns(&refs, layout).max(1);
    let rows = panels.len().div_ceil(2) as f64;
    let height = ((layout.height
        - labels.len().div_ceil(columns) as f64 * 1.4 * em
        - 2.0 * em
        - (rows - 1.0) * 6.4 * em
        - 3.6 * em)
        / rows)
        .max(6.0 * em);
    for (p, panel) in panels.iter().enumerate() {
        let name = format!("fcorrv{}", ['a', 'b', 'c'][p.min(2)]);
        let at = match p {
            0 => String::new(),
            1 => "at={(fcorrva.outer south west)}, anchor=outer north west, ".into(),
            _ => "at={(fcorrvb.outer north east)}, anchor=outer north west, ".into(),
        };
        let width = if p == 0 { full } else { half };
        let (x0, x1) = panel.x;
        let _ = write!(
            out,
            "\\begin{{axis}}[name={name}, {at}scale only axis, width={width:.1}pt, height={height:.1}pt,\n  title={{{}}}, xlabel={{{}}}, ylabel={{{}}},\n  xmin={}, xmax={}, ymin={}, ymax={},{}\n  tick label style={{font=\\scriptsize}}, label style={{font=\\footnotesize}},\n  title style={{font=\\footnotesize, yshift=-0.5ex}}, grid=major, grid style={{gray!25}},\n  unbounded coords=jump, every axis plot/.append style={{line width=1pt}}",
            to_latex(panel.title),
            to_latex(panel.x_label),
            to_latex(panel.y_label),
            n(x0),
            n(x1),
            n(panel.y.0),
            n(panel.y.1),
            if panel.log_y { " ymode=log," } else { "" },
        );
        if p == 0 {
            let _ = write!(
                out,
                ",\n  legend to name=fcorrvlegend, legend columns={columns}, legend style={{draw=none, font=\\footnotesize, /tikz/every even column/.append style={{column sep=1em}}}}"
            );
        }
        out.push_str("]\n");
        for (k, curve) in panel.curves.iter().enumerate() {
            let ((r, g, b), dashes) = curve.style;
            let cut = clip(
                &scaled_points(panel, curve),
                scaled(panel, panel.y.0),
                scaled(panel, panel.y.1),
                false,
            );
            let unscale = |y: f64| if panel.log_y { 10f64.powf(y) } else { y };
            let marks = if curve.dots {
                "mark=*, mark size=0.8pt"
            } else {
                "no marks"
            };
            let forget = if p == 0 { "" } else { ", forget plot" };
            let _ = write!(
                out,
                "\\addplot[color={{rgb,255:red,{r};green,{g};blue,{b}}}, {}, {marks}{forget}] coordinates {{",
                tex_dash(dashes)
            );
            for (i, piece) in cut.pieces.iter().enumerate() {
                if i > 0 {
                    let _ = write!(out, " ({} nan)", n(piece[0].0));
                }
                for (j, (x, y)) in piece.iter().enumerate() {
                    out.push_str(if j % 6 == 0 { "\n  " } else { " " });
                    let _ = write!(out, "({},{})", n(*x), n(unscale(*y)));
                }
            }
            out.push_str("\n};\n");
            if p == 0 {
                let _ = writeln!(out, "\\addlegendentry{{{}}}", to_latex(&labels[k]));
            }
            if let Some((x, y)) = curve.mark {
                let _ = writeln!(
                    out,
                    "\\addplot[color={{rgb,255:red,{r};green,{g};blue,{b}}}, only marks, mark=*, mark size=2pt, forget plot] coordinates {{({},{})}};",
                    n(x),
                    n(y)
                );
            }
        }
        out.push_str("\\end{axis}\n");
    }
    let last = if panels.len() > 1 {
        "fcorrvb"
    } else {
        "fcorrva"
    };
    let _ = writeln!(
        out,
        "\\path ({last}.outer south west) -- ({last}.outer south west -| fcorrva.outer south east)\n  node[midway, below] {{\\pgfplotslegendfromname{{fcorrvlegend}}}};"
    );
    out.push_str("\\end{tikzpicture}\n");
    out
}

/// The figure's file contents in `format`.
pub fn render(report: &Report, format: Format, size: Size) -> Result<Vec<u8>, PlotError> {
    let layout = size.layout()?;
    Ok(match format {
        Format::Svg => {
            output::svg(&svg_source(report, layout), layout, size.inches())?.into_bytes()
        }
        Format::Pdf => output::pdf(&svg_source(report, layout))?,
        Format::Png => output::png(&svg_source(report, layout), layout, size.inches())?,
        Format::Tex => tex(report, layout).into_bytes(),
    })
}

/// Render by `path`'s extension (`.svg`, `.pdf`, `.png` or `.tex`) and write atomically.
pub fn plot_to_file(report: &Report, path: &Path, size: Size) -> Result<(), PlotError> {
    let bytes = render(report, Format::from_path(path)?, size)?;
    write_atomic(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transform::{Residual, from_loss};
    use crate::variance::{Behaviour, Input, Model, Options, variance};

    /// The report of `losses` on a three-outcome model, sampled from a behaviour that misses
    /// the last outcome.
    fn report(losses: &[&str]) -> Report {
        let inputs: Vec<Input> = losses
            .iter()
            .map(|g| {
                let subject = crate::params::Subject::loss(g).unwrap();
                let none: &[&str] = &[];
                let bound = crate::params::bind(&subject, &["t", "u"], none).unwrap();
                Input {
                    label: g.to_string(),
                    pair: from_loss(&subject.expr, Residual::TargetMinusModel, &bound.bindings)
                        .unwrap(),
                }
            })
            .collect();
        let model = Model::new(vec![0.0, 1.0, 2.0], vec![1.0, 1.0, 1.0]).unwrap();
        let options = Options {
            shifts: vec![-1.0, 0.0, 1.0],
            behaviour: Some(Behaviour::Explicit(vec![0.5, 0.5, 0.0])),
            mixture_sweep: true,
            ..Options::default()
        };
        variance(&inputs, &model, "test".into(), &options).unwrap()
    }

    #[test]
    fn legend_names_stay_and_expressions_are_typeset() {
        let r = report(&["linex", "exp(t) - 1"]);
        assert_eq!(legend_labels(&r), ["linex", "$e^{t} - 1$"]);
    }

    #[test]
    fn three_panels_with_a_sweep_one_without() {
        let r = report(&["t^2", "linex"]);
        let p = panels(&r);
        assert_eq!(p.len(), 3);
        // Each loss keeps its colour in (c); the ESS is one black curve.
        assert_eq!(p[1].curves.len(), 1);
        assert_eq!(p[1].curves[0].style.0, (0, 0, 0));
        assert_eq!(p[2].curves[1].style, curve_style(1));
        // The support is missed, so the bias at λ = 1 is not zero.
        assert!(p[2].curves[0].points.last().unwrap().1 > 0.0);
        let mut alone = r.clone();
        for l in &mut alone.losses {
            l.analysis.mixture = None;
        }
        assert_eq!(panels(&alone).len(), 1);
        assert!(svg_source(&alone, Size::Column.layout().unwrap()).contains("<circle"));
    }

    #[test]
    fn losses_of_different_scale_get_a_log_axis() {
        let mut r = report(&["t^2", "linex"]);
        assert!(!panels(&r).first().unwrap().log_y);
        r.losses[1].analysis.variance_at_optimal *= 1e3;
        r.losses[1].analysis.curvature *= 1e3;
        let a = panels(&r).remove(0);
        assert!(a.log_y && a.y.0 > 0.0);
        let tex = tex(&r, Size::Column.layout().unwrap());
        assert!(tex.contains("ymode=log"), "{tex}");
    }

    #[test]
    fn every_format_is_rendered() {
        let r = report(&["t^2"]);
        let svg = render(&r, Format::Svg, Size::Column).unwrap();
        assert!(svg.starts_with(b"<svg"));
        assert!(
            render(&r, Format::Pdf, Size::Column)
                .unwrap()
                .starts_with(b"%PDF-")
        );
        assert!(
            render(&r, Format::Png, Size::Pixels(400))
                .unwrap()
                .starts_with(b"\x89PNG")
        );
        let tex = render(&r, Format::Tex, Size::Page).unwrap();
        assert!(
            String::from_utf8(tex)
                .unwrap()
                .ends_with("\\end{tikzpicture}\n")
        );
        assert!(render(&r, Format::Png, Size::Pixels(100)).is_err());
    }
}

//! Paper figures of loss–divergence pairs: `f(u)`, `f'(u)`, `g(t)` and `g'(t)` in a 2×2 grid.
//!
//! A figure is built in two steps so each can be tested alone: [`Figure::new`] samples every
//! pair on fixed grids (200 log-spaced `u` in [1e-2, 1e2], 200 `t` in [−4, 4]), and
//! [`Figure::svg`] / [`Figure::png`] draw it in memory with plotters and a bundled font
//! (DejaVu Sans), so the output is the same on every machine and the SVG is snapshot-testable.
//! Points that are not finite, or fall outside a panel's robust y-range, are left out and the
//! curve is broken there; nothing is clamped. [`write_atomic`] is the one function of the
//! library that touches the file system.

mod draw;
mod file;
pub mod sample;
pub mod variance;

pub use file::write_atomic;

use crate::transform::{Correspondence, Direction, Residual};
use std::path::Path;

/// Why a figure could not be made or written.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlotError {
    /// The output file's extension names no supported format.
    #[error(
        "cannot tell the figure format from `{0}`\n  = help: end the file name in `.svg` or `.png`"
    )]
    Format(String),
    /// The requested size is outside what can be drawn.
    #[error(
        "a figure {0} pixels wide is outside the supported 240 to 8000\n  = help: give `--width` in pixels, or `--size column` or `--size page`"
    )]
    Size(u32),
    /// Nothing to draw.
    #[error(
        "nothing to plot\n  = help: give at least one `--from-loss EXPR` or `--from-divergence EXPR`"
    )]
    Empty,
    /// The drawing backend failed.
    #[error("cannot draw the figure: {0}")]
    Render(String),
    /// The file could not be written.
    #[error("cannot write `{path}`: {reason}")]
    Write {
        /// The path asked for.
        path: String,
        /// What the operating system said.
        reason: String,
    },
}

/// The file format of a figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Scalable vector graphics, text as `<text>` in DejaVu Sans.
    Svg,
    /// A PNG image at [`DPI`] dots per inch.
    Png,
}

impl Format {
    /// The format named by a path's extension (`.svg` or `.png`, any case).
    pub fn from_path(path: &Path) -> Result<Format, PlotError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("svg") => Ok(Format::Svg),
            Some("png") => Ok(Format::Png),
            _ => Err(PlotError::Format(path.display().to_string())),
        }
    }
}

/// Dots per inch of the size presets.
pub const DPI: f64 = 300.0;

/// How large a figure is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Size {
    /// One column of a two-column paper: 3.5 in at [`DPI`], 8 pt text.
    #[default]
    Column,
    /// The full text width: 7 in at [`DPI`], 8 pt text.
    Page,
    /// A width in pixels; the text is sized as for a one-column figure of that width.
    Pixels(u32),
}

impl std::str::FromStr for Size {
    type Err = String;

    /// `column`, `page`, or a width in pixels.
    fn from_str(s: &str) -> Result<Size, String> {
        match s {
            "column" => Ok(Size::Column),
            "page" => Ok(Size::Page),
            _ => s
                .parse::<u32>()
                .map(Size::Pixels)
                .map_err(|_| format!("`{s}` is not `column`, `page` or a width in pixels")),
        }
    }
}

/// The pixel geometry of a figure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Layout {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The body text size in pixels (8 pt at the figure's scale).
    pub font: f64,
}

impl Size {
    /// Width, height and text size in pixels.
    pub fn layout(self) -> Result<Layout, PlotError> {
        let (width, aspect) = match self {
            Size::Column => ((3.5 * DPI) as u32, 1.0),
            Size::Page => ((7.0 * DPI) as u32, 0.6),
            Size::Pixels(w) if (240..=8000).contains(&w) => (w, 1.0),
            Size::Pixels(w) => return Err(PlotError::Size(w)),
        };
        let inches = match self {
            Size::Page => 7.0,
            _ => 3.5,
        };
        let dpi = f64::from(width) / inches;
        Ok(Layout {
            width,
            height: (f64::from(width) * aspect).round() as u32,
            font: 8.0 * dpi / 72.0,
        })
    }
}

/// One pair to draw, with its legend label.
#[derive(Clone, Debug)]
pub struct Input {
    /// The legend label, usually the expression as the user typed it.
    pub label: String,
    /// The pair.
    pub pair: Correspondence,
}

impl Input {
    /// A pair with its label; a loss written on the model-minus-target residual is marked,
    /// since the figure shows its reflection `g(t) = G(−t)`.
    pub fn new(label: impl Into<String>, pair: Correspondence) -> Input {
        let mut label = label.into();
        if pair.direction == Direction::FromLoss && pair.residual == Residual::ModelMinusTarget {
            label.push_str("  [as G(−t)]");
        }
        Input { label, pair }
    }
}

/// One curve of a panel: its points, `None` where it is left out.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// The legend label.
    pub label: String,
    /// `(x, y)` samples; `y` is `None` where the value is unknown or not finite.
    pub points: Vec<(f64, Option<f64>)>,
}

/// One panel of the grid.
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    /// The caption above the panel, e.g. `(a) generator f(u)`.
    pub title: &'static str,
    /// The x-axis label with the divergence's arguments, e.g. `u = q/pθ`.
    pub x_label: &'static str,
    /// The y-axis label, e.g. `f(u)`.
    pub y_label: &'static str,
    /// Whether x is drawn on a log scale.
    pub log_x: bool,
    /// The x-range.
    pub x_range: (f64, f64),
    /// The robust y-range; `None` when no curve has a finite value.
    pub y_range: Option<(f64, f64)>,
    /// One curve per input.
    pub series: Vec<Series>,
}

/// The sampled figure: four panels, `f`, `f'`, `g`, `g'`.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// The panels in reading order.
    pub panels: Vec<Panel>,
}

impl Figure {
    /// Sample every input on the figure's grids.
    pub fn new(inputs: &[Input]) -> Result<Figure, PlotError> {
        use sample::{POINTS, T_MAX, T_MIN, U_MAX, U_MIN};
        if inputs.is_empty() {
            return Err(PlotError::Empty);
        }
        let us = sample::log_grid(U_MIN, U_MAX, POINTS);
        let ts = sample::linear_grid(T_MIN, T_MAX, POINTS);
        let sampled: Vec<_> = inputs
            .iter()
            .map(|i| sample::sample(&i.pair, &us, &ts))
            .collect();
        let u_label = "u = q/pθ";
        let t_label = "t = log q − log pθ";
        let specs: [(&'static str, &'static str, &'static str, bool); 4] = [
            ("(a) generator of D_f(q‖pθ)", u_label, "f(u)", true),
            ("(b) derivative f′(u)", u_label, "f′(u)", true),
            ("(c) loss g(t)", t_label, "g(t)", false),
            ("(d) per-sample weight g′(t)", t_label, "g′(t)", false),
        ];
        let panels = specs
            .iter()
            .enumerate()
            .map(|(k, &(title, x_label, y_label, log_x))| {
                let xs = if log_x { &us } else { &ts };
                let series: Vec<Series> = inputs
                    .iter()
                    .zip(&sampled)
                    .map(|(input, s)| {
                        let ys = match k {
                            0 => &s.f,
                            1 => &s.fp,
                            2 => &s.g,
                            _ => &s.gp,
                        };
                        Series {
                            label: input.label.clone(),
                            points: xs.iter().copied().zip(ys.iter().copied()).collect(),
                        }
                    })
                    .collect();
                let all: Vec<f64> = series
                    .iter()
                    .flat_map(|s| s.points.iter().filter_map(|p| p.1))
                    .collect();
                Panel {
                    title,
                    x_label,
                    y_label,
                    log_x,
                    x_range: (xs[0], xs[xs.len() - 1]),
                    y_range: sample::robust_range(&all),
                    series,
                }
            })
            .collect();
        Ok(Figure { panels })
    }

    /// The figure as an SVG document.
    pub fn svg(&self, size: Size) -> Result<String, PlotError> {
        draw::svg(self, size.layout()?)
    }

    /// The figure as a PNG file's bytes.
    pub fn png(&self, size: Size) -> Result<Vec<u8>, PlotError> {
        draw::png(self, size.layout()?)
    }

    /// The figure's file contents in `format`.
    pub fn render(&self, format: Format, size: Size) -> Result<Vec<u8>, PlotError> {
        match format {
            Format::Svg => self.svg(size).map(String::into_bytes),
            Format::Png => self.png(size),
        }
    }
}

/// Sample, render by `path`'s extension and write atomically: the whole of `fcorr plot`.
pub fn plot_to_file(inputs: &[Input], path: &Path, size: Size) -> Result<(), PlotError> {
    let format = Format::from_path(path)?;
    let bytes = Figure::new(inputs)?.render(format, size)?;
    write_atomic(path, &bytes)
}

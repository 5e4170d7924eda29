//! Paper figures of loss–divergence pairs: `f(u)`, `f'(u)`, `g(t)` and `g'(t)` in a 2×2 grid.
//!
//! A figure is sampled once ([`Figure::with_options`]: 200 log-spaced `u`, 200 `t`, each
//! panel's y-range chosen so that every curve's shape shows, see [`range`]) and drawn once, as
//! an SVG in points with typeset labels ([`math`]). Every drawn format comes from that one
//! drawing: the SVG file (glyphs outlined, so it looks the same everywhere), the PDF (`svg2pdf`,
//! fonts embedded) and the PNG (`resvg`, anti-aliased), all with the bundled DejaVu Sans. The
//! pgfplots file draws the same clipped data with TeX's own fonts. [`write_atomic`] is the one
//! function of the library that touches the file system.

mod draw;
mod file;
pub mod math;
mod output;
mod pdf_order;
mod pdf_value;
pub mod range;
pub mod sample;
mod tex;
pub mod variance;

pub use tex::PREAMBLE as PGFPLOTS_PREAMBLE;

pub use file::write_atomic;

use crate::transform::{Correspondence, Direction, Residual};
use std::path::Path;

/// Why a figure could not be made or written.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlotError {
    /// The output file's extension names no supported format.
    #[error(
        "cannot tell the figure format from `{0}`\n  = help: end the file name in `.svg`, `.pdf`, `.png` or `.tex`"
    )]
    Format(String),
    /// The requested size is outside what can be drawn.
    #[error(
        "a figure {0} pixels wide is outside the supported 240 to 8000\n  = help: give `--width` in pixels, or `--size column` or `--size page`"
    )]
    Size(u32),
    /// A range to plot is not usable.
    #[error("{0}")]
    Range(String),
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
    /// Scalable vector graphics, the glyphs outlined (DejaVu Sans).
    Svg,
    /// A vector PDF with the fonts embedded.
    Pdf,
    /// An anti-aliased PNG image at [`DPI`] dots per inch (or the width asked for).
    Png,
    /// A pgfplots `tikzpicture` with the data inline and the labels in LaTeX.
    Tex,
}

impl Format {
    /// The format named by a path's extension (`.svg`, `.pdf`, `.png` or `.tex`, any case).
    pub fn from_path(path: &Path) -> Result<Format, PlotError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("svg") => Ok(Format::Svg),
            Some("pdf") => Ok(Format::Pdf),
            Some("png") => Ok(Format::Png),
            Some("tex") => Ok(Format::Tex),
            _ => Err(PlotError::Format(path.display().to_string())),
        }
    }
}

/// Dots per inch of a PNG made at a preset size.
pub const DPI: f64 = 300.0;

/// The size of the body text, in points, at every size.
pub const FONT_PT: f64 = 8.0;

/// How large a figure is: a venue's column or text width, or a PNG width in pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Size {
    /// One column of a two-column paper: 3.5 in.
    #[default]
    Column,
    /// The full text width of a two-column paper: 7 in.
    Page,
    /// One ICML column: 3.25 in.
    IcmlColumn,
    /// The ICML text width: 6.75 in.
    IcmlPage,
    /// The one-column text width of NeurIPS and ICLR: 5.5 in.
    Neurips,
    /// A one-column figure drawn as a PNG this many pixels wide.
    Pixels(u32),
}

/// The presets by name, with their widths in inches.
pub const PRESETS: [(&str, Size, f64); 5] = [
    ("column", Size::Column, 3.5),
    ("page", Size::Page, 7.0),
    ("icml", Size::IcmlColumn, 3.25),
    ("icml-page", Size::IcmlPage, 6.75),
    ("neurips", Size::Neurips, 5.5),
];

impl std::str::FromStr for Size {
    type Err = String;

    /// A preset's name (`column`, `page`, `icml`, `icml-page`, `neurips`) or a width in pixels.
    fn from_str(s: &str) -> Result<Size, String> {
        if let Some((_, size, _)) = PRESETS.iter().find(|p| p.0 == s) {
            return Ok(*size);
        }
        s.parse::<u32>().map(Size::Pixels).map_err(|_| {
            format!("`{s}` is not one of `column`, `page`, `icml`, `icml-page`, `neurips` or a width in pixels")
        })
    }
}

/// The geometry of a figure: drawn in points, rasterised at `pixels` wide.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Layout {
    /// Width in points (1/72 in).
    pub width: f64,
    /// Height in points.
    pub height: f64,
    /// The body text size in points.
    pub font: f64,
    /// The width of a PNG in pixels.
    pub pixels: u32,
}

impl Size {
    /// The width in inches.
    pub fn inches(self) -> f64 {
        PRESETS.iter().find(|p| p.1 == self).map_or(3.5, |p| p.2)
    }

    /// Width, height and text size in points, and the PNG's width in pixels.
    ///
    /// Narrow figures are square; wider ones are flatter, as a 2×2 grid across the page is.
    pub fn layout(self) -> Result<Layout, PlotError> {
        if let Size::Pixels(w) = self
            && !(240..=8000).contains(&w)
        {
            return Err(PlotError::Size(w));
        }
        let inches = self.inches();
        let aspect = if inches <= 4.0 {
            1.0
        } else if inches <= 6.0 {
            0.72
        } else {
            0.6
        };
        let pixels = match self {
            Size::Pixels(w) => w,
            _ => (inches * DPI).round() as u32,
        };
        Ok(Layout {
            width: inches * 72.0,
            height: inches * 72.0 * aspect,
            font: FONT_PT,
            pixels,
        })
    }
}

/// What a legend entry says about a pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Legend {
    /// The loss `g = …` or generator `f = …` as typeset math.
    #[default]
    Expr,
    /// The named divergence the pair is identified with, e.g. `2 × KL(pθ‖q)`; the expression
    /// when there is none.
    Name,
}

/// Which ranges to show and what to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// The range of `u` of the `f` panels, `0 < lo < hi`, within [1e-12, 1e12].
    pub u_range: (f64, f64),
    /// The range of `t` of the `g` panels, within [−40, 40].
    pub t_range: (f64, f64),
    /// A fixed y-range for a panel (`f`, `f'`, `g`, `g'` in that order) instead of the robust one.
    pub y_ranges: [Option<(f64, f64)>; 4],
    /// Draw each pair's canonical member `f − f'(1)(u − 1) ↔ g − g'(0)·t` (`f'(1) = g'(0) = 0`).
    pub canonical: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            u_range: (sample::U_MIN, sample::U_MAX),
            t_range: (sample::T_MIN, sample::T_MAX),
            y_ranges: [None; 4],
            canonical: false,
        }
    }
}

/// The panels' names for `--y-range NAME=LO:HI`, in panel order, each with its aliases.
pub const PANEL_NAMES: [[&str; 3]; 4] = [
    ["f", "a", "f(u)"],
    ["f'", "b", "df"],
    ["g", "c", "g(t)"],
    ["g'", "d", "dg"],
];

/// `LO:HI` as two finite numbers with `LO < HI`.
pub fn parse_range(text: &str) -> Result<(f64, f64), PlotError> {
    let bad = || {
        PlotError::Range(format!(
            "`{text}` is not a range\n  = help: write it as LO:HI, e.g. `0.1:10` or `-2:2`"
        ))
    };
    let (a, b) = text.split_once(':').ok_or_else(bad)?;
    let lo: f64 = a.trim().parse().map_err(|_| bad())?;
    let hi: f64 = b.trim().parse().map_err(|_| bad())?;
    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
        return Err(PlotError::Range(format!(
            "the range `{text}` is empty or not finite\n  = help: the lower end must be below the upper"
        )));
    }
    Ok((lo, hi))
}

/// `PANEL=LO:HI`: the panel's index (0 to 3) and its range.
pub fn parse_panel_range(text: &str) -> Result<(usize, (f64, f64)), PlotError> {
    let (name, range) = text.split_once('=').ok_or_else(|| {
        PlotError::Range(format!(
            "`{text}` names no panel\n  = help: write PANEL=LO:HI with PANEL one of f, f', g, g' (or a, b, c, d)"
        ))
    })?;
    let name = name.trim().replace('′', "'");
    let k = PANEL_NAMES
        .iter()
        .position(|names| names.contains(&name.as_str()))
        .ok_or_else(|| {
            PlotError::Range(format!(
                "there is no panel `{name}`\n  = help: the panels are f, f', g, g' (or a, b, c, d)"
            ))
        })?;
    Ok((k, parse_range(range)?))
}

impl Options {
    /// Check the ranges: `u` positive within [1e-12, 1e12], `t` within [−40, 40], where the
    /// numeric sides are defined.
    pub fn validate(&self) -> Result<(), PlotError> {
        let (a, b) = self.u_range;
        if !(a > 0.0 && a < b && a >= 1e-12 && b <= 1e12) {
            return Err(PlotError::Range(format!(
                "the u-range {a}:{b} is outside (0, ∞) or the supported [1e-12, 1e12]\n  = help: give `--u-range LO:HI` with 1e-12 ≤ LO < HI ≤ 1e12"
            )));
        }
        let (a, b) = self.t_range;
        if !(a < b && a >= -40.0 && b <= 40.0) {
            return Err(PlotError::Range(format!(
                "the t-range {a}:{b} is outside the supported [-40, 40]\n  = help: give `--t-range LO:HI` with -40 ≤ LO < HI ≤ 40"
            )));
        }
        for r in self.y_ranges.iter().flatten() {
            if !(r.0.is_finite() && r.1.is_finite() && r.0 < r.1) {
                return Err(PlotError::Range(format!(
                    "the y-range {}:{} is empty or not finite",
                    r.0, r.1
                )));
            }
        }
        Ok(())
    }
}

/// One pair to draw, with its legend label.
#[derive(Clone, Debug)]
pub struct Input {
    /// The legend label as markup: text with `$…$` LaTeX math (see [`math`]).
    pub label: String,
    /// The pair.
    pub pair: Correspondence,
}

impl Input {
    /// A pair labelled with plain text, usually the expression as the user typed it; a loss
    /// written on the model-minus-target residual is marked, since the figure shows its
    /// reflection `g(t) = G(−t)`.
    pub fn new(label: impl Into<String>, pair: Correspondence) -> Input {
        let mut label: String = label.into().replace('$', "");
        if pair.direction == Direction::FromLoss && pair.residual == Residual::ModelMinusTarget {
            label.push_str("  [as G(−t)]");
        }
        Input { label, pair }
    }

    /// A pair labelled as `legend` says: `g = …` for a loss, `f = …` for a generator, typeset;
    /// or the identified named divergence.
    pub fn labelled(pair: Correspondence, legend: Legend) -> Input {
        let label = match legend {
            Legend::Name => name_label(&pair).unwrap_or_else(|| expr_label(&pair)),
            Legend::Expr => expr_label(&pair),
        };
        Input { label, pair }
    }
}

/// `$g = …$` for a loss (as drawn, on `t = log q − log pθ`; `g = G(−t) = …` for a loss
/// written on the model-minus-target residual), `$f = …$` for a generator.
fn expr_label(pair: &Correspondence) -> String {
    let (name, e) = match pair.direction {
        Direction::FromLoss => ("g", pair.loss.as_ref()),
        Direction::FromDivergence => ("f", pair.divergence.as_ref()),
    };
    let written = crate::print::latex(e.unwrap_or(&pair.written));
    let reflected =
        pair.direction == Direction::FromLoss && pair.residual == Residual::ModelMinusTarget;
    let via = if reflected { " = G(-t)" } else { "" };
    format!("${name}{via} = {written}$")
}

/// The first named divergence the pair is identified with without a constant, as `k × NAME`
/// markup: identified as the report does, on the logarithms split (`log(4*u/(u + 1))`, GAN's
/// and JS's losses). A divergence that differs by a constant (`D_GAN = D_JS − 2·log 2`) does not
/// name the curve.
fn name_label(pair: &Correspondence) -> Option<String> {
    let found = crate::catalog::identify_pair(&pair.with_expanded_logs()).ok()?;
    let id = found.iter().find(|i| i.offset == 0.0)?;
    let scale = match &id.exact_scale {
        Some(k) if k.is_one() => String::new(),
        Some(k) => format!("${}$ × ", crate::print::latex(k)),
        None if (id.scale - 1.0).abs() < 1e-9 => String::new(),
        None => format!("{:.3} × ", id.scale),
    };
    Some(format!("{scale}{}", name_markup(&id.name)))
}

/// A catalog name (`Neyman χ²(q‖pθ)`, `α-divergence D_α(q‖pθ) with alpha = -1`) as compact
/// markup: the symbol with its arguments in math, a parameter after a comma.
fn name_markup(name: &str) -> String {
    let (main, param) = match name.split_once(" with ") {
        Some((m, p)) => (m, Some(p)),
        None => (name, None),
    };
    // The symbol is the word holding the first `(`, e.g. `χ²(q‖pθ)` of `Neyman χ²(q‖pθ)`.
    let open = main.find('(').unwrap_or(main.len());
    let start = main[..open].rfind(' ').map_or(0, |i| i + 1);
    let symbol = &main[start..];
    let mut math = String::new();
    let mut chars = symbol.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '‖' => math.push_str(" \\,\\|\\, "),
            'θ' => math.push_str("_\\theta"),
            '²' => math.push_str("^{2}"),
            'χ' => math.push_str("\\chi"),
            'α' => math.push_str("\\alpha"),
            'Δ' => math.push_str("\\Delta"),
            '_' => {
                let mut sub = String::new();
                while let Some(&n) = chars.peek() {
                    if n == '(' {
                        break;
                    }
                    sub.push(n);
                    chars.next();
                }
                let sub = sub.replace('α', "\\alpha");
                if sub.chars().count() > 1 && !sub.starts_with('\\') {
                    math.push_str(&format!("_{{\\mathrm{{{sub}}}}}"));
                } else {
                    math.push_str(&format!("_{{{sub}}}"));
                }
            }
            c if c.is_ascii_uppercase() => {
                // A name of several capitals (KL, JS, TV) is upright; one capital (H, J, D) is
                // a symbol, italic.
                let mut word = String::from(c);
                while let Some(&n) = chars.peek() {
                    if !n.is_ascii_uppercase() {
                        break;
                    }
                    word.push(n);
                    chars.next();
                }
                if word.len() > 1 {
                    math.push_str(&format!("\\mathrm{{{word}}}"));
                } else {
                    math.push_str(&word);
                }
            }
            c => math.push(c),
        }
    }
    let mut out = format!("${math}$");
    if let Some(p) = param
        && let Some((name, value)) = p.split_once(" = ")
    {
        let name = if name == "alpha" { "\\alpha" } else { name };
        out.push_str(&format!(", ${name} = {value}$"));
    }
    out
}

/// One curve of a panel: its points, `None` where it is left out.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// The legend label (markup).
    pub label: String,
    /// `(x, y)` samples; `y` is `None` where the value is unknown or not finite.
    pub points: Vec<(f64, Option<f64>)>,
}

/// One panel of the grid.
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    /// The caption above the panel (markup), e.g. `(a) generator of $D_f(q \,\|\, p_\theta)$`.
    pub title: String,
    /// The x-axis label (markup), e.g. `$u = q/p_\theta$`.
    pub x_label: String,
    /// The y-axis label (markup), e.g. `$f(u)$`.
    pub y_label: String,
    /// Whether x is drawn on a log scale.
    pub log_x: bool,
    /// The x-range.
    pub x_range: (f64, f64),
    /// The y-range shown; `None` when no curve has a finite value.
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
    /// Sample every input with the default options.
    pub fn new(inputs: &[Input]) -> Result<Figure, PlotError> {
        Figure::with_options(inputs, &Options::default())
    }

    /// Sample every input on the figure's grids and choose each panel's y-range.
    pub fn with_options(inputs: &[Input], options: &Options) -> Result<Figure, PlotError> {
        use sample::POINTS;
        if inputs.is_empty() {
            return Err(PlotError::Empty);
        }
        options.validate()?;
        let us = sample::log_grid(options.u_range.0, options.u_range.1, POINTS);
        let ts = sample::linear_grid(options.t_range.0, options.t_range.1, POINTS);
        let sampled: Vec<_> = inputs
            .iter()
            .map(|i| {
                let s = sample::sample(&i.pair, &us, &ts);
                if options.canonical {
                    sample::canonical(&i.pair, s, &us, &ts)
                } else {
                    s
                }
            })
            .collect();
        let u_label = r"$u = q/p_\theta$";
        let t_label = r"$t = \log q - \log p_\theta$";
        let (fa, fc) = if options.canonical {
            (
                r"(a) $f - f'(1)(u - 1)$, canonical",
                r"(c) $g - g'(0)\,t$, canonical",
            )
        } else {
            (
                r"(a) generator of $D_f(q \,\|\, p_\theta)$",
                r"(c) loss $g(t)$",
            )
        };
        let specs: [(&str, &str, &str, bool); 4] = [
            (fa, u_label, "$f(u)$", true),
            (r"(b) derivative $f'(u)$", u_label, "$f'(u)$", true),
            (fc, t_label, "$g(t)$", false),
            (r"(d) per-sample weight $g'(t)$", t_label, "$g'(t)$", false),
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
                let curves: Vec<Vec<f64>> = series
                    .iter()
                    .map(|s| s.points.iter().filter_map(|p| p.1).collect())
                    .collect();
                Panel {
                    title: title.to_string(),
                    x_label: x_label.to_string(),
                    y_label: y_label.to_string(),
                    log_x,
                    x_range: (xs[0], xs[xs.len() - 1]),
                    y_range: options.y_ranges[k].or_else(|| range::panel_range(&curves)),
                    series,
                }
            })
            .collect();
        Ok(Figure { panels })
    }

    /// The drawing as an SVG document with text as `<text>` runs (DejaVu Sans): the one source
    /// of the SVG, PDF and PNG outputs.
    pub fn svg_source(&self, size: Size) -> Result<String, PlotError> {
        Ok(draw::svg(self, size.layout()?))
    }

    /// The figure as an SVG document, the glyphs outlined.
    pub fn svg(&self, size: Size) -> Result<String, PlotError> {
        let layout = size.layout()?;
        output::svg(&draw::svg(self, layout), layout, size.inches())
    }

    /// The figure as a PDF file's bytes, the fonts embedded.
    pub fn pdf(&self, size: Size) -> Result<Vec<u8>, PlotError> {
        output::pdf(&draw::svg(self, size.layout()?))
    }

    /// The figure as a PNG file's bytes, anti-aliased.
    pub fn png(&self, size: Size) -> Result<Vec<u8>, PlotError> {
        let layout = size.layout()?;
        output::png(&draw::svg(self, layout), layout, size.inches())
    }

    /// The figure as a pgfplots `tikzpicture`.
    pub fn tex(&self, size: Size) -> Result<String, PlotError> {
        Ok(tex::tex(self, size.layout()?))
    }

    /// The figure's file contents in `format`.
    pub fn render(&self, format: Format, size: Size) -> Result<Vec<u8>, PlotError> {
        match format {
            Format::Svg => self.svg(size).map(String::into_bytes),
            Format::Pdf => self.pdf(size),
            Format::Png => self.png(size),
            Format::Tex => self.tex(size).map(String::into_bytes),
        }
    }
}

/// Sample, render by `path`'s extension and write atomically, with the default options.
pub fn plot_to_file(inputs: &[Input], path: &Path, size: Size) -> Result<(), PlotError> {
    plot_with_options(inputs, path, size, &Options::default())
}

/// Sample with `options`, render by `path`'s extension and write atomically: `fcorr plot`.
pub fn plot_with_options(
    inputs: &[Input],
    path: &Path,
    size: Size,
    options: &Options,
) -> Result<(), PlotError> {
    let format = Format::from_path(path)?;
    let bytes = Figure::with_options(inputs, options)?.render(format, size)?;
    write_atomic(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_names_become_compact_math() {
        for (name, markup) in [
            ("KL(pθ‖q)", r"$\mathrm{KL}(p_\theta \,\|\, q)$"),
            ("Neyman χ²(q‖pθ)", r"$\chi^{2}(q \,\|\, p_\theta)$"),
            ("squared Hellinger H²(q, pθ)", r"$H^{2}(q, p_\theta)$"),
            ("Jensen–Shannon JS(q, pθ)", r"$\mathrm{JS}(q, p_\theta)$"),
            (
                "GAN divergence D_GAN(q‖pθ)",
                r"$D_{\mathrm{GAN}}(q \,\|\, p_\theta)$",
            ),
            (
                "α-divergence D_α(q‖pθ) with alpha = -1",
                r"$D_{\alpha}(q \,\|\, p_\theta)$, $\alpha = -1$",
            ),
            (
                "triangular discrimination Δ(q, pθ)",
                r"$\Delta(q, p_\theta)$",
            ),
            ("total variation TV(q, pθ)", r"$\mathrm{TV}(q, p_\theta)$"),
            ("Jeffreys J(q, pθ)", r"$J(q, p_\theta)$"),
            ("Le Cam LC(q, pθ)", r"$\mathrm{LC}(q, p_\theta)$"),
        ] {
            assert_eq!(name_markup(name), markup, "{name}");
        }
    }

    #[test]
    fn published_losses_in_li2_get_their_names() {
        for (loss, name) in [
            ("-pi^2/12 - 2*log(2) - Li2(-exp(t))", "JS"),
            ("-Li2(-exp(t)) - t*log(2) - pi^2/12", "JS"),
            ("t^2", "KL"),
        ] {
            let g = crate::parse::parse(loss).expect(loss);
            let pair = crate::transform::from_loss(
                &g,
                Residual::TargetMinusModel,
                &crate::transform::Bindings::new(),
            )
            .expect(loss);
            let label = name_label(&pair).unwrap_or_default();
            assert!(label.contains(name), "{loss}: {label:?}");
        }
    }

    /// A generator is named by the divergence it equals without a constant: the GAN generator
    /// is `JS − 2·log 2` up to the class, and is labelled GAN.
    #[test]
    fn generators_are_named_without_a_constant() {
        for (f, name) in [
            ("u*log(u) - (u + 1)*log(u + 1)", "GAN"),
            ("u*log(u) - (u + 1)*log((1 + u)/2)", "JS"),
            ("u*log(u) + 3", ""),
        ] {
            let f = crate::parse::parse(f).expect(f);
            let pair = crate::transform::from_divergence(
                &f,
                Residual::TargetMinusModel,
                &crate::transform::Bindings::new(),
            )
            .expect("a pair");
            let label = name_label(&pair).unwrap_or_default();
            assert!(
                label.contains(name) && (name.is_empty() == label.is_empty()),
                "{f}: {label:?}"
            );
        }
    }

    #[test]
    fn ranges_parse_and_bad_ones_are_errors() {
        assert_eq!(parse_range("0.1:10"), Ok((0.1, 10.0)));
        assert_eq!(parse_panel_range("f'=-2:2"), Ok((1, (-2.0, 2.0))));
        assert_eq!(parse_panel_range("f′=-2:2"), Ok((1, (-2.0, 2.0))));
        assert_eq!(parse_panel_range("c=0:5"), Ok((2, (0.0, 5.0))));
        for bad in ["2:1", "1", "a:b", "1:inf", "nan:1"] {
            assert!(parse_range(bad).is_err(), "{bad}");
        }
        assert!(parse_panel_range("h=0:1").is_err());
        assert!(parse_panel_range("0:1").is_err());
        let mut o = Options {
            u_range: (0.0, 1.0),
            ..Options::default()
        };
        assert!(o.validate().is_err());
        o.u_range = (1e-12, 1e12);
        assert!(o.validate().is_ok());
        o.t_range = (-41.0, 0.0);
        assert!(o.validate().is_err());
        o.t_range = (-40.0, 40.0);
        assert!(o.validate().is_ok());
    }
}

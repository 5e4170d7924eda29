//! The figure as a pgfplots `tikzpicture`, to `\input` into a paper so that it is typeset in
//! the paper's own fonts.
//!
//! The data are the same clipped pieces the drawn formats show ([`super::range::clip`]), inline,
//! a piece break written as a `nan` point (`unbounded coords=jump`); the exits are marks in the
//! curve's colour. Labels are the figures' markup, which is LaTeX already. The legend is typeset
//! once, below the grid, with `\pgfplotslegendfromname`.

use super::draw::{curve_style, legend_columns, log_ticks};
use super::math::to_latex;
use super::range::clip;
use super::{Figure, Layout};
use std::fmt::Write;

/// The preamble lines the file needs, as its opening comment says.
pub const PREAMBLE: &str =
    "\\usepackage{pgfplots}\n\\usepgfplotslibrary{groupplots}\n\\pgfplotsset{compat=1.16}\n";

/// A number for pgfplots: six significant digits, exponent form where it helps.
pub(super) fn n(v: f64) -> String {
    let a = v.abs();
    if v == 0.0 {
        "0".into()
    } else if (1e-3..1e5).contains(&a) {
        let decimals = (5 - a.log10().floor() as i32).clamp(0, 8) as usize;
        let s = format!("{v:.decimals$}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "-0" { "0".into() } else { s.into() }
    } else {
        format!("{v:.5e}")
    }
}

/// The `tikzpicture`, `layout.width` points wide.
pub fn tex(fig: &Figure, layout: Layout) -> String {
    let mut out = String::new();
    out.push_str("% fcorr figure: f(u), f'(u), g(t), g'(t). Needs in the preamble:\n");
    for line in PREAMBLE.lines() {
        let _ = writeln!(out, "%   {line}");
    }
    out.push_str("\\begin{tikzpicture}\n");
    let labels: Vec<&str> = fig
        .panels
        .first()
        .map(|p| p.series.iter().map(|s| s.label.as_str()).collect())
        .unwrap_or_default();
    for k in 0..labels.len() {
        let ((r, g, b), _) = curve_style(k);
        let _ = writeln!(out, "\\definecolor{{fcorr{k}}}{{RGB}}{{{r},{g},{b}}}");
    }
    let em = layout.font;
    let axis_width = (layout.width - 2.0 * 4.6 * em - 0.5 * em).max(8.0 * em) / 2.0;
    let legend_rows = labels
        .len()
        .div_ceil(legend_columns(&labels, layout).max(1));
    let (hsep, vsep) = (4.6 * em, 6.4 * em);
    let axis_height = (layout.height - legend_rows as f64 * 1.4 * em - 2.0 * em - vsep - 3.6 * em)
        .max(8.0 * em)
        / 2.0;
    let _ = write!(
        out,
        "\\begin{{groupplot}}[\n  group style={{group size=2 by 2, horizontal sep={hsep:.1}pt, vertical sep={vsep:.1}pt}},\n  scale only axis, width={axis_width:.1}pt, height={axis_height:.1}pt,\n  tick label style={{font=\\scriptsize}}, label style={{font=\\footnotesize}},\n  title style={{font=\\footnotesize, yshift=-0.5ex}}, grid=major, grid style={{gray!25}},\n  unbounded coords=jump, clip mode=individual, every axis plot/.append style={{line width=1pt}},\n]\n",
    );
    for (p, panel) in fig.panels.iter().enumerate() {
        let (lo, hi) = panel.y_range.unwrap_or((-1.0, 1.0));
        let (x0, x1) = panel.x_range;
        let _ = write!(
            out,
            "\\nextgroupplot[title={{{}}}, xlabel={{{}}}, ylabel={{{}}},\n  xmin={}, xmax={}, ymin={}, ymax={}",
            to_latex(&panel.title),
            to_latex(&panel.x_label),
            to_latex(&panel.y_label),
            n(x0),
            n(x1),
            n(lo),
            n(hi)
        );
        if panel.log_x {
            let ticks: Vec<String> = log_ticks(x0, x1).iter().map(|t| n(t.0)).collect();
            let _ = write!(out, ", xmode=log, xtick={{{}}}", ticks.join(","));
        }
        if p == 0 {
            let _ = write!(
                out,
                ",\n  legend to name=fcorrlegend, legend columns={}, legend style={{draw=none, font=\\footnotesize, /tikz/every even column/.append style={{column sep=1em}}}}",
                legend_columns(&labels, layout).max(1)
            );
        }
        out.push_str("]\n");
        for (k, series) in panel.series.iter().enumerate() {
            let (_, dashes) = curve_style(k);
            let dash = if dashes.is_empty() {
                "solid".to_string()
            } else {
                let parts: Vec<String> = dashes
                    .chunks(2)
                    .map(|c| format!("on {}pt off {}pt", c[0], c.get(1).unwrap_or(&c[0])))
                    .collect();
                format!("dash pattern={}", parts.join(" "))
            };
            let cut = match panel.y_range {
                Some((lo, hi)) => clip(&series.points, lo, hi, panel.log_x),
                None => Default::default(),
            };
            let forget = if p == 0 { "" } else { ", forget plot" };
            let _ = write!(
                out,
                "\\addplot[fcorr{k}, {dash}, no marks{forget}] coordinates {{"
            );
            for (i, piece) in cut.pieces.iter().enumerate() {
                if i > 0 {
                    let _ = write!(out, " ({} nan)", n(piece[0].0));
                }
                for (j, (x, y)) in piece.iter().enumerate() {
                    out.push_str(if j % 6 == 0 { "\n  " } else { " " });
                    let _ = write!(out, "({},{})", n(*x), n(*y));
                }
            }
            out.push_str("\n};\n");
            if p == 0 {
                let _ = writeln!(out, "\\addlegendentry{{{}}}", to_latex(&series.label));
            }
            for top in [true, false] {
                let marks: Vec<String> = cut
                    .exits
                    .iter()
                    .filter(|e| e.top == top)
                    .map(|e| format!("({},{})", n(e.x), n(if top { hi } else { lo })))
                    .collect();
                if marks.is_empty() {
                    continue;
                }
                let rotate = if top {
                    ""
                } else {
                    ", mark options={rotate=180}"
                };
                let _ = writeln!(
                    out,
                    "\\addplot[fcorr{k}, only marks, mark=triangle*, mark size=1.8pt{rotate}, forget plot] coordinates {{{}}};",
                    marks.join(" ")
                );
            }
        }
    }
    out.push_str("\\end{groupplot}\n");
    out.push_str("\\path (group c1r2.outer south west) -- (group c2r2.outer south east)\n  node[midway, below] {\\pgfplotslegendfromname{fcorrlegend}};\n");
    out.push_str("\\end{tikzpicture}\n");
    out
}

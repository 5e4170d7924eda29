//! The report in LaTeX (lines for an `align` environment) and Markdown.

use super::Report;
use crate::print::latex;
use crate::transform::Direction;

/// A side piece by piece as a LaTeX `cases` line under its closed form (none without pieces).
fn cases(pieces: &[super::SidePiece], var: &str) -> Option<String> {
    if pieces.is_empty() {
        return None;
    }
    let end = |x: &Option<String>| {
        x.as_ref().map(|x| {
            crate::parse::parse(x)
                .map(|e| latex(&e))
                .unwrap_or_else(|_| x.clone())
        })
    };
    let rows: Vec<String> = pieces
        .iter()
        .map(|p| {
            let range = match (end(&p.from), end(&p.to)) {
                (Some(a), Some(b)) => format!("{a} < {var} < {b}"),
                (Some(a), None) => format!("{var} > {a}"),
                (None, Some(b)) => format!("{var} < {b}"),
                (None, None) => String::new(),
            };
            format!("{} & {range}", p.latex)
        })
        .collect();
    Some(format!(
        "&= \\begin{{cases}} {} \\end{{cases}}",
        rows.join(r" \\ ")
    ))
}

impl Report {
    /// The pair's formulas as lines for a LaTeX `align` environment, with the conventions in
    /// comments: `g(t) &= …`, `f(u) &= …`, derivatives, reward, dual and conjugate.
    pub fn latex(&self) -> String {
        let p = &self.pair;
        let mut out = String::new();
        out.push_str(&format!(
            "% fcorr: {}; D_f(q||p_theta) = E_{{p_theta}}[f(q/p_theta)]\n",
            match (p.residual, p.direction) {
                (crate::transform::Residual::TargetMinusModel, _) => "t = log q - log p_theta",
                (crate::transform::Residual::ModelMinusTarget, Direction::FromLoss) =>
                    "input G(r) on r = log p_theta - log q, reflected: g(t) = G(-t) on t = log q - log p_theta",
                (crate::transform::Residual::ModelMinusTarget, Direction::FromDivergence) =>
                    "t = log q - log p_theta; on r = log p_theta - log q the loss is G(r) = g(-r)",
            }
        ));
        if !self.parameters.is_empty() {
            out.push_str(&format!(
                "% parameters: {}\n",
                super::parameters_text(&self.parameters)
            ));
        }
        let mut lines: Vec<String> = Vec::new();
        let numeric_f = r"u \int_0^{\log u} g'(\tau)\, e^{-\tau}\, d\tau";
        let numeric_g = r"f(e^{t}) - \int_0^{t} f(e^{\tau})\, d\tau";
        let line = |lhs: &str, e: Option<&crate::Expr>, numeric: Option<&str>| -> Option<String> {
            match (e, numeric) {
                (Some(e), _) => Some(format!("{lhs} &= {}", latex(e))),
                (None, Some(n)) => Some(format!("{lhs} &= {n} \\quad \\text{{(numeric)}}")),
                (None, None) => None,
            }
        };
        let (loss, divergence) = self.sides();
        let on_r = crate::transform::model_minus_target_loss(p);
        if p.direction == Direction::FromLoss {
            lines.extend(on_r.as_ref().map(|g| format!("G(r) &= {}", latex(g))));
        }
        lines.extend(line("g(t)", p.loss.as_ref(), Some(numeric_g)));
        lines.extend(cases(&loss.pieces, "t"));
        lines.extend(line("g'(t)", p.loss_derivative.as_ref(), None));
        if p.direction == Direction::FromDivergence {
            lines.extend(
                on_r.as_ref()
                    .map(|g| format!("G(r) = g(-r) &= {}", latex(g))),
            );
        }
        lines.extend(line("f(u)", p.divergence.as_ref(), Some(numeric_f)));
        lines.extend(cases(&divergence.pieces, "u"));
        lines.extend(line("f'(u)", p.divergence_derivative.as_ref(), None));
        if let Some(a) = &self.analysis {
            if let Ok(crate::analysis::normal::Normalization {
                canonical_f: Some(n),
                f_at_1,
                ..
            }) = &a.normalization
            {
                let constant = if f_at_1.expr.is_zero() { "" } else { " - f(1)" };
                lines.push(format!(r"f(u){constant} - f'(1)\,(u - 1) &= {}", latex(n)));
            }
            if let Some(Ok(d)) = &a.dual {
                lines.push(match &p.divergence {
                    Some(f) if crate::analysis::conjugate::is_self_dual(f, d) => {
                        r"f^{\diamond}(u) = u f(1/u) &= f(u) \quad \text{(self-dual)}".to_string()
                    }
                    _ => format!(r"f^{{\diamond}}(u) = u f(1/u) &= {}", latex(d)),
                });
            }
            if let Ok(c) = &a.conjugate {
                if let Some(e) = &c.expr {
                    lines.push(format!(
                        r"f^{{*}}(y) &= {} \quad ({}){}",
                        latex(e),
                        super::conjugate::latex_interval(c),
                        super::conjugate::latex_pieces(c)
                    ));
                }
            }
        }
        out.push_str(&lines.join(" \\\\\n"));
        out.push('\n');
        out
    }

    /// The report as a Markdown table (and the values as a second table).
    pub fn markdown(&self) -> String {
        let mut out = String::from("| | |\n|---|---|\n");
        for (k, v) in self.rows() {
            out.push_str(&format!("| {} | {} |\n", k, escape(&v)));
        }
        if !self.values.is_empty() {
            let (x, y) = match self.pair.direction {
                Direction::FromLoss => ("u", "f(u)"),
                Direction::FromDivergence => ("t", "g(t)"),
            };
            out.push_str(&format!("\n| {x} | {y} | ± error |\n|---:|---:|---:|\n"));
            for p in &self.values {
                match p {
                    Ok(v) => {
                        let err = v
                            .error
                            .map_or("closed form".to_string(), |e| format!("{e:.1e}"));
                        out.push_str(&format!(
                            "| {} | {} | {err} |\n",
                            super::short(v.x),
                            super::short(v.value)
                        ));
                    }
                    Err(r) => out.push_str(&format!(
                        "| {} | refused: {} | |\n",
                        super::short(r.x),
                        escape(&r.reason)
                    )),
                }
            }
        }
        out
    }
}

/// Markdown cell text: pipes escaped, code spans kept readable.
pub(crate) fn escape(s: &str) -> String {
    s.replace('|', "\\|").replace('*', "\\*")
}

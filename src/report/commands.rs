//! Markdown and LaTeX for `check`, `simplify`, `diff` and `eval`, rendered from the same data as
//! their text and JSON.

use super::formats::escape;
use super::schema::{EvalOutput, ExpressionOutput};
use super::short;
use crate::print::latex;

/// `fcorr check` as a Markdown table of its rows, then the evidence as a second table, rendered
/// from its data ([`super::model::ClaimData`]).
pub fn claim_markdown(c: &crate::analysis::claim::Claim) -> String {
    let d = super::model::ClaimData::of(c);
    let mut out = String::from("| | |\n|---|---|\n");
    for (k, v) in super::claim_data_rows(&d) {
        out.push_str(&format!("| {k} | {} |\n", escape(&v)));
    }
    out.push_str(&format!(
        "\n| u | claimed f(u) | {} |\n|---:|---:|---:|\n",
        super::claim_evidence_heading(&d)
    ));
    for (u, claimed, derived) in super::claim_evidence(&d) {
        out.push_str(&format!("| {u} | {claimed} | {} |\n", escape(&derived)));
    }
    out
}

/// `fcorr check` as lines for a LaTeX `align` environment: the claimed and derived generators,
/// and the verdict in a comment (with the shift `c` when it holds).
pub fn claim_latex(c: &crate::analysis::claim::Claim) -> String {
    use crate::check::Verdict;
    let p = &c.derived;
    let verdict = match (&c.shift, &c.offset, c.verdict) {
        (Some(s), Some(a), Verdict::Holds) if !a.is_zero() => format!(
            "holds ({}): F(u) = f(u) + a + c (u - 1) with a = {}, c = {}",
            c.method,
            crate::print::plain(a),
            crate::print::plain(s)
        ),
        (Some(s), _, Verdict::Holds) => format!(
            "holds ({}): F(u) = f(u) + c (u - 1) with c = {}",
            c.method,
            crate::print::plain(s)
        ),
        (_, _, Verdict::Inconclusive) => format!("inconclusive ({})", c.method),
        _ => format!("does not hold ({})", c.method),
    };
    let mut out = format!(
        "% fcorr check: {}; D_f(q||p_theta) = E_{{p_theta}}[f(q/p_theta)]\n% verdict: {verdict}\n",
        match p.residual {
            crate::transform::Residual::TargetMinusModel => "t = log q - log p_theta",
            crate::transform::Residual::ModelMinusTarget =>
                "input G(r) on r = log p_theta - log q, reflected: g(t) = G(-t) on t = log q - log p_theta",
        }
    );
    let mut lines: Vec<String> = crate::transform::model_minus_target_loss(p)
        .map(|big_g| format!("G(r) &= {}", latex(&big_g)))
        .into_iter()
        .collect();
    lines.push(format!(
        "g(t) &= {}",
        latex(p.loss.as_ref().unwrap_or(&p.written))
    ));
    lines.push(format!(
        r"F(u) &= {} \quad \text{{(claimed)}}",
        latex(&c.claimed)
    ));
    if let Some(f) = &p.divergence {
        lines.push(format!(r"f(u) &= {} \quad \text{{(derived)}}", latex(f)));
    }
    out.push_str(&lines.join(" \\\\\n"));
    out.push('\n');
    out
}

impl ExpressionOutput {
    /// A Markdown table: the input as typed, the result in plain text and in LaTeX.
    pub fn markdown(&self) -> String {
        let mut out = String::from("| | |\n|---|---|\n");
        out.push_str(&format!(
            "| input | `{}` |\n",
            self.input.replace('|', "\\|")
        ));
        if let Some(v) = &self.variable {
            out.push_str(&format!("| variable | `{v}` |\n"));
        }
        out.push_str(&format!(
            "| result | `{}` |\n",
            self.expr.replace('|', "\\|")
        ));
        out.push_str(&format!(
            "| LaTeX | ${}$ |\n",
            self.latex.replace('|', "\\|")
        ));
        out
    }

    /// The result in LaTeX, one line (as `--latex` prints it).
    pub fn latex_line(&self) -> String {
        format!("{}\n", self.latex)
    }
}

impl EvalOutput {
    /// A Markdown table of the values (`not finite` where a value is not).
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "| {} | `{}` |\n|---:|---:|\n",
            self.variable,
            self.expr.replace('|', "\\|")
        );
        for p in &self.values {
            out.push_str(&format!("| {} | {} |\n", short(p.at), value_text(p.value)));
        }
        out
    }

    /// A LaTeX `tabular` of the values under the expression in LaTeX (`e` is what was
    /// evaluated).
    pub fn latex(&self, e: &crate::Expr) -> String {
        let mut out = format!(
            "\\begin{{tabular}}{{rr}}\n${}$ & ${}$ \\\\\n\\hline\n",
            self.variable,
            latex(e)
        );
        for p in &self.values {
            out.push_str(&format!("{} & {} \\\\\n", short(p.at), value_text(p.value)));
        }
        out.push_str("\\end{tabular}\n");
        out
    }
}

/// A value, or `not finite (inf)` for one that is not.
fn value_text(y: f64) -> String {
    if y.is_finite() {
        short(y)
    } else {
        format!("not finite ({y})")
    }
}

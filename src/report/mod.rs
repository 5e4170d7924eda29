//! Reports of a derived pair: as text for a terminal and as JSON for programs.
//!
//! The JSON keys are a contract (README, "JSON report"): `direction`, `residual`,
//! `residual_formula`, `divergence_definition`, `loss.expr`, `loss.derivative`,
//! `divergence.expr` (`null` when numeric), `divergence.derivative`, `closed_form`, `values`,
//! `gradient_check.max_rel_error`, `notes`. A number that is not finite is written as the string
//! `"inf"`, `"-inf"` or `"nan"`, never as `null`.

use crate::print::{latex, plain};
use crate::transform::{Correspondence, DIVERGENCE, Direction, Value};
use serde::Serialize;
use serde_json::json;

/// One side of a pair in a report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SideReport {
    /// The function in plain text (parses back), or `None` when it is only known numerically.
    pub expr: Option<String>,
    /// The function in LaTeX.
    pub latex: Option<String>,
    /// Its derivative in plain text, when known in closed form.
    pub derivative: Option<String>,
    /// Whether this side was given by the user (the other is derived).
    pub given: bool,
}

/// The result of the gradient-theorem check, as reported.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GradientSummary {
    /// The largest relative difference between the two gradients over all models.
    pub max_rel_error: f64,
    /// How many random models were checked.
    pub models: usize,
    /// The number of categories of each model.
    pub categories: usize,
    /// Whether the difference is small enough to call the pair proved (≤ [`PROVED_BELOW`]).
    pub holds: bool,
}

/// The largest relative gradient difference reported as agreement.
pub const PROVED_BELOW: f64 = 1e-6;

/// Everything fcorr says about a pair.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The derived pair.
    pub pair: Correspondence,
    /// Values of the derived side at the requested points.
    pub values: Vec<Value>,
    /// The gradient-theorem check, when it ran.
    pub gradient_check: Option<GradientSummary>,
}

fn side(e: Option<&crate::Expr>, d: Option<&crate::Expr>, given: bool) -> SideReport {
    SideReport {
        expr: e.map(plain),
        latex: e.map(latex),
        derivative: d.map(plain),
        given,
    }
}

/// A number for JSON: finite numbers as numbers, others as strings.
fn number(x: f64) -> serde_json::Value {
    if x.is_finite() {
        json!(x)
    } else if x.is_nan() {
        json!("nan")
    } else if x > 0.0 {
        json!("inf")
    } else {
        json!("-inf")
    }
}

impl Report {
    fn sides(&self) -> (SideReport, SideReport) {
        let p = &self.pair;
        let from_loss = p.direction == Direction::FromLoss;
        (
            side(p.loss.as_ref(), p.loss_derivative.as_ref(), from_loss),
            side(
                p.divergence.as_ref(),
                p.divergence_derivative.as_ref(),
                !from_loss,
            ),
        )
    }

    /// The report as a JSON value (see the module documentation for the keys).
    pub fn json(&self) -> serde_json::Value {
        let p = &self.pair;
        let (loss, divergence) = self.sides();
        let (x, y) = match p.direction {
            Direction::FromLoss => ("u", "f"),
            Direction::FromDivergence => ("t", "g"),
        };
        let values: Vec<serde_json::Value> = self
            .values
            .iter()
            .map(|v| {
                let mut m = serde_json::Map::new();
                m.insert(x.into(), number(v.x));
                m.insert(y.into(), number(v.value));
                m.insert("error".into(), v.error.map_or(json!(null), number));
                serde_json::Value::Object(m)
            })
            .collect();
        json!({
            "direction": match p.direction {
                Direction::FromLoss => "from-loss",
                Direction::FromDivergence => "from-divergence",
            },
            "residual": p.residual.name(),
            "residual_formula": p.residual.formula(),
            "divergence_definition": DIVERGENCE,
            "written": plain(&p.written),
            "loss": loss,
            "divergence": divergence,
            "closed_form": p.closed_form(),
            "values": values,
            "gradient_check": self.gradient_check,
            "notes": p.notes,
        })
    }

    /// The report as aligned text for a terminal.
    pub fn text(&self) -> String {
        let p = &self.pair;
        let mut rows: Vec<(String, String)> = Vec::new();
        let given = match p.direction {
            Direction::FromLoss => match p.residual {
                crate::transform::Residual::TargetMinusModel => {
                    format!("loss g(t) = {}", plain(&p.written))
                }
                crate::transform::Residual::ModelMinusTarget => {
                    format!("loss G(t) = {}", plain(&p.written))
                }
            },
            Direction::FromDivergence => {
                format!("divergence generator f(u) = {}", plain(&p.written))
            }
        };
        rows.push(("input".into(), given));
        let residual = match (p.direction, p.residual) {
            (Direction::FromLoss, crate::transform::Residual::ModelMinusTarget) => format!(
                "{} (model minus target): reflected to g(t) = G(−t) on t = log q − log pθ",
                p.residual.formula()
            ),
            _ => format!(
                "{} (target minus model)",
                crate::transform::Residual::TargetMinusModel.formula()
            ),
        };
        rows.push(("residual".into(), residual));
        rows.push(("divergence".into(), DIVERGENCE.to_string()));
        let closed = p.closed_form();
        let label = if closed { "closed form" } else { "numeric" };
        match p.direction {
            Direction::FromLoss => {
                if p.residual == crate::transform::Residual::ModelMinusTarget {
                    if let Some(g) = &p.loss {
                        rows.push(("g(t)".into(), plain(g)));
                    }
                }
                rows.push((
                    "f(u)".into(),
                    match &p.divergence {
                        Some(f) => format!("{}    ({label})", plain(f)),
                        None => format!("numeric: u ∫_0^ln(u) g'(τ) e^(−τ) dτ    ({label})"),
                    },
                ));
                rows.push((
                    "f'(u)".into(),
                    match &p.divergence_derivative {
                        Some(d) => plain(d),
                        None => "(f(u) + g'(ln u))/u".into(),
                    },
                ));
                if let Some(d) = &p.loss_derivative {
                    rows.push(("g'(t)".into(), plain(d)));
                }
            }
            Direction::FromDivergence => {
                rows.push((
                    "g(t)".into(),
                    match &p.loss {
                        Some(g) => format!("{}    ({label})", plain(g)),
                        None => format!("numeric: f(e^t) − ∫_0^t f(e^τ) dτ    ({label})"),
                    },
                ));
                rows.push((
                    "g'(t)".into(),
                    match &p.loss_derivative {
                        Some(d) => plain(d),
                        None => "e^t f'(e^t) − f(e^t)".into(),
                    },
                ));
                if let Some(d) = &p.divergence_derivative {
                    rows.push(("f'(u)".into(), plain(d)));
                }
            }
        }
        if let Some(c) = &self.gradient_check {
            rows.push((
                "gradient check".into(),
                format!(
                    "{}: max relative error {:.1e} over {} random softmax models (K = {})",
                    if c.holds { "holds" } else { "FAILS" },
                    c.max_rel_error,
                    c.models,
                    c.categories
                ),
            ));
        }
        for n in &p.notes {
            rows.push(("note".into(), n.clone()));
        }
        let width = rows
            .iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0);
        let mut out = String::new();
        for (k, v) in rows {
            let pad = width - k.chars().count();
            out.push_str(&format!("{k}{}  {v}\n", " ".repeat(pad)));
        }
        if !self.values.is_empty() {
            let (x, y) = match p.direction {
                Direction::FromLoss => ("u", "f(u)"),
                Direction::FromDivergence => ("t", "g(t)"),
            };
            out.push_str(&format!("\n{x:>12}  {y:>24}  {:>10}\n", "± error"));
            for v in &self.values {
                let err = v
                    .error
                    .map_or("exact form".to_string(), |e| format!("{e:.1e}"));
                out.push_str(&format!(
                    "{:>12}  {:>24}  {err:>10}\n",
                    short(v.x),
                    short(v.value)
                ));
            }
        }
        out
    }
}

/// A number in at most 17 significant digits, scientific when very small or large.
pub fn short(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let a = x.abs();
    if a != 0.0 && a.is_finite() && !(1e-4..1e15).contains(&a) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// The verdict of `fcorr check` as text.
pub fn claim_text(c: &crate::analysis::claim::Claim) -> String {
    let mut out = String::new();
    let p = &c.derived;
    out.push_str(&format!(
        "loss        g(t) = {}  on {}\n",
        plain(&p.written),
        p.residual.formula()
    ));
    out.push_str(&format!("claimed     f(u) = {}\n", plain(&c.claimed)));
    out.push_str(&format!(
        "derived     f(u) = {}\n",
        p.divergence.as_ref().map_or("(numeric)".to_string(), plain)
    ));
    out.push_str(&format!("divergence  {DIVERGENCE}\n"));
    match (&c.shift, c.holds) {
        (Some(s), true) => out.push_str(&format!(
            "verdict     holds ({}): claimed = derived + c·(u − 1) with c = {}\n",
            c.method,
            plain(s)
        )),
        _ => out.push_str(&format!(
            "verdict     DOES NOT HOLD ({}): the claimed generator is not in the class of the derived one\n",
            c.method
        )),
    }
    out.push_str(&format!(
        "gradient    loss vs claimed divergence: max relative error {:.1e}\n",
        c.gradient_check.max_rel_error
    ));
    if c.derived_identified.is_empty() {
        out.push_str("trains      no named divergence of the catalog\n");
    } else {
        for i in &c.derived_identified {
            out.push_str(&format!("trains      {} × {}\n", short(i.scale), i.name));
        }
    }
    out.push_str("\n           u          claimed f(u)    derived f(u) + c(u−1)\n");
    for (u, claimed, derived) in &c.evidence {
        out.push_str(&format!(
            "{:>12}  {:>20}  {:>23}\n",
            short(*u),
            short(*claimed),
            short(*derived)
        ));
    }
    out
}

/// The verdict of `fcorr check` as JSON: `holds`, `shift` (the constant `c`, `null` unless it
/// holds), `method`, `claimed`, `derived`, `evidence`, `identified`, `gradient_check`.
pub fn claim_json(c: &crate::analysis::claim::Claim) -> serde_json::Value {
    json!({
        "holds": c.holds,
        "shift": c.shift.as_ref().map(plain),
        "method": c.method,
        "residual": c.derived.residual.name(),
        "loss": plain(&c.derived.written),
        "claimed": plain(&c.claimed),
        "derived": c.derived.divergence.as_ref().map(plain),
        "evidence": c.evidence.iter().map(|(u, a, b)| json!({"u": number(*u), "claimed": number(*a), "derived": number(*b)})).collect::<Vec<_>>(),
        "identified": c.derived_identified.iter().map(|i| json!({"name": i.name, "key": i.key, "scale": i.scale, "method": i.method})).collect::<Vec<_>>(),
        "gradient_check": {"max_rel_error": c.gradient_check.max_rel_error, "models": c.gradient_check.models, "categories": c.gradient_check.categories},
    })
}

//! Reports of a derived pair: as text for a terminal and as JSON for programs.
//!
//! The JSON keys are a contract (README, "JSON report"): `direction`, `residual`,
//! `residual_formula`, `divergence_definition`, `loss.expr`, `loss.derivative`,
//! `divergence.expr` (`null` when numeric), `divergence.derivative`, `closed_form`, `values`,
//! `gradient_check.max_rel_error`, `notes`. A number that is not finite is written as the string
//! `"inf"`, `"-inf"` or `"nan"`, never as `null`. A part that could not be computed stays in the
//! report with its reason: a value entry `{"u": x, "f": null, "error": null, "refused": "…"}`
//! (`"refused": null` when given), `regime.refused`, `conjugate.refused`.

use crate::print::{latex, plain};
use crate::transform::{Correspondence, DIVERGENCE, Direction, Point};
use serde::Serialize;
use serde_json::json;

mod catalog;
mod conjugate;
mod formats;
mod schema;

pub use schema::{EvalOutput, EvalPoint, ExpressionOutput, SCHEMA_VERSION, versioned};

pub use catalog::{
    CatalogRow, catalog_json, catalog_latex, catalog_markdown, catalog_rows, catalog_text,
};

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
    #[serde(serialize_with = "schema::number")]
    pub max_rel_error: f64,
    /// How many random models were checked.
    pub models: usize,
    /// The number of categories of each model.
    pub categories: usize,
    /// Whether the difference is small enough to call the pair proved (≤ [`PROVED_BELOW`]),
    /// and the noise of the numbers below that too.
    pub holds: bool,
    /// The largest difference the errors of the numbers alone could cause, on the same scale.
    #[serde(serialize_with = "schema::number")]
    pub max_rel_noise: f64,
    /// `holds`, `fails` or `inconclusive` (the difference is within the noise of the numbers).
    pub verdict: crate::check::Verdict,
}

impl GradientSummary {
    /// The summary of `check` for `pair`, judged at [`proved_below`].
    pub fn of(pair: &Correspondence, check: &crate::check::GradientCheck) -> GradientSummary {
        let verdict = check.verdict(proved_below(pair));
        GradientSummary {
            max_rel_error: check.max_rel_error,
            models: check.models,
            categories: check.categories,
            holds: verdict == crate::check::Verdict::Holds,
            max_rel_noise: check.max_rel_noise,
            verdict,
        }
    }
}

/// What a numeric comparison adds to its row when it does not hold: `FAILS`, or inconclusive
/// with the noise that makes it so (relative to `scale`).
fn noise_suffix(verdict: crate::check::Verdict, noise: f64, scale: &str) -> String {
    match verdict {
        crate::check::Verdict::Holds => String::new(),
        crate::check::Verdict::Fails => ": FAILS".into(),
        crate::check::Verdict::Inconclusive => format!(
            ": inconclusive, within the error of the numbers used (up to {noise:.1e} of {scale})"
        ),
    }
}

/// The gradient-check row: the verdict, the error and, when it decides, the noise.
fn gradient_text(c: &GradientSummary) -> String {
    use crate::check::Verdict;
    let models = format!(
        "over {} random softmax models (K = {})",
        c.models, c.categories
    );
    match c.verdict {
        Verdict::Holds => format!("holds: max relative error {:.1e} {models}", c.max_rel_error),
        Verdict::Fails => format!("FAILS: max relative error {:.1e} {models}", c.max_rel_error),
        Verdict::Inconclusive => format!(
            "inconclusive: max relative error {:.1e} is within the error of the numbers used (up to {:.1e}) {models}",
            c.max_rel_error, c.max_rel_noise
        ),
    }
}

/// The largest relative gradient difference reported as agreement for a closed-form pair.
pub const PROVED_BELOW: f64 = 1e-6;

/// The same for a pair with a numeric side, whose derivatives are finite differences of
/// quadratures (correct pairs reach about 1e-12 to 1e-6; wrong ones differ by more than 0.1).
pub const PROVED_BELOW_NUMERIC: f64 = 1e-4;

/// The agreement threshold for `pair`.
pub fn proved_below(pair: &Correspondence) -> f64 {
    if pair.closed_form() {
        PROVED_BELOW
    } else {
        PROVED_BELOW_NUMERIC
    }
}

/// Everything fcorr says about a pair.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The derived pair.
    pub pair: Correspondence,
    /// Values of the derived side at the requested points, each a value or why it is refused.
    pub values: Vec<Point>,
    /// The gradient-theorem check, when it ran.
    pub gradient_check: Option<GradientSummary>,
    /// What the pair means, when it was analysed.
    pub analysis: Option<crate::analysis::Analysis>,
    /// The parameter values used, given or a catalog entry's defaults.
    pub parameters: Vec<crate::params::Bound>,
}

/// `alpha = 1 (the default of linex)`, the values used, one after another.
pub fn parameters_text(used: &[crate::params::Bound]) -> String {
    used.iter()
        .map(|b| match &b.default_of {
            Some(key) => format!(
                "{} = {} (the default of {key}; set another with --param {}=VALUE)",
                b.name, b.value, b.name
            ),
            None => format!("{} = {}", b.name, b.value),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn limit_json(l: &crate::analysis::tails::Limit) -> serde_json::Value {
    use crate::analysis::tails::Limit;
    match l {
        Limit::Finite(_, v) => number(*v),
        Limit::PlusInfinity => json!("inf"),
        Limit::MinusInfinity => json!("-inf"),
        Limit::Unknown(_) => json!(null),
    }
}

fn limit_exact(l: &crate::analysis::tails::Limit) -> Option<String> {
    use crate::analysis::tails::Limit;
    match l {
        Limit::Finite(Some(e), _) => Some(plain(e)),
        Limit::PlusInfinity => Some("inf".into()),
        Limit::MinusInfinity => Some("-inf".into()),
        _ => None,
    }
}

pub(crate) fn limit_text(l: &crate::analysis::tails::Limit) -> String {
    use crate::analysis::tails::Limit;
    match l {
        Limit::Finite(Some(e), _) => plain(e),
        Limit::Finite(None, v) => format!("{} (numeric)", short(*v)),
        Limit::PlusInfinity => "∞".into(),
        Limit::MinusInfinity => "−∞".into(),
        Limit::Unknown(why) => format!("unknown ({why})"),
    }
}

fn exact_json(e: &crate::analysis::normal::Exact) -> serde_json::Value {
    json!({"expr": plain(&e.expr), "value": number(e.value)})
}

/// `f` is the pair's generator, against which the dual is judged self-dual.
fn analysis_json(
    a: &crate::analysis::Analysis,
    f: Option<&crate::Expr>,
) -> serde_json::Map<String, serde_json::Value> {
    let n = &a.normalization;
    let mut m = serde_json::Map::new();
    m.insert(
        "normalization".into(),
        json!({
            "f_at_1": number(n.f_at_1.value),
            "f_prime_at_1": number(n.f_prime_at_1.value),
            "g_at_0": number(n.g_at_0.value),
            "g_prime_at_0": number(n.g_prime_at_0.value),
            "exact": {
                "f_at_1": exact_json(&n.f_at_1),
                "f_prime_at_1": exact_json(&n.f_prime_at_1),
                "g_at_0": exact_json(&n.g_at_0),
                "g_prime_at_0": exact_json(&n.g_prime_at_0),
            },
        }),
    );
    m.insert(
        "canonical".into(),
        json!({
            "expr": n.canonical_f.as_ref().map(plain),
            "loss": n.canonical_g.as_ref().map(plain),
            "shift": plain(&n.shift.expr),
        }),
    );
    m.insert(
        "reward".into(),
        json!({
            "expr": a.reward.f_prime.as_ref().map(plain),
            "dual_expr": a.reward.dual_reward.as_ref().map(plain),
            "weight": a.reward.weight.as_ref().map(plain),
            "ascended": a.reward.dual_reward.as_ref().map(|e| plain(&negated(e))),
            "max_rel_error": number(a.reward.max_rel_error),
            "max_rel_noise": number(a.reward.max_rel_noise),
            "verdict": a.reward.verdict,
        }),
    );
    m.insert(
        "identified".into(),
        json!(a
            .identified
            .iter()
            .map(|i| json!({"name": i.name, "key": i.key, "scale": number(i.scale), "exact_scale": i.exact_scale.as_ref().map(plain), "method": i.method}))
            .collect::<Vec<_>>()),
    );
    m.insert(
        "class".into(),
        json!({
            "symbolic": a.class.symbolic,
            "c": number(a.class.c),
            "max_divergence_difference": number(a.class.max_divergence_difference),
            "max_gradient_difference": number(a.class.max_gradient_difference),
            "max_rel_error": number(a.class.max_rel_error),
            "max_rel_noise": number(a.class.max_rel_noise),
            "verdict": a.class.verdict,
            "models": a.class.models,
        }),
    );
    let method = |m: crate::analysis::convexity::Method| match m {
        crate::analysis::convexity::Method::Proved => "proved",
        crate::analysis::convexity::Method::Numeric => "numeric",
    };
    let cv = &a.convexity;
    m.insert(
        "convexity".into(),
        json!({
            "convex": cv.convex,
            "method": method(cv.method),
            "description": cv.description,
            "second_derivative": cv.second_derivative.as_ref().map(plain),
            "variable": cv.variable,
            "min_value": cv.min_value.map(number),
            "min_at": cv.min_at.map(number),
            "witness": cv.witness.map(|(u, v)| json!({"u": number(u), "f_second": number(v)})),
            "note": cv.note,
        }),
    );
    let tl = &a.tails;
    m.insert(
        "tails".into(),
        json!({
            "f_at_0": limit_json(&tl.f_at_0),
            "f_prime_at_inf": limit_json(&tl.f_prime_at_inf),
            "f_at_0_exact": limit_exact(&tl.f_at_0),
            "f_prime_at_inf_exact": limit_exact(&tl.f_prime_at_inf),
            "zero_forcing": tl.zero_forcing,
            "zero_avoiding": tl.zero_avoiding,
            "method": method(tl.method),
        }),
    );
    m.insert(
        "dual".into(),
        json!({
            "expr": a.dual.as_ref().map(plain),
            "self_dual": match (f, &a.dual) {
                (Some(f), Some(d)) => crate::analysis::conjugate::is_self_dual(f, d),
                _ => false,
            },
        }),
    );
    m.insert(
        "conjugate".into(),
        match &a.conjugate {
            Ok(c) => json!({
                "expr": c.expr.as_ref().map(plain),
                "domain": c.domain.to_string(),
                "method": match c.method {
                    crate::analysis::conjugate::Method::ClosedForm => "closed-form",
                    crate::analysis::conjugate::Method::Numeric => "numeric",
                },
                "lower_piece": c.lower_piece.as_ref().map(|p| json!({"threshold": plain(&p.threshold), "value": plain(&p.value)})),
                "text": conjugate::text(c),
                "values": c.values.iter().map(|(y, v)| json!({"y": number(*y), "value": number(*v)})).collect::<Vec<_>>(),
            }),
            Err(why) => json!({"expr": null, "error": why, "refused": why}),
        },
    );
    match &a.regime {
        Some(Ok(r)) => {
            m.insert(
                "regime".into(),
                json!({
                    "name": crate::analysis::regime::name(r.regime),
                    "generator": plain(&r.generator),
                    "max_rel_error": number(r.check.max_rel_error),
                    "max_rel_noise": number(r.check.max_rel_noise),
                    "verdict": r.check.verdict(PROVED_BELOW),
                    "refused": null,
                }),
            );
        }
        Some(Err(r)) => {
            m.insert(
                "regime".into(),
                json!({
                    "name": crate::analysis::regime::name(r.regime),
                    "generator": null,
                    "max_rel_error": null,
                    "max_rel_noise": null,
                    "verdict": null,
                    "refused": r.reason,
                }),
            );
        }
        None => {}
    }
    m
}

/// `f` is the pair's generator, against which the dual is judged self-dual.
fn analysis_rows(
    a: &crate::analysis::Analysis,
    f: Option<&crate::Expr>,
    rows: &mut Vec<(String, String)>,
) {
    let n = &a.normalization;
    rows.push((
        "normalization".into(),
        format!(
            "f(1) = {}, f'(1) = {}, g(0) = {}, g'(0) = {}",
            plain(&n.f_at_1.expr),
            plain(&n.f_prime_at_1.expr),
            plain(&n.g_at_0.expr),
            plain(&n.g_prime_at_0.expr)
        ),
    ));
    let canonical = match (&n.canonical_f, &n.canonical_g) {
        (Some(f), Some(g)) => format!("f(u) = {} ↔ g(t) = {}", plain(f), plain(g)),
        (Some(f), None) => format!("f(u) = {}", plain(f)),
        (None, Some(g)) => format!("g(t) = {}", plain(g)),
        (None, None) => "(numeric)".into(),
    };
    rows.push((
        "canonical".into(),
        format!("{canonical}   (f'(1) = g'(0) = 0)"),
    ));
    if a.identified.is_empty() {
        rows.push((
            "identified".into(),
            "no named divergence (up to the class and scale)".into(),
        ));
    }
    for i in &a.identified {
        rows.push((
            "identified".into(),
            format!(
                "{} × {}   ({})",
                i.exact_scale.as_ref().map_or_else(|| short(i.scale), plain),
                i.name,
                i.method
            ),
        ));
    }
    let c = &a.class;
    rows.push((
        "class".into(),
        format!(
            "g + c·t ↔ f + c·(u − 1){}; with c = {}: max |ΔD_f| = {:.1e}, max |Δ∇θ D_f| = {:.1e} on {} random models",
            match c.symbolic {
                Some(true) => " (proved symbolically)",
                Some(false) => " (not proved symbolically)",
                None => " (by linearity; numeric side)",
            },
            short(c.c),
            c.max_divergence_difference,
            c.max_gradient_difference,
            c.models
        ) + &noise_suffix(c.verdict, c.max_rel_noise, "the shift's effect"),
    ));
    let r = &a.reward;
    let in_v = |e: Option<&crate::Expr>| {
        e.map_or("(numeric)".to_string(), |e| {
            plain(&negated(e).substitute("u", &crate::Expr::sym("v")))
        })
    };
    rows.push((
        "reward".into(),
        format!(
            "R = −(f◇)'(v) = {} for this pair's D_f(q‖pθ) = D_f◇(pθ‖q), v = pθ/q, ascended (the weight w = −R is descended); for D_f(pθ‖q), R = −f'(v) = {}",
            in_v(r.dual_reward.as_ref()),
            in_v(r.f_prime.as_ref()),
        ),
    ));
    rows.push((
        "reward check".into(),
        format!(
            "E_pθ[w·∇θ log pθ] = −E_pθ[R·∇θ log pθ] vs finite differences of D_f(q‖pθ): max relative error {:.1e}",
            r.max_rel_error
        ) + &noise_suffix(r.verdict, r.max_rel_noise, "the gradient"),
    ));
    rows.push(("convexity".into(), a.convexity.description.clone()));
    if let Some(n) = &a.convexity.note {
        rows.push(("".into(), n.clone()));
    }
    let yn = |b: Option<bool>| match b {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    };
    rows.push((
        "tails".into(),
        format!(
            "f(0+) = {}, f'(∞) = {}: zero-forcing (mode-seeking) {}, zero-avoiding (mass-covering) {}",
            limit_text(&a.tails.f_at_0),
            limit_text(&a.tails.f_prime_at_inf),
            yn(a.tails.zero_forcing),
            yn(a.tails.zero_avoiding)
        ),
    ));
    if let Some(d) = &a.dual {
        rows.push((
            "dual".into(),
            match f {
                Some(f) if crate::analysis::conjugate::is_self_dual(f, d) => {
                    "f◇(u) = u·f(1/u) = f(u) (self-dual)".to_string()
                }
                _ => format!("f◇(u) = u·f(1/u) = {}", plain(d)),
            },
        ));
    }
    rows.push((
        "conjugate".into(),
        match &a.conjugate {
            Ok(c) => format!("f*(y) = {}", conjugate::text(c)),
            Err(why) => format!("not available: {why}"),
        },
    ));
    match &a.regime {
        Some(Ok(rg)) => rows.push((
            "regime".into(),
            format!(
                "{}: f(u) = {}, gradient check max relative error {:.1e}",
                crate::analysis::regime::name(rg.regime),
                plain(&rg.generator),
                rg.check.max_rel_error
            ) + &noise_suffix(
                rg.check.verdict(PROVED_BELOW),
                rg.check.max_rel_noise,
                "the gradient",
            ),
        )),
        Some(Err(r)) => rows.push((
            "regime".into(),
            format!(
                "{}: not available: {}",
                crate::analysis::regime::name(r.regime),
                r.reason
            ),
        )),
        None => {}
    }
}

fn side(e: Option<&crate::Expr>, d: Option<&crate::Expr>, given: bool) -> SideReport {
    SideReport {
        expr: e.map(plain),
        latex: e.map(latex),
        derivative: d.map(plain),
        given,
    }
}

/// `−e`, simplified when the simplifier can.
fn negated(e: &crate::Expr) -> crate::Expr {
    let minus = -e.clone();
    crate::simplify::simplify(&minus).unwrap_or(minus)
}

/// A number for JSON: finite numbers as numbers, others as strings.
pub(crate) fn number(x: f64) -> serde_json::Value {
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
            .map(|p| {
                let mut m = serde_json::Map::new();
                match p {
                    Ok(v) => {
                        m.insert(x.into(), number(v.x));
                        m.insert(y.into(), number(v.value));
                        m.insert("error".into(), v.error.map_or(json!(null), number));
                        m.insert("refused".into(), json!(null));
                    }
                    Err(r) => {
                        m.insert(x.into(), number(r.x));
                        m.insert(y.into(), json!(null));
                        m.insert("error".into(), json!(null));
                        m.insert("refused".into(), json!(r.reason));
                    }
                }
                serde_json::Value::Object(m)
            })
            .collect();
        let mut out = json!({
            "direction": match p.direction {
                Direction::FromLoss => "from-loss",
                Direction::FromDivergence => "from-divergence",
            },
            "residual": p.residual.name(),
            "residual_formula": p.residual.formula(),
            "divergence_definition": DIVERGENCE,
            "written": plain(&p.written),
            "parameters": self.parameters,
            "loss": loss,
            "divergence": divergence,
            "closed_form": p.closed_form(),
            "values": values,
            "gradient_check": self.gradient_check,
            "notes": p.notes,
        });
        if let (Some(a), serde_json::Value::Object(m)) = (&self.analysis, &mut out) {
            m.extend(analysis_json(a, self.pair.divergence.as_ref()));
        }
        versioned("derive", out)
    }

    /// The report as aligned text for a terminal.
    pub fn text(&self) -> String {
        let rows = self.rows();
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
        out.push_str(&self.values_table());
        out
    }

    /// The values of the derived side as an aligned table (empty without values).
    fn values_table(&self) -> String {
        let mut out = String::new();
        if !self.values.is_empty() {
            let (x, y) = match self.pair.direction {
                Direction::FromLoss => ("u", "f(u)"),
                Direction::FromDivergence => ("t", "g(t)"),
            };
            out.push_str(&format!("\n{x:>12}  {y:>24}  {:>10}\n", "± error"));
            for p in &self.values {
                match p {
                    Ok(v) => {
                        let err = v
                            .error
                            .map_or("closed form".to_string(), |e| format!("{e:.1e}"));
                        out.push_str(&format!(
                            "{:>12}  {:>24}  {err:>10}\n",
                            short(v.x),
                            short(v.value)
                        ));
                    }
                    Err(r) => out.push_str(&format!(
                        "{:>12}  {:>24}  {}\n",
                        short(r.x),
                        "refused",
                        r.reason
                    )),
                }
            }
        }
        out
    }

    /// The report as `(label, text)` rows, in the order they are printed.
    pub fn rows(&self) -> Vec<(String, String)> {
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
        if !self.parameters.is_empty() {
            rows.push(("parameters".into(), parameters_text(&self.parameters)));
        }
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
                        None => format!("numeric: f(1) + ∫_0^t g'(τ) dτ    ({label})"),
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
            rows.push(("gradient check".into(), gradient_text(c)));
        }
        if let Some(a) = &self.analysis {
            analysis_rows(a, self.pair.divergence.as_ref(), &mut rows);
        }
        for n in &p.notes {
            rows.push(("note".into(), n.clone()));
        }
        rows
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
    if !c.parameters.is_empty() {
        out.push_str(&format!("parameters  {}\n", parameters_text(&c.parameters)));
    }
    out.push_str(&format!("claimed     f(u) = {}\n", plain(&c.claimed)));
    out.push_str(&format!(
        "derived     f(u) = {}\n",
        p.divergence.as_ref().map_or("(numeric)".to_string(), plain)
    ));
    out.push_str(&format!("divergence  {DIVERGENCE}\n"));
    match (&c.shift, c.verdict) {
        (Some(s), crate::check::Verdict::Holds) => out.push_str(&format!(
            "verdict     holds ({}): claimed = derived + c·(u − 1) with c = {}\n",
            c.method,
            plain(s)
        )),
        (_, crate::check::Verdict::Inconclusive) => out.push_str(&format!(
            "verdict     inconclusive ({}): the generators agree within the error of the quadrature, which is not small against their size\n",
            c.method
        )),
        _ => out.push_str(&format!(
            "verdict     DOES NOT HOLD ({}): the claimed generator is not in the class of the derived one\n",
            c.method
        )),
    }
    out.push_str(&format!(
        "gradient    loss vs claimed divergence: max relative error {:.1e}{}\n",
        c.gradient_check.max_rel_error,
        match c.gradient_verdict {
            crate::check::Verdict::Inconclusive => format!(
                ", inconclusive: within the error of the numbers used (up to {:.1e})",
                c.gradient_check.max_rel_noise
            ),
            _ => String::new(),
        }
    ));
    if c.derived_identified.is_empty() {
        out.push_str("trains      no named divergence of the catalog\n");
    } else {
        for i in &c.derived_identified {
            out.push_str(&format!("trains      {} × {}\n", short(i.scale), i.name));
        }
    }
    out.push_str("\n           u          claimed f(u)    derived f(u) + c(u−1)\n");
    for (u, claimed, _, derived) in &c.evidence {
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
/// holds), `method`, `claimed`, `derived`, `evidence` (each probe's `claimed` `F(u)`, `derived`
/// `f(u)` and `derived_shifted` `f(u) + c·(u − 1)` with `c` the `evidence_shift`), `identified`,
/// `gradient_check`.
pub fn claim_json(c: &crate::analysis::claim::Claim) -> serde_json::Value {
    versioned(
        "check",
        json!({
            "holds": c.holds,
            "verdict": c.verdict,
            "parameters": c.parameters,
            "shift": c.shift.as_ref().map(plain),
            "method": c.method,
            "residual": c.derived.residual.name(),
            "loss": plain(&c.derived.written),
            "claimed": plain(&c.claimed),
            "derived": c.derived.divergence.as_ref().map(plain),
            "evidence_shift": plain(&c.evidence_shift),
            "evidence": c.evidence.iter().map(|(u, a, b, s)| json!({"u": number(*u), "claimed": number(*a), "derived": number(*b), "derived_shifted": number(*s)})).collect::<Vec<_>>(),
            "identified": c.derived_identified.iter().map(|i| json!({"name": i.name, "key": i.key, "scale": i.scale, "method": i.method})).collect::<Vec<_>>(),
            "gradient_check": {"max_rel_error": number(c.gradient_check.max_rel_error), "max_rel_noise": number(c.gradient_check.max_rel_noise), "verdict": c.gradient_verdict, "models": c.gradient_check.models, "categories": c.gradient_check.categories},
        }),
    )
}

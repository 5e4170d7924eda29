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

mod catalog;
mod commands;
mod conjugate;
mod formats;
pub mod model;
mod schema;
mod words;

pub use commands::{claim_latex, claim_markdown};
pub(crate) use words::limit_text;
pub use words::{convexity_note, convexity_text, undecided_text};

pub use schema::{EvalOutput, EvalPoint, ExpressionOutput, SCHEMA_VERSION, versioned};

pub use catalog::{
    CatalogRow, catalog_data, catalog_json, catalog_latex, catalog_markdown, catalog_rows,
    catalog_text,
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
    /// The gradient-theorem check, when it ran, or why it could not be computed.
    pub gradient_check: Option<crate::analysis::Outcome<GradientSummary>>,
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

/// `not available: {reason}`, the row of a part that could not be computed.
fn unavailable(u: &crate::analysis::Unavailable) -> String {
    format!("not available: {}", u.reason)
}

fn analysis_rows(a: &crate::analysis::Analysis, rows: &mut Vec<(String, String)>) {
    match &a.normalization {
        Ok(n) => {
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
        }
        Err(u) => rows.push(("normalization".into(), unavailable(u))),
    }
    match &a.identified {
        Ok(ids) if ids.is_empty() => rows.push((
            "identified".into(),
            "no named divergence (up to the class and scale)".into(),
        )),
        Ok(ids) => {
            for i in ids {
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
        }
        Err(u) => rows.push(("identified".into(), unavailable(u))),
    }
    rows.push((
        "class".into(),
        match &a.class {
            Ok(c) => format!(
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
            Err(u) => unavailable(u),
        },
    ));
    match &a.reward {
        Ok(r) => {
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
        }
        Err(u) => rows.push(("reward".into(), unavailable(u))),
    }
    match &a.convexity {
        Ok(c) => {
            rows.push(("convexity".into(), convexity_text(c)));
            if let Some(n) = convexity_note(c) {
                rows.push(("".into(), n.to_string()));
            }
        }
        Err(u) => rows.push(("convexity".into(), unavailable(u))),
    }
    let yn = catalog::yes_no;
    rows.push((
        "tails".into(),
        match &a.tails {
            Ok(t) => format!(
                "f(0+) = {}, f'(∞) = {}: zero-forcing (mode-seeking) {}, zero-avoiding (mass-covering) {}",
                limit_text(&t.f_at_0),
                limit_text(&t.f_prime_at_inf),
                yn(t.zero_forcing),
                yn(t.zero_avoiding)
            ),
            Err(u) => unavailable(u),
        },
    ));
    match &a.dual {
        Some(Ok(d)) => rows.push(("dual".into(), format!("f◇(u) = u·f(1/u) = {}", plain(d)))),
        Some(Err(u)) => rows.push(("dual".into(), unavailable(u))),
        None => {}
    }
    rows.push((
        "conjugate".into(),
        match &a.conjugate {
            Ok(c) => format!("f*(y) = {}", conjugate::text(c)),
            Err(u) => unavailable(u),
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
        serde_json::Value::from(x)
    } else if x.is_nan() {
        "nan".into()
    } else if x > 0.0 {
        "inf".into()
    } else {
        "-inf".into()
    }
}

/// Serialises a float as the JSON outputs write numbers: finite numbers as numbers, others as
/// `"inf"`, `"-inf"` or `"nan"` (for `#[serde(serialize_with)]`).
pub fn json_number<S: serde::Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    number(*x).serialize(s)
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

    /// The report as data: the keys of its JSON (see the module documentation).
    pub fn data(&self) -> model::ReportData {
        model::ReportData::of(self)
    }

    /// The report as a JSON value (see the module documentation for the keys), serialised from
    /// [`Report::data`].
    pub fn json(&self) -> serde_json::Value {
        to_json(&model::Versioned::new("derive", self.data()))
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
        match &self.gradient_check {
            Some(Ok(c)) => rows.push(("gradient check".into(), gradient_text(c))),
            Some(Err(u)) => rows.push(("gradient check".into(), unavailable(u))),
            None => {}
        }
        if let Some(a) = &self.analysis {
            analysis_rows(a, &mut rows);
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

/// The verdict of `fcorr check` as `(label, text)` rows, in the order they are printed,
/// rendered from its data ([`model::ClaimData`]).
pub fn claim_rows(c: &crate::analysis::claim::Claim) -> Vec<(&'static str, String)> {
    claim_data_rows(&model::ClaimData::of(c))
}

pub(crate) fn claim_data_rows(d: &model::ClaimData) -> Vec<(&'static str, String)> {
    use crate::check::Verdict;
    let mut rows = vec![(
        "loss",
        format!("g(t) = {}  on {}", d.loss, d.residual_formula),
    )];
    if !d.parameters.is_empty() {
        rows.push(("parameters", parameters_text(&d.parameters)));
    }
    rows.push(("claimed", format!("f(u) = {}", d.claimed)));
    rows.push((
        "derived",
        format!("f(u) = {}", d.derived.as_deref().unwrap_or("(numeric)")),
    ));
    rows.push(("divergence", DIVERGENCE.to_string()));
    rows.push((
        "verdict",
        match (&d.shift, d.verdict) {
            (Some(s), Verdict::Holds) => format!(
                "holds ({}): claimed = derived + c·(u − 1) with c = {s}",
                d.method
            ),
            (_, Verdict::Inconclusive) => format!(
                "inconclusive ({}): the generators agree within the error of the quadrature, which is not small against their size",
                d.method
            ),
            _ => format!(
                "DOES NOT HOLD ({}): the claimed generator is not in the class of the derived one",
                d.method
            ),
        },
    ));
    rows.push((
        "gradient",
        match &d.gradient_check {
            model::Part::Value(g) => format!(
                "loss vs claimed divergence: max relative error {:.1e}{}",
                g.max_rel_error,
                match g.verdict {
                    Verdict::Inconclusive => format!(
                        ", inconclusive: within the error of the numbers used (up to {:.1e})",
                        g.max_rel_noise
                    ),
                    _ => String::new(),
                }
            ),
            model::Part::Refused(r) => {
                format!("loss vs claimed divergence: not available: {}", r.refused)
            }
        },
    ));
    if d.identified.is_empty() {
        rows.push(("trains", "no named divergence of the catalog".into()));
    }
    for i in &d.identified {
        rows.push(("trains", format!("{} × {}", short(i.scale), i.name)));
    }
    rows
}

/// The evidence of `fcorr check` as `(u, claimed F(u), derived f(u) + c·(u − 1))` cells, then
/// each refused probe as `(u, "", "refused: reason")`.
pub(crate) fn claim_evidence(d: &model::ClaimData) -> Vec<(String, String, String)> {
    let mut cells: Vec<(String, String, String)> = d
        .evidence
        .iter()
        .map(|e| (short(e.u), short(e.claimed), short(e.derived_shifted)))
        .collect();
    for r in &d.refused_probes {
        cells.push((short(r.u), String::new(), format!("refused: {}", r.refused)));
    }
    cells
}

/// The verdict of `fcorr check` as text, rendered from its data ([`model::ClaimData`]).
pub fn claim_text(c: &crate::analysis::claim::Claim) -> String {
    let d = model::ClaimData::of(c);
    let mut out = String::new();
    for (k, v) in claim_data_rows(&d) {
        out.push_str(&format!("{k:<12}{v}\n"));
    }
    out.push_str("\n           u          claimed f(u)    derived f(u) + c(u−1)\n");
    for (u, claimed, derived) in claim_evidence(&d) {
        if derived.starts_with("refused") {
            out.push_str(&format!("{u:>12}  {claimed:>20}  {derived}\n"));
        } else {
            out.push_str(&format!("{u:>12}  {claimed:>20}  {derived:>23}\n"));
        }
    }
    out
}

/// The verdict of `fcorr check` as JSON: `holds`, `shift` (the constant `c`, `null` unless it
/// holds), `method`, `claimed`, `derived`, `evidence` (each probe's `claimed` `F(u)`, `derived`
/// `f(u)` and `derived_shifted` `f(u) + c·(u − 1)` with `c` the `evidence_shift`), `identified`,
/// `gradient_check` (serialised from [`model::ClaimData`]).
pub fn claim_json(c: &crate::analysis::claim::Claim) -> serde_json::Value {
    to_json(&model::Versioned::new("check", model::ClaimData::of(c)))
}

/// `value` as JSON. The data model holds only strings, numbers, booleans, lists and maps with
/// string keys, which always serialise; `null` would stand for a failure that cannot happen.
pub(crate) fn to_json(value: &impl Serialize) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

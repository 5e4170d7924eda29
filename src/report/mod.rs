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
pub(crate) mod decimal;
mod formats;
mod json;
pub mod model;
mod schema;
pub(crate) mod text;
mod words;

pub use commands::{claim_latex, claim_markdown};
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
    /// A derived kinked closed form piece by piece, when its pieces read more simply (Huber's
    /// generator: `u - e*u + 1` for `u < exp(-1)`, …); empty otherwise.
    pub pieces: Vec<SidePiece>,
}

/// One piece of a side: `expr` for `from < var < to`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SidePiece {
    /// The lower end in plain text, `null` for −∞ (or for `u`, 0).
    pub from: Option<String>,
    /// The upper end, `null` for ∞.
    pub to: Option<String>,
    /// The piece in plain text.
    pub expr: String,
    /// The piece in LaTeX.
    pub latex: String,
    /// Its range in words: `exp(-1) < u < e`.
    pub range: String,
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
        crate::check::Verdict::Inconclusive if noise == f64::INFINITY => {
            format!(": inconclusive, {NOTHING_COMPARED}")
        }
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
        Verdict::Inconclusive if c.max_rel_noise == f64::INFINITY => format!(
            "inconclusive: every gradient is 0 or lost to underflow on the {} random softmax models (K = {}): nothing is compared",
            c.models, c.categories
        ),
        Verdict::Inconclusive => format!(
            "inconclusive: max relative error {:.1e} is within the error of the numbers used (up to {:.1e}) {models}",
            c.max_rel_error, c.max_rel_noise
        ),
    }
}

/// Why a numeric comparison whose noise is infinite is inconclusive: every scale it could be
/// measured on is zero or lost to underflow ([`crate::check::gradient::NEGLIGIBLE_SCALE`]).
pub(crate) const NOTHING_COMPARED: &str =
    "every gradient is 0 or lost to underflow on the random models: nothing is compared";

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

fn side(e: Option<&crate::Expr>, d: Option<&crate::Expr>, given: bool, var: &str) -> SideReport {
    let shown = match e {
        Some(e) if !given => crate::analysis::pieces::pieces(e, var).unwrap_or_default(),
        _ => Vec::new(),
    };
    SideReport {
        expr: e.map(plain),
        latex: e.map(latex),
        derivative: d.map(plain),
        given,
        pieces: shown
            .iter()
            .map(|p| SidePiece {
                from: p.from.as_ref().map(plain),
                to: p.to.as_ref().map(plain),
                expr: plain(&p.expr),
                latex: latex(&p.expr),
                range: crate::analysis::pieces::range(p, var, plain),
            })
            .collect(),
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
            side(
                p.loss.as_ref(),
                p.loss_derivative.as_ref(),
                from_loss,
                crate::expr::LOSS_VAR,
            ),
            side(
                p.divergence.as_ref(),
                p.divergence_derivative.as_ref(),
                !from_loss,
                crate::expr::DIVERGENCE_VAR,
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

    /// The report as pretty-printed JSON text with a final newline: the same text as
    /// `format!("{:#}\n", report.json())`, written without building a JSON value for each of
    /// the derived side's values.
    pub fn json_text(&self) -> String {
        let mut data = self.data();
        let values = std::mem::take(&mut data.values);
        let tree = to_json(&model::Versioned::new("derive", data));
        let mut out = json::pretty(&tree, &values);
        out.push('\n');
        out
    }

    /// The report as aligned text for a terminal.
    pub fn text(&self) -> String {
        let data = self.data();
        let mut out = text::aligned(text::rows(&data));
        out.push_str(&text::values_table(&data));
        out
    }

    /// The report as `(label, text)` rows, in the order they are printed, rendered from its data
    /// ([`Report::data`]).
    pub fn rows(&self) -> Vec<(String, String)> {
        text::rows(&self.data())
    }
}

/// A divergence's name with its constant: `GAN divergence D_GAN(q‖pθ) + 2*log(2)`, the constant
/// before a parameter's clause (`α-divergence D_α(q‖pθ) + log(2) with alpha = 1/2`, not
/// `… alpha = 1/2 + log(2)`, which reads as the parameter's value).
pub(crate) fn with_offset(name: &str, offset_term: &str) -> String {
    match name.split_once(" with ") {
        Some((head, clause)) if !offset_term.is_empty() => {
            format!("{head}{offset_term} with {clause}")
        }
        _ => format!("{name}{offset_term}"),
    }
}

/// A number in at most 17 significant digits, scientific when very small or large.
pub fn short(x: f64) -> String {
    let mut out = String::new();
    short_into(&mut out, x);
    out
}

/// [`short`] appended to `out` (a table of many values writes them without a string each).
pub(crate) fn short_into(out: &mut String, x: f64) {
    let a = x.abs();
    if x == 0.0 {
        out.push('0');
    } else if a.is_finite() && !(1e-4..1e15).contains(&a) {
        decimal::scientific_into(out, x);
    } else {
        decimal::plain_into(out, x);
    }
}

/// `check`'s loss rows: `g(t)` on `t = log q − log pθ`, or, for a loss given on the
/// model-minus-target residual, `G(r)` on `r = log pθ − log q` as given and then its reflection
/// `g(t) = G(−t)` (each loss in the variable of its own residual).
fn claim_loss_rows(d: &model::ClaimData) -> Vec<(&'static str, String)> {
    let tmm = crate::transform::Residual::TargetMinusModel.formula();
    match &d.model_minus_target {
        None => vec![("loss", format!("g(t) = {}  on {tmm}", d.loss))],
        Some(m) => vec![
            (
                "loss",
                match &m.loss {
                    Some(big_g) => format!("G(r) = {big_g}  on {}", m.residual_formula),
                    None => "G(r) on r = log pθ − log q (model minus target)".to_string(),
                },
            ),
            ("reflected", format!("g(t) = G(−t) = {}  on {tmm}", d.loss)),
        ],
    }
}

/// The verdict of `fcorr check` as `(label, text)` rows, in the order they are printed,
/// rendered from its data ([`model::ClaimData`]).
pub fn claim_rows(c: &crate::analysis::claim::Claim) -> Vec<(&'static str, String)> {
    claim_data_rows(&model::ClaimData::of(c))
}

pub(crate) fn claim_data_rows(d: &model::ClaimData) -> Vec<(&'static str, String)> {
    use crate::check::Verdict;
    let mut rows = claim_loss_rows(d);
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
            (Some(s), Verdict::Holds) => match d.offset.as_deref() {
                Some(a) if a != "0" => format!(
                    "holds ({}): claimed = derived + a + c·(u − 1) with a = {a}, c = {s}",
                    d.method
                ),
                _ => format!(
                    "holds ({}): claimed = derived + c·(u − 1) with c = {s}",
                    d.method
                ),
            },
            (_, Verdict::Inconclusive) => format!(
                "inconclusive ({}): the generators agree within the error of the quadrature, which is not small against their size",
                d.method
            ),
            _ => format!(
                "DOES NOT HOLD ({}): the claimed generator is not the derived one up to an affine a + b·u",
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
        rows.push((
            "trains",
            format!(
                "{} × {}",
                short(i.scale),
                with_offset(&i.name, &i.offset_term)
            ),
        ));
    }
    rows
}

/// The heading of the evidence's derived column: `derived f(u) + c(u−1)`, with `+ a` when the
/// constant `a` of the evidence is not zero.
pub(crate) fn claim_evidence_heading(d: &model::ClaimData) -> &'static str {
    if d.evidence_offset == "0" {
        "derived f(u) + c(u−1)"
    } else {
        "derived f(u) + a + c(u−1)"
    }
}

/// The evidence of `fcorr check` as `(u, claimed F(u), derived f(u) + a + c·(u − 1))` cells, then
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
    out.push_str(&format!(
        "\n           u          claimed f(u)    {}\n",
        claim_evidence_heading(&d)
    ));
    for (u, claimed, derived) in claim_evidence(&d) {
        if derived.starts_with("refused") {
            out.push_str(&format!("{u:>12}  {claimed:>20}  {derived}\n"));
        } else {
            out.push_str(&format!("{u:>12}  {claimed:>20}  {derived:>23}\n"));
        }
    }
    out
}

/// The verdict of `fcorr check` as JSON: `holds`, `shift` and `offset` (the constants `c` and
/// `a` of `F = f + a + c·(u − 1)`, `null` unless it holds), `method`, `claimed`, `derived`,
/// `evidence` (each probe's `claimed` `F(u)`, `derived` `f(u)` and `derived_shifted`
/// `f(u) + a + c·(u − 1)` with `a` the `evidence_offset`, `c` the `evidence_shift`), `identified`,
/// `gradient_check` (serialised from [`model::ClaimData`]).
pub fn claim_json(c: &crate::analysis::claim::Claim) -> serde_json::Value {
    to_json(&model::Versioned::new("check", model::ClaimData::of(c)))
}

/// `value` as JSON. The data model holds only strings, numbers, booleans, lists and maps with
/// string keys, which always serialise; `null` would stand for a failure that cannot happen.
pub(crate) fn to_json(value: &impl Serialize) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

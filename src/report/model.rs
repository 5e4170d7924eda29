//! The data model behind every JSON output: plain serde-derived structs whose fields are the
//! JSON keys (see the module documentation of [`super`] and `schema/fcorr.schema.json`).
//!
//! Each is built from the analysis by a `from` function that only moves data (expressions become
//! their plain text, numbers stay numbers); no sentence is made here except the few text fields
//! that the schema has always carried (`convexity.description`, `convexity.note`,
//! `conjugate.text`), which are the text renderer's words for the same data. A part that could
//! not be computed is [`Part::Refused`]: `{"refused": reason, "kind": kind}`.

use super::schema::number as num;
use crate::ErrorKind;
use crate::analysis::Unavailable;
use crate::check::Verdict;
use crate::print::plain;
use serde::Serialize;

mod catalog;
mod claim;
mod family;

pub use catalog::{CatalogData, CatalogEntryData, DefaultData};
pub use claim::{ClaimData, ClaimGradientData, EvidenceData, RefusedProbe};
pub use family::{CaseData, ConditionData, FamilyData, GradientAtData, LimitData, MemberData};

/// Serialises an optional float as [`num`] does, `None` as `null`.
fn opt_num<S: serde::Serializer>(x: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match x {
        Some(x) => super::number(*x).serialize(s),
        None => s.serialize_none(),
    }
}

/// An output with its envelope: `schema_version`, `command`, then the output's own keys.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Versioned<T> {
    /// [`super::SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The command that printed it: `derive`, `check`, `catalog`, …
    pub command: &'static str,
    /// The output.
    #[serde(flatten)]
    pub body: T,
}

impl<T> Versioned<T> {
    /// `body` in the envelope of `command`.
    pub fn new(command: &'static str, body: T) -> Versioned<T> {
        Versioned {
            schema_version: super::SCHEMA_VERSION,
            command,
            body,
        }
    }
}

/// A part of the analysis: its data, or why it could not be computed.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Part<T> {
    /// The part.
    Value(T),
    /// Why it is missing.
    Refused(RefusedPart),
}

/// A part that could not be computed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RefusedPart {
    /// Why, a phrase.
    pub refused: String,
    /// The kind of error that stopped it.
    pub kind: ErrorKind,
}

impl<T> Part<T> {
    fn of<A>(outcome: &Result<A, Unavailable>, f: impl FnOnce(&A) -> T) -> Part<T> {
        match outcome {
            Ok(a) => Part::Value(f(a)),
            Err(u) => Part::Refused(RefusedPart {
                refused: u.reason.clone(),
                kind: u.kind,
            }),
        }
    }
}

/// The report of a pair, as `fcorr --json` prints it (inside [`Versioned`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportData {
    /// `from-loss` or `from-divergence`.
    pub direction: &'static str,
    /// The residual convention's name.
    pub residual: &'static str,
    /// The residual every `t` of the report's expressions is on, `t = log q − log pθ`
    /// (`written` excepted: a loss there is on [`ReportData::residual`]).
    pub residual_formula: &'static str,
    /// The divergence's definition.
    pub divergence_definition: &'static str,
    /// The given side as written.
    pub written: String,
    /// With the model-minus-target residual, the loss on it in a variable of its own,
    /// `G(r) = g(−r)`; `None` with the target-minus-model residual.
    pub model_minus_target: Option<ModelMinusTargetLoss>,
    /// The parameter values used.
    pub parameters: Vec<crate::params::Bound>,
    /// The loss side.
    pub loss: super::SideReport,
    /// The divergence side.
    pub divergence: super::SideReport,
    /// Whether both sides are closed forms.
    pub closed_form: bool,
    /// The derived side's values.
    pub values: Vec<ValueData>,
    /// The gradient check, when it ran.
    pub gradient_check: Option<Part<super::GradientSummary>>,
    /// Notes on the derivation.
    pub notes: Vec<String>,
    /// The analysis, when it ran (its keys sit beside the others).
    #[serde(flatten)]
    pub analysis: Option<AnalysisData>,
}

/// A value of the derived side: `{u, f}` from a loss, `{t, g}` from a generator.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ValueData {
    /// `f(u)`.
    Divergence {
        /// The point.
        #[serde(serialize_with = "num")]
        u: f64,
        /// The value, `null` when refused.
        #[serde(serialize_with = "opt_num")]
        f: Option<f64>,
        /// The estimated absolute error, `null` for a closed form or a refusal.
        #[serde(serialize_with = "opt_num")]
        error: Option<f64>,
        /// Why the value is refused, `null` when given.
        refused: Option<String>,
    },
    /// `g(t)`.
    Loss {
        /// The point.
        #[serde(serialize_with = "num")]
        t: f64,
        /// The value, `null` when refused.
        #[serde(serialize_with = "opt_num")]
        g: Option<f64>,
        /// The estimated absolute error, `null` for a closed form or a refusal.
        #[serde(serialize_with = "opt_num")]
        error: Option<f64>,
        /// Why the value is refused, `null` when given.
        refused: Option<String>,
    },
}

impl ValueData {
    /// The point: `u` or `t`.
    pub(crate) fn point(&self) -> f64 {
        match self {
            ValueData::Divergence { u, .. } => *u,
            ValueData::Loss { t, .. } => *t,
        }
    }

    fn of(p: &crate::transform::Point, direction: crate::transform::Direction) -> ValueData {
        let (x, value, error, refused) = match p {
            Ok(v) => (v.x, Some(v.value), v.error, None),
            Err(r) => (r.x, None, None, Some(r.reason.clone())),
        };
        match direction {
            crate::transform::Direction::FromLoss => ValueData::Divergence {
                u: x,
                f: value,
                error,
                refused,
            },
            crate::transform::Direction::FromDivergence => ValueData::Loss {
                t: x,
                g: value,
                error,
                refused,
            },
        }
    }
}

/// The analysis' keys of the report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnalysisData {
    /// `f(1)`, `f'(1)`, `g(0)`, `g'(0)`.
    pub normalization: Part<NormalizationData>,
    /// The canonical member.
    pub canonical: Part<CanonicalData>,
    /// The reward.
    pub reward: Part<RewardData>,
    /// The named divergences.
    pub identified: Part<Vec<IdentifiedData>>,
    /// The class check.
    pub class: Part<crate::analysis::class::ClassCheck>,
    /// Convexity.
    pub convexity: Part<ConvexityData>,
    /// Tails.
    pub tails: Part<TailsData>,
    /// The dual.
    pub dual: DualData,
    /// The conjugate.
    pub conjugate: ConjugateData,
    /// The regime asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regime: Option<RegimeData>,
}

/// An exact constant with its value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExactData {
    /// The constant in plain text.
    pub expr: String,
    /// Its value.
    #[serde(serialize_with = "num")]
    pub value: f64,
}

impl ExactData {
    fn of(e: &crate::analysis::normal::Exact) -> ExactData {
        ExactData {
            expr: plain(&e.expr),
            value: e.value,
        }
    }
}

/// The four exact normalisation constants.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExactNormalization {
    /// `f(1)`.
    pub f_at_1: ExactData,
    /// `f'(1)`.
    pub f_prime_at_1: ExactData,
    /// `g(0)`.
    pub g_at_0: ExactData,
    /// `g'(0)`.
    pub g_prime_at_0: ExactData,
}

/// `normalization`: the values, and the exact constants under `exact`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NormalizationData {
    /// `f(1)`.
    #[serde(serialize_with = "num")]
    pub f_at_1: f64,
    /// `f'(1)`.
    #[serde(serialize_with = "num")]
    pub f_prime_at_1: f64,
    /// `g(0)`.
    #[serde(serialize_with = "num")]
    pub g_at_0: f64,
    /// `g'(0)`.
    #[serde(serialize_with = "num")]
    pub g_prime_at_0: f64,
    /// The exact constants.
    pub exact: ExactNormalization,
}

impl NormalizationData {
    fn of(n: &crate::analysis::normal::Normalization) -> NormalizationData {
        NormalizationData {
            f_at_1: n.f_at_1.value,
            f_prime_at_1: n.f_prime_at_1.value,
            g_at_0: n.g_at_0.value,
            g_prime_at_0: n.g_prime_at_0.value,
            exact: ExactNormalization {
                f_at_1: ExactData::of(&n.f_at_1),
                f_prime_at_1: ExactData::of(&n.f_prime_at_1),
                g_at_0: ExactData::of(&n.g_at_0),
                g_prime_at_0: ExactData::of(&n.g_prime_at_0),
            },
        }
    }
}

/// `canonical`: the member with `f'(1) = g'(0) = 0`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CanonicalData {
    /// `f(u) − f(1) − c·(u − 1)`, `null` when numeric.
    pub expr: Option<String>,
    /// `g(t) − g(0) − g'(0)·t`, `null` when numeric.
    pub loss: Option<String>,
    /// `c = f'(1)`.
    pub shift: String,
}

/// `reward`: the reward `R(x) = f'(pθ/q)` of `∇θ D_f(pθ‖q) = E_pθ[R·∇θ log pθ]`, descended,
/// and for this pair's `D_f(q‖pθ) = D_{f◇}(pθ‖q)` the reward `R = (f◇)'(v)`, `v = pθ/q`, whose
/// negative is the loss's per-sample weight `w = g'(t) = −R`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RewardData {
    /// `f'(u)`, `u` standing for `v = pθ/q`: the reward `R` for `D_f(pθ‖q)`.
    pub expr: Option<String>,
    /// `(f◇)'(u)`, `u` standing for `v = pθ/q`: the reward `R` for this pair's `D_f(q‖pθ)`.
    pub dual_expr: Option<String>,
    /// `g'(t) = −R` (`t = −log v`), the loss's per-sample weight.
    pub weight: Option<String>,
    /// `−R = −(f◇)'(u)`, what REINFORCE ascends (the weight in `u` standing for `v`).
    pub ascended: Option<String>,
    /// The same in the variable `v = pθ/q`.
    pub ascended_in_v: Option<String>,
    /// `−f'(v)`, what REINFORCE ascends for `D_f(pθ‖q)`, in `v = pθ/q`.
    pub forward_in_v: Option<String>,
    /// `R = (f◇)'(v)` in `v = pθ/q`.
    pub reward_in_v: Option<String>,
    /// `R = f'(v)` for `D_f(pθ‖q)`, in `v = pθ/q`.
    pub forward_reward_in_v: Option<String>,
    /// The check's largest relative error.
    #[serde(serialize_with = "num")]
    pub max_rel_error: f64,
    /// The noise of its numbers.
    #[serde(serialize_with = "num")]
    pub max_rel_noise: f64,
    /// Its verdict.
    pub verdict: Verdict,
}

/// One named divergence the generator equals up to the class and scale.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IdentifiedData {
    /// The divergence with its arguments.
    pub name: String,
    /// The catalog key.
    pub key: &'static str,
    /// The positive scale.
    #[serde(serialize_with = "num")]
    pub scale: f64,
    /// The exact scale (the report only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exact_scale: Option<Option<String>>,
    /// The constant `a`: `D_f = scale·D_named + a` (`f = k·f_named + a + c·(u − 1)`).
    #[serde(serialize_with = "num")]
    pub offset: f64,
    /// The exact constant (the report only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exact_offset: Option<Option<String>>,
    /// `exact` or `numeric`.
    pub method: &'static str,
    /// The constant as a term after the name: empty for `0`, else ` + a` or ` - |a|` (exact
    /// when it is known exactly).
    #[serde(skip)]
    pub offset_term: String,
}

impl IdentifiedData {
    pub(crate) fn of(i: &crate::catalog::Identification, exact: bool) -> IdentifiedData {
        IdentifiedData {
            name: i.name.clone(),
            key: i.key,
            scale: i.scale,
            exact_scale: exact.then(|| i.exact_scale.as_ref().map(plain)),
            offset: i.offset,
            exact_offset: exact.then(|| i.exact_offset.as_ref().map(plain)),
            method: i.method,
            offset_term: offset_term(i),
        }
    }
}

/// ` + a` or ` - |a|` for the constant of `i`, empty when it is `0`.
fn offset_term(i: &crate::catalog::Identification) -> String {
    let negative = i.offset < 0.0;
    let size = match &i.exact_offset {
        Some(a) if a.is_zero() => return String::new(),
        Some(a) if negative => plain(&super::negated(a)),
        Some(a) => plain(a),
        None if i.offset == 0.0 => return String::new(),
        None => super::short(i.offset.abs()),
    };
    format!(" {} {size}", if negative { "-" } else { "+" })
}

/// A point `(u, f''(u))`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WitnessData {
    /// Where.
    #[serde(serialize_with = "num")]
    pub u: f64,
    /// `f''(u) < 0`.
    #[serde(serialize_with = "num")]
    pub f_second: f64,
}

/// Where `f'` drops.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DropData {
    /// Where.
    #[serde(serialize_with = "num")]
    pub u: f64,
    /// The slope before: `f'`, or `g'` at `t = ln u` when the variable is `t`.
    #[serde(serialize_with = "num")]
    pub from: f64,
    /// The slope after.
    #[serde(serialize_with = "num")]
    pub to: f64,
}

/// `convexity`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConvexityData {
    /// Whether `f` is convex (proved, or on the scanned range).
    pub convex: bool,
    /// `proved` or `numeric`.
    pub method: &'static str,
    /// The text report's line for the same data.
    pub description: String,
    /// The second derivative examined.
    pub second_derivative: Option<String>,
    /// Its variable, `u` or `t`.
    pub variable: &'static str,
    /// The scan's smallest `f''`.
    #[serde(serialize_with = "opt_num")]
    pub min_value: Option<f64>,
    /// Where.
    #[serde(serialize_with = "opt_num")]
    pub min_at: Option<f64>,
    /// A point with `f'' < 0`.
    pub witness: Option<WitnessData>,
    /// The second derivative as one quotient with a positive denominator, when so proved.
    pub quotient: Option<String>,
    /// Where the scan saw the slope drop: `f'` when `variable` is `u`, `g'(ln u)` when it is
    /// `t`.
    pub drop: Option<DropData>,
    /// Scan points skipped because `f''` was not finite there.
    pub skipped: usize,
    /// What non-convexity means, `null` when convex.
    pub note: Option<&'static str>,
    /// When proved piece by piece (a kinked function), the open pieces between its kinks with
    /// the second derivative on each; empty otherwise.
    pub pieces: Vec<ConvexPieceData>,
    /// The kinks between those pieces: where, and how much the slope rises there (`"0"` where
    /// it is continuous); empty unless proved piece by piece.
    pub kinks: Vec<KinkData>,
    /// When proved not convex because the generator jumps: where (`at`) and by how much
    /// (`rise`, exact); `null` otherwise.
    pub jump: Option<KinkData>,
    /// When proved not convex because the generator's value at a root stands apart from the
    /// equal limits on either side: where (`at`), the value and the limit, exact; `null`
    /// otherwise.
    pub apart: Option<ApartData>,
}

/// A root where a generator's value stands apart from its limits.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ApartData {
    /// Where, exact.
    pub at: String,
    /// The value there.
    pub value: String,
    /// The limit from either side.
    pub limit: String,
}

/// One open piece of a kinked function proved convex.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConvexPieceData {
    /// The lower end, exact (`"-1"`, `"1/2"`), `null` for −∞.
    pub from: Option<String>,
    /// The upper end, `null` for ∞.
    pub to: Option<String>,
    /// The second derivative on the piece, non-negative there.
    pub second_derivative: String,
}

/// A kink between two pieces of a function proved convex.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KinkData {
    /// Where, exact.
    pub at: String,
    /// The right derivative minus the left one, exact and non-negative.
    pub rise: String,
}

/// A rational as the language writes it (`-1`, `1/2`).
fn exact(r: &num_rational::BigRational) -> String {
    plain(&crate::Expr::num(r.clone()))
}

fn method_name(m: crate::analysis::convexity::Method) -> &'static str {
    match m {
        crate::analysis::convexity::Method::Proved => "proved",
        crate::analysis::convexity::Method::Numeric => "numeric",
    }
}

impl ConvexityData {
    fn of(c: &crate::analysis::convexity::Convexity) -> ConvexityData {
        ConvexityData {
            convex: c.convex,
            method: method_name(c.method),
            description: super::words::convexity_text(c),
            second_derivative: c.second_derivative.as_ref().map(plain),
            variable: c.variable,
            min_value: c.min_value,
            min_at: c.min_at,
            witness: c.witness.map(|(u, f_second)| WitnessData { u, f_second }),
            quotient: c.quotient.as_ref().map(plain),
            drop: c.drop.map(|(u, from, to)| DropData { u, from, to }),
            skipped: c.skipped,
            note: super::words::convexity_note(c),
            pieces: c
                .pieces
                .iter()
                .map(|p| ConvexPieceData {
                    from: p.from.as_ref().map(exact),
                    to: p.to.as_ref().map(exact),
                    second_derivative: plain(&p.second_derivative),
                })
                .collect(),
            kinks: c
                .kinks
                .iter()
                .map(|k| KinkData {
                    at: exact(&k.at),
                    rise: plain(&k.rise),
                })
                .collect(),
            jump: c.jump.as_ref().map(|k| KinkData {
                at: exact(&k.at),
                rise: plain(&k.rise),
            }),
            apart: c.apart.as_ref().map(|a| ApartData {
                at: exact(&a.at),
                value: plain(&a.value),
                limit: plain(&a.limit),
            }),
        }
    }
}

/// A limit in JSON: a number, `"inf"`, `"-inf"`, or `null` when unknown.
fn limit_value(l: &crate::analysis::tails::Limit) -> Option<f64> {
    use crate::analysis::tails::Limit;
    match l {
        Limit::Finite(_, v) => Some(*v),
        Limit::PlusInfinity => Some(f64::INFINITY),
        Limit::MinusInfinity => Some(f64::NEG_INFINITY),
        Limit::Unknown(_) => None,
    }
}

/// A limit's exact value in plain text (`inf`, `-inf`), `null` when numeric or unknown.
fn limit_exact(l: &crate::analysis::tails::Limit) -> Option<String> {
    use crate::analysis::tails::Limit;
    match l {
        Limit::Finite(Some(e), _) => Some(plain(e)),
        Limit::PlusInfinity => Some("inf".into()),
        Limit::MinusInfinity => Some("-inf".into()),
        _ => None,
    }
}

/// Why a limit is undecided, in words; `None` when it is decided.
fn limit_unknown(l: &crate::analysis::tails::Limit) -> Option<String> {
    match l {
        crate::analysis::tails::Limit::Unknown(why) => Some(super::undecided_text(why)),
        _ => None,
    }
}

/// `−e` in the variable `v` standing for `u` (a reward as a function of `v = pθ/q`).
fn in_v(e: &crate::Expr) -> String {
    in_v_as_is(&super::negated(e))
}

/// `e` in the variable `v` standing for `u`.
fn in_v_as_is(e: &crate::Expr) -> String {
    plain(&e.substitute(crate::expr::DIVERGENCE_VAR, &crate::Expr::sym("v")))
}

/// `tails`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TailsData {
    /// `f(0+)`.
    #[serde(serialize_with = "opt_num")]
    pub f_at_0: Option<f64>,
    /// `f'(∞)`.
    #[serde(serialize_with = "opt_num")]
    pub f_prime_at_inf: Option<f64>,
    /// `f(0+)` exactly.
    pub f_at_0_exact: Option<String>,
    /// `f'(∞)` exactly.
    pub f_prime_at_inf_exact: Option<String>,
    /// Why `f(0+)` is undecided, `null` when it is decided.
    pub f_at_0_unknown: Option<String>,
    /// Why `f'(∞)` is undecided, `null` when it is decided.
    pub f_prime_at_inf_unknown: Option<String>,
    /// `f(0+) = ∞`.
    pub zero_forcing: Option<bool>,
    /// `f'(∞) = ∞`.
    pub zero_avoiding: Option<bool>,
    /// `proved` when both limits are exact, else `numeric`.
    pub method: &'static str,
}

impl TailsData {
    fn of(t: &crate::analysis::tails::Tails) -> TailsData {
        TailsData {
            f_at_0: limit_value(&t.f_at_0),
            f_prime_at_inf: limit_value(&t.f_prime_at_inf),
            f_at_0_exact: limit_exact(&t.f_at_0),
            f_prime_at_inf_exact: limit_exact(&t.f_prime_at_inf),
            f_at_0_unknown: limit_unknown(&t.f_at_0),
            f_prime_at_inf_unknown: limit_unknown(&t.f_prime_at_inf),
            zero_forcing: t.zero_forcing,
            zero_avoiding: t.zero_avoiding,
            method: method_name(t.method),
        }
    }
}

/// `dual`: `{"expr": …}`, with `refused` and `kind` when it could not be computed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DualData {
    /// `f◇(u) = u·f(1/u)`, `null` when numeric or refused.
    pub expr: Option<String>,
    /// Whether the dual is the generator itself (then `expr` is `f` as given).
    pub self_dual: bool,
    /// Why it could not be computed.
    #[serde(flatten)]
    pub refused: Option<RefusedPart>,
}

/// A conjugate's constant piece below `f'(0+)`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LowerPieceData {
    /// `f'(0+)`.
    pub threshold: String,
    /// `−f(0+)`.
    pub value: String,
}

/// `f*(y)` at a point.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConjugateValue {
    /// The point.
    #[serde(serialize_with = "num")]
    pub y: f64,
    /// `f*(y)`.
    #[serde(serialize_with = "num")]
    pub value: f64,
}

/// `conjugate`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ConjugateData {
    /// The conjugate.
    Value {
        /// `f*(y)`, `null` when numeric.
        expr: Option<String>,
        /// Where it is finite.
        domain: String,
        /// `closed-form` or `numeric`.
        method: &'static str,
        /// The constant piece below `f'(0+)`.
        lower_piece: Option<LowerPieceData>,
        /// The text report's line for the same data.
        text: String,
        /// Values of a numeric conjugate.
        values: Vec<ConjugateValue>,
    },
    /// Why there is none.
    Refused {
        /// Always `null`.
        expr: Option<String>,
        /// The reason (the older key).
        error: String,
        /// The reason.
        refused: String,
        /// The kind of error.
        kind: ErrorKind,
    },
}

/// `regime`: the regime asked for, its generator and check, or why it is not available.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RegimeData {
    /// The regime's name.
    pub name: &'static str,
    /// Its generator.
    pub generator: Option<String>,
    /// The check's largest relative error.
    #[serde(serialize_with = "opt_num")]
    pub max_rel_error: Option<f64>,
    /// The noise of its numbers.
    #[serde(serialize_with = "opt_num")]
    pub max_rel_noise: Option<f64>,
    /// The verdict.
    pub verdict: Option<Verdict>,
    /// Why it is not available, `null` when it is.
    pub refused: Option<String>,
    /// The kind of error, `null` when available.
    pub kind: Option<ErrorKind>,
}

impl AnalysisData {
    /// The analysis' keys for `a`, the analysis of a pair with the generator `f` (against which
    /// the dual is judged self-dual).
    pub fn of(a: &crate::analysis::Analysis, f: Option<&crate::Expr>) -> AnalysisData {
        use crate::analysis::conjugate::Method;
        AnalysisData {
            normalization: Part::of(&a.normalization, NormalizationData::of),
            canonical: Part::of(&a.normalization, |n| CanonicalData {
                expr: n.canonical_f.as_ref().map(plain),
                loss: n.canonical_g.as_ref().map(plain),
                shift: plain(&n.shift.expr),
            }),
            reward: Part::of(&a.reward, |r| {
                // `−(f◇)'` once, for `u` and for `v`.
                let ascended = r.dual_reward.as_ref().map(super::negated);
                RewardData {
                    expr: r.f_prime.as_ref().map(plain),
                    dual_expr: r.dual_reward.as_ref().map(plain),
                    weight: r.weight.as_ref().map(plain),
                    ascended: ascended.as_ref().map(plain),
                    ascended_in_v: ascended.as_ref().map(in_v_as_is),
                    forward_in_v: r.f_prime.as_ref().map(in_v),
                    reward_in_v: r.dual_reward.as_ref().map(in_v_as_is),
                    forward_reward_in_v: r.f_prime.as_ref().map(in_v_as_is),
                    max_rel_error: r.max_rel_error,
                    max_rel_noise: r.max_rel_noise,
                    verdict: r.verdict,
                }
            }),
            identified: Part::of(&a.identified, |ids| {
                ids.iter().map(|i| IdentifiedData::of(i, true)).collect()
            }),
            class: Part::of(&a.class, Clone::clone),
            convexity: Part::of(&a.convexity, ConvexityData::of),
            tails: Part::of(&a.tails, TailsData::of),
            dual: match &a.dual {
                None => DualData {
                    expr: None,
                    self_dual: false,
                    refused: None,
                },
                Some(Ok(d)) => DualData {
                    expr: Some(plain(d)),
                    self_dual: f.is_some_and(|f| crate::analysis::conjugate::is_self_dual(f, d)),
                    refused: None,
                },
                Some(Err(u)) => DualData {
                    expr: None,
                    self_dual: false,
                    refused: Some(RefusedPart {
                        refused: u.reason.clone(),
                        kind: u.kind,
                    }),
                },
            },
            conjugate: match &a.conjugate {
                Ok(c) => ConjugateData::Value {
                    expr: c.expr.as_ref().map(plain),
                    domain: c.domain.to_string(),
                    method: match c.method {
                        Method::ClosedForm => "closed-form",
                        Method::Numeric => "numeric",
                    },
                    lower_piece: c.lower_piece.as_ref().map(|p| LowerPieceData {
                        threshold: plain(&p.threshold),
                        value: plain(&p.value),
                    }),
                    text: super::conjugate::text(c),
                    values: c
                        .values
                        .iter()
                        .map(|&(y, value)| ConjugateValue { y, value })
                        .collect(),
                },
                Err(u) => ConjugateData::Refused {
                    expr: None,
                    error: u.reason.clone(),
                    refused: u.reason.clone(),
                    kind: u.kind,
                },
            },
            regime: a.regime.as_ref().map(|r| match r {
                Ok(r) => RegimeData {
                    name: crate::analysis::regime::name(r.regime),
                    generator: Some(plain(&r.generator)),
                    max_rel_error: Some(r.check.max_rel_error),
                    max_rel_noise: Some(r.check.max_rel_noise),
                    verdict: Some(r.check.verdict(super::PROVED_BELOW)),
                    refused: None,
                    kind: None,
                },
                Err(r) => RegimeData {
                    name: crate::analysis::regime::name(r.regime),
                    generator: None,
                    max_rel_error: None,
                    max_rel_noise: None,
                    verdict: None,
                    refused: Some(r.reason.clone()),
                    kind: Some(r.kind),
                },
            }),
        }
    }
}

/// The loss on the model-minus-target residual, `G(r) = g(−r)` on `r = log pθ − log q`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelMinusTargetLoss {
    /// `r = log pθ − log q`.
    pub residual_formula: &'static str,
    /// `G(r)` in plain text (`None` when the loss is numeric).
    pub loss: Option<String>,
    /// `G(r)` in LaTeX (`None` when the loss is numeric).
    pub latex: Option<String>,
}

impl ModelMinusTargetLoss {
    /// The loss on `r` of a pair on the model-minus-target residual (`None` for the other).
    pub fn of(p: &crate::transform::Correspondence) -> Option<ModelMinusTargetLoss> {
        if p.residual != crate::transform::Residual::ModelMinusTarget {
            return None;
        }
        Some(ModelMinusTargetLoss::in_r(
            crate::transform::model_minus_target_loss(p),
        ))
    }

    /// The keys for `G(r)` (`None` when it has no closed form in `r`).
    pub fn in_r(g: Option<crate::Expr>) -> ModelMinusTargetLoss {
        ModelMinusTargetLoss {
            residual_formula: crate::transform::MODEL_RESIDUAL_FORMULA,
            loss: g.as_ref().map(plain),
            latex: g.as_ref().map(crate::print::latex),
        }
    }
}

impl ReportData {
    /// The report's keys for `r`.
    pub fn of(r: &super::Report) -> ReportData {
        use crate::transform::Direction;
        let p = &r.pair;
        let (loss, divergence) = r.sides();
        ReportData {
            direction: match p.direction {
                Direction::FromLoss => "from-loss",
                Direction::FromDivergence => "from-divergence",
            },
            residual: p.residual.name(),
            residual_formula: crate::transform::Residual::TargetMinusModel.formula(),
            divergence_definition: crate::transform::DIVERGENCE,
            written: plain(&p.written),
            model_minus_target: ModelMinusTargetLoss::of(p),
            parameters: r.parameters.clone(),
            loss,
            divergence,
            closed_form: p.closed_form(),
            values: r
                .values
                .iter()
                .map(|v| ValueData::of(v, p.direction))
                .collect(),
            gradient_check: r.gradient_check.as_ref().map(|g| Part::of(g, Clone::clone)),
            notes: p.notes.clone(),
            analysis: r
                .analysis
                .as_ref()
                .map(|a| AnalysisData::of(a, r.pair.divergence.as_ref())),
        }
    }
}

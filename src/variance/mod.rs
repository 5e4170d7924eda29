//! The variance and off-policy laboratory: losses of one equivalence class share their expected
//! gradient but not its noise, and sampling from another distribution than the model brings
//! importance weights and, where that distribution misses the model's support, bias.
//!
//! **The setting.** A softmax model `pθ = softmax(θ)` over K outcomes, a target `q`, the
//! residual `t(x) = log q(x) − log pθ(x)`, the score `s(x) = ∇θ log pθ(x) = e_x − pθ` and the
//! weight `w(x) = g′(t(x))`. The gradient of `D_f(q‖pθ)` is `∇θ D_f = −E_pθ[w·s]`; the
//! single-sample estimator `−(w(x) + c)·s(x)`, `x ∼ pθ`, is unbiased for every shift `c`.
//! Off-policy, with `x ∼ μ` and `ρ(x) = pθ(x)/μ(x)`: `−ρ(x)(w(x) + c)·s(x)`.
//!
//! On such a model every quantity is a finite sum over the K outcomes, so it is computed
//! exactly, not sampled: the trace of the covariance `V(c) = E‖estimator‖² − ‖its mean‖²` is a
//! quadratic in `c` ([`exact::Trace`]), minimised at `c* = −E[w‖s‖²]/E[‖s‖²]`, and each
//! quantity costs O(K) however many shifts are asked for. [`analyze`] is the pure core (a
//! weight function, a model and options in, a [`Analysis`] out); [`variance`] runs it for
//! derived pairs and says which of them train the same divergence. The report structs are
//! serialised as they are (JSON) and rendered to text, Markdown and LaTeX.
//!
//! ```
//! use fcorr::variance::{Model, Options, analyze};
//! // The loss t²/2 has the weight w = g′(t) = t; pθ = (½, ½), q = (¼, ¾).
//! let model = Model::new(vec![0.0, 0.0], vec![1.0, 3.0])?;
//! let options = Options { shifts: vec![0.0, 1.0], ..Options::default() };
//! let a = analyze(&|t| t, &model, &options)?;
//! // ‖s‖² = ½ for both outcomes, so c* = −E[w] = −(t₀ + t₁)/2.
//! let (t0, t1) = (0.5f64.ln(), 1.5f64.ln());
//! assert!((a.optimal_shift.unwrap() + (t0 + t1) / 2.0).abs() < 1e-15);
//! assert!(a.variance[0].trace > a.variance_at_optimal);
//! # Ok::<(), fcorr::Error>(())
//! ```

pub mod exact;
pub mod model;
pub mod montecarlo;
pub mod offpolicy;
mod render;
pub mod sum;

pub use model::{Generated, Model, Rng, TargetShape, parse_numbers, parse_shifts};
pub use offpolicy::Behaviour;
pub use render::{mismatch_sentence, num};

use crate::Error;
use crate::eval::{Params, compile};
use crate::expr::{DIVERGENCE_VAR, Expr, Func, LOSS_VAR};
use crate::simplify::simplify;
use crate::transform::Correspondence;
use serde::Serialize;

/// The most shifts one report may ask for.
pub const MAX_SHIFTS: usize = 10_001;

/// The most Monte Carlo work one report may ask for: samples × (shifts + 1), each an O(1) step
/// (about a second in a release build), so that no combination of limits runs for hours.
pub const MAX_MONTE_CARLO_WORK: usize = 400_000_000;

/// A non-finite number in JSON as the string `"inf"`, `"-inf"` or `"nan"`, as everywhere in
/// fcorr's JSON.
fn number<S: serde::Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    if x.is_finite() {
        s.serialize_f64(*x)
    } else if x.is_nan() {
        s.serialize_str("nan")
    } else if *x > 0.0 {
        s.serialize_str("inf")
    } else {
        s.serialize_str("-inf")
    }
}

/// What to compute besides the on-policy quantities.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Options {
    /// The shifts `c` at which `V(c)` is tabulated.
    pub shifts: Vec<f64>,
    /// The behaviour distribution of the off-policy estimator, if any.
    pub behaviour: Option<Behaviour>,
    /// Whether to analyse sampling from the target without weights.
    pub target_sampling: bool,
    /// Monte Carlo confirmation: `(samples, seed)`.
    pub monte_carlo: Option<(usize, u64)>,
    /// Whether to sweep the mixture weight `λ` of `(1 − λ)·pθ + λ·μ₁` (for the figure).
    pub mixture_sweep: bool,
}

/// `V(c)` at one shift, on-policy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShiftRow {
    /// `c`.
    pub shift: f64,
    /// `V(c)`.
    pub trace: f64,
    /// The signal-to-noise ratio `‖∇‖²/V(c)`.
    #[serde(serialize_with = "number")]
    pub snr: f64,
}

/// `V(c)` and the bias `‖E[estimator] − ∇θ D_f‖` at one shift, for an estimator whose mean
/// depends on the shift.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BiasedRow {
    /// `c`.
    pub shift: f64,
    /// `V(c)`.
    pub trace: f64,
    /// `‖b(c)‖`.
    pub bias_norm: f64,
}

/// Outcomes the model reaches but the behaviour distribution never samples.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SupportMismatch {
    /// Their indices, from 0.
    pub outcomes: Vec<usize>,
    /// The probability `pθ` puts on them.
    pub mass: f64,
}

/// The importance-weighted estimator `−ρ(w + c)s`, `x ∼ μ`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OffPolicy {
    /// The behaviour distribution, as named (`explicit` for given probabilities).
    pub behaviour: String,
    /// The bias at `c = 0`, `Σ_{μ=0<pθ} pθ·w·s` (zero without a support mismatch).
    pub bias: Vec<f64>,
    /// `‖bias‖`.
    pub bias_norm: f64,
    /// The bias's norm at the optimal shift.
    pub bias_norm_at_optimal: f64,
    /// The shift minimising the trace (`None` when the trace does not depend on it).
    pub optimal_shift: Option<f64>,
    /// `V(0)`.
    pub variance_at_zero: f64,
    /// `V(c*)`.
    pub variance_at_optimal: f64,
    /// `V(c)` and the bias at each shift.
    pub variance: Vec<BiasedRow>,
    /// The largest importance weight `max ρ` over the outcomes `μ` samples.
    pub max_weight: f64,
    /// Kish's effective sample size as a fraction, `(E_μ ρ)²/E_μ ρ²`.
    pub ess_fraction: f64,
    /// `None`, or the outcomes with `μ = 0 < pθ` and their mass.
    pub support_mismatch: Option<SupportMismatch>,
}

/// The unweighted estimator `−(w + c)s`, `x ∼ q`: its mean at `c = 0` is
/// `∇θ D_{f₃}(q‖pθ)`, `f₃(u) = u·g(ln u)`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TargetSampling {
    /// `‖∇θ D_{f₃}(q‖pθ)‖`, the norm of the mean at `c = 0`.
    pub gradient_norm: f64,
    /// `‖mean − ∇θ D_f(q‖pθ)‖` at `c = 0`.
    pub bias_norm: f64,
    /// The shift minimising the trace.
    pub optimal_shift: Option<f64>,
    /// `V(0)`.
    pub variance_at_zero: f64,
    /// `V(c*)`.
    pub variance_at_optimal: f64,
    /// `V(c)` and the difference from `∇θ D_f` at each shift.
    pub variance: Vec<BiasedRow>,
}

/// An exact value next to its Monte Carlo estimate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct McValue {
    /// The exact value.
    pub exact: f64,
    /// The sample estimate.
    pub estimate: f64,
    /// Its standard error.
    pub standard_error: f64,
}

/// `V(c)` exact and sampled.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct McRow {
    /// `c`.
    pub shift: f64,
    /// The exact `V(c)`.
    pub exact: f64,
    /// `Σ‖X_i − X̄‖²/(N − 1)`.
    pub estimate: f64,
    /// Its standard error.
    pub standard_error: f64,
}

/// One estimator sampled.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct McEstimates {
    /// N.
    pub samples: usize,
    /// The generator's seed.
    pub seed: u64,
    /// The mean at `c = 0` projected on the exact gradient's direction `∇/‖∇‖` (`None` when
    /// the gradient is zero): `‖∇‖` on-policy, `‖∇‖ + ⟨b, ∇⟩/‖∇‖` off-policy.
    pub mean_along_gradient: Option<McValue>,
    /// `V(c)` at every shift.
    pub variance: Vec<McRow>,
    /// `E ρ`, off-policy (`1 −` the mismatched mass).
    pub mean_weight: Option<McValue>,
    /// `E ρ²`, off-policy.
    pub mean_squared_weight: Option<McValue>,
}

/// The Monte Carlo confirmation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MonteCarlo {
    /// `x ∼ pθ`.
    pub on_policy: McEstimates,
    /// `x ∼ μ`, with a behaviour distribution.
    pub off_policy: Option<McEstimates>,
}

/// Everything exact about one weight function on one model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Analysis {
    /// `∇θ D_f(q‖pθ) = −E_pθ[w·s]`.
    pub gradient: Vec<f64>,
    /// `‖∇θ D_f‖`.
    pub gradient_norm: f64,
    /// `V(c)` at the requested shifts.
    pub variance: Vec<ShiftRow>,
    /// `c* = −E[w‖s‖²]/E[‖s‖²]` (`None` when `pθ` is a point mass and nothing is random).
    pub optimal_shift: Option<f64>,
    /// `V(0)`.
    pub variance_at_zero: f64,
    /// `V(c*)`.
    pub variance_at_optimal: f64,
    /// `V(0)/V(c*)`.
    #[serde(serialize_with = "number")]
    pub saving: f64,
    /// `‖∇‖²/V(0)`.
    #[serde(serialize_with = "number")]
    pub snr_at_zero: f64,
    /// `‖∇‖²/V(c*)`.
    #[serde(serialize_with = "number")]
    pub snr_at_optimal: f64,
    /// `E‖s‖² = 1 − Σ pθ²`, the coefficient of `c²` in `V(c)` (the same for every loss).
    pub curvature: f64,
    /// `−g′(0)`: at this shift the estimator is the canonical member's (`g′(0) = 0`) unshifted one.
    #[serde(serialize_with = "number")]
    pub canonical_shift: f64,
    /// With a behaviour distribution.
    pub off_policy: Option<OffPolicy>,
    /// With target sampling.
    pub target_sampling: Option<TargetSampling>,
    /// With Monte Carlo confirmation.
    pub monte_carlo: Option<MonteCarlo>,
    /// With a mixture sweep.
    pub mixture: Option<Mixture>,
}

/// ESS and bias of the off-policy estimator for the behaviour `μ_λ = (1 − λ)·pθ + λ·μ₁`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mixture {
    /// `μ₁`: `uniform`, `target` or the behaviour given.
    pub base: String,
    /// One point per `λ` in `0, 0.02, …, 1`.
    pub points: Vec<MixturePoint>,
}

/// The off-policy estimator at one mixture weight.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MixturePoint {
    /// `λ`.
    pub weight: f64,
    /// Kish's ESS fraction.
    pub ess_fraction: f64,
    /// The largest importance weight.
    pub max_weight: f64,
    /// `‖b(0)‖`, the bias at `c = 0`.
    pub bias_norm: f64,
}

/// The weights `w(x) = g′(t(x))` of a model, each finite, or an error naming the outcome.
pub fn weights(w: &dyn Fn(f64) -> f64, model: &Model) -> Result<Vec<f64>, Error> {
    model
        .t
        .iter()
        .enumerate()
        .map(|(x, &t)| {
            let v = w(t);
            if v.is_finite() {
                Ok(v)
            } else {
                let q = model.target[x];
                Err(Error::Undefined(format!(
                    "the weight g′(t) is {v} at outcome {x} (q = {}, t = {}): the estimator is undefined there{}",
                    crate::report::short(q),
                    crate::report::short(t),
                    if q == 0.0 {
                        "\n  = help: this loss needs q > 0 wherever pθ > 0; give the target positive mass on every outcome"
                    } else {
                        ""
                    }
                )))
            }
        })
        .collect()
}

/// The checks every option gets before any work: shifts finite and not too many, samples in
/// range.
fn check_options(options: &Options) -> Result<(), Error> {
    if options.shifts.len() > MAX_SHIFTS {
        return Err(Error::LimitExceeded(format!(
            "{} shifts asked for, at most {MAX_SHIFTS} are allowed",
            options.shifts.len()
        )));
    }
    if let Some(c) = options.shifts.iter().find(|c| !c.is_finite()) {
        return Err(Error::Input(format!(
            "the shift {c} is not a finite number"
        )));
    }
    if let Some((n, _)) = options.monte_carlo {
        if !(montecarlo::MIN_SAMPLES..=montecarlo::MAX_SAMPLES).contains(&n) {
            return Err(Error::Input(format!(
                "{n} samples: a Monte Carlo run draws {} to {}",
                montecarlo::MIN_SAMPLES,
                montecarlo::MAX_SAMPLES
            )));
        }
        let work = n.saturating_mul(options.shifts.len() + 1);
        if work > MAX_MONTE_CARLO_WORK {
            return Err(Error::LimitExceeded(format!(
                "{n} samples at {} shifts is {work} steps of Monte Carlo, more than the {MAX_MONTE_CARLO_WORK} allowed\n  = help: give fewer samples or fewer shifts",
                options.shifts.len()
            )));
        }
    }
    Ok(())
}

fn ratio(a: f64, b: f64) -> f64 {
    if a == 0.0 && b == 0.0 {
        f64::NAN
    } else {
        a / b
    }
}

/// The exact variance and off-policy quantities of the weight function `w = g′` on `model`.
///
/// A pure function: no I/O, no global state; the Monte Carlo part is seeded by the options.
pub fn analyze(
    w: &dyn Fn(f64) -> f64,
    model: &Model,
    options: &Options,
) -> Result<Analysis, Error> {
    check_options(options)?;
    let ws = weights(w, model)?;
    let g0 = w(0.0);
    let (gradient, trace) = exact::on_policy(model, &ws);
    let g2 = exact::norm_squared(&gradient);
    let finite = g2.is_finite() && trace.minimum.is_finite() && trace.curvature.is_finite();
    if !finite {
        return Err(Error::Undefined(
            "the weights are too large: the second moments overflow a 64-bit float".into(),
        ));
    }
    let variance = options
        .shifts
        .iter()
        .map(|&c| ShiftRow {
            shift: c,
            trace: trace.at(c),
            snr: ratio(g2, trace.at(c)),
        })
        .collect();
    let mu = match &options.behaviour {
        Some(b) => Some((b, b.distribution(model)?)),
        None => None,
    };
    let off_policy = mu
        .as_ref()
        .map(|(b, mu)| offpolicy::off_policy(model, &ws, &gradient, mu, b, &options.shifts));
    let (off_policy, off_trace) = match off_policy {
        Some((o, t)) => (Some(o), Some(t)),
        None => (None, None),
    };
    let target_sampling = options
        .target_sampling
        .then(|| offpolicy::target_sampling(model, &ws, &gradient, &options.shifts));
    let direction: Option<Vec<f64>> =
        (g2 > 0.0).then(|| gradient.iter().map(|g| g / g2.sqrt()).collect());
    let monte_carlo = options.monte_carlo.map(|(n, seed)| {
        let ones = vec![1.0; model.outcomes()];
        let on_policy = montecarlo::estimate(
            model,
            &ws,
            &montecarlo::Estimator {
                sample_from: &model.p,
                importance: &ones,
                exact_mean: &gradient,
                exact_trace: &trace,
                exact_weight_moments: None,
            },
            direction.as_deref(),
            &options.shifts,
            n,
            seed,
        );
        let off = off_policy.as_ref().zip(off_trace.as_ref());
        let off_policy = mu.as_ref().zip(off).map(|((_, mu), (o, off_trace))| {
            let rho: Vec<f64> = model
                .p
                .iter()
                .zip(mu)
                .map(|(p, m)| if *m > 0.0 { p / m } else { 0.0 })
                .collect();
            let mean: Vec<f64> = gradient.iter().zip(&o.bias).map(|(g, b)| g + b).collect();
            let covered = sum::sum(
                model
                    .p
                    .iter()
                    .zip(mu.iter())
                    .filter(|(_, m)| **m > 0.0)
                    .map(|(p, _)| *p),
            );
            montecarlo::estimate(
                model,
                &ws,
                &montecarlo::Estimator {
                    sample_from: mu,
                    importance: &rho,
                    exact_mean: &mean,
                    exact_trace: off_trace,
                    exact_weight_moments: Some((covered, covered * covered / o.ess_fraction)),
                },
                direction.as_deref(),
                &options.shifts,
                n,
                seed.wrapping_add(1),
            )
        });
        MonteCarlo {
            on_policy,
            off_policy,
        }
    });
    let mixture = if options.mixture_sweep {
        Some(offpolicy::mixture(
            model,
            &ws,
            &gradient,
            options.behaviour.as_ref(),
        )?)
    } else {
        None
    };
    let v0 = trace.at(0.0);
    Ok(Analysis {
        gradient_norm: g2.sqrt(),
        gradient,
        variance,
        optimal_shift: trace.optimal,
        variance_at_zero: v0,
        variance_at_optimal: trace.minimum,
        saving: ratio(v0, trace.minimum),
        snr_at_zero: ratio(g2, v0),
        snr_at_optimal: ratio(g2, trace.minimum),
        curvature: trace.curvature,
        canonical_shift: -g0 + 0.0,
        mixture,
        off_policy,
        target_sampling,
        monte_carlo,
    })
}

/// One input of a report: the text as typed and its pair.
#[derive(Clone, Debug)]
pub struct Input {
    /// The input as typed (the table's column heading).
    pub label: String,
    /// The pair derived from it.
    pub pair: Correspondence,
}

/// The weight `g′(t)` of a pair as an expression: the loss's derivative, or, for a generator
/// whose loss has no closed form, `g′(t) = e^t·f′(e^t) − f(e^t)`.
pub fn weight_expr(pair: &Correspondence) -> Result<Expr, Error> {
    if let Some(gp) = &pair.loss_derivative {
        return Ok(gp.clone());
    }
    let (Some(f), Some(fp)) = (&pair.divergence, &pair.divergence_derivative) else {
        return Err(Error::NoClosedForm(
            "the pair has neither g′(t) nor f(u) in closed form".into(),
        ));
    };
    let e_t = Expr::func(Func::Exp, Expr::sym(LOSS_VAR));
    Ok(simplify(
        &(e_t.clone() * fp.substitute(DIVERGENCE_VAR, &e_t) - f.substitute(DIVERGENCE_VAR, &e_t)),
    )?)
}

/// `lim_{t→−∞} g′(t) = −f(0+)`, the weight of an outcome the target gives no mass, when the
/// tails analysis decides it (`None` when undecided); an infinite limit is refused by
/// [`weights`].
fn weight_at_minus_infinity(pair: &Correspondence) -> Option<f64> {
    use crate::analysis::tails::{Limit, of_generator, of_loss};
    let tails = match (&pair.loss, &pair.divergence) {
        (Some(g), _) => of_loss(g).ok()?,
        (None, Some(f)) => of_generator(f).ok()?,
        (None, None) => return None,
    };
    match tails.f_at_0 {
        Limit::Finite(_, v) => Some(-v),
        Limit::PlusInfinity => Some(f64::NEG_INFINITY),
        Limit::MinusInfinity => Some(f64::INFINITY),
        Limit::Unknown(_) => None,
    }
}

/// One loss's part of a report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LossReport {
    /// The input as typed.
    pub input: String,
    /// `g′(t)` on `t = log q − log pθ`, as fcorr writes it.
    pub weight: String,
    /// The exact (and sampled) quantities.
    #[serde(flatten)]
    pub analysis: Analysis,
}

/// Two inputs that train the same divergence: `g′_b = g′_a + difference`, so their gradients
/// are equal and only the noise differs (the estimator of `b` at shift `c` is that of `a` at
/// `c + difference`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SameDivergence {
    /// The first input's index.
    pub a: usize,
    /// The second input's index.
    pub b: usize,
    /// The constant `g′_b − g′_a`.
    pub difference: f64,
    /// `exact` (the difference simplifies to a constant) or `numeric` (equal on the model's
    /// residuals and 41 points of [−4, 4] within 1e-9).
    pub method: &'static str,
}

/// The model as the report describes it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelSummary {
    /// K.
    pub outcomes: usize,
    /// `given`, or how it was generated.
    pub source: String,
    /// The residual the losses are written on.
    pub residual: &'static str,
}

/// The whole report: the model, each loss, and which train the same divergence.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The model.
    pub model: ModelSummary,
    /// One part per input, in order.
    pub losses: Vec<LossReport>,
    /// Pairs of inputs that train the same divergence.
    pub same_divergence: Vec<SameDivergence>,
    /// The options used.
    pub options: Options,
}

impl Serialize for Report {
    /// The first (or only) input's keys at the top level, so that a one-loss report reads
    /// `gradient`, `variance`, `off_policy`, …; then `model`, every input under `losses`, and
    /// `same_divergence`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Wire<'a> {
            #[serde(flatten)]
            first: Option<&'a LossReport>,
            setting: &'static str,
            model: &'a ModelSummary,
            losses: &'a [LossReport],
            same_divergence: &'a [SameDivergence],
        }
        Wire {
            first: self.losses.first(),
            setting: SETTING,
            model: &self.model,
            losses: &self.losses,
            same_divergence: &self.same_divergence,
        }
        .serialize(s)
    }
}

/// The setting in one line, as every format states it.
pub const SETTING: &str = "pθ = softmax(θ), t = log q − log pθ, s = e_x − pθ, w = g′(t); ∇θ D_f(q‖pθ) = −E_pθ[w·s]; estimator −(w + c)·s with x ∼ pθ, or −ρ(w + c)·s with x ∼ μ, ρ = pθ/μ; V(c) = E‖estimator‖² − ‖its mean‖²";

/// Analyse every input on one model, and find the inputs that train the same divergence.
pub fn variance(
    inputs: &[Input],
    model: &Model,
    source: String,
    options: &Options,
) -> Result<Report, Error> {
    if inputs.is_empty() {
        return Err(Error::Input(
            "nothing to analyse\n  = help: give `--from-loss EXPR` or `--from-divergence EXPR`"
                .into(),
        ));
    }
    let none = Params::new();
    let mut losses = Vec::with_capacity(inputs.len());
    let mut exprs = Vec::with_capacity(inputs.len());
    for input in inputs {
        let e = weight_expr(&input.pair)?;
        let program = compile(&e, LOSS_VAR, &none)?;
        // An outcome with `q = 0` has `t = −∞`: its weight is the limit there, not a value.
        let at_minus_infinity = weight_at_minus_infinity(&input.pair).unwrap_or(f64::NAN);
        let w = |t: f64| {
            if t == f64::NEG_INFINITY {
                at_minus_infinity
            } else {
                program.eval(t)
            }
        };
        let analysis = analyze(&w, model, options)?;
        losses.push(LossReport {
            input: input.label.clone(),
            weight: crate::print::plain(&e),
            analysis,
        });
        exprs.push((e, program));
    }
    let mut same_divergence = Vec::new();
    for a in 0..exprs.len() {
        for b in a + 1..exprs.len() {
            if let Some(found) = same(&exprs[a], &exprs[b], model, a, b)? {
                same_divergence.push(found);
            }
        }
    }
    Ok(Report {
        model: ModelSummary {
            outcomes: model.outcomes(),
            source,
            residual: inputs[0].pair.residual.name(),
        },
        losses,
        same_divergence,
        options: options.clone(),
    })
}

/// Whether two weights differ by a constant: exactly when their difference simplifies to a
/// number, numerically when it is constant on the model's residuals and a grid.
fn same(
    (ea, pa): &(Expr, crate::eval::Compiled),
    (eb, pb): &(Expr, crate::eval::Compiled),
    model: &Model,
    a: usize,
    b: usize,
) -> Result<Option<SameDivergence>, Error> {
    let d = simplify(&(eb.clone() - ea.clone()))?;
    if d.symbols().is_empty() {
        let difference = crate::eval::eval_constant(&d, &Params::new())?;
        return Ok(Some(SameDivergence {
            a,
            b,
            difference,
            method: "exact",
        }));
    }
    let difference = pb.eval(0.0) - pa.eval(0.0);
    let grid = (0..=40).map(|i| -4.0 + 0.2 * f64::from(i));
    let finite_t = model.t.iter().copied().filter(|t| t.is_finite());
    let constant = grid.chain(finite_t).all(|t| {
        let (va, vb) = (pa.eval(t), pb.eval(t));
        (vb - va - difference).abs() <= 1e-9 * va.abs().max(vb.abs()).max(1.0)
    });
    Ok(constant.then_some(SameDivergence {
        a,
        b,
        difference,
        method: "numeric",
    }))
}

#[cfg(test)]
mod tests;

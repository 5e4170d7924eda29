//! The gradient theorem, checked exactly on random categorical models.
//!
//! The model is `pθ = softmax(θ)` and the target `q = softmax(φ)` over `K` categories, with
//! residual `t(x) = log q(x) − log pθ(x)` and ratio `u(x) = q(x)/pθ(x) = e^{t(x)}`. Both sides of
//! the theorem are finite sums over the `K` categories, so they are computed exactly (no
//! sampling, no finite differences) and a correct pair agrees to rounding error.
//!
//! # Formulas
//!
//! Softmax gives `∂ log pθ(x)/∂θ_j = δ_xj − pθ(j)` and `∂ log q(x)/∂φ_j = δ_xj − q(j)`, hence
//! `∂t(x)/∂θ_j = −(δ_xj − pθ(j))` and `∂t(x)/∂φ_j = δ_xj − q(j)`.
//!
//! **Loss side.** Samples come from `s ∈ {pθ, q}`, held fixed (stop-gradient), so only `t` is
//! differentiated. With the per-sample weight `w(x) = g'(t(x))` and `S = Σ_x s(x) w(x)`:
//!
//! - model parameters: `∇_θj Σ_x s(x) g(t(x)) = pθ(j)·S − s(j)·w(j)`
//! - target parameters: `∇_φj Σ_x s(x) g(t(x)) = s(j)·w(j) − q(j)·S`
//!
//! **Divergence side.** `D_f(q‖pθ) = Σ_x pθ(x) f(u(x))`, differentiated fully.
//!
//! - model parameters: `∂pθ(x)/∂θ_j = pθ(x)(δ_xj − pθ(j))` and `∂u(x)/∂θ_j = −u(x)(δ_xj − pθ(j))`,
//!   so with `h(u) = f(u) − u f'(u)`: `∇_θj D_f = pθ(j)·( h(u(j)) − Σ_x pθ(x) h(u(x)) )`.
//! - target parameters: only `u` depends on `φ`, `∂u(x)/∂φ_j = u(x)(δ_xj − q(j))` and
//!   `pθ(x) u(x) = q(x)`, so `∇_φj D_f = q(j)·( f'(u(j)) − Σ_x q(x) f'(u(x)) )`.
//!
//! **Why they agree** ([`Regime`], Hu et al. 2025 Thm B.1). On-policy for `θ` the two sides match
//! exactly when `g'(ln u) = u f'(u) − f(u) = −h(u)`, the identity of the transform pair `f₁`.
//! Sampling `pθ` and differentiating `φ` needs `u f'(u) = g'(ln u)`, i.e. `f₂(u) = g(ln u)`;
//! sampling `q` and differentiating `θ` needs `h(u) = −u g'(ln u)`, i.e. `f₃(u) = u g(ln u)`;
//! sampling `q` and differentiating `φ` needs `f'(u) = g'(ln u)`, i.e. `f₄(u) = ∫_1^u g'(ln s) ds`.
//! No regime needs `g` itself, only `g'`.
//!
//! # Error measure
//!
//! For one model, with loss gradient `a` and divergence gradient `b`, the error of coordinate `j`
//! is `|a_j − b_j| / max(|a_j|, |b_j|, ‖a‖∞, ‖b‖∞, 1e-6·Σ(pθ + q)|g'|)`: the floor is the larger
//! infinity norm (or, for gradients that cancel to nothing, the size of the summed terms), so
//! coordinates near zero are measured against the size of the whole gradient and cannot blow up.
//! A model whose scale is below [`NEGLIGIBLE_SCALE`] (both gradients and their terms zero, or
//! lost to underflow) compares nothing and is left out; when every model is left out, nothing
//! was tested and the relative noise is `∞`, so the check is [`Verdict::Inconclusive`], never
//! a success resting on `0 = 0`.
//!
//! # Noise
//!
//! The numbers a [`Pair`] returns have errors: rounding ([`VALUE_ROUNDING`] of each value) and,
//! for numeric sides, what [`Pair::error`] states (a quadrature's error estimate, a finite
//! difference's truncation and round-off). Carried through the formulas above as absolute
//! bounds, with `Δw = Δg'` and `Δh = Δf + u·Δf'`, they give each coordinate a noise
//! `s_j Δw_j + b_j Σ s Δw + r_j (Δk_j + Σ r Δk)`, measured on the same scale as the error.
//! [`GradientCheck::verdict`] fails a pair only where a difference is above the tolerance and
//! [`NOISE_MARGIN`] times its noise, and proves it only when the noise, too, is within the
//! tolerance; otherwise it is [`Verdict::Inconclusive`].

use std::f64::consts::TAU;

/// The largest number of categories [`check`] accepts.
pub const MAX_CATEGORIES: usize = 1 << 16;

/// A loss–divergence pair as plain functions, the input of [`check`].
///
/// `g_prime` is `g'(t)` on the residual `t = log q − log pθ`; `f` and `f_prime` are the divergence
/// generator `f(u)` and its derivative `f'(u)` on the ratio `u = q/pθ`.
#[derive(Clone, Copy)]
pub struct Pair<'a> {
    /// The loss derivative `g'(t)`.
    pub g_prime: &'a dyn Fn(f64) -> f64,
    /// The generator `f(u)` of `D_f(q‖pθ)`.
    pub f: &'a dyn Fn(f64) -> f64,
    /// The generator's derivative `f'(u)`.
    pub f_prime: &'a dyn Fn(f64) -> f64,
    /// An estimate of the absolute error of each value the functions return, beyond rounding
    /// (a quadrature's error estimate, a finite difference's truncation and round-off); `None`
    /// when the values are accurate to rounding.
    pub error: Option<&'a dyn Fn(Function, f64) -> f64>,
}

/// One of the functions of a [`Pair`], to ask for the error of its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Function {
    /// `g'(t)`.
    GPrime,
    /// `f(u)`.
    F,
    /// `f'(u)`.
    FPrime,
}

impl std::fmt::Debug for Pair<'_> {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        out.write_str("Pair { g_prime, f, f_prime }")
    }
}

/// Who draws the samples and whose parameters are differentiated (Hu et al. 2025, Thm B.1).
///
/// The divergence is `D_f(q‖pθ)` in every regime; the generator that makes the theorem hold
/// changes with the regime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Regime {
    /// Samples from `pθ`, gradient w.r.t. `θ` (on-policy): `f₁(u) = u ∫_1^u g'(ln s)/s² ds`.
    #[default]
    ModelSamplesModelGradient,
    /// Samples from `pθ`, gradient w.r.t. `φ` (a learned target): `f₂(u) = g(ln u)`.
    ModelSamplesTargetGradient,
    /// Samples from `q`, gradient w.r.t. `θ`: `f₃(u) = u g(ln u)`.
    TargetSamplesModelGradient,
    /// Samples from `q`, gradient w.r.t. `φ`: `f₄(u) = ∫_1^u g'(ln s) ds`.
    TargetSamplesTargetGradient,
}

impl Regime {
    /// The four regimes in the order of Hu et al. 2025, Thm B.1.
    pub const ALL: [Regime; 4] = [
        Regime::ModelSamplesModelGradient,
        Regime::ModelSamplesTargetGradient,
        Regime::TargetSamplesModelGradient,
        Regime::TargetSamplesTargetGradient,
    ];

    /// Whether samples are drawn from the model `pθ` (otherwise from the target `q`).
    pub fn samples_from_model(self) -> bool {
        matches!(
            self,
            Regime::ModelSamplesModelGradient | Regime::ModelSamplesTargetGradient
        )
    }

    /// Whether the gradient is taken w.r.t. the model logits `θ` (otherwise the target logits `φ`).
    pub fn differentiates_model(self) -> bool {
        matches!(
            self,
            Regime::ModelSamplesModelGradient | Regime::TargetSamplesModelGradient
        )
    }
}

/// How [`check`] draws its random models.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckOptions {
    /// Number of categories `K` (at least 2, at most [`MAX_CATEGORIES`]).
    pub categories: usize,
    /// One random model per seed; the same seed always gives the same model.
    pub seeds: Vec<u64>,
    /// Standard deviation of the logits of `θ` and `φ` (finite, positive). At 1 the ratio `u`
    /// spans roughly `e^{±3}`.
    pub logit_scale: f64,
    /// Who samples and whose parameters are differentiated.
    pub regime: Regime,
}

impl Default for CheckOptions {
    /// Eight categories, five fixed seeds, logit scale 1, on-policy.
    fn default() -> Self {
        CheckOptions {
            categories: 8,
            seeds: vec![1, 2, 3, 4, 5],
            logit_scale: 1.0,
            regime: Regime::default(),
        }
    }
}

/// The coordinate where the two gradients disagree most, relative to their size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Worst {
    /// Seed of the model.
    pub seed: u64,
    /// Index `j` of the logit (`θ_j` or `φ_j`, by regime).
    pub coordinate: usize,
    /// The loss-side gradient at that coordinate.
    pub loss_gradient: f64,
    /// The divergence-side gradient at that coordinate.
    pub divergence_gradient: f64,
    /// Its relative error (see the module docs).
    pub rel_error: f64,
}

/// The outcome of [`check`]: how far apart the two sides of the gradient theorem are.
#[derive(Debug, Clone, PartialEq)]
pub struct GradientCheck {
    /// Largest relative error over all models and coordinates (see the module docs).
    pub max_rel_error: f64,
    /// Largest absolute difference `|a_j − b_j|` over all models and coordinates.
    pub max_abs_error: f64,
    /// Largest noise of the difference, relative to the same scale as `max_rel_error`: how far
    /// apart the two gradients may be from the errors of the numbers alone (see the module docs).
    pub max_rel_noise: f64,
    /// Largest relative error among the coordinates whose difference exceeds [`NOISE_MARGIN`]
    /// times their own noise (0 when none does): the evidence a failure can rest on.
    pub max_rel_error_beyond_noise: f64,
    /// Number of random models checked.
    pub models: usize,
    /// Number of categories of each model.
    pub categories: usize,
    /// Where the relative error is largest.
    pub worst: Worst,
}

/// What a check can say, given the noise of its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The difference is within the tolerance, and the noise is below it too.
    Holds,
    /// The difference exceeds the tolerance and is well above its noise.
    Fails,
    /// The difference is within the noise of the numbers, and the noise is not below the
    /// tolerance: the check can neither confirm nor refute.
    Inconclusive,
}

/// How many times its noise a difference must be before it counts as a failure.
pub const NOISE_MARGIN: f64 = 10.0;

impl GradientCheck {
    /// Whether the largest relative error is at most `tolerance`.
    pub fn passes(&self, tolerance: f64) -> bool {
        self.max_rel_error <= tolerance
    }

    /// The verdict at `tolerance`: [`Verdict::Fails`] needs a coordinate beyond the tolerance
    /// and beyond [`NOISE_MARGIN`] times its noise; [`Verdict::Holds`] needs both the error and
    /// the noise within the tolerance; anything else is [`Verdict::Inconclusive`].
    pub fn verdict(&self, tolerance: f64) -> Verdict {
        if self.max_rel_error_beyond_noise > tolerance {
            Verdict::Fails
        } else if self.max_rel_error <= tolerance && self.max_rel_noise <= tolerance {
            Verdict::Holds
        } else {
            Verdict::Inconclusive
        }
    }
}

/// Both sides of the gradient theorem for one random model, for reporting and debugging.
#[derive(Debug, Clone, PartialEq)]
pub struct Gradients {
    /// Seed of the model.
    pub seed: u64,
    /// The model distribution `pθ`.
    pub model: Vec<f64>,
    /// The target distribution `q`.
    pub target: Vec<f64>,
    /// The loss-side gradient (sampling held fixed).
    pub loss: Vec<f64>,
    /// The divergence-side gradient `∇ D_f(q‖pθ)`.
    pub divergence: Vec<f64>,
}

/// Why a check could not produce a number.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CheckError {
    /// A user function returned NaN or ±∞.
    #[error("{function} is not finite at {argument} (model seed {seed}): got {value}")]
    NonFinite {
        /// Which function: `g'(t)`, `f(u)` or `f'(u)`.
        function: &'static str,
        /// The argument `t` or `u` it was evaluated at.
        argument: f64,
        /// What it returned.
        value: f64,
        /// Seed of the model.
        seed: u64,
    },
    /// The functions were finite but a gradient overflowed.
    #[error("the {side} gradient is not finite at coordinate {coordinate} (model seed {seed})")]
    NonFiniteGradient {
        /// `loss` or `divergence`.
        side: &'static str,
        /// Index of the logit.
        coordinate: usize,
        /// Seed of the model.
        seed: u64,
    },
    /// The options cannot describe a model.
    #[error("invalid check options: {reason}")]
    InvalidOptions {
        /// What is wrong, in words.
        reason: &'static str,
    },
}

/// Checks the gradient theorem for `pair` on the random models of `opts`.
///
/// For each seed, compares the loss-side gradient (samples held fixed) with the gradient of
/// `D_f(q‖pθ)`, both w.r.t. the parameters the regime names. A correct pair gives
/// `max_rel_error` near `1e-15`; anything above `1e-9` means the pair is wrong.
///
/// # Errors
/// [`CheckError::InvalidOptions`] for bad options (including a logit scale so large that some
/// ratio `q/pθ` overflows), [`CheckError::NonFinite`] when `g'`, `f` or
/// `f'` returns NaN or ±∞ at a point the models reach, [`CheckError::NonFiniteGradient`] when a
/// gradient overflows.
pub fn check(pair: &Pair, opts: &CheckOptions) -> Result<GradientCheck, CheckError> {
    check_with(pair, opts, &|seed| gradients(pair, opts, seed))
}

/// [`check`], with each seed's gradients from `gradients_of` (what [`gradients`] gives for
/// `pair` and `opts`, perhaps remembered from an earlier check of the same pair).
pub(crate) fn check_with(
    pair: &Pair,
    opts: &CheckOptions,
    gradients_of: &dyn Fn(u64) -> Result<Gradients, CheckError>,
) -> Result<GradientCheck, CheckError> {
    validate(opts)?;
    let mut result = GradientCheck {
        max_rel_error: 0.0,
        max_abs_error: 0.0,
        max_rel_noise: 0.0,
        max_rel_error_beyond_noise: 0.0,
        models: opts.seeds.len(),
        categories: opts.categories,
        worst: Worst {
            seed: opts.seeds[0],
            coordinate: 0,
            loss_gradient: 0.0,
            divergence_gradient: 0.0,
            rel_error: 0.0,
        },
    };
    let mut first = true;
    let mut compared = false;
    for &seed in &opts.seeds {
        let grads = gradients_of(seed)?;
        // The size of the terms the gradients are sums of: a pair whose gradients cancel to
        // rounding noise (g = t, f = u − 1) is compared against it rather than against noise.
        let terms: f64 = grads
            .model
            .iter()
            .zip(&grads.target)
            .map(|(p, q)| (p + q) * (pair.g_prime)((q / p).ln()).abs())
            .sum();
        let scale = inf_norm(&grads.loss)
            .max(inf_norm(&grads.divergence))
            .max(TERM_FLOOR * terms);
        let noise = noise(pair, opts, seed)?;
        let measured = scale >= NEGLIGIBLE_SCALE;
        compared |= measured;
        for (j, (&a, &b)) in grads.loss.iter().zip(&grads.divergence).enumerate() {
            let abs = (a - b).abs();
            result.max_abs_error = result.max_abs_error.max(abs);
            if !measured {
                continue;
            }
            let rel = abs / scale;
            let n = noise.get(j).copied().unwrap_or(f64::INFINITY);
            let rel_noise = n / scale;
            result.max_rel_noise = result.max_rel_noise.max(rel_noise);
            if abs > NOISE_MARGIN * n {
                result.max_rel_error_beyond_noise = result.max_rel_error_beyond_noise.max(rel);
            }
            if first || rel > result.max_rel_error {
                first = false;
                result.max_rel_error = rel;
                result.worst = Worst {
                    seed,
                    coordinate: j,
                    loss_gradient: a,
                    divergence_gradient: b,
                    rel_error: rel,
                };
            }
        }
    }
    if !compared {
        result.max_rel_noise = f64::INFINITY;
    }
    Ok(result)
}

/// Both gradients of the theorem for the single model drawn from `seed` (with `opts.categories`,
/// `opts.logit_scale` and `opts.regime`; `opts.seeds` is ignored).
///
/// # Errors
/// As [`check`].
pub fn gradients(pair: &Pair, opts: &CheckOptions, seed: u64) -> Result<Gradients, CheckError> {
    validate_model(opts)?;
    let (theta, phi) = random_logits(opts.categories, opts.logit_scale, seed);
    let model = Model::new(&theta, &phi);
    if model.t.iter().any(|t| !t.exp().is_finite()) {
        return Err(CheckError::InvalidOptions {
            reason: "the logit scale is too large: the ratio q/pθ overflows",
        });
    }
    let loss = loss_gradient(pair.g_prime, &model, opts.regime, seed)?;
    let divergence = divergence_gradient(pair, &model, opts.regime, seed)?;
    finite("loss", &loss, seed)?;
    finite("divergence", &divergence, seed)?;
    Ok(Gradients {
        seed,
        model: model.p,
        target: model.q,
        loss,
        divergence,
    })
}

fn validate(opts: &CheckOptions) -> Result<(), CheckError> {
    if opts.seeds.is_empty() {
        return Err(CheckError::InvalidOptions {
            reason: "at least one seed is needed",
        });
    }
    validate_model(opts)
}

fn validate_model(opts: &CheckOptions) -> Result<(), CheckError> {
    if opts.categories < 2 || opts.categories > MAX_CATEGORIES {
        return Err(CheckError::InvalidOptions {
            reason: "the number of categories must be between 2 and 65536",
        });
    }
    if !(opts.logit_scale.is_finite() && opts.logit_scale > 0.0) {
        return Err(CheckError::InvalidOptions {
            reason: "the logit scale must be finite and positive",
        });
    }
    Ok(())
}

fn finite(side: &'static str, gradient: &[f64], seed: u64) -> Result<(), CheckError> {
    match gradient.iter().position(|v| !v.is_finite()) {
        Some(coordinate) => Err(CheckError::NonFiniteGradient {
            side,
            coordinate,
            seed,
        }),
        None => Ok(()),
    }
}

/// The relative error assumed for every value a [`Pair`] returns, beyond its stated error: a
/// few ulps of the compiled evaluation.
pub const VALUE_ROUNDING: f64 = 64.0 * f64::EPSILON;

/// How far apart the two gradients of model `seed` may be from the errors of the numbers alone,
/// per coordinate: each value's stated error ([`Pair::error`]) plus [`VALUE_ROUNDING`] of its
/// size, carried through the formulas of the module docs as absolute bounds.
fn noise(pair: &Pair, opts: &CheckOptions, seed: u64) -> Result<Vec<f64>, CheckError> {
    let (theta, phi) = random_logits(opts.categories, opts.logit_scale, seed);
    let model = Model::new(&theta, &phi);
    let stated = |which: Function, x: f64| -> f64 { pair.error.map_or(0.0, |e| e(which, x)).abs() };
    // Loss side: a_j = ±(s_j w_j − b_j Σ s w) with w = g'(t).
    let mut w = Vec::with_capacity(model.t.len());
    let mut dw = Vec::with_capacity(model.t.len());
    for &t in &model.t {
        let v = eval(pair.g_prime, "g'(t)", t, seed)?;
        w.push(v.abs());
        dw.push(stated(Function::GPrime, t) + VALUE_ROUNDING * v.abs());
    }
    let s = model.sampler(opts.regime);
    let base = if opts.regime.differentiates_model() {
        &model.p
    } else {
        &model.q
    };
    let (sum_w, sum_dw) = (dot(s, &w), dot(s, &dw));
    // Divergence side: b_j = r_j (k_j − Σ r k), with k = f − u f' (model) or f' (target).
    let mut k = Vec::with_capacity(model.t.len());
    let mut dk = Vec::with_capacity(model.t.len());
    for &t in &model.t {
        let u = t.exp();
        let fp = eval(pair.f_prime, "f'(u)", u, seed)?;
        let dfp = stated(Function::FPrime, u) + VALUE_ROUNDING * fp.abs();
        if opts.regime.differentiates_model() {
            let f = eval(pair.f, "f(u)", u, seed)?;
            let df = stated(Function::F, u) + VALUE_ROUNDING * f.abs();
            k.push(f.abs() + u * fp.abs());
            dk.push(df + u * dfp + VALUE_ROUNDING * (f.abs() + u * fp.abs()));
        } else {
            k.push(fp.abs());
            dk.push(dfp);
        }
    }
    let r = if opts.regime.differentiates_model() {
        &model.p
    } else {
        &model.q
    };
    let (sum_k, sum_dk) = (dot(r, &k), dot(r, &dk));
    Ok((0..model.t.len())
        .map(|j| {
            let loss =
                s[j] * dw[j] + base[j] * sum_dw + VALUE_ROUNDING * (s[j] * w[j] + base[j] * sum_w);
            let divergence = r[j] * (dk[j] + sum_dk) + VALUE_ROUNDING * r[j] * (k[j] + sum_k);
            loss + divergence
        })
        .collect())
}

/// The floor of the relative error's denominator, as a fraction of the size of the summed
/// terms `Σ (pθ(x) + q(x))·|g'(t(x))|`.
pub const TERM_FLOOR: f64 = 1e-6;

/// The smallest scale a comparison measures anything on: the smallest normal `f64`. Below it
/// the gradients are zero or lost to underflow (`g'` of `log(cosh(…))` nested 15 deep is `0`
/// on every model), a value has no relative precision, and `0` against `0` tests nothing.
pub const NEGLIGIBLE_SCALE: f64 = f64::MIN_POSITIVE;

fn inf_norm(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Evaluates `function` at `argument`, refusing NaN and ±∞.
fn eval(
    function: &dyn Fn(f64) -> f64,
    name: &'static str,
    argument: f64,
    seed: u64,
) -> Result<f64, CheckError> {
    let value = function(argument);
    if value.is_finite() {
        Ok(value)
    } else {
        Err(CheckError::NonFinite {
            function: name,
            argument,
            value,
            seed,
        })
    }
}

/// A model–target pair of softmax distributions with everything the formulas need.
#[derive(Debug, Clone)]
struct Model {
    p: Vec<f64>,
    q: Vec<f64>,
    /// `t(x) = log q(x) − log pθ(x)`, from log-softmax so it is accurate for tiny probabilities.
    t: Vec<f64>,
}

impl Model {
    fn new(theta: &[f64], phi: &[f64]) -> Model {
        let log_p = log_softmax(theta);
        let log_q = log_softmax(phi);
        let t = log_q.iter().zip(&log_p).map(|(lq, lp)| lq - lp).collect();
        Model {
            p: log_p.iter().map(|v| v.exp()).collect(),
            q: log_q.iter().map(|v| v.exp()).collect(),
            t,
        }
    }

    fn sampler(&self, regime: Regime) -> &[f64] {
        if regime.samples_from_model() {
            &self.p
        } else {
            &self.q
        }
    }
}

fn log_softmax(logits: &[f64]) -> Vec<f64> {
    let max = logits.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v));
    let sum: f64 = logits.iter().map(|v| (v - max).exp()).sum();
    let lse = max + sum.ln();
    logits.iter().map(|v| v - lse).collect()
}

/// `∇ Σ_x s(x) g(t(x))` with the sampling weights `s` held fixed (see the module docs).
fn loss_gradient(
    g_prime: &dyn Fn(f64) -> f64,
    model: &Model,
    regime: Regime,
    seed: u64,
) -> Result<Vec<f64>, CheckError> {
    let w = model
        .t
        .iter()
        .map(|&t| eval(g_prime, "g'(t)", t, seed))
        .collect::<Result<Vec<f64>, _>>()?;
    let s = model.sampler(regime);
    let total = dot(s, &w);
    let (base, sign) = if regime.differentiates_model() {
        (&model.p, -1.0)
    } else {
        (&model.q, 1.0)
    };
    Ok(s.iter()
        .zip(&w)
        .zip(base)
        .map(|((s_j, w_j), b_j)| sign * (s_j * w_j - b_j * total))
        .collect())
}

/// `∇ D_f(q‖pθ) = ∇ Σ_x pθ(x) f(q(x)/pθ(x))`, fully differentiated (see the module docs).
fn divergence_gradient(
    pair: &Pair,
    model: &Model,
    regime: Regime,
    seed: u64,
) -> Result<Vec<f64>, CheckError> {
    let (weights, terms) = if regime.differentiates_model() {
        let h = model
            .t
            .iter()
            .map(|&t| {
                let u = t.exp();
                let f = eval(pair.f, "f(u)", u, seed)?;
                let f_prime = eval(pair.f_prime, "f'(u)", u, seed)?;
                Ok(f - u * f_prime)
            })
            .collect::<Result<Vec<f64>, CheckError>>()?;
        (&model.p, h)
    } else {
        let k = model
            .t
            .iter()
            .map(|&t| eval(pair.f_prime, "f'(u)", t.exp(), seed))
            .collect::<Result<Vec<f64>, _>>()?;
        (&model.q, k)
    };
    let mean = dot(weights, &terms);
    Ok(weights
        .iter()
        .zip(&terms)
        .map(|(w_j, h_j)| w_j * (h_j - mean))
        .collect())
}

/// Logits `θ` and `φ` of one model: `2K` normal draws times `scale`, from `seed` alone.
fn random_logits(categories: usize, scale: f64, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut rng = SplitMix64(seed);
    let theta = (0..categories).map(|_| scale * rng.normal()).collect();
    let phi = (0..categories).map(|_| scale * rng.normal()).collect();
    (theta, phi)
}

/// Steele, Lea and Flood's splitmix64: tiny, deterministic and good enough for test models.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform on `(0, 1]`, never zero so its logarithm is finite.
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Standard normal by Box–Muller (the cosine branch only).
    fn normal(&mut self) -> f64 {
        let radius = (-2.0 * self.uniform().ln()).sqrt();
        radius * (TAU * self.uniform()).cos()
    }
}

#[cfg(test)]
mod tests;

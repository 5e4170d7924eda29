//! The reward: `R(x) = f'(v)` with `v = pθ/q` for `D_f(pθ‖q)` (the f-policy-gradient form, Agarwal et al. 2023), so that
//! `∇θ D_f(pθ‖q) = E_pθ[f'(pθ/q)·∇θ log pθ]`. This pair's divergence is
//! `D_f(q‖pθ) = D_{f◇}(pθ‖q)` with `f◇(v) = v·f(1/v)`, so the reward that trains it is
//! `(f◇)'(v) = f(1/v) − f'(1/v)/v`; the loss's per-sample weight is `g'(t)`.
//!
//! The reward form is verified on the random softmax models: the policy-gradient sum
//! `Σ_x pθ(x)·R(x)·∇θ log pθ(x)` against central differences of `D_f(q‖pθ)` in `θ`.

use super::noise::Verdicts;
use crate::Error;
use crate::check::{CheckOptions, Function, VALUE_ROUNDING, Verdict};
use crate::expr::{DIVERGENCE_VAR, Expr, Func, LOSS_VAR};
use crate::simplify::{complexity, simplify};
use crate::transform::Correspondence;
use crate::transform::numeric::with_functions_and_gradients;

/// The reward of a pair.
#[derive(Clone, Debug, PartialEq)]
pub struct Reward {
    /// `f'(u)`, the reward for `D_f(pθ‖q)` with `u = pθ/q` (closed form when `f` is).
    pub f_prime: Option<Expr>,
    /// `(f◇)'(v) = f(1/v) − f'(1/v)/v` in the variable `u` standing for `v = pθ/q`: the reward
    /// that trains this pair's `D_f(q‖pθ)`.
    pub dual_reward: Option<Expr>,
    /// `g'(t)`, the loss's per-sample weight.
    pub weight: Option<Expr>,
    /// The largest relative difference between the policy-gradient form and central
    /// differences of the divergence.
    pub max_rel_error: f64,
    /// The largest difference the errors of the numbers alone could cause, on the same scale
    /// (see [`reward`]).
    pub max_rel_noise: f64,
    /// `holds` (within [`REWARD_TOLERANCE`], and so is the noise), `fails` (beyond the tolerance
    /// and [`crate::check::NOISE_MARGIN`] times the noise) or `inconclusive`.
    pub verdict: Verdict,
}

/// The relative difference below which the reward form counts as verified.
pub const REWARD_TOLERANCE: f64 = 1e-6;

/// The step of the central differences in `θ`: truncation ~`h²` and rounding ~`ε/h` both stay
/// near 1e-10 relative at `h = 1e-5`.
const STEP: f64 = 1e-5;

/// The reward of `pair`, with the reward form of the gradient verified.
///
/// The difference at logit `j` is measured against `max(‖policy‖∞, 1e-6·Σ pθ|R|)` (the
/// gradient, or for gradients that cancel the size of the summed terms), and so is its noise:
/// `pθ(j)(ΔR_j + Σ pθ ΔR)` on the policy side, with `ΔR = Δf + u·Δf'` from the pair's stated
/// errors plus rounding, and `Σ pθ (Δf + 64ε|f|)/h` for the central difference.
pub fn reward(pair: &Correspondence, opts: &CheckOptions) -> Result<Reward, Error> {
    with_dual_reward(dual_reward(pair), numbers(pair, opts))
}

/// The reward from its two parts, which may be computed apart (on two threads): the dual
/// reward's error first, as [`reward`] reports it.
pub(crate) fn with_dual_reward(
    dual_reward: Result<Option<Expr>, Error>,
    numbers: Result<Reward, Error>,
) -> Result<Reward, Error> {
    let dual_reward = dual_reward?;
    Ok(Reward {
        dual_reward,
        ..numbers?
    })
}

/// `(f◇)'(v) = f(1/v) − f'(1/v)/v` in closed form, when `f` and `f'` are, or when `g'` is.
///
/// Since `g'(ln u) = u·f'(u) − f(u)`, the same function is `−g'(−ln v)`: the loss's weight read
/// at `t = −ln v`. Where both sides are closed, the two forms are compared at three points and
/// the simpler is kept (`log(cosh(t))`: `tanh(log(v))` rather than
/// `1 - 2/(v^2*(1 + 1/v^2))`; total variation: `sign(log(v))/2`); where only `g'` is closed (a
/// numeric generator), the loss's form is the closed form.
pub(crate) fn dual_reward(pair: &Correspondence) -> Result<Option<Expr>, Error> {
    let by_f = match (&pair.divergence, &pair.divergence_derivative) {
        (Some(f), Some(fp)) => {
            let v = Expr::sym(DIVERGENCE_VAR);
            let inv = v.clone().recip();
            Some(simplify(
                &(f.substitute(DIVERGENCE_VAR, &inv) - fp.substitute(DIVERGENCE_VAR, &inv) / v),
            )?)
        }
        _ => None,
    };
    let by_g = pair.loss_derivative.as_ref().and_then(|gp| {
        let at = -Expr::func(Func::Log, Expr::sym(DIVERGENCE_VAR));
        simplify(&in_powers_of_u(
            &simplify(&-gp.substitute(LOSS_VAR, &at)).ok()?,
        ))
        .ok()
    });
    Ok(match (by_f, by_g) {
        (Some(f), Some(g)) if complexity(&g) < complexity(&f) && same_values(&f, &g) => Some(g),
        (None, Some(g)) if pair.divergence.is_none() => Some(g),
        (f, _) => f,
    })
}

/// `e` with the hyperbolic and logistic functions of `±log(u)` written in powers of `u`
/// (`u > 0`): `sigmoid(log(u)) = u/(u + 1)`, `sigmoid(-log(u)) = 1/(u + 1)`,
/// `tanh(log(u)) = (u^2 - 1)/(u^2 + 1)`, `cosh(log(u)) = (u + 1/u)/2`,
/// `sinh(log(u)) = (u - 1/u)/2`, `softplus(±log(u)) = log(1 + u^{±1})`.
fn in_powers_of_u(e: &Expr) -> Expr {
    let u = Expr::sym(DIVERGENCE_VAR);
    let log_u = Expr::func(Func::Log, u.clone());
    let one = || Expr::int(1);
    let half = || Expr::num(num_rational::BigRational::new(1.into(), 2.into()));
    match e {
        Expr::Func(f, a) if **a == log_u || **a == -log_u.clone() => {
            // `w = u^{±1}`, so that every function of `±log(u)` is one of `log(w)`.
            let up = **a == log_u;
            let w = if up { u.clone() } else { u.clone().recip() };
            let u2 = || Expr::pow(u.clone(), Expr::int(2));
            match f {
                Func::Sigmoid if up => u.clone() * (u + one()).recip(),
                Func::Sigmoid => (u + one()).recip(),
                Func::Tanh if up => (u2() - one()) * (u2() + one()).recip(),
                Func::Tanh => (one() - u2()) * (u2() + one()).recip(),
                Func::Cosh => half() * (w.clone() + w.recip()),
                Func::Sinh => half() * (w.clone() - w.recip()),
                Func::Softplus => Expr::func(Func::Log, one() + w),
                _ => e.clone(),
            }
        }
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => e.clone(),
        Expr::Add(xs) => Expr::add(xs.iter().map(in_powers_of_u).collect()),
        Expr::Mul(xs) => Expr::mul(xs.iter().map(in_powers_of_u).collect()),
        Expr::Pow(b, x) => Expr::pow(in_powers_of_u(b), in_powers_of_u(x)),
        Expr::Func(f, a) => Expr::func(*f, in_powers_of_u(a)),
        Expr::Func2(f, a, b) => Expr::func2(*f, in_powers_of_u(a), in_powers_of_u(b)),
    }
}

/// Whether `a` and `b`, in `u`, agree to 1e-9 relative at three points on both sides of 1.
fn same_values(a: &Expr, b: &Expr) -> bool {
    let params = crate::eval::Params::new();
    let (Ok(a), Ok(b)) = (
        crate::eval::compile(a, DIVERGENCE_VAR, &params),
        crate::eval::compile(b, DIVERGENCE_VAR, &params),
    ) else {
        return false;
    };
    [0.37, 1.9, 7.3].iter().all(|&u| {
        let (x, y) = (a.eval(u), b.eval(u));
        x.is_finite() && y.is_finite() && (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0)
    })
}

/// The numbers of [`reward`], with `dual_reward` left `None`.
pub(crate) fn numbers(pair: &Correspondence, opts: &CheckOptions) -> Result<Reward, Error> {
    let (numbers, failure) =
        with_functions_and_gradients(pair, |p, gradients| -> Result<Verdicts, Error> {
            let stated = |which: Function, x: f64| p.error.map_or(0.0, |e| e(which, x)).abs();
            let mut out = Verdicts::default();
            for &seed in &opts.seeds {
                let m = gradients(opts, seed)?;
                let (pm, q) = (&m.model, &m.target);
                let k = pm.len();
                // R(x) = (f◇)'(pθ/q) = f(u) − u·f'(u) at u = q/pθ, with its error.
                let mut r = Vec::with_capacity(k);
                let mut dr = Vec::with_capacity(k);
                let mut df_sum = 0.0;
                for (pi, qi) in pm.iter().zip(q) {
                    let u = qi / pi;
                    let (f, fp) = ((p.f)(u), (p.f_prime)(u));
                    let df = stated(Function::F, u) + VALUE_ROUNDING * f.abs();
                    let dfp = stated(Function::FPrime, u) + VALUE_ROUNDING * fp.abs();
                    r.push(f - u * fp);
                    dr.push(df + u * dfp + VALUE_ROUNDING * (f.abs() + u * fp.abs()));
                    df_sum += pi * df;
                }
                let er: f64 = pm.iter().zip(&r).map(|(pi, ri)| pi * ri).sum();
                let edr: f64 = pm.iter().zip(&dr).map(|(pi, d)| pi * d).sum();
                let terms: f64 = pm.iter().zip(&r).map(|(pi, ri)| pi * ri.abs()).sum();
                let policy: Vec<f64> = (0..k).map(|j| pm[j] * (r[j] - er)).collect();
                // Central differences of D(θ) = Σ softmax(θ)_x f(q_x/softmax(θ)_x) at θ = log pθ.
                let theta: Vec<f64> = pm.iter().map(|x| x.ln()).collect();
                // Each `e^(θ_x − max θ)` is computed once for the normaliser and the terms.
                let mut weights = vec![0.0; k];
                let mut d = |th: &[f64]| -> f64 {
                    let m = th.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    for (w, x) in weights.iter_mut().zip(th) {
                        *w = (x - m).exp();
                    }
                    let z: f64 = weights.iter().sum();
                    weights
                        .iter()
                        .zip(q)
                        .map(|(w, qi)| {
                            let pi = w / z;
                            pi * (p.f)(qi / pi)
                        })
                        .sum()
                };
                let scale = policy
                    .iter()
                    .fold(0.0f64, |a, x| a.max(x.abs()))
                    .max(crate::check::gradient::TERM_FLOOR * terms);
                let difference_noise = df_sum / STEP;
                let mut th = theta.clone();
                for j in 0..k {
                    let mut at = |s: f64| {
                        th[j] = theta[j] + s * STEP;
                        let v = d(&th);
                        th[j] = theta[j];
                        v
                    };
                    let fd = (at(1.0) - at(-1.0)) / (2.0 * STEP);
                    let abs = (fd - policy[j]).abs();
                    let noise = pm[j] * (dr[j] + edr) + difference_noise;
                    out.add(abs, noise, scale);
                }
            }
            Ok(out)
        })?;
    let mut numbers = match (numbers, failure) {
        (Ok(v), _) => v,
        (Err(_), Some(e)) | (Err(e), None) => return Err(e),
    };
    if pair.zero_by_closed_forms() {
        numbers.zero_by_closed_forms();
    }
    Ok(Reward {
        f_prime: pair.divergence_derivative.clone(),
        dual_reward: None,
        weight: pair.loss_derivative.clone(),
        max_rel_error: numbers.max_rel_error,
        max_rel_noise: numbers.max_rel_noise,
        verdict: numbers.verdict(REWARD_TOLERANCE),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::print::plain;
    use crate::transform::{Bindings, Residual, from_divergence, from_loss};

    #[test]
    fn the_parts_combine_as_one_reward_and_the_dual_reward_error_comes_first() {
        let b = Bindings::new();
        let r = Residual::TargetMinusModel;
        let js =
            from_divergence(&parse("u*log(u) - (u + 1)*log((1 + u)/2)").unwrap(), r, &b).unwrap();
        let opts = CheckOptions::default();
        let whole = reward(&js, &opts).unwrap();
        assert!(whole.dual_reward.is_some());
        let parts = with_dual_reward(dual_reward(&js), numbers(&js, &opts)).unwrap();
        assert_eq!(whole, parts);
        let e = |s: &str| Error::Internal(s.into());
        let first = with_dual_reward(Err(e("dual")), Err(e("numbers")));
        assert_eq!(first.unwrap_err().to_string(), e("dual").to_string());
    }

    #[test]
    fn table() {
        let b = Bindings::new();
        let r = Residual::TargetMinusModel;
        let kl = from_divergence(&parse("u*log(u)").unwrap(), r, &b).unwrap();
        let w = reward(&kl, &CheckOptions::default()).unwrap();
        assert_eq!(w.f_prime.as_ref().map(plain).as_deref(), Some("log(u) + 1"));
        assert_eq!(w.dual_reward.as_ref().map(plain).as_deref(), Some("-1/u"));
        assert!(w.max_rel_error < 1e-8, "{w:?}");
        let lc = from_loss(&parse("log(cosh(t))").unwrap(), r, &b).unwrap();
        let w = reward(&lc, &CheckOptions::default()).unwrap();
        assert!(w.max_rel_error < 1e-6, "{w:?}");
    }
}

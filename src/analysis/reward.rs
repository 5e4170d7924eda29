//! The reward: `R(x) = f'(v)` with `v = pθ/q` for `D_f(pθ‖q)` (the f-policy-gradient form, Agarwal et al. 2023), so that
//! `∇θ D_f(pθ‖q) = E_pθ[f'(pθ/q)·∇θ log pθ]`. This pair's divergence is
//! `D_f(q‖pθ) = D_{f◇}(pθ‖q)` with `f◇(v) = v·f(1/v)`, so the reward that trains it is
//! `(f◇)'(v) = f(1/v) − f'(1/v)/v`; the loss's per-sample weight is `g'(t)`.
//!
//! The reward form is verified on the random softmax models: the policy-gradient sum
//! `Σ_x pθ(x)·R(x)·∇θ log pθ(x)` against central differences of `D_f(q‖pθ)` in `θ`.

use crate::Error;
use crate::check::{CheckOptions, gradients};
use crate::expr::{DIVERGENCE_VAR, Expr};
use crate::simplify::simplify;
use crate::transform::Correspondence;
use crate::transform::numeric::with_functions;

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
}

/// The reward of `pair`, with the reward form of the gradient verified.
pub fn reward(pair: &Correspondence, opts: &CheckOptions) -> Result<Reward, Error> {
    let dual_reward = match (&pair.divergence, &pair.divergence_derivative) {
        (Some(f), Some(fp)) => {
            let v = Expr::sym(DIVERGENCE_VAR);
            let inv = v.clone().recip();
            Some(simplify(
                &(f.substitute(DIVERGENCE_VAR, &inv) - fp.substitute(DIVERGENCE_VAR, &inv) / v),
            )?)
        }
        _ => None,
    };
    let (numbers, failure) = with_functions(pair, |p| -> Result<f64, Error> {
        let mut worst = 0.0f64;
        for &seed in &opts.seeds {
            let m = gradients(p, opts, seed)?;
            let (pm, q) = (&m.model, &m.target);
            let k = pm.len();
            // R(x) = (f◇)'(pθ/q) = f(u) − u·f'(u) at u = q/pθ.
            let r: Vec<f64> = pm
                .iter()
                .zip(q)
                .map(|(pi, qi)| {
                    let u = qi / pi;
                    (p.f)(u) - u * (p.f_prime)(u)
                })
                .collect();
            let er: f64 = pm.iter().zip(&r).map(|(pi, ri)| pi * ri).sum();
            let policy: Vec<f64> = (0..k).map(|j| pm[j] * (r[j] - er)).collect();
            // Central differences of D(θ) = Σ softmax(θ)_x f(q_x/softmax(θ)_x) at θ = log pθ.
            let theta: Vec<f64> = pm.iter().map(|x| x.ln()).collect();
            let d = |th: &[f64]| -> f64 {
                let m = th.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let z: f64 = th.iter().map(|x| (x - m).exp()).sum();
                th.iter()
                    .zip(q)
                    .map(|(x, qi)| {
                        let pi = (x - m).exp() / z;
                        pi * (p.f)(qi / pi)
                    })
                    .sum()
            };
            let scale = policy.iter().fold(0.0f64, |a, x| a.max(x.abs())).max(1e-12);
            for j in 0..k {
                // Second-order central differences: truncation ~h² and rounding ~ε/h both
                // stay near 1e-10 relative at h = 1e-5.
                let h = 1e-5;
                let at = |s: f64| {
                    let mut th = theta.clone();
                    th[j] += s * h;
                    d(&th)
                };
                let fd = (at(1.0) - at(-1.0)) / (2.0 * h);
                worst = worst.max((fd - policy[j]).abs() / scale);
            }
        }
        Ok(worst)
    })?;
    let max_rel_error = match (numbers, failure) {
        (Ok(v), _) => v,
        (Err(_), Some(e)) | (Err(e), None) => return Err(e),
    };
    Ok(Reward {
        f_prime: pair.divergence_derivative.clone(),
        dual_reward,
        weight: pair.loss_derivative.clone(),
        max_rel_error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::print::plain;
    use crate::transform::{Bindings, Residual, from_divergence, from_loss};

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

//! The loss–divergence transform pair, evaluated numerically at many points.
//!
//! With the residual `t = log q − log pθ` and the ratio `u = e^t`:
//!
//! - loss → divergence: `f(u) = u · ∫_0^{ln u} g'(τ) e^(−τ) dτ`
//! - divergence → loss: `g(t) = f(e^t) − ∫_0^t f(e^τ) dτ`
//!
//! Both integrals are taken with [`cumulative`] from `τ = 0`, so `n` points cost about `n`
//! short integrals. The functions take plain `f64` closures (a compiled expression's `eval`, for
//! instance); a non-finite value of the integrand is an error, never a silent zero.
//!
//! Accuracy: the integrand `g'(τ) e^(−τ)` grows like `1/u` as `u → 0`, but the integral is
//! accumulated from `τ = 0` outward and multiplied by `u` at the end, so relative accuracy holds
//! across [`U_MIN`]`..=`[`U_MAX`]; the loss side reports the cancellation between `f(e^t)` and
//! the integral in its error.

use super::quad::{QuadError, Tolerance, cumulative};

/// The smallest ratio `u` accepted by [`divergence_values`].
pub const U_MIN: f64 = 1e-12;
/// The largest ratio `u` accepted by [`divergence_values`].
pub const U_MAX: f64 = 1e12;
/// The largest residual `|t|` accepted by [`loss_values`].
pub const T_MAX: f64 = 40.0;

/// A transformed function's value at one point, with its estimated absolute error.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Value {
    /// The point (`u` for a divergence, `t` for a loss).
    pub x: f64,
    /// The value there.
    pub value: f64,
    /// The estimated absolute error of `value` (never negative).
    pub error: f64,
}

/// Why a transform could not be evaluated.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum TransformError {
    /// A requested point is outside the supported range (or not a number).
    #[error("{x} is outside the supported range [{min}, {max}]")]
    OutOfDomain {
        /// The point.
        x: f64,
        /// The smallest supported point.
        min: f64,
        /// The largest supported point.
        max: f64,
    },
    /// The divergence generator `f` is not finite at a requested `u = e^t`.
    #[error("the divergence generator is not finite at u = {u} (it is {value})")]
    NonFinite {
        /// The ratio.
        u: f64,
        /// The value `f` returned.
        value: f64,
    },
    /// The integral failed; its location is in `τ`, the residual.
    #[error(transparent)]
    Quad(#[from] QuadError),
}

/// The divergence generator `f(u_i) = u_i · ∫_0^{ln u_i} g'(τ) e^(−τ) dτ` for each `u_i`.
///
/// `g_prime` is the loss's derivative as a function of the residual `t`; `breakpoints` are
/// its kinks, also in `t`. Each `u_i` must lie in [`U_MIN`]`..=`[`U_MAX`]; the results keep the
/// order of `us`. The error of each value is the integral's error times `u` plus one rounding
/// of the product.
pub fn divergence_values(
    g_prime: impl Fn(f64) -> f64,
    us: &[f64],
    tol: Tolerance,
    breakpoints: &[f64],
) -> Result<Vec<Value>, TransformError> {
    if let Some(&x) = us.iter().find(|u| !(U_MIN..=U_MAX).contains(*u)) {
        return Err(TransformError::OutOfDomain {
            x,
            min: U_MIN,
            max: U_MAX,
        });
    }
    let taus: Vec<f64> = us.iter().map(|u| u.ln()).collect();
    let integrals = cumulative(|t| g_prime(t) * (-t).exp(), 0.0, &taus, tol, breakpoints)?;
    Ok(us
        .iter()
        .zip(&integrals)
        .map(|(&u, i)| {
            let value = u * i.value;
            Value {
                x: u,
                value,
                error: u * i.error + f64::EPSILON * value.abs(),
            }
        })
        .collect())
}

/// The loss `g(t_i) = f(e^{t_i}) − ∫_0^{t_i} f(e^τ) dτ` for each `t_i`.
///
/// `f` is the divergence generator as a function of the ratio `u`; `breakpoints` are its kinks,
/// also in `u` (those `≤ 0` are ignored, `NaN` is an error). Each `t_i` must satisfy `|t_i| ≤` [`T_MAX`]; the
/// results keep the order of `ts`. The error of each value is the integral's error plus two
/// roundings of the larger of the two terms, so a value that is a small difference of large
/// terms (`f = u ln u` at `t = 40`) reports the digits the cancellation cost.
pub fn loss_values(
    f: impl Fn(f64) -> f64,
    ts: &[f64],
    tol: Tolerance,
    breakpoints: &[f64],
) -> Result<Vec<Value>, TransformError> {
    if let Some(&x) = ts.iter().find(|t| !(-T_MAX..=T_MAX).contains(*t)) {
        return Err(TransformError::OutOfDomain {
            x,
            min: -T_MAX,
            max: T_MAX,
        });
    }
    let cuts: Vec<f64> = breakpoints
        .iter()
        .filter(|u| u.is_nan() || **u > 0.0)
        .map(|u| u.ln())
        .collect();
    let integrals = cumulative(|t| f(t.exp()), 0.0, ts, tol, &cuts)?;
    ts.iter()
        .zip(&integrals)
        .map(|(&t, i)| {
            let u = t.exp();
            let at_u = f(u);
            if !at_u.is_finite() {
                return Err(TransformError::NonFinite { u, value: at_u });
            }
            let larger = at_u.abs().max(i.value.abs());
            Ok(Value {
                x: t,
                value: at_u - i.value,
                error: i.error + 2.0 * f64::EPSILON * larger,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;

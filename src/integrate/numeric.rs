//! The loss–divergence transform pair, evaluated numerically at many points.
//!
//! With the residual `t = log q − log pθ` and the ratio `u = e^t`, both sides are integrals of
//! the loss's derivative `g'`, which for a given generator is `g'(ln u) = u f'(u) − f(u)`
//! (derived and simplified symbolically by the caller, so that `f(e^t)` and `∫ f(e^τ) dτ`, which
//! both grow like `e^t`, are never subtracted):
//!
//! - loss → divergence: `f(u) = u · ∫_0^{ln u} g'(τ) e^(−τ) dτ`;
//! - divergence → loss: `g(t) = f(1) + ∫_0^t g'(τ) dτ`.
//!
//! Each value is computed as if it were the only point asked for ([`pointwise`]): it never
//! depends on the other points, and one point that fails leaves the others standing. The
//! functions take plain `f64` closures (a compiled expression's `eval`, for instance); a
//! non-finite value of the integrand is an error, never a silent zero. The error of a value adds
//! the quadrature's estimate, a bound on the integrand's own rounding (when the caller gives
//! one: a sum of terms that cancel is evaluated with the error of its largest term) and the
//! rounding of the final product or sum.

use super::quad::{Integral, Pointwise, QuadError, Tolerance, pointwise};

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

/// A bound on the absolute rounding error of the integrand's values, as a function of the
/// same variable; integrated with a loose tolerance and added to each value's error.
pub type Rounding<'a> = Option<&'a dyn Fn(f64) -> f64>;

/// The relative accuracy to which a [`Rounding`] bound is integrated: it is an estimate, and
/// a rounding bound is rough at the scale of an ulp (a staircase in `x`), which a tighter
/// tolerance would chase for nothing.
const ROUNDING_TOLERANCE: Tolerance = Tolerance {
    rel: 0.25,
    abs: 0.0,
};

/// `∫_0^x |rounding|` for each point, `inf` where it cannot be integrated (the value is then
/// not trusted), or zeros without a bound.
fn rounding_integrals(rounding: Rounding<'_>, weight: impl Fn(f64) -> f64, xs: &[f64]) -> Vec<f64> {
    let Some(r) = rounding else {
        return vec![0.0; xs.len()];
    };
    pointwise(|x| r(x).abs() * weight(x), 0.0, xs, ROUNDING_TOLERANCE, &[])
        .into_iter()
        .map(|i| i.map_or(f64::INFINITY, |i| i.value.abs() + i.error))
        .collect()
}

/// The divergence generator `f(u_i) = u_i · ∫_0^{ln u_i} g'(τ) e^(−τ) dτ` for each `u_i`.
///
/// `g_prime` is the loss's derivative as a function of the residual `t`, `rounding` a bound on
/// its evaluation error; `breakpoints` are its kinks, also in `t`. Each `u_i` must lie in
/// [`U_MIN`]`..=`[`U_MAX`]; the results keep the order of `us`, one per point. The integral's
/// absolute tolerance is `tol.abs / u_i`, so that `tol` applies to the value. The error of each
/// value is the integral's error (with the integrand's rounding) times `u` plus one rounding of
/// the product.
pub fn divergence_values(
    g_prime: impl Fn(f64) -> f64,
    rounding: Rounding<'_>,
    us: &[f64],
    tol: Tolerance,
    breakpoints: &[f64],
) -> Vec<Result<Value, TransformError>> {
    let in_range = |u: f64| (U_MIN..=U_MAX).contains(&u);
    let taus: Vec<f64> = us
        .iter()
        .map(|&u| if in_range(u) { u.ln() } else { 0.0 })
        .collect();
    let rounded = rounding_integrals(rounding, |t| (-t).exp(), &taus);
    let integrand = Pointwise::new(|t: f64| g_prime(t) * (-t).exp(), 0.0, breakpoints);
    let mut integrand = match integrand {
        Ok(p) => p,
        Err(e) => return vec![Err(e.into()); us.len()],
    };
    us.iter()
        .zip(taus.iter().zip(&rounded))
        .map(|(&u, (&tau, &r))| {
            if !in_range(u) {
                return Err(TransformError::OutOfDomain {
                    x: u,
                    min: U_MIN,
                    max: U_MAX,
                });
            }
            let point_tol = Tolerance {
                abs: tol.abs / u,
                ..tol
            };
            let i: Integral = integrand.at(tau, point_tol)?;
            let value = u * i.value;
            Ok(Value {
                x: u,
                value,
                error: u * (i.error + r) + f64::EPSILON * value.abs(),
            })
        })
        .collect()
}

/// The loss `g(t_i) = f(1) + ∫_0^{t_i} g'(τ) dτ` for each `t_i`.
///
/// `g_prime` is the loss's derivative as a function of `t` (for a given generator
/// `g'(t) = e^t f'(e^t) − f(e^t)`, simplified before it is compiled), `rounding` a bound on its
/// evaluation error, `f_at_1` the generator's value at `u = 1` (`g(0) = f(1)`); `breakpoints`
/// are the kinks of `g'` in `t`. Each `t_i` must satisfy `|t_i| ≤` [`T_MAX`]; the results keep
/// the order of `ts`, one per point. The error of each value is the integral's error (with the
/// integrand's rounding) plus one rounding of the sum.
pub fn loss_values(
    g_prime: impl Fn(f64) -> f64,
    rounding: Rounding<'_>,
    f_at_1: f64,
    ts: &[f64],
    tol: Tolerance,
    breakpoints: &[f64],
) -> Vec<Result<Value, TransformError>> {
    if !f_at_1.is_finite() {
        return vec![
            Err(TransformError::NonFinite {
                u: 1.0,
                value: f_at_1
            });
            ts.len()
        ];
    }
    let in_range = |t: f64| (-T_MAX..=T_MAX).contains(&t);
    let clamped: Vec<f64> = ts
        .iter()
        .map(|&t| if in_range(t) { t } else { 0.0 })
        .collect();
    let rounded = rounding_integrals(rounding, |_| 1.0, &clamped);
    let mut integrand = match Pointwise::new(&g_prime, 0.0, breakpoints) {
        Ok(p) => p,
        Err(e) => return vec![Err(e.into()); ts.len()],
    };
    ts.iter()
        .zip(&rounded)
        .map(|(&t, &r)| {
            if !in_range(t) {
                return Err(TransformError::OutOfDomain {
                    x: t,
                    min: -T_MAX,
                    max: T_MAX,
                });
            }
            let i = integrand.at(t, tol)?;
            let value = f_at_1 + i.value;
            Ok(Value {
                x: t,
                value,
                error: i.error + r + f64::EPSILON * value.abs().max(f_at_1.abs()),
            })
        })
        .collect()
}

/// The loss by its defining difference, `g(t_i) = f(e^{t_i}) − ∫_0^{t_i} f(e^τ) dτ`: the
/// fallback for a generator whose `g'` cannot be integrated numerically (`f = sqrt(|u − 1|)`,
/// whose `f'` is infinite at `u = 1`).
///
/// `f` is the generator as a function of `u`, `breakpoints` its kinks in `u` (those `≤ 0` are
/// ignored). Both terms grow like `e^t`, so the error of each value adds two roundings of the
/// larger of them to the integral's error: a value that is a small difference of large terms
/// reports the digits the cancellation cost (and a caller refuses it).
pub fn loss_values_by_difference(
    f: impl Fn(f64) -> f64,
    ts: &[f64],
    tol: Tolerance,
    breakpoints: &[f64],
) -> Vec<Result<Value, TransformError>> {
    let cuts: Vec<f64> = breakpoints
        .iter()
        .filter(|u| u.is_nan() || **u > 0.0)
        .map(|u| u.ln())
        .collect();
    let mut integral = match Pointwise::new(|t: f64| f(t.exp()), 0.0, &cuts) {
        Ok(p) => p,
        Err(e) => return vec![Err(e.into()); ts.len()],
    };
    ts.iter()
        .map(|&t| {
            if !(-T_MAX..=T_MAX).contains(&t) {
                return Err(TransformError::OutOfDomain {
                    x: t,
                    min: -T_MAX,
                    max: T_MAX,
                });
            }
            let i = integral.at(t, tol)?;
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

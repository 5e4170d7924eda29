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
//! Each value is computed as if it were the only point asked for
//! ([`super::quad::pointwise`]): it never depends on the other points, and one point that fails
//! leaves the others standing. A side is a curve ([`DivergenceCurve`], [`LossCurve`]) built
//! once and asked for points one by one, so that every analysis of one pair shares the pieces
//! of the grid already integrated. The
//! functions take plain `f64` closures (a compiled expression's `eval`, for instance); a
//! non-finite value of the integrand is an error, never a silent zero. The error of a value adds
//! the quadrature's estimate, a bound on the integrand's own rounding (when the caller gives
//! one: a sum of terms that cancel is evaluated with the error of its largest term) and the
//! rounding of the final product or sum.

use super::quad::{Integral, Pointwise, QuadError, Tolerance};

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
    /// The value at `x` exceeds the largest `f64` (`f(u) = u·I` or `g(t) = f(1) + I` with a
    /// finite integral `I`).
    #[error("the value exceeds the largest floating-point number (about 1.8e308)")]
    Overflow {
        /// The point (`u` for a divergence, `t` for a loss).
        x: f64,
    },
    /// The bound on the integrand's rounding error is not finite at `τ = at`, or cannot be
    /// integrated there: the value has no error to state (`|u − 1|^{1/2}` within an ulp of
    /// `u = 1`, where a perturbed `u − 1` may leave the domain of the power).
    #[error("the rounding error of g' cannot be bounded near τ = {at:.1e}")]
    UnboundedRounding {
        /// Where, in the residual `τ`.
        at: f64,
    },
}

/// `value` with its `error`, or [`TransformError::Overflow`] at `x` when either is not finite:
/// a tolerance relative to an infinite value would accept any error.
fn finite(x: f64, value: f64, error: f64) -> Result<Value, TransformError> {
    if value.is_finite() && error.is_finite() {
        Ok(Value { x, value, error })
    } else {
        Err(TransformError::Overflow { x })
    }
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

/// The share of a value's relative tolerance that a coarser bound on the integrand's rounding
/// may take (see [`RoundingCurve::at`]); never its absolute part, which a check that divides
/// by a tiny value (a gradient) would feel.
const ROUNDING_BUDGET: f64 = 0.1;

/// A boxed integrand, so that a curve can hold any closure.
pub type Boxed<'a> = Box<dyn Fn(f64) -> f64 + 'a>;

/// A bound on the integrand's rounding, integrated along the same grid by the panels alone
/// (a staircase at the scale of an ulp, which no interpolant follows); `inf` where it cannot be
/// integrated (the value is then not trusted), zero without a bound.
struct RoundingCurve<'a>(Option<Pointwise<Boxed<'a>>>);

impl<'a> RoundingCurve<'a> {
    fn new(rounding: Option<Boxed<'a>>, weight: fn(f64) -> f64) -> Self {
        RoundingCurve(rounding.and_then(|r| {
            Pointwise::panels_only(
                Box::new(move |x: f64| r(x).abs() * weight(x)) as Boxed<'a>,
                0.0,
                &[],
            )
            .ok()
        }))
    }

    /// A bound on `∫_0^x |rounding|`: the integral to the far end of the grid piece that holds
    /// `x` when that is within `budget` (the integrand is not negative, so it bounds the integral
    /// to `x`; its pieces are whole, integrated once per run), else the integral to `x` itself
    /// (a bound on rounding is a staircase at the scale of an ulp, which costs the panels many
    /// evaluations for every new end). Either depends on `x` and `budget` alone.
    ///
    /// [`TransformError::UnboundedRounding`] where the bound cannot be integrated to `x`: an
    /// infinite error is no error estimate (it was reported as an overflow of the value).
    fn at(&mut self, x: f64, budget: f64) -> Result<f64, TransformError> {
        let Some(p) = self.0.as_mut() else {
            return Ok(0.0);
        };
        let end = p.piece_end(x);
        let mut bound = |y: f64| {
            let unbounded = |at: f64| TransformError::UnboundedRounding { at };
            match p.at(y, ROUNDING_TOLERANCE) {
                Ok(i) if (i.value.abs() + i.error).is_finite() => Ok(i.value.abs() + i.error),
                Ok(_) => Err(unbounded(y)),
                Err(QuadError::NonFinite { at, .. }) => Err(unbounded(at)),
                Err(_) => Err(unbounded(y)),
            }
        };
        if let Some(end) = end {
            if let Ok(whole) = bound(end) {
                if whole <= budget {
                    return Ok(whole);
                }
            }
        }
        bound(x)
    }
}

/// The generator of a loss as a curve, `f(u) = u · ∫_0^{ln u} g'(τ) e^(−τ) dτ`: built once, asked
/// for any number of points in any order, each value as if alone (see [`divergence_values`]).
pub struct DivergenceCurve<'a> {
    integrand: Result<Pointwise<Boxed<'a>>, QuadError>,
    rounding: RoundingCurve<'a>,
}

impl<'a> DivergenceCurve<'a> {
    /// The curve of `g_prime` (in `t`), with its rounding bound and kinks in `t`.
    pub fn new(g_prime: Boxed<'a>, rounding: Option<Boxed<'a>>, breakpoints: &[f64]) -> Self {
        let integrand = Box::new(move |t: f64| g_prime(t) * (-t).exp()) as Boxed<'a>;
        DivergenceCurve {
            integrand: Pointwise::new(integrand, 0.0, breakpoints),
            rounding: RoundingCurve::new(rounding, |t| (-t).exp()),
        }
    }

    /// `f(u)` to `tol` (its absolute part applies to the value).
    pub fn at(&mut self, u: f64, tol: Tolerance) -> Result<Value, TransformError> {
        if !(U_MIN..=U_MAX).contains(&u) {
            return Err(TransformError::OutOfDomain {
                x: u,
                min: U_MIN,
                max: U_MAX,
            });
        }
        let integrand = self.integrand.as_mut().map_err(|e| *e)?;
        let tau = u.ln();
        let point_tol = Tolerance {
            abs: tol.abs / u,
            ..tol
        };
        let i: Integral = integrand.at(tau, point_tol)?;
        let r = self
            .rounding
            .at(tau, ROUNDING_BUDGET * tol.rel * i.value.abs())?;
        let value = u * i.value;
        finite(u, value, u * (i.error + r) + f64::EPSILON * value.abs())
    }
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
    let rounding = rounding.map(|r| Box::new(r) as Boxed<'_>);
    let mut curve = DivergenceCurve::new(Box::new(g_prime), rounding, breakpoints);
    us.iter().map(|&u| curve.at(u, tol)).collect()
}

/// A loss from a generator as a curve, `g(t) = f(1) + ∫_0^t g'(τ) dτ`: built once, asked for
/// any number of points in any order, each value as if alone (see [`loss_values`]).
pub struct LossCurve<'a> {
    integrand: Result<Pointwise<Boxed<'a>>, QuadError>,
    rounding: RoundingCurve<'a>,
    f_at_1: f64,
}

impl<'a> LossCurve<'a> {
    /// The curve of `g_prime` (in `t`) with its rounding bound, `f(1)` and kinks in `t`.
    pub fn new(
        g_prime: Boxed<'a>,
        rounding: Option<Boxed<'a>>,
        f_at_1: f64,
        breakpoints: &[f64],
    ) -> Self {
        LossCurve {
            integrand: Pointwise::new(g_prime, 0.0, breakpoints),
            rounding: RoundingCurve::new(rounding, |_| 1.0),
            f_at_1,
        }
    }

    /// `g(t)` to `tol`.
    pub fn at(&mut self, t: f64, tol: Tolerance) -> Result<Value, TransformError> {
        let f_at_1 = self.f_at_1;
        if !f_at_1.is_finite() {
            return Err(TransformError::NonFinite {
                u: 1.0,
                value: f_at_1,
            });
        }
        if !(-T_MAX..=T_MAX).contains(&t) {
            return Err(TransformError::OutOfDomain {
                x: t,
                min: -T_MAX,
                max: T_MAX,
            });
        }
        let integrand = self.integrand.as_mut().map_err(|e| *e)?;
        let i = integrand.at(t, tol)?;
        let r = self
            .rounding
            .at(t, ROUNDING_BUDGET * tol.rel * i.value.abs())?;
        let value = f_at_1 + i.value;
        finite(
            t,
            value,
            i.error + r + f64::EPSILON * value.abs().max(f_at_1.abs()),
        )
    }
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
    let rounding = rounding.map(|r| Box::new(r) as Boxed<'_>);
    let mut curve = LossCurve::new(Box::new(g_prime), rounding, f_at_1, breakpoints);
    ts.iter().map(|&t| curve.at(t, tol)).collect()
}

/// The loss by its defining difference, `g(t_i) = f(e^{t_i}) − ∫_0^{t_i} f(e^τ) dτ`: the
/// fallback for a generator whose `g'` cannot be integrated numerically (`f = sqrt(|u − 1|)`,
/// whose `f'` is infinite at `u = 1`).
///
/// `f` is the generator as a function of `u`, `breakpoints` its kinks in `u` (those `≤ 0` are
/// ignored). Both terms grow like `e^t`, so the error of each value adds two roundings of the
/// larger of them to the integral's error: a value that is a small difference of large terms
/// reports the digits the cancellation cost (and a caller refuses it). It adds, too, how far
/// `f` moves over the rounding of `u = e^t` (one ulp either side): where `f` is steep against
/// its size (`√|u − 1|` near `u = 1`: `2e-14` off at `t = 1e-6`, for a stated `4.5e-19`), that,
/// not an ulp of `f`, is the error of `f(e^t)`. (Over the integral the same rounding adds
/// `ε·|f(e^t) − f(1)|` where `f(e^τ)` is monotone, within the two roundings.)
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
            let moved =
                [u * (1.0 - f64::EPSILON), u * (1.0 + f64::EPSILON)].map(|v| (f(v) - at_u).abs());
            if moved.iter().any(|m| !m.is_finite()) {
                return Err(TransformError::UnboundedRounding { at: t });
            }
            let moved = moved[0].max(moved[1]);
            finite(
                t,
                at_u - i.value,
                i.error + moved + 2.0 * f64::EPSILON * larger,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests;

//! A Taylor branch near `t = 0` for an emitted function whose stable forms still cancel there.
//!
//! The printer's stable forms (`expm1`, `log1p`, softplus, …) absorb the constants of the
//! shapes they know; a constant they leave in a sum that vanishes at `t = 0` cancels there
//! (Jensen–Shannon's `−π²/12 − Li2(−e^t)`, Le Cam's `2·softplus(t) + 2·sigmoid(−t) − 1 − 2 log 2`):
//! the direct form loses every digit near 0 (in `float32` from `|t| ≈ 1e-3`). Such a function
//! is emitted as its Taylor series for `|t| < B` and directly above. The series is computed by
//! truncated power-series arithmetic on the expression (exact recurrences for `exp`, `log`,
//! powers, `sin`/`cos`, and `∫ f'(a)·a'` for `atan`, `asinh`, `Li2`), in `f64`.
//!
//! The switch `B` is the smallest of 1/4, 1/2, 1 and 2 at which the direct form's rounding,
//! bounded by `2⁻²⁴·Σ|terms|/|value|` in `float32`, is at most [`DIRECT_FLOAT32`]; the series
//! is cut after the first term from which the rest, summed to [`MAX_TERMS`], is below
//! [`TAIL`] of the value at `B`. Where no switch meets both (a series that converges too
//! slowly), the function is emitted directly, as before.

use crate::expr::{Constant, Expr, Func, rational_to_f64};

/// The number of Taylor coefficients computed.
pub(crate) const MAX_TERMS: usize = 48;

/// The relative size of the series' dropped tail at the switch.
pub(crate) const TAIL: f64 = 1e-15;

/// The largest relative rounding of the direct form in `float32` just above the switch, as
/// bounded: a quarter of the `1e-5` that emitted code is held to in `float32`.
pub(crate) const DIRECT_FLOAT32: f64 = 2.5e-6;

/// The switches tried, smallest first.
const SWITCHES: [f64; 4] = [0.25, 0.5, 1.0, 2.0];

/// A truncated power series in `t` at 0: `Σ c_k t^k`, [`MAX_TERMS`] coefficients.
type Series = Vec<f64>;

fn constant(c: f64) -> Series {
    let mut s = vec![0.0; MAX_TERMS];
    s[0] = c;
    s
}

fn mul(a: &Series, b: &Series) -> Series {
    (0..MAX_TERMS)
        .map(|k| (0..=k).map(|j| a[j] * b[k - j]).sum())
        .collect()
}

fn div(a: &Series, b: &Series) -> Option<Series> {
    if b[0] == 0.0 {
        return None;
    }
    let mut c = vec![0.0; MAX_TERMS];
    for k in 0..MAX_TERMS {
        let s: f64 = (1..=k).map(|j| b[j] * c[k - j]).sum();
        c[k] = (a[k] - s) / b[0];
    }
    Some(c)
}

/// `a'`.
fn derivative(a: &Series) -> Series {
    let mut d: Series = (1..MAX_TERMS).map(|k| k as f64 * a[k]).collect();
    d.push(0.0);
    d
}

/// `c + ∫_0^t d`.
fn integral(c: f64, d: &Series) -> Series {
    let mut s = vec![c];
    s.extend((1..MAX_TERMS).map(|k| d[k - 1] / k as f64));
    s
}

fn exp(a: &Series) -> Series {
    let mut e = vec![0.0; MAX_TERMS];
    e[0] = a[0].exp();
    for k in 1..MAX_TERMS {
        let s: f64 = (1..=k).map(|j| j as f64 * a[j] * e[k - j]).sum();
        e[k] = s / k as f64;
    }
    e
}

fn log(a: &Series) -> Option<Series> {
    if a[0] <= 0.0 {
        return None;
    }
    Some(integral(a[0].ln(), &div(&derivative(a), a)?))
}

/// `a^r` for a real `r`, `a(0) > 0`.
fn pow_real(a: &Series, r: f64) -> Option<Series> {
    if a[0] <= 0.0 {
        return None;
    }
    let mut p = vec![0.0; MAX_TERMS];
    p[0] = a[0].powf(r);
    for k in 1..MAX_TERMS {
        let s: f64 = (1..=k)
            .map(|j| (r * j as f64 - (k - j) as f64) * a[j] * p[k - j])
            .sum();
        p[k] = s / (k as f64 * a[0]);
    }
    Some(p)
}

/// `(sin a, cos a)`.
fn sin_cos(a: &Series) -> (Series, Series) {
    let (mut s, mut c) = (vec![0.0; MAX_TERMS], vec![0.0; MAX_TERMS]);
    s[0] = a[0].sin();
    c[0] = a[0].cos();
    for k in 1..MAX_TERMS {
        let ds: f64 = (1..=k).map(|j| j as f64 * a[j] * c[k - j]).sum();
        let dc: f64 = (1..=k).map(|j| j as f64 * a[j] * s[k - j]).sum();
        s[k] = ds / k as f64;
        c[k] = -dc / k as f64;
    }
    (s, c)
}

fn add(a: &Series, b: &Series) -> Series {
    a.iter().zip(b).map(|(x, y)| x + y).collect()
}

fn scale(a: &Series, k: f64) -> Series {
    a.iter().map(|x| x * k).collect()
}

/// The Taylor series of `e` in `var` at 0, or `None` where `e` is not analytic there or uses a
/// function this arithmetic does not know.
pub(crate) fn taylor(e: &Expr, var: &str) -> Option<Series> {
    Some(match e {
        Expr::Num(r) => constant(rational_to_f64(r)),
        Expr::Const(Constant::E) => constant(std::f64::consts::E),
        Expr::Const(Constant::Pi) => constant(std::f64::consts::PI),
        Expr::Sym(s) if &**s == var => {
            let mut x = constant(0.0);
            x[1] = 1.0;
            x
        }
        Expr::Sym(_) => return None,
        Expr::Add(ts) => {
            let mut s = constant(0.0);
            for t in ts {
                s = add(&s, &taylor(t, var)?);
            }
            s
        }
        Expr::Mul(fs) => {
            let mut s = constant(1.0);
            for f in fs {
                s = mul(&s, &taylor(f, var)?);
            }
            s
        }
        Expr::Pow(b, x) => {
            let base = taylor(b, var)?;
            match &**x {
                Expr::Num(n) if n.is_integer() && n.numer().bits() < 8 => {
                    let k: i64 = rational_to_f64(n) as i64;
                    let mut p = constant(1.0);
                    for _ in 0..k.unsigned_abs() {
                        p = mul(&p, &base);
                    }
                    if k < 0 { div(&constant(1.0), &p)? } else { p }
                }
                Expr::Num(n) => pow_real(&base, rational_to_f64(n))?,
                x => exp(&mul(&taylor(x, var)?, &log(&base)?)),
            }
        }
        Expr::Func(f, a) => {
            let a = taylor(a, var)?;
            let one = constant(1.0);
            match f {
                Func::Exp => exp(&a),
                Func::Log => log(&a)?,
                Func::Abs if a[0] != 0.0 => scale(&a, a[0].signum()),
                Func::Sign if a[0] != 0.0 => constant(a[0].signum()),
                Func::Abs | Func::Sign => return None,
                Func::Sin => sin_cos(&a).0,
                Func::Cos => sin_cos(&a).1,
                Func::Tan => {
                    let (s, c) = sin_cos(&a);
                    div(&s, &c)?
                }
                Func::Sinh => scale(&add(&exp(&a), &scale(&exp(&scale(&a, -1.0)), -1.0)), 0.5),
                Func::Cosh => scale(&add(&exp(&a), &exp(&scale(&a, -1.0))), 0.5),
                Func::Tanh => {
                    let (ep, em) = (exp(&a), exp(&scale(&a, -1.0)));
                    div(&add(&ep, &scale(&em, -1.0)), &add(&ep, &em))?
                }
                Func::Atan => {
                    let d = div(&derivative(&a), &add(&one, &mul(&a, &a)))?;
                    integral(a[0].atan(), &d)
                }
                Func::Asinh => {
                    let r = pow_real(&add(&one, &mul(&a, &a)), -0.5)?;
                    integral(a[0].asinh(), &mul(&r, &derivative(&a)))
                }
                Func::Softplus => log(&add(&one, &exp(&a)))?,
                Func::Sigmoid => div(&one, &add(&one, &exp(&scale(&a, -1.0))))?,
                // `Li2'(x) = −log(1 − x)/x`, for `0 ≠ x(0) < 1`.
                Func::Li2 if a[0] != 0.0 && a[0] < 1.0 => {
                    let inner = log(&add(&one, &scale(&a, -1.0)))?;
                    let d = div(&scale(&inner, -1.0), &a)?;
                    integral(crate::expr::special::dilog(a[0]), &mul(&d, &derivative(&a)))
                }
                Func::Li2 | Func::LambertW => return None,
            }
        }
        Expr::Func2(..) => return None,
    })
}

/// A Taylor branch: `value ≈ t^power·Σ coeffs[j]·s^j` for `|t| < bound`, `s = t` (every
/// coefficient kept) — what [`super::python::Printer::series_where`] prints.
pub(crate) struct Branch {
    pub bound: f64,
    pub power: u32,
    pub coeffs: Vec<f64>,
}

/// The Taylor branch of `value` (a sum whose printed form leaves a constant beside terms in
/// `var`), when it vanishes at 0 and a switch meets both tolerances; `terms_at` gives
/// `Σ|terms|` of the direct form at a point.
pub(crate) fn branch(
    value: &Expr,
    var: &str,
    terms_at: impl Fn(f64) -> Option<f64>,
) -> Option<Branch> {
    let c = taylor(value, var)?;
    let largest = c.iter().fold(0.0_f64, |m, x| m.max(x.abs()));
    if !(largest.is_finite() && largest > 0.0) {
        return None;
    }
    // Leading coefficients that are rounding noise of exact zeros (`g(0) = 0`, `g'(0) = 0`).
    let power = c.iter().position(|x| x.abs() > 1e-13 * largest)?;
    // Coefficients below the rounding of the arithmetic are exact zeros (an even function's
    // odd terms) and are written as 0.
    let c: Series = c
        .iter()
        .map(|&x| if x.abs() <= 1e-16 * largest { 0.0 } else { x })
        .collect();
    if power == 0 {
        return None;
    }
    for bound in SWITCHES {
        let at = |t: f64| -> f64 {
            c.iter()
                .enumerate()
                .skip(power)
                .map(|(k, x)| x * t.powi(k as i32))
                .sum()
        };
        let value_at = at(bound).abs().min(at(-bound).abs());
        let Some(terms) = terms_at(bound).zip(terms_at(-bound)).map(|(a, b)| a.max(b)) else {
            continue;
        };
        let direct_rounding = 2f64.powi(-24) * terms / value_at;
        if value_at.is_nan() || value_at <= 0.0 || direct_rounding > DIRECT_FLOAT32 {
            continue;
        }
        // Cut after the first term from which the rest is below `TAIL` of the value.
        let size = |k: usize| c[k].abs() * bound.powi(k as i32);
        let rest_from = |n: usize| (n..MAX_TERMS).map(size).sum::<f64>();
        if size(MAX_TERMS - 1) > TAIL * value_at * 1e-3 {
            continue;
        }
        let Some(end) = (power + 1..MAX_TERMS).find(|&n| rest_from(n) <= TAIL * value_at) else {
            continue;
        };
        return Some(Branch {
            bound,
            power: power as u32,
            coeffs: c[power..end].to_vec(),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first coefficients of `e`'s series at 0 are `want`, to 1e-15.
    #[track_caller]
    fn series_is(e: &str, want: &[f64]) {
        let c = taylor(&crate::parse::parse(e).unwrap(), "t").unwrap();
        for (k, w) in want.iter().enumerate() {
            assert!((c[k] - w).abs() <= 1e-15, "{e}: c{k} = {} ≠ {w}", c[k]);
        }
    }

    #[test]
    fn series_of_each_function() {
        series_is("exp(t)", &[1.0, 1.0, 0.5, 1.0 / 6.0, 1.0 / 24.0]);
        series_is("log(1 + t)", &[0.0, 1.0, -0.5, 1.0 / 3.0, -0.25]);
        series_is("sqrt(1 + t)", &[1.0, 0.5, -0.125, 0.0625]);
        series_is("(1 + t)^(-2)", &[1.0, -2.0, 3.0, -4.0]);
        series_is("sin(t) + cos(t)", &[1.0, 1.0, -0.5, -1.0 / 6.0, 1.0 / 24.0]);
        series_is("tan(t)", &[0.0, 1.0, 0.0, 1.0 / 3.0, 0.0, 2.0 / 15.0]);
        series_is("atan(t)", &[0.0, 1.0, 0.0, -1.0 / 3.0, 0.0, 0.2]);
        series_is("asinh(t)", &[0.0, 1.0, 0.0, -1.0 / 6.0, 0.0, 3.0 / 40.0]);
        series_is("tanh(t)", &[0.0, 1.0, 0.0, -1.0 / 3.0, 0.0, 2.0 / 15.0]);
        series_is("sigmoid(t)", &[0.5, 0.25, 0.0, -1.0 / 48.0]);
        series_is(
            "softplus(t)",
            &[std::f64::consts::LN_2, 0.5, 0.125, 0.0, -1.0 / 192.0],
        );
        // `Li2(−e^t) = −π²/12 − t·log 2 − t²/4 − …` (Jensen–Shannon's loss, negated)
        let pi2 = std::f64::consts::PI.powi(2);
        series_is(
            "Li2(-exp(t))",
            &[-pi2 / 12.0, -std::f64::consts::LN_2, -0.25],
        );
        series_is("2^t", &[1.0, std::f64::consts::LN_2]);
    }

    #[test]
    fn no_series_where_the_function_is_not_analytic_at_0() {
        for e in [
            "abs(t)",
            "sign(t)",
            "log(t)",
            "sqrt(t)",
            "Li2(t)",
            "lambertw(t)",
            "t^(1/3)",
        ] {
            assert!(
                taylor(&crate::parse::parse(e).unwrap(), "t").is_none(),
                "{e}"
            );
        }
    }
}

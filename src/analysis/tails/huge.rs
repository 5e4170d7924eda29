//! Constants too large for an `f64`, known by their sign.
//!
//! A coefficient such as `1 - exp(710)` (Huber's generator for `δ = 710`, below `u = e^{−δ}`)
//! overflows when evaluated, yet it is a real number whose sign and size are certain. Read as
//! "no value", it sent the limit `f(0+)` to a numeric reading that took the overflow for
//! growth and printed `∞` for `δ`. Here such a constant is recognised from its form: `log|c|`
//! is bounded from below by the sizes of its parts, and `c` is certainly beyond `f64::MAX` when
//! that bound is.

use crate::eval::{Params, eval_constant};
use crate::expr::{Constant, Expr, Func};
use num_traits::{Signed, ToPrimitive, Zero};

/// How far past `log(f64::MAX)` a lower bound of `log|c|` must be, for the `f64` roundings
/// of the bound.
const MARGIN: f64 = 1e-6;

/// `±∞` standing for the variable-free `c` when `c` is certainly a real number larger in size
/// than `f64::MAX`, with its sign; `None` otherwise.
pub(super) fn overflowing(c: &Expr) -> Option<f64> {
    let (sign, log) = sign_and_log(c)?;
    (log > f64::MAX.ln() + MARGIN).then_some(sign * f64::INFINITY)
}

/// `(sign of c, a lower bound of log|c|)` (`f64` roundings aside, which [`MARGIN`] covers), from the form
/// of `c`: numbers, `e`, `pi`, `exp` of a finite constant, products, powers by a number, and
/// sums in which every term too large for an `f64` has the same sign.
fn sign_and_log(c: &Expr) -> Option<(f64, f64)> {
    match c {
        Expr::Num(r) => {
            if r.is_zero() {
                return None;
            }
            let sign = if r.is_negative() { -1.0 } else { 1.0 };
            let log = match r.to_f64().filter(|x| x.is_finite() && *x != 0.0) {
                Some(x) => x.abs().ln(),
                // `2^(n−1) ≤ |numer| < 2^n`: within `ln 2` of each other.
                None => {
                    (r.numer().bits() as f64 - 1.0 - r.denom().bits() as f64)
                        * std::f64::consts::LN_2
                }
            };
            Some((sign, log))
        }
        Expr::Const(Constant::E) => Some((1.0, 1.0)),
        Expr::Const(Constant::Pi) => Some((1.0, std::f64::consts::PI.ln())),
        Expr::Func(Func::Exp, a) => {
            let a = eval_constant(a, &Params::new()).ok()?;
            a.is_finite().then_some((1.0, a))
        }
        Expr::Mul(xs) => xs.iter().try_fold((1.0, 0.0), |(s, l), x| {
            let (sx, lx) = sign_and_log(x)?;
            Some((s * sx, l + lx))
        }),
        // A positive power of a positive number: `p·log|b|` bounds `log|b^p|` from below.
        Expr::Pow(b, p) => {
            let Expr::Num(p) = &**p else { return None };
            let (sb, lb) = sign_and_log(b)?;
            let p = p.to_f64().filter(|p| *p > 0.0)?;
            (sb > 0.0).then_some((1.0, p * lb))
        }
        // Finite terms summing (in size) to `S`, and terms too large for an `f64`, all of one
        // sign: `|c| ≥ e^l − S = e^l·(1 − S·e^{−l})` for the largest of them, `e^l`.
        Expr::Add(xs) => {
            let (mut huge, mut small): (Option<(f64, f64)>, f64) = (None, 0.0);
            for x in xs {
                if let Ok(v) = eval_constant(x, &Params::new()).map(f64::abs) {
                    if v.is_finite() {
                        small += v;
                        continue;
                    }
                }
                let (s, l) = sign_and_log(x)?;
                huge = match huge {
                    None => Some((s, l)),
                    Some((hs, hl)) if hs == s => Some((s, hl.max(l))),
                    Some(_) => return None,
                };
            }
            let (s, l) = huge?;
            let rest = (small.ln() - l).exp();
            (rest < 1.0).then(|| (s, l + (-rest).ln_1p()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    #[rustfmt::skip]
    #[test]
    fn constants_beyond_f64_have_a_sign() {
        for (c, want) in [
            ("exp(710)", Some(f64::INFINITY)),
            ("1 - exp(710)", Some(f64::NEG_INFINITY)),
            ("-exp(1000)/2 + 3", Some(f64::NEG_INFINITY)),
            ("exp(1e300)", Some(f64::INFINITY)),
            ("pi*exp(800)", Some(f64::INFINITY)),
            ("10^400", Some(f64::INFINITY)),
            ("exp(709)", None),
            ("exp(709.7)*1", None),
            ("exp(709.8)", Some(f64::INFINITY)),
            ("exp(709.8) - 1e308", None),
            ("exp(709.8) - 2", Some(f64::INFINITY)),
            ("exp(710) - exp(711)", None),
            ("exp(-710)", None),
            ("log(2)*exp(710)", None),
        ] {
            let e = crate::simplify::simplify(&parse(c).unwrap()).unwrap();
            assert_eq!(overflowing(&e), want, "{c}");
        }
    }
}

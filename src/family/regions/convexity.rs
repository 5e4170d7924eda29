//! Convexity of a family from the structure of `g''` and of the kink of `g'` at `t = 0`.
//!
//! `f` is convex on `(0, ∞)` exactly when `g` is convex on ℝ: `g'' ≥ 0` away from `0`, and
//! where `g'` has a kink at `0` (`|t|^{e}`, `sign(t)`) its jump `g'(0+) − g'(0−)` is not
//! negative. On each side of `0` a term `c·tⁿ·|t|^e·sign(t)^k·e^{r·t}` has a constant sign
//! (that of `c`, times `(−1)^{n+k}` for `t < 0`), and a term of `g'` with power `n + e = 0` and
//! an odd side factor jumps by `2c`; so the verdict is read from signs.

use super::structure::{Term, total_power};
use crate::eval::{Params, eval_constant};
use crate::expr::Expr;
use crate::simplify::simplify;
use num_rational::BigRational;
use num_traits::Zero;

/// The sign of `c(a)` at `a = v`: `Some(1.0)`, `Some(0.0)` or `Some(-1.0)`; `None` when it has
/// no value there.
fn sign_at(c: &Expr, param: &str, v: &Expr) -> Option<f64> {
    let c = simplify(&c.substitute(param, v)).ok()?;
    if c.is_zero() {
        return Some(0.0);
    }
    let x = eval_constant(&c, &Params::new()).ok()?;
    (x.is_finite() && x != 0.0).then_some(x.signum())
}

/// Whether the term's factors in `t` are negative for `t < 0`: `(−1)^{n+k}`.
fn odd(t: &Term) -> bool {
    (t.power % 2 == 1) != t.sign
}

/// Convexity read at `param = at` from the terms of `g''` (`curvature`) and of `g'`
/// (`slope`): `Some(true)` when every term of `g''` is non-negative on both sides and `g'` does
/// not jump down at `0`; `Some(false)` when every term of `g''` is negative on one side, or
/// `g'` jumps down; `None` otherwise.
pub fn by_signs(curvature: &[Term], slope: &[Term], param: &str, at: &BigRational) -> Option<bool> {
    let v = Expr::Num(at.clone());
    let mut sides: Vec<(f64, f64)> = Vec::new();
    for t in curvature {
        let s = sign_at(&t.coeff, param, &v)?;
        if s != 0.0 {
            sides.push((s, if odd(t) { -s } else { s }));
        }
    }
    let kinked = slope.iter().any(|t| !t.abs_power.is_zero() || t.sign);
    let jump = if kinked {
        jump_at_zero(slope, param, &v)?
    } else {
        0.0
    };
    let nonneg = sides
        .iter()
        .all(|(right, left)| *right > 0.0 && *left > 0.0);
    let negative_right = !sides.is_empty() && sides.iter().all(|(right, _)| *right < 0.0);
    let negative_left = !sides.is_empty() && sides.iter().all(|(_, left)| *left < 0.0);
    if negative_right || negative_left || jump < 0.0 {
        Some(false)
    } else if nonneg {
        Some(true)
    } else {
        None
    }
}

/// The sign of `g'(0+) − g'(0−)` (`±∞` as `±1`), from the terms of `g'` with power `≤ 0`;
/// `None` when a power has no exact value or two unbounded terms could cancel.
fn jump_at_zero(slope: &[Term], param: &str, v: &Expr) -> Option<f64> {
    let zero = BigRational::zero();
    let mut finite = Expr::zero();
    let mut unbounded: Vec<f64> = Vec::new();
    for t in slope {
        let p = simplify(&total_power(t).substitute(param, v)).ok()?;
        let p = p.as_num()?.clone();
        if p > zero {
            continue;
        }
        let c = simplify(&t.coeff.substitute(param, v)).ok()?;
        if p == zero {
            if odd(t) {
                // `e^{r·0} = 1`: the term is `±c` on the two sides.
                finite = finite + Expr::int(2) * c;
            }
        } else {
            // `|t|^p` with `p < 0` is unbounded at 0: an odd term jumps by `sign(c)·∞`, an even
            // one is unbounded on both sides with the same sign.
            if !odd(t) {
                return None;
            }
            unbounded.push(sign_at(&c, param, v)?);
        }
    }
    if let Some(first) = unbounded.first() {
        return unbounded.iter().all(|s| s == first).then_some(*first);
    }
    sign_at(&finite, param, v)
}

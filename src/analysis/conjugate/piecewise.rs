//! The conjugate of a generator with a kink: `f(u) = c·|u − k| + d·u + e` (`c > 0`, `k > 0`),
//! total variation `|u − 1|/2` and its class. `f'` jumps from `d − c` to `d + c` at `u = k`,
//! so `f'(u) = y` has no solution to substitute; the supremum of `u·y − f(u)` over `u > 0` is
//! read off instead:
//!
//! - `d − c ≤ y ≤ d + c`: attained at the kink, `f*(y) = k·(y − d) − e`;
//! - `y < d − c`: approached as `u → 0+`, `f*(y) = −f(0+) = −c·k − e` (the [`LowerPiece`]);
//! - `y > d + c`: `+∞` (outside the domain).

use super::{Bound, Conjugate, Domain, LowerPiece, Method, split_u, u};
use crate::Error;
use crate::eval::{Params, eval_constant};
use crate::expr::{Expr, Func};
use crate::simplify::simplify;

/// `(c, k, d, e)` with `f = c·|u − k| + d·u + e`, `c > 0` and `k > 0` known from their values.
fn match_kink(f: &Expr) -> Option<(Expr, Expr, Expr, Expr)> {
    let terms: Vec<Expr> = match f {
        Expr::Add(ts) => ts.clone(),
        t => vec![t.clone()],
    };
    let (mut kink, mut d, mut e) = (None, Vec::new(), Vec::new());
    for t in &terms {
        let (coef, rest) = split_u(t);
        if !coef.is_constant() {
            return None;
        }
        match rest {
            r if r.is_one() => e.push(coef),
            r if r == u() => d.push(coef),
            Expr::Func(Func::Abs, l) if kink.is_none() => kink = Some((coef, linear(&l)?)),
            _ => return None,
        }
    }
    let (coef, (alpha, beta)) = kink?;
    // c·|α·u + β| = c·|α|·|u − k| with k = −β/α
    let c = simplify(&(coef * Expr::func(Func::Abs, alpha.clone()))).ok()?;
    let k = simplify(&(-beta / alpha)).ok()?;
    let positive = |x: &Expr| eval_constant(x, &Params::new()).is_ok_and(|v| v > 0.0);
    if !positive(&c) || !positive(&k) {
        return None;
    }
    Some((
        c,
        k,
        simplify(&Expr::add(d)).ok()?,
        simplify(&Expr::add(e)).ok()?,
    ))
}

/// `(α, β)` with `l = α·u + β`, `α ≠ 0`.
fn linear(l: &Expr) -> Option<(Expr, Expr)> {
    let terms: Vec<Expr> = match l {
        Expr::Add(ts) => ts.clone(),
        t => vec![t.clone()],
    };
    let (mut alpha, mut beta) = (Vec::new(), Vec::new());
    for t in &terms {
        let (coef, rest) = split_u(t);
        if !coef.is_constant() {
            return None;
        }
        match rest {
            r if r.is_one() => beta.push(coef),
            r if r == u() => alpha.push(coef),
            _ => return None,
        }
    }
    let alpha = simplify(&Expr::add(alpha)).ok()?;
    (!alpha.is_zero()).then(|| (alpha, Expr::add(beta)))
}

/// The conjugate of `c·|u − k| + d·u + e`, or `None` when `f` is not of that form.
pub(super) fn kink_conjugate(f: &Expr) -> Result<Option<Conjugate>, Error> {
    let Some((c, k, d, e)) = match_kink(f) else {
        return Ok(None);
    };
    let y = Expr::sym(super::CONJUGATE_VAR);
    let expr = simplify(&(k.clone() * (y - d.clone()) - e.clone()))?;
    let upper = simplify(&(d.clone() + c.clone()))?;
    let threshold = simplify(&(d - c.clone()))?;
    let value = simplify(&(-(c * k) - e))?;
    let end = eval_constant(&upper, &Params::new())?;
    Ok(Some(Conjugate {
        expr: Some(expr),
        domain: Domain {
            lower: Bound::Infinite,
            upper: Bound::Finite {
                exact: Some(upper),
                value: end,
                closed: Some(true),
            },
        },
        method: Method::ClosedForm,
        lower_piece: Some(LowerPiece { threshold, value }),
        values: Vec::new(),
        unchecked: false,
    }))
}

//! The conjugate of a generator whose `f'` is a power of `u + k`: `f'(u) = a·(u + k)^p + b`
//! with `k > 0` and `p < 0`, as for the rational generators Le Cam `(u − 1)²/(2(u + 1))`
//! (`f' = 1/2 − 2/(u + 1)²`) and the triangular discrimination `(u − 1)²/(u + 1)`.
//!
//! Such an `f'` is not one of the patterns of [`super::conjugate`] as it stands, and the
//! simplifier writes it as a sum over `(u + 1)²` that no pattern reads. Brought over one
//! denominator ([`crate::transform::rational::together`]) the shift `k` shows in the
//! denominator; with `v = u + k`, `h(v) = f(v − k)` has `h'(v) = a·v^p + b`, a pattern, and
//! `f*(y) = sup_{v>k} (v·y − h(v)) − k·y`. The stationary point `v*` of the pattern lies above
//! `k` exactly when `y > f'(0+)`; below, the supremum is approached as `u → 0+` and is
//! `−f(0+)`, the [`super::LowerPiece`].

use super::{Conjugate, LowerPiece, Shape, closed_form, match_derivative, u};
use crate::Error;
use crate::diff::diff;
use crate::expr::{DIVERGENCE_VAR, Expr};
use crate::simplify::simplify;
use num_rational::BigRational;
use num_traits::Signed;

/// The conjugate of `f` (simplified) when `fp = f'` is `a·(u + k)^p + b` with a rational
/// `k > 0` and `p < 0`; `None` when it is not.
pub(super) fn conjugate(f: &Expr, fp: &Expr) -> Result<Option<Conjugate>, Error> {
    let Some(k) = crate::transform::rational::together(fp, DIVERGENCE_VAR)
        .as_ref()
        .and_then(shift)
    else {
        return Ok(None);
    };
    let shift = Expr::Num(k.clone());
    let h = simplify(&f.substitute(DIVERGENCE_VAR, &(u() - shift.clone())))?;
    let hp = diff(&h, DIVERGENCE_VAR)?;
    let Some(pattern) = match_derivative(&hp) else {
        return Ok(None);
    };
    if !matches!(&pattern.shape, Shape::Power(p) if p.is_negative()) {
        return Ok(None);
    }
    let mut out = closed_form(&h, &hp, &pattern)?;
    let y = Expr::sym(super::CONJUGATE_VAR);
    out.expr = match out.expr {
        Some(e) => Some(simplify(&(e - shift * y))?),
        None => None,
    };
    let zero = Expr::zero();
    out.lower_piece = Some(LowerPiece {
        threshold: simplify(&fp.substitute(DIVERGENCE_VAR, &zero))?,
        value: simplify(&-f.substitute(DIVERGENCE_VAR, &zero))?,
    });
    Ok(Some(out))
}

/// The one `k` for which `u + k` appears in the denominator of `e` (a reduced fraction), if
/// there is exactly one and it is positive.
fn shift(e: &Expr) -> Option<BigRational> {
    let factors = match e {
        Expr::Mul(fs) => fs.as_slice(),
        other => std::slice::from_ref(other),
    };
    let mut found = Vec::new();
    for f in factors {
        if let Expr::Pow(b, x) = f
            && x.as_num().is_some_and(Signed::is_negative)
        {
            shifts_in(b, &mut found)?;
        }
    }
    match found.as_slice() {
        [k] if k.is_positive() => Some(k.clone()),
        _ => None,
    }
}

/// Every `k` of a factor `u + k` of `e` into `out`; `None` when `e` has another factor
/// (a power of `u` itself, a sum of another shape).
fn shifts_in(e: &Expr, out: &mut Vec<BigRational>) -> Option<()> {
    match e {
        Expr::Add(ts) => match ts.as_slice() {
            [Expr::Sym(s), Expr::Num(k)] | [Expr::Num(k), Expr::Sym(s)]
                if &**s == DIVERGENCE_VAR =>
            {
                if !out.contains(k) {
                    out.push(k.clone());
                }
                Some(())
            }
            _ => None,
        },
        Expr::Mul(fs) => fs.iter().try_for_each(|f| shifts_in(f, out)),
        Expr::Pow(b, _) => shifts_in(b, out),
        Expr::Num(_) => Some(()),
        _ => None,
    }
}

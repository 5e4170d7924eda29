//! Normalisation of a family in its parameter: `f(1)`, `f'(1)`, `g(0)`, `g'(0) = f'(1) − f(1)`,
//! and the canonical member `g − g(0) − g'(0)·t ↔ f − f(1) − f'(1)·(u − 1)`, so that
//! `f(1) = f'(1) = g(0) = g'(0) = 0` for every value of the parameter. A power `0^x` of the
//! parameter in `g(0)` (`|t|^p` at `t = 0`) is `0` for the generic member, where it is defined
//! and not a special value (`x > 0`; `x = 0` and `x < 0` are cases of their own), and is left
//! out of the canonical loss.

use super::Family;
use super::ratfun::reduced;
use crate::analysis::{Outcome, Unavailable};
use crate::expr::{DIVERGENCE_VAR, Expr, LOSS_VAR};
use crate::simplify::simplify;

/// The normalisation and the canonical member, as expressions in the parameter.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct FamilyNormalization {
    /// `f(1)` (a generator derived from a loss has `f(1) = 0`).
    #[serde(serialize_with = "super::serialize_expr")]
    pub f_at_1: Expr,
    /// `f'(1)`, the shift `c(a)` of the class (`g'(0)` when `f(1) = 0`).
    #[serde(serialize_with = "super::serialize_expr")]
    pub f_prime_at_1: Expr,
    /// `g'(0) = f'(1) − f(1)`.
    #[serde(serialize_with = "super::serialize_expr")]
    pub g_prime_at_0: Expr,
    /// `g(0)`, when the loss is given.
    #[serde(serialize_with = "super::serialize_opt_expr")]
    pub g_at_0: Option<Expr>,
    /// `g(t) − g(0) − g'(0)·t`, when the loss is given.
    #[serde(serialize_with = "super::serialize_opt_expr")]
    pub canonical_loss: Option<Expr>,
    /// `f(u) − f(1) − f'(1)·(u − 1)`, when the generator is given.
    #[serde(serialize_with = "super::serialize_opt_expr")]
    pub canonical_generator: Option<Expr>,
}

/// The normalisation of `family`, whose `g'` is `gp`.
pub fn normalization(family: &Family, gp: &Expr) -> Outcome<FamilyNormalization> {
    let p = family.parameter.as_str();
    let fail = |e: crate::simplify::MathError| Unavailable {
        kind: crate::ErrorKind::Undefined,
        reason: e.to_string(),
    };
    let at = |e: &Expr, var: &str, x: Expr| -> Outcome<Expr> {
        Ok(reduced(&simplify(&e.substitute(var, &x)).map_err(fail)?, p))
    };
    let gp0 = at(gp, LOSS_VAR, Expr::zero())?;
    let f_at_1 = match &family.generator {
        Some(f) => at(f, DIVERGENCE_VAR, Expr::one())?,
        None => Expr::zero(),
    };
    let g_at_0 = match &family.loss {
        Some(g) => Some(at(g, LOSS_VAR, Expr::zero())?),
        None => None,
    };
    let fp1 = if f_at_1.is_zero() {
        gp0.clone()
    } else {
        reduced(&simplify(&(gp0.clone() + f_at_1.clone())).map_err(fail)?, p)
    };
    // `e − value − slope·by`, the constant left out when it is zero (as it was always written).
    let normalised = |e: &Option<Expr>, value: &Expr, slope: &Expr, by: Expr| {
        e.as_ref()
            .map(|e| {
                let e = if value.is_zero() {
                    e.clone()
                } else {
                    e.clone() - value.clone()
                };
                simplify(&(e - slope.clone() * by)).map_err(fail)
            })
            .transpose()
    };
    let g0 = g_at_0
        .as_ref()
        .map_or_else(Expr::zero, |g0| reduced(&generic(g0), p));
    Ok(FamilyNormalization {
        canonical_loss: normalised(&family.loss, &g0, &gp0, Expr::sym(LOSS_VAR))?,
        canonical_generator: normalised(
            &family.generator,
            &f_at_1,
            &fp1,
            Expr::sym(DIVERGENCE_VAR) - Expr::one(),
        )?,
        f_at_1,
        f_prime_at_1: fp1,
        g_prime_at_0: gp0,
        g_at_0,
    })
}

/// `e` with every power `0^x` read as `0`, its value for `x > 0`, simplified.
fn generic(e: &Expr) -> Expr {
    fn walk(e: &Expr) -> Expr {
        match e {
            Expr::Pow(b, _) if b.is_zero() => Expr::zero(),
            Expr::Pow(b, x) => Expr::pow(walk(b), walk(x)),
            Expr::Add(xs) => Expr::add(xs.iter().map(walk).collect()),
            Expr::Mul(xs) => Expr::mul(xs.iter().map(walk).collect()),
            Expr::Func(f, a) => Expr::func(*f, walk(a)),
            Expr::Func2(f, a, b) => Expr::func2(*f, walk(a), walk(b)),
            _ => e.clone(),
        }
    }
    let out = walk(e);
    if out == *e {
        return out;
    }
    simplify(&out).unwrap_or(out)
}

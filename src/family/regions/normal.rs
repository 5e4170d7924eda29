//! Normalisation of a family in its parameter: `f(1)`, `f'(1) = g'(0)`, and the canonical
//! member `g − c(a)·t ↔ f − c(a)·(u − 1)` with `c(a) = f'(1)`, so that `f'(1) = g'(0) = 0`
//! for every value of the parameter.

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
    /// `f'(1) = g'(0)`, the shift `c(a)` of the class.
    #[serde(serialize_with = "super::serialize_expr")]
    pub f_prime_at_1: Expr,
    /// `g(0)`, when the loss is given.
    #[serde(serialize_with = "super::serialize_opt_expr")]
    pub g_at_0: Option<Expr>,
    /// `g(t) − c(a)·t`, when the loss is given.
    #[serde(serialize_with = "super::serialize_opt_expr")]
    pub canonical_loss: Option<Expr>,
    /// `f(u) − c(a)·(u − 1)`, when the generator is given.
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
    let c = at(gp, LOSS_VAR, Expr::zero())?;
    let f_at_1 = match &family.generator {
        Some(f) => at(f, DIVERGENCE_VAR, Expr::one())?,
        None => Expr::zero(),
    };
    let g_at_0 = match &family.loss {
        Some(g) => Some(at(g, LOSS_VAR, Expr::zero())?),
        None => None,
    };
    let shifted = |e: &Option<Expr>, by: Expr| -> Outcome<Option<Expr>> {
        e.as_ref()
            .map(|e| simplify(&(e.clone() - c.clone() * by)).map_err(fail))
            .transpose()
    };
    Ok(FamilyNormalization {
        canonical_loss: shifted(&family.loss, Expr::sym(LOSS_VAR))?,
        canonical_generator: shifted(&family.generator, Expr::sym(DIVERGENCE_VAR) - Expr::one())?,
        f_at_1,
        f_prime_at_1: c,
        g_at_0,
    })
}

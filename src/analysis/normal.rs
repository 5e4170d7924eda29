//! Normalisation: `f(1)`, `f'(1)`, `g(0)`, `g'(0)`, and the canonical member of the class.
//!
//! The identities `f(1) = g(0)` and `f'(1) = g'(0)` hold for a pair derived from its given side
//! with one caveat: a loss's constant `g(0)` does not reach `f` (the transform differentiates
//! `g`), so a derived `f` has `f(1) = 0`. The canonical member has `f'(1) = 0 ⇔ g'(0) = 0`:
//! `f − f'(1)·(u − 1) ↔ g − g'(0)·t`.

use crate::Error;
use crate::expr::{DIVERGENCE_VAR, Expr, LOSS_VAR};
use crate::simplify::simplify;
use crate::transform::{Correspondence, Direction};

/// An exact number with its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Exact {
    /// The exact expression (constant).
    pub expr: Expr,
    /// Its value.
    pub value: f64,
}

impl Exact {
    fn new(expr: Expr) -> Result<Exact, Error> {
        let value = crate::eval::eval_constant(&expr, &crate::eval::Params::new())?;
        Ok(Exact { expr, value })
    }
}

/// The normalisation of a pair and its canonical class member.
#[derive(Clone, Debug, PartialEq)]
pub struct Normalization {
    /// `f(1)`.
    pub f_at_1: Exact,
    /// `f'(1)`.
    pub f_prime_at_1: Exact,
    /// `g(0)`.
    pub g_at_0: Exact,
    /// `g'(0)`.
    pub g_prime_at_0: Exact,
    /// The shift `c = f'(1)` that makes the class member canonical.
    pub shift: Exact,
    /// `f(u) − c·(u − 1)`, when `f` is a closed form.
    pub canonical_f: Option<Expr>,
    /// `g(t) − c·t`, when `g` is a closed form.
    pub canonical_g: Option<Expr>,
}

fn at(e: &Expr, var: &str, x: Expr) -> Result<Expr, Error> {
    Ok(simplify(&e.substitute(var, &x))?)
}

/// The normalisation of `pair`, exact (from its given side, which is always a closed form).
pub fn normalization(pair: &Correspondence) -> Result<Normalization, Error> {
    let (f1, fp1, g0, gp0) = match pair.direction {
        Direction::FromLoss => {
            let g = pair.loss.as_ref().ok_or_else(|| {
                Error::Internal(crate::error::internal(
                    "a pair derived from a loss has no loss",
                ))
            })?;
            let gp = pair.loss_derivative.as_ref().ok_or_else(|| {
                Error::Internal(crate::error::internal(
                    "a pair derived from a loss has no g'",
                ))
            })?;
            let g0 = at(g, LOSS_VAR, Expr::zero())?;
            let gp0 = at(gp, LOSS_VAR, Expr::zero())?;
            (Expr::zero(), gp0.clone(), g0, gp0)
        }
        Direction::FromDivergence => {
            let f = pair.divergence.as_ref().ok_or_else(|| {
                Error::Internal(crate::error::internal(
                    "a pair derived from a generator has no generator",
                ))
            })?;
            let fp = pair.divergence_derivative.as_ref().ok_or_else(|| {
                Error::Internal(crate::error::internal(
                    "a pair derived from a generator has no f'",
                ))
            })?;
            let f1 = at(f, DIVERGENCE_VAR, Expr::one())?;
            let fp1 = at(fp, DIVERGENCE_VAR, Expr::one())?;
            (f1.clone(), fp1.clone(), f1, fp1)
        }
    };
    let c = fp1.clone();
    let u = Expr::sym(DIVERGENCE_VAR);
    let t = Expr::sym(LOSS_VAR);
    let canonical_f = match &pair.divergence {
        Some(f) => Some(simplify(&(f.clone() - c.clone() * (u - Expr::one())))?),
        None => None,
    };
    let canonical_g = match &pair.loss {
        Some(g) => Some(simplify(&(g.clone() - c.clone() * t))?),
        None => None,
    };
    Ok(Normalization {
        f_at_1: Exact::new(f1)?,
        f_prime_at_1: Exact::new(fp1)?,
        g_at_0: Exact::new(g0)?,
        g_prime_at_0: Exact::new(gp0)?,
        shift: Exact::new(c)?,
        canonical_f,
        canonical_g,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::print::plain;
    use crate::transform::{Bindings, Residual, from_divergence, from_loss};

    #[test]
    fn table() {
        let b = Bindings::new();
        let kl =
            from_divergence(&parse("u*log(u)").unwrap(), Residual::TargetMinusModel, &b).unwrap();
        let n = normalization(&kl).unwrap();
        assert_eq!(plain(&n.f_prime_at_1.expr), "1");
        assert_eq!(
            n.canonical_f.as_ref().map(plain).as_deref(),
            Some("u*log(u) - u + 1")
        );
        assert_eq!(
            n.canonical_g.as_ref().map(plain).as_deref(),
            Some("exp(t) - t - 1")
        );
        let sq = from_loss(
            &parse("t^2 + 3*t + 1").unwrap(),
            Residual::TargetMinusModel,
            &b,
        )
        .unwrap();
        let n = normalization(&sq).unwrap();
        assert_eq!(
            (
                n.g_at_0.value,
                n.g_prime_at_0.value,
                n.f_at_1.value,
                n.f_prime_at_1.value
            ),
            (1.0, 3.0, 0.0, 3.0)
        );
        assert_eq!(
            n.canonical_f.as_ref().map(plain).as_deref(),
            Some("2*u - 2 - 2*log(u)")
        );
        assert_eq!(
            n.canonical_g.as_ref().map(plain).as_deref(),
            Some("t^2 + 1")
        );
    }
}

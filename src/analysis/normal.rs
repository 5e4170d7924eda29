//! Normalisation: `f(1)`, `f'(1)`, `g(0)`, `g'(0)`, and the canonical member of the class.
//!
//! The identities `f(1) = g(0)` and `g'(0) = f'(1) − f(1)` (`g'(ln u) = u·f'(u) − f(u)` at
//! `u = 1`; so `f'(1) = g'(0)` when `f(1) = 0`) hold for a pair derived from its given side with
//! one caveat: a loss's constant `g(0)` does not reach `f` (the transform differentiates `g`),
//! so a derived `f` has `f(1) = 0`. The canonical member is normalised on both sides,
//! `f(1) = f'(1) = 0` and `g(0) = g'(0) = 0`: `f − f(1) − f'(1)·(u − 1) ↔ g − g(0) − g'(0)·t`
//! (the class member `f − f(1) ↔ g − f(1) + f(1)·t` shifted by `c = f'(1)`).
//! Both constants are free: `D_{f + a} = D_f + a` for normalised distributions, and a constant
//! added to `g` does not change its gradient.

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
    /// `f(u) − f(1) − c·(u − 1)`, when `f` is a closed form.
    pub canonical_f: Option<Expr>,
    /// `g(t) − g(0) − g'(0)·t`, when `g` is a closed form (`g'(0) = c − f(1)`).
    pub canonical_g: Option<Expr>,
}

fn at(e: &Expr, var: &str, x: Expr) -> Result<Expr, Error> {
    Ok(simplify(&e.substitute(var, &x))?)
}

/// `e − value`, or `e` itself when the value is zero (so that a normalised side is simplified
/// as it always was).
fn without_constant(e: &Expr, value: &Expr) -> Expr {
    if value.is_zero() {
        e.clone()
    } else {
        e.clone() - value.clone()
    }
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
            // `g(0) = f(1)`, and `g'(ln u) = u·f'(u) − f(u)` at `u = 1`.
            let gp0 = if f1.is_zero() {
                fp1.clone()
            } else {
                simplify(&(fp1.clone() - f1.clone()))?
            };
            (f1.clone(), fp1, f1, gp0)
        }
    };
    let c = fp1.clone();
    let u = Expr::sym(DIVERGENCE_VAR);
    let t = Expr::sym(LOSS_VAR);
    let canonical_f = match &pair.divergence {
        Some(f) => Some(simplify(
            &(without_constant(f, &f1) - c.clone() * (u - Expr::one())),
        )?),
        None => None,
    };
    let canonical_g = match &pair.loss {
        Some(g) => Some(simplify(&(without_constant(g, &g0) - gp0.clone() * t))?),
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

    /// The pair derived from `input`, a loss when `from_loss_side`, a generator otherwise.
    fn derived(from_loss_side: bool, input: &str) -> crate::transform::Correspondence {
        let (b, r) = (Bindings::new(), Residual::TargetMinusModel);
        let e = parse(input).unwrap();
        if from_loss_side {
            from_loss(&e, r, &b)
        } else {
            from_divergence(&e, r, &b)
        }
        .unwrap()
    }

    /// The canonical member of the pair derived from `input` (a loss when `from_loss`) is
    /// `(f, g)`, and it is normalised: `f(1) = f'(1) = g(0) = g'(0) = 0`.
    #[track_caller]
    fn canonical_is(from_loss_side: bool, input: &str, f: &str, g: &str) {
        let n = normalization(&derived(from_loss_side, input)).unwrap();
        let (cf, cg) = (n.canonical_f.unwrap(), n.canonical_g.unwrap());
        assert_eq!(
            (plain(&cf).as_str(), plain(&cg).as_str()),
            (f, g),
            "{input}"
        );
        let value = |e: &Expr, var: &str, x: Expr| {
            crate::eval::eval_constant(&at(e, var, x).unwrap(), &crate::eval::Params::new())
                .unwrap()
        };
        let d = |e: &Expr, var: &str| crate::diff::diff(e, var).unwrap();
        let ends = [
            value(&cf, DIVERGENCE_VAR, Expr::one()),
            value(&d(&cf, DIVERGENCE_VAR), DIVERGENCE_VAR, Expr::one()),
            value(&cg, LOSS_VAR, Expr::zero()),
            value(&d(&cg, LOSS_VAR), LOSS_VAR, Expr::zero()),
        ];
        assert!(ends.iter().all(|x| x.abs() < 1e-15), "{input}: {ends:?}");
    }

    #[rustfmt::skip]
    #[test]
    fn canonical_members_are_normalised_on_both_sides() {
        canonical_is(true, "exp(t)", "u*log(u) - u + 1", "exp(t) - t - 1");
        canonical_is(true, "exp(t) - t - 1", "u*log(u) - u + 1", "exp(t) - t - 1");
        canonical_is(true, "t^2 + 3*t + 1", "2*u - 2 - 2*log(u)", "t^2");
        canonical_is(true, "softplus(t)", "u*log(2*u/(u + 1)) - u/2 + 1/2", "-t/2 + softplus(t) - log(2)");
        canonical_is(true, "sigmoid(t)", "u/(u + 1) + u*log(2*u/(u + 1)) - 3*u/4 + 1/4", "-t/4 + sigmoid(t) - 1/2");
        canonical_is(true, "cosh(t)", "u*log(u)/2 - u/4 + 1/(4*u)", "cosh(t) - 1");
        canonical_is(false, "u*log(u)", "u*log(u) - u + 1", "exp(t) - t - 1");
        canonical_is(false, "u*log(u) + 2", "u*log(u) - u + 1", "exp(t) - t - 1");
        canonical_is(false, "u*log(u) - (u + 1)*log(u + 1)", "u*log(u) + (u - 1)*log(2) + 2*log(2) - (u + 1)*log(u + 1)", "-t*log(2) - pi^2/12 - Li2(-exp(t))");
        canonical_is(false, "(u - 1)^2", "(u - 1)^2", "exp(2*t)/2 - t - 1/2");
    }

    /// `f(1), f'(1), g(0), g'(0)` of the pair derived from `input` are `expected`.
    #[track_caller]
    fn normalization_is(from_loss_side: bool, input: &str, expected: [&str; 4]) {
        let n = normalization(&derived(from_loss_side, input)).unwrap();
        let got = [n.f_at_1, n.f_prime_at_1, n.g_at_0, n.g_prime_at_0].map(|x| plain(&x.expr));
        assert_eq!(got, expected, "{input}");
    }

    #[rustfmt::skip]
    #[test]
    fn normalization_table() {
        normalization_is(true, "t^2 + 3*t + 1", ["0", "3", "1", "3"]);
        normalization_is(true, "exp(t)", ["0", "1", "1", "1"]);
        normalization_is(false, "u*log(u)", ["0", "1", "0", "1"]);
        normalization_is(false, "u*log(u) + 2", ["2", "1", "2", "-1"]);
        normalization_is(false, "u*log(u) - (u + 1)*log(u + 1)", ["-2*log(2)", "-log(2)", "-2*log(2)", "log(2)"]);
    }
}

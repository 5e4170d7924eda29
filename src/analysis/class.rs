//! The equivalence class: `g(t) + c·t ↔ f(u) + c·(u − 1)`.
//!
//! For normalised distributions `D_{f + c(u−1)} = D_f` (the added term is `c·(Σq − Σpθ) = 0`),
//! and the expected gradient does not change because `E_pθ[∇θ log pθ] = 0`. The symbolic part
//! transforms the shifted input with a symbolic `c`; the numeric part measures both facts on the
//! random softmax models of the gradient check.

use crate::Error;
use crate::check::{CheckOptions, gradients};
use crate::expr::{DIVERGENCE_VAR, Expr, LOSS_VAR};
use crate::simplify::simplify;
use crate::transform::numeric::with_functions;
use crate::transform::{Correspondence, Direction, divergence_of, loss_of};

/// What the equivalence-class check found.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassCheck {
    /// Whether `transform(input + c·shift) = partner + c·shift'` was proved symbolically for a
    /// symbolic `c` (`None` when the derived side is numeric).
    pub symbolic: Option<bool>,
    /// The shift used for the numbers.
    pub c: f64,
    /// `max |D_f − D_{f+c(u−1)}|` over the random normalised distribution pairs.
    pub max_divergence_difference: f64,
    /// `max |∇θ D_f − ∇θ D_{f+c(u−1)}|` over the same models.
    pub max_gradient_difference: f64,
    /// How many random models were used.
    pub models: usize,
}

fn vanishes(e: &Expr) -> Result<bool, Error> {
    let s = simplify(e)?;
    if s.is_zero() {
        return Ok(true);
    }
    Ok(crate::simplify::expand(&s)
        .map(|x| simplify(&x))
        .transpose()?
        .is_some_and(|x| x.is_zero()))
}

/// Check the equivalence class of `pair` symbolically and numerically (`c = 1`).
pub fn equivalence(pair: &Correspondence, opts: &CheckOptions) -> Result<ClassCheck, Error> {
    let c = Expr::sym("c");
    let t = Expr::sym(LOSS_VAR);
    let u = Expr::sym(DIVERGENCE_VAR);
    let symbolic = match (pair.direction, &pair.loss, &pair.divergence) {
        (Direction::FromLoss, Some(g), Some(f)) => {
            match divergence_of(&(g.clone() + c.clone() * t))? {
                Some(fc) => Some(vanishes(&(fc - f.clone() - c * (u - Expr::one())))?),
                None => Some(false),
            }
        }
        (Direction::FromDivergence, Some(g), Some(f)) => {
            match loss_of(&(f.clone() + c.clone() * (u - Expr::one())))? {
                Some(gc) => Some(vanishes(&(gc - g.clone() - c * t))?),
                None => Some(false),
            }
        }
        _ => None,
    };
    let shift = 1.0;
    let (numbers, failure) = with_functions(pair, |p| -> Result<(f64, f64), Error> {
        let fs = |u: f64| (p.f)(u) + shift * (u - 1.0);
        let fps = |u: f64| (p.f_prime)(u) + shift;
        let gps = |t: f64| (p.g_prime)(t) + shift;
        let shifted = crate::check::Pair {
            g_prime: &gps,
            f: &fs,
            f_prime: &fps,
        };
        let (mut dd, mut dg) = (0.0f64, 0.0f64);
        for &seed in &opts.seeds {
            let a = gradients(p, opts, seed)?;
            let b = gradients(&shifted, opts, seed)?;
            let d = |f: &dyn Fn(f64) -> f64| -> f64 {
                a.model
                    .iter()
                    .zip(&a.target)
                    .map(|(pm, q)| pm * f(q / pm))
                    .sum()
            };
            dd = dd.max((d(p.f) - d(&fs)).abs());
            for (x, y) in a.divergence.iter().zip(&b.divergence) {
                dg = dg.max((x - y).abs());
            }
        }
        Ok((dd, dg))
    })?;
    let (dd, dg) = match (numbers, failure) {
        (Ok(v), _) => v,
        (Err(_), Some(e)) | (Err(e), None) => return Err(e),
    };
    Ok(ClassCheck {
        symbolic,
        c: shift,
        max_divergence_difference: dd,
        max_gradient_difference: dg,
        models: opts.seeds.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::transform::{Bindings, Residual, from_divergence, from_loss};

    #[track_caller]
    fn holds(pair: &Correspondence, symbolic: Option<bool>) {
        let c = equivalence(pair, &CheckOptions::default()).unwrap();
        assert_eq!(c.symbolic, symbolic);
        assert!(c.max_divergence_difference < 1e-12, "{c:?}");
        assert!(c.max_gradient_difference < 1e-12, "{c:?}");
    }

    #[test]
    fn table() {
        let b = Bindings::new();
        let r = Residual::TargetMinusModel;
        holds(
            &from_loss(&parse("t^2").unwrap(), r, &b).unwrap(),
            Some(true),
        );
        holds(
            &from_loss(&parse("exp(t) + exp(-t) - 2").unwrap(), r, &b).unwrap(),
            Some(true),
        );
        holds(
            &from_divergence(&parse("u*log(u)").unwrap(), r, &b).unwrap(),
            Some(true),
        );
        holds(
            &from_loss(&parse("log(cosh(t))").unwrap(), r, &b).unwrap(),
            Some(true),
        );
        holds(
            &from_loss(&parse("log(1 + t^2)").unwrap(), r, &b).unwrap(),
            None,
        );
    }
}

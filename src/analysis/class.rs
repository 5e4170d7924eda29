//! The equivalence class: `g(t) + c·t ↔ f(u) + c·(u − 1)`.
//!
//! For normalised distributions `D_{f + c(u−1)} = D_f` (the added term is `c·(Σq − Σpθ) = 0`),
//! and the expected gradient does not change because `E_pθ[∇θ log pθ] = 0`. The symbolic part
//! transforms the shift alone (`c·t`, or `c·(u − 1)`) with a symbolic `c`: both transforms are
//! linear and the partner is the input's transform, so the shift transforming to `c·shift'`
//! proves `transform(input + c·shift) = partner + c·shift'` without transforming the shifted
//! input again. The numeric part measures both facts on the random softmax models of the
//! gradient check.

use super::noise::{Remembered, Verdicts};
use crate::Error;
use crate::check::{CheckOptions, gradients};
use crate::expr::{DIVERGENCE_VAR, Expr, LOSS_VAR};
use crate::simplify::simplify;
use crate::transform::numeric::with_functions_and_gradients;
use crate::transform::{Correspondence, Direction, divergence_of, loss_of};

/// What the equivalence-class check found (serialised as the report's `class` key).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ClassCheck {
    /// Whether `transform(input + c·shift) = partner + c·shift'` was proved symbolically for a
    /// symbolic `c` (`None` when the derived side is numeric).
    pub symbolic: Option<bool>,
    /// The shift used for the numbers.
    #[serde(serialize_with = "crate::report::json_number")]
    pub c: f64,
    /// `max |D_f − D_{f+c(u−1)}|` over the random normalised distribution pairs.
    #[serde(serialize_with = "crate::report::json_number")]
    pub max_divergence_difference: f64,
    /// `max |∇θ D_f − ∇θ D_{f+c(u−1)}|` over the same models.
    #[serde(serialize_with = "crate::report::json_number")]
    pub max_gradient_difference: f64,
    /// How many random models were used.
    pub models: usize,
    /// The largest of the two differences relative to the shift's own effect on the terms
    /// (`Σ |c·(q − pθ)|` for `D_f`, `max_j pθ(j)·|c|` for the gradient).
    #[serde(serialize_with = "crate::report::json_number")]
    pub max_rel_error: f64,
    /// The rounding noise of the sums, on the same scale (`(K + 4)·ε` times the sizes of the
    /// terms: both sides use the same values of `f` and `f'`, so their errors cancel).
    #[serde(serialize_with = "crate::report::json_number")]
    pub max_rel_noise: f64,
    /// `holds` (both differences within [`CLASS_TOLERANCE`] of the shift's effect and the noise
    /// too), `fails` (beyond it and beyond the noise) or `inconclusive` (the noise of the sums is
    /// as large as the shift's effect: `f` is too large for `f64` sums to see it).
    pub verdict: crate::check::Verdict,
}

/// The relative difference below which the class is confirmed numerically.
pub const CLASS_TOLERANCE: f64 = 1e-6;

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
    with_symbolic(symbolic(pair), numbers(pair, opts))
}

/// The check from its two parts, which may be computed apart (on two threads): the
/// symbolic part's error first, as [`equivalence`] reports it.
pub(crate) fn with_symbolic(
    symbolic: Result<Option<bool>, Error>,
    numbers: Result<ClassCheck, Error>,
) -> Result<ClassCheck, Error> {
    let symbolic = symbolic?;
    Ok(ClassCheck {
        symbolic,
        ..numbers?
    })
}

/// The symbolic part of [`equivalence`]: whether the shift alone transforms to `c·shift'`
/// (`None` when the derived side is numeric).
pub(crate) fn symbolic(pair: &Correspondence) -> Result<Option<bool>, Error> {
    let c = Expr::sym("c");
    let t = Expr::sym(LOSS_VAR);
    let u = Expr::sym(DIVERGENCE_VAR);
    // Both transforms are linear in their input (integrals of `g'`, and `f(1)` plus integrals of
    // `u·f' − f`), and the partner is the transform of the input, so
    // `transform(input + c·shift) = partner + transform(c·shift)`: the identity holds exactly
    // when the shift alone transforms to `c·shift'`, which is what is derived and checked.
    let symbolic = match (pair.direction, &pair.loss, &pair.divergence) {
        (Direction::FromLoss, Some(_), Some(_)) => match divergence_of(&(c.clone() * t))? {
            Some(fc) => Some(vanishes(&(fc - c * (u - Expr::one())))?),
            None => Some(false),
        },
        (Direction::FromDivergence, Some(_), Some(_)) => {
            match loss_of(&(c.clone() * (u - Expr::one())))? {
                Some(gc) => Some(vanishes(&(gc - c * t))?),
                None => Some(false),
            }
        }
        _ => None,
    };
    Ok(symbolic)
}

/// The numeric part of [`equivalence`], with `symbolic` left `None`.
pub(crate) fn numbers(pair: &Correspondence, opts: &CheckOptions) -> Result<ClassCheck, Error> {
    let shift = 1.0;
    let (numbers, failure) = with_functions_and_gradients(
        pair,
        |given, given_gradients| -> Result<(f64, f64, Verdicts), Error> {
            let (mut dd, mut dg) = (0.0f64, 0.0f64);
            let mut verdicts = Verdicts::default();
            for &seed in &opts.seeds {
                // Both pairs and the sums below use the values at the model's points: each is
                // computed once (the same values, so the same sums).
                let (f, f_prime, g_prime) = (
                    Remembered::new(given.f),
                    Remembered::new(given.f_prime),
                    Remembered::new(given.g_prime),
                );
                let (f, f_prime, g_prime) = (
                    |u: f64| f.at(u),
                    |u: f64| f_prime.at(u),
                    |t: f64| g_prime.at(t),
                );
                let p = &crate::check::Pair {
                    g_prime: &g_prime,
                    f: &f,
                    f_prime: &f_prime,
                    error: given.error,
                };
                let fs = |u: f64| (p.f)(u) + shift * (u - 1.0);
                let fps = |u: f64| (p.f_prime)(u) + shift;
                let gps = |t: f64| (p.g_prime)(t) + shift;
                let shifted = crate::check::Pair {
                    g_prime: &gps,
                    f: &fs,
                    f_prime: &fps,
                    error: p.error,
                };
                // `p` has the values of `given`: the same gradients.
                let a = given_gradients(opts, seed)?;
                let b = gradients(&shifted, opts, seed)?;
                let d = |f: &dyn Fn(f64) -> f64| -> f64 {
                    a.model
                        .iter()
                        .zip(&a.target)
                        .map(|(pm, q)| pm * f(q / pm))
                        .sum()
                };
                let k = a.model.len() as f64;
                // Both sides use the same values of f and f', whose own errors cancel, so only the
                // rounding of the shift and of the sums differs: (K + 4)·ε times the sizes of the
                // terms bounds it (the first-order bound of recursive summation).
                let rounding = (k + 4.0) * f64::EPSILON;
                let sizes = |f: &dyn Fn(f64) -> f64| -> f64 {
                    a.model
                        .iter()
                        .zip(&a.target)
                        .map(|(pm, q)| pm * f(q / pm).abs())
                        .sum()
                };
                let effect: f64 = a
                    .model
                    .iter()
                    .zip(&a.target)
                    .map(|(pm, q)| (shift * (q - pm)).abs())
                    .sum();
                let diff = (d(p.f) - d(&fs)).abs();
                dd = dd.max(diff);
                verdicts.add(diff, rounding * (sizes(p.f) + sizes(&fs)), effect);
                // b_j = pθ(j)(h_j − Σ pθ h) with h = f − u f' (and h − c for the shifted pair).
                let h: Vec<f64> = a
                    .model
                    .iter()
                    .zip(&a.target)
                    .map(|(pm, q)| {
                        let u = q / pm;
                        (p.f)(u).abs() + u * (p.f_prime)(u).abs() + shift.abs()
                    })
                    .collect();
                let mean: f64 = a.model.iter().zip(&h).map(|(pm, h)| pm * h).sum();
                for (((x, y), pm), hj) in
                    a.divergence.iter().zip(&b.divergence).zip(&a.model).zip(&h)
                {
                    let diff = (x - y).abs();
                    dg = dg.max(diff);
                    verdicts.add(diff, rounding * 2.0 * pm * (hj + mean), pm * shift.abs());
                }
            }
            Ok((dd, dg, verdicts))
        },
    )?;
    let (dd, dg, verdicts) = match (numbers, failure) {
        (Ok(v), _) => v,
        (Err(_), Some(e)) | (Err(e), None) => return Err(e),
    };
    Ok(ClassCheck {
        symbolic: None,
        c: shift,
        max_divergence_difference: dd,
        max_gradient_difference: dg,
        models: opts.seeds.len(),
        max_rel_error: verdicts.max_rel_error,
        max_rel_noise: verdicts.max_rel_noise,
        verdict: verdicts.verdict(CLASS_TOLERANCE),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::transform::{Bindings, Residual, from_divergence, from_loss};

    #[test]
    fn the_parts_combine_as_one_check_and_the_symbolic_error_comes_first() {
        let b = Bindings::new();
        let r = Residual::TargetMinusModel;
        let pair = from_loss(&parse("log(cosh(t))").unwrap(), r, &b).unwrap();
        let opts = CheckOptions::default();
        let whole = equivalence(&pair, &opts).unwrap();
        let parts = with_symbolic(symbolic(&pair), numbers(&pair, &opts)).unwrap();
        assert_eq!(whole, parts);
        assert_eq!(whole.symbolic, Some(true));
        let e = |s: &str| Error::Internal(s.into());
        let first = with_symbolic(Err(e("symbolic")), Err(e("numbers")));
        assert_eq!(first.unwrap_err().to_string(), e("symbolic").to_string());
        let second = with_symbolic(Ok(None), Err(e("numbers")));
        assert_eq!(second.unwrap_err().to_string(), e("numbers").to_string());
    }

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
        // The shifted input transformed again did not simplify back to `f + c·(u − 1)`.
        holds(
            &from_loss(&parse("tanh(t)^2").unwrap(), r, &b).unwrap(),
            Some(true),
        );
        holds(
            &from_loss(&parse("log(1 + t^2)").unwrap(), r, &b).unwrap(),
            None,
        );
    }
}

//! Verifying a claim "this loss trains that divergence" (`fcorr check`): the claimed generator
//! must equal the derived one up to an affine `a + b·u`, written `F = f + a + c·(u − 1)`.
//!
//! The class is affine and not only `c·(u − 1)` because `D_{f + a + b·u} = D_f + a + b` for
//! normalised distributions: every expected gradient is unchanged, and the transform from `g′`
//! fixes `f` only up to such terms (`g(0) = f(1)` is the loss's constant, which the derived
//! `u·∫_0^{ln u} g′(τ)·e^{−τ} dτ` sets to `0`: the GAN loss's `f` is the catalog's plus `2·ln 2`).
//!
//! The verdict is exact when the derived generator is a closed form, and numeric (within the
//! quadrature's error bars) otherwise. The evidence is the two generators at probe points, the
//! gradient check of the loss against the *claimed* generator, and the named divergences the
//! loss does train.

mod logs;

use crate::Error;
use crate::catalog::{Identification, identify_pair};
use crate::check::{CheckOptions, GradientCheck, Verdict};
use crate::diff::diff;
use crate::eval::{Params, compile};
use crate::expr::{DIVERGENCE_VAR, Expr};
use crate::simplify::simplify;
use crate::transform::{Bindings, Correspondence, Residual, from_loss};

/// Where the claimed and derived generators are compared in the evidence.
pub const PROBES: [f64; 5] = [0.1, 0.5, 2.0, 4.0, 10.0];

/// The verdict on a claimed pair.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    /// Whether the claimed generator is the loss's, up to the class.
    pub holds: bool,
    /// `holds`, `fails`, or `inconclusive` when a numeric comparison is within the error of
    /// the quadrature but that error is not small against the generators' size.
    pub verdict: Verdict,
    /// The constant `c` with `F = f + a + c·(u − 1)`, when it holds.
    pub shift: Option<Expr>,
    /// The constant `a` with `F = f + a + c·(u − 1)`, when it holds.
    pub offset: Option<Expr>,
    /// `exact` or `numeric`.
    pub method: &'static str,
    /// The claimed generator `F`.
    pub claimed: Expr,
    /// The pair derived from the loss.
    pub derived: Correspondence,
    /// `(u, F(u), f(u), f(u) + a + c·(u − 1))` at [`PROBES`], with `a` the
    /// [`Claim::evidence_offset`] and `c` the [`Claim::evidence_shift`] (the probes where the
    /// derived `f` has a value).
    pub evidence: Vec<(f64, f64, f64, f64)>,
    /// The probes where a numeric derived `f` has no trusted value, with the reason; the verdict
    /// rests on the others.
    pub refused_probes: Vec<crate::transform::Refused>,
    /// `c = F'(1) − f'(1)`, the shift that gives the derived generator the claimed slope at
    /// `u = 1` in the evidence (whether or not the claim holds; [`Claim::shift`] is `None` when
    /// it does not).
    pub evidence_shift: Expr,
    /// `a = F(1) − f(1)`, the constant that gives the derived generator the claimed value at
    /// `u = 1` in the evidence (whether or not the claim holds; [`Claim::offset`] is `None` when
    /// it does not).
    pub evidence_offset: Expr,
    /// The named divergences the loss does train.
    pub derived_identified: Vec<Identification>,
    /// The gradient theorem for the loss against the claimed generator, or why it could not be
    /// computed (a value that is not finite on a model).
    pub gradient_check: super::Outcome<GradientCheck>,
    /// What the gradient check can say, given the noise of its numbers (`inconclusive` when it
    /// could not be computed).
    pub gradient_verdict: Verdict,
    /// The parameter values used, given or a catalog entry's defaults (empty from
    /// [`check_claim`], which takes its bindings as they are).
    pub parameters: Vec<crate::params::Bound>,
}

/// Check the claim that `loss` trains `claimed`, both as typed (catalog names or expressions),
/// with the `--param` assignments `given` read by the parameter language
/// ([`crate::params::bind_each`]).
pub fn check_claim_of<S: AsRef<str>>(
    loss: &crate::params::Subject,
    claimed: &crate::params::Subject,
    residual: Residual,
    given: &[S],
) -> Result<Claim, Error> {
    let variables = [crate::expr::LOSS_VAR, DIVERGENCE_VAR];
    let resolved = crate::params::bind_each(&[loss, claimed], &variables, given)?;
    let (g, f) = match resolved.as_slice() {
        [g, f] => (g, f),
        _ => return Err(Error::Input("a loss and a divergence are needed".into())),
    };
    let mut claim = check_claim(
        &g.bindings.apply(&loss.expr),
        &f.bindings.apply(&claimed.expr),
        residual,
        &Bindings::new(),
    )?;
    claim.parameters = g.used.iter().chain(&f.used).cloned().collect();
    Ok(claim)
}

/// The largest error of a numeric comparison, relative to the size of the generators, that
/// still lets it confirm a claim.
pub const CONFIRMS_BELOW: f64 = 1e-6;

/// Check the claim that `loss` (on `residual`) trains `D_F(q‖pθ)` with generator `claimed`.
pub fn check_claim(
    loss: &Expr,
    claimed: &Expr,
    residual: Residual,
    bindings: &Bindings,
) -> Result<Claim, Error> {
    let derived = from_loss(loss, residual, bindings)?;
    let f_claim = simplify(&bindings.apply(claimed))?;
    for s in f_claim.symbols() {
        if &*s != DIVERGENCE_VAR {
            return Err(Error::UnknownParameter(format!(
                "the claimed generator must be written in `u`; `{s}` has no value"
            )));
        }
    }
    crate::transform::defined::defined_everywhere(
        &f_claim,
        DIVERGENCE_VAR,
        "the claimed generator",
    )?;
    let fp_claim = diff(&f_claim, DIVERGENCE_VAR)?;
    // c = F'(1) − f'(1), and f'(1) = g'(0) exactly.
    let one = Expr::one();
    let gp = derived
        .loss_derivative
        .as_ref()
        .ok_or_else(|| Error::Internal(crate::error::internal("the loss has no derivative")))?;
    let gp0 = simplify(&gp.substitute(crate::expr::LOSS_VAR, &Expr::zero()))?;
    let c = simplify(&(fp_claim.substitute(DIVERGENCE_VAR, &one) - gp0))?;
    let u = Expr::sym(DIVERGENCE_VAR);
    let none = Params::new();
    let claim_program = compile(&f_claim, DIVERGENCE_VAR, &none)?;
    let cf = crate::eval::eval_constant(&c, &none)?;
    let a = offset(&f_claim, derived.divergence.as_ref());
    let af = crate::eval::eval_constant(&a, &none)?;
    let (derived_values, refused_probes): (Vec<_>, Vec<_>) = derived
        .derived_points(&PROBES)?
        .into_iter()
        .partition(Result::is_ok);
    let derived_values: Vec<crate::transform::Value> =
        derived_values.into_iter().flatten().collect();
    let refused_probes: Vec<crate::transform::Refused> =
        refused_probes.into_iter().filter_map(Result::err).collect();
    let evidence: Vec<(f64, f64, f64, f64)> = derived_values
        .iter()
        .map(|v| {
            let x = v.x;
            (
                x,
                claim_program.eval(x),
                v.value,
                v.value + af + cf * (x - 1.0),
            )
        })
        .collect();
    let (verdict, method) = match &derived.divergence {
        Some(f) => {
            let rest =
                simplify(&(f_claim.clone() - f.clone() - a.clone() - c.clone() * (u - one)))?;
            // The derived side is presented with its logarithms merged
            // (`log(2*u/(u + 1))`); split, they cancel against the claim's.
            let zero = rest.is_zero()
                || crate::simplify::expand(&rest)
                    .map(|e| simplify(&e))
                    .transpose()?
                    .is_some_and(|e| e.is_zero())
                || crate::simplify::present::expand_logs(&rest).is_zero()
                || super::zero::is_rational_zero(&rest)
                || simplify(&logs::split_constant_logs(
                    &crate::simplify::present::expand_logs(&rest),
                ))
                .is_ok_and(|e| e.is_zero());
            (if zero { Verdict::Holds } else { Verdict::Fails }, "exact")
        }
        None => (numeric_verdict(&derived_values, &evidence), "numeric"),
    };
    // Identified as the main report does, on the logarithms split.
    let derived_identified = identify_pair(&derived.with_expanded_logs())?;
    let claimed_pair = Correspondence {
        divergence: Some(f_claim.clone()),
        divergence_derivative: Some(fp_claim),
        ..derived.clone()
    };
    let gradient_check = claimed_pair
        .gradient_check(&CheckOptions::default())
        .map_err(super::Unavailable::from);
    let gradient_verdict = gradient_check.as_ref().map_or(Verdict::Inconclusive, |g| {
        g.verdict(crate::report::proved_below(&claimed_pair))
    });
    let verdict = if method == "numeric" {
        with_gradients(verdict, gradient_verdict)
    } else {
        verdict
    };
    let holds = verdict == Verdict::Holds;
    Ok(Claim {
        holds,
        verdict,
        gradient_verdict,
        shift: holds.then(|| c.clone()),
        offset: holds.then(|| a.clone()),
        evidence_shift: c,
        evidence_offset: a,
        method,
        claimed: f_claim,
        derived,
        evidence,
        refused_probes,
        derived_identified,
        gradient_check,
        parameters: Vec::new(),
    })
}

/// `a = F(1) − f(1)` for the claimed `F` and the derived `f` (a numeric `f`, given as `None`,
/// is `0` at `u = 1`: the transform is `f(u) = u·∫_0^{ln u} g′(τ)·e^{−τ} dτ`), or `0` when it
/// is not a finite constant (a claimed `F` undefined at `u = 1` is compared as it is).
fn offset(claimed: &Expr, derived: Option<&Expr>) -> Expr {
    let one = Expr::one();
    let at_one = |f: &Expr| f.substitute(DIVERGENCE_VAR, &one);
    let f1 = derived.map_or_else(Expr::zero, at_one);
    simplify(&(at_one(claimed) - f1))
        .ok()
        .filter(|a| crate::eval::eval_constant(a, &Params::new()).is_ok_and(|v| v.is_finite()))
        .unwrap_or_else(Expr::zero)
}

/// The verdict on a numeric derived generator: the probes' comparison, confirmed by the
/// gradients.
///
/// Five probes pin a generator down only where they are: a claimed `F` that meets the derived
/// `f` (up to `a + c·(u − 1)`) at `0.1, 0.5, 2, 4, 10` and differs between them, say a
/// polynomial through those five values, agrees at every probe. The gradient check compares
/// the claimed `F`'s expected gradient with the loss's on random models, at ratios the probes
/// do not choose: the claim holds only when both hold, fails when either fails, and is
/// undecided otherwise.
fn with_gradients(probes: Verdict, gradients: Verdict) -> Verdict {
    match (probes, gradients) {
        (Verdict::Fails, _) | (_, Verdict::Fails) => Verdict::Fails,
        (Verdict::Holds, Verdict::Holds) => Verdict::Holds,
        _ => Verdict::Inconclusive,
    }
}

/// The verdict of comparing the claimed generator with a numeric derived one at the probes.
///
/// Each probe's noise is ten times the quadrature's error estimate plus `1e-9·max(|F|, 1)`. A
/// difference beyond it refutes the claim; agreement within it confirms the claim only when
/// every noise is below [`CONFIRMS_BELOW`] of the largest value compared (generators smaller
/// than their own error bars agree with anything, and prove nothing). With no probe to compare
/// (every value refused), nothing is decided.
fn numeric_verdict(
    values: &[crate::transform::Value],
    evidence: &[(f64, f64, f64, f64)],
) -> Verdict {
    let size = evidence.iter().fold(0.0f64, |m, (_, claim, _, ours)| {
        m.max(claim.abs()).max(ours.abs())
    });
    let mut decisive = !evidence.is_empty();
    for (v, (_, claim, _, ours)) in values.iter().zip(evidence) {
        let noise = 10.0 * v.error.unwrap_or(0.0) + 1e-9 * claim.abs().max(1.0);
        if (claim - ours).abs() > noise {
            return Verdict::Fails;
        }
        decisive &= noise <= CONFIRMS_BELOW * size;
    }
    if decisive {
        Verdict::Holds
    } else {
        Verdict::Inconclusive
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    #[track_caller]
    fn verdict(g: &str, f: &str, residual: Residual, holds: bool) {
        let c = check_claim(
            &parse(g).unwrap(),
            &parse(f).unwrap(),
            residual,
            &Bindings::new(),
        )
        .unwrap();
        assert_eq!(c.holds, holds, "{g} ↔ {f}: {c:?}");
        if holds {
            assert!(
                c.gradient_check.as_ref().unwrap().max_rel_error < 1e-9,
                "{c:?}"
            );
        } else {
            assert!(
                c.gradient_check.as_ref().unwrap().max_rel_error > 1e-3,
                "{c:?}"
            );
        }
    }

    /// Interpolates the `f` of `t·atan(t)` (a numeric side) at the probes `0.1, 0.5, 1, 2, 4, 10`.
    const INTERPOLANT: &str = "-84950853406403673021399063318356839*u^6/16637821200000000000000000000000000000 + 7013684383328446907312841954954484597*u^5/83189106000000000000000000000000000000 - 11032869308466114377656380896829587561*u^4/30250584000000000000000000000000000000 + 2702470127985595937777108653453384043*u^3/16637821200000000000000000000000000000 + 666974031653152220791592539108025266901*u^2/332756424000000000000000000000000000000 - 570364803335365831308309894731819297479*u/166378212000000000000000000000000000000 + 12867800359645226676372047014955507719/8318910600000000000000000000000000000";

    #[test]
    fn the_probes_and_the_gradients_decide_together() {
        use Verdict::{Fails, Holds, Inconclusive};
        for (probes, gradients, both) in [
            (Holds, Holds, Holds),
            (Holds, Fails, Fails),
            (Holds, Inconclusive, Inconclusive),
            (Fails, Holds, Fails),
            (Fails, Fails, Fails),
            (Fails, Inconclusive, Fails),
            (Inconclusive, Holds, Inconclusive),
            (Inconclusive, Fails, Fails),
            (Inconclusive, Inconclusive, Inconclusive),
        ] {
            assert_eq!(
                with_gradients(probes, gradients),
                both,
                "{probes:?} {gradients:?}"
            );
        }
    }

    #[test]
    fn table() {
        let hu = Residual::TargetMinusModel;
        let tb = Residual::ModelMinusTarget;
        verdict("t^2/2", "u - 1 - log(u)", hu, true);
        verdict("t^2/2", "-log(u)", hu, true); // up to the class: c = -1
        verdict("exp(t) - t - 1", "u*log(u)", hu, true);
        verdict("exp(t) - t - 1", "u*log(u) - u + 1", tb, false); // the sign trap
        verdict("exp(t) - t - 1", "u/2 - 1 + 1/(2*u)", tb, true);
        verdict("t^2", "u - 1 - log(u)", hu, false); // wrong scale
        verdict("t^2/2", "u*log(u)", hu, false); // wrong direction
        verdict("log(cosh(t))", "u*log(u)", hu, false);
        verdict("abs(t)", "abs(u - 1)", hu, true); // numeric
        verdict("abs(t)", "abs(u - 1) + 3", hu, true); // numeric, up to a constant
        verdict("abs(t)", "abs(u - 1) + 3*u", hu, true); // numeric, up to an affine term
        verdict("abs(t)", "abs(u - 1) + u^2", hu, false); // numeric, not affine
        // Numeric, and equal to the derived f at every probe but not between them: a degree-6
        // polynomial through the values of t·atan(t)'s f at 0.1, 0.5, 2, 4 and 10 (and 1).
        verdict("t*atan(t)", INTERPOLANT, hu, false);
        verdict("t^2/2", "-log(u) + 5", hu, true); // up to a constant: a = 5, c = -1
        verdict("t^2/2", "-log(u) + log(u)^2", hu, false); // not an affine difference
        verdict(
            "-pi^2/12 - 2*log(2) - Li2(-exp(t))",
            "u*log(u) - (u + 1)*log(u + 1)",
            hu,
            true,
        ); // GAN, whose derived f(1) = 0 is not the catalog's −2·ln 2
    }
}

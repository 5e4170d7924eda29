//! Training regimes (Hu et al. 2025, Thm B.1): who samples and whose parameters are
//! differentiated decide the generator; the divergence is `D_f(q‖pθ)` in every row.
//!
//! | samples | gradient of | generator |
//! |---|---|---|
//! | `pθ` | model | `f₁(u) = u ∫_0^{ln u} g'(τ) e^{−τ} dτ` (the pair) |
//! | `pθ` | target | `f₂(u) = g(ln u)` |
//! | `q` | model | `f₃(u) = u·g(ln u)` |
//! | `q` | target | `f₄(u) = ∫_1^u g'(ln s) ds = ∫_0^{ln u} g'(τ) e^{τ} dτ` |

use crate::Error;
use crate::check::{CheckOptions, GradientCheck, Regime, check};
use crate::diff::diff;
use crate::eval::{Params, compile};
use crate::expr::{DIVERGENCE_VAR, Expr, Func, LOSS_VAR};
use crate::integrate::table::integrate_from_zero;
use crate::simplify::simplify;
use crate::transform::Correspondence;

/// The regime's generator and its gradient check.
#[derive(Clone, Debug, PartialEq)]
pub struct RegimeCheck {
    /// The regime.
    pub regime: Regime,
    /// Its generator `f_i(u)`.
    pub generator: Expr,
    /// The gradient theorem in this regime.
    pub check: GradientCheck,
}

/// The short name of a regime, as on the command line.
pub fn name(r: Regime) -> &'static str {
    match r {
        Regime::ModelSamplesModelGradient => "model-samples-model-gradient",
        Regime::ModelSamplesTargetGradient => "model-samples-target-gradient",
        Regime::TargetSamplesModelGradient => "target-samples-model-gradient",
        Regime::TargetSamplesTargetGradient => "target-samples-target-gradient",
    }
}

/// `f_i(u)` of the loss `g` in `regime`, in closed form (`None` when regime 1 or 4 needs an
/// integral outside the closed-form class).
pub fn generator(g: &Expr, regime: Regime) -> Result<Option<Expr>, Error> {
    let u = Expr::sym(DIVERGENCE_VAR);
    let log_u = Expr::func(Func::Log, u.clone());
    Ok(match regime {
        Regime::ModelSamplesModelGradient => crate::transform::divergence_of(g)?,
        Regime::ModelSamplesTargetGradient => Some(simplify(&g.substitute(LOSS_VAR, &log_u))?),
        Regime::TargetSamplesModelGradient => {
            Some(simplify(&(u * g.substitute(LOSS_VAR, &log_u)))?)
        }
        Regime::TargetSamplesTargetGradient => {
            let gp = diff(g, LOSS_VAR)?;
            let integrand = simplify(&(gp * Expr::func(Func::Exp, Expr::sym(LOSS_VAR))))?;
            integrate_from_zero(&integrand, LOSS_VAR, &log_u)?
                .map(|f| simplify(&f))
                .transpose()?
        }
    })
}

/// The generator of `pair`'s loss in `regime`, proved by the gradient check in that regime.
pub fn check_regime(
    pair: &Correspondence,
    regime: Regime,
    opts: &CheckOptions,
) -> Result<RegimeCheck, Error> {
    let g = pair.loss.as_ref().ok_or_else(|| {
        Error::NoClosedForm("training regimes need the loss in closed form".into())
    })?;
    let f = generator(g, regime)?.ok_or_else(|| {
        Error::NoClosedForm("this regime's generator has no closed form for this loss".into())
    })?;
    let none = Params::new();
    let gp = compile(&diff(g, LOSS_VAR)?, LOSS_VAR, &none)?;
    let fc = compile(&f, DIVERGENCE_VAR, &none)?;
    let fpc = compile(&diff(&f, DIVERGENCE_VAR)?, DIVERGENCE_VAR, &none)?;
    let (gpf, ff, fpf) = (
        |t: f64| gp.eval(t),
        |u: f64| fc.eval(u),
        |u: f64| fpc.eval(u),
    );
    let p = crate::check::Pair {
        g_prime: &gpf,
        f: &ff,
        f_prime: &fpf,
        error: None,
    };
    let mut o = opts.clone();
    o.regime = regime;
    Ok(RegimeCheck {
        regime,
        generator: f,
        check: check(&p, &o)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::print::plain;
    use crate::transform::{Bindings, Residual, from_loss};

    #[test]
    fn each_regime_proves_its_generator() {
        let pair = from_loss(
            &parse("t^2/2").unwrap(),
            Residual::TargetMinusModel,
            &Bindings::new(),
        )
        .unwrap();
        let want = [
            "u - 1 - log(u)",
            "log(u)^2/2",
            "u*log(u)^2/2",
            "u*log(u) - u + 1",
        ];
        for (r, w) in Regime::ALL.into_iter().zip(want) {
            let c = check_regime(&pair, r, &CheckOptions::default()).unwrap();
            assert_eq!(plain(&c.generator), w, "{}", name(r));
            assert!(c.check.max_rel_error < 1e-9, "{}: {:?}", name(r), c.check);
        }
    }
}

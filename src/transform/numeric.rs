//! The derived side by quadrature, when it has no closed form.

use super::{Correspondence, Value};
use crate::Error;

/// The derived side of `pair` at `xs`, numerically.
pub(super) fn values(_pair: &Correspondence, _xs: &[f64]) -> Result<Vec<Value>, Error> {
    Err(Error::Input(
        "numeric transforms are not available yet".into(),
    ))
}

/// The gradient check of `pair`, with closed forms compiled and numeric sides by quadrature.
pub(super) fn gradient_check(
    pair: &Correspondence,
    opts: &crate::check::CheckOptions,
) -> Result<crate::check::GradientCheck, Error> {
    use crate::eval::{Params, compile};
    use crate::expr::{DIVERGENCE_VAR, LOSS_VAR};
    let none = Params::new();
    match (
        &pair.loss_derivative,
        &pair.divergence,
        &pair.divergence_derivative,
    ) {
        (Some(gp), Some(f), Some(fp)) => {
            let gp = compile(gp, LOSS_VAR, &none)?;
            let f = compile(f, DIVERGENCE_VAR, &none)?;
            let fp = compile(fp, DIVERGENCE_VAR, &none)?;
            let g_prime = |x: f64| gp.eval(x);
            let f_val = |x: f64| f.eval(x);
            let f_prime = |x: f64| fp.eval(x);
            let p = crate::check::Pair {
                g_prime: &g_prime,
                f: &f_val,
                f_prime: &f_prime,
            };
            Ok(crate::check::check(&p, opts)?)
        }
        _ => Err(Error::Input(
            "numeric transforms are not available yet".into(),
        )),
    }
}

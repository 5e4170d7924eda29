//! The derived side at the transform's anchor, `g(0)` or `f(1)`, exactly.
//!
//! There the derived side is a constant (`g(0) = f(1)`; the derived `f(1)` is `0`), but its
//! closed form as written is usually a sum that cancels to it (Le Cam's
//! `−t/2 + 2·softplus(t) + 2·sigmoid(−t) − 1 − 2·log(2)` is `2·log 2 + 1 − 1 − 2·log 2` at
//! `t = 0`), so its rounding bound is not small against the value and the value would come from
//! quadrature of an empty interval (`0 ± 0`). Evaluated symbolically it is an exact number.

use crate::expr::{DIVERGENCE_VAR, Expr, LOSS_VAR};

/// The value of the closed form `e` of `var` at `x` when `x` is the anchor (`u = 1`, `t = 0`)
/// and `e` simplifies there to a rational number (rounded once to `f64`); `None` elsewhere.
pub(super) fn exact_at_anchor(e: &Expr, var: &str, x: f64) -> Option<f64> {
    let anchor = match var {
        DIVERGENCE_VAR if x == 1.0 => Expr::one(),
        LOSS_VAR if x == 0.0 => Expr::zero(),
        _ => return None,
    };
    let value = crate::simplify::simplify(&e.substitute(var, &anchor)).ok()?;
    value.as_num().map(crate::expr::number::rational_to_f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    #[track_caller]
    fn at_anchor(e: &str, var: &str, x: f64, expected: Option<f64>) {
        assert_eq!(
            exact_at_anchor(&parse(e).unwrap(), var, x),
            expected,
            "{e} at {x}"
        );
    }

    #[test]
    fn table() {
        let le_cam = "-t/2 + 2*softplus(t) + 2*sigmoid(-t) - 1 - 2*log(2)";
        at_anchor(le_cam, "t", 0.0, Some(0.0));
        at_anchor(le_cam, "t", 1e-9, None); // not the anchor
        at_anchor("exp(t) - 1", "t", 0.0, Some(0.0));
        at_anchor("exp(t) + 1/2", "t", 0.0, Some(1.5));
        at_anchor("u*log(u) - u + 1", "u", 1.0, Some(0.0));
        at_anchor("u*log(u) - u + 1", "t", 1.0, None); // the anchor of `u`, not of `t`
        at_anchor("log(u + 1)", "u", 1.0, None); // log(2): not a rational number
    }
}

//! The loss on the model-minus-target residual `r = log pθ − log q`, beside the pair.
//!
//! Every expression of a pair is on `t = log q − log pθ`. A user who writes (or wants) the loss
//! on the other residual needs it in a variable of its own: printing `exp(t) - 1` next to the
//! formula `t = log pθ − log q` reads as `e^r − 1` on `r = log pθ − log q`, the sign trap. So
//! that loss is always written in `r`, `G(r) = g(−r)`, never in `t`.

use super::{Correspondence, Direction, Residual};
use crate::expr::{Expr, LOSS_VAR};
use crate::simplify::simplify;

/// The variable of a loss on the model-minus-target residual.
pub const MODEL_RESIDUAL_VAR: &str = "r";

/// The model-minus-target residual as a formula.
pub const MODEL_RESIDUAL_FORMULA: &str = "r = log pθ − log q";

/// `G(r) = g(−r)` on `r = log pθ − log q`, for a pair whose residual is
/// [`Residual::ModelMinusTarget`]: the input as written (in `r`) for a loss, the derived loss
/// reflected for a generator. `None` for the other residual, a numeric loss, or a loss in which
/// `r` is already a name.
pub fn model_minus_target_loss(pair: &Correspondence) -> Option<Expr> {
    if pair.residual != Residual::ModelMinusTarget {
        return None;
    }
    match pair.direction {
        Direction::FromLoss => written_in_r(&pair.written),
        Direction::FromDivergence => on_r(pair.loss.as_ref()?, -Expr::sym(MODEL_RESIDUAL_VAR)),
    }
}

/// A loss written on the model-minus-target residual (in `t`, as parsed) in its own variable:
/// `G(r)`. `None` when `r` is already a name in it.
pub fn written_in_r(written: &Expr) -> Option<Expr> {
    on_r(written, Expr::sym(MODEL_RESIDUAL_VAR))
}

/// `g` with `t` replaced by `at` (an expression in `r`), unless `r` is already a name in `g`.
fn on_r(g: &Expr, at: Expr) -> Option<Expr> {
    if g.contains_sym(MODEL_RESIDUAL_VAR) {
        return None;
    }
    simplify(&g.substitute(LOSS_VAR, &at)).ok()
}

//! A loss given on the model-minus-target residual in its own variable. fcorr writes that loss
//! as `G(r)` on `r = log pθ − log q`, so `--from-loss "exp(-r) - 1" --residual
//! model-minus-target`, copied from its own output, must read `r` as the variable: as a name it
//! made a constant family over a parameter `r`.

use super::Subject;
use crate::expr::{Expr, LOSS_VAR};
use crate::transform::{MODEL_RESIDUAL_VAR, Residual};

impl Subject {
    /// The loss `self` on `residual`: with [`Residual::ModelMinusTarget`], an expression written
    /// in `r` and not in `t` is `G(r)`, and `r` becomes the loss's variable (fcorr's expressions
    /// hold the loss in `t`). Otherwise, and for a catalog entry, `self` unchanged: beside `t`,
    /// `r` stays a parameter.
    pub fn on_residual(mut self, residual: Residual) -> Subject {
        if residual == Residual::ModelMinusTarget
            && self.key.is_none()
            && self.expr.contains_sym(MODEL_RESIDUAL_VAR)
            && !self.expr.contains_sym(LOSS_VAR)
        {
            self.expr = self
                .expr
                .substitute(MODEL_RESIDUAL_VAR, &Expr::sym(LOSS_VAR));
        }
        self
    }
}

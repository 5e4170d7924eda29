//! The limit of a loss's weight `g'(t)` as `t → −∞` when `g'` is a rational function of `t`
//! with rational coefficients (Geman–McClure `t²/(1 + t²)`: `g' = 2t/(1 + t²)²`).
//!
//! [`super::leading`] reads a sum by its leading terms and gives up when they cancel, as the
//! two halves of `2t/(1 + t²) − 2t³/(1 + t²)²` do; a numeric reading then prints rounding
//! noise (`−4.5e-10`) for `0`. Over one denominator `N(t)/D(t)` the limit is exact by the
//! degrees alone: `0` when `deg N < deg D`, the ratio of the leading coefficients when they
//! are equal, and otherwise `±∞` with the sign of `lead(N)/lead(D)·(−1)^{deg N − deg D}`.

use super::Limit;
use crate::expr::{Expr, LOSS_VAR};
use crate::family::regions::ratfun::fraction;
use num_traits::{Signed, ToPrimitive};

/// `lim_{t→−∞} h(t)` for a rational function `h` of `t`, exact; `None` when `h` is not one.
pub(super) fn limit_at_minus_infinity(h: &Expr) -> Option<Limit> {
    let (n, d) = fraction(h, LOSS_VAR)?;
    if n.is_zero() {
        return Some(Limit::Finite(Some(Expr::zero()), 0.0));
    }
    let (dn, dd) = (n.degree(), d.degree());
    let ratio = n.lead() / d.lead();
    Some(match dn.cmp(&dd) {
        std::cmp::Ordering::Less => Limit::Finite(Some(Expr::zero()), 0.0),
        std::cmp::Ordering::Equal => {
            let v = ratio.to_f64()?;
            Limit::Finite(Some(Expr::Num(ratio)), v)
        }
        std::cmp::Ordering::Greater => {
            if ratio.is_positive() == ((dn - dd) % 2 == 0) {
                Limit::PlusInfinity
            } else {
                Limit::MinusInfinity
            }
        }
    })
}

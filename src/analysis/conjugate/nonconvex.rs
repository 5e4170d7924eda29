//! The numeric conjugate is a search for the stationary point of `u·y − f(u)`: it finds the
//! supremum only when `f'` increases, that is for a convex `f`. For a generator the convexity
//! analysis shows not convex, its numbers and pieces would be wrong (`t^3 + t^2` has
//! `f(0+) = −∞`, so `f* = +∞` everywhere, yet the search stops at a finite value), so the
//! conjugate is reported as not available instead, with the reason.

use super::{Conjugate, Method};
use crate::analysis::convexity::Convexity;
use crate::analysis::{Outcome, Unavailable};

/// `conjugate`, or why it is withheld: a numeric conjugate of a generator shown not convex, or
/// any conjugate of one whose value at a point stands apart from its limits.
pub(crate) fn of_convex_only(
    conjugate: Outcome<Conjugate>,
    convexity: &Outcome<Convexity>,
) -> Outcome<Conjugate> {
    match (&conjugate, convexity) {
        // A value apart from its limits is seen by no stationary point, closed form or not.
        (Ok(c), Ok(convexity))
            if (c.method == Method::Numeric || convexity.apart.is_some()) && !convexity.convex =>
        {
            Err(Unavailable {
                kind: crate::ErrorKind::Input,
                reason: "f is not convex, so sup_u (u·y − f(u)) is not found at a stationary \
                         point: the conjugate is not computed"
                    .into(),
            })
        }
        _ => conjugate,
    }
}

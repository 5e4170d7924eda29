//! The comparison of a closed-form conjugate with the numeric supremum, which catches a wrong
//! closed form before it is shown.
//!
//! Either side can be unable to give a value at a point without anything being wrong with the
//! closed form: `f64` may not evaluate the closed form to the digits the comparison needs
//! (`1e9/(1 − 0.999999999·y)^(1/999999999) − 1e9` cancels nine digits), and the search may not
//! find the supremum (its maximiser beyond `u = e^200` for the α-divergence at `α = 0.996`, or
//! `f` itself cancelling). Such a point is no evidence either way, so it is left out. A
//! disagreement is an internal error only when it is proved: the closed form's value with its
//! rounding bound lies outside the enclosure of the supremum that `certify.rs` gives.

use super::{Bound, Conjugate, Located, Supremum, certify, locate, supremum_at};
use crate::Error;
use crate::print::plain;

/// Two values agree when they differ by at most this, relative to `max(1, |value|)`.
const AGREEMENT: f64 = 1e-7;

/// What a comparison at one point showed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Comparison {
    /// Both sides were evaluated and agree.
    Agrees,
    /// One side could not be evaluated to [`AGREEMENT`] (or at all): no evidence.
    Undecided,
}

/// The points where the closed form is compared: below a finite upper end `b` they are
/// `b − {3, 1, 1/8}·max(1, |b|)` (a fixed offset is lost in rounding at a large `b`:
/// `2e20 − 1/8 = 2e20` in `f64`, which put the point on the open end itself), on the whole
/// line `−5/2, 1/2, 3`.
pub(super) fn points(conj: &Conjugate) -> [f64; 3] {
    match &conj.domain.upper {
        Bound::Infinite => [-2.5, 0.5, 3.0],
        Bound::Finite { value, .. } => {
            let step = value.abs().max(1.0);
            [value - 3.0 * step, value - step, value - 0.125 * step]
        }
    }
}

/// Compare the closed form of `conj` with the numeric supremum at `y`; fails (an internal
/// error) only when the two provably differ.
pub(super) fn compare(
    sup: &Result<Supremum, Error>,
    conj: &Conjugate,
    y: f64,
) -> Result<Comparison, Error> {
    let Some((exact, error)) = conj.value_with_error(y)? else {
        return Ok(Comparison::Undecided);
    };
    let Ok(numeric) = supremum_at(sup, y) else {
        return Ok(Comparison::Undecided);
    };
    // Both past the largest `f64` (a small scale puts `e^{y/k}` there): they agree.
    if exact.is_infinite() && exact == numeric {
        return Ok(Comparison::Agrees);
    }
    let scale = 1.0_f64.max(exact.abs());
    // a `NaN` bound says as much as a large one
    if exact.is_nan() || error.is_nan() || error > AGREEMENT * scale {
        return Ok(Comparison::Undecided);
    }
    if (exact - numeric).abs() <= AGREEMENT * scale {
        return Ok(Comparison::Agrees);
    }
    let margin = AGREEMENT * scale;
    match enclosure(sup, y)? {
        Some((low, high)) if exact + error + margin < low || exact - error - margin > high => {
            Err(Error::Internal(format!(
                "internal error: the closed-form conjugate {} gives {exact} at y = {y}, but the \
                 numeric supremum is {numeric}; please report this",
                conj.expr.as_ref().map_or_else(String::new, plain)
            )))
        }
        _ => Ok(Comparison::Undecided),
    }
}

/// Where the supremum at `y` certainly lies, when the search found a maximiser.
fn enclosure(sup: &Result<Supremum, Error>, y: f64) -> Result<Option<(f64, f64)>, Error> {
    let Ok(Located::At { s, .. }) = locate(sup, y) else {
        return Ok(None);
    };
    let Ok(sup) = sup.as_ref() else {
        return Ok(None);
    };
    let at_grid_end = s == -super::SEARCH_HALF_WIDTH;
    Ok(certify::enclose(sup, y, s, at_grid_end)
        .filter(|e| e.low.is_finite() && !e.high.is_nan())
        .map(|e| (e.low, e.high)))
}

//! A conjugate without closed form, described as well as it can be: the domain's upper end is
//! `f'(∞) = lim f(u)/u`, exact when the tails analysis finds it (`1/2` for Le Cam), and whether
//! `f*` is finite there is decided by the numeric supremum at that exact end; the constant
//! piece below `f'(0+)` comes from the exact `f'(0+)` and `f(0+)`; and `f*` is evaluated at a
//! few points of the domain, so a reader sees numbers, not only a formula that says "numeric".
//! A point is shown only when its value is enclosed to [`super::SAMPLE_TOLERANCE`]
//! (`certify.rs`): a value the search found on a derivative that lost its digits, or on a flat
//! stretch of `u·y − f(u)` known only to its rounding, is left out rather than shown wrong.

use super::{
    Bound, Conjugate, Domain, LowerPiece, Method, Supremum, certified_at, estimated_domain,
    supremum_at,
};
use crate::Error;
use crate::analysis::tails::{Limit, generator_at_zero, of_generator};
use crate::expr::Expr;
use crate::simplify::simplify;

/// The numeric conjugate of `f` (simplified, no parameters), `fp = f'`.
pub(super) fn described(f: &Expr, fp: &Expr) -> Result<Conjugate, Error> {
    let tails = of_generator(f).ok();
    let sup = Supremum::new(f);
    let upper = match tails.as_ref().map(|t| &t.f_prime_at_inf) {
        Some(Limit::PlusInfinity) => Bound::Infinite,
        Some(Limit::Finite(Some(exact), value)) => Bound::Finite {
            exact: Some(exact.clone()),
            value: *value,
            // `f*` at the exact end: finite (a power-law tail, extrapolated) or `+∞`
            closed: supremum_at(&sup, *value).ok().map(f64::is_finite),
        },
        _ => estimated_domain(fp)?.upper,
    };
    let lower_piece = lower_piece(fp, tails.as_ref().map(|t| &t.f_at_0));
    let domain = Domain {
        lower: Bound::Infinite,
        upper,
    };
    // only values whose error is known to be within the tolerance
    let values = sample_points(&domain)
        .into_iter()
        .filter_map(|y| match certified_at(&sup, y) {
            Ok(Some(v)) if v.is_finite() => Some((y, v)),
            _ => None,
        })
        .collect();
    Ok(Conjugate {
        expr: None,
        domain,
        method: Method::Numeric,
        lower_piece,
        values,
        unchecked: false,
    })
}

/// `f*(y) = −f(0+)` for `y ≤ f'(0+)`, when both limits are finite and exact.
fn lower_piece(fp: &Expr, f_at_0: Option<&Limit>) -> Option<LowerPiece> {
    let Some(Limit::Finite(Some(f0), _)) = f_at_0 else {
        return None;
    };
    let Limit::Finite(Some(fp0), _) = generator_at_zero(fp).ok()? else {
        return None;
    };
    Some(LowerPiece {
        threshold: fp0,
        value: simplify(&-f0.clone()).ok()?,
    })
}

/// Where the values are shown: below a finite upper end `U` at `U − 2`, `U − 1` and `U − 1/2`;
/// on the whole line at `−1, 0, 1, 2`. Never at `U` itself: there the supremum is a limit
/// `u → ∞` of `u·U − f(u)`, extrapolated from values at large `u` where the two terms cancel
/// (`log(cosh(t))` gives `1.00000000017` for the exact `1`), so it is not known to the digits a
/// value is printed with; the domain still says whether `f*` is finite at `U`.
fn sample_points(domain: &Domain) -> Vec<f64> {
    match &domain.upper {
        Bound::Infinite => vec![-1.0, 0.0, 1.0, 2.0],
        Bound::Finite { value, .. } => vec![value - 2.0, value - 1.0, value - 0.5],
    }
}

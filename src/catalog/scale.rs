//! The size of a closed-form generator, taken out exactly before it is compared with a named one.
//!
//! Identification reads the scale `k` of `canonical(f) = k·canonical(f_named)` from values in
//! floating point and guesses it as a small-denominator rational: a scale the user typed
//! (`1e-9`, `12345/67891`, `1e300`) has no small denominator, and far from `1` its values
//! underflow or overflow. Dividing the canonical member by its largest coefficient, exactly,
//! leaves a member whose scale against a catalog entry is a ratio of the entry's own small
//! coefficients; the user's scale is multiplied back exactly.

use crate::expr::Expr;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

/// The terms of `e`: its terms for a sum, `e` itself otherwise.
fn terms(e: &Expr) -> &[Expr] {
    match e {
        Expr::Add(ts) => ts,
        other => std::slice::from_ref(other),
    }
}

/// `s > 0`, the largest magnitude over the terms of `e` (see [`term_magnitude`]); `1` when
/// every coefficient is `0`.
pub(super) fn magnitude(e: &Expr) -> BigRational {
    magnitude_to(e, 0)
}

/// How deep [`term_magnitude`] reads sums inside powers.
const DEPTH: usize = 4;

/// [`magnitude`] of a sum met `depth` powers down.
fn magnitude_to(e: &Expr, depth: usize) -> BigRational {
    terms(e)
        .iter()
        .map(|t| term_magnitude(t, depth))
        .filter(|c| !c.is_zero())
        .max()
        .unwrap_or_else(BigRational::one)
}

/// The size of a term `c·x₁·x₂·…`: `|c|`, times `magnitude(s)^n` for each factor that is a sum
/// `s` or a sum to a small integer power `s^n`, so that the scale of `(u/1000 − 1/1000)^2`
/// (`1/1000000`) is read as well as that of `(u − 1)^2/1000000`. Any positive size serves the
/// identification (it divides and multiplies back exactly); this one finds the scale a user
/// wrote inside a power.
fn term_magnitude(t: &Expr, depth: usize) -> BigRational {
    let (c, rest) = t.split_coeff();
    let mut size = c.abs();
    if size.is_zero() || depth >= DEPTH {
        return size;
    }
    let factors = match &rest {
        Expr::Mul(xs) => xs.as_slice(),
        other => std::slice::from_ref(other),
    };
    for x in factors {
        let (base, power) = match x {
            Expr::Pow(b, n) => match &**n {
                Expr::Num(n) if n.is_integer() => match n.to_integer().try_into() {
                    Ok(k @ -8..=8i32) => (&**b, k),
                    _ => continue,
                },
                _ => continue,
            },
            other => (other, 1),
        };
        if matches!(base, Expr::Add(_)) {
            let inner = magnitude_to(base, depth + 1);
            size *= num_traits::pow::Pow::pow(&inner, power);
        }
    }
    size
}

/// `e/s` for a positive `s`, term by term and exactly (`e` when `s = 1`).
pub(super) fn divided(e: &Expr, s: &BigRational) -> Expr {
    if s.is_one() {
        return e.clone();
    }
    let inverse = Expr::Num(s.recip());
    Expr::add(
        terms(e)
            .iter()
            .map(|t| Expr::mul(vec![inverse.clone(), t.clone()]))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::simplify::simplify;

    #[track_caller]
    fn magnitude_is(e: &str, s: &str) {
        let e = simplify(&parse(e).unwrap()).unwrap();
        let want = simplify(&parse(s).unwrap()).unwrap();
        assert_eq!(Expr::Num(magnitude(&e)), want, "magnitude of {e:?}");
        let back = simplify(&(divided(&e, &magnitude(&e)) * want)).unwrap();
        assert_eq!(back, e, "{e:?} divided and multiplied back");
    }

    #[test]
    fn magnitudes() {
        magnitude_is("u*log(u) - u + 1", "1");
        magnitude_is("1e-9*u*log(u) - 1e-9*u + 1e-9", "1e-9");
        magnitude_is("2*u - 2 - 2*log(u)", "2");
        magnitude_is("-3/7*u*log(u) + 3/7*u - 3/7", "3/7");
        magnitude_is("1e-400*(u - 1)^2", "1e-400");
        magnitude_is("1e400*u*log(u) - 1e400*u + 1e400", "1e400");
        magnitude_is("u/2 - sqrt(u) + 1/2", "1");
        magnitude_is("0", "1");
        // A scale written inside a power of a sum.
        magnitude_is("(u/1000 - 1/1000)^2", "1/1000000");
        magnitude_is("(sqrt(u)/1000 - 1/1000)^2", "1/1000000");
        magnitude_is("(u/100000 - 1/100000)^2/(u/100000)", "1/50000");
    }
}

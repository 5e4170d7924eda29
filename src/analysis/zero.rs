//! A zero test for rational functions of the generator's variable: `(u − 1)²/(2u + 2)` and
//! `u/2 − 3u/(2(u + 1)) + 1/(2(u + 1))` are the same generator, which the simplifier (sums of
//! terms, not one fraction) does not see. Over one denominator, with the numerator's polynomial
//! cancelled exactly, it does.

use crate::expr::{DIVERGENCE_VAR, Expr, Func};

/// Whether `e`, a function of `u`, is a rational function of `u` over ℚ that is identically
/// zero (`false` when it holds anything else: a logarithm, an irrational constant, a parameter).
pub fn is_rational_zero(e: &Expr) -> bool {
    // `u = e^τ` makes `e` rational in one exponential, the form the integration table reads.
    const TAU: &str = "τ";
    let u = Expr::func(Func::Exp, Expr::sym(TAU));
    let in_tau = e.substitute(DIVERGENCE_VAR, &u);
    crate::integrate::rational::in_exponentials(&in_tau, TAU).is_some_and(|(_, r)| r.num.is_zero())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    #[track_caller]
    fn zero(e: &str, expected: bool) {
        assert_eq!(is_rational_zero(&parse(e).unwrap()), expected, "{e}");
    }

    #[test]
    fn table() {
        zero(
            "(u - 1)^2/(2*u + 2) - (u/2 - 3*u/(u + 1)/2 + 1/(u + 1)/2)",
            true,
        );
        zero("1/u + 1/(u + 1) - (2*u + 1)/(u*(u + 1))", true);
        zero("1/u + 1/(u + 1) - (2*u + 2)/(u*(u + 1))", false);
        zero("(u - 1)^2/(2*u + 2)", false);
        zero("log(u) - log(u)", false); // not rational: left to the simplifier
        zero("u*a - u*a", false); // a parameter
    }
}

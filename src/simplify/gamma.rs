//! Identities of the lower incomplete gamma function `γ(p, x) = ∫_0^x |s|^(p−1)·e^(−s) ds`
//! (`γ(p, 0) = 0` for a number `p > 0` is applied by the constructor, for a `p` known positive
//! here).
//!
//! `γ(1, x) = 1 − e^(−x)` on both sides of `0`, which the evaluator computes as `−expm1(−x)`.
//! Larger integers have elementary forms too (`γ(n, x)` is `sign(x)^(n−1)` times
//! `(n − 1)!·(1 − e^(−x)·Σ_{k<n} x^k/k!)`), but they are not written out: near `x = 0` that
//! difference cancels (`γ(2, 10^-3)` would lose seven digits), where `γ` itself does not.

use super::{Assumptions, Rule};
use crate::expr::{Expr, Func, Func2};

/// The family's rules.
pub static RULES: &[Rule] = &[
    Rule {
        name: "lowergamma_at_zero",
        apply: lowergamma_at_zero,
    },
    Rule {
        name: "lowergamma_of_one",
        apply: lowergamma_of_one,
    },
    Rule {
        name: "sign_of_lowergamma",
        apply: sign_of_lowergamma,
    },
];

/// `γ(p, 0) = 0` for `p > 0` (a parameter known positive: `--positive p`).
fn lowergamma_at_zero(e: &Expr, a: &Assumptions) -> Option<Expr> {
    let Expr::Func2(Func2::LowerGamma, p, x) = e else {
        return None;
    };
    (x.is_zero() && a.is_positive(p)).then(Expr::zero)
}

/// `γ(1, x) = 1 − e^(−x)` for every real `x`.
fn lowergamma_of_one(e: &Expr, _: &Assumptions) -> Option<Expr> {
    let Expr::Func2(Func2::LowerGamma, p, x) = e else {
        return None;
    };
    p.is_one()
        .then(|| Expr::one() - Expr::func(Func::Exp, -(**x).clone()))
}

/// `sign(γ(p, x)) = sign(x)` where `γ(p, x)` is defined (`p > 0`): the integrand is positive.
fn sign_of_lowergamma(e: &Expr, _: &Assumptions) -> Option<Expr> {
    let Expr::Func(Func::Sign, g) = e else {
        return None;
    };
    let Expr::Func2(Func2::LowerGamma, _, x) = &**g else {
        return None;
    };
    Some(Expr::func(Func::Sign, (**x).clone()))
}

#[cfg(test)]
mod tests {
    use crate::eval::{Params, compile};
    use crate::parse::parse;
    use crate::print::plain;
    use crate::simplify::simplify;
    use crate::simplify::tests::{is_undefined, simplifies_to};

    #[test]
    fn identities() {
        simplifies_to("lowergamma(1, t)", "-exp(-t) + 1");
        simplifies_to("lowergamma(1, log(u))", "1 - 1/u");
        simplifies_to("lowergamma(2, t)", "lowergamma(2, t)");
        simplifies_to("lowergamma(3/2, 0)", "0");
        simplifies_to("lowergamma(3/2, t)", "lowergamma(3/2, t)");
        simplifies_to("sign(lowergamma(3/2, t - 1))", "sign(t - 1)");
        simplifies_to("γ(1/2, u) + γ(1/2, u)", "2*lowergamma(1/2, u)");
    }

    #[test]
    fn at_zero_with_a_positive_parameter() {
        let e = parse("lowergamma(p, 0) + lowergamma(p + 1, t)").unwrap();
        let positive = crate::simplify::Assumptions::with_positive(["p"]);
        let s = crate::simplify::simplify_with(&e, &positive).unwrap();
        assert_eq!(plain(&s), "lowergamma(1 + p, t)");
        // without the assumption, p may be ≤ 0 where γ(p, 0) is undefined
        assert_eq!(
            plain(&simplify(&e).unwrap()),
            "lowergamma(p, 0) + lowergamma(1 + p, t)"
        );
    }

    #[test]
    fn domain() {
        is_undefined("lowergamma(0, t)");
        is_undefined("lowergamma(-1/2, u)");
        is_undefined("lowergamma(-u, t)");
        is_undefined("lowergamma(3/2, log(0))");
    }

    /// `1 − e^(−x)` agrees with the evaluator's `γ(1, x)` on both sides of `0`.
    #[test]
    fn elementary_form_agrees_with_the_function() {
        let c = compile(
            &simplify(&parse("lowergamma(1, t)").unwrap()).unwrap(),
            "t",
            &Params::new(),
        )
        .unwrap();
        for x in [-30.0, -3.5, -0.75, -1e-9, 1e-9, 0.5, 2.0, 40.0] {
            let want = crate::expr::gamma::lower_gamma(1.0, x);
            assert!(
                (c.eval(x) - want).abs() <= 4.0 * f64::EPSILON * want.abs(),
                "γ(1, {x})"
            );
        }
    }
}

//! Powers.
//!
//! A power `x^a` with a non-integer exponent is read on the principal real branch: it is defined
//! for `x ≥ 0` only. That is what makes `(x^(1/2))^b = x^(b/2)` sound for every `x` as long as
//! `b/2` is not an integer (`sqrt(t)^2` stays: `t` would be defined for `t < 0` too).

use super::{Assumptions, Rule, domain::is_even_integer};
use crate::expr::{Expr, Func};

/// The family's rules.
pub static RULES: &[Rule] = &[
    Rule {
        name: "pow_of_pow",
        apply: pow_of_pow,
    },
    Rule {
        name: "even_power_root",
        apply: even_power_root,
    },
    Rule {
        name: "pow_of_product",
        apply: pow_of_product,
    },
    Rule {
        name: "abs_even_power",
        apply: abs_even_power,
    },
];

fn is_non_integer_number(e: &Expr) -> bool {
    matches!(e, Expr::Num(n) if !n.is_integer())
}

/// `(x^a)^b = x^(a·b)` for `x ≥ 0`, or when `a` and `a·b` are non-integer numbers (then both
/// sides are defined for `x ≥ 0` only). With `a·b` an integer the right side would be defined
/// for negative `x` too (`sqrt(t)^2 = t` widens the domain), so the rule does not fire.
fn pow_of_pow(e: &Expr, a: &Assumptions) -> Option<Expr> {
    let Expr::Pow(inner, b) = e else {
        return None;
    };
    let Expr::Pow(x, p) = &**inner else {
        return None;
    };
    let ab = (**p).clone() * (**b).clone();
    (a.is_nonneg(x) || (is_non_integer_number(p) && is_non_integer_number(&ab)))
        .then(|| Expr::pow((**x).clone(), ab))
}

/// `(x^(2k))^b = abs(x)^(2k·b)` for real `x` (so `sqrt(t^2) = abs(t)`).
fn even_power_root(e: &Expr, _: &Assumptions) -> Option<Expr> {
    let Expr::Pow(inner, b) = e else {
        return None;
    };
    let Expr::Pow(x, p) = &**inner else {
        return None;
    };
    is_even_integer(p).then(|| {
        Expr::pow(
            Expr::func(Func::Abs, (**x).clone()),
            (**p).clone() * (**b).clone(),
        )
    })
}

/// `(a·b)^c = a^c·b^c` when every factor is `≥ 0`.
fn pow_of_product(e: &Expr, a: &Assumptions) -> Option<Expr> {
    let Expr::Pow(inner, c) = e else {
        return None;
    };
    let Expr::Mul(fs) = &**inner else {
        return None;
    };
    fs.iter().all(|f| a.is_nonneg(f)).then(|| {
        Expr::mul(
            fs.iter()
                .map(|f| Expr::pow(f.clone(), (**c).clone()))
                .collect(),
        )
    })
}

/// `abs(x)^(2k) = x^(2k)` for real `x`.
fn abs_even_power(e: &Expr, _: &Assumptions) -> Option<Expr> {
    let Expr::Pow(inner, p) = e else {
        return None;
    };
    match &**inner {
        Expr::Func(Func::Abs, x) if is_even_integer(p) => {
            Some(Expr::pow((**x).clone(), (**p).clone()))
        }
        _ => None,
    }
}

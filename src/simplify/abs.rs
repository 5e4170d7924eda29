//! Absolute value and sign.

use super::{Assumptions, Rule};
use crate::expr::{Expr, Func};

/// The family's rules.
pub static RULES: &[Rule] = &[
    Rule {
        name: "abs_of_nonneg",
        apply: abs_of_nonneg,
    },
    Rule {
        name: "abs_of_nonpos",
        apply: abs_of_nonpos,
    },
    Rule {
        name: "abs_of_product",
        apply: abs_of_product,
    },
    Rule {
        name: "sign_of_known",
        apply: sign_of_known,
    },
];

/// `abs(x) = x` for `x ≥ 0`.
fn abs_of_nonneg(e: &Expr, a: &Assumptions) -> Option<Expr> {
    match e {
        Expr::Func(Func::Abs, x) if a.is_nonneg(x) => Some((**x).clone()),
        _ => None,
    }
}

/// `abs(x) = -x` for `x ≤ 0`.
fn abs_of_nonpos(e: &Expr, a: &Assumptions) -> Option<Expr> {
    match e {
        Expr::Func(Func::Abs, x) if a.is_nonpos(x) => Some(-(**x).clone()),
        _ => None,
    }
}

/// `abs(a·b) = a·abs(b)` for `a ≥ 0` (and `-a·abs(b)` for `a ≤ 0`): factors of known sign leave.
fn abs_of_product(e: &Expr, a: &Assumptions) -> Option<Expr> {
    let Expr::Func(Func::Abs, x) = e else {
        return None;
    };
    let Expr::Mul(fs) = &**x else {
        return None;
    };
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for f in fs {
        if a.is_nonneg(f) {
            known.push(f.clone());
        } else if a.is_nonpos(f) {
            known.push(-f.clone());
        } else {
            unknown.push(f.clone());
        }
    }
    if known.is_empty() || unknown.is_empty() {
        return None;
    }
    known.push(Expr::func(Func::Abs, Expr::mul(unknown)));
    Some(Expr::mul(known))
}

/// `sign(x) = 1` for `x > 0` and `sign(x) = -1` for `x < 0`, when `x` is defined everywhere
/// (`sign(sigmoid(log(t)))` stays: it is undefined for `t ≤ 0`, `1` is not).
fn sign_of_known(e: &Expr, a: &Assumptions) -> Option<Expr> {
    match e {
        Expr::Func(Func::Sign, x) if a.is_total(x) && a.is_positive(x) => Some(Expr::one()),
        Expr::Func(Func::Sign, x) if a.is_total(x) && a.is_negative(x) => Some(Expr::int(-1)),
        _ => None,
    }
}

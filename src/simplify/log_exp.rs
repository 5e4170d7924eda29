//! Logarithms and exponentials.

use super::{Assumptions, Rule, complexity, domain::is_even_integer};
use crate::expr::{Expr, Func};
use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

/// The family's rules.
pub static RULES: &[Rule] = &[
    Rule {
        name: "log_of_exp",
        apply: log_of_exp,
    },
    Rule {
        name: "exp_of_log",
        apply: exp_of_log,
    },
    Rule {
        name: "log_of_power",
        apply: log_of_power,
    },
    Rule {
        name: "log_of_even_power",
        apply: log_of_even_power,
    },
    Rule {
        name: "log_of_reciprocal",
        apply: log_of_reciprocal,
    },
    Rule {
        name: "log_of_product",
        apply: log_of_product,
    },
    Rule {
        name: "log_of_scaled_sum",
        apply: log_of_scaled_sum,
    },
    Rule {
        name: "softplus_form",
        apply: softplus_form,
    },
    Rule {
        name: "sigmoid_form",
        apply: sigmoid_form,
    },
    Rule {
        name: "softplus_of_log",
        apply: softplus_of_log,
    },
];

fn log(x: Expr) -> Expr {
    Expr::func(Func::Log, x)
}

/// `log(exp(x)) = x` for real `x`.
fn log_of_exp(e: &Expr, _: &Assumptions) -> Option<Expr> {
    match e {
        Expr::Func(Func::Log, a) => match &**a {
            Expr::Func(Func::Exp, x) => Some((**x).clone()),
            _ => None,
        },
        _ => None,
    }
}

/// `exp(c·log(x) + r) = x^c·exp(r)` for `x > 0` (so `exp(log(u)) = u`).
fn exp_of_log(e: &Expr, a: &Assumptions) -> Option<Expr> {
    let Expr::Func(Func::Exp, arg) = e else {
        return None;
    };
    let is_log = |t: &Expr| match t {
        Expr::Func(Func::Log, _) => true,
        Expr::Mul(fs) => fs.iter().any(|f| matches!(f, Expr::Func(Func::Log, _))),
        _ => false,
    };
    let any_log = match &**arg {
        Expr::Add(ts) => ts.iter().any(is_log),
        other => is_log(other),
    };
    if !any_log {
        return None;
    }
    let terms: Vec<Expr> = match &**arg {
        Expr::Add(ts) => ts.clone(),
        other => vec![other.clone()],
    };
    let mut factors = Vec::new();
    let mut rest = Vec::new();
    for t in terms {
        let (c, r) = t.split_coeff();
        match &r {
            Expr::Func(Func::Log, x) if a.is_positive(x) => {
                factors.push(Expr::pow((**x).clone(), Expr::Num(c)));
            }
            _ => rest.push(t),
        }
    }
    if factors.is_empty() {
        return None;
    }
    factors.push(Expr::func(Func::Exp, Expr::add(rest)));
    Some(Expr::mul(factors))
}

/// `log(x^a) = a·log(x)` for `x > 0` and real `a`.
fn log_of_power(e: &Expr, a: &Assumptions) -> Option<Expr> {
    match e {
        Expr::Func(Func::Log, arg) => match &**arg {
            Expr::Pow(x, p) if a.is_positive(x) => Some((**p).clone() * log((**x).clone())),
            _ => None,
        },
        _ => None,
    }
}

/// `log(x^(2k)) = 2k·log(abs(x))` for real `x` and integer `k`.
fn log_of_even_power(e: &Expr, _: &Assumptions) -> Option<Expr> {
    match e {
        Expr::Func(Func::Log, arg) => match &**arg {
            Expr::Pow(x, p) if is_even_integer(p) => {
                Some((**p).clone() * log(Expr::func(Func::Abs, (**x).clone())))
            }
            _ => None,
        },
        _ => None,
    }
}

/// `log(1/n) = -log(n)` for a positive integer `n`.
fn log_of_reciprocal(e: &Expr, _: &Assumptions) -> Option<Expr> {
    match e {
        Expr::Func(Func::Log, arg) => match &**arg {
            Expr::Num(n) if n.is_positive() && n.numer().is_one() && !n.is_integer() => {
                Some(-log(Expr::Num(n.recip())))
            }
            _ => None,
        },
        _ => None,
    }
}

/// `log(a·b) = log(a) + log(b)` for `a, b > 0`, when that is simpler (`log(u·exp(t)) = log(u) + t`).
fn log_of_product(e: &Expr, a: &Assumptions) -> Option<Expr> {
    let Expr::Func(Func::Log, arg) = e else {
        return None;
    };
    let Expr::Mul(fs) = &**arg else {
        return None;
    };
    if !fs.iter().all(|f| a.is_positive(f)) {
        return None;
    }
    let split: Vec<Expr> = fs
        .iter()
        .map(|f| {
            let l = log(f.clone());
            super::simplify_unchecked(&l, a)
        })
        .collect();
    let out = Expr::add(split);
    (complexity(&out) < complexity(e)).then_some(out)
}

/// `log(g·s) = log(g) + log(s)` for a sum whose coefficients share the positive rational factor
/// `g ≠ 1` (`log(u/2 + 1/2) = log(u + 1) - log(2)`): valid wherever the left side is defined.
fn log_of_scaled_sum(e: &Expr, _: &Assumptions) -> Option<Expr> {
    let Expr::Func(Func::Log, arg) = e else {
        return None;
    };
    let Expr::Add(ts) = &**arg else {
        return None;
    };
    let mut numer = BigInt::zero();
    let mut denom = BigInt::one();
    for t in ts {
        let (c, _) = t.split_coeff();
        numer = numer.gcd(c.numer());
        denom = denom.lcm(c.denom());
    }
    let g = BigRational::new(numer, denom);
    if g.is_one() || g.is_zero() {
        return None;
    }
    let scaled = Expr::Num(g.recip()) * (**arg).clone();
    Some(log(Expr::Num(g)) + log(scaled))
}

/// `log(1 + exp(x)) = softplus(x)`.
fn softplus_form(e: &Expr, _: &Assumptions) -> Option<Expr> {
    let Expr::Func(Func::Log, arg) = e else {
        return None;
    };
    match &**arg {
        Expr::Add(ts) if ts.len() == 2 && ts[1].is_one() => match &ts[0] {
            Expr::Func(Func::Exp, x) => Some(Expr::func(Func::Softplus, (**x).clone())),
            _ => None,
        },
        _ => None,
    }
}

/// `softplus(log(x)) = log(1 + x)` for `x > 0` (`softplus(y) = log(1 + e^y)`): the transform of
/// a loss in `softplus(t)` at `t = log u`, so that the GAN and Jensen–Shannon losses in `Li2`
/// give their generators in the form the catalog's are compared in.
fn softplus_of_log(e: &Expr, a: &Assumptions) -> Option<Expr> {
    match e {
        Expr::Func(Func::Softplus, arg) => match &**arg {
            Expr::Func(Func::Log, x) if a.is_positive(x) => Some(log((**x).clone() + Expr::one())),
            _ => None,
        },
        _ => None,
    }
}

/// `1/(1 + exp(-x)) = sigmoid(x)`.
fn sigmoid_form(e: &Expr, _: &Assumptions) -> Option<Expr> {
    let Expr::Pow(b, p) = e else {
        return None;
    };
    if **p != Expr::int(-1) {
        return None;
    }
    match &**b {
        Expr::Add(ts) if ts.len() == 2 && ts[1].is_one() => match &ts[0] {
            Expr::Func(Func::Exp, x) => Some(Expr::func(Func::Sigmoid, -(**x).clone())),
            _ => None,
        },
        _ => None,
    }
}

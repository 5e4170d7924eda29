//! Trigonometric and hyperbolic identities.

use super::{Assumptions, Rule};
use crate::expr::{Expr, Func};
use std::collections::HashMap;

/// The family's rules.
pub static RULES: &[Rule] = &[
    Rule {
        name: "pythagoras",
        apply: pythagoras,
    },
    Rule {
        name: "hyperbolic_pythagoras",
        apply: hyperbolic_pythagoras,
    },
    Rule {
        name: "tan_quotient",
        apply: tan_quotient,
    },
    Rule {
        name: "tanh_quotient",
        apply: tanh_quotient,
    },
];

/// `(c, x)` when `t = c·h(x)^2`.
fn square_of(t: &Expr, h: Func) -> Option<(num_rational::BigRational, &Expr)> {
    let (c, squared) = match t {
        Expr::Pow(..) => (num_rational::BigRational::from_integer(1.into()), t),
        Expr::Mul(fs) if fs.len() == 2 => match &fs[0] {
            Expr::Num(c) => (c.clone(), &fs[1]),
            _ => return None,
        },
        _ => return None,
    };
    let Expr::Pow(b, p) = squared else {
        return None;
    };
    if !matches!(&**p, Expr::Num(n) if *n == num_rational::BigRational::from_integer(2.into())) {
        return None;
    }
    match &**b {
        Expr::Func(fi, x) if *fi == h => Some((c, &**x)),
        _ => None,
    }
}

/// In a sum, replace every pair `c·f(x)^2 + s·c·g(x)^2` by `k·c`, in one pass: the `f` terms
/// are indexed by their argument, so a long sum costs `O(n)` look-ups, not `O(n^2)`.
fn pair_squares(e: &Expr, f: Func, g: Func, sign: i64, k: i64, a: &Assumptions) -> Option<Expr> {
    let Expr::Add(ts) = e else {
        return None;
    };
    let mut firsts: HashMap<&Expr, (usize, num_rational::BigRational)> = HashMap::new();
    for (i, t) in ts.iter().enumerate() {
        if let Some((c, x)) = square_of(t, f) {
            if a.is_total(x) {
                firsts.insert(x, (i, c));
            }
        }
    }
    if firsts.is_empty() {
        return None;
    }
    let mut used = vec![false; ts.len()];
    let mut extra = Vec::new();
    for (j, t) in ts.iter().enumerate() {
        let Some((cg, x)) = square_of(t, g) else {
            continue;
        };
        if let Some((i, cf)) = firsts.get(x) {
            if used[*i] || cg != cf * num_rational::BigRational::from_integer(sign.into()) {
                continue;
            }
            used[*i] = true;
            used[j] = true;
            extra.push(Expr::Num(cf.clone()) * Expr::int(k));
        }
    }
    if extra.is_empty() {
        return None;
    }
    let mut rest: Vec<Expr> = ts
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(t, _)| t.clone())
        .collect();
    rest.extend(extra);
    Some(Expr::add(rest))
}

/// `c·sin(x)^2 + c·cos(x)^2 = c`, for `x` defined everywhere (the rule drops `x`).
fn pythagoras(e: &Expr, a: &Assumptions) -> Option<Expr> {
    pair_squares(e, Func::Sin, Func::Cos, 1, 1, a)
}

/// `c·cosh(x)^2 - c·sinh(x)^2 = c`, for `x` defined everywhere (the rule drops `x`).
fn hyperbolic_pythagoras(e: &Expr, a: &Assumptions) -> Option<Expr> {
    pair_squares(e, Func::Cosh, Func::Sinh, -1, 1, a)
}

/// In a product, replace `f(x)·g(x)^-1` by `h(x)`.
fn quotient(e: &Expr, f: Func, g: Func, h: Func) -> Option<Expr> {
    let Expr::Mul(fs) = e else {
        return None;
    };
    let minus_one = Expr::int(-1);
    for (i, fi) in fs.iter().enumerate() {
        let Expr::Func(name, x) = fi else { continue };
        if *name != f {
            continue;
        }
        let partner = Expr::pow(Expr::func(g, (**x).clone()), minus_one.clone());
        if let Some(j) = fs.iter().position(|t| *t == partner) {
            let mut rest: Vec<Expr> = fs
                .iter()
                .enumerate()
                .filter(|(n, _)| *n != i && *n != j)
                .map(|(_, t)| t.clone())
                .collect();
            rest.push(Expr::func(h, (**x).clone()));
            return Some(Expr::mul(rest));
        }
    }
    None
}

/// `sin(x)/cos(x) = tan(x)`.
fn tan_quotient(e: &Expr, _: &Assumptions) -> Option<Expr> {
    quotient(e, Func::Sin, Func::Cos, Func::Tan)
}

/// `sinh(x)/cosh(x) = tanh(x)`.
fn tanh_quotient(e: &Expr, _: &Assumptions) -> Option<Expr> {
    quotient(e, Func::Sinh, Func::Cosh, Func::Tanh)
}

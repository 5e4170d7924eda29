//! Trigonometric and hyperbolic identities.

use super::{Assumptions, Rule};
use crate::expr::{Expr, Func};

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

/// In a sum, replace `c·f(x)^2 + s·c·g(x)^2` by `c·k`: the pair is found by looking up, for
/// each term `c·f(x)^2`, the matching term with `g`.
fn pair_squares(e: &Expr, f: Func, g: Func, sign: i64, k: i64) -> Option<Expr> {
    let Expr::Add(ts) = e else {
        return None;
    };
    let two = Expr::int(2);
    for (i, ti) in ts.iter().enumerate() {
        let squared = match ti {
            Expr::Pow(..) => ti,
            Expr::Mul(fs) if fs.len() == 2 && matches!(fs[0], Expr::Num(_)) => &fs[1],
            _ => continue,
        };
        let Expr::Pow(b, p) = squared else { continue };
        if **p != two {
            continue;
        }
        let Expr::Func(fi, x) = &**b else { continue };
        if *fi != f {
            continue;
        }
        let (c, _) = ti.split_coeff();
        let partner = Expr::Num(c.clone())
            * Expr::int(sign)
            * Expr::pow(Expr::func(g, (**x).clone()), two.clone());
        if let Some(j) = ts.iter().position(|t| *t == partner) {
            let mut rest: Vec<Expr> = ts
                .iter()
                .enumerate()
                .filter(|(n, _)| *n != i && *n != j)
                .map(|(_, t)| t.clone())
                .collect();
            rest.push(Expr::Num(c) * Expr::int(k));
            return Some(Expr::add(rest));
        }
    }
    None
}

/// `c·sin(x)^2 + c·cos(x)^2 = c`.
fn pythagoras(e: &Expr, _: &Assumptions) -> Option<Expr> {
    pair_squares(e, Func::Sin, Func::Cos, 1, 1)
}

/// `c·cosh(x)^2 - c·sinh(x)^2 = c`.
fn hyperbolic_pythagoras(e: &Expr, _: &Assumptions) -> Option<Expr> {
    pair_squares(e, Func::Cosh, Func::Sinh, -1, 1)
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

//! Shared test helpers: a random expression generator and a naive tree-walking evaluator that
//! serves as an oracle independent of the compiled evaluator.
#![allow(dead_code)]

use fcorr::expr::{Constant, Expr, Func, rational_to_f64};
use proptest::prelude::*;

/// The value of `a` in generated expressions.
pub const PARAM_A: f64 = 0.7;

/// Evaluate `e` naively with `t` and `u` bound, `a` = [`PARAM_A`].
pub fn eval_tree(e: &Expr, t: f64, u: f64) -> f64 {
    match e {
        Expr::Num(n) => rational_to_f64(n),
        Expr::Const(Constant::E) => std::f64::consts::E,
        Expr::Const(Constant::Pi) => std::f64::consts::PI,
        Expr::Sym(s) => match &**s {
            "t" => t,
            "u" => u,
            "a" => PARAM_A,
            _ => f64::NAN,
        },
        Expr::Add(xs) => xs.iter().map(|x| eval_tree(x, t, u)).sum(),
        Expr::Mul(xs) => xs.iter().map(|x| eval_tree(x, t, u)).product(),
        Expr::Pow(b, x) => {
            let b = eval_tree(b, t, u);
            match &**x {
                Expr::Num(n) if n.is_integer() => {
                    let k = rational_to_f64(n);
                    if k.abs() < 1e9 {
                        b.powi(k as i32)
                    } else {
                        b.powf(k)
                    }
                }
                other => b.powf(eval_tree(other, t, u)),
            }
        }
        Expr::Func(f, a) => f.apply(eval_tree(a, t, u)),
        Expr::Func2(f, a, b) => f.apply(eval_tree(a, t, u), eval_tree(b, t, u)),
    }
}

/// Functions that are smooth wherever they are defined.
pub const SMOOTH: [Func; 13] = [
    Func::Exp,
    Func::Log,
    Func::Sin,
    Func::Cos,
    Func::Atan,
    Func::Sinh,
    Func::Cosh,
    Func::Tanh,
    Func::Asinh,
    Func::Softplus,
    Func::Sigmoid,
    Func::Li2,
    Func::LambertW,
];

fn leaf() -> impl Strategy<Value = Expr> {
    prop_oneof![
        Just(Expr::sym("t")),
        Just(Expr::sym("u")),
        Just(Expr::sym("a")),
        (-4i64..=4).prop_map(Expr::int),
        ((-5i64..=5), (1i64..=4)).prop_map(|(n, d)| Expr::ratio(n, d)),
        Just(Expr::constant(Constant::E)),
        Just(Expr::constant(Constant::Pi)),
    ]
}

/// Random canonical expressions built with the smart constructors; `kinks` adds `abs`/`sign`.
pub fn expr(kinks: bool) -> impl Strategy<Value = Expr> {
    leaf().prop_recursive(4, 24, 3, move |inner| {
        let funcs: Vec<Func> = if kinks {
            let mut v = SMOOTH.to_vec();
            v.extend([Func::Abs, Func::Sign, Func::Tan]);
            v
        } else {
            SMOOTH.to_vec()
        };
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| a + b),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| a - b),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| a * b),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| a / b),
            (inner.clone(), -3i64..=4).prop_map(|(a, k)| Expr::pow(a, Expr::int(k))),
            (
                inner.clone(),
                prop_oneof![Just((1, 2)), Just((-1, 2)), Just((3, 2))]
            )
                .prop_map(|(a, (n, d))| Expr::pow(a, Expr::ratio(n, d))),
            (proptest::sample::select(funcs), inner.clone()).prop_map(|(f, a)| Expr::func(f, a)),
        ]
    })
}

/// Whether `a` and `b` agree to a relative tolerance `tol` (absolute near zero).
pub fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()))
}

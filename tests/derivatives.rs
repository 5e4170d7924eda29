//! Symbolic derivatives against automatic differentiation: peroxide's Taylor-mode `Jet<1>`
//! evaluates every random expression and its derivative in one sweep, independently of fcorr.

mod common;

use common::{PARAM_A, close, expr};
use fcorr::diff::diff;
use fcorr::expr::{Constant, Expr, Func, rational_to_f64};
use fcorr::print::plain;
use peroxide::fuga::{ExpLogOps, PowOps, TrigOps};
use peroxide::structure::ad::Jet;
use proptest::prelude::*;

type J = Jet<1>;

/// `e` and its derivative in `var` at `t`, `u` (with `a` = [`PARAM_A`]).
fn jet(e: &Expr, var: &str, t: f64, u: f64) -> J {
    let leaf = |name: &str, x: f64| {
        if name == var {
            J::var(x)
        } else {
            J::constant(x)
        }
    };
    match e {
        Expr::Num(n) => J::constant(rational_to_f64(n)),
        Expr::Const(Constant::E) => J::constant(std::f64::consts::E),
        Expr::Const(Constant::Pi) => J::constant(std::f64::consts::PI),
        Expr::Sym(s) => match &**s {
            "t" => leaf("t", t),
            "u" => leaf("u", u),
            "a" => leaf("a", PARAM_A),
            _ => J::constant(f64::NAN),
        },
        Expr::Add(xs) => xs
            .iter()
            .fold(J::constant(0.0), |acc, x| acc + jet(x, var, t, u)),
        Expr::Mul(xs) => xs
            .iter()
            .fold(J::constant(1.0), |acc, x| acc * jet(x, var, t, u)),
        Expr::Pow(b, x) => {
            let base = jet(b, var, t, u);
            match &**x {
                Expr::Num(n) if n.is_integer() && rational_to_f64(n).abs() < 64.0 => {
                    base.powi(rational_to_f64(n) as i32)
                }
                Expr::Num(n) => base.powf(rational_to_f64(n)),
                other => (base.ln() * jet(other, var, t, u)).exp(),
            }
        }
        Expr::Func(f, a) => {
            let x = jet(a, var, t, u);
            match f {
                Func::Exp => x.exp(),
                Func::Log => x.ln(),
                Func::Sin => x.sin(),
                Func::Cos => x.cos(),
                Func::Tan => x.tan(),
                Func::Atan => x.atan(),
                Func::Sinh => x.sinh(),
                Func::Cosh => x.cosh(),
                Func::Tanh => x.tanh(),
                Func::Asinh => x.asinh(),
                Func::Softplus => (x.exp() + 1.0).ln(),
                Func::Sigmoid => J::constant(1.0) / ((-x).exp() + 1.0),
                Func::Abs | Func::Sign => J::constant(f64::NAN),
                // Li2'(x) = -log(1 - x)/x; W'(x) = W/(x(1 + W)), by the chain rule on the value
                Func::Li2 => {
                    let v = x.value();
                    let d = if v == 0.0 { 1.0 } else { -(-v).ln_1p() / v };
                    J::new(f.apply(v), [d * x.dx()])
                }
                Func::LambertW => {
                    let (v, w) = (x.value(), f.apply(x.value()));
                    let d = if v == 0.0 { 1.0 } else { w / (v * (1.0 + w)) };
                    J::new(w, [d * x.dx()])
                }
            }
        }
        // ∂γ(p, x)/∂x = |x|^(p−1)·e^(−x); no derivative in p
        Expr::Func2(f, p, a) => {
            let (p, x) = (jet(p, var, t, u), jet(a, var, t, u));
            if p.dx() != 0.0 {
                return J::constant(f64::NAN);
            }
            let (pv, v) = (p.value(), x.value());
            J::new(
                f.apply(pv, v),
                [v.abs().powf(pv - 1.0) * (-v).exp() * x.dx()],
            )
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn derivative_matches_taylor_mode_ad(e in expr(false), t in -3.0f64..3.0, u in 0.05f64..6.0) {
        for var in ["t", "u", "a"] {
            let j = jet(&e, var, t, u);
            prop_assume!(j.value().is_finite() && j.dx().is_finite() && j.dx().abs() < 1e8);
            let Ok(d) = diff(&e, var) else { continue };
            let exact = common::eval_tree(&d, t, u);
            prop_assert!(
                close(exact, j.dx(), 1e-8),
                "d/d{var} {} = {} = {exact}, AD gives {} at t={t}, u={u}",
                plain(&e), plain(&d), j.dx()
            );
        }
    }
}

//! Integration by parts, and the logarithms of `α + β·e^{kτ}` that it leaves, into the
//! dilogarithm.
//!
//! The divergence → loss direction integrates `g'(τ)`, which for the Jensen–Shannon and GAN
//! generators is `softplus(τ) = log(1 + e^τ)` (plus a constant); the loss → divergence direction
//! meets `e^{−τ}·softplus(τ)` and `τ·sigmoid(−τ)`. None is rational in `e^τ`, but
//!
//! - `∫ log(1 + m·e^{kτ}) dτ = −Li₂(−m·e^{kτ})/k` (differentiate: `Li₂'(x) = −log(1 − x)/x`), and
//!   `log(β·e^{kτ} − α) = log β + kτ + log(1 − (α/β)·e^{−kτ})` for `α > 0`;
//! - `∫ D·I = D·∫I − ∫ D'·∫I` (by parts) turns a logarithm times an integrable factor, or `τⁿ`
//!   times one, into integrands with one logarithm or one power of `τ` fewer.
//!
//! Parts recurse through the whole table ([`super::table::antiderivative`]) to a small fixed depth,
//! so `∫ τ·tanh(τ)` and `∫ log(cosh τ)` close with `Li₂`, while `∫ τ·softplus(τ)` (a trilogarithm)
//! is refused. Every result is verified by the table like any other method's.

use super::closed::linear;
use super::table::antiderivative;
use crate::diff::derivative;
use crate::expr::{Expr, Func};
use crate::simplify::simplify;
use num_traits::{Signed, Zero};
use std::cell::Cell;

/// `∫ log(α + β·e^{kτ + d}) dτ` (also written `softplus(kτ + d)`) for exact rational `α ≠ 0`,
/// `k ≠ 0`, with `β` and `d` free of `τ`: `τ·log α − Li₂(−(β/α)·e^{kτ+d})/k` for `α > 0`,
/// `τ·log β + kτ²/2 + dτ + Li₂(−(α/β)·e^{−kτ−d})/k` for `α < 0`.
pub fn log_exponential(e: &Expr, var: &str) -> Option<Expr> {
    let tau = Expr::sym(var);
    let (alpha, beta, k, d) = match e {
        Expr::Func(Func::Softplus, arg) => {
            let (k, d) = linear(arg, var)?;
            (
                num_rational::BigRational::from_integer(1.into()),
                Expr::one(),
                k,
                d,
            )
        }
        Expr::Func(Func::Log, arg) => {
            let Expr::Add(terms) = &**arg else {
                return None;
            };
            let (varying, constant): (Vec<&Expr>, Vec<&Expr>) =
                terms.iter().partition(|x| x.contains_sym(var));
            let ([exp_term], [Expr::Num(alpha)]) = (varying.as_slice(), constant.as_slice()) else {
                return None;
            };
            let factors: &[Expr] = match exp_term {
                Expr::Mul(fs) => fs,
                other => std::slice::from_ref(other),
            };
            let (exps, beta): (Vec<&Expr>, Vec<&Expr>) =
                factors.iter().partition(|x| x.contains_sym(var));
            let [Expr::Func(Func::Exp, arg)] = exps.as_slice() else {
                return None;
            };
            let (k, d) = linear(arg, var)?;
            (
                alpha.clone(),
                Expr::mul(beta.into_iter().cloned().collect()),
                k,
                d,
            )
        }
        _ => return None,
    };
    if k.is_zero() || alpha.is_zero() {
        return None;
    }
    let k_expr = Expr::num(k.clone());
    let exponent = k_expr.clone() * tau.clone() + d.clone();
    let li2 = |x: Expr| Expr::func(Func::Li2, x);
    if alpha.is_positive() {
        let a = Expr::num(alpha);
        let m = beta / a.clone();
        Some(
            tau.clone() * Expr::func(Func::Log, a)
                - li2(-(m * Expr::func(Func::Exp, exponent))) / k_expr,
        )
    } else {
        let a = Expr::num(-alpha);
        let m = a / beta.clone();
        Some(
            tau.clone() * Expr::func(Func::Log, beta)
                + Expr::ratio(1, 2) * k_expr.clone() * Expr::pow(tau.clone(), Expr::int(2))
                + d * tau
                + li2(m * Expr::func(Func::Exp, -exponent)) / k_expr,
        )
    }
}

/// How deep integrations by parts may nest (`∫ log(cosh τ)` needs two).
const MAX_DEPTH: u32 = 2;

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// `∫ D·I dτ = D·∫I − ∫ D'·∫I dτ`, with `D` a logarithm (`log`, `softplus`) factor of the
/// integrand or else its power `τⁿ` (`n ≥ 1`), `I` the other factors; both integrals come from
/// the table. `None` past two nested uses (`MAX_DEPTH`).
pub fn by_parts(e: &Expr, var: &str) -> Option<Expr> {
    let depth = DEPTH.with(Cell::get);
    if depth >= MAX_DEPTH {
        return None;
    }
    // Back to `depth` on return and on unwind: a caller that catches a panic and calls again
    // gets the whole depth.
    let _nested = crate::per_thread::Restore::set(&DEPTH, depth + 1);
    #[cfg(test)]
    tests::panic_if_asked(depth + 1);
    parts(e, var)
}

fn parts(e: &Expr, var: &str) -> Option<Expr> {
    let factors: &[Expr] = match e {
        Expr::Mul(fs) => fs,
        other => std::slice::from_ref(other),
    };
    let is_log =
        |f: &Expr| matches!(f, Expr::Func(Func::Log | Func::Softplus, _)) && f.contains_sym(var);
    let is_power = |f: &Expr| match f {
        Expr::Sym(s) => &**s == var,
        Expr::Pow(b, x) => {
            matches!(&**b, Expr::Sym(s) if &**s == var)
                && x.as_num()
                    .is_some_and(|n| n.is_integer() && n.is_positive())
        }
        _ => false,
    };
    let chosen = factors
        .iter()
        .position(is_log)
        .or_else(|| factors.iter().position(is_power))?;
    let d = factors[chosen].clone();
    let rest: Vec<Expr> = factors
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != chosen)
        .map(|(_, f)| f.clone())
        .collect();
    let i = Expr::mul(rest);
    if !i.contains_sym(var) && !is_log(&d) {
        return None;
    }
    let h = antiderivative(&i, var)?.expr;
    let second = simplify(&(derivative(&d, var) * h.clone())).ok()?;
    let g = antiderivative(&second, var)?.expr;
    Some(d * h - g)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    thread_local! {
        /// The nesting level at which [`by_parts`] panics once (a panic from deep inside).
        static PANIC_AT: Cell<Option<u32>> = const { Cell::new(None) };
    }

    pub(super) fn panic_if_asked(depth: u32) {
        if PANIC_AT.with(Cell::get) == Some(depth) {
            PANIC_AT.with(|p| p.set(None));
            panic!("a panic at nesting level {depth}");
        }
    }

    fn integral(e: &Expr) -> Option<Expr> {
        antiderivative(e, "t").map(|a| a.expr)
    }

    /// A panic two integrations by parts deep leaves the depth where it was: the same call on
    /// the same thread then gives what it gives on a fresh thread (`∫ log(cosh t)` needs both
    /// levels).
    #[test]
    fn a_panic_inside_leaves_the_whole_depth() {
        let e = simplify(&parse("log(cosh(t))").unwrap()).unwrap();
        let fresh = {
            let e = e.clone();
            std::thread::spawn(move || integral(&e)).join().unwrap()
        };
        assert!(fresh.is_some());
        for level in 1..=MAX_DEPTH {
            PANIC_AT.with(|p| p.set(Some(level)));
            let caught = std::panic::catch_unwind(|| integral(&e));
            assert!(caught.is_err(), "no panic at level {level}");
            assert_eq!(DEPTH.with(Cell::get), 0, "after a panic at level {level}");
            assert_eq!(integral(&e), fresh, "after a panic at level {level}");
        }
    }
}

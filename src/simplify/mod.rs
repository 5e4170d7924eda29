//! The simplifier: named rules run bottom-up to a fixpoint.
//!
//! The canonical form of [`crate::expr`] already folds numbers, merges like terms and bases and
//! sorts; what is left here are identities that need a domain fact or a choice
//! (`log(u^a) = a·log(u)` *for u > 0*, `sqrt(t^2) = abs(t)`, expanding a product only when that
//! is simpler). Each identity is a small function in a family module whose doc states the identity
//! and its precondition; [`RULES`] lists them all. The driver rebuilds the tree bottom-up, tries
//! every rule at every node, re-simplifies what a rule returns, and repeats whole passes until
//! nothing changes, within a budget of rule applications (every rule preserves value, so stopping
//! early is always safe). "Simpler" is one function, [`complexity`].

mod abs;
mod arith;
pub mod domain;
mod log_exp;
mod pow;
mod trig;

pub use domain::Assumptions;

use crate::expr::{Expr, Func};
use num_traits::Signed;

/// A named rewrite `e ⇒ e'`, valid under the stated precondition.
#[derive(Clone, Copy)]
pub struct Rule {
    /// The rule's name, for tracing and tests.
    pub name: &'static str,
    /// Returns the rewritten expression when the rule applies at the root of `e`.
    pub apply: fn(&Expr, &Assumptions) -> Option<Expr>,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// Every rule of every family, in the order the driver tries them.
pub static RULES: &[&[Rule]] = &[
    log_exp::RULES,
    pow::RULES,
    abs::RULES,
    trig::RULES,
    arith::RULES,
];

/// How many rule applications one call may make before it returns what it has.
pub const RULE_BUDGET: usize = 10_000;
/// How many whole passes one call may make.
pub const MAX_PASSES: usize = 16;

/// An expression that is undefined for every value of its variables.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{expr}` is undefined: {reason}")]
pub struct MathError {
    /// The offending subexpression, in plain text.
    pub expr: String,
    /// Why it is undefined.
    pub reason: String,
}

/// The measure of "simpler": a weighted node count (functions weigh 2, fractions 2).
pub fn complexity(e: &Expr) -> usize {
    match e {
        Expr::Num(n) => {
            if n.is_integer() {
                1
            } else {
                2
            }
        }
        Expr::Const(_) | Expr::Sym(_) => 1,
        Expr::Add(xs) | Expr::Mul(xs) => 1 + xs.iter().map(complexity).sum::<usize>(),
        Expr::Pow(b, x) => 1 + complexity(b) + complexity(x),
        Expr::Func(_, a) => 2 + complexity(a),
    }
}

/// Simplify with the language's default facts (`u > 0`, everything real).
pub fn simplify(e: &Expr) -> Result<Expr, MathError> {
    simplify_with(e, &Assumptions::default())
}

/// Simplify under `assumptions`, then check that nothing is undefined everywhere.
pub fn simplify_with(e: &Expr, assumptions: &Assumptions) -> Result<Expr, MathError> {
    let out = simplify_unchecked(e, assumptions);
    check_defined(&out, assumptions)?;
    Ok(out)
}

/// Simplify without the final definedness check.
pub fn simplify_unchecked(e: &Expr, assumptions: &Assumptions) -> Expr {
    let mut budget = RULE_BUDGET;
    let mut cur = pass(e, assumptions, &mut budget);
    for _ in 1..MAX_PASSES {
        let next = pass(&cur, assumptions, &mut budget);
        if next == cur {
            break;
        }
        cur = next;
    }
    cur
}

fn pass(e: &Expr, a: &Assumptions, budget: &mut usize) -> Expr {
    apply_rules(rebuild(e, a, budget), a, budget)
}

/// Simplify the children of `e` and rebuild it in canonical form.
fn rebuild(e: &Expr, a: &Assumptions, budget: &mut usize) -> Expr {
    match e {
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => e.clone(),
        Expr::Add(xs) => Expr::add(xs.iter().map(|x| pass(x, a, budget)).collect()),
        Expr::Mul(xs) => Expr::mul(xs.iter().map(|x| pass(x, a, budget)).collect()),
        Expr::Pow(b, x) => Expr::pow(pass(b, a, budget), pass(x, a, budget)),
        Expr::Func(f, x) => Expr::func(*f, pass(x, a, budget)),
    }
}

/// Try every rule at the root of `e`; after a rewrite, simplify the new children and start over.
/// Iterative, so a long chain of rewrites costs budget, not stack.
fn apply_rules(e: Expr, a: &Assumptions, budget: &mut usize) -> Expr {
    let mut cur = e;
    'outer: loop {
        if matches!(cur, Expr::Num(_) | Expr::Const(_) | Expr::Sym(_)) {
            return cur;
        }
        for family in RULES {
            for rule in *family {
                if *budget == 0 {
                    return cur;
                }
                if let Some(next) = (rule.apply)(&cur, a) {
                    *budget -= 1;
                    cur = rebuild(&next, a, budget);
                    continue 'outer;
                }
            }
        }
        return cur;
    }
}

/// Report the first subexpression that is undefined for every value of the variables:
/// `0^-1`, a fractional power of a negative quantity, the logarithm of a non-positive one.
pub fn check_defined(e: &Expr, a: &Assumptions) -> Result<(), MathError> {
    let undefined = |reason: &str| {
        Err(MathError {
            expr: crate::print::plain(e),
            reason: reason.to_string(),
        })
    };
    match e {
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => Ok(()),
        Expr::Add(xs) | Expr::Mul(xs) => xs.iter().try_for_each(|x| check_defined(x, a)),
        Expr::Pow(b, x) => {
            check_defined(b, a)?;
            check_defined(x, a)?;
            if let Expr::Num(n) = &**x {
                if b.is_zero() && n.is_negative() {
                    return undefined("division by zero");
                }
                if !n.is_integer() && a.is_negative(b) {
                    return undefined("a fractional power of a negative number is not real");
                }
            }
            Ok(())
        }
        Expr::Func(f, x) => {
            check_defined(x, a)?;
            if *f == Func::Log && (x.is_zero() || a.is_nonpos(x)) {
                return undefined("the logarithm needs a positive argument");
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests;

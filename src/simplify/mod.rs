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
mod closed_forms;
mod collect;
pub mod domain;
mod gamma;
mod log_exp;
mod pow;
pub mod present;
mod special;
mod trig;

pub use arith::{MAX_EXPANDED_TERMS, expand};
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
    special::RULES,
    gamma::RULES,
    arith::RULES,
    closed_forms::RULES,
    collect::RULES,
];

/// How many rule applications one call may make before it returns what it has.
pub const RULE_BUDGET: usize = 10_000;
/// How many whole passes one call may make.
pub const MAX_PASSES: usize = 16;

/// An expression that is undefined for every value of its variables, or whose symbolic work
/// would exceed one of the documented limits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct MathError {
    /// The offending subexpression, in plain text (empty for a work limit).
    pub expr: String,
    /// Why it is undefined, or which limit the work would exceed.
    pub reason: String,
    /// What kind of failure this is.
    pub kind: MathErrorKind,
}

/// The two ways symbolic work can fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MathErrorKind {
    /// The expression is undefined for every value of its variables (`log(0)`, `1/0`).
    Undefined,
    /// The result would exceed a work limit (the README's Limits table); the input is valid.
    WorkLimit,
    /// The result has no closed form in the language (the derivative of `γ(p, x)` in `p`).
    NoClosedForm,
}

impl MathError {
    /// A work-limit error: `reason` names the limit.
    pub fn work_limit(reason: impl Into<String>) -> MathError {
        MathError {
            expr: String::new(),
            reason: reason.into(),
            kind: MathErrorKind::WorkLimit,
        }
    }

    /// A result with no closed form in the language: `reason` says which.
    pub fn no_closed_form(reason: impl Into<String>) -> MathError {
        MathError {
            expr: String::new(),
            reason: reason.into(),
            kind: MathErrorKind::NoClosedForm,
        }
    }

    fn message(&self) -> String {
        match self.kind {
            MathErrorKind::Undefined => format!("`{}` is undefined: {}", self.expr, self.reason),
            MathErrorKind::WorkLimit | MathErrorKind::NoClosedForm => self.reason.clone(),
        }
    }
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
        Expr::Func2(_, a, b) => 2 + complexity(a) + complexity(b),
    }
}

/// Simplify with the language's default facts (`u > 0`, everything real).
pub fn simplify(e: &Expr) -> Result<Expr, MathError> {
    simplify_with(e, &Assumptions::default())
}

/// Simplify under `assumptions`, checking that nothing is undefined everywhere, before (an
/// identity may not hide `log(0)`) and after.
pub fn simplify_with(e: &Expr, assumptions: &Assumptions) -> Result<Expr, MathError> {
    check_defined(e, assumptions)?;
    let out = simplify_unchecked(e, assumptions);
    check_defined(&out, assumptions)?;
    Ok(out)
}

/// Simplify without the final definedness check.
///
/// `e` is taken to be canonical (built by the constructors, as every `Expr` of this crate is);
/// passes track change and stop at the first pass that changes nothing, without comparing
/// trees. [`canonicalize`] rebuilds a tree made from the raw variants first.
pub fn simplify_unchecked(e: &Expr, assumptions: &Assumptions) -> Expr {
    let _expansion_work = arith::expansion_work_scope();
    let mut budget = RULE_BUDGET;
    let mut cur = e.clone();
    for _ in 0..MAX_PASSES {
        match pass(&cur, assumptions, &mut budget) {
            Some(next) => cur = next,
            None => break,
        }
    }
    cur
}

/// Rebuild a tree made from the raw variants with the constructors, so that it is canonical.
pub fn canonicalize(e: &Expr) -> Expr {
    match e {
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => e.clone(),
        Expr::Add(xs) => Expr::add(xs.iter().map(canonicalize).collect()),
        Expr::Mul(xs) => Expr::mul(xs.iter().map(canonicalize).collect()),
        Expr::Pow(b, x) => Expr::pow(canonicalize(b), canonicalize(x)),
        Expr::Func(f, x) => Expr::func(*f, canonicalize(x)),
        Expr::Func2(f, a, b) => Expr::func2(*f, canonicalize(a), canonicalize(b)),
    }
}

/// One bottom-up pass: `None` when nothing changed.
fn pass(e: &Expr, a: &Assumptions, budget: &mut usize) -> Option<Expr> {
    let rebuilt = rebuild(e, a, budget);
    match apply_rules(rebuilt.as_ref().unwrap_or(e), a, budget) {
        Some(next) => Some(next),
        None => rebuilt,
    }
}

/// The children `xs` with the rewritten ones (`Some`) put in their places; `None` when none was
/// rewritten, so that an unchanged node is not rebuilt.
pub(super) fn with_unchanged(new: Vec<Option<Expr>>, xs: &[Expr]) -> Option<Vec<Expr>> {
    if new.iter().all(Option::is_none) {
        return None;
    }
    Some(
        new.into_iter()
            .zip(xs)
            .map(|(n, x)| n.unwrap_or_else(|| x.clone()))
            .collect(),
    )
}

/// Simplify the children of `e` and rebuild it in canonical form; `None` when no child changed.
fn rebuild(e: &Expr, a: &Assumptions, budget: &mut usize) -> Option<Expr> {
    fn children(xs: &[Expr], a: &Assumptions, budget: &mut usize) -> Option<Vec<Expr>> {
        let new: Vec<Option<Expr>> = xs.iter().map(|x| pass(x, a, budget)).collect();
        with_unchanged(new, xs)
    }
    match e {
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => None,
        Expr::Add(xs) => children(xs, a, budget).map(Expr::add),
        Expr::Mul(xs) => children(xs, a, budget).and_then(|new| zero_keeps_domain(xs, new, a)),
        Expr::Pow(b, x) => {
            let nb = pass(b, a, budget);
            let nx = pass(x, a, budget);
            if nb.is_none() && nx.is_none() {
                return None;
            }
            Some(Expr::pow(
                nb.unwrap_or_else(|| (**b).clone()),
                nx.unwrap_or_else(|| (**x).clone()),
            ))
        }
        Expr::Func(f, x) => pass(x, a, budget).map(|nx| Expr::func(*f, nx)),
        Expr::Func2(f, p, x) => {
            let np = pass(p, a, budget);
            let nx = pass(x, a, budget);
            if np.is_none() && nx.is_none() {
                return None;
            }
            Some(Expr::func2(
                *f,
                np.unwrap_or_else(|| (**p).clone()),
                nx.unwrap_or_else(|| (**x).clone()),
            ))
        }
    }
}

/// The product of the simplified factors `new` of `xs`, unless a factor simplified to `0`
/// beside one that may be undefined somewhere (`log(sign(u^2))·log(u - 2)`: the zero would
/// drop the points `u < 2` where the product is undefined). Then the zero factors keep their
/// unsimplified form; `None` when that leaves the product as it was.
fn zero_keeps_domain(xs: &[Expr], mut new: Vec<Expr>, a: &Assumptions) -> Option<Expr> {
    if new.iter().any(Expr::is_zero) && !new.iter().all(|x| a.is_total(x)) {
        for (n, x) in new.iter_mut().zip(xs) {
            if n.is_zero() {
                *n = x.clone();
            }
        }
        if new.iter().zip(xs).all(|(n, x)| n == x) {
            return None;
        }
    }
    Some(Expr::mul(new))
}

/// Try every rule at the root of `e`; after a rewrite, simplify the new children and start
/// over. Iterative, so a long chain of rewrites costs budget, not stack. `None` when no rule
/// applies.
fn apply_rules(e: &Expr, a: &Assumptions, budget: &mut usize) -> Option<Expr> {
    let mut cur: Option<Expr> = None;
    'outer: loop {
        let node = cur.as_ref().unwrap_or(e);
        if matches!(node, Expr::Num(_) | Expr::Const(_) | Expr::Sym(_)) {
            return cur;
        }
        for family in RULES {
            for rule in *family {
                if *budget == 0 {
                    return cur;
                }
                if let Some(next) = (rule.apply)(node, a) {
                    *budget -= 1;
                    let next = rebuild(&next, a, budget).unwrap_or(next);
                    cur = Some(next);
                    continue 'outer;
                }
            }
        }
        return cur;
    }
}

/// Report the first subexpression that is undefined for every value of the variables:
/// `0^-1`, a fractional power of a negative quantity, the logarithm of a non-positive one,
/// `Li2` of a quantity above 1, `lambertw` of one below `−1/e`, `lowergamma(p, x)` with
/// `p ≤ 0`.
pub fn check_defined(e: &Expr, a: &Assumptions) -> Result<(), MathError> {
    let undefined = |reason: &str| {
        Err(MathError {
            expr: crate::print::plain(e),
            reason: reason.to_string(),
            kind: MathErrorKind::Undefined,
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
            if *f == Func::Li2 && a.is_positive(&(*x.clone() - Expr::one())) {
                return undefined("the dilogarithm needs an argument of at most 1");
            }
            // 3679/10000 > 1/e: `x + 3679/10000 < 0` puts `x` below the branch point
            if *f == Func::LambertW && a.is_negative(&(*x.clone() + Expr::ratio(3679, 10000))) {
                return undefined("lambertw needs an argument of at least -1/e");
            }
            Ok(())
        }
        Expr::Func2(crate::expr::Func2::LowerGamma, p, x) => {
            check_defined(p, a)?;
            check_defined(x, a)?;
            if p.is_zero() || a.is_nonpos(p) {
                return undefined(
                    "the lower incomplete gamma function needs a first argument p > 0",
                );
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests;

//! Like terms whose exact constant coefficients nearly cancel, collected into one.
//!
//! The canonical form merges like terms only when their coefficients are rational: `pi·t` and
//! `−355·t/113` stay apart, which is how a person writes `pi·u/2 − u`. When the constants nearly
//! cancel, though, `pi·t − 355·t/113` is `(pi − 355/113)·t` with a factor of `−2.7e−7`: evaluated
//! as written it subtracts two numbers near `3.14·t` and loses nine of sixteen digits, and
//! its sign is hidden. Collected, the constant is one factor, which the evaluator folds
//! exactly ([`crate::eval`]) and whose sign a proof can certify. Terms whose constants do not
//! cancel are left as they are written.

use super::{Assumptions, Rule};
use crate::eval::{Params, eval_constant};
use crate::expr::Expr;

/// The family's rules.
pub static RULES: &[Rule] = &[Rule {
    name: "collect_cancelling_terms",
    apply: collect_cancelling_terms,
}];

/// Constants cancel when their sum is smaller than this fraction of the sum of their sizes
/// (more than three of sixteen digits would be lost evaluating them apart).
pub const CANCELS: f64 = 1e-3;

/// `c₁·m + c₂·m + … = (c₁ + c₂ + …)·m` for variable-free `cᵢ`, not all rational, when
/// `|Σ cᵢ| < CANCELS · Σ |cᵢ|` (`pi·t − 355·t/113 = (pi − 355/113)·t`); every term with the
/// same `m` is collected. No precondition: the identity is distributivity.
fn collect_cancelling_terms(e: &Expr, _: &Assumptions) -> Option<Expr> {
    let Expr::Add(ts) = e else {
        return None;
    };
    if !ts.iter().any(has_constant_factor) {
        return None;
    }
    let parts: Vec<Option<(Vec<&Expr>, Vec<&Expr>)>> = ts.iter().map(split).collect();
    // Only a term with a constant factor that is not a number starts a group.
    let anchors = parts
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.as_ref()
                .is_some_and(|(c, _)| c.iter().any(|f| !matches!(f, Expr::Num(_))))
        })
        .map(|(i, _)| i);
    let mut taken = vec![false; ts.len()];
    let mut collected = Vec::new();
    for i in anchors {
        if taken[i] {
            continue;
        }
        let rest = &parts[i].as_ref()?.1;
        let group: Vec<usize> = (0..ts.len())
            .filter(|&j| !taken[j] && parts[j].as_ref().is_some_and(|(_, r)| r == rest))
            .collect();
        if group.len() < 2 {
            continue;
        }
        let factors: Vec<&[&Expr]> = group
            .iter()
            .filter_map(|&j| parts[j].as_ref().map(|(c, _)| &c[..]))
            .collect();
        if !cancels(&factors) {
            continue;
        }
        let constants: Vec<Expr> = factors
            .iter()
            .map(|c| Expr::mul(c.iter().map(|f| (*f).clone()).collect()))
            .collect();
        for &j in &group {
            taken[j] = true;
        }
        let m = Expr::mul(rest.iter().map(|f| (*f).clone()).collect());
        collected.push(Expr::add(constants) * m);
    }
    if collected.is_empty() {
        return None;
    }
    collected.extend(
        ts.iter()
            .zip(&taken)
            .filter(|(_, t)| !**t)
            .map(|(x, _)| x.clone()),
    );
    Some(Expr::add(collected))
}

/// Whether the term `t` is a product with a variable-free factor that is not a number
/// (`pi·t`), checked without building anything: most sums have none.
fn has_constant_factor(t: &Expr) -> bool {
    let Expr::Mul(fs) = t else {
        return false;
    };
    fs.iter()
        .any(|f| !matches!(f, Expr::Num(_)) && f.is_constant())
        && fs.iter().any(|f| !f.is_constant())
}

/// A term's variable-free factors and the others, when it has both kinds (a number alone, or
/// a term without a constant factor other than `1`, is its own: `t` is `1·t`).
fn split(t: &Expr) -> Option<(Vec<&Expr>, Vec<&Expr>)> {
    let factors: &[Expr] = match t {
        Expr::Mul(fs) => fs,
        other => std::slice::from_ref(other),
    };
    let (c, rest): (Vec<&Expr>, Vec<&Expr>) = factors.iter().partition(|f| f.is_constant());
    (!rest.is_empty()).then_some((c, rest))
}

/// Whether the constants' sum cancels: `|Σ cᵢ| < CANCELS · Σ |cᵢ|`, in `f64`, each `cᵢ` the
/// product of its `factors` (a choice of form, not a claim about the value: the collected form
/// is equal either way).
fn cancels(factors: &[&[&Expr]]) -> bool {
    let none = Params::new();
    let mut sum = 0.0;
    let mut size = 0.0;
    for c in factors {
        let Some(v) = c.iter().try_fold(1.0, |p, f| {
            Some(p * value(f).or_else(|| eval_constant(f, &none).ok())?)
        }) else {
            return false;
        };
        if !v.is_finite() {
            return false;
        }
        sum += v;
        size += v.abs();
    }
    size > 0.0 && sum.abs() < CANCELS * size
}

/// The `f64` value of a product of numbers and `pi` or `e` (most coefficients), without
/// compiling a program; `None` for anything else.
fn value(c: &Expr) -> Option<f64> {
    match c {
        Expr::Num(r) => Some(crate::expr::rational_to_f64(r)),
        Expr::Const(k) => Some(k.value()),
        Expr::Mul(fs) => fs.iter().try_fold(1.0, |p, f| Some(p * value(f)?)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::parse::parse;
    use crate::print::plain;
    use crate::simplify::simplify;

    /// `input` simplifies to `want` (printed).
    #[track_caller]
    fn simplifies_to(input: &str, want: &str) {
        let got = plain(&simplify(&parse(input).unwrap()).unwrap());
        assert_eq!(got, want, "{input}");
    }

    #[test]
    fn cancelling_constant_coefficients_are_collected() {
        simplifies_to("pi*t - 355*t/113", "t*(pi - 355/113)");
        simplifies_to("(pi*t - 355*t/113)*sign(t)", "t*(pi - 355/113)*sign(t)");
        simplifies_to("355*t/113 - pi*t", "-t*(pi - 355/113)");
        // pi - 3.14 is 5e-4 of pi + 3.14: more than three digits would be lost.
        simplifies_to("pi*t - 314*t/100", "t*(pi - 157/50)");
        simplifies_to(
            "sqrt(2)*u - 1414213562*u/1000000000 + u^2",
            "u^2 + u*(sqrt(2) - 707106781/500000000)",
        );
        simplifies_to(
            "e*exp(t) - 2718281828*exp(t)/1000000000 + t",
            "(e - 679570457/250000000)*exp(t) + t",
        );
        simplifies_to("pi*t + 2*pi*t^2 - 355*t/113", "2*pi*t^2 + t*(pi - 355/113)");
    }

    #[test]
    fn other_constant_coefficients_stay_as_written() {
        simplifies_to("pi*u/2 - u", "pi*u/2 - u");
        simplifies_to(
            "2*u*atan(u) - pi*u/2 - u + 1",
            "2*u*atan(u) - pi*u/2 - u + 1",
        );
        simplifies_to("log(2)*t - t", "t*log(2) - t");
        simplifies_to("pi*t - 3*t", "pi*t - 3*t");
        // A constant term is one folded constant already; nothing multiplies it.
        simplifies_to("pi - 355/113 + t", "t + pi - 355/113");
    }
}

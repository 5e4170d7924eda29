//! Logarithms of `α(p) + β(p)·e^{kτ}` with coefficients in the parameter, into the dilogarithm.
//!
//! `∫ log(α + β·e^{kτ}) dτ = τ·log α − Li2(−(β/α)·e^{kτ})/k` (rational `k ≠ 0`) when
//! `log(α + β·e^{kτ}) = log α + log(1 + (β/α)·e^{kτ})`, which needs the **conditions** `α > 0`
//! and, for the argument to stay positive at every `τ`, `β ≥ 0`. The antiderivative is
//! differentiated back, that one identity is applied under those conditions, and the difference
//! must vanish exactly ([`super::ratfun::vanishes`]); otherwise nothing is returned. This is
//! what the skewed Jensen–Shannon family needs: its `g'(τ) = (1 − w)·log(w·e^τ + 1 − w)`.

use super::expoly::decompose;
use super::ratfun::vanishes;
use super::{Condition, Relation};
use crate::diff::derivative;
use crate::expr::{Expr, Func};
use crate::simplify::expand;
use num_rational::BigRational;
use num_traits::{Signed, Zero};

/// One term `coeff·log(α + β·e^{kτ})`.
struct LogTerm {
    coeff: Expr,
    alpha: Expr,
    beta: Expr,
    k: BigRational,
    /// The logarithm as it appears in the integrand.
    log: Expr,
}

/// `(α, β, k)` when `arg = α + β·e^{kτ}` with `α`, `β` free of `var` and rational `k ≠ 0`.
fn log_argument(arg: &Expr, var: &str, param: &str) -> Option<(Expr, Expr, BigRational)> {
    let terms = decompose(arg, var, param)?;
    let (mut alpha, mut beta, mut k) = (Expr::zero(), None, None);
    for t in terms {
        if t.power != 0 || !t.rate.slope.is_zero() {
            return None;
        }
        if t.rate.constant.is_zero() {
            alpha = alpha + t.coeff;
        } else if beta.is_none() {
            beta = Some(t.coeff);
            k = Some(t.rate.constant);
        } else {
            return None;
        }
    }
    (!alpha.is_zero()).then_some(())?;
    Some((alpha, beta?, k?))
}

/// The terms of `e` (multiplied out) that are a logarithm of `α + β·e^{kτ}` times a factor
/// free of `var`, and the sum of the other terms; `None` when a term has another factor in
/// `var` beside such a logarithm.
fn split(e: &Expr, var: &str, param: &str) -> Option<(Vec<LogTerm>, Expr)> {
    let terms = match expand(e)? {
        Expr::Add(ts) => ts,
        other => vec![other],
    };
    let mut logs = Vec::new();
    let mut rest = Vec::new();
    for t in terms {
        let factors: Vec<Expr> = match &t {
            Expr::Mul(fs) => fs.clone(),
            other => vec![other.clone()],
        };
        let (with, without): (Vec<Expr>, Vec<Expr>) =
            factors.into_iter().partition(|f| f.contains_sym(var));
        match with.as_slice() {
            [Expr::Func(Func::Log, arg)] => match log_argument(arg, var, param) {
                Some((alpha, beta, k)) => logs.push(LogTerm {
                    coeff: Expr::mul(without),
                    alpha,
                    beta,
                    k,
                    log: with[0].clone(),
                }),
                None => return None,
            },
            _ => rest.push(t),
        }
    }
    Some((logs, Expr::add(rest)))
}

/// `F(τ) = τ·log α − Li2(−(β/α)·e^{kτ})/k` at `τ`, with `e^{kτ}` given.
fn antiderivative(t: &LogTerm, tau: &Expr, exp: Expr) -> Expr {
    let ratio = t.beta.clone() * Expr::pow(t.alpha.clone(), Expr::int(-1));
    tau.clone() * Expr::func(Func::Log, t.alpha.clone())
        - Expr::func(Func::Li2, -(ratio * exp)) * Expr::Num(t.k.recip())
}

/// Replace every occurrence of `from` in `e` by `to`.
fn replace(e: &Expr, from: &Expr, to: &Expr) -> Expr {
    if e == from {
        return to.clone();
    }
    match e {
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => e.clone(),
        Expr::Add(xs) => Expr::add(xs.iter().map(|x| replace(x, from, to)).collect()),
        Expr::Mul(xs) => Expr::mul(xs.iter().map(|x| replace(x, from, to)).collect()),
        Expr::Pow(b, x) => Expr::pow(replace(b, from, to), replace(x, from, to)),
        Expr::Func(f, a) => Expr::func(*f, replace(a, from, to)),
        Expr::Func2(f, a, b) => Expr::func2(*f, replace(a, from, to), replace(b, from, to)),
    }
}

/// The conditions `α > 0`, `β ≥ 0` of one term, or `None` when a number breaks them.
fn conditions(t: &LogTerm, out: &mut Vec<Condition>) -> Option<()> {
    for (lhs, relation) in [(&t.alpha, Relation::Gt), (&t.beta, Relation::Ge)] {
        match lhs.as_num() {
            Some(n) if n.is_negative() || (relation == Relation::Gt && n.is_zero()) => {
                return None;
            }
            Some(_) => {}
            None => {
                let c = Condition {
                    lhs: lhs.clone(),
                    relation,
                };
                if !out.contains(&c) {
                    out.push(c);
                }
            }
        }
    }
    Some(())
}

/// `∫_0^L` of `Σ c·log(α + β·e^{kτ})` (plus an exponential polynomial, integrated by
/// [`super::expoly`]), with the conditions both need; `None` when the integrand is outside this
/// class or the antiderivative does not verify.
pub fn integrate_from_zero(
    integrand: &Expr,
    var: &str,
    param: &str,
    exp_at: &dyn Fn(&Expr) -> Expr,
    upper: &Expr,
) -> Option<super::expoly::Integral> {
    let (logs, rest) = split(integrand, var, param)?;
    if logs.is_empty() {
        return None;
    }
    let tau = Expr::sym(var);
    let exp_of =
        |k: &BigRational, at: &Expr| Expr::func(Func::Exp, Expr::Num(k.clone()) * at.clone());
    // Differentiate back: the log terms' antiderivative, with `log(α + β·e^{kτ})` written
    // `log α + log(1 + (β/α)·e^{kτ})` under `α > 0`, `β ≥ 0`.
    let f = Expr::add(
        logs.iter()
            .map(|t| t.coeff.clone() * antiderivative(t, &tau, exp_of(&t.k, &tau)))
            .collect(),
    );
    let mut difference = derivative(&f, var)
        - Expr::add(
            logs.iter()
                .map(|t| t.coeff.clone() * t.log.clone())
                .collect(),
        );
    for t in &logs {
        let ratio = t.beta.clone() * Expr::pow(t.alpha.clone(), Expr::int(-1));
        let split_log = Expr::func(Func::Log, t.alpha.clone())
            + Expr::func(Func::Log, Expr::one() + ratio * exp_of(&t.k, &tau));
        difference = replace(&difference, &t.log, &split_log);
    }
    if !vanishes(&difference, param) {
        return None;
    }
    let mut conds = Vec::new();
    for t in &logs {
        conditions(t, &mut conds)?;
    }
    let mut value: Vec<Expr> = logs
        .iter()
        .map(|t| {
            let e_upper = exp_at(&Expr::Num(t.k.clone()));
            t.coeff.clone()
                * (antiderivative(t, upper, e_upper)
                    - antiderivative(t, &Expr::zero(), Expr::one()))
        })
        .collect();
    let mut special = Vec::new();
    if !rest.is_zero() {
        let r = super::expoly::integrate_from_zero(&rest, var, param, exp_at, upper)?;
        value.push(r.value);
        for c in r.conditions {
            if !conds.contains(&c) {
                conds.push(c);
            }
        }
        special = r.special;
    }
    Some(super::expoly::Integral {
        value: Expr::add(value),
        conditions: conds,
        special,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    #[test]
    fn skewed_jensen_shannon_needs_its_conditions() {
        let gp = parse("(1 - w)*log(w*exp(t) + 1 - w)").unwrap();
        let t = Expr::sym("t");
        let i = integrate_from_zero(
            &gp,
            "t",
            "w",
            &|r| Expr::func(Func::Exp, r.clone() * Expr::sym("t")),
            &t,
        )
        .unwrap();
        let texts: Vec<String> = i
            .conditions
            .iter()
            .map(|c| super::super::assume::text(c, "w"))
            .collect();
        assert_eq!(texts, ["w < 1", "w ≥ 0"]);
    }

    #[test]
    fn outside_the_class() {
        let out = |s: &str| {
            integrate_from_zero(
                &parse(s).unwrap(),
                "t",
                "a",
                &|r| Expr::func(Func::Exp, r.clone() * Expr::sym("t")),
                &Expr::sym("t"),
            )
            .is_none()
        };
        assert!(out("log(a + exp(t) + exp(2*t))"));
        assert!(out("t*log(a + exp(t))"));
        assert!(out("log(-1 + exp(t))"));
        assert!(out("t^2"));
    }
}

//! Exponential polynomials whose rates depend on a parameter: `Σ c(p)·τ^n·e^{r(p)·τ}` with
//! `r(p) = r₀ + r₁·p` affine in the parameter (`u^a = e^{a·ln u}` in the divergence direction).
//!
//! `∫ τ^n e^{rτ} dτ` is the power rule when `r` is identically zero, and otherwise
//! `e^{rτ} Σ_{k=0}^{n} (−1)^k n!/(n−k)! τ^{n−k}/r^{k+1}`, which needs the **condition**
//! `r ≠ 0`: the antiderivative comes with the conditions it needs ([`Integral::conditions`]).
//! It is then differentiated back and the difference from the integrand decided to be zero
//! exactly (every coefficient of the difference, grouped by power and rate, is the zero
//! rational function of the parameter, [`super::ratfun`]); an antiderivative that does not
//! differentiate back is never returned.

use super::ratfun::vanishes;
use super::{Condition, Relation};
use crate::diff::derivative;
use crate::expr::{Expr, Func};
use crate::simplify::expand;
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// The largest power of `τ` integrated.
pub const MAX_POWER: u32 = 24;

/// A rate `r₀ + r₁·p`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rate {
    /// `r₀`.
    pub constant: BigRational,
    /// `r₁`, the coefficient of the parameter.
    pub slope: BigRational,
}

impl Rate {
    /// The rate as an expression in `param`.
    pub fn expr(&self, param: &str) -> Expr {
        Expr::Num(self.constant.clone()) + Expr::Num(self.slope.clone()) * Expr::sym(param)
    }

    /// Whether the rate is `0` for every value of the parameter.
    pub fn is_zero(&self) -> bool {
        self.constant.is_zero() && self.slope.is_zero()
    }

    /// The value of the parameter where the rate vanishes, when it depends on it.
    pub fn root(&self) -> Option<BigRational> {
        (!self.slope.is_zero()).then(|| -&self.constant / &self.slope)
    }
}

/// One term `coeff·τ^power·e^{rate·τ}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    /// The coefficient, free of the variable.
    pub coeff: Expr,
    /// The power of the variable.
    pub power: u32,
    /// The rate.
    pub rate: Rate,
}

/// `(k₀ + k₁·p)` when `e` is affine in `param` with rational coefficients.
fn affine(e: &Expr, param: &str) -> Option<(BigRational, BigRational)> {
    let r = super::ratfun::RatFun::of(e, param)?;
    if r.den.degree() > 0 || r.num.degree() > 1 {
        return None;
    }
    Some((r.num.coeff(0), r.num.coeff(1)))
}

/// `(rate, rest)` when `arg = r(p)·var + rest` with `rest` free of `var` and `r` affine.
fn linear(arg: &Expr, var: &str, param: &str) -> Option<(Rate, Expr)> {
    let arg = expand(arg).unwrap_or_else(|| arg.clone());
    let terms: Vec<Expr> = match arg {
        Expr::Add(ts) => ts,
        other => vec![other],
    };
    let mut rate = Rate {
        constant: BigRational::zero(),
        slope: BigRational::zero(),
    };
    let mut rest = Vec::new();
    for t in terms {
        if !t.contains_sym(var) {
            rest.push(t);
            continue;
        }
        let factors: Vec<Expr> = match t {
            Expr::Mul(fs) => fs,
            other => vec![other],
        };
        let (with, without): (Vec<Expr>, Vec<Expr>) =
            factors.into_iter().partition(|f| f.contains_sym(var));
        if with.len() != 1 || with[0] != Expr::sym(var) {
            return None;
        }
        let (k0, k1) = affine(&Expr::mul(without), param)?;
        rate.constant += k0;
        rate.slope += k1;
    }
    Some((rate, Expr::add(rest)))
}

/// `e` as a sum of [`Term`]s in `var`, when it is one (`cosh`/`sinh` as exponentials, products
/// multiplied out, `exp(r·τ + d)` contributing `e^d` to the coefficient).
pub fn decompose(e: &Expr, var: &str, param: &str) -> Option<Vec<Term>> {
    use crate::integrate::closed::{MAX_EXPONENTIAL_NODES, exponential_size, to_exponentials};
    if exponential_size(e) > MAX_EXPONENTIAL_NODES {
        return None;
    }
    let expanded = expand(&to_exponentials(e))?;
    let terms: Vec<Expr> = match expanded {
        Expr::Add(ts) => ts,
        other => vec![other],
    };
    let mut out: Vec<Term> = Vec::new();
    for t in terms {
        let factors: Vec<Expr> = match t {
            Expr::Mul(fs) => fs,
            other => vec![other],
        };
        let mut coeff = Vec::new();
        let mut power: u32 = 0;
        let mut rate = Rate {
            constant: BigRational::zero(),
            slope: BigRational::zero(),
        };
        for f in factors {
            if !f.contains_sym(var) {
                coeff.push(f);
                continue;
            }
            match &f {
                Expr::Sym(_) => power = power.checked_add(1)?,
                Expr::Pow(b, x) => match (&**b, &**x) {
                    (Expr::Sym(_), Expr::Num(n)) if n.is_integer() && !n.is_negative() => {
                        power = power.checked_add(n.to_integer().to_u32()?)?;
                    }
                    _ => return None,
                },
                Expr::Func(Func::Exp, arg) => {
                    let (r, d) = linear(arg, var, param)?;
                    rate.constant += r.constant;
                    rate.slope += r.slope;
                    if !d.is_zero() {
                        coeff.push(Expr::func(Func::Exp, d));
                    }
                }
                _ => return None,
            }
        }
        if power > MAX_POWER {
            return None;
        }
        let c = Expr::mul(coeff);
        match out.iter_mut().find(|x| x.power == power && x.rate == rate) {
            Some(x) => x.coeff = x.coeff.clone() + c,
            None => out.push(Term {
                coeff: c,
                power,
                rate,
            }),
        }
    }
    Some(out)
}

/// A definite integral `∫_0^L` of an exponential polynomial, with the conditions it needs.
#[derive(Clone, Debug, PartialEq)]
pub struct Integral {
    /// The value, an expression in the upper limit (not simplified).
    pub value: Expr,
    /// `r(p) ≠ 0` for each rate that depends on the parameter.
    pub conditions: Vec<Condition>,
    /// The parameter values where a condition fails (a rate vanishes).
    pub special: Vec<BigRational>,
}

fn factorial_ratio(n: u32, k: u32) -> BigInt {
    ((n - k + 1)..=n).fold(BigInt::one(), |acc, i| acc * BigInt::from(i))
}

/// `F(τ) = e^{rτ} Σ_k (−1)^k n!/(n−k)! τ^{n−k}/r^{k+1}` (or `τ^{n+1}/(n+1)` for `r ≡ 0`),
/// with `e^{rτ}` and `τ` given as expressions.
fn antiderivative_term(power: u32, rate: &Expr, zero_rate: bool, tau: &Expr, exp: Expr) -> Expr {
    let n = power;
    if zero_rate {
        let m = i64::from(n) + 1;
        return Expr::pow(tau.clone(), Expr::int(m)) * Expr::ratio(1, m);
    }
    let mut sum = Vec::new();
    for k in 0..=n {
        let sign = if k % 2 == 0 { 1 } else { -1 };
        let c = Expr::Num(BigRational::from_integer(factorial_ratio(n, k) * sign));
        sum.push(
            c * Expr::pow(tau.clone(), Expr::int(i64::from(n - k)))
                * Expr::pow(rate.clone(), Expr::int(-(i64::from(k) + 1))),
        );
    }
    exp * Expr::add(sum)
}

/// The antiderivative of `terms` in `var` (vanishing nowhere in particular), verified: its
/// derivative minus the integrand is exactly zero. `None` when it does not verify.
fn verified_antiderivative(
    terms: &[Term],
    integrand: &Expr,
    var: &str,
    param: &str,
) -> Option<Expr> {
    let tau = Expr::sym(var);
    let f = Expr::add(
        terms
            .iter()
            .map(|t| {
                let r = t.rate.expr(param);
                let exp = Expr::func(Func::Exp, r.clone() * tau.clone());
                t.coeff.clone() * antiderivative_term(t.power, &r, t.rate.is_zero(), &tau, exp)
            })
            .collect(),
    );
    let difference = derivative(&f, var) - integrand.clone();
    // Grouped by power and rate, every coefficient of the difference must vanish.
    let parts = decompose(&difference, var, param)?;
    parts.iter().all(|t| vanishes(&t.coeff, param)).then_some(f)
}

/// `∫_0^L integrand d var` for an exponential polynomial with rates affine in `param`, where
/// `e^{r·L}` is written by `exp_at(r)` (`u^r` for `L = ln u`) and `L^k` by `pow_at(k)`; `None`
/// when the integrand is outside the class or the antiderivative does not verify.
pub fn integrate_from_zero(
    integrand: &Expr,
    var: &str,
    param: &str,
    exp_at: &dyn Fn(&Expr) -> Expr,
    upper: &Expr,
) -> Option<Integral> {
    let terms = decompose(integrand, var, param)?;
    verified_antiderivative(&terms, integrand, var, param)?;
    let mut conditions = Vec::new();
    let mut special = Vec::new();
    let mut value = Vec::new();
    for t in &terms {
        let r = t.rate.expr(param);
        let zero_rate = t.rate.is_zero();
        if let Some(root) = t.rate.root() {
            let c = Condition {
                lhs: r.clone(),
                relation: Relation::Ne,
            };
            if !conditions.contains(&c) {
                conditions.push(c);
            }
            if !special.contains(&root) {
                special.push(root);
            }
        }
        let at_upper = antiderivative_term(t.power, &r, zero_rate, upper, exp_at(&r));
        let at_zero = antiderivative_term(t.power, &r, zero_rate, &Expr::zero(), Expr::one());
        value.push(t.coeff.clone() * (at_upper - at_zero));
    }
    Some(Integral {
        value: Expr::add(value),
        conditions,
        special,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    #[test]
    fn rates_affine_in_the_parameter() {
        let e = parse("(exp(a*t) - 1)*exp(-t)/a").unwrap();
        let terms = decompose(&e, "t", "a").unwrap();
        assert_eq!(terms.len(), 2);
        let rates: Vec<_> = terms.iter().map(|t| t.rate.root()).collect();
        assert!(rates.contains(&Some(BigRational::one())));
        assert!(decompose(&parse("exp(a^2*t)").unwrap(), "t", "a").is_none());
        assert!(decompose(&parse("exp(t/a)").unwrap(), "t", "a").is_none());
    }

    #[test]
    fn integrals_need_their_conditions() {
        let e = parse("(exp(a*t) - 1)*exp(-t)/a").unwrap();
        let i = integrate_from_zero(
            &e,
            "t",
            "a",
            &|r| Expr::func(Func::Exp, r.clone() * Expr::sym("t")),
            &Expr::sym("t"),
        )
        .unwrap();
        assert_eq!(i.special, vec![BigRational::one()]);
        assert_eq!(i.conditions.len(), 1);
        assert_eq!(i.conditions[0].relation, Relation::Ne);
        // the power rule needs nothing
        let p = integrate_from_zero(
            &parse("a*t^2").unwrap(),
            "t",
            "a",
            &|r| Expr::func(Func::Exp, r.clone() * Expr::sym("t")),
            &Expr::sym("t"),
        )
        .unwrap();
        assert!(p.conditions.is_empty());
    }
}

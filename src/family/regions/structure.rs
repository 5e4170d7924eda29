//! The structure of a family's `g'(t; a)`: a sum of terms `c(a)·tⁿ·|t|^{e(a)}·sign(t)^k·e^{r(a)·t}`.
//!
//! Every tail of such a sum is decided by a few quantities of the parameter: as `t → −∞` the term
//! with the smallest rate `r` and then the largest power `n + e` dominates; `∫_0^∞ g'(τ)e^{−τ}dτ`
//! converges exactly when every rate is below 1 and every power above −1, and otherwise its
//! sign is that of the dominant term. So the verdicts can only change where a rate, `r − 1`, a
//! difference of rates, a power, `n + e + 1`, a difference of powers, or a coefficient vanishes
//! or is undefined: these are the critical values, and between two of them the verdict is the
//! one read at any member.

use super::ratfun::{NotRational, critical_values, reduced};
use crate::diff::diff;
use crate::expr::{Expr, Func, LOSS_VAR};
use crate::simplify::{expand, simplify};
use num_rational::BigRational;
use num_traits::Zero;

/// One term `coeff·t^power·|t|^abs_power·sign(t)^odd_sign·e^{rate·t}` of a decomposed `g'`.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    /// `c(a)`, free of `t`.
    pub coeff: Expr,
    /// `n`, a non-negative integer.
    pub power: u32,
    /// `e(a)`, the power of `|t|` (`0` when absent).
    pub abs_power: Expr,
    /// Whether a factor `sign(t)` is present (`sign(t)² = 1` away from 0).
    pub sign: bool,
    /// `r(a)`, the rate of the exponential (`0` when absent).
    pub rate: Expr,
}

/// `g'` as a sum of [`Term`]s with distinct `(power, abs_power, sign, rate)`, no coefficient
/// identically zero; `None` when `g'` is not such a sum.
pub fn decompose(gp: &Expr, param: &str) -> Option<Vec<Term>> {
    let e = expand(gp).unwrap_or_else(|| gp.clone());
    let summands: Vec<Expr> = match &e {
        Expr::Add(xs) => xs.clone(),
        x => vec![x.clone()],
    };
    let mut terms: Vec<Term> = Vec::new();
    for s in summands {
        let t = term(&s)?;
        match terms.iter_mut().find(|x| {
            x.power == t.power && x.abs_power == t.abs_power && x.sign == t.sign && x.rate == t.rate
        }) {
            Some(x) => x.coeff = x.coeff.clone() + t.coeff,
            None => terms.push(t),
        }
    }
    for t in &mut terms {
        t.coeff = reduced(&t.coeff, param);
    }
    terms.retain(|t| !t.coeff.is_zero());
    Some(terms)
}

/// One summand as a [`Term`].
fn term(s: &Expr) -> Option<Term> {
    let factors: Vec<Expr> = match s {
        Expr::Mul(xs) => xs.clone(),
        x => vec![x.clone()],
    };
    let mut out = Term {
        coeff: Expr::one(),
        power: 0,
        abs_power: Expr::zero(),
        sign: false,
        rate: Expr::zero(),
    };
    let t = Expr::sym(LOSS_VAR);
    let is_t = |e: &Expr| *e == t;
    let is_abs_t = |e: &Expr| matches!(e, Expr::Func(Func::Abs, a) if is_t(a));
    for f in factors {
        if !f.contains_sym(LOSS_VAR) {
            out.coeff = out.coeff * f;
            continue;
        }
        match &f {
            x if is_t(x) => out.power += 1,
            x if is_abs_t(x) => out.abs_power = out.abs_power + Expr::one(),
            Expr::Func(Func::Sign, a) if is_t(a) => out.sign = !out.sign,
            Expr::Pow(b, k) if is_t(b) => {
                let k = k
                    .as_num()
                    .filter(|k| k.is_integer() && !k.is_negative_num())?;
                out.power += u32::try_from(k.to_integer()).ok()?;
            }
            Expr::Pow(b, k) if is_abs_t(b) && !k.contains_sym(LOSS_VAR) => {
                out.abs_power = out.abs_power + (**k).clone();
            }
            Expr::Pow(b, k) if matches!(&**b, Expr::Func(Func::Sign, a) if is_t(a)) => {
                let k = k.as_num().filter(|k| k.is_integer())?.to_integer();
                if k.bit(0) {
                    out.sign = !out.sign;
                }
            }
            Expr::Func(Func::Exp, arg) => {
                let r = simplify(&diff(arg, LOSS_VAR).ok()?).ok()?;
                if r.contains_sym(LOSS_VAR) {
                    return None;
                }
                let rest = simplify(&(arg.as_ref().clone() - r.clone() * t.clone())).ok()?;
                if rest.contains_sym(LOSS_VAR) {
                    return None;
                }
                out.rate = out.rate + r;
                out.coeff = out.coeff * Expr::func(Func::Exp, rest);
            }
            _ => return None,
        }
    }
    out.abs_power = simplify(&out.abs_power).ok()?;
    out.rate = simplify(&out.rate).ok()?;
    Some(out)
}

trait NegativeNum {
    fn is_negative_num(&self) -> bool;
}

impl NegativeNum for BigRational {
    fn is_negative_num(&self) -> bool {
        *self < BigRational::zero()
    }
}

/// Where a critical value comes from.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A coefficient vanishes or is undefined.
    Coefficient,
    /// A rate `r(a)` of `e^{r(a)·t}` is 0.
    Rate,
    /// A rate reaches 1, where `e^{(r − 1)τ}` stops decaying.
    RateOne,
    /// Two rates meet.
    RateDifference,
    /// A power `n + e(a)` of `t` is 0.
    Power,
    /// A power reaches −1, where `∫_0 τ^{n + e} dτ` stops converging.
    PowerMinusOne,
    /// Two powers meet.
    PowerDifference,
    /// The family's second derivative `g''` (convexity).
    Curvature,
}

/// A value of the parameter where a verdict may change, with the quantity that vanishes there.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Critical {
    /// The value, exact (`"1/2"`).
    #[serde(serialize_with = "super::serialize_rational")]
    pub value: BigRational,
    /// The quantity of the parameter that vanishes or is undefined there.
    #[serde(serialize_with = "super::serialize_expr")]
    pub quantity: Expr,
    /// What the quantity is.
    pub source: Source,
}

/// The total power `n + e(a)` of `t` in a term.
pub fn total_power(t: &Term) -> Expr {
    simplify(&(Expr::int(i64::from(t.power)) + t.abs_power.clone()))
        .unwrap_or_else(|_| Expr::int(i64::from(t.power)) + t.abs_power.clone())
}

/// The critical values of the terms of `g'` (see the module doc).
pub fn critical(terms: &[Term], param: &str) -> Result<Vec<Critical>, NotRational> {
    let mut quantities: Vec<(Expr, Source)> = Vec::new();
    for (i, t) in terms.iter().enumerate() {
        let power = total_power(t);
        quantities.push((t.coeff.clone(), Source::Coefficient));
        quantities.push((t.rate.clone(), Source::Rate));
        quantities.push((t.rate.clone() - Expr::one(), Source::RateOne));
        quantities.push((power.clone(), Source::Power));
        quantities.push((power.clone() + Expr::one(), Source::PowerMinusOne));
        for u in &terms[i + 1..] {
            quantities.push((t.rate.clone() - u.rate.clone(), Source::RateDifference));
            quantities.push((power.clone() - total_power(u), Source::PowerDifference));
        }
    }
    let mut out: Vec<Critical> = Vec::new();
    for (q, source) in quantities {
        let q = reduced(&q, param);
        for value in critical_values(&q, param)? {
            if !out.iter().any(|c| c.value == value) {
                out.push(Critical {
                    value,
                    quantity: q.clone(),
                    source: source.clone(),
                });
            }
        }
    }
    out.sort_by(|a, b| a.value.cmp(&b.value));
    Ok(out)
}

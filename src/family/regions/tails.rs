//! `f(0+)` and `f'(∞)` of a family, exactly from the structure of `g'`, or from a member.
//!
//! With `g' = Σ c·tⁿ·|t|^e·sign(t)^k·e^{r·t}` ([`super::structure`]) and `P = n + e`:
//! `f(0+) = −lim_{t→−∞} g'(t)` is `∓∞` by the dominant term (smallest `r < 0`, then largest `P`;
//! else the largest `P > 0` among `r = 0`), or `−Σ c·(−1)ⁿ·(−1)^k` over the terms with
//! `r = 0, P = 0`; and `f'(∞) = ∫_0^∞ Σ c·τ^P·e^{(r−1)τ} dτ` is `±∞` by the dominant divergent
//! term (largest `r > 1` or `r = 1, P ≥ −1`; or smallest `P ≤ −1` at 0), otherwise
//! `f(1) + Σ c·Γ(P + 1)/(1 − r)^{P+1}`, written out when every `P` is a whole number.
//!
//! The `f(1)` is there because `g'` forgets a constant of `f`: `g'(ln u) = u²·(f/u)'`, so
//! `f(u)/u = f(1) + ∫_0^{ln u} g'(τ)e^{−τ}dτ` and `f'(∞) = lim f(u)/u` keeps `f(1)` (a
//! constant generator `f = a` has `g' = −a` and `f'(∞) = 0`, not `−a`). `f(0+)` needs no
//! such term: `u·f(1) → 0` as `u → 0+`.

use super::ratfun::reduced;
use super::structure::{Term, total_power};
use crate::eval::{Params, eval_constant};
use crate::expr::{DIVERGENCE_VAR, Expr};
use crate::simplify::simplify;
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};
use std::cmp::Ordering;

/// The largest power `P` whose `P!` is written out in a finite `f'(∞)` (beyond it the limit is
/// reported finite without its value).
const MAX_FACTORIAL: u32 = 1000;

/// A limit over a region of the parameter.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ParamLimit {
    /// `+∞`.
    PlusInfinity,
    /// `−∞`.
    MinusInfinity,
    /// Finite: the exact value as an expression in the parameter when it is known, and the
    /// value at the member that was read (`None` when decided from the structure alone).
    Finite {
        /// The exact value, an expression in the parameter.
        #[serde(serialize_with = "super::serialize_opt_expr")]
        expr: Option<Expr>,
        /// The value at the member read.
        value: Option<f64>,
    },
    /// Undecided, with the reason.
    Unknown {
        /// Why.
        reason: String,
    },
}

impl ParamLimit {
    /// `Some(true)` for `+∞`, `Some(false)` for a finite limit or `−∞`, `None` when unknown.
    pub fn is_plus_infinity(&self) -> Option<bool> {
        match self {
            ParamLimit::PlusInfinity => Some(true),
            ParamLimit::Finite { .. } | ParamLimit::MinusInfinity => Some(false),
            ParamLimit::Unknown { .. } => None,
        }
    }

    fn infinite(positive: bool) -> ParamLimit {
        if positive {
            ParamLimit::PlusInfinity
        } else {
            ParamLimit::MinusInfinity
        }
    }

    /// The limit of one member found by [`crate::analysis::tails`].
    pub fn from_member(l: &crate::analysis::tails::Limit) -> ParamLimit {
        use crate::analysis::tails::Limit;
        match l {
            Limit::PlusInfinity => ParamLimit::PlusInfinity,
            Limit::MinusInfinity => ParamLimit::MinusInfinity,
            Limit::Finite(e, v) => ParamLimit::Finite {
                expr: e.clone(),
                value: Some(*v),
            },
            Limit::Unknown(u) => ParamLimit::Unknown {
                reason: u.to_string(),
            },
        }
    }
}

/// A term read at one parameter value: exact rate and power, the sign of its coefficient.
struct AtValue<'a> {
    term: &'a Term,
    rate: BigRational,
    power: BigRational,
    coeff_positive: bool,
    /// `(−1)ⁿ·(−1)^k`: the sign of `tⁿ·sign(t)^k` for `t < 0`.
    negative_side: bool,
}

/// Read `terms` at `param = v`; `None` when a rate or power is not an exact number there, or a
/// coefficient vanishes or has no value there.
fn at_value<'a>(terms: &'a [Term], param: &str, v: &BigRational) -> Option<Vec<AtValue<'a>>> {
    let value = Expr::Num(v.clone());
    let num = |e: &Expr| -> Option<BigRational> {
        simplify(&e.substitute(param, &value))
            .ok()?
            .as_num()
            .cloned()
    };
    terms
        .iter()
        .map(|t| {
            let c = simplify(&t.coeff.substitute(param, &value)).ok()?;
            if c.is_zero() {
                return None;
            }
            let cv = match c.as_num() {
                Some(n) => {
                    if n.is_positive() {
                        1.0
                    } else {
                        -1.0
                    }
                }
                None => eval_constant(&c, &Params::new()).ok()?,
            };
            if !cv.is_finite() || cv == 0.0 {
                return None;
            }
            Some(AtValue {
                term: t,
                rate: num(&t.rate)?,
                power: num(&total_power(t))?,
                coeff_positive: cv > 0.0,
                negative_side: (t.power % 2 == 1) != t.sign,
            })
        })
        .collect()
}

/// `f(1)` of a generator given in closed form, reduced in `param`: `0` when only the loss is
/// given (the transform of a loss has `f(1) = 0`), `None` when `f` is undefined at `u = 1`.
pub fn f_at_one(generator: Option<&Expr>, param: &str) -> Option<Expr> {
    match generator {
        None => Some(Expr::zero()),
        Some(f) => simplify(&f.substitute(DIVERGENCE_VAR, &Expr::one()))
            .ok()
            .map(|x| reduced(&x, param)),
    }
}

/// `(f(0+), f'(∞))` of the family whose `g'` is `terms` and whose `f(1)` is `f_at_1` (`None`:
/// undefined), on the piece of the parameter that contains `v` and no critical value: exact,
/// with finite values as expressions in `param`. `None` when the terms cannot be read at `v`.
pub fn by_signs(
    terms: &[Term],
    f_at_1: Option<&Expr>,
    param: &str,
    v: &BigRational,
) -> Option<(ParamLimit, ParamLimit)> {
    let at = at_value(terms, param, v)?;
    Some((at_zero(&at, param), at_infinity(&at, f_at_1, param)))
}

fn at_zero(at: &[AtValue<'_>], param: &str) -> ParamLimit {
    let zero = BigRational::zero();
    // As t → −∞: exponential decay of e^{r t} needs r > 0.
    let growing = at
        .iter()
        .filter(|x| x.rate < zero || (x.rate == zero && x.power > zero))
        .min_by(|x, y| x.rate.cmp(&y.rate).then(y.power.cmp(&x.power)));
    if let Some(d) = growing {
        if tied(at, d) {
            return tie();
        }
        // g' → ±∞ with the sign of c·(sign of the t-factors at t < 0); f(0+) is its negative.
        let g_positive = d.coeff_positive != d.negative_side;
        return ParamLimit::infinite(!g_positive);
    }
    let constant: Vec<Expr> = at
        .iter()
        .filter(|x| x.rate == zero && x.power == zero)
        .map(|x| {
            let sign = if x.negative_side {
                Expr::one()
            } else {
                -Expr::one()
            };
            sign * x.term.coeff.clone()
        })
        .collect();
    ParamLimit::Finite {
        expr: Some(reduced(&Expr::add(constant), param)),
        value: None,
    }
}

fn at_infinity(at: &[AtValue<'_>], f_at_1: Option<&Expr>, param: &str) -> ParamLimit {
    let one = BigRational::one();
    let minus_one = -BigRational::one();
    let far = at
        .iter()
        .filter(|x| x.rate > one || (x.rate == one && x.power >= minus_one))
        .max_by(|x, y| x.rate.cmp(&y.rate).then(x.power.cmp(&y.power)));
    let near = at
        .iter()
        .filter(|x| x.power <= minus_one)
        .min_by(|x, y| x.power.cmp(&y.power));
    if far.is_some_and(|d| tied(at, d))
        || near.is_some_and(|d| at.iter().filter(|x| x.power == d.power).count() > 1)
    {
        return tie();
    }
    match (far, near) {
        (Some(f), Some(n)) if f.coeff_positive != n.coeff_positive => ParamLimit::Unknown {
            reason: "the integral of g'(τ)e^(−τ) diverges at both ends with opposite signs".into(),
        },
        (Some(d), _) | (None, Some(d)) => ParamLimit::infinite(d.coeff_positive),
        (None, None) => {
            let Some(f_at_1) = f_at_1 else {
                return ParamLimit::Unknown {
                    reason: "f(1) is undefined".into(),
                };
            };
            let whole = at.iter().all(|x| {
                x.power.is_integer()
                    && x.power <= BigRational::from_integer(MAX_FACTORIAL.into())
                    && x.term.abs_power.as_num().is_some()
            });
            let expr = whole.then(|| {
                let terms = std::iter::once(f_at_1.clone())
                    .chain(at.iter().map(|x| {
                        let p = x.power.to_integer();
                        let fact = factorial(&p);
                        let base = Expr::one() - x.term.rate.clone();
                        let p1 = Expr::Num(BigRational::from_integer(p + BigInt::one()));
                        x.term.coeff.clone()
                            * Expr::Num(BigRational::from_integer(fact))
                            * Expr::pow(base, -p1)
                    }))
                    .collect();
                reduced(&Expr::add(terms), param)
            });
            ParamLimit::Finite { expr, value: None }
        }
    }
}

/// Whether another term has the same rate and power as the dominant one `d` (their sum's sign
/// is then not read from `d` alone).
fn tied(at: &[AtValue<'_>], d: &AtValue<'_>) -> bool {
    at.iter()
        .filter(|x| x.rate == d.rate && x.power == d.power)
        .count()
        > 1
}

fn tie() -> ParamLimit {
    ParamLimit::Unknown {
        reason: "two dominant terms of g' have the same rate and power".into(),
    }
}

fn factorial(n: &BigInt) -> BigInt {
    let mut out = BigInt::one();
    let mut k = BigInt::one();
    while k.cmp(n) != Ordering::Greater {
        out *= &k;
        k += 1;
    }
    out
}

//! Powers of `|τ|` whose exponent depends on the parameter, into the lower incomplete gamma
//! function: the power losses `|t|^p` as a family.
//!
//! `g(t) = |t|^p` has `g'(τ)·e^{−τ} = p·|τ|^(p−1)·sign(τ)·e^{−τ}`, a sum of terms
//! `c(p)·|τ|^s(p)·sign(τ)^k·e^{aτ}` with `s` affine in the parameter and a rational rate `a`.
//! [`crate::integrate::gamma::from_zero`] integrates each from `0`
//! (`c·sign(b)·|b|^(−(s+1))·sign(τ)^k·γ(s + 1, bτ)` with `b = −a ≠ 0`, the power rule for
//! `a = 0`), which needs the **condition** `s + 1 > 0`: `|τ|^s` is integrable at `0` exactly
//! then, and `γ`'s order must be positive. Under it the antiderivative vanishes at `0`, so it
//! is the definite integral. So `|t|^p ↔ f(u) = p·u·sign(log u)·γ(p, log u)` for `p > 0`; where
//! `s + 1 ≤ 0` the integral diverges, a region reported by [`Power::regions`].
//!
//! **Verification.** The antiderivative is differentiated back. When the difference from the
//! integrand simplifies to zero with the parameter symbolic, that is the proof. The simplifier
//! cannot always combine `|b·τ|^(s)` with `|b|^(−s)` for a symbolic `s`; then the identity is
//! checked member by member: at [`SAMPLES`] rational values of the parameter that satisfy the
//! conditions the difference must simplify to exactly zero, and at an irrational-looking value
//! of the parameter ([`PROBE`]) it must evaluate to zero within `1e-12` relative at points on
//! both sides of `0`. Each term is a product of factors whose derivative is analytic in the
//! parameter on the allowed region, so a difference that is a non-zero function of `p` would
//! show at those values; an antiderivative failing either check is never returned.

use super::expoly::Integral;
use super::ratfun::RatFun;
use super::{Condition, Relation};
use crate::diff::derivative;
use crate::eval::{Params, compile};
use crate::expr::Expr;
use crate::integrate::gamma::{PowerExp, from_zero, shape};
use crate::simplify::simplify;
use num_rational::BigRational;
use num_traits::{Signed, Zero};

/// The rational values of the parameter at which a difference that the simplifier does not
/// prove zero symbolically is checked exactly (those the conditions allow).
pub const SAMPLES: &[(i64, i64)] = &[
    (1, 7),
    (1, 2),
    (1, 1),
    (3, 2),
    (2, 1),
    (7, 3),
    (13, 2),
    (-1, 3),
    (-3, 2),
];

/// The value of the parameter, and the points of the variable, of the numeric check.
pub const PROBE: f64 = 1.618_033_988_749_895;
const PROBE_POINTS: &[f64] = &[-2.5, -0.7, -0.01, 0.01, 0.3, 1.9, 4.0];

/// The integral of a sum of power–exponential terms and what it needs beyond
/// [`Integral::conditions`].
pub struct Power {
    /// The definite integral from `0`, with conditions `s + 1 > 0`.
    pub integral: Integral,
    /// Where a condition fails, with why: `s + 1 ≤ 0`.
    pub regions: Vec<(Condition, String)>,
}

/// `(k₀, k₁)` when `e = k₀ + k₁·p`.
fn affine(e: &Expr, param: &str) -> Option<(BigRational, BigRational)> {
    let r = RatFun::of(e, param)?;
    if r.den.degree() > 0 || r.num.degree() > 1 {
        return None;
    }
    let d = r.den.coeff(0);
    Some((r.num.coeff(0) / &d, r.num.coeff(1) / d))
}

/// The terms of `e` (multiplied out): those [`super::expoly`] integrates, and the others as
/// [`PowerExp`] shapes, when each is one and at least one exponent depends on `param`.
fn terms(e: &Expr, var: &str, param: &str) -> Option<(Vec<Expr>, Vec<Expr>, Vec<PowerExp>)> {
    let summands = match crate::simplify::expand(e).unwrap_or_else(|| e.clone()) {
        Expr::Add(ts) => ts,
        other => vec![other],
    };
    let (elementary, powers): (Vec<Expr>, Vec<Expr>) = summands
        .into_iter()
        .partition(|t| super::expoly::decompose(t, var, param).is_some());
    let shapes: Vec<PowerExp> = powers
        .iter()
        .map(|t| shape(t, var))
        .collect::<Option<_>>()?;
    shapes
        .iter()
        .any(|s| s.exponent.contains_sym(param))
        .then_some((elementary, powers, shapes))
}

/// Whether `difference` (in `var` and `param`) is zero: symbolically, else at [`SAMPLES`]
/// exactly and at [`PROBE`] numerically (see the module docs).
fn vanishes(
    difference: &Expr,
    integrand: &Expr,
    var: &str,
    param: &str,
    conditions: &[Condition],
) -> bool {
    let Ok(d) = simplify(difference) else {
        return false;
    };
    if d.is_zero() {
        return true;
    }
    let allowed = |v: &BigRational| {
        conditions
            .iter()
            .all(|c| super::assume::holds_at(c, param, v) == Some(true))
    };
    let samples: Vec<BigRational> = SAMPLES
        .iter()
        .map(|&(n, m)| BigRational::new(n.into(), m.into()))
        .filter(allowed)
        .collect();
    if samples.len() < 4 {
        return false;
    }
    let exact = samples.iter().all(|v| {
        simplify(&difference.substitute(param, &Expr::Num(v.clone()))).is_ok_and(|d| d.is_zero())
    });
    exact && numerically_zero(difference, integrand, var, param, conditions)
}

/// The difference at [`PROBE`] (when the conditions allow it) and [`PROBE_POINTS`], within
/// `1e-12` relative to the integrand there.
fn numerically_zero(
    difference: &Expr,
    integrand: &Expr,
    var: &str,
    param: &str,
    conditions: &[Condition],
) -> bool {
    let Some(probe) = BigRational::from_float(PROBE) else {
        return false;
    };
    if !conditions
        .iter()
        .all(|c| super::assume::holds_at(c, param, &probe) == Some(true))
    {
        return false;
    }
    let params = Params::from_pairs([(param, PROBE)]);
    let (Ok(d), Ok(g)) = (
        compile(difference, var, &params),
        compile(integrand, var, &params),
    ) else {
        return false;
    };
    PROBE_POINTS.iter().all(|&x| {
        let (v, scale) = (d.eval(x), g.eval(x));
        v.is_finite() && scale.is_finite() && v.abs() <= 1e-12 * (1.0 + scale.abs())
    })
}

/// [`from_zero`], with `|τ|^(s+1)·sign(τ)²/(s + 1)` (rate `0`, `sign(τ)` to an odd power)
/// written `|τ|^(s+1)/(s + 1)`: they differ only at `τ = 0`, where both are `0` for `s > −1`.
fn antiderivative(s: &PowerExp, var: &str) -> Expr {
    if s.rate.is_zero() && s.odd {
        let order = s.exponent.clone() + Expr::one();
        return s.coeff.clone()
            * Expr::pow(
                Expr::func(crate::expr::Func::Abs, Expr::sym(var)),
                order.clone(),
            )
            * Expr::pow(order, Expr::int(-1));
    }
    from_zero(s, var)
}

/// `∫_0^upper integrand d var` for a sum of `c·|τ|^s·sign(τ)^k·e^{aτ}` with `s` affine in
/// `param` (at least one depending on it) and rational `a`, with the conditions `s + 1 > 0`,
/// plus an exponential polynomial ([`super::expoly`], `e^{r·upper}` written by `exp_at`);
/// `None` outside this class or when an antiderivative does not verify.
pub fn integrate_from_zero(
    integrand: &Expr,
    var: &str,
    param: &str,
    exp_at: &dyn Fn(&Expr) -> Expr,
    upper: &Expr,
) -> Option<Power> {
    let (elementary, powers, shapes) = terms(integrand, var, param)?;
    let mut conditions = Vec::new();
    let mut regions = Vec::new();
    for s in &shapes {
        let order = s.exponent.clone() + Expr::one();
        let (k0, k1) = affine(&order, param)?;
        if k1.is_zero() {
            // a constant order: integrable at 0 only when positive
            if !k0.is_positive() {
                return None;
            }
            continue;
        }
        let lhs = Expr::Num(k0) + Expr::Num(k1) * Expr::sym(param);
        let c = Condition {
            lhs: lhs.clone(),
            relation: Relation::Gt,
        };
        if !conditions.contains(&c) {
            conditions.push(c);
            regions.push((
                Condition {
                    lhs,
                    relation: Relation::Le,
                },
                "g'(τ) has a power of |τ| of order at most −1, not integrable at 0".to_string(),
            ));
        }
    }
    let antiderivative = Expr::add(shapes.iter().map(|s| antiderivative(s, var)).collect());
    let integrand = Expr::add(powers);
    let difference = derivative(&antiderivative, var) - integrand.clone();
    if !vanishes(&difference, &integrand, var, param, &conditions) {
        return None;
    }
    // the orders are positive, so the antiderivative is 0 at 0
    let mut value = vec![antiderivative.substitute(var, upper)];
    let mut special = Vec::new();
    if !elementary.is_empty() {
        let e =
            super::expoly::integrate_from_zero(&Expr::add(elementary), var, param, exp_at, upper)?;
        value.push(e.value);
        for c in e.conditions {
            if !conditions.contains(&c) {
                conditions.push(c);
            }
        }
        special = e.special;
    }
    Some(Power {
        integral: Integral {
            value: Expr::add(value),
            conditions,
            special,
        },
        regions,
    })
}

/// The limit of `rest·γ(q(p), x)` as `p → v` where the order `q(v) = 0`, from above (where
/// `γ` is defined): `γ(q, x) = sign(x)·|x|^q/q + ∫_0^x |s|^(q−1)·(e^(−s) − 1) ds`, whose second
/// term stays bounded as `q → 0+`, so the limit is `lim (rest/q)·sign(x)` when `rest/q` has a
/// finite limit ([`super::cases::limit`]) and `x ≠ 0`. A sum is taken term by term. `None`
/// when `e` is not such a product or a sum with one.
pub fn limit_at_vanishing_order(
    e: &Expr,
    param: &str,
    v: &BigRational,
) -> Option<Result<Expr, String>> {
    if let Expr::Add(terms) = e {
        if !terms
            .iter()
            .any(|t| limit_of_product(t, param, v).is_some())
        {
            return None;
        }
        let limits: Result<Vec<Expr>, String> = terms
            .iter()
            .map(|t| {
                limit_of_product(t, param, v).unwrap_or_else(|| super::cases::limit(t, param, v))
            })
            .collect();
        return Some(limits.and_then(|l| simplify(&Expr::add(l)).map_err(|e| e.to_string())));
    }
    limit_of_product(e, param, v)
}

fn limit_of_product(e: &Expr, param: &str, v: &BigRational) -> Option<Result<Expr, String>> {
    use crate::expr::{Func, Func2};
    let Expr::Mul(factors) = e else { return None };
    let at_zero = |q: &Expr| {
        RatFun::of(q, param)
            .and_then(|r| r.eval(v))
            .is_some_and(|x| x.is_zero())
    };
    let i = factors
        .iter()
        .position(|f| matches!(f, Expr::Func2(Func2::LowerGamma, q, _) if at_zero(q)))?;
    let Expr::Func2(_, q, x) = &factors[i] else {
        return None;
    };
    let mut rest = factors.clone();
    rest.remove(i);
    if rest.iter().any(|f| matches!(f, Expr::Func2(..))) {
        return None;
    }
    let ratio = Expr::mul(rest) * Expr::pow((**q).clone(), Expr::int(-1));
    Some(
        super::cases::limit(&ratio, param, v)
            .map(|l| l * Expr::func(Func::Sign, (**x).clone()))
            .and_then(|l| simplify(&l).map_err(|e| e.to_string())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::print::plain;

    fn integral(e: &str) -> Option<Power> {
        let e = simplify(&parse(e).unwrap()).unwrap();
        let t = Expr::sym("t");
        let exp_at = |r: &Expr| Expr::func(crate::expr::Func::Exp, r.clone() * t.clone());
        integrate_from_zero(&e, "t", "p", &exp_at, &Expr::sym("t"))
    }

    #[test]
    fn power_losses_need_a_positive_order() {
        let i = integral("p*abs(t)^(p - 1)*sign(t)*exp(-t)").unwrap();
        assert_eq!(
            plain(&simplify(&i.integral.value).unwrap()),
            "p*sign(t)*lowergamma(p, t)"
        );
        let texts: Vec<String> = i
            .integral
            .conditions
            .iter()
            .map(|c| super::super::assume::text(c, "p"))
            .collect();
        assert_eq!(texts, ["p > 0"]);
        assert_eq!(i.regions.len(), 1);
    }

    #[test]
    fn outside_the_class() {
        // no exponent in the parameter: the table's method
        assert!(integral("sqrt(abs(t))*exp(-t)").is_none());
        // an exponent not affine in the parameter
        assert!(integral("abs(t)^(p^2)*exp(-t)").is_none());
        // a rate in the parameter
        assert!(integral("abs(t)^p*exp(-p*t)").is_none());
        // a constant order that is not positive
        assert!(integral("abs(t)^p*exp(-t) + abs(t)^(-1/2)*sign(t)/t").is_none());
        // beside an exponential polynomial
        let i = integral("p*abs(t)^(p - 1)*sign(t) + 2*t*exp(-t)").unwrap();
        assert_eq!(
            plain(&simplify(&i.integral.value).unwrap()),
            "-2*(t + 1)*exp(-t) + abs(t)^p + 2"
        );
    }

    #[test]
    fn a_wrong_antiderivative_is_refused() {
        let d = |s: &str| parse(s).unwrap();
        let positive = [Condition {
            lhs: Expr::sym("p"),
            relation: Relation::Gt,
        }];
        let g = d("abs(t)^(p - 1)*exp(-t)");
        // zero at p = 1 only: the exact samples see it
        assert!(!vanishes(&d("(p - 1)*abs(t)^p"), &g, "t", "p", &positive));
        assert!(!vanishes(&d("(p - 1)*abs(t)^p"), &g, "t", "p", &[]));
        // zero at every sample but not at the probe
        let at_samples = SAMPLES
            .iter()
            .map(|&(n, m)| format!("(p - {n}/{m})"))
            .collect::<Vec<_>>()
            .join("*");
        assert!(!vanishes(&d(&at_samples), &g, "t", "p", &positive));
        assert!(vanishes(&d("abs(t)^p - abs(t)^p"), &g, "t", "p", &positive));
    }

    #[test]
    fn limits_where_the_order_vanishes() {
        let zero = BigRational::zero();
        let at = |s: &str| {
            let e = simplify(&parse(s).unwrap()).unwrap();
            limit_at_vanishing_order(&e, "p", &zero).map(|l| l.map(|l| plain(&l)))
        };
        // |t|^p → 1 off t = 0: the generators tend to u off u = 1, not to the member 0
        assert_eq!(
            at("p*u*sign(log(u))*lowergamma(p, log(u))"),
            Some(Ok("u*sign(log(u))^2".to_string()))
        );
        assert_eq!(
            at("2*p*lowergamma(2*p, x)"),
            Some(Ok("sign(x)".to_string()))
        );
        // γ(p, x) alone grows like 1/p
        assert!(matches!(at("u*lowergamma(p, log(u))"), Some(Err(_))));
        // an order that does not vanish there
        assert_eq!(at("p*lowergamma(p + 1, x)"), None);
        // term by term
        assert_eq!(
            at("p*lowergamma(p, x) + (exp(p*x) - 1)/p"),
            Some(Ok("sign(x) + x".to_string()))
        );
    }
}

//! Powers of `|τ|` times an exponential, into the lower incomplete gamma function.
//!
//! A power loss `g(t) = |t|^p` has `g'(τ) = p·|τ|^(p−1)·sign(τ)`, and the transform meets
//! `c·|τ|^s·sign(τ)^k·e^{aτ}`. For an integer `s` that is an exponential polynomial on each
//! side of `0` (the split-at-kinks method closes it); for any other `s > −1` it is not
//! elementary, but with `b = −a ≠ 0` and `σ = bτ`
//!
//! `∫_0^x |τ|^s·sign(τ)^k·e^{−bτ} dτ = sign(b)·|b|^(−(s+1))·sign(x)^k·γ(s + 1, b·x)`
//!
//! with `γ(p, y) = ∫_0^y |σ|^(p−1)·e^(−σ) dσ`, the language's `lowergamma`, which has the sign
//! of `y` (so `∫_0^y |σ|^s·sign(σ)·e^(−σ) dσ = sign(y)·γ(s + 1, y)`, and `k` counts modulo 2).
//! For `b = 0` it is the power rule, `|x|^(s+1)·sign(x)^(k+1)/(s + 1)`. So
//! `|t|^p ↔ f(u) = p·u·sign(log u)·γ(p, log u)`, `p > 0`.
//!
//! [`from_zero`] takes the exponent and the rate as expressions, valid under the stated
//! conditions `s > −1` (that is `p = s + 1 > 0`) and, for the gamma form, `b ≠ 0`; the table's
//! entry [`power_exponential`] checks them on numbers and leaves integer exponents to the
//! elementary methods.

use super::closed::linear;
use crate::expr::{Expr, Func};
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

/// The shape `c·|τ|^s·sign(τ)^k·e^{aτ}` of an integrand.
#[derive(Clone, Debug, PartialEq)]
pub struct PowerExp {
    /// The factor free of `τ`.
    pub coeff: Expr,
    /// The exponent `s` of `|τ|`, free of `τ`.
    pub exponent: Expr,
    /// Whether `sign(τ)` appears to an odd power.
    pub odd: bool,
    /// The rate `a` of `e^{aτ}`, free of `τ`.
    pub rate: Expr,
}

/// The shape of `e` as a product of factors free of `var`, `|var|^s`, `var^n`, `sign(var)^n`
/// and `exp(a·var + d)`; `None` for anything else.
pub fn shape(e: &Expr, var: &str) -> Option<PowerExp> {
    let factors: &[Expr] = match e {
        Expr::Mul(fs) => fs,
        other => std::slice::from_ref(other),
    };
    let is_var = |x: &Expr| matches!(x, Expr::Sym(s) if &**s == var);
    let mut out = PowerExp {
        coeff: Expr::one(),
        exponent: Expr::zero(),
        odd: false,
        rate: Expr::zero(),
    };
    let mut coeff = Vec::new();
    let mut exponent = Vec::new();
    let mut rate = BigRational::zero();
    for f in factors {
        let (base, power) = match f {
            Expr::Pow(b, x) => (&**b, (**x).clone()),
            other => (other, Expr::one()),
        };
        if !f.contains_sym(var) {
            coeff.push(f.clone());
        } else if power.contains_sym(var) {
            return None;
        } else if is_var(base) {
            // τ^n = |τ|^n·sign(τ)^n for an integer n
            let n = power.as_num()?;
            if !n.is_integer() {
                return None;
            }
            out.odd ^= n.to_integer().bit(0);
            exponent.push(power);
        } else {
            match base {
                Expr::Func(Func::Abs, a) if is_var(a) => exponent.push(power),
                Expr::Func(Func::Sign, a) if is_var(a) => {
                    let n = power.as_num()?;
                    if !n.is_integer() || !n.is_positive() {
                        return None;
                    }
                    out.odd ^= n.to_integer().bit(0);
                }
                Expr::Func(Func::Exp, a) if power.is_one() => {
                    let (k, d) = linear(a, var)?;
                    rate += k;
                    coeff.push(Expr::func(Func::Exp, d));
                }
                _ => return None,
            }
        }
    }
    out.coeff = Expr::mul(coeff);
    out.exponent = Expr::add(exponent);
    out.rate = Expr::Num(rate);
    Some(out)
}

/// `∫_0^x c·|τ|^s·sign(τ)^k·e^{aτ} dτ` with `x = var`, for `s > −1`: with `b = −a`,
/// `c·sign(b)·|b|^(−(s+1))·sign(x)^k·γ(s + 1, b·x)` when `b ≠ 0` is known, and
/// `c·|x|^(s+1)·sign(x)^(k+1)/(s + 1)` when `a` is `0`.
pub fn from_zero(shape: &PowerExp, var: &str) -> Expr {
    let x = Expr::sym(var);
    let p = shape.exponent.clone() + Expr::one();
    let sign_x = |odd: bool| {
        if odd {
            Expr::func(Func::Sign, x.clone())
        } else {
            Expr::one()
        }
    };
    if shape.rate.is_zero() {
        return Expr::mul(vec![
            shape.coeff.clone(),
            Expr::pow(Expr::func(Func::Abs, x.clone()), p.clone()),
            sign_x(!shape.odd),
            p.recip(),
        ]);
    }
    let b = -shape.rate.clone();
    Expr::mul(vec![
        shape.coeff.clone(),
        Expr::func(Func::Sign, b.clone()),
        Expr::pow(Expr::func(Func::Abs, b.clone()), -p.clone()),
        sign_x(shape.odd),
        Expr::lower_gamma(p, b * x),
    ])
}

/// The table's method: `c·|τ|^s·sign(τ)^k·e^{aτ}` for a rational `s > −1` that is not an
/// integer (integers are exponential polynomials on each side of `0`, closed elementarily by
/// the other methods) and a rational `a`.
pub fn power_exponential(e: &Expr, var: &str) -> Option<Expr> {
    let s = shape(e, var)?;
    let n = s.exponent.as_num()?;
    if n.is_integer() || *n <= -BigRational::one() || s.rate.as_num().is_none() {
        return None;
    }
    Some(from_zero(&s, var))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::print::plain;
    use crate::simplify::simplify;

    #[track_caller]
    fn integrates_to(integrand: &str, expected: &str) {
        let e = simplify(&parse(integrand).unwrap()).unwrap();
        let f = power_exponential(&e, "t").unwrap_or_else(|| panic!("{integrand} refused"));
        assert_eq!(plain(&simplify(&f).unwrap()), expected, "∫ {integrand}");
        assert!(
            crate::integrate::table::verify(&f, &e, "t"),
            "{expected} does not differentiate back to {integrand}"
        );
    }

    #[track_caller]
    fn refused(integrand: &str) {
        let e = simplify(&parse(integrand).unwrap()).unwrap();
        assert_eq!(power_exponential(&e, "t"), None, "{integrand}");
    }

    #[test]
    fn powers_times_exponentials() {
        integrates_to(
            "3/2*sqrt(abs(t))*sign(t)*exp(-t)",
            "3*sign(t)*lowergamma(3/2, t)/2",
        );
        integrates_to("abs(t)^(1/3)*exp(-t)", "lowergamma(4/3, t)");
        integrates_to("abs(t)^(-1/2)*exp(2*t)", "-lowergamma(1/2, -2*t)/sqrt(2)");
        integrates_to(
            "t*sqrt(abs(t))*exp(-3*t + 1)",
            "e*sign(t)*lowergamma(5/2, 3*t)/3^(5/2)",
        );
        integrates_to("a*abs(t)^(3/2)", "2*a*abs(t)^(5/2)*sign(t)/5");
    }

    #[test]
    fn refusals() {
        // integer exponents are left to the elementary methods
        refused("abs(t)*exp(-t)");
        refused("t^2*exp(-t)");
        // not integrable at 0
        refused("abs(t)^(-1)*exp(-t)");
        refused("abs(t)^(-3/2)*exp(-t)");
        // outside the shape
        refused("sqrt(abs(t - 1))*exp(-t)");
        refused("sqrt(abs(t))*exp(-t^2)");
        refused("abs(t)^a*exp(-t)");
        refused("sqrt(abs(t))*exp(-a*t)");
        refused("sqrt(abs(t))*log(t)");
    }
}

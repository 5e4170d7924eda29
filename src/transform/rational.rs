//! Rational functions of one variable over ℚ, for the integrand of a numeric loss.
//!
//! For a rational generator (Le Cam, triangular discrimination) the loss's derivative
//! `g'(ln u) = u f'(u) − f(u)` comes out of differentiation as a sum of terms that grow like `u`
//! while their sum tends to a constant: `(u − 1)(3u + 1)/(u + 1)²` for the triangular
//! discrimination. Evaluated term by term at `u = e^40` it has no correct digit. Here it is
//! brought over one denominator, reduced by the greatest common divisor, and written with its
//! rational roots as factors, so it is evaluated with a few roundings at every `u`, including
//! next to its zeros.

use crate::expr::Expr;
use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// A polynomial's coefficients, lowest degree first, without trailing zeros.
type Poly = Vec<BigRational>;

/// The largest degree handled; beyond it the expression is left as it is.
const MAX_DEGREE: usize = 64;

/// The largest leading or constant coefficient whose divisors are tried as rational roots.
const MAX_ROOT_SEARCH: i64 = 1_000_000;

/// `e` as one reduced fraction of polynomials in `var`, with the rational roots of the numerator
/// and of the denominator as factors; `None` when `e` is not a rational function of `var` with
/// rational coefficients (or is too large).
pub(crate) fn together(e: &Expr, var: &str) -> Option<Expr> {
    let (num, den) = fraction(e, var)?;
    let g = gcd(&num, &den);
    let (num, den) = (divide(&num, &g).0, divide(&den, &g).0);
    let scale = den.last()?.clone();
    let num: Poly = num.iter().map(|c| c / &scale).collect();
    let den: Poly = den.iter().map(|c| c / &scale).collect();
    Some(factored(&num, var) * Expr::pow(factored(&den, var), Expr::int(-1)))
}

/// `(numerator, denominator)` of `e`, unreduced.
fn fraction(e: &Expr, var: &str) -> Option<(Poly, Poly)> {
    let one = vec![BigRational::one()];
    let out = match e {
        Expr::Num(r) => (trim(vec![r.clone()]), one),
        Expr::Sym(s) if &**s == var => (vec![BigRational::zero(), BigRational::one()], one),
        Expr::Add(xs) => {
            let mut acc = (Poly::new(), one);
            for x in xs {
                let (n, d) = fraction(x, var)?;
                acc = (add(&mul(&acc.0, &d), &mul(&n, &acc.1)), mul(&acc.1, &d));
            }
            acc
        }
        Expr::Mul(xs) => {
            let mut acc = (one.clone(), one);
            for x in xs {
                let (n, d) = fraction(x, var)?;
                acc = (mul(&acc.0, &n), mul(&acc.1, &d));
            }
            acc
        }
        Expr::Pow(b, x) => {
            let k = x
                .as_num()
                .filter(|k| k.is_integer())?
                .to_integer()
                .to_i64()?;
            let (n, d) = fraction(b, var)?;
            let (n, d) = if k < 0 { (d, n) } else { (n, d) };
            let k = usize::try_from(k.unsigned_abs()).ok()?;
            if k * (n.len().max(d.len())) > MAX_DEGREE + 1 {
                return None;
            }
            let mut acc = (one.clone(), one);
            for _ in 0..k {
                acc = (mul(&acc.0, &n), mul(&acc.1, &d));
            }
            acc
        }
        _ => return None,
    };
    let ok = |p: &Poly| p.len() <= MAX_DEGREE + 1;
    (ok(&out.0) && ok(&out.1) && !out.1.is_empty()).then_some(out)
}

fn trim(mut p: Poly) -> Poly {
    while p.last().is_some_and(Zero::is_zero) {
        p.pop();
    }
    p
}

fn add(a: &Poly, b: &Poly) -> Poly {
    let n = a.len().max(b.len());
    let at = |p: &Poly, i: usize| p.get(i).cloned().unwrap_or_else(BigRational::zero);
    trim((0..n).map(|i| at(a, i) + at(b, i)).collect())
}

fn mul(a: &Poly, b: &Poly) -> Poly {
    if a.is_empty() || b.is_empty() {
        return Poly::new();
    }
    let mut out = vec![BigRational::zero(); a.len() + b.len() - 1];
    for (i, x) in a.iter().enumerate() {
        for (j, y) in b.iter().enumerate() {
            out[i + j] += x * y;
        }
    }
    trim(out)
}

/// Quotient and remainder of `a / b`, `b` not zero.
fn divide(a: &Poly, b: &Poly) -> (Poly, Poly) {
    let mut r = a.clone();
    let lead = b.last().expect("a non-zero divisor").clone();
    let mut q = vec![BigRational::zero(); a.len().saturating_sub(b.len()) + 1];
    while r.len() >= b.len() && !r.is_empty() {
        let shift = r.len() - b.len();
        let c = r.last().expect("not empty") / &lead;
        for (i, y) in b.iter().enumerate() {
            r[shift + i] -= &c * y;
        }
        q[shift] = c;
        r = trim(r);
    }
    (trim(q), r)
}

/// The monic greatest common divisor (`1` when either is zero).
fn gcd(a: &Poly, b: &Poly) -> Poly {
    let (mut x, mut y) = (a.clone(), b.clone());
    while !y.is_empty() {
        let r = divide(&x, &y).1;
        x = y;
        y = r;
    }
    match x.last() {
        Some(lead) if !lead.is_zero() => x.iter().map(|c| c / lead).collect(),
        _ => vec![BigRational::one()],
    }
}

fn eval(p: &Poly, x: &BigRational) -> BigRational {
    p.iter()
        .rev()
        .fold(BigRational::zero(), |acc, c| acc * x + c)
}

/// The positive divisors of `n`, when `0 < n ≤ MAX_ROOT_SEARCH`.
fn divisors(n: &BigInt) -> Vec<i64> {
    match n.abs().to_i64() {
        Some(n) if n > 0 && n <= MAX_ROOT_SEARCH => (1..=n).filter(|d| n % d == 0).collect(),
        _ => Vec::new(),
    }
}

/// `p` as `Π (q·var − p)^m · rest`, with its rational roots `p/q` found by the rational root
/// theorem and the rest expanded.
fn factored(p: &Poly, var: &str) -> Expr {
    let mut rest = p.clone();
    let mut factors = Vec::new();
    let x = Expr::sym(var);
    while rest.len() > 1 && rest[0].is_zero() {
        rest.remove(0);
        factors.push(x.clone());
    }
    if rest.len() > 1 {
        let lcm = rest.iter().fold(BigInt::one(), |l, c| l.lcm(c.denom()));
        let ints: Vec<BigInt> = rest.iter().map(|c| (c * &lcm).to_integer()).collect();
        let (low, high) = (divisors(&ints[0]), divisors(&ints[ints.len() - 1]));
        for p in &low {
            for q in &high {
                for sign in [1, -1] {
                    let (p, q) = (BigInt::from(sign * p), BigInt::from(*q));
                    if !p.gcd(&q).is_one() {
                        continue;
                    }
                    let r = BigRational::new(p.clone(), q.clone());
                    while rest.len() > 1 && eval(&rest, &r).is_zero() {
                        let linear =
                            vec![BigRational::from(-p.clone()), BigRational::from(q.clone())];
                        rest = divide(&rest, &linear).0;
                        factors.push(
                            Expr::num(q.clone().into()) * x.clone() - Expr::num(p.clone().into()),
                        );
                    }
                }
            }
        }
    }
    let rest_expr = Expr::add(
        rest.iter()
            .enumerate()
            .map(|(i, c)| Expr::num(c.clone()) * Expr::pow(x.clone(), Expr::int(i as i64)))
            .collect(),
    );
    factors.push(rest_expr);
    Expr::mul(factors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::print::plain;
    use crate::simplify::simplify;

    /// The canonical form multiplies a number into a sum (`2·(u − 1)` is `2*u - 2`), which is
    /// exact near the root.
    #[track_caller]
    fn together_is(e: &str, expected: Option<&str>) {
        let e = simplify(&parse(e).unwrap()).unwrap();
        let got = together(&e, "u").map(|x| plain(&x));
        assert_eq!(got.as_deref(), expected, "{}", plain(&e));
    }

    #[test]
    fn combines_and_factors() {
        together_is(
            "-u*((u - 1)^2/(u + 1)^2 - (2*u - 2)/(u + 1)) - (u - 1)^2/(u + 1)",
            Some("(u - 1)*(3*u + 1)/(u + 1)^2"),
        );
        together_is("u^2 - 1", Some("(u - 1)*(u + 1)"));
        together_is("2 - 2/u", Some("(2*u - 2)/u"));
        together_is("u/2 + 1/3", Some("u/2 + 1/3"));
        together_is("(u^2 + 1)/(u^3 + u)", Some("1/u"));
        together_is("u^2 - 2", Some("u^2 - 2"));
        together_is("sqrt(u) - 1", None);
        together_is("log(u) - 1", None);
        together_is("u^1000", None);
    }
}

//! Closed-form integration of exponential polynomials.
//!
//! After the substitution `s = e^τ`, both integrands of the transform pair ([`crate::transform`]) are functions of
//! `τ`. When they are sums of `c·τ^n·e^{aτ}` (constant `c`, integer `n ≥ 0`, exact rational `a`)
//! they integrate exactly:
//!
//! - `∫_0^L τ^n dτ = L^{n+1}/(n+1)`;
//! - `∫_0^L τ^n e^{aτ} dτ = F(L) − F(0)` with `F(τ) = e^{aτ} Σ_{k=0}^{n} (−1)^k n!/(n−k)! τ^{n−k}/a^{k+1}`.
//!
//! [`decompose`] recognises the class after a documented rewrite set: `cosh(x)` and `sinh(x)` of a
//! linear argument become exponentials, products and small powers of sums are multiplied out,
//! `exp(k·τ + d)` contributes `e^d` to the coefficient. Anything else is outside the class
//! (`None`), and the caller integrates numerically.

use crate::expr::{Expr, Func};
use crate::simplify::expand;
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// The largest power `n` of `τ` integrated in closed form.
pub const MAX_POWER: u32 = 64;

/// One term `coeff·τ^power·e^{rate·τ}`.
#[derive(Clone, Debug, PartialEq)]
pub struct ExpPolyTerm {
    /// The constant coefficient (free of the variable).
    pub coeff: Expr,
    /// The power of the variable.
    pub power: u32,
    /// The exact exponential rate.
    pub rate: BigRational,
}

/// A sum of [`ExpPolyTerm`]s.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ExpPoly {
    /// The terms.
    pub terms: Vec<ExpPolyTerm>,
}

/// The most nodes [`to_exponentials`] may produce for [`decompose`] and the tails to use its
/// result: each `cosh` or `sinh` copies its argument twice, so `cosh` nested `n` deep has `2^n`
/// copies of the innermost argument, and beyond this the rewrite is not attempted.
pub const MAX_EXPONENTIAL_NODES: usize = 20_000;

/// An upper estimate of the number of nodes of `to_exponentials(e)` (saturating), computed in
/// time proportional to the size of `e` without building anything.
pub fn exponential_size(e: &Expr) -> usize {
    match e {
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => 1,
        Expr::Add(xs) | Expr::Mul(xs) => xs
            .iter()
            .fold(1usize, |acc, x| acc.saturating_add(exponential_size(x))),
        Expr::Pow(b, x) => 1usize
            .saturating_add(exponential_size(b))
            .saturating_add(exponential_size(x)),
        // `(1/2)·(exp(a) + exp(−1·a))`
        Expr::Func(Func::Cosh | Func::Sinh, a) => {
            exponential_size(a).saturating_mul(2).saturating_add(8)
        }
        Expr::Func(_, a) => exponential_size(a).saturating_add(1),
        Expr::Func2(_, a, b) => exponential_size(a)
            .saturating_add(exponential_size(b))
            .saturating_add(1),
    }
}

/// `cosh(x) = (e^x + e^-x)/2`, `sinh(x) = (e^x - e^-x)/2` throughout `e`.
///
/// The result grows exponentially with the nesting of `cosh` and `sinh`: callers that take
/// arbitrary input check [`exponential_size`] against [`MAX_EXPONENTIAL_NODES`] first.
pub fn to_exponentials(e: &Expr) -> Expr {
    match e {
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => e.clone(),
        Expr::Add(xs) => Expr::add(xs.iter().map(to_exponentials).collect()),
        Expr::Mul(xs) => Expr::mul(xs.iter().map(to_exponentials).collect()),
        Expr::Pow(b, x) => Expr::pow(to_exponentials(b), to_exponentials(x)),
        Expr::Func(f @ (Func::Cosh | Func::Sinh), a) => {
            let a = to_exponentials(a);
            let plus = Expr::func(Func::Exp, a.clone());
            let minus = Expr::func(Func::Exp, -a);
            let half = Expr::ratio(1, 2);
            if *f == Func::Cosh {
                half * (plus + minus)
            } else {
                half * (plus - minus)
            }
        }
        Expr::Func(f, a) => Expr::func(*f, to_exponentials(a)),
        Expr::Func2(f, a, b) => Expr::func2(*f, to_exponentials(a), to_exponentials(b)),
    }
}

/// `(k, d)` when `arg = k·var + d` with exact rational `k` and `d` free of `var`.
pub(crate) fn linear(arg: &Expr, var: &str) -> Option<(BigRational, Expr)> {
    let terms: &[Expr] = match arg {
        Expr::Add(ts) => ts,
        other => std::slice::from_ref(other),
    };
    let mut k = BigRational::zero();
    let mut d = Vec::new();
    for t in terms {
        if !t.contains_sym(var) {
            d.push(t.clone());
            continue;
        }
        let (c, rest) = t.split_coeff();
        match rest {
            Expr::Sym(s) if &*s == var => k += c,
            _ => return None,
        }
    }
    Some((k, Expr::add(d)))
}

/// `e` as a sum of `c·var^n·e^{a·var}`, when it is one (see the module documentation).
///
/// `None` also when rewriting `cosh` and `sinh` would exceed [`MAX_EXPONENTIAL_NODES`] nodes
/// (nested `cosh` of `cosh` is never in the class).
pub fn decompose(e: &Expr, var: &str) -> Option<ExpPoly> {
    if exponential_size(e) > MAX_EXPONENTIAL_NODES {
        return None;
    }
    let expanded = expand(&to_exponentials(e))?;
    let terms: Vec<Expr> = match expanded {
        Expr::Add(ts) => ts,
        other => vec![other],
    };
    let mut out = ExpPoly::default();
    for t in terms {
        let factors: Vec<Expr> = match t {
            Expr::Mul(fs) => fs,
            other => vec![other],
        };
        let mut coeff = Vec::new();
        let mut power: u32 = 0;
        let mut rate = BigRational::zero();
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
                    let (k, d) = linear(arg, var)?;
                    rate += k;
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
        out.terms.push(ExpPolyTerm {
            coeff: Expr::mul(coeff),
            power,
            rate,
        });
    }
    Some(out)
}

/// Whether `e` is an exponential polynomial `Σ c·var^n·e^{a·var}` ([`decompose`]) whose exact
/// coefficients cancel for every `(n, a)`: an identity, however large the coefficients (the
/// antiderivative of a polynomial of degree 40 times `e^{−τ}` has coefficients up to `40!`,
/// which no comparison in floating point can check).
///
/// `e` is multiplied out term by term up to [`MAX_IDENTITY_TERMS`] terms (the simplifier's
/// expansion stops at 256, a tenth of what the identities of long polynomials need).
pub fn vanishes(e: &Expr, var: &str) -> bool {
    if let Some(v) = vanishes_exactly(e, var) {
        return v;
    }
    let mut count = 0;
    let Some(terms) = multiplied_out(e, &mut count) else {
        return false;
    };
    let parts: Option<Vec<ExpPoly>> = terms.iter().map(|t| decompose(t, var)).collect();
    let Some(parts) = parts else {
        return false;
    };
    let mut groups: Vec<(u32, &BigRational, Vec<Expr>)> = Vec::new();
    for t in parts.iter().flat_map(|p| &p.terms) {
        match groups
            .iter_mut()
            .find(|(n, a, _)| *n == t.power && **a == t.rate)
        {
            Some((_, _, cs)) => cs.push(t.coeff.clone()),
            None => groups.push((t.power, &t.rate, vec![t.coeff.clone()])),
        }
    }
    groups.into_iter().all(|(_, _, cs)| {
        // Exact numbers add up to zero in the constructor; others need the simplifier.
        let c = Expr::add(cs);
        c.is_zero() || crate::simplify::simplify(&c).is_ok_and(|c| c.is_zero())
    })
}

/// One multiplied-out term `c·var^power·e^{rate·var}` with an exact coefficient.
#[derive(Clone)]
struct Monomial {
    coeff: BigRational,
    power: u32,
    rate: BigRational,
}

impl Monomial {
    fn times(&self, other: &Monomial) -> Option<Monomial> {
        Some(Monomial {
            coeff: crate::expr::number::mul(&self.coeff, &other.coeff),
            power: self.power.checked_add(other.power)?,
            rate: crate::expr::number::add(&self.rate, &other.rate),
        })
    }
}

/// [`vanishes`] without building a single product, when every factor is an exact number,
/// `var`, `var^n` or `exp(k·var)` (the identities of polynomial losses and their closed forms):
/// the same terms, multiplied out within the same limits, as monomials with exact
/// coefficients; `None` when some factor is anything else, and [`vanishes`] decides.
fn vanishes_exactly(e: &Expr, var: &str) -> Option<bool> {
    if !monomial_factors(e, var) {
        return None;
    }
    let mut count = 0;
    let Some(terms) = monomials_out(e, var, &mut count) else {
        return Some(false);
    };
    let mut groups: std::collections::HashMap<(u32, BigRational), BigRational> =
        std::collections::HashMap::new();
    for t in terms {
        if t.power > MAX_POWER {
            return Some(false);
        }
        let sum = groups
            .entry((t.power, t.rate))
            .or_insert_with(BigRational::zero);
        *sum = crate::expr::number::add(sum, &t.coeff);
    }
    Some(groups.values().all(Zero::is_zero))
}

/// The monomial of a factor that [`multiplied_out`] leaves whole, when it is one.
fn monomial(f: &Expr, var: &str) -> Option<Monomial> {
    let of = |coeff: BigRational, power: u32, rate: BigRational| Monomial { coeff, power, rate };
    match f {
        Expr::Num(n) => Some(of(n.clone(), 0, BigRational::zero())),
        Expr::Sym(s) if &**s == var => Some(of(BigRational::one(), 1, BigRational::zero())),
        Expr::Pow(b, x) => match (&**b, &**x) {
            (Expr::Sym(s), Expr::Num(n)) if &**s == var && n.is_integer() && !n.is_negative() => {
                Some(of(
                    BigRational::one(),
                    n.to_integer().to_u32()?,
                    BigRational::zero(),
                ))
            }
            _ => None,
        },
        Expr::Func(Func::Exp, arg) => match linear(arg, var)? {
            (k, d) if d.is_zero() => Some(of(BigRational::one(), 0, k)),
            _ => None,
        },
        _ => None,
    }
}

/// Whether every factor [`multiplied_out`] leaves whole in `e` is a [`monomial`].
fn monomial_factors(e: &Expr, var: &str) -> bool {
    match e {
        Expr::Add(xs) | Expr::Mul(xs) => xs.iter().all(|x| monomial_factors(x, var)),
        Expr::Pow(b, _) if small_sum_power(e).is_some() => monomial_factors(b, var),
        other => monomial(other, var).is_some(),
    }
}

/// The exponent `n` of a power of a sum that [`multiplied_out`] multiplies out (`2 ≤ n ≤ 8`).
fn small_sum_power(e: &Expr) -> Option<u32> {
    let Expr::Pow(b, x) = e else {
        return None;
    };
    if !matches!(**b, Expr::Add(_)) {
        return None;
    }
    match x.as_num().and_then(|n| n.to_integer().to_u32()) {
        Some(n) if x.as_num().is_some_and(|r| r.is_integer()) && (2..=8).contains(&n) => Some(n),
        _ => None,
    }
}

/// [`products`] of monomials, within the same limit.
fn monomial_products(acc: &[Monomial], ts: &[Monomial]) -> Option<Vec<Monomial>> {
    if acc.len().checked_mul(ts.len())? > MAX_IDENTITY_TERMS {
        return None;
    }
    acc.iter()
        .flat_map(|a| ts.iter().map(move |b| a.times(b)))
        .collect()
}

/// [`multiplied_out`] on monomials: the same terms, counted the same way, for an `e` whose
/// factors are all [`monomial`]s.
fn monomials_out(e: &Expr, var: &str, count: &mut usize) -> Option<Vec<Monomial>> {
    let one = || Monomial {
        coeff: BigRational::one(),
        power: 0,
        rate: BigRational::zero(),
    };
    let out = match e {
        Expr::Add(ts) => {
            let mut out = Vec::new();
            for t in ts {
                out.extend(monomials_out(t, var, count)?);
            }
            out
        }
        Expr::Mul(fs) => {
            let mut acc = vec![one()];
            for f in fs {
                acc = monomial_products(&acc, &monomials_out(f, var, count)?)?;
            }
            acc
        }
        Expr::Pow(b, _) if small_sum_power(e).is_some() => {
            let n = small_sum_power(e)?;
            let ts = monomials_out(b, var, count)?;
            let mut acc = vec![one()];
            for _ in 0..n {
                acc = monomial_products(&acc, &ts)?;
            }
            acc
        }
        other => vec![monomial(other, var)?],
    };
    *count = count.checked_add(out.len())?;
    (*count <= MAX_IDENTITY_TERMS * 4).then_some(out)
}

/// The most terms [`vanishes`] multiplies an expression out to.
pub const MAX_IDENTITY_TERMS: usize = 20_000;

/// Every product of a term of `acc` with a term of `ts`, or `None` past
/// [`MAX_IDENTITY_TERMS`] terms.
fn products(acc: &[Expr], ts: &[Expr]) -> Option<Vec<Expr>> {
    if acc.len().checked_mul(ts.len())? > MAX_IDENTITY_TERMS {
        return None;
    }
    Some(
        acc.iter()
            .flat_map(|a| ts.iter().map(move |b| a.clone() * b.clone()))
            .collect(),
    )
}

/// The terms of `e` with every product of sums and small power of a sum multiplied out (not
/// inside functions); `None` beyond [`MAX_IDENTITY_TERMS`] terms in all.
fn multiplied_out(e: &Expr, count: &mut usize) -> Option<Vec<Expr>> {
    let out = match e {
        Expr::Add(ts) => {
            let mut out = Vec::new();
            for t in ts {
                out.extend(multiplied_out(t, count)?);
            }
            out
        }
        Expr::Mul(fs) => {
            let mut acc = vec![Expr::one()];
            for f in fs {
                acc = products(&acc, &multiplied_out(f, count)?)?;
            }
            acc
        }
        Expr::Pow(b, x) if matches!(**b, Expr::Add(_)) => {
            match x.as_num().and_then(|n| n.to_integer().to_u32()) {
                Some(n) if x.as_num().is_some_and(|r| r.is_integer()) && (2..=8).contains(&n) => {
                    let ts = multiplied_out(b, count)?;
                    let mut acc = vec![Expr::one()];
                    for _ in 0..n {
                        acc = products(&acc, &ts)?;
                    }
                    acc
                }
                _ => vec![e.clone()],
            }
        }
        other => vec![other.clone()],
    };
    *count = count.checked_add(out.len())?;
    (*count <= MAX_IDENTITY_TERMS * 4).then_some(out)
}

/// `∫_0^upper τ^n e^{aτ} dτ` as an expression in `upper`.
fn integrate_term(power: u32, rate: &BigRational, upper: &Expr) -> Expr {
    use crate::expr::number::mul;
    let n = power;
    if rate.is_zero() {
        let m = i64::from(n) + 1;
        return Expr::pow(upper.clone(), Expr::int(m)) * Expr::ratio(1, m);
    }
    // c_k = (−1)^k·n!/(n−k)!/a^{k+1}, each from the one before: one exact product per term.
    let step = -rate.recip();
    let mut c = rate.recip();
    let mut sum = Vec::with_capacity(n as usize + 1);
    for k in 0..=n {
        if k > 0 {
            c = mul(
                &mul(&c, &step),
                &BigRational::from_integer(BigInt::from(n - k + 1)),
            );
        }
        sum.push(Expr::Num(c.clone()) * Expr::pow(upper.clone(), Expr::int(i64::from(n - k))));
    }
    let exp = Expr::func(Func::Exp, Expr::Num(rate.clone()) * upper.clone());
    // F(0) = (−1)^n n!/a^{n+1}, the last coefficient
    exp * Expr::add(sum) - Expr::Num(c)
}

/// `∫_0^upper p(τ) dτ` for an exponential polynomial `p` in `var`, as an expression in `upper`.
pub fn integrate_from_zero(p: &ExpPoly, upper: &Expr) -> Expr {
    Expr::add(
        p.terms
            .iter()
            .map(|t| t.coeff.clone() * integrate_term(t.power, &t.rate, upper))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::print::plain;
    use crate::simplify::simplify;

    #[track_caller]
    fn integrates_to(integrand: &str, expected: &str) {
        let e = parse(integrand).unwrap();
        let p = decompose(&e, "t").unwrap_or_else(|| panic!("{integrand} is not decomposable"));
        let r = simplify(&integrate_from_zero(&p, &Expr::sym("t"))).unwrap();
        assert_eq!(plain(&r), expected, "∫_0^t {integrand}");
    }

    #[track_caller]
    fn outside(integrand: &str) {
        let e = parse(integrand).unwrap();
        assert!(
            decompose(&e, "t").is_none(),
            "{integrand} should be outside the class"
        );
    }

    #[test]
    fn table() {
        integrates_to("1", "t");
        integrates_to("2*t", "t^2");
        integrates_to("exp(t)", "exp(t) - 1");
        integrates_to("t*exp(t)", "(t - 1)*exp(t) + 1");
        integrates_to("2*t*exp(-t)", "-2*(t + 1)*exp(-t) + 2");
        integrates_to("exp(2*t + 1)", "e*(exp(2*t)/2 - 1/2)");
        integrates_to("cosh(t)", "exp(t)/2 - exp(-t)/2");
        integrates_to("a*t^2", "a*t^3/3");
        integrates_to("(t + 1)^2", "t^3/3 + t^2 + t");
    }

    #[test]
    fn identities_of_long_polynomials_are_decided_on_exact_monomials() {
        // ∫_0^t τ^40·e^{−τ} dτ differentiated back, less the integrand: zero, with 40! inside
        let p = decompose(&parse("t^40*exp(-t)").unwrap(), "t").unwrap();
        let f = integrate_from_zero(&p, &Expr::sym("t"));
        let d = crate::diff::derivative(&f, "t");
        let zero = d.clone() - parse("t^40*exp(-t)").unwrap();
        assert_eq!(vanishes_exactly(&zero, "t"), Some(true));
        assert!(vanishes(&zero, "t"));
        let off = d - parse("t^40*exp(-t) + t^3/40").unwrap();
        assert_eq!(vanishes_exactly(&off, "t"), Some(false));
        assert!(!vanishes(&off, "t"));
        // (t + 1)^2 − t^2 − 2·t − 1, multiplied out
        let square = parse("(t + 1)^2*exp(t) - (t^2 + 2*t + 1)*exp(t)").unwrap();
        assert_eq!(vanishes_exactly(&square, "t"), Some(true));
        // a coefficient that is not a number is left to the general check
        let symbolic = parse("(a + 1)*t*exp(t) - a*t*exp(t) - t*exp(t)").unwrap();
        assert_eq!(vanishes_exactly(&symbolic, "t"), None);
        assert!(vanishes(&symbolic, "t"));
        assert_eq!(vanishes_exactly(&parse("pi*t - t").unwrap(), "t"), None);
        assert!(!vanishes(&parse("pi*t - t").unwrap(), "t"));
    }

    #[test]
    fn outside_the_class() {
        outside("log(cosh(t))");
        outside("abs(t)");
        outside("t^(1/2)");
        outside("exp(t^2)");
        outside("1/t");
    }
}

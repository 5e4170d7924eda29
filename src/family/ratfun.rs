//! Rational functions of one parameter over ℚ, and expressions grouped over them.
//!
//! A family's coefficients are rational in its parameter (`1/(a·(a − 1))`), and the simplifier
//! does not cancel common polynomial factors (`(a − 1)/(a·(a − 1))` stays as it is). Here a
//! coefficient is a quotient of two [`Poly`]s in the parameter reduced by their gcd, so that
//! zero is decided exactly, and an expression is grouped as `Σ c_j(p)·X_j` with `X_j` the
//! factors that are not rational in `p` (`u^a`, `log(u)`, `log(a)`): [`Grouped`]. That is what
//! decides that an antiderivative differentiates back (every group's coefficient is exactly
//! zero) and what writes a result over one denominator, as a person does.

use crate::expr::{Expr, Func};
use crate::integrate::poly::Poly;
use crate::simplify::expand;
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// The largest degree of a numerator or denominator in the parameter.
pub const MAX_DEGREE: usize = 40;

/// A rational function `num(p)/den(p)` over ℚ, reduced, with a monic denominator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RatFun {
    /// The numerator.
    pub num: Poly,
    /// The denominator, monic and coprime to the numerator.
    pub den: Poly,
}

impl RatFun {
    /// The constant `c`.
    pub fn constant(c: BigRational) -> RatFun {
        RatFun {
            num: Poly::constant(c),
            den: Poly::one(),
        }
    }

    /// The parameter itself.
    pub fn param() -> RatFun {
        RatFun {
            num: Poly::monomial(BigRational::one(), 1),
            den: Poly::one(),
        }
    }

    /// `num/den` reduced; `None` when `den = 0` or a degree exceeds [`MAX_DEGREE`].
    pub fn new(num: Poly, den: Poly) -> Option<RatFun> {
        if den.is_zero() {
            return None;
        }
        if num.is_zero() {
            return Some(RatFun::constant(BigRational::zero()));
        }
        let g = num.gcd(&den);
        let (n, d) = (num.div_exact(&g)?, den.div_exact(&g)?);
        let l = d.lead();
        let (n, d) = (n.scale(&l.recip()), d.scale(&l.recip()));
        (n.degree() <= MAX_DEGREE && d.degree() <= MAX_DEGREE).then_some(RatFun { num: n, den: d })
    }

    /// Whether this is zero.
    pub fn is_zero(&self) -> bool {
        self.num.is_zero()
    }

    /// `self + other`.
    pub fn add(&self, other: &RatFun) -> Option<RatFun> {
        RatFun::new(
            self.num.mul(&other.den).add(&other.num.mul(&self.den)),
            self.den.mul(&other.den),
        )
    }

    /// `self · other`.
    pub fn mul(&self, other: &RatFun) -> Option<RatFun> {
        RatFun::new(self.num.mul(&other.num), self.den.mul(&other.den))
    }

    /// `self^n` for any integer `n` (`None` for a negative power of zero).
    pub fn powi(&self, n: i64) -> Option<RatFun> {
        let k = u32::try_from(n.unsigned_abs()).ok()?;
        if (self.num.degree().max(self.den.degree()) as u64) * u64::from(k) > MAX_DEGREE as u64 {
            return None;
        }
        let (a, b) = (self.num.pow(k), self.den.pow(k));
        if n >= 0 {
            RatFun::new(a, b)
        } else {
            RatFun::new(b, a)
        }
    }

    /// The value at `p = x`, or `None` where the denominator vanishes.
    pub fn eval(&self, x: &BigRational) -> Option<BigRational> {
        let d = self.den.eval(x);
        (!d.is_zero()).then(|| self.num.eval(x) / d)
    }

    /// `e` as a rational function of `param`, when it is one (numbers, `param`, sums, products
    /// and integer powers).
    pub fn of(e: &Expr, param: &str) -> Option<RatFun> {
        match e {
            Expr::Num(r) => Some(RatFun::constant(r.clone())),
            Expr::Sym(s) if &**s == param => Some(RatFun::param()),
            Expr::Add(xs) => xs
                .iter()
                .try_fold(RatFun::constant(BigRational::zero()), |acc, x| {
                    acc.add(&RatFun::of(x, param)?)
                }),
            Expr::Mul(xs) => xs
                .iter()
                .try_fold(RatFun::constant(BigRational::one()), |acc, x| {
                    acc.mul(&RatFun::of(x, param)?)
                }),
            Expr::Pow(b, x) => {
                let n = x.as_num()?;
                if !n.is_integer() {
                    return None;
                }
                RatFun::of(b, param)?.powi(n.to_integer().to_i64()?)
            }
            _ => None,
        }
    }
}

/// `p` as an expression in `param`, highest power first as a person writes it.
pub fn poly_expr(p: &Poly, param: &str) -> Expr {
    let x = Expr::sym(param);
    Expr::add(
        p.coeffs()
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.is_zero())
            .map(|(k, c)| Expr::Num(c.clone()) * Expr::pow(x.clone(), Expr::int(k as i64)))
            .collect(),
    )
}

/// A monic polynomial as a product of its rational linear factors `(p − r)^m` (written
/// `d·p − n` for `r = n/d`, with the constant taken out) and what is left, as
/// `(constant, factors)`.
pub fn factored(p: &Poly, param: &str) -> (BigRational, Vec<Expr>) {
    let mut rest = p.clone();
    let mut constant = BigRational::one();
    let mut factors = Vec::new();
    let roots = if rest.degree() <= 16 {
        rest.rational_roots().unwrap_or_default()
    } else {
        Vec::new()
    };
    for r in roots {
        let lin = Poly::new(vec![-r.clone(), BigRational::one()]);
        let mut m = 0i64;
        while let Some(q) = rest.div_exact(&lin) {
            if rest.degree() == 0 {
                break;
            }
            rest = q;
            m += 1;
        }
        if m == 0 {
            continue;
        }
        // p − n/d = (d·p − n)/d
        let d = BigRational::from_integer(r.denom().clone());
        let n = BigRational::from_integer(r.numer().clone());
        let factor = Expr::Num(d.clone()) * Expr::sym(param) - Expr::Num(n);
        for _ in 0..m {
            constant /= &d;
        }
        factors.push(Expr::pow(factor, Expr::int(m)));
    }
    if rest.degree() > 0 {
        let l = rest.lead();
        constant *= &l;
        factors.push(poly_expr(&rest.scale(&l.recip()), param));
    } else {
        constant *= rest.lead();
    }
    (constant, factors)
}

/// An expression as `Σ c_j(p)·X_j`: each `X_j` the product of a term's factors that are not
/// rational in the parameter, `c_j` the sum of the rational factors of the terms with that
/// `X_j`, groups with a zero coefficient dropped.
#[derive(Clone, Debug, PartialEq)]
pub struct Grouped {
    /// `(c_j, X_j)`.
    pub groups: Vec<(RatFun, Expr)>,
}

impl Grouped {
    /// `e` multiplied out and grouped, or `None` when it cannot be multiplied out (too many
    /// terms) or a coefficient is too large.
    pub fn of(e: &Expr, param: &str) -> Option<Grouped> {
        let expanded = expand(e)?;
        let terms: Vec<Expr> = match expanded {
            Expr::Add(ts) => ts,
            other => vec![other],
        };
        let mut groups: Vec<(RatFun, Expr)> = Vec::new();
        for t in terms {
            let factors: Vec<Expr> = match t {
                Expr::Mul(fs) => fs,
                other => vec![other],
            };
            let mut c = RatFun::constant(BigRational::one());
            let mut rest = Vec::new();
            for f in factors {
                match RatFun::of(&f, param) {
                    Some(r) => c = c.mul(&r)?,
                    None => rest.push(f),
                }
            }
            let x = Expr::mul(rest);
            match groups.iter_mut().find(|(_, y)| *y == x) {
                Some((d, _)) => *d = d.add(&c)?,
                None => groups.push((c, x)),
            }
        }
        groups.retain(|(c, _)| !c.is_zero());
        Some(Grouped { groups })
    }

    /// Whether every coefficient is zero: the expression is identically zero.
    pub fn is_zero(&self) -> bool {
        self.groups.is_empty()
    }

    /// The least common denominator of the coefficients (monic).
    pub fn denominator(&self) -> Poly {
        self.groups.iter().fold(Poly::one(), |acc, (c, _)| {
            let g = acc.gcd(&c.den);
            acc.mul(&c.den)
                .div_exact(&g)
                .unwrap_or_else(|| acc.mul(&c.den))
        })
    }

    /// `(N, D)` with the expression `= N/D`, `D` the [`Grouped::denominator`] and `N` a sum
    /// of polynomials in the parameter times the `X_j`.
    pub fn numerator_over(&self, d: &Poly, param: &str) -> Option<Expr> {
        let mut terms = Vec::new();
        for (c, x) in &self.groups {
            let k = d.div_exact(&c.den)?;
            terms.push(poly_expr(&c.num.mul(&k), param) * x.clone());
        }
        Some(Expr::add(terms))
    }

    /// The expression over one denominator, `N/D` with `D` factored into linear factors where
    /// its roots are rational: `(u^a − a·u + a − 1)/(a·(a − 1))`.
    ///
    /// A factor in the parameter common to every numerator is taken out
    /// (`(w − 1)·(Li2(…) − …)`), as a person writes it.
    pub fn together(&self, param: &str) -> Option<Expr> {
        let d = self.denominator();
        let common = self
            .groups
            .iter()
            .try_fold(Poly::default(), |acc, (c, _)| {
                let k = d.div_exact(&c.den)?;
                Some(acc.gcd(&c.num.mul(&k)))
            })?;
        let n = if common.degree() > 0 && self.groups.len() > 1 {
            let mut terms = Vec::new();
            for (c, x) in &self.groups {
                let k = d.div_exact(&c.den)?;
                terms.push(poly_expr(&c.num.mul(&k).div_exact(&common)?, param) * x.clone());
            }
            let (constant, factors) = factored(&common, param);
            Expr::Num(constant) * Expr::mul(factors) * Expr::add(terms)
        } else {
            self.numerator_over(&d, param)?
        };
        let (constant, factors) = factored(&d, param);
        let den = Expr::Num(constant) * Expr::mul(factors);
        Some(n * Expr::pow(den, Expr::int(-1)))
    }
}

/// Whether the expression `e` (free of the variables or not) is identically zero as a function
/// of `param` and the rest: exactly, by [`Grouped`], or else by the simplifier.
pub fn vanishes(e: &Expr, param: &str) -> bool {
    if e.is_zero() {
        return true;
    }
    if let Some(g) = Grouped::of(e, param) {
        if g.is_zero() {
            return true;
        }
        // Groups whose non-rational parts differ only in form (`exp(a*t)` and `exp(t)^a`)
        // are left to the simplifier.
    }
    crate::simplify::simplify(e)
        .is_ok_and(|s| s.is_zero() || Grouped::of(&s, param).is_some_and(|g| g.is_zero()))
}

/// `(p0, multiplicity)` of each rational root of a polynomial.
pub fn roots_with_multiplicity(p: &Poly) -> Vec<(BigRational, u32)> {
    let roots = if p.degree() <= 16 {
        p.rational_roots().unwrap_or_default()
    } else {
        Vec::new()
    };
    roots
        .into_iter()
        .map(|r| {
            let lin = Poly::new(vec![-r.clone(), BigRational::one()]);
            let mut rest = p.clone();
            let mut m = 0;
            while rest.degree() > 0 {
                match rest.div_exact(&lin) {
                    Some(q) => {
                        rest = q;
                        m += 1;
                    }
                    None => break,
                }
            }
            (r, m)
        })
        .collect()
}

/// Whether `e` is built from rational numbers and the parameter alone (`Func` and constants
/// excluded): a polynomial or rational expression the exact arithmetic can hold.
pub fn is_rational_in(e: &Expr, param: &str) -> bool {
    RatFun::of(e, param).is_some()
}

/// A rational number as an expression, for messages.
pub fn rational_text(r: &BigRational) -> String {
    crate::print::plain(&Expr::Num(r.clone()))
}

/// `|x|` as an `f64`-free comparison helper: the sign of a rational.
pub fn sign(r: &BigRational) -> i32 {
    if r.is_zero() {
        0
    } else if r.is_positive() {
        1
    } else {
        -1
    }
}

/// `n` as a rational.
pub fn int(n: i64) -> BigRational {
    BigRational::from_integer(BigInt::from(n))
}

/// Whether `e` contains the function `f` anywhere.
pub fn contains_func(e: &Expr, f: Func) -> bool {
    match e {
        Expr::Func(g, a) => *g == f || contains_func(a, f),
        Expr::Add(xs) | Expr::Mul(xs) => xs.iter().any(|x| contains_func(x, f)),
        Expr::Pow(b, x) => contains_func(b, f) || contains_func(x, f),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::print::plain;

    #[track_caller]
    fn together_is(e: &str, expected: &str) {
        let g = Grouped::of(&parse(e).unwrap(), "a").unwrap();
        assert_eq!(plain(&g.together("a").unwrap()), expected, "{e}");
    }

    #[test]
    fn over_one_denominator() {
        together_is(
            "u^a/(a*(a - 1)) - u/a - u/(a*(a - 1)) + 1/a",
            "(u^a - a*u + a - 1)/(a*(a - 1))",
        );
        together_is("((a - 1)*exp(a*t) + 1 - a)/(a*(a - 1))", "(exp(a*t) - 1)/a");
        together_is("(a^2 - 1)/(a - 1)", "1 + a");
    }

    #[test]
    fn zero_is_decided_exactly() {
        for e in [
            "1/a - (a - 1)/(a*(a - 1))",
            "u^a/(a - 1) - u^a*a/(a*(a - 1))",
            "log(a)*(1/(a + 1) - a/(a^2 + a))",
        ] {
            assert!(vanishes(&parse(e).unwrap(), "a"), "{e}");
        }
        for e in ["1/a - 1/(a - 1)", "u^a - u", "log(a)/a"] {
            assert!(!vanishes(&parse(e).unwrap(), "a"), "{e}");
        }
    }
}

//! Integration of rational functions of `s = e^{τ/q}`.
//!
//! The transform's integrands for the losses people use (`tanh`, `sigmoid`, `sech`, `cosh`,
//! rational generators such as Le Cam's `(u − 1)²/(2(u + 1))`) are rational functions of
//! exponentials `e^{kτ}` with rational rates `k`. With `q` the least common denominator of the
//! rates, every exponential is a power of one base `s = e^{τ/q}`, and `dτ = q·ds/s` makes the
//! integrand a rational function `R(s)` over ℚ. It is then integrated as in Bronstein (Symbolic
//! Integration I, ch. 2):
//!
//! - the polynomial part of `R` integrates term by term;
//! - Hermite reduction (Mack's linear version) splits off the rational part, leaving `A/D` with
//!   `D` square-free;
//! - `D` is split over ℚ into linear factors `s − r` (its rational roots) and at most one
//!   irreducible quadratic `s² + p·s + c`; each linear factor gives `(A(r)/D'(r))·log(s − r)`, the
//!   quadratic `α/2·log(s² + p·s + c)` and an `atan` term (complex roots) or the logarithm of a
//!   ratio (irrational real roots, both negative).
//!
//! The method refuses (returns `None`) when the rest of `D` after its rational roots is not a
//! single quadratic (a factor of degree > 2, or two quadratic factors), when
//! `R` has a pole at a positive `s` (the integrand is singular at a real `τ`), and when the
//! integrand holds anything but exact rational constants and exponentials of `k·τ`. Since
//! `s > 0`, `log(s) = τ/q` and `log(s − r) > 0` for every root `r < 0`.

use super::poly::{MAX_DEGREE, Poly};
use super::q::Q;
use crate::expr::{Expr, Func};
use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// The largest power of `s` a single factor may have.
const MAX_EXPONENT: i64 = 16;

/// A rational function `num/den` of `s`.
#[derive(Clone, Debug, PartialEq)]
pub struct RatFunc {
    /// The numerator.
    pub num: Poly,
    /// The denominator (never zero).
    pub den: Poly,
}

impl RatFunc {
    fn poly(p: Poly) -> RatFunc {
        RatFunc {
            num: p,
            den: Poly::one(),
        }
    }

    fn add(&self, o: &RatFunc) -> Option<RatFunc> {
        RatFunc {
            num: self.num.mul(&o.den).add(&o.num.mul(&self.den)),
            den: self.den.mul(&o.den),
        }
        .bounded()
    }

    fn mul(&self, o: &RatFunc) -> Option<RatFunc> {
        RatFunc {
            num: self.num.mul(&o.num),
            den: self.den.mul(&o.den),
        }
        .bounded()
    }

    fn recip(&self) -> Option<RatFunc> {
        (!self.num.is_zero()).then(|| RatFunc {
            num: self.den.clone(),
            den: self.num.clone(),
        })
    }

    /// `s^m` for any integer `m`.
    fn s_pow(m: i64) -> RatFunc {
        let k = m.unsigned_abs() as usize;
        let p = Poly::monomial(BigRational::one(), k);
        if m >= 0 {
            RatFunc::poly(p)
        } else {
            RatFunc {
                num: Poly::one(),
                den: p,
            }
        }
    }

    /// Cancel the common factor, and refuse degrees beyond [`MAX_DEGREE`].
    fn bounded(self) -> Option<RatFunc> {
        let r = self.reduced()?;
        (r.num.degree() <= MAX_DEGREE && r.den.degree() <= MAX_DEGREE).then_some(r)
    }

    /// In lowest terms with a monic denominator.
    pub fn reduced(&self) -> Option<RatFunc> {
        if self.num.is_zero() {
            return Some(RatFunc::poly(Poly::default()));
        }
        let g = self.num.gcd(&self.den);
        let (num, den) = if g.degree() == 0 {
            (self.num.clone(), self.den.clone())
        } else {
            (self.num.div_exact(&g)?, self.den.div_exact(&g)?)
        };
        let l = den.lead_q().recip();
        Some(RatFunc {
            num: num.scale_q(&l),
            den: den.scale_q(&l),
        })
    }
}

/// `k` when `arg = k·var` with exact rational `k ≠ 0`.
fn rate(arg: &Expr, var: &str) -> Option<BigRational> {
    let (k, rest) = arg.split_coeff();
    match rest {
        Expr::Sym(s) if &*s == var && !k.is_zero() => Some(k),
        _ => None,
    }
}

/// The rates `k` of every exponential `e^{k·var}` that `e` is a rational function of (`tanh(x)`
/// contributes `2k`), or `None` when `e` is not a rational function of such exponentials.
fn rates(e: &Expr, var: &str, out: &mut Vec<BigRational>) -> Option<()> {
    match e {
        Expr::Num(_) => Some(()),
        Expr::Const(_) | Expr::Sym(_) => None,
        Expr::Add(xs) | Expr::Mul(xs) => xs.iter().try_for_each(|x| rates(x, var, out)),
        Expr::Pow(b, x) => {
            let n = x.as_num()?;
            if n.is_integer() {
                rates(b, var, out)
            } else {
                match &**b {
                    Expr::Func(Func::Exp, a) => {
                        out.push(rate(a, var)? * n);
                        Some(())
                    }
                    _ => None,
                }
            }
        }
        Expr::Func(f, a) => {
            let k = rate(a, var)?;
            match f {
                Func::Exp | Func::Sigmoid | Func::Cosh | Func::Sinh => out.push(k),
                Func::Tanh => out.push(k * BigRational::from_integer(2.into())),
                _ => return None,
            }
            Some(())
        }
        Expr::Func2(..) => None,
    }
}

/// `e^{k·var}` as a power of `s = e^{var/q}`: the integer `k·q`.
fn power_of(k: &BigRational, q: &BigInt) -> Option<i64> {
    power_of_q(
        &Q::from_big(k),
        &Q::from_big(&BigRational::from_integer(q.clone())),
    )
}

/// `e^{k·var}` as a power of `s = e^{var/q}`: the integer `k·q`.
fn power_of_q(k: &Q, q: &Q) -> Option<i64> {
    match k * q {
        Q::Small(m, 1) if m.abs() <= MAX_EXPONENT => Some(m),
        _ => None,
    }
}

/// `k` when `arg = k·var` with exact rational `k ≠ 0` (as [`rate`], without building the rest).
fn rate_q(arg: &Expr, var: &str) -> Option<Q> {
    match arg {
        Expr::Sym(s) if &**s == var => Some(Q::one()),
        Expr::Mul(xs) => match xs.as_slice() {
            [Expr::Num(k), Expr::Sym(s)] if &**s == var && !k.is_zero() => Some(Q::from_big(k)),
            _ => None,
        },
        _ => None,
    }
}

/// `e` as a rational function of `s = e^{var/q}`.
fn to_ratfunc(e: &Expr, var: &str, q: &Q) -> Option<RatFunc> {
    let s = |k: &Q| power_of_q(k, q).map(RatFunc::s_pow);
    let constant = |c: Q| RatFunc::poly(Poly::from_q(vec![c]));
    match e {
        Expr::Num(n) => Some(constant(Q::from_big(n))),
        Expr::Const(_) | Expr::Sym(_) => None,
        Expr::Add(xs) => xs
            .iter()
            .try_fold(RatFunc::poly(Poly::default()), |acc, x| {
                acc.add(&to_ratfunc(x, var, q)?)
            }),
        Expr::Mul(xs) => xs.iter().try_fold(RatFunc::poly(Poly::one()), |acc, x| {
            acc.mul(&to_ratfunc(x, var, q)?)
        }),
        Expr::Pow(b, x) => {
            let n = x.as_num()?;
            if !n.is_integer() {
                let Expr::Func(Func::Exp, a) = &**b else {
                    return None;
                };
                return s(&(&rate_q(a, var)? * &Q::from_big(n)));
            }
            let n = n.to_integer().to_i64()?;
            if n.abs() > MAX_EXPONENT {
                return None;
            }
            let base = to_ratfunc(b, var, q)?;
            let base = if n < 0 { base.recip()? } else { base };
            let degree = base.num.degree().max(base.den.degree());
            if degree * n.unsigned_abs() as usize > MAX_DEGREE {
                return None;
            }
            RatFunc {
                num: base.num.pow(n.unsigned_abs() as u32),
                den: base.den.pow(n.unsigned_abs() as u32),
            }
            .bounded()
        }
        Expr::Func(f, a) => {
            let k = rate_q(a, var)?;
            let one = || RatFunc::poly(Poly::one());
            let half = || constant(Q::Small(1, 2));
            match f {
                Func::Exp => s(&k),
                // cosh(x) = (e^x + e^−x)/2, sinh(x) = (e^x − e^−x)/2
                Func::Cosh => s(&k)?.add(&s(&-&k)?)?.mul(&half()),
                Func::Sinh => s(&k)?
                    .add(&s(&-&k)?.mul(&constant(Q::int(-1)))?)?
                    .mul(&half()),
                // sigmoid(x) = 1/(1 + e^−x)
                Func::Sigmoid => one().add(&s(&-&k)?)?.recip(),
                // tanh(x) = (e^{2x} − 1)/(e^{2x} + 1)
                Func::Tanh => {
                    let e2 = s(&(&k * &Q::int(2)))?;
                    e2.add(&constant(Q::int(-1)))?
                        .mul(&e2.add(&one())?.recip()?)
                }
                _ => None,
            }
        }
        Expr::Func2(..) => None,
    }
}

/// `(q, R)`: `e` as a rational function `R` of `s = e^{var/q}`, when it is one and contains at
/// least one exponential. The last answer is remembered (per thread): the integration table
/// converts an integrand once to integrate it and once more to verify the result.
pub fn in_exponentials(e: &Expr, var: &str) -> Option<(BigInt, RatFunc)> {
    type Last = Option<(Expr, String, Option<(BigInt, RatFunc)>)>;
    thread_local! {
        static LAST: std::cell::RefCell<Last> = const { std::cell::RefCell::new(None) };
    }
    let known = LAST.with(|l| match &*l.borrow() {
        Some((x, v, out)) if v == var && x == e => Some(out.clone()),
        _ => None,
    });
    if let Some(out) = known {
        return out;
    }
    let out = convert(e, var);
    LAST.with(|l| *l.borrow_mut() = Some((e.clone(), var.to_string(), out.clone())));
    out
}

/// [`in_exponentials`], computed.
fn convert(e: &Expr, var: &str) -> Option<(BigInt, RatFunc)> {
    let mut ks = Vec::new();
    rates(e, var, &mut ks)?;
    if ks.is_empty() {
        return None;
    }
    let q = ks.iter().fold(BigInt::one(), |acc, k| acc.lcm(k.denom()));
    let r = to_ratfunc(e, var, &Q::from_big(&BigRational::from_integer(q.clone())))?.reduced()?;
    Some((q, r))
}

/// The least common denominator `q` of the rates of every exponential in `e` (`None` when `e`
/// is not rational in exponentials of `var`, or has none).
pub fn common_base(e: &Expr, var: &str) -> Option<BigInt> {
    let mut ks = Vec::new();
    rates(e, var, &mut ks)?;
    (!ks.is_empty()).then(|| ks.iter().fold(BigInt::one(), |acc, k| acc.lcm(k.denom())))
}

/// The exact value of `e` at `s = e^{var/q}` = `s`, for `e` rational in exponentials of `var`
/// with rates that are multiples of `1/q` (`None` elsewhere, or at a pole).
pub fn value_at(e: &Expr, var: &str, q: &BigInt, s: &BigRational) -> Option<BigRational> {
    let s_pow = |k: &BigRational| -> Option<BigRational> {
        let m = power_of(k, q)?;
        let p = num_traits::pow::pow(s.clone(), m.unsigned_abs() as usize);
        if m < 0 { Some(p.recip()) } else { Some(p) }
    };
    let one = BigRational::one();
    let two = BigRational::from_integer(2.into());
    match e {
        Expr::Num(n) => Some(n.clone()),
        Expr::Const(_) | Expr::Sym(_) => None,
        Expr::Add(xs) => xs.iter().try_fold(BigRational::zero(), |acc, x| {
            Some(acc + value_at(x, var, q, s)?)
        }),
        Expr::Mul(xs) => xs.iter().try_fold(BigRational::one(), |acc, x| {
            Some(acc * value_at(x, var, q, s)?)
        }),
        Expr::Pow(b, x) => {
            let n = x.as_num()?;
            if !n.is_integer() {
                let Expr::Func(Func::Exp, a) = &**b else {
                    return None;
                };
                return s_pow(&(rate(a, var)? * n));
            }
            let n = n.to_integer().to_i64()?;
            if n.abs() > MAX_EXPONENT {
                return None;
            }
            let v = value_at(b, var, q, s)?;
            if v.is_zero() && n < 0 {
                return None;
            }
            let p = num_traits::pow::pow(v, n.unsigned_abs() as usize);
            Some(if n < 0 { p.recip() } else { p })
        }
        Expr::Func(f, a) => {
            let k = rate(a, var)?;
            // `tanh` contributes the rate `2k`, so `k·q` need not be an integer for it
            if *f == Func::Tanh {
                let e2 = s_pow(&(k * BigRational::from_integer(2.into())))?;
                return Some((&e2 - &one) / (e2 + &one));
            }
            let plus = s_pow(&k)?;
            let minus = plus.recip();
            let v = match f {
                Func::Exp => plus,
                Func::Cosh => (plus + minus) / two,
                Func::Sinh => (plus - minus) / two,
                Func::Sigmoid => (&one + minus).recip(),
                _ => return None,
            };
            Some(v)
        }
        Expr::Func2(..) => None,
    }
}

/// `∫ e d var` when `e` is a rational function of `s = e^{var/q}` (see the module
/// documentation); the antiderivative is in `var`, up to a constant.
pub fn antiderivative(e: &Expr, var: &str) -> Option<Expr> {
    let (q, r) = in_exponentials(e, var)?;
    let qr = BigRational::from_integer(q.clone());
    // e dτ = R(s)·q/s ds
    let integrand = RatFunc {
        num: r.num.scale(&qr),
        den: r.den.mul(&Poly::monomial(BigRational::one(), 1)),
    }
    .reduced()?;
    let tau = Expr::sym(var);
    let log_s = Expr::Num(qr.recip()) * tau.clone();
    let s_pow = |k: usize| -> Expr {
        let k = BigRational::from_integer(BigInt::from(k)) / &qr;
        Expr::func(Func::Exp, Expr::Num(k) * tau.clone())
    };
    integrate_in_s(&integrand, &s_pow, &log_s)
}

/// `Σ c_k s^k` as an expression, with `s^k` given by `s_pow`.
fn poly_expr(p: &Poly, s_pow: &dyn Fn(usize) -> Expr) -> Expr {
    Expr::add(
        p.coeffs()
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.is_zero())
            .map(|(k, c)| Expr::Num(c.clone()) * s_pow(k))
            .collect(),
    )
}

/// A polynomial as the product of its square-free factors' powers, each split into its linear
/// factors over ℚ and the rest: `s·(s² + 1)·(s + 1)^3` rather than the expanded polynomial.
fn factored_expr(p: &Poly, s_pow: &dyn Fn(usize) -> Expr) -> Expr {
    let factors = p.square_free();
    if factors.is_empty() {
        return poly_expr(p, s_pow);
    }
    let mut out = vec![Expr::Num(p.lead())];
    for (f, i) in &factors {
        let power = |e: Expr| Expr::pow(e, Expr::int(i64::from(*i)));
        let mut rest = f.clone();
        for r in f.rational_roots().unwrap_or_default() {
            let linear = Poly::new(vec![-r.clone(), BigRational::one()]);
            if let Some(q) = rest.div_exact(&linear) {
                rest = q;
                out.push(power(poly_expr(&linear, s_pow)));
            }
        }
        if rest.degree() > 0 {
            out.push(power(poly_expr(&rest, s_pow)));
        }
    }
    Expr::mul(out)
}

/// `∫ R(s) ds`, with `s^k` written by `s_pow` and `log(s)` as `log_s`.
fn integrate_in_s(r: &RatFunc, s_pow: &dyn Fn(usize) -> Expr, log_s: &Expr) -> Option<Expr> {
    let (poly, rem) = r.num.divrem(&r.den)?;
    let mut terms = vec![poly_expr(&poly.integral(), s_pow)];
    let (rational, a, d) = hermite(&rem, &r.den)?;
    for (b, den) in rational {
        terms.push(poly_expr(&b, s_pow) / factored_expr(&den, s_pow));
    }
    let (poly2, a) = a.divrem(&d)?;
    terms.push(poly_expr(&poly2.integral(), s_pow));
    terms.push(log_part(&a, &d, s_pow, log_s)?);
    Some(Expr::add(terms))
}

/// Hermite reduction (Mack's linear version, Bronstein Symbolic Integration I §2.2): `A/D` is
/// `(Σ B_i/D_i)' + A*/D*` with `D*` square-free. Returns `([(B_i, D_i)], A*, D*)`.
#[allow(clippy::type_complexity)]
fn hermite(a: &Poly, d: &Poly) -> Option<(Vec<(Poly, Poly)>, Poly, Poly)> {
    let mut a = a.clone();
    let mut parts = Vec::new();
    let mut dm = d.gcd(&d.derivative());
    let dstar = d.div_exact(&dm)?;
    while dm.degree() > 0 {
        let dm2 = dm.gcd(&dm.derivative());
        let dms = dm.div_exact(&dm2)?;
        let lhs = dstar
            .mul(&dm.derivative())
            .div_exact(&dm)?
            .scale(&-BigRational::one());
        let (b, c) = lhs.solve_bezout(&dms, &a)?;
        a = c.sub(&b.derivative().mul(&dstar.div_exact(&dms)?));
        if !b.is_zero() {
            parts.push((b, dm.clone()));
        }
        dm = dm2;
    }
    Some((parts, a, dstar))
}

/// `√x` for a positive rational as `a·√b` with `b` a square-free integer (when small enough to
/// factor): `√(n/d) = √(n·d)/d`.
fn sqrt_rational(x: &BigRational) -> Expr {
    let nd = x.numer() * x.denom();
    let (mut outside, mut inside) = (BigInt::one(), nd.clone());
    if let Some(n) = nd.to_u64().filter(|n| *n <= 1_000_000_000_000) {
        let (mut o, mut i) = (1u64, n);
        let mut k = 2u64;
        while k * k <= i {
            while i % (k * k) == 0 {
                i /= k * k;
                o *= k;
            }
            k += 1;
        }
        (outside, inside) = (BigInt::from(o), BigInt::from(i));
    }
    let a = Expr::Num(BigRational::new(outside, x.denom().clone()));
    if inside.is_one() {
        return a;
    }
    a * Expr::pow(
        Expr::Num(BigRational::from_integer(inside)),
        Expr::ratio(1, 2),
    )
}

/// `∫ A/D ds` for square-free `D` and `deg A < deg D`: logarithms of the linear factors and of
/// at most one irreducible quadratic, and its `atan` term.
fn log_part(a: &Poly, d: &Poly, s_pow: &dyn Fn(usize) -> Expr, log_s: &Expr) -> Option<Expr> {
    if a.is_zero() {
        return Some(Expr::zero());
    }
    let l = d.lead().recip();
    let (a, d) = (a.scale(&l), d.scale(&l));
    let roots = d.rational_roots()?;
    let s = s_pow(1);
    let mut rest = d.clone();
    let mut terms = Vec::new();
    let dp = d.derivative();
    let mut numer = a.clone();
    for r in &roots {
        if r.is_positive() {
            return None;
        }
        let factor = Poly::new(vec![-r.clone(), BigRational::one()]);
        rest = rest.div_exact(&factor)?;
        let c = a.eval(r) / dp.eval(r);
        numer = numer.sub(&d.div_exact(&factor)?.scale(&c));
        let log = if r.is_zero() {
            log_s.clone()
        } else {
            Expr::func(Func::Log, s.clone() + Expr::Num(-r.clone()))
        };
        terms.push(Expr::Num(c) * log);
    }
    match rest.degree() {
        0 => {}
        2 => {
            // numer/d = (α s + β)/(s² + p s + c)
            let b = numer.div_exact(&d.div_exact(&rest)?)?;
            let (p, c) = (rest.coeff(1), rest.coeff(0));
            let half = BigRational::new(1.into(), 2.into());
            let delta = &c - &p * &p * &half * &half;
            // real (irrational) roots are both negative iff p > 0 and c > 0; a positive one is
            // a pole at a real τ
            let roots_negative_or_complex =
                delta.is_positive() || (p.is_positive() && c.is_positive());
            if !roots_negative_or_complex {
                return None;
            }
            let (alpha, beta) = (b.coeff(1), b.coeff(0));
            let quadratic = poly_expr(&rest, s_pow);
            terms.push(Expr::Num(&alpha * &half) * Expr::func(Func::Log, quadratic));
            let k = Expr::Num(&beta - &alpha * &p * &half);
            if !delta.is_positive() {
                // ∫ ds/((s + p/2)² − δ²) = log((s + p/2 − δ)/(s + p/2 + δ))/(2δ), both > 0
                // with m clearing the denominator of p/2 from both
                let shift = &p * &half;
                let m = BigRational::from_integer(shift.denom().clone());
                let x = Expr::Num(m.clone()) * s + Expr::Num(&shift * &m);
                let dm = sqrt_rational(&(-&delta * &m * &m));
                let ratio = (x.clone() - dm.clone()) / (x + dm);
                let d = sqrt_rational(&-delta);
                terms.push(k / (Expr::int(2) * d) * Expr::func(Func::Log, ratio));
                return Some(Expr::add(terms));
            }
            let root = sqrt_rational(&delta);
            // atan((m·s + m·p/2)/(m·√Δ)) with m clearing the denominator of p/2
            let shift = &p * &half;
            let m = BigRational::from_integer(shift.denom().clone());
            let arg = (Expr::Num(m.clone()) * s + Expr::Num(&shift * &m))
                / sqrt_rational(&(&delta * &m * &m));
            terms.push(k / root * Expr::func(Func::Atan, arg));
        }
        _ => return None,
    }
    Some(Expr::add(terms))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    #[track_caller]
    fn rational_in_s(e: &str, q: i64, num: &[i64], den: &[i64]) {
        let p = |cs: &[i64]| {
            Poly::new(
                cs.iter()
                    .map(|&c| BigRational::from_integer(c.into()))
                    .collect(),
            )
        };
        let (qq, r) = in_exponentials(&parse(e).unwrap(), "t").unwrap();
        assert_eq!(qq, BigInt::from(q), "{e}");
        let want = RatFunc {
            num: p(num),
            den: p(den),
        }
        .reduced()
        .unwrap();
        assert_eq!(r, want, "{e}");
    }

    #[test]
    fn recognises_rational_functions_of_one_exponential() {
        rational_in_s("tanh(t)", 1, &[-1, 0, 1], &[1, 0, 1]);
        rational_in_s("sigmoid(t)", 1, &[0, 1], &[1, 1]);
        rational_in_s("1/cosh(t)", 1, &[0, 2], &[1, 0, 1]);
        rational_in_s("exp(t/2) + exp(-t/3)", 6, &[1, 0, 0, 0, 0, 1], &[0, 0, 1]);
        rational_in_s("exp(t)^(1/2)", 2, &[0, 1], &[1]);
    }

    #[test]
    fn exact_values_at_rational_points() {
        let at = |e: &str, q: i64, s: (i64, i64)| {
            let s = BigRational::new(s.0.into(), s.1.into());
            value_at(&parse(e).unwrap(), "t", &BigInt::from(q), &s)
        };
        let r = |n: i64, d: i64| Some(BigRational::new(n.into(), d.into()));
        // s = e^t = 2
        assert_eq!(at("tanh(t/2)", 1, (2, 1)), r(1, 3));
        assert_eq!(at("tanh(t)", 1, (2, 1)), r(3, 5));
        assert_eq!(at("cosh(t)", 1, (2, 1)), r(5, 4));
        assert_eq!(at("sigmoid(-t)", 1, (2, 1)), r(1, 3));
        // s = e^{t/2} = 3
        assert_eq!(at("exp(t/2) + exp(-t)", 2, (3, 1)), r(28, 9));
        assert_eq!(at("1/(exp(t) - 2)", 1, (2, 1)), None);
        assert_eq!(at("exp(t/3)", 2, (3, 1)), None);
    }

    #[test]
    fn rational_functions_of_half_rates() {
        rational_in_s("tanh(t/2)", 1, &[-1, 1], &[1, 1]);
        rational_in_s("tanh(t/2)*exp(-t)", 1, &[-1, 1], &[0, 1, 1]);
    }

    #[test]
    fn refuses_what_is_not_rational_in_an_exponential() {
        for e in [
            "t*exp(t)",
            "log(1 + exp(t))",
            "exp(t^2)",
            "a*exp(t)",
            "pi*exp(t)",
            "2",
            "exp(t+1)",
        ] {
            assert!(in_exponentials(&parse(e).unwrap(), "t").is_none(), "{e}");
        }
    }
}

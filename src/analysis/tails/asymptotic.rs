//! Truncated asymptotic series as `u → 0+`.
//!
//! A [`Series`] is `Σ cᵢ·u^{aᵢ}·(log u)^{kᵢ} + O(u^r·|log u|^K)`: exact constant coefficients,
//! exact rational exponents, integer log powers, and a remainder known only by its power `r` (so
//! a term is kept only when `aᵢ < r`, where it dominates the remainder). Sums and products are
//! exact up to the remainder; `log`, powers, `exp` and other functions of a series whose leading
//! term is known are expanded by their Taylor series a few orders past the leading term. Anything
//! outside this scale (`exp` of an unbounded argument, `log(log u)`) gives `None`, and the caller
//! falls back to a numeric limit. The limit `u → ∞` is this one after `u ↦ 1/u`.

use crate::diff::derivative;
use crate::eval::{Params, eval_constant};
use crate::expr::{DIVERGENCE_VAR, Expr, Func};
use crate::simplify::simplify;
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

type Q = BigRational;

/// `a.cmp(b)`, by one product of machine integers when both fit in 64 bits: `BigRational`
/// compares by a continued fraction, about 1,600 instructions for exponents such as
/// `3/1000` and `7/500`, and a long sum's series sorts and merges its exponents in every step.
fn cmp_q(a: &Q, b: &Q) -> std::cmp::Ordering {
    let small = |q: &Q| Some((q.numer().to_i64()?, q.denom().to_i64()?));
    match (small(a), small(b)) {
        (Some((an, ad)), Some((bn, bd))) if ad > 0 && bd > 0 => {
            (i128::from(an) * i128::from(bd)).cmp(&(i128::from(bn) * i128::from(ad)))
        }
        _ => a.cmp(b),
    }
}

/// How many orders `u^w` past its leading term a Taylor expansion is carried.
const WINDOW: i64 = 3;
/// The most Taylor terms of one expansion.
const MAX_ORDER: usize = 12;
/// The most terms a series keeps (the rest become the remainder).
const MAX_TERMS: usize = 40;
/// The largest integer power multiplied out term by term.
const MAX_INT_POWER: i64 = 16;

/// One term `c·u^a·(log u)^k`.
#[derive(Clone, Debug)]
struct Term {
    c: Expr,
    a: Q,
    k: i64,
}

impl Term {
    /// The sign of `c·u^a·(log u)^k` near `u = 0+` (`log u < 0` there): `±1`.
    fn sign(&self) -> Option<i64> {
        let c = value(&self.c)?.signum() as i64;
        Some(if self.k % 2 == 0 { c } else { -c })
    }
}

/// A truncated series as `u → 0+` (see the module documentation).
#[derive(Clone, Debug)]
pub(super) struct Series {
    /// Non-zero terms, most dominant first (smallest `a`, then largest `k`), every `a < rem`.
    terms: Vec<Term>,
    /// The power of the remainder; `None` when the series is exact.
    rem: Option<Q>,
}

/// The limit of a series as `u → 0+`.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Lim {
    /// A finite limit, exact.
    Finite(Expr),
    /// `+∞`.
    PlusInfinity,
    /// `−∞`.
    MinusInfinity,
}

/// The value of a constant coefficient; a number is converted directly (the value its compiled
/// program would give). A real constant too large for an `f64` (`1 - exp(710)`) is `±∞`: its
/// sign, and that it is not zero, are what a series needs of it.
fn value(c: &Expr) -> Option<f64> {
    if let Expr::Num(r) = c {
        return Some(crate::expr::rational_to_f64(r))
            .filter(|v| v.is_finite())
            .or_else(|| super::huge::overflowing(c));
    }
    // The same few coefficients (`log(2)`, `pi/2` and their products) recur in every
    // expansion: each is compiled once per thread.
    if let Some(v) = VALUES.with(|m| m.borrow().known.get(c).copied()) {
        return v;
    }
    let v = eval_constant(c, &Params::new())
        .ok()
        .filter(|v| v.is_finite())
        .or_else(|| super::huge::overflowing(c));
    VALUES.with(|m| m.borrow_mut().insert(c, v));
    v
}

/// The most coefficients [`VALUES`] remembers.
const REMEMBERED_VALUES: usize = 4096;
/// The most the coefficients [`VALUES`] remembers may hold (as [`crate::per_thread::held`]
/// counts them).
const REMEMBERED_VALUES_HELD: usize = 100_000;

/// The values of constant coefficients, and what their keys hold.
#[derive(Default)]
struct Values {
    known: std::collections::HashMap<Expr, Option<f64>>,
    held: usize,
}

impl Values {
    /// Remembers `v` for `c`, starting over when either bound would be passed.
    fn insert(&mut self, c: &Expr, v: Option<f64>) {
        let n = crate::per_thread::held(c) + 1;
        if n > REMEMBERED_VALUES_HELD {
            return;
        }
        if self.known.len() >= REMEMBERED_VALUES || self.held + n > REMEMBERED_VALUES_HELD {
            *self = Values::default();
        }
        self.held += n;
        self.known.insert(c.clone(), v);
    }
}

thread_local! {
    static VALUES: std::cell::RefCell<Values> = std::cell::RefCell::new(Values::default());
}

fn min_rem(a: Option<Q>, b: Option<Q>) -> Option<Q> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if a < b { a } else { b }),
        (a, None) => a,
        (None, b) => b,
    }
}

fn add_q(a: &Option<Q>, b: &Q) -> Option<Q> {
    a.as_ref().map(|a| a + b)
}

/// The sum of coefficients that are all numbers, as one number: what the simplifier makes of
/// their sum, without building it. `None` when a coefficient is not a number.
fn exact_sum(cs: &[Expr]) -> Option<Expr> {
    let sum = match cs {
        [Expr::Num(_)] => cs[0].clone(),
        _ => {
            let mut sum = Q::zero();
            for c in cs {
                let Expr::Num(r) = c else { return None };
                sum += r;
            }
            Expr::Num(sum)
        }
    };
    debug_assert_eq!(
        simplify(&Expr::add(cs.to_vec())).ok().as_ref(),
        Some(&sum),
        "{cs:?}"
    );
    Some(sum)
}

/// The Taylor order [`Series::taylor`] carries for a remainder of order `delta`: enough for
/// [`WINDOW`] orders, at most [`MAX_ORDER`], none past the constant for an exact series.
fn taylor_order(delta: &Option<Q>) -> Option<usize> {
    let Some(delta) = delta else {
        return Some(0);
    };
    if !delta.is_positive() {
        return None;
    }
    let window = Q::from_integer(BigInt::from(WINDOW));
    Some(
        (window / delta)
            .ceil()
            .to_integer()
            .to_usize()?
            .min(MAX_ORDER),
    )
}

/// How many derivatives of `f` at the centre [`Series::apply`] computes and checks finite.
///
/// The functions analytic on the whole real line (`exp`, `sin`, `cos`, `sinh`, `cosh`, `tanh`,
/// `atan`, `asinh`, `softplus`, `sigmoid`) have finite derivatives of every order at every finite
/// point, so the derivatives past the Taylor order (at least the first, as for the others) are
/// never used and cannot fail: they are not computed. The functions with a singular point
/// (`log`, `tan`, `Li2`, `lambertw`, `abs`, `sign`) check every order up to [`MAX_ORDER`], since a
/// derivative there can be undefined past the first.
fn derivatives_checked(f: Func, delta: &Option<Q>) -> usize {
    let analytic = matches!(
        f,
        Func::Exp
            | Func::Sin
            | Func::Cos
            | Func::Sinh
            | Func::Cosh
            | Func::Tanh
            | Func::Atan
            | Func::Asinh
            | Func::Softplus
            | Func::Sigmoid
    );
    match taylor_order(delta) {
        Some(order) if analytic => order.max(1),
        _ => MAX_ORDER,
    }
}

/// `F^{(j)}(c₀)/j!` for `j = 0..=n`, each checked finite; `None` where one is not. The same
/// few functions and centres recur (`atan` at `0` in `f`, in `f(1/u)` and in `f'`): each
/// list is derived once per thread.
fn taylor_coefficients(f: Func, c0: &Expr, n: usize) -> Option<std::rc::Rc<Vec<Expr>>> {
    let hit = COEFFICIENTS.with(|r| {
        r.borrow()
            .find(|(g, c, m)| *g == f && *m == n && c == c0)
            .cloned()
    });
    if let Some(d) = hit {
        return d;
    }
    let derived = derive_taylor_coefficients(f, c0, n).map(std::rc::Rc::new);
    let held = {
        use crate::per_thread::held;
        1 + held(c0) + derived.as_ref().map_or(0, |d| d.iter().map(held).sum())
    };
    COEFFICIENTS.with(|r| {
        r.borrow_mut()
            .insert((f, c0.clone(), n), derived.clone(), held)
    });
    derived
}

/// The most lists [`COEFFICIENTS`] remembers.
const REMEMBERED_COEFFICIENTS: usize = 64;
/// The most the lists [`COEFFICIENTS`] remembers may hold, centres and coefficients (as
/// [`crate::per_thread::held`] counts them).
const REMEMBERED_COEFFICIENTS_HELD: usize = 100_000;

type Coefficients = Option<std::rc::Rc<Vec<Expr>>>;

thread_local! {
    /// The last Taylor coefficients derived, by function, centre and order.
    static COEFFICIENTS: std::cell::RefCell<crate::per_thread::Recent<(Func, Expr, usize), Coefficients>> =
        const {
            std::cell::RefCell::new(crate::per_thread::Recent::new(
                REMEMBERED_COEFFICIENTS,
                REMEMBERED_COEFFICIENTS_HELD,
            ))
        };
}

/// [`taylor_coefficients`], derived.
fn derive_taylor_coefficients(f: Func, c0: &Expr, n: usize) -> Option<Vec<Expr>> {
    let z = "__z";
    let mut d = Expr::func(f, Expr::sym(z));
    let mut derivs = Vec::new();
    let mut fact = BigInt::one();
    for j in 0..=n {
        if j > 0 {
            fact *= BigInt::from(j);
            d = derivative(&d, z);
        }
        let at = simplify(&d.substitute(z, c0)).ok()?;
        value(&at)?;
        derivs.push(simplify(&(at * Expr::Num(Q::new(BigInt::one(), fact.clone())))).ok()?);
    }
    Some(derivs)
}

impl Series {
    fn exact(terms: Vec<Term>) -> Option<Series> {
        Series::new(terms, None)
    }

    fn constant(c: Expr) -> Option<Series> {
        Series::exact(vec![Term {
            c,
            a: Q::zero(),
            k: 0,
        }])
    }

    fn monomial(c: Expr, a: Q, k: i64) -> Option<Series> {
        Series::exact(vec![Term { c, a, k }])
    }

    /// Merge like terms exactly, drop zeros and terms at or past the remainder, sort, cap.
    /// `None` when a coefficient is numerically zero but not provably so.
    fn new(raw: Vec<Term>, rem: Option<Q>) -> Option<Series> {
        let mut groups: Vec<(Q, i64, Vec<Expr>)> = Vec::new();
        for t in raw {
            if rem.as_ref().is_some_and(|r| cmp_q(&t.a, r).is_ge()) {
                continue;
            }
            match groups
                .iter_mut()
                .find(|(a, k, _)| *k == t.k && cmp_q(a, &t.a).is_eq())
            {
                Some((_, _, cs)) => cs.push(t.c),
                None => groups.push((t.a, t.k, vec![t.c])),
            }
        }
        let mut terms = Vec::new();
        for (a, k, cs) in groups {
            let values: Vec<Option<f64>> = cs.iter().map(value).collect();
            let scale: f64 = values.iter().map(|v| v.map_or(0.0, f64::abs)).sum();
            let (c, v) = match exact_sum(&cs) {
                // One number: its value is known.
                Some(sum) if cs.len() == 1 => (sum, values[0]),
                Some(sum) => {
                    let v = value(&sum);
                    (sum, v)
                }
                None => {
                    let c = simplify(&Expr::add(cs)).ok()?;
                    let v = value(&c);
                    (c, v)
                }
            };
            if c.is_zero() {
                continue;
            }
            let v = v?;
            if v.is_finite() && v.abs() <= 1e-12 * scale {
                return None;
            }
            terms.push(Term { c, a, k });
        }
        terms.sort_by(|x, y| cmp_q(&x.a, &y.a).then(y.k.cmp(&x.k)));
        let mut rem = rem;
        if terms.len() > MAX_TERMS {
            let cut = terms[MAX_TERMS].a.clone();
            terms.retain(|t| cmp_q(&t.a, &cut).is_lt());
            rem = min_rem(rem, Some(cut));
        }
        Some(Series { terms, rem })
    }

    /// The power of the leading term, or of the remainder when no term is known; `None` for an
    /// exact zero.
    fn order(&self) -> Option<Q> {
        self.terms
            .first()
            .map(|t| t.a.clone())
            .or_else(|| self.rem.clone())
    }

    fn add(&self, other: &Series) -> Option<Series> {
        let mut terms = self.terms.clone();
        terms.extend(other.terms.iter().cloned());
        Series::new(terms, min_rem(self.rem.clone(), other.rem.clone()))
    }

    fn mul(&self, other: &Series) -> Option<Series> {
        let (o1, o2) = (self.order(), other.order());
        let (Some(o1), Some(o2)) = (o1, o2) else {
            return Series::exact(vec![]);
        };
        let rem = min_rem(add_q(&self.rem, &o2), add_q(&other.rem, &o1));
        let mut terms = Vec::new();
        for x in &self.terms {
            for y in &other.terms {
                if rem.as_ref().is_some_and(|r| &x.a + &y.a >= *r) {
                    continue;
                }
                terms.push(Term {
                    c: x.c.clone() * y.c.clone(),
                    a: &x.a + &y.a,
                    k: x.k.checked_add(y.k)?,
                });
            }
        }
        Series::new(terms, rem)
    }

    fn scale(&self, c: Expr) -> Option<Series> {
        self.mul(&Series::constant(c)?)
    }

    /// The leading term and `R = S/lead − 1`, with the order of `R` (which must be positive).
    fn split(&self) -> Option<(Term, Series, Option<Q>)> {
        let lead = self.terms.first()?.clone();
        let inv = Series::monomial(
            simplify(&lead.c.clone().recip()).ok()?,
            -lead.a.clone(),
            -lead.k,
        )?;
        let r = self.mul(&inv)?.add(&Series::constant(Expr::int(-1))?)?;
        let delta = r.order();
        if delta.as_ref().is_some_and(|d| !d.is_positive()) {
            return None;
        }
        Some((lead, r, delta))
    }

    /// `Σ_{j=0}^{J} coeff(j)·R^j + O(u^{(J+1)δ})`, `J` enough for [`WINDOW`] orders.
    fn taylor(
        r: &Series,
        delta: &Option<Q>,
        coeff: impl Fn(usize) -> Option<Expr>,
    ) -> Option<Series> {
        let order = taylor_order(delta)?;
        let Some(delta) = delta else {
            return Series::constant(coeff(0)?);
        };
        let mut sum = Series::exact(vec![])?;
        let mut power = Series::constant(Expr::one())?;
        for j in 0..=order {
            let c = coeff(j)?;
            if !c.is_zero() {
                sum = sum.add(&power.scale(c)?)?;
            }
            power = power.mul(r)?;
        }
        let rem = delta * Q::from_integer(BigInt::from(order + 1));
        Series::new(sum.terms, min_rem(sum.rem, Some(rem)))
    }

    /// `S^p` for an exact rational `p`.
    fn pow(&self, p: &Q) -> Option<Series> {
        if p.is_integer() && !p.is_negative() && *p <= Q::from_integer(MAX_INT_POWER.into()) {
            let mut out = Series::constant(Expr::one())?;
            for _ in 0..p.to_integer().to_i64()? {
                out = out.mul(self)?;
            }
            return Some(out);
        }
        let (lead, r, delta) = self.split()?;
        if !p.is_integer() && (lead.k != 0 || value(&lead.c)? <= 0.0) {
            return None;
        }
        let kp = Q::from_integer(lead.k.into()) * p;
        if !kp.is_integer() {
            return None;
        }
        let kp = kp.to_integer().to_i64()?;
        let head = Series::monomial(
            simplify(&Expr::pow(lead.c, Expr::Num(p.clone()))).ok()?,
            &lead.a * p,
            kp,
        )?;
        let binom = |j: usize| {
            let mut c = Q::one();
            for i in 0..j {
                c = c * (p - Q::from_integer(i.into())) / Q::from_integer((i + 1).into());
            }
            Some(Expr::Num(c))
        };
        head.mul(&Series::taylor(&r, &delta, binom)?)
    }

    /// `log S`, when the leading term is `c·u^a` with `c > 0`.
    fn log(&self) -> Option<Series> {
        let (lead, r, delta) = self.split()?;
        if lead.k != 0 || value(&lead.c)? <= 0.0 {
            return None;
        }
        let head = Series::exact(vec![
            Term {
                c: simplify(&Expr::func(Func::Log, lead.c)).ok()?,
                a: Q::zero(),
                k: 0,
            },
            Term {
                c: Expr::Num(lead.a),
                a: Q::zero(),
                k: 1,
            },
        ])?;
        let series = |j: usize| {
            Some(if j == 0 {
                Expr::zero()
            } else {
                let sign = if j % 2 == 1 { 1 } else { -1 };
                Expr::ratio(sign, i64::try_from(j).ok()?)
            })
        };
        head.add(&Series::taylor(&r, &delta, series)?)
    }

    /// `F(S)` for a series tending to a constant `c₀`: `Σ F^{(j)}(c₀)·(S − c₀)^j/j!`.
    fn apply(&self, f: Func) -> Option<Series> {
        if self
            .terms
            .iter()
            .any(|t| t.a.is_negative() || (t.a.is_zero() && t.k != 0))
        {
            return None;
        }
        let c0 = self
            .terms
            .iter()
            .find(|t| t.a.is_zero())
            .map_or_else(Expr::zero, |t| t.c.clone());
        let r = self.add(&Series::constant(-c0.clone())?)?;
        let delta = r.order();
        if matches!(f, Func::Abs | Func::Sign) && value(&c0)? == 0.0 {
            return None;
        }
        let derivs = taylor_coefficients(f, &c0, derivatives_checked(f, &delta))?;
        Series::taylor(&r, &delta, |j| derivs.get(j).cloned())
    }

    /// The series of `e` as `u → 0+`; `None` outside the scale.
    pub(super) fn of(e: &Expr) -> Option<Series> {
        match e {
            Expr::Num(_) | Expr::Const(_) => Series::constant(e.clone()),
            Expr::Sym(s) if &**s == DIVERGENCE_VAR => Series::monomial(Expr::one(), Q::one(), 0),
            Expr::Sym(_) => None,
            Expr::Add(xs) => xs
                .iter()
                .try_fold(Series::exact(vec![])?, |acc, x| acc.add(&Series::of(x)?)),
            Expr::Mul(xs) => xs
                .iter()
                .try_fold(Series::constant(Expr::one())?, |acc, x| {
                    acc.mul(&Series::of(x)?)
                }),
            Expr::Pow(b, x) => match &**x {
                Expr::Num(p) => Series::of(b)?.pow(p),
                _ if !x.contains_sym(DIVERGENCE_VAR) && !b.contains_sym(DIVERGENCE_VAR) => {
                    Series::constant(e.clone())
                }
                _ => None,
            },
            Expr::Func(Func::Log, a) if matches!(&**a, Expr::Sym(s) if &**s == DIVERGENCE_VAR) => {
                Series::monomial(Expr::one(), Q::zero(), 1)
            }
            Expr::Func(Func::Log, a) => Series::of(a)?.log(),
            Expr::Func(Func::Abs, a) => {
                let s = Series::of(a)?;
                match s.terms.first() {
                    Some(lead) if lead.a.is_negative() || (lead.a.is_zero() && lead.k > 0) => {
                        s.scale(Expr::int(lead.sign()?))
                    }
                    _ => s.apply(Func::Abs),
                }
            }
            // `sign(X)` is the sign of `X`'s leading term once that term dominates: exactly
            // constant near `u = 0` when `X` diverges or tends to a non-zero constant.
            Expr::Func(Func::Sign, a) => {
                let s = Series::of(a)?;
                match s.terms.first() {
                    Some(lead) if lead.a.is_negative() || lead.a.is_zero() => {
                        if lead.a.is_zero() && lead.k < 0 {
                            return None;
                        }
                        Series::constant(Expr::int(lead.sign()?))
                    }
                    _ => None,
                }
            }
            // `atan(X) = ±π/2 − atan(1/X)` for `X → ±∞`.
            Expr::Func(Func::Atan, a) => {
                let s = Series::of(a)?;
                match s.terms.first() {
                    Some(lead) if lead.a.is_negative() || (lead.a.is_zero() && lead.k > 0) => {
                        let sign = lead.sign()?;
                        let half_pi =
                            Expr::ratio(sign, 2) * Expr::constant(crate::expr::Constant::Pi);
                        let inverse = s.pow(&-Q::one())?.apply(Func::Atan)?;
                        Series::constant(half_pi)?.add(&inverse.scale(Expr::int(-1))?)
                    }
                    _ => s.apply(Func::Atan),
                }
            }
            Expr::Func(f, a) => Series::of(a)?.apply(*f),
            Expr::Func2(..) => None,
        }
    }

    /// The limit as `u → 0+`, when the series decides it.
    pub(super) fn limit(&self) -> Option<Lim> {
        match self.terms.first() {
            Some(lead) if lead.a.is_negative() || (lead.a.is_zero() && lead.k > 0) => {
                let sign = value(&lead.c)?.signum() * if lead.k % 2 == 0 { 1.0 } else { -1.0 };
                Some(if sign > 0.0 {
                    Lim::PlusInfinity
                } else {
                    Lim::MinusInfinity
                })
            }
            _ if self.rem.as_ref().is_some_and(|r| !r.is_positive()) => None,
            Some(lead) if lead.a.is_zero() && lead.k == 0 => Some(Lim::Finite(lead.c.clone())),
            _ => Some(Lim::Finite(Expr::zero())),
        }
    }

    /// `u·S`.
    pub(super) fn times_u(&self) -> Option<Series> {
        self.mul(&Series::monomial(Expr::one(), Q::one(), 0)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A constant of about `4·n` nodes, different for each `seed`: `Σ log(i + 1)/(i + seed)`.
    fn long_constant(seed: i64, n: i64) -> Expr {
        Expr::add(
            (1..=n)
                .map(|i| Expr::ratio(1, i + seed) * Expr::func(Func::Log, Expr::int(i + 1)))
                .collect(),
        )
    }

    /// Many long centres: the remembered coefficient lists hold no more than their bound,
    /// centres and coefficients counted, and a repeated centre is still answered.
    #[test]
    fn remembered_coefficients_keep_to_their_bound() {
        let holds = || {
            COEFFICIENTS.with(|r| {
                let r = r.borrow();
                let counted: usize = r
                    .iter()
                    .map(|((_, c0, _), d)| {
                        use crate::per_thread::held;
                        1 + held(c0) + d.as_ref().map_or(0, |d| d.iter().map(held).sum())
                    })
                    .sum();
                assert_eq!(counted, r.total());
                counted
            })
        };
        let mut most = 0;
        for seed in 0..70 {
            let c0 = long_constant(seed, 160);
            assert!(taylor_coefficients(Func::Atan, &c0, 1).is_some());
            most = most.max(holds());
            assert!(
                holds() <= REMEMBERED_COEFFICIENTS_HELD,
                "{} after {seed}",
                holds()
            );
        }
        assert!(most > REMEMBERED_COEFFICIENTS_HELD / 2, "{most}");
        let c0 = long_constant(69, 160);
        let again = taylor_coefficients(Func::Atan, &c0, 1).unwrap();
        assert_eq!(
            again,
            derive_taylor_coefficients(Func::Atan, &c0, 1)
                .unwrap()
                .into()
        );
    }

    /// The same for the values of constant coefficients.
    #[test]
    fn remembered_values_keep_to_their_bound() {
        for seed in 0..400 {
            let c = long_constant(seed, 100);
            assert!(value(&c).is_some());
            let (held, counted) = VALUES.with(|m| {
                let m = m.borrow();
                let counted: usize = m.known.keys().map(|c| crate::per_thread::held(c) + 1).sum();
                (m.held, counted)
            });
            assert_eq!(held, counted);
            assert!(counted <= REMEMBERED_VALUES_HELD, "{counted} after {seed}");
        }
    }

    fn q(n: i64, d: i64) -> Option<Q> {
        Some(Q::new(n.into(), d.into()))
    }

    /// How many derivatives each function computes: the Taylor order (at least 1) for a function
    /// analytic on the real line, every order up to [`MAX_ORDER`] for one with a singular point.
    #[track_caller]
    fn checks(f: Func, delta: Option<Q>, expected: usize) {
        assert_eq!(
            derivatives_checked(f, &delta),
            expected,
            "{f:?} at {delta:?}"
        );
    }

    #[test]
    fn derivatives_checked_table() {
        checks(Func::Atan, q(1, 1), 3);
        checks(Func::Exp, q(1, 2), 6);
        checks(Func::Tanh, q(2, 1), 2);
        checks(Func::Sigmoid, q(1, 100), MAX_ORDER);
        checks(Func::Cos, None, 1);
        checks(Func::Log, q(1, 1), MAX_ORDER);
        checks(Func::Li2, q(1, 1), MAX_ORDER);
        checks(Func::LambertW, None, MAX_ORDER);
        checks(Func::Atan, q(-1, 1), MAX_ORDER);
    }

    /// The series of a function of the real line's analytic set is the same whether its
    /// derivatives stop at the Taylor order or run to [`MAX_ORDER`]: compared term by term.
    #[test]
    fn series_of_analytic_functions_is_unchanged() {
        for text in [
            "atan(u)",
            "2*u*atan(u) - pi*u/2 - u + 1",
            "exp(sqrt(u)) - 1",
            "tanh(u^(1/3))*u",
            "sigmoid(u) + softplus(u^2)",
            "asinh(u) + cosh(u) - sinh(u)",
        ] {
            let e = simplify(&crate::parse::parse(text).unwrap()).unwrap();
            let lazy = Series::of(&e).expect(text);
            let full = full_series(&e).expect(text);
            assert_eq!(lazy.rem, full.rem, "{text}");
            assert_eq!(lazy.terms.len(), full.terms.len(), "{text}");
            for (a, b) in lazy.terms.iter().zip(&full.terms) {
                assert_eq!((&a.c, &a.a, a.k), (&b.c, &b.a, b.k), "{text}");
            }
        }
    }

    /// [`Series::of`] for a function of a variable, with every derivative up to [`MAX_ORDER`].
    fn full_series(e: &Expr) -> Option<Series> {
        match e {
            Expr::Func(f, a) if !matches!(f, Func::Abs | Func::Sign) => {
                let s = full_series(a)?;
                if s.terms.iter().any(|t| t.a.is_negative()) {
                    return Series::of(e);
                }
                let c0 = s
                    .terms
                    .iter()
                    .find(|t| t.a.is_zero())
                    .map_or_else(Expr::zero, |t| t.c.clone());
                let r = s.add(&Series::constant(-c0.clone())?)?;
                let delta = r.order();
                let mut d = Expr::func(*f, Expr::sym("__z"));
                let mut derivs = Vec::new();
                let mut fact = BigInt::one();
                for j in 0..=MAX_ORDER {
                    if j > 0 {
                        fact *= BigInt::from(j);
                        d = derivative(&d, "__z");
                    }
                    let at = simplify(&d.substitute("__z", &c0)).ok()?;
                    value(&at)?;
                    derivs.push(
                        simplify(&(at * Expr::Num(Q::new(BigInt::one(), fact.clone())))).ok()?,
                    );
                }
                Series::taylor(&r, &delta, |j| derivs.get(j).cloned())
            }
            Expr::Add(xs) => xs
                .iter()
                .try_fold(Series::exact(vec![])?, |acc, x| acc.add(&full_series(x)?)),
            Expr::Mul(xs) => xs
                .iter()
                .try_fold(Series::constant(Expr::one())?, |acc, x| {
                    acc.mul(&full_series(x)?)
                }),
            Expr::Pow(b, x) if matches!(&**x, Expr::Num(_)) => {
                let Expr::Num(p) = &**x else { return None };
                full_series(b)?.pow(p)
            }
            _ => Series::of(e),
        }
    }
}

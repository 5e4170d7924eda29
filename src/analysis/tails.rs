//! The two ends of `(0, ∞)`: zero-forcing and zero-avoiding (Hu et al. 2025, Prop 4.4–4.5).
//!
//! `f(0+) = lim_{u→0+} f(u)` and `f'(∞) = lim_{u→∞} f(u)/u`; the divergence is zero-forcing
//! (mode-seeking) when `f(0+) = ∞` and zero-avoiding (mass-covering) when `f'(∞) = ∞`. On the
//! loss side, `f(0+) = −lim_{t→−∞} g'(t)` and `f'(∞) = ∫_0^∞ g'(τ) e^{−τ} dτ`, which needs no
//! closed form of `f`.
//!
//! Limits are exact where the form allows: an asymptotic series in `u^a·(log u)^k`
//! (`tails/asymptotic.rs`) for generators and for `g'(log u)`, and
//! `∫_0^∞ Σ c·τ^n e^{aτ} dτ = Σ c·n!/(−a)^{n+1}` (all `a < 0`; otherwise `±∞` by the dominant
//! term) for exponential-polynomial losses. Otherwise they are read numerically: `f(e^t)`,
//! `f(e^t)/e^t` or `g'(t)` at `|t| = 20, 40, 80, 160` must settle or grow steadily, and the
//! integral is a quadrature on `[0, ∞)`. A limit that neither settles nor grows is
//! [`Limit::Unknown`], with the reason.

mod asymptotic;
mod huge;
mod kinks;
mod leading;
mod rational;

use crate::Error;
use crate::analysis::convexity::Method;
use crate::diff::diff;
use crate::eval::{Params, compile, eval_constant};
use crate::expr::{DIVERGENCE_VAR, Expr, Func, LOSS_VAR};
use crate::integrate::closed::{
    MAX_EXPONENTIAL_NODES, decompose, exponential_size, to_exponentials,
};
use crate::integrate::quad::{QuadError, Tolerance, integrate};
use crate::simplify::simplify;
use asymptotic::{Lim, Series};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed};

/// A limit of a real function.
#[derive(Clone, Debug, PartialEq)]
pub enum Limit {
    /// A finite limit: the exact value when it was found symbolically (`None` when numeric),
    /// and its `f64` value.
    Finite(Option<Expr>, f64),
    /// `+∞`.
    PlusInfinity,
    /// `−∞`.
    MinusInfinity,
    /// Undecided; the reason.
    Unknown(Undecided),
}

/// Why a limit is undecided (the text report words it).
#[derive(Clone, Debug, PartialEq)]
pub enum Undecided {
    /// The exact limit was found but has no finite value.
    NotFinite(Expr),
    /// `∫_0^∞ g'(τ) e^{−τ} dτ` diverges and the integrand has no clear sign far out.
    NoClearSign,
    /// The quadrature of `∫_0^∞ g'(τ) e^{−τ} dτ` failed.
    Quadrature(QuadError),
    /// The function whose limit was sought (`what`) is not a number at `t`.
    NotANumber {
        /// The function and the limit, e.g. `f(u) as u → 0+`.
        what: &'static str,
        /// Where.
        at: f64,
    },
    /// The function overflows without a clear direction.
    Overflows {
        /// The function and the limit.
        what: &'static str,
    },
    /// The values at `t = 20, 40, 80, 160` (times the side) neither settle nor grow steadily.
    Unsettled {
        /// The function and the limit.
        what: &'static str,
        /// The values seen.
        values: [f64; 4],
    },
}

/// Worded by the text report ([`crate::report::undecided_text`]).
impl std::fmt::Display for Undecided {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::report::undecided_text(self))
    }
}

impl Limit {
    /// `Some(true)` for `+∞`, `Some(false)` for a finite limit or `−∞`, `None` when unknown.
    pub fn is_plus_infinity(&self) -> Option<bool> {
        match self {
            Limit::PlusInfinity => Some(true),
            Limit::Finite(..) | Limit::MinusInfinity => Some(false),
            Limit::Unknown(_) => None,
        }
    }

    fn negate(self) -> Limit {
        match self {
            Limit::Finite(e, v) => Limit::Finite(e.and_then(|e| simplify(&-e).ok()), -v),
            Limit::PlusInfinity => Limit::MinusInfinity,
            Limit::MinusInfinity => Limit::PlusInfinity,
            unknown => unknown,
        }
    }
}

/// The tail behaviour of a generator.
#[derive(Clone, Debug, PartialEq)]
pub struct Tails {
    /// `f(0+) = lim_{u→0+} f(u)`.
    pub f_at_0: Limit,
    /// How `f_at_0` was found.
    pub f_at_0_method: Method,
    /// `f'(∞) = lim_{u→∞} f(u)/u`.
    pub f_prime_at_inf: Limit,
    /// How `f_prime_at_inf` was found.
    pub f_prime_at_inf_method: Method,
    /// Zero-forcing (mode-seeking): `f(0+) = ∞`; `None` when `f(0+)` is unknown.
    pub zero_forcing: Option<bool>,
    /// Zero-avoiding (mass-covering): `f'(∞) = ∞`; `None` when `f'(∞)` is unknown.
    pub zero_avoiding: Option<bool>,
    /// [`Method::Proved`] when both limits are exact, else [`Method::Numeric`].
    pub method: Method,
}

impl Tails {
    fn new(at_0: (Limit, Method), at_inf: (Limit, Method)) -> Tails {
        let method = if at_0.1 == Method::Proved && at_inf.1 == Method::Proved {
            Method::Proved
        } else {
            Method::Numeric
        };
        Tails {
            zero_forcing: at_0.0.is_plus_infinity(),
            zero_avoiding: at_inf.0.is_plus_infinity(),
            f_at_0: at_0.0,
            f_at_0_method: at_0.1,
            f_prime_at_inf: at_inf.0,
            f_prime_at_inf_method: at_inf.1,
            method,
        }
    }
}

/// The tails of a generator `f(u)`.
///
/// Fails when `f` has a parameter without a value or is not a function of `u` alone.
///
/// The report asks for the tails of the same generator more than once (its own line, the
/// conjugate's domain), and the asymptotic series behind them is most of the cost of a
/// closed-form report: the last few answers are remembered (per thread, by expression).
pub fn of_generator(f: &Expr) -> Result<Tails, Error> {
    if let Some(hit) = RECENT_TAILS.with(|r| r.borrow().find(|e| e == f).cloned()) {
        return hit;
    }
    let tails = generator_tails(f);
    let held = crate::per_thread::held(f) + held(&tails);
    RECENT_TAILS.with(|r| r.borrow_mut().insert(f.clone(), tails.clone(), held));
    tails
}

/// The most generators [`RECENT_TAILS`] remembers.
const REMEMBERED_TAILS: usize = 8;
/// The most the generators and tails [`RECENT_TAILS`] remembers may hold (as
/// [`crate::per_thread::held`] counts them).
const REMEMBERED_TAILS_HELD: usize = 100_000;

thread_local! {
    /// The last tails found, by generator.
    static RECENT_TAILS: std::cell::RefCell<crate::per_thread::Recent<Expr, Result<Tails, Error>>> =
        const {
            std::cell::RefCell::new(crate::per_thread::Recent::new(
                REMEMBERED_TAILS,
                REMEMBERED_TAILS_HELD,
            ))
        };
}

/// What `tails` holds, as [`crate::per_thread::held`] counts it (an error by the words of its
/// message).
fn held(tails: &Result<Tails, Error>) -> usize {
    let limit = |l: &Limit| match l {
        Limit::Finite(Some(e), _) | Limit::Unknown(Undecided::NotFinite(e)) => {
            1 + crate::per_thread::held(e)
        }
        _ => 1,
    };
    match tails {
        Ok(t) => limit(&t.f_at_0) + limit(&t.f_prime_at_inf),
        Err(e) => 1 + e.to_string().len() / 8,
    }
}

fn generator_tails(f: &Expr) -> Result<Tails, Error> {
    only_variable(f, DIVERGENCE_VAR)?;
    // A kinked generator is its first piece near 0 and its last near ∞ (`max(t, 0)^2`'s:
    // `0` and `2*u - 2 - 2*log(u)`), each a smooth closed form whose limits are exact.
    if let Some(pieces) = super::pieces::split(f, DIVERGENCE_VAR) {
        if let (Some(first), Some(last)) = (pieces.first(), pieces.last()) {
            let (at_0, _) = generator_ends(&first.expr)?;
            let (_, at_inf) = generator_ends(&last.expr)?;
            return Ok(Tails::new(at_0, at_inf));
        }
    }
    let (at_0, at_inf) = generator_ends(f)?;
    Ok(Tails::new(at_0, at_inf))
}

/// A limit and how it was found.
type Found = (Limit, Method);

/// `f(0+)` and `f'(∞)` of a generator, each with how it was found.
fn generator_ends(f: &Expr) -> Result<(Found, Found), Error> {
    let f = simplify(&exponential_form(f).unwrap_or_else(|| f.clone()))?;
    let at_0 = at_zero(&f)?;
    let u = Expr::sym(DIVERGENCE_VAR);
    let flipped = simplify(&f.substitute(DIVERGENCE_VAR, &u.recip()))?;
    let at_inf = Series::of(&flipped)
        .and_then(|s| s.times_u())
        .and_then(|s| s.limit())
        .map(|l| (exact(l), Method::Proved));
    let at_inf = match at_inf {
        Some(x) => x,
        None => {
            let c = compile(&f, DIVERGENCE_VAR, &Params::new())?;
            let ratio = |t: f64| c.eval(t.exp()) / t.exp();
            (settle(ratio, 1.0, "f(u)/u as u → ∞"), Method::Numeric)
        }
    };
    Ok((at_0, at_inf))
}

/// `f(0+)` of a generator alone, as [`of_generator`] finds it (without the other end).
///
/// Fails when `f` has a parameter without a value or is not a function of `u` alone.
pub fn generator_at_zero(f: &Expr) -> Result<Limit, Error> {
    only_variable(f, DIVERGENCE_VAR)?;
    let first = super::pieces::split(f, DIVERGENCE_VAR).and_then(|p| p.into_iter().next());
    let f = first.as_ref().map_or(f, |p| &p.expr);
    let f = simplify(&exponential_form(f).unwrap_or_else(|| f.clone()))?;
    Ok(at_zero(&f)?.0)
}

/// `f(0+)` of a generator already in exponential form, and how it was found.
fn at_zero(f: &Expr) -> Result<(Limit, Method), Error> {
    let at_0 = Series::of(f)
        .and_then(|s| s.limit())
        .map(|l| (exact(l), Method::Proved));
    Ok(match at_0 {
        Some(x) => x,
        None => {
            let c = compile(f, DIVERGENCE_VAR, &Params::new())?;
            (
                settle(|t| c.eval(t.exp()), -1.0, "f(u) as u → 0+"),
                Method::Numeric,
            )
        }
    })
}

/// The tails of the generator of a loss `g(t)`, from `f(0+) = −lim_{t→−∞} g'(t)` and
/// `f'(∞) = ∫_0^∞ g'(τ) e^{−τ} dτ`; works when `f` has no closed form.
///
/// Fails when `g` has a parameter without a value or is not a function of `t` alone.
pub fn of_loss(g: &Expr) -> Result<Tails, Error> {
    only_variable(g, LOSS_VAR)?;
    let gp = diff(g, LOSS_VAR)?;
    let in_u = exponential_form(&gp).and_then(|e| {
        simplify(&e.substitute(LOSS_VAR, &Expr::func(Func::Log, Expr::sym(DIVERGENCE_VAR)))).ok()
    });
    let at_0 = in_u
        .as_ref()
        .and_then(Series::of)
        .and_then(|s| s.limit())
        .map(|l| (exact(l).negate(), Method::Proved));
    let gp_c = compile(&gp, LOSS_VAR, &Params::new())?;
    let at_0 = at_0
        .or_else(|| rational::limit_at_minus_infinity(&gp).map(|l| (l.negate(), Method::Proved)))
        .or_else(|| leading::limit_at_minus_infinity(&gp).map(|l| (l.negate(), Method::Proved)));
    let at_0 = match at_0 {
        Some(x) => x,
        None => (
            settle(|t| gp_c.eval(t), -1.0, "g'(t) as t → −∞").negate(),
            Method::Numeric,
        ),
    };
    let tau = Expr::sym(LOSS_VAR);
    let integrand = simplify(&(gp * Expr::func(Func::Exp, -tau)))?;
    let exact_integral =
        exp_poly_integral(&integrand).or_else(|| kinks::integral(&integrand, exp_poly_integral));
    let at_inf = match exact_integral {
        Some(l) => (l, Method::Proved),
        None => (
            numeric_integral(|t| gp_c.eval(t) * (-t).exp()),
            Method::Numeric,
        ),
    };
    Ok(Tails::new(at_0, at_inf))
}

/// Fail unless every symbol of `e` is `var`.
fn only_variable(e: &Expr, var: &str) -> Result<(), Error> {
    match e.symbols().into_iter().find(|s| &**s != var) {
        Some(s) => Err(Error::UnknownParameter(format!(
            "the tails need a function of `{var}` alone, but `{s}` has no value"
        ))),
        None => Ok(()),
    }
}

/// `cosh`, `sinh`, `tanh`, `sigmoid` and `softplus` written with `exp`, so that after `t = log u`
/// they become powers of `u`: `tanh(x) = 1 − 2/(e^{2x} + 1)`. `None` when the rewrite would
/// exceed [`MAX_EXPONENTIAL_NODES`] nodes (nested `cosh`), and the limits are then read
/// numerically.
fn exponential_form(e: &Expr) -> Option<Expr> {
    // Each `tanh`, `sigmoid` or `softplus` adds a few nodes around its rewritten argument.
    (exponential_size(e).saturating_mul(4) <= MAX_EXPONENTIAL_NODES).then(|| exponential_parts(e))
}

fn exponential_parts(e: &Expr) -> Expr {
    let e = to_exponentials(e);
    match &e {
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => e,
        Expr::Add(xs) => Expr::add(xs.iter().map(exponential_parts).collect()),
        Expr::Mul(xs) => Expr::mul(xs.iter().map(exponential_parts).collect()),
        Expr::Pow(b, x) => Expr::pow(exponential_parts(b), exponential_parts(x)),
        Expr::Func(f, a) => {
            let a = exponential_parts(a);
            let exp = |x: Expr| Expr::func(Func::Exp, x);
            match f {
                Func::Tanh => {
                    Expr::one() - Expr::int(2) * (exp(Expr::int(2) * a) + Expr::one()).recip()
                }
                Func::Sigmoid => (Expr::one() + exp(-a)).recip(),
                Func::Softplus => Expr::func(Func::Log, Expr::one() + exp(a)),
                _ => Expr::func(*f, a),
            }
        }
        Expr::Func2(f, a, b) => Expr::func2(*f, exponential_parts(a), exponential_parts(b)),
    }
}

fn exact(l: Lim) -> Limit {
    match l {
        Lim::PlusInfinity => Limit::PlusInfinity,
        Lim::MinusInfinity => Limit::MinusInfinity,
        Lim::Finite(e) => match eval_constant(&e, &Params::new()) {
            Ok(v) if v.is_finite() => Limit::Finite(Some(e), v),
            _ => Limit::Unknown(Undecided::NotFinite(e)),
        },
    }
}

/// `∫_0^∞ p(τ) dτ` for an exponential polynomial `p = Σ c·τ^n·e^{aτ}`: `Σ c·n!/(−a)^{n+1}` when
/// every `a < 0`, else `±∞` by the sign of the dominant term (largest `a`, then largest `n`).
/// `None` when `p` is not one, or a coefficient's sign is unknown.
fn exp_poly_integral(p: &Expr) -> Option<Limit> {
    let poly = decompose(p, LOSS_VAR)?;
    let mut groups: Vec<(u32, BigRational, Vec<Expr>)> = Vec::new();
    for t in poly.terms {
        match groups
            .iter_mut()
            .find(|(n, a, _)| *n == t.power && *a == t.rate)
        {
            Some((_, _, cs)) => cs.push(t.coeff),
            None => groups.push((t.power, t.rate, vec![t.coeff])),
        }
    }
    let mut terms = Vec::new();
    for (n, a, cs) in groups {
        let c = simplify(&Expr::add(cs)).ok()?;
        if !c.is_zero() {
            let v = eval_constant(&c, &Params::new()).ok()?;
            if !v.is_finite() || v == 0.0 {
                return None;
            }
            terms.push((n, a, c, v));
        }
    }
    let growing = terms
        .iter()
        .filter(|(_, a, _, _)| !a.is_negative())
        .max_by(|x, y| x.1.cmp(&y.1).then(x.0.cmp(&y.0)));
    if let Some((_, _, _, v)) = growing {
        return Some(if *v > 0.0 {
            Limit::PlusInfinity
        } else {
            Limit::MinusInfinity
        });
    }
    let sum = Expr::add(
        terms
            .into_iter()
            .map(|(n, a, c, _)| {
                let fact: BigInt = (1..=n).fold(BigInt::one(), |acc, i| acc * BigInt::from(i));
                let denom = num_traits::pow::Pow::pow(-a, n + 1);
                c * Expr::Num(BigRational::from_integer(fact) / denom)
            })
            .collect(),
    );
    let sum = simplify(&sum).ok()?;
    Some(exact(Lim::Finite(sum)))
}

/// `∫_0^∞ h(τ) dτ` by quadrature; growth without bound (or an infinite integrand far out) is
/// `±∞` by the sign of the integrand there.
fn numeric_integral(h: impl Fn(f64) -> f64) -> Limit {
    let far = |v: f64| {
        if v > 0.0 {
            Limit::PlusInfinity
        } else if v < 0.0 {
            Limit::MinusInfinity
        } else {
            Limit::Unknown(Undecided::NoClearSign)
        }
    };
    let tol = Tolerance {
        rel: 1e-9,
        abs: 1e-12,
    };
    // The absolute floor serves integrals of ordinary size; a small one is integrated again to
    // its own scale, so that mass the first pass found too small to look at is not missed
    // (a printed f'(∞) of 1e-15 whose true value is 3e-10 is a wrong number).
    let first = integrate(&h, 0.0, f64::INFINITY, tol, &[]);
    let result = match first {
        Ok(i) if i.error > tol.rel * i.value.abs() => {
            let abs = (tol.rel * i.value.abs().max(i.error * 1e-3)).max(f64::MIN_POSITIVE);
            integrate(&h, 0.0, f64::INFINITY, Tolerance { abs, ..tol }, &[])
        }
        other => other,
    };
    match result {
        Ok(i) => Limit::Finite(None, i.value),
        Err(QuadError::Divergent { near, estimate }) => {
            far(if near > 1.0 { h(40.0) } else { estimate })
        }
        Err(QuadError::NonFinite { at, value }) if at > 1.0 && value.is_infinite() => far(value),
        Err(e) => Limit::Unknown(Undecided::Quadrature(e)),
    }
}

/// The limit of `h(t)` as `t → side·∞`, from `t = 20, 40, 80, 160` (times `side`): finite when
/// the values settle (with one geometric extrapolation), `±∞` when they move the same way by
/// steps that do not shrink, unknown otherwise.
///
/// A finite value is within `1e-9·(1 + |value|)` of the limit by the estimate of its error: the
/// last step `|h(160) − h(80)|` when the values have settled, or the spread of the geometric
/// extrapolation `d₃·ρ/(1 − ρ)` between the ratios `ρ = d₂/d₁` and `ρ = d₃/d₂` of successive
/// steps, with the rounding of the values (an extrapolation less sure than that is unsettled: the one from
/// `2t/(1 + t²)²` printed `4.5e-10` for `0`, 1.7e-9 apart). A value no larger than its error
/// estimate is `0`: its digits are noise.
fn settle(h: impl Fn(f64) -> f64, side: f64, what: &'static str) -> Limit {
    let ts = [20.0, 40.0, 80.0, 160.0].map(|t| t * side);
    let v = ts.map(&h);
    if v.iter().any(|x| x.is_nan()) {
        return Limit::Unknown(Undecided::NotANumber {
            what,
            at: ts[v.iter().position(|x| x.is_nan()).unwrap_or(0)],
        });
    }
    if v[2].is_infinite() && v[3] == v[2] {
        return if v[3] > 0.0 {
            Limit::PlusInfinity
        } else {
            Limit::MinusInfinity
        };
    }
    if v.iter().any(|x| x.is_infinite()) {
        return Limit::Unknown(Undecided::Overflows { what });
    }
    let d = [v[1] - v[0], v[2] - v[1], v[3] - v[2]];
    let tol = 1e-9 * (1.0 + v[3].abs());
    if d[2].abs() <= tol {
        return finite_within(v[3], d[2].abs());
    }
    let same_sign = d.iter().all(|x| x.signum() == d[2].signum());
    if same_sign && d[2].abs() >= 0.9 * d[1].abs() && d[1].abs() >= 0.9 * d[0].abs() {
        return if d[2] > 0.0 {
            Limit::PlusInfinity
        } else {
            Limit::MinusInfinity
        };
    }
    let rho = d[2] / d[1];
    let earlier = d[1] / d[0];
    if same_sign && rho > 0.0 && rho < 0.9 && earlier > 0.0 && earlier < 1.0 {
        let correction = d[2] * rho / (1.0 - rho);
        // The spread of the two extrapolations, and the rounding of the values themselves.
        let rounding = 8.0 * f64::EPSILON * v.iter().fold(0.0_f64, |m, x| m.max(x.abs()));
        let error = (correction - d[2] * earlier / (1.0 - earlier)).abs() + rounding;
        let value = v[3] + correction;
        if correction.abs() <= 1e-6 * (1.0 + v[3].abs()) && error <= 1e-9 * (1.0 + value.abs()) {
            return finite_within(value, error);
        }
    }
    Limit::Unknown(Undecided::Unsettled { what, values: v })
}

/// A numeric limit `value` whose error is estimated at `error`: `0` when the value is no
/// larger than its error.
fn finite_within(value: f64, error: f64) -> Limit {
    Limit::Finite(None, if value.abs() <= error { 0.0 } else { value })
}

#[cfg(test)]
mod tests;

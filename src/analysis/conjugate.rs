//! The dual `f◇(u) = u·f(1/u)` and the convex conjugate `f*(y) = sup_{u>0} (u·y − f(u))` of a
//! divergence generator.
//!
//! The dual is a substitution and a simplification. The conjugate is found in closed form when
//! the stationarity condition `f'(u) = y` can be solved by one of five patterns on the simplified
//! `f'` (with constants `a ≠ 0`, `b` and a rational `p ≠ 0`; see [`conjugate`]):
//!
//! | `f'(u)` | `u*(y)` | `f*(y)` |
//! |---|---|---|
//! | `a·u^p + b`, `p ≠ −1` | `z^(1/p)`, `z = (y − b)/a` | `a·p/(p + 1)·z^((p + 1)/p) − c` |
//! | `a/u + b` | `1/z` | `a + a·log(z) − c` |
//! | `a·log(u) + b` | `exp(z)` | `a·exp(z) − c` |
//! | `a·(log(u) − log(u + 1)) + b` | `w/(1 − w)`, `w = exp(z)` | `−a·log(1 − w) − c` |
//! | `a·(log(u) − 1/u) + b` | `1/w`, `w = W(e^(−z))` | `a·(w + 1/w + z − 1) − c` |
//!
//! (`W` the principal Lambert W; the last row is Jeffreys' `(u − 1)·log(u)`), where
//! `c = f(1) − F(1)` for the antiderivative `F` of the pattern without a constant term, so
//! that `f = F + c` exactly. Rather than substituting `u*` into `f`, the conjugate is written
//! from `F` directly (`u*·y − F(u*) − c`, worked out once per pattern above), which keeps the
//! result in the form a person would write. A generator `c·|u − k| + d·u + e` (total
//! variation) has the piecewise-linear conjugate of `piecewise.rs`. Anything else is computed
//! numerically by [`conjugate_value`], with the domain's ends taken from the exact tails where
//! they are known and values at a few points (`numeric.rs`).
//!
//! The variable is `u > 0`, so the domain of `f*` always extends to `y → −∞` for a convex `f`:
//! where `y ≤ f'(0+)` is finite the supremum is approached as `u → 0+` and equals `−f(0+)`. That
//! part is reported as a [`LowerPiece`]; the f-GAN table (Nowozin et al. 2016) instead extends
//! Pearson's `(u − 1)²` to all real `u`, which agrees with the closed form above the threshold.

use crate::Error;
use crate::diff::diff;
use crate::eval::{Params, compile, eval_constant};
use crate::expr::{DIVERGENCE_VAR, Expr, Func};
use crate::print::plain;
use crate::simplify::{complexity, expand, present, simplify};
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};
use std::fmt;

/// The name of the conjugate variable `y` of `f*(y)`.
pub const CONJUGATE_VAR: &str = "y";

/// The dual generator `f◇(u) = u·f(1/u)`, simplified for `u > 0` (multiplied out when that is
/// no more complex, so `u·(1/u − 1)²` is `u − 2 + 1/u`).
///
/// `D_f(p‖q) = D_{f◇}(q‖p)`: the dual swaps the arguments of the divergence, and `f◇◇ = f`.
/// A self-dual generator comes back as `f` itself (see [`is_self_dual`]); any other dual in
/// its presented form ([`present::present`]).
pub fn dual(f: &Expr) -> Result<Expr, Error> {
    let split = present::expand_logs(f);
    let u = Expr::sym(DIVERGENCE_VAR);
    let flipped = split.substitute(DIVERGENCE_VAR, &Expr::pow(u.clone(), Expr::int(-1)));
    let direct = simplify(&(u * flipped))?;
    let d = match expand(&direct).map(|e| simplify(&e)) {
        Some(Ok(e)) if complexity(&e) <= complexity(&direct) => e,
        _ => direct,
    };
    if present::provably_equal(&present::normalize_reciprocals(&d), &split)
        || same_rational_function(&d, &split)
    {
        return Ok(f.clone());
    }
    Ok(present::present(&d))
}

/// Whether `a` and `b` are the same rational function of `u`: each brought over one
/// denominator and reduced to lowest terms ([`crate::transform::rational::together`]) gives
/// the same fraction. Le Cam's dual `u·(1 − 1/u)²/(2 + 2/u)` is its `(u − 1)²/(2·(u + 1))`,
/// which the simplifier does not see.
fn same_rational_function(a: &Expr, b: &Expr) -> bool {
    use crate::transform::rational::together;
    match (together(a, DIVERGENCE_VAR), together(b, DIVERGENCE_VAR)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// Whether `dual`, as returned by [`dual`] for `f`, is `f` itself: `f◇ = f` (Jensen–Shannon,
/// total variation, squared Hellinger). [`dual`] returns `f` unchanged when `u·f(1/u) − f`
/// simplifies to zero once reciprocal powers of `u` are taken out of `log` and `abs`.
pub fn is_self_dual(f: &Expr, dual: &Expr) -> bool {
    f == dual
}

/// How a [`Conjugate`] was obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `f'(u) = y` was solved by one of the patterns of [`conjugate`].
    ClosedForm,
    /// No pattern applies: values come from [`conjugate_value`], the domain is estimated.
    Numeric,
}

/// One end of the interval where `f*` is finite.
#[derive(Clone, Debug, PartialEq)]
pub enum Bound {
    /// The interval is unbounded on this side.
    Infinite,
    /// The interval ends at a finite `y`.
    Finite {
        /// The exact end point, when it is known in closed form (`log(2)`).
        exact: Option<Expr>,
        /// The end point as an `f64`.
        value: f64,
        /// Whether `f*` is finite at the end point itself; `None` when that was not decided
        /// (a numerically estimated end point).
        closed: Option<bool>,
    },
}

/// The interval of `y` where `f*(y)` is finite.
#[derive(Clone, Debug, PartialEq)]
pub struct Domain {
    /// The lower end.
    pub lower: Bound,
    /// The upper end.
    pub upper: Bound,
}

impl Domain {
    /// The whole real line `y ∈ ℝ`.
    pub fn real_line() -> Domain {
        Domain {
            lower: Bound::Infinite,
            upper: Bound::Infinite,
        }
    }

    /// `y < end` (or `y ≤ end` when `closed`), the end known exactly.
    fn below(end: Expr, closed: bool) -> Result<Domain, Error> {
        let value = eval_constant(&end, &Params::new())?;
        Ok(Domain {
            lower: Bound::Infinite,
            upper: Bound::Finite {
                exact: Some(end),
                value,
                closed: Some(closed),
            },
        })
    }

    /// Whether `y` lies in the domain (an end point of undecided closedness counts as outside).
    pub fn contains(&self, y: f64) -> bool {
        let above_lower = match &self.lower {
            Bound::Infinite => true,
            Bound::Finite { value, closed, .. } => {
                y > *value || (y == *value && *closed == Some(true))
            }
        };
        let below_upper = match &self.upper {
            Bound::Infinite => true,
            Bound::Finite { value, closed, .. } => {
                y < *value || (y == *value && *closed == Some(true))
            }
        };
        y.is_finite() && above_lower && below_upper
    }
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bound::Infinite => f.write_str("∞"),
            Bound::Finite { exact: Some(e), .. } => f.write_str(&plain(e)),
            // Shortest round-trip digits, in scientific notation far from 1 (where `{}` would
            // write a hundred zeros).
            Bound::Finite { value, .. }
                if *value != 0.0 && !(1e-5..1e16).contains(&value.abs()) =>
            {
                write!(f, "{value:e}")
            }
            // `+ 0.0` writes a negative zero as `0`.
            Bound::Finite { value, .. } => write!(f, "{}", value + 0.0),
        }
    }
}

/// The relation sign between `y` and a finite end: `<` or `≤`; an undecided end is written
/// `<` and explained after the domain (see [`Domain`]'s `Display`).
fn relation(closed: Option<bool>) -> &'static str {
    match closed {
        Some(true) => "≤",
        _ => "<",
    }
}

/// `(whether f* is finite at y = END is not decided)` for each end of undecided closedness.
fn undecided(d: &Domain) -> String {
    [&d.lower, &d.upper]
        .into_iter()
        .filter_map(|b| match b {
            Bound::Finite { closed: None, .. } => Some(format!(
                " (whether f* is finite at {} = {b} itself is not decided)",
                CONJUGATE_VAR
            )),
            _ => None,
        })
        .collect()
}

impl fmt::Display for Domain {
    /// `y ∈ ℝ`, `y < log(2)`, `y ≤ 1`, `y > 0`, `0 < y < 1`; an end point whose closedness was
    /// not decided is written with `<` and the words `(whether f* is finite at y = … itself
    /// is not decided)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let y = CONJUGATE_VAR;
        let words = undecided(self);
        match (&self.lower, &self.upper) {
            (Bound::Infinite, Bound::Infinite) => write!(f, "{y} ∈ ℝ"),
            (Bound::Infinite, hi @ Bound::Finite { closed, .. }) => {
                write!(f, "{y} {} {hi}", relation(*closed))
            }
            (lo @ Bound::Finite { closed, .. }, Bound::Infinite) => {
                write!(f, "{lo} {} {y}", relation(*closed))
            }
            (lo @ Bound::Finite { closed: c0, .. }, hi @ Bound::Finite { closed: c1, .. }) => {
                write!(f, "{lo} {} {y} {} {hi}", relation(*c0), relation(*c1))
            }
        }?;
        f.write_str(&words)
    }
}

/// The part of the domain below the closed form: for `y ≤ threshold = f'(0+)` the supremum is
/// approached as `u → 0+` and `f*(y) = value = −f(0+)`, a constant.
#[derive(Clone, Debug, PartialEq)]
pub struct LowerPiece {
    /// `f'(0+)`, where the closed form stops.
    pub threshold: Expr,
    /// `−f(0+)`, the value of `f*` at and below the threshold.
    pub value: Expr,
}

/// The convex conjugate `f*(y) = sup_{u>0} (u·y − f(u))` of a generator.
#[derive(Clone, Debug, PartialEq)]
pub struct Conjugate {
    /// `f*(y)` in the variable `y` ([`CONJUGATE_VAR`]), valid on the domain above
    /// [`Conjugate::lower_piece`]'s threshold; `None` when there is no closed form.
    pub expr: Option<Expr>,
    /// Where `f*` is finite.
    pub domain: Domain,
    /// How `expr` was obtained.
    pub method: Method,
    /// The constant part below `f'(0+)`, when `f'(0+)` is finite (Pearson: `f*(y) = −1` for
    /// `y ≤ −2`).
    pub lower_piece: Option<LowerPiece>,
    /// `(y, f*(y))` at a few points of the domain, for a numeric conjugate (empty for a closed
    /// form).
    pub values: Vec<(f64, f64)>,
    /// A closed form that could not be compared with the numeric supremum at any point tried:
    /// `f64` does not evaluate one side there to the digits the comparison needs (always
    /// `false` for a numeric conjugate).
    pub unchecked: bool,
}

impl Conjugate {
    /// `f*(y)` from the closed form: `+∞` outside the domain, the lower piece at or below its
    /// threshold, `None` without a closed form (use [`conjugate_value`]).
    pub fn value(&self, y: f64) -> Result<Option<f64>, Error> {
        let Some(expr) = &self.expr else {
            return Ok(None);
        };
        if !self.domain.contains(y) {
            return Ok(Some(f64::INFINITY));
        }
        if let Some(piece) = &self.lower_piece {
            let threshold = eval_constant(&piece.threshold, &Params::new())?;
            if y <= threshold {
                return Ok(Some(eval_constant(&piece.value, &Params::new())?));
            }
        }
        Ok(Some(compile(expr, CONJUGATE_VAR, &Params::new())?.eval(y)))
    }

    /// [`Conjugate::value`] with a bound on its absolute error (the rounding of the closed
    /// form in `f64`, [`crate::eval::Compiled::eval_with_error`]); `0` for `+∞` outside the
    /// domain and for the constant piece.
    pub fn value_with_error(&self, y: f64) -> Result<Option<(f64, f64)>, Error> {
        let Some(expr) = &self.expr else {
            return Ok(None);
        };
        if !self.domain.contains(y) {
            return Ok(Some((f64::INFINITY, 0.0)));
        }
        if let Some(piece) = &self.lower_piece {
            let threshold = eval_constant(&piece.threshold, &Params::new())?;
            if y <= threshold {
                let value = eval_constant(&piece.value, &Params::new())?;
                return Ok(Some((value, 2.0 * f64::EPSILON * value.abs())));
            }
        }
        let (value, error) = compile(expr, CONJUGATE_VAR, &Params::new())?.eval_with_error(y, 0.0);
        Ok(Some((value, error)))
    }
}

/// A solvable shape of `f'(u)`: `a·shape + b` with constants `a ≠ 0` and `b`.
#[derive(Clone, Debug, PartialEq)]
enum Shape {
    /// `u^p`, `p ≠ 0` rational (`p = 1` is linear).
    Power(BigRational),
    /// `log(u)`.
    Log,
    /// `log(u) − log(u + 1)`.
    LogRatio,
    /// `log(u) − 1/u` (Jeffreys).
    LogMinusRecip,
}

/// `f'(u) = a·shape + b`.
#[derive(Clone, Debug, PartialEq)]
struct Pattern {
    shape: Shape,
    a: Expr,
    b: Expr,
}

fn u() -> Expr {
    Expr::sym(DIVERGENCE_VAR)
}

fn log(x: Expr) -> Expr {
    Expr::func(Func::Log, x)
}

/// Split a term into the factors free of `u` and those with `u` (`-2*log(u)` is `(-2, log(u))`).
fn split_u(term: &Expr) -> (Expr, Expr) {
    match term {
        Expr::Mul(fs) => {
            let (with, without): (Vec<Expr>, Vec<Expr>) = fs
                .iter()
                .cloned()
                .partition(|f| f.contains_sym(DIVERGENCE_VAR));
            (Expr::mul(without), Expr::mul(with))
        }
        t if t.contains_sym(DIVERGENCE_VAR) => (Expr::one(), t.clone()),
        t => (t.clone(), Expr::one()),
    }
}

/// Match the simplified `f'` against the patterns; `None` when none applies.
fn match_derivative(fp: &Expr) -> Option<Pattern> {
    let terms: Vec<Expr> = match fp {
        Expr::Add(ts) => ts.clone(),
        other => vec![other.clone()],
    };
    let mut b = Vec::new();
    let mut keyed: Vec<(Expr, Vec<Expr>)> = Vec::new();
    for t in &terms {
        let (coef, rest) = split_u(t);
        if rest.is_one() {
            b.push(coef);
        } else if let Some(slot) = keyed.iter_mut().find(|(k, _)| *k == rest) {
            slot.1.push(coef);
        } else {
            keyed.push((rest, vec![coef]));
        }
    }
    let b = Expr::add(b);
    let keyed: Vec<(Expr, Expr)> = keyed
        .into_iter()
        .map(|(k, cs)| (k, simplify(&Expr::add(cs)).unwrap_or_else(|_| Expr::zero())))
        .filter(|(_, c)| !c.is_zero())
        .collect();
    if keyed.iter().any(|(_, c)| !c.is_constant()) || !b.is_constant() {
        return None;
    }
    let log_u = log(u());
    let log_u1 = log(u() + Expr::one());
    match keyed.as_slice() {
        [(k, a)] => {
            let shape = match k {
                Expr::Sym(s) if &**s == DIVERGENCE_VAR => Shape::Power(BigRational::one()),
                Expr::Pow(base, p) if **base == u() => match &**p {
                    Expr::Num(p) if !p.is_zero() => Shape::Power(p.clone()),
                    _ => return None,
                },
                k if *k == log_u => Shape::Log,
                _ => return None,
            };
            Some(Pattern {
                shape,
                a: a.clone(),
                b,
            })
        }
        [(k1, a1), (k2, a2)] => {
            let recip = u().recip();
            let (shape, a, minus) = if *k1 == log_u && *k2 == log_u1 {
                (Shape::LogRatio, a1, a2)
            } else if *k2 == log_u && *k1 == log_u1 {
                (Shape::LogRatio, a2, a1)
            } else if *k1 == log_u && *k2 == recip {
                (Shape::LogMinusRecip, a1, a2)
            } else if *k2 == log_u && *k1 == recip {
                (Shape::LogMinusRecip, a2, a1)
            } else {
                return None;
            };
            let sum = simplify(&(a.clone() + minus.clone())).ok()?;
            sum.is_zero().then(|| Pattern {
                shape,
                a: a.clone(),
                b,
            })
        }
        _ => None,
    }
}

/// The sign of a constant expression, from its value; `None` when it is zero or not finite.
fn sign_of(e: &Expr) -> Option<f64> {
    let v = eval_constant(e, &Params::new()).ok()?;
    (v.is_finite() && v != 0.0).then(|| v.signum())
}

/// Reject generators with symbols other than `u`.
fn check_generator(f: &Expr) -> Result<(), Error> {
    match f.symbols().into_iter().find(|s| &**s != DIVERGENCE_VAR) {
        Some(s) => Err(Error::UnknownParameter(format!(
            "the conjugate needs a generator f(u) with no parameters, but `{s}` appears"
        ))),
        None => Ok(()),
    }
}

/// The convex conjugate `f*(y) = sup_{u>0} (u·y − f(u))` of a convex generator `f(u)`.
///
/// The simplified `f'` is matched against `a·u^p + b` (`p ≠ 0` rational; `p = 1` is linear),
/// `a·log(u) + b` and `a·(log(u) − log(u + 1)) + b` (the GAN and Jensen–Shannon family), with
/// constants `a`, `b`. On a match `f'(u) = y` is solved for `u`, `f*(y) = u*·y − f(u*)` is
/// written in closed form and simplified, and the domain is the range of `f'` over `(0, ∞)`,
/// extended down to `−∞` by the [`LowerPiece`] when `f'(0+)` is finite. The upper end `f'(∞)`
/// is closed exactly when `f*` stays finite there (`a·u^p + b` with `p < −1`, as for Neyman χ²).
/// Every closed form is compared with [`conjugate_value`] at three points of its domain before
/// it is returned.
///
/// Without a match the result is [`Method::Numeric`] with no expression; its upper end is the
/// value of `f'` at `u = e^200` when `f'` has settled there (changed by less than `1e-9`
/// relative since `u = e^100`), else `+∞`, with closedness undecided.
///
/// Fails when `f` has a parameter, when a matched `f'` is not increasing (`f` is not convex),
/// or when `f` is undefined at `u = 1`.
pub fn conjugate(f: &Expr) -> Result<Conjugate, Error> {
    check_generator(f)?;
    let f = simplify(f)?;
    if let Some(mut out) = piecewise::kink_conjugate(&f)? {
        verify(&f, &mut out)?;
        return Ok(out);
    }
    let fp = diff(&f, DIVERGENCE_VAR)?;
    let Some(pattern) = match_derivative(&fp) else {
        if let Some(mut out) = shifted::conjugate(&f, &fp)? {
            verify(&f, &mut out)?;
            return Ok(out);
        }
        return numeric::described(&f, &fp);
    };
    let mut out = closed_form(&f, &fp, &pattern)?;
    verify(&f, &mut out)?;
    Ok(out)
}

/// The closed-form conjugate for a matched pattern.
fn closed_form(f: &Expr, fp: &Expr, pattern: &Pattern) -> Result<Conjugate, Error> {
    let Pattern { shape, a, b } = pattern;
    let (a, b) = (a.clone(), b.clone());
    let y = Expr::sym(CONJUGATE_VAR);
    let z = (y - b.clone()) / a.clone();
    let increasing = match (shape, sign_of(&a)) {
        (Shape::Power(p), Some(s)) => (s > 0.0) == p.is_positive(),
        (Shape::Log | Shape::LogRatio | Shape::LogMinusRecip, Some(s)) => s > 0.0,
        (_, None) => false,
    };
    if !increasing {
        return Err(Error::Input(format!(
            "f'(u) = {} is not increasing on u > 0, so f is not convex and has no conjugate by \
             the stationary point",
            plain(fp)
        )));
    }
    // F with f = F + c, and f*(y) = u*·y − F(u*) − c worked out per shape.
    let minus_one = BigRational::from_integer((-1).into());
    let (antiderivative, value, domain, lower_end) = match shape {
        Shape::Power(p) if *p == minus_one => (
            a.clone() * log(u()) + b.clone() * u(),
            a.clone() + a.clone() * log(z),
            Domain::below(b.clone(), false)?,
            false,
        ),
        Shape::Power(p) => {
            let p1 = p + BigRational::one();
            let anti = a.clone() * Expr::pow(u(), Expr::num(p1.clone())) / Expr::num(p1.clone())
                + b.clone() * u();
            let coef = a.clone() * Expr::num(p / &p1);
            let val = coef * Expr::pow(z, Expr::num(&p1 / p));
            let domain = if p.is_positive() {
                Domain::real_line()
            } else {
                Domain::below(b.clone(), p < &minus_one)?
            };
            (anti, val, domain, p.is_positive())
        }
        Shape::Log => (
            a.clone() * (u() * log(u()) - u()) + b.clone() * u(),
            a.clone() * Expr::func(Func::Exp, z),
            Domain::real_line(),
            false,
        ),
        Shape::LogRatio => (
            a.clone() * (u() * log(u()) - (u() + Expr::one()) * log(u() + Expr::one()))
                + b.clone() * u(),
            -a.clone() * log(Expr::one() - Expr::func(Func::Exp, z)),
            Domain::below(b.clone(), false)?,
            false,
        ),
        // u* = 1/w with w = W(e^(−z)), and u*·y − F(u*) = a·(w + 1/w + z − 1)
        Shape::LogMinusRecip => {
            let w = Expr::func(Func::LambertW, Expr::func(Func::Exp, -z.clone()));
            (
                a.clone() * (u() * log(u()) - u() - log(u())) + b.clone() * u(),
                a.clone() * (w.clone() + w.recip() + z - Expr::one()),
                Domain::real_line(),
                false,
            )
        }
    };
    let one = Expr::one();
    let c = simplify(
        &(f.substitute(DIVERGENCE_VAR, &one) - antiderivative.substitute(DIVERGENCE_VAR, &one)),
    )?;
    let expr = simplify(&(value - c.clone()))?;
    let lower_piece = if lower_end {
        // F(0+) = 0 for `a·u^(p+1)/(p+1) + b·u` with p > 0, so f(0+) = c.
        Some(LowerPiece {
            threshold: b,
            value: simplify(&-c)?,
        })
    } else {
        None
    };
    Ok(Conjugate {
        expr: Some(expr),
        domain,
        method: Method::ClosedForm,
        lower_piece,
        values: Vec::new(),
        unchecked: false,
    })
}

/// Compare a closed form with the numeric supremum at the points of [`check::points`]; a point
/// where either side cannot be evaluated accurately is left out, and when every point is,
/// [`Conjugate::unchecked`] says so. Fails only when the two provably differ.
fn verify(f: &Expr, conj: &mut Conjugate) -> Result<(), Error> {
    let sup = Supremum::new(f);
    let mut agreed = 0;
    for y in check::points(conj) {
        if check::compare(&sup, conj, y)? == check::Comparison::Agrees {
            agreed += 1;
        }
    }
    conj.unchecked = agreed == 0;
    Ok(())
}

/// The domain of a conjugate without closed form: `(−∞, f'(∞))`, `f'(∞)` estimated.
fn estimated_domain(fp: &Expr) -> Result<Domain, Error> {
    let d = compile(fp, DIVERGENCE_VAR, &Params::new())?;
    let (near, far) = (d.eval(100f64.exp()), d.eval(200f64.exp()));
    let settled =
        near.is_finite() && far.is_finite() && (far - near).abs() <= 1e-9 * 1.0_f64.max(far.abs());
    let upper = if settled {
        Bound::Finite {
            exact: None,
            value: far,
            closed: None,
        }
    } else {
        Bound::Infinite
    };
    Ok(Domain {
        lower: Bound::Infinite,
        upper,
    })
}

/// Half-width of the search interval in `s = log u`: `u ∈ [e^-200, e^200]`.
const SEARCH_HALF_WIDTH: f64 = 200.0;
/// Grid step in `s` for bracketing.
const GRID_STEP: f64 = 0.5;
/// Golden-section stops when the bracket in `s` is narrower than this.
const GOLDEN_TOLERANCE: f64 = 1e-10;
/// Where `h` is sampled to decide a supremum approached as `u → ∞` at `y ≈ f'(∞)`: far enough
/// for the asymptotic regime, near enough that `u·y − f(u)` keeps its digits.
const TAIL_POINTS: [f64; 3] = [3.0, 6.0, 9.0];

/// `f*(y) = sup_{u>0} (u·y − f(u))` numerically, for a convex `f` with no parameters.
///
/// With `s = log u` and `h(s) = e^s·y − f(e^s)`, the slope `y − f'(e^s)` (decreasing for a
/// convex `f`) is sampled on a grid of step `1/2` over `s ∈ [−200, 200]`; its first negative value
/// brackets the maximiser, and golden-section search on `h` refines it to a bracket narrower than
/// `1e-10` (the value is then accurate to about `1e-12` relative, `h` being flat at its maximum).
/// Where the slope is already negative at `u = e^-200` the supremum is the limit `u → 0+`.
///
/// Where the slope is not negative anywhere on the grid (it may round to `0` for large `u`),
/// `y ≥ f'(∞)`:
/// - if the slope exceeds `1e-10·(1 + |y|)` and `f'` has settled (changed by less than `1e-9`
///   relative since `u = e^100`), `y > f'(∞)`: the supremum is `+∞` and **`f64::INFINITY` is
///   returned** (`y` lies outside the domain of `f*`);
/// - if it exceeds that but `f'` is still growing, the maximiser lies beyond `u = e^200` and the
///   call fails;
/// - otherwise `y` is at the end point `f'(∞)`: `h` is sampled at `s = 3, 6, 9`; when its
///   increments shrink at least by half the limit is extrapolated geometrically (exact
///   for `f` with a power-law tail such as Neyman χ² at `y = 1`); when the last increment
///   is not above `0`, or within the rounding bound of the two values (a bound itself below
///   `1e-9·(1 + |h|)`), `h` has settled and its last value is the limit; else it is `+∞`.
///
/// Fails when `y` is not finite, when `f` has a parameter, or when `f'(u)` is not a number at a
/// point of the grid.
pub fn conjugate_value(f: &Expr, y: f64) -> Result<f64, Error> {
    supremum_at(&Supremum::new(f), y)
}

/// `f` and `f'` compiled once for the numeric supremum at several `y` ([`conjugate_value`]),
/// with the values of `f'` on the search grid, which do not depend on `y`.
struct Supremum {
    f: crate::eval::Compiled,
    f_prime: Expr,
    f_prime_compiled: crate::eval::Compiled,
    /// `f'(e^s)` at the first grid points `s = −200, −199.5, …`, as far as a search went.
    grid: std::cell::RefCell<Vec<f64>>,
}

impl Supremum {
    /// Compile `f` and `f'`; fails as [`conjugate_value`] does for such an `f`.
    ///
    /// `f'` is taken in the form the report shows it (a piecewise `f'` written at a clamped
    /// argument where that is shorter): the derivative as it comes, a sum of its pieces'
    /// derivatives, can cancel to nothing (Huber's has terms `±1/(2u)`, `0` in floating point
    /// at `u = e^−200` for a true `1 − e`), and then the search starts at the wrong end.
    fn new(f: &Expr) -> Result<Supremum, Error> {
        check_generator(f)?;
        let compiled = compile(f, DIVERGENCE_VAR, &Params::new())?;
        let f_prime = crate::transform::shown(&diff(f, DIVERGENCE_VAR)?);
        let f_prime_compiled = compile(&f_prime, DIVERGENCE_VAR, &Params::new())?;
        Ok(Supremum {
            f: compiled,
            f_prime,
            f_prime_compiled,
            grid: std::cell::RefCell::new(Vec::new()),
        })
    }

    /// `f'(e^s)` at grid point `i`, `s = −200 + i/2`, computed once for every `y`.
    fn slope_on_grid(&self, i: usize) -> f64 {
        let mut grid = self.grid.borrow_mut();
        while grid.len() <= i {
            let s = -SEARCH_HALF_WIDTH + GRID_STEP * grid.len() as f64;
            grid.push(self.f_prime_compiled.eval(s.exp()));
        }
        grid[i]
    }
}

/// [`conjugate_value`] at `y` of an `f` compiled (or refused) once: the same value, and the same
/// error, as `conjugate_value(f, y)`.
fn supremum_at(sup: &Result<Supremum, Error>, y: f64) -> Result<f64, Error> {
    Ok(match locate(sup, y)? {
        Located::At { value, .. } => value,
        Located::Beyond(value) => value,
    })
}

/// What the search of [`conjugate_value`] found.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Located {
    /// `value = h(s)` at the best point `s = log u` tried: the grid's first point `−200` when
    /// the slope is negative there (the sup is approached as `u → 0+`), else the best point of
    /// the golden-section search.
    At { value: f64, s: f64 },
    /// `h` still increases at `u = e^200`: `+∞`, or a limit extrapolated from the tail.
    Beyond(f64),
}

/// `f*(y)` at a point of a numeric conjugate's domain, when its error is known to be small: the
/// value of [`conjugate_value`] with its error bounded as [`certify`] describes, `None` when
/// the bound is above [`SAMPLE_TOLERANCE`] relative (or the value came from the tail's
/// extrapolation, or a probe was not finite). A value that is `0` within its error, with an
/// error below `SAMPLE_TOLERANCE`, is `0`. Where the value of the search is not within the
/// tolerance but the best probe is, the best probe's value is given.
fn certified_at(sup: &Result<Supremum, Error>, y: f64) -> Result<Option<f64>, Error> {
    let Located::At { value, s } = locate(sup, y)? else {
        return Ok(None);
    };
    let sup = sup.as_ref().map_err(Clone::clone)?;
    let at_grid_end = s == -SEARCH_HALF_WIDTH;
    let Some(enclosed) = certify::enclose(sup, y, s, at_grid_end) else {
        return Ok(None);
    };
    Ok([value, enclosed.best].into_iter().find_map(|v| {
        let error = enclosed.error_of(v);
        if error <= SAMPLE_TOLERANCE * v.abs() {
            Some(v)
        } else if v.abs() <= error && error <= SAMPLE_TOLERANCE {
            Some(0.0)
        } else {
            None
        }
    }))
}

/// The largest error, relative to the value, of a numeric conjugate's value that is shown: it is
/// shown to 12 significant digits, whose last unit is `1e-12` to `1e-11` of the value, so the
/// error is at most half a unit of the last digit and the digits shown are those of the exact
/// value rounded, or next to them.
pub const SAMPLE_TOLERANCE: f64 = 5e-13;

/// The search of [`conjugate_value`]: where the sup is, and its value there.
fn locate(sup: &Result<Supremum, Error>, y: f64) -> Result<Located, Error> {
    if !y.is_finite() {
        return Err(Error::OutOfDomain(format!(
            "the conjugate variable y must be a finite number, found {y}"
        )));
    }
    let sup = sup.as_ref().map_err(Clone::clone)?;
    let Supremum {
        f: fc,
        f_prime: fp,
        f_prime_compiled: dc,
        ..
    } = sup;
    let h = |s: f64| -> Result<f64, Error> {
        let u = s.exp();
        let v = u * y - fc.eval(u);
        Ok(if v.is_nan() { f64::NEG_INFINITY } else { v })
    };
    let slope = |s: f64| -> Result<f64, Error> {
        let u = s.exp();
        let d = dc.eval(u);
        if d.is_nan() {
            return Err(Error::Undefined(format!(
                "f'(u) = {} is not a number at u = {u:e}",
                plain(fp)
            )));
        }
        Ok(y - d)
    };
    let n = (2.0 * SEARCH_HALF_WIDTH / GRID_STEP) as usize;
    let s_at = |i: usize| -SEARCH_HALF_WIDTH + GRID_STEP * i as f64;
    let mut first_down = None;
    for i in 0..=n {
        // `slope(s_at(i))`, with `f'` from the grid.
        let d = sup.slope_on_grid(i);
        if d.is_nan() {
            return Err(Error::Undefined(format!(
                "f'(u) = {} is not a number at u = {:e}",
                plain(fp),
                s_at(i).exp()
            )));
        }
        if y - d < 0.0 {
            first_down = Some(i);
            break;
        }
    }
    match first_down {
        Some(0) => Ok(Located::At {
            value: h(s_at(0))?,
            s: s_at(0),
        }),
        Some(i) => {
            let mut best = golden_max(&h, s_at(i - 1), s_at(i))?;
            for s in [s_at(i - 1), s_at(i)] {
                let value = h(s)?;
                if value > best.0 {
                    best = (value, s);
                }
            }
            Ok(Located::At {
                value: best.0,
                s: best.1,
            })
        }
        None => {
            // a bound on the rounding of `h(s)`: that of `f`, of `u·y` and of the difference
            let noise = |s: f64| {
                let u = s.exp();
                let (value, error) = fc.eval_with_error(u, 0.0);
                error + 2.0 * f64::EPSILON * ((u * y).abs() + (u * y - value).abs())
            };
            Ok(Located::Beyond(upper_end(y, &h, &slope, &noise)?))
        }
    }
}

/// The supremum when `h` is still increasing at `u = e^200`; see [`conjugate_value`].
fn upper_end(
    y: f64,
    h: &impl Fn(f64) -> Result<f64, Error>,
    slope: &impl Fn(f64) -> Result<f64, Error>,
    noise: &impl Fn(f64) -> f64,
) -> Result<f64, Error> {
    let far = slope(SEARCH_HALF_WIDTH)?;
    if far > 1e-10 * (1.0 + y.abs()) {
        let near = slope(SEARCH_HALF_WIDTH / 2.0)?;
        let settled = far.is_finite() && (far - near).abs() <= 1e-9 * 1.0_f64.max((y - far).abs());
        if settled || far == f64::INFINITY {
            return Ok(f64::INFINITY);
        }
        return Err(Error::LimitExceeded(format!(
            "the supremum of u*y - f(u) at y = {y} lies beyond u = e^200"
        )));
    }
    let [a, b, c] = TAIL_POINTS;
    let (ha, hb, hc) = (h(a)?, h(b)?, h(c)?);
    let (d1, d2) = (hb - ha, hc - hb);
    // An increment within the rounding of the two values it is the difference of is none,
    // when that rounding is small (Huber's `h` is `1` for every `u > e` at `y = 1 − 1/e`).
    let rounding = noise(b) + noise(c);
    let still = d2 <= rounding && rounding <= 1e-9 * (1.0 + hc.abs());
    if d2 <= 0.0 || still {
        return Ok(hc);
    }
    if d2 <= 0.5 * d1 {
        let r = d2 / d1;
        return Ok(hc + d2 * r / (1.0 - r));
    }
    Ok(f64::INFINITY)
}

/// The maximum of a unimodal `h` on `[lo, hi]` by golden-section search, and where it was
/// found.
fn golden_max(
    h: &impl Fn(f64) -> Result<f64, Error>,
    mut lo: f64,
    mut hi: f64,
) -> Result<(f64, f64), Error> {
    let r = (5f64.sqrt() - 1.0) / 2.0;
    let mut x1 = hi - r * (hi - lo);
    let mut x2 = lo + r * (hi - lo);
    let (mut h1, mut h2) = (h(x1)?, h(x2)?);
    let mut best = (f64::NEG_INFINITY, x1);
    let keep = |value: f64, at: f64, best: &mut (f64, f64)| {
        if value > best.0 {
            *best = (value, at);
        }
    };
    keep(h1, x1, &mut best);
    keep(h2, x2, &mut best);
    for _ in 0..200 {
        if hi - lo <= GOLDEN_TOLERANCE {
            break;
        }
        if h1 < h2 {
            lo = x1;
            x1 = x2;
            h1 = h2;
            x2 = lo + r * (hi - lo);
            h2 = h(x2)?;
        } else {
            hi = x2;
            x2 = x1;
            h2 = h1;
            x1 = hi - r * (hi - lo);
            h1 = h(x1)?;
        }
        keep(h1, x1, &mut best);
        keep(h2, x2, &mut best);
    }
    Ok(best)
}

mod certify;
mod check;
mod nonconvex;
mod numeric;
mod piecewise;
mod shifted;

pub(crate) use nonconvex::of_convex_only;

#[cfg(test)]
mod tests;

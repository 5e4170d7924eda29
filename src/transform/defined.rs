//! An input undefined on part of its domain is refused before anything is derived from it.
//!
//! A generator `f` must be defined for every `u > 0` and a loss `g` for every real `t`: the
//! divergence averages `f(q/pθ)` over every ratio a model can produce, and the gradient check,
//! the tails and the conjugate read the input everywhere. The simplifier refuses a part
//! undefined for every value (`log(-u)`), the transform one undefined where the model matches
//! the target (`log(u - 1)` at `u = 1`); here a part undefined anywhere else is refused, so that
//! `-log(3 - u)` is not "proved convex" and then fails in the gradient check with a NaN.
//!
//! A refusal needs a proof, and anything undecided passes as before:
//!
//! - an argument that is a rational function of the variable with rational real roots
//!   ([`sign_region`]) gives the exact set where its condition fails: `log(3 - u)` for `u ≥ 3`;
//!   a zero of one with irrational roots is bracketed by a sign change of the square-free
//!   numerator (`1/(u^2 - 2)` at `u ≈ 1.41421356`);
//! - any other argument is evaluated at a few points with its propagated rounding bound
//!   ([`crate::eval::Compiled::eval_with_error`]), and fails only beyond that bound;
//! - a single point (a zero of a denominator, `log` of a square) is refused only where it is a
//!   pole of the whole input: from the part up to the input each node is a sum whose other terms
//!   are defined there, a product whose other factors are defined and non-zero there, `abs` or a
//!   positive integer power. `sinh(t - 1)/(t - 1)` and `(u^2 - 4)/(u - 2)` are 0/0 there, and
//!   pass, as they did. At an irrational root "defined" and "non-zero" are read exactly: a
//!   rational function with no common factor with the root's polynomial, or a term the
//!   simplifier knows to be defined everywhere (and non-zero: `exp(u)`). At most [`WORK`] terms
//!   are examined per input.

use crate::Error;
use crate::eval::{Params, compile};
use crate::expr::{DIVERGENCE_VAR, Expr, Func};
use crate::family::regions::Region;
use crate::family::regions::ratfun::{fraction, poly_expr, sign_region};
use crate::integrate::poly::Poly;
use crate::simplify::{Assumptions, simplify};
use num_rational::BigRational;
use num_traits::{Signed, Zero};
use std::cmp::Ordering;

/// What a part of an input needs of its argument (of its base, for a power).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Need {
    /// `log(a)`: `a > 0`.
    PositiveArgument,
    /// `a^r` with `r < 0` not an integer: `a > 0`.
    PositiveBase,
    /// `sqrt(a)`: `a ≥ 0`.
    NonnegArgument,
    /// `a^r` with `r > 0` not an integer: `a ≥ 0`.
    NonnegBase,
    /// `a^n`, `n` a negative integer: `a ≠ 0`.
    Nonzero,
    /// `Li2(a)`: `a ≤ 1`.
    AtMostOne,
    /// `lambertw(a)`: `a ≥ −1/e`.
    AboveBranch,
    /// `tan(a)`: `cos(a) ≠ 0`.
    CosineNonzero,
}

/// A rational just above `1/e = 0.36787944…`: `a < −3679/10000` puts `a` below the branch
/// point of `lambertw`.
const ABOVE_INV_E: (i64, i64) = (3679, 10000);

impl Need {
    /// What the part needs, after its backquoted text.
    fn phrase(self) -> &'static str {
        match self {
            Need::PositiveArgument => "needs a positive argument",
            Need::PositiveBase => "needs a positive base",
            Need::NonnegArgument => "needs a non-negative argument",
            Need::NonnegBase => {
                "needs a non-negative base (a non-integer power is real only there)"
            }
            Need::Nonzero => "divides by zero",
            Need::AtMostOne => "needs an argument of at most 1",
            Need::AboveBranch => "needs an argument of at least -1/e",
            Need::CosineNonzero => "has a pole there",
        }
    }

    /// The quantity whose sign decides, and the signs where the need fails.
    fn failing(self, a: &Expr) -> (Expr, fn(Ordering) -> bool) {
        match self {
            Need::PositiveArgument | Need::PositiveBase => (a.clone(), |o| o != Ordering::Greater),
            Need::NonnegArgument | Need::NonnegBase => (a.clone(), |o| o == Ordering::Less),
            Need::Nonzero => (a.clone(), |o| o == Ordering::Equal),
            Need::AtMostOne => (a.clone() - Expr::one(), |o| o == Ordering::Greater),
            Need::AboveBranch => (a.clone() + Expr::ratio(ABOVE_INV_E.0, ABOVE_INV_E.1), |o| {
                o == Ordering::Less
            }),
            // not read from a sign: see `tan_pole`
            Need::CosineNonzero => (a.clone(), |_| false),
        }
    }

    /// Whether the failing set read off [`Need::failing`] is the exact one (`−1/e` is not a
    /// rational number: for `lambertw` it is a part of it, so a point of it is reported).
    fn exact(self) -> bool {
        self != Need::AboveBranch
    }

    /// Whether the need is known to hold everywhere from the signs the simplifier knows.
    fn known(self, a: &Expr, facts: &Assumptions) -> bool {
        match self {
            Need::PositiveArgument | Need::PositiveBase => facts.is_positive(a),
            Need::NonnegArgument | Need::NonnegBase => facts.is_nonneg(a),
            Need::Nonzero => facts.is_nonzero(a),
            Need::AtMostOne => facts.is_nonpos(a),
            Need::AboveBranch => facts.is_nonneg(a),
            Need::CosineNonzero => false,
        }
    }

    /// Whether the value `v`, within `bound`, certainly fails the need (strictly: a zero is
    /// decided exactly, by [`zero_at`]).
    fn fails_at(self, v: f64, bound: f64) -> bool {
        let margin = 2.0 * bound;
        match self {
            Need::PositiveArgument
            | Need::PositiveBase
            | Need::NonnegArgument
            | Need::NonnegBase => v + margin < 0.0,
            Need::Nonzero | Need::CosineNonzero => false,
            Need::AtMostOne => v - margin > 1.0,
            Need::AboveBranch => v + margin < -(ABOVE_INV_E.0 as f64) / (ABOVE_INV_E.1 as f64),
        }
    }

    /// Whether a zero of the argument is a point where the part is undefined.
    fn fails_at_zero(self) -> bool {
        matches!(
            self,
            Need::PositiveArgument | Need::PositiveBase | Need::Nonzero
        )
    }
}

/// A part of an input, undefined on a set of values of its variable.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Undefined {
    /// The part, as simplified (`log(-u + 3)`).
    pub part: Expr,
    /// Where it is undefined.
    pub at: Where,
    need: Need,
}

/// Where a part is undefined.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Where {
    /// The exact set, or a point of it (for `lambertw`, or an argument that is not rational).
    Set(Region),
    /// An irrational root of a polynomial, in a bracket.
    Root(Root),
    /// A point where `cos` of the argument of `tan` is zero, between two numbers at which it has
    /// opposite signs.
    Between(f64, f64),
}

/// A simple real root of a polynomial (monic, square-free), between two rationals.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Root {
    /// The polynomial.
    pub poly: Poly,
    /// The bracket `lo < x < hi`: the polynomial has opposite signs at its ends.
    pub lo: BigRational,
    /// The upper end of the bracket.
    pub hi: BigRational,
}

impl Root {
    /// The root as a person reads it, to about nine digits: `1.41421356`, `−1.73205081`.
    fn approx(&self) -> String {
        approx(crate::expr::number::rational_to_f64(
            &((&self.lo + &self.hi) / BigRational::from_integer(2.into())),
        ))
    }
}

/// `x` to about nine digits, with the minus sign U+2212.
fn approx(x: f64) -> String {
    let magnitude = x.abs().log10().floor();
    let decimals = if magnitude.is_finite() {
        (8.0 - magnitude).clamp(0.0, 20.0) as usize
    } else {
        8
    };
    format!("{x:.decimals$}").replace('-', "−")
}

impl Undefined {
    /// `for u ≥ 3: `log(-u + 3)` needs a positive argument` (`at u = 1/2` for a single point).
    fn text(&self, var: &str) -> String {
        let place = match &self.at {
            Where::Set(set) if set.as_points().is_some() => format!("at {}", set.text(var)),
            Where::Set(set) => format!("for {}", set.text(var)),
            Where::Between(lo, hi) => match &self.part {
                Expr::Func(_, a) => format!(
                    "at {var} ≈ {} (where cos({}) = 0)",
                    approx(0.5 * (lo + hi)),
                    crate::print::plain(a)
                ),
                _ => format!("at {var} ≈ {}", approx(0.5 * (lo + hi))),
            },
            Where::Root(root) => format!(
                "at {var} ≈ {} (a root of {})",
                root.approx(),
                crate::print::plain(&simplify_or_same(&poly_expr(&root.poly, var)))
            ),
        };
        format!(
            "{place}: `{}` {}",
            crate::print::plain(&self.part),
            self.need.phrase()
        )
    }
}

/// Refuse `e`, a function of `var` (`u` for a generator, `t` for a loss) called `what` in the
/// message, when some part of it is proved undefined somewhere in the variable's domain:
/// [`Error::Undefined`], with a help line saying what an input must be.
#[inline(never)]
pub(crate) fn defined_everywhere(e: &Expr, var: &str, what: &str) -> Result<(), Error> {
    let Some(found) = undefined_part(e, var) else {
        return Ok(());
    };
    let help = if var == DIVERGENCE_VAR {
        "a generator f(u) must be defined for every u > 0 (u is the ratio q/pθ)"
    } else {
        "a loss g(t) must be defined for every real t (t is the residual)"
    };
    Err(Error::Undefined(format!(
        "{what} is undefined {}\n  = help: {help}",
        found.text(var)
    )))
}

/// The first part of `e` (innermost first) proved undefined somewhere in the domain of `var`.
pub(crate) fn undefined_part(e: &Expr, var: &str) -> Option<Undefined> {
    let facts = Assumptions::default();
    let work = std::cell::Cell::new(WORK);
    let mut found = None;
    visit(e, &mut Vec::new(), &mut |part, above| {
        if found.is_some() {
            return;
        }
        let Some((need, a)) = restricted(part) else {
            return;
        };
        if !a.contains_sym(var) || need.known(a, &facts) {
            return;
        }
        found = exactly(above, part, a, need, var, &work)
            .unwrap_or_else(|| sampled(above, part, a, need, var, &work));
    });
    found
}

/// Every node of `e`, children before their parent, with the nodes above it (`e` first).
fn visit<'a>(e: &'a Expr, above: &mut Vec<&'a Expr>, f: &mut dyn FnMut(&'a Expr, &[&'a Expr])) {
    above.push(e);
    match e {
        Expr::Add(xs) | Expr::Mul(xs) => xs.iter().for_each(|x| visit(x, above, f)),
        Expr::Pow(b, x) => {
            visit(b, above, f);
            visit(x, above, f);
        }
        Expr::Func(_, a) => visit(a, above, f),
        Expr::Func2(_, a, b) => {
            visit(a, above, f);
            visit(b, above, f);
        }
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => {}
    }
    above.pop();
    f(e, above);
}

/// The need of `e` and its argument, when `e` is defined only for some values of it.
fn restricted(e: &Expr) -> Option<(Need, &Expr)> {
    match e {
        Expr::Func(Func::Log, a) => Some((Need::PositiveArgument, a)),
        Expr::Func(Func::Li2, a) => Some((Need::AtMostOne, a)),
        Expr::Func(Func::LambertW, a) => Some((Need::AboveBranch, a)),
        Expr::Func(Func::Tan, a) => Some((Need::CosineNonzero, a)),
        Expr::Pow(b, x) => {
            let r = x.as_num()?;
            let half = BigRational::new(1.into(), 2.into());
            let need = if r.is_integer() {
                if !r.is_negative() {
                    return None;
                }
                Need::Nonzero
            } else if *r == half {
                Need::NonnegArgument
            } else if r.is_negative() {
                Need::PositiveBase
            } else {
                Need::NonnegBase
            };
            Some((need, b))
        }
        _ => None,
    }
}

/// The domain of `var`: `u > 0`, or every real `t`.
fn domain(var: &str) -> Region {
    if var == DIVERGENCE_VAR {
        Region::above(BigRational::zero(), false)
    } else {
        Region::all()
    }
}

/// The decision for an argument `a` rational in `var` with rational real roots: `None` when it
/// is not one, `Some(None)` when the need holds everywhere but at points that are no pole of
/// `e`.
fn exactly(
    above: &[&Expr],
    part: &Expr,
    a: &Expr,
    need: Need,
    var: &str,
    work: &Work,
) -> Option<Option<Undefined>> {
    if need == Need::CosineNonzero {
        return None;
    }
    fraction(a, var)?;
    let (q, fails) = need.failing(a);
    let q = simplify(&q).ok()?;
    let bad = match sign_region(&q, var, fails) {
        Ok(bad) => bad.intersect(&domain(var)),
        // an irrational root: a zero of a denominator is bracketed, any other failure is
        // left to the trial points
        Err(_) if need.fails_at_zero() => {
            return at_a_root(above, part, a, need, var, work).map(Some);
        }
        Err(_) => return None,
    };
    if bad.is_empty() {
        return Some(None);
    }
    let at = Where::Set(match bad.as_points() {
        None if need.exact() => bad,
        None => Region::point(bad.sample()?),
        Some(points) => {
            let poles: Vec<BigRational> = points
                .into_iter()
                .filter(|x| pole_of_whole(above, part, var, &At::Exact(x), work))
                .collect();
            if poles.is_empty() {
                return Some(None);
            }
            Region::points(poles)
        }
    });
    Some(Some(Undefined {
        part: part.clone(),
        at,
        need,
    }))
}

/// Points at which an argument that is not rational is tried: simple binary fractions, so that
/// each is exact in `f64` and printed exactly. The matching point is not among them (it is
/// checked on its own).
const U_POINTS: [(i64, i64); 15] = [
    (1, 1024),
    (1, 64),
    (1, 8),
    (1, 4),
    (1, 2),
    (3, 4),
    (3, 2),
    (2, 1),
    (3, 1),
    (4, 1),
    (8, 1),
    (16, 1),
    (64, 1),
    (1024, 1),
    (1 << 20, 1),
];
const T_POINTS: [(i64, i64); 10] = [
    (1, 8),
    (1, 2),
    (1, 1),
    (2, 1),
    (3, 1),
    (4, 1),
    (8, 1),
    (16, 1),
    (64, 1),
    (512, 1),
];

/// The points of [`U_POINTS`] or `±` [`T_POINTS`].
fn trial_points(var: &str) -> Vec<BigRational> {
    let r = |(n, d): (i64, i64)| BigRational::new(n.into(), d.into());
    if var == DIVERGENCE_VAR {
        U_POINTS.into_iter().map(r).collect()
    } else {
        T_POINTS.into_iter().flat_map(|p| [r(p), -r(p)]).collect()
    }
}

/// The decision for any other argument: a trial point where its value fails the need beyond
/// its rounding bound, or where it is exactly zero at a pole of `e`.
fn sampled(
    above: &[&Expr],
    part: &Expr,
    a: &Expr,
    need: Need,
    var: &str,
    work: &Work,
) -> Option<Undefined> {
    if need == Need::CosineNonzero {
        return tan_pole(above, part, a, var, work);
    }
    let program = compile(a, var, &Params::new()).ok()?;
    let found = trial_points(var).into_iter().find(|x| {
        let (v, bound) = program.eval_with_error(crate::expr::number::rational_to_f64(x), 0.0);
        if !(v.is_finite() && bound.is_finite()) {
            return false;
        }
        if need.fails_at(v, bound) {
            return true;
        }
        need.fails_at_zero()
            && v.abs() <= 2.0 * bound
            && zero_at(a, var, x)
            && pole_of_whole(above, part, var, &At::Exact(x), work)
    })?;
    Some(Undefined {
        part: part.clone(),
        at: Where::Set(Region::point(found)),
        need,
    })
}

/// A pole of `tan(a)` that is a pole of the input: two neighbouring trial points where
/// `cos(a)` has opposite signs beyond its rounding bound, `a` defined (so continuous) between
/// them as the simplifier knows it everywhere and has no `sign`, and every node above the part
/// keeping the pole.
fn tan_pole(above: &[&Expr], part: &Expr, a: &Expr, var: &str, work: &Work) -> Option<Undefined> {
    if !Assumptions::default().is_total(a) || has_sign(a) {
        return None;
    }
    let cosine = compile(&Expr::func(Func::Cos, a.clone()), var, &Params::new()).ok()?;
    let mut points: Vec<f64> = trial_points(var)
        .iter()
        .map(crate::expr::number::rational_to_f64)
        .collect();
    points.sort_by(f64::total_cmp);
    let sign = |x: f64| {
        let (v, bound) = cosine.eval_with_error(x, 0.0);
        (v.is_finite() && bound.is_finite() && v.abs() > 2.0 * bound).then_some(v > 0.0)
    };
    let signs: Vec<Option<bool>> = points.iter().map(|x| sign(*x)).collect();
    // the bracket nearest the matching point first
    let anchor = if var == DIVERGENCE_VAR { 1.0 } else { 0.0 };
    let mut brackets: Vec<(f64, f64)> = (1..points.len())
        .filter(|&i| matches!((signs[i - 1], signs[i]), (Some(l), Some(h)) if l != h))
        .map(|i| (points[i - 1], points[i]))
        .collect();
    brackets.sort_by(|x, y| {
        let distance = |(lo, hi): &(f64, f64)| (lo - anchor).abs().min((hi - anchor).abs());
        distance(x).total_cmp(&distance(y))
    });
    let (lo, hi) = brackets.into_iter().next()?;
    if !pole_of_whole(above, part, var, &At::Between, work) {
        return None;
    }
    // narrowed while the sign at the midpoint is certain
    let (mut lo, mut hi) = (lo, hi);
    let low = sign(lo);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        match sign(mid) {
            Some(s) if Some(s) == low => lo = mid,
            Some(_) => hi = mid,
            None => break,
        }
    }
    Some(Undefined {
        part: part.clone(),
        at: Where::Between(lo, hi),
        need: Need::CosineNonzero,
    })
}

/// Whether `e` has a `sign`, the one function of the language with a jump.
fn has_sign(e: &Expr) -> bool {
    match e {
        Expr::Func(Func::Sign, _) => true,
        Expr::Func(_, a) => has_sign(a),
        Expr::Add(xs) | Expr::Mul(xs) => xs.iter().any(has_sign),
        Expr::Pow(b, x) | Expr::Func2(_, b, x) => has_sign(b) || has_sign(x),
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => false,
    }
}

/// Whether `a` is exactly zero at `var = x`.
fn zero_at(a: &Expr, var: &str, x: &BigRational) -> bool {
    simplify(&a.substitute(var, &Expr::Num(x.clone()))).is_ok_and(|v| v.is_zero())
}

/// The value of `e` at `var = x` with its rounding bound, when it is defined there: simplified
/// exactly (which refuses `1/0`, `log(0)`), then evaluated; `None` when either fails or is not
/// finite.
fn value_at(e: &Expr, var: &str, x: &BigRational) -> Option<(Expr, f64, f64)> {
    let exact = simplify(&e.substitute(var, &Expr::Num(x.clone()))).ok()?;
    let program = compile(&exact, var, &Params::new()).ok()?;
    let (v, bound) = program.eval_with_error(0.0, 0.0);
    (v.is_finite() && bound.is_finite()).then_some((exact, v, bound))
}

/// How many terms and factors beside a pole are examined for one input, at most: beyond, a
/// pole is not decided (a sum of thousands of poles costs no more than a few hundred
/// evaluations).
const WORK: usize = 512;

/// The examinations left, of [`WORK`].
type Work = std::cell::Cell<usize>;

/// A point at which a part may be a pole.
enum At<'a> {
    /// A rational point.
    Exact(&'a BigRational),
    /// An irrational root of a polynomial.
    Root(&'a Root),
    /// A point not known exactly.
    Between,
}

/// Whether a part unbounded near the point `at` makes the input unbounded there: every node
/// `above` it, from its parent up, keeps it so (see the module documentation).
fn pole_of_whole(above: &[&Expr], part: &Expr, var: &str, at: &At, work: &Work) -> bool {
    let mut child = part;
    for node in above.iter().rev() {
        let keeps = match node {
            Expr::Add(xs) | Expr::Mul(xs) => {
                let product = matches!(node, Expr::Mul(_));
                xs.iter()
                    .all(|c| std::ptr::eq(c, child) || bounded_there(c, var, at, product, work))
            }
            Expr::Func(Func::Abs, _) => true,
            Expr::Pow(b, k) => {
                std::ptr::eq(&**b, child)
                    && k.as_num()
                        .is_some_and(|k| k.is_integer() && k.is_positive())
            }
            _ => false,
        };
        if !keeps {
            return false;
        }
        child = node;
    }
    true
}

/// Whether `c`, a term beside a pole in a sum, is defined (so bounded) near the point, and,
/// as a factor beside it in a product (`nonzero`), also non-zero there.
fn bounded_there(c: &Expr, var: &str, at: &At, nonzero: bool, work: &Work) -> bool {
    if work.get() == 0 {
        return false;
    }
    work.set(work.get() - 1);
    if !c.contains_sym(var) {
        // a constant (`-tan(1)`, `log(2)`): its value, wherever the point is
        return constant_value(c).is_some_and(|(v, bound)| !nonzero || v.abs() > 2.0 * bound);
    }
    match at {
        At::Exact(x) => value_at(c, var, x).is_some_and(|(exact, v, bound)| {
            !nonzero
                || exact
                    .as_num()
                    .map_or(v.abs() > 2.0 * bound, |n| !n.is_zero())
        }),
        // No common factor with the root's polynomial: no zero of either at the root.
        At::Root(root) => match fraction(c, var) {
            Some((n, d)) => {
                let apart = |p: &Poly| !p.is_zero() && p.gcd(&root.poly).degree() == 0;
                apart(&d) && (!nonzero || apart(&n))
            }
            None => total_there(c, nonzero),
        },
        At::Between => total_there(c, nonzero),
    }
}

/// The value of the constant `c` with its rounding bound, when both are finite (exactly `0 ± 0`
/// for the number zero).
fn constant_value(c: &Expr) -> Option<(f64, f64)> {
    if let Some(n) = c.as_num() {
        return Some((crate::expr::number::rational_to_f64(n), 0.0))
            .filter(|(v, _)| v.is_finite() && (*v != 0.0 || n.is_zero()));
    }
    let program = compile(c, DIVERGENCE_VAR, &Params::new()).ok()?;
    let (v, bound) = program.eval_with_error(0.0, 0.0);
    (v.is_finite() && bound.is_finite()).then_some((v, bound))
}

/// Whether the simplifier knows `c` defined everywhere (and, with `nonzero`, non-zero).
fn total_there(c: &Expr, nonzero: bool) -> bool {
    let facts = Assumptions::default();
    facts.is_total(c) && (!nonzero || facts.is_nonzero(c))
}

/// A zero of `a`, rational in `var` with an irrational root somewhere, that is a pole of `e`:
/// a rational root, or a simple root bracketed by a sign change.
fn at_a_root(
    above: &[&Expr],
    part: &Expr,
    a: &Expr,
    need: Need,
    var: &str,
    work: &Work,
) -> Option<Undefined> {
    let (n, d) = fraction(a, var)?;
    if n.is_zero() || n.degree() == 0 {
        return None;
    }
    // the distinct roots of the numerator that are not roots of the denominator
    let mut s = n.div_exact(&n.gcd(&n.derivative()))?.monic();
    let common = s.gcd(&d);
    if common.degree() > 0 {
        s = s.div_exact(&common)?;
    }
    let dom = domain(var);
    let found = |at: Where| {
        Some(Undefined {
            part: part.clone(),
            at,
            need,
        })
    };
    for r in s.rational_roots()? {
        s = s.div_exact(&Poly::new(vec![
            -r.clone(),
            BigRational::from_integer(1.into()),
        ]))?;
        if dom.contains(&r) && pole_of_whole(above, part, var, &At::Exact(&r), work) {
            return found(Where::Set(Region::point(r)));
        }
    }
    if s.degree() == 0 {
        return None;
    }
    let grid = root_grid(&s, var);
    for w in grid.windows(2) {
        let (lo, hi) = (&w[0], &w[1]);
        if s.eval(lo).signum() * s.eval(hi).signum() < BigRational::zero() {
            let root = narrowed(&s, lo.clone(), hi.clone());
            if pole_of_whole(above, part, var, &At::Root(&root), work) {
                return found(Where::Root(root));
            }
        }
    }
    None
}

/// Points of the domain of `var` below the roots' bound `1 + max |cᵢ|` of the monic `s`
/// (Cauchy's), increasing: 64 even steps and halvings towards zero.
fn root_grid(s: &Poly, var: &str) -> Vec<BigRational> {
    let one = BigRational::from_integer(1.into());
    let bound = s
        .coeffs()
        .iter()
        .map(Signed::abs)
        .fold(BigRational::zero(), |m, c| if c > m { c } else { m })
        + &one;
    let mut out: Vec<BigRational> = (1..=64)
        .map(|k| &bound * BigRational::new(k.into(), 64.into()))
        .chain(
            (7..=40)
                .map(|j| &bound / BigRational::from_integer(num_bigint::BigInt::from(2).pow(j))),
        )
        .collect();
    if var != DIVERGENCE_VAR {
        let negatives: Vec<BigRational> = out.iter().map(|x| -x).collect();
        out.extend(negatives);
        out.push(BigRational::zero());
    }
    out.sort();
    out
}

/// The bracket `(lo, hi)` of a root of `s` narrowed by bisection to a width of about `2^-48`
/// of its size.
fn narrowed(s: &Poly, mut lo: BigRational, mut hi: BigRational) -> Root {
    let two = BigRational::from_integer(2.into());
    let low_sign = s.eval(&lo).signum();
    for _ in 0..60 {
        let mid = (&lo + &hi) / &two;
        let sign = s.eval(&mid).signum();
        if sign.is_zero() {
            break;
        }
        if sign == low_sign {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Root {
        poly: s.clone(),
        lo,
        hi,
    }
}

/// `e` simplified, or as it is.
fn simplify_or_same(e: &Expr) -> Expr {
    simplify(e).unwrap_or_else(|_| e.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::LOSS_VAR;

    /// The message for `input` (a generator when it is written in `u`), or `None` when it
    /// passes.
    fn verdict(input: &str) -> Option<String> {
        let e = simplify(&crate::parse::parse(input).unwrap()).unwrap();
        let (var, what) = if e.contains_sym(DIVERGENCE_VAR) {
            (DIVERGENCE_VAR, "the generator")
        } else {
            (LOSS_VAR, "the loss")
        };
        defined_everywhere(&e, var, what)
            .err()
            .map(|err| err.to_string())
    }

    #[track_caller]
    fn passes(input: &str) {
        assert_eq!(verdict(input), None, "{input}");
    }

    #[test]
    fn refused() {
        let cases = [
            "abs(u-1) - log(3-u)",
            "-log(3-u) + u/3 - 2/3 + log(2)",
            "sqrt(2-u)",
            "1/(u-2)",
            "(u - 2)^(1/3)",
            "(2 - u)^(-3/2)",
            "Li2(u)",
            "lambertw(-u/4)",
            "log(u^2 - 3*u + 9/4)",
            "log(2/(3 - u))",
            "log(4 - exp(u))",
            "1/log(u/2)",
            "u*log(u) + 1/(u - 1/2)^2",
            "1/(t-1/2)^2",
            "sqrt(1-t^2)",
            "log(t + 5)",
            "t^2 + 1/(t + 3)",
            "Li2(exp(t)) - Li2(1) + t",
            "lambertw(t)",
            "log(2 + sin(t) - exp(t))",
            "1/(u^2 - 2)",
            "u*log(u) + exp(u)/(u^3 - 3*u - 3)",
            "t^2 + 1/(t^2 - 3)^2",
            "1/(t^3 - 2) + sqrt(1 + t^2)",
            "1/(u^2 - 4)",
            "tan(t)",
            "u^2 + tan(u^2)",
            "exp(t)*tan(2*t)/3",
            "tan(u) - tan(1)",
            "1/(u^2 - 2) - 1/(1 - 2) + log(3)*u",
        ];
        let out: Vec<String> = cases
            .iter()
            .map(|c| format!("{c}\n  {}", verdict(c).unwrap_or_else(|| "passes".into())))
            .collect();
        insta::assert_snapshot!(out.join("\n"));
    }

    #[test]
    fn accepted() {
        // defined everywhere, or undecided
        passes("t^2");
        passes("u*log(u)");
        passes("-log(u)");
        passes("sqrt(u)");
        passes("(sqrt(u) - 1)^2");
        passes("log(cosh(t))");
        passes("sqrt(1 + t^2) - 1");
        passes("-Li2(-exp(t)) - pi^2/12 - 2*log(2)");
        passes("lambertw(u) - lambertw(1)");
        passes("(u - 1)^2/u");
        passes("u*log(u) - (u + 1)*log((1 + u)/2)");
        passes("log(1 + t^2)");
        passes("t*sigmoid(t)");
        // removable-looking: 0/0 at the point, as fcorr accepts them
        passes("sinh(t - 1)/(t - 1)");
        passes("(u^2 - 4)/(u - 2)");
        passes("(u - 2)/log(u/2)");
        passes("sin(t - 3)/(t - 3) - sin(-3)/(-3)");
        // two poles that may cancel in a sum are not decided
        passes("1/(u - 2) - 4/(u^2 - 4)");
        // a pole inside a function that may be bounded near it
        passes("exp(-1/(t - 2)^2)");
        passes("atan(1/(t - 2))");
        // the border of the domain of a function is in it
        passes("sqrt(abs(t))");
        passes("Li2(1 - u^2)");
        passes("sin(u^2 - 2)/(u^2 - 2)");
        passes("(t^2 - 2)/(t^4 - t^2 - 2)");
        passes("1/(u^2 + 1)");
        passes("1/(t^2 + t + 1)");
        // no pole, or one that may cancel
        passes("atan(t)");
        passes("tan(atan(t)/2)");
        passes("tan(sign(t) + 1) - tan(1)");
        passes("tan(t)*cos(t)");
    }

    /// Where a refusal names a rational point (the simplest of its set), the input computed
    /// there is not finite: the refusal is never a claim the evaluator contradicts. And an input
    /// of these shapes that is not refused is finite on a grid of its domain.
    #[test]
    fn every_refusal_is_undefined_at_its_point() {
        let mut inputs: Vec<String> = Vec::new();
        for a in -3..=3 {
            for b in -3..=3 {
                for shape in [
                    "log({a}*u + {b} + u^2)",
                    "sqrt({a}*u + {b})",
                    "1/({a}*u + {b})",
                    "(u^2 + {a}*u + {b})^(-3/2)",
                    "Li2({a}*u + {b})",
                    "lambertw({a}*u + {b})",
                    "log({a}*t + {b})",
                    "1/({a}*t^2 + {b})^2",
                    "sqrt({a}*t^2 + {b}*t + 1)",
                    "log({b} + exp({a}*t))",
                    "tan({a}*t/4 + {b}/8)",
                ] {
                    inputs.push(
                        shape
                            .replace("{a}", &a.to_string())
                            .replace("{b}", &b.to_string()),
                    );
                }
            }
        }
        let mut refused = 0;
        for input in &inputs {
            let Ok(e) = simplify(&crate::parse::parse(input).unwrap()) else {
                continue; // undefined everywhere: the simplifier's error
            };
            let var = if e.contains_sym(DIVERGENCE_VAR) {
                DIVERGENCE_VAR
            } else {
                LOSS_VAR
            };
            let Some(found) = undefined_part(&e, var) else {
                // not refused: finite on a grid of the domain (but at the matching point,
                // checked on its own)
                let program = compile(&e, var, &Params::new()).unwrap();
                let lo = if var == DIVERGENCE_VAR { 0.0 } else { -50.0 };
                let bad = (1..4000)
                    .map(|k| lo + (50.0 - lo) * f64::from(k) / 4000.0)
                    .find(|x| *x != 0.0 && *x != 1.0 && !program.eval(*x).is_finite());
                assert_eq!(bad, None, "{input} is not refused");
                continue;
            };
            refused += 1;
            let Where::Set(set) = &found.at else {
                continue;
            };
            let x = set.sample().unwrap();
            let value = compile(&e, var, &Params::new())
                .unwrap()
                .eval(crate::expr::number::rational_to_f64(&x));
            assert!(!value.is_finite(), "{input} at {var} = {x}: {value}");
        }
        assert!(
            refused > inputs.len() / 3,
            "{refused} of {} refused",
            inputs.len()
        );
    }
}

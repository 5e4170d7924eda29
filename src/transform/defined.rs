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
//! - any other argument is evaluated at a few points with its propagated rounding bound
//!   ([`crate::eval::Compiled::eval_with_error`]), and fails only beyond that bound;
//! - a single point (a zero of a denominator, `log` of a square) is refused only where it is a
//!   pole of the whole input: from the part up to the input each node is a sum whose other terms
//!   are defined there, a product whose other factors are defined and non-zero there, `abs` or a
//!   positive integer power. `sinh(t - 1)/(t - 1)` and `(u^2 - 4)/(u - 2)` are 0/0 there, and
//!   pass, as they did.

use crate::Error;
use crate::eval::{Params, compile};
use crate::expr::{DIVERGENCE_VAR, Expr, Func};
use crate::family::regions::Region;
use crate::family::regions::ratfun::{fraction, sign_region};
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
            Need::Nonzero => false,
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
    /// Where it is undefined: the exact set, or a point of it.
    pub at: Region,
    need: Need,
}

impl Undefined {
    /// `for u ≥ 3: `log(-u + 3)` needs a positive argument` (`at u = 1/2` for a single point).
    fn text(&self, var: &str) -> String {
        let word = if self.at.as_points().is_some() {
            "at"
        } else {
            "for"
        };
        format!(
            "{word} {}: `{}` {}",
            self.at.text(var),
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
    let mut found = None;
    visit(e, &mut |part| {
        if found.is_some() {
            return;
        }
        let Some((need, a)) = restricted(part) else {
            return;
        };
        if !a.contains_sym(var) || need.known(a, &facts) {
            return;
        }
        found = exactly(e, part, a, need, var).unwrap_or_else(|| sampled(e, part, a, need, var));
    });
    found
}

/// Every node of `e`, children before their parent.
fn visit<'a>(e: &'a Expr, f: &mut dyn FnMut(&'a Expr)) {
    match e {
        Expr::Add(xs) | Expr::Mul(xs) => xs.iter().for_each(|x| visit(x, f)),
        Expr::Pow(b, x) => {
            visit(b, f);
            visit(x, f);
        }
        Expr::Func(_, a) => visit(a, f),
        Expr::Func2(_, a, b) => {
            visit(a, f);
            visit(b, f);
        }
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => {}
    }
    f(e);
}

/// The need of `e` and its argument, when `e` is defined only for some values of it.
fn restricted(e: &Expr) -> Option<(Need, &Expr)> {
    match e {
        Expr::Func(Func::Log, a) => Some((Need::PositiveArgument, a)),
        Expr::Func(Func::Li2, a) => Some((Need::AtMostOne, a)),
        Expr::Func(Func::LambertW, a) => Some((Need::AboveBranch, a)),
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
fn exactly(e: &Expr, part: &Expr, a: &Expr, need: Need, var: &str) -> Option<Option<Undefined>> {
    fraction(a, var)?;
    let (q, fails) = need.failing(a);
    let q = simplify(&q).ok()?;
    let bad = sign_region(&q, var, fails).ok()?.intersect(&domain(var));
    if bad.is_empty() {
        return Some(None);
    }
    let at = match bad.as_points() {
        None if need.exact() => bad,
        None => Region::point(bad.sample()?),
        Some(points) => {
            let poles: Vec<BigRational> = points
                .into_iter()
                .filter(|x| pole_of_whole(e, part, var, x) == Some(true))
                .collect();
            if poles.is_empty() {
                return Some(None);
            }
            Region::points(poles)
        }
    };
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
fn sampled(e: &Expr, part: &Expr, a: &Expr, need: Need, var: &str) -> Option<Undefined> {
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
            && pole_of_whole(e, part, var, x) == Some(true)
    })?;
    Some(Undefined {
        part: part.clone(),
        at: Region::point(found),
        need,
    })
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

/// Whether a part unbounded near `var = x` makes `e` unbounded there: `Some(true)` when every
/// node from `part` up to `e` keeps it so (see the module documentation), `Some(false)` when one
/// may not, `None` when `part` is not in `e` (found by address).
fn pole_of_whole(e: &Expr, part: &Expr, var: &str, x: &BigRational) -> Option<bool> {
    if std::ptr::eq(e, part) {
        return Some(true);
    }
    match e {
        Expr::Add(xs) | Expr::Mul(xs) => {
            let (i, inner) = xs
                .iter()
                .enumerate()
                .find_map(|(i, c)| pole_of_whole(c, part, var, x).map(|r| (i, r)))?;
            if !inner {
                return Some(false);
            }
            let product = matches!(e, Expr::Mul(_));
            Some(
                xs.iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .all(|(_, c)| {
                        value_at(c, var, x).is_some_and(|(exact, v, bound)| {
                            !product
                                || exact
                                    .as_num()
                                    .map_or(v.abs() > 2.0 * bound, |n| !n.is_zero())
                        })
                    }),
            )
        }
        Expr::Func(Func::Abs, a) => pole_of_whole(a, part, var, x),
        Expr::Pow(b, k) => {
            let inner = pole_of_whole(b, part, var, x)
                .or_else(|| pole_of_whole(k, part, var, x).map(|_| false))?;
            let positive_integer = k
                .as_num()
                .is_some_and(|k| k.is_integer() && k.is_positive());
            Some(inner && positive_integer)
        }
        Expr::Func(_, a) => pole_of_whole(a, part, var, x).map(|_| false),
        Expr::Func2(_, a, b) => pole_of_whole(a, part, var, x)
            .or_else(|| pole_of_whole(b, part, var, x))
            .map(|_| false),
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => None,
    }
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
    }
}

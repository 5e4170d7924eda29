//! `min` and `max`, the language's functions of two arguments, kept in the canonical form as
//! `min(a, b) = (a + b − |a − b|)/2` and `max(a, b) = (a + b + |a − b|)/2`.
//!
//! Why not a new node: every function of the IR is unary (`Expr::Func(Func, Box<Expr>)`), and
//! dozens of `match`es over `Expr` in the simplifier, differentiator, evaluator, printers,
//! integrator and analyses would each need a binary case. Written with `abs`, `min` and `max`
//! are at once simplified, differentiated (`abs' = sign`, so `min(a, b)' = a'` where `a < b`
//! and `b'` where `a > b`), compared and integrated by the code that already handles `abs`.
//! What the rewrite loses — the shape a person reads, and exact `f64` values (`(a + b − |a − b|)/2`
//! rounds when `a` and `b` differ greatly in size) — is restored by [`find`]: the printers write
//! `min(a, b)` again, and the evaluator and code emitter compute the minimum itself. Only a sum
//! of at most 16 terms with `|a − b|` of at most 4 terms is searched, so that the search stays
//! cheap; beyond, or where simplification has spread the shape over several terms (a derivative
//! such as Huber's), the `abs` form is what is printed and evaluated.

use super::Expr;
use num_rational::BigRational;
use num_traits::Zero;

mod remembered;

/// `min(a, b) = (a + b − |a − b|)/2`.
pub fn min(a: Expr, b: Expr) -> Expr {
    let half = Expr::ratio(1, 2);
    let d = a.clone() - b.clone();
    half.clone() * (a + b) - half * Expr::func(super::Func::Abs, d)
}

/// `max(a, b) = (a + b + |a − b|)/2`.
pub fn max(a: Expr, b: Expr) -> Expr {
    let half = Expr::ratio(1, 2);
    let d = a.clone() - b.clone();
    half.clone() * (a + b) + half * Expr::func(super::Func::Abs, d)
}

/// Which of the two.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `min(a, b)`.
    Min,
    /// `max(a, b)`.
    Max,
}

impl Kind {
    /// `min` or `max`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Min => "min",
            Kind::Max => "max",
        }
    }
}

/// A sum read as `coeff · kind(a, b) + rest`.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    /// `min` or `max`.
    pub kind: Kind,
    /// The exact factor in front.
    pub coeff: BigRational,
    /// The first argument.
    pub a: Expr,
    /// The second argument.
    pub b: Expr,
    /// The other terms of the sum (`0` for none).
    pub rest: Expr,
}

/// How a reading ranks, smaller first: other terms, negated arguments, size of the arguments,
/// a negative factor, a second argument that is not a number.
type Preference = (usize, usize, usize, bool, bool);

/// The longest sum searched for `min`/`max` (each of its `abs` terms is tried, each split
/// rebuilds the sum), so that printing and compiling a long sum stay linear in its length.
const MAX_SUM_TERMS: usize = 16;

/// The largest `|a − b|` split into `a` and `b` that is tried (`2^(n+1)` ways for `n` terms).
const MAX_SPLIT_TERMS: usize = 4;

/// The sum of `terms` as `c·min(a, b) + rest` or `c·max(a, b) + rest`, when one of its terms
/// is `k·|D|` and writing it so leaves fewer other terms than the sum had: `D` is split into
/// `a − b` every way, and `c = ∓2k` with `rest = sum − (c/2)·(a + b) ∓ …`. The choice with the
/// fewest terms in `rest` wins; `None` when nothing gets shorter or the sum has more than
/// `MAX_SUM_TERMS` terms.
///
/// A pure function of `terms`, remembered (in `remembered`): printing and compiling meet the same
/// sums again and again, and each search builds a sum per way of splitting.
pub fn find(terms: &[Expr]) -> Option<Found> {
    if terms.len() > MAX_SUM_TERMS || !terms.iter().any(is_abs_term) {
        return None;
    }
    remembered::find_with(terms, search)
}

/// Whether `t` is `k·|D|`: what [`search`] splits (`t.split_coeff()` leaves an `abs`).
fn is_abs_term(t: &Expr) -> bool {
    match t {
        Expr::Func(super::Func::Abs, _) => true,
        Expr::Mul(xs) => {
            matches!(&xs[..], [Expr::Num(_), Expr::Func(super::Func::Abs, _)])
        }
        _ => false,
    }
}

/// [`find`] without remembering.
fn search(terms: &[Expr]) -> Option<Found> {
    let mut best: Option<(Preference, Found)> = None;
    for (i, t) in terms.iter().enumerate() {
        let (k, rest) = t.split_coeff();
        let Expr::Func(super::Func::Abs, d) = rest else {
            continue;
        };
        let parts: Vec<Expr> = match &*d {
            Expr::Add(xs) => xs.clone(),
            x => vec![x.clone()],
        };
        if parts.len() > MAX_SPLIT_TERMS {
            continue;
        }
        let others = Expr::add(
            terms
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, x)| x.clone())
                .collect(),
        );
        // `|D| = |−D|`: both are split, so that `max(|t| − 1, 0)` is found as well as
        // `−min(1 − |t|, 0)`.
        let negated: Vec<Expr> = parts.iter().map(|p| -p.clone()).collect();
        for (parts, mask) in [&parts, &negated]
            .into_iter()
            .flat_map(|ps| (1..1usize << ps.len()).map(move |m| (ps, m)))
        {
            let (mut a, mut minus_b) = (Vec::new(), Vec::new());
            for (j, p) in parts.iter().enumerate() {
                if mask >> j & 1 == 1 {
                    a.push(p.clone());
                } else {
                    minus_b.push(p.clone());
                }
            }
            let a = Expr::add(a);
            let b = -Expr::add(minus_b);
            for (kind, c) in [(Kind::Min, -&k - &k), (Kind::Max, &k + &k)] {
                let half_c = &c / BigRational::from_integer(2.into());
                let rest = others.clone() - Expr::Num(half_c) * (a.clone() + b.clone());
                // Fewest other terms first, then the fewest negated arguments (`-3*min(|t|, 1)`,
                // not `3*max(-|t|, -1)`), then the smallest arguments (`min(|t|, 1)/2 - |t|`,
                // not `min(1 - |t|, 0)/2 - |t|/2`), then a positive factor (`max(x, 0)`, not
                // `-min(-x, 0)`), then a number second (`min(x, 1)`, not `min(1, x)`).
                let n = (
                    term_count(&rest),
                    usize::from(reads_negative(&a)) + usize::from(reads_negative(&b)),
                    a.size() + b.size(),
                    c < BigRational::zero(),
                    !matches!(b, Expr::Num(_)),
                );
                if n.0 + 1 >= terms.len() || best.as_ref().is_some_and(|(m, _)| *m <= n) {
                    continue;
                }
                let found = Found {
                    kind,
                    coeff: c,
                    a: a.clone(),
                    b: b.clone(),
                    rest,
                };
                best = Some((n, found));
            }
        }
    }
    best.map(|(_, f)| f)
}

/// Whether `e` reads with a leading minus sign (`-t`, `-1`, `-abs(t) + 1`).
fn reads_negative(e: &Expr) -> bool {
    let first = match e {
        Expr::Add(xs) => &xs[0],
        x => x,
    };
    first.split_coeff().0 < BigRational::zero()
}

/// The number of terms of `e` as a sum (`0` for `0`).
fn term_count(e: &Expr) -> usize {
    match e {
        Expr::Add(xs) => xs.len(),
        x if x.is_zero() => 0,
        _ => 1,
    }
}

/// `min(a, b)` or `max(a, b)` of two `f64`s; `NaN` when either is.
pub fn apply(kind: Kind, a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if kind == Kind::Min {
        a.min(b)
    } else {
        a.max(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::print::plain;

    #[track_caller]
    fn prints_as(input: &str, expected: &str) {
        let e = parse(input).unwrap_or_else(|err| panic!("{input}: {err}"));
        assert_eq!(plain(&e), expected, "{input}");
        let back = parse(expected).unwrap_or_else(|err| panic!("{expected}: {err}"));
        assert_eq!(back, e, "{expected} reads back");
    }

    #[test]
    fn printed_back_as_min_and_max() {
        prints_as("min(t, 1)", "min(t, 1)");
        prints_as("max(t, 1)", "max(t, 1)");
        prints_as("max(t, 0)", "max(t, 0)");
        prints_as("(t + abs(t))/2", "max(t, 0)");
        prints_as("2*min(u, 1) - 3", "2*min(u, 1) - 3");
        prints_as("min(abs(t), 1)", "min(abs(t), 1)");
        prints_as("-max(t, 2)/3 + u", "-max(t, 2)/3 + u");
        prints_as("t + abs(t - 1)", "t + abs(t - 1)");
        prints_as("abs(t)", "abs(t)");
        prints_as("max(abs(t) - 1, 0)", "max(abs(t) - 1, 0)");
    }

    #[test]
    fn a_sum_is_searched_once_and_found_the_same() {
        let e = parse("min(abs(t), 1)*(abs(t) - min(abs(t), 1)/2) + max(t - 2, 1/3)").unwrap();
        let crate::expr::Expr::Add(ts) = &e else {
            panic!("{e:?} is a sum");
        };
        let fresh = search(ts);
        assert!(fresh.is_some());
        let before = remembered::SEARCHES.with(|n| n.get());
        assert_eq!(find(ts), fresh);
        assert_eq!(find(ts), fresh);
        assert_eq!(remembered::SEARCHES.with(|n| n.get()), before + 1);
        // without an `abs` term nothing is searched, as nothing can be found
        let plain_sum = parse("t^2 + abs(t)^2 + 1").unwrap();
        let crate::expr::Expr::Add(ts) = &plain_sum else {
            panic!("a sum");
        };
        assert_eq!(find(ts), None);
        assert_eq!(search(ts), None);
        assert_eq!(remembered::SEARCHES.with(|n| n.get()), before + 1);
    }

    #[test]
    fn f64_min_and_max_keep_nan() {
        assert_eq!(apply(Kind::Min, 1.0, 1e-300), 1e-300);
        assert_eq!(apply(Kind::Max, -1.0, 1e300), 1e300);
        assert!(apply(Kind::Min, f64::NAN, 1.0).is_nan());
        assert!(apply(Kind::Max, 1.0, f64::NAN).is_nan());
    }
}

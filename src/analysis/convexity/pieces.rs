//! Convexity of a kinked generator or loss, proved piece by piece.
//!
//! A function with `abs` and `sign` of exact monotone arguments (and so `min` and `max`) is
//! smooth between the arguments' roots. It is convex when, at once,
//! - on every open piece its second derivative is evidently non-negative (the piece's variable
//!   written through a positive `s`: `r + s` beyond the last root, `r − s` before the first,
//!   `(a + b·s)/(1 + s)` between `a` and `b`, so that the proof holds on that piece only);
//! - it is continuous at every root (its two pieces agree there exactly);
//! - its slope never falls at a root: the right piece's derivative minus the left one's, at the
//!   root, is evidently non-negative (`abs(t)`: `1 − (−1) = 2`).
//!
//! Then the slope is non-decreasing on the whole line, which is convexity. The proof is exact
//! or it is not given: whatever is not evident leaves the decision to the scan. A loss is
//! examined in `t` on `ℝ`, a generator in `u` on `(0, ∞)`; `f'' = g''(ln u)/u²` and a rise
//! of `g'` at `t` is `u` times a rise of `f'` at `u = eᵗ`, so either proof is the pair's.

use super::{evidently_nonneg, is_smooth, prove_nonneg_with, tidy};
use crate::diff::diff;
use crate::expr::{DIVERGENCE_VAR, Expr};
use crate::simplify::{Assumptions, simplify};
use crate::transform::defect::{Apart, values_apart};
use num_rational::BigRational;
use num_traits::Zero;

/// One open piece: its ends (`None` for an infinite one; a generator's first piece starts at
/// `u = 0`) and the second derivative on it.
#[derive(Clone, Debug, PartialEq)]
pub struct Piece {
    /// The lower end.
    pub from: Option<BigRational>,
    /// The upper end.
    pub to: Option<BigRational>,
    /// The second derivative on the piece, evidently non-negative there.
    pub second_derivative: Expr,
}

/// A root between two pieces, where the function is continuous and its slope rises by `rise`
/// (zero where the slope is continuous too).
#[derive(Clone, Debug, PartialEq)]
pub struct Kink {
    /// Where.
    pub at: BigRational,
    /// The right derivative minus the left one, exact and evidently non-negative.
    pub rise: Expr,
}

/// The positive variable each piece is written through (no input has it: it is not a name
/// the parser reads).
const S: &str = "s·piece";

/// What the pieces of a kinked function prove.
pub(super) enum Proved {
    /// Convex: every piece's second derivative is evidently non-negative, and the slope rises
    /// or stays at every kink.
    Convex(Vec<Piece>, Vec<Kink>),
    /// Convex, and smooth on the whole domain (every kink is outside it: `abs(u + 1)` for
    /// `u > 0`): the second derivative there, evidently non-negative.
    Smooth(Expr, super::Proof),
    /// Not convex: the function is continuous at this kink and its slope falls there (`rise`
    /// evidently negative).
    Falls(Kink),
    /// Not convex: a generator that jumps at this root (`rise` the jump, exact and not zero); a
    /// convex function is continuous on the open `(0, ∞)`.
    Jumps(Kink),
    /// Not convex: a generator whose value at a root stands apart from the equal limits on
    /// either side (continuity again).
    Apart(Apart),
}

/// What the pieces of `e` in `var` prove; `None` when `e` has no kink with an exact root, or
/// no step of either proof is evident.
pub(super) fn prove(e: &Expr, var: &'static str) -> Option<Proved> {
    let start = if var == DIVERGENCE_VAR {
        (Some(BigRational::zero()), None)
    } else {
        (None, None)
    };
    // A value apart is found among the pieces as split (merged pieces hide a root where they
    // agree: `(u - 1)^2 + sign(u - 2)^2 - 1` is `(u - 1)^2` on both sides of `u = 2`). A loss's
    // is not seen by its gradient, as its jump is not.
    if var == DIVERGENCE_VAR {
        if let Some(apart) = values_apart(e, var).into_iter().next() {
            return Some(Proved::Apart(apart));
        }
    }
    let parts = crate::integrate::kinks::pieces_on(e, var, start)?;
    if parts.iter().any(|(_, p)| !is_smooth(p)) {
        return None;
    }
    if let [(_, only)] = &parts[..] {
        let second = tidy(diff(&simplify(&diff(only, var).ok()?).ok()?, var).ok()?);
        let facts = if var == DIVERGENCE_VAR {
            Assumptions::default()
        } else {
            Assumptions { positive: vec![] }
        };
        let proof = prove_nonneg_with(&second, &facts)?;
        return Some(Proved::Smooth(second, proof));
    }
    let slopes = parts
        .iter()
        .map(|(_, p)| simplify(&diff(p, var).ok()?).ok())
        .collect::<Option<Vec<Expr>>>()?;
    // The kinks first: one where the slope falls decides, whatever the pieces are.
    let mut kinks = Vec::with_capacity(parts.len() - 1);
    for i in 1..parts.len() {
        let at = parts[i].0.0.clone()?;
        let x = Expr::num(at.clone());
        let at_root = |e: &Expr| simplify(&e.substitute(var, &x)).ok();
        let (left, right) = (at_root(&parts[i - 1].1)?, at_root(&parts[i].1)?);
        let gap = simplify(&(right.clone() - left)).ok()?;
        if !gap.is_zero() {
            // A jump of a loss is not seen by its gradient (the pair is derived from `g'`), so
            // only a generator's jump decides.
            let nonzero = evidently_nonneg(&gap, &Assumptions::default())
                || evidently_nonneg(&simplify(&-gap.clone()).ok()?, &Assumptions::default());
            return (var == DIVERGENCE_VAR && nonzero)
                .then_some(Proved::Jumps(Kink { at, rise: gap }));
        }
        // The function's own value at the root must be the pieces' (`abs(t) - sign(t)^2` is `0`
        // at `t = 0`, where both pieces give `-1`): a loss's point apart is left to the scan (a
        // generator's was found above, when its difference is certain).
        let whole = at_root(e)?;
        if !simplify(&(whole - right)).ok()?.is_zero() {
            return None;
        }
        let rise = simplify(&(at_root(&slopes[i])? - at_root(&slopes[i - 1])?)).ok()?;
        let facts = Assumptions::default();
        if !rise.is_zero() && evidently_nonneg(&simplify(&-rise.clone()).ok()?, &facts) {
            return Some(Proved::Falls(Kink { at, rise }));
        }
        kinks.push(Kink { at, rise });
    }
    if !kinks
        .iter()
        .all(|k| evidently_nonneg(&k.rise, &Assumptions::default()))
    {
        return None;
    }
    let positive = Assumptions::with_positive([S]);
    let s = Expr::sym(S);
    let mut pieces = Vec::with_capacity(parts.len());
    for (((from, to), _), slope) in parts.iter().zip(&slopes) {
        let second = tidy(diff(slope, var).ok()?);
        let through = match (from, to) {
            (Some(a), None) => Expr::num(a.clone()) + s.clone(),
            (None, Some(b)) => Expr::num(b.clone()) - s.clone(),
            (Some(a), Some(b)) => {
                (Expr::num(a.clone()) + Expr::num(b.clone()) * s.clone())
                    * (Expr::int(1) + s.clone()).recip()
            }
            (None, None) => return None,
        };
        let on_piece = simplify(&second.substitute(var, &through)).ok()?;
        prove_nonneg_with(&on_piece, &positive)?;
        pieces.push(Piece {
            from: from.clone(),
            to: to.clone(),
            second_derivative: second,
        });
    }
    Some(Proved::Convex(pieces, kinks))
}

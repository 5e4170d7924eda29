//! Integrands with `abs` and `sign` (and so `min` and `max`, stored with `abs`), split at the
//! roots of their arguments.
//!
//! On each interval between consecutive roots every `abs(A)` is `±A` and every `sign(A)` is
//! `±1`, so the pieces are integrated by the rest of the table. An argument is split only
//! where its root and its sign on each side are exact: `A` is a strictly monotone sum of
//! `c·e^{aτ}` and `c·τ` with exact rational `c`, `a`, whose root is rational (`−c₀/c₁` for
//! a linear `A`, `0` when `A(0) = 0`). Nested arguments (Huber's `1 − |τ|`) are resolved
//! innermost first, interval by interval.
//!
//! The pieces `P₀, …, P_m` on `(−∞, r₁), …, (r_m, ∞)`, made continuous, are joined as
//! `F = (P₀ + P_m)/2 + Σ_i (P_i − P_{i−1})·sign(τ − r_i)/2`, which is `P_i` on the `i`-th interval
//! and continuous at every `r_i` (where `P_i − P_{i−1}` vanishes). A jump `D = P_i − P_{i−1}`
//! that is itself a monotone exponential sum through `r_i` is written `e^{aτ}·|D·e^{−aτ}|`
//! instead (`∫ sign(τ)·e^{−τ} = e^{−τ}·|e^τ − 1|`), which is how `abs(t) ↔ abs(u − 1)` and
//! total variation `↔ abs(t)/2` come out in one expression; otherwise the result is piecewise,
//! written with `sign`.

use super::closed::decompose;
use super::table::antiderivative;
use crate::expr::{Expr, Func};
use crate::simplify::{complexity, simplify};
use num_rational::BigRational;
use num_traits::{Signed, Zero};

/// The most intervals an integrand is split into.
const MAX_PIECES: usize = 8;

/// `(root, slope sign)` when `a` is a strictly monotone exponential sum (see the module
/// documentation) with a rational root.
fn monotone_root(a: &Expr, var: &str) -> Option<(BigRational, i8)> {
    let p = decompose(a, var)?;
    let (mut up, mut down) = (false, false);
    let (mut linear, mut at_zero, mut constant) = (
        BigRational::zero(),
        BigRational::zero(),
        BigRational::zero(),
    );
    let mut exponential = false;
    for term in &p.terms {
        let c = term.coeff.as_num()?.clone();
        let slope = match (term.power, term.rate.is_zero()) {
            (0, true) => {
                constant += &c;
                at_zero += &c;
                BigRational::zero()
            }
            (0, false) => {
                exponential = true;
                at_zero += &c;
                &c * &term.rate
            }
            (1, true) => {
                linear += &c;
                c
            }
            _ => return None,
        };
        up |= slope.is_positive();
        down |= slope.is_negative();
    }
    if up == down {
        return None;
    }
    let root = if exponential {
        at_zero.is_zero().then(BigRational::zero)?
    } else {
        -constant / linear
    };
    Some((root, if up { 1 } else { -1 }))
}

/// An `abs` or `sign` of `var` whose argument has none inside.
fn innermost(e: &Expr, var: &str) -> Option<Expr> {
    match e {
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => None,
        Expr::Add(xs) | Expr::Mul(xs) => xs.iter().find_map(|x| innermost(x, var)),
        Expr::Pow(b, x) => innermost(b, var).or_else(|| innermost(x, var)),
        Expr::Func(f, a) => innermost(a, var).or_else(|| {
            (matches!(f, Func::Abs | Func::Sign) && a.contains_sym(var)).then(|| (**a).clone())
        }),
        Expr::Func2(_, a, b) => innermost(a, var).or_else(|| innermost(b, var)),
    }
}

/// `abs(a) → σ·a`, `sign(a) → σ` throughout `e`.
fn resolve(e: &Expr, a: &Expr, sigma: i8) -> Expr {
    let s = Expr::int(i64::from(sigma));
    match e {
        Expr::Func(Func::Abs, x) if **x == *a => s * a.clone(),
        Expr::Func(Func::Sign, x) if **x == *a => s,
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => e.clone(),
        Expr::Add(xs) => Expr::add(xs.iter().map(|x| resolve(x, a, sigma)).collect()),
        Expr::Mul(xs) => Expr::mul(xs.iter().map(|x| resolve(x, a, sigma)).collect()),
        Expr::Pow(b, x) => Expr::pow(resolve(b, a, sigma), resolve(x, a, sigma)),
        Expr::Func(f, x) => Expr::func(*f, resolve(x, a, sigma)),
        Expr::Func2(f, x, y) => Expr::func2(*f, resolve(x, a, sigma), resolve(y, a, sigma)),
    }
}

/// An interval `(lo, hi)`, `None` for an infinite end.
pub(crate) type Interval = (Option<BigRational>, Option<BigRational>);

/// `e` on `interval` as abs- and sign-free pieces, in order, each with its interval.
fn pieces(e: &Expr, var: &str, interval: Interval, out: &mut Vec<(Interval, Expr)>) -> Option<()> {
    if out.len() >= MAX_PIECES {
        return None;
    }
    let Some(a) = innermost(e, var) else {
        out.push((interval, e.clone()));
        return Some(());
    };
    let (root, slope) = monotone_root(&a, var)?;
    let (lo, hi) = interval.clone();
    let inside = lo.as_ref().is_none_or(|l| *l < root) && hi.as_ref().is_none_or(|h| root < *h);
    if inside {
        pieces(e, var, (lo, Some(root.clone())), out)?;
        return pieces(e, var, (Some(root), hi), out);
    }
    let above = lo.as_ref().is_some_and(|l| *l >= root);
    let sigma = if above { slope } else { -slope };
    let resolved = simplify(&resolve(e, &a, sigma)).ok()?;
    pieces(&resolved, var, interval, out)
}

/// `e` as abs- and sign-free pieces on consecutive intervals, adjacent equal pieces merged;
/// `None` unless there are at least two.
fn merged_pieces(e: &Expr, var: &str) -> Option<Vec<(Interval, Expr)>> {
    innermost(e, var)?;
    pieces_on(e, var, (None, None)).filter(|merged| merged.len() >= 2)
}

/// `e` on `interval` as abs- and sign-free pieces on consecutive intervals, every root inside
/// a boundary (adjacent equal pieces kept apart: `u^2 + sign(u - 2)^2` is `u^2 + 1` on both
/// sides of `u = 2`, where its value is `4`); `None` as for [`pieces_on`].
pub(crate) fn split_pieces_on(
    e: &Expr,
    var: &str,
    interval: Interval,
) -> Option<Vec<(Interval, Expr)>> {
    let mut parts = Vec::new();
    pieces(e, var, interval, &mut parts)?;
    Some(parts)
}

/// `e` on `interval` as abs- and sign-free pieces on consecutive intervals, adjacent equal
/// pieces merged (one piece when no argument changes sign inside); `None` when an argument's
/// root or sign is not exact, or past the most pieces.
pub(crate) fn pieces_on(e: &Expr, var: &str, interval: Interval) -> Option<Vec<(Interval, Expr)>> {
    let mut parts = Vec::new();
    pieces(e, var, interval, &mut parts)?;
    let mut merged: Vec<(Interval, Expr)> = Vec::new();
    for (interval, p) in parts {
        match merged.last_mut() {
            Some(last) if last.1 == p => last.0.1 = interval.1,
            _ => merged.push((interval, p)),
        }
    }
    Some(merged)
}

/// `clamp(τ, a, b) = (a + b + |τ − a| − |τ − b|)/2`.
fn clamp(tau: Expr, a: Expr, b: Expr) -> Expr {
    Expr::ratio(1, 2)
        * (a.clone() + b.clone() + Expr::func(Func::Abs, tau.clone() - a)
            - Expr::func(Func::Abs, tau - b))
}

/// `e`, piecewise in `var` with `abs` or `sign`, as one piece of it evaluated at a clamped
/// argument: `P(clamp(τ, a, b))` when the pieces are `P(a)`, `P(τ)`, `P(b)` on `(−∞, a)`,
/// `(a, b)`, `(b, ∞)` (Huber's `g'`: `−1`, `τ`, `1` give `(|τ + 1| − |τ − 1|)/2`), or
/// `P(max(τ, r))`, `P(min(τ, r))` for two pieces one of which is the constant `P(r)`. Each
/// piece is compared exactly (their difference simplifies to zero).
pub fn clamp_form(e: &Expr, var: &str) -> Option<Expr> {
    let merged = merged_pieces(e, var)?;
    let tau = Expr::sym(var);
    let equal = |a: &Expr, b: &Expr| simplify(&(a.clone() - b.clone())).is_ok_and(|d| d.is_zero());
    let at = |p: &Expr, r: &BigRational| p.substitute(var, &Expr::num(r.clone()));
    let (piece, argument) = match &merged[..] {
        [(_, p0), ((Some(a), Some(b)), p1), (_, p2)]
            if !p0.contains_sym(var)
                && !p2.contains_sym(var)
                && equal(&at(p1, a), p0)
                && equal(&at(p1, b), p2) =>
        {
            (p1, clamp(tau, Expr::num(a.clone()), Expr::num(b.clone())))
        }
        [(_, p0), ((Some(r), _), p1)] if !p0.contains_sym(var) && equal(&at(p1, r), p0) => {
            (p1, crate::expr::minmax::max(tau, Expr::num(r.clone())))
        }
        [((_, Some(r)), p0), (_, p1)] if !p1.contains_sym(var) && equal(&at(p0, r), p1) => {
            (p0, crate::expr::minmax::min(tau, Expr::num(r.clone())))
        }
        _ => return None,
    };
    simplify(&piece.substitute(var, &argument)).ok()
}

/// `∫ e d var` for an integrand with `abs` or `sign` of `var` (see the module documentation).
pub fn split(e: &Expr, var: &str) -> Option<Expr> {
    let merged = merged_pieces(e, var)?;
    let mut antiderivatives: Vec<Expr> = Vec::with_capacity(merged.len());
    for (interval, p) in &merged {
        let mut f = antiderivative(p, var)?.expr;
        if let (Some(prev), Some(r)) = (antiderivatives.last(), &interval.0) {
            let at = Expr::num(r.clone());
            let jump = simplify(&(prev.substitute(var, &at) - f.substitute(var, &at))).ok()?;
            f = simplify(&(f + jump)).ok()?;
        }
        antiderivatives.push(f);
    }
    let by_signs = join_with_signs(&merged, &antiderivatives, var)?;
    Some(match clamped(&merged, &antiderivatives, var) {
        Some(c) if complexity(&c) < complexity(&by_signs) => c,
        _ => by_signs,
    })
}

/// The pieces' antiderivatives `F_i` joined as `(F₀ + F_m)/2 + Σ_i (F_i − F_{i−1})·sign(τ − r_i)/2`
/// (or with `abs`, see [`as_abs`]).
fn join_with_signs(
    merged: &[(Interval, Expr)],
    antiderivatives: &[Expr],
    var: &str,
) -> Option<Expr> {
    let tau = Expr::sym(var);
    let first = antiderivatives.first()?.clone();
    let last = antiderivatives.last()?.clone();
    let mut terms = vec![Expr::ratio(1, 2) * (first + last)];
    for (i, (interval, _)) in merged.iter().enumerate().skip(1) {
        let r = interval.0.clone()?;
        let jump = simplify(&(antiderivatives[i].clone() - antiderivatives[i - 1].clone())).ok()?;
        let half = Expr::ratio(1, 2);
        terms.push(match as_abs(&jump, var, &r) {
            Some(abs) => half * abs,
            None => half * jump * Expr::func(Func::Sign, tau.clone() - Expr::num(r)),
        });
    }
    Some(Expr::add(terms))
}

/// `∫ ψ(c)·w(τ) dτ` with `c = clamp(τ, a, b) = (a + b + |τ − a| − |τ − b|)/2`, for three
/// pieces `ψ(a)·w`, `ψ(τ)·w`, `ψ(b)·w` on `(−∞, a)`, `(a, b)`, `(b, ∞)` (Huber's
/// `g'(τ)·e^{−τ} = clamp(τ, −1, 1)·e^{−τ}`): `F(τ) = F₁(c) + ρ(c)·(W(τ) − W(c))` with
/// `ρ = P₁/P₂` (so `ψ = ρ·ψ(b)`, `ρ(b) = 1`), `F₁` the middle piece's antiderivative and `W` the
/// last one's. On `(a, b)` this is `F₁`; beyond `b` it is `F₁(b) + W(τ) − W(b)`; below `a`,
/// `F₁(a) + ρ(a)·(W(τ) − W(a))` with `P₀ = ρ(a)·P₂`, checked exactly.
fn clamped(merged: &[(Interval, Expr)], antiderivatives: &[Expr], var: &str) -> Option<Expr> {
    let [(_, p0), (mid, p1), (_, p2)] = merged else {
        return None;
    };
    let (a, b) = (mid.0.clone()?, mid.1.clone()?);
    let (a, b) = (Expr::num(a), Expr::num(b));
    let rho = simplify(&(p1.clone() / p2.clone())).ok()?;
    let at = |e: &Expr, x: &Expr| simplify(&e.substitute(var, x)).ok();
    if !simplify(&(at(&rho, &b)? - Expr::one())).ok()?.is_zero()
        || !simplify(&(p0.clone() - at(&rho, &a)? * p2.clone()))
            .ok()?
            .is_zero()
    {
        return None;
    }
    let w = antiderivatives.get(2)?;
    let c = clamp(Expr::sym(var), a, b);
    let f1 = &antiderivatives[1];
    simplify(
        &(f1.substitute(var, &c) + rho.substitute(var, &c) * (w.clone() - w.substitute(var, &c))),
    )
    .ok()
}

/// `D·sign(τ − r)` as `±e^{aτ}·|D·e^{−aτ}|` when `D·e^{−aτ}`, with `a` the smallest rate of
/// `D`, is a strictly monotone exponential sum with root `r`.
fn as_abs(d: &Expr, var: &str, r: &BigRational) -> Option<Expr> {
    let p = decompose(d, var)?;
    let rate = p.terms.iter().map(|t| t.rate.clone()).min()?;
    let tau = Expr::sym(var);
    let scaled = Expr::add(
        p.terms
            .iter()
            .map(|t| {
                t.coeff.clone()
                    * Expr::pow(tau.clone(), Expr::int(i64::from(t.power)))
                    * Expr::func(Func::Exp, Expr::num(&t.rate - &rate) * tau.clone())
            })
            .collect(),
    );
    // |c·X| = |c|·|X|, with c the coefficient of the first varying term
    let content = p
        .terms
        .iter()
        .find(|t| t.power > 0 || t.rate != rate)?
        .coeff
        .as_num()?
        .abs();
    let scaled = simplify(&(scaled / Expr::num(content.clone()))).ok()?;
    let (root, slope) = monotone_root(&scaled, var)?;
    if root != *r {
        return None;
    }
    let factor = Expr::func(Func::Exp, Expr::num(rate) * tau);
    Some(Expr::int(i64::from(slope)) * Expr::num(content) * factor * Expr::func(Func::Abs, scaled))
}

#[cfg(test)]
mod tests {
    use super::{clamp_form, split};
    use crate::parse::parse;
    use crate::print::plain;
    use crate::simplify::simplify;

    fn e(s: &str) -> crate::expr::Expr {
        simplify(&parse(s).unwrap()).unwrap()
    }

    #[track_caller]
    fn clamps_to(input: &str, expected: Option<&str>) {
        assert_eq!(
            clamp_form(&e(input), "t").map(|x| plain(&x)).as_deref(),
            expected,
            "{input}"
        );
    }

    #[test]
    fn piecewise_expressions_as_one_piece_at_a_clamped_argument() {
        // Huber's g' as the derivative leaves it: clip(t, -1, 1)
        clamps_to(
            "t*sign(1 - abs(t))/4 + t/2 + sign(t)/2 - abs(1 - abs(t))*sign(t)/4 - sign(t)*sign(1 - abs(t))/4",
            Some("abs(t + 1)/2 - abs(t - 1)/2"),
        );
        clamps_to("(t + abs(t))/2", Some("max(t, 0)"));
        clamps_to(
            "exp(t)*(1 - sign(t))/2 + (1 + sign(t))/2",
            Some("exp(min(t, 0))"),
        );
        // both outer pieces vary: no clamped form
        clamps_to("abs(t)", None);
        clamps_to("sign(t)", None);
        clamps_to("exp(t)", None);
    }

    #[test]
    fn the_huber_integrand_joins_at_a_clamped_argument() {
        // ∫ clip(τ, -1, 1)·e^{-τ} = -e^{-c} - c·e^{-τ} with c = clip(τ, -1, 1), up to a constant
        let integrand = e("(abs(t + 1)/2 - abs(t - 1)/2)*exp(-t)");
        let f = split(&integrand, "t").expect("integrates");
        let text = plain(&f);
        assert!(!text.contains("sign"), "{text}");
        let d = simplify(&(crate::diff::diff(&f, "t").unwrap() - integrand.clone())).unwrap();
        let compiled = crate::eval::compile(&d, "t", &crate::eval::Params::new()).unwrap();
        for t in [-3.0, -1.5, -0.5, 0.25, 0.9, 1.2, 4.0] {
            assert!(compiled.eval(t).abs() < 1e-14, "{text} at {t}");
        }
    }
}

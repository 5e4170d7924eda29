//! `f'(∞) = ∫_0^∞ g'(τ) e^{−τ} dτ` exactly for losses with kinks (`abs(t)`, Huber written with
//! `min`): between the points where an `abs` or `sign` argument changes sign the integrand is
//! an exponential polynomial, so the integral is a sum of exact pieces. The kinks are the
//! positive rational roots of arguments that are linear in `τ` (once `abs(τ) = τ` and
//! `sign(τ) = 1` on `τ > 0`); anything else is left to the caller's other methods.

use super::Limit;
use crate::eval::{Params, eval_constant};
use crate::expr::{Expr, Func, LOSS_VAR};
use crate::integrate::closed::{decompose, integrate_from_zero};
use crate::simplify::simplify;
use num_rational::BigRational;
use num_traits::{Signed, Zero};

/// The most kinks split at.
const MAX_KINKS: usize = 8;

/// `∫_0^∞ h(τ) dτ` for `h` (in [`LOSS_VAR`]) an exponential polynomial between kinks, exactly;
/// `None` when `h` has no `abs`/`sign`, a kink that is not a rational root, or a piece outside
/// the class; `tail` integrates the last, unbounded piece from `0` to `∞`.
pub(super) fn integral(h: &Expr, tail: impl Fn(&Expr) -> Option<Limit>) -> Option<Limit> {
    if !has_kinks(h) {
        return None;
    }
    let h = simplify(&positive_tau(h)).ok()?;
    let mut kinks = Vec::new();
    collect_kinks(&h, &mut kinks)?;
    kinks.sort();
    kinks.dedup();
    if kinks.len() > MAX_KINKS {
        return None;
    }
    let mut total = Expr::zero();
    let mut lower = BigRational::zero();
    for k in &kinks {
        let mid = (&lower + k) / BigRational::from_integer(2.into());
        let piece = decompose(&resolved(&h, &mid)?, LOSS_VAR)?;
        let upper = integrate_from_zero(&piece, &Expr::Num(k.clone()));
        let below = integrate_from_zero(&piece, &Expr::Num(lower.clone()));
        total = total + upper - below;
        lower = k.clone();
    }
    let last = resolved(&h, &(&lower + BigRational::from_integer(1.into())))?;
    let piece = decompose(&last, LOSS_VAR)?;
    let below = integrate_from_zero(&piece, &Expr::Num(lower));
    match tail(&last)? {
        Limit::Finite(Some(rest), _) => {
            let sum = simplify(&(total + rest - below)).ok()?;
            let v = eval_constant(&sum, &Params::new()).ok()?;
            v.is_finite().then_some(Limit::Finite(Some(sum), v))
        }
        infinite @ (Limit::PlusInfinity | Limit::MinusInfinity) => Some(infinite),
        _ => None,
    }
}

/// Whether `e` calls `abs` or `sign`.
fn has_kinks(e: &Expr) -> bool {
    match e {
        Expr::Func(Func::Abs | Func::Sign, _) => true,
        Expr::Add(xs) | Expr::Mul(xs) => xs.iter().any(has_kinks),
        Expr::Pow(b, x) => has_kinks(b) || has_kinks(x),
        Expr::Func(_, a) => has_kinks(a),
        _ => false,
    }
}

/// `abs(τ) = τ` and `sign(τ) = 1`, true on the whole range `τ > 0`.
fn positive_tau(e: &Expr) -> Expr {
    let tau = Expr::sym(LOSS_VAR);
    match e {
        Expr::Func(Func::Abs, a) if **a == tau => tau,
        Expr::Func(Func::Sign, a) if **a == tau => Expr::one(),
        Expr::Add(xs) => Expr::add(xs.iter().map(positive_tau).collect()),
        Expr::Mul(xs) => Expr::mul(xs.iter().map(positive_tau).collect()),
        Expr::Pow(b, x) => Expr::pow(positive_tau(b), positive_tau(x)),
        Expr::Func(f, a) => Expr::func(*f, positive_tau(a)),
        _ => e.clone(),
    }
}

/// Push the positive roots of every `abs`/`sign` argument; `None` when an argument is not
/// linear in `τ`.
fn collect_kinks(e: &Expr, out: &mut Vec<BigRational>) -> Option<()> {
    match e {
        Expr::Func(Func::Abs | Func::Sign, a) => {
            collect_kinks(a, out)?;
            let (alpha, beta) = linear(a)?;
            let root = -beta / alpha;
            if root.is_positive() {
                out.push(root);
            }
        }
        Expr::Add(xs) | Expr::Mul(xs) => {
            for x in xs {
                collect_kinks(x, out)?;
            }
        }
        Expr::Pow(b, x) => {
            collect_kinks(b, out)?;
            collect_kinks(x, out)?;
        }
        Expr::Func(_, a) => collect_kinks(a, out)?,
        _ => {}
    }
    Some(())
}

/// `(α, β)` with `x = α·τ + β`, both rational, `α ≠ 0`.
fn linear(x: &Expr) -> Option<(BigRational, BigRational)> {
    let terms: Vec<Expr> = match x {
        Expr::Add(ts) => ts.clone(),
        t => vec![t.clone()],
    };
    let (mut alpha, mut beta) = (BigRational::zero(), BigRational::zero());
    for t in &terms {
        let (c, rest) = t.split_coeff();
        match rest {
            r if r.is_one() => beta += c,
            Expr::Sym(s) if &*s == LOSS_VAR => alpha += c,
            _ => return None,
        }
    }
    (!alpha.is_zero()).then_some((alpha, beta))
}

/// `e` with each `abs(x)` and `sign(x)` replaced by its value on the piece around `at`, where
/// no argument changes sign; simplified.
fn resolved(e: &Expr, at: &BigRational) -> Option<Expr> {
    fn walk(e: &Expr, at: &BigRational) -> Option<Expr> {
        Some(match e {
            Expr::Func(f @ (Func::Abs | Func::Sign), a) => {
                let a = walk(a, at)?;
                let v = eval_constant(
                    &a.substitute(LOSS_VAR, &Expr::Num(at.clone())),
                    &Params::new(),
                )
                .ok()?;
                let sign = if v > 0.0 {
                    1
                } else if v < 0.0 {
                    -1
                } else {
                    return None;
                };
                match f {
                    Func::Abs => Expr::int(sign) * a,
                    _ => Expr::int(sign),
                }
            }
            Expr::Add(xs) => Expr::add(xs.iter().map(|x| walk(x, at)).collect::<Option<_>>()?),
            Expr::Mul(xs) => Expr::mul(xs.iter().map(|x| walk(x, at)).collect::<Option<_>>()?),
            Expr::Pow(b, x) => Expr::pow(walk(b, at)?, walk(x, at)?),
            Expr::Func(f, a) => Expr::func(*f, walk(a, at)?),
            _ => e.clone(),
        })
    }
    simplify(&walk(e, at)?).ok()
}

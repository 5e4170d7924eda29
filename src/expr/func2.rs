//! Functions of two arguments that are nodes of their own.
//!
//! `min` and `max` are stored as `abs` forms, which everything downstream already handles; the
//! lower incomplete gamma function `γ(p, x)` has no such form, and its first argument `p` (a
//! number now, a symbol once parameters stay symbolic) is not a coefficient of anything. So it
//! is an [`Expr::Func2`] node, `Func2(LowerGamma, p, x)`, in the order it is written.

use super::Expr;
use super::gamma::lower_gamma;
use num_traits::Signed;

/// A function of two arguments in canonical form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Func2 {
    /// `lowergamma(p, x) = γ(p, x) = ∫_0^x |s|^(p−1)·e^(−s) ds`, the lower incomplete gamma
    /// function (not regularised), defined for `p > 0` and every real `x`; see
    /// [`super::gamma`].
    LowerGamma,
}

impl Func2 {
    /// The name used in the language and in plain-text output.
    pub fn name(self) -> &'static str {
        match self {
            Func2::LowerGamma => "lowergamma",
        }
    }

    /// `f(a, b)` for `f64`.
    pub fn apply(self, a: f64, b: f64) -> f64 {
        match self {
            Func2::LowerGamma => lower_gamma(a, b),
        }
    }
}

impl Expr {
    /// `f(a, b)` in canonical form, with its exact values: `γ(p, 0) = 0` for a number `p > 0`.
    pub fn func2(f: Func2, a: Expr, b: Expr) -> Expr {
        match f {
            Func2::LowerGamma if b.is_zero() && matches!(&a, Expr::Num(p) if p.is_positive()) => {
                Expr::zero()
            }
            _ => Expr::Func2(f, Box::new(a), Box::new(b)),
        }
    }

    /// `γ(p, x)`.
    pub fn lower_gamma(p: Expr, x: Expr) -> Expr {
        Expr::func2(Func2::LowerGamma, p, x)
    }

    /// Whether a function of two arguments appears anywhere in `self`.
    pub fn contains_func2(&self) -> bool {
        match self {
            Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => false,
            Expr::Add(xs) | Expr::Mul(xs) => xs.iter().any(Expr::contains_func2),
            Expr::Pow(b, x) => b.contains_func2() || x.contains_func2(),
            Expr::Func(_, a) => a.contains_func2(),
            Expr::Func2(..) => true,
        }
    }
}

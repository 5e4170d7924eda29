//! Stable forms shared by the evaluator and the code emitter: where losses cancel or overflow.
//!
//! Each shape is recognised once, here, and computed twice: by an `f64` kernel in
//! [`super::kernels`] and by the Python text of [`crate::emit`]. Sums:
//!
//! - `c·cosh(X) − c = 2c·sinh(X/2)²` (no cancellation at `X → 0`);
//! - `c·cos(X) − c = −2c·sin(X/2)²` (no cancellation at `X → 0`);
//! - `c·sqrt(1 + X) − c = c·X/(sqrt(1 + X) + 1)` (pseudo-Huber at `t → 0`);
//! - `c·X − c·sin(X)`, by its Taylor series for `|X| < 1`;
//! - `c·softplus(X) − c·X/2 − c·log(2) = c·log(cosh(X/2))` (the centred logistic loss);
//! - `c − c·sigmoid(X) = c·sigmoid(−X)` and `c − c·tanh(X)² = c·sech(X)²` (the derivatives of
//!   `sigmoid` and `tanh`, which cancel for large `X`).
//!
//! Logarithms: `log(cosh(X)) = |X| + log1p(e^(−2|X|)) − log 2` (no overflow at `|X| > 710`),
//! `log(1 + b^Y) = softplus(Y·log b)` for a constant base `b > 0` where `b^Y` overflows, and
//! `log(sigmoid(X)) = −softplus(−X)`.

use crate::expr::{Expr, Func};
use num_rational::BigRational;
use num_traits::Signed;

/// A stable computation, applied to the shape's argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kernel {
    /// `cosh(x) − 1`.
    CoshMinus1,
    /// `cos(x) − 1`.
    CosMinus1,
    /// `sqrt(1 + x) − 1`.
    Sqrt1pMinus1,
    /// `x − sin(x)`.
    XMinusSin,
    /// `log(cosh(x))`.
    LogCosh,
    /// `sigmoid(−x) = 1 − sigmoid(x)`.
    SigmoidOfMinus,
    /// `sech(x)² = 1 − tanh(x)²`.
    SechSquared,
}

/// Terms of a sum replaced by `scale · kernel(arg)`.
#[derive(Debug, PartialEq)]
pub(crate) struct SumShape {
    pub(crate) kernel: Kernel,
    pub(crate) arg: Expr,
    pub(crate) scale: BigRational,
    /// The indices of the terms replaced.
    pub(crate) used: Vec<usize>,
}

/// The terms of `ts` left once those at the indices `used` are replaced (by a shape, a clip).
pub(crate) fn without(ts: Vec<Expr>, used: &[usize]) -> Vec<Expr> {
    ts.into_iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i))
        .map(|(_, t)| t)
        .collect()
}

/// The first of the shared shapes among the terms `ts`.
pub(crate) fn find_in_sum(ts: &[Expr]) -> Option<SumShape> {
    for (i, t) in ts.iter().enumerate() {
        let (c, rest) = t.split_coeff();
        let found = match &rest {
            Expr::Func(Func::Cosh, x) => shape(ts, i, &Expr::Num(-&c), Kernel::CoshMinus1, x, &c),
            Expr::Func(Func::Cos, x) => shape(ts, i, &Expr::Num(-&c), Kernel::CosMinus1, x, &c),
            Expr::Pow(a, half) if **half == Expr::ratio(1, 2) => match a.minus_one() {
                Some(x) => shape(ts, i, &Expr::Num(-&c), Kernel::Sqrt1pMinus1, &x, &c),
                None => None,
            },
            Expr::Func(Func::Sin, x) => {
                let others = Expr::mul(vec![Expr::Num(-&c), (**x).clone()]);
                shape(ts, i, &others, Kernel::XMinusSin, x, &-&c)
            }
            Expr::Func(Func::Sigmoid, x) => {
                shape(ts, i, &Expr::Num(-&c), Kernel::SigmoidOfMinus, x, &-&c)
            }
            Expr::Pow(th, two) if **two == Expr::int(2) => match &**th {
                Expr::Func(Func::Tanh, x) => {
                    shape(ts, i, &Expr::Num(-&c), Kernel::SechSquared, x, &-&c)
                }
                _ => None,
            },
            Expr::Func(Func::Softplus, x) => {
                let half_c = &c / BigRational::from_integer(2.into());
                let others = Expr::mul(vec![Expr::Num(-half_c), (**x).clone()])
                    + Expr::mul(vec![Expr::Num(-&c), Expr::func(Func::Log, Expr::int(2))]);
                let half_x = (**x).clone() / Expr::int(2);
                shape(ts, i, &others, Kernel::LogCosh, &half_x, &c)
            }
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

fn shape(
    ts: &[Expr],
    anchor: usize,
    others: &Expr,
    kernel: Kernel,
    arg: &Expr,
    scale: &BigRational,
) -> Option<SumShape> {
    let used = Expr::matching_terms(ts, anchor, others)?;
    Some(SumShape {
        kernel,
        arg: arg.clone(),
        scale: scale.clone(),
        used,
    })
}

/// A logarithm computed without overflow.
#[derive(Debug, PartialEq)]
pub(crate) enum LogShape {
    /// `log(cosh(x))`.
    LogCosh(Expr),
    /// `log(1 + b^y)` for a constant `b > 0`: `log1p(b^y)` while `b^y` is finite, else
    /// `softplus(y·log b)`. The base `b` and the exponent `y`.
    Log1pPow(Expr, Expr),
    /// `log(sigmoid(x)) = −softplus(−x)`: the argument `−x`.
    MinusSoftplus(Expr),
}

/// The stable form of `log(a)`, if `a` has one of the shapes.
pub(crate) fn find_in_log(a: &Expr) -> Option<LogShape> {
    match a {
        Expr::Func(Func::Cosh, x) => return Some(LogShape::LogCosh((**x).clone())),
        Expr::Func(Func::Sigmoid, x) => return Some(LogShape::MinusSoftplus(-(**x).clone())),
        _ => {}
    }
    let Expr::Pow(b, y) = a.minus_one()? else {
        return None;
    };
    let positive = match &*b {
        Expr::Num(n) => n.is_positive(),
        Expr::Const(_) => true,
        _ => false,
    };
    (positive && !y.is_constant()).then_some(LogShape::Log1pPow(*b, *y))
}

/// The coefficients `(−1)^k/(2k + 3)!`, `k = 0..=9`, of `(x − sin x)/x³` as a series in `x²`,
/// the same the evaluator's kernel sums.
pub(crate) fn x_minus_sin_series() -> [f64; 10] {
    super::kernels::SIN_TAIL
}

/// The coefficients `1/k!`, `k = 2..=15`, of `(e^x − 1 − x)/x²` as a series in `x`, the same
/// the evaluator's kernel sums.
pub(crate) fn expm1_minus_x_series() -> [f64; 14] {
    super::kernels::INV_FACT
}

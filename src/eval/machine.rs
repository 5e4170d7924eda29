//! The stack machine a compiled expression runs on.
//!
//! A flat list of [`Op`]s over a stack of `f64`s whose greatest depth is known at compile
//! time, so one evaluation is a single pass with no allocation. The top of the stack lives in
//! a local (`acc`), the rest in a fixed-size array.

use super::kernels;
use crate::expr::{Func, minmax};

/// One instruction. Binary operators pop the top two values `a, b` (`b` on top) and push
/// `a op b`; the `…C` forms combine the top with a constant operand.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Op {
    /// Push a constant.
    Const(f64),
    /// Push the variable.
    Var,
    /// `a + b`.
    Add,
    /// `a · b`.
    Mul,
    /// `a / b`.
    Div,
    /// `a^b` (`powf`).
    Pow,
    /// `top + c`.
    AddC(f64),
    /// `top · c`.
    MulC(f64),
    /// `top^n` (`powi`).
    PowI(i32),
    /// `top^c` (`powf`).
    PowF(f64),
    /// `c^top` (`powf`).
    ConstPow(f64),
    /// `sqrt(top)`.
    Sqrt,
    /// `1/top`.
    Recip,
    /// `f(top)` by [`Func::apply`].
    Func(Func),
    /// `log1p(top)`.
    Log1p,
    /// `expm1(top)`.
    Expm1,
    /// [`kernels::expm1_minus_x`].
    Expm1MinusX,
    /// [`kernels::log_x_minus_x_plus_1`].
    Log1pMinusY,
    /// [`kernels::xlogx_minus_x_plus_1_at`].
    XlogxMinusXPlus1,
    /// [`kernels::sqrt_minus_1_squared_at`].
    SqrtMinus1Squared,
    /// `min(a, b)` or `max(a, b)` ([`minmax::apply`]).
    MinMax(minmax::Kind),
    /// [`kernels::cosh_minus_1`].
    CoshMinus1,
    /// [`kernels::sqrt1p_minus_1`].
    Sqrt1pMinus1,
    /// [`kernels::x_minus_sin`].
    XMinusSin,
    /// [`kernels::log_cosh`].
    LogCosh,
    /// [`kernels::log1p_pow`] with the base `c`.
    Log1pPow(f64),
    /// [`kernels::sigmoid_of_minus`].
    SigmoidOfMinus,
    /// [`kernels::sech_squared`].
    SechSquared,
    /// Copy the top into slot `i` of the evaluation array (the stack is unchanged): the value
    /// of a sub-expression that occurs again later.
    Store(u32),
    /// Push the value saved in slot `i` by an earlier [`Op::Store`].
    Load(u32),
}

impl Op {
    /// The change in stack height.
    fn effect(self) -> isize {
        match self {
            Op::Const(_) | Op::Var | Op::Load(_) => 1,
            Op::Add | Op::Mul | Op::Div | Op::Pow | Op::MinMax(_) => -1,
            _ => 0,
        }
    }
}

/// The greatest stack height `ops` reaches.
pub(crate) fn max_depth(ops: &[Op]) -> usize {
    let mut h = 0isize;
    let mut max = 0isize;
    for op in ops {
        h += op.effect();
        max = max.max(h);
    }
    max.unsigned_abs()
}

/// Run `ops` at `x`; `below` must hold at least [`max_depth`] slots, and the slots that
/// [`Op::Store`] and [`Op::Load`] name.
///
/// A value that passed through `±inf` or `NaN` is not trusted: when an intermediate is not
/// finite, the result is that intermediate's kind (`±inf` as the result if the result is
/// itself infinite, `NaN` when a finite result was computed from it — `atan(1/0)` or
/// `u/log1p(7^u)` at `u = 471`). The stable kernels never produce a non-finite intermediate
/// for a finite answer, so the values they compute exactly stand.
#[inline]
pub(crate) fn run(ops: &[Op], x: f64, below: &mut [f64]) -> f64 {
    let mut acc = 0.0;
    let mut sp = 0;
    let mut finite = true;
    for op in ops {
        match *op {
            Op::Const(c) => {
                below[sp] = acc;
                sp += 1;
                acc = c;
            }
            Op::Var => {
                below[sp] = acc;
                sp += 1;
                acc = x;
            }
            Op::Add => {
                sp -= 1;
                acc += below[sp];
            }
            Op::Mul => {
                sp -= 1;
                acc *= below[sp];
            }
            Op::Div => {
                sp -= 1;
                acc = below[sp] / acc;
            }
            Op::Pow => {
                sp -= 1;
                acc = below[sp].powf(acc);
            }
            Op::AddC(c) => acc += c,
            Op::MulC(c) => acc *= c,
            Op::PowI(n) => acc = acc.powi(n),
            Op::PowF(c) => acc = acc.powf(c),
            Op::ConstPow(c) => acc = c.powf(acc),
            Op::Sqrt => acc = acc.sqrt(),
            Op::Recip => acc = acc.recip(),
            Op::Func(f) => acc = f.apply(acc),
            Op::Log1p => acc = acc.ln_1p(),
            Op::Expm1 => acc = acc.exp_m1(),
            Op::Expm1MinusX => acc = kernels::expm1_minus_x(acc),
            Op::Log1pMinusY => acc = kernels::log_x_minus_x_plus_1(acc),
            Op::XlogxMinusXPlus1 => acc = kernels::xlogx_minus_x_plus_1_at(acc),
            Op::SqrtMinus1Squared => acc = kernels::sqrt_minus_1_squared_at(acc),
            Op::MinMax(k) => {
                sp -= 1;
                acc = minmax::apply(k, below[sp], acc);
            }
            Op::CoshMinus1 => acc = kernels::cosh_minus_1(acc),
            Op::Sqrt1pMinus1 => acc = kernels::sqrt1p_minus_1(acc),
            Op::XMinusSin => acc = kernels::x_minus_sin(acc),
            Op::LogCosh => acc = kernels::log_cosh(acc),
            Op::Log1pPow(b) => acc = kernels::log1p_pow(b, acc),
            Op::SigmoidOfMinus => acc = kernels::sigmoid_of_minus(acc),
            Op::SechSquared => acc = kernels::sech_squared(acc),
            Op::Store(i) => below[i as usize] = acc,
            Op::Load(i) => {
                below[sp] = acc;
                sp += 1;
                acc = below[i as usize];
            }
        }
        finite &= acc.is_finite();
    }
    if finite || !acc.is_finite() {
        acc
    } else {
        f64::NAN
    }
}

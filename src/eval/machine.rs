//! The stack machine a compiled expression runs on.
//!
//! A flat list of [`Op`]s over a stack of `f64`s whose greatest depth is known at compile
//! time, so one evaluation is a single pass with no allocation. The top of the stack lives in
//! a local (`acc`), the rest in a fixed-size array.

use super::{kernels, underflow};
use crate::expr::{Func, Func2, minmax};

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
    /// `f(a, b)` for a function of two arguments ([`Func2::apply`]).
    Func2(Func2),
    /// [`kernels::cosh_minus_1`].
    CoshMinus1,
    /// [`kernels::cos_minus_1`].
    CosMinus1,
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
            Op::Add | Op::Mul | Op::Div | Op::Pow | Op::MinMax(_) | Op::Func2(_) => -1,
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
/// for a finite answer, so the values they compute exactly stand. Neither is a value that
/// passed through an *underflow* trusted blindly: when an intermediate falls below the normal
/// range, the program runs again in [`underflow::checked`], which refuses the result if the
/// digits the underflow lost reach it. `sin`, `cos` and `tan` of an argument beyond
/// [`TRIG_LIMIT`] are `NaN`.
#[inline]
pub(crate) fn run(ops: &[Op], x: f64, below: &mut [f64]) -> f64 {
    run_with(ops, x, below, true)
}

/// [`run`] without the underflow check: the value is right to an absolute error, which
/// [`Compiled::eval_with_error`](super::Compiled::eval_with_error) bounds.
#[inline]
pub(crate) fn run_absolute(ops: &[Op], x: f64, below: &mut [f64]) -> f64 {
    run_with(ops, x, below, false)
}

#[inline(always)]
fn run_with(ops: &[Op], x: f64, below: &mut [f64], check_underflow: bool) -> f64 {
    let mut acc = 0.0;
    let mut sp = 0;
    let mut finite = true;
    let mut tiny = false;
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
            Op::Add | Op::Mul | Op::Div | Op::Pow | Op::MinMax(_) | Op::Func2(_) => {
                sp -= 1;
                acc = binary(*op, below[sp], acc);
            }
            Op::Store(i) => below[i as usize] = acc,
            Op::Load(i) => {
                below[sp] = acc;
                sp += 1;
                acc = below[i as usize];
            }
            op => acc = unary(op, acc),
        }
        finite &= acc.is_finite();
        tiny |= acc.abs() < f64::MIN_POSITIVE;
    }
    if !finite {
        if acc.is_finite() { f64::NAN } else { acc }
    } else if check_underflow && tiny {
        underflow::checked(ops, x, below.len())
    } else {
        acc
    }
}

/// `sin`, `cos` and `tan` are refused (`NaN`) beyond this argument (`2^50 ≈ 1.1e15`): there one
/// rounding of the argument moves it by `1/8` or more, a few roundings by more than `π`, so
/// not even the sign of the value is known.
pub const TRIG_LIMIT: f64 = 1_125_899_906_842_624.0;

/// A binary instruction on `a` and `b` (the top).
#[inline(always)]
pub(crate) fn binary(op: Op, a: f64, b: f64) -> f64 {
    match op {
        Op::Add => a + b,
        Op::Mul => a * b,
        Op::Div => a / b,
        Op::Pow => a.powf(b),
        Op::MinMax(k) => minmax::apply(k, a, b),
        Op::Func2(f) => f.apply(a, b),
        _ => f64::NAN,
    }
}

/// `f(a)` for a function of the language, with the [`TRIG_LIMIT`].
#[inline(always)]
fn func(f: Func, a: f64) -> f64 {
    match f {
        Func::Sin | Func::Cos | Func::Tan if a.abs() > TRIG_LIMIT => f64::NAN,
        f => f.apply(a),
    }
}

/// A unary instruction on the top `a` (`NaN` for one that is not unary).
#[inline(always)]
pub(crate) fn unary(op: Op, acc: f64) -> f64 {
    match op {
        Op::AddC(c) => acc + c,
        Op::MulC(c) => acc * c,
        Op::PowI(n) => acc.powi(n),
        Op::PowF(c) => acc.powf(c),
        Op::ConstPow(c) => c.powf(acc),
        Op::Sqrt => acc.sqrt(),
        Op::Recip => acc.recip(),
        Op::Func(f) => func(f, acc),
        Op::Log1p => acc.ln_1p(),
        Op::Expm1 => acc.exp_m1(),
        Op::Expm1MinusX => kernels::expm1_minus_x(acc),
        Op::Log1pMinusY => kernels::log_x_minus_x_plus_1(acc),
        Op::XlogxMinusXPlus1 => kernels::xlogx_minus_x_plus_1_at(acc),
        Op::SqrtMinus1Squared => kernels::sqrt_minus_1_squared_at(acc),
        Op::CoshMinus1 => kernels::cosh_minus_1(acc),
        Op::CosMinus1 => kernels::cos_minus_1(acc),
        Op::Sqrt1pMinus1 => kernels::sqrt1p_minus_1(acc),
        Op::XMinusSin => kernels::x_minus_sin(acc),
        Op::LogCosh => kernels::log_cosh(acc),
        Op::Log1pPow(b) => kernels::log1p_pow(b, acc),
        Op::SigmoidOfMinus => kernels::sigmoid_of_minus(acc),
        Op::SechSquared => kernels::sech_squared(acc),
        Op::Const(_)
        | Op::Var
        | Op::Add
        | Op::Mul
        | Op::Div
        | Op::Pow
        | Op::MinMax(_)
        | Op::Func2(_)
        | Op::Store(_)
        | Op::Load(_) => f64::NAN,
    }
}

//! A cheap running bound on the rounding error of a compiled program, in the pass that computes
//! its value.
//!
//! [`Compiled::eval_with_error`] bounds the error of a value by applying every instruction at
//! the corners of its operands' error boxes: five calls of each library function, about 2,300
//! instructions for `1 − u + 2u·atan(u) − πu/2`. Deciding whether a closed form can be printed
//! at a thousand points needs a bound at each, and most of them are far inside the tolerance.
//! Here each instruction instead adds, in the same pass as its value, its own rounding and a
//! bound on how far its operands' errors move it (Wilkinson's running error analysis, as in
//! Higham, *Accuracy and Stability of Numerical Algorithms*, §3.3), from a bound on the
//! derivative over the whole box `operand ± error` rather than at one point, so that the
//! result is an upper bound, not a first-order estimate:
//!
//! - `a ± b`: `e_a + e_b`; `a·b`: `|a|·e_b + |b|·e_a + e_a·e_b`;
//!   `a/b`: `(e_a + |a/b|·e_b)/(|b| − e_b)` (the box must not reach `b = 0`);
//! - `atan(a)`: `e_a/(1 + m²)` with `m = max(|a| − e_a, 0)`; `exp(a)`: `e^a·(e_a + e_a²)`
//!   (`expm1(e_a) ≤ e_a + e_a²` for `e_a ≤ 1`); `log(a)`: `e_a/(a − e_a)`;
//!   `sqrt(a)`: `e_a/sqrt(a)`; `1/a`: `e_a/(|a|·(|a| − e_a))`; functions whose derivative is at
//!   most one in size (`tanh`, `sin`, `cos`, `softplus`, `|a|`) `e_a`, `sigmoid` `e_a/4`;
//! - plus the instruction's own rounding, as [`Compiled::eval_with_error`] assumes it: one
//!   `ε = 2⁻⁵²` of the result for arithmetic, eight for a library function;
//! - a constant that is not a short dyadic number (`π/2`, a folded `log(2)`) carries `ε` of
//!   itself, its rounding; an integer or a multiple of `2⁻¹⁰` below `2⁴⁰` is taken as exact.
//!
//! Any other instruction (powers, the stable kernels, the functions of two arguments) is
//! bounded at its corners, exactly as [`Compiled::eval_with_error`] does. The bound is computed
//! in floating point, so it is enlarged at the end by `4ε` per instruction (more than its own
//! rounding). Where an intermediate is not finite or falls below the normal range (zero
//! included) there is no cheap bound: the caller asks [`Compiled::eval_with_error`].

use super::Compiled;
use super::error::{FUNCTION, constant_error, step};
use super::machine::{Op, binary, unary};
use crate::expr::Func;

const EPS: f64 = f64::EPSILON;

/// `(value, bound)` of a unary instruction whose derivative is bounded cheaply on the box
/// `a ± e_a`; `None` for any other (or where the box leaves the function's domain).
#[inline(always)]
pub(super) fn unary_step(op: Op, a: f64, ea: f64) -> Option<(f64, f64)> {
    match op {
        Op::AddC(c) => return Some(add_const((a, ea), c, constant_error(c))),
        Op::MulC(c) => return Some(mul_const((a, ea), c, constant_error(c))),
        Op::Func(Func::Atan) => return Some(atan((a, ea))),
        _ => {}
    }
    let v = unary(op, a);
    let moved = match op {
        Op::Sqrt if a > ea && v > 0.0 => ea / v * (1.0 + 4.0 * EPS) + EPS * v,
        Op::Recip if a.abs() > ea => {
            ea / (a.abs() * (a.abs() - ea)) * (1.0 + 4.0 * EPS) + EPS * v.abs()
        }
        // `1 + a` is rounded: kept at least twice `e_a`, its rounding is a few `ε` of the difference.
        Op::Log1p if ea <= 0.5 * (1.0 + a) => {
            ea / ((1.0 + a) - ea) * (1.0 + 8.0 * EPS) + FUNCTION * v.abs()
        }
        Op::Expm1 if ea <= 1.0 => {
            (1.0 + v.abs()) * (1.0 + FUNCTION) * (ea + ea * ea) + FUNCTION * v.abs()
        }
        Op::Func(f) => {
            let moved = match f {
                Func::Exp if ea <= 1.0 => v * (1.0 + FUNCTION) * (ea + ea * ea),
                Func::Log if a > ea => ea / (a - ea) * (1.0 + 4.0 * EPS),
                Func::Tanh | Func::Sin | Func::Cos | Func::Softplus | Func::Abs => ea,
                Func::Sigmoid => 0.25 * ea,
                _ => return None,
            };
            moved + FUNCTION * v.abs()
        }
        _ => return None,
    };
    Some((v, moved))
}

/// `a + c` with its bound, where `ce` is the rounding of the constant `c` as stored
/// ([`constant_error`]).
#[inline(always)]
pub(super) fn add_const((a, ea): (f64, f64), c: f64, ce: f64) -> (f64, f64) {
    let v = a + c;
    (v, ea + ce + EPS * v.abs())
}

/// `a·c` with its bound, where `ce` is the rounding of the constant `c` as stored.
#[inline(always)]
pub(super) fn mul_const((a, ea): (f64, f64), c: f64, ce: f64) -> (f64, f64) {
    let v = a * c;
    (v, c.abs() * ea + ce * (a.abs() + ea) + EPS * v.abs())
}

/// `atan(a)` with its bound: the derivative `1/(1 + m²)` at the point `m` of the box
/// `a ± e_a` nearest zero, plus the function's rounding.
#[inline(always)]
pub(super) fn atan((a, ea): (f64, f64)) -> (f64, f64) {
    let v = a.atan();
    let m = (a.abs() - ea).max(0.0);
    (v, ea / (1.0 + m * m) + FUNCTION * v.abs())
}

/// `(value, bound)` of a binary instruction on `a` and `b` (the top); `None` for one without a
/// cheap rule.
#[inline(always)]
pub(super) fn binary_step(op: Op, (a, ea): (f64, f64), (b, eb): (f64, f64)) -> Option<(f64, f64)> {
    match op {
        Op::Add => return Some(add((a, ea), (b, eb))),
        Op::Mul => return Some(mul((a, ea), (b, eb))),
        _ => {}
    }
    let v = binary(op, a, b);
    let moved = match op {
        Op::Div if b.abs() > eb => (ea + v.abs() * (1.0 + 2.0 * EPS) * eb) / (b.abs() - eb),
        _ => return None,
    };
    Some((v, moved + EPS * v.abs()))
}

/// `a + b` with its bound: the operands' bounds and the rounding of the sum.
#[inline(always)]
pub(super) fn add((a, ea): (f64, f64), (b, eb): (f64, f64)) -> (f64, f64) {
    let v = a + b;
    (v, ea + eb + EPS * v.abs())
}

/// `a·b` with its bound: `|a|·e_b + |b|·e_a + e_a·e_b` and the rounding of the product.
#[inline(always)]
pub(super) fn mul((a, ea): (f64, f64), (b, eb): (f64, f64)) -> (f64, f64) {
    let v = a * b;
    (v, a.abs() * eb + b.abs() * ea + ea * eb + EPS * v.abs())
}

/// Whether `v` is finite and at least the smallest normal number in size (not zero, not
/// subnormal, not NaN): its exponent field is neither all zeros nor all ones.
#[inline(always)]
pub(super) fn normal(v: f64) -> bool {
    let exponent = (v.to_bits() >> 52) & 0x7ff;
    exponent.wrapping_sub(1) < 0x7fe
}

impl Compiled {
    /// The value at `x` (exact, as an argument) and a bound on its absolute error, in one
    /// cheap pass (see the module documentation), or `None` where an intermediate is not
    /// finite or falls below the normal range, or the program is deeper than the stack
    /// array. Where it gives a value, the value has the bits of [`Compiled::eval`] at `x`; the
    /// bound is valid, but may be larger than [`Compiled::eval_with_error`]'s.
    pub fn eval_with_running_error(&self, x: f64) -> Option<(f64, f64)> {
        if self.depth <= 8 {
            self.running_with(x, &mut [(0.0, 0.0); 8])
        } else if self.depth <= super::STACK_SLOTS {
            self.running_with(x, &mut [(0.0, 0.0); super::STACK_SLOTS])
        } else {
            None
        }
    }

    /// [`Compiled::eval_with_running_error`] on a stack of at least `depth` pairs.
    #[inline(always)]
    fn running_with(&self, x: f64, stack: &mut [(f64, f64)]) -> Option<(f64, f64)> {
        let mut sp = 0;
        let mut usable = true;
        // The top of the stack, as the value pass keeps it.
        let mut acc = (0.0, 0.0);
        for &op in self.ops.iter() {
            acc = match op {
                Op::Const(c) => {
                    stack[sp] = acc;
                    sp += 1;
                    (c, constant_error(c))
                }
                Op::Var => {
                    stack[sp] = acc;
                    sp += 1;
                    (x, 0.0)
                }
                Op::Store(i) => {
                    stack[i as usize] = acc;
                    continue;
                }
                Op::Load(i) => {
                    stack[sp] = acc;
                    sp += 1;
                    stack[i as usize]
                }
                Op::Add | Op::Mul | Op::Div | Op::Pow | Op::MinMax(_) | Op::Func2(_) => {
                    sp = sp.saturating_sub(1);
                    let a = stack[sp];
                    binary_step(op, a, acc).unwrap_or_else(|| step(op, a, acc))
                }
                _ => unary_step(op, acc.0, acc.1).unwrap_or_else(|| step(op, acc, (0.0, 0.0))),
            };
            usable &= normal(acc.0);
        }
        // A bound that became infinite or NaN stays so (every rule is monotone in the
        // operands' bounds, and a corner outside the domain is infinite): checked once.
        if !(usable && acc.1 < f64::INFINITY) {
            return None;
        }
        let ops = self.ops.len() as f64;
        Some((acc.0, acc.1 * (1.0 + 4.0 * ops * EPS)))
    }
}

#[cfg(test)]
mod tests;

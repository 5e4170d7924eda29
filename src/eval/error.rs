//! A running bound on the rounding error of a compiled program.
//!
//! The error of a value is not the error of its last operation: `log(cosh(x))` at `x = 1e-8`
//! rounds `cosh(x)` to `1` (or to `1 + 2^-52`) and returns `0` (or `2.2e-16`) for a true
//! `5e-17`, every operation correct to the last bit. A quadrature that integrates such values
//! must know it, or it states an error estimate far below the error of its integrand. So the
//! program is run a second time on pairs `(value, bound)`: each instruction applied to its
//! operands is compared with the same instruction at the corners `operand ± bound` (first-order
//! propagation that needs no derivative of any function), and its own rounding is added.

use super::Compiled;
use super::machine::{Op, binary, unary};
use super::underflow::LOST;

/// The relative rounding of one arithmetic instruction (`+`, `·`, `/`, `sqrt`, `1/x`).
const ARITHMETIC: f64 = f64::EPSILON;
/// The relative rounding allowed for any other instruction (library functions, powers, the
/// stable kernels): a few ulps.
pub(super) const FUNCTION: f64 = 8.0 * f64::EPSILON;

/// How many operands an instruction takes from the stack.
fn arity(op: Op) -> usize {
    match op {
        Op::Const(_) | Op::Var | Op::Load(_) => 0,
        Op::Add | Op::Mul | Op::Div | Op::Pow | Op::MinMax(_) | Op::Func2(_) => 2,
        _ => 1,
    }
}

fn rounding(op: Op) -> f64 {
    match op {
        Op::Add | Op::Mul | Op::Div | Op::AddC(_) | Op::MulC(_) | Op::Sqrt | Op::Recip => {
            ARITHMETIC
        }
        // measured against 30-digit references (`crate::expr::gamma`)
        Op::Func2(crate::expr::Func2::LowerGamma) => crate::expr::gamma::ROUNDING * f64::EPSILON,
        _ => FUNCTION,
    }
}

/// `op` applied to `a` (and `b`, the top, for a binary instruction), as
/// [`super::machine::run_absolute`] runs the program `a, b, op`: a finite result of an operand
/// that is not finite is `NaN` (called directly, not as a program: a bound applies each
/// instruction up to five times). [`step`] applies it through [`checked`], with the common
/// arithmetic written out; the tests compare the two.
#[cfg(test)]
fn apply(op: Op, a: f64, b: f64) -> f64 {
    checked(op, raw(op, a, b), a, b)
}

/// `op` applied to `a` (and `b`), with no check.
#[inline(always)]
fn raw(op: Op, a: f64, b: f64) -> f64 {
    if arity(op) == 2 {
        binary(op, a, b)
    } else {
        unary(op, a)
    }
}

/// `value`, the result of `op` on `a` (and `b`), as [`super::machine::run_absolute`] leaves
/// it: `NaN` where it is finite and an operand is not.
#[inline(always)]
fn checked(op: Op, value: f64, a: f64, b: f64) -> f64 {
    let operands_finite = a.is_finite() && (arity(op) != 2 || b.is_finite());
    if operands_finite || !value.is_finite() {
        value
    } else {
        f64::NAN
    }
}

/// `(value, bound)` of one instruction over its operands with their bounds (`b` is the top,
/// ignored by a unary instruction).
/// The absolute error of the constant `c` as stored: zero for an integer or a multiple of
/// `2⁻¹⁰` below `2⁴⁰` in size (written exactly: `1`, `-1/2`), `ε·|c|` for any other.
pub(super) fn constant_error(c: f64) -> f64 {
    let scaled = c * 1024.0;
    // Below `2⁵⁰` after scaling, the conversion to an integer is exact for an integer.
    if c.abs() < 1_099_511_627_776.0 && scaled == (scaled as i64) as f64 {
        0.0
    } else {
        ARITHMETIC * c.abs()
    }
}

/// The four corners of a binary instruction's box `(a ± e_a, b ± e_b)`.
const CORNERS: [(f64, f64); 4] = [(-1.0, -1.0), (-1.0, 1.0), (1.0, -1.0), (1.0, 1.0)];

/// The corners of the box at which `step` compares an instruction with its value, in the order
/// the farthest is found in (the largest distance does not depend on the order; any `NaN`
/// makes it infinite). Rounding to nearest is non-decreasing, so where the exact instruction
/// is monotone in each operand over the box (in directions fixed over the box) its rounded
/// values at the four corners lie between those at two opposite corners, and so does their
/// distance from the value `v` on either side of `v`:
/// - a unary instruction ignores `b`, so its box has two corners, `a − e_a` and `a + e_a` (the
///   other two repeat them bit for bit);
/// - `a + b` is non-decreasing in both: `(−, −)` and `(+, +)`. A corner that is infinite or
///   `NaN` (opposite infinities) has an operand that is infinite; then `(−, −)` or `(+, +)` has
///   it too, and is infinite or `NaN` itself, so the spread is infinite either way;
/// - `a·b` and `a/b` over a box of finite corners where at most one operand changes sign (and
///   the divisor does not reach zero): see [`product_corners`] and [`quotient_corners`]. No
///   corner is `NaN` there, and one that overflows is at an end;
/// - any other box: all four.
#[inline(always)]
fn corners(op: Op, (a, ea): (f64, f64), (b, eb): (f64, f64)) -> &'static [(f64, f64)] {
    const ALL: &[(f64, f64)] = &CORNERS;
    match op {
        Op::Add => &[(-1.0, -1.0), (1.0, 1.0)],
        Op::Mul | Op::Div => {
            let (a_lo, a_hi, b_lo, b_hi) = (a - ea, a + ea, b - eb, b + eb);
            if !(a_lo.is_finite() && a_hi.is_finite() && b_lo.is_finite() && b_hi.is_finite()) {
                return ALL;
            }
            let (sa, sb) = (sign(a_lo, a_hi), sign(b_lo, b_hi));
            let pair = if matches!(op, Op::Mul) {
                product_corners(sa, sb)
            } else if b_lo > 0.0 || b_hi < 0.0 {
                quotient_corners(sa, sb)
            } else {
                None
            };
            pair.unwrap_or(ALL)
        }
        _ if arity(op) == 2 => ALL,
        _ => &[(-1.0, 0.0), (1.0, 0.0)],
    }
}

/// The sign of every number in `[lo, hi]`: `1` (none negative), `-1` (none positive) or `0`
/// (both signs).
pub(super) fn sign(lo: f64, hi: f64) -> i8 {
    if lo >= 0.0 {
        1
    } else if hi <= 0.0 {
        -1
    } else {
        0
    }
}

const DIAGONAL: &[(f64, f64)] = &[(-1.0, -1.0), (1.0, 1.0)];
const ANTI_DIAGONAL: &[(f64, f64)] = &[(1.0, -1.0), (-1.0, 1.0)];

/// The two corners holding the least and the greatest `a·b` over the box, given the signs of
/// the operands' ranges: `a·b` grows with `a` where `b ≥ 0` and with `b` where `a ≥ 0`. Both
/// changing sign: `None`.
fn product_corners(sa: i8, sb: i8) -> Option<&'static [(f64, f64)]> {
    Some(match (sa, sb) {
        (0, 0) => return None,
        // `b` of one sign: the ends are at `a` low and high, both where `b·a` is largest in size.
        (0, 1) => &[(-1.0, 1.0), (1.0, 1.0)],
        (0, _) => &[(-1.0, -1.0), (1.0, -1.0)],
        (1, 0) => &[(1.0, -1.0), (1.0, 1.0)],
        (_, 0) => &[(-1.0, -1.0), (-1.0, 1.0)],
        _ if sa == sb => DIAGONAL,
        _ => ANTI_DIAGONAL,
    })
}

/// The two corners holding the least and the greatest `a/b` over the box, given the sign of
/// `a`'s range and of `b`'s (which does not reach zero): `a/b` grows with `a` where `b > 0`,
/// and with `b` where `a ≤ 0`.
fn quotient_corners(sa: i8, sb: i8) -> Option<&'static [(f64, f64)]> {
    Some(match (sa, sb > 0) {
        (1, true) | (-1, false) => ANTI_DIAGONAL,
        (1, false) | (-1, true) => DIAGONAL,
        (_, true) => &[(-1.0, -1.0), (1.0, -1.0)],
        (_, false) => &[(-1.0, 1.0), (1.0, 1.0)],
    })
}

/// How far `op` moves from its `value` at the corners of the box `operand ± bound` (`inf` where
/// a corner is outside the domain: the value is not known at all).
#[inline(always)]
fn corner_spread(
    op: Op,
    apply: &impl Fn(f64, f64) -> f64,
    (a, ea): (f64, f64),
    (b, eb): (f64, f64),
    value: f64,
) -> f64 {
    let eb = if arity(op) == 2 { eb } else { 0.0 };
    let mut spread = 0.0f64;
    if ea != 0.0 || eb != 0.0 {
        for &(sa, sb) in corners(op, (a, ea), (b, eb)) {
            let d = (apply(a + sa * ea, b + sb * eb) - value).abs();
            spread = if d.is_nan() {
                f64::INFINITY
            } else {
                spread.max(d)
            };
        }
    }
    spread
}

pub(super) fn step(op: Op, a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    step_inline(op, a, b)
}

/// [`step`] compiled into its caller: where the instruction is known there, only its own
/// rules remain (the decoded pass of [`super::bound_pass`]).
#[inline(always)]
pub(super) fn step_inline(op: Op, a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    // The common arithmetic written out, so that each corner is one operation rather than a
    // dispatch on the instruction: the same operations, so the same bits.
    match op {
        Op::Add => step_by(op, |x, y| x + y, a, b),
        Op::Mul => step_by(op, |x, y| x * y, a, b),
        Op::Div => step_by(op, |x, y| x / y, a, b),
        Op::AddC(c) => step_by(op, move |x, _| x + c, a, b),
        Op::MulC(c) => step_by(op, move |x, _| x * c, a, b),
        _ => step_by(op, move |x, y| raw(op, x, y), a, b),
    }
}

/// [`step`] with `f` computing `op` (unchecked).
#[inline(always)]
fn step_by(
    op: Op,
    f: impl Fn(f64, f64) -> f64,
    (a, ea): (f64, f64),
    (b, eb): (f64, f64),
) -> (f64, f64) {
    let apply = |x: f64, y: f64| checked(op, f(x, y), x, y);
    let value = apply(a, b);
    let mut spread = corner_spread(op, &apply, (a, ea), (b, eb), value);
    // A constant operand that is not stored exactly (`0.3`, `π/2`) carries its own rounding.
    spread += match op {
        Op::AddC(c) => constant_error(c),
        Op::MulC(c) => constant_error(c) * (a.abs() + ea),
        _ => 0.0,
    };
    // A result below the normal range has lost digits: up to sixteen of its smallest units.
    let lost = if value == 0.0 {
        // A zero from non-zero operands (`exp(-800)`, `1e-200·1e-200`) underflowed.
        arity(op) > 0 && a != 0.0 && !(arity(op) == 2 && b == 0.0)
    } else {
        value.abs() < f64::MIN_POSITIVE
    };
    let underflow = if lost { LOST } else { 0.0 };
    (value, spread + rounding(op) * value.abs() + underflow)
}

impl Compiled {
    /// The value at `x`, given with an absolute error `x_error`, and a bound on its absolute
    /// error: the rounding of every instruction, propagated to first order through the ones
    /// after it (`inf` where an operand's error reaches outside a function's domain), and the
    /// digits lost where a result fell below the normal range. The value is the one
    /// [`Compiled::eval_absolute`] returns. Meant for error estimates (it allocates only for a
    /// program 16 or more levels deep).
    pub fn eval_with_error(&self, x: f64, x_error: f64) -> (f64, f64) {
        if self.depth < INLINE_DEPTH {
            let mut stack = [(0.0, 0.0); INLINE_DEPTH + 1];
            let mut saved = [(0.0, 0.0); INLINE_DEPTH];
            self.bound_with(x, x_error, &mut stack, &mut saved)
        } else {
            let mut stack = vec![(0.0, 0.0); self.depth + 1];
            let mut saved = vec![(0.0, 0.0); self.depth];
            self.bound_with(x, x_error, &mut stack, &mut saved)
        }
    }

    /// [`Compiled::eval_with_error`] with a stack of `depth + 1` pairs and `depth` saved slots.
    fn bound_with(
        &self,
        x: f64,
        x_error: f64,
        stack: &mut [(f64, f64)],
        saved: &mut [(f64, f64)],
    ) -> (f64, f64) {
        let mut sp = 0;
        for &op in self.ops.iter() {
            let top = match op {
                Op::Const(c) => (c, constant_error(c)),
                Op::Var => (x, x_error),
                Op::Load(i) => saved[i as usize],
                Op::Store(i) => {
                    saved[i as usize] = if sp > 0 { stack[sp - 1] } else { (0.0, 0.0) };
                    continue;
                }
                _ if arity(op) == 2 => {
                    let b = pop(stack, &mut sp);
                    let a = pop(stack, &mut sp);
                    step(op, a, b)
                }
                _ => {
                    let a = pop(stack, &mut sp);
                    step(op, a, (0.0, 0.0))
                }
            };
            // The compiler's depth bounds the stack; a deeper one would be a bug, not a value.
            let Some(slot) = stack.get_mut(sp) else {
                return (f64::NAN, f64::INFINITY);
            };
            *slot = top;
            sp += 1;
        }
        if sp > 0 {
            stack[sp - 1]
        } else {
            (f64::NAN, f64::INFINITY)
        }
    }
}

/// The deepest program whose bound runs on arrays on the stack, without an allocation.
const INLINE_DEPTH: usize = 16;

/// The top of `stack[..sp]`, removed (`(0, 0)` from an empty stack, as a `Vec` would default).
fn pop(stack: &[(f64, f64)], sp: &mut usize) -> (f64, f64) {
    if *sp > 0 {
        *sp -= 1;
        stack[*sp]
    } else {
        (0.0, 0.0)
    }
}

/// Numbers of both signs and every kind (zeros, subnormal, huge, non-finite) that the tests of
/// the rounding bound's steps try, in this module and in the fused pass.
#[cfg(test)]
pub(super) const EVERY_KIND: [f64; 20] = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.3,
    -0.7,
    2.5,
    -3.0,
    1e-300,
    -1e-300,
    5e-324,
    1e300,
    -1e300,
    1.7e308,
    -1.7e308,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
    1e-16,
    1.0 + 1e-15,
];

#[cfg(test)]
mod tests {
    use crate::eval::{Params, compile};
    use crate::parse::parse;

    #[track_caller]
    fn bound(text: &str, x: f64) -> (f64, f64) {
        let c = compile(&parse(text).unwrap(), "t", &Params::new()).unwrap();
        let (v, e) = c.eval_with_error(x, 0.0);
        assert_eq!(v.to_bits(), c.eval_absolute(x).to_bits(), "{text} at {x}");
        (v, e)
    }

    #[test]
    fn well_conditioned_values_have_errors_of_a_few_ulps() {
        for (text, x) in [("t^2 + 1", 3.0), ("exp(t)*sin(t)", 0.7), ("log1p(t)", 1e-9)] {
            let (v, e) = bound(text, x);
            assert!(e <= 32.0 * f64::EPSILON * v.abs(), "{text}: {v} ± {e}");
        }
    }

    #[test]
    fn a_program_deeper_than_the_inline_stack_is_bounded_the_same_way() {
        // `t + 1/(t + 2·(t + 1/(…)))`, 24 levels: its operands pile up on the stack.
        let deep = (0..24).fold("1".to_string(), |e, _| format!("(t + 1/(t + 2*{e}))"));
        let c = compile(&parse(&deep).unwrap(), "t", &Params::new()).unwrap();
        assert!(c.depth >= super::INLINE_DEPTH, "{}", c.depth);
        let (v, e) = bound(&deep, 0.7);
        assert!(e > 0.0 && e <= 1e3 * f64::EPSILON * v.abs(), "{v} ± {e}");
    }

    #[test]
    fn cancellation_inside_a_function_is_in_the_bound() {
        // log(exp(t) − t) at 1e-8 is 5e-17 (to 8 digits), computed as 0 or 2.2e-16 (no stable
        // form applies): the bound covers it.
        let (v, e) = bound("log(exp(t) - t)", 1e-8);
        assert!((v - 5e-17).abs() <= e, "{v} ± {e}");
        assert!(e >= 1e-16, "{e}");
        // The same function away from the cancellation: a few ulps.
        let (v, e) = bound("log(exp(t) - t)", 3.0);
        assert!(e <= 32.0 * f64::EPSILON * v, "{v} ± {e}");
    }

    #[test]
    fn an_error_reaching_outside_the_domain_is_infinite() {
        // exp(2t) − 2·exp(t) + 1 at 1e-8 is 1e-16, computed as 2.2e-16 ± 4.4e-16: the value is
        // finite, but the logarithm of that interval is undefined.
        let (v, e) = bound("log(exp(2*t) - 2*exp(t) + 1)", 1e-8);
        assert!(v.is_finite(), "{v}");
        assert_eq!(e, f64::INFINITY);
    }

    #[test]
    fn the_variable_s_own_error_is_propagated() {
        let c = compile(&parse("exp(t)").unwrap(), "t", &Params::new()).unwrap();
        let (v, e) = c.eval_with_error(700.0, 1e-10);
        assert!(e >= 0.9e-10 * v, "{v} ± {e}");
    }

    /// `step` as it was before the corners were chosen and the arithmetic written out: every
    /// corner of the box tried, every instruction applied by [`super::apply`].
    fn step_at_every_corner(op: super::Op, (a, ea): (f64, f64), (b, eb): (f64, f64)) -> (f64, f64) {
        use super::{Op, apply, arity};
        let value = apply(op, a, b);
        let eb = if arity(op) == 2 { eb } else { 0.0 };
        let mut spread = 0.0f64;
        if ea != 0.0 || eb != 0.0 {
            for (sa, sb) in super::CORNERS {
                let d = (apply(op, a + sa * ea, b + sb * eb) - value).abs();
                spread = if d.is_nan() {
                    f64::INFINITY
                } else {
                    spread.max(d)
                };
            }
        }
        spread += match op {
            Op::AddC(c) => super::constant_error(c),
            Op::MulC(c) => super::constant_error(c) * (a.abs() + ea),
            _ => 0.0,
        };
        let lost = if value == 0.0 {
            arity(op) > 0 && a != 0.0 && !(arity(op) == 2 && b == 0.0)
        } else {
            value.abs() < f64::MIN_POSITIVE
        };
        let underflow = if lost { super::LOST } else { 0.0 };
        (
            value,
            spread + super::rounding(op) * value.abs() + underflow,
        )
    }

    #[track_caller]
    fn same_step(op: super::Op, a: (f64, f64), b: (f64, f64)) {
        let (v, e) = super::step(op, a, b);
        let (w, f) = step_at_every_corner(op, a, b);
        assert_eq!(
            (v.to_bits(), e.to_bits()),
            (w.to_bits(), f.to_bits()),
            "{op:?} at {a:?}, {b:?}: {v} ± {e} vs {w} ± {f}"
        );
    }

    #[test]
    fn step_keeps_the_bits_of_every_corner_tried() {
        use super::Op;
        use crate::expr::Func;
        let numbers = super::EVERY_KIND;
        let errors = [
            0.0,
            1e-16,
            2.2e-16,
            0.3,
            1.0,
            2.0,
            1e-310,
            1e300,
            1.7e308,
            f64::INFINITY,
        ];
        let ops = [
            Op::Add,
            Op::Mul,
            Op::Div,
            Op::Pow,
            Op::AddC(0.3),
            Op::MulC(-2.0),
            Op::Recip,
            Op::Sqrt,
            Op::Func(Func::Log),
            Op::Func(Func::Exp),
        ];
        let mut compared = 0;
        for op in ops {
            for a in numbers {
                for ea in errors {
                    for b in numbers {
                        for eb in errors {
                            same_step(op, (a, ea), (b, eb));
                            compared += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(compared, 10 * 20 * 10 * 20 * 10);
    }

    #[test]
    fn step_keeps_the_bits_of_every_corner_tried_on_random_boxes() {
        use super::Op;
        // A fixed linear congruential sequence: numbers of both signs over many scales, and
        // errors from far below to far above them.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for _ in 0..200_000 {
            let mut number = |scale: f64| (2.0 * next() - 1.0) * 10f64.powf(scale * (next() - 0.5));
            let (a, b) = (number(8.0), number(8.0));
            let (ea, eb) = (number(40.0).abs(), number(40.0).abs());
            for op in [Op::Add, Op::Mul, Op::Div, Op::AddC(0.3), Op::MulC(-0.7)] {
                same_step(op, (a, ea), (b, eb));
            }
        }
    }
}

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
/// instruction five times).
fn apply(op: Op, a: f64, b: f64) -> f64 {
    let (value, operands_finite) = if arity(op) == 2 {
        (binary(op, a, b), a.is_finite() && b.is_finite())
    } else {
        (unary(op, a), a.is_finite())
    };
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

pub(super) fn step(op: Op, (a, ea): (f64, f64), (b, eb): (f64, f64)) -> (f64, f64) {
    let value = apply(op, a, b);
    let eb = if arity(op) == 2 { eb } else { 0.0 };
    let mut spread = 0.0f64;
    if ea != 0.0 || eb != 0.0 {
        // Every corner of the box `operand ± bound`.
        for (sa, sb) in [(-1.0, -1.0), (-1.0, 1.0), (1.0, -1.0), (1.0, 1.0)] {
            let d = (apply(op, a + sa * ea, b + sb * eb) - value).abs();
            // A corner outside the domain (NaN): the value is not known at all.
            spread = if d.is_nan() {
                f64::INFINITY
            } else {
                spread.max(d)
            };
        }
    }
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
}

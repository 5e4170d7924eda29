//! Underflow: an intermediate below the normal range is an event to account for, like overflow.
//!
//! Below `2.2e-308` an `f64` keeps fewer digits, and below `4.9e-324` none: `sigmoid(-884)`
//! is `0`. That is the right answer for `sigmoid(-884)` itself, but not for
//! `exp(448)·sigmoid(-884) ≈ 1e-190`, which the program would return as `0`. So a program in
//! which some intermediate fell below the normal range runs a second time here, on pairs
//! `(value, lost)`: `lost` bounds the absolute error the underflows caused (half a unit of the
//! smallest subnormal for a correctly rounded `×`, `÷`, `√`, more for a library function),
//! propagated to first order through the instructions after them (at the corners `operand ± lost`, as
//! [`Compiled::eval_with_error`](super::Compiled::eval_with_error) does for rounding). The
//! result is returned if what was lost is below its last digits, or if the result and the
//! loss both stay below the normal range (`t·exp(-t)` at `t = 800` is `0`, right to within
//! `f64`'s range); otherwise it is refused as `NaN`.

use super::STACK_SLOTS;
use super::machine::{Op, binary, unary};

/// The absolute error of one instruction whose result is below the normal range: sixteen
/// units of the smallest subnormal (`2⁻¹⁰⁷⁰ ≈ 7.9e-323`), a correctly rounded result's half
/// unit with room for a library function's few.
pub(crate) const LOST: f64 = f64::from_bits(16);
/// The largest loss relative to a normal result that still leaves it right (four units in the
/// last place).
const RELATIVE: f64 = 4.0 * f64::EPSILON;

/// What this pass carries is twice the absolute error (`(value, 2·lost)`), so that the half
/// unit of the smallest subnormal, `2⁻¹⁰⁷⁵`, which `f64` cannot hold, is the unit `2⁻¹⁰⁷⁴`.
/// Every rule below is linear in the errors to first order, so a doubled error in gives a
/// doubled error out (or more: the corners of [`spread`] lie twice as far out).
const SCALE: f64 = 2.0;

/// The doubled loss of one correctly rounded instruction (`×`, `÷`, `√`, `1/x`) whose result
/// falls below the normal range: half a unit of the smallest subnormal. Counting [`LOST`] for
/// these refused `1/(2·t²)` at `t = 1e-154`: `t² = 1e-308` keeps all but a fraction of a
/// unit in the last place of its 52 bits, and `5e307` is right.
const HALF_UNIT_SCALED: f64 = f64::from_bits(1);

/// The doubled loss of an instruction whose result fell below the normal range.
fn lost_by(op: Op) -> f64 {
    match op {
        Op::Mul | Op::Div | Op::MulC(_) | Op::Sqrt | Op::Recip => HALF_UNIT_SCALED,
        _ => SCALE * LOST,
    }
}

/// The value of `ops` at `x`, or `NaN` where an underflow lost digits the value needs.
/// `slots` is at least the program's depth; allocates only beyond [`STACK_SLOTS`].
pub(crate) fn checked(ops: &[Op], x: f64, slots: usize) -> f64 {
    if slots <= STACK_SLOTS {
        checked_in(ops, x, &mut [(0.0, 0.0); STACK_SLOTS + 1])
    } else {
        checked_in(ops, x, &mut vec![(0.0, 0.0); slots + 1])
    }
}

fn checked_in(ops: &[Op], x: f64, stack: &mut [(f64, f64)]) -> f64 {
    let mut sp = 0;
    for &op in ops {
        match op {
            Op::Const(c) => {
                stack[sp] = (c, 0.0);
                sp += 1;
            }
            Op::Var => {
                stack[sp] = (x, 0.0);
                sp += 1;
            }
            Op::Add | Op::Mul | Op::Div | Op::Pow | Op::MinMax(_) | Op::Func2(_) => {
                sp -= 1;
                stack[sp - 1] = binary_step(op, stack[sp - 1], stack[sp]);
            }
            // A saved value's slot lies above the deepest stack entry (`stack` has one entry
            // more than the program's slots, as the top is kept in it too).
            Op::Store(i) => stack[i as usize + 1] = stack[sp - 1],
            Op::Load(i) => {
                stack[sp] = stack[i as usize + 1];
                sp += 1;
            }
            _ => stack[sp - 1] = unary_step(op, stack[sp - 1]),
        }
    }
    let (v, lost) = stack[0];
    trusted(v, lost)
}

/// `v` if a loss of `scaled / SCALE` leaves it right, else `NaN`.
fn trusted(v: f64, scaled: f64) -> f64 {
    let lost = scaled / SCALE;
    let right = lost <= RELATIVE * v.abs()
        || lost <= LOST
        || (v.abs() < f64::MIN_POSITIVE && v.abs() + lost < f64::MIN_POSITIVE);
    if right || !v.is_finite() { v } else { f64::NAN }
}

/// The largest change of `f` over the corners of `a ± ea` (and `b ± eb`); a corner outside
/// the domain (`NaN`) is left out, as the underflowed value has the sign of the true one.
fn spread(f: impl Fn(f64, f64) -> f64, (a, ea): (f64, f64), (b, eb): (f64, f64)) -> f64 {
    if ea == 0.0 && eb == 0.0 {
        return 0.0;
    }
    let v = f(a, b);
    let mut out = 0.0f64;
    let mut any = false;
    for (sa, sb) in [(-1.0, -1.0), (-1.0, 1.0), (1.0, -1.0), (1.0, 1.0)] {
        let d = (f(a + sa * ea, b + sb * eb) - v).abs();
        if !d.is_nan() {
            out = out.max(d);
            any = true;
        }
    }
    if any { out } else { f64::INFINITY }
}

/// `x^n` as the runtime computes it (square and multiply, then `1/r` for `n < 0`), each
/// multiplication a [`binary_step`], so that only the products that fall below the normal
/// range lose their half unit: `t⁴ = (t²)²` at `t = 8.2e-78` loses one half unit, not
/// [`LOST`].
fn powi_step(n: i32, base: (f64, f64)) -> (f64, f64) {
    let (mut r, mut a, mut m) = ((1.0, 0.0), base, n.unsigned_abs());
    loop {
        if m & 1 == 1 {
            r = binary_step(Op::Mul, r, a);
        }
        m /= 2;
        if m == 0 {
            break;
        }
        a = binary_step(Op::Mul, a, a);
    }
    let r = if n < 0 {
        binary_step(Op::Div, (1.0, 0.0), r)
    } else {
        r
    };
    (base.0.powi(n), r.1)
}

fn binary_step(op: Op, (a, ea): (f64, f64), (b, eb): (f64, f64)) -> (f64, f64) {
    let v = binary(op, a, b);
    let carried = match op {
        Op::Add => ea + eb,
        Op::Mul => a.abs() * eb + b.abs() * ea + ea * eb,
        Op::Div if eb >= b.abs() => f64::INFINITY,
        Op::Div => (ea + v.abs() * eb) / (b.abs() - eb),
        _ => spread(|a, b| binary(op, a, b), (a, ea), (b, eb)),
    };
    // A sum below the normal range is exact, and so is a product by `±1`; a product,
    // quotient or power of other non-zero operands there has lost digits.
    let underflowed = v.abs() < f64::MIN_POSITIVE
        && match op {
            Op::Mul => a != 0.0 && b != 0.0 && a.abs() != 1.0 && b.abs() != 1.0,
            Op::Div | Op::Pow => a != 0.0,
            Op::Func2(_) => b != 0.0,
            _ => false,
        };
    (v, carried + if underflowed { lost_by(op) } else { 0.0 })
}

fn unary_step(op: Op, (a, ea): (f64, f64)) -> (f64, f64) {
    if let Op::PowI(n) = op {
        return powi_step(n, (a, ea));
    }
    let v = unary(op, a);
    let carried = match op {
        Op::AddC(_) => ea,
        Op::MulC(c) => c.abs() * ea,
        _ => spread(|a, _| unary(op, a), (a, ea), (0.0, 0.0)),
    };
    // An exact zero (`0·c`, `log(1)`, `sin(0)`, `0^c`) has lost nothing.
    let exact_zero = v == 0.0
        && match op {
            Op::MulC(c) => a == 0.0 || c == 0.0,
            Op::ConstPow(c) => c == 0.0,
            _ => a == 0.0 || a.abs() == 1.0,
        };
    let underflowed = v.abs() < f64::MIN_POSITIVE && !matches!(op, Op::AddC(_)) && !exact_zero;
    (v, carried + if underflowed { lost_by(op) } else { 0.0 })
}

#[cfg(test)]
mod tests {
    use crate::eval::{Params, compile};
    use crate::parse::parse;

    fn at(text: &str, x: f64) -> f64 {
        compile(&parse(text).unwrap(), "t", &Params::new())
            .unwrap()
            .eval(x)
    }

    /// An intermediate underflows and a later factor would lift the lost digits into the
    /// normal range: refused, one line per member of the class.
    #[test]
    #[rustfmt::skip]
    fn an_underflow_that_reaches_a_normal_result_is_refused() {
        for (text, x) in [
            ("exp(exp(t) + t)*sigmoid(-2*exp(t))", 6.092813971272534),  // -2.5e-190 printed as 0
            ("sqrt(t*exp(-exp(t^2)))", 2.5765804068135996),            // 1.9e-166 printed as 0
            ("sqrt(softplus(-t^2))", 32.36351565680138),               // 3.6e-228 printed as 0
            ("exp(-t^2)*cosh(4*sqrt(t))*t", 27.00301908195094),         // 6e-307 off by 1e-7
            ("exp(-t)*1e300", 800.0),                                   // 1e-48 printed as 0
            ("(exp(-t)*1e200)^2", 760.0),
            ("sigmoid(-t)/sigmoid(-t - 1)", 800.0),                     // 0/0 is e, not NaN
        ] {
            let v = at(text, x);
            assert!(v.is_nan(), "{text} at {x}: {v:e}");
        }
    }

    /// Underflows that the result does not depend on, or results that are themselves below the
    /// normal range, stand.
    #[test]
    #[rustfmt::skip]
    fn an_underflow_the_result_does_not_need_stands() {
        for (text, x, want) in [
            ("t*exp(-t)", 800.0, 0.0),                                  // 800·e^-800 ≈ 1e-345
            ("t^3*exp(-t^2)", 30.0, 0.0),
            ("1 + exp(-t)", 800.0, 1.0),
            ("log(1 + exp(-t)) + 2", 800.0, 2.0),
            ("exp(-t)", 720.0, (-720f64).exp()),                        // itself subnormal
            ("sigmoid(t)", -800.0, 0.0),
            ("t*sin(t)", 0.0, 0.0),                                     // exact zeros
            ("log(t)*exp(700)", 1.0, 0.0),
            ("exp(-t)*1e300", 700.0, (-700f64).exp() * 1e300),           // normal all the way
        ] {
            let v = at(text, x);
            assert_eq!(v.to_bits(), want.to_bits(), "{text} at {x}: {v:e}, want {want:e}");
        }
    }

    /// A correctly rounded product or quotient just below the normal range loses at most half a
    /// unit of the smallest subnormal, a fraction of the last place of a result lifted back
    /// (references by mpmath): it stands.
    #[test]
    #[rustfmt::skip]
    #[allow(clippy::excessive_precision)] // mpmath's digits, as it printed them
    fn a_half_unit_lost_just_below_the_normal_range_stands() {
        for (text, x, want) in [
            ("1/(2*t^2)",       1e-154,                5e307),                    // t² = 1e-308
            ("3/(7*t^2)",       1e-154,                4.2857142857142857143e307),
            ("1/(4*t^4)",       8.179550954218788e-78, 5.5849869154042785825e307), // t⁴ = 4.5e-309
            ("1/4 - 1/(4*t^4)", 8.179550954218788e-78, -5.5849869154042785825e307),
        ] {
            let v = at(text, x);
            assert!((v - want).abs() <= 4.0 * f64::EPSILON * want.abs(), "{text} at {x:e}: {v:e}");
        }
    }

    /// A repeated sub-expression is computed once and loaded again: the second run keeps the
    /// saved values apart from its stack, so the verdicts and values are those of the same
    /// expression written without repetition.
    #[test]
    #[rustfmt::skip]
    fn saved_values_run_again_like_the_rest() {
        for (repeated, single, x) in [
            ("sigmoid(-t)*exp(t/2) + sigmoid(-t)*exp(t/3)", "sigmoid(-t)*(exp(t/2) + exp(t/3))", 730.0),
            ("t*exp(-t) + exp(-t)", "(t + 1)*exp(-t)", 800.0),
            ("exp(-t)*t^2 + exp(-t)*t + exp(-t)", "(t^2 + t + 1)*exp(-t)", 745.0),
            ("log(cosh(t))*sigmoid(-t) + log(cosh(t))", "log(cosh(t))*(sigmoid(-t) + 1)", 730.0),
        ] {
            let (a, b) = (at(repeated, x), at(single, x));
            assert_eq!(a.is_nan(), b.is_nan(), "{repeated}: {a:e}; {single}: {b:e} at {x}");
            if !a.is_nan() {
                assert!((a - b).abs() <= 4.0 * f64::EPSILON * b.abs(), "{repeated}: {a:e} vs {b:e}");
            }
        }
    }

    /// Past `2^50` not even the sign of `sin` is known; below it the value is computed.
    #[test]
    fn trig_of_a_huge_argument_is_refused() {
        for text in ["sin(t)", "cos(t)", "tan(t)", "sin(3*t/4)^(3/2)"] {
            assert!(at(text, 1.2e15).is_nan(), "{text}");
            assert!(at(text, -3e17).is_nan(), "{text}");
        }
        assert_eq!(at("sin(t)", 1.1e15), 1.1e15f64.sin());
        assert_eq!(at("cos(t)", -1e15), (-1e15f64).cos());
    }
}

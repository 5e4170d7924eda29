//! Exact values of `sin`, `cos` and `tan` at rational multiples of `π`.
//!
//! `sin(π)` evaluated in `f64` is `1.2e-16`, not `0`, so `1/sin(pi)` would print `8.2e15`
//! instead of refusing a division by zero. The canonical form therefore knows these functions
//! exactly wherever their value is rational: `sin(k·π/6)` and `cos(k·π/3)` in `{0, ±1/2, ±1}`,
//! `tan(k·π/4)` in `{0, ±1}`, and `tan` at odd multiples of `π/2` is a pole (`1/0`, undefined).
//! By Niven's theorem these are the only rational values of `sin` and `cos` at rational
//! multiples of `π` (and `tan`'s only rational values are `0` and `±1`), so nothing else is
//! left out; irrational values (`sin(π/4) = √2/2`) stay unevaluated.

use super::{Constant, Expr, Func};
use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{Signed, ToPrimitive, Zero};

/// `f(q·π)` when it is rational or a pole, for `arg = q·π` with `q` an exact rational.
pub(crate) fn at_rational_pi(f: Func, arg: &Expr) -> Option<Expr> {
    if !matches!(f, Func::Sin | Func::Cos | Func::Tan) {
        return None;
    }
    let q = pi_multiple(arg)?;
    // The angle in twelfths of a turn-half: `q·π = k·π/12` with `k` taken modulo 24.
    let twelve = BigRational::from_integer(BigInt::from(12));
    let k = &q * &twelve;
    if !k.is_integer() {
        return None;
    }
    let k = k
        .to_integer()
        .mod_floor(&BigInt::from(24))
        .to_i64()
        .unwrap_or(0);
    let value = |num: i64, den: i64| Some(Expr::ratio(num, den));
    match f {
        Func::Sin => sin_twelfths(k).and_then(|(n, d)| value(n, d)),
        Func::Cos => sin_twelfths((k + 6) % 24).and_then(|(n, d)| value(n, d)),
        Func::Tan => match k % 12 {
            0 => value(0, 1),
            3 => value(1, 1),
            9 => value(-1, 1),
            6 => Some(Expr::Pow(Box::new(Expr::zero()), Box::new(Expr::int(-1)))),
            _ => None,
        },
        _ => None,
    }
}

/// `sin(k·π/12)` as `(numerator, denominator)` where it is rational.
fn sin_twelfths(k: i64) -> Option<(i64, i64)> {
    match k {
        0 | 12 => Some((0, 1)),
        2 | 10 => Some((1, 2)),
        6 => Some((1, 1)),
        14 | 22 => Some((-1, 2)),
        18 => Some((-1, 1)),
        _ => None,
    }
}

/// `q` when `e = q·π` (`π` itself, `0`, or a product of a rational and `π`).
fn pi_multiple(e: &Expr) -> Option<BigRational> {
    match e {
        Expr::Const(Constant::Pi) => Some(BigRational::from_integer(BigInt::from(1))),
        Expr::Num(n) if n.is_zero() => Some(n.clone()),
        Expr::Mul(fs) if fs.len() == 2 => match (&fs[0], &fs[1]) {
            (Expr::Num(q), Expr::Const(Constant::Pi)) if q.numer().abs().bits() < 4096 => {
                Some(q.clone())
            }
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::parse::parse;
    use crate::print::plain;

    #[track_caller]
    fn exact(input: &str, expected: &str) {
        let e = parse(input).unwrap_or_else(|err| panic!("{input}: {err}"));
        assert_eq!(plain(&e), expected, "{input}");
    }

    #[test]
    #[rustfmt::skip]
    fn rational_values() {
        exact("sin(pi)", "0");
        exact("sin(2*pi)", "0");
        exact("sin(-pi)", "0");
        exact("sin(1000001*pi)", "0");
        exact("sin(pi/2)", "1");
        exact("sin(3*pi/2)", "-1");
        exact("sin(-pi/2)", "-1");
        exact("sin(pi/6)", "1/2");
        exact("sin(5*pi/6)", "1/2");
        exact("sin(7*pi/6)", "-1/2");
        exact("sin(-pi/6)", "-1/2");
        exact("sin(11*pi/6)", "-1/2");
        exact("cos(pi)", "-1");
        exact("cos(0*pi)", "1");
        exact("cos(pi/2)", "0");
        exact("cos(pi/3)", "1/2");
        exact("cos(2*pi/3)", "-1/2");
        exact("cos(-pi/3)", "1/2");
        exact("cos(4*pi)", "1");
        exact("tan(pi)", "0");
        exact("tan(pi/4)", "1");
        exact("tan(3*pi/4)", "-1");
        exact("tan(-pi/4)", "-1");
        exact("tan(5*pi/4)", "1");
        exact("tan(pi/2)", "1/0");
        exact("tan(-3*pi/2)", "1/0");
    }

    #[test]
    #[rustfmt::skip]
    fn irrational_values_stay() {
        exact("sin(pi/4)", "sin(pi/4)");
        exact("cos(pi/6)", "cos(pi/6)");
        exact("tan(pi/3)", "tan(pi/3)");
        exact("sin(pi/5)", "sin(pi/5)");
        exact("sin(1)", "sin(1)");
        exact("sin(pi^2)", "sin(pi^2)");
    }
}

//! Exact rationals with a machine-integer fast path, for polynomial arithmetic.
//!
//! Rational integration multiplies, divides and reduces many small coefficients (`1`, `−1`,
//! `1/2`); as [`BigRational`]s each operation allocates and runs a big-integer gcd. A [`Q`] is
//! `n/d` in two `i64`s while it fits, computed in `i128` and reduced with a binary gcd, and a
//! [`BigRational`] only when it does not. The representation is canonical (the small form
//! whenever the value fits, always in lowest terms with `d > 0`), so equality is equality of
//! values and every result is exactly the [`BigRational`] result.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::ops::{Add, Div, Mul, Neg, Sub};

/// An exact rational number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Q {
    /// `n/d` in lowest terms with `d > 0` and `n ≠ i64::MIN` (so that `−n` and `1/q` fit).
    Small(i64, i64),
    /// A value the small form cannot hold.
    Big(BigRational),
}

impl Default for Q {
    fn default() -> Q {
        Q::Small(0, 1)
    }
}

/// `gcd(a, b)` of non-negative integers (binary gcd; `gcd(0, b) = b`).
fn gcd_u128(mut a: u128, mut b: u128) -> u128 {
    if a == 0 {
        return b;
    }
    if b == 0 {
        return a;
    }
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    loop {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == 0 {
            return a << shift;
        }
    }
}

impl Q {
    /// The integer `n`.
    pub fn int(n: i64) -> Q {
        Q::ratio(i128::from(n), 1)
    }

    /// `n/d` for `d ≠ 0`, in canonical form.
    fn ratio(n: i128, d: i128) -> Q {
        assert!(d != 0, "division by zero");
        // |n|, |d| < 2^127 here, so the magnitudes fit in u128
        let g = gcd_u128(n.unsigned_abs(), d.unsigned_abs()) as i128;
        let (mut n, mut d) = (n / g, d / g);
        if d < 0 {
            (n, d) = (-n, -d);
        }
        match (i64::try_from(n), i64::try_from(d)) {
            (Ok(n), Ok(d)) if n != i64::MIN => Q::Small(n, d),
            _ => Q::Big(BigRational::new_raw(BigInt::from(n), BigInt::from(d))),
        }
    }

    /// `x` in canonical form.
    pub fn from_big(x: &BigRational) -> Q {
        match (x.numer().to_i64(), x.denom().to_i64()) {
            (Some(n), Some(d)) if n != i64::MIN => Q::Small(n, d),
            _ => Q::Big(x.clone()),
        }
    }

    /// The value as a [`BigRational`].
    pub fn to_big(&self) -> BigRational {
        match self {
            Q::Small(n, d) => BigRational::new_raw(BigInt::from(*n), BigInt::from(*d)),
            Q::Big(x) => x.clone(),
        }
    }

    fn big_result(x: BigRational) -> Q {
        match (x.numer().to_i64(), x.denom().to_i64()) {
            (Some(n), Some(d)) if n != i64::MIN => Q::Small(n, d),
            _ => Q::Big(x),
        }
    }

    /// `0`.
    pub fn zero() -> Q {
        Q::Small(0, 1)
    }

    /// `1`.
    pub fn one() -> Q {
        Q::Small(1, 1)
    }

    /// Whether this is `0`.
    pub fn is_zero(&self) -> bool {
        matches!(self, Q::Small(0, _))
    }

    /// Whether this is `> 0`.
    pub fn is_positive(&self) -> bool {
        match self {
            Q::Small(n, _) => *n > 0,
            Q::Big(x) => x.is_positive(),
        }
    }

    /// `1/self` for `self ≠ 0` (a zero panics, as [`BigRational::recip`] does; callers divide
    /// by leading coefficients, never zero).
    pub fn recip(&self) -> Q {
        match self {
            Q::Small(0, _) => panic!("reciprocal of zero"),
            Q::Small(n, d) if *n < 0 => Q::Small(-d, -n),
            Q::Small(n, d) => Q::Small(*d, *n),
            Q::Big(x) => Q::big_result(x.recip()),
        }
    }
}

impl Add for &Q {
    type Output = Q;
    fn add(self, o: &Q) -> Q {
        match (self, o) {
            (Q::Small(a, 1), Q::Small(b, 1)) => match a.checked_add(*b) {
                Some(n) if n != i64::MIN => Q::Small(n, 1),
                _ => Q::ratio(i128::from(*a) + i128::from(*b), 1),
            },
            (Q::Small(a, b), Q::Small(c, d)) => {
                let (a, b, c, d) = (
                    i128::from(*a),
                    i128::from(*b),
                    i128::from(*c),
                    i128::from(*d),
                );
                Q::ratio(a * d + c * b, b * d)
            }
            _ => Q::big_result(self.to_big() + o.to_big()),
        }
    }
}

impl Sub for &Q {
    type Output = Q;
    fn sub(self, o: &Q) -> Q {
        self + &-o
    }
}

/// Four machine integers widened for a product of two of them (exact: `|a·c| < 2^126`).
fn wide(xs: [i64; 4]) -> [i128; 4] {
    xs.map(i128::from)
}

impl Mul for &Q {
    type Output = Q;
    fn mul(self, o: &Q) -> Q {
        match (self, o) {
            (&Q::Small(a, b), &Q::Small(c, d)) => {
                let [a, b, c, d] = wide([a, b, c, d]);
                Q::ratio(a * c, b * d)
            }
            _ => Q::big_result(self.to_big() * o.to_big()),
        }
    }
}

impl Div for &Q {
    type Output = Q;
    /// `self/o` for `o ≠ 0`.
    fn div(self, o: &Q) -> Q {
        match (self, o) {
            (&Q::Small(a, b), &Q::Small(c, d)) => {
                let [a, b, c, d] = wide([a, b, c, d]);
                Q::ratio(a * d, b * c)
            }
            _ => Q::big_result(self.to_big() / o.to_big()),
        }
    }
}

impl Neg for &Q {
    type Output = Q;
    fn neg(self) -> Q {
        match self {
            Q::Small(n, d) => Q::Small(-n, *d),
            Q::Big(x) => Q::big_result(-x),
        }
    }
}

impl Neg for Q {
    type Output = Q;
    fn neg(self) -> Q {
        -&self
    }
}

impl From<&BigRational> for Q {
    fn from(x: &BigRational) -> Q {
        Q::from_big(x)
    }
}

impl From<i64> for Q {
    fn from(n: i64) -> Q {
        Q::int(n)
    }
}

impl One for Q {
    fn one() -> Q {
        Q::one()
    }
}

impl Mul for Q {
    type Output = Q;
    fn mul(self, o: Q) -> Q {
        &self * &o
    }
}

impl Zero for Q {
    fn zero() -> Q {
        Q::zero()
    }
    fn is_zero(&self) -> bool {
        Q::is_zero(self)
    }
}

impl Add for Q {
    type Output = Q;
    fn add(self, o: Q) -> Q {
        &self + &o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big(n: i128, d: i128) -> BigRational {
        BigRational::new(BigInt::from(n), BigInt::from(d))
    }

    /// Every operation agrees with [`BigRational`], across the edge of the small form.
    #[test]
    fn agrees_with_big_rationals() {
        let max = i128::from(i64::MAX);
        let values = [
            (0, 1),
            (1, 1),
            (-1, 1),
            (1, 2),
            (-7, 3),
            (max, 1),
            (-max, 1),
            (max, max - 1),
            (1, max),
            (-max - 1, 1),
            (max + 1, 3),
            (1, max + 2),
            (max * max, 5),
            (-3, max * 7),
        ];
        for &(a, b) in &values {
            for &(c, d) in &values {
                let (x, y) = (big(a, b), big(c, d));
                let (p, q) = (Q::from_big(&x), Q::from_big(&y));
                assert_eq!(p.to_big(), x);
                assert_eq!(&p + &q, Q::from_big(&(&x + &y)), "{x} + {y}");
                assert_eq!(&p - &q, Q::from_big(&(&x - &y)), "{x} - {y}");
                assert_eq!(&p * &q, Q::from_big(&(&x * &y)), "{x} * {y}");
                if !y.is_zero() {
                    assert_eq!(&p / &q, Q::from_big(&(&x / &y)), "{x} / {y}");
                }
                assert_eq!(-&p, Q::from_big(&-&x));
                assert_eq!(p.is_positive(), x.is_positive());
                assert_eq!(p == q, x == y);
            }
        }
    }

    #[test]
    fn small_form_is_canonical() {
        assert_eq!(
            Q::from_big(&big(i128::from(i64::MIN), 1)),
            Q::Big(big(i128::from(i64::MIN), 1))
        );
        assert_eq!(
            &Q::int(i64::MAX) + &Q::int(1),
            Q::Big(big(i128::from(i64::MAX) + 1, 1))
        );
        assert_eq!(
            &Q::Big(big(i128::from(i64::MAX) + 1, 1)) - &Q::int(1),
            Q::Small(i64::MAX, 1)
        );
        assert_eq!(&Q::int(6) / &Q::int(-4), Q::Small(-3, 2));
        assert_eq!(Q::int(-2).recip(), Q::Small(-1, 2));
    }
}

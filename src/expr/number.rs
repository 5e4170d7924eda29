//! Exact rational arithmetic with a size bound.
//!
//! `BigRational` cannot overflow, but `10^(10^9)` would exhaust memory. Powers whose exact result
//! would need more than [`MAX_EXACT_BITS`] bits are left unevaluated (`10^10000000000` stays a
//! power); the evaluator then reports the value as not finite.

use num_bigint::{BigInt, Sign};
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// The largest number of bits an exact power may produce before it is left unevaluated.
pub const MAX_EXACT_BITS: u64 = 16_384;

/// `r` as the nearest `f64` (±inf beyond range).
pub fn rational_to_f64(r: &BigRational) -> f64 {
    if let Some(x) = r.to_f64() {
        return x;
    }
    // Fall back on a scaled division for huge numerators or denominators.
    let n = r.numer();
    let d = r.denom();
    let nb = n.bits() as i64;
    let db = d.bits() as i64;
    let shift = nb - db;
    if shift > 1100 {
        return if n.is_negative() {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    if shift < -1100 {
        return if n.is_negative() { -0.0 } else { 0.0 };
    }
    let (n2, d2) = if nb > 64 || db > 64 {
        let k = (nb.max(db) - 64).max(0) as u64;
        (n >> k, d >> k)
    } else {
        (n.clone(), d.clone())
    };
    match (n2.to_f64(), d2.to_f64()) {
        (Some(a), Some(b)) if b != 0.0 => a / b,
        _ => f64::NAN,
    }
}

/// `(numerator, denominator)` as machine integers, when both fit in an `i64`.
fn small(r: &BigRational) -> Option<(i128, i128)> {
    Some((
        i128::from(r.numer().to_i64()?),
        i128::from(r.denom().to_i64()?),
    ))
}

/// The reduced rational `n/d` (`d > 0`) from machine integers.
fn from_small(n: i128, d: i128) -> BigRational {
    use num_integer::Integer;
    if d == 1 {
        return BigRational::from_integer(BigInt::from(n));
    }
    let g = n.gcd(&d);
    let (n, d) = if g > 1 { (n / g, d / g) } else { (n, d) };
    BigRational::new_raw(BigInt::from(n), BigInt::from(d))
}

/// `a·b`, exactly; machine arithmetic when both fit in 64 bits (the common case), which avoids
/// `BigInt` division and gcd.
pub fn mul(a: &BigRational, b: &BigRational) -> BigRational {
    match (small(a), small(b)) {
        (Some((an, ad)), Some((bn, bd))) => from_small(an * bn, ad * bd),
        // Integers need no reduction; `BigRational`'s product would still take two binary
        // gcds with the denominators `1`, about one step per bit of the numerators (`40!`).
        _ if a.is_integer() && b.is_integer() => BigRational::from_integer(a.numer() * b.numer()),
        _ if a.is_integer() => integer_times(a.numer(), b),
        _ if b.is_integer() => integer_times(b.numer(), a),
        _ => a * b,
    }
}

/// `n·(p/q)` for a reduced `p/q`: only `gcd(n, q)` can cancel (`gcd(1, p)`, which the general
/// product computes too, costs a step per bit of `p`).
fn integer_times(n: &BigInt, r: &BigRational) -> BigRational {
    use num_integer::Integer;
    let (p, q) = (r.numer(), r.denom());
    let g = match (q.to_u64(), n.abs().to_u64()) {
        // One division by the machine-sized one of the two, then machine gcd.
        (Some(small_q), _) => {
            let rem = (n % q).abs().to_u64().unwrap_or(0);
            BigInt::from(small_q.gcd(&rem))
        }
        (None, Some(small_n)) if small_n != 0 => {
            let rem = (q % BigInt::from(small_n)).to_u64().unwrap_or(0);
            BigInt::from(small_n.gcd(&rem))
        }
        _ => n.gcd(q),
    };
    if g.is_one() {
        BigRational::new_raw(n * p, q.clone())
    } else {
        BigRational::new_raw((n / &g) * p, q / &g)
    }
}

/// `a + b`, exactly, with the same fast path as [`mul`].
pub fn add(a: &BigRational, b: &BigRational) -> BigRational {
    match (small(a), small(b)) {
        (Some((an, ad)), Some((bn, bd))) => {
            if ad == bd {
                from_small(an + bn, ad)
            } else {
                from_small(an * bd + bn * ad, ad * bd)
            }
        }
        _ if a.is_integer() && b.is_integer() => BigRational::from_integer(a.numer() + b.numer()),
        // `n + p/q = (n·q + p)/q`, reduced already since `gcd(p, q) = 1`.
        _ if a.is_integer() => {
            BigRational::new_raw(a.numer() * b.denom() + b.numer(), b.denom().clone())
        }
        _ if b.is_integer() => {
            BigRational::new_raw(b.numer() * a.denom() + a.numer(), a.denom().clone())
        }
        _ => a + b,
    }
}

/// `base^exp` exactly, when the result fits in [`MAX_EXACT_BITS`] bits and `0^negative` is not
/// asked for.
pub fn checked_pow_int(base: &BigRational, exp: &BigInt) -> Option<BigRational> {
    if exp.is_zero() {
        return Some(BigRational::one());
    }
    if base.is_zero() {
        return if exp.is_positive() {
            Some(BigRational::zero())
        } else {
            None
        };
    }
    if base.numer().magnitude().is_one() && base.denom().is_one() {
        // ±1
        let odd = exp.bit(0);
        return Some(if base.is_negative() && odd {
            -BigRational::one()
        } else {
            BigRational::one()
        });
    }
    let e = exp.magnitude().to_u64()?;
    let bits = base.numer().bits().max(base.denom().bits());
    if bits.saturating_mul(e) > MAX_EXACT_BITS {
        return None;
    }
    let e32 = u32::try_from(e).ok()?;
    let p = num_traits::pow::Pow::pow(base, e32);
    Some(if exp.sign() == Sign::Minus {
        p.recip()
    } else {
        p
    })
}

/// The exact `q`-th root of a non-negative rational, when it is rational.
pub fn exact_root(x: &BigRational, q: &BigInt) -> Option<BigRational> {
    if x.is_negative() {
        return None;
    }
    let q = q.to_u32()?;
    if q == 0 || q > 4096 {
        return None;
    }
    let rn = x.numer().nth_root(q);
    let rd = x.denom().nth_root(q);
    let back_n = num_traits::pow::Pow::pow(&rn, q);
    let back_d = num_traits::pow::Pow::pow(&rd, q);
    if &back_n == x.numer() && &back_d == x.denom() {
        Some(BigRational::new(rn, rd))
    } else {
        None
    }
}

/// `base^exp` for rationals, exactly, when the answer is rational and not too large.
pub fn checked_pow_rational(base: &BigRational, exp: &BigRational) -> Option<BigRational> {
    if exp.is_integer() {
        return checked_pow_int(base, exp.numer());
    }
    if base.is_negative() {
        return None;
    }
    if base.is_zero() {
        return if exp.is_positive() {
            Some(BigRational::zero())
        } else {
            None
        };
    }
    let root = exact_root(base, exp.denom())?;
    checked_pow_int(&root, exp.numer())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i64, d: i64) -> BigRational {
        BigRational::new(n.into(), d.into())
    }

    #[test]
    fn big_products_and_sums_are_the_reduced_ones() {
        // 40!, 62! and friends: beyond the machine path, through the integer fast paths.
        let fact = |n: u32| (1..=n).fold(BigInt::one(), |acc, k| acc * BigInt::from(k));
        let big = |n: u32, d: u32| BigRational::new(fact(n), fact(d));
        let cases = [
            (big(40, 0), big(0, 62)),
            (-big(40, 0), big(3, 62)),
            (
                big(40, 0),
                BigRational::new(fact(30) * 7, BigInt::from(1_000_000_007u64)),
            ),
            (big(25, 0), r(-5, 6)),
            (big(0, 40), big(0, 20)),
            (BigRational::zero(), big(1, 50)),
            (-big(41, 0), BigRational::new(BigInt::one(), fact(45) * 3)),
            (r(-12, 1), big(3, 62)),
            (r(7, 1), big(0, 40)),
            (r(0, 1), big(0, 40)),
        ];
        // Equal as fractions in lowest terms, not only in value (`Ratio`'s `==` is by value).
        let parts = |x: BigRational| (x.numer().clone(), x.denom().clone());
        for (a, b) in cases {
            assert_eq!(parts(mul(&a, &b)), parts(&a * &b), "{a} · {b}");
            assert_eq!(parts(mul(&b, &a)), parts(&a * &b), "{b} · {a}");
            assert_eq!(parts(add(&a, &b)), parts(&a + &b), "{a} + {b}");
            assert_eq!(parts(add(&b, &a)), parts(&a + &b), "{b} + {a}");
        }
    }

    #[test]
    fn powers() {
        assert_eq!(checked_pow_rational(&r(4, 9), &r(1, 2)), Some(r(2, 3)));
        assert_eq!(checked_pow_rational(&r(2, 1), &r(-3, 1)), Some(r(1, 8)));
        assert_eq!(checked_pow_rational(&r(2, 1), &r(1, 2)), None);
        assert_eq!(checked_pow_rational(&r(0, 1), &r(-1, 1)), None);
        assert_eq!(checked_pow_rational(&r(-8, 1), &r(1, 3)), None);
        assert_eq!(checked_pow_rational(&r(-1, 1), &r(3, 1)), Some(r(-1, 1)));
        assert_eq!(checked_pow_rational(&r(10, 1), &r(10_000_000_000, 1)), None);
    }

    #[test]
    fn small_and_big_arithmetic_agree() {
        let big = checked_pow_int(&r(3, 1), &BigInt::from(50)).unwrap();
        for (a, b) in [
            (r(1, 2), r(1, 3)),
            (r(-4, 6), r(9, 2)),
            (r(i64::MAX, 1), r(i64::MAX, 7)),
        ] {
            assert_eq!(mul(&a, &b), &a * &b);
            assert_eq!(add(&a, &b), &a + &b);
            assert_eq!(mul(&a, &big), &a * &big);
            assert_eq!(add(&big, &b), &big + &b);
        }
        assert_eq!(add(&r(1, 2), &r(-1, 2)), r(0, 1));
        assert!(mul(&r(0, 1), &r(5, 3)).denom().is_one());
    }

    #[test]
    fn huge_to_f64() {
        let big = checked_pow_int(&r(10, 1), &BigInt::from(400)).unwrap();
        assert_eq!(rational_to_f64(&big), f64::INFINITY);
        assert_eq!(rational_to_f64(&big.recip()), 0.0);
        let x = r(1, 10);
        assert_eq!(rational_to_f64(&x), 0.1);
    }
}

//! Exact constants enclosed between two rationals.
//!
//! A constant such as `pi − 355/113` (about `−2.7e-7`) loses nine of its sixteen digits when
//! its terms are rounded to `f64` before they are subtracted, and its sign is not evident from
//! its form. Here a variable-free expression is enclosed in an interval `[lo, hi]` of rationals
//! that certainly holds its value: numbers, sums, products and integer powers exactly; `pi`,
//! `e` and roots by bounds rounded outward to a multiple of `2^−BITS`. Sizes are bounded
//! (powers up to 256 whose ends stay below 8192 bits, roots up to the 64th), and the last few
//! answers are kept, so that a pathological constant costs milliseconds, not seconds. The sign is certain
//! when the interval excludes `0` ([`sign`]); the `f64` nearest the value is certain when both
//! ends round to the same one ([`nearest_f64`]). Anything else (`log`, `exp` of a non-zero
//! argument, a symbol) has no enclosure here: `None`, and the caller keeps what it had.

use crate::expr::{Constant, Expr, Func};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::cmp::Ordering;
use std::sync::OnceLock;

/// The resolution of the outward rounding: ends are multiples of `2^−BITS` (about `1e−77`).
const BITS: usize = 256;
/// The largest size (bits of numerator and denominator) an end may reach before the enclosure
/// is abandoned (`10^(10^6)` is not enclosed).
const MAX_END_BITS: u64 = 8192;
/// The largest exponent `|n|` of an integer power enclosed.
const MAX_EXPONENT: i64 = 256;
/// The largest root `q` of `x^(p/q)` enclosed (its integer root is taken of a number of
/// `BITS·q` bits).
const MAX_ROOT: u32 = 64;

/// `lo ≤ value ≤ hi`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Interval {
    /// The lower end.
    pub(crate) lo: BigRational,
    /// The upper end.
    pub(crate) hi: BigRational,
}

impl Interval {
    fn point(x: BigRational) -> Interval {
        Interval {
            lo: x.clone(),
            hi: x,
        }
    }

    /// `[down(lo), up(hi)]`, or `None` when an end is too large to carry on.
    fn rounded(lo: BigRational, hi: BigRational) -> Option<Interval> {
        let i = Interval {
            lo: outward(&lo, false),
            hi: outward(&hi, true),
        };
        let small = |x: &BigRational| x.numer().bits() + x.denom().bits() <= MAX_END_BITS;
        (small(&i.lo) && small(&i.hi)).then_some(i)
    }

    fn add(&self, o: &Interval) -> Option<Interval> {
        Interval::rounded(&self.lo + &o.lo, &self.hi + &o.hi)
    }

    fn mul(&self, o: &Interval) -> Option<Interval> {
        let ps = [
            &self.lo * &o.lo,
            &self.lo * &o.hi,
            &self.hi * &o.lo,
            &self.hi * &o.hi,
        ];
        let lo = ps.iter().min()?.clone();
        let hi = ps.iter().max()?.clone();
        Interval::rounded(lo, hi)
    }

    /// `self^n` for an integer `n` (`self` must exclude `0` when `n < 0`).
    fn powi(&self, n: i64) -> Option<Interval> {
        if n < 0 {
            if !self.excludes_zero() {
                return None;
            }
            let inv = Interval::rounded(self.hi.recip(), self.lo.recip())?;
            return inv.powi(-n);
        }
        let k = usize::try_from(n).ok()?;
        // The power's ends would be past the largest size: not built (`pi^200`).
        let bits = |x: &BigRational| x.numer().bits().max(x.denom().bits());
        if bits(&self.lo).max(bits(&self.hi)).saturating_mul(k as u64) > MAX_END_BITS {
            return None;
        }
        let (a, b) = (
            num_traits::pow(self.lo.clone(), k),
            num_traits::pow(self.hi.clone(), k),
        );
        let (lo, hi) = if n % 2 == 1 || !self.lo.is_negative() {
            (a, b)
        } else if !self.hi.is_positive() {
            (b, a)
        } else {
            (BigRational::zero(), a.max(b))
        };
        Interval::rounded(lo, hi)
    }

    /// The positive `q`-th root, for an interval of positive numbers.
    fn root(&self, q: u32) -> Option<Interval> {
        if !self.lo.is_positive() {
            return None;
        }
        let scale = BigRational::from(BigInt::one() << (BITS * q as usize));
        let lo = (&self.lo * &scale).floor().to_integer().nth_root(q);
        let top = (&self.hi * &scale).ceil().to_integer();
        let mut hi = top.nth_root(q);
        if num_traits::pow(hi.clone(), q as usize) < top {
            hi += 1;
        }
        let unit = BigRational::from(BigInt::one() << BITS);
        Interval::rounded(BigRational::from(lo) / &unit, BigRational::from(hi) / &unit)
    }

    fn excludes_zero(&self) -> bool {
        self.lo.is_positive() || self.hi.is_negative()
    }
}

/// `x` rounded down (or `up`) to a multiple of `2^−BITS`.
fn outward(x: &BigRational, up: bool) -> BigRational {
    if x.denom().bits() <= BITS as u64 + 1 {
        return x.clone();
    }
    let unit = BigRational::from(BigInt::one() << BITS);
    let scaled = x * &unit;
    let n = if up { scaled.ceil() } else { scaled.floor() };
    n / unit
}

/// An interval holding the value of the variable-free `e`, when every part of it is one this
/// module encloses. The last few answers are kept on each thread: a proof and each program
/// compiled from a derived form ask about the same constant again.
pub(crate) fn enclose(e: &Expr) -> Option<Interval> {
    /// How many answers each thread keeps.
    const KEPT: usize = 16;
    thread_local! {
        static RECENT: std::cell::RefCell<Vec<(Expr, Option<Interval>)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    if let Some(hit) = RECENT.with(|r| {
        r.borrow()
            .iter()
            .find(|(x, _)| x == e)
            .map(|(_, i)| i.clone())
    }) {
        return hit;
    }
    let answer = enclose_anew(e);
    RECENT.with(|r| {
        let mut r = r.borrow_mut();
        if r.len() == KEPT {
            r.remove(0);
        }
        r.push((e.clone(), answer.clone()));
    });
    answer
}

/// [`enclose`], computed.
fn enclose_anew(e: &Expr) -> Option<Interval> {
    match e {
        Expr::Num(n) => Some(Interval::point(n.clone())),
        Expr::Const(Constant::Pi) => Some(constants().0.clone()),
        Expr::Const(Constant::E) => Some(constants().1.clone()),
        Expr::Sym(_) | Expr::Func2(..) => None,
        Expr::Add(xs) => xs
            .iter()
            .try_fold(Interval::point(BigRational::zero()), |s, x| {
                s.add(&enclose_anew(x)?)
            }),
        Expr::Mul(xs) => xs
            .iter()
            .try_fold(Interval::point(BigRational::one()), |p, x| {
                p.mul(&enclose_anew(x)?)
            }),
        Expr::Pow(b, x) => {
            let Expr::Num(r) = &**x else {
                return None;
            };
            let (p, q) = (r.numer().to_i64()?, r.denom().to_u32()?);
            if p.abs() > MAX_EXPONENT || q > MAX_ROOT {
                return None;
            }
            let base = enclose_anew(b)?;
            let base = if q == 1 { base } else { base.root(q)? };
            base.powi(p)
        }
        Expr::Func(Func::Abs, a) => {
            let i = enclose_anew(a)?;
            Some(if !i.lo.is_negative() {
                i
            } else if !i.hi.is_positive() {
                Interval {
                    lo: -i.hi,
                    hi: -i.lo,
                }
            } else {
                Interval {
                    lo: BigRational::zero(),
                    hi: i.hi.max(-i.lo),
                }
            })
        }
        Expr::Func(..) => None,
    }
}

/// The sign of the variable-free `e` when its enclosure excludes `0`: `Greater` or `Less`,
/// never `Equal` (a zero that the canonical form does not show cannot be certified so).
pub(crate) fn sign(e: &Expr) -> Option<Ordering> {
    if !e.is_constant() {
        return None;
    }
    let i = enclose(e)?;
    if i.lo.is_positive() {
        Some(Ordering::Greater)
    } else if i.hi.is_negative() {
        Some(Ordering::Less)
    } else {
        None
    }
}

/// The `f64` nearest the value of the variable-free `e`, when its enclosure settles it: both
/// ends round to the same `f64`, or the enclosure is narrower than `2^−BITS/2` around `0`-ish
/// values too small for any `f64` digit to be wrong by more than that.
pub(crate) fn nearest_f64(e: &Expr) -> Option<f64> {
    if !e.is_constant() {
        return None;
    }
    let i = enclose(e)?;
    let (lo, hi) = (i.lo.to_f64()?, i.hi.to_f64()?);
    if lo == hi {
        return Some(lo);
    }
    // Both ends within `2^−(BITS/2)` of each other: the midpoint is within that of the value.
    let width = &i.hi - &i.lo;
    let fine = BigRational::new(BigInt::one(), BigInt::one() << (BITS / 2));
    (width <= fine).then(|| ((i.lo + i.hi) / BigRational::from_integer(2.into())).to_f64())?
}

/// The relative rounding bound past which a folded constant is recomputed from its enclosure:
/// about four of sixteen digits lost (`pi − 355/113` loses nine).
const REFOLD_BEYOND: f64 = 1e-13;

/// The value of the variable-free `e`, which its program (`ops`, `slots` deep) computed in
/// `f64` as `v`: `None` (keep `v`) unless the rounding bound of that program exceeds
/// [`REFOLD_BEYOND`] of `|v|` and [`nearest_f64`] settles the value.
pub(super) fn accurate_where_cancelled(
    e: &Expr,
    ops: Vec<super::machine::Op>,
    slots: usize,
    v: f64,
) -> Option<f64> {
    if !v.is_finite() {
        return None;
    }
    let program = super::Compiled {
        ops: ops.into_boxed_slice(),
        depth: slots,
    };
    let (_, bound) = program.eval_with_error(0.0, 0.0);
    if bound.is_finite() && bound <= REFOLD_BEYOND * v.abs() {
        return None;
    }
    nearest_f64(e)
}

/// Whether the variable-free sum `e` (no parameters) cancels: its value is below `1e-3` of the
/// sum of its terms' sizes (`pi − 355/113`, not `pi − 3`), so that written out term by term it
/// would lose more than three digits.
pub(crate) fn cancels(e: &Expr) -> bool {
    let Expr::Add(ts) = e else {
        return false;
    };
    if !e.is_constant() {
        return false;
    }
    let none = super::Params::new();
    let (mut sum, mut size) = (0.0, 0.0);
    for t in ts {
        let Ok(v) = super::eval_constant(t, &none) else {
            return false;
        };
        sum += v;
        size += v.abs();
    }
    size.is_finite() && size > 0.0 && sum.abs() < 1e-3 * size
}

/// `pi` and `e`, enclosed once: `pi = 16·atan(1/5) − 4·atan(1/239)` (Machin) and
/// `e = Σ 1/k!`, each from partial sums that bracket it.
fn constants() -> &'static (Interval, Interval) {
    static BOTH: OnceLock<(Interval, Interval)> = OnceLock::new();
    BOTH.get_or_init(|| {
        let tiny = BigRational::new(BigInt::one(), BigInt::one() << (BITS + 8));
        let (a5, b5) = atan_inverse(5, &tiny);
        let (a239, b239) = atan_inverse(239, &tiny);
        let (k16, k4) = (
            BigRational::from_integer(16.into()),
            BigRational::from_integer(4.into()),
        );
        let pi = Interval {
            lo: outward(&(&k16 * &a5 - &k4 * &b239), false),
            hi: outward(&(&k16 * &b5 - &k4 * &a239), true),
        };
        // e: Σ_{k≤n} 1/k! < e < Σ_{k≤n} 1/k! + 2/(n+1)!.
        let mut sum = BigRational::zero();
        let mut term = BigRational::one();
        let mut k = 0u32;
        while term > tiny {
            sum += &term;
            k += 1;
            term /= BigRational::from_integer(k.into());
        }
        let e = Interval {
            lo: outward(&sum, false),
            hi: outward(&(&sum + &term * BigRational::from_integer(2.into())), true),
        };
        (pi, e)
    })
}

/// `(lo, hi)` around `atan(1/x)`, from the alternating series `Σ (−1)^k / ((2k+1)·x^(2k+1))`:
/// consecutive partial sums bracket it once the terms are below `tiny`.
fn atan_inverse(x: u32, tiny: &BigRational) -> (BigRational, BigRational) {
    let x = BigRational::from_integer(x.into());
    let x2 = &x * &x;
    let mut power = x.clone();
    let mut sum = BigRational::zero();
    let mut k = 0u32;
    loop {
        let term = (&power * BigRational::from_integer((2 * k + 1).into())).recip();
        let next = if k % 2 == 0 {
            &sum + &term
        } else {
            &sum - &term
        };
        if term < *tiny {
            return if next < sum { (next, sum) } else { (sum, next) };
        }
        sum = next;
        power *= &x2;
        k += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    /// `e` (variable-free) has the certified sign `want`.
    #[track_caller]
    fn sign_is(e: &str, want: Option<Ordering>) {
        assert_eq!(sign(&parse(e).unwrap()), want, "{e}");
    }

    /// `e` has the certified nearest `f64` `want` (from mpmath at 50 digits).
    #[track_caller]
    fn nearest_is(e: &str, want: f64) {
        assert_eq!(nearest_f64(&parse(e).unwrap()), Some(want), "{e}");
    }

    #[test]
    fn signs_of_tiny_constants_are_certified() {
        sign_is("pi - 355/113", Some(Ordering::Less));
        sign_is("355/113 - pi", Some(Ordering::Greater));
        sign_is("exp(1) - 2718281828/1000000000", Some(Ordering::Greater));
        sign_is("e - 2718281829/1000000000", Some(Ordering::Less));
        sign_is("sqrt(2) - 1414213562/1000000000", Some(Ordering::Greater));
        sign_is("sqrt(2) - 1414213563/1000000000", Some(Ordering::Less));
        sign_is("2^(1/3) - 1259921049894873/10^15", Some(Ordering::Greater));
        sign_is("pi^2/6 - 1644934066848226/10^15", Some(Ordering::Greater));
        sign_is("1/(pi - 3) - 7", Some(Ordering::Greater));
        // At the largest sizes enclosed: a power of 31 and a root of 64.
        sign_is("pi^31 - 2580156526864958", Some(Ordering::Greater));
        sign_is("pi^31 - 2580156526864959", Some(Ordering::Less));
        sign_is(
            "2^(1/64) - 10108892860517004/10^16",
            Some(Ordering::Greater),
        );
        sign_is("2^(1/64) - 10108892860517005/10^16", Some(Ordering::Less));
        sign_is("abs(3 - pi) - 1/7", Some(Ordering::Less));
        // A zero is never certified, nor what this module does not enclose.
        sign_is("sqrt(8) - 2*sqrt(2)", None);
        sign_is("log(2) - 1", None);
        sign_is("pi - t", None);
    }

    #[test]
    fn nearest_values_are_those_of_mpmath() {
        // mpmath.mp.dps = 50; float(mpmath.pi - mpmath.mpf(355)/113) and so on.
        nearest_is("pi - 355/113", -2.667_641_890_624_223e-7);
        nearest_is(
            "exp(1) - 2718281828/1000000000",
            4.590_452_353_602_874_6e-10,
        );
        nearest_is(
            "sqrt(2) - 1414213562/1000000000",
            3.730_950_488_016_887_4e-10,
        );
        nearest_is("pi", std::f64::consts::PI);
        nearest_is("e", std::f64::consts::E);
        nearest_is("sqrt(2)", std::f64::consts::SQRT_2);
        // A zero the canonical form does not show: within `2^-128` of it.
        let zero = nearest_f64(&parse("sqrt(8) - 2*sqrt(2)").unwrap()).unwrap();
        assert!(zero.abs() < 1e-70, "{zero}");
    }

    #[test]
    fn the_enclosures_of_pi_and_e_are_narrow_and_hold_the_f64_values() {
        let (pi, e) = constants();
        for (i, v) in [(pi, std::f64::consts::PI), (e, std::f64::consts::E)] {
            let width = (&i.hi - &i.lo).to_f64().unwrap();
            assert!(width > 0.0 && width < 1e-70, "{width}");
            let mid = ((&i.lo + &i.hi) / BigRational::from_integer(2.into()))
                .to_f64()
                .unwrap();
            assert_eq!(mid, v);
        }
    }

    #[test]
    fn sums_that_cancel_in_f64_are_told() {
        for (e, want) in [
            ("pi - 355/113", true),
            ("sqrt(2) - 707106781/500000000", true),
            ("e - 679570457/250000000", true),
            ("pi - 3", false),
            ("1 - log(2)", false),
            ("pi", false),
            ("a - 1", false),
        ] {
            assert_eq!(cancels(&parse(e).unwrap()), want, "{e}");
        }
    }

    #[test]
    fn what_is_not_enclosed_has_no_enclosure() {
        for e in [
            "log(2)",
            "exp(2)",
            "atan(1)",
            "2^(1/1000)",
            "2^(1/65)",
            "pi^32",
            "pi^1000",
            "t + 1",
        ] {
            assert!(enclose(&parse(e).unwrap()).is_none(), "{e}");
        }
    }
}

//! The limit of a loss's weight `g'(t)` as `t → −∞` when `g'` is a rational function of `t`
//! with rational coefficients (Geman–McClure `t²/(1 + t²)`: `g' = 2t/(1 + t²)²`).
//!
//! [`super::leading`] reads a sum by its leading terms and gives up when they cancel, as the
//! two halves of `2t/(1 + t²) − 2t³/(1 + t²)²` do; a numeric reading then prints rounding
//! noise (`−4.5e-10`) for `0`. Over one denominator `N(t)/D(t)` the limit is exact by the
//! degrees alone: `0` when `deg N < deg D`, the ratio of the leading coefficients when they
//! are equal, and otherwise `±∞` with the sign of `lead(N)/lead(D)·(−1)^{deg N − deg D}`.

use super::Limit;
use crate::expr::{Expr, LOSS_VAR};
use crate::integrate::poly::Poly;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive};

/// The largest degree of a numerator or denominator read (larger ones are left to the other
/// methods, so that a long sum cannot build a huge common denominator).
const MAX_DEGREE: usize = 64;

/// `h` as `(N, D)` in [`LOSS_VAR`], unreduced; `None` when `h` is not a rational function of
/// `t` with rational coefficients, or a degree passes [`MAX_DEGREE`].
fn fraction(h: &Expr) -> Option<(Poly, Poly)> {
    let small = |(n, d): (Poly, Poly)| {
        (n.degree() <= MAX_DEGREE && d.degree() <= MAX_DEGREE && !d.is_zero()).then_some((n, d))
    };
    let out = match h {
        Expr::Num(r) => (Poly::constant(r.clone()), Poly::one()),
        Expr::Sym(s) if &**s == LOSS_VAR => (Poly::monomial(BigRational::one(), 1), Poly::one()),
        Expr::Add(xs) => {
            let mut acc = (Poly::new(vec![]), Poly::one());
            for x in xs {
                let (n, d) = fraction(x)?;
                acc = small((acc.0.mul(&d).add(&n.mul(&acc.1)), acc.1.mul(&d)))?;
            }
            acc
        }
        Expr::Mul(xs) => {
            let mut acc = (Poly::one(), Poly::one());
            for x in xs {
                let (n, d) = fraction(x)?;
                acc = small((acc.0.mul(&n), acc.1.mul(&d)))?;
            }
            acc
        }
        Expr::Pow(b, x) => {
            let k = x
                .as_num()
                .filter(|k| k.is_integer())?
                .to_integer()
                .to_i64()?;
            let (n, d) = fraction(b)?;
            let (n, d) = if k < 0 { (d, n) } else { (n, d) };
            let k = u32::try_from(k.unsigned_abs()).ok()?;
            if (k as usize).saturating_mul(n.degree().max(d.degree())) > MAX_DEGREE {
                return None;
            }
            (n.pow(k), d.pow(k))
        }
        _ => return None,
    };
    small(out)
}

/// `lim_{t→−∞} h(t)` for a rational function `h` of `t`, exact; `None` when `h` is not one.
pub(super) fn limit_at_minus_infinity(h: &Expr) -> Option<Limit> {
    let (n, d) = fraction(h)?;
    if n.is_zero() {
        return Some(Limit::Finite(Some(Expr::zero()), 0.0));
    }
    let (dn, dd) = (n.degree(), d.degree());
    let ratio = n.lead() / d.lead();
    Some(match dn.cmp(&dd) {
        std::cmp::Ordering::Less => Limit::Finite(Some(Expr::zero()), 0.0),
        std::cmp::Ordering::Equal => {
            let v = ratio.to_f64()?;
            Limit::Finite(Some(Expr::Num(ratio)), v)
        }
        std::cmp::Ordering::Greater => {
            if ratio.is_positive() == ((dn - dd) % 2 == 0) {
                Limit::PlusInfinity
            } else {
                Limit::MinusInfinity
            }
        }
    })
}

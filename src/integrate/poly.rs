//! Exact univariate polynomials over ℚ, for integrating rational functions.
//!
//! Coefficients are exact rationals ([`Q`]: machine integers while they fit, big integers
//! otherwise), lowest degree first, with no trailing zeros (the zero
//! polynomial is empty), so that equality is equality of polynomials. Only what rational
//! integration needs is here: ring operations, division with remainder, gcds, derivatives, and
//! the rational roots of a polynomial (rational root theorem). Sizes are bounded by the callers
//! ([`MAX_DEGREE`]); the root search refuses coefficients too large to factor quickly.

use super::q::Q;
use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// The largest degree rational integration works with.
pub const MAX_DEGREE: usize = 16;

/// The largest `|a₀|` or `|aₙ|` (after clearing denominators) whose divisors the rational root
/// search enumerates.
const MAX_ROOT_SEARCH: u64 = 1_000_000_000_000;

/// The most candidate roots `±p/q` the rational root search tries.
const MAX_CANDIDATES: usize = 4096;

/// A polynomial `Σ c_k x^k` with exact rational coefficients (stored as [`Q`]s, given and
/// returned as [`BigRational`]s).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Poly(Vec<Q>);

impl Poly {
    /// The polynomial with coefficients `coeffs`, lowest degree first.
    pub fn new(coeffs: Vec<BigRational>) -> Poly {
        Poly::from_q(coeffs.iter().map(Q::from_big).collect())
    }

    /// The polynomial with coefficients `coeffs`, lowest degree first.
    pub fn from_q(mut coeffs: Vec<Q>) -> Poly {
        while coeffs.last().is_some_and(Q::is_zero) {
            coeffs.pop();
        }
        Poly(coeffs)
    }

    /// The constant polynomial `c`.
    pub fn constant(c: BigRational) -> Poly {
        Poly::from_q(vec![Q::from_big(&c)])
    }

    /// `c·x^k`.
    pub fn monomial(c: BigRational, k: usize) -> Poly {
        Poly::monomial_q(Q::from_big(&c), k)
    }

    /// `c·x^k`.
    pub fn monomial_q(c: Q, k: usize) -> Poly {
        let mut v = vec![Q::zero(); k + 1];
        v[k] = c;
        Poly::from_q(v)
    }

    /// The constant polynomial `1`.
    pub fn one() -> Poly {
        Poly(vec![Q::one()])
    }

    /// The coefficients, lowest degree first.
    pub fn coeffs(&self) -> Vec<BigRational> {
        self.0.iter().map(Q::to_big).collect()
    }

    /// The coefficients, lowest degree first.
    pub fn coeffs_q(&self) -> &[Q] {
        &self.0
    }

    /// Whether this is the zero polynomial.
    pub fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    /// The degree (`0` for constants, also for the zero polynomial).
    pub fn degree(&self) -> usize {
        self.0.len().saturating_sub(1)
    }

    /// The leading coefficient (`0` for the zero polynomial).
    pub fn lead(&self) -> BigRational {
        self.lead_q().to_big()
    }

    /// The leading coefficient (`0` for the zero polynomial).
    pub fn lead_q(&self) -> Q {
        self.0.last().cloned().unwrap_or_default()
    }

    /// The coefficient of `x^k`.
    pub fn coeff(&self, k: usize) -> BigRational {
        self.coeff_q(k).to_big()
    }

    /// The coefficient of `x^k`.
    pub fn coeff_q(&self, k: usize) -> Q {
        self.0.get(k).cloned().unwrap_or_default()
    }

    /// `self + other`.
    pub fn add(&self, other: &Poly) -> Poly {
        let n = self.0.len().max(other.0.len());
        let zero = Q::zero();
        let at = |p: &'_ Poly, k: usize| -> Q { p.0.get(k).unwrap_or(&zero).clone() };
        Poly::from_q((0..n).map(|k| &at(self, k) + &at(other, k)).collect())
    }

    /// `self − other`.
    pub fn sub(&self, other: &Poly) -> Poly {
        let n = self.0.len().max(other.0.len());
        let zero = Q::zero();
        let at = |p: &'_ Poly, k: usize| -> Q { p.0.get(k).unwrap_or(&zero).clone() };
        Poly::from_q((0..n).map(|k| &at(self, k) - &at(other, k)).collect())
    }

    /// `c·self`.
    pub fn scale(&self, c: &BigRational) -> Poly {
        self.scale_q(&Q::from_big(c))
    }

    /// `c·self`.
    pub fn scale_q(&self, c: &Q) -> Poly {
        Poly::from_q(self.0.iter().map(|a| a * c).collect())
    }

    /// `self · other`.
    pub fn mul(&self, other: &Poly) -> Poly {
        if self.is_zero() || other.is_zero() {
            return Poly::default();
        }
        let mut v = vec![Q::zero(); self.0.len() + other.0.len() - 1];
        for (i, a) in self.0.iter().enumerate() {
            if a.is_zero() {
                continue;
            }
            for (j, b) in other.0.iter().enumerate() {
                if !b.is_zero() {
                    v[i + j] = &v[i + j] + &(a * b);
                }
            }
        }
        Poly::from_q(v)
    }

    /// `self^n`.
    pub fn pow(&self, n: u32) -> Poly {
        (0..n).fold(Poly::one(), |acc, _| acc.mul(self))
    }

    /// `(quotient, remainder)` of `self / d`, with `deg remainder < deg d`; `None` when `d = 0`.
    pub fn divrem(&self, d: &Poly) -> Option<(Poly, Poly)> {
        if d.is_zero() {
            return None;
        }
        let dn = d.degree();
        if self.is_zero() || self.degree() < dn {
            return Some((Poly::default(), self.clone()));
        }
        let mut r = self.0.clone();
        let inv = d.lead_q().recip();
        let mut q = vec![Q::zero(); self.degree() - dn + 1];
        for k in (0..q.len()).rev() {
            let c = &r[k + dn] * &inv;
            if c.is_zero() {
                continue;
            }
            for (j, dc) in d.0.iter().enumerate() {
                if !dc.is_zero() {
                    r[k + j] = &r[k + j] - &(&c * dc);
                }
            }
            q[k] = c;
        }
        r.truncate(dn);
        Some((Poly::from_q(q), Poly::from_q(r)))
    }

    /// `self / d` when `d` divides `self` exactly.
    pub fn div_exact(&self, d: &Poly) -> Option<Poly> {
        if d.degree() == 0 && !d.is_zero() {
            return Some(self.scale_q(&d.0[0].recip()));
        }
        let (q, r) = self.divrem(d)?;
        r.is_zero().then_some(q)
    }

    /// `self` divided by its leading coefficient (the zero polynomial stays zero).
    pub fn monic(&self) -> Poly {
        match self.0.last() {
            None => self.clone(),
            Some(l) if *l == Q::one() => self.clone(),
            Some(l) => self.scale_q(&l.recip()),
        }
    }

    /// The monic greatest common divisor. The remainders are made monic as they are found
    /// (the gcd is defined up to a constant factor), which keeps their coefficients small.
    pub fn gcd(&self, other: &Poly) -> Poly {
        let (mut a, mut b) = (self.clone(), other.monic());
        while !b.is_zero() {
            let r = a.divrem(&b).map(|(_, r)| r).unwrap_or_default();
            a = b;
            b = r.monic();
        }
        a.monic()
    }

    /// `(g, s, t)` with `s·self + t·other = g`, `g` the monic gcd.
    pub fn ext_gcd(&self, other: &Poly) -> (Poly, Poly, Poly) {
        let (mut r0, mut r1) = (self.clone(), other.clone());
        let (mut s0, mut s1) = (Poly::one(), Poly::default());
        let (mut t0, mut t1) = (Poly::default(), Poly::one());
        while !r1.is_zero() {
            let Some((q, r)) = r0.divrem(&r1) else { break };
            r0 = r1;
            r1 = r;
            let s = s0.sub(&q.mul(&s1));
            s0 = s1;
            s1 = s;
            let t = t0.sub(&q.mul(&t1));
            t0 = t1;
            t1 = t;
        }
        if r0.is_zero() {
            return (r0, s0, t0);
        }
        let inv = r0.lead_q().recip();
        (r0.scale_q(&inv), s0.scale_q(&inv), t0.scale_q(&inv))
    }

    /// `(b, c)` with `b·self + c·other = rhs` and `deg b < deg other`, when `gcd(self, other)`
    /// divides `rhs` (Bronstein's `ExtendedEuclidean`).
    pub fn solve_bezout(&self, other: &Poly, rhs: &Poly) -> Option<(Poly, Poly)> {
        let (g, s, _) = self.ext_gcd(other);
        let k = rhs.div_exact(&g)?;
        let b = s.mul(&k);
        let b = if other.degree() > 0 {
            b.divrem(other)?.1
        } else {
            Poly::default()
        };
        let c = rhs.sub(&b.mul(self)).div_exact(other)?;
        Some((b, c))
    }

    /// `d/dx self`.
    pub fn derivative(&self) -> Poly {
        Poly::from_q(
            self.0
                .iter()
                .enumerate()
                .skip(1)
                .map(|(k, c)| c * &Q::int(k as i64))
                .collect(),
        )
    }

    /// `∫_0^x self`.
    pub fn integral(&self) -> Poly {
        let mut v = vec![Q::zero()];
        v.extend(
            self.0
                .iter()
                .enumerate()
                .map(|(k, c)| c / &Q::int(k as i64 + 1)),
        );
        Poly::from_q(v)
    }

    /// `self(x)` at an exact rational `x` (Horner).
    pub fn eval(&self, x: &BigRational) -> BigRational {
        self.eval_q(&Q::from_big(x)).to_big()
    }

    /// `self(x)` at an exact rational `x` (Horner).
    pub fn eval_q(&self, x: &Q) -> Q {
        self.0
            .iter()
            .rev()
            .fold(Q::zero(), |acc, c| &(&acc * x) + c)
    }

    /// The square-free factorisation `[(P_1, 1), (P_2, 2), …]` of a monic polynomial,
    /// `self = Π P_i^i` with every `P_i` square-free and monic (Yun's algorithm); empty for
    /// constants.
    pub fn square_free(&self) -> Vec<(Poly, u32)> {
        let mut out = Vec::new();
        if self.degree() == 0 {
            return out;
        }
        let p = self.monic();
        let dp = p.derivative();
        let a0 = p.gcd(&dp);
        let (Some(mut b), Some(mut c)) = (p.div_exact(&a0), dp.div_exact(&a0)) else {
            return vec![(p, 1)];
        };
        let mut d = c.sub(&b.derivative());
        let mut i = 1;
        while b.degree() > 0 {
            let a = b.gcd(&d);
            if a.degree() > 0 {
                out.push((a.clone(), i));
            }
            let (Some(nb), Some(nc)) = (b.div_exact(&a), d.div_exact(&a)) else {
                return vec![(p, 1)];
            };
            b = nb;
            c = nc;
            d = c.sub(&b.derivative());
            i += 1;
        }
        out
    }

    /// The distinct rational roots, or `None` when the coefficients are too large to search.
    pub fn rational_roots(&self) -> Option<Vec<BigRational>> {
        Some(self.rational_roots_q()?.iter().map(Q::to_big).collect())
    }

    /// The distinct rational roots, or `None` when the coefficients are too large to search.
    pub fn rational_roots_q(&self) -> Option<Vec<Q>> {
        if self.degree() == 0 {
            return Some(Vec::new());
        }
        // Integer coefficients: multiply by the lcm of the denominators.
        let coeffs = self.coeffs();
        let l = coeffs
            .iter()
            .fold(BigInt::one(), |acc, c| acc.lcm(c.denom()));
        let ints: Vec<BigInt> = coeffs.iter().map(|c| (c * &l).to_integer()).collect();
        let mut roots = Vec::new();
        // x = 0 is a root when the lowest coefficients vanish.
        let first = ints.iter().position(|c| !c.is_zero())?;
        if first > 0 {
            roots.push(Q::zero());
        }
        let a0 = ints[first].abs().to_u64()?;
        let an = ints.last()?.abs().to_u64()?;
        if a0 > MAX_ROOT_SEARCH || an > MAX_ROOT_SEARCH {
            return None;
        }
        let (ps, qs) = (divisors(a0), divisors(an));
        if ps.len() * qs.len() > MAX_CANDIDATES {
            return None;
        }
        for &p in &ps {
            for &q in &qs {
                if p.gcd(&q) != 1 {
                    continue;
                }
                for sign in [1i64, -1] {
                    let r = Q::from_big(&BigRational::new(
                        BigInt::from(p) * BigInt::from(sign),
                        BigInt::from(q),
                    ));
                    if self.eval_q(&r).is_zero() && !roots.contains(&r) {
                        roots.push(r);
                    }
                }
            }
        }
        Some(roots)
    }
}

/// The positive divisors of `n > 0`.
fn divisors(n: u64) -> Vec<u64> {
    let mut small = Vec::new();
    let mut large = Vec::new();
    let mut d = 1u64;
    while d * d <= n {
        if n % d == 0 {
            small.push(d);
            if d * d != n {
                large.push(n / d);
            }
        }
        d += 1;
    }
    small.extend(large.into_iter().rev());
    small
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(cs: &[i64]) -> Poly {
        Poly::new(
            cs.iter()
                .map(|&c| BigRational::from_integer(c.into()))
                .collect(),
        )
    }

    fn q(n: i64, d: i64) -> BigRational {
        BigRational::new(n.into(), d.into())
    }

    #[test]
    fn arithmetic() {
        assert_eq!(p(&[1, 1]).mul(&p(&[-1, 1])), p(&[-1, 0, 1]));
        assert_eq!(p(&[1, 2, 1]).sub(&p(&[1, 2, 1])), Poly::default());
        assert_eq!(
            p(&[-1, 0, 1]).divrem(&p(&[1, 1])),
            Some((p(&[-1, 1]), p(&[])))
        );
        assert_eq!(
            p(&[1, 0, 1]).divrem(&p(&[0, 1])),
            Some((p(&[0, 1]), p(&[1])))
        );
        assert_eq!(p(&[0, 0, 3]).derivative(), p(&[0, 6]));
        assert_eq!(p(&[0, 6]).integral(), p(&[0, 0, 3]));
        assert_eq!(p(&[1, 2, 1]).pow(2), p(&[1, 4, 6, 4, 1]));
    }

    #[test]
    fn gcds() {
        assert_eq!(p(&[-1, 0, 1]).gcd(&p(&[1, 2, 1])), p(&[1, 1]));
        assert_eq!(p(&[1, 0, 1]).gcd(&p(&[0, 1])), p(&[1]));
        let (a, b) = (p(&[1, 0, 1]), p(&[2, 1]));
        let (g, s, t) = a.ext_gcd(&b);
        assert_eq!(g, p(&[1]));
        assert_eq!(s.mul(&a).add(&t.mul(&b)), g);
        let (x, y) = a.solve_bezout(&b, &p(&[3, 1, 4])).unwrap();
        assert_eq!(x.mul(&a).add(&y.mul(&b)), p(&[3, 1, 4]));
        assert!(x.degree() < b.degree() || x.is_zero());
    }

    #[test]
    fn square_free_factorisation() {
        // (x + 1)^3 (x² + 1) x
        let f = p(&[1, 1]).pow(3).mul(&p(&[1, 0, 1])).mul(&p(&[0, 1]));
        assert_eq!(
            f.square_free(),
            vec![(p(&[0, 1, 0, 1]), 1), (p(&[1, 1]), 3)]
        );
        assert_eq!(p(&[3]).square_free(), vec![]);
        assert_eq!(p(&[2, 2]).square_free(), vec![(p(&[1, 1]), 1)]);
    }

    #[test]
    fn roots() {
        // (2x − 1)(x + 3)(x² + 1)·x
        let f = p(&[0, -1, 2]).mul(&p(&[3, 1])).mul(&p(&[1, 0, 1]));
        let mut r = f.rational_roots().unwrap();
        r.sort();
        assert_eq!(r, vec![q(-3, 1), q(0, 1), q(1, 2)]);
        assert_eq!(p(&[1, 0, 1]).rational_roots().unwrap(), vec![]);
        assert_eq!(p(&[-2, 0, 1]).rational_roots().unwrap(), vec![]);
    }
}

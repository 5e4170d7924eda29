//! Rational functions of the parameter: where a quantity such as a rate `r(a)`, a coefficient
//! `1/a` or a condition's left side vanishes, changes sign or is undefined.
//!
//! A quantity is read as one fraction `N(a)/D(a)` of polynomials with rational coefficients;
//! its sign can change only at the real roots of `N` and `D`, which must all be rational for the
//! line to be cut exactly. Factors with no root at all (`exp(·)`, `e`, `pi`, even powers of a
//! quantity without roots) are set aside as positive.

use super::set::Region;
use crate::expr::{Expr, Func};
use crate::integrate::poly::Poly;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// The largest degree read.
const MAX_DEGREE: usize = 32;

/// `e` as `(numerator, denominator)` in `var`, unreduced; `None` when `e` is not a rational
/// function of `var` with rational coefficients, or a degree passes [`MAX_DEGREE`] (checked at
/// every step, so a long sum gives up before it builds a huge common denominator: the degrees of
/// an unreduced fraction only grow).
pub fn fraction(e: &Expr, var: &str) -> Option<(Poly, Poly)> {
    let one = || Poly::one();
    let small = |(n, d): (Poly, Poly)| {
        (n.degree() <= MAX_DEGREE && d.degree() <= MAX_DEGREE && !d.is_zero()).then_some((n, d))
    };
    let out = match e {
        Expr::Num(r) => (Poly::constant(r.clone()), one()),
        Expr::Sym(s) if &**s == var => (Poly::monomial(BigRational::one(), 1), one()),
        Expr::Add(xs) => {
            let mut acc = (Poly::new(vec![]), one());
            for x in xs {
                let (n, d) = fraction(x, var)?;
                acc = small((acc.0.mul(&d).add(&n.mul(&acc.1)), acc.1.mul(&d)))?;
            }
            acc
        }
        Expr::Mul(xs) => {
            let mut acc = (one(), one());
            for x in xs {
                let (n, d) = fraction(x, var)?;
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
            let (n, d) = fraction(b, var)?;
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

/// `e` as one reduced fraction in `var` (common factors cancelled, denominator monic), when it
/// is a rational function of `var`; otherwise `e` simplified.
pub fn reduced(e: &Expr, var: &str) -> Expr {
    let simple = crate::simplify::simplify(e).unwrap_or_else(|_| e.clone());
    let Some((n, d)) = fraction(&simple, var) else {
        return simple;
    };
    let g = n.gcd(&d);
    let (Some(n), Some(d)) = (n.div_exact(&g), d.div_exact(&g)) else {
        return simple;
    };
    let lead = d.lead();
    let (n, d) = (n.scale(&lead.recip()), d.scale(&lead.recip()));
    let built = poly_expr(&n, var) * poly_expr(&d, var).recip();
    let built = crate::simplify::simplify(&built).unwrap_or(built);
    if crate::simplify::complexity(&built) <= crate::simplify::complexity(&simple) {
        built
    } else {
        simple
    }
}

/// The polynomial `p` as an expression in `var`.
pub fn poly_expr(p: &Poly, var: &str) -> Expr {
    Expr::add(
        p.coeffs()
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.is_zero())
            .map(|(k, c)| Expr::Num(c.clone()) * Expr::pow(Expr::sym(var), Expr::int(k as i64)))
            .collect(),
    )
}

/// The real roots of `p`, all rational, or `None` when some real root is not rational (or
/// the search is too large).
pub fn real_roots(p: &Poly) -> Option<Vec<BigRational>> {
    if p.is_zero() {
        return None;
    }
    let roots = p.rational_roots()?;
    let mut rest = p.clone();
    for r in &roots {
        let factor = Poly::new(vec![-r.clone(), BigRational::one()]);
        while let Some(q) = rest.div_exact(&factor) {
            rest = q;
            if rest.degree() == 0 {
                break;
            }
        }
    }
    no_real_root(&rest).then_some(roots)
}

/// Whether `p` (with no rational root) has no real root: a constant, or a square-free
/// quadratic with negative discriminant, or one whose values at Sturm's count say so.
fn no_real_root(p: &Poly) -> bool {
    match p.degree() {
        0 => true,
        d if d % 2 == 1 => false,
        _ => sturm_count(p) == 0,
    }
}

/// The number of distinct real roots of `p`, by Sturm's theorem (signs at `±∞`).
fn sturm_count(p: &Poly) -> usize {
    let mut seq = vec![p.clone(), p.derivative()];
    while !seq[seq.len() - 1].is_zero() && seq[seq.len() - 1].degree() > 0 {
        let n = seq.len();
        let Some((_, r)) = seq[n - 2].divrem(&seq[n - 1]) else {
            break;
        };
        if r.is_zero() {
            break;
        }
        seq.push(r.scale(&-BigRational::one()));
    }
    let changes = |signs: Vec<i32>| {
        let s: Vec<i32> = signs.into_iter().filter(|s| *s != 0).collect();
        s.windows(2).filter(|w| w[0] != w[1]).count()
    };
    let sign = |c: BigRational| {
        if c.is_zero() {
            0
        } else if c.is_positive() {
            1
        } else {
            -1
        }
    };
    let at_plus: Vec<i32> = seq
        .iter()
        .filter(|q| !q.is_zero())
        .map(|q| sign(q.lead()))
        .collect();
    let at_minus: Vec<i32> = seq
        .iter()
        .filter(|q| !q.is_zero())
        .map(|q| {
            let s = sign(q.lead());
            if q.degree() % 2 == 1 { -s } else { s }
        })
        .collect();
    changes(at_minus).saturating_sub(changes(at_plus))
}

/// A quantity whose sign changes could not be located exactly.
#[derive(Clone, Debug, PartialEq)]
pub struct NotRational(pub Expr);

/// The values of `var` where `e` may vanish, change sign or be undefined: the real roots of
/// its numerator and denominator. Factors without a real root (`exp(·)`, `pi`) are skipped.
pub fn critical_values(e: &Expr, var: &str) -> Result<Vec<BigRational>, NotRational> {
    if !e.contains_sym(var) {
        return Ok(Vec::new());
    }
    let factors: Vec<&Expr> = match e {
        Expr::Mul(xs) => xs.iter().collect(),
        x => vec![x],
    };
    let mut out = Vec::new();
    for f in factors {
        if !f.contains_sym(var) || positive_everywhere(f) {
            continue;
        }
        let (n, d) = fraction(f, var).ok_or_else(|| NotRational(f.clone()))?;
        for p in [n, d] {
            if p.is_zero() {
                continue;
            }
            out.extend(real_roots(&p).ok_or_else(|| NotRational(f.clone()))?);
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Whether `e` is positive for every real value of its symbols (an exponential, or a power of
/// one).
fn positive_everywhere(e: &Expr) -> bool {
    match e {
        Expr::Func(Func::Exp, _) | Expr::Const(_) => true,
        Expr::Num(n) => n.is_positive(),
        Expr::Pow(b, _) => positive_everywhere(b),
        _ => false,
    }
}

/// The set where `lhs REL 0` holds, for `lhs` a rational function of `var` with rational real
/// roots; a point where `lhs` is undefined never belongs.
pub fn sign_region(
    lhs: &Expr,
    var: &str,
    holds: impl Fn(std::cmp::Ordering) -> bool,
) -> Result<Region, NotRational> {
    let (n, d) = fraction(lhs, var).ok_or_else(|| NotRational(lhs.clone()))?;
    let mut cuts = real_roots(&n).unwrap_or_default();
    if n.is_zero() {
        cuts.clear();
    } else if real_roots(&n).is_none() {
        return Err(NotRational(lhs.clone()));
    }
    cuts.extend(real_roots(&d).ok_or_else(|| NotRational(lhs.clone()))?);
    cuts.sort();
    cuts.dedup();
    let sign_at = |x: &BigRational| -> Option<std::cmp::Ordering> {
        let dv = d.eval(x);
        if dv.is_zero() {
            return None;
        }
        Some((n.eval(x) / dv).cmp(&BigRational::zero()))
    };
    let mut cells = Vec::with_capacity(2 * cuts.len() + 1);
    for i in 0..=cuts.len() {
        let lo = i.checked_sub(1).map(|j| cuts[j].clone());
        let hi = cuts.get(i).cloned();
        let inside = match (&lo, &hi) {
            (None, None) => BigRational::zero(),
            (None, Some(h)) => h - BigRational::one(),
            (Some(l), None) => l + BigRational::one(),
            (Some(l), Some(h)) => (l + h) / BigRational::from_integer(2.into()),
        };
        cells.push(sign_at(&inside).is_some_and(&holds));
        if let Some(c) = hi {
            cells.push(sign_at(&c).is_some_and(&holds));
        }
    }
    Ok(Region::from_cells(cuts, cells))
}

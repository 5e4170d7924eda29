//! Presentation: the form of a result a person would write.
//!
//! The canonical form keeps logarithms of products apart (`log(2) + log(u) - log(u + 1)`), as the
//! simplifier's rules need them that way (the reward of a pair is simplified from `f` and must
//! stay short). A derived closed form is read by a person, though, who writes `log(2*u/(u + 1))`.
//! So merging happens here, once, on results (`f`, `f'`, `g`, `g'`, the dual), never inside the
//! simplifier: [`present`] rewrites, and keeps the rewrite only when it is shorter by
//! [`complexity`] and equal to the input at probe points.
//!
//! The rewrites, each valid where the input is defined:
//! - `c·X·log(A) + d·X·log(B) = k·X·log(A^(c/k)·B^(d/k))` for terms sharing the factor `X`
//!   (`k` the common rational factor of `c` and `d`): every `log` of the input has a positive
//!   argument where the input is defined;
//! - `log(A) = m·log(u) + log(A·u^(−m))` and `abs(A) = u^m·abs(A·u^(−m))` for a sum `A` whose
//!   lowest power of `u > 0` is `m < 0` (`log(1 + 1/u) = log(u + 1) − log(u)`), before the
//!   result is simplified and multiplied out: this is what brings a dual `u·f(1/u)` back to a
//!   form comparable with `f`.

use super::{Assumptions, complexity, expand, simplify_unchecked};
use crate::eval::{Params, compile};
use crate::expr::{DIVERGENCE_VAR, Expr, Func, LOSS_VAR};
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

/// Probe values of `u` (positive) and `t` at which a rewrite must keep the value.
const U_PROBES: [f64; 6] = [0.13, 0.55, 0.93, 1.7, 4.3, 19.0];
const T_PROBES: [f64; 6] = [-3.1, -0.9, -0.2, 0.35, 1.3, 4.2];
/// The relative difference (to the larger value, or to 1 below 1) a rewrite may make.
const PROBE_TOLERANCE: f64 = 1e-9;
/// Far points where a rewrite must stay finite wherever the input is (`2*u` overflows before
/// `u*log(2)` does). Only finiteness: out there the input itself may have lost every digit
/// (Huber's `f'` as differentiated cancels terms of size `1/u`).
const U_FAR: [f64; 2] = [1e-300, 1e300];
const T_FAR: [f64; 2] = [-700.0, 700.0];

/// `e` in the shortest natural form found: logarithms merged, reciprocal powers of `u` taken
/// out of `log` and `abs` arguments; `e` itself when no rewrite is shorter and equal at the
/// probe points.
pub fn present(e: &Expr) -> Expr {
    // A candidate that is `e` itself is never shorter: only rewrites are compared.
    let cleared = cleared_reciprocals(e).filter(|c| c != e);
    let candidates = [
        changed_bottom_up(e, &merge_logs_in_sum),
        cleared.map(|c| merge_logs(&c)),
    ];
    let mut best: Option<Expr> = None;
    for c in candidates.into_iter().flatten() {
        if complexity(&c) < complexity(best.as_ref().unwrap_or(e)) && same_values(e, &c) {
            best = Some(c);
        }
    }
    best.unwrap_or_else(|| e.clone())
}

/// `e` with reciprocal powers of `u` taken out of `log` and `abs` arguments, simplified and
/// multiplied out when that is not longer.
pub fn normalize_reciprocals(e: &Expr) -> Expr {
    cleared_reciprocals(e).unwrap_or_else(|| e.clone())
}

/// [`normalize_reciprocals`], `None` when there is nothing to take out.
fn cleared_reciprocals(e: &Expr) -> Option<Expr> {
    let a = Assumptions::default();
    let mapped = changed_bottom_up(e, &clear_reciprocal).filter(|m| m != e)?;
    let cleared = simplify_unchecked(&mapped, &a);
    Some(match expand(&cleared).map(|x| simplify_unchecked(&x, &a)) {
        Some(x) if complexity(&x) <= complexity(&cleared) => x,
        _ => cleared,
    })
}

/// `e` with every logarithm of a product or power of positive factors split into a sum of
/// logarithms (`log(2*u/(u + 1)) = log(2) + log(u) − log(u + 1)`), multiplied out and
/// simplified: the canonical form the simplifier's rules expect, undoing
/// [`present`]'s merges. Unchanged when there is no such logarithm.
pub fn expand_logs(e: &Expr) -> Expr {
    let a = Assumptions::default();
    let split = map_bottom_up(e, &|x| split_log(x, &a));
    if split == *e {
        return e.clone();
    }
    match expand(&split) {
        Some(x) => simplify_unchecked(&x, &a),
        None => simplify_unchecked(&split, &a),
    }
}

/// `log(Π A_i^(k_i)) = Σ k_i·log(A_i)` when every `A_i` is positive.
fn split_log(e: &Expr, a: &Assumptions) -> Option<Expr> {
    let Expr::Func(Func::Log, arg) = e else {
        return None;
    };
    let factors = match &**arg {
        Expr::Mul(fs) => fs.clone(),
        Expr::Pow(..) => vec![(**arg).clone()],
        _ => return None,
    };
    let mut terms = Vec::new();
    for f in factors {
        let (base, k) = match f {
            Expr::Pow(b, k) if k.as_num().is_some() => (*b, *k),
            other => (other, Expr::one()),
        };
        if !a.is_positive(&base) {
            return None;
        }
        terms.push(k * Expr::func(Func::Log, base));
    }
    Some(Expr::add(terms))
}

/// Whether `a − b` simplifies to zero, directly or after both are multiplied out.
pub fn provably_equal(a: &Expr, b: &Expr) -> bool {
    let asm = Assumptions::default();
    let diff = simplify_unchecked(&(a.clone() - b.clone()), &asm);
    if diff.is_zero() {
        return true;
    }
    expand(&diff).is_some_and(|x| simplify_unchecked(&x, &asm).is_zero())
}

/// Rebuild `e` bottom-up with the constructors, applying `rule` at every node it rewrites.
pub(crate) fn map_bottom_up(e: &Expr, rule: &dyn Fn(&Expr) -> Option<Expr>) -> Expr {
    changed_bottom_up(e, rule).unwrap_or_else(|| e.clone())
}

/// [`map_bottom_up`], `None` when `rule` rewrites nothing: a canonical node whose children are
/// unchanged is rebuilt as itself, so only the path to a rewrite is copied (a long closed form
/// without a logarithm to merge is not rebuilt at all).
fn changed_bottom_up(e: &Expr, rule: &dyn Fn(&Expr) -> Option<Expr>) -> Option<Expr> {
    fn children(xs: &[Expr], rule: &dyn Fn(&Expr) -> Option<Expr>) -> Option<Vec<Expr>> {
        let new: Vec<Option<Expr>> = xs.iter().map(|x| changed_bottom_up(x, rule)).collect();
        super::with_unchanged(new, xs)
    }
    let rebuilt = match e {
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => None,
        Expr::Add(xs) => children(xs, rule).map(Expr::add),
        Expr::Mul(xs) => children(xs, rule).map(Expr::mul),
        Expr::Pow(b, x) => {
            let (nb, nx) = (changed_bottom_up(b, rule), changed_bottom_up(x, rule));
            if nb.is_none() && nx.is_none() {
                None
            } else {
                Some(Expr::pow(
                    nb.unwrap_or_else(|| (**b).clone()),
                    nx.unwrap_or_else(|| (**x).clone()),
                ))
            }
        }
        Expr::Func(f, x) => changed_bottom_up(x, rule).map(|nx| Expr::func(*f, nx)),
        Expr::Func2(f, a, b) => {
            let (na, nb) = (changed_bottom_up(a, rule), changed_bottom_up(b, rule));
            if na.is_none() && nb.is_none() {
                None
            } else {
                Some(Expr::func2(
                    *f,
                    na.unwrap_or_else(|| (**a).clone()),
                    nb.unwrap_or_else(|| (**b).clone()),
                ))
            }
        }
    };
    rule(rebuilt.as_ref().unwrap_or(e)).or(rebuilt)
}

/// The exponent of `u` in a term `c·u^a·(factors free of u)`; `None` for any other term.
fn u_exponent(term: &Expr) -> Option<BigRational> {
    let of_factor = |f: &Expr| -> Option<BigRational> {
        match f {
            Expr::Sym(s) if &**s == DIVERGENCE_VAR => Some(BigRational::one()),
            Expr::Pow(b, x) if matches!(&**b, Expr::Sym(s) if &**s == DIVERGENCE_VAR) => {
                x.as_num().cloned()
            }
            other if !other.contains_sym(DIVERGENCE_VAR) => Some(BigRational::zero()),
            _ => None,
        }
    };
    match term {
        Expr::Mul(fs) => fs
            .iter()
            .try_fold(BigRational::zero(), |acc, f| Some(acc + of_factor(f)?)),
        other => of_factor(other),
    }
}

/// `log(A) = m·log(u) + log(A·u^(−m))`, `abs(A) = u^m·abs(A·u^(−m))` for a sum `A` in `u > 0`
/// whose lowest power of `u` is `m < 0`.
fn clear_reciprocal(e: &Expr) -> Option<Expr> {
    if let Some(x) = atan_of_reciprocal(e) {
        return Some(x);
    }
    let Expr::Func(f @ (Func::Log | Func::Abs), arg) = e else {
        return None;
    };
    let Expr::Add(terms) = &**arg else {
        return None;
    };
    let m = terms
        .iter()
        .map(u_exponent)
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .min()?;
    if !m.is_negative() {
        return None;
    }
    let u = Expr::sym(DIVERGENCE_VAR);
    let scaled = Expr::mul(vec![
        (**arg).clone(),
        Expr::pow(u.clone(), Expr::num(-m.clone())),
    ]);
    let scaled = expand(&scaled)?;
    Some(match f {
        Func::Log => Expr::func(Func::Log, scaled) + Expr::num(m) * Expr::func(Func::Log, u),
        _ => Expr::pow(u, Expr::num(m)) * Expr::func(Func::Abs, scaled),
    })
}

/// `atan(1/x) = π/2 − atan(x)` for `x > 0` (`x` a positive base to a negative rational power).
fn atan_of_reciprocal(e: &Expr) -> Option<Expr> {
    let Expr::Func(Func::Atan, arg) = e else {
        return None;
    };
    let Expr::Pow(base, k) = &**arg else {
        return None;
    };
    let k = k.as_num()?;
    if !k.is_negative() || !Assumptions::default().is_positive(base) {
        return None;
    }
    let half_pi = Expr::constant(crate::expr::Constant::Pi) * Expr::ratio(1, 2);
    Some(
        half_pi
            - Expr::func(
                Func::Atan,
                Expr::pow((**base).clone(), Expr::num(-k.clone())),
            ),
    )
}

/// Merge the logarithms of every sum in `e` that share their other factors.
fn merge_logs(e: &Expr) -> Expr {
    map_bottom_up(e, &merge_logs_in_sum)
}

/// A term `c·X·log(A)` split into `(c, X, A)`; `None` for a term without exactly one `log`
/// factor to the first power.
fn log_term(term: &Expr) -> Option<(BigRational, Expr, Expr)> {
    let factors: &[Expr] = match term {
        Expr::Mul(fs) => fs,
        other => std::slice::from_ref(other),
    };
    let is_log = |f: &&Expr| matches!(f, Expr::Func(Func::Log, _));
    if factors.iter().filter(is_log).count() != 1 {
        return None;
    }
    let (c, rest) = term.split_coeff();
    let factors = match rest {
        Expr::Mul(fs) => fs,
        other => vec![other],
    };
    let mut arg = None;
    let mut others = Vec::new();
    for f in factors {
        match f {
            Expr::Func(Func::Log, a) if arg.is_none() => arg = Some(*a),
            Expr::Func(Func::Log, _) => return None,
            other => others.push(other),
        }
    }
    Some((c, Expr::mul(others), arg?))
}

/// The largest positive rational `k` with every `c/k` an integer.
fn common_factor(cs: &[BigRational]) -> BigRational {
    let num = cs
        .iter()
        .fold(num_bigint::BigInt::zero(), |g, c| g.gcd(c.numer()));
    let den = cs
        .iter()
        .fold(num_bigint::BigInt::one(), |l, c| l.lcm(c.denom()));
    BigRational::new(num, den)
}

/// `Σ c_i·X·log(A_i) = k·X·log(Π A_i^(c_i/k))` within one sum, for every group of at least two
/// terms with the same `X`; the sign of `k` is chosen so that most exponents are positive.
fn merge_logs_in_sum(e: &Expr) -> Option<Expr> {
    let Expr::Add(terms) = e else {
        return None;
    };
    let mut groups: Vec<(Expr, Vec<(BigRational, Expr)>)> = Vec::new();
    let mut rest = Vec::new();
    for term in terms {
        match log_term(term) {
            Some((c, x, a)) => match groups.iter_mut().find(|(gx, _)| *gx == x) {
                Some((_, members)) => members.push((c, a)),
                None => groups.push((x, vec![(c, a)])),
            },
            None => rest.push(term.clone()),
        }
    }
    if groups.iter().all(|(_, m)| m.len() < 2) {
        return None;
    }
    for (x, members) in groups {
        if members.len() < 2 {
            let (c, a) = members.into_iter().next()?;
            rest.push(Expr::num(c) * x * Expr::func(Func::Log, a));
            continue;
        }
        let coeffs: Vec<BigRational> = members.iter().map(|(c, _)| c.clone()).collect();
        let mut k = common_factor(&coeffs);
        if k.is_zero() {
            continue;
        }
        let negatives = coeffs.iter().filter(|c| c.is_negative()).count();
        if 2 * negatives > coeffs.len() {
            k = -k;
        }
        let product = Expr::mul(
            members
                .iter()
                .map(|(c, a)| Expr::pow(a.clone(), Expr::num(c / k.clone())))
                .collect(),
        );
        if let Expr::Add(_) = product {
            // a number times a sum is multiplied out (`log(u/2 + 1/2)`): keep the logs apart
            for (c, a) in members {
                rest.push(Expr::num(c) * x.clone() * Expr::func(Func::Log, a));
            }
            continue;
        }
        rest.push(Expr::num(k) * x * Expr::func(Func::Log, product));
    }
    Some(Expr::add(rest))
}

/// Whether `a` and `b` agree at the probe points of their variable (both must be finite there),
/// and `b` is finite at the far points where `a` is.
pub fn same_values(a: &Expr, b: &Expr) -> bool {
    let var = if a.contains_sym(DIVERGENCE_VAR) {
        DIVERGENCE_VAR
    } else {
        LOSS_VAR
    };
    let probes: &[f64] = if var == DIVERGENCE_VAR {
        &U_PROBES
    } else {
        &T_PROBES
    };
    let params = Params::new();
    let (Ok(ca), Ok(cb)) = (compile(a, var, &params), compile(b, var, &params)) else {
        return false;
    };
    let far: &[f64] = if var == DIVERGENCE_VAR {
        &U_FAR
    } else {
        &T_FAR
    };
    probes.iter().all(|&x| {
        let (va, vb) = (ca.eval(x), cb.eval(x));
        va.is_finite()
            && vb.is_finite()
            && (va - vb).abs() <= PROBE_TOLERANCE * va.abs().max(vb.abs()).max(1.0)
    }) && far
        .iter()
        .all(|&x| !ca.eval(x).is_finite() || cb.eval(x).is_finite())
}

#[cfg(test)]
mod tests {
    use super::present;
    use crate::parse::parse;
    use crate::print::plain;
    use crate::simplify::simplify;

    #[track_caller]
    fn presents_as(input: &str, expected: &str) {
        let e = simplify(&parse(input).unwrap()).unwrap();
        assert_eq!(plain(&present(&e)), expected, "{input}");
    }

    #[test]
    fn merges_logs_sharing_a_factor() {
        presents_as(
            "u*log(2) + u*log(u) - u/2 - u*log(u + 1) + 1/2",
            "u*log(2*u/(u + 1)) - u/2 + 1/2",
        );
        presents_as("log(2) + log(u) - log(u + 1)", "log(2*u/(u + 1))");
        presents_as("log(2) + log(3)", "log(6)");
        presents_as("u*log(u) + log(u)", "u*log(u) + log(u)");
        presents_as("2*log(u) - 2*log(u + 1)", "2*log(u/(u + 1))");
        presents_as(
            "(u + 1)*log(u + 1) - (u + 1)*log(2)",
            "(u + 1)*log(u + 1) - (u + 1)*log(2)",
        );
    }

    #[test]
    fn clears_reciprocals_in_log_and_abs() {
        presents_as(
            "u/2 + log(2) - 1/2 - log(u) - log(1 + 1/u)",
            "u/2 + log(2/(u + 1)) - 1/2",
        );
        presents_as("u*abs(1 - 1/u)/2", "abs(u - 1)/2");
        presents_as("u + 2*atan(1/u) - 1 - pi/2", "u + pi/2 - 1 - 2*atan(u)");
    }

    #[test]
    fn expand_logs_undoes_the_merge() {
        for input in [
            "u*log(2) + u*log(u) - u/2 - u*log(u + 1) + 1/2",
            "log(2) + log(u) - log(u + 1)",
        ] {
            let e = simplify(&parse(input).unwrap()).unwrap();
            assert_eq!(super::expand_logs(&present(&e)), e, "{input}");
        }
    }

    #[test]
    fn keeps_what_a_merge_would_overflow() {
        // log(u*(u + 1)) is infinite at u = 1e300, where log(u) + log(u + 1) is 1381.6
        presents_as("log(u) + log(u + 1)", "log(u) + log(u + 1)");
    }

    #[test]
    fn keeps_what_is_not_shorter() {
        presents_as("exp(t) - t - 1", "exp(t) - t - 1");
        presents_as(
            "-t*log(2) - pi^2/12 - Li2(-exp(t))",
            "-t*log(2) - pi^2/12 - Li2(-exp(t))",
        );
    }
}

//! Identification as a map: which values of the parameter give a named divergence.
//!
//! Candidates come from the exponents: a member's generator has the powers `u^{r(a)}` of the
//! family's rates, and a named generator has its own (`u²` for Pearson χ², `u^{1/2}` for the
//! squared Hellinger distance, `u^α` for the α-divergences); solving `r(a) = k` gives the
//! values worth trying, and each is then proved by the exact identification of
//! [`crate::catalog::identify`] on its member. A catalog entry with a parameter is matched for
//! every value at once: `α(a)` solves `ρ(α) = r(a)` for its exponent `ρ`, the scale `k(a)` is
//! the ratio of the two coefficients of `u^{r(a)}`, and `canonical(f) = k(a)·canonical(f_named)`
//! is checked symbolically, coefficient by coefficient of the powers of `u`.

use super::ratfun::{fraction, real_roots, reduced, sign_region};
use super::structure::Term;
use super::{Cell, Family, Region, serialize_expr};
use crate::analysis::{Outcome, Unavailable};
use crate::catalog::{DIVERGENCES, NamedDivergence, canonical, identify_pair};
use crate::expr::{DIVERGENCE_VAR, Expr};
use crate::simplify::{expand, simplify};
use crate::transform::{Bindings, Residual, from_loss};
use num_rational::BigRational;
use num_traits::{One, Zero};
use std::cmp::Ordering;

/// A named divergence given by the values of the parameter in `region`.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Identified {
    /// Where.
    pub region: Region,
    /// The catalog key.
    pub key: &'static str,
    /// The divergence with its arguments, e.g. `KL(q‖pθ)`.
    pub name: String,
    /// The catalog entry's own parameter and its value in the family's, `alpha = a`.
    pub argument: Option<Argument>,
    /// The exact positive scale `k`: `f = k·f_named + a + c·(u − 1)`.
    #[serde(serialize_with = "serialize_expr")]
    pub scale: Expr,
    /// The constant `a = f(1) − k·f_named(1)`: `D_f = k·D_named + a`.
    #[serde(serialize_with = "serialize_expr")]
    pub offset: Expr,
    /// How it was proved.
    pub method: IdMethod,
}

/// The value of a catalog entry's parameter along the family.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Argument {
    /// The entry's parameter (`alpha`).
    pub name: &'static str,
    /// Its value, an expression in the family's parameter (`a`).
    #[serde(serialize_with = "serialize_expr")]
    pub value: Expr,
}

/// How an identification was established.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IdMethod {
    /// By the exact identification of the member at that value.
    Member,
    /// Symbolically in the parameter, for every value of the region.
    Symbolic,
}

/// The identifications of `family` (its `g'` decomposed into `terms`, its cells `cells`).
pub fn identify(
    family: &Family,
    terms: Option<&[Term]>,
    cells: &[Cell],
) -> Outcome<Vec<Identified>> {
    let p = family.parameter.as_str();
    let rates: Vec<Expr> = terms
        .unwrap_or_default()
        .iter()
        .map(|t| t.rate.clone())
        .filter(|r| r.contains_sym(p))
        .collect();
    let mut out: Vec<Identified> = Vec::new();
    if let Some(f) = &family.generator {
        for d in DIVERGENCES {
            let found = if d.params.is_empty() {
                let named = d.generator(&Bindings::new()).map_err(Unavailable::from)?;
                symbolic(family, f, d, &named, None)
            } else {
                rates
                    .iter()
                    .find_map(|r| parametric(family, f, d, r).transpose())
                    .transpose()?
            };
            if let Some(id) = found.filter(|id| !id.region.is_empty()) {
                out.push(id);
            }
        }
    }
    let mut candidates: Vec<BigRational> = cells
        .iter()
        .filter_map(|c| c.region.as_points())
        .flatten()
        .chain(family.special.iter().map(|m| m.value.clone()))
        .collect();
    for d in DIVERGENCES.iter().filter(|d| d.params.is_empty()) {
        let named = d.generator(&Bindings::new()).map_err(Unavailable::from)?;
        for k in exponents(&named)
            .into_iter()
            .chain([BigRational::zero(), BigRational::one()])
        {
            for r in &rates {
                let q = reduced(&(r.clone() - Expr::Num(k.clone())), p);
                if let Some((n, _)) = fraction(&q, p) {
                    candidates.extend(real_roots(&n).unwrap_or_default());
                }
            }
        }
    }
    candidates.sort();
    candidates.dedup();
    for v in candidates
        .into_iter()
        .filter(|v| family.allowed.contains(v))
    {
        for id in at_value(family, &v)? {
            let covered = out.iter().any(|o| {
                o.key == id.key && o.method == IdMethod::Symbolic && o.region.contains(&v)
            });
            if !covered {
                out.push(id);
            }
        }
    }
    out.sort_by_key(|a| first_value(&a.region));
    Ok(out)
}

/// The lowest value of a region, for ordering (`None` first: unbounded below).
fn first_value(r: &Region) -> Option<BigRational> {
    r.cuts().first().cloned()
}

/// The exact identifications of the member at `v` (none when it is undefined there).
fn at_value(family: &Family, v: &BigRational) -> Outcome<Vec<Identified>> {
    let Ok(member) = family.member(v) else {
        return Ok(Vec::new());
    };
    let from_generator = match &member.generator {
        Some(f) => {
            let none = |_: &[f64]| -> Result<Vec<f64>, crate::Error> { Ok(Vec::new()) };
            crate::catalog::identify(Some(f), &none).map_err(Unavailable::from)?
        }
        None => Vec::new(),
    };
    // A generator substituted at the value may keep a form the catalog does not recognise
    // (`u·sign(log u)·γ(1, log u)` for `|u − 1|`): the member derived from the loss then decides.
    let ids = match (&member.loss, from_generator.is_empty()) {
        (Some(g), true) => match from_loss(g, Residual::TargetMinusModel, &Bindings::new()) {
            Ok(pair) if pair.divergence.is_some() => {
                identify_pair(&pair).map_err(Unavailable::from)?
            }
            _ => Vec::new(),
        },
        _ => from_generator,
    };
    Ok(ids
        .into_iter()
        .filter_map(|id| {
            let scale = id.exact_scale?;
            let offset = id.exact_offset?;
            let argument = crate::catalog::divergence(id.key)
                .and_then(|d| d.params.first())
                .and_then(|(name, _)| {
                    let at = id.name.rsplit(" = ").next()?;
                    Some(Argument {
                        name,
                        value: crate::parse::parse(at).ok()?,
                    })
                });
            Some(Identified {
                region: Region::point(v.clone()),
                key: id.key,
                name: match &argument {
                    Some(_) => crate::catalog::divergence(id.key)
                        .map_or(id.name.clone(), |d| d.name.to_string()),
                    None => id.name,
                },
                argument,
                scale,
                offset,
                method: IdMethod::Member,
            })
        })
        .collect())
}

/// The numeric exponents `k` of the powers `u^k` in `f` (expanded).
fn exponents(f: &Expr) -> Vec<BigRational> {
    let mut out = Vec::new();
    let e = expand(f).unwrap_or_else(|| f.clone());
    walk_powers(&e, &mut |x| {
        if let Some(k) = x.as_num() {
            out.push(k.clone());
        }
    });
    out.sort();
    out.dedup();
    out
}

/// Call `visit` on the exponent of every `u^x` in `e`.
fn walk_powers(e: &Expr, visit: &mut dyn FnMut(&Expr)) {
    match e {
        Expr::Pow(b, x) => {
            if matches!(&**b, Expr::Sym(s) if &**s == DIVERGENCE_VAR) {
                visit(x);
            }
            walk_powers(b, visit);
            walk_powers(x, visit);
        }
        Expr::Add(xs) | Expr::Mul(xs) => xs.iter().for_each(|x| walk_powers(x, visit)),
        Expr::Func(_, a) => walk_powers(a, visit),
        _ => {}
    }
}

/// The identification of `f` with the parametric entry `d` along the rate `r(a)`, when the
/// entry has a power `u^{ρ(α)}` with `ρ` affine and the canonical forms agree.
fn parametric(
    family: &Family,
    f: &Expr,
    d: &'static NamedDivergence,
    r: &Expr,
) -> Outcome<Option<Identified>> {
    let p = family.parameter.as_str();
    let Some((alpha, _)) = d.params.first() else {
        return Ok(None);
    };
    let named = crate::parse::parse(d.f).map_err(|e| Unavailable::from(crate::Error::from(e)))?;
    let mut rhos = Vec::new();
    walk_powers(&named, &mut |x| {
        if x.contains_sym(alpha) {
            rhos.push(x.clone());
        }
    });
    for rho in rhos {
        let Some((n, den)) = fraction(&rho, alpha) else {
            continue;
        };
        if n.degree() != 1 || den.degree() != 0 {
            continue;
        }
        // ρ(α) = m·α + b = r(a)  ⇒  α = (r(a) − b)/m.
        let (b, m) = (n.coeff(0) / den.coeff(0), n.coeff(1) / den.coeff(0));
        let alpha_of_a = reduced(&((r.clone() - Expr::Num(b)) * Expr::Num(m.recip())), p);
        let Ok(named_a) = simplify(&named.substitute(alpha, &alpha_of_a)) else {
            continue;
        };
        let argument = Argument {
            name: alpha,
            value: alpha_of_a,
        };
        if let Some(id) = symbolic(family, f, d, &named_a, Some(argument)) {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

/// `f = k(a)·named + c(a)·(u − 1)` for every value of the parameter in a region: `k(a)` is the
/// ratio of the coefficients of one power of `u` (or `u·log u`, `log u`…) in the two canonical
/// members, checked on every other; the region is where `k(a) > 0` and both sides are defined,
/// less the special members (their own members decide there).
fn symbolic(
    family: &Family,
    f: &Expr,
    d: &'static NamedDivergence,
    named: &Expr,
    argument: Option<Argument>,
) -> Option<Identified> {
    let p = family.parameter.as_str();
    let fc = canonical(f).ok()?;
    let nc = canonical(named).ok()?;
    let ours = by_u_part(&expand(&fc).unwrap_or_else(|| fc.clone()));
    let theirs = by_u_part(&expand(&nc).unwrap_or_else(|| nc.clone()));
    let (u_part, cn) = theirs
        .into_iter()
        .find(|(u, c)| u.contains_sym(DIVERGENCE_VAR) && !c.is_zero())?;
    let cf = ours.into_iter().find(|(u, _)| *u == u_part)?.1;
    let k = reduced(&(cf * cn.recip()), p);
    if k.contains_sym(DIVERGENCE_VAR) || k.is_zero() || !zero_in_u(&(fc - k.clone() * nc), p) {
        return None;
    }
    let positive = sign_region(&k, p, |o| o == Ordering::Greater).ok()?;
    let defined = defined_where(f, p).intersect(&defined_where(named, p));
    let specials = Region::points(family.special.iter().map(|m| m.value.clone()));
    let at_one = |e: &Expr| e.substitute(DIVERGENCE_VAR, &Expr::one());
    let offset = reduced(&simplify(&(at_one(f) - k.clone() * at_one(named))).ok()?, p);
    Some(Identified {
        region: family
            .allowed
            .intersect(&positive)
            .intersect(&defined)
            .minus(&specials),
        key: d.key,
        name: d.name.to_string(),
        argument,
        scale: k,
        offset,
        method: IdMethod::Symbolic,
    })
}

/// The summands of `e` grouped by their factor in `u`: `(u-part, summed coefficient)`.
fn by_u_part(e: &Expr) -> Vec<(Expr, Expr)> {
    let summands: Vec<Expr> = match e {
        Expr::Add(xs) => xs.clone(),
        x => vec![x.clone()],
    };
    let mut out: Vec<(Expr, Expr)> = Vec::new();
    for s in summands {
        let factors: Vec<Expr> = match &s {
            Expr::Mul(xs) => xs.clone(),
            x => vec![x.clone()],
        };
        let (with_u, without): (Vec<Expr>, Vec<Expr>) = factors
            .into_iter()
            .partition(|f| f.contains_sym(DIVERGENCE_VAR));
        let (u, c) = (Expr::mul(with_u), Expr::mul(without));
        match out.iter_mut().find(|(x, _)| *x == u) {
            Some((_, acc)) => *acc = acc.clone() + c,
            None => out.push((u, c)),
        }
    }
    out
}

/// Whether `e` is zero: every coefficient of each power of `u`, reduced in `p`, is zero.
fn zero_in_u(e: &Expr, p: &str) -> bool {
    let Ok(e) = simplify(e) else { return false };
    let e = expand(&e).unwrap_or(e);
    by_u_part(&e)
        .into_iter()
        .all(|(_, c)| reduced(&c, p).is_zero())
}

/// The values of `p` where no denominator of `e` (a power with a negative exponent of an
/// expression in `p`) vanishes.
fn defined_where(e: &Expr, p: &str) -> Region {
    let mut out = Region::all();
    let mut visit = |x: &Expr| {
        if let Expr::Pow(b, k) = x {
            if k.as_num().is_some_and(|k| *k < BigRational::zero())
                && b.contains_sym(p)
                && !b.contains_sym(DIVERGENCE_VAR)
            {
                if let Ok(r) = sign_region(b, p, |o| o != Ordering::Equal) {
                    out = out.intersect(&r);
                }
            }
        }
    };
    fn walk(e: &Expr, visit: &mut dyn FnMut(&Expr)) {
        visit(e);
        match e {
            Expr::Add(xs) | Expr::Mul(xs) => xs.iter().for_each(|x| walk(x, visit)),
            Expr::Pow(b, x) => {
                walk(b, visit);
                walk(x, visit);
            }
            Expr::Func(_, a) => walk(a, visit),
            _ => {}
        }
    }
    walk(e, &mut visit);
    out
}

//! The special values of a family and what is computed at them.
//!
//! Where the input is undefined is read from its form (`scan_domain`); the member at a value
//! where it is undefined is its **limit** ([`limit`], L'Hôpital's rule in the parameter on the
//! input over one denominator); the generic result's limit there is compared with the member
//! (`check_limit`); and the gradient check of the generic pair runs at a spread of values
//! ([`spread`], [`gradient_at`]).

use super::assume::holds_at;
use super::ratfun::{Grouped, RatFun, roots_with_multiplicity, vanishes};
use super::{Condition, LimitCheck, Relation};
use crate::Error;
use crate::analysis::Outcome;
use crate::diff::diff;
use crate::expr::{Expr, Func};
use crate::report::GradientSummary;
use crate::simplify::simplify;
use crate::transform::{Bindings, Correspondence, Direction, Residual};
use num_rational::BigRational;
use num_traits::{Signed, Zero};

/// Where the input is undefined, read from its form: denominators free of the variables that
/// depend on the parameter (`a ≠ 0`), logarithms (`a > 0`), fractional powers (`a ≥ 0`),
/// dilogarithms (`a ≤ 1`) and powers `|t|^a` of the variable (`a ≥ 0`, special at `a = 0`).
#[derive(Default)]
pub(crate) struct Domain {
    /// Conditions the input needs, as `lhs REL 0`.
    pub(crate) needs: Vec<Condition>,
    /// Rational values where a denominator vanishes.
    pub(crate) special: Vec<BigRational>,
    /// Regions where the input is undefined, with why.
    pub(crate) regions: Vec<(Condition, String)>,
}

pub(crate) fn push_unique(v: &mut Vec<Condition>, c: Condition) {
    if !v.contains(&c) {
        v.push(c);
    }
}

pub(crate) fn scan_domain(e: &Expr, param: &str, out: &mut Domain) {
    let about_param = |x: &Expr| x.contains_sym(param) && x.is_constant_in_variables();
    match e {
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => {}
        Expr::Add(xs) | Expr::Mul(xs) => xs.iter().for_each(|x| scan_domain(x, param, out)),
        Expr::Pow(b, x) => {
            scan_domain(b, param, out);
            scan_domain(x, param, out);
            if about_param(x) && vanishing_base(b) {
                zero_to_a_parameter(x, param, out);
            }
            let Some(n) = x.as_num() else { return };
            if !about_param(b) {
                return;
            }
            if n.is_negative() {
                push_unique(
                    &mut out.needs,
                    Condition {
                        lhs: (**b).clone(),
                        relation: Relation::Ne,
                    },
                );
                if let Some(r) = RatFun::of(b, param) {
                    for (root, _) in roots_with_multiplicity(&r.num) {
                        if !out.special.contains(&root) {
                            out.special.push(root);
                        }
                    }
                }
            }
            if !n.is_integer() {
                let (needs, undefined, why) = if n.is_negative() {
                    (
                        Relation::Gt,
                        Relation::Le,
                        "a fractional power of a non-positive number",
                    )
                } else {
                    (
                        Relation::Ge,
                        Relation::Lt,
                        "a fractional power of a negative number",
                    )
                };
                push_unique(
                    &mut out.needs,
                    Condition {
                        lhs: (**b).clone(),
                        relation: needs,
                    },
                );
                out.regions.push((
                    Condition {
                        lhs: (**b).clone(),
                        relation: undefined,
                    },
                    why.to_string(),
                ));
            }
        }
        Expr::Func(f, a) => {
            scan_domain(a, param, out);
            if *f == Func::Li2 && about_param(a) {
                let lhs = (**a).clone() - Expr::one();
                push_unique(
                    &mut out.needs,
                    Condition {
                        lhs: lhs.clone(),
                        relation: Relation::Le,
                    },
                );
                out.regions.push((
                    Condition {
                        lhs,
                        relation: Relation::Gt,
                    },
                    "the dilogarithm of a number above 1".to_string(),
                ));
            }
            if *f == Func::Log && about_param(a) {
                push_unique(
                    &mut out.needs,
                    Condition {
                        lhs: (**a).clone(),
                        relation: Relation::Gt,
                    },
                );
                out.regions.push((
                    Condition {
                        lhs: (**a).clone(),
                        relation: Relation::Le,
                    },
                    "the logarithm of a non-positive number".to_string(),
                ));
            }
        }
        Expr::Func2(_, p, x) => {
            scan_domain(p, param, out);
            scan_domain(x, param, out);
            if about_param(p) {
                push_unique(
                    &mut out.needs,
                    Condition {
                        lhs: (**p).clone(),
                        relation: Relation::Gt,
                    },
                );
                out.regions.push((
                    Condition {
                        lhs: (**p).clone(),
                        relation: Relation::Le,
                    },
                    "the incomplete gamma function of a non-positive order".to_string(),
                ));
            }
        }
    }
}

/// Whether `b` is `|t|` of the loss's variable, which is `0` at `t = 0` (the generator's `u`
/// is positive, so `u^a` is defined for every `a`; `t^a` is left alone: for `t < 0` it is
/// defined only at integers `a`, which the scan does not express).
fn vanishing_base(b: &Expr) -> bool {
    matches!(b, Expr::Func(Func::Abs, a) if matches!(&**a, Expr::Sym(s) if &**s == crate::expr::LOSS_VAR))
}

/// `|t|^x` with `x` in the parameter is `0` to a negative power at `t = 0` where `x < 0`: a
/// region where the input is undefined; `x = 0` gives `|t|^0 = 1`, a special value.
fn zero_to_a_parameter(x: &Expr, param: &str, out: &mut Domain) {
    push_unique(
        &mut out.needs,
        Condition {
            lhs: x.clone(),
            relation: Relation::Ge,
        },
    );
    out.regions.push((
        Condition {
            lhs: x.clone(),
            relation: Relation::Lt,
        },
        "a negative power of 0 at t = 0".to_string(),
    ));
    if let Some(r) = RatFun::of(x, param) {
        for (root, _) in roots_with_multiplicity(&r.num) {
            if !out.special.contains(&root) {
                out.special.push(root);
            }
        }
    }
}

/// The limit of `e` as `param → value`: `e` at the value where it is defined there, else by
/// L'Hôpital's rule on `e` over one denominator `N/D` in the parameter, with `D` vanishing to
/// order `m` at the value: `N, N', …, N^(m−1)` must vanish there (checked exactly), and the
/// limit is `N^(m)(v)/D^(m)(v)`, `D^(m)(v) = m!·(D/(p − v)^m)(v) ≠ 0`.
pub fn limit(e: &Expr, param: &str, value: &BigRational) -> Result<Expr, String> {
    let v = Expr::Num(value.clone());
    if let Ok(s) = simplify(&e.substitute(param, &v)) {
        return Ok(s);
    }
    if let Some(l) = super::power::limit_at_vanishing_order(e, param, value) {
        return l;
    }
    let g = Grouped::of(e, param)
        .ok_or_else(|| "it is not a quotient the exact arithmetic can hold".to_string())?;
    let d = g.denominator();
    let n = g
        .numerator_over(&d, param)
        .ok_or_else(|| "it is not a quotient the exact arithmetic can hold".to_string())?;
    let m = roots_with_multiplicity(&d)
        .into_iter()
        .find(|(r, _)| r == value)
        .map_or(0, |(_, m)| m);
    if m == 0 {
        return Err(
            "it is undefined there, but not because a denominator in the parameter vanishes".into(),
        );
    }
    let mut nk = n;
    for _ in 0..m {
        let at = simplify(&nk.substitute(param, &v)).map_err(|e| e.to_string())?;
        if !vanishes(&at, param) {
            return Err(format!(
                "the numerator does not vanish there (it is {}): the limit is not finite",
                crate::print::plain(&at)
            ));
        }
        nk = diff(&nk, param).map_err(|e| e.to_string())?;
    }
    let dm = (0..m).fold(d, |p, _| p.derivative()).eval(value);
    if dm.is_zero() {
        return Err("the denominator's derivative vanishes there".into());
    }
    let top = simplify(&nk.substitute(param, &v)).map_err(|e| e.to_string())?;
    simplify(&(top * Expr::Num(dm.recip()))).map_err(|e| e.to_string())
}

pub(crate) fn derive_member(
    e: &Expr,
    direction: Direction,
    residual: Residual,
    bindings: &Bindings,
) -> Outcome<Correspondence> {
    match direction {
        Direction::FromLoss => crate::transform::from_loss(e, residual, bindings),
        Direction::FromDivergence => crate::transform::from_divergence(e, residual, bindings),
    }
    .map_err(Into::into)
}

pub(crate) fn derived_side(pair: &Correspondence) -> Option<&Expr> {
    match pair.direction {
        Direction::FromLoss => pair.divergence.as_ref(),
        Direction::FromDivergence => pair.loss.as_ref(),
    }
}

pub(crate) fn check_limit(
    generic: &Correspondence,
    member: &Correspondence,
    param: &str,
    v: &BigRational,
) -> LimitCheck {
    let (Some(g), Some(m)) = (derived_side(generic), derived_side(member)) else {
        return LimitCheck::NotComputed("the member's derived side is numeric".into());
    };
    match limit(g, param, v) {
        Err(why) => LimitCheck::NotComputed(why),
        Ok(l) => {
            if simplify(&(l.clone() - m.clone())).is_ok_and(|d| vanishes(&d, param)) {
                LimitCheck::Agrees(l)
            } else if crate::simplify::present::same_values(&l, m) {
                LimitCheck::NotComputed(format!(
                    "the limit {} equals the member at six points to 1e-9, but the difference does not simplify to zero",
                    crate::print::plain(&l)
                ))
            } else {
                LimitCheck::Differs(l)
            }
        }
    }
}

/// `c` with an affine side scaled to `p − v` (`a^2 ≠ 0` as `a ≠ 0` too: a power's zeros are
/// its base's).
pub(crate) fn normalised(c: &Condition, param: &str) -> Condition {
    let mut lhs = c.lhs.clone();
    if let (Expr::Pow(b, x), Relation::Ne | Relation::Eq) = (&lhs, c.relation) {
        if x.as_num().is_some_and(|n| n.is_positive()) {
            lhs = (**b).clone();
        }
    }
    if let Some(r) = RatFun::of(&lhs, param) {
        if r.den.degree() == 0 && r.num.degree() == 1 {
            let k = r.num.coeff(1) / r.den.coeff(0);
            let v = -r.num.coeff(0) / r.num.coeff(1);
            let relation = if k.is_negative() {
                match c.relation {
                    Relation::Lt => Relation::Gt,
                    Relation::Le => Relation::Ge,
                    Relation::Gt => Relation::Lt,
                    Relation::Ge => Relation::Le,
                    r => r,
                }
            } else {
                c.relation
            };
            return Condition {
                lhs: Expr::sym(param) - Expr::Num(v),
                relation,
            };
        }
    }
    Condition {
        lhs,
        relation: c.relation,
    }
}

/// The values the gradient check of the generic pair uses: a fixed spread and each special
/// value `± 1/1000`, those the conditions and assumptions allow.
pub fn spread(
    special: &[BigRational],
    conditions: &[Condition],
    assumed: &[Condition],
    param: &str,
) -> Vec<BigRational> {
    let r = |n: i64, d: i64| BigRational::new(n.into(), d.into());
    let mut values: Vec<BigRational> = [
        (-2, 1),
        (-1, 1),
        (-1, 2),
        (1, 10),
        (1, 3),
        (1, 2),
        (9, 10),
        (3, 2),
        (2, 1),
        (3, 1),
    ]
    .iter()
    .map(|&(n, d)| r(n, d))
    .collect();
    let eps = r(1, 1000);
    for s in special {
        values.push(s - &eps);
        values.push(s + &eps);
    }
    values.sort();
    values.dedup();
    values
        .into_iter()
        .filter(|v| {
            conditions
                .iter()
                .chain(assumed)
                .all(|c| holds_at(c, param, v) != Some(false))
        })
        .collect()
}

/// The generic pair at `param = v`, each side simplified, and its gradient check.
pub fn gradient_at(
    pair: &Correspondence,
    param: &str,
    v: &BigRational,
) -> Outcome<GradientSummary> {
    let value = Expr::Num(v.clone());
    let at = |e: &Option<Expr>| -> Result<Option<Expr>, Error> {
        e.as_ref()
            .map(|e| simplify(&e.substitute(param, &value)).map_err(Error::from))
            .transpose()
    };
    let member = Correspondence {
        written: simplify(&pair.written.substitute(param, &value)).map_err(Error::from)?,
        loss: at(&pair.loss)?,
        divergence: at(&pair.divergence)?,
        loss_derivative: at(&pair.loss_derivative)?,
        divergence_derivative: at(&pair.divergence_derivative)?,
        ..pair.clone()
    };
    let check = member.gradient_check(&crate::check::CheckOptions::default())?;
    Ok(GradientSummary::of(&member, &check))
}

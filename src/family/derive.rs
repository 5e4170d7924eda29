//! A family derived with its parameter left symbolic, and its special values as cases.
//!
//! The generic member comes from the exponential polynomials of [`super::expoly`], whose rates
//! may depend on the parameter: each rate `r(p)` that must not vanish is a condition `r ≠ 0`,
//! as is each denominator of the input or of the result. The values where a condition fails are
//! **special**, each a case of its own: where the input is defined there it is re-derived with
//! the value bound exactly (the ordinary transform, as `--param` does); where it is undefined
//! (`a = 0` in Linex's `/a²`) the member is the input's **limit**, computed symbolically by
//! L'Hôpital's rule in the parameter on the input written over one denominator (the
//! denominator's derivative at the value is a non-zero rational, so the rule applies), and then
//! derived. Where the generic result has a limit at a special value, it is compared with the
//! member. Regions where the input is undefined (`log(a)` for `a ≤ 0`) are cases too.

use super::assume::{Assumption, feasible, holds_at, implies};
use super::expoly::integrate_from_zero;
use super::ratfun::{Grouped, RatFun, roots_with_multiplicity, vanishes};
use super::{Condition, Relation};
use crate::Error;
use crate::ErrorKind;
use crate::analysis::{Outcome, Unavailable};
use crate::diff::diff;
use crate::expr::{DIVERGENCE_VAR, Expr, Func, LOSS_VAR};
use crate::params::Subject;
use crate::report::GradientSummary;
use crate::simplify::{Assumptions, simplify, simplify_with};
use crate::transform::{Bindings, Correspondence, Direction, Residual};
use num_rational::BigRational;
use num_traits::{Signed, Zero};

/// What a case is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaseKind {
    /// Every value the conditions allow: the pair in terms of the parameter.
    Generic,
    /// A special value where the input is defined: derived with the value bound.
    Value,
    /// A special value where the input is undefined: derived from its limit.
    Limit,
    /// A region of values where the input is undefined.
    Undefined,
}

/// Whether the generic result's limit at a special value is the special member.
#[derive(Clone, Debug, PartialEq)]
pub enum LimitCheck {
    /// The limit, and it equals the member's derived side exactly.
    Agrees(Expr),
    /// The limit, and it differs from the member's derived side.
    Differs(Expr),
    /// Not computed, and why.
    NotComputed(String),
}

/// One case of a family.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// What the case is.
    pub kind: CaseKind,
    /// The conditions on the parameter under which the case applies.
    pub conditions: Vec<Condition>,
    /// The parameter's value, for a special value.
    pub value: Option<BigRational>,
    /// Why the input is undefined at the value or on the region (the simplifier's words).
    pub undefined: Option<String>,
    /// The member: the pair (generic: in terms of the parameter), or why it is not derived.
    pub pair: Outcome<Correspondence>,
    /// For a special value: the generic result's limit there against the member.
    pub generic_limit: Option<LimitCheck>,
}

/// The gradient check of the generic pair with one value of the parameter substituted.
#[derive(Clone, Debug, PartialEq)]
pub struct GradientAt {
    /// The value.
    pub value: BigRational,
    /// The check, or why it could not be run.
    pub check: Outcome<GradientSummary>,
}

/// A family: its input, its parameter, and its cases.
#[derive(Clone, Debug, PartialEq)]
pub struct Family {
    /// Which side was given.
    pub direction: Direction,
    /// The residual the given loss is written on.
    pub residual: Residual,
    /// The parameter left symbolic.
    pub param: String,
    /// The input as written, other parameters' values substituted.
    pub written: Expr,
    /// The parameter values given for other parameters, as used.
    pub parameters: Vec<crate::params::Bound>,
    /// The user's assumptions.
    pub assumptions: Vec<Assumption>,
    /// The cases: the generic one first (when the assumptions allow it), then the special
    /// values in increasing order, then the regions where the input is undefined.
    pub cases: Vec<Case>,
    /// The gradient check of the generic pair at a spread of values (empty when there is no
    /// generic pair).
    pub gradient_checks: Vec<GradientAt>,
}

impl Family {
    /// The generic case, when there is one.
    pub fn generic(&self) -> Option<&Case> {
        self.cases.iter().find(|c| c.kind == CaseKind::Generic)
    }

    /// The case of the special value `v`.
    pub fn at(&self, v: &BigRational) -> Option<&Case> {
        self.cases.iter().find(|c| c.value.as_ref() == Some(v))
    }
}

fn unavailable(kind: ErrorKind, reason: impl Into<String>) -> Unavailable {
    Unavailable {
        kind,
        reason: reason.into(),
    }
}

/// Where the input is undefined, read from its form: denominators free of the variables that
/// depend on the parameter (`a ≠ 0`), logarithms (`a > 0`), fractional powers (`a ≥ 0`) and
/// dilogarithms (`a ≤ 1`).
#[derive(Default)]
struct Domain {
    /// Conditions the input needs, as `lhs REL 0`.
    needs: Vec<Condition>,
    /// Rational values where a denominator vanishes.
    special: Vec<BigRational>,
    /// Regions where the input is undefined, with why.
    regions: Vec<(Condition, String)>,
}

fn push_unique(v: &mut Vec<Condition>, c: Condition) {
    if !v.contains(&c) {
        v.push(c);
    }
}

fn scan_domain(e: &Expr, param: &str, out: &mut Domain) {
    let about_param = |x: &Expr| x.contains_sym(param) && x.is_constant_in_variables();
    match e {
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => {}
        Expr::Add(xs) | Expr::Mul(xs) => xs.iter().for_each(|x| scan_domain(x, param, out)),
        Expr::Pow(b, x) => {
            scan_domain(b, param, out);
            scan_domain(x, param, out);
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
    }
}

/// A result written over one denominator in the parameter when it can be
/// ([`Grouped::together`]), else as the simplifier leaves it.
pub fn present(e: &Expr, param: &str) -> Result<Expr, Error> {
    let s = simplify(e)?;
    let grouped = Grouped::of(&s, param).and_then(|g| g.together(param));
    Ok(match grouped {
        Some(t) if crate::simplify::complexity(&t) <= 2 * crate::simplify::complexity(&s) + 8 => t,
        _ => s,
    })
}

/// The generic pair and the conditions its derivation needs.
struct Generic {
    pair: Correspondence,
    conditions: Vec<Condition>,
    special: Vec<BigRational>,
}

fn no_generic(why: &str) -> Unavailable {
    unavailable(
        ErrorKind::NoClosedForm,
        format!("the generic member is not derived symbolically: {why}"),
    )
}

/// The derived side's own denominators: conditions and special values.
fn result_denominators(e: &Expr, param: &str, g: &mut Generic) {
    if let Some(grouped) = Grouped::of(e, param) {
        let d = grouped.denominator();
        for (root, _) in roots_with_multiplicity(&d) {
            let lhs = Expr::sym(param) - Expr::Num(root.clone());
            push_unique(
                &mut g.conditions,
                Condition {
                    lhs,
                    relation: Relation::Ne,
                },
            );
            if !g.special.contains(&root) {
                g.special.push(root);
            }
        }
    }
}

fn generic_from_loss(
    written: &Expr,
    g: &Expr,
    residual: Residual,
    param: &str,
) -> Outcome<Generic> {
    let t = Expr::sym(LOSS_VAR);
    let u = Expr::sym(DIVERGENCE_VAR);
    let gp = diff(g, LOSS_VAR).map_err(|e| unavailable(ErrorKind::Undefined, e.to_string()))?;
    let integrand = simplify(&(gp.clone() * Expr::func(Func::Exp, -t)))
        .map_err(|e| unavailable(ErrorKind::Undefined, e.to_string()))?;
    let upper = Expr::func(Func::Log, u.clone());
    let u2 = u.clone();
    let exp_at = move |r: &Expr| Expr::pow(u2.clone(), r.clone());
    let integral = integrate_from_zero(&integrand, LOSS_VAR, param, &exp_at, &upper)
        .or_else(|| {
            super::logexp::integrate_from_zero(&integrand, LOSS_VAR, param, &exp_at, &upper)
        })
        .ok_or_else(|| {
        no_generic("g'(τ)·e^(−τ) is not a sum of c·τ^n·e^(r·τ) with r affine in the parameter, nor of logarithms of α + β·e^(kτ)")
    })?;
    let internal = |e: Error| unavailable(e.kind(), e.to_string());
    let f = present(&(u * integral.value), param).map_err(internal)?;
    let fp = present(
        &diff(&f, DIVERGENCE_VAR).map_err(|e| internal(e.into()))?,
        param,
    )
    .map_err(internal)?;
    let gp = present(&gp, param).map_err(internal)?;
    let mut out = Generic {
        pair: Correspondence {
            direction: Direction::FromLoss,
            residual,
            written: written.clone(),
            loss: Some(g.clone()),
            divergence: Some(f.clone()),
            loss_derivative: Some(gp),
            divergence_derivative: Some(fp),
            notes: Vec::new(),
        },
        conditions: integral.conditions,
        special: integral.special,
    };
    result_denominators(&f, param, &mut out);
    Ok(out)
}

fn generic_from_divergence(f: &Expr, residual: Residual, param: &str) -> Outcome<Generic> {
    let internal = |e: Error| unavailable(e.kind(), e.to_string());
    let math = |e: crate::simplify::MathError| internal(e.into());
    let t = Expr::sym(LOSS_VAR);
    let u = Expr::sym(DIVERGENCE_VAR);
    let fp = diff(f, DIVERGENCE_VAR).map_err(math)?;
    let gp_of_u = simplify(&(u.clone() * fp.clone() - f.clone())).map_err(math)?;
    let gp = simplify(&gp_of_u.substitute(DIVERGENCE_VAR, &Expr::func(Func::Exp, t.clone())))
        .map_err(math)?;
    let t2 = t.clone();
    let exp_at = move |r: &Expr| Expr::func(Func::Exp, r.clone() * t2.clone());
    let integral = integrate_from_zero(&gp, LOSS_VAR, param, &exp_at, &t)
        .or_else(|| super::logexp::integrate_from_zero(&gp, LOSS_VAR, param, &exp_at, &t))
        .ok_or_else(|| {
        no_generic("g'(τ) = u·f'(u) − f(u) at u = e^τ is not a sum of c·τ^n·e^(r·τ) with r affine in the parameter, nor of logarithms of α + β·e^(kτ)")
    })?;
    let f1 = simplify(&f.substitute(DIVERGENCE_VAR, &Expr::one())).map_err(math)?;
    let g = present(&(f1 + integral.value), param).map_err(internal)?;
    let gp = present(&diff(&g, LOSS_VAR).map_err(math)?, param).map_err(internal)?;
    let fp = present(&fp, param).map_err(internal)?;
    let mut out = Generic {
        pair: Correspondence {
            direction: Direction::FromDivergence,
            residual,
            written: f.clone(),
            loss: Some(g.clone()),
            divergence: Some(f.clone()),
            loss_derivative: Some(gp),
            divergence_derivative: Some(fp),
            notes: Vec::new(),
        },
        conditions: integral.conditions,
        special: integral.special,
    };
    result_denominators(&g, param, &mut out);
    Ok(out)
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

fn derive_member(
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

fn derived_side(pair: &Correspondence) -> Option<&Expr> {
    match pair.direction {
        Direction::FromLoss => pair.divergence.as_ref(),
        Direction::FromDivergence => pair.loss.as_ref(),
    }
}

fn check_limit(
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
            let same = simplify(&(l.clone() - m.clone())).is_ok_and(|d| vanishes(&d, param))
                || crate::simplify::present::same_values(&l, m);
            if same {
                LimitCheck::Agrees(l)
            } else {
                LimitCheck::Differs(l)
            }
        }
    }
}

/// The catalog keys whose entries are families: derived as such when their parameter is not
/// given a value.
pub const FAMILY_ENTRIES: &[&str] = &["linex", "alpha", "cressie-read", "skew-js"];

/// Whether `subject` is read as a family: an expression with a parameter no assignment in
/// `given` binds, or a family entry of the catalog ([`FAMILY_ENTRIES`]) with none given.
pub fn is_family(subject: &Subject, given: &[String]) -> bool {
    let params = subject.parameters(&[LOSS_VAR, DIVERGENCE_VAR]);
    let bound: Vec<String> = crate::params::parse_assignments(given)
        .map(|a| a.into_iter().map(|a| a.name).collect())
        .unwrap_or_default();
    let free = params.iter().filter(|p| !bound.contains(p)).count();
    match subject.key {
        Some(key) => FAMILY_ENTRIES.contains(&key) && free > 0,
        None => free > 0,
    }
}

/// Derive the family `subject` (a loss when `direction` is [`Direction::FromLoss`]) with one
/// parameter left symbolic; the others take their values from `given` (`NAME=VALUE`).
pub fn derive(
    subject: &Subject,
    direction: Direction,
    residual: Residual,
    given: &[String],
    assumptions: &[Assumption],
) -> Result<Family, Error> {
    let bare = Subject {
        defaults: &[],
        ..subject.clone()
    };
    let resolved = crate::params::bind(&bare, &[LOSS_VAR, DIVERGENCE_VAR], given)?;
    let (var, other, what) = match direction {
        Direction::FromLoss => (LOSS_VAR, DIVERGENCE_VAR, "a loss"),
        Direction::FromDivergence => (DIVERGENCE_VAR, LOSS_VAR, "a divergence generator"),
    };
    let written = simplify_with(
        &resolved.bindings.apply(&subject.expr),
        &Assumptions::default(),
    )?;
    if written.contains_sym(other) {
        return Err(Error::Input(format!(
            "{what} is written in `{var}`, but this one uses `{other}`"
        )));
    }
    let free: Vec<String> = written
        .symbols()
        .iter()
        .filter(|s| &***s != var)
        .map(|s| s.to_string())
        .collect();
    let param = match free.as_slice() {
        [one] => one.clone(),
        [] => {
            return Err(Error::Input(format!(
                "{} has no parameter left without a value: it is a member, not a family",
                subject.label
            )));
        }
        many => {
            return Err(Error::UnknownParameter(format!(
                "a family in more than one parameter is not derived: {} have no value\n  = help: give all but one a value with `--param`",
                many.iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    };
    // A named family's range (`0 < w < 1`) is assumed with the user's assumptions.
    let range = subject
        .key
        .and_then(super::catalog::family)
        .map_or(&[][..], |f| f.range);
    let mut assumptions = assumptions.to_vec();
    for r in range {
        let a = super::assume::parse_assumption(r)?;
        if a.name == param && !assumptions.contains(&a) {
            assumptions.push(a);
        }
    }
    let assumptions = &assumptions[..];
    for a in assumptions {
        if a.name != param {
            return Err(Error::UnknownParameter(format!(
                "the assumption `{}` is about `{}`, but the family's parameter is `{param}`",
                a.text, a.name
            )));
        }
    }
    let assumed: Vec<Condition> = assumptions.iter().map(|a| a.condition.clone()).collect();
    let assumed_refs: Vec<&Condition> = assumed.iter().collect();
    if feasible(&assumed_refs, &param) == Some(false) {
        return Err(Error::InvalidParameter(format!(
            "the assumptions {} leave no value of `{param}`",
            assumptions
                .iter()
                .map(|a| format!("`{}`", a.text))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let allowed = |v: &BigRational| {
        assumed
            .iter()
            .all(|c| holds_at(c, &param, v) != Some(false))
    };

    let mut domain = Domain::default();
    scan_domain(&written, &param, &mut domain);

    let generic = match direction {
        Direction::FromLoss => {
            let g = match residual {
                Residual::TargetMinusModel => written.clone(),
                Residual::ModelMinusTarget => {
                    simplify(&written.substitute(LOSS_VAR, &-Expr::sym(LOSS_VAR)))?
                }
            };
            generic_from_loss(&written, &g, residual, &param)
        }
        Direction::FromDivergence => generic_from_divergence(&written, residual, &param),
    };

    let mut special = domain.special.clone();
    let mut conditions = domain.needs.clone();
    if let Ok(g) = &generic {
        special.extend(g.special.iter().cloned());
        for c in &g.conditions {
            push_unique(&mut conditions, c.clone());
        }
    }
    special.sort();
    special.dedup();
    // `a ≠ 0` from `1/a^2` and from the result's `a` are one condition.
    let mut generic_conditions: Vec<Condition> = Vec::new();
    for c in conditions {
        let c = normalised(&c, &param);
        if !generic_conditions.contains(&c) && !implies(&assumed, &c, &param) {
            generic_conditions.push(c);
        }
    }

    // `alpha ≠ 0, alpha ≠ 1`: conditions at a point of the parameter in increasing order.
    generic_conditions.sort_by_key(|c| match RatFun::of(&c.lhs, &param) {
        Some(r) if r.den.degree() == 0 && r.num.degree() == 1 => {
            (0, -r.num.coeff(0) / r.num.coeff(1))
        }
        _ => (1, BigRational::zero()),
    });
    let mut cases = Vec::new();
    let generic_pair = generic.as_ref().ok().map(|g| g.pair.clone());
    let mut all: Vec<&Condition> = assumed.iter().collect();
    all.extend(generic_conditions.iter());
    if feasible(&all, &param) != Some(false) {
        cases.push(Case {
            kind: CaseKind::Generic,
            conditions: generic_conditions.clone(),
            value: None,
            undefined: None,
            pair: generic.map(|g| g.pair),
            generic_limit: None,
        });
    }

    for v in special.iter().filter(|v| allowed(v)) {
        let value = Expr::Num(v.clone());
        let condition = Condition {
            lhs: Expr::sym(&param) - value.clone(),
            relation: Relation::Eq,
        };
        let (kind, undefined, pair) = match simplify(&written.substitute(&param, &value)) {
            Ok(_) => {
                let mut b = Bindings::new();
                b.set(&param, value.clone())?;
                (
                    CaseKind::Value,
                    None,
                    derive_member(&written, direction, residual, &b),
                )
            }
            Err(e) => {
                let pair = limit(&written, &param, v)
                    .map_err(|why| {
                        unavailable(
                            ErrorKind::NoClosedForm,
                            format!(
                                "the limit {param} → {} is not computed: {why}",
                                super::ratfun::rational_text(v)
                            ),
                        )
                    })
                    .and_then(|l| derive_member(&l, direction, residual, &Bindings::new()));
                (CaseKind::Limit, Some(e.to_string()), pair)
            }
        };
        let generic_limit = match (&generic_pair, &pair) {
            (Some(g), Ok(m)) => Some(check_limit(g, m, &param, v)),
            _ => None,
        };
        cases.push(Case {
            kind,
            conditions: vec![condition],
            value: Some(v.clone()),
            undefined,
            pair,
            generic_limit,
        });
    }

    for (c, why) in &domain.regions {
        let c = normalised(c, &param);
        let mut with: Vec<&Condition> = assumed.iter().collect();
        with.push(&c);
        if feasible(&with, &param) == Some(false) {
            continue;
        }
        if cases
            .iter()
            .any(|k| k.kind == CaseKind::Undefined && k.conditions == [c.clone()])
        {
            continue;
        }
        cases.push(Case {
            kind: CaseKind::Undefined,
            conditions: vec![c.clone()],
            value: None,
            undefined: Some(why.clone()),
            pair: Err(unavailable(
                ErrorKind::Undefined,
                format!(
                    "the input is undefined for {}",
                    super::assume::text(&c, &param)
                ),
            )),
            generic_limit: None,
        });
    }

    let gradient_checks = match &generic_pair {
        Some(pair) => spread(&special, &generic_conditions, &assumed, &param)
            .into_iter()
            .map(|v| GradientAt {
                check: gradient_at(pair, &param, &v),
                value: v,
            })
            .collect(),
        None => Vec::new(),
    };

    Ok(Family {
        direction,
        residual,
        param,
        written,
        parameters: resolved.used,
        assumptions: assumptions.to_vec(),
        cases,
        gradient_checks,
    })
}

/// `c` with an affine side scaled to `p − v` (`a^2 ≠ 0` as `a ≠ 0` too: a power's zeros are
/// its base's).
fn normalised(c: &Condition, param: &str) -> Condition {
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

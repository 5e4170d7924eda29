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
use super::cases::{
    Domain, check_limit, derive_member, gradient_at, limit, normalised, push_unique, scan_domain,
    spread,
};
use super::expoly::integrate_from_zero;
use super::ratfun::{Grouped, RatFun, roots_with_multiplicity};
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
use num_traits::Zero;

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
    /// The limit, and it differs from the member's derived side (at probe points).
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
    /// The analysis over the parameter: regions where the family is zero-forcing,
    /// zero-avoiding and convex, its tails, canonical member and named divergences.
    pub regions: Outcome<super::regions::FamilyRegions>,
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
    /// Regions where the integral diverges, with why.
    regions: Vec<(Condition, String)>,
}

/// The generic integral of `integrand` from 0 to `upper` by the first family method that
/// applies — exponential polynomials, logarithms into the dilogarithm, powers into γ — with the
/// regions where it diverges; `what` names the integrand in the refusal.
fn integrate_generic(
    integrand: &Expr,
    param: &str,
    exp_at: &dyn Fn(&Expr) -> Expr,
    upper: &Expr,
    what: &str,
) -> Outcome<(super::expoly::Integral, Vec<(Condition, String)>)> {
    integrate_from_zero(integrand, LOSS_VAR, param, exp_at, upper)
        .or_else(|| super::logexp::integrate_from_zero(integrand, LOSS_VAR, param, exp_at, upper))
        .map(|i| (i, Vec::new()))
        .or_else(|| {
            super::power::integrate_from_zero(integrand, LOSS_VAR, param, exp_at, upper)
                .map(|p| (p.integral, p.regions))
        })
        .ok_or_else(|| {
            no_generic(&format!("{what} is not a sum of c·τ^n·e^(r·τ) with r affine in the parameter, nor of logarithms of α + β·e^(kτ), nor of c·|τ|^s·sign(τ)^k·e^(r·τ) with s affine in the parameter"))
        })
}

/// The generic pair from its four sides `[g, g', f, f']`.
fn generic_pair(
    direction: Direction,
    residual: Residual,
    written: &Expr,
    [g, gp, f, fp]: [Expr; 4],
) -> Correspondence {
    Correspondence {
        direction,
        residual,
        written: written.clone(),
        loss: Some(g),
        divergence: Some(f),
        loss_derivative: Some(gp),
        divergence_derivative: Some(fp),
        notes: Vec::new(),
    }
}

impl Generic {
    /// The generic case of `pair`, with the conditions and special values of its integral and
    /// the result's own denominators.
    fn of(
        pair: Correspondence,
        integral: super::expoly::Integral,
        regions: Vec<(Condition, String)>,
        param: &str,
    ) -> Generic {
        let derived = match pair.direction {
            Direction::FromLoss => pair.divergence.clone(),
            Direction::FromDivergence => pair.loss.clone(),
        };
        let mut out = Generic {
            pair,
            conditions: integral.conditions,
            special: integral.special,
            regions,
        };
        if let Some(d) = derived {
            result_denominators(&d, param, &mut out);
        }
        out
    }
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
    let (integral, regions) =
        integrate_generic(&integrand, param, &exp_at, &upper, "g'(τ)·e^(−τ)")?;
    let internal = |e: Error| unavailable(e.kind(), e.to_string());
    let f = present(&(u * integral.value.clone()), param).map_err(internal)?;
    let fp = present(
        &diff(&f, DIVERGENCE_VAR).map_err(|e| internal(e.into()))?,
        param,
    )
    .map_err(internal)?;
    let gp = present(&gp, param).map_err(internal)?;
    let sides = [g.clone(), gp, f, fp];
    let pair = generic_pair(Direction::FromLoss, residual, written, sides);
    Ok(Generic::of(pair, integral, regions, param))
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
    let (integral, regions) =
        integrate_generic(&gp, param, &exp_at, &t, "g'(τ) = u·f'(u) − f(u) at u = e^τ")?;
    let f1 = simplify(&f.substitute(DIVERGENCE_VAR, &Expr::one())).map_err(math)?;
    let g = present(&(f1 + integral.value.clone()), param).map_err(internal)?;
    let gp = present(&diff(&g, LOSS_VAR).map_err(math)?, param).map_err(internal)?;
    let fp = present(&fp, param).map_err(internal)?;
    let pair = generic_pair(
        Direction::FromDivergence,
        residual,
        f,
        [g, gp, f.clone(), fp],
    );
    Ok(Generic::of(pair, integral, regions, param))
}

/// Whether the region `c` lies in the input's own undefined regions and special values: its
/// strict part implies one of them, and its boundary value is special or in one too.
fn covered(c: &Condition, domain: &Domain, param: &str) -> bool {
    let c = normalised(c, param);
    let strict = match c.relation {
        Relation::Le => Relation::Lt,
        Relation::Ge => Relation::Gt,
        _ => return false,
    };
    let strict = Condition {
        lhs: c.lhs.clone(),
        relation: strict,
    };
    let within = |x: &Condition| {
        domain
            .regions
            .iter()
            .any(|(d, _)| implies(std::slice::from_ref(x), &normalised(d, param), param))
    };
    let boundary = RatFun::of(&c.lhs, param)
        .filter(|r| r.den.degree() == 0 && r.num.degree() == 1)
        .map(|r| -r.num.coeff(0) / r.num.coeff(1));
    within(&strict) && (within(&c) || boundary.is_some_and(|v| domain.special.contains(&v)))
}

/// The catalog keys whose entries are families: derived as such when their parameter is not
/// given a value.
pub const FAMILY_ENTRIES: &[&str] = &["linex", "alpha", "cressie-read", "skew-js", "power"];

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
    let range = subject.key.map_or(&[][..], super::catalog::range);
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
        // a region where the integral diverges, unless the input is undefined there already
        // (apart from its special values)
        for (c, why) in &g.regions {
            if !covered(c, &domain, &param) {
                domain.regions.push((c.clone(), why.clone()));
            }
        }
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
    // `p ≥ 0` (the input) and `p > 0` (its integral): the stronger one says both.
    let stronger = generic_conditions.clone();
    generic_conditions.retain(|c| {
        !stronger
            .iter()
            .any(|d| d != c && implies(std::slice::from_ref(d), c, &param))
    });

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

    let mut family = Family {
        direction,
        residual,
        param,
        written,
        parameters: resolved.used,
        assumptions: assumptions.to_vec(),
        cases,
        gradient_checks,
        regions: Err(unavailable(ErrorKind::Internal, "not computed yet")),
    };
    family.regions = super::over::regions_of(&family);
    Ok(family)
}

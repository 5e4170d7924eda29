//! What the user assumes about a parameter (`--assume "a > 0"`), and deciding conditions of
//! one parameter: whether one holds at a value, whether several can hold together, whether
//! the assumptions imply one.
//!
//! An assumption is `NAME REL VALUE` with `REL` one of `<`, `≤`, `>`, `≥`, `≠`, `=` (or `<=`,
//! `>=`, `!=`) and `VALUE` an exact number as in `--param`, or `NAME integer`. It reads into the
//! shared [`Condition`] `NAME − VALUE REL 0`. Conditions whose sides are rational functions of
//! the parameter are decided exactly: their signs are constant between the rational roots of
//! their numerators and denominators, so testing the roots, the midpoints between them, points
//! beyond them and the integers next to them decides whether they can hold together.

use super::ratfun::{RatFun, int};
use super::{Condition, Relation};
use crate::Error;
use crate::expr::Expr;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

/// An assumption as read: the condition, the parameter and the text as written.
#[derive(Clone, Debug, PartialEq)]
pub struct Assumption {
    /// The parameter (`alpha` for `α`).
    pub name: String,
    /// `NAME − VALUE REL 0`, or `NAME` for `integer`.
    pub condition: Condition,
    /// The assumption as written.
    pub text: String,
}

const HELP: &str = "write an assumption as `a > 0`, `a <= 1`, `a != 0`, `a = 1/2` or `a integer`";

fn refuse(text: &str, why: String) -> Error {
    Error::InvalidParameter(format!(
        "cannot read the assumption `{}`: {why}\n  = help: {HELP}",
        text.trim()
    ))
}

/// The relations in the order they are looked for (longest spelling first).
const RELATIONS: &[(&str, Relation)] = &[
    ("<=", Relation::Le),
    (">=", Relation::Ge),
    ("!=", Relation::Ne),
    ("==", Relation::Eq),
    ("≤", Relation::Le),
    ("≥", Relation::Ge),
    ("≠", Relation::Ne),
    ("<", Relation::Lt),
    (">", Relation::Gt),
    ("=", Relation::Eq),
];

/// Read one assumption, `a > 0` or `a integer`.
pub fn parse_assumption(text: &str) -> Result<Assumption, Error> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(refuse(text, "it is empty".into()));
    }
    if let Some(name) = trimmed.strip_suffix("integer") {
        let name = name.trim();
        let name = crate::params::parameter_name(name)
            .map_err(|e| refuse(text, format!("`{name}` before `integer`: {e}")))?;
        return Ok(Assumption {
            condition: Condition {
                lhs: Expr::sym(&name),
                relation: Relation::Integer,
            },
            name,
            text: trimmed.to_string(),
        });
    }
    let found = trimmed.char_indices().find_map(|(i, _)| {
        RELATIONS
            .iter()
            .find(|(op, _)| trimmed[i..].starts_with(op))
            .map(|(op, rel)| (i, *op, *rel))
    });
    let Some((at, op, relation)) = found else {
        return Err(refuse(
            text,
            "no relation found (one of <, <=, >, >=, !=, = or the word `integer`)".into(),
        ));
    };
    let left = trimmed[..at].trim();
    let right = trimmed[at + op.len()..].trim();
    if left.is_empty() {
        return Err(refuse(text, format!("no parameter before `{op}`")));
    }
    let name = crate::params::parameter_name(left)
        .map_err(|e| refuse(text, format!("`{left}` before `{op}`: {e}")))?;
    if right.is_empty() {
        return Err(refuse(text, format!("no value after `{op}`")));
    }
    let value = crate::params::number(right).ok_or_else(|| {
        refuse(
            text,
            format!("`{right}` after `{op}` is not a number (an integer, a decimal or a fraction such as `1/3`)"),
        )
    })?;
    Ok(Assumption {
        condition: Condition {
            lhs: Expr::sym(&name) - Expr::Num(value),
            relation,
        },
        name,
        text: trimmed.to_string(),
    })
}

/// Whether `c` holds at `param = value`: `None` when its side is not a rational function of
/// the parameter or is undefined there.
pub fn holds_at(c: &Condition, param: &str, value: &BigRational) -> Option<bool> {
    let x = RatFun::of(&c.lhs, param)?.eval(value)?;
    Some(match c.relation {
        Relation::Eq => x.is_zero(),
        Relation::Ne => !x.is_zero(),
        Relation::Lt => x.is_negative(),
        Relation::Le => !x.is_positive(),
        Relation::Gt => x.is_positive(),
        Relation::Ge => !x.is_negative(),
        Relation::Integer => x.is_integer(),
    })
}

/// The points that decide conditions of one parameter (see the module documentation), or
/// `None` when a side is not rational in the parameter or has too many roots to find.
fn deciding_points(conditions: &[&Condition], param: &str) -> Option<Vec<BigRational>> {
    let mut roots: Vec<BigRational> = Vec::new();
    for c in conditions {
        let r = RatFun::of(&c.lhs, param)?;
        for p in [&r.num, &r.den] {
            let rs = if p.degree() <= 16 {
                p.rational_roots()?
            } else {
                return None;
            };
            // a root that is not rational leaves the sign pattern undecided
            let found: usize = super::ratfun::roots_with_multiplicity(p)
                .iter()
                .map(|(_, m)| *m as usize)
                .sum();
            if found != p.degree() {
                return None;
            }
            roots.extend(rs);
        }
    }
    roots.sort();
    roots.dedup();
    let mut points = roots.clone();
    for w in roots.windows(2) {
        points.push((&w[0] + &w[1]) / int(2));
    }
    match (roots.first(), roots.last()) {
        (Some(lo), Some(hi)) => {
            points.push(lo - BigRational::one());
            points.push(hi + BigRational::one());
        }
        _ => points.extend([BigRational::zero(), BigRational::one()]),
    }
    for r in roots.iter().chain([BigRational::zero()].iter()) {
        let f = BigRational::from_integer(r.floor().to_integer());
        for k in -1..=2 {
            points.push(&f + int(k));
        }
    }
    points.sort();
    points.dedup();
    Some(points)
}

/// Whether the conditions can hold together for some value of `param`: `None` when that is
/// not decided (a side that is not rational in the parameter, or has irrational roots).
pub fn feasible(conditions: &[&Condition], param: &str) -> Option<bool> {
    if conditions.is_empty() {
        return Some(true);
    }
    let points = deciding_points(conditions, param)?;
    Some(points.iter().any(|v| {
        conditions
            .iter()
            .all(|c| holds_at(c, param, v).unwrap_or(false))
    }))
}

/// `lhs REL 0` negated, or `None` for `integer`.
pub fn negated(c: &Condition) -> Option<Condition> {
    let relation = match c.relation {
        Relation::Eq => Relation::Ne,
        Relation::Ne => Relation::Eq,
        Relation::Lt => Relation::Ge,
        Relation::Le => Relation::Gt,
        Relation::Gt => Relation::Le,
        Relation::Ge => Relation::Lt,
        Relation::Integer => return None,
    };
    Some(Condition {
        lhs: c.lhs.clone(),
        relation,
    })
}

/// Whether `assumptions` imply `c` (decided exactly, `false` when undecided).
pub fn implies(assumptions: &[Condition], c: &Condition, param: &str) -> bool {
    if assumptions.is_empty() {
        return false;
    }
    let Some(not_c) = negated(c) else {
        return false;
    };
    let mut all: Vec<&Condition> = assumptions.iter().collect();
    all.push(&not_c);
    feasible(&all, param) == Some(false)
}

/// The condition as a person reads it: `a ≠ 1`, `a > 0`, `a integer`, with a side `p − c`
/// written `p REL c`.
pub fn text(c: &Condition, param: &str) -> String {
    let rel = match c.relation {
        Relation::Eq => "=",
        Relation::Ne => "≠",
        Relation::Lt => "<",
        Relation::Le => "≤",
        Relation::Gt => ">",
        Relation::Ge => "≥",
        Relation::Integer => return format!("{} integer", crate::print::plain(&c.lhs)),
    };
    if let Some(r) = RatFun::of(&c.lhs, param) {
        if r.den.degree() == 0 && r.num.degree() == 1 {
            // k·(p − v) REL 0 ⇔ p REL' v
            let k = r.num.coeff(1) / r.den.coeff(0);
            let v = -r.num.coeff(0) / r.num.coeff(1);
            let rel = if k.is_negative() {
                match c.relation {
                    Relation::Lt => ">",
                    Relation::Le => "≥",
                    Relation::Gt => "<",
                    Relation::Ge => "≤",
                    _ => rel,
                }
            } else {
                rel
            };
            return format!("{param} {rel} {}", super::ratfun::rational_text(&v));
        }
    }
    format!("{} {rel} 0", crate::print::plain(&c.lhs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn reads_as(text_in: &str, expected: &str) {
        let a = parse_assumption(text_in).unwrap();
        assert_eq!(text(&a.condition, &a.name), expected, "{text_in}");
    }

    #[track_caller]
    fn refused(text_in: &str, why: &str) {
        let e = parse_assumption(text_in).unwrap_err().to_string();
        assert!(e.contains(why), "{text_in}: {e}");
    }

    #[test]
    fn assumptions_read() {
        reads_as("a > 0", "a > 0");
        reads_as("a>=1/2", "a ≥ 1/2");
        reads_as("alpha <= -1", "alpha ≤ -1");
        reads_as("α ≠ 1", "alpha ≠ 1");
        reads_as("a != 0", "a ≠ 0");
        reads_as("a = 2", "a = 2");
        reads_as("a < 0.5", "a < 1/2");
        reads_as("a integer", "a integer");
    }

    #[test]
    fn bad_assumptions_point_at_the_problem() {
        refused("a >> 0", "`> 0` after `>` is not a number");
        refused("a > ", "no value after `>`");
        refused("> 0", "no parameter before `>`");
        refused("t > 0", "`t` before `>`");
        refused("a 0", "no relation found");
        refused("pi > 0", "`pi` before `>`");
        refused("", "it is empty");
        refused("sin integer", "before `integer`");
    }

    #[test]
    fn conditions_are_decided() {
        let c = |s: &str| parse_assumption(s).unwrap().condition;
        let (pos, neg, one) = (c("a > 0"), c("a <= 0"), c("a != 1"));
        assert_eq!(feasible(&[&pos, &neg], "a"), Some(false));
        assert_eq!(feasible(&[&pos, &one], "a"), Some(true));
        assert!(implies(&[c("a > 1")], &c("a != 0"), "a"));
        assert!(!implies(&[c("a > 0")], &c("a != 1"), "a"));
        let (i, lo, hi) = (c("a integer"), c("a > 0"), c("a < 1"));
        assert_eq!(feasible(&[&i, &lo, &hi], "a"), Some(false));
        let hi2 = c("a < 2");
        assert_eq!(feasible(&[&i, &lo, &hi2], "a"), Some(true));
    }
}

//! The analysis of a family over its parameter: convexity, `f(0+)`, `f'(∞)`, the zero-forcing
//! and zero-avoiding verdicts as [`Region`]s, normalisation and the canonical member as
//! expressions in the parameter, and identification with named divergences as a map.
//!
//! A family is a loss `g(t; a)` and/or a generator `f(u; a)` with one parameter. The verdicts
//! can change only at the critical values of the structure of `g'` ([`structure`]): the line is
//! cut there, and each open piece between two of them is decided once, exactly, from the signs
//! of the structure's quantities read at a rational point inside ([`Method::Signs`]), or, when
//! `g'` is outside the structure, by the one-member analyses of [`crate::analysis`] at that
//! point ([`Method::Member`]). Each critical value, and each special member given, is decided
//! separately from its own member (`a = 0` of Linex is `t²/2`, not `(e^{0} − 0 − 1)/0`).

mod convexity;
mod cut;
pub mod gradient;
pub mod identify;
pub mod normal;
pub(crate) mod ratfun;
pub mod render;
pub mod set;
pub mod structure;
pub mod tails;

pub use identify::Identified;
pub use normal::FamilyNormalization;
pub use set::{Endpoint, Interval, Region};
pub use structure::{Critical, Source};
pub use tails::ParamLimit;

use super::{Condition, Relation};
use crate::analysis::Outcome;
use crate::diff::diff;
use crate::expr::{DIVERGENCE_VAR, Expr, Func, LOSS_VAR};
use crate::simplify::simplify;
use num_rational::BigRational;
use std::cmp::Ordering;

/// A family: a loss and/or a generator with one parameter, the values the parameter may take,
/// and the members at special values where substitution does not give them.
#[derive(Clone, Debug, PartialEq)]
pub struct Family {
    /// The parameter's name, as in the expressions (`a`, `alpha`).
    pub parameter: String,
    /// `g(t; a)`, when known in closed form.
    pub loss: Option<Expr>,
    /// `f(u; a)`, when known in closed form.
    pub generator: Option<Expr>,
    /// The values the parameter may take (from conditions or assumptions such as `p > 0`).
    pub allowed: Region,
    /// Members at special values (`a = 0` of Linex: `t²/2 ↔ u − 1 − log u`).
    pub special: Vec<Member>,
}

/// One member of a family: the parameter's value and the pair there.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// The parameter's value.
    pub value: BigRational,
    /// `g(t)` of the member.
    pub loss: Option<Expr>,
    /// `f(u)` of the member.
    pub generator: Option<Expr>,
}

impl Family {
    /// A family from its loss and/or generator, the parameter taking every value.
    pub fn new(parameter: &str, loss: Option<Expr>, generator: Option<Expr>) -> Family {
        Family {
            parameter: parameter.to_string(),
            loss,
            generator,
            allowed: Region::all(),
            special: Vec::new(),
        }
    }

    /// The same family with the parameter restricted to `allowed`.
    pub fn with_allowed(mut self, allowed: Region) -> Family {
        self.allowed = allowed;
        self
    }

    /// The same family with a special member given.
    pub fn with_special(mut self, member: Member) -> Family {
        self.special.retain(|m| m.value != member.value);
        self.special.push(member);
        self
    }

    /// The member at `value`: the special member given there, or both sides with the value
    /// substituted; an `Err` says why the member is undefined (`a = 0 divides by zero`).
    pub fn member(&self, value: &BigRational) -> Result<Member, String> {
        if let Some(m) = self.special.iter().find(|m| &m.value == value) {
            return Ok(m.clone());
        }
        let v = Expr::Num(value.clone());
        let at = |e: &Option<Expr>| -> Result<Option<Expr>, String> {
            e.as_ref()
                .map(|e| {
                    simplify(&e.substitute(&self.parameter, &v)).map_err(|err| {
                        format!(
                            "{} = {} makes it undefined ({err})",
                            self.parameter,
                            set::rational_text(value)
                        )
                    })
                })
                .transpose()
        };
        Ok(Member {
            value: value.clone(),
            loss: at(&self.loss)?,
            generator: at(&self.generator)?,
        })
    }

    /// `g'(t; a)`: from the loss, or from the generator by `g'(log u) = u·f'(u) − f(u)`.
    pub fn loss_derivative(&self) -> Result<Expr, RegionsError> {
        derivative_of(self.loss.as_ref(), self.generator.as_ref())
    }
}

/// `g'` of a pair from whichever side is given.
pub(super) fn derivative_of(
    loss: Option<&Expr>,
    generator: Option<&Expr>,
) -> Result<Expr, RegionsError> {
    let math = |e: crate::simplify::MathError| RegionsError::Math(e.to_string());
    match (loss, generator) {
        (Some(g), _) => simplify(&diff(g, LOSS_VAR).map_err(math)?).map_err(math),
        (None, Some(f)) => {
            let u = Expr::sym(DIVERGENCE_VAR);
            let fp = diff(f, DIVERGENCE_VAR).map_err(math)?;
            let in_u = simplify(&(u * fp - f.clone())).map_err(math)?;
            let et = Expr::func(Func::Exp, Expr::sym(LOSS_VAR));
            simplify(&in_u.substitute(DIVERGENCE_VAR, &et)).map_err(math)
        }
        (None, None) => Err(RegionsError::NoSide),
    }
}

/// Why a family cannot be analysed at all.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum RegionsError {
    /// Neither side was given.
    #[error("a family needs its loss or its generator")]
    NoSide,
    /// A symbol other than the variable and the parameter.
    #[error("`{0}` is neither the variable nor the family's parameter")]
    OtherSymbol(String),
    /// Symbolic work failed.
    #[error("{0}")]
    Math(String),
    /// A condition that is not a finite union of intervals with rational ends.
    #[error("the condition `{0}` does not cut the line at rational points")]
    NotRational(String),
    /// An integrality condition, which no finite union of intervals expresses.
    #[error("`{0}` is an integer: not a finite union of intervals")]
    Integrality(String),
}

impl Region {
    /// The values of `parameter` that satisfy every condition (`lhs REL 0`, `lhs` a rational
    /// function of the parameter whose real roots are rational).
    pub fn from_conditions(
        conditions: &[Condition],
        parameter: &str,
    ) -> Result<Region, RegionsError> {
        let mut out = Region::all();
        for c in conditions {
            let text = crate::print::plain(&c.lhs);
            if let Some(s) = c.lhs.symbols().into_iter().find(|s| &**s != parameter) {
                return Err(RegionsError::OtherSymbol(s.to_string()));
            }
            let holds: fn(Ordering) -> bool = match c.relation {
                Relation::Eq => |o| o == Ordering::Equal,
                Relation::Ne => |o| o != Ordering::Equal,
                Relation::Lt => |o| o == Ordering::Less,
                Relation::Le => |o| o != Ordering::Greater,
                Relation::Gt => |o| o == Ordering::Greater,
                Relation::Ge => |o| o != Ordering::Less,
                Relation::Integer => return Err(RegionsError::Integrality(text)),
            };
            let lhs = simplify(&c.lhs).map_err(|e| RegionsError::Math(e.to_string()))?;
            let r = ratfun::sign_region(&lhs, parameter, holds)
                .map_err(|_| RegionsError::NotRational(text))?;
            out = out.intersect(&r);
        }
        Ok(out)
    }
}

/// How the verdict on a piece or at a point was reached.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Method {
    /// Exactly, from the signs of the structure's quantities (rates, powers, coefficients) read
    /// at `at`; on an open piece they keep their signs throughout, so the verdict is the piece's.
    Signs {
        /// The value read.
        #[serde(serialize_with = "serialize_rational")]
        at: BigRational,
    },
    /// By the one-member analysis of [`crate::analysis`] on the member at `at`.
    Member {
        /// The member's value.
        #[serde(serialize_with = "serialize_rational")]
        at: BigRational,
        /// Whether that analysis was exact ([`crate::analysis::convexity::Method::Proved`]).
        proved: bool,
        /// Whether the structure guarantees the verdict is the same on the whole piece (always
        /// for a point).
        guaranteed: bool,
    },
    /// The member is undefined there (and no special member was given): the reason.
    Undefined {
        /// Why.
        reason: String,
    },
}

/// A cell of the line cut at the critical values: an open piece or a point, with its verdicts.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Cell {
    /// The piece or point.
    pub region: Region,
    /// `f(0+)` there.
    pub f_at_0: ParamLimit,
    /// `f'(∞)` there.
    pub f_prime_at_inf: ParamLimit,
    /// How the two limits were found.
    pub tails_method: Method,
    /// Zero-forcing (`f(0+) = ∞`) on the whole cell; `None` when undecided, or when the limits
    /// were read at a member that the structure does not extend to the piece.
    pub zero_forcing: Option<bool>,
    /// Zero-avoiding (`f'(∞) = ∞`) on the whole cell; `None` as for `zero_forcing`.
    pub zero_avoiding: Option<bool>,
    /// Whether `f` is convex (`g'' ≥ 0` on ℝ) on the whole cell; `None` when undecided (or
    /// read at a member that the structure does not extend to the piece).
    pub convex: Option<bool>,
    /// How convexity was decided.
    pub convexity_method: Method,
}

/// Where a yes/no property holds, fails, or is undecided (three disjoint regions whose union
/// is the allowed set).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Verdicts {
    /// Where it holds.
    pub holds: Region,
    /// Where it fails.
    pub fails: Region,
    /// Where it could not be decided (or the member is undefined).
    pub undecided: Region,
}

/// A limit with the region where it takes that form.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct LimitRegion {
    /// Where.
    pub region: Region,
    /// The limit there.
    pub limit: ParamLimit,
}

/// Everything the analysis says about a family over its parameter.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct FamilyRegions {
    /// The parameter's name.
    pub parameter: String,
    /// The values analysed.
    pub allowed: Region,
    /// `g'(t; a)`, whose structure gives the critical values.
    #[serde(serialize_with = "serialize_expr")]
    pub loss_derivative: Expr,
    /// Whether `g'` has the structure of [`structure`] (else every piece is decided by a
    /// member and marked not guaranteed).
    pub structured: bool,
    /// The critical values, with the quantity vanishing at each.
    pub critical: Vec<Critical>,
    /// The cells, in increasing order.
    pub cells: Vec<Cell>,
    /// Zero-forcing (mode-seeking): `f(0+) = ∞`.
    pub zero_forcing: Verdicts,
    /// Zero-avoiding (mass-covering): `f'(∞) = ∞`.
    pub zero_avoiding: Verdicts,
    /// Convexity of `f` on `(0, ∞)`.
    pub convex: Verdicts,
    /// `f(0+)` region by region, adjacent cells with the same form merged.
    pub f_at_0: Vec<LimitRegion>,
    /// `f'(∞)` region by region.
    pub f_prime_at_inf: Vec<LimitRegion>,
    /// `f(1)`, `f'(1) = g'(0)` and the canonical member, in the parameter.
    #[serde(serialize_with = "serialize_outcome")]
    pub normalization: Outcome<FamilyNormalization>,
    /// The parameter values that give named divergences.
    #[serde(serialize_with = "serialize_outcome")]
    pub identified: Outcome<Vec<Identified>>,
}

/// Analyse `family` over its parameter.
pub fn analyze(family: &Family) -> Result<FamilyRegions, RegionsError> {
    let param = family.parameter.as_str();
    for e in family.loss.iter().chain(&family.generator) {
        if let Some(s) = e
            .symbols()
            .into_iter()
            .find(|s| &**s != param && &**s != LOSS_VAR && &**s != DIVERGENCE_VAR)
        {
            return Err(RegionsError::OtherSymbol(s.to_string()));
        }
    }
    let gp = family.loss_derivative()?;
    let math = |e: crate::simplify::MathError| RegionsError::Math(e.to_string());
    let terms = structure::decompose(&gp, param);
    let curvature = match &terms {
        Some(_) => structure::decompose(
            &simplify(&diff(&gp, LOSS_VAR).map_err(math)?).map_err(math)?,
            param,
        ),
        None => None,
    };
    let mut critical = terms
        .as_ref()
        .and_then(|ts| structure::critical(ts, param).ok());
    // Convexity needs the critical values of `g''` too; without them it is read by members.
    let curvature_critical = curvature
        .as_ref()
        .and_then(|ts| structure::critical(ts, param).ok());
    let curvature = curvature.filter(|_| curvature_critical.is_some());
    if let (Some(cs), Some(more)) = (&mut critical, curvature_critical) {
        for mut c in more {
            if !cs.iter().any(|x| x.value == c.value) {
                c.source = Source::Curvature;
                cs.push(c);
            }
        }
        cs.sort_by(|a, b| a.value.cmp(&b.value));
    }
    let structured = critical.is_some();
    let critical = critical.unwrap_or_default();
    let mut cuts: Vec<BigRational> = critical
        .iter()
        .map(|c| c.value.clone())
        .chain(family.special.iter().map(|m| m.value.clone()))
        .chain(family.allowed.cuts().iter().cloned())
        .collect();
    cuts.sort();
    cuts.dedup();
    let mut cells = Vec::new();
    for piece in cut::pieces(&cuts, &family.allowed) {
        let Some(at) = piece.sample() else { continue };
        let is_point = piece.as_points().is_some();
        cells.push(cut::decide(
            family,
            piece,
            &at,
            is_point,
            if structured { terms.as_deref() } else { None },
            curvature.as_deref(),
            structured,
        ));
    }
    let verdicts = |f: &dyn Fn(&Cell) -> Option<bool>| {
        let mut v = Verdicts {
            holds: Region::none(),
            fails: Region::none(),
            undecided: Region::none(),
        };
        for c in &cells {
            let slot = match f(c) {
                Some(true) => &mut v.holds,
                Some(false) => &mut v.fails,
                None => &mut v.undecided,
            };
            *slot = slot.union(&c.region);
        }
        v
    };
    let zero_forcing = verdicts(&|c| c.zero_forcing);
    let zero_avoiding = verdicts(&|c| c.zero_avoiding);
    let convex = verdicts(&|c| c.convex);
    let f_at_0 = cut::merged(&cells, param, |c| &c.f_at_0);
    let f_prime_at_inf = cut::merged(&cells, param, |c| &c.f_prime_at_inf);
    Ok(FamilyRegions {
        parameter: family.parameter.clone(),
        allowed: family.allowed.clone(),
        loss_derivative: gp.clone(),
        structured,
        critical,
        zero_forcing,
        zero_avoiding,
        convex,
        f_at_0,
        f_prime_at_inf,
        normalization: normal::normalization(family, &gp),
        identified: identify::identify(family, terms.as_deref(), &cells),
        cells,
    })
}

/// An [`Outcome`] as the report's JSON writes a part: its value, or
/// `{"refused": reason, "kind": kind}`.
fn serialize_outcome<T: serde::Serialize, S: serde::Serializer>(
    o: &Outcome<T>,
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    match o {
        Ok(v) => v.serialize(s),
        Err(u) => {
            let mut st = s.serialize_struct("Refused", 2)?;
            st.serialize_field("refused", &u.reason)?;
            st.serialize_field("kind", &u.kind)?;
            st.end()
        }
    }
}

/// An exact rational as its text (`"1/2"`).
pub(crate) fn serialize_rational<S: serde::Serializer>(
    x: &BigRational,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(&set::rational_text(x))
}

/// An expression as its plain text.
pub(crate) fn serialize_expr<S: serde::Serializer>(e: &Expr, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&crate::print::plain(e))
}

/// An optional expression as its plain text or `null`.
pub(crate) fn serialize_opt_expr<S: serde::Serializer>(
    e: &Option<Expr>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match e {
        Some(e) => s.serialize_some(&crate::print::plain(e)),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests;

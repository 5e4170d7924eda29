//! The report of a family (`fcorr --from-loss linex` without a value): its cases with their
//! conditions and members, and the gradient check of the generic pair at a spread of values.

use super::{Part, RefusedPart};
use crate::family::assume::text as condition_text;
use crate::family::{Case, CaseKind, Condition, Family, LimitCheck, Relation};
use crate::print::plain;
use crate::report::GradientSummary;
use crate::transform::{Correspondence, DIVERGENCE, Direction};
use serde::Serialize;

/// A condition on the parameter: `lhs REL 0`, and as a person reads it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConditionData {
    /// The left side, an expression in the parameter.
    pub lhs: String,
    /// `eq`, `ne`, `lt`, `le`, `gt`, `ge` or `integer`.
    pub relation: Relation,
    /// `alpha ≠ 1`.
    pub text: String,
}

impl ConditionData {
    /// The data of `c`, a condition on `param`.
    pub fn of(c: &Condition, param: &str) -> ConditionData {
        ConditionData {
            lhs: plain(&c.lhs),
            relation: c.relation,
            text: condition_text(c, param),
        }
    }
}

/// A member of a family (or its generic pair): the given side as written and both sides.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MemberData {
    /// The given side as derived from: the input at the value, or its limit; a loss given on
    /// the model-minus-target residual in its own variable, `G(r)`.
    pub input: String,
    /// With the model-minus-target residual, the member's loss on it, `G(r) = g(−r)`; `null`
    /// otherwise.
    pub model_minus_target: Option<super::ModelMinusTargetLoss>,
    /// `g(t)` on `t = log q − log pθ`, `null` when numeric.
    pub loss: Option<String>,
    /// `g'(t)`, `null` when numeric.
    pub loss_derivative: Option<String>,
    /// `f(u)`, `null` when numeric.
    pub divergence: Option<String>,
    /// `f'(u)`, `null` when numeric.
    pub divergence_derivative: Option<String>,
    /// Whether both sides are closed forms.
    pub closed_form: bool,
    /// Facts to see (`g(0) ≠ 0`, …).
    pub notes: Vec<String>,
}

impl MemberData {
    /// The data of `pair`.
    pub fn of(pair: &Correspondence) -> MemberData {
        let text = |e: &Option<crate::Expr>| e.as_ref().map(plain);
        let on_r = super::ModelMinusTargetLoss::of(pair);
        let input = match (&on_r, pair.direction) {
            (Some(m), Direction::FromLoss) => m.loss.clone(),
            _ => None,
        };
        MemberData {
            input: input.unwrap_or_else(|| plain(&pair.written)),
            model_minus_target: on_r,
            loss: text(&pair.loss),
            loss_derivative: text(&pair.loss_derivative),
            divergence: text(&pair.divergence),
            divergence_derivative: text(&pair.divergence_derivative),
            closed_form: pair.closed_form(),
            notes: pair.notes.clone(),
        }
    }
}

/// The generic result's limit at a special value against the member.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LimitData {
    /// The limit, `null` when not computed.
    pub expr: Option<String>,
    /// Whether it equals the member's derived side (exactly), `null` when not computed.
    pub agrees: Option<bool>,
    /// Why it was not computed, `null` when it was.
    pub reason: Option<String>,
}

impl LimitData {
    fn of(l: &LimitCheck) -> LimitData {
        match l {
            LimitCheck::Agrees(e) => LimitData {
                expr: Some(plain(e)),
                agrees: Some(true),
                reason: None,
            },
            LimitCheck::Differs(e) => LimitData {
                expr: Some(plain(e)),
                agrees: Some(false),
                reason: None,
            },
            LimitCheck::NotComputed(why) => LimitData {
                expr: None,
                agrees: None,
                reason: Some(why.clone()),
            },
        }
    }
}

/// One case: `kind` (`generic`, `value`, `limit`, `undefined`), its conditions, the value
/// (exact, as text) for a special value, why the input is undefined there, the member and the
/// generic result's limit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CaseData {
    /// What the case is.
    pub kind: CaseKind,
    /// The conditions under which it applies.
    pub conditions: Vec<ConditionData>,
    /// The parameter's value (`"1/2"`), `null` for the generic case and regions.
    pub value: Option<String>,
    /// Why the input is undefined at the value or on the region, `null` when it is defined.
    pub undefined: Option<String>,
    /// The member, or `{"refused", "kind"}`.
    pub member: Part<MemberData>,
    /// For a special value, the generic result's limit there.
    pub generic_limit: Option<LimitData>,
}

impl CaseData {
    fn of(c: &Case, param: &str) -> CaseData {
        CaseData {
            kind: c.kind,
            conditions: c
                .conditions
                .iter()
                .map(|x| ConditionData::of(x, param))
                .collect(),
            value: c.value.as_ref().map(crate::family::ratfun::rational_text),
            undefined: c.undefined.clone(),
            member: match &c.pair {
                Ok(p) => Part::Value(MemberData::of(p)),
                Err(u) => Part::Refused(RefusedPart {
                    refused: u.reason.clone(),
                    kind: u.kind,
                }),
            },
            generic_limit: c.generic_limit.as_ref().map(LimitData::of),
        }
    }
}

/// The gradient check of the generic pair at one value: the value and the check's keys, or
/// `refused` and `kind`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GradientAtData {
    /// The value (`"999/1000"`).
    pub value: String,
    /// The check.
    #[serde(flatten)]
    pub check: Part<GradientSummary>,
}

/// The report of a family, as `fcorr --json` prints it for an input with a parameter left
/// without a value (command `family`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FamilyData {
    /// `from-loss` or `from-divergence`.
    pub direction: &'static str,
    /// The residual convention's name.
    pub residual: &'static str,
    /// The residual every `t` of the cases' expressions is on, `t = log q − log pθ`.
    pub residual_formula: &'static str,
    /// The divergence's definition.
    pub divergence_definition: &'static str,
    /// The parameter left symbolic.
    pub parameter: String,
    /// The given side as written (other parameters' values substituted).
    pub written: String,
    /// With the model-minus-target residual, the loss on it in its own variable, `G(r)`: the
    /// input (`--from-loss`) or the generic member's `g(−r)` (`--from-divergence`); `null`
    /// otherwise.
    pub model_minus_target: Option<super::ModelMinusTargetLoss>,
    /// The values of other parameters.
    pub parameters: Vec<crate::params::Bound>,
    /// The user's assumptions.
    pub assumptions: Vec<ConditionData>,
    /// The cases, the generic one first.
    pub cases: Vec<CaseData>,
    /// The gradient check of the generic pair with each value of a spread substituted.
    pub gradient_checks: Vec<GradientAtData>,
    /// The analysis over the parameter (regions, tails, canonical member, named divergences),
    /// or `{"refused", "kind"}`.
    pub regions: Part<crate::family::regions::FamilyRegions>,
}

impl FamilyData {
    /// The data of `f`.
    pub fn of(f: &Family) -> FamilyData {
        FamilyData {
            direction: match f.direction {
                Direction::FromLoss => "from-loss",
                Direction::FromDivergence => "from-divergence",
            },
            residual: f.residual.name(),
            residual_formula: crate::transform::Residual::TargetMinusModel.formula(),
            divergence_definition: DIVERGENCE,
            parameter: f.param.clone(),
            written: plain(&f.written),
            model_minus_target: family_on_r(f),
            parameters: f.parameters.clone(),
            assumptions: f
                .assumptions
                .iter()
                .map(|a| ConditionData::of(&a.condition, &f.param))
                .collect(),
            cases: f.cases.iter().map(|c| CaseData::of(c, &f.param)).collect(),
            gradient_checks: f
                .gradient_checks
                .iter()
                .map(|g| GradientAtData {
                    value: crate::family::ratfun::rational_text(&g.value),
                    check: match &g.check {
                        Ok(c) => Part::Value(c.clone()),
                        Err(u) => Part::Refused(RefusedPart {
                            refused: u.reason.clone(),
                            kind: u.kind,
                        }),
                    },
                })
                .collect(),
            regions: match &f.regions {
                Ok(r) => Part::Value(r.clone()),
                Err(u) => Part::Refused(RefusedPart {
                    refused: u.reason.clone(),
                    kind: u.kind,
                }),
            },
        }
    }
}

/// The family's loss on the model-minus-target residual, `G(r)`: the input written in `r` for a
/// loss, the generic member's `g(−r)` for a generator; `None` with the other residual.
fn family_on_r(f: &Family) -> Option<super::ModelMinusTargetLoss> {
    if f.residual != crate::transform::Residual::ModelMinusTarget {
        return None;
    }
    Some(super::ModelMinusTargetLoss::in_r(match f.direction {
        Direction::FromLoss => crate::transform::written_in_r(&f.written),
        Direction::FromDivergence => f
            .cases
            .iter()
            .find(|c| c.kind == CaseKind::Generic)
            .and_then(|c| c.pair.as_ref().ok())
            .and_then(crate::transform::model_minus_target_loss),
    }))
}

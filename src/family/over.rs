//! The family's analysis over its parameter, fed from its derivation: the generic pair (or the
//! input itself when the generic pair is not derived), the values the assumptions allow less the
//! regions where the input is undefined, and the special members derived at their values.

use super::regions::{self, FamilyRegions, Member, Region, RegionsError};
use super::{CaseKind, Family, Relation};
use crate::ErrorKind;
use crate::analysis::{Outcome, Unavailable};
use crate::expr::{Expr, LOSS_VAR};
use crate::transform::{Direction, Residual};

/// The regions of `family`'s parameter: zero-forcing, zero-avoiding, convexity, the tails, the
/// canonical member and the named divergences, as [`regions::analyze`] finds them.
pub fn regions_of(family: &Family) -> Outcome<FamilyRegions> {
    let refuse = |e: RegionsError| Unavailable {
        kind: match e {
            RegionsError::OtherSymbol(_) => ErrorKind::Input,
            _ => ErrorKind::NoClosedForm,
        },
        reason: format!("the regions of {} are not computed: {e}", family.param),
    };
    let generic = family.generic().and_then(|c| c.pair.as_ref().ok());
    let (loss, generator) = match (generic, family.direction) {
        (Some(pair), _) => (pair.loss.clone(), pair.divergence.clone()),
        (None, Direction::FromLoss) => {
            let g = match family.residual {
                Residual::TargetMinusModel => family.written.clone(),
                Residual::ModelMinusTarget => {
                    family.written.substitute(LOSS_VAR, &-Expr::sym(LOSS_VAR))
                }
            };
            (Some(g), None)
        }
        (None, Direction::FromDivergence) => (None, Some(family.written.clone())),
    };
    let assumed: Vec<_> = family
        .assumptions
        .iter()
        .map(|a| a.condition.clone())
        .filter(|c| c.relation != Relation::Integer)
        .collect();
    let mut allowed = Region::from_conditions(&assumed, &family.param).map_err(refuse)?;
    for case in family
        .cases
        .iter()
        .filter(|c| c.kind == CaseKind::Undefined)
    {
        let undefined = Region::from_conditions(&case.conditions, &family.param).map_err(refuse)?;
        allowed = allowed.minus(&undefined);
    }
    let mut input = regions::Family::new(&family.param, loss, generator).with_allowed(allowed);
    for case in &family.cases {
        if let (Some(value), Ok(pair)) = (&case.value, &case.pair) {
            input = input.with_special(Member {
                value: value.clone(),
                loss: pair.loss.clone(),
                generator: pair.divergence.clone(),
            });
        }
    }
    regions::analyze(&input).map_err(refuse)
}

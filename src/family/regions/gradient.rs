//! The gradient theorem on a spread of members: one inside each piece, each critical and
//! special value, and the values next to each of those, where a family written with `1/a` or
//! `1/(a − 1)` loses digits to cancellation.
//!
//! A family with both sides is checked as a claim, the loss against the *given* generator
//! ([`crate::analysis::claim::check_claim`]), so the pair as written is what is proved; a family
//! with one side is checked on the pair derived from that side.

use super::{Family, FamilyRegions, serialize_rational};
use crate::check::{CheckOptions, GradientCheck, Verdict};
use crate::transform::{Bindings, Residual, from_divergence, from_loss};
use num_rational::BigRational;

/// How far from a critical or special value its neighbours are checked.
pub const NEAR: (i64, i64) = (1, 100);

/// Why a value is in the spread.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Why {
    /// The rational read inside an open piece.
    Piece,
    /// A critical or special value.
    Critical,
    /// Next to a critical or special value (at `±1/100`).
    Near,
}

/// The gradient check of one member.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct MemberCheck {
    /// The parameter's value.
    #[serde(serialize_with = "serialize_rational")]
    pub value: BigRational,
    /// Why it was chosen.
    pub why: Why,
    /// The check, or why the member could not be checked.
    pub outcome: CheckOutcome,
}

/// The result of one member's check.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum CheckOutcome {
    /// The check ran.
    Checked {
        /// The largest relative gradient difference.
        max_rel_error: f64,
        /// The largest difference the errors of the numbers alone could cause.
        max_rel_noise: f64,
        /// `holds`, `fails` or `inconclusive`, judged as the report judges a pair.
        verdict: Verdict,
        /// `given` when the loss was checked against the family's generator, `derived` when
        /// against the generator derived from the member's own side.
        against: &'static str,
    },
    /// The member could not be checked: why.
    Refused {
        /// Why, a phrase.
        refused: String,
    },
}

/// The values of the spread for `regions`: each cell's reading point, and `c ± 1/100` for each
/// critical or special value `c`, inside the allowed set.
pub fn spread(family: &Family, regions: &FamilyRegions) -> Vec<(BigRational, Why)> {
    let near = BigRational::new(NEAR.0.into(), NEAR.1.into());
    let mut out: Vec<(BigRational, Why)> = Vec::new();
    for c in &regions.cells {
        if let Some(ps) = c.region.as_points() {
            for p in ps {
                out.push((&p - &near, Why::Near));
                out.push((&p + &near, Why::Near));
                out.push((p, Why::Critical));
            }
        } else if let Some(s) = c.region.sample() {
            out.push((s, Why::Piece));
        }
    }
    out.retain(|(v, _)| family.allowed.contains(v));
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

/// The gradient theorem at every value of [`spread`].
pub fn check_spread(
    family: &Family,
    regions: &FamilyRegions,
    opts: &CheckOptions,
) -> Vec<MemberCheck> {
    spread(family, regions)
        .into_iter()
        .map(|(value, why)| MemberCheck {
            outcome: check_member(family, &value, opts),
            value,
            why,
        })
        .collect()
}

fn check_member(family: &Family, value: &BigRational, opts: &CheckOptions) -> CheckOutcome {
    let refused = |e: String| CheckOutcome::Refused { refused: e };
    let member = match family.member(value) {
        Ok(m) => m,
        Err(e) => return refused(e),
    };
    let none = Bindings::new();
    let residual = Residual::TargetMinusModel;
    let checked = |c: &GradientCheck, threshold: f64, against| CheckOutcome::Checked {
        max_rel_error: c.max_rel_error,
        max_rel_noise: c.max_rel_noise,
        verdict: c.verdict(threshold),
        against,
    };
    match (&member.loss, &member.generator) {
        (Some(g), Some(f)) => match crate::analysis::claim::check_claim(g, f, residual, &none) {
            Ok(claim) => match &claim.gradient_check {
                Ok(c) => checked(c, crate::report::proved_below(&claim.derived), "given"),
                Err(u) => refused(u.reason.clone()),
            },
            Err(e) => refused(e.to_string()),
        },
        (g, f) => {
            let pair = match (g, f) {
                (Some(g), _) => from_loss(g, residual, &none),
                (None, Some(f)) => from_divergence(f, residual, &none),
                (None, None) => return refused("the member has no side".into()),
            };
            match pair.and_then(|p| p.gradient_check(opts).map(|c| (p, c))) {
                Ok((p, c)) => checked(&c, crate::report::proved_below(&p), "derived"),
                Err(e) => refused(e.to_string()),
            }
        }
    }
}

//! The data of `check --json`: the verdict, the evidence at the probes and the gradient check
//! against the claimed generator.

use super::{IdentifiedData, Part, num};
use crate::check::Verdict;
use crate::print::plain;
use serde::Serialize;

/// One probe of `check`'s evidence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EvidenceData {
    /// The probe.
    #[serde(serialize_with = "num")]
    pub u: f64,
    /// The claimed `F(u)`.
    #[serde(serialize_with = "num")]
    pub claimed: f64,
    /// The derived `f(u)`.
    #[serde(serialize_with = "num")]
    pub derived: f64,
    /// `f(u) + c·(u − 1)`.
    #[serde(serialize_with = "num")]
    pub derived_shifted: f64,
}

/// `check`'s gradient check of the loss against the claimed generator.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClaimGradientData {
    /// The largest relative error.
    #[serde(serialize_with = "num")]
    pub max_rel_error: f64,
    /// The noise of its numbers.
    #[serde(serialize_with = "num")]
    pub max_rel_noise: f64,
    /// The verdict.
    pub verdict: Verdict,
    /// How many random models.
    pub models: usize,
    /// Their number of categories.
    pub categories: usize,
}

/// What `check --json` prints (inside [`super::Versioned`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClaimData {
    /// Whether the claim holds.
    pub holds: bool,
    /// `holds`, `fails` or `inconclusive`.
    pub verdict: Verdict,
    /// The parameter values used.
    pub parameters: Vec<crate::params::Bound>,
    /// `c` with `F = f + a + c·(u − 1)`, `null` unless it holds.
    pub shift: Option<String>,
    /// `a` with `F = f + a + c·(u − 1)`, `null` unless it holds.
    pub offset: Option<String>,
    /// `exact` or `numeric`.
    pub method: &'static str,
    /// The residual convention's name.
    pub residual: &'static str,
    /// The residual every `t` is on: always `t = log q − log pθ`.
    pub residual_formula: &'static str,
    /// The loss `g(t)` on `t = log q − log pθ`: the loss as given, reflected (`g(t) = G(−t)`)
    /// when it was given on the model-minus-target residual.
    pub loss: String,
    /// With the model-minus-target residual, the loss as given, `G(r)` on
    /// `r = log pθ − log q`; `null` otherwise.
    pub model_minus_target: Option<super::ModelMinusTargetLoss>,
    /// The claimed generator.
    pub claimed: String,
    /// The derived generator, `null` when numeric.
    pub derived: Option<String>,
    /// The shift used in the evidence.
    pub evidence_shift: String,
    /// The constant used in the evidence.
    pub evidence_offset: String,
    /// The generators at the probes.
    pub evidence: Vec<EvidenceData>,
    /// The probes where the derived generator has no trusted value: `{"u", "refused"}`.
    pub refused_probes: Vec<RefusedProbe>,
    /// What the loss trains.
    pub identified: Vec<IdentifiedData>,
    /// The gradient check against the claimed generator.
    pub gradient_check: Part<ClaimGradientData>,
}

/// A probe of `check` where the derived generator has no trusted value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RefusedProbe {
    /// The probe.
    #[serde(serialize_with = "num")]
    pub u: f64,
    /// Why.
    pub refused: String,
}

impl ClaimData {
    /// The keys of `check --json` for `c`.
    pub fn of(c: &crate::analysis::claim::Claim) -> ClaimData {
        ClaimData {
            holds: c.holds,
            verdict: c.verdict,
            parameters: c.parameters.clone(),
            shift: c.shift.as_ref().map(plain),
            offset: c.offset.as_ref().map(plain),
            method: c.method,
            residual: c.derived.residual.name(),
            residual_formula: crate::transform::Residual::TargetMinusModel.formula(),
            loss: plain(c.derived.loss.as_ref().unwrap_or(&c.derived.written)),
            model_minus_target: super::ModelMinusTargetLoss::of(&c.derived),
            claimed: plain(&c.claimed),
            derived: c.derived.divergence.as_ref().map(plain),
            evidence_shift: plain(&c.evidence_shift),
            evidence_offset: plain(&c.evidence_offset),
            evidence: c
                .evidence
                .iter()
                .map(|&(u, claimed, derived, derived_shifted)| EvidenceData {
                    u,
                    claimed,
                    derived,
                    derived_shifted,
                })
                .collect(),
            identified: c
                .derived_identified
                .iter()
                .map(|i| IdentifiedData::of(i, false))
                .collect(),
            refused_probes: c
                .refused_probes
                .iter()
                .map(|r| RefusedProbe {
                    u: r.x,
                    refused: r.reason.clone(),
                })
                .collect(),
            gradient_check: Part::of(&c.gradient_check, |g| ClaimGradientData {
                max_rel_error: g.max_rel_error,
                max_rel_noise: g.max_rel_noise,
                verdict: c.gradient_verdict,
                models: g.models,
                categories: g.categories,
            }),
        }
    }
}

//! What a derived pair means: normalisation and the canonical class member ([`normal`]), the
//! equivalence class ([`class`]), the reward ([`reward`]), the training regimes ([`regime`]),
//! the dual and convex conjugate ([`conjugate`]), convexity ([`convexity`]), the tails and the
//! zero-forcing / zero-avoiding verdicts ([`tails`]), and the verdict on a claimed pair
//! ([`claim`]).

pub mod claim;
pub mod class;
pub mod conjugate;
pub mod convexity;
pub mod noise;
pub mod normal;
pub mod regime;
pub mod reward;
pub mod tails;

use crate::Error;
use crate::catalog::{Identification, identify_pair};
use crate::check::{CheckOptions, Regime};
use crate::transform::Correspondence;

/// Everything the analysis says about a pair.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    /// `f(1)`, `f'(1)`, `g(0)`, `g'(0)` and the canonical member.
    pub normalization: normal::Normalization,
    /// The named divergences the generator equals up to the class and a positive scale.
    pub identified: Vec<Identification>,
    /// The reward and its verification.
    pub reward: reward::Reward,
    /// The equivalence class, symbolically and on random models.
    pub class: class::ClassCheck,
    /// The training regime asked for, with its own generator and gradient check, or why it
    /// could not be computed (the rest of the analysis stands).
    pub regime: Option<Result<regime::RegimeCheck, RegimeUnavailable>>,
    /// The dual `f◇(u) = u·f(1/u)`, when `f` is a closed form.
    pub dual: Option<crate::Expr>,
    /// The convex conjugate `f*(y)`, or why it is not available.
    pub conjugate: Result<conjugate::Conjugate, String>,
    /// Convexity of `f` on `(0, ∞)` (equivalently of `g` on ℝ).
    pub convexity: convexity::Convexity,
    /// `f(0+)`, `f'(∞)` and the zero-forcing / zero-avoiding verdicts.
    pub tails: tails::Tails,
}

/// A training regime whose generator or check could not be computed, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct RegimeUnavailable {
    /// The regime asked for.
    pub regime: Regime,
    /// Why it is not available, a phrase without a final period.
    pub reason: String,
}

/// Analyse `pair`; `regime` adds the generator and check of one training regime.
pub fn analyze(
    pair: &Correspondence,
    opts: &CheckOptions,
    regime: Option<Regime>,
) -> Result<Analysis, Error> {
    // The dual is presented like the pair's sides; every other analysis works on logarithms
    // split into sums, the form the simplifier's rules expect.
    let dual = pair.divergence.as_ref().map(conjugate::dual).transpose()?;
    let pair = &pair.with_expanded_logs();
    Ok(Analysis {
        normalization: {
            let mut n = normal::normalization(pair)?;
            n.canonical_f = n
                .canonical_f
                .as_ref()
                .map(crate::simplify::present::present);
            n
        },
        identified: identify_pair(pair)?,
        reward: reward::reward(pair, opts)?,
        class: class::equivalence(pair, opts)?,
        regime: regime.map(|r| {
            regime::check_regime(pair, r, opts).map_err(|e| RegimeUnavailable {
                regime: r,
                reason: e.to_string(),
            })
        }),
        dual,
        convexity: match (&pair.loss, &pair.divergence) {
            (Some(g), None) => convexity::of_loss(g)?,
            (Some(g), Some(f)) => {
                // A derived closed form may be provable on one side only (a loss in softplus
                // and sigmoid, a generator rational in u): keep the first proof.
                let by_loss = convexity::of_loss(g)?;
                if by_loss.method == convexity::Method::Proved {
                    by_loss
                } else {
                    match convexity::of_generator(f)? {
                        c if c.method == convexity::Method::Proved => c,
                        _ => by_loss,
                    }
                }
            }
            (None, Some(f)) => convexity::of_generator(f)?,
            (None, None) => return Err(Error::Input("the pair has no closed side".into())),
        },
        tails: match (&pair.loss, &pair.divergence) {
            (_, Some(f)) => tails::of_generator(f)?,
            (Some(g), None) => tails::of_loss(g)?,
            (None, None) => return Err(Error::Input("the pair has no closed side".into())),
        },
        conjugate: match &pair.divergence {
            Some(f) => conjugate::conjugate(f).map_err(|e| e.to_string()),
            None => Err("the generator is known only numerically".into()),
        },
    })
}

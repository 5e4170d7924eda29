//! What a derived pair means: normalisation and the canonical class member ([`normal`]), the
//! equivalence class ([`class`]), the reward ([`reward`]), the training regimes ([`regime`]),
//! the dual and convex conjugate ([`conjugate`]), convexity ([`convexity`]), the tails and the
//! zero-forcing / zero-avoiding verdicts ([`tails`]), and the verdict on a claimed pair
//! ([`claim`]).

pub mod claim;
pub mod class;
pub mod conjugate;
pub mod convexity;
pub mod normal;
pub mod regime;
pub mod reward;
pub mod tails;

use crate::Error;
use crate::catalog::{Identification, identify};
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
    /// The training regime asked for, with its own generator and gradient check.
    pub regime: Option<regime::RegimeCheck>,
    /// The dual `f◇(u) = u·f(1/u)`, when `f` is a closed form.
    pub dual: Option<crate::Expr>,
    /// The convex conjugate `f*(y)`, or why it is not available.
    pub conjugate: Result<conjugate::Conjugate, String>,
    /// Convexity of `f` on `(0, ∞)` (equivalently of `g` on ℝ).
    pub convexity: convexity::Convexity,
    /// `f(0+)`, `f'(∞)` and the zero-forcing / zero-avoiding verdicts.
    pub tails: tails::Tails,
}

/// Analyse `pair`; `regime` adds the generator and check of one training regime.
pub fn analyze(
    pair: &Correspondence,
    opts: &CheckOptions,
    regime: Option<Regime>,
) -> Result<Analysis, Error> {
    let values = |us: &[f64]| -> Result<Vec<f64>, Error> {
        let f_side = match pair.direction {
            crate::transform::Direction::FromLoss => pair.derived_values(us)?,
            crate::transform::Direction::FromDivergence => {
                let f = pair
                    .divergence
                    .as_ref()
                    .ok_or_else(|| Error::Input("no generator".into()))?;
                let p = crate::eval::compile(
                    f,
                    crate::expr::DIVERGENCE_VAR,
                    &crate::eval::Params::new(),
                )?;
                us.iter()
                    .map(|&u| crate::transform::Value {
                        x: u,
                        value: p.eval(u),
                        error: None,
                    })
                    .collect()
            }
        };
        Ok(f_side.into_iter().map(|v| v.value).collect())
    };
    Ok(Analysis {
        normalization: normal::normalization(pair)?,
        identified: identify(pair.divergence.as_ref(), &values)?,
        reward: reward::reward(pair, opts)?,
        class: class::equivalence(pair, opts)?,
        regime: regime
            .map(|r| regime::check_regime(pair, r, opts))
            .transpose()?,
        dual: pair.divergence.as_ref().map(conjugate::dual).transpose()?,
        convexity: match (&pair.loss, &pair.divergence) {
            (Some(g), _) => convexity::of_loss(g)?,
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

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
pub(crate) mod pieces;
pub mod regime;
pub mod reward;
pub mod tails;
pub mod zero;

#[cfg(test)]
mod parallel_tests;

use crate::Error;
use crate::catalog::{Identification, identify_pair};
use crate::check::{CheckOptions, Regime};
use crate::transform::Correspondence;

/// A part of the analysis that could not be computed, and why; the rest of the analysis stands.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Unavailable {
    /// The kind of the error that stopped it.
    pub kind: crate::ErrorKind,
    /// Why, a phrase without a final period (the error's message).
    pub reason: String,
}

impl From<Error> for Unavailable {
    fn from(e: Error) -> Unavailable {
        Unavailable {
            kind: e.kind(),
            reason: e.to_string(),
        }
    }
}

/// A part of the analysis: its value, or why it could not be computed.
pub type Outcome<T> = Result<T, Unavailable>;

/// Everything the analysis says about a pair. Each part is an [`Outcome`]: one that cannot be
/// computed is reported with its reason, and the others stand.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    /// `f(1)`, `f'(1)`, `g(0)`, `g'(0)` and the canonical member.
    pub normalization: Outcome<normal::Normalization>,
    /// The named divergences the generator equals up to the class and a positive scale.
    pub identified: Outcome<Vec<Identification>>,
    /// The reward and its verification.
    pub reward: Outcome<reward::Reward>,
    /// The equivalence class, symbolically and on random models.
    pub class: Outcome<class::ClassCheck>,
    /// The training regime asked for, with its own generator and gradient check, or why it
    /// could not be computed (the rest of the analysis stands).
    pub regime: Option<Result<regime::RegimeCheck, RegimeUnavailable>>,
    /// The dual `f◇(u) = u·f(1/u)`, when `f` is a closed form.
    pub dual: Option<Outcome<crate::Expr>>,
    /// The convex conjugate `f*(y)`, or why it is not available.
    pub conjugate: Outcome<conjugate::Conjugate>,
    /// Convexity of `f` on `(0, ∞)` (equivalently of `g` on ℝ).
    pub convexity: Outcome<convexity::Convexity>,
    /// `f(0+)`, `f'(∞)` and the zero-forcing / zero-avoiding verdicts.
    pub tails: Outcome<tails::Tails>,
}

impl Analysis {
    /// The first part that failed with an internal error (a bug in fcorr, reported on that
    /// part's line), if any.
    pub fn internal_error(&self) -> Option<&str> {
        let parts = [
            self.normalization.as_ref().err(),
            self.identified.as_ref().err(),
            self.reward.as_ref().err(),
            self.class.as_ref().err(),
            self.dual.as_ref().and_then(|d| d.as_ref().err()),
            self.conjugate.as_ref().err(),
            self.convexity.as_ref().err(),
            self.tails.as_ref().err(),
        ];
        let regime = match &self.regime {
            Some(Err(r)) if r.kind == crate::ErrorKind::Internal => Some(r.reason.as_str()),
            _ => None,
        };
        parts
            .into_iter()
            .flatten()
            .find(|u| u.kind == crate::ErrorKind::Internal)
            .map(|u| u.reason.as_str())
            .or(regime)
    }
}

/// A training regime whose generator or check could not be computed, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct RegimeUnavailable {
    /// The regime asked for.
    pub regime: Regime,
    /// The kind of the error that stopped it.
    pub kind: crate::ErrorKind,
    /// Why it is not available, a phrase without a final period.
    pub reason: String,
}

/// Analyse `pair`; `regime` adds the generator and check of one training regime. A part that
/// cannot be computed is [`Unavailable`] in the result; only a pair with no closed side at all
/// (which the transforms never make) is an error.
pub fn analyze(
    pair: &Correspondence,
    opts: &CheckOptions,
    regime: Option<Regime>,
) -> Result<Analysis, Error> {
    analyze_alongside(pair, opts, regime, || ()).0
}

/// Start the second thread that [`analyze_alongside`] shares the parts of an analysis with,
/// if it is not running yet. The first analysis starts it otherwise, and waits the 0.1–0.3 ms
/// a new thread takes to run; a program that derives a pair and then analyses it calls this
/// first, so that the thread is ready when the analysis begins.
pub fn prepare_threads() {
    crate::parallel::start();
}

/// [`analyze`], with `alongside` (the pair's values and gradient check, say) run on the
/// calling thread while the analysis runs: the same analysis, and what `alongside` returns.
///
/// The parts run on two threads where the machine has two cores (see [`prepare_threads`]):
/// the checks that share the pair's numeric side (`alongside`, the reward and the class) on
/// the calling thread, where that side's curves are kept, and the symbolic parts on whichever
/// thread is free first. Each part writes its own place, so the result is the same as on one
/// thread.
pub fn analyze_alongside<R>(
    pair: &Correspondence,
    opts: &CheckOptions,
    regime: Option<Regime>,
    alongside: impl FnOnce() -> R,
) -> (Result<Analysis, Error>, R) {
    analyze_on(crate::parallel::Threads::Two, pair, opts, regime, alongside)
}

/// [`analyze_alongside`] on one thread or two.
pub(crate) fn analyze_on<R>(
    threads: crate::parallel::Threads,
    pair: &Correspondence,
    opts: &CheckOptions,
    regime: Option<Regime>,
    alongside: impl FnOnce() -> R,
) -> (Result<Analysis, Error>, R) {
    if pair.loss.is_none() && pair.divergence.is_none() {
        return (Err(no_closed_side()), alongside());
    }
    use crate::parallel::Slot;
    // The dual is presented like the pair's sides; every other analysis works on logarithms
    // split into sums, the form the simplifier's rules expect.
    let given_f = pair.divergence.clone();
    let expanded = std::sync::Arc::new(pair.with_expanded_logs());
    let pair = &expanded;
    let tails = Slot::new();
    let identified = Slot::new();
    let regime_check = Slot::new();
    let dual = Slot::new();
    let normalization = Slot::new();
    let convexity = Slot::new();
    let class_symbolic = Slot::new();
    let dual_reward = Slot::new();
    let owned = || std::sync::Arc::clone(&expanded);
    // Largest first, by instruction counts (`log(cosh(t))` / `js`: the tails with the
    // conjugate 3.3 M / 3.5 M, identification 1.4 M / 2.5 M, the dual 0.4 M / 1.4 M, the
    // normalisation and convexity under 0.2 M; the calling thread's own parts 3.6 M / 4.4 M).
    // The tails and the conjugate share one task: the conjugate's domain reuses the tails
    // remembered per thread.
    let tasks = vec![
        tails.task({
            let pair = owned();
            move || (tails_of(&pair), conjugate_of(&pair))
        }),
        identified.task({
            let pair = owned();
            move || identify_pair(&pair).map_err(Into::into)
        }),
        regime_check.task({
            let (pair, opts) = (owned(), opts.clone());
            move || {
                regime.map(|r| {
                    regime::check_regime(&pair, r, &opts).map_err(|e| RegimeUnavailable {
                        regime: r,
                        kind: e.kind(),
                        reason: e.to_string(),
                    })
                })
            }
        }),
        dual.task(move || given_f.map(|f| conjugate::dual(&f).map_err(Into::into))),
        normalization.task({
            let pair = owned();
            move || {
                normal::normalization(&pair)
                    .map(|mut n| {
                        n.canonical_f = n
                            .canonical_f
                            .as_ref()
                            .map(crate::simplify::present::present);
                        n
                    })
                    .map_err(Into::into)
            }
        }),
        convexity.task({
            let pair = owned();
            move || convexity_of(&pair).map_err(Into::into)
        }),
        // The symbolic halves of the reward and class checks (0.2 M each), whose numbers are
        // the calling thread's.
        dual_reward.task({
            let pair = owned();
            move || reward::dual_reward(&pair)
        }),
        class_symbolic.task({
            let pair = owned();
            move || class::symbolic(&pair)
        }),
    ];
    // On the calling thread, in the order of one thread: every check of the numeric side.
    let (out, reward, class) = crate::parallel::run(
        threads,
        || {
            let out = alongside();
            let reward = reward::numbers(pair, opts);
            let class = class::numbers(pair, opts);
            (out, reward, class)
        },
        tasks,
    );
    let ran = "every task of the analysis runs once";
    let (tails, conjugate) = tails.take().expect(ran);
    let reward = reward::with_dual_reward(dual_reward.take().expect(ran), reward);
    let class = class::with_symbolic(class_symbolic.take().expect(ran), class);
    let convexity = convexity.take().expect(ran);
    let conjugate = conjugate::of_convex_only(conjugate, &convexity);
    let analysis = Analysis {
        normalization: normalization.take().expect(ran),
        identified: identified.take().expect(ran),
        reward: reward.map_err(Into::into),
        class: class.map_err(Into::into),
        regime: regime_check.take().expect(ran),
        dual: dual.take().expect(ran),
        convexity,
        tails,
        conjugate,
    };
    (Ok(analysis), out)
}

/// `f(0+)`, `f'(∞)` and the verdicts, from whichever side gives them.
fn tails_of(pair: &Correspondence) -> Outcome<tails::Tails> {
    match (&pair.loss, &pair.divergence) {
        // The series in `u` cannot expand `γ(p, log u)`; the loss's `g'` reads both ends.
        (Some(g), Some(f)) if f.contains_func2() => tails::of_loss(g),
        (_, Some(f)) => tails::of_generator(f),
        (Some(g), None) => tails::of_loss(g),
        (None, None) => Err(no_closed_side()),
    }
    .map_err(Into::into)
}

/// The convex conjugate, when the generator is a closed form.
fn conjugate_of(pair: &Correspondence) -> Outcome<conjugate::Conjugate> {
    match &pair.divergence {
        Some(f) => conjugate::conjugate(f).map_err(Into::into),
        None => Err(Unavailable {
            kind: crate::ErrorKind::NoClosedForm,
            reason: "the generator is known only numerically".into(),
        }),
    }
}

/// The convexity of the pair, from whichever side proves it.
fn convexity_of(pair: &Correspondence) -> Result<convexity::Convexity, Error> {
    match (&pair.loss, &pair.divergence) {
        (Some(g), None) => convexity::of_loss(g),
        (Some(g), Some(f)) => {
            if let Some(c) = convexity::apart_of_generator(f)? {
                return Ok(c);
            }
            // A derived closed form may be provable on one side only (a loss in softplus
            // and sigmoid, a generator rational in u): keep the first proof.
            // The loss's scan only when neither side proves it.
            match convexity::examine_loss(g)? {
                convexity::Loss::Proved(c) => Ok(*c),
                convexity::Loss::Scan(by_loss) => match convexity::proof_of_generator(f)? {
                    Some(c) => Ok(c),
                    None => by_loss.scan(),
                },
            }
        }
        (None, Some(f)) => convexity::of_generator(f),
        (None, None) => Err(no_closed_side()),
    }
}

/// A pair with neither side in closed form, which the transforms never make.
fn no_closed_side() -> Error {
    Error::Internal(crate::error::internal("the pair has no closed side"))
}

//! A numeric comparison that knows its noise: each difference is judged against the error of
//! the numbers it was computed from, so that a check never reports a failure or a success that
//! its own rounding, quadrature or finite-difference error could have produced.

use crate::check::gradient::NEGLIGIBLE_SCALE;
use crate::check::{NOISE_MARGIN, Verdict};

/// The largest relative difference and noise of a numeric comparison, and the largest relative
/// difference beyond [`NOISE_MARGIN`] times its noise.
///
/// A comparison on a scale below [`NEGLIGIBLE_SCALE`] measures nothing and is left out; while
/// nothing has been measured the relative noise is `∞` (the verdict inconclusive): `0` against
/// `0` is no evidence.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Verdicts {
    pub(crate) max_rel_error: f64,
    pub(crate) max_rel_noise: f64,
    pub(crate) beyond_noise: f64,
    measured: bool,
}

impl Default for Verdicts {
    fn default() -> Verdicts {
        Verdicts {
            max_rel_error: 0.0,
            max_rel_noise: f64::INFINITY,
            beyond_noise: 0.0,
            measured: false,
        }
    }
}

impl Verdicts {
    /// Both sides are zero by their closed forms
    /// ([`crate::transform::Correspondence::zero_by_closed_forms`]): `0` against `0`, which
    /// measured nothing numerically, is the exact comparison.
    pub(crate) fn zero_by_closed_forms(&mut self) {
        if !self.measured {
            self.measured = true;
            self.max_rel_noise = 0.0;
        }
    }

    /// One comparison: an absolute difference, its noise and the scale both are measured on.
    pub(crate) fn add(&mut self, abs: f64, noise: f64, scale: f64) {
        if scale.is_nan() || scale < NEGLIGIBLE_SCALE {
            return;
        }
        if !self.measured {
            self.measured = true;
            self.max_rel_noise = 0.0;
        }
        let rel = |x: f64| x / scale;
        self.max_rel_error = self.max_rel_error.max(rel(abs));
        self.max_rel_noise = self.max_rel_noise.max(rel(noise));
        if abs > NOISE_MARGIN * noise {
            self.beyond_noise = self.beyond_noise.max(rel(abs));
        }
    }

    /// As [`crate::check::GradientCheck::verdict`].
    pub(crate) fn verdict(&self, tolerance: f64) -> Verdict {
        if self.beyond_noise > tolerance {
            Verdict::Fails
        } else if self.max_rel_error <= tolerance && self.max_rel_noise <= tolerance {
            Verdict::Holds
        } else {
            Verdict::Inconclusive
        }
    }
}

/// A function with its values remembered by argument, for the few points of one model.
pub(super) struct Remembered<'a> {
    function: &'a dyn Fn(f64) -> f64,
    seen: std::cell::RefCell<Vec<(u64, f64)>>,
}

impl<'a> Remembered<'a> {
    pub(super) fn new(function: &'a dyn Fn(f64) -> f64) -> Remembered<'a> {
        Remembered {
            function,
            seen: std::cell::RefCell::new(Vec::new()),
        }
    }

    /// `function(x)`, computed on the first call at `x`.
    pub(super) fn at(&self, x: f64) -> f64 {
        let key = x.to_bits();
        if let Some(&(_, v)) = self.seen.borrow().iter().find(|(k, _)| *k == key) {
            return v;
        }
        let v = (self.function)(x);
        self.seen.borrow_mut().push((key, v));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The verdict at tolerance `1e-6` of the comparisons `(difference, noise, scale)`.
    #[track_caller]
    fn verdict_of(comparisons: &[(f64, f64, f64)], expected: Verdict) {
        let mut v = Verdicts::default();
        for &(abs, noise, scale) in comparisons {
            v.add(abs, noise, scale);
        }
        assert_eq!(v.verdict(1e-6), expected, "{comparisons:?}: {v:?}");
    }

    #[rustfmt::skip]
    #[test]
    fn nothing_measured_is_no_evidence() {
        verdict_of(&[], Verdict::Inconclusive);
        verdict_of(&[(0.0, 0.0, 0.0)], Verdict::Inconclusive);
        verdict_of(&[(0.0, 0.0, 0.0), (0.0, 0.0, 0.0)], Verdict::Inconclusive);
        verdict_of(&[(0.0, 0.0, 1e-310)], Verdict::Inconclusive);
        verdict_of(&[(1e-320, 0.0, 1e-310)], Verdict::Inconclusive);
        verdict_of(&[(0.0, 0.0, 0.0), (1e-17, 1e-16, 1.0)], Verdict::Holds);
        verdict_of(&[(1e-317, 1e-316, f64::MIN_POSITIVE)], Verdict::Holds);
        verdict_of(&[(0.0, 0.0, 0.0), (1.0, 1e-16, 1.0)], Verdict::Fails);
        verdict_of(&[(1e-3, 1e-2, 1.0)], Verdict::Inconclusive);
    }
}

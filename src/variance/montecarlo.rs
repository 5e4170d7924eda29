//! Monte Carlo confirmation: the same estimators sampled with a seeded generator, so that the
//! exact values can be seen next to what N samples say, with standard errors.
//!
//! From one set of N draws every shift is estimated in O(N + K): with `a_i = ρ(x_i)(w(x_i) + c)`
//! and `X_i = −a_i s(x_i)`, the sample mean `X̄` is `(−A_j + pθ_j·A)/N` (`A_j` the sum of `a_i`
//! over draws of `j`), and `‖X_i − X̄‖² = a_i²‖s(x_i)‖² + 2a_i(X̄_{x_i} − ⟨pθ, X̄⟩) + ‖X̄‖²`.
//! The trace is estimated without bias by `Σ‖X_i − X̄‖²/(N − 1)`; its standard error is the
//! sample deviation of those terms over `√N`.

use super::exact::Trace;
use super::model::Rng;
use super::sum::Sum;
use super::{McEstimates, McRow, McValue, Model};

/// The fewest samples a Monte Carlo run may draw.
pub const MIN_SAMPLES: usize = 2;
/// The most samples a Monte Carlo run may draw.
pub const MAX_SAMPLES: usize = 10_000_000;

/// `n` draws from `prob` (which sums to 1) by inversion of its cumulative sums.
pub fn draw(prob: &[f64], n: usize, rng: &mut Rng) -> Vec<usize> {
    let mut cdf = Vec::with_capacity(prob.len());
    let mut acc = Sum::default();
    for p in prob {
        acc.add(*p);
        cdf.push(acc.value());
    }
    let total = acc.value();
    let last = prob.iter().rposition(|p| *p > 0.0).unwrap_or(0);
    (0..n)
        .map(|_| {
            let u = rng.uniform() * total;
            // The first outcome whose cumulative sum exceeds u has positive probability.
            cdf.partition_point(|c| *c <= u).min(last)
        })
        .collect()
}

/// Mean and standard error of values.
fn mean_se(values: impl Iterator<Item = f64>, n: usize) -> (f64, f64) {
    let (mut s, mut s2) = (Sum::default(), Sum::default());
    for v in values {
        s.add(v);
        s2.add(v * v);
    }
    let nf = n as f64;
    let mean = s.value() / nf;
    let var = ((s2.value() - nf * mean * mean) / (nf - 1.0)).max(0.0);
    (mean, (var / nf).sqrt())
}

/// What is sampled: draws from `sample_from`, importance weights `importance[x]` (1
/// on-policy), and the exact mean at `c = 0` and trace to compare with.
pub struct Estimator<'a> {
    /// The distribution the draws come from.
    pub sample_from: &'a [f64],
    /// `ρ(x)`, or 1.
    pub importance: &'a [f64],
    /// The exact mean of the estimator at `c = 0`.
    pub exact_mean: &'a [f64],
    /// The exact trace.
    pub exact_trace: &'a Trace,
    /// The exact `E ρ` and `E ρ²` under the sampling distribution, off-policy.
    pub exact_weight_moments: Option<(f64, f64)>,
}

/// Estimate the estimator's mean at `c = 0` along the unit vector `direction` (the exact
/// gradient's, when it is not zero) and its trace at every shift, from `samples` draws seeded
/// by `seed`.
pub fn estimate(
    model: &Model,
    w: &[f64],
    est: &Estimator<'_>,
    direction: Option<&[f64]>,
    shifts: &[f64],
    samples: usize,
    seed: u64,
) -> McEstimates {
    let k = model.outcomes();
    let p = &model.p;
    let mut rng = Rng::new(seed);
    let draws = draw(est.sample_from, samples, &mut rng);
    let nf = samples as f64;
    let mut per_outcome = vec![0.0; k];
    let mut a = vec![0.0; samples];
    // X̄ at shift c, with a_i filled in.
    let mut sample_mean = |c: f64, a: &mut [f64]| -> Vec<f64> {
        per_outcome.iter_mut().for_each(|v| *v = 0.0);
        let mut total = Sum::default();
        for (ai, &x) in a.iter_mut().zip(&draws) {
            *ai = est.importance[x] * (w[x] + c);
            per_outcome[x] += *ai;
            total.add(*ai);
        }
        let total = total.value();
        (0..k)
            .map(|j| (-per_outcome[j] + p[j] * total) / nf)
            .collect()
    };
    // The mean at c = 0 along the exact gradient's direction u: ⟨X_i, u⟩ = −a_i(u_{x_i} − ⟨pθ, u⟩).
    let along = direction.map(|u| {
        let p_u = super::sum::sum(p.iter().zip(u).map(|(p, u)| p * u));
        let exact = super::sum::sum(est.exact_mean.iter().zip(u).map(|(m, u)| m * u));
        let (estimate, standard_error) = mean_se(
            draws
                .iter()
                .map(|&x| -est.importance[x] * w[x] * (u[x] - p_u)),
            samples,
        );
        McValue {
            exact,
            estimate,
            standard_error,
        }
    });
    let variance = shifts
        .iter()
        .map(|&c| {
            let xbar = sample_mean(c, &mut a);
            let p_xbar: f64 = super::sum::sum(p.iter().zip(&xbar).map(|(p, x)| p * x));
            let xbar_sq = super::exact::norm_squared(&xbar);
            let terms = a.iter().zip(&draws).map(|(ai, &x)| {
                ai * ai * model.score_norm_squared(x) + 2.0 * ai * (xbar[x] - p_xbar) + xbar_sq
            });
            let (m, se) = mean_se(terms, samples);
            McRow {
                shift: c,
                exact: est.exact_trace.at(c),
                estimate: m * nf / (nf - 1.0),
                standard_error: se * nf / (nf - 1.0),
            }
        })
        .collect();
    let weights = est.exact_weight_moments.map(|(m1, m2)| {
        let (e1, s1) = mean_se(draws.iter().map(|&x| est.importance[x]), samples);
        let (e2, s2) = mean_se(
            draws.iter().map(|&x| est.importance[x] * est.importance[x]),
            samples,
        );
        (
            McValue {
                exact: m1,
                estimate: e1,
                standard_error: s1,
            },
            McValue {
                exact: m2,
                estimate: e2,
                standard_error: s2,
            },
        )
    });
    let (mean_weight, mean_squared_weight) = match weights {
        Some((a, b)) => (Some(a), Some(b)),
        None => (None, None),
    };
    McEstimates {
        samples,
        seed,
        mean_along_gradient: along,
        variance,
        mean_weight,
        mean_squared_weight,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_follow_the_distribution_and_skip_zeros() {
        let mut rng = Rng::new(1);
        let prob = [0.0, 0.25, 0.0, 0.75, 0.0];
        let d = draw(&prob, 40_000, &mut rng);
        assert!(d.iter().all(|&x| x == 1 || x == 3));
        let ones = d.iter().filter(|&&x| x == 1).count() as f64 / 40_000.0;
        // The standard error of the frequency is √(¼·¾/40000) ≈ 0.0022.
        assert!((ones - 0.25).abs() < 0.011, "{ones}");
    }
}

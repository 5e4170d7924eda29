//! The exact second moments of a shifted score-function estimator, as a quadratic in the shift.
//!
//! Every estimator here has the form `Y_c(x) = −a(x)·(w(x) + c)·s(x)` with `x` drawn from some
//! distribution, `s(x) = e_x − pθ` and `a(x)` an importance weight (1 on-policy). With
//! `r(x) = P(x)·a(x)²·‖s(x)‖²` its second moment is `E‖Y_c‖² = Σ r·(w + c)²` and its mean is
//! linear in `c`, `m(c) = m₀ + c·d`. So the trace of its covariance,
//! `V(c) = E‖Y_c‖² − ‖m(c)‖²`, is a quadratic in `c`: a handful of O(K) sums give it for
//! every shift at once. The sums are compensated and taken about the weighted mean of `w`
//! (`Σ r (w − w̄)²`), which keeps `V(c*)` accurate when it is small.

use super::sum::{Sum, sum};

/// `V(c) = minimum + curvature·(c − optimal)²`, the trace of an estimator's covariance.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Trace {
    /// `V(c*)`, the smallest trace.
    pub minimum: f64,
    /// The coefficient of `c²`.
    pub curvature: f64,
    /// `c*`, the minimising shift; `None` when the trace does not depend on `c`.
    pub optimal: Option<f64>,
}

impl Trace {
    /// `V(c)`.
    pub fn at(&self, c: f64) -> f64 {
        match self.optimal {
            Some(o) => self.minimum + self.curvature * (c - o) * (c - o),
            None => self.minimum,
        }
    }

    /// The trace from its parts: the second-moment weights `r`, the weights `w` (read only where
    /// `r > 0`), and the mean `m₀ + c·d` (`d = None` when the mean does not depend on `c`).
    pub fn new(r: &[f64], w: &[f64], m0: &[f64], d: Option<&[f64]>) -> Trace {
        let used = || r.iter().zip(w).filter(|(r, _)| **r > 0.0);
        let total = sum(used().map(|(r, _)| *r));
        let mean_w = if total > 0.0 {
            sum(used().map(|(r, w)| r * w)) / total
        } else {
            0.0
        };
        let spread = sum(used().map(|(r, w)| r * (w - mean_w) * (w - mean_w)));
        let m0_sq = norm_squared(m0);
        // Rounding can leave an exactly zero trace a few ulps below zero: within the size of
        // the terms that is zero.
        let clean = |v: f64, scale: f64| {
            if v < 0.0 && v >= -1e-12 * scale {
                0.0
            } else {
                v
            }
        };
        let d_sq = d.map_or(0.0, norm_squared);
        match d {
            Some(d) if d_sq > 0.0 => {
                let m0_d = sum(m0.iter().zip(d).map(|(a, b)| a * b));
                let curvature = total - d_sq;
                let linear = total * mean_w - m0_d;
                let constant = spread + total * mean_w * mean_w - m0_sq;
                let scale = spread + total * mean_w * mean_w + m0_sq;
                // The curvature `Σr − ‖d‖²` is the trace of a covariance, computed as a
                // difference: below 1e-10 of its terms it is rounding, and V is flat in c.
                if curvature > 1e-10 * total {
                    Trace {
                        minimum: clean(constant - linear * linear / curvature, scale),
                        curvature,
                        optimal: Some(-linear / curvature),
                    }
                } else {
                    Trace {
                        minimum: clean(constant, scale),
                        curvature: 0.0,
                        optimal: None,
                    }
                }
            }
            _ => Trace {
                minimum: clean(spread - m0_sq, spread + total * mean_w * mean_w + m0_sq),
                curvature: total,
                optimal: (total > 0.0).then_some(-mean_w),
            },
        }
    }
}

/// `‖v‖²`, compensated.
pub fn norm_squared(v: &[f64]) -> f64 {
    sum(v.iter().map(|x| x * x))
}

/// `−E_P[w·s] = −Σ_x P(x) w(x) (e_x − pθ)`, component `j`: `−(P(j) w(j) − pθ(j)·Σ P w)`;
/// outcomes with `P(x) = 0` are skipped (their `w` may be infinite).
pub fn minus_mean_of_weighted_score(prob: &[f64], w: &[f64], p: &[f64]) -> Vec<f64> {
    let mut total = Sum::default();
    for (q, w) in prob.iter().zip(w) {
        if *q > 0.0 {
            total.add(q * w);
        }
    }
    let total = total.value();
    prob.iter()
        .zip(w)
        .zip(p)
        .map(|((q, w), p)| {
            let own = if *q > 0.0 { q * w } else { 0.0 };
            -(own - p * total)
        })
        .collect()
}

/// `Σ_{x∈A} pθ(x)·w(x)·s(x)` for a set `A` of outcomes, component `j`:
/// `pθ(j)w(j)[j∈A] − pθ(j)·Σ_A pθ w`. The sum `Σ_A pθ w` is taken about the weight `w_r` of
/// the likeliest outcome `r` of `A`, `w_r·P(A) + Σ_A pθ(w − w_r)`, and `1 − P(A)` is the mass
/// outside `A` summed directly: so the components keep their relative accuracy when `A` holds
/// almost all the mass (a model close to a point mass), where the plain form cancels.
pub fn weighted_score_sum(p: &[f64], w: &[f64], in_set: &[bool]) -> Vec<f64> {
    let k = p.len();
    let reference = (0..k)
        .filter(|&x| in_set[x])
        .fold(None, |best: Option<usize>, x| match best {
            Some(b) if p[b] >= p[x] => Some(b),
            _ => Some(x),
        });
    let Some(r) = reference else {
        return vec![0.0; k];
    };
    let w_r = w[r];
    let mut inside = Sum::default();
    let mut outside = Sum::default();
    let mut delta = Sum::default();
    for x in 0..k {
        if in_set[x] {
            inside.add(p[x]);
            if p[x] > 0.0 {
                delta.add(p[x] * (w[x] - w_r));
            }
        } else {
            outside.add(p[x]);
        }
    }
    let (inside, outside, delta) = (inside.value(), outside.value(), delta.value());
    (0..k)
        .map(|j| {
            if p[j] == 0.0 {
                0.0
            } else if in_set[j] {
                p[j] * ((w[j] - w_r) + w_r * outside - delta)
            } else {
                -p[j] * (w_r * inside + delta)
            }
        })
        .collect()
}

/// The on-policy exact quantities: the gradient `∇θ D_f = −E_pθ[w·s]` and the trace of
/// `−(w + c)·s`, `x ∼ pθ`.
pub fn on_policy(model: &super::Model, w: &[f64]) -> (Vec<f64>, Trace) {
    let all = vec![true; model.outcomes()];
    let gradient: Vec<f64> = weighted_score_sum(&model.p, w, &all)
        .into_iter()
        .map(|x| -x)
        .collect();
    let r: Vec<f64> = (0..model.outcomes())
        .map(|x| model.p[x] * model.score_norm_squared(x))
        .collect();
    let trace = Trace::new(&r, w, &gradient, None);
    (gradient, trace)
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::variance::Model;

    #[track_caller]
    fn close(got: f64, want: f64) {
        assert!(
            (got - want).abs() <= 1e-14 * want.abs().max(1.0),
            "{got} ≠ {want}"
        );
    }

    /// Two outcomes, `pθ = (1/2, 1/2)`, `w = (1, −1)`: by hand `s(0) = (1/2, −1/2)`,
    /// `‖s‖² = 1/2`, `∇ = −E[w s] = (−1/2, 1/2)`, `E‖(w+c)s‖² = ((1+c)² + (c−1)²)/4`,
    /// so `V(c) = (c² + 1)/2 − 1/2 = c²/2`, `c* = 0`, `V(c*) = 0`.
    #[test]
    fn two_outcomes_by_hand() {
        let m = Model::new(vec![0.0, 0.0], vec![1.0, 1.0]).unwrap();
        let (g, v) = on_policy(&m, &[1.0, -1.0]);
        close(g[0], -0.5);
        close(g[1], 0.5);
        close(v.optimal.unwrap(), 0.0);
        close(v.minimum, 0.0);
        close(v.at(1.0), 0.5);
        close(v.at(-2.0), 2.0);
    }

    /// Three outcomes, `pθ = (1/2, 1/4, 1/4)` (logits `log 2, 0, 0`), `w = (0, 1, 2)`:
    /// `Σp² = 3/8`, `‖s‖² = (3/8, 7/8, 7/8)`, `E[w] = 3/4`, `∇ = (3/8, −1/16, −5/16)`,
    /// `‖∇‖² = 31/128`; `E[‖s‖²] = 5/8`, `E[w‖s‖²] = 21/32`, `E[w²‖s‖²] = 35/32`, so
    /// `c* = −21/20` and `V(c) = 35/32 + 2c·21/32 + 5c²/8 − 31/128`.
    #[test]
    fn three_outcomes_by_hand() {
        let m = Model::new(vec![2f64.ln(), 0.0, 0.0], vec![1.0, 1.0, 1.0]).unwrap();
        let (g, v) = on_policy(&m, &[0.0, 1.0, 2.0]);
        close(g[0], 3.0 / 8.0);
        close(g[1], -1.0 / 16.0);
        close(g[2], -5.0 / 16.0);
        close(norm_squared(&g), 31.0 / 128.0);
        let exact = |c: f64| 35.0 / 32.0 + 2.0 * c * 21.0 / 32.0 + 5.0 * c * c / 8.0 - 31.0 / 128.0;
        close(v.optimal.unwrap(), -21.0 / 20.0);
        for c in [-3.0, -21.0 / 20.0, 0.0, 0.5, 2.0] {
            close(v.at(c), exact(c));
        }
    }

    /// Near a point mass (`pθ(0) = 1 − 4.2e−18`) the gradient keeps its digits:
    /// `∇₀ = −p₀(w₀ − w̄) = −p₀p₁(w₀ − w₁)`, where `1 − p₀` rounds to 0 in the plain form.
    #[test]
    fn near_a_point_mass() {
        let m = Model::new(vec![40.0, 0.0], vec![1.0, 1.0]).unwrap();
        let (g, v) = on_policy(&m, &[1.0, 3.0]);
        let p1 = m.p[1];
        close(g[0] / (2.0 * p1), 1.0);
        close(g[1] / (-2.0 * p1), 1.0);
        // Two outcomes: the estimator lies on e₀ − e₁, V(c) = Σ p (w+c)² ‖s‖² − ‖∇‖², c* = −E[w‖s‖²]/E‖s‖².
        let n = [m.score_norm_squared(0), m.score_norm_squared(1)];
        let c_star = -(m.p[0] * n[0] * 1.0 + p1 * n[1] * 3.0) / (m.p[0] * n[0] + p1 * n[1]);
        close(v.optimal.unwrap(), c_star);
        assert!(v.minimum >= 0.0);
    }

    /// A constant weight has no gradient; the shift `c = −w` removes all noise.
    #[test]
    fn constant_weight() {
        let m = Model::new(vec![0.3, -1.0, 2.0], vec![1.0, 2.0, 3.0]).unwrap();
        let (g, v) = on_policy(&m, &[2.0, 2.0, 2.0]);
        assert!(norm_squared(&g) < 1e-30);
        close(v.optimal.unwrap(), -2.0);
        assert_eq!(v.minimum, 0.0);
    }
}

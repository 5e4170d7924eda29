//! Sampling from another distribution than `pθ`: a behaviour distribution `μ` with importance
//! weights `ρ = pθ/μ` (off-policy), and the target-sampling regime `x ∼ q` without weights.
//!
//! Off-policy the estimator is `−ρ(x)(w(x) + c)·s(x)`, `x ∼ μ`. Where `μ` covers `pθ` it is
//! unbiased for every `c`; on the outcomes `M` where `μ(x) = 0 < pθ(x)` (a support mismatch)
//! its mean misses `−Σ_M pθ(w + c)s`, so the bias is `b(c) = Σ_{x∈M} pθ(x)(w(x) + c)s(x)` and
//! depends on the shift. Sampling from `q` without weights estimates `−E_q[(w + c)s]`: the
//! gradient of `D_{f₃}(q‖pθ)` with `f₃(u) = u·g(ln u)` (Hu et al. 2025, Thm B.1) at `c = 0`, and
//! `E_q[s] = q − pθ ≠ 0`, so there the shift moves the mean too.

use super::exact::{Trace, minus_mean_of_weighted_score, norm_squared, weighted_score_sum};
use super::sum::{Sum, sum};
use super::{BiasedRow, Mixture, MixturePoint, Model, OffPolicy, SupportMismatch, TargetSampling};
use crate::Error;

/// How far the entries of an explicit behaviour distribution may sum from 1.
pub const SUM_TOLERANCE: f64 = 1e-6;

/// The behaviour distribution `μ` the samples come from.
#[derive(Clone, Debug, PartialEq)]
pub enum Behaviour {
    /// `μ(x) = 1/K`.
    Uniform,
    /// `μ ∝ pθ^(1/T)`, i.e. `softmax(θ/T)`, for a temperature `T > 0`.
    Tempered(f64),
    /// `μ = (1 − λ)·pθ + λ/K`, `λ ∈ [0, 1]`.
    MixUniform(f64),
    /// `μ = (1 − λ)·pθ + λ·q`, `λ ∈ [0, 1]`; `λ = 1` samples the target.
    MixTarget(f64),
    /// Given probabilities, one per outcome.
    Explicit(Vec<f64>),
}

impl std::str::FromStr for Behaviour {
    type Err = String;

    /// `uniform`, `tempered:T`, `mix-uniform:λ`, `mix-target:λ` or `target` (the same as
    /// `mix-target:1`); explicit probabilities are read with [`super::parse_numbers`].
    fn from_str(s: &str) -> Result<Behaviour, String> {
        let (name, arg) = match s.split_once(':') {
            Some((n, a)) => (n, Some(a)),
            None => (s, None),
        };
        let number = |a: &str| a.trim().parse::<f64>().ok().filter(|x| x.is_finite());
        let weight = |a: &str| match number(a) {
            Some(l) if (0.0..=1.0).contains(&l) => Ok(l),
            _ => Err(format!(
                "the mixture weight must be a number in [0, 1], not `{a}`"
            )),
        };
        match (name, arg) {
            ("uniform", None) => Ok(Behaviour::Uniform),
            ("target", None) => Ok(Behaviour::MixTarget(1.0)),
            ("tempered", Some(a)) => match number(a) {
                Some(t) if t > 0.0 => Ok(Behaviour::Tempered(t)),
                _ => Err(format!(
                    "the temperature must be a positive number, not `{a}`"
                )),
            },
            ("mix-uniform", Some(a)) => weight(a).map(Behaviour::MixUniform),
            ("mix-target", Some(a)) => weight(a).map(Behaviour::MixTarget),
            _ => Err(format!(
                "`{s}` is not a behaviour distribution\n  = help: give `uniform`, `tempered:T`, `mix-uniform:λ`, `mix-target:λ`, `target`, probabilities `μ1,…,μK` or `@FILE`"
            )),
        }
    }
}

impl std::fmt::Display for Behaviour {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Behaviour::Uniform => write!(f, "uniform"),
            Behaviour::Tempered(t) => write!(f, "tempered:{t}"),
            Behaviour::MixUniform(l) => write!(f, "mix-uniform:{l}"),
            Behaviour::MixTarget(l) if *l == 1.0 => write!(f, "target"),
            Behaviour::MixTarget(l) => write!(f, "mix-target:{l}"),
            Behaviour::Explicit(_) => write!(f, "explicit"),
        }
    }
}

impl Behaviour {
    /// `μ` on the model's outcomes. Explicit probabilities must be finite, non-negative, one per
    /// outcome and sum to 1 within [`SUM_TOLERANCE`] (they are then divided by their sum).
    pub fn distribution(&self, model: &Model) -> Result<Vec<f64>, Error> {
        let k = model.outcomes();
        let mix = |l: f64, other: &dyn Fn(usize) -> f64| -> Vec<f64> {
            (0..k)
                .map(|x| (1.0 - l) * model.p[x] + l * other(x))
                .collect()
        };
        Ok(match self {
            Behaviour::Uniform => vec![1.0 / k as f64; k],
            Behaviour::Tempered(t) => {
                Model::new(model.logits.iter().map(|x| x / t).collect(), vec![1.0; k])?.p
            }
            Behaviour::MixUniform(l) => mix(*l, &|_| 1.0 / k as f64),
            Behaviour::MixTarget(l) => mix(*l, &|x| model.target[x]),
            Behaviour::Explicit(mu) => {
                if mu.len() != k {
                    return Err(Error::Input(format!(
                        "the behaviour distribution has {} probabilities but the model has {k} outcomes\n  = help: give one probability per outcome",
                        mu.len()
                    )));
                }
                if let Some(i) = mu.iter().position(|m| !m.is_finite() || *m < 0.0) {
                    return Err(Error::Input(format!(
                        "behaviour probability {i} is {}: a probability must be a finite number ≥ 0",
                        mu[i]
                    )));
                }
                let total = sum(mu.iter().copied());
                if (total - 1.0).abs() > SUM_TOLERANCE {
                    return Err(Error::Input(format!(
                        "the behaviour probabilities sum to {total}, not 1 (within {SUM_TOLERANCE:e})\n  = help: a behaviour distribution must be normalised"
                    )));
                }
                mu.iter().map(|m| m / total).collect()
            }
        })
    }
}

/// `b₀ + c·d` summarised: `‖b₀ + c·d‖` at a shift, from `‖b₀‖²`, `⟨b₀, d⟩` and `‖d‖²`.
struct BiasLine {
    b0_sq: f64,
    b0_d: f64,
    d_sq: f64,
}

impl BiasLine {
    fn new(b0: &[f64], d: &[f64]) -> BiasLine {
        BiasLine {
            b0_sq: norm_squared(b0),
            b0_d: sum(b0.iter().zip(d).map(|(a, b)| a * b)),
            d_sq: norm_squared(d),
        }
    }

    fn norm(&self, c: f64) -> f64 {
        (self.b0_sq + 2.0 * c * self.b0_d + c * c * self.d_sq)
            .max(0.0)
            .sqrt()
    }
}

fn rows(trace: &Trace, bias: &BiasLine, shifts: &[f64]) -> Vec<BiasedRow> {
    shifts
        .iter()
        .map(|&c| BiasedRow {
            shift: c,
            trace: trace.at(c),
            bias_norm: bias.norm(c),
        })
        .collect()
}

/// The importance-weighted estimator under `μ`, and its trace.
pub fn off_policy(
    model: &Model,
    w: &[f64],
    gradient: &[f64],
    mu: &[f64],
    behaviour: &Behaviour,
    shifts: &[f64],
) -> (OffPolicy, Trace) {
    let k = model.outcomes();
    let p = &model.p;
    let missed: Vec<usize> = (0..k).filter(|&x| mu[x] == 0.0 && p[x] > 0.0).collect();
    let mut in_missed = vec![false; k];
    missed.iter().for_each(|&x| in_missed[x] = true);
    // The mean misses −Σ_M pθ (w + c) s: b(c) = b₀ + c·d with b₀ = Σ_M pθ w s and
    // d = Σ_M pθ s.
    let b0 = weighted_score_sum(p, w, &in_missed);
    let d = weighted_score_sum(p, &vec![1.0; k], &in_missed);
    let mass = sum(missed.iter().map(|&x| p[x]));
    let covered = sum((0..k).filter(|&x| mu[x] > 0.0).map(|x| p[x]));
    let m0: Vec<f64> = gradient.iter().zip(&b0).map(|(g, b)| g + b).collect();
    let mut rho_sq = Sum::default();
    let mut max_weight: f64 = 0.0;
    let r: Vec<f64> = (0..k)
        .map(|x| {
            if mu[x] > 0.0 {
                let rho = p[x] / mu[x];
                rho_sq.add(p[x] * rho);
                max_weight = max_weight.max(rho);
                p[x] * rho * model.score_norm_squared(x)
            } else {
                0.0
            }
        })
        .collect();
    let trace = Trace::new(&r, w, &m0, (!missed.is_empty()).then_some(&d[..]));
    let bias = BiasLine::new(&b0, &d);
    let optimal = trace.optimal;
    let report = OffPolicy {
        behaviour: behaviour.to_string(),
        bias_norm: bias.norm(0.0),
        bias: b0,
        optimal_shift: optimal,
        variance_at_zero: trace.at(0.0),
        variance_at_optimal: trace.minimum,
        bias_norm_at_optimal: optimal.map_or(bias.norm(0.0), |c| bias.norm(c)),
        variance: rows(&trace, &bias, shifts),
        max_weight,
        ess_fraction: covered * covered / rho_sq.value(),
        support_mismatch: (!missed.is_empty()).then_some(SupportMismatch {
            outcomes: missed,
            mass,
        }),
    };
    (report, trace)
}

/// The mixture weights of a sweep: `0, 0.02, …, 1`.
pub const MIXTURE_POINTS: usize = 51;

/// The off-policy estimator for `μ_λ = (1 − λ)·pθ + λ·μ₁` at [`MIXTURE_POINTS`] weights, with
/// `μ₁` uniform (no behaviour, `uniform`, `mix-uniform`), the target (`mix-target`, `target`)
/// or the behaviour given (`tempered`, explicit).
pub fn mixture(
    model: &Model,
    w: &[f64],
    gradient: &[f64],
    behaviour: Option<&Behaviour>,
) -> Result<Mixture, Error> {
    let base = match behaviour {
        None | Some(Behaviour::Uniform) | Some(Behaviour::MixUniform(_)) => Behaviour::Uniform,
        Some(Behaviour::MixTarget(_)) => Behaviour::MixTarget(1.0),
        Some(other) => other.clone(),
    };
    let mu1 = base.distribution(model)?;
    let name = match &base {
        Behaviour::MixTarget(_) => "target".to_string(),
        other => other.to_string(),
    };
    let points = (0..MIXTURE_POINTS)
        .map(|i| {
            let l = i as f64 / (MIXTURE_POINTS - 1) as f64;
            let mu: Vec<f64> = model
                .p
                .iter()
                .zip(&mu1)
                .map(|(p, m)| (1.0 - l) * p + l * m)
                .collect();
            let (o, _) = off_policy(model, w, gradient, &mu, &base, &[]);
            MixturePoint {
                weight: l,
                ess_fraction: o.ess_fraction,
                max_weight: o.max_weight,
                bias_norm: o.bias_norm,
            }
        })
        .collect();
    Ok(Mixture { base: name, points })
}

/// The unweighted estimator with `x ∼ q` (the target-sampling regime).
pub fn target_sampling(
    model: &Model,
    w: &[f64],
    gradient: &[f64],
    shifts: &[f64],
) -> TargetSampling {
    let q = &model.target;
    let p = &model.p;
    let m0 = minus_mean_of_weighted_score(q, w, p);
    let d: Vec<f64> = p.iter().zip(q).map(|(p, q)| p - q).collect();
    let r: Vec<f64> = (0..model.outcomes())
        .map(|x| q[x] * model.score_norm_squared(x))
        .collect();
    let trace = Trace::new(&r, w, &m0, Some(&d));
    let b0: Vec<f64> = m0.iter().zip(gradient).map(|(m, g)| m - g).collect();
    let bias = BiasLine::new(&b0, &d);
    TargetSampling {
        gradient_norm: norm_squared(&m0).sqrt(),
        bias_norm: bias.norm(0.0),
        optimal_shift: trace.optimal,
        variance_at_zero: trace.at(0.0),
        variance_at_optimal: trace.minimum,
        variance: rows(&trace, &bias, shifts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn close(got: f64, want: f64) {
        assert!(
            (got - want).abs() <= 1e-14 * want.abs().max(1.0),
            "{got} ≠ {want}"
        );
    }

    fn model() -> Model {
        Model::new(vec![0.0, 0.0], vec![1.0, 1.0]).unwrap()
    }

    /// Two outcomes, `pθ = (1/2, 1/2)`, `w = (1, −1)`, `μ = (1/4, 3/4)`: `ρ = (2, 2/3)`,
    /// `E_μ ρ² = 1/4·4 + 3/4·4/9 = 4/3`, ESS `= 3/4`; `‖s‖² = ½`, so
    /// `E_μ‖ρ(w+c)s‖² = Σ pθ ρ ‖s‖² (w+c)² = ½(1+c)² + ⅙(c−1)² = ⅔c² + ⅔c + ⅔`, minus
    /// `‖∇‖² = ½`: `V(c) = ⅔c² + ⅔c + ⅙`, `c* = −½`, `V(c*) = 0`.
    #[test]
    fn two_outcomes_by_hand() {
        let m = model();
        let w = [1.0, -1.0];
        let b = Behaviour::Explicit(vec![0.25, 0.75]);
        let mu = b.distribution(&m).unwrap();
        let (o, _) = off_policy(&m, &w, &[-0.5, 0.5], &mu, &b, &[0.0, 1.0]);
        close(o.max_weight, 2.0);
        close(o.ess_fraction, 0.75);
        assert_eq!(o.bias_norm, 0.0);
        assert!(o.support_mismatch.is_none());
        close(o.optimal_shift.unwrap(), -0.5);
        close(o.variance_at_optimal, 0.0);
        close(o.variance[0].trace, 2.0 / 3.0 - 0.5);
        close(o.variance[1].trace, 2.0 - 0.5);
    }

    /// `μ = (1, 0)` misses outcome 1 (mass ½): the mean is `−½(1 + c)s(0)`, so with
    /// `s(0) = (½, −½)` the bias is `b(c) = ½(−1 + c)(−½, ½)`, `‖b(0)‖ = √2/4`; the estimator is
    /// deterministic, so its trace is 0 for every `c`, and its weight is constant, so Kish's
    /// ESS is 1: the ESS cannot see a mismatch, which is why it is named on its own.
    #[test]
    fn support_mismatch_by_hand() {
        let m = model();
        let b = Behaviour::Explicit(vec![1.0, 0.0]);
        let mu = b.distribution(&m).unwrap();
        let (o, _) = off_policy(&m, &[1.0, -1.0], &[-0.5, 0.5], &mu, &b, &[0.0, 1.0]);
        let s = o.support_mismatch.as_ref().unwrap();
        assert_eq!(s.outcomes, vec![1]);
        close(s.mass, 0.5);
        close(o.bias[0], 0.25);
        close(o.bias[1], -0.25);
        close(o.bias_norm, 2f64.sqrt() / 4.0);
        close(o.variance[1].bias_norm, 0.0);
        assert_eq!(o.optimal_shift, None);
        close(o.variance_at_zero, 0.0);
        close(o.ess_fraction, 1.0);
    }

    #[test]
    fn behaviours_are_distributions() {
        let m = Model::new(vec![1.0, 0.0, -1.0], vec![0.0, 1.0, 1.0]).unwrap();
        for b in [
            "uniform",
            "tempered:2",
            "mix-uniform:0.3",
            "mix-target:0.5",
            "target",
        ] {
            let mu = b.parse::<Behaviour>().unwrap().distribution(&m).unwrap();
            close(sum(mu.iter().copied()), 1.0);
        }
        let mu = Behaviour::MixTarget(1.0).distribution(&m).unwrap();
        assert_eq!(mu[0], 0.0);
        for bad in [
            "mix-target:1.5",
            "tempered:0",
            "tempered",
            "normal",
            "mix-uniform:-0.1",
        ] {
            assert!(bad.parse::<Behaviour>().is_err(), "{bad}");
        }
    }

    #[test]
    fn explicit_behaviours_are_checked() {
        let m = model();
        let err = |mu: Vec<f64>| {
            Behaviour::Explicit(mu)
                .distribution(&m)
                .unwrap_err()
                .to_string()
        };
        assert!(err(vec![1.0]).contains("has 1 probabilities but the model has 2"));
        assert!(err(vec![1.5, -0.5]).contains("probability 1 is -0.5"));
        assert!(err(vec![0.5, 0.6]).contains("sum to 1.1"));
        // The tolerance at its edge: 1 ± 0.9e-6 is accepted, 1 + 1.1e-6 is not.
        assert!(
            Behaviour::Explicit(vec![0.5, 0.5 + 0.9e-6])
                .distribution(&m)
                .is_ok()
        );
        assert!(
            Behaviour::Explicit(vec![0.5, 0.5 - 0.9e-6])
                .distribution(&m)
                .is_ok()
        );
        assert!(err(vec![0.5, 0.5 + 1.1e-6]).contains("not 1"));
    }

    /// `x ∼ q` with `q = pθ` is the on-policy estimator.
    #[test]
    fn target_sampling_at_q_equal_p_is_on_policy() {
        let m = Model::new(vec![0.0, 0.0], vec![1.0, 1.0]).unwrap();
        let ts = target_sampling(&m, &[1.0, -1.0], &[-0.5, 0.5], &[1.0]);
        close(ts.bias_norm, 0.0);
        close(ts.optimal_shift.unwrap(), 0.0);
        close(ts.variance[0].trace, 0.5);
    }
}

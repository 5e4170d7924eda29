//! The categorical model: `pθ = softmax(θ)` over K outcomes and a target `q`, given as numbers
//! or generated from a seed, and the residual `t(x) = log q(x) − log pθ(x)` at every outcome.
//!
//! `log pθ` is computed as `θ − logsumexp(θ)`, so it is finite even where `pθ` underflows.

use super::sum::sum;
use crate::Error;

/// The fewest outcomes a model may have.
pub const MIN_OUTCOMES: usize = 2;
/// The most outcomes a model may have.
pub const MAX_OUTCOMES: usize = 1_000_000;

/// A softmax model and its target, with the derived per-outcome quantities.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// The logits `θ`.
    pub logits: Vec<f64>,
    /// The target `q`, normalised to sum to 1.
    pub target: Vec<f64>,
    /// `log pθ(x) = θ_x − logsumexp(θ)`.
    pub log_p: Vec<f64>,
    /// `pθ(x)`.
    pub p: Vec<f64>,
    /// `t(x) = log q(x) − log pθ(x)`; `−∞` where `q(x) = 0`.
    pub t: Vec<f64>,
    /// `Σ pθ²`, which enters `‖s(x)‖² = 1 − 2pθ(x) + Σ pθ²`.
    pub sum_p_squared: f64,
    /// The most likely outcome under `pθ`.
    top: usize,
    /// `Σ_{x ≠ top} pθ(x)²`, so that `‖s(x)‖²` keeps its digits when `pθ(top) ≈ 1`.
    rest_p_squared: f64,
}

impl Model {
    /// A model from logits and target weights (non-negative, normalised here by their sum).
    pub fn new(logits: Vec<f64>, target: Vec<f64>) -> Result<Model, Error> {
        let k = logits.len();
        if !(MIN_OUTCOMES..=MAX_OUTCOMES).contains(&k) {
            return Err(Error::Input(format!(
                "a model needs {MIN_OUTCOMES} to {MAX_OUTCOMES} outcomes, the logits give {k}"
            )));
        }
        if target.len() != k {
            return Err(Error::Input(format!(
                "the target has {} numbers but the logits have {k}\n  = help: give one target probability per outcome",
                target.len()
            )));
        }
        if let Some(i) = logits.iter().position(|x| !x.is_finite()) {
            return Err(Error::Input(format!(
                "logit {i} is {}, not a finite number",
                logits[i]
            )));
        }
        if let Some(i) = target.iter().position(|x| !x.is_finite() || *x < 0.0) {
            return Err(Error::Input(format!(
                "target entry {i} is {}: a target probability must be a finite number ≥ 0",
                target[i]
            )));
        }
        let total = sum(target.iter().copied());
        if total <= 0.0 || !total.is_finite() {
            return Err(Error::Input(
                "the target has no mass: its entries sum to 0\n  = help: give at least one positive target probability".into(),
            ));
        }
        let target: Vec<f64> = target.iter().map(|q| q / total).collect();
        // log Σ e^θ = θ_top + log1p(Σ_{x≠top} e^(θ_x − θ_top)): the log1p keeps log pθ(top)
        // accurate when the other outcomes are tiny.
        let top = (0..k).fold(0, |best, x| if logits[x] > logits[best] { x } else { best });
        let max = logits[top];
        let others = sum((0..k)
            .filter(|&x| x != top)
            .map(|x| (logits[x] - max).exp()));
        let log_norm = others.ln_1p();
        let log_p: Vec<f64> = logits.iter().map(|x| (x - max) - log_norm).collect();
        let p: Vec<f64> = log_p.iter().map(|l| l.exp()).collect();
        let t = target
            .iter()
            .zip(&log_p)
            .map(|(q, lp)| {
                if *q == 0.0 {
                    f64::NEG_INFINITY
                } else {
                    q.ln() - lp
                }
            })
            .collect();
        let sum_p_squared = sum(p.iter().map(|p| p * p));
        let rest_p_squared = sum((0..k).filter(|&x| x != top).map(|x| p[x] * p[x]));
        Ok(Model {
            logits,
            target,
            log_p,
            p,
            t,
            sum_p_squared,
            top,
            rest_p_squared,
        })
    }

    /// A model generated from a seed (see [`Generated`]).
    pub fn generate(spec: &Generated) -> Result<Model, Error> {
        let k = spec.outcomes;
        if !(MIN_OUTCOMES..=MAX_OUTCOMES).contains(&k) {
            return Err(Error::Input(format!(
                "a model needs {MIN_OUTCOMES} to {MAX_OUTCOMES} outcomes, not {k}"
            )));
        }
        if !(spec.temperature.is_finite() && spec.temperature > 0.0) {
            return Err(Error::Input(format!(
                "the model temperature must be a positive number, not {}",
                spec.temperature
            )));
        }
        let mut rng = Rng::new(spec.seed);
        let logits: Vec<f64> = (0..k).map(|_| rng.normal() / spec.temperature).collect();
        let target = spec.shape.weights(k, &mut rng)?;
        Model::new(logits, target)
    }

    /// The number of outcomes K.
    pub fn outcomes(&self) -> usize {
        self.p.len()
    }

    /// `‖s(x)‖² = ‖e_x − pθ‖² = 1 − 2pθ(x) + Σ pθ²`, computed as
    /// `(1 − pθ(x))² + Σ_{j≠x} pθ(j)²` with `1 − pθ(x) = −expm1(log pθ(x))`, which keeps its
    /// relative accuracy when `pθ(x)` is close to 1 (the plain form would cancel to nothing).
    pub fn score_norm_squared(&self, x: usize) -> f64 {
        let miss = -self.log_p[x].exp_m1();
        let others = if x == self.top {
            self.rest_p_squared
        } else {
            let top = self.p[self.top];
            top * top + (self.rest_p_squared - self.p[x] * self.p[x]).max(0.0)
        };
        miss * miss + others
    }
}

/// How to generate a model: logits `θ_x = z_x / temperature` with `z_x` standard normal, and a
/// target of the given shape, all from one seed.
#[derive(Clone, Debug, PartialEq)]
pub struct Generated {
    /// K.
    pub outcomes: usize,
    /// The seed of the generator.
    pub seed: u64,
    /// The target's shape.
    pub shape: TargetShape,
    /// The model temperature: larger is flatter.
    pub temperature: f64,
}

/// The shape of a generated target.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TargetShape {
    /// `q(x) = 1/K`.
    Uniform,
    /// `q(x) ∝ (x + 1)^−s` (Zipf's law with exponent `s > 0`).
    Zipf(f64),
    /// A peaked mixture: 9/10 of the mass spread evenly on `m` outcomes chosen at random, 1/10
    /// on all K.
    Peaked(usize),
}

impl std::str::FromStr for TargetShape {
    type Err = String;

    /// `uniform`, `zipf`, `zipf:S`, `peaked` or `peaked:M` (defaults `S = 1`, `M = 3`).
    fn from_str(s: &str) -> Result<TargetShape, String> {
        let (name, arg) = match s.split_once(':') {
            Some((n, a)) => (n, Some(a)),
            None => (s, None),
        };
        let bad = || format!("`{s}` is not `uniform`, `zipf[:S]` or `peaked[:M]`");
        match (name, arg) {
            ("uniform", None) => Ok(TargetShape::Uniform),
            ("zipf", None) => Ok(TargetShape::Zipf(1.0)),
            ("zipf", Some(a)) => match a.parse::<f64>() {
                Ok(x) if x.is_finite() && x > 0.0 => Ok(TargetShape::Zipf(x)),
                _ => Err(format!(
                    "the Zipf exponent must be a positive number, not `{a}`"
                )),
            },
            ("peaked", None) => Ok(TargetShape::Peaked(3)),
            ("peaked", Some(a)) => match a.parse::<usize>() {
                Ok(m) if m >= 1 => Ok(TargetShape::Peaked(m)),
                _ => Err(format!(
                    "the number of peaks must be a whole number ≥ 1, not `{a}`"
                )),
            },
            _ => Err(bad()),
        }
    }
}

impl std::fmt::Display for TargetShape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TargetShape::Uniform => write!(f, "uniform"),
            TargetShape::Zipf(s) => write!(f, "zipf:{s}"),
            TargetShape::Peaked(m) => write!(f, "peaked:{m}"),
        }
    }
}

impl TargetShape {
    /// Unnormalised target weights for K outcomes.
    fn weights(self, k: usize, rng: &mut Rng) -> Result<Vec<f64>, Error> {
        Ok(match self {
            TargetShape::Uniform => vec![1.0; k],
            TargetShape::Zipf(s) => (0..k).map(|x| ((x + 1) as f64).powf(-s)).collect(),
            TargetShape::Peaked(m) => {
                if m > k {
                    return Err(Error::Input(format!(
                        "a target with {m} peaks needs at least {m} outcomes, not {k}"
                    )));
                }
                let mut w = vec![0.1 / k as f64; k];
                // A partial Fisher–Yates shuffle picks m distinct outcomes.
                let mut order: Vec<usize> = (0..k).collect();
                for i in 0..m {
                    let j = i + rng.below(k - i);
                    order.swap(i, j);
                    w[order[i]] += 0.9 / m as f64;
                }
                w
            }
        })
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014): a small, fast generator whose stream is fixed by
/// its seed on every platform, so generated models and Monte Carlo runs are reproducible.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform on `[0, 1)`, with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform on `{0, …, n − 1}` (`n ≥ 1`).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.uniform() * n as f64) as usize).min(n - 1)
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u = 1.0 - self.uniform();
        let v = self.uniform();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// Numbers separated by commas or whitespace (`1, 2.5 -3e-2`), each finite; `what` names the
/// list in errors.
pub fn parse_numbers(text: &str, what: &str) -> Result<Vec<f64>, Error> {
    let mut out = Vec::new();
    for (i, token) in text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .enumerate()
    {
        match token.parse::<f64>() {
            Ok(x) if x.is_finite() => out.push(x),
            _ => {
                let shown: String = if token.chars().count() > 24 {
                    token.chars().take(20).chain("…".chars()).collect()
                } else {
                    token.to_string()
                };
                return Err(Error::Input(format!(
                    "{what}: `{shown}` (number {}) is not a finite number",
                    i + 1
                )));
            }
        }
    }
    if out.is_empty() {
        return Err(Error::Input(format!("{what}: no numbers given")));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn softmax_and_residuals() {
        let m = Model::new(vec![0.0, 0.0], vec![1.0, 3.0]).unwrap();
        assert_eq!(m.p, vec![0.5, 0.5]);
        assert_eq!(m.target, vec![0.25, 0.75]);
        assert!((m.t[0] - (0.5f64).ln()).abs() < 1e-15);
        assert!((m.score_norm_squared(0) - 0.5).abs() < 1e-15);
        // Huge logits do not overflow; a zero target gives t = −∞.
        let m = Model::new(vec![1000.0, 0.0], vec![1.0, 0.0]).unwrap();
        assert_eq!(m.p[0], 1.0);
        assert_eq!(m.log_p[1], -1000.0);
        assert_eq!(m.t[1], f64::NEG_INFINITY);
        // At logits (40, 0), ‖s(0)‖² = (1 − p₀)² + p₁² ≈ 2e^−80 to full relative accuracy,
        // where 1 − 2p₀ + Σp² would give 0.
        let m = Model::new(vec![40.0, 0.0], vec![1.0, 1.0]).unwrap();
        let p1 = (-40f64).exp() / (1.0 + (-40f64).exp());
        let want = 2.0 * p1 * p1;
        assert!((m.score_norm_squared(0) - want).abs() < 1e-14 * want);
        assert!((m.score_norm_squared(1) - 2.0 * (1.0 - p1) * (1.0 - p1)).abs() < 1e-15);
        let m = Model::new(vec![0.0, 1.0, 2.0], vec![1.0, 1.0, 1.0]).unwrap();
        for x in 0..3 {
            let plain = 1.0 - 2.0 * m.p[x] + m.sum_p_squared;
            assert!((m.score_norm_squared(x) - plain).abs() < 1e-15);
        }
    }

    #[test]
    fn bad_models_are_errors() {
        let err = |l: Vec<f64>, q: Vec<f64>| Model::new(l, q).unwrap_err().to_string();
        assert!(err(vec![0.0], vec![1.0]).contains("2 to 1000000 outcomes"));
        assert!(err(vec![0.0, 1.0], vec![1.0]).contains("target has 1 numbers"));
        assert!(err(vec![0.0, f64::NAN], vec![1.0, 1.0]).contains("logit 1"));
        assert!(err(vec![0.0, 1.0], vec![1.0, -0.5]).contains("target entry 1 is -0.5"));
        assert!(err(vec![0.0, 1.0], vec![0.0, 0.0]).contains("no mass"));
    }

    #[test]
    fn number_lists() {
        assert_eq!(
            parse_numbers("1, 2.5\n-3e-2 ,,4", "x").unwrap(),
            vec![1.0, 2.5, -0.03, 4.0]
        );
        assert!(
            parse_numbers("1,a", "--logits")
                .unwrap_err()
                .to_string()
                .contains("`a` (number 2)")
        );
        assert!(parse_numbers("1,inf", "x").is_err());
        assert!(parse_numbers(" , ", "x").is_err());
    }

    #[test]
    fn generated_models_are_reproducible() {
        let spec = |shape| Generated {
            outcomes: 50,
            seed: 7,
            shape,
            temperature: 1.0,
        };
        for shape in [
            TargetShape::Uniform,
            TargetShape::Zipf(1.0),
            TargetShape::Peaked(3),
        ] {
            let a = Model::generate(&spec(shape)).unwrap();
            assert_eq!(a, Model::generate(&spec(shape)).unwrap());
            assert!((sum(a.target.iter().copied()) - 1.0).abs() < 1e-14);
        }
        let peaked = Model::generate(&spec(TargetShape::Peaked(3))).unwrap();
        assert_eq!(peaked.target.iter().filter(|q| **q > 0.1).count(), 3);
        assert_eq!("zipf:2".parse::<TargetShape>(), Ok(TargetShape::Zipf(2.0)));
        assert!("zipf:-1".parse::<TargetShape>().is_err());
        assert!("peaked:0".parse::<TargetShape>().is_err());
        assert!("normal".parse::<TargetShape>().is_err());
    }
}

/// Shifts: a range `FROM:TO:COUNT` (COUNT evenly spaced values, ends included) or numbers
/// separated by commas or whitespace.
pub fn parse_shifts(text: &str) -> Result<Vec<f64>, Error> {
    let parts: Vec<&str> = text.split(':').collect();
    if parts.len() == 1 {
        return parse_numbers(text, "--shift");
    }
    let bad = || {
        Error::Input(format!(
            "`{text}` is not a range of shifts\n  = help: write `FROM:TO:COUNT`, e.g. `-2:2:41`, or a list `-1,0,1`"
        ))
    };
    let [from, to, count] = parts[..] else {
        return Err(bad());
    };
    let num = |s: &str| s.trim().parse::<f64>().ok().filter(|x| x.is_finite());
    let (Some(a), Some(b), Ok(n)) = (num(from), num(to), count.trim().parse::<usize>()) else {
        return Err(bad());
    };
    match n {
        0 => Err(bad()),
        1 => Ok(vec![a]),
        n if n > super::MAX_SHIFTS => Err(Error::LimitExceeded(format!(
            "{n} shifts asked for, at most {} are allowed",
            super::MAX_SHIFTS
        ))),
        n => Ok((0..n)
            .map(|i| {
                if i + 1 == n {
                    b
                } else {
                    a + (b - a) * i as f64 / (n - 1) as f64
                }
            })
            .collect()),
    }
}

#[cfg(test)]
mod shift_tests {
    use super::*;

    #[test]
    fn shifts() {
        assert_eq!(
            parse_shifts("-2:2:5").unwrap(),
            vec![-2.0, -1.0, 0.0, 1.0, 2.0]
        );
        assert_eq!(parse_shifts("0.5").unwrap(), vec![0.5]);
        assert_eq!(parse_shifts("-1, 0 1").unwrap(), vec![-1.0, 0.0, 1.0]);
        assert_eq!(parse_shifts("3:4:1").unwrap(), vec![3.0]);
        let s = parse_shifts("-2:2:41").unwrap();
        assert_eq!((s.len(), s[0], s[40]), (41, -2.0, 2.0));
        assert!((s[20]).abs() < 1e-15);
        for bad in ["1:2", "1:2:0", "a:2:3", "1:2:3:4", "1:inf:3"] {
            assert!(parse_shifts(bad).is_err(), "{bad}");
        }
        assert!(
            parse_shifts("0:1:10002")
                .unwrap_err()
                .to_string()
                .contains("at most 10001")
        );
        assert_eq!(parse_shifts("0:1:10001").unwrap().len(), 10001);
    }
}

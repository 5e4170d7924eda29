//! One piece of [`super::Pointwise`]'s fixed grid as a curve: the integrand interpolated at
//! Chebyshev–Lobatto points (adaptively split until its coefficients decay), and its
//! antiderivative as a Chebyshev series, so that the integral to any point inside the piece
//! costs a few dozen multiplications and no evaluation of the integrand.
//!
//! A piece depends only on the integrand, its two ends and the relative goal, never on the
//! points asked for, so values stay independent of each other bit for bit. A piece whose
//! interpolant does not converge within [`MAX_SAMPLES`] samples (a singularity, a non-finite
//! sample, a kink off the grid) is not built, and the caller integrates it with the checked
//! panels instead.
//!
//! The error of an interpolant `p_n` of degree `n` is taken as `2·Σ_{k>3n/4} |c_k|` in the
//! maximum norm: the size of every coefficient an interpolant of three quarters of the degree
//! would drop, a deliberately pessimistic estimate (for coefficients that decay like `ρ^−k` it
//! exceeds the true error by about `ρ^{n/4}`). The error of `∫_a^x p` is that bound times
//! `x − a`, plus the rounding of the antiderivative's evaluation, and never less than the
//! rounding floor `ROUNDOFF·∫|f|`; a part whose error misses its own goal (a short part where
//! the integral is tiny) is left to the panels by the caller.

use super::{ROUNDOFF, Sum};

/// The degrees tried on each sub-piece, smallest first.
const DEGREES: [usize; 4] = [16, 32, 64, 128];

/// The most integrand evaluations one piece may spend before it is left to the panels.
pub const MAX_SAMPLES: usize = 2048;

/// The deepest halving of a piece.
const MAX_DEPTH: u32 = 8;

/// A sub-piece `[lo, hi]`: the antiderivative of the interpolant from `lo`, in the Chebyshev
/// variable `s ∈ [−1, 1]` and already scaled by the half-width, and its error per unit length.
#[derive(Clone, Debug)]
struct Sub {
    lo: f64,
    hi: f64,
    anti: Vec<f64>,
    /// `∫_lo^hi p`, the antiderivative at `s = 1`, evaluated once.
    total: f64,
    /// A bound on `|f − p|` on the sub-piece.
    tail: f64,
    /// `∫|f|` over the sub-piece (estimated from the samples).
    l1: f64,
    /// The rounding of one evaluation of the antiderivative by Clenshaw's recurrence, taken
    /// as `4ε·Σ|b_k|` (every `|T_k| ≤ 1`).
    rounding: f64,
    /// Whether every sample has the same sign (then `∫|f| = |∫f|` on any part).
    one_sign: bool,
    evals: usize,
}

impl Sub {
    fn s(&self, x: f64) -> f64 {
        ((2.0 * x - self.lo - self.hi) / (self.hi - self.lo)).clamp(-1.0, 1.0)
    }

    /// `∫_lo^x p`.
    fn primitive(&self, x: f64) -> f64 {
        if x <= self.lo {
            return 0.0;
        }
        if x >= self.hi {
            return self.total;
        }
        clenshaw(&self.anti, self.s(x))
    }
}

/// A piece of the grid as sub-pieces in order, covering it exactly.
#[derive(Clone, Debug)]
pub(super) struct Curve {
    subs: Vec<Sub>,
    /// The whole piece, summed once.
    whole: Sum,
}

impl Curve {
    /// The interpolated `f` on `[lo, hi]` (finite, `lo < hi`) to the relative goal `rel`
    /// (of the mean `|f|` on the piece), or `None` when it does not converge cheaply.
    pub(super) fn build<F: Fn(f64) -> f64>(f: &F, lo: f64, hi: f64, rel: f64) -> Option<Curve> {
        if !(lo.is_finite() && hi.is_finite() && lo < hi) {
            return None;
        }
        let mut spent = 0;
        let mut subs = Vec::new();
        // Sub-pieces still to build, last first so that `subs` comes out in order.
        let mut todo = vec![(lo, hi, 0u32)];
        let mut scale: Option<f64> = None;
        while let Some((a, b, depth)) = todo.pop() {
            match interpolate(f, a, b, rel, &mut scale, &mut spent)? {
                Some(sub) => subs.push(sub),
                None if depth < MAX_DEPTH => {
                    let mid = 0.5 * (a + b);
                    todo.push((mid, b, depth + 1));
                    todo.push((a, mid, depth + 1));
                }
                None => return None,
            }
        }
        let mut curve = Curve {
            subs,
            whole: Sum::default(),
        };
        curve.whole = curve.sum(lo, hi);
        Some(curve)
    }

    /// The ends of the piece.
    fn ends(&self) -> (f64, f64) {
        (self.subs[0].lo, self.subs[self.subs.len() - 1].hi)
    }

    /// `∫_a^b f` for `lo ≤ a ≤ b ≤ hi` of the piece, with its error, `∫|f|` and the
    /// evaluations spent on the sub-pieces it touches.
    pub(super) fn part(&self, a: f64, b: f64) -> Sum {
        if (a, b) == self.ends() {
            return self.whole;
        }
        self.sum(a, b)
    }

    /// [`Curve::part`], summed over the sub-pieces.
    fn sum(&self, a: f64, b: f64) -> Sum {
        let mut s = Sum::default();
        for sub in &self.subs {
            if sub.hi <= a || sub.lo >= b {
                continue;
            }
            let (x0, x1) = (a.max(sub.lo), b.min(sub.hi));
            let value = sub.primitive(x1) - sub.primitive(x0);
            let whole = x0 == sub.lo && x1 == sub.hi;
            let l1 = if sub.one_sign {
                value.abs()
            } else if whole {
                sub.l1
            } else {
                // A lower bound, so that the tolerance derived from it is never too loose.
                value.abs()
            };
            s.value += value;
            let ends = if x0 == sub.lo { 1.0 } else { 2.0 };
            // As for a panel, the rounding floor `ROUNDOFF·∫|f|` bounds the estimate from below.
            s.error += (sub.tail * (x1 - x0) + ends * sub.rounding).max(ROUNDOFF * l1);
            s.l1 += l1;
            s.evals += sub.evals;
        }
        s
    }
}

/// Try the degrees of [`DEGREES`] on `[a, b]`: `Ok(Some)` when one converges, `Ok(None)` when
/// none does (split it), `None` when a sample is not finite or the budget is spent.
fn interpolate<F: Fn(f64) -> f64>(
    f: &F,
    a: f64,
    b: f64,
    rel: f64,
    scale: &mut Option<f64>,
    spent: &mut usize,
) -> Option<Option<Sub>> {
    let (mid, half) = (0.5 * (a + b), 0.5 * (b - a));
    let mut values: Vec<f64> = Vec::new();
    for (i, &n) in DEGREES.iter().enumerate() {
        // Lobatto points are nested: the values at degree n/2 are every other one at n.
        let rule = rule(i);
        let cos = &rule.cos;
        let mut next = vec![0.0; n + 1];
        for (j, v) in next.iter_mut().enumerate() {
            if j % 2 == 0 && !values.is_empty() {
                *v = values[j / 2];
                continue;
            }
            let x = mid + half * cos[j];
            let y = f(x);
            *spent += 1;
            if !y.is_finite() || *spent > MAX_SAMPLES {
                return None;
            }
            *v = y;
        }
        values = next;
        // The mean |f| on the whole piece, from its first samples, sets the goal of every sub.
        let mean = *scale.get_or_insert_with(|| {
            let total: f64 = values.iter().map(|v| v.abs()).sum();
            total / values.len() as f64
        });
        let c = coefficients(&values, cos);
        let tail = 2.0 * c[3 * n / 4 + 1..].iter().map(|x| x.abs()).sum::<f64>();
        let largest = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let floor = 8.0 * n as f64 * f64::EPSILON * largest;
        if tail <= (rel.max(ROUNDOFF) * mean).max(floor) {
            let one_sign = values.iter().all(|&v| v > 0.0) || values.iter().all(|&v| v < 0.0);
            let l1 = half
                * rule
                    .weights
                    .iter()
                    .zip(&values)
                    .map(|(w, v)| w * v.abs())
                    .sum::<f64>();
            let anti = antiderivative(&c, half);
            let rounding = 4.0 * f64::EPSILON * anti.iter().map(|b| b.abs()).sum::<f64>();
            let total = clenshaw(&anti, 1.0);
            return Some(Some(Sub {
                lo: a,
                hi: b,
                total,
                anti,
                rounding,
                tail,
                l1,
                one_sign,
                evals: values.len(),
            }));
        }
    }
    Some(None)
}

/// The Chebyshev coefficients `c_k` of the interpolant through `values` at the Lobatto points
/// `cos(π·j/n)`: `p = Σ_{k=0}^{n} c_k T_k`, with `cos` from [`cosines`].
fn coefficients(values: &[f64], cos: &[f64]) -> Vec<f64> {
    let n = values.len() - 1;
    (0..=n)
        .map(|k| {
            let mut sum = 0.0;
            // `m = j·k mod 2n`, stepped rather than divided.
            let mut m = 0;
            for (j, v) in values.iter().enumerate() {
                let w = if j == 0 || j == n { 0.5 } else { 1.0 };
                sum += w * v * cos[m];
                m += k;
                if m >= 2 * n {
                    m -= 2 * n;
                }
            }
            let w = if k == 0 || k == n { 1.0 } else { 2.0 };
            w * sum / n as f64
        })
        .collect()
}

/// The coefficients of `P(s) = half·∫_{−1}^s p`, for `p = Σ c_k T_k`
/// (`∫T_0 = T_1`, `∫T_1 = T_2/4`, `∫T_k = T_{k+1}/(2(k+1)) − T_{k−1}/(2(k−1))`).
fn antiderivative(c: &[f64], half: f64) -> Vec<f64> {
    let n = c.len() - 1;
    let at = |k: usize| c.get(k).copied().unwrap_or(0.0);
    let mut b = vec![0.0; n + 2];
    b[1] = at(0) - 0.5 * at(2);
    for (k, bk) in b.iter_mut().enumerate().skip(2) {
        *bk = (at(k - 1) - at(k + 1)) / (2.0 * k as f64);
    }
    // P(−1) = 0, with T_k(−1) = (−1)^k.
    b[0] = -b
        .iter()
        .enumerate()
        .skip(1)
        .map(|(k, x)| if k % 2 == 0 { *x } else { -*x })
        .sum::<f64>();
    b.iter_mut().for_each(|x| *x *= half);
    b
}

/// The cosines and Clenshaw–Curtis weights of one degree of [`DEGREES`].
struct Rule {
    cos: Vec<f64>,
    weights: Vec<f64>,
}

/// The rule of `DEGREES[i]`, computed once per process when first needed (the same numbers
/// every piece computed for itself before).
fn rule(i: usize) -> &'static Rule {
    static RULES: [std::sync::OnceLock<Rule>; DEGREES.len()] =
        [const { std::sync::OnceLock::new() }; DEGREES.len()];
    RULES[i].get_or_init(|| {
        let n = DEGREES[i];
        let cos = cosines(n);
        let weights = clenshaw_curtis(n, &cos);
        Rule { cos, weights }
    })
}

/// `cos(π·m/n)` for `m = 0, …, 2n − 1`: every cosine the Lobatto points, the coefficients and
/// the weights of degree `n` use.
fn cosines(n: usize) -> Vec<f64> {
    (0..2 * n)
        .map(|m| (std::f64::consts::PI * m as f64 / n as f64).cos())
        .collect()
}

/// The Clenshaw–Curtis weights of `∫_{−1}^{1}` at the Lobatto points `cos(π·j/n)`, `n` even,
/// with `cos` from [`cosines`].
fn clenshaw_curtis(n: usize, cos: &[f64]) -> Vec<f64> {
    (0..=n)
        .map(|j| {
            let mut sum = 0.0;
            // `m = 2j·k mod 2n`, stepped rather than divided.
            let step = (2 * j) % (2 * n);
            let mut m = 0;
            for k in 1..=n / 2 {
                m += step;
                if m >= 2 * n {
                    m -= 2 * n;
                }
                let b = if 2 * k == n { 1.0 } else { 2.0 };
                let kk = k as f64;
                sum += b / (4.0 * kk * kk - 1.0) * cos[m];
            }
            let c = if j == 0 || j == n { 1.0 } else { 2.0 };
            c / n as f64 * (1.0 - sum)
        })
        .collect()
}

/// `Σ_k c_k T_k(s)` by Clenshaw's recurrence.
fn clenshaw(c: &[f64], s: f64) -> f64 {
    let (mut b1, mut b2) = (0.0, 0.0);
    for &ck in c.iter().skip(1).rev() {
        let b0 = ck + 2.0 * s * b1 - b2;
        b2 = b1;
        b1 = b0;
    }
    c[0] + s * b1 - b2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clenshaw_curtis_weights_integrate_polynomials() {
        let w = clenshaw_curtis(16, &cosines(16));
        let nodes = |j: usize| (std::f64::consts::PI * j as f64 / 16.0).cos();
        let total: f64 = w.iter().sum();
        let fourth: f64 = (0..=16).map(|j| w[j] * nodes(j).powi(4)).sum();
        assert!((total - 2.0).abs() < 1e-15, "{total}");
        assert!((fourth - 0.4).abs() < 1e-15, "{fourth}");
    }

    #[test]
    fn a_polynomial_is_integrated_exactly() {
        let c = Curve::build(&|x: f64| 3.0 * x * x, 1.0, 2.0, 1e-10).unwrap();
        let s = c.part(1.0, 1.5);
        assert!((s.value - (1.5f64.powi(3) - 1.0)).abs() <= 1e-14, "{s:?}");
        let s = c.part(1.2, 2.0);
        assert!((s.value - (8.0 - 1.2f64.powi(3))).abs() <= 1e-14, "{s:?}");
    }

    #[test]
    fn a_smooth_integrand_meets_its_goal_everywhere_in_the_piece() {
        let f = |x: f64| 2.0 * x / (1.0 + x * x);
        let c = Curve::build(&f, 0.0, 1.0, 1e-12).unwrap();
        for k in 0..=100 {
            let x = f64::from(k) / 100.0;
            let s = c.part(0.0, x);
            let exact = (1.0 + x * x).ln();
            assert!((s.value - exact).abs() <= s.error.max(1e-16), "{x}: {s:?}");
            assert!(s.error <= 1e-12 * 1.0, "{x}: {s:?}");
        }
    }

    #[test]
    fn a_kink_inside_splits_and_a_pole_refuses() {
        let kink = |x: f64| (x - 0.3).abs();
        let c = Curve::build(&kink, 0.0, 1.0, 1e-6);
        if let Some(c) = c {
            let s = c.part(0.0, 1.0);
            assert!((s.value - 0.29).abs() <= s.error, "{s:?}");
        }
        assert!(Curve::build(&|x: f64| 1.0 / (x - 0.5), 0.0, 1.0, 1e-10).is_none());
        assert!(Curve::build(&|x: f64| 1.0 / x, 0.0, 1.0, 1e-10).is_none());
    }
}

//! The special functions of the language, evaluated in `f64`: the real dilogarithm
//! `Li₂(x) = −∫_0^x log(1 − s)/s ds` (x ≤ 1) and the principal Lambert W, `W₀(x)` (x ≥ −1/e,
//! the solution `w ≥ −1` of `w·e^w = x`).
//!
//! Both are written here rather than taken from a crate: the one real-dilogarithm crate is
//! LGPL, and a short, tested implementation is easier to trust than a dependency. Each is
//! within 3 units in the last place over its whole domain, against 30-digit reference values
//! at 2,600 points each (`tests/fixtures/special`).

use std::f64::consts::{E, PI};

/// `π²/6 = Li₂(1)`.
const PI2_6: f64 = PI * PI / 6.0;

/// `B_{2k}/(2k + 1)!` for `k = 1, 2, …, 12` (`B_n` the Bernoulli numbers).
const BERNOULLI: [f64; 12] = [
    0.027777777777777776,
    -0.0002777777777777778,
    4.72411186696901e-06,
    -9.185773074661964e-08,
    1.8978869988971e-09,
    -4.0647616451442256e-11,
    8.921691020456452e-13,
    -1.9939295860721074e-14,
    4.518980029619918e-16,
    -1.0356517612181247e-17,
    2.395218621026187e-19,
    -5.581785874325009e-21,
];

/// The real dilogarithm `Li₂(x)` for `x ≤ 1`; `NaN` for `x > 1` or `NaN`.
///
/// `x` is brought into `[−1, ½]`, where `z = −log(1 − x)` has `|z| ≤ log 2`, and there
/// `Li₂(x) = z − z²/4 + Σ_k B_{2k} z^{2k+1}/(2k + 1)!` (twelve terms reach `f64` precision):
///
/// - `x < −1`: inversion, `Li₂(x) = −π²/6 − ½·log²(−x) − Li₂(1/x)`;
/// - `½ < x < 1`: reflection, `Li₂(x) = π²/6 − log(x)·log(1 − x) − Li₂(1 − x)`.
pub fn dilog(x: f64) -> f64 {
    if x.is_nan() || x > 1.0 {
        f64::NAN
    } else if x == 1.0 {
        PI2_6
    } else if x == f64::NEG_INFINITY {
        f64::NEG_INFINITY
    } else if x < -1.0 {
        let l = (-x).ln();
        -PI2_6 - 0.5 * l * l - dilog_series(1.0 / x)
    } else if x > 0.5 {
        let y = 1.0 - x;
        PI2_6 - (-y).ln_1p() * y.ln() - dilog_series(y)
    } else {
        dilog_series(x)
    }
}

/// `Li₂(x)` for `x ∈ [−1, ½]` by the Bernoulli series in `z = −log(1 − x)`.
fn dilog_series(x: f64) -> f64 {
    let z = -(-x).ln_1p();
    let z2 = z * z;
    let tail = BERNOULLI.iter().rev().fold(0.0, |acc, c| acc * z2 + c);
    z - 0.25 * z2 + z * z2 * tail
}

/// `1/e` as the sum of two doubles, so that `x + 1/e` is exact enough near the branch point.
const INV_E_HI: f64 = 0.36787944117144233;
const INV_E_LO: f64 = -1.2428753672788363e-17;

/// The principal branch of the Lambert W function, `W₀(x)` for `x ≥ −1/e`; `NaN` below.
///
/// Three regions, each solved where its equation is well conditioned:
///
/// - `x < −1/4`: with `w = v − 1` the equation `w·e^w = x` is `h(v) = e·(x + 1/e)`, where
///   `h(v) = v·e^v − expm1(v) = Σ_{n≥2} (n − 1)·v^n/n!` is summed without cancellation and
///   `x + 1/e` is formed from a two-double `1/e`; Newton's method from the branch-point series
///   `v ≈ p − p²/3 + 11p³/72 − 43p⁴/540`, `p = √(2e(x + 1/e))`;
/// - `−1/4 ≤ x ≤ e`: Halley's method on `w·e^w − x = 0` from `w = log1p(x)`;
/// - `x > e`: Newton's method on `w + log(w) = log(x)` from `L₁ − L₂ + L₂/L₁`
///   (`L₁ = log x`, `L₂ = log L₁`), which never overflows.
pub fn lambert_w0(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x == f64::INFINITY {
        return f64::INFINITY;
    }
    if x < -0.25 {
        let q = (x + INV_E_HI) + INV_E_LO;
        if q < 0.0 {
            return f64::NAN;
        }
        return near_branch(E * q) - 1.0;
    }
    if x <= E {
        return halley(x);
    }
    let l1 = x.ln();
    let l2 = l1.ln();
    let mut w = l1 - l2 + l2 / l1;
    for _ in 0..50 {
        let step = (w + w.ln() - l1) / (1.0 + 1.0 / w);
        w -= step;
        if step.abs() <= f64::EPSILON * w {
            break;
        }
    }
    w
}

/// `v ≥ 0` with `v·e^v − expm1(v) = s` (`s = e·(x + 1/e)`, small), so that `W₀(x) = v − 1`.
fn near_branch(s: f64) -> f64 {
    if s == 0.0 {
        return 0.0;
    }
    let p = (2.0 * s).sqrt();
    let mut v = p * (1.0 + p * (-1.0 / 3.0 + p * (11.0 / 72.0 - p * 43.0 / 540.0)));
    for _ in 0..50 {
        let step = (h(v) - s) / (v * v.exp());
        v -= step;
        if step.abs() <= f64::EPSILON * v {
            break;
        }
    }
    v
}

/// `(n − 1)/n!` for `n = 2, 3, …, 22`.
const BRANCH_SERIES: [f64; 21] = [
    0.5,
    0.3333333333333333,
    0.125,
    0.03333333333333333,
    0.006944444444444444,
    0.0011904761904761906,
    0.00017361111111111112,
    2.2045855379188714e-05,
    2.48015873015873e-06,
    2.505210838544172e-07,
    2.296443268665491e-08,
    1.9270852604185937e-09,
    1.4911969277048643e-10,
    1.0706029224547743e-11,
    7.169215998581078e-13,
    4.498331606952833e-14,
    2.6552651846596585e-15,
    1.4797143443923793e-16,
    7.809603484293113e-18,
    3.9145882126782523e-19,
    1.8683261924146203e-20,
];

/// `h(v) = v·e^v − expm1(v) = Σ_{n≥2} (n − 1)·v^n/n!`, for `0 ≤ v ≤ 1` (21 terms reach `f64`
/// precision there).
fn h(v: f64) -> f64 {
    BRANCH_SERIES.iter().rev().fold(0.0, |acc, c| acc * v + c) * v * v
}

/// Halley's method for `w·e^w = x`, `−1/4 ≤ x ≤ e`.
fn halley(x: f64) -> f64 {
    let mut w = x.ln_1p();
    for _ in 0..50 {
        let ew = w.exp();
        let f = w * ew - x;
        if f == 0.0 {
            break;
        }
        let w1 = w + 1.0;
        let step = f / (ew * w1 - (w + 2.0) * f / (2.0 * w1));
        w -= step;
        if step.abs() <= f64::EPSILON * w.abs() {
            break;
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(x, reference)` pairs from a fixture written by `tests/fixtures/special/reference.py`.
    fn fixture(text: &str) -> Vec<(f64, f64)> {
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| {
                let (x, y) = l.split_once(' ').expect("two columns");
                (x.parse().expect("x"), y.parse().expect("value"))
            })
            .collect()
    }

    /// `|got − want|` in units of the last place of `want`.
    fn ulps(got: f64, want: f64) -> f64 {
        if got == want {
            return 0.0;
        }
        let ulp = if want == 0.0 {
            f64::from_bits(1)
        } else {
            let next = f64::from_bits(want.abs().to_bits() + 1);
            next - want.abs()
        };
        (got - want).abs() / ulp
    }

    /// The largest error in ulps of `f` over `points`, and where.
    fn worst(points: &[(f64, f64)], f: fn(f64) -> f64) -> (f64, f64) {
        points
            .iter()
            .map(|&(x, want)| (ulps(f(x), want), x))
            .fold((0.0, f64::NAN), |a, b| if b.0 > a.0 { b } else { a })
    }

    #[test]
    fn dilog_matches_mpmath_within_3_ulps() {
        let points = fixture(include_str!("../../tests/fixtures/special/li2.txt"));
        assert!(points.len() > 2000);
        let (err, at) = worst(&points, dilog);
        assert!(err <= 3.0, "Li2: {err} ulps at x = {at}");
    }

    #[test]
    fn lambert_w0_matches_mpmath_within_3_ulps() {
        let points = fixture(include_str!("../../tests/fixtures/special/lambertw.txt"));
        assert!(points.len() > 2000);
        let (err, at) = worst(&points, lambert_w0);
        assert!(err <= 3.0, "W0: {err} ulps at x = {at}");
    }
}

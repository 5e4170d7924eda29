//! Stable `f64` kernels for the differences that cancel near a divergence's minimum.
//!
//! Each is exact in exact arithmetic and accurate to a few ulps in `f64`, including the
//! region where the naive formula loses every digit (`e^x − 1 − x` at `x = 1e-8`).

/// Below this `|x|`, [`expm1_minus_x`] sums its Taylor series.
const EXP_SERIES_BOUND: f64 = 0.5;
/// `1/k!` for `k = 2..=15`: enough terms for `|x| < 1/2` to `1e-17` relative.
pub(crate) const INV_FACT: [f64; 14] = inv_factorials();

const fn inv_factorials() -> [f64; 14] {
    let mut out = [0.0; 14];
    let mut k = 2;
    let mut f = 1.0;
    while k <= 15 {
        f /= k as f64;
        out[k - 2] = f;
        k += 1;
    }
    out
}

/// `e^x − 1 − x`: the series `x²·Σ x^(k−2)/k!` for `|x| < 1/2`, else `expm1(x) − x`.
pub(crate) fn expm1_minus_x(x: f64) -> f64 {
    if x.abs() < EXP_SERIES_BOUND {
        // Estrin's scheme: the same polynomial as Horner's, with a dependency chain of four
        // steps instead of fourteen.
        let c = &INV_FACT;
        let x2 = x * x;
        let x4 = x2 * x2;
        let x8 = x4 * x4;
        let q = |i: usize| c[i] + c[i + 1] * x;
        let r0 = q(0) + q(2) * x2;
        let r1 = q(4) + q(6) * x2;
        let r2 = q(8) + q(10) * x2;
        let r3 = q(12);
        let s = (r0 + r1 * x4) + (r2 + r3 * x4) * x8;
        x2 * s
    } else if x.is_infinite() {
        f64::INFINITY
    } else {
        x.exp_m1() - x
    }
}

/// `1/(2k + 1)` for `k = 1..=18`: enough terms for `|s| ≤ 1/3` to `1e-17` relative.
const INV_ODD: [f64; 18] = inv_odd();

const fn inv_odd() -> [f64; 18] {
    let mut out = [0.0; 18];
    let mut k = 0;
    while k < 18 {
        out[k] = 1.0 / (2 * k + 3) as f64;
        k += 1;
    }
    out
}

/// `log(x) − x + 1`, from `x` itself: near `x = 1` by [`log1p_minus_y`] at the exact
/// `y = x − 1` (Sterbenz: exact for `x` in `[1/2, 2]`), elsewhere as written, where nothing
/// cancels. Taking `y = x − 1` from the caller instead would round `y`, and so `1 + y`, far from
/// `x = 1` (`x = 1e-12` lost six digits that way).
pub(crate) fn log_x_minus_x_plus_1(x: f64) -> f64 {
    if (x - 1.0).abs() < 0.5 {
        log1p_minus_y(x - 1.0)
    } else if x == f64::INFINITY {
        f64::NEG_INFINITY
    } else {
        x.ln() - x + 1.0
    }
}

/// `x·log(x) − x + 1`, from `x` itself, as [`log_x_minus_x_plus_1`] (the limit `1` at `x = 0`).
pub(crate) fn xlogx_minus_x_plus_1_at(x: f64) -> f64 {
    if (x - 1.0).abs() < 0.5 {
        xlogx_minus_x_plus_1(x - 1.0)
    } else if x == 0.0 {
        1.0
    } else if x == f64::INFINITY {
        f64::INFINITY
    } else {
        x * x.ln() - x + 1.0
    }
}

/// `(sqrt(x) − 1)²`, from `x` itself, as [`log_x_minus_x_plus_1`].
pub(crate) fn sqrt_minus_1_squared_at(x: f64) -> f64 {
    if (x - 1.0).abs() < 0.5 {
        sqrt_minus_1_squared(x - 1.0)
    } else {
        let d = x.sqrt() - 1.0;
        d * d
    }
}

/// `log(1 + y) − y`.
///
/// For `|y| < 1/2` it uses `log(1 + y) = 2·atanh(s)` with `s = y/(2 + y)`, and
/// `y − 2s = s·y`, so `log(1 + y) − y = −s·y + 2s³·(1/3 + s²/5 + s⁴/7 + …)` with no
/// cancellation; elsewhere `log1p(y) − y`.
pub(crate) fn log1p_minus_y(y: f64) -> f64 {
    if y.abs() < 0.5 {
        let s = y / (2.0 + y);
        let s2 = s * s;
        // Estrin's scheme in z = s²: a dependency chain of five steps instead of eighteen.
        let c = &INV_ODD;
        let z2 = s2 * s2;
        let z4 = z2 * z2;
        let z8 = z4 * z4;
        let z16 = z8 * z8;
        let q = |i: usize| c[i] + c[i + 1] * s2;
        let r = |i: usize| q(i) + q(i + 2) * z2;
        let p = (r(0) + r(4) * z4) + (r(8) + r(12) * z4) * z8 + q(16) * z16;
        2.0 * s * s2 * p - s * y
    } else if y == f64::INFINITY {
        f64::NEG_INFINITY
    } else {
        y.ln_1p() - y
    }
}

/// `(1 + y)·log(1 + y) − y`, i.e. `x·log(x) − x + 1` at `x = 1 + y`.
///
/// For `|y| < 1/2` it is `(1 + y)·(log(1 + y) − y) + y²` with the stable
/// [`log1p_minus_y`]; at `y = −1` it is the limit `1`.
pub(crate) fn xlogx_minus_x_plus_1(y: f64) -> f64 {
    if y.abs() < 0.5 {
        (1.0 + y) * log1p_minus_y(y) + y * y
    } else if y == -1.0 {
        1.0
    } else {
        (1.0 + y) * y.ln_1p() - y
    }
}

/// `(sqrt(1 + y) − 1)²`, written `(y/(sqrt(1 + y) + 1))²` so that it keeps its digits at
/// `y → 0`.
pub(crate) fn sqrt_minus_1_squared(y: f64) -> f64 {
    let d = y / ((1.0 + y).sqrt() + 1.0);
    d * d
}

/// `cosh(x) − 1 = 2·sinh(x/2)²`, with no cancellation at `x → 0`.
pub(crate) fn cosh_minus_1(x: f64) -> f64 {
    let s = (x / 2.0).sinh();
    2.0 * s * s
}

/// `cos(x) − 1 = −2·sin(x/2)²`, with no cancellation at `x → 0` (beyond the trigonometric
/// limit the argument's sign is not known, and the value is refused like `cos(x)`'s).
pub(crate) fn cos_minus_1(x: f64) -> f64 {
    if x.abs() > super::TRIG_LIMIT {
        return f64::NAN;
    }
    let s = (x / 2.0).sin();
    -2.0 * s * s
}

/// `sqrt(1 + x) − 1 = x/(sqrt(1 + x) + 1)`, with no cancellation at `x → 0`.
pub(crate) fn sqrt1p_minus_1(x: f64) -> f64 {
    x / ((1.0 + x).sqrt() + 1.0)
}

/// `(−1)^k/(2k + 3)!` for `k = 0..=9`: the series of `x − sin(x)` divided by `x³`.
pub(crate) const SIN_TAIL: [f64; 10] = sin_tail();

const fn sin_tail() -> [f64; 10] {
    let mut out = [0.0; 10];
    let mut f = 6.0;
    let mut k = 0;
    while k < 10 {
        out[k] = if k % 2 == 0 { 1.0 / f } else { -1.0 / f };
        let n = (2 * k + 4) as f64;
        f *= n * (n + 1.0);
        k += 1;
    }
    out
}

/// `x − sin(x)`: `x³·(1/3! − x²/5! + …)` for `|x| < 1` (to `x^21`, below `1e-17` relative),
/// else the difference itself.
pub(crate) fn x_minus_sin(x: f64) -> f64 {
    if x.abs() < 1.0 {
        let x2 = x * x;
        let mut s = 0.0;
        for c in SIN_TAIL.iter().rev() {
            s = s * x2 + c;
        }
        x * x2 * s
    } else {
        x - x.sin()
    }
}

/// `log(cosh(x))`: `log1p(2·sinh(|x|/2)²)` for `|x| < 1` (full relative accuracy at `x → 0`),
/// else `|x| + log1p(e^(−2|x|)) − log 2` (no overflow of `cosh`).
pub(crate) fn log_cosh(x: f64) -> f64 {
    let a = x.abs();
    if a < 1.0 {
        cosh_minus_1(a).ln_1p()
    } else {
        a + (-2.0 * a).exp().ln_1p() - std::f64::consts::LN_2
    }
}

/// `log(1 + b^y)`: `log1p(b^y)` while `b^y` is finite, else `softplus(y·log b)`.
pub(crate) fn log1p_pow(b: f64, y: f64) -> f64 {
    let p = b.powf(y);
    if p.is_finite() {
        p.ln_1p()
    } else {
        crate::expr::Func::Softplus.apply(y * b.ln())
    }
}

/// `sigmoid(−x) = 1 − sigmoid(x)`, with no cancellation for large `x`.
pub(crate) fn sigmoid_of_minus(x: f64) -> f64 {
    crate::expr::Func::Sigmoid.apply(-x)
}

/// `sech(x)² = 1 − tanh(x)² = 4e/(1 + e)²` with `e = exp(−2|x|)`: no cancellation for large
/// `|x|` and no overflow.
pub(crate) fn sech_squared(x: f64) -> f64 {
    let e = (-2.0 * x.abs()).exp();
    4.0 * e / ((1.0 + e) * (1.0 + e))
}

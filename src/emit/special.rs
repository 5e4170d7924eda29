//! The helper functions emitted code needs for `Li2`, `lambertw` and `lowergamma`, which NumPy
//! and PyTorch lack (JAX has neither of the first two in the stable API, and no library has
//! `γ(p, x)` for negative `x`). Each is the algorithm of
//! [`crate::expr::special`] written with the array library's element-wise operations, with a
//! fixed number of iterations and every branch computed on safe inputs, so that it runs on
//! arrays and tensors of any shape and `where` never selects a `nan` that a gradient would see.

use super::Backend;

/// The helpers' source, with `XP` standing for the array module.
const SOURCE: &str = r#"_LI2_SERIES = (
    0.027777777777777776, -0.0002777777777777778, 4.72411186696901e-06, -9.185773074661964e-08,
    1.8978869988971e-09, -4.0647616451442256e-11, 8.921691020456452e-13,
    -1.9939295860721074e-14, 4.518980029619918e-16, -1.0356517612181247e-17,
    2.395218621026187e-19, -5.581785874325009e-21,
)


def _li2(x):
    """The real dilogarithm Li2(x) = -integral_0^x log(1 - s)/s ds, for x <= 1 (nan above).

    x < -1 by inversion, x > 1/2 by reflection, then the Bernoulli series
    Li2(y) = z - z**2/4 + sum_k B_2k z**(2k+1)/(2k+1)!, z = -log(1 - y), |z| <= log 2.
    """
    inv = x < -1
    ref = x > 0.5
    y = XP.where(inv, 1 / XP.where(inv, x, -2.0), XP.where(ref, 1 - x, x))
    z = -XP.log1p(-y)
    z2 = z * z
    s = 0 * z
    for c in reversed(_LI2_SERIES):
        s = s * z2 + c
    series = z - z2 / 4 + z * z2 * s
    lm = XP.log(XP.where(inv, -x, 1.0))
    yr = XP.where(ref & (y > 0), y, 0.5)
    inverted = -1.6449340668482264 - 0.5 * lm * lm - series
    # log(x)*log(1 - x) -> 0 at x = 1
    logs = XP.where(y > 0, XP.log1p(-yr) * XP.log(yr), 0.0)
    reflected = 1.6449340668482264 - logs - series
    out = XP.where(inv, inverted, XP.where(ref, reflected, series))
    return XP.where(x > 1, float("nan"), out)


_W_BRANCH_SERIES = (
    0.5, 0.3333333333333333, 0.125, 0.03333333333333333, 0.006944444444444444,
    0.0011904761904761906, 0.00017361111111111112, 2.2045855379188714e-05,
    2.48015873015873e-06, 2.505210838544172e-07, 2.296443268665491e-08, 1.9270852604185937e-09,
    1.4911969277048643e-10, 1.0706029224547743e-11, 7.169215998581078e-13,
    4.498331606952833e-14, 2.6552651846596585e-15, 1.4797143443923793e-16,
    7.809603484293113e-18, 3.9145882126782523e-19, 1.8683261924146203e-20,
)


def _lambertw(x):
    """The principal branch W0 of the Lambert W function (w*exp(w) = x, w >= -1), x >= -1/e.

    Below -1/4: w = v - 1 with v*exp(v) - expm1(v) = e*(x + 1/e), by Newton from the
    branch-point series; up to e: Halley on w*exp(w) = x from log1p(x); above: Newton on
    w + log(w) = log(x), which cannot overflow. nan below -1/e.
    """
    near = x < -0.25
    large = x > 2.718281828459045
    s = XP.where(near, 2.718281828459045 * ((x + 0.36787944117144233) - 1.2428753672788363e-17), 0.25)
    s_pos = XP.where(s > 0, s, 0.0)
    p = XP.sqrt(2 * s_pos)
    v = p * (1 + p * (-1 / 3 + p * (11 / 72 - p * 43 / 540)))
    for _ in range(6):
        h = 0 * v
        for c in reversed(_W_BRANCH_SERIES):
            h = h * v + c
        step = (h * v * v - s_pos) / XP.where(v > 0, v * XP.exp(v), 1.0)
        v = XP.where(v > 0, v - step, v)
    xm = XP.where(near | large, 1.0, x)
    w = XP.log1p(xm)
    for _ in range(6):
        ew = XP.exp(w)
        f = w * ew - xm
        w1 = w + 1
        w = w - f / (ew * w1 - (w + 2) * f / (2 * w1))
    lx = XP.log(XP.where(large, x, 10.0))
    l2 = XP.log(lx)
    wl = lx - l2 + l2 / lx
    for _ in range(6):
        wl = wl - (wl + XP.log(wl) - lx) / (1 + 1 / wl)
    out = XP.where(near, v - 1, XP.where(large, wl, w))
    return XP.where(near & (s < 0), float("nan"), out)
"#;

/// The source of `_li2` (and its table) when `li2`, of `_lambertw` when `lambertw`, for
/// `backend`, ready to paste after the imports.
pub(crate) fn helpers(backend: Backend, li2: bool, lambertw: bool) -> String {
    let xp = match backend {
        Backend::Numpy => "np",
        Backend::Torch => "torch",
        Backend::Jax => "jnp",
    };
    let (li2_src, w_src) = SOURCE
        .split_once("\n\n\n_W_BRANCH_SERIES")
        .map(|(a, b)| (a.to_string(), format!("_W_BRANCH_SERIES{b}")))
        .unwrap_or_default();
    let mut out = String::new();
    for (used, src) in [(li2, li2_src), (lambertw, w_src)] {
        if used {
            out.push_str("\n\n");
            out.push_str(src.trim_end());
            out.push('\n');
        }
    }
    out.replace("XP.", &format!("{xp}."))
}

/// The source of `_lowergamma(p, x)`, `γ(p, x)` for a number `p` and an array `x`, with `XP`
/// standing for the array module. The regions of [`crate::expr::gamma`] with a fixed number of
/// terms for each `p` (ordinary floating point, not double-double; the asymptotic series for
/// `x ≤ −max(40, 2p)` replaces the longest sum), `Γ(p)` from Python's `math.gamma`; the
/// continued fraction for `Γ(p, x)` is taken at `min(x, p + 41 + 10·√p)`, beyond which
/// `Γ(p, x) < 1e-21·Γ(p)` (mpmath, `p` from 0.01 to 171), so that no `x^(p/2)` overflows
/// where `e^(−x/2)` underflows, in float64 or float32.
const LOWERGAMMA: &str = r#"def _lowergamma(p, x):
    """The lower incomplete gamma function gamma(p, x) = integral_0^x |s|**(p - 1) exp(-s) ds.

    p > 0 a number (nan for p <= 0), x real; for x < 0 the value is
    -integral_0^|x| r**(p - 1) exp(r) dr. Four regions, each with a fixed number of terms: the
    series x**p exp(-x) sum_k x**k/(p (p + 1) ... (p + k)) for 0 <= x < p + 1, Gamma(p) minus
    Legendre's continued fraction above, |x|**p sum_k |x|**k/(k! (p + k)) for
    -max(40, 2p) < x < 0, and |x|**(p - 1) exp(|x|) sum_k (1 - p)(2 - p)...(k - p)/|x|**k below.
    """
    if not p > 0:
        return x * float("nan")
    low = (x >= 0) & (x < p + 1)
    xa = XP.where(low, x, 1.0)
    term = 0 * xa + 1 / p
    total = term
    for k in range(1, int(20 + 10 * math.sqrt(p))):
        term = term * xa / (p + k)
        total = total + term
    h = xa ** (0.5 * p) * XP.exp(-0.5 * xa)
    series = h * total * h
    high = x >= p + 1
    # beyond p + 41 + 10 sqrt(p), Gamma(p, x) < 1e-21 Gamma(p): taken there (no inf * 0)
    cap = p + 41 + 10 * math.sqrt(p)
    xb = XP.where(high, XP.where(x < cap, x, cap), p + 2.0)
    b = xb + 1 - p
    c = 0 * xb + 1e30
    d = 1 / b
    f = d
    for i in range(1, int(100 + 10 * math.sqrt(p))):
        an = -i * (i - p)
        b = b + 2
        d = an * d + b
        d = XP.where(d == 0, 1e-30, d)
        c = b + an / c
        c = XP.where(c == 0, 1e-30, c)
        d = 1 / d
        f = f * d * c
    g = xb ** (0.5 * p) * XP.exp(-0.5 * xb)
    upper = (math.gamma(p) if p < 171.6 else float("inf")) - g * f * g
    edge = max(40.0, 2.0 * p)
    near = (x < 0) & (x > -edge)
    y = XP.where(near, -x, 1.0)
    power = 0 * y + 1
    total = power / p
    for k in range(1, int(edge + 12 * math.sqrt(edge) + 10)):
        power = power * y / k
        total = total + power / (p + k)
    hn = y ** (0.5 * p)
    negative = -(hn * total * hn)
    yf = XP.where(x <= -edge, -x, edge)
    term = 0 * yf + 1
    total = term
    for k in range(1, 40):
        term = term * (k - p) / yf
        total = total + term
    hf = yf ** (0.5 * (p - 1)) * XP.exp(0.5 * yf)
    far = -(hf * total * hf)
    out = XP.where(low, series, XP.where(high, upper, XP.where(near, negative, far)))
    return XP.where(x == 0, 0 * x, out)
"#;

/// The source of `_lowergamma` for `backend`, ready to paste after the imports (which must
/// include `math`).
pub(crate) fn lowergamma_helper(backend: Backend) -> String {
    let xp = match backend {
        Backend::Numpy => "np",
        Backend::Torch => "torch",
        Backend::Jax => "jnp",
    };
    format!("\n\n{}", LOWERGAMMA.trim_end()).replace("XP.", &format!("{xp}.")) + "\n"
}

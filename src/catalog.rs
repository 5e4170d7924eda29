//! Named divergences and losses, and identification of a derived generator with a named one.
//!
//! Every divergence is `D_f(q‖pθ) = E_pθ[f(q/pθ)]` with `u = q/pθ`, printed with its arguments
//! (`KL(q‖pθ)` for `f = u·log(u)`): names of directions differ between fields, so fcorr never
//! prints a bare "forward" or "reverse". Losses are on `t = log q − log pθ`.

use crate::Error;
use crate::expr::{DIVERGENCE_VAR, Expr};
use crate::parse::parse;
use crate::simplify::simplify;
use crate::transform::Bindings;
use num_traits::{One, Signed};

mod offset;
mod scale;

/// A named divergence generator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NamedDivergence {
    /// The name on the command line (`--from-divergence hellinger`).
    pub key: &'static str,
    /// The divergence with its arguments, e.g. `KL(q‖pθ)`.
    pub name: &'static str,
    /// The generator `f(u)` in the fcorr language.
    pub f: &'static str,
    /// Its parameters, each with the value used when none is given (`alpha=1/2`).
    pub params: &'static [(&'static str, &'static str)],
}

/// A named loss.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NamedLoss {
    /// The name on the command line (`--from-loss linex --param alpha=0.5`).
    pub key: &'static str,
    /// A readable name.
    pub name: &'static str,
    /// The loss `g(t)` in the fcorr language.
    pub g: &'static str,
    /// Its parameters with default values.
    pub params: &'static [(&'static str, &'static str)],
    /// Where it comes from.
    pub source: &'static str,
}

/// The named divergences (f-GAN, Nowozin et al. 2016, and the α-family).
pub const DIVERGENCES: &[NamedDivergence] = &[
    NamedDivergence {
        key: "kl",
        name: "KL(q‖pθ)",
        f: "u*log(u)",
        params: &[],
    },
    NamedDivergence {
        key: "reverse-kl",
        name: "KL(pθ‖q)",
        f: "-log(u)",
        params: &[],
    },
    NamedDivergence {
        key: "pearson",
        name: "Pearson χ²(q‖pθ)",
        f: "(u - 1)^2",
        params: &[],
    },
    NamedDivergence {
        key: "neyman",
        name: "Neyman χ²(q‖pθ)",
        f: "(1 - u)^2/u",
        params: &[],
    },
    NamedDivergence {
        key: "hellinger",
        name: "squared Hellinger H²(q, pθ)",
        f: "(sqrt(u) - 1)^2",
        params: &[],
    },
    NamedDivergence {
        key: "jeffreys",
        name: "Jeffreys J(q, pθ)",
        f: "(u - 1)*log(u)",
        params: &[],
    },
    NamedDivergence {
        key: "js",
        name: "Jensen–Shannon JS(q, pθ)",
        f: "u*log(u) - (u + 1)*log((1 + u)/2)",
        params: &[],
    },
    NamedDivergence {
        key: "gan",
        name: "GAN divergence D_GAN(q‖pθ)",
        f: "u*log(u) - (u + 1)*log(u + 1)",
        params: &[],
    },
    NamedDivergence {
        key: "tv",
        name: "total variation TV(q, pθ)",
        f: "abs(u - 1)/2",
        params: &[],
    },
    NamedDivergence {
        key: "alpha",
        name: "α-divergence D_α(q‖pθ)",
        f: "(u^alpha - 1 - alpha*(u - 1))/(alpha*(alpha - 1))",
        params: &[("alpha", "1/2")],
    },
    NamedDivergence {
        key: "le-cam",
        name: "Le Cam LC(q, pθ)",
        f: "(u - 1)^2/(2*(u + 1))",
        params: &[],
    },
    NamedDivergence {
        key: "triangular",
        name: "triangular discrimination Δ(q, pθ)",
        f: "(u - 1)^2/(u + 1)",
        params: &[],
    },
];

/// Named losses on the residual `t = log q − log pθ`.
pub const LOSSES: &[NamedLoss] = &[
    NamedLoss {
        key: "quadratic",
        name: "quadratic",
        g: "t^2/2",
        params: &[],
        source: "Hu et al. 2025, Table 2",
    },
    NamedLoss {
        key: "squared",
        name: "squared error (trajectory balance)",
        g: "t^2",
        params: &[],
        source: "Malkin et al. 2022",
    },
    NamedLoss {
        key: "linex",
        name: "Linex(α)",
        g: "(exp(alpha*t) - alpha*t - 1)/alpha^2",
        params: &[("alpha", "1")],
        source: "Hu et al. 2025",
    },
    NamedLoss {
        key: "shifted-cosh",
        name: "shifted cosh",
        g: "exp(t) + exp(-t) - 2",
        params: &[],
        source: "Hu et al. 2025, Table 2",
    },
    NamedLoss {
        key: "log-cosh",
        name: "log-cosh",
        g: "log(cosh(t))",
        params: &[],
        source: "robust regression",
    },
    NamedLoss {
        key: "pseudo-huber",
        name: "pseudo-Huber(δ)",
        g: "delta^2*(sqrt(1 + (t/delta)^2) - 1)",
        params: &[("delta", "1")],
        source: "robust regression",
    },
    NamedLoss {
        key: "huber",
        name: "Huber(δ)",
        g: "min(abs(t), delta)*(abs(t) - min(abs(t), delta)/2)",
        params: &[("delta", "1")],
        source: "robust regression (Huber 1964)",
    },
    NamedLoss {
        key: "absolute",
        name: "absolute error",
        g: "abs(t)",
        params: &[],
        source: "robust regression",
    },
    NamedLoss {
        key: "logistic",
        name: "logistic",
        g: "2*softplus(t) - t - 2*log(2)",
        params: &[],
        source: "logistic regression on the residual",
    },
];

/// Limits of catalog entries at the parameter values where they are undefined, as
/// `(key, parameter, value, limit)`: Linex's `(e^{αt} − αt − 1)/α² → t²/2` and the α-divergence's
/// `→ u − 1 − log u` (reverse KL) at `α → 0` and `→ u·log u − u + 1` (KL) at `α → 1`.
pub const LIMITS: &[(&str, &str, &str, &str)] = &[
    ("linex", "alpha", "0", "t^2/2"),
    ("alpha", "alpha", "0", "u - 1 - log(u)"),
    ("alpha", "alpha", "1", "u*log(u) - u + 1"),
];

/// The limit of catalog entry `key` as `parameter → value`, where the entry is undefined.
pub fn limit(
    key: &str,
    parameter: &str,
    value: &num_rational::BigRational,
) -> Option<&'static str> {
    LIMITS
        .iter()
        .find(|(k, p, v, _)| {
            *k == key
                && *p == parameter
                && v.parse::<num_rational::BigRational>().ok().as_ref() == Some(value)
        })
        .map(|(_, _, _, l)| *l)
}

/// The named divergence called `key`.
pub fn divergence(key: &str) -> Option<&'static NamedDivergence> {
    DIVERGENCES.iter().find(|d| d.key == key)
}

/// The named loss called `key`.
pub fn loss(key: &str) -> Option<&'static NamedLoss> {
    LOSSES.iter().find(|d| d.key == key)
}

/// `text` parsed, with the named defaults of `params` for parameters `bindings` leaves unset.
fn instantiate(
    text: &str,
    params: &[(&str, &str)],
    bindings: &Bindings,
) -> Result<(Expr, Bindings), Error> {
    let mut b = Bindings::new();
    for (name, default) in params {
        b.set_from_str(&format!("{name}={default}"))?;
    }
    for (name, value) in bindings.iter() {
        b.set(name, value.clone())?;
    }
    Ok((parse(text)?, b))
}

impl NamedDivergence {
    /// The generator with parameter defaults and `bindings` applied.
    pub fn generator(&self, bindings: &Bindings) -> Result<Expr, Error> {
        let (e, b) = instantiate(self.f, self.params, bindings)?;
        Ok(simplify(&b.apply(&e))?)
    }
}

impl NamedLoss {
    /// The loss with parameter defaults and `bindings` applied.
    pub fn loss(&self, bindings: &Bindings) -> Result<Expr, Error> {
        let (e, b) = instantiate(self.g, self.params, bindings)?;
        Ok(simplify(&b.apply(&e))?)
    }
}

/// A generator given by its values at points (for a generator known only numerically).
pub type Values<'a> = dyn Fn(&[f64]) -> Result<Vec<f64>, Error> + 'a;

/// A named divergence that a generator equals, up to the class and a positive scale.
#[derive(Clone, Debug, PartialEq)]
pub struct Identification {
    /// The catalog key.
    pub key: &'static str,
    /// The divergence with its arguments, e.g. `KL(pθ‖q)`.
    pub name: String,
    /// The positive scale `k`: `f = k·f_named + a + c·(u − 1)`, as the nearest `f64` (`0` or
    /// `∞` for an exact scale beyond its range: [`Identification::exact_scale`] has it whole).
    pub scale: f64,
    /// The exact scale, when the identification is symbolic.
    pub exact_scale: Option<Expr>,
    /// The constant `a = f(1) − k·f_named(1)`: `D_f = k·D_named + a` for normalised
    /// distributions (`0` when `f` is the scaled divergence up to the class alone).
    pub offset: f64,
    /// The exact constant, when the identification is symbolic.
    pub exact_offset: Option<Expr>,
    /// How it was established.
    pub method: &'static str,
}

/// `f − f(1) − f'(1)·(u − 1)`: the member of `f`'s class with `f(1) = f'(1) = 0`.
pub fn canonical(f: &Expr) -> Result<Expr, Error> {
    let u = Expr::sym(DIVERGENCE_VAR);
    let one = Expr::one();
    let f1 = simplify(&f.substitute(DIVERGENCE_VAR, &one))?;
    let fp1 = simplify(&crate::diff::diff(f, DIVERGENCE_VAR)?.substitute(DIVERGENCE_VAR, &one))?;
    Ok(simplify(&(f.clone() - f1 - fp1 * (u - one)))?)
}

/// The α values to try for the α-family: the exponents `a ∉ {0, 1}` of `u^a` in `f`.
fn alpha_candidates(f: &Expr) -> Vec<Expr> {
    fn walk(e: &Expr, out: &mut Vec<Expr>) {
        match e {
            Expr::Pow(b, x) => {
                if matches!(&**b, Expr::Sym(s) if &**s == DIVERGENCE_VAR)
                    && x.is_constant()
                    && !x.is_one()
                    && !x.is_zero()
                {
                    out.push((**x).clone());
                }
                walk(b, out);
                walk(x, out);
            }
            Expr::Add(xs) | Expr::Mul(xs) => xs.iter().for_each(|x| walk(x, out)),
            Expr::Func(_, a) => walk(a, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(f, &mut out);
    out.dedup();
    out
}

/// A small-denominator rational within `1e-12` relative of `x`, by continued fractions.
fn rational_guess(x: f64) -> Option<Expr> {
    if !x.is_finite() {
        return None;
    }
    let (mut h0, mut h1, mut k0, mut k1) = (0i64, 1i64, 1i64, 0i64);
    let mut r = x;
    for _ in 0..20 {
        let a = r.floor();
        if a.abs() > 1e9 {
            return None;
        }
        let a = a as i64;
        let h2 = a.checked_mul(h1)?.checked_add(h0)?;
        let k2 = a.checked_mul(k1)?.checked_add(k0)?;
        (h0, h1, k0, k1) = (h1, h2, k1, k2);
        if k1 > 10_000 {
            return None;
        }
        if k1 != 0 && ((h1 as f64 / k1 as f64) - x).abs() <= 1e-12 * x.abs().max(1.0) {
            return Some(Expr::ratio(h1, k1));
        }
        let frac = r - a as f64;
        if frac.abs() < 1e-15 {
            return None;
        }
        r = 1.0 / frac;
    }
    None
}

/// The points where [`plausible`] compares a generator with a named one.
const LOOK_POINTS: [f64; 4] = [0.3, 0.7, 2.5, 6.0];

/// `e` at `u = x`, evaluated as written, term by term (no compilation, no stable forms);
/// `None` for a symbol other than `u`. Only for [`fingerprint`], a filter: compiled programs give
/// every value fcorr reports.
fn value_as_written(e: &Expr, x: f64) -> Option<f64> {
    Some(match e {
        Expr::Num(r) => crate::expr::rational_to_f64(r),
        Expr::Const(c) => c.value(),
        Expr::Sym(s) if &**s == DIVERGENCE_VAR => x,
        Expr::Sym(_) => return None,
        Expr::Add(ts) => ts
            .iter()
            .try_fold(0.0, |a, t| Some(a + value_as_written(t, x)?))?,
        Expr::Mul(fs) => fs
            .iter()
            .try_fold(1.0, |a, f| Some(a * value_as_written(f, x)?))?,
        Expr::Pow(b, p) => value_as_written(b, x)?.powf(value_as_written(p, x)?),
        Expr::Func(f, a) => f.apply(value_as_written(a, x)?),
        Expr::Func2(f, a, b) => f.apply(value_as_written(a, x)?, value_as_written(b, x)?),
    })
}

/// The canonical member of `named` at [`LOOK_POINTS`], judged numerically (`f'(1)` by central
/// differences, `named` evaluated as written): a fingerprint for [`plausible`]. `None` where
/// `named` has a symbol other than `u`.
fn fingerprint(named: &Expr) -> Option<[f64; 4]> {
    let at = |u: f64| value_as_written(named, u);
    let h = 1e-4;
    let (f1, fp1) = (
        at(1.0)?,
        (at(1.0 - 2.0 * h)? - 8.0 * at(1.0 - h)? + 8.0 * at(1.0 + h)? - at(1.0 + 2.0 * h)?)
            / (12.0 * h),
    );
    let mut out = [0.0; 4];
    for (o, u) in out.iter_mut().zip(LOOK_POINTS) {
        *o = at(u)? - f1 - fp1 * (u - 1.0);
    }
    Some(out)
}

/// Whether a canonical member with values `ours` at [`LOOK_POINTS`] and a named one with values
/// `theirs` there (their [`fingerprint`]s) have a constant positive ratio: a filter before the
/// symbolic proof, never a verdict.
fn plausible(ours: &[f64; 4], theirs: &[f64; 4]) -> bool {
    let mut ratio: Option<f64> = None;
    for (o, n) in ours.iter().zip(theirs) {
        let r = o / n;
        if !r.is_finite() || r <= 0.0 {
            return false;
        }
        match ratio {
            None => ratio = Some(r),
            Some(r0) if (r - r0).abs() <= 1e-5 * r0 => {}
            Some(_) => return false,
        }
    }
    true
}

/// The [`fingerprint`] of entry `index` of [`DIVERGENCES`] as written (parsed, not
/// simplified), for an entry without parameters: built on first use, once per process. `None`
/// for an entry with parameters, or where the entry has no fingerprint (it is then looked at
/// per call).
fn prepared(index: usize) -> Option<[f64; 4]> {
    use std::sync::OnceLock;
    static PREPARED: OnceLock<Vec<OnceLock<Option<[f64; 4]>>>> = OnceLock::new();
    let all = PREPARED.get_or_init(|| DIVERGENCES.iter().map(|_| OnceLock::new()).collect());
    *all.get(index)?.get_or_init(|| {
        let d = DIVERGENCES.get(index)?;
        if !d.params.is_empty() {
            return None;
        }
        fingerprint(&parse(d.f).ok()?)
    })
}

/// Exact identification: `canonical(f) = k·canonical(f_named)` with a positive rational `k`,
/// established symbolically (the value of `k` is read at a probe point and then proved);
/// `ours` is `fc` compiled, `nc` the named canonical member.
fn symbolic_scale(
    fc: &Expr,
    ours: &crate::eval::Compiled,
    nc: &Expr,
) -> Result<Option<Expr>, Error> {
    if nc.is_zero() {
        return Ok(None);
    }
    let none = crate::eval::Params::new();
    let (a, b) = (
        ours.eval(2.0),
        crate::eval::compile(nc, DIVERGENCE_VAR, &none)?.eval(2.0),
    );
    if b == 0.0 || !a.is_finite() || !b.is_finite() {
        return Ok(None);
    }
    let Some(k) = rational_guess(a / b) else {
        return Ok(None);
    };
    // The same member: `fc − 1·nc` is zero without the simplifier.
    if k.is_one() && fc == nc {
        return Ok(Some(k));
    }
    let rest = simplify(&(fc.clone() - k.clone() * nc.clone()))?;
    let zero = rest.is_zero()
        || crate::simplify::expand(&rest)
            .map(|e| simplify(&e))
            .transpose()?
            .is_some_and(|e| e.is_zero())
        || crate::analysis::zero::is_rational_zero(&rest);
    Ok(zero.then_some(k))
}

/// The canonical member of entry `index` of [`DIVERGENCES`] with bindings `b`: for an entry
/// without parameters, built once per process.
fn named_canonical(index: usize, b: &Bindings) -> Result<Expr, Error> {
    use std::sync::OnceLock;
    static CANONICAL: OnceLock<Vec<OnceLock<Option<Expr>>>> = OnceLock::new();
    let d = &DIVERGENCES[index];
    if !d.params.is_empty() || b.iter().next().is_some() {
        return canonical(&d.generator(b)?);
    }
    let all = CANONICAL.get_or_init(|| DIVERGENCES.iter().map(|_| OnceLock::new()).collect());
    match all[index].get_or_init(|| canonical(&d.generator(b).ok()?).ok()) {
        Some(nc) => Ok(nc.clone()),
        // Built again, for its error.
        None => canonical(&d.generator(b)?),
    }
}

/// The step of the difference quotient for `f'(1)` in [`numeric_scale`].
const SCALE_STEP: f64 = 1e-4;

/// The index of `u = 1` in [`scale_points`].
const SCALE_POINTS_AT_ONE: usize = 26;

/// The points [`numeric_scale`] needs `f` at: 24 in [1e-3, 1e3], then five around 1.
fn scale_points() -> Vec<f64> {
    let h = SCALE_STEP;
    (0..24)
        .map(|i| 10f64.powf(-3.0 + 6.0 * f64::from(i) / 23.0))
        .chain([1.0 - 2.0 * h, 1.0 - h, 1.0, 1.0 + h, 1.0 + 2.0 * h])
        .collect()
}

/// Numeric identification: `canonical(f)(u) = k·canonical(f_named)(u)` at 24 points in
/// [1e-3, 1e3] to a relative 1e-9, `f` given by its values `fs` at [`scale_points`] (for a
/// numeric generator; computed once for every named divergence, as each value is a
/// quadrature).
fn numeric_scale(us: &[f64], fs: &[f64], nc: &Expr) -> Result<Option<f64>, Error> {
    let program = crate::eval::compile(nc, DIVERGENCE_VAR, &crate::eval::Params::new())?;
    // f's own canonical member needs f(1) and f'(1): f(1) is a value; f'(1) by differences.
    let h = SCALE_STEP;
    let n = 24;
    if fs.len() != us.len() {
        return Err(Error::Input(format!(
            "{} values were given for {} points",
            fs.len(),
            us.len()
        )));
    }
    let f1 = fs[SCALE_POINTS_AT_ONE];
    let fp1 = (fs[n] - 8.0 * fs[n + 1] + 8.0 * fs[n + 3] - fs[n + 4]) / (12.0 * h);
    let mut k: Option<f64> = None;
    for (u, f) in us.iter().zip(fs).take(n) {
        let own = f - f1 - fp1 * (u - 1.0);
        let theirs = program.eval(*u);
        if (u - 1.0).abs() < 0.05 || theirs.abs() < 1e-6 {
            continue;
        }
        let ratio = own / theirs;
        match k {
            None => k = Some(ratio),
            // Relative to the scale alone: a floor would accept any curve at a tiny scale.
            Some(k0) if (ratio - k0).abs() <= 1e-6 * k0.abs() => {}
            Some(_) => return Ok(None),
        }
    }
    Ok(k.filter(|k| *k > 0.0 && k.is_finite()))
}

/// The named divergences `f` equals up to the class and a positive scale: exactly when `f` is
/// a closed form (`Some`), numerically certain otherwise (`values` gives `f` at points).
pub fn identify(f: Option<&Expr>, values: &Values<'_>) -> Result<Vec<Identification>, Error> {
    let mut out = Vec::new();
    // The canonical member of `f` (whose failure is the identification's), compiled when a
    // candidate needs its proof; the cheap look compares the member's fingerprint (the member,
    // not `f`: a large constant or linear part of `f`, removed in floating point, would swamp
    // the curve the look compares), or, where it has none, the member's compiled values.
    let fc = match f {
        Some(f) => Some(canonical(f)?),
        None => None,
    };
    if fc.as_ref().is_some_and(Expr::is_zero) {
        return Ok(out);
    }
    // The member divided by its size `s`, exactly: its scale against a named member is then a
    // ratio of small coefficients whatever the scale the user typed (`1e-9·u·log(u)`), and its
    // values neither underflow nor overflow; each scale found is multiplied by `s` again.
    let size = fc.as_ref().map(scale::magnitude).unwrap_or_else(One::one);
    let fc = fc.map(|fc| scale::divided(&fc, &size));
    let compile_fc =
        |fc: &Expr| crate::eval::compile(fc, DIVERGENCE_VAR, &crate::eval::Params::new());
    let mut ours_compiled: Option<crate::eval::Compiled> = None;
    let look = fc
        .as_ref()
        .and_then(fingerprint)
        .filter(|v| v.iter().all(|x| x.is_finite()));
    let ours = match (&fc, look) {
        (Some(_), Some(look)) => Some(look),
        (Some(fc), None) => {
            let compiled = compile_fc(fc)?;
            let values = LOOK_POINTS.map(|u| compiled.eval(u));
            ours_compiled = Some(compiled);
            Some(values)
        }
        (None, _) => None,
    };
    let us = scale_points();
    let mut fs: Option<Vec<f64>> = None;
    for (index, d) in DIVERGENCES.iter().enumerate() {
        let candidates: Vec<Bindings> = if d.params.is_empty() {
            vec![Bindings::new()]
        } else {
            let mut bs = Vec::new();
            for a in f.map(alpha_candidates).unwrap_or_default() {
                let mut b = Bindings::new();
                b.set(d.params[0].0, a)?;
                bs.push(b);
            }
            bs
        };
        for b in candidates {
            let label = if d.params.is_empty() {
                d.name.to_string()
            } else {
                let (p, v) = b
                    .iter()
                    .next()
                    .map_or(("", String::new()), |(p, v)| (p, crate::print::plain(v)));
                format!("{} with {p} = {v}", d.name)
            };
            match (&fc, &ours) {
                (Some(fc), Some(ours)) => {
                    // A cheap numeric look first (the entry as written, evaluated once per
                    // process); the simplified generators and the symbolic proof only for a
                    // candidate.
                    let theirs = match prepared(index) {
                        Some(p) => p,
                        None => {
                            let (written, defaults) = instantiate(d.f, d.params, &b)?;
                            match fingerprint(&defaults.apply(&written)) {
                                Some(f) => f,
                                None => continue,
                            }
                        }
                    };
                    if !plausible(ours, &theirs) {
                        continue;
                    }
                    if ours_compiled.is_none() {
                        ours_compiled = Some(compile_fc(fc)?);
                    }
                    let Some(ours) = &ours_compiled else { continue };
                    if let Some(k) = symbolic_scale(fc, ours, &named_canonical(index, &b)?)? {
                        let Some(k) = k.as_num().map(|k| Expr::Num(k * &size)) else {
                            continue;
                        };
                        let kf = crate::eval::eval_constant(&k, &crate::eval::Params::new())?;
                        // Positive exactly: the nearest f64 of a tiny scale is `0`.
                        if let (Some(f), true) = (f, k.as_num().is_some_and(Signed::is_positive)) {
                            let (a, af) = offset::exact(f, &k, &d.generator(&b)?)?;
                            out.push(Identification {
                                key: d.key,
                                name: label,
                                scale: kf,
                                exact_scale: Some(k),
                                offset: af,
                                exact_offset: Some(a),
                                method: "exact",
                            });
                        }
                    }
                }
                _ => {
                    if fs.is_none() {
                        fs = Some(values(&us)?);
                    }
                    let fs = fs.as_deref().unwrap_or_default();
                    if let Some(k) = numeric_scale(&us, fs, &named_canonical(index, &b)?)? {
                        // `f(1)` is the value at `u = 1` among the scale's points.
                        let f1 = fs[SCALE_POINTS_AT_ONE];
                        out.push(Identification {
                            key: d.key,
                            name: label,
                            scale: k,
                            exact_scale: None,
                            offset: offset::numeric(f1, k, &d.generator(&b)?)?,
                            exact_offset: None,
                            method: "numeric",
                        });
                    }
                }
            }
        }
    }
    Ok(out)
}

/// The named divergences the generator of `pair` equals (see [`identify`]): exactly for a
/// closed-form generator, from the derived values by quadrature otherwise.
pub fn identify_pair(
    pair: &crate::transform::Correspondence,
) -> Result<Vec<Identification>, Error> {
    // A refused value is NaN, which no scale matches: never a false identification.
    let values = |us: &[f64]| -> Result<Vec<f64>, Error> {
        Ok(pair
            .derived_points(us)?
            .into_iter()
            .map(|p| p.map_or(f64::NAN, |v| v.value))
            .collect())
    };
    identify(pair.divergence.as_ref(), &values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transform::{Residual, from_loss};

    fn no_values(_: &[f64]) -> Result<Vec<f64>, Error> {
        Err(Error::Input("closed form expected".into()))
    }

    #[track_caller]
    fn loss_is(g: &str, expected: &[(&str, f64)]) {
        let pair = from_loss(
            &parse(g).unwrap(),
            Residual::TargetMinusModel,
            &Bindings::new(),
        )
        .unwrap();
        names_are(
            &identify_pair(&pair).unwrap(),
            expected,
            &format!("g = {g}"),
        );
    }

    /// The names and scales (to six decimals) of `ids` are `expected`.
    #[track_caller]
    fn names_are(ids: &[Identification], expected: &[(&str, f64)], what: &str) {
        let got: Vec<(String, f64)> = ids
            .iter()
            .map(|i| (i.name.clone(), (i.scale * 1e6).round() / 1e6))
            .collect();
        let want: Vec<(String, f64)> = expected.iter().map(|(n, k)| (n.to_string(), *k)).collect();
        assert_eq!(got, want, "identification of {what}");
    }

    #[test]
    fn identifies_derived_divergences() {
        loss_is("t^2", &[("KL(pθ‖q)", 2.0)]);
        loss_is("t^2/2", &[("KL(pθ‖q)", 1.0)]);
        loss_is("exp(t) - t - 1", &[("KL(q‖pθ)", 1.0)]);
        loss_is(
            "4*exp(t/2) - 2*t - 4",
            &[
                ("squared Hellinger H²(q, pθ)", 2.0),
                ("α-divergence D_α(q‖pθ) with alpha = 1/2", 1.0),
            ],
        );
        loss_is("exp(t) + exp(-t) - 2", &[]);
        loss_is(
            "exp(-t) + t - 1",
            &[
                ("Neyman χ²(q‖pθ)", 0.5),
                ("α-divergence D_α(q‖pθ) with alpha = -1", 1.0),
            ],
        );
        loss_is(
            "exp(2*t)/2 - t - 1/2",
            &[
                ("Pearson χ²(q‖pθ)", 1.0),
                ("α-divergence D_α(q‖pθ) with alpha = 2", 2.0),
            ],
        );
        loss_is("abs(t)", &[("total variation TV(q, pθ)", 2.0)]);
        loss_is("log(cosh(t))", &[]);
        loss_is("-t^2", &[]);
    }

    #[track_caller]
    fn divergence_is(f: &str, expected: &[(&str, f64)]) {
        let ids = identify(Some(&parse(f).unwrap()), &|_: &[f64]| {
            unreachable!("a closed form is identified without values")
        })
        .unwrap();
        names_are(&ids, expected, &format!("f = {f}"));
    }

    /// The named divergences of `f` with their constants: `(name, scale, offset)`, the scale to
    /// six decimals and the offset to nine; exactly as `exact` (`""` for a numeric one).
    #[track_caller]
    fn offsets_are(f: Option<&str>, values: &Values<'_>, expected: &[(&str, f64, f64, &str)]) {
        let e = f.map(|f| parse(f).unwrap());
        let got: Vec<(String, f64, f64, String)> = identify(e.as_ref(), values)
            .unwrap()
            .into_iter()
            .map(|i| {
                (
                    i.name,
                    (i.scale * 1e6).round() / 1e6,
                    (i.offset * 1e9).round() / 1e9,
                    i.exact_offset
                        .as_ref()
                        .map_or_else(String::new, crate::print::plain),
                )
            })
            .collect();
        let want: Vec<(String, f64, f64, String)> = expected
            .iter()
            .map(|(n, k, a, e)| (n.to_string(), *k, (a * 1e9).round() / 1e9, e.to_string()))
            .collect();
        assert_eq!(got, want, "{f:?}");
    }

    /// `D_f = k·D_named + a`: Jensen–Shannon is the GAN divergence plus `2·log(2)` and the GAN
    /// divergence Jensen–Shannon minus it, exactly and from values alike.
    #[rustfmt::skip]
    #[test]
    fn identifications_carry_their_constant() {
        use std::f64::consts::LN_2;
        let (js, gan) = ("Jensen–Shannon JS(q, pθ)", "GAN divergence D_GAN(q‖pθ)");
        let gan_f = "u*log(u) - (u + 1)*log(u + 1)";
        let js_f = "u*log(u) - (u + 1)*(log(u + 1) - log(2))";
        // JS as values (a numeric generator has f(1) = 0, as the transform gives it).
        let js_values = |us: &[f64]| -> Result<Vec<f64>, Error> {
            Ok(us
                .iter()
                .map(|u| u * u.ln() - (u + 1.0) * ((u + 1.0).ln() - LN_2))
                .collect())
        };
        offsets_are(Some(js_f), &no_values, &[(js, 1.0, 0.0, "0"), (gan, 1.0, 2.0 * LN_2, "2*log(2)")]);
        offsets_are(Some(gan_f), &no_values, &[(js, 1.0, -2.0 * LN_2, "-2*log(2)"), (gan, 1.0, 0.0, "0")]);
        offsets_are(Some("3*u*log(u) - 3*(u + 1)*log(u + 1) + 1"), &no_values, &[ (js, 3.0, 1.0 - 6.0 * LN_2, "1 - 6*log(2)"), (gan, 3.0, 1.0, "1"), ]);
        offsets_are(Some("u*log(u) + 3"), &no_values, &[("KL(q‖pθ)", 1.0, 3.0, "3")]);
        offsets_are(Some("u*log(u) - u + 1"), &no_values, &[("KL(q‖pθ)", 1.0, 0.0, "0")]);
        offsets_are(None, &js_values, &[(js, 1.0, 0.0, ""), (gan, 1.0, 2.0 * LN_2, "")]);
    }

    /// A generator is identified whatever its constant and linear parts (the class), however
    /// large against its curve: the cheap look reads the canonical member, not `f` as given.
    #[test]
    fn identifies_whatever_the_constant_and_linear_parts() {
        let kl = [("KL(q‖pθ)", 1.0)];
        divergence_is("u*log(u)", &kl);
        divergence_is("u*log(u) + 1e7", &kl);
        divergence_is("u*log(u) - 1e12", &kl);
        divergence_is("u*log(u) + 1e8*(u - 1)", &kl);
        divergence_is("u*log(u) + 1e15*u + 3e14", &kl);
        divergence_is("1e-3*u*log(u) + 1e6*(u - 1)", &[("KL(q‖pθ)", 1e-3)]);
    }

    /// The fingerprint of each entry as written agrees with its simplified generator compiled,
    /// and each entry is identified as itself, with scale 1, through the fingerprint filter.
    #[test]
    fn fingerprints_and_self_identification() {
        let none = crate::eval::Params::new();
        for (index, d) in DIVERGENCES.iter().enumerate() {
            let b = Bindings::new();
            let generator = d.generator(&b).unwrap();
            let compiled = crate::eval::compile(&canonical(&generator).unwrap(), "u", &none);
            let theirs = match prepared(index) {
                Some(p) => p,
                None => {
                    let (written, defaults) = instantiate(d.f, d.params, &b).unwrap();
                    fingerprint(&defaults.apply(&written)).unwrap()
                }
            };
            for (u, v) in LOOK_POINTS.iter().zip(theirs) {
                let exact = compiled.as_ref().unwrap().eval(*u);
                assert!(
                    (v - exact).abs() <= 1e-9 * exact.abs(),
                    "{}: {v} vs {exact} at {u}",
                    d.key
                );
            }
            let ids = identify(Some(&generator), &no_values).unwrap();
            assert!(
                ids.iter().any(|i| i.key == d.key && i.scale == 1.0),
                "{}: {ids:?}",
                d.key
            );
        }
    }

    /// `(key, exact scale as printed)` of each identification of `f` (a closed form).
    #[track_caller]
    fn scaled_is(f: &str, expected: &[(&str, &str)]) {
        let ids = identify(Some(&parse(f).unwrap()), &no_values).unwrap();
        let got: Vec<(&str, String)> = ids
            .iter()
            .map(|i| (i.key, crate::print::plain(i.exact_scale.as_ref().unwrap())))
            .collect();
        let want: Vec<(&str, String)> = expected.iter().map(|(k, s)| (*k, s.to_string())).collect();
        assert_eq!(got, want, "identification of f = {f}");
        for i in &ids {
            let exact = crate::eval::eval_constant(
                i.exact_scale.as_ref().unwrap(),
                &crate::eval::Params::new(),
            )
            .unwrap();
            assert_eq!(i.scale.to_bits(), exact.to_bits(), "{f}: {i:?}");
        }
    }

    /// Any positive rational scale is found and kept exact, from a scale far below the smallest
    /// normal `f64` to one far above the largest; a negative scale is no divergence (a concave
    /// generator), and a sum of two scaled divergences is neither.
    #[test]
    fn identifies_any_positive_rational_scale() {
        fn kl(s: &str) -> [(&'static str, &str); 1] {
            [("kl", s)]
        }
        scaled_is("u*log(u)", &kl("1"));
        scaled_is("3/7*u*log(u)", &kl("3/7"));
        scaled_is("1e-9*u*log(u)", &kl("1/1000000000"));
        scaled_is("1e-5*u*log(u) + 7", &kl("1/100000"));
        scaled_is("1e12*u*log(u)", &kl("1000000000000"));
        scaled_is("2.5e-15*u*log(u)", &kl("1/400000000000000"));
        scaled_is("12345/67891*u*log(u) - 2*u", &kl("12345/67891"));
        scaled_is("1e-300*u*log(u)", &kl(&format!("1/1{}", "0".repeat(300))));
        scaled_is("1e-320*u*log(u)", &kl(&format!("1/1{}", "0".repeat(320))));
        scaled_is("1e-400*u*log(u)", &kl(&format!("1/1{}", "0".repeat(400))));
        scaled_is("1e300*u*log(u)", &kl(&format!("1{}", "0".repeat(300))));
        scaled_is("1e400*u*log(u)", &kl(&format!("1{}", "0".repeat(400))));
        scaled_is("1e-9*(u - 1)^2", &[("pearson", "1/1000000000")]);
        scaled_is(
            "1e-9*(sqrt(u) - 1)^2",
            &[("hellinger", "1/1000000000"), ("alpha", "1/2000000000")],
        );
        scaled_is("1e-9*abs(u - 1)", &[("tv", "1/500000000")]);
        scaled_is("-1e-9*log(u)", &[("reverse-kl", "1/1000000000")]);
        scaled_is("-1e-9*u*log(u)", &[]);
        scaled_is("-3/7*u*log(u)", &[]);
        scaled_is("-1e300*(u - 1)^2", &[]);
        scaled_is("1e-9*u*log(u) + 1e-12*(u - 1)^2", &[]);
        scaled_is("1e-9*u*log(u) - 1e-12*log(u)", &[]);
    }

    /// The same for the generator derived from a scaled loss.
    #[test]
    fn identifies_derived_divergences_at_any_scale() {
        for (g, key, scale) in [
            ("1e-9*t^2", "reverse-kl", "1/500000000"),
            ("3/7*t^2", "reverse-kl", "6/7"),
            ("1e12*t^2", "reverse-kl", "2000000000000"),
            ("1e-12*(exp(t) - t - 1)", "kl", "1/1000000000000"),
            ("2.5e-15*abs(t)", "tv", "1/200000000000000"),
        ] {
            let pair = from_loss(
                &parse(g).unwrap(),
                Residual::TargetMinusModel,
                &Bindings::new(),
            )
            .unwrap();
            let ids = identify_pair(&pair).unwrap();
            let got: Vec<(&str, String)> = ids
                .iter()
                .map(|i| (i.key, crate::print::plain(i.exact_scale.as_ref().unwrap())))
                .collect();
            assert_eq!(got, [(key, scale.to_string())], "identification of g = {g}");
        }
        loss_is("-1e-9*t^2", &[]);
    }

    /// A generator known by values is identified at a tiny scale, and a curve a relative `1e-4`
    /// away from the named one is not, however small the scale.
    #[test]
    fn numeric_identification_is_relative_to_the_scale() {
        let values = |k: f64, wobble: f64| {
            move |us: &[f64]| -> Result<Vec<f64>, Error> {
                Ok(us
                    .iter()
                    .map(|u| k * u * u.ln() * (1.0 + wobble * (u.ln() * 3.0).sin()))
                    .collect())
            }
        };
        for k in [1.0, 1e-9, 1e-15, 1e-250] {
            let ids = identify(None, &values(k, 0.0)).unwrap();
            assert_eq!(ids.len(), 1, "{k}: {ids:?}");
            assert_eq!(ids[0].key, "kl");
            assert!((ids[0].scale / k - 1.0).abs() < 1e-6, "{k}: {ids:?}");
            let ids = identify(None, &values(k, 1e-4)).unwrap();
            assert_eq!(ids, [], "{k} with a wobble");
        }
    }

    #[test]
    fn named_entries_parse() {
        for d in DIVERGENCES {
            d.generator(&Bindings::new())
                .unwrap_or_else(|e| panic!("{}: {e}", d.key));
        }
        for l in LOSSES {
            l.loss(&Bindings::new())
                .unwrap_or_else(|e| panic!("{}: {e}", l.key));
        }
        assert!(DIVERGENCES.len() >= 12);
        let _ = no_values;
    }
}

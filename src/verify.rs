//! Checking a loss written as code: the user's function, not an expression, against a claimed
//! divergence.
//!
//! Only the weight `g′` matters to the gradient (`∇θ E_pθ[g(t)] = E_pθ[g′(t)·∇θ t]` with the
//! sampling held fixed), and a loss trains `k·D_f` for `k > 0` exactly when
//! `g′(t) = k·(u f′(u) − f(u)) + c` with `u = e^t` (the class adds the constant `c`). So the
//! check estimates `g′` on a grid of residuals (Richardson-extrapolated central differences
//! when no derivative is given, with their own error estimate), fits `k` and `c` by least
//! squares against the claimed generator's weight, and judges the fit's worst error relative
//! to the spread of `g′`. The error of the finite differences makes the verdict noise-aware.

use crate::Error;
use crate::check::Verdict;
use crate::expr::{DIVERGENCE_VAR, Expr, LOSS_VAR};
use crate::facade::Options;
use crate::transform::{Bindings, Residual};

/// The residuals `t = log q − log pθ` at which `g′` is compared: `−3, −2.85, …, 3`.
pub fn grid() -> Vec<f64> {
    (0..=40).map(|i| -3.0 + 0.15 * f64::from(i)).collect()
}

/// The largest worst-case error of the fit, relative to the spread of `g′`, that confirms a
/// claim.
pub const HOLDS_BELOW: f64 = 1e-6;

/// The largest relative fit error at which a catalog entry counts as what the loss trains.
pub const MATCHES_BELOW: f64 = 1e-4;

/// The first step of the central differences: `1/16`, exact in binary.
const STEP: f64 = 0.0625;

/// A named divergence that a loss trains, with its scale.
#[derive(Clone, Debug, PartialEq)]
pub struct Match {
    /// The catalog key, e.g. `neyman`.
    pub key: &'static str,
    /// The divergence with its arguments, e.g. `Neyman χ²(q‖pθ)`.
    pub name: String,
    /// The parameter values of the entry, `NAME=VALUE` (the α of the α-divergence).
    pub params: Vec<String>,
    /// The positive scale `k`: the loss trains `k·D_f`.
    pub scale: f64,
    /// The fit's worst error relative to the spread of `g′`.
    pub max_rel_error: f64,
}

/// The verdict on a loss given as a function.
#[derive(Clone, Debug, PartialEq)]
pub struct Verification {
    /// Whether the loss trains a positive multiple of the claimed divergence.
    pub holds: bool,
    /// `holds`, `fails`, or `inconclusive` when the fit error is within the error of the
    /// finite differences.
    pub verdict: Verdict,
    /// The fitted scale `k` in `g′ ≈ k·g′_claimed + c` (the claim needs `k > 0`).
    pub scale: f64,
    /// The fitted constant `c`: the loss trains `k·F + c·(u − 1)`, the same divergence.
    pub shift: f64,
    /// The fit's worst error relative to the spread of `g′` over the grid.
    pub max_rel_error: f64,
    /// The largest error of the estimated `g′` on the same scale (0 when the derivative was
    /// given).
    pub max_rel_noise: f64,
    /// The catalog entry fitting the loss best, when it fits within [`MATCHES_BELOW`].
    pub trains: Option<Match>,
    /// The residuals `t = log q − log pθ` of the comparison ([`grid`]).
    pub points: Vec<f64>,
}

/// Decide whether `loss`, a function of the residual of `options.residual`, trains the
/// divergence `claimed` (an expression in `u` or a catalog name) up to the class and a positive
/// scale. `g′` is estimated by finite differences.
///
/// ```
/// use fcorr::{Options, Residual, verify_fn};
/// let linex = |t: f64| t.exp() - t - 1.0;
/// assert!(verify_fn(linex, "kl", &Options::default())?.holds);
/// // The same code on the model-minus-target residual: the sign trap.
/// let tb = Options::default().residual(Residual::ModelMinusTarget);
/// let v = verify_fn(linex, "kl", &tb)?;
/// assert!(!v.holds);
/// let trains = v.trains.unwrap();
/// assert_eq!(trains.key, "neyman");
/// assert!((trains.scale - 0.5).abs() < 1e-6);
/// # Ok::<(), fcorr::Error>(())
/// ```
pub fn verify_fn(
    loss: impl Fn(f64) -> f64,
    claimed: &str,
    options: &Options,
) -> Result<Verification, Error> {
    verify_batch(
        |xs: &[f64]| Ok(xs.iter().map(|x| loss(*x)).collect()),
        false,
        claimed,
        options,
    )
}

/// [`verify_fn`] with the loss's derivative `G′` (on the residual of `options.residual`)
/// instead of the loss: no finite differences.
///
/// ```
/// let weight = |t: f64| t; // the derivative of t²/2
/// let v = fcorr::verify_derivative(weight, "reverse-kl", &fcorr::Options::default())?;
/// assert!(v.holds && (v.scale - 1.0).abs() < 1e-12);
/// # Ok::<(), fcorr::Error>(())
/// ```
pub fn verify_derivative(
    derivative: impl Fn(f64) -> f64,
    claimed: &str,
    options: &Options,
) -> Result<Verification, Error> {
    verify_batch(
        |xs: &[f64]| Ok(xs.iter().map(|x| derivative(*x)).collect()),
        true,
        claimed,
        options,
    )
}

/// The engine of [`verify_fn`] and [`verify_derivative`] for a function that maps a batch of
/// residuals to a batch of values (a vectorised function, as from Python): `is_derivative`
/// says whether it gives `G′` or `G`.
pub fn verify_batch(
    mut function: impl FnMut(&[f64]) -> Result<Vec<f64>, Error>,
    is_derivative: bool,
    claimed: &str,
    options: &Options,
) -> Result<Verification, Error> {
    let weight = claimed_weight(claimed, options)?;
    let ts = grid();
    let (gp, err) = estimate(&mut function, is_derivative, options.residual, &ts)?;
    let claimed_gp = weight(&ts)?;
    let fit = fit(&claimed_gp, &gp);
    let spread = spread(&gp);
    let max_rel_noise = if spread > 0.0 {
        err.iter().fold(0.0_f64, |m, e| m.max(*e)) / spread
    } else {
        0.0
    };
    let verdict = if fit.scale.is_nan() || fit.scale <= 0.0 || spread == 0.0 {
        Verdict::Fails
    } else if fit.rel <= HOLDS_BELOW && max_rel_noise <= HOLDS_BELOW {
        Verdict::Holds
    } else if fit.rel > HOLDS_BELOW.max(crate::check::NOISE_MARGIN * max_rel_noise) {
        Verdict::Fails
    } else {
        Verdict::Inconclusive
    };
    Ok(Verification {
        holds: verdict == Verdict::Holds,
        verdict,
        scale: fit.scale,
        shift: fit.shift,
        max_rel_error: fit.rel,
        max_rel_noise,
        trains: best_match(&ts, &gp)?,
        points: ts,
    })
}

type Weight = Box<dyn Fn(&[f64]) -> Result<Vec<f64>, Error>>;

/// The claimed generator's weight `t ↦ u f′(u) − f(u)`, `u = e^t`, parameters bound.
fn claimed_weight(claimed: &str, options: &Options) -> Result<Weight, Error> {
    let subject = crate::params::Subject::divergence(claimed)?;
    let resolved = crate::params::bind(&subject, &[LOSS_VAR, DIVERGENCE_VAR], &options.params)?;
    weight_of(&resolved.bindings.apply(&subject.expr))
}

fn weight_of(f: &Expr) -> Result<Weight, Error> {
    let f = crate::simplify::simplify(f)?;
    if let Some(s) = f.symbols().into_iter().find(|s| &**s != DIVERGENCE_VAR) {
        return Err(Error::UnknownParameter(format!(
            "the claimed generator must be written in `u`; `{s}` has no value"
        )));
    }
    let fp = crate::diff::diff(&f, DIVERGENCE_VAR)?;
    let none = crate::eval::Params::new();
    let f = crate::eval::compile(&f, DIVERGENCE_VAR, &none)?;
    let fp = crate::eval::compile(&fp, DIVERGENCE_VAR, &none)?;
    Ok(Box::new(move |ts: &[f64]| {
        let w: Vec<f64> = ts
            .iter()
            .map(|t| {
                let u = t.exp();
                u * fp.eval(u) - f.eval(u)
            })
            .collect();
        match ts.iter().zip(&w).find(|(_, w)| !w.is_finite()) {
            Some((t, _)) => Err(Error::OutOfDomain(format!(
                "the claimed generator's weight u·f′(u) − f(u) is not finite at u = e^{t}"
            ))),
            None => Ok(w),
        }
    }))
}

/// `g′(t)` on `t = log q − log pθ` at `ts`, and the error of each value.
fn estimate(
    function: &mut impl FnMut(&[f64]) -> Result<Vec<f64>, Error>,
    is_derivative: bool,
    residual: Residual,
    ts: &[f64],
) -> Result<(Vec<f64>, Vec<f64>), Error> {
    // On the model-minus-target residual the user's G(r) is g(t) = G(−t): g′(t) = −G′(−t).
    let sign = match residual {
        Residual::TargetMinusModel => 1.0,
        Residual::ModelMinusTarget => -1.0,
    };
    let mut call = |xs: &[f64]| -> Result<Vec<f64>, Error> {
        let rs: Vec<f64> = xs.iter().map(|t| sign * t).collect();
        let ys = function(&rs)?;
        if ys.len() != rs.len() {
            return Err(Error::Input(format!(
                "the loss gave {} values for {} residuals",
                ys.len(),
                rs.len()
            )));
        }
        if let Some((r, y)) = rs.iter().zip(&ys).find(|(_, y)| !y.is_finite()) {
            return Err(Error::OutOfDomain(format!(
                "the loss is not a finite number at residual {r}: got {y}"
            )));
        }
        Ok(ys)
    };
    if is_derivative {
        let gp = call(ts)?.into_iter().map(|y| sign * y).collect();
        return Ok((gp, vec![0.0; ts.len()]));
    }
    // Central differences at steps h, h/2, h/4 of t ↦ G(sign·t), which is g itself, Richardson-
    // extrapolated twice (error O(h⁶)).
    let mut xs = Vec::with_capacity(7 * ts.len());
    for t in ts {
        xs.push(*t);
        for k in 0..3 {
            let h = STEP / f64::from(1 << k);
            xs.push(t + h);
            xs.push(t - h);
        }
    }
    let ys = call(&xs)?;
    let mut gp = Vec::with_capacity(ts.len());
    let mut err = Vec::with_capacity(ts.len());
    for row in ys.chunks(7) {
        let d = |k: usize| (row[1 + 2 * k] - row[2 + 2 * k]) / (2.0 * STEP / f64::from(1 << k));
        let (d1, d2, d3) = (d(0), d(1), d(2));
        let (r1, r2) = ((4.0 * d2 - d1) / 3.0, (4.0 * d3 - d2) / 3.0);
        let r = (16.0 * r2 - r1) / 15.0;
        let scale = row.iter().fold(0.0_f64, |m, y| m.max(y.abs()));
        let rounding = 8.0 * f64::EPSILON * scale / (STEP / 4.0);
        gp.push(r);
        err.push((r - r2).abs() + rounding);
    }
    Ok((gp, err))
}

struct Fit {
    scale: f64,
    shift: f64,
    rel: f64,
}

/// The least-squares `y ≈ k·x + c` and its worst error relative to the spread of `y`.
fn fit(x: &[f64], y: &[f64]) -> Fit {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let sxx: f64 = x.iter().map(|a| (a - mx) * (a - mx)).sum();
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let scale = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    let shift = my - scale * mx;
    let worst = x
        .iter()
        .zip(y)
        .fold(0.0_f64, |m, (a, b)| m.max((b - scale * a - shift).abs()));
    let spread = spread(y);
    let rel = if spread > 0.0 {
        worst / spread
    } else {
        f64::INFINITY
    };
    Fit { scale, shift, rel }
}

/// `max |y − mean(y)|`: the size of the part of `g′` the class does not remove.
fn spread(y: &[f64]) -> f64 {
    let m = y.iter().sum::<f64>() / y.len() as f64;
    y.iter().fold(0.0_f64, |a, b| a.max((b - m).abs()))
}

/// The values of α tried for the α-divergence.
const ALPHAS: [&str; 8] = ["-2", "-1", "-1/2", "1/4", "1/2", "3/4", "2", "3"];

/// The catalog entry whose weight fits `gp` best with a positive scale, if within
/// [`MATCHES_BELOW`].
fn best_match(ts: &[f64], gp: &[f64]) -> Result<Option<Match>, Error> {
    let mut best: Option<Match> = None;
    for d in crate::catalog::DIVERGENCES {
        let choices: Vec<Vec<String>> = match d.params {
            [] => vec![vec![]],
            [("alpha", _)] => ALPHAS.iter().map(|a| vec![format!("alpha={a}")]).collect(),
            ps => vec![ps.iter().map(|(n, v)| format!("{n}={v}")).collect()],
        };
        for params in choices {
            let mut b = Bindings::new();
            for p in &params {
                b.set_from_str(p)?;
            }
            let Ok(f) = d.generator(&b) else { continue };
            let Ok(w) = weight_of(&f).and_then(|w| w(ts)) else {
                continue;
            };
            let fit = fit(&w, gp);
            let better = best.as_ref().is_none_or(|m| fit.rel < m.max_rel_error);
            if fit.scale > 0.0 && fit.rel <= MATCHES_BELOW && better {
                best = Some(Match {
                    key: d.key,
                    name: d.name.to_string(),
                    params,
                    scale: fit.scale,
                    max_rel_error: fit.rel,
                });
            }
        }
    }
    Ok(best)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[track_caller]
    fn verifies(g: fn(f64) -> f64, claimed: &str, residual: Residual, verdict: Verdict, k: f64) {
        let v = verify_fn(g, claimed, &Options::default().residual(residual)).unwrap();
        assert_eq!(v.verdict, verdict, "{v:?}");
        if verdict == Verdict::Holds {
            assert!((v.scale - k).abs() <= 1e-7 * k, "{v:?}");
        } else {
            assert!(v.scale <= 0.0 || v.max_rel_error > 0.1, "{v:?}");
        }
    }

    #[track_caller]
    fn trains(g: fn(f64) -> f64, residual: Residual, key: &str, params: &[&str], k: f64) {
        let v = verify_fn(g, "kl", &Options::default().residual(residual)).unwrap();
        let m = v.trains.expect("a catalog match");
        assert_eq!(
            (
                m.key,
                m.params.iter().map(String::as_str).collect::<Vec<_>>()
            ),
            (key, params.to_vec())
        );
        assert!((m.scale - k).abs() <= 1e-7 * k, "{m:?}");
    }

    const TM: Residual = Residual::TargetMinusModel;
    const MT: Residual = Residual::ModelMinusTarget;

    #[test]
    fn verdicts_and_scales() {
        verifies(|t| t * t, "reverse-kl", TM, Verdict::Holds, 2.0);
        verifies(|r| r * r, "reverse-kl", MT, Verdict::Holds, 2.0);
        verifies(|t| t.exp() - t - 1.0, "kl", TM, Verdict::Holds, 1.0);
        verifies(|t| t.exp() - 1.0, "u*log(u)", TM, Verdict::Holds, 1.0);
        verifies(|r| r.exp() - r - 1.0, "kl", MT, Verdict::Fails, 0.0);
        verifies(|r| r.exp() - r - 1.0, "neyman", MT, Verdict::Holds, 0.5);
        verifies(
            |t| 4.0 * (t / 2.0).exp() - 2.0 * t - 4.0,
            "hellinger",
            TM,
            Verdict::Holds,
            2.0,
        );
        verifies(|t| -t * t, "reverse-kl", TM, Verdict::Fails, 0.0);
        verifies(|t| t.cosh().ln(), "kl", TM, Verdict::Fails, 0.0);
    }

    #[test]
    fn a_small_departure_is_seen() {
        let close = |t: f64| t.exp() - t - 1.0 + 1e-4 * t * t * t;
        let v = verify_fn(close, "kl", &Options::default()).unwrap();
        assert_eq!(v.verdict, Verdict::Fails, "{v:?}");
        assert!(
            v.max_rel_error > HOLDS_BELOW && v.max_rel_error < 1e-2,
            "{v:?}"
        );
    }

    #[test]
    fn catalog_matches() {
        trains(|t| t * t / 2.0, TM, "reverse-kl", &[], 1.0);
        trains(|r| r.exp() - r - 1.0, MT, "neyman", &[], 0.5);
        trains(
            |t| (3.0 * t).exp() / 9.0 - t / 3.0,
            TM,
            "alpha",
            &["alpha=3"],
            1.0,
        );
    }

    #[test]
    fn the_derivative_replaces_finite_differences() {
        let v = verify_derivative(|t: f64| t.exp() - 1.0, "kl", &Options::default()).unwrap();
        assert!(
            v.holds && v.max_rel_noise == 0.0 && v.max_rel_error < 1e-12,
            "{v:?}"
        );
        let tb = Options::default().residual(MT);
        let v = verify_derivative(|r: f64| 2.0 * r, "reverse-kl", &tb).unwrap();
        assert!(v.holds && (v.scale - 2.0).abs() < 1e-12, "{v:?}");
    }

    #[test]
    fn refusals_are_typed() {
        let kind = |g: fn(f64) -> f64, claimed: &str| {
            verify_fn(g, claimed, &Options::default())
                .unwrap_err()
                .kind()
        };
        assert_eq!(kind(|t| t.ln(), "kl"), ErrorKind::OutOfDomain);
        assert_eq!(kind(|t| t * t, "u*log("), ErrorKind::Parse);
        assert_eq!(kind(|t| t * t, "u^b"), ErrorKind::UnknownParameter);
        let wrong_length = verify_batch(|_| Ok(vec![1.0]), false, "kl", &Options::default());
        assert_eq!(wrong_length.unwrap_err().kind(), ErrorKind::Input);
    }
}

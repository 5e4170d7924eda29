//! The numbers behind a figure: each function of a pair sampled on a fixed grid.
//!
//! Closed forms are compiled and evaluated; a numeric side comes from
//! [`Correspondence::derived_values`] (quadrature), and its derivative from the identities
//! `f'(u) = (f(u) + g'(ln u))/u` and `g'(t) = e^t f'(e^t) − f(e^t)`. A point that cannot be
//! computed, or is not finite, is left out (`None`), never replaced by a nearby value.

use crate::Expr;
use crate::eval::{Params, compile};
use crate::expr::{DIVERGENCE_VAR, LOSS_VAR};
use crate::transform::Correspondence;

/// The smallest `u` of the `f` panels.
pub const U_MIN: f64 = 1e-2;
/// The largest `u` of the `f` panels.
pub const U_MAX: f64 = 1e2;
/// The smallest `t` of the `g` panels.
pub const T_MIN: f64 = -4.0;
/// The largest `t` of the `g` panels.
pub const T_MAX: f64 = 4.0;
/// Points per curve.
pub const POINTS: usize = 200;

/// `n` log-spaced points from `a` to `b` (both > 0), ends exact.
pub fn log_grid(a: f64, b: f64, n: usize) -> Vec<f64> {
    let (la, lb) = (a.ln(), b.ln());
    (0..n)
        .map(|i| match i {
            0 => a,
            _ if i + 1 == n => b,
            _ => (la + (lb - la) * i as f64 / (n - 1) as f64).exp(),
        })
        .collect()
}

/// `n` evenly spaced points from `a` to `b`, ends exact.
pub fn linear_grid(a: f64, b: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| match i {
            _ if i + 1 == n => b,
            _ => a + (b - a) * i as f64 / (n - 1) as f64,
        })
        .collect()
}

/// The four sampled functions of one pair, each `None` where it is unknown.
pub struct Sampled {
    /// `f(u)` on the `u` grid.
    pub f: Vec<Option<f64>>,
    /// `f'(u)` on the `u` grid.
    pub fp: Vec<Option<f64>>,
    /// `g(t)` on the `t` grid.
    pub g: Vec<Option<f64>>,
    /// `g'(t)` on the `t` grid.
    pub gp: Vec<Option<f64>>,
}

/// Sample `f`, `f'` on `us` and `g`, `g'` on `ts`.
pub fn sample(pair: &Correspondence, us: &[f64], ts: &[f64]) -> Sampled {
    let f = function(pair, pair.divergence.as_ref(), DIVERGENCE_VAR, us);
    let g = function(pair, pair.loss.as_ref(), LOSS_VAR, ts);
    let fp = match closed(pair.divergence_derivative.as_ref(), DIVERGENCE_VAR, us) {
        Some(v) => v,
        None => {
            // f'(u) = (f(u) + g'(ln u))/u
            let lns: Vec<f64> = us.iter().map(|u| u.ln()).collect();
            let gp_ln = closed(pair.loss_derivative.as_ref(), LOSS_VAR, &lns)
                .unwrap_or_else(|| vec![None; us.len()]);
            us.iter()
                .zip(f.iter().zip(&gp_ln))
                .map(|(u, (fu, gpu))| finite((fu.as_ref()? + gpu.as_ref()?) / u))
                .collect()
        }
    };
    let gp = match closed(pair.loss_derivative.as_ref(), LOSS_VAR, ts) {
        Some(v) => v,
        None => {
            // g'(t) = e^t f'(e^t) − f(e^t)
            let es: Vec<f64> = ts.iter().map(|t| t.exp()).collect();
            let f_e = closed(pair.divergence.as_ref(), DIVERGENCE_VAR, &es)
                .unwrap_or_else(|| vec![None; ts.len()]);
            let fp_e = closed(pair.divergence_derivative.as_ref(), DIVERGENCE_VAR, &es)
                .unwrap_or_else(|| vec![None; ts.len()]);
            es.iter()
                .zip(f_e.iter().zip(&fp_e))
                .map(|(e, (fe, fpe))| finite(e * fpe.as_ref()? - fe.as_ref()?))
                .collect()
        }
    };
    Sampled { f, fp, g, gp }
}

/// A side of the pair: its closed form, or the derived side by quadrature.
fn function(pair: &Correspondence, e: Option<&Expr>, var: &str, xs: &[f64]) -> Vec<Option<f64>> {
    if let Some(v) = closed(e, var, xs) {
        return v;
    }
    match pair.derived_values(xs) {
        Ok(values) => values.iter().map(|v| finite(v.value)).collect(),
        // One bad point must not cost the whole curve: retry point by point.
        Err(_) => xs
            .iter()
            .map(|&x| {
                pair.derived_values(&[x])
                    .ok()
                    .and_then(|v| v.first().and_then(|v| finite(v.value)))
            })
            .collect(),
    }
}

/// A closed form evaluated at `xs`, or `None` when there is none (or it cannot be compiled).
fn closed(e: Option<&Expr>, var: &str, xs: &[f64]) -> Option<Vec<Option<f64>>> {
    let program = compile(e?, var, &Params::new()).ok()?;
    Some(xs.iter().map(|&x| finite(program.eval(x))).collect())
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// The canonical member of the pair's class, `f − f'(1)·(u − 1) ↔ g − g'(0)·t`, from its
/// samples: `c = f'(1) = g'(0)` is taken from `f'` at `u = 1` (or `g'` at `t = 0` when `f'` is
/// unknown there); without it every value is left out rather than drawn unshifted.
pub fn canonical(pair: &Correspondence, s: Sampled, us: &[f64], ts: &[f64]) -> Sampled {
    let at = sample(pair, &[1.0], &[0.0]);
    let c = at.fp[0].or(at.gp[0]);
    let shift = |values: Vec<Option<f64>>, xs: &[f64], slope: fn(f64) -> f64| {
        values
            .into_iter()
            .zip(xs)
            .map(|(v, &x)| Some(v? - c? * slope(x)))
            .collect()
    };
    Sampled {
        f: shift(s.f, us, |u| u - 1.0),
        fp: shift(s.fp, us, |_| 1.0),
        g: shift(s.g, ts, |t| t),
        gp: shift(s.gp, ts, |_| 1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grids_hit_their_ends() {
        let g = log_grid(1e-2, 1e2, 5);
        assert_eq!(g[0], 1e-2);
        assert_eq!(g[4], 1e2);
        assert!((g[2] - 1.0).abs() < 1e-12);
        assert_eq!(linear_grid(-4.0, 4.0, 3), vec![-4.0, 0.0, 4.0]);
    }
}

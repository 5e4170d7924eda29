//! Long inputs with numeric generators: `Σ_{k=1}^{999} log(k + t^2)` and
//! `Σ_{k=1}^{999} exp(k·t/1000)`, whose integrands have 999 terms. Their rounding bound and the
//! size of their terms are computed in one pass; the values and their error estimates are
//! checked here against references computed independently (the outcome, never the time).

use fcorr::parse::parse;
use fcorr::transform::{Bindings, Correspondence, Residual, from_loss};

/// `Σ_{k=1}^{n} f(k)` written out.
fn written_out(n: usize, f: impl Fn(usize) -> String) -> String {
    (1..=n).map(f).collect::<Vec<_>>().join(" + ")
}

fn pair(loss: &str) -> Correspondence {
    let g = parse(loss).unwrap();
    from_loss(&g, Residual::TargetMinusModel, &Bindings::new()).unwrap()
}

/// The nodes and weights of the `n`-point Gauss–Legendre rule on `[-1, 1]` (Newton's method on
/// the Legendre polynomial from the Chebyshev guess).
fn gauss_legendre(n: usize) -> Vec<(f64, f64)> {
    (1..=n)
        .map(|i| {
            let mut x = (std::f64::consts::PI * (i as f64 - 0.25) / (n as f64 + 0.5)).cos();
            let mut dp = 0.0;
            for _ in 0..100 {
                let (mut p0, mut p1) = (1.0, x);
                for k in 2..=n {
                    let k = k as f64;
                    (p0, p1) = (p1, ((2.0 * k - 1.0) * x * p1 - (k - 1.0) * p0) / k);
                }
                dp = n as f64 * (x * p1 - p0) / (x * x - 1.0);
                let dx = p1 / dp;
                x -= dx;
                if dx.abs() < 1e-16 {
                    break;
                }
            }
            (x, 2.0 / ((1.0 - x * x) * dp * dp))
        })
        .collect()
}

/// `∫_0^T h` by the 20-point Gauss–Legendre rule on panels at most `1/16` wide: for `h`
/// analytic within a unit of the real line, far below a unit in the last place.
fn integral(h: impl Fn(f64) -> f64, end: f64) -> f64 {
    let rule = gauss_legendre(20);
    let panels = (end.abs() * 16.0).ceil().max(1.0) as usize;
    let width = end / panels as f64;
    (0..panels)
        .map(|p| {
            let mid = (p as f64 + 0.5) * width;
            rule.iter()
                .map(|(x, w)| w * h(mid + 0.5 * width * x))
                .sum::<f64>()
                * 0.5
                * width
        })
        .sum()
}

/// Checks every value of `pair` at `us` against `reference(u)`: within the error it states
/// (with a few ulps of the reference's own rounding), and the error within the tolerance of
/// the report.
#[track_caller]
fn honest(pair: &Correspondence, us: &[f64], reference: impl Fn(f64) -> f64) {
    let points = pair.derived_points(us).unwrap();
    for (p, &u) in points.iter().zip(us) {
        let v = p.as_ref().unwrap_or_else(|r| panic!("{u}: {r:?}"));
        let error = v.error.expect("a numeric value has an error estimate");
        let want = reference(u);
        let off = (v.value - want).abs();
        assert!(
            off <= error + 1e-14 * want.abs(),
            "at u = {u}: {} against {want}, off by {off:e}, stated error {error:e}",
            v.value
        );
        assert!(
            error <= 1e-10 * v.value.abs().max(1e-2),
            "at u = {u}: {error:e}"
        );
    }
}

const US: [f64; 8] = [0.05, 0.3, 0.9, 0.999, 1.001, 1.5, 7.0, 20.0];

#[test]
fn the_999_term_sum_of_logarithms_has_honest_values() {
    let p = pair(&written_out(999, |k| format!("log({k} + t^2)")));
    assert!(!p.closed_form());
    // `f(u) = u ∫_0^{ln u} Σ_k 2τ/(k + τ²) e^{−τ} dτ`
    let g_prime = |t: f64| (1..=999).map(|k| 2.0 * t / (k as f64 + t * t)).sum::<f64>();
    honest(&p, &US, |u| {
        u * integral(|t| g_prime(t) * (-t).exp(), u.ln())
    });
}

#[test]
fn the_999_term_sum_of_exponentials_has_honest_values() {
    let p = pair(&written_out(999, |k| format!("exp({k}*t/1000)")));
    assert!(!p.closed_form());
    // `f(u) = u Σ_k c_k (e^{(c_k − 1) ln u} − 1)/(c_k − 1)`, `c_k = k/1000`
    honest(&p, &US, |u| {
        u * (1..=999)
            .map(|k| {
                let c = k as f64 / 1000.0;
                c * ((c - 1.0) * u.ln()).exp_m1() / (c - 1.0)
            })
            .sum::<f64>()
    });
}

//! `cargo bench --bench transform`: the numeric loss → divergence transform of `log(cosh(t))`
//! at 1,000 log-spaced ratios in `[1e-3, 1e3]`, in process. Its accuracy (relative error
//! `≤ 1e-10` at every point) is asserted by a unit test in `src/integrate/numeric`. Also the
//! closed forms of the same transform by the integration table (`f(u) = 2u·atan(u) − πu/2 − u + 1`),
//! for comparison with a computer algebra system's time for the same integral.

use fcorr::eval::{Compiled, Params, compile};
use fcorr::integrate::numeric::divergence_values;
use fcorr::integrate::quad::Tolerance;

fn main() {
    divan::main();
}

fn ratios() -> Vec<f64> {
    (0..1000)
        .map(|i| 10f64.powf(-3.0 + 6.0 * f64::from(i) / 999.0))
        .collect()
}

/// `g' = tanh`, a closure calling `f64::tanh`.
#[divan::bench]
fn log_cosh_closure(bencher: divan::Bencher) {
    let us = ratios();
    bencher.bench(|| {
        divergence_values(
            f64::tanh,
            None,
            divan::black_box(&us),
            Tolerance::default(),
            &[],
        )
    });
}

/// `g'` compiled from `log(cosh(t))` by `fcorr::diff` and `fcorr::eval::compile`.
#[divan::bench]
fn log_cosh_compiled(bencher: divan::Bencher) {
    let us = ratios();
    let g_prime = derivative("log(cosh(t))");
    bencher.bench(|| {
        divergence_values(
            |t| g_prime.eval(t),
            None,
            divan::black_box(&us),
            Tolerance::default(),
            &[],
        )
    });
}

/// `g' = 2t/(1 + t²)` compiled from `log(1 + t^2)`, a loss whose generator has no closed form
/// (fcorr computes it numerically): the target is 100× a SciPy `quad` loop over the same points
/// (`benches/peers.py` measures both in one run).
#[divan::bench]
fn log_one_plus_square_compiled(bencher: divan::Bencher) {
    let us = ratios();
    let g_prime = derivative("log(1 + t^2)");
    bencher.bench(|| {
        divergence_values(
            |t| g_prime.eval(t),
            None,
            divan::black_box(&us),
            Tolerance::default(),
            &[],
        )
    });
}

/// `f` of `log(cosh(t))` at the same points as the library computes it for a user
/// (`Correspondence::derived_points`): the closed form `f(u) = 1 − u + 2u·atan(u) − πu/2` where its
/// propagated rounding bound is within `1e-10` relative, quadrature near `u = 1` where the
/// form cancels. The pair is derived once, outside the timing (its cross-check has integrated
/// the pieces around `u = 1`, as in a run of the command).
#[divan::bench]
fn log_cosh_library(bencher: divan::Bencher) {
    use fcorr::transform::{Bindings, Residual, from_loss};
    let us = ratios();
    let g = fcorr::parse::parse("log(cosh(t))").unwrap_or_else(|e| panic!("{e}"));
    let pair = from_loss(&g, Residual::TargetMinusModel, &Bindings::new())
        .unwrap_or_else(|e| panic!("{e}"));
    bencher.bench(|| pair.derived_points(divan::black_box(&us)));
}

fn derivative(text: &str) -> Compiled {
    let parsed = fcorr::parse::parse(text).unwrap_or_else(|e| panic!("{e}"));
    let d = fcorr::diff::diff(&parsed, "t").unwrap_or_else(|e| panic!("{e}"));
    compile(&d, "t", &Params::new()).unwrap_or_else(|e| panic!("{e}"))
}

/// The closed form of `f(u) = u ∫_0^{ln u} tanh(τ) e^{−τ} dτ` by the integration table
/// (rational in `e^τ`: partial fractions, verified by differentiating back), simplified.
#[divan::bench(args = ["log(cosh(t))", "softplus(t) - log(2) - t/2"])]
fn closed_form(loss: &str) -> Option<fcorr::Expr> {
    let g = fcorr::parse::parse(divan::black_box(loss)).unwrap_or_else(|e| panic!("{e}"));
    fcorr::transform::divergence_of(&g).unwrap_or_else(|e| panic!("{e}"))
}

/// The report of `log(1 + t^2)` at the 1,000 points written as JSON text and as the text table
/// (the values computed once, outside the timing; the report without its analysis, whose size
/// does not grow with the points): the cost of writing the values. `json-tree` is the way the
/// JSON was written before, a `serde_json::Value` printed (the same text).
#[divan::bench(args = ["json", "json-tree", "text"])]
fn report_of_1000_values(bencher: divan::Bencher, format: &str) {
    use fcorr::transform::{Bindings, Residual, from_loss};
    let us = ratios();
    let g = fcorr::parse::parse("log(1 + t^2)").unwrap_or_else(|e| panic!("{e}"));
    let pair = from_loss(&g, Residual::TargetMinusModel, &Bindings::new())
        .unwrap_or_else(|e| panic!("{e}"));
    let values = pair.derived_points(&us).unwrap_or_else(|e| panic!("{e}"));
    let report = fcorr::report::Report {
        pair,
        values,
        gradient_check: None,
        analysis: None,
        parameters: vec![],
    };
    bencher.bench(|| match format {
        "json" => report.json_text(),
        "json-tree" => format!("{:#}\n", report.json()),
        _ => report.text(),
    });
}

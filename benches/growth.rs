//! Inputs whose cost used to explode: `log(cosh(…))` nested 32 deep, `log1p` nested 127 deep,
//! `t^t^…^t` towers 25 and 64 high, `abs(… - 1)` nested 60 deep, 999-term sums of exponentials
//! and of logarithms (with the rounding bound of their integrand alone), `max(…, t^2)` nested 8
//! and 10 deep, a 32-term series of `cosh` and a 40-term polynomial. Targets: the nested inputs finish as a
//! process in under 1 s, the series and the polynomial are derived in closed form (the
//! transform with its cross-check, no report) in under 50 ms each.
//! Run with `cargo bench --bench growth`.

use fcorr::parse::parse;
use fcorr::transform::{Bindings, Residual, from_loss};
use std::process::{Command, Stdio};

fn main() {
    divan::main();
}

fn nested(f: &str, close: &str, n: usize) -> String {
    format!("{}t{}", f.repeat(n), close.repeat(n))
}

/// `Σ_{k=0}^{31} t^{2k}/(2k)!`.
fn cosh_series() -> String {
    let mut fact = num_bigint::BigUint::from(1u32);
    let mut terms = vec!["1".to_string()];
    for k in 1..32u32 {
        fact *= (2 * k - 1) * (2 * k);
        terms.push(format!("t^{}/{fact}", 2 * k));
    }
    terms.join(" + ")
}

/// `Σ_{k=1}^{40} c_k t^k` with coefficients from 1 to 9.
fn polynomial() -> String {
    (1..=40u32)
        .map(|k| format!("{}*t^{k}", 1 + (k * 7 + 3) % 9))
        .collect::<Vec<_>>()
        .join(" + ")
}

fn run(args: &[&str]) -> bool {
    Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.code().is_some_and(|c| c <= 1))
        .unwrap_or(false)
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn nested_log_cosh_32_process() -> bool {
    run(&["--from-loss", &nested("log(cosh(", "))", 32)])
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn diff_nested_log1p_127_process() -> bool {
    run(&["diff", &nested("log1p(", ")", 127)])
}

#[divan::bench(args = ["series_32", "polynomial_40"], sample_count = 10, sample_size = 1)]
fn closed_form_derivation(bencher: divan::Bencher, which: &str) {
    let text = if which == "series_32" {
        cosh_series()
    } else {
        polynomial()
    };
    let g = parse(&text).expect("parses");
    bencher.bench(|| {
        let pair = from_loss(
            divan::black_box(&g),
            Residual::TargetMinusModel,
            &Bindings::new(),
        )
        .expect("derives");
        assert!(pair.closed_form());
        pair
    });
}

#[divan::bench(args = ["series_32", "polynomial_40"], sample_count = 5, sample_size = 1)]
fn closed_form_report_process(which: &str) -> bool {
    let text = if which == "series_32" {
        cosh_series()
    } else {
        polynomial()
    };
    run(&["--from-loss", &text])
}

/// `t^t^…^t`, `n` levels.
fn tower(n: usize) -> String {
    vec!["t"; n].join("^")
}

/// `Σ_{k=1}^{999} exp(k·t/1000)`, 15 KB.
fn long_sum_of_exponentials() -> String {
    (1..1000)
        .map(|k| format!("exp({k}*t/1000)"))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// `Σ_{k=1}^{999} log(k + t^2)`, 16 KB: a numeric generator whose integrand has 999 terms.
fn long_sum_of_logarithms() -> String {
    (1..1000)
        .map(|k| format!("log({k} + t^2)"))
        .collect::<Vec<_>>()
        .join(" + ")
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn tower_25_report_process() -> bool {
    run(&["--from-loss", &tower(25)])
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn diff_tower_64_process() -> bool {
    run(&["diff", &tower(64)])
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn diff_nested_abs_60_process() -> bool {
    run(&["diff", &nested("abs(", " - 1)", 60)])
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn long_sum_of_exponentials_report_process() -> bool {
    run(&["--from-loss", &long_sum_of_exponentials()])
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn long_sum_of_logarithms_report_process() -> bool {
    run(&["--from-loss", &long_sum_of_logarithms()])
}

#[divan::bench(args = [8, 10], sample_count = 5, sample_size = 1)]
fn nested_max_report_process(depth: usize) -> bool {
    run(&["--from-loss", &nested("max(", ", t^2)", depth)])
}

/// The integrand `g'` of the 999-term sum of logarithms and its terms, compiled.
fn long_sum_integrand() -> (fcorr::eval::Compiled, Vec<fcorr::eval::Compiled>) {
    use fcorr::eval::{Params, compile};
    let g = parse(&long_sum_of_logarithms()).expect("parses");
    let gp = fcorr::diff::diff(&g, "t").expect("differentiates");
    let none = Params::new();
    let terms = match &gp {
        fcorr::expr::Expr::Add(ts) => ts.iter().map(|t| compile(t, "t", &none).unwrap()).collect(),
        _ => Vec::new(),
    };
    (compile(&gp, "t", &none).unwrap(), terms)
}

/// One rounding bound of that integrand as the numeric side asks for it, at 15 points: the
/// propagated bound and the size of the terms in one pass, or apart (the bound's pass, then
/// each term evaluated).
#[divan::bench(args = ["one_pass", "apart"], sample_count = 20)]
fn long_sum_rounding_bound(bencher: divan::Bencher, how: &str) {
    let (whole, terms) = long_sum_integrand();
    let pass = whole.bound_pass(&terms).expect("a pass");
    let ts: Vec<f64> = (0..15).map(|i| 0.05 + 0.2 * f64::from(i)).collect();
    bencher.bench(|| {
        ts.iter()
            .map(|&t| {
                if how == "one_pass" {
                    let b = pass.eval(divan::black_box(t), 0.0);
                    let size = b.size.expect("every term normal");
                    (4.0 * f64::EPSILON * size).max(b.bound)
                } else {
                    let size: f64 = terms.iter().map(|c| c.eval(t).abs()).sum();
                    (4.0 * f64::EPSILON * size).max(whole.eval_with_error(t, 0.0).1)
                }
            })
            .sum::<f64>()
    });
}

//! Inputs whose cost used to explode: `log(cosh(…))` nested 32 deep, `log1p` nested 127 deep,
//! `t^t^…^t` towers 25 and 64 high, `abs(… - 1)` nested 60 deep, 999-term sums of exponentials
//! and of logarithms, a 32-term series of `cosh` and a 40-term polynomial. Targets: the nested inputs finish as a
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

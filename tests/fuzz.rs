//! Fuzz and differential harness: generated expressions through every stage.
//!
//! Each case is an expression drawn by a grammar-aware generator (`fuzz/generate.rs`) and run
//! through the parser, the printers, the simplifier, the differentiator, the compiled `f64`
//! evaluator and, for one case in 64, the whole pipeline (transform, gradient check, analysis,
//! reports). Besides panics and hangs (> 2 s) it checks soundness against an independent
//! 256-bit evaluator (`fuzz/oracle.rs`, `astro-float`): simplification preserves the value and
//! the domain, the derivative agrees with a difference quotient, and the compiled value agrees
//! with the reference wherever it is well-conditioned, or is refused (`fuzz/check.rs`).
//!
//! `cargo test --test fuzz` runs 2,000 cases. The long run (README, CONTRIBUTING.md):
//!
//! ```sh
//! FCORR_FUZZ_CASES=1000000 cargo test --release --test fuzz -- --ignored --nocapture
//! ```
//!
//! `FCORR_FUZZ_SEED` (default 1) chooses the run; case `i` is drawn from its own seed, so a
//! failure is reproduced by its input text, printed with it, which becomes a line of
//! [`regressions`].

#[path = "fuzz/check.rs"]
mod check;
#[path = "fuzz/generate.rs"]
mod generate;
#[path = "fuzz/oracle.rs"]
mod oracle;

use check::{Oracles, Tally};
use generate::{Rng, Var, case, case_seed, point};

/// Nesting depth of generated expressions.
const DEPTH: usize = 4;
/// One case in this many also runs the whole pipeline.
const PIPELINE_EVERY: u64 = 64;

/// Cases `i` with `i % threads == k`, `i < n`, on thread `k`.
fn run_cases(seed: u64, n: u64, threads: u64) -> Tally {
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|k| {
                scope.spawn(move || {
                    let mut tally = Tally::default();
                    let mut oracles = Oracles::new();
                    let mut i = k;
                    while i < n {
                        let mut rng = Rng::new(case_seed(seed, i));
                        let c = case(&mut rng, DEPTH);
                        let points = [point(&mut rng, c.var)];
                        let pipeline = (i / threads) % PIPELINE_EVERY == 0;
                        check::run(&c.text, c.var, &points, pipeline, &mut oracles, &mut tally);
                        if tally.cases % 25_000 == 0 {
                            eprintln!("thread {k}: {}", tally.summary());
                        }
                        i += threads;
                    }
                    tally
                })
            })
            .collect();
        let mut total = Tally::default();
        for h in handles {
            total.merge(h.join().expect("a fuzz thread panicked outside a case"));
        }
        total
    })
}

fn report(t: &Tally) -> String {
    let mut out = t.summary();
    for f in &t.failures {
        out.push_str(&format!("\n  {}: {:?} — {}", f.kind, f.input, f.detail));
    }
    for s in &t.slow_inputs {
        out.push_str(&format!("\n  hang: {s:?}"));
    }
    out
}

/// Peak resident memory of this process, from `/proc` where there is one.
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| "unknown".into())
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

#[test]
fn fuzz_ci() {
    let t = run_cases(env_u64("FCORR_FUZZ_SEED", 1), 2_000, 2);
    eprintln!("{}", report(&t));
    assert_eq!(t.failure_count(), 0, "{}", report(&t));
    assert!(t.eval_compared > 500, "too few comparisons: {}", report(&t));
}

#[test]
#[ignore = "the long run: FCORR_FUZZ_CASES=1000000 cargo test --release --test fuzz -- --ignored --nocapture"]
fn fuzz_long() {
    let seed = env_u64("FCORR_FUZZ_SEED", 1);
    let n = env_u64("FCORR_FUZZ_CASES", 1_000_000);
    let start = std::time::Instant::now();
    let t = run_cases(seed, n, 2);
    println!(
        "seed {seed}: {}\nwall time {:.0} s on 2 threads, peak memory {}",
        report(&t),
        start.elapsed().as_secs_f64(),
        peak_memory()
    );
    assert_eq!(t.failure_count(), 0);
    assert_eq!(t.hangs, 0);
}

/// Inputs the harness once found wrong, one per line, with what was wrong; each runs through
/// every check again, at fixed points across the range.
#[test]
#[rustfmt::skip]
fn regressions() {
    let cases: &[(&str, Var)] = &[
        ("atan(1/t)", Var::T),                                  // a value through ±inf
        ("sign(tanh(√(2)) × sigmoid(ln(t)))", Var::T),          // sign(x > 0) = 1 widened the domain
        ("sin(log(t))^2 + cos(log(t))^2", Var::T),              // so did sin² + cos² = 1
        ("log1p(1e-3³)", Var::T),                               // log of a rational near 1
        ("t² × log1p(1e-3)", Var::T),
        ("sign(-pi)^t", Var::T),                                // a derivative undefined everywhere
        ("atan(3² - 2.5E+1)^u", Var::U),
        ("softplus(-u)", Var::U),                               // the oracle's log1p
        ("sigmoid(u)", Var::U),                                 // 1 - sigmoid(u) cancelled
        ("sigmoid((exp(t))(t²)) - 2.", Var::T),
        ("ln(tanh(t²))", Var::T),
        ("(-sinh(t²)) × (sin(t)-t)", Var::T),
        ("abs((0.1)*cos(u))/((u)^u)", Var::U),                  // print round trip of 1/u^u
        ("8 ÷ exp(u·u - 2)", Var::U),                           // underflow to 0 is right
        ("3/4 ÷ sin(pi)", Var::T),                              // undefined everywhere
        ("exp(sin(π)^t − sigmoid(t))", Var::T),                 // d(0^t)/dt refused as log(0)
        ("-t - (cosh(t)**-1)(-t)", Var::T),                     // the noise model rounded 1 + δ
        ("ln(tanh(2.5E+1))^(3/2)-sinh(beta)", Var::U),          // tanh(25) < 1 rounds to 1 in f64
        ("sign(cos(π × α)³)", Var::U),                          // cos(5π/2) = 0 exactly
        ("tanh((u)³) × a", Var::U),                             // sech² below the normal range
        ("sqrt(t²) / (t)", Var::T),                             // a derivative that is exactly 0
        ("4/tan(exp(5³))", Var::U),                             // tan beyond 2^60: no verdict
        ("tan(log(2. / 3/4))^0.5", Var::U),                     // tan(x < 0) was taken negative
        ("sin(-4)^(1/2) + u", Var::U),
        ("(u) / ln(sigmoid(4u))", Var::U),                      // 128 bits rounded sigmoid(97) to 1
        ("10/ln(exp(cosh(u²)))", Var::U),                       // beyond the oracle's range
    ];
    let mut tally = Tally::default();
    let mut oracles = Oracles::new();
    for (text, var) in cases {
        let points: &[f64] = match var {
            Var::T => &[-2.5, -0.75, -2e-6, 1e-3, 0.3, 1.7, 3.9],
            Var::U => &[0.03, 0.4, 1.3, 7.5, 45.0],
        };
        check::run(text, *var, points, true, &mut oracles, &mut tally);
    }
    assert_eq!(tally.failure_count(), 0, "{}", report(&tally));
}

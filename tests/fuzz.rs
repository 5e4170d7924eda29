//! Fuzz and differential harness: generated expressions through every stage.
//!
//! Each case is an expression drawn by a grammar-aware generator (`fuzz/generate.rs`) and run
//! through the parser, the printers, the simplifier, the differentiator, the compiled `f64`
//! evaluator and, for one case in 64, the whole pipeline (transform, gradient check, analysis,
//! reports) and the binary (`fcorr eval` and `fcorr diff`, whose exit code must be 0, 1 or 2).
//! Besides panics and hangs (> 2 s of CPU time) it checks soundness against an independent
//! 128-bit evaluator (`fuzz/oracle.rs`, `astro-float`): simplification preserves the value and
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

/// Failures of the long run that need their own point, one per line, with more members of
/// each class than the one found.
#[test]
#[rustfmt::skip]
fn regressions_at_points() {
    let cases: &[(&str, Var, f64)] = &[
        // an intermediate underflows, a later factor lifts the loss into the normal range
        ("-atan(exp(exp(u)))", Var::U, 6.092813971272534),
        ("atan(exp(2.5E+1^t+pi))", Var::T, 1.8787290927932219),
        ("atan(exp(cosh(8 atan(t))))", Var::T, -1.086530985495477),
        ("sqrt(t / exp(exp(t²)))", Var::T, 2.5765804068135996),
        ("sqrt(softplus(-u²))", Var::U, 32.36351565680138),
        ("cosh(4√u) ÷ abs(atan(1.5)⋅exp(u²))", Var::U, 27.00301908195094),
        ("exp(-t)*1e300", Var::T, 800.0),
        ("sigmoid(-u)*exp(u/2)", Var::U, 1500.0),
        // the exact 0 of tan(π), a negative zero, an exponent beyond the oracle's range
        ("tan(abs(pi))^(1/3)+ln(atan(t)/asinh(β))", Var::T, -1.8098255569203356),
        ("sin(abs(2 pi))^(1/2) + t", Var::T, 0.5),
        ("atan(6 sign(u) - 6)^(1/4)", Var::U, 36.79995948704595),
        ("sign(exp(-expm1(u)))", Var::U, 22.887316488063057),
        // a zero factor beside one undefined at the point
        ("ln(sign(u²))·log(u − 2)-exp(abs(α))", Var::U, 0.07266826642372969),
        ("alpha + 4-log1p(ln(u²))·log(sign(u²))", Var::U, 0.08813276320177542),
        ("log1p(t·t - abs(t²)) ÷ log(1.5 * log(t))", Var::T, -3.957791280280718),
        ("sqrt(t - 3)*(t^2 - abs(t)^2)", Var::T, 1.0),
        // the sign of sin or tan of a huge argument is not known
        ("sin(3/4·sinh(u))^(3/2)", Var::U, 40.50912713997961),
        ("tan(sinh(u²)**2)^(1/4)", Var::U, 4.288189367250149),
        ("cos(exp(t))^(1/2)", Var::T, 36.0),
        // cancellation inside 1 − cos
        ("tan(u / u-cos(u²)) / asinh(a)", Var::U, 0.08371995558124418),
        ("1 - cos(t)", Var::T, 1e-3),
        ("sqrt(1 - cos(t^2))", Var::T, 0.05),
        // trigonometry of huge arguments took seconds in the whole pipeline (a quadrature of
        // the numeric generator per named divergence); its time is the long run's to check
        ("7 sin(cosh(6t))", Var::T, 0.3),
        ("3/4 / cos(10 * t + sigmoid(t))", Var::T, 1.7),
        ("tan(cosh(2.5E+1) * (t²))²", Var::T, -0.75),
        ("tan(exp(t + 9 cosh(t)))", Var::T, 0.3),
        // min and max print and read back as the same tree
        ("(t − abs(t)) ÷ sinh(a - t / t²)", Var::T, 0.7),
        ("(abs(u) − -u)/√(ln(2) ÷ (u))", Var::U, 0.7),
        ("(u − abs(u))·(u / u²)", Var::U, 0.7),
        ("(t − √(t²)) / (β t)", Var::T, -0.7),
        ("(u − abs(u)) × (beta^-2)", Var::U, 0.7),
        ("(abs(u²) + -u²)/(-sqrt(u))", Var::U, 0.7),
    ];
    let mut tally = Tally::default();
    let mut oracles = Oracles::new();
    for (text, var, x) in cases {
        check::run(text, *var, &[*x], true, &mut oracles, &mut tally);
    }
    assert_eq!(tally.failure_count(), 0, "{}", report(&tally));
}

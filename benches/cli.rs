//! The command as a user runs it: `fcorr --from-loss "t^2"` end to end, as a process
//! (start-up, parse, transform, gradient check, report). Target: median under 5 ms.
//! Run with `cargo bench --bench cli` (it runs the release binary that cargo builds for it).

use std::process::{Command, Stdio};

fn main() {
    divan::main();
}

/// `fcorr --version`: the floor of every run (loading and relocating the binary, the runtime's
/// set-up, building the command line's description), against which the others are read.
#[divan::bench]
fn version_process() -> bool {
    Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

#[divan::bench(args = ["t^2", "4*(exp(t/2) - t/2 - 1)", "exp(t) + exp(-t) - 2"])]
fn from_loss_process(loss: &str) -> bool {
    Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(["--from-loss", loss])
        .stdout(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// 1,000 log-spaced ratios in `[1e-3, 1e3]`, comma-separated.
fn thousand_points() -> String {
    let points: Vec<String> = (0..1000)
        .map(|i| format!("{}", 10f64.powf(-3.0 + 6.0 * f64::from(i) / 999.0)))
        .collect();
    points.join(",")
}

/// `fcorr ARGS --at <the 1,000 points>`, its output discarded.
fn at_1000_points(bencher: divan::Bencher, args: &[&str]) {
    let at = thousand_points();
    bencher.bench(|| {
        Command::new(env!("CARGO_BIN_EXE_fcorr"))
            .args(args)
            .args(["--at", &at])
            .stdout(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    });
}

/// The whole process for a numeric side at 1,000 log-spaced ratios in `[1e-3, 1e3]`, with the
/// complete report: `fcorr --from-loss "log(1 + t^2)" --at u1,u2,…`.
#[divan::bench]
fn numeric_side_at_1000_points_process(bencher: divan::Bencher) {
    at_1000_points(bencher, &["--from-loss", "log(1 + t^2)"]);
}

/// The same with the report as JSON (`--json`): the values written as JSON text.
#[divan::bench]
fn numeric_side_at_1000_points_json_process(bencher: divan::Bencher) {
    at_1000_points(bencher, &["--from-loss", "log(1 + t^2)", "--json"]);
}

/// `fcorr --from-loss "log(cosh(t))" --at u1,u2,…` with the complete report: the closed form
/// at most points, quadrature near `u = 1`.
#[divan::bench]
fn log_cosh_at_1000_points_process(bencher: divan::Bencher) {
    at_1000_points(bencher, &["--from-loss", "log(cosh(t))"]);
}

/// The processes the target compares with `fcorr --from-loss "t^2"` (at most twice its time).
#[divan::bench(args = [&["--from-loss", "log(cosh(t))"][..], &["--from-divergence", "js"][..]])]
fn analysis_process(args: &[&str]) -> bool {
    Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(args)
        .stdout(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

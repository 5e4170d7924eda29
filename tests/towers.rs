//! Short inputs whose work used to explode: `t^t^…^t` towers (their derivatives nest a product
//! of a sum in every level, and the simplifier multiplied each one out to see whether that was
//! simpler), `abs`, `Li2` and `max` nested deep (each sign question about a level asked several
//! about the level below), and long sums of exponentials (their series compared exponents by
//! continued fractions). Each must end in a result or a clear error; the outcome is checked,
//! never the time, and the results are checked against numbers computed here.

use fcorr::diff::diff;
use fcorr::error::ErrorKind;
use fcorr::eval::{Params, compile};
use fcorr::parse::parse;
use fcorr::simplify::simplify;
use std::process::Command;

/// `t^t^…^t`, `n` levels (`^` is right-associative).
fn tower(n: usize) -> String {
    vec!["t"; n].join("^")
}

/// `f` (with `X` for its argument) applied `n` times to `inner`.
fn nested(f: &str, n: usize, inner: &str) -> String {
    (0..n).fold(inner.to_string(), |s, _| f.replace('X', &s))
}

/// `Σ_{k=1}^{n} exp(k·t/1000)`.
fn long_sum(n: usize) -> String {
    (1..=n)
        .map(|k| format!("exp({k}*t/1000)"))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The value at `t` of the tower `n` high, by its recursion `x_1 = t`, `x_{k+1} = t^x_k`.
fn tower_value(n: usize, t: f64) -> f64 {
    (1..n).fold(t, |x, _| t.powf(x))
}

#[test]
fn the_derivative_of_a_tower_64_high_is_right() {
    // At t = 1.2 the tower converges (1.2 < e^(1/e)), and so does its derivative.
    let d = diff(&parse(&tower(64)).unwrap(), "t").unwrap();
    let c = compile(&d, "t", &Params::new()).unwrap();
    for t in [1.05f64, 1.2, 1.3] {
        let h = 1e-6;
        let expected = (tower_value(64, t + h) - tower_value(64, t - h)) / (2.0 * h);
        let got = c.eval(t);
        assert!(
            ((got - expected) / expected).abs() < 1e-6,
            "at {t}: {got} vs {expected}"
        );
    }
}

#[test]
fn the_tallest_tower_the_parser_accepts_is_differentiated_or_refused_as_too_large() {
    // 128 levels is the nesting limit; the second derivative passes the derivative size limit.
    let g = parse(&tower(128)).unwrap();
    let d = diff(&g, "t").unwrap();
    let err = diff(&d, "t").unwrap_err();
    assert_eq!(err.kind, fcorr::simplify::MathErrorKind::WorkLimit, "{err}");
    assert!(err.to_string().contains("derivative size limit"), "{err}");
}

#[test]
fn a_tower_as_a_loss_gets_a_report() {
    // The convexity check differentiates the tower twice (15 s before, in a release build).
    let options = fcorr::Options::default();
    match fcorr::from_loss(&tower(25), &options) {
        Ok(d) => assert!(!d.pair.closed_form()),
        Err(e) => assert_eq!(e.kind(), ErrorKind::LimitExceeded, "{e}"),
    }
}

#[test]
fn nested_abs_li2_and_towers_of_functions_simplify_and_differentiate() {
    for input in [
        nested("abs(X - 1)", 60, "t"),
        nested("Li2(X/2)", 60, "t"),
        nested("Li2(X)", 40, "t/2"),
        nested("exp(X)", 60, "t"),
        nested("log(X)", 60, "t"),
        nested("cosh(X)", 30, "t"),
        vec!["(t^2)"; 30].join("^"),
        (1..1000)
            .map(|k| format!("log({k} + t^2)"))
            .collect::<Vec<_>>()
            .join(" + "),
        long_sum(999),
    ] {
        let e = parse(&input).unwrap();
        simplify(&e).unwrap_or_else(|err| panic!("{input}: {err}"));
        if let Err(err) = diff(&e, "t") {
            assert_eq!(err.kind, fcorr::simplify::MathErrorKind::WorkLimit, "{err}");
        }
    }
}

#[test]
fn nested_abs_keeps_its_value() {
    // `|…||t − 1| − 1| … − 1|` 60 deep, at t = 0.5: the levels alternate between 1/2 and 1/2.
    let e = simplify(&parse(&nested("abs(X - 1)", 60, "t")).unwrap()).unwrap();
    let c = compile(&e, "t", &Params::new()).unwrap();
    let expected = (0..60).fold(0.5f64, |x, _| (x - 1.0).abs());
    assert_eq!(c.eval(0.5), expected);
}

#[test]
fn a_long_sum_of_exponentials_gets_a_report() {
    let options = fcorr::Options::default();
    // Its generator is numeric (999 exponentials): every analysis still ends.
    let d = fcorr::from_loss(&long_sum(999), &options).unwrap();
    assert!(!d.pair.closed_form());
}

/// `fcorr ARGS` ends with exit code 0, 1 or 2, and an exit code 2 with a clear error (a tower
/// at `t = 0` is `log(0)` in `check`'s normalization; a limit is named).
#[track_caller]
fn ends_cleanly(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(args)
        .output()
        .unwrap();
    let code = out.status.code().expect("exited");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(code <= 2, "{args:?}: exit code {code}: {stderr}");
    if code == 2 {
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
    }
}

#[test]
fn the_subcommands_end_on_towers_and_deep_nesting() {
    let t64 = tower(64);
    let abs60 = nested("abs(X - 1)", 60, "t");
    for input in [t64.as_str(), abs60.as_str()] {
        ends_cleanly(&["diff", input]);
        ends_cleanly(&["simplify", input]);
        ends_cleanly(&["eval", input, "--at", "0.5,1.2"]);
        ends_cleanly(&["check", "--loss", input, "--divergence", "kl"]);
    }
    ends_cleanly(&["--from-loss", &tower(25)]);
}

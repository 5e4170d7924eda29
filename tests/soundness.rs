//! Every printed number is right or refused: one table case per line for each class of the
//! undefined-value rule and of the accuracy contract (README, "Undefined values" and
//! "Accuracy"). Expected values are from 50-digit mpmath, written with their 20 digits.
#![allow(clippy::excessive_precision)]

use assert_cmd::Command;
use fcorr::eval::{Params, compile};
use fcorr::parse::parse;
use fcorr::simplify::simplify;

/// The compiled value of `input` (simplified, as `fcorr eval` computes it) at `x`.
fn value(input: &str, var: &str, x: f64) -> f64 {
    let e = simplify(&parse(input).unwrap()).unwrap_or_else(|err| panic!("{input}: {err}"));
    compile(&e, var, &Params::new()).unwrap().eval(x)
}

/// `input` at `x` is within `rel` (relative) of `expected`.
#[track_caller]
fn accurate(input: &str, var: &str, x: f64, expected: f64, rel: f64) {
    let got = value(input, var, x);
    let err = ((got - expected) / expected).abs();
    assert!(
        err <= rel,
        "{input} at {var} = {x:e}: got {got:e}, expected {expected:e} (relative error {err:.1e})"
    );
}

/// `input` at `x` is refused: the value is not finite, so `fcorr eval` exits with 1.
#[track_caller]
fn refused(input: &str, var: &str, x: f64) {
    let got = value(input, var, x);
    assert!(
        !got.is_finite(),
        "{input} at {var} = {x:e}: got {got:e}, expected a refusal"
    );
    let at = format!("{x:e}");
    let out = fcorr(&["eval", input, "--var", var, "--at", &at]);
    assert_eq!(out.status.code(), Some(1), "fcorr eval {input} --at {at}");
}

fn fcorr(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_fcorr"))
        .args(["--color", "never"])
        .args(args)
        .output()
        .unwrap()
}

/// `fcorr ARGS` exits with 2 and says `stderr_has`.
#[track_caller]
fn bad_input(args: &[&str], stderr_has: &str) {
    let out = fcorr(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "fcorr {args:?}: {err}");
    assert!(err.contains(stderr_has), "fcorr {args:?}:\n{err}");
}

#[test]
#[rustfmt::skip]
fn a_value_that_passed_through_infinity_or_nan_is_refused() {
    refused("atan(1/t)", "t", 0.0);
    refused("tanh(1/t)", "t", 0.0);
    refused("sigmoid(1/t) + t", "t", 0.0);
    refused("exp(-1/t^2)", "t", 0.0);
    refused("exp(-t^2)", "t", 1e200);
    refused("1/(1 + 2^(-t))", "t", -2000.0);
    accurate("1/(1 + exp(-t))", "t", -700.0, 9.85967654375977085670537294747e-305, 1e-13);
    refused("t/(1 + 2^t)", "t", 2000.0);
    accurate("t/exp(t)", "t", 700.0, 7.0e2 * 9.8596765437597708567e-305, 1e-13);
    refused("atan(log(t))", "t", 0.0);
    refused("u/log1p(u^200)", "u", 1e5);
    refused("1/t", "t", 0.0);
    refused("log(t)", "t", -1.0);
}

#[test]
#[rustfmt::skip]
fn simplification_does_not_widen_the_domain() {
    refused("sqrt(t)^2", "t", -1.0);
    refused("(t^(1/3))^3", "t", -8.0);
    refused("(t^(1/4))^4", "t", -1.0);
    refused("(t^(1/6))^6 + t", "t", -2.0);
    refused("1/sqrt(t)^2", "t", -4.0);
    accurate("sqrt(t)^2", "t", 4.0, 4.0, 0.0);
    accurate("(t^(1/4))^2", "t", 16.0, 4.0, 0.0);
    accurate("sqrt(t^2)", "t", -3.0, 3.0, 0.0);
    accurate("sqrt(u)^2", "u", 3.0, 3.0, 0.0);
}

#[test]
#[rustfmt::skip]
fn exact_zeros_and_poles_of_trigonometry_are_division_by_zero() {
    bad_input(&["eval", "1/sin(pi) + t", "--at", "1"], "division by zero");
    bad_input(&["eval", "1/sin(-3*pi) + t", "--at", "1"], "division by zero");
    bad_input(&["eval", "1/cos(pi/2) + t", "--at", "1"], "division by zero");
    bad_input(&["eval", "tan(pi/2) + t", "--at", "1"], "division by zero");
    bad_input(&["eval", "1/tan(2*pi) + t", "--at", "1"], "division by zero");
    bad_input(&["simplify", "log(sin(pi)) + t"], "logarithm");
    bad_input(&["diff", "t/(cos(pi/3) - 1/2)"], "division by zero");
    accurate("t*sin(pi/6)", "t", 3.0, 1.5, 0.0);
    accurate("t + cos(2*pi/3)", "t", 3.0, 2.5, 0.0);
}

#[test]
#[rustfmt::skip]
fn undefined_everywhere_is_an_error_in_every_command() {
    bad_input(&["diff", "1/0 + t"], "division by zero");
    bad_input(&["diff", "log(0)*t + t"], "logarithm");
    bad_input(&["simplify", "log(0) - log(0)"], "logarithm");
    bad_input(&["simplify", "0*log(-2) + t"], "logarithm");
    bad_input(&["simplify", "(-1)^(1/2) - (-1)^(1/2)"], "not real");
    bad_input(&["simplify", "t/0 - t/0"], "division by zero");
    bad_input(&["eval", "log(0) - log(0) + t", "--at", "1"], "logarithm");
    bad_input(&["--from-loss", "t^2 + 0*log(0)"], "logarithm");
    bad_input(&["--from-divergence", "u*log(u) + 1/0 - 1/0"], "division by zero");
}

/// `x^0 = 1`, `1^x = 1`, `0·x = 0` and `x − x = 0` are refused exactly when `x` is, whether `x` is
/// undefined by its numbers (`1/0`) or by a sign fact (`log(-1 - t^2)`).
#[test]
#[rustfmt::skip]
fn no_identity_swallows_an_undefined_part() {
    bad_input(&["eval", "1^(1/0)", "--at", "2"], "division by zero");
    bad_input(&["eval", "(1/0)^0", "--at", "2"], "division by zero");
    bad_input(&["eval", "1/(1/0)", "--at", "2"], "division by zero");
    bad_input(&["eval", "(1/0)^0*t", "--at", "2"], "division by zero");
    bad_input(&["eval", "log(-1)^0", "--at", "2"], "logarithm");
    bad_input(&["eval", "((-1)^(1/2))^0", "--at", "2"], "not real");
    bad_input(&["eval", "1^((-1)^(1/2))", "--at", "2"], "not real");
    bad_input(&["eval", "0*log(-1-t^2)", "--at", "2"], "logarithm");
    bad_input(&["eval", "log(-1-t^2)^0", "--at", "2"], "logarithm");
    bad_input(&["eval", "1^log(-1-t^2)", "--at", "2"], "logarithm");
    bad_input(&["eval", "log(-1-t^2) - log(-1-t^2)", "--at", "2"], "logarithm");
    bad_input(&["eval", "t^2 + 0*sqrt(-exp(t))", "--at", "2"], "not real");
    bad_input(&["eval", "0*Li2(2) + t", "--at", "2"], "dilogarithm");
    bad_input(&["eval", "lambertw(-1)^0 + t", "--at", "2"], "lambertw");
    bad_input(&["eval", "0*lowergamma(-1, t) + t", "--at", "2"], "lower incomplete gamma");
    bad_input(&["--from-loss", "t^2 + 1^(1/0)"], "division by zero");
    bad_input(&["--from-loss", "t^2 + (1/0)^0"], "division by zero");
    bad_input(&["--from-divergence", "u*log(u) + 0*log(-u)"], "logarithm");
    accurate("t^0 + 1^t + 0^0", "t", 2.0, 3.0, 0.0);
    accurate("0*log(t) + t", "t", 2.0, 2.0, 0.0);
}

#[test]
#[rustfmt::skip]
fn log1p_and_expm1_keep_their_relative_accuracy() {
    accurate("log1p(-sin(t))", "t", 1e-10, -1.00000000005e-10, 1e-15);
    accurate("log1p(t^2)", "t", 1e-10, 9.9999999999999999999e-21, 1e-15);
    accurate("expm1(sin(t))", "t", 1e-12, 1.0000000000005e-12, 1e-15);
    accurate("log(1 + sin(t))", "t", -3e-9, -3.0000000045000000045e-9, 1e-15);
}

#[test]
#[rustfmt::skip]
fn common_cancellations_near_zero_are_computed_stably() {
    accurate("sqrt(1 + t^2) - 1", "t", 1e-9, 4.9999999999999999987e-19, 1e-15);
    accurate("3*sqrt(1 + t^2) - 3", "t", 2e-5, 5.9999999994000000001e-10, 1e-15);
    accurate("sqrt(u + 1) - 1", "u", 1e-12, 4.99999999999875e-13, 1e-15);
    accurate("softplus(t) - log(2) - t/2", "t", 1e-9, 1.2499999999999999999e-19, 1e-15);
    accurate("softplus(t) - log(2) - t/2", "t", 40.0, 19.306852819440054695, 1e-15);
    accurate("softplus(t) - log(2) - t/2", "t", -1000.0, 499.30685281944005469, 1e-15);
    accurate("cosh(t) - 1", "t", 1e-9, 5.0000000000000000004e-19, 1e-15);
    accurate("2*cosh(3*t) - 2", "t", 1e-7, 9.0000000000000675e-14, 1e-15);
    accurate("t - sin(t)", "t", 1e-6, 1.6666666666665833333e-19, 1e-15);
    accurate("t - sin(t)", "t", 0.9, 0.11667309037251661154, 1e-15);
    accurate("t - sin(t)", "t", -1.1, -0.20879263993856466005, 1e-14);
    accurate("2*t - sin(2*t)", "t", 1e-5, 1.3333333333066666667e-15, 1e-15);
    accurate("exp(t) - t - 1", "t", 1e-9, 5.0000000016666666671e-19, 1e-15);
    accurate("log(cosh(t))", "t", 1e-9, 4.9999999999999999992e-19, 1e-15);
    accurate("1 - sigmoid(t)", "t", 40.0, 4.2483542552915889772807209044e-18, 1e-15);
    accurate("(1 - sigmoid(t))*sigmoid(t)", "t", 40.0, 4.2483542552915889772807209044e-18, 1e-15);
    accurate("1 - tanh(t)^2", "t", 20.0, 1.69934170211663558369288281038e-17, 1e-15);
    accurate("1 - tanh(t)^2", "t", 0.1, 0.990066290847439777252260562369, 1e-15);
}

#[test]
#[rustfmt::skip]
fn well_defined_losses_do_not_overflow() {
    accurate("log(cosh(t))", "t", 800.0, 799.30685281944005469, 1e-15);
    accurate("log(cosh(t))", "t", -800.0, 799.30685281944005469, 1e-15);
    accurate("log(cosh(t))", "t", 1e5, 99999.306852819440055, 1e-15);
    accurate("log(cosh(2*t + 1))", "t", 1000.0, 2000.3068528194400547, 1e-15);
    accurate("log(sigmoid(t))", "t", -800.0, -800.0, 1e-15);
    accurate("log(sigmoid(t))", "t", 40.0, -4.2483542552915889863e-18, 1e-15);
    accurate("u/log1p(7^u)", "u", 471.0, 0.51389834236975069304, 1e-15);
    accurate("log1p(2^u)", "u", 2000.0, 1386.2943611198906188, 1e-15);
    accurate("log1p(2^u)", "u", 1e-3, 0.69349381420685081958, 1e-15);
    accurate("log(1 + exp(3*t))", "t", 500.0, 1500.0, 1e-15);
}

#[test]
fn deep_nesting_is_differentiated_quickly_and_huge_derivatives_are_refused() {
    let nested = format!("{}t{}", "log1p(".repeat(127), ")".repeat(127));
    let out = fcorr(&["diff", &nested]);
    assert_eq!(out.status.code(), Some(0));
    let product: Vec<String> = (1..=3000).map(|k| format!("log({k} + t)")).collect();
    bad_input(&["diff", &product.join("*")], "derivative size limit");
}

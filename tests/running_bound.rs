//! The cheap running bound on a compiled program's rounding error
//! ([`fcorr::eval::Compiled::eval_with_running_error`]) against an independent 256-bit
//! evaluator (`fuzz/oracle.rs`): at every point where it gives a bound, the value is within it
//! of the exact value of the expression at that `f64` point. The points include the extremes of
//! the transform's range (`u = 1e-3`, `1e3`) and the cancellation around `u = 1` of the closed
//! form of `f` for `log(cosh(t))`, `1 − u + 2u·atan(u) − πu/2`; the precise bound
//! (`eval_with_error`) is held to the same reference.

#[path = "fuzz/oracle.rs"]
#[allow(dead_code)]
mod oracle;

use astro_float::{BigFloat, RoundingMode};
use fcorr::eval::{Compiled, Params, compile};
use fcorr::expr::Expr;
use oracle::{Oracle, Point};

const BITS: usize = 256;

/// `|v − exact|` as a big float.
fn error_of(v: f64, exact: &BigFloat) -> BigFloat {
    BigFloat::from_f64(v, BITS)
        .sub(exact, BITS, RoundingMode::ToEven)
        .abs()
}

/// Whether `bound` (an `f64`) is at least `error`.
fn covers(bound: f64, error: &BigFloat) -> bool {
    BigFloat::from_f64(bound, BITS)
        .cmp(error)
        .is_some_and(|c| c >= 0)
}

/// How many points of a [`check`] had a cheap bound, and how many of them had it from the
/// one pass of a sum ([`Compiled::sum_pass`]).
#[derive(Debug, PartialEq)]
struct Checked {
    cheap: usize,
    one_pass: usize,
}

/// Checks the cheap bound of `program` (compiled from `e` in `var`) at every point of `xs` where
/// the expression is defined, and the precise one wherever it is finite. Where `e` is a sum
/// whose program gives its value, bound and size in one pass, that pass too: the same bits as
/// the running bound, so the same bound held to the reference.
#[track_caller]
fn check(text: &str, e: &Expr, var: &str, xs: &[f64]) -> Checked {
    let program: Compiled = compile(e, var, &Params::new()).unwrap();
    let terms: Vec<Compiled> = match e {
        Expr::Add(ts) => ts
            .iter()
            .map(|t| compile(t, var, &Params::new()).unwrap())
            .collect(),
        _ => Vec::new(),
    };
    let pass = program.sum_pass(&terms);
    let sizes = Compiled::sum_of_abs(&terms);
    let mut oracle = Oracle::new(BITS);
    let (mut cheap, mut one_pass) = (0, 0);
    for &x in xs {
        let at = Point {
            var,
            x: BigFloat::from_f64(x, BITS),
            params: &[],
        };
        let Some(exact) = oracle.eval(e, &at) else {
            continue;
        };
        let running = program.eval_with_running_error(x);
        if let Some((v, bound)) = running {
            cheap += 1;
            assert_eq!(v.to_bits(), program.eval(x).to_bits(), "{text} at {x}");
            let err = error_of(v, &exact);
            assert!(
                covers(bound, &err),
                "{text} at {x:e}: {v} ± {bound:e}, off by {err}"
            );
        }
        if let Some(c) = pass.as_ref().and_then(|p| p.eval(x)) {
            one_pass += 1;
            let (v, bound) = running.expect("a running bound where the pass gives one");
            let size = sizes.as_ref().and_then(|s| s.eval_normal(x));
            assert_eq!(
                (c.value.to_bits(), c.bound.to_bits(), c.size.to_bits()),
                (v.to_bits(), bound.to_bits(), size.unwrap().to_bits()),
                "one pass, {text} at {x:e}"
            );
            let err = error_of(c.value, &exact);
            assert!(
                covers(c.bound, &err),
                "one pass, {text} at {x:e}: {} ± {:e}, off by {err}",
                c.value,
                c.bound
            );
        }
        let (v, bound) = program.eval_with_error(x, 0.0);
        if v.is_finite() && bound.is_finite() {
            let err = error_of(v, &exact);
            assert!(
                covers(bound, &err),
                "precise, {text} at {x:e}: {v} ± {bound:e}, off by {err}"
            );
        }
    }
    Checked { cheap, one_pass }
}

/// `n` log-spaced points in `[lo, hi]` (both ends included), through logarithms where `hi/lo`
/// overflows (`1e-300` to `1e300`).
fn log_spaced(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let at = |i: usize| i as f64 / (n - 1) as f64;
    if (hi / lo).is_finite() {
        (0..n).map(|i| lo * (hi / lo).powf(at(i))).collect()
    } else {
        (0..n)
            .map(|i| (lo.ln() + (hi.ln() - lo.ln()) * at(i)).exp())
            .collect()
    }
}

/// Points approaching `1` from both sides, `1 ± 10^-k` and `1 ± 3·10^-k`.
fn near_one() -> Vec<f64> {
    let mut xs = Vec::new();
    for k in 1..=15 {
        let h = 10f64.powi(-k);
        xs.extend([1.0 - h, 1.0 + h, 1.0 - 3.0 * h, 1.0 + 3.0 * h]);
    }
    let mut x = 1.0f64;
    for _ in 0..64 {
        x = f64::from_bits(x.to_bits() + 1);
        xs.push(x);
    }
    xs
}

#[test]
fn the_closed_form_of_f_for_log_cosh_is_within_its_bounds_on_the_transform_s_range() {
    use fcorr::transform::{Bindings, Residual, from_loss};
    let g = fcorr::parse::parse("log(cosh(t))").unwrap();
    let pair = from_loss(&g, Residual::TargetMinusModel, &Bindings::new()).unwrap();
    let f = pair.divergence.clone().expect("a closed form");
    let us = log_spaced(1e-3, 1e3, 3001);
    // Every point of the transform's range has a cheap bound but `u = 1`, where `f` is 0, and
    // has it from the one pass that also sizes the terms.
    assert_eq!(us[1500], 1.0);
    let all_but_one = Checked {
        cheap: us.len() - 1,
        one_pass: us.len() - 1,
    };
    assert_eq!(check("f of log(cosh(t))", &f, "u", &us), all_but_one);
    // The worst points, where the form cancels (`f(u) ≈ (u − 1)²/4` near `u = 1`).
    let near = check("f of log(cosh(t))", &f, "u", &near_one());
    assert_eq!(near.one_pass, near.cheap);
    // (closer to 1 the computed value is zero, and has no cheap bound)
    assert!(near.one_pass >= 30, "{near:?}");
    // Far out, products underflow or overflow (no cheap bound there) or terms cancel.
    let far = check(
        "f of log(cosh(t))",
        &f,
        "u",
        &log_spaced(1e-300, 1e300, 601),
    );
    assert_eq!(far.one_pass, far.cheap);
    assert!(far.one_pass >= 400, "{far:?}");
}

#[test]
fn each_instruction_s_rule_is_within_its_bound() {
    // Both bounds are held to the reference. Both carry the rounding of a constant that is not
    // stored exactly: `0.3` is off `3/10` by 1.1e-17, which `1/(t − 0.3)` amplifies near
    // `t = 0.3`, and a folded `log(2)` is off by up to half an ulp.
    let cases = [
        "1 - t + 2*t*atan(t) - pi*t/2",
        "exp(t)/(1 + t^2) - exp(1/t)",
        "exp(-t)*t^3 - 1/3",
        "log(t) - t/7",
        "log(t + 1/t) - 1",
        "sqrt(t) - t/3",
        "1/(t - 0.3) + 1/(t + 1)",
        "log1p(t^2) - atan(t)",
        "expm1(-t^2) + t/5",
        "tanh(t) - t/2",
        "sigmoid(t) - 3/5",
        "softplus(-t) - 1/3",
        "abs(t - 2)*exp(-t) - 1/10",
        "sin(t) + cos(3*t) - 1/2",
        "t^2.5 - 2*t^(1/3)",
        "log(cosh(t)) - t^2/3",
        "(t^2 - 1)/(t^2 + 1) - log(2)/t",
    ];
    let mut ts = log_spaced(1e-3, 1e3, 401);
    ts.extend(near_one());
    ts.extend(ts.clone().iter().map(|t| -t).collect::<Vec<_>>());
    ts.extend([
        0.3,
        f64::from_bits(0.3f64.to_bits() + 1),
        2.0,
        std::f64::consts::LN_2,
        0.5,
    ]);
    for text in cases {
        let e = fcorr::parse::parse(text).unwrap();
        let Checked { cheap, one_pass } = check(text, &e, "t", &ts);
        assert!(cheap * 2 >= ts.len(), "{text}: {cheap} of {}", ts.len());
        // A sum is sized in the same pass unless its program is not its terms added in turn:
        // `exp(−t²) − 1` is one stable form, `expm1(−t²)`, and `(t^2 - 1)/(t^2 + 1)` computes
        // `t^2` once (a shared value).
        let other_shape = ["expm1(-t^2) + t/5", "(t^2 - 1)/(t^2 + 1) - log(2)/t"].contains(&text);
        assert!(
            other_shape || one_pass == cheap,
            "{text}: {one_pass} of {cheap} in one pass"
        );
    }
}

#[test]
fn the_library_prints_the_closed_form_wherever_the_precise_bound_certifies_it() {
    use fcorr::transform::{Bindings, Residual, from_loss};
    let g = fcorr::parse::parse("log(cosh(t))").unwrap();
    let pair = from_loss(&g, Residual::TargetMinusModel, &Bindings::new()).unwrap();
    let f = pair.divergence.clone().expect("a closed form");
    let program = compile(&f, "u", &Params::new()).unwrap();
    let mut us = log_spaced(1e-3, 1e3, 1000);
    us.extend(near_one());
    let points = pair.derived_points(&us).unwrap();
    let (mut precise, mut cheap_only, mut numeric) = (0, 0, 0);
    for (p, &u) in points.iter().zip(&us) {
        let v = program.eval(u);
        let tolerance = 1e-10 * v.abs();
        let by_precise = program.eval_with_error(u, 0.0).1 <= tolerance;
        let by_cheap = program
            .eval_with_running_error(u)
            .is_some_and(|(_, e)| e <= tolerance);
        // A closed form's value carries its rounding bound as its error where the bound
        // exceeds `1e-12` of it (still the closed form's value, bit for bit).
        let bound = program.eval_with_error(u, 0.0).1;
        match p {
            Ok(value) if value.error.is_none_or(|e| e.to_bits() == bound.to_bits()) => {
                assert_eq!(value.value.to_bits(), v.to_bits(), "u = {u}");
                assert!(by_precise || by_cheap, "u = {u}");
                if by_precise {
                    precise += 1;
                } else {
                    cheap_only += 1;
                }
            }
            _ => {
                assert!(!by_cheap, "u = {u}");
                numeric += 1;
            }
        }
    }
    // Here the cheap bound certifies no point the precise one leaves to quadrature: the same
    // points are integrated as before it existed.
    assert_eq!(cheap_only, 0);
    assert!(precise > 900 && numeric > 0, "{precise} {numeric}");
}

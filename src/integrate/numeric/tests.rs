//! Reference values are the closed forms evaluated with mpmath at 50 digits (offline).

use super::*;
use crate::eval::{Params, compile};

const TOL: Tolerance = Tolerance {
    rel: 1e-10,
    abs: 1e-14,
};

#[track_caller]
fn close(what: &str, got: &[Value], expected: &[(f64, f64)]) {
    assert_eq!(got.len(), expected.len());
    for (v, &(x, exact)) in got.iter().zip(expected) {
        assert_eq!(v.x, x);
        let actual = (v.value - exact).abs();
        assert!(
            actual <= 1e-10 * exact.abs(),
            "{what} at {x}: {} (±{}), expected {exact}",
            v.value,
            v.error
        );
        assert!(
            actual <= v.error + 1e-13 * exact.abs(),
            "{what} at {x}: error {} under-reported ({actual})",
            v.error
        );
    }
}

#[track_caller]
fn divergence_is(g_prime: impl Fn(f64) -> f64, kinks: &[f64], what: &str, expected: &[(f64, f64)]) {
    let us: Vec<f64> = expected.iter().map(|p| p.0).collect();
    let got = divergence_values(g_prime, None, &us, TOL, kinks);
    close(what, &all_ok(what, got), expected);
}

#[track_caller]
fn all_ok(what: &str, got: Vec<Result<Value, TransformError>>) -> Vec<Value> {
    got.into_iter()
        .map(|v| v.unwrap_or_else(|e| panic!("{what}: {e}")))
        .collect()
}

#[track_caller]
fn loss_is(
    g_prime: impl Fn(f64) -> f64,
    f_at_1: f64,
    kinks: &[f64],
    what: &str,
    expected: &[(f64, f64)],
) {
    let ts: Vec<f64> = expected.iter().map(|p| p.0).collect();
    let got = loss_values(g_prime, None, f_at_1, &ts, TOL, kinks);
    close(what, &all_ok(what, got), expected);
}

#[rustfmt::skip]
const QUADRATIC: &[(f64, f64)] = &[(1e-12, 53.2620422318591), (1e-9, 39.44653167589282), (1e-6, 25.63102311592855), (1e-3, 11.817510557964274), (0.1, 2.805170185988091), (0.5, 0.38629436111989063), (0.999, 1.000667167067002e-06), (1.001, 9.993338329334464e-07), (2.0, 0.6137056388801094), (10.0, 13.394829814011908), (1e3, 1984.1844894420358), (1e6, 1999970.368978884), (1e9, 1999999956.5534682), (1e12, 1999999999942.738)];
#[rustfmt::skip]
const LINEX_HALF: &[(f64, f64)] = &[(1e-12, 1.999996000002), (1e-9, 1.9998735108935932), (1e-6, 1.996002), (1e-3, 1.875508893593265), (0.1, 0.9350889359326482), (0.5, 0.1715728752538099), (0.999, 5.002501563594579e-07), (1.001, 4.997501561405969e-07), (2.0, 0.3431457505076198), (10.0, 9.350889359326482), (1e3, 1875.508893593265), (1e6, 1996002.0), (1e9, 1999873510.8935933), (1e12, 1999996000002.0)];
#[rustfmt::skip]
const LOG_COSH: &[(f64, f64)] = &[(1e-12, 0.9999999999974292), (1e-9, 0.9999999974292036), (1e-6, 0.9999974292056732), (1e-3, 0.9974312036725385), (0.1, 0.7628540978187427), (0.5, 0.17824944560335781), (0.999, 5.003335000499925e-07), (1.001, 4.99666833283215e-07), (2.0, 0.2870022175865688), (10.0, 4.714590218125726), (1e3, 569.7963274615629), (1e6, 570795.3267948966), (1e9, 570796325.7948966), (1e12, 570796326793.8966)];
#[rustfmt::skip]
const ABS_HALF: &[(f64, f64)] = &[(1e-12, 0.4999999999995), (1e-9, 0.4999999995), (1e-6, 0.4999995), (1e-3, 0.4995), (0.1, 0.45), (0.5, 0.25), (0.999, 0.0005000000000000004), (1.001, 0.0004999999999999449), (2.0, 0.5), (10.0, 4.5), (1e3, 499.5), (1e6, 499999.5), (1e9, 499999999.5), (1e12, 499999999999.5)];
#[rustfmt::skip]
const FORWARD_KL: &[(f64, f64)] = &[(-40.0, -1.0), (-20.0, -0.9999999979388464), (-5.0, -0.9932620530009145), (-1.0, -0.6321205588285577), (-0.01, -0.009950166250831947), (0.01, 0.010050167084168058), (1.0, 1.7182818284590453), (5.0, 147.4131591025766), (20.0, 485165194.4097903), (40.0, 2.3538526683702e+17)];
#[rustfmt::skip]
const PEARSON: &[(f64, f64)] = &[(-40.0, 39.5), (-20.0, 19.5), (-5.0, 4.500022699964881), (-1.0, 0.5676676416183063), (-0.01, 9.933665337765111e-05), (0.01, 0.00010067001337790509), (1.0, 2.194528049465325), (5.0, 11007.732897403359), (20.0, 1.1769263341850997e+17), (40.0, 2.770311192196755e+34)];
#[rustfmt::skip]
const TOTAL_VARIATION: &[(f64, f64)] = &[(-40.0, 20.0), (-20.0, 10.0), (-5.0, 2.5), (-1.0, 0.5), (-0.01, 0.005), (0.01, 0.005), (1.0, 0.5), (5.0, 2.5)];

#[test]
fn loss_to_divergence() {
    divergence_is(|t| 2.0 * t, &[], "g = t², f = 2u − 2 − 2 ln u", QUADRATIC);
    divergence_is(
        |t| 2.0 * (t / 2.0).exp_m1(),
        &[],
        "g = 4(e^(t/2) − t/2 − 1), f = 2u − 4√u + 2",
        LINEX_HALF,
    );
    divergence_is(
        f64::tanh,
        &[],
        "g = log cosh t, f = 1 − u + πu/2 − 2u atan(1/u)",
        LOG_COSH,
    );
    divergence_is(
        |t| 0.5 * t.signum(),
        &[0.0],
        "g = |t|/2, f = |u − 1|/2",
        ABS_HALF,
    );
}

#[test]
fn divergence_to_loss() {
    loss_is(
        f64::exp,
        0.0,
        &[],
        "f = u ln u, g' = e^t, g = e^t − 1",
        FORWARD_KL,
    );
    loss_is(
        |t| (2.0 * t).exp_m1(),
        0.0,
        &[],
        "f = (u − 1)², g' = e^(2t) − 1, g = e^(2t)/2 − t − 1/2",
        PEARSON,
    );
    loss_is(
        |t| 0.5 * t.signum(),
        0.0,
        &[0.0],
        "f = |u − 1|/2, g' = sign(t)/2, g = |t|/2",
        TOTAL_VARIATION,
    );
    loss_is(
        |t| 0.5 * t.signum(),
        0.0,
        &[0.0],
        "g = |t|/2 at large t",
        TV_FAR,
    );
}

/// `f = |u − 1|/2` far out: `g = |t|/2` from `g' = sign(t)/2`, which has no cancellation (the old
/// `f(e^t) − ∫ f(e^τ) dτ` lost every digit at `t = 40`).
#[rustfmt::skip]
const TV_FAR: &[(f64, f64)] = &[(20.0, 10.0), (30.0, 15.0), (35.0, 17.5), (40.0, 20.0), (-35.0, 17.5)];

#[test]
fn rounding_bound_is_added_to_the_error() {
    let r = |t: f64| 1e-9 * t.exp();
    let plain = loss_values(f64::exp, None, 0.0, &[2.0], TOL, &[]);
    let bounded = loss_values(f64::exp, Some(&r), 0.0, &[2.0], TOL, &[]);
    let (plain, bounded) = (plain[0].unwrap(), bounded[0].unwrap());
    assert_eq!(plain.value, bounded.value);
    let extra = bounded.error - plain.error;
    let expected = 1e-9 * 2f64.exp_m1();
    assert!(
        (extra - expected).abs() <= 1e-3 * expected * 1.01,
        "{extra} vs {expected}"
    );
}

/// The rounding part of a value's error at `t = 1.5` for `g' = e^t` and a bound `scale·e^t`:
/// `∫_0^1.5` is `scale·(e^1.5 − 1)`, the whole grid piece's `∫_0^2` is `scale·(e^2 − 1)`.
fn rounding_part(scale: f64) -> f64 {
    let r = move |t: f64| scale * t.exp();
    let plain = loss_values(f64::exp, None, 0.0, &[1.5], TOL, &[])[0].unwrap();
    let bounded = loss_values(f64::exp, Some(&r), 0.0, &[1.5], TOL, &[])[0].unwrap();
    assert_eq!(plain.value, bounded.value);
    bounded.error - plain.error
}

#[test]
fn a_small_rounding_bound_is_the_whole_pieces_and_a_large_one_the_points() {
    let (part, whole) = (1.5f64.exp_m1(), 2f64.exp_m1());
    // The budget is a tenth of the relative tolerance of g(1.5) = e^1.5 − 1: 3.5e-11.
    let small = rounding_part(1e-12);
    assert!(
        (small - 1e-12 * whole).abs() <= 1e-3 * 1e-12 * whole,
        "{small}"
    );
    assert!(small >= 1e-12 * part, "{small}");
    let large = rounding_part(1e-9);
    assert!((large - 1e-9 * part).abs() <= 1e-3 * 1e-9 * part, "{large}");
    // Either way the bound is never below the integral to the point itself.
    let tiny = rounding_part(1e-20);
    assert!(tiny >= 1e-20 * part, "{tiny}");
}

#[test]
fn a_value_with_a_rounding_bound_does_not_depend_on_the_other_points() {
    let r = |t: f64| 1e-15 * t.tanh().abs();
    let alone = |u: f64| divergence_values(f64::tanh, Some(&r), &[u], TOL, &[])[0].unwrap();
    let us = [1e12, 3.0, 1e-6, 0.999, 1.001, 1e-12, 2.5];
    for (v, &u) in divergence_values(f64::tanh, Some(&r), &us, TOL, &[])
        .iter()
        .zip(&us)
    {
        assert_eq!(v.unwrap(), alone(u), "u = {u}");
    }
}

#[test]
fn a_value_does_not_depend_on_the_other_points() {
    let alone = |t: f64| loss_values(f64::tanh, None, 0.0, &[t], TOL, &[])[0].unwrap();
    let ts = [35.0, 10.0, -3.5, 0.25, 35.0, 17.0, -40.0];
    for (v, &t) in loss_values(f64::tanh, None, 0.0, &ts, TOL, &[])
        .iter()
        .zip(&ts)
    {
        assert_eq!(v.unwrap(), alone(t), "t = {t}");
    }
    let us = [1e12, 3.0, 1e-6, 0.999, 1e-12];
    let alone = |u: f64| divergence_values(f64::tanh, None, &[u], TOL, &[])[0].unwrap();
    for (v, &u) in divergence_values(f64::tanh, None, &us, TOL, &[])
        .iter()
        .zip(&us)
    {
        assert_eq!(v.unwrap(), alone(u), "u = {u}");
    }
}

#[test]
fn compiled_expressions_work_as_integrands() {
    let g = crate::parse::parse("log(cosh(t))").unwrap();
    let g_prime = compile(&crate::diff::diff(&g, "t").unwrap(), "t", &Params::new()).unwrap();
    divergence_is(|t| g_prime.eval(t), &[], "compiled log cosh", LOG_COSH);
    let f = compile(
        &crate::parse::parse("u^2 - 1").unwrap(),
        "u",
        &Params::new(),
    )
    .unwrap();
    loss_is(
        |t| f.eval(t.exp()),
        0.0,
        &[],
        "compiled Pearson g'",
        PEARSON,
    );
}

/// `f(u) = 2u (atan x − x) + (u − 1)²/(u + 1)` with `x = (u − 1)/(u + 1)`: the log-cosh
/// generator without the cancellation of `1 − u + πu/2 − 2u atan(1/u)` near `u = 1`.
fn log_cosh_generator(u: f64) -> f64 {
    let x = (u - 1.0) / (u + 1.0);
    2.0 * u * (x.atan() - x) + (u - 1.0) * (u - 1.0) / (u + 1.0)
}

/// The benchmark's workload (`benches/transform.rs`): 1,000 log-spaced points in `[1e-3, 1e3]`.
#[test]
fn benchmark_workload_is_accurate() {
    let us: Vec<f64> = (0..1000)
        .map(|i| 10f64.powf(-3.0 + 6.0 * f64::from(i) / 999.0))
        .collect();
    let got = all_ok(
        "benchmark",
        divergence_values(f64::tanh, None, &us, Tolerance::default(), &[]),
    );
    let worst = got
        .iter()
        .map(|v| (v.value - log_cosh_generator(v.x)).abs() / log_cosh_generator(v.x))
        .fold(0.0, f64::max);
    assert!(worst <= 1e-10, "worst relative error {worst:e}");
}

#[test]
fn failures_are_reported_point_by_point() {
    let out = |e: &TransformError| matches!(e, TransformError::OutOfDomain { .. });
    for u in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e-13, 1e13] {
        let got = divergence_values(f64::tanh, None, &[1.0, u], TOL, &[]);
        assert!(got[0].is_ok(), "u = {u}");
        assert!(got[1].as_ref().is_err_and(out), "u = {u}");
    }
    for t in [f64::NAN, 41.0, -41.0, f64::NEG_INFINITY] {
        let got = loss_values(|t| t, None, 0.0, &[t, 1.0], TOL, &[]);
        assert!(got[0].as_ref().is_err_and(out), "t = {t}");
        assert!(got[1].is_ok(), "t = {t}");
    }
    let got = divergence_values(
        |t| if t < -2.0 { f64::NAN } else { t },
        None,
        &[1e-3, 0.5],
        TOL,
        &[],
    );
    assert!(
        matches!(got[0], Err(TransformError::Quad(QuadError::NonFinite { at, .. })) if at < -2.0),
        "{got:?}"
    );
    assert!(got[1].is_ok());
    let got = loss_values(|t| 1.0 / (t - 0.5), None, 0.0, &[0.25, 1.0], TOL, &[]);
    assert!(got[0].is_ok(), "{got:?}");
    assert!(
        matches!(
            got[1],
            Err(TransformError::Quad(
                QuadError::Divergent { .. } | QuadError::NonFinite { .. }
            ))
        ),
        "{got:?}"
    );
    let got = loss_values(|t| t, None, f64::NAN, &[1.0], TOL, &[]);
    assert!(
        matches!(got[0], Err(TransformError::NonFinite { .. })),
        "{got:?}"
    );
}

/// A value past the largest `f64` from a finite integral is [`TransformError::Overflow`], never a
/// value `inf` whose tolerance, relative to it, is `inf` too ("the error estimate inf exceeds the
/// tolerance inf"); the values below it stand. One case per line.
#[test]
#[rustfmt::skip]
fn a_value_past_the_largest_float_is_an_overflow() {
    let huge = |t: f64| 1e308 * (t / (1.0 + t * t).sqrt());
    let got = divergence_values(huge, None, &[2.0, 100.0], TOL, &[]);
    assert!(got[0].as_ref().is_ok_and(|v| v.value.is_finite() && v.value > 1e307), "{got:?}");
    assert_eq!(got[1], Err(TransformError::Overflow { x: 100.0 }));
    let got = loss_values(|_| 1.5e308, None, 1.5e308, &[-0.5, 0.1, 0.5], TOL, &[]);
    assert_eq!(got[0].as_ref().map(|v| v.value), Ok(0.75e308));
    assert!(got[1].as_ref().is_ok_and(|v| (v.value / 1.65e308 - 1.0).abs() < 1e-14), "{got:?}");
    assert_eq!(got[2], Err(TransformError::Overflow { x: 0.5 }));
    let got = loss_values_by_difference(|u| 1.5e308 * u, &[0.0, 0.5], TOL, &[]);
    assert_eq!(got[0].as_ref().map(|v| v.value), Ok(1.5e308));
    assert!(matches!(got[1], Err(TransformError::Overflow { .. } | TransformError::NonFinite { .. } | TransformError::Quad(_))), "{got:?}");
    assert_eq!(TransformError::Overflow { x: 100.0 }.to_string(), "the value exceeds the largest floating-point number (about 1.8e308)");
}

/// A rounding bound that is infinite near `t = 0` (the running bound of `|e^t − 1|^(1/2)` is,
/// within an ulp of it) gives no error to state: refused as such, on both sides, never as a value
/// past the largest float.
#[rustfmt::skip]
#[test]
fn an_infinite_rounding_bound_is_its_own_reason() {
    let r = |t: f64| if t.abs() < 1e-2 { f64::INFINITY } else { 1e-16 };
    let unbounded = |got: &Result<Value, TransformError>| matches!(got, Err(TransformError::UnboundedRounding { at }) if at.abs() < 1e-2);
    let got = loss_values(|t| t, Some(&r), 0.0, &[0.5], TOL, &[]);
    assert!(unbounded(&got[0]), "{got:?}");
    let got = divergence_values(|t| t, Some(&r), &[1.5], TOL, &[]);
    assert!(unbounded(&got[0]), "{got:?}");
    assert_eq!(TransformError::UnboundedRounding { at: 2.15e-16 }.to_string(), "the rounding error of g' cannot be bounded near τ = 2.1e-16");
}

use super::*;
use std::f64::consts::PI;

const TOL: Tolerance = Tolerance {
    rel: 1e-10,
    abs: 1e-14,
};

#[track_caller]
fn integrates_to(f: impl Fn(f64) -> f64, a: f64, b: f64, breakpoints: &[f64], exact: f64) {
    let r = match integrate(f, a, b, TOL, breakpoints) {
        Ok(r) => r,
        Err(e) => panic!("∫ from {a} to {b}: {e}"),
    };
    let actual = (r.value - exact).abs();
    assert!(r.error >= 0.0, "negative error {r:?}");
    assert!(
        actual <= 1e-10 * exact.abs().max(1e-4),
        "∫ from {a} to {b} = {} (±{}), expected {exact}",
        r.value,
        r.error
    );
    assert!(
        actual <= r.error + 4.0 * f64::EPSILON * exact.abs(),
        "error under-reported: {r:?}, actual {actual}"
    );
}

#[track_caller]
fn fails(f: impl Fn(f64) -> f64, a: f64, b: f64, breakpoints: &[f64]) -> QuadError {
    match integrate(f, a, b, TOL, breakpoints) {
        Ok(r) => panic!("∫ from {a} to {b} gave {r:?}, expected an error"),
        Err(e) => e,
    }
}

#[test]
fn finite_ranges() {
    integrates_to(|x| x * x, 0.0, 1.0, &[], 1.0 / 3.0);
    integrates_to(|x| x.powi(21), 0.0, 1.0, &[], 1.0 / 22.0);
    integrates_to(f64::exp, -3.0, 2.0, &[], 2f64.exp() - (-3f64).exp());
    integrates_to(f64::sin, 0.0, PI, &[], 2.0);
    integrates_to(
        |x| 1.0 / (1.0 + 25.0 * x * x),
        -1.0,
        1.0,
        &[],
        0.4 * 5f64.atan(),
    );
    integrates_to(|x| x.tanh() * (-x).exp(), 0.0, 27.0, &[], tanh_exp(27.0));
    integrates_to(
        |x| (x * 100.0).sin().powi(2),
        0.0,
        10.0,
        &[],
        5.0 - (2000f64).sin() / 400.0,
    );
}

/// `∫_0^T tanh(τ) e^(−τ) dτ = 2 atan(e^T) + e^(−T) − π/2 − 1 = 2 atan(tanh(T/2)) + expm1(−T)`.
fn tanh_exp(t: f64) -> f64 {
    2.0 * (0.5 * t).tanh().atan() + (-t).exp_m1()
}

#[test]
fn reversed_limits_negate_with_positive_error() {
    integrates_to(|x| x * x, 1.0, 0.0, &[], -1.0 / 3.0);
    integrates_to(|x| x.abs(), 2.0, -1.0, &[0.0], -2.5);
    let r = integrate(|x| x * x, 1.0, 0.0, TOL, &[]).unwrap();
    assert!(r.error > 0.0 && r.error < 1e-12, "{r:?}");
    assert_eq!(integrate(|x| x, 3.0, 3.0, TOL, &[]).unwrap().value, 0.0);
}

#[test]
fn breakpoints_at_kinks() {
    integrates_to(|x| x.abs(), -1.0, 2.0, &[0.0], 2.5);
    integrates_to(|x| x.abs(), -1.0, 2.0, &[], 2.5);
    integrates_to(
        |x| (x - 0.3).abs(),
        -1.0,
        2.0,
        &[0.3, 17.0, -5.0],
        0.5 * 1.3 * 1.3 + 0.5 * 1.7 * 1.7,
    );
    integrates_to(|x| if x < 0.5 { 1.0 } else { 3.0 }, 0.0, 1.0, &[0.5], 2.0);
    let with = integrate(|x| x.abs(), -1.0, 2.0, TOL, &[0.0]).unwrap();
    let without = integrate(|x| x.abs(), -1.0, 2.0, TOL, &[]).unwrap();
    assert!(with.evaluations == 30, "{with:?}");
    assert!(without.evaluations > with.evaluations, "{without:?}");
}

#[test]
fn infinite_limits_are_mapped() {
    integrates_to(|x| (-x).exp(), 0.0, f64::INFINITY, &[], 1.0);
    integrates_to(f64::exp, f64::NEG_INFINITY, 0.0, &[], 1.0);
    integrates_to(
        |x| (-x * x).exp(),
        f64::NEG_INFINITY,
        f64::INFINITY,
        &[],
        PI.sqrt(),
    );
    integrates_to(
        |x| (-x * x).exp(),
        f64::INFINITY,
        f64::NEG_INFINITY,
        &[],
        -PI.sqrt(),
    );
    integrates_to(|x| 1.0 / (x * x), 1.0, f64::INFINITY, &[], 1.0);
    integrates_to(
        |x| 1.0 / (1.0 + x * x),
        f64::NEG_INFINITY,
        f64::INFINITY,
        &[],
        PI,
    );
    integrates_to(
        |x| x.tanh() * (-x).exp(),
        0.0,
        f64::INFINITY,
        &[],
        PI / 2.0 - 1.0,
    );
}

#[test]
fn integrable_endpoint_singularities() {
    integrates_to(|x| 1.0 / x.sqrt(), 0.0, 1.0, &[], 2.0);
    integrates_to(f64::ln, 0.0, 1.0, &[], -1.0);
    integrates_to(|x| (1.0 - x).powf(-0.25), 0.0, 1.0, &[], 4.0 / 3.0);
}

#[test]
fn non_finite_samples_are_errors_with_their_location() {
    let at = |e: QuadError| match e {
        QuadError::NonFinite { at, value } => {
            assert!(!value.is_finite());
            at
        }
        other => panic!("expected NonFinite, got {other}"),
    };
    assert!(at(fails(|x| (x - 0.25).ln(), 0.0, 1.0, &[])) < 0.25);
    assert!(at(fails(|x| if x > 0.7 { f64::NAN } else { x }, 0.0, 1.0, &[])) > 0.7);
    assert!(
        at(fails(
            |x| if x < -2.0 { f64::INFINITY } else { x },
            -5.0,
            1.0,
            &[]
        )) < -2.0
    );
    assert!(
        at(fails(
            |x| if x > 1e3 { f64::NAN } else { (-x).exp() },
            0.0,
            f64::INFINITY,
            &[]
        )) > 1e3
    );
    assert_eq!(at(fails(|x| x.sin() / x, -1.0, 1.0, &[])), 0.0);
    integrates_to(|x| x.sin() / x, -1.0, 1.0, &[0.0], 1.892_166_140_734_366);
}

#[test]
fn divergent_integrals_never_give_a_value() {
    let diverges = |e: QuadError| {
        assert!(
            matches!(
                e,
                QuadError::Divergent { .. } | QuadError::NotConverged { .. }
            ),
            "{e}"
        );
        matches!(e, QuadError::Divergent { .. })
    };
    assert!(diverges(fails(|x| 1.0 / x, 0.0, 1.0, &[])));
    assert!(diverges(fails(|x| 1.0 / x, 1.0, 0.0, &[])));
    assert!(diverges(fails(|x| 1.0 / (x * x), 0.0, 1.0, &[])));
    assert!(diverges(fails(|x| 1.0 / (1.0 - x), 0.0, 1.0, &[])));
    assert!(diverges(fails(|x| 1.0 / x, 1.0, f64::INFINITY, &[])));
    let e = fails(|x| 1.0 / (x - 0.3).abs(), 0.0, 1.0, &[]);
    assert!(!matches!(e, QuadError::BadRange { .. }), "{e}");
    let near = match fails(|x| 1.0 / x, 0.0, 1.0, &[]) {
        QuadError::Divergent { near, .. } => near,
        other => panic!("{other}"),
    };
    assert_eq!(near, 0.0);
}

#[test]
fn bad_input_is_an_error() {
    let tol = |rel, abs| Tolerance { rel, abs };
    assert!(matches!(
        fails(|x| x, f64::NAN, 1.0, &[]),
        QuadError::BadRange { .. }
    ));
    assert!(matches!(
        fails(|x| x, f64::INFINITY, f64::INFINITY, &[]),
        QuadError::BadRange { .. }
    ));
    assert!(matches!(
        fails(|x| x, 0.0, 1.0, &[f64::NAN]),
        QuadError::BadBreakpoint { .. }
    ));
    for t in [tol(-1.0, 0.0), tol(0.0, f64::NAN), tol(f64::INFINITY, 0.0)] {
        let e = integrate(|x| x, 0.0, 1.0, t, &[]).unwrap_err();
        assert!(matches!(e, QuadError::BadTolerance { .. }), "{e}");
    }
    let e = cumulative(|x| x, f64::INFINITY, &[1.0], TOL, &[]).unwrap_err();
    assert!(matches!(e, QuadError::BadRange { .. }), "{e}");
    let e = cumulative(|x| x, 0.0, &[1.0, f64::NAN], TOL, &[]).unwrap_err();
    assert!(matches!(e, QuadError::BadRange { .. }), "{e}");
}

#[test]
fn tolerance_is_met_or_refused() {
    let zero = Tolerance { rel: 0.0, abs: 0.0 };
    let r = integrate(f64::sin, 0.0, 2.0 * PI, zero, &[]).unwrap();
    assert!(r.value.abs() <= r.error && r.error <= 1e-13, "{r:?}");
    let r = integrate(|x| x.cos() + 1e-9, 0.0, 2.0 * PI, TOL, &[]).unwrap();
    assert!(
        (r.value - 2e-9 * PI).abs() <= r.error && r.error <= 1e-13,
        "{r:?}"
    );
    let messages = [
        QuadError::NonFinite {
            at: 0.5,
            value: f64::NAN,
        }
        .to_string(),
        QuadError::Divergent {
            near: 0.0,
            estimate: 3.0,
        }
        .to_string(),
        QuadError::NotConverged {
            estimate: 1.0,
            error: 1e-3,
            tolerance: 1e-10,
        }
        .to_string(),
    ];
    assert_eq!(
        messages[0],
        "the integrand is not finite at τ = 0.5 (it is NaN)"
    );
    assert_eq!(messages[1], "the integral grows without bound near τ = 0");
    assert!(
        messages
            .iter()
            .all(|m| !m.ends_with('.') && m.starts_with("the"))
    );
}

/// `∫_0^x e^(−y²/2) cos y dy` at unsorted points on both sides, repeated, and at the origin.
#[test]
fn cumulative_matches_separate_integrals() {
    let f = |y: f64| (-0.5 * y * y).exp() * y.cos();
    let points = [
        3.0,
        -0.5,
        0.0,
        7.5,
        -2.0,
        3.0,
        0.01,
        -9.0,
        1.0,
        f64::INFINITY,
        -1e-3,
    ];
    let all = cumulative(f, 0.0, &points, TOL, &[]).unwrap();
    for (x, c) in points.iter().zip(&all) {
        let single = integrate(f, 0.0, *x, TOL, &[]).unwrap();
        let scale = single.value.abs().max(1e-300);
        assert!(
            (c.value - single.value).abs() <= 2e-10 * scale,
            "at {x}: {c:?} vs {single:?}"
        );
        assert!(c.error <= 1e-10 * scale, "at {x}: {c:?}");
    }
    assert_eq!(
        all[2],
        Integral {
            value: 0.0,
            error: 0.0,
            evaluations: 0
        }
    );
    assert_eq!(all[0], all[5]);
}

#[test]
fn cumulative_with_breakpoints_and_other_origin() {
    let points = [-1.0, 2.0, 0.5, -0.2];
    let all = cumulative(|x| (x - 0.3).abs(), 1.0, &points, TOL, &[0.3]).unwrap();
    let exact = |x: f64| {
        let prim = |y: f64| 0.5 * (y - 0.3) * (y - 0.3).abs();
        prim(x) - prim(1.0)
    };
    for (x, c) in points.iter().zip(&all) {
        assert!(
            (c.value - exact(*x)).abs() <= 1e-14,
            "at {x}: {c:?} vs {}",
            exact(*x)
        );
    }
}

#[test]
fn many_points_cost_about_one_panel_each() {
    let points: Vec<f64> = (0..1000)
        .map(|i| -7.0 + 14.0 * f64::from(i) / 999.0)
        .collect();
    let all = cumulative(|x| x.tanh() * (-x).exp(), 0.0, &points, TOL, &[]).unwrap();
    let total: usize = [all[0].evaluations, all[999].evaluations].iter().sum();
    assert!(total <= 15 * 1100, "{total} evaluations");
    for (x, c) in points.iter().zip(&all) {
        let exact = tanh_exp(*x);
        assert!(
            (c.value - exact).abs() <= 1e-12 * exact.abs().max(1e-300),
            "at {x}: {c:?}, {exact}"
        );
    }
}

#[test]
fn pointwise_values_stand_alone() {
    let f = |x: f64| x.tanh() * (-x).exp() + (x - 0.3).abs();
    let points = [4.5, -2.0, 0.7, 30.0, 4.5, -0.25, 0.0, f64::INFINITY];
    let all = pointwise(f, 0.0, &points, TOL, &[0.3]);
    for (r, &x) in all.iter().zip(&points) {
        let alone = pointwise(f, 0.0, &[x], TOL, &[0.3]).pop().unwrap();
        assert_eq!(r, &alone, "x = {x}");
        if x.is_finite() {
            let direct = integrate(f, 0.0, x, TOL, &[0.3]).unwrap();
            let r = r.unwrap();
            assert!(
                (r.value - direct.value).abs() <= r.error + direct.error,
                "x = {x}: {r:?} vs {direct:?}"
            );
        }
    }
}

#[test]
fn pointwise_failures_stay_with_their_point() {
    let f = |x: f64| 1.0 / (x - 2.0);
    let got = pointwise(f, 0.0, &[1.0, 3.0, -1.0, f64::NAN], TOL, &[]);
    assert!(
        (got[0].unwrap().value - 0.5f64.ln()).abs() < 1e-12,
        "{got:?}"
    );
    assert!(got[1].is_err(), "{got:?}");
    assert!(
        (got[2].unwrap().value - 1.5f64.ln()).abs() < 1e-12,
        "{got:?}"
    );
    assert!(matches!(got[3], Err(QuadError::BadRange { .. })), "{got:?}");
    let bad = pointwise(f, 0.0, &[1.0], TOL, &[f64::NAN]);
    assert!(
        matches!(bad[0], Err(QuadError::BadBreakpoint { .. })),
        "{bad:?}"
    );
}

#[test]
fn pointwise_meets_the_tolerance_of_a_cancelling_value() {
    // ∫_0^x sin(τ) dτ = 1 − cos x is tiny at x = 2π·k, where the pieces cancel.
    let x = 4.0 * PI;
    let r = pointwise(f64::sin, 0.0, &[x], TOL, &[])
        .pop()
        .unwrap()
        .unwrap();
    let exact = 1.0 - x.cos();
    assert!(
        (r.value - exact).abs() <= r.error.max(1e-15),
        "{r:?} vs {exact}"
    );
    assert!(r.error <= TOL.allowed(r.value, 8.0) * 1.000_001, "{r:?}");
}

#[test]
fn dense_points_along_a_curve_cost_under_one_evaluation_each_and_stand_alone() {
    // ∫_0^x 2τ/(1 + τ²) e^{−τ} dτ at 1,000 log-spaced u = e^x in [1e-3, 1e3].
    let f = |x: f64| 2.0 * x / (1.0 + x * x) * (-x).exp();
    let points: Vec<f64> = (0..1000)
        .map(|i| (-3.0 + 6.0 * f64::from(i) / 999.0) * 10f64.ln())
        .collect();
    let calls = std::cell::Cell::new(0usize);
    let counted = |x: f64| {
        calls.set(calls.get() + 1);
        f(x)
    };
    let all = pointwise(counted, 0.0, &points, TOL, &[]);
    assert!(calls.get() <= 1000, "{} evaluations", calls.get());
    for (k, (r, &x)) in all.iter().zip(&points).enumerate() {
        let r = r.unwrap();
        let direct = integrate(
            f,
            0.0,
            x,
            Tolerance {
                rel: 1e-13,
                abs: 0.0,
            },
            &[],
        )
        .unwrap();
        assert!(
            (r.value - direct.value).abs() <= r.error + direct.error,
            "x = {x}: {r:?} vs {direct:?}"
        );
        assert!(
            r.error <= TOL.allowed(r.value, 0.0) * (1.0 + 1e-9),
            "x = {x}: {r:?}"
        );
        if k % 97 == 0 {
            let alone = pointwise(f, 0.0, &[x], TOL, &[]).pop().unwrap();
            assert_eq!(alone, Ok(r), "x = {x}");
            let reversed: Vec<f64> = points.iter().rev().copied().collect();
            let backwards = pointwise(f, 0.0, &reversed, TOL, &[]);
            assert_eq!(backwards[999 - k], Ok(r), "x = {x}");
        }
    }
}

#[test]
fn a_curve_that_forgets_its_parts_gives_the_same_bits() {
    // Points near the origin go to the panels, near-cancelling ones retry: with room for only
    // a few parts and sums, the tables are emptied again and again, and nothing changes.
    let f = |x: f64| x.sin() * (-x).exp();
    let xs: Vec<f64> = (1..200)
        .map(|i| f64::from(i) * 1e-3 * if i % 2 == 0 { 1.0 } else { -30.0 })
        .collect();
    let mut forgetful = Pointwise::new(f, 0.0, &[]).unwrap();
    forgetful.memo_limit = 4;
    for &x in &xs {
        let alone = pointwise(f, 0.0, &[x], TOL, &[]).pop().unwrap();
        assert_eq!(forgetful.at(x, TOL), alone, "x = {x}");
    }
    assert!(forgetful.memo.len() <= 4 && forgetful.prefixes.len() <= 4);
}

/// Samples near the largest `f64` whose weighted sums overflow, one case per line: a
/// representable integral is found (the sums are rescaled by a power of two), one past the
/// largest `f64` is [`QuadError::Overflow`], never a non-convergence "above the tolerance 0".
#[test]
#[rustfmt::skip]
fn integrals_near_the_largest_float() {
    integrates_to(|_| -1.5e308, 0.0, 0.4, &[], -0.6e308);
    integrates_to(|_| 1.7e308, 0.0, 1.0, &[], 1.7e308);
    integrates_to(|x| 1.5e308 * (1.0 - x), 0.0, 1.5, &[], 1.5e308 * (1.5 - 1.125));
    integrates_to(|x| -1.5e308 * x.exp(), 0.0, 0.1, &[], -1.5e308 * (0.1f64.exp() - 1.0));
    assert_eq!(fails(|_| 1.5e308, 0.0, 2.0, &[]), QuadError::Overflow { lo: 0.0, hi: 2.0 });
    assert_eq!(fails(|_| -1.5e308, -2.0, 0.0, &[]), QuadError::Overflow { lo: -2.0, hi: 0.0 });
    let many = pointwise(|_| -1.5e308, 0.0, &[0.4, 1.0, 1.1, 2.0], TOL, &[]);
    assert_eq!(many[0].map(|i| i.value), Ok(-1.5e308 * 0.4));
    assert!((many[2].unwrap().value / -1.65e308 - 1.0).abs() < 1e-14, "{many:?}");
    assert_eq!(many[3], Err(QuadError::Overflow { lo: 0.0, hi: 2.0 }));
    assert_eq!(
        QuadError::Overflow { lo: 0.0, hi: 2.0 }.to_string(),
        "the integral from τ = 0 to 2 exceeds the largest floating-point number (about 1.8e308)"
    );
}

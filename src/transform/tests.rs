//! Derived pairs, one case per line: the published rows of Hu et al. 2025 (Table 2) and the worked transforms.

use super::*;
use crate::parse::parse;
use crate::print::plain;

#[track_caller]
fn loss_gives(g: &str, f: &str) {
    let c = from_loss(
        &parse(g).unwrap(),
        Residual::TargetMinusModel,
        &Bindings::new(),
    )
    .unwrap_or_else(|e| panic!("{g}: {e}"));
    let got = c.divergence.as_ref().map(plain);
    assert_eq!(got.as_deref(), Some(f), "f of g = {g}");
}

#[track_caller]
fn divergence_gives(f: &str, g: &str) {
    let c = from_divergence(
        &parse(f).unwrap(),
        Residual::TargetMinusModel,
        &Bindings::new(),
    )
    .unwrap_or_else(|e| panic!("{f}: {e}"));
    let got = c.loss.as_ref().map(plain);
    assert_eq!(got.as_deref(), Some(g), "g of f = {f}");
}

#[test]
fn published_rows() {
    loss_gives("t^2/2", "u - 1 - log(u)");
    loss_gives("exp(t) - t - 1", "u*log(u) - u + 1");
    loss_gives("4*exp(t/2) - 2*t - 4", "2*u - 4*sqrt(u) + 2");
    loss_gives("exp(t) + exp(-t) - 2", "u*log(u) - u/2 + 1/(2*u)");
    loss_gives("t^2", "2*u - 2 - 2*log(u)");
    loss_gives("4*(exp(t/2) - t/2 - 1)", "2*u - 4*sqrt(u) + 2");
}

#[test]
fn worked_transforms() {
    divergence_gives("u*log(u)", "exp(t) - 1");
    divergence_gives("-log(u)", "t^2/2 - t");
    divergence_gives("(u - 1)^2", "exp(2*t)/2 - t - 1/2");
    divergence_gives("(sqrt(u) - 1)^2", "2*exp(t/2) - t - 2");
}

#[test]
fn rational_in_an_exponential() {
    loss_gives("log(cosh(t))", "2*u*atan(u) - pi*u/2 - u + 1");
    loss_gives(
        "softplus(t) - log(2) - t/2",
        "u*log(2*u/(u + 1)) - u/2 + 1/2",
    );
    loss_gives(
        "1/cosh(t) - 1",
        // not merged: 2*u^2/(u^2 + 1) underflows to 0 at u = 1e-300
        "-u*(log(u^2 + 1) + 1 - 2/(u^2 + 1) - log(2) - 2*log(u))",
    );
    loss_gives(
        "t - tanh(t)",
        "u*(2 + pi/2 - 2*atan(u) - (3*u^2 + 1)/(u*(u^2 + 1)))",
    );
    loss_gives(
        "log(cosh(t/3))",
        "pi*u/2 + 5*u/3 - 2*u*atan(u^(1/3)) - 2*u^(2/3) + 1/3",
    );
    divergence_gives(
        "(u - 1)^2/(2*(u + 1))",
        "-t/2 + 2*softplus(t) + 2*sigmoid(-t) - 1 - 2*log(2)",
    );
    divergence_gives(
        "(u - 1)^2/(u + 1)",
        "-t + 4*softplus(t) + 4*sigmoid(-t) - 2 - 4*log(2)",
    );
    divergence_gives(
        "1/(u + 1) - 1/2",
        "-t/2 + softplus(t) + sigmoid(-t) - 1/2 - log(2)",
    );
}

#[test]
fn regime_four_of_log_cosh_is_elementary() {
    use crate::analysis::regime::generator;
    use crate::check::Regime;
    let f4 = generator(
        &parse("log(cosh(t))").unwrap(),
        Regime::TargetSamplesTargetGradient,
    )
    .unwrap()
    .map(|f| plain(&f));
    assert_eq!(f4.as_deref(), Some("u + pi/2 - 1 - 2*atan(u)"));
}

#[track_caller]
fn round_trip_loss(g: &str) {
    let g0 = simplify(&parse(g).unwrap()).unwrap();
    let f = divergence_of(&g0)
        .unwrap()
        .unwrap_or_else(|| panic!("{g}: no closed form"));
    let g1 = loss_of(&f)
        .unwrap()
        .unwrap_or_else(|| panic!("{}: no closed form", plain(&f)));
    // g → f → g gives g back up to c·t (compared in exponential form: cosh becomes exp).
    let exps = crate::integrate::closed::to_exponentials;
    let diff = simplify(&exps(&(g1 - g0))).unwrap();
    let c = simplify(&crate::diff::diff(&diff, "t").unwrap()).unwrap();
    assert!(c.is_constant(), "{g}: g1 - g = {} is not c·t", plain(&diff));
    let rest = simplify(&(diff - c * Expr::sym("t"))).unwrap();
    assert!(rest.is_zero(), "{g}: g1 - g - c·t = {}", plain(&rest));
}

#[track_caller]
fn round_trip_divergence(f: &str) {
    let f0 = simplify(&parse(f).unwrap()).unwrap();
    let g = loss_of(&f0)
        .unwrap()
        .unwrap_or_else(|| panic!("{f}: no closed form"));
    let f1 = divergence_of(&g)
        .unwrap()
        .unwrap_or_else(|| panic!("{}: no closed form", plain(&g)));
    // f → g → f gives f back up to c·(u − 1).
    let diff = simplify(&(f1 - f0)).unwrap();
    let c = simplify(&crate::diff::diff(&diff, "u").unwrap()).unwrap();
    assert!(
        c.is_constant(),
        "{f}: f1 - f = {} is not c·(u - 1)",
        plain(&diff)
    );
    let rest = simplify(&(diff - c * (Expr::sym("u") - Expr::one()))).unwrap();
    assert!(rest.is_zero(), "{f}: f1 - f - c·(u - 1) = {}", plain(&rest));
}

#[test]
fn round_trips() {
    for g in [
        "t^2",
        "t^2/2",
        "exp(t) - t - 1",
        "4*exp(t/2) - 2*t - 4",
        "exp(t) + exp(-t) - 2",
        "t^3 + t^4",
        "cosh(t) - 1",
        "t*exp(t)",
    ] {
        round_trip_loss(g);
    }
    for f in [
        "u*log(u)",
        "-log(u)",
        "(u - 1)^2",
        "(sqrt(u) - 1)^2",
        "(u - 1)*log(u)",
        "(1 - u)^2/u",
        "u^3 - 1",
    ] {
        round_trip_divergence(f);
    }
}

#[test]
fn parametric_linex_with_exact_parameter() {
    let mut b = Bindings::new();
    b.set_from_str("alpha=1/2").unwrap();
    let g = parse("(exp(alpha*t) - alpha*t - 1)/alpha^2").unwrap();
    let c = from_loss(&g, Residual::TargetMinusModel, &b).unwrap();
    assert_eq!(
        c.divergence.as_ref().map(plain).as_deref(),
        Some("2*u - 4*sqrt(u) + 2")
    );
}

#[test]
fn sign_trap_reflects_the_loss() {
    // Linex(1) on the model-minus-target residual is the reflected loss exp(-t) + t - 1.
    let g = parse("exp(t) - t - 1").unwrap();
    let c = from_loss(&g, Residual::ModelMinusTarget, &Bindings::new()).unwrap();
    assert_eq!(
        c.loss.as_ref().map(plain).as_deref(),
        Some("exp(-t) + t - 1")
    );
    assert_eq!(
        c.divergence.as_ref().map(plain).as_deref(),
        Some("u/2 - 1 + 1/(2*u)")
    );
}

#[test]
fn bad_input() {
    let b = Bindings::new();
    let err = from_loss(&parse("u^2").unwrap(), Residual::TargetMinusModel, &b).unwrap_err();
    assert!(err.to_string().contains("uses `u`"), "{err}");
    let err = from_divergence(&parse("t^2").unwrap(), Residual::TargetMinusModel, &b).unwrap_err();
    assert!(err.to_string().contains("uses `t`"), "{err}");
    let err = from_loss(&parse("a*t^2").unwrap(), Residual::TargetMinusModel, &b).unwrap_err();
    assert!(
        err.to_string().contains("parameter `a` has no value"),
        "{err}"
    );
    let c = from_loss(&parse("t^2 + 1").unwrap(), Residual::TargetMinusModel, &b).unwrap();
    assert!(
        c.notes.iter().any(|n| n.contains("g(0) = 1")),
        "{:?}",
        c.notes
    );
}

#[test]
fn closed_forms_that_cancel_are_evaluated_by_quadrature() {
    // f of t^8 is 40320·u − 40320 − … in powers of log(u): near u = 1 the terms cancel
    // completely in f64, so the value there must come from quadrature (references: mpmath).
    let pair = from_loss(
        &parse("t^8").unwrap(),
        Residual::TargetMinusModel,
        &Bindings::new(),
    )
    .unwrap();
    assert!(pair.closed_form());
    let v = pair.derived_values(&[1.01, 0.05]).unwrap();
    let reference = [9.620121052907494e-17, 4833.860862711708];
    for (v, r) in v.iter().zip(reference) {
        assert!(
            (v.value - r).abs() <= 1e-9 * r,
            "f({}) = {} ≠ {r}",
            v.x,
            v.value
        );
    }
    assert!(
        v[0].error.is_some(),
        "the value near u = 1 is labelled numeric"
    );
    // The gradient check falls back the same way and still proves the pair.
    let pair = from_loss(
        &parse("t^60").unwrap(),
        Residual::TargetMinusModel,
        &Bindings::new(),
    )
    .unwrap();
    let check = pair
        .gradient_check(&crate::check::CheckOptions::default())
        .unwrap();
    assert!(check.max_rel_error < 1e-6, "{check:?}");
}

#[test]
fn a_parameter_value_that_divides_by_zero_is_an_error() {
    let mut b = Bindings::new();
    b.set_from_str("alpha=0").unwrap();
    let g = parse("(exp(alpha*t) - alpha*t - 1)/alpha^2").unwrap();
    let err = from_loss(&g, Residual::TargetMinusModel, &b).unwrap_err();
    assert!(err.to_string().contains("division by zero"), "{err}");
}

#[test]
fn where_a_given_side_cancels_it_is_computed_another_way_not_taken_from_the_other_side() {
    let pair = |f: &str| {
        from_divergence(
            &parse(f).unwrap(),
            Residual::TargetMinusModel,
            &Bindings::new(),
        )
        .unwrap()
    };
    // Jensen–Shannon next to u = 1: the terms of `u log u − (u + 1) log((1 + u)/2)` cancel by
    // far more than `Conditioned` accepts; `f ≈ (u − 1)²/4` (mpmath: 2.49999999875e-19 at
    // u = 1 + 1e-9, and f(1 + 1e-3) = 2.49875072869824e-7).
    let js = pair("u*log(u) - (u + 1)*log((1 + u)/2)");
    let (f, _) = numeric::with_functions(&js, |p| {
        [(p.f)(1.0 + 1e-9), (p.f)(1.001), (p.g_prime)(1e-9)]
    })
    .unwrap();
    assert!((f[0] - 2.49999999875e-19).abs() <= 1e-6 * 2.5e-19, "{f:?}");
    assert!((f[1] - 2.49875072869824e-7).abs() <= 1e-9 * 2.5e-7, "{f:?}");
    // g'(t) = log(u + 1) − log(2) ≈ t/2 (5.00000000125e-10), to a few ulps of log(2).
    assert!((f[2] - 5.00000000125e-10).abs() <= 1e-14, "{f:?}");
    // A generator with f(1) ≠ 0 keeps its constant: f = u log u − (u + 1) log(u + 1) (GAN).
    let gan = pair("u*log(u) - (u + 1)*log(u + 1)");
    let (f, _) = numeric::with_functions(&gan, |p| (p.f)(1.0 + 1e-9)).unwrap();
    let exact = -1.386_294_361_813_038;
    assert!((f - exact).abs() <= 1e-15, "{f} vs {exact}");
}

#[test]
fn a_generator_whose_derivative_is_infinite_falls_back_to_the_defining_difference() {
    // f = sqrt(|u − 2|) − 1 has f' infinite at u = 2, so g' = u f' − f is not integrable
    // numerically across t = ln 2; g(t) = f(e^t) − ∫_0^t f(e^τ) dτ is (references: mpmath).
    let pair = from_divergence(
        &parse("sqrt(abs(u - 2)) - 1").unwrap(),
        Residual::TargetMinusModel,
        &Bindings::new(),
    )
    .unwrap();
    let reference = [
        (-5.0, 2.1047267138723717),
        (0.5, -0.322_436_089_407_370_1),
        (1.0, 0.18663087648895456),
        (5.0, -4.479_230_511_637_134),
        (20.0, -22003.515949028908),
    ];
    let ts: Vec<f64> = reference.iter().map(|r| r.0).collect();
    for (p, (t, r)) in pair.derived_points(&ts).unwrap().iter().zip(reference) {
        let v = p
            .as_ref()
            .unwrap_or_else(|e| panic!("t = {t}: {}", e.reason));
        let error = v.error.unwrap();
        assert!(
            (v.value - r).abs() <= error.max(1e-10 * r.abs()),
            "g({t}) = {v:?} ≠ {r}"
        );
    }
    let check = pair
        .gradient_check(&crate::check::CheckOptions::default())
        .unwrap();
    assert!(check.max_rel_error < 1e-4, "{check:?}");
}

#[test]
fn integrands_at_the_limits_of_f64_still_give_values() {
    // Far out, these integrands are tanh(τ) − 1 = 0 in f64, or underflow: their pieces cannot
    // meet a relative goal, but they are negligible in the value (references: mpmath).
    let cases = [
        ("log(cosh(t)) - t", 1e12, -429_203_673_205.103_4),
        ("sigmoid(t)", 1e12, 193_147_180_559.945_3),
        ("t*exp(-t^2)", 1e12, 227_179_319_617.476_5),
        ("t*exp(-t^2)", 1e-12, 1.365_117_216_851_85e-12),
        // f ≡ 0 for u > 1: known to a few ulps of u, which the floor allows.
        ("abs(t) - t", 1e3, 0.0),
    ];
    for (g, u, r) in cases {
        let pair = from_loss(
            &parse(g).unwrap(),
            Residual::TargetMinusModel,
            &Bindings::new(),
        )
        .unwrap();
        let p = pair.derived_points(&[u]).unwrap().pop().unwrap();
        let v = p.unwrap_or_else(|e| panic!("{g} at {u}: {}", e.reason));
        assert!(
            (v.value - r).abs() <= (1e-10 * r.abs()).max(1e-12 * u),
            "{g} at {u}: {v:?} ≠ {r}"
        );
    }
}

#[track_caller]
fn pairs_with(g: &str, expected: &str) {
    let c = from_loss(
        &parse(g).unwrap(),
        Residual::TargetMinusModel,
        &Bindings::new(),
    )
    .unwrap();
    let note = c
        .notes
        .iter()
        .find_map(|n| n.split_once("so f pairs with ").map(|(_, rest)| rest))
        .unwrap_or_else(|| panic!("{g}: no note on g(0) in {:?}", c.notes));
    assert_eq!(note, expected, "g = {g}");
}

#[test]
fn the_constant_a_loss_sheds_is_written_with_its_sign() {
    pairs_with("t^2 + 3", "g(t) − 3");
    pairs_with("t^2 - 1/2", "g(t) + 1/2");
    pairs_with("t^2 - pi", "g(t) + pi");
    pairs_with("t^2 + 2*log(2)", "g(t) − 2*log(2)");
    pairs_with("t^2 + 1 - log(2)", "g(t) + log(2) - 1");
    pairs_with("t^2 - 1 + log(2)", "g(t) + 1 - log(2)");
    pairs_with("t^2 + 1 + log(2)", "g(t) − (log(2) + 1)");
    pairs_with("t^2 - 1 - log(2)", "g(t) + log(2) + 1");
}

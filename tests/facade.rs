//! The crate-root facade, used as an embedding program would: only items at `fcorr::`.

use fcorr::{ErrorKind, Options, Regime, Residual, Verdict};

#[track_caller]
fn fails_with(result: Result<impl std::fmt::Debug, fcorr::Error>, kind: ErrorKind) {
    assert_eq!(result.unwrap_err().kind(), kind);
}

#[test]
fn derivations_in_both_directions() {
    let d = fcorr::from_loss("t^2", &Options::default()).unwrap();
    assert_eq!(d.f().as_deref(), Some("2*u - 2 - 2*log(u)"));
    assert_eq!(d.g().as_deref(), Some("t^2"));
    assert!(d.holds() && d.failure().is_none());
    let f = d.f_at(&[0.5, 1.0, 2.0]).unwrap();
    assert_eq!(f[1], 0.0);
    assert!((f[2] - (2.0 - 2.0 * 2f64.ln())).abs() < 1e-15);
    let d = fcorr::from_divergence("kl", &Options::default()).unwrap();
    let g = d.g_at(&[0.0, 1.0]).unwrap();
    assert!(g[0].abs() < 1e-15 && (g[1] - (1f64.exp() - 1.0)).abs() < 1e-12);
}

#[test]
fn options_reach_the_pipeline() {
    let tb = Options::default().residual(Residual::ModelMinusTarget);
    let d = fcorr::from_loss("exp(t) - t - 1", &tb).unwrap();
    assert_eq!(d.identified(), ["neyman", "alpha"]);
    let o = Options::default()
        .param("alpha=1/2")
        .points(&[0.5, 2.0])
        .regime(Regime::TargetSamplesModelGradient);
    let d = fcorr::from_loss("linex", &o).unwrap();
    assert_eq!(d.values.len(), 2);
    assert!(d.analysis.regime.as_ref().is_some_and(|r| r.is_ok()));
    assert_eq!(d.parameters[0].value, "1/2");
    let at = Options::default().points(&[-1.0]);
    fails_with(fcorr::from_loss("t^2", &at), ErrorKind::OutOfDomain);
}

#[test]
fn a_numeric_side_reports_refusals_not_values() {
    let d = fcorr::from_loss("sqrt(1 + t^2) - 1", &Options::default().points(&[0.5])).unwrap();
    assert!(!d.pair.closed_form());
    assert!(d.f().is_none());
    assert!(d.f_at(&[0.5, 2.0]).unwrap().iter().all(|v| v.is_finite()));
}

#[test]
fn claims() {
    let c = fcorr::check("t^2/2", "reverse-kl", &Options::default()).unwrap();
    assert!(c.holds && fcorr::claim_failure(&c).is_none());
    let tb = Options::default().residual(Residual::ModelMinusTarget);
    let c = fcorr::check("linex", "kl", &tb).unwrap();
    assert_eq!(c.verdict, Verdict::Fails);
    assert!(
        fcorr::claim_failure(&c)
            .unwrap()
            .starts_with("the claim does not hold")
    );
}

#[test]
fn errors_have_kinds_and_diagnostics() {
    let o = Options::default();
    fails_with(fcorr::from_loss("t^", &o), ErrorKind::Parse);
    fails_with(
        fcorr::from_loss("t^2", &o.clone().param("beta=1")),
        ErrorKind::UnknownParameter,
    );
    fails_with(
        fcorr::from_loss("linex", &o.clone().param("alpha=x")),
        ErrorKind::InvalidParameter,
    );
    fails_with(
        fcorr::from_loss("linex", &o.clone().param("alpha=0")),
        ErrorKind::Undefined,
    );
    let d = fcorr::from_divergence("kl", &o).unwrap();
    fails_with(d.f_at(&[0.0]), ErrorKind::OutOfDomain);
    fails_with(d.f_at(&[f64::NAN]), ErrorKind::OutOfDomain);
    let e = fcorr::from_loss("t^", &o).unwrap_err();
    let shown = fcorr::render_error(&e, "t^", false);
    assert!(shown.contains("t^") && shown.contains('^'), "{shown}");
    let e = fcorr::from_loss("t^2", &o.clone().param("beta=1")).unwrap_err();
    assert!(fcorr::render_error(&e, "t^2", false).starts_with("error: "));
}

#[test]
fn a_closure_is_verified() {
    let tb = Options::default().residual(Residual::ModelMinusTarget);
    let v = fcorr::verify_fn(|r: f64| r * r, "reverse-kl", &tb).unwrap();
    assert!(v.holds && (v.scale - 2.0).abs() < 1e-7);
}

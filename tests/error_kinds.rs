//! Each kind of error is raised where its failure happens, and a program can match it; a part of
//! the analysis that cannot be computed is an outcome with its kind, not an error.

use fcorr::{ErrorKind, Options, Regime};

#[track_caller]
fn kind_of(result: Result<impl std::fmt::Debug, fcorr::Error>) -> ErrorKind {
    result.unwrap_err().kind()
}

/// `(t + 1)*(t + 2)*…*(t + n)`: its derivative has about `n²` nodes.
fn long_product(n: usize) -> String {
    (1..=n)
        .map(|k| format!("(t + {k})"))
        .collect::<Vec<_>>()
        .join("*")
}

#[test]
fn each_kind_where_it_happens() {
    let o = Options::default();
    let cases: &[(&str, ErrorKind)] = &[
        ("t^", ErrorKind::Parse),
        ("u^2", ErrorKind::Input),
        ("a*t^2", ErrorKind::UnknownParameter),
        ("t*log(abs(t))", ErrorKind::Undefined),
        // The numeric transform's integral does not converge at any probe: `g'` holds
        // `|τ|^(−0.99)`, too singular at `τ = 0` for the quadrature.
        ("abs(t)^(1/100)*exp(t)", ErrorKind::Quadrature),
    ];
    for (loss, kind) in cases {
        assert_eq!(kind_of(fcorr::from_loss(loss, &o)), *kind, "{loss}");
    }
    assert_eq!(
        kind_of(fcorr::from_loss(&long_product(600), &o)),
        ErrorKind::LimitExceeded
    );
    assert_eq!(
        kind_of(fcorr::from_loss("t^2", &o.clone().param("b=1"))),
        ErrorKind::UnknownParameter
    );
    assert_eq!(
        kind_of(fcorr::from_loss("linex", &o.clone().param("alpha=x"))),
        ErrorKind::InvalidParameter
    );
}

#[test]
fn a_regime_without_closed_form_is_an_outcome_of_its_kind() {
    let o = Options::default().regime(Regime::TargetSamplesTargetGradient);
    let d = fcorr::from_loss("exp(t^2)", &o).unwrap();
    let r = d.analysis.regime.as_ref().unwrap().as_ref().unwrap_err();
    assert_eq!(r.kind, ErrorKind::NoClosedForm, "{}", r.reason);
    // The rest of the analysis stands.
    assert!(d.analysis.tails.is_ok() && d.analysis.convexity.is_ok());
    assert!(d.failure().is_some(), "only the regime was asked for");
    let o = o.points(&[2.0]);
    let d = fcorr::from_loss("exp(t^2)", &o).unwrap();
    assert!(d.failure().is_none(), "a value was given beside the regime");
}

#[test]
fn a_numeric_generator_has_no_closed_form_conjugate() {
    let d = fcorr::from_loss("exp(-t^2)", &Options::default()).unwrap();
    let c = d.analysis.conjugate.as_ref().unwrap_err();
    assert_eq!(c.kind, ErrorKind::NoClosedForm);
}

#[test]
fn failed_parts_stay_partial() {
    let o = Options::default();
    // `g'(0) = 1/(2·sqrt(0))`: the normalisation is undefined, the rest is reported.
    let d = fcorr::from_loss("sqrt(abs(t))", &o).unwrap();
    assert_eq!(
        d.analysis.normalization.as_ref().unwrap_err().kind,
        ErrorKind::Undefined
    );
    assert!(d.holds(), "the gradient check still runs");
    assert!(d.analysis.tails.is_ok() && d.analysis.class.is_ok());
    // `g'` overflows on the random models: the gradient check, the class and the reward check
    // cannot be computed; the rest stands and the derivation is not a success.
    let d = fcorr::from_loss("exp(exp(exp(t)))", &o).unwrap();
    assert_eq!(d.gradient.as_ref().unwrap_err().kind, ErrorKind::Undefined);
    assert_eq!(
        d.analysis.reward.as_ref().unwrap_err().kind,
        ErrorKind::Undefined
    );
    assert_eq!(
        d.analysis.class.as_ref().unwrap_err().kind,
        ErrorKind::Undefined
    );
    assert!(d.analysis.normalization.is_ok() && d.analysis.convexity.is_ok());
    assert!(!d.holds());
    assert!(
        d.failure()
            .is_some_and(|f| f.starts_with("the gradient check could not be computed"))
    );
}

#[test]
fn code_for_a_numeric_loss_has_no_closed_form() {
    // `g′` holds `atan(e^t − 1)`, which no method of the integration table integrates.
    let d = fcorr::from_divergence("(u - 1)*atan(u - 1)", &Options::default()).unwrap();
    assert!(d.g().is_none());
    let emitted = fcorr::emit::emit(&d.pair, fcorr::emit::Backend::Torch);
    assert_eq!(kind_of(emitted), ErrorKind::NoClosedForm);
}

#[test]
fn an_internal_error_in_a_part_is_found() {
    let mut d = fcorr::from_loss("t^2", &Options::default()).unwrap();
    assert_eq!(d.analysis.internal_error(), None);
    d.analysis.tails = Err(fcorr::analysis::Unavailable {
        kind: ErrorKind::Input,
        reason: "not a bug".into(),
    });
    assert_eq!(d.analysis.internal_error(), None);
    d.analysis.conjugate = Err(fcorr::analysis::Unavailable {
        kind: ErrorKind::Internal,
        reason: "internal error: a contradiction; please report this".into(),
    });
    assert_eq!(
        d.analysis.internal_error(),
        Some("internal error: a contradiction; please report this")
    );
}

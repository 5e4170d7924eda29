//! A closed form that passes the largest `f64` at some of the cross-check's probes is compared
//! with quadrature at the others, not refused as a whole: `exp(300*t)` pairs with
//! `300/299·(u^300 − u)`, which is `inf` at `u = 20` (and so is the quadrature there). A value
//! asked for where the closed form is not finite is refused with that reason.

use fcorr::{ErrorKind, Options, from_divergence, from_loss};

#[track_caller]
fn derives(loss: &str, f: &str) {
    let o = Options::default().points(&[0.5, 2.0, 20.0]);
    let d = from_loss(loss, &o).unwrap_or_else(|e| panic!("{loss}: {e}"));
    assert_eq!(d.f().as_deref(), Some(f), "{loss}");
    assert!(
        d.values[0].as_ref().is_ok_and(|v| v.value.is_finite()),
        "{loss}"
    );
    let refused = d.values[2].as_ref().unwrap_err();
    assert!(refused.reason.contains("not finite"), "{loss}: {refused:?}");
}

#[test]
fn large_exponentials_derive_in_closed_form() {
    derives("exp(300*t)", "300*u^300/299 - 300*u/299");
    derives("exp(800*t)", "800*u^800/799 - 800*u/799");
    derives("exp(709*t)", "709*u^709/708 - 709*u/708");
}

#[test]
fn large_powers_derive_in_closed_form() {
    let o = Options::default().points(&[-1.0, 3.0]);
    let d = from_divergence("u^300", &o).unwrap();
    assert_eq!(
        d.g().as_deref(),
        Some("299*exp(300*t)/300 + 1/300"),
        "{:?}",
        d.g()
    );
    assert!(d.values[0].is_ok());
    assert!(
        d.values[1]
            .as_ref()
            .unwrap_err()
            .reason
            .contains("not finite")
    );
}

/// `∫_0^{ln u} g′(τ)·e^{−τ} dτ = 1e308·ln u` is beyond the largest `f64` at the probe `u = 0.05`
/// (`−3.0e308`), where the closed form `1e308·u·ln u` (`−1.5e307`) is finite: that probe is not
/// compared, the others confirm the closed form, and the pair is derived; its gradient check,
/// whose `g'` overflows on the random models, is not available.
/// `1e308*u*log(u)`, with `1e308` written out as the exact integer it is.
fn f_of_1e308() -> String {
    format!("1{}*u*log(u)", "0".repeat(308))
}

#[test]
fn an_integral_beyond_the_largest_double_leaves_its_probe_out() {
    let d = from_loss("exp(t)*1e308", &Options::default()).unwrap();
    assert_eq!(d.f(), Some(f_of_1e308()));
    assert!(!d.holds(), "its gradient check is not available");
    let e = from_loss("abs(t)^(1/100)*exp(t)", &Options::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Quadrature, "{e}");
}

/// A generator whose constant is near the largest `f64` (`f(1) = 1.5e308`): the quadrature of
/// the cross-check sums samples past it, which are rescaled instead of failing the derivation
/// with "above the tolerance 0"; a value past the largest `f64` is refused with that reason.
#[test]
#[rustfmt::skip]
fn a_constant_near_the_largest_float_derives() {
    for (c, at_zero) in [("1.5*10^308", 1.5e308), ("1.7*10^308", 1.7e308), ("1.79*10^308", 1.79e308)] {
        let f = format!("u*log(u) - u + 1 + {c}");
        let d = from_divergence(&f, &Options::default().points(&[0.0, 0.4, -1.0]))
            .unwrap_or_else(|e| panic!("{f}: {e}"));
        assert_eq!(d.values[0].as_ref().map(|v| v.value), Ok(at_zero), "{f}");
        assert!(d.values[1].as_ref().is_ok_and(|v| v.value > 0.5 * at_zero), "{f}: {:?}", d.values[1]);
        let refused = d.values[2].as_ref().unwrap_err();
        assert!(refused.reason.contains("not finite"), "{f}: {refused:?}");
    }
}

/// A numeric value past the largest `f64` is refused as such, not as "the error estimate inf
/// exceeds the tolerance inf".
#[test]
fn a_numeric_value_past_the_largest_float_is_refused_as_such() {
    let loss = "1e308*(sqrt(1 + t^2) - 1)";
    let d = from_loss(loss, &Options::default().points(&[0.5, 100.0])).unwrap();
    assert!(
        d.values[0].as_ref().is_ok_and(|v| v.value > 1e307),
        "{:?}",
        d.values[0]
    );
    assert_eq!(
        d.values[1].as_ref().unwrap_err().reason,
        "the value exceeds the largest floating-point number (about 1.8e308)"
    );
}

/// Huber's loss with `δ = 1e300`: its generator's terms (`exp(±1e300)`) overflow at every
/// probe, so the closed form can be neither checked nor evaluated: refused as undefined
/// (exit 2), not reported as an internal error.
#[rustfmt::skip]
#[test]
fn a_closed_form_infinite_at_every_probe_is_refused() {
    for delta in ["1e300", "1e20"] {
        let loss = format!("min(abs(t), {delta})*(abs(t) - min(abs(t), {delta})/2)");
        let e = from_loss(&loss, &Options::default()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Undefined, "{delta}: {e}");
    }
}

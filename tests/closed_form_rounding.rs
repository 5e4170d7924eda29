//! A closed form whose terms cancel is known to its rounding bound: the cross-check of a derived
//! closed form against quadrature allows for it, and a value printed from it carries it as its
//! error where it exceeds `1e-12` of the value. References by mpmath (50 digits).

use fcorr::{Options, from_loss};

fn linex(alpha: &str) -> String {
    format!("(exp({alpha}*t) - {alpha}*t - 1)/{alpha}^2")
}

/// Linex near `α = 1`: `f(u) = 1e7*u - 1e14*u^(9999999/10000000)/9999999 + …` rounds to
/// `40.91464052663575` at `u = 20` (mpmath `40.914640588132920`), within its rounding bound;
/// the cross-check reported that as an internal error.
#[rustfmt::skip]
#[test]
fn cancelling_closed_forms_pass_their_cross_check() {
    for alpha in ["0.9999999", "0.999999", "1.0000001", "0.99999999"] {
        let d = from_loss(&linex(alpha), &Options::default());
        assert!(d.is_ok(), "α = {alpha}: {:?}", d.err());
    }
}

/// `(u, the value by mpmath, whether an error is shown)`: where the closed form's rounding
/// bound exceeds `1e-12` of its value the error is given and covers the true value; elsewhere
/// the value is the closed form's to a few units in its last place.
#[rustfmt::skip]
#[test]
fn a_value_from_a_cancelling_closed_form_carries_its_rounding() {
    for (loss, u, want, shown) in [
        (linex("0.999999"), 1e12, 26630666013447.51_f64, true),
        ("t^2/2".to_string(), 1e12, 999999999971.3691, false),
        ("t^2/2".to_string(), 20.0, 16.004267726446007, false),
    ] {
        let d = from_loss(&loss, &Options::default().points(&[u])).unwrap();
        let v = d.values[0].as_ref().unwrap();
        assert_eq!(v.error.is_some(), shown, "{loss} at {u}: {v:?}");
        let allowed = v.error.unwrap_or(4.0 * f64::EPSILON * want.abs());
        assert!((v.value - want).abs() <= allowed, "{loss} at {u}: {v:?} vs {want}");
    }
}

//! The numeric loss of generators steep at `u = 1` against their size: `|u − 1|^p` with
//! `p < 2` and `√|u − 1|`. Near `t = 0` the rounding of `u = e^t` moves `u − 1` by a large
//! share of itself, and the running bound of `g'` (with `|u − 1|^(p−1)`) is infinite where
//! `u − 1` is within an ulp of `0`. Each value is within its own error of a 40-digit reference
//! (mpmath quadrature of `g' = e^τ f'(e^τ) − f(e^τ)` from `0` to `t`), and given, not refused:
//! `|u − 1|^(3/2)` was refused at `t = 1e-6, 0.001, 0.01` as "the value exceeds the largest
//! floating-point number", and `√|u − 1|` at `t = 1e-6` stated `4.5e-19` for an error of
//! `1.9e-14`.

use fcorr::parse::parse;
use fcorr::transform::{Bindings, Residual, from_divergence};

/// `g(t)` of the generator `f` is given and within its stated error of `reference`, and that
/// error is within `1e-9` of the value.
#[track_caller]
fn loss_at(f: &str, t: f64, reference: f64) {
    let pair = from_divergence(
        &parse(f).unwrap(),
        Residual::TargetMinusModel,
        &Bindings::new(),
    )
    .unwrap();
    let point = pair.numeric_points(&[t]).unwrap().pop().unwrap();
    let v = point.unwrap_or_else(|r| panic!("{f} at t = {t}: refused: {}", r.reason));
    let error = v.error.expect("a numeric value has an error estimate");
    let actual = (v.value - reference).abs();
    assert!(
        actual <= error,
        "{f} at t = {t}: {} is {actual:.1e} from {reference}, stated ±{error:.1e}",
        v.value
    );
    assert!(
        error <= 1e-9 * reference.abs(),
        "{f} at t = {t}: ±{error:.1e}"
    );
}

#[rustfmt::skip]
#[test]
fn steep_generators_have_honest_values_near_zero() {
    loss_at("abs(u - 1)^(3/2)", 1e-6, 1.0000003500001294e-09);
    loss_at("abs(u - 1)^(3/2)", 0.001, 3.163384866880508e-05);
    loss_at("abs(u - 1)^(3/2)", 0.01, 0.0010035129873363043);
    loss_at("abs(u - 1)^(3/2)", -0.001, 3.161171272260357e-05);
    loss_at("abs(u - 1)^(3/2)", -0.01, 0.0009965129057385835);
    loss_at("abs(u - 1)^(3/2)", 1.0, 1.5342448927224277);
    loss_at("abs(u - 1)^(5/2)", 1e-6, 1.000000964286322e-15);
    loss_at("abs(u - 1)^(5/2)", 0.01, 1.0097039169555835e-05);
    loss_at("sqrt(abs(u - 1))", 1e-6, 0.0009999995833332854);
}

//! The analysis on two threads says exactly what it says on one.

use super::analyze_on;
use crate::check::{CheckOptions, Regime};
use crate::parallel::Threads;
use crate::parse::parse;
use crate::transform::{Bindings, Correspondence, Residual, from_divergence, from_loss};

fn loss(text: &str) -> Correspondence {
    let r = Residual::TargetMinusModel;
    from_loss(&parse(text).unwrap(), r, &Bindings::new()).unwrap()
}

fn divergence(text: &str) -> Correspondence {
    let r = Residual::TargetMinusModel;
    from_divergence(&parse(text).unwrap(), r, &Bindings::new()).unwrap()
}

/// The analysis, the values and the gradient check of `pair`, as text that shows every bit
/// of every number (`{:?}` writes the shortest digits that read back to the same `f64`).
fn report(threads: Threads, pair: &Correspondence, regime: Option<Regime>) -> String {
    let opts = CheckOptions::default();
    let (analysis, alongside) = analyze_on(threads, pair, &opts, regime, || {
        (
            pair.derived_points(&[0.01, 0.5, 1.0, 1.5, 30.0]),
            pair.gradient_check(&opts),
        )
    });
    format!("{analysis:?}\n{alongside:?}")
}

#[track_caller]
fn same_on_one_and_two_threads(pair: Correspondence, regime: Option<Regime>) {
    let two = report(Threads::Two, &pair, regime);
    let one = report(Threads::One, &pair, regime);
    assert_eq!(one, two);
}

#[test]
fn closed_forms() {
    same_on_one_and_two_threads(loss("t^2"), None);
    same_on_one_and_two_threads(loss("log(cosh(t))"), None);
    same_on_one_and_two_threads(divergence("u*log(u) - (u + 1)*log((1 + u)/2)"), None);
}

#[test]
fn numeric_sides_kinks_and_regimes() {
    same_on_one_and_two_threads(loss("log(1 + t^2)"), None);
    same_on_one_and_two_threads(loss("min(abs(t), 1)*(abs(t) - min(abs(t), 1)/2)"), None);
    same_on_one_and_two_threads(loss("t^2"), Some(Regime::TargetSamplesModelGradient));
}

/// A part that cannot be computed is reported the same way from either thread.
#[test]
fn unavailable_parts() {
    // A numeric generator has no conjugate, dual or generator tails.
    let pair = loss("log(1 + t^2)");
    let (analysis, ()) = analyze_on(Threads::Two, &pair, &CheckOptions::default(), None, || ());
    assert!(analysis.unwrap().conjugate.is_err());
}

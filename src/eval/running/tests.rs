use crate::eval::{Compiled, Params, compile};
use crate::parse::parse;

fn program(text: &str) -> Compiled {
    compile(&parse(text).unwrap(), "t", &Params::new()).unwrap()
}

#[track_caller]
fn running(text: &str, x: f64) -> (f64, f64) {
    let c = program(text);
    let (v, e) = c.eval_with_running_error(x).unwrap();
    assert_eq!(v.to_bits(), c.eval(x).to_bits(), "{text} at {x}");
    (v, e)
}

#[test]
fn well_conditioned_values_have_bounds_of_a_few_ulps() {
    for (text, x) in [
        ("t^2 + 1", 3.0),
        ("exp(t)*sin(t)", 0.7),
        ("log1p(t)", 1e-9),
        ("1 - t + 2*t*atan(t) - pi*t/2", 1e-3),
        ("sqrt(t)/(1 + t)", 2.5),
    ] {
        let (v, e) = running(text, x);
        assert!(
            e > 0.0 && e <= 64.0 * f64::EPSILON * v.abs(),
            "{text}: {v} ± {e}"
        );
    }
}

#[test]
fn terms_that_cancel_widen_the_bound_in_proportion() {
    // At u = 1000 the terms are near 3,000 and their sum 570: the error is a few ulps of 3,000.
    let (v, e) = running("1 - t + 2*t*atan(t) - pi*t/2", 1e3);
    assert!(e > 3000.0 * f64::EPSILON && e <= 1e-13 * v, "{v} ± {e}");
}

#[test]
fn the_cheap_bound_is_near_the_precise_one() {
    for (text, x) in [
        ("exp(t)*sin(t)", 0.7),
        ("log(exp(t) - t)", 3.0),
        ("1 - t + 2*t*atan(t) - pi*t/2", 0.9),
        ("1 - t + 2*t*atan(t) - pi*t/2", 1.01),
        ("log(cosh(t)) + t^3", 0.4),
    ] {
        let (_, cheap) = running(text, x);
        let (_, precise) = program(text).eval_with_error(x, 0.0);
        assert!(
            cheap <= 4.0 * precise,
            "{text} at {x}: {cheap} against {precise}"
        );
    }
}

#[test]
fn cancellation_inside_a_function_is_in_the_bound() {
    // log(exp(t) − t) at 1e-8 is 5e-17 (to 8 digits), computed as 0 or 2.2e-16.
    let c = program("log(exp(t) - t)");
    // Computed as 2.2e-16 here (a zero would have no cheap bound): the bound covers 5e-17.
    let (v, e) = c.eval_with_running_error(1e-8).unwrap();
    assert!((v - 5e-17).abs() <= e && e >= 1e-16, "{v} ± {e}");
}

#[test]
fn no_cheap_bound_where_an_intermediate_is_zero_infinite_or_out_of_the_domain() {
    for (text, x) in [
        ("log(exp(2*t) - 2*exp(t) + 1)", 1e-8),
        ("t - 1", 1.0),
        ("exp(t)", 800.0),
        ("exp(-t)", 800.0),
        ("log(t)", -1.0),
    ] {
        assert_eq!(
            program(text).eval_with_running_error(x),
            None,
            "{text} at {x}"
        );
    }
}

#[test]
fn instructions_without_a_cheap_rule_are_bounded_at_their_corners() {
    // `t^2.5` and `log(cosh(t))` (a stable kernel) have no rule of their own.
    for (text, x) in [("t^2.5 + 1", 1.7), ("log(cosh(t))", 0.3)] {
        let (v, e) = running(text, x);
        let (_, precise) = program(text).eval_with_error(x, 0.0);
        assert!(
            e >= 0.5 * precise && e <= 2.0 * precise,
            "{text}: {e} against {precise}"
        );
        assert!(e <= 64.0 * f64::EPSILON * v.abs(), "{text}: {v} ± {e}");
    }
}

#[test]
fn a_program_deeper_than_the_stack_array_has_no_cheap_bound() {
    let deep = (0..40).fold("1".to_string(), |e, _| format!("(t + 1/(t + 2*{e}))"));
    assert_eq!(program(&deep).eval_with_running_error(0.7), None);
}

#[test]
fn normal_numbers_are_told_from_the_rest() {
    use super::normal;
    for v in [
        1.0,
        -2.5,
        f64::MIN_POSITIVE,
        -f64::MIN_POSITIVE,
        f64::MAX,
        f64::MIN,
    ] {
        assert!(normal(v), "{v}");
    }
    let subnormal = f64::MIN_POSITIVE / 2.0;
    for v in [
        0.0,
        -0.0,
        subnormal,
        -subnormal,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
    ] {
        assert!(!normal(v), "{v}");
    }
}

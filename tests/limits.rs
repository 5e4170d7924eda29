//! The work limits of the README's Limits table, each at its edge: the largest input within a
//! limit works, the smallest beyond it gets the documented behaviour (a clear error naming the
//! limit, or the documented fallback).

use fcorr::diff::{MAX_DERIVATIVE_NODES, derivative_size, diff};
use fcorr::eval::{Params, compile};
use fcorr::parse::parse;
use fcorr::print::plain;
use fcorr::simplify::{MAX_EXPANDED_TERMS, MathErrorKind, expand, simplify};

/// `log(1 + t)·log(2 + t)·…·log(n + t)`.
fn product_of_logs(n: usize) -> String {
    (1..=n)
        .map(|k| format!("log({k} + t)"))
        .collect::<Vec<_>>()
        .join("*")
}

#[test]
fn derivative_size_at_the_edge() {
    let fits = |n: usize| derivative_size(&parse(&product_of_logs(n)).unwrap(), "t");
    let largest = (1..2000)
        .take_while(|n| fits(*n) <= MAX_DERIVATIVE_NODES)
        .last()
        .unwrap();
    // The largest product within the limit is differentiated, and the derivative is right.
    let e = parse(&product_of_logs(largest)).unwrap();
    let d = diff(&e, "t").unwrap();
    let at = 0.5f64;
    let logs: Vec<f64> = (1..=largest).map(|k| (k as f64 + at).ln()).collect();
    let expected: f64 = (0..largest)
        .map(|i| {
            let others: f64 = logs
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, l)| l)
                .product();
            others / (i as f64 + 1.0 + at)
        })
        .sum();
    let got = compile(&d, "t", &Params::new()).unwrap().eval(at);
    assert!(
        ((got - expected) / expected).abs() < 1e-12,
        "{got} vs {expected}"
    );
    // One factor more is refused, naming the limit.
    let err = diff(&parse(&product_of_logs(largest + 1)).unwrap(), "t").unwrap_err();
    assert_eq!(err.kind, MathErrorKind::WorkLimit);
    assert!(err.to_string().contains("derivative size limit"), "{err}");
}

#[test]
fn expansion_of_powers_of_sums_at_the_edge() {
    let terms = |input: &str| match expand(&parse(input).unwrap()) {
        Some(fcorr::expr::Expr::Add(ts)) => Some(ts.len()),
        Some(_) => Some(1),
        None => None,
    };
    assert_eq!(MAX_EXPANDED_TERMS, 256);
    // A power is multiplied out one factor at a time, each step at most 256 products:
    // (t + a + b + c)^6 (56·4 = 224 products in its last step, 84 terms) is expanded,
    // (t + a + b + c)^7 (84·4 = 336) is abandoned; (t + 1)^9 is beyond the largest power.
    assert_eq!(terms("(t + a + b + c)^6"), Some(84));
    assert_eq!(terms("(t + a + b + c)^7"), None);
    assert_eq!(terms("(t + 1)^8"), Some(9));
    assert_eq!(terms("(t + 1)^9"), Some(1));
    // An abandoned expansion leaves the simplifier's result correct, just not expanded.
    let kept = simplify(&parse("(t + a + b + c + d)^8 - t^8").unwrap()).unwrap();
    assert_eq!(plain(&kept), "-t^8 + (t + a + b + c + d)^8");
    let done = simplify(&parse("(t + 1)^2 - t^2").unwrap()).unwrap();
    assert_eq!(plain(&done), "2*t + 1");
}

#[test]
fn exact_powers_beyond_the_bit_limit_stay_unevaluated_and_evaluate_to_not_finite() {
    let e = simplify(&parse("10^10^10 + t").unwrap()).unwrap();
    assert_eq!(plain(&e), "t + 10^10000000000");
    let v = compile(&e, "t", &Params::new()).unwrap().eval(1.0);
    assert!(!v.is_finite());
    // The bound is bits(base) · exponent ≤ 16,384: 2^8192 is computed, 2^8193 is kept.
    assert_eq!(
        plain(&simplify(&parse("2^8193").unwrap()).unwrap()),
        "2^8193"
    );
    let within = simplify(&parse("2^8192").unwrap()).unwrap();
    assert!(matches!(within, fcorr::expr::Expr::Num(_)));
}

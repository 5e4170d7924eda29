//! Work that grows gently with nested input, counted in nodes and instructions (never in
//! seconds): `log(cosh(…))` nested `n` deep has a derivative whose factors repeat each other's
//! arguments, and rewriting `cosh` into exponentials copies its argument at every level.

use fcorr::diff::diff;
use fcorr::eval::{Params, compile};
use fcorr::integrate::closed::{MAX_EXPONENTIAL_NODES, decompose, exponential_size};
use fcorr::parse::parse;

/// `log(cosh(log(cosh(… t …))))`, `n` deep.
fn nested_log_cosh(n: usize) -> String {
    (0..n).fold("t".to_string(), |s, _| format!("log(cosh({s}))"))
}

/// The number of instructions of the compiled derivative of the nesting `n` deep.
fn derivative_instructions(n: usize) -> usize {
    let g = parse(&nested_log_cosh(n)).unwrap();
    let gp = diff(&g, "t").unwrap();
    compile(&gp, "t", &Params::new()).unwrap().instructions()
}

#[test]
fn compiled_derivative_of_a_nesting_grows_linearly() {
    // Written out, the derivative has n·(n + 1)/2 `log(cosh(…))` nodes: 528 at 32 deep; shared,
    // each level costs a few instructions (156 at 32 deep).
    let (at_16, at_32) = (derivative_instructions(16), derivative_instructions(32));
    assert!(at_32 <= 5 * 32 + 8, "{at_32} instructions 32 deep");
    assert!(
        at_32 <= 2 * at_16 + 8,
        "{at_16} instructions 16 deep, {at_32} 32 deep"
    );
}

#[test]
fn shared_values_are_the_values_written_out() {
    // `tanh(log(cosh(t)))` occurs twice; loaded the second time, it is the same number.
    let e =
        parse("tanh(log(cosh(t)))*tanh(log(cosh(log(cosh(t))))) + tanh(log(cosh(t)))^3").unwrap();
    let c = compile(&e, "t", &Params::new()).unwrap();
    for x in [-3.0f64, -0.5, 0.25, 1.0, 7.5] {
        let a = x.cosh().ln().tanh();
        let b = x.cosh().ln().cosh().ln().tanh();
        let expected = a * b + a.powi(3);
        assert!(
            (c.eval(x) - expected).abs() <= 1e-15 * expected.abs().max(1.0),
            "at {x}"
        );
        let (v, err) = c.eval_with_error(x, 0.0);
        assert_eq!(
            v.to_bits(),
            c.eval(x).to_bits(),
            "the error run gives the same value at {x}"
        );
        assert!(err.is_finite() && err <= 1e-13, "error bound {err} at {x}");
    }
}

#[test]
fn exponential_rewrite_of_a_deep_nesting_is_not_attempted() {
    // Each level doubles the rewritten size: 32 deep would be billions of nodes.
    let size = |n: usize| exponential_size(&parse(&nested_log_cosh(n)).unwrap());
    assert!(size(8) <= MAX_EXPONENTIAL_NODES);
    assert!(size(14) > MAX_EXPONENTIAL_NODES);
    assert!(size(32) > 1 << 32);
    assert!(decompose(&parse(&nested_log_cosh(32)).unwrap(), "t").is_none());
    // Within the limit, the rewrite still decomposes what it always did.
    let p = decompose(&parse("cosh(t)*t^2").unwrap(), "t").unwrap();
    assert_eq!(p.terms.len(), 2);
}

/// `Σ_{k=0}^{n−1} t^{2k}/(2k)!`, the first `n` terms of `cosh(t)`.
fn cosh_series(n: u32) -> String {
    let mut fact = num_bigint::BigUint::from(1u32);
    let mut terms = vec!["1".to_string()];
    for k in 1..n {
        fact *= (2 * k - 1) * (2 * k);
        terms.push(format!("t^{}/{fact}", 2 * k));
    }
    terms.join(" + ")
}

/// `f(u) = u ∫_0^{ln u} g'(τ) e^{−τ} dτ` for `g' = Σ a_n τ^n`, written without cancellation:
/// `u ∫_0^L τ^n e^{−τ} dτ = n!·(u − Σ_{k≤n} L^k/k!) = L^n·Σ_{k>n} n!·L^(k−n)/k!`.
fn polynomial_generator(a: &[f64], u: f64) -> f64 {
    let l = u.ln();
    let mut total = 0.0;
    for (n, an) in a.iter().enumerate() {
        // n!·L^(k−n)/k! for k = n + 1, n + 2, …
        let mut term = 1.0;
        let mut tail = 0.0;
        for k in (n + 1)..(n + 200) {
            term *= l / k as f64;
            tail += term;
        }
        total += an * tail * l.powi(n as i32);
    }
    total
}

#[test]
fn long_polynomials_and_series_have_closed_forms_with_accurate_values() {
    use fcorr::transform::{Bindings, Residual, from_loss};
    let check = |g: &str, a: &[f64]| {
        let pair = from_loss(
            &parse(g).unwrap(),
            Residual::TargetMinusModel,
            &Bindings::new(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(pair.closed_form(), "{g}");
        let us = [0.05, 0.4, 0.999, 1.0, 1.001, 1.7, 3.0, 20.0];
        for v in pair.derived_values(&us).unwrap() {
            let expected = polynomial_generator(a, v.x);
            let scale = expected.abs().max(1e-300);
            assert!(
                (v.value - expected).abs() <= 1e-9 * scale + v.error.unwrap_or(0.0),
                "f({}) = {} ± {:?}, expected {expected}",
                v.x,
                v.value,
                v.error
            );
        }
    };
    // g' of the series: Σ_{k≥1} t^{2k−1}/(2k−1)!, so a_n = 1/n! for odd n.
    let mut fact = 1.0f64;
    let series: Vec<f64> = (0..62)
        .map(|n| {
            if n > 0 {
                fact *= n as f64;
            }
            if n % 2 == 1 { 1.0 / fact } else { 0.0 }
        })
        .collect();
    check(&cosh_series(32), &series);
    // 40 terms with coefficients 1..9: g = Σ c_k t^k, g' = Σ k·c_k t^(k−1), a_n = (n+1)·c_{n+1}.
    let c: Vec<u32> = (1..=40).map(|k| 1 + (k * 7 + 3) % 9).collect();
    let poly: String = c
        .iter()
        .enumerate()
        .map(|(i, ck)| format!("{ck}*t^{}", i + 1))
        .collect::<Vec<_>>()
        .join(" + ");
    let a: Vec<f64> = (0..40).map(|n| (n as f64 + 1.0) * c[n] as f64).collect();
    check(&poly, &a);
}

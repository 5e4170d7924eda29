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

//! `Li2`, `lambertw`, `min` and `max` through the whole language: parsed, simplified,
//! differentiated and compiled, against 30-digit reference values (written by
//! `tests/fixtures/special/reference.py`) and against the functions they stand for.

mod common;

use fcorr::diff::diff;
use fcorr::eval::{Params, compile};
use fcorr::expr::{Expr, minmax};
use fcorr::parse::parse;
use fcorr::print::plain;
use fcorr::simplify::{Assumptions, check_defined, simplify};

/// `input` simplified and compiled as a function of `t`.
fn program(input: &str) -> impl Fn(f64) -> f64 {
    let e = simplify(&parse(input).unwrap_or_else(|err| panic!("{input}: {err}")))
        .unwrap_or_else(|err| panic!("{input}: {err}"));
    let p = compile(&e, "t", &Params::new()).unwrap_or_else(|err| panic!("{input}: {err}"));
    move |x| p.eval(x)
}

/// The derivative of `input` in `t`, compiled.
fn derivative(input: &str) -> impl Fn(f64) -> f64 {
    let e = parse(input).unwrap_or_else(|err| panic!("{input}: {err}"));
    let d = diff(&e, "t").unwrap_or_else(|err| panic!("{input}: {err}"));
    let p = compile(&d, "t", &Params::new()).unwrap_or_else(|err| panic!("{}: {err}", plain(&d)));
    move |x| p.eval(x)
}

fn fixture(text: &str) -> Vec<(f64, f64)> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let (x, y) = l.split_once(' ').expect("two columns");
            (x.parse().expect("x"), y.parse().expect("value"))
        })
        .collect()
}

/// `|got − want|` relative to `want` (absolute below 1e-300).
fn rel(got: f64, want: f64) -> f64 {
    (got - want).abs() / want.abs().max(1e-300)
}

#[test]
fn compiled_li2_and_lambertw_match_the_references() {
    for (input, file) in [
        ("Li2(t)", include_str!("fixtures/special/li2.txt")),
        ("dilog(t)", include_str!("fixtures/special/li2.txt")),
        ("lambertw(t)", include_str!("fixtures/special/lambertw.txt")),
    ] {
        let f = program(input);
        let points = fixture(file);
        let worst = points
            .iter()
            .map(|&(x, want)| (rel(f(x), want), x))
            .fold((0.0, 0.0), |a, b| if b.0 > a.0 { b } else { a });
        // 3 ulps of the value is at most 3·2^-52 ≈ 6.7e-16 relative
        assert!(
            worst.0 <= 6.7e-16,
            "{input}: relative error {:e} at {}",
            worst.0,
            worst.1
        );
    }
}

#[test]
fn exact_values_and_domains() {
    let li2 = program("Li2(t)");
    assert_eq!(li2(0.0), 0.0);
    assert_eq!(li2(1.0), std::f64::consts::PI.powi(2) / 6.0);
    assert!(rel(li2(-1.0), -std::f64::consts::PI.powi(2) / 12.0) < 2.3e-16);
    assert!(
        li2(1.0 + f64::EPSILON).is_nan(),
        "Li2 is defined for x ≤ 1 only"
    );
    let w = program("lambertw(t)");
    assert_eq!(w(0.0), 0.0);
    assert!(rel(w(std::f64::consts::E), 1.0) < 2.3e-16);
    assert!(w(-0.368).is_nan(), "W0 is defined for x ≥ −1/e only");
    assert!(w(1.7976931348623157e308).is_finite());
}

#[test]
fn derivatives_of_li2_and_lambertw() {
    let dli2 = derivative("Li2(t)");
    for x in [-1e6f64, -3.0, -1.0, -0.25, 1e-8, 0.3, 0.5, 0.9, 0.999_999] {
        let want = -(-x).ln_1p() / x;
        assert!(
            rel(dli2(x), want) < 1e-15,
            "Li2'({x}) = {}, want {want}",
            dli2(x)
        );
    }
    let dw = derivative("lambertw(t)");
    assert_eq!(dw(0.0), 1.0, "W'(0) = 1");
    for x in [-0.3678, -0.2, 1e-9, 0.5, 1.0, 10.0, 1e10, 1e300] {
        let w = program("lambertw(t)")(x);
        let want = w / (x * (1.0 + w));
        assert!(rel(dw(x), want) < 1e-12, "W'({x}) = {}, want {want}", dw(x));
    }
    // d/dt Li2(−e^t) = −softplus(t), the integrand behind the GAN and Jensen–Shannon losses
    let e = diff(&parse("Li2(-exp(t))").unwrap(), "t").unwrap();
    assert_eq!(plain(&e), "-softplus(t)");
}

#[test]
fn min_and_max_are_exact() {
    assert_eq!(program("min(t, 1e-20)")(1.0), 1e-20);
    assert_eq!(program("max(t, 1e-20)")(-1.0), 1e-20);
    assert_eq!(program("max(t, 0)")(-1e300), 0.0);
    assert_eq!(program("2*min(t, 3) - 1")(5.0), 5.0);
    assert!(program("min(t, 1)")(f64::NAN).is_nan());
}

/// Huber (δ = 1): `t²/2` for `|t| ≤ 1`, `|t| − 1/2` beyond.
fn huber(t: f64) -> f64 {
    if t.abs() <= 1.0 {
        t * t / 2.0
    } else {
        t.abs() - 0.5
    }
}

#[test]
fn huber_written_with_min() {
    let input = "min(abs(t), 1)*(abs(t) - min(abs(t), 1)/2)";
    let h = program(input);
    let dh = derivative(input);
    let grid = (-400..=400).map(|i| f64::from(i) / 100.0);
    for t in grid.chain([-1e300, -1e8, -1e3, 1e-300, 1e3, 1e8, 1e300]) {
        assert!(
            rel(h(t), huber(t)) <= 2.3e-16,
            "huber({t}) = {}, want {}",
            h(t),
            huber(t)
        );
    }
    // The derivative is clip(t, −1, 1) everywhere except at the kinks t = ±1 (where `sign`
    // gives 1/2 of each one-sided slope's terms, here still ±1). It is a sum in `abs` and
    // `sign` whose terms grow like |t| and cancel: its absolute error is a few ulps of |t|.
    let grid = (-400..=400).map(|i| f64::from(i) / 100.0);
    for t in grid.chain([-1e8, -1e3, 1e-300, 1e3, 1e8]) {
        let err = (dh(t) - t.clamp(-1.0, 1.0)).abs();
        assert!(
            err <= 4.0 * f64::EPSILON * t.abs().max(1.0),
            "huber'({t}) = {}",
            dh(t)
        );
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 300, failure_persistence: None, ..Default::default() })]

    /// `c·min(a, b) + rest` (or `max`) prints as text that reads back to the same expression,
    /// and the compiled program (which computes the minimum itself) agrees with the `abs` form.
    #[test]
    fn min_max_print_and_evaluate(
        a in common::expr(false),
        b in common::expr(false),
        rest in common::expr(false),
        c in -3i64..=3,
        is_max in proptest::bool::ANY,
        t in -3.0f64..3.0,
    ) {
        // The naive tree computes the `abs` form `(a + b ∓ |a − b|)/2`, which loses about an
        // ulp of `|a| + |b|` (`min(sqrt(a), exp(16))`); the compiled minimum does not.
        let naive_loss = 4.0 * f64::EPSILON * c.unsigned_abs() as f64
            * (common::eval_tree(&a, t, 1.0).abs() + common::eval_tree(&b, t, 1.0).abs());
        let m = if is_max { minmax::max(a, b) } else { minmax::min(a, b) };
        let e = Expr::int(c) * m + rest;
        // `x/0` terms never merge (they are undefined), so no reading of them is exact
        proptest::prop_assume!(check_defined(&e, &Assumptions::default()).is_ok());
        let text = plain(&e);
        let back = parse(&text).map_err(|err| proptest::test_runner::TestCaseError::fail(format!("{text}: {err}")))?;
        proptest::prop_assert_eq!(&back, &e, "printed as {}", text);
        if !e.contains_sym("u") {
            let params = fcorr::eval::Params::from_pairs([("a", common::PARAM_A)]);
            let naive = common::eval_tree(&e, t, 1.0);
            proptest::prop_assume!(naive.is_finite() && naive.abs() < 1e6);
            let fast = compile(&e, "t", &params).map_err(|err| proptest::test_runner::TestCaseError::fail(err.to_string()))?.eval(t);
            proptest::prop_assert!(common::close(naive, fast, 1e-9) || (naive - fast).abs() <= naive_loss, "{text} at t = {t}: tree {naive}, compiled {fast}");
        }
    }
}

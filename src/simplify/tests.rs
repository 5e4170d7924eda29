//! Table tests, one case per line: `input ⇒ expected` in plain text.

use super::*;
use crate::parse::parse;
use crate::print::plain;

#[track_caller]
pub(super) fn simplifies_to(input: &str, expected: &str) {
    let e = parse(input).unwrap_or_else(|err| panic!("{input}: {err}"));
    let s = simplify(&e).unwrap_or_else(|err| panic!("{input}: {err}"));
    assert_eq!(plain(&s), expected, "simplify({input})");
}

#[track_caller]
pub(super) fn is_undefined(input: &str) {
    let e = parse(input).unwrap_or_else(|err| panic!("{input}: {err}"));
    assert!(
        simplify(&e).is_err(),
        "simplify({input}) should be undefined"
    );
}

#[test]
fn canonical_form() {
    simplifies_to("u*u", "u^2");
    simplifies_to("0.1 + 0.2", "3/10");
    simplifies_to("2*u - 2 - 2*log(u)", "2*u - 2 - 2*log(u)");
    simplifies_to("-2*log(u) - 2 + 2*u", "2*u - 2 - 2*log(u)");
    simplifies_to("4*(exp(t/2) - t/2 - 1)", "4*exp(t/2) - 2*t - 4");
    simplifies_to("exp(t) - t - 1", "exp(t) - t - 1");
    simplifies_to("2*u - 4*sqrt(u) + 2", "2*u - 4*sqrt(u) + 2");
    simplifies_to("u^(1/2)*u^(1/2)", "u");
    simplifies_to("exp(t)*exp(-t)", "1");
    simplifies_to("e^t", "exp(t)");
    simplifies_to("t/2 + t/2", "t");
    simplifies_to("(u - 1)*(u + 1)", "u^2 - 1");
    simplifies_to("(u - 1)^2", "(u - 1)^2");
    simplifies_to("(t + 1)^2 - t^2", "2*t + 1");
    simplifies_to("2^-3", "1/8");
    simplifies_to("10^10^10", "10^10000000000");
}

#[test]
fn domain_rules() {
    simplifies_to("log(u^a)", "a*log(u)");
    simplifies_to("exp(log(u))", "u");
    simplifies_to("exp(2*log(u))", "u^2");
    simplifies_to("exp(log(t))", "exp(log(t))");
    simplifies_to("log(exp(t))", "t");
    simplifies_to("sqrt(u^2)", "u");
    simplifies_to("sqrt(t^2)", "abs(t)");
    simplifies_to("(t^2)^(1/2)", "abs(t)");
    simplifies_to("log(t^2)", "2*log(abs(t))");
    simplifies_to("log(u^2)", "2*log(u)");
    simplifies_to("abs(-2*u)", "2*u");
    simplifies_to("abs(t)^2", "t^2");
    simplifies_to("abs(t*u)", "u*abs(t)");
    simplifies_to("log(u*exp(t))", "t + log(u)");
    simplifies_to("log(1/2)", "-log(2)");
    simplifies_to("sign(u)", "1");
    simplifies_to("sqrt(a^2)", "abs(a)");
    simplifies_to("log(a^2)", "2*log(abs(a))");
}

#[test]
fn named_forms() {
    simplifies_to("log(1 + exp(t))", "softplus(t)");
    simplifies_to("log1p(exp(t))", "softplus(t)");
    simplifies_to("1/(1 + exp(-t))", "sigmoid(t)");
    simplifies_to("sin(t)^2 + cos(t)^2", "1");
    simplifies_to("cosh(t)^2 - sinh(t)^2", "1");
    simplifies_to("sinh(t)/cosh(t)", "tanh(t)");
    simplifies_to("cosh(-t)", "cosh(t)");
    simplifies_to("sinh(-t)", "-sinh(t)");
    simplifies_to("softplus(log(u))", "log(u + 1)");
    simplifies_to("u*softplus(log(u)) - u*log(u + 1)", "0");
    simplifies_to("softplus(log(t))", "softplus(log(t))");
    simplifies_to("softplus(2*log(u))", "softplus(2*log(u))");
}

#[test]
fn undefined_everywhere() {
    is_undefined("0^-1");
    is_undefined("1/0");
    is_undefined("1/(u - u)");
    is_undefined("log(0)");
    is_undefined("log(-u)");
    is_undefined("log(-1)");
    is_undefined("sqrt(-u)");
    is_undefined("(-8)^(1/3)");
    is_undefined("0*(1/0)");
    is_undefined("1/0 - 1/0");
    is_undefined("1^(1/0)");
    is_undefined("(1/0)^0");
    is_undefined("1/(1/0)");
    is_undefined("log(-1)^0");
    is_undefined("0*log(-1 - t^2)");
    is_undefined("log(-1 - t^2)^0");
    is_undefined("1^log(-1 - t^2)");
    is_undefined("log(-u) - log(-u)");
}

#[test]
fn idempotent_on_table() {
    for input in [
        "u*log(u) - u + 1",
        "log(cosh(t))",
        "2*u - 4*sqrt(u) + 2",
        "abs(u - 1)/2",
    ] {
        let once = simplify(&parse(input).unwrap()).unwrap();
        let twice = simplify(&once).unwrap();
        assert_eq!(once, twice, "{input}");
    }
}

/// The expansion of `input` (simplified) has the complexity predicted without building it.
#[track_caller]
fn predicted_exactly(input: &str) {
    let e = parse(input).unwrap();
    let p = arith::PlainProduct::of(&e).unwrap_or_else(|| panic!("{input} is not predicted"));
    let built = expand(&e).unwrap();
    assert_eq!(p.expanded_complexity(), complexity(&built), "{input}");
}

#[track_caller]
fn not_predicted(input: &str) {
    let e = parse(input).unwrap();
    assert!(arith::PlainProduct::of(&e).is_none(), "{input}");
}

#[test]
fn expansions_predicted_without_building_them() {
    predicted_exactly("3*(log(u)^2 + 2*log(u) + 5)/(7*u)");
    predicted_exactly("(log(u)^2/u + 2*log(u)/u + 5/u)/(7*u)");
    predicted_exactly("(2*log(u)/u + u^(1/2))*u^(3/2)*atan(u)");
    predicted_exactly("-(1/3)*(3*t + t^2/2)*sin(t)");
    predicted_exactly("(u/2 + 1/2)*log(u)");
    // `u^-1·u = 1`: a factor vanishes, and a term could become a number
    not_predicted("(log(u)/u + 1/u + u)*u");
    // exponentials merge, two sums multiply, a power of a sum is multiplied out
    not_predicted("(t + 1)*exp(t)");
    not_predicted("(u - 1)*(u + 1)*log(u)");
    not_predicted("(u + 1)^2*(log(u) + 1)");
}

#[test]
fn an_abandoned_expansion_is_known_without_building_it() {
    // 20 products of 20 terms each: more than MAX_EXPANDED_TERMS terms multiplied out
    let terms: Vec<String> = (1..=20)
        .map(|k| {
            let inner: Vec<String> = (1..=20).map(|j| format!("{j}*log(u)^{j}")).collect();
            format!("({})/(u^{k}*{k})", inner.join(" + "))
        })
        .collect();
    let e = simplify(&parse(&terms.join(" + ")).unwrap()).unwrap();
    assert!(arith::expansion_abandoned(&e));
    assert!(expand(&e).is_none());
    assert!(!arith::expansion_abandoned(
        &simplify(&parse("(u + 1)*log(u) + 2").unwrap()).unwrap()
    ));
}

#[test]
fn the_derivative_of_a_long_closed_form_builds_few_expansions() {
    // `f` of the 32-term series of `cosh`: 31 products `c·(Σ a_k·log(u)^k)/u`, which the
    // simplifier tries (with their derivatives) in every pass: each multiplied out to be
    // measured, that was 186 expansions of up to 60 terms; predicted, 6 are built.
    let mut fact = num_bigint::BigUint::from(1u32);
    let mut terms = vec!["1".to_string()];
    for k in 1..32u32 {
        fact *= (2 * k - 1) * (2 * k);
        terms.push(format!("t^{}/{fact}", 2 * k));
    }
    let g = parse(&terms.join(" + ")).unwrap();
    let f = crate::transform::divergence_of(&g).unwrap().unwrap();
    let before = arith::EXPANSIONS_BUILT.with(|n| n.get());
    crate::diff::diff(&f, crate::expr::DIVERGENCE_VAR).unwrap();
    let built = arith::EXPANSIONS_BUILT.with(|n| n.get()) - before;
    assert!(built <= 12, "{built} expansions built");
}

#[test]
fn an_expansion_decided_once_is_not_built_again() {
    // One expanded (simpler), one kept (not simpler): the second simplification of each gives
    // the same result without building the expansion again.
    for (input, expected) in [
        ("(u - 1)*(u + 1) + log(u)", "u^2 + log(u) - 1"),
        (
            "(u + 1)*(log(u + 1) - log(2)) + u",
            "u + (u + 1)*(log(u + 1) - log(2))",
        ),
    ] {
        simplifies_to(input, expected);
        let before = arith::EXPANSIONS_BUILT.with(|n| n.get());
        simplifies_to(input, expected);
        let built = arith::EXPANSIONS_BUILT.with(|n| n.get()) - before;
        assert_eq!(built, 0, "{input}: {built} expansions built again");
    }
}

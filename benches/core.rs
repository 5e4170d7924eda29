//! Parse + simplify + differentiate for typical inputs.
//!
//! Target: under 20 µs for `4*(exp(t/2) - t/2 - 1)`. Run with `cargo bench --bench core`.

use fcorr::diff::diff;
use fcorr::parse::parse;
use fcorr::simplify::simplify;

fn main() {
    divan::main();
}

const INPUTS: &[&str] = &[
    "4*(exp(t/2) - t/2 - 1)",
    "t^2",
    "u*log(u) - (u + 1)*log((1 + u)/2)",
    "log(cosh(t))",
    "(u^a - a*u + a - 1)/(a*(a - 1))",
];

/// The whole front half of the pipeline: text → canonical → simplified → simplified derivative.
#[divan::bench(args = INPUTS)]
fn parse_simplify_diff(input: &str) -> fcorr::Expr {
    let e = parse(divan::black_box(input)).expect("parses");
    let s = simplify(&e).expect("defined");
    let var = if s.contains_sym("t") { "t" } else { "u" };
    diff(&s, var).expect("defined")
}

#[divan::bench(args = INPUTS)]
fn parse_only(input: &str) -> fcorr::Expr {
    parse(divan::black_box(input)).expect("parses")
}

#[divan::bench(args = INPUTS)]
fn simplify_only(bencher: divan::Bencher, input: &str) {
    let e = parse(input).expect("parses");
    bencher.bench(|| simplify(divan::black_box(&e)).expect("defined"));
}

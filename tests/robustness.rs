//! The whole pipeline never panics on what a user can type: random expressions in `t` and in
//! `u` go through the transform, the gradient check, the analysis and every report format, and
//! each step either answers or returns an error.

mod common;

use fcorr::check::CheckOptions;
use fcorr::expr::Expr;
use fcorr::transform::{Bindings, Residual, from_divergence, from_loss};
use proptest::prelude::*;

fn in_one_variable(e: &Expr, var: &str) -> Expr {
    let other = if var == "t" { "u" } else { "t" };
    e.substitute(other, &Expr::sym(var))
        .substitute("a", &Expr::ratio(1, 3))
}

fn run_everything(e: &Expr, loss: bool) {
    let b = Bindings::new();
    let pair = if loss {
        from_loss(e, Residual::ModelMinusTarget, &b)
    } else {
        from_divergence(e, Residual::TargetMinusModel, &b)
    };
    let Ok(pair) = pair else { return };
    let _ = pair.derived_values(&[0.5, 2.0]);
    let _ = pair.gradient_check(&CheckOptions::default());
    if let Ok(a) = fcorr::analysis::analyze(&pair, &CheckOptions::default(), None) {
        let report = fcorr::report::Report {
            pair,
            values: vec![],
            gradient_check: None,
            analysis: Some(a),
            parameters: vec![],
        };
        let _ = (
            report.text(),
            report.json(),
            report.latex(),
            report.markdown(),
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_pipeline_never_panics(e in common::expr(true)) {
        run_everything(&in_one_variable(&e, "t"), true);
        run_everything(&in_one_variable(&e, "u"), false);
    }
}

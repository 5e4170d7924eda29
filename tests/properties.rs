//! Properties of the core: print→parse round trip, simplification is idempotent and keeps the
//! value, derivatives agree with finite differences.

mod common;

use common::{close, eval_tree, expr};
use fcorr::diff::derivative;
use fcorr::parse::parse;
use fcorr::print::plain;
use fcorr::simplify::{Assumptions, check_defined, simplify};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 400,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Sample points: `t` anywhere moderate, `u` positive.
fn points() -> impl Strategy<Value = (f64, f64)> {
    (-3.0f64..3.0, 0.05f64..6.0)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn print_parse_round_trip(e in expr(true)) {
        prop_assume!(check_defined(&e, &Assumptions::default()).is_ok());
        let text = plain(&e);
        let back = parse(&text).map_err(|err| TestCaseError::fail(format!("{text}: {err}")))?;
        prop_assert_eq!(back, e, "printed as {}", text);
    }

    #[test]
    fn simplify_is_idempotent(e in expr(true)) {
        if let Ok(once) = simplify(&e) {
            let twice = simplify(&once).map_err(|err| TestCaseError::fail(err.to_string()))?;
            prop_assert_eq!(&twice, &once, "{} then {}", plain(&once), plain(&twice));
        }
    }

    #[test]
    fn simplify_keeps_the_value(e in expr(true), (t, u) in points()) {
        let before = eval_tree(&e, t, u);
        prop_assume!(before.is_finite() && before.abs() < 1e6);
        prop_assume!(check_defined(&e, &Assumptions::default()).is_ok());
        let s = simplify(&e).map_err(|err| TestCaseError::fail(format!("{}: {err}", plain(&e))))?;
        let after = eval_tree(&s, t, u);
        prop_assert!(close(before, after, 1e-7), "{} = {before} but {} = {after} at t={t}, u={u}", plain(&e), plain(&s));
    }

    #[test]
    fn derivative_matches_finite_differences(e in expr(false), (t, u) in points()) {
        prop_assume!(check_defined(&e, &Assumptions::default()).is_ok());
        for (var, x) in [("t", t), ("u", u)] {
            let f = |h: f64| if var == "t" { eval_tree(&e, t + h, u) } else { eval_tree(&e, t, u + h) };
            let h = 1e-3 * (1.0 + x.abs()) * if var == "u" { x.min(1.0) } else { 1.0 };
            // Fourth-order central differences at h and h/2; where the two disagree the
            // stencil straddles a pole or a branch, and the point says nothing.
            let stencil = |h: f64| {
                let v = [f(-2.0 * h), f(-h), f(h), f(2.0 * h)];
                let ok = v.iter().all(|y| y.is_finite() && y.abs() < 1e4);
                (ok, (v[0] - 8.0 * v[1] + 8.0 * v[2] - v[3]) / (12.0 * h))
            };
            let (ok1, fd1) = stencil(h);
            let (ok2, fd) = stencil(h / 2.0);
            prop_assume!(ok1 && ok2 && f(0.0).is_finite());
            prop_assume!(close(fd1, fd, 1e-7));
            let d = fcorr::simplify::simplify_unchecked(&derivative(&e, var), &Default::default());
            let exact = eval_tree(&d, t, u);
            prop_assert!(close(exact, fd, 1e-5), "d/d{var} {} = {} = {exact}, finite differences {fd} at t={t}, u={u}", plain(&e), plain(&d));
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// The compiled program (with its stable rewrites) agrees with naive evaluation of the tree.
    #[test]
    fn compiled_evaluation_matches_the_tree(e in expr(true), (t, u) in points()) {
        prop_assume!(check_defined(&e, &Assumptions::default()).is_ok());
        let params = fcorr::eval::Params::from_pairs([("a", common::PARAM_A)]);
        for (var, x) in [("t", t), ("u", u)] {
            let other = if var == "t" { e.contains_sym("u") } else { e.contains_sym("t") };
            let naive = eval_tree(&e, t, u);
            if other || !naive.is_finite() || naive.abs() > 1e6 {
                continue;
            }
            let program = fcorr::eval::compile(&e, var, &params)
                .map_err(|err| TestCaseError::fail(err.to_string()))?;
            let fast = program.eval(x);
            prop_assert!(close(naive, fast, 1e-9), "{} at {var}={x}: tree {naive}, compiled {fast}", plain(&e));
        }
    }
}

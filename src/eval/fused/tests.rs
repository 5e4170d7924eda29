use crate::eval::{Compiled, Params, compile};
use crate::expr::Expr;
use crate::parse::parse;

fn program(e: &Expr) -> Compiled {
    compile(e, "t", &Params::new()).unwrap()
}

/// The whole program of `text` and one per term of its top-level sum.
fn sum(text: &str) -> (Compiled, Vec<Compiled>) {
    let e = parse(text).unwrap();
    let terms = match &e {
        Expr::Add(ts) => ts.iter().map(program).collect(),
        _ => Vec::new(),
    };
    (program(&e), terms)
}

/// `n` log-spaced points in `[lo, hi]`, both ends included, and their negatives.
fn both_signs(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    // through logarithms: `hi/lo` may overflow
    let xs: Vec<f64> = (0..n)
        .map(|i| (lo.ln() + (hi.ln() - lo.ln()) * (i as f64 / (n - 1) as f64)).exp())
        .collect();
    xs.iter().copied().chain(xs.iter().map(|x| -x)).collect()
}

/// Points where terms cancel or intermediates leave the normal range: around `1`, `0`, the
/// ends of the `f64` range.
fn awkward() -> Vec<f64> {
    let mut xs = vec![0.0, -0.0, 1.0, -1.0, 2.0, 0.3, f64::MIN_POSITIVE, 5e-324];
    for k in 1..=16 {
        let h = 10f64.powi(-k);
        xs.extend([1.0 - h, 1.0 + h]);
    }
    xs.extend([
        1e-300,
        1e-160,
        1e150,
        1e300,
        f64::MAX,
        f64::INFINITY,
        f64::NAN,
    ]);
    xs
}

#[track_caller]
fn same_as_two_passes(text: &str, xs: &[f64]) -> usize {
    let (whole, terms) = sum(text);
    let pass = whole
        .sum_pass(&terms)
        .unwrap_or_else(|| panic!("{text}: no pass"));
    let sizes = Compiled::sum_of_abs(&terms).unwrap();
    let mut given = 0;
    for &x in xs {
        let running = whole.eval_with_running_error(x);
        let size = sizes.eval_normal(x);
        let expected = running.zip(size).filter(|(_, s)| *s < f64::INFINITY);
        match (pass.eval(x), expected) {
            (Some(c), Some(((v, bound), size))) => {
                given += 1;
                let bits =
                    |c: &super::Certified| (c.value.to_bits(), c.bound.to_bits(), c.size.to_bits());
                assert_eq!(
                    bits(&c),
                    (v.to_bits(), bound.to_bits(), size.to_bits()),
                    "{text} at {x:e}"
                );
                assert_eq!(v.to_bits(), whole.eval(x).to_bits(), "{text} at {x:e}");
            }
            (None, None) => {}
            (got, expected) => panic!("{text} at {x:e}: {got:?} against {expected:?}"),
        }
    }
    given
}

#[test]
fn one_pass_has_the_bits_of_the_running_bound_and_the_size_pass() {
    let mut xs = both_signs(1e-3, 1e3, 301);
    xs.extend(both_signs(1e-300, 1e300, 121));
    xs.extend(awkward());
    for text in [
        // the closed form of `f` for `log(cosh(t))`, constant last
        "1 - t + 2*t*atan(t) - pi*t/2",
        "exp(t)/(1 + t^2) - exp(1/t)",
        "exp(-t)*t^3 - 1/3",
        "log(t) - t/7",
        "sqrt(t) - t/3 + 0.3",
        "1/(t - 0.3) + 1/(t + 1)",
        "log1p(t^2) - atan(t)",
        "tanh(t) - t/2 + sigmoid(t)",
        "t^2.5 - 2*t^(1/3) + log(cosh(t))",
        "abs(t - 2)*exp(-t) - 1/10",
        "(t^2 - 1)/(t + 3) - log(2)/t",
        "t*log(t) - (t + 1)*log(t + 1)",
        "atan(t)^2 - atan(1/t)*t + 7",
    ] {
        let given = same_as_two_passes(text, &xs);
        assert!(given * 4 >= xs.len(), "{text}: {given} of {}", xs.len());
    }
}

#[test]
fn a_program_that_is_not_its_terms_added_in_order_has_no_pass() {
    let no_pass = |whole: &str, terms: &[&str]| {
        let whole = program(&parse(whole).unwrap());
        let terms: Vec<Compiled> = terms.iter().map(|t| program(&parse(t).unwrap())).collect();
        assert_eq!(whole.sum_pass(&terms), None);
    };
    // not a sum, or one term
    no_pass("t*atan(t)", &["t*atan(t)"]);
    no_pass("t*atan(t)", &["t", "atan(t)"]);
    no_pass("t + 1", &[]);
    // the terms in another order, or one missing, or one too many
    no_pass("t + atan(t)", &["atan(t)", "t"]);
    no_pass("t + atan(t) + exp(t)", &["t", "atan(t)"]);
    no_pass("t + atan(t)", &["t", "atan(t)", "exp(t)"]);
    // a constant whose `AddC` is not the last term's
    no_pass("t + 2", &["t", "3"]);
    // a term with a shared value (a slot)
    let shared = "exp(t)*sin(exp(t)) + t";
    let (whole, terms) = sum(shared);
    assert_eq!(whole.sum_pass(&terms), None, "{shared}");
}

#[test]
fn where_an_intermediate_is_zero_or_not_finite_there_is_no_value() {
    let (whole, terms) = sum("1 - t + 2*t*atan(t) - pi*t/2");
    let pass = whole.sum_pass(&terms).unwrap();
    for x in [1.0, 0.0, 1e-300, 1e308, f64::INFINITY, f64::NAN] {
        assert_eq!(pass.eval(x), None, "{x:e}");
    }
    let c = pass.eval(2.0).unwrap();
    // 2·2·atan(2) + 1 + 2 + π
    let size = 4.0 * 2f64.atan() + 3.0 + std::f64::consts::PI;
    assert!((c.size - size).abs() <= 1e-14 * size, "{c:?}");
    assert!(c.bound > 0.0 && c.bound <= 1e-13, "{c:?}");
}

#[test]
fn a_deep_program_runs_on_the_larger_stack() {
    // `t + 1/(t + 1/(…))`, ten levels: a term eleven levels deep (deeper than eight).
    let deep = (0..10).fold("t".to_string(), |e, _| format!("t + 1/({e})"));
    let text = format!("{deep} + atan(t) - 3");
    let (whole, _) = sum(&text);
    assert!(
        whole.depth > 8 && whole.depth <= crate::eval::STACK_SLOTS,
        "{}",
        whole.depth
    );
    assert!(same_as_two_passes(&text, &both_signs(1e-3, 1e3, 41)) > 0);
}

#[test]
fn the_variable_and_the_unary_step_after_it_are_one_step() {
    // `Var, Var, atan, Mul, MulC(2)` | `Var, MulC(−π/2)`, Add | `Var, MulC(−1)`, Add | `AddC(1)`
    let (whole, terms) = sum("1 - t + 2*t*atan(t) - pi*t/2");
    let pass = whole.sum_pass(&terms).unwrap();
    assert_eq!(whole.instructions(), 12);
    assert_eq!(pass.steps.len(), 10, "{:?}", pass.steps);
}

#[test]
fn off_normal_is_below_its_limit_exactly_for_normal_numbers() {
    use super::{OFF_NORMAL_LIMIT, off_normal};
    use crate::eval::running::normal;
    let tiny = f64::MIN_POSITIVE;
    let next = |v: f64, by: i64| f64::from_bits((v.to_bits() as i64 + by) as u64);
    for v in [
        0.0,
        -0.0,
        5e-324,
        next(tiny, -1),
        tiny,
        next(tiny, 1),
        1.0,
        -1.0,
        f64::MAX,
        f64::MIN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        -f64::NAN,
        f64::from_bits(u64::MAX),
    ] {
        assert_eq!(off_normal(v) < OFF_NORMAL_LIMIT, normal(v), "{v:e}");
        assert_eq!(off_normal(-v) < OFF_NORMAL_LIMIT, normal(v), "{v:e}");
    }
}

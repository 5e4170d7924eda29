use super::machine::Op;
use super::*;
use crate::expr::{Constant, Expr, Func};

fn t() -> Expr {
    Expr::sym("t")
}
fn u() -> Expr {
    Expr::sym("u")
}
fn n(i: i64) -> Expr {
    Expr::int(i)
}
fn exp(x: Expr) -> Expr {
    Expr::func(Func::Exp, x)
}
fn log(x: Expr) -> Expr {
    Expr::func(Func::Log, x)
}
fn sqrt(x: Expr) -> Expr {
    Expr::pow(x, Expr::ratio(1, 2))
}
fn var_of(e: &Expr) -> &'static str {
    if e.contains_sym("u") { "u" } else { "t" }
}

/// The divergence generators and losses of the stability tests, by name.
fn named(name: &str) -> Expr {
    match name {
        "exp(t) - t - 1" => exp(t()) - t() - n(1),
        "4*exp(t/2) - 2*t - 4" => n(4) * (exp(t() / n(2)) - t() / n(2) - n(1)),
        "u - log(u) - 1" => u() - log(u()) - n(1),
        "u*log(u) - u + 1" => u() * log(u()) - u() + n(1),
        "2*u - 4*sqrt(u) + 2" => n(2) * u() - n(4) * sqrt(u()) + n(2),
        "exp(t) - 1" => exp(t()) - n(1),
        "log(u + 1)" => log(u() + n(1)),
        "1 - exp(-t)" => n(1) - exp(-t()),
        other => panic!("no test expression {other}"),
    }
}

#[track_caller]
fn evaluates_to(e: &Expr, x: f64, expected: f64, rel: f64) {
    let c = compile(e, var_of(e), &Params::new()).unwrap();
    let got = c.eval(x);
    let err = ((got - expected) / expected).abs();
    assert!(
        err <= rel,
        "{e} at {x}: got {got:e}, expected {expected:e} (relative error {err:e})"
    );
}

#[test]
#[rustfmt::skip]
fn values() {
    let p = |s: &str| s.parse::<Params>().unwrap();
    let cases: [(Expr, &str, f64, f64); 12] = [
        (n(2) * u() - n(2) - n(2) * log(u()), "", 2.0, 2.0 - 2.0 * 2f64.ln()),
        ((u() - n(1)).pow_i(2), "", 3.0, 4.0),
        (Expr::pow(u(), Expr::ratio(3, 2)), "", 4.0, 8.0),
        (Expr::pow(u(), Expr::ratio(-1, 2)), "", 4.0, 0.5),
        (n(1) / (n(2) * u()), "", 4.0, 0.125),
        (Expr::pow(t(), Expr::sym("a")), "a=0.5", 9.0, 3.0),
        (Expr::pow(n(-2), t()), "", 3.0, -8.0),
        (Expr::pow(n(3), t() / n(2)), "", 3.0, 0.0),
        (Expr::func(Func::Softplus, t()) - Expr::sym("b") * t(), "b=1/4", 800.0, 600.0),
        (Expr::func(Func::Sigmoid, -t()), "", -1000.0, 1.0),
        (Expr::constant(Constant::Pi) * u() + Expr::sym("a"), "a=-1", 2.0, 2.0 * std::f64::consts::PI - 1.0),
        (Expr::func(Func::Abs, t()) + Expr::func(Func::Sign, t()), "", -2.5, 1.5),
    ];
    for (e, params, x, expected) in cases {
        let c = compile(&e, var_of(&e), &p(params)).unwrap();
        let expected = if expected == 0.0 { 3f64.powf(x / 2.0) } else { expected };
        let got = c.eval(x);
        assert!(((got - expected) / expected).abs() < 1e-15, "{e} at {x}: {got} ≠ {expected}");
    }
}

trait PowI {
    fn pow_i(self, k: i64) -> Expr;
}
impl PowI for Expr {
    fn pow_i(self, k: i64) -> Expr {
        Expr::pow(self, n(k))
    }
}

/// Reference values from mpmath at 50 digits, at the exact `f64` inputs.
#[test]
#[rustfmt::skip]
fn stable_near_the_minimum() {
    let cases = [
        ("exp(t) - t - 1", 1e-08, 5.0000000166666667e-17),
        ("exp(t) - t - 1", -1e-08, 4.999999983333334e-17),
        ("exp(t) - t - 1", 0.001, 5.00166708341668e-07),
        ("exp(t) - t - 1", 0.3, 0.0498588075760031),
        ("exp(t) - t - 1", -0.4, 0.07032004603563931),
        ("exp(t) - t - 1", 0.49, 0.14231621995537896),
        ("exp(t) - t - 1", 0.51, 0.1552911949458863),
        ("exp(t) - t - 1", 2.0, 4.38905609893065),
        ("exp(t) - t - 1", -5.0, 4.006737946999086),
        ("exp(t) - t - 1", 30.0, 10686474581493.463),
        ("4*exp(t/2) - 2*t - 4", 1e-06, 5.000000833333437e-13),
        ("4*exp(t/2) - 2*t - 4", -1e-06, 4.99999916666677e-13),
        ("4*exp(t/2) - 2*t - 4", 0.7, 0.27627019437302897),
        ("4*exp(t/2) - 2*t - 4", -3.0, 2.892520640593719),
        ("u - log(u) - 1", 1.00000001, 4.999999905891958e-17),
        ("u - log(u) - 1", 0.99999999, 5.000000083580927e-17),
        ("u - log(u) - 1", 0.9, 0.005360515657826298),
        ("u - log(u) - 1", 1.3, 0.03763573553250896),
        ("u - log(u) - 1", 1.49, 0.09122388004263222),
        ("u - log(u) - 1", 1.51, 0.09789034917316704),
        ("u - log(u) - 1", 5.0, 2.3905620875658995),
        ("u - log(u) - 1", 0.01, 3.615170185988091),
        ("u*log(u) - u + 1", 1.00000001, 4.999999922558624e-17),
        ("u*log(u) - u + 1", 0.9999999, 5.000000161403116e-15),
        ("u*log(u) - u + 1", 1.2, 0.018785868152745543),
        ("u*log(u) - u + 1", 0.3, 0.3388081587022192),
        ("u*log(u) - u + 1", 4.0, 2.5451774444795623),
        ("2*u - 4*sqrt(u) + 2", 1.00000001, 4.999999914225291e-17),
        ("2*u - 4*sqrt(u) + 2", 0.99999999, 5.0000000752475934e-17),
        ("2*u - 4*sqrt(u) + 2", 3.0, 1.0717967697244908),
        ("exp(t) - 1", 1e-10, 1.00000000005e-10),
        ("exp(t) - 1", -2e-09, -1.9999999980000002e-09),
        ("log(u + 1)", 1e-10, 9.999999999500001e-11),
        ("log(u + 1)", 3e-17, 3e-17),
        ("1 - exp(-t)", 1e-12, 9.999999999995e-13),
    ];
    for (name, x, expected) in cases {
        evaluates_to(&named(name), x, expected, 1e-15);
    }
}

#[track_caller]
fn uses_kernel(e: &Expr, kernel: Op) {
    let c = compile(e, var_of(e), &Params::new()).unwrap();
    assert!(c.ops.contains(&kernel), "{e} compiles to {:?}", c.ops);
}

#[test]
fn stable_forms_are_chosen() {
    uses_kernel(&named("exp(t) - t - 1"), Op::Expm1MinusX);
    uses_kernel(&named("4*exp(t/2) - 2*t - 4"), Op::Expm1MinusX);
    uses_kernel(&named("u - log(u) - 1"), Op::Log1pMinusY);
    uses_kernel(&named("u*log(u) - u + 1"), Op::XlogxMinusXPlus1);
    uses_kernel(&named("2*u - 4*sqrt(u) + 2"), Op::SqrtMinus1Squared);
    uses_kernel(&named("exp(t) - 1"), Op::Expm1);
    uses_kernel(&named("1 - exp(-t)"), Op::Expm1);
    uses_kernel(&named("log(u + 1)"), Op::Log1p);
    uses_kernel(&(exp(t()) - t() - n(1) + t().pow_i(3)), Op::Expm1MinusX);
    uses_kernel(&(log(u() / n(2)) - u() / n(2) + n(1)), Op::Log1pMinusY);
    let c = compile(&named("4*exp(t/2) - 2*t - 4"), "t", &Params::new()).unwrap();
    assert_eq!(
        &*c.ops,
        [Op::Var, Op::MulC(0.5), Op::Expm1MinusX, Op::MulC(4.0)]
    );
}

#[test]
fn stable_forms_agree_with_the_naive_formula_away_from_the_minimum() {
    type Naive = fn(f64) -> f64;
    let cases: [(&str, Naive, f64, f64); 5] = [
        ("exp(t) - t - 1", |t| t.exp() - t - 1.0, 1.0, 12.0),
        (
            "4*exp(t/2) - 2*t - 4",
            |t| 4.0 * (t / 2.0).exp() - 2.0 * t - 4.0,
            2.0,
            30.0,
        ),
        ("u - log(u) - 1", |u| u - u.ln() - 1.0, 1.6, 50.0),
        ("u*log(u) - u + 1", |u| u * u.ln() - u + 1.0, 1.6, 50.0),
        (
            "2*u - 4*sqrt(u) + 2",
            |u| 2.0 * u - 4.0 * u.sqrt() + 2.0,
            1.6,
            50.0,
        ),
    ];
    for (name, naive, lo, hi) in cases {
        let e = named(name);
        let c = compile(&e, var_of(&e), &Params::new()).unwrap();
        for k in 0..200 {
            let x = lo + (hi - lo) * f64::from(k) / 199.0;
            // Both sides of the minimum: `t` in `±[lo, hi]`, `u` in `[lo, hi]` and `1/[lo, hi]`.
            let mirrored = if var_of(&e) == "t" { -x } else { 1.0 / x };
            for x in [x, mirrored] {
                let (got, want) = (c.eval(x), naive(x));
                assert!(
                    ((got - want) / want).abs() < 1e-14,
                    "{name} at {x}: {got} vs naive {want}"
                );
            }
        }
    }
}

#[test]
fn non_finite_values_are_returned() {
    let c = compile(&log(u()), "u", &Params::new()).unwrap();
    assert_eq!(c.eval(0.0), f64::NEG_INFINITY);
    assert!(c.eval(-1.0).is_nan());
    let huge = Expr::pow(n(10), Expr::int(10_000_000_000));
    assert_eq!(eval_constant(&huge, &Params::new()), Ok(f64::INFINITY));
    let c = compile(&(huge * t()), "t", &Params::new()).unwrap();
    assert_eq!(c.eval(1.0), f64::INFINITY);
    let c = compile(&named("u - log(u) - 1"), "u", &Params::new()).unwrap();
    assert_eq!(c.eval(0.0), f64::INFINITY);
    assert_eq!(c.eval(f64::INFINITY), f64::INFINITY);
    let c = compile(&named("exp(t) - t - 1"), "t", &Params::new()).unwrap();
    assert_eq!(c.eval(f64::INFINITY), f64::INFINITY);
    assert_eq!(c.eval(f64::NEG_INFINITY), f64::INFINITY);
    assert!(c.eval(f64::NAN).is_nan());
}

#[test]
fn missing_parameters() {
    let e = Expr::pow(t(), Expr::sym("a")) + Expr::sym("b");
    let err = compile(&e, "t", &Params::new()).unwrap_err();
    assert_eq!(err, EvalError::MissingParam("a".into()));
    assert_eq!(err.to_string(), "parameter `a` has no value");
    assert_eq!(err.help().unwrap(), "give it a value with `--param a=…`");
    let err = compile(&e, "t", &Params::from_pairs([("a", 2.0)])).unwrap_err();
    assert_eq!(err, EvalError::MissingParam("b".into()));
    let ok = compile(&e, "t", &Params::from_pairs([("a", 2.0), ("b", 1.0)])).unwrap();
    assert_eq!(ok.eval(3.0), 10.0);
    assert_eq!(ok.instructions(), 3, "t^2 + 1 with a and b folded");
    assert_eq!(
        eval_constant(&t(), &Params::new()),
        Err(EvalError::MissingParam("t".into()))
    );
    assert_eq!(
        eval_constant(&(Expr::sym("a") * n(3)), &Params::from_pairs([("a", 0.5)])),
        Ok(1.5)
    );
}

#[test]
#[rustfmt::skip]
fn parameter_assignments() {
    assert_eq!(parse_assignment("a=0.5"), Ok(("a".into(), 0.5)));
    assert_eq!(parse_assignment(" alpha = -1e-3 "), Ok(("alpha".into(), -1e-3)));
    assert_eq!(parse_assignment("b_2=1/4"), Ok(("b_2".into(), 0.25)));
    assert_eq!(parse_assignment("a"), Err(EvalError::ParamSyntax("a".into())));
    assert_eq!(parse_assignment("=1"), Err(EvalError::ParamName("".into())));
    assert_eq!(parse_assignment("2a=1"), Err(EvalError::ParamName("2a".into())));
    assert_eq!(parse_assignment("pi=3"), Err(EvalError::ParamName("pi".into())));
    assert_eq!(parse_assignment("exp=3"), Err(EvalError::ParamName("exp".into())));
    assert_eq!(parse_assignment("a=inf"), Err(EvalError::ParamValue { name: "a".into(), text: "inf".into() }));
    assert_eq!(parse_assignment("a=1/0"), Err(EvalError::ParamValue { name: "a".into(), text: "1/0".into() }));
    assert_eq!(parse_assignment("a=x"), Err(EvalError::ParamValue { name: "a".into(), text: "x".into() }));
    assert_eq!("a=1, b=2,a=3".parse::<Params>(), Ok(Params::from_pairs([("a", 3.0), ("b", 2.0)])));
    assert_eq!("".parse::<Params>(), Ok(Params::new()));
    assert_eq!(EvalError::ParamSyntax("a".into()).to_string(), "expected `name=value`, found `a`");
}

#[test]
fn eval_many_matches_eval() {
    let c = compile(&named("u*log(u) - u + 1"), "u", &Params::new()).unwrap();
    let xs = [0.5, 1.0, 1.5, 2.0];
    let mut out = [0.0; 5];
    c.eval_many(&xs, &mut out);
    for (x, y) in xs.iter().zip(&out) {
        assert_eq!(*y, c.eval(*x));
    }
    assert_eq!(out[4], 0.0);
}

#[test]
fn deep_programs_fall_back_to_the_heap() {
    let mut e = t();
    for _ in 0..40 {
        e = t() + log(e);
    }
    let c = compile(&e, "t", &Params::new()).unwrap();
    assert!(c.needs_heap());
    let mut v = 3.0f64;
    for _ in 0..40 {
        v = 3.0 + v.ln();
    }
    assert!((c.eval(3.0) - v).abs() < 1e-13);
    let mut out = [0.0];
    c.eval_many(&[3.0], &mut out);
    assert_eq!(out[0], c.eval(3.0));
}

#[test]
fn stable_forms_are_listed() {
    assert_eq!(stable_forms().count(), 5);
}

#[test]
fn logarithms_of_rational_constants_keep_their_digits_near_and_far_from_one() {
    for (r, want) in [
        ("1/400000000", -19.806_975_105_072_254_f64),
        ("1000000001/1000000000", 9.999_999_995e-10),
        ("3/2", std::f64::consts::LN_2 * 0.584_962_500_721_156_2),
    ] {
        let e = crate::parse::parse(&format!("log({r}) + t")).unwrap();
        let c = compile(&e, "t", &Params::new()).unwrap();
        let got = c.eval(0.0);
        assert!(
            (got - want).abs() <= 4.0 * f64::EPSILON * want.abs(),
            "log({r}): {got} vs {want}"
        );
    }
}

#[test]
fn a_long_sum_finds_the_terms_of_a_stable_form_where_term_by_term_search_does() {
    use super::compile::Terms;
    // 40 terms, `−3` twice (the constant of `3·exp(t) − 3`).
    let mut ts: Vec<Expr> = (1..=36)
        .map(|k| Expr::ratio(k % 7 + 1, 1000) * exp(Expr::ratio(k, 1000) * t()))
        .collect();
    ts.extend([n(-3), n(3) * exp(t()), n(-3), t()]);
    let others = [
        n(-3),
        n(3),
        Expr::ratio(-1, 1000),
        Expr::ratio(-1, 1000) * t() - Expr::ratio(1, 1000),
        n(-3) * t() - n(3),
        Expr::add(vec![n(-3), n(-3)]),
        ts[5].clone() + ts[12].clone(),
        t() + ts[3].clone() + ts[3].clone(),
        n(0),
    ];
    let terms = Terms::new(&ts);
    for anchor in 0..ts.len() {
        for o in &others {
            assert_eq!(
                terms.matching(anchor, o),
                Expr::matching_terms(&ts, anchor, o),
                "{anchor}, {o:?}"
            );
        }
    }
    let sum = Expr::add(
        ts[..36]
            .iter()
            .cloned()
            .chain([n(3) * exp(t()), n(-3)])
            .collect(),
    );
    let Expr::Add(canonical) = &sum else {
        panic!("{sum:?}")
    };
    let s = super::compile::find_stable(canonical).expect("expm1 found");
    assert_eq!(s.kernel, Op::Expm1);
}

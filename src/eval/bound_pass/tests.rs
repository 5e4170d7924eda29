use crate::eval::{Compiled, Params, compile};
use crate::expr::Expr;
use crate::parse::parse;

/// The whole program of `text` and one per term of its top-level sum.
fn sum(text: &str) -> (Compiled, Vec<Compiled>) {
    let e = parse(text).unwrap();
    let program = |e: &Expr| compile(e, "t", &Params::new()).unwrap();
    let terms = match &e {
        Expr::Add(ts) => ts.iter().map(program).collect(),
        _ => Vec::new(),
    };
    (program(&e), terms)
}

/// `Σ_{k=1}^{n} f(k)` written out.
fn written_out(n: usize, f: impl Fn(usize) -> String) -> String {
    (1..=n).map(f).collect::<Vec<_>>().join(" + ")
}

/// Points of both signs from `1e-300` to `1e300`, around `0` and `1`, the ends of the range,
/// zeros, subnormal and non-finite points.
fn points() -> Vec<f64> {
    let n = 301;
    let (lo, hi) = (1e-300f64.ln(), 1e300f64.ln());
    let mut xs: Vec<f64> = (0..n)
        .map(|i| (lo + (hi - lo) * i as f64 / (n - 1) as f64).exp())
        .collect();
    for k in 1..=16 {
        let h = 10f64.powi(-k);
        xs.extend([1.0 - h, 1.0 + h, h]);
    }
    xs.extend([
        0.0,
        0.3,
        0.7,
        2.5,
        37.0,
        f64::MIN_POSITIVE,
        5e-324,
        f64::MAX,
        f64::INFINITY,
        f64::NAN,
    ]);
    let negated: Vec<f64> = xs.iter().map(|x| -x).collect();
    xs.extend(negated);
    xs
}

/// Checks the pass of `text` against the bound and the terms evaluated one by one at every
/// point and with three errors of the variable; returns whether its terms are marked and at
/// how many points it gave a size.
#[track_caller]
fn same_as_apart(text: &str) -> (bool, usize) {
    let (whole, terms) = sum(text);
    let pass = whole
        .bound_pass(&terms)
        .unwrap_or_else(|| panic!("{text}: no pass"));
    let mut sized = 0;
    for x in points() {
        for x_error in [0.0, 0.5 * f64::EPSILON * x.abs(), 1e-3] {
            let b = pass.eval(x, x_error);
            let (v, e) = whole.eval_with_error(x, x_error);
            assert_eq!(
                (b.value.to_bits(), b.bound.to_bits()),
                (v.to_bits(), e.to_bits()),
                "{text} at {x:e} ± {x_error:e}: {} ± {} against {v} ± {e}",
                b.value,
                b.bound
            );
            if let Some(size) = b.size {
                sized += 1;
                let apart: f64 = terms.iter().map(|t| t.eval(x).abs()).sum();
                assert_eq!(size.to_bits(), apart.to_bits(), "{text} at {x:e}");
            }
        }
    }
    (pass.marked, sized)
}

#[test]
fn the_pass_has_the_bits_of_the_bound_and_of_the_terms_one_by_one() {
    let log_sum = written_out(40, |k| format!("2*t/({k} + t^2)"));
    let exp_sum = written_out(40, |k| format!("{k}/1000*exp({k}*t/1000)"));
    let shared = written_out(12, |k| format!("log(cosh(t))^{k}/{k}"));
    let logarithms = written_out(30, |k| format!("log({k} + t^2)"));
    // (input, whether its terms are found in its program)
    let cases: [(&str, bool); 14] = [
        (&log_sum, true),
        // `x·c` normal where `x` is subnormal: `x` is an intermediate all the same
        ("1e300*t + t^2", true),
        (&logarithms, true),
        (&exp_sum, true),
        (&shared, true),
        ("2*t/(1 + t^2) + 2*t/(2 + t^2)", true),
        ("t^2 + 3", true),
        ("atan(t)*t - pi*t/2 + 1/3", true),
        ("tanh(t) + sin(t)^2 + t/7", true),
        // a stable form joins terms (`exp(t) − 1 − t`), `min` is one instruction for its terms
        ("exp(t) - 1 - t", false),
        ("sqrt(t^2 + 1) - 1", false),
        ("min(t, 1) + t^2", false),
        // no sum, and a constant that is not the last term
        ("log(cosh(t))", false),
        ("3 + 0.3*t + exp(t) + pi", false),
    ];
    for (text, marked) in cases {
        let (is_marked, sized) = same_as_apart(text);
        assert_eq!(is_marked, marked, "{text}");
        if marked {
            assert!(sized > 300, "{text}: a size at only {sized} points");
        } else {
            assert_eq!(sized, 0, "{text}");
        }
    }
}

#[test]
fn a_program_deeper_than_the_arrays_on_the_stack_gives_the_same_bits() {
    // `t + 1/(t + 2·(t + 1/(…)))`, 40 levels, plus a term: its operands pile up on the stack.
    let deep = (0..40).fold("1".to_string(), |e, _| format!("(t + 1/(t + 2*{e}))"));
    let text = format!("{deep}*t + exp(t)");
    let (whole, terms) = sum(&text);
    assert!(whole.depth > crate::eval::STACK_SLOTS, "{}", whole.depth);
    let (marked, sized) = same_as_apart(&text);
    assert!(marked && sized > 0, "{marked} {sized}");
    assert!(whole.bound_pass(&terms).is_some());
}

#[test]
fn terms_that_do_not_add_up_to_the_program_are_not_marked() {
    let (whole, terms) = sum("t^2 + exp(t) + 1");
    let (other, _) = sum("t^2 + exp(t) + 2");
    assert!(whole.bound_pass(&terms).unwrap().marked);
    assert!(!other.bound_pass(&terms).unwrap().marked);
    assert!(!whole.bound_pass(&terms[..2]).unwrap().marked);
    assert!(!whole.bound_pass(&[]).unwrap().marked);
}

/// Numbers of both signs and every kind: zeros, subnormal, huge, non-finite.
const NUMBERS: [f64; 20] = crate::eval::error::EVERY_KIND;

/// Errors from none to infinite.
const ERRORS: [f64; 11] = [
    0.0,
    1e-16,
    2.2e-16,
    0.3,
    1.0,
    2.0,
    1e-310,
    1e300,
    1.7e308,
    f64::INFINITY,
    f64::NAN,
];

#[track_caller]
fn same_bits(what: &str, got: (f64, f64), want: (f64, f64)) {
    assert_eq!(
        (got.0.to_bits(), got.1.to_bits()),
        (want.0.to_bits(), want.1.to_bits()),
        "{what}: {got:?} against {want:?}"
    );
}

/// The written-out steps against the propagated bound's step at `(a ± ea, b ± eb)`, with `b`
/// as the constant of `AddC` and `MulC`.
fn compare_steps(a: (f64, f64), b: (f64, f64)) {
    use super::{add, add_const, div, mul_const};
    use crate::eval::error::{constant_error, step};
    use crate::eval::machine::Op;
    let none = (0.0, 0.0);
    let c = b.0;
    same_bits(&format!("{a:?} + {b:?}"), add(a, b), step(Op::Add, a, b));
    same_bits(&format!("{a:?} / {b:?}"), div(a, b), step(Op::Div, a, b));
    same_bits(
        &format!("{a:?} + {c}"),
        add_const(a, c, constant_error(c)),
        step(Op::AddC(c), a, none),
    );
    same_bits(
        &format!("{a:?} · {c}"),
        mul_const(a, c, constant_error(c)),
        step(Op::MulC(c), a, none),
    );
}

#[test]
fn the_written_out_steps_have_the_bits_of_the_bound_s_step_at_every_kind_of_operand() {
    let mut compared = 0;
    for a in NUMBERS {
        for ea in ERRORS {
            for b in NUMBERS {
                for eb in ERRORS {
                    compare_steps((a, ea), (b, eb));
                    compared += 1;
                }
            }
        }
    }
    assert_eq!(compared, 20 * 11 * 20 * 11);
}

#[test]
fn the_written_out_steps_have_the_bits_of_the_bound_s_step_on_random_operands() {
    // A fixed linear congruential sequence: numbers of both signs over many scales, errors
    // from far below to far above them, and constants with and without rounding.
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    for i in 0..200_000 {
        let mut number = |scale: f64| (2.0 * next() - 1.0) * 10f64.powf(scale * (next() - 0.5));
        let (a, mut b) = (number(8.0), number(8.0));
        let (ea, eb) = (number(40.0).abs(), number(40.0).abs());
        if i % 3 == 0 {
            // an integer constant, stored exactly
            b = b.round();
        }
        compare_steps((a, ea), (b, eb));
    }
}

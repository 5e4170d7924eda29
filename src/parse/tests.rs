use super::*;
use crate::expr::{Constant, Func};
use ParseErrorKind as K;

#[track_caller]
fn parses_same(inputs: &[&str]) {
    let first = parse(inputs[0]).unwrap_or_else(|e| panic!("{:?}: {e}", inputs[0]));
    for s in &inputs[1..] {
        let e = parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"));
        assert_eq!(e, first, "{s:?} differs from {:?}", inputs[0]);
    }
}

#[track_caller]
fn same_as(a: &str, b: &str) {
    parses_same(&[a, b]);
}

#[track_caller]
fn is(input: &str, expected: Expr) {
    let e = parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
    assert_eq!(e, expected, "{input:?}");
}

#[track_caller]
fn fails_with(input: &str, kind: ParseErrorKind, span: std::ops::Range<usize>) {
    match parse(input) {
        Ok(e) => panic!("{input:?} parsed as {e:?}"),
        Err(err) => {
            assert_eq!(err.kind, kind, "{input:?}");
            assert_eq!(err.span, span, "{input:?}: {err:?}");
        }
    }
}

#[track_caller]
fn help_of(input: &str) -> String {
    match parse(input) {
        Ok(e) => panic!("{input:?} parsed as {e:?}"),
        Err(err) => err.help.unwrap_or_default(),
    }
}

fn t() -> Expr {
    Expr::sym("t")
}
fn u() -> Expr {
    Expr::sym("u")
}

#[test]
fn spelling_variants() {
    parses_same(&["t^2", "t ^ 2", "t**2", "t²", "t\t^\n2", "(t)^(2)"]);
    parses_same(&["u-1", "u − 1", "u+-1", "-1+u"]);
    parses_same(&["2*u", "2u", "2 u", "2·u", "2×u", "2⋅u", "u*2", "(2)(u)"]);
    parses_same(&["u/2", "u÷2", "u*2^-1", "0.5u", ".5u", "5e-1u", "1/2*u"]);
    parses_same(&["sqrt(u)", "√u", "u^(1/2)", "u^0.5", "√(u)"]);
    parses_same(&["ln(u)", "log(u)", "log (u)"]);
    parses_same(&["pi", "π", "(pi)"]);
    parses_same(&["lambda*u", "λu", "λ u", "λ*u"]);
}

#[test]
fn precedence() {
    same_as("-t^2", "-(t^2)");
    same_as("2^-3", "1/8");
    same_as("2^3^2", "2^9");
    same_as("2^3t", "8*t");
    same_as("a/2b", "(a/2)*b");
    same_as("t-u-1", "(t-u)-1");
    same_as("t/u/2", "(t/u)/2");
    same_as("--t", "t");
    same_as("-t*u", "(-t)*u");
    same_as("2*-t", "-2*t");
    same_as("2^-t^2", "2^(-(t^2))");
    same_as("t^2u", "(t^2)*u");
    same_as("u³", "u^3");
    same_as("√u^2", "(√u)^2");
    same_as("√u²", "(√u)^2");
    same_as("-2^2", "-4");
    same_as("e^t", "exp(t)");
}

#[test]
fn implicit_multiplication() {
    same_as("2t", "2*t");
    same_as("2(u-1)", "2*(u-1)");
    same_as("3 log(u)", "3*log(u)");
    same_as("2 pi", "2*pi");
    same_as("(u-1)(u+1)", "(u-1)*(u+1)");
    same_as("(u-1)u", "(u-1)*u");
    same_as("a(u+1)", "a*(u+1)");
    same_as("a u", "a*u");
    same_as("2√u", "2*sqrt(u)");
    same_as("2exp(t)", "2*exp(t)");
    same_as("2e", "2*e");
    same_as("2e3t", "2000*t");
    same_as("αβ", "alpha*beta");
}

#[test]
fn exact_numbers() {
    same_as("0.1", "1/10");
    same_as("0.1 + 0.2", "3/10");
    same_as(".5", "1/2");
    same_as("2.", "2");
    same_as("1e-3", "1/1000");
    same_as("2.5E+4", "25000");
    same_as("1e1000", "10^1000");
    same_as("0e999", "0");
    same_as("12345678901234567890123", "12345678901234567890123*1");
    is("0.1", Expr::ratio(1, 10));
    is("007", Expr::int(7));
}

#[test]
fn names_and_lowering() {
    is("t", t());
    is("e", Expr::constant(Constant::E));
    is("pi", Expr::constant(Constant::Pi));
    is("beta_1", Expr::sym("beta_1"));
    is("α", Expr::sym("alpha"));
    is("log(u)", Expr::func(Func::Log, u()));
    is("log1p(u)", Expr::func(Func::Log, u() + Expr::one()));
    is("expm1(t)", Expr::func(Func::Exp, t()) - Expr::one());
    is("sqrt(u)", Expr::pow(u(), Expr::ratio(1, 2)));
    is("t - u", Expr::add(vec![t(), u().negate()]));
    is("t / u", t() * u().recip());
    for f in Func::ALL {
        is(&format!("{}(t)", f.name()), Expr::func(f, t()));
    }
}

#[test]
fn error_kinds_and_spans() {
    use Expected::*;
    fails_with("", K::Empty, 0..0);
    fails_with("  \n", K::Empty, 0..0);
    fails_with(
        "t +",
        K::UnexpectedEnd {
            expected: Expression,
        },
        3..3,
    );
    fails_with(
        "t + \n",
        K::UnexpectedEnd {
            expected: Expression,
        },
        3..3,
    );
    let caret = || K::UnexpectedToken {
        found: "`^`".into(),
        expected: Expression,
    };
    fails_with("t^^2", caret(), 2..3);
    fails_with("(t+1", K::UnclosedParen, 4..4);
    fails_with("log(u", K::UnclosedParen, 5..5);
    fails_with("t)", K::UnmatchedParen, 1..2);
    fails_with("()", K::EmptyParens, 0..2);
    fails_with("2*( )", K::EmptyParens, 2..5);
    fails_with("t $", K::UnexpectedChar('$'), 2..3);
    fails_with("t\0", K::UnexpectedChar('\0'), 1..2);
    fails_with("t + ∞", K::UnexpectedChar('∞'), 4..7);
    let unknown = |n: &str| K::UnknownFunction { name: n.into() };
    fails_with("lg(u)", unknown("lg"), 0..2);
    fails_with("lgo(u)", unknown("lgo"), 0..3);
    fails_with("2 sigmod(t)", unknown("sigmod"), 2..8);
    let named = |n: &str| n.to_string();
    fails_with("log u", K::MissingParens { name: named("log") }, 0..3);
    fails_with("exp^2(t)", K::MissingParens { name: named("exp") }, 0..3);
    fails_with("log", K::MissingParens { name: named("log") }, 0..3);
    fails_with("log()", K::MissingArgument { name: named("log") }, 0..5);
    fails_with(
        "log(u, 2)",
        K::TooManyArguments { name: named("log") },
        5..8,
    );
    fails_with("1e1000000000", K::ExponentTooLarge, 0..12);
    fails_with("1e-1001", K::ExponentTooLarge, 0..7);
    let digits = "1".repeat(1001);
    fails_with(&digits, K::NumberTooLong { digits: 1001 }, 0..1001);
    let num = |s: &str| K::UnexpectedToken {
        found: format!("number `{s}`"),
        expected: Operator,
    };
    fails_with("t 2", num("2"), 2..3);
    fails_with("(t)2", num("2"), 3..4);
    fails_with(
        "(t 2)",
        K::UnexpectedToken {
            found: "number `2`".into(),
            expected: OperatorOrClose,
        },
        3..4,
    );
    fails_with(
        "√-u",
        K::UnexpectedToken {
            found: "`-`".into(),
            expected: Expression,
        },
        3..4,
    );
}

#[test]
fn helps() {
    assert_eq!(help_of("lg(u)"), "did you mean `log`?");
    assert_eq!(help_of("lgo(u)"), "did you mean `log`?");
    assert_eq!(help_of("sqr(u)"), "did you mean `sqrt`?");
    assert_eq!(help_of("log u"), "write `log(u)`");
    assert_eq!(help_of("log"), "write `log(...)`");
    assert_eq!(help_of("|t|"), "write `abs(x)` for an absolute value");
    assert!(help_of("log(u, 2)").contains("log(x)/log(b)"));
}

#[test]
fn unclosed_paren_points_at_its_opening() {
    let err = parse("2*(t+(u-1)").err();
    let secondary = err.and_then(|e| e.secondary);
    assert_eq!(
        secondary,
        Some((2..3, "this `(` is never closed".to_string()))
    );
}

#[test]
fn near_function_names_that_are_parameters() {
    // Too far from every function name: a parameter times a group.
    same_as("a(u)", "a*u");
    same_as("kl(u)", "kl*u");
    same_as("t(u)", "t*u");
    same_as("lg u", "lg*u");
}

#[test]
fn limits() {
    let ok = format!("{}t{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert!(parse(&ok).is_ok());
    let deep = format!(
        "{}t{}",
        "(".repeat(MAX_DEPTH + 1),
        ")".repeat(MAX_DEPTH + 1)
    );
    fails_with(&deep, K::TooDeep, MAX_DEPTH..MAX_DEPTH + 1);
    let minus = format!("{}t", "-".repeat(MAX_DEPTH + 5));
    assert_eq!(parse(&minus).map_err(|e| e.kind), Err(K::TooDeep));
    let tower = format!("t{}", "^t".repeat(MAX_DEPTH + 5));
    assert_eq!(parse(&tower).map_err(|e| e.kind), Err(K::TooDeep));
    let calls = format!(
        "{}t{}",
        "exp(".repeat(MAX_DEPTH + 1),
        ")".repeat(MAX_DEPTH + 1)
    );
    assert_eq!(parse(&calls).map_err(|e| e.kind), Err(K::TooDeep));
    let roots = format!("{}u", "√".repeat(MAX_DEPTH + 5));
    assert_eq!(parse(&roots).map_err(|e| e.kind), Err(K::TooDeep));
    let long = "t+".repeat(MAX_INPUT_BYTES / 2) + "t";
    assert_eq!(
        parse(&long).map_err(|e| e.kind),
        Err(K::TooLong {
            len: MAX_INPUT_BYTES + 1
        })
    );
    let wide = "t+".repeat(MAX_INPUT_BYTES / 2 - 1) + "t";
    assert!(parse(&wide).is_ok());
}

#[test]
fn recursion_uses_little_stack_per_level() {
    // Measured between nesting levels 1 and 11; debug builds use far more than release ones.
    for input in [
        format!("{}t{}", "(".repeat(11), ")".repeat(11)),
        format!("{}t", "-".repeat(11)),
        format!("t{}", "^t".repeat(11)),
        format!("{}t{}", "exp(".repeat(11), ")".repeat(11)),
        format!("{}t", "√".repeat(11)),
    ] {
        let _ = parser::probe::take();
        assert!(parse_tree(&input).is_ok());
        let per_level = parser::probe::take() / 10;
        assert!(per_level < 12_000, "{input}: {per_level} bytes per level");
    }
}

#[test]
fn deepest_allowed_nesting_fits_a_small_stack() {
    let handle = std::thread::Builder::new().stack_size(2 << 20).spawn(|| {
        let n = MAX_DEPTH / 5;
        let mixed = format!("{}t{}", "(-exp(√(".repeat(n), ")))".repeat(n));
        let calls = format!(
            "{}t{}",
            "exp(".repeat(MAX_DEPTH - 1),
            ")".repeat(MAX_DEPTH - 1)
        );
        parse(&mixed).is_ok() && parse(&calls).is_ok()
    });
    let ok = handle.ok().map(|h| h.join());
    assert!(matches!(ok, Some(Ok(true))));
}

#[test]
fn tree_spans_are_half_open() {
    let ast = parse_tree(" 2*(t+1) ").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ast.span, Span::new(1, 8));
    match ast.kind {
        AstKind::Product(first, rest) => {
            assert_eq!(first.span, Span::new(1, 2));
            assert_eq!(
                rest.first().map(|(op, a)| (*op, a.span)),
                Some((MulOp::Mul, Span::new(3, 8)))
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn suggestions() {
    assert_eq!(suggest("lg"), Some("log"));
    assert_eq!(suggest("lgo"), Some("log"));
    assert_eq!(suggest("exo"), Some("exp"));
    assert_eq!(suggest("softpuls"), Some("softplus"));
    assert_eq!(suggest("a"), None);
    assert_eq!(suggest("kl"), None);
    assert_eq!(suggest("alpha"), None);
}

#[test]
fn special_functions_and_two_argument_calls() {
    parses_same(&["Li2(t)", "dilog(t)", "Li2 (t)"]);
    is("lambertw(u)", Expr::func(Func::LambertW, u()));
    is("Li2(t)", Expr::func(Func::Li2, t()));
    same_as("min(t, 1)", "(t + 1 - abs(t - 1))/2");
    same_as("max(t, 1)", "(t + 1 + abs(t - 1))/2");
    same_as("min(abs(t), 1)", "min(abs(t),1)");
    let named = |n: &str| n.to_string();
    fails_with("min(t)", K::TwoArguments { name: named("min") }, 0..6);
    fails_with("max(t 1)", K::TwoArguments { name: named("max") }, 0..7);
    fails_with(
        "min(t, 1, 2)",
        K::TwoArguments { name: named("min") },
        8..11,
    );
    fails_with(
        "Li2(t, 1)",
        K::TooManyArguments { name: named("Li2") },
        5..8,
    );
    assert_eq!(help_of("min(t)"), "write `min(a, b)`");
    assert_eq!(help_of("min(t, 1, 2)"), "`min` takes exactly two arguments");
    parses_same(&[
        "lowergamma(3/2, t)",
        "γ(3/2, t)",
        "γ (3/2, t)",
        "γ(1.5, (t))",
    ]);
    is("lowergamma(a, u)", Expr::lower_gamma(Expr::sym("a"), u()));
    // one argument: the parameter `γ` times a group
    same_as("γ(u + 1)", "gamma*(u + 1)");
    fails_with(
        "lowergamma(t)",
        K::TwoArguments {
            name: named("lowergamma"),
        },
        0..13,
    );
    assert_eq!(help_of("lowergamma(t)"), "write `lowergamma(p, x)`");
    assert_eq!(help_of("γ(1, t, 2)"), "`γ` takes exactly two arguments");
    assert!(help_of("gammainc(1, t)").contains("`lowergamma(p, x)`"));
}

//! Snapshots of rendered parse errors, one input file per error in `tests/inputs/errors/`,
//! plus the limits and a property test that the parser never panics.

use fcorr::parse::{MAX_DEPTH, MAX_INPUT_BYTES, ParseErrorKind, parse, render};
use proptest::prelude::*;
use std::time::{Duration, Instant};

#[test]
fn error_diagnostics() {
    insta::glob!("inputs/errors/*.txt", |path| {
        let input = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
        let err = match parse(&input) {
            Ok(e) => panic!("{} parsed as {e:?}", path.display()),
            Err(err) => err,
        };
        insta::assert_snapshot!(render(&err, &input, false));
    });
}

#[test]
fn ten_thousand_nested_parens_fail_fast() {
    let input = format!("{}t{}", "(".repeat(10_000), ")".repeat(10_000));
    let start = Instant::now();
    let err = parse(&input).err().map(|e| e.kind);
    assert_eq!(err, Some(ParseErrorKind::TooDeep));
    assert!(start.elapsed() < Duration::from_secs(1));
    let minus = "-".repeat(10_000) + "t";
    assert_eq!(
        parse(&minus).err().map(|e| e.kind),
        Some(ParseErrorKind::TooDeep)
    );
}

#[test]
fn deep_nesting_diagnostic() {
    let input = format!(
        "{}t{}",
        "(".repeat(MAX_DEPTH + 1),
        ")".repeat(MAX_DEPTH + 1)
    );
    let err = parse(&input).err().unwrap_or_else(|| panic!("parsed"));
    insta::assert_snapshot!(render(&err, &input, false));
}

#[test]
fn one_megabyte_input_fails_fast() {
    let input = "t+".repeat(500_000);
    let start = Instant::now();
    let err = parse(&input).err().unwrap_or_else(|| panic!("parsed"));
    assert_eq!(err.kind, ParseErrorKind::TooLong { len: 1_000_000 });
    assert!(start.elapsed() < Duration::from_millis(100));
    assert!(MAX_INPUT_BYTES < input.len());
    insta::assert_snapshot!(render(&err, &input, false));
}

#[test]
fn colour_output_has_escape_codes_and_the_same_text() {
    let input = "lg(u)";
    let err = parse(input).err().unwrap_or_else(|| panic!("parsed"));
    let coloured = render(&err, input, true);
    assert!(coloured.contains('\u{1b}'));
    assert!(!render(&err, input, false).contains('\u{1b}'));
}

#[test]
fn render_survives_a_foreign_source() {
    let err = parse("4*(exp(t/2) - t/2 - 1")
        .err()
        .unwrap_or_else(|| panic!("parsed"));
    for source in ["", "é", "short"] {
        assert!(render(&err, source, false).contains("unclosed"));
    }
}

const TOKENS: &[&str] = &[
    "t", "u", "e", "pi", "a", "2", "0.1", ".5", "1e-3", "2.", "+", "-", "−", "*", "**", "/", "^",
    "(", ")", ",", "log", "exp", "sqrt", "lg", "√", "²", "³", "·", "π", "λ", " ", "\n", "$", "\0",
    "1e99999", "e5",
];

proptest! {
    #[test]
    fn never_panics_on_arbitrary_text(s in "\\PC*") {
        let _ = parse(&s).map_err(|e| render(&e, &s, false));
    }

    #[test]
    fn never_panics_on_token_soup(parts in proptest::collection::vec(proptest::sample::select(TOKENS), 0..40)) {
        let s = parts.concat();
        if let Err(e) = parse(&s) {
            prop_assert!(e.span.end <= s.len() && e.span.start <= e.span.end);
            prop_assert!(s.is_char_boundary(e.span.start) && s.is_char_boundary(e.span.end));
            let _ = render(&e, &s, true);
        }
    }
}

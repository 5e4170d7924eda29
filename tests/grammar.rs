//! Keeps `grammar/fcorr.ebnf` honest: every `valid:` example parses, every `invalid:` one fails.

use fcorr::parse::parse;

fn examples(tag: &str) -> Vec<String> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/grammar/fcorr.ebnf"))
        .unwrap_or_else(|e| panic!("grammar file: {e}"));
    let prefix = format!("(* {tag}: ");
    text.lines()
        .filter_map(|l| l.trim().strip_prefix(prefix.as_str()))
        .filter_map(|l| l.strip_suffix("*)"))
        .map(|l| l.trim().to_string())
        .collect()
}

#[test]
fn valid_examples_parse() {
    let valid = examples("valid");
    assert!(valid.len() >= 20, "too few valid examples: {}", valid.len());
    for ex in valid {
        if let Err(e) = parse(&ex) {
            panic!("valid example {ex:?} failed: {e}");
        }
    }
}

#[test]
fn invalid_examples_fail() {
    let invalid = examples("invalid");
    assert!(
        invalid.len() >= 10,
        "too few invalid examples: {}",
        invalid.len()
    );
    for ex in invalid {
        if let Ok(e) = parse(&ex) {
            panic!("invalid example {ex:?} parsed as {e:?}");
        }
    }
}

#[test]
fn module_doc_mirrors_the_grammar() {
    let grammar =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/grammar/fcorr.ebnf"))
            .unwrap_or_default();
    let module = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/parse/mod.rs"))
        .unwrap_or_default();
    for rule in [
        "sum", "product", "unary", "power", "postfix", "atom", "call",
    ] {
        let in_grammar = grammar
            .lines()
            .find(|l| l.starts_with(&format!("{rule} ")))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "));
        let in_doc = module
            .lines()
            .filter_map(|l| l.strip_prefix("//! "))
            .find(|l| l.starts_with(&format!("{rule} ")))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "));
        assert!(in_grammar.is_some(), "rule {rule} missing from the grammar");
        assert_eq!(in_grammar, in_doc, "rule {rule} differs");
    }
}

//! The size of the canonical form, known before lowering builds it.
//!
//! `min(a, b) = (a + b − |a − b|)/2` writes each argument out twice, so `min` or `max` nested
//! `n` deep is lowered to about `2^n` copies of its innermost argument: `max(…, t^2)` nested 30
//! deep (fewer than 400 bytes) would need gigabytes. [`too_large`] follows the lowering with
//! counts instead of trees, in time proportional to the text, so that [`super::parse`] can
//! refuse such an input with a clear error pointing at the call instead of exhausting memory.

use super::ast::{Ast, AstKind, Callee, Span};

/// The most nodes the canonical form of an input may have when `min` and `max` are written
/// out: 250,000, the derivative size limit (a derivative is about as large as what it
/// differentiates, so a larger input could not be differentiated anyway).
pub const MAX_WRITTEN_OUT_NODES: usize = 250_000;

/// The innermost `min` or `max` call whose written-out form would pass
/// [`MAX_WRITTEN_OUT_NODES`], with that size; `None` when the whole input is within it.
pub(super) fn too_large(ast: &Ast<'_>) -> Option<(Span, usize)> {
    let mut found = None;
    size(ast, &mut found);
    found
}

/// An upper estimate of the nodes of `lower(ast)` (saturating); the first call past the limit
/// is put in `found`.
fn size(ast: &Ast<'_>, found: &mut Option<(Span, usize)>) -> usize {
    match &ast.kind {
        AstKind::Num(_) | AstKind::Const(_) | AstKind::Sym(_) => 1,
        AstKind::Sum(first, rest) => terms(first, rest.iter().map(|(_, x)| x), found),
        AstKind::Product(first, rest) => terms(first, rest.iter().map(|(_, x)| x), found),
        AstKind::Neg(x) | AstKind::Group(x) => size(x, found).saturating_add(2),
        AstKind::Pow(b, x) => size(b, found)
            .saturating_add(size(x, found))
            .saturating_add(1),
        AstKind::Call(Callee::LowerGamma, x) => size(x, found).saturating_mul(2).saturating_add(1),
        AstKind::Call(_, x) => size(x, found).saturating_add(4),
        AstKind::Call2(callee, a, b) => {
            let both = size(a, found).saturating_add(size(b, found));
            if *callee == Callee::LowerGamma {
                return both.saturating_add(1);
            }
            // `(a + b ± |a − b|)/2`: each argument twice, and a few nodes around them
            let out = both.saturating_mul(2).saturating_add(10);
            if out > MAX_WRITTEN_OUT_NODES && found.is_none() {
                *found = Some((ast.span, out));
            }
            out
        }
    }
}

/// [`size`] of a sum or product: a node, and each operand with a sign or reciprocal around it.
fn terms<'a, 'b: 'a>(
    first: &Ast<'b>,
    rest: impl Iterator<Item = &'a Ast<'b>>,
    found: &mut Option<(Span, usize)>,
) -> usize {
    rest.fold(1 + size(first, found), |acc, x| {
        acc.saturating_add(size(x, found)).saturating_add(2)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse, parse_tree};

    /// `max(max(… t …, t^2), t^2)`, `n` deep.
    fn nested_max(n: usize) -> String {
        (0..n).fold("t".to_string(), |s, _| format!("max({s}, t^2)"))
    }

    #[test]
    fn the_estimate_is_an_upper_bound() {
        for input in [
            "min(t, 1)",
            "max(t^2, exp(-t)) + min(log1p(t), 2)",
            "min(max(t, -1), 1)*lowergamma(2, t)",
            &nested_max(6),
        ] {
            let tree = parse_tree(input).unwrap();
            let mut found = None;
            let estimate = size(&tree, &mut found);
            let actual = parse(input).unwrap().size();
            assert!(actual <= estimate, "{input}: {actual} > {estimate}");
        }
    }

    #[test]
    fn nested_max_is_refused_past_the_limit() {
        let largest = (1..40)
            .take_while(|n| too_large(&parse_tree(&nested_max(*n)).unwrap()).is_none())
            .last()
            .unwrap();
        assert!(parse(&nested_max(largest)).is_ok());
        let text = nested_max(largest + 1);
        let err = parse(&text).unwrap_err();
        assert_eq!(err.kind, crate::parse::ParseErrorKind::TooLarge);
        // the caret is on the outermost call, the one that passes the limit
        assert_eq!(err.span, 0..text.len());
    }
}

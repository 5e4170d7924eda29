//! The parser: text to a parse tree with spans ([`parse_tree`]), lowered to the canonical
//! [`Expr`] ([`parse`]); errors are data ([`ParseError`]) rendered by [`render`].
//!
//! The language, one line per precedence level from loosest to tightest (the same lines as
//! `grammar/fcorr.ebnf`, which also lists valid and invalid examples that a test checks):
//!
//! ```text
//! expr    = sum ;
//! sum     = product , { ( "+" | "-" ) , product } ;
//! product = unary , { ( "*" | "/" ) , unary | implicit } ;
//! implicit = power ;   (* a factor starting with a name, "(" or "√" right after another *)
//! unary   = ( "-" | "+" ) , unary | power ;
//! power   = postfix , [ ( "^" | "**" ) , unary ] ;
//! postfix = atom , { "²" | "³" } ;
//! atom    = number | name | call | "(" , expr , ")" | "√" , atom ;
//! call    = function , "(" , expr , ")" | function2 , "(" , expr , "," , expr , ")" ;
//! ```
//!
//! So `-t^2` is `-(t^2)`, `2^-3` is `2^(-3)`, `2^3^2` is `2^(3^2)`, `2^3t` is `(2^3)·t` and
//! `a/2b` is `(a/2)·b`. Numbers are exact (`0.1` is `1/10`, `1e-3`, `2.5E+4`, `.5`, `2.`);
//! `t`, `u` are the variables, `e`, `pi` (`π`) constants, function names must be followed by
//! `(`, and any other name (ASCII, or a Greek letter, stored under its ASCII name: `λ` is
//! `lambda`) is a parameter. `−` is `-`; `·`, `×`, `⋅` are `*`; `÷` is `/`. `min`, `max` and
//! `lowergamma` take two arguments, every other function one; `dilog` is another name for
//! `Li2`, and `γ(p, x)` (the Greek letter with two arguments) for `lowergamma(p, x)`.
//!
//! Limits keep every input cheap: [`MAX_INPUT_BYTES`], [`MAX_DEPTH`] (parentheses, signs,
//! powers, calls and `√` all count, and bound the parser's recursion), [`MAX_NUMBER_DIGITS`]
//! and [`MAX_EXPONENT`].

mod ast;
mod error;
mod lexer;
mod lower;
mod parser;
mod render;
mod written_out;

#[cfg(test)]
mod tests;

pub use ast::{AddOp, Ast, AstKind, Callee, MulOp, Span};
pub use error::{Expected, ParseError, ParseErrorKind};
pub use lower::lower;
pub use render::render;

use crate::expr::Expr;

/// The longest input accepted, in bytes.
pub const MAX_INPUT_BYTES: usize = 100_000;
/// The deepest nesting accepted: each `(`, call, `√`, unary sign and `^` opens a level.
///
/// This bounds the parser's recursion: about 10 KB of stack per level in a debug build (far less
/// in release), so the deepest input fits a 2 MB thread stack.
pub const MAX_DEPTH: usize = 128;
/// The most digits a number literal may have (integer and fraction part together).
pub const MAX_NUMBER_DIGITS: usize = 1000;
/// The largest magnitude of the decimal exponent of a number literal (`1e1000` is accepted,
/// `1e1001` is not).
pub const MAX_EXPONENT: i64 = 1000;

/// Parse `input` to a parse tree with spans.
// A large error is fine here: it is returned once per parse, and it is the diagnostic's data.
#[allow(clippy::result_large_err)]
pub fn parse_tree(input: &str) -> Result<Ast<'_>, ParseError> {
    if input.len() > MAX_INPUT_BYTES {
        let mut at = MAX_INPUT_BYTES;
        while !input.is_char_boundary(at) {
            at -= 1;
        }
        let next = input.get(at..).and_then(|s| s.chars().next());
        let end = at + next.map_or(0, char::len_utf8);
        return Err(ParseError::new(
            ParseErrorKind::TooLong { len: input.len() },
            at..end,
            "the limit is reached here",
        )
        .with_help("simplify the expression or split it into parts"));
    }
    parser::Parser::new(input).parse_all().map_err(|e| *e)
}

/// Parse `input` to a canonical expression.
#[allow(clippy::result_large_err)]
pub fn parse(input: &str) -> Result<Expr, ParseError> {
    let ast = parse_tree(input)?;
    if let Some((span, nodes)) = written_out::too_large(&ast) {
        let mut err = ParseError::new(
            ParseErrorKind::TooLarge,
            span.start..span.end,
            format!("written out, about {nodes} nodes"),
        );
        err.help = Some(
            "each `min(a, b)` and `max(a, b)` is `(a + b ± |a − b|)/2`, with each argument twice"
                .to_string(),
        );
        return Err(err);
    }
    Ok(lower(&ast))
}

/// A known function name close to `name` (a typo), if there is one.
///
/// Close means an optimal-string-alignment distance (edits and adjacent swaps) of 1, or 2 for
/// names of five or more characters; names shorter than two characters never match.
pub(crate) fn suggest(name: &str) -> Option<&'static str> {
    if name.len() < 2 || name.len() > 12 {
        return None;
    }
    let limit = if name.len() >= 5 { 2 } else { 1 };
    Callee::NAMES
        .iter()
        .map(|&known| (osa_distance(name.as_bytes(), known.as_bytes()), known))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, known)| known)
}

/// The optimal-string-alignment distance between two short byte strings.
fn osa_distance(a: &[u8], b: &[u8]) -> usize {
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (i, row) in d.chunks_mut(w).enumerate() {
        if let Some(first) = row.first_mut() {
            *first = i;
        }
    }
    for (j, cell) in d.iter_mut().take(w).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let (ai, bj) = (a.get(i - 1), b.get(j - 1));
            let cost = usize::from(ai != bj);
            let del = d.get((i - 1) * w + j).map_or(usize::MAX, |x| x + 1);
            let ins = d.get(i * w + j - 1).map_or(usize::MAX, |x| x + 1);
            let sub = d.get((i - 1) * w + j - 1).map_or(usize::MAX, |x| x + cost);
            let mut best = del.min(ins).min(sub);
            if i > 1 && j > 1 && a.get(i - 1) == b.get(j - 2) && a.get(i - 2) == b.get(j - 1) {
                best = best.min(d.get((i - 2) * w + j - 2).map_or(usize::MAX, |x| x + 1));
            }
            if let Some(cell) = d.get_mut(i * w + j) {
                *cell = best;
            }
        }
    }
    d.last().copied().unwrap_or(0)
}

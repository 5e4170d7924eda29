//! Parse errors as data: a kind, a primary span and label, an optional secondary label and help.
//!
//! Rendering (carets, colour) is [`super::render`]'s job; nothing here prints.

use super::{MAX_DEPTH, MAX_EXPONENT, MAX_INPUT_BYTES, MAX_NUMBER_DIGITS};
use std::fmt;
use std::ops::Range;

/// What the parser wanted where it stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Expected {
    /// A number, name, function call, `(` or sign.
    Expression,
    /// An operator or the end of the input.
    Operator,
    /// An operator or the `)` closing a group or call.
    OperatorOrClose,
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Expected::Expression => "an expression",
            Expected::Operator => "an operator or the end of the input",
            Expected::OperatorOrClose => "an operator or `)`",
        })
    }
}

/// Every way the text can fail to be an expression.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseErrorKind {
    /// Nothing but whitespace.
    #[error("the input is empty")]
    Empty,
    /// More than [`MAX_INPUT_BYTES`] bytes.
    #[error("the input is {len} bytes long, more than the limit of {MAX_INPUT_BYTES}")]
    TooLong {
        /// The length of the input in bytes.
        len: usize,
    },
    /// A character that starts no token.
    #[error("unexpected character `{}`", .0.escape_debug())]
    UnexpectedChar(char),
    /// The input stopped where more was needed.
    #[error("unexpected end of input, expected {expected}")]
    UnexpectedEnd {
        /// What would have been accepted.
        expected: Expected,
    },
    /// A token that cannot stand where it stands.
    #[error("unexpected {found}, expected {expected}")]
    UnexpectedToken {
        /// The token, described (``number `2` ``, `` `^` ``).
        found: String,
        /// What would have been accepted.
        expected: Expected,
    },
    /// A `(` without its `)`.
    #[error("unclosed `(`")]
    UnclosedParen,
    /// A `)` without its `(`.
    #[error("unmatched `)`")]
    UnmatchedParen,
    /// `()`.
    #[error("empty parentheses")]
    EmptyParens,
    /// A name followed by `(` that is a near miss of a function name (`lg(u)`).
    #[error("unknown function `{name}`")]
    UnknownFunction {
        /// The name as written.
        name: String,
    },
    /// A function name not followed by `(` (`log u`).
    #[error("function `{name}` needs parentheses around its argument")]
    MissingParens {
        /// The function's name.
        name: String,
    },
    /// `log()`.
    #[error("function `{name}` needs an argument")]
    MissingArgument {
        /// The function's name.
        name: String,
    },
    /// `log(u, 2)`.
    #[error("function `{name}` takes one argument")]
    TooManyArguments {
        /// The function's name.
        name: String,
    },
    /// `min(t)` or `min(t, 1, 2)`: a function of two arguments given another number.
    #[error("function `{name}` takes two arguments")]
    TwoArguments {
        /// The function's name.
        name: String,
    },
    /// Parentheses, signs, powers or calls nested more than [`MAX_DEPTH`] deep.
    #[error("the expression is nested more than {MAX_DEPTH} levels deep")]
    TooDeep,
    /// A number literal with more than [`MAX_NUMBER_DIGITS`] digits.
    #[error("number literal has {digits} digits, more than the limit of {MAX_NUMBER_DIGITS}")]
    NumberTooLong {
        /// How many digits it has.
        digits: usize,
    },
    /// A number literal whose decimal exponent is beyond `±MAX_EXPONENT`.
    #[error("the exponent of this number literal is beyond ±{MAX_EXPONENT}")]
    ExponentTooLarge,
    /// `min` and `max` nested so deep that written out (`(a + b ± |a − b|)/2`, each argument
    /// twice) the input would pass 250,000 nodes.
    #[error(
        "`min` and `max` nested this deep would be written out as more than {} nodes",
        super::written_out::MAX_WRITTEN_OUT_NODES
    )]
    TooLarge,
}

/// A parse error: a kind with the spans and notes a diagnostic needs.
///
/// Spans are half-open byte ranges into the parsed text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct ParseError {
    /// What went wrong.
    pub kind: ParseErrorKind,
    /// Where (the primary caret).
    pub span: Range<usize>,
    /// The message under the primary caret.
    pub label: String,
    /// A second place worth pointing at, with its message (where an unclosed `(` opened).
    pub secondary: Option<(Range<usize>, String)>,
    /// How to fix it, where there is a clear fix.
    pub help: Option<String>,
}

impl ParseError {
    /// An error of `kind` at `span` with the caret label `label`.
    pub fn new(kind: ParseErrorKind, span: Range<usize>, label: impl Into<String>) -> ParseError {
        ParseError {
            kind,
            span,
            label: label.into(),
            secondary: None,
            help: None,
        }
    }

    /// The same error with a help note.
    pub fn with_help(mut self, help: impl Into<String>) -> ParseError {
        self.help = Some(help.into());
        self
    }

    /// The same error with a secondary label.
    pub fn with_secondary(mut self, span: Range<usize>, label: impl Into<String>) -> ParseError {
        self.secondary = Some((span, label.into()));
        self
    }
}

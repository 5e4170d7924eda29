//! The lexer: text to tokens, on demand, with byte spans.
//!
//! Number literals and ASCII names are recognised by nom combinators (complete-input mode, so
//! `123` at the end of the input is a number, not `Incomplete`); the one-character
//! tokens (including the characters pasted from papers: `−`, `·`, `×`, `⋅`, `÷`, `√`, `²`, `³`,
//! Greek letters) by a match.

use super::ast::Span;
use super::error::{ParseError, ParseErrorKind};
use super::{MAX_EXPONENT, MAX_NUMBER_DIGITS};
use nom::branch::alt;
use nom::bytes::complete::take_while;
use nom::character::complete::{char, digit1, one_of, satisfy};
use nom::combinator::{opt, recognize};
use nom::{IResult, Parser};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Pow, Zero};

/// A token kind; names borrow from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tok<'a> {
    /// A number literal (the text is the span).
    Num,
    /// A name: the ASCII text, or the ASCII name of a Greek letter.
    Ident(&'a str),
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    LParen,
    RParen,
    Comma,
    /// `√`.
    Root,
    /// `²` or `³`.
    Sup(u8),
    End,
}

/// A token with its span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    pub tok: Tok<'a>,
    pub span: Span,
}

/// Splits the input into tokens one at a time.
#[derive(Clone)]
pub(crate) struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

/// The number literal at the start of `s`, as a nom parser.
///
/// `digits ["." [digits]] | "." digits`, then `("e"|"E") ["+"|"-"] digits` only if complete:
/// in `2e` and `2exp(t)` the `e` is not an exponent (`opt` backtracks).
fn number_literal(s: &str) -> IResult<&str, &str> {
    let mantissa = alt((
        recognize((digit1, opt((char('.'), opt(digit1))))),
        recognize((char('.'), digit1)),
    ));
    let exponent = recognize((one_of("eE"), opt(one_of("+-")), digit1));
    recognize((mantissa, opt(exponent))).parse(s)
}

/// The ASCII name `[A-Za-z_][A-Za-z0-9_]*` at the start of `s`, as a nom parser.
fn ascii_name(s: &str) -> IResult<&str, &str> {
    recognize((
        satisfy(|c| c.is_ascii_alphabetic() || c == '_'),
        take_while(|c: char| c.is_ascii_alphanumeric() || c == '_'),
    ))
    .parse(s)
}

/// The length of the number literal at the start of `s` (0 if there is none).
fn number_len(s: &str) -> usize {
    number_literal(s).map_or(0, |(_, m)| m.len())
}

/// The length of the ASCII name at the start of `s` (0 if there is none).
fn ascii_name_len(s: &str) -> usize {
    ascii_name(s).map_or(0, |(_, m)| m.len())
}

/// The ASCII name of a Greek letter accepted as a parameter name.
fn greek(c: char) -> Option<&'static str> {
    Some(match c {
        'α' => "alpha",
        'β' => "beta",
        'γ' => "gamma",
        'δ' => "delta",
        'ε' | 'ϵ' => "epsilon",
        'ζ' => "zeta",
        'η' => "eta",
        'θ' | 'ϑ' => "theta",
        'ι' => "iota",
        'κ' => "kappa",
        'λ' => "lambda",
        'μ' => "mu",
        'ν' => "nu",
        'ξ' => "xi",
        'π' => "pi",
        'ρ' => "rho",
        'σ' | 'ς' => "sigma",
        'τ' => "tau",
        'υ' => "upsilon",
        'φ' | 'ϕ' => "phi",
        'χ' => "chi",
        'ψ' => "psi",
        'ω' => "omega",
        'Γ' => "Gamma",
        'Δ' => "Delta",
        'Θ' => "Theta",
        'Λ' => "Lambda",
        'Ξ' => "Xi",
        'Σ' => "Sigma",
        'Φ' => "Phi",
        'Ψ' => "Psi",
        'Ω' => "Omega",
        _ => return None,
    })
}

fn unexpected_char(c: char, span: Span) -> ParseError {
    let err = ParseError::new(
        ParseErrorKind::UnexpectedChar(c),
        span.range(),
        "not part of the language",
    );
    match c {
        '|' => err.with_help("write `abs(x)` for an absolute value"),
        '[' | ']' | '{' | '}' => err.with_help("use `(` and `)` for grouping"),
        '=' => err.with_help("enter only the right-hand side, e.g. `t^2/2`"),
        '.' => err.with_help("a decimal point needs a digit next to it, e.g. `0.5`"),
        _ => err,
    }
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a str) -> Lexer<'a> {
        Lexer { src, pos: 0 }
    }

    /// The offset just past the last non-whitespace character (where "end of input" points).
    pub fn end_offset(&self) -> usize {
        self.src.trim_end().len()
    }

    /// The next token, or [`Tok::End`] (repeatedly) at the end.
    pub fn next_token(&mut self) -> Result<Token<'a>, Box<ParseError>> {
        let rest = self.src.get(self.pos..).unwrap_or("");
        let trimmed = rest.trim_start();
        self.pos += rest.len() - trimmed.len();
        let start = self.pos;
        let Some(c) = trimmed.chars().next() else {
            let end = self.end_offset();
            return Ok(Token {
                tok: Tok::End,
                span: Span::new(end, end),
            });
        };
        let n = number_len(trimmed);
        if n > 0 {
            self.pos += n;
            return Ok(Token {
                tok: Tok::Num,
                span: Span::new(start, self.pos),
            });
        }
        let n = ascii_name_len(trimmed);
        if n > 0 {
            self.pos += n;
            return Ok(Token {
                tok: Tok::Ident(trimmed.get(..n).unwrap_or("")),
                span: Span::new(start, self.pos),
            });
        }
        let span = Span::new(start, start + c.len_utf8());
        let tok = match c {
            '+' => Tok::Plus,
            '-' | '−' => Tok::Minus,
            '*' if trimmed.starts_with("**") => {
                self.pos += 2;
                return Ok(Token {
                    tok: Tok::Caret,
                    span: Span::new(start, start + 2),
                });
            }
            '*' | '·' | '×' | '⋅' => Tok::Star,
            '/' | '÷' => Tok::Slash,
            '^' => Tok::Caret,
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            ',' => Tok::Comma,
            '√' => Tok::Root,
            '²' => Tok::Sup(2),
            '³' => Tok::Sup(3),
            _ => match greek(c) {
                Some(name) => Tok::Ident(name),
                None => return fail(unexpected_char(c, span)),
            },
        };
        self.pos = span.end;
        Ok(Token { tok, span })
    }
}

/// The exact value of the number literal `text` (as recognised by the lexer) at `span`.
///
/// Built from the digit string, never through `f64`: `0.1` is `1/10`.
pub(crate) fn number_value(text: &str, span: Span) -> Result<BigRational, Box<ParseError>> {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (text.get(..i).unwrap_or(""), text.get(i + 1..)),
        None => (text, None),
    };
    let (int, frac) = match mantissa.find('.') {
        Some(i) => (
            mantissa.get(..i).unwrap_or(""),
            mantissa.get(i + 1..).unwrap_or(""),
        ),
        None => (mantissa, ""),
    };
    let digits = int.len() + frac.len();
    if digits > MAX_NUMBER_DIGITS {
        return fail(
            ParseError::new(
                ParseErrorKind::NumberTooLong { digits },
                span.range(),
                "this number is too long",
            )
            .with_help(format!(
                "use scientific notation, e.g. `1.5e{}`",
                digits.min(999)
            )),
        );
    }
    let mut exp: i64 = 0;
    if let Some(e) = exponent {
        let (neg, body) = match e.as_bytes().first() {
            Some(b'-') => (true, e.get(1..).unwrap_or("")),
            Some(b'+') => (false, e.get(1..).unwrap_or("")),
            _ => (false, e),
        };
        let body = body.trim_start_matches('0');
        let too_large = || {
            ParseError::new(
                ParseErrorKind::ExponentTooLarge,
                span.range(),
                format!("the exponent must be between -{MAX_EXPONENT} and {MAX_EXPONENT}"),
            )
        };
        if body.len() > 6 {
            return fail(too_large());
        }
        let magnitude: i64 = body.parse().unwrap_or(0);
        if magnitude > MAX_EXPONENT {
            return fail(too_large());
        }
        exp = if neg { -magnitude } else { magnitude };
    }
    let mut numer = parse_digits(int, frac);
    if numer.is_zero() {
        return Ok(BigRational::zero());
    }
    let scale = exp - i64::try_from(frac.len()).unwrap_or(0);
    let ten = BigInt::from(10u8);
    let power = Pow::pow(&ten, scale.unsigned_abs());
    if scale >= 0 {
        numer *= power;
        Ok(BigRational::from_integer(numer))
    } else {
        Ok(BigRational::new(numer, power))
    }
}

/// The integer whose decimal digits are those of `int` followed by those of `frac`.
fn parse_digits(int: &str, frac: &str) -> BigInt {
    let mut small: u64 = 0;
    let mut fits = true;
    for b in int.bytes().chain(frac.bytes()) {
        match small
            .checked_mul(10)
            .and_then(|x| x.checked_add(u64::from(b.wrapping_sub(b'0'))))
        {
            Some(x) => small = x,
            None => {
                fits = false;
                break;
            }
        }
    }
    if fits {
        return BigInt::from(small);
    }
    let mut all = Vec::with_capacity(int.len() + frac.len());
    all.extend_from_slice(int.as_bytes());
    all.extend_from_slice(frac.as_bytes());
    BigInt::parse_bytes(&all, 10).unwrap_or_default()
}

/// An error result, boxed to keep `Result`s small on the recursion's stack frames.
pub(crate) fn fail<T>(e: ParseError) -> Result<T, Box<ParseError>> {
    Err(Box::new(e))
}

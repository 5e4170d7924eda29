//! Recursive descent, one function per precedence level of `grammar/fcorr.ebnf`.
//!
//! Every cycle of the recursion passes through [`Parser::enter`], which counts nesting and stops
//! at [`MAX_DEPTH`], so the parser's stack use is bounded whatever the input.

use super::ast::{AddOp, Ast, AstKind, Callee, MulOp, Span};
use super::error::{Expected, ParseError, ParseErrorKind};
use super::lexer::{Lexer, Tok, Token, fail, number_value};
use super::{MAX_DEPTH, suggest};
use crate::expr::Constant;
use num_bigint::BigInt;
use num_rational::BigRational;

type PResult<'a> = Result<Ast<'a>, Box<ParseError>>;

pub(crate) struct Parser<'a> {
    src: &'a str,
    lexer: Lexer<'a>,
    peeked: Option<Token<'a>>,
    /// The last token consumed, for "expected an expression after `+`".
    prev: Option<Token<'a>>,
    depth: usize,
}

fn boxed(a: Ast<'_>) -> Box<Ast<'_>> {
    Box::new(a)
}

impl<'a> Parser<'a> {
    pub fn new(src: &'a str) -> Parser<'a> {
        Parser {
            src,
            lexer: Lexer::new(src),
            peeked: None,
            prev: None,
            depth: 0,
        }
    }

    fn text(&self, span: Span) -> &'a str {
        self.src.get(span.start..span.end).unwrap_or("")
    }

    fn peek(&mut self) -> Result<Token<'a>, Box<ParseError>> {
        match self.peeked {
            Some(t) => Ok(t),
            None => {
                let t = self.lexer.next_token()?;
                self.peeked = Some(t);
                Ok(t)
            }
        }
    }

    fn bump(&mut self) -> Result<Token<'a>, Box<ParseError>> {
        let t = self.peek()?;
        self.peeked = None;
        self.prev = Some(t);
        Ok(t)
    }

    fn enter(&mut self, at: Span) -> Result<(), Box<ParseError>> {
        self.depth += 1;
        #[cfg(test)]
        probe::record();
        if self.depth > MAX_DEPTH {
            return fail(
                ParseError::new(
                    ParseErrorKind::TooDeep,
                    at.range(),
                    format!("nesting level {} starts here", MAX_DEPTH + 1),
                )
                .with_help("simplify the expression or split it into parts"),
            );
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// The whole input: an expression and then the end.
    pub fn parse_all(&mut self) -> PResult<'a> {
        let first = self.peek()?;
        if first.tok == Tok::End {
            return fail(
                ParseError::new(
                    ParseErrorKind::Empty,
                    first.span.range(),
                    "expected an expression",
                )
                .with_help("write an expression in `t` or `u`, e.g. `4*(exp(t/2) - t/2 - 1)`"),
            );
        }
        let e = self.sum()?;
        let t = self.peek()?;
        match t.tok {
            Tok::End => Ok(e),
            Tok::RParen => fail(
                ParseError::new(
                    ParseErrorKind::UnmatchedParen,
                    t.span.range(),
                    "this `)` has no matching `(`",
                )
                .with_help("remove it or add a `(` before it"),
            ),
            _ => fail(self.unexpected(t, Expected::Operator)),
        }
    }

    /// A token found where an operator (or the end, or `)`) was expected.
    fn unexpected(&self, t: Token<'a>, expected: Expected) -> ParseError {
        let label = match expected {
            Expected::Operator => "expected an operator or the end of the input",
            Expected::OperatorOrClose => "expected an operator or `)`",
            Expected::Expression => "expected an expression",
        };
        let err = ParseError::new(
            ParseErrorKind::UnexpectedToken {
                found: self.describe(t),
                expected,
            },
            t.span.range(),
            label,
        );
        match t.tok {
            Tok::Num => err.with_help("write `*` to multiply by a number on the right"),
            Tok::Comma if expected == Expected::Operator => {
                err.with_help("commas only separate function arguments, and functions take one")
            }
            _ => err,
        }
    }

    fn describe(&self, t: Token<'a>) -> String {
        match t.tok {
            Tok::Num => format!("number `{}`", self.text(t.span)),
            Tok::End => "end of input".to_string(),
            _ => format!("`{}`", self.text(t.span)),
        }
    }

    /// The error for a missing operand at `t`.
    fn expected_expression(&self, t: Token<'a>) -> ParseError {
        let label = match self.prev {
            Some(p) => format!("expected an expression after `{}`", self.text(p.span)),
            None => "expected an expression".to_string(),
        };
        let kind = if t.tok == Tok::End {
            ParseErrorKind::UnexpectedEnd {
                expected: Expected::Expression,
            }
        } else {
            ParseErrorKind::UnexpectedToken {
                found: self.describe(t),
                expected: Expected::Expression,
            }
        };
        ParseError::new(kind, t.span.range(), label)
    }

    /// `expr := sum` and `sum := product (("+" | "-") product)*` and, inside, `product := unary (("*" | "/")
    /// unary | implicit)*` where `implicit` is a factor that starts with a name, `(` or `√`
    /// directly after another factor. One function for both levels keeps stack frames few.
    fn sum(&mut self) -> PResult<'a> {
        let mut first: Option<Ast<'a>> = None;
        let mut terms = Vec::new();
        let mut add_op = AddOp::Add;
        loop {
            let head = self.unary()?;
            let mut rest = Vec::new();
            loop {
                let op = match self.peek()?.tok {
                    Tok::Star => MulOp::Mul,
                    Tok::Slash => MulOp::Div,
                    Tok::Ident(_) | Tok::LParen | Tok::Root => MulOp::Implicit,
                    _ => break,
                };
                if op != MulOp::Implicit {
                    self.bump()?;
                }
                rest.push((op, self.unary()?));
            }
            let term = match rest.last() {
                None => head,
                Some(last) => Ast {
                    span: head.span.to(last.1.span),
                    kind: AstKind::Product(boxed(head), rest),
                },
            };
            match first {
                None => first = Some(term),
                Some(_) => terms.push((add_op, term)),
            }
            add_op = match self.peek()?.tok {
                Tok::Plus => AddOp::Add,
                Tok::Minus => AddOp::Sub,
                _ => break,
            };
            self.bump()?;
        }
        let first = first.ok_or_else(|| self.expected_expression(self.prev_or_end()))?;
        Ok(match terms.last() {
            None => first,
            Some(last) => Ast {
                span: first.span.to(last.1.span),
                kind: AstKind::Sum(boxed(first), terms),
            },
        })
    }

    fn prev_or_end(&self) -> Token<'a> {
        let end = self.lexer.end_offset();
        Token {
            tok: Tok::End,
            span: Span::new(end, end),
        }
    }

    /// `unary := ("-" | "+") unary | power` and `power := postfix (("^" | "**") unary)?`:
    /// signs are collected in a loop, each one nesting level; `^` recurses (right-associative),
    /// one level per `^`.
    fn unary(&mut self) -> PResult<'a> {
        let mut signs: Vec<Token<'a>> = Vec::new();
        loop {
            let t = self.peek()?;
            if !matches!(t.tok, Tok::Minus | Tok::Plus) {
                break;
            }
            self.bump()?;
            self.enter(t.span)?;
            signs.push(t);
        }
        let base = self.postfix();
        let mut e = match base {
            Ok(base) => self.power_tail(base),
            Err(err) => Err(err),
        };
        for sign in signs.iter().rev() {
            self.leave();
            e = e.map(|inner| {
                let span = sign.span.to(inner.span);
                if sign.tok == Tok::Minus {
                    Ast {
                        kind: AstKind::Neg(boxed(inner)),
                        span,
                    }
                } else {
                    Ast {
                        kind: inner.kind,
                        span,
                    }
                }
            });
        }
        e
    }

    fn power_tail(&mut self, base: Ast<'a>) -> PResult<'a> {
        let t = self.peek()?;
        if t.tok != Tok::Caret {
            return Ok(base);
        }
        self.bump()?;
        self.enter(t.span)?;
        let exp = self.unary();
        self.leave();
        let exp = exp?;
        Ok(Ast {
            span: base.span.to(exp.span),
            kind: AstKind::Pow(boxed(base), boxed(exp)),
        })
    }

    /// `postfix := atom ("²" | "³")*`
    fn postfix(&mut self) -> PResult<'a> {
        let mut e = self.atom()?;
        while let Tok::Sup(n) = self.peek()?.tok {
            let t = self.bump()?;
            let exp = Ast {
                kind: AstKind::Num(BigRational::from_integer(BigInt::from(n))),
                span: t.span,
            };
            e = Ast {
                span: e.span.to(t.span),
                kind: AstKind::Pow(boxed(e), boxed(exp)),
            };
        }
        Ok(e)
    }

    /// `atom := number | name | call | "(" expr ")" | "√" atom`
    ///
    /// The recursive paths live in small functions and the error paths in cold ones, so that
    /// the frames on the recursion stay small even in debug builds.
    fn atom(&mut self) -> PResult<'a> {
        let t = self.peek()?;
        match t.tok {
            Tok::Num => {
                self.bump()?;
                Ok(Ast {
                    kind: AstKind::Num(number_value(self.text(t.span), t.span)?),
                    span: t.span,
                })
            }
            Tok::Ident(name) => {
                self.bump()?;
                self.name(name, t.span)
            }
            Tok::LParen => self.paren(t.span),
            Tok::Root => {
                self.bump()?;
                self.enter(t.span)?;
                let arg = self.atom()?;
                self.leave();
                Ok(Ast {
                    span: t.span.to(arg.span),
                    kind: AstKind::Call(Callee::Sqrt, boxed(arg)),
                })
            }
            _ => Err(self.no_atom(t)),
        }
    }

    /// `"(" expr ")"` with `(` at `open` next.
    fn paren(&mut self, open: Span) -> PResult<'a> {
        self.bump()?;
        self.enter(open)?;
        let inner = self.sum()?;
        let close = self.peek()?;
        if close.tok != Tok::RParen {
            return Err(self.unclosed(open, close));
        }
        self.bump()?;
        self.leave();
        Ok(Ast {
            span: open.to(close.span),
            kind: AstKind::Group(boxed(inner)),
        })
    }

    /// The error for a token `t` that cannot start an atom.
    #[cold]
    #[inline(never)]
    fn no_atom(&self, t: Token<'a>) -> Box<ParseError> {
        match self.prev {
            Some(p) if p.tok == Tok::LParen && t.tok == Tok::RParen => Box::new(
                ParseError::new(
                    ParseErrorKind::EmptyParens,
                    p.span.to(t.span).range(),
                    "nothing inside these parentheses",
                )
                .with_help("put an expression between `(` and `)`"),
            ),
            _ => Box::new(self.expected_expression(t)),
        }
    }

    #[cold]
    #[inline(never)]
    fn unclosed(&self, open: Span, found: Token<'a>) -> Box<ParseError> {
        Box::new(if found.tok == Tok::End {
            ParseError::new(
                ParseErrorKind::UnclosedParen,
                found.span.range(),
                "expected `)`",
            )
            .with_secondary(open.range(), "this `(` is never closed")
            .with_help("add `)`")
        } else {
            self.unexpected(found, Expected::OperatorOrClose)
                .with_secondary(open.range(), "to close this `(`")
        })
    }

    /// A name just consumed at `span`: constant, function call or symbol.
    fn name(&mut self, name: &'a str, span: Span) -> PResult<'a> {
        let kind = match name {
            "e" => AstKind::Const(Constant::E),
            "pi" => AstKind::Const(Constant::Pi),
            _ => {
                let next = self.peek()?;
                if name == "gamma" && self.text(span) == "γ" && self.two_arguments_follow(next) {
                    return self.call(Callee::LowerGamma, "γ", span);
                }
                if matches!(name, "gamma" | "Gamma" | "gammainc" | "igamma")
                    && self.two_arguments_follow(next)
                {
                    return Err(incomplete_gamma_name(self.text(span), span));
                }
                if let Some(callee) = Callee::from_name(name) {
                    if next.tok != Tok::LParen {
                        return Err(self.missing_parens(name, span, next));
                    }
                    return self.call(callee, name, span);
                }
                if next.tok == Tok::LParen && self.text(span) == name {
                    if let Some(err) = unknown_function(name, span) {
                        return Err(err);
                    }
                }
                AstKind::Sym(name)
            }
        };
        Ok(Ast { kind, span })
    }

    /// Whether `next` is `(` and a `,` follows it at the same nesting level before its `)`:
    /// `γ(p, x)` is the lower incomplete gamma function, `γ(u + 1)` the parameter `γ` times a
    /// group. Looks ahead on a copy of the lexer (a lexing error is left for the parser).
    fn two_arguments_follow(&self, next: Token<'a>) -> bool {
        if next.tok != Tok::LParen {
            return false;
        }
        let mut lexer = self.lexer.clone();
        let mut depth = 1usize;
        while let Ok(t) = lexer.next_token() {
            match t.tok {
                Tok::LParen => depth += 1,
                Tok::RParen if depth == 1 => return false,
                Tok::RParen => depth -= 1,
                Tok::Comma if depth == 1 => return true,
                Tok::End => return false,
                _ => {}
            }
        }
        false
    }

    #[cold]
    #[inline(never)]
    fn missing_parens(&self, name: &str, span: Span, next: Token<'a>) -> Box<ParseError> {
        let arg = match next.tok {
            Tok::Num | Tok::Ident(_) => self.text(next.span),
            _ => "...",
        };
        Box::new(
            ParseError::new(
                ParseErrorKind::MissingParens {
                    name: name.to_string(),
                },
                span.range(),
                "expected `(` after this function name",
            )
            .with_help(format!("write `{name}({arg})`")),
        )
    }

    /// `call := function "(" expr ")"`, with the name at `name_span` consumed and `(` next.
    fn call(&mut self, callee: Callee, name: &str, name_span: Span) -> PResult<'a> {
        let open = self.bump()?;
        self.enter(open.span)?;
        if self.peek()?.tok == Tok::RParen {
            return Err(self.missing_argument(name, name_span));
        }
        let arg = self.sum()?;
        let mut close = self.peek()?;
        let mut second = None;
        if callee.arity() == 2 {
            if close.tok != Tok::Comma {
                return Err(self.missing_second_argument(name, name_span, close));
            }
            self.bump()?;
            second = Some(self.sum()?);
            close = self.peek()?;
        }
        match close.tok {
            Tok::RParen => {}
            Tok::Comma => return Err(self.too_many_arguments(callee, name, close.span)),
            _ => return Err(self.unclosed(open.span, close)),
        }
        self.bump()?;
        self.leave();
        Ok(Ast {
            span: name_span.to(close.span),
            kind: match second {
                Some(b) => AstKind::Call2(callee, boxed(arg), boxed(b)),
                None => AstKind::Call(callee, boxed(arg)),
            },
        })
    }

    /// `min(a)` with `)` (or something else) at `next` where `,` was needed.
    #[cold]
    #[inline(never)]
    fn missing_second_argument(
        &mut self,
        name: &str,
        name_span: Span,
        next: Token<'a>,
    ) -> Box<ParseError> {
        Box::new(
            ParseError::new(
                ParseErrorKind::TwoArguments {
                    name: name.to_string(),
                },
                name_span.to(next.span).range(),
                "expected `,` and a second argument",
            )
            .with_help(if matches!(name, "lowergamma" | "γ") {
                format!("write `{name}(p, x)`")
            } else {
                format!("write `{name}(a, b)`")
            }),
        )
    }

    #[cold]
    #[inline(never)]
    fn missing_argument(&mut self, name: &str, name_span: Span) -> Box<ParseError> {
        let close = self.peek().map_or(name_span, |t| t.span);
        Box::new(
            ParseError::new(
                ParseErrorKind::MissingArgument {
                    name: name.to_string(),
                },
                name_span.to(close).range(),
                "no argument between the parentheses",
            )
            .with_help(format!("write `{name}(u)`")),
        )
    }

    /// `f(x, y…)` with the first `,` at `comma` next: the span runs to the end of the second
    /// argument, if it parses.
    #[cold]
    #[inline(never)]
    fn too_many_arguments(&mut self, callee: Callee, name: &str, comma: Span) -> Box<ParseError> {
        let extra = match self.bump().and_then(|_| self.sum()) {
            Ok(a) => comma.to(a.span),
            Err(_) => comma,
        };
        let name = name.to_string();
        let kind = match callee.arity() {
            2 => ParseErrorKind::TwoArguments { name: name.clone() },
            _ => ParseErrorKind::TooManyArguments { name: name.clone() },
        };
        let err = ParseError::new(
            kind,
            extra.range(),
            match callee.arity() {
                2 => "unexpected third argument",
                _ => "unexpected second argument",
            },
        );
        Box::new(if callee == Callee::Func(crate::expr::Func::Log) {
            err.with_help("for a logarithm to base `b`, write `log(x)/log(b)`")
        } else {
            err.with_help(format!(
                "`{name}` takes exactly {}",
                if callee.arity() == 2 {
                    "two arguments"
                } else {
                    "one argument"
                }
            ))
        })
    }
}

/// The error for `gamma(p, x)` and the like: the language's incomplete gamma function is
/// `lowergamma` (SciPy's `gammainc` is the regularised one).
#[cold]
#[inline(never)]
fn incomplete_gamma_name(written: &str, span: Span) -> Box<ParseError> {
    Box::new(
        ParseError::new(
            ParseErrorKind::UnknownFunction {
                name: written.to_string(),
            },
            span.range(),
            "not a function of two arguments",
        )
        .with_help(
            "the lower incomplete gamma function ∫_0^x |s|^(p−1)·e^(−s) ds (not regularised) is \
             `lowergamma(p, x)`, also written `γ(p, x)`",
        ),
    )
}

/// The error for a parameter name followed by `(` that looks like a misspelt function.
#[cold]
#[inline(never)]
fn unknown_function(name: &str, span: Span) -> Option<Box<ParseError>> {
    if matches!(name, "t" | "u") {
        return None;
    }
    let known = suggest(name)?;
    Some(Box::new(
        ParseError::new(
            ParseErrorKind::UnknownFunction {
                name: name.to_string(),
            },
            span.range(),
            "not a known function",
        )
        .with_help(format!("did you mean `{known}`?")),
    ))
}

/// A stack-depth probe for the tests that keep the recursion bound honest.
#[cfg(test)]
pub(crate) mod probe {
    use std::cell::Cell;
    thread_local! {
        static RANGE: Cell<(usize, usize)> = const { Cell::new((usize::MAX, 0)) };
    }
    pub(crate) fn record() {
        let x = 0u8;
        let a = std::ptr::from_ref(&x) as usize;
        RANGE.with(|r| {
            let (lo, hi) = r.get();
            r.set((lo.min(a), hi.max(a)));
        });
    }
    /// The stack used between the shallowest and deepest nesting level since the last call.
    pub(crate) fn take() -> usize {
        RANGE.with(|r| {
            let (lo, hi) = r.replace((usize::MAX, 0));
            hi.saturating_sub(lo)
        })
    }
}

//! The parse tree: what was written, where.
//!
//! Unlike the canonical [`Expr`](crate::expr::Expr), this tree keeps the shape of the input
//! (subtraction, division, parentheses, `sqrt` and the other aliases) and a [`Span`] on every
//! node, so that later checks can point at the text. Sums and products are n-ary lists rather
//! than left-nested binary nodes, so a long sum does not make a deep tree. Names borrow from the
//! input; Greek letters are stored under their ASCII names (`α` is `alpha`).

use crate::expr::{Constant, Func};
use num_rational::BigRational;
use std::ops::Range;

/// A half-open byte range `start..end` into the parsed source text.
///
/// `start` is the byte offset of the first byte of the node and `end` is one past its last byte,
/// so an empty span `n..n` points between two bytes (used for "end of input").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// Offset of the first byte.
    pub start: usize,
    /// Offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both `self` and `other`.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// The span as a `Range<usize>`.
    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }
}

impl From<Span> for Range<usize> {
    fn from(s: Span) -> Range<usize> {
        s.range()
    }
}

/// A node of the parse tree with the span of the text it was parsed from.
#[derive(Clone, Debug, PartialEq)]
pub struct Ast<'a> {
    /// What the node is.
    pub kind: AstKind<'a>,
    /// Where it was written (half-open byte range).
    pub span: Span,
}

/// The function named in a call, including the parse-only aliases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Callee {
    /// A function of the canonical IR.
    Func(Func),
    /// `sqrt(x)` (also `√x`), lowered to `x^(1/2)`.
    Sqrt,
    /// `ln(x)`, lowered to `log(x)`.
    Ln,
    /// `log1p(x)`, lowered to `log(1 + x)`.
    Log1p,
    /// `expm1(x)`, lowered to `exp(x) - 1`.
    Expm1,
    /// `min(a, b)`, lowered to `(a + b − |a − b|)/2`.
    Min,
    /// `max(a, b)`, lowered to `(a + b + |a − b|)/2`.
    Max,
    /// `lowergamma(p, x)`, also written `γ(p, x)`: the lower incomplete gamma function.
    LowerGamma,
}

impl Callee {
    /// Every name that may be called, aliases included.
    pub const NAMES: [&'static str; 24] = [
        "exp",
        "log",
        "abs",
        "sign",
        "sin",
        "cos",
        "tan",
        "atan",
        "sinh",
        "cosh",
        "tanh",
        "asinh",
        "softplus",
        "sigmoid",
        "sqrt",
        "ln",
        "log1p",
        "expm1",
        "Li2",
        "dilog",
        "lambertw",
        "min",
        "max",
        "lowergamma",
    ];

    /// The callee called `name`, if any.
    pub fn from_name(name: &str) -> Option<Callee> {
        match name {
            "sqrt" => Some(Callee::Sqrt),
            "ln" => Some(Callee::Ln),
            "log1p" => Some(Callee::Log1p),
            "expm1" => Some(Callee::Expm1),
            "dilog" => Some(Callee::Func(Func::Li2)),
            "min" => Some(Callee::Min),
            "max" => Some(Callee::Max),
            "lowergamma" => Some(Callee::LowerGamma),
            _ => Func::ALL
                .iter()
                .find(|f| f.name() == name)
                .map(|&f| Callee::Func(f)),
        }
    }

    /// The name as written in the language.
    pub fn name(self) -> &'static str {
        match self {
            Callee::Func(f) => f.name(),
            Callee::Sqrt => "sqrt",
            Callee::Ln => "ln",
            Callee::Log1p => "log1p",
            Callee::Expm1 => "expm1",
            Callee::Min => "min",
            Callee::Max => "max",
            Callee::LowerGamma => "lowergamma",
        }
    }

    /// The number of arguments: 2 for `min`, `max` and `lowergamma`, 1 for every other
    /// function.
    pub fn arity(self) -> usize {
        match self {
            Callee::Min | Callee::Max | Callee::LowerGamma => 2,
            _ => 1,
        }
    }
}

/// `+` or `-` between two terms of a sum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AddOp {
    /// `a + b`.
    Add,
    /// `a - b` (also `a − b` with U+2212).
    Sub,
}

/// How two factors of a product are joined.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MulOp {
    /// `a * b` (also `·`, `×`, `⋅`).
    Mul,
    /// `a / b` (also `÷`).
    Div,
    /// `a b`, juxtaposition (`2t`, `(u-1)(u+1)`).
    Implicit,
}

/// The kinds of parse-tree node.
#[derive(Clone, Debug, PartialEq)]
pub enum AstKind<'a> {
    /// An exact number literal (`0.1` is `1/10`).
    Num(BigRational),
    /// `e` or `pi` (also `π`).
    Const(Constant),
    /// A variable (`t`, `u`) or a named parameter.
    Sym(&'a str),
    /// `first ± rest…`, at least one operator.
    Sum(Box<Ast<'a>>, Vec<(AddOp, Ast<'a>)>),
    /// `first (*|/|juxtaposition) rest…`, at least one operator.
    Product(Box<Ast<'a>>, Vec<(MulOp, Ast<'a>)>),
    /// `-x` (a unary `+` leaves no node).
    Neg(Box<Ast<'a>>),
    /// `base ^ exponent` (also `**`, `²`, `³`).
    Pow(Box<Ast<'a>>, Box<Ast<'a>>),
    /// `f(x)` (also `√x`).
    Call(Callee, Box<Ast<'a>>),
    /// `f(a, b)`: `min` and `max`.
    Call2(Callee, Box<Ast<'a>>, Box<Ast<'a>>),
    /// `(x)`.
    Group(Box<Ast<'a>>),
}

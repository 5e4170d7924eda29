//! The written shape of an expression, shared by the three printers.
//!
//! The canonical [`Expr`] stores what is convenient for algebra (`x·y^-1`, `-1·x`, `x^(1/2)`);
//! a person writes fractions, minus signs and roots. [`lower`] turns one into the other once,
//! so that each printer only decides *spelling* (operators, parentheses, superscripts) and
//! never re-derives signs or denominators.

use crate::expr::{Constant, Expr, Func, Func2, Symbol, minmax};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed};

/// An expression as written: every number is non-negative, signs are explicit.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Node {
    /// A non-negative integer.
    Int(BigInt),
    /// A variable or parameter.
    Sym(Symbol),
    /// `e` or `pi`.
    Const(Constant),
    /// Terms in stored order, each with its sign (`true` for minus).
    Sum(Vec<(bool, Node)>),
    /// `-x`.
    Neg(Box<Node>),
    /// At least two factors, none negative; an integer coefficient comes first.
    Prod(Vec<Node>),
    /// `numerator / denominator`.
    Frac(Box<Node>, Box<Node>),
    /// `base^exponent`, the exponent positive and not `1/2`.
    Pow(Box<Node>, Box<Node>),
    /// `sqrt(x)`.
    Sqrt(Box<Node>),
    /// `f(x)`.
    Call(Func, Box<Node>),
    /// `min(a, b)` or `max(a, b)`, recognised in a sum by [`minmax::find`].
    Call2(minmax::Kind, Box<Node>, Box<Node>),
    /// `f(a, b)` for a function of two arguments (`lowergamma(p, x)`).
    Func2(Func2, Box<Node>, Box<Node>),
}

/// How tightly a node holds together; a child is parenthesised when its level is too low for
/// its slot.
pub(crate) mod level {
    /// `a + b`, `a - b`.
    pub const SUM: u8 = 1;
    /// `-a`.
    pub const NEG: u8 = 2;
    /// `a*b`, `a/b`.
    pub const PROD: u8 = 3;
    /// `a^b`.
    pub const POW: u8 = 4;
    /// Numbers, symbols, calls, roots.
    pub const ATOM: u8 = 5;
}

impl Node {
    /// The precedence level of the node's outermost operator.
    pub(crate) fn level(&self) -> u8 {
        match self {
            Node::Sum(_) => level::SUM,
            Node::Neg(_) => level::NEG,
            Node::Prod(_) | Node::Frac(..) => level::PROD,
            Node::Pow(..) => level::POW,
            Node::Int(_)
            | Node::Sym(_)
            | Node::Const(_)
            | Node::Sqrt(_)
            | Node::Call(..)
            | Node::Call2(..)
            | Node::Func2(..) => level::ATOM,
        }
    }

    /// Whether the node is a single name or number (`u`, `pi`, `2`).
    pub(crate) fn is_name(&self) -> bool {
        matches!(self, Node::Int(_) | Node::Sym(_) | Node::Const(_))
    }
}

/// The written shape of `e`.
pub(crate) fn lower(e: &Expr) -> Node {
    match e {
        Expr::Add(ts) => match minmax::find(ts) {
            Some(m) => min_max(&m),
            None => Node::Sum(ts.iter().map(signed).collect()),
        },
        _ => match signed(e) {
            (true, n) => Node::Neg(Box::new(n)),
            (false, n) => n,
        },
    }
}

/// A non-sum as `(negative, magnitude)`.
fn signed(e: &Expr) -> (bool, Node) {
    match e {
        Expr::Num(r) => (r.is_negative(), number(&r.abs())),
        Expr::Mul(fs) => product(fs),
        Expr::Pow(..) if negated_exponent(e).is_some() => product(std::slice::from_ref(e)),
        Expr::Add(_) => (false, lower(e)),
        other => (false, factor(other)),
    }
}

/// `c·min(a, b) + rest` (or `max`), the scaled call first.
fn min_max(m: &minmax::Found) -> Node {
    let call = Node::Call2(m.kind, Box::new(lower(&m.a)), Box::new(lower(&m.b)));
    let c = &m.coeff;
    let mut num = Vec::new();
    if !c.numer().abs().is_one() {
        num.push(Node::Int(c.numer().abs()));
    }
    num.push(call);
    let top = group(num).unwrap_or(Node::Int(BigInt::one()));
    let scaled = match c.denom().is_one() {
        true => top,
        false => Node::Frac(Box::new(top), Box::new(Node::Int(c.denom().clone()))),
    };
    let mut terms = vec![(c.is_negative(), scaled)];
    match &m.rest {
        Expr::Add(ts) => terms.extend(ts.iter().map(signed)),
        r if r.is_zero() => {}
        r => terms.push(signed(r)),
    }
    match terms.len() {
        1 => match terms.pop() {
            Some((true, n)) => Node::Neg(Box::new(n)),
            Some((false, n)) => n,
            None => Node::Int(BigInt::one()),
        },
        _ => Node::Sum(terms),
    }
}

fn number(r: &BigRational) -> Node {
    if r.is_integer() {
        Node::Int(r.numer().clone())
    } else {
        Node::Frac(
            Box::new(Node::Int(r.numer().clone())),
            Box::new(Node::Int(r.denom().clone())),
        )
    }
}

/// `(b, -x)` when `e = b^x` with a negative coefficient in `x`.
fn negated_exponent(e: &Expr) -> Option<(&Expr, Expr)> {
    match e {
        Expr::Pow(b, x) if x.split_coeff().0.is_negative() => Some((b, -(**x).clone())),
        _ => None,
    }
}

/// A product written as `-p·num/(q·den)`: coefficient `±p/q`, negative powers below the line.
fn product(fs: &[Expr]) -> (bool, Node) {
    let (coeff, rest) = match fs.first() {
        Some(Expr::Num(c)) => (c.clone(), &fs[1..]),
        _ => (BigRational::one(), fs),
    };
    let mut num = Vec::new();
    let mut den = Vec::new();
    if !coeff.numer().abs().is_one() {
        num.push(Node::Int(coeff.numer().abs()));
    }
    if !coeff.denom().is_one() {
        den.push(Node::Int(coeff.denom().clone()));
    }
    for f in rest {
        match negated_exponent(f) {
            Some((b, x)) => den.push(power(b, &x)),
            None => num.push(grouped(f)),
        }
    }
    let top = group(num).unwrap_or(Node::Int(BigInt::one()));
    let node = match group(den) {
        None => top,
        Some(bottom) => Node::Frac(Box::new(top), Box::new(bottom)),
    };
    (coeff.is_negative(), node)
}

/// A factor of a product; a sum written as a scaled `min`/`max` (`2*min(t, 0)`) is kept in
/// parentheses, as a one-term sum. Without them the coefficient would read back as the
/// product's (`2*min(t, 0)/u` is `2·((t − |t|)/2)·u⁻¹`, a different tree from `(t − |t|)·u⁻¹`);
/// with them it multiplies the sum out, as it was.
fn grouped(f: &Expr) -> Node {
    let n = factor(f);
    match (f, &n) {
        (Expr::Add(_), Node::Prod(_) | Node::Neg(_) | Node::Frac(..)) => {
            Node::Sum(vec![(false, n)])
        }
        _ => n,
    }
}

fn group(mut ns: Vec<Node>) -> Option<Node> {
    match ns.len() {
        0 => None,
        1 => ns.pop(),
        _ => Some(Node::Prod(ns)),
    }
}

/// A factor that is not a negative power.
fn factor(e: &Expr) -> Node {
    match e {
        Expr::Num(r) => match r.is_negative() {
            true => Node::Neg(Box::new(number(&r.abs()))),
            false => number(r),
        },
        Expr::Const(c) => Node::Const(*c),
        Expr::Sym(s) => Node::Sym(s.clone()),
        Expr::Add(_) | Expr::Mul(_) => lower(e),
        Expr::Pow(b, x) => match negated_exponent(e) {
            Some(_) => lower_product(e),
            None => power(b, x),
        },
        Expr::Func(f, a) => Node::Call(*f, Box::new(lower(a))),
        Expr::Func2(f, a, b) => Node::Func2(*f, Box::new(lower(a)), Box::new(lower(b))),
    }
}

fn lower_product(e: &Expr) -> Node {
    match signed(e) {
        (true, n) => Node::Neg(Box::new(n)),
        (false, n) => n,
    }
}

/// `b^x` for a positive exponent `x`: `b` itself, `sqrt(b)`, or a power.
fn power(b: &Expr, x: &Expr) -> Node {
    let base = Box::new(lower(b));
    match x {
        Expr::Num(r) if r.is_one() => *base,
        Expr::Num(r) if *r == BigRational::new(1.into(), 2.into()) => Node::Sqrt(base),
        _ => Node::Pow(base, Box::new(lower(x))),
    }
}

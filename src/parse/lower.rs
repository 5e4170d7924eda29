//! Lowering: the parse tree to the canonical [`Expr`], through the smart constructors.
//!
//! `a - b` is `a + (-1)·b`, `a / b` is `a · b^-1`, `sqrt(x)` is `x^(1/2)`, `ln` is `log`,
//! `log1p(x)` is `log(1 + x)`, `expm1(x)` is `exp(x) - 1`, `min(a, b)` is
//! `(a + b − |a − b|)/2` and `max(a, b)` is `(a + b + |a − b|)/2` (see [`crate::expr::minmax`]);
//! spans are dropped.

use super::ast::{AddOp, Ast, AstKind, Callee, MulOp};
use crate::expr::{Expr, Func};

/// The canonical expression a parse tree denotes.
pub fn lower(ast: &Ast<'_>) -> Expr {
    match &ast.kind {
        AstKind::Num(n) => Expr::num(n.clone()),
        AstKind::Const(c) => Expr::constant(*c),
        AstKind::Sym(name) => Expr::sym(name),
        AstKind::Sum(first, rest) => {
            let mut terms = Vec::with_capacity(rest.len() + 1);
            terms.push(lower(first));
            for (op, term) in rest {
                let x = lower(term);
                terms.push(match op {
                    AddOp::Add => x,
                    AddOp::Sub => x.negate(),
                });
            }
            Expr::add(terms)
        }
        AstKind::Product(first, rest) => {
            let mut factors = Vec::with_capacity(rest.len() + 1);
            factors.push(lower(first));
            for (op, factor) in rest {
                let x = lower(factor);
                factors.push(match op {
                    MulOp::Mul | MulOp::Implicit => x,
                    MulOp::Div => x.recip(),
                });
            }
            Expr::mul(factors)
        }
        AstKind::Neg(x) => lower(x).negate(),
        AstKind::Pow(b, e) => Expr::pow(lower(b), lower(e)),
        AstKind::Group(x) => lower(x),
        AstKind::Call(callee, arg) => {
            let x = lower(arg);
            match callee {
                Callee::Func(f) => Expr::func(*f, x),
                Callee::Sqrt => Expr::pow(x, Expr::ratio(1, 2)),
                Callee::Ln => Expr::func(Func::Log, x),
                Callee::Log1p => Expr::func(Func::Log, Expr::add(vec![Expr::one(), x])),
                Callee::Expm1 => Expr::add(vec![Expr::func(Func::Exp, x), Expr::int(-1)]),
                // The parser gives `min`, `max` and `lowergamma` two arguments; `min(x, x) = x`.
                Callee::Min | Callee::Max => x,
                Callee::LowerGamma => Expr::lower_gamma(x.clone(), x),
            }
        }
        AstKind::Call2(callee, a, b) => {
            let (a, b) = (lower(a), lower(b));
            match callee {
                Callee::Max => crate::expr::minmax::max(a, b),
                Callee::LowerGamma => Expr::lower_gamma(a, b),
                _ => crate::expr::minmax::min(a, b),
            }
        }
    }
}

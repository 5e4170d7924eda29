//! Plain ASCII that the fcorr language reads back to the same canonical expression.
//!
//! `^` is right-associative and binds tighter than unary minus, so a negative or fractional
//! base is parenthesised (`(-2)^t`, `(1/2)^t`), and so is every exponent that is not a single
//! name or number (`u^(3/2)`, `2^(t^2)`).

use super::layout::{Node, level, lower};
use crate::expr::Expr;
use std::fmt::Write;

/// `e` as plain ASCII text, e.g. `2*u - 4*sqrt(u) + 2` or `1/(2*u)`.
///
/// Sums keep their stored order with ` - ` before negative terms; negative powers are written
/// below a `/`; `x^(1/2)` is `sqrt(x)`; numbers are integers or `p/q`. Parentheses appear only
/// where precedence needs them. Parsing the result gives back `e`.
pub fn plain(e: &Expr) -> String {
    let mut out = String::new();
    write(&lower(e), &mut out);
    out
}

fn write(n: &Node, out: &mut String) {
    match n {
        Node::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Node::Sym(s) => out.push_str(s),
        Node::Const(c) => out.push_str(c.name()),
        Node::Sum(ts) => {
            for (i, (neg, t)) in ts.iter().enumerate() {
                out.push_str(match (i, neg) {
                    (0, false) => "",
                    (0, true) => "-",
                    (_, false) => " + ",
                    (_, true) => " - ",
                });
                child(t, level::NEG + 1, out);
            }
        }
        Node::Neg(x) => {
            out.push('-');
            child(x, level::PROD, out);
        }
        Node::Prod(fs) => {
            for (i, f) in fs.iter().enumerate() {
                if i > 0 {
                    out.push('*');
                }
                child(f, level::POW, out);
            }
        }
        Node::Frac(a, b) => {
            child(a, level::PROD, out);
            out.push('/');
            match &**b {
                // `2*(u + 1)` would read back as `2*u + 2` (a coefficient multiplies a sum
                // out), so `x/(2*(u + 1))` is written `x/(u + 1)/2`.
                Node::Prod(fs)
                    if fs.len() == 2
                        && matches!(fs[0], Node::Int(_))
                        && matches!(fs[1], Node::Sum(_)) =>
                {
                    child(&fs[1], level::POW, out);
                    out.push('/');
                    child(&fs[0], level::POW, out);
                }
                _ => child(b, level::POW, out),
            }
        }
        Node::Pow(b, x) => {
            child(b, level::ATOM, out);
            out.push('^');
            child(x, level::ATOM, out);
        }
        Node::Sqrt(x) => call("sqrt", x, out),
        Node::Call(f, x) => call(f.name(), x, out),
        Node::Call2(k, a, b) => {
            out.push_str(k.name());
            out.push('(');
            write(a, out);
            out.push_str(", ");
            write(b, out);
            out.push(')');
        }
        Node::Func2(f, a, b) => {
            out.push_str(f.name());
            out.push('(');
            write(a, out);
            out.push_str(", ");
            write(b, out);
            out.push(')');
        }
    }
}

fn call(name: &str, x: &Node, out: &mut String) {
    out.push_str(name);
    out.push('(');
    write(x, out);
    out.push(')');
}

/// `n`, parenthesised when its level is below `min`.
fn child(n: &Node, min: u8, out: &mut String) {
    if n.level() < min {
        out.push('(');
        write(n, out);
        out.push(')');
    } else {
        write(n, out);
    }
}

//! LaTeX for `align` environments: `2 u - 4 \sqrt{u} + 2`, `\frac{t^{2}}{2}`, `e^{t/2}`.
//!
//! `\log` is the natural logarithm. A function of a single name or number drops its
//! parentheses (`\log u`, `\sin t`); anything larger is wrapped in `\left(…\right)`.
//! `exp(x)` is `e^{x}` for a short `x` and `\exp\left(x\right)` otherwise. `sigmoid` is
//! `\operatorname{sigmoid}` (not `\sigma`, which a parameter named `sigma` would print as).
//! Inside an exponent fractions are written inline (`u^{3/2}`, `e^{t/2}`).

use super::layout::{Node, level, lower};
use super::unicode::GREEK;
use crate::expr::{Constant, Expr, Func, Func2, minmax};
use std::fmt::Write;

/// `e` as LaTeX math, e.g. `2 u - 4 \sqrt{u} + 2` or `\frac{1}{2 u}`.
///
/// Products are juxtaposed with a space, with `\cdot` before a factor that starts with a
/// digit or after a function written without parentheses; quotients are `\frac`; powers are
/// `x^{n}`; `abs` is `\left|x\right|`; parameters named after Greek letters become `\alpha`, ….
pub fn latex(e: &Expr) -> String {
    let mut out = String::new();
    write(&lower(e), false, &mut out);
    out
}

/// `inline` is true inside exponents, where fractions use `/`.
fn write(n: &Node, inline: bool, out: &mut String) {
    match n {
        Node::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Node::Sym(s) => symbol(s, out),
        Node::Const(Constant::E) => out.push('e'),
        Node::Const(Constant::Pi) => out.push_str("\\pi"),
        Node::Sum(ts) => {
            for (i, (neg, t)) in ts.iter().enumerate() {
                out.push_str(match (i, neg) {
                    (0, false) => "",
                    (0, true) => "-",
                    (_, false) => " + ",
                    (_, true) => " - ",
                });
                child(t, level::NEG + 1, inline, out);
            }
        }
        Node::Neg(x) => {
            out.push('-');
            child(x, level::PROD, inline, out);
        }
        Node::Prod(fs) => {
            for (i, f) in fs.iter().enumerate() {
                if i > 0 {
                    out.push_str(if needs_cdot(&fs[i - 1], f) {
                        " \\cdot "
                    } else {
                        " "
                    });
                }
                child(f, level::POW, inline, out);
            }
        }
        Node::Frac(a, b) if inline => {
            child(a, level::PROD, inline, out);
            out.push('/');
            child(b, level::POW, inline, out);
        }
        Node::Frac(a, b) => {
            out.push_str("\\frac{");
            write(a, false, out);
            out.push_str("}{");
            write(b, false, out);
            out.push('}');
        }
        Node::Pow(b, x) => {
            if b.is_name() {
                write(b, inline, out);
            } else {
                parens(b, inline, out);
            }
            out.push_str("^{");
            write(x, true, out);
            out.push('}');
        }
        Node::Sqrt(x) => {
            out.push_str("\\sqrt{");
            write(x, false, out);
            out.push('}');
        }
        Node::Call(Func::Abs, x) => {
            out.push_str("\\left|");
            write(x, inline, out);
            out.push_str("\\right|");
        }
        Node::Call(Func::Exp, x) if short(x) => {
            out.push_str("e^{");
            write(x, true, out);
            out.push('}');
        }
        Node::Call(f, x) => {
            out.push_str(command(*f));
            if bare(*f, x) {
                out.push(' ');
                write(x, inline, out);
            } else {
                parens(x, inline, out);
            }
        }
        Node::Call2(k, a, b) => {
            out.push_str(match k {
                minmax::Kind::Min => "\\min\\left(",
                minmax::Kind::Max => "\\max\\left(",
            });
            write(a, inline, out);
            out.push_str(", ");
            write(b, inline, out);
            out.push_str("\\right)");
        }
        Node::Func2(f, a, b) => {
            out.push_str(match f {
                Func2::LowerGamma => "\\gamma\\left(",
            });
            write(a, inline, out);
            out.push_str(", ");
            write(b, inline, out);
            out.push_str("\\right)");
        }
    }
}

fn command(f: Func) -> &'static str {
    match f {
        Func::Exp => "\\exp",
        Func::Log => "\\log",
        Func::Abs => "\\operatorname{abs}",
        Func::Sign => "\\operatorname{sign}",
        Func::Sin => "\\sin",
        Func::Cos => "\\cos",
        Func::Tan => "\\tan",
        Func::Atan => "\\arctan",
        Func::Sinh => "\\sinh",
        Func::Cosh => "\\cosh",
        Func::Tanh => "\\tanh",
        Func::Asinh => "\\operatorname{asinh}",
        Func::Softplus => "\\operatorname{softplus}",
        Func::Sigmoid => "\\operatorname{sigmoid}",
        Func::Li2 => "\\operatorname{Li}_2",
        Func::LambertW => "W_0",
    }
}

/// Whether `f x` is written without parentheses (`\log u`).
fn bare(f: Func, x: &Node) -> bool {
    x.is_name()
        && !matches!(
            f,
            Func::Exp | Func::Sign | Func::Softplus | Func::Sigmoid | Func::Li2 | Func::LambertW
        )
}

/// Whether an exponential's argument is short enough for `e^{x}`.
fn short(x: &Node) -> bool {
    fn size(n: &Node) -> Option<usize> {
        match n {
            Node::Int(_) | Node::Sym(_) | Node::Const(_) => Some(1),
            Node::Neg(a) => size(a),
            Node::Sum(ts) => ts.iter().map(|(_, t)| size(t)).sum(),
            Node::Prod(fs) => fs.iter().map(size).sum(),
            Node::Frac(a, b) if b.is_name() => Some(size(a)? + 1),
            Node::Pow(a, b) if a.is_name() && b.is_name() => Some(2),
            _ => None,
        }
    }
    size(x).is_some_and(|s| s <= 4)
}

fn needs_cdot(prev: &Node, next: &Node) -> bool {
    let digit_first = match next {
        Node::Int(_) => true,
        Node::Pow(b, _) => matches!(**b, Node::Int(_)),
        _ => false,
    };
    let bare_call = matches!(prev, Node::Call(f, x) if *f != Func::Abs && bare(*f, x));
    digit_first || bare_call
}

fn symbol(s: &str, out: &mut String) {
    if let Some((_, _, cmd)) = GREEK.iter().find(|(latin, _, _)| *latin == s) {
        out.push_str(cmd);
    } else if s.chars().count() == 1 {
        out.push_str(s);
    } else {
        out.push_str("\\mathrm{");
        out.push_str(s);
        out.push('}');
    }
}

fn parens(n: &Node, inline: bool, out: &mut String) {
    out.push_str("\\left(");
    write(n, inline, out);
    out.push_str("\\right)");
}

fn child(n: &Node, min: u8, inline: bool, out: &mut String) {
    if n.level() < min {
        parens(n, inline, out);
    } else {
        write(n, inline, out);
    }
}

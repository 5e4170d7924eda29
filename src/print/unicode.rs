//! Unicode for terminals and notes: `2u − 4√u + 2`, `t²/2`, `|t|`, `ln(u)`.
//!
//! Meant to be read, not parsed back, but never ambiguous: a numeric coefficient is written
//! next to a name, a power of a name or a root (`2u`, `3t²`, `4√u`); every other product uses
//! `·` (`u·ln(u)`, `2·(u + 1)`). Integer exponents are superscripts; other exponents follow `^`
//! with parentheses unless they are a single name or number.

use super::layout::{Node, level, lower};
use crate::expr::{Constant, Expr, Func, Func2};
use std::fmt::Write;

/// `e` as Unicode text, e.g. `2u − 4√u + 2`, `(u + 1)·ln(u + 1)` or `1/(2u)`.
///
/// Uses U+2212 for minus, `·` for products that are not juxtaposed, superscript digits for
/// integer exponents, `√` for square roots, `|x|` for `abs(x)`, `ln` for the natural
/// logarithm, `π` and Greek letters for parameters named `alpha`, `beta`, ….
pub fn unicode(e: &Expr) -> String {
    let mut out = String::new();
    write(&lower(e), &mut out);
    out
}

fn write(n: &Node, out: &mut String) {
    match n {
        Node::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Node::Sym(s) => out.push_str(greek(s).unwrap_or(s)),
        Node::Const(Constant::E) => out.push('e'),
        Node::Const(Constant::Pi) => out.push('π'),
        Node::Sum(ts) => {
            for (i, (neg, t)) in ts.iter().enumerate() {
                out.push_str(match (i, neg) {
                    (0, false) => "",
                    (0, true) => "−",
                    (_, false) => " + ",
                    (_, true) => " − ",
                });
                child(t, level::NEG + 1, out);
            }
        }
        Node::Neg(x) => {
            out.push('−');
            child(x, level::PROD, out);
        }
        Node::Prod(fs) => {
            for (i, f) in fs.iter().enumerate() {
                if i > 0 && !juxtaposed(&fs[i - 1], f) {
                    out.push('·');
                }
                child(f, level::POW, out);
            }
        }
        Node::Frac(a, b) => {
            child(a, level::PROD, out);
            out.push('/');
            child(b, level::POW, out);
        }
        Node::Pow(b, x) => {
            if base_level(b) < level::ATOM {
                out.push('(');
                write(b, out);
                out.push(')');
            } else {
                write(b, out);
            }
            match &**x {
                Node::Int(i) => out.extend(i.to_string().chars().map(superscript)),
                x => {
                    out.push('^');
                    child(x, level::ATOM, out);
                }
            }
        }
        Node::Sqrt(x) => {
            out.push('√');
            if x.is_name() {
                write(x, out);
            } else {
                out.push('(');
                write(x, out);
                out.push(')');
            }
        }
        Node::Call(Func::Abs, x) => {
            out.push('|');
            write(x, out);
            out.push('|');
        }
        Node::Call(f, x) => {
            out.push_str(match f {
                Func::Log => "ln",
                Func::Li2 => "Li₂",
                Func::LambertW => "W₀",
                f => f.name(),
            });
            out.push('(');
            write(x, out);
            out.push(')');
        }
        Node::Call2(k, a, b) => {
            out.push_str(k.name());
            out.push('(');
            write(a, out);
            out.push_str(", ");
            write(b, out);
            out.push(')');
        }
        Node::Func2(f, a, b) => {
            out.push_str(match f {
                Func2::LowerGamma => "γ",
            });
            out.push('(');
            write(a, out);
            out.push_str(", ");
            write(b, out);
            out.push(')');
        }
    }
}

/// A root as a base reads badly (`√u^a`), so it is parenthesised like a power.
fn base_level(n: &Node) -> u8 {
    match n {
        Node::Sqrt(_) => level::POW,
        n => n.level(),
    }
}

/// Whether `next` is written right after the coefficient `prev` without `·`.
fn juxtaposed(prev: &Node, next: &Node) -> bool {
    let letter = |n: &Node| matches!(n, Node::Sym(_) | Node::Const(_));
    matches!(prev, Node::Int(_))
        && match next {
            Node::Sym(_) | Node::Const(_) | Node::Sqrt(_) => true,
            Node::Pow(b, _) => letter(b),
            _ => false,
        }
}

fn child(n: &Node, min: u8, out: &mut String) {
    if n.level() < min {
        out.push('(');
        write(n, out);
        out.push(')');
    } else {
        write(n, out);
    }
}

fn superscript(c: char) -> char {
    match c {
        '0' => '⁰',
        '1' => '¹',
        '2' => '²',
        '3' => '³',
        '4' => '⁴',
        '5' => '⁵',
        '6' => '⁶',
        '7' => '⁷',
        '8' => '⁸',
        '9' => '⁹',
        '-' => '⁻',
        c => c,
    }
}

/// The Greek letter for a parameter spelled out in Latin letters.
pub(crate) fn greek(name: &str) -> Option<&'static str> {
    GREEK
        .iter()
        .find(|(latin, _, _)| *latin == name)
        .map(|(_, letter, _)| *letter)
}

/// Latin spelling, Unicode letter, LaTeX command.
pub(crate) const GREEK: [(&str, &str, &str); 17] = [
    ("alpha", "α", "\\alpha"),
    ("beta", "β", "\\beta"),
    ("gamma", "γ", "\\gamma"),
    ("delta", "δ", "\\delta"),
    ("epsilon", "ε", "\\epsilon"),
    ("eta", "η", "\\eta"),
    ("theta", "θ", "\\theta"),
    ("kappa", "κ", "\\kappa"),
    ("lambda", "λ", "\\lambda"),
    ("mu", "μ", "\\mu"),
    ("nu", "ν", "\\nu"),
    ("rho", "ρ", "\\rho"),
    ("sigma", "σ", "\\sigma"),
    ("tau", "τ", "\\tau"),
    ("phi", "φ", "\\phi"),
    ("chi", "χ", "\\chi"),
    ("omega", "ω", "\\omega"),
];

//! The canonical expression IR.
//!
//! Every later stage (simplifier, derivative, evaluator, printers) works on this span-free tree.
//! Constants are exact [`BigRational`]s so that `0.1 + 0.2` is `3/10`, not `0.30000000000000004`.
//! The smart constructors ([`Expr::add`], [`Expr::mul`], [`Expr::pow`], [`Expr::func`]) keep a tree
//! in *canonical form* at all times:
//!
//! - sums and products are n-ary, flattened and sorted; like terms and like bases are merged by
//!   adding exact coefficients and exponents, and trivial terms (`0`, `1`, `x^1`, `x^0`) vanish;
//! - subtraction is addition of `-1·x`, division is multiplication by `x^-1`, `sqrt(x)` is
//!   `x^(1/2)`, `e^x` is `exp(x)`, `log1p(x)` is `log(1 + x)` and `expm1(x)` is `exp(x) - 1`
//!   (the evaluator restores the stable forms);
//! - a numeric coefficient multiplies a sum out (`4*(a - b)` is `4*a - 4*b`).
//!
//! Functions take one argument ([`Func`]), except the lower incomplete gamma function
//! `γ(p, x)`, a node of two ([`Func2`]; `min` and `max` are stored as `abs` forms).
//!
//! Identities that need a domain fact (`log(u^a) = a·log(u)` for `u > 0`) are not applied here:
//! they are the named rules of [`crate::simplify`].

mod build;
mod exact_trig;
mod func2;
pub mod gamma;
pub mod minmax;
pub(crate) mod number;
mod order;
pub mod special;

pub use func2::Func2;
pub use number::{MAX_EXACT_BITS, rational_to_f64};
pub use order::term_order;

use num_rational::BigRational;
use std::fmt;
use std::sync::Arc;

/// A named mathematical constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Constant {
    /// Euler's number `e = exp(1)`.
    E,
    /// `pi`, the ratio of a circle's circumference to its diameter.
    Pi,
}

impl Constant {
    /// The constant's value as an `f64`.
    pub fn value(self) -> f64 {
        match self {
            Constant::E => std::f64::consts::E,
            Constant::Pi => std::f64::consts::PI,
        }
    }

    /// The name used in the language (`e`, `pi`).
    pub fn name(self) -> &'static str {
        match self {
            Constant::E => "e",
            Constant::Pi => "pi",
        }
    }
}

/// A function of one argument in canonical form.
///
/// `sqrt`, `ln`, `log1p` and `expm1` are accepted by the parser but lowered to powers, `log`,
/// and sums; they do not appear here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Func {
    /// `exp(x) = e^x`.
    Exp,
    /// `log(x)`, the natural logarithm, defined for `x > 0`.
    Log,
    /// `abs(x) = |x|`.
    Abs,
    /// `sign(x)`: `-1`, `0` or `1`; the derivative of `abs`.
    Sign,
    /// `sin(x)`.
    Sin,
    /// `cos(x)`.
    Cos,
    /// `tan(x)`.
    Tan,
    /// `atan(x)`.
    Atan,
    /// `sinh(x)`.
    Sinh,
    /// `cosh(x)`.
    Cosh,
    /// `tanh(x)`.
    Tanh,
    /// `asinh(x) = log(x + sqrt(x^2 + 1))`.
    Asinh,
    /// `softplus(x) = log(1 + e^x)`.
    Softplus,
    /// `sigmoid(x) = 1/(1 + e^-x)`.
    Sigmoid,
    /// `Li2(x)`, the real dilogarithm `−∫_0^x log(1 − s)/s ds`, defined for `x ≤ 1`.
    Li2,
    /// `lambertw(x)`, the principal branch `W₀` of the Lambert W function (`w·e^w = x`,
    /// `w ≥ −1`), defined for `x ≥ −1/e`.
    LambertW,
}

impl Func {
    /// Every function, in canonical order.
    pub const ALL: [Func; 16] = [
        Func::Exp,
        Func::Log,
        Func::Abs,
        Func::Sign,
        Func::Sin,
        Func::Cos,
        Func::Tan,
        Func::Atan,
        Func::Sinh,
        Func::Cosh,
        Func::Tanh,
        Func::Asinh,
        Func::Softplus,
        Func::Sigmoid,
        Func::Li2,
        Func::LambertW,
    ];

    /// The name used in the language and in plain-text output.
    pub fn name(self) -> &'static str {
        match self {
            Func::Exp => "exp",
            Func::Log => "log",
            Func::Abs => "abs",
            Func::Sign => "sign",
            Func::Sin => "sin",
            Func::Cos => "cos",
            Func::Tan => "tan",
            Func::Atan => "atan",
            Func::Sinh => "sinh",
            Func::Cosh => "cosh",
            Func::Tanh => "tanh",
            Func::Asinh => "asinh",
            Func::Softplus => "softplus",
            Func::Sigmoid => "sigmoid",
            Func::Li2 => "Li2",
            Func::LambertW => "lambertw",
        }
    }

    /// `f(x)` for `f64`, in the numerically stable form.
    pub fn apply(self, x: f64) -> f64 {
        match self {
            Func::Exp => x.exp(),
            Func::Log => x.ln(),
            Func::Abs => x.abs(),
            Func::Sign => {
                if x > 0.0 {
                    1.0
                } else if x < 0.0 {
                    -1.0
                } else if x == 0.0 {
                    0.0
                } else {
                    f64::NAN
                }
            }
            Func::Sin => x.sin(),
            Func::Cos => x.cos(),
            Func::Tan => x.tan(),
            Func::Atan => x.atan(),
            Func::Sinh => x.sinh(),
            Func::Cosh => x.cosh(),
            Func::Tanh => x.tanh(),
            Func::Asinh => x.asinh(),
            Func::Softplus => {
                // log(1 + e^x) = max(x, 0) + log1p(e^-|x|)
                x.max(0.0) + (-x.abs()).exp().ln_1p()
            }
            Func::Sigmoid => {
                if x >= 0.0 {
                    1.0 / (1.0 + (-x).exp())
                } else {
                    let e = x.exp();
                    e / (1.0 + e)
                }
            }
            Func::Li2 => special::dilog(x),
            Func::LambertW => special::lambert_w0(x),
        }
    }

    /// Whether `f(-x) = -f(x)`.
    pub fn is_odd(self) -> bool {
        matches!(
            self,
            Func::Sign | Func::Sin | Func::Tan | Func::Atan | Func::Sinh | Func::Tanh | Func::Asinh
        )
    }

    /// Whether `f(-x) = f(x)`.
    pub fn is_even(self) -> bool {
        matches!(self, Func::Abs | Func::Cos | Func::Cosh)
    }
}

/// A symbol: the variable `t` or `u`, or a named parameter.
pub type Symbol = Arc<str>;

/// A canonical expression: exact, span-free, kept in canonical form by its constructors.
///
/// Build values with the constructors ([`Expr::add`], [`Expr::mul`], [`Expr::pow`],
/// [`Expr::func`], or the `+ - * /` operators), never with the variants directly: the variants
/// are public for matching.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Expr {
    /// An exact rational number.
    Num(BigRational),
    /// `e` or `pi`.
    Const(Constant),
    /// A variable (`t`, `u`) or parameter.
    Sym(Symbol),
    /// An n-ary sum of at least two terms, sorted, no two alike, at most one number (last).
    Add(Vec<Expr>),
    /// An n-ary product of at least two factors, sorted, no two with the same base, at most one
    /// number (first, never `1`).
    Mul(Vec<Expr>),
    /// `base^exponent`, the exponent never `0` or `1`.
    Pow(Box<Expr>, Box<Expr>),
    /// A function applied to one argument.
    Func(Func, Box<Expr>),
    /// A function of two arguments (`lowergamma(p, x)`), built with [`Expr::func2`].
    Func2(Func2, Box<Expr>, Box<Expr>),
}

/// The name of the loss variable (the residual `t = log q − log pθ`), real.
pub const LOSS_VAR: &str = "t";
/// The name of the divergence variable (the ratio `u = q/pθ`), positive.
pub const DIVERGENCE_VAR: &str = "u";

impl Expr {
    /// Whether `self` contains the symbol `name`.
    pub fn contains_sym(&self, name: &str) -> bool {
        match self {
            Expr::Num(_) | Expr::Const(_) => false,
            Expr::Sym(s) => &**s == name,
            Expr::Add(xs) | Expr::Mul(xs) => xs.iter().any(|x| x.contains_sym(name)),
            Expr::Pow(b, e) => b.contains_sym(name) || e.contains_sym(name),
            Expr::Func(_, a) => a.contains_sym(name),
            Expr::Func2(_, a, b) => a.contains_sym(name) || b.contains_sym(name),
        }
    }

    /// Every symbol in `self`, sorted and without repeats.
    pub fn symbols(&self) -> Vec<Symbol> {
        fn walk(e: &Expr, out: &mut Vec<Symbol>) {
            match e {
                Expr::Num(_) | Expr::Const(_) => {}
                Expr::Sym(s) => out.push(s.clone()),
                Expr::Add(xs) | Expr::Mul(xs) => xs.iter().for_each(|x| walk(x, out)),
                Expr::Pow(b, x) => {
                    walk(b, out);
                    walk(x, out);
                }
                Expr::Func(_, a) => walk(a, out),
                Expr::Func2(_, a, b) => {
                    walk(a, out);
                    walk(b, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(self, &mut out);
        out.sort();
        out.dedup();
        out
    }

    /// The terms of `self` as a sum: its terms, itself alone, or none for `0`.
    pub(crate) fn summands(&self) -> &[Expr] {
        match self {
            Expr::Add(xs) => xs,
            x if x.is_zero() => &[],
            x => std::slice::from_ref(x),
        }
    }

    /// The indices of `terms[anchor]` and of every term of `others` (a sum, a single term, or
    /// `0` for none) among `terms`, each used once, when all of them are there. The stable-form
    /// recognisers of the evaluator and the code emitter find their patterns with it.
    pub fn matching_terms(terms: &[Expr], anchor: usize, others: &Expr) -> Option<Vec<usize>> {
        let wanted = others.summands();
        let mut used = vec![anchor];
        for w in wanted {
            let j = (0..terms.len()).find(|j| !used.contains(j) && terms[*j] == *w)?;
            used.push(j);
        }
        Some(used)
    }

    /// `y` when `self = y + 1` (a sum whose constant is 1), so that `log(self) = log1p(y)`.
    ///
    /// The constant is usually last, but the printing order puts it first before a sum of
    /// negative terms (`1 - sin(t)`), so it is looked for anywhere.
    pub fn minus_one(&self) -> Option<Expr> {
        match self {
            Expr::Add(ts) => {
                let i = ts.iter().position(Expr::is_one)?;
                let mut rest = ts.clone();
                rest.remove(i);
                Some(Expr::add(rest))
            }
            _ => None,
        }
    }

    /// Whether `self` contains no symbol at all.
    pub fn is_constant(&self) -> bool {
        match self {
            Expr::Num(_) | Expr::Const(_) => true,
            Expr::Sym(_) => false,
            Expr::Add(xs) | Expr::Mul(xs) => xs.iter().all(Expr::is_constant),
            Expr::Pow(b, e) => b.is_constant() && e.is_constant(),
            Expr::Func(_, a) => a.is_constant(),
            Expr::Func2(_, a, b) => a.is_constant() && b.is_constant(),
        }
    }

    /// Whether `self` contains neither variable (`t`, `u`); parameters count as constants.
    pub fn is_constant_in_variables(&self) -> bool {
        !self.contains_sym(LOSS_VAR) && !self.contains_sym(DIVERGENCE_VAR)
    }

    /// The number of nodes, a measure of size.
    pub fn size(&self) -> usize {
        match self {
            Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => 1,
            Expr::Add(xs) | Expr::Mul(xs) => 1 + xs.iter().map(Expr::size).sum::<usize>(),
            Expr::Pow(b, e) => 1 + b.size() + e.size(),
            Expr::Func(_, a) => 1 + a.size(),
            Expr::Func2(_, a, b) => 1 + a.size() + b.size(),
        }
    }

    /// Replace every occurrence of the symbol `name` by `value`, rebuilding in canonical form.
    pub fn substitute(&self, name: &str, value: &Expr) -> Expr {
        match self {
            Expr::Num(_) | Expr::Const(_) => self.clone(),
            Expr::Sym(s) => {
                if &**s == name {
                    value.clone()
                } else {
                    self.clone()
                }
            }
            Expr::Add(xs) => Expr::add(xs.iter().map(|x| x.substitute(name, value)).collect()),
            Expr::Mul(xs) => Expr::mul(xs.iter().map(|x| x.substitute(name, value)).collect()),
            Expr::Pow(b, e) => Expr::pow(b.substitute(name, value), e.substitute(name, value)),
            Expr::Func(f, a) => Expr::func(*f, a.substitute(name, value)),
            Expr::Func2(f, a, b) => {
                Expr::func2(*f, a.substitute(name, value), b.substitute(name, value))
            }
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::print::plain(self))
    }
}

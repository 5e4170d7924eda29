//! The two orders of the canonical form.
//!
//! - The *structural* order ([`Ord`] on [`Expr`]) is total and cheap; products are sorted by it
//!   (numbers, constants, symbols, sums, functions).
//! - The *term* order ([`term_order`]) sorts the terms of a sum the way a person writes them:
//!   exponentials of the variable first, then powers of it with symbolic exponents (`u^a`),
//!   then descending degree in the variables `t` and `u` (`u` before `sqrt(u)` before
//!   constants; parameters count as constants); within one degree, positive terms before negative ones, and terms with a
//!   function factor at the outside of the group (first among the positive, last among the
//!   negative). So `2*u - 2 - 2*log(u)`, `log(u) + 1`, `2*u - 4*sqrt(u) + 2`,
//!   `u*log(u) - u + 1` and `exp(t) - t - 1`.

use super::{DIVERGENCE_VAR, Expr, LOSS_VAR, rational_to_f64};
use num_rational::BigRational;
use num_traits::{Signed, Zero};
use std::cmp::Ordering;

fn rank(e: &Expr) -> u8 {
    match e {
        Expr::Num(_) => 0,
        Expr::Const(_) => 1,
        Expr::Sym(_) => 2,
        Expr::Pow(..) => 3,
        Expr::Mul(_) => 4,
        Expr::Add(_) => 5,
        Expr::Func(..) => 6,
        Expr::Func2(..) => 7,
    }
}

impl Ord for Expr {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Expr::Num(a), Expr::Num(b)) => a.cmp(b),
            (Expr::Const(a), Expr::Const(b)) => a.cmp(b),
            (Expr::Sym(a), Expr::Sym(b)) => a.cmp(b),
            (Expr::Add(a), Expr::Add(b)) | (Expr::Mul(a), Expr::Mul(b)) => {
                a.len().cmp(&b.len()).then_with(|| a.cmp(b))
            }
            (Expr::Pow(a, x), Expr::Pow(b, y)) => a.cmp(b).then_with(|| x.cmp(y)),
            (Expr::Func(f, a), Expr::Func(g, b)) => f.cmp(g).then_with(|| a.cmp(b)),
            (Expr::Func2(f, a, x), Expr::Func2(g, b, y)) => {
                f.cmp(g).then_with(|| a.cmp(b)).then_with(|| x.cmp(y))
            }
            _ => rank(self).cmp(&rank(other)),
        }
    }
}

impl PartialOrd for Expr {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Split a factor into `(base, exponent)`; a plain factor has exponent `None` (meaning 1).
pub(crate) fn base_exp(e: &Expr) -> (&Expr, Option<&Expr>) {
    match e {
        Expr::Pow(b, x) => (b, Some(x)),
        _ => (e, None),
    }
}

fn base_rank(e: &Expr) -> u8 {
    match e {
        Expr::Num(_) => 0,
        Expr::Const(_) => 1,
        Expr::Sym(_) => 2,
        Expr::Add(_) => 3,
        Expr::Mul(_) | Expr::Pow(..) => 4,
        Expr::Func(..) | Expr::Func2(..) => 5,
    }
}

/// The order of the factors of a product: numbers, constants, symbols, sums, functions; powers
/// sort with their base.
pub(crate) fn factor_order(a: &Expr, b: &Expr) -> Ordering {
    let (ba, xa) = base_exp(a);
    let (bb, xb) = base_exp(b);
    if let (Expr::Num(_), Expr::Num(_)) = (a, b) {
        return a.cmp(b);
    }
    match (a, b) {
        (Expr::Num(_), _) => return Ordering::Less,
        (_, Expr::Num(_)) => return Ordering::Greater,
        _ => {}
    }
    base_rank(ba)
        .cmp(&base_rank(bb))
        .then_with(|| ba.cmp(bb))
        .then_with(|| xa.cmp(&xb))
}

/// What the term order looks at in one term.
struct TermKey<'a> {
    /// 0 when the term has a factor `exp(x)` with `x` not constant, 1 for `u^a`, else 2.
    exp_class: u8,
    /// The sign of the exponential's argument's coefficient (positive first).
    exp_sign: u8,
    /// Total degree in the symbols (`u^(1/2)` counts 1/2).
    degree: BigRational,
    /// Whether the term has a factor other than a number, a constant or a power of a symbol.
    has_other: bool,
    /// The term without its numeric coefficient.
    rest: &'a [Expr],
    single: Option<&'a Expr>,
}

fn leading_sign(e: &Expr) -> u8 {
    match e {
        Expr::Num(n) if n.is_negative() => 1,
        Expr::Mul(xs) => match xs.first() {
            Some(Expr::Num(n)) if n.is_negative() => 1,
            _ => 0,
        },
        Expr::Add(xs) => xs.first().map_or(0, leading_sign),
        _ => 0,
    }
}

fn is_variable(e: &Expr) -> bool {
    matches!(e, Expr::Sym(s) if &**s == LOSS_VAR || &**s == DIVERGENCE_VAR)
}

/// Record what one factor says about its term: `(class, exp_sign, degree, has_other)`.
/// Class 0: an exponential of something non-constant; 1: a power of a variable with a
/// symbolic exponent (`u^a`); 2: everything else. Parameters count as constants.
fn factor_facts(f: &Expr, key: &mut (u8, u8, BigRational, bool)) {
    match f {
        Expr::Num(_) | Expr::Const(_) => {}
        Expr::Sym(_) if is_variable(f) => {
            key.2 = super::number::add(&key.2, &BigRational::from_integer(1.into()))
        }
        Expr::Sym(_) => {}
        Expr::Pow(b, x) => match (&**b, &**x) {
            (v, Expr::Num(r)) if is_variable(v) => key.2 = super::number::add(&key.2, r),
            (v, _) if is_variable(v) && x.is_constant_in_variables() => key.0 = key.0.min(1),
            (Expr::Num(_) | Expr::Const(_) | Expr::Sym(_), Expr::Num(_)) => {}
            _ => key.3 = true,
        },
        Expr::Func(crate::expr::Func::Exp, a) if !a.is_constant_in_variables() => {
            key.0 = 0;
            key.1 = leading_sign(a);
        }
        _ => key.3 = true,
    }
}

/// The non-numeric factors of a term, as a slice.
fn rest_of<'k>(k: &TermKey<'k>) -> &'k [Expr] {
    match k.single {
        Some(e) => std::slice::from_ref(e),
        None => k.rest,
    }
}

fn term_key(t: &Expr) -> TermKey<'_> {
    let mut k = (2u8, 0u8, BigRational::zero(), false);
    let (rest, single): (&[Expr], Option<&Expr>) = match t {
        Expr::Mul(xs) => {
            xs.iter().for_each(|f| factor_facts(f, &mut k));
            let skip = usize::from(matches!(xs.first(), Some(Expr::Num(_))));
            (&xs[skip..], None)
        }
        Expr::Num(_) => (&[], None),
        other => {
            factor_facts(other, &mut k);
            (&[], Some(other))
        }
    };
    TermKey {
        exp_class: k.0,
        exp_sign: k.1,
        degree: k.2,
        has_other: k.3,
        rest,
        single,
    }
}

/// What both term orders look at first: exponentials, then symbolic powers, then descending
/// degree.
fn growth_order(ka: &TermKey<'_>, kb: &TermKey<'_>) -> Ordering {
    ka.exp_class
        .cmp(&kb.exp_class)
        .then(ka.exp_sign.cmp(&kb.exp_sign))
        .then_with(|| kb.degree.cmp(&ka.degree))
}

/// The order of the terms of a sum (see the module documentation).
pub fn term_order(a: &Expr, b: &Expr) -> Ordering {
    let ka = term_key(a);
    let kb = term_key(b);
    growth_order(&ka, &kb)
        .then_with(|| {
            let (na, nb) = (is_negative_term(a), is_negative_term(b));
            na.cmp(&nb).then(if na {
                ka.has_other.cmp(&kb.has_other)
            } else {
                kb.has_other.cmp(&ka.has_other)
            })
        })
        .then_with(|| rest_of(&ka).cmp(rest_of(&kb)))
        .then_with(|| {
            let ca = coefficient_f64(a);
            let cb = coefficient_f64(b);
            cb.partial_cmp(&ca).unwrap_or(Ordering::Equal)
        })
        .then_with(|| a.cmp(b))
}

/// The term order without signs and coefficients: the same for a sum and its negation, so it
/// picks which of `s` and `-s` is canonical (the one whose first term under it is positive).
pub(crate) fn unsigned_term_order(a: &Expr, b: &Expr) -> Ordering {
    let ka = term_key(a);
    let kb = term_key(b);
    growth_order(&ka, &kb)
        .then(ka.has_other.cmp(&kb.has_other))
        .then_with(|| {
            // Constants last: `a - 1`, not `-(1 - a)`; `log(u + 1) - log(2)`.
            let number = |e: &Expr| matches!(e, Expr::Num(_));
            a.is_constant_in_variables()
                .cmp(&b.is_constant_in_variables())
                .then(number(a).cmp(&number(b)))
        })
        .then_with(|| rest_of(&ka).cmp(rest_of(&kb)))
}

fn is_negative_term(e: &Expr) -> bool {
    match e {
        Expr::Num(n) => n.is_negative(),
        Expr::Mul(xs) => matches!(xs.first(), Some(Expr::Num(n)) if n.is_negative()),
        _ => false,
    }
}

fn coefficient_f64(e: &Expr) -> f64 {
    match e {
        Expr::Num(n) => rational_to_f64(n),
        Expr::Mul(xs) => match xs.first() {
            Some(Expr::Num(n)) => rational_to_f64(n),
            _ => 1.0,
        },
        _ => 1.0,
    }
}

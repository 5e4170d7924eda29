//! Sign facts about expressions, used as preconditions of the rules.
//!
//! The facts are those of the language: `u > 0`, `t` real, every parameter real with no known
//! sign unless [`Assumptions::positive`] names it. The answers are conservative: `false` means
//! "not known", never "known false".

use crate::expr::{Constant, DIVERGENCE_VAR, Expr, Func, Func2, Symbol};
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

/// What is known about the symbols of an expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assumptions {
    /// Symbols known to be strictly positive (`u` always is).
    pub positive: Vec<Symbol>,
}

impl Default for Assumptions {
    fn default() -> Self {
        Assumptions {
            positive: vec![Symbol::from(DIVERGENCE_VAR)],
        }
    }
}

impl Assumptions {
    /// The default facts plus `names` positive.
    pub fn with_positive<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut a = Assumptions::default();
        for n in names {
            if !a.positive.iter().any(|p| &**p == n) {
                a.positive.push(Symbol::from(n));
            }
        }
        a
    }

    /// Whether `e > 0` is known.
    pub fn is_positive(&self, e: &Expr) -> bool {
        remembered(Question::Positive, e, || {
            match e {
                Expr::Num(n) => n.is_positive(),
                Expr::Const(Constant::E | Constant::Pi) => true,
                Expr::Sym(s) => self.positive.contains(s),
                Expr::Add(xs) => {
                    xs.iter().all(|x| self.is_nonneg(x)) && xs.iter().any(|x| self.is_positive(x))
                }
                Expr::Mul(xs) => self.negative_factors(xs, true) == Some(false),
                Expr::Pow(b, x) => {
                    self.is_positive(b) || (is_even_integer(x) && self.is_nonzero(b))
                }
                Expr::Func(f, a) => match f {
                    Func::Exp | Func::Cosh | Func::Softplus | Func::Sigmoid => true,
                    Func::Abs => self.is_nonzero(a),
                    Func::Log => self.exceeds_one(a),
                    Func::Sign
                    | Func::Sinh
                    | Func::Tanh
                    | Func::Atan
                    | Func::Asinh
                    | Func::Li2
                    | Func::LambertW => self.is_positive(a),
                    _ => false,
                },
                // `γ(p, x)` has the sign of `x`.
                Expr::Func2(Func2::LowerGamma, p, x) => self.is_positive(p) && self.is_positive(x),
            }
        })
    }

    /// Whether `e < 0` is known.
    pub fn is_negative(&self, e: &Expr) -> bool {
        remembered(Question::Negative, e, || {
            match e {
                Expr::Num(n) => n.is_negative(),
                Expr::Mul(xs) => self.negative_factors(xs, true) == Some(true),
                Expr::Add(xs) => {
                    xs.iter().all(|x| self.is_nonpos(x)) && xs.iter().any(|x| self.is_negative(x))
                }
                // Sign-preserving (`sin` and `tan` are odd but change sign: tan(-1.8) > 0).
                Expr::Func(
                    Func::Sign
                    | Func::Atan
                    | Func::Sinh
                    | Func::Tanh
                    | Func::Asinh
                    | Func::Li2
                    | Func::LambertW,
                    a,
                ) => self.is_negative(a),
                Expr::Func(Func::Log, a) => self.is_positive(a) && self.below_one(a),
                Expr::Func2(Func2::LowerGamma, p, x) => self.is_positive(p) && self.is_negative(x),
                _ => false,
            }
        })
    }

    /// Whether `e ≥ 0` is known.
    pub fn is_nonneg(&self, e: &Expr) -> bool {
        remembered(Question::Nonneg, e, || {
            if self.is_positive(e) {
                return true;
            }
            match e {
                Expr::Num(n) => n.is_zero(),
                Expr::Pow(b, x) => is_even_integer(x) || (self.is_nonneg(b) && !b.is_zero()),
                Expr::Func(Func::Abs, _) => true,
                Expr::Func(Func::Sign | Func::Sinh | Func::Tanh | Func::Atan | Func::Asinh, a) => {
                    self.is_nonneg(a)
                }
                Expr::Mul(xs) => self.negative_factors(xs, false) == Some(false),
                Expr::Add(xs) => xs.iter().all(|x| self.is_nonneg(x)),
                Expr::Func2(Func2::LowerGamma, p, x) => self.is_positive(p) && self.is_nonneg(x),
                _ => false,
            }
        })
    }

    /// Whether `e ≤ 0` is known.
    pub fn is_nonpos(&self, e: &Expr) -> bool {
        remembered(Question::Nonpos, e, || {
            if self.is_negative(e) {
                return true;
            }
            match e {
                Expr::Num(n) => n.is_zero(),
                Expr::Mul(xs) => self.negative_factors(xs, false) == Some(true),
                Expr::Add(xs) => xs.iter().all(|x| self.is_nonpos(x)),
                Expr::Func2(Func2::LowerGamma, p, x) => self.is_positive(p) && self.is_nonpos(x),
                _ => false,
            }
        })
    }

    /// Whether a product's sign is known from its factors': `Some(odd)` when every factor is
    /// known positive or negative (`strict`), or non-negative or non-positive (not `strict`),
    /// `odd` telling whether an odd number of them are on the negative side.
    fn negative_factors(&self, xs: &[Expr], strict: bool) -> Option<bool> {
        let mut odd = false;
        for x in xs {
            let (plus, minus) = if strict {
                (self.is_positive(x), self.is_negative(x))
            } else {
                (self.is_nonneg(x), self.is_nonpos(x))
            };
            if minus && !plus {
                odd = !odd;
            } else if !plus {
                return None;
            }
        }
        Some(odd)
    }

    /// Whether `e` is known to be defined for every value of its symbols: no logarithm of a
    /// quantity not known positive, no negative power of one not known non-zero, no fractional
    /// power of one not known non-negative, no `tan`. A rule that drops a subexpression needs
    /// this, or it would extend the domain.
    pub fn is_total(&self, e: &Expr) -> bool {
        match e {
            Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => true,
            Expr::Add(xs) | Expr::Mul(xs) => xs.iter().all(|x| self.is_total(x)),
            Expr::Pow(b, x) => {
                self.is_total(b)
                    && self.is_total(x)
                    && match &**x {
                        Expr::Num(n) if n.is_integer() => !n.is_negative() || self.is_nonzero(b),
                        Expr::Num(n) if n.is_negative() => self.is_positive(b),
                        Expr::Num(_) => self.is_nonneg(b),
                        _ => self.is_positive(b),
                    }
            }
            Expr::Func(Func::Log, a) => self.is_total(a) && self.is_positive(a),
            Expr::Func(Func::Tan, _) => false,
            Expr::Func(_, a) => self.is_total(a),
            Expr::Func2(Func2::LowerGamma, p, x) => {
                self.is_positive(p) && self.is_total(p) && self.is_total(x)
            }
        }
    }

    /// Whether `e > 1` is known (so `log(e) > 0`), read off `e − 1` without building it: a
    /// copy per question made nested logarithms cost a cube of their depth.
    fn exceeds_one(&self, e: &Expr) -> bool {
        remembered(Question::ExceedsOne, e, || match e {
            Expr::Num(n) => *n > BigRational::one(),
            Expr::Const(_) => true,
            Expr::Add(ts) => match ts.split_last() {
                Some((Expr::Num(c), rest)) if *c >= BigRational::one() => {
                    rest.iter().all(|x| self.is_nonneg(x))
                        && (*c > BigRational::one() || rest.iter().any(|x| self.is_positive(x)))
                }
                _ => false,
            },
            _ => false,
        })
    }

    /// Whether `e < 1` is known.
    fn below_one(&self, e: &Expr) -> bool {
        remembered(Question::BelowOne, e, || match e {
            Expr::Num(n) => *n < BigRational::one(),
            Expr::Func(Func::Tanh | Func::Sigmoid, _) => true,
            Expr::Add(ts) => match ts.split_last() {
                Some((Expr::Num(c), rest)) if *c <= BigRational::one() => {
                    rest.iter().all(|x| self.is_nonpos(x))
                        && (*c < BigRational::one() || rest.iter().any(|x| self.is_negative(x)))
                }
                Some((Expr::Num(_), _)) => false,
                _ => ts.iter().all(|x| self.is_nonpos(x)),
            },
            _ => false,
        })
    }

    /// Whether `e ≠ 0` is known.
    pub fn is_nonzero(&self, e: &Expr) -> bool {
        self.is_positive(e) || self.is_negative(e)
    }
}

/// The questions [`remembered`] keeps answers to.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Question {
    Positive,
    Negative,
    Nonneg,
    Nonpos,
    ExceedsOne,
    BelowOne,
}

/// The questions of one outermost question, and their answers once it has asked many.
#[derive(Default)]
struct Asked {
    depth: usize,
    calls: usize,
    /// Keyed by a node's address and the question: the multiply–rotate hasher of the
    /// quadrature's tables is enough for such keys (SipHash was half the time of `abs`
    /// nested 60 deep).
    answers: crate::integrate::quad::keys::Table<(usize, Question), bool>,
}

/// How many questions an outermost question asks before their answers are remembered: the
/// usual question asks a handful, and remembering costs more than asking them again.
const REMEMBER_AFTER: usize = 64;

thread_local! {
    static ASKED: std::cell::RefCell<Asked> = std::cell::RefCell::new(Asked::default());
}

/// Leaves a question: the outermost one forgets every answer, on return and on unwind.
struct Leave;

impl Drop for Leave {
    fn drop(&mut self) {
        let _ = ASKED.try_with(|a| {
            let mut a = a.borrow_mut();
            a.depth -= 1;
            if a.depth == 0 {
                a.calls = 0;
                a.answers.clear();
            }
        });
    }
}

/// `answer()`, the answer to `question` about `e`, remembered for the length of the outermost
/// question once it has asked [`REMEMBER_AFTER`] (by the node's address: the tree it asks
/// about is borrowed, so no node moves or is freed meanwhile). Each question about a node asks
/// several about its children (`|x − 1| ≠ 0` asks whether `x − 1` is positive and whether it
/// is negative, each of which asks about `x` twice), so without the answers nested `abs`,
/// `Li2` or `min`/`max` cost an exponential of their depth; with them, each node is asked
/// each question once. The answers are the same either way.
fn remembered(question: Question, e: &Expr, answer: impl FnOnce() -> bool) -> bool {
    let key = (std::ptr::from_ref(e) as usize, question);
    let known = ASKED.with(|a| {
        let mut a = a.borrow_mut();
        a.depth += 1;
        a.calls += 1;
        if a.calls > REMEMBER_AFTER {
            a.answers.get(&key).copied()
        } else {
            None
        }
    });
    let _leave = Leave;
    if let Some(known) = known {
        return known;
    }
    let out = answer();
    ASKED.with(|a| {
        let mut a = a.borrow_mut();
        if a.calls > REMEMBER_AFTER {
            a.answers.insert(key, out);
        }
    });
    out
}

/// Whether `e` is an even integer number.
pub(crate) fn is_even_integer(e: &Expr) -> bool {
    matches!(e, Expr::Num(n) if n.is_integer() && !n.numer().bit(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn sign(e: Expr, pos: bool, neg: bool, nonneg: bool) {
        let a = Assumptions::default();
        assert_eq!(a.is_positive(&e), pos, "positive({e:?})");
        assert_eq!(a.is_negative(&e), neg, "negative({e:?})");
        assert_eq!(a.is_nonneg(&e), nonneg, "nonneg({e:?})");
    }

    #[test]
    fn signs() {
        let u = || Expr::sym("u");
        let t = || Expr::sym("t");
        sign(u(), true, false, true);
        sign(t(), false, false, false);
        sign(-u(), false, true, false);
        sign(Expr::pow(t(), Expr::int(2)), false, false, true);
        sign(u() + Expr::one(), true, false, true);
        sign(Expr::func(Func::Exp, t()), true, false, true);
        sign(Expr::func(Func::Abs, t()), false, false, true);
        sign(Expr::int(2) * u() - Expr::one(), false, false, false);
        sign(Expr::func(Func::Log, u() + Expr::one()), true, false, true);
    }
}

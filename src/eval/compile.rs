//! Lowering a canonical [`Expr`] to stack-machine code, with stable forms restored.
//!
//! The canonical form spells `expm1(x)` as `exp(x) − 1` and `log1p(x)` as `log(1 + x)`;
//! evaluated literally these lose every digit near `x = 0`, which is exactly where an
//! f-divergence has its minimum. The emitter looks for these shapes in every sum (the
//! [`STABLE_FORMS`]) and in every logarithm, and emits a stable kernel instead. Sub-expressions
//! free of the variable are folded to one constant at compile time.

use super::machine::{Op, max_depth, run};
use super::stable::{self, Kernel, LogShape};
use super::{EvalError, Params};
use crate::expr::{Expr, Func, rational_to_f64};
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive};
use std::collections::HashMap;

/// A numerically stable replacement for some terms of a sum: `scale · kernel(arg)`.
#[derive(Debug, PartialEq)]
pub(crate) struct Stable {
    /// The kernel instruction.
    pub(crate) kernel: Op,
    /// What the kernel is applied to.
    pub(crate) arg: Expr,
    /// The exact factor in front.
    pub(crate) scale: BigRational,
    /// The indices of the terms replaced.
    pub(crate) used: Vec<usize>,
}

/// A rule: given the sum's terms and one term split into `(c, rest)`, the stable form
/// anchored at that term, if the other terms it needs are present.
type StableRule = fn(&Terms, usize, &BigRational, &Expr) -> Option<Stable>;

/// The stable forms recognised in a sum, most specific first.
pub(crate) const STABLE_FORMS: [(&str, StableRule); 5] = [
    ("c*exp(X) - c*X - c = c*(e^X - 1 - X)", exp_minus_1_minus_x),
    ("c*exp(X) - c = c*expm1(X)", expm1),
    (
        "c*X*log(X) - c*X + c = c*((1 + y)*log1p(y) - y), y = X - 1",
        xlogx,
    ),
    (
        "c*log(X) - c*X + c = c*(log1p(y) - y), y = X - 1",
        log_minus_x_plus_1,
    ),
    ("c*X - 2*c*sqrt(X) + c = c*(sqrt(X) - 1)^2", sqrt_square),
];

/// `c·exp(X) − c·X − c = c·(e^X − 1 − X)`, stable at `X → 0`.
fn exp_minus_1_minus_x(ts: &Terms, i: usize, c: &BigRational, rest: &Expr) -> Option<Stable> {
    let Expr::Func(Func::Exp, x) = rest else {
        return None;
    };
    let others = Expr::mul(vec![Expr::Num(-c), (**x).clone()]) - Expr::Num(c.clone());
    stable(ts, i, &others, Op::Expm1MinusX, (**x).clone(), c)
}

/// `c·exp(X) − c = c·expm1(X)`, stable at `X → 0`.
fn expm1(ts: &Terms, i: usize, c: &BigRational, rest: &Expr) -> Option<Stable> {
    let Expr::Func(Func::Exp, x) = rest else {
        return None;
    };
    stable(ts, i, &Expr::Num(-c), Op::Expm1, (**x).clone(), c)
}

/// `c·X·log(X) − c·X + c`, evaluated from `X` by a kernel that is stable at `X → 1`.
fn xlogx(ts: &Terms, i: usize, c: &BigRational, rest: &Expr) -> Option<Stable> {
    let Expr::Mul(fs) = rest else {
        return None;
    };
    let x = fs.iter().find_map(|f| match f {
        Expr::Func(Func::Log, x) => Some((**x).clone()),
        _ => None,
    })?;
    if *rest != Expr::mul(vec![x.clone(), Expr::func(Func::Log, x.clone())]) {
        return None;
    }
    let others = Expr::mul(vec![Expr::Num(-c), x.clone()]) + Expr::Num(c.clone());
    stable(ts, i, &others, Op::XlogxMinusXPlus1, x, c)
}

/// `c·log(X) − c·X + c`, evaluated from `X` by a kernel that is stable at `X → 1`.
fn log_minus_x_plus_1(ts: &Terms, i: usize, c: &BigRational, rest: &Expr) -> Option<Stable> {
    let Expr::Func(Func::Log, x) = rest else {
        return None;
    };
    let others = Expr::mul(vec![Expr::Num(-c), (**x).clone()]) + Expr::Num(c.clone());
    stable(ts, i, &others, Op::Log1pMinusY, (**x).clone(), c)
}

/// `c·X − 2c·sqrt(X) + c = c·(sqrt(X) − 1)²`, stable at `X → 1`.
fn sqrt_square(ts: &Terms, i: usize, d: &BigRational, rest: &Expr) -> Option<Stable> {
    let Expr::Pow(x, half) = rest else {
        return None;
    };
    if **half != Expr::ratio(1, 2) {
        return None;
    }
    let c = -d / BigRational::from_integer(2.into());
    let others = Expr::mul(vec![Expr::Num(c.clone()), (**x).clone()]) + Expr::Num(c.clone());
    stable(ts, i, &others, Op::SqrtMinus1Squared, (**x).clone(), &c)
}

/// The stable form when every term of `others` is among `ts` (other than `ts[anchor]`).
fn stable(
    ts: &Terms,
    anchor: usize,
    others: &Expr,
    kernel: Op,
    arg: Expr,
    scale: &BigRational,
) -> Option<Stable> {
    let used = ts.matching(anchor, others)?;
    Some(Stable {
        kernel,
        arg,
        scale: scale.clone(),
        used,
    })
}

/// The first stable form among the terms `ts`.
pub(crate) fn find_stable(ts: &[Expr]) -> Option<Stable> {
    let split: Vec<(BigRational, Expr)> = ts.iter().map(Expr::split_coeff).collect();
    let terms = Terms::new(ts);
    for (_, rule) in STABLE_FORMS {
        for (i, (c, rest)) in split.iter().enumerate() {
            if let Some(s) = rule(&terms, i, c, rest) {
                return Some(s);
            }
        }
    }
    None
}

/// The terms of a sum, with the places of each distinct term where there are many of them.
///
/// Every rule anchored at every term looks for the other terms of its form; in a sum of `n`
/// terms by comparing each with all of them, `n²` comparisons of expressions (about a million
/// for the 999 terms of `Σ k/1000·exp(k·t/1000)`, most of them of exact coefficients, which
/// `BigRational` compares by continued fractions). With the places of each distinct term, a
/// term is found by one lookup, the same term as the comparisons find.
pub(crate) struct Terms<'a> {
    ts: &'a [Expr],
    /// Each distinct term and where it occurs, in order; `None` for a short sum.
    places: Option<HashMap<&'a Expr, Vec<usize>>>,
}

impl<'a> Terms<'a> {
    /// Sums up to this many terms are searched term by term.
    const SHORT: usize = 16;

    pub(crate) fn new(ts: &'a [Expr]) -> Self {
        let places = (ts.len() > Self::SHORT).then(|| {
            let mut places: HashMap<&Expr, Vec<usize>> = HashMap::with_capacity(ts.len());
            for (i, t) in ts.iter().enumerate() {
                places.entry(t).or_default().push(i);
            }
            places
        });
        Terms { ts, places }
    }

    /// [`Expr::matching_terms`] of these terms: the indices of `ts[anchor]` and of each term
    /// of `others` among the rest (the first unused place of each), or `None` when one is
    /// missing.
    pub(crate) fn matching(&self, anchor: usize, others: &Expr) -> Option<Vec<usize>> {
        let Some(places) = &self.places else {
            return Expr::matching_terms(self.ts, anchor, others);
        };
        let mut used = vec![anchor];
        for w in others.summands() {
            let j = *places.get(w)?.iter().find(|j| !used.contains(j))?;
            used.push(j);
        }
        Some(used)
    }
}

/// The first of the shapes shared with the code emitter ([`stable::find_in_sum`]) among `ts`
/// whose argument depends on something (a constant one is folded exactly anyway).
fn shared_stable(ts: &[Expr]) -> Option<Stable> {
    let s = stable::find_in_sum(ts)?;
    let kernel = match s.kernel {
        Kernel::CoshMinus1 => Op::CoshMinus1,
        Kernel::CosMinus1 => Op::CosMinus1,
        Kernel::Sqrt1pMinus1 => Op::Sqrt1pMinus1,
        Kernel::XMinusSin => Op::XMinusSin,
        Kernel::LogCosh => Op::LogCosh,
        Kernel::SigmoidOfMinus => Op::SigmoidOfMinus,
        Kernel::SechSquared => Op::SechSquared,
    };
    Some(Stable {
        kernel,
        arg: s.arg,
        scale: s.scale,
        used: s.used,
    })
}

/// Emits code for one expression.
///
/// A function value or power that occurs more than once is computed once: the code of a tree is the
/// same wherever it occurs, so the value right after its first code is saved ([`Op::Store`],
/// inserted by [`Emitter::finish`]) and every later occurrence loads it ([`Op::Load`]). The
/// derivative of `log(cosh(…))` nested `n` deep is a product of `n` factors that repeat each
/// other's arguments: `n²/2` instructions written out, `2n` shared.
pub(crate) struct Emitter<'a> {
    var: Option<&'a str>,
    params: &'a Params,
    /// Whether variable-free sub-expressions are folded (off while folding one).
    fold: bool,
    pub(crate) ops: Vec<Op>,
    /// For each sub-expression emitted so far: where its code ends, and its slot once it has
    /// occurred again.
    seen: HashMap<Expr, (usize, Option<u32>)>,
    /// `(position, slot)`: store the value there into that slot.
    stores: Vec<(usize, u32)>,
}

impl<'a> Emitter<'a> {
    pub(crate) fn new(var: Option<&'a str>, params: &'a Params) -> Self {
        Emitter {
            var,
            params,
            fold: true,
            ops: Vec::new(),
            seen: HashMap::new(),
            stores: Vec::new(),
        }
    }

    /// The program, with the saves of shared values in place, and the number of slots of the
    /// evaluation array it needs (the stack, then one slot per shared value).
    pub(crate) fn finish(self) -> (Vec<Op>, usize) {
        let mut stores = self.stores;
        stores.sort_unstable();
        let mut ops = Vec::with_capacity(self.ops.len() + stores.len());
        let mut next = stores.iter().peekable();
        for (i, op) in self.ops.into_iter().enumerate() {
            ops.push(op);
            while let Some((_, slot)) = next.next_if(|(at, _)| *at == i + 1) {
                ops.push(Op::Store(*slot));
            }
        }
        let depth = max_depth(&ops);
        let base = u32::try_from(depth).unwrap_or(u32::MAX);
        for op in &mut ops {
            if let Op::Store(k) | Op::Load(k) = op {
                *k += base;
            }
        }
        (ops, depth + stores.len())
    }

    fn has_var(&self, e: &Expr) -> bool {
        self.var.is_some_and(|v| e.contains_sym(v))
    }

    /// The value of a variable-free expression.
    fn value(&self, e: &Expr) -> Result<f64, EvalError> {
        if let Expr::Num(r) = e {
            return Ok(rational_to_f64(r));
        }
        let mut sub = Emitter {
            var: self.var,
            params: self.params,
            fold: false,
            ops: Vec::new(),
            seen: HashMap::new(),
            stores: Vec::new(),
        };
        sub.emit(e)?;
        let (ops, slots) = sub.finish();
        let mut stack = vec![0.0; slots];
        let v = run(&ops, 0.0, &mut stack);
        if contains_sum(e) {
            if let Some(exact) = super::enclose::accurate_where_cancelled(e, ops, slots, v) {
                return Ok(exact);
            }
        }
        Ok(v)
    }

    pub(crate) fn emit(&mut self, e: &Expr) -> Result<(), EvalError> {
        if self.fold && !self.has_var(e) && !matches!(e, Expr::Num(_) | Expr::Const(_)) {
            let v = self.value(e)?;
            self.ops.push(Op::Const(v));
            return Ok(());
        }
        // Only function values and powers are shared: they are what repeats in a derivative,
        // and looking up every sum and product would hash each large tree again at each level.
        if !matches!(e, Expr::Func(..) | Expr::Func2(..) | Expr::Pow(..)) {
            return self.emit_tree(e);
        }
        if let Some((end, slot)) = self.seen.get_mut(e) {
            let k = match slot {
                Some(k) => *k,
                None => {
                    let k = u32::try_from(self.stores.len()).unwrap_or(u32::MAX);
                    self.stores.push((*end, k));
                    *slot = Some(k);
                    k
                }
            };
            self.ops.push(Op::Load(k));
            return Ok(());
        }
        self.emit_tree(e)?;
        self.seen.insert(e.clone(), (self.ops.len(), None));
        Ok(())
    }

    fn emit_tree(&mut self, e: &Expr) -> Result<(), EvalError> {
        match e {
            Expr::Num(r) => self.ops.push(Op::Const(rational_to_f64(r))),
            Expr::Const(c) => self.ops.push(Op::Const(c.value())),
            Expr::Sym(s) => {
                if Some(&**s) == self.var {
                    self.ops.push(Op::Var);
                } else {
                    let v = self
                        .params
                        .get(s)
                        .ok_or_else(|| EvalError::MissingParam(s.to_string()))?;
                    self.ops.push(Op::Const(v));
                }
            }
            Expr::Add(ts) => self.sum(ts)?,
            Expr::Mul(fs) => self.product(fs)?,
            Expr::Pow(b, x) => self.power(b, x)?,
            Expr::Func(Func::Log, a) if stable::find_in_log(a).is_some() => {
                match stable::find_in_log(a) {
                    Some(LogShape::LogCosh(x)) => {
                        self.emit(&x)?;
                        self.ops.push(Op::LogCosh);
                    }
                    Some(LogShape::MinusSoftplus(x)) => {
                        self.emit(&x)?;
                        self.ops.extend([Op::Func(Func::Softplus), Op::MulC(-1.0)]);
                    }
                    Some(LogShape::Log1pPow(b, y)) => {
                        let b = self.value(&b)?;
                        self.emit(&y)?;
                        self.ops.push(Op::Log1pPow(b));
                    }
                    None => {}
                }
            }
            Expr::Func(Func::Log, a) => match Expr::minus_one(a) {
                // `log(r) = log1p(r − 1)` with `r − 1` exact: `log(1000000001/1000000000)`
                // keeps its digits. Only near 1: far from it, rounding `r − 1` would lose the
                // digits of `1 + (r − 1)` (`log(1/400000000)` was off by 3e-10).
                None if matches!(&**a, Expr::Num(n) if near_one(n)) => {
                    self.emit(&(*a.clone() - Expr::one()))?;
                    self.ops.push(Op::Log1p);
                }
                Some(y) => {
                    self.emit(&y)?;
                    self.ops.push(Op::Log1p);
                }
                None => {
                    self.emit(a)?;
                    self.ops.push(Op::Func(Func::Log));
                }
            },
            Expr::Func(f, a) => {
                self.emit(a)?;
                self.ops.push(Op::Func(*f));
            }
            Expr::Func2(f, a, b) => {
                self.emit(a)?;
                self.emit(b)?;
                self.ops.push(Op::Func2(*f));
            }
        }
        Ok(())
    }

    fn sum(&mut self, ts: &[Expr]) -> Result<(), EvalError> {
        // `c·min(a, b) + rest`: the minimum itself, exact where `(a + b − |a − b|)/2` rounds.
        if let Some(m) = crate::expr::minmax::find(ts) {
            self.emit(&m.a)?;
            self.emit(&m.b)?;
            self.ops.push(Op::MinMax(m.kind));
            if !m.coeff.is_one() {
                self.ops.push(Op::MulC(rational_to_f64(&m.coeff)));
            }
            if !m.rest.is_zero() {
                self.emit(&m.rest)?;
                self.ops.push(Op::Add);
            }
            return Ok(());
        }
        let mut rest: Vec<Expr> = ts.to_vec();
        let mut first = true;
        while let Some(s) = find_stable(&rest).or_else(|| shared_stable(&rest)) {
            self.emit(&s.arg)?;
            self.ops.push(s.kernel);
            if !s.scale.is_one() {
                self.ops.push(Op::MulC(rational_to_f64(&s.scale)));
            }
            if !first {
                self.ops.push(Op::Add);
            }
            first = false;
            rest = crate::eval::stable::without(rest, &s.used);
        }
        let mut constant = 0.0;
        for t in &rest {
            if self.fold && !self.has_var(t) {
                constant += self.value(t)?;
                continue;
            }
            self.emit(t)?;
            if !first {
                self.ops.push(Op::Add);
            }
            first = false;
        }
        if first {
            self.ops.push(Op::Const(constant));
        } else if constant != 0.0 {
            self.ops.push(Op::AddC(constant));
        }
        Ok(())
    }

    /// `k · num / den`, with `k` the product of every variable-free factor.
    fn product(&mut self, fs: &[Expr]) -> Result<(), EvalError> {
        let mut k = 1.0;
        let mut num = Vec::new();
        let mut den = Vec::new();
        for f in fs {
            if self.fold && !self.has_var(f) {
                k *= self.value(f)?;
            } else {
                match f {
                    Expr::Pow(b, x) if x.as_num().is_some_and(goes_below_the_line) => {
                        den.push(Expr::pow((**b).clone(), -(**x).clone()));
                    }
                    f => num.push(f),
                }
            }
        }
        if num.is_empty() {
            self.ops.push(Op::Const(k));
        } else {
            for (i, f) in num.iter().enumerate() {
                self.emit(f)?;
                if i > 0 {
                    self.ops.push(Op::Mul);
                }
            }
        }
        for (i, f) in den.iter().enumerate() {
            self.emit(f)?;
            if i > 0 {
                self.ops.push(Op::Mul);
            }
        }
        if !den.is_empty() {
            self.ops.push(Op::Div);
        }
        if !num.is_empty() && k != 1.0 {
            self.ops.push(Op::MulC(k));
        }
        Ok(())
    }

    fn power(&mut self, b: &Expr, x: &Expr) -> Result<(), EvalError> {
        if let Expr::Num(r) = x {
            self.emit(b)?;
            let half = BigRational::new(1.into(), 2.into());
            let small = r.to_integer().to_i32().filter(|n| n.abs() <= 64);
            match small {
                Some(n) if r.is_integer() => self.ops.push(Op::PowI(n)),
                _ if *r == half => self.ops.push(Op::Sqrt),
                _ if *r == -half => self.ops.extend([Op::Sqrt, Op::Recip]),
                _ => self.ops.push(Op::PowF(rational_to_f64(r))),
            }
        } else if self.fold && !self.has_var(x) {
            let v = self.value(x)?;
            self.emit(b)?;
            self.ops.push(Op::PowF(v));
        } else if self.fold && !self.has_var(b) {
            let v = self.value(b)?;
            self.emit(x)?;
            self.ops.push(Op::ConstPow(v));
        } else {
            self.emit(b)?;
            self.emit(x)?;
            self.ops.push(Op::Pow);
        }
        Ok(())
    }
}

/// Whether a factor `b^n` of a product is written as `1/b^(−n)` below the fraction line: for a
/// negative `n`, except an integer beyond [`Op::PowI`]'s range, whose `b^(−n)` overflows long
/// before `b^n` underflows (`(−3)^999` is `−∞` in `f64`, so `1/(−3)^999` passed through `∞`
/// and was refused, where `(−3)^(−999)` is `−0`, right to within `f64`'s range).
fn goes_below_the_line(n: &BigRational) -> bool {
    n.is_negative() && !(n.is_integer() && n.abs() > BigRational::from_integer(64.into()))
}

/// Whether `e` has a sum in it, where a variable-free value can cancel.
fn contains_sum(e: &Expr) -> bool {
    match e {
        Expr::Add(_) => true,
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => false,
        Expr::Mul(xs) => xs.iter().any(contains_sum),
        Expr::Pow(b, x) => contains_sum(b) || contains_sum(x),
        Expr::Func(_, a) => contains_sum(a),
        Expr::Func2(_, a, b) => contains_sum(a) || contains_sum(b),
    }
}

/// Whether `|n − 1| < 1/2`, where `log(n) = log1p(n − 1)` keeps every digit.
fn near_one(n: &num_rational::BigRational) -> bool {
    use num_traits::{One, Signed};
    let one = num_rational::BigRational::one();
    (n - &one).abs() * num_rational::BigRational::from_integer(2.into()) < one
}

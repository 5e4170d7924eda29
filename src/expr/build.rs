//! The smart constructors that keep an [`Expr`] canonical.

use super::number::{self, checked_pow_rational};
use super::order::{base_exp, factor_order, term_order, unsigned_term_order};
use super::{Constant, Expr, Func};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};
use std::sync::Arc;

impl Expr {
    /// An exact rational number.
    pub fn num(r: BigRational) -> Expr {
        Expr::Num(r)
    }

    /// An integer.
    pub fn int(i: i64) -> Expr {
        Expr::Num(BigRational::from_integer(BigInt::from(i)))
    }

    /// The rational `n/d`; `d` must not be zero.
    pub fn ratio(n: i64, d: i64) -> Expr {
        Expr::Num(BigRational::new(BigInt::from(n), BigInt::from(d)))
    }

    /// `0`.
    pub fn zero() -> Expr {
        Expr::Num(BigRational::zero())
    }

    /// `1`.
    pub fn one() -> Expr {
        Expr::Num(BigRational::one())
    }

    /// A symbol (a variable or a parameter).
    pub fn sym(name: &str) -> Expr {
        Expr::Sym(Arc::from(name))
    }

    /// A named constant.
    pub fn constant(c: Constant) -> Expr {
        Expr::Const(c)
    }

    /// The rational value, if `self` is a number.
    pub fn as_num(&self) -> Option<&BigRational> {
        match self {
            Expr::Num(n) => Some(n),
            _ => None,
        }
    }

    /// Whether `self` is the number `0`.
    pub fn is_zero(&self) -> bool {
        matches!(self, Expr::Num(n) if n.is_zero())
    }

    /// Whether `self` is the number `1`.
    pub fn is_one(&self) -> bool {
        matches!(self, Expr::Num(n) if n.is_one())
    }

    /// Split a term into its exact coefficient and the rest (`-2*u` is `(-2, u)`).
    pub fn split_coeff(&self) -> (BigRational, Expr) {
        match self {
            Expr::Num(n) => (n.clone(), Expr::one()),
            Expr::Mul(xs) => match xs.first() {
                Some(Expr::Num(n)) => {
                    let rest: Vec<Expr> = xs[1..].to_vec();
                    let rest = if rest.len() == 1 {
                        rest.into_iter().next().unwrap_or_else(Expr::one)
                    } else {
                        Expr::Mul(rest)
                    };
                    (n.clone(), rest)
                }
                _ => (BigRational::one(), self.clone()),
            },
            _ => (BigRational::one(), self.clone()),
        }
    }

    /// A canonical sum of `terms`.
    pub fn add(terms: Vec<Expr>) -> Expr {
        let mut flat = Vec::with_capacity(terms.len());
        let mut numbers = Vec::new();
        for t in terms {
            match t {
                Expr::Add(inner) => {
                    for x in inner {
                        match x {
                            Expr::Num(n) => numbers.push(n),
                            other => flat.push(other),
                        }
                    }
                }
                Expr::Num(n) => numbers.push(n),
                other => flat.push(other),
            }
        }
        let constant = tree_sum(numbers);
        if flat.is_empty() {
            return Expr::Num(constant);
        }
        // Collect like terms: sort by the non-numeric part, then merge runs.
        let mut pairs: Vec<(BigRational, Expr)> = flat.into_iter().map(into_coeff).collect();
        if pairs.len() > 1 {
            pairs.sort_by(|a, b| a.1.cmp(&b.1));
        }
        let mut out: Vec<Expr> = Vec::with_capacity(pairs.len() + 1);
        let mut iter = pairs.into_iter().peekable();
        while let Some((mut c, rest)) = iter.next() {
            while let Some((c2, _)) = iter.next_if(|(_, r)| *r == rest) {
                c = number::add(&c, &c2);
            }
            if !c.is_zero() {
                out.push(with_coeff(c, rest));
            } else if divides_by_zero(&rest) {
                // `x/0 − x/0` and `log(0) − log(0)` are not `0`: keep the undefined term.
                out.push(rest);
            }
        }
        if out.iter().any(|x| matches!(x, Expr::Add(_) | Expr::Num(_))) {
            // A merged coefficient distributed over a sum, or a rest that folded to a number:
            // flatten once more.
            let mut again = out;
            again.push(Expr::Num(constant));
            return Expr::add(again);
        }
        if !constant.is_zero() {
            out.push(Expr::Num(constant));
        }
        match out.len() {
            0 => Expr::zero(),
            1 => out.pop().unwrap_or_else(Expr::zero),
            _ => {
                out.sort_by(term_order);
                Expr::Add(out)
            }
        }
    }

    /// A canonical product of `factors`.
    pub fn mul(factors: Vec<Expr>) -> Expr {
        let mut coeff = BigRational::one();
        let mut flat: Vec<Expr> = Vec::with_capacity(factors.len());
        let mut exp_args: Vec<Expr> = Vec::new();
        fn push(f: Expr, coeff: &mut BigRational, flat: &mut Vec<Expr>, exp_args: &mut Vec<Expr>) {
            match f {
                Expr::Num(n) => *coeff = number::mul(coeff, &n),
                Expr::Mul(inner) => {
                    for x in inner {
                        push(x, coeff, flat, exp_args);
                    }
                }
                Expr::Func(Func::Exp, a) => exp_args.push(*a),
                Expr::Add(ts) if leads_negative_terms(&ts) => {
                    // A sum factor leads with a positive term: `x·(-a - b) = -x·(a + b)`.
                    *coeff = -std::mem::take(coeff);
                    flat.push(negate_terms(&ts));
                }
                other => flat.push(other),
            }
        }
        for f in factors {
            push(f, &mut coeff, &mut flat, &mut exp_args);
        }
        if coeff.is_zero() {
            // `0·x = 0` except where `x` is undefined everywhere: that factor stays visible.
            if let Some(bad) = flat.iter().chain(&exp_args).find(|f| divides_by_zero(f)) {
                return bad.clone();
            }
            return Expr::zero();
        }
        // exp(a)·exp(b) = exp(a + b)
        if !exp_args.is_empty() {
            let merged = if exp_args.len() == 1 {
                exp_args.pop().unwrap_or_else(Expr::zero)
            } else {
                Expr::add(exp_args)
            };
            match Expr::func(Func::Exp, merged) {
                Expr::Num(n) => coeff = number::mul(&coeff, &n),
                Expr::Mul(inner) => {
                    let mut all = inner;
                    all.extend(flat);
                    all.push(Expr::Num(coeff));
                    return Expr::mul(all);
                }
                other => flat.push(other),
            }
        }
        // Merge like bases by adding exponents.
        if flat.len() > 1 {
            flat.sort_by(factor_order);
            let mut merged: Vec<Expr> = Vec::with_capacity(flat.len());
            let mut changed = false;
            let mut i = 0;
            while i < flat.len() {
                let (base, _) = base_exp(&flat[i]);
                let mut j = i + 1;
                while j < flat.len() && base_exp(&flat[j]).0 == base {
                    j += 1;
                }
                if j - i == 1 {
                    merged.push(flat[i].clone());
                } else {
                    changed = true;
                    let exps: Vec<Expr> = flat[i..j]
                        .iter()
                        .map(|f| base_exp(f).1.cloned().unwrap_or_else(Expr::one))
                        .collect();
                    merged.push(Expr::pow(base.clone(), Expr::add(exps)));
                }
                i = j;
            }
            if changed {
                merged.push(Expr::Num(coeff));
                return Expr::mul(merged);
            }
        }
        if flat.is_empty() {
            return Expr::Num(coeff);
        }
        if flat.len() == 1 && !coeff.is_one() {
            // A numeric coefficient multiplies a sum out.
            if let Expr::Add(terms) = &flat[0] {
                let c = Expr::Num(coeff);
                return Expr::add(
                    terms
                        .iter()
                        .map(|t| Expr::mul(vec![c.clone(), t.clone()]))
                        .collect(),
                );
            }
        }
        if coeff.is_one() && flat.len() == 1 {
            return flat.pop().unwrap_or_else(Expr::one);
        }
        let mut out = Vec::with_capacity(flat.len() + 1);
        if !coeff.is_one() {
            out.push(Expr::Num(coeff));
        }
        out.extend(flat);
        Expr::Mul(out)
    }

    /// A canonical power `base^exp`.
    ///
    /// Applies only identities valid for every real base: `x^0 = 1`, `x^1 = x`, exact numeric
    /// powers (within [`super::MAX_EXACT_BITS`]), `e^x = exp(x)`, `exp(a)^b = exp(a·b)`,
    /// `(x^a)^n = x^(a·n)` for integer `n`, and `(a·b)^n = a^n·b^n` for integer `n`. `0^-1` stays
    /// unevaluated (the simplifier reports it). As in [`Expr::mul`] and [`Expr::add`], no
    /// identity drops a part that is undefined everywhere: `(1/0)^0` and `1^(1/0)` are that
    /// part, `1/0`, not `1`, and `(0^-1)^-1` is not merged to `0`.
    pub fn pow(base: Expr, exp: Expr) -> Expr {
        if exp.is_zero() {
            return keep_undefined(base).unwrap_or_else(Expr::one);
        }
        if exp.is_one() {
            return base;
        }
        if base.is_one() {
            return keep_undefined(exp).unwrap_or_else(Expr::one);
        }
        match (&base, &exp) {
            (Expr::Num(b), Expr::Num(x)) => {
                if let Some(r) = checked_pow_rational(b, x) {
                    return Expr::Num(r);
                }
                // (p/q)^x with integer x that is too large, or an irrational root: keep.
                Expr::Pow(Box::new(base), Box::new(exp))
            }
            (Expr::Const(Constant::E), _) => Expr::func(Func::Exp, exp),
            (Expr::Func(Func::Exp, a), _) => {
                Expr::func(Func::Exp, Expr::mul(vec![(**a).clone(), exp]))
            }
            // `(x^a)^n = x^(a·n)` keeps the domain unless `a` is fractional and `a·n` is an
            // integer: `(t^(1/2))^2` is defined for `t ≥ 0` only, `t` everywhere.
            (Expr::Pow(b, a), Expr::Num(n))
                if n.is_integer()
                    && (merge_keeps_domain(a, n) || is_positive_number(b))
                    && !divides_by_zero(&base) =>
            {
                Expr::pow((**b).clone(), Expr::mul(vec![(**a).clone(), exp.clone()]))
            }
            (Expr::Add(ts), Expr::Num(n)) if n.is_integer() && leads_negative_terms(ts) => {
                // `(-a - b)^n = (-1)^n·(a + b)^n`
                let sign = if n.numer().bit(0) { -1 } else { 1 };
                Expr::mul(vec![Expr::int(sign), Expr::pow(-base.clone(), exp.clone())])
            }
            (Expr::Mul(fs), Expr::Num(n)) if n.is_integer() => Expr::mul(
                fs.iter()
                    .map(|f| Expr::pow(f.clone(), exp.clone()))
                    .collect(),
            ),
            _ => Expr::Pow(Box::new(base), Box::new(exp)),
        }
    }

    /// A function application in canonical form.
    ///
    /// Lowers nothing and applies only exact evaluations at special points (`exp(0) = 1`,
    /// `exp(1) = e`, `log(1) = 0`, `log(e) = 1`, `sin(0) = 0`, …) and parity
    /// (`cosh(-x) = cosh(x)`, `sinh(-x) = -sinh(x)`).
    pub fn func(f: Func, arg: Expr) -> Expr {
        if let Expr::Num(n) = &arg {
            if let Some(v) = exact_value(f, n) {
                return v;
            }
        }
        if let Some(v) = super::exact_trig::at_rational_pi(f, &arg) {
            return v;
        }
        match (f, &arg) {
            (Func::Exp, Expr::Num(n)) if n.is_one() => return Expr::Const(Constant::E),
            (Func::Log, Expr::Const(Constant::E)) => return Expr::one(),
            _ => {}
        }
        let negated = match &arg {
            Expr::Add(ts) => leads_negative_terms(ts),
            other => leads_negative(other),
        };
        if negated && (f.is_odd() || f.is_even()) {
            let pos = -arg;
            let inner = Expr::Func(f, Box::new(pos));
            return if f.is_odd() { -inner } else { inner };
        }
        Expr::Func(f, Box::new(arg))
    }

    /// `-self`, i.e. `(-1)·self`.
    pub fn negate(self) -> Expr {
        Expr::mul(vec![Expr::int(-1), self])
    }

    /// `1/self`.
    pub fn recip(self) -> Expr {
        Expr::pow(self, Expr::int(-1))
    }
}

/// Whether a term has a negative numeric coefficient.
fn leads_negative(e: &Expr) -> bool {
    match e {
        Expr::Num(n) => n.is_negative(),
        Expr::Mul(fs) => matches!(fs.first(), Some(Expr::Num(n)) if n.is_negative()),
        _ => false,
    }
}

/// Whether a sum's first term in the sign-free term order is negative. Of a sum `s` and `-s`
/// exactly one is not, and that one is the canonical factor or function argument.
fn leads_negative_terms(ts: &[Expr]) -> bool {
    ts.iter()
        .min_by(|a, b| unsigned_term_order(a, b))
        .is_some_and(leads_negative)
}

/// Split a canonical term into its coefficient and the rest, without cloning.
fn into_coeff(e: Expr) -> (BigRational, Expr) {
    match e {
        Expr::Num(n) => (n, Expr::one()),
        Expr::Mul(mut xs) if matches!(xs.first(), Some(Expr::Num(_))) => match xs.remove(0) {
            Expr::Num(c) => {
                let rest = if xs.len() == 1 {
                    xs.pop().unwrap_or_else(Expr::one)
                } else {
                    Expr::Mul(xs)
                };
                (c, rest)
            }
            other => {
                xs.insert(0, other);
                (BigRational::one(), Expr::Mul(xs))
            }
        },
        other => (BigRational::one(), other),
    }
}

/// `c·rest` for a canonical `rest` without a coefficient: the coefficient is put in front
/// directly; only a sum or a number needs the full constructor.
fn with_coeff(c: BigRational, rest: Expr) -> Expr {
    if c.is_one() {
        return rest;
    }
    match rest {
        Expr::Mul(mut fs) => {
            fs.insert(0, Expr::Num(c));
            Expr::Mul(fs)
        }
        r @ (Expr::Add(_) | Expr::Num(_)) => Expr::mul(vec![Expr::Num(c), r]),
        r => Expr::Mul(vec![Expr::Num(c), r]),
    }
}

/// Whether `(x^a)^n = x^(a·n)` (integer `n`) holds on the whole domain of the left side: for a
/// number `a` when `a` is an integer or `a·n` is not, for any `a` when `n = −1` (`1/x^a`).
fn merge_keeps_domain(a: &Expr, n: &BigRational) -> bool {
    match a {
        Expr::Num(a) => a.is_integer() || !(a * n).is_integer(),
        _ => *n == -BigRational::one(),
    }
}

/// Whether `e` is a positive number, on which every power is defined (`(3^(1/2))^2 = 3`).
fn is_positive_number(e: &Expr) -> bool {
    matches!(e, Expr::Num(n) if n.is_positive())
}

/// `e` itself when it contains a part undefined for every value of its symbols: an identity
/// that would drop `e` (`x^0 = 1`, `1^x = 1`) keeps it instead, for the definedness check.
fn keep_undefined(e: Expr) -> Option<Expr> {
    divides_by_zero(&e).then_some(e)
}

/// Whether `e` contains a part undefined for every value of its symbols, which no identity may
/// cancel: whatever the definedness check refuses (`0^negative`, the logarithm of a quantity
/// known non-positive, `log(-1 - t^2)` as well as `log(-1)`, a fractional power of one known
/// negative, …), so that `0·x`, `x − x`, `x^0` and `1^x` are refused exactly when `x` is.
pub(crate) fn divides_by_zero(e: &Expr) -> bool {
    crate::simplify::check_defined(e, &crate::simplify::Assumptions::default()).is_err()
}

/// The exact sum of `xs`, added pairwise: the denominators of many fractions grow slowly
/// instead of one running total growing with every term (`1/2 + 2/3 + … + 7999/8000`).
fn tree_sum(mut xs: Vec<BigRational>) -> BigRational {
    while xs.len() > 1 {
        let mut next = Vec::with_capacity(xs.len().div_ceil(2));
        let mut it = xs.into_iter();
        while let Some(a) = it.next() {
            next.push(match it.next() {
                Some(b) => number::add(&a, &b),
                None => a,
            });
        }
        xs = next;
    }
    xs.pop().unwrap_or_else(BigRational::zero)
}

/// `-(a + b + …)` as a sum, negating each term directly (no product normalisation).
fn negate_terms(ts: &[Expr]) -> Expr {
    Expr::add(
        ts.iter()
            .map(|t| Expr::mul(vec![Expr::int(-1), t.clone()]))
            .collect(),
    )
}

/// Exact values of functions at rational points: only those that are rational or named.
fn exact_value(f: Func, n: &BigRational) -> Option<Expr> {
    let zero = n.is_zero();
    match f {
        Func::Exp if zero => Some(Expr::one()),
        Func::Log if n.is_one() => Some(Expr::zero()),
        Func::Abs => Some(Expr::Num(n.abs())),
        Func::Sign => Some(Expr::Num(BigRational::from_integer(
            n.signum().to_integer(),
        ))),
        Func::Sin | Func::Tan | Func::Atan | Func::Sinh | Func::Tanh | Func::Asinh if zero => {
            Some(Expr::zero())
        }
        Func::Cos | Func::Cosh if zero => Some(Expr::one()),
        Func::Sigmoid if zero => Some(Expr::ratio(1, 2)),
        Func::Softplus if zero => Some(Expr::func(Func::Log, Expr::int(2))),
        Func::Li2 | Func::LambertW if zero => Some(Expr::zero()),
        // Li2(1) = π²/6, Li2(−1) = −π²/12
        Func::Li2 if n.is_one() || (-n).is_one() => {
            let pi2 = Expr::pow(Expr::Const(Constant::Pi), Expr::int(2));
            let k = if n.is_one() {
                Expr::ratio(1, 6)
            } else {
                Expr::ratio(-1, 12)
            };
            Some(Expr::mul(vec![k, pi2]))
        }
        _ => None,
    }
}

impl std::ops::Add for Expr {
    type Output = Expr;
    fn add(self, rhs: Expr) -> Expr {
        Expr::add(vec![self, rhs])
    }
}

impl std::ops::Sub for Expr {
    type Output = Expr;
    fn sub(self, rhs: Expr) -> Expr {
        Expr::add(vec![self, rhs.negate()])
    }
}

impl std::ops::Mul for Expr {
    type Output = Expr;
    fn mul(self, rhs: Expr) -> Expr {
        Expr::mul(vec![self, rhs])
    }
}

impl std::ops::Div for Expr {
    type Output = Expr;
    fn div(self, rhs: Expr) -> Expr {
        Expr::mul(vec![self, rhs.recip()])
    }
}

impl std::ops::Neg for Expr {
    type Output = Expr;
    fn neg(self) -> Expr {
        self.negate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u() -> Expr {
        Expr::sym("u")
    }
    fn t() -> Expr {
        Expr::sym("t")
    }

    #[test]
    fn collects_like_terms() {
        let e = u() + u() + Expr::int(2) - Expr::int(2);
        assert_eq!(e, Expr::int(2) * u());
        assert_eq!(u() - u(), Expr::zero());
        assert_eq!(u() * u(), Expr::pow(u(), Expr::int(2)));
        assert_eq!(u() / u(), Expr::one());
    }

    #[test]
    fn distributes_coefficients() {
        let e = Expr::int(4) * (Expr::func(Func::Exp, t() / Expr::int(2)) - t() / Expr::int(2));
        match e {
            Expr::Add(ts) => assert_eq!(ts.len(), 2),
            other => panic!("not a sum: {other:?}"),
        }
    }

    #[test]
    fn exp_merges() {
        let e = Expr::func(Func::Exp, t()) * Expr::func(Func::Exp, -t());
        assert_eq!(e, Expr::one());
        assert_eq!(Expr::func(Func::Exp, Expr::one()), Expr::Const(Constant::E));
    }

    #[test]
    fn parity() {
        assert_eq!(Expr::func(Func::Cosh, -t()), Expr::func(Func::Cosh, t()));
        assert_eq!(Expr::func(Func::Sinh, -t()), -Expr::func(Func::Sinh, t()));
    }
}

//! Expansion of products and powers of sums, kept only when simpler.

use super::{Assumptions, Rule, complexity};
use crate::expr::{Expr, Func};
use crate::per_thread::Restore;
use num_rational::BigRational;
use num_traits::{One, Zero};
use std::cell::Cell;

/// The family's rules.
pub static RULES: &[Rule] = &[Rule {
    name: "expand_if_simpler",
    apply: expand_if_simpler,
}];

/// The most terms an expansion may produce before it is abandoned.
pub const MAX_EXPANDED_TERMS: usize = 256;
/// The largest integer power of a sum that is expanded.
pub const MAX_EXPANDED_POWER: i64 = 8;

#[cfg(test)]
thread_local! {
    /// How many expansions [`expand_if_simpler`] built on this thread (the work a test counts).
    pub(super) static EXPANSIONS_BUILT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// `(a + b)·(c + d) = a·c + a·d + b·c + b·d` (and integer powers of sums), when the expanded
/// form is less complex (`(u - 1)·(u + 1) = u^2 - 1`, `(t + 1)^2 - t^2 = 2·t + 1`).
fn expand_if_simpler(e: &Expr, _: &Assumptions) -> Option<Expr> {
    if !has_product_of_sum(e) {
        return None;
    }
    if expansion_abandoned(e) {
        debug_assert!(expand(e).is_none(), "{e:?} is multiplied out");
        return None;
    }
    if let Some(p) = PlainProduct::of(e) {
        let c = p.expanded_complexity();
        debug_assert_eq!(
            Some(c),
            expand(e).map(|x| complexity(&x)),
            "predicted complexity of the expansion of {e:?}"
        );
        if c >= complexity(e) {
            return None;
        }
    }
    // the long sums of a long closed form come back changed: they are not remembered
    let key = size_at_most(e, MAX_REMEMBERED_SIZE).map(|_| fingerprint(e));
    if let Some((out, work)) = key.and_then(|k| EXPANDED.with(|m| m.borrow().get(k, e))) {
        // charged as when it was built, so that a result never depends on what was remembered
        if spend_expansion_work(work) {
            return out;
        }
        spend_expansion_work(expansion_work_left());
        return None;
    }
    #[cfg(test)]
    EXPANSIONS_BUILT.with(|n| n.set(n.get() + 1));
    let budget = expansion_work_left();
    let mut left = budget;
    let built = expand_within(e, &mut left);
    let work = budget - left;
    spend_expansion_work(work);
    if built.is_none() && left == 0 {
        // out of work: not remembered, and nothing more is tried
        return None;
    }
    let out = built.filter(|out| complexity(out) < complexity(e));
    if let Some(k) = key {
        EXPANDED.with(|m| m.borrow_mut().insert(k, e, &out, work));
    }
    out
}

/// The most work (the complexity of the products built) one simplification, with the
/// simplifications its rules start, may spend multiplying out products and powers of sums to
/// see whether that is simpler; past it the products are left as they are (a correct, possibly
/// less simple result). Each trial multiplies out the whole product, sums nested in it
/// included: a `t^t^…^t` tower's derivative nests one product of a sum in the next, so trying
/// every level in every pass costs about the fifth power of the tower's height. All but one
/// simplification of the test suite use under 15,000.
pub const EXPANSION_WORK_BUDGET: usize = 200_000;

thread_local! {
    /// What is left of [`EXPANSION_WORK_BUDGET`] in the outermost simplification running on
    /// this thread; `None` outside one.
    static EXPANSION_WORK_LEFT: Cell<Option<usize>> = const { Cell::new(None) };
}

/// Gives a simplification (the outermost one on this thread) its budget of expansion work
/// until the guard is dropped; a simplification started by a rule shares its caller's.
pub(super) fn expansion_work_scope() -> Option<Restore<Option<usize>>> {
    let outermost = EXPANSION_WORK_LEFT.with(|c| c.get().is_none());
    outermost.then(|| Restore::set(&EXPANSION_WORK_LEFT, Some(EXPANSION_WORK_BUDGET)))
}

/// What is left of the running simplification's expansion work (unbounded outside one).
fn expansion_work_left() -> usize {
    EXPANSION_WORK_LEFT.with(|c| c.get().unwrap_or(usize::MAX))
}

/// Takes `work` from the running simplification's budget; `false` (nothing taken) when less
/// is left. Outside a simplification there is no budget to keep.
fn spend_expansion_work(work: usize) -> bool {
    EXPANSION_WORK_LEFT.with(|c| match c.get() {
        None => true,
        Some(left) if left >= work => {
            c.set(Some(left - work));
            true
        }
        Some(_) => false,
    })
}

/// The largest expression (in nodes) whose expansion [`EXPANDED`] remembers.
const MAX_REMEMBERED_SIZE: usize = 64;

/// The number of nodes of `e` when at most `limit`, without walking further.
fn size_at_most(e: &Expr, limit: usize) -> Option<usize> {
    fn walk(e: &Expr, left: &mut usize) -> bool {
        if *left == 0 {
            return false;
        }
        *left -= 1;
        match e {
            Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => true,
            Expr::Add(xs) | Expr::Mul(xs) => xs.iter().all(|x| walk(x, left)),
            Expr::Pow(a, b) | Expr::Func2(_, a, b) => walk(a, left) && walk(b, left),
            Expr::Func(_, a) => walk(a, left),
        }
    }
    let mut left = limit;
    walk(e, &mut left).then_some(limit - left)
}

/// The most nodes (keys and values, a large number counted by its machine words as
/// [`crate::per_thread::held`] does) [`EXPANDED`] holds before it starts over.
const MAX_REMEMBERED_NODES: usize = 100_000;

/// Expansions already decided, each `e ⇒ Some(simpler expansion)` or `e ⇒ None`: the driver
/// tries [`expand_if_simpler`] at every node in every pass, and the same products come back in
/// the passes that confirm a fixpoint and in later calls. A pure function of `e`, so
/// remembering it cannot change a result; bounded in size, per thread. Looked up by a cheap
/// [`fingerprint`], then compared whole.
#[derive(Default)]
struct Expanded {
    known: std::collections::HashMap<u64, Vec<(Expr, Option<Expr>, usize)>>,
    nodes: usize,
}

impl Expanded {
    /// The expansion of `e` when remembered, and the work it took.
    fn get(&self, key: u64, e: &Expr) -> Option<(Option<Expr>, usize)> {
        self.known
            .get(&key)?
            .iter()
            .find(|(k, _, _)| k == e)
            .map(|(_, out, work)| (out.clone(), *work))
    }

    fn insert(&mut self, key: u64, e: &Expr, out: &Option<Expr>, work: usize) {
        use crate::per_thread::held;
        let n = held(e) + out.as_ref().map_or(0, held);
        if self.nodes + n > MAX_REMEMBERED_NODES {
            *self = Expanded::default();
        }
        self.nodes += n;
        self.known
            .entry(key)
            .or_default()
            .push((e.clone(), out.clone(), work));
    }
}

/// A structural hash of `e` that is cheap to compute (machine-size numbers are mixed as
/// integers, not through the big-integer hash); equal expressions have equal fingerprints.
fn fingerprint(e: &Expr) -> u64 {
    fn mix(h: u64, x: u64) -> u64 {
        (h.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
    }
    fn number(h: u64, n: &num_bigint::BigInt) -> u64 {
        let h = mix(h, u64::from(n.sign() == num_bigint::Sign::Minus));
        n.iter_u64_digits().fold(h, mix)
    }
    match e {
        Expr::Num(r) => number(number(1, r.numer()), r.denom()),
        Expr::Const(c) => mix(2, *c as u64),
        Expr::Sym(s) => s.bytes().fold(3, |h, b| mix(h, u64::from(b))),
        Expr::Add(xs) => xs.iter().fold(4, |h, x| mix(h, fingerprint(x))),
        Expr::Mul(xs) => xs.iter().fold(5, |h, x| mix(h, fingerprint(x))),
        Expr::Pow(b, x) => mix(mix(6, fingerprint(b)), fingerprint(x)),
        Expr::Func(f, x) => mix(mix(7, *f as u64), fingerprint(x)),
        Expr::Func2(f, a, b) => mix(mix(mix(8, *f as u64), fingerprint(a)), fingerprint(b)),
    }
}

thread_local! {
    static EXPANDED: std::cell::RefCell<Expanded> = std::cell::RefCell::new(Expanded::default());
}

/// A product `c·S·P` of one sum `S` and factors `P` whose expansion merges only powers of a
/// symbol: no exponential (`exp(a)·exp(b)` merges), no power of a sum to multiply out, no term
/// of `S` with a factor on the base of a factor of `P` unless both are powers of one symbol
/// whose exponents do not cancel (`u^a·u^b = u^(a + b)`, `a + b ≠ 0`). Then each term
/// `c·s_i·P` keeps every other factor of `s_i` and of `P`, and no two terms are alike (`S` has
/// none, and the same `P` multiplies each): `expand` gives exactly one term per term of `S`.
/// The terms of a long closed form, `c·(Σ a_k·log(u)^k/u)/u`, are such products, and each is
/// tried by [`expand_if_simpler`] in every pass.
pub(super) struct PlainProduct<'a> {
    coeff: BigRational,
    sum: &'a [Expr],
    others: Vec<&'a Expr>,
}

impl<'a> PlainProduct<'a> {
    pub(super) fn of(e: &'a Expr) -> Option<PlainProduct<'a>> {
        let Expr::Mul(fs) = e else {
            return None;
        };
        let mut sum = None;
        let mut coeff = BigRational::one();
        let mut others: Vec<&Expr> = Vec::new();
        for f in fs {
            match f {
                Expr::Add(ts) if sum.is_none() => sum = Some(&ts[..]),
                Expr::Num(n) => coeff = n.clone(),
                Expr::Add(_) | Expr::Func(Func::Exp, _) => return None,
                f if is_sum_power(f) => return None,
                f => others.push(f),
            }
        }
        let sum = sum?;
        if others.is_empty() {
            return None;
        }
        for t in sum {
            for f in term_factors(t).1 {
                if matches!(f, Expr::Add(_) | Expr::Num(_) | Expr::Func(Func::Exp, _))
                    || is_sum_power(f)
                {
                    return None;
                }
                if let Some(o) = others.iter().find(|o| base(o) == base(f)) {
                    merged_power(o, f)?;
                }
            }
        }
        Some(PlainProduct { coeff, sum, others })
    }

    /// `complexity(expand(e))`, without building the expansion.
    pub(super) fn expanded_complexity(&self) -> usize {
        let others_cost: usize = self.others.iter().map(|f| complexity(f)).sum();
        let mut total = 1;
        for t in self.sum {
            let (c, factors) = term_factors(t);
            let mut factors_cost = others_cost;
            let mut count = self.others.len() + factors.len();
            for f in factors {
                match self.others.iter().find(|o| base(o) == base(f)) {
                    Some(o) => {
                        // `u^a·u^b = u^(a + b)`: one factor instead of two
                        let e = merged_power(o, f).unwrap_or_else(BigRational::one);
                        factors_cost -= complexity(o);
                        factors_cost += if e.is_one() {
                            1
                        } else {
                            2 + complexity(&Expr::Num(e))
                        };
                        count -= 1;
                    }
                    None => factors_cost += complexity(f),
                }
            }
            // The coefficient of the term is `coeff·c`: is it 1, or an integer?
            let (p, q) = (self.coeff.numer(), self.coeff.denom());
            let (one, integer) = match c {
                Some(c) => {
                    let (num, den) = (p * c.numer(), q * c.denom());
                    (num == den, (&num % &den).is_zero())
                }
                None => (self.coeff.is_one(), self.coeff.is_integer()),
            };
            total += if one && count == 1 {
                factors_cost
            } else if one {
                1 + factors_cost
            } else {
                1 + if integer { 1 } else { 2 } + factors_cost
            };
        }
        total
    }
}

/// The exponent of `u^a·u^b = u^(a + b)` for factors on the same symbol `u` with exact
/// exponents, when it is not `0` (the factor would vanish and the term could become a
/// number).
fn merged_power(a: &Expr, b: &Expr) -> Option<BigRational> {
    let power = |f: &Expr| -> Option<BigRational> {
        match f {
            Expr::Sym(_) => Some(BigRational::one()),
            Expr::Pow(b, x) if matches!(**b, Expr::Sym(_)) => x.as_num().cloned(),
            _ => None,
        }
    };
    let e = power(a)? + power(b)?;
    (!e.is_zero()).then_some(e)
}

/// The base of a factor (`b` of `b^x`).
fn base(f: &Expr) -> &Expr {
    match f {
        Expr::Pow(b, _) => b,
        other => other,
    }
}

/// A term of a sum as its number (if any) and its other factors.
fn term_factors(t: &Expr) -> (Option<&BigRational>, &[Expr]) {
    match t {
        Expr::Num(n) => (Some(n), &[]),
        Expr::Mul(xs) => match xs.first() {
            Some(Expr::Num(n)) => (Some(n), &xs[1..]),
            _ => (None, &xs[..]),
        },
        other => (None, std::slice::from_ref(other)),
    }
}

/// Whether multiplying out the sum `e` is abandoned (more than [`MAX_EXPANDED_TERMS`] terms),
/// known without building it when the terms before the limit are plain products
/// ([`PlainProduct`]) or have nothing to multiply out.
pub(super) fn expansion_abandoned(e: &Expr) -> bool {
    let ts = match e {
        Expr::Add(ts) => ts,
        // a product is abandoned with any of its sums
        Expr::Mul(fs) => return fs.iter().any(expansion_abandoned),
        _ => return false,
    };
    let mut count = 0usize;
    for t in ts {
        count += if !has_product_of_sum(t) {
            1
        } else if let Some(p) = PlainProduct::of(t) {
            p.sum.len()
        } else {
            return false;
        };
        if count > MAX_EXPANDED_TERMS {
            return true;
        }
    }
    false
}

/// Whether `e` is, or is a sum with a term that is, a product with a sum factor or a small
/// integer power of a sum: where [`expand_if_simpler`] multiplies out.
fn has_product_of_sum(e: &Expr) -> bool {
    match e {
        Expr::Mul(fs) => fs
            .iter()
            .any(|f| matches!(f, Expr::Add(_)) || is_sum_power(f)),
        Expr::Pow(..) => is_sum_power(e),
        Expr::Add(ts) => ts.iter().any(has_product_of_sum),
        _ => false,
    }
}

fn is_sum_power(e: &Expr) -> bool {
    match e {
        Expr::Pow(b, p) => {
            matches!(**b, Expr::Add(_))
                && matches!(&**p, Expr::Num(n) if n.is_integer() && *n > num_rational::BigRational::from_integer(1.into()) && *n <= num_rational::BigRational::from_integer(MAX_EXPANDED_POWER.into()))
        }
        _ => false,
    }
}

fn terms(e: &Expr) -> Vec<Expr> {
    match e {
        Expr::Add(ts) => ts.clone(),
        other => vec![other.clone()],
    }
}

/// Fully expand products and small integer powers of sums (not inside function arguments).
/// `None` when the expansion would exceed [`MAX_EXPANDED_TERMS`] terms.
pub fn expand(e: &Expr) -> Option<Expr> {
    let mut unbounded = usize::MAX;
    expand_within(e, &mut unbounded)
}

/// Takes `work` from `left`, or empties it when less is left.
fn take(left: &mut usize, work: usize) -> Option<()> {
    match left.checked_sub(work) {
        Some(rest) => {
            *left = rest;
            Some(())
        }
        None => {
            *left = 0;
            None
        }
    }
}

/// [`expand`], taking the complexity of each product it builds (and one for each term it
/// collects) from `left`: `None` when that would pass `left`.
fn expand_within(e: &Expr, left: &mut usize) -> Option<Expr> {
    match e {
        Expr::Add(ts) => {
            let mut out = Vec::new();
            for t in ts {
                out.extend(terms(&expand_within(t, left)?));
                if out.len() > MAX_EXPANDED_TERMS {
                    return None;
                }
            }
            take(left, out.len())?;
            Some(Expr::add(out))
        }
        Expr::Mul(fs) => {
            // Expand each factor once; count the terms of the product before building it.
            let mut plain = Vec::new();
            let mut sums: Vec<Vec<Expr>> = Vec::new();
            let mut count = 1usize;
            for f in fs {
                match expand_within(f, left)? {
                    Expr::Add(ts) => {
                        count = count.checked_mul(ts.len())?;
                        if count > MAX_EXPANDED_TERMS {
                            return None;
                        }
                        sums.push(ts);
                    }
                    other => plain.push(other),
                }
            }
            if sums.is_empty() {
                return Some(Expr::mul(plain));
            }
            let mut acc = vec![Expr::mul(plain)];
            for ts in sums {
                let mut next = Vec::with_capacity(acc.len() * ts.len());
                for a in &acc {
                    for b in &ts {
                        let p = a.clone() * b.clone();
                        take(left, complexity(&p))?;
                        next.push(p);
                    }
                }
                acc = next;
            }
            take(left, acc.len())?;
            Some(Expr::add(acc))
        }
        Expr::Pow(b, p) if is_sum_power(e) => {
            // Multiply out one factor at a time, collecting like terms after each step, so
            // `(t + 1)^8` passes through 2, 3, …, 9 terms rather than 256 products.
            let n: i64 = p.as_num().and_then(|n| n.to_integer().try_into().ok())?;
            let base = expand_within(b, left)?;
            let mut acc = base.clone();
            for _ in 1..n {
                // `Expr::Mul` built directly on purpose: `expand` multiplies it out.
                acc = expand_within(&Expr::Mul(vec![acc, base.clone()]), left)?;
            }
            Some(acc)
        }
        _ => Some(e.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Products with large coefficients, each expanded: the memo holds no more than its bound,
    /// counting each number by its machine words.
    #[test]
    fn the_bound_counts_large_numbers() {
        let mut memo = Expanded::default();
        let big = BigRational::from_integer(10.into()).pow(4000);
        for k in 0..400 {
            let c = Expr::Num(&big + BigRational::from_integer(k.into()));
            let e = Expr::mul(vec![
                c.clone(),
                Expr::sym("x") + Expr::one(),
                Expr::sym("y") + Expr::int(2),
            ]);
            let out = expand(&e);
            assert!(out.is_some());
            memo.insert(fingerprint(&e), &e, &out, 0);
            let holds: usize = memo
                .known
                .values()
                .flatten()
                .map(|(e, out, _)| {
                    crate::per_thread::held(e) + out.as_ref().map_or(0, crate::per_thread::held)
                })
                .sum();
            assert!(holds <= MAX_REMEMBERED_NODES, "{holds} after {k}");
            assert_eq!(holds, memo.nodes);
        }
    }
}

//! The sums already searched for `min`/`max`, and what was found.
//!
//! [`super::find`] is a pure function of the terms of a sum, and the same sums come back: the
//! evaluator compiles one closed form for each check that reads it, and the printers lower it
//! again for each report. A search splits each `|D|` every way and builds a sum per split
//! (a few hundred thousand instructions for a derivative with three `abs` terms), a lookup hashes
//! and compares the terms once. Remembering cannot change a result; bounded in size (the terms
//! and what was found, as [`crate::per_thread::held`] counts them), per thread.

use super::Found;
use crate::expr::Expr;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// The most nodes (of the sums kept as keys and of what was found) remembered before starting
/// over.
const MAX_REMEMBERED_NODES: usize = 100_000;

/// What one search's answer holds, as [`crate::per_thread::held`] counts it.
fn held(terms: &[Expr], found: &Option<Found>) -> usize {
    use crate::per_thread::{held, held_number};
    terms.iter().map(held).sum::<usize>()
        + found.as_ref().map_or(0, |f| {
            held_number(&f.coeff) + held(&f.a) + held(&f.b) + held(&f.rest)
        })
}

/// The terms of a sum searched, and what was found.
type Entry = (Vec<Expr>, Option<Found>);

#[derive(Default)]
struct Searched {
    known: HashMap<u64, Vec<Entry>>,
    nodes: usize,
}

thread_local! {
    static SEARCHED: RefCell<Searched> = RefCell::new(Searched::default());
}

#[cfg(test)]
thread_local! {
    /// How many searches ran on this thread (the work a test counts).
    pub(super) static SEARCHES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// `search(terms)`, or what it returned for the same terms before.
pub(super) fn find_with(terms: &[Expr], search: fn(&[Expr]) -> Option<Found>) -> Option<Found> {
    let key = {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        terms.hash(&mut h);
        h.finish()
    };
    let known = SEARCHED.with(|m| {
        m.borrow()
            .known
            .get(&key)
            .and_then(|v| v.iter().find(|(k, _)| k[..] == *terms))
            .map(|(_, found)| found.clone())
    });
    if let Some(found) = known {
        return found;
    }
    #[cfg(test)]
    SEARCHES.with(|n| n.set(n.get() + 1));
    let found = search(terms);
    SEARCHED.with(|m| {
        let mut m = m.borrow_mut();
        let n = held(terms, &found);
        if n > MAX_REMEMBERED_NODES {
            return;
        }
        if m.nodes + n > MAX_REMEMBERED_NODES {
            *m = Searched::default();
        }
        m.nodes += n;
        m.known
            .entry(key)
            .or_default()
            .push((terms.to_vec(), found.clone()));
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::minmax::Kind;
    use num_rational::BigRational;

    /// A long sum of `n` terms in `x`, different for each `seed`.
    fn long_sum(seed: usize, n: usize) -> Vec<Expr> {
        (0..n)
            .map(|i| {
                Expr::ratio((seed * n + i) as i64 + 2, 3)
                    * Expr::pow(Expr::sym("x"), Expr::int(i as i64 + 2))
            })
            .collect()
    }

    /// A search whose answer is twice the size of the sum it was given.
    fn large_answer(terms: &[Expr]) -> Option<Found> {
        let sum = Expr::add(terms.to_vec());
        Some(Found {
            kind: Kind::Max,
            coeff: BigRational::from_integer(10.into()).pow(400),
            a: sum.clone(),
            b: sum.clone() * Expr::sym("y"),
            rest: Expr::zero(),
        })
    }

    /// What the memo holds, counted afresh from its contents.
    fn holds() -> usize {
        SEARCHED.with(|m| {
            m.borrow()
                .known
                .values()
                .flatten()
                .map(|(terms, found)| held(terms, found))
                .sum()
        })
    }

    /// Many large sums with larger answers: the memo holds no more than its bound, answers
    /// included, and still answers a repeated search.
    #[test]
    fn the_bound_counts_what_was_found() {
        SEARCHED.with(|m| *m.borrow_mut() = Searched::default());
        let mut most = 0;
        for seed in 0..400 {
            let terms = long_sum(seed, 60);
            let _ = find_with(&terms, large_answer);
            most = most.max(holds());
            assert!(holds() <= MAX_REMEMBERED_NODES, "{} after {seed}", holds());
        }
        assert!(most > MAX_REMEMBERED_NODES / 2, "{most}");
        let terms = long_sum(399, 60);
        let before = SEARCHES.with(std::cell::Cell::get);
        assert_eq!(find_with(&terms, large_answer), large_answer(&terms));
        assert_eq!(SEARCHES.with(std::cell::Cell::get), before);
        // An answer larger than the whole bound is not kept.
        let huge = long_sum(1000, MAX_REMEMBERED_NODES / 4);
        let _ = find_with(&huge, large_answer);
        assert!(holds() <= MAX_REMEMBERED_NODES, "{}", holds());
    }
}

//! The sums already searched for `min`/`max`, and what was found.
//!
//! [`super::find`] is a pure function of the terms of a sum, and the same sums come back: the
//! evaluator compiles one closed form for each check that reads it, and the printers lower it
//! again for each report. A search splits each `|D|` every way and builds a sum per split
//! (a few hundred thousand instructions for a derivative with three `abs` terms), a lookup hashes
//! and compares the terms once. Remembering cannot change a result; bounded in size, per thread.

use super::Found;
use crate::expr::Expr;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// The most nodes (of the sums kept as keys) remembered before starting over.
const MAX_REMEMBERED_NODES: usize = 100_000;

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
        let n: usize = terms.iter().map(Expr::size).sum();
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

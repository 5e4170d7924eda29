//! Per-thread state that stays true when a panic unwinds through it, and per-thread memos
//! bounded by what they hold.
//!
//! A library caller (or the Python package) may catch a panic and call again on the same
//! thread. A counter raised for the length of a call must then be back at its value, or every
//! later call on the thread starts part-way up its bound: it is restored by a guard's `Drop`,
//! which runs on return and on unwind alike.
//!
//! A memo bounded by its number of entries is not bounded in memory when an entry can be any
//! size (a long closed form as a key, a list of large coefficients as a result): each memo here
//! counts what it holds, keys and results, by [`held`], and keeps the total under its bound.

use crate::expr::Expr;
use num_rational::BigRational;
use std::cell::Cell;
use std::collections::VecDeque;
use std::thread::LocalKey;

/// A per-thread cell set for the guard's lifetime: its value before is put back when the guard
/// is dropped, on return or on unwind.
pub(crate) struct Restore<T: Copy + 'static> {
    key: &'static LocalKey<Cell<T>>,
    before: T,
}

impl<T: Copy + 'static> Restore<T> {
    /// Sets `key` to `value` until the guard is dropped.
    pub(crate) fn set(key: &'static LocalKey<Cell<T>>, value: T) -> Restore<T> {
        let before = key.with(|c| c.replace(value));
        Restore { key, before }
    }
}

impl<T: Copy + 'static> Drop for Restore<T> {
    fn drop(&mut self) {
        // Gone already only while the thread itself ends: nothing to restore then.
        let _ = self.key.try_with(|c| c.set(self.before));
    }
}

/// The size of `e` as a memo counts it: a node each, and the machine words of each number past
/// its first two (a numerator and a denominator), so a memo of a few huge numbers is as full as
/// one of many nodes.
pub(crate) fn held(e: &Expr) -> usize {
    match e {
        Expr::Num(r) => held_number(r),
        Expr::Const(_) | Expr::Sym(_) => 1,
        Expr::Add(xs) | Expr::Mul(xs) => 1 + xs.iter().map(held).sum::<usize>(),
        Expr::Pow(a, b) | Expr::Func2(_, a, b) => 1 + held(a) + held(b),
        Expr::Func(_, a) => 1 + held(a),
    }
}

/// [`held`] of the number `r`.
pub(crate) fn held_number(r: &BigRational) -> usize {
    let words = |n: &num_bigint::BigInt| n.bits().div_ceil(64) as usize;
    1 + (words(r.numer()) + words(r.denom())).saturating_sub(2)
}

/// The last few answers of a pure function, oldest first: at most `entries` of them, holding at
/// most `limit` in all (each entry's size, keys and results, given by the caller as [`held`]
/// counts it). An answer larger than `limit` is not remembered.
pub(crate) struct Recent<K, V> {
    kept: VecDeque<(K, V, usize)>,
    total: usize,
    entries: usize,
    limit: usize,
}

impl<K, V> Recent<K, V> {
    /// An empty memo of at most `entries` answers holding at most `limit`.
    pub(crate) const fn new(entries: usize, limit: usize) -> Recent<K, V> {
        Recent {
            kept: VecDeque::new(),
            total: 0,
            entries,
            limit,
        }
    }

    /// The answer remembered for the first key that `is` accepts.
    pub(crate) fn find(&self, is: impl Fn(&K) -> bool) -> Option<&V> {
        self.kept.iter().find(|(k, _, _)| is(k)).map(|(_, v, _)| v)
    }

    /// Remembers `value` for `key`, `size` in all, forgetting the oldest answers to make room.
    pub(crate) fn insert(&mut self, key: K, value: V, size: usize) {
        if size > self.limit || self.entries == 0 {
            return;
        }
        while self.kept.len() >= self.entries || self.total + size > self.limit {
            let Some((_, _, n)) = self.kept.pop_front() else {
                break;
            };
            self.total -= n;
        }
        self.total += size;
        self.kept.push_back((key, value, size));
    }

    /// What the memo holds now, as its entries' sizes were given.
    #[cfg(test)]
    pub(crate) fn total(&self) -> usize {
        self.total
    }

    /// A smaller `limit`, for a test to reach it with few answers (the memo starts empty).
    #[cfg(test)]
    pub(crate) fn limited_to(&mut self, limit: usize) {
        *self = Recent::new(self.entries, limit);
    }

    /// The bound on what the memo holds.
    #[cfg(test)]
    pub(crate) fn limit(&self) -> usize {
        self.limit
    }

    /// The remembered answers, oldest first.
    #[cfg(test)]
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.kept.iter().map(|(k, v, _)| (k, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        static LEVEL: Cell<u32> = const { Cell::new(0) };
    }

    #[test]
    fn a_raised_counter_comes_back_on_return_and_on_unwind() {
        {
            let _outer = Restore::set(&LEVEL, 1);
            let _inner = Restore::set(&LEVEL, 2);
            assert_eq!(LEVEL.with(Cell::get), 2);
        }
        assert_eq!(LEVEL.with(Cell::get), 0);
        let caught = std::panic::catch_unwind(|| {
            let _raised = Restore::set(&LEVEL, 7);
            panic!("a panic with the counter raised");
        });
        assert!(caught.is_err());
        assert_eq!(LEVEL.with(Cell::get), 0);
    }

    #[track_caller]
    fn held_is(e: &str, n: usize) {
        let e = crate::simplify::simplify(&crate::parse::parse(e).unwrap()).unwrap();
        assert_eq!(held(&e), n, "{e:?}");
    }

    #[test]
    fn sizes() {
        held_is("u", 1);
        held_is("3/7", 1);
        held_is("u*log(u) - u + 1", 9);
        held_is("2^63", 1);
        held_is("2^64", 2);
        held_is("2^128", 3);
        held_is("1e-400", 21);
        held_is("1e-400*u", 23);
    }

    #[test]
    fn recent_answers_keep_to_both_bounds() {
        let mut r: Recent<u32, u32> = Recent::new(3, 10);
        for k in 0..5 {
            r.insert(k, k * 10, 2);
        }
        assert_eq!(r.iter().map(|(k, _)| *k).collect::<Vec<_>>(), [2, 3, 4]);
        assert_eq!(r.total(), 6);
        r.insert(5, 50, 7);
        assert_eq!(r.iter().map(|(k, _)| *k).collect::<Vec<_>>(), [4, 5]);
        assert_eq!(r.total(), 9);
        r.insert(6, 60, 11);
        assert_eq!(r.find(|k| *k == 6), None);
        assert_eq!(r.find(|k| *k == 5), Some(&50));
        r.insert(7, 70, 10);
        assert_eq!(r.iter().map(|(k, _)| *k).collect::<Vec<_>>(), [7]);
        assert_eq!(r.total(), 10);
    }
}

//! Per-thread state that stays true when a panic unwinds through it.
//!
//! A library caller (or the Python package) may catch a panic and call again on the same
//! thread. A counter raised for the length of a call must then be back at its value, or every
//! later call on the thread starts part-way up its bound: it is restored by a guard's `Drop`,
//! which runs on return and on unwind alike.

use std::cell::Cell;
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
}

//! The hasher of the memo tables of [`super::Pointwise`]: their keys are the bits of a few
//! `f64` (the ends of a piece and a goal), asked for once per piece of every point, so the
//! standard SipHash (made to resist chosen keys, which these are not) was a third of a
//! point's cost. A multiply–rotate mix of each word is enough to spread them.

use std::hash::{BuildHasherDefault, Hasher};

/// A table keyed by the bits of a few numbers.
pub(crate) type Table<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<BitsHasher>>;

/// A multiply–rotate hasher of 64-bit words (the mix of rustc's `FxHasher`).
#[derive(Default, Clone, Copy)]
pub(crate) struct BitsHasher(u64);

/// An odd constant with its bits spread (from the golden ratio).
const SEED: u64 = 0x9e37_79b9_7f4a_7c15;

impl Hasher for BitsHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }

    fn write_usize(&mut self, word: usize) {
        self.write_u64(word as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    fn hash(key: [u64; 3]) -> u64 {
        BuildHasherDefault::<BitsHasher>::default().hash_one(key)
    }

    #[test]
    fn keys_that_differ_in_one_word_hash_apart() {
        let base = [1.0f64.to_bits(), 2.0f64.to_bits(), 1e-10f64.to_bits()];
        let mut seen = std::collections::HashSet::new();
        assert!(seen.insert(hash(base)));
        for i in 0..3 {
            let mut k = base;
            k[i] ^= 1;
            assert!(seen.insert(hash(k)), "{k:?}");
        }
        let swapped = [base[1], base[0], base[2]];
        assert!(seen.insert(hash(swapped)));
    }
}

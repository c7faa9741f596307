//! FNV-1a, 64-bit: a small, fast, unkeyed hash. Batch keys its fact-name
//! maps with it (names are short and trusted to be few: a keyed hash would
//! cost more than the rest of a lookup), and the built-in rules are named
//! by a digest made with it. Neither guards anything.

use std::hash::Hasher;

/// The FNV-1a state; `Fnv::default()` starts at the offset basis.
#[derive(Default)]
pub struct Fnv(u64);

/// FNV-1a's 64-bit offset basis.
const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
/// FNV-1a's 64-bit prime.
const PRIME: u64 = 0x0000_0100_0000_01b3;

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // A zero state is the default one: it stands for the offset basis,
        // so that `Default` can derive.
        let mut h = if self.0 == 0 { OFFSET } else { self.0 };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(PRIME);
        }
        self.0 = h;
    }
}

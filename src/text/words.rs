//! Keyword tables searched many times per line: indexed by first character so that a line is
//! scanned once instead of building a substring searcher per keyword.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A multiplicative hash for `char` keys: the tables are looked up for every character of
/// every line, where SipHash's DoS resistance buys nothing and costs most of the lookup.
#[derive(Default)]
pub struct CharHasher(u64);

impl Hasher for CharHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 =
                (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0 ^ u64::from(n)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A map keyed by characters with [`CharHasher`].
pub type CharMap<V> = HashMap<char, V, BuildHasherDefault<CharHasher>>;

/// A 256-bit filter on the low byte of a character: `may_hold` is false for most characters
/// that are not in the set, so a table's hash lookup runs only where a keyword can start.
#[derive(Debug, Clone, Copy, Default)]
pub struct FirstChars([u64; 4]);

impl FirstChars {
    /// Adds a character to the set.
    pub fn insert(&mut self, c: char) {
        let b = c as u32 & 0xFF;
        self.0[(b >> 6) as usize] |= 1 << (b & 63);
    }

    /// False when `c` is surely not in the set.
    #[inline]
    pub fn may_hold(&self, c: char) -> bool {
        let b = c as u32 & 0xFF;
        self.0[(b >> 6) as usize] >> (b & 63) & 1 == 1
    }
}

/// A table of keywords with their position in the source table (for priority).
pub struct WordTable {
    by_first: CharMap<Vec<(usize, &'static str)>>,
    first: FirstChars,
}

impl WordTable {
    /// Indexes `words` (longest first within one first character).
    pub fn new<'a>(words: impl IntoIterator<Item = &'a &'static str>) -> Self {
        let mut by_first: CharMap<Vec<(usize, &'static str)>> = CharMap::default();
        let mut first = FirstChars::default();
        for (i, w) in words.into_iter().enumerate() {
            if let Some(c) = w.chars().next() {
                by_first.entry(c).or_default().push((i, *w));
                first.insert(c);
            }
        }
        for v in by_first.values_mut() {
            v.sort_by_key(|(_, w)| std::cmp::Reverse(w.len()));
        }
        WordTable { by_first, first }
    }

    /// The keywords that start with `c` (longest first).
    #[inline]
    fn starting(&self, c: char) -> Option<&Vec<(usize, &'static str)>> {
        if self.first.may_hold(c) {
            self.by_first.get(&c)
        } else {
            None
        }
    }

    /// The table index of the earliest-listed keyword that occurs in `hay`.
    pub fn first_listed(&self, hay: &str) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (pos, c) in hay.char_indices() {
            if let Some(ws) = self.starting(c) {
                for (i, w) in ws {
                    if hay[pos..].starts_with(w) && best.is_none_or(|b| *i < b) {
                        best = Some(*i);
                    }
                }
            }
        }
        best
    }

    /// True when `hay` starts with a keyword.
    pub fn starts(&self, hay: &str) -> bool {
        hay.chars()
            .next()
            .and_then(|c| self.starting(c))
            .is_some_and(|ws| ws.iter().any(|(_, w)| hay.starts_with(w)))
    }

    /// True when any keyword occurs in `hay`.
    pub fn any_in(&self, hay: &str) -> bool {
        hay.char_indices().any(|(pos, c)| {
            self.starting(c)
                .is_some_and(|ws| ws.iter().any(|(_, w)| hay[pos..].starts_with(w)))
        })
    }
}

/// A lazily built [`WordTable`] over a static list.
#[macro_export]
#[doc(hidden)]
macro_rules! word_table {
    ($name:ident, $list:expr) => {
        fn $name() -> &'static $crate::text::words::WordTable {
            static T: std::sync::OnceLock<$crate::text::words::WordTable> =
                std::sync::OnceLock::new();
            T.get_or_init(|| $crate::text::words::WordTable::new($list.iter()))
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_by_priority() {
        let t = WordTable::new(["注射", "注", "軟膏"].iter());
        assert_eq!(t.first_listed("ヒルドイド軟膏"), Some(2));
        assert_eq!(t.first_listed("インスリン注射液"), Some(0));
        assert!(t.any_in("A注"));
        assert!(!t.any_in("A錠"));
    }

    #[test]
    fn first_chars_filter_keeps_members() {
        let mut f = FirstChars::default();
        for c in ['注', '軟', 'A', 'ア'] {
            f.insert(c);
        }
        for c in ['注', '軟', 'A', 'ア'] {
            assert!(f.may_hold(c), "{c}");
        }
        assert!(!f.may_hold('B'));
    }
}

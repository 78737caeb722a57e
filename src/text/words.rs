//! Keyword tables searched many times per line: bucketed by the low byte of each keyword's
//! first character, so that a line is scanned once (one index per character, no hash)
//! instead of building a substring searcher per keyword.

/// Entries bucketed by the low byte of a character: a lookup is one index, no hash.
///
/// A bucket holds the entries of every character with that low byte, so a caller still
/// compares the whole key (a keyword match via `starts_with` does that already).
pub struct ByLowByte<T> {
    buckets: Vec<Vec<T>>,
}

impl<T> Default for ByLowByte<T> {
    fn default() -> Self {
        ByLowByte {
            buckets: std::iter::repeat_with(Vec::new).take(256).collect(),
        }
    }
}

impl<T> ByLowByte<T> {
    /// Adds an entry under the character `c`.
    pub fn push(&mut self, c: char, v: T) {
        if let Some(b) = self.buckets.get_mut(c as usize & 0xFF) {
            b.push(v);
        }
    }

    /// The entries of every character with the low byte of `c` (a superset of `c`'s).
    #[inline]
    pub fn get(&self, c: char) -> &[T] {
        self.buckets
            .get(c as usize & 0xFF)
            .map_or(&[][..], Vec::as_slice)
    }

    /// Sorts every bucket (stable) by `key`.
    pub fn sort_by_key<K: Ord>(&mut self, mut key: impl FnMut(&T) -> K) {
        for b in &mut self.buckets {
            b.sort_by_key(&mut key);
        }
    }
}

/// A table of keywords with their position in the source table (for priority).
pub struct WordTable {
    by_first: ByLowByte<(usize, &'static str)>,
}

impl WordTable {
    /// Indexes `words` (longest first within one bucket).
    pub fn new<'a>(words: impl IntoIterator<Item = &'a &'static str>) -> Self {
        let mut by_first = ByLowByte::default();
        for (i, w) in words.into_iter().enumerate() {
            if let Some(c) = w.chars().next() {
                by_first.push(c, (i, *w));
            }
        }
        by_first.sort_by_key(|(_, w)| std::cmp::Reverse(w.len()));
        WordTable { by_first }
    }

    /// Candidate keywords at a position starting with `c`: every keyword that starts with
    /// `c`, and maybe others (each is checked with `starts_with`).
    #[inline]
    fn starting(&self, c: char) -> &[(usize, &'static str)] {
        self.by_first.get(c)
    }

    /// The table index of the earliest-listed keyword that occurs in `hay`.
    pub fn first_listed(&self, hay: &str) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (pos, c) in hay.char_indices() {
            for (i, w) in self.starting(c) {
                if hay[pos..].starts_with(w) && best.is_none_or(|b| *i < b) {
                    best = Some(*i);
                }
            }
        }
        best
    }

    /// True when `hay` starts with a keyword.
    pub fn starts(&self, hay: &str) -> bool {
        hay.chars()
            .next()
            .is_some_and(|c| self.starting(c).iter().any(|(_, w)| hay.starts_with(w)))
    }

    /// True when any keyword occurs in `hay`.
    pub fn any_in(&self, hay: &str) -> bool {
        hay.char_indices().any(|(pos, c)| {
            self.starting(c)
                .iter()
                .any(|(_, w)| hay[pos..].starts_with(w))
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
    fn shared_low_bytes_do_not_match() {
        // U+6DE8 shares 注's (U+6CE8) bucket and Ł (U+0141) shares A's: only a real prefix
        // matches.
        let t = WordTable::new(["注射", "A"].iter());
        let same_low = char::from_u32(0x6DE8).unwrap_or('x');
        assert!(!t.any_in(&format!("{same_low}射")));
        assert!(!t.starts(&format!("{same_low}射")));
        assert_eq!(t.first_listed(&format!("{same_low}射A")), Some(1));
        assert!(!t.any_in(&char::from_u32(0x141).unwrap_or('x').to_string()));
    }
}

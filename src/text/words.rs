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

    /// The entries under low byte `low` (see [`ByLowByte::get`]).
    #[inline]
    pub fn get_low(&self, low: usize) -> &[T] {
        self.buckets.get(low).map_or(&[][..], Vec::as_slice)
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
    /// Bit `k` is set when some keyword's first character has `k` as the low 12 bits of its
    /// code point. Those bits come straight from the last two bytes of a character's UTF-8
    /// form, so a scan rules out nearly every position without decoding a character or
    /// touching a bucket (each table holds a few dozen first characters in 4,096 bits).
    firsts: [u64; 64],
}

/// The low 12 bits of the code point of the character that starts at byte `i` of `b` (a
/// character boundary of valid UTF-8), and the character's length in bytes.
#[inline]
fn low12_at(b: &[u8], i: usize) -> (usize, usize) {
    let x = b[i];
    let at = |k: usize| usize::from(b.get(i + k).copied().unwrap_or(0) & 0x3F);
    match x {
        0x00..=0x7F => (usize::from(x), 1),
        0xC0..=0xDF => ((usize::from(x & 0x1F) << 6) | at(1), 2),
        0xE0..=0xEF => ((at(1) << 6) | at(2), 3),
        _ => ((at(2) << 6) | at(3), 4),
    }
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
        let mut firsts = [0u64; 64];
        for b in &by_first.buckets {
            for (_, w) in b {
                if !w.is_empty() {
                    let (k, _) = low12_at(w.as_bytes(), 0);
                    firsts[k / 64] |= 1 << (k % 64);
                }
            }
        }
        WordTable { by_first, firsts }
    }

    /// The candidate keywords for the character at byte `i` of `hay` (see `firsts`), and the
    /// character's length.
    #[inline]
    fn candidates_at(&self, hay: &[u8], i: usize) -> (&[(usize, &'static str)], usize) {
        let (k, len) = low12_at(hay, i);
        if self.firsts[k / 64] & (1 << (k % 64)) == 0 {
            return (&[], len);
        }
        // The bucket index is the low byte of the code point: the low byte of `k`.
        (self.by_first.get_low(k & 0xFF), len)
    }

    /// The table index of the earliest-listed keyword that occurs in `hay`.
    pub fn first_listed(&self, hay: &str) -> Option<usize> {
        let b = hay.as_bytes();
        let mut best: Option<usize> = None;
        let mut i = 0;
        while i < b.len() {
            let (cands, len) = self.candidates_at(b, i);
            for (k, w) in cands {
                if b[i..].starts_with(w.as_bytes()) && best.is_none_or(|x| *k < x) {
                    best = Some(*k);
                }
            }
            i += len;
        }
        best
    }

    /// True when `hay` starts with a keyword.
    pub fn starts(&self, hay: &str) -> bool {
        let b = hay.as_bytes();
        !b.is_empty()
            && self
                .candidates_at(b, 0)
                .0
                .iter()
                .any(|(_, w)| b.starts_with(w.as_bytes()))
    }

    /// True when any keyword occurs in `hay`.
    pub fn any_in(&self, hay: &str) -> bool {
        let b = hay.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let (cands, len) = self.candidates_at(b, i);
            if cands.iter().any(|(_, w)| b[i..].starts_with(w.as_bytes())) {
                return true;
            }
            i += len;
        }
        false
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

    #[test]
    fn agrees_with_a_plain_search() {
        // Keywords and haystacks with characters of every UTF-8 length, and characters that
        // share a keyword's low 12 bits (U+4F68 / U+6F68 with U+5F68's, ä U+00E4 with U+10E4).
        let words: [&'static str; 6] = ["注射", "A", "äb", "\u{5F68}x", "😀z", "選定療養"];
        let t = WordTable::new(words.iter());
        let hays = [
            "",
            "A",
            "xA",
            "注",
            "注射液",
            "ä",
            "äb",
            "\u{10E4}b",
            "\u{4F68}x",
            "\u{6F68}x",
            "q\u{5F68}x",
            "😀",
            "a😀z",
            "😁z",
            "選定療養の対象",
            "選定",
            "Ł射A",
        ];
        for h in hays {
            let plain_any = words.iter().any(|w| h.contains(w));
            let plain_first = words.iter().position(|w| h.contains(w));
            let plain_starts = words.iter().any(|w| h.starts_with(w));
            assert_eq!(t.any_in(h), plain_any, "{h}");
            assert_eq!(t.first_listed(h), plain_first, "{h}");
            assert_eq!(t.starts(h), plain_starts, "{h}");
        }
    }
}

//! Keyword tables searched many times per line: indexed by first character so that a line is
//! scanned once instead of building a substring searcher per keyword.

use std::collections::HashMap;

/// A table of keywords with their position in the source table (for priority).
pub struct WordTable {
    by_first: HashMap<char, Vec<(usize, &'static str)>>,
}

impl WordTable {
    /// Indexes `words` (longest first within one first character).
    pub fn new<'a>(words: impl IntoIterator<Item = &'a &'static str>) -> Self {
        let mut by_first: HashMap<char, Vec<(usize, &'static str)>> = HashMap::new();
        for (i, w) in words.into_iter().enumerate() {
            if let Some(c) = w.chars().next() {
                by_first.entry(c).or_default().push((i, *w));
            }
        }
        for v in by_first.values_mut() {
            v.sort_by_key(|(_, w)| std::cmp::Reverse(w.len()));
        }
        WordTable { by_first }
    }

    /// The table index of the earliest-listed keyword that occurs in `hay`.
    pub fn first_listed(&self, hay: &str) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (pos, c) in hay.char_indices() {
            if let Some(ws) = self.by_first.get(&c) {
                for (i, w) in ws {
                    if hay[pos..].starts_with(w) && best.is_none_or(|b| *i < b) {
                        best = Some(*i);
                    }
                }
            }
        }
        best
    }

    /// True when any keyword occurs in `hay`.
    pub fn any_in(&self, hay: &str) -> bool {
        hay.char_indices().any(|(pos, c)| {
            self.by_first
                .get(&c)
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
}

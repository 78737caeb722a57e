//! [`WordSet`]: a fixed list of words found in a drug name.
//!
//! The checks look for a few hundred words (narcotics, psychotropics, 湿布 forms, …) in each
//! drug name. An Aho-Corasick automaton matched them fast but cost about 3M instructions to
//! build — half of a one-file run's own work before its PDF reader. Names are a few dozen
//! characters, so trying the words that start with each character of the name (found by
//! binary search in a list sorted by first character) is as fast per name and costs almost
//! nothing to build.
//!
//! ```
//! use shohosen::checks::words::WordSet;
//! let set = WordSet::new(&["ジアゼパム", "フルジアゼパム", "テープ"]);
//! assert!(set.is_match("フルジアゼパム錠0.5mg"));
//! // leftmost-longest: フルジアゼパム (id 1), not the ジアゼパム inside it
//! assert_eq!(set.find_iter("フルジアゼパム錠・テープ").collect::<Vec<_>>(), vec![1, 2]);
//! assert!(!set.is_match("アムロジン錠5mg"));
//! ```

/// Words to find, sorted by first character, longest first within one character.
#[derive(Debug, Clone)]
pub struct WordSet {
    /// (first character, pattern id = position in the list given to [`WordSet::new`], word).
    words: Vec<(char, usize, &'static str)>,
}

impl WordSet {
    /// A set of the non-empty `words`; ids are their positions in `words`.
    pub fn new(words: &[&'static str]) -> WordSet {
        let mut list: Vec<(char, usize, &'static str)> = words
            .iter()
            .enumerate()
            .filter_map(|(id, w)| w.chars().next().map(|c| (c, id, *w)))
            .collect();
        // Stable: of two equal words the lower id comes first.
        list.sort_by_key(|&(c, _, w)| (c, std::cmp::Reverse(w.len())));
        WordSet { words: list }
    }

    /// The id of the longest word that starts at the start of `rest`, and its length.
    fn longest_at(&self, rest: &str) -> Option<(usize, usize)> {
        let c = rest.chars().next()?;
        let from = self.words.partition_point(|w| w.0 < c);
        self.words[from..]
            .iter()
            .take_while(|w| w.0 == c)
            .find(|w| rest.starts_with(w.2))
            .map(|w| (w.1, w.2.len()))
    }

    /// Some word of the set occurs in `hay`.
    pub fn is_match(&self, hay: &str) -> bool {
        self.find_iter(hay).next().is_some()
    }

    /// Ids of the words found in `hay`, left to right, not overlapping, the longest word
    /// winning at one position (Aho-Corasick's leftmost-longest).
    pub fn find_iter<'s>(&'s self, hay: &'s str) -> impl Iterator<Item = usize> + 's {
        let mut at = 0;
        std::iter::from_fn(move || {
            while let Some(rest) = hay.get(at..).filter(|r| !r.is_empty()) {
                if let Some((id, len)) = self.longest_at(rest) {
                    at += len;
                    return Some(id);
                }
                at += rest.chars().next().map_or(1, char::len_utf8);
            }
            None
        })
    }
}

#[cfg(test)]
mod tests {
    use super::WordSet;

    #[test]
    fn matches_follow_leftmost_longest() {
        let set = WordSet::new(&["ab", "abc", "bcd", "", "x", "abc"]);
        // at 0 the longest is abc (id 1, the first of the two equal words); bcd overlaps it
        assert_eq!(set.find_iter("abcdx").collect::<Vec<_>>(), vec![1, 4]);
        assert_eq!(set.find_iter("zabzbcdz").collect::<Vec<_>>(), vec![0, 2]);
        assert_eq!(set.find_iter("").count(), 0);
        assert!(!set.is_match("a b c"));
        assert!(WordSet::new(&[]).find_iter("abc").next().is_none());
    }

    #[test]
    fn multibyte_text_is_walked_by_char() {
        let set = WordSet::new(&["パップ", "ップ"]);
        assert_eq!(set.find_iter("モーラスパップ").collect::<Vec<_>>(), vec![0]);
        assert_eq!(set.find_iter("ップップ").collect::<Vec<_>>(), vec![1, 1]);
    }
}

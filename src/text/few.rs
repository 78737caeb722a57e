//! [`Few`]: a list of string slices kept on the stack while it is short.
//!
//! The reader splits every line into cells and every drug line into tokens; nearly all lines
//! have a handful, and a `Vec` per line was a visible share of the reader's allocations.
//!
//! ```
//! use shohosen::text::few::Few;
//! let cells = Few::<4>::new("a\tb\tc".split('\t'));
//! assert_eq!(cells.as_slice(), ["a", "b", "c"]);
//! let many = Few::<2>::new("a b c".split(' '));
//! assert_eq!(many.as_slice(), ["a", "b", "c"]);
//! ```

/// Up to `N` slices inline; more spill into a vector (see the module docs).
pub struct Few<'a, const N: usize> {
    inline: [&'a str; N],
    len: usize,
    spilled: Vec<&'a str>,
}

impl<'a, const N: usize> Few<'a, N> {
    /// Collects `items`.
    // Inlined so that the list is built in the caller's frame rather than copied out.
    #[inline]
    pub fn new(items: impl Iterator<Item = &'a str>) -> Self {
        let mut few = Few {
            inline: [""; N],
            len: 0,
            spilled: Vec::new(),
        };
        for s in items {
            if !few.spilled.is_empty() {
                few.spilled.push(s);
            } else if let Some(slot) = few.inline.get_mut(few.len) {
                *slot = s;
                few.len += 1;
            } else {
                few.spilled.extend_from_slice(&few.inline);
                few.spilled.push(s);
            }
        }
        few
    }

    /// The slices in order.
    pub fn as_slice(&self) -> &[&'a str] {
        if self.spilled.is_empty() {
            &self.inline[..self.len]
        } else {
            &self.spilled
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Few;

    #[test]
    fn short_and_long_lists_keep_every_item_in_order() {
        for n in 0..12 {
            let items: Vec<String> = (0..n).map(|i| i.to_string()).collect();
            let few = Few::<4>::new(items.iter().map(String::as_str));
            assert_eq!(few.as_slice(), items.as_slice(), "{n} items");
        }
    }
}

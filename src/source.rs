//! [`SourceLines`]: the raw lines of an input, kept once for diagnostics.
//!
//! Every prescription keeps the lines it was read from so that findings can point at a line
//! and the CLI can show (or redact) them. One `String` per line cost an allocation and a free
//! per line of every input — a tenth of the time of reading a 2D symbol — so the lines live
//! in one buffer with the end of each line, behind an `Arc` shared by all the prescriptions
//! of one input (line numbers index the whole input; copies would grow with its square).
//!
//! ```
//! use shohosen::source::SourceLines;
//! let lines: SourceLines = ["JAHIS10", "1,1,9700012", ""].into_iter().collect();
//! assert_eq!(lines.len(), 3);
//! assert_eq!(lines.get(1), Some("1,1,9700012"));
//! assert_eq!(&lines[2], "");
//! assert_eq!(lines.iter().position(|l| l.starts_with("1,")), Some(1));
//! assert!(SourceLines::default().is_empty());
//! ```

use std::fmt;
use std::sync::Arc;

/// The raw lines of an input, shared and cheap to clone (see the module docs).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SourceLines(Option<Arc<Buffer>>);

#[derive(PartialEq, Eq)]
struct Buffer {
    /// All lines, one after the other, without terminators.
    text: String,
    /// The end of each line in `text` (line `i` is `ends[i-1]..ends[i]`).
    ends: Vec<usize>,
}

impl SourceLines {
    /// Lines copied from borrowed slices, with the buffer sized once.
    ///
    /// ```
    /// use shohosen::source::SourceLines;
    /// let lines = SourceLines::from_slices(&["a", "bc"]);
    /// assert_eq!(lines.to_vec(), vec!["a".to_string(), "bc".to_string()]);
    /// ```
    pub fn from_slices(lines: &[&str]) -> SourceLines {
        SourceLines::from_sized(lines.iter().copied())
    }

    /// Lines copied from borrowed slices that can be walked twice: a first walk sizes the
    /// buffer, so that it is allocated once rather than grown line by line.
    ///
    /// ```
    /// use shohosen::source::SourceLines;
    /// let text = "a\nbc";
    /// let lines = SourceLines::from_sized(text.split('\n'));
    /// assert_eq!(lines.to_vec(), vec!["a".to_string(), "bc".to_string()]);
    /// ```
    pub fn from_sized<'a>(lines: impl Iterator<Item = &'a str> + Clone) -> SourceLines {
        let (total, n) = lines.clone().fold((0, 0), |(t, n), l| (t + l.len(), n + 1));
        let mut b = Buffer {
            text: String::with_capacity(total),
            ends: Vec::with_capacity(n),
        };
        for l in lines {
            b.push(l);
        }
        SourceLines::wrap(b)
    }

    fn wrap(b: Buffer) -> SourceLines {
        if b.ends.is_empty() {
            SourceLines(None)
        } else {
            SourceLines(Some(Arc::new(b)))
        }
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |b| b.ends.len())
    }

    /// No line at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Line `i` (0-based).
    pub fn get(&self, i: usize) -> Option<&str> {
        let b = self.0.as_deref()?;
        let end = *b.ends.get(i)?;
        let start = if i == 0 { 0 } else { b.ends[i - 1] };
        b.text.get(start..end)
    }

    /// The lines in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            lines: self,
            front: 0,
            back: self.len(),
        }
    }

    /// The lines as owned strings.
    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }
}

impl Buffer {
    fn push(&mut self, line: &str) {
        self.text.push_str(line);
        self.ends.push(self.text.len());
    }
}

impl<S: AsRef<str>> FromIterator<S> for SourceLines {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> SourceLines {
        let iter = iter.into_iter();
        let mut b = Buffer {
            text: String::new(),
            ends: Vec::with_capacity(iter.size_hint().0),
        };
        for l in iter {
            b.push(l.as_ref());
        }
        SourceLines::wrap(b)
    }
}

/// Iterator over [`SourceLines`], from [`SourceLines::iter`].
#[derive(Clone)]
pub struct Iter<'a> {
    lines: &'a SourceLines,
    front: usize,
    back: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.front >= self.back {
            return None;
        }
        self.front += 1;
        self.lines.get(self.front - 1)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        self.lines.get(self.back)
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a SourceLines {
    type Item = &'a str;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<S: AsRef<str>> From<Vec<S>> for SourceLines {
    fn from(lines: Vec<S>) -> SourceLines {
        lines.iter().collect()
    }
}

impl<S: AsRef<str>, const N: usize> From<[S; N]> for SourceLines {
    fn from(lines: [S; N]) -> SourceLines {
        lines.iter().collect()
    }
}

impl std::ops::Index<usize> for SourceLines {
    type Output = str;

    /// Line `i`; panics when out of range, like a slice.
    fn index(&self, i: usize) -> &str {
        match self.get(i) {
            Some(l) => l,
            None => panic!("line {i} out of range ({} lines)", self.len()),
        }
    }
}

impl fmt::Debug for SourceLines {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::SourceLines;

    #[test]
    fn lines_keep_their_order_and_empty_lines() {
        let src = ["JAHIS10", "", "1,1,例示病院", ""];
        let lines: SourceLines = src.into_iter().collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines.iter().collect::<Vec<_>>(), src);
        assert_eq!(lines.iter().next_back(), Some(""));
        assert_eq!(lines.iter().nth(2), Some("1,1,例示病院"));
        assert_eq!(lines.get(4), None);
        assert_eq!(SourceLines::from_slices(&src), lines);
        assert_eq!(format!("{lines:?}"), format!("{src:?}"));
    }

    #[test]
    fn one_empty_line_is_not_no_line() {
        let one: SourceLines = [""].into();
        assert_eq!((one.len(), one.is_empty()), (1, false));
        let none: SourceLines = Vec::<String>::new().into();
        assert!(none.is_empty());
        assert_eq!(none, SourceLines::default());
        assert_eq!(none.iter().next(), None);
    }
}

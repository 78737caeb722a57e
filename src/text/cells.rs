//! Decoded text → [`Sheet`]: tab cells, or space-aligned columns (display width), or plain lines.
//!
//! The unit is chosen per document: any tab in the text makes it [`XUnit::Ordinal`] (a
//! PDF-to-text table dump; every line is split on tabs, empty cells kept so that cells can be
//! counted back from the drug cell). Otherwise it is [`XUnit::Columns`]: a cell boundary is a
//! run of two or more spaces or any ideographic space, x is the display column (full-width =
//! 2). A plain line without such runs is simply one cell, so plain clinic-system text needs no
//! third unit.

use super::form::CellRef;
use super::lex::TrimWs;
use crate::normalize::char_width;
use crate::sheet::{Cell, Sheet, SheetLine, XUnit};

/// Splits decoded text into a [`Sheet`].
///
/// ```
/// use shohosen::text::sheet_from_text;
/// use shohosen::sheet::XUnit;
/// let s = sheet_from_text("レ\tA錠\n\tB錠\r\n");
/// assert_eq!(s.unit, XUnit::Ordinal);
/// assert_eq!(s.lines[1].cells[1].text, "B錠");
/// let c = sheet_from_text("変更不可  患者希望\nレ        A錠 2錠");
/// assert_eq!(c.unit, XUnit::Columns);
/// assert_eq!(c.lines[0].cells[1].x0, 10.0);
/// ```
pub fn sheet_from_text(text: &str) -> Sheet {
    let split = split_text(text);
    let lines = split
        .lines
        .iter()
        .map(|l| SheetLine {
            line_no: l.line_no,
            page: 1,
            y: (l.line_no - 1) as f32,
            raw: l.raw.to_string(),
            cells: split.cells[l.cells.clone()]
                .iter()
                .map(|c| Cell::new(c.text, c.x0, c.x1))
                .collect(),
        })
        .collect();
    Sheet {
        lines,
        unit: split.unit,
    }
}

/// Decoded text split into lines and cells that borrow from it: what [`sheet_from_text`]
/// holds, without copying any text (the form parser reads these directly in
/// [`super::parse_text`]; a sheet costs an allocation per line and per cell).
pub struct SplitText<'a> {
    pub unit: XUnit,
    /// The cells of all lines, in order.
    pub cells: Vec<CellRef<'a>>,
    pub lines: Vec<SplitLine<'a>>,
}

/// One line of [`SplitText`]: its cells are `cells[self.cells]`.
pub struct SplitLine<'a> {
    pub line_no: u32,
    pub raw: &'a str,
    pub cells: std::ops::Range<usize>,
}

/// See [`SplitText`].
pub fn split_text(text: &str) -> SplitText<'_> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let bytes = text.as_bytes();
    // Line ends and the tab test with memchr (SIMD) rather than a byte filter and a split.
    let tabs = memchr::memchr(b'\t', bytes).is_some() && !labels_in_columns(text);
    let unit = if tabs { XUnit::Ordinal } else { XUnit::Columns };
    let n = memchr::memchr_iter(b'\n', bytes).count() + 1;
    let mut lines = Vec::with_capacity(n);
    // A tab line has one cell more than it has tabs: sized once for the whole text.
    let cap = if tabs {
        n + memchr::memchr_iter(b'\t', bytes).count()
    } else {
        n * 2
    };
    let mut cells = Vec::with_capacity(cap);
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    let mut start = 0;
    for (i, end) in ends.enumerate() {
        // `\n` is ASCII, so both ends are character boundaries.
        let l = &text[start..end];
        start = end + 1;
        let raw = l.strip_suffix('\r').unwrap_or(l);
        let first = cells.len();
        if tabs {
            tab_cells(raw, &mut cells);
        } else {
            column_cells(raw, &mut cells);
        }
        lines.push(SplitLine {
            line_no: i as u32 + 1,
            raw,
            cells: first..cells.len(),
        });
    }
    SplitText { unit, cells, lines }
}

/// True when the first line holding a mark-column label (変更不可 / 患者希望) has no tab and
/// holds a wide gap (two spaces or an ideographic space): the 処方 block was laid out in
/// space-aligned columns, whatever tabs other lines hold (a header pasted from a table). The
/// document is then read in display columns, a tab being one more gap, so that marks still
/// bind to their column by position. Without such a line, any tab makes the document a tab
/// table, as before.
fn labels_in_columns(text: &str) -> bool {
    // The searchers are built once (building one costs more than a search of a page).
    static FINDERS: std::sync::OnceLock<[memchr::memmem::Finder<'static>; 2]> =
        std::sync::OnceLock::new();
    let finders = FINDERS.get_or_init(|| {
        ["変更不可", "患者希望"].map(|l| memchr::memmem::Finder::new(l.as_bytes()))
    });
    let Some(at) = finders.iter().filter_map(|f| f.find(text.as_bytes())).min() else {
        return false;
    };
    // `\n` is ASCII: both ends are character boundaries.
    let start = memchr::memrchr(b'\n', &text.as_bytes()[..at]).map_or(0, |k| k + 1);
    let end = memchr::memchr(b'\n', &text.as_bytes()[at..]).map_or(text.len(), |k| at + k);
    let line = &text[start..end];
    !line.contains('\t') && (line.contains("  ") || line.contains('\u{3000}'))
}

/// [`char_width`] with the common cases answered without the Unicode table: printable
/// ASCII and half-width katakana are 1 column; kanji, kana, CJK punctuation (、。【】) and
/// full-width forms (（１ｍｇ）) are 2 (every range checked against the table in a test).
#[inline]
fn width(c: char) -> usize {
    match c {
        ' '..='~' | '\u{FF61}'..='\u{FF9F}' => 1,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3000}'..='\u{3029}'
        | '\u{3041}'..='\u{3096}'
        | '\u{309B}'..='\u{30FF}'
        | '\u{FF01}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}' => 2,
        _ => char_width(c),
    }
}

/// The character starting at byte `i` of `s` (a char boundary) and its length in bytes.
///
/// Decoded by hand from the lead byte (the text is valid UTF-8): cheaper than a `chars()`
/// iterator in the per-character loop of [`column_cells`].
#[inline]
fn char_at(b: &[u8], i: usize) -> (char, usize) {
    let x = b[i];
    let cont = |k: usize| u32::from(b.get(i + k).copied().unwrap_or(0x80) & 0x3F);
    let (cp, len) = match x {
        0x00..=0x7F => (u32::from(x), 1),
        0xC0..=0xDF => (u32::from(x & 0x1F) << 6 | cont(1), 2),
        0xE0..=0xEF => (u32::from(x & 0x0F) << 12 | cont(1) << 6 | cont(2), 3),
        _ => (
            u32::from(x & 0x07) << 18 | cont(1) << 12 | cont(2) << 6 | cont(3),
            4,
        ),
    };
    (
        char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER),
        len,
    )
}

/// The three-byte character whose lead byte (E0–EF) is at `i`: [`char_at`] without the
/// match on the lead byte, for the run loop that has matched it already.
#[inline]
pub(super) fn char3(b: &[u8], i: usize) -> char {
    let cont = |k: usize| u32::from(b.get(i + k).copied().unwrap_or(0x80) & 0x3F);
    let cp = u32::from(b[i] & 0x0F) << 12 | cont(1) << 6 | cont(2);
    char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER)
}

fn tab_cells<'a>(raw: &'a str, cells: &mut Vec<CellRef<'a>>) {
    if raw.trim_ws().is_empty() {
        return;
    }
    // Pushed one by one into the buffer sized in `split_text` (the fields iterator has no
    // size hint for `extend` to use).
    for (k, text) in super::lex::tab_fields(raw).enumerate() {
        cells.push(CellRef {
            text,
            x0: k as f32,
            x1: k as f32 + 1.0,
        });
    }
}

/// Cells separated by ≥2 spaces or an ideographic space; x in display columns.
///
/// Inside a cell words are one ASCII space apart (any wider gap ends the cell), so a cell's
/// text is a slice of the line: only byte offsets are tracked, no text is copied per char.
fn column_cells<'a>(raw: &'a str, cells: &mut Vec<CellRef<'a>>) {
    let b = raw.as_bytes();
    let mut col = 0usize;
    // Byte range and display columns of the cell being read.
    let mut cur: Option<(usize, usize)> = None;
    let mut cur_x0 = 0usize;
    let mut cur_x1 = 0usize;
    let mut spaces = 0usize; // pending ASCII spaces
    let mut wide_gap = false;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b' ' {
            spaces += 1;
            col += 1;
            i += 1;
            continue;
        }
        if is_ideographic_space(b, i) {
            wide_gap = true;
            col += width('\u{3000}');
            i += 3;
            continue;
        }
        // A tab in a columns document (see `labels_in_columns`): a gap to the next stop.
        if b[i] == b'\t' {
            wide_gap = true;
            col = (col / 8 + 1) * 8;
            i += 1;
            continue;
        }
        // A run of characters up to the next space: one word of the current cell, or the
        // first word of a new one after a wide gap. Only its extent is needed.
        let run_start = i;
        let run_x0 = col;
        let (run_end, run_col) = run(b, i, col);
        i = run_end;
        col = run_col;
        if let Some((a, e)) = cur
            && (spaces >= 2 || wide_gap)
        {
            cells.push(CellRef {
                text: &raw[a..e],
                x0: cur_x0 as f32,
                x1: cur_x1 as f32,
            });
            cur = None;
        }
        match &mut cur {
            Some((_, e)) => *e = i,
            None => {
                cur = Some((run_start, i));
                cur_x0 = run_x0;
            }
        }
        spaces = 0;
        wide_gap = false;
        cur_x1 = col;
    }
    if let Some((a, e)) = cur {
        cells.push(CellRef {
            text: &raw[a..e],
            x0: cur_x0 as f32,
            x1: cur_x1 as f32,
        });
    }
}

/// The end (byte offset) and end column of the run of non-space characters starting at byte
/// `i` (a character boundary, not a space) at column `col`.
///
/// One `match` on each lead byte classifies the character: printable ASCII is one column and
/// kanji U+4E00–U+9FFF (lead E4 with a second byte ≥ B8, or E5–E9) two, answered from the
/// bytes; only an E3 lead can be the ideographic space (E3 80 80) that ends the run; kana,
/// CJK punctuation and full-width forms are looked up in [`block_widths`] by their bytes;
/// other three-byte characters are decoded in place and the rest by [`char_at`].
#[inline]
fn run(b: &[u8], mut i: usize, mut col: usize) -> (usize, usize) {
    while let Some(&x) = b.get(i) {
        // Kanji are tested first: they are most of the characters of a prescription.
        if (0xE5..=0xE9).contains(&x) {
            col += 2;
            i += 3;
            continue;
        }
        let (len, w) = match x {
            b' ' | b'\t' => break,
            0x21..=0x7E => (1, 1),
            0xE4 if b.get(i + 1).is_some_and(|&n| n >= 0xB8) => (3, 2),
            0xE3 if is_ideographic_space(b, i) => break,
            0xE3 | 0xEF => match (b.get(i + 1), b.get(i + 2)) {
                // E3 80–83 xx is U+3000–U+30FF and EF BC–BF xx is U+FF00–U+FFFF: the low
                // two bits of the second byte and the last six bits give the offset.
                (Some(&b1 @ 0x80..=0x83), Some(&b2)) if x == 0xE3 => {
                    (3, block_widths()[block_offset(b1, b2)])
                }
                (Some(&b1 @ 0xBC..=0xBF), Some(&b2)) if x == 0xEF => {
                    (3, block_widths()[256 + block_offset(b1, b2)])
                }
                _ => (3, width(char3(b, i))),
            },
            0xE0..=0xEF => (3, width(char3(b, i))),
            _ => {
                let (c, len) = char_at(b, i);
                (len, width(c))
            }
        };
        col += w;
        i += len;
    }
    (i, col)
}

/// The offset of a character in its 256-character block from its second and third bytes.
#[inline]
fn block_offset(b1: u8, b2: u8) -> usize {
    usize::from(b1 & 0x03) << 6 | usize::from(b2 & 0x3F)
}

/// Display widths of the two blocks nearly all Japanese text outside the kanji is in:
/// U+3000–U+30FF (CJK punctuation, kana) then U+FF00–U+FFFF (full- and half-width forms),
/// taken from [`char_width`] once, so that the run loop needs neither decoding nor a range
/// search for them.
fn block_widths() -> &'static [usize; 512] {
    static TABLE: std::sync::OnceLock<[usize; 512]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        std::array::from_fn(|k| {
            let cp = if k < 256 {
                0x3000 + k
            } else {
                0xFF00 + k - 256
            };
            u32::try_from(cp)
                .ok()
                .and_then(char::from_u32)
                .map_or(1, char_width)
        })
    })
}

/// An ideographic space (U+3000, bytes E3 80 80) at byte `i`.
#[inline]
fn is_ideographic_space(b: &[u8], i: usize) -> bool {
    b.get(i..i + 3) == Some(&[0xE3, 0x80, 0x80][..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_label_row_without_tabs_makes_a_columns_document() {
        let mixed = "保険者番号\t06380018\n変更不可  患者希望  処方\n    ✔     Rp1 A錠 1錠\n備考\t\t保険医署名\n";
        let s = split_text(mixed);
        assert_eq!(s.unit, XUnit::Columns);
        // A tab is a gap: the header line is two cells, the second at the next tab stop.
        let first: Vec<(&str, f32)> = s.cells[s.lines[0].cells.clone()]
            .iter()
            .map(|c| (c.text, c.x0))
            .collect();
        assert_eq!(first, [("保険者番号", 0.0), ("06380018", 16.0)]);
        let mark = &s.cells[s.lines[2].cells.clone()][0];
        assert_eq!((mark.text, mark.x0), ("✔", 4.0));
        // The label row itself in tab cells (the seed's rendering), or no label row: tabs.
        for t in [
            "変更不可\t\t個々の処方薬について…「変更不可」欄に\n処方\tレ\tA錠\n",
            "氏名\t山田  太郎\n処方\nRp1 A錠  1錠\n",
            "変更不可\n処方\tレ\tA錠\n",
        ] {
            assert_eq!(split_text(t).unit, XUnit::Ordinal, "{t:?}");
        }
    }

    /// The character-by-character splitter this module used before the byte-level one.
    fn column_cells_reference<'a>(raw: &'a str, cells: &mut Vec<CellRef<'a>>) {
        let mut col = 0usize;
        // Byte range and display columns of the cell being read.
        let mut cur: Option<(usize, usize)> = None;
        let mut cur_x0 = 0usize;
        let mut cur_x1 = 0usize;
        let mut spaces = 0usize; // pending ASCII spaces
        let mut wide_gap = false;
        for (i, c) in raw.char_indices() {
            let w = width(c);
            if c == ' ' {
                spaces += 1;
            } else if c == '\u{3000}' {
                wide_gap = true;
            } else {
                if let Some((a, b)) = cur
                    && (spaces >= 2 || wide_gap)
                {
                    cells.push(CellRef {
                        text: &raw[a..b],
                        x0: cur_x0 as f32,
                        x1: cur_x1 as f32,
                    });
                    cur = None;
                }
                match &mut cur {
                    Some((_, b)) => *b = i + c.len_utf8(),
                    None => {
                        cur = Some((i, i + c.len_utf8()));
                        cur_x0 = col;
                    }
                }
                spaces = 0;
                wide_gap = false;
                cur_x1 = col + w;
            }
            col += w;
        }
        if let Some((a, b)) = cur {
            cells.push(CellRef {
                text: &raw[a..b],
                x0: cur_x0 as f32,
                x1: cur_x1 as f32,
            });
        }
    }

    proptest::proptest! {
        #[test]
        fn byte_splitter_agrees_with_reference(
            s in "[ 　a-z0-9錠薬アイｱ①😀\u{0301}\u{00A0}（）゙・ー、ﾞ￥]{0,40}"
        ) {
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            column_cells(&s, &mut fast);
            column_cells_reference(&s, &mut slow);
            proptest::prop_assert_eq!(fast, slow);
        }
    }

    #[test]
    fn char_at_decodes_like_chars() {
        let s = "aé錠ア\u{3000}😀ｱ①";
        let mut i = 0;
        for c in s.chars() {
            assert_eq!(char_at(s.as_bytes(), i), (c, c.len_utf8()));
            if c.len_utf8() == 3 {
                assert_eq!(char3(s.as_bytes(), i), c);
            }
            i += c.len_utf8();
        }
    }

    #[test]
    fn columns_match_display_width() {
        // Cell extents are display columns of the text before them (full-width = 2).
        let s = sheet_from_text("変更不可　患者希望  ｱ①😀 x\nレ  A錠 2錠\r\n\n");
        let c = &s.lines[0].cells;
        assert_eq!(
            c.iter()
                .map(|c| (c.text.as_str(), c.x0, c.x1))
                .collect::<Vec<_>>(),
            [
                ("変更不可", 0.0, 8.0),
                ("患者希望", 10.0, 18.0),
                ("ｱ①😀 x", 20.0, 26.0)
            ]
        );
        assert_eq!(s.lines[1].raw, "レ  A錠 2錠");
        assert_eq!(s.lines[1].cells[1].x0, 4.0);
        assert_eq!(s.lines.len(), 4);
        assert!(s.lines[2].cells.is_empty());
    }

    #[test]
    fn runs_measure_every_kana_and_full_width_character_like_the_table() {
        let blocks = ('\u{3001}'..='\u{30FF}').chain('\u{FF00}'..='\u{FFFF}');
        for c in blocks.chain(['\u{2460}', '\u{3400}', '\u{E000}', '\u{FE30}', '錠', 'ｱ']) {
            let s = format!("{c}x");
            assert_eq!(
                run(s.as_bytes(), 0, 0),
                (s.len(), char_width(c) + 1),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn width_fast_path_agrees_with_the_table() {
        let ranges = [
            (' ', '~'),
            ('\u{FF61}', '\u{FF9F}'),
            ('\u{4E00}', '\u{9FFF}'),
            ('\u{3000}', '\u{3029}'),
            ('\u{3041}', '\u{3096}'),
            ('\u{309B}', '\u{30FF}'),
            ('\u{FF01}', '\u{FF60}'),
            ('\u{FFE0}', '\u{FFE6}'),
        ];
        for (a, b) in ranges {
            for c in a..=b {
                assert_eq!(width(c), char_width(c), "U+{:04X}", c as u32);
            }
        }
    }
}

//! Decoded text → [`Sheet`]: tab cells, or space-aligned columns (display width), or plain lines.
//!
//! The unit is chosen per document: any tab in the text makes it [`XUnit::Ordinal`] (a
//! PDF-to-text table dump; every line is split on tabs, empty cells kept so that cells can be
//! counted back from the drug cell). Otherwise it is [`XUnit::Columns`]: a cell boundary is a
//! run of two or more spaces or any ideographic space, x is the display column (full-width =
//! 2). A plain line without such runs is simply one cell, so plain clinic-system text needs no
//! third unit.

use super::form::CellRef;
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
    let tabs = text.contains('\t');
    let unit = if tabs { XUnit::Ordinal } else { XUnit::Columns };
    let n = text.bytes().filter(|&b| b == b'\n').count() + 1;
    let mut lines = Vec::with_capacity(n);
    let mut cells = Vec::with_capacity(n * 2);
    for (i, l) in text.split('\n').enumerate() {
        let raw = l.strip_suffix('\r').unwrap_or(l);
        let start = cells.len();
        if tabs {
            tab_cells(raw, &mut cells);
        } else {
            column_cells(raw, &mut cells);
        }
        lines.push(SplitLine {
            line_no: i as u32 + 1,
            raw,
            cells: start..cells.len(),
        });
    }
    SplitText { unit, cells, lines }
}

/// [`char_width`] with the common cases answered without the Unicode table: printable
/// ASCII is 1 column, kanji and full-width kana are 2 (checked against the table in a test).
#[inline]
fn width(c: char) -> usize {
    match c {
        ' '..='~' => 1,
        '\u{4E00}'..='\u{9FFF}' | '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' => 2,
        _ => char_width(c),
    }
}

fn tab_cells<'a>(raw: &'a str, cells: &mut Vec<CellRef<'a>>) {
    if raw.trim().is_empty() {
        return;
    }
    cells.extend(raw.split('\t').enumerate().map(|(k, t)| CellRef {
        text: t,
        x0: k as f32,
        x1: k as f32 + 1.0,
    }));
}

/// Cells separated by ≥2 spaces or an ideographic space; x in display columns.
///
/// Inside a cell words are one ASCII space apart (any wider gap ends the cell), so a cell's
/// text is a slice of the line: only byte offsets are tracked, no text is copied per char.
fn column_cells<'a>(raw: &'a str, cells: &mut Vec<CellRef<'a>>) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_fast_path_agrees_with_the_table() {
        let ranges = [
            (' ', '~'),
            ('\u{4E00}', '\u{9FFF}'),
            ('\u{3041}', '\u{3096}'),
            ('\u{30A1}', '\u{30FA}'),
        ];
        for (a, b) in ranges {
            for c in a..=b {
                assert_eq!(width(c), char_width(c), "U+{:04X}", c as u32);
            }
        }
    }
}

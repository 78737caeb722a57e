//! Positioned lines: what the text and PDF adapters hand to the form parser.
//!
//! A [`Sheet`] is one prescription's page(s) as lines of cells, each cell with its horizontal
//! extent. For text input the extent is in display columns (full-width = 2) and tab-separated
//! cells get ordinal positions; for PDF it is in points from the glyph transforms. The form
//! parser binds a mark to the 変更不可 / 患者希望 column whose header label range contains it,
//! so text and PDF share one binding rule.
//!
//! ```
//! use shohosen::sheet::{Cell, Sheet, SheetLine, XUnit};
//! let line = SheetLine { line_no: 1, page: 1, y: 0.0, raw: "レ\tA錠".into(),
//!     cells: vec![Cell::new("レ", 0.0, 2.0), Cell::new("A錠", 3.0, 6.0)] };
//! let sheet = Sheet { lines: vec![line], unit: XUnit::Ordinal };
//! assert_eq!(sheet.lines[0].cells[1].text, "A錠");
//! ```

use serde::{Deserialize, Serialize};

/// What the x coordinates of a sheet mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum XUnit {
    /// Tab-separated text: cells are ordinal (x0 = index), geometry carries no meaning.
    Ordinal,
    /// Space-aligned text: display columns (full-width = 2).
    Columns,
    /// PDF: points from the left edge of the page.
    Points,
}

/// One cell of a line: raw text as printed and its horizontal extent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
}

impl Cell {
    pub fn new(text: impl Into<String>, x0: f32, x1: f32) -> Self {
        Cell {
            text: text.into(),
            x0,
            x1,
        }
    }
}

/// One printed line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SheetLine {
    /// 1-based line number in the text the parser reads (for PDF: in the reconstructed text).
    pub line_no: u32,
    /// 1-based page (always 1 for text).
    pub page: u32,
    /// Baseline (PDF points from the top; text: the line index).
    pub y: f32,
    /// The whole line as printed (cells joined by a tab for PDF).
    pub raw: String,
    pub cells: Vec<Cell>,
}

/// The lines of one prescription.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sheet {
    pub lines: Vec<SheetLine>,
    pub unit: XUnit,
}

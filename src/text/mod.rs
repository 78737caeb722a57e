//! The printed form as text: cells from tabs or aligned spaces, then the nom form parser.
//!
//! Pipeline entry points: [`sheet_from_text`] (decoded text → [`Sheet`]) and [`parse_sheet`]
//! (a sheet from text or PDF → prescriptions). [`parse_text`] does both; [`render()`] writes a
//! prescription back as text in one of the renderings of FORMATS.md §2 (used by the round-trip
//! property test and by benchmarks that need many prescriptions).
//!
//! ```
//! use shohosen::text::parse_text;
//! let ps = parse_text("処方\nRp1 ジスロマック錠250mg 2錠 【患者希望】\n    1日1回朝食後 3日分\n以下余白\n");
//! assert_eq!(ps.len(), 1);
//! assert!(ps[0].items[0].flags.patient_wish);
//! assert_eq!(ps[0].items[0].days, Some(3));
//! ```
//!
//! Decisions worth knowing:
//! - The sheet unit is chosen per document (any tab → ordinal cells; else display columns).
//! - A written 保険医氏名 counts as signed (text cannot show handwriting); a seal (印/㊞) too.
//! - Marks bind to the column whose header range holds them (columns/points) or by counting
//!   cells back from the drug cell, or from the block's Rp-number cell when a row leaves it
//!   empty (tabs); anything else is a `mark-ambiguous` note. A row
//!   holding only marks binds to the drug row right below it (columns/points only).
//! - A drug row is never dropped: it opens the 処方 block from anywhere (numbered, with an
//!   amount, or with its usage on the row), even after 以下余白 (which then no longer counts).
//! - Dates that do not exist, lie outside their era, have an unknown era, or come from a printed
//!   era list (明・大・昭・平・令) with no era marked stay null with a `date-invalid` note.
//! - [`render::synthetic`] makes random valid prescriptions (for round trips and benches).

pub mod cells;
pub mod few;
pub mod form;
pub mod header;
pub mod items;
pub mod lex;
pub mod marks;
pub mod render;
pub mod usage;
pub mod words;

use crate::model::Prescription;
use crate::sheet::Sheet;

pub use render::{RenderStyle, render};

/// Splits decoded text into a [`Sheet`] (tab cells, space-aligned columns or plain lines).
pub fn sheet_from_text(text: &str) -> Sheet {
    cells::sheet_from_text(text)
}

/// Reads one or more prescriptions from a sheet (text or PDF). Empty when nothing in it is a
/// prescription.
pub fn parse_sheet(sheet: &Sheet) -> Vec<Prescription> {
    form::parse_sheet(sheet)
}

/// [`sheet_from_text`] then [`parse_sheet`].
///
/// Same result as `parse_sheet(&sheet_from_text(text))`, but the lines and cells borrow from
/// the text instead of being copied into a [`Sheet`].
pub fn parse_text(text: &str) -> Vec<Prescription> {
    let split = cells::split_text(text);
    let lines: Vec<form::LineRef> = split
        .lines
        .iter()
        .map(|l| form::LineRef {
            line_no: l.line_no,
            raw: l.raw,
            cells: &split.cells[l.cells.clone()],
        })
        .collect();
    form::parse_lines(&lines, split.unit)
}

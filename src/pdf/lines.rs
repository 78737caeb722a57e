//! Glyphs → lines by baseline bands → cells by horizontal gaps → one [`Sheet`] per prescription.
//!
//! A prescription is a table: a row's cells are often drawn column by column, so the drawing
//! order says little. What the page says is geometry: glyphs of one printed row share a
//! baseline (within a tolerance, because a mark glyph in another font or size sits a little
//! higher or lower), and table cells are separated by gaps wider than the spacing inside a
//! cell. A gap wider than [`CELL_GAP_EM`] ems starts a new cell, so a 変更不可 mark column and
//! a 患者希望 mark column come out as cells of their own with their x extents.
//!
//! ```
//! use shohosen::pdf::glyphs::Glyph;
//! use shohosen::pdf::lines::sheets_from_glyphs;
//! let g = |x: f32, y: f32, t: &str| Glyph { page: 1, x, y, w: 10.0, size: 10.0, text: t.into() };
//! let glyphs = vec![g(100.0, 50.0, "錠"), g(90.0, 50.0, "A"), g(20.0, 51.5, "レ"), g(90.0, 70.0, "B")];
//! let sheets = sheets_from_glyphs(&glyphs);
//! assert_eq!(sheets[0].lines[0].raw, "レ\tA錠");
//! assert_eq!(sheets[0].lines[0].cells[0].x1, 30.0);
//! assert_eq!(sheets[0].lines[1].raw, "B");
//! ```

use super::glyphs::Glyph;
use crate::normalize::fold_radicals;
use crate::sheet::{Cell, Sheet, SheetLine, XUnit};

/// A gap between two glyphs wider than this many ems (of the larger glyph) starts a new cell.
/// An ideographic space drawn as a gap (no glyph) is 1 em, so the threshold sits above it.
pub const CELL_GAP_EM: f32 = 1.45;

/// Glyphs whose baselines differ by at most this many ems of the larger glyph share a line.
/// Rows of a form are at least ~1.2 em apart; a mark in a bigger font centred in its row sits
/// up to ~0.3 em off the text baseline.
pub const BAND_EM: f32 = 0.45;

/// Two glyphs with the same text this close (ems) are one glyph drawn twice (fake bold).
const DUPLICATE_EM: f32 = 0.15;

fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

/// The text of a glyph as printed, with the ToUnicode quirks of real producers undone:
/// Kangxi radicals to ideographs (Chromium writes 方 as U+2F45) and the em space Chromium
/// gives for the ideographic space back to U+3000. Nothing else is normalized.
fn glyph_text(s: &str) -> String {
    let s = fold_radicals(s);
    if s.contains('\u{2003}') {
        s.replace('\u{2003}', "\u{3000}")
    } else {
        s
    }
}

/// One baseline band of one page.
struct Band<'a> {
    page: u32,
    y: f32,
    size: f32,
    glyphs: Vec<&'a Glyph>,
}

/// Groups one page's glyphs into baseline bands, top to bottom.
fn bands<'a>(glyphs: &[&'a Glyph]) -> Vec<Band<'a>> {
    let mut sorted: Vec<&Glyph> = glyphs.to_vec();
    sorted.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut out: Vec<Band> = Vec::new();
    for g in sorted {
        let size = if g.size > 0.0 { g.size } else { 1.0 };
        if let Some(b) = out.last_mut() {
            // Blank glyphs never start a band (a trailing space at an odd height would
            // otherwise become a line of its own) but join the nearest one.
            let tol = BAND_EM * b.size.max(size);
            if g.y - b.y <= tol || (is_blank(&g.text) && g.y - b.y <= 2.0 * tol) {
                if !is_blank(&g.text) && size > b.size {
                    b.size = size;
                }
                b.glyphs.push(g);
                continue;
            }
        }
        if is_blank(&g.text) {
            continue;
        }
        out.push(Band {
            page: g.page,
            y: g.y,
            size,
            glyphs: vec![g],
        });
    }
    out
}

/// Splits a band into cells by gaps. Returns cells with raw text and x extents.
fn cells(band: &Band) -> Vec<Cell> {
    let mut gl: Vec<&Glyph> = band.glyphs.clone();
    gl.sort_by(|a, b| a.x.total_cmp(&b.x));
    let mut cells: Vec<Cell> = Vec::new();
    // Right edge and em of the last non-blank glyph of the current cell.
    let mut last: Option<(f32, f32, f32, &str)> = None; // (x0, x1, size, text)
    let mut pending_blank = String::new();
    for g in gl {
        let size = if g.size > 0.0 { g.size } else { band.size };
        if is_blank(&g.text) {
            if last.is_some() {
                pending_blank.push_str(&glyph_text(&g.text));
            }
            continue;
        }
        let x1 = g.x + g.w;
        match last {
            Some((lx0, lx1, lsize, ltext))
                if ltext == g.text && (g.x - lx0).abs() < DUPLICATE_EM * size =>
            {
                // Drawn twice: keep one.
                last = Some((lx0, lx1.max(x1), lsize, ltext));
                if let Some(c) = cells.last_mut() {
                    c.x1 = c.x1.max(x1);
                }
                pending_blank.clear();
            }
            Some((_, lx1, lsize, _)) if g.x - lx1 <= CELL_GAP_EM * lsize.max(size) => {
                let gap = g.x - lx1;
                if let Some(c) = cells.last_mut() {
                    if !pending_blank.is_empty() {
                        c.text.push_str(&pending_blank);
                    } else if gap > 0.75 * size {
                        // A full-width space drawn as a gap.
                        c.text.push('\u{3000}');
                    } else if gap > 0.2 * size {
                        c.text.push(' ');
                    }
                    c.text.push_str(&glyph_text(&g.text));
                    c.x1 = c.x1.max(x1);
                }
                last = Some((g.x, x1.max(lx1), size, &g.text));
                pending_blank.clear();
            }
            _ => {
                cells.push(Cell::new(glyph_text(&g.text), g.x, x1));
                last = Some((g.x, x1, size, &g.text));
                pending_blank.clear();
            }
        }
    }
    cells
}

/// True for a line that is a prescription's title (処方箋, 処 方 箋, 院外処方箋, 処方せん):
/// the marker where a second prescription in the same file begins.
pub fn is_title(cells: &[Cell]) -> bool {
    let joined: String = cells
        .iter()
        .flat_map(|c| c.text.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    let t = joined.trim_start_matches("院外");
    t == "処方箋" || t == "処方せん"
}

/// Lines of all pages in reading order (page, then top to bottom), cells left to right.
/// `line_no` is left 0: it is numbered per sheet.
pub fn lines_from_glyphs(glyphs: &[Glyph]) -> Vec<SheetLine> {
    let mut pages: Vec<u32> = glyphs.iter().map(|g| g.page).collect();
    pages.sort_unstable();
    pages.dedup();
    let mut out = Vec::new();
    for p in pages {
        let on_page: Vec<&Glyph> = glyphs.iter().filter(|g| g.page == p).collect();
        for band in bands(&on_page) {
            let cells = cells(&band);
            if cells.is_empty() {
                continue;
            }
            let raw = cells
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join("\t");
            out.push(SheetLine {
                line_no: 0,
                page: band.page,
                y: band.y,
                raw,
                cells,
            });
        }
    }
    out
}

/// Splits lines into prescriptions at each title line that follows content, and numbers the
/// lines of each sheet from 1. A multi-page prescription (no second title) stays one sheet.
pub fn split_sheets(lines: Vec<SheetLine>) -> Vec<Sheet> {
    let mut sheets: Vec<Sheet> = Vec::new();
    let mut cur: Vec<SheetLine> = Vec::new();
    for line in lines {
        if is_title(&line.cells) && cur.iter().any(|l| !is_title(&l.cells)) {
            sheets.push(Sheet {
                lines: std::mem::take(&mut cur),
                unit: XUnit::Points,
            });
        }
        cur.push(line);
    }
    if !cur.is_empty() {
        sheets.push(Sheet {
            lines: cur,
            unit: XUnit::Points,
        });
    }
    for s in &mut sheets {
        for (i, l) in s.lines.iter_mut().enumerate() {
            l.line_no = (i + 1) as u32;
        }
    }
    sheets
}

/// Glyphs → sheets (lines, cells, split per prescription).
pub fn sheets_from_glyphs(glyphs: &[Glyph]) -> Vec<Sheet> {
    split_sheets(lines_from_glyphs(glyphs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(x: f32, y: f32, size: f32, t: &str) -> Glyph {
        Glyph {
            page: 1,
            x,
            y,
            w: size,
            size,
            text: t.into(),
        }
    }

    #[test]
    fn mark_in_bigger_font_shares_the_drug_line() {
        // Drug text at baseline 100 (10 pt); mark 14 pt centred: baseline 102.
        let gl = vec![
            g(30.0, 102.0, 14.0, "レ"),
            g(120.0, 100.0, 10.0, "A"),
            g(130.0, 100.0, 10.0, "錠"),
            g(120.0, 115.0, 10.0, "B"),
        ];
        let lines = lines_from_glyphs(&gl);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].cells.len(), 2);
        assert_eq!(lines[0].cells[0].text, "レ");
        assert_eq!(lines[0].cells[1].text, "A錠");
    }

    #[test]
    fn ideographic_space_gap_stays_inside_the_cell() {
        let gl = vec![
            g(0.0, 10.0, 10.0, "山"),
            g(10.0, 10.0, 10.0, "田"),
            g(30.0, 10.0, 10.0, "太"),
            g(40.0, 10.0, 10.0, "郎"),
            g(80.0, 10.0, 10.0, "男"),
        ];
        let lines = lines_from_glyphs(&gl);
        assert_eq!(lines[0].raw, "山田\u{3000}太郎\t男");
    }

    #[test]
    fn double_drawn_glyph_kept_once() {
        let gl = vec![g(0.0, 10.0, 10.0, "処"), g(0.5, 10.0, 10.0, "処")];
        assert_eq!(lines_from_glyphs(&gl)[0].raw, "処");
    }

    #[test]
    fn second_title_starts_a_second_sheet() {
        let mut gl = vec![
            g(0.0, 10.0, 10.0, "処"),
            g(10.0, 10.0, 10.0, "方"),
            g(20.0, 10.0, 10.0, "箋"),
        ];
        gl.push(g(0.0, 30.0, 10.0, "A"));
        gl.push(g(0.0, 400.0, 10.0, "処"));
        gl.push(g(30.0, 400.0, 10.0, "方"));
        gl.push(g(60.0, 400.0, 10.0, "箋"));
        gl.push(g(0.0, 430.0, 10.0, "B"));
        let sheets = sheets_from_glyphs(&gl);
        assert_eq!(sheets.len(), 2);
        assert_eq!(sheets[1].lines[0].line_no, 1);
        assert_eq!(sheets[1].lines[1].raw, "B");
    }
}

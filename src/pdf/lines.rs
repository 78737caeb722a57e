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

use super::glyphs::{Glyph, Rule};
use crate::normalize::fold_radicals;
use crate::sheet::{Cell, Sheet, SheetLine, XUnit};

/// A gap between two glyphs wider than this many ems (of the larger glyph) starts a new cell.
/// An ideographic space drawn as a gap (no glyph) is 1 em, so the threshold sits above it.
pub const CELL_GAP_EM: f32 = 1.45;

/// A gap with no blank glyph in it wider than this many ems starts a new cell: producers draw
/// the spaces inside a text run as glyphs, and position table cells by moving the pen.
pub const BARE_GAP_EM: f32 = 0.6;

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
    // Undecodable code points left by the gate's tolerance become one visible marker.
    let s: String = fold_radicals(s)
        .chars()
        .map(|c| match c {
            c if super::gate::is_bad(c) => '\u{FFFD}',
            // Noto CJK's ToUnicode gives the katakana middle dot as the hyphenation point.
            '\u{2027}' => '・',
            c => c,
        })
        .collect();
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

/// True when a vertical rule separates x positions `a` < `b` at the height of a glyph
/// whose baseline is `y` (the rule must cross the glyph's middle).
fn rule_between(vrules: &[&Rule], a: f32, b: f32, y: f32, size: f32) -> bool {
    let mid = y - 0.35 * size;
    vrules
        .iter()
        .any(|r| r.pos > a && r.pos < b && r.from <= mid && r.to >= mid)
}

/// Splits a band into cells by gaps and by vertical table rules. Returns cells with raw text
/// and x extents.
fn cells(band: &Band, vrules: &[&Rule]) -> Vec<Cell> {
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
            Some((lx0, lx1, lsize, _))
                if g.x - lx1 <= CELL_GAP_EM * lsize.max(size)
                    && (!pending_blank.is_empty()
                        || g.x - lx1 <= BARE_GAP_EM * lsize.max(size))
                    && !rule_between(vrules, (lx0 + lx1) / 2.0, g.x + g.w / 2.0, band.y, size) =>
            {
                let gap = g.x - lx1;
                if let Some(c) = cells.last_mut() {
                    if !pending_blank.is_empty() {
                        c.text.push_str(&pending_blank);
                    } else if gap > 0.75 * size {
                        // A full-width space drawn as a gap.
                        c.text.push('\u{3000}');
                    } else if gap > 0.3 * size {
                        // (Below 0.3 em it is kerning or TeX's kanji/latin glue, not a space.)
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

/// The nearest vertical rules left of `x0` and right of `x1` crossing height `mid`.
fn column_of(vrules: &[&Rule], x0: f32, x1: f32, mid: f32) -> Option<(f32, f32)> {
    let crossing = || vrules.iter().filter(|r| r.from <= mid && r.to >= mid);
    let left = crossing()
        .filter(|r| r.pos <= x0 + 0.5)
        .map(|r| r.pos)
        .fold(None, |m: Option<f32>, p| Some(m.map_or(p, |m| m.max(p))))?;
    let right = crossing()
        .filter(|r| r.pos >= x1 - 0.5)
        .map(|r| r.pos)
        .fold(None, |m: Option<f32>, p| Some(m.map_or(p, |m| m.min(p))))?;
    Some((left, right))
}

/// Width of the first word of a cell (up to its first blank), estimated from its extent.
fn first_word_width(c: &Cell) -> f32 {
    let n = c.text.chars().count().max(1);
    let k = c.text.chars().take_while(|ch| !ch.is_whitespace()).count();
    (c.x1 - c.x0) * k as f32 / n as f32
}

/// Rows of a ruled table whose cell text wrapped: `next` continues `prev` when no horizontal
/// rule lies between them and each of its cells sits in a ruled column where `prev`'s cell
/// could not take its first word (that is why the producer wrapped). Separate lines inside one
/// big box (the 処方 block) do not qualify because their lines end short of the box edge.
fn continues(
    prev: &SheetLine,
    tail_y: f32,
    next: &SheetLine,
    size: f32,
    hrules: &[&Rule],
    vrules: &[&Rule],
) -> bool {
    // `tail_y`: baseline of the last band already joined to `prev` (a cell may wrap twice).
    if next.page != prev.page || next.y - tail_y > 1.8 * size || next.y <= tail_y {
        return false;
    }
    let minx = prev
        .cells
        .iter()
        .chain(&next.cells)
        .map(|c| c.x0)
        .fold(f32::MAX, f32::min);
    let maxx = prev
        .cells
        .iter()
        .chain(&next.cells)
        .map(|c| c.x1)
        .fold(f32::MIN, f32::max);
    let ruled_between = hrules.iter().any(|h| {
        h.pos > prev.y + 0.1 * size
            && h.pos < next.y - 0.6 * size
            && h.from < maxx - 1.0
            && h.to > minx + 1.0
    });
    if ruled_between {
        return false;
    }
    let mid = next.y - 0.35 * size;
    next.cells.iter().all(|c2| {
        let Some((l, r)) = column_of(vrules, c2.x0, c2.x1, mid) else {
            return false;
        };
        let Some(c1) = prev
            .cells
            .iter()
            .find(|c1| c1.x0 >= l - 0.5 && c1.x1 <= r + 0.5)
        else {
            return false;
        };
        // The continuation starts at the cell's left edge, or (centred text) the line above
        // fills the cell from edge to edge.
        let left_aligned = c2.x0 - l <= 1.5 * size;
        let full = c1.x0 - l <= 1.5 * size && c1.x1 >= r - 1.5 * size;
        (left_aligned || full) && c1.x1 + first_word_width(c2) > r - 1.2 * size
    })
}

/// True when a line starts like a new prescription item ("1)", "１）", "Rp", "【1】", "①"):
/// such a line never continues the line above.
fn starts_item(s: &str) -> bool {
    let t = s.trim_start();
    let mut it = t.chars();
    let Some(c) = it.next() else { return false };
    if ('①'..='⑳').contains(&c) || t.starts_with("Rp") || t.starts_with("Ｒｐ") {
        return true;
    }
    let digits = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
        .count();
    digits > 0 && matches!(t.chars().nth(digits), Some(')' | '）' | '.' | '．'))
        || (c == '【'
            && it
                .next()
                .is_some_and(|d| d.is_ascii_digit() || ('０'..='９').contains(&d)))
}

/// A text line wrapped at the right margin of an unruled layout: `next` is one cell starting
/// where `prev`'s last (or first) cell starts, and `prev` runs up to the text's right margin `right`.
fn wrapped_plain(
    prev: &SheetLine,
    tail_y: f32,
    next: &SheetLine,
    size: f32,
    right: f32,
    hrules: &[&Rule],
) -> bool {
    let (Some(last), [only]) = (prev.cells.last(), next.cells.as_slice()) else {
        return false;
    };
    next.page == prev.page
        && next.y > tail_y
        && next.y - tail_y <= 1.6 * size
        // Wrapped under its cell, or back to the line's left margin (tab-laid text).
        && ((only.x0 - last.x0).abs() <= 0.5 * size
            || prev.cells.first().is_some_and(|f| (only.x0 - f.x0).abs() <= 0.5 * size))
        && last.x1 >= right - 1.5 * size
        && !starts_item(&only.text)
        && !hrules.iter().any(|h| h.pos > prev.y && h.pos < next.y && h.from < last.x1 && h.to > last.x0)
}

/// Appends each cell of `next` to the cell of `prev` in the same ruled column.
fn merge_into(prev: &mut SheetLine, next: SheetLine, vrules: &[&Rule], size: f32) {
    let mid = next.y - 0.35 * size;
    for c2 in next.cells {
        if let Some((l, r)) = column_of(vrules, c2.x0, c2.x1, mid)
            && let Some(c1) = prev
                .cells
                .iter_mut()
                .find(|c1| c1.x0 >= l - 0.5 && c1.x1 <= r + 0.5)
        {
            c1.text.push_str(&c2.text);
            c1.x1 = c1.x1.max(c2.x1);
        }
    }
    prev.raw = prev
        .cells
        .iter()
        .map(|c| c.text.as_str())
        .collect::<Vec<_>>()
        .join("\t");
}

/// Lines of all pages in reading order (page, then top to bottom), cells left to right.
/// `line_no` is left 0: it is numbered per sheet.
pub fn lines_from_glyphs(glyphs: &[Glyph]) -> Vec<SheetLine> {
    lines_with_rules(glyphs, &[])
}

/// [`lines_from_glyphs`] with the page's table rules: vertical rules split cells whose gap is
/// narrow, horizontal rules tell a wrapped cell's continuation from a new row.
pub fn lines_with_rules(glyphs: &[Glyph], rules: &[Rule]) -> Vec<SheetLine> {
    let mut pages: Vec<u32> = glyphs.iter().map(|g| g.page).collect();
    pages.sort_unstable();
    pages.dedup();
    let mut out = Vec::new();
    for p in pages {
        let on_page: Vec<&Glyph> = glyphs.iter().filter(|g| g.page == p).collect();
        let vrules: Vec<&Rule> = rules
            .iter()
            .filter(|r| r.page == p && !r.horizontal)
            .collect();
        let hrules: Vec<&Rule> = rules
            .iter()
            .filter(|r| r.page == p && r.horizontal)
            .collect();
        let mut prev_size = 0.0f32;
        let mut tail_y = 0.0f32;
        let right = on_page
            .iter()
            .filter(|g| !is_blank(&g.text))
            .map(|g| g.x + g.w)
            .fold(f32::MIN, f32::max);
        for band in bands(&on_page) {
            let cells = cells(&band, &vrules);
            if cells.is_empty() {
                continue;
            }
            let raw = cells
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join("\t");
            let line = SheetLine {
                line_no: 0,
                page: band.page,
                y: band.y,
                raw,
                cells,
            };
            if let Some(prev) = out.last_mut()
                && !vrules.is_empty()
                && continues(
                    prev,
                    tail_y,
                    &line,
                    band.size.max(prev_size),
                    &hrules,
                    &vrules,
                )
            {
                tail_y = line.y;
                merge_into(prev, line, &vrules, band.size);
                continue;
            }
            if let Some(prev) = out.last_mut()
                && wrapped_plain(
                    prev,
                    tail_y,
                    &line,
                    band.size.max(prev_size),
                    right,
                    &hrules,
                )
            {
                tail_y = line.y;
                if let (Some(c1), Some(c2)) = (prev.cells.last_mut(), line.cells.into_iter().next())
                {
                    c1.text.push_str(&c2.text);
                    c1.x1 = c1.x1.max(c2.x1);
                }
                prev.raw = prev
                    .cells
                    .iter()
                    .map(|c| c.text.as_str())
                    .collect::<Vec<_>>()
                    .join("\t");
                continue;
            }
            prev_size = band.size;
            tail_y = band.y;
            out.push(line);
        }
    }
    out
}

/// Labels of the patient/insurance header block that every prescription carries once.
const HEADER_LABELS: [&str; 4] = ["氏名", "保険者番号", "交付年月日", "生年月日"];

/// True when a header label appears within the first lines after `start`: the title there
/// opens a new prescription, not a continuation page that repeats the title.
fn opens_prescription(lines: &[SheetLine], start: usize) -> bool {
    lines
        .iter()
        .skip(start + 1)
        .take(15)
        .take_while(|l| !is_title(&l.cells))
        .any(|l| {
            l.cells.iter().any(|c| {
                let t: String = c.text.chars().filter(|ch| !ch.is_whitespace()).collect();
                HEADER_LABELS.iter().any(|h| t.starts_with(h))
            })
        })
}

/// Splits lines into prescriptions at each title line (処方箋) that follows content and opens
/// a new header block, and numbers the lines of each sheet from 1. A multi-page prescription
/// (no second title, or a title repeated on a continuation page without a new patient block)
/// stays one sheet.
pub fn split_sheets(lines: Vec<SheetLine>) -> Vec<Sheet> {
    let starts: Vec<bool> = (0..lines.len())
        .map(|i| is_title(&lines[i].cells) && opens_prescription(&lines, i))
        .collect();
    let mut sheets: Vec<Sheet> = Vec::new();
    let mut cur: Vec<SheetLine> = Vec::new();
    for (line, start) in lines.into_iter().zip(starts) {
        if start && cur.iter().any(|l| !is_title(&l.cells)) {
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

/// Glyphs and table rules → sheets.
pub fn sheets_with_rules(glyphs: &[Glyph], rules: &[Rule]) -> Vec<Sheet> {
    split_sheets(lines_with_rules(glyphs, rules))
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
            g(120.0, 100.0, 10.0, "1"),
            g(130.0, 100.0, 10.0, ")"),
            g(140.0, 100.0, 10.0, "錠"),
            g(120.0, 115.0, 10.0, "2"),
            g(130.0, 115.0, 10.0, ")"),
        ];
        let lines = lines_from_glyphs(&gl);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].cells.len(), 2);
        assert_eq!(lines[0].cells[0].text, "レ");
        assert_eq!(lines[0].cells[1].text, "1)錠");
    }

    #[test]
    fn drawn_ideographic_space_stays_inside_the_cell_a_bare_gap_splits() {
        let gl = vec![
            g(0.0, 10.0, 10.0, "山"),
            g(10.0, 10.0, 10.0, "田"),
            g(20.0, 10.0, 10.0, "\u{3000}"),
            g(30.0, 10.0, 10.0, "太"),
            g(40.0, 10.0, 10.0, "郎"),
            g(80.0, 10.0, 10.0, "男"),
            g(0.0, 30.0, 10.0, "氏"),
            g(10.0, 30.0, 10.0, "名"),
            g(27.0, 30.0, 10.0, "山"),
        ];
        let lines = lines_from_glyphs(&gl);
        assert_eq!(lines[0].raw, "山田\u{3000}太郎\t男");
        // 0.7 em of nothing between two words: a cell boundary, not a space.
        assert_eq!(lines[1].raw, "氏名\t山");
    }

    #[test]
    fn wrapped_cell_in_a_ruled_table_rejoins_its_row() {
        let rule = |horizontal: bool, pos: f32, from: f32, to: f32| Rule {
            page: 1,
            horizontal,
            pos,
            from,
            to,
        };
        // Two columns ruled at x = 0, 45, 200; row between y = 0 and y = 40.
        let rules = vec![
            rule(true, 0.0, 0.0, 200.0),
            rule(true, 40.0, 0.0, 200.0),
            rule(false, 0.0, 0.0, 40.0),
            rule(false, 45.0, 0.0, 40.0),
            rule(false, 200.0, 0.0, 40.0),
        ];
        // 公費負 fills the first column; 担 wrapped to the next line under it.
        let gl = vec![
            g(2.0, 15.0, 10.0, "公"),
            g(12.0, 15.0, 10.0, "費"),
            g(22.0, 15.0, 10.0, "負"),
            g(48.0, 15.0, 10.0, "山"),
            g(58.0, 15.0, 10.0, "田"),
            g(2.0, 28.0, 10.0, "担"),
        ];
        let lines = lines_with_rules(&gl, &rules);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert_eq!(lines[0].raw, "公費負担\t山田");
        // A horizontal rule between the two baselines makes them two rows.
        let mut split = rules.clone();
        split.push(rule(true, 18.0, 0.0, 200.0));
        assert_eq!(lines_with_rules(&gl, &split).len(), 2);
    }

    #[test]
    fn double_drawn_glyph_kept_once() {
        let gl = vec![g(0.0, 10.0, 10.0, "処"), g(0.5, 10.0, 10.0, "処")];
        assert_eq!(lines_from_glyphs(&gl)[0].raw, "処");
    }

    #[test]
    fn second_title_starts_a_second_sheet_a_repeated_title_does_not() {
        let word = |x: f32, y: f32, t: &str| -> Vec<Glyph> {
            t.chars()
                .enumerate()
                .map(|(i, c)| g(x + 10.0 * i as f32, y, 10.0, &c.to_string()))
                .collect()
        };
        let on_page = |page: u32, mut v: Vec<Glyph>| {
            for x in &mut v {
                x.page = page;
            }
            v
        };
        let mut gl = word(0.0, 10.0, "処方箋");
        gl.extend(word(0.0, 30.0, "氏名"));
        gl.extend(word(0.0, 50.0, "A"));
        // Page 2 of the same prescription repeats the title, with no patient block.
        gl.extend(on_page(
            2,
            [word(0.0, 10.0, "処方箋"), word(0.0, 30.0, "B")].concat(),
        ));
        // Page 3: a new prescription (title + 氏名).
        let p3 = [
            word(0.0, 10.0, "処方箋"),
            word(0.0, 30.0, "氏名"),
            word(0.0, 50.0, "C"),
        ];
        gl.extend(on_page(3, p3.concat()));
        let sheets = sheets_from_glyphs(&gl);
        assert_eq!(sheets.len(), 2);
        assert!(sheets[0].lines.iter().any(|l| l.raw == "B"));
        assert_eq!(sheets[1].lines[0].line_no, 1);
        assert_eq!(sheets[1].lines[2].raw, "C");
    }
}

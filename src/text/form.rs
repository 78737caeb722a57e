//! The form parser: walks the lines of a [`Sheet`], reads the header, finds the mark columns
//! (which also tell the layout), and reads the 処方 block into groups and items.

use super::header::{self, HeaderState};
use super::items::{self, DrugLine, Other};
use super::lex::TrimWs;
use super::lex::{self, AmountTok};
use super::marks::{self, MarkKind};
use super::usage::{self, UsageFacts};
use crate::model::{
    Amount, Basis, Category, Flags, Item, Layout, Prescription, Quantity, ReadNote,
};
use crate::normalize::display_width;
use crate::sheet::{Sheet, XUnit};

/// A character of each mark-column label: 更 of 変更不可, 希 of 患者希望, 必 of 医療上必要.
/// Header lines above the labels rarely hold these (保険医… holds 医, not 必).
const COLUMN_LABEL_CHARS: lex::Kanji3 = lex::Kanji3::new(['更', '希', '必']);

/// A cell as the form parser reads it: borrowed from a [`Sheet`] or straight from the text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellRef<'a> {
    pub text: &'a str,
    pub x0: f32,
    pub x1: f32,
}

/// A line as the form parser reads it (see [`CellRef`]).
#[derive(Debug, Clone, Copy)]
pub struct LineRef<'a> {
    /// 1-based line number in the text.
    pub line_no: u32,
    /// The whole line as printed.
    pub raw: &'a str,
    pub cells: &'a [CellRef<'a>],
}

/// Per-line buffers kept across the lines of one parse (one allocation each, not one per line).
#[derive(Default)]
struct Scratch<'a> {
    /// The line's cells in reading order, with their index in that order.
    cells: Vec<(usize, &'a CellRef<'a>)>,
    /// The cells joined by tabs.
    joined: String,
    /// The header labels found on the line.
    hits: Vec<header::Hit>,
}

/// A mark column found in the column-header row.
#[derive(Debug, Clone, Copy)]
struct Col {
    kind: MarkKind,
    x0: f32,
    x1: f32,
}

#[derive(Debug, Default)]
struct Pending {
    line: u32,
    source: String,
    dl: DrugLine,
    marks: Flags,
}

#[derive(Debug, Default)]
struct Group {
    rp: u32,
    items: Vec<Pending>,
    /// The group's usage lines joined by spaces (only ever read joined).
    usage_text: String,
    usage: UsageFacts,
    has_usage: bool,
    flags: Flags,
    comments: Vec<String>,
    extra_amount: Option<AmountTok>,
}

struct Builder {
    unit: XUnit,
    p: Prescription,
    hs: HeaderState,
    cols: Vec<Col>,
    /// Tab rows: the cell that held an Rp number on its own (`\t\tRp1\tA錠…`) in a drug
    /// row of this block. A later row whose Rp cell is left empty (a group's second drug)
    /// has its marks counted back from that cell, not from the drug text.
    rp_cell: Option<usize>,
    in_block: bool,
    closed: bool,
    groups: Vec<Group>,
    last_rp: u32,
    /// Items read so far (kept as a count so that every line stays O(1) here).
    n_items: usize,
    /// A row that held only marks (PDF bands may split a row): bound to the drug row right
    /// below it, or reported.
    carried: Option<Carried>,
    /// Column marks of geometry sheets, bound once the whole block is known (see
    /// [`bind_geometry`]: one row alone cannot tell a shifted column from its neighbour).
    deferred: Vec<Deferred>,
    /// Drug-line readings of the current line, by (text, group context). One row is tried as
    /// a drug line from several places (does it open the block, is a mark glued to it, the
    /// row itself) and reading one is the costliest step of a line, so each text is read once.
    memo: Vec<(String, bool, Option<DrugLine>)>,
    /// False when the current line holds none of 不/希/必, so that no text read from it can
    /// hold an inline annotation (the drug-line and other-line readers then skip the search).
    annotations: bool,
}

/// A column mark of a positioned sheet waiting for [`bind_geometry`].
#[derive(Debug)]
struct Deferred {
    /// 0-based index of the item it belongs to.
    item: usize,
    x0: f32,
    x1: f32,
    detail: String,
    line: u32,
}

/// Marks of a mark-only row waiting for the next drug row.
#[derive(Debug)]
struct Carried {
    line_no: u32,
    raw: String,
    marks: Vec<(usize, f32, f32, String)>,
}

impl Builder {
    fn new(unit: XUnit) -> Self {
        Builder {
            unit,
            p: Prescription::default(),
            hs: HeaderState::default(),
            cols: Vec::new(),
            rp_cell: None,
            in_block: false,
            closed: false,
            groups: Vec::new(),
            last_rp: 0,
            n_items: 0,
            carried: None,
            deferred: Vec::new(),
            memo: Vec::new(),
            annotations: true,
        }
    }

    /// [`items::drug_line`] of `text`, read once per line (see `memo`).
    fn drug(&mut self, text: &str, ctx: bool) -> Option<&DrugLine> {
        let at = match self
            .memo
            .iter()
            .position(|(t, c, _)| *c == ctx && t == text)
        {
            Some(at) => at,
            None => {
                let d = items::drug_line_gated(text, ctx, self.annotations);
                self.memo.push((text.to_string(), ctx, d));
                self.memo.len() - 1
            }
        };
        self.memo[at].2.as_ref()
    }

    /// Like [`Builder::drug`], handing the reading over (the row's final use of it).
    fn take_drug(&mut self, text: &str, ctx: bool) -> Option<DrugLine> {
        match self
            .memo
            .iter()
            .position(|(t, c, _)| *c == ctx && t == text)
        {
            Some(at) => self.memo.swap_remove(at).2,
            None => items::drug_line_gated(text, ctx, self.annotations),
        }
    }

    fn has_items(&self) -> bool {
        self.n_items > 0
    }

    fn note(&mut self, rule: &str, detail: String, line: u32) {
        self.p.notes.push(ReadNote {
            rule: rule.into(),
            detail,
            item: None,
            line: Some(line),
        });
    }

    fn line<'a>(
        &mut self,
        l: &'a LineRef<'a>,
        scratch: &mut Scratch<'a>,
        out: &mut Vec<Prescription>,
    ) {
        self.memo.clear();
        // Geometry units need cells left to right (a PDF extractor may emit them in drawing
        // order); tab cells keep their order, which is their meaning.
        let cells = &mut scratch.cells;
        cells.clear();
        cells.extend(l.cells.iter().map(|c| (0, c)));
        if self.unit != XUnit::Ordinal {
            cells.sort_by(|a, b| a.1.x0.total_cmp(&b.1.x0));
        }
        for (k, c) in cells.iter_mut().enumerate() {
            c.0 = k;
        }
        let cells: &[(usize, &CellRef)] = cells;
        let joined = &mut scratch.joined;
        joined.clear();
        for (k, (_, c)) in cells.iter().enumerate() {
            if k > 0 {
                joined.push('\t');
            }
            joined.push_str(c.text);
        }
        let folded = lex::fold_line_cow(joined);
        // Whitespace-free comparisons without building the compact text for every line.
        if folded.trim_ws().is_empty() {
            return;
        }
        // Both titles start with 処: other lines are ruled out by their first character.
        if folded.trim_ws_start().starts_with('処')
            && (compact_eq(&folded, "処方箋") || compact_eq(&folded, "処方せん"))
        {
            if self.has_items() {
                let done = std::mem::replace(self, Builder::new(self.unit));
                done.finish(out);
            }
            return;
        }
        // The folded line is the folded cells joined by tabs (NFKC keeps tabs), so the cells
        // are folded once per line.
        // A one-cell line without a tab is its own only cell (no splitting to set up).
        let one: [&str; 1];
        let split_cells;
        let split: &[&str] = if cells.len() == 1 && !folded.as_bytes().contains(&b'\t') {
            one = [&folded];
            &one
        } else {
            split_cells = super::few::Few::<8>::new(lex::tab_fields(&folded));
            split_cells.as_slice()
        };
        let refolded: Vec<String>;
        let refolded_refs: Vec<&str>;
        let fcells: &[&str] = if split.len() == cells.len() {
            // Every text read from this line is built from its folded cells: one look for
            // the annotation characters serves them all.
            self.annotations = lex::ANNOTATION_CHARS.any_in(&folded);
            split
        } else {
            self.annotations = true;
            refolded = cells.iter().map(|(_, c)| lex::fold_line(c.text)).collect();
            refolded_refs = refolded.iter().map(String::as_str).collect();
            &refolded_refs
        };
        if !self.has_items()
            && COLUMN_LABEL_CHARS.any_in(&folded)
            && let compact = lex::compact(&folded)
            && (compact.contains("変更不可")
                || compact.contains("患者希望")
                || compact.contains("医療上必要"))
            && self.column_header(cells, fcells)
        {
            // The header row opens the 処方 block.
            self.in_block = true;
            return;
        }
        // A line that starts with a header label is a header line (and ends the block).
        // Inside the block only a line that starts with a label matters, so the full label
        // search runs only when the first character can begin one.
        let hits = &mut scratch.hits;
        if self.in_block && !header::may_start_label(&folded) {
            hits.clear();
        } else {
            header::find_labels_into(&folded, hits);
        }
        let hits: &[header::Hit] = hits;
        let starts_with_label = hits
            .first()
            .is_some_and(|h| folded[..h.start].trim_ws().is_empty())
            && !(self.in_block && self.numbered_drug(&folded));
        if starts_with_label || (!self.in_block && !hits.is_empty()) {
            if self.in_block && self.has_items() {
                self.in_block = false;
                self.closed = true;
            }
            header::read_line_with(&folded, hits, l.line_no, &mut self.p, &mut self.hs);
            return;
        }
        if !self.in_block {
            // Outside the block a drug row still opens it: numbered, with an amount, or with
            // its usage on the row (a drug line is never dropped, even after 以下余白).
            if self.closed {
                if self.opens(fcells) {
                    self.in_block = true;
                    self.closed = false;
                    self.p.list_closed = false;
                } else {
                    header::read_line_with(&folded, &[], l.line_no, &mut self.p, &mut self.hs);
                    return;
                }
            } else if matches!(
                items::classify_other_gated(&folded, self.annotations),
                Other::Open
            ) {
                self.in_block = true;
                return;
            } else if self.opens(fcells) {
                self.in_block = true;
            } else {
                header::read_line_with(&folded, &[], l.line_no, &mut self.p, &mut self.hs);
                return;
            }
        }
        self.block_line(l, cells, fcells, &folded);
    }

    /// A line that starts with an Rp number and reads as a drug line.
    fn numbered_drug(&mut self, folded: &str) -> bool {
        let t = folded.trim_ws_start();
        lex::rp_prefix(t).is_some_and(|(n, _)| n.is_some()) && self.drug(t, false).is_some()
    }

    /// Outside the block a drug row still opens it: numbered, with an amount, or with its
    /// usage on the row (a drug line is never dropped, even after 以下余白).
    fn opens(&mut self, fcells: &[&str]) -> bool {
        let t = row_drug_text(fcells);
        let numbered = lex::rp_prefix(&t).is_some_and(|(n, _)| n.is_some());
        self.drug(&t, false)
            .is_some_and(|d| numbered || d.amount.is_some() || d.usage.any())
    }

    /// Detects the row of column labels (変更不可（医療上必要） / 患者希望 / 変更不可).
    fn column_header(&mut self, cells: &[(usize, &CellRef)], fcells: &[&str]) -> bool {
        let mut cols = Vec::new();
        let mut medical = false;
        let mut medical_at = None;
        let mut words: Vec<(CellRef, String)> = Vec::new();
        for ((_, c), whole) in cells.iter().zip(fcells) {
            let t = lex::compact(whole);
            // A row with a mark, an Rp number or a drug amount is a drug row, not the header.
            if marks::mark_cell(whole).is_some()
                || marks::leading_mark(whole).0
                || lex::rp_prefix(whole).is_some_and(|(n, _)| n.is_some())
                || t.starts_with("Rp")
                // An amount token starts with a digit: a cell without one (every label of
                // the header row) is not read as a drug line at all.
                || (whole.bytes().any(|b| b.is_ascii_digit())
                    && self.drug(whole, false).is_some_and(|d| d.amount.is_some()))
            {
                return false;
            }
            if is_column_label(&t) {
                words.push((**c, t));
            } else {
                words.extend(self.words(c).into_iter().map(|w| {
                    let t = lex::compact(&lex::fold_line(w.text));
                    (w, t)
                }));
            }
        }
        // A header wrapped onto two rows prints 患者 over 希望: 患者 beside a 変更不可 label is
        // the 患者希望 column (its second row widens it, below).
        let has_nosub = words
            .iter()
            .any(|(_, t)| t.starts_with("変更不可") && t.chars().count() <= 12);
        for (c, t) in &words {
            let t = t.as_str();
            if t.starts_with("変更不可") && t.chars().count() <= 12 {
                if t.contains("医療上必要") {
                    medical = true;
                }
                cols.push(Col {
                    kind: MarkKind::NoSubstitution,
                    x0: c.x0,
                    x1: c.x1,
                });
            } else if t == "患者希望" || (t == "患者" && has_nosub) {
                cols.push(Col {
                    kind: MarkKind::PatientWish,
                    x0: c.x0,
                    x1: c.x1,
                });
            } else if t == "(医療上必要)" || t == "医療上必要" {
                medical = true;
                medical_at = Some((c.x0, c.x1));
                if let Some(nc) = cols
                    .iter_mut()
                    .rev()
                    .find(|c| c.kind == MarkKind::NoSubstitution)
                {
                    nc.x0 = nc.x0.min(c.x0);
                    nc.x1 = nc.x1.max(c.x1);
                }
            }
        }
        if cols.is_empty() {
            // `（医療上必要）` printed on its own row under 変更不可 (PDF), or the 希望 of a
            // wrapped 患者/希望: still the header, and their extents widen those columns.
            let mut widen = |kind: MarkKind, x0: f32, x1: f32| match self
                .cols
                .iter_mut()
                .rev()
                .find(|c| c.kind == kind)
            {
                Some(col) => {
                    col.x0 = col.x0.min(x0);
                    col.x1 = col.x1.max(x1);
                    true
                }
                None => false,
            };
            let mut continued = false;
            if let (true, Some((x0, x1))) = (medical, medical_at) {
                continued |= widen(MarkKind::NoSubstitution, x0, x1);
            }
            for (c, t) in &words {
                if t == "希望" {
                    continued |= widen(MarkKind::PatientWish, c.x0, c.x1);
                }
            }
            if continued && medical {
                self.p.layout = Layout::New;
            }
            return continued;
        }
        let wish = cols.iter().any(|c| c.kind == MarkKind::PatientWish);
        self.p.layout = if wish || medical {
            Layout::New
        } else {
            Layout::Old
        };
        self.cols = cols;
        true
    }

    fn block_line(
        &mut self,
        l: &LineRef<'_>,
        cells: &[(usize, &CellRef)],
        fcells: &[&str],
        folded: &str,
    ) {
        // The drug cell: the first cell that is not empty, a vertical label or a mark.
        let mut pre: Vec<(usize, f32, f32, String)> = Vec::new();
        let mut drug_at = None;
        for (i, ((k, c), f)) in cells.iter().zip(fcells).enumerate() {
            if is_blank_or_vertical_label(f) {
                continue;
            }
            // An unreadable glyph in the mark column is kept with the marks (and reported
            // below) when drug text follows it, instead of being read as the drug's name.
            if marks::mark_cell(f).is_some()
                || (marks::is_unreadable_mark(f)
                    && fcells[i + 1..]
                        .iter()
                        .any(|f| !is_blank_or_vertical_label(f)))
            {
                pre.push((*k, c.x0, c.x1, f.to_string()));
                continue;
            }
            // A vertical 処/方 label printed one space before the mark (`処 レ 医療上必要`):
            // the label is skipped, the rest is the mark; in display columns its extent
            // starts after the label.
            if let Some((label, mark)) = vertical_label_prefix(f)
                && marks::mark_cell(mark).is_some()
            {
                let x0 = match self.unit {
                    XUnit::Columns => c.x0 + display_width(label) as f32,
                    _ => c.x0,
                };
                pre.push((*k, x0, c.x1, mark.to_string()));
                continue;
            }
            drug_at = Some(*k);
            break;
        }
        // Marks carried from the row above bind only to this very row.
        let carried = match self.carried.take() {
            Some(c) if c.line_no + 1 == l.line_no && drug_at.is_some() => Some(c),
            Some(c) => {
                self.flush_carried(c);
                None
            }
            None => None,
        };
        let Some(d) = drug_at else {
            if !pre.is_empty() {
                if self.unit == XUnit::Ordinal {
                    self.note(
                        "mark-ambiguous",
                        format!("印だけの行: {}", l.raw.trim_ws()),
                        l.line_no,
                    );
                } else {
                    self.carried = Some(Carried {
                        line_no: l.line_no,
                        raw: l.raw.trim_ws().to_string(),
                        marks: pre,
                    });
                }
            }
            return;
        };
        // The cells from the drug cell on, joined by two spaces (empty cells count too, as in
        // a join). A row whose drug cell is its last cell (most tab rows) borrows that cell.
        let from_drug = cells
            .iter()
            .zip(fcells)
            .filter(|((k, _), _)| *k >= d)
            .map(|(_, f)| *f);
        let mut probe = from_drug.clone();
        let f0: std::borrow::Cow<'_, str> = match (probe.next(), probe.next()) {
            (Some(only), None) => std::borrow::Cow::Borrowed(only),
            _ => {
                let mut f0 = String::with_capacity(folded.len() + 2 * fcells.len());
                for (i, f) in from_drug.enumerate() {
                    if i > 0 {
                        f0.push_str("  ");
                    }
                    f0.push_str(f);
                }
                std::borrow::Cow::Owned(f0)
            }
        };
        let drug_cell = cells.iter().find(|(k, _)| *k == d).map(|(_, c)| *c);
        // A mark glyph glued to the drug text by one space (`レ 2) ジスロマック…`).
        let (m, after) = marks::leading_mark(&f0);
        let after_at = f0.len() - after.len();
        let mut glued_mark = None;
        if m && let Some(c) = drug_cell
            && self.drug(after, true).is_some()
        {
            glued_mark = Some((d, c.x0, c.x0 + 1.0, f0[..after_at].to_string()));
        }
        // The text read as the drug line: after a glued mark, and after a vertical 処/方 label
        // glued to the row by one space (`処 1) A錠…`); a slice of the joined text.
        let mut text: &str = if glued_mark.is_some() {
            &f0[after_at..]
        } else {
            &f0
        };
        for v in ["処方 ", "処 ", "方 "] {
            if let Some(r) = text.strip_prefix(v)
                && lex::rp_prefix(r).is_some_and(|(n, _)| n.is_some())
            {
                text = r;
                break;
            }
        }
        let group_ctx = !pre.is_empty() || glued_mark.is_some();
        if let Some(dl) = self.take_drug(text, group_ctx) {
            let mut flags = Flags::default();
            // Tab rows count marks back from the block's Rp-number cell when only empty cells
            // (that cell, left blank) lie between it and the drug text.
            if self.unit == XUnit::Ordinal
                && fcells.get(d).is_some_and(|f| {
                    // An Rp number alone is short: most drug cells are ruled out by length.
                    f.len() <= 12
                        && lex::rp_prefix(f).is_some_and(|(n, rest)| n.is_some() && rest.is_empty())
                })
            {
                self.rp_cell = Some(d);
            }
            let anchor = match self.rp_cell {
                Some(r)
                    if r < d
                        && pre.iter().all(|(k, ..)| *k < r)
                        && cells
                            .iter()
                            .zip(fcells)
                            .all(|((j, _), f)| *j < r || *j >= d || f.trim_ws().is_empty()) =>
                {
                    r
                }
                _ => d,
            };
            let mut all_pre = pre;
            if let Some(g) = glued_mark {
                all_pre.push(g);
            }
            if let Some(c) = carried {
                // Geometry units only (see above): the offset is not used for them.
                all_pre.extend(c.marks.into_iter().map(|(_, x0, x1, f)| (d, x0, x1, f)));
            }
            for (k, x0, x1, f) in all_pre {
                let Some(af) = marks::mark_cell(&f) else {
                    // An unreadable mark (see above): reported, bound to no column.
                    let item = self.n_items as u32 + 1;
                    self.p.notes.push(ReadNote {
                        rule: "mark-ambiguous".into(),
                        detail: format!("読めない印: {}", mark_detail(&f, l.raw)),
                        item: Some(item),
                        line: Some(l.line_no),
                    });
                    continue;
                };
                marks::apply(
                    &mut flags,
                    marks::Effect {
                        no_substitution: af.no_substitution,
                        medical_need: af.medical_need_written,
                        patient_wish: af.patient_wish,
                        no_form: af.no_form_change,
                        no_strength: af.no_strength_change,
                    },
                );
                // Ordinal offset: 1 = the cell right before the drug cell.
                // A mark glued inside the drug cell of a tab row has no column of its own:
                // it can only be bound when there is a single mark column.
                let offset = match (k == d, self.cols.len()) {
                    (true, 1) => 1,
                    (true, _) => 0,
                    (false, _) => anchor.saturating_sub(k),
                };
                if self.unit != XUnit::Ordinal && !self.cols.is_empty() {
                    self.deferred.push(Deferred {
                        item: self.n_items,
                        x0,
                        x1,
                        detail: mark_detail(&f, l.raw),
                        line: l.line_no,
                    });
                    continue;
                }
                match self.bind(offset, x0, x1) {
                    Some(kind) => marks::apply_mark(&mut flags, kind),
                    None => {
                        let item = self.n_items as u32 + 1;
                        self.p.notes.push(ReadNote {
                            rule: "mark-ambiguous".into(),
                            detail: mark_detail(&f, l.raw),
                            item: Some(item),
                            line: Some(l.line_no),
                        });
                    }
                }
            }
            self.add_drug(l, dl, flags);
            return;
        }
        if !pre.is_empty() {
            self.note(
                "mark-ambiguous",
                format!("薬品行でない行の印: {}", l.raw.trim_ws()),
                l.line_no,
            );
        }
        if let Some(c) = carried {
            self.flush_carried(c);
        }
        self.other(l, folded);
    }

    /// A header cell split into its space-separated words, each with its own extent
    /// (`変更不可（医療上必要） 患者希望` printed with single spaces is two labels).
    fn words<'a>(&self, c: &CellRef<'a>) -> Vec<CellRef<'a>> {
        let parts: Vec<&str> = c
            .text
            .split([' ', '\u{3000}'])
            .filter(|w| !w.is_empty())
            .collect();
        if parts.len() <= 1 || self.unit == XUnit::Ordinal {
            return vec![*c];
        }
        let total_chars = c.text.chars().count().max(1) as f32;
        let mut out = Vec::new();
        let mut search = 0;
        for w in parts {
            let Some(off) = c.text[search..].find(w).map(|o| o + search) else {
                continue;
            };
            search = off + w.len();
            let (x0, x1) = match self.unit {
                XUnit::Columns => {
                    let a = c.x0 + display_width(&c.text[..off]) as f32;
                    (a, a + display_width(w) as f32)
                }
                _ => {
                    let per = (c.x1 - c.x0) / total_chars;
                    let a = c.x0 + per * c.text[..off].chars().count() as f32;
                    (a, a + per * w.chars().count() as f32)
                }
            };
            out.push(CellRef { text: w, x0, x1 });
        }
        out
    }

    /// The column a mark belongs to, or None when it fits none or several.
    fn bind(&self, offset: usize, x0: f32, x1: f32) -> Option<MarkKind> {
        if self.cols.is_empty() {
            return None;
        }
        match self.unit {
            XUnit::Ordinal => {
                let n = self.cols.len();
                if offset == 0 || offset > n {
                    return None;
                }
                Some(self.cols[n - offset].kind)
            }
            XUnit::Columns | XUnit::Points => contain(&self.cols, self.unit, x0, x1),
        }
    }

    /// Binds the deferred geometry marks of the block and applies them to their items;
    /// a mark that binds to no single column becomes a `mark-ambiguous` note.
    fn bind_deferred(&mut self) {
        if self.deferred.is_empty() {
            return;
        }
        let deferred = std::mem::take(&mut self.deferred);
        let spans: Vec<(f32, f32)> = deferred.iter().map(|d| (d.x0, d.x1)).collect();
        let kinds = bind_geometry(&self.cols, self.unit, &spans);
        let mut pending: Vec<&mut Pending> = self
            .groups
            .iter_mut()
            .flat_map(|g| g.items.iter_mut())
            .collect();
        let mut notes = Vec::new();
        for (d, kind) in deferred.into_iter().zip(kinds) {
            match (kind, pending.get_mut(d.item)) {
                (Some(k), Some(p)) => marks::apply_mark(&mut p.marks, k),
                _ => notes.push(ReadNote {
                    rule: "mark-ambiguous".into(),
                    detail: d.detail,
                    item: Some(d.item as u32 + 1),
                    line: Some(d.line),
                }),
            }
        }
        self.p.notes.extend(notes);
    }

    fn add_drug(&mut self, l: &LineRef<'_>, dl: DrugLine, marks: Flags) {
        let new_group = match (dl.rp, self.groups.last()) {
            (Some(_), _) => true,
            (None, Some(g)) => g.has_usage,
            (None, None) => true,
        };
        if new_group {
            let rp = dl.rp.unwrap_or(self.last_rp.saturating_add(1));
            self.last_rp = rp;
            self.groups.push(Group {
                rp,
                ..Group::default()
            });
        }
        let inline_usage = dl.usage.any();
        let g = self.groups.last_mut().expect("a group was just ensured");
        if inline_usage {
            g.has_usage = true;
        }
        g.items.push(Pending {
            line: l.line_no,
            source: l.raw.trim_ws().to_string(),
            dl,
            marks,
        });
        self.n_items += 1;
    }

    fn other(&mut self, l: &LineRef<'_>, folded: &str) {
        match items::classify_other_gated(folded, self.annotations) {
            Other::Usage(text, f) => match self.groups.last_mut() {
                Some(g) => {
                    // `text` is never empty (a usage line has words).
                    if g.usage_text.is_empty() {
                        g.usage_text = text;
                    } else {
                        g.usage_text.push(' ');
                        g.usage_text.push_str(&text);
                    }
                    g.usage.merge(*f);
                    g.has_usage = true;
                }
                None => self.note(
                    "unparsed-line",
                    format!("薬品のない用法: {}", l.raw.trim_ws()),
                    l.line_no,
                ),
            },
            Other::Amount(a) => match self.groups.last_mut() {
                Some(g) => match g.items.iter_mut().rev().find(|it| it.dl.amount.is_none()) {
                    Some(it) => it.dl.amount = Some(a),
                    None => {
                        g.comments.push(lex::squeeze(folded));
                        g.extra_amount = g.extra_amount.take().or(Some(a));
                    }
                },
                None => self.note("unparsed-line", l.raw.trim_ws().to_string(), l.line_no),
            },
            Other::Annotation(f) => match self.groups.last_mut() {
                Some(g) => {
                    for it in &mut g.items {
                        or_flags(&mut it.marks, f);
                    }
                }
                None => self.note("unparsed-line", l.raw.trim_ws().to_string(), l.line_no),
            },
            Other::Comment(c) => match self.groups.last_mut() {
                Some(g) => g.comments.push(c),
                None => self.p.remarks.push(c),
            },
            Other::Close => {
                self.p.list_closed = true;
                self.in_block = false;
                self.closed = true;
            }
            Other::Open | Other::Note => {}
            Other::Unparsed => self.note("unparsed-line", l.raw.trim_ws().to_string(), l.line_no),
        }
    }

    fn flush_carried(&mut self, c: Carried) {
        self.note(
            "mark-ambiguous",
            format!("印だけの行: {}", c.raw),
            c.line_no,
        );
    }

    fn finish(mut self, out: &mut Vec<Prescription>) {
        if let Some(c) = self.carried.take() {
            self.flush_carried(c);
        }
        self.bind_deferred();
        let mut index = 0;
        self.p.items.reserve(self.n_items);
        for mut g in std::mem::take(&mut self.groups) {
            share_last_row_usage(&mut g);
            let lone_missing = g.items.iter().filter(|i| i.dl.amount.is_none()).count() == 1;
            let n = g.items.len();
            for (k, pi) in std::mem::take(&mut g.items).into_iter().enumerate() {
                index += 1;
                let item = build_item(index, pi, &mut g, lone_missing, k + 1 == n);
                self.p.items.push(item);
            }
        }
        // A 使用期間 before the issue date cannot be (an OCR'd day cut short: 2l日 read as 2日):
        // it is not used, and is reported, rather than making a valid prescription expired.
        if let (Some(v), Some(i)) = (self.p.valid_until_written, self.p.issued)
            && v < i
        {
            self.p.valid_until_written = None;
            self.p.notes.push(ReadNote {
                rule: "date-invalid".into(),
                detail: format!("処方箋の使用期間: {v} は交付年月日 {i} より前"),
                item: None,
                line: None,
            });
        }
        let header_facts = self.p.issued.is_some()
            || self.p.patient.name.is_some()
            || self.p.insurance.insurer_number.is_some()
            || self.p.institution.name.is_some()
            || self.p.layout != Layout::Unknown;
        if !self.p.items.is_empty() || header_facts {
            out.push(self.p);
        }
    }
}

/// The mark column whose header range holds a mark's centre (or, when none does, lies
/// within a small tolerance of it); None when it fits none or columns of both kinds.
fn contain(cols: &[Col], unit: XUnit, x0: f32, x1: f32) -> Option<MarkKind> {
    let tol = if unit == XUnit::Columns { 2.0 } else { 6.0 };
    let center = (x0 + x1) / 2.0;
    // A label whose range holds the centre wins; only when none does, the
    // tolerance decides (tightly packed labels leave no room for it).
    let within = |t: f32| -> Vec<&Col> {
        cols.iter()
            .filter(|c| center >= c.x0 - t && center <= c.x1 + t)
            .collect()
    };
    let exact = within(0.0);
    let fits = if exact.is_empty() { within(tol) } else { exact };
    match fits.as_slice() {
        [one] => Some(one.kind),
        [a, b] if a.kind == b.kind => Some(a.kind),
        _ => None,
    }
}

/// Binds all column marks of one 処方 block of a positioned sheet at once.
///
/// Marks are clustered by their centre (tolerance about one glyph width). Each cluster binds
/// by containment in a header label when that is consistent. Text laid out with tab stops
/// (pango/cairo) can push the header labels right of their data columns, so that the marks of
/// both columns fall inside the first, long label: when the header has one 変更不可 and one
/// 患者希望 column and exactly two clusters land in the same column, the clusters bind to the
/// columns by left-to-right order instead. Any other collision leaves those marks unbound
/// (None → the caller writes a `mark-ambiguous` note).
fn bind_geometry(cols: &[Col], unit: XUnit, spans: &[(f32, f32)]) -> Vec<Option<MarkKind>> {
    let center = |(a, b): (f32, f32)| (a + b) / 2.0;
    // About one glyph: the widest mark, within sane bounds (text columns are cells).
    let tol = match unit {
        XUnit::Columns => 2.0,
        _ => spans
            .iter()
            .map(|(a, b)| b - a)
            .fold(0.0f32, f32::max)
            .clamp(4.0, 12.0),
    };
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by(|&a, &b| center(spans[a]).total_cmp(&center(spans[b])));
    // cluster[i] = cluster number of span i, numbered left to right.
    let mut cluster = vec![0usize; spans.len()];
    let mut n_clusters = 0;
    let mut last: Option<f32> = None;
    for &i in &order {
        let c = center(spans[i]);
        if last.is_none_or(|l| c - l > tol) {
            n_clusters += 1;
        }
        cluster[i] = n_clusters - 1;
        last = Some(c);
    }
    // Containment per cluster: every member must agree.
    let mut by_cluster: Vec<Option<Option<MarkKind>>> = vec![None; n_clusters];
    for (i, &k) in cluster.iter().enumerate() {
        let b = contain(cols, unit, spans[i].0, spans[i].1);
        by_cluster[k] = match by_cluster[k] {
            None => Some(b),
            Some(prev) if prev == b => Some(b),
            Some(_) => Some(None),
        };
    }
    let mut kinds: Vec<Option<MarkKind>> = by_cluster.into_iter().map(Option::flatten).collect();
    let mut sorted_cols: Vec<&Col> = cols.iter().collect();
    sorted_cols.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let two_kinds = matches!(
        sorted_cols.as_slice(),
        [a, b] if a.kind != b.kind
    );
    // Clusters that share a column with another cluster.
    let collides = |k: usize, kinds: &[Option<MarkKind>]| {
        kinds[k].is_some() && (0..kinds.len()).any(|j| j != k && kinds[j] == kinds[k])
    };
    if two_kinds && n_clusters == 2 && kinds[0].is_some() && kinds[0] == kinds[1] {
        kinds = sorted_cols.iter().map(|c| Some(c.kind)).collect();
    } else if two_kinds {
        let clash: Vec<bool> = (0..n_clusters).map(|k| collides(k, &kinds)).collect();
        for (k, c) in clash.into_iter().enumerate() {
            if c {
                kinds[k] = None;
            }
        }
    }
    cluster.into_iter().map(|k| kinds[k]).collect()
}

/// The text of a row from its first cell that is not blank, a vertical label or a mark, with a
/// glued leading mark removed: what a drug line would be read from.
fn row_drug_text(fcells: &[&str]) -> String {
    let rest: Vec<&str> = fcells
        .iter()
        .copied()
        .skip_while(|f| is_blank_or_vertical_label(f) || marks::mark_cell(f).is_some())
        .collect();
    let joined = rest.join("  ");
    let (m, after) = marks::leading_mark(&joined);
    if m {
        after.to_string()
    } else {
        joined.trim_ws().to_string()
    }
}

/// `{mark} (行: {row})`, the detail of a mark's `mark-ambiguous` note. Every column mark of a
/// positioned sheet carries one until it is bound, so it is built with one exact allocation
/// rather than through `format!`.
fn mark_detail(mark: &str, raw: &str) -> String {
    let (mark, raw) = (mark.trim_ws(), raw.trim_ws());
    let mut d = String::with_capacity(mark.len() + raw.len() + " (行: )".len());
    d.push_str(mark);
    d.push_str(" (行: ");
    d.push_str(raw);
    d.push(')');
    d
}

/// An empty cell or the vertical 処 / 方 / 処方 label (checked without allocating).
fn is_blank_or_vertical_label(f: &str) -> bool {
    let mut it = f.chars().filter(|c| !lex::is_ws(*c));
    // Most cells are drug text: their first character settles it, without decoding more.
    match it.next() {
        None => true,
        Some('処') => matches!((it.next(), it.next()), (None, _) | (Some('方'), None)),
        Some('方') => it.next().is_none(),
        // A table rule read as text (`|`, `│`): the form's lines, not a mark or a drug.
        Some(c) if is_rule_char(c) => it.all(is_rule_char),
        Some(_) => false,
    }
}

/// Characters of a table rule that OCR or a text export leaves between cells.
fn is_rule_char(c: char) -> bool {
    matches!(c, '|' | '│' | '┃' | '¦')
}

/// `処 レ…` / `方 レ…` / `処方 レ…`: the vertical label with its space, and the text after
/// it. None for any other cell (most cells: their first character settles it).
fn vertical_label_prefix(f: &str) -> Option<(&str, &str)> {
    let t = f.trim_ws_start();
    if !t.starts_with(['処', '方']) {
        return None;
    }
    let lead = f.len() - t.len();
    ["処方 ", "処 ", "方 "].iter().find_map(|v| {
        t.strip_prefix(v)
            .map(|rest| (&f[..lead + v.len()], rest.trim_ws_start()))
    })
}

/// True when `s` without its whitespace is exactly `want` (no copy).
fn compact_eq(s: &str, want: &str) -> bool {
    s.chars().filter(|c| !lex::is_ws(*c)).eq(want.chars())
}

/// A column label of the header row (compact, folded text).
fn is_column_label(t: &str) -> bool {
    (t.starts_with("変更不可") && t.chars().count() <= 12)
        || t == "患者希望"
        || t == "(医療上必要)"
        || t == "医療上必要"
}

fn or_flags(f: &mut Flags, o: Flags) {
    f.no_substitution |= o.no_substitution;
    f.patient_wish |= o.patient_wish;
    f.no_form_change |= o.no_form_change;
    f.no_strength_change |= o.no_strength_change;
    f.medical_need_written |= o.medical_need_written;
}

/// `v` itself when this is its last use (left empty behind), else a copy.
fn take_or_clone<T: Clone + Default>(v: &mut T, last: bool) -> T {
    if last { std::mem::take(v) } else { v.clone() }
}

/// The item of `pi` in its group `g`. The group's usage and comments go to every item of the
/// group: they are cloned for each item but the `last`, which takes them (no item reads the
/// group after its last one).
/// A group without a usage line whose last drug row carries the usage (tab forms put the
/// usage and days cells on that row): the usage is the group's, so the drugs above it that
/// have none of their own take it too, instead of being left without usage.
fn share_last_row_usage(g: &mut Group) {
    let n = g.items.len();
    if n < 2 || !g.usage_text.is_empty() || g.usage.any() {
        return;
    }
    let Some((last, above)) = g.items.split_last_mut() else {
        return;
    };
    if !last.dl.usage.any() {
        return;
    }
    for it in above.iter_mut().filter(|i| !i.dl.usage.any()) {
        it.dl.usage = last.dl.usage.clone();
        it.dl.usage_text = last.dl.usage_text.clone();
    }
}

fn build_item(index: u32, pi: Pending, g: &mut Group, lone_missing: bool, last: bool) -> Item {
    let Pending {
        line,
        source,
        dl,
        marks,
    } = pi;
    // `dl` is owned here: its fields are moved into the item, not cloned.
    let (facts, usage_text) = if dl.usage.any() {
        let mut f = dl.usage;
        // Group usage lines after an inline usage still add facts (`…/ 10回分`).
        f.merge(take_or_clone(&mut g.usage, last));
        // The inline usage, then the group's lines, space-separated.
        let mut t = dl.usage_text;
        if !g.usage_text.is_empty() {
            t.reserve(1 + g.usage_text.len());
            t.push(' ');
            t.push_str(&g.usage_text);
        }
        (f, t)
    } else {
        (
            take_or_clone(&mut g.usage, last),
            take_or_clone(&mut g.usage_text, last),
        )
    };
    let mut tok = dl.amount;
    if tok.is_none() && lone_missing {
        tok = facts
            .per_dose
            .as_deref()
            .or(facts.bare.as_deref())
            .or(g.extra_amount.as_ref())
            .cloned();
    }
    let category = usage::category(&dl.name, tok.as_ref().map(|t| t.unit.as_str()), &facts);
    // A 頓服 whose usage states the dose (`疼痛時 1回1錠 10回分`) and whose drug line holds
    // another amount of the same unit (`10錠`): the drug line's amount is the total, not a
    // dose (read as a dose it would be ten times too much).
    let as_needed_total = |t: &AmountTok| {
        category == Category::AsNeeded
            && facts
                .per_dose
                .as_deref()
                .is_some_and(|d| d.unit == t.unit && d.value != t.value)
    };
    let basis = |t: &AmountTok| {
        if t.per_dose {
            Basis::PerDose
        } else if as_needed_total(t) {
            Basis::Total
        } else {
            match category {
                Category::External | Category::Injection | Category::Drops | Category::Material => {
                    Basis::Total
                }
                Category::AsNeeded => Basis::PerDose,
                Category::Internal => Basis::PerDay,
                Category::Unknown => {
                    if lex::PACKAGE_UNITS.contains(&t.unit.as_str()) {
                        Basis::Total
                    } else {
                        Basis::PerDay
                    }
                }
            }
        }
    };
    let amount = tok.as_ref().map(|t| Amount {
        value: t.value,
        unit: t.unit.clone(),
        basis: basis(t),
    });
    let package = tok
        .as_ref()
        .and_then(|t| t.package.clone())
        .map(|(value, unit)| Quantity { value, unit });
    let mut flags = dl.flags;
    or_flags(&mut flags, marks);
    or_flags(&mut flags, g.flags);
    let mut comments = dl.comments;
    comments.extend(take_or_clone(&mut g.comments, last));
    let internal_like = matches!(category, Category::Internal | Category::Unknown);
    Item {
        index,
        rp: g.rp,
        line: Some(line),
        source_text: source,
        name: dl.name,
        general_name: dl.general_name,
        category,
        amount,
        package,
        usage: if usage_text.is_empty() {
            None
        } else {
            Some(usage_text)
        },
        times_per_day: facts.times_per_day,
        days: if internal_like { facts.days } else { None },
        times: if category == Category::AsNeeded || (!internal_like && facts.times.is_some()) {
            facts.times
        } else {
            None
        },
        timing: facts.timing_key(),
        uneven: tok.map(|t| t.uneven).unwrap_or_default(),
        flags,
        comments,
        code: None,
        per_dose: None,
    }
}

/// Reads one or more prescriptions from a sheet (see the module docs).
pub fn parse_sheet(sheet: &Sheet) -> Vec<Prescription> {
    let cells: Vec<CellRef> = sheet
        .lines
        .iter()
        .flat_map(|l| &l.cells)
        .map(|c| CellRef {
            text: &c.text,
            x0: c.x0,
            x1: c.x1,
        })
        .collect();
    let mut at = 0;
    let lines: Vec<LineRef> = sheet
        .lines
        .iter()
        .map(|l| {
            let n = l.cells.len();
            at += n;
            LineRef {
                line_no: l.line_no,
                raw: &l.raw,
                cells: &cells[at - n..at],
            }
        })
        .collect();
    parse_lines(&lines, sheet.unit)
}

/// [`parse_sheet`] on borrowed lines (text input reads these without building a sheet).
pub fn parse_lines(lines: &[LineRef<'_>], unit: XUnit) -> Vec<Prescription> {
    let mut out = Vec::new();
    let mut b = Builder::new(unit);
    // Sized for a typical line once, rather than grown line by line in every input.
    let mut scratch = Scratch {
        cells: Vec::with_capacity(16),
        joined: String::with_capacity(256),
        hits: Vec::with_capacity(8),
    };
    for (n, l) in lines.iter().enumerate() {
        // The input's time budget (crate::budget), looked at every 256 lines: the pipeline
        // turns a late read into an error, so stopping here loses nothing.
        if n % 256 == 255 && crate::budget::expired() {
            break;
        }
        b.line(l, &mut scratch, &mut out);
    }
    b.finish(&mut out);
    // Line numbers index the whole input, so every prescription keeps all its lines, shared.
    let raw = crate::source::SourceLines::from_sized(lines.iter().map(|l| l.raw));
    for p in &mut out {
        p.lines = raw.clone();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_validity_date_before_the_issue_date_is_not_used() {
        let text = |until: &str| {
            format!(
                "交付年月日 令和7年3月18日\n処方箋の使用期間 {until}\n処方\nRp1 A錠5mg 1錠\n 1日1回 朝食後 7日分\n以下余白\n"
            )
        };
        let ps = crate::text::parse_text(&text("令和7年3月2日"));
        assert_eq!(ps[0].valid_until_written, None);
        assert!(ps[0].notes.iter().any(|n| n.rule == "date-invalid"));
        // On or after the issue date it is the written validity, as before.
        let ok = crate::text::parse_text(&text("令和7年3月21日"));
        assert_eq!(
            ok[0].valid_until_written.map(|d| d.to_string()).as_deref(),
            Some("2025-03-21")
        );
        assert!(ok[0].notes.iter().all(|n| n.rule != "date-invalid"));
    }
    use crate::sheet::{Cell, SheetLine};

    /// Every string of up to five characters from an alphabet of the label characters,
    /// whitespace and others gets the answer of the plain three-character reading.
    #[test]
    fn vertical_label_test_agrees_with_the_plain_reading() {
        let plain = |f: &str| {
            let mut it = f.chars().filter(|c| !lex::is_ws(*c));
            matches!(
                (it.next(), it.next(), it.next()),
                (None, _, _) | (Some('処' | '方'), None, _) | (Some('処'), Some('方'), None)
            )
        };
        let alphabet = ['処', '方', ' ', '\u{3000}', '\t', '箋', 'A'];
        let mut words = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = words
                .iter()
                .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                .collect();
            for w in words.iter().chain(&longer) {
                assert_eq!(is_blank_or_vertical_label(w), plain(w), "{w:?}");
            }
            words = longer;
        }
    }

    fn line(n: u32, cells: &[(&str, f32, f32)]) -> SheetLine {
        SheetLine {
            line_no: n,
            page: 1,
            y: n as f32 * 9.0,
            raw: cells.iter().map(|c| c.0).collect::<Vec<_>>().join("\t"),
            cells: cells.iter().map(|c| Cell::new(c.0, c.1, c.2)).collect(),
        }
    }

    /// A cairo-like sheet: the header labels were pushed right by tab stops, the data
    /// columns were not.
    fn shifted(rows: &[(&str, f32)]) -> Sheet {
        let mut lines = vec![line(
            1,
            &[
                ("変更不可（医療上必要）", 40.0, 139.0),
                ("患者希望", 160.0, 196.0),
                ("処方", 208.0, 226.0),
            ],
        )];
        let drugs = [
            "1) A錠5mg 1錠 1日1回朝食後 28日分",
            "2) B錠10mg 2錠 1日2回朝夕食後 7日分",
            "3) C錠1mg 1錠 1日1回朝食後 14日分",
        ];
        for (i, d) in drugs.iter().enumerate() {
            let n = i as u32 + 2;
            match rows.get(i) {
                Some((m, x)) if !m.is_empty() => {
                    lines.push(line(n, &[(m, *x, *x + 9.0), (d, 230.0, 400.0)]))
                }
                _ => lines.push(line(n, &[(d, 230.0, 400.0)])),
            }
        }
        Sheet {
            lines,
            unit: XUnit::Points,
        }
    }

    fn flags(s: &Sheet) -> Vec<(bool, bool)> {
        let ps = parse_sheet(s);
        assert_eq!(ps.len(), 1);
        ps[0]
            .items
            .iter()
            .map(|i| (i.flags.no_substitution, i.flags.patient_wish))
            .collect()
    }

    #[test]
    fn two_clusters_in_one_label_bind_by_order() {
        let s = shifted(&[("レ", 40.0), ("レ", 64.0), ("×", 40.5)]);
        assert_eq!(flags(&s), [(true, false), (false, true), (true, false)]);
        assert!(
            parse_sheet(&s)[0]
                .notes
                .iter()
                .all(|n| n.rule != "mark-ambiguous")
        );
    }

    #[test]
    fn one_cluster_binds_by_containment() {
        // Only the second data column is used: one cluster, inside 変更不可's label.
        let s = shifted(&[("", 0.0), ("レ", 64.0), ("×", 64.0)]);
        assert_eq!(flags(&s), [(false, false), (true, false), (true, false)]);
    }

    #[test]
    fn consistent_containment_is_kept() {
        let s = shifted(&[("レ", 45.0), ("レ", 170.0), ("", 0.0)]);
        assert_eq!(flags(&s), [(true, false), (false, true), (false, false)]);
    }

    #[test]
    fn three_clusters_in_one_label_are_reported() {
        let s = shifted(&[("レ", 40.0), ("レ", 64.0), ("レ", 100.0)]);
        let ps = parse_sheet(&s);
        assert!(
            ps[0]
                .items
                .iter()
                .all(|i| !i.flags.patient_wish && !i.flags.no_substitution)
        );
        let n = ps[0]
            .notes
            .iter()
            .filter(|n| n.rule == "mark-ambiguous")
            .count();
        assert_eq!(n, 3, "{:?}", ps[0].notes);
    }
}

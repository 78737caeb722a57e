//! The form parser: walks the lines of a [`Sheet`], reads the header, finds the mark columns
//! (which also tell the layout), and reads the 処方 block into groups and items.

use super::header::{self, HeaderState};
use super::items::{self, DrugLine, Other};
use super::lex::{self, AmountTok};
use super::marks::{self, MarkKind};
use super::usage::{self, UsageFacts};
use crate::model::{
    Amount, Basis, Category, Flags, Item, Layout, Prescription, Quantity, ReadNote,
};
use crate::normalize::display_width;
use crate::sheet::{Cell, Sheet, SheetLine, XUnit};

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
    usage_text: Vec<String>,
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
    in_block: bool,
    closed: bool,
    groups: Vec<Group>,
    last_rp: u32,
    /// Items read so far (kept as a count so that every line stays O(1) here).
    n_items: usize,
}

impl Builder {
    fn new(unit: XUnit) -> Self {
        Builder {
            unit,
            p: Prescription::default(),
            hs: HeaderState::default(),
            cols: Vec::new(),
            in_block: false,
            closed: false,
            groups: Vec::new(),
            last_rp: 0,
            n_items: 0,
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

    fn line(&mut self, l: &SheetLine, out: &mut Vec<Prescription>) {
        let cells: Vec<(usize, &Cell)> = l.cells.iter().enumerate().collect();
        let joined = l
            .cells
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join("\t");
        let folded = lex::fold_line(&joined);
        let compact = lex::compact(&folded);
        if compact.is_empty() {
            return;
        }
        if compact == "処方箋" || compact == "処方せん" {
            if self.has_items() {
                let done = std::mem::replace(self, Builder::new(self.unit));
                done.finish(out);
            }
            return;
        }
        if !self.has_items()
            && (compact.contains("変更不可")
                || compact.contains("患者希望")
                || compact.contains("医療上必要"))
            && self.column_header(&cells)
        {
            if cells
                .iter()
                .any(|(_, c)| lex::compact(&lex::fold_line(&c.text)) == "処方")
                || !self.in_block
            {
                self.in_block = true;
            }
            return;
        }
        // A line that starts with a header label is a header line (and ends the block).
        let hits = header::find_labels(&folded);
        let starts_with_label = hits
            .first()
            .is_some_and(|h| folded[..h.start].trim().is_empty())
            && !(self.in_block && numbered_drug(&folded));
        if starts_with_label || (!self.in_block && !hits.is_empty()) {
            if self.in_block && self.has_items() {
                self.in_block = false;
                self.closed = true;
            }
            header::read_line(&folded, l.line_no, &mut self.p, &mut self.hs);
            return;
        }
        if !self.in_block {
            if self.closed {
                header::read_line(&folded, l.line_no, &mut self.p, &mut self.hs);
                return;
            }
            match items::classify_other(&folded) {
                Other::Open => {
                    self.in_block = true;
                    return;
                }
                _ => {
                    // A numbered drug line opens the block by itself.
                    // A numbered drug line, or one with an amount, opens the block by itself.
                    let numbered = lex::rp_prefix(&folded).is_some_and(|(n, _)| n.is_some());
                    if items::drug_line(&folded, false)
                        .is_some_and(|d| numbered || d.amount.is_some())
                    {
                        self.in_block = true;
                    } else {
                        header::read_line(&folded, l.line_no, &mut self.p, &mut self.hs);
                        return;
                    }
                }
            }
        }
        self.block_line(l, &cells, &folded);
    }

    /// Detects the row of column labels (変更不可（医療上必要） / 患者希望 / 変更不可).
    fn column_header(&mut self, cells: &[(usize, &Cell)]) -> bool {
        let mut cols = Vec::new();
        let mut medical = false;
        let mut medical_at = None;
        // Cheap exit: most lines hold no column label at all.
        let has_label = cells.iter().any(|(_, c)| {
            let t = lex::compact(&lex::fold_line(&c.text));
            t.contains("変更不可") || t.contains("患者希望") || t.contains("医療上必要")
        });
        if !has_label {
            return false;
        }
        let mut words = Vec::new();
        for (_, c) in cells {
            let whole = lex::fold_line(&c.text);
            let t = lex::compact(&whole);
            // A row with a mark, an Rp number or a drug amount is a drug row, not the header.
            if marks::mark_cell(&whole).is_some()
                || marks::leading_mark(&whole).0
                || lex::rp_prefix(&whole).is_some_and(|(n, _)| n.is_some())
                || t.starts_with("Rp")
                || items::drug_line(&whole, false).is_some_and(|d| d.amount.is_some())
            {
                return false;
            }
            if is_column_label(&t) {
                words.push((*c).clone());
            } else {
                words.extend(self.words(c));
            }
        }
        for c in &words {
            let t = lex::compact(&lex::fold_line(&c.text));
            if t.starts_with("変更不可") && t.chars().count() <= 12 {
                if t.contains("医療上必要") {
                    medical = true;
                }
                cols.push(Col {
                    kind: MarkKind::NoSubstitution,
                    x0: c.x0,
                    x1: c.x1,
                });
            } else if t == "患者希望" {
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
            // `（医療上必要）` printed on its own row under 変更不可 (PDF): still the header,
            // and its extent widens the 変更不可 column.
            if let (true, Some((x0, x1))) = (medical, medical_at)
                && let Some(nc) = self
                    .cols
                    .iter_mut()
                    .rev()
                    .find(|c| c.kind == MarkKind::NoSubstitution)
            {
                nc.x0 = nc.x0.min(x0);
                nc.x1 = nc.x1.max(x1);
                self.p.layout = Layout::New;
                return true;
            }
            return false;
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

    fn block_line(&mut self, l: &SheetLine, cells: &[(usize, &Cell)], folded: &str) {
        // The drug cell: the first cell that is not empty, a vertical label or a mark.
        let mut pre: Vec<(usize, f32, f32, String)> = Vec::new();
        let mut drug_at = None;
        // The folded line is the folded cells joined by tabs (NFKC keeps tabs), so the cells
        // are folded once per line.
        let fcells: Vec<String> = {
            let v: Vec<&str> = folded.split('\t').collect();
            if v.len() == cells.len() {
                v.into_iter().map(str::to_string).collect()
            } else {
                cells.iter().map(|(_, c)| lex::fold_line(&c.text)).collect()
            }
        };
        for ((k, c), f) in cells.iter().zip(&fcells) {
            let f = f.clone();
            let t = lex::compact(&f);
            if t.is_empty() || t == "処" || t == "方" || t == "処方" {
                continue;
            }
            if marks::mark_cell(&f).is_some() {
                pre.push((*k, c.x0, c.x1, f));
                continue;
            }
            drug_at = Some(*k);
            break;
        }
        let Some(d) = drug_at else {
            if !pre.is_empty() {
                self.note(
                    "mark-ambiguous",
                    format!("印だけの行: {}", l.raw.trim()),
                    l.line_no,
                );
            }
            return;
        };
        let rest_text = cells
            .iter()
            .zip(&fcells)
            .filter(|((k, _), _)| *k >= d)
            .map(|(_, f)| f.as_str())
            .collect::<Vec<_>>()
            .join("  ");
        let drug_cell = cells.iter().find(|(k, _)| *k == d).map(|(_, c)| *c);
        // A mark glyph glued to the drug text by one space (`レ 2) ジスロマック…`).
        let f0 = rest_text;
        let (m, after) = marks::leading_mark(&f0);
        let mut glued_mark = None;
        if m && let Some(c) = drug_cell
            && items::drug_line(after, true).is_some()
        {
            glued_mark = Some((
                d,
                c.x0,
                c.x0 + 1.0,
                f0[..f0.len() - after.len()].to_string(),
            ));
        }
        let mut text = if glued_mark.is_some() {
            after.to_string()
        } else {
            f0.clone()
        };
        // A vertical 処/方 label glued to the row by one space (`処 1) A錠…`).
        for v in ["処方 ", "処 ", "方 "] {
            if let Some(r) = text.strip_prefix(v)
                && lex::rp_prefix(r).is_some_and(|(n, _)| n.is_some())
            {
                text = r.to_string();
                break;
            }
        }
        let group_ctx = !pre.is_empty() || glued_mark.is_some();
        if let Some(dl) = items::drug_line(&text, group_ctx) {
            let mut flags = Flags::default();
            let mut all_pre = pre;
            if let Some(g) = glued_mark {
                all_pre.push(g);
            }
            for (k, x0, x1, f) in all_pre {
                if let Some(af) = marks::mark_cell(&f) {
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
                }
                // Ordinal offset: 1 = the cell right before the drug cell.
                // A mark glued inside the drug cell of a tab row has no column of its own:
                // it can only be bound when there is a single mark column.
                let offset = match (k == d, self.cols.len()) {
                    (true, 1) => 1,
                    (true, _) => 0,
                    (false, _) => d - k,
                };
                match self.bind(offset, x0, x1) {
                    Some(kind) => marks::apply_mark(&mut flags, kind),
                    None => {
                        let item = self.n_items as u32 + 1;
                        self.p.notes.push(ReadNote {
                            rule: "mark-ambiguous".into(),
                            detail: format!("{} (行: {})", f.trim(), l.raw.trim()),
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
                format!("薬品行でない行の印: {}", l.raw.trim()),
                l.line_no,
            );
        }
        self.other(l, folded);
    }

    /// A header cell split into its space-separated words, each with its own extent
    /// (`変更不可（医療上必要） 患者希望` printed with single spaces is two labels).
    fn words(&self, c: &Cell) -> Vec<Cell> {
        let parts: Vec<&str> = c
            .text
            .split([' ', '\u{3000}'])
            .filter(|w| !w.is_empty())
            .collect();
        if parts.len() <= 1 || self.unit == XUnit::Ordinal {
            return vec![c.clone()];
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
            out.push(Cell::new(w, x0, x1));
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
            XUnit::Columns | XUnit::Points => {
                let tol = if self.unit == XUnit::Columns {
                    2.0
                } else {
                    6.0
                };
                let center = (x0 + x1) / 2.0;
                // A label whose range holds the centre wins; only when none does, the
                // tolerance decides (tightly packed labels leave no room for it).
                let within = |t: f32| -> Vec<&Col> {
                    self.cols
                        .iter()
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
        }
    }

    fn add_drug(&mut self, l: &SheetLine, dl: DrugLine, marks: Flags) {
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
            source: l.raw.trim().to_string(),
            dl,
            marks,
        });
        self.n_items += 1;
    }

    fn other(&mut self, l: &SheetLine, folded: &str) {
        match items::classify_other(folded) {
            Other::Usage(text, f) => match self.groups.last_mut() {
                Some(g) => {
                    g.usage_text.push(text);
                    g.usage.merge(*f);
                    g.has_usage = true;
                }
                None => self.note(
                    "unparsed-line",
                    format!("薬品のない用法: {}", l.raw.trim()),
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
                None => self.note("unparsed-line", l.raw.trim().to_string(), l.line_no),
            },
            Other::Annotation(f) => match self.groups.last_mut() {
                Some(g) => {
                    for it in &mut g.items {
                        or_flags(&mut it.marks, f);
                    }
                }
                None => self.note("unparsed-line", l.raw.trim().to_string(), l.line_no),
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
            Other::Unparsed => self.note("unparsed-line", l.raw.trim().to_string(), l.line_no),
        }
    }

    fn finish(mut self, out: &mut Vec<Prescription>) {
        let mut index = 0;
        for mut g in std::mem::take(&mut self.groups) {
            let lone_missing = g.items.iter().filter(|i| i.dl.amount.is_none()).count() == 1;
            for pi in std::mem::take(&mut g.items) {
                index += 1;
                let item = build_item(index, &g.rp, pi, &g, lone_missing);
                self.p.items.push(item);
            }
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

/// A column label of the header row (compact, folded text).
fn is_column_label(t: &str) -> bool {
    (t.starts_with("変更不可") && t.chars().count() <= 12)
        || t == "患者希望"
        || t == "(医療上必要)"
        || t == "医療上必要"
}

/// A line that starts with an Rp number and reads as a drug line.
fn numbered_drug(folded: &str) -> bool {
    let t = folded.trim_start();
    lex::rp_prefix(t).is_some_and(|(n, _)| n.is_some()) && items::drug_line(t, false).is_some()
}

fn or_flags(f: &mut Flags, o: Flags) {
    f.no_substitution |= o.no_substitution;
    f.patient_wish |= o.patient_wish;
    f.no_form_change |= o.no_form_change;
    f.no_strength_change |= o.no_strength_change;
    f.medical_need_written |= o.medical_need_written;
}

fn build_item(index: u32, rp: &u32, pi: Pending, g: &Group, lone_missing: bool) -> Item {
    let Pending {
        line,
        source,
        dl,
        marks,
    } = pi;
    let (facts, usage_text) = if dl.usage.any() {
        let mut f = dl.usage.clone();
        // Group usage lines after an inline usage still add facts (`…/ 10回分`).
        f.merge(g.usage.clone());
        let mut t = vec![dl.usage_text.clone()];
        t.extend(g.usage_text.iter().cloned());
        (f, t.join(" "))
    } else {
        (g.usage.clone(), g.usage_text.join(" "))
    };
    let mut tok = dl.amount.clone();
    if tok.is_none() && lone_missing {
        tok = facts
            .per_dose
            .clone()
            .or_else(|| facts.bare.clone())
            .or_else(|| g.extra_amount.clone());
    }
    let category = usage::category(&dl.name, tok.as_ref().map(|t| t.unit.as_str()), &facts);
    let basis = |t: &AmountTok| {
        if t.per_dose {
            Basis::PerDose
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
    let mut comments = dl.comments.clone();
    comments.extend(g.comments.iter().cloned());
    let internal_like = matches!(category, Category::Internal | Category::Unknown);
    Item {
        index,
        rp: *rp,
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
    let mut out = Vec::new();
    let mut b = Builder::new(sheet.unit);
    for l in &sheet.lines {
        b.line(l, &mut out);
    }
    b.finish(&mut out);
    // Line numbers index the whole input, so every prescription keeps all its lines.
    let lines: Vec<String> = sheet.lines.iter().map(|l| l.raw.clone()).collect();
    for p in &mut out {
        p.lines = lines.clone();
    }
    out
}

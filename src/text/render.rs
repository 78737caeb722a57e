//! Writes a prescription as text in the renderings of FORMATS.md §2, so that tests can round-trip
//! the model and benchmarks can make many prescriptions.
//!
//! ```
//! use shohosen::model::{Prescription, Item, Category, Amount, Basis};
//! use shohosen::text::{parse_text, render, RenderStyle};
//! let mut p = Prescription::default();
//! p.items.push(Item { index: 1, rp: 1, name: "ジスロマック錠250mg".into(), category: Category::Internal,
//!     amount: Some(Amount { value: 2.into(), unit: "錠".into(), basis: Basis::PerDay }),
//!     times_per_day: Some(1), days: Some(3), timing: Some("朝食後".into()), ..Item::default() });
//! let back = parse_text(&render(&p, RenderStyle::Plain));
//! assert_eq!(back[0].items[0].days, Some(3));
//! ```

use chrono::{Datelike, NaiveDate};

use crate::date::ERAS;
use crate::model::{
    Amount, Basis, Category, InsuredKind, Item, Layout, Leftover, Prescription, PublicExpense,
    Refill, Sex,
};
use crate::normalize::display_width;
use rust_decimal::Decimal;

/// A text rendering of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenderStyle {
    /// Table cells separated by tabs (a PDF-to-text dump).
    Tabs,
    /// Space-aligned columns (layout-preserving text, full-width = 2 columns).
    Columns,
    /// Plain clinic-system lines: `Rp1 …`, annotations inline, usage on the next line.
    Plain,
    /// Columns with OCR noise: full-width digits, spaces inside labels, other mark glyphs.
    OcrNoisy,
}

/// All styles, for tests and benches.
pub const STYLES: [RenderStyle; 4] = [
    RenderStyle::Tabs,
    RenderStyle::Columns,
    RenderStyle::Plain,
    RenderStyle::OcrNoisy,
];

fn era_text(d: NaiveDate) -> String {
    let era = ERAS
        .iter()
        .rev()
        .find(|e| NaiveDate::from_ymd_opt(e.start.0, e.start.1, e.start.2).is_some_and(|s| s <= d));
    match era {
        Some(e) => format!(
            "{}{}年{}月{}日",
            e.name,
            d.year() - e.start.0 + 1,
            d.month(),
            d.day()
        ),
        None => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
    }
}

fn full_width_digits(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                char::from_u32(c as u32 - 0x30 + 0xFF10).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

fn spaced(label: &str) -> String {
    label
        .chars()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The header lines as (label, value) pairs, in form order.
fn header_pairs(p: &Prescription) -> Vec<Vec<(&'static str, String)>> {
    let mut rows = Vec::new();
    for pe in &p.insurance.public_expense {
        let mut r = Vec::new();
        if let Some(n) = &pe.payer_number {
            r.push(("公費負担者番号", n.clone()));
        }
        if let Some(n) = &pe.recipient_number {
            r.push(("公費負担医療の受給者番号", n.clone()));
        }
        rows.push(r);
    }
    let i = &p.insurance;
    let mut r = Vec::new();
    if let Some(n) = &i.insurer_number {
        r.push(("保険者番号", n.clone()));
    }
    if i.symbol.is_some() || i.number.is_some() {
        let mut v = format!(
            "{}・{}",
            i.symbol.clone().unwrap_or_default(),
            i.number.clone().unwrap_or_default()
        );
        if let Some(b) = &i.branch {
            v.push_str(&format!("（枝番）{b}"));
        }
        r.push(("被保険者証・被保険者手帳の記号・番号", v));
    }
    rows.push(r);
    let pt = &p.patient;
    let mut r = Vec::new();
    if let Some(n) = &pt.name {
        r.push(("氏名", n.clone()));
    }
    if let Some(k) = &pt.kana {
        r.push(("フリガナ", k.clone()));
    }
    rows.push(r);
    let mut r = Vec::new();
    if pt.birth_date.is_some() || pt.sex.is_some() {
        let mut v = pt.birth_date.map(era_text).unwrap_or_default();
        match pt.sex {
            Some(Sex::Male) => v.push_str(" 男"),
            Some(Sex::Female) => v.push_str(" 女"),
            None => {}
        }
        r.push(("生年月日", v));
    }
    match pt.insured_kind {
        Some(InsuredKind::Insured) => r.push(("区分", "被保険者".into())),
        Some(InsuredKind::Dependent) => r.push(("区分", "被扶養者".into())),
        None => {}
    }
    rows.push(r);
    let mut r = Vec::new();
    if let Some(d) = p.issued {
        r.push(("交付年月日", era_text(d)));
    }
    if let Some(d) = p.valid_until_written {
        r.push(("処方箋の使用期間", format!("{}まで", era_text(d))));
    }
    rows.push(r);
    let inst = &p.institution;
    if inst.address.is_some() || inst.name.is_some() {
        let v = [inst.address.clone(), inst.name.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        rows.push(vec![("保険医療機関の所在地及び名称", v)]);
    }
    let mut r = Vec::new();
    if let Some(t) = &inst.phone {
        r.push(("電話番号", t.clone()));
    }
    if let Some(n) = &p.prescriber.name {
        r.push(("保険医氏名", format!("{n} 印")));
    }
    rows.push(r);
    let mut r = Vec::new();
    if let Some(v) = &inst.prefecture_code {
        r.push(("都道府県番号", v.clone()));
    }
    if let Some(v) = &inst.fee_table_code {
        r.push(("点数表番号", v.clone()));
    }
    if let Some(v) = &inst.code {
        r.push(("医療機関コード", v.clone()));
    }
    rows.push(r);
    rows.retain(|r| !r.is_empty());
    rows
}

fn footer_pairs(p: &Prescription) -> Vec<Vec<(&'static str, String)>> {
    let mut rows = Vec::new();
    let refill = match (p.refill.allowed, p.refill.count) {
        (true, Some(n)) => format!("■（{n}回）"),
        (true, None) => "■（ 回）".into(),
        (false, _) => "□（ 回）".into(),
    };
    rows.push(vec![("リフィル可", refill)]);
    let mut r = Vec::new();
    r.push(("備考", p.remarks.join(" ")));
    if p.prescriber.nosub_signature {
        r.push((
            "保険医署名",
            p.prescriber.name.clone().unwrap_or_else(|| "印".into()),
        ));
    }
    rows.push(r);
    rows
}

fn leftover_line(p: &Prescription) -> Option<String> {
    let (a, b) = match p.leftover {
        Some(Leftover::InquireThenDispense) => ('■', '□'),
        Some(Leftover::Inform) => ('□', '■'),
        None => return None,
    };
    Some(format!(
        "{a}保険医療機関へ疑義照会した上で調剤　{b}保険医療機関へ情報提供"
    ))
}

fn amount_text(it: &Item) -> String {
    let Some(a) = &it.amount else {
        return String::new();
    };
    let mut s = String::new();
    if a.basis == Basis::PerDose {
        s.push_str("1回");
    }
    if let Some(pk) = &it.package {
        s = format!("{}{} ", pk.value, pk.unit);
    }
    s.push_str(&format!("{}{}", a.value, a.unit));
    if !it.uneven.is_empty() {
        s.push_str(&format!(
            "({})",
            it.uneven
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("-")
        ));
    }
    s
}

/// Usage text from the facts (the written `usage` when present).
fn usage_text(it: &Item) -> String {
    if let Some(u) = &it.usage {
        return u.clone();
    }
    let tpd = it
        .times_per_day
        .map(|n| format!("1日{n}回"))
        .unwrap_or_default();
    let timing = it.timing.clone().unwrap_or_default();
    match it.category {
        Category::AsNeeded => format!("頓用 {timing} {}回分", it.times.unwrap_or(1)),
        Category::External => format!("{tpd} 患部に塗布"),
        Category::Injection => format!("{tpd} 皮下注射"),
        _ => match it.days {
            Some(d) => format!("{tpd}{timing} {d}日分"),
            None => format!("{tpd}{timing}"),
        },
    }
    .trim()
    .to_string()
}

fn inline_flags(it: &Item, with_marks: bool, old: bool) -> String {
    let f = &it.flags;
    let mut s = Vec::new();
    if !with_marks || old {
        if f.no_substitution && !with_marks {
            s.push(if f.medical_need_written {
                "【変更不可】【医療上必要】"
            } else {
                "【変更不可】"
            });
        }
        if f.patient_wish {
            s.push("【患者希望】");
        }
    }
    match (f.no_form_change, f.no_strength_change) {
        (true, true) => s.push("【剤形・含量規格変更不可】"),
        (true, false) => s.push("【剤形変更不可】"),
        (false, true) => s.push("【含量規格変更不可】"),
        _ => {}
    }
    s.concat()
}

fn drug_text(it: &Item) -> String {
    let general = if it.general_name { "【般】" } else { "" };
    format!("{general}{} {}", it.name, amount_text(it))
        .trim()
        .to_string()
}

/// Renders `p` as text in `style`.
pub fn render(p: &Prescription, style: RenderStyle) -> String {
    let mut out = String::from("処方箋\n");
    let ocr = style == RenderStyle::OcrNoisy;
    let label = |l: &str| if ocr { spaced(l) } else { l.to_string() };
    let value = |v: &str| {
        if ocr {
            full_width_digits(v)
        } else {
            v.to_string()
        }
    };
    let pairs_line = |row: &[(&'static str, String)]| -> String {
        match style {
            RenderStyle::Tabs => row
                .iter()
                .map(|(l, v)| format!("{l}\t{v}"))
                .collect::<Vec<_>>()
                .join("\t"),
            RenderStyle::Plain => row
                .iter()
                .map(|(l, v)| format!("{l} {v}"))
                .collect::<Vec<_>>()
                .join("\n"),
            _ => row
                .iter()
                .map(|(l, v)| format!("{}  {}", label(l), value(v)))
                .collect::<Vec<_>>()
                .join("    "),
        }
    };
    for row in header_pairs(p) {
        out.push_str(&pairs_line(&row));
        out.push('\n');
    }
    let old = p.layout == Layout::Old;
    let marks = style != RenderStyle::Plain;
    let (nosub_glyph, wish_glyph) = if ocr { ("✓", "X") } else { ("レ", "×") };
    match style {
        RenderStyle::Plain => out.push_str("処方\n"),
        RenderStyle::Tabs if old => out.push_str("変更不可\t処方\n"),
        RenderStyle::Tabs => out.push_str("変更不可（医療上必要）\t患者希望\t処方\n"),
        _ if old => out.push_str(&format!("{}  {}\n", label("変更不可"), "処方")),
        _ => out.push_str("変更不可（医療上必要）  患者希望  処方\n"),
    }
    // Columns: 変更不可（医療上必要） spans 0..22, 患者希望 24..32, drugs from 34 (old: 0..8, 10).
    let mut rp_seen = None;
    for it in &p.items {
        let new_rp = rp_seen != Some(it.rp);
        rp_seen = Some(it.rp);
        let rp = if new_rp {
            format!("Rp{} ", it.rp)
        } else {
            "    ".to_string()
        };
        let d = format!("{rp}{} {}", drug_text(it), inline_flags(it, marks, old))
            .trim_end()
            .to_string();
        let f = &it.flags;
        let nosub = if f.no_substitution { nosub_glyph } else { "" };
        let nosub_cell = if f.no_substitution && f.medical_need_written && old {
            format!("{nosub} 医療上必要")
        } else {
            nosub.to_string()
        };
        let wish = if f.patient_wish { wish_glyph } else { "" };
        let row = match style {
            RenderStyle::Plain => d.clone(),
            RenderStyle::Tabs if old => format!("{nosub_cell}\t{d}"),
            RenderStyle::Tabs => format!("{nosub}\t{wish}\t{d}"),
            _ if old => pad_to(&nosub_cell, 10, &d),
            _ => {
                let left = pad_to(nosub, 24, wish);
                pad_to(&left, 34, &d)
            }
        };
        out.push_str(&row);
        out.push('\n');
        let last_of_group = p
            .items
            .iter()
            .rfind(|o| o.rp == it.rp)
            .is_some_and(|o| o.index == it.index);
        if last_of_group {
            let u = usage_text(it);
            if !u.is_empty() {
                let indent = match style {
                    RenderStyle::Tabs if old => "\t".to_string(),
                    RenderStyle::Tabs => "\t\t".to_string(),
                    RenderStyle::Plain => "    ".to_string(),
                    _ if old => " ".repeat(14),
                    _ => " ".repeat(38),
                };
                out.push_str(&format!("{indent}{}\n", if ocr { value(&u) } else { u }));
            }
        }
    }
    out.push_str(match style {
        RenderStyle::Tabs if old => "\t以下余白\n",
        RenderStyle::Tabs => "\t\t以下余白\n",
        _ => "以下余白\n",
    });
    for row in footer_pairs(p) {
        out.push_str(&pairs_line(&row));
        out.push('\n');
    }
    if let Some(l) = leftover_line(p) {
        out.push_str(&l);
        out.push('\n');
    }
    out
}

/// `left` padded with spaces to display column `col` (at least two spaces), then `right`.
fn pad_to(left: &str, col: usize, right: &str) -> String {
    let w = display_width(left);
    let pad = if w + 2 > col { 2 } else { col - w };
    format!("{left}{}{right}", " ".repeat(pad))
}

/// A tiny deterministic xorshift generator (no dependency needed for test data).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
    fn date(&mut self, from: i32, to: i32) -> NaiveDate {
        let y = from + self.below((to - from) as u64 + 1) as i32;
        NaiveDate::from_ymd_opt(y, 1 + self.below(12) as u32, 1 + self.below(28) as u32)
            .expect("valid")
    }
}

const INTERNAL: &[(&str, &str)] = &[
    ("ジスロマック錠250mg", "錠"),
    ("アムロジピン錠5mg", "錠"),
    ("ムコダイン錠500mg", "錠"),
    ("アリセプト錠5mg", "錠"),
    ("リリカカプセル75mg", "カプセル"),
    ("ツムラ葛根湯エキス顆粒", "g"),
];
const AS_NEEDED: &[(&str, &str, &str)] = &[
    ("カロナール錠200", "錠", "発熱時"),
    ("レンドルミン錠0.25mg", "錠", "不眠時"),
];
const EXTERNAL: &[(&str, &str)] = &[
    ("ヒルドイドソフト軟膏0.3%", "g"),
    ("フランドルテープ40mg", "枚"),
    ("モーラスパップ30mg", "枚"),
];
const TIMINGS: &[&[&str]] = &[&["朝食後", "夕食後", "就寝前"], &["朝夕食後"], &["毎食後"]];

/// A random but valid prescription for tests and benchmarks: header facts, 1–5 groups of
/// 内服 / 頓服 / 外用 items with marks and annotations, all from `seed` (same seed, same result).
///
/// ```
/// use shohosen::model::Layout;
/// use shohosen::text::render::synthetic;
/// let p = synthetic(42, Layout::New);
/// assert!(!p.items.is_empty());
/// assert_eq!(p, synthetic(42, Layout::New));
/// ```
pub fn synthetic(seed: u64, layout: Layout) -> Prescription {
    let mut r = Rng(seed | 1);
    let mut p = Prescription {
        layout,
        ..Prescription::default()
    };
    if r.chance(50) {
        p.insurance.public_expense.push(PublicExpense {
            payer_number: Some(format!("{}{}", r.pick(&["12", "21", "54"]), r.digits(6))),
            recipient_number: Some(r.digits(7)),
        });
    }
    p.insurance.insurer_number = Some(r.digits(8));
    if r.chance(70) {
        let (ns, nn) = (1 + r.below(5) as usize, 1 + r.below(6) as usize);
        p.insurance.symbol = Some(r.digits(ns));
        p.insurance.number = Some(r.digits(nn));
        if r.chance(60) {
            p.insurance.branch = Some(r.digits(2));
        }
    }
    p.patient.name = Some(format!(
        "{} {}",
        r.pick(&["山田", "鈴木", "高橋", "伊藤"]),
        r.pick(&["太郎", "花子", "一郎"])
    ));
    if r.chance(40) {
        p.patient.kana = Some(r.pick(&["ヤマダ タロウ", "スズキ ハナコ"]).to_string());
    }
    p.patient.birth_date = Some(r.date(1930, 2020));
    p.patient.sex = Some(*r.pick(&[Sex::Male, Sex::Female]));
    if r.chance(70) {
        p.patient.insured_kind = Some(*r.pick(&[InsuredKind::Insured, InsuredKind::Dependent]));
    }
    p.issued = Some(r.date(2024, 2026));
    if r.chance(30) {
        p.valid_until_written = p
            .issued
            .and_then(|d| d.checked_add_days(chrono::Days::new(3 + r.below(10))));
    }
    p.institution.address = Some(
        r.pick(&["東京都千代田区神田1-2-3", "大阪府大阪市北区梅田1-1"])
            .to_string(),
    );
    p.institution.name = Some(r.pick(&["さくらクリニック", "みどり内科医院"]).to_string());
    p.institution.phone = Some(format!("0{}-{}-{}", r.digits(1), r.digits(4), r.digits(4)));
    p.institution.prefecture_code = Some(format!("{:02}", 1 + r.below(47)));
    p.institution.fee_table_code = Some("1".into());
    p.institution.code = Some(r.digits(7));
    p.prescriber.name = Some(r.pick(&["佐藤 花子", "田中 一郎"]).to_string());
    p.prescriber.signed = true;
    p.prescriber.nosub_signature = r.chance(50);
    if r.chance(30) {
        p.refill = Refill {
            allowed: true,
            count: Some(1 + r.below(3) as u32),
        };
    }
    p.leftover = *r.pick(&[
        None,
        Some(Leftover::InquireThenDispense),
        Some(Leftover::Inform),
    ]);
    let groups = 1 + r.below(5) as u32;
    let mut index = 0;
    for rp in 1..=groups {
        let kind = r.below(10);
        let n = if kind < 6 { 1 + r.below(2) } else { 1 };
        let tpd = 1 + r.below(3) as u32;
        let timing = r.pick(TIMINGS[tpd as usize - 1]).to_string();
        let days = 1 + r.below(90) as u32;
        let times = 1 + r.below(20) as u32;
        for _ in 0..n {
            index += 1;
            let mut it = Item {
                index,
                rp,
                ..Item::default()
            };
            match kind {
                0..=5 => {
                    let (name, unit) = r.pick(INTERNAL);
                    it.name = name.to_string();
                    it.category = Category::Internal;
                    it.amount = Some(Amount {
                        value: Decimal::from(1 + r.below(6)),
                        unit: unit.to_string(),
                        basis: Basis::PerDay,
                    });
                    it.times_per_day = Some(tpd);
                    it.timing = Some(timing.clone());
                    it.days = Some(days);
                }
                6 | 7 => {
                    let (name, unit, cond) = r.pick(AS_NEEDED);
                    it.name = name.to_string();
                    it.category = Category::AsNeeded;
                    it.amount = Some(Amount {
                        value: Decimal::from(1 + r.below(2)),
                        unit: unit.to_string(),
                        basis: Basis::PerDose,
                    });
                    it.timing = Some(cond.to_string());
                    it.times = Some(times);
                }
                _ => {
                    let (name, unit) = r.pick(EXTERNAL);
                    it.name = name.to_string();
                    it.category = Category::External;
                    it.amount = Some(Amount {
                        value: Decimal::from(5 + r.below(60)),
                        unit: unit.to_string(),
                        basis: Basis::Total,
                    });
                    it.times_per_day = Some(tpd);
                }
            }
            it.general_name = r.chance(25);
            it.flags.no_substitution = r.chance(30);
            it.flags.patient_wish = r.chance(30);
            it.flags.medical_need_written =
                layout == Layout::Old && it.flags.no_substitution && r.chance(50);
            it.flags.no_form_change = r.chance(10);
            it.flags.no_strength_change = r.chance(10);
            p.items.push(it);
        }
    }
    p
}

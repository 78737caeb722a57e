//! Records → [`Prescription`].
//!
//! Decisions (also in the module docs of [`crate::jahis`]):
//! - Drug-level records join their drug by (RP番号, RP内連番) and drugs join their RP by RP番号,
//!   never by position. Items are ordered by RP番号, then 連番; `index` counts from 1.
//! - 剤形区分 9 (不明) becomes `injection` when the group carries injection evidence: the usage
//!   text says 注射/注入/皮下/静注/筋注, or a drug is named …注… , or its unit is キット/シリンジ/
//!   バイアル/アンプル/筒. Otherwise it stays `unknown`.
//! - Amount basis: 内服 per day (insurance rule), 頓服 per dose, everything else the total.
//!   Days for 内服 from 調剤数量, times (回分) for 頓服, neither for the rest.
//! - `prescriber.signed` is true when record 5 carries the doctor's name: the symbol is printed
//!   by the same system that prints the 記名 on the form; the seal or handwriting itself is on
//!   the paper, where the pharmacist sees it. `nosub_signature` follows the same reasoning.
//! - Partial birth dates (`YYYY`, `YYYYMM`, era `GYY`, `GYYMM`) leave `birth_date` null with a
//!   `date-invalid` note saying what was written, instead of inventing a day.
//! - `list_closed` is true: a symbol's record list is complete by construction.
//! - 64 リフィル総使用回数 n: `refill.allowed = n > 0`, `count = n`.
//! - 181 用法補足: 区分 2 (一包化) and 4 (粉砕) become item comments; the others continue the
//!   usage text (漸減, 隔日, 用法の続き, 部位, 1回使用量, JAMI).
//! - 281 薬品補足: 3 no_substitution, 4 no_form_change, 5 no_strength_change, 6 both 4 and 5,
//!   8 patient_wish; 1 (一包化), 2 (粉砕), 7 (JAMI 補足用法) and unknown kinds become comments.
//! - 27/28/29 and 30 (特殊公費) become `public_expense` in that order.
//! - 301 提供診療情報 and 302 検査値データ等 become remarks prefixed `提供診療情報` / `検査値`.
//! - Not mapped (no place in the model, read and checked only): 4 診療科, 25, 31, 61 麻薬施用,
//!   82 処方箋番号, 102, 211 単位変換, 231 負担区分. 63 分割指示 becomes a remark.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::records::{RawRecord, trim};
use super::structure::{DrugKey, drug_key, note, rp_of};
use super::usage;
use crate::model::{
    Amount, Basis, Category, DrugCode, InsuredKind, Item, Layout, Leftover, Prescription,
    PublicExpense, ReadNote, Sex,
};
use crate::normalize::fold;

/// 剤形区分 code → category.
pub const CATEGORIES: &[(&str, Category)] = &[
    ("1", Category::Internal),
    ("2", Category::AsNeeded),
    ("3", Category::External),
    ("4", Category::Drops),
    ("5", Category::Injection),
    ("6", Category::Material),
    ("9", Category::Unknown),
];

/// 薬品コード種別 code → `DrugCode.kind`.
pub const CODE_KINDS: &[(&str, &str)] = &[
    ("1", "none"),
    ("2", "receipt"),
    ("3", "mhlw"),
    ("4", "yj"),
    ("5", "other"),
    ("6", "hot"),
    ("7", "general_name"),
];

/// 一般名 markers written before a name.
const GENERAL_MARKERS: &[&str] = &["【般】", "(般)", "[般]", "〔般〕"];

/// Evidence that a 剤形区分 9 group is an injection: in the usage, the name, the unit.
const INJECTION_USAGE: &[&str] = &["注射", "注入", "皮下", "静注", "筋注"];
const INJECTION_NAME: &[&str] = &["注", "ペン", "シリンジ"];
/// Names with 注 that are not injections (注腸 = enema).
const NOT_INJECTION_NAME: &[&str] = &["注腸", "注意"];
const INJECTION_UNIT: &[&str] = &["キット", "シリンジ", "バイアル", "アンプル", "筒"];

/// Characters that [`fold`] leaves unchanged and that cannot compose with a neighbour:
/// ASCII, hiragana, katakana, CJK unified ideographs and the common CJK brackets and marks.
/// (Composition needs a combining mark or a Hangul jamo as the second character; none is
/// listed.) The exhaustive test `already_folded_agrees_with_fold` checks every listed char.
fn stable_char(c: char) -> bool {
    c.is_ascii()
        || matches!(c,
            '\u{3001}'..='\u{3003}' | '\u{3005}'..='\u{3011}' | '\u{3014}'..='\u{301F}'
            | '\u{3041}'..='\u{3096}' | '\u{309D}'..='\u{309E}' | '\u{30A1}'..='\u{30FE}'
            | '\u{4E00}'..='\u{9FFF}')
}

/// `fold(s) == s`, decided without building the NFKC form (most names and addresses are
/// kanji and kana only); `false` means "not known", and the full fold runs.
#[cfg(test)]
fn already_folded(s: &str) -> bool {
    s.chars().all(stable_char)
}

/// What [`fold`] makes of a full-width ASCII form (U+FF01–U+FF5E → U+0021–U+007E) or the
/// ideographic space: one ASCII char, which (like the [`stable_char`]s) composes with nothing.
/// The exhaustive test `wide_ascii_agrees_with_fold` checks every one.
fn wide_ascii(c: char) -> Option<char> {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
        '\u{3000}' => Some(' '),
        _ => None,
    }
}

/// What NFKC makes of a half-width katakana form (U+FF61–U+FF9F): one full-width char, or
/// the combining voicing mark U+3099/U+309A for ﾞ/ﾟ (which [`fold_fast`] composes with the
/// kana before it). The exhaustive test `half_kana_agrees_with_fold` checks every one.
fn half_kana(c: char) -> Option<char> {
    if !('\u{FF61}'..='\u{FF9F}').contains(&c) {
        return None;
    }
    let (mut out, mut n) = (None, 0);
    unicode_normalization::char::decompose_compatible(c, |d| {
        out = Some(d);
        n += 1;
    });
    out.filter(|_| n == 1)
}

/// [`fold`], without the NFKC pass for text made only of [`stable_char`]s, [`wide_ascii`]
/// forms (`１日２回朝夕食後`, `錠１００ｍｇ`) and half-width katakana (`ﾀﾞﾐｰ ﾊﾅｺ`): those fold
/// char by char, a voicing mark composing with the kana before it. Anything else
/// (compatibility ideographs, combining marks, a voicing mark that composes with nothing, …)
/// takes the full fold.
fn fold_fast(v: &str) -> String {
    fold_scan(v).0
}

/// Whether the 3-byte UTF-8 sequence starting `lead, b1, b2` is a [`stable_char`] that can
/// be told from its bytes alone: kanji U+4E00–U+9FFF (E4 B8–E9 BF) and the kana blocks
/// (hiragana U+3041–U+3096, ゝゞ, katakana U+30A1–U+30FE). `false` only means "decode it".
/// The exhaustive test `stable_3byte_implies_stable_char` checks every 3-byte char.
#[inline]
fn stable_3byte(lead: u8, b1: Option<u8>, b2: Option<u8>) -> bool {
    matches!(
        (lead, b1, b2),
        (0xE5..=0xE9, _, _)
            | (0xE4, Some(0xB8..=0xBF), _)
            | (0xE3, Some(0x81), Some(0x81..=0xBF))
            | (0xE3, Some(0x82), Some(0x80..=0x96 | 0x9D | 0x9E | 0xA1..=0xBF))
            | (0xE3, Some(0x83), Some(0x80..=0xBE))
    )
}

/// [`fold_fast`], and whether the result may hold a space or an ASCII control char (false
/// means [`text`] has nothing to collapse or trim).
///
/// One pass over the bytes: ASCII, kanji and kana ([`stable_3byte`]) are stepped over
/// without decoding a char; unchanged runs are copied as bytes, only the
/// changed chars are pushed.
fn fold_scan(v: &str) -> (String, bool) {
    let b = v.as_bytes();
    let mut out = String::with_capacity(v.len());
    let mut spaced = false;
    // Start of the unchanged bytes not copied yet.
    let mut run = 0;
    let mut i = 0;
    while let Some(&lead) = b.get(i) {
        if lead < 0x80 {
            spaced |= lead <= b' ';
            i += 1;
            continue;
        }
        if stable_3byte(lead, b.get(i + 1).copied(), b.get(i + 2).copied()) {
            i += 3;
            continue;
        }
        // `i` is always a char boundary: it moves by whole chars.
        let Some(c) = v.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        let next = i + c.len_utf8();
        if stable_char(c) {
            i = next;
            continue;
        }
        let Some(d) = wide_ascii(c).or_else(|| half_kana(c)) else {
            return (fold(v), true);
        };
        out.push_str(&v[run..i]);
        run = next;
        i = next;
        if matches!(d, '\u{3099}' | '\u{309A}') {
            // NFKC composes the mark with the char before it (a starter: every char that
            // reaches here is one); when nothing composes, the full fold decides.
            match out
                .pop()
                .and_then(|prev| unicode_normalization::char::compose(prev, d))
            {
                Some(k) => out.push(k),
                None => return (fold(v), true),
            }
        } else {
            spaced |= d <= ' ';
            out.push(d);
        }
    }
    out.push_str(&v[run..]);
    (out, spaced)
}

/// Display text: NFKC-folded (skipped when already folded), runs of spaces
/// collapsed to one, trimmed.
fn text(v: &str) -> Option<String> {
    let (t, spaced) = fold_scan(v);
    if t.is_empty() {
        return None;
    }
    // Most fields have no space at all: keep the folded string as it is.
    if !spaced {
        return Some(t);
    }
    // Clean all the same when there is no leading/trailing space, no double space and no
    // tab/CR/LF (one byte pass).
    let mut after_space = true;
    let mut clean = true;
    for &c in t.as_bytes() {
        match c {
            b' ' if after_space => {
                clean = false;
                break;
            }
            b' ' => after_space = true,
            b'\t' | b'\r' | b'\n' => {
                clean = false;
                break;
            }
            _ => after_space = false,
        }
    }
    if clean && !after_space {
        return Some(t);
    }
    let mut out = String::with_capacity(t.len());
    for w in t.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    (!out.is_empty()).then_some(out)
}

fn raw(v: &str) -> Option<String> {
    let t = trim(v);
    (!t.is_empty()).then(|| t.to_string())
}

fn num(v: &str) -> Option<u32> {
    trim(v).parse().ok()
}

fn dec(v: &str) -> Option<Decimal> {
    Decimal::from_str(trim(v)).ok().map(|d| d.normalize())
}

fn category_of(code: &str) -> Category {
    CATEGORIES
        .iter()
        .find(|(c, _)| *c == trim(code))
        .map_or(Category::Unknown, |(_, k)| *k)
}

/// A full date field; a bad one becomes a `date-invalid` note.
fn date(v: &str, what: &str, line: u32, notes: &mut Vec<ReadNote>) -> Option<NaiveDate> {
    if trim(v).is_empty() {
        return None;
    }
    match crate::date::jahis_date(v) {
        Ok(d) => Some(d),
        Err(e) => {
            notes.push(note(
                "date-invalid",
                format!("{what} {:?}: {e}", trim(v)),
                None,
                line,
            ));
            None
        }
    }
}

/// The birth date: full forms as [`date`], partial forms (year, year-month) noted.
fn birth_date(v: &str, line: u32, notes: &mut Vec<ReadNote>) -> Option<NaiveDate> {
    let t = trim(v);
    let partial = match t.len() {
        4 | 6 if t.bytes().all(|b| b.is_ascii_digit()) => Some("西暦"),
        3 | 5 if t.bytes().all(|b| b.is_ascii_digit()) => Some("和暦"),
        _ => None,
    };
    if let Some(form) = partial {
        let what = if t.len() <= 4 {
            "年のみ"
        } else {
            "年月のみ"
        };
        notes.push(note(
            "date-invalid",
            format!(
                "生年月日 {t:?} は{form}の{what}で日が不明です（生年月日は空として扱いました）"
            ),
            None,
            line,
        ));
        return None;
    }
    date(v, "生年月日", line, notes)
}

#[derive(Default)]
struct Rp<'r, 'a> {
    form: Option<&'r RawRecord<'a>>,
    usage: Option<&'r RawRecord<'a>>,
    supplements: Vec<&'r RawRecord<'a>>,
}

#[derive(Default)]
struct Drug<'r, 'a> {
    drug: Option<&'r RawRecord<'a>>,
    uneven: Option<&'r RawRecord<'a>>,
    dose: Option<&'r RawRecord<'a>>,
    notes: Vec<&'r RawRecord<'a>>,
}

/// The value for `key`, added (default) when missing.
fn entry<K: PartialEq, V: Default>(list: &mut Vec<(K, V)>, key: K) -> &mut V {
    let i = match list.iter().position(|(k, _)| *k == key) {
        Some(i) => i,
        None => {
            list.push((key, V::default()));
            list.len() - 1
        }
    };
    &mut list[i].1
}

/// Builds the prescription from one content's records (already checked by
/// [`super::structure::check`]; the mapper only adds `date-invalid` notes).
pub fn map(recs: &[RawRecord<'_>]) -> Prescription {
    let mut p = Prescription {
        layout: Layout::Jahis,
        ..Prescription::default()
    };
    // The symbol's record list is complete by construction: there is no 以下余白 to look for.
    p.list_closed = true;
    let mut notes = Vec::new();
    // A symbol has a handful of RPs and drugs: small vectors (sorted by key after the
    // loop) instead of maps.
    let mut rps: Vec<(u32, Rp<'_, '_>)> = Vec::new();
    let mut drugs: Vec<(DrugKey, Drug<'_, '_>)> = Vec::new();
    let mut public: [Option<PublicExpense>; 4] = Default::default();

    // Once-only record types already read, one bit per catalog position (a set without
    // an allocation; `catalog` fails the build past 64 types).
    let mut seen_once: u64 = 0;
    for r in recs {
        // A repeated once-only record is reported by the structure check; the first one counts.
        if let Some(at) = super::catalog::position(r.number)
            && super::catalog::RECORDS[at].repeat == super::catalog::Repeat::Once
        {
            let bit = 1u64 << at;
            if seen_once & bit != 0 {
                continue;
            }
            seen_once |= bit;
        }
        let g = |i: usize| r.get(i);
        match r.number {
            1 => {
                p.institution.fee_table_code = text(g(0));
                // Folded first: full-width digits are digits too.
                p.institution.code = text(g(1)).map(|mut c| {
                    c.retain(|ch| ch.is_ascii_digit());
                    c
                });
                p.institution.prefecture_code = text(g(2));
                p.institution.name = text(g(3));
            }
            2 => p.institution.address = text(g(1)),
            3 => p.institution.phone = text(g(0)),
            5 => {
                p.prescriber.name = text(g(2)).or_else(|| text(g(1)));
                p.prescriber.signed = p.prescriber.name.is_some();
                p.prescriber.nosub_signature = p.prescriber.signed;
            }
            11 => {
                p.patient.name = text(g(1));
                p.patient.kana = text(g(2));
            }
            12 => {
                p.patient.sex = match trim(g(0)) {
                    "1" => Some(Sex::Male),
                    "2" => Some(Sex::Female),
                    _ => None,
                }
            }
            13 => p.patient.birth_date = birth_date(g(0), r.line, &mut notes),
            14 => p.insurance.elderly_share = trim(g(0)).parse().ok(),
            21 => p.insurance.kind = trim(g(0)).parse().ok(),
            22 => p.insurance.insurer_number = text(g(0)),
            23 => {
                p.insurance.symbol = text(g(0));
                p.insurance.number = text(g(1));
                p.patient.insured_kind = match trim(g(2)) {
                    "1" => Some(InsuredKind::Insured),
                    "2" => Some(InsuredKind::Dependent),
                    _ => None,
                };
                p.insurance.branch = text(g(3));
            }
            24 => {
                p.copay_rate = num(g(0))
                    .map(|pct| Decimal::from(pct) / Decimal::from(100))
                    .map(|d| d.normalize())
            }
            27..=30 => {
                let pe = PublicExpense {
                    payer_number: text(g(0)),
                    recipient_number: text(g(1)),
                };
                if pe.payer_number.is_some() || pe.recipient_number.is_some() {
                    public[usize::from(r.number - 27)] = Some(pe);
                }
            }
            51 => p.issued = date(g(0), "交付年月日", r.line, &mut notes),
            52 => p.valid_until_written = date(g(0), "使用期限", r.line, &mut notes),
            62 => {
                p.leftover = match trim(g(0)) {
                    "1" => Some(Leftover::InquireThenDispense),
                    "2" => Some(Leftover::Inform),
                    _ => None,
                }
            }
            63 => {
                if let (Some(total), Some(nth)) = (num(g(0)), num(g(1))) {
                    p.remarks
                        .push(format!("分割指示: {total}回分割の{nth}回目"));
                }
            }
            64 => {
                let n = num(g(0));
                p.refill.allowed = n.is_some_and(|n| n > 0);
                p.refill.count = n.filter(|&n| n > 0);
            }
            81 => p.remarks.extend(text(g(2))),
            301 => {
                let about = text(g(1)).map(|d| format!("（{d}）")).unwrap_or_default();
                p.remarks
                    .extend(text(g(2)).map(|c| format!("提供診療情報{about}: {c}")));
            }
            302 => p.remarks.extend(text(g(1)).map(|c| format!("検査値: {c}"))),
            101 | 111 | 181 => {
                let Some(rp) = rp_of(r) else { continue };
                let e = entry(&mut rps, rp);
                match r.number {
                    101 => e.form = e.form.or(Some(r)),
                    111 => e.usage = e.usage.or(Some(r)),
                    _ => e.supplements.push(r),
                }
            }
            201 | 221 | 241 | 281 => {
                let Some(k) = drug_key(r) else { continue };
                // Records for a drug with no 201 are reported by the structure check; their
                // entry has no `drug` and is skipped below (nothing to bind them to).
                let e = entry(&mut drugs, k);
                match r.number {
                    201 => e.drug = e.drug.or(Some(r)),
                    221 => e.uneven = e.uneven.or(Some(r)),
                    241 => e.dose = e.dose.or(Some(r)),
                    _ => e.notes.push(r),
                }
            }
            _ => {}
        }
    }
    p.insurance.public_expense = public.into_iter().flatten().collect();

    rps.sort_unstable_by_key(|(k, _)| *k);
    drugs.sort_unstable_by_key(|(k, _)| *k);
    // Sized once: a grown `Vec<Item>` (large elements) is one of the costliest allocations.
    p.items
        .reserve_exact(drugs.iter().filter(|(_, d)| d.drug.is_some()).count());
    // Same numbering as the structure check's notes (RP order, then 連番, 201s only).
    let bound = drugs
        .iter()
        .filter_map(|((rp, _), d)| Some((*rp, d.drug?, d)));
    for (index, (rp, dr, d)) in (1..).zip(bound) {
        let group = rps
            .binary_search_by_key(&rp, |(k, _)| *k)
            .ok()
            .map(|i| &rps[i].1);
        p.items.push(item(index, rp, dr, d, group));
    }
    p.notes = notes;
    p
}

fn item(
    index: u32,
    rp: u32,
    dr: &RawRecord<'_>,
    d: &Drug<'_, '_>,
    group: Option<&Rp<'_, '_>>,
) -> Item {
    let raw_name = trim(dr.get(5));
    let folded = fold_fast(raw_name);
    let mut name = trim(&folded);
    let mut general_name = trim(dr.get(3)) == "7";
    for m in GENERAL_MARKERS {
        if let Some(rest) = name.strip_prefix(m) {
            name = rest.trim_start();
            general_name = true;
        }
    }
    let code = raw(dr.get(4)).map(|code| DrugCode {
        kind: CODE_KINDS
            .iter()
            .find(|(c, _)| *c == trim(dr.get(3)))
            .map_or("unknown", |(_, k)| k)
            .to_string(),
        code,
    });
    let unit = fold_fast(trim(dr.get(8)));

    let usage_rec = group.and_then(|g| g.usage);
    let usage_text = usage_rec.and_then(|u| text(u.get(3)));
    let mut usage = usage_text.clone();
    let mut comments = Vec::new();
    if let Some(g) = group {
        let mut sup: Vec<&RawRecord<'_>> = g.supplements.clone();
        sup.sort_by_key(|s| num(s.get(1)).unwrap_or(u32::MAX));
        for s in sup {
            let Some(t) = text(s.get(3)) else { continue };
            match trim(s.get(2)) {
                "2" | "4" => comments.push(t),
                _ => {
                    usage = Some(match usage {
                        Some(u) => format!("{u} {t}"),
                        None => t,
                    })
                }
            }
        }
    }
    let times_per_day = usage_rec
        .and_then(|u| num(u.get(4)))
        .or_else(|| usage_text.as_deref().and_then(usage::times_per_day_folded));
    let timing = usage_text.as_deref().and_then(usage::timing_key_folded);

    let form = group.and_then(|g| g.form);
    let mut category = form.map_or(Category::Unknown, |f| category_of(f.get(1)));
    if category == Category::Unknown && form.is_some() {
        let usage_says = usage_text
            .as_deref()
            .is_some_and(|u| INJECTION_USAGE.iter().any(|w| u.contains(w)));
        let name_says = INJECTION_NAME.iter().any(|w| name.contains(w))
            && !NOT_INJECTION_NAME.iter().any(|w| name.contains(w));
        let unit_says = INJECTION_UNIT.iter().any(|w| unit == *w);
        if usage_says || name_says || unit_says {
            category = Category::Injection;
        }
    }
    let quantity = form.and_then(|f| num(f.get(3)));
    let basis = match category {
        Category::Internal => Basis::PerDay,
        Category::AsNeeded => Basis::PerDose,
        _ => Basis::Total,
    };
    let amount = dec(dr.get(6)).map(|value| Amount {
        value,
        unit: unit.clone(),
        basis,
    });
    let uneven = d
        .uneven
        .map(|u| (2..7).filter_map(|i| dec(u.get(i))).collect())
        .unwrap_or_default();
    let per_dose = d.dose.and_then(|r| dec(r.get(2))).map(|value| Amount {
        value,
        unit: unit.clone(),
        basis: Basis::PerDose,
    });

    let mut flags = crate::model::Flags::default();
    let mut sup: Vec<&RawRecord<'_>> = d.notes.clone();
    sup.sort_by_key(|s| num(s.get(2)).unwrap_or(u32::MAX));
    for s in sup {
        match trim(s.get(3)) {
            "3" => flags.no_substitution = true,
            "4" => flags.no_form_change = true,
            "5" => flags.no_strength_change = true,
            "6" => {
                flags.no_form_change = true;
                flags.no_strength_change = true;
            }
            "8" => flags.patient_wish = true,
            kind => {
                let fallback = match kind {
                    "1" => Some("一包化".to_string()),
                    "2" => Some("粉砕".to_string()),
                    _ => None,
                };
                comments.extend(text(s.get(4)).or(fallback));
            }
        }
    }

    Item {
        index,
        rp,
        line: None,
        source_text: raw_name.to_string(),
        name: name.to_string(),
        general_name,
        category,
        amount,
        package: None,
        usage,
        times_per_day,
        days: (category == Category::Internal)
            .then_some(quantity)
            .flatten(),
        times: (category == Category::AsNeeded)
            .then_some(quantity)
            .flatten(),
        timing,
        uneven,
        flags,
        comments,
        code,
        per_dose,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn already_folded_agrees_with_fold() {
        for c in (0u32..0x11_0000).filter_map(char::from_u32) {
            let s = c.to_string();
            if already_folded(&s) {
                assert_eq!(fold(&s), s, "U+{:04X}", c as u32);
                // Nothing listed is a combining mark that could compose with what precedes it.
                assert_eq!(unicode_normalization::char::canonical_combining_class(c), 0);
                assert_eq!(
                    fold(&format!("か{s}")),
                    format!("か{s}"),
                    "U+{:04X}",
                    c as u32
                );
            }
        }
        assert!(already_folded("例示病院"));
        assert!(!already_folded("１日"));
        assert!(!already_folded("見本\u{3000}花子"));
    }

    #[test]
    fn wide_ascii_agrees_with_fold() {
        let wide = ('\u{FF01}'..='\u{FF5E}').chain(['\u{3000}']);
        for c in wide {
            let s = c.to_string();
            assert_eq!(fold_fast(&s), fold(&s), "U+{:04X}", c as u32);
            for ctx in [format!("か{s}錠"), format!("{s}{s}a"), format!("Ａ{s}ア")] {
                assert_eq!(fold_fast(&ctx), fold(&ctx), "{ctx}");
            }
        }
        assert_eq!(fold_fast("１日２回朝夕食後"), "1日2回朝夕食後");
        // Half-width katakana composes with its voicing mark (ﾀﾞ → ダ).
        assert_eq!(fold_fast("ﾀﾞﾐｰ１"), "ダミー1");
        // A combining mark after a wide form: the full fold composes it.
        assert_eq!(fold_fast("ｅ\u{301}"), fold("ｅ\u{301}"));
    }

    #[test]
    fn stable_3byte_implies_stable_char() {
        let mut fast = 0;
        for c in ('\u{800}'..='\u{FFFF}').filter(|c| c.len_utf8() == 3) {
            let mut buf = [0u8; 4];
            let b = c.encode_utf8(&mut buf).as_bytes();
            if stable_3byte(b[0], Some(b[1]), Some(b[2])) {
                assert!(stable_char(c), "U+{:04X}", c as u32);
                fast += 1;
            }
        }
        // Every kanji of U+4E00–U+9FFF and the 86 + 2 + 94 kana.
        assert_eq!(fast, 0x5200 + 86 + 2 + 94);
    }

    #[test]
    fn half_kana_agrees_with_fold() {
        let half: Vec<char> = ('\u{FF61}'..='\u{FF9F}').collect();
        let marks = ['\u{FF9E}', '\u{FF9F}', '\u{3099}', '\u{309A}', '\u{309B}'];
        // Every half-width form alone, after each other and before every voicing mark,
        // also after full-width kana (ヽﾞ → ヾ, ガﾞ stays two) and ASCII.
        let before: Vec<String> = half
            .iter()
            .map(|c| c.to_string())
            .chain(["", "カ", "ガ", "ヽ", "ウ", "a", "１"].map(String::from))
            .collect();
        for b in &before {
            for c in &half {
                for s in [format!("{b}{c}"), format!("{b}{c}ｱ")] {
                    assert_eq!(fold_fast(&s), fold(&s), "{s:?}");
                }
                for m in marks {
                    let s = format!("{b}{c}{m}{m}");
                    assert_eq!(fold_fast(&s), fold(&s), "{s:?}");
                    let s = format!("{b}{c}{m}");
                    assert_eq!(fold_fast(&s), fold(&s), "{s:?}");
                }
            }
            for m in marks {
                let s = format!("{b}{m}");
                assert_eq!(fold_fast(&s), fold(&s), "{s:?}");
            }
        }
        assert_eq!(fold_fast("ﾀﾞﾐｰ ﾊﾅｺ"), "ダミー ハナコ");
        assert_eq!(fold_fast("ﾊﾟﾝ"), "パン");
    }

    #[test]
    fn text_collapses_spaces_like_split_whitespace() {
        for (v, want) in [
            ("", None),
            (" ", None),
            ("a", Some("a")),
            (" a", Some("a")),
            ("a ", Some("a")),
            ("a  b", Some("a b")),
            ("a b", Some("a b")),
            ("見本\u{3000}花子", Some("見本 花子")),
            ("見本\u{3000}\u{3000}花子\u{3000}", Some("見本 花子")),
            ("a\tb", Some("a b")),
            ("懸濁する ", Some("懸濁する")),
            ("ﾀﾞﾐｰ ﾊﾅｺ", Some("ダミー ハナコ")),
            ("\u{3000}例示\u{3000}", Some("例示")),
            ("a\u{b}b", Some("a\u{b}b")),
            ("\u{2F45}  ", Some("方")),
            ("例示第二病院", Some("例示第二病院")),
        ] {
            assert_eq!(text(v).as_deref(), want, "{v:?}");
        }
    }
}

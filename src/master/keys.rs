//! Matching keys: prescription names and master names meet after the same folding.

use crate::normalize::fold;

/// The key a drug name is matched on: [`fold`] (NFKC: ｍｇ → mg, full-width digits), spaces
/// removed, ASCII lower-cased, and the 一般名 markers (【般】, ［般］, (般)) dropped.
///
/// ```
/// use shohosen::master::keys::name_key;
/// assert_eq!(name_key("ジスロマック錠２５０ｍｇ"), name_key("ジスロマック錠 250MG"));
/// assert_eq!(name_key("【般】アムロジピン錠５ｍｇ"), "アムロジピン錠5mg");
/// ```
pub fn name_key(s: &str) -> String {
    let f = fold(s);
    let mut t = f.as_str();
    for marker in ["【般】", "[般]", "(般)", "【般】 "] {
        if let Some(rest) = t.strip_prefix(marker) {
            t = rest;
        }
    }
    t.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The name without a trailing maker suffix 「…」 (`アジスロマイシン錠250mg「タカタ」` →
/// `アジスロマイシン錠250mg`): how a generic's name reads as its 一般名.
pub fn without_maker(key: &str) -> &str {
    match key.find('「') {
        Some(i) if key.ends_with('」') && i > 0 => &key[..i],
        _ => key,
    }
}

/// The 9-character group of a 薬価基準収載医薬品コード (ingredient, form, strength): the
/// products among which the highest generic price is taken.
pub fn group_of(code: &str) -> Option<&str> {
    if code.len() >= 9 && code.is_ascii() {
        Some(&code[..9])
    } else {
        None
    }
}

/// Dosage-form words, longest first, used to build an ingredient + form + strength key.
const FORMS: &[&str] = &[
    "口腔内崩壊錠",
    "ドライシロップ",
    "徐放錠",
    "腸溶錠",
    "OD錠",
    "錠",
    "カプセル",
    "細粒",
    "顆粒",
    "散",
    "シロップ",
    "内用液",
    "テープ",
    "パップ",
    "点眼液",
    "点鼻液",
    "ローション",
    "軟膏",
    "クリーム",
    "ゲル",
    "坐剤",
    "吸入",
    "注",
];

/// The dosage-form word in a (folded) product name, if any.
pub fn form_in(name_key: &str) -> Option<&'static str> {
    FORMS
        .iter()
        .copied()
        .find(|f| name_key.contains(&f.to_ascii_lowercase()))
}

/// The strength part of a price-list 規格 (`２５０ｍｇ１錠` → `250mg`, `１％１ｇ` → `1%`):
/// the text before the trailing count-and-unit.
pub fn strength_of(spec_key: &str) -> String {
    // Cut at the last "1<unit>" that ends the spec (the unit the price is per).
    let bytes: Vec<char> = spec_key.chars().collect();
    let mut cut = bytes.len();
    let mut i = bytes.len();
    while i > 0 && !bytes[i - 1].is_ascii_digit() {
        i -= 1;
    }
    if i > 0 && i < bytes.len() {
        let mut j = i;
        while j > 0 && (bytes[j - 1].is_ascii_digit() || bytes[j - 1] == '.') {
            j -= 1;
        }
        cut = j;
    }
    bytes[..cut].iter().collect()
}

/// The unit a price-list 規格 is priced per (`２５０ｍｇ１錠` → `錠`, `０．１％５ｍＬ１瓶` →
/// `瓶`, `１０ｇ` → `10g`: a count other than 1 is kept so 「10」-unit items are recognised).
///
/// ```
/// use shohosen::master::keys::unit_of_spec;
/// assert_eq!(unit_of_spec("２５０ｍｇ１錠"), "錠");
/// assert_eq!(unit_of_spec("１％１ｇ"), "g");
/// assert_eq!(unit_of_spec("０．１％５ｍＬ１瓶"), "瓶");
/// assert_eq!(unit_of_spec("１０ｇ"), "10g");
/// ```
pub fn unit_of_spec(spec: &str) -> String {
    let f: Vec<char> = fold(spec).chars().filter(|c| !c.is_whitespace()).collect();
    let mut i = f.len();
    while i > 0 && !f[i - 1].is_ascii_digit() {
        i -= 1;
    }
    let unit: String = f[i..].iter().collect();
    let mut j = i;
    while j > 0 && (f[j - 1].is_ascii_digit() || f[j - 1] == '.') {
        j -= 1;
    }
    let count: String = f[j..i].iter().collect();
    if count.is_empty() || count == "1" {
        unit
    } else {
        format!("{count}{unit}")
    }
}

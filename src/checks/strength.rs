//! Which drugs exist in several strengths (規格), for `strength-missing`.
//!
//! The index is built from product names: each name is split into a *base* (the name with its
//! strengths and maker suffix 「…」 removed, e.g. `アムロジン錠`) and its strength (`5mg`).
//! A prescription line whose name has no number and whose base has two or more strengths in
//! the index is ambiguous.
//!
//! ```
//! use shohosen::checks::strength::{StrengthIndex, StrengthLookup};
//! let idx = StrengthIndex::from_names(["アムロジン錠2.5mg", "アムロジン錠5mg", "ゼチーア錠10mg"]);
//! assert_eq!(idx.strengths_of("アムロジン錠"), vec!["2.5mg".to_string(), "5mg".to_string()]);
//! assert_eq!(idx.strengths_of("ゼチーア錠").len(), 1);
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use regex::Regex;

use crate::normalize::fold;

/// Something that knows the strengths a drug base name exists in.
///
/// The pipeline may pass one built from the master in force (`StrengthIndex::from_names` over
/// every product name); the checks always also consult [`StrengthIndex::builtin`].
pub trait StrengthLookup: Sync {
    /// The distinct strengths (as written in the product names, NFKC) of drugs whose base name
    /// is `base` (see [`base_and_strength`]), sorted.
    fn strengths_of(&self, base: &str) -> Vec<String>;
}

/// Base name → strengths.
#[derive(Debug, Clone, Default)]
pub struct StrengthIndex {
    map: BTreeMap<String, BTreeSet<String>>,
}

fn strength_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // A number with an optional unit: 2.5mg, 0.1%, 200, 5mL, 10万単位, 100μg.
    RE.get_or_init(|| {
        Regex::new(r"[0-9]+(?:\.[0-9]+)?(?:mg|g|μg|µg|mcg|%|mL|ml|L|万単位|単位|IU|mEq|cm)?")
            .expect("static regex")
    })
}

fn maker_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"「[^」]*」").expect("static regex"))
}

/// Splits a product or prescription name into (base, strength); the strength is the numbers
/// with their units joined by `/` (empty when the name has none).
///
/// ```
/// use shohosen::checks::strength::base_and_strength;
/// assert_eq!(base_and_strength("アムロジピン錠５ｍｇ「サワイ」"), ("アムロジピン錠".into(), "5mg".into()));
/// assert_eq!(base_and_strength("カロナール錠300"), ("カロナール錠".into(), "300".into()));
/// assert_eq!(base_and_strength("ヒアレイン点眼液"), ("ヒアレイン点眼液".into(), "".into()));
/// ```
pub fn base_and_strength(name: &str) -> (String, String) {
    let folded = fold(name);
    let no_maker = maker_re().replace_all(&folded, "");
    let strength: Vec<&str> = strength_re()
        .find_iter(&no_maker)
        .map(|m| m.as_str())
        .collect();
    let base: String = strength_re()
        .replace_all(&no_maker, "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    (base, strength.join("/"))
}

impl StrengthIndex {
    /// An index over any list of product names.
    pub fn from_names<I, S>(names: I) -> StrengthIndex
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut map: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for n in names {
            let (base, strength) = base_and_strength(n.as_ref());
            if !base.is_empty() && !strength.is_empty() {
                map.entry(base).or_default().insert(strength);
            }
        }
        StrengthIndex { map }
    }

    /// A small built-in index: the drugs of the seed and FEES.md examples and their sibling
    /// strengths, names as in the MHLW 薬価基準収載品目リスト of 2024-11-20 (facts only).
    pub fn builtin() -> &'static StrengthIndex {
        static IDX: OnceLock<StrengthIndex> = OnceLock::new();
        IDX.get_or_init(|| StrengthIndex::from_names(BUILTIN_NAMES))
    }
}

impl StrengthLookup for StrengthIndex {
    fn strengths_of(&self, base: &str) -> Vec<String> {
        self.map
            .get(base)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }
}

/// Product names (MHLW 薬価基準収載品目リスト, 2024-11-20) of drugs sold in several strengths.
pub const BUILTIN_NAMES: &[&str] = &[
    "ジスロマック錠250mg",
    "ジスロマック錠600mg",
    "アジスロマイシン錠250mg",
    "アジスロマイシン錠500mg",
    "アリセプト錠3mg",
    "アリセプト錠5mg",
    "アリセプト錠10mg",
    "アリセプトD錠3mg",
    "アリセプトD錠5mg",
    "アリセプトD錠10mg",
    "ドネペジル塩酸塩錠3mg",
    "ドネペジル塩酸塩錠5mg",
    "ドネペジル塩酸塩錠10mg",
    "アムロジン錠2.5mg",
    "アムロジン錠5mg",
    "アムロジン錠10mg",
    "アムロジンOD錠2.5mg",
    "アムロジンOD錠5mg",
    "アムロジンOD錠10mg",
    "セレコックス錠100mg",
    "セレコックス錠200mg",
    "セレコキシブ錠100mg",
    "セレコキシブ錠200mg",
    "カロナール錠200",
    "カロナール錠300",
    "カロナール錠500",
    "アセトアミノフェン錠200mg",
    "アセトアミノフェン錠300mg",
    "アセトアミノフェン錠500mg",
    "フェキソフェナジン塩酸塩錠30mg",
    "フェキソフェナジン塩酸塩錠60mg",
    "ヒアレイン点眼液0.1%",
    "ヒアレイン点眼液0.3%",
    "ヒアレインミニ点眼液0.1%",
    "ヒアレインミニ点眼液0.3%",
    "ボルタレンサポ12.5mg",
    "ボルタレンサポ25mg",
    "ボルタレンサポ50mg",
    "ロキソニンテープ50mg",
    "ロキソニンテープ100mg",
    "モーラスパップ30mg",
    "モーラスパップ60mg",
    // Single-strength products, so that their base is known and stays quiet.
    "ゼチーア錠10mg",
    "レンドルミン錠0.25mg",
    "フランドルテープ40mg",
    "パタノール点眼液0.1%",
    "ボルタレンローション1%",
    "ロキソニン錠60mg",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_knows_multi_strength_families() {
        let b = StrengthIndex::builtin();
        assert_eq!(b.strengths_of("ジスロマック錠"), vec!["250mg", "600mg"]);
        assert_eq!(b.strengths_of("カロナール錠").len(), 3);
        assert_eq!(b.strengths_of("ヒアレイン点眼液"), vec!["0.1%", "0.3%"]);
        assert_eq!(b.strengths_of("ゼチーア錠"), vec!["10mg"]);
        assert!(b.strengths_of("ジスロマック").is_empty());
    }

    #[test]
    fn full_width_names_fold_to_the_same_base() {
        let idx = StrengthIndex::from_names([
            "アムロジピン錠２．５ｍｇ「サワイ」",
            "アムロジピン錠5mg「トーワ」",
        ]);
        assert_eq!(idx.strengths_of("アムロジピン錠"), vec!["2.5mg", "5mg"]);
        assert_eq!(base_and_strength("アムロジピン 錠").0, "アムロジピン錠");
    }
}

//! Drug classes the drug-line rules need, kept as data with their sources: 湿布薬 (patches
//! counted for the 63-sheet rule and excluded from refills), drugs with a limited prescription
//! length (麻薬, 向精神薬: no refills), and what counts as a comment line rather than a drug.
//!
//! ```
//! use shohosen::checks::drugs::{is_patch_name, refill_restriction, Restriction};
//! assert!(is_patch_name("モーラステープ20mg"));
//! assert!(!is_patch_name("フランドルテープ40mg")); // a nitrate patch, not a 湿布薬
//! assert_eq!(refill_restriction("レンドルミン錠0.25mg", None), Some(Restriction::Psychotropic));
//! ```

use std::sync::OnceLock;

use super::words::WordSet;
use crate::master::Product;
use crate::model::{Category, Item};
use crate::normalize::fold;

/// Source of the lists below.
pub const SOURCE: &str = "療担規則20条3号ロ・保医発0304第1号 (令和4年): 投薬量に限度が定められている医薬品 (麻薬, 向精神薬, 新医薬品) 及び湿布薬はリフィル不可; 湿布薬 = 貼付剤のうち薬効分類 264 鎮痛・鎮痒・収斂・消炎剤 (平成28年度改定)";

/// One [`WordSet`] per word list, built on first use.
macro_rules! word_set {
    ($fn_name:ident, $list:expr) => {
        fn $fn_name() -> &'static WordSet {
            static SET: OnceLock<WordSet> = OnceLock::new();
            SET.get_or_init(|| WordSet::new($list))
        }
    };
}

word_set!(patch_alone_re, PATCH_FORMS_ALONE);
word_set!(patch_form_re, PATCH_FORMS_WITH_INGREDIENT);
word_set!(patch_ingredient_re, PATCH_INGREDIENTS);
word_set!(narcotics_re, NARCOTICS);
word_set!(psychotropics_re, PSYCHOTROPICS);

fn day_limit_re() -> &'static WordSet {
    static SET: OnceLock<WordSet> = OnceLock::new();
    SET.get_or_init(|| {
        let words: Vec<&'static str> = DAY_LIMITS.iter().map(|(w, _)| *w).collect();
        WordSet::new(&words)
    })
}

/// Words that make a name a 湿布 on their own (パップ剤 are all 消炎鎮痛 poultices).
const PATCH_FORMS_ALONE: &[&str] = &["パップ", "シップ", "湿布"];
/// Tape/plaster forms, a 湿布 only with an anti-inflammatory ingredient or brand below
/// (フランドルテープ, ホクナリンテープ, ニュープロパッチ are tapes but not 湿布薬).
const PATCH_FORMS_WITH_INGREDIENT: &[&str] = &["テープ", "プラスター", "貼付剤"];
/// 薬効分類 264 ingredients and brands sold as tapes.
const PATCH_INGREDIENTS: &[&str] = &[
    "ロキソプロフェン",
    "ケトプロフェン",
    "ジクロフェナク",
    "フェルビナク",
    "フルルビプロフェン",
    "インドメタシン",
    "サリチル酸",
    "ロキソニン",
    "モーラス",
    "ボルタレン",
    "セルタッチ",
    "ヤクバン",
    "アドフィード",
    "ゼポラス",
    "ロコア",
    "カトレップ",
    "イドメシン",
    "ミルタックス",
];

/// The name is a 湿布薬 (薬効分類 264 貼付剤).
pub fn is_patch_name(name: &str) -> bool {
    patch_folded(&fold(name))
}

/// [`is_patch_name`] on a name already folded.
fn patch_folded(n: &str) -> bool {
    patch_alone_re().is_match(n)
        || (patch_form_re().is_match(n) && patch_ingredient_re().is_match(n))
}

/// The item is a 湿布薬: by its product (薬効分類 2649 and a 貼付剤 form or 枚 unit) when
/// known, else by its name.
pub fn is_patch(item: &Item, product: Option<&Product>) -> bool {
    DrugFacts::of(item, product).patch
}

fn patch_of(names: &[&str], product: Option<&Product>) -> bool {
    let by_product = product.is_some_and(|p| {
        p.code.starts_with("2649")
            && (p.unit.contains('枚')
                || names
                    .iter()
                    .skip(1)
                    .any(|n| patch_form_re().is_match(n) || patch_alone_re().is_match(n)))
    });
    by_product || names.iter().any(|n| patch_folded(n))
}

/// Why a drug may not be on a refill prescription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restriction {
    Narcotic,
    Psychotropic,
    Patch,
}

impl Restriction {
    /// Japanese wording for messages.
    pub fn label(self) -> &'static str {
        match self {
            Restriction::Narcotic => "麻薬（投薬量に限度が定められている医薬品）",
            Restriction::Psychotropic => "向精神薬（投薬量に限度が定められている医薬品）",
            Restriction::Patch => "湿布薬",
        }
    }
}

/// 麻薬 (ingredients and brands) commonly prescribed to outpatients.
const NARCOTICS: &[&str] = &[
    "オキシコドン",
    "オキシコンチン",
    "オキノーム",
    "モルヒネ",
    "MSコンチン",
    "アンペック",
    "オプソ",
    "パシーフ",
    "フェンタニル",
    "フェントス",
    "デュロテップ",
    "アブストラル",
    "イーフェン",
    "ワンデュロ",
    "タペンタ",
    "ヒドロモルフォン",
    "ナルサス",
    "ナルラピド",
    "メサドン",
    "メサペイン",
    "コデインリン酸塩錠",
    "コデインリン酸塩散10%",
    "ジヒドロコデインリン酸塩散10%",
    "ペチジン",
];

/// 向精神薬 with a prescription-length limit (ingredients and brands).
const PSYCHOTROPICS: &[&str] = &[
    "ブロチゾラム",
    "レンドルミン",
    "トリアゾラム",
    "ハルシオン",
    "エチゾラム",
    "デパス",
    "ゾルピデム",
    "マイスリー",
    "アルプラゾラム",
    "ソラナックス",
    "コンスタン",
    "ロラゼパム",
    "ワイパックス",
    "クロナゼパム",
    "リボトリール",
    "ランドセン",
    "フルニトラゼパム",
    "サイレース",
    "ニトラゼパム",
    "ベンザリン",
    "ネルボン",
    "エスタゾラム",
    "ユーロジン",
    "クアゼパム",
    "ドラール",
    "ジアゼパム",
    "セルシン",
    "ホリゾン",
    "ロフラゼプ酸エチル",
    "メイラックス",
    "ブロマゼパム",
    "レキソタン",
    "クロチアゼパム",
    "リーゼ",
    "リルマザホン",
    "リスミー",
    "ロルメタゼパム",
    "エバミール",
    "ロラメット",
    "クロバザム",
    "マイスタン",
    "フェノバルビタール",
    "フェノバール",
    "ペンタゾシン",
    "ペンタジン",
    "ソセゴン",
    "ブプレノルフィン",
    "レペタン",
    "ノルスパン",
    "メチルフェニデート",
    "リタリン",
    "コンサータ",
    "モダフィニル",
    "モディオダール",
];

/// Whether (and why) a drug may not be refilled, from its name and product.
pub fn refill_restriction(name: &str, product: Option<&Product>) -> Option<Restriction> {
    let n = fold(name);
    let pn = product.map(|p| fold(&p.name));
    let names: Vec<&str> = std::iter::once(n.as_str()).chain(pn.as_deref()).collect();
    restriction_of(&names)
}

fn restriction_of(names: &[&str]) -> Option<Restriction> {
    if names.iter().any(|n| narcotics_re().is_match(n)) {
        Some(Restriction::Narcotic)
    } else if names.iter().any(|n| psychotropics_re().is_match(n)) {
        Some(Restriction::Psychotropic)
    } else {
        None
    }
}

/// Refill restriction of an item, patches included.
pub fn item_refill_restriction(item: &Item, product: Option<&Product>) -> Option<Restriction> {
    DrugFacts::of(item, product).refill
}

/// What the drug-line rules need to know about one item, worked out once per run (folding
/// names is the costly part of matching them against the lists).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DrugFacts {
    /// The item name, folded.
    pub name: String,
    /// A drug (not a comment line, not a 医療材料).
    pub drug: bool,
    /// A 湿布薬.
    pub patch: bool,
    /// Why it may not be refilled.
    pub refill: Option<Restriction>,
    /// The day limit of an oral 麻薬/向精神薬.
    pub day_limit: Option<u32>,
}

impl DrugFacts {
    /// The facts of an item and its resolved product.
    pub fn of(item: &Item, product: Option<&Product>) -> DrugFacts {
        let name = fold(item.name.trim());
        let pn = product.map(|p| fold(&p.name));
        let names: Vec<&str> = std::iter::once(name.as_str())
            .chain(pn.as_deref())
            .collect();
        let drug = !comment_folded(item, &name) && !material_folded(item, &name);
        let patch = patch_of(&names, product);
        let refill = restriction_of(&names).or_else(|| patch.then_some(Restriction::Patch));
        let day_limit = day_limit_of(&names);
        DrugFacts {
            name,
            drug,
            patch,
            refill,
            day_limit,
        }
    }
}

const COMMENT_PREFIXES: &[&str] = &[
    "※",
    "*",
    "・",
    "【コメント】",
    "(コメント)",
    "<コメント>",
    "コメント",
];
/// Words of a dosage form: a name carrying one is a drug even without katakana (亜鉛華軟膏).
const FORM_WORDS: &[&str] = &[
    "錠",
    "散",
    "末",
    "顆粒",
    "カプセル",
    "シロップ",
    "液",
    "軟膏",
    "クリーム",
    "ゲル",
    "ローション",
    "湿布",
    "貼付",
    "テープ",
    "坐剤",
    "坐薬",
    "点眼",
    "点鼻",
    "吸入",
    "注",
    "丸",
    "エキス",
    "ゼリー",
    "パップ",
];

/// The item is a comment or instruction rather than a drug (no drug-line rule applies to it).
pub fn is_comment(item: &Item) -> bool {
    comment_folded(item, &fold(item.name.trim()))
}

fn comment_folded(item: &Item, n: &str) -> bool {
    if n.is_empty() || item.code.as_ref().is_some_and(|c| c.kind == "comment") {
        return true;
    }
    if COMMENT_PREFIXES.iter().any(|p| n.starts_with(p)) {
        return true;
    }
    let katakana = n.chars().any(|c| ('\u{30A1}'..='\u{30FA}').contains(&c));
    item.amount.is_none() && !katakana && !FORM_WORDS.iter().any(|w| n.contains(w))
}

/// The item is a 医療材料 (by category, or by its name when the reader could not tell).
pub fn is_material(item: &Item) -> bool {
    material_folded(item, &fold(&item.name))
}

fn material_folded(item: &Item, n: &str) -> bool {
    item.category == Category::Material || crate::model::is_material_name(n)
}

/// The item is a drug the drug-line rules look at (not a comment, not a 医療材料).
pub fn is_drug(item: &Item) -> bool {
    let n = fold(item.name.trim());
    !comment_folded(item, &n) && !material_folded(item, &n)
}

/// Source of [`DAY_LIMITS`].
pub const DAY_LIMIT_SOURCE: &str = "療担規則20条2号ヘ・ト; 療担規則及び薬担規則並びに療担基準に基づき厚生労働大臣が定める掲示事項等 (平成18年厚生労働省告示107号) 第10 二 投薬期間に上限が設けられている医薬品 (内服薬)";

/// Oral drugs with a per-prescription day limit (ingredient or brand → days): the 30- and
/// 90-day lists of the 告示 and the common 14-day 麻薬. Matched on the folded name.
pub const DAY_LIMITS: &[(&str, u32)] = &[
    // 麻薬, 30 days
    ("オキシコドン", 30),
    ("オキシコンチン", 30),
    ("オキノーム", 30),
    ("モルヒネ", 30),
    ("MSコンチン", 30),
    ("パシーフ", 30),
    ("オプソ", 30),
    ("コデインリン酸塩錠", 30),
    ("コデインリン酸塩散10%", 30),
    ("ジヒドロコデインリン酸塩散10%", 30),
    ("ヒドロモルフォン", 30),
    ("ナルサス", 30),
    ("ナルラピド", 30),
    ("タペンタ", 30),
    // 麻薬, 14 days
    ("メサドン", 14),
    ("メサペイン", 14),
    // 向精神薬, 30 days
    ("アルプラゾラム", 30),
    ("ソラナックス", 30),
    ("コンスタン", 30),
    ("エスタゾラム", 30),
    ("ユーロジン", 30),
    ("エチゾラム", 30),
    ("デパス", 30),
    ("オキサゾラム", 30),
    ("クアゼパム", 30),
    ("ドラール", 30),
    ("クロキサゾラム", 30),
    ("クロチアゼパム", 30),
    ("リーゼ", 30),
    ("クロルジアゼポキシド", 30),
    ("ゾルピデム", 30),
    ("マイスリー", 30),
    ("トリアゾラム", 30),
    ("ハルシオン", 30),
    ("ハロキサゾラム", 30),
    ("フルジアゼパム", 30),
    ("フルニトラゼパム", 30),
    ("サイレース", 30),
    ("フルラゼパム", 30),
    ("ブロチゾラム", 30),
    ("レンドルミン", 30),
    ("ブロマゼパム", 30),
    ("レキソタン", 30),
    ("メダゼパム", 30),
    ("ロフラゼプ酸エチル", 30),
    ("メイラックス", 30),
    ("ロラゼパム", 30),
    ("ワイパックス", 30),
    ("ロルメタゼパム", 30),
    ("エバミール", 30),
    ("ロラメット", 30),
    ("メチルフェニデート", 30),
    ("リタリン", 30),
    ("コンサータ", 30),
    ("モダフィニル", 30),
    ("モディオダール", 30),
    ("ペモリン", 30),
    // 向精神薬, 90 days (antiepileptic use)
    ("ジアゼパム", 90),
    ("セルシン", 90),
    ("ホリゾン", 90),
    ("ニトラゼパム", 90),
    ("ベンザリン", 90),
    ("ネルボン", 90),
    ("フェノバルビタール", 90),
    ("フェノバール", 90),
    ("クロナゼパム", 90),
    ("リボトリール", 90),
    ("ランドセン", 90),
    ("クロバザム", 90),
    ("マイスタン", 90),
];

/// The day limit of an oral drug, from its name or product name.
///
/// ```
/// use shohosen::checks::drugs::day_limit;
/// assert_eq!(day_limit("レンドルミン錠0.25mg", None), Some(30));
/// assert_eq!(day_limit("アムロジン錠5mg", None), None);
/// ```
pub fn day_limit(name: &str, product: Option<&Product>) -> Option<u32> {
    let n = fold(name);
    let pn = product.map(|p| fold(&p.name));
    let names: Vec<&str> = std::iter::once(n.as_str()).chain(pn.as_deref()).collect();
    day_limit_of(&names)
}

fn day_limit_of(names: &[&str]) -> Option<u32> {
    // Several entries can match one name (a combination drug); the strictest limit wins.
    names
        .iter()
        .flat_map(|n| day_limit_re().find_iter(n))
        // The set's ids are the positions in DAY_LIMITS.
        .filter_map(|id| DAY_LIMITS.get(id).map(|(_, days)| *days))
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_written_folded() {
        // Names are matched after `fold`, so every entry must already be in folded form.
        let all = NARCOTICS
            .iter()
            .chain(PSYCHOTROPICS)
            .chain(PATCH_INGREDIENTS)
            .chain(PATCH_FORMS_ALONE)
            .chain(PATCH_FORMS_WITH_INGREDIENT)
            .chain(crate::model::MATERIAL_WORDS)
            .chain(DAY_LIMITS.iter().map(|(w, _)| w));
        for w in all {
            assert_eq!(fold(w), *w);
        }
    }

    #[test]
    fn day_limits_prefer_the_longer_name() {
        assert_eq!(day_limit("エリスパン錠0.25mg", None), None);
        assert_eq!(day_limit("フルジアゼパム錠0.25mg", None), Some(30));
        assert_eq!(day_limit("ジアゼパム錠2mg「アメル」", None), Some(90));
        assert_eq!(day_limit("フルニトラゼパム錠1mg", None), Some(30));
        assert_eq!(day_limit("ベンザリン錠5", None), Some(90));
        assert_eq!(day_limit("アムロジン錠5mg", None), None);
    }

    #[test]
    fn patches() {
        for n in [
            "モーラスパップ30mg",
            "ロキソニンテープ100mg",
            "ロキソプロフェンNaテープ50mg「ケミファ」",
            "MS温シップ「タイホウ」",
            "ケトプロフェンテープ20mg",
        ] {
            assert!(is_patch_name(n), "{n}");
        }
        for n in [
            "フランドルテープ40mg",
            "ホクナリンテープ2mg",
            "ニュープロパッチ4.5mg",
            "ボルタレンローション1%",
        ] {
            assert!(!is_patch_name(n), "{n}");
        }
    }

    #[test]
    fn refill_restrictions() {
        assert_eq!(
            refill_restriction("オキシコンチンTR錠5mg", None),
            Some(Restriction::Narcotic)
        );
        assert_eq!(
            refill_restriction("ゾルピデム酒石酸塩錠5mg「サワイ」", None),
            Some(Restriction::Psychotropic)
        );
        assert_eq!(refill_restriction("ジスロマック錠250mg", None), None);
        assert_eq!(refill_restriction("アムロジン錠5mg", None), None);
    }

    #[test]
    fn comments_are_not_drugs() {
        let mk = |name: &str| Item {
            name: name.into(),
            ..Item::default()
        };
        assert!(is_comment(&mk("")));
        assert!(is_comment(&mk("※一包化")));
        assert!(is_comment(&mk("残薬調整のため減量")));
        assert!(!is_comment(&mk("ジスロマック錠250mg")));
        assert!(!is_comment(&mk("亜鉛華軟膏")));
        assert!(!is_drug(&mk("ペンニードル32G")));
        assert!(is_drug(&mk("ヒューマログ注ミリオペン")));
    }
}

//! The drug lines of the 処方 block: strengths, amounts, usage, days, uneven division,
//! patches, refills and the closing line.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regex::Regex;
use rust_decimal::Decimal;

use super::header_line;
use crate::checks::strength::{StrengthIndex, StrengthLookup, base_and_strength};
use crate::checks::{Env, Sink};
use crate::model::{Basis, Category, Item, Layout, Prescription};
use crate::normalize::fold;

/// The most 湿布薬 sheets one prescription may carry without a written reason.
pub const PATCH_SHEET_LIMIT: u32 = 63;

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("static regex"))
}

/// Everything written about an item (line, usage, comments), folded for matching.
fn written(item: &Item) -> String {
    let mut t = fold(&item.source_text);
    for extra in item.usage.iter().chain(item.comments.iter()) {
        t.push(' ');
        t.push_str(&fold(extra));
    }
    t
}

/// `strength-missing`: no number in the name, and the base exists in several strengths.
pub fn strength_missing(p: &Prescription, ctx: &Env<'_>, s: &mut Sink) {
    for (i, it) in ctx.drugs(p) {
        let name = &ctx.facts[i].name;
        if name.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let (base, _) = base_and_strength(name);
        let mut strengths = StrengthIndex::builtin().strengths_of(&base);
        if let Some(extra) = ctx.strengths {
            strengths.extend(extra.strengths_of(&base));
        }
        strengths.sort();
        strengths.dedup();
        if strengths.len() >= 2 {
            s.item(
                "strength-missing",
                it,
                &[("strengths", &strengths.join("・"))],
            );
        }
    }
}

/// `items-missing`: not one drug item. A form with an empty 処方 block is far more often a
/// reading failure than a real prescription, and an empty result must never look like a
/// clean one.
pub fn items_missing(p: &Prescription, ctx: &Env<'_>, s: &mut Sink) {
    if ctx.drugs(p).next().is_none() {
        s.emit("items-missing", None, None, &[]);
    }
}

/// The smallest amount no prescription writes: 100,000 of any unit (tablets, g, mL, units)
/// is beyond every real dose and is what a misread or a slipped digit looks like.
pub const AMOUNT_LIMIT: u32 = 100_000;

/// `amount-implausible`: an amount of zero or less, or of [`AMOUNT_LIMIT`] or more.
pub fn amount_implausible(p: &Prescription, ctx: &Env<'_>, s: &mut Sink) {
    let limit = Decimal::from(AMOUNT_LIMIT);
    for (_, it) in ctx.drugs(p) {
        let Some(a) = &it.amount else { continue };
        if a.value <= Decimal::ZERO || a.value >= limit {
            let amount = format!("{}{}", a.value, a.unit);
            s.item(
                "amount-implausible",
                it,
                &[("amount", &amount), ("limit", &AMOUNT_LIMIT.to_string())],
            );
        }
    }
}

/// `dose-missing`: a drug item with no amount./// `dose-missing`: a drug item with no amount.
pub fn dose_missing(p: &Prescription, ctx: &Env<'_>, s: &mut Sink) {
    for (_, it) in ctx.drugs(p).filter(|(_, it)| it.amount.is_none()) {
        s.item("dose-missing", it, &[]);
    }
}

/// `usage-missing` (any group) and `days-missing` (内服 groups): one finding per group,
/// at its first drug.
pub fn usage_and_days(p: &Prescription, ctx: &Env<'_>, s: &mut Sink) {
    let mut groups: BTreeMap<u32, Vec<&Item>> = BTreeMap::new();
    for (_, it) in ctx.drugs(p) {
        groups.entry(it.rp).or_default().push(it);
    }
    for items in groups.values() {
        let Some(first) = items.first() else { continue };
        if items
            .iter()
            .all(|it| it.usage.as_deref().is_none_or(|u| u.trim().is_empty()))
        {
            s.item("usage-missing", first, &[]);
        }
        let internal = items.iter().any(|it| it.category == Category::Internal);
        if internal
            && items
                .iter()
                .all(|it| it.days.is_none() && it.times.is_none())
        {
            s.item("days-missing", first, &[]);
        }
    }
}

/// Units counted in whole pieces (a fraction per dose needs splitting).
const COUNT_UNITS: &[&str] = &[
    "錠",
    "カプセル",
    "Cap",
    "cap",
    "C",
    "T",
    "包",
    "個",
    "丸",
    "本",
    "枚",
    "袋",
];

/// The item already says how the doses are split (`3-2-1`, 朝2錠, 不均等, 1回…).
fn has_uneven_detail(item: &Item) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    !item.uneven.is_empty()
        || re(
            &RE,
            r"[0-9.]+\s*-\s*[0-9.]+|不均等|(朝|昼|夕|寝る前|就寝前)\s*[0-9.]+|1回\s*[0-9.]+",
        )
        .is_match(&written(item))
}

/// `uneven-division`: a per-day count that does not divide by the times per day.
pub fn uneven_division(p: &Prescription, ctx: &Env<'_>, s: &mut Sink) {
    for (_, it) in ctx
        .drugs(p)
        .filter(|(_, it)| it.category == Category::Internal)
    {
        let (Some(amount), Some(times)) = (&it.amount, it.times_per_day) else {
            continue;
        };
        if amount.basis != Basis::PerDay || times < 2 || !COUNT_UNITS.contains(&amount.unit.trim())
        {
            continue;
        }
        let per_dose = amount.value / Decimal::from(times);
        if per_dose.fract().is_zero() || has_uneven_detail(it) {
            continue;
        }
        let amount_text = format!("{}{}", amount.value.normalize(), amount.unit);
        s.item(
            "uneven-division",
            it,
            &[("amount", &amount_text), ("times", &times.to_string())],
        );
    }
}

/// Sheets of a patch item, when the amount is in 枚.
fn sheets(item: &Item) -> Option<Decimal> {
    let a = item.amount.as_ref()?;
    if !a.unit.contains('枚') {
        return None;
    }
    let days = Decimal::from(item.days.unwrap_or(1));
    // checked: amounts come from input and must never overflow into a panic
    match a.basis {
        Basis::Total => Some(a.value),
        Basis::PerDay => a.value.checked_mul(days),
        Basis::PerDose => a
            .value
            .checked_mul(Decimal::from(item.times_per_day.unwrap_or(1)))?
            .checked_mul(days),
    }
}

/// `patch-amount`: each 湿布薬 needs the amount per use and the uses per day; more than 63
/// sheets in one prescription need a written reason.
pub fn patch_amount(p: &Prescription, ctx: &Env<'_>, s: &mut Sink) {
    static PER_USE: OnceLock<Regex> = OnceLock::new();
    static PER_DAY: OnceLock<Regex> = OnceLock::new();
    static DAILY_SHEETS: OnceLock<Regex> = OnceLock::new();
    let mut total = Decimal::ZERO;
    let mut last = None;
    for (i, it) in p.items.iter().enumerate() {
        if !ctx.is_drug(i) || !ctx.facts[i].patch {
            continue;
        }
        let text = written(it);
        let both = re(&DAILY_SHEETS, r"1日\s*[0-9.]+\s*枚").is_match(&text);
        let per_use = both
            || re(&PER_USE, r"1回\s*[0-9.]+\s*枚").is_match(&text)
            || it
                .amount
                .as_ref()
                .is_some_and(|a| a.basis == Basis::PerDose);
        let per_day = both
            || it.times_per_day.is_some()
            || re(&PER_DAY, r"1日\s*[0-9]+\s*回").is_match(&text);
        let missing = match (per_use, per_day) {
            (false, false) => {
                Some("1回当たりの使用量（枚数）と1日当たりの使用回数の記載がありません。")
            }
            (false, true) => Some("1回当たりの使用量（枚数）の記載がありません。"),
            (true, false) => Some("1日当たりの使用回数の記載がありません。"),
            (true, true) => None,
        };
        if let Some(m) = missing {
            s.item("patch-amount", it, &[("detail", m)]);
        }
        if let Some(n) = sheets(it) {
            total = total.checked_add(n).unwrap_or(Decimal::MAX);
        }
        last = Some(it);
    }
    if total > Decimal::from(PATCH_SHEET_LIMIT)
        && let Some(it) = last
        && !patch_reason_written(p)
    {
        let m = format!(
            "合計{}枚で{}枚を超えていますが、理由の記載がありません。",
            total.normalize(),
            PATCH_SHEET_LIMIT
        );
        s.item("patch-amount", it, &[("detail", &m)]);
    }
}

/// A reason for more than 63 sheets is written in 備考 or beside a drug.
fn patch_reason_written(p: &Prescription) -> bool {
    const WORDS: &[&str] = &["理由", "必要", "ため", "63枚"];
    p.remarks
        .iter()
        .chain(p.items.iter().flat_map(|it| it.comments.iter()))
        .any(|t| {
            let t = fold(t);
            WORDS.iter().any(|w| t.contains(w))
        })
}

/// `refill-count` and `refill-not-allowed`.
pub fn refill(p: &Prescription, ctx: &Env<'_>, s: &mut Sink) {
    if !p.refill.allowed {
        return;
    }
    let line = header_line(p, "refill");
    match p.refill.count {
        Some(2 | 3) => {}
        Some(n) => s.emit(
            "refill-count",
            None,
            line,
            &[("detail", &format!("回数が{n}回になっています"))],
        ),
        None => s.emit(
            "refill-count",
            None,
            line,
            &[("detail", "回数の記載がありません")],
        ),
    }
    for (i, it) in ctx.drugs(p) {
        if let Some(r) = ctx.facts[i].refill {
            s.item("refill-not-allowed", it, &[("kind", r.label())]);
        }
    }
}

/// `days-over-limit`: an oral drug with a day limit (麻薬, 向精神薬) prescribed for longer.
pub fn days_over_limit(p: &Prescription, ctx: &Env<'_>, s: &mut Sink) {
    for (i, it) in p.items.iter().enumerate() {
        if !ctx.is_drug(i) || it.category != Category::Internal {
            continue;
        }
        let (Some(days), Some(limit)) = (it.days, ctx.facts[i].day_limit) else {
            continue;
        };
        if days > limit {
            s.item(
                "days-over-limit",
                it,
                &[("limit", &limit.to_string()), ("days", &days.to_string())],
            );
        }
    }
}

/// `unclosed-list`: printed forms close the list with 以下余白; the 2D symbol has no such line.
pub fn unclosed_list(p: &Prescription, _ctx: &Env<'_>, s: &mut Sink) {
    if p.layout == Layout::Jahis || p.list_closed || p.items.is_empty() {
        return;
    }
    let line = p.items.iter().filter_map(|it| it.line).max();
    s.emit("unclosed-list", None, line, &[]);
}

#[cfg(test)]
mod tests {
    use crate::checks::StrengthIndex;
    use crate::checks::rules::testkit::*;
    use crate::model::*;

    #[test]
    fn strength_missing() {
        let mut p = clean();
        p.items[0].name = "ジスロマック錠".into();
        let f = run_with(&p, &products(), &[]);
        let m = f
            .iter()
            .find(|f| f.rule == "strength-missing")
            .expect("fires");
        assert!(m.message.contains("250mg・600mg"), "{}", m.message);
        assert_eq!(m.severity, Severity::Warning);
        // single-strength drug without a strength: quiet
        p.items[0].name = "ゼチーア錠".into();
        assert!(!has(&ids(&p), "strength-missing"));
        assert!(!has(&ids(&clean()), "strength-missing"));
        // an index given by the pipeline is consulted
        let idx = StrengthIndex::from_names(["ゼチーア錠10mg", "ゼチーア錠20mg"]);
        let master = crate::master::Master::sample();
        let ctx = crate::checks::Context::new(d(2024, 10, 2), &[], &[], &master);
        let f = crate::checks::run_with_strengths(&p, &ctx, Some(&idx));
        assert!(f.iter().any(|f| f.rule == "strength-missing"));
    }

    #[test]
    fn items_missing() {
        assert!(!has(&ids(&clean()), "items-missing"));
        let mut p = clean();
        p.items.clear();
        assert!(has(&ids(&p), "items-missing"));
        // comment lines alone are no prescription either
        p.items.push(Item {
            index: 1,
            rp: 1,
            name: "※残薬調整".into(),
            ..Item::default()
        });
        let f = run_with(&p, &[None], &[]);
        assert!(f.iter().any(|f| f.rule == "items-missing"));
    }

    #[test]
    fn amount_implausible() {
        assert!(!has(&ids(&clean()), "amount-implausible"));
        for (value, fires) in [
            ("0", true),
            ("-1", true),
            ("99999", false),
            ("100000", true),
        ] {
            let mut p = clean();
            p.items[1].amount.as_mut().expect("amount").value = dec(value);
            assert_eq!(has(&ids(&p), "amount-implausible"), fires, "{value}");
        }
        let mut p = clean();
        p.items[1].amount.as_mut().expect("amount").value = dec("0");
        let f = run_with(&p, &products(), &[]);
        let m = f
            .iter()
            .find(|f| f.rule == "amount-implausible")
            .expect("fires");
        assert_eq!((m.item, m.severity), (Some(2), Severity::Error));
        assert!(m.message.contains("分量 0錠"), "{}", m.message);
    }

    #[test]
    fn dose_usage_days() {
        let mut p = clean();
        p.items[1].amount = None;
        let i = ids(&p);
        assert!(has(&i, "dose-missing"));
        // a comment line has no amount and is no drug
        let mut p = clean();
        p.items.push(Item {
            index: 3,
            rp: 1,
            name: "※一包化".into(),
            ..Item::default()
        });
        p.items.push(Item {
            index: 4,
            rp: 2,
            name: "残薬調整のため".into(),
            ..Item::default()
        });
        let f = run_with(&p, &[products(), vec![None, None]].concat(), &[]);
        let r: Vec<_> = f.iter().map(|f| f.rule.as_str()).collect();
        for q in [
            "dose-missing",
            "usage-missing",
            "days-missing",
            "unknown-drug",
        ] {
            assert!(!r.contains(&q), "{q} {r:?}");
        }

        let mut p = clean();
        for it in &mut p.items {
            it.usage = None;
            it.days = None;
        }
        let f = run_with(&p, &products(), &[]);
        assert_eq!(f.iter().filter(|f| f.rule == "usage-missing").count(), 1);
        assert_eq!(f.iter().filter(|f| f.rule == "days-missing").count(), 1);
        // external drugs have no days
        for it in &mut p.items {
            it.category = Category::External;
            it.usage = Some("1日2回 患部に塗布".into());
        }
        let i = ids(&p);
        assert!(!has(&i, "days-missing") && !has(&i, "usage-missing"));
        // 頓服 written as 回分
        let mut p = clean();
        p.items[1].days = None;
        assert!(
            !has(&ids(&p), "days-missing"),
            "one item of the group still has days"
        );
    }

    #[test]
    fn uneven_division() {
        let mut p = clean();
        p.items[1].amount = Some(Amount {
            value: dec("3"),
            unit: "錠".into(),
            basis: Basis::PerDay,
        });
        p.items[1].times_per_day = Some(2);
        p.items[1].usage = Some("1日2回朝夕食後".into());
        p.items[1].source_text = "アセトアミノフェン錠300mg 3錠".into();
        assert!(has(&ids(&p), "uneven-division"));
        let mut q = p.clone();
        q.items[1].uneven = vec![dec("2"), dec("1")];
        assert!(!has(&ids(&q), "uneven-division"));
        let mut q = p.clone();
        q.items[1].usage = Some("1日2回 朝2錠 夕1錠".into());
        assert!(!has(&ids(&q), "uneven-division"));
        let mut q = p.clone();
        q.items[1].amount = Some(Amount {
            value: dec("4"),
            unit: "錠".into(),
            basis: Basis::PerDay,
        });
        assert!(!has(&ids(&q), "uneven-division"));
        // powders divide freely; per-dose amounts are already divided
        let mut q = p.clone();
        q.items[1].amount = Some(Amount {
            value: dec("1"),
            unit: "g".into(),
            basis: Basis::PerDay,
        });
        assert!(!has(&ids(&q), "uneven-division"));
        let mut q = p;
        q.items[1].amount = Some(Amount {
            value: dec("3"),
            unit: "錠".into(),
            basis: Basis::PerDose,
        });
        assert!(!has(&ids(&q), "uneven-division"));
    }

    fn patch(index: u32, name: &str, sheets: &str, usage: &str) -> Item {
        Item {
            index,
            rp: index,
            line: Some(20 + index),
            source_text: format!("{name} {sheets}枚"),
            name: name.into(),
            category: Category::External,
            amount: Some(Amount {
                value: dec(sheets),
                unit: "枚".into(),
                basis: Basis::Total,
            }),
            usage: Some(usage.into()),
            ..Item::default()
        }
    }

    #[test]
    fn patch_amount() {
        let mut p = clean();
        p.items = vec![patch(1, "モーラステープ20mg", "28", "腰部に貼付")];
        let f = run_with(&p, &[None], &[]);
        assert!(
            f.iter()
                .any(|f| f.rule == "patch-amount" && f.message.contains("1回当たり"))
        );
        p.items = vec![patch(
            1,
            "モーラステープ20mg",
            "28",
            "1日1回 1回1枚 腰部に貼付",
        )];
        assert!(
            !run_with(&p, &[None], &[])
                .iter()
                .any(|f| f.rule == "patch-amount")
        );
        // not a 湿布: nitrate tape
        p.items = vec![patch(1, "フランドルテープ40mg", "28", "1日1回 胸部に貼付")];
        assert!(
            !run_with(&p, &[None], &[])
                .iter()
                .any(|f| f.rule == "patch-amount")
        );
        // 70 sheets over two items, no reason
        p.items = vec![
            patch(1, "モーラステープ20mg", "42", "1日1回 1回1枚 腰部に貼付"),
            patch(2, "ロキソニンテープ100mg", "28", "1日1回 1回1枚 膝に貼付"),
        ];
        let f = run_with(&p, &[None, None], &[]);
        let m: Vec<_> = f.iter().filter(|f| f.rule == "patch-amount").collect();
        assert_eq!(m.len(), 1);
        assert!(m[0].message.contains("合計70枚"), "{}", m[0].message);
        p.remarks
            .push("腰部・両膝の広範囲に疼痛があるため63枚を超えて投与".into());
        assert!(
            !run_with(&p, &[None, None], &[])
                .iter()
                .any(|f| f.rule == "patch-amount")
        );
        // exactly 63 is fine
        p.remarks.clear();
        p.items[0] = patch(1, "モーラステープ20mg", "35", "1日1回 1回1枚 腰部に貼付");
        assert!(
            !run_with(&p, &[None, None], &[])
                .iter()
                .any(|f| f.rule == "patch-amount")
        );
    }

    #[test]
    fn refill() {
        let mut p = clean();
        p.refill = Refill {
            allowed: true,
            count: Some(3),
        };
        let i = ids(&p);
        assert!(!has(&i, "refill-count") && !has(&i, "refill-not-allowed"));
        p.refill.count = Some(4);
        assert!(has(&ids(&p), "refill-count"));
        p.refill.count = None;
        assert!(has(&ids(&p), "refill-count"));
        p.refill.count = Some(2);
        p.items[1] = Item {
            name: "レンドルミン錠0.25mg".into(),
            ..p.items[1].clone()
        };
        let f = run_with(&p, &products(), &[]);
        let m = f
            .iter()
            .find(|f| f.rule == "refill-not-allowed")
            .expect("fires");
        assert_eq!(m.item, Some(2));
        assert!(m.message.contains("向精神薬"));
        p.items.push(patch(
            3,
            "ロキソニンテープ100mg",
            "28",
            "1日1回 1回1枚 膝に貼付",
        ));
        let f = run_with(&p, &[products(), vec![None]].concat(), &[]);
        assert_eq!(
            f.iter().filter(|f| f.rule == "refill-not-allowed").count(),
            2
        );
        p.refill.allowed = false;
        let f = run_with(&p, &[products(), vec![None]].concat(), &[]);
        assert!(!f.iter().any(|f| f.rule.starts_with("refill")));
    }

    #[test]
    fn days_over_limit() {
        let mut p = clean();
        p.items[1] = Item {
            name: "レンドルミン錠0.25mg".into(),
            days: Some(31),
            ..p.items[1].clone()
        };
        let f = run_with(&p, &products(), &[]);
        let m = f
            .iter()
            .find(|f| f.rule == "days-over-limit")
            .expect("fires");
        assert!(m.message.contains("30日分") && m.message.contains("31日分"));
        p.items[1].days = Some(30);
        assert!(!has(&ids(&p), "days-over-limit"));
        // a 90-day antiepileptic for 60 days is fine
        p.items[1].name = "リボトリール錠0.5mg".into();
        p.items[1].days = Some(60);
        assert!(!has(&ids(&p), "days-over-limit"));
        p.items[1].days = Some(91);
        assert!(has(&ids(&p), "days-over-limit"));
        assert!(!has(&ids(&clean()), "days-over-limit"));
    }

    #[test]
    fn unclosed_list() {
        let mut p = clean();
        p.list_closed = false;
        let f = run_with(&p, &products(), &[]);
        let m = f.iter().find(|f| f.rule == "unclosed-list").expect("fires");
        assert_eq!(m.line, Some(12));
        p.layout = Layout::Jahis;
        assert!(!has(&ids(&p), "unclosed-list"));
        assert!(!has(&ids(&clean()), "unclosed-list"));
    }
}

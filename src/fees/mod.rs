//! The selective-care fee engine (長期収載品の選定療養, FEES.md).
//!
//! Input: the prescription, the product dispensed for each item (from
//! [`crate::master::Master::resolve`]) and the pharmacy's options. The engine never parses
//! text. Every price and yen amount is a [`Decimal`]; points are integers.
//!
//! Steps: the rule period in force on the dispensing date ([`rules::RULES`]); the decision
//! table per item ([`SelectiveCare`]); units of calculation (内服 by timing and days, other
//! categories per dispensing); per unit special yen s_u = Σ\[a\]×q over charged items and
//! insured yen b_u = Σ(charged ? \[b\] : P)×q; SP = Σ pts(s_u)×m, IP = Σ pts(b_u)×m;
//! A = SP×10×(1+tax), B = (IP + other)×10, C = B×rate half-up to 10円, D = B − C, E = A + C.
//!
//! ```
//! use std::collections::BTreeMap;
//! use chrono::NaiveDate;
//! use rust_decimal_macros::dec;
//! use shohosen::fees::{compute, FeeOptions, SelectiveCare};
//! use shohosen::master::Master;
//! use shohosen::model::*;
//!
//! let date = NaiveDate::from_ymd_opt(2024, 10, 7).unwrap();
//! let item = |i, name: &str, n| Item {
//!     index: i, rp: 1, name: name.into(), category: Category::Internal,
//!     amount: Some(Amount { value: n, unit: "錠".into(), basis: Basis::PerDay }),
//!     days: Some(3), timing: Some("朝食後".into()), ..Item::default()
//! };
//! let mut p = Prescription { issued: Some(date), ..Prescription::default() };
//! p.items.push(item(1, "ジスロマック錠250mg", dec!(2)));
//! p.items[0].flags.patient_wish = true;
//! p.items.push(item(2, "アセトアミノフェン錠300mg", dec!(1)));
//! let m = Master::sample();
//! let products: Vec<_> = p.items.iter().map(|it| m.resolve(it, date, None)).collect();
//! let opts = FeeOptions { date, copay: None, dispense: BTreeMap::new(), exempt: BTreeMap::new(), other_points: 0 };
//! let out = compute(&p, &products, &opts);
//! assert_eq!(out.fees.special_fee, 99);
//! assert_eq!(out.fees.patient_total, 359);
//! assert_eq!(out.decisions, vec![SelectiveCare::Applies, SelectiveCare::NotTarget]);
//! ```

mod decide;
pub mod points;
mod quantity;
mod render;
pub mod rules;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use schemars::JsonSchema;
use serde::Serialize;

use crate::choices::{Dispense, Exempt};
use crate::master::Product;
use crate::model::{Category, Prescription};

pub use points::pts;
use quantity::{UnitKey, place};
pub use render::render_table;
use rules::{charge_start, rule_on};

/// Per-item outcome of the decision table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SelectiveCare {
    Applies,
    ExemptMedical,
    ExemptStock,
    Judge,
    Inquiry,
    NotTarget,
    Welfare,
    BeforeRule,
    UnknownDrug,
}

/// The pharmacy's inputs to the engine.
#[derive(Debug, Clone)]
pub struct FeeOptions {
    /// The dispensing date: picks the rule period.
    pub date: NaiveDate,
    /// `--copay`; else the prescription's own rate; else 30%.
    pub copay: Option<Decimal>,
    pub dispense: BTreeMap<u32, Dispense>,
    pub exempt: BTreeMap<u32, Exempt>,
    pub other_points: u32,
}

/// How 内服 units are formed (an open point of the MHLW Q&A; stated in the output).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InternalUnits {
    /// One 剤 = the drugs with the same 服用時点 AND the same days (FEES.md): the same timing
    /// with different days makes separate units, each multiplied by its own days.
    #[default]
    TimingDays,
    /// One 剤 = one written Rp group (still split by days).
    Rp,
}

/// How 頓服/外用/注射/滴剤 units are formed (stated in the output).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExternalUnits {
    /// One unit per written group (Rp) of one category.
    #[default]
    Group,
    /// One unit per item.
    Item,
}

/// How a 一般名 line is priced when the pharmacy states no choice (done by the master;
/// stated here so the output says it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GeneralNamePricing {
    /// At the highest-priced generic of the same form and strength (the product actually
    /// dispensed can be given with `--dispense N=CODE`).
    #[default]
    HighestGeneric,
}

/// What happens when the dispensed product (`--dispense N=CODE`) has another strength or form
/// than the written one (an open point of the MHLW Q&A; stated in the output).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProductChange {
    /// The written quantity is counted in the dispensed product's unit, as given: name a
    /// product of the same strength, or adjust the prescription, for a different count.
    #[default]
    QuantityAsWritten,
}

/// The interpretations of open points used by a computation (all written into the output).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, JsonSchema)]
pub struct Interpretation {
    pub internal_units: InternalUnits,
    pub external_units: ExternalUnits,
    pub general_name_pricing: GeneralNamePricing,
    pub product_change: ProductChange,
}

/// Where the co-payment rate came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CopaySource {
    /// `--copay`.
    Option,
    /// The 2D symbol's record 24.
    Jahis,
    /// 30% when nothing says otherwise.
    #[default]
    Default,
}

/// One unit of calculation (所定単位) in the output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Unit {
    /// 1-based item indexes.
    pub items: Vec<u32>,
    pub category: Category,
    /// Days for 内服, else 1.
    pub multiplier: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timing: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// s_u: Σ [a] × quantity over charged items (yen, exact).
    // FEES.md's notation, kept as written: these doc lines are also the published schema's
    // descriptions, where an escaped `\[a\]` would show its backslashes.
    #[allow(rustdoc::broken_intra_doc_links)]
    #[schemars(with = "String")]
    pub special_yen: Decimal,
    pub special_points: u64,
    /// b_u: Σ (charged ? [b] : P) × quantity (yen, exact).
    #[allow(rustdoc::broken_intra_doc_links)]
    #[schemars(with = "String")]
    pub insured_yen: Decimal,
    pub insured_points: u64,
}

/// An item left out of the amounts, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Unpriced {
    pub item: u32,
    pub reason: String,
}

/// The choices the computation used (so the JSON says what was assumed).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, JsonSchema)]
pub struct Choices {
    /// `--dispense N=…` per item.
    pub dispense: BTreeMap<u32, Dispense>,
    /// `--exempt N=…` per item.
    pub exempt: BTreeMap<u32, Exempt>,
    pub interpretation: Interpretation,
}

/// The `fees` object of the output.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, JsonSchema)]
pub struct Fees {
    /// The rule period applied (`2024-10`, `2026-06`), `none` before 2024-10-01.
    pub rule: String,
    pub dispensing_date: Option<NaiveDate>,
    /// Fraction of the price gap charged (`1/4`, `1/2`).
    pub fraction: Option<String>,
    #[schemars(with = "Option<String>")]
    pub tax_rate: Option<Decimal>,
    #[schemars(with = "String")]
    pub copay_rate: Decimal,
    pub copay_source: CopaySource,
    /// SP.
    pub special_points: u64,
    /// A: SP × 10 × (1 + tax), yen, tax included (exact at 10%).
    pub special_fee: i64,
    /// IP: insured drug points.
    pub insured_points: u64,
    /// `--other-points` added before the co-payment is rounded.
    pub other_points: u32,
    /// B: (IP + other points) × 10.
    pub insured_cost: i64,
    /// C: B × rate rounded half-up to 10円.
    pub copayment: i64,
    /// D (保険外併用療養費): B − C, the part the insurer pays. FEES.md writes B × (1 − rate);
    /// OUTPUT.md's example (B 870, C 260 → 610) fixes it as B − C, i.e. after C's rounding.
    pub benefit: i64,
    /// E = A + C.
    pub patient_total: i64,
    pub units: Vec<Unit>,
    /// Items left out because no product/price/quantity is known (never guessed).
    pub unpriced_items: Vec<u32>,
    /// Why each unpriced item was left out.
    pub unpriced: Vec<Unpriced>,
    /// Items whose charge waits for a decision (`judge`, `inquiry`): computed without it.
    pub pending_items: Vec<u32>,
    pub choices: Choices,
}

/// Fees plus the per-item decisions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FeeOutcome {
    pub fees: Fees,
    pub decisions: Vec<SelectiveCare>,
}

/// Computes the charge for a prescription given the product dispensed for each item
/// (default interpretations; see [`compute_with`]).
pub fn compute(p: &Prescription, products: &[Option<Product>], opts: &FeeOptions) -> FeeOutcome {
    compute_with(p, products, opts, &Interpretation::default())
}

fn half_up(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// Yen shown with at least two decimals (`34.20`).
fn yen(mut d: Decimal) -> Decimal {
    d = d.normalize();
    if d.scale() < 2 {
        d.rescale(2);
    }
    d
}

fn to_i64(d: Decimal) -> i64 {
    half_up(d, 0).to_i64().unwrap_or(i64::MAX)
}

/// [`compute`] with explicit interpretations of the open points.
pub fn compute_with(
    p: &Prescription,
    products: &[Option<Product>],
    opts: &FeeOptions,
    interp: &Interpretation,
) -> FeeOutcome {
    let rule = rule_on(opts.date);
    let issued_before = p.issued.is_some_and(|d| d < charge_start());
    let welfare = p.is_welfare();
    let (rate, copay_source) = match (opts.copay, p.copay_rate) {
        (Some(r), _) => (r, CopaySource::Option),
        (None, Some(r)) => (r, CopaySource::Jahis),
        (None, None) => (Decimal::new(3, 1), CopaySource::Default),
    };
    // A rate outside 0..=1 is a usage error the CLI rejects; the engine never panics on it.
    let rate = rate.clamp(Decimal::ZERO, Decimal::ONE);

    let mut decisions = Vec::with_capacity(p.items.len());
    let mut unpriced: Vec<Unpriced> = Vec::new();
    let mut pending = Vec::new();
    // Units in order of first appearance.
    let mut units: Vec<(UnitKey, Unit)> = Vec::new();

    for (i, item) in p.items.iter().enumerate() {
        let product = products.get(i).and_then(Option::as_ref);
        let facts = decide::Facts {
            item,
            product,
            dispense: opts.dispense.get(&item.index),
            exempt: opts.exempt.get(&item.index).copied(),
            welfare,
            before_rule: rule.is_none() || issued_before,
        };
        let decision = decide::decide(&facts);
        decisions.push(decision);
        if matches!(decision, SelectiveCare::Judge | SelectiveCare::Inquiry) {
            pending.push(item.index);
        }
        let Some(product) = product else {
            unpriced.push(Unpriced {
                item: item.index,
                reason: "薬価マスターに該当する製品がない".into(),
            });
            continue;
        };
        let charged = decision == SelectiveCare::Applies;
        let (a, b) = match (charged, product.a, product.b) {
            (true, Some(a), Some(b)) => (a, b),
            (true, _, _) => {
                unpriced.push(Unpriced {
                    item: item.index,
                    reason: format!("{} の[a]/[b]（後発品の最高価格）が不明", product.name),
                });
                continue;
            }
            (false, _, _) => (Decimal::ZERO, product.price),
        };
        let placed = match place(item, product, interp) {
            Ok(pl) => pl,
            Err(reason) => {
                unpriced.push(Unpriced {
                    item: item.index,
                    reason,
                });
                continue;
            }
        };
        let pos = match units.iter().position(|(k, _)| *k == placed.key) {
            Some(pos) => pos,
            None => {
                units.push((
                    placed.key.clone(),
                    Unit {
                        items: Vec::new(),
                        category: placed.category,
                        multiplier: placed.multiplier,
                        timing: placed.timing.clone(),
                        days: placed.days,
                        special_yen: Decimal::ZERO,
                        special_points: 0,
                        insured_yen: Decimal::ZERO,
                        insured_points: 0,
                    },
                ));
                units.len() - 1
            }
        };
        let u = &mut units[pos].1;
        // Summed per unit BEFORE converting to points (T09; converting per item is T09x).
        let sums = a
            .checked_mul(placed.quantity)
            .and_then(|x| u.special_yen.checked_add(x))
            .zip(
                b.checked_mul(placed.quantity)
                    .and_then(|x| u.insured_yen.checked_add(x)),
            );
        let Some((special, insured)) = sums else {
            unpriced.push(Unpriced {
                item: item.index,
                reason: "金額が計算できる範囲を超える".into(),
            });
            continue;
        };
        u.items.push(item.index);
        u.special_yen = special;
        u.insured_yen = insured;
    }

    let mut sp: u64 = 0;
    let mut ip: u64 = 0;
    let units: Vec<Unit> = units
        .into_iter()
        .filter(|(_, u)| !u.items.is_empty())
        .map(|(_, mut u)| {
            u.special_points = pts(u.special_yen);
            u.insured_points = pts(u.insured_yen);
            let m = u64::from(u.multiplier);
            sp = sp.saturating_add(u.special_points.saturating_mul(m));
            ip = ip.saturating_add(u.insured_points.saturating_mul(m));
            u.special_yen = yen(u.special_yen);
            u.insured_yen = yen(u.insured_yen);
            u
        })
        .collect();

    let tax = rule.map_or(Decimal::ZERO, |r| r.tax_rate());
    let special_fee = to_i64(Decimal::from(sp) * Decimal::TEN * (Decimal::ONE + tax));
    let insured_cost =
        to_i64(Decimal::from(ip.saturating_add(u64::from(opts.other_points))) * Decimal::TEN);
    let copayment =
        to_i64(half_up(Decimal::from(insured_cost) * rate / Decimal::TEN, 0) * Decimal::TEN);
    let fees = Fees {
        rule: rule.map_or("none", |r| r.id).to_string(),
        dispensing_date: Some(opts.date),
        fraction: rule.map(|r| r.fraction_text()),
        tax_rate: rule.map(|r| r.tax_rate()),
        copay_rate: rate,
        copay_source,
        special_points: sp,
        special_fee,
        insured_points: ip,
        other_points: opts.other_points,
        insured_cost,
        copayment,
        benefit: insured_cost.saturating_sub(copayment),
        patient_total: special_fee.saturating_add(copayment),
        units,
        unpriced_items: unpriced.iter().map(|u| u.item).collect(),
        unpriced,
        pending_items: pending,
        choices: Choices {
            dispense: opts.dispense.clone(),
            exempt: opts.exempt.clone(),
            interpretation: *interp,
        },
    };
    FeeOutcome { fees, decisions }
}

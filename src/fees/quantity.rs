//! How much of a product an item dispenses, and which unit of calculation it belongs to.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::master::Product;
use crate::model::{Basis, Category, Item};
use crate::normalize::fold;

use super::{ExternalUnits, InternalUnits, Interpretation};

/// The key of a unit of calculation (所定単位).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub(crate) enum UnitKey {
    /// 内服: one 剤 = same timing and days (or the written Rp, by option).
    Internal { group: String, days: u32 },
    /// 頓服/外用/注射/滴剤: one dispensing of a group (or of one item, by option).
    Dispensing { category: Category, group: u32 },
}

/// Where an item goes and how much it counts.
#[derive(Debug, Clone)]
pub(crate) struct Placement {
    pub key: UnitKey,
    pub category: Category,
    pub multiplier: u32,
    /// Quantity in the product's price unit (per day for 内服, total otherwise).
    pub quantity: Decimal,
    pub timing: Option<String>,
    pub days: Option<u32>,
}

/// The effective category: `Unknown` with days is read as 内服, with 回分 as 頓服.
fn category(item: &Item) -> Result<Category, String> {
    match item.category {
        Category::Unknown if item.days.is_some() => Ok(Category::Internal),
        Category::Unknown if item.times.is_some() => Ok(Category::AsNeeded),
        Category::Unknown => Err("剤形区分（内服・頓服・外用）が読めない".into()),
        Category::Material => Err("医療材料は薬剤料の計算対象外".into()),
        c => Ok(c),
    }
}

/// A unit name folded into a comparable class (containers 本/瓶/個 are one class).
fn canon(unit: &str) -> String {
    let u = fold(unit).trim().to_ascii_lowercase();
    match u.as_str() {
        "錠" | "t" | "tab" => "錠".into(),
        "カプセル" | "cap" | "c" | "capsule" | "cp" => "カプセル".into(),
        "g" | "グラム" => "g".into(),
        "ml" | "cc" | "ミリリットル" => "ml".into(),
        "瓶" | "本" | "個" | "キット" | "筒" | "管" | "v" | "バイアル" => "容器".into(),
        _ => u,
    }
}

/// The product's price unit as (count, class): `10g` → (10, g).
fn price_unit(unit: &str) -> (Decimal, String) {
    let u = fold(unit);
    let digits: String = u
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let rest = &u[digits.len()..];
    match digits.parse::<Decimal>() {
        Ok(n) if n > Decimal::ZERO => (n, canon(rest)),
        _ => (Decimal::ONE, canon(&u)),
    }
}

/// Converts `q` written in `item_unit` into the product's price unit.
fn convert(q: Decimal, item: &Item, product: &Product) -> Result<Decimal, String> {
    let unit = item.amount.as_ref().map(|a| a.unit.as_str()).unwrap_or("");
    let (per, class) = price_unit(&product.unit);
    if class.is_empty() {
        return Err(format!("{} の薬価の単位が不明", product.name));
    }
    if canon(unit) == class {
        return Ok(q / per);
    }
    if let Some(pkg) = &item.package
        && canon(&pkg.unit) == class
    {
        return Ok(q * pkg.value / per);
    }
    Err(format!(
        "数量の単位「{unit}」を薬価の単位「{}」に換算できない",
        product.unit
    ))
}

/// Where the item goes, or why it cannot be priced.
pub(crate) fn place(
    item: &Item,
    product: &Product,
    interp: &Interpretation,
) -> Result<Placement, String> {
    let cat = category(item)?;
    let amount = item.amount.as_ref().ok_or("数量が書かれていない")?;
    let v = amount.value;
    if v <= Decimal::ZERO {
        return Err("数量が0以下".into());
    }
    if cat == Category::Internal {
        let days = item
            .days
            .filter(|d| *d > 0)
            .ok_or("内服の日数（日分）が書かれていない")?;
        let per_day = match amount.basis {
            Basis::PerDay => v,
            Basis::PerDose if !item.uneven.is_empty() => item.uneven.iter().copied().sum(),
            Basis::PerDose => {
                v * Decimal::from(item.times_per_day.ok_or("1日の服用回数が書かれていない")?)
            }
            Basis::Total => {
                let d = Decimal::from(days);
                // An exact per-day amount (at most 3 decimals), else the total is not split.
                let pd = (v / d).round_dp(3);
                if pd * d != v {
                    return Err("総量が日数で割り切れない".into());
                }
                pd
            }
        };
        let group = match interp.internal_units {
            InternalUnits::TimingDays => item
                .timing
                .clone()
                .or_else(|| item.usage.as_deref().map(fold))
                .unwrap_or_else(|| format!("Rp{}", item.rp)),
            InternalUnits::Rp => format!("Rp{}", item.rp),
        };
        return Ok(Placement {
            key: UnitKey::Internal { group, days },
            category: cat,
            multiplier: days,
            quantity: convert(per_day, item, product)?,
            timing: item.timing.clone(),
            days: Some(days),
        });
    }
    let total = match amount.basis {
        Basis::Total => v,
        Basis::PerDose => {
            v * Decimal::from(item.times.ok_or("頓服の回数（回分）が書かれていない")?)
        }
        Basis::PerDay => v * Decimal::from(item.days.ok_or("日数が書かれていない")?),
    };
    let group = match interp.external_units {
        ExternalUnits::Group => item.rp,
        ExternalUnits::Item => item.index,
    };
    Ok(Placement {
        key: UnitKey::Dispensing {
            category: cat,
            group,
        },
        category: cat,
        multiplier: 1,
        quantity: convert(total, item, product)?,
        timing: item.timing.clone(),
        days: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Amount, Quantity};

    fn product(unit: &str) -> Product {
        Product {
            code: "X".into(),
            name: "テスト".into(),
            price: Decimal::ONE,
            unit: unit.into(),
            generic: false,
            target: false,
            generic_max_price: None,
            a: None,
            b: None,
        }
    }

    fn item(cat: Category, v: i64, unit: &str, basis: Basis) -> Item {
        Item {
            index: 1,
            rp: 1,
            category: cat,
            amount: Some(Amount {
                value: Decimal::from(v),
                unit: unit.into(),
                basis,
            }),
            ..Item::default()
        }
    }

    #[test]
    fn package_and_ten_unit_conversions() {
        let i = Interpretation::default();
        let mut it = item(Category::External, 2, "本", Basis::Total);
        it.package = Some(Quantity {
            value: Decimal::from(5),
            unit: "ｍＬ".into(),
        });
        assert_eq!(
            place(&it, &product("mL"), &i).map(|p| p.quantity),
            Ok(Decimal::from(10))
        );
        // Bottles priced per 瓶 and written as 本: the same count.
        assert_eq!(
            place(&it, &product("瓶"), &i).map(|p| p.quantity),
            Ok(Decimal::from(2))
        );
        // A 「10g」-unit product: 20 g is 2 units.
        let g = item(Category::External, 20, "g", Basis::Total);
        assert_eq!(
            place(&g, &product("10g"), &i).map(|p| p.quantity),
            Ok(Decimal::from(2))
        );
        // mg written for a tablet product: not converted (never guessed).
        let mg = item(Category::External, 250, "mg", Basis::Total);
        assert!(place(&mg, &product("錠"), &i).is_err());
    }

    #[test]
    fn internal_quantities_per_day() {
        let i = Interpretation::default();
        let mut it = item(Category::Internal, 1, "錠", Basis::PerDose);
        it.days = Some(7);
        assert!(
            place(&it, &product("錠"), &i).is_err(),
            "per dose without times per day"
        );
        it.times_per_day = Some(3);
        let p = place(&it, &product("錠"), &i).unwrap();
        assert_eq!((p.quantity, p.multiplier), (Decimal::from(3), 7));
        let mut t = item(Category::Internal, 21, "錠", Basis::Total);
        t.days = Some(7);
        assert_eq!(
            place(&t, &product("錠"), &i).map(|p| p.quantity),
            Ok(Decimal::from(3))
        );
        t.amount = Some(Amount {
            value: Decimal::from(10),
            unit: "錠".into(),
            basis: Basis::Total,
        });
        t.days = Some(3);
        assert!(
            place(&t, &product("錠"), &i).is_err(),
            "10 over 3 days has no exact per-day amount"
        );
        let mut no_days = item(Category::Internal, 1, "錠", Basis::PerDay);
        no_days.days = None;
        assert!(place(&no_days, &product("錠"), &i).is_err());
    }
}

//! MHLW 薬価基準収載品目リスト (price list): the CSV shape of `../shared/data/mhlw/yakka_*.csv`
//! (UTF-8, header) and the published Excel files (one sheet per category or one for all).
//!
//! Columns are found by header name. Targets are derived when no target list is given: a
//! 先発品 with ○ in 「同一剤形・規格の後発医薬品がある先発医薬品」 whose price P exceeds G, the
//! highest price among rows marked 後発品 sharing the first 9 characters of the code.
//! 準先発品 and products marked in neither column with P > G count too (the MHLW lists include
//! such old brands: ミドリンＭ点眼液０．４％ has a （選） record in the SSK master); ★ rows
//! (統一名収載) never do. This derivation approximates the MHLW list (which also applies its
//! own criteria, e.g. no biologics): give the official target list for exact membership.

use std::collections::HashMap;
use std::str::FromStr;

use rayon::prelude::*;
use rust_decimal::Decimal;

use super::MasterError;
use super::keys::{group_of, unit_of_spec};
use super::record::Record;
use crate::normalize::fold;

/// Column positions of a price-list header row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Columns {
    code: usize,
    name: usize,
    price: usize,
    spec: Option<usize>,
    ingredient: Option<usize>,
    generic: Option<usize>,
    brand: Option<usize>,
    long_listed: Option<usize>,
}

fn h(s: &str) -> String {
    fold(s).chars().filter(|c| !c.is_whitespace()).collect()
}

/// Finds the columns in a header row, if it is one.
pub(crate) fn columns(header: &[String]) -> Option<Columns> {
    let hs: Vec<String> = header.iter().map(|s| h(s)).collect();
    let find = |f: &dyn Fn(&str) -> bool| hs.iter().position(|x| f(x));
    Some(Columns {
        code: find(&|x| x.contains("薬価基準収載医薬品コード") || x == "コード")?,
        name: find(&|x| x == "品名" || x.ends_with("品名"))?,
        price: find(&|x| {
            x == "薬価" || (x.starts_with("薬価") && !x.contains("基準") && !x.contains("コード"))
        })?,
        spec: find(&|x| x == "規格" || x.starts_with("規格")),
        ingredient: find(&|x| x.contains("成分名")),
        generic: find(&|x| x.contains("後発") && !x.contains("先発")),
        brand: find(&|x| x.contains("先発") && !x.contains("後発")),
        long_listed: find(&|x| {
            x.contains("同一剤形") || (x.contains("先発") && x.contains("後発"))
        }),
    })
}

/// Records from rows (header somewhere in the first rows; more header rows are skipped).
pub(crate) fn records(rows: &[Vec<String>], path: &str) -> Result<Vec<Record>, MasterError> {
    let start = rows
        .iter()
        .take(20)
        .position(|r| columns(r).is_some())
        .ok_or_else(|| {
            MasterError::load(
                path,
                "no price-list header (薬価基準収載医薬品コード, 品名, 薬価) found",
            )
        })?;
    let cols = columns(&rows[start]).ok_or_else(|| MasterError::load(path, "bad header"))?;
    // Rows are independent: converted in parallel (folding names is the costly part).
    let converted: Vec<(Record, bool)> = rows[start + 1..]
        .par_iter()
        .filter_map(|row| {
            let get = |i: Option<usize>| i.and_then(|i| row.get(i)).map(|s| s.trim()).unwrap_or("");
            let code = get(Some(cols.code));
            // Empty rows and repeated header rows (a code cell that is not a code) are skipped.
            if code.is_empty() || !code.is_ascii() {
                return None;
            }
            let price_s = get(Some(cols.price));
            let parsed = if price_s.is_ascii() {
                Decimal::from_str(price_s)
            } else {
                Decimal::from_str(&fold(price_s))
            };
            let Ok(price) = parsed else {
                // A row without a readable price is not a product row (notes, blank lines).
                return None;
            };
            let spec = get(cols.spec);
            // Flag cells hold plain marks (後発品, 先発品, 準先発品, ○, ★): compared as written,
            // trimmed, without folding every cell of 13,000 rows.
            let generic_cell = get(cols.generic);
            let generic = generic_cell == "後発品";
            // Long-listed candidates: a 先発品 marked ○; a 準先発品; a product marked in neither
            // column (old brands such as ミドリンＭ点眼液０．４％, which has a （選） record). Rows
            // marked ★ (統一名収載) are never targets. P > G is checked in derive_targets.
            let ll = match get(cols.brand) {
                "先発品" => matches!(get(cols.long_listed), "○" | "◯"),
                "準先発品" => true,
                "" => generic_cell.is_empty(),
                _ => false,
            };
            let rec = Record {
                code: code.to_string(),
                name: Some(get(Some(cols.name)).to_string()).filter(|s| !s.is_empty()),
                price: Some(price),
                unit: (!spec.is_empty()).then(|| unit_of_spec(spec)),
                generic,
                target: Some(false),
                ingredient: Some(get(cols.ingredient).to_string()).filter(|s| !s.is_empty()),
                spec: (!spec.is_empty()).then(|| spec.to_string()),
                ..Record::default()
            };
            Some((rec, ll))
        })
        .collect();
    let (mut out, long_listed): (Vec<Record>, Vec<bool>) = converted.into_iter().unzip();
    derive_targets(&mut out, &long_listed);
    Ok(out)
}

/// G per 9-character group from the generics, and the target flag of ○ brands with P > G.
pub(crate) fn derive_targets(recs: &mut [Record], long_listed: &[bool]) {
    let mut gmax: HashMap<String, Decimal> = HashMap::new();
    for r in recs.iter().filter(|r| r.generic) {
        if let (Some(g), Some(p)) = (group_of(&r.code), r.price) {
            let e = gmax.entry(g.to_string()).or_insert(p);
            if p > *e {
                *e = p;
            }
        }
    }
    for (r, ll) in recs.iter_mut().zip(long_listed) {
        if r.generic {
            continue;
        }
        let g = group_of(&r.code).and_then(|g| gmax.get(g)).copied();
        r.generic_max = g;
        r.target = Some(*ll && matches!((r.price, g), (Some(p), Some(g)) if p > g));
    }
}

//! MHLW 選定療養 target list (長期収載品の選定療養 対象医薬品): the published Excel (sheet
//! 「厚労省マスタ」), a CSV export of it, and the JSON shape of
//! `../shared/data/mhlw/sentei_2026-06-01.json` (`items`: code → `h` \[a\], `p` \[b\], `g` G).
//!
//! Columns are found by header name. The gap column is 「…価格差の４分の１」 in lists in force
//! before 2026-06-01 and 「…価格差の２分の１」 from then; a list whose column does not match
//! the rule period of its date is refused (it would charge the wrong fraction).

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::Value;

use super::MasterError;
use super::record::Record;
use crate::fees::rules::rule_on;
use crate::normalize::fold;

fn h(s: &str) -> String {
    fold(s).chars().filter(|c| !c.is_whitespace()).collect()
}

fn dec_text(s: &str) -> Option<Decimal> {
    let t = fold(s).trim().replace(',', "");
    if t.is_empty() {
        None
    } else {
        Decimal::from_str(&t).ok()
    }
}

/// Column positions of a target-list header row.
#[derive(Debug, Clone, Copy)]
struct Columns {
    code: usize,
    a: usize,
    /// (numerator, denominator) read from the gap column's header.
    fraction: (u32, u32),
    name: Option<usize>,
    price: Option<usize>,
    generic: Option<usize>,
    b: Option<usize>,
    unit: Option<usize>,
}

fn columns<S: AsRef<str>>(header: &[S]) -> Option<Columns> {
    let hs: Vec<String> = header.iter().map(|s| h(s.as_ref())).collect();
    let find = |f: &dyn Fn(&str) -> bool| hs.iter().position(|x| f(x));
    let a = find(&|x| x.contains("価格差の"))?;
    let fraction = if hs[a].contains("4分の1") {
        (1, 4)
    } else if hs[a].contains("2分の1") {
        (1, 2)
    } else {
        return None;
    };
    Some(Columns {
        code: find(&|x| {
            x.contains("薬価基準収載医薬品コード") || x.contains("医薬品コード") || x == "コード"
        })?,
        a,
        fraction,
        name: find(&|x| x.contains("品名") || x.contains("医薬品名")),
        price: find(&|x| {
            x.contains("薬価")
                && !x.contains("コード")
                && !x.contains("後発")
                && !x.contains("価格差")
        }),
        generic: find(&|x| x.contains("後発") && !x.contains("価格差")),
        b: find(&|x| x.contains("保険外併用療養費") || x.contains("算出に用いる価格")),
        unit: find(&|x| x == "単位" || x.contains("規格単位")),
    })
}

/// Target records from spreadsheet or CSV rows.
pub(crate) fn records_from_rows<S: AsRef<str>>(
    rows: &[Vec<S>],
    path: &str,
    valid_from: NaiveDate,
) -> Result<Vec<Record>, MasterError> {
    let start = rows
        .iter()
        .take(30)
        .position(|r| columns(r).is_some())
        .ok_or_else(|| {
            MasterError::load(
                path,
                "no target-list header (コード, 「…価格差の４分の１/２分の１」) found",
            )
        })?;
    let cols = columns(&rows[start]).ok_or_else(|| MasterError::load(path, "bad header"))?;
    check_fraction(cols.fraction, valid_from, path)?;
    let mut out = Vec::new();
    for (n, row) in rows[start + 1..].iter().enumerate() {
        let get = |i: Option<usize>| {
            i.and_then(|i| row.get(i))
                .map(|s| s.as_ref().trim())
                .unwrap_or("")
        };
        let code = fold(get(Some(cols.code))).trim().to_string();
        if code.is_empty() {
            continue;
        }
        let Some(a) = dec_text(get(Some(cols.a))) else {
            continue;
        };
        let p = dec_text(get(cols.price));
        let b = dec_text(get(cols.b)).or_else(|| p.map(|p| p - a));
        let price = p.or_else(|| b.map(|b| b + a));
        if price.is_none() {
            return Err(MasterError::load(
                path,
                format!(
                    "row {}: neither 薬価 nor [b] given for {code}",
                    start + n + 2
                ),
            ));
        }
        out.push(Record {
            code,
            name: Some(get(cols.name).to_string()).filter(|s| !s.is_empty()),
            price,
            unit: Some(get(cols.unit).to_string()).filter(|s| !s.is_empty()),
            target: Some(true),
            generic_max: dec_text(get(cols.generic)),
            a: Some(a),
            b,
            ..Record::default()
        });
    }
    Ok(out)
}

fn check_fraction(
    fraction: (u32, u32),
    valid_from: NaiveDate,
    path: &str,
) -> Result<(), MasterError> {
    match rule_on(valid_from) {
        Some(rule) if rule.fraction != fraction => Err(MasterError::load(
            path,
            format!(
                "the gap column is {}/{} but the rule in force on {valid_from} charges {}",
                fraction.0,
                fraction.1,
                rule.fraction_text()
            ),
        )),
        _ => Ok(()),
    }
}

/// A JSON number or string as a Decimal. A JSON number is read through its shortest decimal
/// text (`0.55` stays `0.55`), never through float arithmetic.
fn json_dec(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        Value::String(s) => dec_text(s),
        _ => None,
    }
}

/// The list's own date (`as_of`), if any.
pub(crate) fn json_as_of(v: &Value) -> Option<NaiveDate> {
    v.get("as_of")
        .and_then(Value::as_str)
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
}

/// Target records from the JSON shape: P = p + h, [a] = h, [b] = p, G = g.
pub(crate) fn records_from_json(v: &Value, path: &str) -> Result<Vec<Record>, MasterError> {
    let items = v
        .get("items")
        .and_then(Value::as_object)
        .ok_or_else(|| MasterError::load(path, "no \"items\" object"))?;
    let mut out = Vec::with_capacity(items.len());
    for (code, it) in items {
        let (Some(a), Some(b)) = (
            it.get("h").and_then(json_dec),
            it.get("p").and_then(json_dec),
        ) else {
            return Err(MasterError::load(
                path,
                format!("item {code}: h and p must be numbers"),
            ));
        };
        let mut a = a;
        let mut b = b;
        // Published values carry 2 decimals (1 for 「10」-unit items); show them so.
        if a.scale() < 2 {
            a.rescale(2);
        }
        if b.scale() < 2 {
            b.rescale(2);
        }
        let mut price = (a + b).normalize();
        if price.scale() < 1 {
            price.rescale(1);
        }
        out.push(Record {
            code: code.clone(),
            price: Some(price),
            target: Some(true),
            generic_max: it.get("g").and_then(json_dec),
            a: Some(a),
            b: Some(b),
            ..Record::default()
        });
    }
    Ok(out)
}

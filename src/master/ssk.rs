//! SSK 医薬品マスター (y file): Shift_JIS CSV without header, 42 fields (layout
//! `../shared/data/ssk/y_master_layout.csv`), and UTF-8 copies with a header row.
//!
//! Fields used (1-based): 1 変更区分, 3 医薬品コード, 5 漢字名称, 10 単位, 12 金額, 17 後発品,
//! 32 薬価基準収載医薬品コード, 37 一般名コード, 38 一般名処方の標準的な記載,
//! 41 長期収載品関連, 42 選定療養区分. A （選） record (42 = 2, code 67…) carries \[b\] as its
//! price and points (41) to the original long-listed product (62…, 42 = 1): that original is
//! the target with P = its price, \[b\] from the （選） record and \[a\] = P − \[b\].

use std::collections::HashMap;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::MasterError;
use super::record::Record;
use super::yakka::derive_targets;
use crate::normalize::fold;

/// Decodes a y file: UTF-8 when valid (BOM dropped), else Shift_JIS.
pub fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.strip_prefix('\u{feff}').unwrap_or(s).to_string(),
        Err(_) => encoding_rs::SHIFT_JIS.decode(bytes).0.into_owned(),
    }
}

/// Whether rows look like a y master (a header starting 変更区分, or field 2 = `Y`).
pub(crate) fn looks_like<S: AsRef<str>>(rows: &[Vec<S>]) -> bool {
    rows.first().is_some_and(|r| {
        r.first().is_some_and(|f| f.as_ref().trim() == "変更区分")
            || (r.len() >= 32 && r.get(1).is_some_and(|f| f.as_ref().trim() == "Y"))
    })
}

/// Records from y rows.
pub(crate) fn records<S: AsRef<str> + Sync>(
    rows: &[Vec<S>],
    path: &str,
) -> Result<Vec<Record>, MasterError> {
    let mut out: Vec<Record> = Vec::with_capacity(rows.len());
    let mut long_listed: Vec<bool> = Vec::with_capacity(rows.len());
    // Original receipt code → [b] from its （選） record.
    let mut b_of: HashMap<String, Decimal> = HashMap::new();
    for (n, row) in rows.iter().enumerate() {
        let f = |i: usize| row.get(i - 1).map(|s| s.as_ref().trim()).unwrap_or("");
        if f(1) == "変更区分" {
            continue;
        }
        if row.len() < 32 {
            return Err(MasterError::load(
                path,
                format!("record {}: {} fields, a y record has 42", n + 1, row.len()),
            ));
        }
        if f(1) == "1" {
            // 抹消: deleted from the master.
            continue;
        }
        let price = Decimal::from_str(f(12)).map_err(|e| {
            MasterError::load(path, format!("record {}: price {:?}: {e}", n + 1, f(12)))
        })?;
        let kind = f(42);
        if kind == "2" {
            if !f(41).is_empty() && f(41) != "0" {
                b_of.insert(f(41).to_string(), price);
            }
            continue;
        }
        let yj = f(32);
        let receipt = f(3).to_string();
        let has_42 = row.len() >= 42;
        long_listed.push(kind == "1");
        out.push(Record {
            code: if yj.is_empty() {
                receipt.clone()
            } else {
                yj.to_string()
            },
            receipt: Some(receipt),
            name: Some(f(5).to_string()).filter(|s| !s.is_empty()),
            price: Some(price),
            unit: Some(fold(f(10))).filter(|s| !s.is_empty()),
            generic: f(17) == "1",
            target: has_42.then_some(false),
            general_code: Some(f(37).to_string()).filter(|s| !s.is_empty()),
            general_name: Some(f(38).to_string()).filter(|s| !s.is_empty()),
            ..Record::default()
        });
    }
    // G per group (informative), then the published [a]/[b] of the originals.
    let flags: Vec<bool> = long_listed.clone();
    derive_targets(&mut out, &flags);
    for (r, ll) in out.iter_mut().zip(&long_listed) {
        if !*ll {
            if r.target.is_some() {
                r.target = Some(false);
            }
            continue;
        }
        let b = r.receipt.as_ref().and_then(|rc| b_of.get(rc)).copied();
        match (r.price, b) {
            (Some(p), Some(b)) if b < p => {
                r.target = Some(true);
                r.a = Some(p - b);
                r.b = Some(b);
            }
            // Flagged as the original, but its （選） record is not in this file: a target by
            // the flag; [a]/[b] are computed from G when known, else the item is reported
            // unpriced by the fee engine (never guessed).
            _ => r.target = Some(true),
        }
    }
    Ok(out)
}

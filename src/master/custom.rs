//! The project's own master CSV format: the embedded sample, custom masters and the cache.
//!
//! UTF-8, one header line, `#` comment lines anywhere, an optional directive line
//! `# source: KIND` (`sample`, `custom`, `mhlw-price-list`, `mhlw-target-list`, `ssk-y`).
//! Columns (by header name, any order; only `code`, `name` and `price` are required):
//!
//! | column | meaning |
//! |---|---|
//! | `valid_from` | first day the row is in force (`YYYY-MM-DD`); rows of one date form one version; empty = the file's date |
//! | `code` | 薬価基準収載医薬品コード (12) |
//! | `receipt` | レセプト電算コード (9), optional |
//! | `name` | product name as published |
//! | `price` | 薬価 per `unit`, exact decimal |
//! | `unit` | unit the price is per (`錠`, `g`, `mL`, `枚`, `瓶`; `10g` for 「10」-unit items) |
//! | `kind` | `target` (long-listed brand on the 選定療養 list) · `brand` (no charge) · `generic` · `other` · empty (not known) |
//! | `generic_max_price` | G, the highest generic price of the same form and strength |
//! | `a`, `b` | published \[a\] and \[b\] (leave empty to compute them from P and G) |
//! | `general_name` | 一般名処方の標準的な記載 (`【般】…` or without the marker) |
//! | `general_code` | 一般名コード |
//! | `ingredient`, `spec` | 成分名 and 規格 as in the price list |
//!
//! ```
//! use shohosen::master::custom::parse;
//! let csv = "code,name,price,unit,kind,generic_max_price\n1,テスト錠10mg,20.0,錠,target,10.0\n";
//! let vs = parse(csv, "t.csv", Some(chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())).unwrap();
//! assert_eq!(vs[0].records[0].name.as_deref(), Some("テスト錠10mg"));
//! ```

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::MasterError;
use super::csv::records;
use super::record::{Record, SourceKind, Version};

/// The embedded sample master (facts written by hand; see the file's header).
pub const SAMPLE_CSV: &str = include_str!("sample_master.csv");

/// The sample's versions (one per `valid_from`).
pub fn sample_versions() -> Vec<Version> {
    // The sample is part of the binary and tested; a broken sample is a build defect, and an
    // empty master then simply matches nothing (every drug reported unknown, never guessed).
    parse(SAMPLE_CSV, "sample", None).unwrap_or_default()
}

fn kind_of(directive: &str) -> Option<SourceKind> {
    Some(match directive.trim() {
        "sample" => SourceKind::Sample,
        "custom" => SourceKind::Custom,
        "mhlw-price-list" => SourceKind::PriceList,
        "mhlw-target-list" => SourceKind::TargetList,
        "ssk-y" => SourceKind::SskY,
        _ => return None,
    })
}

fn dec(s: &str, path: &str, line: usize, col: &str) -> Result<Option<Decimal>, MasterError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    Decimal::from_str(t).map(Some).map_err(|e| {
        MasterError::load(
            path,
            format!("record {line}: column {col}: {t:?} is not a decimal ({e})"),
        )
    })
}

/// Parses the project's CSV into versions.
pub fn parse(
    text: &str,
    path: &str,
    file_date: Option<NaiveDate>,
) -> Result<Vec<Version>, MasterError> {
    let mut kind = if path == "sample" {
        SourceKind::Sample
    } else {
        SourceKind::Custom
    };
    let mut label = path.to_string();
    for line in text.lines() {
        if let Some(l) = line.trim().strip_prefix("# from:") {
            label = l.trim().to_string();
        }
        if let Some(d) = line.trim().strip_prefix("# source:") {
            kind = kind_of(d).ok_or_else(|| {
                MasterError::load(path, format!("unknown source kind {:?}", d.trim()))
            })?;
        }
    }
    let body: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let mut rows = records(&body).into_iter();
    let header = rows
        .next()
        .ok_or_else(|| MasterError::load(path, "empty master file"))?;
    let col = |name: &str| header.iter().position(|h| h.trim() == name);
    let need = |name: &str| {
        col(name).ok_or_else(|| MasterError::load(path, format!("missing column {name:?}")))
    };
    let (c_code, c_name, c_price) = (need("code")?, need("name")?, need("price")?);
    let opt_cols: BTreeMap<&str, Option<usize>> = [
        "valid_from",
        "receipt",
        "unit",
        "kind",
        "generic_max_price",
        "a",
        "b",
        "general_name",
        "general_code",
        "ingredient",
        "spec",
    ]
    .into_iter()
    .map(|n| (n, col(n)))
    .collect();
    let mut by_date: BTreeMap<NaiveDate, Vec<Record>> = BTreeMap::new();
    for (n, row) in rows.enumerate() {
        let line = n + 2;
        let get = |c: Option<usize>| c.and_then(|i| row.get(i)).map(|s| s.trim()).unwrap_or("");
        let opt = |name: &str| get(opt_cols.get(name).copied().flatten());
        let nonempty = |s: &str| (!s.is_empty()).then(|| s.to_string());
        let date = match opt("valid_from") {
            "" => file_date.ok_or_else(|| {
                MasterError::load(path, format!("record {line}: no valid_from and no date for the file (use PATH@YYYY-MM-DD)"))
            })?,
            d => NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|e| MasterError::load(path, format!("record {line}: valid_from {d:?}: {e}")))?,
        };
        let code = get(Some(c_code)).to_string();
        if code.is_empty() {
            return Err(MasterError::load(
                path,
                format!("record {line}: empty code"),
            ));
        }
        let kind_s = opt("kind");
        let target = match kind_s {
            "target" => Some(true),
            "brand" | "generic" | "other" => Some(false),
            "" => None,
            k => {
                return Err(MasterError::load(
                    path,
                    format!("record {line}: unknown kind {k:?}"),
                ));
            }
        };
        by_date.entry(date).or_default().push(Record {
            code,
            receipt: nonempty(opt("receipt")),
            name: nonempty(get(Some(c_name))),
            price: dec(get(Some(c_price)), path, line, "price")?,
            unit: nonempty(opt("unit")),
            generic: kind_s == "generic",
            target,
            generic_max: dec(opt("generic_max_price"), path, line, "generic_max_price")?,
            a: dec(opt("a"), path, line, "a")?,
            b: dec(opt("b"), path, line, "b")?,
            general_name: nonempty(opt("general_name")),
            general_code: nonempty(opt("general_code")),
            ingredient: nonempty(opt("ingredient")),
            spec: nonempty(opt("spec")),
        });
    }
    Ok(by_date
        .into_iter()
        .map(|(d, recs)| Version::new(label.clone(), kind, d, recs))
        .collect())
}

/// Writes versions in this format (the cache).
pub fn write(kind: SourceKind, recs: &[Record], valid_from: NaiveDate, label: &str) -> String {
    let mut out = format!(
        "# shohosen master cache (format: src/master/custom.rs)\n# from: {label}\n# source: {}\n",
        kind.label()
    );
    out.push_str("valid_from,code,receipt,name,price,unit,kind,generic_max_price,a,b,general_name,general_code,ingredient,spec\n");
    let q = |s: &Option<String>| {
        let s = s.as_deref().unwrap_or("");
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let d = |x: &Option<Decimal>| x.map(|v| v.to_string()).unwrap_or_default();
    for r in recs {
        let kind = match (r.target, r.generic) {
            (Some(true), _) => "target",
            (_, true) => "generic",
            (Some(false), false) => "brand",
            (None, false) => "",
        };
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            valid_from,
            q(&Some(r.code.clone())),
            q(&r.receipt),
            q(&r.name),
            d(&r.price),
            q(&r.unit),
            kind,
            d(&r.generic_max),
            d(&r.a),
            d(&r.b),
            q(&r.general_name),
            q(&r.general_code),
            q(&r.ingredient),
            q(&r.spec)
        ));
    }
    out
}

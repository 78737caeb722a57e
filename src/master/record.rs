//! One master version: the products of one source file (or the embedded sample) and the
//! indexes used to find them.

use std::collections::HashMap;

use chrono::NaiveDate;
use rayon::prelude::*;
use rust_decimal::Decimal;

use super::keys::{form_in, group_of, name_key, strength_of, without_maker};

/// What a record says about one product. Fields a source does not give are `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// 薬価基準収載医薬品コード (12); for a source without it, the レセプト電算コード.
    pub code: String,
    /// レセプト電算コード (9 digits), when known.
    pub receipt: Option<String>,
    /// Name as published (raw).
    pub name: Option<String>,
    /// 薬価 (P for a brand).
    pub price: Option<Decimal>,
    /// Unit the price is per (`錠`, `g`, `mL`, `瓶`, `10g`).
    pub unit: Option<String>,
    /// A generic (後発品).
    pub generic: bool,
    /// Whether a 選定療養 target: `Some` when the source says so.
    pub target: Option<bool>,
    /// G: highest generic price of the same form and strength.
    pub generic_max: Option<Decimal>,
    /// Published \[a\] and \[b\] (valid for the rule period in force at the version's date).
    pub a: Option<Decimal>,
    pub b: Option<Decimal>,
    /// 一般名処方の標準的な記載 (raw, e.g. 【般】アムロジピン錠５ｍｇ).
    pub general_name: Option<String>,
    /// 一般名コード (12, ends in ZZZ-like letters).
    pub general_code: Option<String>,
    /// 成分名 and 規格 (price list), to build ingredient + form + strength keys.
    pub ingredient: Option<String>,
    pub spec: Option<String>,
}

/// What kind of source a version came from (shown by `master info`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// The embedded sample (partial: silent about drugs it does not list).
    Sample,
    /// MHLW 薬価基準収載品目リスト (targets derived from the ○ column and 後発品 prices).
    PriceList,
    /// MHLW 選定療養 target list (the authority on targets while in force).
    TargetList,
    /// SSK 医薬品マスター (y).
    SskY,
    /// The project's own CSV format (a custom master).
    Custom,
}

impl SourceKind {
    /// Short label.
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Sample => "sample",
            SourceKind::PriceList => "mhlw-price-list",
            SourceKind::TargetList => "mhlw-target-list",
            SourceKind::SskY => "ssk-y",
            SourceKind::Custom => "custom",
        }
    }

    /// A complete source: a target it does not list is not a target while it is in force.
    pub fn complete_targets(self) -> bool {
        !matches!(self, SourceKind::Sample | SourceKind::Custom)
    }
}

/// One loaded master: its records, date and indexes.
#[derive(Debug, Clone)]
pub struct Version {
    /// File path or `sample:…`.
    pub label: String,
    pub kind: SourceKind,
    /// First day in force.
    pub valid_from: NaiveDate,
    pub records: Vec<Record>,
    pub(crate) by_code: HashMap<String, usize>,
    pub(crate) by_receipt: HashMap<String, usize>,
    pub(crate) by_name: HashMap<String, usize>,
    /// 一般名 keys → records (generics named by it, notations, ingredient+form+strength).
    pub(crate) by_general: HashMap<String, Vec<usize>>,
    /// 一般名コード → records.
    pub(crate) by_general_code: HashMap<String, Vec<usize>>,
    /// 9-character code group → records.
    pub(crate) groups: HashMap<String, Vec<usize>>,
}

impl Version {
    /// Builds the indexes over `records`.
    pub fn new(
        label: String,
        kind: SourceKind,
        valid_from: NaiveDate,
        records: Vec<Record>,
    ) -> Version {
        let n = records.len();
        let mut v = Version {
            label,
            kind,
            valid_from,
            records,
            by_code: HashMap::with_capacity(n),
            by_receipt: HashMap::new(),
            by_name: HashMap::with_capacity(n),
            by_general: HashMap::with_capacity(n),
            by_general_code: HashMap::new(),
            groups: HashMap::with_capacity(n),
        };
        // Matching keys are computed in parallel (NFKC folding dominates loading time), then
        // inserted in record order so the first record of a name wins deterministically.
        // A small master (the embedded sample) is keyed on this thread: starting rayon's pool
        // for it cost more than the work, on every single-file run.
        let keys: Vec<(Option<String>, Vec<String>)> = if v.records.len() >= super::PARALLEL_MIN {
            v.records.par_iter().map(keys_of).collect()
        } else {
            v.records.iter().map(keys_of).collect()
        };
        for (i, (r, (name_key, general_keys))) in v.records.iter().zip(keys).enumerate() {
            v.by_code.entry(r.code.clone()).or_insert(i);
            if let Some(rc) = &r.receipt {
                v.by_receipt.entry(rc.clone()).or_insert(i);
            }
            if let Some(g) = group_of(&r.code) {
                // Look up before inserting: most groups already exist (no key allocation).
                match v.groups.get_mut(g) {
                    Some(ix) => ix.push(i),
                    None => {
                        v.groups.insert(g.to_string(), vec![i]);
                    }
                }
            }
            if let Some(gc) = &r.general_code {
                v.by_general_code.entry(gc.clone()).or_default().push(i);
            }
            if let Some(k) = name_key {
                v.by_name.entry(k).or_insert(i);
            }
            for k in general_keys {
                v.by_general.entry(k).or_default().push(i);
            }
        }
        v
    }

    /// The record with this code (12-character code or 9-digit receipt code).
    pub fn by_code(&self, code: &str) -> Option<&Record> {
        self.by_code
            .get(code)
            .or_else(|| self.by_receipt.get(code))
            .map(|&i| &self.records[i])
    }
}

/// The name key and the 一般名 keys of one record.
fn keys_of(r: &Record) -> (Option<String>, Vec<String>) {
    let mut general_keys: Vec<String> = Vec::new();
    let name = r.name.as_ref().map(|name| {
        let k = name_key(name);
        if r.generic {
            let base = without_maker(&k);
            if base != k {
                general_keys.push(base.to_string());
            }
        }
        // Ingredient + form + strength, for products whose own name is not already a 一般名
        // (a generic with a maker suffix has its 一般名 key above).
        if general_keys.is_empty()
            && let (Some(ing), Some(spec)) = (&r.ingredient, &r.spec)
            && let Some(form) = form_in(&k)
        {
            general_keys.push(format!(
                "{}{}{}",
                name_key(ing),
                form,
                strength_of(&name_key(spec))
            ));
        }
        k
    });
    if let Some(gn) = &r.general_name {
        general_keys.push(name_key(gn));
    }
    general_keys.sort();
    general_keys.dedup();
    (name, general_keys)
}

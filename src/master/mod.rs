//! Drug price masters: the embedded sample, official MHLW/SSK files, the local cache, and
//! matching prescription names to products.
//!
//! A [`Master`] holds several *versions* (one per source), each with the first day it is in
//! force. For a dispensing date the versions in force are consulted newest first (files given
//! later win over earlier ones of the same date); a product's facts are merged from them:
//! name and price from the newest version that has them, the target facts (G, \[a\], \[b\]) from
//! the newest version that speaks about targets — an MHLW target list in force is the
//! authority: a product it does not list is not a target.
//!
//! When no version is in force yet on the date (a date before every master), the oldest
//! versions are used, closest first.
//!
//! ```
//! use chrono::NaiveDate;
//! use shohosen::master::Master;
//! use shohosen::model::Item;
//! let m = Master::sample();
//! let item = Item { name: "ジスロマック錠２５０ｍｇ".into(), ..Item::default() };
//! let p = m.resolve(&item, NaiveDate::from_ymd_opt(2024, 10, 7).unwrap(), None).unwrap();
//! assert_eq!(p.price.to_string(), "158.9");
//! assert_eq!(p.a.unwrap().to_string(), "17.10");
//! ```

pub mod cache;
pub mod csv;
pub mod custom;
pub mod keys;
pub mod load;
pub mod record;
pub mod sentei;
pub mod ssk;
pub mod yakka;

mod xlsx;

/// Rows below which master loading stays on the calling thread: the embedded sample master
/// has a few dozen rows, and starting rayon's global pool (its threads) for them cost more
/// than the work on every single-file run. The national lists have thousands.
pub(crate) const PARALLEL_MIN: usize = 4096;

use std::collections::BTreeSet;
use std::path::PathBuf;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::choices::Dispense;
use crate::fees::rules::rule_on;
use crate::model::Item;

pub use cache::{ImportReport, import, info, lookup};
use keys::{group_of, name_key};
pub use record::{Record, SourceKind, Version};

/// One product as the fee engine needs it; serialized as the item's `product` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Product {
    /// 薬価基準収載医薬品コード (12) or レセプト電算コード (9).
    pub code: String,
    pub name: String,
    #[schemars(with = "String")]
    pub price: Decimal,
    pub unit: String,
    pub generic: bool,
    /// A 選定療養 target on the date of the master.
    pub target: bool,
    #[schemars(with = "Option<String>")]
    pub generic_max_price: Option<Decimal>,
    /// [a]: the charge per unit.
    // FEES.md's notation, kept as written: these doc lines are also the published schema's
    // descriptions, where an escaped `\[a\]` would show its backslashes.
    #[allow(rustdoc::broken_intra_doc_links)]
    #[schemars(with = "Option<String>")]
    pub a: Option<Decimal>,
    /// [b]: the price used for the insured part.
    #[allow(rustdoc::broken_intra_doc_links)]
    #[schemars(with = "Option<String>")]
    pub b: Option<Decimal>,
}

/// A resolved product with how it was found (for `master lookup` and for output notes).
///
/// [`Product`] is the fixed `product` object; what else is known about the resolution lives
/// here so that adding facts never changes that object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Resolved {
    pub product: Product,
    /// \[a\]/\[b\] as published by the master (`true`) or computed from P and G (`false`).
    pub published: Option<bool>,
    /// 一般名処方の標準的な記載, when the master gives it.
    pub general_name: Option<String>,
    /// Which master (file or `sample`) and its validity date gave the price.
    pub source: String,
    /// How the product was chosen when it is not simply the written drug (e.g. a 一般名
    /// line priced at its highest generic).
    pub note: Option<String>,
}

/// Why a master could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum MasterError {
    #[error("{path}: {message}")]
    Load { path: String, message: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl MasterError {
    pub(crate) fn load(path: impl std::fmt::Display, message: impl Into<String>) -> MasterError {
        MasterError::Load {
            path: path.to_string(),
            message: message.into(),
        }
    }
}

/// All masters known to this run, each with its validity date.
#[derive(Debug, Clone, Default)]
pub struct Master {
    versions: Vec<Version>,
}

/// What a prescription line was matched to.
enum Ident {
    /// One product code.
    Product(String),
    /// A 一般名: the records (codes) it covers.
    General(Vec<String>),
}

impl Master {
    /// The embedded sample master (seed and FEES.md drugs).
    pub fn sample() -> Master {
        Master {
            versions: custom::sample_versions(),
        }
    }

    /// A master with no versions at all (tests, or `--no-sample` style runs).
    pub fn empty() -> Master {
        Master::default()
    }

    /// The sample, the local cache (when `use_cache`), and the given files. A path may carry
    /// its validity date as a suffix `PATH@YYYY-MM-DD` (see [`load::split_date_suffix`]).
    pub fn open(paths: &[PathBuf], use_cache: bool) -> Result<Master, MasterError> {
        let mut m = Master::sample();
        if use_cache {
            for v in cache::load_cache()? {
                m.push(v);
            }
        }
        for p in paths {
            for v in load::load_path(p)? {
                m.push(v);
            }
        }
        Ok(m)
    }

    /// Adds a version (later additions win over earlier ones of the same date).
    pub fn push(&mut self, v: Version) {
        self.versions.push(v);
    }

    /// Every loaded version, in load order.
    pub fn versions(&self) -> &[Version] {
        &self.versions
    }

    /// The versions consulted on `date`, most authoritative first.
    fn in_force(&self, date: NaiveDate) -> Vec<&Version> {
        let mut vs: Vec<(usize, &Version)> = self
            .versions
            .iter()
            .enumerate()
            .filter(|(_, v)| v.valid_from <= date)
            .collect();
        if vs.is_empty() {
            let mut all: Vec<(usize, &Version)> = self.versions.iter().enumerate().collect();
            all.sort_by(|a, b| a.1.valid_from.cmp(&b.1.valid_from).then(b.0.cmp(&a.0)));
            return all.into_iter().map(|(_, v)| v).collect();
        }
        vs.sort_by(|a, b| b.1.valid_from.cmp(&a.1.valid_from).then(b.0.cmp(&a.0)));
        vs.into_iter().map(|(_, v)| v).collect()
    }

    /// The product dispensed for an item on a date (the written drug, or the pharmacy's choice).
    ///
    /// - no choice: the written product; for a 一般名 line, its highest-priced generic (the
    ///   [`Resolved::note`] says so; pass `--dispense N=CODE` for the exact product);
    /// - `Brand`: the written brand, or for a 一般名 line the long-listed brand of that 一般名
    ///   (when several brands differ in price: `None`, never a guess);
    /// - `Generic`: the highest-priced generic of the same form and strength;
    /// - `Code(c)`: that product.
    ///
    /// Unmatched names give `None` (the checks report `unknown-drug`).
    pub fn resolve(
        &self,
        item: &Item,
        date: NaiveDate,
        dispense: Option<&Dispense>,
    ) -> Option<Product> {
        self.resolve_detail(item, date, dispense).map(|r| r.product)
    }

    /// [`Master::resolve`] with how the product was found.
    pub fn resolve_detail(
        &self,
        item: &Item,
        date: NaiveDate,
        dispense: Option<&Dispense>,
    ) -> Option<Resolved> {
        let vs = self.in_force(date);
        if let Some(Dispense::Code(c)) = dispense {
            return self.product(&vs, c.trim(), date);
        }
        match identify(&vs, item)? {
            Ident::Product(code) => match dispense {
                Some(Dispense::Generic) => {
                    let g = group_of(&code)?.to_string();
                    self.highest_generic(&vs, &[g], date)
                }
                _ => self.product(&vs, &code, date),
            },
            Ident::General(codes) => {
                let groups: Vec<String> = codes
                    .iter()
                    .filter_map(|c| group_of(c).map(str::to_string))
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                match dispense {
                    Some(Dispense::Brand) => self.brand_of(&vs, &groups, date),
                    _ => self.highest_generic(&vs, &groups, date).or_else(|| {
                        // No generic known: a 一般名 with a single product is that product.
                        let products: Vec<Resolved> = codes
                            .iter()
                            .filter_map(|c| self.product(&vs, c, date))
                            .collect();
                        same_priced(products)
                    }),
                }
            }
        }
    }

    /// Looks a product up by code or name (also a 一般名, giving its brand) on a date.
    pub fn find(&self, query: &str, date: NaiveDate) -> Option<Product> {
        self.find_detail(query, date).map(|r| r.product)
    }

    /// [`Master::find`] with how the product was found.
    pub fn find_detail(&self, query: &str, date: NaiveDate) -> Option<Resolved> {
        let q = query.trim();
        let vs = self.in_force(date);
        if let Some(p) = self.product(&vs, q, date) {
            return Some(p);
        }
        let item = Item {
            name: q.to_string(),
            ..Item::default()
        };
        match identify(&vs, &item)? {
            Ident::Product(code) => self.product(&vs, &code, date),
            Ident::General(_) => self
                .resolve_detail(&item, date, Some(&Dispense::Brand))
                .or_else(|| self.resolve_detail(&item, date, None)),
        }
    }

    /// Merges what the versions in force say about one code.
    fn product(&self, vs: &[&Version], code: &str, date: NaiveDate) -> Option<Resolved> {
        let recs: Vec<(&Version, &Record)> = vs
            .iter()
            .filter_map(|v| v.by_code(code).map(|r| (*v, r)))
            .collect();
        let (price_v, price_r) = recs.iter().find(|(_, r)| r.price.is_some()).copied()?;
        let mut price = price_r.price?;
        let name = recs
            .iter()
            .find_map(|(_, r)| r.name.clone())
            .unwrap_or_else(|| code.to_string());
        let unit = recs
            .iter()
            .find_map(|(_, r)| r.unit.clone())
            .unwrap_or_default();
        let general_name = recs.iter().find_map(|(_, r)| r.general_name.clone());
        let canonical = price_r.code.clone();

        // Target facts: the newest version that speaks about this product's target status;
        // a target list in force that does not list it makes it a non-target.
        let mut target = false;
        let mut g = None;
        let mut published: Option<(Decimal, Decimal, NaiveDate)> = None;
        for v in vs {
            match v.by_code(code) {
                Some(r) if r.target.is_some() => {
                    target = r.target == Some(true);
                    g = r.generic_max;
                    if target {
                        if let Some(p) = r.price {
                            price = p;
                        }
                        if let (Some(a), Some(b)) = (r.a, r.b) {
                            published = Some((a, b, v.valid_from));
                        }
                    }
                    break;
                }
                None if v.kind.complete_targets() => break,
                _ => {}
            }
        }
        let per_ten = fold_unit(&unit).starts_with("10");
        let (mut a, mut b, mut was_published) = (None, None, None);
        if target && let Some(rule) = rule_on(date) {
            match published {
                Some((pa, pb, from)) if rule_on(from).map(|r| r.id) == Some(rule.id) => {
                    a = Some(pa);
                    b = Some(pb);
                    was_published = Some(true);
                }
                _ => {
                    if let Some(gv) = g.filter(|gv| *gv < price) {
                        let (ca, cb) = rule.split(price, gv, per_ten);
                        a = Some(ca);
                        b = Some(cb);
                        was_published = Some(false);
                    }
                }
            }
        }
        Some(Resolved {
            product: Product {
                code: canonical,
                name,
                price,
                unit,
                generic: price_r.generic,
                target,
                generic_max_price: g,
                a,
                b,
            },
            published: was_published,
            general_name,
            source: format!("{} ({})", price_v.label, price_v.valid_from),
            note: None,
        })
    }

    /// The highest-priced generic among the groups (newest version that has one).
    fn highest_generic(
        &self,
        vs: &[&Version],
        groups: &[String],
        date: NaiveDate,
    ) -> Option<Resolved> {
        for v in vs {
            let best = groups
                .iter()
                .filter_map(|g| v.groups.get(g))
                .flatten()
                .map(|&i| &v.records[i])
                .filter(|r| r.generic && r.price.is_some())
                .max_by(|x, y| x.price.cmp(&y.price).then(y.code.cmp(&x.code)));
            if let Some(r) = best {
                let mut p = self.product(vs, &r.code, date)?;
                p.note = Some("後発品（同一剤形・規格の最高価格）で計算: 実際の製品は --dispense N=CODE で指定".into());
                return Some(p);
            }
        }
        None
    }

    /// The long-listed brand of a 一般名 (the groups' non-generic products with a generic).
    fn brand_of(&self, vs: &[&Version], groups: &[String], date: NaiveDate) -> Option<Resolved> {
        let mut codes: BTreeSet<String> = BTreeSet::new();
        for v in vs {
            for r in groups
                .iter()
                .filter_map(|g| v.groups.get(g))
                .flatten()
                .map(|&i| &v.records[i])
            {
                if !r.generic {
                    codes.insert(r.code.clone());
                }
            }
        }
        let products: Vec<Resolved> = codes
            .iter()
            .filter_map(|c| self.product(vs, c, date))
            .collect();
        let targets: Vec<Resolved> = products
            .iter()
            .filter(|p| p.product.target)
            .cloned()
            .collect();
        let mut chosen = same_priced(if targets.is_empty() {
            products
        } else {
            targets
        })?;
        chosen.note = Some("一般名の長期収載品（先発品）".into());
        Some(chosen)
    }
}

/// One of several products when they share price and [a] (the fee is the same whichever is
/// meant); `None` when they differ.
fn same_priced(mut products: Vec<Resolved>) -> Option<Resolved> {
    let first = products.first()?.product.clone();
    if products
        .iter()
        .all(|r| r.product.price == first.price && r.product.a == first.a && r.product.b == first.b)
    {
        products.truncate(1);
        products.pop()
    } else {
        None
    }
}

fn fold_unit(u: &str) -> String {
    crate::normalize::fold(u).to_ascii_lowercase()
}

/// Matches a line to a product or a 一般名 in the versions in force.
fn identify(vs: &[&Version], item: &Item) -> Option<Ident> {
    if let Some(c) = &item.code {
        let code = c.code.trim();
        if c.kind == "general_name" {
            let codes: Vec<String> = vs
                .iter()
                .filter_map(|v| v.by_general_code.get(code).map(|ix| (v, ix)))
                .flat_map(|(v, ix)| ix.iter().map(|&i| v.records[i].code.clone()))
                .collect();
            if !codes.is_empty() {
                return Some(Ident::General(codes));
            }
            // A 一般名コード shares its first 9 characters (ingredient, form, strength) with
            // the products it stands for (2171022F4ZZZ → 2171022F4…).
            if let Some(g) = group_of(code) {
                let codes: Vec<String> = vs
                    .iter()
                    .filter_map(|v| v.groups.get(g).map(|ix| (v, ix)))
                    .flat_map(|(v, ix)| ix.iter().map(|&i| v.records[i].code.clone()))
                    .collect();
                if !codes.is_empty() {
                    return Some(Ident::General(codes));
                }
            }
        } else if let Some(r) = vs.iter().find_map(|v| v.by_code(code)) {
            return Some(Ident::Product(r.code.clone()));
        }
    }
    let key = name_key(&item.name);
    if key.is_empty() {
        return None;
    }
    let by_name = || {
        vs.iter().find_map(|v| {
            v.by_name
                .get(&key)
                .map(|&i| Ident::Product(v.records[i].code.clone()))
        })
    };
    let by_general = || {
        vs.iter().find_map(|v| {
            v.by_general
                .get(&key)
                .map(|ix| Ident::General(ix.iter().map(|&i| v.records[i].code.clone()).collect()))
        })
    };
    if item.general_name {
        by_general().or_else(by_name)
    } else {
        by_name().or_else(by_general)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DrugCode;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn general_code_reaches_its_group() {
        let m = Master::sample();
        let item = Item {
            name: "何か別の書き方".into(),
            general_name: true,
            code: Some(DrugCode {
                kind: "general_name".into(),
                code: "2171022F4ZZZ".into(),
            }),
            ..Item::default()
        };
        let g = m.resolve(&item, d(2024, 10, 7), None).unwrap();
        assert_eq!(g.code, "2171022F4010");
        let b = m
            .resolve(&item, d(2024, 10, 7), Some(&Dispense::Brand))
            .unwrap();
        assert_eq!(b.code, "2171022F4028");
    }

    #[test]
    fn codes_and_choices() {
        let m = Master::sample();
        let on = d(2024, 10, 7);
        let item = Item {
            name: "ジスロマック錠250mg".into(),
            ..Item::default()
        };
        let g = m.resolve(&item, on, Some(&Dispense::Generic)).unwrap();
        assert_eq!(g.code, "6149004F1141");
        assert!(g.generic && !g.target);
        let c = m
            .resolve(&item, on, Some(&Dispense::Code("1190012F2022".into())))
            .unwrap();
        assert_eq!(c.name, "アリセプト錠5mg");
        assert!(
            m.resolve(&item, on, Some(&Dispense::Code("999".into())))
                .is_none()
        );
        // Spelling variants of the same name.
        for n in [
            "ジスロマック錠２５０ｍｇ",
            "ジスロマック錠 250 mg",
            "ｼﾞｽﾛﾏｯｸ錠250MG",
        ] {
            let it = Item {
                name: n.into(),
                ..Item::default()
            };
            assert_eq!(
                m.resolve(&it, on, None).map(|p| p.code),
                Some("6149004F1028".into()),
                "{n}"
            );
        }
    }

    #[test]
    fn before_every_master_uses_the_oldest() {
        let m = Master::sample();
        let item = Item {
            name: "ジスロマック錠250mg".into(),
            ..Item::default()
        };
        let p = m.resolve(&item, d(2020, 1, 1), None).unwrap();
        assert_eq!(p.price.to_string(), "158.9");
        // No rule then: no [a]/[b].
        assert!(p.a.is_none());
    }
}

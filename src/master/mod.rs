//! Drug price masters: the embedded sample, official MHLW/SSK files, the local cache, and
//! matching prescription names to products. (Stub until the fee/master work lands.)

use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::choices::Dispense;
use crate::model::Item;

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
    #[schemars(with = "Option<String>")]
    pub a: Option<Decimal>,
    /// [b]: the price used for the insured part.
    #[schemars(with = "Option<String>")]
    pub b: Option<Decimal>,
}

/// Why a master could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum MasterError {
    #[error("{path}: {message}")]
    Load { path: String, message: String },
}

/// All masters known to this run, each with its validity date.
#[derive(Debug, Clone, Default)]
pub struct Master {}

impl Master {
    /// The embedded sample master (seed and FEES.md drugs).
    pub fn sample() -> Master {
        Master {}
    }

    /// The sample, the local cache (when `use_cache`), and the given files.
    pub fn open(paths: &[std::path::PathBuf], use_cache: bool) -> Result<Master, MasterError> {
        let _ = (paths, use_cache);
        Ok(Master::sample())
    }

    /// The product dispensed for an item on a date (the written drug, or the pharmacy's choice).
    pub fn resolve(
        &self,
        item: &Item,
        date: NaiveDate,
        dispense: Option<&Dispense>,
    ) -> Option<Product> {
        let _ = (item, date, dispense);
        None
    }
}

//! The selective-care fee engine (FEES.md). (Stub until the fee work lands.)

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use crate::choices::{Dispense, Exempt};
use crate::master::Product;
use crate::model::Prescription;

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

/// The `fees` object of the output.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, JsonSchema)]
pub struct Fees {}

/// Fees plus the per-item decisions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FeeOutcome {
    pub fees: Fees,
    pub decisions: Vec<SelectiveCare>,
}

/// Computes the charge for a prescription given the product dispensed for each item.
pub fn compute(p: &Prescription, products: &[Option<Product>], opts: &FeeOptions) -> FeeOutcome {
    let _ = (products, opts);
    FeeOutcome {
        fees: Fees {},
        decisions: vec![SelectiveCare::UnknownDrug; p.items.len()],
    }
}

//! The rule engine: CHECKS.md as data. (Stub until the checks work lands.)

use chrono::NaiveDate;

use crate::fees::SelectiveCare;
use crate::master::{Master, Product};
use crate::model::{Finding, Prescription};

/// What the checks may look at besides the prescription.
pub struct Context<'a> {
    /// The dispensing date.
    pub date: NaiveDate,
    /// The product resolved for each item (same order as `items`).
    pub products: &'a [Option<Product>],
    /// The fee engine's decision for each item.
    pub decisions: &'a [SelectiveCare],
    pub master: &'a Master,
}

/// Runs every rule; reader notes are turned into findings with the catalog's metadata.
pub fn run(p: &Prescription, ctx: &Context<'_>) -> Vec<Finding> {
    let _ = ctx;
    p.notes
        .iter()
        .map(|n| Finding {
            rule: n.rule.clone(),
            severity: crate::model::Severity::Warning,
            action: crate::model::Action::Review,
            message: n.detail.clone(),
            item: n.item,
            line: n.line,
        })
        .collect()
}

//! The decision table of FEES.md: does the charge apply to an item? Ordered rows, first
//! match wins — kept as data so a reviewer reads it next to the spec's table.

use crate::choices::{Dispense, Exempt};
use crate::master::Product;
use crate::model::{Category, Item};

use super::SelectiveCare;

/// What one row of the table looks at.
pub(crate) struct Facts<'a> {
    pub item: &'a Item,
    pub product: Option<&'a Product>,
    pub dispense: Option<&'a Dispense>,
    pub exempt: Option<Exempt>,
    /// 生活保護 (公費 法別 12).
    pub welfare: bool,
    /// No rule in force on the dispensing date, or issued before the first rule's start.
    pub before_rule: bool,
}

type Row = (&'static str, fn(&Facts) -> bool, SelectiveCare);

/// The table, in order.
pub(crate) const TABLE: &[Row] = &[
    (
        "no product/price known for the line",
        |f| f.product.is_none(),
        SelectiveCare::UnknownDrug,
    ),
    (
        "issued (or dispensed) before 2024-10-01",
        |f| f.before_rule,
        SelectiveCare::BeforeRule,
    ),
    (
        "medical materials are not drugs",
        |f| f.item.category == Category::Material,
        SelectiveCare::NotTarget,
    ),
    (
        "not a long-listed brand on the target list",
        |f| f.product.is_none_or(|p| !p.target || p.generic),
        SelectiveCare::NotTarget,
    ),
    (
        "both 変更不可 and 患者希望 marked: inquiry, not computed",
        |f| f.item.flags.no_substitution && f.item.flags.patient_wish,
        SelectiveCare::Inquiry,
    ),
    (
        "変更不可 (医療上必要): insured at P",
        |f| f.item.flags.no_substitution,
        SelectiveCare::ExemptMedical,
    ),
    (
        "--exempt N=medical",
        |f| f.exempt == Some(Exempt::Medical),
        SelectiveCare::ExemptMedical,
    ),
    (
        "--exempt N=stock",
        |f| f.exempt == Some(Exempt::Stock),
        SelectiveCare::ExemptStock,
    ),
    (
        "生活保護 (公費 法別 12)",
        |f| f.welfare,
        SelectiveCare::Welfare,
    ),
    (
        "患者希望 marked",
        |f| f.item.flags.patient_wish,
        SelectiveCare::Applies,
    ),
    (
        "the patient chose the brand at the pharmacy (--dispense N=brand|CODE)",
        |f| matches!(f.dispense, Some(Dispense::Brand) | Some(Dispense::Code(_))),
        SelectiveCare::Applies,
    ),
    (
        "brand-name target, no mark: the pharmacist judges",
        |_| true,
        SelectiveCare::Judge,
    ),
];

/// Runs the table.
pub(crate) fn decide(f: &Facts) -> SelectiveCare {
    TABLE
        .iter()
        .find(|(_, test, _)| test(f))
        .map_or(SelectiveCare::Judge, |(_, _, out)| *out)
}

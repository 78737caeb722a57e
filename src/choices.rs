//! What the pharmacy decides at the counter: the product dispensed for an item and
//! exemptions from the selective-care charge. Given on the command line, recorded in the JSON.

use schemars::JsonSchema;
use serde::Serialize;

/// `--dispense N=brand|generic|CODE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Dispense {
    /// The long-listed brand (for a 一般名 item: the brand of that 一般名).
    Brand,
    /// A generic.
    Generic,
    /// A specific product by code (YJ/薬価基準 12 characters or レセプト電算 9 digits).
    Code(String),
}

/// `--exempt N=stock|medical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Exempt {
    /// The pharmacy cannot supply the generic (its own stock).
    Stock,
    /// The pharmacist judges a medical need.
    Medical,
}

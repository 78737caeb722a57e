//! The rule periods of the selective-care charge as a data table (FEES.md).
//!
//! The next revision adds one row to [`RULES`]; no other code changes.
//!
//! ```
//! use chrono::NaiveDate;
//! use shohosen::fees::rules::rule_on;
//! let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
//! assert!(rule_on(d(2024, 9, 30)).is_none());
//! assert_eq!(rule_on(d(2024, 10, 1)).unwrap().id, "2024-10");
//! assert_eq!(rule_on(d(2026, 6, 1)).unwrap().id, "2026-06");
//! ```

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

/// One period of the charge: from its first day on, until the next row starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RulePeriod {
    /// The id written into `fees.rule`.
    pub id: &'static str,
    /// First day in force (year, month, day).
    pub from: (i32, u32, u32),
    /// Fraction of the price gap (P − G) charged: numerator / denominator.
    pub fraction: (u32, u32),
    /// Consumption tax on the charge, in percent.
    pub tax_percent: u32,
    /// Where the row comes from.
    pub source: &'static str,
}

/// Every period, oldest first. Before the first row no charge exists.
pub const RULES: &[RulePeriod] = &[
    RulePeriod {
        id: "2024-10",
        from: (2024, 10, 1),
        fraction: (1, 4),
        tax_percent: 10,
        source: "seed 002; MHLW target lists 「…価格差の４分の１」",
    },
    RulePeriod {
        id: "2026-06",
        from: (2026, 6, 1),
        fraction: (1, 2),
        tax_percent: 10,
        source: "MHLW target list in force from 2026-06-01 「…価格差の２分の１」",
    },
];

impl RulePeriod {
    /// The first day in force.
    pub fn start(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.from.0, self.from.1, self.from.2).unwrap_or(NaiveDate::MAX)
    }

    /// The fraction as a decimal (0.25, 0.5).
    pub fn fraction_decimal(&self) -> Decimal {
        Decimal::from(self.fraction.0) / Decimal::from(self.fraction.1)
    }

    /// The fraction as text (`"1/4"`).
    pub fn fraction_text(&self) -> String {
        format!("{}/{}", self.fraction.0, self.fraction.1)
    }

    /// The tax rate as a decimal (0.10).
    pub fn tax_rate(&self) -> Decimal {
        Decimal::new(i64::from(self.tax_percent), 2)
    }

    /// \[a\] and \[b\] for a long-listed brand priced `p` with highest generic `g` (FEES.md):
    /// \[a\] = (P − G) × fraction rounded half-up to 2 decimals (1 decimal for products priced
    /// per 「10」 units), \[b\] = P − \[a\].
    ///
    /// ```
    /// use rust_decimal_macros::dec;
    /// use shohosen::fees::rules::RULES;
    /// assert_eq!(RULES[0].split(dec!(158.9), dec!(90.5), false), (dec!(17.10), dec!(141.80)));
    /// assert_eq!(RULES[0].split(dec!(96.4), dec!(54.9), false).0.to_string(), "10.38");
    /// ```
    pub fn split(&self, p: Decimal, g: Decimal, per_ten: bool) -> (Decimal, Decimal) {
        let dp = if per_ten { 1 } else { 2 };
        let mut a = ((p - g) * self.fraction_decimal())
            .round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
        a.rescale(dp);
        (a, p - a)
    }
}

/// The period in force on `date` (the dispensing date), or `None` before the first row.
pub fn rule_on(date: NaiveDate) -> Option<&'static RulePeriod> {
    RULES.iter().rev().find(|r| r.start() <= date)
}

/// The day the charge began (the first row): prescriptions issued before it never carry it.
pub fn charge_start() -> NaiveDate {
    RULES
        .first()
        .map(RulePeriod::start)
        .unwrap_or(NaiveDate::MAX)
}

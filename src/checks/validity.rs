//! How long a prescription may be used (処方箋の使用期間).
//!
//! Unless a period is written, a prescription is valid for 4 days counting the issue day,
//! holidays included (療担規則20条3号; the form's note 「交付の日を含めて4日以内」): valid through
//! issue date + 3 days. A written 使用期間 replaces that limit.
//!
//! ```
//! use chrono::NaiveDate;
//! use shohosen::checks::validity::valid_until;
//! let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
//! assert_eq!(valid_until(Some(d(2024, 10, 1)), None), Some(d(2024, 10, 4)));
//! assert_eq!(valid_until(Some(d(2024, 10, 1)), Some(d(2024, 10, 20))), Some(d(2024, 10, 20)));
//! ```

use chrono::{Days, NaiveDate};

/// Days after the issue day a prescription stays valid when no period is written.
pub const DEFAULT_EXTRA_DAYS: u64 = 3;

/// The first day of the long-listed-brand selective care (seed 002).
pub fn selective_care_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 10, 1).unwrap_or_default()
}

/// The last day the prescription may be dispensed.
pub fn valid_until(issued: Option<NaiveDate>, written: Option<NaiveDate>) -> Option<NaiveDate> {
    written.or_else(|| issued.and_then(|d| d.checked_add_days(Days::new(DEFAULT_EXTRA_DAYS))))
}

/// The prescription has expired on `date`.
pub fn is_expired(issued: Option<NaiveDate>, written: Option<NaiveDate>, date: NaiveDate) -> bool {
    valid_until(issued, written).is_some_and(|u| date > u)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn four_days_counting_the_issue_day() {
        let issued = Some(d(2024, 10, 1));
        assert!(!is_expired(issued, None, d(2024, 10, 1)));
        assert!(!is_expired(issued, None, d(2024, 10, 4)));
        assert!(is_expired(issued, None, d(2024, 10, 5)));
        // Across a month end and a year end; holidays are not skipped.
        assert!(!is_expired(Some(d(2024, 12, 30)), None, d(2025, 1, 2)));
        assert!(is_expired(Some(d(2024, 12, 30)), None, d(2025, 1, 3)));
    }

    #[test]
    fn written_period_replaces_the_default() {
        let issued = Some(d(2024, 10, 1));
        assert!(!is_expired(issued, Some(d(2024, 10, 14)), d(2024, 10, 14)));
        assert!(is_expired(issued, Some(d(2024, 10, 14)), d(2024, 10, 15)));
        assert!(is_expired(None, Some(d(2024, 10, 14)), d(2024, 10, 15)));
        assert!(!is_expired(None, None, d(2030, 1, 1)));
    }
}

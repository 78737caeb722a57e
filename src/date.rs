//! Japanese and ISO dates: eras, full- and half-width digits, and the JAHIS forms.
//!
//! Every reader turns a written date into a [`chrono::NaiveDate`] through this module, so the
//! era boundaries live in one table.

use chrono::NaiveDate;

/// An era of the Japanese calendar with its first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Era {
    pub name: &'static str,
    /// Roman initial used in `R6.10.1` style dates.
    pub initial: char,
    /// JAHIS era digit (1 明治 … 5 令和).
    pub jahis: u8,
    /// (year, month, day) of the first day.
    pub start: (i32, u32, u32),
}

/// The eras a prescription can carry, oldest first. A new era is one more row.
pub const ERAS: &[Era] = &[
    Era {
        name: "明治",
        initial: 'M',
        jahis: 1,
        start: (1868, 1, 25),
    },
    Era {
        name: "大正",
        initial: 'T',
        jahis: 2,
        start: (1912, 7, 30),
    },
    Era {
        name: "昭和",
        initial: 'S',
        jahis: 3,
        start: (1926, 12, 25),
    },
    Era {
        name: "平成",
        initial: 'H',
        jahis: 4,
        start: (1989, 1, 8),
    },
    Era {
        name: "令和",
        initial: 'R',
        jahis: 5,
        start: (2019, 5, 1),
    },
];

/// Why a written date could not be turned into a day.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("unknown era {0:?}")]
    UnknownEra(String),
    #[error("the day {0} does not exist")]
    NoSuchDay(String),
    #[error("{0} is outside the era {1} (which starts {2})")]
    OutsideEra(String, &'static str, String),
}

/// Looks an era up by its name (`令和`), its one-kanji short form (`令`), or its initial (`R`).
///
/// ```
/// use shohosen::date::era_by_name;
/// assert_eq!(era_by_name("令和").unwrap().jahis, 5);
/// assert_eq!(era_by_name("昭").unwrap().jahis, 3);
/// assert_eq!(era_by_name("h").unwrap().name, "平成");
/// assert!(era_by_name("光文").is_none());
/// ```
pub fn era_by_name(s: &str) -> Option<&'static Era> {
    let s = s.trim();
    // The one character of a one-character name, compared as a char (no string per era).
    let mut cs = s.chars();
    let one = match (cs.next(), cs.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    };
    ERAS.iter().find(|e| {
        e.name == s
            || one.is_some_and(|c| e.name.starts_with(c))
            || one.is_some_and(|c| c.to_ascii_uppercase() == e.initial)
    })
}

/// Looks an era up by its JAHIS digit.
pub fn era_by_jahis(d: u8) -> Option<&'static Era> {
    ERAS.iter().find(|e| e.jahis == d)
}

/// A Gregorian date, checked for existence.
///
/// ```
/// use shohosen::date::ymd;
/// assert!(ymd(2024, 2, 29).is_ok());
/// assert!(ymd(2023, 2, 29).is_err());
/// ```
pub fn ymd(y: i32, m: u32, d: u32) -> Result<NaiveDate, DateError> {
    NaiveDate::from_ymd_opt(y, m, d)
        .ok_or_else(|| DateError::NoSuchDay(format!("{y:04}-{m:02}-{d:02}")))
}

/// An era date (`令和6年10月1日` = era 令和, year 6), checked for existence and for lying
/// inside the era (平成31年4月30日 is fine, 平成31年5月1日 is not; 元年 is year 1).
///
/// ```
/// use shohosen::date::{era_by_name, era_date};
/// let r = era_by_name("令和").unwrap();
/// assert_eq!(era_date(r, 6, 10, 1).unwrap().to_string(), "2024-10-01");
/// let h = era_by_name("平成").unwrap();
/// assert!(era_date(h, 31, 5, 1).is_err());
/// assert!(era_date(r, 1, 4, 30).is_err());
/// ```
pub fn era_date(era: &Era, year: u32, m: u32, d: u32) -> Result<NaiveDate, DateError> {
    let gy = era.start.0 + year as i32 - 1;
    let date = ymd(gy, m, d)?;
    let start = ymd(era.start.0, era.start.1, era.start.2)?;
    let next = ERAS
        .iter()
        .find(|e| e.start > era.start)
        .and_then(|e| NaiveDate::from_ymd_opt(e.start.0, e.start.1, e.start.2));
    if date < start || next.is_some_and(|n| date >= n) || year == 0 {
        // The label is built only for the error: formatting it on every valid date was
        // the costliest step of reading an era birth date.
        let label = format!("{}{}年{}月{}日", era.name, year, m, d);
        return Err(DateError::OutsideEra(label, era.name, start.to_string()));
    }
    Ok(date)
}

/// A JAHIS date field: `YYYYMMDD`, or era form `GYYMMDD` (G: 1 明治 … 5 令和).
///
/// ```
/// use shohosen::date::jahis_date;
/// assert_eq!(jahis_date("20260130").unwrap().to_string(), "2026-01-30");
/// assert_eq!(jahis_date("4230110").unwrap().to_string(), "2011-01-10");
/// assert!(jahis_date("20260231").is_err());
/// ```
pub fn jahis_date(s: &str) -> Result<NaiveDate, DateError> {
    let s = s.trim();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> { s.get(r)?.parse().ok() };
    let bad = || DateError::NoSuchDay(s.to_string());
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    match s.len() {
        8 => ymd(
            digits(0..4).ok_or_else(bad)? as i32,
            digits(4..6).ok_or_else(bad)?,
            digits(6..8).ok_or_else(bad)?,
        ),
        7 => {
            let g = digits(0..1).ok_or_else(bad)? as u8;
            let era = era_by_jahis(g).ok_or_else(|| DateError::UnknownEra(s[0..1].to_string()))?;
            era_date(
                era,
                digits(1..3).ok_or_else(bad)?,
                digits(3..5).ok_or_else(bad)?,
                digits(5..7).ok_or_else(bad)?,
            )
        }
        _ => Err(bad()),
    }
}

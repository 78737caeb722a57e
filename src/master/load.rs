//! Loading a master file given with `--master` or to `master import`.
//!
//! The format is recognised from the extension and the content:
//! - `.json` — the target-list JSON shape (`as_of`, `items`: code → `h`/`p`/`g`);
//! - `.xlsx`/`.xls`/`.xlsm` — a MHLW target list (a 「…価格差の…分の１」 column, sheet
//!   「厚労省マスタ」 preferred) or a MHLW price list (薬価基準収載医薬品コード, 品名, 薬価);
//! - `.csv`/`.txt` (UTF-8 or Shift_JIS) — the project's CSV (see [`super::custom`]), a target
//!   list, a price list, or an SSK y master (with or without header).
//!
//! Validity date (first day in force), first found wins: a `@YYYY-MM-DD` suffix on the path
//! (`--master y_latest.csv@2025-10-14`), the file's own `as_of` (JSON) or `valid_from` column
//! (project CSV), a date in the file name (`2024-11-20`, `20241120`). Without any, the file is
//! refused: a master of unknown date could be applied to the wrong period.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::record::{Record, SourceKind, Version};
use super::{MasterError, csv, custom, sentei, ssk, xlsx, yakka};

/// Splits `PATH@YYYY-MM-DD` into the path and the date (only when the suffix is a date).
///
/// ```
/// use std::path::Path;
/// use shohosen::master::load::split_date_suffix;
/// let (p, d) = split_date_suffix(Path::new("y.csv@2025-10-14"));
/// assert_eq!(p, Path::new("y.csv"));
/// assert_eq!(d.unwrap().to_string(), "2025-10-14");
/// assert!(split_date_suffix(Path::new("a@b.csv")).1.is_none());
/// ```
pub fn split_date_suffix(path: &Path) -> (PathBuf, Option<NaiveDate>) {
    let s = path.to_string_lossy();
    if let Some((head, tail)) = s.rsplit_once('@')
        && let Ok(d) = NaiveDate::parse_from_str(tail, "%Y-%m-%d")
    {
        return (PathBuf::from(head), Some(d));
    }
    (path.to_path_buf(), None)
}

static NAME_DATE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(20\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])").ok());

/// A date written in a file name (`yakka_2024-11-20.csv`, `y_20251014.csv`).
pub fn date_in_name(path: &Path) -> Option<NaiveDate> {
    let name = path.file_name()?.to_string_lossy();
    let re = NAME_DATE.as_ref()?;
    let c = re.captures_iter(&name).last()?;
    NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
}

fn need_date(given: Option<NaiveDate>, path: &Path) -> Result<NaiveDate, MasterError> {
    given.ok_or_else(|| {
        MasterError::load(
            path.display(),
            "cannot tell the date this master is in force from: add it as PATH@YYYY-MM-DD",
        )
    })
}

fn version(path: &Path, kind: SourceKind, date: NaiveDate, recs: Vec<Record>) -> Vec<Version> {
    vec![Version::new(path.display().to_string(), kind, date, recs)]
}

/// Loads every version a file holds (see the module docs for formats and dates).
pub fn load_path(arg: &Path) -> Result<Vec<Version>, MasterError> {
    let (path, suffix_date) = split_date_suffix(arg);
    let date = suffix_date.or_else(|| date_in_name(&path));
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let label = path.display().to_string();
    match ext.as_str() {
        "json" => {
            let text = read_text(&path)?;
            let v: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| MasterError::load(&label, format!("not JSON: {e}")))?;
            let d = need_date(
                suffix_date.or_else(|| sentei::json_as_of(&v)).or(date),
                &path,
            )?;
            Ok(version(
                &path,
                SourceKind::TargetList,
                d,
                sentei::records_from_json(&v, &label)?,
            ))
        }
        "xlsx" | "xls" | "xlsm" | "xlsb" | "ods" => {
            let sheets = xlsx::read_sheets(&path)?;
            let d = need_date(date, &path)?;
            // A target list: the 「厚労省マスタ」 sheet, or any sheet with the gap column.
            let mut ordered: Vec<&xlsx::Sheet> = sheets
                .iter()
                .filter(|s| s.name.contains("厚労省マスタ"))
                .collect();
            ordered.extend(sheets.iter().filter(|s| !s.name.contains("厚労省マスタ")));
            let mut target_err = None;
            for s in &ordered {
                match sentei::records_from_rows(&s.rows, &label, d) {
                    Ok(recs) => return Ok(version(&path, SourceKind::TargetList, d, recs)),
                    Err(e) if e.to_string().contains("the gap column is") => target_err = Some(e),
                    Err(_) => {}
                }
            }
            if let Some(e) = target_err {
                return Err(e);
            }
            // A price list: every sheet with a price-list header (one per category).
            let mut recs = Vec::new();
            for s in &sheets {
                if let Ok(mut r) = yakka::records(&s.rows, &label) {
                    recs.append(&mut r);
                }
            }
            if recs.is_empty() {
                return Err(MasterError::load(
                    &label,
                    "no sheet holds a target list or a price list",
                ));
            }
            // Targets were derived per sheet: a 9-character group never spans categories.
            Ok(version(&path, SourceKind::PriceList, d, recs))
        }
        _ => {
            let bytes = std::fs::read(&path).map_err(|e| MasterError::Io {
                path: label.clone(),
                source: e,
            })?;
            let text = ssk::decode(&bytes);
            load_csv_text(&text, &path, suffix_date, date)
        }
    }
}

fn read_text(path: &Path) -> Result<String, MasterError> {
    let bytes = std::fs::read(path).map_err(|e| MasterError::Io {
        path: path.display().to_string(),
        source: e,
    })?;
    Ok(ssk::decode(&bytes))
}

/// Loads CSV text of any supported shape.
pub(crate) fn load_csv_text(
    text: &str,
    path: &Path,
    suffix_date: Option<NaiveDate>,
    date: Option<NaiveDate>,
) -> Result<Vec<Version>, MasterError> {
    let label = path.display().to_string();
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if first.trim_start().starts_with('#')
        || first.contains("valid_from")
        || csv::fields(first).iter().any(|f| f == "code")
    {
        return custom::parse(text, &label, date);
    }
    let rows = csv::records(text);
    if ssk::looks_like(&rows) {
        let d = need_date(date, path)?;
        return Ok(version(
            path,
            SourceKind::SskY,
            d,
            ssk::records(&rows, &label)?,
        ));
    }
    let d = need_date(suffix_date.or(date), path)?;
    match sentei::records_from_rows(&rows, &label, d) {
        Ok(recs) => return Ok(version(path, SourceKind::TargetList, d, recs)),
        Err(e) if e.to_string().contains("the gap column is") => return Err(e),
        Err(_) => {}
    }
    match yakka::records(&rows, &label) {
        Ok(recs) => Ok(version(path, SourceKind::PriceList, d, recs)),
        Err(_) => Err(MasterError::load(
            &label,
            "unrecognised master format (expected a MHLW price list or target list, an SSK y master, or the shohosen CSV)",
        )),
    }
}

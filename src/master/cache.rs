//! The local cache built by `master import`, and the `master info` / `lookup` texts.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::record::Version;
use super::{Master, MasterError};

/// What `master import` did.
#[derive(Debug, Clone)]
pub struct ImportReport {
    pub cache_dir: PathBuf,
    pub files: Vec<PathBuf>,
}

/// Builds the cache.
pub fn import(files: &[PathBuf]) -> Result<ImportReport, MasterError> {
    let _ = files;
    Err(MasterError::load("cache", "not yet"))
}

/// Loads the cache.
pub fn load_cache() -> Result<Vec<Version>, MasterError> {
    Ok(Vec::new())
}

/// `master info`.
pub fn info(m: &Master) -> String {
    let _ = m;
    String::new()
}

/// `master lookup`.
pub fn lookup(m: &Master, query: &str, date: NaiveDate) -> String {
    let _ = (m, query, date);
    String::new()
}

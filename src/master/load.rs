//! Loading a master file given on the command line or to `master import`.

use std::path::Path;

use super::MasterError;
use super::record::Version;

/// Loads every version a file holds.
pub fn load_path(path: &Path) -> Result<Vec<Version>, MasterError> {
    Err(MasterError::load(path.display(), "not supported yet"))
}

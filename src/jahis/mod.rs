//! The JAHIS 院外処方箋2次元シンボル record text. (Stub until the 2D-symbol work lands.)

use crate::error::{ErrorKind, ReadError};
use crate::model::Prescription;

/// Reads the content of one or more concatenated symbols (already decoded to text).
pub fn parse(text: &str) -> Result<Vec<Prescription>, ReadError> {
    let _ = text;
    Err(ReadError::new(
        ErrorKind::Unreadable,
        "2D-symbol reading is not implemented yet",
    ))
}

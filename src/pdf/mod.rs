//! PDF with a text layer → positioned lines. (Stub until the PDF work lands.)

use crate::error::{ErrorKind, ReadError};
use crate::sheet::Sheet;

/// Extracts one [`Sheet`] per prescription found in the PDF.
pub fn read(bytes: &[u8]) -> Result<Vec<Sheet>, ReadError> {
    let _ = bytes;
    Err(ReadError::new(
        ErrorKind::Unreadable,
        "PDF reading is not implemented yet",
    ))
}

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

/// Like [`read`], in a child process `exe __pdf-extract` with a time limit.
pub fn read_isolated(
    bytes: &[u8],
    exe: &std::path::Path,
    timeout: std::time::Duration,
) -> Result<Vec<Sheet>, ReadError> {
    let _ = (exe, timeout);
    read(bytes)
}

/// Entry point of the `__pdf-extract` child process; returns the exit code.
pub fn child_main() -> i32 {
    2
}

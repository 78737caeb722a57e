//! Errors that stop an input from being read at all.
//!
//! Everything softer (an unbindable mark, an unknown line) is a [`crate::model::ReadNote`]
//! and ends up as a finding; a [`ReadError`] means there is no prescription to show.

use schemars::JsonSchema;
use serde::Serialize;

/// The `error.kind` values of OUTPUT.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Bytes that are not text in a known encoding, a damaged file, garbage after extraction.
    Unreadable,
    /// An encrypted PDF.
    Encrypted,
    /// A PDF with no text layer (a scan).
    NoTextLayer,
    /// Readable, but not a prescription (e.g. a JAHISTC medicine-notebook symbol).
    NotAPrescription,
    /// Over a size, page or time limit.
    TooLarge,
    /// The file could not be opened or read.
    Io,
}

impl ErrorKind {
    /// The snake_case name used in JSON and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Unreadable => "unreadable",
            ErrorKind::Encrypted => "encrypted",
            ErrorKind::NoTextLayer => "no_text_layer",
            ErrorKind::NotAPrescription => "not_a_prescription",
            ErrorKind::TooLarge => "too_large",
            ErrorKind::Io => "io",
        }
    }
}

/// An input that cannot be read, with the reason in words a user can act on.
///
/// ```
/// use shohosen::error::{ReadError, ErrorKind};
/// let e = ReadError::new(ErrorKind::NotAPrescription, "no 処方 block and no drug line");
/// assert_eq!(e.to_string(), "not_a_prescription: no 処方 block and no drug line");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, JsonSchema)]
#[error("{}: {message}", kind.as_str())]
pub struct ReadError {
    pub kind: ErrorKind,
    pub message: String,
}

impl ReadError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        ReadError {
            kind,
            message: message.into(),
        }
    }
}

//! The input boundary: what kind of input a file is, and its text in UTF-8.
//!
//! Detection looks at the bytes, never at the file name: `%PDF-` is a PDF, a `JAHIS` header
//! is 2D-symbol content, anything else must decode as UTF-8 (BOM or not) or Shift_JIS/CP932.
//! Bytes that are neither, or that look binary, are refused here with the reason.

use crate::error::{ErrorKind, ReadError};

/// Text inputs larger than this are refused (`too_large`): a prescription is a page.
pub const MAX_TEXT_BYTES: usize = 5 * 1024 * 1024;
/// PDF inputs larger than this are refused before any parsing.
pub const MAX_PDF_BYTES: usize = 20 * 1024 * 1024;

/// What an input is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// Printed-form text (tab cells, aligned columns, plain lines, OCR output).
    Text,
    /// PDF with a text layer.
    Pdf,
    /// JAHIS 2D-symbol content.
    Jahis,
}

/// The character encoding a text input was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum TextEncoding {
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "shift_jis")]
    ShiftJis,
    #[serde(rename = "utf-16")]
    Utf16,
}

/// Decoded text with its encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: TextEncoding,
}

/// Guesses the kind of an input from its first bytes.
///
/// ```
/// use shohosen::input::{detect, InputKind};
/// assert_eq!(detect(b"%PDF-1.7\n..."), InputKind::Pdf);
/// assert_eq!(detect(b"\xEF\xBB\xBFJAHIS10\r\n1,1,..."), InputKind::Jahis);
/// assert_eq!(detect("処方箋\n".as_bytes()), InputKind::Text);
/// ```
pub fn detect(bytes: &[u8]) -> InputKind {
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return InputKind::Pdf;
    }
    let trimmed = strip_bom(head).trim_ascii_start();
    // JAHIS content is ASCII at its start in both encodings.
    if trimmed.starts_with(b"JAHIS") {
        return InputKind::Jahis;
    }
    InputKind::Text
}

fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b)
}

/// Decodes text input: UTF-8 (with or without BOM), UTF-16 with a BOM, else Shift_JIS
/// (CP932, the Windows superset Japanese systems write). CR LF becomes LF; a trailing
/// end-of-file byte 0x1A is dropped.
///
/// ```
/// use shohosen::input::{decode_text, TextEncoding};
/// let sjis = b"\x8f\x88\x95\xfb\r\n"; // 処方 in Shift_JIS
/// let d = decode_text(sjis).unwrap();
/// assert_eq!(d.text, "処方\n");
/// assert_eq!(d.encoding, TextEncoding::ShiftJis);
/// assert!(decode_text(b"\x00\x01\x02binary").is_err());
/// ```
pub fn decode_text(bytes: &[u8]) -> Result<Decoded, ReadError> {
    if bytes.len() > MAX_TEXT_BYTES {
        return Err(ReadError::new(
            ErrorKind::TooLarge,
            format!(
                "text input is {} bytes; the limit is {} bytes (5 MB)",
                bytes.len(),
                MAX_TEXT_BYTES
            ),
        ));
    }
    let (text, encoding) = if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (cow, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(ReadError::new(
                ErrorKind::Unreadable,
                format!(
                    "the file starts with a {} byte-order mark but is not valid {}",
                    enc.name(),
                    enc.name()
                ),
            ));
        }
        let kind = if enc == encoding_rs::UTF_8 {
            TextEncoding::Utf8
        } else {
            TextEncoding::Utf16
        };
        (cow.into_owned(), kind)
    } else if let Ok(s) = std::str::from_utf8(bytes) {
        (s.to_string(), TextEncoding::Utf8)
    } else {
        let (cow, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
        if had_errors {
            let at = std::str::from_utf8(bytes)
                .err()
                .map(|e| e.valid_up_to())
                .unwrap_or(0);
            return Err(ReadError::new(
                ErrorKind::Unreadable,
                format!(
                    "not text in UTF-8 or Shift_JIS (invalid UTF-8 at byte {at}, and invalid as Shift_JIS too; mixed encodings?)"
                ),
            ));
        }
        (cow.into_owned(), TextEncoding::ShiftJis)
    };
    check_not_binary(&text)?;
    let mut text = text.replace("\r\n", "\n").replace('\r', "\n");
    while text.ends_with('\u{1A}') {
        text.pop();
    }
    Ok(Decoded { text, encoding })
}

/// Refuses text with NUL bytes or mostly control characters: a binary file that happens to
/// decode (every byte sequence below 0x80 is valid UTF-8).
fn check_not_binary(text: &str) -> Result<(), ReadError> {
    if let Some(pos) = text.find('\0') {
        return Err(ReadError::new(
            ErrorKind::Unreadable,
            format!("binary data: a NUL byte at character {pos}"),
        ));
    }
    let total = text.chars().count();
    let control = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0C}' | '\u{1A}'))
        .count();
    if total > 0 && control * 20 > total {
        return Err(ReadError::new(
            ErrorKind::Unreadable,
            format!("binary data: {control} of {total} characters are control characters"),
        ));
    }
    if text.trim().is_empty() {
        return Err(ReadError::new(
            ErrorKind::NotAPrescription,
            "the input is empty",
        ));
    }
    Ok(())
}

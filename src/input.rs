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
/// Maximum lines of a text input: about 1,000 prescriptions of 30 lines. Reading holds every
/// line with its cells and parsed facts (up to ~4 KB for a drug line), so this bounds the
/// reader's memory (~120 MB at worst) where the 5 MB size limit alone would not: a million
/// empty lines are only 1 MB.
pub const MAX_TEXT_LINES: usize = 30_000;

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
        if had_errors || utf8_text_before_error(bytes) {
            return Err(ReadError::new(
                ErrorKind::Unreadable,
                undecodable_reason(bytes),
            ));
        }
        (cow.into_owned(), TextEncoding::ShiftJis)
    };
    check_not_binary(&text)?;
    let mut text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines = text.bytes().filter(|b| *b == b'\n').count() + 1;
    if lines > MAX_TEXT_LINES {
        return Err(ReadError::new(
            ErrorKind::TooLarge,
            format!("text input has {lines} lines; the limit is {MAX_TEXT_LINES}"),
        ));
    }
    while text.ends_with('\u{1A}') {
        text.pop();
    }
    Ok(Decoded { text, encoding })
}

/// The bytes before the first invalid UTF-8 sequence hold Japanese in UTF-8 (two or more
/// multi-byte characters): the file mixes encodings, even when every byte pair happens to
/// be valid Shift_JIS too (UTF-8 処方 reads as Shift_JIS 蜃ｦ譁ｹ). Shift_JIS text almost never
/// forms valid UTF-8 sequences twice.
fn utf8_text_before_error(bytes: &[u8]) -> bool {
    let valid = std::str::from_utf8(bytes).map_or_else(|e| e.valid_up_to(), |s| s.len());
    let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or("");
    prefix.chars().filter(|c| !c.is_ascii()).take(2).count() == 2
}

/// Says why bytes are neither UTF-8 nor Shift_JIS, in words that tell the user what to do:
/// the likely encoding (UTF-16 without a byte-order mark, EUC-JP), a file cut off inside a
/// character, or the first bad byte with its line under the encoding that read furthest.
fn undecodable_reason(bytes: &[u8]) -> String {
    let line_of = |at: usize| {
        bytes[..at.min(bytes.len())]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    };
    if looks_like_utf16(bytes) {
        return "not text in UTF-8 or Shift_JIS: the bytes look like UTF-16 without a byte-order \
                mark; save the file as UTF-8 or Shift_JIS"
            .to_string();
    }
    let (_, euc_errors) = encoding_rs::EUC_JP.decode_without_bom_handling(bytes);
    if !euc_errors {
        return "not text in UTF-8 or Shift_JIS: the bytes look like EUC-JP, which is not read; \
                convert the file to UTF-8 or Shift_JIS"
            .to_string();
    }
    let utf8_ok = match std::str::from_utf8(bytes) {
        Ok(_) => bytes.len(),
        Err(e) => e.valid_up_to(),
    };
    let sjis_ok = sjis_valid_up_to(bytes);
    let (name, at) = if utf8_ok >= sjis_ok {
        ("UTF-8", utf8_ok)
    } else {
        ("Shift_JIS", sjis_ok)
    };
    // Valid UTF-8 up to a line, then valid Shift_JIS from there: two encodings in one file.
    let line_start = bytes[..utf8_ok]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    if utf8_text_before_error(bytes)
        && sjis_valid_up_to(&bytes[line_start..]) == bytes.len() - line_start
    {
        return format!(
            "not text in one encoding: UTF-8 up to line {}, Shift_JIS from there (mixed \
             encodings); convert the file to one encoding",
            line_of(utf8_ok)
        );
    }
    if at < bytes.len() && bytes.len() - at < 4 && !bytes[at..].contains(&b'\n') {
        return format!(
            "the file ends inside a {name} character (byte {at}, line {}): it was cut short; \
             read the complete file",
            line_of(at)
        );
    }
    format!(
        "not text in UTF-8 or Shift_JIS: it reads furthest as {name}, up to byte {at} (line {}), \
         where byte 0x{:02X} is invalid",
        line_of(at),
        bytes.get(at).copied().unwrap_or(0)
    )
}

/// UTF-16 (either byte order) without a byte-order mark: decodes cleanly and nearly every
/// character is one a Japanese document is made of.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return false;
    }
    [encoding_rs::UTF_16LE, encoding_rs::UTF_16BE]
        .iter()
        .any(|enc| {
            let (text, errors) = enc.decode_without_bom_handling(bytes);
            let total = text.chars().count();
            let usual = text
                .chars()
                .filter(|c| {
                    matches!(c, ' '..='~' | '\n' | '\r' | '\t' | '\u{3000}'..='\u{30FF}'
                    | '\u{4E00}'..='\u{9FFF}' | '\u{FF01}'..='\u{FF9F}')
                })
                .count();
            !errors && usual * 10 >= total * 9
        })
}

/// How many leading bytes decode as Shift_JIS (CP932) without a malformed sequence.
fn sjis_valid_up_to(bytes: &[u8]) -> usize {
    let mut decoder = encoding_rs::SHIFT_JIS.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() * 3);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        encoding_rs::DecoderResult::Malformed(bad, extra) => {
            read.saturating_sub(bad as usize + extra as usize)
        }
        _ => read,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn why(bytes: &[u8]) -> String {
        match decode_text(bytes) {
            Err(e) => e.message,
            Ok(d) => panic!("decoded: {:?}", d.text),
        }
    }

    const RX: &str = "処方\nロキソニン錠60mg 3錠\n1日3回 毎食後 7日分\n以下余白\n";

    #[test]
    fn undecodable_text_says_which_encoding_it_resembles() {
        let utf16: Vec<u8> = RX.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert!(why(&utf16).contains("UTF-16"), "{}", why(&utf16));
        let (euc, _, _) = encoding_rs::EUC_JP.encode(RX);
        assert!(why(&euc).contains("EUC-JP"), "{}", why(&euc));
    }

    #[test]
    fn a_file_cut_inside_a_character_is_named_as_cut() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(RX.trim_end());
        let cut = &sjis[..sjis.len() - 1];
        let m = why(cut);
        assert!(
            m.contains("cut short") && m.contains("Shift_JIS") && m.contains("line 4"),
            "{m}"
        );
        let utf8 = RX.trim_end().as_bytes();
        let m = why(&utf8[..utf8.len() - 1]);
        assert!(m.contains("cut short") && m.contains("UTF-8"), "{m}");
    }

    #[test]
    fn utf8_then_shift_jis_is_named_as_mixed() {
        let (tail, _, _) = encoding_rs::SHIFT_JIS.encode("ロキソニン錠60mg 3錠\n");
        let mut bytes = "処方\n".as_bytes().to_vec();
        bytes.extend_from_slice(&tail);
        let m = why(&bytes);
        assert!(m.contains("mixed") && m.contains("line 2"), "{m}");
    }

    #[test]
    fn other_garbage_names_the_first_bad_byte() {
        let m = why(b"Rezept f\xfcr M\xfcller\n\xff\xfe\xfd");
        assert!(m.contains("byte 0x"), "{m}");
    }
}

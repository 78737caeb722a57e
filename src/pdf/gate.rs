//! Quality gate: extracted text that cannot be a prescription's is an error, never passed on.
//!
//! A text layer can "succeed" and still be garbage: a font without a Unicode map yields U+FFFD,
//! control characters or private-use code points, or (pdf-extract) silently nothing for the
//! kana and kanji while the digits survive. A Japanese prescription is mostly kana and kanji, so
//! too few of them means the layer did not decode. A few stray undecodable glyphs (a logo in a
//! symbol font) are tolerated and left as U+FFFD in the text so the form parser can flag the
//! line for review.
//!
//! ```
//! use shohosen::pdf::gate::{check_text, Verdict};
//! assert_eq!(check_text("処方箋 山田太郎 ロキソプロフェン錠60mg 3錠 分3 毎食後"), Verdict::Ok);
//! assert!(matches!(check_text("12345678 06132015 7654321 35 4 12 03-1234-5678"), Verdict::TooLittleJapanese { .. }));
//! ```

use crate::error::{ErrorKind, ReadError};

/// Below this share of kana/kanji among the non-space characters, the text did not decode.
pub const MIN_JAPANESE_SHARE: f32 = 0.10;
/// Fewer kana/kanji than this in the whole document is not a prescription's text.
pub const MIN_JAPANESE_CHARS: usize = 10;
/// Above this share of undecodable characters (U+FFFD, controls, private use), it is garbage.
pub const MAX_BAD_SHARE: f32 = 0.01;

/// The outcome of the gate on a text.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Ok,
    /// Nothing but whitespace.
    Empty,
    /// Too many undecodable characters.
    Undecodable {
        bad: usize,
        total: usize,
    },
    /// Too little kana/kanji.
    TooLittleJapanese {
        japanese: usize,
        total: usize,
    },
}

/// U+FFFD, C0/C1 controls (other than tab/newline) and private-use code points.
pub fn is_bad(c: char) -> bool {
    c == '\u{FFFD}'
        || (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{FFFFD}' | '\u{100000}'..='\u{10FFFD}')
}

/// Hiragana, katakana (full and half width) and CJK ideographs (incl. radicals folded later).
pub fn is_japanese(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}'
        | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{2E80}'..='\u{2FDF}' | '\u{20000}'..='\u{2FFFF}' | '々' | '〆')
}

/// Judges one text (a whole document's glyph text).
pub fn check_text(text: &str) -> Verdict {
    let (mut total, mut bad, mut jp) = (0usize, 0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        total += 1;
        if is_bad(c) {
            bad += 1;
        } else if is_japanese(c) {
            jp += 1;
        }
    }
    if total == 0 {
        Verdict::Empty
    } else if bad as f32 > MAX_BAD_SHARE * total as f32 {
        Verdict::Undecodable { bad, total }
    } else if jp < MIN_JAPANESE_CHARS || (jp as f32) < MIN_JAPANESE_SHARE * total as f32 {
        Verdict::TooLittleJapanese {
            japanese: jp,
            total,
        }
    } else {
        Verdict::Ok
    }
}

/// Text that reads as words in Latin script: only letters, digits, spaces and ordinary
/// punctuation, with at least one word of three letters. A Japanese font without a Unicode
/// map decodes to stray symbols and single letters instead, which stays `unreadable`.
fn plain_words(text: &str) -> bool {
    let ordinary =
        |c: char| c.is_alphanumeric() || c.is_whitespace() || ".,:;!?'\"()-/%&".contains(c);
    text.chars().all(ordinary)
        && text
            .split(|c: char| !c.is_alphabetic())
            .any(|w| w.chars().count() >= 3)
}

/// The gate as an error: `Ok(())` lets the text through; `has_images` tells a scan from an
/// empty file when there is no text at all.
pub fn gate(text: &str, has_images: bool) -> Result<(), ReadError> {
    match check_text(text) {
        Verdict::Ok => Ok(()),
        Verdict::Empty if has_images => Err(ReadError::new(
            ErrorKind::NoTextLayer,
            "the PDF has no text layer: its pages are images (a scan or a photo). \
             Read the prescription's 2D symbol (JAHIS code) instead, or enter it by hand",
        )),
        Verdict::Empty => Err(ReadError::new(
            ErrorKind::NoTextLayer,
            "the PDF has no text layer: its pages carry no text (empty, or drawn as outlines). \
             Read the prescription's 2D symbol (JAHIS code) instead",
        )),
        Verdict::Undecodable { bad, total } => Err(ReadError::new(
            ErrorKind::Unreadable,
            format!(
                "the PDF's text does not decode: {bad} of {total} characters are undecodable \
                 (a font without a Unicode map); refusing to guess. Read the 2D symbol instead"
            ),
        )),
        Verdict::TooLittleJapanese { japanese: 0, .. } if plain_words(text) => Err(ReadError::new(
            ErrorKind::NotAPrescription,
            format!(
                "the PDF's text decodes but holds no Japanese, so it is not a prescription (it \
                 begins: {:?})",
                text.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .chars()
                    .take(60)
                    .collect::<String>()
            ),
        )),
        Verdict::TooLittleJapanese { japanese, total } => Err(ReadError::new(
            ErrorKind::Unreadable,
            format!(
                "the PDF's text does not decode: only {japanese} of {total} characters are \
                 kana or kanji, too few for a prescription (its Japanese fonts have no Unicode \
                 map). Read the 2D symbol instead"
            ),
        )),
    }
}

/// Pages with less text than this are not judged on their own (a short continuation page).
pub const MIN_PAGE_CHARS: usize = 40;

/// The per-page gate: one page that does not decode (another font without a Unicode map)
/// spoils the document even when the other pages carry it over the document-level shares.
pub fn gate_pages(glyphs: &[super::glyphs::Glyph]) -> Result<(), ReadError> {
    let mut pages: Vec<u32> = glyphs.iter().map(|g| g.page).collect();
    pages.dedup();
    pages.sort_unstable();
    pages.dedup();
    for p in pages {
        let text: String = glyphs
            .iter()
            .filter(|g| g.page == p)
            .map(|g| g.text.as_str())
            .collect();
        if text.chars().filter(|c| !c.is_whitespace()).count() < MIN_PAGE_CHARS {
            continue;
        }
        match check_text(&text) {
            Verdict::Undecodable { bad, total } => {
                return Err(ReadError::new(
                    ErrorKind::Unreadable,
                    format!(
                        "page {p} of the PDF does not decode: {bad} of {total} characters are \
                         undecodable (a font without a Unicode map); refusing to guess"
                    ),
                ));
            }
            Verdict::TooLittleJapanese { japanese, total }
                if (japanese as f32) < 0.05 * total as f32 =>
            {
                return Err(ReadError::new(
                    ErrorKind::Unreadable,
                    format!(
                        "page {p} of the PDF does not decode: only {japanese} of {total} \
                         characters are kana or kanji (a font without a Unicode map)"
                    ),
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacement_chars_are_garbage() {
        let t = format!("処方箋{}", "\u{FFFD}".repeat(20)) + &"山田太郎ロキソプロフェン".repeat(5);
        assert!(matches!(check_text(&t), Verdict::Undecodable { .. }));
    }

    #[test]
    fn private_use_and_controls_are_bad() {
        assert!(is_bad('\u{E001}'));
        assert!(is_bad('\u{0001}'));
        assert!(!is_bad('\t'));
        assert!(!is_bad('－'));
    }

    #[test]
    fn latin_text_is_not_a_prescription_but_stray_symbols_are_unreadable() {
        let e = gate("Hello, world", false).expect_err("refused");
        assert_eq!(e.kind, ErrorKind::NotAPrescription);
        assert!(e.message.contains("Hello, world"), "{}", e.message);
        let e = gate("#$ ~ ^ @ a b c 1 2 3 # @ ~", false).expect_err("refused");
        assert_eq!(e.kind, ErrorKind::Unreadable);
        let e = gate("12345678 06132015 7654321 35 4 12", false).expect_err("refused");
        assert_eq!(e.kind, ErrorKind::Unreadable);
    }

    #[test]
    fn one_stray_glyph_in_a_long_text_passes() {
        let t = "処方箋　山田太郎　ロキソプロフェン錠６０ｍｇ　３錠".repeat(10) + "\u{FFFD}";
        assert_eq!(check_text(&t), Verdict::Ok);
    }

    #[test]
    fn one_garbage_page_spoils_the_document() {
        let g = |page: u32, t: &str| super::super::glyphs::Glyph {
            page,
            x: 0.0,
            y: 0.0,
            w: 1.0,
            size: 1.0,
            text: t.into(),
        };
        let mut gl: Vec<_> = "処方箋山田太郎ロキソプロフェン錠毎食後"
            .repeat(5)
            .chars()
            .map(|c| g(1, &c.to_string()))
            .collect();
        assert!(gate_pages(&gl).is_ok());
        gl.extend(
            "12345678 06132015 7654321 (1) 03-1234-5678 12.3456.7"
                .chars()
                .map(|c| g(2, &c.to_string())),
        );
        let e = gate_pages(&gl).unwrap_err();
        assert!(e.message.starts_with("page 2"), "{e}");
    }

    #[test]
    fn empty_with_images_is_no_text_layer() {
        let e = gate("  ", true).unwrap_err();
        assert_eq!(e.kind, ErrorKind::NoTextLayer);
        assert!(e.message.contains("2D symbol"));
    }
}

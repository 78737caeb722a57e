//! The JAHIS 院外処方箋2次元シンボル (2D symbol on the prescription) content: record text →
//! [`Prescription`].
//!
//! Layers: [`records`] (nom grammar, `grammars/jahis.ebnf`) → [`structure`] (`jahis-structure`,
//! `jahis-version` notes, refusal of a broken layout) → [`map`] (records → model), with the
//! record table in [`catalog`] and the 用法 helpers in [`usage`]. [`write()`] is the inverse
//! (model → record text), used by property tests, benches and batch fixtures.
//!
//! Decisions a reader of the output should know:
//! - **Several contents.** A repeated `JAHIS<n>` header starts the next symbol's content and a
//!   new prescription — unless that content has none of records 1 (医療機関), 11 (患者) and 51
//!   (交付年月日): then it is the continuation of the previous prescription (a long
//!   prescription split over several symbols) and its records join the previous ones.
//!   Line numbers count from the prescription's first header (= line 1) through all its contents.
//! - **Broken layouts are refused**, not guessed (see [`structure`]): the sample
//!   `external-nonstandard.txt` leaves fields out of records 1, 4 and 201, so every later field
//!   is shifted; it is refused with `unreadable` and a message naming the misshapen fields.
//! - `JAHISTC…` (電子版お薬手帳), text that does not start with a `JAHIS<n>` header and a
//!   header followed by no record are `not_a_prescription`; a content with no drug record (201)
//!   is read with a `jahis-structure` note (never an empty prescription without a word).
//! - A newer minor version than `JAHIS10` is read with the Ver.1.10 catalog and a
//!   `jahis-version` note.
//! - Mapping decisions (injection evidence for 剤形区分 9, `signed`, partial birth dates, refill,
//!   281 kinds) are listed in [`map`].
//!
//! ```
//! use shohosen::jahis;
//! use shohosen::model::{Category, Layout};
//! let text = "JAHIS10\r\n1,1,9700012,26,例示病院\r\n11,,見本 花子,ﾐﾎﾝ ﾊﾅｺ\r\n51,20260130\r\n\
//!             101,1,1,,7\r\n111,1,1,,１日２回朝夕食後,2\r\n\
//!             201,1,1,,7,1149037F1ZZZ,【般】セレコキシブ錠１００ｍｇ,2,1,錠\r\n";
//! let ps = jahis::parse(text).unwrap();
//! assert_eq!(ps.len(), 1);
//! let p = &ps[0];
//! assert_eq!(p.layout, Layout::Jahis);
//! assert_eq!(p.patient.kana.as_deref(), Some("ミホン ハナコ"));
//! let item = &p.items[0];
//! assert!(item.general_name);
//! assert_eq!(item.name, "セレコキシブ錠100mg");
//! assert_eq!((item.category, item.days, item.timing.as_deref()), (Category::Internal, Some(7), Some("朝夕食後")));
//! assert!(jahis::parse("JAHISTC08\r\n1,x\r\n").is_err());
//! ```

pub mod catalog;
pub mod map;
pub mod records;
pub mod structure;
pub mod usage;
mod write;

pub use write::write;

use crate::error::{ErrorKind, ReadError};
use crate::model::Prescription;
use records::{RawRecord, Segment};
use structure::note;

/// Records whose presence marks the start of a new prescription (not a continuation).
const STARTS_PRESCRIPTION: &[u16] = &[1, 11, 51];

/// Reads the content of one or more concatenated symbols (already decoded to text).
/// One [`Prescription`] per content (continuations merged, see the module docs).
pub fn parse(text: &str) -> Result<Vec<Prescription>, ReadError> {
    // Room for one line per 16 bytes (record lines are longer) instead of counting LFs
    // first, which cost as much as cutting the lines; the Vec grows if it must.
    let mut all_lines: Vec<&str> = Vec::with_capacity(text.len() / 16 + 2);
    all_lines.extend(records::lines(text));
    let segments = records::split_lines(&all_lines)?;
    let mut groups: Vec<Vec<Segment<'_>>> = Vec::with_capacity(1);
    for seg in segments {
        let starts = seg
            .records
            .iter()
            .any(|r| STARTS_PRESCRIPTION.contains(&r.number));
        match groups.last_mut() {
            Some(g) if !starts => g.push(seg),
            _ => groups.push(vec![seg]),
        }
    }
    groups
        .into_iter()
        .map(|g| read_group(g, &all_lines))
        .collect()
}

/// Reads bytes from a scanner or a file: UTF-8 (with or without BOM) when the bytes are valid
/// UTF-8, Shift_JIS otherwise. Bytes that are neither are `unreadable`.
///
/// ```
/// use shohosen::jahis;
/// let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("JAHIS10\r\n11,,見本 花子,\r\n");
/// let ps = jahis::parse_bytes(&sjis).unwrap();
/// assert_eq!(ps[0].patient.name.as_deref(), Some("見本 花子"));
/// ```
pub fn parse_bytes(bytes: &[u8]) -> Result<Vec<Prescription>, ReadError> {
    parse(&decode(bytes)?)
}

/// Decodes symbol bytes (see [`parse_bytes`]).
pub fn decode(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, ReadError> {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(std::borrow::Cow::Borrowed(s));
    }
    let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(ReadError::new(
            ErrorKind::Unreadable,
            "the 2D-symbol bytes are neither UTF-8 nor Shift_JIS (a damaged scan?)",
        ));
    }
    Ok(text)
}

fn read_group(group: Vec<Segment<'_>>, all_lines: &[&str]) -> Result<Prescription, ReadError> {
    let first = group.first().map_or(1, |s| s.header_line);
    let last = group.last().map_or(first, |s| s.last_line);
    let rebase = |line: u32| line + 1 - first;
    let mut notes = Vec::new();
    // The first segment's records (usually all of them) are rebased in place; later
    // segments (continuations) are appended.
    let total: usize = group.iter().map(|s| s.records.len()).sum();
    let mut recs: Vec<RawRecord<'_>> = Vec::new();
    for seg in group {
        if seg.version > catalog::NEWEST_VERSION {
            notes.push(note(
                "jahis-version",
                format!(
                    "ヘッダ JAHIS{} は対応する Ver.1.{} より新しい版です（Ver.1.{} の規約で読みました）",
                    seg.version,
                    catalog::NEWEST_VERSION,
                    catalog::NEWEST_VERSION
                ),
                None,
                rebase(seg.header_line),
            ));
        }
        for (line, text) in &seg.bad_lines {
            notes.push(note(
                "jahis-structure",
                format!("レコードとして読めない行です: {:?}", records::clip(text)),
                None,
                rebase(*line),
            ));
        }
        let mut records = seg.records;
        for r in &mut records {
            r.line = rebase(r.line);
        }
        if recs.is_empty() {
            recs = records;
            recs.reserve(total - recs.len());
        } else {
            recs.append(&mut records);
        }
    }
    if recs.is_empty() {
        return Err(ReadError::new(
            ErrorKind::NotAPrescription,
            format!(
                "the JAHIS header on line {first} is followed by no record: no prescription to read"
            ),
        ));
    }
    let mut structure_notes = structure::check(&recs)?;
    if !recs.iter().any(|r| r.number == 201) {
        structure_notes.push(note(
            "jahis-structure",
            "薬品レコード 201 が一つもありません（処方薬を読めません）".to_string(),
            None,
            1,
        ));
    }
    let mut p = map::map(&recs);
    notes.extend(structure_notes);
    notes.append(&mut p.notes);
    p.notes = notes;
    p.lines = crate::source::SourceLines::from_slices(
        all_lines
            .get(first as usize - 1..(last as usize).min(all_lines.len()))
            .unwrap_or_default(),
    );
    Ok(p)
}

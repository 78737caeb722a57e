//! The raw record grammar (nom): header lines, record lines, symbol contents.
//!
//! This layer knows nothing of what a record means; it turns text into
//! [`Segment`]s (one per `JAHIS<n>` header) of [`RawRecord`]s with their line numbers.
//! `grammars/jahis.ebnf` is the same grammar in EBNF.
//!
//! ```
//! use shohosen::jahis::records::{split, HeaderKind};
//! let segs = split("JAHIS10\r\n1,1,9700012,26,例示病院\r\n51,20260130\r\n\u{1a}").unwrap();
//! assert_eq!(segs.len(), 1);
//! assert_eq!(segs[0].version, 10);
//! assert_eq!(segs[0].records[0].number, 1);
//! assert_eq!(segs[0].records[0].fields, vec!["1", "9700012", "26", "例示病院"]);
//! assert_eq!(segs[0].records[1].line, 3);
//! ```

use nom::branch::alt;
use nom::bytes::complete::tag;
use nom::character::complete::{char, digit1};
use nom::combinator::{all_consuming, map, map_res, rest};
use nom::sequence::preceded;
use nom::{IResult, Parser};

use crate::error::{ErrorKind, ReadError};

/// What a `JAHIS…` line announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderKind<'a> {
    /// `JAHIS<n>`: a prescription content, minor version n.
    Prescription(u32),
    /// `JAHISTC<n>`: the 電子版お薬手帳 (medicine-notebook) format, not a prescription.
    Notebook(&'a str),
    /// `JAHIS` followed by something else.
    Other(&'a str),
}

/// One record line: the record number and the fields after it (empty fields kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRecord<'a> {
    pub number: u16,
    pub fields: Vec<&'a str>,
    /// 1-based line number (in the whole text after [`split`]; the reader rebases it to the
    /// prescription's content, header = line 1).
    pub line: u32,
    /// The minor version of the header this record came under.
    pub version: u32,
}

impl<'a> RawRecord<'a> {
    /// Field `i` (0 = the first field after the record number); a missing trailing field is
    /// the empty string, as the standard allows omitting them.
    pub fn get(&self, i: usize) -> &'a str {
        self.fields.get(i).copied().unwrap_or("")
    }
}

/// The records after one `JAHIS<n>` header, up to the next header or the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment<'a> {
    pub version: u32,
    /// 1-based line of the header in the whole text.
    pub header_line: u32,
    /// 1-based line of the last line of this segment in the whole text.
    pub last_line: u32,
    pub records: Vec<RawRecord<'a>>,
    /// Lines that are neither a header nor a record (line, text).
    pub bad_lines: Vec<(u32, &'a str)>,
}

/// `JAHIS` digits | `JAHISTC` … | `JAHIS` anything.
pub fn header(i: &str) -> IResult<&str, HeaderKind<'_>> {
    preceded(
        tag("JAHIS"),
        alt((
            all_consuming(map_res(digit1, |d: &str| {
                d.parse::<u32>().map(HeaderKind::Prescription)
            })),
            map(preceded(tag("TC"), rest), HeaderKind::Notebook),
            map(rest, HeaderKind::Other),
        )),
    )
    .parse(i)
}

/// One field: everything up to the next `,` or the end of the line (never fails).
///
/// A byte search instead of `take_until(",")`: nom's `&str` substring search builds a
/// two-way searcher for every field, which cost more than the rest of the grammar. `,` is
/// ASCII, so the byte position is always a char boundary.
fn field(i: &str) -> IResult<&str, &str> {
    let end = i.bytes().position(|b| b == b',').unwrap_or(i.len());
    Ok((&i[end..], &i[..end]))
}

/// (`,` field)*: the fields after the record number, empty ones kept. A plain loop over
/// [`field`] instead of `fold_many0`, whose per-item bookkeeping (progress check, closure
/// calls, first-char decode for `char(',')`) cost more than the fields themselves.
fn fields(i: &str) -> IResult<&str, Vec<&str>> {
    if i.is_empty() {
        return Ok((i, Vec::new()));
    }
    let (mut rest, _) = char(',').parse(i)?;
    // Sized once: one field per comma.
    let mut out = Vec::with_capacity(i.bytes().filter(|&b| b == b',').count());
    loop {
        let (after, f) = field(rest)?;
        out.push(f);
        match after.as_bytes().first() {
            // `,` is one byte: the next field starts right after it.
            Some(b',') => rest = &after[1..],
            _ => return Ok((after, out)),
        }
    }
}

/// record number, then (`,` field)* to the end of the line.
pub fn record(i: &str) -> IResult<&str, (u16, Vec<&str>)> {
    all_consuming((map_res(digit1, |d: &str| d.parse::<u16>()), fields)).parse(i)
}

/// The text's lines without CR, the trailing EOF byte 0x1A and a BOM.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Lines { rest: Some(text) }
}

/// The line iterator behind [`lines`]: a plain byte search for LF (ASCII, so every cut is
/// a char boundary), cheaper than `str::split`'s char searcher on short lines.
struct Lines<'a> {
    rest: Option<&'a str>,
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let text = self.rest?;
        let b = text.as_bytes();
        let line = match b.iter().position(|&c| c == b'\n') {
            Some(nl) => {
                self.rest = Some(&text[nl + 1..]);
                &text[..nl]
            }
            None => {
                self.rest = None;
                text
            }
        };
        // Byte loop instead of a char-set pattern: both bytes are ASCII (char boundaries).
        let lb = line.as_bytes();
        let mut end = lb.len();
        while end > 0 && matches!(lb[end - 1], b'\r' | 0x1a) {
            end -= 1;
        }
        Some(&line[..end])
    }
}

/// [`str::trim`] with a fast path for the common field that starts and ends with a
/// non-space ASCII character (then there is nothing to trim and no char is decoded).
///
/// ```
/// use shohosen::jahis::records::trim;
/// assert_eq!(trim("12"), "12");
/// assert_eq!(trim("\u{3000}見本 "), "見本");
/// assert_eq!(trim(""), "");
/// ```
pub fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let solid = |c: u8| c.is_ascii() && !char::from(c).is_whitespace();
    match (b.first(), b.last()) {
        (Some(&f), Some(&l)) if solid(f) && solid(l) => s,
        (None, _) => s,
        _ => s.trim(),
    }
}

/// Splits the text into segments, one per header. Errors when the text is not a JAHIS
/// prescription content at all (no header first, or the medicine-notebook format).
pub fn split(text: &str) -> Result<Vec<Segment<'_>>, ReadError> {
    let mut segments: Vec<Segment<'_>> = Vec::with_capacity(1);
    // Every record vector but the first starts empty; the first (usually the only one)
    // gets room for every line at once.
    let mut room = text.bytes().filter(|&b| b == b'\n').count() + 1;
    for (n, line) in lines(text).enumerate() {
        let no = n as u32 + 1;
        // Leading spaces are a scanner or copy artefact, never part of a record number.
        let skip = line
            .bytes()
            .position(|b| b != b' ' && b != b'\t')
            .unwrap_or(line.len());
        let line = &line[skip..];
        if trim(line).is_empty() {
            continue;
        }
        if line.starts_with("JAHIS") {
            match header(line).map(|(_, h)| h) {
                Ok(HeaderKind::Prescription(version)) => {
                    segments.push(Segment {
                        version,
                        header_line: no,
                        last_line: no,
                        records: Vec::with_capacity(std::mem::take(&mut room)),
                        bad_lines: Vec::new(),
                    });
                    continue;
                }
                Ok(HeaderKind::Notebook(_)) => {
                    return Err(ReadError::new(
                        ErrorKind::NotAPrescription,
                        format!(
                            "line {no}: {:?} is the JAHIS 電子版お薬手帳 (medicine-notebook) data format, \
                             not a prescription 2D symbol (which starts with JAHIS<n>, e.g. JAHIS10)",
                            clip(line)
                        ),
                    ));
                }
                Ok(HeaderKind::Other(_)) | Err(_) => {
                    return Err(ReadError::new(
                        ErrorKind::NotAPrescription,
                        format!(
                            "line {no}: header {:?} is not a JAHIS prescription header (JAHIS<minor version>, e.g. JAHIS10)",
                            clip(line)
                        ),
                    ));
                }
            }
        }
        let Some(seg) = segments.last_mut() else {
            return Err(ReadError::new(
                ErrorKind::NotAPrescription,
                format!(
                    "not a JAHIS 2D-symbol prescription: the first line {:?} is not a JAHIS<n> header",
                    clip(line)
                ),
            ));
        };
        seg.last_line = no;
        match record(line) {
            Ok((_, (number, fields))) => seg.records.push(RawRecord {
                number,
                fields,
                line: no,
                version: seg.version,
            }),
            Err(_) => seg.bad_lines.push((no, line)),
        }
    }
    if segments.is_empty() {
        return Err(ReadError::new(
            ErrorKind::NotAPrescription,
            "empty: no JAHIS<n> header and no records",
        ));
    }
    Ok(segments)
}

/// The first 40 characters of a line, for messages.
pub fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_keeps_empty_fields() {
        let (_, (n, f)) = record("23,,,1,").unwrap();
        assert_eq!(n, 23);
        assert_eq!(f, vec!["", "", "1", ""]);
        let (_, (n, f)) = record("12").unwrap();
        assert_eq!((n, f.len()), (12, 0));
        assert!(record("x1,2").is_err());
        assert!(record("12x,2").is_err());
        let (_, (_, f)) = record("1,,").unwrap();
        assert_eq!(f, vec!["", ""]);
        let (_, (_, f)) = record("201,1,【般】錠,").unwrap();
        assert_eq!(f, vec!["1", "【般】錠", ""]);
        assert!(record("").is_err());
    }

    #[test]
    fn headers() {
        assert_eq!(header("JAHIS10").unwrap().1, HeaderKind::Prescription(10));
        assert_eq!(header("JAHIS5").unwrap().1, HeaderKind::Prescription(5));
        assert!(matches!(
            header("JAHISTC08").unwrap().1,
            HeaderKind::Notebook(_)
        ));
        assert!(matches!(header("JAHISX").unwrap().1, HeaderKind::Other(_)));
    }

    #[test]
    fn notebook_and_plain_text_are_refused() {
        let e = split("JAHISTC08\r\n1,患者,,\r\n").unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotAPrescription);
        assert!(e.message.contains("お薬手帳"), "{}", e.message);
        let e = split("処方箋\nRp1 ロキソニン錠").unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotAPrescription);
        assert!(split("").is_err());
    }

    #[test]
    fn repeated_header_starts_a_segment() {
        let s = split("JAHIS10\n1,1,1,13,A\nJAHIS9\n1,1,2,13,B\n").unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(
            (s[1].version, s[1].header_line, s[1].records[0].line),
            (9, 3, 4)
        );
    }
}

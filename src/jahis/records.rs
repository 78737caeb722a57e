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
//! let fields: Vec<&str> = segs[0].records[0].fields.iter().collect();
//! assert_eq!(fields, ["1", "9700012", "26", "例示病院"]);
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

/// How many field ends a [`Fields`] keeps inline: more than the widest record of the
/// catalog (221, 12 fields), so only a malformed line ever needs the slow path.
const INLINE_FIELDS: usize = 16;

/// The fields after a record number, as slices of the line (empty fields kept).
///
/// The field ends are kept in an inline array instead of a `Vec<&str>` per record: one heap
/// allocation per record line was a large share of reading a symbol. Field `i` is then one
/// slice of the line; fields beyond `INLINE_FIELDS` (only in a malformed line) are found
/// by scanning on from the last kept end.
///
/// ```
/// use shohosen::jahis::records::record;
/// let (_, (n, f)) = record("23,,12345674,1,").unwrap();
/// assert_eq!((n, f.len()), (23, 4));
/// assert_eq!((f.get(1), f.get(4)), (Some("12345674"), None));
/// assert_eq!(f.iter().collect::<Vec<_>>(), ["", "12345674", "1", ""]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields<'a> {
    /// The text after the `,` that follows the record number (empty when there is none).
    text: &'a str,
    len: usize,
    /// Byte end of field i in `text`, for i < `INLINE_FIELDS` (0 beyond `len`).
    ends: [u32; INLINE_FIELDS],
}

impl<'a> Fields<'a> {
    /// Splits `text` (the part after the first `,`) at every `,`: `fields` = 1 + commas.
    fn split(text: &'a str) -> Self {
        let mut ends = [0u32; INLINE_FIELDS];
        let mut len = 0;
        for (i, b) in text.bytes().enumerate() {
            if b == b',' {
                if let Some(e) = ends.get_mut(len) {
                    *e = i as u32;
                }
                len += 1;
            }
        }
        if let Some(e) = ends.get_mut(len) {
            *e = text.len() as u32;
        }
        Fields {
            text,
            len: len + 1,
            ends,
        }
    }

    /// No field at all (a record number alone on its line).
    fn none() -> Self {
        Fields {
            text: "",
            len: 0,
            ends: [0; INLINE_FIELDS],
        }
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the record number stands alone.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Field `i`, `None` past the last one.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&'a str> {
        if i >= self.len {
            return None;
        }
        if i >= INLINE_FIELDS {
            let from = self.ends[INLINE_FIELDS - 1] as usize + 1;
            return self.text[from..].split(',').nth(i - INLINE_FIELDS);
        }
        let start = if i == 0 {
            0
        } else {
            self.ends[i - 1] as usize + 1
        };
        // `,` is ASCII: every kept end is a char boundary.
        self.text.get(start..self.ends[i] as usize)
    }

    /// The fields in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.len).map(|i| self.get(i).unwrap_or(""))
    }
}

/// One record line: the record number and the fields after it (empty fields kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRecord<'a> {
    pub number: u16,
    pub fields: Fields<'a>,
    /// 1-based line number (in the whole text after [`split`]; the reader rebases it to the
    /// prescription's content, header = line 1).
    pub line: u32,
    /// The minor version of the header this record came under.
    pub version: u32,
}

impl<'a> RawRecord<'a> {
    /// Field `i` (0 = the first field after the record number); a missing trailing field is
    /// the empty string, as the standard allows omitting them.
    #[inline]
    pub fn get(&self, i: usize) -> &'a str {
        self.fields.get(i).unwrap_or("")
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

/// (`,` field)*: the fields after the record number, empty ones kept, where a field is
/// everything up to the next `,` or the end of the line. One byte pass ([`Fields::split`])
/// instead of a combinator per field, whose bookkeeping cost more than the fields themselves.
fn fields(i: &str) -> IResult<&str, Fields<'_>> {
    if i.is_empty() {
        return Ok((i, Fields::none()));
    }
    let (rest, _) = char(',').parse(i)?;
    Ok((&rest[rest.len()..], Fields::split(rest)))
}

/// record number, then (`,` field)* to the end of the line.
pub fn record(i: &str) -> IResult<&str, (u16, Fields<'_>)> {
    all_consuming((record_number, fields)).parse(i)
}

/// digit+ as a `u16`. A byte loop instead of `map_res(digit1, str::parse)`: `digit1` decodes
/// a char per step, and this runs once per record line.
fn record_number(i: &str) -> IResult<&str, u16> {
    let end = i
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(i.len());
    let fail = |kind| nom::Err::Error(nom::error::Error::new(i, kind));
    if end == 0 {
        return Err(fail(nom::error::ErrorKind::Digit));
    }
    // ASCII digits are one byte each: `end` is a char boundary.
    let n = i[..end]
        .parse::<u16>()
        .map_err(|_| fail(nom::error::ErrorKind::MapRes))?;
    Ok((&i[end..], n))
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
        let line = match find_lf(text.as_bytes()) {
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

/// Position of the first LF, eight bytes at a time: a byte loop cost more than the rest of
/// cutting a symbol into lines. A word's bytes equal to LF become zero bytes after the XOR;
/// `(x - 0x01..) & !x & 0x80..` sets the high bit of the lowest zero byte exactly (only bytes
/// above it can be flagged wrongly), so its trailing zeros give the position.
///
/// ```
/// use shohosen::jahis::records::find_lf;
/// assert_eq!(find_lf(b"12,3\r\n4"), Some(5));
/// assert_eq!(find_lf(b"0123456789abcdef\n"), Some(16));
/// assert_eq!(find_lf(b"no line feed"), None);
/// ```
pub fn find_lf(b: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut words = b.chunks_exact(8);
    let mut at = 0;
    for w in &mut words {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(w);
        let x = u64::from_le_bytes(bytes) ^ (ONES * u64::from(b'\n'));
        let hit = x.wrapping_sub(ONES) & !x & HIGH;
        if hit != 0 {
            return Some(at + (hit.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&c| c == b'\n')
        .map(|p| at + p)
}

/// [`str::trim`] with a fast path for the common field that starts and ends with a
/// character that is surely not white space (then there is nothing to trim and no char is
/// decoded): a non-space ASCII byte, or a multi-byte char whose lead byte no Unicode space
/// has. The spaces outside ASCII are U+0085, U+00A0 (lead C2), U+1680 (E1), U+2000–U+205F
/// (E2) and U+3000 (E3 80 80); kana and kanji fields start and end with E3–E9 chars.
///
/// ```
/// use shohosen::jahis::records::trim;
/// assert_eq!(trim("12"), "12");
/// assert_eq!(trim("\u{3000}見本 "), "見本");
/// assert_eq!(trim("見本\u{3000}"), "見本");
/// assert_eq!(trim("例示病院"), "例示病院");
/// assert_eq!(trim(""), "");
/// ```
#[inline]
pub fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    // Codes and numbers: printable ASCII at both ends (no char can be white space).
    match (b.first(), b.last()) {
        (Some(f), Some(l)) if f.is_ascii_graphic() && l.is_ascii_graphic() => s,
        (None, _) => s,
        _ => trim_wide(s),
    }
}

/// [`trim`] of a field that starts or ends with something else than printable ASCII.
fn trim_wide(s: &str) -> &str {
    let b = s.as_bytes();
    let Some(&first) = b.first() else { return s };
    // The last char's first byte: at most three continuation bytes back.
    let mut last = b.len() - 1;
    while last > 0 && b.len() - last < 4 && (b[last] & 0xC0) == 0x80 {
        last -= 1;
    }
    let solid = |at: usize, lead: u8| match lead {
        0x00..=0x7F => !char::from(lead).is_whitespace(),
        0xC2 | 0xE1 | 0xE2 => false,
        0xE3 => b.get(at + 1..at + 3) != Some(&[0x80, 0x80][..]),
        _ => true,
    };
    if solid(0, first) && solid(last, b[last]) {
        s
    } else {
        s.trim()
    }
}

/// Splits the text into segments, one per header. Errors when the text is not a JAHIS
/// prescription content at all (no header first, or the medicine-notebook format).
pub fn split(text: &str) -> Result<Vec<Segment<'_>>, ReadError> {
    let all: Vec<&str> = lines(text).collect();
    split_lines(&all)
}

/// [`split`] of text already cut into [`lines`] (the reader keeps the lines for the output,
/// so they are cut once).
pub fn split_lines<'a>(all: &[&'a str]) -> Result<Vec<Segment<'a>>, ReadError> {
    let mut segments: Vec<Segment<'a>> = Vec::with_capacity(1);
    // Every record vector but the first starts empty; the first (usually the only one)
    // gets room for every line at once.
    let mut room = all.len();
    for (n, &line) in all.iter().enumerate() {
        // The input's time budget (crate::budget), looked at every 256 lines: the pipeline
        // turns a late read into an error, so stopping here loses nothing.
        if n % 256 == 255 && crate::budget::expired() {
            break;
        }
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
        fn all(f: Fields<'_>) -> Vec<&str> {
            f.iter().collect()
        }
        let (_, (n, f)) = record("23,,,1,").unwrap();
        assert_eq!(n, 23);
        assert_eq!(all(f), vec!["", "", "1", ""]);
        let (_, (n, f)) = record("12").unwrap();
        assert_eq!((n, f.len()), (12, 0));
        assert!(record("x1,2").is_err());
        assert!(record("12x,2").is_err());
        let (_, (_, f)) = record("1,,").unwrap();
        assert_eq!(all(f), vec!["", ""]);
        let (_, (_, f)) = record("201,1,【般】錠,").unwrap();
        assert_eq!(all(f), vec!["1", "【般】錠", ""]);
        assert!(record("").is_err());
        assert!(record("70000,1").is_err());
        assert!(record(",1").is_err());
        assert_eq!(record("0065535").unwrap().1.0, 65535);
        let (_, (_, f)) = record("1,").unwrap();
        assert_eq!(all(f), vec![""]);
    }

    #[test]
    fn fields_beyond_the_inline_ones() {
        let line: Vec<String> = (0..40).map(|i| format!("f{i}")).collect();
        let text = format!("221,{}", line.join(","));
        let (_, (_, f)) = record(&text).unwrap();
        assert_eq!(f.len(), 40);
        assert_eq!(f.iter().collect::<Vec<_>>(), line);
        assert_eq!(f.get(15), Some("f15"));
        assert_eq!(f.get(16), Some("f16"));
        assert_eq!(f.get(39), Some("f39"));
        assert_eq!(f.get(40), None);
    }

    #[test]
    fn find_lf_agrees_with_position() {
        // Every position of one LF (and of two) in lines up to 40 bytes, among bytes that
        // differ from LF by one bit and high bytes (the borrow cases of the word trick).
        for len in 0..40 {
            for fill in [b'a', 0x0B, 0x09, 0x8A, 0xFF, 0x00] {
                let mut line = vec![fill; len];
                assert_eq!(find_lf(&line), None);
                for p in 0..len {
                    line[p] = b'\n';
                    assert_eq!(find_lf(&line), Some(p), "{len} {fill} {p}");
                    for q in p + 1..len {
                        line[q] = b'\n';
                        assert_eq!(find_lf(&line), Some(p));
                        line[q] = fill;
                    }
                    line[p] = fill;
                }
            }
        }
    }

    #[test]
    fn trim_agrees_with_str_trim() {
        // Every char alone, and between kana, at both ends.
        for c in (0u32..0x11_0000).filter_map(char::from_u32) {
            for s in [
                c.to_string(),
                format!("{c}ア"),
                format!("ア{c}"),
                format!("{c}a{c}"),
            ] {
                assert_eq!(trim(&s), s.trim(), "U+{:04X}", c as u32);
            }
        }
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

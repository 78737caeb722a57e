//! nom primitives shared by the line grammars: numbers, units, amounts, Rp numbers, dates.
//!
//! Every parser here works on text already folded by [`fold_line`] (NFKC: ASCII digits,
//! `mg` for `ｍｇ`, one ASCII space for an ideographic space), so the grammars stay small.
//! The grammar is written out in `grammars/prescription.ebnf`.

use chrono::NaiveDate;
use nom::branch::alt;
use nom::bytes::complete::tag;
use nom::character::complete::{char as ch, digit1, one_of, space0};
use nom::combinator::{map_res, opt, recognize};
use nom::sequence::pair;
use nom::{IResult, Parser};
use rust_decimal::Decimal;
use std::str::FromStr;

use crate::date;

type R<'a, T> = IResult<&'a str, T>;

/// Folds one line for matching: circled numbers become `【n】` (so `①` stays an Rp number),
/// circled 男/女 become `○男`/`○女` (so the mark is not lost), then [`crate::normalize::fold`].
///
/// ```
/// use shohosen::text::lex::fold_line;
/// assert_eq!(fold_line("①アムロジピン錠５ｍｇ"), "【1】アムロジピン錠5mg");
/// assert_eq!(fold_line("㊚"), "○男");
/// ```
pub fn fold_line(s: &str) -> String {
    fold_line_cow(s).into_owned()
}

/// [`fold_line`], borrowing the input when nothing changes (see [`crate::normalize::fold_cow`]).
pub fn fold_line_cow(s: &str) -> std::borrow::Cow<'_, str> {
    // The fold itself reports a circled number or 男/女 (none of them is in its byte-level
    // fast paths), so most lines are read once.
    if let Some(folded) = crate::normalize::fold_cow_unless(s, is_circled) {
        return folded;
    }
    let mut pre = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\u{2460}'..='\u{2473}' => {
                let n = c as u32 - 0x2460 + 1;
                pre.push('【');
                pre.push_str(&n.to_string());
                pre.push('】');
            }
            '㊚' => pre.push_str("○男"),
            '㊛' => pre.push_str("○女"),
            _ => pre.push(c),
        }
    }
    std::borrow::Cow::Owned(crate::normalize::fold(&pre))
}

/// The characters [`fold_line_cow`] rewrites before folding: ①–⑳ and ㊚/㊛.
fn is_circled(c: char) -> bool {
    matches!(c, '\u{2460}'..='\u{2473}' | '㊚' | '㊛')
}

/// True when a whitespace character ([`is_ws`]) starts at byte `i` of `b` (a character
/// boundary of valid UTF-8), read from the bytes: the non-ASCII whitespace characters are
/// U+0085 and U+00A0 (C2 85, C2 A0), U+1680 (E1 9A 80), U+2000–U+200A, U+2028, U+2029, U+202F
/// (E2 80 xx), U+205F (E2 81 9F) and U+3000 (E3 80 80), so nothing is decoded (checked against
/// `char::is_whitespace`). The one test of [`find_ws`] and [`TrimWs`].
#[inline]
fn ws_starts_at(b: &[u8], i: usize) -> bool {
    let at = |k: usize| b.get(k).copied().unwrap_or(0);
    match at(i) {
        b' ' | b'\t'..=b'\r' => true,
        0xC2 => matches!(at(i + 1), 0x85 | 0xA0),
        0xE1 => at(i + 1) == 0x9A && at(i + 2) == 0x80,
        0xE2 => {
            let (b1, b2) = (at(i + 1), at(i + 2));
            (b1 == 0x80 && matches!(b2, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF))
                || (b1 == 0x81 && b2 == 0x9F)
        }
        0xE3 => at(i + 1) == 0x80 && at(i + 2) == 0x80,
        _ => false,
    }
}

/// True when the last character of `s` is whitespace.
#[inline]
fn ws_ends(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(mut j) = b.len().checked_sub(1) else {
        return false;
    };
    // Back to the lead byte of the last character (at most three continuation bytes).
    while j > 0 && b[j] & 0xC0 == 0x80 {
        j -= 1;
    }
    ws_starts_at(b, j)
}

/// `str::trim` and its one-sided forms with the common case answered from the bytes: a text
/// that neither starts nor ends with whitespace is returned as it is without decoding its end
/// characters and looking them up in the Unicode table (the reader trims every cell and line
/// several times). Otherwise the standard method does the work, so the result is the same.
///
/// ```
/// use shohosen::text::lex::TrimWs;
/// assert_eq!("　A錠 ".trim_ws(), "A錠");
/// assert_eq!("処方\u{3000}".trim_ws_start(), "処方\u{3000}");
/// assert_eq!("処方\u{3000}".trim_ws_end(), "処方");
/// ```
pub trait TrimWs {
    /// Same as `str::trim`.
    fn trim_ws(&self) -> &str;
    /// Same as `str::trim_start`.
    fn trim_ws_start(&self) -> &str;
    /// Same as `str::trim_end`.
    fn trim_ws_end(&self) -> &str;
}

impl TrimWs for str {
    #[inline]
    fn trim_ws(&self) -> &str {
        if ws_starts_at(self.as_bytes(), 0) || ws_ends(self) {
            self.trim()
        } else {
            self
        }
    }

    #[inline]
    fn trim_ws_start(&self) -> &str {
        if ws_starts_at(self.as_bytes(), 0) {
            self.trim_start()
        } else {
            self
        }
    }

    #[inline]
    fn trim_ws_end(&self) -> &str {
        if ws_ends(self) { self.trim_end() } else { self }
    }
}

/// True for exactly the characters of `char::is_whitespace` (Unicode White_Space), answered
/// without its table lookup for every other non-ASCII character (tested against it).
#[inline]
pub fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t'..='\r')
        || (c > '\x7f'
            && matches!(
                c,
                '\u{85}' | '\u{a0}' | '\u{1680}' | '\u{2000}'
                    ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
            ))
}

/// Byte offset and length of the first whitespace character ([`is_ws`]) of `s` at or after
/// byte `from` (a character boundary), compared as bytes by [`ws_starts_at`].
pub fn find_ws(s: &str, from: usize) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    let mut i = from;
    while let Some(&x) = b.get(i) {
        // The common bytes first: printable ASCII, and lead bytes E4–EF (kanji, full-width
        // forms), which begin no whitespace character.
        if (0x21..0x80).contains(&x) {
            i += 1;
            continue;
        }
        if (0xE4..=0xEF).contains(&x) {
            i += 3;
            continue;
        }
        // Lead byte E3 (U+3000–U+3FFF: kana, CJK punctuation, the bulk of drug names) holds
        // one whitespace character, the ideographic space E3 80 80.
        if x == 0xE3 {
            if b.get(i + 1..i + 3) == Some(&[0x80, 0x80][..]) {
                return Some((i, 3));
            }
            i += 3;
            continue;
        }
        let len = match x {
            0x00..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        if ws_starts_at(b, i) {
            return Some((i, len));
        }
        i += len;
    }
    None
}

/// The whitespace-separated words of `s`: what `str::split_whitespace` yields, found with
/// [`find_ws`].
pub fn words(s: &str) -> Words<'_> {
    Words { s, pos: 0 }
}

/// The tab-separated fields of `s`, as `s.split('\t')` gives them, with the tabs found by
/// memchr (SIMD) instead of a pattern search per field.
///
/// ```
/// use shohosen::text::lex::tab_fields;
/// assert_eq!(tab_fields("a\t\tb").collect::<Vec<_>>(), ["a", "", "b"]);
/// assert_eq!(tab_fields("").collect::<Vec<_>>(), [""]);
/// ```
pub fn tab_fields(s: &str) -> impl Iterator<Item = &str> + Clone {
    memchr::memchr_iter(b'\t', s.as_bytes())
        .chain(std::iter::once(s.len()))
        .scan(0, move |start, end| {
            // `\t` is ASCII: both ends are character boundaries.
            let field = &s[*start..end];
            *start = end + 1;
            Some(field)
        })
}

/// Iterator of [`words`].
#[derive(Debug, Clone)]
pub struct Words<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        // Runs of ASCII spaces (column padding) are stepped over without a search each.
        while self.s.as_bytes().get(self.pos) == Some(&b' ') {
            self.pos += 1;
        }
        while self.pos < self.s.len() {
            match find_ws(self.s, self.pos) {
                Some((i, len)) if i == self.pos => self.pos += len,
                Some((i, len)) => {
                    let w = &self.s[self.pos..i];
                    self.pos = i + len;
                    return Some(w);
                }
                None => {
                    let w = &self.s[self.pos..];
                    self.pos = self.s.len();
                    return Some(w);
                }
            }
        }
        None
    }
}

/// Removes every whitespace character (OCR puts stray spaces inside labels).
///
/// Called on most lines, so the text is copied as runs between whitespace into one buffer
/// sized up front (collecting chars one by one reallocates as it grows).
pub fn compact(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in words(s) {
        out.push_str(w);
    }
    out
}

/// Collapses whitespace runs to one ASCII space and trims.
pub fn squeeze(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in words(s) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// A decimal number: `3`, `0.25`.
pub fn number(i: &str) -> R<'_, Decimal> {
    map_res(
        recognize(pair(digit1, opt(pair(ch('.'), digit1)))),
        decimal_of,
    )
    .parse(i)
}

/// `Decimal::from_str` of digits with at most one point (`3`, `0.25`, what [`number`]
/// recognizes), computed from the bytes when they fit 18 digits: the same value and scale
/// (`1.50` keeps scale 2), without the general parser. Longer runs go to `from_str`.
fn decimal_of(digits: &str) -> Result<Decimal, rust_decimal::Error> {
    let b = digits.as_bytes();
    if b.is_empty() || b.len() > 18 || b[0] == b'.' || b[b.len() - 1] == b'.' {
        return Decimal::from_str(digits);
    }
    let mut mantissa: i64 = 0;
    let mut scale = 0u32;
    let mut point = false;
    for &c in b {
        match c {
            b'0'..=b'9' => {
                // At most 18 digits: no overflow.
                mantissa = mantissa * 10 + i64::from(c - b'0');
                scale += u32::from(point);
            }
            b'.' if !point => point = true,
            _ => return Decimal::from_str(digits),
        }
    }
    Ok(Decimal::new(mantissa, scale))
}

/// A small whole number (days, times, counts); overlong digit runs fail instead of overflowing.
pub fn count(i: &str) -> R<'_, u32> {
    map_res(digit1, |d: &str| d.parse::<u32>()).parse(i)
}

/// Dosage units, longest first so `mL` wins over `m…` and `カプセル` is whole.
pub const UNITS: &[&str] = &[
    "ブリスター",
    "カプセル",
    "キット",
    "シート",
    "吸入",
    "噴霧",
    "単位",
    "mL",
    "ml",
    "μg",
    "mg",
    "g",
    "L",
    "錠",
    "包",
    "本",
    "枚",
    "瓶",
    "個",
    "滴",
    "袋",
    "筒",
    "管",
    "缶",
    "回分",
];

/// Units that count containers: a strength/volume before one of these is a package content.
pub const PACKAGE_UNITS: &[&str] = &[
    "本",
    "瓶",
    "個",
    "枚",
    "キット",
    "袋",
    "筒",
    "管",
    "缶",
    "シート",
];

/// Units that count dose forms (a `250mg` before `2錠` belongs to the name).
pub const FORM_UNITS: &[&str] = &["錠", "カプセル", "包"];

/// For each first byte, the [`UNITS`] that start with it (bit k = `UNITS[k]`), in the
/// table's order: [`unit`] tries only those.
const UNITS_BY_FIRST_BYTE: [u32; 256] = {
    assert!(UNITS.len() <= 32);
    let mut t = [0u32; 256];
    let mut k = 0;
    while k < UNITS.len() {
        t[UNITS[k].as_bytes()[0] as usize] |= 1 << k;
        k += 1;
    }
    t
};

/// A unit from [`UNITS`] (except the pseudo-unit `回分`).
pub fn unit(i: &str) -> R<'_, &str> {
    let b = i.as_bytes();
    // The units that start with the text's first byte, longest first as in the table; the
    // pseudo-unit is set aside only when it matches (not compared for every unit).
    let mut set = b
        .first()
        .map_or(0, |&f| UNITS_BY_FIRST_BYTE[usize::from(f)]);
    while set != 0 {
        let u = UNITS[set.trailing_zeros() as usize];
        set &= set - 1;
        if b.starts_with(u.as_bytes()) && u != "回分" {
            // `u` is whole UTF-8 at the start of `i`: its length is a boundary.
            return Ok((&i[u.len()..], &i[..u.len()]));
        }
    }
    Err(nom::Err::Error(nom::error::Error::new(
        i,
        nom::error::ErrorKind::Tag,
    )))
}

/// `3錠`, `0.5g`: a number and a unit.
pub fn quantity(i: &str) -> R<'_, (Decimal, &str)> {
    // The unit is checked before the digits are converted: most digit runs in a line are not
    // quantities (`1日3回`, `28日分`) and the decimal conversion is the costly step. The result
    // is that of `(number, space0, unit)`: a conversion failure is the same `MapRes` error.
    let (rest, (digits, _, u)) = (
        recognize(pair(digit1, opt(pair(ch('.'), digit1)))),
        space0,
        unit,
    )
        .parse(i)?;
    match decimal_of(digits) {
        Ok(n) => Ok((rest, (n, u))),
        Err(_) => Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::MapRes,
        ))),
    }
}

/// True when `s` holds any of `cs` (characters of three UTF-8 bytes, U+0800–U+FFFF, as the
/// callers' kanji are; up to three of them). See [`Kanji3`] for a set encoded once.
pub fn has_any_char(s: &str, cs: &[char]) -> bool {
    match Kanji3::try_new(cs) {
        Some(set) => set.any_in(s),
        None => s.contains(cs),
    }
}

/// A character of every inline annotation: 不 (…変更不可), 希 (…希望), 必 (医療上必要).
pub const ANNOTATION_CHARS: Kanji3 = Kanji3::new(['不', '希', '必']);

/// Up to three characters of three UTF-8 bytes (U+0800–U+FFFF), encoded once — in a `const`
/// for a fixed set — and searched for by [`Kanji3::any_in`].
///
/// The middle bytes of the wanted characters are searched with `memchr3` (SIMD) and each hit
/// is checked as a whole character: a wanted lead byte (E0–EF) never stands inside another
/// character, so a matching three-byte window is that character. Middle bytes are rare enough
/// in Japanese text (one continuation value in 64) that this beats walking every character.
///
/// ```
/// use shohosen::text::lex::Kanji3;
/// const ANNOTATION: Kanji3 = Kanji3::new(['不', '希', '必']);
/// assert!(ANNOTATION.any_in("後発品変更不可"));
/// assert!(!ANNOTATION.any_in("アムロジピン錠5mg"));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Kanji3 {
    keys: [[u8; 3]; 3],
}

impl Kanji3 {
    /// The set of `cs`; a character outside U+0800–U+FFFF fails to compile in a `const`
    /// (and panics elsewhere).
    pub const fn new(cs: [char; 3]) -> Kanji3 {
        let mut keys = [[0u8; 3]; 3];
        let mut k = 0;
        while k < 3 {
            let c = cs[k] as u32;
            assert!(
                c >= 0x800 && c <= 0xFFFF,
                "Kanji3 holds three-byte characters only"
            );
            keys[k] = [
                0xE0 | (c >> 12) as u8,
                0x80 | ((c >> 6) & 0x3F) as u8,
                0x80 | (c & 0x3F) as u8,
            ];
            k += 1;
        }
        Kanji3 { keys }
    }

    /// The set of `cs` when it is one (one to three three-byte characters); a shorter list
    /// repeats its last character.
    fn try_new(cs: &[char]) -> Option<Kanji3> {
        if cs.is_empty() || cs.len() > 3 || cs.iter().any(|c| c.len_utf8() != 3) {
            return None;
        }
        let at = |k: usize| cs[k.min(cs.len() - 1)];
        Some(Kanji3::new([at(0), at(1), at(2)]))
    }

    /// True when `s` holds one of the characters.
    #[inline]
    pub fn any_in(&self, s: &str) -> bool {
        let keys = &self.keys;
        let b = s.as_bytes();
        memchr::memchr3_iter(keys[0][1], keys[1][1], keys[2][1], b)
            .any(|p| p > 0 && p + 1 < b.len() && keys.contains(&[b[p - 1], b[p], b[p + 1]]))
    }
}

/// Uneven split written after an amount: `(3-2-1)` or `(4錠-2錠-1錠)`.
pub fn uneven(i: &str) -> R<'_, Vec<Decimal>> {
    let part = |i| (number, opt(unit)).map(|(n, _)| n).parse(i);
    let (mut rest, first) = (ch('('), part).map(|(_, n)| n).parse(i)?;
    let mut v = vec![first];
    while let Ok((r, (_, n))) = (alt((ch('-'), ch('ー'), ch('・'))), part).parse(rest) {
        v.push(n);
        rest = r;
    }
    let (rest, _) = ch(')').parse(rest)?;
    if v.len() < 2 {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Count,
        )));
    }
    Ok((rest, v))
}

/// What an amount token says.
#[derive(Debug, Clone, PartialEq)]
pub struct AmountTok {
    pub value: Decimal,
    pub unit: String,
    /// Written as `1回N…` (per dose).
    pub per_dose: bool,
    pub uneven: Vec<Decimal>,
    /// `5mL×2本`: the content before the ×.
    pub package: Option<(Decimal, String)>,
}

/// One whitespace-free amount token: `2錠`, `1回1錠`, `6錠(3-2-1)`, `5mL×2本`.
/// The whole token must be consumed (a name like `ロキソニン錠60mg` is not an amount).
///
/// ```
/// use shohosen::text::lex::amount_token;
/// let a = amount_token("1回1錠").unwrap();
/// assert!(a.per_dose);
/// assert_eq!(amount_token("6錠(3-2-1)").unwrap().uneven.len(), 3);
/// assert!(amount_token("ロキソニン錠60mg").is_none());
/// ```
pub fn amount_token(t: &str) -> Option<AmountTok> {
    // Every amount starts with a digit (`1回…` too): most tokens are names and stop here.
    if !t.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let r: R<'_, AmountTok> = (|i| {
        let (i, per) = opt(alt((tag("1回量"), tag("1回")))).parse(i)?;
        let (i, first) = quantity(i)?;
        let (i, pkg_second) = opt((one_of("×xX*"), quantity)).parse(i)?;
        let (i, unev) = opt(uneven).parse(i)?;
        let (value, unit, package) = match pkg_second {
            Some((_, (n, u))) => (n, u, Some((first.0, first.1.to_string()))),
            None => (first.0, first.1, None),
        };
        Ok((
            i,
            AmountTok {
                value,
                unit: unit.to_string(),
                per_dose: per.is_some(),
                uneven: unev.unwrap_or_default(),
                package,
            },
        ))
    })(t);
    match r {
        Ok(("", a)) => Some(a),
        _ => None,
    }
}

/// An Rp/group number at the start of a folded line: `Rp1`, `Rp.1`, `Rp)`, `1)`, `(1)`, `【1】`,
/// `1 ` (digit then space), `1.`. Returns the number (None for a bare `Rp)`) and the rest.
///
/// ```
/// use shohosen::text::lex::rp_prefix;
/// assert_eq!(rp_prefix("Rp.1 A錠").map(|r| r.0), Some(Some(1)));
/// assert_eq!(rp_prefix("Rp)").map(|r| r.0), Some(None));
/// assert_eq!(rp_prefix("【2】B錠").map(|r| r.0), Some(Some(2)));
/// assert_eq!(rp_prefix("3) C錠").map(|r| r.0), Some(Some(3)));
/// assert!(rp_prefix("1日3回").is_none());
/// assert_eq!(rp_prefix("R p 2 ( 般 )メトホルミン").map(|r| r.0), Some(Some(2)));
/// ```
pub fn rp_prefix(s: &str) -> Option<(Option<u32>, &str)> {
    let s0 = s.trim_ws_start();
    // Every form below starts with R/r, a bracket or a digit: the grammars are tried only then.
    if !(matches!(
        s0.as_bytes().first(),
        Some(b'R' | b'r' | b'(' | b'[' | b'0'..=b'9')
    ) || s0.starts_with('【'))
    {
        return None;
    }
    fn rp(i: &str) -> R<'_, Option<u32>> {
        // `R p` / `R P`: OCR puts a space inside the word.
        let (i, _) = alt((
            tag("Rp"),
            tag("RP"),
            tag("rp"),
            tag("R.p"),
            tag("R p"),
            tag("R P"),
        ))
        .parse(i)?;
        let (i, _) = opt(ch('.')).parse(i)?;
        let (i, _) = space0(i)?;
        let (i, n) = opt(count).parse(i)?;
        let (i, _) = opt(alt((ch(')'), ch('.'), ch(':')))).parse(i)?;
        Ok((i, n))
    }
    // Only a text that starts with R/r can be `Rp…` (digits and brackets go on below).
    if s0.starts_with(['R', 'r'])
        && let Ok((rest, n)) = rp(s0)
    {
        return Some((n, rest.trim_ws_start()));
    }
    let bracket: R<'_, u32> = alt((
        (ch('【'), count, ch('】')).map(|(_, n, _)| n),
        (ch('('), space0, count, space0, ch(')')).map(|(_, _, n, _, _)| n),
        (ch('['), count, ch(']')).map(|(_, n, _)| n),
        (count, space0, ch(')')).map(|(n, _, _)| n),
    ))
    .parse(s0);
    if let Ok((rest, n)) = bracket {
        return Some((Some(n), rest.trim_ws_start()));
    }
    // `1 カロナール…` / `1. カロナール…`: a number followed by a space and a non-digit.
    let plain: R<'_, u32> = (count, opt(ch('.')), ch(' ')).map(|(n, _, _)| n).parse(s0);
    if let Ok((rest, n)) = plain {
        let rest = rest.trim_ws_start();
        if rest.chars().next().is_some_and(|c| !c.is_ascii_digit()) && n < 100 {
            return Some((Some(n), rest));
        }
    }
    None
}

/// Outcome of finding a date in text.
#[derive(Debug, Clone, PartialEq)]
pub enum DateFound {
    Ok(NaiveDate),
    /// A date was written but does not exist (or its era is unknown): the text.
    Invalid(String),
}

fn era_name(i: &str) -> R<'_, &str> {
    alt((
        tag("令和"),
        tag("平成"),
        tag("昭和"),
        tag("大正"),
        tag("明治"),
        tag("令"),
        tag("平"),
        tag("昭"),
        tag("大"),
        tag("明"),
        recognize(one_of("RHSTMrhstm")),
    ))
    .parse(i)
}

fn era_year(i: &str) -> R<'_, u32> {
    alt((count, tag("元").map(|_| 1))).parse(i)
}

/// `令和6年10月1日` (spaces allowed between parts) → (era, y, m, d).
fn era_kanji(i: &str) -> R<'_, (&str, u32, u32, u32)> {
    let (i, (e, _, y, _, _, _, m, _, _, _, d, _)) = (
        era_name,
        space0,
        era_year,
        space0,
        ch('年'),
        space0,
        count,
        space0,
        ch('月'),
        space0,
        count,
        space0,
    )
        .parse(i)?;
    let (i, _) = opt(ch('日')).parse(i)?;
    Ok((i, (e, y, m, d)))
}

/// `R6.10.1`, `S35/4/12`.
fn era_dotted(i: &str) -> R<'_, (&str, u32, u32, u32)> {
    let (i, (e, y, s1, m, _, d)) = (
        recognize(one_of("RHSTMrhstm")),
        count,
        one_of("./-"),
        count,
        one_of("./-"),
        count,
    )
        .parse(i)?;
    let _ = s1;
    Ok((i, (e, y, m, d)))
}

/// `2024-10-01`, `2024/10/1`, `2024.10.1`, `2024年10月1日`.
fn gregorian(i: &str) -> R<'_, (i32, u32, u32)> {
    let (i, y) = recognize((
        one_of("12"),
        one_of("0123456789"),
        one_of("0123456789"),
        one_of("0123456789"),
    ))
    .parse(i)?;
    let y: i32 = y.parse().unwrap_or(0);
    let (i, (_, _, _, m, _, _, _, d, _)) = alt((
        (
            space0,
            ch('年'),
            space0,
            count,
            space0,
            ch('月'),
            space0,
            count,
            opt(ch('日')),
        )
            .map(|t| t),
        (
            space0,
            one_of("-/."),
            space0,
            count,
            space0,
            one_of("-/."),
            space0,
            count,
            opt(ch('日')),
        )
            .map(|(a, s, b, m, c, s2, e, d, _)| {
                let _ = (s, s2);
                (a, '年', b, m, c, '月', e, d, None)
            }),
    ))
    .parse(i)?;
    Ok((i, (y, m, d)))
}

/// An unknown era in the kanji form (`光文6年2月3日`): two ideographs, then y年m月d日.
fn unknown_era(i: &str) -> R<'_, &str> {
    recognize((
        nom::character::complete::satisfy(is_han),
        nom::character::complete::satisfy(is_han),
        space0,
        count,
        space0,
        ch('年'),
        space0,
        count,
        space0,
        ch('月'),
        space0,
        count,
        space0,
        ch('日'),
    ))
    .parse(i)
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Finds the first written date in folded text.
///
/// ```
/// use shohosen::text::lex::{find_date, DateFound};
/// assert_eq!(find_date("昭和35年4月12日 男"), Some(DateFound::Ok("1960-04-12".parse().unwrap())));
/// assert_eq!(find_date("S35.4.12"), Some(DateFound::Ok("1960-04-12".parse().unwrap())));
/// assert!(matches!(find_date("令和6年2月30日"), Some(DateFound::Invalid(_))));
/// assert_eq!(find_date("令和 年 月 日"), None);
/// ```
pub fn find_date(s: &str) -> Option<DateFound> {
    for (pos, c) in s.char_indices() {
        // Every form starts with an era letter, a digit or an ideograph (era names are
        // ideographs): kana, spaces and punctuation cannot start a date. Each grammar is tried
        // only where its first character stands (an era name or letter, `1`/`2` for a
        // Gregorian year, any ideograph for an unknown era), which is where it could match.
        let era_start = matches!(
            c,
            '令' | '平'
                | '昭'
                | '大'
                | '明'
                | 'R'
                | 'H'
                | 'S'
                | 'T'
                | 'M'
                | 'r'
                | 'h'
                | 's'
                | 't'
                | 'm'
        );
        let han = is_han(c);
        if !(era_start || han || c == '1' || c == '2') {
            continue;
        }
        let t = &s[pos..];
        if era_start && let Ok((rest, (e, y, m, d))) = alt((era_kanji, era_dotted)).parse(t) {
            let Some(era) = date::era_by_name(e) else {
                continue;
            };
            let text = t[..t.len() - rest.len()].trim_ws().to_string();
            // No era lasts a hundred years; a longer year is a misreading (and would overflow).
            if y > 99 {
                return Some(DateFound::Invalid(text));
            }
            return Some(match date::era_date(era, y, m, d) {
                Ok(dt) => DateFound::Ok(dt),
                Err(_) => DateFound::Invalid(text),
            });
        }
        if (c == '1' || c == '2')
            && let Ok((rest, (y, m, d))) = gregorian(t)
        {
            let text = t[..t.len() - rest.len()].trim_ws().to_string();
            return Some(match date::ymd(y, m, d) {
                Ok(dt) => DateFound::Ok(dt),
                Err(_) => DateFound::Invalid(text),
            });
        }
        if han && let Ok((_, text)) = unknown_era(t) {
            return Some(DateFound::Invalid(text.to_string()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(matches!(
            find_date("令和2147483647年1月1日"),
            Some(DateFound::Invalid(_))
        ));
        assert_eq!(
            find_date("2024/10/01"),
            Some(DateFound::Ok("2024-10-01".parse().unwrap()))
        );
        assert_eq!(
            find_date("2024年10月1日"),
            Some(DateFound::Ok("2024-10-01".parse().unwrap()))
        );
        assert_eq!(
            find_date("令和 6 年 10 月 4 日まで"),
            Some(DateFound::Ok("2024-10-04".parse().unwrap()))
        );
        assert_eq!(
            find_date("平成元年1月8日"),
            Some(DateFound::Ok("1989-01-08".parse().unwrap()))
        );
        assert!(matches!(
            find_date("光文6年2月3日"),
            Some(DateFound::Invalid(_))
        ));
        assert!(matches!(
            find_date("2023-02-29"),
            Some(DateFound::Invalid(_))
        ));
    }

    #[test]
    fn whitespace_agrees_with_std() {
        for c in (0u32..0x11_0000).filter_map(char::from_u32) {
            assert_eq!(is_ws(c), c.is_whitespace(), "U+{:04X}", c as u32);
            let s = format!("ア{c}");
            let want = c.is_whitespace().then_some((3, c.len_utf8()));
            assert_eq!(find_ws(&s, 0), want, "U+{:04X}", c as u32);
        }
        for s in [
            "",
            " ",
            "a",
            "  A錠\u{3000}2錠\t1日\u{2028}x\u{85}y\u{a0}z\u{1680}\u{205f}w  ",
            "アムロジピン錠5mg 1錠 ｱ é😀 \u{2009}末",
            "\u{2003}\u{3000}",
        ] {
            assert_eq!(
                words(s).collect::<Vec<_>>(),
                s.split_whitespace().collect::<Vec<_>>(),
                "{s:?}"
            );
            let std_compact: String = s.split(char::is_whitespace).collect();
            assert_eq!(compact(s), std_compact, "{s:?}");
            assert_eq!(find_ws(s, 0).is_some(), s.contains(char::is_whitespace));
        }
    }

    /// Every character of every unit of [`UNITS`], and a few others.
    const UNIT_ALPHABET: &[char] = &[
        'ブ', 'リ', 'ス', 'タ', 'ー', 'カ', 'プ', 'セ', 'ル', 'キ', 'ッ', 'ト', 'シ', '吸', '入',
        '噴', '霧', '単', '位', 'm', 'L', 'l', 'μ', 'g', '錠', '包', '本', '枚', '瓶', '個', '滴',
        '袋', '筒', '管', '缶', '回', '分', '1', ' ', 'M',
    ];

    /// Characters around every lead byte `find_ws` looks at: whitespace of each kind,
    /// their byte neighbours (C2/E1/E2/E3 leads that are not whitespace, E0), kana, kanji,
    /// ASCII and four-byte characters.
    const WS_ALPHABET: &[char] = &[
        ' ', '\t', '\n', '\r', '\u{b}', '\u{c}', '\u{85}', '\u{a0}', '\u{1680}', '\u{2000}',
        '\u{200a}', '\u{2028}', '\u{2029}', '\u{202f}', '\u{205f}', '\u{3000}', '!', 'a', '5',
        '\u{7f}', '\u{1f}', '\u{80}', '©', 'é', '\u{1681}', '\u{200b}', '\u{2030}', '※', '○', '、',
        '。', '「', 'ー', 'ア', 'ン', 'あ', 'ゝ', 'む', '\u{3040}', '錠', '日', 'ｍ', '\u{800}',
        '😀', '𠮷',
    ];

    proptest::proptest! {
        #[test]
        fn find_ws_agrees_with_a_plain_search(
            picks in proptest::collection::vec(0..WS_ALPHABET.len(), 0..40)
        ) {
            let s: String = picks.iter().map(|&k| WS_ALPHABET[k]).collect();
            for (from, _) in s.char_indices().chain([(s.len(), ' ')]) {
                let want = s[from..]
                    .char_indices()
                    .find(|&(_, c)| c.is_whitespace())
                    .map(|(k, c)| (from + k, c.len_utf8()));
                proptest::prop_assert_eq!(find_ws(&s, from), want, "{:?} from {}", s, from);
            }
            proptest::prop_assert_eq!(
                words(&s).collect::<Vec<_>>(),
                s.split_whitespace().collect::<Vec<_>>()
            );
            proptest::prop_assert_eq!(
                tab_fields(&s).collect::<Vec<_>>(),
                s.split('\t').collect::<Vec<_>>()
            );
            proptest::prop_assert_eq!(s.trim_ws(), s.trim());
            proptest::prop_assert_eq!(s.trim_ws_start(), s.trim_start());
            proptest::prop_assert_eq!(s.trim_ws_end(), s.trim_end());
        }
    }

    /// The characters [`fold_line_cow`] rewrites, their byte neighbours (⑴ U+2474 and ㊙
    /// U+3299 share their first two bytes with ⑳ and ㊚; ⓪ U+24EA), characters that the fold
    /// changes (full-width digits, half-width kana and its voicing mark, ㎎, a dash, U+3000)
    /// and ones it keeps.
    const CIRCLED_ALPHABET: &[char] = &[
        '\u{2460}', '\u{2469}', '\u{2473}', '\u{2474}', '\u{24EA}', '㊚', '㊛', '㊙', '１', 'ｱ',
        'ﾞ', '㎎', '\u{2212}', '\u{3000}', 'a', ' ', '錠', 'ア', '男', '【',
    ];

    proptest::proptest! {
        #[test]
        fn fold_line_agrees_with_rewrite_then_fold(
            picks in proptest::collection::vec(0..CIRCLED_ALPHABET.len(), 0..12)
        ) {
            // What fold_line did before the fold reported circled characters itself: rewrite
            // every one of them, then fold.
            let s: String = picks.iter().map(|&k| CIRCLED_ALPHABET[k]).collect();
            let mut pre = String::new();
            for c in s.chars() {
                match c {
                    '\u{2460}'..='\u{2473}' => {
                        pre.push_str(&format!("【{}】", c as u32 - 0x2460 + 1));
                    }
                    '㊚' => pre.push_str("○男"),
                    '㊛' => pre.push_str("○女"),
                    _ => pre.push(c),
                }
            }
            proptest::prop_assert_eq!(fold_line_cow(&s), crate::normalize::fold(&pre));
        }
    }

    proptest::proptest! {
        #[test]
        fn unit_agrees_with_a_plain_search_of_the_table(
            picks in proptest::collection::vec(0..UNIT_ALPHABET.len(), 0..8)
        ) {
            // Every character of every unit, and a few others: prefixes, whole units and
            // units that start like another (`m` of `mL`/`ml`/`mg`, `回` of `回分`).
            let s: String = picks.iter().map(|&k| UNIT_ALPHABET[k]).collect();
            let plain = UNITS
                .iter()
                .find(|u| s.starts_with(**u) && **u != "回分")
                .map(|u| (&s[u.len()..], *u));
            proptest::prop_assert_eq!(unit(&s).ok(), plain);
        }

        #[test]
        fn decimals_from_bytes_equal_from_str(
            int in "[0-9]{1,20}",
            frac in proptest::option::of("[0-9]{1,12}")
        ) {
            let s = match &frac {
                Some(f) => format!("{int}.{f}"),
                None => int.clone(),
            };
            let want = Decimal::from_str(&s);
            let got = decimal_of(&s);
            proptest::prop_assert_eq!(got.is_ok(), want.is_ok(), "{}", s);
            if let (Ok(g), Ok(w)) = (got, want) {
                // Same value, same scale, same text (JSON writes the text).
                proptest::prop_assert_eq!(g, w);
                proptest::prop_assert_eq!(g.scale(), w.scale());
                proptest::prop_assert_eq!(g.to_string(), w.to_string());
            }
        }
    }

    #[test]
    fn any_char_by_bytes() {
        assert!(has_any_char("後発品変更不可", &['不', '希', '必']));
        assert!(has_any_char("A錠 患者希望", &['不', '希', '必']));
        assert!(!has_any_char("アムロジピン錠5mg 1錠", &['不', '希', '必']));
        assert!(!has_any_char("", &['不']));
        assert!(has_any_char("ab", &['b']));
        // After two- and four-byte characters, and at the very end of the text.
        assert!(has_any_char("é😀必", &['不', '希', '必']));
        assert!(!has_any_char("é😀ア", &['不', '希', '必']));
    }

    #[test]
    fn amounts() {
        let a = amount_token("5mL×2本").unwrap();
        assert_eq!(a.unit, "本");
        assert_eq!(a.package, Some((Decimal::from(5), "mL".to_string())));
        assert_eq!(amount_token("7錠(4錠-2錠-1錠)").unwrap().uneven.len(), 3);
        assert_eq!(
            amount_token("0.5g").unwrap().value,
            Decimal::from_str("0.5").unwrap()
        );
        assert!(amount_token("250mg錠").is_none());
        // Every unit of the table is found whole, after any unit it shares a first byte with.
        for u in UNITS.iter().filter(|u| **u != "回分") {
            assert_eq!(unit(&format!("{u}1")).ok(), Some(("1", *u)), "{u}");
        }
        assert!(unit("回分").is_err());
        assert_eq!(unit("mLx").ok(), Some(("x", "mL")));
    }
}

//! A fast reader for the common shape of page content streams, giving exactly what lopdf's
//! `Content::decode` gives, or `None` so that the caller asks lopdf.
//!
//! Why: lopdf parses content with nom combinators that try every operand kind in turn and
//! allocate as they go; on a one-page prescription that was a third of the second engine's
//! time. Real content streams use a small part of the grammar: numbers, names, strings,
//! arrays of numbers and strings (`TJ`), small property dictionaries (`BDC`) and operators.
//! This reader handles exactly that part with lopdf's own rules (which characters separate
//! tokens, how a number, a name, a string escape or a hex string is read, that trailing
//! operands without an operator are dropped) and gives up on anything else — comments,
//! inline images, `#` escapes in names, nested arrays, references, booleans, unusual
//! whitespace, stray delimiters — so that lopdf reads those streams as before. The test
//! `tests/pdf_samples.rs` compares both readers on every content stream of the samples.
//!
//! ```
//! use shohosen::pdf::content::decode;
//! let ops = decode(b"BT /F1 12 Tf [(A) -250 <0041>] TJ ET").unwrap();
//! assert_eq!(ops.len(), 4);
//! assert_eq!(ops[1].operator, "Tf");
//! assert!(decode(b"% a comment\nBT ET").is_none()); // lopdf's business
//! ```

use pdf_extract::content::Operation;
use pdf_extract::{Dictionary, Object, StringFormat};
use std::borrow::Cow;

use super::lex::{hex_at, is_regular, is_white, literal_at, number_at};

/// One content operation. The operator is borrowed from the stream when read here (one
/// allocation less per operation), owned when lopdf read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Op<'a> {
    pub operator: Cow<'a, str>,
    pub operands: Vec<Object>,
}

impl From<Operation> for Op<'_> {
    fn from(o: Operation) -> Self {
        Op {
            operator: Cow::Owned(o.operator),
            operands: o.operands,
        }
    }
}

/// The separators lopdf accepts between content tokens.
fn is_content_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_operator_char(c: u8) -> bool {
    c.is_ascii_alphabetic() || matches!(c, b'*' | b'\'' | b'"')
}

struct Reader<'a> {
    s: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn skip_content_space(&mut self) {
        while self.peek().is_some_and(is_content_space) {
            self.i += 1;
        }
    }

    fn number(&mut self) -> Option<Object> {
        let (o, next) = number_at(self.s, self.i)?;
        self.i = next;
        Some(o)
    }

    /// A name without `#` escapes (those go to lopdf).
    fn name(&mut self) -> Option<Vec<u8>> {
        debug_assert_eq!(self.peek(), Some(b'/'));
        let start = self.i + 1;
        let mut j = start;
        while let Some(&c) = self.s.get(j) {
            if c == b'#' {
                return None;
            }
            if !is_regular(c) {
                break;
            }
            j += 1;
        }
        self.i = j;
        Some(self.s[start..j].to_vec())
    }

    /// A literal string with lopdf's escapes and balanced nesting.
    fn literal(&mut self) -> Option<Vec<u8>> {
        debug_assert_eq!(self.peek(), Some(b'('));
        let (out, next) = literal_at(self.s, self.i)?;
        self.i = next;
        Some(out)
    }

    /// A hex string: digits with whitespace between, an odd last digit is the high nibble.
    fn hex(&mut self) -> Option<Vec<u8>> {
        debug_assert_eq!(self.peek(), Some(b'<'));
        let (out, next) = hex_at(self.s, self.i)?;
        self.i = next;
        Some(out)
    }

    /// An array of numbers and strings only (a `TJ` operand).
    fn array(&mut self) -> Option<Vec<Object>> {
        self.i += 1;
        let mut items = Vec::new();
        loop {
            // lopdf skips PDF whitespace and comments here; comments go to lopdf.
            while self.peek().is_some_and(is_white) {
                self.i += 1;
            }
            match self.peek()? {
                b']' => {
                    self.i += 1;
                    return Some(items);
                }
                b'(' => items.push(Object::String(self.literal()?, StringFormat::Literal)),
                b'<' if self.s.get(self.i + 1) != Some(&b'<') => {
                    items.push(Object::String(self.hex()?, StringFormat::Hexadecimal))
                }
                b'+' | b'-' | b'.' | b'0'..=b'9' => {
                    let n = self.number()?;
                    // "a b R" would be a reference in lopdf's grammar: leave it to lopdf.
                    if self.peek() == Some(b'R') {
                        return None;
                    }
                    items.push(n);
                }
                _ => return None,
            }
        }
    }

    /// A small dictionary (`/P <</MCID 3>> BDC`): name keys; number, name or string values.
    fn dictionary(&mut self) -> Option<Dictionary> {
        self.i += 2;
        let mut d = Dictionary::new();
        loop {
            while self.peek().is_some_and(is_white) {
                self.i += 1;
            }
            match self.peek()? {
                b'>' if self.s.get(self.i + 1) == Some(&b'>') => {
                    self.i += 2;
                    return Some(d);
                }
                b'/' => {}
                _ => return None,
            }
            let key = self.name()?;
            while self.peek().is_some_and(is_white) {
                self.i += 1;
            }
            let value = match self.peek()? {
                b'/' => Object::Name(self.name()?),
                b'(' => Object::String(self.literal()?, StringFormat::Literal),
                b'<' if self.s.get(self.i + 1) != Some(&b'<') => {
                    Object::String(self.hex()?, StringFormat::Hexadecimal)
                }
                b'+' | b'-' | b'.' | b'0'..=b'9' => {
                    let n = self.number()?;
                    // A following "g R" would make it a reference: leave it to lopdf.
                    if self.peek().is_some_and(|c| is_white(c) || c == b'R') {
                        let mut k = self.i;
                        while self.s.get(k).is_some_and(|&c| is_white(c)) {
                            k += 1;
                        }
                        if self
                            .s
                            .get(k)
                            .is_some_and(|c| c.is_ascii_digit() || *c == b'R')
                        {
                            return None;
                        }
                    }
                    n
                }
                _ => return None,
            };
            d.set(key, value);
        }
    }
}

/// The operations of a content stream, or `None` when it uses anything outside the
/// common part (the caller then decodes it with lopdf).
pub fn decode(s: &[u8]) -> Option<Vec<Op<'_>>> {
    decode_at(s).ok()
}

/// [`decode`], or the offset where the fast reader gave up.
fn decode_at(s: &[u8]) -> Result<Vec<Op<'_>>, usize> {
    let mut r = Reader { s, i: 0 };
    operations(&mut r).ok_or(r.i)
}

fn operations<'a>(r: &mut Reader<'a>) -> Option<Vec<Op<'a>>> {
    let s = r.s;
    let mut ops = Vec::new();
    let mut operands = Vec::new();
    r.skip_content_space();
    while let Some(c) = r.peek() {
        let operand = match c {
            b'/' => Object::Name(r.name()?),
            b'(' => Object::String(r.literal()?, StringFormat::Literal),
            b'<' if s.get(r.i + 1) == Some(&b'<') => Object::Dictionary(r.dictionary()?),
            b'<' => Object::String(r.hex()?, StringFormat::Hexadecimal),
            b'[' => Object::Array(r.array()?),
            b'+' | b'-' | b'.' | b'0'..=b'9' => r.number()?,
            c if is_operator_char(c) => {
                let start = r.i;
                while r.peek().is_some_and(is_operator_char) {
                    r.i += 1;
                }
                let op = &s[start..r.i];
                // Booleans, null and inline images have their own rules in lopdf.
                if op.starts_with(b"true")
                    || op.starts_with(b"false")
                    || op.starts_with(b"null")
                    || op.starts_with(b"BI")
                {
                    return None;
                }
                ops.push(Op {
                    operator: Cow::Borrowed(std::str::from_utf8(op).ok()?),
                    operands: std::mem::take(&mut operands),
                });
                r.skip_content_space();
                continue;
            }
            // Comments, NUL/form feed, stray delimiters: lopdf's business.
            _ => return None,
        };
        operands.push(operand);
        r.skip_content_space();
    }
    // Operands without an operator at the end: lopdf's reader stops before them.
    Some(ops)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pdf_extract::content::Content;

    /// Both readers on `s`: ours must give lopdf's operations whenever it answers.
    fn agree(s: &[u8]) -> bool {
        let Some(ours) = decode(s) else { return false };
        let theirs = Content::decode(s).expect("lopdf").operations;
        assert_eq!(ours.len(), theirs.len(), "{}", String::from_utf8_lossy(s));
        for (a, b) in ours.iter().zip(&theirs) {
            assert_eq!(a.operator, b.operator, "{}", String::from_utf8_lossy(s));
            assert_eq!(a.operands, b.operands, "{}", String::from_utf8_lossy(s));
        }
        true
    }

    #[test]
    fn tokens_read_as_lopdf_reads_them() {
        let cases: &[&[u8]] = &[
            b"",
            b"  q 1 0 0 1 72.5 -.5 cm Q",
            b"BT /F1 12 Tf 5. 0 Td (a\\(b\\)c) Tj ET",
            b"(nested (paren) here) Tj (oct \\101\\0627 \\x) Tj",
            b"(line\\\ncontinued\\\r\nand\rraw\nbreaks \\n\\r\\t\\b\\f) Tj",
            b"<48 65\n6c6C6f> Tj <414> Tj <> Tj",
            b"[(A) -250 <0041> 12.5 (B) +3] TJ",
            b"/P <</MCID 3 /Lang /ja>> BDC EMC",
            b"/Span<</MCID -1>>BDC EMC",
            b"/Span<</ActualText <FEFF65B9> /Alt (x)>> BDC EMC",
            b"0 0 1 rg 1 2 3 4 re f* T* (x) ' 1 2 (y) \"",
            b"12Tf/F2 9 Tf",
            b"1 2 3",
            b"d0 1 d1",
            b"-0 +7 -123456789012345678 1234567890123456789 -9223372036854775808 w",
            b"+.5 -3. 0.000001 -0.0 w",
        ];
        for c in cases {
            assert!(
                agree(c),
                "fast reader declined {}",
                String::from_utf8_lossy(c)
            );
        }
    }

    #[test]
    fn unusual_content_is_left_to_lopdf() {
        let cases: &[&[u8]] = &[
            b"% comment\nq Q",
            b"q % comment\nQ",
            b"BI /W 1 /H 1 ID x EI",
            b"/Na#6de Tf",
            b"[[1] 2] TJ",
            b"[1 0 R] TJ",
            b"<</A 1 0 R>> BDC",
            b"true false null x",
            b"q\x0cQ",
            b"q\0Q",
            b"(unterminated Tj",
            b"<4G> Tj",
            b"99999999999999999999 w",
            b"9223372036854775808 w",
            b"- 1 w",
            b". w",
            b"{ } q",
        ];
        for c in cases {
            assert!(decode(c).is_none(), "{}", String::from_utf8_lossy(c));
        }
    }

    /// Every content stream (pages and forms) of every sample PDF: ours agrees with lopdf
    /// wherever it answers, and answers for most of them.
    #[test]
    fn every_sample_stream_reads_as_lopdf_reads_it() {
        let files = super::super::lex::sample_pdfs();
        let (mut seen, mut fast) = (0, 0);
        for f in files {
            let bytes = std::fs::read(&f).expect("read");
            let Ok(doc) = pdf_extract::Document::load_mem(&bytes) else {
                continue;
            };
            let mut streams: Vec<Vec<u8>> = doc
                .get_pages()
                .values()
                .filter_map(|id| doc.get_page_content(*id).ok())
                .collect();
            for o in doc.objects.values() {
                if let Object::Stream(st) = o
                    && st.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form")
                    && let Ok(c) = st.decompressed_content()
                {
                    streams.push(c);
                }
            }
            for s in streams {
                if Content::decode(&s).is_err() {
                    continue;
                }
                seen += 1;
                if let Err(n) = decode_at(&s) {
                    eprintln!(
                        "DECLINED {} {:?}",
                        f.display(),
                        String::from_utf8_lossy(&s[n.saturating_sub(80)..(n + 20).min(s.len())])
                    );
                }
                if decode(&s).is_some() {
                    fast += 1;
                }
            }
        }
        assert!(seen >= 20, "only {seen} streams");
        assert!(
            fast * 10 >= seen * 9,
            "fast reader answered {fast} of {seen}"
        );
    }
}

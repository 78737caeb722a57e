//! A fast loader for the common shape of PDF files, giving exactly the `Document` lopdf's
//! `Document::load_mem` gives, or `None` so that the caller asks lopdf.
//!
//! Why: lopdf parses objects with nom combinators that try each object kind in turn, parse
//! every non-stream dictionary twice (first as a possible stream) and allocate per name
//! byte. Chromium writes one Type 3 font per few dozen glyphs, each with long /Widths,
//! /Differences and /CharProcs: loading was half of the extraction time on a one-page
//! Chromium prescription and two thirds on a large one.
//!
//! The common shape: `%PDF-` at byte 0, one classic cross-reference table with its trailer
//! (no /Prev, no /XRefStm, no /Encrypt), every object where the table says, no object
//! streams, stream lengths that hold. Objects are read with
//! lopdf's own grammar (the order in which it tries object kinds, its number, name, string
//! and reference rules); anything else — or any object lopdf would skip or read otherwise
//! — makes the whole load fall back to lopdf, so damaged and unusual files behave exactly
//! as before. The test below compares both loaders on every sample and corpus file.
//!
//! ```
//! let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/pdf/lo_odt_old.pdf")).unwrap();
//! let doc = shohosen::pdf::load::load(&bytes).unwrap();
//! assert_eq!(doc.get_pages().len(), 1);
//! ```

use pdf_extract::xref::{Xref, XrefEntry, XrefType};
use pdf_extract::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};

use super::lex::{MAX_DEPTH, hex_at, is_regular, is_white, literal_at, number_at};

/// Loads `buf`: the fast way when it has the common shape, lopdf's otherwise.
pub fn load(buf: &[u8]) -> Result<Document, pdf_extract::Error> {
    match fast_load(buf) {
        Some(doc) => Ok(doc),
        None => Document::load_mem(buf),
    }
}

struct P<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> P<'a> {
    fn at(s: &'a [u8], i: usize) -> Self {
        P { s, i }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn peek_at(&self, k: usize) -> Option<u8> {
        self.s.get(self.i + k).copied()
    }

    fn starts_with(&self, t: &[u8]) -> bool {
        self.s.get(self.i..).is_some_and(|r| r.starts_with(t))
    }

    /// lopdf's `space`: whitespace and comments (`%` to an end of line; a comment that
    /// runs to the end of the input is not one, and stays unread).
    fn space(&mut self) -> Option<()> {
        while let Some(c) = self.peek() {
            if c == b'%' {
                let Some(n) = self.s[self.i..]
                    .iter()
                    .position(|&b| b == b'\r' || b == b'\n')
                else {
                    break;
                };
                self.i += n;
                self.eol()?;
            } else if is_white(c) {
                self.i += 1;
            } else {
                break;
            }
        }
        Some(())
    }

    fn eol(&mut self) -> Option<()> {
        if self.starts_with(b"\r\n") {
            self.i += 2;
        } else if matches!(self.peek(), Some(b'\n' | b'\r')) {
            self.i += 1;
        } else {
            return None;
        }
        Some(())
    }

    fn digits(&mut self) -> &'a [u8] {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        &self.s[start..self.i]
    }

    /// Digits as an unsigned number of type `T` (`None` when empty or too large), as
    /// lopdf's `unsigned_int` (`T::from_str` on the digits).
    fn unsigned<T: TryFrom<u64>>(&mut self) -> Option<T> {
        let d = self.digits();
        if d.is_empty() || d.len() > 19 {
            return None;
        }
        let v = d.iter().fold(0u64, |a, &c| a * 10 + u64::from(c - b'0'));
        T::try_from(v).ok()
    }

    /// lopdf's `real` then `integer`.
    fn number(&mut self) -> Option<Object> {
        let (o, next) = number_at(self.s, self.i)?;
        self.i = next;
        Some(o)
    }

    /// `id gen R` with lopdf's `space` between the parts; `None` (position kept) when it
    /// is not one.
    fn reference(&mut self) -> Option<ObjectId> {
        let start = self.i;
        let r = (|| {
            let id: u32 = self.unsigned()?;
            self.space()?;
            let generation: u16 = self.unsigned()?;
            self.space()?;
            (self.peek() == Some(b'R')).then(|| {
                self.i += 1;
                (id, generation)
            })
        })();
        if r.is_none() {
            self.i = start;
        }
        r
    }

    /// A name with lopdf's `#xx` escapes.
    fn name(&mut self) -> Option<Vec<u8>> {
        self.i += 1; // '/'
        let start = self.i;
        let mut j = start;
        while self.s.get(j).is_some_and(|&c| is_regular(c) && c != b'#') {
            j += 1;
        }
        if self.s.get(j) != Some(&b'#') {
            self.i = j;
            return Some(self.s[start..j].to_vec());
        }
        let mut out = self.s[start..j].to_vec();
        self.i = j;
        while let Some(c) = self.peek() {
            if c == b'#' {
                let h = self.s.get(self.i + 1..self.i + 3)?;
                if !h.iter().all(u8::is_ascii_hexdigit) {
                    // lopdf ends the name here and then fails on '#': not ours to decide.
                    return None;
                }
                out.push(u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()?);
                self.i += 3;
            } else if is_regular(c) {
                out.push(c);
                self.i += 1;
            } else {
                break;
            }
        }
        Some(out)
    }

    /// A literal string with lopdf's escapes and balanced nesting.
    fn literal(&mut self) -> Option<Vec<u8>> {
        let (out, next) = literal_at(self.s, self.i)?;
        self.i = next;
        Some(out)
    }

    /// A hex string: digits with whitespace between, an odd last digit is the high nibble.
    fn hex(&mut self) -> Option<Vec<u8>> {
        let (out, next) = hex_at(self.s, self.i)?;
        self.i = next;
        Some(out)
    }

    /// `<< (name object)* >>`, at "<<".
    fn dictionary(&mut self, depth: usize) -> Option<Dictionary> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.i += 2;
        self.space()?;
        let mut d = Dictionary::new();
        loop {
            match self.peek()? {
                b'>' if self.peek_at(1) == Some(b'>') => {
                    self.i += 2;
                    return Some(d);
                }
                b'/' => {}
                _ => return None,
            }
            let key = self.name()?;
            self.space()?;
            let value = self.object(depth + 1)?;
            self.space()?;
            d.set(key, value);
        }
    }

    /// One direct object (lopdf's `_direct_objects`, in its order), without trailing space.
    fn object(&mut self, depth: usize) -> Option<Object> {
        match self.peek()? {
            b'n' if self.starts_with(b"null") => {
                self.i += 4;
                Some(Object::Null)
            }
            b't' if self.starts_with(b"true") => {
                self.i += 4;
                Some(Object::Boolean(true))
            }
            b'f' if self.starts_with(b"false") => {
                self.i += 5;
                Some(Object::Boolean(false))
            }
            b'0'..=b'9' => match self.reference() {
                Some(id) => Some(Object::Reference(id)),
                None => self.number(),
            },
            b'+' | b'-' | b'.' => self.number(),
            b'/' => Some(Object::Name(self.name()?)),
            b'(' => Some(Object::String(self.literal()?, StringFormat::Literal)),
            b'<' if self.peek_at(1) == Some(b'<') => {
                Some(Object::Dictionary(self.dictionary(depth)?))
            }
            b'<' => Some(Object::String(self.hex()?, StringFormat::Hexadecimal)),
            b'[' => {
                if depth > MAX_DEPTH {
                    return None;
                }
                self.i += 1;
                self.space()?;
                let mut items = Vec::new();
                while self.peek()? != b']' {
                    items.push(self.object(depth + 1)?);
                    self.space()?;
                }
                self.i += 1;
                Some(Object::Array(items))
            }
            _ => None,
        }
    }
}

/// The cross-reference table at `buf[at..]` and its trailer (lopdf's `xref` + `trailer`).
fn xref_and_trailer(buf: &[u8], at: usize) -> Option<(Xref, Dictionary)> {
    let mut p = P::at(buf, at);
    if !p.starts_with(b"xref") {
        return None;
    }
    p.i += 4;
    if p.peek() == Some(b' ') {
        p.i += 1;
    }
    p.eol()?;
    let mut xref = Xref::new(0, XrefType::CrossReferenceTable);
    let mut sections = 0;
    loop {
        // section header "start count" (count unused, as in lopdf)
        let save = p.i;
        let Some(start) = p.unsigned::<usize>() else {
            p.i = save;
            break;
        };
        if p.peek() != Some(b' ') {
            return None;
        }
        p.i += 1;
        p.unsigned::<u32>()?;
        if p.peek() == Some(b' ') {
            p.i += 1;
        }
        p.eol()?;
        sections += 1;
        let mut index = 0usize;
        loop {
            let save = p.i;
            let entry = (|| {
                let offset: u32 = p.unsigned()?;
                (p.peek() == Some(b' ')).then_some(())?;
                p.i += 1;
                let generation: u32 = p.unsigned()?;
                (p.peek() == Some(b' ')).then_some(())?;
                p.i += 1;
                let kind = p.peek()?;
                if kind != b'n' && kind != b'f' {
                    return None;
                }
                p.i += 1;
                if p.starts_with(b" \r") || p.starts_with(b" \n") || p.starts_with(b"\r\n") {
                    p.i += 2;
                } else {
                    return None;
                }
                Some((offset, generation, kind == b'n'))
            })();
            let Some((offset, generation, normal)) = entry else {
                p.i = save;
                break;
            };
            // As lopdf: free entries and generations beyond u16 are not inserted.
            if normal && let Ok(generation) = u16::try_from(generation) {
                xref.insert(
                    (start + index) as u32,
                    XrefEntry::Normal { offset, generation },
                );
            }
            index += 1;
        }
    }
    if sections == 0 {
        return None;
    }
    p.space()?;
    if !p.starts_with(b"trailer") {
        return None;
    }
    p.i += 7;
    p.space()?;
    if !p.starts_with(b"<<") {
        return None;
    }
    let trailer = p.dictionary(0)?;
    match trailer.get(b"Size") {
        Ok(Object::Integer(n)) => xref.size = *n as u32,
        _ => return None,
    }
    Some((xref, trailer))
}

/// lopdf's `get_xref_start`: `startxref N %%EOF` near the end.
fn xref_start(buf: &[u8]) -> Option<usize> {
    fn rfind(buf: &[u8], pat: &[u8], from: usize) -> Option<usize> {
        buf.get(from..)?
            .windows(pat.len())
            .rposition(|w| w == pat)
            .map(|p| from + p)
    }
    let seek = buf.len() - buf.len().min(512);
    let eof = rfind(buf, b"%%EOF", seek).filter(|&e| e > 25)?;
    let sx = rfind(&buf[..eof], b"startxref", eof - 25)?;
    let mut p = P::at(buf, sx + 9);
    if p.peek() == Some(b' ') {
        p.i += 1;
    }
    p.eol()?;
    while p.peek() == Some(b' ') {
        p.i += 1;
    }
    let n = match p.number()? {
        Object::Integer(n) if n >= 0 => n as usize,
        _ => return None,
    };
    while p.peek() == Some(b' ') {
        p.i += 1;
    }
    p.eol()?;
    p.starts_with(b"%%EOF").then_some(n)
}

/// The object at `offset` (`id gen obj … endobj`), as lopdf's `_indirect_object` reads it.
fn indirect(buf: &[u8], offset: usize, xref: &Xref, depth: u32) -> Option<(ObjectId, Object)> {
    let mut p = P::at(buf, offset);
    p.space()?;
    let id: u32 = p.unsigned()?;
    p.space()?;
    let generation: u16 = p.unsigned()?;
    p.space()?;
    if !p.starts_with(b"obj") {
        return None;
    }
    p.i += 3;
    p.space()?;
    let obj = p.object(0)?;
    let obj = match obj {
        Object::Dictionary(dict) => {
            p.space()?;
            if p.starts_with(b"stream") {
                p.i += 6;
                while matches!(p.peek(), Some(b' ' | b'\t')) {
                    p.i += 1;
                }
                p.eol()?;
                let length = match dict.get(b"Length").ok()? {
                    Object::Integer(n) => *n,
                    Object::Reference(r) if depth == 0 => {
                        let off = match xref.get(r.0)? {
                            XrefEntry::Normal { offset, .. } => *offset as usize,
                            _ => return None,
                        };
                        match indirect(buf, off, xref, depth + 1)? {
                            (got, Object::Integer(n)) if got == *r => n,
                            _ => return None,
                        }
                    }
                    _ => return None,
                };
                let length = usize::try_from(length).ok()?;
                let data = buf.get(p.i..p.i.checked_add(length)?)?;
                p.i += length;
                let _ = p.eol();
                if !p.starts_with(b"endstream") {
                    return None;
                }
                Object::Stream(Stream::new(dict, data.to_vec()))
            } else {
                Object::Dictionary(dict)
            }
        }
        other => other,
    };
    Some(((id, generation), obj))
}

/// The document the fast way, or `None` when `buf` is not of the common shape.
pub fn fast_load(buf: &[u8]) -> Option<Document> {
    if !buf.starts_with(b"%PDF-") {
        return None;
    }
    let mut p = P::at(buf, 5);
    let v_start = p.i;
    while p.peek().is_some_and(|c| c.is_ascii_digit() || c == b'.') {
        p.i += 1;
    }
    let version = String::from_utf8(buf[v_start..p.i].to_vec()).ok()?;
    while p.peek().is_some_and(|c| c != b'\r' && c != b'\n') {
        p.i += 1;
    }
    p.eol()?;
    let mut doc = Document::new();
    // lopdf's binary mark: the line after the first '\n', when it is a comment of high bytes.
    if let Some(nl) = buf.iter().position(|&b| b == b'\n') {
        let mut q = P::at(buf, nl + 1);
        if q.peek() == Some(b'%') {
            q.i += 1;
            let start = q.i;
            while q.peek().is_some_and(|c| c != b'\r' && c != b'\n') {
                q.i += 1;
            }
            let mark = buf[start..q.i].to_vec();
            if q.eol().is_some() && mark.iter().all(|&b| b >= 128) {
                doc.binary_mark = mark;
            }
        }
    }
    let start = xref_start(buf)?;
    if start > buf.len() {
        return None;
    }
    let (mut xref, trailer) = xref_and_trailer(buf, start)?;
    if trailer.has(b"Prev") || trailer.has(b"XRefStm") || trailer.has(b"Encrypt") {
        return None;
    }
    let count = xref
        .entries
        .keys()
        .max()
        .copied()
        .unwrap_or(0)
        .checked_add(1)?;
    if xref.size != count {
        xref.size = count;
    }
    doc.version = version;
    doc.xref_start = start;
    doc.max_id = xref.size.checked_sub(1)?;
    for (_, entry) in xref.entries.iter() {
        let XrefEntry::Normal { offset, .. } = entry else {
            return None;
        };
        let (id, obj) = indirect(buf, *offset as usize, &xref, 0)?;
        if let Object::Stream(s) = &obj
            && (s.dict.has_type(b"ObjStm") || s.content.is_empty())
        {
            return None;
        }
        doc.objects.insert(id, obj);
    }
    doc.trailer = trailer;
    doc.reference_table = xref;
    Some(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every sample and corpus PDF: the fast loader gives lopdf's document whenever it
    /// answers, and answers for the producers of the common shape.
    #[test]
    fn every_sample_loads_as_lopdf_loads_it() {
        let files = super::super::lex::sample_pdfs();
        let mut fast = Vec::new();
        for f in &files {
            let bytes = std::fs::read(f).expect("read");
            let Some(ours) = fast_load(&bytes) else {
                eprintln!("lopdf loads {}", f.display());
                continue;
            };
            let theirs = Document::load_mem(&bytes).expect("lopdf loads what we load");
            let name = f.display().to_string();
            assert_eq!(ours.version, theirs.version, "{name}");
            assert_eq!(ours.binary_mark, theirs.binary_mark, "{name}");
            assert_eq!(ours.xref_start, theirs.xref_start, "{name}");
            assert_eq!(ours.max_id, theirs.max_id, "{name}");
            assert_eq!(ours.trailer, theirs.trailer, "{name}");
            assert_eq!(
                format!("{:?}", ours.reference_table),
                format!("{:?}", theirs.reference_table),
                "{name}"
            );
            assert_eq!(ours.objects.len(), theirs.objects.len(), "{name}");
            for (id, o) in &theirs.objects {
                assert_eq!(ours.objects.get(id), Some(o), "{name} object {id:?}");
            }
            assert!(!ours.is_encrypted());
            fast.push(name);
        }
        // Chromium's files, the slowest to load with lopdf, must take the fast way.
        for producer in [
            "chromium_noto",
            "chromium_ipaex",
            "chromium_old",
            "chromium_two",
        ] {
            assert!(
                fast.iter().any(|f| f.contains(producer)),
                "{producer} not loaded the fast way: {fast:?}"
            );
        }
    }

    /// A PDF of `bodies` (object i+1 each) with a correct classic xref table.
    pub(super) fn pdf(bodies: &[&[u8]], trailer_extra: &str) -> Vec<u8> {
        let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::new();
        for (i, b) in bodies.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(b);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f\r\n", bodies.len() + 1).as_bytes(),
        );
        for o in offsets {
            out.extend_from_slice(format!("{o:010} 00000 n\r\n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R {trailer_extra}>>\nstartxref\n{xref}\n%%EOF\n",
                bodies.len() + 1
            )
            .as_bytes(),
        );
        out
    }

    fn same_as_lopdf(bytes: &[u8]) {
        let ours = fast_load(bytes).expect("fast loader answers");
        let theirs = Document::load_mem(bytes).expect("lopdf");
        assert_eq!(ours.trailer, theirs.trailer);
        assert_eq!(ours.objects, theirs.objects);
        assert_eq!(ours.max_id, theirs.max_id);
        assert_eq!(ours.binary_mark, theirs.binary_mark);
        assert_eq!(ours.version, theirs.version);
        assert_eq!(
            format!("{:?}", ours.reference_table),
            format!("{:?}", theirs.reference_table)
        );
    }

    #[test]
    fn tricky_tokens_load_as_lopdf_loads_them() {
        let bytes = pdf(
            &[
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type/Pages/Kids[3 0 R]/Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.5 -.5] /Contents 4 0 R \
                  /A#20B (esc \\( \\) \\101\\7 \\q (nest) \\\n x) /H <4 1f 4> \
                  /N [nulltrue false null] /R [1 % comment\n 0 R 5 0R] /D 1 /D 2 \
                  /Num [+3 -.25 7. 0.0 -0] >>",
                b"<< /Length 5 0 R >>\nstream\nq Q\nendstream",
                b"3",
                b"% a comment before the object\n(just a string)",
            ],
            "/ID [<AB> <cd>] ",
        );
        same_as_lopdf(&bytes);
    }

    #[test]
    fn unusual_files_are_left_to_lopdf() {
        assert!(fast_load(b"").is_none());
        assert!(fast_load(b"%PDF-1.4\n").is_none());
        assert!(fast_load(b"garbage %PDF-1.4\n").is_none());
        // A stream whose /Length does not hold: lopdf reads it as a dictionary.
        let bad_length = pdf(
            &[
                b"<< /Type /Catalog >>",
                b"<< /Length 99 >>\nstream\nq Q\nendstream",
            ],
            "",
        );
        assert!(fast_load(&bad_length).is_none());
        // Encrypted and incrementally updated files.
        assert!(fast_load(&pdf(&[b"<< /Type /Catalog >>"], "/Encrypt 1 0 R ")).is_none());
        assert!(fast_load(&pdf(&[b"<< /Type /Catalog >>"], "/Prev 9 ")).is_none());
        // A name with a bad # escape, a stray delimiter.
        assert!(fast_load(&pdf(&[b"<< /A#G1 1 >>"], "")).is_none());
        assert!(fast_load(&pdf(&[b"<< /A { >>"], "")).is_none());
    }
}

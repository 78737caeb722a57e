//! The second engine: our own content-stream reader for the fonts pdf-extract cannot decode
//! (see [`super::fonts`]): composite fonts with a predefined CMap and no ToUnicode.
//!
//! Why our own and not `oxidize-pdf` (=5.5.6, MIT, which reads these files): it is a 17 MB
//! crate with some forty dependencies (image, crypto, XML, …) and a fast-moving API, and a
//! second full parse of the document. What these fonts need is small: the CMap *name* already
//! says how codes map to Unicode — UniJIS-UCS2/UTF16 codes ARE UTF-16 code units,
//! *-RKSJ-* codes are Shift_JIS (decoded by `encoding_rs`), *EUC-* codes are EUC-JP and the
//! plain JIS `H`/`V` CMaps are ISO-2022 row/cell bytes — and positions come from the text
//! operators of the content stream we walk with lopdf on the document that is already parsed.
//! Simple fonts and ToUnicode fonts in the same document are decoded through lopdf's own
//! encoding support. Identity-encoded Adobe-Japan1 fonts without ToUnicode (pTeX/dvipdfmx)
//! decode their CIDs through Adobe's Adobe-Japan1-UCS2 table ([`super::japan1`]). Codes that
//! decode to nothing come out as U+FFFD, which the quality gate turns into an `unreadable`
//! error instead of text with holes.
//!
//! It is also the first engine for every document whose fonts both engines decode from the
//! dictionaries alone (Type 3, ToUnicode, named encodings) — same lines as pdf-extract there,
//! several times faster — and the fallback whenever pdf-extract fails; see
//! [`super::engine_order`].
//!
//! Characters are kept as the codes say (`－` stays U+FF0D, `ｍｇ` stays full-width): no
//! normalization happens here.
//!
//! ```
//! use shohosen::pdf::second::{CMapKind, decode_predefined};
//! let k = CMapKind::from_name("90ms-RKSJ-H");
//! let (chars, _) = decode_predefined(k, b"\x8f\x88\x95\xfb12");
//! assert_eq!(chars.iter().map(|c| c.0.as_str()).collect::<String>(), "処方12");
//! ```

use super::fonts::page_resources;
use super::glyphs::{Glyph, PageInfo, RuleSink};
use crate::error::{ErrorKind, ReadError};
use pdf_extract::content::Content;
use pdf_extract::{Dictionary, Document, Encoding, Object};
use std::collections::HashMap;
use unicode_width::UnicodeWidthStr;

/// How the codes of a composite font map to characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CMapKind {
    /// Identity-H/V: 2-byte CIDs; characters only through ToUnicode.
    Identity,
    /// Uni*-UCS2-*: 2-byte UCS-2 codes.
    Ucs2,
    /// Uni*-UTF16-*: UTF-16BE, 2 or 4 bytes.
    Utf16,
    /// *-RKSJ-*: Shift_JIS, 1 or 2 bytes.
    Rksj,
    /// *EUC-*: EUC-JP.
    Euc,
    /// H / V (and 78-H …): 2-byte ISO-2022-JP row/cell codes.
    Jis,
    /// Anything else: not decodable here.
    Unknown,
}

impl CMapKind {
    /// Classifies a predefined CMap by its name.
    pub fn from_name(n: &str) -> Self {
        if n.starts_with("Identity") {
            CMapKind::Identity
        } else if n.contains("UCS2") {
            CMapKind::Ucs2
        } else if n.contains("UTF16") {
            CMapKind::Utf16
        } else if n.contains("RKSJ") {
            CMapKind::Rksj
        } else if n.contains("EUC") {
            CMapKind::Euc
        } else if matches!(n, "H" | "V" | "78-H" | "78-V") {
            CMapKind::Jis
        } else {
            CMapKind::Unknown
        }
    }
}

/// Splits a string of a predefined-CMap font into (text, code bytes) per character and
/// returns them with the number of bytes consumed.
pub fn decode_predefined(kind: CMapKind, s: &[u8]) -> (Vec<(String, usize)>, usize) {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let b = s[i];
        let n = match kind {
            CMapKind::Rksj => {
                if matches!(b, 0x81..=0x9F | 0xE0..=0xFC) {
                    2
                } else {
                    1
                }
            }
            CMapKind::Euc => match b {
                0x8F => 3,
                0x8E | 0xA1..=0xFE => 2,
                _ => 1,
            },
            CMapKind::Utf16 if matches!(b, 0xD8..=0xDB) => 4,
            _ => 2,
        };
        let n = n.min(s.len() - i);
        let code = &s[i..i + n];
        let text = match kind {
            CMapKind::Ucs2 | CMapKind::Utf16 => encoding_rs::UTF_16BE
                .decode_without_bom_handling(code)
                .0
                .into_owned(),
            CMapKind::Rksj => encoding_rs::SHIFT_JIS
                .decode_without_bom_handling(code)
                .0
                .into_owned(),
            CMapKind::Euc => encoding_rs::EUC_JP
                .decode_without_bom_handling(code)
                .0
                .into_owned(),
            CMapKind::Jis => {
                let euc: Vec<u8> = code.iter().map(|b| b | 0x80).collect();
                encoding_rs::EUC_JP
                    .decode_without_bom_handling(&euc)
                    .0
                    .into_owned()
            }
            CMapKind::Identity | CMapKind::Unknown => "\u{FFFD}".to_string(),
        };
        out.push((text, n));
        i += n;
    }
    (out, i)
}

/// Text already decoded per code of one font: a code's text depends on the font alone, and
/// lopdf's decoders are slow per call (a ToUnicode lookup builds and converts a UTF-16
/// buffer each time), while a prescription repeats the same few hundred codes.
type Memo = std::cell::RefCell<HashMap<u32, String>>;

/// `text` of the code `key` from the memo, computed by `f` the first time.
fn memoized(memo: &Memo, key: u32, f: impl FnOnce() -> String) -> String {
    if let Some(t) = memo.borrow().get(&key) {
        return t.clone();
    }
    let t = f();
    memo.borrow_mut().insert(key, t.clone());
    t
}

/// A font as the second engine decodes it.
enum Font<'a> {
    Composite {
        kind: CMapKind,
        /// lopdf's decoder for the font's ToUnicode, when it has one.
        to_unicode: Option<Encoding<'a>>,
        widths: Widths,
        default_width: f32,
        /// An Adobe-Japan1 font: CIDs decode through the Adobe table when ToUnicode is absent.
        japan1: bool,
        /// Decoded text per code (key: code | byte count << 16).
        memo: Memo,
    },
    Simple {
        encoding: Option<Encoding<'a>>,
        widths: Widths,
        default_width: f32,
        /// Type 3: glyph space → text space scale.
        scale: f32,
        /// Decoded text per one-byte code.
        memo: Memo,
    },
}

fn num(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r as f64),
        _ => None,
    }
}

/// The /W array of a CID font: `c [w1 w2 …]` and `c_first c_last w`.
fn cid_widths(doc: &Document, cid: &Dictionary) -> Widths {
    let mut out = Vec::new();
    let Ok(w) = cid.get_deref(b"W", doc).and_then(Object::as_array) else {
        return Widths::default();
    };
    let mut i = 0;
    while i < w.len() && out.len() < 70_000 {
        let Some(first) = num(&w[i]) else { break };
        match w.get(i + 1).map(|o| doc.dereference(o).map(|x| x.1)) {
            Some(Ok(Object::Array(ws))) => {
                for (k, wv) in ws.iter().enumerate() {
                    if let Some(v) = num(wv) {
                        out.push((first as u32 + k as u32, v as f32));
                    }
                }
                i += 2;
            }
            Some(Ok(last)) => {
                let (Some(last), Some(v)) = (num(last), w.get(i + 2).and_then(num)) else {
                    break;
                };
                let (a, b) = (first as u32, (last as u32).min(first as u32 + 70_000));
                out.extend((a..=b).map(|c| (c, v as f32)));
                i += 3;
            }
            _ => break,
        }
    }
    Widths::from_pairs(out)
}

/// Glyph widths by code (from /Widths or /W): (code, width) sorted by code, the later of two
/// entries for one code winning as in the PDF's own order, looked up by binary search.
/// A HashMap cost about 430 instructions per entry to build (SipHash and growth), and a
/// Chromium page carries dozens of Type 3 fonts of up to 256 widths each.
#[derive(Default)]
struct Widths(Vec<(u32, f32)>);

impl Widths {
    fn from_pairs(mut pairs: Vec<(u32, f32)>) -> Widths {
        // Stable: entries for one code stay in the PDF's order, so the last one is kept.
        pairs.sort_by_key(|p| p.0);
        let mut out: Vec<(u32, f32)> = Vec::with_capacity(pairs.len());
        for p in pairs {
            match out.last_mut() {
                Some(last) if last.0 == p.0 => *last = p,
                _ => out.push(p),
            }
        }
        Widths(out)
    }

    fn get(&self, code: u32) -> Option<f32> {
        let i = self.0.binary_search_by_key(&code, |p| p.0).ok()?;
        self.0.get(i).map(|p| p.1)
    }
}

/// lopdf's decoder built from the font's ToUnicode map alone (lopdf does not know predefined
/// CMaps or Identity-H, and would prefer /Encoding), through a two-entry stand-in dictionary:
/// cloning the whole font dictionary instead copied every Type 3 font's /Widths, /CharProcs
/// and /Differences (a fifth of the second engine's time on Chromium's 88-font pages).
fn to_unicode_decoder<'a>(doc: &'a Document, font: &'a Dictionary) -> Option<Encoding<'a>> {
    let to_unicode = font.get(b"ToUnicode").ok()?;
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"Font".to_vec()));
    d.set("ToUnicode", to_unicode.clone());
    // The decoder borrows the dictionary; leak-free alternative is to keep it alive in the
    // font cache, but Encoding::UnicodeMapEncoding owns its map, so no borrow remains.
    match d.get_font_encoding(doc).ok()? {
        Encoding::UnicodeMapEncoding(m) => Some(Encoding::UnicodeMapEncoding(m)),
        _ => None,
    }
}

impl<'a> Font<'a> {
    fn load(doc: &'a Document, font: &'a Dictionary) -> Font<'a> {
        let subtype = font
            .get_deref(b"Subtype", doc)
            .and_then(Object::as_name)
            .unwrap_or(b"");
        if subtype == b"Type0" {
            let kind = match font.get_deref(b"Encoding", doc) {
                Ok(Object::Name(n)) => CMapKind::from_name(&String::from_utf8_lossy(n)),
                _ => CMapKind::Identity,
            };
            let cid = font
                .get_deref(b"DescendantFonts", doc)
                .and_then(Object::as_array)
                .ok()
                .and_then(|a| a.first())
                .and_then(|o| doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_dict().ok());
            let (widths, dw) = match cid {
                Some(c) => (
                    cid_widths(doc, c),
                    c.get_deref(b"DW", doc).ok().and_then(num).unwrap_or(1000.0) as f32,
                ),
                None => (Widths::default(), 1000.0),
            };
            return Font::Composite {
                kind,
                to_unicode: to_unicode_decoder(doc, font),
                widths,
                default_width: dw,
                japan1: cid.and_then(|c| super::fonts::ordering(doc, c)).as_deref()
                    == Some("Japan1"),
                memo: Memo::default(),
            };
        }
        let first = font
            .get_deref(b"FirstChar", doc)
            .ok()
            .and_then(num)
            .unwrap_or(0.0) as u32;
        let mut widths = Vec::new();
        if let Ok(ws) = font.get_deref(b"Widths", doc).and_then(Object::as_array) {
            for (k, w) in ws.iter().take(256).enumerate() {
                if let Some(v) = doc.dereference(w).ok().and_then(|(_, o)| num(o)) {
                    widths.push((first + k as u32, v as f32));
                }
            }
        }
        let widths = Widths::from_pairs(widths);
        let scale = if subtype == b"Type3" {
            font.get_deref(b"FontMatrix", doc)
                .and_then(Object::as_array)
                .ok()
                .and_then(|m| m.first().and_then(num))
                .map(|a| (a * 1000.0) as f32)
                .unwrap_or(1.0)
        } else {
            1.0
        };
        Font::Simple {
            // ToUnicode first: lopdf would prefer /Encoding (a Type 3 font's Differences
            // name glyphs, not characters).
            encoding: to_unicode_decoder(doc, font).or_else(|| font.get_font_encoding(doc).ok()),
            widths,
            // Standard-14 fonts often come without /Widths: an average Latin advance.
            default_width: 556.0,
            scale,
            memo: Memo::default(),
        }
    }

    /// (text, advance in text-space ems, is a single-byte code 32) for each code of `s`.
    fn decode(&self, s: &[u8]) -> Vec<(String, f32, bool)> {
        match self {
            Font::Simple {
                encoding,
                widths,
                default_width,
                scale,
                memo,
            } => s
                .iter()
                .map(|&b| {
                    let text = memoized(memo, u32::from(b), || {
                        encoding
                            .as_ref()
                            .and_then(|e| e.bytes_to_string(&[b]).ok())
                            .unwrap_or_else(|| {
                                if (0x20..0x7F).contains(&b) {
                                    (b as char).to_string()
                                } else {
                                    "\u{FFFD}".to_string()
                                }
                            })
                    });
                    let w = widths.get(u32::from(b)).unwrap_or(*default_width);
                    (text, w * scale / 1000.0, b == 32)
                })
                .collect(),
            Font::Composite {
                kind,
                to_unicode,
                widths,
                default_width,
                japan1,
                memo,
            } => {
                if *kind == CMapKind::Identity {
                    return s
                        .chunks(2)
                        .map(|c| {
                            let cid = c.iter().fold(0u32, |a, &b| a * 256 + b as u32);
                            let key = cid | (c.len() as u32) << 16;
                            let text = memoized(memo, key, || {
                                match to_unicode {
                                    Some(e) => e.bytes_to_string(c).ok(),
                                    None if *japan1 => super::japan1::cid_to_unicode(cid),
                                    None => None,
                                }
                                .unwrap_or_else(|| "\u{FFFD}".to_string())
                            });
                            let w = widths.get(cid).unwrap_or(*default_width);
                            (text, w / 1000.0, false)
                        })
                        .collect();
                }
                let (chars, _) = decode_predefined(*kind, s);
                chars
                    .into_iter()
                    .map(|(text, n)| {
                        // The CID behind a predefined-CMap code is not known without the
                        // CMap file, so the advance comes from the character's own width:
                        // half-width forms are 1/2 em in these fonts, the rest 1 em.
                        let w = if text.width() <= 1 { 0.5 } else { 1.0 };
                        let space = n == 1 && text == " ";
                        (text, w, space)
                    })
                    .collect()
            }
        }
    }
}

type M = [f64; 6];
/// A path segment or rectangle in page space: (a, b, is_rect).
type PathPart = ((f64, f64), (f64, f64), bool);
const ID: M = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a` then `b` (row-vector convention of the PDF spec: a × b).
fn mul(a: &M, b: &M) -> M {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn apply(m: &M, x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

#[derive(Clone)]
struct State {
    ctm: M,
    font: Option<Vec<u8>>,
    size: f64,
    char_spacing: f64,
    word_spacing: f64,
    hscale: f64,
    leading: f64,
    rise: f64,
}

/// Every font loaded so far in a document, by the address of its dictionary (borrowed from
/// the document, so stable): a multi-page file or a form reuses its fonts without building
/// their widths and ToUnicode maps again.
#[derive(Default)]
struct FontCache<'a> {
    fonts: Vec<Font<'a>>,
    by_dict: HashMap<*const Dictionary, usize>,
}

impl<'a> FontCache<'a> {
    fn index_of(&mut self, doc: &'a Document, fd: &'a Dictionary) -> usize {
        *self
            .by_dict
            .entry(fd as *const Dictionary)
            .or_insert_with(|| {
                self.fonts.push(Font::load(doc, fd));
                self.fonts.len() - 1
            })
    }
}

struct Walker<'a, 'g> {
    doc: &'a Document,
    fonts: &'g mut FontCache<'a>,
    glyphs: &'g mut Vec<Glyph>,
    rules: &'g mut RuleSink,
    page: u32,
    top: f64,
    left: f64,
    limit: usize,
    /// Operations walked, against hostile content that loops through forms.
    budget: usize,
}

fn nums(ops: &[Object]) -> Vec<f64> {
    ops.iter().filter_map(num).collect()
}

impl<'a> Walker<'a, '_> {
    fn walk(
        &mut self,
        content: &[u8],
        res: Option<&'a Dictionary>,
        base: M,
        depth: u32,
    ) -> Result<(), ReadError> {
        // The fast reader for the common shape of content, lopdf's for everything else.
        let ops = match super::content::decode(content) {
            Some(ops) => ops,
            None => Content::decode(content)
                .map_err(|e| {
                    ReadError::new(ErrorKind::Unreadable, format!("damaged PDF content: {e}"))
                })?
                .operations
                .into_iter()
                .map(super::content::Op::from)
                .collect(),
        };
        // Resource name → index in the document's font cache.
        let mut fonts: HashMap<Vec<u8>, Option<usize>> = HashMap::new();
        let mut st = State {
            ctm: base,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            hscale: 1.0,
            leading: 0.0,
            rise: 0.0,
        };
        let mut stack: Vec<State> = Vec::new();
        let (mut tm, mut tlm) = (ID, ID);
        let mut path_cur: Option<(f64, f64)> = None;
        let mut path_start: Option<(f64, f64)> = None;
        let mut path: Vec<PathPart> = Vec::new();
        for op in &ops {
            if self.budget == 0 {
                return Err(ReadError::new(
                    ErrorKind::TooLarge,
                    "PDF content too large to read (operation limit)",
                ));
            }
            self.budget -= 1;
            let o = &op.operands;
            match op.operator.as_ref() {
                "q" if stack.len() < 64 => stack.push(st.clone()),
                "Q" => {
                    if let Some(s) = stack.pop() {
                        st = s;
                    }
                }
                "cm" => {
                    let n = nums(o);
                    if n.len() == 6 {
                        st.ctm = mul(&[n[0], n[1], n[2], n[3], n[4], n[5]], &st.ctm);
                    }
                }
                "BT" => {
                    tm = ID;
                    tlm = ID;
                }
                "Tf" => {
                    if let (Some(Object::Name(n)), Some(sz)) = (o.first(), o.get(1).and_then(num)) {
                        st.font = Some(n.clone());
                        st.size = sz;
                    }
                }
                "Tc" => st.char_spacing = o.first().and_then(num).unwrap_or(0.0),
                "Tw" => st.word_spacing = o.first().and_then(num).unwrap_or(0.0),
                "Tz" => st.hscale = o.first().and_then(num).unwrap_or(100.0) / 100.0,
                "TL" => st.leading = o.first().and_then(num).unwrap_or(0.0),
                "Ts" => st.rise = o.first().and_then(num).unwrap_or(0.0),
                "Td" | "TD" => {
                    let n = nums(o);
                    if n.len() == 2 {
                        if op.operator == "TD" {
                            st.leading = -n[1];
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, n[0], n[1]], &tlm);
                        tm = tlm;
                    }
                }
                "Tm" => {
                    let n = nums(o);
                    if n.len() == 6 {
                        tlm = [n[0], n[1], n[2], n[3], n[4], n[5]];
                        tm = tlm;
                    }
                }
                "T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -st.leading], &tlm);
                    tm = tlm;
                }
                "Tj" | "'" | "\"" | "TJ" => {
                    if op.operator == "'" || op.operator == "\"" {
                        if op.operator == "\"" && o.len() == 3 {
                            st.word_spacing = num(&o[0]).unwrap_or(0.0);
                            st.char_spacing = num(&o[1]).unwrap_or(0.0);
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -st.leading], &tlm);
                        tm = tlm;
                    }
                    let Some(fname) = st.font.clone() else {
                        continue;
                    };
                    if !fonts.contains_key(&fname) {
                        let f = res
                            .and_then(|r| r.get_deref(b"Font", self.doc).ok())
                            .and_then(|f| f.as_dict().ok())
                            .and_then(|f| f.get_deref(&fname, self.doc).ok())
                            .and_then(|f| f.as_dict().ok())
                            .map(|fd| self.fonts.index_of(self.doc, fd));
                        fonts.insert(fname.clone(), f);
                    }
                    let Some(Some(i)) = fonts.get(&fname).copied() else {
                        continue;
                    };
                    let font = &self.fonts.fonts[i];
                    let items: Vec<&Object> = if op.operator == "TJ" {
                        match o.first() {
                            Some(Object::Array(a)) => a.iter().collect(),
                            _ => Vec::new(),
                        }
                    } else {
                        o.last().into_iter().collect()
                    };
                    for item in items {
                        match item {
                            Object::String(bytes, _) => {
                                for (text, w0, is_space) in font.decode(bytes) {
                                    let trm = mul(
                                        &mul(
                                            &[st.size * st.hscale, 0.0, 0.0, st.size, 0.0, st.rise],
                                            &tm,
                                        ),
                                        &st.ctm,
                                    );
                                    let tmc = mul(&tm, &st.ctm);
                                    let em =
                                        super::glyphs::matrix_scale(tmc[0], tmc[1], tmc[2], tmc[3])
                                            * st.size;
                                    let xscale = (tmc[0] * tmc[0] + tmc[1] * tmc[1]).sqrt();
                                    let mut tx = w0 as f64 * st.size + st.char_spacing;
                                    if is_space {
                                        tx += st.word_spacing;
                                    }
                                    tx *= st.hscale;
                                    if self.glyphs.len() < self.limit {
                                        let (x, y) = (trm[4] - self.left, self.top - trm[5]);
                                        if x.is_finite() && y.is_finite() && em.is_finite() {
                                            self.glyphs.push(Glyph {
                                                page: self.page,
                                                x: x as f32,
                                                y: y as f32,
                                                w: (w0 as f64 * st.size * st.hscale * xscale)
                                                    as f32,
                                                size: em.abs() as f32,
                                                text,
                                            });
                                        }
                                    }
                                    tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                                }
                            }
                            other => {
                                if let Some(adj) = num(other) {
                                    let tx = -adj / 1000.0 * st.size * st.hscale;
                                    tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                                }
                            }
                        }
                    }
                }
                "Do" if depth < 8 => {
                    let Some(Object::Name(n)) = o.first() else {
                        continue;
                    };
                    let Some(stream) = res
                        .and_then(|r| r.get_deref(b"XObject", self.doc).ok())
                        .and_then(|x| x.as_dict().ok())
                        .and_then(|x| x.get_deref(n, self.doc).ok())
                        .and_then(|x| x.as_stream().ok())
                    else {
                        continue;
                    };
                    if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form") {
                        continue;
                    }
                    let m = stream
                        .dict
                        .get_deref(b"Matrix", self.doc)
                        .and_then(Object::as_array)
                        .ok()
                        .map(|a| a.iter().filter_map(num).collect::<Vec<_>>())
                        .filter(|v| v.len() == 6)
                        .map(|v| [v[0], v[1], v[2], v[3], v[4], v[5]])
                        .unwrap_or(ID);
                    let form_res = stream
                        .dict
                        .get_deref(b"Resources", self.doc)
                        .and_then(Object::as_dict)
                        .ok()
                        .or(res);
                    if let Ok(bytes) = stream
                        .decompressed_content()
                        .or_else(|_| Ok::<_, ()>(stream.content.clone()))
                    {
                        self.walk(&bytes, form_res, mul(&m, &st.ctm), depth + 1)?;
                    }
                }
                // Paths: only straight segments and rectangles matter (table rules).
                "m" => {
                    let n = nums(o);
                    if n.len() == 2 {
                        path_cur = Some(apply(&st.ctm, n[0], n[1]));
                        path_start = path_cur;
                    }
                }
                "l" => {
                    let n = nums(o);
                    if n.len() == 2 {
                        let p = apply(&st.ctm, n[0], n[1]);
                        if let Some(c) = path_cur {
                            path.push((c, p, false));
                        }
                        path_cur = Some(p);
                    }
                }
                "c" | "v" | "y" => {
                    let n = nums(o);
                    if n.len() >= 2 {
                        path_cur = Some(apply(&st.ctm, n[n.len() - 2], n[n.len() - 1]));
                    }
                }
                "h" => {
                    if let (Some(c), Some(s)) = (path_cur, path_start) {
                        path.push((c, s, false));
                    }
                    path_cur = path_start;
                }
                "re" => {
                    let n = nums(o);
                    if n.len() == 4 {
                        let a = apply(&st.ctm, n[0], n[1]);
                        let b = apply(&st.ctm, n[0] + n[2], n[1] + n[3]);
                        path.push((a, b, true));
                    }
                }
                "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                    for (a, b, is_rect) in path.drain(..) {
                        if is_rect {
                            self.rules.rect(a, b);
                        } else {
                            self.rules.segment(a, b);
                        }
                    }
                    path_cur = None;
                }
                "n" => {
                    path.clear();
                    path_cur = None;
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// Most content-stream operations walked per file.
const MAX_OPS: usize = 5_000_000;

/// Glyphs and rules of every page, decoded by the second engine.
pub fn extract(
    doc: &Document,
    limit: usize,
) -> Result<(Vec<Glyph>, Vec<PageInfo>, RuleSink), ReadError> {
    let mut glyphs = Vec::new();
    let mut pages = Vec::new();
    let mut rules = RuleSink::default();
    let mut budget = MAX_OPS;
    let mut fonts = FontCache::default();
    for (num_, id) in doc.get_pages() {
        let page = doc
            .get_dictionary(id)
            .map_err(|e| ReadError::new(ErrorKind::Unreadable, format!("damaged PDF page: {e}")))?;
        let mb = media_box(doc, page);
        pages.push(PageInfo {
            height: (mb[3] - mb[1]).abs() as f32,
        });
        let (top, left) = (mb[3].max(mb[1]), mb[0].min(mb[2]));
        rules.page = num_;
        rules.top = top;
        rules.left = left;
        let content = doc.get_page_content(id).unwrap_or_default();
        let mut w = Walker {
            doc,
            fonts: &mut fonts,
            glyphs: &mut glyphs,
            rules: &mut rules,
            page: num_,
            top,
            left,
            limit,
            budget,
        };
        w.walk(&content, page_resources(doc, page), ID, 0)?;
        budget = w.budget;
    }
    Ok((glyphs, pages, rules))
}

/// The page's MediaBox (inherited), A4 when missing or broken.
pub fn media_box(doc: &Document, page: &Dictionary) -> [f64; 4] {
    let mut node = page;
    for _ in 0..32 {
        if let Ok(a) = node.get_deref(b"MediaBox", doc).and_then(Object::as_array) {
            let v: Vec<f64> = a
                .iter()
                .filter_map(|o| doc.dereference(o).ok().and_then(|(_, o)| num(o)))
                .collect();
            if v.len() == 4 {
                return [v[0], v[1], v[2], v[3]];
            }
        }
        match node.get_deref(b"Parent", doc).and_then(Object::as_dict) {
            Ok(p) => node = p,
            Err(_) => break,
        }
    }
    [0.0, 0.0, 595.0, 842.0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_are_found_and_the_later_entry_wins() {
        let w = Widths::from_pairs(vec![
            (40, 1.0),
            (32, 250.0),
            (33, 300.0),
            (40, 2.0),
            (7, 9.0),
        ]);
        assert_eq!(w.get(32), Some(250.0));
        assert_eq!(w.get(40), Some(2.0));
        assert_eq!(w.get(7), Some(9.0));
        assert_eq!(w.get(34), None);
        assert_eq!(Widths::default().get(0), None);
        // a /W array with both forms: `c [w…]` and `first last w`, the range overriding
        let mut doc = Document::with_version("1.5");
        let mut cid = Dictionary::new();
        cid.set(
            "W",
            vec![
                Object::Integer(1),
                Object::Array(vec![Object::Integer(500), Object::Real(600.0)]),
                Object::Integer(2),
                Object::Integer(4),
                Object::Integer(1000),
            ],
        );
        doc.add_object(Object::Dictionary(cid.clone()));
        let w = cid_widths(&doc, &cid);
        assert_eq!(
            (w.get(1), w.get(2), w.get(4), w.get(5)),
            (Some(500.0), Some(1000.0), Some(1000.0), None)
        );
    }

    #[test]
    fn ucs2_codes_are_utf16() {
        let (c, n) = decode_predefined(CMapKind::Ucs2, &[0x51, 0xe6, 0x65, 0xb9, 0x00, 0x31]);
        assert_eq!(n, 6);
        let s: Vec<&str> = c.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(s, ["処", "方", "1"]);
    }

    #[test]
    fn rksj_mixes_one_and_two_byte_codes() {
        // 箋 is a JIS level-2 kanji (E2B3); ｱ is a one-byte half-width katakana (B1).
        let (c, _) = decode_predefined(CMapKind::Rksj, b"\xe2\xb3A\xb1\x81\x7c");
        let s: Vec<&str> = c.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(s, ["箋", "A", "ｱ", "－"]);
    }

    #[test]
    fn truncated_code_does_not_panic() {
        let (c, n) = decode_predefined(CMapKind::Rksj, b"\x8f");
        assert_eq!(n, 1);
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn cmap_names() {
        assert_eq!(CMapKind::from_name("UniJIS-UCS2-H"), CMapKind::Ucs2);
        assert_eq!(CMapKind::from_name("UniJIS-UTF16-H"), CMapKind::Utf16);
        assert_eq!(CMapKind::from_name("90pv-RKSJ-H"), CMapKind::Rksj);
        assert_eq!(CMapKind::from_name("EUC-H"), CMapKind::Euc);
        assert_eq!(CMapKind::from_name("H"), CMapKind::Jis);
        assert_eq!(CMapKind::from_name("Identity-H"), CMapKind::Identity);
    }
}

//! Resource limits checked on a loaded document before any text is extracted: object count and
//! the inflated size of every stream the extractor may decompress.
//!
//! Why here and not in the libraries: lopdf inflates a stream whole (`decompressed_content`)
//! with no bound, so a few kilobytes of nested FlateDecode (a decompression bomb) become
//! gigabytes, and a content stream of millions of operators keeps pdf-extract busy for
//! minutes. Each stream is measured with a capped decoder first, which turns those files into a
//! `too_large` error in milliseconds; what inflated cleanly is kept, so the extractor does not
//! inflate it again. Font programs, glyph procedures and images are skipped (see
//! `unread_streams`): no extractor inflates them, and they are the large or numerous streams
//! of normal files. The
//! reader's child process also runs under an address-space limit (`isolate`) as a backstop.
//!
//! ```
//! use pdf_extract::{Document, Object, Stream, dictionary};
//! let mut doc = Document::with_version("1.4");
//! doc.add_object(Object::Stream(Stream::new(dictionary! {}, b"BT ET".to_vec())));
//! assert!(shohosen::pdf::limits::check(&mut doc).is_ok());
//! ```

use pdf_extract::{Document, Object, ObjectId, Stream};

use crate::error::{ErrorKind, ReadError};

/// The most bytes one stream may inflate to (a prescription page's content is well under 1 MB).
pub const MAX_STREAM_BYTES: u64 = 16 * 1024 * 1024;
/// The most bytes all checked streams together may inflate to.
pub const MAX_TOTAL_STREAM_BYTES: u64 = 64 * 1024 * 1024;
/// The most objects a document may hold (a one-page prescription has a few dozen).
pub const MAX_OBJECTS: usize = 500_000;
/// The most codes the ranges of one CMap (ToUnicode or an embedded encoding) may cover.
/// A two-byte CJK font needs at most 65,536; the readers expand ranges into tables, so a
/// range over four billion codes would take minutes and gigabytes.
pub const MAX_CMAP_CODES: u64 = 1 << 20;

/// Refuses a document over [`MAX_OBJECTS`] objects, or with a stream (other than a font program
/// or an image) that inflates past [`MAX_STREAM_BYTES`], or streams that together inflate past
/// [`MAX_TOTAL_STREAM_BYTES`]. Streams that passed and inflated cleanly are left inflated in
/// `doc` (same bytes as lopdf's `decompressed_content`), so that nothing inflates them twice.
pub fn check(doc: &mut Document) -> Result<(), ReadError> {
    if doc.objects.len() > MAX_OBJECTS {
        return Err(too_large(format!(
            "the PDF has {} objects; the limit is {MAX_OBJECTS}",
            doc.objects.len()
        )));
    }
    let mut total = 0u64;
    let mut inflater = Inflater::new();
    let unread = unread_streams(doc);
    for (id, obj) in doc.objects.iter_mut() {
        let Object::Stream(s) = obj else { continue };
        if skipped(s) || unread.binary_search(id).is_ok() {
            continue;
        }
        let measured = inflated(s, MAX_STREAM_BYTES, &mut inflater);
        let n = measured.len;
        if let Some(codes) = measured.cmap_scan(s).map(cmap_range_codes)
            && codes > MAX_CMAP_CODES
        {
            return Err(too_large(format!(
                "PDF object {} {} is a CMap whose ranges cover {codes} codes; the limit is \
                 {MAX_CMAP_CODES} (a font needs at most 65,536)",
                id.0, id.1
            )));
        }
        if n > MAX_STREAM_BYTES {
            return Err(too_large(format!(
                "PDF object {} {} inflates to more than {} MB (the limit for one stream; a \
                 decompression bomb or a flood of drawing operators)",
                id.0,
                id.1,
                MAX_STREAM_BYTES / (1024 * 1024)
            )));
        }
        total += n;
        if total > MAX_TOTAL_STREAM_BYTES {
            return Err(too_large(format!(
                "the PDF's streams inflate to more than {} MB together",
                MAX_TOTAL_STREAM_BYTES / (1024 * 1024)
            )));
        }
        // The bytes lopdf would inflate again for the extractor: keep them, so that every
        // stream is inflated once (for a Chromium page of hundreds of small streams the second
        // inflation was a quarter of the reading time). Only a clean inflation of a plain
        // FlateDecode chain is kept: lopdf's output for it is exactly these bytes, while for
        // a damaged stream it keeps a partial output that depends on its buffer sizes.
        if let Some(plain) = measured.clean {
            s.set_plain_content(plain);
        }
    }
    Ok(())
}

fn too_large(message: String) -> ReadError {
    ReadError::new(ErrorKind::TooLarge, message)
}

/// Streams the text extractor never inflates: images, TrueType programs (`FontFile2`: a
/// `Length1` without `Length2`) and CID-keyed CFF/OpenType programs. Type 1 programs
/// (`Length2`) and Type1C are checked: pdf-extract reads their built-in encodings.
fn skipped(s: &Stream) -> bool {
    let d = &s.dict;
    if d.has(b"Length1") && !d.has(b"Length2") {
        return true;
    }
    matches!(
        d.get(b"Subtype").and_then(Object::as_name),
        Ok(b"Image" | b"CIDFontType0C" | b"OpenType")
    )
}

/// Streams no extractor reads, sorted: referenced only as Type 3 glyph procedures (the
/// values of a /CharProcs dictionary) or as TrueType/OpenType font programs (/FontFile2, and
/// /FontFile3 other than Type1C), and from nowhere else. Text comes from a font's ToUnicode,
/// Encoding and Widths; neither pdf-extract nor the second engine runs glyph procedures, and
/// only pdf-extract reads font programs, just Type 1 (/FontFile) and Type1C ones for their
/// built-in encodings. Chromium writes one glyph procedure per glyph (measuring them was most
/// of the inflation work on its pages) and LuaLaTeX writes TrueType programs without the
/// /Length1 that [`skipped`] knows them by. A stream referenced from anywhere else as well
/// (a page's /Contents, an XObject, a ToUnicode) is measured like any other. Empty when the
/// document nests too deep to be sure (then every stream is measured).
fn unread_streams(doc: &Document) -> Vec<ObjectId> {
    // /CharProcs dictionaries that are objects of their own.
    let mut cp_objects: Vec<ObjectId> = doc
        .objects
        .values()
        .filter_map(|o| match o {
            Object::Dictionary(d) => d.get(b"CharProcs").ok(),
            Object::Stream(s) => s.dict.get(b"CharProcs").ok(),
            _ => None,
        })
        .filter_map(|v| v.as_reference().ok())
        .collect();
    cp_objects.sort_unstable();
    let mut refs = Refs {
        doc,
        unread: Vec::new(),
        others: Vec::new(),
    };
    for (id, obj) in &doc.objects {
        let as_charprocs = cp_objects.binary_search(id).is_ok();
        if !refs.walk(obj, as_charprocs, 0) {
            return Vec::new();
        }
    }
    refs.others.sort_unstable();
    refs.unread.sort_unstable();
    refs.unread.dedup();
    refs.unread
        .retain(|id| refs.others.binary_search(id).is_err());
    refs.unread
}

/// References seen by [`unread_streams`].
struct Refs<'a> {
    doc: &'a Document,
    /// Glyph procedures and font programs no extractor reads.
    unread: Vec<ObjectId>,
    /// Every other reference.
    others: Vec<ObjectId>,
}

impl Refs<'_> {
    /// A font program only pdf-extract reads: Type1C, for its built-in encoding.
    fn type1c(&self, id: ObjectId) -> bool {
        self.doc
            .objects
            .get(&id)
            .and_then(|o| o.as_stream().ok())
            .and_then(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok())
            == Some(b"Type1C")
    }

    /// Records the references in `o` (`charprocs`: `o` is a /CharProcs dictionary); `false`
    /// when nesting goes deeper than the loaders allow.
    fn walk(&mut self, o: &Object, charprocs: bool, depth: usize) -> bool {
        if depth > 2 * super::lex::MAX_DEPTH {
            return false;
        }
        let dict = match o {
            Object::Reference(id) => {
                self.others.push(*id);
                return true;
            }
            Object::Array(a) => return a.iter().all(|x| self.walk(x, false, depth + 1)),
            Object::Dictionary(d) => d,
            Object::Stream(s) => &s.dict,
            _ => return true,
        };
        dict.iter().all(|(k, v)| match v {
            Object::Reference(id)
                if charprocs
                    || k.as_slice() == b"FontFile2"
                    || (k.as_slice() == b"FontFile3" && !self.type1c(*id)) =>
            {
                self.unread.push(*id);
                true
            }
            Object::Dictionary(_) if k.as_slice() == b"CharProcs" => self.walk(v, true, depth + 1),
            _ => self.walk(v, false, depth + 1),
        })
    }
}

/// What [`inflated`] found out about one stream.
struct Measured {
    /// Inflated length, or `cap + 1` as soon as it exceeds the cap.
    len: u64,
    /// The inflated bytes, when the stream is a chain of FlateDecode filters without
    /// DecodeParms that inflated to its end without error.
    clean: Option<Vec<u8>>,
}

impl Measured {
    /// The bytes worth scanning as a CMap (small enough, and readable without a filter we do
    /// not apply here).
    fn cmap_scan<'a>(&'a self, s: &'a Stream) -> Option<&'a [u8]> {
        const CMAP_SCAN: usize = 4 * 1024 * 1024;
        let body = match &self.clean {
            Some(v) => v.as_slice(),
            None if !s.dict.has(b"Filter") => s.content.as_slice(),
            None => return None,
        };
        (body.len() <= CMAP_SCAN).then_some(body)
    }
}

/// Measures `s` inflated (see [`Measured`]). Filters other than FlateDecode leave the size as
/// it is at that point (ASCII85/ASCIIHex shrink; LZW, rare, is bounded by the address-space
/// limit of the reader process).
fn inflated(s: &Stream, cap: u64, inflater: &mut Inflater) -> Measured {
    let filters = s.filters().unwrap_or_default();
    let mut data: Option<Vec<u8>> = None;
    let mut clean = !filters.is_empty() && !s.dict.has(b"DecodeParms");
    for f in &filters {
        if *f != b"FlateDecode" {
            clean = false;
            break;
        }
        let input = data.as_deref().unwrap_or(&s.content);
        // Errors mid-stream are what lopdf tolerates too: count what inflated.
        let (out, ended) = inflater.inflate(input, cap);
        if out.len() as u64 > cap {
            return Measured {
                len: cap + 1,
                clean: None,
            };
        }
        clean &= ended;
        data = Some(out);
    }
    let len = data.as_ref().map_or(s.content.len(), Vec::len) as u64;
    Measured {
        len,
        clean: data.filter(|_| clean),
    }
}

/// One zlib inflater reused for every stream: a fresh `ZlibDecoder` per stream allocated and
/// zeroed its 32 KB buffer and its window, and `read_to_end` zeroed the output buffer, which
/// together cost more than the inflation itself on pages of many small streams.
struct Inflater(flate2::Decompress);

impl Inflater {
    fn new() -> Inflater {
        Inflater(flate2::Decompress::new(true))
    }

    /// `input` inflated, stopping once the output exceeds `cap` (it then holds `cap + 1`
    /// bytes or more), and whether the zlib stream reached its end without error.
    fn inflate(&mut self, input: &[u8], cap: u64) -> (Vec<u8>, bool) {
        let d = &mut self.0;
        d.reset(true);
        let limit = usize::try_from(cap).unwrap_or(usize::MAX).saturating_add(1);
        let mut out: Vec<u8> = Vec::with_capacity(input.len().saturating_mul(4).clamp(64, limit));
        loop {
            let (in_before, out_before) = (d.total_in(), d.total_out());
            let at = usize::try_from(in_before).unwrap_or(usize::MAX);
            let rest = input.get(at..).unwrap_or_default();
            let r = d.decompress_vec(rest, &mut out, flate2::FlushDecompress::None);
            if out.len() >= limit {
                return (out, false);
            }
            match r {
                Ok(flate2::Status::StreamEnd) => return (out, true),
                Err(_) => return (out, false),
                Ok(_) if out.len() == out.capacity() => {
                    let room = out.len().max(4096).min(limit - out.len());
                    out.reserve_exact(room);
                }
                // Input used up (a truncated stream) or no progress: what inflated is all.
                Ok(_)
                    if rest.is_empty()
                        || (d.total_in(), d.total_out()) == (in_before, out_before) =>
                {
                    return (out, false);
                }
                Ok(_) => {}
            }
        }
    }
}

/// How many codes the `bfrange` / `cidrange` sections of a CMap cover (0 for anything that
/// is not a CMap). Each entry starts with two hex strings, `<lo> <hi>`.
pub fn cmap_range_codes(body: &[u8]) -> u64 {
    let mut total = 0u64;
    for start in [&b"beginbfrange"[..], b"begincidrange"] {
        let mut rest = body;
        while let Some(at) = find(rest, start) {
            rest = &rest[at + start.len()..];
            let end = find(rest, b"endbfrange")
                .into_iter()
                .chain(find(rest, b"endcidrange"))
                .min()
                .unwrap_or(rest.len());
            total = total.saturating_add(section_codes(&rest[..end]));
            rest = &rest[end..];
        }
    }
    total
}

/// The codes of one range section: hex strings in order, `<lo> <hi>` then a destination
/// (a hex string, a number or an array, skipped).
fn section_codes(mut s: &[u8]) -> u64 {
    let mut total = 0u64;
    let mut pending: Option<u64> = None;
    loop {
        s = s.trim_ascii_start();
        match s.first() {
            None => return total,
            Some(b'<') => {
                let close = s.iter().position(|b| *b == b'>').unwrap_or(s.len());
                let hex = &s[1..close.max(1)];
                let v = hex
                    .iter()
                    .filter(|b| b.is_ascii_hexdigit())
                    .take(16)
                    .fold(0u64, |acc, b| {
                        acc << 4 | (*b as char).to_digit(16).unwrap_or(0) as u64
                    });
                s = &s[(close + 1).min(s.len())..];
                match pending.take() {
                    None => pending = Some(v),
                    Some(lo) => {
                        total = total.saturating_add(v.saturating_sub(lo).saturating_add(1));
                        s = skip_destination(s);
                    }
                }
            }
            Some(_) => {
                let next = s
                    .iter()
                    .position(|b| b.is_ascii_whitespace())
                    .unwrap_or(s.len());
                s = &s[next.max(1)..];
            }
        }
    }
}

/// Skips the destination after `<lo> <hi>`: a hex string, an array or a number.
fn skip_destination(s: &[u8]) -> &[u8] {
    let s = s.trim_ascii_start();
    let end = match s.first() {
        Some(b'<') => s.iter().position(|b| *b == b'>').map_or(s.len(), |i| i + 1),
        Some(b'[') => s.iter().position(|b| *b == b']').map_or(s.len(), |i| i + 1),
        _ => s
            .iter()
            .position(|b| b.is_ascii_whitespace())
            .unwrap_or(s.len()),
    };
    &s[end..]
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::ZlibEncoder;
    use pdf_extract::dictionary;
    use std::io::Write;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = ZlibEncoder::new(Vec::new(), Compression::fast());
        e.write_all(data).expect("in memory");
        e.finish().expect("in memory")
    }

    fn doc_with(dict: pdf_extract::Dictionary, content: Vec<u8>) -> Document {
        let mut doc = Document::with_version("1.4");
        doc.add_object(Object::Stream(Stream::new(dict, content)));
        doc
    }

    #[test]
    fn a_nested_flate_bomb_is_too_large_without_inflating_it() {
        // 17 MB of spaces, deflated twice: a few kilobytes on disk.
        let once = zlib(&vec![b' '; 17 * 1024 * 1024]);
        let twice = zlib(&once);
        assert!(twice.len() < 200_000);
        let mut doc = doc_with(
            dictionary! { "Filter" => vec![Object::from("FlateDecode"), Object::from("FlateDecode")] },
            twice,
        );
        let e = check(&mut doc).expect_err("refused");
        assert_eq!(e.kind, ErrorKind::TooLarge);
        assert!(e.message.contains("inflates"), "{}", e.message);
    }

    #[test]
    fn ordinary_and_skipped_streams_pass() {
        let page = zlib(&b"BT /F1 12 Tf (x) Tj ET\n".repeat(10_000));
        assert!(
            check(&mut doc_with(
                dictionary! { "Filter" => "FlateDecode" },
                page
            ))
            .is_ok()
        );
        // a large TrueType program is not the extractor's business; a Type 1 program is
        let font = zlib(&vec![0u8; 17 * 1024 * 1024]);
        let d = dictionary! { "Filter" => "FlateDecode", "Length1" => 17 * 1024 * 1024 };
        assert!(check(&mut doc_with(d, font.clone())).is_ok());
        let d = dictionary! { "Filter" => "FlateDecode", "Length1" => 1, "Length2" => 1 };
        assert!(check(&mut doc_with(d, font)).is_err());
        // damaged flate data is counted as far as it inflates, not an error here
        assert!(
            check(&mut doc_with(
                dictionary! { "Filter" => "FlateDecode" },
                b"garbage".to_vec()
            ))
            .is_ok()
        );
    }

    #[test]
    fn cmap_ranges_are_counted() {
        let cmap = b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
            2 beginbfrange <0000> <00FF> <3042>\n<0100> <0101> [<3044> <3046>] endbfrange\n\
            1 begincidrange <8140> <817E> 633 endcidrange";
        assert_eq!(cmap_range_codes(cmap), 256 + 2 + 63);
        let huge = b"beginbfrange <00000000> <FFFFFFFF> <3042> endbfrange";
        assert_eq!(cmap_range_codes(huge), 1 << 32);
        assert_eq!(cmap_range_codes(b"BT /F1 12 Tf (x) Tj ET"), 0);
        let mut doc = doc_with(dictionary! {}, huge.to_vec());
        let e = check(&mut doc).expect_err("refused");
        assert!(e.message.contains("CMap"), "{}", e.message);
        let mut doc = doc_with(dictionary! { "Filter" => "FlateDecode" }, zlib(huge));
        assert!(check(&mut doc).is_err());
    }

    #[test]
    fn streams_are_also_limited_together() {
        let mut doc = Document::with_version("1.4");
        let chunk = zlib(&vec![b'0'; 15 * 1024 * 1024]);
        for _ in 0..5 {
            doc.add_object(Object::Stream(Stream::new(
                dictionary! { "Filter" => "FlateDecode" },
                chunk.clone(),
            )));
        }
        let e = check(&mut doc).expect_err("refused");
        assert!(e.message.contains("together"), "{}", e.message);
    }

    #[test]
    fn the_cap_is_exact() {
        let data = zlib(&[b'x'; 5000]);
        let mut inf = Inflater::new();
        let (out, ended) = inf.inflate(&data, 5000);
        assert_eq!((out.len(), ended), (5000, true));
        let (out, ended) = inf.inflate(&data, 4999);
        assert!(out.len() > 4999 && !ended);
        // the same inflater, reused, starts afresh
        let (out, ended) = inf.inflate(&zlib(b"BT ET"), 100);
        assert_eq!((out.as_slice(), ended), (&b"BT ET"[..], true));
    }

    #[test]
    fn clean_streams_are_kept_inflated_as_lopdf_reads_them() {
        let text = b"BT /F1 12 Tf (x) Tj ET\n".repeat(500);
        let twice = dictionary! { "Filter" => vec![Object::from("FlateDecode"), Object::from("FlateDecode")] };
        let cases = [
            (dictionary! { "Filter" => "FlateDecode" }, zlib(&text), true),
            (twice, zlib(&zlib(&text)), true),
            // a predictor, a damaged stream, a cut-short stream: left to lopdf
            (
                dictionary! { "Filter" => "FlateDecode", "DecodeParms" => dictionary! { "Predictor" => 12 } },
                zlib(&text),
                false,
            ),
            (
                dictionary! { "Filter" => "FlateDecode" },
                b"garbage".to_vec(),
                false,
            ),
            (
                dictionary! { "Filter" => "FlateDecode" },
                zlib(&text)[..40].to_vec(),
                false,
            ),
        ];
        for (n, (dict, data, kept)) in cases.into_iter().enumerate() {
            let mut doc = doc_with(dict, data);
            let before = doc
                .objects
                .values()
                .next()
                .and_then(|o| o.as_stream().ok())
                .map(|s| s.get_plain_content());
            check(&mut doc).expect("within the limits");
            let s = doc
                .objects
                .values()
                .next()
                .and_then(|o| o.as_stream().ok())
                .expect("stream");
            assert_eq!(!s.dict.has(b"Filter"), kept, "case {n}");
            if kept {
                assert_eq!(s.content, text, "case {n}");
                assert_eq!(
                    before.and_then(|r| r.ok()),
                    Some(text.clone()),
                    "case {n}: lopdf agrees"
                );
            }
        }
    }

    #[test]
    fn unread_streams_are_not_measured_unless_used_elsewhere() {
        // a Type 3 font whose one glyph procedure is a decompression bomb
        let bomb = zlib(&zlib(&vec![b' '; 17 * 1024 * 1024]));
        let two = || vec![Object::from("FlateDecode"), Object::from("FlateDecode")];
        let doc_with_bomb = |also_contents: bool, charprocs_object: bool| {
            let mut doc = Document::with_version("1.4");
            let glyph =
                doc.add_object(Stream::new(dictionary! { "Filter" => two() }, bomb.clone()));
            let procs = dictionary! { "g1" => glyph };
            let procs = if charprocs_object {
                Object::Reference(doc.add_object(procs))
            } else {
                Object::Dictionary(procs)
            };
            let font = doc.add_object(
                dictionary! { "Type" => "Font", "Subtype" => "Type3", "CharProcs" => procs },
            );
            let mut page = dictionary! { "Type" => "Page", "Resources" => dictionary! { "Font" => dictionary! { "T1" => font } } };
            if also_contents {
                page.set("Contents", glyph);
            }
            doc.add_object(page);
            doc
        };
        for charprocs_object in [false, true] {
            assert!(check(&mut doc_with_bomb(false, charprocs_object)).is_ok());
            let e = check(&mut doc_with_bomb(true, charprocs_object)).expect_err("used as content");
            assert_eq!(e.kind, ErrorKind::TooLarge);
        }
        // font programs: TrueType without /Length1 and OpenType are not read; Type1C is
        for (key, subtype, measured) in [
            ("FontFile2", None, false),
            ("FontFile3", Some("OpenType"), false),
            ("FontFile3", Some("Type1C"), true),
        ] {
            let mut doc = Document::with_version("1.4");
            let mut dict = dictionary! { "Filter" => two() };
            if let Some(st) = subtype {
                dict.set("Subtype", st);
            }
            let program = doc.add_object(Stream::new(dict, bomb.clone()));
            doc.add_object(dictionary! { "Type" => "FontDescriptor", key => program });
            assert_eq!(check(&mut doc).is_err(), measured, "{key} {subtype:?}");
        }
    }
}

//! Resource limits checked on a loaded document before any text is extracted: object count and
//! the inflated size of every stream the extractor may decompress.
//!
//! Why here and not in the libraries: lopdf inflates a stream whole (`decompressed_content`)
//! with no bound, so a few kilobytes of nested FlateDecode (a decompression bomb) become
//! gigabytes, and a content stream of millions of operators keeps pdf-extract busy for
//! minutes. Measuring each stream with a capped decoder first costs one extra inflation of
//! the small streams a prescription has (page contents, forms, ToUnicode CMaps) and turns
//! those files into a `too_large` error in milliseconds. Font programs and images are skipped:
//! the extractor does not inflate them, and they are the large streams of normal files. The
//! reader's child process also runs under an address-space limit (`isolate`) as a backstop.
//!
//! ```
//! use pdf_extract::{Document, Object, Stream, dictionary};
//! let mut doc = Document::with_version("1.4");
//! doc.add_object(Object::Stream(Stream::new(dictionary! {}, b"BT ET".to_vec())));
//! assert!(shohosen::pdf::limits::check(&doc).is_ok());
//! ```

use std::io::Read;

use pdf_extract::{Document, Object, Stream};

use crate::error::{ErrorKind, ReadError};

/// The most bytes one stream may inflate to (a prescription page's content is well under 1 MB).
pub const MAX_STREAM_BYTES: u64 = 16 * 1024 * 1024;
/// The most bytes all checked streams together may inflate to.
pub const MAX_TOTAL_STREAM_BYTES: u64 = 64 * 1024 * 1024;
/// The most objects a document may hold (a one-page prescription has a few dozen).
pub const MAX_OBJECTS: usize = 500_000;

/// Refuses a document over [`MAX_OBJECTS`] objects, or with a stream (other than a font program
/// or an image) that inflates past [`MAX_STREAM_BYTES`], or streams that together inflate past
/// [`MAX_TOTAL_STREAM_BYTES`].
pub fn check(doc: &Document) -> Result<(), ReadError> {
    if doc.objects.len() > MAX_OBJECTS {
        return Err(too_large(format!(
            "the PDF has {} objects; the limit is {MAX_OBJECTS}",
            doc.objects.len()
        )));
    }
    let mut total = 0u64;
    for (id, obj) in &doc.objects {
        let Object::Stream(s) = obj else { continue };
        if skipped(s) {
            continue;
        }
        let n = inflated_len(s, MAX_STREAM_BYTES);
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

/// The inflated length of `s`, or `cap + 1` as soon as it exceeds `cap`. Filters other than
/// FlateDecode leave the size as it is at that point (ASCII85/ASCIIHex shrink; LZW, rare,
/// is bounded by the address-space limit of the reader process).
fn inflated_len(s: &Stream, cap: u64) -> u64 {
    let filters = match s.filters() {
        Ok(f) => f,
        Err(_) => return s.content.len() as u64,
    };
    let mut data: Option<Vec<u8>> = None;
    for f in filters {
        if f != b"FlateDecode" {
            break;
        }
        let input = data.as_deref().unwrap_or(&s.content);
        let mut out = Vec::new();
        // Errors mid-stream are what lopdf tolerates too: count what inflated.
        let _ = flate2::read::ZlibDecoder::new(input)
            .take(cap + 1)
            .read_to_end(&mut out);
        if out.len() as u64 > cap {
            return cap + 1;
        }
        data = Some(out);
    }
    data.map_or(s.content.len(), |d| d.len()) as u64
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
        let doc = doc_with(
            dictionary! { "Filter" => vec![Object::from("FlateDecode"), Object::from("FlateDecode")] },
            twice,
        );
        let e = check(&doc).expect_err("refused");
        assert_eq!(e.kind, ErrorKind::TooLarge);
        assert!(e.message.contains("inflates"), "{}", e.message);
    }

    #[test]
    fn ordinary_and_skipped_streams_pass() {
        let page = zlib(&b"BT /F1 12 Tf (x) Tj ET\n".repeat(10_000));
        assert!(check(&doc_with(dictionary! { "Filter" => "FlateDecode" }, page)).is_ok());
        // a large TrueType program is not the extractor's business; a Type 1 program is
        let font = zlib(&vec![0u8; 17 * 1024 * 1024]);
        let d = dictionary! { "Filter" => "FlateDecode", "Length1" => 17 * 1024 * 1024 };
        assert!(check(&doc_with(d, font.clone())).is_ok());
        let d = dictionary! { "Filter" => "FlateDecode", "Length1" => 1, "Length2" => 1 };
        assert!(check(&doc_with(d, font)).is_err());
        // damaged flate data is counted as far as it inflates, not an error here
        assert!(
            check(&doc_with(
                dictionary! { "Filter" => "FlateDecode" },
                b"garbage".to_vec()
            ))
            .is_ok()
        );
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
        let e = check(&doc).expect_err("refused");
        assert!(e.message.contains("together"), "{}", e.message);
    }
}

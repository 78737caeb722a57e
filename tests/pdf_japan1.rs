//! An Identity-H Adobe-Japan1 CID font without ToUnicode (what pTeX/dvipdfmx writes, and what
//! pdf-extract silently drops): built in memory, read through the Adobe-Japan1 table.
//! The CIDs are Adobe-Japan1's: 処 = 2418, 方 = 3661, ぁ..ん = 842..924 (U+3041..U+3093).

use pdf_extract::{Dictionary, Document, Object, Stream, StringFormat};
use shohosen::pdf;

fn name(s: &str) -> Object {
    Object::Name(s.as_bytes().to_vec())
}

fn japan1_pdf(cids: &[u16], ordering: &str) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let mut info = Dictionary::new();
    info.set(
        "Registry",
        Object::String(b"Adobe".to_vec(), StringFormat::Literal),
    );
    info.set(
        "Ordering",
        Object::String(ordering.as_bytes().to_vec(), StringFormat::Literal),
    );
    info.set("Supplement", Object::Integer(2));
    let mut cidfont = Dictionary::new();
    cidfont.set("Type", name("Font"));
    cidfont.set("Subtype", name("CIDFontType0"));
    cidfont.set("BaseFont", name("Ryumin-Light"));
    cidfont.set("CIDSystemInfo", Object::Dictionary(info));
    cidfont.set("DW", Object::Integer(1000));
    let cid_id = doc.add_object(Object::Dictionary(cidfont));
    let mut font = Dictionary::new();
    font.set("Type", name("Font"));
    font.set("Subtype", name("Type0"));
    font.set("BaseFont", name("Ryumin-Light-Identity-H"));
    font.set("Encoding", name("Identity-H"));
    font.set(
        "DescendantFonts",
        Object::Array(vec![Object::Reference(cid_id)]),
    );
    let font_id = doc.add_object(Object::Dictionary(font));
    let hex: String = cids.iter().map(|c| format!("{c:04x}")).collect();
    let content = format!("BT /F1 12 Tf 72 720 Td <{hex}> Tj ET");
    let content_id = doc.add_object(Object::Stream(Stream::new(
        Dictionary::new(),
        content.into_bytes(),
    )));
    let mut fonts = Dictionary::new();
    fonts.set("F1", Object::Reference(font_id));
    let mut res = Dictionary::new();
    res.set("Font", Object::Dictionary(fonts));
    let pages_id = doc.new_object_id();
    let mut page = Dictionary::new();
    page.set("Type", name("Page"));
    page.set("Parent", Object::Reference(pages_id));
    page.set("Resources", Object::Dictionary(res));
    page.set("Contents", Object::Reference(content_id));
    page.set(
        "MediaBox",
        Object::Array(vec![0.into(), 0.into(), 595.into(), 842.into()]),
    );
    let page_id = doc.add_object(Object::Dictionary(page));
    let mut pages = Dictionary::new();
    pages.set("Type", name("Pages"));
    pages.set("Kids", Object::Array(vec![Object::Reference(page_id)]));
    pages.set("Count", Object::Integer(1));
    doc.objects.insert(pages_id, Object::Dictionary(pages));
    let mut catalog = Dictionary::new();
    catalog.set("Type", name("Catalog"));
    catalog.set("Pages", Object::Reference(pages_id));
    let cat_id = doc.add_object(Object::Dictionary(catalog));
    doc.trailer.set("Root", Object::Reference(cat_id));
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}

/// 処方 then あいうえおかきくけこ (ぁ = 842, so あ = 843, い = 845, …).
fn cids() -> Vec<u16> {
    let mut v = vec![2418, 3661];
    v.extend([843, 845, 847, 849, 851, 852, 854, 856, 858, 860]);
    v
}

#[test]
fn identity_japan1_without_tounicode_reads_through_the_adobe_table() {
    let sheets = pdf::read(&japan1_pdf(&cids(), "Japan1")).expect("readable");
    assert_eq!(sheets[0].lines[0].raw, "処方あいうえおかきくけこ");
    // 12 glyphs of 1 em at 12 pt from x = 72.
    let c = &sheets[0].lines[0].cells[0];
    assert_eq!((c.x0, c.x1), (72.0, 72.0 + 12.0 * 12.0));
}

#[test]
fn identity_font_of_unknown_collection_without_tounicode_is_unreadable() {
    // Ordering "Identity": CIDs are glyph ids of an unknown font, nothing to decode them with.
    let e = pdf::read(&japan1_pdf(&cids(), "Identity")).expect_err("no map");
    assert_eq!(e.kind, shohosen::error::ErrorKind::Unreadable);
}

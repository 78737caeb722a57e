//! Font pre-scan: decides, from the font dictionaries alone (no content stream is read), whether
//! `pdf-extract` can decode the document or the second engine ([`super::second`]) must.
//!
//! pdf-extract 0.12.1 panics on composite (Type0) fonts whose /Encoding is a predefined CMap
//! other than Identity (UniJIS-UCS2-H, 90ms-RKSJ-H, …: ReportLab's Japanese fonts and older
//! Japanese business software) and silently drops every character of Adobe-Japan1 CID fonts
//! that have no /ToUnicode (the pTeX/dvipdfmx default). Both go to the second engine.
//!
//! ```
//! use shohosen::pdf::fonts::{needs_second_engine, Route};
//! use pdf_extract::{Dictionary, Document, Object};
//! let doc = Document::with_version("1.5");
//! let mut font = Dictionary::new();
//! font.set("Subtype", Object::Name(b"Type0".to_vec()));
//! font.set("Encoding", Object::Name(b"90ms-RKSJ-H".to_vec()));
//! assert_eq!(needs_second_engine(&doc, &font), Some(Route::PredefinedCMap("90ms-RKSJ-H".into())));
//! ```

use pdf_extract::{Dictionary, Document, Object};

/// Why a font needs the second engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// A composite font with a predefined, non-Identity CMap.
    PredefinedCMap(String),
    /// An Identity-encoded Adobe-Japan1 CID font without ToUnicode.
    Japan1WithoutToUnicode,
}

fn name<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    d.get_deref(key, doc).ok()?.as_name().ok()
}

fn descendant<'a>(doc: &'a Document, font: &'a Dictionary) -> Option<&'a Dictionary> {
    let arr = font
        .get_deref(b"DescendantFonts", doc)
        .ok()?
        .as_array()
        .ok()?;
    let first = arr.first()?;
    doc.dereference(first).ok()?.1.as_dict().ok()
}

/// The /Ordering of a CID font's /CIDSystemInfo ("Japan1", "Identity", …).
pub fn ordering(doc: &Document, cidfont: &Dictionary) -> Option<String> {
    let info = cidfont
        .get_deref(b"CIDSystemInfo", doc)
        .ok()?
        .as_dict()
        .ok()?;
    let o = info.get_deref(b"Ordering", doc).ok()?;
    match o {
        Object::String(s, _) => Some(String::from_utf8_lossy(s).into_owned()),
        Object::Name(s) => Some(String::from_utf8_lossy(s).into_owned()),
        _ => None,
    }
}

/// The route for one font dictionary, `None` when pdf-extract reads it.
pub fn needs_second_engine(doc: &Document, font: &Dictionary) -> Option<Route> {
    if name(doc, font, b"Subtype") != Some(b"Type0") {
        return None;
    }
    match font.get_deref(b"Encoding", doc) {
        Ok(Object::Name(n)) if !n.starts_with(b"Identity") => {
            return Some(Route::PredefinedCMap(
                String::from_utf8_lossy(n).into_owned(),
            ));
        }
        _ => {}
    }
    if font.get(b"ToUnicode").is_ok() {
        return None;
    }
    let cid = descendant(doc, font)?;
    (ordering(doc, cid).as_deref() == Some("Japan1")).then_some(Route::Japan1WithoutToUnicode)
}

fn scan_resources(doc: &Document, res: &Dictionary, depth: u32, out: &mut Vec<Route>) {
    if let Ok(fonts) = res.get_deref(b"Font", doc).and_then(Object::as_dict) {
        for (_, f) in fonts.iter() {
            if let Ok((_, Object::Dictionary(fd))) = doc.dereference(f)
                && let Some(r) = needs_second_engine(doc, fd)
            {
                out.push(r);
            }
        }
    }
    // Form XObjects carry their own fonts; clinic systems draw the form as one.
    if depth < 3
        && let Ok(xobjs) = res.get_deref(b"XObject", doc).and_then(Object::as_dict)
    {
        for (_, x) in xobjs.iter() {
            if let Ok((_, Object::Stream(s))) = doc.dereference(x)
                && s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form")
                && let Ok(r) = s
                    .dict
                    .get_deref(b"Resources", doc)
                    .and_then(Object::as_dict)
            {
                scan_resources(doc, r, depth + 1, out);
            }
        }
    }
}

/// The resources dictionary of a page, inherited from the page tree when absent.
pub fn page_resources<'a>(doc: &'a Document, page: &'a Dictionary) -> Option<&'a Dictionary> {
    let mut node = page;
    for _ in 0..32 {
        if let Ok(r) = node.get_deref(b"Resources", doc).and_then(Object::as_dict) {
            return Some(r);
        }
        node = node.get_deref(b"Parent", doc).ok()?.as_dict().ok()?;
    }
    None
}

/// Every font of the document that needs the second engine (empty: pdf-extract reads it all).
pub fn scan(doc: &Document) -> Vec<Route> {
    let mut out = Vec::new();
    for (_, id) in doc.get_pages() {
        if let Ok(page) = doc.get_dictionary(id)
            && let Some(res) = page_resources(doc, page)
        {
            scan_resources(doc, res, 0, &mut out);
        }
    }
    out
}

/// True when some simple font (Type1, TrueType, …) has no /ToUnicode but embeds its program.
///
/// That is the one case where pdf-extract knows more than the second engine: it reads the
/// built-in encoding of an embedded Type 1 / CFF program, while the second engine decodes simple
/// fonts only from /ToUnicode or the /Encoding name and /Differences. Every other font kind is
/// decoded from the dictionaries alone, identically by both engines (`tests/pdf_samples.rs`
/// `both_engines_agree_on_every_producer`), so the faster second engine can go first.
pub fn has_program_encoded_font(doc: &Document) -> bool {
    any_page_font(doc, &|fd: &Dictionary| {
        if matches!(
            name(doc, fd, b"Subtype"),
            Some(b"Type0") | Some(b"Type3") | None
        ) || fd.get(b"ToUnicode").is_ok()
        {
            return false;
        }
        fd.get_deref(b"FontDescriptor", doc)
            .and_then(Object::as_dict)
            .is_ok_and(|d| d.get(b"FontFile").is_ok() || d.get(b"FontFile3").is_ok())
    })
}

/// True when any page (or form on it) uses a Type 3 font (Chromium draws CFF CJK fonts so).
pub fn has_type3(doc: &Document) -> bool {
    any_page_font(doc, &|fd: &Dictionary| {
        name(doc, fd, b"Subtype") == Some(b"Type3")
    })
}

/// True when a font dictionary used by any page, or by a form XObject on it (three levels
/// deep at most), satisfies `pred`.
fn any_page_font(doc: &Document, pred: &dyn Fn(&Dictionary) -> bool) -> bool {
    fn in_resources(
        doc: &Document,
        res: &Dictionary,
        depth: u32,
        pred: &dyn Fn(&Dictionary) -> bool,
    ) -> bool {
        let in_fonts = res
            .get_deref(b"Font", doc)
            .and_then(Object::as_dict)
            .is_ok_and(|fonts| {
                fonts.iter().any(|(_, f)| {
                    matches!(doc.dereference(f), Ok((_, Object::Dictionary(fd))) if pred(fd))
                })
            });
        in_fonts
            || (depth < 3
                && res
                    .get_deref(b"XObject", doc)
                    .and_then(Object::as_dict)
                    .is_ok_and(|x| {
                        x.iter().any(|(_, o)| match doc.dereference(o) {
                            Ok((_, Object::Stream(st))) => st
                                .dict
                                .get_deref(b"Resources", doc)
                                .and_then(Object::as_dict)
                                .is_ok_and(|r| in_resources(doc, r, depth + 1, pred)),
                            _ => false,
                        })
                    }))
    }
    doc.get_pages().values().any(|id| {
        doc.get_dictionary(*id)
            .ok()
            .and_then(|p| page_resources(doc, p))
            .is_some_and(|r| in_resources(doc, r, 0, pred))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use pdf_extract::{Stream, dictionary};

    /// A one-page document whose page (or, with `in_form`, a form XObject on it) uses `font`.
    fn doc_with_font(font: Dictionary, in_form: bool) -> Document {
        let mut doc = Document::with_version("1.5");
        let font_id = doc.add_object(font);
        let fonts = dictionary! { "F1" => font_id };
        let resources = if in_form {
            let form = Stream::new(
                dictionary! {
                    "Type" => "XObject",
                    "Subtype" => "Form",
                    "Resources" => dictionary! { "Font" => fonts },
                },
                Vec::new(),
            );
            let form_id = doc.add_object(form);
            dictionary! { "XObject" => dictionary! { "X1" => form_id } }
        } else {
            dictionary! { "Font" => fonts }
        };
        let pages_id = doc.new_object_id();
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Resources" => resources,
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => vec![page_id.into()],
                "Count" => 1,
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        doc
    }

    /// A simple Type 1 font; `embedded` adds a /FontFile program, `to_unicode` a ToUnicode.
    fn type1(embedded: bool, to_unicode: bool) -> Dictionary {
        let mut descriptor = dictionary! { "Type" => "FontDescriptor", "FontName" => "ABCDEF+Foo" };
        if embedded {
            descriptor.set(
                "FontFile",
                Object::Stream(Stream::new(Dictionary::new(), vec![1])),
            );
        }
        let mut font = dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => "ABCDEF+Foo",
            "FontDescriptor" => descriptor,
        };
        if to_unicode {
            font.set(
                "ToUnicode",
                Object::Stream(Stream::new(Dictionary::new(), vec![])),
            );
        }
        font
    }

    #[test]
    fn only_an_embedded_simple_font_without_to_unicode_needs_its_program() {
        let cases = [
            (true, false, false, true),
            (true, false, true, true),
            (true, true, false, false),
            (false, false, false, false),
        ];
        for (embedded, to_unicode, in_form, expected) in cases {
            let doc = doc_with_font(type1(embedded, to_unicode), in_form);
            assert_eq!(
                has_program_encoded_font(&doc),
                expected,
                "embedded {embedded}, ToUnicode {to_unicode}, in a form {in_form}"
            );
        }
        // A Type 3 font decodes from its dictionaries alone, whatever it carries.
        let t3 = dictionary! { "Type" => "Font", "Subtype" => "Type3" };
        assert!(!has_program_encoded_font(&doc_with_font(t3, false)));
    }
}

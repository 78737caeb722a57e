//! PDF with a text layer → positioned lines ([`Sheet`]s, one per prescription).
//!
//! Flow: parse once into lopdf's `Document` (the copy re-exported by `pdf-extract`, so the
//! document is not parsed twice; files of the common shape through our faster loader
//! [`load`], the rest through lopdf) → size/page limits and encryption → font pre-scan
//! ([`fonts`]) chooses the engine order ([`engine_order`]): glyphs from `pdf-extract` ([`glyphs`]) or from our own
//! content-stream reader ([`second`], with [`japan1`]) — the only one for fonts pdf-extract
//! cannot decode (predefined CJK CMaps, Adobe-Japan1 without ToUnicode), the first one unless
//! a simple font's encoding lives in its embedded program, the fallback otherwise → quality gate ([`gate`]) → baseline bands, cells and
//! wrapped-row repair from glyph gaps and table rules ([`lines`]) → split per prescription.
//! Library panics are caught and become [`ReadError`]s; [`read_isolated`] additionally runs
//! all of it in a child process ([`isolate`]) so an abort, a stack overflow or a hang cannot
//! take a batch down.
//!
//! Text is kept as printed (`－` vs `-`, `ｍｇ` vs `mg`); only Kangxi/CJK radicals, the em
//! space Chromium writes for U+3000 and Noto's U+2027 for `・` are undone. A few undecodable
//! glyphs below the gate's threshold stay in `raw` as U+FFFD so the parser can flag the line.
//!
//! ```no_run
//! let bytes = std::fs::read("rx.pdf").unwrap();
//! match shohosen::pdf::read(&bytes) {
//!     Ok(sheets) => println!("{} prescription(s)", sheets.len()),
//!     Err(e) => eprintln!("{e}"),
//! }
//! ```

pub mod content;
pub mod fonts;
#[cfg(target_os = "linux")]
mod forked;
pub mod gate;
pub mod glyphs;
pub mod isolate;
pub mod japan1;
mod lex;
pub mod limits;
pub mod lines;
pub mod load;
pub mod second;

pub use isolate::{CHILD_ARG, child_main, read_isolated, read_spawned};

use crate::error::{ErrorKind, ReadError};
use crate::sheet::Sheet;
use pdf_extract::Document;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Largest PDF accepted, in bytes (a one-page prescription is well under 1 MB).
pub const MAX_BYTES: usize = 20 * 1024 * 1024;
/// Most pages accepted.
pub const MAX_PAGES: usize = 50;
/// Most glyphs collected from one file (a 50-page table would stay far below this).
pub const MAX_GLYPHS: usize = 500_000;

/// Text of a panic payload, for the error message.
fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

thread_local! {
    /// Set while this thread is inside a guarded PDF-library call.
    pub(crate) static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Installs (once) a panic hook that stays silent for panics inside [`guarded`] calls, so a
/// batch does not print a backtrace for every bad file, and defers to the previous hook
/// otherwise. Process-wide, set once: swapping hooks per call would race between threads.
pub(crate) fn install_quiet_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                prev(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic inside a PDF library into an `Unreadable` error naming it.
fn guarded<T>(what: &str, f: impl FnOnce() -> Result<T, ReadError>) -> Result<T, ReadError> {
    install_quiet_hook();
    let was = QUIET.with(|q| q.replace(true));
    let r = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    match r {
        Ok(r) => r,
        Err(p) => Err(ReadError::new(
            ErrorKind::Unreadable,
            format!("the PDF library failed while {what}: {}", panic_text(&*p)),
        )),
    }
}

/// Refuses a file over [`MAX_BYTES`] before anything parses it.
pub(crate) fn check_size(bytes: &[u8]) -> Result<(), ReadError> {
    if bytes.len() > MAX_BYTES {
        return Err(ReadError::new(
            ErrorKind::TooLarge,
            format!(
                "PDF is {} bytes; the limit is {} MB",
                bytes.len(),
                MAX_BYTES / (1024 * 1024)
            ),
        ));
    }
    Ok(())
}

/// Parses the bytes and applies the size/page/encryption limits.
fn load(bytes: &[u8]) -> Result<Document, ReadError> {
    check_size(bytes)?;
    if !bytes.windows(5).take(1024).any(|w| w == b"%PDF-") {
        return Err(ReadError::new(
            ErrorKind::Unreadable,
            "not a PDF file (no %PDF- header)",
        ));
    }
    // The fast loader for the common shape of file, lopdf's for everything else.
    let mut doc = load::load(bytes).map_err(|e| {
        let msg = e.to_string();
        if msg.to_ascii_lowercase().contains("decrypt")
            || msg.to_ascii_lowercase().contains("encrypt")
        {
            ReadError::new(ErrorKind::Encrypted, format!("the PDF is encrypted: {msg}"))
        } else {
            ReadError::new(ErrorKind::Unreadable, format!("damaged PDF: {msg}"))
        }
    })?;
    if doc.is_encrypted() {
        return Err(ReadError::new(
            ErrorKind::Encrypted,
            "the PDF is encrypted; save it without a password and try again",
        ));
    }
    let pages = doc.get_pages().len();
    if pages == 0 {
        return Err(ReadError::new(
            ErrorKind::Unreadable,
            "damaged PDF: no pages",
        ));
    }
    if pages > MAX_PAGES {
        return Err(ReadError::new(
            ErrorKind::TooLarge,
            format!("PDF has {pages} pages; the limit is {MAX_PAGES}"),
        ));
    }
    limits::check(&mut doc)?;
    Ok(doc)
}

/// Drops the embedded font programs no engine reads, before extraction.
///
/// pdf-extract 0.12.1 decompresses every simple TrueType font's /FontFile2 and every
/// /FontFile3 only to throw them away (it reads the program only for Type 1 /FontFile and
/// Type1C /FontFile3, to get their built-in encodings). Inflating a CJK font subset is most
/// of its time on a one-page prescription, so those streams are removed from the in-memory
/// document first. Our second engine never reads font programs.
pub fn strip_unused_font_programs(doc: &mut Document) {
    let mut drop_ids = Vec::new();
    for obj in doc.objects.values() {
        let Ok(d) = obj.as_dict() else { continue };
        if d.get(b"Type").and_then(pdf_extract::Object::as_name).ok() != Some(b"FontDescriptor") {
            continue;
        }
        if let Ok(pdf_extract::Object::Reference(id)) = d.get(b"FontFile2") {
            drop_ids.push(*id);
        }
        if let Ok(pdf_extract::Object::Reference(id)) = d.get(b"FontFile3") {
            let keep = doc
                .get_object(*id)
                .and_then(pdf_extract::Object::as_stream)
                .ok()
                .and_then(|s| {
                    s.dict
                        .get(b"Subtype")
                        .and_then(pdf_extract::Object::as_name)
                        .ok()
                })
                == Some(b"Type1C");
            if !keep {
                drop_ids.push(*id);
            }
        }
    }
    for id in drop_ids {
        // An empty stream keeps every reference valid.
        doc.objects.insert(
            id,
            pdf_extract::Object::Stream(pdf_extract::Stream::new(
                pdf_extract::Dictionary::new(),
                Vec::new(),
            )),
        );
    }
}

/// What the extraction engines hand on: glyphs, page facts and table rules.
pub struct Extracted {
    pub glyphs: Vec<glyphs::Glyph>,
    pub pages: Vec<glyphs::PageInfo>,
    pub rules: Vec<glyphs::Rule>,
    /// Which engine read it ("pdf-extract" or "second").
    pub engine: &'static str,
}

/// The two text extractors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// `pdf-extract` 0.12.1 with our glyph collector ([`glyphs::Collector`]).
    PdfExtract,
    /// Our own content-stream reader ([`second`]).
    Second,
}

impl Engine {
    fn name(self) -> &'static str {
        match self {
            Engine::PdfExtract => "pdf-extract",
            Engine::Second => "second",
        }
    }
}

/// The engines to try, in order, for a document (from the font pre-scan alone).
///
/// - Fonts pdf-extract cannot decode (predefined CMaps, Japan1 without ToUnicode): only the
///   second engine — pdf-extract would panic or silently drop the kana and kanji.
/// - A simple font without ToUnicode whose embedded program carries its encoding
///   ([`fonts::has_program_encoded_font`]): pdf-extract first, since only it reads that
///   built-in encoding.
/// - Everything else (Type0 with ToUnicode, Type 3, simple fonts with ToUnicode or a named
///   encoding): the second engine first. Both engines decode these from the same dictionaries
///   and give the same lines on every producer (`tests/pdf_samples.rs`), and the second is
///   several times faster: pdf-extract builds every font's full tables (widths, encodings,
///   ToUnicode through a combinator parser) up front, ours decodes only what is drawn
///   (measured on cairo_noto: 11.4 ms vs 1.5 ms; chromium_noto: 50 ms vs 16 ms).
///
/// The other engine is the fallback when the first fails or its text fails the gate.
pub fn engine_order(doc: &Document) -> Vec<Engine> {
    if !fonts::scan(doc).is_empty() {
        vec![Engine::Second]
    } else if fonts::has_program_encoded_font(doc) {
        vec![Engine::PdfExtract, Engine::Second]
    } else {
        vec![Engine::Second, Engine::PdfExtract]
    }
}

/// Glyphs of every page with one engine (panics caught).
pub fn extract_with(doc: &Document, engine: Engine) -> Result<Extracted, ReadError> {
    match engine {
        Engine::Second => guarded("extracting the text (second engine)", || {
            second::extract(doc, MAX_GLYPHS)
        })
        .map(|(glyphs, pages, rules)| Extracted {
            glyphs,
            pages,
            rules: rules.rules,
            engine: engine.name(),
        }),
        Engine::PdfExtract => guarded("extracting the text", || {
            let mut dev = glyphs::Collector::new(MAX_GLYPHS);
            pdf_extract::output_doc(doc, &mut dev)
                .map_err(|e| ReadError::new(ErrorKind::Unreadable, format!("damaged PDF: {e}")))?;
            Ok(Extracted {
                glyphs: dev.glyphs,
                pages: dev.pages,
                rules: dev.rules.rules,
                engine: engine.name(),
            })
        }),
    }
}

/// Glyphs of every page from the first engine of [`engine_order`] that succeeds (without
/// the gate; see [`read`] for the whole chain).
pub fn extract(doc: &Document) -> Result<Extracted, ReadError> {
    let mut first_err = None;
    for engine in engine_order(doc) {
        match extract_with(doc, engine) {
            Ok(ex) => return Ok(ex),
            Err(e) => {
                first_err.get_or_insert(e);
            }
        }
    }
    Err(first_err.unwrap_or_else(|| ReadError::new(ErrorKind::Unreadable, "no text extractor ran")))
}

/// The limits and the quality gate on one engine's result.
fn accept(doc: &Document, ex: &Extracted) -> Result<(), ReadError> {
    if ex.glyphs.len() >= MAX_GLYPHS {
        // Collection stopped at the limit: reading on would silently drop the rest.
        return Err(ReadError::new(
            ErrorKind::TooLarge,
            format!("PDF has more than {MAX_GLYPHS} characters; not a prescription's size"),
        ));
    }
    let text: String = ex.glyphs.iter().map(|g| g.text.as_str()).collect();
    gate::gate(&text, has_images(doc))?;
    gate::gate_pages(&ex.glyphs)
}

/// True when any page draws an image XObject (directly or in a form): a scan.
fn has_images(doc: &Document) -> bool {
    fn res_has_images(doc: &Document, res: &pdf_extract::Dictionary, depth: u32) -> bool {
        let Ok(x) = res
            .get_deref(b"XObject", doc)
            .and_then(pdf_extract::Object::as_dict)
        else {
            return false;
        };
        x.iter().any(|(_, o)| match doc.dereference(o) {
            Ok((_, pdf_extract::Object::Stream(s))) => {
                match s
                    .dict
                    .get(b"Subtype")
                    .and_then(pdf_extract::Object::as_name)
                {
                    Ok(b"Image") => true,
                    Ok(b"Form") if depth < 3 => s
                        .dict
                        .get_deref(b"Resources", doc)
                        .and_then(pdf_extract::Object::as_dict)
                        .is_ok_and(|r| res_has_images(doc, r, depth + 1)),
                    _ => false,
                }
            }
            _ => false,
        })
    }
    doc.get_pages().values().any(|id| {
        doc.get_dictionary(*id)
            .ok()
            .and_then(|p| fonts::page_resources(doc, p))
            .is_some_and(|r| res_has_images(doc, r, 0))
    })
}

/// Extracts one [`Sheet`] per prescription found in the PDF (in-process; panics of the PDF
/// libraries are caught and become `Unreadable`).
pub fn read(bytes: &[u8]) -> Result<Vec<Sheet>, ReadError> {
    read_with(bytes, false)
}

/// [`read`]; with `leak_doc` the parsed document is not freed (for the extraction child,
/// which exits right after: freeing the tens of thousands of lopdf objects of a Chromium
/// page is wasted work there).
pub(crate) fn read_with(bytes: &[u8], leak_doc: bool) -> Result<Vec<Sheet>, ReadError> {
    guarded("reading the document", || {
        let mut doc = load(bytes)?;
        let r = read_doc(&mut doc);
        if leak_doc {
            std::mem::forget(doc);
        }
        r
    })
}

/// Engines in order, gate and lines on a loaded document.
fn read_doc(doc: &mut Document) -> Result<Vec<Sheet>, ReadError> {
    // The first engine whose text passes the gate wins; if none does, the first engine's
    // error is reported (it names the cause most directly).
    let mut first_err = None;
    let mut stripped = false;
    for engine in engine_order(doc) {
        if engine == Engine::PdfExtract && !stripped {
            // Only pdf-extract inflates font programs; the second engine never touches them.
            strip_unused_font_programs(doc);
            stripped = true;
        }
        let r = extract_with(doc, engine).and_then(|ex| accept(doc, &ex).map(|()| ex));
        match r {
            Ok(ex) => return Ok(lines::sheets_with_rules(&ex.glyphs, &ex.rules)),
            Err(e) => {
                first_err.get_or_insert(e);
            }
        }
    }
    Err(first_err.unwrap_or_else(|| ReadError::new(ErrorKind::Unreadable, "no text extractor ran")))
}

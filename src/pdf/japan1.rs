//! Adobe-Japan1 CID → Unicode, for Identity-encoded Japan1 fonts that carry no ToUnicode map
//! (the pTeX/dvipdfmx default, and the case pdf-extract silently drops).
//!
//! The table is Adobe's Adobe-Japan1-UCS2 CMap (BSD-3-Clause; notice kept in the file),
//! compacted into runs by `corpus/pdf/make/japan1_table.py` and parsed on first use, once
//! per thread: a thread-local cache instead of a `OnceLock`, because the PDF reader forks
//! (`super::forked`) and a forked child must never wait on a lock that another thread of
//! the parent held at the moment of the fork.
//!
//! ```
//! use shohosen::pdf::japan1::cid_to_unicode;
//! assert_eq!(cid_to_unicode(2418).as_deref(), Some("処"));
//! assert_eq!(cid_to_unicode(843).as_deref(), Some("あ"));
//! assert_eq!(cid_to_unicode(0), None);
//! ```

static TABLE: &str = include_str!("japan1_ucs2.txt");

/// (first CID, last CID, UTF-16 of the first CID's text).
type Run = (u32, u32, Vec<u16>);

thread_local! {
    static RUNS: std::cell::OnceCell<std::rc::Rc<[Run]>> = const { std::cell::OnceCell::new() };
}

fn runs() -> std::rc::Rc<[Run]> {
    RUNS.with(|r| r.get_or_init(parse).clone())
}

fn parse() -> std::rc::Rc<[Run]> {
    let mut v: Vec<Run> = TABLE
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            let lo = u32::from_str_radix(it.next()?, 16).ok()?;
            let hi = u32::from_str_radix(it.next()?, 16).ok()?;
            let hex = it.next()?;
            let units: Vec<u16> = (0..hex.len() / 4)
                .filter_map(|i| u16::from_str_radix(hex.get(i * 4..i * 4 + 4)?, 16).ok())
                .collect();
            (!units.is_empty()).then_some((lo, hi, units))
        })
        .collect();
    v.sort_by_key(|r| r.0);
    v.into()
}

/// The Unicode text of an Adobe-Japan1 CID, `None` when the table has none (CID 0, or a glyph
/// with no Unicode meaning).
pub fn cid_to_unicode(cid: u32) -> Option<String> {
    let runs = runs();
    let i = runs.partition_point(|r| r.0 <= cid).checked_sub(1)?;
    let (lo, hi, units) = &runs[i];
    if cid > *hi {
        return None;
    }
    if units.len() == 1 {
        let u = u32::from(units[0]) + (cid - lo);
        return char::from_u32(u).map(String::from);
    }
    String::from_utf16(units).ok()
}

//! The text reader on arbitrary UTF-8: cells, header, items, marks.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = shohosen::text::parse_text(s);
    }
});

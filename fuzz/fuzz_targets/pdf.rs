//! The PDF reader (in process) on arbitrary bytes. Library panics are caught inside `pdf::read`;
//! an abort or a stack overflow here is a finding to fix or to isolate.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = shohosen::pdf::read(data);
});

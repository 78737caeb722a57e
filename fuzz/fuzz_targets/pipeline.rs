//! The whole `parse` pipeline on arbitrary bytes: detection, decoding, every reader, the
//! master, the fee engine, the checks and serialization.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let master = shohosen::master::Master::sample();
    let date = chrono::NaiveDate::from_ymd_opt(2024, 10, 7).expect("valid date");
    let opts = shohosen::pipeline::Options::for_date(date);
    for p in shohosen::pipeline::process_bytes("fuzz", data, &master, &opts) {
        let _ = serde_json_free(&p.record);
    }
});

fn serde_json_free(r: &shohosen::output::Record) -> usize {
    r.to_value(true).to_string().len()
}

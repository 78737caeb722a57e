//! The compact JSON writer (`shohosen::output::json`) against serde_json on every record the
//! corpus and the shared samples produce: text, PDF and 2D-symbol inputs, the bad inputs'
//! error records, with and without `--redact`. The documents must be the same bytes as
//! serde_json writes for the same record (the previous way of writing them).

use std::path::Path;

use chrono::NaiveDate;
use shohosen::master::Master;
use shohosen::pipeline::{Options, expand_inputs, process_input};

#[test]
fn every_corpus_record_is_written_as_serde_json_writes_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dirs: Vec<String> = [
        "corpus/text",
        "corpus/checks",
        "corpus/fees",
        "corpus/bad",
        "corpus/pdf",
        "corpus/jahis",
        "../shared/samples/text",
        "../shared/samples/jahis",
    ]
    .iter()
    .map(|d| root.join(d))
    .filter(|d| d.is_dir())
    .map(|d| d.display().to_string())
    .collect();
    assert!(dirs.len() >= 6, "corpus folders missing: {dirs:?}");
    let master = Master::sample();
    let date = NaiveDate::from_ymd_opt(2024, 10, 2).expect("a valid date");
    let opts = Options::for_date(date);
    let inputs = expand_inputs(&dirs);
    assert!(inputs.len() > 200, "only {} inputs", inputs.len());
    let (mut records, mut with_escapes) = (0, 0);
    for input in &inputs {
        for p in process_input(input, &master, &opts) {
            for redact in [false, true] {
                let ours = p.record.to_json(redact, false);
                let theirs = serde_json::to_string(&p.record.to_value(redact))
                    .expect("serde_json writes every record");
                assert_eq!(ours, theirs, "{} (redact {redact})", input.label());
                with_escapes += usize::from(ours.contains('\\'));
            }
            records += 1;
        }
    }
    assert!(
        records >= inputs.len(),
        "{records} records from {} inputs",
        inputs.len()
    );
    // Some documents carry tabs, quotes or control characters (source lines, bad inputs):
    // the escape path is exercised, not only the clean one.
    assert!(with_escapes > 0, "no record needed an escape");
}

//! Golden test: every `corpus/text/*.txt` is parsed with `text::parse_text` and checked against
//! its hand-written `NAME.expected.json` (a subset of the OUTPUT.md document).
//! `*.sjis.txt` files hold Shift_JIS bytes and are decoded here (the pipeline detects encodings).

mod common;

use serde_json::{Value, json};
use shohosen::text::parse_text;
use std::path::Path;

fn decode(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if path.to_string_lossy().ends_with(".sjis.txt") {
        let (s, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
        assert!(!bad, "{}: not Shift_JIS", path.display());
        s.into_owned()
    } else {
        String::from_utf8(bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }
}

/// The prescription as the output document shows it (reader facts only).
pub fn document(text: &str) -> Value {
    let ps = parse_text(text);
    let Some(p) = ps.first() else {
        return json!({"error": {"kind": "not_a_prescription"}});
    };
    let mut v = serde_json::to_value(p).expect("the model serializes");
    let findings: Vec<Value> = p
        .notes
        .iter()
        .map(|n| json!({"rule": n.rule, "line": n.line}))
        .collect();
    if let Some(o) = v.as_object_mut() {
        o.insert("findings".into(), Value::Array(findings));
        o.insert("prescriptions".into(), json!(ps.len()));
    }
    v
}

#[test]
fn corpus_text_golden() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/text");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus/text exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert!(files.len() >= 25, "only {} corpus files", files.len());
    let mut failures = Vec::new();
    for f in &files {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let stem = name.trim_end_matches(".txt").trim_end_matches(".sjis");
        let exp_path = dir.join(format!("{stem}.expected.json"));
        let Ok(exp_text) = std::fs::read_to_string(&exp_path) else {
            failures.push(format!("{name}: no {stem}.expected.json"));
            continue;
        };
        let expected: Value =
            serde_json::from_str(&exp_text).unwrap_or_else(|e| panic!("{stem}: {e}"));
        let actual = document(&decode(f));
        if let Err(errs) = common::subset_match(&expected, &actual) {
            failures.push(format!("{name}:\n  {}", errs.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

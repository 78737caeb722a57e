//! Golden test: every `corpus/jahis/NAME.txt` against its hand-written `NAME.expected.json`
//! (a subset of the output document; an array when the content holds several prescriptions).
//! Each fixture is also read as Shift_JIS bytes with CR LF and a trailing 0x1A, made here.

mod common;

use serde_json::{Value, json};
use shohosen::jahis;
use shohosen::model::Prescription;

fn corpus() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/jahis")
}

/// The prescription as the output document would carry these facts: the model's keys, with
/// reader notes as `findings: [{rule, item, line}]`.
fn document(p: &Prescription) -> Value {
    let mut v = serde_json::to_value(p).expect("serializable");
    let findings: Vec<Value> = p
        .notes
        .iter()
        .map(|n| json!({"rule": n.rule, "item": n.item, "line": n.line, "message": n.detail}))
        .collect();
    v["findings"] = Value::Array(findings);
    v
}

fn sjis_bytes(text: &str) -> Vec<u8> {
    let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
    let (bytes, _, errors) = encoding_rs::SHIFT_JIS.encode(&crlf);
    assert!(!errors, "fixture not representable in Shift_JIS");
    let mut bytes = bytes.into_owned();
    bytes.push(0x1a);
    bytes
}

#[test]
fn corpus_matches_expected() {
    let mut names: Vec<_> = std::fs::read_dir(corpus())
        .expect("corpus/jahis")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    assert!(names.len() >= 6, "fixtures missing: {names:?}");
    let mut failures = Vec::new();
    for path in names {
        let text = std::fs::read_to_string(&path).unwrap();
        let expected_path = path.with_extension("expected.json");
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(&expected_path)
                .unwrap_or_else(|e| panic!("{expected_path:?}: {e}")),
        )
        .unwrap_or_else(|e| panic!("{expected_path:?}: {e}"));
        let ps = match jahis::parse(&text) {
            Ok(ps) => ps,
            Err(e) => {
                failures.push(format!("{path:?}: {e}"));
                continue;
            }
        };
        let from_sjis = jahis::parse_bytes(&sjis_bytes(&text)).expect("Shift_JIS copy reads");
        let strip = |ps: &[Prescription]| -> Vec<Prescription> {
            ps.iter()
                .cloned()
                .map(|mut p| {
                    p.lines.clear();
                    p
                })
                .collect()
        };
        if strip(&ps) != strip(&from_sjis) {
            failures.push(format!(
                "{path:?}: Shift_JIS CR LF reading differs from UTF-8 LF"
            ));
        }
        let docs: Vec<Value> = ps.iter().map(document).collect();
        let pairs: Vec<(Value, Value)> = match expected {
            Value::Array(exp) => {
                if exp.len() != docs.len() {
                    failures.push(format!(
                        "{path:?}: expected {} prescriptions, got {}",
                        exp.len(),
                        docs.len()
                    ));
                }
                exp.into_iter().zip(docs).collect()
            }
            exp => {
                if docs.len() != 1 {
                    failures.push(format!(
                        "{path:?}: expected 1 prescription, got {}",
                        docs.len()
                    ));
                }
                vec![(exp, docs.into_iter().next().unwrap_or(Value::Null))]
            }
        };
        for (i, (exp, doc)) in pairs.iter().enumerate() {
            if let Err(errs) = common::subset_match(exp, doc) {
                failures.push(format!(
                    "{path:?} #{i}:\n  {}\n  findings: {}",
                    errs.join("\n  "),
                    doc["findings"]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

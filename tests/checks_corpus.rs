//! The checks corpus: for every rule of the catalog, a prescription where it fires
//! (`corpus/checks/RULE-fires.txt`) and one where it must not (`RULE-quiet.txt`), each with a
//! hand-written `.expected.json` (`findings_include` / `findings_exclude`) and an `.args`
//! sidecar holding the CLI options (always `--date`, so nothing depends on today). This test
//! checks the corpus is complete; `tests/corpus_golden.rs` runs every case through the binary.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;


fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/checks")
}

/// Every `.txt` case in the corpus, sorted.
fn cases() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(corpus_dir())
        .expect("corpus/checks exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    v
}

fn sidecar(case: &Path, ext: &str) -> PathBuf {
    case.with_extension(ext)
}

#[test]
fn every_rule_has_a_firing_and_a_quiet_case() {
    let dir = corpus_dir();
    for rule in shohosen::checks::catalog() {
        for (kind, key) in [("fires", "findings_include"), ("quiet", "findings_exclude")] {
            let case = dir.join(format!("{}-{kind}.txt", rule.id));
            assert!(case.exists(), "missing {}", case.display());
            let args = fs::read_to_string(sidecar(&case, "args")).expect("args sidecar");
            assert!(args.contains("--date "), "{}: no --date", case.display());
            let exp: Value = serde_json::from_str(
                &fs::read_to_string(sidecar(&case, "expected.json")).expect("expected"),
            )
            .expect("expected is JSON");
            let ids: Vec<&str> = exp[key]
                .as_array()
                .unwrap_or_else(|| panic!("{}: no {key}", case.display()))
                .iter()
                .filter_map(Value::as_str)
                .collect();
            assert!(
                ids.contains(&rule.id),
                "{}: {key} lacks {}",
                case.display(),
                rule.id
            );
        }
    }
    for case in cases() {
        assert!(
            sidecar(&case, "expected.json").exists(),
            "{}",
            case.display()
        );
        assert!(sidecar(&case, "args").exists(), "{}", case.display());
    }
}

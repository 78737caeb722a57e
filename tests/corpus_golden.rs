//! Every input under `corpus/<kind>/` goes through the binary (`shohosen parse`) and must match
//! its hand-written `NAME.expected.json` (see `tests/common/mod.rs` for the matching rules).
//!
//! `NAME.args` (optional) holds extra command-line arguments, whitespace-separated; without it
//! the run uses `--date 2024-10-07`, so no expectation depends on the day the test runs.
//! Every input must have an expected file: a corpus file nobody checks is a test that cannot fail.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const DEFAULT_ARGS: &[&str] = &["--date", "2024-10-07"];
const NOT_INPUTS: &[&str] = &[
    "json", "args", "md", "py", "sh", "html", "docx", "odt", "tex",
];

/// The inputs of a corpus folder. PDF folders hold the producers' sources beside the PDFs
/// (`*.src.txt`), so only `*.pdf` files are inputs there.
fn corpus_inputs(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(kind);
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let pdf_only = kind == "pdf" && ext != "pdf";
            !pdf_only && !NOT_INPUTS.contains(&ext) && !name.starts_with('.') && name != "README"
        })
        .collect();
    files.sort();
    files
}

/// `NAME.suffix` for an input `NAME.ext` or `NAME.enc.ext` (e.g. `x.sjis.txt` → `x.expected.json`).
fn sidecar(input: &Path, suffix: &str) -> PathBuf {
    let name = input.file_name().and_then(|s| s.to_str()).unwrap_or("");
    let base = name.split('.').next().unwrap_or(name);
    input.with_file_name(format!("{base}.{suffix}"))
}

fn run_case(input: &Path) -> Result<(), String> {
    let expected_path = sidecar(input, "expected.json");
    let expected_text = std::fs::read_to_string(&expected_path).map_err(|e| {
        format!(
            "{}: no expected file {} ({e})",
            input.display(),
            expected_path.display()
        )
    })?;
    let expected: Value = serde_json::from_str(&expected_text)
        .map_err(|e| format!("{}: bad JSON: {e}", expected_path.display()))?;
    let args: Vec<String> = match std::fs::read_to_string(sidecar(input, "args")) {
        Ok(s) => s.split_whitespace().map(str::to_string).collect(),
        Err(_) => DEFAULT_ARGS.iter().map(|s| s.to_string()).collect(),
    };
    let out = Command::cargo_bin("shohosen")
        .map_err(|e| e.to_string())?
        .env(
            "SHOHOSEN_CACHE_DIR",
            std::env::temp_dir().join("shohosen-golden-no-cache"),
        )
        .args(["parse", "--format", "json", "--no-cache"])
        .args(&args)
        .arg(input)
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.code() == Some(101) {
        return Err(format!(
            "{}: panicked: {}",
            input.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let actual: Value = serde_json::from_slice(&out.stdout).map_err(|e| {
        format!(
            "{}: output is not JSON ({e}); stderr: {}",
            input.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    })?;
    common::subset_match(&expected, &actual).map_err(|errs| {
        format!(
            "{} (args {:?}):\n    {}",
            input.display(),
            args,
            errs.join("\n    ")
        )
    })
}

fn run_kind(kind: &str) {
    let inputs = corpus_inputs(kind);
    let failures: Vec<String> = inputs.iter().filter_map(|i| run_case(i).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} corpus/{kind} cases failed:\n{}",
        failures.len(),
        inputs.len(),
        failures.join("\n")
    );
}

#[test]
fn corpus_text() {
    run_kind("text");
}

#[test]
fn corpus_fees() {
    run_kind("fees");
}

#[test]
fn corpus_checks() {
    run_kind("checks");
}

#[test]
fn corpus_jahis() {
    run_kind("jahis");
}

#[test]
fn corpus_pdf() {
    run_kind("pdf");
}

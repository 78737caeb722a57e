//! The binary as a user meets it: exit codes, error records, batches, stdin, redaction.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn shohosen() -> Command {
    let mut c = Command::cargo_bin("shohosen").expect("binary built");
    c.env(
        "SHOHOSEN_CACHE_DIR",
        std::env::temp_dir().join("shohosen-test-no-cache"),
    );
    c
}

fn json_of(out: &[u8]) -> Value {
    serde_json::from_slice(out).expect("stdout is JSON")
}

#[test]
fn empty_input_is_a_clear_error_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("empty.txt");
    std::fs::write(&f, b"").unwrap();
    let out = shohosen()
        .args(["parse", "--format", "json"])
        .arg(&f)
        .assert()
        .code(2)
        .get_output()
        .clone();
    let v = json_of(&out.stdout);
    assert_eq!(v["error"]["kind"], "not_a_prescription");
    assert_eq!(v["source"]["path"], f.display().to_string());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("empty.txt"), "stderr names the file: {err}");
}

#[test]
fn binary_input_is_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("blob.bin");
    std::fs::write(&f, [0u8, 159, 146, 150, 0, 1, 2, 3, 255, 254]).unwrap();
    let out = shohosen()
        .args(["parse", "--format", "json"])
        .arg(&f)
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert_eq!(json_of(&out.stdout)["error"]["kind"], "unreadable");
}

#[test]
fn missing_file_is_an_io_error() {
    let out = shohosen()
        .args(["parse", "--format", "json", "/nonexistent/rx.txt"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let v = json_of(&out.stdout);
    assert_eq!(v["error"]["kind"], "io");
    assert_eq!(v["source"]["path"], "/nonexistent/rx.txt");
}

#[test]
fn over_five_megabytes_of_text_is_too_large() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("huge.txt");
    std::fs::write(&f, "処方\n".repeat(1_000_000)).unwrap();
    let out = shohosen()
        .args(["parse", "--format", "json"])
        .arg(&f)
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert_eq!(json_of(&out.stdout)["error"]["kind"], "too_large");
}

#[test]
fn a_batch_goes_on_past_bad_inputs_and_keeps_every_input() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a_empty.txt"), b"").unwrap();
    std::fs::write(dir.path().join("b_binary.bin"), [0u8, 1, 2, 3]).unwrap();
    std::fs::write(dir.path().join("c_note.txt"), "こんにちは\n").unwrap();
    std::fs::write(dir.path().join("expected.json"), "{}").unwrap();
    let out = shohosen()
        .args(["parse", "--ndjson"])
        .arg(dir.path())
        .assert()
        .code(0)
        .get_output()
        .clone();
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(
        lines.len(),
        3,
        "one record per input, *.json skipped: {lines:?}"
    );
    assert!(
        lines[0]["source"]["path"]
            .as_str()
            .unwrap()
            .ends_with("a_empty.txt")
    );
    assert!(lines.iter().all(|l| l["error"]["kind"].is_string()));
}

#[test]
fn stdin_is_read_with_dash() {
    let out = shohosen()
        .args(["parse", "--format", "json", "-"])
        .write_stdin("\u{0}\u{1}")
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert_eq!(json_of(&out.stdout)["source"]["path"], "-");
}

#[test]
fn bad_options_are_usage_errors() {
    shohosen()
        .args(["parse", "--copay", "150%", "x.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("150%"));
    shohosen()
        .args(["parse", "--date", "2024-02-30", "x.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("2024-02-30"));
    shohosen()
        .args(["parse", "--dispense", "0=brand", "x.txt"])
        .assert()
        .code(2);
    shohosen()
        .args(["parse", "--exempt", "1=maybe", "x.txt"])
        .assert()
        .code(2);
}

#[test]
fn published_schema_matches_the_types() {
    // The schema in the repository is generated from the output types; when the types change,
    // regenerate it with `cargo run -- schema > schema/output.schema.json` and review the diff.
    let published: Value =
        serde_json::from_str(include_str!("../schema/output.schema.json")).unwrap();
    assert_eq!(published, shohosen::output::json_schema());
}

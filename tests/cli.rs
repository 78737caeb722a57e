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
    assert!(
        published == shohosen::output::json_schema(),
        "schema/output.schema.json is out of date: run `cargo run -- schema > schema/output.schema.json` and review the diff"
    );
}

/// Every FEES.md row also through `shohosen fee`: the JSON view gives the expected `fees`
/// subset, and the table shows the patient's total.
#[test]
fn fee_command_reproduces_every_fees_row() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/fees");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 19, "T01–T16 with T03a/b/c: {cases:?}");
    for case in cases {
        let args = std::fs::read_to_string(case.with_extension("args")).unwrap();
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(case.with_extension("expected.json")).unwrap(),
        )
        .unwrap();
        let Some(fees) = expected.get("fees") else {
            continue;
        };
        let out = shohosen()
            .arg("fee")
            .args(["--format", "json"])
            .args(args.split_whitespace())
            .arg(&case)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", case.display());
        let actual = json_of(&out.stdout);
        for (k, v) in fees.as_object().unwrap() {
            if v.is_number() {
                assert_eq!(&actual[k], v, "{}: fees.{k}", case.display());
            }
        }
        let table = shohosen()
            .arg("fee")
            .args(args.split_whitespace())
            .arg(&case)
            .output()
            .unwrap();
        let total = fees["patient_total"].as_i64().unwrap();
        let text = String::from_utf8_lossy(&table.stdout);
        assert!(
            text.lines()
                .any(|l| l.contains("E patient pays") && l.contains(&format!(" {total} 円"))),
            "{}: table without E = {total}:\n{text}",
            case.display()
        );
    }
}

fn corpus(path: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(path)
}

#[test]
fn check_exits_1_on_an_error_finding_and_0_without() {
    // JPhA example 1 on a complete form: only the informational selective-care finding.
    shohosen()
        .args(["check", "--date", "2024-10-07", "--color", "never"])
        .arg(corpus("fees/jpha_example1.txt"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("selective-care"));
    // The same prescription dispensed too late: expired (error, reject).
    shohosen()
        .args(["check", "--date", "2024-10-20", "--color", "never"])
        .arg(corpus("fees/jpha_example1.txt"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("expired"));
}

#[test]
fn check_batch_summary_counts_inputs_errors_and_inquiries() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(corpus("fees/jpha_example1.txt"), dir.path().join("a.txt")).unwrap();
    std::fs::copy(
        corpus("checks/nosub-unsigned-fires.txt"),
        dir.path().join("b.txt"),
    )
    .unwrap();
    std::fs::write(dir.path().join("c.txt"), [0u8, 1, 2]).unwrap();
    let out = shohosen()
        .args(["check", "--format", "json", "--date", "2024-10-07"])
        .arg(dir.path())
        .assert()
        .code(1)
        .get_output()
        .clone();
    let v = json_of(&out.stdout);
    assert_eq!(
        v["inputs"].as_array().map(Vec::len),
        Some(3),
        "one result per input"
    );
    let s = &v["summary"];
    assert_eq!(s["inputs"], 3);
    assert_eq!(s["prescriptions"], 2);
    assert_eq!(s["unreadable"]["unreadable"], 1);
    assert_eq!(s["errors_by_rule"]["nosub-unsigned"], 1);
    assert!(s["needing_inquiry"].as_u64().unwrap() >= 1);
    assert!(v["inputs"][2]["error"]["kind"].is_string());
}

#[test]
fn redact_masks_personal_data_in_parse_and_check() {
    let f = corpus("fees/jpha_example1.txt");
    let out = shohosen()
        .args([
            "parse",
            "--format",
            "json",
            "--redact",
            "--date",
            "2024-10-07",
        ])
        .arg(&f)
        .output()
        .unwrap();
    let v = json_of(&out.stdout);
    assert_eq!(v["patient"]["name"], "＊＊＊");
    assert_eq!(v["patient"]["birth_date"], "1960");
    assert_eq!(v["insurance"]["insurer_number"], "06******");
    assert_eq!(v["insurance"]["number"], "67*");
    let raw = String::from_utf8_lossy(&out.stdout);
    assert!(
        !raw.contains("山田") && !raw.contains("06132013") && !raw.contains("1960-04-12"),
        "{raw}"
    );
    // The QA view quotes lines: the ones holding personal data are masked too.
    let out = shohosen()
        .args([
            "check",
            "--redact",
            "--color",
            "never",
            "--date",
            "2024-10-20",
        ])
        .arg(&f)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("expired"), "{text}");
    assert!(
        !text.contains("山田") && !text.contains("06132013"),
        "{text}"
    );
}

//! `corpus/bad/`: inputs that must fail cleanly. Each one goes through the binary
//! (`shohosen parse`) and must
//! - finish within [`TIME_LIMIT`] (a hang fails the test; the child is killed),
//! - not panic (exit 101) nor die from a signal,
//! - stay under [`MEMORY_LIMIT_KB`] peak resident memory, the PDF reader's child process
//!   included, as the binary reports it with `SHOHOSEN_PEAK_MEMORY=1` (`src/peak.rs` says
//!   why the parent's `wait4` cannot measure it),
//! - print JSON that matches its hand-written `NAME.expected.json` (the subset rules of
//!   `tests/common/mod.rs`), plus two keys of this test: `message_includes` (words the error
//!   message must contain), `item_count` (the exact number of items of a document) and
//!   `record_count` with `each` (an input of several prescriptions: how many records, and a
//!   subset every one must match);
//! - exit 2 for an error record and 0 for a document (parse never fails on findings).
//!
//! Inputs too large to commit are `NAME.gen` recipes (JSON: `ext` and `parts`, each part a
//! `text` repeated `times` times), expanded into a temporary directory here. The small inputs
//! are written by `corpus/bad/make/make_bad.py`.

mod common;

use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A stuck input shows up as a failure instead of a test that never ends. Generous: debug
/// builds on a loaded 2-core machine; the slowest case takes a few seconds.
const TIME_LIMIT: Duration = Duration::from_secs(120);
/// Issue 7: no bad input may take the process over 200 MB.
const MEMORY_LIMIT_KB: i64 = 200 * 1024;
const DEFAULT_ARGS: &[&str] = &["--date", "2024-10-07"];

fn bad_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/bad")
}

/// The inputs: every file of `corpus/bad/` but the sidecars, with `.gen` recipes expanded.
fn inputs(tmp: &Path) -> Vec<(String, PathBuf)> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(bad_dir())
        .expect("corpus/bad exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !name.ends_with(".json") && !name.ends_with(".args") && !name.ends_with(".md")
        })
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|p| {
            let base = base_name(&p);
            if p.extension().is_some_and(|e| e == "gen") {
                (base.clone(), expand(&p, tmp, &base))
            } else {
                (base, p)
            }
        })
        .collect()
}

fn base_name(p: &Path) -> String {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.split('.').next().unwrap_or(name).to_string()
}

/// Writes the file a `.gen` recipe describes.
fn expand(recipe: &Path, tmp: &Path, base: &str) -> PathBuf {
    let r: Value = serde_json::from_str(&std::fs::read_to_string(recipe).expect("recipe"))
        .unwrap_or_else(|e| panic!("{}: {e}", recipe.display()));
    let ext = r["ext"].as_str().expect("recipe ext");
    let out = tmp.join(format!("{base}.{ext}"));
    let mut w = BufWriter::new(std::fs::File::create(&out).expect("create generated input"));
    for part in r["parts"].as_array().expect("recipe parts") {
        let text = part["text"].as_str().expect("part text");
        for _ in 0..part["times"].as_u64().unwrap_or(1) {
            w.write_all(text.as_bytes()).expect("write generated input");
        }
    }
    w.flush().expect("write generated input");
    out
}

struct Run {
    status: std::process::ExitStatus,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    max_rss_kb: i64,
    elapsed: Duration,
}

/// Runs the binary on one input with a deadline (killed past it), draining its output.
fn run(input: &Path, args: &[String]) -> Result<Run, String> {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_shohosen"))
        .env(
            "SHOHOSEN_CACHE_DIR",
            std::env::temp_dir().join("shohosen-bad-no-cache"),
        )
        .env("SHOHOSEN_PEAK_MEMORY", "1")
        .args(["parse", "--format", "json", "--no-cache"])
        .args(args)
        .arg(input)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("spawn: {e}"))?;
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    // Drain both pipes while waiting: a large document must not block the child.
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(e) => return Err(format!("wait failed: {e}")),
        }
        if start.elapsed() > TIME_LIMIT && !timed_out {
            timed_out = true;
            let _ = child.kill();
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    if timed_out {
        return Err(format!("did not finish within {TIME_LIMIT:?} (killed)"));
    }
    let max_rss_kb = peak_kb(&String::from_utf8_lossy(&stderr))
        .ok_or("no peak-memory report on stderr (SHOHOSEN_PEAK_MEMORY)")?;
    Ok(Run {
        status,
        stdout,
        stderr,
        max_rss_kb,
        elapsed: start.elapsed(),
    })
}

/// The larger of the two numbers of `peak memory: N KB (this process), M KB (…)`.
fn peak_kb(stderr: &str) -> Option<i64> {
    let line = stderr.lines().find(|l| l.starts_with("peak memory: "))?;
    line.split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse::<i64>().ok())
        .max()
}

fn check(name: &str, input: &Path) -> Result<String, String> {
    let dir = bad_dir();
    let expected_path = dir.join(format!("{name}.expected.json"));
    let mut expected: Value = serde_json::from_str(
        &std::fs::read_to_string(&expected_path)
            .map_err(|e| format!("no expected file {} ({e})", expected_path.display()))?,
    )
    .map_err(|e| format!("{}: {e}", expected_path.display()))?;
    let args: Vec<String> = match std::fs::read_to_string(dir.join(format!("{name}.args"))) {
        Ok(s) => s.split_whitespace().map(str::to_string).collect(),
        Err(_) => DEFAULT_ARGS.iter().map(|s| s.to_string()).collect(),
    };
    let r = run(input, &args)?;
    let stderr = String::from_utf8_lossy(&r.stderr);
    if r.status.code().is_none() {
        return Err(format!(
            "killed by a signal ({}); stderr: {stderr}",
            r.status
        ));
    }
    if r.status.code() == Some(101) {
        return Err(format!("panicked: {stderr}"));
    }
    if r.max_rss_kb > MEMORY_LIMIT_KB {
        return Err(format!(
            "peak memory {} MB is over the {} MB limit",
            r.max_rss_kb / 1024,
            MEMORY_LIMIT_KB / 1024
        ));
    }
    let actual: Value = serde_json::from_slice(&r.stdout)
        .map_err(|e| format!("output is not JSON ({e}); stderr: {stderr}"))?;
    let doc = match &actual {
        Value::Array(v) if v.len() == 1 => v[0].clone(),
        other => other.clone(),
    };
    let obj = expected
        .as_object_mut()
        .ok_or("expected is not an object")?;
    let words = obj.remove("message_includes");
    let count = obj.remove("item_count");
    let records = obj.remove("record_count");
    let each = obj.remove("each");
    let mut errors = Vec::new();
    if let Some(n) = records.and_then(|r| r.as_u64()) {
        // An input of several prescriptions: their number, and what every one must hold.
        let all = actual
            .as_array()
            .cloned()
            .unwrap_or_else(|| vec![actual.clone()]);
        if all.len() as u64 != n {
            errors.push(format!("{} records, expected {n}", all.len()));
        }
        for (i, rec) in all.iter().enumerate() {
            if let Some(Err(e)) = each.as_ref().map(|x| common::subset_match(x, rec)) {
                errors.push(format!("record {}: {}", i + 1, e.join("; ")));
                break;
            }
        }
        return outcome(name, &r, errors);
    }
    if let Err(e) = common::subset_match(&expected, &doc) {
        errors.extend(e);
    }
    let message = doc["error"]["message"].as_str().unwrap_or("");
    for w in words
        .iter()
        .flat_map(|w| w.as_array().cloned().unwrap_or_default())
    {
        let w = w.as_str().unwrap_or("");
        if !message.contains(w) {
            errors.push(format!("error message lacks {w:?}: {message:?}"));
        }
    }
    if let Some(n) = count.and_then(|c| c.as_u64()) {
        let got = doc["items"].as_array().map_or(0, |a| a.len()) as u64;
        if got != n {
            errors.push(format!("{got} items, expected {n}"));
        }
    }
    let want_code = if doc.get("error").is_some() { 2 } else { 0 };
    if r.status.code() != Some(want_code) {
        errors.push(format!(
            "exit code {:?}, expected {want_code}",
            r.status.code()
        ));
    }
    outcome(name, &r, errors)
}

/// One line for a passing input, or its mismatches.
fn outcome(name: &str, r: &Run, errors: Vec<String>) -> Result<String, String> {
    if errors.is_empty() {
        Ok(format!(
            "{name}: ok in {:.2?}, {} MB",
            r.elapsed,
            r.max_rss_kb / 1024
        ))
    } else {
        Err(errors.join("\n      "))
    }
}

#[test]
fn every_bad_input_fails_cleanly_within_time_and_memory() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let inputs = inputs(tmp.path());
    assert!(
        inputs.len() >= 40,
        "corpus/bad holds {} inputs; issue 7 asks for at least 40 kinds",
        inputs.len()
    );
    let mut failures = Vec::new();
    for (name, path) in &inputs {
        match check(name, path) {
            Ok(line) => eprintln!("{line}"),
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus/bad inputs failed:\n  {}",
        failures.len(),
        inputs.len(),
        failures.join("\n  ")
    );
}

#[test]
fn every_bad_input_has_an_expectation_and_every_expectation_an_input() {
    let dir = bad_dir();
    let tmp = tempfile::tempdir().expect("temp dir");
    let names: Vec<String> = inputs(tmp.path()).into_iter().map(|(n, _)| n).collect();
    for e in std::fs::read_dir(&dir)
        .expect("corpus/bad")
        .filter_map(Result::ok)
    {
        let f = e.file_name().to_string_lossy().to_string();
        if let Some(base) = f.strip_suffix(".expected.json") {
            assert!(names.iter().any(|n| n == base), "{f} has no input");
        }
    }
    for n in &names {
        assert!(
            dir.join(format!("{n}.expected.json")).exists(),
            "{n} has no expected file"
        );
    }
}

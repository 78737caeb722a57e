//! `pdf::read_isolated` survives a child that aborts, overflows its stack, hangs, exits badly
//! or writes garbage, and gives the same sheets as `pdf::read` when all goes well.

use shohosen::error::ErrorKind;
use shohosen::pdf;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const EXE: &str = env!("CARGO_BIN_EXE_shohosen");
const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/samples/pdf/rl_ucs2.pdf"
);

/// Runs `read_isolated` in a fresh process of this test binary (the ignored helper test)
/// with the fault trigger in its environment, so the trigger never leaks into parallel tests;
/// the shohosen child inherits it.
fn isolated_with_fault(fault: &str, timeout: Duration) -> Result<usize, (ErrorKind, String)> {
    let out = Command::new(std::env::current_exe().expect("test exe"))
        .args([
            "--exact",
            "helper_run_isolated",
            "--nocapture",
            "--include-ignored",
        ])
        .env(pdf::isolate::FAULT_ENV, fault)
        .env("HELPER_TIMEOUT_MS", timeout.as_millis().to_string())
        .output()
        .expect("run helper");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let line = text
        .lines()
        .find(|l| l.starts_with("RESULT "))
        .unwrap_or_else(|| panic!("helper printed no result: {text}"));
    let rest = &line["RESULT ".len()..];
    if let Some(n) = rest.strip_prefix("ok ") {
        Ok(n.parse().expect("count"))
    } else {
        let (kind, msg) = rest.split_once(' ').unwrap_or((rest, ""));
        let kind = match kind {
            "unreadable" => ErrorKind::Unreadable,
            "io" => ErrorKind::Io,
            "too_large" => ErrorKind::TooLarge,
            other => panic!("unexpected kind {other}"),
        };
        Err((kind, msg.to_string()))
    }
}

/// Not a test of its own: the subprocess entry of `isolated_with_fault`.
#[test]
#[ignore = "helper run by the other tests in a subprocess"]
fn helper_run_isolated() {
    let ms: u64 = std::env::var("HELPER_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let bytes = std::fs::read(SAMPLE).expect("sample");
    match pdf::read_isolated(&bytes, Path::new(EXE), Duration::from_millis(ms)) {
        Ok(s) => println!("RESULT ok {}", s.len()),
        Err(e) => println!("RESULT {} {}", e.kind.as_str(), e.message),
    }
}

#[test]
fn isolated_read_equals_in_process_read() {
    let bytes = std::fs::read(SAMPLE).expect("sample");
    let a = pdf::read(&bytes).expect("in process");
    let b = pdf::read_isolated(&bytes, Path::new(EXE), Duration::from_secs(30)).expect("isolated");
    assert_eq!(a, b);
}

#[test]
fn spawned_read_equals_in_process_read() {
    // The isolation through a fresh `shohosen __pdf-extract` process (the one used where
    // there is no fork) gives the same sheets too.
    let bytes = std::fs::read(SAMPLE).expect("sample");
    let a = pdf::read(&bytes).expect("in process");
    let b = pdf::read_spawned(&bytes, Path::new(EXE), Duration::from_secs(30)).expect("spawned");
    assert_eq!(a, b);
}

#[test]
fn isolated_reads_from_many_threads_at_once_all_succeed() {
    // A batch forks from several worker threads at the same time: every child must answer
    // on its own pipe, whatever its siblings inherited at the moment of their fork.
    let bytes = std::fs::read(SAMPLE).expect("sample");
    let expected = pdf::read(&bytes).expect("in process");
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..6)
            .map(|_| {
                s.spawn(|| {
                    (0..3)
                        .map(|_| {
                            pdf::read_isolated(&bytes, Path::new(EXE), Duration::from_secs(60))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            for r in h.join().expect("thread") {
                assert_eq!(r.expect("isolated"), expected);
            }
        }
    });
}

#[test]
fn abort_in_the_child_is_an_error_record() {
    let (kind, msg) = isolated_with_fault("abort", Duration::from_secs(30)).expect_err("abort");
    assert_eq!(kind, ErrorKind::Unreadable);
    assert!(msg.contains("signal 6"), "{msg}");
}

#[test]
fn stack_overflow_in_the_child_is_an_error_record() {
    let (kind, msg) =
        isolated_with_fault("overflow", Duration::from_secs(30)).expect_err("overflow");
    assert_eq!(kind, ErrorKind::Unreadable);
    assert!(msg.contains("signal"), "{msg}");
}

#[test]
fn hang_in_the_child_times_out() {
    let t = Instant::now();
    let (kind, msg) = isolated_with_fault("hang", Duration::from_millis(700)).expect_err("hang");
    assert_eq!(kind, ErrorKind::Unreadable);
    assert!(msg.contains("timed out after 1s"), "{msg}");
    // The helper returned: the child was killed, not waited for forever.
    assert!(t.elapsed() < Duration::from_secs(60));
}

#[test]
fn bad_exit_and_garbage_output_are_error_records() {
    let (_, msg) = isolated_with_fault("exit", Duration::from_secs(30)).expect_err("exit");
    assert!(msg.contains("status 3"), "{msg}");
    let (kind, msg) = isolated_with_fault("garbage", Duration::from_secs(30)).expect_err("garbage");
    assert_eq!(kind, ErrorKind::Unreadable);
    assert!(msg.contains("no usable result"), "{msg}");
}

#[test]
fn errors_cross_the_process_boundary_with_their_kind() {
    let e = pdf::read_isolated(b"%PDF-1.4 garbage", Path::new(EXE), Duration::from_secs(30))
        .expect_err("bad");
    assert_eq!(e.kind, ErrorKind::Unreadable);
    let scan_like = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/samples/pdf/synthetic_cairo_ipaex_noToUnicode.pdf"
    ))
    .expect("synthetic");
    let e = pdf::read_isolated(&scan_like, Path::new(EXE), Duration::from_secs(30))
        .expect_err("synthetic");
    assert_eq!(e.kind, ErrorKind::Unreadable);
}

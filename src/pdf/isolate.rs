//! Extraction in a child process, so one bad PDF cannot take a batch down.
//!
//! `catch_unwind` stops panics, but not an abort, a stack overflow (reported for pdf-extract on
//! hostile files) or an endless loop. [`read_isolated`] runs the extraction in a child
//! process and reads the sheets back as JSON from a pipe; a crash, a non-zero exit or a
//! timeout becomes a [`ReadError`]. On Linux the child is a `fork()` of the caller
//! (`super::forked`, no second process start); elsewhere it is `EXE __pdf-extract`
//! ([`read_spawned`]), fed the PDF on its stdin, and the binary's `main` must hand
//! `argv[1]` == [`CHILD_ARG`] to [`child_main`] before parsing its command line.
//!
//! ```no_run
//! use std::time::Duration;
//! let exe = std::env::current_exe().unwrap();
//! let bytes = std::fs::read("rx.pdf").unwrap();
//! let sheets = shohosen::pdf::read_isolated(&bytes, &exe, Duration::from_secs(10));
//! ```

use super::{MAX_BYTES, read_with};
use crate::error::{ErrorKind, ReadError};
use crate::sheet::Sheet;
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The hidden first argument that makes the binary act as the extraction child.
pub const CHILD_ARG: &str = "__pdf-extract";

/// Test-only: when set in the child's environment, the child misbehaves on purpose
/// (`abort`, `overflow`, `hang`, `exit`, `garbage`) so tests can prove the parent survives.
pub const FAULT_ENV: &str = "SHOHOSEN_TEST_PDF_CHILD_FAULT";

/// What the child writes to its pipe.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Wire {
    Sheets(Vec<Sheet>),
    Error { kind: String, message: String },
}

impl From<Result<Vec<Sheet>, ReadError>> for Wire {
    fn from(r: Result<Vec<Sheet>, ReadError>) -> Self {
        match r {
            Ok(sheets) => Wire::Sheets(sheets),
            Err(e) => Wire::Error {
                kind: e.kind.as_str().to_string(),
                message: e.message,
            },
        }
    }
}

fn kind_from_str(s: &str) -> ErrorKind {
    match s {
        "encrypted" => ErrorKind::Encrypted,
        "no_text_layer" => ErrorKind::NoTextLayer,
        "not_a_prescription" => ErrorKind::NotAPrescription,
        "too_large" => ErrorKind::TooLarge,
        "io" => ErrorKind::Io,
        _ => ErrorKind::Unreadable,
    }
}

#[allow(unconditional_recursion)]
fn overflow(depth: u64) -> u64 {
    let pad = [depth; 512];
    overflow(depth + 1) + pad[(depth % 512) as usize]
}

/// A misbehaviour ordered through [`FAULT_ENV`] (tests only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    None,
    Abort,
    Overflow,
    Hang,
    Exit,
    Garbage,
}

impl Fault {
    /// Read from the environment (by the parent, before a fork: the child takes no lock).
    pub(crate) fn from_env() -> Fault {
        match std::env::var(FAULT_ENV).as_deref() {
            Ok("abort") => Fault::Abort,
            Ok("overflow") => Fault::Overflow,
            Ok("hang") => Fault::Hang,
            Ok("exit") => Fault::Exit,
            Ok("garbage") => Fault::Garbage,
            _ => Fault::None,
        }
    }

    /// Misbehaves; `Some(exit code)` when the child should end with it, `None` to work on.
    pub(crate) fn act(self, out: &mut impl Write) -> Option<i32> {
        match self {
            Fault::None => None,
            Fault::Abort => std::process::abort(),
            Fault::Overflow => {
                let n = overflow(std::hint::black_box(0));
                let _ = write!(out, "{n}");
                Some(0)
            }
            Fault::Hang => loop {
                std::thread::sleep(Duration::from_secs(1));
            },
            Fault::Exit => Some(3),
            Fault::Garbage => {
                let _ = out.write_all(b"not json");
                Some(0)
            }
        }
    }
}

/// The spawned child: PDF bytes on stdin → JSON on stdout. Returns the process exit code.
pub fn child_main() -> i32 {
    if let Some(code) = Fault::from_env().act(&mut std::io::stdout().lock()) {
        let _ = std::io::stdout().flush();
        return code;
    }
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin()
        .take(MAX_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
    {
        eprintln!("pdf child: cannot read stdin: {e}");
        return 2;
    }
    let wire = Wire::from(read_with(&bytes, true));
    let mut out = std::io::stdout().lock();
    match serde_json::to_writer(&mut out, &wire) {
        Ok(()) => {
            let _ = out.flush();
            0
        }
        Err(e) => {
            eprintln!("pdf child: cannot write: {e}");
            2
        }
    }
}

/// Describes how the child ended, for the error message.
fn describe(status: &std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            let what = match sig {
                6 => {
                    " (abort; a stack overflow or running out of its memory allowance ends this way too)"
                }
                11 => " (segmentation fault)",
                9 => " (killed)",
                _ => "",
            };
            return format!("was killed by signal {sig}{what}");
        }
    }
    match status.code() {
        Some(c) => format!("exited with status {c}"),
        None => "ended abnormally".to_string(),
    }
}

/// Like [`super::read`], but in a child process with a time limit: a fork of this process
/// on Linux (`exe` unused there), `exe __pdf-extract` elsewhere ([`read_spawned`]).
pub fn read_isolated(bytes: &[u8], exe: &Path, timeout: Duration) -> Result<Vec<Sheet>, ReadError> {
    #[cfg(target_os = "linux")]
    {
        let _ = exe;
        super::check_size(bytes)?;
        super::forked::read_forked(bytes, timeout)
    }
    #[cfg(not(target_os = "linux"))]
    read_spawned(bytes, exe, timeout)
}

/// The error of a child that ran out of time.
pub(crate) fn timed_out_error(timeout: Duration) -> ReadError {
    ReadError::new(
        ErrorKind::Unreadable,
        format!(
            "the PDF reader timed out after {}s; the file is too complex or damaged",
            timeout.as_secs_f32().ceil() as u64
        ),
    )
}

/// The result from a finished child's exit status and output.
pub(crate) fn finish(
    status: std::process::ExitStatus,
    out: &[u8],
) -> Result<Vec<Sheet>, ReadError> {
    if !status.success() {
        return Err(ReadError::new(
            ErrorKind::Unreadable,
            format!(
                "the PDF reader {} while reading this file; the file is damaged or hostile",
                describe(&status)
            ),
        ));
    }
    match serde_json::from_slice::<Wire>(out) {
        Ok(Wire::Sheets(s)) => Ok(s),
        Ok(Wire::Error { kind, message }) => Err(ReadError::new(kind_from_str(&kind), message)),
        Err(e) => Err(ReadError::new(
            ErrorKind::Unreadable,
            format!("the PDF reader returned no usable result: {e}"),
        )),
    }
}

/// [`read_isolated`] through a fresh process `exe __pdf-extract` (the PDF on its stdin, the
/// JSON answer on its stdout): the isolation on systems without `super::forked`.
pub fn read_spawned(bytes: &[u8], exe: &Path, timeout: Duration) -> Result<Vec<Sheet>, ReadError> {
    super::check_size(bytes)?;
    let mut child = Command::new(exe)
        .arg(CHILD_ARG)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| {
            ReadError::new(
                ErrorKind::Io,
                format!("cannot start the PDF reader {}: {e}", exe.display()),
            )
        })?;
    let mut stdin = child.stdin.take();
    let mut stdout = child.stdout.take();
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || {
        if let Some(mut s) = stdin.take() {
            // A child that dies early closes the pipe: not our error to report.
            let _ = s.write_all(&input);
        }
    });
    // The reader hands the output over the moment the child closes its stdout (it does so
    // by exiting), so the parent wakes at once instead of polling `try_wait` with naps that
    // added up to 5 ms of idle wall time per file.
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.read_to_end(&mut out);
        }
        let _ = tx.send(out);
    });
    let start = Instant::now();
    let timed_out = |child: &mut std::process::Child| {
        let _ = child.kill();
        let _ = child.wait();
        timed_out_error(timeout)
    };
    let out = match rx.recv_timeout(timeout) {
        Ok(out) => out,
        Err(_) => {
            let e = timed_out(&mut child);
            let _ = writer.join();
            let _ = reader.join();
            return Err(e);
        }
    };
    let _ = reader.join();
    // Stdout is closed: the child is exiting (or has closed it and hangs: the time limit
    // still applies).
    let mut nap = Duration::from_micros(20);
    let status = loop {
        match child.try_wait() {
            Ok(Some(st)) => break st,
            Ok(None) => {}
            Err(e) => {
                let _ = child.kill();
                return Err(ReadError::new(
                    ErrorKind::Io,
                    format!("lost the PDF reader: {e}"),
                ));
            }
        }
        if start.elapsed() >= timeout {
            let e = timed_out(&mut child);
            let _ = writer.join();
            return Err(e);
        }
        std::thread::sleep(nap);
        nap = (nap * 2).min(Duration::from_millis(5));
    };
    let _ = writer.join();
    finish(status, &out)
}

//! Linux: the extraction child as a `fork()` of the calling process instead of a fresh
//! `exec` of the binary.
//!
//! Why: `spawn` + `exec` paid for a second process start on every PDF — loading and
//! relocating the 7 MB binary, the Rust runtime, copying the PDF through a pipe into the
//! child — about 1 ms of a 3–10 ms run. A forked child already holds the PDF bytes and the
//! initialised program (copy-on-write), so it starts reading at once. The isolation is the
//! same: the child is its own process; an abort, a stack overflow or a segfault kills only
//! it, a hang is ended by the parent's time limit (`SIGKILL`), and the parent only ever
//! reads a length-free JSON answer from a pipe, checked like the spawned child's.
//!
//! Fork from a multi-threaded parent (the batch's rayon workers) is sound here because the
//! child touches no lock another thread could hold at the moment of the fork:
//! - memory: the allocator's locks are taken around the fork and reset in the child. The
//!   `shohosen` binary uses jemalloc (src/main.rs), which registers `pthread_atfork`
//!   handlers that do this; a program that links the library with Rust's default allocator
//!   gets glibc `malloc`, whose `fork` does the same for every arena lock. (An allocator
//!   without such handlers, mimalloc for one, could leave the child blocked on a lock.)
//! - the panic hook is installed before the fork ([`super::install_quiet_hook`], a `Once`
//!   that is complete, hence lock-free, afterwards), and the child runs with the quiet flag
//!   set, so a panic never takes the `stderr` lock;
//! - the fault trigger (tests) is read from the environment before the fork (the
//!   environment lock);
//! - the child writes its answer with a raw `write` on its pipe, never through Rust's
//!   `stdout`, and leaves with `_exit`: no buffered output of the parent is flushed twice,
//!   no destructor or `atexit` handler of the parent runs;
//! - extraction (lopdf, pdf-extract, our engines) uses no process-wide lock; its one lazy
//!   table ([`super::japan1`]) is cached per thread, not in a `OnceLock` another thread of
//!   the parent could have been filling at the moment of the fork;
//! - nothing in the child calls into rayon.
//!
//! Before working, the child closes every inherited descriptor except its own pipe end:
//! otherwise a sibling forked at the same moment by another batch worker would hold our
//! pipe's write end open, and our end-of-file (the signal that the answer is complete)
//! would wait for the sibling. Its stdout and stderr go to `/dev/null`, like the spawned
//! child's stderr: a stack-overflow message must not reach the user's terminal.
//!
//! The child runs on the forking thread's stack (the spawned child ran on a main thread of
//! 8 MB; a rayon worker has 2 MB). Every recursion in extraction is bounded far below that
//! (lopdf's parser depth limits, form nesting ≤ 8 in the second engine), and an unbounded
//! one overflows either stack: the outcome is the same error record.

use super::isolate::{Fault, Wire, finish, timed_out_error};
use crate::error::{ErrorKind, ReadError};
use crate::sheet::Sheet;
use std::io::{PipeReader, PipeWriter, Read, Write};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

/// Kills and reaps the child.
fn kill_and_reap(pid: libc::pid_t) {
    // SAFETY: plain system calls on a child pid we own and have not reaped yet.
    unsafe {
        libc::kill(pid, libc::SIGKILL);
        let mut st = 0;
        libc::waitpid(pid, &mut st, 0);
    }
}

/// Waits until `deadline` for the child to end; `None` when it is still running then.
fn reap_until(pid: libc::pid_t, deadline: Instant) -> Result<Option<i32>, ReadError> {
    let mut nap = Duration::from_micros(20);
    loop {
        let mut st = 0;
        // SAFETY: waitpid on our own child with a valid out pointer.
        let r = unsafe { libc::waitpid(pid, &mut st, libc::WNOHANG) };
        if r == pid {
            return Ok(Some(st));
        }
        if r < 0 {
            let e = std::io::Error::last_os_error();
            if e.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return Err(ReadError::new(
                ErrorKind::Io,
                format!("lost the PDF reader: {e}"),
            ));
        }
        if Instant::now() >= deadline {
            return Ok(None);
        }
        std::thread::sleep(nap);
        nap = (nap * 2).min(Duration::from_millis(5));
    }
}

/// Reads the pipe to its end, or until the deadline (`false`).
fn read_until(pipe: &mut PipeReader, out: &mut Vec<u8>, deadline: Instant) -> bool {
    let mut buf = [0u8; 64 * 1024];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return false;
        }
        let mut pfd = libc::pollfd {
            fd: pipe.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = left.as_millis().clamp(1, i32::MAX as u128) as i32;
        // SAFETY: one valid pollfd.
        let r = unsafe { libc::poll(&mut pfd, 1, ms) };
        if r < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            // poll itself failed: fall back to a blocking read; the child's exit ends it.
        } else if r == 0 {
            continue; // the loop head sees the deadline
        }
        match pipe.read(&mut buf) {
            Ok(0) => return true,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return true,
        }
    }
}

/// Closes every descriptor from `lo` to `hi` (inclusive) in the child.
fn close_from(lo: i32, hi: i32) {
    if lo > hi {
        return;
    }
    // SAFETY: close_range(2) on descriptors of this single-threaded child that nothing
    // here uses. Called through syscall(2), so that glibc older than 2.34 links too.
    let r = unsafe {
        libc::syscall(
            libc::SYS_close_range,
            lo as libc::c_uint,
            hi as libc::c_uint,
            0 as libc::c_uint,
        )
    };
    if r == 0 {
        return;
    }
    // Kernels before 5.9: close what /proc lists.
    let open: Vec<i32> = std::fs::read_dir("/proc/self/fd")
        .map(|d| {
            d.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    for fd in open.into_iter().filter(|fd| (lo..=hi).contains(fd)) {
        // SAFETY: as above.
        unsafe { libc::close(fd) };
    }
}

/// Address space the child may add to what it inherited. Real prescription PDFs peak at a
/// few tens of MB in the reader; a bomb that the stream limits ([`super::limits`]) do not
/// foresee (say a ToUnicode range over four billion codes) then ends as a failed allocation
/// in the child — an abort, reported as an error record — instead of driving the machine
/// into swap until the time limit.
pub const CHILD_EXTRA_ADDRESS_SPACE: u64 = 512 * 1024 * 1024;

/// Limits the child's address space to its size at the fork plus
/// [`CHILD_EXTRA_ADDRESS_SPACE`]. Best effort: without `/proc` the child runs unlimited.
fn cap_address_space() {
    let pages = std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok());
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if let (Some(pages), Ok(page)) = (pages, u64::try_from(page)) {
        let limit = pages
            .saturating_mul(page)
            .saturating_add(CHILD_EXTRA_ADDRESS_SPACE);
        let rl = libc::rlimit {
            rlim_cur: limit as libc::rlim_t,
            rlim_max: limit as libc::rlim_t,
        };
        // SAFETY: setrlimit with a valid struct, on this (child) process only.
        unsafe { libc::setrlimit(libc::RLIMIT_AS, &rl) };
    }
}

/// The child's whole life after the fork. Never returns.
fn child(bytes: &[u8], mut out: PipeWriter, devnull: &std::fs::File, fault: Fault) -> ! {
    let fd = out.as_raw_fd();
    // SAFETY: dup2 on descriptors we own, in a fresh single-threaded child: stdout and
    // stderr to /dev/null.
    unsafe {
        libc::dup2(devnull.as_raw_fd(), 1);
        libc::dup2(devnull.as_raw_fd(), 2);
    }
    // Every other inherited descriptor closed except our pipe end (module docs).
    close_from(3, fd - 1);
    close_from(fd + 1, i32::MAX);
    cap_address_space();
    // No unwinding may leave this function: above it is the parent's code.
    let code = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        super::QUIET.with(|q| q.set(true));
        if let Some(code) = fault.act(&mut out) {
            return code;
        }
        let wire = Wire::from(super::read_with(bytes, true));
        match serde_json::to_vec(&wire) {
            Ok(v) => {
                if out.write_all(&v).is_ok() {
                    0
                } else {
                    2
                }
            }
            Err(_) => 2,
        }
    }))
    .unwrap_or(101);
    // SAFETY: ends the child without running the parent's exit handlers or flushing its
    // buffers (they belong to the parent).
    unsafe { libc::_exit(code) }
}

/// [`super::read_isolated`] on Linux: extraction in a forked child with a time limit.
pub fn read_forked(bytes: &[u8], timeout: Duration) -> Result<Vec<Sheet>, ReadError> {
    super::install_quiet_hook();
    let fault = Fault::from_env();
    let devnull = std::fs::File::options()
        .write(true)
        .open("/dev/null")
        .map_err(|e| ReadError::new(ErrorKind::Io, format!("cannot open /dev/null: {e}")))?;
    let (reader, mut writer) = std::io::pipe()
        .map_err(|e| ReadError::new(ErrorKind::Io, format!("cannot start the PDF reader: {e}")))?;
    // With stdio closed the write end may get descriptor 1 or 2, which the child points at
    // /dev/null: move it above them (try_clone duplicates to the lowest free fd >= 3).
    if writer.as_raw_fd() <= 2 {
        writer = writer.try_clone().map_err(|e| {
            ReadError::new(ErrorKind::Io, format!("cannot start the PDF reader: {e}"))
        })?;
    }
    let start = Instant::now();
    // SAFETY: the child only runs `child`, which touches no lock another thread may hold
    // (module docs) and leaves with `_exit`.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err(ReadError::new(
            ErrorKind::Io,
            format!(
                "cannot start the PDF reader: {}",
                std::io::Error::last_os_error()
            ),
        ));
    }
    if pid == 0 {
        drop(reader);
        child(bytes, writer, &devnull, fault);
    }
    drop(writer);
    drop(devnull);
    let mut pipe = reader;
    let deadline = start + timeout;
    let mut out = Vec::new();
    if !read_until(&mut pipe, &mut out, deadline) {
        kill_and_reap(pid);
        return Err(timed_out_error(timeout));
    }
    // End of file: the child is exiting (or closed its pipe and hangs: the limit applies).
    let status = match reap_until(pid, deadline)? {
        Some(st) => st,
        None => {
            kill_and_reap(pid);
            return Err(timed_out_error(timeout));
        }
    };
    use std::os::unix::process::ExitStatusExt;
    finish(std::process::ExitStatus::from_raw(status), &out)
}

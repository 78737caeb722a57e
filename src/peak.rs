//! Peak memory, reported on request (`SHOHOSEN_PEAK_MEMORY=1`), for the resource tests and the
//! benchmarks.
//!
//! Why not the parent's `wait4`/`getrusage`: Linux carries the spawning process's peak into
//! a child's `ru_maxrss` at `exec`, so a test process that has read a large output reports
//! its own size for every child it starts. `VmHWM` of `/proc/self/status` counts only this
//! program's memory since `exec`; the PDF reader's child processes are reaped here, and their
//! `ru_maxrss` carries at most this process's size at the time, which is counted anyway.

/// The environment variable that asks for the report.
pub const ENV: &str = "SHOHOSEN_PEAK_MEMORY";

/// Prints `peak memory: N KB (this process), M KB (PDF reader processes)` to standard error
/// when [`ENV`] is set; does nothing elsewhere or on systems without `/proc`.
pub fn report_if_asked() {
    if std::env::var_os(ENV).is_none() {
        return;
    }
    let own = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<i64>().ok())
        });
    // SAFETY: a zeroed rusage is valid; getrusage only writes into it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_CHILDREN with a valid out-pointer.
    let children = if unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) } == 0 {
        usage.ru_maxrss
    } else {
        0
    };
    if let Some(own) = own {
        eprintln!("peak memory: {own} KB (this process), {children} KB (PDF reader processes)");
    }
}

use clap::Parser;

mod cli;
mod peak;

// The readers build many small, short-lived strings per line; jemalloc's thread caches serve
// them with far less work than glibc malloc (the parse_text bench: about 10% less CPU). It is
// fork-safe like glibc's malloc (pthread_atfork handlers take and reset its locks), which the
// forked PDF reader relies on (src/pdf/forked.rs); mimalloc, as fast here, registers none.
// The benchmarks use the same allocator, so that what they measure is what this binary does.
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    // The PDF reader re-runs this executable to extract text in a child process, so that a
    // crash or a hang in a PDF library cannot take a batch down.
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == "__pdf-extract")
    {
        std::process::exit(shohosen::pdf::child_main());
    }
    let cli = cli::Cli::parse();
    let code = cli::run(cli);
    peak::report_if_asked();
    std::process::exit(code);
}

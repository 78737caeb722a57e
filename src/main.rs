use clap::Parser;

mod cli;
mod peak;

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

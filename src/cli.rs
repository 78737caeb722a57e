//! Command-line arguments (clap derive) and the commands they run.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::str::FromStr;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use rust_decimal::Decimal;
use serde_json::Value;

use shohosen::batch::{self, BatchConfig, Summary};
use shohosen::checks;
use shohosen::choices::{Dispense, Exempt};
use shohosen::input::InputKind;
use shohosen::master::{self, Master};
use shohosen::model::Severity;
use shohosen::output::Record;
use shohosen::pipeline::{self, InputRef, Options, Processed};

/// Reads Japanese outpatient prescriptions (処方箋: text, PDF, 2D-symbol content), checks them
/// and computes the 長期収載品の選定療養 charge.
#[derive(Debug, Parser)]
#[command(name = "shohosen", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse, check and price prescriptions; print JSON (one document per prescription).
    Parse(ParseArgs),
    /// The QA view: findings as readable diagnostics (exit 1 when any finding is an error).
    Check(CheckArgs),
    /// The fee breakdown of one prescription as a table (or JSON).
    Fee(FeeArgs),
    /// Load official master files into the local cache and inspect it.
    Master(MasterArgs),
    /// List every check with its id, severity, action and source.
    Rules(RulesArgs),
    /// Print the JSON Schema of the `parse` output.
    Schema,
}

/// Options shared by parse, check and fee.
#[derive(Debug, Args)]
pub struct Common {
    /// The dispensing date YYYY-MM-DD (default: today). Decides validity, the fee rule in force
    /// and the master version.
    #[arg(long, value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// Patient co-payment rate: `30%`, `0.3` or `3割` (default: the 2D symbol's rate, else 30%).
    #[arg(long, value_parser = parse_rate)]
    pub copay: Option<Decimal>,
    /// What the pharmacy dispenses for item N: `N=brand`, `N=generic` or `N=CODE` (repeatable).
    #[arg(long, value_name = "N=brand|generic|CODE", value_parser = parse_dispense)]
    pub dispense: Vec<(u32, Dispense)>,
    /// No charge for item N because the pharmacy cannot supply the generic (`stock`) or the
    /// pharmacist judges a medical need (`medical`) (repeatable).
    #[arg(long, value_name = "N=stock|medical", value_parser = parse_exempt)]
    pub exempt: Vec<(u32, Exempt)>,
    /// Technical-fee points of the same visit, so the co-payment is rounded once.
    #[arg(long, default_value_t = 0)]
    pub other_points: u32,
    /// A master file to use besides the embedded sample and the local cache (repeatable).
    #[arg(long)]
    pub master: Vec<PathBuf>,
    /// Do not read the local master cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Skip format detection.
    #[arg(long, value_enum)]
    pub input_format: Option<InputKind>,
    /// Mask patient name, kana, insurer/recipient numbers and birth date (keep the year).
    #[arg(long)]
    pub redact: bool,
    /// Worker threads for a batch (default: one per core).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Seconds one input may take before it is reported (`too_large`) and the batch goes on:
    /// a PDF's extraction process is killed; text and 2D-symbol reading stop within 256 lines.
    #[arg(long, visible_alias = "pdf-timeout", default_value_t = 30)]
    pub timeout: u64,
}

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Files, directories (walked; *.json, *.md, *.args and hidden files skipped) or `-` for stdin.
    #[arg(required = true)]
    pub inputs: Vec<String>,
    /// Output format: `pretty` (indented), `json` (compact), `ndjson` (one line per prescription).
    #[arg(long, value_enum, default_value_t = ParseFormat::Pretty)]
    pub format: ParseFormat,
    /// Same as `--format ndjson`.
    #[arg(long)]
    pub ndjson: bool,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ParseFormat {
    Json,
    Ndjson,
    Pretty,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files, directories (walked) or `-` for stdin.
    #[arg(required = true)]
    pub inputs: Vec<String>,
    /// `text` diagnostics, or `json`.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// One JSON line per prescription, then a summary line.
    #[arg(long)]
    pub ndjson: bool,
    /// Colour in diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct FeeArgs {
    /// One prescription file (or `-`).
    pub input: String,
    /// `table` or `json` (the `fees` object).
    #[arg(long, value_enum, default_value_t = FeeFormat::Table)]
    pub format: FeeFormat,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FeeFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct MasterArgs {
    #[command(subcommand)]
    pub command: MasterCommand,
}

#[derive(Debug, Subcommand)]
pub enum MasterCommand {
    /// Build the local cache from official files (MHLW target list / price list, SSK y master).
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Show what is loaded and the dates each master is valid from.
    Info {
        #[arg(long)]
        master: Vec<PathBuf>,
        #[arg(long)]
        no_cache: bool,
    },
    /// Show one product (by name or code) and its [a]/[b] on a date.
    Lookup {
        query: String,
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
        #[arg(long)]
        master: Vec<PathBuf>,
        #[arg(long)]
        no_cache: bool,
    },
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = FeeFormat::Table)]
    pub format: FeeFormat,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| format!("{s:?} is not a date YYYY-MM-DD ({e})"))
}

/// `30%`, `0.3`, `3割` → 0.3.
fn parse_rate(s: &str) -> Result<Decimal, String> {
    let t = s.trim();
    let (num, scale) = if let Some(p) = t.strip_suffix('%') {
        (p, Decimal::ONE_HUNDRED)
    } else if let Some(w) = t.strip_suffix('割') {
        (w, Decimal::TEN)
    } else {
        (t, Decimal::ONE)
    };
    let v = Decimal::from_str(num.trim())
        .map_err(|_| format!("{s:?} is not a rate (use 30%, 0.3 or 3割)"))?
        / scale;
    if v < Decimal::ZERO || v > Decimal::ONE {
        return Err(format!("{s:?} is not between 0% and 100%"));
    }
    Ok(v.normalize())
}

fn split_item(s: &str) -> Result<(u32, &str), String> {
    let (n, v) = s
        .split_once('=')
        .ok_or_else(|| format!("{s:?}: expected N=VALUE"))?;
    let n: u32 = n
        .trim()
        .parse()
        .map_err(|_| format!("{s:?}: {n:?} is not an item number"))?;
    if n == 0 {
        return Err(format!("{s:?}: items are numbered from 1"));
    }
    Ok((n, v.trim()))
}

fn parse_dispense(s: &str) -> Result<(u32, Dispense), String> {
    let (n, v) = split_item(s)?;
    let d = match v {
        "brand" => Dispense::Brand,
        "generic" => Dispense::Generic,
        c if !c.is_empty() && c.chars().all(|c| c.is_ascii_alphanumeric()) => {
            Dispense::Code(c.to_string())
        }
        _ => return Err(format!("{s:?}: expected brand, generic or a product code")),
    };
    Ok((n, d))
}

fn parse_exempt(s: &str) -> Result<(u32, Exempt), String> {
    let (n, v) = split_item(s)?;
    match v {
        "stock" => Ok((n, Exempt::Stock)),
        "medical" => Ok((n, Exempt::Medical)),
        _ => Err(format!("{s:?}: expected stock or medical")),
    }
}

/// The exit code of a command.
pub type Exit = i32;

fn options(c: &Common) -> Options {
    let date = c.date.unwrap_or_else(|| chrono::Local::now().date_naive());
    let mut o = Options::for_date(date);
    o.copay = c.copay;
    o.dispense = c.dispense.iter().cloned().collect::<BTreeMap<_, _>>();
    o.exempt = c.exempt.iter().cloned().collect::<BTreeMap<_, _>>();
    o.other_points = c.other_points;
    o.input_format = c.input_format;
    o.pdf_exe = std::env::current_exe().ok();
    o.timeout = std::time::Duration::from_secs(c.timeout.max(1));
    o.master_strengths = true;
    o
}

fn open_master(paths: &[PathBuf], no_cache: bool) -> Result<Master, Exit> {
    Master::open(paths, !no_cache).map_err(|e| {
        eprintln!("shohosen: master: {e}");
        2
    })
}

/// Runs the parsed command line and returns the exit code.
pub fn run(cli: Cli) -> Exit {
    match cli.command {
        Command::Parse(a) => cmd_parse(a),
        Command::Check(a) => cmd_check(a),
        Command::Fee(a) => cmd_fee(a),
        Command::Master(a) => cmd_master(a),
        Command::Rules(a) => {
            let f = match a.format {
                FeeFormat::Table => checks::CatalogFormat::Table,
                FeeFormat::Json => checks::CatalogFormat::Json,
            };
            print!("{}", checks::render_catalog(f));
            0
        }
        Command::Schema => {
            println!(
                "{}",
                serde_json::to_string_pretty(&shohosen::output::json_schema()).unwrap_or_default()
            );
            0
        }
    }
}

/// A single input that is a file (not a directory, not several) reports errors with exit 2.
fn single_input(inputs: &[String]) -> bool {
    inputs.len() == 1 && !std::path::Path::new(&inputs[0]).is_dir()
}

fn report_error_to_stderr(p: &Processed) {
    if let Record::Error(e) = &p.record {
        eprintln!(
            "shohosen: {}: {}: {}",
            e.source.path,
            e.error.kind.as_str(),
            e.error.message
        );
    }
}

fn cmd_parse(a: ParseArgs) -> Exit {
    let master = match open_master(&a.common.master, a.common.no_cache) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let opts = options(&a.common);
    let inputs = pipeline::expand_inputs(&a.inputs);
    let format = if a.ndjson {
        ParseFormat::Ndjson
    } else {
        a.format
    };
    let redact = a.common.redact;
    let cfg = BatchConfig {
        jobs: a.common.jobs,
        progress: std::io::stderr().is_terminal(),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    // One input: one document (or an array if it holds several prescriptions). Several
    // inputs: a JSON array written element by element, so memory stays bounded in a batch.
    let stream_array = format != ParseFormat::Ndjson && inputs.len() > 1;
    let pretty = format == ParseFormat::Pretty;
    let mut collected: Vec<String> = Vec::new();
    let mut write_failed = false;
    let mut first = true;
    if stream_array {
        write_failed |= write!(out, "[").is_err();
    }
    let render = |r: &Processed| {
        r.record
            .to_json(redact, pretty && format != ParseFormat::Ndjson)
    };
    let summary = batch::run(&inputs, &master, &opts, cfg, render, |_, recs, texts| {
        for (r, text) in recs.iter().zip(texts) {
            report_error_to_stderr(r);
            if format == ParseFormat::Ndjson {
                write_failed |= writeln!(out, "{text}").is_err();
            } else if stream_array {
                write_failed |= write!(out, "{}\n{text}", if first { "" } else { "," }).is_err();
                first = false;
            } else {
                collected.push(text.clone());
            }
        }
    });
    if stream_array {
        write_failed |= writeln!(out, "\n]").is_err();
    } else if format != ParseFormat::Ndjson {
        // One input: its document, or an array when it held several prescriptions.
        let body = if collected.len() == 1 {
            collected.pop().unwrap_or_default()
        } else {
            format!("[{}]", collected.join(","))
        };
        write_failed |= writeln!(out, "{body}").is_err();
    }
    write_failed |= out.flush().is_err();
    if write_failed {
        return 2;
    }
    finish_batch(&a.inputs, &summary)
}

fn finish_batch(inputs: &[String], summary: &Summary) -> Exit {
    if summary.unreadable_total() > 0 {
        if single_input(inputs) {
            return 2;
        }
        eprintln!(
            "shohosen: {} of {} inputs could not be read (error records in the output)",
            summary.unreadable_total(),
            summary.inputs
        );
    }
    0
}

fn cmd_check(a: CheckArgs) -> Exit {
    let master = match open_master(&a.common.master, a.common.no_cache) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let opts = options(&a.common);
    let inputs = pipeline::expand_inputs(&a.inputs);
    let redact = a.common.redact;
    let color = match a.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let cfg = BatchConfig {
        jobs: a.common.jobs,
        progress: std::io::stderr().is_terminal(),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut json_inputs: Vec<Value> = Vec::new();
    let json = a.format == CheckFormat::Json || a.ndjson;
    let render = |r: &Processed| {
        if json {
            serde_json::to_string(&check_view(r, redact)).unwrap_or_default()
        } else {
            check_text(r, redact, color)
        }
    };
    let summary = batch::run(&inputs, &master, &opts, cfg, render, |_, recs, texts| {
        for (r, text) in recs.iter().zip(texts) {
            report_error_to_stderr(r);
            if a.ndjson {
                let _ = writeln!(out, "{text}");
            } else if json {
                json_inputs.push(serde_json::from_str(text).unwrap_or(Value::Null));
            } else {
                let _ = write!(out, "{text}");
            }
        }
    });
    let summary_v = serde_json::to_value(&summary).unwrap_or(Value::Null);
    if a.ndjson {
        let _ = writeln!(out, "{}", serde_json::json!({ "summary": summary_v }));
    } else if json {
        let v = serde_json::json!({ "inputs": json_inputs, "summary": summary_v });
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&v).unwrap_or_default()
        );
    } else {
        let _ = write!(out, "\n{}", summary.to_text());
    }
    let _ = out.flush();
    if summary.unreadable_total() > 0 && single_input(&a.inputs) {
        return 2;
    }
    if summary.with_errors > 0 { 1 } else { 0 }
}

/// The findings-only JSON view of one record.
fn check_view(p: &Processed, redact: bool) -> Value {
    let v = p.record.to_value(redact);
    match &p.record {
        Record::Error(_) => v,
        Record::Document(_) => serde_json::json!({
            "schema": v.get("schema"),
            "source": v.get("source"),
            "findings": v.get("findings"),
        }),
    }
}

fn check_text(p: &Processed, redact: bool, color: bool) -> String {
    match &p.record {
        Record::Error(e) => format!(
            "{}: error: {}: {}\n",
            e.source.path,
            e.error.kind.as_str(),
            e.error.message
        ),
        Record::Document(d) => {
            let label = match d.source.index {
                Some(i) => format!("{} #{i}", d.source.path),
                None => d.source.path.clone(),
            };
            let lines = if redact {
                p.prescription
                    .as_ref()
                    .map(|pr| shohosen::output::redact_lines(pr, &p.lines))
                    .unwrap_or_default()
            } else {
                p.lines.to_vec()
            };
            checks::render::diagnostics(&label, &lines, &d.findings, color)
        }
    }
}

fn cmd_fee(a: FeeArgs) -> Exit {
    let master = match open_master(&a.common.master, a.common.no_cache) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let opts = options(&a.common);
    let input = if a.input == "-" {
        InputRef::Stdin
    } else {
        InputRef::File(PathBuf::from(&a.input))
    };
    let recs = pipeline::process_input(&input, &master, &opts);
    let mut code = 0;
    for r in &recs {
        match (&r.record, &r.prescription) {
            (Record::Document(d), Some(p)) => match a.format {
                FeeFormat::Json => {
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&d.fees).unwrap_or_default()
                    );
                }
                FeeFormat::Table => {
                    let products: Vec<_> = d.items.iter().map(|i| i.product.clone()).collect();
                    let outcome = shohosen::fees::FeeOutcome {
                        fees: d.fees.clone(),
                        decisions: d.items.iter().map(|i| i.selective_care).collect(),
                    };
                    print!("{}", shohosen::fees::render_table(p, &products, &outcome));
                }
            },
            _ => {
                report_error_to_stderr(r);
                code = 2;
            }
        }
    }
    code
}

fn cmd_master(a: MasterArgs) -> Exit {
    match a.command {
        MasterCommand::Import { files } => match master::import(&files) {
            Ok(rep) => {
                println!("{}", rep.summary);
                println!("cache: {}", rep.cache_path.display());
                0
            }
            Err(e) => {
                eprintln!("shohosen: master import: {e}");
                2
            }
        },
        MasterCommand::Info {
            master: paths,
            no_cache,
        } => match open_master(&paths, no_cache) {
            Ok(m) => {
                print!("{}", master::info(&m));
                0
            }
            Err(c) => c,
        },
        MasterCommand::Lookup {
            query,
            date,
            master: paths,
            no_cache,
        } => match open_master(&paths, no_cache) {
            Ok(m) => {
                let d = date.unwrap_or_else(|| chrono::Local::now().date_naive());
                print!("{}", master::lookup(&m, &query, d));
                0
            }
            Err(c) => c,
        },
    }
}

/// Severity counts, used by tests of the summary line.
#[allow(dead_code)]
pub fn count_errors(findings: &[shohosen::model::Finding]) -> usize {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count()
}

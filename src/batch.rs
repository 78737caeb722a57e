//! Many inputs at once: spread over cores in bounded memory, results in input order.
//!
//! Inputs are processed in chunks on a rayon pool; each chunk's results are handed to the
//! caller's sink in input order before the next chunk starts, so memory stays bounded by the
//! chunk size whatever the number of inputs.

use std::collections::BTreeMap;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;

use crate::master::Master;
use crate::model::{Action, Severity};
use crate::output::Record;
use crate::pipeline::{InputRef, Options, Processed, process_input};

/// Inputs per chunk and per thread: large enough to keep cores busy, small enough to bound memory.
const CHUNK_PER_THREAD: usize = 128;

/// The closing summary of a batch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Inputs named or found by walking directories.
    pub inputs: usize,
    /// Prescriptions read (an input may hold several).
    pub prescriptions: usize,
    /// Inputs that yielded an error record, by error kind.
    pub unreadable: BTreeMap<String, usize>,
    /// Findings by rule id (all severities).
    pub findings_by_rule: BTreeMap<String, usize>,
    /// Findings of severity `error`, by rule id.
    pub errors_by_rule: BTreeMap<String, usize>,
    /// Prescriptions with at least one finding whose action is 疑義照会 (`inquiry`).
    pub needing_inquiry: usize,
    /// Prescriptions with at least one `error` finding.
    pub with_errors: usize,
}

impl Summary {
    /// Adds one processed record.
    pub fn add(&mut self, p: &Processed) {
        match &p.record {
            Record::Error(e) => {
                *self
                    .unreadable
                    .entry(e.error.kind.as_str().to_string())
                    .or_default() += 1;
            }
            Record::Document(d) => {
                self.prescriptions += 1;
                for f in &d.findings {
                    *self.findings_by_rule.entry(f.rule.clone()).or_default() += 1;
                    if f.severity == Severity::Error {
                        *self.errors_by_rule.entry(f.rule.clone()).or_default() += 1;
                    }
                }
                if d.findings.iter().any(|f| f.action == Action::Inquiry) {
                    self.needing_inquiry += 1;
                }
                if d.findings.iter().any(|f| f.severity == Severity::Error) {
                    self.with_errors += 1;
                }
            }
        }
    }

    /// Number of inputs (or prescriptions of inputs) that could not be read.
    pub fn unreadable_total(&self) -> usize {
        self.unreadable.values().sum()
    }

    /// A few readable lines for the end of a batch.
    pub fn to_text(&self) -> String {
        let mut s = format!(
            "{} inputs, {} prescriptions read, {} unreadable; {} with errors, {} needing 疑義照会\n",
            self.inputs,
            self.prescriptions,
            self.unreadable_total(),
            self.with_errors,
            self.needing_inquiry
        );
        for (k, n) in &self.unreadable {
            s.push_str(&format!("  unreadable {k}: {n}\n"));
        }
        for (k, n) in &self.findings_by_rule {
            let e = self.errors_by_rule.get(k).copied().unwrap_or(0);
            s.push_str(&format!(
                "  {k}: {n}{}\n",
                if e > 0 { " (error)" } else { "" }
            ));
        }
        s
    }
}

/// How a batch runs.
#[derive(Debug, Clone, Copy)]
pub struct BatchConfig {
    /// Worker threads (`None`: one per core).
    pub jobs: Option<usize>,
    /// Show a progress bar on standard error.
    pub progress: bool,
}

/// Processes `inputs`, calling `sink` with each input's records and their renderings in input
/// order, and returns the summary. Every input reaches the sink with at least one record.
///
/// `render` turns a record into its output text on the worker threads, so that the caller's
/// thread only writes finished text: serializing on the caller's thread would leave the
/// workers idle while it catches up, and a batch would not scale with cores.
pub fn run<R, F>(
    inputs: &[InputRef],
    master: &Master,
    opts: &Options,
    cfg: BatchConfig,
    render: R,
    mut sink: F,
) -> Summary
where
    R: Fn(&Processed) -> String + Sync,
    F: FnMut(&InputRef, &[Processed], &[String]),
{
    let mut summary = Summary {
        inputs: inputs.len(),
        ..Summary::default()
    };
    // One input (the everyday `parse FILE`) or one job runs on the calling thread: starting
    // a pool's threads, and their spinning while the one worker waits for a PDF reader
    // process, cost more CPU than the reading itself on a small file.
    let pool = (inputs.len() > 1 && cfg.jobs != Some(1)).then(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(cfg.jobs.unwrap_or(0))
            .build()
    });
    let threads = match &pool {
        Some(Ok(p)) => p.current_num_threads(),
        _ => 1,
    };
    let bar = if cfg.progress && inputs.len() > 1 {
        let b = ProgressBar::new(inputs.len() as u64);
        if let Ok(style) =
            ProgressStyle::with_template("{bar:40} {pos}/{len} {elapsed_precise} eta {eta}")
        {
            b.set_style(style);
        }
        b
    } else {
        ProgressBar::hidden()
    };
    let one = |i: &InputRef| {
        let recs = process_input(i, master, opts);
        let texts: Vec<String> = recs.iter().map(&render).collect();
        (recs, texts)
    };
    for chunk in inputs.chunks(CHUNK_PER_THREAD * threads.max(1)) {
        let results: Vec<_> = match &pool {
            Some(Ok(p)) => p.install(|| chunk.par_iter().map(one).collect()),
            _ => chunk.iter().map(one).collect(),
        };
        for (input, (recs, texts)) in chunk.iter().zip(results) {
            for r in &recs {
                summary.add(r);
            }
            sink(input, &recs, &texts);
            bar.inc(1);
        }
    }
    bar.finish_and_clear();
    summary
}

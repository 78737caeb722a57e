//! Input → adapter → model → master → fees → checks → document.
//!
//! Every input yields at least one [`Processed`] record — a document per prescription it
//! holds, or one error record — so a batch never loses an input. Nothing here knows a format
//! or a price; it only wires the stages together.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::checks::{self, StrengthIndex, StrengthLookup};
use crate::choices::{Dispense, Exempt};
use crate::error::{ErrorKind, ReadError};
use crate::fees::{self, FeeOptions};
use crate::input::{self, InputKind, TextEncoding};
use crate::master::Master;
use crate::model::Prescription;
use crate::output::{DocItem, Document, ErrorDocument, Record, SCHEMA, Source};

/// Everything a run decides once for all inputs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The dispensing date (`--date`, default today).
    pub date: NaiveDate,
    /// `--copay` (0..=1).
    pub copay: Option<Decimal>,
    pub dispense: BTreeMap<u32, Dispense>,
    pub exempt: BTreeMap<u32, Exempt>,
    pub other_points: u32,
    /// `--input-format`: skip detection.
    pub input_format: Option<InputKind>,
    /// Run PDF extraction in a child process of this executable (crash isolation).
    pub pdf_exe: Option<PathBuf>,
    /// The time budget of one input (see [`crate::budget`]): a PDF extraction process is
    /// killed past it, text and 2D-symbol reading stop within 256 lines.
    pub timeout: Duration,
    /// Look strengths up in every master (`strength-missing`); without it the checks use their
    /// built-in families.
    pub master_strengths: bool,
    /// The strength index over the masters, built the first time a drug without a strength
    /// needs it and then shared by every prescription of the run (and every thread).
    pub strength_cache: Arc<OnceLock<StrengthIndex>>,
}

impl Options {
    /// Defaults for a dispensing date: no choices, 30 s PDF limit, in-process PDF reading.
    pub fn for_date(date: NaiveDate) -> Self {
        Options {
            date,
            copay: None,
            dispense: BTreeMap::new(),
            exempt: BTreeMap::new(),
            other_points: 0,
            input_format: None,
            pdf_exe: None,
            timeout: Duration::from_secs(30),
            master_strengths: false,
            strength_cache: Arc::new(OnceLock::new()),
        }
    }

    fn fee_options(&self) -> FeeOptions {
        FeeOptions {
            date: self.date,
            copay: self.copay,
            dispense: self.dispense.clone(),
            exempt: self.exempt.clone(),
            other_points: self.other_points,
        }
    }
}

/// The strengths every product name in the masters is sold in, for `strength-missing`
/// (「アムロジピン錠」 written without 2.5mg/5mg/10mg when the master has several).
pub fn strength_index(master: &Master) -> StrengthIndex {
    StrengthIndex::from_names(
        master
            .versions()
            .iter()
            .flat_map(|v| v.records.iter().filter_map(|r| r.name.as_deref())),
    )
}

/// The masters' strengths, indexed on first use: most prescriptions write every strength, and
/// indexing a full price list costs more than reading a prescription.
struct MasterStrengths<'a> {
    master: &'a Master,
    index: &'a OnceLock<StrengthIndex>,
}

impl StrengthLookup for MasterStrengths<'_> {
    fn strengths_of(&self, base: &str) -> Vec<String> {
        self.index
            .get_or_init(|| strength_index(self.master))
            .strengths_of(base)
    }
}

/// One input named on the command line (after walking directories).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputRef {
    Stdin,
    File(PathBuf),
}

impl InputRef {
    /// The path as shown in output (`-` for standard input).
    pub fn label(&self) -> String {
        match self {
            InputRef::Stdin => "-".into(),
            InputRef::File(p) => p.display().to_string(),
        }
    }
}

/// File names a directory walk passes over: the corpus' expected results and notes, not inputs.
const SKIPPED_EXTENSIONS: &[&str] = &["json", "md", "args"];

/// Expands the command-line inputs: `-` is standard input, a directory is walked (sorted,
/// hidden files and `*.json`/`*.md`/`*.args` skipped), anything else is a file — even one that
/// does not exist, so that it yields its own `io` error record.
pub fn expand_inputs(args: &[String]) -> Vec<InputRef> {
    let mut out = Vec::new();
    for a in args {
        if a == "-" {
            out.push(InputRef::Stdin);
            continue;
        }
        let p = PathBuf::from(a);
        if p.is_dir() {
            let walker = walkdir::WalkDir::new(&p)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                });
            for entry in walker {
                match entry {
                    Ok(e) if e.file_type().is_file() => {
                        let skip = e
                            .path()
                            .extension()
                            .and_then(|x| x.to_str())
                            .is_some_and(|x| SKIPPED_EXTENSIONS.contains(&x));
                        if !skip {
                            out.push(InputRef::File(e.into_path()));
                        }
                    }
                    Ok(_) => {}
                    // An unreadable directory entry still becomes an input, so it is reported.
                    Err(e) => out.push(InputRef::File(
                        e.path().map(Path::to_path_buf).unwrap_or_else(|| p.clone()),
                    )),
                }
            }
        } else {
            out.push(InputRef::File(p));
        }
    }
    out
}

/// One record with the raw lines it was read from (for diagnostics that quote them).
#[derive(Debug, Clone)]
pub struct Processed {
    pub record: Record,
    /// Raw lines, 1-based by position (empty for errors and JAHIS); shared with the model.
    pub lines: crate::source::SourceLines,
    /// The model, for views that need more than the document (e.g. `fee`).
    pub prescription: Option<Prescription>,
}

/// The most items one prescription may hold. Real prescriptions hold a few dozen at most;
/// past this the checks, fees and document of one prescription would grow without bound
/// (the document of 50,000 items takes hundreds of MB), so it becomes a `too_large` record.
pub const MAX_ITEMS: usize = 1_000;

/// Reads one input and processes every prescription in it.
pub fn process_input(input: &InputRef, master: &Master, opts: &Options) -> Vec<Processed> {
    let label = input.label();
    let bytes = match read_all(input) {
        Ok(b) => b,
        Err(e) => return vec![error_record(&label, None, None, e)],
    };
    process_bytes(&label, &bytes, master, opts)
}

fn read_all(input: &InputRef) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let limit = input::MAX_PDF_BYTES.max(input::MAX_TEXT_BYTES) as u64 + 1;
    let mut buf = Vec::new();
    let res = match input {
        InputRef::Stdin => std::io::stdin().lock().take(limit).read_to_end(&mut buf),
        InputRef::File(p) => {
            std::fs::File::open(p).and_then(|f| f.take(limit).read_to_end(&mut buf))
        }
    };
    match res {
        Ok(_) if buf.len() as u64 >= limit => Err(ReadError::new(
            ErrorKind::TooLarge,
            format!(
                "the input is larger than {} bytes (20 MB, the limit for a PDF; 5 MB for text)",
                limit - 1
            ),
        )),
        Ok(_) => Ok(buf),
        Err(e) => Err(ReadError::new(ErrorKind::Io, e.to_string())),
    }
}

fn error_record(
    label: &str,
    kind: Option<InputKind>,
    encoding: Option<TextEncoding>,
    error: ReadError,
) -> Processed {
    Processed {
        record: Record::Error(ErrorDocument {
            schema: SCHEMA.into(),
            source: Source {
                path: label.into(),
                kind,
                encoding,
                pages: None,
                index: None,
            },
            error,
        }),
        lines: Default::default(),
        prescription: None,
    }
}

/// Processes bytes already in memory (`label` names them in the output).
pub fn process_bytes(label: &str, bytes: &[u8], master: &Master, opts: &Options) -> Vec<Processed> {
    if bytes.is_empty() {
        return vec![error_record(
            label,
            None,
            None,
            ReadError::new(ErrorKind::NotAPrescription, "the input is empty (0 bytes)"),
        )];
    }
    let kind = opts.input_format.unwrap_or_else(|| input::detect(bytes));
    let read = crate::budget::with_deadline(opts.timeout, || {
        let read = read_prescriptions(kind, bytes, opts);
        if crate::budget::expired() && kind != InputKind::Pdf {
            // The reader stopped early (or only just finished): never pass on a partial read.
            return Err((
                None,
                ReadError::new(
                    ErrorKind::TooLarge,
                    format!(
                        "reading took longer than the time budget of {} s per input (--timeout)",
                        opts.timeout.as_secs()
                    ),
                ),
            ));
        }
        read
    });
    let (prescriptions, encoding, pages) = match read {
        Ok(r) => r,
        Err((encoding, e)) => return vec![error_record(label, Some(kind), encoding, e)],
    };
    let several = prescriptions.len() > 1;
    prescriptions
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let source = Source {
                path: label.into(),
                kind: Some(kind),
                encoding,
                pages,
                index: several.then_some(i as u32 + 1),
            };
            if p.items.len() > MAX_ITEMS {
                let mut rec = error_record(
                    label,
                    Some(kind),
                    encoding,
                    ReadError::new(
                        ErrorKind::TooLarge,
                        format!(
                            "the prescription has {} items; the limit is {MAX_ITEMS} (no real \
                             prescription comes near it: a concatenated or generated file?)",
                            p.items.len()
                        ),
                    ),
                );
                if let Record::Error(e) = &mut rec.record {
                    e.source = source;
                }
                return rec;
            }
            let doc = assemble(&p, source, master, opts);
            Processed {
                record: Record::Document(Box::new(doc)),
                lines: p.lines.clone(),
                prescription: Some(p),
            }
        })
        .collect()
}

type ReadResult = Result<
    (Vec<Prescription>, Option<TextEncoding>, Option<u32>),
    (Option<TextEncoding>, ReadError),
>;

fn read_prescriptions(kind: InputKind, bytes: &[u8], opts: &Options) -> ReadResult {
    match kind {
        InputKind::Pdf => {
            if bytes.len() > input::MAX_PDF_BYTES {
                return Err((
                    None,
                    ReadError::new(
                        ErrorKind::TooLarge,
                        format!(
                            "PDF is {} bytes; the limit is {}",
                            bytes.len(),
                            input::MAX_PDF_BYTES
                        ),
                    ),
                ));
            }
            let sheets = match &opts.pdf_exe {
                Some(exe) => crate::pdf::read_isolated(bytes, exe, opts.timeout),
                None => crate::pdf::read(bytes),
            }
            .map_err(|e| (None, e))?;
            let pages = sheets
                .iter()
                .flat_map(|s| s.lines.iter().map(|l| l.page))
                .max();
            let ps: Vec<Prescription> = sheets.iter().flat_map(crate::text::parse_sheet).collect();
            non_empty(
                ps,
                "the PDF text has no prescription (no 処方 block and no drug line)",
            )
            .map(|ps| (ps, None, pages))
            .map_err(|e| (None, e))
        }
        InputKind::Jahis => {
            let d = input::decode_text(bytes).map_err(|e| (None, e))?;
            let enc = Some(d.encoding);
            let mut ps = crate::jahis::parse(&d.text).map_err(|e| (enc, e))?;
            fill_lines(&mut ps, &d.text);
            non_empty(ps, "the 2D-symbol content holds no prescription")
                .map(|ps| (ps, enc, None))
                .map_err(|e| (enc, e))
        }
        InputKind::Text => {
            let d = input::decode_text(bytes).map_err(|e| (None, e))?;
            let enc = Some(d.encoding);
            let mut ps = crate::text::parse_text(&d.text);
            fill_lines(&mut ps, &d.text);
            non_empty(
                ps,
                "no prescription found: no 処方 block, no drug line and no form header",
            )
            .map(|ps| (ps, enc, None))
            .map_err(|e| (enc, e))
        }
    }
}

/// Readers may leave `lines` empty; diagnostics then quote the decoded text's lines (1-based
/// by position: line `n` is `lines[n - 1]`), split once and shared.
fn fill_lines(ps: &mut [Prescription], text: &str) {
    if ps.iter().all(|p| !p.lines.is_empty()) {
        return;
    }
    let raw = crate::source::SourceLines::from_sized(text.split('\n'));
    for p in ps.iter_mut().filter(|p| p.lines.is_empty()) {
        p.lines = raw.clone();
    }
}

fn non_empty(ps: Vec<Prescription>, why: &str) -> Result<Vec<Prescription>, ReadError> {
    if ps.is_empty() {
        Err(ReadError::new(ErrorKind::NotAPrescription, why))
    } else {
        Ok(ps)
    }
}

/// Runs the master, the fee engine and the checks on one prescription and builds its document.
pub fn assemble(p: &Prescription, source: Source, master: &Master, opts: &Options) -> Document {
    let products: Vec<_> = p
        .items
        .iter()
        .map(|it| master.resolve(it, opts.date, opts.dispense.get(&it.index)))
        .collect();
    let outcome = fees::compute(p, &products, &opts.fee_options());
    let ctx = checks::Context {
        date: opts.date,
        products: &products,
        decisions: &outcome.decisions,
        master,
    };
    let lazy = MasterStrengths {
        master,
        index: &opts.strength_cache,
    };
    let strengths = opts
        .master_strengths
        .then_some(&lazy as &dyn StrengthLookup);
    let findings = checks::run_with_strengths(p, &ctx, strengths);
    let items = p
        .items
        .iter()
        .zip(products)
        .zip(
            outcome
                .decisions
                .iter()
                .copied()
                .chain(std::iter::repeat(fees::SelectiveCare::UnknownDrug)),
        )
        .map(|((item, product), selective_care)| DocItem {
            item: item.clone(),
            product,
            selective_care,
        })
        .collect();
    Document {
        schema: SCHEMA.into(),
        source,
        layout: p.layout,
        dispensing_date: opts.date,
        issued: p.issued,
        valid_until: p.valid_until(),
        patient: p.patient.clone(),
        insurance: p.insurance.clone(),
        institution: p.institution.clone(),
        prescriber: p.prescriber.clone(),
        refill: p.refill.clone(),
        items,
        remarks: p.remarks.clone(),
        leftover: p.leftover,
        findings,
        fees: outcome.fees,
    }
}

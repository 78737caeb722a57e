//! FEES.md's table through real input: each `corpus/fees/TNN.txt` has a hand-written
//! `TNN.expected.json` (a subset of the output document) and its options in `TNN.args`.
//! `tests/corpus_golden.rs` runs every case through the binary; this test checks that every
//! case is complete and that its options are ones the CLI accepts.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use shohosen::choices::{Dispense, Exempt};
use shohosen::fees::FeeOptions;

/// Parses a `.args` line the way the CLI reads these options.
fn options(args: &str) -> Result<FeeOptions, String> {
    let mut opts = FeeOptions {
        date: NaiveDate::MIN,
        copay: None,
        dispense: BTreeMap::new(),
        exempt: BTreeMap::new(),
        other_points: 0,
    };
    let mut it = args.split_whitespace();
    while let Some(flag) = it.next() {
        let val = it.next().ok_or(format!("{flag} needs a value"))?;
        let item_val = || -> Result<(u32, &str), String> {
            let (n, v) = val
                .split_once('=')
                .ok_or(format!("{flag} {val}: want N=VALUE"))?;
            Ok((n.parse().map_err(|e| format!("{n}: {e}"))?, v))
        };
        match flag {
            "--date" => {
                opts.date = NaiveDate::parse_from_str(val, "%Y-%m-%d").map_err(|e| e.to_string())?
            }
            "--copay" => opts.copay = Some(val.parse().map_err(|e| format!("{val}: {e}"))?),
            "--other-points" => {
                opts.other_points = val.parse().map_err(|e| format!("{val}: {e}"))?
            }
            "--dispense" => {
                let (n, v) = item_val()?;
                let d = match v {
                    "brand" => Dispense::Brand,
                    "generic" => Dispense::Generic,
                    c => Dispense::Code(c.to_string()),
                };
                opts.dispense.insert(n, d);
            }
            "--exempt" => {
                let (n, v) = item_val()?;
                let e = match v {
                    "stock" => Exempt::Stock,
                    "medical" => Exempt::Medical,
                    other => return Err(format!("--exempt {other}")),
                };
                opts.exempt.insert(n, e);
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    if opts.date == NaiveDate::MIN {
        return Err("--date is required in corpus args".into());
    }
    Ok(opts)
}

#[test]
fn corpus_args_are_well_formed() {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/fees"));
    for e in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "txt") {
            let args = std::fs::read_to_string(p.with_extension("args")).unwrap();
            options(args.trim()).unwrap_or_else(|err| panic!("{}: {err}", p.display()));
            assert!(
                p.with_extension("expected.json").exists(),
                "{}",
                p.display()
            );
        }
    }
}

//! FEES.md's table through real input: each `corpus/fees/TNN.txt` is read by the text
//! parser, priced through the embedded sample master and the fee engine, and compared with
//! the hand-written `TNN.expected.json` (a subset of the output document). Options come from
//! `TNN.args`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde_json::json;
use shohosen::choices::{Dispense, Exempt};
use shohosen::fees::{FeeOptions, compute};
use shohosen::master::Master;

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
#[ignore = "needs the text parser (text branch): the integrator un-ignores it after merging"]
fn fee_corpus() {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/fees"));
    let master = Master::sample();
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    assert!(names.len() >= 18, "corpus files missing: {names:?}");
    let mut failures = Vec::new();
    for path in &names {
        let id = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let args = std::fs::read_to_string(path.with_extension("args")).unwrap_or_default();
        let opts = options(args.trim()).unwrap_or_else(|e| panic!("{id}.args: {e}"));
        let sheet = shohosen::text::sheet_from_text(&text);
        let ps = shohosen::text::parse_sheet(&sheet);
        if ps.len() != 1 {
            failures.push(format!("{id}: {} prescriptions parsed", ps.len()));
            continue;
        }
        let p = &ps[0];
        let products: Vec<_> = p
            .items
            .iter()
            .map(|it| master.resolve(it, opts.date, opts.dispense.get(&it.index)))
            .collect();
        let out = compute(p, &products, &opts);
        let items: Vec<_> = p
            .items
            .iter()
            .zip(&products)
            .zip(&out.decisions)
            .map(|((it, pr), d)| json!({"index": it.index, "name": it.name, "product": pr, "selective_care": d}))
            .collect();
        let actual = json!({"items": items, "fees": out.fees});
        let expected: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(path.with_extension("expected.json")).unwrap(),
        )
        .unwrap();
        if let Err(errs) = common::subset_match(&expected, &actual) {
            failures.push(format!(
                "{id}:\n  {}\n  actual: {}",
                errs.join("\n  "),
                actual
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
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

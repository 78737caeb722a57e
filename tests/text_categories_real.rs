//! The drug-name words that decide an item's category, checked against the 区分 of every name
//! in the real MHLW price lists (`../shared/data/mhlw/yakka_*.csv`: 内用薬 / 外用薬 / 注射薬).
//!
//! A name alone (no usage line) may stay `unknown`, but it must never be put in another 区分's
//! category: a 坐剤 or an enema read as 内服/注射, or a 注射薬 read as 外用, changes how its
//! amount is counted in the fee.

use shohosen::model::Category;
use shohosen::normalize::fold;
use shohosen::text::usage::{UsageFacts, category};
use std::path::Path;

fn price_list(name: &str) -> String {
    let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/mhlw/")).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The categories a name of this 区分 may get from its name alone.
fn allowed(kubun: &str) -> Option<&'static [Category]> {
    use Category::*;
    match kubun {
        "内用薬" => Some(&[Internal, AsNeeded, Drops, Unknown]),
        "外用薬" => Some(&[External, Unknown]),
        "注射薬" => Some(&[Injection, Unknown]),
        _ => None,
    }
}

fn check(file: &str) {
    let text = price_list(file);
    let rows = shohosen::master::csv::records(&text);
    let header = rows.first().expect("a header row");
    let col = |h: &str| {
        header
            .iter()
            .position(|c| c == h)
            .unwrap_or_else(|| panic!("{file}: no column {h}"))
    };
    let (kubun, hinmei) = (col("区分"), col("品名"));
    let none = UsageFacts::default();
    let mut wrong = Vec::new();
    let mut checked = 0;
    let mut external_named = (0, 0);
    for r in &rows[1..] {
        let (Some(k), Some(n)) = (r.get(kubun), r.get(hinmei)) else {
            continue;
        };
        let Some(ok) = allowed(k) else {
            continue;
        };
        checked += 1;
        let c = category(&fold(n), None, &none);
        if !ok.contains(&c) {
            wrong.push(format!("{k} {n}: {c:?}"));
        }
        if k == "外用薬" {
            external_named.0 += 1;
            external_named.1 += usize::from(c == Category::External);
        }
    }
    assert!(checked > 10_000, "{file}: only {checked} names read");
    // One name the words cannot place: ガストログラフイン経口・注腸用, a contrast medium for
    // both mouth and enema, listed as 内用薬. Anything more is a word in the wrong place.
    assert!(
        wrong.len() <= 1,
        "{file}: {} names put in another 区分's category:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    // Most 外用薬 names say so (the rest are disinfectants and solutions whose usage decides).
    assert!(
        external_named.1 * 100 >= external_named.0 * 75,
        "{file}: only {} of {} 外用薬 names read as external",
        external_named.1,
        external_named.0
    );
}

#[test]
fn names_of_the_2024_11_price_list() {
    check("yakka_2024-11-20.csv");
}

#[test]
fn names_of_the_2025_07_price_list() {
    check("yakka_2025-07-16.csv");
}

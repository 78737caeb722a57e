//! `master import` builds a cache that later runs use without flags. One test in its own
//! binary: it sets SHOHOSEN_CACHE_DIR to a temporary directory (never the real cache).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use shohosen::master::{Master, import, info, lookup};

fn data(rel: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/")).join(rel)
}

#[test]
fn import_then_open_uses_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    // SAFETY: this test binary has this single test, so no other thread reads the environment.
    unsafe { std::env::set_var("SHOHOSEN_CACHE_DIR", dir.path()) };
    let report = import(&[
        data("mhlw/yakka_2024-11-20.csv"),
        data("mhlw/sentei_2026-06-01.json"),
    ])
    .unwrap();
    assert_eq!(report.cache_path, dir.path());
    assert!(
        report.summary.contains("yakka_2024-11-20.csv"),
        "{}",
        report.summary
    );
    assert_eq!(report.files.len(), 2);
    assert!(report.files.iter().all(|f| f.starts_with(dir.path())));

    let m = Master::open(&[], true).unwrap();
    // sample (2 versions) + 2 cached versions.
    assert_eq!(m.versions().len(), 4);
    let on = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
    let p = m.find("6149004F1028", on).unwrap();
    assert_eq!(p.a, Some("12.25".parse::<Decimal>().unwrap()));
    // A drug only the official list knows (not in the sample).
    let on24 = NaiveDate::from_ymd_opt(2024, 12, 1).unwrap();
    let q = m.find("ジスロマック細粒小児用10%", on24).unwrap();
    assert_eq!(q.price, "155.6".parse::<Decimal>().unwrap());

    let text = info(&m);
    assert!(text.contains("mhlw-target-list"), "{text}");
    assert!(text.contains(&dir.path().display().to_string()), "{text}");
    let l = lookup(&m, "ジスロマック錠２５０ｍｇ", on);
    assert!(l.contains("[a] 12.25") && l.contains("[b] 102.75"), "{l}");
    assert!(lookup(&m, "ソンザイシナイ錠", on).starts_with("not found"));

    // Without the cache only the sample is there.
    let s = Master::open(&[], false).unwrap();
    assert!(s.find("ジスロマック細粒小児用10%", on24).is_none());

    // Import replaces the cache.
    let report = import(&[data("mhlw/sentei_2026-06-01.json")]).unwrap();
    assert_eq!(report.files.len(), 1);
    assert_eq!(Master::open(&[], true).unwrap().versions().len(), 3);
}

//! Time to load the MHLW price list (13,057 rows, 2024-11-20) and the 2026-06 target list
//! (776 items) — the goal is < 100 ms together — and to resolve one name.
//!
//! `cargo bench --bench master_load`

use std::hint::black_box;
use std::path::PathBuf;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use shohosen::master::{Master, load};
use shohosen::model::Item;

/// The allocator of the `shohosen` binary (src/main.rs), so that this measures what it does.
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn data(rel: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/")).join(rel)
}

fn open(paths: &[PathBuf]) -> Master {
    let mut m = Master::empty();
    for p in paths {
        for v in load::load_path(p).unwrap_or_else(|e| panic!("{e}")) {
            m.push(v);
        }
    }
    m
}

fn bench(c: &mut Criterion) {
    let price = data("mhlw/yakka_2024-11-20.csv");
    let target = data("mhlw/sentei_2026-06-01.json");
    let mut g = c.benchmark_group("master");
    g.sample_size(20);
    g.bench_function("load/price-list-2024-11-20", |b| {
        b.iter(|| open(black_box(std::slice::from_ref(&price))))
    });
    g.bench_function("load/target-list-2026-06-01", |b| {
        b.iter(|| open(black_box(std::slice::from_ref(&target))))
    });
    let both = [price.clone(), target.clone()];
    g.bench_function("load/price+target", |b| b.iter(|| open(black_box(&both))));
    g.bench_function("load/sample", |b| b.iter(Master::sample));
    let m = open(&both);
    let item = Item {
        name: "ジスロマック錠２５０ｍｇ".into(),
        ..Item::default()
    };
    let d = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap_or_default();
    g.bench_function("resolve/name", |b| {
        b.iter(|| m.resolve(black_box(&item), d, None))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

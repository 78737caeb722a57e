//! Symbols per second for 2D-symbol content → model, on one core.
//!
//! `cargo bench --bench jahis`. Two contents: the real sample `external-2` (one drug) and the
//! corpus fixture `full-internal` (every header record, 3 drugs with 181/211/221/231/241/281).

use criterion::{Criterion, Throughput, criterion_group};
use std::hint::black_box;

/// The allocator of the `shohosen` binary (src/main.rs), so that this measures what it does.
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn bench(c: &mut Criterion) {
    let small = read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/samples/jahis/external-2.txt"
    ));
    let full = read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/jahis/full-internal.txt"
    ));
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&full);
    let sjis = sjis.into_owned();
    let mut g = c.benchmark_group("jahis");
    g.throughput(Throughput::Elements(1));
    g.bench_function("parse/external-2", |b| {
        b.iter(|| shohosen::jahis::parse(black_box(&small)))
    });
    g.bench_function("parse/full-internal", |b| {
        b.iter(|| shohosen::jahis::parse(black_box(&full)))
    });
    g.bench_function("parse_bytes/full-internal-sjis", |b| {
        b.iter(|| shohosen::jahis::parse_bytes(black_box(&sjis)))
    });
    g.finish();
}

criterion_group!(benches, bench);
/// `JAHIS_CPU_N=200000 perf stat -e task-clock target/release/deps/jahis-…` parses the real
/// sample N times and nothing else, so the CPU time per symbol can be read on a shared,
/// loaded machine where criterion's wall-clock numbers are inflated by waiting for a core.
/// `JAHIS_CPU_FILE=path` parses that content instead (e.g. `corpus/jahis/full-internal.txt`).
fn main() {
    if let Some(n) = std::env::var("JAHIS_CPU_N")
        .ok()
        .and_then(|n| n.parse::<u32>().ok())
    {
        let small = match std::env::var("JAHIS_CPU_FILE") {
            Ok(path) => read(&path),
            Err(_) => read(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../shared/samples/jahis/external-2.txt"
            )),
        };
        let start = std::time::Instant::now();
        let phase = std::env::var("JAHIS_CPU_PHASE").unwrap_or_default();
        for _ in 0..n {
            match phase.as_str() {
                // Only the record grammar, or the grammar + lines copy: to see where time goes.
                "split" => drop(black_box(
                    shohosen::jahis::records::split(black_box(&small)).ok(),
                )),
                "fold" => drop(black_box(shohosen::normalize::fold(black_box(
                    "ソグルーヤ皮下注１５ｍｇ　１．５ｍＬ",
                )))),
                "check" | "map" => {
                    let segs = shohosen::jahis::records::split(black_box(&small)).ok();
                    let recs: Vec<_> = segs.into_iter().flatten().flat_map(|s| s.records).collect();
                    if phase == "check" {
                        drop(black_box(shohosen::jahis::structure::check(&recs).ok()));
                    } else {
                        drop(black_box(shohosen::jahis::map::map(&recs)));
                    }
                }
                _ => drop(black_box(shohosen::jahis::parse(black_box(&small)).ok())),
            }
        }
        eprintln!("{n} symbols in {:?} wall", start.elapsed());
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}

//! parse + JSON over every corpus/text file; reports prescriptions per second.
//!
//! Run: `cargo bench --bench parse_text`
//!
//! CPU-time measurement on a shared machine: `SHOHOSEN_BENCH_PASSES=N` runs N passes over the
//! corpus without criterion and prints the prescription count, so that
//! `perf stat -e task-clock` on the bench binary gives CPU seconds per prescription.

use criterion::{Criterion, Throughput, criterion_group};
use std::hint::black_box;
use std::path::Path;

/// The allocator of the `shohosen` binary (src/main.rs), so that this measures what it does.
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn corpus() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/text");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|x| x == "txt"));
    files.sort();
    files
        .iter()
        .filter_map(|p| {
            let bytes = std::fs::read(p).ok()?;
            let (s, _, _) = if p.to_string_lossy().ends_with(".sjis.txt") {
                encoding_rs::SHIFT_JIS.decode(&bytes)
            } else {
                encoding_rs::UTF_8.decode(&bytes)
            };
            Some(s.into_owned())
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let texts = corpus();
    let n: usize = texts
        .iter()
        .map(|t| shohosen::text::parse_text(t).len())
        .sum();
    let mut g = c.benchmark_group("parse_text");
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("corpus_text_parse_and_json", |b| {
        b.iter(|| {
            let mut bytes = 0;
            for t in &texts {
                for p in shohosen::text::parse_text(black_box(t)) {
                    bytes += shohosen::output::json::to_string(&p)
                        .map(|s| s.len())
                        .unwrap_or(0);
                }
            }
            black_box(bytes)
        })
    });
    g.finish();
}

/// N passes of parse + JSON over the corpus; returns (prescriptions, JSON bytes).
fn passes(texts: &[String], n: usize) -> (usize, usize) {
    let (mut count, mut bytes) = (0, 0);
    for _ in 0..n {
        for t in texts {
            for p in shohosen::text::parse_text(black_box(t)) {
                count += 1;
                bytes += shohosen::output::json::to_string(&p)
                    .map(|s| s.len())
                    .unwrap_or(0);
            }
        }
    }
    (count, black_box(bytes))
}

criterion_group!(benches, bench);

fn main() {
    if let Some(n) = std::env::var("SHOHOSEN_BENCH_PASSES")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        let (count, bytes) = passes(&corpus(), n);
        println!("{count} prescriptions, {bytes} JSON bytes");
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}

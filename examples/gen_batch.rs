//! Writes N generated prescriptions into a directory for batch benchmarks:
//! `cargo run --release --example gen_batch -- DIR 10000`.
//!
//! Each is a random valid prescription from `text::render::synthetic` (header facts, groups,
//! drugs, marks), rendered in turn as tab cells, aligned columns, plain clinic lines and
//! OCR-noisy text, on the old and the new form. Deterministic: the seed is the file number.

use std::path::PathBuf;

use shohosen::model::Layout;
use shohosen::text::{RenderStyle, render, render::synthetic};

const STYLES: [RenderStyle; 4] = [
    RenderStyle::Tabs,
    RenderStyle::Columns,
    RenderStyle::Plain,
    RenderStyle::OcrNoisy,
];

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "target/batch".into()));
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("gen_batch: {}: {e}", dir.display());
        std::process::exit(2);
    }
    for i in 0..n {
        let layout = if i % 2 == 0 { Layout::New } else { Layout::Old };
        let p = synthetic(0x5EED_0000 + i as u64, layout);
        let text = render(&p, STYLES[i % STYLES.len()]);
        let path = dir.join(format!("rx{i:05}.txt"));
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("gen_batch: {}: {e}", path.display());
            std::process::exit(2);
        }
    }
    println!("{n} prescriptions in {}", dir.display());
}

//! Per-prescription time of the fee stage: resolving every item in the sample master and
//! computing the fees, for JPhA example 1 (T01) and a 10-drug prescription.
//!
//! `cargo bench --bench fee`

use std::collections::BTreeMap;
use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use rust_decimal::Decimal;
use shohosen::fees::{FeeOptions, compute};
use shohosen::master::Master;
use shohosen::model::{Amount, Basis, Category, Item, Prescription};

/// The allocator of the `shohosen` binary (src/main.rs), so that this measures what it does.
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn item(i: u32, name: &str, n: i64, timing: &str, days: u32) -> Item {
    let mut it = Item {
        index: i,
        rp: i,
        name: name.into(),
        category: Category::Internal,
        amount: Some(Amount {
            value: Decimal::from(n),
            unit: "錠".into(),
            basis: Basis::PerDay,
        }),
        days: Some(days),
        timing: Some(timing.into()),
        ..Item::default()
    };
    it.flags.patient_wish = i % 2 == 1;
    it
}

fn bench(c: &mut Criterion) {
    let date = NaiveDate::from_ymd_opt(2024, 10, 7).unwrap_or_default();
    let m = Master::sample();
    let t01 = Prescription {
        issued: Some(date),
        items: vec![
            item(1, "ジスロマック錠250mg", 2, "朝食後", 3),
            item(2, "アセトアミノフェン錠300mg", 1, "朝食後", 3),
        ],
        ..Prescription::default()
    };
    let names = [
        "ジスロマック錠250mg",
        "アリセプト錠5mg",
        "アムロジンOD錠5mg",
        "ゼチーア錠10mg",
        "セレコックス錠100mg",
        "ムコスタ錠100mg",
        "レンドルミン錠0.25mg",
        "アムロジン錠5mg",
        "アセトアミノフェン錠300mg",
        "ノルバスク錠5mg",
    ];
    let big = Prescription {
        issued: Some(date),
        items: names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                item(
                    i as u32 + 1,
                    n,
                    1,
                    ["朝食後", "夕食後", "就寝前"][i % 3],
                    28,
                )
            })
            .collect(),
        ..Prescription::default()
    };
    let opts = FeeOptions {
        date,
        copay: None,
        dispense: BTreeMap::new(),
        exempt: BTreeMap::new(),
        other_points: 0,
    };
    let mut g = c.benchmark_group("fee");
    for (label, p) in [("T01", &t01), ("10-drugs", &big)] {
        g.bench_function(format!("resolve+compute/{label}"), |b| {
            b.iter(|| {
                let products: Vec<_> = p.items.iter().map(|it| m.resolve(it, date, None)).collect();
                compute(black_box(p), &products, &opts)
            })
        });
        let products: Vec<_> = p.items.iter().map(|it| m.resolve(it, date, None)).collect();
        g.bench_function(format!("compute/{label}"), |b| {
            b.iter(|| compute(black_box(p), &products, &opts))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Writes N generated prescriptions (plain clinic-system text, varied drugs, marks, dates and
//! header facts) into a directory, for batch benchmarks:
//! `cargo run --release --example gen_batch -- DIR 10000`.
//!
//! Deterministic (a fixed-seed xorshift), so two runs produce the same files.

use std::fmt::Write as _;
use std::path::PathBuf;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[(self.next() % xs.len() as u64) as usize]
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const DRUGS: &[(&str, &str)] = &[
    ("ジスロマック錠250mg", "錠"),
    ("アセトアミノフェン錠300mg", "錠"),
    ("アリセプト錠5mg", "錠"),
    ("フェキソフェナジン塩酸塩錠60mg", "錠"),
    ("レンドルミン錠0.25mg", "錠"),
    ("アムロジンOD錠5mg", "錠"),
    ("ゼチーア錠10mg", "錠"),
    ("セレコックス錠100mg", "錠"),
    ("【般】アムロジピン錠5mg", "錠"),
    ("(般)ロキソプロフェンNa錠60mg", "錠"),
    ("ムコダイン錠500mg", "錠"),
];
const USAGES: &[(&str, u32)] = &[
    ("1日1回朝食後", 1),
    ("1日2回朝夕食後", 2),
    ("1日3回毎食後", 3),
    ("1日1回就寝前", 1),
];
const MARKS: &[&str] = &[
    "",
    "",
    "",
    " 【患者希望】",
    " 【変更不可】 医療上必要",
    " ※患者希望",
];
const NAMES: &[&str] = &[
    "山田 太郎",
    "佐藤 花子",
    "鈴木 一郎",
    "高橋 美咲",
    "田中 健",
];

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "target/batch".into()));
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("gen_batch: {}: {e}", dir.display());
        std::process::exit(2);
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..n {
        let mut s = String::new();
        let _ = writeln!(s, "処方箋");
        let _ = writeln!(s, "保険者番号 06132015");
        let _ = writeln!(s, "氏名 {}", rng.pick(NAMES));
        let _ = writeln!(
            s,
            "生年月日 昭和{}年{}月{}日 {}",
            20 + rng.below(40),
            1 + rng.below(12),
            1 + rng.below(28),
            if rng.below(2) == 0 { "男" } else { "女" }
        );
        let _ = writeln!(s, "交付年月日 令和6年10月{}日", 1 + rng.below(7));
        let _ = writeln!(s, "保険医氏名 佐藤 花子 ㊞");
        let _ = writeln!(s, "処方");
        for rp in 1..=1 + rng.below(4) {
            let (drug, unit) = rng.pick(DRUGS);
            let (usage, times) = rng.pick(USAGES);
            let _ = writeln!(
                s,
                "Rp{rp} {drug} {}{unit}{}",
                times * (1 + rng.below(2) as u32),
                rng.pick(MARKS)
            );
            let _ = writeln!(s, "    {usage} {}日分", 3 + rng.below(28));
        }
        let _ = writeln!(s, "以下余白");
        let _ = writeln!(s, "備考");
        let _ = writeln!(s, "保険医署名 佐藤 花子");
        let path = dir.join(format!("rx{i:05}.txt"));
        if let Err(e) = std::fs::write(&path, s) {
            eprintln!("gen_batch: {}: {e}", path.display());
            std::process::exit(2);
        }
    }
    println!("{n} prescriptions in {}", dir.display());
}

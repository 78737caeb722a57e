//! Round trip: random prescriptions from the model are rendered in every text style and read
//! back; the model facts must survive. Plus: no panic on arbitrary input.

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use shohosen::model::*;
use shohosen::text::render::STYLES;
use shohosen::text::{RenderStyle, parse_text, render};

/// A tiny deterministic generator driven by a proptest seed (failures print the seed).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
    fn date(&mut self, from: i32, to: i32) -> NaiveDate {
        let y = from + self.below((to - from) as u64 + 1) as i32;
        NaiveDate::from_ymd_opt(y, 1 + self.below(12) as u32, 1 + self.below(28) as u32)
            .expect("valid")
    }
}

const INTERNAL: &[(&str, &str)] = &[
    ("ジスロマック錠250mg", "錠"),
    ("アムロジピン錠5mg", "錠"),
    ("ムコダイン錠500mg", "錠"),
    ("アリセプト錠5mg", "錠"),
    ("リリカカプセル75mg", "カプセル"),
    ("ツムラ葛根湯エキス顆粒", "g"),
];
const AS_NEEDED: &[(&str, &str, &str)] = &[
    ("カロナール錠200", "錠", "発熱時"),
    ("レンドルミン錠0.25mg", "錠", "不眠時"),
];
const EXTERNAL: &[(&str, &str)] = &[
    ("ヒルドイドソフト軟膏0.3%", "g"),
    ("フランドルテープ40mg", "枚"),
    ("モーラスパップ30mg", "枚"),
];
const TIMINGS: &[&[&str]] = &[&["朝食後", "夕食後", "就寝前"], &["朝夕食後"], &["毎食後"]];

fn gen_prescription(seed: u64, layout: Layout) -> Prescription {
    let mut r = Rng(seed | 1);
    let mut p = Prescription {
        layout,
        ..Prescription::default()
    };
    if r.chance(50) {
        p.insurance.public_expense.push(PublicExpense {
            payer_number: Some(format!("{}{}", r.pick(&["12", "21", "54"]), r.digits(6))),
            recipient_number: Some(r.digits(7)),
        });
    }
    p.insurance.insurer_number = Some(r.digits(8));
    if r.chance(70) {
        let (ns, nn) = (1 + r.below(5) as usize, 1 + r.below(6) as usize);
        p.insurance.symbol = Some(r.digits(ns));
        p.insurance.number = Some(r.digits(nn));
        if r.chance(60) {
            p.insurance.branch = Some(r.digits(2));
        }
    }
    p.patient.name = Some(format!(
        "{} {}",
        r.pick(&["山田", "鈴木", "高橋", "伊藤"]),
        r.pick(&["太郎", "花子", "一郎"])
    ));
    if r.chance(40) {
        p.patient.kana = Some(r.pick(&["ヤマダ タロウ", "スズキ ハナコ"]).to_string());
    }
    p.patient.birth_date = Some(r.date(1930, 2020));
    p.patient.sex = Some(*r.pick(&[Sex::Male, Sex::Female]));
    if r.chance(70) {
        p.patient.insured_kind = Some(*r.pick(&[InsuredKind::Insured, InsuredKind::Dependent]));
    }
    p.issued = Some(r.date(2024, 2026));
    if r.chance(30) {
        p.valid_until_written = p
            .issued
            .and_then(|d| d.checked_add_days(chrono::Days::new(3 + r.below(10))));
    }
    p.institution.address = Some(
        r.pick(&["東京都千代田区神田1-2-3", "大阪府大阪市北区梅田1-1"])
            .to_string(),
    );
    p.institution.name = Some(r.pick(&["さくらクリニック", "みどり内科医院"]).to_string());
    p.institution.phone = Some(format!("0{}-{}-{}", r.digits(1), r.digits(4), r.digits(4)));
    p.institution.prefecture_code = Some(format!("{:02}", 1 + r.below(47)));
    p.institution.fee_table_code = Some("1".into());
    p.institution.code = Some(r.digits(7));
    p.prescriber.name = Some(r.pick(&["佐藤 花子", "田中 一郎"]).to_string());
    p.prescriber.signed = true;
    p.prescriber.nosub_signature = r.chance(50);
    if r.chance(30) {
        p.refill = Refill {
            allowed: true,
            count: Some(1 + r.below(3) as u32),
        };
    }
    p.leftover = *r.pick(&[
        None,
        Some(Leftover::InquireThenDispense),
        Some(Leftover::Inform),
    ]);
    let groups = 1 + r.below(5) as u32;
    let mut index = 0;
    for rp in 1..=groups {
        let kind = r.below(10);
        let n = if kind < 6 { 1 + r.below(2) } else { 1 };
        let tpd = 1 + r.below(3) as u32;
        let timing = r.pick(TIMINGS[tpd as usize - 1]).to_string();
        let days = 1 + r.below(90) as u32;
        let times = 1 + r.below(20) as u32;
        for _ in 0..n {
            index += 1;
            let mut it = Item {
                index,
                rp,
                ..Item::default()
            };
            match kind {
                0..=5 => {
                    let (name, unit) = r.pick(INTERNAL);
                    it.name = name.to_string();
                    it.category = Category::Internal;
                    it.amount = Some(Amount {
                        value: Decimal::from(1 + r.below(6)),
                        unit: unit.to_string(),
                        basis: Basis::PerDay,
                    });
                    it.times_per_day = Some(tpd);
                    it.timing = Some(timing.clone());
                    it.days = Some(days);
                }
                6 | 7 => {
                    let (name, unit, cond) = r.pick(AS_NEEDED);
                    it.name = name.to_string();
                    it.category = Category::AsNeeded;
                    it.amount = Some(Amount {
                        value: Decimal::from(1 + r.below(2)),
                        unit: unit.to_string(),
                        basis: Basis::PerDose,
                    });
                    it.timing = Some(cond.to_string());
                    it.times = Some(times);
                }
                _ => {
                    let (name, unit) = r.pick(EXTERNAL);
                    it.name = name.to_string();
                    it.category = Category::External;
                    it.amount = Some(Amount {
                        value: Decimal::from(5 + r.below(60)),
                        unit: unit.to_string(),
                        basis: Basis::Total,
                    });
                    it.times_per_day = Some(tpd);
                }
            }
            it.general_name = r.chance(25);
            it.flags.no_substitution = r.chance(30);
            it.flags.patient_wish = r.chance(30);
            it.flags.medical_need_written =
                layout == Layout::Old && it.flags.no_substitution && r.chance(50);
            it.flags.no_form_change = r.chance(10);
            it.flags.no_strength_change = r.chance(10);
            p.items.push(it);
        }
    }
    p
}

fn check(p: &Prescription, style: RenderStyle) -> Result<(), TestCaseError> {
    let text = render(p, style);
    let back = parse_text(&text);
    prop_assert_eq!(back.len(), 1, "{}", text);
    let b = &back[0];
    let want_layout = if style == RenderStyle::Plain {
        Layout::Unknown
    } else {
        p.layout
    };
    prop_assert_eq!(b.layout, want_layout, "{}", text);
    prop_assert_eq!(&b.patient, &p.patient, "{}", text);
    prop_assert_eq!(&b.insurance, &p.insurance, "{}", text);
    prop_assert_eq!(&b.institution, &p.institution, "{}", text);
    prop_assert_eq!(&b.prescriber, &p.prescriber, "{}", text);
    prop_assert_eq!(&b.refill, &p.refill, "{}", text);
    prop_assert_eq!(b.issued, p.issued);
    prop_assert_eq!(b.valid_until_written, p.valid_until_written);
    prop_assert_eq!(b.leftover, p.leftover, "{}", text);
    prop_assert!(b.list_closed);
    prop_assert_eq!(b.items.len(), p.items.len(), "{}", text);
    for (x, y) in b.items.iter().zip(&p.items) {
        prop_assert_eq!(
            (&x.name, x.general_name, x.rp, x.category),
            (&y.name, y.general_name, y.rp, y.category),
            "{}",
            text
        );
        prop_assert_eq!(&x.amount, &y.amount, "{}", text);
        prop_assert_eq!(
            (x.days, x.times, x.times_per_day),
            (y.days, y.times, y.times_per_day),
            "{}",
            text
        );
        prop_assert_eq!(&x.timing, &y.timing, "{}", text);
        prop_assert_eq!(x.flags, y.flags, "{}", text);
    }
    prop_assert!(b.notes.is_empty(), "{:?}\n{}", b.notes, text);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn round_trip_new_layout(seed in any::<u64>()) {
        let p = gen_prescription(seed, Layout::New);
        for s in STYLES {
            check(&p, s)?;
        }
    }

    #[test]
    fn round_trip_old_layout(seed in any::<u64>()) {
        let p = gen_prescription(seed, Layout::Old);
        for s in STYLES {
            check(&p, s)?;
        }
    }

    #[test]
    fn no_panic_on_arbitrary_text(s in ".{0,400}") {
        let _ = parse_text(&s);
    }

    #[test]
    fn no_panic_on_form_like_text(parts in prop::collection::vec(prop::sample::select(vec![
        "処方", "Rp", "1)", "①", "【般】", "レ", "×", "□", "■", "\t", "\n", "  ", "　", "変更不可", "患者希望",
        "（医療上必要）", "錠", "2錠", "1回", "分3", "1日", "3回", "7日分", "10回分", "(3-2-1)", "×2本", "5mL",
        "令和6年", "2月30日", "昭和", "S35.4.12", "保険者番号", "氏名", "リフィル可", "以下余白", "時", "0.", "9999999999999",
        "備考", "保険医署名", "枝番", "・", "(", ")", "ｱ", "A", "x", "@memo:",
    ]), 0..120)) {
        let _ = parse_text(&parts.concat());
    }
}

#[test]
fn ten_thousand_lines() {
    let mut s = String::from("処方\n");
    for i in 0..10_000 {
        s.push_str(&format!(
            "Rp{i} ムコダイン錠500mg 3錠\n    分3 毎食後 7日分\n"
        ));
    }
    let ps = parse_text(&s);
    assert_eq!(ps[0].items.len(), 10_000);
}

#[test]
#[ignore]
fn show_renderings() {
    let p = gen_prescription(12345, Layout::New);
    for s in STYLES {
        println!("---- {s:?}\n{}", render(&p, s));
    }
    let p = gen_prescription(777, Layout::Old);
    println!("---- Old Columns\n{}", render(&p, RenderStyle::Columns));
}

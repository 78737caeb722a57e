//! Every real sample in `../shared/samples/jahis/`, UTF-8 copies and Shift_JIS bytes.

use rust_decimal_macros::dec;
use shohosen::error::ErrorKind;
use shohosen::jahis;
use shohosen::model::{Basis, Category, InsuredKind, Layout, Prescription, Sex};

fn sample(name: &str) -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/samples/jahis/").to_string() + name;
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read_both(stem: &str) -> Prescription {
    let utf8 = jahis::parse(&String::from_utf8(sample(&format!("{stem}.txt"))).unwrap()).unwrap();
    let sjis = jahis::parse_bytes(&sample(&format!("{stem}.sjis.bin"))).unwrap();
    assert_eq!(utf8.len(), 1);
    assert_eq!(sjis.len(), 1);
    // Same content either way (the raw lines differ only by CR).
    let (mut a, mut b) = (utf8[0].clone(), sjis[0].clone());
    a.lines = Default::default();
    b.lines = Default::default();
    assert_eq!(a, b, "{stem}: UTF-8 and Shift_JIS readings differ");
    let structure: Vec<_> = a
        .notes
        .iter()
        .filter(|n| n.rule.starts_with("jahis-"))
        .collect();
    assert!(structure.is_empty(), "{stem}: {structure:?}");
    a
}

#[test]
fn external_1_injection_kit() {
    let p = read_both("external-1");
    assert_eq!(p.layout, Layout::Jahis);
    assert_eq!(p.institution.name.as_deref(), Some("例示病院"));
    assert_eq!(p.institution.code.as_deref(), Some("9700012"));
    assert_eq!(p.institution.prefecture_code.as_deref(), Some("26"));
    assert_eq!(p.institution.fee_table_code.as_deref(), Some("1"));
    assert_eq!(p.institution.phone.as_deref(), Some("03-0000-0000"));
    assert_eq!(p.prescriber.name.as_deref(), Some("山田 太郎"));
    assert_eq!(p.patient.name.as_deref(), Some("ダミー 太郎"));
    assert_eq!(p.patient.kana.as_deref(), Some("ダミー タロウ"));
    assert_eq!(p.patient.sex, Some(Sex::Female));
    // 4230110 = 平成23年1月10日
    assert_eq!(
        p.patient.birth_date.map(|d| d.to_string()).as_deref(),
        Some("2011-01-10")
    );
    assert_eq!(p.patient.insured_kind, Some(InsuredKind::Insured));
    assert_eq!(p.insurance.insurer_number.as_deref(), Some("Z3"));
    assert_eq!(
        p.issued.map(|d| d.to_string()).as_deref(),
        Some("2026-01-30")
    );
    assert_eq!(
        p.valid_until_written.map(|d| d.to_string()).as_deref(),
        Some("2026-02-02")
    );
    assert_eq!(p.items.len(), 1);
    let it = &p.items[0];
    assert_eq!(
        it.category,
        Category::Injection,
        "剤形区分 9 with usage 注射 and unit キット"
    );
    assert_eq!(it.name, "ソグルーヤ皮下注15mg 1.5mL");
    assert_eq!(it.source_text, "ソグルーヤ皮下注１５ｍｇ　１．５ｍＬ");
    let a = it.amount.as_ref().unwrap();
    assert_eq!(
        (a.value, a.unit.as_str(), a.basis),
        (dec!(4), "キット", Basis::Total)
    );
    assert_eq!((it.days, it.times), (None, None));
    assert_eq!(
        it.code.as_ref().map(|c| (c.kind.as_str(), c.code.as_str())),
        Some(("yj", "2412403G3022"))
    );
    assert_eq!(it.usage.as_deref(), Some("1日1回注射 2/ 3 から毎週 火曜日"));
    assert_eq!(it.times_per_day, Some(1));
    assert_eq!((it.index, it.rp, it.line), (1, 1, None));
}

#[test]
fn external_2_general_name() {
    let p = read_both("external-2");
    assert_eq!(p.institution.name.as_deref(), Some("例示第二病院"));
    assert_eq!(p.insurance.insurer_number.as_deref(), Some("06000004"));
    assert_eq!(p.insurance.number.as_deref(), Some("12345674"));
    // 2120406 = 大正12年4月6日
    assert_eq!(
        p.patient.birth_date.map(|d| d.to_string()).as_deref(),
        Some("1923-04-06")
    );
    assert_eq!(
        p.remarks,
        vec!["【一包化】".to_string(), "懸濁する".to_string()]
    );
    assert_eq!(p.items.len(), 1);
    let it = &p.items[0];
    assert!(it.general_name);
    assert_eq!(it.name, "セレコキシブ錠100mg");
    assert_eq!(
        it.code.as_ref().map(|c| c.kind.as_str()),
        Some("general_name")
    );
    assert_eq!(it.category, Category::Internal);
    let a = it.amount.as_ref().unwrap();
    assert_eq!(
        (a.value, a.unit.as_str(), a.basis),
        (dec!(2), "錠", Basis::PerDay)
    );
    assert_eq!(it.days, Some(7));
    assert_eq!(it.times_per_day, Some(2));
    assert_eq!(it.timing.as_deref(), Some("朝夕食後"));
    let d = it.per_dose.as_ref().unwrap();
    assert_eq!((d.value, d.basis), (dec!(1), Basis::PerDose));
}

#[test]
fn nonstandard_layout_is_refused_with_reason() {
    let text = String::from_utf8(sample("external-nonstandard.txt")).unwrap();
    let e = jahis::parse(&text).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unreadable);
    assert!(e.message.contains("record layout"), "{}", e.message);
    assert!(
        e.message.contains("薬品コード種別"),
        "names the misshapen 201 field: {}",
        e.message
    );
    assert!(
        e.message.contains("医療機関コード種別"),
        "names the misshapen record 1 field: {}",
        e.message
    );
}

//! Property tests: prescriptions generated from the model, written as JAHIS text by
//! `jahis::write`, read back with the same facts; and arbitrary input never panics.

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use shohosen::jahis;
use shohosen::model::{
    Amount, Basis, Category, DrugCode, Flags, InsuredKind, Item, Leftover, Prescription,
    PublicExpense, Sex,
};

const NAMES: &[&str] = &[
    "アムロジン錠5mg",
    "ムコスタ錠100mg",
    "ロキソニン錠60mg",
    "モーラステープ20mg",
    "見本軟膏",
    "カロナール錠300",
];
const USAGES: &[&str] = &[
    "1日1回朝食後",
    "1日2回朝夕食後",
    "1日3回毎食後",
    "疼痛時",
    "1日2回 患部に塗布",
    "就寝前",
];
const UNITS: &[&str] = &["錠", "カプセル", "包", "g", "mL", "枚", "本", "キット"];
const CATEGORIES: &[Category] = &[
    Category::Internal,
    Category::AsNeeded,
    Category::External,
    Category::Drops,
    Category::Injection,
    Category::Material,
];
const CODE_KINDS: &[&str] = &["receipt", "mhlw", "yj", "hot"];

fn date() -> impl Strategy<Value = NaiveDate> {
    (1920i32..2030, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

fn decimal() -> impl Strategy<Value = Decimal> {
    (1i64..100_000, 0u32..=3).prop_map(|(n, scale)| Decimal::new(n, scale).normalize())
}

fn flags() -> impl Strategy<Value = Flags> {
    (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(a, b, c, d)| Flags {
        no_substitution: a,
        patient_wish: b,
        no_form_change: c,
        no_strength_change: d,
        medical_need_written: false,
    })
}

prop_compose! {
    fn drug()(name in prop::sample::select(NAMES), general in any::<bool>(),
              code in prop::option::of((prop::sample::select(CODE_KINDS), "[0-9A-Z]{9,12}")),
              unit in prop::sample::select(UNITS), value in prop::option::of(decimal()),
              flags in flags(), uneven in prop::collection::vec(decimal(), 0..4),
              per_dose in prop::option::of(decimal()),
              comments in prop::collection::vec(prop::sample::select(&["一包化", "粉砕", "食後30分"][..]), 0..2))
        -> (String, bool, Option<DrugCode>, String, Option<Decimal>, Flags, Vec<Decimal>, Option<Decimal>, Vec<String>) {
        (name.to_string(), general, code.map(|(k, c)| DrugCode { kind: k.to_string(), code: c }), unit.to_string(),
         value, flags, uneven, per_dose, comments.into_iter().map(String::from).collect())
    }
}

prop_compose! {
    fn group()(category in prop::sample::select(CATEGORIES), usage in prop::option::of(prop::sample::select(USAGES)),
               tpd in prop::option::of(1u32..5), quantity in 1u32..99, drugs in prop::collection::vec(drug(), 1..4))
        -> (Category, Option<String>, Option<u32>, u32, Vec<(String, bool, Option<DrugCode>, String, Option<Decimal>, Flags, Vec<Decimal>, Option<Decimal>, Vec<String>)>) {
        (category, usage.map(String::from), tpd, quantity, drugs)
    }
}

prop_compose! {
    fn prescription()(issued in prop::option::of(date()), birth in prop::option::of(date()),
                      sex in prop::option::of(any::<bool>()), kind in prop::option::of(any::<bool>()),
                      insurer in prop::option::of("[0-9]{8}"), number in prop::option::of("[0-9]{1,8}"),
                      rate in prop::option::of(prop::sample::select(&[10i64, 20, 30][..])),
                      publics in prop::collection::vec(("[0-9]{8}", prop::option::of("[0-9]{7}")), 0..3),
                      refill in prop::option::of(2u32..4), leftover in prop::option::of(any::<bool>()),
                      remarks in prop::collection::vec(prop::sample::select(&["一包化", "お薬手帳持参", "残薬調整"][..]), 0..3),
                      groups in prop::collection::vec(group(), 1..5)) -> Prescription {
        let mut p = Prescription { layout: shohosen::model::Layout::Jahis, list_closed: true, ..Prescription::default() };
        p.institution.name = Some("見本クリニック".into());
        p.institution.code = Some("0113719".into());
        p.institution.prefecture_code = Some("01".into());
        p.institution.fee_table_code = Some("1".into());
        p.patient.name = Some("見本 花子".into());
        p.patient.kana = Some("ミホン ハナコ".into());
        p.patient.birth_date = birth;
        p.patient.sex = sex.map(|m| if m { Sex::Male } else { Sex::Female });
        p.patient.insured_kind = kind.map(|i| if i { InsuredKind::Insured } else { InsuredKind::Dependent });
        p.insurance.insurer_number = insurer;
        p.insurance.number = number;
        p.insurance.public_expense = publics.into_iter()
            .map(|(payer, rec)| PublicExpense { payer_number: Some(payer), recipient_number: rec }).collect();
        p.copay_rate = rate.map(|r| Decimal::new(r, 2).normalize());
        p.issued = issued;
        p.refill.allowed = refill.is_some();
        p.refill.count = refill;
        p.leftover = leftover.map(|l| if l { Leftover::InquireThenDispense } else { Leftover::Inform });
        p.remarks = remarks.into_iter().map(String::from).collect();
        let mut index = 0;
        for (rp, (category, usage, tpd, quantity, drugs)) in (1..).zip(groups) {
            let basis = match category {
                Category::Internal => Basis::PerDay,
                Category::AsNeeded => Basis::PerDose,
                _ => Basis::Total,
            };
            for (name, general, code, unit, value, flags, uneven, per_dose, comments) in drugs {
                index += 1;
                p.items.push(Item {
                    index, rp, line: None,
                    source_text: name.clone(), name,
                    general_name: general,
                    category,
                    amount: value.map(|value| Amount { value, unit: unit.clone(), basis }),
                    usage: usage.clone(),
                    // With no 1日回数 field, the reader takes 1日N回 from the text.
                    times_per_day: tpd.or_else(|| usage.as_deref().and_then(jahis::usage::times_per_day)),
                    days: (category == Category::Internal).then_some(quantity),
                    times: (category == Category::AsNeeded).then_some(quantity),
                    timing: usage.as_deref().and_then(jahis::usage::timing_key),
                    uneven,
                    flags,
                    comments,
                    code,
                    per_dose: per_dose.map(|value| Amount { value, unit: unit.clone(), basis: Basis::PerDose }),
                    ..Item::default()
                });
            }
        }
        p
    }
}

/// The facts the symbol carries (what `write` writes and `parse` must give back).
fn facts(p: &Prescription) -> Prescription {
    let mut q = p.clone();
    q.notes.clear();
    q.lines = Default::default();
    q.prescriber = Default::default();
    for it in &mut q.items {
        // The raw name is what was written: 【般】 is added for a coded general-name item.
        it.source_text.clear();
    }
    q
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn written_symbols_read_back(p in prescription()) {
        let text = jahis::write(&p);
        let back = jahis::parse(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(back.len(), 1);
        let back = &back[0];
        let errors: Vec<_> = back.notes.iter().collect();
        prop_assert!(errors.is_empty(), "notes on a well-formed symbol: {:?}\n{}", errors, text);
        prop_assert_eq!(facts(back), facts(&p), "\n{}", text);
        // Same through Shift_JIS bytes.
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
        let again = jahis::parse_bytes(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(facts(&again[0]), facts(back));
    }

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,400}") {
        let _ = jahis::parse(&s);
        let _ = jahis::parse(&format!("JAHIS10\n{s}"));
    }

    #[test]
    fn arbitrary_records_never_panic(lines in prop::collection::vec(
        (prop::sample::select(&[1u16, 5, 11, 13, 14, 24, 51, 52, 64, 101, 111, 181, 201, 221, 241, 281, 999][..]),
         prop::collection::vec("[0-9０-９a-zア-ン,.．\u{1a}\r]{0,6}", 0..12)), 0..30),
        version in 0u32..15) {
        let mut text = format!("JAHIS{version}\r\n");
        for (n, fields) in lines {
            text.push_str(&n.to_string());
            for f in fields {
                text.push(',');
                text.push_str(&f);
            }
            text.push_str("\r\n");
        }
        let _ = jahis::parse(&text);
    }

    #[test]
    fn arbitrary_bytes_never_panic(b in prop::collection::vec(any::<u8>(), 0..300)) {
        let mut with_header = b"JAHIS9\r\n".to_vec();
        with_header.extend_from_slice(&b);
        let _ = jahis::parse_bytes(&b);
        let _ = jahis::parse_bytes(&with_header);
    }
}

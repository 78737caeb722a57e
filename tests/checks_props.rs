//! Property tests: the checks never panic on any prescription the readers could produce,
//! every finding names a rule of the catalog (or a reader note's own id), findings come
//! sorted, and rendering never fails.

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use shohosen::checks::{Context, catalog, render, run};
use shohosen::master::Master;
use shohosen::model::*;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[0-9]{0,9}",
        "[ァ-ヶ一-龥0-9a-zA-Z%.・※【】（）]{0,16}",
        Just("ジスロマック錠".to_string()),
        Just("モーラステープ20mg".to_string()),
        Just("レンドルミン錠0.25mg".to_string()),
    ]
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (1900i32..2100, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default())
}

fn amount() -> impl Strategy<Value = Option<Amount>> {
    prop::option::of(
        (
            any::<i64>(),
            0u32..6,
            prop_oneof![Just("錠"), Just("枚"), Just("g"), Just("")],
            0u8..3,
        )
            .prop_map(|(m, scale, unit, b)| Amount {
                value: Decimal::new(m, scale),
                unit: unit.to_string(),
                basis: [Basis::PerDay, Basis::PerDose, Basis::Total][b as usize],
            }),
    )
}

prop_compose! {
    fn item()(index in 0u32..5, rp in 0u32..3, line in prop::option::of(0u32..40), name in text(),
              cat in 0u8..7, amount in amount(), usage in prop::option::of(text()),
              tpd in prop::option::of(any::<u32>()), days in prop::option::of(any::<u32>()),
              flags in any::<[bool; 5]>(), general in any::<bool>()) -> Item {
        Item {
            index, rp, line, source_text: name.clone(), name,
            general_name: general,
            category: [Category::Internal, Category::AsNeeded, Category::External, Category::Injection,
                       Category::Drops, Category::Material, Category::Unknown][cat as usize],
            amount, usage, times_per_day: tpd, days,
            flags: Flags { no_substitution: flags[0], patient_wish: flags[1], no_form_change: flags[2],
                           no_strength_change: flags[3], medical_need_written: flags[4] },
            ..Item::default()
        }
    }
}

prop_compose! {
    fn prescription()(layout in 0u8..4, issued in prop::option::of(date()), until in prop::option::of(date()),
                      birth in prop::option::of(date()), insurer in prop::option::of(text()),
                      payer in prop::option::of(text()), recipient in prop::option::of(text()),
                      code in prop::option::of(text()), pref in prop::option::of(text()),
                      items in prop::collection::vec(item(), 0..6), refill in any::<(bool, Option<u32>)>(),
                      closed in any::<bool>(), note in prop::option::of(text()),
                      lines in prop::collection::vec(text(), 0..10)) -> Prescription {
        let mut p = Prescription {
            layout: [Layout::New, Layout::Old, Layout::Jahis, Layout::Unknown][layout as usize],
            issued, valid_until_written: until, items, list_closed: closed, lines: lines.into(),
            refill: Refill { allowed: refill.0, count: refill.1 },
            ..Prescription::default()
        };
        p.patient.birth_date = birth;
        p.insurance.insurer_number = insurer;
        p.insurance.public_expense.push(PublicExpense { payer_number: payer, recipient_number: recipient });
        p.institution.code = code;
        p.institution.prefecture_code = pref;
        p.institution.fee_table_code = Some("1".into());
        if let Some(n) = note {
            p.notes.push(ReadNote { rule: "mark-ambiguous".into(), detail: n, item: Some(1), line: Some(3) });
        }
        p
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn checks_never_panic_and_stay_in_the_catalog(p in prescription(), d in date()) {
        let master = Master::sample();
        let products = vec![None; p.items.len()];
        let ctx = Context::new(d, &products, &[], &master);
        let findings = run(&p, &ctx);
        for f in &findings {
            prop_assert!(catalog().iter().any(|r| r.id == f.rule), "{}", f.rule);
            prop_assert!(!f.message.is_empty());
        }
        for w in findings.windows(2) {
            prop_assert!(w[0].severity >= w[1].severity);
        }
        let out = render::diagnostics("p.txt", &p.lines.to_vec(), &findings, false);
        prop_assert!(out.contains("p.txt"));
    }
}

//! Every row of FEES.md's worked-example table (T01–T16), built as prescriptions in Rust,
//! priced through the embedded sample master and the fee engine. Expected numbers are copied
//! by hand from FEES.md's table, not from program output.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use shohosen::choices::{Dispense, Exempt};
use shohosen::fees::{FeeOptions, FeeOutcome, SelectiveCare, compute};
use shohosen::master::Master;
use shohosen::model::{Amount, Basis, Category, Item, Prescription, PublicExpense, Quantity};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn date(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).unwrap()
}

fn internal(name: &str, per_day: &str, timing: &str, days: u32) -> Item {
    Item {
        name: name.into(),
        category: Category::Internal,
        amount: Some(Amount {
            value: d(per_day),
            unit: "錠".into(),
            basis: Basis::PerDay,
        }),
        days: Some(days),
        timing: Some(timing.into()),
        ..Item::default()
    }
}

fn total(name: &str, cat: Category, value: &str, unit: &str) -> Item {
    Item {
        name: name.into(),
        category: cat,
        amount: Some(Amount {
            value: d(value),
            unit: unit.into(),
            basis: Basis::Total,
        }),
        ..Item::default()
    }
}

fn wish(mut it: Item) -> Item {
    it.flags.patient_wish = true;
    it
}

struct Case {
    items: Vec<Item>,
    issued: NaiveDate,
    dispensed: NaiveDate,
    copay: Option<&'static str>,
    dispense: BTreeMap<u32, Dispense>,
    exempt: BTreeMap<u32, Exempt>,
    public: Option<&'static str>,
}

fn case(items: Vec<Item>) -> Case {
    Case {
        items,
        issued: date(2024, 10, 7),
        dispensed: date(2024, 10, 7),
        copay: None,
        dispense: BTreeMap::new(),
        exempt: BTreeMap::new(),
        public: None,
    }
}

fn run(c: Case) -> FeeOutcome {
    let mut p = Prescription {
        issued: Some(c.issued),
        ..Prescription::default()
    };
    for (i, mut it) in c.items.into_iter().enumerate() {
        it.index = i as u32 + 1;
        if it.rp == 0 {
            it.rp = 1;
        }
        p.items.push(it);
    }
    if let Some(payer) = c.public {
        p.insurance.public_expense.push(PublicExpense {
            payer_number: Some(payer.into()),
            recipient_number: None,
        });
    }
    let m = Master::sample();
    let products: Vec<_> = p
        .items
        .iter()
        .map(|it| m.resolve(it, c.dispensed, c.dispense.get(&it.index)))
        .collect();
    let opts = FeeOptions {
        date: c.dispensed,
        copay: c.copay.map(d),
        dispense: c.dispense,
        exempt: c.exempt,
        other_points: 0,
    };
    compute(&p, &products, &opts)
}

/// (SP, A, IP, C, E) as in FEES.md's table.
fn check(id: &str, out: &FeeOutcome, sp: u64, a: i64, ip: u64, c: i64, e: i64) {
    let f = &out.fees;
    assert!(
        f.unpriced_items.is_empty(),
        "{id}: unpriced {:?}",
        f.unpriced
    );
    assert_eq!(
        (
            f.special_points,
            f.special_fee,
            f.insured_points,
            f.copayment,
            f.patient_total
        ),
        (sp, a, ip, c, e),
        "{id}: {f:#?}"
    );
    assert_eq!(f.insured_cost, ip as i64 * 10, "{id}: B");
    assert_eq!(f.benefit, f.insured_cost - f.copayment, "{id}: D");
}

fn t01() -> Vec<Item> {
    vec![
        wish(internal("ジスロマック錠250mg", "2", "朝食後", 3)),
        internal("アセトアミノフェン錠300mg", "1", "朝食後", 3),
    ]
}

#[test]
fn t01_jpha_example_1() {
    let out = run(case(t01()));
    check("T01", &out, 9, 99, 87, 260, 359);
    let f = &out.fees;
    assert_eq!(f.rule, "2024-10");
    assert_eq!(f.benefit, 610);
    assert_eq!(f.units.len(), 1);
    assert_eq!(f.units[0].special_yen.to_string(), "34.20");
    assert_eq!(f.units[0].insured_yen.to_string(), "289.60");
    assert_eq!(
        out.decisions,
        vec![SelectiveCare::Applies, SelectiveCare::NotTarget]
    );
    let json = serde_json::to_value(f).unwrap();
    assert_eq!(json["copay_rate"], "0.3");
    assert_eq!(json["copay_source"], "default");
}

#[test]
fn t02_jpha_example_2() {
    let fexo = Item {
        times_per_day: Some(2),
        amount: Some(Amount {
            value: d("1"),
            unit: "錠".into(),
            basis: Basis::PerDose,
        }),
        ..internal("フェキソフェナジン塩酸塩錠60mg", "0", "朝夕食後", 14)
    };
    let out = run(case(vec![
        wish(internal("アリセプト錠5mg", "1", "朝食後", 14)),
        fexo,
    ]));
    check("T02", &out, 14, 154, 196, 590, 744);
}

#[test]
fn t03_rates() {
    for (rate, c, e) in [("0.2", 170, 269), ("0.1", 90, 189), ("0", 0, 99)] {
        let mut cs = case(t01());
        cs.copay = Some(rate);
        if rate == "0" {
            cs.public = Some("54136015"); // 公費 (not 生活保護): the charge still applies
        }
        let out = run(cs);
        check(&format!("T03 {rate}"), &out, 9, 99, 87, c, e);
        assert_eq!(
            serde_json::to_value(&out.fees).unwrap()["copay_source"],
            "option"
        );
    }
}

#[test]
fn t04_no_substitution() {
    let mut items = t01();
    items[0].flags.patient_wish = false;
    items[0].flags.no_substitution = true;
    let out = run(case(items));
    check("T04", &out, 0, 0, 96, 290, 290);
    assert_eq!(out.decisions[0], SelectiveCare::ExemptMedical);
}

#[test]
fn t05_tape() {
    let out = run(case(vec![wish(total(
        "フランドルテープ40mg",
        Category::External,
        "28",
        "枚",
    ))]));
    check("T05", &out, 7, 77, 114, 340, 417);
}

#[test]
fn t06_lotion() {
    let out = run(case(vec![wish(total(
        "ボルタレンローション1%",
        Category::External,
        "50",
        "g",
    ))]));
    check("T06", &out, 1, 11, 18, 50, 61);
}

#[test]
fn t07_eye_drops_package_conversion() {
    let mut it = wish(total("パタノール点眼液0.1%", Category::External, "2", "本"));
    it.package = Some(Quantity {
        value: d("5"),
        unit: "mL".into(),
    });
    let out = run(case(vec![it]));
    check("T07", &out, 10, 110, 86, 260, 370);
}

#[test]
fn t08_as_needed() {
    let it = Item {
        name: "レンドルミン錠0.25mg".into(),
        category: Category::AsNeeded,
        amount: Some(Amount {
            value: d("1"),
            unit: "錠".into(),
            basis: Basis::PerDose,
        }),
        times: Some(10),
        ..Item::default()
    };
    let out = run(case(vec![wish(it)]));
    check("T08", &out, 1, 11, 12, 40, 51);
}

#[test]
fn t09_two_charged_in_one_unit_and_not_t09x() {
    let out = run(case(vec![
        wish(internal("アムロジンOD錠5mg", "1", "朝食後", 28)),
        wish(internal("ゼチーア錠10mg", "1", "朝食後", 28)),
    ]));
    check("T09", &out, 28, 308, 224, 670, 978);
    // T09x (converting each drug separately) would give SP 56, A 616.
    assert_ne!(out.fees.special_points, 56);
    assert_ne!(out.fees.special_fee, 616);
    assert_eq!(out.fees.units.len(), 1);
}

#[test]
fn t10_internal_at_bedtime() {
    let out = run(case(vec![wish(internal(
        "レンドルミン錠0.25mg",
        "1",
        "就寝前",
        10,
    ))]));
    check("T10", &out, 10, 110, 10, 30, 140);
}

#[test]
fn t11_t12_celecox_rates() {
    for (rate, c, e) in [("0.1", 60, 214), ("0.2", 110, 264)] {
        let mut cs = case(vec![wish(internal(
            "セレコックス錠100mg",
            "2",
            "朝夕食後",
            14,
        ))]);
        cs.copay = Some(rate);
        check(&format!("T11/12 {rate}"), &run(cs), 14, 154, 56, c, e);
    }
}

#[test]
fn t13_bottles() {
    let out = run(case(vec![wish(total(
        "ヒアレイン点眼液0.1%",
        Category::External,
        "2",
        "瓶",
    ))]));
    check("T13", &out, 3, 33, 46, 140, 173);
}

#[test]
fn t14_with_non_target() {
    let out = run(case(vec![
        wish(internal("セレコックス錠100mg", "2", "朝夕食後", 14)),
        internal("ムコスタ錠100mg", "3", "朝夕食後", 14),
    ]));
    check("T14", &out, 14, 154, 98, 290, 444);
}

#[test]
fn t15_amlodin_30_days() {
    let out = run(case(vec![wish(internal(
        "アムロジン錠5mg",
        "1",
        "朝食後",
        30,
    ))]));
    check("T15", &out, 30, 330, 30, 90, 420);
}

#[test]
fn t16_half_rule_from_2026_06() {
    let mut cs = case(t01());
    cs.issued = date(2026, 7, 1);
    cs.dispensed = date(2026, 7, 1);
    let out = run(cs);
    check("T16", &out, 6, 66, 63, 190, 256);
    assert_eq!(out.fees.rule, "2026-06");
    assert_eq!(out.fees.fraction.as_deref(), Some("1/2"));
}

#[test]
fn decisions_follow_the_table() {
    // Both marks: inquiry, not charged.
    let mut it = wish(internal("ジスロマック錠250mg", "2", "朝食後", 3));
    it.flags.no_substitution = true;
    let out = run(case(vec![it]));
    assert_eq!(out.decisions, vec![SelectiveCare::Inquiry]);
    assert_eq!(out.fees.special_points, 0);
    assert_eq!(out.fees.pending_items, vec![1]);

    // Unmarked brand: the pharmacist judges; the patient's choice makes it apply.
    let unmarked = || internal("ジスロマック錠250mg", "2", "朝食後", 3);
    assert_eq!(
        run(case(vec![unmarked()])).decisions,
        vec![SelectiveCare::Judge]
    );
    let mut cs = case(vec![unmarked()]);
    cs.dispense.insert(1, Dispense::Brand);
    let out = run(cs);
    assert_eq!(out.decisions, vec![SelectiveCare::Applies]);
    assert_eq!(out.fees.special_points, 9);

    // Stock exemption.
    let mut cs = case(vec![wish(unmarked())]);
    cs.exempt.insert(1, Exempt::Stock);
    assert_eq!(run(cs).decisions, vec![SelectiveCare::ExemptStock]);

    // 生活保護 (法別 12): no charge.
    let mut cs = case(vec![wish(unmarked())]);
    cs.public = Some("12131012");
    let out = run(cs);
    assert_eq!(out.decisions, vec![SelectiveCare::Welfare]);
    assert_eq!(out.fees.special_fee, 0);

    // Issued before 2024-10-01, dispensed after: no charge.
    let mut cs = case(vec![wish(unmarked())]);
    cs.issued = date(2024, 9, 30);
    let out = run(cs);
    assert_eq!(out.decisions, vec![SelectiveCare::BeforeRule]);
    assert_eq!(out.fees.special_fee, 0);

    // Dispensed before 2024-10-01: no rule at all.
    let mut cs = case(vec![wish(unmarked())]);
    cs.issued = date(2024, 9, 20);
    cs.dispensed = date(2024, 9, 20);
    let out = run(cs);
    assert_eq!(out.fees.rule, "none");
    assert_eq!(out.decisions, vec![SelectiveCare::BeforeRule]);
    assert_eq!(out.fees.insured_points, 96);
}

#[test]
fn general_name_lines() {
    // 一般名 with no choice: priced at its highest generic, never a target.
    let mut g = internal("アムロジピン錠5mg", "1", "朝食後", 30);
    g.general_name = true;
    let out = run(case(vec![g.clone()]));
    assert_eq!(out.decisions, vec![SelectiveCare::NotTarget]);
    assert_eq!(out.fees.insured_points, 30);
    // The patient chooses the long-listed brand: charged like T15.
    let mut cs = case(vec![g]);
    cs.dispense.insert(1, Dispense::Brand);
    let out = run(cs);
    assert_eq!(out.decisions, vec![SelectiveCare::Applies]);
    check("general→brand", &out, 30, 330, 30, 90, 420);
}

#[test]
fn unknown_drugs_are_listed_not_guessed() {
    let out = run(case(vec![
        wish(internal("ソンザイシナイ錠5mg", "1", "朝食後", 7)),
        internal("アムロジン錠5mg", "1", "朝食後", 7),
    ]));
    assert_eq!(out.decisions[0], SelectiveCare::UnknownDrug);
    assert_eq!(out.fees.unpriced_items, vec![1]);
    // The known drug is still priced, at P (unmarked brand → judge, not charged):
    // 15.2円 → 2点 × 7日.
    assert_eq!(out.fees.insured_points, 14);
}

#[test]
fn same_timing_different_days_are_separate_units() {
    let out = run(case(vec![
        wish(internal("アムロジン錠5mg", "1", "朝食後", 30)),
        wish(internal("ゼチーア錠10mg", "1", "朝食後", 14)),
    ]));
    assert_eq!(out.fees.units.len(), 2);
    assert_eq!(out.fees.units[0].multiplier, 30);
    assert_eq!(out.fees.units[1].multiplier, 14);
    let json = serde_json::to_value(&out.fees).unwrap();
    assert_eq!(
        json["choices"]["interpretation"]["internal_units"],
        "timing_days"
    );
}

#[test]
fn readable_table() {
    let mut p = Prescription {
        issued: Some(date(2024, 10, 7)),
        ..Prescription::default()
    };
    for (i, mut it) in t01().into_iter().enumerate() {
        it.index = i as u32 + 1;
        it.rp = 1;
        p.items.push(it);
    }
    let m = Master::sample();
    let on = date(2024, 10, 7);
    let products: Vec<_> = p.items.iter().map(|it| m.resolve(it, on, None)).collect();
    let opts = FeeOptions {
        date: on,
        copay: None,
        dispense: BTreeMap::new(),
        exempt: BTreeMap::new(),
        other_points: 0,
    };
    let out = compute(&p, &products, &opts);
    let t = shohosen::fees::render_table(&p, &products, &out);
    for needle in [
        "ジスロマック錠250mg",
        "[a] 17.10",
        "34.20",
        "289.60",
        "359 円",
        "610 円",
    ] {
        assert!(t.contains(needle), "{needle} missing in\n{t}");
    }
}

#[test]
fn other_points_join_before_rounding() {
    let mut cs = case(t01());
    cs.copay = Some("0.3");
    let mut p = Prescription {
        issued: Some(cs.issued),
        ..Prescription::default()
    };
    for (i, mut it) in cs.items.into_iter().enumerate() {
        it.index = i as u32 + 1;
        it.rp = 1;
        p.items.push(it);
    }
    let m = Master::sample();
    let products: Vec<_> = p
        .items
        .iter()
        .map(|it| m.resolve(it, cs.dispensed, None))
        .collect();
    let opts = FeeOptions {
        date: cs.dispensed,
        copay: None,
        dispense: BTreeMap::new(),
        exempt: BTreeMap::new(),
        other_points: 100,
    };
    let f = compute(&p, &products, &opts).fees;
    // B = (87 + 100) × 10 = 1870; C = 561 → 560; E = 99 + 560.
    assert_eq!(
        (f.insured_cost, f.copayment, f.patient_total),
        (1870, 560, 659)
    );
}

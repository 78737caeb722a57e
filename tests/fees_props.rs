//! Properties of the fee engine: pts is monotone with the 15円/10円 steps; A = 11 × SP at
//! 10% tax; C is a multiple of 10; D = B − C; E = A + C; never a panic on odd inputs.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use shohosen::fees::{FeeOptions, compute, pts};
use shohosen::master::Master;
use shohosen::model::{Amount, Basis, Category, Item, Prescription};

fn yen(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

proptest! {
    #[test]
    fn pts_is_monotone(a in 0i64..10_000_000, b in 0i64..10_000_000) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(pts(yen(lo)) <= pts(yen(hi)));
    }

    #[test]
    fn pts_steps(k in 1u64..100_000, cents in 1i64..=1000) {
        // (15 + 10(k−1), 15 + 10k] gives k + 1 points.
        let base = 1500 + 1000 * (k as i64 - 1);
        prop_assert_eq!(pts(yen(base + cents)), k + 1);
        prop_assert_eq!(pts(yen(cents.min(1500))), 1);
    }
}

const DRUGS: &[&str] = &[
    "ジスロマック錠250mg",
    "アセトアミノフェン錠300mg",
    "アリセプト錠5mg",
    "アムロジンOD錠5mg",
    "ゼチーア錠10mg",
    "セレコックス錠100mg",
    "ムコスタ錠100mg",
    "レンドルミン錠0.25mg",
    "フランドルテープ40mg",
    "ボルタレンローション1%",
    "未知の薬錠1mg",
];

fn arb_item() -> impl Strategy<Value = (usize, u32, u32, u8, bool, bool, u8, u32)> {
    (
        0..DRUGS.len(),
        1u32..=20,
        1u32..=90,
        0u8..3,
        any::<bool>(),
        any::<bool>(),
        0u8..4,
        0u32..4,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn totals_are_consistent(
        items in proptest::collection::vec(arb_item(), 0..8),
        rate in 0i64..=10,
        other in 0u32..500,
        late in any::<bool>(),
    ) {
        let date = if late { NaiveDate::from_ymd_opt(2026, 7, 1).unwrap() } else { NaiveDate::from_ymd_opt(2024, 10, 7).unwrap() };
        let mut p = Prescription { issued: Some(date), ..Prescription::default() };
        for (i, (drug, n, days, timing, wish, nosub, cat, rp)) in items.into_iter().enumerate() {
            let category = [Category::Internal, Category::AsNeeded, Category::External, Category::Unknown][cat as usize];
            let mut it = Item {
                index: i as u32 + 1,
                rp,
                name: DRUGS[drug].into(),
                category,
                amount: Some(Amount { value: Decimal::from(n), unit: if drug == 8 { "枚".into() } else if drug == 9 { "g".into() } else { "錠".into() }, basis: if category == Category::AsNeeded { Basis::PerDose } else if category == Category::Internal { Basis::PerDay } else { Basis::Total } }),
                days: (category == Category::Internal).then_some(days),
                times: (category == Category::AsNeeded).then_some(days),
                timing: Some(["朝食後", "夕食後", "就寝前"][timing as usize].into()),
                ..Item::default()
            };
            it.flags.patient_wish = wish;
            it.flags.no_substitution = nosub;
            p.items.push(it);
        }
        let m = Master::sample();
        let products: Vec<_> = p.items.iter().map(|it| m.resolve(it, date, None)).collect();
        let opts = FeeOptions { date, copay: Some(Decimal::new(rate, 1)), dispense: BTreeMap::new(), exempt: BTreeMap::new(), other_points: other };
        let out = compute(&p, &products, &opts);
        let f = &out.fees;
        prop_assert_eq!(out.decisions.len(), p.items.len());
        prop_assert_eq!(f.special_fee, 11 * f.special_points as i64, "A = 11 × SP at 10%");
        prop_assert_eq!(f.insured_cost, 10 * (f.insured_points as i64 + i64::from(other)));
        prop_assert_eq!(f.copayment % 10, 0);
        prop_assert!((f.copayment - f.insured_cost * rate / 10).abs() <= 5);
        prop_assert_eq!(f.benefit, f.insured_cost - f.copayment);
        prop_assert_eq!(f.patient_total, f.special_fee + f.copayment);
        // Unit sums add up.
        let sp: u64 = f.units.iter().map(|u| u.special_points * u64::from(u.multiplier)).sum();
        prop_assert_eq!(sp, f.special_points);
    }
}

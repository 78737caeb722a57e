//! The JPhA 確認事項 (seed 002 「処方箋への記載②」) and the selective-care decision.

use super::header_line;
use crate::checks::validity::selective_care_start;
use crate::checks::{Env, Sink};
use crate::fees::SelectiveCare;
use crate::model::{Layout, Prescription};

/// The prescription falls under the rule (issued, or when no issue date is known, dispensed,
/// on or after 2024-10-01).
fn under_rule(p: &Prescription, ctx: &Env<'_>) -> bool {
    p.issued.unwrap_or(ctx.date) >= selective_care_start()
}

/// `nosub-unsigned`: 変更不可 needs the 備考 保険医署名. The 2D symbol cannot carry a signature
/// (it is on the paper beside the symbol), so JAHIS input is not judged here.
pub fn nosub_unsigned(p: &Prescription, ctx: &Env<'_>, s: &mut Sink) {
    if p.layout == Layout::Jahis || p.prescriber.nosub_signature {
        return;
    }
    for (_, it) in ctx.drugs(p).filter(|(_, it)| it.flags.no_substitution) {
        s.item("nosub-unsigned", it, &[]);
    }
}

/// `nosub-no-reason`: an old-form 変更不可 from 2024-10-01 needs 「医療上必要」 written.
pub fn nosub_no_reason(p: &Prescription, ctx: &Env<'_>, s: &mut Sink) {
    if p.layout != Layout::Old || !under_rule(p, ctx) {
        return;
    }
    for (_, it) in ctx
        .drugs(p)
        .filter(|(_, it)| it.flags.no_substitution && !it.flags.medical_need_written)
    {
        s.item("nosub-no-reason", it, &[]);
    }
}

/// `nosub-and-wish`: both marks on one item.
pub fn nosub_and_wish(p: &Prescription, ctx: &Env<'_>, s: &mut Sink) {
    for (_, it) in ctx
        .drugs(p)
        .filter(|(_, it)| it.flags.no_substitution && it.flags.patient_wish)
    {
        s.item("nosub-and-wish", it, &[]);
    }
}

/// `general-name-nosub` and `general-name-wish`.
pub fn general_name_marks(p: &Prescription, ctx: &Env<'_>, s: &mut Sink) {
    for (_, it) in ctx.drugs(p).filter(|(_, it)| it.general_name) {
        if it.flags.no_substitution {
            s.item("general-name-nosub", it, &[]);
        }
        if it.flags.patient_wish {
            s.item("general-name-wish", it, &[]);
        }
    }
}

/// `wish-not-target`: 患者希望 on a known product that is not a target on that date.
/// (一般名 items have their own rule; both marks are `nosub-and-wish`; before the rule
/// `pre-selective-care` says it all.)
pub fn wish_not_target(p: &Prescription, ctx: &Env<'_>, s: &mut Sink) {
    if !under_rule(p, ctx) {
        return;
    }
    let date = ctx.date.to_string();
    for (i, it) in ctx.drugs(p) {
        let f = it.flags;
        if f.patient_wish
            && !f.no_substitution
            && !it.general_name
            && ctx.product(i).is_some_and(|pr| !pr.target)
        {
            s.item("wish-not-target", it, &[("date", &date)]);
        }
    }
}

/// `brand-unmarked` (decision `judge`) and `selective-care` (decision `applies`).
pub fn decisions(p: &Prescription, ctx: &Env<'_>, s: &mut Sink) {
    for (i, it) in ctx.drugs(p) {
        match ctx.decision(p, i) {
            SelectiveCare::Judge
                if !it.general_name && !it.flags.no_substitution && !it.flags.patient_wish =>
            {
                s.item("brand-unmarked", it, &[]);
            }
            SelectiveCare::Applies => s.item("selective-care", it, &[]),
            _ => {}
        }
    }
}

/// `welfare-patient`: 生活保護 and a target without 医療上必要.
pub fn welfare_patient(p: &Prescription, ctx: &Env<'_>, s: &mut Sink) {
    let welfare = p.is_welfare() && under_rule(p, ctx);
    for (i, it) in ctx.drugs(p) {
        let by_table =
            welfare && !it.flags.no_substitution && ctx.product(i).is_some_and(|pr| pr.target);
        if ctx.decision(p, i) == SelectiveCare::Welfare || by_table {
            s.item("welfare-patient", it, &[]);
        }
    }
}

/// `pre-selective-care`: issued before 2024-10-01.
pub fn pre_selective_care(p: &Prescription, _ctx: &Env<'_>, s: &mut Sink) {
    if p.issued.is_some_and(|d| d < selective_care_start()) {
        s.emit("pre-selective-care", None, header_line(p, "issued"), &[]);
    }
}

/// `old-layout`: the old form used on or after 2024-10-01.
pub fn old_layout(p: &Prescription, ctx: &Env<'_>, s: &mut Sink) {
    if p.layout == Layout::Old && under_rule(p, ctx) {
        s.emit("old-layout", None, header_line(p, "layout"), &[]);
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::rules::testkit::*;
    use crate::fees::SelectiveCare;
    use crate::model::*;

    fn nosub(p: &mut Prescription, i: usize) {
        p.items[i].flags = Flags {
            no_substitution: true,
            ..Flags::default()
        };
    }

    #[test]
    fn clean_example_has_only_selective_care() {
        let ids = ids(&clean());
        assert_eq!(ids, vec!["selective-care".to_string()], "{ids:?}");
    }

    #[test]
    fn selective_care_message_names_the_item_and_the_addition() {
        let f = run_with(
            &clean(),
            &products(),
            &[SelectiveCare::Applies, SelectiveCare::NotTarget],
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].item, Some(1));
        assert_eq!(f[0].line, Some(11));
        assert!(
            f[0].message.starts_with("1) ジスロマック錠250mg: "),
            "{}",
            f[0].message
        );
        assert!(f[0].message.contains("特定薬剤管理指導加算3ロ（5点）"));
    }

    #[test]
    fn nosub_unsigned_fires_without_the_remarks_signature_only() {
        let mut p = clean();
        nosub(&mut p, 0);
        let f = run_with(
            &p,
            &products(),
            &[SelectiveCare::ExemptMedical, SelectiveCare::NotTarget],
        );
        let hit: Vec<_> = f.iter().filter(|f| f.rule == "nosub-unsigned").collect();
        assert_eq!(hit.len(), 1);
        assert_eq!(
            hit[0].message,
            "1) ジスロマック錠250mg: 変更不可の記載がありますが、備考欄の保険医署名がありません。疑義照会してください。"
        );
        assert_eq!(hit[0].severity, Severity::Error);
        p.prescriber.nosub_signature = true;
        assert!(!has(&ids(&p), "nosub-unsigned"));
        // The 2D symbol has no signature box.
        p.prescriber.nosub_signature = false;
        p.layout = Layout::Jahis;
        assert!(!has(&ids(&p), "nosub-unsigned"));
    }

    #[test]
    fn nosub_no_reason_only_on_the_old_form_from_october_2024() {
        let mut p = clean();
        nosub(&mut p, 0);
        p.prescriber.nosub_signature = true;
        p.layout = Layout::Old;
        assert!(has(&ids(&p), "nosub-no-reason"));
        p.items[0].flags.medical_need_written = true;
        assert!(!has(&ids(&p), "nosub-no-reason"));
        p.items[0].flags.medical_need_written = false;
        p.issued = Some(d(2024, 9, 30));
        assert!(!has(&ids_on(&p, d(2024, 10, 2)), "nosub-no-reason"));
        p.issued = Some(d(2024, 10, 1));
        p.layout = Layout::New;
        assert!(!has(&ids(&p), "nosub-no-reason"));
    }

    #[test]
    fn both_marks() {
        let mut p = clean();
        p.items[0].flags.no_substitution = true;
        p.prescriber.nosub_signature = true;
        let ids = ids(&p);
        assert!(has(&ids, "nosub-and-wish"));
        assert!(!has(&ids, "selective-care"));
        assert!(!has(&ids, "wish-not-target"));
        assert!(!has(
            &crate::checks::rules::testkit::ids(&clean()),
            "nosub-and-wish"
        ));
    }

    #[test]
    fn general_name_marks() {
        let mut p = clean();
        p.items[1].general_name = true;
        p.items[1].flags.patient_wish = true;
        let i = ids(&p);
        assert!(
            has(&i, "general-name-wish")
                && !has(&i, "general-name-nosub")
                && !has(&i, "wish-not-target")
        );
        p.items[1].flags = Flags {
            no_substitution: true,
            ..Flags::default()
        };
        p.prescriber.nosub_signature = true;
        let i = ids(&p);
        assert!(has(&i, "general-name-nosub") && !has(&i, "general-name-wish"));
        p.items[1].general_name = false;
        assert!(!has(&ids(&p), "general-name-nosub"));
    }

    #[test]
    fn wish_not_target_needs_a_known_non_target() {
        let mut p = clean();
        p.items[1].flags.patient_wish = true;
        assert!(has(&ids(&p), "wish-not-target"));
        // unknown product: no claim about the target list
        let f = run_with(&p, &[Some(product("ジスロマック錠250mg", true)), None], &[]);
        assert!(!f.iter().any(|f| f.rule == "wish-not-target"));
        // the target itself with a wish
        assert!(!has(&ids(&clean()), "wish-not-target"));
    }

    #[test]
    fn brand_unmarked_follows_the_judge_decision() {
        let mut p = clean();
        p.items[0].flags = Flags::default();
        assert!(has(&ids(&p), "brand-unmarked"));
        let f = run_with(
            &p,
            &products(),
            &[SelectiveCare::Applies, SelectiveCare::NotTarget],
        );
        assert!(!f.iter().any(|f| f.rule == "brand-unmarked"));
        assert!(f.iter().any(|f| f.rule == "selective-care"));
        let f = run_with(
            &p,
            &products(),
            &[SelectiveCare::Judge, SelectiveCare::NotTarget],
        );
        assert_eq!(f.iter().filter(|f| f.rule == "brand-unmarked").count(), 1);
    }

    #[test]
    fn welfare_patient() {
        let mut p = clean();
        p.insurance.public_expense.push(PublicExpense {
            payer_number: Some("12131012".into()),
            recipient_number: Some("1234566".into()),
        });
        let i = ids(&p);
        assert!(has(&i, "welfare-patient"), "{i:?}");
        assert!(!has(&i, "selective-care"));
        p.items[0].flags = Flags {
            no_substitution: true,
            ..Flags::default()
        };
        p.prescriber.nosub_signature = true;
        assert!(!has(&ids(&p), "welfare-patient"));
        assert!(!has(
            &crate::checks::rules::testkit::ids(&clean()),
            "welfare-patient"
        ));
    }

    #[test]
    fn before_the_rule() {
        let mut p = clean();
        p.issued = Some(d(2024, 9, 30));
        let i = ids_on(&p, d(2024, 10, 2));
        assert!(has(&i, "pre-selective-care"));
        assert!(
            !has(&i, "selective-care") && !has(&i, "brand-unmarked") && !has(&i, "wish-not-target")
        );
        assert!(!has(&ids(&clean()), "pre-selective-care"));
    }

    #[test]
    fn old_layout_after_october() {
        let mut p = clean();
        p.layout = Layout::Old;
        assert!(has(&ids(&p), "old-layout"));
        p.issued = Some(d(2024, 9, 28));
        assert!(!has(&ids_on(&p, d(2024, 9, 30)), "old-layout"));
        assert!(!has(&ids(&clean()), "old-layout"));
    }

    /// The seed's 「改正前の処方箋を使用する場合」 example: A錠 「レ 医療上必要」, B錠
    /// 「※患者希望」, C錠 unmarked, (般)D錠 — all four long-listed targets, issued in October
    /// 2024 on the old form, 保険医署名 given.
    #[test]
    fn seed_old_form_example() {
        let mut p = clean();
        p.layout = Layout::Old;
        p.prescriber.nosub_signature = true;
        let mk = |i: u32, name: &str| Item {
            days: Some(28),
            ..item(i, i, name, "1", "錠")
        };
        p.items = vec![
            Item {
                flags: Flags {
                    no_substitution: true,
                    medical_need_written: true,
                    ..Flags::default()
                },
                ..mk(1, "A錠")
            },
            Item {
                flags: Flags {
                    patient_wish: true,
                    ..Flags::default()
                },
                ..mk(2, "B錠")
            },
            mk(3, "C錠"),
            Item {
                general_name: true,
                ..mk(4, "D錠")
            },
        ];
        let products: Vec<_> = ["A錠", "B錠", "C錠", "D錠"]
            .iter()
            .map(|n| Some(product(n, true)))
            .collect();
        let f = run_with(&p, &products, &[]);
        let got: Vec<(String, Option<u32>)> = f.iter().map(|f| (f.rule.clone(), f.item)).collect();
        // 「選定療養の対象」 for B (患者希望), the pharmacist judges C, A is exempt (医療上必要
        // written), D is dispensed as a generic unless the patient asks at the pharmacy.
        assert_eq!(
            got,
            // sorted by severity, then line (a finding with no line comes last)
            vec![
                ("selective-care".to_string(), Some(2)),
                ("brand-unmarked".to_string(), Some(3)),
                ("old-layout".to_string(), None),
            ]
        );
        // The same form with A's mark but no reason written: 「チェックがあり、理由の記載が
        // なければ疑義照会」.
        p.items[0].flags.medical_need_written = false;
        let f = run_with(&p, &products, &[]);
        let hit = f
            .iter()
            .find(|f| f.rule == "nosub-no-reason")
            .expect("fires");
        assert_eq!((hit.item, hit.severity), (Some(1), Severity::Error));
    }
}

//! The rules, one small function each, grouped by theme. [`ALL`] is the run order (the output
//! is sorted afterwards, so the order only matters for ties).

use super::{Env, Sink};
use crate::model::{Layout, Prescription};
use crate::normalize::fold;

pub mod form;
pub mod jpha;
pub mod lines;
pub mod reading;

/// A rule: looks at the prescription and context, emits findings.
pub type Check = fn(&Prescription, &Env<'_>, &mut Sink);

/// Every rule function.
pub static ALL: &[Check] = &[
    jpha::nosub_unsigned,
    jpha::nosub_no_reason,
    jpha::nosub_and_wish,
    jpha::general_name_marks,
    jpha::wish_not_target,
    jpha::decisions,
    jpha::welfare_patient,
    jpha::pre_selective_care,
    jpha::old_layout,
    form::issue_date,
    form::expired,
    form::prescriber_unsigned,
    form::patient_fields,
    form::birth_date_future,
    form::insurer,
    form::public_expense,
    form::institution,
    lines::strength_missing,
    lines::items_missing,
    lines::dose_missing,
    lines::amount_implausible,
    lines::usage_and_days,
    lines::uneven_division,
    lines::patch_amount,
    lines::refill,
    lines::days_over_limit,
    lines::unclosed_list,
    reading::unknown_drug,
    reading::undecodable_characters,
];

/// Labels of the printed form by header key, used when the reader did not record the line:
/// a line whose folded text starts with (or, for the longer labels, contains) the label.
const FORM_LABELS: &[(&str, &str, bool)] = &[
    // (key, label, may appear after other text on the line)
    ("issued", "交付年月日", true),
    ("valid_until", "使用期間", true),
    ("patient", "氏名", false),
    ("birth_date", "生年月日", true),
    ("sex", "生年月日", true),
    ("insurer_number", "保険者番号", false),
    ("public_expense", "公費負担者番号", true),
    ("recipient_number", "受給者番号", true),
    ("institution_code", "医療機関コード", true),
    ("prescriber", "保険医氏名", true),
    ("nosub_signature", "保険医署名", false),
    ("refill", "リフィル", true),
    ("layout", "変更不可", false),
];

/// 2D-symbol record numbers by header key (FORMATS.md §4).
const JAHIS_RECORDS: &[(&str, &str)] = &[
    ("issued", "51,"),
    ("valid_until", "52,"),
    ("patient", "11,"),
    ("sex", "12,"),
    ("birth_date", "13,"),
    ("insurer_number", "22,"),
    ("public_expense", "27,"),
    ("recipient_number", "27,"),
    ("institution_code", "1,"),
    ("prescriber", "5,"),
    ("refill", "64,"),
];

/// The 1-based line of header field `key`: the one the reader recorded in
/// `Prescription::header_lines`, else found by its label in the reader's lines.
pub(crate) fn header_line(p: &Prescription, key: &str) -> Option<u32> {
    if let Some(l) = p.header_lines.get(key) {
        return Some(*l);
    }
    let found = if p.layout == Layout::Jahis {
        let (_, prefix) = JAHIS_RECORDS.iter().find(|(k, _)| *k == key)?;
        p.lines
            .iter()
            .position(|l| l.trim_start().starts_with(prefix))
    } else {
        let (_, label, anywhere) = FORM_LABELS.iter().find(|(k, _, _)| *k == key)?;
        p.lines.iter().position(|l| {
            let t = fold(l);
            let t = t.trim_start();
            t.starts_with(label) || (*anywhere && t.contains(label))
        })
    };
    found.and_then(|i| u32::try_from(i + 1).ok())
}

#[cfg(test)]
pub(crate) mod testkit {
    //! Prescriptions built in Rust for the rule tests: a clean JPhA example 1 that no
    //! error rule fires on, and helpers to break it one fact at a time.
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    use crate::checks::{Context, run};
    use crate::fees::SelectiveCare;
    use crate::master::{Master, Product};
    use crate::model::*;

    pub fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    pub fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    pub fn item(index: u32, rp: u32, name: &str, value: &str, unit: &str) -> Item {
        Item {
            index,
            rp,
            line: Some(10 + index),
            source_text: format!("{name} {value}{unit}"),
            name: name.into(),
            category: Category::Internal,
            amount: Some(Amount {
                value: dec(value),
                unit: unit.into(),
                basis: Basis::PerDay,
            }),
            usage: Some("1日1回朝食後".into()),
            times_per_day: Some(1),
            days: Some(3),
            timing: Some("朝食後".into()),
            ..Item::default()
        }
    }

    pub fn product(name: &str, target: bool) -> Product {
        Product {
            code: "6149004F1028".into(),
            name: name.into(),
            price: dec("158.9"),
            unit: "錠".into(),
            generic: false,
            target,
            generic_max_price: target.then(|| dec("90.5")),
            a: None,
            b: None,
        }
    }

    /// JPhA example 1 on the new form, everything in order, issued 2024-10-01.
    pub fn clean() -> Prescription {
        Prescription {
            layout: Layout::New,
            issued: Some(d(2024, 10, 1)),
            patient: Patient {
                name: Some("山田 太郎".into()),
                birth_date: Some(d(1960, 4, 12)),
                sex: Some(Sex::Male),
                ..Patient::default()
            },
            insurance: Insurance {
                insurer_number: Some("06132013".into()),
                ..Insurance::default()
            },
            institution: Institution {
                prefecture_code: Some("13".into()),
                fee_table_code: Some("1".into()),
                code: Some("1234569".into()),
                ..Institution::default()
            },
            prescriber: Prescriber {
                name: Some("佐藤 花子".into()),
                signed: true,
                nosub_signature: false,
            },
            items: vec![
                Item {
                    flags: Flags {
                        patient_wish: true,
                        ..Flags::default()
                    },
                    ..item(1, 1, "ジスロマック錠250mg", "2", "錠")
                },
                item(2, 1, "アセトアミノフェン錠300mg", "1", "錠"),
            ],
            list_closed: true,
            ..Prescription::default()
        }
    }

    /// Products matching `clean()`'s items.
    pub fn products() -> Vec<Option<Product>> {
        vec![
            Some(product("ジスロマック錠250mg", true)),
            Some(product("アセトアミノフェン錠300mg", false)),
        ]
    }

    /// Runs the checks with the given products and decisions on 2024-10-02.
    pub fn run_with(
        p: &Prescription,
        products: &[Option<Product>],
        decisions: &[SelectiveCare],
    ) -> Vec<Finding> {
        run_on(p, products, decisions, d(2024, 10, 2))
    }

    pub fn run_on(
        p: &Prescription,
        products: &[Option<Product>],
        decisions: &[SelectiveCare],
        date: NaiveDate,
    ) -> Vec<Finding> {
        let master = Master::sample();
        let ctx = Context::new(date, products, decisions, &master);
        run(p, &ctx)
    }

    /// Rule ids found with the fallback decisions.
    pub fn ids(p: &Prescription) -> Vec<String> {
        ids_on(p, d(2024, 10, 2))
    }

    pub fn ids_on(p: &Prescription, date: NaiveDate) -> Vec<String> {
        let mut products = products();
        products.resize(p.items.len(), None);
        run_on(p, &products, &[], date)
            .into_iter()
            .map(|f| f.rule)
            .collect()
    }

    pub fn has(ids: &[String], id: &str) -> bool {
        ids.iter().any(|i| i == id)
    }
}

#[cfg(test)]
mod header_line_tests {
    use super::header_line;
    use crate::model::{Layout, Prescription};

    #[test]
    fn found_by_label_when_the_reader_did_not_record_it() {
        let mut p = Prescription {
            lines: [
                "処方箋",
                "保険医氏名 佐藤 花子 ㊞",
                "氏名 山田 太郎",
                "交付年月日 令和6年10月1日",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            ..Prescription::default()
        };
        assert_eq!(header_line(&p, "issued"), Some(4));
        assert_eq!(header_line(&p, "patient"), Some(3));
        assert_eq!(header_line(&p, "prescriber"), Some(2));
        assert_eq!(header_line(&p, "refill"), None);
        p.header_lines.insert("issued".into(), 9);
        assert_eq!(header_line(&p, "issued"), Some(9));
        let j = Prescription {
            layout: Layout::Jahis,
            lines: ["JAHIS10", "1,1,1234569,13,さくら", "51,20241001"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            ..Prescription::default()
        };
        assert_eq!(header_line(&j, "issued"), Some(3));
        assert_eq!(header_line(&j, "institution_code"), Some(2));
    }
}

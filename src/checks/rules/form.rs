//! Form compliance: mandatory fields, numbers with check digits, dates and validity.

use super::header_line;
use crate::checks::digits::{self, DigitError};
use crate::checks::validity::{is_expired, valid_until};
use crate::checks::{Env, Sink};
use crate::model::{Layout, Prescription};

fn iso(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A reader reported the date of this field as invalid (`date-invalid`): the field is
/// written, so it is not also "missing".
fn date_invalid_noted(p: &Prescription, label: &str, key: &str) -> bool {
    let line = header_line(p, key);
    p.notes.iter().any(|n| {
        n.rule == "date-invalid" && (n.detail.contains(label) || (line.is_some() && n.line == line))
    })
}

/// `issue-date-missing` and `issue-date-future`.
pub fn issue_date(p: &Prescription, ctx: &Env<'_>, s: &mut Sink) {
    match p.issued {
        None if date_invalid_noted(p, "交付年月日", "issued") => {}
        None => s.emit("issue-date-missing", None, header_line(p, "issued"), &[]),
        Some(issued) if issued > ctx.date => s.emit(
            "issue-date-future",
            None,
            header_line(p, "issued"),
            &[("issued", &iso(issued)), ("date", &iso(ctx.date))],
        ),
        Some(_) => {}
    }
}

/// `expired`: after issue + 3 days, or after the written 使用期間.
pub fn expired(p: &Prescription, ctx: &Env<'_>, s: &mut Sink) {
    if is_expired(p.issued, p.valid_until_written, ctx.date)
        && let Some(until) = valid_until(p.issued, p.valid_until_written)
    {
        let line = if p.valid_until_written.is_some() {
            header_line(p, "valid_until").or_else(|| header_line(p, "issued"))
        } else {
            header_line(p, "issued")
        };
        s.emit(
            "expired",
            None,
            line,
            &[("until", &iso(until)), ("date", &iso(ctx.date))],
        );
    }
}

/// `prescriber-unsigned`. The 2D symbol carries the name only (the seal or signature is on
/// the paper), so there only a missing name counts.
pub fn prescriber_unsigned(p: &Prescription, _ctx: &Env<'_>, s: &mut Sink) {
    let has_name = p
        .prescriber
        .name
        .as_deref()
        .is_some_and(|n| !n.trim().is_empty());
    let missing = if p.layout == Layout::Jahis {
        !has_name
    } else {
        !p.prescriber.signed
    };
    if missing {
        s.emit(
            "prescriber-unsigned",
            None,
            header_line(p, "prescriber"),
            &[],
        );
    }
}

/// `patient-field-missing`: 氏名, 生年月日, 性別 (one finding naming all that are missing).
pub fn patient_fields(p: &Prescription, _ctx: &Env<'_>, s: &mut Sink) {
    let pt = &p.patient;
    let mut missing = Vec::new();
    if pt.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
        missing.push("氏名");
    }
    if pt.birth_date.is_none() && !date_invalid_noted(p, "生年月日", "birth_date") {
        missing.push("生年月日");
    }
    if pt.sex.is_none() {
        missing.push("性別");
    }
    if !missing.is_empty() {
        let line = header_line(p, "patient").or_else(|| header_line(p, "birth_date"));
        s.emit(
            "patient-field-missing",
            None,
            line,
            &[("fields", &missing.join("・"))],
        );
    }
}

/// `birth-date-future`: born after the issue day (or the dispensing day).
pub fn birth_date_future(p: &Prescription, ctx: &Env<'_>, s: &mut Sink) {
    let Some(birth) = p.patient.birth_date else {
        return;
    };
    let (when, date) = match p.issued {
        Some(i) => ("交付年月日", i),
        None => ("調剤日", ctx.date),
    };
    if birth > date {
        let line = header_line(p, "birth_date").or_else(|| header_line(p, "patient"));
        s.emit(
            "birth-date-future",
            None,
            line,
            &[("birth", &iso(birth)), ("when", when), ("date", &iso(date))],
        );
    }
}

/// The number as written, without spaces; `None` when absent or blank (absence is not a
/// check-digit failure).
fn present(n: &Option<String>) -> Option<String> {
    let n: String = n
        .as_deref()?
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    (!n.is_empty()).then_some(n)
}

fn detail(e: &DigitError) -> String {
    e.to_string()
}

/// `insurer-check-digit`.
pub fn insurer(p: &Prescription, _ctx: &Env<'_>, s: &mut Sink) {
    if let Some(n) = present(&p.insurance.insurer_number)
        && let Err(e) = digits::insurer(&n)
    {
        s.emit(
            "insurer-check-digit",
            None,
            header_line(p, "insurer_number"),
            &[("value", &n), ("detail", &detail(&e))],
        );
    }
}

/// `public-payer-check-digit`, `recipient-check-digit`, `public-expense-missing-recipient`.
pub fn public_expense(p: &Prescription, _ctx: &Env<'_>, s: &mut Sink) {
    let payer_line = header_line(p, "public_expense");
    let recipient_line = header_line(p, "recipient_number").or(payer_line);
    for pe in &p.insurance.public_expense {
        let payer = present(&pe.payer_number);
        let recipient = present(&pe.recipient_number);
        if let Some(n) = &payer
            && let Err(e) = digits::public_payer(n)
        {
            s.emit(
                "public-payer-check-digit",
                None,
                payer_line,
                &[("value", n), ("detail", &detail(&e))],
            );
        }
        if let Some(n) = &recipient
            && let Err(e) = digits::recipient(n)
        {
            s.emit(
                "recipient-check-digit",
                None,
                recipient_line,
                &[("value", n), ("detail", &detail(&e))],
            );
        }
        if let (Some(n), None) = (&payer, &recipient) {
            s.emit(
                "public-expense-missing-recipient",
                None,
                payer_line,
                &[("value", n)],
            );
        }
    }
}

/// `institution-code-check-digit`: needs 都道府県番号, 点数表番号 and the code.
pub fn institution(p: &Prescription, _ctx: &Env<'_>, s: &mut Sink) {
    let inst = &p.institution;
    let (Some(pref), Some(table), Some(code)) = (
        present(&inst.prefecture_code),
        present(&inst.fee_table_code),
        present(&inst.code),
    ) else {
        return;
    };
    if let Err(e) = digits::institution(&pref, &table, &code) {
        let value = format!("{code}（都道府県番号 {pref}・点数表番号 {table}）");
        s.emit(
            "institution-code-check-digit",
            None,
            header_line(p, "institution_code"),
            &[("value", &value), ("detail", &detail(&e))],
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::rules::testkit::*;
    use crate::model::*;

    #[test]
    fn issue_date() {
        let mut p = clean();
        p.issued = None;
        let i = ids(&p);
        assert!(has(&i, "issue-date-missing") && !has(&i, "expired"));
        p.issued = Some(d(2024, 10, 3));
        let i = ids_on(&p, d(2024, 10, 2));
        assert!(has(&i, "issue-date-future") && !has(&i, "issue-date-missing"));
        assert!(!has(&ids(&clean()), "issue-date-future"));
    }

    #[test]
    fn expired_after_four_days_counting_the_issue_day() {
        let p = clean(); // issued 2024-10-01
        assert!(!has(&ids_on(&p, d(2024, 10, 4)), "expired"));
        let f = run_on(&p, &products(), &[], d(2024, 10, 5));
        let e = f.iter().find(|f| f.rule == "expired").expect("expired");
        assert_eq!(e.severity, Severity::Error);
        assert_eq!(e.action, Action::Reject);
        assert!(e.message.contains("2024-10-04"), "{}", e.message);
        // errors come first
        assert_eq!(f[0].severity, Severity::Error);
        let mut p = clean();
        p.valid_until_written = Some(d(2024, 10, 10));
        assert!(!has(&ids_on(&p, d(2024, 10, 10)), "expired"));
        assert!(has(&ids_on(&p, d(2024, 10, 11)), "expired"));
    }

    #[test]
    fn prescriber_and_patient() {
        let mut p = clean();
        p.prescriber.signed = false;
        assert!(has(&ids(&p), "prescriber-unsigned"));
        p.layout = Layout::Jahis;
        p.list_closed = false;
        assert!(!has(&ids(&p), "prescriber-unsigned"));
        p.prescriber.name = None;
        assert!(has(&ids(&p), "prescriber-unsigned"));

        let mut p = clean();
        p.patient.sex = None;
        p.patient.name = Some(" ".into());
        let f = run_with(&p, &products(), &[]);
        let m = f
            .iter()
            .find(|f| f.rule == "patient-field-missing")
            .expect("fires");
        assert!(m.message.contains("氏名・性別"), "{}", m.message);
        assert!(!has(&ids(&clean()), "patient-field-missing"));
        assert!(!has(&ids(&clean()), "prescriber-unsigned"));
    }

    #[test]
    fn an_invalid_date_is_not_also_missing() {
        let mut p = clean();
        p.issued = None;
        p.patient.birth_date = None;
        p.notes.push(ReadNote {
            rule: "date-invalid".into(),
            detail: "交付年月日: 令和6年2月30日".into(),
            item: None,
            line: Some(4),
        });
        p.notes.push(ReadNote {
            rule: "date-invalid".into(),
            detail: "生年月日: 光文5年1月1日".into(),
            item: None,
            line: Some(3),
        });
        let i = ids(&p);
        assert!(has(&i, "date-invalid"));
        assert!(
            !has(&i, "issue-date-missing") && !has(&i, "patient-field-missing"),
            "{i:?}"
        );
    }

    #[test]
    fn birth_date_future() {
        let mut p = clean();
        p.patient.birth_date = Some(d(2024, 10, 2));
        assert!(has(&ids(&p), "birth-date-future"));
        p.patient.birth_date = Some(d(2024, 10, 1));
        assert!(!has(&ids(&p), "birth-date-future"));
    }

    #[test]
    fn check_digits_fire_on_bad_numbers_only() {
        let clean_ids = ids(&clean());
        for r in [
            "insurer-check-digit",
            "institution-code-check-digit",
            "public-payer-check-digit",
            "recipient-check-digit",
        ] {
            assert!(!has(&clean_ids, r), "{r}");
        }
        let mut p = clean();
        p.insurance.insurer_number = Some("06132015".into());
        p.institution.code = Some("1234567".into());
        p.insurance.public_expense.push(PublicExpense {
            payer_number: Some("54016028".into()),
            recipient_number: Some("1234567".into()),
        });
        let i = ids(&p);
        for r in [
            "insurer-check-digit",
            "institution-code-check-digit",
            "public-payer-check-digit",
            "recipient-check-digit",
        ] {
            assert!(has(&i, r), "{r}");
        }
        // 国保 6 digits and a good public expense pair
        let mut p = clean();
        p.insurance.insurer_number = Some("131011".into());
        p.insurance.public_expense.push(PublicExpense {
            payer_number: Some("54016027".into()),
            recipient_number: Some("1234566".into()),
        });
        let i = ids(&p);
        assert!(
            !has(&i, "insurer-check-digit")
                && !has(&i, "public-payer-check-digit")
                && !has(&i, "recipient-check-digit")
        );
        assert!(!has(&i, "public-expense-missing-recipient"));
    }

    #[test]
    fn absent_numbers_are_not_check_digit_failures() {
        let mut p = clean();
        p.insurance.insurer_number = None;
        p.institution.prefecture_code = None;
        p.insurance.public_expense.push(PublicExpense {
            payer_number: Some("54016027".into()),
            recipient_number: None,
        });
        let i = ids(&p);
        assert!(!has(&i, "insurer-check-digit") && !has(&i, "institution-code-check-digit"));
        assert!(!has(&i, "recipient-check-digit"));
        assert!(has(&i, "public-expense-missing-recipient"));
    }
}

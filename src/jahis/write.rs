//! Model → JAHIS10 record text (the inverse of the reader, for tests, benches and fixtures).

use crate::model::{Category, InsuredKind, Item, Leftover, Prescription, Sex};

/// Writes a prescription as `JAHIS10` record text (UTF-8, CR LF). Items are grouped into RPs
/// by their `rp`; the group's 剤形区分, 調剤数量 and 用法 come from its first item. Flags become
/// 281 records (3, 4, 5, 8), comments 281 kind 7, uneven doses 221, `per_dose` 241.
/// A comma inside text is written full-width, as the standard requires.
///
/// ```
/// use shohosen::jahis;
/// use shohosen::model::Prescription;
/// let mut p = Prescription::default();
/// p.patient.name = Some("見本 太郎".into());
/// let text = jahis::write(&p);
/// assert!(text.starts_with("JAHIS10\r\n"));
/// assert_eq!(jahis::parse(&text).unwrap()[0].patient.name.as_deref(), Some("見本 太郎"));
/// ```
pub fn write(p: &Prescription) -> String {
    let mut out = String::from("JAHIS10\r\n");
    let mut line = |fields: &[&str]| {
        let cleaned: Vec<String> = fields.iter().map(|f| clean(f)).collect();
        out.push_str(&cleaned.join(","));
        out.push_str("\r\n");
    };
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    let date = |d: Option<chrono::NaiveDate>| {
        d.map(|d| d.format("%Y%m%d").to_string())
            .unwrap_or_default()
    };

    let inst = &p.institution;
    line(&[
        "1",
        &o(&inst.fee_table_code),
        &o(&inst.code),
        &o(&inst.prefecture_code),
        &o(&inst.name),
    ]);
    if inst.address.is_some() {
        line(&["2", "", &o(&inst.address)]);
    }
    if inst.phone.is_some() {
        line(&["3", &o(&inst.phone), "", ""]);
    }
    if let Some(n) = &p.prescriber.name {
        line(&["5", "", "", n]);
    }
    line(&["11", "", &o(&p.patient.name), &o(&p.patient.kana)]);
    if let Some(sex) = p.patient.sex {
        line(&["12", if sex == Sex::Male { "1" } else { "2" }]);
    }
    if p.patient.birth_date.is_some() {
        line(&["13", &date(p.patient.birth_date)]);
    }
    let ins = &p.insurance;
    if let Some(s) = ins.elderly_share {
        line(&["14", &s.to_string()]);
    }
    if let Some(k) = ins.kind {
        line(&["21", &k.to_string()]);
    }
    if ins.insurer_number.is_some() {
        line(&["22", &o(&ins.insurer_number)]);
    }
    let kind = match p.patient.insured_kind {
        Some(InsuredKind::Insured) => "1",
        Some(InsuredKind::Dependent) => "2",
        None => "",
    };
    if ins.symbol.is_some() || ins.number.is_some() || !kind.is_empty() || ins.branch.is_some() {
        line(&[
            "23",
            &o(&ins.symbol),
            &o(&ins.number),
            kind,
            &o(&ins.branch),
        ]);
    }
    if let Some(rate) = p.copay_rate {
        let pct = rate
            .checked_mul(rust_decimal::Decimal::from(100))
            .and_then(|d| rust_decimal::prelude::ToPrimitive::to_u32(&d.round()))
            .filter(|&p| p <= 100);
        if let Some(pct) = pct {
            line(&["24", &format!("{pct:03}"), &format!("{:03}", 100 - pct)]);
        }
    }
    for (n, pe) in (27..=30).zip(&ins.public_expense) {
        line(&[
            &n.to_string(),
            &o(&pe.payer_number),
            &o(&pe.recipient_number),
        ]);
    }
    if p.issued.is_some() {
        line(&["51", &date(p.issued)]);
    }
    if p.valid_until_written.is_some() {
        line(&["52", &date(p.valid_until_written)]);
    }
    if let Some(l) = p.leftover {
        line(&[
            "62",
            if l == Leftover::InquireThenDispense {
                "1"
            } else {
                "2"
            },
        ]);
    }
    if p.refill.allowed {
        line(&["64", &p.refill.count.unwrap_or(1).to_string()]);
    }
    for (i, r) in (1..).zip(&p.remarks) {
        line(&["81", &i.to_string(), "", r]);
    }

    let mut rps: Vec<u32> = p.items.iter().map(|i| i.rp).collect();
    rps.sort_unstable();
    rps.dedup();
    for rp in rps {
        let items: Vec<&Item> = p.items.iter().filter(|i| i.rp == rp).collect();
        let Some(first) = items.first() else { continue };
        let rp_s = rp.to_string();
        let quantity = match first.category {
            Category::Internal => first.days,
            Category::AsNeeded => first.times,
            _ => Some(1),
        };
        line(&[
            "101",
            &rp_s,
            form_code(first.category),
            "",
            &quantity.map(|q| q.to_string()).unwrap_or_default(),
        ]);
        if first.usage.is_some() || first.times_per_day.is_some() {
            let tpd = first
                .times_per_day
                .map(|t| t.to_string())
                .unwrap_or_default();
            line(&["111", &rp_s, "1", "", &o(&first.usage), &tpd]);
        }
        for (seq, it) in (1..).zip(items) {
            let seq_s = seq.to_string();
            let (kind, code) = match &it.code {
                Some(c) => (code_kind(&c.kind), c.code.clone()),
                None => ("1", String::new()),
            };
            let kind = if it.general_name && it.code.is_none() {
                "7"
            } else {
                kind
            };
            let name = if it.general_name && kind != "7" {
                format!("【般】{}", it.name)
            } else {
                it.name.clone()
            };
            let amount = it
                .amount
                .as_ref()
                .map(|a| a.value.to_string())
                .unwrap_or_default();
            // The 241 per-dose amount shares the 201 unit.
            let unit = it
                .amount
                .as_ref()
                .or(it.per_dose.as_ref())
                .map(|a| a.unit.clone())
                .unwrap_or_default();
            line(&[
                "201", &rp_s, &seq_s, "1", kind, &code, &name, &amount, "1", &unit,
            ]);
            if !it.uneven.is_empty() {
                let mut f: Vec<String> = vec!["221".into(), rp_s.clone(), seq_s.clone()];
                f.extend(it.uneven.iter().take(5).map(|d| d.to_string()));
                let refs: Vec<&str> = f.iter().map(String::as_str).collect();
                line(&refs);
            }
            if let Some(d) = &it.per_dose {
                line(&["241", &rp_s, &seq_s, &d.value.to_string(), ""]);
            }
            let mut sup: Vec<(&str, String)> = Vec::new();
            let fl = it.flags;
            if fl.no_substitution {
                sup.push(("3", "後発品変更不可".into()));
            }
            match (fl.no_form_change, fl.no_strength_change) {
                (true, true) => sup.push(("6", "剤形変更不可及び含量規格変更不可".into())),
                (true, false) => sup.push(("4", "剤形変更不可".into())),
                (false, true) => sup.push(("5", "含量規格変更不可".into())),
                _ => {}
            }
            if fl.patient_wish {
                sup.push(("8", "患者希望".into()));
            }
            sup.extend(it.comments.iter().map(|c| ("7", c.clone())));
            for (n, (k, t)) in (1..).zip(sup) {
                line(&["281", &rp_s, &seq_s, &n.to_string(), k, &t, ""]);
            }
        }
    }
    out
}

fn form_code(c: Category) -> &'static str {
    super::map::CATEGORIES
        .iter()
        .find(|(_, k)| *k == c)
        .map_or("9", |(code, _)| code)
}

fn code_kind(kind: &str) -> &'static str {
    super::map::CODE_KINDS
        .iter()
        .find(|(_, k)| *k == kind)
        .map_or("1", |(code, _)| code)
}

/// No field separator or line break inside a field: `,` → `，`, line breaks → space.
fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            ',' => out.push('，'),
            '\r' | '\n' | '\u{1a}' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

//! Reading quality: the readers' notes bound to the catalog, and drugs the master lacks.

use crate::checks::{Env, Sink, rule};
use crate::model::Prescription;

/// Turns each reader note (`mark-ambiguous`, `unparsed-line`, `date-invalid`,
/// `jahis-structure`, `jahis-version`, …) into a finding: the catalog message plus the
/// reader's detail. A note with an id the catalog lacks is kept (warning, review), never dropped.
pub fn notes(p: &Prescription, _ctx: &Env<'_>, s: &mut Sink) {
    for n in &p.notes {
        let item = n.item.and_then(|i| p.items.iter().find(|it| it.index == i));
        let base = rule(&n.rule).map(|r| r.message).unwrap_or("");
        let detail = n.detail.trim();
        let body = match (base.is_empty(), detail.is_empty()) {
            (false, false) => format!("{base}（{detail}）"),
            (false, true) => base.to_string(),
            (true, _) => detail.to_string(),
        };
        s.emit_message(&n.rule, item, n.line, body);
    }
}

/// `unknown-drug`: a drug item the master in force does not have. Only judged when the
/// pipeline resolved products for this prescription (one entry per item).
pub fn unknown_drug(p: &Prescription, ctx: &Env<'_>, s: &mut Sink) {
    if ctx.products.len() != p.items.len() {
        return;
    }
    let date = ctx.date.to_string();
    for (i, it) in p.items.iter().enumerate() {
        if ctx.is_drug(i) && ctx.product(i).is_none() {
            s.item("unknown-drug", it, &[("date", &date)]);
        }
    }
}

/// A character no correctly decoded prescription holds: the replacement character a decoder
/// writes for bytes it could not read, private-use code points (a font without a Unicode
/// mapping, an OCR engine's unknown glyph) and control characters.
fn undecodable(c: char) -> bool {
    c == '\u{FFFD}'
        || ('\u{E000}'..='\u{F8FF}').contains(&c)
        || ('\u{F0000}'..='\u{10FFFF}').contains(&c)
        || (c.is_control() && c != '\t')
}

/// The distinct undecodable characters of `text` as `U+XXXX`, or `None` when there are none.
fn undecodable_list(text: &str) -> Option<String> {
    let mut seen: Vec<char> = text.chars().filter(|c| undecodable(*c)).collect();
    if seen.is_empty() {
        return None;
    }
    seen.sort_unstable();
    seen.dedup();
    Some(
        seen.iter()
            .map(|c| format!("U+{:04X}", *c as u32))
            .collect::<Vec<_>>()
            .join("・"),
    )
}

/// `undecodable-characters`: a drug line or the patient's name holds a character that only
/// a failed decoding produces. Shown with the code points, since the characters themselves
/// print as boxes or nothing.
pub fn undecodable_characters(p: &Prescription, _ctx: &Env<'_>, s: &mut Sink) {
    if let Some(name) = &p.patient.name
        && let Some(chars) = undecodable_list(name)
    {
        s.emit(
            "undecodable-characters",
            None,
            None,
            &[("chars", &chars), ("text", name)],
        );
    }
    for it in &p.items {
        if let Some(chars) = undecodable_list(&it.source_text) {
            s.item(
                "undecodable-characters",
                it,
                &[("chars", &chars), ("text", &it.name)],
            );
        }
    }
}

#[cfg(test)]
#[cfg(test)]
mod tests {
    use crate::checks::rules::testkit::*;
    use crate::model::*;

    #[test]
    fn undecodable_characters() {
        let quiet = run_with(&clean(), &products(), &[]);
        assert!(!quiet.iter().any(|f| f.rule == "undecodable-characters"));
        let mut p = clean();
        p.items[0].source_text = "ジスロ\u{FFFD}マック錠250mg 2錠".into();
        p.patient.name = Some("山\u{E000}田".into());
        let f = run_with(&p, &products(), &[]);
        let hits: Vec<_> = f
            .iter()
            .filter(|f| f.rule == "undecodable-characters")
            .collect();
        assert_eq!(hits.len(), 2, "{hits:?}");
        assert!(
            hits.iter()
                .any(|h| h.item == Some(1) && h.message.contains("U+FFFD"))
        );
        assert!(
            hits.iter()
                .any(|h| h.item.is_none() && h.message.contains("U+E000"))
        );
        assert!(hits.iter().all(|h| h.severity == Severity::Error));
    }

    #[test]
    fn notes_become_findings_with_catalog_metadata() {
        let mut p = clean();
        p.notes.push(ReadNote {
            rule: "mark-ambiguous".into(),
            detail: "レ が2行の間".into(),
            item: Some(2),
            line: None,
        });
        p.notes.push(ReadNote {
            rule: "jahis-structure".into(),
            detail: "201: RP 3 がありません".into(),
            item: None,
            line: Some(7),
        });
        p.notes.push(ReadNote {
            rule: "date-invalid".into(),
            detail: "令和6年2月30日".into(),
            item: None,
            line: Some(4),
        });
        p.notes.push(ReadNote {
            rule: "something-new".into(),
            detail: "x".into(),
            item: None,
            line: None,
        });
        let f = run_with(&p, &products(), &[]);
        let m = f.iter().find(|f| f.rule == "mark-ambiguous").unwrap();
        assert_eq!(
            (m.severity, m.action, m.item, m.line),
            (Severity::Warning, Action::Review, Some(2), Some(12))
        );
        assert!(m.message.starts_with("2) アセトアミノフェン錠300mg: "));
        assert!(m.message.ends_with("（レ が2行の間）"));
        let j = f.iter().find(|f| f.rule == "jahis-structure").unwrap();
        assert_eq!((j.severity, j.line), (Severity::Error, Some(7)));
        let d = f.iter().find(|f| f.rule == "date-invalid").unwrap();
        assert_eq!((d.severity, d.action), (Severity::Error, Action::Review));
        assert!(
            f.iter()
                .any(|f| f.rule == "something-new" && f.message == "x")
        );
        // sorted: errors first, by line
        assert_eq!(f[0].rule, "date-invalid");
        assert_eq!(f[1].rule, "jahis-structure");
    }

    #[test]
    fn unknown_drug() {
        let p = clean();
        let f = run_with(&p, &[products()[0].clone(), None], &[]);
        let m = f.iter().find(|f| f.rule == "unknown-drug").unwrap();
        assert_eq!(m.item, Some(2));
        assert!(
            !run_with(&p, &products(), &[])
                .iter()
                .any(|f| f.rule == "unknown-drug")
        );
        // no products resolved at all: the pipeline did not look, nothing to say
        assert!(
            !run_with(&p, &[], &[])
                .iter()
                .any(|f| f.rule == "unknown-drug")
        );
    }

    #[test]
    fn jahis_item_findings_point_at_the_drug_record() {
        let mut p = clean();
        p.layout = Layout::Jahis;
        for it in &mut p.items {
            it.line = None;
        }
        p.lines = [
            "JAHIS10",
            "101,1,1,,3",
            "111,1,1,,１日１回朝食後,1",
            "201,1,1,1,1,,ジスロマック錠２５０ｍｇ,2,1,錠",
            "201,1,2,1,1,,アセトアミノフェン錠３００ｍｇ,1,1,錠",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let f = run_with(&p, &[products()[0].clone(), None], &[]);
        let u = f.iter().find(|f| f.rule == "unknown-drug").unwrap();
        assert_eq!((u.item, u.line), (Some(2), Some(5)));
        let s = f.iter().find(|f| f.rule == "selective-care").unwrap();
        assert_eq!((s.item, s.line), (Some(1), Some(4)));
    }
}

//! The `jahis-structure` and `jahis-version` checks over one prescription's records, and the
//! decision to refuse a content whose layout is broken.
//!
//! Checked here, all against [`super::catalog`]:
//! - unknown record numbers; more fields than the layout (kept, warned); required fields empty;
//!   fields longer than the layout in Shift_JIS bytes; coded/numeric fields of the wrong shape;
//! - repetition (a `Once` record twice, two 101 for one RP, two 201 for one (RP, 連番), …);
//! - order: records below 100 in ascending number and before the RP block; 111/181/102/201 after
//!   the 101 of their RP; drug-level records after their 201 (301/302 提供情報 may follow the
//!   RP block);
//! - dangling references: 111/181/102/201 to an RP with no 101; 211/221/231/241/281 to a drug
//!   (RP, 連番) with no 201;
//! - version: a record newer than the header (64 before `JAHIS8`), 14=5 before `JAHIS9`,
//!   281 kind 8 before `JAHIS10`.
//!
//! **Refusal (documented decision).** A field of the wrong shape usually means the record's
//! fields are shifted (a producer that left out a field, as in
//! `samples/jahis/external-nonstandard.txt`, where record 1 has no 医療機関コード種別 and record
//! 201 no 情報区分). Reading such a content "leniently" would put a drug name in the code field
//! and a unit in the amount: numbers a pharmacy would trust and that are wrong. So when any
//! drug record (201) has a misshapen field, or three or more records do, the content is refused
//! with an `unreadable` error that names the records and fields; a single misshapen field
//! elsewhere is only a `jahis-structure` finding.

use super::catalog::{self, Level, Repeat, Shape};
use super::records::{RawRecord, trim};
use crate::error::{ErrorKind, ReadError};
use crate::model::ReadNote;

/// A drug key: (RP番号, RP内連番).
pub type DrugKey = (u32, u32);

/// RP番号 of a record at RP or drug level (field 0), when it is a number.
pub fn rp_of(r: &RawRecord<'_>) -> Option<u32> {
    trim(r.get(0)).parse().ok()
}

/// (RP番号, RP内連番) of a drug-level record.
pub fn drug_key(r: &RawRecord<'_>) -> Option<DrugKey> {
    Some((rp_of(r)?, trim(r.get(1)).parse().ok()?))
}

/// The drugs (201 keys) in item order: RP order, then 連番; the item index is the
/// position + 1 (see [`item_index`]). Small sorted vectors beat hashing for a symbol's
/// few dozen records.
pub fn item_indexes(recs: &[RawRecord<'_>]) -> Vec<DrugKey> {
    let mut keys: Vec<DrugKey> = recs
        .iter()
        .filter(|r| r.number == 201)
        .filter_map(drug_key)
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The 1-based item index of a drug key in [`item_indexes`]' result.
pub fn item_index(items: &[DrugKey], k: DrugKey) -> Option<u32> {
    items.binary_search(&k).ok().map(|i| i as u32 + 1)
}

pub(crate) fn note(rule: &str, detail: String, item: Option<u32>, line: u32) -> ReadNote {
    ReadNote {
        rule: rule.to_string(),
        detail,
        item,
        line: Some(line),
    }
}

/// Whether a field, already trimmed, has the shape of the layout.
fn shape_ok(shape: Shape, v: &str) -> bool {
    match shape {
        Shape::Text => true,
        Shape::Num => v.bytes().all(|b| b.is_ascii_digit()),
        Shape::Dec => {
            let mut dots = 0;
            !v.is_empty()
                && v.bytes().all(|b| {
                    dots += usize::from(b == b'.');
                    b.is_ascii_digit() || b == b'.'
                })
                && dots <= 1
                && v != "."
        }
        Shape::Code(codes) => codes.contains(&v),
        // Existence is the date check's business (`date-invalid`); shape is digits of a
        // known length (8 full, 7 era, and the partial birth forms 4/6 and 3/5).
        Shape::Date => v.bytes().all(|b| b.is_ascii_digit()) && (3..=8).contains(&v.len()),
    }
}

/// Runs every structure and version check. `Err` when the layout is too broken to read.
pub fn check(recs: &[RawRecord<'_>]) -> Result<Vec<ReadNote>, ReadError> {
    let mut notes = Vec::new();
    let items = item_indexes(recs);
    let mut misshapen: Vec<(u16, u32, String)> = Vec::new();

    let mut rps: Vec<u32> = recs
        .iter()
        .filter(|r| r.number == 101)
        .filter_map(rp_of)
        .collect();
    rps.sort_unstable();
    rps.dedup();
    let drugs = &items;
    // Once-only records seen: (line) by catalog position; the catalog has at most 64 types.
    let mut seen_once: [u32; 64] = [0; 64];
    // Per-RP and per-drug records seen: (record, RP, 連番) and line.
    let mut seen: Vec<((u16, u32, u32), u32)> = Vec::new();
    let mut seen_rp: Vec<u32> = Vec::new();
    let mut seen_drug: Vec<DrugKey> = Vec::new();
    let mut last_header: u16 = 0;
    let mut in_rp_block = false;

    for r in recs {
        let Some(spec) = catalog::spec(r.number) else {
            notes.push(note(
                "jahis-structure",
                format!(
                    "レコード番号 {} は Ver.1.10 の記録条件規約にないため読み飛ばしました",
                    r.number
                ),
                None,
                r.line,
            ));
            continue;
        };
        // RP番号 and (RP番号, 連番), read once per record (only where the record has them).
        let rp = match (spec.level, spec.repeat) {
            (Level::Rp | Level::Drug, _) | (_, Repeat::PerRp | Repeat::PerDrug) => rp_of(r),
            _ => None,
        };
        let dk = match (spec.level, spec.repeat) {
            (Level::Drug, _) | (_, Repeat::PerDrug) => drug_key(r),
            _ => None,
        };
        let item = if spec.level == Level::Drug {
            dk.and_then(|k| item_index(&items, k))
        } else {
            None
        };

        if r.fields.len() > spec.fields.len() {
            notes.push(note(
                "jahis-structure",
                format!(
                    "レコード {}（{}）の項目数が {} で、規約の {} より多い（余分な項目は読み飛ばしました）",
                    r.number,
                    spec.name,
                    r.fields.len(),
                    spec.fields.len()
                ),
                item,
                r.line,
            ));
        }
        // Missing trailing fields read as empty, as in `RawRecord::get`.
        let mut values = r.fields.iter();
        for fs in spec.fields {
            let v = values.next().unwrap_or("");
            let t = trim(v);
            if t.is_empty() {
                if fs.required {
                    notes.push(note(
                        "jahis-structure",
                        format!(
                            "レコード {}（{}）の必須項目「{}」が空です",
                            r.number, spec.name, fs.name
                        ),
                        item,
                        r.line,
                    ));
                }
                continue;
            }
            // A char never takes more Shift_JIS bytes than UTF-8 bytes (1→1, 2→2, 3→1 or 2,
            // 4→2), so a field within the limit in UTF-8 needs no count.
            let len = if v.len() <= fs.max {
                0
            } else {
                catalog::sjis_len(v)
            };
            if len > fs.max {
                notes.push(note(
                    "jahis-structure",
                    format!(
                        "レコード {}（{}）の「{}」が {} バイトで、規約の最大 {} バイトを超えています",
                        r.number, spec.name, fs.name, len, fs.max
                    ),
                    item,
                    r.line,
                ));
            }
            if !shape_ok(fs.shape, t) {
                misshapen.push((
                    r.number,
                    r.line,
                    format!("「{}」= {:?}", fs.name, super::records::clip(v)),
                ));
            }
        }

        // Version rules.
        if spec.since > r.version {
            notes.push(note(
                "jahis-version",
                format!(
                    "レコード {}（{}）は JAHIS{} 以降の規約にあり、ヘッダ JAHIS{} にはありません",
                    r.number, spec.name, spec.since, r.version
                ),
                item,
                r.line,
            ));
        }
        if r.number == 14 && trim(r.get(0)) == "5" && r.version < 9 {
            notes.push(note(
                "jahis-version",
                format!("一部負担区分 5（高齢者8割）は JAHIS9 以降の規約にあり、ヘッダ JAHIS{} にはありません", r.version),
                None,
                r.line,
            ));
        }
        if r.number == 281 && trim(r.get(3)) == "8" && r.version < 10 {
            notes.push(note(
                "jahis-version",
                format!(
                    "薬品補足区分 8（先発医薬品患者希望）は JAHIS10 以降の規約にあり、ヘッダ JAHIS{} にはありません",
                    r.version
                ),
                item,
                r.line,
            ));
        }

        // Repetition.
        let key = match spec.repeat {
            Repeat::Once => None,
            Repeat::PerRp => rp.map(|rp| (r.number, rp, 0)),
            Repeat::PerDrug => dk.map(|(rp, s)| (r.number, rp, s)),
            Repeat::Many | Repeat::ManyPerRp | Repeat::ManyPerDrug => None,
        };
        let first = if spec.repeat == Repeat::Once {
            // Lines count from 1: 0 is "not seen yet".
            let at = catalog::position(r.number).and_then(|p| seen_once.get_mut(p));
            match at {
                Some(line) if *line != 0 => Some(*line),
                Some(line) => {
                    *line = r.line;
                    None
                }
                None => None,
            }
        } else {
            key.and_then(|key| match seen.iter().find(|(k, _)| *k == key) {
                Some((_, line)) => Some(*line),
                None => {
                    seen.push((key, r.line));
                    None
                }
            })
        };
        if let Some(first) = first {
            notes.push(note(
                "jahis-structure",
                format!(
                    "レコード {}（{}）が重複しています（{} 行目にもあります）",
                    r.number, spec.name, first
                ),
                item,
                r.line,
            ));
        }

        // Order and dangling references.
        match spec.level {
            Level::Info => {}
            Level::Header => {
                if in_rp_block || r.number < last_header {
                    notes.push(note(
                        "jahis-structure",
                        format!(
                            "レコード {}（{}）の位置が規約の順序と違います（レコード番号順、RP 情報の前）",
                            r.number, spec.name
                        ),
                        None,
                        r.line,
                    ));
                }
                last_header = last_header.max(r.number);
            }
            Level::Rp | Level::Drug => {
                in_rp_block = true;
                let Some(rp) = rp else { continue };
                if r.number == 101 {
                    seen_rp.push(rp);
                } else if rps.binary_search(&rp).is_err() {
                    notes.push(note(
                        "jahis-structure",
                        format!(
                            "レコード {}（{}）の RP{} に剤形レコード 101 がありません",
                            r.number, spec.name, rp
                        ),
                        item,
                        r.line,
                    ));
                } else if !seen_rp.contains(&rp) {
                    notes.push(note(
                        "jahis-structure",
                        format!(
                            "レコード {}（{}）が RP{} の剤形レコード 101 より前にあります",
                            r.number, spec.name, rp
                        ),
                        item,
                        r.line,
                    ));
                }
                // A drug-level record of an RP with no 101 is reported once, above.
                if spec.level == Level::Drug && rps.binary_search(&rp).is_ok() {
                    let Some(k) = dk else { continue };
                    if r.number == 201 {
                        seen_drug.push(k);
                    } else if drugs.binary_search(&k).is_err() {
                        notes.push(note(
                            "jahis-structure",
                            format!(
                                "レコード {}（{}）の RP{} 連番{} に薬品レコード 201 がありません",
                                r.number, spec.name, k.0, k.1
                            ),
                            None,
                            r.line,
                        ));
                    } else if !seen_drug.contains(&k) {
                        notes.push(note(
                            "jahis-structure",
                            format!(
                                "レコード {}（{}）が RP{} 連番{} の薬品レコード 201 より前にあります",
                                r.number, spec.name, k.0, k.1
                            ),
                            item,
                            r.line,
                        ));
                    }
                }
            }
        }
    }

    let mut records_misshapen: Vec<u32> = misshapen.iter().map(|m| m.1).collect();
    records_misshapen.dedup();
    if misshapen.iter().any(|m| m.0 == 201) || records_misshapen.len() >= 3 {
        // Drug records first: they are why the content cannot be read.
        let mut shown: Vec<&(u16, u32, String)> = misshapen.iter().filter(|m| m.0 == 201).collect();
        shown.extend(misshapen.iter().filter(|m| m.0 != 201));
        let list: Vec<String> = shown
            .into_iter()
            .take(5)
            .map(|(n, line, what)| format!("line {line} record {n} {what}"))
            .collect();
        let short: Vec<String> =
            recs.iter()
                .filter_map(|r| {
                    let spec = catalog::spec(r.number)?;
                    (r.fields.len() < spec.fields.len() && records_misshapen.contains(&r.line))
                        .then(|| {
                            format!(
                                "{} has {} of {} fields",
                                r.number,
                                r.fields.len(),
                                spec.fields.len()
                            )
                        })
                })
                .take(3)
                .collect();
        return Err(ReadError::new(
            ErrorKind::Unreadable,
            format!(
                "the 2D-symbol content does not follow the JAHIS record layout, so its fields cannot be \
                 trusted: {}{}; fields look shifted or left out — the symbol's producer must be fixed \
                 or the prescription read from the paper",
                list.join("; "),
                if short.is_empty() {
                    String::new()
                } else {
                    format!(" (records {})", short.join(", "))
                }
            ),
        ));
    }
    for (n, line, what) in misshapen {
        let name = catalog::spec(n).map_or("", |s| s.name);
        notes.push(note(
            "jahis-structure",
            format!("レコード {n}（{name}）の {what} は規約の値ではありません"),
            None,
            line,
        ));
    }
    Ok(notes)
}

#[cfg(test)]
mod tests {
    use crate::jahis::parse;

    // One line, so the test bodies may add header records after it in order.
    const HEAD: &str = "1,1,1234567,13,見本医院\n";

    fn rules(version: u32, body: &str) -> Vec<(String, Option<u32>, Option<u32>)> {
        let text = format!("JAHIS{version}\n{HEAD}{body}");
        let ps = parse(&text).unwrap_or_else(|e| panic!("{e}"));
        ps[0]
            .notes
            .iter()
            .map(|n| (n.rule.clone(), n.line, n.item))
            .collect()
    }

    const DRUG: &str = "101,1,1,,7\n111,1,1,,１日１回朝食後,1\n201,1,1,1,4,2171014G1020,アムロジン錠５ｍｇ,1,1,錠\n";

    #[test]
    fn version_rules() {
        let wish = format!("{DRUG}281,1,1,1,8,患者希望,\n");
        assert_eq!(rules(10, &wish), vec![]);
        assert_eq!(
            rules(9, &wish),
            vec![("jahis-version".into(), Some(6), Some(1))]
        );
        assert_eq!(rules(9, &format!("14,5\n{DRUG}")), vec![]);
        assert_eq!(
            rules(8, &format!("14,5\n{DRUG}")),
            vec![("jahis-version".into(), Some(3), None)]
        );
        assert_eq!(rules(8, &format!("64,3\n{DRUG}")), vec![]);
        assert_eq!(
            rules(7, &format!("64,3\n{DRUG}")),
            vec![("jahis-version".into(), Some(3), None)]
        );
        assert_eq!(
            rules(12, DRUG),
            vec![("jahis-version".into(), Some(1), None)]
        );
    }

    #[test]
    fn dangling_and_order() {
        // 201 before its 101; 241 before its 201.
        let body = "201,1,1,1,4,2171014G1020,アムロジン錠５ｍｇ,1,1,錠\n101,1,1,,7\n";
        assert_eq!(
            rules(10, body),
            vec![("jahis-structure".into(), Some(3), Some(1))]
        );
        let body = "101,1,1,,7\n241,1,1,1,1\n201,1,1,1,4,2171014G1020,アムロジン錠５ｍｇ,1,1,錠\n";
        assert_eq!(
            rules(10, body),
            vec![("jahis-structure".into(), Some(4), Some(1))]
        );
        // 221 and 281 to a drug that does not exist; 111 to an RP that does not exist.
        let body = format!("{DRUG}221,1,2,1,1\n281,3,1,1,3,,\n111,4,1,,朝食後,1\n");
        let r = rules(10, &body);
        assert_eq!(r.len(), 3, "{r:?}");
        assert!(r.iter().all(|n| n.0 == "jahis-structure"));
        // A header record after the RP block.
        let r = rules(10, &format!("{DRUG}62,1\n"));
        assert_eq!(r, vec![("jahis-structure".into(), Some(6), None)]);
    }

    #[test]
    fn repetition() {
        let twice = format!("{DRUG}201,1,1,1,4,2171014G1020,アムロジン錠５ｍｇ,1,1,錠\n");
        assert_eq!(
            rules(10, &twice),
            vec![("jahis-structure".into(), Some(6), Some(1))]
        );
        let twice = format!("{DRUG}111,1,1,,１日１回朝食後,1\n");
        assert_eq!(rules(10, &twice).len(), 1);
        // 81 and 281 may repeat.
        let many = format!("81,1,,a\n81,2,,b\n{DRUG}281,1,1,1,1,,\n281,1,1,2,2,,\n");
        assert_eq!(rules(10, &many), vec![]);
    }

    #[test]
    fn one_misshapen_record_is_a_finding_a_misshapen_drug_is_refused() {
        assert_eq!(
            rules(10, &format!("12,X\n{DRUG}")),
            vec![("jahis-structure".into(), Some(3), None)]
        );
        let bad_drug = "101,1,1,,7\n201,1,1,1,4,2171014G1020,アムロジン錠５ｍｇ,一錠,1,錠\n";
        let e = parse(&format!("JAHIS10\n{HEAD}{bad_drug}")).unwrap_err();
        assert_eq!(e.kind, crate::error::ErrorKind::Unreadable);
        assert!(e.message.contains("用量"), "{}", e.message);
    }

    #[test]
    fn too_long_in_shift_jis_bytes() {
        // 5 full-width characters = 10 bytes > 8 for the insurer number; 8 ASCII digits fit.
        assert_eq!(
            rules(10, &format!("22,０１２３４\n{DRUG}")),
            vec![("jahis-structure".into(), Some(3), None)]
        );
        assert_eq!(rules(10, &format!("22,01234567\n{DRUG}")), vec![]);
    }

    #[test]
    fn continuation_versus_new_prescription() {
        let text = format!(
            "JAHIS10\n{HEAD}{DRUG}JAHIS10\n101,2,1,,14\n201,2,1,1,4,2325003F1024,ムコスタ錠１００ｍｇ,3,1,錠\n\
             JAHIS10\n{HEAD}{DRUG}"
        );
        let ps = parse(&text).unwrap();
        assert_eq!(ps.len(), 2);
        assert_eq!(ps[0].items.len(), 2);
        assert_eq!(ps[0].items[1].rp, 2);
        assert_eq!(ps[1].items.len(), 1);
        assert!(
            ps.iter().all(|p| p.notes.is_empty()),
            "{:?}",
            ps.iter().map(|p| &p.notes).collect::<Vec<_>>()
        );
        // The continuation repeats RP1: a duplicate, reported (not merged silently).
        let text = format!("JAHIS10\n{HEAD}{DRUG}JAHIS10\n{DRUG}");
        let ps = parse(&text).unwrap();
        assert_eq!(ps.len(), 1);
        assert!(ps[0].notes.iter().any(|n| n.rule == "jahis-structure"));
    }
}

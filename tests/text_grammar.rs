//! Loads the examples of grammars/prescription.ebnf and checks each against the code.

use shohosen::text::header::find_labels;
use shohosen::text::items::{Other, classify_other, drug_line};
use shohosen::text::lex::{DateFound, amount_token, find_date, fold_line, rp_prefix};

#[test]
fn grammar_examples_hold() {
    let g = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/grammars/prescription.ebnf"
    ))
    .expect("grammar file");
    let mut n = 0;
    let mut bad = Vec::new();
    for line in g.lines() {
        let Some(rest) = line.trim().strip_prefix("(*ex ") else {
            continue;
        };
        let rest = rest.trim_end_matches("*)").trim_end();
        let Some((rule, text)) = rest.split_once(": ") else {
            continue;
        };
        let f = fold_line(text);
        let ok = match rule {
            "header-line" => !find_labels(&f).is_empty(),
            "date" => matches!(find_date(&f), Some(DateFound::Ok(_))),
            "invalid-date" => matches!(find_date(&f), Some(DateFound::Invalid(_))),
            "rp" => rp_prefix(&f).is_some(),
            "amount" => amount_token(&f).is_some(),
            "drug-line" => drug_line(&f, false).is_some(),
            "not-drug-line" => drug_line(&f, false).is_none(),
            "usage-line" => {
                drug_line(&f, false).is_none() && matches!(classify_other(&f), Other::Usage(..))
            }
            "amount-line" => matches!(classify_other(&f), Other::Amount(_)),
            "annotation-line" => matches!(classify_other(&f), Other::Annotation(_)),
            "comment-line" => matches!(classify_other(&f), Other::Comment(_)),
            "closer" => matches!(classify_other(&f), Other::Close),
            other => {
                bad.push(format!("unknown example rule {other}"));
                true
            }
        };
        n += 1;
        if !ok {
            bad.push(format!("{rule}: {text}"));
        }
    }
    assert!(n >= 30, "only {n} examples");
    assert!(bad.is_empty(), "examples that do not hold: {bad:#?}");
}

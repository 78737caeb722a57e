//! Column marks of every PDF sample, read through the PDF extractor and the form parser,
//! against known.txt (items 2 and 4 変更不可, items 3 and 6 患者希望, the rest unmarked).

use shohosen::text::parse_sheet;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/samples/pdf/");

/// (no_substitution, patient_wish) per item, written from known.txt.
const KNOWN: [(bool, bool); 7] = [
    (false, false),
    (true, false),
    (false, true),
    (true, false),
    (false, false),
    (false, true),
    (false, false),
];

fn flags_of(name: &str) -> Vec<(bool, bool)> {
    let bytes = std::fs::read(format!("{DIR}{name}")).unwrap_or_else(|e| panic!("{name}: {e}"));
    let sheets = shohosen::pdf::read(&bytes).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    assert_eq!(sheets.len(), 1, "{name}");
    let ps = parse_sheet(&sheets[0]);
    assert_eq!(ps.len(), 1, "{name}");
    assert!(
        ps[0].notes.iter().all(|n| n.rule != "mark-ambiguous"),
        "{name}: {:?}",
        ps[0].notes
    );
    ps[0]
        .items
        .iter()
        .map(|i| (i.flags.no_substitution, i.flags.patient_wish))
        .collect()
}

#[test]
fn cairo_tab_stop_marks_bind_to_their_columns() {
    for name in ["cairo_ipaex.pdf", "cairo_noto.pdf"] {
        assert_eq!(flags_of(name), KNOWN, "{name}");
    }
}

#[test]
fn every_other_producer_keeps_its_marks() {
    for name in [
        "chromium_ipaex.pdf",
        "chromium_noto.pdf",
        "lo_docx_ipaexm.pdf",
        "lo_docx_noto.pdf",
        "lualatex_ipaex.pdf",
        "rl_rksj.pdf",
        "rl_ttf.pdf",
        "rl_ucs2.pdf",
    ] {
        assert_eq!(flags_of(name), KNOWN, "{name}");
    }
}

//! Every PDF of `../shared/samples/pdf/` (ten real producers rendering one known text) read
//! with `pdf::read` and compared with `known.txt` character by character and row by row.

mod common;

use common::{lcs, squeeze};
use shohosen::error::ErrorKind;
use shohosen::pdf;
use shohosen::sheet::Sheet;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/samples/pdf/");

const PRODUCERS: [&str; 10] = [
    "cairo_ipaex.pdf",
    "cairo_noto.pdf",
    "chromium_ipaex.pdf",
    "chromium_noto.pdf",
    "lo_docx_ipaexm.pdf",
    "lo_docx_noto.pdf",
    "lualatex_ipaex.pdf",
    "rl_rksj.pdf",
    "rl_ttf.pdf",
    "rl_ucs2.pdf",
];

fn known() -> String {
    std::fs::read_to_string(format!("{DIR}known.txt")).expect("known.txt")
}

fn read(name: &str) -> Vec<Sheet> {
    let bytes = std::fs::read(format!("{DIR}{name}")).expect("sample");
    pdf::read(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Share of known characters (whitespace aside) found in order in the extraction.
fn char_score(sheet: &Sheet) -> f64 {
    let k = squeeze(&known());
    let text: String = sheet
        .lines
        .iter()
        .map(|l| l.raw.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    lcs(&k, &squeeze(&text)) as f64 / k.len() as f64
}

/// Known table rows (lines with a tab) whose text is exactly one extracted line's text.
fn broken_rows(sheet: &Sheet) -> Vec<String> {
    let got: Vec<Vec<char>> = sheet.lines.iter().map(|l| squeeze(&l.raw)).collect();
    known()
        .lines()
        .filter(|l| l.contains('\t'))
        .filter(|l| !got.contains(&squeeze(l)))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_real_producer_reads_99_percent_with_rows_intact() {
    let mut failures = Vec::new();
    for name in PRODUCERS {
        let sheets = read(name);
        assert_eq!(sheets.len(), 1, "{name}: one prescription");
        let score = char_score(&sheets[0]);
        let broken = broken_rows(&sheets[0]);
        eprintln!(
            "{name}: {:.2}% chars, {} broken rows",
            score * 100.0,
            broken.len()
        );
        if score < 0.99 || !broken.is_empty() {
            failures.push(format!("{name}: {:.2}% {broken:?}", score * 100.0));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The drug rows: each mark is a cell of its own on its drug's line, and the 変更不可 marks
/// sit left of the 患者希望 marks (the column the header label range says).
#[test]
fn marks_are_own_cells_on_the_drug_line_under_their_header() {
    // (drug line start, mark, column: 0 = 変更不可（医療上必要）, 1 = 患者希望), from known.txt.
    let expected = [
        ("2) ジスロマック", "レ", 0),
        ("3) (般)ロキソプロフェン", "レ", 1),
        ("4) ムコダイン", "×", 0),
        ("6) ヒルドイド", "×", 1),
    ];
    for name in PRODUCERS {
        let sheet = &read(name)[0];
        let header = sheet
            .lines
            .iter()
            .find(|l| l.cells.iter().any(|c| c.text == "患者希望"))
            .unwrap_or_else(|| panic!("{name}: no 患者希望 header cell"));
        let nosub = header
            .cells
            .iter()
            .find(|c| c.text == "変更不可（医療上必要）")
            .unwrap_or_else(|| panic!("{name}: no 変更不可 header cell: {:?}", header.raw));
        let wish = header
            .cells
            .iter()
            .find(|c| c.text == "患者希望")
            .expect("wish");
        assert!(nosub.x1 <= wish.x0, "{name}: header cells overlap");
        for (start, mark, col) in expected {
            let line = sheet
                .lines
                .iter()
                .find(|l| l.cells.iter().any(|c| c.text.starts_with(start)))
                .unwrap_or_else(|| panic!("{name}: no line for {start}"));
            let m = line
                .cells
                .iter()
                .find(|c| c.text == mark)
                .unwrap_or_else(|| panic!("{name}: {start}: no {mark} cell in {:?}", line.raw));
            // cairo's two files are pango text laid out with tab stops, not a table: their
            // mark rows use other tab stops than the header row, so the x of a mark does not
            // line up with its header there (pdftotext -layout shows the same). Only the
            // separate cell on the drug's line is checked for them.
            if name.starts_with("cairo") {
                continue;
            }
            let centre = (m.x0 + m.x1) / 2.0;
            let (lo, hi) = if col == 0 {
                (nosub.x0 - 5.0, wish.x0)
            } else {
                (nosub.x1, wish.x1 + 5.0)
            };
            assert!(
                centre > lo && centre < hi,
                "{name}: {start}: mark {mark} at {centre} not in column {col} ({lo}..{hi})"
            );
        }
        // Unmarked drug rows carry no mark cell.
        let amlo = sheet
            .lines
            .iter()
            .find(|l| l.raw.contains("アムロジピン錠"))
            .expect("line 1");
        assert_eq!(amlo.cells.len(), 1, "{name}: {:?}", amlo.raw);
    }
}

#[test]
fn printed_forms_are_kept_not_normalized() {
    for name in PRODUCERS {
        let text: String = read(name)[0]
            .lines
            .iter()
            .map(|l| l.raw.clone() + "\n")
            .collect();
        assert!(
            text.contains("アムロジピン錠５ｍｇ"),
            "{name}: full-width ｍｇ kept"
        );
        assert!(
            text.contains("ムコダイン錠500mg"),
            "{name}: half-width mg kept"
        );
        assert!(
            text.contains("２－３－４"),
            "{name}: full-width hyphen kept"
        );
        assert!(text.contains("ｱﾑﾛｼﾞﾋﾟﾝ"), "{name}: half-width kana kept");
        assert!(
            text.contains("処方箋"),
            "{name}: 方 folded from the Kangxi radical"
        );
        assert!(!text.contains('\u{2F45}'), "{name}");
    }
}

#[test]
fn synthetic_file_without_tounicode_is_unreadable() {
    let bytes =
        std::fs::read(format!("{DIR}synthetic_cairo_ipaex_noToUnicode.pdf")).expect("sample");
    let e = pdf::read(&bytes).expect_err("must not return mojibake");
    assert_eq!(e.kind, ErrorKind::Unreadable);
    assert!(
        e.message.contains("kana") || e.message.contains("undecodable"),
        "{e}"
    );
}

#[test]
fn line_numbers_count_from_one_and_y_grows_down() {
    let sheet = &read("rl_ucs2.pdf")[0];
    for (i, l) in sheet.lines.iter().enumerate() {
        assert_eq!(l.line_no as usize, i + 1);
        assert_eq!(l.page, 1);
    }
    assert!(sheet.lines.windows(2).all(|w| w[0].y < w[1].y));
    assert_eq!(sheet.lines[0].raw, "処方箋");
}

/// The two engines give the same lines on every producer pdf-extract can read: the second
/// engine is a full fallback (and the faster one for Chromium's Type 3 fonts), not only a
/// CID-font patch.
#[test]
fn both_engines_agree_on_every_producer() {
    for name in PRODUCERS {
        if name.starts_with("rl_ucs2") || name.starts_with("rl_rksj") {
            continue; // pdf-extract panics on these (predefined CMaps)
        }
        let bytes = std::fs::read(format!("{DIR}{name}")).expect("sample");
        let doc = pdf_extract::Document::load_mem(&bytes).expect("load");
        let lines = |e: pdf::Engine| -> Vec<String> {
            let ex = pdf::extract_with(&doc, e).expect("extract");
            pdf::lines::lines_with_rules(&ex.glyphs, &ex.rules)
                .into_iter()
                .map(|l| l.raw)
                .collect()
        };
        assert_eq!(
            lines(pdf::Engine::Second),
            lines(pdf::Engine::PdfExtract),
            "{name}"
        );
    }
}

/// The pre-scan sends exactly the predefined-CMap files to the second engine alone, and the
/// other producers' files to it first (their fonts need no font program to decode).
#[test]
fn font_prescan_routes_cid_files_to_the_second_engine() {
    for name in PRODUCERS {
        let bytes = std::fs::read(format!("{DIR}{name}")).expect("sample");
        let doc = pdf_extract::Document::load_mem(&bytes).expect("load");
        let routes = pdf::fonts::scan(&doc);
        let ex = pdf::extract(&doc).expect("extract");
        if name.starts_with("rl_ucs2") || name.starts_with("rl_rksj") {
            assert!(
                routes
                    .iter()
                    .all(|r| matches!(r, pdf::fonts::Route::PredefinedCMap(_))),
                "{name}: {routes:?}"
            );
            assert!(!routes.is_empty(), "{name}");
            assert_eq!(ex.engine, "second", "{name}");
        } else {
            // Every other producer here uses Type0/Type 3 fonts with ToUnicode or simple fonts
            // with ToUnicode or a standard encoding (pdffonts.txt: "uni yes" or not embedded):
            // the faster second engine first, pdf-extract as the fallback.
            assert!(routes.is_empty(), "{name}: {routes:?}");
            assert!(!pdf::fonts::has_program_encoded_font(&doc), "{name}");
            assert_eq!(ex.engine, "second", "{name}");
            assert_eq!(
                pdf::engine_order(&doc),
                [pdf::Engine::Second, pdf::Engine::PdfExtract],
                "{name}"
            );
        }
    }
}

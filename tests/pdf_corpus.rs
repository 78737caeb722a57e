//! The PDFs of `corpus/pdf/` (made by `corpus/pdf/make/make_corpus.py` with ReportLab CID and
//! TrueType fonts, Chromium and LibreOffice) read back against the text each one rendered
//! (`NAME.src.txt`), plus the error cases (scan-like image-only, encrypted) and robustness on
//! truncated and mutated bytes.

mod common;

use common::{lcs, squeeze};
use shohosen::error::ErrorKind;
use shohosen::pdf;
use shohosen::sheet::{Sheet, SheetLine};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/pdf/");
const MARKS: [&str; 12] = ["レ", "✓", "✔", "☑", "✅", "×", "✕", "✖", "x", "X", "○", "●"];

fn corpus_files() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(DIR)
        .expect("corpus/pdf")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".src.txt"))
        .map(|n| n.trim_end_matches(".src.txt").to_string())
        .collect();
    v.sort();
    v
}

fn read(stem: &str) -> Vec<Sheet> {
    let bytes = std::fs::read(format!("{DIR}{stem}.pdf")).expect("pdf");
    pdf::read(&bytes).unwrap_or_else(|e| panic!("{stem}: {e}"))
}

fn find_line<'a>(sheet: &'a Sheet, prefix: &str) -> Option<&'a SheetLine> {
    sheet
        .lines
        .iter()
        .find(|l| l.cells.iter().any(|c| c.text.starts_with(prefix)))
}

#[test]
fn corpus_has_four_producers_both_layouts_and_the_special_cases() {
    let files = corpus_files();
    for must in [
        "rl_ucs2_new",
        "rl_rksj_old",
        "rl_ttf_new",
        "chromium_new",
        "chromium_old",
        "lo_odt_new",
        "lo_odt_old",
        "rl_ttf_multipage",
        "rl_ucs2_two",
        "chromium_two",
    ] {
        assert!(files.iter().any(|f| f == must), "missing {must}");
    }
}

#[test]
fn every_corpus_pdf_reads_its_source_text() {
    let mut failures = Vec::new();
    for stem in corpus_files() {
        let src = std::fs::read_to_string(format!("{DIR}{stem}.src.txt")).expect("src");
        let sheets = read(&stem);
        let titles = src.lines().filter(|l| l.trim() == "処方箋").count();
        if sheets.len() != titles {
            failures.push(format!(
                "{stem}: {} sheets for {titles} prescriptions",
                sheets.len()
            ));
        }
        let got: String = sheets
            .iter()
            .flat_map(|s| s.lines.iter().map(|l| l.raw.clone() + "\n"))
            .collect();
        let k = squeeze(&src);
        let score = lcs(&k, &squeeze(&got)) as f64 / k.len() as f64;
        eprintln!("{stem}: {:.2}%", score * 100.0);
        if score < 0.99 {
            failures.push(format!("{stem}: {:.2}% of the characters", score * 100.0));
        }
        // Every table row (a line with a tab) is one extracted line.
        let lines: Vec<Vec<char>> = sheets
            .iter()
            .flat_map(|s| s.lines.iter().map(|l| squeeze(&l.raw)))
            .collect();
        for row in src.lines().filter(|l| l.contains('\t')) {
            if !lines.contains(&squeeze(row)) {
                failures.push(format!("{stem}: row broken: {row:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Each mark of the source is a cell of its own on its drug's line, inside the x range of the
/// header label of its column.
#[test]
fn marks_sit_in_their_column_on_their_drug_line() {
    let mut checked = 0;
    for stem in corpus_files() {
        let src = std::fs::read_to_string(format!("{DIR}{stem}.src.txt")).expect("src");
        let sheets = read(&stem);
        let mut header: Vec<String> = Vec::new();
        let mut sheet_no = 0usize;
        for (i, row) in src.lines().enumerate() {
            if row.trim() == "処方箋" && i > 0 {
                sheet_no += 1;
            }
            let cells: Vec<&str> = row.split('\t').collect();
            if cells.first().is_some_and(|c| c.starts_with("変更不可")) {
                header = cells.iter().map(|s| s.to_string()).collect();
                continue;
            }
            let Some(drug) = cells.last().filter(|d| d.contains(") ")) else {
                continue;
            };
            let sheet = &sheets[sheet_no.min(sheets.len() - 1)];
            let prefix: String = drug.chars().take(8).collect();
            let line =
                find_line(sheet, &prefix).unwrap_or_else(|| panic!("{stem}: no line {prefix}"));
            let hline = sheet
                .lines
                .iter()
                .rev()
                .find(|l| {
                    l.y < line.y
                        && l.page == line.page
                        && l.cells.iter().any(|c| c.text == header[0])
                })
                .or_else(|| {
                    sheet
                        .lines
                        .iter()
                        .find(|l| l.cells.iter().any(|c| c.text == header[0]))
                })
                .unwrap_or_else(|| panic!("{stem}: no header {:?}", header[0]));
            let mark_cells: Vec<_> = line
                .cells
                .iter()
                .filter(|c| MARKS.contains(&c.text.as_str()))
                .collect();
            let want: Vec<(usize, &str)> = cells[..cells.len() - 1]
                .iter()
                .enumerate()
                .filter(|(_, m)| !m.is_empty())
                .map(|(j, m)| (j, *m))
                .collect();
            assert_eq!(mark_cells.len(), want.len(), "{stem}: {:?}", line.raw);
            for ((col, mark), cell) in want.iter().zip(mark_cells) {
                assert_eq!(&cell.text, mark, "{stem}");
                let h = hline
                    .cells
                    .iter()
                    .find(|c| c.text == header[*col])
                    .unwrap_or_else(|| {
                        panic!("{stem}: header cell {:?} in {:?}", header[*col], hline.raw)
                    });
                let centre = (cell.x0 + cell.x1) / 2.0;
                assert!(
                    centre >= h.x0 - 2.0 && centre <= h.x1 + 2.0,
                    "{stem}: {mark} at {centre} outside {:?} {}..{}",
                    header[*col],
                    h.x0,
                    h.x1
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "only {checked} marks checked");
}

#[test]
fn multipage_prescription_is_one_sheet_over_two_pages() {
    let sheets = read("rl_ttf_multipage");
    assert_eq!(sheets.len(), 1);
    assert!(sheets[0].lines.iter().any(|l| l.page == 2));
    assert!(find_line(&sheets[0], "40) ").is_some());
    // line numbers run on across the page break
    let last = sheets[0].lines.last().expect("lines");
    assert_eq!(last.line_no as usize, sheets[0].lines.len());
}

#[test]
fn two_prescriptions_in_one_file_are_two_sheets() {
    for stem in ["rl_ucs2_two", "chromium_two"] {
        let sheets = read(stem);
        assert_eq!(sheets.len(), 2, "{stem}");
        assert_eq!(sheets[1].lines[0].raw, "処方箋");
        assert_eq!(sheets[1].lines[0].line_no, 1);
        assert!(find_line(&sheets[1], "1) クラリス").is_some(), "{stem}");
        assert!(find_line(&sheets[0], "1) クラリス").is_none(), "{stem}");
    }
}

#[test]
fn image_only_pdf_is_no_text_layer_and_says_read_the_symbol() {
    let bytes = std::fs::read(format!("{DIR}scan_image_only.pdf")).expect("scan");
    let e = pdf::read(&bytes).expect_err("scan");
    assert_eq!(e.kind, ErrorKind::NoTextLayer);
    assert!(e.message.contains("2D symbol"), "{e}");
}

#[test]
fn encrypted_pdf_is_encrypted() {
    let bytes = std::fs::read(format!("{DIR}encrypted_aes256.pdf")).expect("enc");
    assert_eq!(
        pdf::read(&bytes).expect_err("enc").kind,
        ErrorKind::Encrypted
    );
}

#[test]
fn limits_and_non_pdfs_are_clear_errors() {
    assert_eq!(
        pdf::read(b"hello").expect_err("text").kind,
        ErrorKind::Unreadable
    );
    assert_eq!(
        pdf::read(b"").expect_err("empty").kind,
        ErrorKind::Unreadable
    );
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(pdf::MAX_BYTES + 1, b' ');
    assert_eq!(pdf::read(&big).expect_err("big").kind, ErrorKind::TooLarge);
}

/// Truncated and byte-mutated files never panic (the guard turns library panics into errors;
/// a panic escaping would fail this test).
#[test]
fn truncated_and_mutated_files_do_not_panic() {
    let mut seed: u64 = 0x5eed_1234_abcd_0001;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/samples/pdf/");
    for path in [
        format!("{DIR}rl_rksj_old.pdf"),
        format!("{DIR}chromium_new.pdf"),
        format!("{samples}rl_ucs2.pdf"),
        format!("{samples}lo_docx_ipaexm.pdf"),
    ] {
        let bytes = std::fs::read(&path).expect("file");
        for k in 1..=12 {
            let cut = bytes.len() * k / 13;
            let _ = pdf::read(&bytes[..cut]);
        }
        for _ in 0..12 {
            let mut m = bytes.clone();
            for _ in 0..8 {
                let i = (next() as usize) % m.len();
                m[i] = next() as u8;
            }
            let _ = pdf::read(&m);
        }
    }
}

//! Known truths for the text reader: the seed excerpts, the shared known.txt form, the
//! fee engineer's plain corpus. Expected facts are written from the sources by hand.

use shohosen::model::{Basis, Category, InsuredKind, Layout, Leftover, Sex};
use shohosen::text::parse_text;

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn corpus(name: &str) -> String {
    read(&format!(
        "{}/corpus/text/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
}

#[test]
fn seed_old_form_excerpt() {
    let ps = parse_text(&corpus("seed_old_form_excerpt.txt"));
    assert_eq!(ps.len(), 1);
    let p = &ps[0];
    assert_eq!(p.layout, Layout::Old);
    let names: Vec<&str> = p.items.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["A錠", "B錠", "C錠", "D錠"]);
    let a = &p.items[0].flags;
    assert!(a.no_substitution && a.medical_need_written && !a.patient_wish);
    let b = &p.items[1].flags;
    assert!(b.patient_wish && !b.no_substitution);
    let c = &p.items[2].flags;
    assert!(!c.patient_wish && !c.no_substitution);
    assert!(p.items[3].general_name && !p.items[3].flags.patient_wish);
    assert!(
        p.items
            .iter()
            .all(|i| i.days == Some(28) && i.category == Category::Internal)
    );
    assert_eq!(p.items[3].timing.as_deref(), Some("朝夕食後"));
    assert!(
        p.notes.iter().all(|n| n.rule != "unparsed-line"),
        "{:?}",
        p.notes
    );
}

#[test]
fn seed_new_form_excerpt() {
    let ps = parse_text(&corpus("seed_new_form_excerpt.txt"));
    assert_eq!(ps.len(), 1);
    assert_eq!(ps[0].layout, Layout::New);
    assert!(ps[0].items.is_empty());
}

#[test]
fn shared_known_txt() {
    let text = read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/samples/pdf/known.txt"
    ));
    let ps = parse_text(&text);
    assert_eq!(ps.len(), 1);
    let p = &ps[0];
    assert_eq!(p.layout, Layout::New);
    assert_eq!(p.items.len(), 7, "{:#?}", p.items);
    let f: Vec<_> = p
        .items
        .iter()
        .map(|i| (i.flags.no_substitution, i.flags.patient_wish))
        .collect();
    assert_eq!(
        f,
        [
            (false, false),
            (true, false),
            (false, true),
            (true, false),
            (false, false),
            (false, true),
            (false, false)
        ]
    );
    let general: Vec<bool> = p.items.iter().map(|i| i.general_name).collect();
    assert_eq!(general, [true, false, true, false, true, false, false]);
    assert!(p.list_closed);
    assert_eq!(p.items[0].name, "アムロジピン錠5mg");
    assert_eq!(p.items[1].name, "ジスロマック錠250mg");
    assert_eq!(p.items[1].days, Some(3));
    assert_eq!(p.items[3].times_per_day, Some(3));
    assert_eq!(p.items[5].category, Category::External);
    assert_eq!(
        p.items[5]
            .amount
            .as_ref()
            .map(|a| (a.value.to_string(), a.basis)),
        Some(("25".into(), Basis::Total))
    );
    assert_eq!(p.items[6].category, Category::AsNeeded);
    assert_eq!(p.items[6].times, Some(10));
    // Header.
    assert_eq!(p.insurance.public_expense.len(), 1);
    assert_eq!(
        p.insurance.public_expense[0].payer_number.as_deref(),
        Some("12345678")
    );
    assert_eq!(
        p.insurance.public_expense[0].recipient_number.as_deref(),
        Some("7654321")
    );
    assert_eq!(p.insurance.insurer_number.as_deref(), Some("06132015"));
    assert_eq!(p.insurance.symbol.as_deref(), Some("12345"));
    assert_eq!(p.insurance.number.as_deref(), Some("678"));
    assert_eq!(p.insurance.branch.as_deref(), Some("01"));
    assert_eq!(p.patient.name.as_deref(), Some("山田 太郎"));
    assert_eq!(
        p.patient.birth_date.map(|d| d.to_string()).as_deref(),
        Some("1960-04-12")
    );
    assert_eq!(p.patient.sex, Some(Sex::Male));
    assert_eq!(p.patient.insured_kind, Some(InsuredKind::Insured));
    assert_eq!(
        p.issued.map(|d| d.to_string()).as_deref(),
        Some("2024-10-01")
    );
    assert_eq!(
        p.valid_until_written.map(|d| d.to_string()).as_deref(),
        Some("2024-10-04")
    );
    assert_eq!(
        p.institution.address.as_deref(),
        Some("東京都千代田区神田駿河台2-3-4")
    );
    assert_eq!(p.institution.name.as_deref(), Some("さくらクリニック"));
    assert_eq!(p.institution.phone.as_deref(), Some("03-1234-5678"));
    assert_eq!(p.institution.prefecture_code.as_deref(), Some("13"));
    assert_eq!(p.institution.fee_table_code.as_deref(), Some("1"));
    assert_eq!(p.institution.code.as_deref(), Some("1234567"));
    assert_eq!(p.prescriber.name.as_deref(), Some("佐藤 花子"));
    assert!(p.prescriber.signed);
    assert!(p.prescriber.nosub_signature);
    assert!(!p.refill.allowed);
    assert_eq!(p.leftover, Some(Leftover::Inform));
    assert!(p.notes.is_empty(), "{:?}", p.notes);
}

#[test]
fn fee_engineer_plain_corpus() {
    let ps = parse_text(&corpus("fee_examples_plain.txt"));
    assert_eq!(ps.len(), 1);
    let p = &ps[0];
    assert_eq!(p.layout, Layout::Unknown);
    assert_eq!(p.items.len(), 7);
    let (a, b) = (&p.items[0], &p.items[1]);
    assert_eq!((a.rp, b.rp), (1, 1));
    assert_eq!((a.days, b.days), (Some(3), Some(3)));
    assert_eq!(a.timing, b.timing);
    assert_eq!(a.timing.as_deref(), Some("朝食後"));
    assert_eq!(
        a.amount.as_ref().map(|x| (x.value.to_string(), x.basis)),
        Some(("2".into(), Basis::PerDay))
    );
    assert_eq!(
        b.amount.as_ref().map(|x| (x.value.to_string(), x.basis)),
        Some(("1".into(), Basis::PerDay))
    );
    assert!(a.flags.patient_wish && !b.flags.patient_wish);
    assert_eq!(a.name, "ジスロマック錠250mg");
    assert!(p.items[2].flags.patient_wish);
    assert_eq!(p.items[2].days, Some(14));
    assert_eq!(p.items[3].timing.as_deref(), Some("朝夕食後"));
    assert_eq!(p.items[3].times_per_day, Some(2));
    let pat = &p.items[4];
    assert_eq!(pat.category, Category::External);
    assert_eq!(
        pat.package
            .as_ref()
            .map(|q| (q.value.to_string(), q.unit.as_str())),
        Some(("5".into(), "mL"))
    );
    assert_eq!(
        pat.amount
            .as_ref()
            .map(|x| (x.value.to_string(), x.unit.as_str(), x.basis)),
        Some(("2".into(), "本", Basis::Total))
    );
    let len = &p.items[5];
    assert_eq!(len.category, Category::AsNeeded);
    assert_eq!(len.times, Some(10));
    assert_eq!(
        len.amount.as_ref().map(|x| (x.value.to_string(), x.basis)),
        Some(("1".into(), Basis::PerDose))
    );
    let tape = &p.items[6];
    assert_eq!(tape.category, Category::External);
    assert_eq!(
        tape.amount
            .as_ref()
            .map(|x| (x.value.to_string(), x.unit.as_str(), x.basis)),
        Some(("28".into(), "枚", Basis::Total))
    );
    assert!(p.list_closed);
    assert!(p.notes.is_empty(), "{:?}", p.notes);
}

#[test]
fn nothing_is_not_a_prescription() {
    assert!(parse_text("").is_empty());
    assert!(parse_text("hello world\nこんにちは").is_empty());
}

/// A PDF-like sheet: cells in points, the header row above the drugs, marks under labels.
#[test]
fn points_sheet_binds_marks_by_x() {
    use shohosen::sheet::{Cell, Sheet, SheetLine, XUnit};
    let row = |n: u32, cells: Vec<Cell>| SheetLine {
        line_no: n,
        page: 1,
        y: 100.0 + 14.0 * n as f32,
        raw: cells
            .iter()
            .map(|c| c.text.clone())
            .collect::<Vec<_>>()
            .join("\t"),
        cells,
    };
    let sheet = Sheet {
        unit: XUnit::Points,
        lines: vec![
            row(
                1,
                vec![
                    Cell::new("交付年月日", 40.0, 100.0),
                    Cell::new("令和6年10月1日", 110.0, 200.0),
                ],
            ),
            row(
                2,
                vec![
                    Cell::new("変更不可", 40.0, 88.0),
                    Cell::new("患者希望", 100.0, 148.0),
                    Cell::new("処方", 160.0, 184.0),
                ],
            ),
            row(3, vec![Cell::new("（医療上必要）", 36.0, 92.0)]),
            row(
                4,
                vec![
                    Cell::new("レ", 60.0, 70.0),
                    Cell::new(
                        "1) ジスロマック錠250mg 2錠 1日1回夕食後 3日分",
                        160.0,
                        400.0,
                    ),
                ],
            ),
            row(
                5,
                vec![
                    Cell::new("✓", 118.0, 128.0),
                    Cell::new("2) アリセプト錠5mg 1錠 1日1回朝食後 14日分", 160.0, 400.0),
                ],
            ),
            row(
                6,
                vec![Cell::new(
                    "3) ムコダイン錠500mg 3錠 分3 毎食後 7日分",
                    160.0,
                    400.0,
                )],
            ),
            row(
                7,
                vec![
                    Cell::new("×", 10.0, 16.0),
                    Cell::new("4) ガスター錠20mg 2錠 分2 朝夕食後 7日分", 160.0, 400.0),
                ],
            ),
            row(8, vec![Cell::new("以下余白", 160.0, 200.0)]),
        ],
    };
    let ps = shohosen::text::parse_sheet(&sheet);
    assert_eq!(ps.len(), 1);
    let p = &ps[0];
    assert_eq!(p.layout, Layout::New);
    let f: Vec<_> = p
        .items
        .iter()
        .map(|i| (i.flags.no_substitution, i.flags.patient_wish))
        .collect();
    // The × at 10–16 pt sits left of every column (変更不可 starts at 36 pt): ambiguous.
    assert_eq!(
        f,
        [(true, false), (false, true), (false, false), (false, false)]
    );
    assert!(
        p.notes
            .iter()
            .any(|n| n.rule == "mark-ambiguous" && n.line == Some(7)),
        "{:?}",
        p.notes
    );
    assert!(
        p.notes.iter().all(|n| n.rule != "unparsed-line"),
        "{:?}",
        p.notes
    );
}

#[test]
fn two_forms_in_one_text() {
    let one = "処方箋\n交付年月日 令和6年10月1日\n処方\nRp1 ムコダイン錠500mg 3錠\n    分3 毎食後 7日分\n以下余白\n";
    let two = "処方箋\n交付年月日 令和6年10月2日\n処方\nRp1 ガスター錠20mg 2錠\n    分2 朝夕食後 7日分\nRp2 カナマイシンカプセル250mg 4カプセル\n    分4 毎食後及び就寝前 5日分\n以下余白\n";
    let ps = parse_text(&format!("{one}{two}"));
    assert_eq!(ps.len(), 2);
    assert_eq!(ps[0].items.len(), 1);
    assert_eq!(ps[1].items.len(), 2);
    assert_eq!(
        ps[1].issued.map(|d| d.to_string()).as_deref(),
        Some("2024-10-02")
    );
    assert_eq!(ps[1].items[1].name, "カナマイシンカプセル250mg");
    assert!(ps[1].patient.kana.is_none());
}

#[test]
fn huge_numbers_do_not_overflow() {
    let ps = parse_text(
        "Rp4294967295 A錠 1錠 1日1回朝食後 7日分\nB錠 1錠\n交付年月日 令和2147483647年1月1日\n",
    );
    assert_eq!(ps[0].items.len(), 2);
    assert!(ps[0].issued.is_none());
}

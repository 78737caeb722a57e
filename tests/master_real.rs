//! Masters read from the real public files in `../shared/data/` and from spreadsheets built
//! at test time. Expected facts are written by hand from SOURCES.md and FEES.md.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use shohosen::master::{Master, load};

fn data(rel: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/")).join(rel)
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn date(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).unwrap()
}

fn master_of(paths: &[PathBuf]) -> Master {
    let mut m = Master::empty();
    for p in paths {
        for v in load::load_path(p).unwrap_or_else(|e| panic!("{e}")) {
            m.push(v);
        }
    }
    m
}

#[test]
fn price_list_2024_11_20_zithromac() {
    let m = master_of(&[data("mhlw/yakka_2024-11-20.csv")]);
    assert_eq!(m.versions()[0].records.len(), 13_057);
    let p = m
        .find("ジスロマック錠２５０ｍｇ", date(2024, 12, 1))
        .unwrap();
    assert_eq!(p.code, "6149004F1028");
    assert_eq!(p.price, d("158.9"));
    assert_eq!(p.generic_max_price, Some(d("90.5")));
    assert!(p.target);
    assert_eq!(p.unit, "錠");
    // Computed (the price list publishes no [a]): (158.9 − 90.5) / 4 = 17.10.
    assert_eq!(p.a.map(|a| a.to_string()).as_deref(), Some("17.10"));
    assert_eq!(p.b.map(|b| b.to_string()).as_deref(), Some("141.80"));
    // The same product by the prescription's spelling, and by code.
    let q = m.find("ジスロマック錠250mg", date(2024, 12, 1)).unwrap();
    assert_eq!(q.code, "6149004F1028");
    // A brand without ○ (ジスロマック錠６００ｍｇ) is not a target.
    let r = m.find("6149004F2024", date(2024, 12, 1)).unwrap();
    assert!(!r.target);
    // アリセプト錠５ｍｇ 87 (SOURCES.md).
    assert_eq!(
        m.find("アリセプト錠5mg", date(2024, 12, 1)).unwrap().price,
        d("87")
    );
}

#[test]
fn sentei_records_previous_price_equals_derived_b() {
    let m = master_of(&[data("mhlw/yakka_2024-11-20.csv")]);
    let text = std::fs::read_to_string(data("ssk/y_sentei_records_sample_2025-10-14.csv")).unwrap();
    let mut n = 0;
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        let (name, previous, yj) = (f[1], d(f[4]), f[6]);
        let p = m
            .find(yj, date(2024, 12, 1))
            .unwrap_or_else(|| panic!("{yj} {name} not in the price list"));
        assert!(p.target, "{name} should be a target");
        assert_eq!(
            p.b,
            Some(previous),
            "{name}: derived [b] vs the （選） record's previous price"
        );
        n += 1;
    }
    assert_eq!(n, 40);
}

#[test]
fn target_list_2026_06_gives_published_a() {
    let m = master_of(&[
        data("mhlw/yakka_2024-11-20.csv"),
        data("mhlw/sentei_2026-06-01.json"),
    ]);
    assert_eq!(m.versions()[1].records.len(), 776);
    let p = m.find("ジスロマック錠250mg", date(2026, 7, 1)).unwrap();
    assert_eq!(p.price, d("115.0"));
    assert_eq!(p.generic_max_price, Some(d("90.5")));
    assert_eq!(p.a.map(|a| a.to_string()).as_deref(), Some("12.25"));
    assert_eq!(p.b, Some(d("102.75")));
    let r = m
        .find_detail("ジスロマック錠250mg", date(2026, 7, 1))
        .unwrap();
    assert_eq!(r.published, Some(true));
    // Before the list is in force, the 2024 price list and the 1/4 rule apply.
    let q = m.find("ジスロマック錠250mg", date(2026, 5, 31)).unwrap();
    assert_eq!(q.price, d("158.9"));
    assert_eq!(q.a, Some(d("17.10")));
    // While the target list is in force it is the authority: ジスロマック錠６００ｍｇ is not on it.
    assert!(!m.find("6149004F2024", date(2026, 7, 1)).unwrap().target);
}

#[test]
fn ssk_y_sample_with_header() {
    let m = master_of(&[data("ssk/y_rows_sample_2025-10-14.csv")]);
    let v = &m.versions()[0];
    assert_eq!(v.valid_from, date(2025, 10, 14));
    // 8 rows, of which 3 are （選） records (carriers of [b], not products).
    assert_eq!(v.records.len(), 5);
    let p = m.find("ガスター散2%", date(2025, 11, 1)).unwrap();
    assert_eq!(p.code, "2325003B2029");
    assert_eq!(p.price, d("15.10"));
    assert_eq!(p.unit, "g");
    assert!(p.target, "選定療養区分 1");
    let r = m.find_detail("ガスター散2%", date(2025, 11, 1)).unwrap();
    assert_eq!(r.general_name.as_deref(), Some("【般】ファモチジン散２％"));
    // By レセプト電算コード too.
    assert_eq!(
        m.find("610406079", date(2025, 11, 1)).unwrap().code,
        "2325003B2029"
    );
    assert!(m.find("670003887", date(2025, 11, 1)).is_none());
}

/// A y record with the 42 fields (hand-written values).
#[allow(clippy::too_many_arguments)]
fn y_row(
    code: &str,
    name: &str,
    unit: &str,
    price: &str,
    generic: &str,
    yj: &str,
    gcode: &str,
    gname: &str,
    link: &str,
    kind: &str,
) -> String {
    let mut f = vec![String::new(); 42];
    let set = |f: &mut Vec<String>, i: usize, v: &str| f[i - 1] = v.to_string();
    set(&mut f, 1, "0");
    set(&mut f, 2, "Y");
    set(&mut f, 3, code);
    set(&mut f, 5, name);
    set(&mut f, 10, unit);
    set(&mut f, 11, "1");
    set(&mut f, 12, price);
    set(&mut f, 17, generic);
    set(&mut f, 31, "99999999");
    set(&mut f, 32, yj);
    set(&mut f, 37, gcode);
    set(&mut f, 38, gname);
    set(&mut f, 41, link);
    set(&mut f, 42, kind);
    f.join(",")
}

#[test]
fn ssk_y_shift_jis_without_header_with_sentei_records() {
    // An original (42 = 1), its （選） record (42 = 2, price = [b]) and a generic.
    let rows = [
        y_row(
            "620003887",
            "アムロジンＯＤ錠５ｍｇ",
            "錠",
            "15.20",
            "0",
            "2171022F4028",
            "2171022F4ZZZ",
            "【般】アムロジピン口腔内崩壊錠５ｍｇ",
            "0",
            "1",
        ),
        y_row(
            "670003887",
            "アムロジンＯＤ錠５ｍｇ（選）",
            "錠",
            "12.42",
            "0",
            "2171022F4028",
            "2171022F4ZZZ",
            "【般】アムロジピン口腔内崩壊錠５ｍｇ",
            "620003887",
            "2",
        ),
        y_row(
            "622000001",
            "アムロジピンＯＤ錠５ｍｇ「テスト」",
            "錠",
            "10.10",
            "1",
            "2171022F4099",
            "2171022F4ZZZ",
            "【般】アムロジピン口腔内崩壊錠５ｍｇ",
            "0",
            "0",
        ),
    ];
    let text = rows.join("\r\n") + "\r\n";
    let (sjis, _, bad) = encoding_rs::SHIFT_JIS.encode(&text);
    assert!(!bad);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("y_latest.csv");
    std::fs::write(&path, &sjis).unwrap();
    // No date in the name: refused without a suffix, accepted with one.
    assert!(load::load_path(&path).is_err());
    let m = master_of(&[PathBuf::from(format!("{}@2025-10-14", path.display()))]);
    let on = date(2025, 11, 1);
    let p = m.find("アムロジンOD錠5mg", on).unwrap();
    assert_eq!(p.code, "2171022F4028");
    assert!(p.target);
    assert_eq!(p.b, Some(d("12.42")));
    assert_eq!(p.a, Some(d("2.78")), "P 15.20 − [b] 12.42");
    assert_eq!(
        m.find_detail("アムロジンOD錠5mg", on).unwrap().published,
        Some(true)
    );
    // The 一般名 line: its brand when chosen, its generic otherwise.
    let item = shohosen::model::Item {
        name: "アムロジピン口腔内崩壊錠5mg".into(),
        general_name: true,
        ..Default::default()
    };
    let brand = m
        .resolve(&item, on, Some(&shohosen::choices::Dispense::Brand))
        .unwrap();
    assert_eq!(brand.code, "2171022F4028");
    let generic = m.resolve(&item, on, None).unwrap();
    assert_eq!(generic.code, "2171022F4099");
    assert!(generic.generic);
}

fn write_xlsx(path: &Path, sheet: &str, rows: &[Vec<&str>]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            // Numbers as numbers, as in the published files.
            match cell.parse::<f64>() {
                Ok(x) if !cell.is_empty() && !cell.starts_with('0') || *cell == "0" => {
                    ws.write_number(r as u32, c as u16, x).unwrap();
                }
                _ => {
                    ws.write_string(r as u32, c as u16, *cell).unwrap();
                }
            }
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn target_list_excel_columns_by_header_name() {
    let dir = tempfile::tempdir().unwrap();
    // A title row first, then the header (column order differs from any fixed layout).
    let header = vec![
        "薬価基準収載医薬品コード",
        "成分名",
        "品名",
        "長期収載品の薬価",
        "後発医薬品の最高価格帯の価格",
        "長期収載品と後発医薬品の価格差の２分の１",
        "保険外併用療養費の算出に用いる価格",
    ];
    let rows = vec![
        vec!["長期収載品の選定療養 対象医薬品リスト"],
        header.clone(),
        vec![
            "6149004F1028",
            "アジスロマイシン水和物",
            "ジスロマック錠２５０ｍｇ",
            "115",
            "90.5",
            "12.25",
            "102.75",
        ],
    ];
    let p26 = dir.path().join("sentei_2026-06-01.xlsx");
    write_xlsx(&p26, "厚労省マスタ", &rows);
    let m = master_of(std::slice::from_ref(&p26));
    let p = m.find("ジスロマック錠250mg", date(2026, 6, 1)).unwrap();
    assert_eq!(p.a, Some(d("12.25")));
    assert_eq!(p.b, Some(d("102.75")));
    assert_eq!(p.price, d("115"));

    // A ½ column on a list dated in the ¼ period is refused (it would charge the wrong fraction).
    let p24 = dir.path().join("sentei_2025-04-01.xlsx");
    write_xlsx(&p24, "厚労省マスタ", &rows);
    let err = load::load_path(&p24).unwrap_err().to_string();
    assert!(err.contains("1/2"), "{err}");

    // A ¼ list in its period.
    let mut rows4 = rows.clone();
    rows4[1][5] = "長期収載品と後発医薬品の価格差の４分の１";
    rows4[2] = vec![
        "6149004F1028",
        "アジスロマイシン水和物",
        "ジスロマック錠２５０ｍｇ",
        "158.9",
        "90.5",
        "17.1",
        "141.8",
    ];
    let p4 = dir.path().join("sentei_2024-10-01.xlsx");
    write_xlsx(&p4, "厚労省マスタ", &rows4);
    let m = master_of(&[p4]);
    let p = m.find("6149004F1028", date(2024, 10, 7)).unwrap();
    assert_eq!(p.a, Some(d("17.1")));
    assert_eq!(p.b, Some(d("141.8")));
    assert_eq!(p.price, d("158.9"));
}

#[test]
fn price_list_excel() {
    let dir = tempfile::tempdir().unwrap();
    let rows = vec![
        vec![
            "区分",
            "薬価基準収載医薬品コード",
            "成分名",
            "規格",
            "品名",
            "メーカー名",
            "診療報酬において加算等の算定対象となる後発医薬品",
            "先発医薬品",
            "同一剤形・規格の後発医薬品がある先発医薬品",
            "薬価",
        ],
        vec![
            "内用薬",
            "1149037F1020",
            "セレコキシブ",
            "１００ｍｇ１錠",
            "セレコックス錠１００ｍｇ",
            "ヴィアトリス製薬",
            "",
            "先発品",
            "○",
            "23.8",
        ],
        vec![
            "内用薬",
            "1149037F1224",
            "セレコキシブ",
            "１００ｍｇ１錠",
            "セレコキシブ錠１００ｍｇ「ＶＴＲＳ」",
            "",
            "後発品",
            "",
            "",
            "10.5",
        ],
        vec![
            "内用薬",
            "1149037F1999",
            "セレコキシブ",
            "１００ｍｇ１錠",
            "セレコキシブ錠１００ｍｇ「テスト」",
            "",
            "後発品",
            "",
            "",
            "9.8",
        ],
    ];
    let path = dir.path().join("tp20241120-01_01.xlsx");
    write_xlsx(&path, "Sheet1", &rows);
    let m = master_of(&[path]);
    let p = m.find("セレコックス錠100mg", date(2024, 12, 1)).unwrap();
    assert_eq!(p.price, d("23.8"));
    assert_eq!(p.generic_max_price, Some(d("10.5")));
    assert_eq!(
        p.a,
        Some(d("3.33")),
        "(23.8 − 10.5) / 4 = 3.325 → 3.33 half-up"
    );
    // The 一般名 (generic name without the maker) reaches the generics.
    let item = shohosen::model::Item {
        name: "セレコキシブ錠100mg".into(),
        general_name: true,
        ..Default::default()
    };
    assert_eq!(
        m.resolve(&item, date(2024, 12, 1), None).unwrap().price,
        d("10.5")
    );
}

#[test]
fn target_list_csv_and_custom_csv() {
    let dir = tempfile::tempdir().unwrap();
    // A CSV export of a ¼-period target list (hand-written row: アリセプト錠５ｍｇ 87.0, G 48.3).
    let csv = "薬価基準収載医薬品コード,品名,長期収載品の薬価,後発医薬品の最高価格帯の価格,価格差の４分の１,保険外併用療養費の算出に用いる価格\n\
               1190012F2022,アリセプト錠５ｍｇ,87.0,48.3,9.68,77.32\n";
    let path = dir.path().join("sentei_2024-10-01.csv");
    std::fs::write(&path, csv).unwrap();
    let m = master_of(&[path]);
    let p = m.find("アリセプト錠5mg", date(2024, 10, 7)).unwrap();
    assert_eq!((p.a, p.b), (Some(d("9.68")), Some(d("77.32"))));
    assert!(
        m.find("アリセプト錠5mg", date(2024, 9, 1))
            .unwrap()
            .a
            .is_none(),
        "no rule before 2024-10-01"
    );

    // The project's own CSV, dated by the path suffix.
    let custom =
        "code,name,price,unit,kind,generic_max_price\nX001,テスト錠10mg,20.0,錠,target,10.0\n";
    let path = dir.path().join("mine.csv");
    std::fs::write(&path, custom).unwrap();
    assert!(load::load_path(&path).is_err(), "no date: refused");
    let m = master_of(&[PathBuf::from(format!("{}@2025-01-01", path.display()))]);
    let p = m.find("テスト錠１０ｍｇ", date(2025, 2, 1)).unwrap();
    assert_eq!(p.a, Some(d("2.50")), "(20.0 − 10.0) / 4");

    // Unreadable inputs are errors naming the file, not panics.
    let bad = dir.path().join("garbage_2025-01-01.csv");
    std::fs::write(&bad, "hello,world\n1,2\n").unwrap();
    let err = load::load_path(&bad).unwrap_err().to_string();
    assert!(err.contains("garbage_2025-01-01.csv"), "{err}");
    assert!(load::load_path(&dir.path().join("missing_2025-01-01.csv")).is_err());
}

//! The record table of the JAHIS 院外処方箋2次元シンボル記録条件規約 (Ver.1.10 catalog), as data.
//!
//! One row per record number: its name, the fields after the record number (name, shape,
//! maximum length in Shift_JIS bytes, required or not), the minor version that introduced it
//! and how often it may occur. The structure checks and the mapper read this table; nothing
//! else in the module hard-codes a field position except through [`RecordSpec::field`].
//!
//! Maximum lengths: the printed standard is not in the repository; the limits below follow the
//! Ver.1.x layout where it is fixed by the data (codes: 医療機関コード 7, 都道府県 2, 保険者番号 8,
//! dates 8, YJ 12, 一般名コード 12, 用法コード 16) and are deliberately generous for free text,
//! so that a too-long finding means a real layout break, not a long drug name.
//!
//! ```
//! use shohosen::jahis::catalog::{spec, Repeat};
//! let drug = spec(201).unwrap();
//! assert_eq!(drug.name, "薬品");
//! assert_eq!(drug.repeat, Repeat::PerDrug);
//! assert_eq!(drug.fields[5].name, "薬品名称");
//! ```

/// What a field may hold. Empty is always allowed unless the field is `required`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Free text (no comma; a comma in text is written full-width).
    Text,
    /// An unsigned integer (RP番号, 連番, 調剤数量, percent).
    Num,
    /// A decimal number (用量 `0.5`).
    Dec,
    /// One of the listed codes.
    Code(&'static [&'static str]),
    /// A date: `YYYYMMDD` or era `GYYMMDD` (and, for the birth date, the partial forms).
    Date,
}

/// One field after the record number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub name: &'static str,
    pub shape: Shape,
    /// Maximum length in Shift_JIS bytes.
    pub max: usize,
    pub required: bool,
}

/// How often a record may occur in one symbol content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// At most once per content.
    Once,
    /// Any number of times per content (備考).
    Many,
    /// At most once per RP (keyed by RP番号).
    PerRp,
    /// Any number per RP (用法補足, keyed by RP番号 + 連番).
    ManyPerRp,
    /// At most once per drug (keyed by RP番号 + RP内連番).
    PerDrug,
    /// Any number per drug (薬品補足, keyed by RP番号 + RP内連番 + 補足連番).
    ManyPerDrug,
}

/// Which part of the content a record belongs to (for the order rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// 医療機関・医師・患者・保険・処方箋管理 (records below 100): one block, ascending order.
    Header,
    /// RP-level records (101, 102, 111, 181).
    Rp,
    /// Drug-level records (201 and 211–281).
    Drug,
    /// 提供情報 after the RP block (301 提供診療情報, 302 検査値データ等).
    Info,
}

/// One record type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordSpec {
    pub number: u16,
    pub name: &'static str,
    pub fields: &'static [FieldSpec],
    /// The minor version (`JAHIS<n>`) that introduced the record.
    pub since: u32,
    pub repeat: Repeat,
    pub level: Level,
}

impl RecordSpec {
    /// Position of a field by name; `usize::MAX` (which [`super::records::RawRecord::get`]
    /// reads as empty) for a name not in the layout.
    pub fn field(&self, name: &str) -> usize {
        self.fields
            .iter()
            .position(|f| f.name == name)
            .unwrap_or(usize::MAX)
    }
}

const fn f(name: &'static str, shape: Shape, max: usize) -> FieldSpec {
    FieldSpec {
        name,
        shape,
        max,
        required: false,
    }
}

const fn req(name: &'static str, shape: Shape, max: usize) -> FieldSpec {
    FieldSpec {
        name,
        shape,
        max,
        required: true,
    }
}

use Shape::{Code, Date, Dec, Num, Text};

/// Codes of the 剤形区分 (101).
pub const FORM_KINDS: &[&str] = &["1", "2", "3", "4", "5", "6", "9"];
/// Codes of the 薬品コード種別 (201).
pub const DRUG_CODE_KINDS: &[&str] = &["1", "2", "3", "4", "5", "6", "7"];
/// Codes of the 薬品補足区分 (281); 8 (先発医薬品患者希望) since Ver.1.10.
pub const SUPPLEMENT_KINDS: &[&str] = &["1", "2", "3", "4", "5", "6", "7", "8"];
/// Codes of the 一部負担区分 (14); 5 (高齢者8割) since Ver.1.9.
pub const SHARE_KINDS: &[&str] = &["1", "2", "3", "4", "5"];

macro_rules! rec {
    ($n:expr, $name:expr, $since:expr, $rep:ident, $lvl:ident, [$($fld:expr),* $(,)?]) => {
        RecordSpec { number: $n, name: $name, fields: &[$($fld),*], since: $since,
                     repeat: Repeat::$rep, level: Level::$lvl }
    };
}

/// The record catalog, in record-number order (the order the standard requires in a content).
pub const RECORDS: &[RecordSpec] = &[
    rec!(
        1,
        "医療機関",
        1,
        Once,
        Header,
        [
            f("医療機関コード種別", Code(&["1", "3"]), 1),
            f("医療機関コード", Text, 10),
            f("都道府県番号", Num, 2),
            f("医療機関名称", Text, 200)
        ]
    ),
    rec!(
        2,
        "医療機関所在地",
        1,
        Once,
        Header,
        [f("郵便番号", Text, 10), f("所在地", Text, 200)]
    ),
    rec!(
        3,
        "医療機関電話",
        1,
        Once,
        Header,
        [
            f("電話番号", Text, 20),
            f("FAX番号", Text, 20),
            f("その他連絡先", Text, 60)
        ]
    ),
    rec!(
        4,
        "診療科",
        1,
        Once,
        Header,
        [
            f("診療科コード種別", Code(&["1", "2"]), 1),
            f("診療科コード", Text, 4),
            f("診療科名称", Text, 60)
        ]
    ),
    rec!(
        5,
        "医師",
        1,
        Once,
        Header,
        [
            f("医師コード", Text, 20),
            f("医師カナ氏名", Text, 60),
            f("医師漢字氏名", Text, 60)
        ]
    ),
    rec!(
        11,
        "患者氏名",
        1,
        Once,
        Header,
        [
            f("患者コード", Text, 20),
            f("患者漢字氏名", Text, 60),
            f("患者カナ氏名", Text, 60)
        ]
    ),
    rec!(
        12,
        "患者性別",
        1,
        Once,
        Header,
        [f("性別", Code(&["1", "2"]), 1)]
    ),
    rec!(
        13,
        "患者生年月日",
        1,
        Once,
        Header,
        [f("生年月日", Date, 8)]
    ),
    rec!(
        14,
        "一部負担区分",
        1,
        Once,
        Header,
        [f("一部負担区分", Code(SHARE_KINDS), 1)]
    ),
    rec!(
        21,
        "保険種別",
        1,
        Once,
        Header,
        [f("保険種別", Code(&["1", "2", "3", "4", "5", "6", "7"]), 1)]
    ),
    rec!(
        22,
        "保険者番号",
        1,
        Once,
        Header,
        [f("保険者番号", Text, 8)]
    ),
    rec!(
        23,
        "記号番号",
        1,
        Once,
        Header,
        [
            f("記号", Text, 40),
            f("番号", Text, 40),
            f("被保険者被扶養者", Code(&["1", "2"]), 1),
            f("枝番", Text, 2)
        ]
    ),
    rec!(
        24,
        "負担給付率",
        1,
        Once,
        Header,
        [f("患者負担率", Num, 3), f("保険給付率", Num, 3)]
    ),
    rec!(
        25,
        "職務上の事由",
        1,
        Once,
        Header,
        [f("職務上の事由", Code(&["1", "2", "3"]), 1)]
    ),
    rec!(
        27,
        "第一公費",
        1,
        Once,
        Header,
        [f("公費負担者番号", Text, 8), f("公費受給者番号", Text, 7)]
    ),
    rec!(
        28,
        "第二公費",
        1,
        Once,
        Header,
        [f("公費負担者番号", Text, 8), f("公費受給者番号", Text, 7)]
    ),
    rec!(
        29,
        "第三公費",
        1,
        Once,
        Header,
        [f("公費負担者番号", Text, 8), f("公費受給者番号", Text, 7)]
    ),
    rec!(
        30,
        "特殊公費",
        1,
        Once,
        Header,
        [f("公費負担者番号", Text, 8), f("公費受給者番号", Text, 7)]
    ),
    rec!(
        31,
        "レセプト種別",
        1,
        Once,
        Header,
        [f("レセプト種別", Text, 4)]
    ),
    rec!(
        51,
        "処方箋交付年月日",
        1,
        Once,
        Header,
        [f("交付年月日", Date, 8)]
    ),
    rec!(
        52,
        "使用期限年月日",
        1,
        Once,
        Header,
        [f("使用期限年月日", Date, 8)]
    ),
    rec!(
        61,
        "麻薬施用",
        1,
        Once,
        Header,
        [
            f("麻薬施用者免許番号", Text, 20),
            f("患者住所", Text, 200),
            f("患者電話番号", Text, 20)
        ]
    ),
    rec!(
        62,
        "残薬確認",
        1,
        Once,
        Header,
        [f("残薬確認対応", Code(&["1", "2"]), 1)]
    ),
    rec!(
        63,
        "分割指示",
        1,
        Once,
        Header,
        [f("総分割数", Num, 2), f("分割回数", Num, 2)]
    ),
    rec!(
        64,
        "リフィル",
        8,
        Once,
        Header,
        [f("リフィル総使用回数", Num, 2)]
    ),
    rec!(
        81,
        "備考",
        1,
        Many,
        Header,
        [
            f("備考連番", Num, 3),
            f("備考種別", Text, 2),
            f("備考", Text, 400)
        ]
    ),
    rec!(
        82,
        "処方箋番号",
        1,
        Once,
        Header,
        [f("番号種別", Num, 2), f("処方箋番号", Text, 40)]
    ),
    rec!(
        101,
        "剤形",
        1,
        PerRp,
        Rp,
        [
            req("RP番号", Num, 3),
            req("剤形区分", Code(FORM_KINDS), 1),
            f("剤形名称", Text, 40),
            f("調剤数量", Num, 3)
        ]
    ),
    rec!(
        102,
        "剤形分割",
        1,
        PerRp,
        Rp,
        [
            req("RP番号", Num, 3),
            f("総分割数", Num, 3),
            f("分割日数", Text, 40)
        ]
    ),
    rec!(
        111,
        "用法",
        1,
        PerRp,
        Rp,
        [
            req("RP番号", Num, 3),
            f("用法コード種別", Num, 1),
            f("用法コード", Text, 16),
            f("用法名称", Text, 200),
            f("1日回数", Num, 2)
        ]
    ),
    rec!(
        181,
        "用法補足",
        1,
        ManyPerRp,
        Rp,
        [
            req("RP番号", Num, 3),
            f("用法補足連番", Num, 3),
            f("用法補足区分", Num, 1),
            f("用法補足情報", Text, 200),
            f("補足用法コード", Text, 16),
            f("部位コード", Text, 16)
        ]
    ),
    rec!(
        201,
        "薬品",
        1,
        PerDrug,
        Drug,
        [
            req("RP番号", Num, 3),
            req("RP内連番", Num, 3),
            f("情報区分", Code(&["1", "2"]), 1),
            f("薬品コード種別", Code(DRUG_CODE_KINDS), 1),
            f("薬品コード", Text, 13),
            req("薬品名称", Text, 200),
            f("用量", Dec, 11),
            f("力価フラグ", Code(&["1", "2"]), 1),
            f("単位名", Text, 20)
        ]
    ),
    rec!(
        211,
        "単位変換",
        1,
        PerDrug,
        Drug,
        [
            req("RP番号", Num, 3),
            req("RP内連番", Num, 3),
            f("単位変換係数", Dec, 11)
        ]
    ),
    rec!(
        221,
        "不均等",
        1,
        PerDrug,
        Drug,
        [
            req("RP番号", Num, 3),
            req("RP内連番", Num, 3),
            f("1回目服用量", Dec, 11),
            f("2回目服用量", Dec, 11),
            f("3回目服用量", Dec, 11),
            f("4回目服用量", Dec, 11),
            f("5回目服用量", Dec, 11),
            f("予備1", Text, 11),
            f("予備2", Text, 11),
            f("予備3", Text, 11),
            f("予備4", Text, 11),
            f("予備5", Text, 11)
        ]
    ),
    rec!(
        231,
        "負担区分",
        1,
        PerDrug,
        Drug,
        [
            req("RP番号", Num, 3),
            req("RP内連番", Num, 3),
            f("第一公費負担区分", Text, 1),
            f("第二公費負担区分", Text, 1),
            f("第三公費負担区分", Text, 1),
            f("特殊公費負担区分", Text, 1)
        ]
    ),
    rec!(
        241,
        "薬品1回服用量",
        1,
        PerDrug,
        Drug,
        [
            req("RP番号", Num, 3),
            req("RP内連番", Num, 3),
            f("1回服用量", Dec, 11),
            f("1日服用回数", Num, 2)
        ]
    ),
    rec!(
        281,
        "薬品補足",
        1,
        ManyPerDrug,
        Drug,
        [
            req("RP番号", Num, 3),
            req("RP内連番", Num, 3),
            f("薬品補足連番", Num, 3),
            f("薬品補足区分", Code(SUPPLEMENT_KINDS), 1),
            f("薬品補足情報", Text, 200),
            f("補足用法コード", Text, 16)
        ]
    ),
    // Ver.1.x symbols from current clinic systems append these after the RP block; they are
    // known so that a real symbol carrying them is not reported as broken.
    rec!(
        301,
        "提供診療情報",
        1,
        Many,
        Info,
        [
            f("提供診療情報連番", Num, 3),
            f("薬品名称", Text, 200),
            f("コメント", Text, 400)
        ]
    ),
    rec!(
        302,
        "検査値データ等",
        1,
        Many,
        Info,
        [
            f("検査値データ等連番", Num, 3),
            f("検査値データ等", Text, 400)
        ]
    ),
];

/// The newest minor version this catalog describes (`JAHIS10` = Ver.1.10).
pub const NEWEST_VERSION: u32 = 10;

/// One past the highest record number in [`RECORDS`].
const INDEX_LEN: usize = 303;

/// Record number → position in [`RECORDS`] (`u8::MAX` = not in the catalog), built at
/// compile time so a lookup is one array read.
static INDEX: [u8; INDEX_LEN] = {
    let mut index = [u8::MAX; INDEX_LEN];
    let mut i = 0;
    while i < RECORDS.len() {
        // A number beyond INDEX_LEN or a 255th record fails the build here.
        assert!(i < u8::MAX as usize);
        index[RECORDS[i].number as usize] = i as u8;
        i += 1;
    }
    index
};

/// Looks a record type up by number.
pub fn spec(number: u16) -> Option<&'static RecordSpec> {
    RECORDS.get(position(number)?)
}

// The mapper keeps a set of record types as bits of a `u64`.
const _: () = assert!(RECORDS.len() <= 64);

/// Position of a record type in [`RECORDS`] (at most 64 of them: a bit in a `u64` set).
///
/// ```
/// use shohosen::jahis::catalog::{position, RECORDS};
/// assert_eq!(position(1), Some(0));
/// assert_eq!(RECORDS[position(201).unwrap()].number, 201);
/// assert_eq!(position(7), None);
/// ```
pub fn position(number: u16) -> Option<usize> {
    let i = *INDEX.get(usize::from(number))?;
    (usize::from(i) < RECORDS.len()).then_some(usize::from(i))
}

/// Length of `s` once encoded in Shift_JIS: ASCII and half-width katakana take one byte,
/// everything else two. Counting by character (instead of re-encoding with encoding_rs for
/// every field) keeps reading allocation-free; the test below compares both on real text.
///
/// ```
/// use shohosen::jahis::catalog::sjis_len;
/// assert_eq!(sjis_len("ｱｲ12"), 4);
/// assert_eq!(sjis_len("錠１"), 4);
/// ```
pub fn sjis_len(s: &str) -> usize {
    // Counted on the UTF-8 bytes without decoding chars: the lead byte gives the sequence
    // length; 1- and 2-byte sequences (U+0000–U+07FF) and 4-byte ones count as written in
    // Shift_JIS (1 for ASCII, 2 otherwise), and among 3-byte ones only U+FF61–U+FF9F
    // (EF BD A1–EF BD BF, EF BE 80–EF BE 9F) are one byte.
    let b = s.as_bytes();
    let mut n = 0;
    let mut i = 0;
    while let Some(&lead) = b.get(i) {
        let (step, width) = match lead {
            0x00..=0x7F => (1, 1),
            0xC0..=0xDF => (2, 2),
            0xE0..=0xEF => {
                let half = lead == 0xEF
                    && matches!(
                        (b.get(i + 1), b.get(i + 2)),
                        (Some(0xBD), Some(0xA1..=0xBF)) | (Some(0xBE), Some(0x80..=0x9F))
                    );
                (3, if half { 1 } else { 2 })
            }
            // 4-byte leads (continuation bytes never start a char in a `str`).
            _ => (4, 2),
        };
        n += width;
        i += step;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        for w in RECORDS.windows(2) {
            assert!(
                w[0].number < w[1].number,
                "{} then {}",
                w[0].number,
                w[1].number
            );
        }
    }

    #[test]
    fn every_field_lookup_exists() {
        for (n, name) in [
            (1, "医療機関名称"),
            (101, "調剤数量"),
            (111, "1日回数"),
            (201, "単位名"),
            (241, "1日服用回数"),
            (281, "薬品補足区分"),
        ] {
            assert!(spec(n).unwrap().field(name) < 20, "{n} {name}");
        }
    }

    #[test]
    fn index_finds_every_record_and_nothing_else() {
        for n in 0..=u16::MAX {
            let by_search = RECORDS.iter().find(|r| r.number == n);
            assert_eq!(
                spec(n).map(|r| r.number),
                by_search.map(|r| r.number),
                "{n}"
            );
        }
    }

    #[test]
    fn sjis_len_matches_encoding_rs() {
        for s in [
            "ソグルーヤ皮下注１５ｍｇ　１．５ｍＬ",
            "ﾀﾞﾐｰ ﾀﾛｳ",
            "【般】セレコキシブ錠１００ｍｇ",
            "abc-1",
        ] {
            let (bytes, _, errors) = encoding_rs::SHIFT_JIS.encode(s);
            assert!(!errors);
            assert_eq!(sjis_len(s), bytes.len(), "{s}");
        }
    }

    /// Every character Shift_JIS can hold: the single bytes (ASCII, half-width katakana) and
    /// every double-byte code of JIS X 0208 (and the vendor rows encoding_rs decodes), each
    /// decoded by encoding_rs and re-encoded, against the arithmetic count.
    #[test]
    fn sjis_len_matches_encoding_rs_for_every_code() {
        let mut codes: Vec<Vec<u8>> = (0x00..=0x7Fu8)
            .chain(0xA1..=0xDF)
            .map(|b| vec![b])
            .collect();
        for lead in (0x81..=0x9Fu8).chain(0xE0..=0xFC) {
            for trail in (0x40..=0x7Eu8).chain(0x80..=0xFC) {
                codes.push(vec![lead, trail]);
            }
        }
        let mut checked = 0;
        for code in codes {
            let (text, _, errors) = encoding_rs::SHIFT_JIS.decode(&code);
            if errors {
                continue;
            }
            let (bytes, _, errors) = encoding_rs::SHIFT_JIS.encode(&text);
            if errors {
                // The user-defined rows F0–F9 decode to private-use chars that Shift_JIS
                // text cannot carry back.
                assert!(code[0] >= 0xF0, "{code:02X?}");
                continue;
            }
            assert_eq!(sjis_len(&text), bytes.len(), "{code:02X?} = {text:?}");
            checked += 1;
        }
        // 128 ASCII + 63 half-width katakana + the 6,879 characters of JIS X 0208 at least.
        assert!(checked > 7_000, "{checked}");
    }
}

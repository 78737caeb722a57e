//! The one prescription model every input adapter produces and every later stage reads.
//!
//! Text, PDF and 2D-symbol input all become a [`Prescription`]. Checks and the fee engine only
//! ever see this model, never the input it came from. Serialization of these types *is* the
//! JSON contract of `OUTPUT.md` (keys are never renamed), so field names follow that document.
//!
//! ```
//! use shohosen::model::{Prescription, Layout};
//! let p = Prescription::default();
//! assert_eq!(p.layout, Layout::Unknown);
//! assert!(p.items.is_empty());
//! ```

use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Which printed form (or the 2D symbol) the prescription came on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// The 2024-10 form: 「変更不可（医療上必要）」 and 「患者希望」 columns.
    New,
    /// The pre-2024-10 form: one 「変更不可」 column.
    Old,
    /// Read from the JAHIS 2D symbol.
    Jahis,
    /// No column header was found (e.g. plain clinic-system lines).
    #[default]
    Unknown,
}

/// 男 / 女.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

/// 被保険者 / 被扶養者.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InsuredKind {
    /// 被保険者 (the insured person).
    Insured,
    /// 被扶養者 (a dependent).
    Dependent,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Patient {
    /// 氏名 as written (NFKC-normalized, inner spacing kept as one space).
    pub name: Option<String>,
    /// フリガナ / カナ氏名.
    pub kana: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
    pub insured_kind: Option<InsuredKind>,
}

/// One 公費 (public expense) payer: 公費負担者番号 and 公費負担医療の受給者番号.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct PublicExpense {
    pub payer_number: Option<String>,
    pub recipient_number: Option<String>,
}

impl PublicExpense {
    /// 法別番号: the first two digits of the payer number (`12` = 生活保護).
    ///
    /// ```
    /// use shohosen::model::PublicExpense;
    /// let pe = PublicExpense { payer_number: Some("12131012".into()), recipient_number: None };
    /// assert_eq!(pe.law_number(), Some("12"));
    /// ```
    pub fn law_number(&self) -> Option<&str> {
        self.payer_number.as_deref().and_then(|n| n.get(0..2))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Insurance {
    /// 保険者番号 (digits only; 8, or 6 for 国保).
    pub insurer_number: Option<String>,
    /// 記号.
    pub symbol: Option<String>,
    /// 番号.
    pub number: Option<String>,
    /// 枝番.
    pub branch: Option<String>,
    pub public_expense: Vec<PublicExpense>,
    /// 保険種別 from the 2D symbol record 21 (1 医保, 2 国保, 3 労災, 4 自賠, 5 公害, 6 自費, 7 後期高齢者).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<u8>,
    /// 一部負担区分 from record 14 (1 高齢者一般, 2 高齢者7割, 3 6歳未満, 5 高齢者8割).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elderly_share: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Institution {
    pub name: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    /// 都道府県番号 (2 digits).
    pub prefecture_code: Option<String>,
    /// 点数表番号 (1 医科, 3 歯科).
    pub fee_table_code: Option<String>,
    /// 医療機関コード (7 digits, punctuation removed).
    pub code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Prescriber {
    /// 保険医氏名.
    pub name: Option<String>,
    /// The 保険医氏名 carries a signature or a name with a seal (㊞/印).
    pub signed: bool,
    /// The 備考 「保険医署名」 box (needed for 変更不可) carries a signature or name + seal.
    pub nosub_signature: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Refill {
    /// リフィル可 is marked.
    pub allowed: bool,
    /// The written count (回), if any.
    pub count: Option<u32>,
}

/// 剤形区分 of a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 内服.
    Internal,
    /// 頓服.
    AsNeeded,
    /// 外用.
    External,
    /// 注射 (home self-injection on an outpatient prescription).
    Injection,
    /// 内服用滴剤.
    Drops,
    /// 医療材料.
    Material,
    #[default]
    Unknown,
}

/// Words of 特定保険医療材料 written in the 処方 block (pen needles, lancets, sensors): not
/// drugs, so no usage, days or master entry are expected for them. One list for the text
/// reader (the item's category) and the checks (items whose category came from elsewhere).
pub const MATERIAL_WORDS: &[&str] = &[
    "ペンニードル",
    "ニードル",
    "注射針",
    "ナノパス",
    "ランセット",
    "穿刺針",
    "消毒用アルコール綿",
    "アルコール綿",
    "血糖測定",
    "センサー",
];

/// True when a folded drug name is a 医療材料: it holds one of [`MATERIAL_WORDS`], or a pen
/// needle's gauge and length (`32G×4mm`, `34G x 3.5mm`: BD マイクロファイン and the like
/// carry no needle word in their names).
///
/// ```
/// use shohosen::model::is_material_name;
/// assert!(is_material_name("BDマイクロファインプラス32G×4mm"));
/// assert!(is_material_name("ナノパスニードルII34G"));
/// assert!(!is_material_name("ノボラピッド注フレックスペン"));
/// assert!(!is_material_name("ロキソニンテープ100mg(10cm×14cm)"));
/// ```
pub fn is_material_name(name: &str) -> bool {
    // Every word starts with one of these characters: the words are compared only where one
    // stands (a substring search per word cost more than the rest of the item's reading).
    let b = name.as_bytes();
    name.char_indices().any(|(i, c)| {
        matches!(
            c,
            'ペ' | 'ニ' | '注' | 'ナ' | 'ラ' | '穿' | '消' | 'ア' | '血' | 'セ'
        ) && MATERIAL_WORDS
            .iter()
            .any(|w| b[i..].starts_with(w.as_bytes()))
    }) || is_needle_gauge(name)
}

/// `NNG×L mm` with a gauge of 25–34 (pen and insulin needles): two digits, `G`, then
/// `×`/`x`/`X` (spaces allowed) and a length in mm. Part of [`is_material_name`].
pub fn is_needle_gauge(name: &str) -> bool {
    let b = name.as_bytes();
    if !b.contains(&b'G') {
        return false;
    }
    (2..b.len()).any(|g| {
        b[g] == b'G'
            && b[g - 2].is_ascii_digit()
            && b[g - 1].is_ascii_digit()
            && (g < 3 || !b[g - 3].is_ascii_digit())
            && (25..=34).contains(&(u32::from(b[g - 2] - b'0') * 10 + u32::from(b[g - 1] - b'0')))
            && {
                let rest = name[g + 1..].trim_start();
                let rest = rest
                    .strip_prefix('×')
                    .or_else(|| rest.strip_prefix(['x', 'X']))
                    .map(str::trim_start);
                rest.is_some_and(|r| {
                    let len = r
                        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                        .unwrap_or(r.len());
                    len > 0 && r[len..].trim_start().starts_with("mm")
                })
            }
    })
}

/// How an amount is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Per day (内服, the insurance rule: `３錠　分３`).
    PerDay,
    /// Per dose (`１回１錠`).
    PerDose,
    /// The whole amount dispensed (外用, 注射, 頓服 totals, `５本`).
    Total,
}

/// An amount as written: exact decimal value, unit as written (NFKC), and its basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Amount {
    /// Exact decimal, serialized as a string (`"0.5"`).
    #[schemars(with = "String")]
    pub value: Decimal,
    pub unit: String,
    pub basis: Basis,
}

/// A quantity with a unit, e.g. the `5mL` of `5mL 2本` (content of one package).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Quantity {
    #[schemars(with = "String")]
    pub value: Decimal,
    pub unit: String,
}

/// Per-item substitution flags (marks in the columns or inline annotations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Flags {
    /// 変更不可 / 後発品変更不可 / 医療上必要.
    pub no_substitution: bool,
    /// 患者希望 / 先発品希望.
    pub patient_wish: bool,
    /// 剤形変更不可.
    pub no_form_change: bool,
    /// 含量規格変更不可.
    pub no_strength_change: bool,
    /// 「医療上必要」 written (the reason an old-form 変更不可 needs from 2024-10-01).
    #[serde(default)]
    pub medical_need_written: bool,
}

/// A code that identifies the drug (from the 2D symbol, or matched from the master).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DrugCode {
    /// JAHIS コード種別: `receipt` (レセプト電算 9 digits), `mhlw` (厚生省/薬価基準 12),
    /// `yj`, `hot`, `general_name` (一般名コード), `none`.
    pub kind: String,
    pub code: String,
}

/// One drug on the prescription.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Item {
    /// 1-based, order on the prescription.
    pub index: u32,
    /// Group (剤) number as written, or assigned in order.
    pub rp: u32,
    /// 1-based line in the text the parser read (`null` for JAHIS).
    pub line: Option<u32>,
    /// The raw line(s) as printed.
    pub source_text: String,
    /// The drug name, NFKC-normalized, markers (【般】) and marks removed.
    pub name: String,
    /// 【般】/(般) or matched as 一般名.
    pub general_name: bool,
    pub category: Category,
    pub amount: Option<Amount>,
    /// Content of one package when written (`5mL` in `パタノール点眼液0.1% 5mL 2本`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<Quantity>,
    /// The usage (用法) text of the group, NFKC-normalized.
    pub usage: Option<String>,
    pub times_per_day: Option<u32>,
    /// 内服 days; null otherwise.
    pub days: Option<u32>,
    /// 頓服 回分.
    pub times: Option<u32>,
    /// Normalized 服用時点 key (e.g. `朝食後`, `毎食後`, `就寝前`) used to group 内服 units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timing: Option<String>,
    /// Uneven doses as written (`３－２－１` → ["3","2","1"]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<String>")]
    pub uneven: Vec<Decimal>,
    pub flags: Flags,
    /// Drug or group comments (`一包化`, `粉砕`, free text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<String>,
    /// A code given on the prescription (2D symbol) for the drug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<DrugCode>,
    /// The amount per dose when written besides the main amount (2D symbol record 241
    /// 薬品1回服用量; `１回１錠` next to a per-day amount).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_dose: Option<Amount>,
}

/// 残薬 instruction checkbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Leftover {
    /// 保険医療機関へ疑義照会した上で調剤.
    InquireThenDispense,
    /// 保険医療機関へ情報提供.
    Inform,
}

/// Severity of a finding.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// What the pharmacy does about a finding (CHECKS.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Inquiry,
    Judge,
    Explain,
    Review,
    Reject,
    None,
}

/// One finding of a check (or of a reader: `mark-ambiguous`, `unparsed-line`, `jahis-*`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// Stable rule id from CHECKS.md.
    pub rule: String,
    pub severity: Severity,
    pub action: Action,
    /// A message in Japanese, as a pharmacist would write it.
    pub message: String,
    /// 1-based item index the finding is about.
    pub item: Option<u32>,
    /// 1-based line in the text read.
    pub line: Option<u32>,
}

/// A reading problem found by an input adapter, before the rule engine runs.
///
/// Readers do not know severities or messages of the catalog; they report the rule id and
/// a detail, and [`crate::checks`] turns them into [`Finding`]s with the catalog's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ReadNote {
    /// Rule id: `mark-ambiguous`, `unparsed-line`, `date-invalid`, `jahis-structure`, `jahis-version`, ...
    pub rule: String,
    /// What exactly was found (Japanese or English, shown after the catalog message).
    pub detail: String,
    pub item: Option<u32>,
    pub line: Option<u32>,
}

/// The prescription, whatever it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Prescription {
    pub layout: Layout,
    /// 交付年月日.
    pub issued: Option<NaiveDate>,
    /// The written 使用期間 (last valid day), if any.
    pub valid_until_written: Option<NaiveDate>,
    pub patient: Patient,
    pub insurance: Insurance,
    pub institution: Institution,
    pub prescriber: Prescriber,
    pub refill: Refill,
    pub items: Vec<Item>,
    /// 備考 lines (NFKC), excluding the 保険医署名 box.
    pub remarks: Vec<String>,
    /// 残薬 instruction, when one box is ticked.
    pub leftover: Option<Leftover>,
    /// The list was closed with 以下余白 (or a closing line).
    pub list_closed: bool,
    /// Co-payment rate given by the prescription itself (2D symbol record 24), e.g. 0.3.
    #[schemars(with = "Option<String>")]
    pub copay_rate: Option<Decimal>,
    /// Problems the reader met (bound to the catalog by the checks stage).
    pub notes: Vec<ReadNote>,
    /// The text lines the reader worked on (raw, 1-based by position), for diagnostics.
    /// Shared, because every prescription of a multi-prescription input keeps the whole
    /// input's lines (line numbers index the input): see [`crate::source`].
    #[serde(skip)]
    pub lines: crate::source::SourceLines,
    /// 1-based line of each header field the reader found, so prescription-level findings can
    /// point at it. Keys (all optional): `issued`, `valid_until`, `patient`, `birth_date`,
    /// `sex`, `insurer_number`, `public_expense`, `recipient_number`, `institution_code`,
    /// `prescriber`, `nosub_signature`, `refill`, `remarks`, `layout` (the column header line).
    #[serde(skip)]
    pub header_lines: std::collections::BTreeMap<String, u32>,
}

impl Prescription {
    /// The 法別 12 (生活保護) public expense applies.
    ///
    /// ```
    /// use shohosen::model::{Prescription, PublicExpense};
    /// let mut p = Prescription::default();
    /// assert!(!p.is_welfare());
    /// p.insurance.public_expense.push(PublicExpense { payer_number: Some("12131012".into()), recipient_number: None });
    /// assert!(p.is_welfare());
    /// ```
    pub fn is_welfare(&self) -> bool {
        self.insurance
            .public_expense
            .iter()
            .any(|pe| pe.law_number() == Some("12"))
    }
}

impl Prescription {
    /// The last day the prescription may be dispensed: the written 使用期間, else the issue
    /// date + 3 days (4 days counting the issue day, holidays included).
    ///
    /// ```
    /// use shohosen::model::Prescription;
    /// let mut p = Prescription::default();
    /// p.issued = chrono::NaiveDate::from_ymd_opt(2024, 10, 1);
    /// assert_eq!(p.valid_until().unwrap().to_string(), "2024-10-04");
    /// ```
    pub fn valid_until(&self) -> Option<NaiveDate> {
        self.valid_until_written.or_else(|| {
            self.issued
                .and_then(|d| d.checked_add_days(chrono::Days::new(3)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn material_gate_covers_every_word() {
        // The first-character gate of `is_material_name` must let every listed word through.
        for w in MATERIAL_WORDS {
            assert!(is_material_name(w), "{w}");
            assert!(is_material_name(&format!("BD{w}32G")), "{w}");
        }
    }

    #[test]
    fn needle_gauges() {
        for n in [
            "BDマイクロファインプラス32G×4mm",
            "マイクロファイン 31G x 5 mm",
            "ペンフィット34GX3.5mm",
        ] {
            assert!(is_material_name(n), "{n}");
        }
        // A gauge needs its length; a strength, a size or a three-digit number is no gauge.
        for n in [
            "A錠32G",
            "ロキソニンテープ100mg(10cm×14cm)",
            "ヒルドイドソフト軟膏0.3% 25g",
            "B液132G×4mm",
            "C剤20G×4mm",
        ] {
            assert!(!is_material_name(n), "{n}");
        }
    }
}

//! The JSON document of OUTPUT.md: one per prescription, or an error record per unreadable input.
//!
//! The types here only assemble what earlier stages produced; they compute nothing except the
//! validity end date. `--redact` is applied to the serialized value so that no field can be
//! forgotten by a later addition to the model.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

pub mod json;

use crate::error::ReadError;
use crate::fees::{Fees, SelectiveCare};
use crate::input::{InputKind, TextEncoding};
use crate::master::Product;
use crate::model::{
    Finding, Institution, Insurance, Item, Layout, Leftover, Patient, Prescriber, Refill,
};

/// The value of the `schema` key.
pub const SCHEMA: &str = "shohosen/1";

/// Where a document came from.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Source {
    /// The path as given (`-` for standard input).
    pub path: String,
    /// `null` when the kind could not be decided (an unreadable file).
    pub kind: Option<InputKind>,
    pub encoding: Option<TextEncoding>,
    /// PDF page count.
    pub pages: Option<u32>,
    /// 1-based position of this prescription when the input held several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
}

/// An item with what the master and the fee engine said about it.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DocItem {
    #[serde(flatten)]
    pub item: Item,
    pub product: Option<Product>,
    pub selective_care: SelectiveCare,
}

/// One prescription, read, checked and priced.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Document {
    pub schema: String,
    pub source: Source,
    pub layout: Layout,
    pub dispensing_date: NaiveDate,
    pub issued: Option<NaiveDate>,
    /// The last day the prescription may be dispensed: the written 使用期間, else issue + 3 days.
    pub valid_until: Option<NaiveDate>,
    pub patient: Patient,
    pub insurance: Insurance,
    pub institution: Institution,
    pub prescriber: Prescriber,
    pub refill: Refill,
    pub items: Vec<DocItem>,
    /// 備考.
    pub remarks: Vec<String>,
    /// 残薬 instruction.
    pub leftover: Option<Leftover>,
    pub findings: Vec<Finding>,
    pub fees: Fees,
}

/// An input that yielded no prescription.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ErrorDocument {
    pub schema: String,
    pub source: Source,
    pub error: ReadError,
}

/// What one input (or one prescription of an input) yields.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Record {
    Document(Box<Document>),
    Error(ErrorDocument),
}

impl Record {
    /// The source this record came from.
    pub fn source(&self) -> &Source {
        match self {
            Record::Document(d) => &d.source,
            Record::Error(e) => &e.source,
        }
    }

    /// The record as JSON text, applying `--redact` when asked. Compact JSON is written by
    /// [`json`] straight from the types (through a `Value` only to redact); pretty JSON by
    /// serde_json, as before.
    pub fn to_json(&self, redact: bool, pretty: bool) -> String {
        if !pretty {
            let compact = if redact {
                json::to_string(&self.to_value(true))
            } else {
                json::to_string(self)
            };
            // Our types always serialize; were one ever refused, serde_json's path below
            // would say the same thing slower, so it is the fallback rather than nothing.
            if let Ok(text) = compact {
                return text;
            }
        }
        let v = self.to_value(redact);
        let text = if pretty {
            serde_json::to_string_pretty(&v)
        } else {
            serde_json::to_string(&v)
        };
        text.unwrap_or_default()
    }

    /// Serializes, applying `--redact` when asked.
    pub fn to_value(&self, redact: bool) -> Value {
        let mut v = serde_json::to_value(self).unwrap_or(Value::Null);
        if redact {
            redact_value(&mut v);
        }
        v
    }
}

/// The JSON Schema of one output record, generated from the types (published as
/// `schema/output.schema.json`).
pub fn json_schema() -> Value {
    serde_json::to_value(schemars::schema_for!(Record)).unwrap_or(Value::Null)
}

/// The mask for names and kana.
pub const MASK: &str = "＊＊＊";

/// Masks personal data in a serialized record (OUTPUT.md): name and kana become `＊＊＊`,
/// the birth date keeps only its year, insurer / symbol / number / branch / public-expense
/// payer and recipient numbers keep their first two characters.
///
/// ```
/// use serde_json::json;
/// let mut v = json!({"patient": {"name": "山田 太郎", "kana": null, "birth_date": "1960-04-12"},
///                    "insurance": {"insurer_number": "06132015", "public_expense": [
///                        {"payer_number": "12345678", "recipient_number": "7654321"}]}});
/// shohosen::output::redact_value(&mut v);
/// assert_eq!(v["patient"]["name"], "＊＊＊");
/// assert_eq!(v["patient"]["kana"], serde_json::Value::Null);
/// assert_eq!(v["patient"]["birth_date"], "1960");
/// assert_eq!(v["insurance"]["insurer_number"], "06******");
/// assert_eq!(v["insurance"]["public_expense"][0]["recipient_number"], "76*****");
/// ```
pub fn redact_value(v: &mut Value) {
    if let Some(p) = v.get_mut("patient").and_then(Value::as_object_mut) {
        for k in ["name", "kana"] {
            if let Some(x) = p.get_mut(k).filter(|x| !x.is_null()) {
                *x = Value::String(MASK.into());
            }
        }
        if let Some(Value::String(b)) = p.get_mut("birth_date") {
            *b = b.chars().take(4).collect();
        }
    }
    if let Some(ins) = v.get_mut("insurance").and_then(Value::as_object_mut) {
        for k in ["insurer_number", "symbol", "number", "branch"] {
            mask_number(ins.get_mut(k));
        }
        if let Some(list) = ins.get_mut("public_expense").and_then(Value::as_array_mut) {
            for pe in list.iter_mut().filter_map(Value::as_object_mut) {
                mask_number(pe.get_mut("payer_number"));
                mask_number(pe.get_mut("recipient_number"));
            }
        }
    }
}

fn mask_number(v: Option<&mut Value>) {
    if let Some(Value::String(s)) = v {
        *s = mask_keep_two(s);
    }
}

/// Keeps the first two characters and replaces the rest with `*`.
pub fn mask_keep_two(s: &str) -> String {
    s.chars()
        .enumerate()
        .map(|(i, c)| if i < 2 { c } else { '*' })
        .collect()
}

/// Labels of header fields that carry personal data; a quoted line holding one is masked.
const PERSONAL_LABELS: &[&str] = &[
    "患者氏名",
    "フリガナ",
    "ふりがな",
    "カナ",
    "生年月日",
    "保険者番号",
    "記号",
    "受給者番号",
    "公費負担者番号",
];

/// Masks the raw lines that hold personal data, for diagnostics under `--redact`: any line
/// with a personal label (氏名 of the patient, 生年月日, 保険者番号, 記号・番号, 受給者番号, …)
/// or with the patient's name, kana or one of the numbers becomes `＊＊＊`.
///
/// ```
/// use shohosen::model::Prescription;
/// let mut p = Prescription::default();
/// p.patient.name = Some("山田 太郎".into());
/// let lines = vec!["氏名\t山田　太郎".to_string(), "Rp1 ジスロマック錠250mg 2錠".to_string()];
/// let red = shohosen::output::redact_lines(&p, &lines);
/// assert_eq!(red[0], "＊＊＊");
/// assert_eq!(red[1], lines[1]);
/// ```
pub fn redact_lines<S: AsRef<str>>(
    p: &crate::model::Prescription,
    lines: impl IntoIterator<Item = S>,
) -> Vec<String> {
    let squash = |s: &str| {
        crate::normalize::fold(s)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
    };
    let mut secrets: Vec<String> = Vec::new();
    let ins = &p.insurance;
    let values = [
        &p.patient.name,
        &p.patient.kana,
        &ins.insurer_number,
        &ins.symbol,
        &ins.number,
    ];
    for v in values.into_iter().flatten() {
        secrets.push(squash(v));
    }
    for pe in &ins.public_expense {
        for v in [&pe.payer_number, &pe.recipient_number]
            .into_iter()
            .flatten()
        {
            secrets.push(squash(v));
        }
    }
    secrets.retain(|s| s.chars().count() >= 2);
    lines
        .into_iter()
        .map(|l| {
            let l = l.as_ref();
            let f = squash(l);
            // 「氏名」 alone is the patient's; 保険医氏名 / 保険薬剤師氏名 are not personal data here.
            let patient_name_label =
                f.contains("氏名") && !f.contains("保険医氏名") && !f.contains("薬剤師氏名");
            let personal = patient_name_label
                || PERSONAL_LABELS.iter().any(|lab| f.contains(lab))
                || secrets.iter().any(|s| f.contains(s.as_str()));
            if personal {
                MASK.to_string()
            } else {
                l.to_string()
            }
        })
        .collect()
}

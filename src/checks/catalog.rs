//! The rule catalog: every check as data (id, severity, action, theme, message template,
//! what fires it, and the source it comes from).
//!
//! The ids of `CHECKS.md` are a contract; the extra rules below follow the same style.
//! Messages are templates in Japanese; `{name}` placeholders are filled by the rule that fires
//! (see [`fill`]), and the item label (`2) ジスロマック錠250mg: `) is put in front by the engine.
//!
//! ```
//! use shohosen::checks::{catalog, rule};
//! assert!(catalog().iter().any(|r| r.id == "nosub-unsigned"));
//! assert_eq!(rule("expired").unwrap().action, shohosen::model::Action::Reject);
//! ```

use serde::Serialize;

use crate::model::{Action, Severity};

/// The theme a rule belongs to (how `shohosen rules` groups them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// The JPhA 確認事項 and the selective-care decision (seed 002).
    Jpha,
    /// Mandatory fields, numbers and dates of 様式第二号.
    Form,
    /// The drug lines of the 処方 block.
    Drug,
    /// How well the input could be read.
    Reading,
}

/// One check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// Stable id (CHECKS.md).
    pub id: &'static str,
    pub severity: Severity,
    pub action: Action,
    pub theme: Theme,
    /// Japanese message template; `{…}` placeholders are filled by the rule.
    pub message: &'static str,
    /// When it fires (English, as in CHECKS.md).
    pub description: &'static str,
    /// Where the rule comes from (seed page, MHLW notice, Q&A, format spec).
    pub source: &'static str,
}

use Action as A;
use Severity as S;
use Theme as T;

const SEED_FORM: &str = "seed 002 「処方箋への記載①」 (様式 and the 改正前の処方箋 example)";
const CHECK_DIGIT: &str = "CHECKS.md 検証番号 (保険者番号・公費負担者番号・受給者番号・医療機関コードの設定方法: 2,1 交互乗算, 各桁和, 10 − 下1桁)";
const RULE_21: &str = "医師法施行規則21条 (処方箋の記載事項: 患者の氏名・年齢, 薬名, 分量, 用法, 用量, 発行年月日, 使用期間); 様式第二号";

/// Every rule, grouped by theme.
pub static RULES: &[Rule] = &[
    // ---- JPhA checklist (seed 002) -------------------------------------------------------
    Rule {
        id: "nosub-unsigned",
        severity: S::Error,
        action: A::Inquiry,
        theme: T::Jpha,
        message: "変更不可の記載がありますが、備考欄の保険医署名がありません。疑義照会してください。",
        description: "an item has 変更不可 but the 保険医署名 box in 備考 has no signature or name+seal",
        source: "seed 002 【確認事項】「変更不可」欄に「レ」又は「×」…かつ「保険医署名」欄に署名又は記名・押印する; 様式第二号 備考",
    },
    Rule {
        id: "nosub-no-reason",
        severity: S::Error,
        action: A::Inquiry,
        theme: T::Jpha,
        message: "改正前の様式で変更不可にチェックがありますが、「医療上必要」の記載がありません。疑義照会してください。",
        description: "old layout, issued on or after 2024-10-01, 変更不可 marked with no 「医療上必要」 written",
        source: "seed 002 「処方箋への記載①」② 改正前の処方箋を使用する場合:「チェックがあり、理由の記載がなければ疑義照会」",
    },
    Rule {
        id: "nosub-and-wish",
        severity: S::Error,
        action: A::Inquiry,
        theme: T::Jpha,
        message: "変更不可（医療上必要）と患者希望の両方に記載があります。どちらか確認するまで特別の料金は計算しません。疑義照会してください。",
        description: "one item has both 変更不可 and 患者希望; no charge is computed for it until answered",
        source: "seed 002 「処方箋への記載①」 (医療上必要 = 選定療養の対象外, 患者希望 = 対象: the two exclude each other); FEES.md decision table",
    },
    Rule {
        id: "general-name-nosub",
        severity: S::Warning,
        action: A::Inquiry,
        theme: T::Jpha,
        message: "一般名処方に変更不可の記載があります（一般名処方では後発品への変更を妨げる意味がありません）。処方意図を疑義照会してください。",
        description: "a 一般名 item carries 変更不可 (nothing to protect)",
        source: "seed 002 「処方箋への記載①」 ((般)D錠: GEで調剤可); 様式第二号 注 (変更不可は銘柄名処方の個々の処方薬について記載)",
    },
    Rule {
        id: "general-name-wish",
        severity: S::Warning,
        action: A::None,
        theme: T::Jpha,
        message: "一般名処方に患者希望の記載があります。先発品の希望は通常、薬局で確認します（先発品を調剤すれば特別の料金の対象です）。",
        description: "a 一般名 item carries 患者希望 (the wish is normally stated at the pharmacy)",
        source: "seed 002 「処方箋への記載①」 ((般)D錠: 患者が先発希望なら選定療養の対象)",
    },
    Rule {
        id: "wish-not-target",
        severity: S::Info,
        action: A::None,
        theme: T::Jpha,
        message: "患者希望の記載がありますが、この薬剤は{date}時点で選定療養の対象ではありません（特別の料金はかかりません）。",
        description: "患者希望 on a drug that is not a selective-care target on that date",
        source: "seed 002 「選定療養とは」 (対象は後発品のある先発医薬品のうち厚労省リスト掲載品目); MHLW 対象医薬品リスト",
    },
    Rule {
        id: "brand-unmarked",
        severity: S::Info,
        action: A::Judge,
        theme: T::Jpha,
        message: "選定療養の対象となる先発品が銘柄名で処方され、変更不可・患者希望のいずれの記載もありません。後発品への変更は薬剤師が判断します（患者さんが先発品を希望すれば特別の料金の対象）。",
        description: "a brand-name selective-care target with neither mark: the pharmacist may switch to a generic; if the patient wants the brand, the charge applies",
        source: "seed 002 【確認事項】 銘柄名処方された長期収載品で…記載がない場合…の取り扱いは薬剤師が判断する",
    },
    Rule {
        id: "selective-care",
        severity: S::Info,
        action: A::Explain,
        theme: T::Jpha,
        message: "選定療養（特別の料金）の対象です。患者さんに説明してください。この薬剤で初めての場合は特定薬剤管理指導加算3ロ（5点）の算定候補です。",
        description: "the charge applies to an item (患者希望, or dispensing choice); first time for this drug → 特定薬剤管理指導加算3ロ (5点) candidate",
        source: "seed 002 「選定療養とは」 and 「特定薬剤管理指導加算3」 (最初に処方された1回に限り, 5点)",
    },
    Rule {
        id: "welfare-patient",
        severity: S::Info,
        action: A::Judge,
        theme: T::Jpha,
        message: "生活保護（公費 法別12）の患者さんです。医療上必要の記載がないため後発医薬品を調剤します（特別の料金はかかりません）。",
        description: "生活保護 (公費 法別 12) patient and a target item without 医療上必要: dispense the generic; no charge",
        source: "生活保護法34条3項 (医療扶助における後発医薬品の使用原則化); FEES.md decision table",
    },
    Rule {
        id: "pre-selective-care",
        severity: S::Info,
        action: A::None,
        theme: T::Jpha,
        message: "交付年月日が2024年10月1日より前の処方箋です。長期収載品の選定療養は適用されません。",
        description: "issued before 2024-10-01: selective care does not apply",
        source: "seed 002 「選定療養とは」 (2024年10月以降); FEES.md 「A prescription issued before 2024-10-01 never carries the charge」",
    },
    Rule {
        id: "old-layout",
        severity: S::Info,
        action: A::None,
        theme: T::Jpha,
        message: "2024年10月以降に改正前の様式の処方箋が使われています（手書きで「医療上必要」「患者希望」を補記すれば当面使用可）。",
        description: "old layout used on or after 2024-10-01 (allowed for now if corrected by hand)",
        source: SEED_FORM,
    },
    // ---- Form compliance -----------------------------------------------------------------
    Rule {
        id: "issue-date-missing",
        severity: S::Error,
        action: A::Inquiry,
        theme: T::Form,
        message: "交付年月日の記載がありません。使用期間を確認できないため疑義照会してください。",
        description: "no 交付年月日",
        source: RULE_21,
    },
    Rule {
        id: "issue-date-future",
        severity: S::Error,
        action: A::Inquiry,
        theme: T::Form,
        message: "交付年月日（{issued}）が調剤日（{date}）より後になっています。疑義照会してください。",
        description: "the 交付年月日 is after the dispensing date",
        source: RULE_21,
    },
    Rule {
        id: "expired",
        severity: S::Error,
        action: A::Reject,
        theme: T::Form,
        message: "処方箋の使用期間（{until}まで）を過ぎています（調剤日 {date}）。このままでは調剤できません。",
        description: "the dispensing date is after the issue date + 3 days (4 days counting the issue day, holidays included), or after the written 使用期間",
        source: "保険医療機関及び保険医療養担当規則20条3号; 様式第二号「特に記載のある場合を除き、交付の日を含めて4日以内に保険薬局に提出すること」 (seed 002)",
    },
    Rule {
        id: "prescriber-unsigned",
        severity: S::Error,
        action: A::Inquiry,
        theme: T::Form,
        message: "保険医氏名の署名または記名押印がありません。疑義照会してください。",
        description: "no 保険医氏名 with 署名 or 記名押印",
        source: "医師法施行規則21条 (医師の記名押印又は署名); 様式第二号 保険医氏名 ㊞",
    },
    Rule {
        id: "patient-field-missing",
        severity: S::Error,
        action: A::Inquiry,
        theme: T::Form,
        message: "患者の{fields}の記載がありません。疑義照会してください。",
        description: "氏名, 生年月日 or 性別 missing",
        source: RULE_21,
    },
    Rule {
        id: "birth-date-future",
        severity: S::Error,
        action: A::Inquiry,
        theme: T::Form,
        message: "生年月日（{birth}）が{when}（{date}）より後になっています。疑義照会してください。",
        description: "the 生年月日 is after the issue date (or the dispensing date)",
        source: RULE_21,
    },
    Rule {
        id: "insurer-check-digit",
        severity: S::Error,
        action: A::Inquiry,
        theme: T::Form,
        message: "保険者番号 {value} が正しくありません（{detail}）。保険証を確認し、疑義照会してください。",
        description: "保険者番号 (8 digits, or 6 for 国保) fails its check digit",
        source: CHECK_DIGIT,
    },
    Rule {
        id: "public-payer-check-digit",
        severity: S::Error,
        action: A::Inquiry,
        theme: T::Form,
        message: "公費負担者番号 {value} が正しくありません（{detail}）。受給者証を確認し、疑義照会してください。",
        description: "公費負担者番号 fails its check digit",
        source: CHECK_DIGIT,
    },
    Rule {
        id: "recipient-check-digit",
        severity: S::Warning,
        action: A::Inquiry,
        theme: T::Form,
        message: "公費負担医療の受給者番号 {value} の検証番号が合いません（{detail}）。検証番号を使わない地方単独事業もあるため、受給者証で確認してください。",
        description: "受給者番号 fails its check digit (some local schemes don't use one)",
        source: CHECK_DIGIT,
    },
    Rule {
        id: "public-expense-missing-recipient",
        severity: S::Warning,
        action: A::Inquiry,
        theme: T::Form,
        message: "公費負担者番号 {value} に対応する受給者番号の記載がありません。受給者証を確認してください。",
        description: "a 公費負担者番号 is written without its 受給者番号",
        source: "様式第二号 (公費負担者番号と公費負担医療の受給者番号は対で記載)",
    },
    Rule {
        id: "institution-code-check-digit",
        severity: S::Error,
        action: A::Inquiry,
        theme: T::Form,
        message: "医療機関コード {value} が正しくありません（{detail}）。疑義照会してください。",
        description: "医療機関コード fails the check over 都道府県番号 + 点数表番号 + the first six digits of the code",
        source: CHECK_DIGIT,
    },
    Rule {
        id: "date-invalid",
        severity: S::Error,
        action: A::Review,
        theme: T::Form,
        message: "存在しない日付または不明な元号です。",
        description: "a date that does not exist or an unknown era",
        source: "FORMATS.md (元号の境界: 令和 2019-05-01, 平成 1989-01-08, 昭和 1926-12-25, 大正 1912-07-30)",
    },
    // ---- Drug lines ------------------------------------------------------------------------
    Rule {
        id: "strength-missing",
        severity: S::Warning,
        action: A::Inquiry,
        theme: T::Drug,
        message: "規格の記載がありません（{strengths} があります）。疑義照会してください。",
        description: "a drug with several strengths is written without one",
        source: "医師法施行規則21条 (薬名・分量); 処方箋の記載上の注意 (医薬品名は規格を含めて記載)",
    },
    Rule {
        id: "dose-missing",
        severity: S::Error,
        action: A::Inquiry,
        theme: T::Drug,
        message: "分量の記載がありません。疑義照会してください。",
        description: "no amount for an item",
        source: RULE_21,
    },
    Rule {
        id: "usage-missing",
        severity: S::Error,
        action: A::Inquiry,
        theme: T::Drug,
        message: "用法の記載がありません。疑義照会してください。",
        description: "no usage (用法) for a group",
        source: RULE_21,
    },
    Rule {
        id: "days-missing",
        severity: S::Error,
        action: A::Inquiry,
        theme: T::Drug,
        message: "内服薬ですが投与日数の記載がない、または日数として読めません。疑義照会してください。",
        description: "an internal-medicine group without days",
        source: "医師法施行規則21条 (用量); 内服薬処方せんの記載方法の在り方に関する検討会報告書 (MHLW 2010: 1日量と投与日数)",
    },
    Rule {
        id: "uneven-division",
        severity: S::Warning,
        action: A::Inquiry,
        theme: T::Drug,
        message: "1日量 {amount} は1日{times}回で割り切れず、不均等投与の指示もありません。1回量を疑義照会してください。",
        description: "a daily amount that does not divide by the times per day, with no uneven-dose detail",
        source: "内服薬処方せんの記載方法の在り方に関する検討会報告書 (MHLW 2010: 不均等投与は各服用時点の量を記載)",
    },
    Rule {
        id: "patch-amount",
        severity: S::Error,
        action: A::Inquiry,
        theme: T::Drug,
        message: "湿布薬: {detail}疑義照会してください。",
        description: "a patch (湿布薬) without amount per use and uses per day, or over 63 sheets per prescription without a reason",
        source: "平成28年度診療報酬改定 (湿布薬は1回当たりの使用量及び1日当たりの使用回数を記載); 令和4年度改定 保医発0304第1号 (1処方につき63枚超は理由を記載)",
    },
    Rule {
        id: "refill-count",
        severity: S::Error,
        action: A::Inquiry,
        theme: T::Drug,
        message: "リフィル可にチェックがありますが、{detail}（総使用回数は2回または3回）。疑義照会してください。",
        description: "リフィル可 marked with a count other than 2 or 3",
        source: "令和4年度診療報酬改定; 療担規則20条3号 (リフィル処方箋の総使用回数の上限は3回); 様式第二号「リフィル可 □（　回）」",
    },
    Rule {
        id: "refill-not-allowed",
        severity: S::Error,
        action: A::Inquiry,
        theme: T::Drug,
        message: "リフィル処方箋ですが、{kind}はリフィルで投薬できません。疑義照会してください。",
        description: "リフィル on a 湿布薬 or on a drug with a limited prescription length (麻薬, 向精神薬, 新医薬品)",
        source: "療担規則20条3号ロ; 保医発0304第1号 (令和4年): 投薬量に限度が定められている医薬品及び湿布薬はリフィル不可",
    },
    Rule {
        id: "items-missing",
        severity: S::Error,
        action: A::Review,
        theme: T::Drug,
        message: "処方欄に医薬品が1つも読み取れませんでした。原本の処方欄を確認してください。",
        description: "a prescription with no drug item (nothing prescribed, or the 処方 block could not be read)",
        source: RULE_21,
    },
    Rule {
        id: "amount-implausible",
        severity: S::Error,
        action: A::Inquiry,
        theme: T::Drug,
        message: "分量 {amount} は処方量として成り立ちません（0以下、または{limit}以上）。疑義照会してください。",
        description: "an amount of zero (or less) or of 100,000 units or more",
        source: "医師法施行規則21条 (分量・用量); FEES.md (quantities are computed from the amount)",
    },
    Rule {
        id: "days-over-limit",
        severity: S::Error,
        action: A::Inquiry,
        theme: T::Drug,
        message: "投薬期間の上限が{limit}日分の薬剤ですが、{days}日分処方されています。疑義照会してください。",
        description: "an oral 麻薬 or 向精神薬 prescribed for more days than its legal limit (14/30/90 days)",
        source: "療担規則20条2号ヘ・ト; 掲示事項等告示 (平成18年厚生労働省告示107号) 第10 二 投薬期間に上限が設けられている医薬品",
    },
    Rule {
        id: "unclosed-list",
        severity: S::Warning,
        action: A::None,
        theme: T::Drug,
        message: "処方の最後に「以下余白」（または終わりの線）がありません。追記の有無に注意してください。",
        description: "no 以下余白 (or closing line) after the last item",
        source: "FORMATS.md (The end of the list is closed with 以下余白); 処方箋記載の慣行 (追記・改ざんの防止)",
    },
    // ---- Reading quality -------------------------------------------------------------------
    Rule {
        id: "mark-ambiguous",
        severity: S::Warning,
        action: A::Review,
        theme: T::Reading,
        message: "変更不可・患者希望の印をどの薬剤・どの欄に付けたものか特定できません。原本で確認してください。",
        description: "a mark cannot be bound to exactly one item and one column",
        source: "FORMATS.md (marks in the 変更不可 / 患者希望 columns)",
    },
    Rule {
        id: "unknown-drug",
        severity: S::Warning,
        action: A::Review,
        theme: T::Reading,
        message: "医薬品マスター（{date}時点）に見つかりません。薬価・選定療養の判定ができないため、薬品名を確認してください。",
        description: "a drug is not found in the master in force",
        source: "PRODUCT.md (An unmatched drug is reported, never guessed)",
    },
    Rule {
        id: "undecodable-characters",
        severity: S::Error,
        action: A::Review,
        theme: T::Reading,
        message: "読み取れない文字（{chars}）を含みます: 「{text}」。文字化けの可能性があるため原本で確認してください。",
        description: "a drug line or the patient's name holds U+FFFD, a private-use or a control character (a decoding or OCR failure)",
        source: "FORMATS.md (decoding: never pass garbage on); PRODUCT.md (never silently wrong)",
    },
    Rule {
        id: "unparsed-line",
        severity: S::Warning,
        action: A::Review,
        theme: T::Reading,
        message: "処方欄の行を薬剤・用法・注記のいずれとしても読めませんでした。原本で確認してください。",
        description: "a line in the 処方 block that is neither a drug, a usage nor a known note",
        source: "FORMATS.md (text renderings)",
    },
    Rule {
        id: "jahis-structure",
        severity: S::Error,
        action: A::Review,
        theme: T::Reading,
        message: "2次元シンボルのレコード構成に誤りがあります。",
        description: "a 2D-symbol record refers to a missing RP/drug, breaks the record order rules, or has the wrong field count",
        source: "JAHIS 院外処方箋2次元シンボル記録条件規約 (record layout; FORMATS.md §4)",
    },
    Rule {
        id: "jahis-version",
        severity: S::Warning,
        action: A::Review,
        theme: T::Reading,
        message: "2次元シンボルのバージョンにないレコードまたはコードが使われています。",
        description: "a record or code used that the header's version does not have (e.g. 281 kind 8 under JAHIS9)",
        source: "JAHIS 院外処方箋2次元シンボル記録条件規約 (Ver.1.10 で 281 補足区分8 先発医薬品患者希望 を追加)",
    },
];

/// Every rule of the catalog.
pub fn catalog() -> &'static [Rule] {
    RULES
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// Fills `{key}` placeholders of a template; unknown placeholders are left as written.
///
/// ```
/// use shohosen::checks::catalog::fill;
/// assert_eq!(fill("{a}と{b}", &[("a", "X"), ("b", "Y")]), "XとY");
/// ```
pub fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// Output format of `shohosen rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogFormat {
    Table,
    Json,
}

fn severity_str(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

fn action_str(a: Action) -> &'static str {
    match a {
        Action::Inquiry => "inquiry",
        Action::Judge => "judge",
        Action::Explain => "explain",
        Action::Review => "review",
        Action::Reject => "reject",
        Action::None => "none",
    }
}

/// The catalog as an aligned table (id, severity, action, description, source) or JSON.
///
/// ```
/// use shohosen::checks::{render_catalog, CatalogFormat};
/// let t = render_catalog(CatalogFormat::Table);
/// assert!(t.contains("nosub-unsigned"));
/// let j: serde_json::Value = serde_json::from_str(&render_catalog(CatalogFormat::Json)).unwrap();
/// assert!(j.as_array().unwrap().len() >= 34);
/// ```
pub fn render_catalog(format: CatalogFormat) -> String {
    match format {
        CatalogFormat::Json => serde_json::to_string_pretty(RULES).unwrap_or_else(|_| "[]".into()),
        CatalogFormat::Table => {
            let id_w = RULES.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
            let mut out = format!(
                "{:id_w$}  {:8}  {:8}  {}\n",
                "id", "severity", "action", "when / source"
            );
            let mut theme = None;
            for r in RULES {
                if theme != Some(r.theme) {
                    theme = Some(r.theme);
                    let title = match r.theme {
                        Theme::Jpha => "# JPhA checklist (seed 002) and selective care",
                        Theme::Form => "# Form compliance",
                        Theme::Drug => "# Drug lines",
                        Theme::Reading => "# Reading quality",
                    };
                    out.push_str(title);
                    out.push('\n');
                }
                out.push_str(&format!(
                    "{:id_w$}  {:8}  {:8}  {}\n",
                    r.id,
                    severity_str(r.severity),
                    action_str(r.action),
                    r.description
                ));
                let pad = " ".repeat(id_w + 22);
                out.push_str(&format!("{pad}source: {}\n", r.source));
            }
            out
        }
    }
}

/// The Japanese word for an action, used in summaries.
pub fn action_label(a: Action) -> &'static str {
    match a {
        Action::Inquiry => "疑義照会が必要",
        Action::Judge => "薬剤師の判断が必要",
        Action::Explain => "患者さんへの説明が必要",
        Action::Review => "読み取り結果の確認が必要",
        Action::Reject => "このままでは調剤不可",
        Action::None => "参考情報",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ids of CHECKS.md, copied by hand from the spec: each must be in the catalog with
    /// the severity and action the spec gives.
    const CONTRACT: &[(&str, Severity, Action)] = &[
        ("nosub-unsigned", S::Error, A::Inquiry),
        ("nosub-no-reason", S::Error, A::Inquiry),
        ("nosub-and-wish", S::Error, A::Inquiry),
        ("general-name-nosub", S::Warning, A::Inquiry),
        ("general-name-wish", S::Warning, A::None),
        ("wish-not-target", S::Info, A::None),
        ("brand-unmarked", S::Info, A::Judge),
        ("selective-care", S::Info, A::Explain),
        ("welfare-patient", S::Info, A::Judge),
        ("pre-selective-care", S::Info, A::None),
        ("old-layout", S::Info, A::None),
        ("issue-date-missing", S::Error, A::Inquiry),
        ("expired", S::Error, A::Reject),
        ("prescriber-unsigned", S::Error, A::Inquiry),
        ("patient-field-missing", S::Error, A::Inquiry),
        ("insurer-check-digit", S::Error, A::Inquiry),
        ("public-payer-check-digit", S::Error, A::Inquiry),
        ("recipient-check-digit", S::Warning, A::Inquiry),
        ("institution-code-check-digit", S::Error, A::Inquiry),
        ("date-invalid", S::Error, A::Review),
        ("strength-missing", S::Warning, A::Inquiry),
        ("dose-missing", S::Error, A::Inquiry),
        ("usage-missing", S::Error, A::Inquiry),
        ("days-missing", S::Error, A::Inquiry),
        ("uneven-division", S::Warning, A::Inquiry),
        ("patch-amount", S::Error, A::Inquiry),
        ("refill-count", S::Error, A::Inquiry),
        ("refill-not-allowed", S::Error, A::Inquiry),
        ("unclosed-list", S::Warning, A::None),
        ("mark-ambiguous", S::Warning, A::Review),
        ("unknown-drug", S::Warning, A::Review),
        ("unparsed-line", S::Warning, A::Review),
        ("jahis-structure", S::Error, A::Review),
        ("jahis-version", S::Warning, A::Review),
    ];

    #[test]
    fn every_contract_id_is_in_the_catalog_as_specified() {
        for (id, sev, act) in CONTRACT {
            let r = rule(id).unwrap_or_else(|| panic!("{id} missing"));
            assert_eq!((r.severity, r.action), (*sev, *act), "{id}");
        }
    }

    #[test]
    fn ids_are_unique_and_every_rule_has_a_source_and_message() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        ids.sort();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n);
        for r in RULES {
            assert!(
                !r.source.is_empty() && !r.message.is_empty() && !r.description.is_empty(),
                "{}",
                r.id
            );
        }
    }

    #[test]
    fn table_lists_every_rule_with_its_source() {
        let t = render_catalog(CatalogFormat::Table);
        for r in RULES {
            assert!(t.contains(r.id));
            assert!(t.contains(r.source));
        }
        let j: serde_json::Value =
            serde_json::from_str(&render_catalog(CatalogFormat::Json)).unwrap();
        assert_eq!(j[0]["severity"], "error");
        assert_eq!(j.as_array().unwrap().len(), RULES.len());
    }
}

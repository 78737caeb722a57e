//! Lines of the 処方 block: drug lines, usage lines, amount-only lines, comments, closers.

use super::lex::TrimWs;
use super::lex::{self, AmountTok};
use super::marks;
use super::usage::{self, UsageFacts};
use crate::model::Flags;

/// 一般名処方 markers (folded).
pub const GENERAL_MARKERS: &[&str] = &["【般】", "(般)", "[般]", "〔般〕", "<般>", "《般》", "般)"];

/// Words that end the drug list.
pub const CLOSERS: &[&str] = &[
    "以下余白",
    "以下空白",
    "以下余日",
    "以下、余白",
    "以下、空白",
    "以下,余白",
];

/// Lines that only open the block (`Rp)`, 院外処方, 処方).
pub const OPENERS: &[&str] = &[
    "院外処方",
    "院内処方",
    "処方",
    "処",
    "方",
    "Rp",
    "Rp)",
    "RP)",
    "Rp:",
    "処方内容",
];

/// Dose-form words that make a token a drug name even without an amount.
pub const FORM_WORDS: &[&str] = &[
    "錠",
    "カプセル",
    "散",
    "顆粒",
    "細粒",
    "シロップ",
    "ドライシロップ",
    "液",
    "軟膏",
    "クリーム",
    "テープ",
    "パップ",
    "点眼",
    "点鼻",
    "坐剤",
    "坐薬",
    "注",
    "ゲル",
    "ローション",
    "吸入",
    "キット",
    "ディスカス",
    "エリプタ",
    "スプレー",
    "貼付",
    "OD",
    "内用",
    "ゼリー",
    "トローチ",
    "パッチ",
    "エキス",
];

/// Phrases of the printed form and of commentary that are neither drugs nor instructions.
pub const KNOWN_NOTES: &[&str] = &[
    "選定療養の対象",
    "調剤可",
    "記載すること",
    "差し支え",
    "特に記載のある場合",
    "この処方箋は",
    "ジェネリック",
    "一般名処方",
    "処方内容",
];

crate::word_table!(known_notes, KNOWN_NOTES);
crate::word_table!(comment_words, COMMENT_WORDS);
crate::word_table!(usage_starts, usage::USAGE_STARTS);
crate::word_table!(form_words, FORM_WORDS);

/// Dispensing instructions that make a line of the block a comment (kept with the group).
pub const COMMENT_WORDS: &[&str] = &[
    "一包化",
    "粉砕",
    "残薬",
    "分割",
    "別包",
    "半割",
    "簡易懸濁",
    "脱カプセル",
    "混合",
    "嚥下",
    "服薬",
    "調剤",
];

/// A parsed drug line.
#[derive(Debug, Clone, Default)]
pub struct DrugLine {
    pub rp: Option<u32>,
    pub name: String,
    pub general_name: bool,
    pub amount: Option<AmountTok>,
    /// Usage text written on the drug line after the amount.
    pub usage_text: String,
    pub usage: UsageFacts,
    pub flags: Flags,
    pub comments: Vec<String>,
}

/// Strips a 般 marker at the start of folded text.
pub fn strip_general(s: &str) -> (bool, &str) {
    let t = s.trim_ws_start();
    for m in GENERAL_MARKERS {
        if let Some(r) = t.strip_prefix(m) {
            return (true, r.trim_ws_start());
        }
    }
    match spaced_general(t) {
        Some(r) => (true, r.trim_ws_start()),
        None => (false, t),
    }
}

/// A bracketed 般 marker of [`GENERAL_MARKERS`] with OCR's spaces inside it (`【 般 】`,
/// `( 般)`): the rest after it. The bracket pairs are the table's own, so the two stay one.
fn spaced_general(t: &str) -> Option<&str> {
    GENERAL_MARKERS.iter().find_map(|m| {
        let mut cs = m.chars();
        let (Some(open), Some('般'), Some(close), None) =
            (cs.next(), cs.next(), cs.next(), cs.next())
        else {
            return None;
        };
        let r = t.strip_prefix(open)?.trim_ws_start().strip_prefix('般')?;
        r.trim_ws_start().strip_prefix(close)
    })
}

/// True when a token begins usage text (`分3`, `1日3回`, `毎食後`, `7日分`, `頓用`).
pub fn is_usage_start(tok: &str) -> bool {
    if usage_starts().starts(tok) {
        // `1回1錠` is an amount; `1日…` and `分3` are usage.
        return lex::amount_token(tok).is_none();
    }
    usage::starts_with_days_or_times(tok) || is_condition(tok)
}

/// A 頓服 condition as a word of its own: kana or kanji ending in 時 (`けいれん時`, `吐き気時`,
/// `発作時`), the grammar's `condition`. [`USAGE_STARTS`] holds the common ones; a condition
/// not in it must not open a drug line (`けいれん時 1回1個 2回分` is usage, not a drug).
fn is_condition(tok: &str) -> bool {
    tok.strip_suffix('時').is_some_and(|w| {
        !w.is_empty()
            && w.chars()
                .all(|c| matches!(c, '\u{3041}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}'))
    })
}

fn has_kana_or_han(s: &str) -> bool {
    s.chars().any(|c| {
        ('\u{3040}'..='\u{30FF}').contains(&c)
            || ('\u{4E00}'..='\u{9FFF}').contains(&c)
            || c.is_ascii_alphabetic()
    })
}

/// Two tokens that are one amount split by OCR: `2` + `錠`, `1回` + `1錠`.
fn glue(prev: &str, t: &str) -> bool {
    let numeric = !prev.is_empty() && prev.chars().all(|c| c.is_ascii_digit() || c == '.');
    // `1. 5錠`: a decimal point with the digits after it split off (read apart, the amount
    // would be 5).
    let split_decimal = numeric
        && prev.len() > 1
        && prev.ends_with('.')
        && !prev[..prev.len() - 1].contains('.')
        && t.starts_with(|c: char| c.is_ascii_digit());
    (numeric && lex::unit(t).is_ok())
        || split_decimal
        || (prev == "1回" && lex::amount_token(t).is_some())
}

/// The amount of a token that carries its potency basis glued on (`1.2g(製剤量)`,
/// `200mg(成分量)`, as pediatric prescriptions write it): the amount before the suffix. Written
/// with a space the suffix is a token of its own; glued, the token is split the same way so
/// that the amount is read (and the name does not swallow it).
///
/// A per-dose note glued on the same way (`2錠(1回1錠)`) is split off too: the amount is the
/// token's, the note is read as usage.
fn before_potency(t: &str) -> Option<&str> {
    let a = t
        .strip_suffix("(製剤量)")
        .or_else(|| t.strip_suffix("(成分量)"))
        .or_else(|| {
            let open = t.find('(')?;
            let inner = t[open + 1..].strip_suffix(')')?;
            inner.starts_with("1回").then_some(&t[..open])
        })?;
    lex::amount_token(a).is_some().then_some(a)
}

/// Whitespace tokens, with OCR-split amounts glued back: `2 錠` → `2錠`, `1回 1錠` → `1回1錠`;
/// an amount with its potency basis glued on is split from it (see [`before_potency`]).
fn merge_split_amounts(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in lex::words(body) {
        if let Some(a) = before_potency(t) {
            out.push(a.to_string());
            out.push(t[a.len()..].to_string());
            continue;
        }
        if let Some(prev) = out.last_mut()
            && glue(prev, t)
        {
            prev.push_str(t);
            continue;
        }
        out.push(t.to_string());
    }
    out
}

/// Tries to read folded text (Rp prefix allowed) as a drug line.
///
/// ```
/// use shohosen::text::items::drug_line;
/// let d = drug_line("2) ジスロマック錠250mg 2錠 1日1回夕食後 3日分", false).unwrap();
/// assert_eq!((d.rp, d.name.as_str()), (Some(2), "ジスロマック錠250mg"));
/// assert_eq!(d.usage.days, Some(3));
/// let p = drug_line("パタノール点眼液0.1% 5mL 2本", false).unwrap();
/// assert_eq!(p.amount.unwrap().package.unwrap().1, "mL");
/// assert!(drug_line("1日1回朝食後 3日分", false).is_none());
/// ```
pub fn drug_line(folded: &str, in_group_context: bool) -> Option<DrugLine> {
    drug_line_gated(folded, in_group_context, true)
}

/// [`drug_line`] for a caller that knows whether the text can hold an annotation: with
/// `annotations` false (no 不/希/必 anywhere in the line it comes from, see
/// [`marks::extract_annotations`]) the annotation search is skipped.
pub(crate) fn drug_line_gated(
    folded: &str,
    in_group_context: bool,
    annotations: bool,
) -> Option<DrugLine> {
    let (rp, rest) = match lex::rp_prefix(folded) {
        Some((n, r)) => (n, r),
        None => (None, folded.trim_ws()),
    };
    if rest.is_empty() {
        return None;
    }
    // Cheap reject before any copying: a line that opens with usage or an amount, with a
    // closer (以下余白) or a memo (`@…`), or that is only an opener (処方). The later checks
    // reject these too: an annotation or a 般 marker removed below cannot change how such a
    // first word starts (no annotation starts with a character of a closer, `@` or a digit),
    // and an opener alone is neither numbered nor holds an amount or a dose-form word.
    let early_first = lex::words(rest).next();
    if let Some(first) = early_first
        && (is_usage_start(first)
            || lex::amount_token(first).is_some()
            || CLOSERS.iter().any(|c| first.starts_with(c))
            || first.starts_with('@')
            || (rp.is_none() && OPENERS.contains(&rest)))
    {
        return None;
    }
    let (ann_rest, flags) = if annotations {
        marks::extract_annotations(rest)
    } else {
        (std::borrow::Cow::Borrowed(rest), Flags::default())
    };
    let (general, body) = strip_general(&ann_rest);
    let toks = super::few::Few::<16>::new(lex::words(body));
    let raw_toks: &[&str] = toks.as_slice();
    let merged: Vec<String>;
    let merged_refs: Vec<&str>;
    let toks: &[&str] = if raw_toks.windows(2).any(|w| glue(w[0], w[1]))
        || raw_toks
            .iter()
            .any(|t| t.ends_with(')') && before_potency(t).is_some())
    {
        merged = merge_split_amounts(body);
        merged_refs = merged.iter().map(String::as_str).collect();
        &merged_refs
    } else {
        raw_toks
    };
    let first = *toks.first()?;
    // The same slice of `rest` as the first word checked above (no annotation, 般 marker or
    // split amount changed the start): those checks passed already.
    let checked = early_first.is_some_and(|e| std::ptr::eq(e, first));
    if !checked
        && (is_usage_start(first)
            || lex::amount_token(first).is_some()
            || CLOSERS.iter().any(|c| first.starts_with(c))
            || first.starts_with('@'))
    {
        return None;
    }
    if !has_kana_or_han(first) {
        return None;
    }
    // Name: tokens up to the first amount or usage token.
    // The amount that ends the name is kept, not read a second time below.
    let mut k = 1;
    let mut at_k = None;
    while k < toks.len() {
        if let Some(a) = lex::amount_token(toks[k]) {
            at_k = Some(a);
            break;
        }
        if is_usage_start(toks[k]) {
            break;
        }
        k += 1;
    }
    // The name is built as one string (no token vector): `toks[..k]` joined by spaces.
    let mut name = toks[..k].join(" ");
    let mut amount = None;
    if let Some(a) = at_k {
        // `250mg 2錠`: a strength before a dose-form count belongs to the name;
        // `5mL 2本`: a content before a container count is the package.
        if let Some(b) = toks.get(k + 1).and_then(|t| lex::amount_token(t)) {
            if lex::PACKAGE_UNITS.contains(&b.unit.as_str()) && a.package.is_none() && !a.per_dose {
                let mut b = b;
                b.package = Some((a.value, a.unit.clone()));
                amount = Some(b);
                k += 2;
            } else if lex::FORM_UNITS.contains(&b.unit.as_str())
                && !lex::FORM_UNITS.contains(&a.unit.as_str())
            {
                name.push(' ');
                name.push_str(toks[k]);
                amount = Some(b);
                k += 2;
            } else {
                amount = Some(a);
                k += 1;
            }
        } else {
            amount = Some(a);
            k += 1;
        }
    }
    let looks_drug = rp.is_some()
        || amount.is_some()
        || form_words().any_in(&name)
        || (in_group_context && k < toks.len());
    if !looks_drug || known_notes().any_in(&name) || name.ends_with('。') {
        return None;
    }
    // A name alone (no number, amount or usage) that names a purpose (`インスリン注射用` under a
    // pen needle) or stands in brackets is a note on the drug above, not a drug.
    if rp.is_none() && amount.is_none() && k >= toks.len() && is_purpose_note(&name) {
        return None;
    }
    // After the amount: usage up to the days/times token, commentary after it.
    // Both are built as strings directly (tokens are never empty: a space goes before every
    // token but the first).
    let tail = &toks[k..];
    // One allocation: the tail's words and the spaces between them fit in `body`.
    let mut usage_text = if tail.is_empty() {
        String::new()
    } else {
        String::with_capacity(body.len())
    };
    let mut comment = String::new();
    let mut closed = false;
    for t in tail {
        if closed || known_notes().any_in(t) {
            if !comment.is_empty() {
                comment.push(' ');
            }
            comment.push_str(t);
            continue;
        }
        if !usage_text.is_empty() {
            usage_text.push(' ');
        }
        usage_text.push_str(t);
        if t.contains(['分', '間'])
            && (t.contains("日分") || t.contains("日間") || t.contains("回分"))
        {
            closed = true;
        }
    }
    let usage = usage::scan(&usage_text);
    Some(DrugLine {
        rp,
        name,
        general_name: general,
        amount,
        usage_text,
        usage,
        flags,
        comments: if comment.is_empty() {
            Vec::new()
        } else {
            vec![comment]
        },
    })
}

/// What a non-drug line of the block is.
#[derive(Debug, Clone)]
pub enum Other {
    /// `1日1回朝食後 3日分`.
    Usage(String, Box<UsageFacts>),
    /// `63枚` alone.
    Amount(AmountTok),
    /// `(後発品に変更不可)` alone: flags for the group.
    Annotation(Flags),
    /// `以上、一包化`, `@memo:…`, prose.
    Comment(String),
    /// `以下余白`.
    Close,
    /// `Rp)`, `処方`.
    Open,
    /// Printed-form boilerplate.
    Note,
    Unparsed,
}

/// Classifies a folded line that is not a drug line.
///
/// ```
/// use shohosen::text::items::{classify_other, Other};
/// assert!(matches!(classify_other("以下余白"), Other::Close));
/// assert!(matches!(classify_other("--- 以下余白 ---"), Other::Close));
/// assert!(matches!(classify_other("(後発品に変更不可)"), Other::Annotation(_)));
/// assert!(matches!(classify_other("分3 毎食後 5日分"), Other::Usage(..)));
/// assert!(matches!(classify_other("%%%"), Other::Unparsed));
/// ```
pub fn classify_other(folded: &str) -> Other {
    classify_other_gated(folded, true)
}

/// [`classify_other`] with the annotation search skipped when `annotations` is false (as in
/// [`drug_line_gated`]).
pub(crate) fn classify_other_gated(folded: &str, annotations: bool) -> Other {
    let t = folded.trim_ws();
    // Without inner whitespace the compact text is `t` itself (no copy).
    let c: std::borrow::Cow<'_, str> = if lex::find_ws(t, 0).is_some() {
        std::borrow::Cow::Owned(lex::compact(t))
    } else {
        std::borrow::Cow::Borrowed(t)
    };
    if c.is_empty() {
        return Other::Note;
    }
    // `matches!` sets rather than searching a string of the characters for each one.
    let bare = c.trim_matches(|ch: char| {
        matches!(
            ch,
            '(' | ')'
                | '【'
                | '】'
                | '['
                | ']'
                | '「'
                | '」'
                | '<'
                | '>'
                | '〈'
                | '〉'
                | '-'
                | '='
                | '_'
                | '―'
                | '─'
                | '━'
                | '・'
                | '*'
                | '※'
                | '|'
                | '│'
        )
    });
    if CLOSERS.iter().any(|w| bare.starts_with(w))
        || c.chars()
            .all(|ch| matches!(ch, '-' | '=' | '_' | '―' | '─' | '━'))
            && c.chars().count() >= 5
    {
        return Other::Close;
    }
    if OPENERS.contains(&&*c) || lex::rp_prefix(t).is_some_and(|(_, r)| r.is_empty()) {
        return Other::Open;
    }
    let (rest, flags) = if annotations {
        marks::extract_annotations(t)
    } else {
        (std::borrow::Cow::Borrowed(t), Flags::default())
    };
    if flags != Flags::default()
        && lex::compact(&rest)
            .chars()
            .all(|ch| "()【】[]※・、,".contains(ch))
    {
        return Other::Annotation(flags);
    }
    if let Some(a) = lex::amount_token(&c) {
        return Other::Amount(a);
    }
    let mut words = lex::words(t);
    let first = words.next().unwrap_or("");
    // A line that opens with usage is usage even when it ends with an instruction
    // (`分3 毎食後 7日分 一包化`); otherwise an instruction word makes it a comment, before the
    // days in `残薬調整のため14日分に変更可` could pass for usage. An instruction that is a
    // word of its own before the usage (`混合 1日2回 湿疹部に塗布`, `上記混合 …`) is the
    // group's usage too, the instruction kept in its text.
    let starts_usage = is_usage_start(first)
        || (COMMENT_WORDS.contains(&first.strip_prefix("上記").unwrap_or(first))
            && words.next().is_some_and(is_usage_start));
    if !starts_usage && (t.starts_with('@') || c.starts_with("以上") || comment_words().any_in(&c))
    {
        return Other::Comment(lex::squeeze(t));
    }
    if !starts_usage && is_purpose_note(bare) {
        return Other::Comment(lex::squeeze(t));
    }
    let f = usage::scan(t);
    if f.any()
        && (starts_usage
            || f.times_per_day.is_some()
            || f.days.is_some()
            || f.times.is_some()
            || f.action.is_some())
    {
        return Other::Usage(lex::squeeze(t), Box::new(f));
    }
    if known_notes().any_in(&c) {
        return Other::Note;
    }
    if c.ends_with('。') || is_note_prose(&c) {
        return Other::Comment(lex::squeeze(t));
    }
    Other::Unparsed
}

/// A note that names what the drug above is for (`インスリン注射用`, `(血糖測定用)`): it
/// ends in 用 and holds no number, time or 頓用 (`発熱時頓用` is usage), or it stands wholly
/// in brackets without a number.
fn is_purpose_note(t: &str) -> bool {
    if t.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let whole_bracket = t.len() > 2 && t.starts_with('(') && t.ends_with(')');
    let inner = if whole_bracket { &t[1..t.len() - 1] } else { t };
    // 用 after a verb or a usage word is an instruction or usage, not a purpose: 服用, 使用,
    // 頓用, 併用, 外用, 副作用, ….
    let purpose = inner.strip_suffix('用').is_some_and(|w| {
        w.chars().next_back().is_some_and(|c| {
            !matches!(
                c,
                '服' | '使' | '頓' | '併' | '内' | '外' | '常' | '飲' | '適' | '作' | '利' | '塗'
            )
        }) && !w.contains(['時', '頓'])
    });
    purpose || whole_bracket
}

/// Marks that open a prescriber's note (`※INR 2.1、前回と同量`, `*2剤一包化不可`).
const NOTE_MARKS: &[char] = &['※', '*', '☆', '★'];

/// Endings of a written instruction to the patient or the pharmacist
/// (`便秘が続く場合のみ服用`, `痛みが強い時に使用`, `食事と一緒にお飲みください`).
const PROSE_ENDINGS: &[&str] = &["服用", "使用", "ください", "下さい", "こと"];

/// A block line that is a note in words, not a drug or usage line the reader failed on: it
/// opens with a note mark, or it is a sentence (holds hiragana) that ends as an instruction
/// does. Only asked after the drug-line, usage and annotation readings have said no.
fn is_note_prose(compact: &str) -> bool {
    compact.starts_with(NOTE_MARKS)
        || (PROSE_ENDINGS.iter().any(|e| compact.ends_with(e))
            && compact
                .chars()
                .any(|ch| ('\u{3041}'..='\u{3096}').contains(&ch)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instruction_word_before_the_usage_is_usage() {
        for t in [
            "混合 1日2回 湿疹部に塗布",
            "上記混合 1日2回 塗布",
            "一包化 分3 毎食後 14日分",
        ] {
            assert!(matches!(classify_other(t), Other::Usage(..)), "{t}");
        }
        for t in [
            "残薬調整のため 14日分に変更可",
            "混合",
            "一包化してください",
            "混合して 1日2回",
        ] {
            assert!(!matches!(classify_other(t), Other::Usage(..)), "{t}");
        }
    }

    #[test]
    fn a_decimal_split_by_ocr_is_one_amount() {
        for (t, v) in [
            ("1) マグミット錠330mg 1. 5錠", "1.5"),
            ("ツムラ葛根湯エキス顆粒(医療用) 7. 5g", "7.5"),
            ("マグミット錠330mg 1.5錠", "1.5"),
            ("マグミット錠330mg 3錠", "3"),
        ] {
            let d = drug_line(t, false).unwrap_or_else(|| panic!("{t}"));
            let a = d.amount.unwrap_or_else(|| panic!("no amount: {t}"));
            assert_eq!(a.value.to_string(), v, "{t}");
        }
    }

    #[test]
    fn purpose_notes_are_no_drugs() {
        assert!(drug_line("インスリン注射用", true).is_none());
        assert!(drug_line("(インスリン注射用)", true).is_none());
        for t in ["インスリン注射用", "(インスリン注射用)", "(血糖測定用)"] {
            assert!(matches!(classify_other(t), Other::Comment(_)), "{t}");
        }
        // Still drugs and usage: a name with its amount or number, 頓用 and conditions.
        assert!(drug_line("ビクシリン注射用0.25g 2瓶", true).is_some());
        assert!(drug_line("2) ツムラ葛根湯エキス顆粒(医療用)", false).is_some());
        assert!(drug_line("ツムラ葛根湯エキス顆粒(医療用)", true).is_some());
        assert!(matches!(classify_other("発熱時頓用"), Other::Usage(..)));
    }

    #[test]
    fn notes_in_words_are_comments() {
        for t in [
            "※INR 2.1、前回と同量",
            "* 前回処方と同じ",
            "便秘が続く場合のみ服用",
            "食事と一緒にお飲みください",
            "痛みが強い時に使用",
        ] {
            assert!(matches!(classify_other(t), Other::Comment(_)), "{t}");
        }
        // No hiragana, no note mark: still not read (a garbled drug line stays unparsed).
        for t in ["%%%", "ABC錠 服用", "XYZ使用"] {
            assert!(matches!(classify_other(t), Other::Unparsed), "{t}");
        }
        // Usage that ends in 使用 stays usage.
        assert!(matches!(
            classify_other("1日2回 朝夕 使用"),
            Other::Usage(..)
        ));
    }

    #[test]
    fn conditions_start_usage() {
        for t in ["けいれん時", "吐き気時", "発作時", "疼痛時"] {
            assert!(is_usage_start(t), "{t}");
        }
        for t in ["時", "A時", "5時", "ダイアップ坐剤6", "時々"] {
            assert!(!is_condition(t), "{t}");
        }
        assert!(drug_line("けいれん時 1回1個 2回分", false).is_none());
    }

    #[test]
    fn potency_basis_glued_to_the_amount() {
        for (t, name, value) in [
            (
                "1)ワイドシリン細粒20% 1.2g(製剤量)",
                "ワイドシリン細粒20%",
                "1.2",
            ),
            (
                "2) ワイドシリン細粒20% 1.2g (製剤量)",
                "ワイドシリン細粒20%",
                "1.2",
            ),
            (
                "3) ムコダインDS50% 0.6g(成分量) 1日3回 5日分",
                "ムコダインDS50%",
                "0.6",
            ),
        ] {
            let d = drug_line(t, false).unwrap_or_else(|| panic!("{t}"));
            assert_eq!(d.name, name, "{t}");
            let a = d.amount.unwrap_or_else(|| panic!("no amount: {t}"));
            assert_eq!(
                (a.value.to_string(), a.unit.as_str()),
                (value.to_string(), "g")
            );
        }
        // A per-dose note glued to the amount is split off the same way.
        let d =
            drug_line("2) テオドール錠100mg 2錠(1回1錠)", false).unwrap_or_else(|| panic!("glued"));
        assert_eq!(d.name, "テオドール錠100mg");
        let a = d.amount.unwrap_or_else(|| panic!("no amount"));
        assert_eq!(
            (a.value.to_string(), a.unit.as_str()),
            ("2".to_string(), "錠")
        );
        assert_eq!(d.usage_text, "(1回1錠)");
        // An uneven dose in brackets stays part of the amount.
        assert_eq!(before_potency("6錠(3-2-1)"), None);
        // Not after an amount: the suffix stays where it is.
        assert_eq!(before_potency("細粒(製剤量)"), None);
        assert_eq!(before_potency("1.2g(製剤量)"), Some("1.2g"));
    }

    #[test]
    fn general_markers_with_ocr_spaces() {
        for t in [
            "【 般 】A錠",
            "( 般 ) A錠",
            "【般 】A錠",
            "[ 般]A錠",
            "《般 》 A錠",
            "【般】A錠",
        ] {
            assert_eq!(strip_general(t), (true, "A錠"), "{t}");
        }
        // Not a marker: another word in the brackets, or brackets that do not pair.
        for t in ["【 一般 】A錠", "( 般 】A錠", "般A錠", "【 般A錠"] {
            assert!(!strip_general(t).0, "{t}");
        }
    }

    #[test]
    fn drug_lines() {
        let d = drug_line("1) 【般】アムロジピン錠5mg 1錠 1日1回朝食後 28日分", false).unwrap();
        assert!(d.general_name);
        assert_eq!(d.name, "アムロジピン錠5mg");
        assert_eq!(d.usage.timing_key().as_deref(), Some("朝食後"));
        let e = drug_line("ヒルドイドソフト軟膏0.3% 25g 1日2回 患部に塗布", false).unwrap();
        assert_eq!(e.amount.unwrap().unit, "g");
        let f = drug_line("A錠 1日1回朝食後 28日分 選定療養の対象", false).unwrap();
        assert!(f.amount.is_none());
        assert_eq!(f.comments, vec!["選定療養の対象".to_string()]);
        let g = drug_line("プレドニン錠5mg 6錠(3-2-1)", false).unwrap();
        assert_eq!(g.amount.unwrap().uneven.len(), 3);
        let h = drug_line("ロキソニンテープ100mg(10cmx15cm)", false).unwrap();
        assert!(h.amount.is_none());
        assert!(drug_line("頭痛がする。", false).is_none());
        let r = drug_line("レンドルミン錠0.25mg 1回1錠", false).unwrap();
        assert!(r.amount.unwrap().per_dose);
    }
}

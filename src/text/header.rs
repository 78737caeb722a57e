//! Header fields of the form: labels found anywhere in a line (in their own cell or followed
//! by the value after spaces), OCR spaces inside labels ignored.
//!
//! A label's value is the text between the label and the next label on the same line.

use super::lex::TrimWs;
use super::lex::{self, DateFound};
use super::marks;
use crate::model::{InsuredKind, Leftover, Prescription, PublicExpense, ReadNote, Sex};
use std::borrow::Cow;

/// What a label introduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    PayerNumber,
    RecipientNumber,
    InsurerNumber,
    SymbolNumber,
    Symbol,
    Number,
    Branch,
    Name,
    Kana,
    Birth,
    Sex,
    InsuredKind,
    InstitutionBoth,
    InstitutionName,
    /// An EMR's 医療機関 / 保険医療機関: the name, with the address before it when written.
    Institution,
    Address,
    Phone,
    Prescriber,
    Prefecture,
    FeeTable,
    InstitutionCode,
    Issued,
    ValidUntil,
    Refill,
    Remarks,
    NosubSignature,
    /// The pharmacy block (調剤済年月日, 保険薬局, 保険薬剤師): everything after it is not ours.
    Pharmacy,
}

/// Labels (folded, no spaces) → field, and whether the label must start a cell/word
/// (short labels that occur inside other words). Matched longest-first at each position.
pub const LABELS: &[(&str, Field, bool)] = &[
    ("公費負担医療の受給者番号", Field::RecipientNumber, false),
    ("被保険者・被扶養者の別", Field::InsuredKind, false),
    (
        "被保険者証・被保険者手帳の記号・番号",
        Field::SymbolNumber,
        false,
    ),
    (
        "被保険者証・被保険者手帳の記号番号",
        Field::SymbolNumber,
        false,
    ),
    (
        "保険医療機関の所在地及び名称",
        Field::InstitutionBoth,
        false,
    ),
    ("保険医療機関の所在地", Field::Address, false),
    ("保険医療機関の名称", Field::InstitutionName, false),
    ("保険薬局の所在地及び名称", Field::Pharmacy, false),
    ("処方箋の使用期間", Field::ValidUntil, false),
    ("処方せんの使用期間", Field::ValidUntil, false),
    ("被保険者証の記号・番号", Field::SymbolNumber, false),
    ("公費負担者番号", Field::PayerNumber, false),
    // Clinic systems name the card (被保険者証) before each of its fields.
    ("被保険者証記号・番号", Field::SymbolNumber, false),
    ("被保険者証記号", Field::Symbol, false),
    ("被保険者証番号", Field::Number, false),
    // The 後期高齢者 card has a number only (no symbol), under this label.
    ("被保険者番号", Field::Number, false),
    ("記号・番号・枝番", Field::SymbolNumber, false),
    ("保険薬剤師氏名", Field::Pharmacy, false),
    ("医療機関コード", Field::InstitutionCode, false),
    ("機関コード", Field::InstitutionCode, true),
    ("医療機関所在地", Field::Address, false),
    ("受給者番号", Field::RecipientNumber, false),
    ("保険者番号", Field::InsurerNumber, false),
    ("医療機関名称", Field::InstitutionName, false),
    ("都道府県番号", Field::Prefecture, false),
    ("調剤済年月日", Field::Pharmacy, false),
    ("点数表番号", Field::FeeTable, false),
    ("保険医氏名", Field::Prescriber, false),
    ("保険医署名", Field::NosubSignature, false),
    ("交付年月日", Field::Issued, false),
    // OCR reads 日 as 曰 (one stroke shorter).
    ("交付年月曰", Field::Issued, false),
    // Short forms of clinic systems. They stand as labels only on their own (a word
    // follows none of them: 「保険医療機関へ疑義照会」 and 「医師の指示」 are prose).
    ("保険医療機関", Field::Institution, true),
    ("医療機関", Field::Institution, true),
    ("交付日", Field::Issued, true),
    ("患者名", Field::Name, true),
    ("医師", Field::Prescriber, true),
    ("保険医", Field::Prescriber, true),
    ("担当医", Field::Prescriber, true),
    ("医療機関名", Field::InstitutionName, false),
    ("リフィル可", Field::Refill, false),
    ("記号・番号", Field::SymbolNumber, false),
    ("記号番号", Field::SymbolNumber, false),
    ("生年月日", Field::Birth, false),
    ("フリガナ", Field::Kana, true),
    ("ふりがな", Field::Kana, true),
    ("電話番号", Field::Phone, false),
    ("使用期間", Field::ValidUntil, true),
    ("医師氏名", Field::Prescriber, true),
    ("医師名", Field::Prescriber, true),
    ("所在地", Field::Address, true),
    ("氏名", Field::Name, false),
    ("カナ", Field::Kana, true),
    ("性別", Field::Sex, true),
    ("区分", Field::InsuredKind, true),
    // Clinic systems name the 区分 by its plain words, or as a family relation.
    ("本人・家族", Field::InsuredKind, true),
    ("本人/家族", Field::InsuredKind, true),
    ("続柄", Field::InsuredKind, true),
    ("電話", Field::Phone, true),
    ("TEL", Field::Phone, true),
    ("備考", Field::Remarks, true),
    ("記号", Field::Symbol, true),
    ("番号", Field::Number, true),
    ("枝番", Field::Branch, false),
];

/// One label found in a line: field and the byte span of the label in the folded line.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    pub field: Field,
    pub start: usize,
    pub end: usize,
}

/// One entry of the label index: [`LABELS`] with the first character kept apart, so that a
/// character of a line is compared with it before anything else.
struct Label {
    first: char,
    text: &'static str,
    field: Field,
    boundary: bool,
}

type LabelIndex = super::words::ByLowByte<Label>;

/// [`LABELS`] bucketed by the low byte of their first character (built once), longest first
/// within a bucket: a character of a line finds its candidates by one index, no hash.
fn label_index() -> &'static LabelIndex {
    static INDEX: std::sync::OnceLock<LabelIndex> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut m = LabelIndex::default();
        for &(text, field, boundary) in LABELS {
            if let Some(first) = text.chars().next() {
                m.push(
                    first,
                    Label {
                        first,
                        text,
                        field,
                        boundary,
                    },
                );
            }
        }
        m.sort_by_key(|l| std::cmp::Reverse(l.text.chars().count()));
        m
    })
}

/// The labels that start with `c`, longest first (in table order among equals).
fn labels_starting(index: &LabelIndex, c: char) -> impl Iterator<Item = &Label> {
    // The bucket also holds labels of other first characters with the same low byte.
    index.get(c).iter().filter(move |l| l.first == c)
}

/// True when the first non-space character of the line can begin a label.
pub fn may_start_label(line: &str) -> bool {
    line.chars()
        .find(|c| !lex::is_ws(*c))
        .is_some_and(|c| labels_starting(label_index(), c).next().is_some())
}

/// Finds the labels of a folded line (spaces inside labels allowed).
///
/// ```
/// use shohosen::text::header::{find_labels, Field};
/// let hits = find_labels("保 険 者 番 号 06132015");
/// assert_eq!(hits[0].field, Field::InsurerNumber);
/// ```
pub fn find_labels(line: &str) -> Vec<Hit> {
    let mut hits = Vec::new();
    find_labels_into(line, &mut hits);
    hits
}

/// [`find_labels`] into a buffer kept by the caller (cleared first): the form parser looks
/// for labels on most lines, and one buffer for the whole parse saves an allocation each.
///
/// ```
/// use shohosen::text::header::{find_labels_into, Field};
/// let mut hits = Vec::new();
/// find_labels_into("氏名 山田太郎", &mut hits);
/// find_labels_into("保険者番号 06132015", &mut hits);
/// assert_eq!(hits.len(), 1);
/// assert_eq!(hits[0].field, Field::InsurerNumber);
/// ```
pub fn find_labels_into(line: &str, hits: &mut Vec<Hit>) {
    hits.clear();
    let index = label_index();
    let b = line.as_bytes();
    // One pass over the characters; after a label the next try starts at its end (the
    // characters inside it begin no label). Whitespace begins no label either: no label's
    // first character is whitespace, so the index has nothing for it.
    let mut start = 0;
    while let Some(&x) = b.get(start) {
        // Decoded by hand from the bytes (the line is valid UTF-8): ASCII and the
        // three-byte characters every Japanese label begins with are the whole line nearly
        // always, and `chars()` costs several times as much per character.
        let (c0, len) = match x {
            0x00..=0x7F => (char::from(x), 1),
            0xE0..=0xEF => (super::cells::char3(b, start), 3),
            _ => line[start..]
                .chars()
                .next()
                .map_or(('\0', 1), |c| (c, c.len_utf8())),
        };
        // Most characters find an empty bucket: nothing more is done for them.
        let bucket = index.get(c0);
        let hit = if bucket.is_empty() {
            None
        } else {
            label_at(bucket, line, start, c0, len)
        };
        match hit {
            Some(h) => {
                start = h.end;
                hits.push(h);
            }
            None => start += len,
        }
    }
}

/// The label that starts at byte `start` of `line` with the character `c0` (`len` bytes
/// long), among the labels of its `bucket`: the longest that matches and stands as a label
/// there.
fn label_at(bucket: &[Label], line: &str, start: usize, c0: char, len: usize) -> Option<Hit> {
    // The bucket also holds labels of other first characters with the same low byte.
    for label in bucket.iter().filter(|l| l.first == c0) {
        // The first character is equal already: the rest is matched from after it.
        let Some(end) = spaced_match(line, start + len, &label.text[len..]) else {
            continue;
        };
        let before = line[..start].chars().next_back();
        let after = line[end..].chars().next();
        if label.boundary {
            // Short labels must stand alone: `カナマイシン` and `半角カナ` are not labels.
            let opens = |p: char| {
                matches!(
                    p,
                    '(' | ')' | '（' | '）' | '【' | '】' | '[' | ']' | '・' | ':'
                )
            };
            if before.is_some_and(|p| !(lex::is_ws(p) || opens(p))) {
                continue;
            }
            if after.is_some_and(is_word_char) {
                continue;
            }
        }
        // Labels in a sentence are not labels (「保険医署名」欄に署名…).
        if before == Some('「') || after == Some('」') || after == Some('欄') {
            continue;
        }
        return Some(Hit {
            field: label.field,
            start,
            end,
        });
    }
    None
}

/// The end (byte offset) of `label` matched at byte `start` of `line`, whitespace in the
/// line skipped before each of its characters (OCR spaces inside labels); None when it
/// differs.
fn spaced_match(line: &str, start: usize, label: &str) -> Option<usize> {
    // Bytes first: a label is mostly printed as is, and most candidates differ from the
    // line within a character or two.
    let same = line.as_bytes()[start..]
        .iter()
        .zip(label.as_bytes())
        .take_while(|(x, y)| x == y)
        .count();
    if same == label.len() {
        return Some(start + same);
    }
    // The equal bytes are whole characters up to the one where they differ (UTF-8 is
    // prefix-free), so `k` is a character boundary of both. Only whitespace in the line
    // there can still make them match: otherwise the characters simply differ.
    let k = (0..=same)
        .rev()
        .find(|&k| label.is_char_boundary(k))
        .unwrap_or(0);
    if !line[start + k..].starts_with(lex::is_ws) {
        return None;
    }
    spaced_match_slow(line, start + k, &label[k..])
}

/// [`spaced_match`] character by character.
fn spaced_match_slow(line: &str, start: usize, label: &str) -> Option<usize> {
    let mut rest = line[start..]
        .char_indices()
        .filter(|(_, c)| !lex::is_ws(*c));
    let mut end = start;
    for a in label.chars() {
        match rest.next() {
            Some((o, c)) if c == a => end = start + o + c.len_utf8(),
            _ => return None,
        }
    }
    Some(end)
}

/// Kana or ideograph: a label followed by one is part of a longer word.
fn is_word_char(c: char) -> bool {
    ('\u{3040}'..='\u{30FF}').contains(&c) || ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Legal forms of the bodies that run clinics and hospitals, as a name's first word.
const CORPORATIONS: [&str; 8] = [
    "医療法人",
    "社会医療法人",
    "特定医療法人",
    "社会福祉法人",
    "一般社団法人",
    "一般財団法人",
    "公益社団法人",
    "公益財団法人",
];

/// Where the first space-separated word of `a` that opens with a legal form
/// ([`CORPORATIONS`]) starts: the address ends there and the institution's name begins.
fn corporation_at(a: &str) -> Option<usize> {
    let mut at = 0;
    for w in a.split(' ') {
        if CORPORATIONS.iter().any(|c| w.starts_with(c)) {
            return Some(at);
        }
        at += w.len() + 1;
    }
    None
}

/// An address: a prefecture/city word and a digit (`東京都千代田区神田1-2`).
fn looks_like_address(v: &str) -> bool {
    // `matches!` rather than `"都道…".contains(c)`: for a non-ASCII character that is a
    // substring search per character.
    v.chars().any(|c| {
        matches!(
            c,
            '都' | '道' | '府' | '県' | '市' | '区' | '町' | '村' | '郡'
        )
    }) && v.bytes().any(|b| b.is_ascii_digit())
}

/// Replaces a printed era list (`明・大・昭・平・令`) by the era marked in it (`○昭`, `(昭)`);
/// None when the list has no single mark (the year cannot be read then).
///
/// A date written in full after the list (`明・大・昭・平・令 平成27年6月30日`) needs no mark:
/// the list is only the form's printed choices then, and is dropped.
fn choose_era(v: &str) -> Option<String> {
    // A char array, not a `&str`: `str::contains` with a kanji runs a substring search.
    const ERAS: [char; 5] = ['明', '大', '昭', '平', '令'];
    let chars: Vec<char> = v.chars().collect();
    // Find a run like 明・大・昭・平・令 (three or more era characters joined by ・). The
    // first character of a written era name (平 of 平成) begins the date, not the list.
    let mut start = None;
    let mut count = 0;
    let mut end = 0;
    let mut marked: Vec<char> = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        if ERAS.contains(c) && !starts_era_name(&chars[i..]) {
            if start.is_none() {
                start = Some(i);
            }
            count += 1;
            end = i + 1;
            let before = i.checked_sub(1).and_then(|k| chars.get(k)).copied();
            let after = chars.get(i + 1).copied();
            if before.is_some_and(|b| b == '○' || b == '◯' || marks::ticked(b))
                || (before == Some('(') && after == Some(')'))
            {
                marked.push(*c);
            }
        } else if !(*c == '・'
            || *c == ' '
            || *c == '○'
            || *c == '◯'
            || *c == '('
            || *c == ')'
            || marks::ticked(*c))
        {
            if count >= 3 {
                break;
            }
            start = None;
            count = 0;
            marked.clear();
        }
    }
    let Some(s) = start else {
        return Some(v.to_string());
    };
    if count < 3 {
        return Some(v.to_string());
    }
    let prefix: String = chars[..s].iter().collect();
    let rest: String = chars[end..].iter().collect();
    // Without the list the era of a date found after it is written there, not chosen.
    if lex::find_date(&rest).is_some() {
        return Some(format!("{prefix}{rest}"));
    }
    let [era] = marked.as_slice() else {
        return None;
    };
    let rest = rest.trim_start_matches([')', ' ']);
    Some(format!("{prefix}{era}{rest}"))
}

/// True when `chars` begin with an era name written out (`平成`, `令和`): its first character
/// is then not one of a printed era list's choices.
fn starts_era_name(chars: &[char]) -> bool {
    matches!(
        chars,
        ['明', '治', ..]
            | ['大', '正', ..]
            | ['昭', '和', ..]
            | ['平', '成', ..]
            | ['令', '和', ..]
    )
}

/// Cleans a value: whitespace squeezed, separators and brackets at the ends trimmed.
///
/// Trimmed first, then squeezed: the same text as squeezing first (the ends trimmed are
/// whitespace and separators either way), and most values are then already squeezed, so
/// they are borrowed instead of copied.
fn clean(v: &str) -> Cow<'_, str> {
    let t = v.trim_matches(is_value_edge);
    if is_squeezed(t) {
        Cow::Borrowed(t)
    } else {
        Cow::Owned(lex::squeeze(t))
    }
}

/// What [`clean`] trims from the ends of a value.
fn is_value_edge(c: char) -> bool {
    lex::is_ws(c) || matches!(c, ':' | '：' | '(' | ')' | '[' | ']' | '【' | '】')
}

/// True when every whitespace character of `t` is a lone ASCII space (what [`lex::squeeze`]
/// leaves), i.e. squeezing a trimmed `t` would not change it.
fn is_squeezed(t: &str) -> bool {
    let mut from = 0;
    while let Some((i, len)) = lex::find_ws(t, from) {
        if len != 1 || t.as_bytes()[i] != b' ' || (i > 0 && i == from) {
            return false;
        }
        from = i + 1;
    }
    true
}

/// A field's value cleaned for storing; person names lose OCR letter spacing first.
fn field_value(f: Field, raw: &str) -> Cow<'_, str> {
    if matches!(f, Field::Name | Field::Prescriber)
        && let Some(n) = despace_name(raw)
    {
        return Cow::Owned(clean(&n).into_owned());
    }
    clean(raw)
}

/// An OCR-spaced name (`佐 藤  花 子`: every kanji/kana one space apart, a wider gap of two or
/// more spaces between family and given name) as `佐藤 花子`; None for anything else, so that
/// `山田 太郎` stays as written. A trailing seal `印`/`㊞` is kept apart.
///
/// The wide gap is two spaces or a tab in the folded text (the space-aligned splitter turns an
/// ideographic space between one-letter words into a cell break, i.e. a tab). An ideographic
/// space that reaches here was folded to one space and cannot be told from letter spacing.
///
/// Without a wide gap (`上 田 真 理`) the split between family and given name is unknown: the
/// letters are joined (`上田真理`), which reads better than letter spacing. Only from three
/// one-letter words on: two (`林 誠`) may be a one-letter family and given name as written.
fn despace_name(raw: &str) -> Option<String> {
    let t = raw.trim_matches(|c: char| lex::is_ws(c) || matches!(c, ':' | '：'));
    // Every word of a spaced name is one letter: two letters side by side (`山田`) rule it
    // out before anything is copied.
    let mut prev_letter = false;
    for c in t.chars() {
        let letter = !c.is_whitespace();
        if letter && prev_letter {
            return None;
        }
        prev_letter = letter;
    }
    let t = t.replace('\t', "  ");
    let is_letter =
        |c: char| matches!(c, '\u{3041}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}' | '々' | '〆');
    let mut words: Vec<String> = Vec::new();
    let mut spaced = false;
    let mut seal = None;
    for (i, part) in t
        .split("  ")
        .filter(|w| !w.trim_ws().is_empty())
        .enumerate()
    {
        let mut word = String::new();
        let toks: Vec<&str> = part.split(' ').filter(|w| !w.is_empty()).collect();
        for (j, tok) in toks.iter().enumerate() {
            let mut cs = tok.chars();
            let (Some(c), None) = (cs.next(), cs.next()) else {
                return None;
            };
            if (c == '印' || c == '㊞') && i > 0 && j + 1 == toks.len() {
                seal = Some(c);
                continue;
            }
            if !is_letter(c) {
                return None;
            }
            word.push(c);
        }
        spaced |= toks.len() > 1;
        if !word.is_empty() {
            words.push(word);
        }
    }
    let unsplit = words.len() == 1 && words[0].chars().count() >= 3;
    if !(words.len() == 2 || unsplit) || !spaced {
        return None;
    }
    let mut out = words.join(" ");
    if let Some(c) = seal {
        out.push(' ');
        out.push(c);
    }
    Some(out)
}

/// The ASCII digits of `v`, in order. Bytes suffice: no byte of a multi-byte character is
/// an ASCII digit. One allocation, not one per doubling.
fn digits(v: &str) -> String {
    let mut d = String::with_capacity(v.len());
    d.extend(v.bytes().filter(u8::is_ascii_digit).map(char::from));
    d
}

fn non_empty(s: String) -> Option<String> {
    if s.is_empty() { None } else { Some(s) }
}

/// Keeps the first value a field is given: `value` is built (and stored when not empty)
/// only while the field is still unset.
fn first_of(field: &mut Option<String>, value: impl FnOnce() -> String) {
    if field.is_none() {
        *field = non_empty(value());
    }
}

/// Header state across lines of one prescription.
#[derive(Debug, Default)]
pub struct HeaderState {
    /// Inside the pharmacy block: no more header facts are ours.
    pub pharmacy: bool,
    pending_payer: Option<String>,
    /// The 所在地及び名称 line held only the address; the next unlabelled line is the name.
    want_institution_name: bool,
    /// The line of that address: a name in the last cell of the line right under it is taken
    /// also when the line holds other cells (the patient's, on the flattened form).
    address_line: u32,
    /// A label ended the previous line with no value: the next unlabelled line is its value.
    pending: Option<(Field, u32)>,
    /// An unlabelled line of katakana only (a reading printed over the name, or in brackets
    /// under it) and its line: the kana when the name is on the line next to it.
    kana_line: Option<(String, u32)>,
    /// The line the patient's name was read from.
    name_line: Option<u32>,
}

/// The reading of an unlabelled line that holds only katakana words (`イシカワ　ケンタ`,
/// `（サイトウ　ハナコ）`), without its brackets.
fn kana_only(line: &str) -> Option<&str> {
    let t = line.trim_ws();
    let t = t
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .map_or(t, str::trim_ws);
    let mut kana = 0;
    for c in t.chars() {
        match c {
            '\u{30A1}'..='\u{30FA}' | 'ー' => kana += 1,
            ' ' | '・' => {}
            _ => return None,
        }
    }
    (kana >= 2).then_some(t)
}

/// Reads the header facts of one folded line into `p`. Returns true when the line had labels.
pub fn read_line(line: &str, line_no: u32, p: &mut Prescription, st: &mut HeaderState) -> bool {
    read_line_with(line, &find_labels(line), line_no, p, st)
}

/// [`read_line`] with the labels already found by [`find_labels`] on the same line.
pub fn read_line_with(
    line: &str,
    hits: &[Hit],
    line_no: u32,
    p: &mut Prescription,
    st: &mut HeaderState,
) -> bool {
    if hits.is_empty() {
        // A reading next to the name (above it, or under it in brackets).
        if !st.pharmacy
            && p.patient.kana.is_none()
            && let Some(k) = kana_only(line)
        {
            if st.name_line.is_some_and(|n| n + 1 == line_no) {
                p.patient.kana = Some(k.to_string());
                return true;
            }
            st.kana_line = Some((k.to_string(), line_no));
        }
        if st.want_institution_name && !st.pharmacy {
            st.want_institution_name = false;
            let v = clean(line);
            if !v.is_empty() && !v.contains(' ') && p.institution.name.is_none() {
                p.institution.name = Some(v.into_owned());
                return true;
            }
            // Other cells beside it (the patient's reading under the name on the flattened
            // form): the last cell, when it reads as an institution's name.
            if st.address_line + 1 == line_no
                && p.institution.name.is_none()
                && let Some((_, name)) = institution_cell_at_end(line, 0)
            {
                p.institution.name = Some(name);
            }
        }
        // A label alone on the line before: this line is its value (cells read top-down).
        if let Some((f, at)) = st.pending.take()
            && !st.pharmacy
            && line_no == at + 1
        {
            let v = field_value(f, line);
            if !v.is_empty() {
                set_field(f, &v, line_no, p, st);
                return true;
            }
        }
        read_unlabelled(line, p);
        return false;
    }
    // A label alone at the end of the line before, and this line opens with unlabelled text
    // before its own labels (`記号・番号` / `40102304・12（枝番）00`, the value under its label
    // with the 枝番 label inside it): that text is the pending label's value.
    if let Some((f, at)) = st.pending.take()
        && !st.pharmacy
        && line_no == at + 1
        && let Some(first) = hits.first()
    {
        let v = field_value(f, &line[..first.start]);
        if !v.is_empty() {
            set_field(f, &v, line_no, p, st);
        }
    }
    // The name under an address that ended the line before, in the last cell of a row of
    // patient cells (`生年月日 … 男 こすぎ内科クリニック`): taken, and out of the last value.
    let mut line_end = line.len();
    if st.want_institution_name
        && st.address_line + 1 == line_no
        && !st.pharmacy
        && p.institution.name.is_none()
        && let Some(last) = hits.last()
        && let Some((at, name)) = institution_cell_at_end(line, last.end)
    {
        st.want_institution_name = false;
        p.institution.name = Some(name);
        line_end = at;
    }
    let had_name = p.patient.name.is_some();
    for (k, h) in hits.iter().enumerate() {
        if st.pharmacy {
            break;
        }
        let end = hits.get(k + 1).map_or(line_end, |n| n.start);
        let raw_v = &line[h.end..end];
        let v = field_value(h.field, raw_v);
        if v.is_empty() && k + 1 == hits.len() && VALUE_BELOW.contains(&h.field) {
            st.pending = Some((h.field, line_no));
        }
        set_field(h.field, &v, line_no, p, st);
    }
    if !had_name && p.patient.name.is_some() {
        st.name_line = Some(line_no);
        if let Some((k, at)) = st.kana_line.take()
            && at + 1 == line_no
            && p.patient.kana.is_none()
        {
            p.patient.kana = Some(k);
        }
    }
    read_unlabelled(line, p);
    true
}

/// Last words of institutions' names (`…内科`, `…クリニック`): what tells a name from a
/// patient's cell.
const INSTITUTION_ENDS: [&str; 6] = ["クリニック", "医院", "病院", "診療所", "科", "センター"];

/// The last tab cell of `line` after byte `from`, cleaned, with the byte where it starts, when
/// other text stands before it there and it ends as an institution's name
/// ([`INSTITUTION_ENDS`]); None for anything else.
fn institution_cell_at_end(line: &str, from: usize) -> Option<(usize, String)> {
    let (head, last) = line.get(from..)?.rsplit_once('\t')?;
    let name = clean(last);
    if head.trim_ws().is_empty() || !INSTITUTION_ENDS.iter().any(|e| name.ends_with(e)) {
        return None;
    }
    Some((from + head.len(), name.into_owned()))
}

/// Fields whose value may stand on the next line when the label ends its line. Not the
/// 保険医署名 box or 備考: printed notes follow those, and must not count as a signature.
const VALUE_BELOW: &[Field] = &[
    Field::PayerNumber,
    Field::RecipientNumber,
    Field::InsurerNumber,
    Field::SymbolNumber,
    Field::Name,
    Field::Kana,
    Field::Birth,
    Field::InstitutionBoth,
    Field::InstitutionName,
    Field::Institution,
    Field::Address,
    Field::Phone,
    Field::Prescriber,
    Field::Prefecture,
    Field::FeeTable,
    Field::InstitutionCode,
    Field::Issued,
    Field::ValidUntil,
];

/// `v` with OCR spaces inside a date's numbers taken out: digits one space apart whose last
/// group stands before 年, 月 or 日 (or 曰, OCR's 日; spaces between allowed) are one number
/// (`令和6年1 1月1 8日` → `令和6年11月18日`, `昭和 5 2年` → `昭和 52年`). Only there: a space
/// between digits elsewhere (`S35.4.12 65歳`) separates numbers, and a space between whole
/// fields (`令和 6年 11月`) is left as it is.
fn join_date_digits(v: &str) -> Cow<'_, str> {
    let b = v.as_bytes();
    // Nearly every date has no digit, space, digit: it is borrowed after one byte scan.
    if !b
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b' ' && w[2].is_ascii_digit())
    {
        return Cow::Borrowed(v);
    }
    // OCR reads 日 as 曰 (one stroke shorter): a unit all the same.
    // A space may stand before the unit too (`3 7 年`: every letter spaced).
    let unit_at = |i: usize| {
        let rest = v[i..].trim_start_matches(' ');
        ["年", "月", "日", "曰"].iter().any(|u| rest.starts_with(u))
    };
    let mut out = String::with_capacity(v.len());
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            let Some(c) = v[i..].chars().next() else {
                break;
            };
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        // A run of digit groups one space apart: [i, end).
        let mut end = i;
        loop {
            while b.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
            if b.get(end) == Some(&b' ') && b.get(end + 1).is_some_and(u8::is_ascii_digit) {
                end += 1;
            } else {
                break;
            }
        }
        let run = &v[i..end];
        if end < b.len() && unit_at(end) {
            out.extend(run.chars().filter(|c| *c != ' '));
        } else {
            out.push_str(run);
        }
        i = end;
    }
    Cow::Owned(out)
}

/// The letters OCR reads for the digits 1 (`l`, `I`) and 0 (`O`, `o`).
fn is_ocr_digit(b: u8) -> bool {
    matches!(b, b'l' | b'I' | b'O' | b'o')
}

/// `v` with OCR's letters for digits (`l`/`I` for 1, `O`/`o` for 0) read as the digits, in a
/// numeric value (a number, code, phone or date): `O11-251-4433`, `5 O 8 l 2 7 5`, `l9曰`.
///
/// Only in a word of digits and those letters (a word with any other letter, `Tel`, `No`,
/// stays as written), and only where digits show it is a number: the word holds a digit, or a
/// word one space apart from it does (`O 6 2 2`), or the words are the whole value (`O l`
/// after 枝番). Dropping the letters instead cut numbers short or out (`O53` → `53`).
fn ocr_digits(v: &str) -> Cow<'_, str> {
    let b = v.as_bytes();
    // Nearly every value has none of the letters: one byte scan, borrowed.
    if !b.iter().copied().any(is_ocr_digit) {
        return Cow::Borrowed(v);
    }
    // The whole value without the brackets and separators at its ends (all ASCII or
    // multi-byte, so trimming by char gives byte offsets of the same text).
    let inner = v.trim_matches(is_value_edge);
    let inner_start = inner.as_ptr() as usize - v.as_ptr() as usize;
    let inner_end = inner_start + inner.len();
    // The ASCII words: (start, end, only digits and OCR letters, holds a digit).
    let mut words: Vec<(usize, usize, bool, bool)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        let (mut ok, mut digit) = (true, false);
        while let Some(&c) = b.get(i).filter(|c| c.is_ascii_alphanumeric()) {
            ok &= c.is_ascii_digit() || is_ocr_digit(c);
            digit |= c.is_ascii_digit();
            i += 1;
        }
        words.push((start, i, ok, digit));
    }
    let mut out = b.to_vec();
    let mut changed = false;
    let mut k = 0;
    while k < words.len() {
        if !words[k].2 {
            k += 1;
            continue;
        }
        // A chain of such words, spaces only between them: words[k..n].
        let mut n = k + 1;
        while n < words.len()
            && words[n].2
            && b[words[n - 1].1..words[n].0].iter().all(|&c| c == b' ')
        {
            n += 1;
        }
        let (from, to) = (words[k].0, words[n - 1].1);
        let whole = from == inner_start && to == inner_end;
        if whole || words[k..n].iter().any(|w| w.3) {
            for (c, &orig) in out[from..to].iter_mut().zip(&b[from..to]) {
                if is_ocr_digit(orig) {
                    *c = if matches!(orig, b'l' | b'I') {
                        b'1'
                    } else {
                        b'0'
                    };
                    changed = true;
                }
            }
        }
        k = n;
    }
    if !changed {
        return Cow::Borrowed(v);
    }
    // Only ASCII bytes were replaced by ASCII bytes: still UTF-8.
    String::from_utf8(out).map_or(Cow::Borrowed(v), Cow::Owned)
}

/// `v` with an era name that OCR spaced apart (`昭 和 37年`) written together, so that the
/// date reader knows the era.
fn join_era_name(v: &str) -> Cow<'_, str> {
    // The second characters of the era names: without one after a space, nothing to do.
    let second = |c: char| matches!(c, '和' | '成' | '正' | '治');
    // Only a second character right after a space can be a spaced era name (`令和 6年` is
    // not): one look at the characters, no copy.
    let mut prev_space = false;
    if !v.chars().any(|c| {
        let hit = prev_space && second(c);
        prev_space = c == ' ';
        hit
    }) {
        return Cow::Borrowed(v);
    }
    let chars: Vec<char> = v.chars().collect();
    let mut out = String::with_capacity(v.len());
    let mut i = 0;
    while i < chars.len() {
        out.push(chars[i]);
        let mut k = i + 1;
        while chars.get(k) == Some(&' ') {
            k += 1;
        }
        if k > i + 1
            && chars
                .get(k)
                .is_some_and(|&c2| starts_era_name(&[chars[i], c2]))
        {
            i = k;
            continue;
        }
        i += 1;
    }
    Cow::Owned(out)
}

/// True when a month or day of a date in `v` runs straight into an ASCII letter (`3月2z日`,
/// `R6.3.2x`): the date reader would stop before the letter and read a cut-off number (the
/// 2nd for the 21st), so such a date is not read at all.
fn cut_off_date_number(v: &str) -> bool {
    let b = v.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        // An ISO time after the day (`2025-03-04T10:00`) cuts nothing.
        if b[i] == b'T' && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            continue;
        }
        // What stands before the number: 年/月 (kanji form) or a separator (R6.3.2x).
        let before = v[..start].trim_end_matches(' ').chars().next_back();
        if before.is_some_and(|c| matches!(c, '年' | '月' | '.' | '/' | '-')) {
            return true;
        }
    }
    false
}

fn set_date(v: &str, line_no: u32, p: &mut Prescription, what: &str) -> Option<chrono::NaiveDate> {
    let v = join_date_digits(v);
    let v = join_era_name(&v);
    if cut_off_date_number(&v) {
        p.notes.push(ReadNote {
            rule: "date-invalid".into(),
            detail: format!("{what}: {}", v.trim_ws()),
            item: None,
            line: Some(line_no),
        });
        return None;
    }
    match lex::find_date(&v) {
        Some(DateFound::Ok(d)) => Some(d),
        Some(DateFound::Invalid(t)) => {
            p.notes.push(ReadNote {
                rule: "date-invalid".into(),
                detail: format!("{what}: {t}"),
                item: None,
                line: Some(line_no),
            });
            None
        }
        None => None,
    }
}

/// Fields whose values are numbers, codes, phones or dates: OCR's letters for digits in them
/// are digits ([`ocr_digits`]).
fn is_numeric(f: Field) -> bool {
    matches!(
        f,
        Field::PayerNumber
            | Field::RecipientNumber
            | Field::InsurerNumber
            | Field::SymbolNumber
            | Field::Symbol
            | Field::Number
            | Field::Branch
            | Field::Birth
            | Field::Phone
            | Field::Prefecture
            | Field::FeeTable
            | Field::InstitutionCode
            | Field::Issued
            | Field::ValidUntil
    )
}

fn set_field(f: Field, v: &str, line_no: u32, p: &mut Prescription, st: &mut HeaderState) {
    let fixed;
    let v = if is_numeric(f) {
        fixed = ocr_digits(v);
        &*fixed
    } else {
        v
    };
    match f {
        Field::PayerNumber => {
            let d = digits(v);
            if !d.is_empty() {
                if p.insurance
                    .public_expense
                    .iter()
                    .any(|pe| pe.payer_number.as_deref() == Some(&d))
                {
                    return;
                }
                if p.insurance.public_expense.len() < 2 {
                    p.insurance.public_expense.push(PublicExpense {
                        payer_number: Some(d),
                        recipient_number: None,
                    });
                }
                st.pending_payer = None;
            }
        }
        Field::RecipientNumber => {
            let d = digits(v);
            if d.is_empty() {
                return;
            }
            if let Some(pe) = p
                .insurance
                .public_expense
                .iter_mut()
                .find(|pe| pe.recipient_number.is_none())
            {
                pe.recipient_number = Some(d);
            } else if p.insurance.public_expense.len() < 2 {
                p.insurance.public_expense.push(PublicExpense {
                    payer_number: None,
                    recipient_number: Some(d),
                });
            }
        }
        Field::InsurerNumber => {
            first_of(&mut p.insurance.insurer_number, || digits(v));
        }
        Field::SymbolNumber => read_symbol_number(v, p),
        Field::Symbol => first_of(&mut p.insurance.symbol, || {
            clean(&join_spaced_digits(v)).into_owned()
        }),
        Field::Number => first_of(&mut p.insurance.number, || {
            clean(&join_spaced_digits(v)).into_owned()
        }),
        // The first word only (other text may follow on the line), OCR-spaced digits
        // (`0 1`) joined first.
        Field::Branch => first_of(&mut p.insurance.branch, || {
            digits(join_spaced_digits(v).split(' ').next().unwrap_or(""))
        }),
        Field::Name => read_name(v, p),
        Field::Kana => first_of(&mut p.patient.kana, || clean(v).into_owned()),
        Field::Birth => {
            // Joined before the era list is read: a written date after the list decides it.
            let v = &*join_date_digits(v);
            match choose_era(v) {
                Some(v2) => {
                    if let Some(d) = set_date(&v2, line_no, p, "生年月日") {
                        p.patient.birth_date = Some(d);
                    }
                }
                None => p.notes.push(ReadNote {
                    rule: "date-invalid".into(),
                    detail: format!("生年月日: 元号に印がない ({v})"),
                    item: None,
                    line: Some(line_no),
                }),
            }
            if let Some(s) = sex_of(v) {
                p.patient.sex = Some(s);
            }
            read_kind_word(v, p);
        }
        Field::Sex => {
            if let Some(s) = sex_of(v) {
                p.patient.sex = Some(s);
            }
            read_kind_word(v, p);
        }
        Field::InsuredKind => {
            if let Some(k) = kind_after_label(v) {
                p.patient.insured_kind = Some(k);
            }
        }
        Field::InstitutionBoth => {
            let v = clean(v);
            match v.rsplit_once(' ') {
                Some((a, n)) => {
                    // The corporation that runs the clinic is part of its name
                    // (`医療法人社団すこやか会 えさか小児科クリニック`), not of the address.
                    let (a, n) = match corporation_at(a) {
                        Some(k) => (&a[..k], Cow::Owned(format!("{} {}", a[k..].trim_ws(), n))),
                        None => (a, Cow::Borrowed(n)),
                    };
                    p.institution.address = non_empty(a.trim_ws().to_string());
                    p.institution.name = non_empty(n.trim_ws().to_string());
                }
                // Only the address on this line: the name follows on the next line.
                None if looks_like_address(&v) => {
                    p.institution.address = non_empty(v.into_owned());
                    st.want_institution_name = true;
                    st.address_line = line_no;
                }
                None => p.institution.name = non_empty(v.into_owned()),
            }
        }
        Field::InstitutionName => p.institution.name = non_empty(clean(v).into_owned()),
        Field::Institution => read_institution(&clean(v), line_no, p, st),
        Field::Address => p.institution.address = non_empty(clean(v).into_owned()),
        Field::Phone => {
            // As written (`03-1234-5678`, `(03) 1234-5678`), up to the first non-phone character.
            // A prolonged sound mark between digits is a hyphen typed in kana mode
            // (`03ー3771ー0101`, `ｰ` folds to `ー`): the same number as with `-`.
            let t: String = lex::squeeze(v)
                .chars()
                .skip_while(|c| !(c.is_ascii_digit() || *c == '('))
                .map(|c| if c == 'ー' { '-' } else { c })
                .take_while(|c| c.is_ascii_digit() || matches!(c, '-' | '(' | ')' | ' '))
                .collect();
            // A hyphen ends no phone number (`03ー` before a word written with ー).
            let mut t = t.trim_end_matches(['-', ' ']).trim_ws().to_string();
            // The value arrives with brackets at its ends trimmed: restore `(03)`.
            if t.contains(')') && !t.contains('(') {
                t.insert(0, '(');
            }
            first_of(&mut p.institution.phone, || t);
        }
        Field::Prescriber => {
            let v = clean(v);
            let sealed = v.ends_with('印');
            let name = clean(v.trim_end_matches('印'));
            let name = clean(name.trim_end_matches(['(', ')']));
            if !name.is_empty() {
                // Text cannot show handwriting: a written name counts as a signature, a
                // seal (印/㊞) as 記名押印.
                p.prescriber.signed = true;
                p.prescriber.name = Some(name.into_owned());
            } else if sealed {
                p.prescriber.signed = true;
            }
        }
        Field::NosubSignature => {
            let v = clean(v);
            if v.chars()
                .any(|c| !matches!(c, '□' | '(' | ')' | '印' | ' '))
                || v.contains('印')
            {
                p.prescriber.nosub_signature = true;
            }
        }
        Field::Prefecture => p.institution.prefecture_code = non_empty(digits(v)),
        Field::FeeTable => p.institution.fee_table_code = non_empty(digits(v)),
        Field::InstitutionCode => read_institution_code(digits(v), p),
        Field::Issued => {
            if let Some(d) = set_date(v, line_no, p, "交付年月日") {
                p.issued = Some(d);
            }
        }
        Field::ValidUntil => {
            if let Some(d) = set_date(v, line_no, p, "使用期間") {
                p.valid_until_written = Some(d);
            }
        }
        Field::Refill => read_refill(v, p),
        Field::Remarks => {
            if !v.is_empty() {
                p.remarks.push(v.to_string());
            }
        }
        Field::Pharmacy => st.pharmacy = true,
    }
}

/// The 医療機関コード (7 digits), also written as the 10 digits of 都道府県番号 (2),
/// 点数表番号 (1: 医科, 3: 歯科) and code (`27 1 3055263`, as on the JAHIS record): split then,
/// unless those fields were read already with other values.
fn read_institution_code(d: String, p: &mut Prescription) {
    if d.len() == 10 {
        let (pref, fee, code) = (&d[..2], &d[2..3], &d[3..]);
        let pref_ok = pref.parse::<u8>().is_ok_and(|n| (1..=47).contains(&n));
        let agrees = |known: &Option<String>, v: &str| known.as_deref().is_none_or(|k| k == v);
        if pref_ok
            && matches!(fee, "1" | "3")
            && agrees(&p.institution.prefecture_code, pref)
            && agrees(&p.institution.fee_table_code, fee)
        {
            p.institution.prefecture_code = Some(pref.to_string());
            p.institution.fee_table_code = Some(fee.to_string());
            p.institution.code = Some(code.to_string());
            return;
        }
    }
    p.institution.code = non_empty(d);
}

/// The value of an EMR's 医療機関 label: `所在地 名称` split where the part before the last
/// space is an address (or a legal form begins the name), else the whole value is the name
/// (`さくら クリニック`); an address alone waits for the name on the next line, as on the form.
fn read_institution(v: &str, line_no: u32, p: &mut Prescription, st: &mut HeaderState) {
    if v.is_empty() {
        return;
    }
    let split = v
        .rsplit_once(' ')
        .and_then(|(a, n)| match corporation_at(a) {
            Some(k) if looks_like_address(&a[..k]) => Some((
                a[..k].trim_ws(),
                Cow::Owned(format!("{} {}", a[k..].trim_ws(), n)),
            )),
            None if looks_like_address(a) => Some((a, Cow::Borrowed(n))),
            _ => None,
        });
    match split {
        Some((a, n)) => {
            p.institution.address = non_empty(a.to_string());
            p.institution.name = non_empty(n.trim_ws().to_string());
        }
        None if !v.contains(' ') && looks_like_address(v) => {
            p.institution.address = Some(v.to_string());
            st.want_institution_name = true;
            st.address_line = line_no;
        }
        None => p.institution.name = Some(v.to_string()),
    }
}

/// The patient's name; a reading in brackets after it (`森田 翔太(モリタ ショウタ)`) is the
/// kana, kept only when no フリガナ label gave one already (first value wins, as for every
/// field). The kana goes with the name it follows: a name read already takes neither.
fn read_name(v: &str, p: &mut Prescription) {
    if p.patient.name.is_some() {
        return;
    }
    let v = strip_name_tail(v, p);
    let (name, kana) = match bracketed_kana(v) {
        // The honorific stands before the reading too (`藤田 里美 様 (フジタ サトミ)`).
        Some((name, kana)) => (strip_name_tail(name, p), Some(kana)),
        None => (v, None),
    };
    p.patient.name = non_empty(clean(name).into_owned());
    if p.patient.name.is_some()
        && let Some(kana) = kana
    {
        first_of(&mut p.patient.kana, || kana.to_string());
    }
}

/// `v` without what a clinic system prints after the name on its line: an honorific word
/// (`様`, `殿`, also joined to the name) and a sex word (`女`, `男・(女)`), which gives the
/// patient's sex when none is known yet. A name of one word keeps a last word all the same
/// (the text is then not a name followed by extras).
fn strip_name_tail<'a>(v: &'a str, p: &mut Prescription) -> &'a str {
    let mut v = v.trim_ws();
    while let Some((head, last)) = v.rsplit_once(' ') {
        let is_sex = last.contains(['男', '女'])
            && last.chars().all(|c| {
                matches!(c, '男' | '女' | '・' | '○' | '◯' | '(' | ')') || marks::ticked(c)
            });
        if is_sex {
            if p.patient.sex.is_none() {
                p.patient.sex = sex_of(last);
            }
        } else if !matches!(last, "様" | "殿") {
            break;
        }
        v = head.trim_ws_end();
    }
    // The honorific joined to the name (`花子様`); the reading in brackets stays before it.
    for h in ['様', '殿'] {
        if let Some(n) = v.strip_suffix(h)
            && n.chars()
                .next_back()
                .is_some_and(|c| !matches!(c, ' ' | '(' | '【'))
        {
            v = n;
        }
    }
    v
}

/// A name followed by its reading in brackets, as (name, kana); None when the value ends in no
/// bracket part or the part holds anything but kana (`山田 太郎(旧姓 佐藤)` stays whole).
///
/// The value arrives cleaned: a closing bracket that ended it is trimmed already.
fn bracketed_kana(v: &str) -> Option<(&str, &str)> {
    // `【キムラ トメ】`, `[…]` as well as `(…)`.
    let (name, rest) = v.rsplit_once(['(', '【', '['])?;
    let kana = rest
        .strip_suffix([')', '】', ']'])
        .unwrap_or(rest)
        .trim_ws();
    let name = name.trim_ws();
    (!name.is_empty() && is_reading(kana)).then_some((name, kana))
}

/// True when `s` is a reading: hiragana or katakana (with ー and ・) and spaces, one kana
/// letter at least.
fn is_reading(s: &str) -> bool {
    let kana = |c: char| matches!(c, '\u{3041}'..='\u{309F}' | '\u{30A0}'..='\u{30FF}');
    let letter = |c: char| matches!(c, '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}');
    s.chars().all(|c| c == ' ' || kana(c)) && s.chars().any(letter)
}

/// `12345・678(枝番)01`, `12345 678 01`.
///
/// A `・` between symbol and number leaves spaces free to be OCR letter spacing: then a run of
/// one-digit words in a part (`富山 ・ 3 0 2`) is one number. Without it, a space is the only
/// separator the groups have (`12345 678 01`) and every space counts as one.
fn read_symbol_number(v: &str, p: &mut Prescription) {
    let v = clean(v);
    if v.is_empty() {
        return;
    }
    let (main, branch) = match v.split_once("枝番") {
        Some((m, b)) => (m, Some(digits(b))),
        None => (&*v, None),
    };
    let main = clean(main);
    // With the branch written apart (枝番), or with one ・ only, the last ・ separates symbol
    // and number: a symbol may hold spaces and digits of its own (`仙台 3・7721`, OCR's
    // `広島 2 1 ・ 5 5 0 7`), which splitting at every space took for the number.
    let dots = main.matches(['・', '･']).count();
    if (dots == 1 || (dots > 1 && branch.is_some()))
        && let Some((s, n)) = main.rsplit_once(['・', '･'])
    {
        // A symbol is printed without spaces: the ones left are OCR's or a layout's.
        let s: String = s.chars().filter(|c| !lex::is_ws(*c)).collect();
        let n = join_spaced_digits(n);
        let mut words = n.split(' ').filter(|w| !w.is_empty());
        if !s.is_empty() {
            p.insurance.symbol = Some(s);
        }
        if let Some(w) = words.next() {
            p.insurance.number = Some(w.to_string());
        }
        // `12345・678 01`: without a 枝番 label the word after the number is the branch.
        match (branch, words.next()) {
            (Some(b), _) => p.insurance.branch = non_empty(b),
            (None, Some(b)) => p.insurance.branch = non_empty(digits(b)),
            (None, None) => {}
        }
        return;
    }
    let main = if main.contains(['・', '･']) {
        let parts: Vec<String> = main
            .split(['・', '･'])
            .map(|part| join_spaced_digits(part).into_owned())
            .collect();
        Cow::Owned(parts.join("・"))
    } else if longest_digit_run(&main) > 3 {
        // More one-digit words in a row than symbol, number and branch make: digit boxes
        // or letter spacing (`0 0 9 8 7 6 5 4`), one number. Up to three they stay the
        // groups a space separates (`1 2 3`).
        Cow::Owned(join_spaced_digits(&main).into_owned())
    } else {
        main
    };
    let parts: Vec<&str> = main
        .split(['・', '･', '/', ' ', '-'])
        .filter(|s| !s.is_empty())
        .collect();
    match parts.as_slice() {
        [s, n, rest @ ..] => {
            p.insurance.symbol = Some(s.to_string());
            p.insurance.number = Some(n.to_string());
            if branch.is_none()
                && let Some(b) = rest.first()
            {
                p.insurance.branch = non_empty(digits(b));
            }
        }
        [n] => p.insurance.number = Some(n.to_string()),
        [] => {}
    }
    if let Some(b) = branch {
        p.insurance.branch = non_empty(b);
    }
}

/// The most one-digit words of `v` in a row.
fn longest_digit_run(v: &str) -> usize {
    let (mut run, mut best) = (0, 0);
    for w in lex::words(v) {
        if matches!(w.as_bytes(), [b] if b.is_ascii_digit()) {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

/// `v` with OCR letter spacing taken out of its digit runs: two or more one-digit words in a row
/// (`3 0 2`) are one number (`302`). A word of more letters ends a run, so numbers that a space
/// separates (`678 01`) stay apart. A value with a run joined comes back squeezed.
///
/// Only one-digit words are joined: OCR spaces every letter, so a run of longer numbers is
/// never letter spacing.
fn join_spaced_digits(v: &str) -> Cow<'_, str> {
    let one_digit = |w: &str| matches!(w.as_bytes(), [b] if b.is_ascii_digit());
    let mut prev_digit = false;
    let mut joined = false;
    let mut out = String::with_capacity(v.len());
    for w in lex::words(v) {
        let digit = one_digit(w);
        if digit && prev_digit {
            joined = true;
        } else if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
        prev_digit = digit;
    }
    if joined {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(v)
    }
}

/// A marked choice among options: the one with a tick before it (`○男`), or the only one written.
fn marked_choice<'a>(v: &str, options: &[&'a str]) -> Option<&'a str> {
    // How many options are written and how many marked, with the last of each: one marked
    // option wins, else the only one written.
    let (mut present, mut last_present) = (0, None);
    let (mut marked, mut last_marked) = (0, None);
    for o in options {
        if let Some(pos) = find_word(v, o) {
            present += 1;
            last_present = Some(*o);
            let before = v[..pos].trim_ws_end().chars().next_back();
            let after = v[pos + o.len()..].chars().next();
            // A value arrives with a closing bracket that ended it trimmed already
            // (`男・(女)` → `男・(女`): the end of the value closes the bracket then.
            if before.is_some_and(|c| marks::ticked(c) || c == '○' || c == '◯')
                || (before == Some('(') && after.is_none_or(|c| c == ')'))
            {
                marked += 1;
                last_marked = Some(*o);
            }
        }
    }
    match (marked, present) {
        (1, _) => last_marked,
        (0, 1) => last_present,
        _ => None,
    }
}

/// Byte offset of the first `w` in `v`, as [`str::find`] gives it: the first character is
/// searched (memchr) and the rest compared, which for these short values costs less than
/// building a substring searcher.
fn find_word(v: &str, w: &str) -> Option<usize> {
    let Some(first) = w.chars().next() else {
        return Some(0);
    };
    v.match_indices(first)
        .map(|(i, _)| i)
        .find(|&i| v[i..].starts_with(w))
}

fn sex_of(v: &str) -> Option<Sex> {
    match marked_choice(v, &["男", "女"]) {
        Some("男") => Some(Sex::Male),
        Some("女") => Some(Sex::Female),
        _ => None,
    }
}

/// 被保険者 or 被扶養者, the marked one or the only one, in `compact` (whitespace removed: OCR
/// spaces the letters of the words apart, `被 保 険 者`).
fn insured_kind_of(compact: &str) -> Option<InsuredKind> {
    // 被保険者証 / 被保険者手帳 name the card (`被保険者証記号`), 被保険者番号 its number, not
    // the 区分: not a choice.
    let compact = if compact.contains("被保険者証")
        || compact.contains("被保険者手帳")
        || compact.contains("被保険者番号")
    {
        Cow::Owned(
            compact
                .replace("被保険者証", "")
                .replace("被保険者手帳", "")
                .replace("被保険者番号", ""),
        )
    } else {
        Cow::Borrowed(compact)
    };
    match marked_choice(&compact, &["被保険者", "被扶養者"]) {
        Some("被保険者") => Some(InsuredKind::Insured),
        Some("被扶養者") => Some(InsuredKind::Dependent),
        _ => None,
    }
}

/// The value of a 区分 label: 被保険者/被扶養者 ([`insured_kind_of`]), or where neither is
/// written the plain words 本人 (the insured) / 家族 (a dependent). Only after the label: a
/// bare 本人 or 家族 elsewhere on the form is prose.
fn kind_after_label(v: &str) -> Option<InsuredKind> {
    let c = lex::compact(v);
    if c.contains("被保険者") || c.contains("被扶養者") {
        return insured_kind_of(&c);
    }
    match marked_choice(&c, &["本人", "家族"]) {
        Some("本人") => Some(InsuredKind::Insured),
        Some("家族") => Some(InsuredKind::Dependent),
        _ => None,
    }
}

/// A bare 被保険者 / 被扶養者 as the last word of the patient's row, after the birth date or
/// the sex (`平成6年10月2日 男 被保険者`, `性別 女 被保険者`): the 区分 printed without its
/// label. Only the last word, and only when no 区分 is known yet.
fn read_kind_word(v: &str, p: &mut Prescription) {
    // 被 is the gate: most values have none, and nothing is split for them.
    if p.patient.insured_kind.is_some() || !v.contains('被') {
        return;
    }
    match v.trim_ws_end().rsplit(' ').next() {
        Some("被保険者") => p.patient.insured_kind = Some(InsuredKind::Insured),
        Some("被扶養者") => p.patient.insured_kind = Some(InsuredKind::Dependent),
        _ => {}
    }
}

/// `□(  回)`, `■(2回)`, `レ 3回`, `(2回)`.
fn read_refill(v: &str, p: &mut Prescription) {
    let ticked = v.chars().take_while(|c| *c != '回').any(marks::ticked);
    p.refill.allowed |= ticked;
    if ticked {
        let d: String = v
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(|c| c.is_ascii_digit())
            .collect();
        p.refill.count = d.parse().ok();
    } else if let Some(n) = written_refill_count(v) {
        // A count written in the brackets means the box is meant, ticked or not: clinic
        // systems print `リフィル可（2回）` with no box at all.
        p.refill.allowed = true;
        p.refill.count = Some(n);
    }
}

/// The count of `(2回)` / `□(2回)` right after the リフィル可 label: only boxes, brackets and
/// spaces may stand before the number, and 回 right after it; zero is no count.
fn written_refill_count(v: &str) -> Option<u32> {
    let (before, _) = v.split_once('回')?;
    let d = before.trim_matches(|c: char| matches!(c, '□' | '(' | ')') || lex::is_ws(c));
    if d.is_empty() || !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    d.parse().ok().filter(|n| *n > 0)
}

/// True when `line` has at most `n` characters besides whitespace; counted from the bytes of
/// its words (every byte that does not continue a UTF-8 character starts one), and only as
/// far as `n + 1`.
fn letters_at_most(line: &str, n: usize) -> bool {
    let mut count = 0;
    for w in lex::words(line) {
        count += w.bytes().filter(|b| b & 0xC0 != 0x80).count();
        if count > n {
            return false;
        }
    }
    true
}

/// Facts that come without a label: 残薬 boxes, a bare 被保険者/被扶養者, a bare sex mark.
fn read_unlabelled(line: &str, p: &mut Prescription) {
    // A short row of its own that only offers 男・女 or 被保険者・被扶養者 with one marked.
    // Nothing to learn once both are known, and only short rows matter: up to 16 letters.
    let want_sex = p.patient.sex.is_none();
    let want_kind = p.patient.insured_kind.is_none();
    if (want_sex || want_kind) && letters_at_most(line, 16) {
        // Marks and 男/女 are not whitespace: they are in the line as in its compact form.
        if want_sex
            && (line.contains('男') || line.contains('女'))
            && line
                .chars()
                .any(|ch| marks::ticked(ch) || ch == '○' || ch == '◯' || ch == '(')
        {
            p.patient.sex = sex_of(line);
        }
        // 被保険者 may be letter-spaced: the compact form is built only when 被 is there.
        if want_kind
            && line.contains('被')
            && let c = lex::compact(line)
            && (c.contains("被保険者") || c.contains("被扶養者"))
            && let Some(k) = insured_kind_of(&c)
        {
            p.patient.insured_kind = Some(k);
        }
        // A clinic system's insurance row (`保険:社保 家族`): 本人/家族 after it is the 区分.
        // Not a label of the table: a bare 保険 opens prose too often.
        if want_kind
            && let Some(rest) = line.trim_ws_start().strip_prefix("保険")
            && let Some(rest) = rest.trim_ws_start().strip_prefix([':', '：'])
            && let Some(k) = kind_after_label(rest)
        {
            p.patient.insured_kind = Some(k);
        }
    }
    if lex::has_any_char(line, &['疑', '情'])
        && (line.contains("疑義照会した上で調剤")
            || line.contains("疑義照会の上")
            || line.contains("情報提供"))
    {
        // Each box glyph owns the text up to the next box glyph (slices of the line).
        let mut cur: Option<(char, usize)> = None;
        let mut segs: Vec<(char, &str)> = Vec::new();
        for (i, c) in line.char_indices() {
            if c == '□' || marks::ticked(c) {
                if let Some((g, start)) = cur {
                    segs.push((g, &line[start..i]));
                }
                cur = Some((c, i + c.len_utf8()));
            }
        }
        if let Some((g, start)) = cur {
            segs.push((g, &line[start..]));
        }
        for (g, s) in segs {
            if marks::ticked(g) {
                if s.contains("疑義照会") {
                    p.leftover = Some(Leftover::InquireThenDispense);
                } else if s.contains("情報提供") {
                    p.leftover = Some(Leftover::Inform);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(lines: &[&str]) -> Prescription {
        let mut p = Prescription::default();
        let mut st = HeaderState::default();
        for (i, l) in lines.iter().enumerate() {
            read_line(&lex::fold_line(l), i as u32 + 1, &mut p, &mut st);
        }
        p
    }

    type SymbolNumberBranch = (Option<String>, Option<String>, Option<String>);

    /// 記号, 番号 and 枝番 read from one line.
    fn ins(line: &str) -> SymbolNumberBranch {
        let i = read(&[line]).insurance;
        (i.symbol, i.number, i.branch)
    }

    /// The institution's address and name read from one line.
    fn inst(line: &str) -> (Option<String>, Option<String>) {
        let i = read(&[line]).institution;
        (i.address, i.name)
    }

    /// All three present.
    fn some(s: &str, n: &str, b: &str) -> SymbolNumberBranch {
        (
            Some(s.to_string()),
            Some(n.to_string()),
            Some(b.to_string()),
        )
    }

    #[test]
    fn labels_in_cells_and_spaces() {
        let p = read(&[
            "公費負担者番号\t12345678\t保険者番号\t06132015",
            "被保険者証・被保険者手帳の記号・番号\t１２３４５・６７８（枝番）01",
            "氏名 山田　太郎  生年月日 S35.4.12 ㊚",
            "区分 被保険者・○被扶養者",
            "医療機関コード\t12・3456・7",
            "リフィル可 ■（2回）",
            "□保険医療機関へ疑義照会した上で調剤　■保険医療機関へ情報提供",
        ]);
        assert_eq!(p.insurance.insurer_number.as_deref(), Some("06132015"));
        assert_eq!(p.insurance.symbol.as_deref(), Some("12345"));
        assert_eq!(p.insurance.number.as_deref(), Some("678"));
        assert_eq!(p.insurance.branch.as_deref(), Some("01"));
        assert_eq!(p.patient.name.as_deref(), Some("山田 太郎"));
        assert_eq!(p.patient.sex, Some(Sex::Male));
        assert_eq!(p.patient.insured_kind, Some(InsuredKind::Dependent));
        assert_eq!(p.institution.code.as_deref(), Some("1234567"));
        assert_eq!((p.refill.allowed, p.refill.count), (true, Some(2)));
        assert_eq!(p.leftover, Some(Leftover::Inform));
    }

    #[test]
    fn a_reading_next_to_the_name() {
        let above = read(&[
            "          イシカワ　ケンタ",
            "氏名      石川　健太    生年月日 平成元年1月8日",
        ]);
        assert_eq!(above.patient.kana.as_deref(), Some("イシカワ ケンタ"));
        let below = read(&["患者氏名：斎藤　花子", "　　　　　（サイトウ　ハナコ）"]);
        assert_eq!(below.patient.kana.as_deref(), Some("サイトウ ハナコ"));
        // Not next to the name, or not only katakana: no reading.
        let apart = read(&["イシカワ　ケンタ", "保険者番号 06132015", "氏名 石川 健太"]);
        assert_eq!(apart.patient.kana, None);
        let mixed = read(&["氏名 石川 健太", "ケンタ君"]);
        assert_eq!(mixed.patient.kana, None);
        // A labelled reading wins.
        let labelled = read(&[
            "フリガナ イシカワ ケンタ",
            "氏名 石川 健太",
            "(イシカワ ケン)",
        ]);
        assert_eq!(labelled.patient.kana.as_deref(), Some("イシカワ ケンタ"));
    }

    #[test]
    fn symbol_number_under_its_label_with_the_branch_label_inside() {
        let p = read(&[
            "公費負担医療の受給者番号                被保険者証・被保険者手帳の記号・番号",
            "                                        ４０１０２３０４・１２（枝番）００",
        ]);
        assert_eq!(p.insurance.symbol.as_deref(), Some("40102304"));
        assert_eq!(p.insurance.number.as_deref(), Some("12"));
        assert_eq!(p.insurance.branch.as_deref(), Some("00"));
        // On the label's own line it read the same before.
        let q = read(&["被保険者証・被保険者手帳の記号・番号 ４０１０２３０４・１２（枝番）００"]);
        assert_eq!(
            (q.insurance.symbol, q.insurance.number, q.insurance.branch),
            (p.insurance.symbol, p.insurance.number, p.insurance.branch)
        );
        // A labelled line that does not follow the label right away takes nothing from it.
        let r = read(&[
            "被保険者証・被保険者手帳の記号・番号",
            "保険者番号 06132015",
            "１２（枝番）００",
        ]);
        assert_eq!(r.insurance.symbol, None);
    }

    #[test]
    fn era_lists_and_split_institution() {
        let p = read(&[
            "生年月日 明・大・○昭・平・令 50年3月3日",
            "保険医療機関の所在地及び名称  横浜市西区1-1",
            "みなと整形外科",
        ]);
        assert_eq!(
            p.patient.birth_date.map(|d| d.to_string()).as_deref(),
            Some("1975-03-03")
        );
        assert_eq!(p.institution.address.as_deref(), Some("横浜市西区1-1"));
        assert_eq!(p.institution.name.as_deref(), Some("みなと整形外科"));
        for ok in [
            "生年月日 昭和35年4月12日 男",
            "生年月日 S35.4.12",
            "生年月日 1960-04-12",
        ] {
            assert_eq!(
                read(&[ok])
                    .patient
                    .birth_date
                    .map(|d| d.to_string())
                    .as_deref(),
                Some("1960-04-12"),
                "{ok}"
            );
        }
        let q = read(&["生年月日 明・大・昭・平・令 50年3月3日"]);
        assert!(q.patient.birth_date.is_none());
        assert_eq!(q.notes[0].rule, "date-invalid");
    }

    #[test]
    fn written_era_date_after_an_unmarked_era_list() {
        let birth = |p: &Prescription| p.patient.birth_date.map(|d| d.to_string());
        for (line, date, sex) in [
            (
                "生年月日\t明・大・昭・平・令\t平成27年6月30日\t男",
                "2015-06-30",
                Sex::Male,
            ),
            (
                "生年月日  明・大・昭・平・令  平成27年6月30日  男",
                "2015-06-30",
                Sex::Male,
            ),
            (
                "生年月日 明・大・昭・平・令 令和元年5月1日 女",
                "2019-05-01",
                Sex::Female,
            ),
            (
                "生年月日 明・大・昭・平・令 H27.6.30 ○女",
                "2015-06-30",
                Sex::Female,
            ),
        ] {
            let p = read(&[line]);
            assert_eq!(birth(&p).as_deref(), Some(date), "{line}");
            assert_eq!(p.patient.sex, Some(sex), "{line}");
            assert!(p.notes.is_empty(), "{line}: {:?}", p.notes);
        }
        // A marked era still gives the year its era, also next to a written era name.
        let p = read(&["生年月日 明・大・昭・(平)・令 27年6月30日 男"]);
        assert_eq!(birth(&p).as_deref(), Some("2015-06-30"));
        let p = read(&["生年月日 明・大・○昭・平・令 昭和50年3月3日"]);
        assert_eq!(birth(&p).as_deref(), Some("1975-03-03"));
        // Neither a mark nor a written era: the year cannot be read.
        let p = read(&["生年月日\t明・大・昭・平・令\t27年6月30日\t男"]);
        assert!(p.patient.birth_date.is_none());
        assert_eq!(p.notes[0].rule, "date-invalid");
    }

    #[test]
    fn the_running_corporation_belongs_to_the_institution_name() {
        let s = |x: &str| Some(x.to_string());
        assert_eq!(
            inst(
                "保険医療機関の所在地及び名称 大阪府吹田市江坂町1-23-45 医療法人社団すこやか会 えさか小児科クリニック"
            ),
            (
                s("大阪府吹田市江坂町1-23-45"),
                s("医療法人社団すこやか会 えさか小児科クリニック")
            )
        );
        assert_eq!(
            inst("保険医療機関の所在地及び名称 東京都港区芝1-1 社会医療法人 北斗会 北斗病院"),
            (s("東京都港区芝1-1"), s("社会医療法人 北斗会 北斗病院"))
        );
        // No legal form: split at the last space, as before.
        assert_eq!(
            inst("保険医療機関の所在地及び名称 東京都千代田区神田1-2-3 さくらクリニック"),
            (s("東京都千代田区神田1-2-3"), s("さくらクリニック"))
        );
        // A legal form as the last word is the name already.
        assert_eq!(
            inst("保険医療機関の所在地及び名称 東京都千代田区神田1-2-3 医療法人さくら会"),
            (s("東京都千代田区神田1-2-3"), s("医療法人さくら会"))
        );
    }

    #[test]
    fn kana_in_brackets_after_the_name() {
        let p = read(&["患者氏名：森田　翔太（モリタ　ショウタ）"]);
        assert_eq!(p.patient.name.as_deref(), Some("森田 翔太"));
        assert_eq!(p.patient.kana.as_deref(), Some("モリタ ショウタ"));
        let p = read(&[
            "氏名 青木 陽菜 （アオキ ヒナ）",
            "生年月日 令和元年5月1日 女",
        ]);
        assert_eq!(p.patient.name.as_deref(), Some("青木 陽菜"));
        assert_eq!(p.patient.kana.as_deref(), Some("アオキ ヒナ"));
        let p = read(&["氏名", "山田 花子(やまだ はなこ)"]);
        assert_eq!(p.patient.name.as_deref(), Some("山田 花子"));
        assert_eq!(p.patient.kana.as_deref(), Some("やまだ はなこ"));
        // A kana read first stays.
        let p = read(&["フリガナ ﾔﾏﾀﾞ ﾀﾛｳ", "氏名 山田 太郎(ヤマダ タロ)"]);
        assert_eq!(p.patient.name.as_deref(), Some("山田 太郎"));
        assert_eq!(p.patient.kana.as_deref(), Some("ヤマダ タロウ"));
        // Anything but kana in the brackets stays part of the name, as written.
        for (line, name) in [
            ("氏名 山田 太郎(旧姓 佐藤)", "山田 太郎(旧姓 佐藤"),
            ("氏名 山田 太郎(ヤマダ 2)", "山田 太郎(ヤマダ 2"),
            ("氏名 山田 太郎(・)", "山田 太郎(・"),
        ] {
            let p = read(&[line]);
            assert_eq!(p.patient.name.as_deref(), Some(name), "{line}");
            assert!(p.patient.kana.is_none(), "{line}");
        }
    }

    #[test]
    fn ocr_spaced_names_lose_their_letter_spacing() {
        assert_eq!(despace_name(" 佐 藤  花 子").as_deref(), Some("佐藤 花子"));
        assert_eq!(
            despace_name("佐 藤\t花 子 印").as_deref(),
            Some("佐藤 花子 印")
        );
        assert_eq!(despace_name("山田 太郎"), None);
        assert_eq!(despace_name("山田  太郎"), None);
        assert_eq!(despace_name("A 錠  2 錠"), None);
        let p = read(&["氏 名 佐 藤  花 子", "保険医氏名 鈴 木  一 郎"]);
        assert_eq!(p.patient.name.as_deref(), Some("佐藤 花子"));
        assert_eq!(p.prescriber.name.as_deref(), Some("鈴木 一郎"));
    }

    #[test]
    fn letter_spaced_names_without_a_wide_gap_are_joined() {
        // No gap tells family from given name: the letters are joined, the seal kept apart.
        assert_eq!(despace_name("佐 藤 花 子").as_deref(), Some("佐藤花子"));
        assert_eq!(
            despace_name("上 田 真 理  印").as_deref(),
            Some("上田真理 印")
        );
        assert_eq!(despace_name("林 美 奈").as_deref(), Some("林美奈"));
        // Two one-letter words may be a name as written; words of two letters are no spacing.
        assert_eq!(despace_name("林 誠"), None);
        assert_eq!(despace_name("山田 太郎"), None);
        assert_eq!(despace_name("山 田 太郎"), None);
        assert_eq!(despace_name("1 2 3"), None);
        let p = read(&["氏 名  山 田 花 子", "保 険 医 氏 名  上 田 真 理  印"]);
        assert_eq!(p.patient.name.as_deref(), Some("山田花子"));
        assert_eq!(p.prescriber.name.as_deref(), Some("上田真理"));
        assert!(p.prescriber.signed);
        let p = read(&["氏名 山田 太郎", "保険医氏名 上田 真理 印"]);
        assert_eq!(p.patient.name.as_deref(), Some("山田 太郎"));
        assert_eq!(p.prescriber.name.as_deref(), Some("上田 真理"));
    }

    #[test]
    fn letter_spaced_insured_kind() {
        for (lines, kind) in [
            (&["区 分     被 保 険 者"][..], InsuredKind::Insured),
            (&["区分\t被 扶 養 者"], InsuredKind::Dependent),
            (
                &["区 分  ○ 被 保 険 者 ・ 被 扶 養 者"],
                InsuredKind::Insured,
            ),
            (&["区分 被保険者・○被扶養者"], InsuredKind::Dependent),
            (&["区分 被保険者"], InsuredKind::Insured),
            (&["被 保 険 者 ・ ○ 被 扶 養 者"], InsuredKind::Dependent),
            (&["区分 本人"], InsuredKind::Insured),
            (&["区 分  ○本人・家族"], InsuredKind::Insured),
            (&["区分 家 族"], InsuredKind::Dependent),
        ] {
            assert_eq!(read(lines).patient.insured_kind, Some(kind), "{lines:?}");
        }
        // Nothing marked among two, or 本人/家族 without the 区分 label: unknown.
        for lines in [
            &["区分 被 保 険 者 ・ 被 扶 養 者"][..],
            &["区分 本人・家族"],
            &["本人"],
            &["家族の希望により"],
            &["区分 被保険者(本人)・被扶養者(家族)"],
        ] {
            assert_eq!(read(lines).patient.insured_kind, None, "{lines:?}");
        }
    }

    #[test]
    fn ocr_spaced_symbol_number_and_branch() {
        // A ・ or 枝番 separates the groups: spaces between one-digit words are OCR spacing.
        for (line, want) in [
            (
                "記 号 ・ 番 号\t富山 ・ 3 0 2\t(枝番)\t0 0",
                some("富山", "302", "00"),
            ),
            (
                "記号・番号 1 2 3 4 ・ 5 6 7 枝番 0 1",
                some("1234", "567", "01"),
            ),
            ("記号・番号・枝番 1 2 ・ 3 4 ・ 0 1", some("12", "34", "01")),
            (
                "記号・番号 12345・6 7 8 (枝番) 01",
                some("12345", "678", "01"),
            ),
            ("記号 1 2 3 番号 4 5 枝番 0 2", some("123", "45", "02")),
            // The forms already read: unchanged.
            ("記号・番号 12345・678(枝番)01", some("12345", "678", "01")),
            ("記号・番号 1234・567 枝番 00", some("1234", "567", "00")),
            ("記号・番号・枝番 12345 678 01", some("12345", "678", "01")),
            ("記号・番号 12345・678 01", some("12345", "678", "01")),
            ("記号・番号 北12・34(枝番)02", some("北12", "34", "02")),
        ] {
            assert_eq!(ins(line), want, "{line}");
        }
        // Without a ・, single spaces separate symbol, number and branch, as before.
        assert_eq!(ins("記号・番号・枝番 1 2 3"), some("1", "2", "3"));
        assert_eq!(join_spaced_digits("678 01"), "678 01");
        assert_eq!(join_spaced_digits("1 2  3 x 4"), "123 x 4");
    }

    #[test]
    fn value_on_the_next_line() {
        let p = read(&[
            "氏名",
            "山田　太郎",
            "保険者番号",
            "06132015",
            "保険医署名",
            "後発医薬品への変更に差し支えがあると判断した場合",
        ]);
        let q = read(&["フリガナ", "", "ヤマダ"]);
        assert!(q.patient.kana.is_none());
        assert_eq!(p.patient.name.as_deref(), Some("山田 太郎"));
        assert_eq!(p.insurance.insurer_number.as_deref(), Some("06132015"));
        assert!(!p.prescriber.nosub_signature);
    }

    #[test]
    fn phones() {
        assert_eq!(
            read(&["電話 (03) 1234-5678"]).institution.phone.as_deref(),
            Some("(03) 1234-5678")
        );
        assert_eq!(
            read(&["電話番号：０３－１２３４－５６７８"])
                .institution
                .phone
                .as_deref(),
            Some("03-1234-5678")
        );
    }

    #[test]
    fn phone_hyphens_typed_as_prolonged_sound_marks() {
        let phone = |line: &str| read(&[line]).institution.phone;
        for line in [
            "電話番号：03ー3771ー0101",
            "電話番号：03ｰ3771ｰ0101",
            "電話番号：０３ー３７７１ー０１０１",
            // The forms already read: unchanged.
            "電話番号：03−3771−0101",
            "電話番号：03-3771-0101",
            "TEL 03-3771-0101 FAX 03-3771-0102",
        ] {
            assert_eq!(phone(line).as_deref(), Some("03-3771-0101"), "{line}");
        }
        assert_eq!(phone("TEL:0166ー22ー3344").as_deref(), Some("0166-22-3344"));
        assert_eq!(
            phone("電話 (03) 1234-5678").as_deref(),
            Some("(03) 1234-5678")
        );
        // A ー after the number is a word's, not a hyphen.
        assert_eq!(phone("電話 03ーセンター").as_deref(), Some("03"));
    }

    #[test]
    fn digit_boxes_one_space_apart_are_one_number() {
        let s = |x: &str| Some(x.to_string());
        for line in [
            "記号・番号    0 0 9 8 7 6 5 4",
            "記 号 ・ 番 号    0 0 9 8 7 6 5 4",
            // The forms already read: unchanged.
            "記号・番号\t0\t0\t9\t8\t7\t6\t5\t4",
            "記号・番号 00987654",
        ] {
            assert_eq!(ins(line), (None, s("00987654"), None), "{line}");
        }
        // Up to three one-digit words are the groups a space separates, as before; a ・
        // still separates symbol and number.
        assert_eq!(ins("記号・番号・枝番 1 2 3"), (s("1"), s("2"), s("3")));
        assert_eq!(
            ins("記号・番号 1 2 3 4 ・ 5 6 7 枝番 0 1"),
            (s("1234"), s("567"), s("01"))
        );
        assert_eq!(
            ins("記号・番号・枝番 12345 678 01"),
            (s("12345"), s("678"), s("01"))
        );
    }

    #[test]
    fn the_card_name_is_not_the_insured_kind() {
        let kind = |lines: &[&str]| read(lines).patient.insured_kind;
        assert_eq!(kind(&["被保険者証記号：２７０１０４５３"]), None);
        assert_eq!(kind(&["被保険者証番号：４５"]), None);
        assert_eq!(kind(&["被保険者手帳 12"]), None);
        assert_eq!(
            kind(&["被保険者・被扶養者の別：家族"]),
            Some(InsuredKind::Dependent)
        );
        assert_eq!(
            kind(&["被保険者・被扶養者の別：本人"]),
            Some(InsuredKind::Insured)
        );
        assert_eq!(
            kind(&["保険：社保　家族", "被保険者証記号：２７０１０４５３"]),
            Some(InsuredKind::Dependent)
        );
        assert_eq!(kind(&["保険：国保　本人"]), Some(InsuredKind::Insured));
        // Neither chosen, or not the insurance row: unknown.
        assert_eq!(kind(&["保険：社保　本人・家族"]), None);
        assert_eq!(kind(&["保険薬局 家族"]), None);
        // The forms already read: unchanged.
        assert_eq!(kind(&["区分 被保険者"]), Some(InsuredKind::Insured));
        assert_eq!(
            kind(&["被保険者証記号：2701", "区分 被保険者・○被扶養者"]),
            Some(InsuredKind::Dependent)
        );
        assert_eq!(kind(&["被保険者・○被扶養者"]), Some(InsuredKind::Dependent));
    }

    #[test]
    fn clinic_system_label_spellings() {
        let p = read(&[
            "交付日：令和6年7月29日",
            "患者名：小林　結衣",
            "被保険者証記号：２７０１０４５３",
            "被保険者証番号：４５",
            "枝番：01",
            "医療機関：大阪府豊中市本町１−１−１　とよなか小児科クリニック",
            "医師：河野　正　印",
        ]);
        let s = |x: &str| Some(x.to_string());
        assert_eq!(p.issued.map(|d| d.to_string()), s("2024-07-29"));
        assert_eq!(p.patient.name, s("小林 結衣"));
        assert_eq!(p.patient.insured_kind, None);
        assert_eq!(
            (p.insurance.symbol, p.insurance.number, p.insurance.branch),
            (s("27010453"), s("45"), s("01"))
        );
        assert_eq!(p.institution.address, s("大阪府豊中市本町1-1-1"));
        assert_eq!(p.institution.name, s("とよなか小児科クリニック"));
        assert_eq!(p.prescriber.name, s("河野 正"));
        assert!(p.prescriber.signed);
        assert_eq!(
            inst("保険医療機関　京都府京都市左京区下鴨本町１２　しもがも内科医院"),
            (s("京都府京都市左京区下鴨本町12"), s("しもがも内科医院"))
        );
        assert_eq!(
            inst("保険医療機関：東京都世田谷区三軒茶屋２－１１－２０　さんちゃ整形外科"),
            (s("東京都世田谷区三軒茶屋2-11-20"), s("さんちゃ整形外科"))
        );
        assert_eq!(
            inst("医療機関：あさひかわ皮膚科"),
            (None, s("あさひかわ皮膚科"))
        );
        // No address before the last space: the whole value is the name.
        assert_eq!(
            inst("医療機関：さくら クリニック"),
            (None, s("さくら クリニック"))
        );
        assert_eq!(
            inst("医療機関：医療法人 さくら会 さくらクリニック"),
            (None, s("医療法人 さくら会 さくらクリニック"))
        );
        // Prose is no label.
        for line in [
            "□保険医療機関へ疑義照会した上で調剤",
            "□ 保険医療機関へ情報提供",
            "医師の指示による",
            "交付日を含めて4日以内",
        ] {
            assert!(find_labels(&lex::fold_line(line)).is_empty(), "{line}");
        }
        // The forms already read: unchanged.
        let p = read(&[
            "交付年月日 令和6年7月29日",
            "氏名 小林 結衣",
            "保険医療機関の所在地及び名称 東京都千代田区神田1-2-3 さくらクリニック",
            "保険医氏名 河野 正 印",
            "医療機関コード 0540002",
        ]);
        assert_eq!(p.issued.map(|d| d.to_string()), s("2024-07-29"));
        assert_eq!(p.patient.name, s("小林 結衣"));
        assert_eq!(p.institution.name, s("さくらクリニック"));
        assert_eq!(p.institution.code, s("0540002"));
        assert_eq!(p.prescriber.name, s("河野 正"));
    }

    #[test]
    fn extras_after_the_name_are_not_the_name() {
        let pat = |line: &str| {
            let p = read(&[line]).patient;
            (p.name, p.kana, p.sex)
        };
        let s = |x: &str| Some(x.to_string());
        assert_eq!(
            pat("氏名　木村　トメ　女"),
            (s("木村 トメ"), None, Some(Sex::Female))
        );
        assert_eq!(
            pat("氏名　木村　トメ【キムラ　トメ】"),
            (s("木村 トメ"), s("キムラ トメ"), None)
        );
        assert_eq!(
            pat("氏名　木村　トメ【キムラ　トメ】　様　　女"),
            (s("木村 トメ"), s("キムラ トメ"), Some(Sex::Female))
        );
        assert_eq!(
            pat("患者氏名：斎藤　花子　様"),
            (s("斎藤 花子"), None, None)
        );
        assert_eq!(pat("患者氏名：斎藤花子様"), (s("斎藤花子"), None, None));
        // The honorific before the reading goes as well.
        assert_eq!(
            pat("氏名：藤田　里美　様　（フジタ　サトミ）"),
            (s("藤田 里美"), s("フジタ サトミ"), None)
        );
        assert_eq!(
            pat("氏名 藤田 里美様(フジタ サトミ)"),
            (s("藤田 里美"), s("フジタ サトミ"), None)
        );
        assert_eq!(pat("氏名 山田 太郎 殿"), (s("山田 太郎"), None, None));
        assert_eq!(
            pat("氏名 山田 太郎 ○男・女"),
            (s("山田 太郎"), None, Some(Sex::Male))
        );
        // A sex word read already stays; the name still loses the word.
        let p = read(&["性別 男", "氏名 山田 太郎 女"]).patient;
        assert_eq!((p.name, p.sex), (s("山田 太郎"), Some(Sex::Male)));
        // A one-word value is the name as written.
        assert_eq!(pat("氏名 様"), (s("様"), None, None));
        // The forms already read: unchanged.
        assert_eq!(pat("氏名 山田 太郎"), (s("山田 太郎"), None, None));
        assert_eq!(
            pat("患者氏名：森田　翔太（モリタ　ショウタ）"),
            (s("森田 翔太"), s("モリタ ショウタ"), None)
        );
        assert_eq!(
            pat("氏名 山田　太郎  生年月日 S35.4.12 ㊚"),
            (s("山田 太郎"), None, Some(Sex::Male))
        );
    }

    #[test]
    fn sex_after_the_birth_date() {
        let sex = |line: &str| read(&[line]).patient.sex;
        for (line, want) in [
            ("生年月日  昭和２５年１０月１７日  男・(女)", Sex::Female),
            ("生年月日  昭和２５年１０月１７日  (男)・女", Sex::Male),
            (
                "生年月日  明・大・(昭)・平・令　２５年１０月１７日  男・(女)",
                Sex::Female,
            ),
            // The forms already read: unchanged.
            ("生年月日  昭和２５年１０月１７日  男・○女", Sex::Female),
            ("生年月日  昭和２５年１０月１７日  ㊚・女", Sex::Male),
            ("生年月日  昭和２５年１０月１７日  女", Sex::Female),
            ("性別 男・(女)", Sex::Female),
        ] {
            assert_eq!(sex(line), Some(want), "{line}");
        }
        assert_eq!(sex("生年月日  昭和２５年１０月１７日  男・女"), None);
    }

    #[test]
    fn ocr_spaces_inside_date_numbers() {
        let p = read(&[
            "交付年月日：令和6年1 1月1 8日",
            "生年月日：昭和 5 2年 4月1 9日",
        ]);
        let iso = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
        assert_eq!(iso(p.issued).as_deref(), Some("2024-11-18"));
        assert_eq!(iso(p.patient.birth_date).as_deref(), Some("1977-04-19"));
        let p = read(&["生年月日\t明・大・昭・平・令\t昭和 5 2年 4月1 9日\t(男)・女"]);
        assert_eq!(iso(p.patient.birth_date).as_deref(), Some("1977-04-19"));
        assert_eq!(p.patient.sex, Some(Sex::Male));
        assert!(p.notes.is_empty(), "{:?}", p.notes);
        // The forms already read: unchanged.
        for line in [
            "交付年月日：令和6年11月18日",
            "交付年月日：令和 6年 11月 18日",
            "交付年月日：令和 6 年 11 月 18 日",
            "交付年月日 R6.11.18",
        ] {
            assert_eq!(
                iso(read(&[line]).issued).as_deref(),
                Some("2024-11-18"),
                "{line}"
            );
        }
        // Digits a space apart that no 年/月/日 follows are separate numbers.
        assert_eq!(join_date_digits("S35.4.12 65歳"), "S35.4.12 65歳");
        assert_eq!(
            iso(read(&["生年月日 S35.4.12 65歳"]).patient.birth_date).as_deref(),
            Some("1960-04-12")
        );
        assert_eq!(
            join_date_digits("平成 1 0年 1 2月 3 1日"),
            "平成 10年 12月 31日"
        );
    }

    #[test]
    fn unlabelled_choices() {
        let p = read(&["㊛・男", "被保険者・○被扶養者"]);
        assert_eq!(p.patient.sex, Some(Sex::Female));
        assert_eq!(p.patient.insured_kind, Some(InsuredKind::Dependent));
    }

    proptest::proptest! {
        #[test]
        fn clean_is_squeeze_then_trim(v in "[ 　\t:：()【】a錠\u{2028}\u{85}]{0,12}") {
            // What `clean` computed before it trimmed first.
            let squeezed = lex::squeeze(&v);
            let expected = squeezed.trim_matches(is_value_edge);
            let cleaned = clean(&v);
            proptest::prop_assert_eq!(cleaned.as_ref(), expected);
        }
    }

    #[test]
    fn labels_match_across_ocr_spaces_only() {
        let at = |line: &str, label: &str| spaced_match(line, 0, label);
        assert_eq!(at("保険者番号 1", "保険者番号"), Some(15));
        assert_eq!(at("保 険 者　番号", "保険者番号"), Some(20));
        assert_eq!(at("保険医氏名", "保険者番号"), None);
        assert_eq!(at("保険 医氏名", "保険者番号"), None);
        assert_eq!(at("保険者", "保険者番号"), None);
        assert_eq!(at("保険者 ", "保険者番号"), None);
        // The line ends inside a character of the label: no match, no panic.
        assert_eq!(at("保険\u{3000}", "保険者"), None);
        let hits = find_labels("TEL 03\t氏 名 山田 ｶﾅ カナ");
        let fields: Vec<Field> = hits.iter().map(|h| h.field).collect();
        assert_eq!(fields, [Field::Phone, Field::Name, Field::Kana]);
        assert_eq!(
            &"TEL 03\t氏 名 山田 ｶﾅ カナ"[hits[1].start..hits[1].end],
            "氏 名"
        );
    }

    #[test]
    fn every_label_is_indexed_under_its_first_character_longest_first() {
        let index = label_index();
        for (text, field, _) in LABELS {
            let first = text.chars().next().unwrap_or_default();
            let found: Vec<&Label> = labels_starting(index, first).collect();
            assert!(
                found.iter().any(|l| l.text == *text && l.field == *field),
                "{text}"
            );
            assert!(found.iter().all(|l| l.first == first), "{text}");
            let lengths: Vec<usize> = found.iter().map(|l| l.text.chars().count()).collect();
            assert!(
                lengths.windows(2).all(|w| w[0] >= w[1]),
                "{text}: {lengths:?}"
            );
        }
    }

    #[test]
    fn words_are_found_where_str_find_finds_them() {
        for (v, w) in [
            ("○被保険者・被扶養者", "被扶養者"),
            ("被 保険者 被保険者", "被保険者"),
            ("男", "女"),
            ("", "男"),
            ("男", ""),
        ] {
            assert_eq!(find_word(v, w), v.find(w), "{v} / {w}");
        }
    }

    #[test]
    fn short_rows_are_counted_without_whitespace() {
        assert!(letters_at_most("", 0));
        assert!(letters_at_most("男 　 女", 2));
        assert!(!letters_at_most("男 　 女", 1));
        assert!(letters_at_most("a\u{2028}b\u{85}c", 3));
        assert!(!letters_at_most("被保険者・被扶養者", 8));
        assert!(letters_at_most("被保険者・被扶養者", 9));
    }

    #[test]
    fn ocr_letters_inside_numbers_are_digits() {
        let s = |x: &str| Some(x.to_string());
        let iso = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
        let phone = |lines: &[&str]| read(lines).institution.phone;
        assert_eq!(phone(&["電話番号 O11-251-4433"]), s("011-251-4433"));
        assert_eq!(phone(&["電話番号", "O53ー455ー12l2"]), s("053-455-1212"));
        let p = read(&["保険者番号", "O 6 2 2 O 1 1 5"]);
        assert_eq!(p.insurance.insurer_number, s("06220115"));
        for (line, code) in [
            ("医療機関コード 5 O 8 l 2 7 5", "5081275"),
            ("医療機関コード 3OO7863", "3007863"),
            // The forms already read: unchanged.
            ("医療機関コード 5081275", "5081275"),
            ("医療機関コード 5 0 8 1 2 7 5", "5081275"),
        ] {
            assert_eq!(read(&[line]).institution.code, s(code), "{line}");
        }
        let ins = read(&["記号・番号 6 5 1 2 ・ 3 O 8 (枝番) O l"]).insurance;
        assert_eq!(
            (ins.symbol, ins.number, ins.branch),
            (s("6512"), s("308"), s("01"))
        );
        for (lines, date) in [
            (&["交付年月日 令和 6年 8月 l9曰"][..], "2024-08-19"),
            (&["交付年月日 令和7年3月2l日"], "2025-03-21"),
            (&["交付年月日 R6.1O.1"], "2024-10-01"),
            // The forms already read: unchanged.
            (&["交付年月日 令和7年3月21日"], "2025-03-21"),
            (&["交付年月日 令和7年3月18曰"], "2025-03-18"),
        ] {
            assert_eq!(iso(read(lines).issued).as_deref(), Some(date), "{lines:?}");
        }
        for (lines, date) in [
            (&["生年月日 昭和4O年1月1日"][..], "1965-01-01"),
            (&["生年月日", "平成 2O 年 9 月 3 日"], "2008-09-03"),
            // Every letter spaced, the era name too, 日 read as 曰.
            (&["生年月日	昭 和 3 7 年 5 月 l 9 曰	女"], "1962-05-19"),
        ] {
            let p = read(lines);
            assert_eq!(
                iso(p.patient.birth_date).as_deref(),
                Some(date),
                "{lines:?}"
            );
        }
        // Words with other letters are words: nothing read into them.
        assert_eq!(ocr_digits("Tel 03-1234-5678"), "Tel 03-1234-5678");
        assert_eq!(ocr_digits("No 12"), "No 12");
        assert_eq!(ocr_digits("FAX O3"), "FAX 03");
        // A lone letter with no digit near it is a letter, unless it is the whole value.
        assert_eq!(ocr_digits("O ・ x"), "O ・ x");
        assert_eq!(ocr_digits(" O l"), " 0 1");
    }

    #[test]
    fn a_date_number_cut_by_a_letter_is_not_read() {
        for line in [
            "交付年月日 令和7年3月2x日",
            "交付年月日 令和7年1x月2日",
            "交付年月日 R7.3.2x",
        ] {
            let p = read(&[line]);
            assert_eq!(p.issued, None, "{line}");
            assert_eq!(p.notes[0].rule, "date-invalid", "{line}");
        }
        // Letters after a whole date are no part of it.
        let p = read(&["生年月日 1960-04-12 (64y)"]);
        assert_eq!(
            p.patient.birth_date.map(|d| d.to_string()).as_deref(),
            Some("1960-04-12")
        );
        let p = read(&["交付年月日 2025-03-04T10:00"]);
        assert_eq!(
            p.issued.map(|d| d.to_string()).as_deref(),
            Some("2025-03-04")
        );
    }

    #[test]
    fn the_last_dot_separates_symbol_and_number() {
        for (line, want) in [
            (
                "記号・番号 仙台 3・7721 (枝番) 01",
                some("仙台3", "7721", "01"),
            ),
            (
                "記号・番号  広島 2 1 ・ 5 5 0 7   (枝番) 0 0",
                some("広島21", "5507", "00"),
            ),
            (
                "被保険者証記号・番号：埼南３１・４０８２（枝番：００）",
                some("埼南31", "4082", "00"),
            ),
            (
                "被保険者証・被保険者手帳の記号・番号\t仙台 ３ ・ ７７２１　(枝番) ０１",
                some("仙台3", "7721", "01"),
            ),
            // The forms already read: unchanged.
            ("記号・番号 12345・678(枝番)01", some("12345", "678", "01")),
            ("記号・番号 12345・678 01", some("12345", "678", "01")),
            ("記号・番号・枝番 1 2 ・ 3 4 ・ 0 1", some("12", "34", "01")),
            ("記号・番号 北12・34(枝番)02", some("北12", "34", "02")),
            ("記号・番号 大阪１２・３３０５４", {
                let mut w = some("大阪12", "33054", "");
                w.2 = None;
                w
            }),
        ] {
            assert_eq!(ins(line), want, "{line}");
        }
        // The card's own labels still read apart.
        let p = read(&["被保険者証記号：２７０１０４５３", "被保険者証番号：４５"]);
        assert_eq!(p.insurance.symbol.as_deref(), Some("27010453"));
        assert_eq!(p.insurance.number.as_deref(), Some("45"));
    }

    #[test]
    fn prescriber_under_short_labels() {
        for (line, name) in [
            ("保険医 鈴村 健太郎 (印)", "鈴村 健太郎"),
            ("担当医：原田　千尋　印", "原田 千尋"),
            ("　保険医　　　　石黒　真由美　印", "石黒 真由美"),
            // The forms already read: unchanged.
            ("保険医氏名 鈴村 健太郎 印", "鈴村 健太郎"),
            ("医師：河野　正　印", "河野 正"),
        ] {
            let p = read(&[line]);
            assert_eq!(p.prescriber.name.as_deref(), Some(name), "{line}");
            assert!(p.prescriber.signed, "{line}");
        }
        // Inside words and sentences they are no labels.
        for line in [
            "□保険医療機関へ疑義照会した上で調剤",
            "「保険医署名」欄に署名又は記名・押印すること。",
            "担当医に相談してください",
            "保険医療機関の所在地及び名称 東京都港区芝1-1 芝クリニック",
        ] {
            let hits = find_labels(&lex::fold_line(line));
            assert!(hits.iter().all(|h| h.field != Field::Prescriber), "{line}");
        }
    }

    #[test]
    fn a_written_refill_count_allows_refills() {
        let refill = |line: &str| {
            let p = read(&[line]);
            (p.refill.allowed, p.refill.count)
        };
        assert_eq!(refill("リフィル可（２回）"), (true, Some(2)));
        assert_eq!(refill("リフィル可 □（3回）"), (true, Some(3)));
        // The forms already read: unchanged.
        assert_eq!(refill("リフィル可 ■（2回）"), (true, Some(2)));
        assert_eq!(refill("リフィル可 レ 3回"), (true, Some(3)));
        for line in [
            "リフィル可 □",
            "リフィル可\t□\t（　回）",
            "リフィル可 □（ 回）",
            "リフィル可（０回）",
            "リフィル可 □ 調剤 1回目",
        ] {
            assert_eq!(refill(line), (false, None), "{line}");
        }
    }

    #[test]
    fn insured_kind_in_clinic_system_rows() {
        let kind = |lines: &[&str]| read(lines).patient.insured_kind;
        for (lines, want) in [
            (&["　本人・家族　　家族"][..], InsuredKind::Dependent),
            (&["続柄 家族"], InsuredKind::Dependent),
            (&["本人／家族：本人"], InsuredKind::Insured),
            (
                &["氏名 森下 悠真 生年月日 平成6年10月2日 男 被保険者"],
                InsuredKind::Insured,
            ),
            (
                &["生年月日　昭和２１年６月２日　　性別　女　　被保険者"],
                InsuredKind::Insured,
            ),
            (&["性別 男 被扶養者"], InsuredKind::Dependent),
            // The forms already read: unchanged.
            (&["区分 被保険者"], InsuredKind::Insured),
            (&["区 分  ○本人・家族"], InsuredKind::Insured),
            (&["区分 家 族"], InsuredKind::Dependent),
        ] {
            assert_eq!(kind(lines), Some(want), "{lines:?}");
        }
        // Nothing chosen, or the word not at the end of the row: unknown.
        for lines in [
            &["本人・家族"][..],
            &["区分 本人・家族"],
            &["続柄 長男"],
            &["生年月日 平成6年10月2日 男 被保険者・被扶養者"],
            &["性別 男 被保険者証 あり"],
        ] {
            assert_eq!(kind(lines), None, "{lines:?}");
        }
    }

    #[test]
    fn the_insured_number_of_the_elderly_card() {
        let p = read(&["保険者番号　３９２８００１１　　被保険者番号　００４５１２３０"]);
        assert_eq!(p.insurance.insurer_number.as_deref(), Some("39280011"));
        assert_eq!(p.insurance.number.as_deref(), Some("00451230"));
        assert_eq!(p.insurance.symbol, None);
        // Its label names the number, not the 区分.
        let p = read(&["被保険者番号 00451230"]);
        assert_eq!(p.insurance.number.as_deref(), Some("00451230"));
        assert_eq!(p.patient.insured_kind, None);
        // The forms already read: unchanged.
        let p = read(&["保険者番号 06132015", "被保険者証番号：４５"]);
        assert_eq!(p.insurance.insurer_number.as_deref(), Some("06132015"));
        assert_eq!(p.insurance.number.as_deref(), Some("45"));
    }

    #[test]
    fn a_ten_digit_institution_code_holds_prefecture_and_fee_table() {
        let inst = |lines: &[&str]| {
            let i = read(lines).institution;
            (i.prefecture_code, i.fee_table_code, i.code)
        };
        let s = |x: &str| Some(x.to_string());
        let want = (s("27"), s("1"), s("3055263"));
        for lines in [
            &["　医療機関コード　２７１３０５５２６３"][..],
            &["医療機関コード 27 1 3055263"],
            &["都道府県番号 27 点数表番号 1 医療機関コード 2713055263"],
        ] {
            assert_eq!(inst(lines), want, "{lines:?}");
        }
        assert_eq!(
            inst(&["[機関コード]　13 1 9022586"]),
            (s("13"), s("1"), s("9022586"))
        );
        // Not a prefecture and fee table, or other ones read already: all digits kept.
        assert_eq!(inst(&["医療機関コード 9913055263"]).2, s("9913055263"));
        assert_eq!(
            inst(&["都道府県番号 13 医療機関コード 2713055263"]),
            (s("13"), None, s("2713055263"))
        );
        // The forms already read: unchanged.
        assert_eq!(
            inst(&["都道府県番号 27 点数表番号 1 医療機関コード 3055263"]),
            want
        );
        assert_eq!(inst(&["医療機関コード\t12・3456・7"]).2, s("1234567"));
    }

    #[test]
    fn institution_name_beside_patient_cells_under_the_address() {
        let s = |x: &str| Some(x.to_string());
        let p = read(&[
            "患者\t氏名\t岩崎 陽介\t保険医療機関の所在地及び名称\t神奈川県川崎市中原区小杉町3-264",
            "\t生年月日\t昭和49年12月31日\t男\tこすぎ内科クリニック",
        ]);
        assert_eq!(p.institution.address, s("神奈川県川崎市中原区小杉町3-264"));
        assert_eq!(p.institution.name, s("こすぎ内科クリニック"));
        assert_eq!(p.patient.birth_date.map(|d| d.to_string()), s("1974-12-31"));
        assert_eq!(p.patient.sex, Some(Sex::Male));
        // Under it a row without labels: the reading of the patient, then the name.
        let p = read(&[
            "患者\t氏名\t岩崎　陽介\t保険医療機関の所在地及び名称\t神奈川県川崎市中原区小杉町３－２６４",
            "\t\tいわさき　ようすけ\t\tこすぎ内科クリニック",
        ]);
        assert_eq!(p.institution.name, s("こすぎ内科クリニック"));
        // Not the line right under the address, or no name's ending: no name.
        let p = read(&[
            "保険医療機関の所在地及び名称\t神奈川県川崎市中原区小杉町3-264",
            "電話番号\t044-712-3388",
            "\t生年月日\t昭和49年12月31日\t男\tこすぎ内科クリニック",
        ]);
        assert_eq!(p.institution.name, None);
        let p = read(&[
            "保険医療機関の所在地及び名称\t神奈川県川崎市中原区小杉町3-264",
            "\t区分\t被保険者\t被扶養者",
        ]);
        assert_eq!(p.institution.name, None);
        // The forms already read: unchanged.
        let p = read(&[
            "保険医療機関の所在地及び名称  横浜市西区1-1",
            "みなと整形外科",
        ]);
        assert_eq!(p.institution.name, s("みなと整形外科"));
    }

    #[test]
    fn invalid_date_is_noted() {
        let p = read(&["交付年月日 令和6年2月30日"]);
        assert!(p.issued.is_none());
        assert_eq!(p.notes[0].rule, "date-invalid");
    }
}

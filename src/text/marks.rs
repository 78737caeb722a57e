//! Per-drug marks (glyphs in the 変更不可 / 患者希望 columns) and inline annotations.
//!
//! Both tables are data: a new spelling is one more row.

use super::lex::TrimWs;
use crate::model::Flags;
use std::borrow::Cow;

/// Glyphs that mean "ticked" in a checkbox (リフィル可, 残薬, 区分): same set minus the loose ones.
pub const BOX_TICKS: &[char] = &[
    'レ', '✓', '✔', '☑', '✅', '×', '✕', '✖', '✗', '✘', '■', '●', '☒',
];

/// Which column a mark sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    /// 変更不可 / 変更不可（医療上必要）.
    NoSubstitution,
    /// 患者希望.
    PatientWish,
}

/// What an inline annotation sets.
#[derive(Debug, Clone, Copy)]
pub struct Effect {
    pub no_substitution: bool,
    pub medical_need: bool,
    pub patient_wish: bool,
    pub no_form: bool,
    pub no_strength: bool,
}

const fn eff(
    no_substitution: bool,
    medical_need: bool,
    patient_wish: bool,
    no_form: bool,
    no_strength: bool,
) -> Effect {
    Effect {
        no_substitution,
        medical_need,
        patient_wish,
        no_form,
        no_strength,
    }
}

/// Inline annotation spellings (folded, spaces removed), longest first so that 剤形変更不可
/// is not also read as 変更不可. Bracket styles are stripped around the match afterwards.
pub const ANNOTATIONS: &[(&str, Effect)] = &[
    (
        "剤形・含量規格変更不可",
        eff(false, false, false, true, true),
    ),
    (
        "剤形及び含量規格変更不可",
        eff(false, false, false, true, true),
    ),
    (
        "含量規格・剤形変更不可",
        eff(false, false, false, true, true),
    ),
    ("含量規格変更不可", eff(false, false, false, false, true)),
    ("剤形変更不可", eff(false, false, false, true, false)),
    (
        "後発医薬品への変更不可",
        eff(true, false, false, false, false),
    ),
    ("後発品への変更不可", eff(true, false, false, false, false)),
    ("後発品に変更不可", eff(true, false, false, false, false)),
    ("後発品変更不可", eff(true, false, false, false, false)),
    ("変更不可(医療上必要)", eff(true, true, false, false, false)),
    ("変更不可", eff(true, false, false, false, false)),
    ("医療上必要", eff(true, true, false, false, false)),
    ("先発医薬品患者希望", eff(false, false, true, false, false)),
    ("先発医薬品希望", eff(false, false, true, false, false)),
    ("先発品希望", eff(false, false, true, false, false)),
    // Short form, as the Fukuoka seed writes it (「患者が先発希望なら…」 is commentary, below).
    ("先発希望", eff(false, false, true, false, false)),
    ("患者希望", eff(false, false, true, false, false)),
];

/// For each row of [`ANNOTATIONS`], a word it holds: 0 = 不可, 1 = 必要, 2 = 希望 (checked
/// against the table in a test).
const FAMILY: [usize; 17] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 2, 2, 2, 2];

/// Words that make a token commentary rather than an instruction
/// (「患者が先発希望なら選定療養の対象」 is not a wish).
const COMMENTARY: &[&str] = &["なら", "場合", "対象", "とき", "?"];

/// Applies an effect to flags.
pub fn apply(f: &mut Flags, e: Effect) {
    f.no_substitution |= e.no_substitution;
    f.medical_need_written |= e.medical_need;
    f.patient_wish |= e.patient_wish;
    f.no_form_change |= e.no_form;
    f.no_strength_change |= e.no_strength;
}

/// Applies a column mark.
pub fn apply_mark(f: &mut Flags, k: MarkKind) {
    match k {
        MarkKind::NoSubstitution => f.no_substitution = true,
        MarkKind::PatientWish => f.patient_wish = true,
    }
}

/// Finds inline annotations in folded text; returns the text with them (and their brackets)
/// removed, and the flags they set.
///
/// ```
/// use shohosen::text::marks::extract_annotations;
/// let (rest, f) = extract_annotations("ジスロマック錠250mg 2錠 【患者希望】");
/// assert!(f.patient_wish);
/// assert_eq!(rest.trim(), "ジスロマック錠250mg 2錠");
/// let (_, g) = extract_annotations("GEで調剤可。 患者が先発品希望なら 選定療養の対象");
/// assert!(!g.patient_wish);
/// ```
pub fn extract_annotations(s: &str) -> (Cow<'_, str>, Flags) {
    // Every annotation holds 不 (…変更不可), 希 (…希望) or 必 (医療上必要): most lines have
    // none and are handed back without a copy.
    if !super::lex::ANNOTATION_CHARS.any_in(s) {
        return (Cow::Borrowed(s), Flags::default());
    }
    let (rest, flags) = extract_tokens(s);
    if flags != Flags::default() {
        return (rest, flags);
    }
    // OCR puts spaces inside words (`※患 者希望`, `変更 不可`): an annotation split so is
    // looked for again in the text with those spaces removed, rather than lost without a
    // word. The line is then read with its spaces between kanji/kana joined.
    let joined = join_cjk_spaces(s);
    if joined.len() == s.len() {
        return (rest, flags);
    }
    match extract_tokens(&joined) {
        (r, f) if f != Flags::default() => (Cow::Owned(r.into_owned()), f),
        _ => (rest, flags),
    }
}

/// `s` without the single spaces that stand between two characters that are neither ASCII
/// nor whitespace (`患 者希望` → `患者希望`; `A錠 1錠` keeps its space).
fn join_cjk_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev: Option<char> = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' '
            && prev.is_some_and(|p| !p.is_ascii() && !super::lex::is_ws(p))
            && chars
                .peek()
                .is_some_and(|n| !n.is_ascii() && !super::lex::is_ws(*n))
        {
            continue;
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// [`extract_annotations`] on the words of `s` as they are spaced.
fn extract_tokens(s: &str) -> (Cow<'_, str>, Flags) {
    let mut flags = Flags::default();
    // The text is rebuilt only from the first token an annotation changes: tokens are split
    // on single spaces and joined back the same way, so unchanged text is copied as it is.
    let mut out: Option<String> = None;
    // Bytes of `s` already in `out`.
    let mut copied = 0;
    let mut at = 0;
    for tok in s.split(' ') {
        let start = at;
        at += tok.len() + 1;
        // The same cheap gate per token before any substring search.
        if !tok.contains(['不', '希', '必']) || COMMENTARY.iter().any(|w| has(tok, w)) {
            continue;
        }
        let mut t = Cow::Borrowed(tok);
        let mut changed = false;
        // Every spelling holds 不可, 必要 or 希望 (see `family`): spellings of a family the
        // token lacks cannot occur, before or after a replacement (a replacement only puts a
        // space where a spelling was), so their scans are skipped.
        let present = [has(tok, "不可"), has(tok, "必要"), has(tok, "希望")];
        for (k, (pat, e)) in ANNOTATIONS.iter().enumerate() {
            if !present[FAMILY[k]] {
                continue;
            }
            // One linear replace per spelling (a find/replace loop is quadratic on long lines).
            if has(&t, pat) {
                apply(&mut flags, *e);
                t = Cow::Owned(replace_with_space(&t, pat));
                changed = true;
            }
        }
        if changed {
            let o = out.get_or_insert_with(|| String::with_capacity(s.len()));
            o.push_str(&s[copied..start]);
            o.push_str(&strip_empty_brackets(&t));
            copied = start + tok.len();
        }
    }
    match out {
        Some(mut o) => {
            o.push_str(&s[copied..]);
            (Cow::Owned(o), flags)
        }
        None => (Cow::Borrowed(s), flags),
    }
}

/// Substring test for short tokens: a byte-window scan costs less than setting up the
/// two-way searcher of `str::contains` for each of the table's spellings (bounded by the
/// pattern length, so still linear in the token).
fn has(t: &str, pat: &str) -> bool {
    find_from(t.as_bytes(), 0, pat.as_bytes()).is_some()
}

/// Byte offset of the first occurrence of `p` (not empty) in `t` at or after `from`: the
/// byte-window scan shared by [`has`] and [`replace_with_space`].
fn find_from(t: &[u8], from: usize, p: &[u8]) -> Option<usize> {
    let first = *p.first()?;
    t.get(from..)?
        .windows(p.len())
        .position(|w| w[0] == first && w == p)
        .map(|k| from + k)
}

/// `t.replace(pat, " ")` by the byte-window scan of [`find_from`]: `str::replace` sets up a two-way
/// searcher per call, which costs more than the scan over a token. A match of valid UTF-8 in
/// valid UTF-8 starts and ends on character boundaries, so the slices are whole characters.
/// `pat` is never empty here (an empty one leaves `t` as it is).
fn replace_with_space(t: &str, pat: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut copied = 0;
    while let Some(i) = find_from(t.as_bytes(), copied, pat.as_bytes()) {
        out.push_str(&t[copied..i]);
        out.push(' ');
        copied = i + pat.len();
    }
    out.push_str(&t[copied..]);
    out
}

/// Removes brackets left empty by [`extract_annotations`] and lone `※`.
fn strip_empty_brackets(s: &str) -> String {
    let mut t = s.to_string();
    for pair in [
        "【 】", "( )", "[ ]", "〔 〕", "< >", "《 》", "「 」", "『 』", "〈 〉",
    ] {
        // Most tokens hold none of the pairs: test before copying.
        if has(&t, pair) {
            t = replace_with_space(&t, pair);
        }
    }
    if t.contains('※') {
        t = t.replace('※', " ");
    }
    t
}

/// The mark glyphs at the start of a cell's folded text, and the rest
/// (`レ 医療上必要` → (true, "医療上必要")). `□` alone is an empty box, not a mark.
pub fn leading_mark(s: &str) -> (bool, &str) {
    let t = s.trim_ws_start();
    let mut end = 0;
    for (i, c) in t.char_indices() {
        if is_mark_glyph(c) {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    if end == 0 {
        return (false, t);
    }
    let rest = &t[end..];
    // `x`/`X`/`v` glued to a word are letters, not marks (`Xyzal`).
    if !rest.is_empty()
        && !rest.starts_with(' ')
        && t[..end].chars().all(|c| c.is_ascii_alphabetic())
    {
        return (false, t);
    }
    (true, rest.trim_ws_start())
}

/// A cell that holds only a mark (and maybe an annotation): returns the annotation flags too.
pub fn mark_cell(s: &str) -> Option<Flags> {
    // OCR misreads of レ/✓ count only as a whole cell (`L` inside a word is a letter).
    let t = s.trim_ws();
    // One character, looked at without counting the whole cell (most cells are drug text).
    let mut cs = t.chars();
    let first = cs.next()?;
    // The loose marks and the mark glyphs are disjoint: a loose mark with more after it is no
    // mark cell.
    if is_loose_mark(first) {
        return cs.next().is_none().then(Flags::default);
    }
    // A mark cell starts with a mark glyph (what `leading_mark` looks for first).
    if !is_mark_glyph(first) {
        return None;
    }
    let (m, rest) = leading_mark(s);
    if !m {
        return None;
    }
    let (left, flags) = extract_annotations(rest);
    if left.trim_ws().is_empty() {
        Some(flags)
    } else {
        None
    }
}

/// Glyphs that mean "ticked" in a mark column (after NFKC; `ﾚ` folds to `レ`).
/// `v`/`V` are OCR misreads of `レ`/`✓` and count only inside a mark column cell.
///
/// A `match` rather than a list to search: it is asked of the first character of every cell
/// before a drug cell.
///
/// ```
/// use shohosen::text::marks::is_mark_glyph;
/// assert!(is_mark_glyph('レ') && is_mark_glyph('✓') && !is_mark_glyph('□'));
/// ```
pub fn is_mark_glyph(c: char) -> bool {
    matches!(
        c,
        'レ' | '✓'
            | '✔'
            | '☑'
            | '✅'
            | '×'
            | '✕'
            | '✖'
            | '✗'
            | '✘'
            | 'x'
            | 'X'
            | '○'
            | '◯'
            | '●'
            | '■'
            | '☒'
            | 'v'
            | 'V'
            // Typed or OCR'd stand-ins: ideographic zero for ○, bullseye, saltire for ×,
            // small katakana レ.
            | '〇'
            | '◎'
            | '☓'
            | 'ㇾ'
    )
}

/// OCR misreads of a tick that count only when they are a whole cell (see [`is_mark_glyph`]).
///
/// ```
/// use shohosen::text::marks::is_loose_mark;
/// assert!(is_loose_mark('L') && !is_loose_mark('レ'));
/// ```
pub fn is_loose_mark(c: char) -> bool {
    // O/o/0 are OCR's reading of a circle (full-width Ｏ folds to O).
    matches!(
        c,
        'L' | 'l' | 'し' | 'く' | 'ν' | '√' | '┐' | 'O' | 'o' | '0'
    )
}

/// A cell that stands where a mark would and holds one character that is neither a mark
/// nor the start of drug text (`*`, `◆`, `△`): something was written in the mark column,
/// but what it means cannot be read. The caller still reads the drug after it and reports
/// the cell (`mark-ambiguous`) instead of binding it, so that the row is neither lost nor
/// given a flag nobody wrote.
///
/// ```
/// use shohosen::text::marks::is_unreadable_mark;
/// assert!(is_unreadable_mark("*") && is_unreadable_mark(" ◆ "));
/// assert!(!is_unreadable_mark("レ") && !is_unreadable_mark("1") && !is_unreadable_mark("処"));
/// assert!(!is_unreadable_mark("**") && !is_unreadable_mark(""));
/// ```
pub fn is_unreadable_mark(cell: &str) -> bool {
    let mut cs = cell.trim_ws().chars();
    let (Some(c), None) = (cs.next(), cs.next()) else {
        return false;
    };
    // Letters and digits begin drug text or an Rp number (`1`, `A錠`, `①` folds to 【1】);
    // brackets may open a 般 marker or an annotation.
    !(is_mark_glyph(c)
        || is_loose_mark(c)
        || c.is_alphanumeric()
        || matches!(c, '(' | '[' | '【' | '「' | '<' | '〈' | '※'))
}

/// True when a box glyph before the text is ticked.
pub fn ticked(c: char) -> bool {
    BOX_TICKS.contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_split_by_ocr_spaces() {
        let flags = |t: &str| extract_annotations(t).1;
        assert!(flags("アジルバ錠20mg 1錠 ※患 者希望").patient_wish);
        assert!(flags("(患者 希望)").patient_wish);
        assert!(flags("B錠5mg 1錠 変更 不可").no_substitution);
        let f = flags("変更 不可 (医療上 必要)");
        assert!(f.no_substitution && f.medical_need_written);
        // Commentary stays commentary once joined; unsplit forms read as before.
        assert_eq!(flags("患者が先発 希望なら選定療養"), Flags::default());
        assert!(flags("A錠 【患者希望】").patient_wish);
        assert_eq!(flags("A錠5mg 1錠 1日1回 朝食後"), Flags::default());
        // The text handed back has the annotation removed; ASCII spacing is kept.
        let (rest, _) = extract_annotations("A錠 5mg 1錠 変更 不可");
        assert_eq!(rest.trim(), "A錠 5mg 1錠");
    }

    #[test]
    fn short_first_brand_wish_is_a_wish_but_not_in_commentary() {
        let (rest, f) = extract_annotations("オノンドライシロップ10% 1.0g 【先発希望】");
        assert!(f.patient_wish && !f.no_substitution);
        assert_eq!(rest.trim_ws(), "オノンドライシロップ10% 1.0g");
        // The Fukuoka seed's commentary column.
        let (_, g) = extract_annotations("GEで調剤可。 患者が先発希望なら 選定療養の対象");
        assert!(!g.patient_wish);
    }

    #[test]
    fn families_hold_their_word() {
        assert_eq!(FAMILY.len(), ANNOTATIONS.len());
        for ((a, _), f) in ANNOTATIONS.iter().zip(FAMILY) {
            assert!(a.contains(["不可", "必要", "希望"][f]), "{a}");
        }
    }

    #[test]
    fn annotation_gate_covers_the_table() {
        for (a, _) in ANNOTATIONS {
            assert!(a.contains(['不', '希', '必']), "{a}");
        }
    }

    #[test]
    fn glyph_sets_are_the_grammars_and_disjoint() {
        // grammars/prescription.ebnf `mark-glyph`, and the loose misreads.
        let marks = "レ✓✔☑✅×✕✖✗✘xX○◯●■☒vV〇◎☓ㇾ";
        let loose = "Llしくν√┐Oo0";
        let all = || (0..=0x10FFFF).filter_map(char::from_u32);
        assert_eq!(all().filter(|&c| is_mark_glyph(c)).collect::<String>(), {
            let mut v: Vec<char> = marks.chars().collect();
            v.sort();
            v.into_iter().collect::<String>()
        });
        assert_eq!(all().filter(|&c| is_loose_mark(c)).collect::<String>(), {
            let mut v: Vec<char> = loose.chars().collect();
            v.sort();
            v.into_iter().collect::<String>()
        });
        // mark_cell tests the loose marks first: no glyph may be both.
        assert!(!all().any(|c| is_mark_glyph(c) && is_loose_mark(c)));
    }

    #[test]
    fn marks() {
        assert!(mark_cell("レ").is_some());
        assert!(mark_cell("レ 医療上必要").is_some_and(|f| f.medical_need_written));
        assert!(mark_cell("A錠").is_none());
        assert!(mark_cell("□").is_none());
        assert!(mark_cell("L").is_some());
        assert!(mark_cell("Lキサトール").is_none());
        assert!(mark_cell("Xyzal").is_none());
        let (_, f) = extract_annotations("(後発品に変更不可)");
        assert!(f.no_substitution && !f.no_form_change);
        let (_, g) = extract_annotations("剤形・含量規格変更不可");
        assert!(g.no_form_change && g.no_strength_change && !g.no_substitution);
    }

    /// The straightforward form of [`extract_annotations`] (every token copied, every
    /// spelling scanned): the oracle of the version that copies only what changes.
    fn reference_extract(s: &str) -> (String, Flags) {
        let mut flags = Flags::default();
        let mut out = Vec::new();
        for tok in s.split(' ') {
            if !tok.contains(['不', '希', '必']) || COMMENTARY.iter().any(|w| tok.contains(w)) {
                out.push(tok.to_string());
                continue;
            }
            let mut t = tok.to_string();
            let mut changed = false;
            for (pat, e) in ANNOTATIONS {
                if t.contains(pat) {
                    apply(&mut flags, *e);
                    t = t.replace(pat, " ");
                    changed = true;
                }
            }
            if changed {
                t = strip_empty_brackets(&t);
            }
            out.push(t);
        }
        (out.join(" "), flags)
    }

    fn flag_bits(f: &Flags) -> [bool; 5] {
        [
            f.no_substitution,
            f.patient_wish,
            f.no_form_change,
            f.no_strength_change,
            f.medical_need_written,
        ]
    }

    proptest::proptest! {
        #[test]
        fn replace_with_space_equals_str_replace(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "変", "更", "不可", "【", "】", " ", "a", "aa", "※", "( )", "(", ")", "é", "😀",
            ]), 0..16),
            pat in proptest::sample::select(vec![
                "変更不可", "不可不可", "【 】", "( )", "aa", "a", "※", "😀", "é",
            ])
        ) {
            // Overlapping candidates (`aa` in `aaa`, `不可不可` in `不可不可不可`) are replaced
            // left to right without overlap, as `str::replace` does.
            let s: String = parts.concat();
            proptest::prop_assert_eq!(replace_with_space(&s, pat), s.replace(pat, " "));
        }
    }

    proptest::proptest! {
        #[test]
        fn extraction_matches_the_reference(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "A錠", " ", "  ", "【", "】", "(", ")", "変更不可", "後発品変更不可", "医療上必要",
                "患者希望", "先発品希望", "剤形変更不可", "含量規格変更不可", "不可", "希望", "必要",
                "なら", "対象", "※", "レ", "2錠", "不", "希", "必", "・", "剤形・含量規格変更不可",
                "先発希望", "先発",
            ]), 0..12)
        ) {
            let s: String = parts.concat();
            let (got, f) = extract_annotations(&s);
            let (want, g) = reference_extract(&s);
            proptest::prop_assert_eq!(got.as_ref(), want.as_str());
            proptest::prop_assert_eq!(flag_bits(&f), flag_bits(&g));
        }
    }
}

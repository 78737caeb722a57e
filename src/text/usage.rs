//! Usage (用法) text: times per day, 服用時点 key, days, 頓服 回分, and the category inference table.
//!
//! The scanner walks the folded text and tries the small nom grammars of
//! `grammars/prescription.ebnf` (`usage-fact`) at every position, so word order and
//! punctuation (`、` `・` `(`) do not matter.

use nom::branch::alt;
use nom::bytes::complete::tag;
use nom::character::complete::{char as ch, satisfy, space0, space1};
use nom::combinator::not;
use nom::sequence::{preceded, terminated};
use nom::{IResult, Parser};

use super::lex::{self, AmountTok};
use crate::model::Category;

/// The facts found in usage text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UsageFacts {
    pub times_per_day: Option<u32>,
    pub days: Option<u32>,
    pub times: Option<u32>,
    /// Normalized 服用時点 keys in order (see [`TIMINGS`]).
    pub timing: Vec<&'static str>,
    /// 頓服 condition (`発熱時`).
    pub condition: Option<String>,
    pub as_needed_word: bool,
    /// An action word decided the category (`塗布` → external).
    pub action: Option<Category>,
    /// `1回1錠` inside the usage.
    /// (Boxed, as is `bare`: rarely written, and facts are moved with every drug line.)
    pub per_dose: Option<Box<AmountTok>>,
    /// A bare amount inside the usage (`7錠(4錠-2錠-1錠)`).
    pub bare: Option<Box<AmountTok>>,
    /// `内服` written.
    pub internal_word: bool,
}

impl UsageFacts {
    /// True when the text said anything a usage line says.
    pub fn any(&self) -> bool {
        self.times_per_day.is_some()
            || self.days.is_some()
            || self.times.is_some()
            || !self.timing.is_empty()
            || self.condition.is_some()
            || self.as_needed_word
            || self.action.is_some()
            || self.per_dose.is_some()
            || self.internal_word
    }

    /// The timing key: keys joined (identical usage → identical key).
    pub fn timing_key(&self) -> Option<String> {
        if !self.timing.is_empty() {
            Some(self.timing.concat())
        } else {
            self.condition.clone()
        }
    }

    /// Merges facts of a later usage line of the same group (first one wins per field).
    pub fn merge(&mut self, o: UsageFacts) {
        self.times_per_day = self.times_per_day.or(o.times_per_day);
        self.days = self.days.or(o.days);
        self.times = self.times.or(o.times);
        for t in o.timing {
            if !self.timing.contains(&t) {
                self.timing.push(t);
            }
        }
        self.condition = self.condition.take().or(o.condition);
        self.as_needed_word |= o.as_needed_word;
        self.action = self.action.or(o.action);
        self.per_dose = self.per_dose.take().or(o.per_dose);
        self.bare = self.bare.take().or(o.bare);
        self.internal_word |= o.internal_word;
    }
}

/// 服用時点 spellings → key. Longest spellings first; synonyms share a key so the fee engine
/// can group 内服 by (timing, days).
pub const TIMINGS: &[(&str, &str)] = &[
    ("朝・昼・夕食後", "毎食後"),
    ("朝昼夕食後", "毎食後"),
    ("毎食後", "毎食後"),
    ("朝・昼・夕食前", "毎食前"),
    ("朝昼夕食前", "毎食前"),
    ("毎食前", "毎食前"),
    ("毎食間", "毎食間"),
    ("朝・夕食後", "朝夕食後"),
    ("朝夕食後", "朝夕食後"),
    ("朝夕食前", "朝夕食前"),
    ("朝昼食後", "朝昼食後"),
    ("昼夕食後", "昼夕食後"),
    ("朝食直後", "朝食直後"),
    ("朝食後", "朝食後"),
    ("昼食後", "昼食後"),
    ("夕食後", "夕食後"),
    ("朝食前", "朝食前"),
    ("昼食前", "昼食前"),
    ("夕食前", "夕食前"),
    ("食直前", "食直前"),
    ("食直後", "食直後"),
    ("食前", "食前"),
    ("食後", "食後"),
    ("食間", "食間"),
    ("就寝前", "就寝前"),
    ("就寝時", "就寝前"),
    ("寝る前", "就寝前"),
    ("眠前", "就寝前"),
    ("起床時", "起床時"),
];

/// First characters of [`TIMINGS`] (a cheap filter before the table is searched; a `match`
/// compiles to a few comparisons, where searching a string of them costs a scan per position).
fn timing_first(c: char) -> bool {
    matches!(
        c,
        '朝' | '毎' | '食' | '昼' | '夕' | '就' | '寝' | '眠' | '起'
    )
}

/// First characters of [`ACTION_WORDS`].
fn action_first(c: char) -> bool {
    matches!(
        c,
        '自' | '皮' | '注' | '塗' | '貼' | '点' | '吸' | '噴' | '挿' | 'う' | '含' | '外'
    )
}

/// True when the text starts with `N日分` or `N回分`.
pub fn starts_with_days_or_times(t: &str) -> bool {
    // Both start with a count: skip the grammar for anything else.
    t.as_bytes().first().is_some_and(u8::is_ascii_digit) && days_or_times(t).is_ok()
}

/// Words in usage text that decide the category, checked in this order.
pub const ACTION_WORDS: &[(&str, Category)] = &[
    ("自己注射", Category::Injection),
    ("皮下注射", Category::Injection),
    ("注射", Category::Injection),
    ("塗布", Category::External),
    ("塗擦", Category::External),
    ("貼付", Category::External),
    ("点眼", Category::External),
    ("点鼻", Category::External),
    ("点耳", Category::External),
    ("吸入", Category::External),
    ("噴霧", Category::External),
    ("挿入", Category::External),
    ("うがい", Category::External),
    ("含嗽", Category::External),
    ("外用", Category::External),
];

/// Words in a drug name that decide the category (checked before the usage); the
/// earliest-listed word found wins, so a longer or more telling word comes before the word
/// inside it (`注腸` before `注`, `リンゲル液` before `ゲル`). Checked against the 区分 of every
/// name in the MHLW price lists (tests/text_categories_real.rs): no name is put in another
/// 区分's category.
pub const NAME_WORDS: &[(&str, Category)] = &[
    ("内用液", Category::Drops),
    ("内服液", Category::Drops),
    ("経口用", Category::Internal),
    ("アルミニウムゲル", Category::Internal),
    ("注腸", Category::External),
    ("膀注", Category::External),
    ("膀胱内", Category::External),
    ("気管注入", Category::External),
    ("眼粘弾", Category::External),
    ("リンゲル液", Category::Injection),
    ("注射", Category::Injection),
    ("注", Category::Injection),
    ("インスリン", Category::Injection),
    ("シリンジ", Category::Injection),
    ("軟膏", Category::External),
    ("クリーム", Category::External),
    ("テープ", Category::External),
    ("パップ", Category::External),
    ("点眼", Category::External),
    ("点鼻", Category::External),
    ("点耳", Category::External),
    ("眼軟膏", Category::External),
    ("ローション", Category::External),
    ("坐剤", Category::External),
    ("坐薬", Category::External),
    ("サポ", Category::External),
    ("吸入", Category::External),
    ("ディスカス", Category::External),
    ("エリプタ", Category::External),
    ("エアゾール", Category::External),
    ("スプレー", Category::External),
    ("噴霧", Category::External),
    ("ゲル", Category::External),
    ("フォーム", Category::External),
    ("貼付", Category::External),
    ("湿布", Category::External),
    ("パッチ", Category::External),
    ("外用", Category::External),
    ("腟錠", Category::External),
    ("膣錠", Category::External),
    ("浣腸", Category::External),
    ("うがい", Category::External),
    ("ガーグル", Category::External),
    ("トローチ", Category::External),
    ("口腔用", Category::External),
    ("耳科用", Category::External),
    ("鼻科用", Category::External),
    ("消毒", Category::External),
    ("リニメント", Category::External),
];

const NAME_WORD_LIST: &[&str] = &[
    "内用液",
    "内服液",
    "経口用",
    "アルミニウムゲル",
    "注腸",
    "膀注",
    "膀胱内",
    "気管注入",
    "眼粘弾",
    "リンゲル液",
    "注射",
    "注",
    "インスリン",
    "シリンジ",
    "軟膏",
    "クリーム",
    "テープ",
    "パップ",
    "点眼",
    "点鼻",
    "点耳",
    "眼軟膏",
    "ローション",
    "坐剤",
    "坐薬",
    "サポ",
    "吸入",
    "ディスカス",
    "エリプタ",
    "エアゾール",
    "スプレー",
    "噴霧",
    "ゲル",
    "フォーム",
    "貼付",
    "湿布",
    "パッチ",
    "外用",
    "腟錠",
    "膣錠",
    "浣腸",
    "うがい",
    "ガーグル",
    "トローチ",
    "口腔用",
    "耳科用",
    "鼻科用",
    "消毒",
    "リニメント",
];
/// [`crate::model::MATERIAL_WORDS`] then [`NAME_WORD_LIST`], in one table: a name is scanned
/// once for both, and a 医療材料 word (注射針) comes before the words inside it (注射).
fn name_words() -> &'static super::words::WordTable {
    static T: std::sync::OnceLock<super::words::WordTable> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        super::words::WordTable::new(crate::model::MATERIAL_WORDS.iter().chain(NAME_WORD_LIST))
    })
}

/// Units that alone say 外用 (a patch count).
const EXTERNAL_UNITS: &[&str] = &["枚"];

/// Words that make a line a usage line when it starts with them.
pub const USAGE_STARTS: &[&str] = &[
    "分", "1日", "1回", "毎", "朝", "昼", "夕", "就寝", "寝る", "眠前", "食前", "食後", "食間",
    "頓用", "頓服", "内服", "外用", "起床", "患部", "両眼", "右眼", "左眼", "両耳", "胸部", "背部",
    "腰", "膝", "隔日", "疼痛", "発熱", "不眠", "頭痛", "便秘", "1週", "週", "用時",
];

type R<'a, T> = IResult<&'a str, T>;

enum Fact {
    BareTimes(u32),
    PerDay(u32),
    Days(u32),
    Times(u32),
    PerDose(AmountTok),
}

fn bun(i: &str) -> R<'_, Fact> {
    (ch('分'), space0, lex::count)
        .map(|(_, _, n)| Fact::PerDay(n))
        .parse(i)
}

fn n_per_day(i: &str) -> R<'_, Fact> {
    (tag("1日"), space0, lex::count, space0, ch('回'))
        .map(|(_, _, n, _, _)| Fact::PerDay(n))
        .parse(i)
}

/// `N日分`/`N日間` (days) or `N回分` (times): one parser, so that the count is read once.
fn days_or_times(i: &str) -> R<'_, Fact> {
    let (i, (n, _)) = (split_count, space0).parse(i)?;
    alt((
        (ch('日'), alt((tag("分"), tag("間"), spaced_bun))).map(move |_| Fact::Days(n)),
        (ch('回'), alt((tag("分"), spaced_bun))).map(move |_| Fact::Times(n)),
    ))
    .parse(i)
}

/// The count of `N日分` / `N回分`. OCR splits a number with single spaces (`2 8日分`,
/// `1 4 日分`): digit groups one space apart are one number, up to three digits in all (no
/// course is 1,000 days), so that the days are never read from the last group alone (28
/// days read as 8 is a silent error; a merged count is what was printed).
fn split_count(i: &str) -> R<'_, u32> {
    let (mut rest, mut n) = lex::count(i)?;
    let mut len = i.len() - rest.len();
    // Groups after the first are read from the bytes: a space, then one to three digits in
    // all (so no overflow).
    loop {
        let b = rest.as_bytes();
        let digits = b.iter().skip(1).take_while(|d| d.is_ascii_digit()).count();
        if b.first() != Some(&b' ') || digits == 0 || len + digits > 3 {
            break;
        }
        for d in &b[1..=digits] {
            n = n * 10 + u32::from(d - b'0');
        }
        len += digits;
        rest = &rest[1 + digits..];
    }
    Ok((rest, n))
}

/// The `分` of `日分`/`回分` after OCR's space (`14日 分`), when no digit follows: `7日 分3`
/// stays 分3 (times per day), not the days.
fn spaced_bun(i: &str) -> R<'_, &str> {
    terminated(
        preceded(space1, tag("分")),
        not(satisfy(|c| c.is_ascii_digit())),
    )
    .parse(i)
}

fn per_dose(i: &str) -> R<'_, Fact> {
    let (rest, (_, _, (n, u))) = (tag("1回"), space0, lex::quantity).parse(i)?;
    let tok = AmountTok {
        value: n,
        unit: u.to_string(),
        per_dose: true,
        uneven: Vec::new(),
        package: None,
    };
    Ok((rest, Fact::PerDose(tok)))
}

/// `10回` with no 分: a 頓服 count only when the usage is as-needed (decided after the scan).
fn bare_times(i: &str) -> R<'_, Fact> {
    let (rest, n) = (lex::count, space0, ch('回')).map(|(n, _, _)| n).parse(i)?;
    if rest.starts_with(['分', '量', '目']) {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Verify,
        )));
    }
    Ok((rest, Fact::BareTimes(n)))
}

fn fact(i: &str) -> R<'_, Fact> {
    alt((n_per_day, per_dose, bun, days_or_times, bare_times)).parse(i)
}

/// Scans folded usage text for its facts.
///
/// ```
/// use shohosen::text::usage::scan;
/// let f = scan("分3 毎食後 5日分");
/// assert_eq!((f.times_per_day, f.days), (Some(3), Some(5)));
/// assert_eq!(f.timing_key().as_deref(), Some("毎食後"));
/// let g = scan("頓用 発熱時 10回分");
/// assert_eq!((g.times, g.condition.as_deref()), (Some(10), Some("発熱時")));
/// // OCR's letters for digits and 曰 for 日 in counts:
/// assert_eq!(scan("分3 毎食後 3O曰分").days, Some(30));
/// assert_eq!(scan("不安時 l0回分").times, Some(10));
/// ```
pub fn scan(s: &str) -> UsageFacts {
    let f = scan_read(s);
    // Stand-ins cost a count: inside or after its digits the count is not read at all (or
    // reads 0), and a leading O changes nothing, so a text that gave a count needs another
    // look only when it holds l or I (`l4日分` read as 4).
    if (f.days.is_some_and(|n| n > 0) || f.times.is_some_and(|n| n > 0))
        && memchr::memchr2(b'l', b'I', s.as_bytes()).is_none()
    {
        return f;
    }
    match ocr_digits(s) {
        Some(fixed) => scan_read(&fixed),
        None => f,
    }
}

/// `s` with OCR's stand-ins for digits read as digits, or None when it holds none: `l`/`I`
/// for 1 and `O`/`o` for 0 next to a digit (`3O日分`, `l0回分`) but not inside an ASCII word
/// (`100IU`, `5ml`), and 曰 for 日 after a digit (`30曰分`). Without this the count was cut
/// (`l0回分` → 0 times) or lost, with a false days-missing.
fn ocr_digits(s: &str) -> Option<String> {
    // Most usage text holds none of these: one byte scan rules it out.
    let b = s.as_bytes();
    if memchr::memchr3(b'l', b'O', b'o', b).is_none()
        && memchr::memchr(b'I', b).is_none()
        && yue_finder().find(b).is_none()
    {
        return None;
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut changed = false;
    for (k, &c) in chars.iter().enumerate() {
        let prev = k.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let next = chars.get(k + 1).copied();
        let digit = |x: Option<char>| x.is_some_and(|x| x.is_ascii_digit());
        let letter = |x: Option<char>| x.is_some_and(|x| x.is_ascii_alphabetic());
        let d = match c {
            'l' | 'I' | 'O' | 'o'
                if (digit(prev) || digit(next)) && !letter(prev) && !letter(next) =>
            {
                if matches!(c, 'l' | 'I') { '1' } else { '0' }
            }
            '曰' if digit(prev) || matches!(prev, Some('O' | 'o' | 'l' | 'I')) => '日',
            _ => c,
        };
        changed |= d != c;
        out.push(d);
    }
    changed.then_some(out)
}

/// The searcher for 曰, built once (building one per call cost more than the search).
fn yue_finder() -> &'static memchr::memmem::Finder<'static> {
    static F: std::sync::OnceLock<memchr::memmem::Finder<'static>> = std::sync::OnceLock::new();
    F.get_or_init(|| memchr::memmem::Finder::new("曰".as_bytes()))
}

fn scan_read(s: &str) -> UsageFacts {
    let mut f = UsageFacts::default();
    let mut pos = 0;
    let mut prev_digit = false;
    let mut bare: Option<u32> = None;
    while pos < s.len() {
        let t = &s[pos..];
        let c = t.chars().next().unwrap_or(' ');
        // A fact must not start inside a number (`21日分` is not `1日分`).
        if !prev_digit
            && (c.is_ascii_digit() || c == '分')
            && let Ok((rest, fa)) = fact(t)
        {
            match fa {
                Fact::PerDay(n) => f.times_per_day = f.times_per_day.or(Some(n)),
                Fact::Days(n) => f.days = f.days.or(Some(n)),
                Fact::Times(n) => f.times = f.times.or(Some(n)),
                Fact::PerDose(a) => f.per_dose = f.per_dose.take().or(Some(Box::new(a))),
                Fact::BareTimes(n) => bare = bare.or(Some(n)),
            }
            pos = s.len() - rest.len();
            prev_digit = false;
            continue;
        }
        // The word tables are only tried where one of their first characters stands.
        if timing_first(c)
            && let Some((sp, key)) = TIMINGS.iter().find(|(sp, _)| t.starts_with(sp))
        {
            if !f.timing.contains(key) {
                f.timing.push(key);
            }
            pos += sp.len();
            prev_digit = false;
            continue;
        }
        if action_first(c)
            && let Some((w, cat)) = ACTION_WORDS.iter().find(|(w, _)| t.starts_with(w))
        {
            f.action = f.action.or(Some(*cat));
            pos += w.len();
            continue;
        }
        if c == '頓' && (t.starts_with("頓用") || t.starts_with("頓服")) {
            f.as_needed_word = true;
        }
        if c == '内' && t.starts_with("内服") {
            f.internal_word = true;
        }
        if c == '時' && f.condition.is_none() {
            let cond = condition_before(&s[..pos]);
            if !cond.is_empty() {
                f.condition = Some(format!("{cond}時"));
            }
        }
        if c.is_ascii_digit() && f.bare.is_none() && prev_digit_boundary(&s[..pos]) {
            // A bare amount token inside the usage (`7錠(4錠-2錠-1錠)`).
            // Bounded: an amount token is short, and an unbounded look-ahead at every digit
            // would make a long line quadratic.
            let end = t
                .char_indices()
                .take_while(|(_, c)| !lex::is_ws(*c) && *c != '、' && *c != ',')
                .take(48)
                .last()
                .map_or(0, |(i, c)| i + c.len_utf8());
            if let Some(a) = lex::amount_token(&t[..end])
                && !a.per_dose
            {
                f.bare = Some(Box::new(a));
            }
        }
        // A minus sign binds to the number after it: `-7日分` is no 7 days (and no fact).
        prev_digit = c.is_ascii_digit() || c == '.' || c == '-';
        pos += c.len_utf8();
    }
    if f.times.is_none() && f.days.is_none() && (f.as_needed_word || f.condition.is_some()) {
        f.times = bare;
    }
    f
}

/// True at the start of the text or after a space/punctuation (where a token begins).
fn prev_digit_boundary(before: &str) -> bool {
    before
        .chars()
        .next_back()
        .is_none_or(|c| lex::is_ws(c) || "、,・()".contains(c))
}

/// The condition word before `時` (`発熱` of `発熱時`): ideographs/kana back to a space.
fn condition_before(before: &str) -> String {
    let word: Vec<char> = before
        .chars()
        .rev()
        .take_while(|c| !lex::is_ws(*c) && !"、,・()0123456789".contains(*c))
        .take(6)
        .collect();
    word.into_iter().rev().collect()
}

/// The category of one item: name words, then usage action words, then 頓服 signs, then 内服 signs.
///
/// ```
/// use shohosen::model::Category;
/// use shohosen::text::usage::{category, scan};
/// assert_eq!(category("フランドルテープ40mg", Some("枚"), &scan("1日1回 胸部に貼付")), Category::External);
/// assert_eq!(category("カロナール錠200", Some("錠"), &scan("頓用 発熱時 10回分")), Category::AsNeeded);
/// assert_eq!(category("A錠", None, &scan("1日1回朝食後 28日分")), Category::Internal);
/// assert_eq!(category("BDマイクロファインプラス32G×4mm", Some("本"), &scan("")), Category::Material);
/// ```
pub fn category(name: &str, unit: Option<&str>, u: &UsageFacts) -> Category {
    if let Some(i) = name_words().first_listed(name) {
        return match i.checked_sub(crate::model::MATERIAL_WORDS.len()) {
            None => Category::Material,
            Some(k) => NAME_WORDS[k].1,
        };
    }
    if crate::model::is_needle_gauge(name) {
        return Category::Material;
    }
    if let Some(c) = u.action {
        return c;
    }
    if unit.is_some_and(|un| EXTERNAL_UNITS.contains(&un)) {
        return Category::External;
    }
    if u.as_needed_word || (u.times.is_some() && u.days.is_none()) {
        return Category::AsNeeded;
    }
    if u.days.is_some() || u.internal_word || !u.timing.is_empty() || u.times_per_day.is_some() {
        return Category::Internal;
    }
    if unit.is_some_and(|un| lex::FORM_UNITS.contains(&un)) {
        return Category::Internal;
    }
    Category::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_word_list_mirrors_the_table() {
        let words: Vec<&str> = NAME_WORDS.iter().map(|(w, _)| *w).collect();
        assert_eq!(words, NAME_WORD_LIST);
    }

    #[test]
    fn first_char_filters_cover_the_tables() {
        for (w, _) in TIMINGS {
            assert!(timing_first(w.chars().next().unwrap_or(' ')), "{w}");
        }
        for (w, _) in ACTION_WORDS {
            assert!(action_first(w.chars().next().unwrap_or(' ')), "{w}");
        }
    }

    #[test]
    fn ocr_letters_in_counts() {
        assert_eq!(scan("1日1回 朝食後 3O日分").days, Some(30));
        assert_eq!(scan("1日1回 朝食後 30曰分").days, Some(30));
        assert_eq!(scan("不安時 l0回分").times, Some(10));
        assert_eq!(scan("頓用 1O回分").times, Some(10));
        assert_eq!(scan("分3 毎食後 l4日分").days, Some(14));
        // Letters of a word stay letters: no stand-in is read, so nothing changes.
        assert_eq!(ocr_digits("1回100IU 皮下注射"), None);
        assert_eq!(ocr_digits("1回5ml 1日3回"), None);
        assert_eq!(ocr_digits("1日2回 朝夕食後 14日分"), None);
    }

    #[test]
    fn ocr_split_counts_are_one_number() {
        let days = |t: &str| scan(t).days;
        assert_eq!(days("1日1回 朝食後 2 8日分"), Some(28));
        assert_eq!(days("1日3回 毎食後 1 4 日分"), Some(14));
        assert_eq!(days("1日1回 夕食後 14日 分"), Some(14));
        assert_eq!(days("分2 1 2 0日分"), Some(120));
        assert_eq!(scan("発熱時 5回 分").times, Some(5));
        assert_eq!(scan("頓用 1 0回分").times, Some(10));
        // A spaced 分 before a digit is 分N (times per day), not the end of the days.
        let f = scan("7日 分3 毎食後");
        assert_eq!((f.days, f.times_per_day), (None, Some(3)));
        // At most three digits in all: a fourth group is not glued on.
        assert_eq!(split_count("1 2 3 4日分"), Ok((" 4日分", 123)));
        assert_eq!(split_count("12 34日分"), Ok((" 34日分", 12)));
        // Two spaces are a gap, not a split.
        assert_eq!(days("分3  7日分"), Some(7));
    }

    #[test]
    fn timing_keys_agree() {
        assert_eq!(
            scan("1日3回 毎食後").timing_key(),
            scan("分3 朝昼夕食後").timing_key()
        );
        assert_eq!(
            scan("1日2回朝夕食後 14日分").timing_key().as_deref(),
            Some("朝夕食後")
        );
        assert_eq!(
            scan("分1 寝る前 60日分").timing_key().as_deref(),
            Some("就寝前")
        );
        assert_eq!(scan("21日分").days, Some(21));
        assert_eq!(scan("1日3回 毎食後 -7日分").days, None);
        assert_eq!(scan("1日3回 毎食後 99999999999日分").days, None);
        assert_eq!(scan("1日3回 毎食後 7日間").days, Some(7));
    }

    #[test]
    fn bare_times_only_when_as_needed() {
        assert_eq!(scan("発熱時 5回").times, Some(5));
        assert_eq!(scan("頓用 10回").times, Some(10));
        assert_eq!(scan("週2回 朝食後").times, None);
        assert_eq!(scan("1日3回 毎食後").times, None);
    }

    #[test]
    fn per_dose_and_bare() {
        let f = scan("1日3回 毎食後 7錠(4錠-2錠-1錠)");
        assert_eq!(f.bare.map(|b| b.uneven.len()), Some(3));
        let g = scan("内服・経口・1日1回朝食後 1回4錠 7日分");
        assert_eq!(g.per_dose.map(|a| a.value.to_string()), Some("4".into()));
        assert_eq!(g.days, Some(7));
    }
}

//! 用法 text → times per day and the normalized 服用時点 key.
//!
//! The key makes identical timings compare equal however they are written
//! (`１日２回朝夕食後` / `朝食後・夕食後` → `朝夕食後`; `毎食後` / `朝昼夕食後` → `毎食後`), so the
//! fee engine can group 内服 items taken at the same times into one unit.
//!
//! ```
//! use shohosen::jahis::usage::{timing_key, times_per_day};
//! assert_eq!(timing_key("１日２回朝夕食後").as_deref(), Some("朝夕食後"));
//! assert_eq!(timing_key("朝食後・夕食後　服用").as_deref(), Some("朝夕食後"));
//! assert_eq!(timing_key("1日3回朝昼夕食後"), timing_key("毎食後"));
//! assert_eq!(timing_key("就寝前").as_deref(), Some("就寝前"));
//! assert_eq!(timing_key("１日１回注射"), None);
//! assert_eq!(times_per_day("１日２回朝夕食後"), Some(2));
//! ```

use crate::normalize::fold;

/// Meal-relative suffixes, in the order they appear in a key.
const SUFFIXES: &[&str] = &["食直前", "食前", "食直後", "食後", "食間"];
/// [`SUFFIXES`] as chars, to match against the text's char buffer without decoding them
/// again at every position (the test `suffix_chars_match` keeps the two tables together).
const SUFFIX_CHARS: [&[char]; 5] = [
    &['食', '直', '前'],
    &['食', '前'],
    &['食', '直', '後'],
    &['食', '後'],
    &['食', '間'],
];
/// Timings that are not relative to a meal: (written forms, key).
const STANDALONE: &[(&[&str], &str)] = &[
    (&["起床時"], "起床時"),
    (&["就寝前", "寝る前", "眠前"], "就寝前"),
];
const MEALS: [char; 3] = ['朝', '昼', '夕'];

/// The normalized 服用時点 key of a usage text, `None` when it names no time of day.
pub fn timing_key(text: &str) -> Option<String> {
    timing_key_folded(&fold(text))
}

/// [`timing_key`] of a text already passed through [`fold`].
pub fn timing_key_folded(text: &str) -> Option<String> {
    // One buffer of the chars without spaces (a usage text is a few dozen chars).
    let mut chars: Vec<char> = Vec::with_capacity(text.len());
    chars.extend(text.chars().filter(|c| !c.is_whitespace()));
    // meals[suffix][meal]
    let mut meals = [[false; 3]; 5];
    let mut bare = [false; 5];
    let mut i = 0;
    while i < chars.len() {
        // A run of 朝/昼/夕 (optionally joined by ・ 、 ,) or 毎, then a suffix.
        let start = i;
        let mut run = [false; 3];
        let mut every = false;
        while i < chars.len() {
            if let Some(m) = MEALS.iter().position(|&c| c == chars[i]) {
                run[m] = true;
            } else if chars[i] == '毎' {
                every = true;
            } else if !(matches!(chars[i], '・' | '、' | ',') && i > start) {
                break;
            }
            i += 1;
        }
        let rest = &chars[i..];
        let at = |sx: &&[char]| rest.starts_with(sx);
        if (run.iter().any(|&b| b) || every)
            && let Some(sx) = SUFFIX_CHARS.iter().position(at)
        {
            for m in 0..3 {
                meals[sx][m] |= run[m] || every;
            }
            i += SUFFIX_CHARS[sx].len();
        } else if i == start {
            // A suffix with no meal before it (`1日3回食前`): the bare suffix is the key.
            match SUFFIX_CHARS.iter().position(at) {
                Some(sx) => {
                    bare[sx] = true;
                    i += SUFFIX_CHARS[sx].len();
                }
                None => i += 1,
            }
        }
    }
    let mut key = String::new();
    let standalone = |k: &str| {
        STANDALONE
            .iter()
            .find(|(_, key)| *key == k)
            .is_some_and(|(forms, _)| forms.iter().any(|f| contains(&chars, f)))
    };
    if standalone("起床時") {
        key.push_str("起床時");
    }
    for ((sx, set), bare) in SUFFIXES.iter().zip(meals).zip(bare) {
        if set == [true; 3] {
            key.push('毎');
        } else {
            for (m, on) in MEALS.iter().zip(set) {
                if on {
                    key.push(*m);
                }
            }
        }
        if set.iter().any(|&b| b) || bare {
            key.push_str(sx);
        }
    }
    if standalone("就寝前") {
        key.push_str("就寝前");
    }
    (!key.is_empty()).then_some(key)
}

/// `needle` as a run of `hay` (what `str::contains` says on the string of `hay`).
fn contains(hay: &[char], needle: &str) -> bool {
    let n = needle.chars().count();
    // The first char decides most windows without decoding the needle again.
    let Some(first) = needle.chars().next() else {
        return true;
    };
    hay.windows(n)
        .any(|w| w[0] == first && w.iter().copied().eq(needle.chars()))
}

/// `1日N回` (or `分N`) in a usage text.
pub fn times_per_day(text: &str) -> Option<u32> {
    times_per_day_folded(&fold(text))
}

/// [`times_per_day`] of a text already passed through [`fold`].
pub fn times_per_day_folded(s: &str) -> Option<u32> {
    let num_after = |pat: &str| -> Option<u32> {
        let at = s.find(pat)? + pat.len();
        let rest = &s[at..];
        // ASCII digits are one byte each: the run is a byte prefix.
        let end = rest
            .bytes()
            .position(|b| !b.is_ascii_digit())
            .unwrap_or(rest.len());
        rest[..end].parse().ok()
    };
    if let Some(n) = num_after("1日").filter(|_| s.contains('回')) {
        return Some(n);
    }
    num_after("分")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        for (text, key) in [
            ("１日１回朝食後", Some("朝食後")),
            ("１日３回毎食後　服用", Some("毎食後")),
            ("1日3回朝昼夕食後", Some("毎食後")),
            ("朝夕食前", Some("朝夕食前")),
            ("１日２回朝食後・就寝前", Some("朝食後就寝前")),
            ("起床時", Some("起床時")),
            ("1日3回食間", Some("食間")),
            ("1日3回食前", Some("食前")),
            ("疼痛時", None),
        ] {
            assert_eq!(timing_key(text).as_deref(), key, "{text}");
        }
    }

    #[test]
    fn suffix_chars_match() {
        assert_eq!(SUFFIXES.len(), SUFFIX_CHARS.len());
        for (s, c) in SUFFIXES.iter().zip(SUFFIX_CHARS) {
            assert_eq!(s.chars().collect::<Vec<_>>(), c);
        }
    }

    #[test]
    fn contains_is_str_contains() {
        for (hay, needle) in [
            ("1日1回就寝前", "就寝前"),
            ("1日1回寝る前", "就寝前"),
            ("眠前", "眠前"),
            ("眠", "眠前"),
            ("", "起床時"),
            ("起床時", ""),
        ] {
            let chars: Vec<char> = hay.chars().collect();
            assert_eq!(
                contains(&chars, needle),
                hay.contains(needle),
                "{hay} {needle}"
            );
        }
    }

    #[test]
    fn times() {
        assert_eq!(times_per_day("1日3回毎食後"), Some(3));
        assert_eq!(times_per_day("分２　朝夕食後"), Some(2));
        assert_eq!(times_per_day("疼痛時"), None);
    }
}

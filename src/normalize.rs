//! Text normalization at the input boundary.
//!
//! Raw text is kept for display (`source_text`); everything that is *matched* goes through
//! [`fold`]: NFKC (full-width digits and letters to ASCII, half-width katakana to full-width,
//! ㎎ to mg), Kangxi and CJK radicals to the unified ideographs (Chromium writes 方 as U+2F45),
//! ideographic and other odd spaces to ASCII space, and the dash family to ASCII `-`.

use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;
use unicode_width::UnicodeWidthChar;

/// NFKC plus the folds a prescription reader needs; see the module docs.
///
/// ```
/// use shohosen::normalize::fold;
/// assert_eq!(fold("ジスロマック錠２５０ｍｇ　２錠"), "ジスロマック錠250mg 2錠");
/// assert_eq!(fold("ｱﾑﾛｼﾞﾋﾟﾝ"), "アムロジピン");
/// assert_eq!(fold("３－２－１"), "3-2-1");
/// assert_eq!(fold("\u{2F45}"), "方");
/// ```
pub fn fold(s: &str) -> String {
    fold_cow(s).into_owned()
}

/// [`fold`], borrowing the input when folding leaves it unchanged (most lines of a
/// prescription are already folded: kanji, kana, ASCII), so that no copy is made.
///
/// ```
/// use shohosen::normalize::fold_cow;
/// use std::borrow::Cow;
/// assert!(matches!(fold_cow("アムロジピン錠5mg 1錠"), Cow::Borrowed(_)));
/// assert_eq!(fold_cow("２錠"), "2錠");
/// ```
pub fn fold_cow(s: &str) -> Cow<'_, str> {
    // `fold_cow_unless` only gives up on a character `special` picks, and this one picks
    // none; the fallback is the definition itself (NFKC, then the folds), never slower to be
    // right.
    fold_cow_unless(s, |_| false).unwrap_or_else(|| Cow::Owned(s.nfkc().map(fold_char).collect()))
}

/// [`fold_cow`], giving up (None) at the first character for which `special` holds, so that a
/// caller with its own treatment of a few characters (circled numbers, see
/// [`crate::text::lex::fold_line_cow`]) learns of them in the same pass instead of scanning
/// the line first.
///
/// `special` sees only characters outside the byte-level fast paths: it must be false for
/// ASCII, U+3000–U+30FF, U+4E00–U+9FFF and U+FF00–U+FF7F, which are never shown to it.
pub(crate) fn fold_cow_unless(s: &str, special: impl Fn(char) -> bool) -> Option<Cow<'_, str>> {
    // Fast path: full-width ASCII (the bulk of what NFKC changes in prescriptions) is mapped
    // directly; NFKC of that result equals NFKC of the input, and when every character of the
    // result is stable (kanji, full-width kana, ASCII) no decomposition is needed.
    let direct = |c: char| match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => fold_char(c),
    };
    // ASCII is its own NFKC and folds to itself (no dash or odd space in it).
    if s.is_ascii() {
        return Some(Cow::Borrowed(s));
    }
    // One pass maps and checks: when every mapped character is one that NFKC leaves alone
    // and that nothing composes with (ASCII, kanji, kana, common CJK punctuation), the
    // mapped text is the answer.
    // Unchanged characters are copied as byte runs, not pushed one by one.
    // The mapped text, made only once a character changes.
    let mut pre: Option<String> = None;
    let mut stable = true;
    let mut run = 0;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Byte-level fast path for what most lines are made of: ASCII, and the ideographs
        // U+4E00–U+9FFF (lead byte E4 with a second byte ≥ B8, or E5–E9). Both are stable and
        // unchanged by `direct`, so they are skipped without decoding.
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            // Runs of ASCII (the space padding of aligned columns) eight bytes at a time.
            while let Some(w) = bytes
                .get(i..i + 8)
                .and_then(|w| <[u8; 8]>::try_from(w).ok())
                && u64::from_le_bytes(w) & 0x8080_8080_8080_8080 == 0
            {
                i += 8;
            }
            continue;
        }
        if (0xE5..=0xE9).contains(&b) || (b == 0xE4 && bytes.get(i + 1).is_some_and(|&n| n >= 0xB8))
        {
            i += 3;
            continue;
        }
        // Three-byte characters of blocks E3 80–83 (U+3000–U+30FF) and EF BC–BD
        // (U+FF00–U+FF7F) are read from their bytes:
        // - hiragana U+3041–U+3096, katakana U+30A1–U+30FE and the CJK punctuation of
        //   [`nfkc_stable`] (、。【】「」…) are stable and unchanged: skipped;
        // - the ideographic space U+3000 and full-width ASCII U+FF01–U+FF5E fold to one
        //   ASCII byte each (what `direct` maps them to; ASCII is stable).
        if (b == 0xE3 || b == 0xEF)
            && let (Some(&b1), Some(&b2)) = (bytes.get(i + 1), bytes.get(i + 2))
        {
            let low = u32::from(b1 & 0x3F) << 6 | u32::from(b2 & 0x3F);
            let ascii = if b == 0xE3 {
                match 0x3000 | low {
                    0x3001..=0x3002 | 0x3005..=0x301F | 0x3041..=0x3096 | 0x30A1..=0x30FE => {
                        i += 3;
                        continue;
                    }
                    0x3000 => Some(b' '),
                    _ => None,
                }
            } else {
                match 0xF000 | low {
                    cp @ 0xFF01..=0xFF5E => u8::try_from(cp - 0xFEE0).ok(),
                    _ => None,
                }
            };
            if let Some(a) = ascii {
                let p = pre.get_or_insert_with(|| String::with_capacity(s.len()));
                p.push_str(&s[run..i]);
                p.push(char::from(a));
                i += 3;
                run = i;
                continue;
            }
        }
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        if special(c) {
            return None;
        }
        let d = direct(c);
        stable &= nfkc_stable(d);
        if d != c {
            let p = pre.get_or_insert_with(|| String::with_capacity(s.len()));
            p.push_str(&s[run..i]);
            p.push(d);
            run = i + c.len_utf8();
        }
        i += c.len_utf8();
    }
    let mapped: Cow<'_, str> = match pre {
        Some(mut p) => {
            p.push_str(&s[run..]);
            Cow::Owned(p)
        }
        None => Cow::Borrowed(s),
    };
    if stable {
        return Some(mapped);
    }
    // NFKC(A x R) = NFKC(A) NFKC(x R) when x is [`nfkc_stable`]: a starter that is its own
    // NFKC blocks reordering across it and composes with nothing before it. So the text is
    // cut before every stable character, and only the pieces that hold another character
    // (`ｶﾞ`, `①`, `㎎` and the stable character before them) go through the normalizer;
    // the rest of the line (kanji, kana, ASCII) is copied.
    let s = &*mapped;
    let mut out = String::with_capacity(s.len() + 8);
    let mut piece = 0;
    let mut unstable = false;
    for (i, c) in s.char_indices() {
        if nfkc_stable(c) {
            push_nfkc(&s[piece..i], unstable, &mut out);
            piece = i;
            unstable = false;
        } else {
            unstable = true;
        }
    }
    push_nfkc(&s[piece..], unstable, &mut out);
    Some(Cow::Owned(out))
}

/// Appends NFKC of `piece` (then [`fold_char`]) to `out`; a piece of stable characters only
/// is its own NFKC and is copied.
fn push_nfkc(piece: &str, unstable: bool, out: &mut String) {
    if unstable {
        out.extend(piece.nfkc().map(fold_char));
    } else {
        out.push_str(piece);
    }
}

/// Characters that are their own NFKC form whatever stands around them: no decomposition,
/// canonical combining class 0 and never the second half of a composition. (Kana voicing
/// marks U+3099–U+309C, ゟ and ヿ are left out on purpose; μ and the symbol/dingbat blocks
/// hold the check marks and units written on prescriptions.)
fn nfkc_stable(c: char) -> bool {
    c.is_ascii()
        || matches!(c,
            '\u{4E00}'..='\u{9FFF}'
            | '\u{3041}'..='\u{3096}'
            | '\u{30A1}'..='\u{30FE}'
            | '\u{3001}'..='\u{3002}'
            | '\u{3005}'..='\u{3007}'
            | '\u{3008}'..='\u{3011}'
            | '\u{3012}'..='\u{301F}'
            | '\u{00D7}'
            | '\u{203B}'
            | '\u{03BC}'
            | '\u{2500}'..='\u{25FF}'
            | '\u{2600}'..='\u{27BF}')
}

/// Folds one character already in NFKC form (dashes, spaces).
fn fold_char(c: char) -> char {
    match c {
        // Dash family: hyphen, non-breaking hyphen, figure dash, en/em dash, minus,
        // full-width hyphen-minus (NFKC already maps it), katakana-hiragana prolonged mark is NOT
        // a dash inside words (ー), so it is left alone.
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{FE63}' => '-',
        '\u{3000}' | '\u{00A0}' | '\u{2002}' | '\u{2003}' | '\u{2009}' => ' ',
        _ => c,
    }
}

/// Folds only Kangxi radicals (U+2F00–U+2FD5) and CJK radicals supplement characters to the
/// unified ideographs, leaving everything else as printed. Use this on PDF text where `-` vs
/// `－` and `ｍｇ` vs `mg` must stay as printed.
///
/// ```
/// use shohosen::normalize::fold_radicals;
/// assert_eq!(fold_radicals("処\u{2F45}　ｍｇ"), "処方　ｍｇ");
/// ```
pub fn fold_radicals(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{2F00}'..='\u{2FD5}' => c.nfkc().next().unwrap_or(c),
            '\u{2E80}'..='\u{2EFF}' => cjk_radical_supplement(c),
            _ => c,
        })
        .collect()
}

/// The few CJK Radicals Supplement characters that stand for common ideographs in
/// Japanese fonts' ToUnicode maps. NFKC maps only U+2E9F and U+2EF3, so the rest are listed.
fn cjk_radical_supplement(c: char) -> char {
    match c {
        '\u{2E8F}' => '尣',
        '\u{2E97}' => '彑',
        '\u{2E9B}' => '旡',
        '\u{2E9F}' => '母',
        '\u{2EA0}' => '民',
        '\u{2EA4}' => '爫',
        '\u{2EA8}' => '犭',
        '\u{2EAB}' => '目',
        '\u{2EB2}' => '罒',
        '\u{2EB9}' => '耂',
        '\u{2EBC}' => '肉',
        '\u{2EBE}' => '艹',
        '\u{2EC4}' => '西',
        '\u{2EC6}' => '角',
        '\u{2ECC}' => '辶',
        '\u{2ED6}' => '阝',
        '\u{2EDD}' => '食',
        '\u{2EE0}' => '饣',
        '\u{2EF3}' => '龟',
        _ => c,
    }
}

/// Display width in terminal columns: full-width and wide characters count 2.
///
/// ```
/// use shohosen::normalize::display_width;
/// assert_eq!(display_width("レ  A錠"), 7); // レ 2 + two spaces + A 1 + 錠 2
/// assert_eq!(display_width("ｱ"), 1);
/// ```
pub fn display_width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Display width of one character (0 for control characters).
pub fn char_width(c: char) -> usize {
    if c == '\t' { 1 } else { c.width().unwrap_or(0) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reference(s: &str) -> String {
        s.nfkc().map(fold_char).collect()
    }

    #[test]
    fn fast_path_agrees_on_samples() {
        for s in [
            "ジスロマック錠２５０ｍｇ　２錠",
            "ｱﾑﾛｼﾞﾋﾟﾝ",
            "（般）ﾛｷｿﾆﾝ",
            "３－２－１",
            "㎎㍻①",
            "ガ\u{3099}",
            "か\u{3099}ア\u{309A}",
            "ヿゟ゛々〇【】「」・ー",
            "\u{4E00}\u{9FFF}\u{F900}\u{2F45}\u{30FE}",
            "レ×□■○●◯※〒〜〝〟〇 A錠\u{0301}",
        ] {
            assert_eq!(fold(s), reference(s), "{s}");
        }
    }

    #[test]
    fn byte_fast_path_ranges_are_unchanged_and_stable() {
        // The lead bytes skipped by `fold` encode exactly U+4E00..=U+9FFF.
        for c in ('\u{4E00}'..='\u{9FFF}').chain(['\u{4DFF}', '\u{A000}']) {
            let mut buf = [0u8; 4];
            let b = c.encode_utf8(&mut buf).as_bytes();
            let skipped = (0xE5..=0xE9).contains(&b[0]) || (b[0] == 0xE4 && b[1] >= 0xB8);
            assert_eq!(
                skipped,
                ('\u{4E00}'..='\u{9FFF}').contains(&c),
                "U+{:04X}",
                c as u32
            );
            if skipped {
                assert!(nfkc_stable(c) && fold_char(c) == c);
            }
        }
    }

    #[test]
    fn kana_fast_path_ranges_are_unchanged_and_stable() {
        // The E3 characters skipped by `fold` are exactly these, all stable and unfolded.
        for c in ('\u{3041}'..='\u{3096}')
            .chain('\u{30A1}'..='\u{30FE}')
            .chain('\u{3001}'..='\u{3002}')
            .chain('\u{3005}'..='\u{301F}')
        {
            assert!(nfkc_stable(c) && fold_char(c) == c, "U+{:04X}", c as u32);
            assert_eq!(fold(&c.to_string()), reference(&c.to_string()));
        }
        for s in ["アムロジピン\u{3099}ゔ", "ｶﾞ\u{3000}ゟヿ", "は\u{309A}"] {
            assert_eq!(fold(s), reference(s), "{s}");
        }
    }

    #[test]
    fn stable_set_is_really_stable() {
        // Every character of the fast set is its own NFKC alone and after a base letter
        // (it neither decomposes nor composes with what precedes it).
        for c in (0u32..0x10000)
            .filter_map(char::from_u32)
            .filter(|c| nfkc_stable(*c))
        {
            for prev in ["", "か", "ア", "A", "\u{30FD}"] {
                let s = format!("{prev}{c}");
                assert_eq!(fold(&s), reference(&s), "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn full_width_ascii_and_ideographic_space_by_bytes() {
        // U+FF00..=U+FF60 around the folded range U+FF01–U+FF5E, and U+3000 with its byte
        // neighbours, alone and between characters of every fast path.
        for c in ('\u{FF00}'..='\u{FF60}').chain(['\u{3000}', '\u{3001}', '\u{3003}', '\u{303F}']) {
            for (a, b) in [
                ("", ""),
                ("ｶ", "ﾞ"),
                ("錠", "A"),
                ("ア", "\u{3099}"),
                ("A", ""),
            ] {
                let s = format!("{a}{c}{b}");
                assert_eq!(fold(&s), reference(&s), "U+{:04X} in {s:?}", c as u32);
            }
        }
    }

    /// Characters of every path of `fold_cow`: ASCII, kanji, kana and CJK punctuation, the
    /// byte-folded U+3000 and full-width ASCII, half-width katakana and voicing marks (which
    /// compose), dashes, circled and squared characters.
    const FOLD_ALPHABET: &[char] = &[
        'a', '1', ' ', '-', '錠', '一', 'あ', 'ア', 'カ', 'は', 'ー', '、', '【', '\u{3000}',
        '\u{3003}', '１', 'Ａ', '（', '～', '\u{FF00}', '\u{FF5F}', 'ｶ', 'ﾞ', 'ﾟ', 'ﾊ', '\u{3099}',
        '\u{309A}', '゛', '－', '‐', '①', '㎎', '㍻', '×', '○', 'μ', 'µ', 'é', '\u{0301}',
        '\u{2F45}', '\u{00A0}', 'ヽ', 'ヾ', 'ゝ', 'ゞ', 'ｳ', 'ウ', '\u{1100}', '\u{1161}',
        '\u{11A8}', '가',
    ];

    proptest! {
        #[test]
        fn fast_path_agrees_with_nfkc(s in "\\PC{0,40}") {
            prop_assert_eq!(fold(&s), reference(&s));
        }

        #[test]
        fn fast_paths_agree_with_nfkc_on_prescription_characters(
            picks in proptest::collection::vec(0..FOLD_ALPHABET.len(), 0..40)
        ) {
            let s: String = picks.iter().map(|&k| FOLD_ALPHABET[k]).collect();
            prop_assert_eq!(fold(&s), reference(&s));
        }
    }
}

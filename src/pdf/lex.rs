//! The byte-level tokens both fast readers share — the file loader (`load`) and the page
//! content reader (`content`) — written to give exactly what lopdf's parser gives (both
//! readers are tested object by object against lopdf), so that taking the fast path never
//! changes a result.

use pdf_extract::Object;

/// Deepest nesting of parentheses in a literal string, and of arrays and dictionaries, read
/// by the fast paths (lopdf allows 100; anything deeper goes to lopdf).
pub(crate) const MAX_DEPTH: usize = 50;

/// PDF whitespace (lopdf's `is_whitespace`).
pub(crate) fn is_white(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0 | 0x0C)
}

fn is_delimiter(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

pub(crate) fn is_regular(c: u8) -> bool {
    !is_white(c) && !is_delimiter(c)
}

/// lopdf's `real` then `integer` at `s[i..]`: `[+-]? (d+ '.' d* | '.' d+)` as f32, else
/// `[+-]? d+` as i64; with the offset after it.
pub(crate) fn number_at(s: &[u8], i: usize) -> Option<(Object, usize)> {
    let start = i;
    let mut j = i;
    let negative = s.get(j) == Some(&b'-');
    if matches!(s.get(j), Some(b'+' | b'-')) {
        j += 1;
    }
    let int_start = j;
    while s.get(j).is_some_and(u8::is_ascii_digit) {
        j += 1;
    }
    let int_digits = j - int_start;
    if s.get(j) == Some(&b'.') {
        let frac_start = j + 1;
        let mut k = frac_start;
        while s.get(k).is_some_and(u8::is_ascii_digit) {
            k += 1;
        }
        if int_digits > 0 || k > frac_start {
            let v: f32 = std::str::from_utf8(&s[start..k]).ok()?.parse().ok()?;
            return Some((Object::Real(v), k));
        }
        return None;
    }
    if int_digits == 0 {
        return None;
    }
    let v: i64 = if int_digits <= 18 {
        // At most 18 digits always fit: the value i64::from_str would give.
        let m = s[int_start..j]
            .iter()
            .fold(0i64, |a, &c| a * 10 + i64::from(c - b'0'));
        if negative { -m } else { m }
    } else {
        std::str::from_utf8(&s[start..j]).ok()?.parse().ok()?
    };
    Some((Object::Integer(v), j))
}

/// A literal string at `s[i] == b'('` with lopdf's escapes and balanced nesting; its bytes
/// and the offset after it. `None` when it is unterminated or nested deeper than
/// [`MAX_DEPTH`].
pub(crate) fn literal_at(s: &[u8], i: usize) -> Option<(Vec<u8>, usize)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut j = i + 1;
    loop {
        let c = *s.get(j)?;
        match c {
            b'(' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return None;
                }
                out.push(c);
                j += 1;
            }
            b')' => {
                if depth == 0 {
                    return Some((out, j + 1));
                }
                depth -= 1;
                out.push(c);
                j += 1;
            }
            b'\\' => {
                let e = *s.get(j + 1)?;
                match e {
                    b'0'..=b'7' => {
                        let mut k = j + 1;
                        let mut v: u16 = 0;
                        while k < j + 4 && s.get(k).is_some_and(|d| (b'0'..=b'7').contains(d)) {
                            v = v * 8 + u16::from(s[k] - b'0');
                            k += 1;
                        }
                        out.push(v as u8);
                        j = k;
                    }
                    b'\r' if s.get(j + 2) == Some(&b'\n') => j += 3,
                    b'\r' | b'\n' => j += 2,
                    b'n' => (out.push(b'\n'), j += 2).1,
                    b'r' => (out.push(b'\r'), j += 2).1,
                    b't' => (out.push(b'\t'), j += 2).1,
                    b'b' => (out.push(0x08), j += 2).1,
                    b'f' => (out.push(0x0C), j += 2).1,
                    other => (out.push(other), j += 2).1,
                }
            }
            _ => {
                out.push(c);
                j += 1;
            }
        }
    }
}

/// A hex string at `s[i] == b'<'`: digits with whitespace between, an odd last digit is the
/// high nibble; its bytes and the offset after it.
pub(crate) fn hex_at(s: &[u8], i: usize) -> Option<(Vec<u8>, usize)> {
    let mut out = Vec::new();
    let mut half = false;
    let mut j = i + 1;
    loop {
        let c = *s.get(j)?;
        j += 1;
        if c == b'>' {
            return Some((out, j));
        }
        if is_white(c) {
            continue;
        }
        let d = (c as char).to_digit(16)? as u8;
        if half {
            if let Some(last) = out.last_mut() {
                *last |= d;
            }
        } else {
            out.push(d << 4);
        }
        half = !half;
    }
}

/// Every PDF of `../shared/samples/pdf` and `corpus/pdf`, sorted: what the fast readers'
/// equivalence tests compare with lopdf.
#[cfg(test)]
pub(crate) fn sample_pdfs() -> Vec<std::path::PathBuf> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut files: Vec<_> = [
        format!("{root}/../shared/samples/pdf"),
        format!("{root}/corpus/pdf"),
    ]
    .iter()
    .filter_map(|d| std::fs::read_dir(d).ok())
    .flatten()
    .filter_map(|e| e.ok().map(|e| e.path()))
    .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
    .collect();
    files.sort();
    assert!(files.len() >= 10, "samples missing: {files:?}");
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_as_lopdf_reads_them() {
        assert_eq!(
            literal_at(b"(a(b)c\\051\\n) x", 0),
            Some((b"a(b)c)\n".to_vec(), 13))
        );
        assert_eq!(literal_at(b"(open", 0), None);
        let deep = format!("{}{}", "(".repeat(MAX_DEPTH + 2), ")".repeat(MAX_DEPTH + 2));
        assert_eq!(literal_at(deep.as_bytes(), 0), None);
        assert_eq!(hex_at(b"<30 4 >", 0), Some((vec![0x30, 0x40], 7)));
        assert_eq!(hex_at(b"<3G>", 0), None);
        assert_eq!(number_at(b"-12.5 ", 0).map(|(_, n)| n), Some(5));
        assert!(matches!(number_at(b"+7", 0), Some((Object::Integer(7), 2))));
        assert_eq!(number_at(b".", 0), None);
    }
}

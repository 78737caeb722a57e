//! A small CSV record reader (RFC 4180 quoting) written with `nom`, shared by the loaders.

use std::borrow::Cow;

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{is_not, tag},
    combinator::{map, opt},
    multi::{many0, separated_list0},
    sequence::delimited,
};

/// One quoted field: `"…"` with `""` standing for a quote.
fn quoted(input: &str) -> IResult<&str, Cow<'_, str>> {
    delimited(
        tag("\""),
        map(
            many0(alt((is_not("\""), map(tag("\"\""), |_| "\"")))),
            |parts: Vec<&str>| Cow::Owned(parts.concat()),
        ),
        tag("\""),
    )
    .parse(input)
}

/// One unquoted field (may be empty).
fn bare(input: &str) -> IResult<&str, Cow<'_, str>> {
    map(opt(is_not(",\r\n")), |s: Option<&str>| {
        Cow::Borrowed(s.unwrap_or(""))
    })
    .parse(input)
}

/// Splits one logical line into fields. A line with an unterminated quote is read as far as
/// it is well-formed; the rest becomes the last field as written.
///
/// ```
/// use shohosen::master::csv::fields;
/// assert_eq!(fields(r#"a,"b,c",,"d""e""#), vec!["a", "b,c", "", "d\"e"]);
/// ```
pub fn fields(line: &str) -> Vec<Cow<'_, str>> {
    let line = line.trim_end_matches(['\r', '\n']);
    match separated_list0(tag(","), alt((quoted, bare))).parse(line) {
        Ok((rest, mut v)) => {
            if !rest.is_empty() {
                v.push(Cow::Borrowed(rest));
            }
            v
        }
        Err(_) => line.split(',').map(Cow::Borrowed).collect(),
    }
}

/// Splits a whole file into records (quoted fields may span lines), skipping empty lines.
/// Files without line-spanning quotes (the usual case) are split in parallel.
///
/// ```
/// use shohosen::master::csv::records;
/// assert_eq!(records("a,b\n\n\"x\ny\",z\n"), vec![vec!["a", "b"], vec!["x\ny", "z"]]);
/// ```
pub fn records(text: &str) -> Vec<Vec<Cow<'_, str>>> {
    use rayon::prelude::*;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let balanced = |l: &&str| l.bytes().filter(|&b| b == b'"').count() % 2 == 0;
    // Small files (the embedded sample master) stay on this thread, see `PARALLEL_MIN`.
    let small = lines.len() < super::PARALLEL_MIN;
    let all_balanced = if small {
        lines.iter().all(balanced)
    } else {
        lines.par_iter().all(balanced)
    };
    if all_balanced {
        let filled = |l: &&&str| !l.trim().is_empty();
        return if small {
            lines.iter().filter(filled).map(|l| fields(l)).collect()
        } else {
            lines.par_iter().filter(filled).map(|l| fields(l)).collect()
        };
    }
    let mut out = Vec::new();
    let mut pending = String::new();
    for line in lines {
        if pending.is_empty() && line.trim().is_empty() {
            continue;
        }
        if !pending.is_empty() {
            pending.push('\n');
        }
        pending.push_str(line);
        // An odd number of quotes means a quoted field continues on the next line.
        if pending.bytes().filter(|&b| b == b'"').count() % 2 == 1 {
            continue;
        }
        out.push(
            fields(&pending)
                .into_iter()
                .map(|c| Cow::Owned(c.into_owned()))
                .collect(),
        );
        pending.clear();
    }
    if !pending.is_empty() {
        out.push(
            fields(&pending)
                .into_iter()
                .map(|c| Cow::Owned(c.into_owned()))
                .collect(),
        );
    }
    out
}

//! A small CSV record reader (RFC 4180 quoting) written with `nom`, shared by the loaders.

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{is_not, tag},
    combinator::{map, opt},
    multi::{many0, separated_list0},
    sequence::delimited,
};

/// One quoted field: `"…"` with `""` standing for a quote.
fn quoted(input: &str) -> IResult<&str, String> {
    delimited(
        tag("\""),
        map(
            many0(alt((is_not("\""), map(tag("\"\""), |_| "\"")))),
            |parts: Vec<&str>| parts.concat(),
        ),
        tag("\""),
    )
    .parse(input)
}

/// One unquoted field (may be empty).
fn bare(input: &str) -> IResult<&str, String> {
    map(opt(is_not(",\r\n")), |s: Option<&str>| {
        s.unwrap_or("").to_string()
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
pub fn fields(line: &str) -> Vec<String> {
    let line = line.trim_end_matches(['\r', '\n']);
    match separated_list0(tag(","), alt((quoted, bare))).parse(line) {
        Ok((rest, mut v)) => {
            if !rest.is_empty() {
                v.push(rest.to_string());
            }
            v
        }
        Err(_) => line.split(',').map(str::to_string).collect(),
    }
}

/// Splits a whole file into records (quoted fields may span lines), skipping empty lines.
pub fn records(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut pending = String::new();
    for line in text.lines() {
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
        out.push(fields(&pending));
        pending.clear();
    }
    if !pending.is_empty() {
        out.push(fields(&pending));
    }
    out
}

//! Long single lines must stay linear (no timing assertion: a quadratic path would make this
//! test run for minutes, which the suite's runner notices).

use shohosen::text::parse_text;

#[test]
fn long_repetitive_lines_parse() {
    for unit in [
        "(3-",
        "変更不可",
        "令和",
        "1日",
        "レ\t",
        "【般】",
        "時",
        "1回(",
        "Rp1 ",
        "保険",
    ] {
        let s = unit.repeat(200_000 / unit.len());
        let _ = parse_text(&s);
    }
}

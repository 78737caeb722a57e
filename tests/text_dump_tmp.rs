#[test]
#[ignore]
fn dump() {
    let f = std::env::var("DUMP").unwrap();
    let t = std::fs::read(&f).unwrap();
    let (s, _, _) = if f.contains("sjis") {
        encoding_rs::SHIFT_JIS.decode(&t)
    } else {
        encoding_rs::UTF_8.decode(&t)
    };
    for p in shohosen::text::parse_text(&s) {
        println!("{}", serde_json::to_string_pretty(&p).unwrap());
    }
}

//! Every `corpus/jahis/NAME.txt` read as UTF-8 with LF and as Shift_JIS bytes with CR LF and a
//! trailing 0x1A (made here, as a scanner delivers them) must give the same prescriptions.
//! The facts themselves are checked against `NAME.expected.json` through the binary by
//! `tests/corpus_golden.rs`.

use shohosen::jahis;
use shohosen::model::Prescription;

fn corpus() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/jahis")
}

fn sjis_bytes(text: &str) -> Vec<u8> {
    let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
    let (bytes, _, errors) = encoding_rs::SHIFT_JIS.encode(&crlf);
    assert!(!errors, "fixture not representable in Shift_JIS");
    let mut bytes = bytes.into_owned();
    bytes.push(0x1a);
    bytes
}

#[test]
fn shift_jis_crlf_reads_like_utf8() {
    let mut names: Vec<_> = std::fs::read_dir(corpus())
        .expect("corpus/jahis")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    assert!(names.len() >= 6, "fixtures missing: {names:?}");
    let mut failures = Vec::new();
    for path in names {
        let text = std::fs::read_to_string(&path).unwrap();
        let ps = match jahis::parse(&text) {
            Ok(ps) => ps,
            Err(e) => {
                failures.push(format!("{path:?}: {e}"));
                continue;
            }
        };
        let from_sjis = jahis::parse_bytes(&sjis_bytes(&text)).expect("Shift_JIS copy reads");
        let strip = |ps: &[Prescription]| -> Vec<Prescription> {
            ps.iter()
                .cloned()
                .map(|mut p| {
                    p.lines = Default::default();
                    p
                })
                .collect()
        };
        if strip(&ps) != strip(&from_sjis) {
            failures.push(format!(
                "{path:?}: Shift_JIS CR LF reading differs from UTF-8 LF"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

//! Issue 7's resource limits, at the library level: each limit gives a clear `too_large`
//! record instead of exhausting time or memory, and input just inside a limit still reads.

use std::time::Duration;

use shohosen::error::ErrorKind;
use shohosen::master::Master;
use shohosen::output::Record;
use shohosen::pipeline::{MAX_ITEMS, Options, Processed, process_bytes};

fn opts() -> Options {
    Options::for_date(chrono::NaiveDate::from_ymd_opt(2024, 10, 7).expect("date"))
}

const HEAD: &str = "処方箋\n氏名 高橋 節子\n交付年月日 令和6年10月4日\n処方\n";

fn rx(items: usize) -> String {
    let mut s = HEAD.to_string();
    for i in 1..=items {
        s.push_str(&format!("Rp{i} ロキソニン錠60mg 3錠 1日3回 毎食後 7日分\n"));
    }
    s.push_str("以下余白\n");
    s
}

fn error_kind(p: &Processed) -> Option<(ErrorKind, String)> {
    match &p.record {
        Record::Error(e) => Some((e.error.kind, e.error.message.clone())),
        Record::Document(_) => None,
    }
}

#[test]
fn an_input_over_its_time_budget_is_reported_not_returned_half_read() {
    let mut o = opts();
    o.timeout = Duration::ZERO;
    let out = process_bytes("late.txt", rx(3).as_bytes(), &Master::sample(), &o);
    let (kind, message) = error_kind(&out[0]).expect("an error record");
    assert_eq!(kind, ErrorKind::TooLarge);
    assert!(message.contains("time budget"), "{message}");
    // a long input stops early in the reader, and is still reported, not half-returned
    let out = process_bytes("long.txt", rx(900).as_bytes(), &Master::sample(), &o);
    assert_eq!(error_kind(&out[0]).map(|e| e.0), Some(ErrorKind::TooLarge));
    let jahis = format!("JAHIS10\n{}", "81,1,備考\n".repeat(2000));
    let out = process_bytes("long-jahis.txt", jahis.as_bytes(), &Master::sample(), &o);
    assert_eq!(error_kind(&out[0]).map(|e| e.0), Some(ErrorKind::TooLarge));
    // the same input with the default budget reads
    let out = process_bytes("ok.txt", rx(3).as_bytes(), &Master::sample(), &opts());
    assert!(error_kind(&out[0]).is_none());
}

#[test]
fn items_over_the_limit_become_a_too_large_record() {
    let master = Master::sample();
    let at = process_bytes("at.txt", rx(MAX_ITEMS).as_bytes(), &master, &opts());
    match &at[0].record {
        Record::Document(d) => assert_eq!(d.items.len(), MAX_ITEMS),
        Record::Error(e) => panic!("{}", e.error.message),
    }
    let over = process_bytes("over.txt", rx(MAX_ITEMS + 1).as_bytes(), &master, &opts());
    let (kind, message) = error_kind(&over[0]).expect("an error record");
    assert_eq!(kind, ErrorKind::TooLarge);
    assert!(
        message.contains(&format!("{} items", MAX_ITEMS + 1)),
        "{message}"
    );
}

#[test]
fn text_over_the_line_limit_is_too_large() {
    let lines = shohosen::input::MAX_TEXT_LINES;
    let under = format!(
        "{HEAD}{}Rp1 ロキソニン錠60mg 3錠 1日3回 毎食後 7日分\n",
        "\n".repeat(lines - 10)
    );
    let out = process_bytes("under.txt", under.as_bytes(), &Master::sample(), &opts());
    assert!(error_kind(&out[0]).is_none(), "{:?}", error_kind(&out[0]));
    let over = format!("{HEAD}{}", "\n".repeat(lines + 1));
    let out = process_bytes("over.txt", over.as_bytes(), &Master::sample(), &opts());
    let (kind, message) = error_kind(&out[0]).expect("an error record");
    assert_eq!(kind, ErrorKind::TooLarge);
    assert!(message.contains("lines"), "{message}");
}

#[test]
fn the_readers_stop_at_an_expired_budget() {
    let text = rx(900);
    let all = shohosen::text::parse_text(&text);
    assert_eq!(all[0].items.len(), 900);
    let cut = shohosen::budget::with_deadline(Duration::ZERO, || shohosen::text::parse_text(&text));
    assert!(cut.iter().map(|p| p.items.len()).sum::<usize>() < 300);
}

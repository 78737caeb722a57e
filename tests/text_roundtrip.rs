//! Round trip: random prescriptions from the model are rendered in every text style and read
//! back; the model facts must survive. Plus: no panic on arbitrary input.

use proptest::prelude::*;
use shohosen::model::*;
use shohosen::text::render::{STYLES, synthetic};
use shohosen::text::{RenderStyle, parse_text, render};

fn check(p: &Prescription, style: RenderStyle) -> Result<(), TestCaseError> {
    let text = render(p, style);
    let back = parse_text(&text);
    prop_assert_eq!(back.len(), 1, "{}", text);
    let b = &back[0];
    let want_layout = if style == RenderStyle::Plain {
        Layout::Unknown
    } else {
        p.layout
    };
    prop_assert_eq!(b.layout, want_layout, "{}", text);
    prop_assert_eq!(&b.patient, &p.patient, "{}", text);
    prop_assert_eq!(&b.insurance, &p.insurance, "{}", text);
    prop_assert_eq!(&b.institution, &p.institution, "{}", text);
    prop_assert_eq!(&b.prescriber, &p.prescriber, "{}", text);
    prop_assert_eq!(&b.refill, &p.refill, "{}", text);
    prop_assert_eq!(b.issued, p.issued);
    prop_assert_eq!(b.valid_until_written, p.valid_until_written);
    prop_assert_eq!(b.leftover, p.leftover, "{}", text);
    prop_assert!(b.list_closed);
    prop_assert_eq!(b.items.len(), p.items.len(), "{}", text);
    for (x, y) in b.items.iter().zip(&p.items) {
        prop_assert_eq!(
            (&x.name, x.general_name, x.rp, x.category),
            (&y.name, y.general_name, y.rp, y.category),
            "{}",
            text
        );
        prop_assert_eq!(&x.amount, &y.amount, "{}", text);
        prop_assert_eq!(
            (x.days, x.times, x.times_per_day),
            (y.days, y.times, y.times_per_day),
            "{}",
            text
        );
        prop_assert_eq!(&x.timing, &y.timing, "{}", text);
        prop_assert_eq!(x.flags, y.flags, "{}", text);
    }
    prop_assert!(b.notes.is_empty(), "{:?}\n{}", b.notes, text);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn round_trip_new_layout(seed in any::<u64>()) {
        let p = synthetic(seed, Layout::New);
        for s in STYLES {
            check(&p, s)?;
        }
    }

    #[test]
    fn round_trip_old_layout(seed in any::<u64>()) {
        let p = synthetic(seed, Layout::Old);
        for s in STYLES {
            check(&p, s)?;
        }
    }

    #[test]
    fn no_panic_on_arbitrary_text(s in ".{0,400}") {
        let _ = parse_text(&s);
    }

    #[test]
    fn no_panic_on_form_like_text(parts in prop::collection::vec(prop::sample::select(vec![
        "処方", "Rp", "1)", "①", "【般】", "レ", "×", "□", "■", "\t", "\n", "  ", "　", "変更不可", "患者希望",
        "（医療上必要）", "錠", "2錠", "1回", "分3", "1日", "3回", "7日分", "10回分", "(3-2-1)", "×2本", "5mL",
        "令和6年", "2月30日", "昭和", "S35.4.12", "保険者番号", "氏名", "リフィル可", "以下余白", "時", "0.", "9999999999999", "2147483647", "R2147483647.1.1", "Rp4294967295 A錠 1錠\nB錠 1錠\n",
        "備考", "保険医署名", "枝番", "・", "(", ")", "ｱ", "A", "x", "@memo:",
    ]), 0..120)) {
        let _ = parse_text(&parts.concat());
    }
}

#[test]
fn ten_thousand_lines() {
    let mut s = String::from("処方\n");
    for i in 0..10_000 {
        s.push_str(&format!(
            "Rp{i} ムコダイン錠500mg 3錠\n    分3 毎食後 7日分\n"
        ));
    }
    let ps = parse_text(&s);
    assert_eq!(ps[0].items.len(), 10_000);
}

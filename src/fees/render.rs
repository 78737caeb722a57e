//! The readable breakdown printed by `shohosen fee`.

use std::fmt::Write;

use crate::master::Product;
use crate::model::Prescription;

use super::FeeOutcome;

/// A plain-text table: items with their decision and prices, units, points, yen, and who
/// pays what.
///
/// ```
/// use shohosen::fees::{render_table, FeeOutcome};
/// use shohosen::model::Prescription;
/// let t = render_table(&Prescription::default(), &[], &FeeOutcome::default());
/// assert!(t.contains("E"));
/// ```
pub fn render_table(p: &Prescription, products: &[Option<Product>], out: &FeeOutcome) -> String {
    let f = &out.fees;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "rule {}  date {}  fraction {}  copay {} ({:?})",
        f.rule,
        f.dispensing_date
            .map(|d| d.to_string())
            .unwrap_or_else(|| "-".into()),
        f.fraction.as_deref().unwrap_or("-"),
        f.copay_rate,
        f.copay_source
    );
    let _ = writeln!(s, "\nitems");
    for (i, item) in p.items.iter().enumerate() {
        let decision = out
            .decisions
            .get(i)
            .map(|d| format!("{d:?}"))
            .unwrap_or_else(|| "-".into());
        match products.get(i).and_then(Option::as_ref) {
            Some(pr) => {
                let _ = writeln!(
                    s,
                    "  {:>2} {}  [{}]  P {}/{}  G {}  [a] {}  [b] {}",
                    item.index,
                    item.name,
                    decision,
                    pr.price,
                    pr.unit,
                    pr.generic_max_price
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "-".into()),
                    pr.a.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
                    pr.b.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
                );
            }
            None => {
                let _ = writeln!(
                    s,
                    "  {:>2} {}  [{}]  (no product)",
                    item.index, item.name, decision
                );
            }
        }
    }
    let _ = writeln!(
        s,
        "\nunits                         ×m   special yen  pts   insured yen  pts"
    );
    for u in &f.units {
        let items: Vec<String> = u.items.iter().map(u32::to_string).collect();
        let _ = writeln!(
            s,
            "  {:<12} items {:<8} {:>3} {:>12} {:>4} {:>13} {:>4}",
            format!("{:?}", u.category).to_lowercase(),
            items.join(","),
            u.multiplier,
            u.special_yen,
            u.special_points,
            u.insured_yen,
            u.insured_points
        );
    }
    for up in &f.unpriced {
        let _ = writeln!(s, "  item {} left out: {}", up.item, up.reason);
    }
    if !f.pending_items.is_empty() {
        let items: Vec<String> = f.pending_items.iter().map(u32::to_string).collect();
        let _ = writeln!(
            s,
            "  pending decision (judge/inquiry), charge not included: items {}",
            items.join(",")
        );
    }
    let _ = writeln!(s, "\n  special points SP      {:>8}", f.special_points);
    let _ = writeln!(
        s,
        "  insured points IP      {:>8}  (+ other {})",
        f.insured_points, f.other_points
    );
    let _ = writeln!(
        s,
        "  A special fee (tax in) {:>8} 円  patient",
        f.special_fee
    );
    let _ = writeln!(s, "  B insured cost         {:>8} 円", f.insured_cost);
    let _ = writeln!(s, "  C co-payment           {:>8} 円  patient", f.copayment);
    let _ = writeln!(s, "  D benefit (B − C)      {:>8} 円  insurer", f.benefit);
    let _ = writeln!(s, "  E patient pays (A + C) {:>8} 円", f.patient_total);
    s
}

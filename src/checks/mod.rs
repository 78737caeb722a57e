//! The rule engine: CHECKS.md as data. (Stub until the checks work lands.)

use chrono::NaiveDate;

use crate::fees::SelectiveCare;
use crate::master::{Master, Product};
use crate::model::{Finding, Prescription};

/// What the checks may look at besides the prescription.
pub struct Context<'a> {
    /// The dispensing date.
    pub date: NaiveDate,
    /// The product resolved for each item (same order as `items`).
    pub products: &'a [Option<Product>],
    /// The fee engine's decision for each item.
    pub decisions: &'a [SelectiveCare],
    pub master: &'a Master,
}

/// Runs every rule; reader notes are turned into findings with the catalog's metadata.
pub fn run(p: &Prescription, ctx: &Context<'_>) -> Vec<Finding> {
    let _ = ctx;
    p.notes
        .iter()
        .map(|n| Finding {
            rule: n.rule.clone(),
            severity: crate::model::Severity::Warning,
            action: crate::model::Action::Review,
            message: n.detail.clone(),
            item: n.item,
            line: n.line,
        })
        .collect()
}

/// Output formats of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogFormat {
    Table,
    Json,
}

/// The rule catalog for `shohosen rules`.
pub fn render_catalog(format: CatalogFormat) -> String {
    let _ = format;
    String::new()
}

/// Readable diagnostics.
pub mod render {
    use crate::model::Finding;

    /// Diagnostics quoting the prescription lines, with a summary line.
    pub fn diagnostics(
        path: &str,
        source_lines: &[String],
        findings: &[Finding],
        color: bool,
    ) -> String {
        let _ = (source_lines, color);
        let mut s = String::new();
        for f in findings {
            s.push_str(&format!(
                "{path}:{}: {:?} [{}] {}\n",
                f.line.unwrap_or(0),
                f.severity,
                f.rule,
                f.message
            ));
        }
        s
    }
}

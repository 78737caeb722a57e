//! The rule engine: CHECKS.md as data ([`catalog`](mod@catalog)) plus one small function per rule
//! ([`rules`]), run over the prescription model with the fee engine's per-item decisions.
//!
//! ```
//! use chrono::NaiveDate;
//! use shohosen::checks::{run, Context};
//! use shohosen::master::Master;
//! use shohosen::model::Prescription;
//! let p = Prescription::default();
//! let master = Master::sample();
//! let ctx = Context::new(NaiveDate::from_ymd_opt(2024, 10, 7).unwrap(), &[], &[], &master);
//! let findings = run(&p, &ctx);
//! assert!(findings.iter().any(|f| f.rule == "issue-date-missing"));
//! ```

use chrono::NaiveDate;

use crate::fees::SelectiveCare;
use crate::master::{Master, Product};
use crate::model::{Action, Finding, Item, Prescription, Severity};

pub mod catalog;
pub mod digits;
pub mod drugs;
pub mod render;
pub mod rules;
pub mod strength;
pub mod validity;
pub mod words;

pub use catalog::{CatalogFormat, Rule, catalog, render_catalog, rule};
pub use strength::{StrengthIndex, StrengthLookup};

/// What the checks may look at besides the prescription.
pub struct Context<'a> {
    /// The dispensing date.
    pub date: NaiveDate,
    /// The product resolved for each item (same order as `items`; `None` = unknown drug).
    pub products: &'a [Option<Product>],
    /// The fee engine's decision for each item (same order as `items`).
    pub decisions: &'a [SelectiveCare],
    pub master: &'a Master,
}

impl<'a> Context<'a> {
    /// A context with no extra strength index.
    pub fn new(
        date: NaiveDate,
        products: &'a [Option<Product>],
        decisions: &'a [SelectiveCare],
        master: &'a Master,
    ) -> Context<'a> {
        Context {
            date,
            products,
            decisions,
            master,
        }
    }

    /// The product of item `i` (0-based position in `items`).
    pub fn product(&self, i: usize) -> Option<&'a Product> {
        self.products.get(i).and_then(Option::as_ref)
    }

    /// The decision for item `i`: the fee engine's, or — when the pipeline gave none for
    /// this prescription — the same decision table worked out here from flags and product.
    pub fn decision(&self, p: &Prescription, i: usize) -> SelectiveCare {
        if self.decisions.len() == p.items.len()
            && let Some(d) = self.decisions.get(i)
        {
            return *d;
        }
        match p.items.get(i) {
            Some(item) => fallback_decision(p, item, self.product(i), self.date),
            None => SelectiveCare::UnknownDrug,
        }
    }
}

/// The FEES.md decision table for one item, used only when the fee engine's decisions are
/// missing (no dispensing choices are known here, so an unmarked brand is `judge`).
pub fn fallback_decision(
    p: &Prescription,
    item: &Item,
    product: Option<&Product>,
    date: NaiveDate,
) -> SelectiveCare {
    let start = validity::selective_care_start();
    if p.issued.unwrap_or(date) < start || date < start {
        return SelectiveCare::BeforeRule;
    }
    let Some(product) = product else {
        return SelectiveCare::UnknownDrug;
    };
    let f = item.flags;
    if f.no_substitution && f.patient_wish {
        SelectiveCare::Inquiry
    } else if !product.target || item.general_name {
        SelectiveCare::NotTarget
    } else if f.no_substitution {
        SelectiveCare::ExemptMedical
    } else if p.is_welfare() {
        SelectiveCare::Welfare
    } else if f.patient_wish {
        SelectiveCare::Applies
    } else {
        SelectiveCare::Judge
    }
}

/// `2) ジスロマック錠250mg` — how messages name an item.
pub fn item_label(item: &Item) -> String {
    let name = if item.name.trim().is_empty() {
        item.source_text.trim()
    } else {
        item.name.trim()
    };
    format!("{}) {}", item.index, name)
}

/// Collects findings with the catalog's severity and action.
#[derive(Debug, Default)]
pub struct Sink {
    findings: Vec<Finding>,
}

impl Sink {
    /// A finding of rule `id`; the message is the catalog template filled with `vars`,
    /// prefixed with the item label when the finding is about an item.
    pub fn emit(
        &mut self,
        id: &str,
        item: Option<&Item>,
        line: Option<u32>,
        vars: &[(&str, &str)],
    ) {
        let template = rule(id).map(|r| r.message).unwrap_or("");
        let body = catalog::fill(template, vars);
        self.emit_message(id, item, line, body);
    }

    /// A finding with a message already written (the item label is still put in front).
    pub fn emit_message(&mut self, id: &str, item: Option<&Item>, line: Option<u32>, body: String) {
        let (severity, action) = rule(id)
            .map(|r| (r.severity, r.action))
            .unwrap_or((Severity::Warning, Action::Review));
        let message = match item {
            Some(it) => format!("{}: {}", item_label(it), body),
            None => body,
        };
        self.findings.push(Finding {
            rule: id.to_string(),
            severity,
            action,
            message,
            item: item.map(|i| i.index),
            line: line.or_else(|| item.and_then(|i| i.line)),
        });
    }

    /// A finding about one item, pointing at the item's line.
    pub fn item(&mut self, id: &str, item: &Item, vars: &[(&str, &str)]) {
        self.emit(id, Some(item), item.line, vars);
    }

    /// Gives a line to findings about an item that has none (2D-symbol items carry no text
    /// line; their drug record does).
    pub fn fill_item_lines(&mut self, line_of: impl Fn(u32) -> Option<u32>) {
        for f in &mut self.findings {
            if f.line.is_none()
                && let Some(i) = f.item
            {
                f.line = line_of(i);
            }
        }
    }

    /// The findings so far, sorted: errors first, then by line (unknown lines last), item,
    /// and catalog order.
    pub fn finish(mut self) -> Vec<Finding> {
        let order = |id: &str| {
            catalog()
                .iter()
                .position(|r| r.id == id)
                .unwrap_or(usize::MAX)
        };
        self.findings.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then_with(|| a.line.unwrap_or(u32::MAX).cmp(&b.line.unwrap_or(u32::MAX)))
                .then_with(|| a.item.unwrap_or(u32::MAX).cmp(&b.item.unwrap_or(u32::MAX)))
                .then_with(|| order(&a.rule).cmp(&order(&b.rule)))
        });
        self.findings
    }
}

/// What the rules see: the pipeline's [`Context`] plus optional extras.
pub struct Env<'a> {
    pub ctx: &'a Context<'a>,
    /// Which drugs exist in several strengths (e.g. an index over the master's product
    /// names); the built-in index ([`StrengthIndex::builtin`]) is always consulted too.
    pub strengths: Option<&'a dyn StrengthLookup>,
    /// Per-item facts (same order as `items`), worked out once.
    pub facts: Vec<drugs::DrugFacts>,
}

impl<'a> Env<'a> {
    /// The environment for one prescription.
    pub fn new(
        p: &Prescription,
        ctx: &'a Context<'a>,
        strengths: Option<&'a dyn StrengthLookup>,
    ) -> Env<'a> {
        let facts = p
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| drugs::DrugFacts::of(it, ctx.product(i)))
            .collect();
        Env {
            ctx,
            strengths,
            facts,
        }
    }

    /// The facts of item `i` (defaults for an index out of range).
    pub fn facts(&self, i: usize) -> drugs::DrugFacts {
        self.facts.get(i).cloned().unwrap_or_default()
    }

    /// Item `i` is a drug (not a comment line, not a 医療材料).
    pub fn is_drug(&self, i: usize) -> bool {
        self.facts.get(i).is_some_and(|f| f.drug)
    }

    /// The drug items with their 0-based position.
    pub fn drugs<'p>(&self, p: &'p Prescription) -> impl Iterator<Item = (usize, &'p Item)> {
        p.items.iter().enumerate().filter(|(i, _)| self.is_drug(*i))
    }
}

impl<'a> std::ops::Deref for Env<'a> {
    type Target = Context<'a>;
    fn deref(&self) -> &Context<'a> {
        self.ctx
    }
}

/// Runs every rule; reader notes (`p.notes`) become findings with the catalog's metadata.
/// Findings are sorted by severity (errors first), then line.
pub fn run(p: &Prescription, ctx: &Context<'_>) -> Vec<Finding> {
    run_with_strengths(p, ctx, None)
}

/// [`run`] with a strength index built once per run from the master in force, e.g.
/// `StrengthIndex::from_names(all product names)`, so `strength-missing` knows every drug
/// sold in several strengths (not only the built-in list).
pub fn run_with_strengths<'a>(
    p: &Prescription,
    ctx: &'a Context<'a>,
    strengths: Option<&'a dyn StrengthLookup>,
) -> Vec<Finding> {
    let env = Env::new(p, ctx, strengths);
    let mut sink = Sink::default();
    rules::reading::notes(p, &env, &mut sink);
    for check in rules::ALL {
        check(p, &env, &mut sink);
    }
    if p.layout == crate::model::Layout::Jahis {
        sink.fill_item_lines(|index| jahis_drug_line(p, index));
    }
    sink.finish()
}

/// The line of the 201 (薬品) record of item `index` in the 2D-symbol text: `201,RP,連番,…`,
/// 連番 being the item's position within its RP.
fn jahis_drug_line(p: &Prescription, index: u32) -> Option<u32> {
    let item = p.items.iter().find(|it| it.index == index)?;
    let seq = p
        .items
        .iter()
        .filter(|it| it.rp == item.rp && it.index <= index)
        .count();
    let prefix = format!("201,{},{},", item.rp, seq);
    let pos = p
        .lines
        .iter()
        .position(|l| l.trim_start().starts_with(&prefix))?;
    u32::try_from(pos + 1).ok()
}

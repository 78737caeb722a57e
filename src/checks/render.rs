//! Readable diagnostics for `shohosen check`: each finding with the prescription line it
//! points at quoted under a header, rendered by miette's graphical handler, and a one-line
//! summary per file (`3 errors, 1 warning: 疑義照会が必要`).
//!
//! ```
//! use shohosen::checks::render::diagnostics;
//! use shohosen::model::{Action, Finding, Severity};
//! let lines = vec!["Rp1 ジスロマック錠 2錠".to_string(), "1日1回朝食後 3日分".to_string()];
//! let f = Finding { rule: "strength-missing".into(), severity: Severity::Warning, action: Action::Inquiry,
//!     message: "1) ジスロマック錠: 規格の記載がありません。".into(), item: Some(1), line: Some(1) };
//! let out = diagnostics("rx.txt", &lines, &[f], false);
//! assert!(out.contains("Rp1 ジスロマック錠 2錠"));
//! assert!(out.contains("rx.txt: 0 errors, 1 warning: 疑義照会が必要"));
//! ```

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};

use crate::checks::catalog::action_label;
use crate::model::{Action, Finding, Severity};

/// How diagnostics are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// ANSI colours (only when writing to a terminal).
    pub color: bool,
    /// Wrap width in terminal columns.
    pub width: usize,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            color: false,
            width: 100,
        }
    }
}

/// One finding as a miette diagnostic.
struct Report<'a> {
    finding: &'a Finding,
    source: Option<NamedSource<String>>,
    span: Option<(usize, usize)>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Report")
            .field("rule", &self.finding.rule)
            .finish()
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for Report<'_> {}

impl Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.finding.rule.clone()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        (self.finding.action != Action::None)
            .then(|| Box::new(format!("対応: {}", action_label(self.finding.action))) as _)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.span
            .and(self.source.as_ref().map(|s| s as &dyn SourceCode))
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (offset, len) = self.span?;
        let text = match self.finding.item {
            Some(i) => format!("{}（{}番目の薬剤）", self.finding.rule, i),
            None => self.finding.rule.clone(),
        };
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some(text),
            offset,
            len,
        ))))
    }
}

/// Byte offset and length of each 1-based line in the joined source.
fn line_spans(lines: &[String]) -> Vec<(usize, usize)> {
    let mut spans = Vec::with_capacity(lines.len());
    let mut offset = 0;
    for l in lines {
        spans.push((offset, l.len()));
        offset += l.len() + 1;
    }
    spans
}

/// Diagnostics for each finding, then the summary line; `color` adds ANSI colours (pass
/// true only when writing to a terminal).
pub fn diagnostics(
    path: &str,
    source_lines: &[String],
    findings: &[Finding],
    color: bool,
) -> String {
    diagnostics_styled(
        path,
        source_lines,
        findings,
        Style {
            color,
            ..Style::default()
        },
    )
}

/// Diagnostics for each finding (quoting its line when known), then the summary line.
pub fn diagnostics_styled(
    path: &str,
    source_lines: &[String],
    findings: &[Finding],
    style: Style,
) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_context_lines(0);
    let text = source_lines.join("\n");
    let spans = line_spans(source_lines);
    let mut out = String::new();
    for f in findings {
        let span = f
            .line
            .and_then(|l| spans.get((l as usize).checked_sub(1)?).copied())
            // A zero-length span on an empty line still shows the line number.
            .map(|(o, len)| {
                (
                    o,
                    len.max(if text.is_empty() { 0 } else { 1 })
                        .min(text.len() - o),
                )
            });
        let report = Report {
            finding: f,
            source: span.map(|_| NamedSource::new(path, text.clone())),
            span,
        };
        if handler.render_report(&mut out, &report).is_err() {
            // Rendering into a String cannot fail in practice; never lose the finding.
            out.push_str(&format!("{}: {}\n", f.rule, f.message));
        }
        out.push('\n');
    }
    out.push_str(&summary(path, findings));
    out.push('\n');
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `rx.txt: 3 errors, 1 warning, 2 infos: このままでは調剤不可、疑義照会が必要`, or
/// `rx.txt: 問題は見つかりませんでした` when there is no finding.
pub fn summary(path: &str, findings: &[Finding]) -> String {
    if findings.is_empty() {
        return format!("{path}: 問題は見つかりませんでした");
    }
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let mut head = format!(
        "{path}: {}, {}",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning")
    );
    let infos = count(Severity::Info);
    if infos > 0 {
        head.push_str(&format!(", {}", plural(infos, "info")));
    }
    let order = [
        Action::Reject,
        Action::Inquiry,
        Action::Review,
        Action::Judge,
        Action::Explain,
    ];
    let needed: Vec<&str> = order
        .iter()
        .filter(|a| findings.iter().any(|f| f.action == **a))
        .map(|a| action_label(*a))
        .collect();
    if needed.is_empty() {
        head
    } else {
        format!("{head}: {}", needed.join("、"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, severity: Severity, action: Action, line: Option<u32>) -> Finding {
        Finding {
            rule: rule.into(),
            severity,
            action,
            message: format!("{rule} のメッセージ"),
            item: Some(2),
            line,
        }
    }

    fn lines() -> Vec<String> {
        [
            "交付年月日 令和6年10月1日",
            "Rp1 ジスロマック錠250mg 2錠 【患者希望】",
            "1日1回朝食後 3日分",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    #[test]
    fn quotes_the_line_with_the_rule_under_it() {
        let f = finding("nosub-unsigned", Severity::Error, Action::Inquiry, Some(2));
        let out = diagnostics("rx.txt", &lines(), &[f], false);
        assert!(out.contains("nosub-unsigned のメッセージ"), "{out}");
        assert!(
            out.contains("Rp1 ジスロマック錠250mg 2錠 【患者希望】"),
            "{out}"
        );
        assert!(out.contains("rx.txt:2"), "{out}");
        assert!(out.contains("対応: 疑義照会が必要"), "{out}");
        assert!(!out.contains('\u{1b}'), "no colour when not asked");
        assert!(
            out.trim_end()
                .ends_with("rx.txt: 1 error, 0 warnings: 疑義照会が必要"),
            "{out}"
        );
    }

    #[test]
    fn colour_is_a_parameter() {
        let f = finding("expired", Severity::Error, Action::Reject, Some(1));
        let out = diagnostics_styled(
            "rx.txt",
            &lines(),
            &[f],
            Style {
                color: true,
                width: 80,
            },
        );
        assert!(out.contains('\u{1b}'));
    }

    #[test]
    fn findings_without_a_line_or_beyond_the_text_still_render() {
        let fs = vec![
            finding("issue-date-missing", Severity::Error, Action::Inquiry, None),
            finding("unparsed-line", Severity::Warning, Action::Review, Some(99)),
        ];
        let out = diagnostics("a.txt", &lines(), &fs, false);
        assert!(out.contains("issue-date-missing のメッセージ"));
        assert!(out.contains("unparsed-line のメッセージ"));
        let out = diagnostics("a.txt", &[], &fs, false);
        assert!(
            out.contains("a.txt: 1 error, 1 warning: 疑義照会が必要、読み取り結果の確認が必要")
        );
    }

    #[test]
    fn summaries() {
        assert_eq!(summary("x", &[]), "x: 問題は見つかりませんでした");
        let fs = vec![
            finding("selective-care", Severity::Info, Action::Explain, Some(2)),
            finding("old-layout", Severity::Info, Action::None, None),
        ];
        assert_eq!(
            summary("x", &fs),
            "x: 0 errors, 0 warnings, 2 infos: 患者さんへの説明が必要"
        );
    }
}

use crate::model::Finding;
/// Placeholder.
pub fn diagnostics(_path: &str, _source_lines: &[String], _findings: &[Finding]) -> String {
    String::new()
}

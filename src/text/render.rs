//! Writes a prescription as text in the renderings of FORMATS.md §2.
use crate::model::Prescription;

/// A text rendering of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenderStyle {
    Tabs,
    Columns,
    Plain,
    OcrNoisy,
}

/// Renders `p` as text.
pub fn render(p: &Prescription, style: RenderStyle) -> String {
    let _ = (p, style);
    String::new()
}

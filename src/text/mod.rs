//! The printed form as text: cells from tabs or aligned spaces, then the nom form parser.
//! (Owned by the text-reader work; stub until it lands.)

use crate::model::Prescription;
use crate::sheet::Sheet;

/// Splits decoded text into a [`Sheet`] (tab cells, space-aligned columns or plain lines).
pub fn sheet_from_text(text: &str) -> Sheet {
    let _ = text;
    Sheet {
        lines: Vec::new(),
        unit: crate::sheet::XUnit::Ordinal,
    }
}

/// Reads one or more prescriptions from a sheet.
pub fn parse_sheet(sheet: &Sheet) -> Vec<Prescription> {
    let _ = sheet;
    Vec::new()
}

//! Reading spreadsheet sheets (xlsx/xls via calamine) as rows of text cells.
//!
//! Numeric cells come back from the file as binary floats; they are turned into text with
//! the shortest representation that reads back to the same float (what Excel displays, e.g.
//! `158.9`), and only that text is parsed as a `Decimal` — no arithmetic happens on floats.

use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};

use super::MasterError;

/// One sheet: its name and rows of cells as text.
pub(crate) struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<String>>,
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                format!("{f}")
            }
        }
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// Every sheet of a workbook.
pub(crate) fn read_sheets(path: &Path) -> Result<Vec<Sheet>, MasterError> {
    let mut wb = open_workbook_auto(path)
        .map_err(|e| MasterError::load(path.display(), format!("cannot open workbook: {e}")))?;
    let names = wb.sheet_names().to_vec();
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| MasterError::load(path.display(), format!("sheet {name}: {e}")))?;
        let rows = range
            .rows()
            .map(|r| r.iter().map(cell_text).collect())
            .collect();
        out.push(Sheet { name, rows });
    }
    Ok(out)
}

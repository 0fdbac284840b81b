//! The customer book as an Excel or OpenDocument workbook (`.xlsx`, `.xlsm`, `.xls`, `.ods`):
//! one sheet of it (the first, or `sheet` in clientele.toml) read as a CSV book is, with
//! typed cells coming through as what they are (a date cell as its date, a number as its
//! number). Problems are placed at their cell (`customers.xlsx:Sheet1!C7`). A workbook is
//! read, never written: the commands that would change the book refuse.

use std::path::Path;

use calamine::{Data, Reader};

use super::{Book, Form, Origin, ReadOptions, duplicate_ids, sheet};
use crate::error::{Diagnostic, Error, Result, display_path};
use crate::model::Field;
use crate::model::messages::read::ReadMsg;
use crate::rules::Rules;

/// Whether `path` names a workbook, by its extension.
pub fn is_workbook(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["xlsx", "xlsm", "xlsb", "xls", "ods"]
            .iter()
            .any(|w| e.eq_ignore_ascii_case(w))
    })
}

/// What a workbook book was read from: the sheet and its header, for messages and for the
/// log written beside it (the workbook itself is never written).
#[derive(Debug)]
pub struct WorkbookSource {
    pub sheet: String,
    pub header: Vec<String>,
}

/// Reads the book from one sheet of a workbook.
pub fn read(path: &Path, rules: &Rules, opts: ReadOptions<'_>) -> Result<(Book, Vec<Diagnostic>)> {
    let (sheet, rows) = read_sheet(path, opts.sheet)?;
    let place = |(row, col): (u32, u32), message: String| {
        Diagnostic::cell(path, &sheet, (row, col), message)
    };
    let (header_at, mut problems) = find_header(path, &sheet, &rows, &opts)?;
    let (row0, header) = &rows[header_at];
    let header: Vec<String> = header.iter().map(|c| c.trim().to_string()).collect();
    let columns = sheet::map_columns(&header, opts.columns, |i, message| {
        place((*row0, i as u32), message)
    });
    if !columns.fields.contains(&Some(Field::Id)) {
        let hint = ReadMsg::IdColumnHint {
            further_down: false,
        };
        let d = place((*row0, 0), ReadMsg::NoIdColumn.to_string()).with_hint(hint.to_string());
        return Err(d.into());
    }
    let mut columns = columns;
    problems.append(&mut columns.problems);
    let reader = sheet::RowFields {
        columns: &columns,
        rules,
        dates: opts.dates,
    };
    let shared_path: std::sync::Arc<Path> = std::sync::Arc::from(path);
    let (mut customers, mut origins) = (Vec::new(), Vec::new());
    for (row, cells) in &rows[header_at + 1..] {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cells = (0..header.len()).map(|i| cells.get(i).map_or("", String::as_str));
        let at = |col: usize, message: String| place((*row, col as u32), message);
        let row_at = |message: String| place((*row, 0), message);
        if let Some(c) = reader.customer(cells, at, row_at, &mut problems) {
            customers.push(c);
            origins.push(Origin {
                path: shared_path.clone(),
                line: row + 1,
            });
        }
    }
    let id_column = columns.fields.iter().position(|f| *f == Some(Field::Id));
    let ids = duplicate_ids(&customers, &origins, &mut |i, message| {
        let row = origins[i].line - 1;
        problems.push(place((row, id_column.unwrap_or(0) as u32), message));
    });
    let book = Book {
        path: path.to_path_buf(),
        customers,
        extra_columns: std::mem::take(&mut columns.extra_columns),
        columns: columns.fields.iter().flatten().copied().collect(),
        origins,
        ids,
        form: Form::Workbook(WorkbookSource { sheet, header }),
    };
    Ok((book, problems))
}

/// The index in `rows` of the header: the row on line `header_row` when given, else the
/// first within [`sheet::HEADER_WITHIN`] rows that names an id column; and a note for each
/// row above it.
fn find_header(
    path: &Path,
    sheet: &str,
    rows: &Rows,
    opts: &ReadOptions<'_>,
) -> Result<(usize, Vec<Diagnostic>)> {
    let mut above = Vec::new();
    for (k, (row, cells)) in rows.iter().enumerate() {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let chosen = match opts.header_row {
            Some(n) => *row as usize + 1 == n,
            None => sheet::names_an_id(cells.iter().map(String::as_str), opts.columns),
        };
        if chosen {
            return Ok((k, above));
        }
        let message = ReadMsg::RowAboveHeader.to_string();
        above.push(Diagnostic::cell(path, sheet, (*row, 0), message).note());
        if above.len() == sheet::HEADER_WITHIN && opts.header_row.is_none() {
            break;
        }
    }
    let message = match opts.header_row {
        Some(n) => ReadMsg::HeaderRowEmpty {
            n,
            sheet: Some(sheet),
        },
        None if rows.is_empty() => ReadMsg::SheetEmpty { sheet },
        None => ReadMsg::NoIdColumnWithin {
            rows: sheet::HEADER_WITHIN,
            sheet: Some(sheet),
        },
    };
    let hint = ReadMsg::IdColumnHint { further_down: true };
    Err(Diagnostic::file(path, 0, message.to_string())
        .with_hint(hint.to_string())
        .into())
}

/// A sheet's rows, each with its row number (from 0) and its cells as text.
type Rows = Vec<(u32, Vec<String>)>;

/// The sheet's name and its rows.
fn read_sheet(path: &Path, wanted: Option<&str>) -> Result<(String, Rows)> {
    let unreadable = |e: calamine::Error| -> Error {
        let message = match &e {
            calamine::Error::Xlsx(calamine::XlsxError::Password)
            | calamine::Error::Xls(calamine::XlsError::Password) => {
                ReadMsg::WorkbookPassword.to_string()
            }
            calamine::Error::Io(io) => {
                return Error::io(path, std::io::Error::new(io.kind(), io.to_string()));
            }
            other => ReadMsg::WorkbookUnreadable {
                error: &other.to_string(),
            }
            .to_string(),
        };
        Diagnostic::file(path, 0, message).into()
    };
    let mut workbook = calamine::open_workbook_auto(path).map_err(unreadable)?;
    let names = workbook.sheet_names();
    let sheet = match wanted {
        Some(name) => names
            .iter()
            .find(|n| n.trim() == name.trim())
            .cloned()
            .ok_or_else(|| {
                let message = ReadMsg::NoSuchSheet {
                    name,
                    file: &display_path(path),
                    sheets: &names.join(", "),
                };
                Error::from(Diagnostic::file(path, 0, message.to_string()))
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Error::from(Diagnostic::file(path, 0, ReadMsg::NoSheet.to_string())))?,
    };
    let range = workbook.worksheet_range(&sheet).map_err(unreadable)?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::with_capacity(range.height());
    let mut problems = Vec::new();
    for (k, row) in range.rows().enumerate() {
        let r = first_row + k as u32;
        // Cells left of the range are empty: columns are counted from A.
        let mut cells = vec![String::new(); first_col as usize];
        for (j, cell) in row.iter().enumerate() {
            match cell_text(cell) {
                Ok(text) => cells.push(text),
                Err(message) => {
                    let at = (r, first_col + j as u32);
                    problems.push(Diagnostic::cell(path, &sheet, at, message));
                    cells.push(String::new());
                }
            }
        }
        rows.push((r, cells));
    }
    if !problems.is_empty() {
        return Err(Error::Data(problems));
    }
    Ok((sheet, rows))
}

/// A cell as the text a CSV export would hold, read then as every cell is: a date cell as
/// its ISO date, a number without float noise (`0.1 + 0.2` is `0.3`), an Excel error
/// (`#N/A`) as a problem.
fn cell_text(cell: &Data) -> std::result::Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{day:02}")
        }
        Data::DateTime(d) => number_text(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => {
            let error = e.to_string();
            return Err(ReadMsg::ExcelError { error: &error }.to_string());
        }
    })
}

/// A number as a person would have typed it: ten decimals at most, trailing zeros dropped,
/// so what binary floating point adds past them goes.
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    let fixed = format!("{f:.10}");
    let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
    trimmed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_typed() {
        assert_eq!(number_text(12800.0), "12800");
        assert_eq!(number_text(12800.5), "12800.5");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(-4900.0), "-4900");
        assert_eq!(number_text(1234.56), "1234.56");
        assert_eq!(number_text(45758.0), "45758");
    }
}

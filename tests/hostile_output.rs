//! Output that cannot be turned against its reader, whatever a shared book or log holds: the
//! HTML report escapes every value that reaches it (`html`); a calendar's TEXT never starts a
//! property of its own and folds without cutting a character (`ics`); tables, markdown,
//! `show` and messages show control characters, escape sequences and bidirectional
//! overrides visibly instead of passing them to the terminal, TSV keeps one line per row,
//! CSV and JSON keep the data exact (`terminal`); `--excel` makes a cell Excel would run as
//! a formula text (`excel`); and no id in a folder book can make a write land outside the
//! folder (`folder`).

mod excel;
mod folder;
mod html;
mod ics;
mod terminal;

/// A cell of a CSV file: quoted, quotes doubled.
fn csv_cell(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

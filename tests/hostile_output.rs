//! Output that cannot be turned against its reader, whatever a shared book or log holds: the
//! HTML report escapes every value that reaches it (`html`); and no id in a folder book can
//! make a write land outside the folder (`folder`).

mod folder;
mod html;

/// A cell of a CSV file: quoted, quotes doubled.
fn csv_cell(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

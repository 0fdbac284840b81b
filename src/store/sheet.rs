//! What every form of the book shares about its columns and rows, as people lay out their
//! sheets: which row is the header (a title above it is skipped), what each column holds
//! (through `[columns]`, the field names and their aliases, with a money unit applied), which
//! columns no field takes (with the field a header is most like), and which rows are an
//! Excel totals row rather than a customer.

use super::{CellRead, set_field};
use crate::error::Diagnostic;
use crate::model::header::{self, money_unit, nearest};
use crate::model::messages::read::ReadMsg;
use crate::model::value::DateStyle;
use crate::model::{Customer, Field, FieldType};
use crate::rules::Rules;

/// How many rows a header may stand below the top of a sheet (titles, notes above it).
pub const HEADER_WITHIN: usize = 10;

/// What one column of a book holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    /// None for a column no field takes: kept and written back as it is.
    pub field: Option<Field>,
    /// For a money column, how many yuan one of its unit is worth (`金额(万元)`: 10 000, a
    /// power of ten); 1 otherwise.
    pub scale: i64,
}

/// The field a header (or a TOML key) names: the `[columns]` mapping first, then the
/// field names and their aliases, as headers are matched ([`header::key`]).
pub fn field_for_header(header: &str, columns: &[(Field, String)]) -> Option<Field> {
    let key = header::key(header);
    columns
        .iter()
        .find(|(_, name)| header::key(name) == key)
        .map(|(f, _)| *f)
        .or_else(|| header::field_of_key(&key))
        .filter(|f| f.is_stored() || matches!(f, Field::Flag(_) | Field::Rating(_) | Field::Points))
}

/// What a header's column holds; an error (its message) for a money column whose unit is
/// not money.
pub fn column(header: &str, columns: &[(Field, String)]) -> Result<Column, String> {
    let field = field_for_header(header, columns);
    let (_, unit) = header::split(header);
    let scale = match (field, unit) {
        (Some(f), Some(unit)) if f.ty() == FieldType::Money => {
            money_unit(&unit).ok_or_else(|| {
                ReadMsg::UnknownUnit {
                    unit: &unit,
                    header: header.trim(),
                }
                .to_string()
            })?
        }
        _ => 1,
    };
    Ok(Column { field, scale })
}

/// Whether a row's cells name an id column: the row is a header.
pub fn names_an_id<'a>(
    cells: impl IntoIterator<Item = &'a str>,
    columns: &[(Field, String)],
) -> bool {
    cells
        .into_iter()
        .any(|c| field_for_header(c, columns) == Some(Field::Id))
}

/// The words a totals row of a sheet starts with.
const TOTALS: [&str; 10] = [
    "合计", "总计", "小计", "总和", "汇总", "合 计", "总 计", "total", "sum", "subtotal",
];

/// The word that makes a row without an id a totals row (`合计`, `Total`, `Grand total`):
/// its first cell that is not empty, if that is such a word.
pub fn totals_word<'a>(cells: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let first = cells.into_iter().map(str::trim).find(|c| !c.is_empty())?;
    // Every row's id passes here: an ASCII cell without the words is told without the
    // allocation of a key.
    let holds = |word: &[u8]| {
        first
            .as_bytes()
            .windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word))
    };
    if first.is_ascii() && !holds(b"total") && !holds(b"sum") {
        return None;
    }
    let key = header::key(first);
    let key = key.trim_end_matches([':', '：']);
    let word = key.strip_prefix("grand ").unwrap_or(key);
    TOTALS.contains(&word).then_some(first)
}

/// What `check` says of a column no field takes: that it is kept as it is, and, when its
/// header is like a field's name or alias (and no other column holds that field), which
/// field, and how to map it.
pub fn unused_column_note(header: &str, taken: &[Field]) -> String {
    unused_column_note_among(header, &free_fields(taken))
}

/// The fields a column no field takes may be like: those no column holds.
pub fn free_fields(taken: &[Field]) -> Vec<Field> {
    Field::all()
        .filter(|f| !taken.contains(f) && f.is_stored())
        .collect()
}

/// [`unused_column_note`] with the free fields found once for all of a sheet's columns.
pub fn unused_column_note_among(header: &str, free: &[Field]) -> String {
    let like = nearest(header, free.iter().copied())
        .first()
        .map(|f| f.name());
    ReadMsg::UnusedColumn { header, like }.to_string()
}

/// What each column of a sheet's header holds.
#[derive(Debug, Default)]
pub struct Columns {
    /// The header of each column, as written (for messages).
    pub headers: Vec<String>,
    /// The field each column holds (None for extra columns).
    pub fields: Vec<Option<Field>>,
    /// Each column's money unit (see [`Column::scale`]).
    pub scales: Vec<i64>,
    /// The names of the columns no field takes, as written.
    pub extra_columns: Vec<String>,
    /// Each column's index among the extra columns.
    pub extra_of_column: Vec<Option<usize>>,
    /// Two columns holding one field, a money unit that is not money; and the notes on the
    /// columns no field takes.
    pub problems: Vec<Diagnostic>,
}

/// Maps a header's cells to fields (`[columns]`, then the names and aliases), each problem
/// placed by `at(column, message)`.
pub fn map_columns(
    header: &[String],
    mapping: &[(Field, String)],
    at: impl Fn(usize, String) -> Diagnostic,
) -> Columns {
    let mut columns = Columns {
        headers: header.to_vec(),
        fields: Vec::with_capacity(header.len()),
        scales: Vec::with_capacity(header.len()),
        extra_columns: Vec::new(),
        extra_of_column: vec![None; header.len()],
        problems: Vec::new(),
    };
    // The column holding each field first: a header of 10,000 columns is looked through
    // once, not once per column.
    let mut first_of: rustc_hash::FxHashMap<Field, usize> = rustc_hash::FxHashMap::default();
    for (i, h) in header.iter().enumerate() {
        let column = self::column(h, mapping).unwrap_or_else(|message| {
            columns.problems.push(at(i, message));
            // The field it names, with no scale: the error stops every command anyway.
            Column {
                field: field_for_header(h, mapping),
                scale: 1,
            }
        });
        let f = column.field;
        if let Some(f) = f
            && let Some(&j) = first_of.get(&f)
        {
            let message = ReadMsg::TwoColumns {
                a: h,
                b: &header[j],
                field: f.name(),
                field_zh: super::style::chinese_header(f).unwrap_or(f.name()),
            }
            .to_string();
            columns.problems.push(at(i, message));
        }
        if let Some(f) = f {
            first_of.entry(f).or_insert(i);
        }
        if f.is_none() && !h.is_empty() {
            columns.extra_of_column[i] = Some(columns.extra_columns.len());
            columns.extra_columns.push(h.clone());
        }
        columns.fields.push(f);
        columns.scales.push(column.scale);
    }
    let taken: Vec<Field> = first_of.keys().copied().collect();
    let free = free_fields(&taken);
    // A header written over many columns is compared with the fields' names once.
    let mut notes: rustc_hash::FxHashMap<&str, String> = rustc_hash::FxHashMap::default();
    for (i, h) in header.iter().enumerate() {
        if columns.extra_of_column[i].is_some() {
            let note = notes
                .entry(h)
                .or_insert_with(|| unused_column_note_among(h, &free))
                .clone();
            let note = at(i, note).note();
            columns.problems.push(note);
        }
    }
    columns
}

/// What reading a row of a sheet needs: its columns, the rules and the book's dates.
#[derive(Clone, Copy)]
pub struct RowFields<'a> {
    pub columns: &'a Columns,
    pub rules: &'a Rules,
    pub dates: DateStyle,
}

impl RowFields<'_> {
    /// The customer a row's cells hold; None for a totals row (told as a note, at
    /// `row_at`), or for a row with a bad value and no id. Each problem is pushed onto
    /// `problems`, placed by `at(column, message)`.
    pub fn customer<'c>(
        &self,
        cells: impl Iterator<Item = &'c str> + Clone,
        at: impl Fn(usize, String) -> Diagnostic,
        row_at: impl Fn(String) -> Diagnostic,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<Customer> {
        let fields = &self.columns.fields;
        // A totals row: 合计 (Total, …) in the id cell, or in the first cell that is not empty
        // of a row without an id.
        let id_cell = fields.iter().position(|f| *f == Some(Field::Id));
        let id = id_cell
            .and_then(|i| cells.clone().nth(i))
            .map_or("", str::trim);
        let totals = if id.is_empty() {
            totals_word(cells.clone())
        } else {
            totals_word([id])
        };
        if let Some(word) = totals {
            let message = ReadMsg::TotalsRow { word }.to_string();
            problems.push(row_at(message).note());
            return None;
        }
        let mut c = Customer::default();
        let mut ok = true;
        for (i, cell) in cells.enumerate().take(fields.len()) {
            match fields[i] {
                Some(f) => {
                    let read = CellRead {
                        rules: self.rules,
                        dates: self.dates,
                        scale: self.columns.scales[i],
                    };
                    if let Err(message) = set_field(&mut c, f, cell, &read) {
                        let header = &self.columns.headers[i];
                        problems.push(at(i, message).in_column(i, header));
                        ok = false;
                    }
                }
                None => {
                    if let Some(x) = self.columns.extra_of_column[i]
                        && !cell.is_empty()
                    {
                        c.extras.push((x, cell.into()));
                    }
                }
            }
        }
        (ok || !c.id.is_empty()).then_some(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_scale_money_columns_only() {
        let col = |h: &str| column(h, &[]);
        assert_eq!(
            col("销售额（元）"),
            Ok(Column {
                field: Some(Field::Revenue),
                scale: 1
            })
        );
        assert_eq!(col("金额(万元)").map(|c| c.scale), Ok(10_000));
        assert_eq!(col("Revenue (USD)").map(|c| c.scale), Ok(1));
        assert_eq!(
            col("利润（千元）").map(|c| (c.field, c.scale)),
            Ok((Some(Field::Profit), 1_000))
        );
        // A unit on a column that is not money is no unit: the bracket is a remark.
        assert_eq!(
            col("电话（手机）").map(|c| (c.field, c.scale)),
            Ok((Some(Field::Phone), 1))
        );
        assert_eq!(
            col("销售额（件）"),
            Err("unknown unit \"件\" in the header \"销售额（件）\" of a money column (expected 元, 千元, 万元, 百万, 亿 or a currency such as RMB or USD)".into())
        );
        // A mapped header keeps its unit.
        let mapping = [(Field::Revenue, "成交(万元)".to_string())];
        assert_eq!(
            column("成交(万元)", &mapping),
            Ok(Column {
                field: Some(Field::Revenue),
                scale: 10_000
            })
        );
    }

    #[test]
    fn totals_rows_are_told_by_their_first_cell() {
        assert_eq!(totals_word(["合计", "", "392534.50"]), Some("合计"));
        assert_eq!(totals_word(["", " 总计：", "1"]), Some("总计："));
        assert_eq!(totals_word(["Grand Total", "5"]), Some("Grand Total"));
        assert_eq!(totals_word(["TOTAL"]), Some("TOTAL"));
        assert_eq!(totals_word(["", "华东精密", "5"]), None);
        assert_eq!(totals_word(["", ""]), None);
    }

    #[test]
    fn an_unused_column_names_the_field_it_is_like() {
        assert_eq!(
            unused_column_note("最后一次联系", &[Field::Id]),
            "column \"最后一次联系\" is not used; did you mean last_contact? map it with `[columns] last_contact = \"最后一次联系\"` in clientele.toml"
        );
        // A field another column holds is not suggested.
        assert_eq!(
            unused_column_note("最后一次联系", &[Field::LastContact]),
            "column \"最后一次联系\" is not used by any rule; it is kept as it is"
        );
        assert_eq!(
            unused_column_note("备注", &[]),
            "column \"备注\" is not used by any rule; it is kept as it is"
        );
    }
}

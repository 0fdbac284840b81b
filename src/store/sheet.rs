//! What every form of the book shares about its columns and rows, as people lay out their
//! sheets: which row is the header (a title above it is skipped), what each column holds
//! (through `[columns]`, the field names and their aliases, with a money unit applied), which
//! columns no field takes (with the field a header is most like), and which rows are an
//! Excel totals row rather than a customer.

use crate::model::header::{self, money_unit, nearest};
use crate::model::{Field, FieldType};

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
                format!(
                    "unknown unit \"{unit}\" in the header \"{}\" of a money column (expected 元, 千元, 万元, 百万, 亿 or a currency such as RMB or USD)",
                    header.trim()
                )
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
    let key = header::key(first);
    let key = key.trim_end_matches([':', '：']);
    let word = key.strip_prefix("grand ").unwrap_or(key);
    TOTALS.contains(&word).then_some(first)
}

/// What `check` says of a column no field takes: that it is kept as it is, and, when its
/// header is like a field's name or alias (and no other column holds that field), which
/// field, and how to map it.
pub fn unused_column_note(header: &str, taken: &[Field]) -> String {
    let free = Field::all().filter(|f| !taken.contains(f) && f.is_stored());
    match nearest(header, free).first() {
        Some(f) => format!(
            "column \"{header}\" is not used; did you mean {}? map it with `[columns] {} = \"{header}\"` in clientele.toml",
            f.name(),
            f.name()
        ),
        None => format!("column \"{header}\" is not used by any rule; it is kept as it is"),
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

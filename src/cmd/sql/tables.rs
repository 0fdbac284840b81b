//! The two canonical tables `clientele export` writes and `clientele sql` reads: their
//! columns, in order, with their SQL types, and `schema.sql`.

use super::dialect::Dialect;
use crate::model::{Field, FieldType};

/// A column's SQL type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SqlType {
    Text,
    Money,
    Date,
    Bool,
    Int,
}

impl SqlType {
    fn of(ty: FieldType) -> SqlType {
        match ty {
            FieldType::Str
            | FieldType::Stage
            | FieldType::Grade
            | FieldType::List
            | FieldType::Traits
            | FieldType::MonthDay => SqlType::Text,
            FieldType::Money => SqlType::Money,
            FieldType::Date => SqlType::Date,
            FieldType::Bool => SqlType::Bool,
            FieldType::Int => SqlType::Int,
        }
    }

    fn sql(self, dialect: Dialect) -> &'static str {
        match self {
            SqlType::Text => dialect.text_type(),
            SqlType::Money => Dialect::MONEY,
            SqlType::Date => "DATE",
            SqlType::Bool => "BOOLEAN",
            SqlType::Int => "BIGINT",
        }
    }
}

/// The column that keeps the order of the book's rows and of the log's: a listing in book
/// order, and "the later of two rows of one day", need it, and a table has no order.
pub const SEQ: &str = "seq";

/// The fields of the customers table after [`SEQ`]: every field a book can hold, in the order
/// a new book lists them, then the gate flags, the ratings and the points. The fields the
/// log derives are not stored: `clientele sql` derives them from the activities table.
pub fn customer_fields() -> Vec<Field> {
    Field::all()
        .filter(|f| !Field::DERIVED.contains(f))
        .collect()
}

/// The activities table's columns after [`SEQ`].
pub const ACTIVITY_COLUMNS: [(&str, SqlType); 5] = [
    ("date", SqlType::Date),
    ("customer_id", SqlType::Text),
    ("kind", SqlType::Text),
    ("amount", SqlType::Money),
    ("note", SqlType::Text),
];

/// `schema.sql`: the two `CREATE TABLE` statements, columns in the order of the CSV files.
pub fn schema(dialect: Dialect) -> String {
    let customers: Vec<(String, SqlType)> = std::iter::once((SEQ.to_string(), SqlType::Int))
        .chain(
            customer_fields()
                .into_iter()
                .map(|f| (f.name().to_string(), SqlType::of(f.ty()))),
        )
        .collect();
    let activities: Vec<(String, SqlType)> = std::iter::once((SEQ.to_string(), SqlType::Int))
        .chain(ACTIVITY_COLUMNS.iter().map(|(n, t)| (n.to_string(), *t)))
        .collect();
    let table = |name: &str, columns: &[(String, SqlType)]| {
        let lines: Vec<String> = columns
            .iter()
            .map(|(n, t)| format!("    {} {}", dialect.ident(n), t.sql(dialect)))
            .collect();
        format!("CREATE TABLE {name} (\n{}\n);\n", lines.join(",\n"))
    };
    format!(
        "{}{}",
        table("customers", &customers),
        table("activities", &activities)
    )
}

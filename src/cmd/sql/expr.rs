//! Conditions of the rule language compiled to SQL expressions over the view `c` (one row
//! per customer, every field as the native evaluator sees it: see `base.rs`).
//!
//! The native evaluator's null logic is two-valued where SQL's is three-valued: a comparison
//! with a missing value is false (not unknown), `!` of it is true, `&&` and `||` take a
//! missing value as false, arithmetic on a missing value or a division by zero is missing.
//! So every boolean this compiler writes is never NULL: a comparison or a membership test is
//! wrapped in `coalesce(…, false)`, and `NOT`, `AND`, `OR` and `CASE` are applied only to
//! such booleans. Numbers keep SQL's own NULL, which is the evaluator's missing value.

use super::dialect::Dialect;
use crate::error::{Error, Result};
use crate::model::value::MonthDay;
use crate::model::{Enumeration, Field, FieldType};
use crate::rules::expr::{Arith, Cmp, Compiled, Const, Node, Ty};

/// What compiling needs besides the expression.
pub struct Compiler<'a> {
    pub dialect: Dialect,
    pub today: chrono::NaiveDate,
    /// Trait ids by their index in the vocabulary.
    pub traits: &'a [(String, String)],
    /// `grade` reads the column `eff_grade` (the grade `due` follows a customer up at: the
    /// book's, or the `grade` scheme's when the book gives none) instead of the book's.
    pub effective_grade: bool,
}

/// The SQL type an expression's value has, as the compiler tracks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A boolean that is never NULL.
    Bool,
    Int,
    /// DECIMAL(18,2), in currency units.
    Money,
    Double,
    Date,
    /// `MM-DD` text.
    MonthDay,
    Text,
    /// An enumeration's id (stage, grade, list), ordered by [`ordinal`].
    Enum(EnumKind),
    Null,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnumKind {
    Stage,
    Grade,
    List,
}

impl<'a> Compiler<'a> {
    /// `expr` as a SQL expression. A construct without a SQL translation is an error at its
    /// place in its rule file.
    pub fn compile(&self, expr: &Compiled) -> Result<String> {
        if let Some(at) = expr.no_sql.as_ref().and_then(|n| n.at.clone()) {
            return Err(Error::Data(vec![at]));
        }
        Ok(self.node(expr.node()).0)
    }

    /// A boolean condition, never NULL.
    pub fn condition(&self, expr: &Compiled) -> Result<String> {
        let sql = self.compile(expr)?;
        Ok(if expr.ty == Ty::Bool {
            sql
        } else {
            "FALSE".to_string()
        })
    }

    /// Whether the customer has the trait of index `i` in the vocabulary (never NULL).
    pub fn has_trait(&self, i: u16) -> String {
        let d = self.dialect;
        let id = self
            .traits
            .get(usize::from(i))
            .map_or("", |(id, _)| id.as_str());
        let has = d.list_has(&self.column(Field::Traits), &d.string(id));
        format!("coalesce({has}, FALSE)")
    }

    /// A column of the view `c`.
    fn column(&self, f: Field) -> String {
        if f == Field::Grade && self.effective_grade {
            return "c.eff_grade".to_string();
        }
        format!("c.{}", self.dialect.ident(f.name()))
    }

    fn node(&self, node: &Node) -> (String, Kind) {
        let d = self.dialect;
        match node {
            Node::Const(k) => self.constant(k),
            Node::Field(f) => (self.column(*f), field_kind(*f)),
            Node::Not(n) => (format!("(NOT {})", self.node(n).0), Kind::Bool),
            Node::Neg(n) => {
                let (x, k) = self.node(n);
                (format!("(- {x})"), k)
            }
            Node::And(a, b) => (
                format!("({} AND {})", self.node(a).0, self.node(b).0),
                Kind::Bool,
            ),
            Node::Or(a, b) => (
                format!("({} OR {})", self.node(a).0, self.node(b).0),
                Kind::Bool,
            ),
            Node::Cmp(op, a, b) => (self.comparison(*op, a, b), Kind::Bool),
            Node::IsNull(n) => (format!("({} IS NULL)", self.node(n).0), Kind::Bool),
            Node::Arith(op, a, b) => self.arithmetic(*op, a, b),
            Node::In(n, set) => {
                let (x, _) = self.node(n);
                let items: Vec<String> = set.iter().map(|k| self.constant(k).0).collect();
                (
                    format!("coalesce({x} IN ({}), FALSE)", items.join(", ")),
                    Kind::Bool,
                )
            }
            Node::Cond(k, t, f) => {
                let (t, tk) = self.node(t);
                let (f, fk) = self.node(f);
                let kind = if tk == Kind::Null { fk } else { tk };
                (
                    format!("(CASE WHEN {} THEN {t} ELSE {f} END)", self.node(k).0),
                    kind,
                )
            }
            Node::Has(f) => {
                let has = if f.ty() == FieldType::Bool {
                    self.column(*f)
                } else {
                    format!("({} IS NOT NULL)", self.column(*f))
                };
                (has, Kind::Bool)
            }
            Node::HasTrait(i) => (self.has_trait(*i), Kind::Bool),
            Node::DaysSince(n) => {
                let (x, _) = self.node(n);
                (d.days_between(&d.date(self.today), &x), Kind::Int)
            }
            Node::DaysUntil(n) => {
                let (x, k) = self.node(n);
                let date = if k == Kind::MonthDay {
                    self.next_occurrence(&x)
                } else {
                    x
                };
                (d.days_between(&date, &d.date(self.today)), Kind::Int)
            }
            Node::Bucket(n, limits) => {
                let (x, _) = self.node(n);
                let x = d.to_double(&x);
                let steps: Vec<String> = limits
                    .iter()
                    .map(|l| format!(" + (CASE WHEN {x} >= {} THEN 1 ELSE 0 END)", d.double(*l)))
                    .collect();
                (
                    format!(
                        "(CASE WHEN {x} IS NULL THEN NULL ELSE 1{} END)",
                        steps.concat()
                    ),
                    Kind::Int,
                )
            }
            // Refused before the walk (`Compiled::no_sql`); never reached.
            Node::Extra(_) => ("NULL".to_string(), Kind::Null),
            Node::ToMoney(n) => {
                let (x, _) = self.node(n);
                (format!("CAST({x} AS {})", Dialect::MONEY), Kind::Money)
            }
            Node::ToDec(n) => {
                let (x, _) = self.node(n);
                (d.to_double(&x), Kind::Double)
            }
        }
    }

    fn constant(&self, k: &Const) -> (String, Kind) {
        let d = self.dialect;
        match k {
            Const::Null => ("NULL".to_string(), Kind::Null),
            Const::Bool(b) => (if *b { "TRUE" } else { "FALSE" }.to_string(), Kind::Bool),
            Const::Int(n) => (format!("CAST({n} AS BIGINT)"), Kind::Int),
            Const::Money(c) => (d.money(*c), Kind::Money),
            Const::Dec(x) => (d.double(*x), Kind::Double),
            Const::Date(x) => (d.date(*x), Kind::Date),
            Const::MonthDay(m) => (d.string(&month_day(*m)), Kind::MonthDay),
            Const::Str(s) => (d.string(s), Kind::Text),
            Const::Stage(s) => (d.string(s.id()), Kind::Enum(EnumKind::Stage)),
            Const::Grade(g) => (d.string(g.id()), Kind::Enum(EnumKind::Grade)),
            Const::List(l) => (d.string(l.id()), Kind::Enum(EnumKind::List)),
        }
    }

    fn comparison(&self, op: Cmp, a: &Node, b: &Node) -> String {
        let (x, xk) = self.node(a);
        let (y, yk) = self.node(b);
        let symbol = match op {
            Cmp::Eq => "=",
            Cmp::Ne => "<>",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        };
        let ordering = !matches!(op, Cmp::Eq | Cmp::Ne);
        let (x, y) = match (xk, yk) {
            // Stages, grades and lists compare in their order, not by their ids' spelling.
            (Kind::Enum(e), _) | (_, Kind::Enum(e)) if ordering => {
                (ordinal(self.dialect, e, &x), ordinal(self.dialect, e, &y))
            }
            // Text compares by its bytes, as Rust's `str` does.
            (Kind::Text, _) | (_, Kind::Text) if ordering => {
                (self.dialect.bytewise(&x), self.dialect.bytewise(&y))
            }
            // A double against money or a count: as doubles, as `as_f64` does.
            (Kind::Double, _) | (_, Kind::Double) => {
                (self.dialect.to_double(&x), self.dialect.to_double(&y))
            }
            _ => (x, y),
        };
        format!("coalesce(({x} {symbol} {y}), FALSE)")
    }

    fn arithmetic(&self, op: Arith, a: &Node, b: &Node) -> (String, Kind) {
        let d = self.dialect;
        let (x, xk) = self.node(a);
        let (y, yk) = self.node(b);
        match op {
            // Always a double; NULL for a zero divisor, as the evaluator's missing value.
            Arith::Div => (
                format!("({} / NULLIF({}, 0))", d.to_double(&x), d.to_double(&y)),
                Kind::Double,
            ),
            Arith::Rem => (format!("({x} % NULLIF({y}, 0))"), Kind::Int),
            _ => {
                let symbol = match op {
                    Arith::Add => "+",
                    Arith::Sub => "-",
                    _ => "*",
                };
                let kind = if xk == Kind::Double || yk == Kind::Double {
                    Kind::Double
                } else if xk == Kind::Money || yk == Kind::Money {
                    Kind::Money
                } else {
                    Kind::Int
                };
                match kind {
                    Kind::Double => (
                        format!("({} {symbol} {})", d.to_double(&x), d.to_double(&y)),
                        kind,
                    ),
                    Kind::Money => (
                        format!("CAST(({x} {symbol} {y}) AS {})", Dialect::MONEY),
                        kind,
                    ),
                    _ => (format!("({x} {symbol} {y})"), kind),
                }
            }
        }
    }

    /// The next occurrence, on or after today, of the `MM-DD` text `md`: 29 February is the
    /// 28th in a year without it, as `model::next_birthday` has it. Today is a literal, so
    /// the two years are too.
    fn next_occurrence(&self, md: &str) -> String {
        use chrono::Datelike;
        let d = self.dialect;
        let year = self.today.year();
        let on = |y: i32| {
            let leap = chrono::NaiveDate::from_ymd_opt(y, 2, 29).is_some();
            let day = if leap {
                md.to_string()
            } else {
                format!("(CASE WHEN {md} = '02-29' THEN '02-28' ELSE {md} END)")
            };
            format!("CAST(concat('{y}-', {day}) AS DATE)")
        };
        let today = d.string(&month_day(MonthDay {
            month: self.today.month() as u8,
            day: self.today.day() as u8,
        }));
        format!(
            "(CASE WHEN {md} >= {today} THEN {} ELSE {} END)",
            on(year),
            on(year + 1)
        )
    }
}

fn month_day(m: MonthDay) -> String {
    format!("{:02}-{:02}", m.month, m.day)
}

fn field_kind(f: Field) -> Kind {
    match f.ty() {
        FieldType::Str | FieldType::Traits => Kind::Text,
        FieldType::Stage => Kind::Enum(EnumKind::Stage),
        FieldType::Grade => Kind::Enum(EnumKind::Grade),
        FieldType::List => Kind::Enum(EnumKind::List),
        FieldType::Money => Kind::Money,
        FieldType::Date => Kind::Date,
        FieldType::MonthDay => Kind::MonthDay,
        FieldType::Bool => Kind::Bool,
        FieldType::Int => Kind::Int,
    }
}

/// An enumeration's id as its position in the enumeration's order.
pub fn ordinal(d: Dialect, e: EnumKind, x: &str) -> String {
    let ids: Vec<&str> = match e {
        EnumKind::Stage => crate::model::Stage::ALL.iter().map(|s| s.id()).collect(),
        EnumKind::Grade => crate::model::Grade::ALL.iter().map(|g| g.id()).collect(),
        EnumKind::List => crate::model::ListKind::ALL.iter().map(|l| l.id()).collect(),
    };
    let arms: Vec<String> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| format!(" WHEN {} THEN {i}", d.string(id)))
        .collect();
    format!("(CASE {x}{} END)", arms.concat())
}

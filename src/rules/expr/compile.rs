//! The condition language's meaning: type-checks an AST once against the field registry and
//! compiles it to a tree that evaluates per customer without parsing or allocating.

use chrono::NaiveDate;

use super::parse::{BinOp, Expr, ExprError, ExprKind, UnOp};
use crate::model::messages::rules::{Need, Operation, RuleMsg, Thing, TypeName};
use crate::model::value::{MonthDay, parse_date, parse_month_day};
use crate::model::{Enumeration, Field, FieldType, Grade, ListKind, Stage};

/// The static type of an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Null,
    Bool,
    Int,
    Money,
    Dec,
    Date,
    MonthDay,
    Str,
    Stage,
    Grade,
    List,
    Traits,
}

impl Ty {
    /// How messages name the type.
    pub fn name(self) -> TypeName {
        match self {
            Ty::Null => TypeName::Null,
            Ty::Bool => TypeName::Bool,
            Ty::Int => TypeName::Int,
            Ty::Money => TypeName::Money,
            Ty::Dec => TypeName::Dec,
            Ty::Date => TypeName::Date,
            Ty::MonthDay => TypeName::MonthDay,
            Ty::Str => TypeName::Str,
            Ty::Stage => TypeName::Stage,
            Ty::Grade => TypeName::Grade,
            Ty::List => TypeName::List,
            Ty::Traits => TypeName::Traits,
        }
    }

    pub fn is_numeric(self) -> bool {
        matches!(self, Ty::Int | Ty::Money | Ty::Dec)
    }

    fn of_field(t: FieldType) -> Ty {
        match t {
            FieldType::Str => Ty::Str,
            FieldType::Stage => Ty::Stage,
            FieldType::Grade => Ty::Grade,
            FieldType::List => Ty::List,
            FieldType::Traits => Ty::Traits,
            FieldType::Money => Ty::Money,
            FieldType::Date => Ty::Date,
            FieldType::MonthDay => Ty::MonthDay,
            FieldType::Bool => Ty::Bool,
            FieldType::Int => Ty::Int,
        }
    }
}

/// A value during evaluation; strings borrow from the customer or the compiled tree.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Val<'a> {
    Null,
    Bool(bool),
    Int(i64),
    /// Integer cents.
    Money(i64),
    Dec(f64),
    Date(NaiveDate),
    MonthDay(MonthDay),
    Str(&'a str),
    Stage(Stage),
    Grade(Grade),
    List(ListKind),
}

impl Val<'_> {
    /// The value as a plain number in currency units (money) or as is (counts, decimals).
    pub fn as_f64(self) -> Option<f64> {
        match self {
            Val::Int(n) => Some(n as f64),
            Val::Money(c) => Some(c as f64 / 100.0),
            Val::Dec(d) => Some(d),
            _ => None,
        }
    }
}

/// A constant folded at compile time.
#[derive(Clone, Debug, PartialEq)]
pub enum Const {
    Null,
    Bool(bool),
    Int(i64),
    Money(i64),
    Dec(f64),
    Date(NaiveDate),
    MonthDay(MonthDay),
    Str(Box<str>),
    Stage(Stage),
    Grade(Grade),
    List(ListKind),
}

impl Const {
    pub(super) fn val(&self) -> Val<'_> {
        match self {
            Const::Null => Val::Null,
            Const::Bool(b) => Val::Bool(*b),
            Const::Int(n) => Val::Int(*n),
            Const::Money(c) => Val::Money(*c),
            Const::Dec(d) => Val::Dec(*d),
            Const::Date(d) => Val::Date(*d),
            Const::MonthDay(m) => Val::MonthDay(*m),
            Const::Str(s) => Val::Str(s),
            Const::Stage(s) => Val::Stage(*s),
            Const::Grade(g) => Val::Grade(*g),
            Const::List(l) => Val::List(*l),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arith {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

/// The compiled tree.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Const(Const),
    Field(Field),
    Not(Box<Node>),
    Neg(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Cmp(Cmp, Box<Node>, Box<Node>),
    IsNull(Box<Node>),
    Arith(Arith, Box<Node>, Box<Node>),
    In(Box<Node>, Box<[Const]>),
    Cond(Box<Node>, Box<Node>, Box<Node>),
    Has(Field),
    HasTrait(u16),
    DaysSince(Box<Node>),
    DaysUntil(Box<Node>),
    Bucket(Box<Node>, Box<[f64]>),
    Extra(Box<str>),
    ToMoney(Box<Node>),
    ToDec(Box<Node>),
}

/// What names an expression may use besides the built-in fields.
pub trait Scope {
    /// The vocabulary index of a trait, by id or Chinese name.
    fn trait_index(&self, name: &str) -> Option<u16>;
}

/// What evaluation needs besides the customer.
#[derive(Clone, Copy, Debug)]
pub struct Env<'a> {
    pub today: NaiveDate,
    /// The names of the book's extra columns, for `field("...")`.
    pub extra_columns: &'a [String],
}

/// A type-checked expression ready to evaluate.
#[derive(Clone, Debug, PartialEq)]
pub struct Compiled {
    pub(super) node: Node,
    pub ty: Ty,
    /// The expression as written in its rule file (for messages).
    pub text: String,
    /// The first construct without a SQL translation (`field("...")`: `clientele export`
    /// writes only the fields clientele knows), for `clientele sql` to name; None for most
    /// expressions (boxed: a scheme holds several expressions).
    pub no_sql: Option<Box<NoSql>>,
}

/// Where a construct without a SQL translation is: its span in the expression's source, and
/// once [`crate::rules::RuleFile::expression`] has placed it, its place in the rule file with
/// why.
#[derive(Clone, Debug, PartialEq)]
pub struct NoSql {
    pub(crate) span: std::ops::Range<usize>,
    pub at: Option<crate::error::Diagnostic>,
}

impl Compiled {
    /// The type-checked tree, for a compiler to another language (`clientele sql`).
    pub fn node(&self) -> &Node {
        &self.node
    }
}

/// Type-checks `expr` and compiles it.
pub fn compile(expr: &Expr, scope: &dyn Scope) -> Result<Compiled, ExprError> {
    let checker = Checker {
        scope,
        no_sql_span: std::cell::RefCell::new(None),
    };
    let (node, ty) = checker.check(expr)?;
    Ok(Compiled {
        node,
        ty,
        text: String::new(),
        no_sql: checker
            .no_sql_span
            .into_inner()
            .map(|span| Box::new(NoSql { span, at: None })),
    })
}

struct Checker<'s> {
    scope: &'s dyn Scope,
    /// The first `field("...")` call's span (see [`Compiled::no_sql`]).
    no_sql_span: std::cell::RefCell<Option<std::ops::Range<usize>>>,
}

fn type_error(e: &Expr, message: RuleMsg<'_>) -> ExprError {
    ExprError::new(e.span.clone(), message.to_string())
}

/// The functions a condition may call.
const FUNCTIONS: &str = "has, has_trait, days_since, days_until, bucket, field";

impl Checker<'_> {
    fn check(&self, e: &Expr) -> Result<(Node, Ty), ExprError> {
        Ok(match &e.kind {
            ExprKind::Null => (Node::Const(Const::Null), Ty::Null),
            ExprKind::Bool(b) => (Node::Const(Const::Bool(*b)), Ty::Bool),
            ExprKind::Int(n) => (Node::Const(Const::Int(*n)), Ty::Int),
            ExprKind::Dec(d) => (Node::Const(Const::Dec(*d)), Ty::Dec),
            ExprKind::Str(s) => (Node::Const(Const::Str(s.as_str().into())), Ty::Str),
            ExprKind::List(_) => {
                return Err(type_error(e, RuleMsg::ListOnlyAfterIn));
            }
            ExprKind::Ident(name) => {
                let field = Field::by_name(name)
                    .ok_or_else(|| type_error(e, RuleMsg::UnknownField { name }))?;
                (Node::Field(field), Ty::of_field(field.ty()))
            }
            ExprKind::Call(name, args) => self.call(e, name, args)?,
            ExprKind::Unary(op, inner) => {
                let (node, ty) = self.check(inner)?;
                match (op, ty) {
                    (UnOp::Not, Ty::Bool) => (Node::Not(Box::new(node)), Ty::Bool),
                    (UnOp::Neg, t) if t.is_numeric() => (Node::Neg(Box::new(node)), t),
                    (UnOp::Not, found) => {
                        let message = RuleMsg::Needs {
                            code: "!",
                            need: Need::Bool,
                            found: found.name(),
                        };
                        return Err(type_error(inner, message));
                    }
                    (UnOp::Neg, found) => {
                        let message = RuleMsg::Needs {
                            code: "-",
                            need: Need::Number,
                            found: found.name(),
                        };
                        return Err(type_error(inner, message));
                    }
                }
            }
            ExprKind::Binary(op, l, r) => self.binary(e, *op, l, r)?,
            ExprKind::Cond(c, t, f) => {
                let (cn, ct) = self.check(c)?;
                if ct != Ty::Bool {
                    return Err(type_error(c, RuleMsg::CondNotBool { found: ct.name() }));
                }
                let (tn, tt) = self.check(t)?;
                let (fnode, ft) = self.check(f)?;
                let ty = unify(tt, ft).ok_or_else(|| {
                    let message = RuleMsg::BranchesDiffer {
                        then: tt.name(),
                        other: ft.name(),
                    };
                    type_error(e, message)
                })?;
                (
                    Node::Cond(
                        Box::new(cn),
                        Box::new(convert(tn, tt, ty)),
                        Box::new(convert(fnode, ft, ty)),
                    ),
                    ty,
                )
            }
        })
    }

    fn call(&self, e: &Expr, name: &str, args: &[Expr]) -> Result<(Node, Ty), ExprError> {
        let arity = |n: usize| {
            if args.len() == n {
                Ok(())
            } else {
                let message = RuleMsg::Arity {
                    function: name,
                    takes: n,
                    found: args.len(),
                };
                Err(type_error(e, message))
            }
        };
        let string_literal = |a: &Expr| match &a.kind {
            ExprKind::Str(s) => Ok(s.clone()),
            _ => Err(type_error(
                a,
                RuleMsg::NeedsStringLiteral { function: name },
            )),
        };
        match name {
            "has" => {
                arity(1)?;
                match &args[0].kind {
                    ExprKind::Ident(f) => {
                        let field = Field::by_name(f).ok_or_else(|| {
                            type_error(&args[0], RuleMsg::UnknownField { name: f })
                        })?;
                        Ok((Node::Has(field), Ty::Bool))
                    }
                    _ => Err(type_error(&args[0], RuleMsg::HasNeedsField)),
                }
            }
            "has_trait" => {
                arity(1)?;
                let t = string_literal(&args[0])?;
                let index = self
                    .scope
                    .trait_index(&t)
                    .ok_or_else(|| type_error(&args[0], RuleMsg::UnknownTrait { text: &t }))?;
                Ok((Node::HasTrait(index), Ty::Bool))
            }
            "days_since" | "days_until" => {
                arity(1)?;
                let (n, t) = self.check(&args[0])?;
                let ok =
                    t == Ty::Date || (name == "days_until" && t == Ty::MonthDay) || t == Ty::Null;
                if !ok {
                    let message = RuleMsg::Needs {
                        code: name,
                        need: Need::Date,
                        found: t.name(),
                    };
                    return Err(type_error(&args[0], message));
                }
                let node = if name == "days_since" {
                    Node::DaysSince(Box::new(n))
                } else {
                    Node::DaysUntil(Box::new(n))
                };
                Ok((node, Ty::Int))
            }
            "bucket" => {
                arity(2)?;
                let (n, t) = self.check(&args[0])?;
                if !t.is_numeric() && t != Ty::Null {
                    let message = RuleMsg::Needs {
                        code: "bucket",
                        need: Need::Number,
                        found: t.name(),
                    };
                    return Err(type_error(&args[0], message));
                }
                let ExprKind::List(items) = &args[1].kind else {
                    return Err(type_error(&args[1], RuleMsg::BucketNeedsList));
                };
                let mut limits = Vec::with_capacity(items.len());
                for item in items {
                    let v = match item.kind {
                        ExprKind::Int(n) => n as f64,
                        ExprKind::Dec(d) => d,
                        _ => return Err(type_error(item, RuleMsg::ThresholdNotNumber)),
                    };
                    if limits.last().is_some_and(|&last| v <= last) {
                        return Err(type_error(item, RuleMsg::ThresholdsAscending));
                    }
                    limits.push(v);
                }
                Ok((Node::Bucket(Box::new(n), limits.into()), Ty::Int))
            }
            "field" => {
                arity(1)?;
                let column = string_literal(&args[0])?;
                self.no_sql_span
                    .borrow_mut()
                    .get_or_insert_with(|| e.span.clone());
                Ok((Node::Extra(column.into()), Ty::Str))
            }
            _ => {
                let message = RuleMsg::UnknownFunction {
                    name,
                    known: FUNCTIONS,
                };
                Err(type_error(e, message))
            }
        }
    }

    fn binary(&self, e: &Expr, op: BinOp, l: &Expr, r: &Expr) -> Result<(Node, Ty), ExprError> {
        if op == BinOp::In {
            return self.membership(l, r);
        }
        let (ln, lt) = self.check(l)?;
        let (rn, rt) = self.check(r)?;
        let mismatch = |operation: Operation| {
            let message = RuleMsg::CannotCombine {
                operation,
                left: lt.name(),
                right: rt.name(),
            };
            type_error(e, message)
        };
        match op {
            BinOp::And | BinOp::Or => {
                for (side, t) in [(l, lt), (r, rt)] {
                    if t != Ty::Bool {
                        let message = RuleMsg::Needs {
                            code: op.symbol(),
                            need: Need::Bools,
                            found: t.name(),
                        };
                        return Err(type_error(side, message));
                    }
                }
                let node = if op == BinOp::And {
                    Node::And(Box::new(ln), Box::new(rn))
                } else {
                    Node::Or(Box::new(ln), Box::new(rn))
                };
                Ok((node, Ty::Bool))
            }
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let cmp = match op {
                    BinOp::Eq => Cmp::Eq,
                    BinOp::Ne => Cmp::Ne,
                    BinOp::Lt => Cmp::Lt,
                    BinOp::Le => Cmp::Le,
                    BinOp::Gt => Cmp::Gt,
                    _ => Cmp::Ge,
                };
                let equality = matches!(cmp, Cmp::Eq | Cmp::Ne);
                if equality && (lt == Ty::Null || rt == Ty::Null) {
                    let (node, _) = if lt == Ty::Null { (rn, rt) } else { (ln, lt) };
                    let is_null = Node::IsNull(Box::new(node));
                    return Ok((
                        if cmp == Cmp::Eq {
                            is_null
                        } else {
                            Node::Not(Box::new(is_null))
                        },
                        Ty::Bool,
                    ));
                }
                let (ln, lt) = coerce_literal(ln, lt, rt, l)?;
                let (rn, rt) = coerce_literal(rn, rt, lt, r)?;
                let comparable = (lt.is_numeric() && rt.is_numeric())
                    || (lt == rt
                        && lt != Ty::Traits
                        && lt != Ty::Null
                        && (equality || lt != Ty::Bool));
                if !comparable {
                    return Err(mismatch(Operation::Compare));
                }
                Ok((Node::Cmp(cmp, Box::new(ln), Box::new(rn)), Ty::Bool))
            }
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem => {
                if !lt.is_numeric() || !rt.is_numeric() {
                    return Err(mismatch(match op {
                        BinOp::Add => Operation::Add,
                        BinOp::Sub => Operation::Subtract,
                        BinOp::Mul => Operation::Multiply,
                        BinOp::Div => Operation::Divide,
                        _ => Operation::Remainder,
                    }));
                }
                let (arith, ty) = match op {
                    BinOp::Add | BinOp::Sub => {
                        let ty = if lt == Ty::Dec || rt == Ty::Dec {
                            Ty::Dec
                        } else if lt == Ty::Money || rt == Ty::Money {
                            Ty::Money
                        } else {
                            Ty::Int
                        };
                        (
                            if op == BinOp::Add {
                                Arith::Add
                            } else {
                                Arith::Sub
                            },
                            ty,
                        )
                    }
                    BinOp::Mul => {
                        if lt == Ty::Money && rt == Ty::Money {
                            return Err(mismatch(Operation::Multiply));
                        }
                        let ty = if lt == Ty::Dec || rt == Ty::Dec {
                            Ty::Dec
                        } else if lt == Ty::Money || rt == Ty::Money {
                            Ty::Money
                        } else {
                            Ty::Int
                        };
                        (Arith::Mul, ty)
                    }
                    BinOp::Div => (Arith::Div, Ty::Dec),
                    _ => {
                        if lt != Ty::Int || rt != Ty::Int {
                            return Err(mismatch(Operation::Remainder));
                        }
                        (Arith::Rem, Ty::Int)
                    }
                };
                Ok((Node::Arith(arith, Box::new(ln), Box::new(rn)), ty))
            }
            BinOp::In => unreachable!("handled above"),
        }
    }

    fn membership(&self, l: &Expr, r: &Expr) -> Result<(Node, Ty), ExprError> {
        let (ln, lt) = self.check(l)?;
        let ExprKind::List(items) = &r.kind else {
            return Err(type_error(r, RuleMsg::InNeedsList));
        };
        if !matches!(lt, Ty::Str | Ty::Stage | Ty::Grade | Ty::List | Ty::Int) {
            return Err(type_error(l, RuleMsg::InCannotTest { ty: lt.name() }));
        }
        let mut set = Vec::with_capacity(items.len());
        for item in items {
            let c = match (&item.kind, lt) {
                (ExprKind::Int(n), Ty::Int) => Const::Int(*n),
                (ExprKind::Str(s), t) if t != Ty::Int => literal_as(s, t, item)?,
                _ => {
                    return Err(type_error(item, RuleMsg::ListHolds { ty: lt.name() }));
                }
            };
            set.push(c);
        }
        Ok((Node::In(Box::new(ln), set.into()), Ty::Bool))
    }
}

/// Reads a string literal as a value of type `t` (a stage name, a date, ...).
fn literal_as(s: &str, t: Ty, at: &Expr) -> Result<Const, ExprError> {
    let unknown = |what: Thing, expected: String| {
        let message = RuleMsg::Unknown {
            what,
            text: s,
            expected: &expected,
        };
        type_error(at, message)
    };
    let unreadable = |err: crate::model::value::ValueError| {
        let message = RuleMsg::CannotReadLiteral {
            ty: t.name(),
            text: s,
            reason: &err.to_string(),
        };
        type_error(at, message)
    };
    Ok(match t {
        Ty::Str => Const::Str(s.into()),
        Ty::Stage => {
            Const::Stage(Stage::parse(s).ok_or_else(|| unknown(Thing::Stage, Stage::expected()))?)
        }
        Ty::Grade => {
            Const::Grade(Grade::parse(s).ok_or_else(|| unknown(Thing::Grade, Grade::expected()))?)
        }
        Ty::List => Const::List(
            ListKind::parse(s).ok_or_else(|| unknown(Thing::List, ListKind::expected()))?,
        ),
        Ty::Date => Const::Date(parse_date(s).map_err(unreadable)?),
        Ty::MonthDay => Const::MonthDay(parse_month_day(s).map_err(unreadable)?),
        other => {
            return Err(type_error(
                at,
                RuleMsg::StringCannotStand { ty: other.name() },
            ));
        }
    })
}

/// Turns a string literal compared with a typed field into a constant of that type.
fn coerce_literal(node: Node, ty: Ty, other: Ty, e: &Expr) -> Result<(Node, Ty), ExprError> {
    match (&node, ty, other) {
        (Node::Const(Const::Str(s)), Ty::Str, t)
            if matches!(
                t,
                Ty::Stage | Ty::Grade | Ty::List | Ty::Date | Ty::MonthDay
            ) =>
        {
            Ok((Node::Const(literal_as(s, t, e)?), t))
        }
        _ => Ok((node, ty)),
    }
}

/// The common type of two branches.
fn unify(a: Ty, b: Ty) -> Option<Ty> {
    match (a, b) {
        _ if a == b => Some(a),
        (Ty::Null, t) | (t, Ty::Null) => Some(t),
        (x, y) if x.is_numeric() && y.is_numeric() => Some(if x == Ty::Dec || y == Ty::Dec {
            Ty::Dec
        } else {
            Ty::Money
        }),
        _ => None,
    }
}

fn convert(node: Node, from: Ty, to: Ty) -> Node {
    match (from, to) {
        (f, t) if f == t || f == Ty::Null => node,
        (Ty::Int, Ty::Money) => match node {
            Node::Const(Const::Int(n)) => Node::Const(Const::Money(n.saturating_mul(100))),
            other => Node::ToMoney(Box::new(other)),
        },
        (_, Ty::Dec) => Node::ToDec(Box::new(node)),
        _ => node,
    }
}

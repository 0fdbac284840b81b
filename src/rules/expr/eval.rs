//! The condition language's evaluation: the compiled tree walked per customer, without
//! allocating; a missing value makes comparisons false.

use std::cmp::Ordering;

use chrono::NaiveDate;

use super::compile::{Arith, Cmp, Compiled, Env, Node, Val};
use crate::model::{Customer, Field, next_birthday};

impl Compiled {
    pub fn eval<'a>(&'a self, c: &'a Customer, env: &Env<'_>) -> Val<'a> {
        eval(&self.node, c, env)
    }

    /// Evaluates a boolean expression; a missing value counts as false.
    pub fn holds(&self, c: &Customer, env: &Env<'_>) -> bool {
        matches!(self.eval(c, env), Val::Bool(true))
    }
}

pub fn field_value<'a>(c: &'a Customer, f: Field) -> Val<'a> {
    let text = |s: &'a str| if s.is_empty() { Val::Null } else { Val::Str(s) };
    let date = |d: Option<NaiveDate>| d.map_or(Val::Null, Val::Date);
    let money = |m: Option<i64>| m.map_or(Val::Null, Val::Money);
    match f {
        Field::Id => text(&c.id),
        Field::Name => text(&c.name),
        Field::Owner => text(&c.owner),
        Field::Phone => text(c.detail(|r| &r.phone)),
        Field::Email => text(c.detail(|r| &r.email)),
        Field::Contact => text(c.detail(|r| &r.contact)),
        Field::Address => text(c.detail(|r| &r.address)),
        Field::Type => text(&c.kind),
        Field::Stage => c.stage.map_or(Val::Null, Val::Stage),
        Field::Grade => c.grade.map_or(Val::Null, Val::Grade),
        Field::List => Val::List(c.list),
        Field::Traits => {
            if c.traits.is_empty() {
                Val::Null
            } else {
                Val::Bool(true)
            }
        }
        Field::Revenue => money(c.revenue),
        Field::Profit => money(c.profit),
        Field::OrderTotal => Val::Money(c.order_total),
        Field::OrderTotal12m => Val::Money(c.order_total_12m),
        Field::LastContact => date(c.last_contact),
        Field::LastOrder => date(c.last_order),
        Field::FirstOrder => date(c.first_order),
        Field::SampleRequested => date(c.sample_requested),
        Field::SampleReceived => date(c.sample_received),
        Field::ExpectedPurchase => date(c.expected_purchase),
        Field::SnoozeUntil => date(c.snooze_until),
        Field::NextContact => date(c.next_contact),
        Field::NextStep => text(c.detail(|d| &d.next_step)),
        Field::Profile(p) => text(c.profile(p)),
        Field::Intent => c
            .intent
            .map_or(Val::Null, |i| Val::Str(crate::model::Enumeration::id(i))),
        Field::LastComplaint => date(c.last_complaint),
        Field::Birthday => c.birthday.map_or(Val::Null, Val::MonthDay),
        Field::Flag(flag) => Val::Bool(c.flag(flag)),
        Field::Rating(r) => c.rating(r).map_or(Val::Null, |v| Val::Int(i64::from(v))),
        Field::Points => c.points.map_or(Val::Null, Val::Int),
        Field::OrderCount => Val::Int(i64::from(c.order_count)),
        Field::ComplaintCount => Val::Int(i64::from(c.complaint_count)),
        Field::ContactCount => Val::Int(i64::from(c.contact_count)),
        Field::OrderIntervalDays => c
            .order_interval_days
            .map_or(Val::Null, |d| Val::Int(i64::from(d))),
        Field::MonthsWithOrders => Val::Int(i64::from(c.months_with_orders)),
    }
}

fn compare(a: Val<'_>, b: Val<'_>) -> Option<Ordering> {
    match (a, b) {
        (Val::Null, _) | (_, Val::Null) => None,
        (Val::Int(x), Val::Int(y)) | (Val::Money(x), Val::Money(y)) => Some(x.cmp(&y)),
        (Val::Money(x), Val::Int(y)) => Some(x.cmp(&y.saturating_mul(100))),
        (Val::Int(x), Val::Money(y)) => Some(x.saturating_mul(100).cmp(&y)),
        (Val::Bool(x), Val::Bool(y)) => Some(x.cmp(&y)),
        (Val::Date(x), Val::Date(y)) => Some(x.cmp(&y)),
        (Val::MonthDay(x), Val::MonthDay(y)) => Some(x.cmp(&y)),
        (Val::Str(x), Val::Str(y)) => Some(x.cmp(y)),
        (Val::Stage(x), Val::Stage(y)) => Some(x.cmp(&y)),
        (Val::Grade(x), Val::Grade(y)) => Some(x.cmp(&y)),
        (Val::List(x), Val::List(y)) => Some(x.cmp(&y)),
        (x, y) => x.as_f64()?.partial_cmp(&y.as_f64()?),
    }
}

fn arith(op: Arith, a: Val<'_>, b: Val<'_>) -> Val<'static> {
    use Val::{Dec, Int, Money};
    match (op, a, b) {
        (_, Val::Null, _) | (_, _, Val::Null) => Val::Null,
        (Arith::Div, x, y) => match (x.as_f64(), y.as_f64()) {
            (Some(_), Some(0.0)) => Val::Null,
            (Some(n), Some(d)) => Dec(n / d),
            _ => Val::Null,
        },
        (Arith::Rem, Int(x), Int(y)) => x.checked_rem(y).map_or(Val::Null, Int),
        (Arith::Add, Int(x), Int(y)) => Int(x.saturating_add(y)),
        (Arith::Sub, Int(x), Int(y)) => Int(x.saturating_sub(y)),
        (Arith::Mul, Int(x), Int(y)) => Int(x.saturating_mul(y)),
        (Arith::Add, Money(x), Money(y)) => Money(x.saturating_add(y)),
        (Arith::Sub, Money(x), Money(y)) => Money(x.saturating_sub(y)),
        (Arith::Add | Arith::Sub, Money(x), Int(y)) => {
            arith(op, Money(x), Money(y.saturating_mul(100)))
        }
        (Arith::Add | Arith::Sub, Int(x), Money(y)) => {
            arith(op, Money(x.saturating_mul(100)), Money(y))
        }
        (Arith::Mul, Money(x), Int(y)) | (Arith::Mul, Int(y), Money(x)) => {
            Money(x.saturating_mul(y))
        }
        (op, x, y) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => Dec(match op {
                Arith::Add => x + y,
                Arith::Sub => x - y,
                Arith::Mul => x * y,
                _ => return Val::Null,
            }),
            _ => Val::Null,
        },
    }
}

pub(super) fn eval<'a>(node: &'a Node, c: &'a Customer, env: &Env<'_>) -> Val<'a> {
    match node {
        Node::Const(k) => k.val(),
        Node::Field(f) => field_value(c, *f),
        Node::Not(n) => match eval(n, c, env) {
            Val::Bool(b) => Val::Bool(!b),
            _ => Val::Bool(true),
        },
        Node::Neg(n) => match eval(n, c, env) {
            Val::Int(x) => Val::Int(x.saturating_neg()),
            Val::Money(x) => Val::Money(x.saturating_neg()),
            Val::Dec(x) => Val::Dec(-x),
            _ => Val::Null,
        },
        Node::And(a, b) => Val::Bool(
            matches!(eval(a, c, env), Val::Bool(true))
                && matches!(eval(b, c, env), Val::Bool(true)),
        ),
        Node::Or(a, b) => Val::Bool(
            matches!(eval(a, c, env), Val::Bool(true))
                || matches!(eval(b, c, env), Val::Bool(true)),
        ),
        Node::Cmp(op, a, b) => {
            let ord = compare(eval(a, c, env), eval(b, c, env));
            Val::Bool(ord.is_some_and(|o| match op {
                Cmp::Eq => o == Ordering::Equal,
                Cmp::Ne => o != Ordering::Equal,
                Cmp::Lt => o == Ordering::Less,
                Cmp::Le => o != Ordering::Greater,
                Cmp::Gt => o == Ordering::Greater,
                Cmp::Ge => o != Ordering::Less,
            }))
        }
        Node::IsNull(n) => Val::Bool(eval(n, c, env) == Val::Null),
        Node::Arith(op, a, b) => arith(*op, eval(a, c, env), eval(b, c, env)),
        Node::In(n, set) => {
            let v = eval(n, c, env);
            Val::Bool(
                v != Val::Null
                    && set
                        .iter()
                        .any(|k| compare(v, k.val()) == Some(Ordering::Equal)),
            )
        }
        Node::Cond(k, t, f) => {
            if matches!(eval(k, c, env), Val::Bool(true)) {
                eval(t, c, env)
            } else {
                eval(f, c, env)
            }
        }
        Node::Has(f) => Val::Bool(match field_value(c, *f) {
            Val::Null => false,
            Val::Bool(b) => b,
            _ => true,
        }),
        Node::HasTrait(i) => Val::Bool(c.traits.contains(*i)),
        Node::DaysSince(n) => match eval(n, c, env) {
            Val::Date(d) => Val::Int((env.today - d).num_days()),
            _ => Val::Null,
        },
        Node::DaysUntil(n) => match eval(n, c, env) {
            Val::Date(d) => Val::Int((d - env.today).num_days()),
            Val::MonthDay(m) => Val::Int((next_birthday(m, env.today) - env.today).num_days()),
            _ => Val::Null,
        },
        Node::Bucket(n, limits) => match eval(n, c, env).as_f64() {
            Some(x) => Val::Int(1 + limits.iter().filter(|&&t| t <= x).count() as i64),
            None => Val::Null,
        },
        Node::Extra(name) => env
            .extra_columns
            .iter()
            .position(|col| **col == **name)
            .and_then(|i| c.extra(i))
            .map_or(Val::Null, Val::Str),
        Node::ToMoney(n) => match eval(n, c, env) {
            Val::Int(x) => Val::Money(x.saturating_mul(100)),
            other => other,
        },
        Node::ToDec(n) => match eval(n, c, env) {
            Val::Null => Val::Null,
            other => other.as_f64().map_or(Val::Null, Val::Dec),
        },
    }
}

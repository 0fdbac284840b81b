//! Tests of the condition language: parsing, printing, type checking and evaluation.

use chrono::NaiveDate;
use proptest::prelude::*;

use super::parse::MAX_DEPTH;
use super::*;
use crate::model::{Customer, Flag, Grade, ListKind, MonthDay, Stage};

/// Knows two traits (one under two names) and one with a high index.
struct TestScope;

impl Scope for TestScope {
    fn trait_index(&self, name: &str) -> Option<u16> {
        match name {
            "presses_price" | "压价" => Some(3),
            "loyal" => Some(200),
            _ => None,
        }
    }
}

fn p(src: &str) -> Expr {
    parse(src).unwrap_or_else(|e| panic!("{src:?} does not parse: {e:?}"))
}

/// A fully parenthesised rendering that shows the tree's shape.
fn sexp(e: &Expr) -> String {
    let join = |items: &[Expr]| items.iter().map(sexp).collect::<Vec<_>>().join(" ");
    match &e.kind {
        ExprKind::Null => "null".into(),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Int(n) => n.to_string(),
        ExprKind::Dec(d) => format!("{d:?}"),
        ExprKind::Str(s) => format!("{s:?}"),
        ExprKind::List(items) => format!("[{}]", join(items)),
        ExprKind::Ident(s) => s.clone(),
        ExprKind::Call(name, args) => format!("{name}({})", join(args)),
        ExprKind::Unary(UnOp::Not, x) => format!("(! {})", sexp(x)),
        ExprKind::Unary(UnOp::Neg, x) => format!("(neg {})", sexp(x)),
        ExprKind::Binary(op, l, r) => format!("({} {} {})", op.symbol(), sexp(l), sexp(r)),
        ExprKind::Cond(c, t, f) => format!("(? {} {} {})", sexp(c), sexp(t), sexp(f)),
    }
}

/// The rows of a table `left => right`, blank lines skipped, the left side's padding dropped.
fn rows(table: &str) -> impl Iterator<Item = (&str, &str)> {
    table.lines().filter(|l| !l.trim().is_empty()).map(|l| {
        let (left, right) = l.split_once(" => ").expect(l);
        (left.trim_end(), right)
    })
}

/// Renders an error as `start..end message`, as the tables write it.
fn show(e: ExprError) -> String {
    format!("{}..{} {}", e.span.start, e.span.end, e.message)
}

fn ty(src: &str) -> Ty {
    compile(&p(src), &TestScope)
        .unwrap_or_else(|e| panic!("{src:?} does not compile: {e:?}"))
        .ty
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const TODAY: (i32, u32, u32) = (2026, 11, 22);

/// Evaluates `src` for `c` on `today` and checks the value.
fn eval_on(today: NaiveDate, c: &Customer, src: &str, want: Val<'_>) {
    let compiled = compile(&p(src), &TestScope).unwrap_or_else(|e| panic!("{src:?}: {e:?}"));
    let columns = ["备注".to_string(), "区域".to_string()];
    let env = Env {
        today,
        extra_columns: &columns,
    };
    assert_eq!(compiled.eval(c, &env), want, "{src}");
}

fn is(c: &Customer, src: &str, want: Val<'_>) {
    eval_on(date(TODAY.0, TODAY.1, TODAY.2), c, src, want);
}

fn holds(c: &Customer, src: &str, want: bool) {
    is(c, src, Val::Bool(want));
}

// ---------------------------------------------------------------- parsing

/// Source => shape of the tree.
const SHAPES: &str = r#"
a || b && c          => (|| a (&& b c))
a && b || c          => (|| (&& a b) c)
1 + 2 * 3            => (+ 1 (* 2 3))
1 * 2 + 3            => (+ (* 1 2) 3)
a - b - c            => (- (- a b) c)
a / b % c            => (% (/ a b) c)
a < b == c           => (== (< a b) c)
!a && b              => (&& (! a) b)
!!a                  => (! (! a))
-x * y               => (* (neg x) y)
a - -1               => (- a (neg 1))
a + b > c && d       => (&& (> (+ a b) c) d)
c ? a : b ? d : e    => (? c a (? b d e))
c ? a ? b : d : e    => (? c (? a b d) e)
a || b ? c : d       => (? (|| a b) c d)
x in ["a", "b"]      => (in x ["a" "b"])
x in [] || y         => (|| (in x []) y)
f()                  => f()
f(1)                 => f(1)
f(a, b + 1)          => f(a (+ b 1))
f(1,)                => f(1)
(a || b) && c        => (&& (|| a b) c)
-(x * y)             => (neg (* x y))
[1, [2]]             => [1 [2]]
"a\"b"               => "a\"b"
'it\'s'              => "it's"
'say "hi"'           => "say \"hi\""
"tab\there\n\\"      => "tab\there\n\\"
"多行\n文本"         => "多行\n文本"
007                  => 7
1.5                  => 1.5
2e3                  => 2000.0
1.25E-2              => 0.0125
5e+1                 => 50.0
null                 => null
true                 => true
false                => false
nullable             => nullable
index                => index
"#;

#[test]
fn parses_precedence_associativity_and_literals() {
    for (src, want) in rows(SHAPES) {
        assert_eq!(sexp(&p(src)), want, "{src}");
    }
    assert_eq!(p("1.0").kind, ExprKind::Dec(1.0));
    assert_eq!(p("9223372036854775807").kind, ExprKind::Int(i64::MAX));
}

#[test]
fn spans() {
    let e = p("(a) && f(b, 2)");
    assert_eq!(e.span, 0..14);
    let ExprKind::Binary(BinOp::And, l, r) = &e.kind else {
        panic!("{e:?}")
    };
    assert_eq!((l.span.clone(), r.span.clone()), (0..3, 7..14));
    assert_eq!(p("  - x ").span, 2..5);
    assert_eq!(p("'备注'").span, 0..8);
}

/// Source => span and message of the syntax error.
const SYNTAX_ERRORS: &str = r#"
a # b                => 2..3 unexpected character `#`
a = b                => 2..3 unexpected character `=`
stage == 备注        => 9..12 unexpected character `备`
.5                   => 0..1 unexpected character `.`
"abc                 => 0..4 unterminated string
name == 'x           => 8..10 unterminated string
"abc\"               => 0..6 unterminated string
"a\qb"               => 2..4 unknown escape `\q`
(a || b              => 7..7 expected `)`, found end of expression
f(a, b               => 6..6 expected `)`, found end of expression
f(a b)               => 4..5 expected `)`, found `b`
[1, 2                => 5..5 expected `]`, found end of expression
a ? b                => 5..5 expected `:`, found end of expression
a b                  => 2..3 unexpected `b`
f(1) 2               => 5..6 unexpected number `2`
a 1e300              => 2..7 unexpected number `1e300`
f(a 1.50)            => 4..8 expected `)`, found number `1.5`
a)                   => 1..2 unexpected `)`
x 'y'                => 2..5 unexpected string "y"
in ["a"]             => 0..2 expected a value, found `in`
x in                 => 4..4 expected a value, found end of expression
a &&                 => 4..4 expected a value, found end of expression
1 + * 2              => 4..5 expected a value, found `*`
()                   => 1..2 expected a value, found `)`
99999999999999999999 => 0..20 the number `99999999999999999999` is too large
"#;

#[test]
fn syntax_errors() {
    for (src, want) in rows(SYNTAX_ERRORS) {
        assert_eq!(show(parse(src).expect_err(src)), want, "{src}");
    }
    assert_eq!(show(parse("").unwrap_err()), "0..0 empty expression");
    assert_eq!(show(parse(" \t ").unwrap_err()), "0..3 empty expression");
}

// ---------------------------------------------------------------- printing

/// Source => canonical text.
const CANONICAL: &str = r#"
(a || b) && c        => (a || b) && c
a || (b && c)        => a || b && c
a - (b - c)          => a - (b - c)
(a - b) - c          => a - b - c
(1 + 2) * 3          => (1 + 2) * 3
1 + (2 * 3)          => 1 + 2 * 3
a * (b / c)          => a * (b / c)
a == (b == c)        => a == (b == c)
((x))                => x
(-x) * y             => -x * y
-(x * y)             => -(x * y)
!(a && b)            => !(a && b)
- 5                  => -5
a - - 5              => a - -5
- -x                 => --x
(a ? b : c) ? d : e  => (a ? b : c) ? d : e
a ? b : (c ? d : e)  => a ? b : c ? d : e
a ? (b ? c : d) : e  => a ? b ? c : d : e
(a || b) ? c : d     => a || b ? c : d
(a ? b : c) || d     => (a ? b : c) || d
!(a ? b : c)         => !(a ? b : c)
stage   in['a',"b"]  => stage in ["a", "b"]
f( 1 ,2, )           => f(1, 2)
g( )                 => g()
'say "hi"\n'         => "say \"hi\"\n"
1.50                 => 1.5
2e3                  => 2000.0
1e-7                 => 1e-7
1e300                => 1e300
null  ==  false      => null == false
"#;

#[test]
fn prints_with_fewest_parentheses() {
    for (src, want) in rows(CANONICAL) {
        assert_eq!(p(src).to_string(), want, "{src}");
    }
}

fn ident() -> impl Strategy<Value = String> {
    "[a-z_][a-z0-9_]{0,6}".prop_filter("not a keyword", |s| {
        !matches!(s.as_str(), "true" | "false" | "null" | "in")
    })
}

fn text() -> impl Strategy<Value = String> {
    let c = prop_oneof![
        any::<char>(),
        Just('"'),
        Just('\''),
        Just('\\'),
        Just('\n'),
        Just('\t'),
        prop::char::range('\u{4e00}', '\u{9fff}'),
    ];
    prop::collection::vec(c, 0..8).prop_map(String::from_iter)
}

fn node(kind: ExprKind) -> Expr {
    Expr { kind, span: 0..0 }
}

fn arb_expr() -> impl Strategy<Value = Expr> {
    use prop::num::f64::{NORMAL, POSITIVE, SUBNORMAL, ZERO};
    let leaf = prop_oneof![
        Just(ExprKind::Null),
        any::<bool>().prop_map(ExprKind::Bool),
        (0..=i64::MAX).prop_map(ExprKind::Int),
        (POSITIVE | NORMAL | SUBNORMAL | ZERO).prop_map(ExprKind::Dec),
        text().prop_map(ExprKind::Str),
        ident().prop_map(ExprKind::Ident),
    ]
    .prop_map(node);
    let unop = prop_oneof![Just(UnOp::Not), Just(UnOp::Neg)];
    let binop = prop::sample::select(vec![
        BinOp::Or,
        BinOp::And,
        BinOp::Eq,
        BinOp::Ne,
        BinOp::Lt,
        BinOp::Le,
        BinOp::Gt,
        BinOp::Ge,
        BinOp::In,
        BinOp::Add,
        BinOp::Sub,
        BinOp::Mul,
        BinOp::Div,
        BinOp::Rem,
    ]);
    leaf.prop_recursive(5, 40, 3, move |inner| {
        let items = || prop::collection::vec(inner.clone(), 0..3);
        let boxed = || inner.clone().prop_map(Box::new);
        prop_oneof![
            items().prop_map(ExprKind::List),
            (ident(), items()).prop_map(|(n, args)| ExprKind::Call(n, args)),
            (unop.clone(), boxed()).prop_map(|(op, e)| ExprKind::Unary(op, e)),
            (binop.clone(), boxed(), boxed()).prop_map(|(op, l, r)| ExprKind::Binary(op, l, r)),
            (boxed(), boxed(), boxed()).prop_map(|(c, t, f)| ExprKind::Cond(c, t, f)),
        ]
        .prop_map(node)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn print_then_parse_is_identity(e in arb_expr()) {
        let text = e.to_string();
        let back = parse(&text).map_err(|err| TestCaseError::fail(format!("{text:?}: {err:?}")))?;
        prop_assert_eq!(&back, &e, "{}", text);
        // Printing is canonical: the reparsed tree prints the same text.
        prop_assert_eq!(back.to_string(), text);
    }
}

// ---------------------------------------------------------------- type checking

/// Source => type.
const ACCEPTED: &str = r#"
stage >= "intent"                                 => Bool
"intent" <= stage                                 => Bool
revenue > 10000                                   => Bool
profit / revenue                                  => Dec
7 / 2                                             => Dec
has(revenue) ? revenue : order_total              => Money
has(revenue) ? revenue : 0                        => Money
has(profit) ? profit : 1.5                        => Dec
has(stage) ? null : 1                             => Int
bucket(months_with_orders, [1, 3, 6, 9])          => Int
bucket(profit / revenue, [0.1, 0.2])              => Int
days_since(last_contact) > 60                     => Bool
days_since(last_contact)                          => Int
days_until(birthday)                              => Int
grade in ["A", "B"]                               => Bool
stage in ["intent", "准客户"]                     => Bool
points in [1, 2]                                  => Bool
list == "black"                                   => Bool
last_order < "2025-01-01"                         => Bool
birthday == "02-29"                               => Bool
revenue == null                                   => Bool
null != stage                                     => Bool
contract_signed == true                           => Bool
has_trait("presses_price") && !has_trait("压价")  => Bool
field("备注")                                     => Str
revenue * 2                                       => Money
revenue + 1.5                                     => Dec
revenue - order_count                             => Money
-revenue                                          => Money
order_count % 3 + 1                               => Int
name < "b"                                        => Bool
null                                              => Null
"#;

#[test]
fn accepted_types() {
    for (src, want) in rows(ACCEPTED) {
        assert_eq!(format!("{:?}", ty(src)), want, "{src}");
    }
}

/// Source => span and message of the type error.
const REJECTED: &str = r#"
stage > 5                        => 0..9 cannot compare stage and int
stage == "bogus"                 => 9..16 unknown stage "bogus" (expected one of potential, trial, intent, quasi, formal)
grade in ["A", "Z"]              => 15..18 unknown grade "Z" (expected one of A, B, C, D, E)
revnue > 3                       => 0..6 unknown field `revnue`
has(revnue)                      => 4..10 unknown field `revnue`
has("revenue")                   => 4..13 `has` needs a field name
has_trait("flying")              => 10..18 unknown trait "flying" (traits are declared in rules/traits.toml)
has_trait(name)                  => 10..14 `has_trait` needs a string literal
revenue * revenue                => 0..17 cannot multiply money and money
order_count % 2.5                => 0..17 cannot take the remainder of int and decimal
name + 1                         => 0..8 cannot add string and int
"a" && true                      => 0..3 `&&` needs bools, found string
true || 1                        => 8..9 `||` needs bools, found int
!revenue                         => 1..8 `!` needs a bool, found money
-stage                           => 1..6 `-` needs a number, found stage
contract_sent < true             => 0..20 cannot compare bool and bool
null < 1                         => 0..8 cannot compare null and int
bucket(points, [3, 1])           => 19..20 thresholds must be ascending
bucket(points, [1, 1])           => 19..20 thresholds must be ascending
bucket(points, [-1])             => 16..18 a threshold must be a number
bucket(points, 3)                => 15..16 `bucket` needs a list of thresholds
bucket(stage, [1])               => 7..12 `bucket` needs a number, found stage
days_since(revenue)              => 11..18 `days_since` needs a date, found money
days_since(birthday)             => 11..19 `days_since` needs a date, found month-day
frobnicate(1)                    => 0..13 unknown function `frobnicate` (known: has, has_trait, days_since, days_until, bucket, field)
has(revenue, profit)             => 0..20 `has` takes 1 argument, found 2
bucket(points)                   => 0..14 `bucket` takes 2 arguments, found 1
field()                          => 0..7 `field` takes 1 argument, found 0
["a", "b"]                       => 0..10 a list can only stand after `in`
stage == ["intent"]              => 9..19 a list can only stand after `in`
stage in "intent"                => 9..17 `in` needs a list literal like ["a", "b"]
revenue in [1]                   => 0..7 `in` cannot test a money
points in ["1"]                  => 11..14 this list holds int values
stage in [1]                     => 10..11 this list holds stage values
last_order < "someday"           => 13..22 cannot read date "someday": expected a date like 2025-04-11
stage ? 1 : 2                    => 0..5 the condition of `?:` must be a bool, found stage
has(revenue) ? revenue : "none"  => 0..31 the branches of `?:` differ: money and string
"#;

#[test]
fn rejected_types() {
    for (src, want) in rows(REJECTED) {
        assert_eq!(
            show(compile(&p(src), &TestScope).expect_err(src)),
            want,
            "{src}"
        );
    }
}

// ---------------------------------------------------------------- evaluation

#[test]
fn money_compares_exactly_with_int_literals() {
    let mut c = Customer {
        revenue: Some(1_000_000),
        ..Customer::default()
    };
    holds(&c, "revenue == 10000", true);
    holds(&c, "10000 == revenue", true);
    holds(&c, "revenue == 10000.0", true);
    holds(&c, "revenue > 9999.99", true);
    holds(&c, "revenue == 10000.01", false);
    holds(&c, "revenue >= 10000 && revenue <= 10000", true);
    is(&c, "revenue", Val::Money(1_000_000));
    is(&c, "revenue + 1", Val::Money(1_000_100));
    is(&c, "revenue * 2", Val::Money(2_000_000));
    is(&c, "-revenue", Val::Money(-1_000_000));
    is(&c, "revenue / 4", Val::Dec(2500.0));
    is(&c, "revenue + 0.5", Val::Dec(10000.5));
    c.revenue = Some(1_000_001);
    holds(&c, "revenue > 10000", true);
    holds(&c, "revenue == 10000", false);
    holds(&c, "revenue == 10000.01", true);
    c.revenue = Some(10);
    holds(&c, "revenue == 0.1", true);
}

#[test]
fn missing_values() {
    let c = Customer::default();
    for src in ["revenue > 0", "revenue < 0", "revenue == 0", "revenue != 0"] {
        holds(&c, src, false);
    }
    holds(&c, "!has(revenue)", true);
    holds(&c, "!(revenue > 0)", true);
    holds(&c, "revenue == null", true);
    holds(&c, "null == revenue", true);
    holds(&c, "revenue != null", false);
    holds(&c, "null == null", true);
    is(&c, "revenue + 1", Val::Null);
    is(&c, "-profit", Val::Null);
    is(&c, "revenue", Val::Null);
    holds(&c, "order_total == 0", true);
    holds(&c, "has(order_total)", true);
    holds(&c, "stage == null", true);
    holds(&c, "name == null", true);
    holds(&c, "has(name)", false);
    holds(&c, "name == \"\"", false);
    holds(&c, "has(list)", true);
    holds(&c, "has(margin)", false);
    holds(&c, "(has(revenue) ? revenue : null) == null", true);
}

#[test]
fn enumerations_order_and_membership() {
    let mut c = Customer {
        stage: Some(Stage::Intent),
        grade: Some(Grade::B),
        points: Some(2),
        ..Customer::default()
    };
    holds(&c, "stage >= \"intent\"", true);
    holds(&c, "stage > \"intent\"", false);
    holds(&c, "stage < \"quasi\"", true);
    holds(&c, "stage == \"意向客户\"", true);
    holds(&c, "stage in [\"quasi\", \"formal\"]", false);
    holds(&c, "stage in [\"trial\", \"Intent\"]", true);
    holds(&c, "grade < \"C\"", true);
    holds(&c, "grade > \"A\"", true);
    holds(&c, "grade in [\"A\", \"B\"]", true);
    holds(&c, "grade in [\"C\"]", false);
    holds(&c, "points in [1, 2, 3]", true);
    holds(&c, "points in []", false);
    holds(&c, "list == \"black\"", false);
    holds(&c, "list == \"normal\"", true);
    c.list = ListKind::Black;
    holds(&c, "list == \"黑名单\"", true);
    holds(&c, "list in [\"red\", \"black\"]", true);
    c.stage = None;
    holds(&c, "stage in [\"intent\"]", false);
    holds(&c, "!(stage in [\"intent\"])", true);
    c.name = "Acme".into();
    holds(&c, "name in [\"Acme\", \"Bolt\"]", true);
    holds(&c, "name == \"acme\"", false);
}

#[test]
fn dates() {
    let mut c = Customer {
        last_contact: Some(date(2026, 9, 22)),
        last_order: Some(date(2024, 12, 31)),
        expected_purchase: Some(date(2026, 12, 1)),
        ..Customer::default()
    };
    is(&c, "days_since(last_contact)", Val::Int(61));
    holds(&c, "days_since(last_contact) > 60", true);
    is(&c, "days_until(expected_purchase)", Val::Int(9));
    holds(&c, "last_order < \"2025-01-01\"", true);
    holds(&c, "last_order < \"2025/1/1\"", true);
    c.last_order = Some(date(2025, 1, 1));
    holds(&c, "last_order < \"2025-01-01\"", false);
    c.expected_purchase = Some(date(2026, 11, 20));
    is(&c, "days_until(expected_purchase)", Val::Int(-2));
    is(&c, "days_since(expected_purchase)", Val::Int(2));
    c.last_contact = None;
    is(&c, "days_since(last_contact)", Val::Null);
    holds(&c, "days_since(last_contact) > 60", false);
    is(&c, "days_since(null)", Val::Null);
}

#[test]
fn birthdays() {
    let on = |month: u8, day: u8| Customer {
        birthday: Some(MonthDay { month, day }),
        ..Customer::default()
    };
    let cases = [
        ((11, 22), 0),
        ((11, 23), 1),
        ((11, 21), 364),
        ((1, 5), 44),
        // 2027 is a common year: Feb 29 falls on Feb 28.
        ((2, 29), 98),
        ((2, 28), 98),
        ((3, 1), 99),
    ];
    for ((m, d), days) in cases {
        is(&on(m, d), "days_until(birthday)", Val::Int(days));
    }
    // Seen from 2027, the next Feb 29 exists (2028 is a leap year).
    let from_2027 = date(2027, 11, 22);
    eval_on(from_2027, &on(2, 29), "days_until(birthday)", Val::Int(99));
    holds(&on(2, 29), "birthday == \"02-29\"", true);
    is(&Customer::default(), "days_until(birthday)", Val::Null);
}

#[test]
fn buckets() {
    let mut c = Customer::default();
    // Months with orders => bucket: a value equal to a threshold has reached it.
    let want = [1, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 5];
    for (months, want) in (0u8..).zip(want) {
        c.months_with_orders = months;
        let src = "bucket(months_with_orders, [1, 3, 6, 9])";
        is(&c, src, Val::Int(want));
    }
    is(&c, "bucket(months_with_orders, [])", Val::Int(1));
    is(&c, "bucket(revenue, [1])", Val::Null);
    c.revenue = Some(1_000_000);
    is(&c, "bucket(revenue, [5000, 10000, 20000])", Val::Int(3));
    is(&c, "bucket(revenue, [10000.01])", Val::Int(1));
    c.revenue = Some(100_000);
    c.profit = Some(20_000);
    is(&c, "bucket(profit / revenue, [0.1, 0.2, 0.3])", Val::Int(3));
}

#[test]
fn arithmetic_and_division_by_zero() {
    let c = Customer {
        revenue: Some(0),
        profit: Some(500),
        order_count: 7,
        ..Customer::default()
    };
    is(&c, "profit / revenue", Val::Null);
    holds(&c, "profit / revenue > 0", false);
    holds(&c, "profit / revenue < 0", false);
    holds(&c, "profit / revenue == null", true);
    is(&c, "order_count % 0", Val::Null);
    is(&c, "order_count / 2", Val::Dec(3.5));
    is(&c, "order_count % 3", Val::Int(1));
    is(&c, "-order_count % 3", Val::Int(-1));
    is(&c, "order_count * 2 - 20", Val::Int(-6));
    is(&c, "profit - 5", Val::Money(0));
    is(&c, "9223372036854775807 + 1", Val::Int(i64::MAX));
}

#[test]
fn extra_columns_and_traits() {
    let mut c = Customer {
        extras: vec![(0, "VIP".into())],
        ..Customer::default()
    };
    holds(&c, "field(\"备注\") == \"VIP\"", true);
    is(&c, "field(\"备注\")", Val::Str("VIP"));
    holds(&c, "field(\"区域\") == null", true);
    holds(&c, "field(\"区域\") == \"华东\"", false);
    holds(&c, "field(\"不存在\") == null", true);
    holds(&c, "has(traits)", false);
    holds(&c, "traits == null", true);
    holds(&c, "has_trait(\"presses_price\")", false);
    c.traits.insert(3);
    holds(&c, "has_trait(\"presses_price\")", true);
    holds(&c, "has_trait(\"压价\")", true);
    holds(&c, "has_trait(\"loyal\")", false);
    holds(&c, "has(traits)", true);
    c.traits.insert(200);
    holds(&c, "has_trait(\"loyal\") && has_trait(\"压价\")", true);
}

#[test]
fn conditional_unifies_int_and_money() {
    let mut c = Customer {
        order_count: 3,
        ..Customer::default()
    };
    is(&c, "has(revenue) ? revenue : 0", Val::Money(0));
    holds(&c, "(has(revenue) ? revenue : 0) >= 0", true);
    is(&c, "has(revenue) ? revenue : order_count", Val::Money(300));
    is(&c, "has(profit) ? profit : 1.5", Val::Dec(1.5));
    is(&c, "has(stage) ? null : 1", Val::Int(1));
    c.revenue = Some(12_345);
    c.profit = Some(250);
    is(&c, "has(revenue) ? revenue : 0", Val::Money(12_345));
    is(&c, "has(profit) ? profit : 1.5", Val::Dec(2.5));
    is(&c, "!has(revenue) ? 1 : has(stage) ? 3 : 4", Val::Int(4));
    is(&c, "revenue > 200 ? \"big\" : \"small\"", Val::Str("small"));
}

#[test]
fn logic_short_circuits_and_treats_missing_as_false() {
    let mut c = Customer::default();
    holds(&c, "revenue > 5 || true", true);
    holds(&c, "revenue > 5 && true", false);
    holds(&c, "true || revenue > 5", true);
    holds(&c, "false && revenue > 5", false);
    holds(&c, "!(revenue > 5) && true", true);
    holds(&c, "contract_signed || !has(contract_signed)", true);
    holds(
        &c,
        "!contract_signed && !(has(revenue) ? true : null)",
        true,
    );
    c.set_flag(Flag::ContractSigned, true);
    holds(&c, "contract_signed && has(contract_signed)", true);
    holds(&c, "contract_signed == false", false);
    holds(&c, "true == (1 < 2)", true);
}

// ---------------------------------------------------------------- depth

/// The error a condition nested too deep gets: where, and the message.
fn too_deep(src: &str) -> ExprError {
    let e = parse(src).expect_err("too deep");
    assert_eq!(
        e.message,
        format!("the condition nests more than {MAX_DEPTH} levels deep: split it up"),
        "{}",
        &src[..src.len().min(80)]
    );
    e
}

#[test]
fn nesting_beyond_the_limit_is_an_error_not_a_stack_overflow() {
    let n = 20_000;
    for src in [
        format!("{}x{}", "(".repeat(n), ")".repeat(n)),
        format!("{}x", "!".repeat(n)),
        format!("{}1", "-".repeat(n)),
        format!("{}1{}", "[".repeat(n), "]".repeat(n)),
        format!("{}1{}", "f(".repeat(n), ")".repeat(n)),
        vec!["x"; 10_000].join(" && "),
        vec!["1"; 10_000].join(" + "),
        format!("{}1", "x ? 1 : ".repeat(n)),
        // Unclosed: the error is the depth, found before the missing parenthesis.
        "(".repeat(n),
    ] {
        let e = too_deep(&src);
        assert!(e.span.end <= src.len());
    }
    // Parentheses alone nest the parser twice as deep as the tree may go: the error stands
    // at the first parenthesis past that.
    let e = too_deep(&format!("{}x{}", "(".repeat(200), ")".repeat(200)));
    assert_eq!(e.span, 2 * MAX_DEPTH..2 * MAX_DEPTH + 1);
}

#[test]
fn nesting_up_to_the_limit_parses_checks_and_evaluates() {
    let c = Customer {
        order_count: 3,
        ..Customer::default()
    };
    // Each `!` is a level, the comparison under them two more.
    let not = |k: usize| format!("{}(order_count > 2)", "!".repeat(k));
    holds(&c, &not(MAX_DEPTH - 2), true);
    too_deep(&not(MAX_DEPTH - 1));
    // A chain of terms: each operator is a level.
    let chain = |k: usize| vec!["order_count > 2"; k].join(" && ");
    holds(&c, &chain(MAX_DEPTH - 1), true);
    too_deep(&chain(MAX_DEPTH + 1));
    // Parentheses nest the parser, not the tree.
    let parens = |k: usize| format!("{}order_count{}", "(".repeat(k), ")".repeat(k));
    is(&c, &parens(2 * MAX_DEPTH - 1), Val::Int(3));
    too_deep(&parens(2 * MAX_DEPTH));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any text, and any mutation of a real condition, parses and type-checks to a value or
    /// a positioned error: never a panic.
    #[test]
    fn any_text_parses_to_a_condition_or_an_error(
        src in prop_oneof![
            ".{0,200}",
            "[()\\[\\]!\\-+*/%<>=&|?:,\"' a-z0-9._]{0,300}",
        ],
    ) {
        if let Ok(e) = parse(&src) {
            let _ = compile(&e, &TestScope);
        }
    }

    #[test]
    fn mutated_conditions_parse_to_a_condition_or_an_error(
        base in prop::sample::select(ACCEPTED.lines().filter_map(|l| l.split("=>").next()).map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect::<Vec<_>>()),
        at in any::<prop::sample::Index>(),
        cut in any::<bool>(),
        insert in "[()\\[\\]!\\-\"\\u{0}]{1,3}",
    ) {
        let mut src = base.clone();
        let mut i = at.index(src.len() + 1);
        while !src.is_char_boundary(i) {
            i -= 1;
        }
        if cut {
            src.truncate(i);
        } else {
            src.insert_str(i, &insert);
        }
        if let Ok(e) = parse(&src) {
            let _ = compile(&e, &TestScope);
        }
    }
}

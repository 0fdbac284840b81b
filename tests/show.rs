//! `clientele show ID`: one customer whole. Today is Sunday 2026-11-22.
//!
//! C1's figures by hand, from the book and log below:
//! - last contact: the later of the book's 2026-09-18 and the log's last touch, the order of
//!   2026-10-05 (an order is a touch; the complaint of 10-20 is not): 2026-10-05, whose
//!   note is "PO 1";
//! - one order: first and last 2026-10-05, total 1,200.00, all of it in the last 12
//!   months; no order interval (fewer than two);
//! - touches: the call and the order, 2; complaints 1, still open (no touch after it);
//! - next follow-ups: the complaint, due the day after (Wed 2026-10-21, a working day), and
//!   grade C's every 2 months from 2026-10-05: 2026-12-05, a Saturday, so Monday
//!   2026-12-07; no festival greeting (grade C, not on the red list);
//! - grade scheme (this workspace's tiers.toml): has(last_order), so A.

use crate::util::Workspace;

const BOOK: &str = "\
id,name,stage,grade,type,last_contact,phone
C1,Acme,intent,C,rational,2026-09-18,0512-1
C2,Beta,,,,,
";

const LOG: &str = "\
date,customer_id,kind,amount,note
2026-09-18,C1,call,,asked for a quote
2026-10-05,C1,order,1200.00,PO 1
2026-10-20,C1,complaint,,late delivery
2026-10-21,C2,call,,hello
";

/// One scheme only, so the page's tiers are few and computed by hand.
const TIERS: &str = r#"
[scheme.grade]
kind = "rules"
en = "Follow-up grade"
zh = "客户分级"
rules = [
  { tier = "A", when = "has(last_order)", label = "orders" },
]
default = "D"
tiers = [
  { id = "A", en = "Order customer", zh = "订单客户" },
  { id = "B", en = "Sample customer", zh = "样单客户" },
  { id = "C", en = "Important potential", zh = "重要潜在客户" },
  { id = "D", en = "Ordinary potential", zh = "普通潜在客户" },
  { id = "E", en = "Low value", zh = "低价值客户" },
]
"#;

fn workspace() -> Workspace {
    Workspace::new()
        .file("customers.csv", BOOK)
        .file("activities.csv", LOG)
        .file("rules/tiers.toml", TIERS)
}

#[test]
fn a_page_for_a_terminal() {
    workspace()
        .run(["show", "C1", "--format", "table"])
        .stdout(
            "\
C1  Acme
customers.csv, line 2

In the book
  id            C1
  name          Acme
  stage         intent
  grade         C
  type          rational
  last_contact  2026-09-18
  phone         0512-1

From the activity log
  last contact    2026-10-05
  what was said   PO 1
  first order     2026-10-05
  last order      2026-10-05
  orders          1
  order total     1,200.00
  last 12 months  1,200.00
  touches         2
  complaints      1
  open complaint  2026-10-20: late delivery

How to handle
  stage              Intent
  what it is         Both sides discussed cooperation, product, scope and price, and the customer clearly confirmed the needs and the price.
  how to move it on  Agree price and scope, send the contract and get the first payment started.
  type               Rational
  how to recognise   Principled, methodical, careful and responsible; evaluates and compares suppliers; relationships and feelings do not decide.
  how to handle      Talk candidly with no pressure or flattery; show strengths and limits plainly; keep every promise.
  advice             Gifts and relationship tactics backfire here. Give facts they can check, never exaggerate, and promise only what you will deliver, then deliver all of it.
  grade              C
  follow-up cadence  every 2 months

Tiers
  Follow-up grade  Order customer

Next follow-ups
  2026-10-21  complaint of 2026-10-20: late delivery
  2026-12-07  C every 2 months

Latest activity
  2026-09-18  Call  asked for a quote
  2026-10-05  Order  1200.00  PO 1
  2026-10-20  Complaint  late delivery
",
        )
        .stderr("")
        .code(0);
}

#[test]
fn a_page_in_chinese_with_the_last_rows_only() {
    workspace()
        .run(["--lang", "zh", "show", "C1", "--format", "table", "--log", "2"])
        .stdout(
            "\
C1  Acme
customers.csv，第2行

表中字段
  id            C1
  name          Acme
  stage         intent
  grade         C
  type          rational
  last_contact  2026-09-18
  phone         0512-1

活动记录所得
  最后联系    2026-10-05
  上次谈到    PO 1
  首次下单    2026-10-05
  最近下单    2026-10-05
  订单数      1
  订单总额    1,200.00
  近12个月    1,200.00
  联系次数    2
  投诉次数    1
  未处理投诉  2026-10-20：late delivery

处理建议
  阶段      意向客户
  阶段说明  双方谈到合作及产品、范围和价格，客户明确肯定了需求和价格；有合同确认则更有把握。
  如何推进  谈妥价格和服务内容，发出合同，推动对方开始付款。
  类型      理智型
  如何识别  办事理智，有原则、有规律，细心负责；选择前会考核比较供应商，不因关系好坏或个人感情而定。
  应对策略  坦诚直接地沟通，不施压、不奉承；如实展示优劣势，承诺必兑现。
  建议      送礼、拉关系对这类客户适得其反。提供可核实的事实，不夸大其词；只承诺做得到的，承诺了就一定做到。
  等级      C
  跟进节奏  每2个月

分层
  客户分级  订单客户

接下来的跟进
  2026-10-21  投诉 2026-10-20：late delivery
  2026-12-07  C 每2个月

最近活动（共3条，列出最后2条）
  2026-10-05  订单  1200.00  PO 1
  2026-10-20  投诉  late delivery
",
        )
        .stderr("")
        .code(0);
}

#[test]
fn json_for_scripts_with_ids_and_iso_dates() {
    let out = workspace().run(["show", "C1", "--format", "json"]);
    out.stderr("").code(0);
    let page: serde_json::Value =
        serde_json::from_str(&out.stdout_text()).expect("show --format json is JSON");
    assert_eq!(page["id"], "C1");
    assert_eq!(page["book"]["stage"], "intent");
    assert_eq!(page["book"]["last_contact"], "2026-09-18");
    assert_eq!(page["log"]["last_contact"], "2026-10-05");
    assert_eq!(page["log"]["order_total"], "1200.00");
    assert_eq!(page["log"]["open_complaint"], "2026-10-20: late delivery");
    assert_eq!(page["handling"]["stage"], "intent");
    assert_eq!(page["handling"]["type"], "rational");
    assert_eq!(page["tiers"]["grade"], "A");
    assert_eq!(
        page["next"],
        serde_json::json!([
            {"due": "2026-10-21", "reason": "complaint of 2026-10-20: late delivery"},
            {"due": "2026-12-07", "reason": "C every 2 months"},
        ])
    );
    assert_eq!(
        page["activity"][1],
        serde_json::json!({"date": "2026-10-05", "kind": "order", "amount": "1200.00", "note": "PO 1"})
    );
}

#[test]
fn tsv_is_one_row_per_line() {
    let out = workspace().run(["show", "C2"]);
    // C2: an empty row but its id and name; one call on 2026-10-21 (Wed), its last
    // contact; no grade, so the grade scheme's: D (no order); D's cadence is every 3
    // months: 2027-01-21, a Thursday.
    out.stdout(
        "section\tfield\tvalue\n\
         book\tid\tC2\n\
         book\tname\tBeta\n\
         book\tstage\t\n\
         book\tgrade\t\n\
         book\ttype\t\n\
         book\tlast_contact\t\n\
         book\tphone\t\n\
         log\tlast_contact\t2026-10-21\n\
         log\tlast_note\thello\n\
         log\torder_count\t0\n\
         log\torder_total\t0.00\n\
         log\torder_total_12m\t0.00\n\
         log\tcontact_count\t1\n\
         log\tcomplaint_count\t0\n\
         handling\tgrade\tD\n\
         handling\tcadence\tevery 3 months (the book gives no grade: the grade scheme's)\n\
         tiers\tgrade\tD\n\
         next\t2027-01-21\tD every 3 months\n\
         activity\t2026-10-21\tcall  hello\n",
    )
    .stderr("")
    .code(0);
}

/// A byte that is not text in the shared log, in another customer's row or in one of the
/// customer's own, stops nothing: the fold skips both rows (one warning says so), and the
/// page is C2's as above, its own bad row left out of its activity as out of its figures.
/// (The log's Chinese notes tell it is UTF-8 but for those bytes.)
#[test]
fn rows_that_are_not_text_are_skipped_not_fatal() {
    let mut log = LOG.as_bytes().to_vec();
    log.extend_from_slice("2026-10-21,C1,call,,报价单已发出\n".as_bytes());
    log.extend_from_slice(b"2026-10-22,C1,call,,caf\xe9\n2026-10-23,C2,call,,\xff\xfe\n");
    let out = workspace().file("activities.csv", log).run(["show", "C2"]);
    out.stderr(
        "clientele: warning: activities.csv: 2 unreadable rows skipped, see `clientele check`\n",
    )
    .code(0);
    let text = out.stdout_text();
    assert!(
        text.ends_with("activity\t2026-10-21\tcall  hello\n"),
        "{text}"
    );
    assert!(text.contains("log\tcontact_count\t1\n"), "{text}");
}

#[test]
fn an_unknown_id_is_a_usage_error() {
    workspace()
        .run(["show", "C9"])
        .stdout("")
        .stderr("clientele: error: unknown customer id \"C9\" in customers.csv\n")
        .code(2);
}

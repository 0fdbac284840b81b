//! The seeds' other systems through the binary, in English and Chinese: what to record about
//! a customer and the purchase intent (with its advice) in `show`, what a complaint seeks,
//! the relationship level against its target, and the report's complaints per owner,
//! relationships below target and reasons for not buying. Today is Sunday 2026-11-22.
//!
//! The book and log below, by hand:
//! - C1 ordered once, 2026-10-01 (¥1,000), and complained on 2026-11-20 asking for
//!   compensation (`求补偿：…`), unanswered: its last contact is the order, so after the sale
//!   only the customer got in touch: reactive. Its value, revenue ¥1,200,000 (from ¥1m: 3),
//!   margin 400,000 / 1,200,000 = 33% (from 30%: 3): 3 + 3 = 6, partner. Below its target.
//!   Its first order is 52 days before today (new), one ordering occasion (temporary), a
//!   complaint within the year (complaint customer).
//! - C2 and C3 will not buy, both for 价格太高; C4 will not buy, reason not recorded. None
//!   ordered: no relationship level, no target.
//! - Complaints: 王芳's C1, open; 赵磊's C3 of 2026-06-01, answered by the call of 06-02.

use crate::util::Workspace;

const BOOK: &str = "\
编号,名称,负责人,销售额,利润,购买意向,不购买原因,决策人,性别,兴趣爱好,预计采购
C1,甲公司,王芳,\"1,200,000\",\"400,000\",暂不购买,,李总,男,钓鱼,2027-03-01
C2,乙公司,王芳,,,不会购买,价格太高,,,,
C3,丙公司,赵磊,,,不会购买,价格太高,,,,
C4,丁公司,赵磊,,,will not buy,,,,,
";

const LOG: &str = "\
date,customer_id,kind,amount,note
2026-10-01,C1,order,1000,
2026-11-20,C1,complaint,,求补偿：少发两箱
2026-06-01,C3,complaint,,发票错了
2026-06-02,C3,call,,已重开
";

fn workspace() -> Workspace {
    Workspace::new()
        .file("customers.csv", BOOK)
        .file("activities.csv", LOG)
}

/// The lines of the page's section titled `title`, up to the blank line after it.
fn section(page: &str, title: &str) -> String {
    let mut lines = page.lines().skip_while(|l| *l != title);
    let mut out: Vec<&str> = Vec::new();
    for l in lines.by_ref() {
        if l.is_empty() {
            break;
        }
        out.push(l);
    }
    out.join("\n") + "\n"
}

#[test]
fn show_gives_what_is_known_the_intent_and_what_the_complaint_seeks_in_chinese() {
    let out = workspace().run(["show", "C1", "--lang", "zh", "--format", "table"]);
    out.code(0);
    let page = out.stdout_text();
    // The profile fields the book fills, under their own headings; the empty ones left out.
    assert_eq!(
        section(&page, "客户档案"),
        "客户档案\n  决策人    李总\n  性别      男\n  兴趣爱好  钓鱼\n"
    );
    let handling = section(&page, "处理建议");
    let want = "\
处理建议
  购买意向  暂不购买
  预计采购  2027-03-01
  跟进建议  绝不放弃：记录预计购买时间，保持沟通渠道畅通，定期发资料或电话介绍产品功能。
  意向跟进  距上次联系每1个月
  投诉诉求  求补偿
  处理方法  弥补损失：先核实事实，在制度允许范围内尽快给出补偿方案，并不折不扣地兑现。
";
    assert!(handling.starts_with(want), "{handling}");
    // C1's first order, 2026-10-01, is within 180 days: a new customer, at half the gaps.
    assert!(
        handling.contains("直到下单（新客户：间隔×0.5）（等级为空"),
        "{handling}"
    );
    let tiers = section(&page, "分层");
    assert!(
        tiers.contains("  客户关系层级     被动型（目标：伙伴型）\n"),
        "{tiers}"
    );
    assert!(tiers.contains("  长期/临时客户    临时客户\n"), "{tiers}");
    assert!(tiers.contains("  新/老客户        新客户\n"), "{tiers}");
    assert!(tiers.contains("  咨询/投诉客户    投诉客户\n"), "{tiers}");
    // ¥1,200,000 of revenue: 120,000 points, 7-star from 80,000.
    assert!(
        tiers.contains("  星级             七星级（优质客户）\n"),
        "{tiers}"
    );
}

#[test]
fn show_gives_the_same_in_english_and_the_reason_of_a_customer_who_will_not_buy() {
    let ws = workspace();
    let out = ws.run(["show", "C1", "--lang", "en", "--format", "table"]);
    let page = out.stdout_text();
    assert_eq!(
        section(&page, "What we know of them"),
        "What we know of them\n  decision maker  李总\n  gender          男\n  interests       钓鱼\n"
    );
    let handling = section(&page, "How to handle");
    let want = "\
How to handle
  purchase intent      Not now
  expects to buy       2027-03-01
  how to follow up     Never give them up: record when they expect to buy, keep the channel open, and send news or call periodically with the product's features.
  intent's follow-up   every 1 month after the last contact
  the complaint seeks  Compensation
  how to handle it     Make the loss good: establish the facts, offer quickly what the rules allow, and keep the promise to the letter.
";
    assert!(handling.starts_with(want), "{handling}");
    // A new customer (first order 2026-10-01): one order, the default 30 days, lead
    // round(7.5) = 8; halved: round(22 × 0.5) = 11 days after the order, then every
    // round(7 × 0.5 = 3.5) = 4 days.
    assert!(
        handling.contains(
            "followed up 11 days after the last order, then every 4 days until it comes \
             (new customer: gaps × 0.5)"
        ),
        "{handling}"
    );
    assert!(
        section(&page, "Tiers")
            .contains("  Relationship level         Reactive (target: Partner)\n"),
        "{page}"
    );
    // C2 will not buy: the reason, then the advice.
    let page = ws
        .run(["show", "C2", "--lang", "en", "--format", "table"])
        .stdout_text();
    let handling = section(&page, "How to handle");
    assert!(
        handling.starts_with(
            "How to handle\n  purchase intent    Will not buy\n  why not            价格太高\n  how to follow up   Lower their guard first,"
        ),
        "{handling}"
    );
    // No profile field filled: no section of it.
    assert!(!page.contains("What we know of them"), "{page}");
}

#[test]
fn report_gathers_the_reasons_for_not_buying() {
    // 价格太高 twice (C2, C3), then the one without a reason (C4).
    workspace()
        .run(["report", "--section", "lost_reasons", "--format", "tsv"])
        .stdout("reason\tcustomers\tids\n价格太高\t2\tC2, C3\n\t1\tC4\n")
        .code(0);
    workspace()
        .run([
            "report",
            "--section",
            "lost_reasons",
            "--format",
            "markdown",
            "--lang",
            "zh",
        ])
        .stdout(
            "## 客户不购买的原因\n\n| 原因 | 客户数 | 客户编号 |\n| --- | ---: | --- |\n| 价格太高 | 2 | C2, C3 |\n|  | 1 | C4 |\n",
        )
        .code(0);
}

#[test]
fn report_counts_open_and_resolved_complaints_per_owner() {
    workspace()
        .run(["report", "--section", "complaints", "--format", "tsv"])
        .stdout("owner\tcomplaints\topen\tresolved\n王芳\t1\t1\t0\n赵磊\t1\t0\t1\n")
        .code(0);
}

#[test]
fn report_lists_the_relationships_below_their_target() {
    workspace()
        .run(["report", "--section", "relationship", "--format", "tsv"])
        .stdout("id\tname\towner\tlevel\ttarget\nC1\t甲公司\t王芳\treactive\tpartner\n")
        .code(0);
    workspace()
        .run([
            "report",
            "--section",
            "relationship",
            "--format",
            "markdown",
            "--lang",
            "zh",
        ])
        .stdout(
            "## 关系层级低于目标的客户\n\n| 编号 | 客户名称 | 负责人 | 当前层级 | 目标层级 |\n| --- | --- | --- | --- | --- |\n| C1 | 甲公司 | 王芳 | 被动型 | 伙伴型 |\n",
        )
        .code(0);
}

#[test]
fn the_80_20_check_is_made_on_profit_too() {
    // Profit: C1 ¥400,000, the others none. The top 20% of 4 customers is ceil(4/5) = 1
    // customer, C1: 100% of revenue and of profit.
    let out = workspace().run(["report", "--section", "abc", "--format", "markdown"]);
    let text = out.stdout_text();
    assert!(
        text.starts_with(
            "## ABC classes (top 20% hold 100.00% of revenue; by profit, 100.00% of profit)\n"
        ),
        "{text}"
    );
    workspace()
        .run([
            "tier",
            "--scheme",
            "abc_profit",
            "--format",
            "tsv",
            "--columns",
            "id,tier,metric",
        ])
        .stdout("id\ttier\tmetric\nC1\tA\t400000.00\nC2\tC\t\nC3\tC\t\nC4\tC\t\n")
        .code(0);
}

#[test]
fn the_new_schemes_name_their_tiers_in_both_languages() {
    let run = |lang: &str, scheme: &str| {
        workspace()
            .run([
                "tier",
                "--scheme",
                scheme,
                "--format",
                "tsv",
                "--lang",
                lang,
                "--columns",
                "id,tier",
            ])
            .stdout_text()
    };
    // Machine formats keep the ids whatever the language. C3 complained on 2026-06-01, 174
    // days ago: a complaint customer too.
    assert_eq!(
        run("zh", "repeat"),
        "id\ttier\nC1\ttemporary\nC2\tnone\nC3\tnone\nC4\tnone\n"
    );
    let md = |lang: &str, scheme: &str| {
        workspace()
            .run([
                "tier",
                "--scheme",
                scheme,
                "--format",
                "markdown",
                "--lang",
                lang,
                "--columns",
                "id,tier",
            ])
            .stdout_text()
    };
    assert_eq!(
        md("zh", "tenure"),
        "| 编号 | 层级 |\n| --- | --- |\n| C1 | 新客户 |\n| C2 | 尚未下单 |\n| C3 | 尚未下单 |\n| C4 | 尚未下单 |\n"
    );
    assert_eq!(
        md("en", "service_need"),
        "| ID | Tier |\n| --- | --- |\n| C1 | Complaint customer |\n| C2 | Consultation customer |\n| C3 | Complaint customer |\n| C4 | Consultation customer |\n"
    );
}

#[test]
fn a_book_writes_intent_in_any_of_its_spellings_and_an_unknown_one_is_an_error() {
    Workspace::new()
        .file("customers.csv", "id,intent\nC1,considering\nC2,考虑中\nC3,maybe\n")
        .run(["check"])
        .stderr(
            "clientele: error: customers.csv:4:4: column B (intent): unknown intent \"maybe\" (expected one of interested, considering, not_now, will_not_buy)\n  |\n4 | C3,maybe\n  |    ^^^^^\nclientele: check found 1 error and 0 warnings\n",
        )
        .code(1);
}

#[test]
fn what_is_recorded_about_a_customer_is_written_back_untouched() {
    // Every profile column under a Chinese header, with a quoted comma, inner and outer
    // spaces and CRLF line ends; a snooze adds its column and changes nothing else.
    let header = "编号,名称,决策人,性别,性格,客户需求,待处理事宜,家庭情况,教育背景,业务背景,兴趣爱好,生活方式,购买意向,不购买原因";
    let row = "C1,甲公司,\"李总, 副总\",男,急躁 直爽,  要现货  ,发票未开,已婚，一子,MBA,做外贸十年,钓鱼,早起,考虑中,";
    let ws = Workspace::new().file("customers.csv", format!("{header}\r\n{row}\r\n"));
    ws.run(["snooze", "C1", "2026-12-01"]).code(0);
    let book = std::fs::read_to_string(ws.path().join("customers.csv")).unwrap();
    assert_eq!(book, format!("{header},暂停至\r\n{row},2026-12-01\r\n"));
    // And each is shown under its own heading, as read (trimmed).
    let page = ws
        .run(["show", "C1", "--lang", "zh", "--format", "table"])
        .stdout_text();
    assert_eq!(
        section(&page, "客户档案"),
        "客户档案\n  决策人      李总, 副总\n  性别        男\n  性格        急躁 直爽\n  客户需求    要现货\n  \
         待处理事宜  发票未开\n  家庭情况    已婚，一子\n  教育背景    MBA\n  业务背景    做外贸十年\n  \
         兴趣爱好    钓鱼\n  生活方式    早起\n"
    );
}

#[test]
fn star_points_spread_a_generated_book_over_the_levels() {
    // bench/gen.py's book of 10 000: every customer has a revenue, so its points are one a
    // ¥10 of it: in cents, a level from `min` points is reached from min × 1 000 cents.
    let ws = crate::util::generated_book(10_000, 100_000);
    let book = crate::util::revenues_by_hand(&ws);
    let level = |cents: i128| {
        let levels = [
            (80_000, "7-star"),
            (10_000, "6-star"),
            (2_000, "5-star"),
            (500, "4-star"),
            (50, "3-star"),
        ];
        levels
            .iter()
            .find(|(min, _)| cents >= min * 1_000)
            .map_or("quasi-star", |(_, id)| id)
    };
    let mut want: Vec<(String, &str)> =
        book.iter().map(|(id, c)| (id.clone(), level(*c))).collect();
    want.sort();
    let out = ws.run([
        "tier",
        "--scheme",
        "stars",
        "--format",
        "tsv",
        "--columns",
        "id,tier",
    ]);
    let mut got: Vec<(String, String)> = out
        .stdout_text()
        .lines()
        .skip(1)
        .map(|l| {
            let (id, tier) = l.split_once('\t').expect("two columns");
            (id.to_string(), tier.to_string())
        })
        .collect();
    got.sort();
    let want: Vec<(String, String)> = want.into_iter().map(|(i, t)| (i, t.to_string())).collect();
    assert_eq!(got, want);
    // Spread: five levels or more in use, none holding four customers in five (the old
    // rule put nearly every customer of the examples at 7-star).
    let mut counts = std::collections::BTreeMap::new();
    for (_, tier) in &got {
        *counts.entry(tier.as_str()).or_insert(0) += 1;
    }
    assert!(counts.len() >= 5, "{counts:?}");
    assert!(counts.values().all(|&n| n < 8_000), "{counts:?}");
}

//! `clientele classify`: each customer typed from its traits and data — the nine types of
//! types.toml by default, the personality and buying-style sets on request — with the score,
//! the evidence behind it, and `composite` (or `mixed`) when the evidence is weak or split.

use crate::util::Workspace;

const HEADER: &str = "id\tname\ttype\tscore\trunner_up\tconfidence\tevidence\tstrategy\n";
const EXPLAIN_HEADER: &str = "id\tname\ttype\tscore\tchosen\tevidence\n";

// The one-line strategies of the shipped rules, as printed in the last column.
const RATIONAL: &str = "Talk candidly with no pressure or flattery; show strengths and limits plainly; keep every promise.";
const TASK: &str = "Serve attentively, analyse for them, commit firmly; standard price and terms, no special deals.";
const GREEDY: &str = "Be discreet and reliable; guarantee quality, price and service; hold concessions within set limits.";
const OWNER: &str = "Open with a competitive price, match quality to their expectations, then visit and call back often.";
const CREDIT_SEEKER: &str = "See it from their side and protect their pride; hold quality strictly; help them succeed at work.";
const STINGY: &str = "Spend little time; quote only where we are strong, at a price that keeps our margin; never a key account.";
const DIFFICULT: &str = "Contract first: price and quality as they are, customer signs off before work starts, no rash deadlines.";
const RELATIONSHIP: &str = "Keep favours and business apart: agree the price up front; small jobs as favours, big ones formally.";
const COMPOSITE: &str =
    "Do not pigeonhole; stay calm and observe, then respond to their mood of the moment.";

const ANALYTICAL: &str =
    "Come prepared with data and a clear structure; give them time to decide and never push.";
const RELATIONAL: &str = "Keep warm, regular contact: greetings, news they care about, personal touches; keep every promise.";
const PICKY: &str = "Meet the standard exactly, answer each criticism with facts and a fix, promise only what you deliver.";
const MIXED_PERSONALITY: &str =
    "Observe and ask more before choosing a style; record the traits you notice.";
const HAGGLING: &str = "Show openly that the price is fair and transparent; offer only standard, documented promotions.";
const SEASONED: &str =
    "Be courteous, steady and confident; win them with professional competence, not sales talk.";
const COMPARISON_SHOPPER: &str =
    "Give accurate data across several dimensions and let them reach their own conclusion.";
const MIXED_BUYING: &str =
    "Listen and ask open questions; note the buying behaviour you see before picking a tactic.";

/// One customer per type, each with the traits of that type only, written with every
/// separator the traits field accepts and not in the rule file's order.
const NINE: &str = "\
id,name,traits
t01,Rational Ltd,principled;methodical
t02,Task Co,one_off；delegated_task
t03,Greedy Inc,presses_price、asks_personal_benefit
t04,Owner Works,business_owner
t05,Credit Corp,\"quality_first, rising_star\"
t06,Stingy Trading,haggles_to_zero;no_loyalty;hides_facts
t07,Difficult Ltd,unprepared;fault_finding
t08,Relation Co,friend，referral
t09,Composite Inc,unpredictable;very_experienced
";

/// Customers whose evidence does not single out one type.
const UNCLEAR: &str = "\
id,name,traits
u1,Split Evenly,friend;business_owner
u2,Unknown,
u3,One Weak Hint,principled
u4,Clear Winner,asks_personal_benefit;internal_politics;upright
u5,Composite And Friend,unpredictable;friend
";

#[test]
fn each_of_the_nine_types_is_recognised_from_its_traits() {
    // Evidence is listed in the rule file's order of signals, whatever the customer's order.
    let expected = format!(
        "{HEADER}\
         t01\tRational Ltd\trational\t2.0\t\t1.00\tprincipled (+1); methodical (+1)\t{RATIONAL}\n\
         t02\tTask Co\ttask\t3.0\t\t1.00\tdelegated_task (+2); one_off (+1)\t{TASK}\n\
         t03\tGreedy Inc\tgreedy\t3.0\t\t1.00\tasks_personal_benefit (+2); presses_price (+1)\t{GREEDY}\n\
         t04\tOwner Works\towner\t2.0\t\t1.00\tbusiness_owner (+2)\t{OWNER}\n\
         t05\tCredit Corp\tcredit_seeker\t3.0\t\t1.00\trising_star (+2); quality_first (+1)\t{CREDIT_SEEKER}\n\
         t06\tStingy Trading\tstingy\t4.0\t\t1.00\thaggles_to_zero (+2); no_loyalty (+1); hides_facts (+1)\t{STINGY}\n\
         t07\tDifficult Ltd\tdifficult\t2.0\t\t1.00\tunprepared (+1); fault_finding (+1)\t{DIFFICULT}\n\
         t08\tRelation Co\trelationship\t3.0\t\t1.00\tfriend (+2); referral (+1)\t{RELATIONSHIP}\n\
         t09\tComposite Inc\tcomposite\t3.0\t\t1.00\tunpredictable (+2); very_experienced (+1)\t{COMPOSITE}\n"
    );
    let ws = Workspace::new().file("customers.csv", NINE);
    ws.run(["classify"]).stdout(&expected).stderr("").code(0);
    // The nine types are the default set, by the name `nine`.
    ws.run(["classify", "--set", "nine"])
        .stdout(&expected)
        .code(0);
}

#[test]
fn mixed_weak_or_no_evidence_gives_composite() {
    // u1: owner 2 and relationship 2, margin 0 < 1. u2: nothing. u3: rational 1 < min_score 2.
    // u4: greedy 3 against owner 1, margin 2. u5: composite 2 ties relationship 2: the
    // fallback is composite all the same, with its own evidence.
    let expected = format!(
        "{HEADER}\
         u1\tSplit Evenly\tcomposite\t0.0\towner\t0.00\tevidence too weak or mixed\t{COMPOSITE}\n\
         u2\tUnknown\tcomposite\t0.0\t\t0.00\tno evidence\t{COMPOSITE}\n\
         u3\tOne Weak Hint\tcomposite\t0.0\trational\t1.00\tevidence too weak or mixed\t{COMPOSITE}\n\
         u4\tClear Winner\tgreedy\t3.0\towner\t0.67\tasks_personal_benefit (+2); internal_politics (+1)\t{GREEDY}\n\
         u5\tComposite And Friend\tcomposite\t2.0\trelationship\t0.00\tunpredictable (+2)\t{COMPOSITE}\n"
    );
    Workspace::new()
        .file("customers.csv", UNCLEAR)
        .run(["classify"])
        .stdout(&expected)
        .stderr("")
        .code(0);
}

#[test]
fn explain_lists_every_scoring_type_and_the_fallback() {
    // Best first, ties in the set's order; the fallback gets a row of its own when it was
    // chosen without scoring. Only the customers asked for.
    Workspace::new()
        .file("customers.csv", UNCLEAR)
        .run(["classify", "--explain", "u1", "u2", "u3", "u4", "u5"])
        .stdout(&format!(
            "{EXPLAIN_HEADER}\
             u1\tSplit Evenly\towner\t2.0\tfalse\tbusiness_owner (+2)\n\
             u1\tSplit Evenly\trelationship\t2.0\tfalse\tfriend (+2)\n\
             u1\tSplit Evenly\tcomposite\t0.0\ttrue\tevidence too weak or mixed\n\
             u2\tUnknown\tcomposite\t0.0\ttrue\tno evidence\n\
             u3\tOne Weak Hint\trational\t1.0\tfalse\tprincipled (+1)\n\
             u3\tOne Weak Hint\tcomposite\t0.0\ttrue\tevidence too weak or mixed\n\
             u4\tClear Winner\tgreedy\t3.0\ttrue\tasks_personal_benefit (+2); internal_politics (+1)\n\
             u4\tClear Winner\towner\t1.0\tfalse\tupright (+1)\n\
             u5\tComposite And Friend\trelationship\t2.0\tfalse\tfriend (+2)\n\
             u5\tComposite And Friend\tcomposite\t2.0\ttrue\tunpredictable (+2)\n"
        ))
        .stderr("")
        .code(0);
}

#[test]
fn chinese_trait_names_are_read_and_zh_tables_name_the_types_in_chinese() {
    let ws = Workspace::new().file(
        "customers.csv",
        "id,name,traits\n\
         z1,Principled Buyer,有原则、比较考核\n\
         z2,Old Friend,朋友；请帮忙\n\
         z3,Mixed Bag,老板，朋友\n",
    );
    ws.run(["classify"])
        .stdout(&format!(
            "{HEADER}\
             z1\tPrincipled Buyer\trational\t3.0\t\t1.00\tcompares_suppliers (+2); principled (+1)\t{RATIONAL}\n\
             z2\tOld Friend\trelationship\t3.0\t\t1.00\tfriend (+2); asks_favours (+1)\t{RELATIONSHIP}\n\
             z3\tMixed Bag\tcomposite\t0.0\towner\t0.00\tevidence too weak or mixed\t{COMPOSITE}\n"
        ))
        .stderr("")
        .code(0);
    // Tables for people: Chinese headers, type names and texts.
    ws.run(["--lang", "zh", "--format", "markdown", "classify"])
        .stdout(
            "| 编号 | 客户名称 | 类型 | 得分 | 次选 | 置信度 | 依据 | 策略 |\n\
             | --- | --- | --- | ---: | --- | ---: | --- | --- |\n\
             | z1 | Principled Buyer | 理智型 | 3.0 |  | 1.00 | 比较考核 (+2)；有原则 (+1) | 坦诚直接地沟通，不施压、不奉承；如实展示优劣势，承诺必兑现。 |\n\
             | z2 | Old Friend | 关系型 | 3.0 |  | 1.00 | 朋友 (+2)；请帮忙 (+1) | 人情和生意分开：先把价钱谈好；小单可以帮忙，大单按正规流程办或婉拒。 |\n\
             | z3 | Mixed Bag | 综合型 | 0.0 | 主人翁型 | 0.00 | 依据不足或相互矛盾 | 不套用任何类型；以静制动，看清对方当下的心态再对症下药。 |\n",
        )
        .stderr("")
        .code(0);
}

#[test]
fn conditions_on_the_activity_log_are_evidence_too() {
    // w1: one weak trait plus three complaints in the log → still too weak: complaints are
    //     not evidence of a type in the shipped rules (they may be about our own failures).
    // w2: the same trait and two complaints → too weak.
    // w3: not the decision maker, and a single order long ago (over 180 days) → task (1 + 1).
    // w4: a single order, but recent → too weak.
    Workspace::new()
        .file(
            "customers.csv",
            "id,name,traits\n\
             w1,Many Complaints,unprepared\n\
             w2,Two Complaints,unprepared\n\
             w3,One Old Order,not_decision_maker\n\
             w4,One New Order,not_decision_maker\n",
        )
        .file(
            "activities.csv",
            "date,customer_id,kind,amount,note\n\
             2026-11-01,w1,complaint,,invoice dispute\n\
             2026-03-15,w3,order,1200.00,PO 7\n\
             2026-09-01,w1,complaint,,late delivery\n\
             2026-10-01,w2,complaint,,wrong item\n\
             2026-10-01,w1,complaint,,wrong item\n\
             2026-10-20,w4,order,800.00,PO 9\n\
             2026-11-02,w2,complaint,,late delivery\n",
        )
        .run(["classify"])
        .stdout(&format!(
            "{HEADER}\
             w1\tMany Complaints\tcomposite\t0.0\tdifficult\t1.00\tevidence too weak or mixed\t{COMPOSITE}\n\
             w2\tTwo Complaints\tcomposite\t0.0\tdifficult\t1.00\tevidence too weak or mixed\t{COMPOSITE}\n\
             w3\tOne Old Order\ttask\t2.0\t\t1.00\tnot_decision_maker (+1); a single order, over 180 days ago (+1)\t{TASK}\n\
             w4\tOne New Order\tcomposite\t0.0\ttask\t1.00\tevidence too weak or mixed\t{COMPOSITE}\n"
        ))
        .stderr("")
        .code(0);
}

/// Customers for the alternative sets: traits of the personality types and buying styles.
const OTHER_SETS: &str = "\
id,name,traits
p1,Analyst,data_driven
p2,Warm,重视信任、忠诚度高
p3,Boss Or Friend,wants_control;avoids_conflict
p4,Careful,detail_oriented;compares_suppliers
p5,Exacting,strict_standards;demands_quality
p6,Nobody,
p7,Haggler,presses_price;penny_pinching
p8,Veteran,very_experienced;composed
p9,Ditherer,indecisive;puts_off
";

#[test]
fn the_personality_set() {
    // p4: both traits weigh 1 in this set (2 for compares_suppliers among the nine).
    // Traits of the buying styles (p7–p9) are no evidence here.
    let ws = Workspace::new().file("customers.csv", OTHER_SETS);
    ws.run(["classify", "--set", "personality"])
        .stdout(&format!(
            "{HEADER}\
             p1\tAnalyst\tanalytical\t2.0\t\t1.00\tdata_driven (+2)\t{ANALYTICAL}\n\
             p2\tWarm\trelational\t3.0\t\t1.00\tvalues_trust (+2); loyal (+1)\t{RELATIONAL}\n\
             p3\tBoss Or Friend\tmixed\t0.0\tdominant\t0.00\tevidence too weak or mixed\t{MIXED_PERSONALITY}\n\
             p4\tCareful\tanalytical\t2.0\t\t1.00\tdetail_oriented (+1); compares_suppliers (+1)\t{ANALYTICAL}\n\
             p5\tExacting\tpicky\t3.0\t\t1.00\tstrict_standards (+2); demands_quality (+1)\t{PICKY}\n\
             p6\tNobody\tmixed\t0.0\t\t0.00\tno evidence\t{MIXED_PERSONALITY}\n\
             p7\tHaggler\tmixed\t0.0\t\t0.00\tno evidence\t{MIXED_PERSONALITY}\n\
             p8\tVeteran\tmixed\t0.0\t\t0.00\tno evidence\t{MIXED_PERSONALITY}\n\
             p9\tDitherer\tmixed\t0.0\t\t0.00\tno evidence\t{MIXED_PERSONALITY}\n"
        ))
        .stderr("")
        .code(0);
    ws.run(["classify", "--set", "personality", "--explain", "p3", "p5"])
        .stdout(&format!(
            "{EXPLAIN_HEADER}\
             p3\tBoss Or Friend\tdominant\t2.0\tfalse\twants_control (+2)\n\
             p3\tBoss Or Friend\tfriendly\t2.0\tfalse\tavoids_conflict (+2)\n\
             p3\tBoss Or Friend\tmixed\t0.0\ttrue\tevidence too weak or mixed\n\
             p5\tExacting\tpicky\t3.0\ttrue\tstrict_standards (+2); demands_quality (+1)\n"
        ))
        .stderr("")
        .code(0);
}

#[test]
fn the_buying_set() {
    Workspace::new()
        .file("customers.csv", OTHER_SETS)
        .run(["classify", "--set", "buying", "p4", "p6", "p7", "p8", "p9"])
        .stdout(&format!(
            "{HEADER}\
             p4\tCareful\tcomparison_shopper\t2.0\t\t1.00\tcompares_suppliers (+2)\t{COMPARISON_SHOPPER}\n\
             p6\tNobody\tmixed\t0.0\t\t0.00\tno evidence\t{MIXED_BUYING}\n\
             p7\tHaggler\thaggling\t3.0\t\t1.00\tpenny_pinching (+2); presses_price (+1)\t{HAGGLING}\n\
             p8\tVeteran\tseasoned\t3.0\t\t1.00\tcomposed (+2); very_experienced (+1)\t{SEASONED}\n\
             p9\tDitherer\tmixed\t0.0\thesitant\t0.00\tevidence too weak or mixed\t{MIXED_BUYING}\n"
        ))
        .stderr("")
        .code(0);
}

#[test]
fn an_unknown_set_is_a_usage_error() {
    Workspace::new()
        .file("customers.csv", OTHER_SETS)
        .run(["classify", "--set", "zodiac"])
        .stdout("")
        .stderr(
            "clientele: error: unknown type set \"zodiac\" (known: nine, personality, buying)\n",
        )
        .code(2);
}

#[test]
fn an_unknown_id_is_a_usage_error() {
    Workspace::new()
        .file("customers.csv", NINE)
        .run(["classify", "t01", "t99"])
        .stdout("")
        .stderr("clientele: error: unknown customer id \"t99\" in customers.csv\n")
        .code(2);
}

#[test]
fn write_stores_the_type_and_keeps_the_rest_of_the_file() {
    // CRLF, a quoted name and an existing `type` column: only the changed cells change.
    let book = "id,name,type,traits\r\n\
                a,\"Alpha, Ltd\",,principled;methodical\r\n\
                b,Beta,owner,business_owner\r\n\
                c,Gamma,task,\r\n";
    let ws = Workspace::new().file("customers.csv", book);
    let before = ws.snapshot();
    ws.run(["classify", "--write", "--dry-run"])
        .stdout(
            "id\tfield\tfrom\tto\treason\tapplied\n\
             a\ttype\t\trational\tclassify\tfalse\n\
             c\ttype\ttask\tcomposite\tclassify\tfalse\n",
        )
        .stderr("")
        .code(0);
    ws.assert_unchanged(&before);
    ws.run(["classify", "--write"])
        .stdout(&format!(
            "{HEADER}\
             a\tAlpha, Ltd\trational\t2.0\t\t1.00\tprincipled (+1); methodical (+1)\t{RATIONAL}\n\
             b\tBeta\towner\t2.0\t\t1.00\tbusiness_owner (+2)\t{OWNER}\n\
             c\tGamma\tcomposite\t0.0\t\t0.00\tno evidence\t{COMPOSITE}\n"
        ))
        .stderr("")
        .code(0);
    assert_eq!(
        std::fs::read_to_string(ws.path().join("customers.csv")).expect("read customers.csv"),
        "id,name,type,traits\r\n\
         a,\"Alpha, Ltd\",rational,principled;methodical\r\n\
         b,Beta,owner,business_owner\r\n\
         c,Gamma,composite,\r\n"
    );
    // Nothing left to change: every file stays as it is.
    let after = ws.snapshot();
    ws.run(["classify", "--write"]).stderr("").code(0);
    ws.assert_unchanged(&after);
}

//! `clientele report`: every figure of the report on one small hand-made book, worked out by
//! hand below and written out literally in `report/figures.rs` (JSON, markdown) and
//! `report/sections.rs` (csv/tsv by section, Chinese tables, usage errors, edges); the
//! 80/20 check on a generated book in `report/top20.rs`; the HTML page and its SVG charts in
//! `report/page.rs`; a generated book of 20 000 customers in `report/big.rs`; the pages of
//! both books in a headless Chromium, which measures every chart label, on request, in
//! `report/browser.rs`.

use crate::util::Workspace;

mod big;
mod browser;
mod figures;
mod page;
mod sections;
mod top20;

/// Eleven customers. Today is Sunday 2026-11-22 and this team works every day (see
/// [`CONFIG`]), so a follow-up can be due today.
///
/// Stages (c09's written in Chinese): potential c08 c09 c10 c11 = 4, trial c06 c07 = 2,
/// intent c03 c05 = 2, quasi c04 = 1, formal c01 c02 = 2. Reached (at the stage or later):
/// 11, 7, 5, 3, 2; conversion = reached(k) / reached(k−1): 7/11 = 63.64 %, 5/7 = 71.43 %,
/// 3/5 = 60.00 %, 2/3 = 66.67 %.
///
/// Revenue, the book's, else the log's order total: c01 500 000.00 (its orders in the log,
/// 168 000.00, do not count), c02 86 000.00 (from the log), c04 320 000.00 (written
/// `"320,000.00"`), c05 45 600.50, c06 12 345.67, c07 8 000.00, c10 2 000.00, c09 150.00,
/// c03 c08 c11 nothing. Total 974 096.17.
///
/// Grades, the book's, else the `grade` scheme's: A c01, c02 (empty: ordered 2026-08-01,
/// within a year); B c03 (empty: a sample requested 2026-11-15, no order); C c04, c05, c06
/// (empty: trial or later); D c07 c10 c11; E c09, c08 (empty: never contacted, nothing
/// known). Revenue A 586 000.00, B 0, C 377 946.17, D 10 000.00, E 150.00.
///
/// Types (c05's written in Chinese, 关系型): rational c01 c11, task c04, greedy none, owner
/// c02, credit_seeker c03, stingy c09, difficult c07, relationship c05 c06, composite c10,
/// unclassified c08.
///
/// ABC by revenue (ties by id): c01 (0 % before it → A), c04 (51.33 % → A), c02 (84.18 %
/// → B), c05 (93.01 % → B), c06 (97.69 % → C), c07, c10, c09, then c03 c08 c11 at zero →
/// C. A 820 000.00, B 131 600.50, C 22 495.67. The 80/20 check: ceil(11/5) = 3 customers,
/// c01, c04 and c02, hold 93.01 % (the share before c05).
///
/// Workload (due engine; today+7 = 2026-11-29). c01 and c02 are new customers (first order
/// 08-05 and 08-01, within 180 days) of grade A: followed up at half the gaps (cadence.toml's
/// `new_customers`); c03 has no order, so it is not.
/// - c01 A, orders every 31 days (median of 31, 30, 31), last 11-05: order expected 12-06,
///   lead 8 days (¼ of 31, rounded); new: after round((31 − 8) × 0.5 = 11.5) = 12 days from
///   the order, 11-17 → overdue; late only after 11-17 + its lead of 8 = 11-25.
/// - c02 A, one order 08-01 (default interval 30): expected 08-31, lead 8; new: first due
///   after round(22 × 0.5) = 11 days, 08-12, then every round(7 × 0.5 = 3.5) = 4 days; the call
///   of 11-18 (98 days after 08-12) met the step of 11-16 (the 24th), so the step of 11-20 is
///   due: overdue, late only after 11-20 + 4. No order for 2 × 30 days: lapsing, order
///   expected 2026-08-31.
/// - c03 B, sample requested 11-15, steps 11-16, 11-17 (met by the call of 11-17), 11-19:
///   overdue; past 11-19 + its gap of 2 days → late.
/// - c04 C, last contact 09-22 + 2 months = 11-22 → due today.
/// - c05 C, 09-29 + 2 months = 11-29 → next 7 days (the last day of the window).
/// - c06 C, 08-20 + 2 months = 10-20 → overdue, not late before 10-20 + 61 days.
/// - c07 D, 05-10 + 3 months = 08-10 → overdue, late after 08-10 + 92 days = 11-10.
/// - c08 never contacted → due today.
/// - c09 E, 2025-11-01 + 6 months = 2026-05-01 (Labour Day: 05-06) → overdue; late after
///   05-01 + 181 days = 10-29.
/// - c10 black-listed → never due. c11 D, 08-30 + 3 months = 11-30 → today+8, not counted.
///
/// Per owner (sorted): Li Wei c02 c04 c07 c10: 4 customers, 1 due today (c04), 2 overdue
/// (c02, c07), 1 late (c07), 0 next; 王芳 c01 c03 c08: 3, 1 (c08), 2 (c01, c03), 1 (c03), 0;
/// 赵强 c05 c06 c09 c11: 4, 0, 2, 1, 1.
///
/// Key customers (`key` scheme, rated criteria only, a band of 75 and more), best first:
/// - c04: margin 112 000 / 320 000 = 35 % → 5 (15), no orders → continuity 1 (0), six
///   ratings of 5 (60): 75 / 90 = 83.3.
/// - c01: margin 25 % → 4 (11.25), orders in 4 of the last 12 months → 3 (7.5), payment 5
///   (10), fit 4 (7.5), growth 4 (7.5), loyalty 5 (10), strength 4 (7.5), long term 5 (10):
///   71.25 / 90 = 79.2.
/// - c07 is rated too: margin 12.5 % → 3 (7.5), continuity 1, six 3s (30): 37.5 / 90 =
///   41.7, not key. Nobody else has half the weight rated.
///
/// Profit: c01 125 000, c04 112 000, c07 1 000, of 238 000; the top ceil(11 / 5) = 3 by
/// profit are these three: 100 % of it.
///
/// Relationship levels (`relationship`): only c01 and c02 ordered. c01's last touch is its
/// order of 11-05, nothing after the sale: basic; its value ¥500 000 (2) and margin 25 %
/// (2) call for accountable (4): below. c02 was called on 11-18 after its order of 08-01:
/// accountable; no revenue, 12 months' orders ¥86 000 (1), no profit (2): reactive, met.
/// No complaint in the log, no purchase intent in the book.
///
/// Changes since 2026-11-02 (the day itself included; c06's of 10-02 is older): c04's
/// stage and grade changes of 11-02 in log order, c03's stage change of 11-10 (not its call).
pub const BOOK: &str = "\
id,name,owner,stage,grade,type,revenue,profit,last_contact,list,payment,fit,growth,loyalty,strength,long_term
c01,华星贸易,王芳,formal,A,rational,500000.00,125000.00,,normal,5,4,4,5,4,5
c02,Blue River Foods & Co,Li Wei,formal,,owner,,,,normal,,,,,,
c03,宁波海港物流,王芳,intent,,credit_seeker,,,,normal,,,,,,
c04,Summit Electronics,Li Wei,quasi,C,task,\"320,000.00\",112000.00,2026-09-22,normal,5,5,5,5,5,5
c05,金莲酒店,赵强,intent,C,关系型,45600.50,,2026-09-29,normal,,,,,,
c06,Orchid Textiles,赵强,trial,,relationship,12345.67,,2026-08-20,normal,,,,,,
c07,Pinecrest Labs,Li Wei,trial,D,difficult,8000.00,1000.00,2026-05-10,normal,3,3,3,3,3,3
c08,东风传媒,王芳,potential,,,,,,normal,,,,,,
c09,Harbor Freight,赵强,潜在客户,E,stingy,150.00,,2025-11-01,normal,,,,,,
c10,Blackstone Supplies,Li Wei,potential,D,composite,2000.00,,2026-10-01,black,,,,,,
c11,Maple Trading,赵强,potential,D,rational,,,2026-08-30,normal,,,,,,
";

/// Orders, touches, a sample request and three stage/grade changes (one quoted note).
pub const LOG: &str = "\
date,customer_id,kind,amount,note
2026-08-05,c01,order,40000.00,PO 801
2026-09-05,c01,order,42000.00,PO 902
2026-10-05,c01,order,41000.00,PO 1003
2026-11-05,c01,order,45000.00,PO 1104
2026-08-01,c02,order,86000.00,first order
2026-11-18,c02,call,,asked about the next order
2026-11-15,c03,sample_request,,sample of the 40 ft service
2026-11-17,c03,call,,sample on its way
2026-10-02,c06,stage_change,,potential -> trial; gate of trial holds
2026-11-02,c04,stage_change,,intent -> quasi; gate of quasi holds
2026-11-02,c04,grade_change,,D -> C; important potential
2026-11-10,c03,call,,
2026-11-10,c03,stage_change,,\"trial -> intent; forced: asked for a quote, \"\"urgent\"\"\"
";

/// A team that works every day: no weekend, so Sunday 2026-11-22 can have follow-ups due.
pub const CONFIG: &str = "[calendar]\nweekend = []\n";

/// The small book in a workspace of its own.
pub fn book() -> Workspace {
    Workspace::new()
        .file("customers.csv", BOOK)
        .file("activities.csv", LOG)
        .file("clientele.toml", CONFIG)
}

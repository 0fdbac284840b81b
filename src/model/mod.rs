//! The customer book's data model: customers, lifecycle stages, grades, lists and fields.

pub mod field;
pub mod header;
pub mod messages;
pub mod value;

use chrono::NaiveDate;
use compact_str::CompactString;

pub use field::{Field, FieldType, Flag, ProfileField, Rating};
pub use value::{Cents, MonthDay};

/// An enumeration whose values are read forgivingly (id, English or Chinese name, any case)
/// and written as their id.
pub trait Enumeration: Sized + Copy + 'static {
    /// What the enumeration is called in messages ("stage", "grade").
    const WHAT: &'static str;
    /// Every value in order.
    const ALL: &'static [Self];
    fn id(self) -> &'static str;
    fn en(self) -> &'static str;
    fn zh(self) -> &'static str;
    /// Extra spellings people write in their sheets.
    fn aliases(self) -> &'static [&'static str] {
        &[]
    }

    /// Reads a value by id, English or Chinese name, any case, with a trailing 级/类 tolerated.
    /// Allocation-free: it runs once per log row.
    fn parse(text: &str) -> Option<Self> {
        let t = value::trim(text);
        // Exact ids first: what the tool itself writes, so the common case is one compare.
        if let Some(v) = Self::ALL.iter().copied().find(|v| v.id() == t) {
            return Some(v);
        }
        let matches = |v: Self| {
            t.eq_ignore_ascii_case(v.id())
                || t.eq_ignore_ascii_case(v.en())
                || t == v.zh()
                || v.aliases().iter().any(|a| t.eq_ignore_ascii_case(a))
        };
        Self::ALL.iter().copied().find(|&v| matches(v)).or_else(|| {
            let stripped = t
                .strip_suffix('级')
                .or_else(|| t.strip_suffix('类'))
                .or_else(|| t.strip_suffix("客户"))?;
            if stripped.is_empty() || stripped == t {
                return None;
            }
            Self::parse(stripped)
        })
    }

    /// The Chinese names of every value, for messages: `潜在客户、试用客户、…`.
    fn expected_zh() -> String {
        Self::ALL
            .iter()
            .map(|v| v.zh())
            .collect::<Vec<_>>()
            .join("、")
    }

    /// The label in the requested language.
    fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en(),
            Lang::Zh => self.zh(),
        }
    }

    /// "potential, trial, intent, quasi, formal" for error messages.
    fn expected() -> String {
        Self::ALL
            .iter()
            .map(|v| v.id())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub use crate::lang::Lang;

/// The five lifecycle stages, in order: potential, trial, intent, quasi, formal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    Potential,
    Trial,
    Intent,
    Quasi,
    Formal,
}

impl Enumeration for Stage {
    const WHAT: &'static str = "stage";
    const ALL: &'static [Self] = &[
        Stage::Potential,
        Stage::Trial,
        Stage::Intent,
        Stage::Quasi,
        Stage::Formal,
    ];
    fn id(self) -> &'static str {
        match self {
            Stage::Potential => "potential",
            Stage::Trial => "trial",
            Stage::Intent => "intent",
            Stage::Quasi => "quasi",
            Stage::Formal => "formal",
        }
    }
    fn en(self) -> &'static str {
        match self {
            Stage::Potential => "Potential",
            Stage::Trial => "Trial",
            Stage::Intent => "Intent",
            Stage::Quasi => "Quasi",
            Stage::Formal => "Formal",
        }
    }
    fn zh(self) -> &'static str {
        match self {
            Stage::Potential => "潜在客户",
            Stage::Trial => "试用客户",
            Stage::Intent => "意向客户",
            Stage::Quasi => "准客户",
            Stage::Formal => "正式客户",
        }
    }
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Stage::Potential => &["潜在", "prospect"],
            Stage::Trial => &["试用"],
            Stage::Intent => &["意向", "intention"],
            Stage::Quasi => &["准", "quasi-customer"],
            Stage::Formal => &["正式", "customer"],
        }
    }
}

/// The five follow-up grades: A order customers, B sample customers, C important, D ordinary
/// and E no potential; A is the most important.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grade {
    A,
    B,
    C,
    D,
    E,
}

impl Enumeration for Grade {
    const WHAT: &'static str = "grade";
    const ALL: &'static [Self] = &[Grade::A, Grade::B, Grade::C, Grade::D, Grade::E];
    fn id(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
            Grade::E => "E",
        }
    }
    fn en(self) -> &'static str {
        match self {
            Grade::A => "Order customer",
            Grade::B => "Sample customer",
            Grade::C => "Important potential",
            Grade::D => "Ordinary potential",
            Grade::E => "No potential",
        }
    }
    fn zh(self) -> &'static str {
        match self {
            Grade::A => "订单客户",
            Grade::B => "样单客户",
            Grade::C => "重潜客户",
            Grade::D => "普潜客户",
            Grade::E => "无潜客户",
        }
    }
}

/// Red list, ordinary, or black list, by importance; black-listed customers are never due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum ListKind {
    Red,
    #[default]
    Normal,
    Black,
}

impl Enumeration for ListKind {
    const WHAT: &'static str = "list";
    const ALL: &'static [Self] = &[ListKind::Red, ListKind::Normal, ListKind::Black];
    fn id(self) -> &'static str {
        match self {
            ListKind::Red => "red",
            ListKind::Normal => "normal",
            ListKind::Black => "black",
        }
    }
    fn en(self) -> &'static str {
        match self {
            ListKind::Red => "Red list",
            ListKind::Normal => "Ordinary",
            ListKind::Black => "Black list",
        }
    }
    fn zh(self) -> &'static str {
        match self {
            ListKind::Red => "红名单",
            ListKind::Normal => "普通",
            ListKind::Black => "黑名单",
        }
    }
    fn aliases(self) -> &'static [&'static str] {
        match self {
            ListKind::Red => &["红", "红单"],
            ListKind::Normal => &["普通名单", "ordinary", "一般"],
            ListKind::Black => &["黑", "黑单"],
        }
    }
}

/// Purchase intent, the four classes of the customer's answer to "will you buy?": interested
/// (follow up fast), considering (keep talking, do not push), not now (record when; periodic
/// contact), will not buy (record why). The advice for each is in `rules/handling.toml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Intent {
    Interested,
    Considering,
    NotNow,
    WillNotBuy,
}

impl Enumeration for Intent {
    const WHAT: &'static str = "intent";
    const ALL: &'static [Self] = &[
        Intent::Interested,
        Intent::Considering,
        Intent::NotNow,
        Intent::WillNotBuy,
    ];
    fn id(self) -> &'static str {
        match self {
            Intent::Interested => "interested",
            Intent::Considering => "considering",
            Intent::NotNow => "not_now",
            Intent::WillNotBuy => "will_not_buy",
        }
    }
    fn en(self) -> &'static str {
        match self {
            Intent::Interested => "Interested",
            Intent::Considering => "Considering",
            Intent::NotNow => "Not now",
            Intent::WillNotBuy => "Will not buy",
        }
    }
    fn zh(self) -> &'static str {
        match self {
            Intent::Interested => "有购买意向",
            Intent::Considering => "考虑犹豫",
            Intent::NotNow => "暂不购买",
            Intent::WillNotBuy => "不会购买",
        }
    }
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Intent::Interested => &["有意购买", "有意向", "想买", "interested in buying"],
            Intent::Considering => &["考虑中", "犹豫", "hesitating"],
            Intent::NotNow => &["暂不", "暂时不买", "not now", "not yet", "later"],
            Intent::WillNotBuy => &["不买", "不会买", "will not buy", "won't buy", "lost"],
        }
    }
}

/// A set of trait indices into the rules' trait vocabulary (at most 256 traits).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TraitSet([u64; 4]);

impl TraitSet {
    /// The largest vocabulary a set can index.
    pub const CAPACITY: usize = 256;

    pub fn insert(&mut self, index: u16) {
        let i = usize::from(index);
        self.0[i / 64] |= 1 << (i % 64);
    }

    pub fn contains(&self, index: u16) -> bool {
        let i = usize::from(index);
        self.0[i / 64] & (1 << (i % 64)) != 0
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    /// The indices in the set, ascending.
    pub fn iter(&self) -> impl Iterator<Item = u16> + '_ {
        (0..Self::CAPACITY as u16).filter(|&i| self.contains(i))
    }
}

/// The order of items that each name a customer (a key and the customer's position), by
/// key, ties by the customer's id, then by position in `keys`: positions in `keys`. The
/// comparison is a total order, so the order is the same on any number of threads.
pub fn sort_by_key_then_id<K: Ord + Copy + Send + Sync>(
    customers: &[Customer],
    keys: impl Iterator<Item = (K, usize)>,
) -> Vec<usize> {
    use rayon::prelude::*;
    let mut keyed: Vec<(K, usize, usize)> = keys
        .enumerate()
        .map(|(item, (k, c))| (k, c, item))
        .collect();
    // In a book kept in id order (as most are), a customer's position orders as its id
    // does: a long sort then compares numbers only, instead of fetching two customers' ids
    // at random for every tie. (A short one is not worth a look at the whole book.)
    let in_id_order = keyed.len() >= crate::parallel::PARALLEL_FROM
        && customers.par_windows(2).all(|w| w[0].id < w[1].id);
    if in_id_order {
        keyed.par_sort_unstable();
    } else {
        keyed.par_sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| customers[a.1].id.cmp(&customers[b.1].id))
                .then(a.2.cmp(&b.2))
        });
    }
    keyed.into_iter().map(|(_, _, item)| item).collect()
}

/// `items` sorted as [`sort_by_key_then_id`] orders them by `key` (a key and the position
/// of the customer the item names).
pub fn sorted_by_key_then_id<T: Send, K: Ord + Copy + Send + Sync>(
    customers: &[Customer],
    items: Vec<T>,
    key: impl Fn(&T) -> (K, usize),
) -> Vec<T> {
    let order = sort_by_key_then_id(customers, items.iter().map(key));
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order
        .into_iter()
        .map(|i| slots[i].take().expect("each item once"))
        .collect()
}

/// One customer: the fields read from the book, combined with what the activity log says.
#[derive(Clone, Debug, Default)]
pub struct Customer {
    pub id: CompactString,
    pub name: CompactString,
    pub owner: CompactString,
    /// How to reach the customer and the next step planned; None when the book gives none
    /// (most generated books): five texts cost a million-customer book 120 MB inline, and
    /// are read only to be shown.
    pub details: Option<Box<Details>>,
    pub stage: Option<Stage>,
    pub grade: Option<Grade>,
    pub intent: Option<Intent>,
    /// The customer type id, as written in the book (normalised to a known id when it names one).
    pub kind: CompactString,
    pub traits: TraitSet,
    pub revenue: Option<Cents>,
    pub profit: Option<Cents>,
    pub last_contact: Option<NaiveDate>,
    pub last_order: Option<NaiveDate>,
    pub first_order: Option<NaiveDate>,
    pub sample_requested: Option<NaiveDate>,
    pub sample_received: Option<NaiveDate>,
    pub expected_purchase: Option<NaiveDate>,
    pub snooze_until: Option<NaiveDate>,
    /// The date a follow-up was agreed for ("call me back on Tuesday"): due then, whatever
    /// the cadence says, until a touch on or after it.
    pub next_contact: Option<NaiveDate>,
    pub birthday: Option<MonthDay>,
    pub list: ListKind,
    /// Gate flags, one bit per [`Flag`].
    pub flags: u16,
    /// Ratings 1–5 per [`Rating`]; 0 means not rated.
    pub ratings: [u8; Rating::ALL.len()],
    pub points: Option<i64>,
    pub order_count: u32,
    pub complaint_count: u32,
    pub contact_count: u32,
    pub order_total: Cents,
    pub order_total_12m: Cents,
    pub order_interval_days: Option<u32>,
    pub months_with_orders: u8,
    /// The date of the log's latest complaint, answered or not.
    pub last_complaint: Option<NaiveDate>,
    /// The log's latest touch: its date and row (whose note is "what we talked about last").
    pub last_touch_row: RowKey,
    /// The log's latest complaint when no touch came after it: a complaint to answer.
    pub open_complaint: RowKey,
    /// Columns the tool does not know, by index into the book's extra columns; empty cells left out.
    pub extras: Vec<(usize, Box<str>)>,
}

/// The texts a customer's listing shows but no rule reads: how to reach the customer, and
/// the next step agreed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Details {
    pub phone: CompactString,
    pub email: CompactString,
    pub contact: CompactString,
    pub address: CompactString,
    /// What the next contact is for (`plan --note`).
    pub next_step: CompactString,
    /// What is known of the customer as a person and a business (decision maker, needs,
    /// family, …), by [`ProfileField`]; None when the book gives none of it.
    pub profile: Option<Box<[CompactString; ProfileField::ALL.len()]>>,
}

impl Customer {
    /// The customer's [`Details`], made when first written to.
    pub fn details_mut(&mut self) -> &mut Details {
        self.details.get_or_insert_default()
    }

    /// One of the customer's detail texts ("" when the book gives none).
    pub fn detail(&self, pick: impl Fn(&Details) -> &CompactString) -> &str {
        self.details.as_deref().map_or("", |r| pick(r).as_str())
    }

    /// One of the customer's profile texts ("" when the book gives none).
    pub fn profile(&self, field: ProfileField) -> &str {
        self.details
            .as_deref()
            .and_then(|d| d.profile.as_deref())
            .map_or("", |p| p[field as usize].as_str())
    }

    pub fn flag(&self, flag: Flag) -> bool {
        self.flags & (1 << flag as u16) != 0
    }

    pub fn set_flag(&mut self, flag: Flag, on: bool) {
        if on {
            self.flags |= 1 << flag as u16;
        } else {
            self.flags &= !(1 << flag as u16);
        }
    }

    pub fn rating(&self, rating: Rating) -> Option<u8> {
        match self.ratings[rating as usize] {
            0 => None,
            r => Some(r),
        }
    }

    /// The value of an extra column, if the customer has one.
    pub fn extra(&self, column: usize) -> Option<&str> {
        self.extras
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, v)| &**v)
    }
}

/// A row of the activity log placed in time: its date, then its place in the log (two rows
/// of one date keep the order they were logged in), in one number that orders as they do.
/// The default, 0, is no row. The place is the row's offset in the log's text, kept to read
/// the row's note back when it is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RowKey(u64);

impl RowKey {
    /// Bits of the offset: logs up to a terabyte keep every row apart.
    const OFFSET_BITS: u32 = 40;

    pub fn new(date: NaiveDate, offset: usize) -> RowKey {
        // Days from the common era, 1 on 0001-01-01: never 0, and below 2^24 to year 45000.
        let day = u64::try_from(chrono::Datelike::num_days_from_ce(&date))
            .unwrap_or(0)
            .min((1 << 24) - 1);
        let offset = (offset as u64).min((1 << Self::OFFSET_BITS) - 1);
        RowKey((day << Self::OFFSET_BITS) | offset)
    }

    pub fn is_none(self) -> bool {
        self.0 == 0
    }

    pub fn date(self) -> Option<NaiveDate> {
        let day = i32::try_from(self.0 >> Self::OFFSET_BITS).ok()?;
        (day > 0)
            .then(|| NaiveDate::from_num_days_from_ce_opt(day))
            .flatten()
    }

    /// Where the row starts in the log's text.
    pub fn offset(self) -> Option<usize> {
        (!self.is_none()).then_some((self.0 & ((1 << Self::OFFSET_BITS) - 1)) as usize)
    }
}

/// Folds a date into a running earliest date.
pub fn earlier(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

/// Folds a date into a running latest date.
pub fn later(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

/// The next date on or after `from` that falls on the month-day `md`
/// (Feb 29 falls on Feb 28 in common years).
pub fn next_birthday(md: MonthDay, from: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    let on = |year: i32| {
        NaiveDate::from_ymd_opt(year, u32::from(md.month), u32::from(md.day))
            .or_else(|| NaiveDate::from_ymd_opt(year, u32::from(md.month), u32::from(md.day) - 1))
            .unwrap_or(from)
    };
    let this_year = on(from.year());
    if this_year >= from {
        this_year
    } else {
        on(from.year() + 1)
    }
}

/// One stage or grade change recorded in the activity log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeRow {
    pub date: NaiveDate,
    pub customer_id: String,
    pub kind: ActivityKind,
    pub note: String,
}

/// What an activity-log row records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActivityKind {
    Call,
    Visit,
    Email,
    Message,
    Order,
    SampleRequest,
    SampleReceived,
    Complaint,
    StageChange,
    GradeChange,
}

impl ActivityKind {
    /// [`Enumeration::parse`], one `match` away for the ids the tool itself writes: the
    /// kind of each of a large log's ten million rows is read with it.
    #[inline]
    pub fn parse_log(text: &str) -> Option<ActivityKind> {
        match text {
            "call" => Some(ActivityKind::Call),
            "visit" => Some(ActivityKind::Visit),
            "email" => Some(ActivityKind::Email),
            "message" => Some(ActivityKind::Message),
            "order" => Some(ActivityKind::Order),
            "sample_request" => Some(ActivityKind::SampleRequest),
            "sample_received" => Some(ActivityKind::SampleReceived),
            "complaint" => Some(ActivityKind::Complaint),
            "stage_change" => Some(ActivityKind::StageChange),
            "grade_change" => Some(ActivityKind::GradeChange),
            _ => ActivityKind::parse(text),
        }
    }

    /// A touch: the customer was in contact with us (this sets last_contact).
    pub fn is_touch(self) -> bool {
        matches!(
            self,
            ActivityKind::Call
                | ActivityKind::Visit
                | ActivityKind::Email
                | ActivityKind::Message
                | ActivityKind::Order
        )
    }
}

impl Enumeration for ActivityKind {
    const WHAT: &'static str = "kind";
    const ALL: &'static [Self] = &[
        ActivityKind::Call,
        ActivityKind::Visit,
        ActivityKind::Email,
        ActivityKind::Message,
        ActivityKind::Order,
        ActivityKind::SampleRequest,
        ActivityKind::SampleReceived,
        ActivityKind::Complaint,
        ActivityKind::StageChange,
        ActivityKind::GradeChange,
    ];
    fn id(self) -> &'static str {
        match self {
            ActivityKind::Call => "call",
            ActivityKind::Visit => "visit",
            ActivityKind::Email => "email",
            ActivityKind::Message => "message",
            ActivityKind::Order => "order",
            ActivityKind::SampleRequest => "sample_request",
            ActivityKind::SampleReceived => "sample_received",
            ActivityKind::Complaint => "complaint",
            ActivityKind::StageChange => "stage_change",
            ActivityKind::GradeChange => "grade_change",
        }
    }
    fn en(self) -> &'static str {
        match self {
            ActivityKind::Call => "Call",
            ActivityKind::Visit => "Visit",
            ActivityKind::Email => "Email",
            ActivityKind::Message => "Message",
            ActivityKind::Order => "Order",
            ActivityKind::SampleRequest => "Sample request",
            ActivityKind::SampleReceived => "Sample received",
            ActivityKind::Complaint => "Complaint",
            ActivityKind::StageChange => "Stage change",
            ActivityKind::GradeChange => "Grade change",
        }
    }
    fn zh(self) -> &'static str {
        match self {
            ActivityKind::Call => "电话",
            ActivityKind::Visit => "拜访",
            ActivityKind::Email => "邮件",
            ActivityKind::Message => "消息",
            ActivityKind::Order => "订单",
            ActivityKind::SampleRequest => "索样",
            ActivityKind::SampleReceived => "收样",
            ActivityKind::Complaint => "投诉",
            ActivityKind::StageChange => "阶段变更",
            ActivityKind::GradeChange => "等级变更",
        }
    }
    fn aliases(self) -> &'static [&'static str] {
        match self {
            ActivityKind::Call => &["phone", "打电话"],
            ActivityKind::Visit => &["meeting", "上门"],
            ActivityKind::Email => &["mail", "e-mail"],
            ActivityKind::Message => &["wechat", "微信", "短信"],
            ActivityKind::Order => &["下单"],
            ActivityKind::SampleRequest => &["sample", "样品申请"],
            ActivityKind::SampleReceived => &["样品收到"],
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activity_kinds_are_read_by_id_name_and_padding() {
        for &k in ActivityKind::ALL {
            assert_eq!(ActivityKind::parse(k.id()), Some(k));
            assert_eq!(ActivityKind::parse(&format!(" {} ", k.id())), Some(k));
        }
        assert_eq!(ActivityKind::parse("Call"), Some(ActivityKind::Call));
        assert_eq!(
            ActivityKind::parse("\u{3000}order\t"),
            Some(ActivityKind::Order)
        );
        assert_eq!(ActivityKind::parse("calls"), None);
    }

    #[test]
    fn the_logs_quick_kind_reading_reads_as_the_general_one() {
        for &k in ActivityKind::ALL {
            for text in [
                k.id(),
                k.en(),
                k.zh(),
                &k.id().to_uppercase(),
                &format!(" {} ", k.id()),
            ] {
                assert_eq!(
                    ActivityKind::parse_log(text),
                    ActivityKind::parse(text),
                    "{text}"
                );
            }
            assert_eq!(ActivityKind::parse_log(k.id()), Some(k));
        }
        assert_eq!(ActivityKind::parse_log("calls"), None);
    }

    #[test]
    fn ties_are_broken_by_the_whole_id() {
        let ids = [
            "K2",
            "K10",
            "K1",
            "0123456789abcdefB",
            "0123456789abcdefA",
            "0123456789abcdef",
            "K1\0",
        ];
        let customers: Vec<Customer> = ids
            .iter()
            .map(|id| Customer {
                id: (*id).into(),
                ..Customer::default()
            })
            .collect();
        let order = sort_by_key_then_id(&customers, (0..ids.len()).map(|i| (i % 2, i)));
        let sorted: Vec<&str> = order.iter().map(|&i| ids[i]).collect();
        assert_eq!(
            sorted,
            [
                "0123456789abcdefA",
                "K1",
                "K1\0",
                "K2",
                "0123456789abcdef",
                "0123456789abcdefB",
                "K10"
            ]
        );
    }

    /// Books of 60 000 customers (enough to sort on every core): in id order, with items
    /// naming every other customer, or all of them; out of id order; and with a duplicate id.
    /// Each against a sort on one core by (key, id, item).
    #[test]
    fn a_sort_on_every_core_is_the_sort_on_one() {
        let n = 60_000;
        let ascending: Vec<String> = (0..n).map(|i| format!("C{i:06}")).collect();
        let shuffled: Vec<String> = (0..n).map(|i| format!("C{:06}", (i * 7919) % n)).collect();
        let mut duplicate = ascending.clone();
        duplicate[30_001] = duplicate[30_000].clone();
        for (ids, step) in [
            (&ascending, 1),
            (&ascending, 2),
            (&shuffled, 1),
            (&duplicate, 1),
        ] {
            let customers: Vec<Customer> = ids
                .iter()
                .map(|id| Customer {
                    id: id.as_str().into(),
                    ..Customer::default()
                })
                .collect();
            // Few distinct keys, so most items tie on the key.
            let key = |c: usize| (c * 31 % 7) as u8;
            let items: Vec<usize> = (0..n).step_by(step).collect();
            let order = sort_by_key_then_id(&customers, items.iter().map(|&c| (key(c), c)));
            let mut want: Vec<usize> = (0..items.len()).collect();
            want.sort_by_key(|&k| (key(items[k]), ids[items[k]].as_str(), k));
            assert_eq!(order, want, "step {step}");
        }
    }
}

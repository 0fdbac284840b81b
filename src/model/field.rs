//! The registry of customer fields: names, types, where they come from, and header aliases.

/// What kind of value a field holds; the condition language type-checks against it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    Str,
    Stage,
    Grade,
    List,
    Traits,
    Money,
    Date,
    MonthDay,
    Bool,
    Int,
}

impl FieldType {
    pub fn name(self) -> &'static str {
        match self {
            FieldType::Str => "string",
            FieldType::Stage => "stage",
            FieldType::Grade => "grade",
            FieldType::List => "list",
            FieldType::Traits => "traits",
            FieldType::Money => "money",
            FieldType::Date => "date",
            FieldType::MonthDay => "month-day",
            FieldType::Bool => "bool",
            FieldType::Int => "int",
        }
    }
}

/// The boolean flags the stage gates read (price agreed, contract sent, payment started, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Flag {
    TrialStarted,
    NeedsConfirmed,
    PriceConfirmed,
    PriceAgreed,
    ScopeAgreed,
    ContractSent,
    ContractReturned,
    PaymentStarted,
    ContractSigned,
}

impl Flag {
    pub const ALL: [Flag; 9] = [
        Flag::TrialStarted,
        Flag::NeedsConfirmed,
        Flag::PriceConfirmed,
        Flag::PriceAgreed,
        Flag::ScopeAgreed,
        Flag::ContractSent,
        Flag::ContractReturned,
        Flag::PaymentStarted,
        Flag::ContractSigned,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Flag::TrialStarted => "trial_started",
            Flag::NeedsConfirmed => "needs_confirmed",
            Flag::PriceConfirmed => "price_confirmed",
            Flag::PriceAgreed => "price_agreed",
            Flag::ScopeAgreed => "scope_agreed",
            Flag::ContractSent => "contract_sent",
            Flag::ContractReturned => "contract_returned",
            Flag::PaymentStarted => "payment_started",
            Flag::ContractSigned => "contract_signed",
        }
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            Flag::TrialStarted => &["开始试用", "试用中"],
            Flag::NeedsConfirmed => &["需求确认", "需求已确认"],
            Flag::PriceConfirmed => &["价格确认", "价格已确认"],
            Flag::PriceAgreed => &["价格谈妥", "价格已谈妥"],
            Flag::ScopeAgreed => &["范围谈妥", "范围已确定"],
            Flag::ContractSent => &["合同已发", "已发合同"],
            Flag::ContractReturned => &["合同已回", "合同已返回"],
            Flag::PaymentStarted => &["已付款", "开始付款"],
            Flag::ContractSigned => &["合同已签", "已签合同"],
        }
    }
}

/// The 1–5 ratings behind the key-customer score (its ten criteria) and the service tiers
/// (loyalty, spending, credit).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rating {
    Margin,
    Continuity,
    Payment,
    Fit,
    Growth,
    Loyalty,
    Culture,
    Strength,
    Influence,
    LongTerm,
    Spending,
    Credit,
}

impl Rating {
    pub const ALL: [Rating; 12] = [
        Rating::Margin,
        Rating::Continuity,
        Rating::Payment,
        Rating::Fit,
        Rating::Growth,
        Rating::Loyalty,
        Rating::Culture,
        Rating::Strength,
        Rating::Influence,
        Rating::LongTerm,
        Rating::Spending,
        Rating::Credit,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Rating::Margin => "margin",
            Rating::Continuity => "continuity",
            Rating::Payment => "payment",
            Rating::Fit => "fit",
            Rating::Growth => "growth",
            Rating::Loyalty => "loyalty",
            Rating::Culture => "culture",
            Rating::Strength => "strength",
            Rating::Influence => "influence",
            Rating::LongTerm => "long_term",
            Rating::Spending => "spending",
            Rating::Credit => "credit",
        }
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            Rating::Margin => &["利润率"],
            Rating::Continuity => &["连续性", "订单连续性"],
            Rating::Payment => &["付款", "付款条件"],
            Rating::Fit => &["匹配度"],
            Rating::Growth => &["成长性"],
            Rating::Loyalty => &["忠诚度"],
            Rating::Culture => &["文化认同"],
            Rating::Strength => &["实力"],
            Rating::Influence => &["影响力"],
            Rating::LongTerm => &["长期合作"],
            Rating::Spending => &["消费"],
            Rating::Credit => &["信用"],
        }
    }
}

/// What to record about a customer beyond the business figures: who decides, the person
/// (gender, personality), what they need and what is open, and their background; and why a
/// customer will not buy. Texts, shown by `show` under their own headings and written back
/// untouched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProfileField {
    DecisionMaker,
    Gender,
    Personality,
    Needs,
    OpenMatters,
    Family,
    Education,
    Background,
    Interests,
    Lifestyle,
    IntentReason,
}

impl ProfileField {
    pub const ALL: [ProfileField; 11] = [
        ProfileField::DecisionMaker,
        ProfileField::Gender,
        ProfileField::Personality,
        ProfileField::Needs,
        ProfileField::OpenMatters,
        ProfileField::Family,
        ProfileField::Education,
        ProfileField::Background,
        ProfileField::Interests,
        ProfileField::Lifestyle,
        ProfileField::IntentReason,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ProfileField::DecisionMaker => "decision_maker",
            ProfileField::Gender => "gender",
            ProfileField::Personality => "personality",
            ProfileField::Needs => "needs",
            ProfileField::OpenMatters => "open_matters",
            ProfileField::Family => "family",
            ProfileField::Education => "education",
            ProfileField::Background => "background",
            ProfileField::Interests => "interests",
            ProfileField::Lifestyle => "lifestyle",
            ProfileField::IntentReason => "intent_reason",
        }
    }

    /// The label `show` gives it: English, Chinese.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            ProfileField::DecisionMaker => ("decision maker", "决策人"),
            ProfileField::Gender => ("gender", "性别"),
            ProfileField::Personality => ("personality", "性格"),
            ProfileField::Needs => ("needs", "客户需求"),
            ProfileField::OpenMatters => ("open matters", "待处理事宜"),
            ProfileField::Family => ("family", "家庭情况"),
            ProfileField::Education => ("education", "教育背景"),
            ProfileField::Background => ("business background", "业务背景"),
            ProfileField::Interests => ("interests", "兴趣爱好"),
            ProfileField::Lifestyle => ("lifestyle", "生活方式"),
            ProfileField::IntentReason => ("why not buying", "不购买原因"),
        }
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            ProfileField::DecisionMaker => &[
                "决策人",
                "决策者",
                "拍板人",
                "有决定权",
                "decision maker",
                "decider",
            ],
            ProfileField::Gender => &["性别", "sex"],
            ProfileField::Personality => &["性格", "个性", "性格特点"],
            ProfileField::Needs => &["需求", "客户需求", "需要", "need"],
            ProfileField::OpenMatters => &[
                "待处理事宜",
                "待办事宜",
                "需处理事宜",
                "未决事项",
                "open matters",
                "open issues",
            ],
            ProfileField::Family => &["家庭", "家庭情况", "家庭成员"],
            ProfileField::Education => &["教育", "教育背景", "学历"],
            ProfileField::Background => {
                &["业务背景", "从业背景", "工作背景", "business background"]
            }
            ProfileField::Interests => &["兴趣", "爱好", "兴趣爱好", "特殊兴趣", "hobbies"],
            ProfileField::Lifestyle => &["生活方式", "生活习惯", "life style"],
            ProfileField::IntentReason => &[
                "不购买原因",
                "不买原因",
                "拒绝原因",
                "流失原因",
                "lost reason",
                "reason lost",
            ],
        }
    }
}

/// Every field a customer has, stored in the book or derived from the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Id,
    Name,
    Owner,
    Phone,
    Email,
    /// The person to talk to at the customer.
    Contact,
    Address,
    Stage,
    Grade,
    Type,
    Traits,
    Revenue,
    Profit,
    LastContact,
    LastOrder,
    FirstOrder,
    SampleRequested,
    SampleReceived,
    ExpectedPurchase,
    SnoozeUntil,
    /// The date a follow-up was agreed for (`plan`).
    NextContact,
    /// What that follow-up is for.
    NextStep,
    Birthday,
    List,
    /// Purchase intent ([`super::Intent`]).
    Intent,
    Profile(ProfileField),
    Flag(Flag),
    Rating(Rating),
    Points,
    OrderCount,
    ComplaintCount,
    ContactCount,
    OrderTotal,
    OrderTotal12m,
    OrderIntervalDays,
    MonthsWithOrders,
    LastComplaint,
}

impl Field {
    /// The fields a book may hold as columns, in the order a new book lists them.
    pub const STORED: [Field; 25] = [
        Field::Id,
        Field::Name,
        Field::Owner,
        Field::Phone,
        Field::Email,
        Field::Contact,
        Field::Address,
        Field::Stage,
        Field::Grade,
        Field::Type,
        Field::Traits,
        Field::Revenue,
        Field::Profit,
        Field::LastContact,
        Field::LastOrder,
        Field::FirstOrder,
        Field::SampleRequested,
        Field::SampleReceived,
        Field::ExpectedPurchase,
        Field::SnoozeUntil,
        Field::NextContact,
        Field::NextStep,
        Field::Birthday,
        Field::List,
        Field::Intent,
    ];

    /// Fields only the activity log provides.
    pub const DERIVED: [Field; 8] = [
        Field::OrderCount,
        Field::ComplaintCount,
        Field::ContactCount,
        Field::OrderTotal,
        Field::OrderTotal12m,
        Field::OrderIntervalDays,
        Field::MonthsWithOrders,
        Field::LastComplaint,
    ];

    /// Every field, stored and derived.
    pub fn all() -> impl Iterator<Item = Field> {
        Field::STORED
            .into_iter()
            .chain(Flag::ALL.into_iter().map(Field::Flag))
            .chain(Rating::ALL.into_iter().map(Field::Rating))
            .chain(std::iter::once(Field::Points))
            .chain(ProfileField::ALL.into_iter().map(Field::Profile))
            .chain(Field::DERIVED)
    }

    /// The snake_case name used in rules, headers and machine output.
    pub fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Name => "name",
            Field::Owner => "owner",
            Field::Phone => "phone",
            Field::Email => "email",
            Field::Contact => "contact",
            Field::Address => "address",
            Field::Stage => "stage",
            Field::Grade => "grade",
            Field::Type => "type",
            Field::Traits => "traits",
            Field::Revenue => "revenue",
            Field::Profit => "profit",
            Field::LastContact => "last_contact",
            Field::LastOrder => "last_order",
            Field::FirstOrder => "first_order",
            Field::SampleRequested => "sample_requested",
            Field::SampleReceived => "sample_received",
            Field::ExpectedPurchase => "expected_purchase",
            Field::SnoozeUntil => "snooze_until",
            Field::NextContact => "next_contact",
            Field::NextStep => "next_step",
            Field::Birthday => "birthday",
            Field::List => "list",
            Field::Intent => "intent",
            Field::Profile(p) => p.name(),
            Field::Flag(f) => f.name(),
            Field::Rating(r) => r.name(),
            Field::Points => "points",
            Field::OrderCount => "order_count",
            Field::ComplaintCount => "complaint_count",
            Field::ContactCount => "contact_count",
            Field::OrderTotal => "order_total",
            Field::OrderTotal12m => "order_total_12m",
            Field::OrderIntervalDays => "order_interval_days",
            Field::MonthsWithOrders => "months_with_orders",
            Field::LastComplaint => "last_complaint",
        }
    }

    pub fn ty(self) -> FieldType {
        match self {
            Field::Id
            | Field::Name
            | Field::Owner
            | Field::Phone
            | Field::Email
            | Field::Contact
            | Field::Address
            | Field::NextStep
            | Field::Intent
            | Field::Profile(_)
            | Field::Type => FieldType::Str,
            Field::Stage => FieldType::Stage,
            Field::Grade => FieldType::Grade,
            Field::List => FieldType::List,
            Field::Traits => FieldType::Traits,
            Field::Revenue | Field::Profit | Field::OrderTotal | Field::OrderTotal12m => {
                FieldType::Money
            }
            Field::LastContact
            | Field::LastOrder
            | Field::FirstOrder
            | Field::SampleRequested
            | Field::SampleReceived
            | Field::ExpectedPurchase
            | Field::SnoozeUntil
            | Field::NextContact
            | Field::LastComplaint => FieldType::Date,
            Field::Birthday => FieldType::MonthDay,
            Field::Flag(_) => FieldType::Bool,
            Field::Rating(_)
            | Field::Points
            | Field::OrderCount
            | Field::ComplaintCount
            | Field::ContactCount
            | Field::OrderIntervalDays
            | Field::MonthsWithOrders => FieldType::Int,
        }
    }

    /// True for fields the book can hold as a column (derived counters cannot).
    pub fn is_stored(self) -> bool {
        !Field::DERIVED.contains(&self)
    }

    /// Built-in header aliases, Chinese and English, besides the field's own name: the words
    /// sales sheets use for each field. Matched as headers are (see `model::header`): case,
    /// full-width forms, spaces and a unit in brackets do not matter.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Id => &[
                "客户编号",
                "编号",
                "客户id",
                "客户代码",
                "客户编码",
                "客户号",
                "客户代号",
                "customer_id",
                "customer id",
                "customer no",
                "customer number",
                "customer code",
            ],
            Field::Name => &[
                "客户名称",
                "名称",
                "客户",
                "客户名",
                "客户全称",
                "公司名称",
                "公司",
                "公司全称",
                "企业名称",
                "单位名称",
                "customer",
                "customer name",
                "company",
                "company name",
            ],
            Field::Owner => &[
                "负责人",
                "业务员",
                "销售",
                "销售员",
                "销售人员",
                "销售代表",
                "跟进人",
                "跟进销售",
                "客户经理",
                "业务经理",
                "所属销售",
                "归属人",
                "rep",
                "sales rep",
                "salesperson",
                "account manager",
                "owner",
            ],
            Field::Phone => &[
                "电话",
                "手机",
                "手机号",
                "手机号码",
                "联系电话",
                "电话号码",
                "联系方式",
                "座机",
                "tel",
                "telephone",
                "mobile",
                "phone number",
            ],
            Field::Email => &["邮箱", "电子邮件", "电子邮箱", "邮件", "e-mail", "mail"],
            Field::Contact => &[
                "联系人",
                "联系人姓名",
                "对接人",
                "客户联系人",
                "contact person",
                "contact name",
            ],
            Field::Address => &["地址", "联系地址", "公司地址", "详细地址", "所在地", "addr"],
            Field::Stage => &[
                "阶段",
                "客户阶段",
                "销售阶段",
                "跟进阶段",
                "lifecycle",
                "stage",
            ],
            Field::Grade => &[
                "等级",
                "级别",
                "客户等级",
                "客户级别",
                "跟进等级",
                "客户分级",
                "分级",
            ],
            Field::Type => &["类型", "客户类型", "客户类别", "kind", "customer type"],
            Field::Traits => &[
                "特征",
                "标签",
                "特点",
                "客户特征",
                "客户标签",
                "tags",
                "tag",
            ],
            Field::Revenue => &[
                "销售额",
                "营业额",
                "金额",
                "年销售额",
                "年营业额",
                "成交金额",
                "成交额",
                "销售金额",
                "累计销售额",
                "销售收入",
                "收入",
                "交易额",
                "sales",
                "turnover",
                "amount",
            ],
            Field::Profit => &["利润", "毛利", "毛利润", "利润额", "毛利额", "gross profit"],
            Field::LastContact => &[
                "最后联系",
                "上次联系",
                "最后联系日期",
                "上次联系日期",
                "最后联系时间",
                "上次联系时间",
                "最近联系",
                "最近联系日期",
                "最近联系时间",
                "最近跟进",
                "最近跟进日期",
                "最近跟进时间",
                "最后跟进",
                "最后跟进日期",
                "上次跟进",
                "上次跟进日期",
                "上次拜访",
                "上次拜访日期",
                "最近拜访",
                "最近拜访日期",
                "last contact",
                "last contacted",
                "last contact date",
            ],
            Field::LastOrder => &[
                "上次下单",
                "最后下单",
                "上次下单日期",
                "最后下单日期",
                "最近下单",
                "最近下单日期",
                "最近订单",
                "最近订单日期",
                "最后订单日期",
                "上次订单日期",
                "last order",
                "last order date",
            ],
            Field::FirstOrder => &[
                "首次下单",
                "首单日期",
                "首次下单日期",
                "首次订单日期",
                "第一次下单",
                "first order",
                "first order date",
            ],
            Field::SampleRequested => &["索样日期", "索样时间", "样品申请", "申请样品", "索样"],
            Field::SampleReceived => &["收样日期", "收样时间", "样品收到", "收到样品", "收样"],
            Field::ExpectedPurchase => &[
                "预计采购",
                "预计购买",
                "预计采购日期",
                "预计采购时间",
                "预计下单",
                "预计下单日期",
                "expected purchase",
            ],
            Field::SnoozeUntil => &["暂停至", "暂缓至", "勿扰至", "snooze"],
            Field::NextContact => &[
                "下次联系",
                "下次联系日期",
                "下次联系时间",
                "下次跟进",
                "下次跟进日期",
                "下次跟进时间",
                "计划联系",
                "计划联系日期",
                "约定回访",
                "回访日期",
                "next contact",
                "next contact date",
                "call back",
            ],
            Field::NextStep => &[
                "下次联系事项",
                "下一步",
                "下步计划",
                "跟进计划",
                "计划事项",
                "待办",
                "next steps",
                "to do",
            ],
            Field::Birthday => &["生日", "出生日期", "生日日期", "date of birth"],
            Field::List => &["名单", "名单类型", "红黑名单"],
            Field::Intent => &[
                "购买意向",
                "意向",
                "采购意向",
                "意向分类",
                "purchase intent",
                "buying intent",
            ],
            Field::Profile(p) => p.aliases(),
            Field::Flag(f) => f.aliases(),
            Field::Rating(r) => r.aliases(),
            Field::Points => &["积分", "客户积分"],
            _ => &[],
        }
    }

    /// Finds a field by its name or one of its aliases, as headers are matched (see
    /// [`super::header::key`]).
    pub fn lookup(header: &str) -> Option<Field> {
        super::header::field_of_key(&super::header::key(header))
    }

    /// Finds a field by its exact snake_case name (the condition language's identifiers).
    pub fn by_name(name: &str) -> Option<Field> {
        Field::all().find(|f| f.name() == name)
    }
}

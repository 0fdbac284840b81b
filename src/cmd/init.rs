//! `clientele init [DIR]`: a new workspace — clientele.toml, the rule files to edit, and a
//! small sample book and log (dated relative to today) that every command can run on.

use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};

use super::context::with_stdout;
use crate::error::{Error, Result, display_path};
use crate::model::messages::Msg;
use crate::rules::EMBEDDED;

const CONFIG: &str = r#"# clientele workspace: every key is optional (the README's "The files" explains each).
customers  = "customers.csv"   # a CSV file, a TOML file of [[customer]] tables, or a folder of *.toml
activities = "activities.csv"  # the activity log, appended by `clientele log`
rules      = "rules"           # rule files; one missing here falls back to the built-in default
# lang       = "zh"            # labels in tables: "en" or "zh" (default: from LANG)
# utc_offset = "+08:00"        # what "today" means when cron runs on a UTC server

[columns]                      # map your own headers to clientele's fields
# id = "客户编号"
# last_contact = "上次拜访"

[calendar]
weekend = ["sat", "sun"]       # due dates on these days move to the next working day
# holidays = "rules/holidays.toml"
"#;

/// The sample book: `{N}` stands for the date N days before today.
const CUSTOMERS: &str = "\
id,name,owner,stage,grade,type,traits,revenue,profit,last_contact,last_order,sample_requested,sample_received,birthday,list,phone,payment,loyalty
C001,华星贸易有限公司,王芳,formal,A,rational,principled;compares_suppliers,\"1,280,000.00\",256000.00,{24},{31},,,03-15,red,021-5550-1001,5,5
C002,Blue River Foods,Li Wei,formal,A,owner,business_owner;price_first,860000.00,154800.00,{60},{95},,,,normal,,4,4
C003,宁波海港物流,王芳,trial,B,credit_seeker,rising_star;quality_first,,,{3},,{4},,11-02,normal,,,
C004,Summit Electronics,Li Wei,intent,B,task,delegated_task;good_enough,,,{6},,{20},{9},,normal,,,
C005,德隆机械,张伟,intent,C,greedy,presses_price;demands_quality,45000.00,6750.00,{64},,,,,normal,,2,2
C006,Oakline Textiles,张伟,potential,D,stingy,haggles_to_zero;no_loyalty,,,{95},,,,,normal,,,
C007,远山包装,王芳,potential,E,composite,,,,{190},,,,,normal,,,
C008,Novapoint Retail Group,Li Wei,potential,D,,,,,,,,,,normal,,,
C009,金石化工,张伟,quasi,C,difficult,fake_urgency;fault_finding,98000.00,-4900.00,{75},,,,,black,,1,1
C010,Apex Hardware,王芳,quasi,C,relationship,friend;referral,152000.00,30400.00,{58},{120},,,07-21,normal,,4,3
";

/// The sample log: (days before today, customer, kind, amount, note).
const ACTIVITIES: &[(u64, &str, &str, &str, &str)] = &[
    (241, "C001", "order", "98000.00", "PO 1001"),
    (211, "C001", "order", "101500.00", "PO 1002"),
    (180, "C001", "order", "99800.00", "PO 1003"),
    (152, "C001", "order", "104000.00", "PO 1004"),
    (121, "C001", "order", "97600.00", "PO 1005"),
    (92, "C001", "order", "102300.00", "PO 1006"),
    (62, "C001", "order", "100900.00", "PO 1007"),
    (31, "C001", "order", "103200.00", "PO 1008"),
    (24, "C001", "visit", "", "quarterly review"),
    (370, "C002", "order", "210000.00", "annual contract"),
    (280, "C002", "order", "190000.00", "top-up"),
    (185, "C002", "order", "220000.00", "PO 77"),
    (95, "C002", "order", "240000.00", "PO 81"),
    (60, "C002", "call", "", "price check for next order"),
    (4, "C003", "sample_request", "", "3 colour samples"),
    (3, "C003", "call", "", "confirmed delivery address"),
    (20, "C004", "sample_request", "", "new spec sample"),
    (9, "C004", "sample_received", "", "received, testing"),
    (6, "C004", "email", "", "sent test protocol"),
    (64, "C005", "visit", "", "met purchasing"),
    (40, "C005", "complaint", "", "asked for a lower price again"),
    (95, "C006", "call", "", "price comparison"),
    (190, "C007", "email", "", "sent catalogue"),
    (75, "C009", "call", "", "claims urgency, no documents"),
    (120, "C010", "order", "152000.00", "first order"),
    (58, "C010", "visit", "", "lunch with the owner"),
];

/// `init`'s own options.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Where to create the workspace
    #[arg(value_name = "DIR", default_value = ".")]
    pub target: PathBuf,
}

/// What `init` leaves in `.gitignore`: clientele's private folder, which holds the lock it
/// takes while it writes and the journal of a change being written.
const GITIGNORE: &str =
    "# clientele's own folder: its lock, and the journal of a change being written\n.clientele/\n";

/// What `init` leaves in `.gitattributes`: the log merged by union, so that two people who
/// log on two clones merge without a conflict (each keeps both sides' rows; the log is in no
/// particular order).
const GITATTRIBUTES: &str = "# the activity log is append-only and in no particular order: two clones that both logged\n# merge by keeping both sides' rows, without a conflict\nactivities.csv merge=union\n";

/// The names a book already in the folder may have, in the order they are looked for.
const BOOKS: [&str; 6] = [
    "customers.csv",
    "customers.toml",
    "customers",
    "customers.xlsx",
    "customers.xls",
    "customers.ods",
];

pub fn run(args: &InitArgs, today: Option<NaiveDate>) -> Result<u8> {
    let today = today.unwrap_or_else(|| chrono::Local::now().date_naive());
    let dir = &args.target;
    // A folder that already holds a book: the workspace is made around it.
    let book = BOOKS.iter().map(|name| dir.join(name)).find(|p| p.exists());
    let mut files: Vec<(PathBuf, String)> = vec![(
        dir.join(crate::workspace::CONFIG_FILE),
        config(book.as_deref()),
    )];
    for (name, text) in EMBEDDED {
        files.push((
            dir.join("rules").join(format!("{name}.toml")),
            text.to_string(),
        ));
    }
    files.push((dir.join(".gitignore"), GITIGNORE.to_string()));
    files.push((dir.join(".gitattributes"), GITATTRIBUTES.to_string()));
    if book.is_none() {
        files.push((dir.join("customers.csv"), sample_customers(today)));
        if !dir.join("activities.csv").exists() {
            files.push((dir.join("activities.csv"), sample_activities(today)));
        }
    }
    // What is there already is kept, never overwritten.
    let (kept, created): (Vec<_>, Vec<_>) = files.into_iter().partition(|(p, _)| p.exists());
    let mut kept: Vec<PathBuf> = kept.into_iter().map(|(p, _)| p).collect();
    kept.extend(book.clone());
    kept.extend(Some(dir.join("activities.csv")).filter(|p| book.is_some() && p.exists()));
    for (path, text) in &created {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        write_new(path, text)?;
    }
    with_stdout(|out| {
        let dir = display_path(dir);
        writeln!(out, "{}", Msg::InitCreated { dir: &dir })?;
        for (path, _) in &created {
            writeln!(out, "  {}", display_path(path))?;
        }
        if !kept.is_empty() {
            writeln!(out, "{}", Msg::InitKept)?;
            for path in &kept {
                writeln!(out, "  {}", display_path(path))?;
            }
        }
        writeln!(out, "{}", Msg::InitTry { dir: &dir })
    })?;
    Ok(0)
}

/// The `clientele.toml` init writes: naming the book the folder holds, in Chinese when that
/// book's headers are.
fn config(book: Option<&Path>) -> String {
    let Some(book) = book else {
        return CONFIG.to_string();
    };
    let name = book
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut text = CONFIG.replace(
        "customers  = \"customers.csv\"   #",
        &format!(
            "customers  = \"{name}\"{} #",
            " ".repeat(15usize.saturating_sub(name.len()))
        ),
    );
    let chinese = crate::store::read_text(book, None)
        .ok()
        .and_then(|t| {
            t.text
                .lines()
                .find(|l| !l.trim().is_empty())
                .map(str::to_string)
        })
        .is_some_and(|header| {
            let cells: Vec<String> = header.split([',', ';', '\t']).map(str::to_string).collect();
            crate::store::style::chinese(&cells)
        });
    if chinese {
        text = text.replace("# lang       = \"zh\"  ", "lang       = \"zh\"    ");
    }
    text
}

/// Creates a file that must not exist yet.
fn write_new(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    f.write_all(text.as_bytes()).map_err(|e| Error::io(path, e))
}

fn days_before(today: NaiveDate, n: u64) -> String {
    crate::model::value::iso(today - Days::new(n))
}

fn sample_customers(today: NaiveDate) -> String {
    let mut out = String::with_capacity(CUSTOMERS.len());
    let mut rest = CUSTOMERS;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |i| open + i);
        let n: u64 = rest[open + 1..close].parse().unwrap_or(0);
        out.push_str(&days_before(today, n));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

fn sample_activities(today: NaiveDate) -> String {
    let mut rows: Vec<_> = ACTIVITIES.iter().collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.0));
    let mut out = String::from("date,customer_id,kind,amount,note\n");
    for (n, id, kind, amount, note) in rows {
        out.push_str(&format!(
            "{},{id},{kind},{amount},{note}\n",
            days_before(today, *n)
        ));
    }
    out
}

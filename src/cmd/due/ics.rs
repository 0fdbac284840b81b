//! `due --format ics`: one all-day VTODO per entry (RFC 5545), with a UID stable across runs
//! (customer id + rule + date) so a calendar re-import updates instead of duplicating.

use chrono::NaiveDate;

use super::engine::DueEntry;
use super::{Say, reason};
use crate::model::Lang;
use crate::store::Book;

/// Escapes TEXT values (RFC 5545 §3.3.11): `\\`, `\;`, `\,`, and a line break (LF,
/// CRLF or a CR alone) as `\n`, so that no value can end its content line and start a
/// property of its own. TEXT holds no control character but the tab: every other is shown
/// by its stand-in (`crate::visible`), as in a table.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            c => crate::visible::push(&mut out, c),
        }
    }
    out
}

/// Folds a content line at 75 octets without splitting a UTF-8 character (RFC 5545 §3.1).
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// A UID part made of safe characters: others percent-encoded byte by byte, so distinct ids
/// (京001, 沪001) keep distinct UIDs.
fn uid_part(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// The UID: customer, rule and date; a first contact has no date of its own (it is due
/// every day until made), so its UID leaves the date out and a re-import updates it.
fn uid(c: &crate::model::Customer, e: &DueEntry) -> String {
    match e.why {
        super::engine::Why::NeverContacted => {
            format!("UID:{}-{}@clientele", uid_part(&c.id), e.why.slug())
        }
        _ => format!(
            "UID:{}-{}-{}@clientele",
            uid_part(&c.id),
            e.why.slug(),
            date(e.due)
        ),
    }
}

pub fn calendar(entries: &[DueEntry], book: &Book, say: &Say<'_>, today: NaiveDate) -> String {
    let (rules, lang) = (say.rules, say.lang);
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//clientele//due//EN",
        "CALSCALE:GREGORIAN",
    ] {
        fold(line, &mut out);
    }
    for e in entries {
        let c = &book.customers[e.customer];
        let why: Vec<String> = e
            .reasons()
            .map(|(_, w)| reason(w, e.grade, c, say))
            .collect();
        let why = why.join(if lang == Lang::Zh { "；" } else { "; " });
        let summary = match lang {
            Lang::En => format!(
                "Follow up {} ({why})",
                if c.name.is_empty() { &c.id } else { &c.name }
            ),
            Lang::Zh => format!(
                "跟进 {}（{why}）",
                if c.name.is_empty() { &c.id } else { &c.name }
            ),
        };
        let mut description = format!("{}: {}", c.id, why);
        if let Some(s) = rules.strategy(&c.kind, lang) {
            description.push('\n');
            description.push_str(s);
        }
        let lines = [
            "BEGIN:VTODO".to_string(),
            uid(c, e),
            format!("DTSTAMP:{}T000000Z", date(today)),
            format!("DTSTART;VALUE=DATE:{}", date(e.due)),
            format!("DUE;VALUE=DATE:{}", date(e.due.succ_opt().unwrap_or(e.due))),
            format!("SUMMARY:{}", escape(&summary)),
            format!("DESCRIPTION:{}", escape(&description)),
            format!("CATEGORIES:{}", e.grade_id()),
            "STATUS:NEEDS-ACTION".to_string(),
            "END:VTODO".to_string(),
        ];
        for line in &lines {
            fold(line, &mut out);
        }
    }
    fold("END:VCALENDAR", &mut out);
    out
}

impl DueEntry {
    fn grade_id(&self) -> &'static str {
        crate::model::Enumeration::id(self.grade)
    }
}

//! The calendar (`due --format ics`): a value never starts a property of its own (RFC
//! 5545's TEXT escapes, every kind of line break as `\n`), holds no control character but
//! the tab, and its lines fold at 75 octets without cutting a character.

use crate::util::Workspace;

/// The properties `due --format ics` writes; any other line would have come from the data.
const ICS_PROPERTIES: [&str; 13] = [
    "BEGIN",
    "END",
    "VERSION",
    "PRODID",
    "CALSCALE",
    "UID",
    "DTSTAMP",
    "DTSTART",
    "DUE",
    "SUMMARY",
    "DESCRIPTION",
    "CATEGORIES",
    "STATUS",
];

/// The content lines of a calendar, unfolded, after checking its folding (RFC 5545 §3.1):
/// every line ends in CRLF, holds no other CR or LF and at most 75 octets, and a line
/// folded is as long as it can be: the next character would not have fitted.
fn unfolded(ics: &str) -> Vec<String> {
    assert!(ics.ends_with("\r\n"), "the calendar ends with CRLF");
    let physical: Vec<&str> = ics[..ics.len() - 2].split("\r\n").collect();
    let mut lines: Vec<String> = Vec::new();
    for (k, line) in physical.iter().enumerate() {
        assert!(!line.contains(['\r', '\n']), "a bare line end in {line:?}");
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        if let Some(next) = physical.get(k + 1).and_then(|l| l.strip_prefix(' ')) {
            let first = next.chars().next().expect("a continuation holds something");
            assert!(
                line.len() + first.len_utf8() > 75,
                "folded early: {line:?} ({} octets) before {first:?}",
                line.len()
            );
        }
        match line.strip_prefix(' ') {
            Some(rest) => lines.last_mut().expect("a line to continue").push_str(rest),
            None => lines.push(line.to_string()),
        }
    }
    lines
}

/// A TEXT value unescaped as RFC 5545 §3.3.11 reads it (`\\`, `\;`, `\,`, `\n`); panics on
/// anything else after a backslash, or an unescaped `;` or `,`.
fn ics_text(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\\') => out.push('\\'),
                Some(';') => out.push(';'),
                Some(',') => out.push(','),
                Some('n' | 'N') => out.push('\n'),
                other => panic!("bad escape \\{other:?} in {value:?}"),
            },
            ';' | ',' => panic!("unescaped {c:?} in {value:?}"),
            c => out.push(c),
        }
    }
    out
}

/// Names, a planned call's note and a complaint's note full of line breaks of every kind
/// (LF, CRLF, a CR alone), `;`, `,`, `\` and whole lines that would start a new component
/// or add an attendee: every content line of the calendar is one of its own properties,
/// components open and close in order, and each value reads back as the data (line breaks
/// as `\n`). Long Chinese names fold at 75 octets, never inside a character.
#[test]
fn a_calendar_value_never_starts_a_property_of_its_own() {
    let ws = Workspace::new()
        .file("clientele.toml", "[calendar]\nweekend = []\n")
        .file(
            "customers.csv",
            "id,name,grade,last_contact,next_contact,next_step\n\
             C1,\"a\rb\nc\r\nd;e,f\\g\r\nBEGIN:VEVENT\r\nATTENDEE:mailto:x@example.com\",C,\
             2026-11-01,2026-11-22,\"call\r\nEND:VTODO\r\nBEGIN:VTODO; back, \\n\"\n\
             C2,上海联合包装材料有限公司华东区销售服务中心第一分部采购部门负责人办公室,D,\
             2026-08-01,,\n\
             C3,X上海联合包装材料有限公司华东区销售服务中心第一分部采购部门负责人办公室,D,\
             2026-08-01,,\n",
        )
        .file(
            "activities.csv",
            "date,customer_id,kind,amount,note\n\
             2026-11-20,C1,complaint,,\"late\nDESCRIPTION:x\r\nEND:VCALENDAR\"\n",
        );
    let out = ws.run(["due", "--format", "ics"]);
    out.stderr("").code(0);
    let ics = out.stdout_text();
    let lines = unfolded(&ics);

    let mut open: Vec<&str> = Vec::new();
    for line in &lines {
        let (name, value) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("not a property: {line:?}"));
        let name = name.split(';').next().expect("a name");
        assert!(
            ICS_PROPERTIES.contains(&name),
            "a property from the data: {line:?}"
        );
        match name {
            "BEGIN" => open.push(value),
            "END" => assert_eq!(open.pop(), Some(value), "{line:?} closes nothing open"),
            _ => assert!(!open.is_empty(), "{line:?} outside a component"),
        }
    }
    assert!(open.is_empty(), "left open: {open:?}");
    let components: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("BEGIN:"))
        .collect();
    assert_eq!(components, ["VCALENDAR", "VTODO", "VTODO", "VTODO"]);

    let values = |name: &str| -> Vec<String> {
        lines
            .iter()
            .filter_map(|l| l.strip_prefix(name))
            .map(ics_text)
            .collect()
    };
    assert_eq!(
        values("SUMMARY:"),
        [
            "Follow up a\nb\nc\nd;e,f\\g\nBEGIN:VEVENT\nATTENDEE:mailto:x@example.com \
             (complaint of 2026-11-20: late\nDESCRIPTION:x\nEND:VCALENDAR; \
             planned 2026-11-22: call\nEND:VTODO\nBEGIN:VTODO; back, \\n)",
            "Follow up 上海联合包装材料有限公司华东区销售服务中心第一分部采购部门负责人办公室 \
             (D every 3 months)",
            "Follow up X上海联合包装材料有限公司华东区销售服务中心第一分部采购部门负责人办公室 \
             (D every 3 months)",
        ]
    );
    assert_eq!(
        values("DESCRIPTION:"),
        [
            "C1: complaint of 2026-11-20: late\nDESCRIPTION:x\nEND:VCALENDAR; \
             planned 2026-11-22: call\nEND:VTODO\nBEGIN:VTODO; back, \\n",
            "C2: D every 3 months",
            "C3: D every 3 months",
        ]
    );
    // The escapes as written: RFC 5545's, and nothing else.
    assert!(ics.contains(
        "SUMMARY:Follow up a\\nb\\nc\\nd\\;e\\,f\\\\g\\nBEGIN:VEVENT\\nATTENDEE:mailto:x@exam\r\n"
    ));
    // The Chinese names fold at exactly 75 octets ("SUMMARY:Follow up " is 18, then 19
    // characters of 3), and one octet later at 73 (a 20th character would make 76).
    let physical: Vec<&str> = ics.split("\r\n").collect();
    let summary = |id_name: &str| {
        physical
            .iter()
            .find(|l| l.starts_with(&format!("SUMMARY:Follow up {id_name}")))
            .copied()
            .expect("a summary")
    };
    assert_eq!(summary("上海").len(), 75);
    assert_eq!(
        summary("上海"),
        "SUMMARY:Follow up 上海联合包装材料有限公司华东区销售服务"
    );
    assert_eq!(summary("X上海").len(), 73);
    assert_eq!(
        summary("X上海"),
        "SUMMARY:Follow up X上海联合包装材料有限公司华东区销售服"
    );
}

/// A control character in a calendar value is not TEXT (RFC 5545 allows the tab and no
/// other): it is shown by its stand-in, as in a table, never written raw.
#[test]
fn a_calendar_value_holds_no_control_character() {
    let ws = Workspace::new()
        .file("clientele.toml", "[calendar]\nweekend = []\n")
        .file(
            "customers.csv",
            "id,name,grade,last_contact\n\
             C1,\"Acme\u{1b}[2J\u{7}\u{0}\u{7f}\u{85}\u{202e}\ttab\",C,2026-09-22\n",
        );
    let out = ws.run(["due", "--format", "ics"]);
    out.stderr("").code(0);
    let ics = out.stdout_text();
    let summary = "SUMMARY:Follow up Acme␛[2J␇␀␡<U+0085><U+202E>\ttab (C every 2 months)";
    assert!(unfolded(&ics).contains(&summary.to_string()), "{ics}");
    assert!(
        !ics.chars()
            .any(|c| c != '\r' && c != '\n' && c != '\t' && clientele::visible::acts(c))
    );
}

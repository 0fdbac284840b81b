//! The HTML report (`report --html`): every value that reaches the page, in its tables,
//! its SVG charts and its headings, is escaped; no payload of the book, the log or a rule
//! file adds a tag, an attribute, or closes the SVG or the style sheet.

use super::csv_cell;
use crate::util::Workspace;

/// What an attacker would put in a cell to run a script on the page or break out of where
/// the value is written: a script, an attribute breakout with an event handler (double and
/// single quotes), the end of the SVG or of the style sheet, an entity that must stay text,
/// and a script end inside what could have been a JSON string.
const PAYLOADS: [&str; 7] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "'onmouseover='x",
    "</svg><script>x</script>",
    "</style>",
    "&amp;",
    "</script>{\"a\":\"</script>\"}",
];

/// Every payload after `tag`, so each field's value is told apart on the page.
fn hostile(tag: &str) -> String {
    format!("{tag}{}", PAYLOADS.concat())
}

/// `text` escaped as HTML text and attribute values must be, worked out here independently
/// of clientele's own function: `&` first, then `<`, `>`, `"` and `'`.
fn html_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Two customers whose every free-text cell (id, name, owner, contact, phone, e-mail,
/// address, next step, a region and a notes column no field takes) holds every payload: a
/// key customer (a rated margin of 35 % and ratings of 5) and a lapsing grade A customer
/// (one order on 2026-08-01, expected again by 2026-08-31). Their stage changes in the log
/// carry the payloads in their notes.
fn hostile_book() -> Workspace {
    let header = "id,name,owner,contact,phone,email,address,next_step,region,notes,\
                  stage,grade,type,revenue,profit,last_contact,payment,fit,growth,loyalty,\
                  strength,long_term\n";
    let row = |k: &str, grade: &str, rest: &str| {
        let cells: Vec<String> = [
            "id", "name", "owner", "contact", "phone", "email", "address", "next", "region",
            "notes",
        ]
        .iter()
        .map(|field| csv_cell(&hostile(&format!("{k}-{field}:"))))
        .collect();
        format!("{},formal,{grade},rational,{rest}\n", cells.join(","))
    };
    let book = format!(
        "{header}{}{}",
        row("K", "C", "320000.00,112000.00,2026-09-22,5,5,5,5,5,5"),
        row("L", "A", ",,,,,,,,"),
    );
    let log = format!(
        "date,customer_id,kind,amount,note\n\
         2026-08-01,{l},order,86000.00,{order}\n\
         2026-11-02,{k},stage_change,,{k_note}\n\
         2026-11-03,{l},grade_change,,{l_note}\n",
        k = csv_cell(&hostile("K-id:")),
        l = csv_cell(&hostile("L-id:")),
        order = csv_cell(&hostile("order:")),
        k_note = csv_cell(&hostile("K-change:")),
        l_note = csv_cell(&hostile("L-change:")),
    );
    // The type set's names reach the page too (the types chart and table): a rule file of
    // the workspace names one type with the payloads.
    let types = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/types.toml"))
        .expect("read the shipped rules/types.toml");
    let toml_text = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let named = types
        .replacen(
            "en = \"Rational\"",
            &format!("en = \"{}\"", toml_text(&hostile("type-en:"))),
            1,
        )
        .replacen(
            "zh = \"理智型\"",
            &format!("zh = \"{}\"", toml_text(&hostile("type-zh:"))),
            1,
        );
    assert_ne!(named, types, "the shipped rational type changed its names");
    Workspace::new()
        .file("customers.csv", book)
        .file("activities.csv", log)
        .file("rules/types.toml", named)
}

/// The tags a report page is made of; any other tag on the page came from the data.
const PAGE_TAGS: [&str; 22] = [
    "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "span", "svg",
    "rect", "text", "line", "polyline", "table", "thead", "tbody", "tr", "th", "td",
];

/// The tag name of every `<` of the page, closing tags with their `/`.
fn tags(page: &str) -> Vec<&str> {
    page.match_indices('<')
        .map(|(at, _)| {
            let rest = &page[at + 1..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '/' || c == '!'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

/// Every `<table>…</table>` (or `<svg…>…</svg>`) of the page, parsed as XML: a value that
/// broke out of its cell or attribute would not parse, or would add an element.
fn parsed_parts<'p>(page: &'p str, open: &str, close: &str) -> Vec<&'p str> {
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find(open) {
        let len = rest[start..].find(close).expect("a closed element") + close.len();
        let part = &rest[start..start + len];
        roxmltree::Document::parse(part)
            .unwrap_or_else(|e| panic!("not well-formed XML ({e}):\n{part}"));
        out.push(part);
        rest = &rest[start + len..];
    }
    out
}

/// The text of every element named `name` in `xml`, in order.
fn element_texts(xml: &str, name: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).expect("well-formed, checked");
    doc.descendants()
        .filter(|n| n.has_tag_name(name))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect()
}

/// Every attribute of every element of `xml`, as (element, attribute).
fn element_attributes(xml: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(xml).expect("well-formed, checked");
    doc.descendants()
        .filter(|n| n.is_element())
        .flat_map(|n| {
            n.attributes()
                .map(move |a| (n.tag_name().name().to_string(), a.name().to_string()))
        })
        .collect()
}

/// Every value of the hostile book that reaches the page is there escaped, in its table
/// cell and in the types chart, and no payload is there raw: no tag but the page's own, no
/// attribute but the page's own, the SVG and the style sheet closed where the page closes
/// them, a quote of the data never ending an attribute. In both languages.
#[test]
fn the_html_report_escapes_every_value_that_reaches_it() {
    let ws = hostile_book();
    for (lang, type_name) in [("en", "type-en:"), ("zh", "type-zh:")] {
        ws.run([
            "--lang",
            lang,
            "report",
            "--html",
            "report.html",
            "--since",
            "2026-11-01",
        ])
        .stdout("")
        .stderr("")
        .code(0);
        let page = std::fs::read_to_string(ws.path().join("report.html")).expect("the page");

        for tag in tags(&page) {
            let name = tag.trim_start_matches('/');
            assert!(PAGE_TAGS.contains(&name), "a tag from the data: <{tag}");
        }
        for raw in [
            "<script",
            "<img",
            "</svg><script",
            "'onmouseover='",
            "{\"a\"",
        ] {
            assert!(!page.contains(raw), "{lang}: the page holds {raw:?} raw");
        }
        assert_eq!(page.matches("</style>").count(), 1, "{lang}");
        assert_eq!(page.matches("<svg").count(), 4, "{lang}");
        assert_eq!(page.matches("</svg>").count(), 4, "{lang}");

        // Each value, escaped, where the page shows it.
        for tag in [
            "K-id:",
            "K-name:",
            "K-owner:",
            "L-id:",
            "L-name:",
            "L-owner:",
            "K-change:",
            "L-change:",
            type_name,
        ] {
            let value = hostile(tag);
            assert!(
                page.contains(&html_escaped(&value)),
                "{lang}: the page lacks {tag} escaped"
            );
        }
        // The columns the report does not show are not on the page at all.
        for tag in [
            "contact:", "phone:", "email:", "address:", "next:", "region:", "notes:", "order:",
        ] {
            assert!(!page.contains(tag), "{lang}: {tag} is on the page");
        }

        // Parsed, each table cell holds exactly the value: nothing broke out of it.
        let tables = parsed_parts(&page, "<table>", "</table>");
        let cells: Vec<String> = tables.iter().flat_map(|t| element_texts(t, "td")).collect();
        for tag in [
            "K-id:",
            "K-name:",
            "K-owner:",
            "L-id:",
            "L-name:",
            "L-owner:",
            "K-change:",
            "L-change:",
        ] {
            assert!(
                cells.contains(&hostile(tag)),
                "{lang}: no table cell holds {tag} exactly"
            );
        }
        for table in &tables {
            for (element, attribute) in element_attributes(table) {
                assert_eq!(
                    (element.as_str(), attribute.as_str()),
                    ("td", "class"),
                    "{lang}: an attribute from the data"
                );
            }
        }
        // The types chart names the type with every payload, as text of a <text> element.
        let charts = parsed_parts(&page, "<svg", "</svg>");
        assert_eq!(charts.len(), 4);
        let labels = element_texts(charts[3], "text");
        assert!(labels.contains(&hostile(type_name)), "{lang}: {labels:?}");
        for chart in &charts {
            for (element, attribute) in element_attributes(chart) {
                let known = [
                    "xmlns",
                    "class",
                    "viewBox",
                    "width",
                    "height",
                    "role",
                    "aria-label",
                    "x",
                    "y",
                    "rx",
                    "fill",
                    "fill-opacity",
                    "text-anchor",
                    "stroke",
                    "stroke-dasharray",
                    "stroke-width",
                    "x1",
                    "y1",
                    "x2",
                    "y2",
                    "points",
                ];
                assert!(
                    known.contains(&attribute.as_str()),
                    "{lang}: <{element} {attribute}> from the data"
                );
            }
        }
    }
}

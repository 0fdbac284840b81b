//! The report page in a real browser: headless Chromium draws the page of the small book
//! and of a book of 20 000 customers (`super::big`), in English and in Chinese; the
//! screenshot must not be blank, and no label of a chart may be drawn outside its SVG's
//! viewBox, across the edge of a bar, or over another label, as the browser measures the
//! text in the fonts it chose (`measure.js`, added to a copy of the page only: the page
//! itself has no script). Ignored by a plain `cargo test`, as it needs `chromium` (and
//! `fonts-noto-cjk` for the Chinese page); `.ci/run` installs both and runs it with
//! `cargo test -- --ignored report::browser`. The screenshots, the pages and their measured
//! copies stay in `$CARGO_TARGET_TMPDIR/report-browser/` for a person to look at (a label
//! found at fault is outlined in red there).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::big::{CUSTOMERS, big_book};
use super::book;
use super::page::{page, svgs};
use crate::util::Workspace;

/// Runs chromium headless on `page` with `extra` arguments; returns its stdout.
fn chromium(page: &Path, profile: &Path, extra: &[String]) -> String {
    let mut child = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run chromium (apt-get install chromium fonts-noto-cjk)");
    // The pipes are drained on threads so a chatty browser cannot block on a full pipe.
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).map(|_| s)
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut s).map(|_| s)
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().expect("stop chromium");
            child.wait().expect("reap chromium");
            panic!("chromium took more than 120 s on {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let out = out
        .join()
        .expect("stdout reader")
        .expect("chromium's stdout");
    let err = err.join().expect("stderr reader").unwrap_or_default();
    assert!(status.success(), "chromium failed ({status}):\n{err}");
    out
}

/// Pixels that are not white, pixels clearly blue (the bars), and distinct colours.
fn census(png_path: &Path) -> (usize, usize, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_path).expect("open the screenshot"),
    ));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("a sane size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let channels = match info.color_type {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        other => panic!("unexpected colour type {other:?}"),
    };
    assert_eq!((info.width, info.height), (1200, 2000));
    let mut colours = std::collections::BTreeSet::new();
    let (mut ink, mut blue) = (0, 0);
    for px in buf[..info.buffer_size()].chunks_exact(channels) {
        let (r, g, b) = (px[0], px[1], px[2]);
        colours.insert((r, g, b));
        if (r, g, b) != (255, 255, 255) {
            ink += 1;
        }
        if u16::from(b) > u16::from(r) + 60 && u16::from(b) > u16::from(g) + 30 {
            blue += 1;
        }
    }
    (ink, blue, colours.len())
}

/// The script that measures the charts' labels; see the file.
const MEASURE: &str = include_str!("measure.js");

/// Where the screenshots and pages are kept.
fn shots() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-browser");
    std::fs::create_dir_all(&dir).expect("create the screenshot folder");
    dir
}

/// What `measure.js` found on a page.
struct Measured {
    svgs: usize,
    checked: usize,
    offenders: Vec<serde_json::Value>,
}

/// Opens `html` (the page written into `ws`) with the measuring script added, in one
/// headless Chromium run that both dumps the DOM and takes a 1200 × 2000 screenshot to
/// `shots()/NAME.png`; checks the DOM holds the page's charts and tables and the screenshot
/// is not blank, and returns what the script measured.
fn measured(ws: &Workspace, html: &str, name: &str) -> Measured {
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "{name}: the page has a script");
    let body = html.rfind("</body>").expect("a closed body");
    let copy = format!(
        "{}<script>\n{MEASURE}</script>\n{}",
        &html[..body],
        &html[body..]
    );
    let dir = shots();
    std::fs::write(dir.join(format!("{name}.html")), html).expect("keep the page");
    let path = dir.join(format!("{name}-measured.html"));
    std::fs::write(&path, &copy).expect("write the measured copy");
    let shot = dir.join(format!("{name}.png"));
    let _ = std::fs::remove_file(&shot);
    let profile = ws.path().join("chromium-profile");

    let dom = chromium(
        &path,
        &profile,
        &[
            "--dump-dom".to_string(),
            // Time for the load event and the fonts, after which the script measures.
            "--virtual-time-budget=10000".to_string(),
            format!("--screenshot={}", shot.display()),
            "--window-size=1200,2000".to_string(),
        ],
    );
    assert_eq!(
        dom.matches("<svg").count(),
        svgs(html).len(),
        "{name}: the charts in the DOM"
    );
    for element in ["<polyline", "<rect", "<text", "<table>"] {
        assert!(dom.contains(element), "{name}: no {element} in the DOM");
    }
    assert!(
        !dom.contains("<script"),
        "{name}: the script did not finish"
    );
    let start = dom
        .find("<pre id=\"measured\"")
        .unwrap_or_else(|| panic!("{name}: nothing measured; the DOM ends:\n{}", tail(&dom)));
    let start = start + dom[start..].find('>').expect("the tag's end") + 1;
    let end = start + dom[start..].find("</pre>").expect("a closed pre");
    let json: serde_json::Value = serde_json::from_str(&dom[start..end])
        .unwrap_or_else(|e| panic!("{name}: not JSON ({e}): {}", &dom[start..end]));
    assert!(
        !dom[..start].to_lowercase().contains("error"),
        "{name}: the DOM reports an error"
    );

    let (ink, blue, colours) = census(&shot);
    assert!(ink >= 300, "{name}: only {ink} pixels not white");
    assert!(
        blue >= 300,
        "{name}: only {blue} blue pixels: no bars drawn"
    );
    assert!(colours >= 2, "{name}: {colours} colour(s)");

    let count = |key: &str| json[key].as_u64().expect("a count") as usize;
    Measured {
        svgs: count("svgs"),
        checked: count("checked"),
        offenders: json["offenders"].as_array().expect("a list").clone(),
    }
}

/// The last 2 000 characters of `text`.
fn tail(text: &str) -> &str {
    let mut start = text.len().saturating_sub(2000);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

/// Fails, listing each offender (its text, box, the viewBox and what is wrong), unless every
/// label of every chart was measured and none is out of place.
fn assert_in_place(name: &str, m: &Measured, charts: usize, texts: usize) {
    assert_eq!(m.svgs, charts, "{name}: charts measured");
    assert_eq!(m.checked, texts, "{name}: texts measured");
    let listed: Vec<String> = m
        .offenders
        .iter()
        .map(|o| {
            format!(
                "  chart {} {}: bbox {} in viewBox {}: {}",
                o["svg"], o["text"], o["bbox"], o["viewBox"], o["problems"]
            )
        })
        .collect();
    assert!(
        listed.is_empty(),
        "{name}: {} of {} labels out of place (outlined in red in {}):\n{}",
        listed.len(),
        m.checked,
        shots().join(format!("{name}.png")).display(),
        listed.join("\n")
    );
}

/// The labels of a page's charts, counted from the page.
fn texts_in(html: &str) -> usize {
    svgs(html).iter().map(|s| s.matches("<text").count()).sum()
}

#[test]
#[ignore = "needs chromium and fonts-noto-cjk; .ci/run installs them and runs it"]
fn chromium_draws_the_page() {
    for lang in ["en", "zh"] {
        let ws = book();
        let html = page(&ws, lang);
        let m = measured(&ws, &html, lang);
        assert_in_place(lang, &m, 4, texts_in(&html));
    }
}

#[test]
#[ignore = "needs chromium and fonts-noto-cjk; .ci/run installs them and runs it"]
fn no_label_of_a_20k_customer_page_is_out_of_place_in_chromium() {
    let ws = big_book();
    for lang in ["en", "zh"] {
        let started = Instant::now();
        ws.run([
            "--lang",
            lang,
            "report",
            "--html",
            "page.html",
            "--today",
            "2026-11-22",
        ])
        .stdout("")
        .stderr("")
        .code(0);
        let html = std::fs::read_to_string(ws.path().join("page.html")).expect("read page.html");
        let headline = match lang {
            "en" => format!("<p>{CUSTOMERS} customers; "),
            _ => format!("<p>共{CUSTOMERS}位客户；"),
        };
        assert!(html.contains(&headline), "{lang}: no {headline}");
        let name = format!("20k-{lang}");
        let m = measured(&ws, &html, &name);
        // The funnel's five stages, the Pareto curve's twelve ticks and three titles, the
        // five grades and the ten types (the nine and the unclassified), two texts a bar.
        assert_in_place(&name, &m, 4, 10 + 15 + 10 + 20);
        eprintln!(
            "{name}: {} labels in {} charts measured, none out of place ({:.1} s)",
            m.checked,
            m.svgs,
            started.elapsed().as_secs_f64()
        );
    }
}

#[test]
#[ignore = "needs chromium and fonts-noto-cjk; .ci/run installs them and runs it"]
fn the_measurement_finds_labels_out_of_place() {
    // The small book's page, spoilt three ways: a stage name moved to start where its bar
    // starts, a bar's label run past the right edge, and the 80/20 figure grown leftwards
    // over the axis title and out of the chart.
    let ws = book();
    let good = page(&ws, "en");
    let mut html = good.clone();
    for (from, to) in [
        (
            r#"text-anchor="end">Potential</text>"#,
            r#"text-anchor="start">Potential</text>"#,
        ),
        (
            "revenue 586,000.00 · 60.2%</text>",
            "revenue 586,000.00 · 60.2% · and a tail the box was never sized for</text>",
        ),
        (
            "top 20%: 93.0%</text>",
            "of all the customers of the book, the top 20% by revenue hold 93.0% of it</text>",
        ),
    ] {
        assert_eq!(html.matches(from).count(), 1, "{from}");
        html = html.replace(from, to);
    }
    let m = measured(&ws, &html, "spoilt");
    assert_eq!(m.checked, texts_in(&good));
    let found: Vec<(String, String)> = m
        .offenders
        .iter()
        .map(|o| {
            let problems: Vec<&str> = o["problems"]
                .as_array()
                .expect("a list")
                .iter()
                .map(|p| p.as_str().expect("a problem"))
                .map(|p| p.split(" [").next().unwrap_or(p))
                .collect();
            (
                o["text"].as_str().expect("a text").to_string(),
                problems.join("; "),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "Potential".to_string(),
                "across the edge of the box".to_string()
            ),
            (
                "cumulative share of revenue".to_string(),
                "over the text \"of all the customers of the book, the top 20% by revenue hold 93.0% of it\"".to_string()
            ),
            (
                "of all the customers of the book, the top 20% by revenue hold 93.0% of it".to_string(),
                "outside the viewBox; over the text \"cumulative share of revenue\"".to_string()
            ),
            (
                "2 · 18.2% · revenue 586,000.00 · 60.2% · and a tail the box was never sized for"
                    .to_string(),
                "outside the viewBox".to_string()
            ),
        ],
        "{:#?}",
        m.offenders
    );
}

//! The report page in a real browser: headless Chromium draws it, and the screenshot must
//! not be blank. Ignored by a plain `cargo test`, as it needs `chromium` (and
//! `fonts-noto-cjk` for the Chinese page); `.ci/run` installs both and runs it with
//! `cargo test -- --ignored`. The screenshots stay in `$CARGO_TARGET_TMPDIR/report-browser/`
//! for a person to look at.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::book;
use super::page::{page, svgs};

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

#[test]
#[ignore = "needs chromium and fonts-noto-cjk; .ci/run installs them and runs it"]
fn chromium_draws_the_page() {
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-browser");
    std::fs::create_dir_all(&shots).expect("create the screenshot folder");
    for lang in ["en", "zh"] {
        let ws = book();
        let html = page(&ws, lang);
        let path = ws.path().join("report.html");
        let profile = ws.path().join("chromium-profile");

        let dom = chromium(&path, &profile, &["--dump-dom".to_string()]);
        assert_eq!(
            dom.matches("<svg").count(),
            svgs(&html).len(),
            "{lang}: {dom}"
        );
        for element in ["<polyline", "<rect", "<text", "<table>"] {
            assert!(dom.contains(element), "{lang}: no {element} in the DOM");
        }
        assert!(
            !dom.to_lowercase().contains("error"),
            "{lang}: the DOM reports an error:\n{dom}"
        );

        let shot = shots.join(format!("{lang}.png"));
        let _ = std::fs::remove_file(&shot);
        chromium(
            &path,
            &profile,
            &[
                format!("--screenshot={}", shot.display()),
                "--window-size=1200,2000".to_string(),
            ],
        );
        let (ink, blue, colours) = census(&shot);
        assert!(ink >= 300, "{lang}: only {ink} pixels not white");
        assert!(
            blue >= 300,
            "{lang}: only {blue} blue pixels: no bars drawn"
        );
        assert!(colours >= 2, "{lang}: {colours} colour(s)");
    }
}

//! The test harness: a temporary workspace, the real binary run inside it, and exact
//! assertions on what it printed, with a readable diff when they fail.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// The "today" every run sees, so dates in expected output never move.
pub const TODAY: &str = "2026-11-22";

/// A temporary folder to run `clientele` in; removed when dropped.
pub struct Workspace {
    dir: TempDir,
    env: Vec<(String, Option<String>)>,
}

impl Workspace {
    pub fn new() -> Workspace {
        Workspace {
            dir: tempfile::Builder::new()
                .prefix("clientele-test")
                .tempdir()
                .expect("create a temporary folder"),
            env: Vec::new(),
        }
    }

    /// The workspace folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating its folders), relative to the workspace.
    pub fn file(self, path: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> Workspace {
        let path = self.path().join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create the file's folder");
        }
        std::fs::write(&path, contents).expect("write the file");
        self
    }

    /// Sets an environment variable for every later run.
    pub fn env(mut self, key: &str, value: &str) -> Workspace {
        self.env.push((key.to_string(), Some(value.to_string())));
        self
    }

    /// Removes one of the harness's default environment variables for every later run.
    pub fn env_remove(mut self, key: &str) -> Workspace {
        self.env.push((key.to_string(), None));
        self
    }

    /// Runs the binary in the workspace folder.
    pub fn run<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.run_in(".", args)
    }

    /// Runs the binary in a folder of the workspace.
    pub fn run_in<I, S>(&self, subdir: impl AsRef<Path>, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = self.command(args);
        cmd.current_dir(self.path().join(subdir));
        let out = cmd.output().expect("run clientele");
        Output {
            command: describe(&cmd),
            code: out.status.code(),
            stdout: out.stdout,
            stderr: out.stderr,
        }
    }

    /// The command a run would start, for tests that need to drive the process themselves
    /// (closing its stdout early, say).
    pub fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_clientele"));
        // A clean environment: the user's LC_ALL, CLIENTELE_TODAY or terminal width must
        // not leak into expected output.
        cmd.args(args)
            .current_dir(self.path())
            .env_clear()
            .env("CLIENTELE_TODAY", TODAY)
            .env("NO_COLOR", "1")
            .env("LANG", "C");
        for (key, value) in &self.env {
            match value {
                Some(v) => cmd.env(key, v),
                None => cmd.env_remove(key),
            };
        }
        cmd
    }

    /// Every file below the workspace with its bytes, by path relative to the workspace.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        collect(self.path(), self.path(), &mut files);
        files
    }

    /// Fails, naming each file, if any file was added, removed or changed since `before`.
    pub fn assert_unchanged(&self, before: &BTreeMap<PathBuf, Vec<u8>>) {
        let after = self.snapshot();
        let mut problems = String::new();
        for (path, bytes) in before {
            match after.get(path) {
                None => writeln!(problems, "  removed: {}", path.display()),
                Some(now) if now != bytes => writeln!(problems, "  changed: {}", path.display()),
                Some(_) => Ok(()),
            }
            .expect("write to a string");
        }
        for path in after.keys().filter(|p| !before.contains_key(*p)) {
            writeln!(problems, "  added: {}", path.display()).expect("write to a string");
        }
        assert!(problems.is_empty(), "the workspace changed:\n{problems}");
    }
}

fn collect(root: &Path, dir: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).expect("list a folder") {
        let path = entry.expect("read a folder entry").path();
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            let bytes = std::fs::read(&path).expect("read a file");
            let relative = path.strip_prefix(root).expect("below the root");
            files.insert(relative.to_path_buf(), bytes);
        }
    }
}

fn describe(cmd: &Command) -> String {
    let args: Vec<String> = cmd
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    format!("clientele {}", args.join(" "))
}

/// What one run printed and how it exited.
pub struct Output {
    command: String,
    /// None when the process was killed by a signal.
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

impl Output {
    /// Asserts stdout is exactly `expected`.
    pub fn stdout(&self, expected: &str) -> &Output {
        self.compare("stdout", expected, &self.stdout_text());
        self
    }

    /// Asserts stderr is exactly `expected`.
    pub fn stderr(&self, expected: &str) -> &Output {
        self.compare("stderr", expected, &self.stderr_text());
        self
    }

    /// Asserts the exit code.
    pub fn code(&self, expected: i32) -> &Output {
        assert!(
            self.code == Some(expected),
            "`{}` exited with {}, expected {expected}\n--- stderr:\n{}",
            self.command,
            self.code.map_or("a signal".to_string(), |c| c.to_string()),
            String::from_utf8_lossy(&self.stderr),
        );
        self
    }

    /// The exit status; None when a signal ended the process.
    pub fn exit_code(&self) -> Option<i32> {
        self.code
    }

    pub fn stdout_text(&self) -> String {
        text(&self.stdout, &self.command, "stdout")
    }

    pub fn stderr_text(&self) -> String {
        text(&self.stderr, &self.command, "stderr")
    }

    fn compare(&self, what: &str, expected: &str, actual: &str) {
        if expected != actual {
            panic!(
                "{what} of `{}` differs (- expected, + actual):\n{}",
                self.command,
                diff(expected, actual)
            );
        }
    }
}

fn text(bytes: &[u8], command: &str, what: &str) -> String {
    String::from_utf8(bytes.to_vec())
        .unwrap_or_else(|e| panic!("{what} of `{command}` is not UTF-8: {e}"))
}

/// A line diff (longest common subsequence): common lines indented, the others as `-`
/// expected / `+` actual, shown with escapes so a stray `\r` or tab is visible.
pub fn diff(expected: &str, actual: &str) -> String {
    let want: Vec<&str> = expected.split_inclusive('\n').collect();
    let got: Vec<&str> = actual.split_inclusive('\n').collect();
    // common[i][j]: length of the longest common subsequence of want[i..] and got[j..].
    let mut common = vec![vec![0usize; got.len() + 1]; want.len() + 1];
    for i in (0..want.len()).rev() {
        for j in (0..got.len()).rev() {
            common[i][j] = if want[i] == got[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let mut out = String::new();
    let (mut i, mut j) = (0, 0);
    while i < want.len() || j < got.len() {
        let line = if i < want.len() && j < got.len() && want[i] == got[j] {
            i += 1;
            j += 1;
            format!("  {}", want[i - 1].trim_end_matches('\n'))
        } else if i < want.len() && (j == got.len() || common[i + 1][j] >= common[i][j + 1]) {
            i += 1;
            format!("- {:?}", want[i - 1])
        } else {
            j += 1;
            format!("+ {:?}", got[j - 1])
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Integer cents from a plain decimal as gen.py writes it (`1282.82`, `1000.0`, `-5`).
pub fn cents(text: &str) -> i128 {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    assert!(
        !whole.is_empty()
            && fraction.len() <= 2
            && whole
                .bytes()
                .chain(fraction.bytes())
                .all(|b| b.is_ascii_digit()),
        "not a plain amount: {text:?}"
    );
    let whole: i128 = whole.parse().expect("digits");
    let fraction: i128 = format!("{fraction:0<2}").parse().expect("digits");
    let value = whole * 100 + fraction;
    if negative { -value } else { value }
}

/// A workspace holding a book made by the repository's generator, `bench/gen.py`.
pub fn generated_book(customers: usize, activities: usize) -> Workspace {
    let ws = Workspace::new();
    let generated = std::process::Command::new("python3")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["bench/gen.py", "--customers", &customers.to_string()])
        .args(["--activities", &activities.to_string(), "--out"])
        .arg(ws.path())
        .output()
        .expect("run python3 bench/gen.py");
    assert!(
        generated.status.success(),
        "gen.py failed: {}",
        String::from_utf8_lossy(&generated.stderr)
    );
    ws
}

/// Each customer's id and revenue in cents, read with the csv crate and parsed by hand:
/// independent of clientele's own reading.
pub fn revenues_by_hand(ws: &Workspace) -> Vec<(String, i128)> {
    let mut reader =
        csv::Reader::from_path(ws.path().join("customers.csv")).expect("open customers.csv");
    let headers = reader.headers().expect("a header row").clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let (id, revenue) = (column("id"), column("revenue"));
    reader
        .records()
        .map(|r| {
            let r = r.expect("a customers.csv record");
            (r[id].to_string(), cents(&r[revenue]))
        })
        .collect()
}

/// The names in a folder (hidden ones too, not below it), sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list a folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

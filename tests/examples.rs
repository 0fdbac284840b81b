//! The READMEs show real output: every `$ command` in a console block of `README.md` and of
//! `examples/*/README.md` is run (on a copy of the examples, through bash, with `clientele` on
//! the PATH), and what it prints (stdout and stderr, CRLF read as LF) must be the lines the
//! README shows under it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// One command of a README and the output shown under it.
struct Shown {
    line: usize,
    command: String,
    output: String,
}

/// The commands of the console blocks of `readme`, in order.
/// The console blocks of `readme`, each a list of commands in order. A blank line between
/// two commands of a block separates them; it is not output.
fn blocks(readme: &str) -> Vec<Vec<Shown>> {
    let mut out: Vec<Vec<Shown>> = Vec::new();
    let mut in_console = false;
    for (n, line) in readme.lines().enumerate() {
        if line.starts_with("```") {
            in_console = line == "```console";
            if in_console {
                out.push(Vec::new());
            }
            continue;
        }
        let Some(block) = out.last_mut().filter(|_| in_console) else {
            continue;
        };
        if let Some(command) = line.strip_prefix("$ ") {
            if let Some(before) = block.last_mut() {
                while before.output.ends_with("\n\n") {
                    before.output.pop();
                }
            }
            let command = command.replace("cargo run --release -- ", "clientele ");
            block.push(Shown {
                line: n + 1,
                command,
                output: String::new(),
            });
        } else if let Some(last) = block.last_mut() {
            last.output.push_str(line);
            last.output.push('\n');
        }
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder");
    for entry in std::fs::read_dir(from).expect("read a folder") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

#[test]
fn every_command_of_the_readmes_prints_what_the_readme_shows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin: PathBuf = Path::new(env!("CARGO_BIN_EXE_clientele"))
        .parent()
        .expect("the binary's folder")
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut readmes: Vec<PathBuf> = std::fs::read_dir(root.join("examples"))
        .expect("read examples/")
        .map(|e| e.expect("an entry").path().join("README.md"))
        .filter(|p| p.is_file())
        .collect();
    readmes.sort();
    readmes.push(root.join("README.md"));
    let mut differences = Vec::new();
    let mut ran = 0;
    for readme in &readmes {
        let text = std::fs::read_to_string(readme).expect("read a README");
        let name = readme
            .strip_prefix(root)
            .unwrap_or(readme)
            .display()
            .to_string();
        for block in blocks(&text) {
            // A fresh copy of every example for each block, laid out as in the repository:
            // a block's commands may write (its later commands see that), and paths in their
            // output are relative to the repository's root.
            let dir = tempfile::tempdir().expect("a folder");
            copy_dir(&root.join("examples"), &dir.path().join("examples"));
            for shown in block {
                let out = Command::new("bash")
                    .args(["-c", &format!("{} 2>&1", shown.command)])
                    .current_dir(dir.path())
                    .env("PATH", &path)
                    .env_remove("CLIENTELE_TODAY")
                    .env("LANG", "C.UTF-8")
                    .output()
                    .expect("run bash");
                // A README cannot show a CR: CRLF line ends (a calendar's, a CRLF book's
                // diff) are compared as LF.
                let got = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
                ran += 1;
                if got != shown.output {
                    differences.push(format!(
                        "{name}:{}: $ {}\n--- the README shows:\n{}--- it prints:\n{}",
                        shown.line, shown.command, shown.output, got
                    ));
                }
            }
        }
    }
    assert!(ran > 20, "only {ran} commands found");
    assert!(
        differences.is_empty(),
        "{} of {ran} commands print something else:\n\n{}",
        differences.len(),
        differences.join("\n")
    );
}

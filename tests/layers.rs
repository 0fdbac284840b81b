//! The layers of `src/` point one way, as ARCHITECTURE.md draws them: no module imports one
//! above it, and the fast paths are reached only by the store around them.

use std::path::{Path, PathBuf};

/// The layers from the top down: a module may use its own layer's and those below.
const LAYERS: &[&[&str]] = &[
    &["main", "lib"],
    &["cli"],
    &["cmd"],
    &["render", "workspace"],
    &["store"],
    &["rules"],
    &["model"],
    &[
        "error", "lang", "lines", "timing", "parallel", "stdin", "visible",
    ],
];

fn layer(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|l| l.contains(&module))
        .unwrap_or_else(|| {
            panic!("module {module} is in no layer: add it to LAYERS and ARCHITECTURE.md")
        })
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The top-level module a file of `src/` belongs to (`src/store/fast/scan.rs` → `store`).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("under src");
    let first = rel.components().next().expect("a component");
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_string()
}

/// The top-level modules a file names as `crate::NAME`, with the line they are named on.
fn uses(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let name: String = rest[at + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            out.push((name, n + 1));
            rest = &rest[at + 7..];
        }
    }
    out
}

#[test]
fn no_module_imports_one_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut upward = Vec::new();
    for file in sources(&src) {
        let module = module_of(&src, &file);
        let text = std::fs::read_to_string(&file).expect("read a source file");
        for (used, line) in uses(&text) {
            if layer(&used) < layer(&module) {
                upward.push(format!("{}:{line}: {module} uses {used}", file.display()));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports up the layers:\n{}",
        upward.join("\n")
    );
}

/// The speed machinery (`store::fast`) is used by the store's readers only: the commands,
/// the model and the output never see it.
#[test]
fn only_the_store_reaches_the_fast_paths() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut reached = Vec::new();
    for file in sources(&src) {
        if module_of(&src, &file) == "store" {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("read a source file");
        for (n, line) in text.lines().enumerate() {
            if line.contains("store::fast") || line.contains("fast::") {
                reached.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        reached.is_empty(),
        "outside the store:\n{}",
        reached.join("\n")
    );
}

//! `-` for standard input where a path is read (`--customers -`, `--activities -`), and a
//! pipe given as a path (bash's `<(cmd)` is `/dev/fd/N`): what it holds is copied once into a
//! private temporary folder, under the file name the readers expect, and read from there
//! like any file (the readers open a file more than once, and at offsets, which a pipe
//! cannot give). The copy is named as its source in every message (`<stdin>`, `/dev/fd/63`),
//! and nothing is ever written to it: a write is refused at the lock (`store::write::lock`),
//! as the input cannot be written back.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A copy made in this run.
struct Copy {
    path: PathBuf,
    /// The name messages give it.
    shown: String,
    /// The stream it copies (None: standard input).
    source: Option<PathBuf>,
}

/// The copies made in this run (removed, with their folders, by [`remove_copies`]).
static COPIES: Mutex<Vec<Copy>> = Mutex::new(Vec::new());

/// Copies standard input to a new temporary file named `name` (so the readers see its
/// kind: `customers.csv`, `activities.csv`), and returns its path.
pub fn copy(name: &str) -> std::io::Result<PathBuf> {
    let mut bytes = Vec::new();
    std::io::stdin().lock().read_to_end(&mut bytes)?;
    keep(&bytes, name, "<stdin>".to_string(), None)
}

/// The copy of the pipe (or other stream) at `source`, made the first time it is asked for:
/// a new temporary file named `name`, shown as `shown` in messages.
pub fn copy_stream(source: &Path, name: &str, shown: String) -> std::io::Result<PathBuf> {
    let made = COPIES.lock().ok().and_then(|copies| {
        copies
            .iter()
            .find(|c| c.source.as_deref() == Some(source))
            .map(|c| c.path.clone())
    });
    if let Some(path) = made {
        return Ok(path);
    }
    let bytes = std::fs::read(source)?;
    keep(&bytes, name, shown, Some(source.to_path_buf()))
}

/// Writes `bytes` to a new private file named `name`, remembered as a copy shown as `shown`.
fn keep(
    bytes: &[u8],
    name: &str,
    shown: String,
    source: Option<PathBuf>,
) -> std::io::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!(
        "clientele-stdin-{}-{}",
        std::process::id(),
        COPIES.lock().map_or(0, |c| c.len())
    ));
    // Created anew (an existing folder of that name is an error, not something to reuse),
    // readable by this user only.
    std::fs::create_dir(&dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    }
    let path = dir.join(name);
    std::fs::write(&path, bytes)?;
    if let Ok(mut copies) = COPIES.lock() {
        copies.push(Copy {
            path: path.clone(),
            shown,
            source,
        });
    }
    Ok(path)
}

/// Whether `path` is a copy of standard input or of a pipe.
pub fn is_copy(path: &Path) -> bool {
    shown_as(path).is_some()
}

/// The name a copy is shown as in messages (`<stdin>`, or the pipe's path).
pub fn shown_as(path: &Path) -> Option<String> {
    COPIES.lock().ok().and_then(|copies| {
        copies
            .iter()
            .find(|c| c.path == path)
            .map(|c| c.shown.clone())
    })
}

/// Removes the copies and their folders (best effort: the run is over).
pub fn remove_copies() {
    if let Ok(copies) = COPIES.lock() {
        for copy in copies.iter() {
            if let Some(dir) = copy.path.parent() {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }
}

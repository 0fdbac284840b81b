//! `-` for standard input where a path is read (`--customers -`, `--activities -`): what
//! stdin holds is copied once into a private temporary folder, under the file name the
//! readers expect, and read from there like any file. The copy is named `<stdin>` in every
//! message, and nothing is ever written to it: a write is refused at the lock
//! (`store::write::lock`), as the input cannot be written back.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The copies made in this run, and their folders (removed by [`remove_copies`]).
static COPIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Copies standard input to a new temporary file named `name` (so the readers see its
/// kind: `customers.csv`, `activities.csv`), and returns its path.
pub fn copy(name: &str) -> std::io::Result<PathBuf> {
    let mut bytes = Vec::new();
    std::io::stdin().lock().read_to_end(&mut bytes)?;
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
        copies.push(path.clone());
    }
    Ok(path)
}

/// Whether `path` is a copy of standard input.
pub fn is_copy(path: &Path) -> bool {
    COPIES
        .lock()
        .is_ok_and(|copies| copies.iter().any(|c| c == path))
}

/// Removes the copies and their folders (best effort: the run is over).
pub fn remove_copies() {
    if let Ok(copies) = COPIES.lock() {
        for path in copies.iter() {
            if let Some(dir) = path.parent() {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }
}

//! Writing the user's files without ever losing a byte: an advisory lock on the workspace so
//! two runs never interleave, and files created or replaced whole and synced (the book and
//! the log's changes go through the journal, `journal/`).

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// An exclusive advisory lock on the workspace, held until dropped: the file `lock` in its
/// private folder (`.clientele/`, see [`super::journal`]), so that nothing of clientele's
/// shows in `git status`. Every run that writes the book or the log holds it, and a run that
/// finds an interrupted change finishes it under it. The lock file is left in place:
/// removing it would race with a waiting run.
#[derive(Debug)]
pub struct Lock {
    _file: File,
    pub path: PathBuf,
}

/// Waits for and takes the workspace's lock (in its private folder `dir`) to write `target`.
pub fn lock(dir: &Path, target: &Path) -> Result<Lock> {
    if crate::stdin::is_copy(target) {
        return Err(Error::Refused(
            crate::model::messages::Msg::StdinNotWritten.to_string(),
        ));
    }
    lock_dir(dir)
}

/// Waits for and takes the lock of the private folder `dir`, making the folder if need be.
pub fn lock_dir(dir: &Path) -> Result<Lock> {
    super::journal::make_dir(dir)?;
    let path = dir.join("lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    file.lock().map_err(|e| Error::io(&path, e))?;
    Ok(Lock { _file: file, path })
}

/// Creates `path` with `bytes`, failing if it exists, and syncs it and its folder.
pub fn create(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    f.write_all(bytes).map_err(|e| Error::io(path, e))?;
    f.sync_all().map_err(|e| Error::io(path, e))?;
    sync_dir(path)
}

/// Syncs the folder holding `path`, so a new or renamed entry survives a crash.
pub fn sync_dir(path: &Path) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| Error::io(dir, e))
}

/// The last byte of a file, to know whether an append must first end the last line.
pub fn last_byte(path: &Path) -> Result<Option<u8>> {
    let mut f = File::open(path).map_err(|e| Error::io(path, e))?;
    let len = f.metadata().map_err(|e| Error::io(path, e))?.len();
    if len == 0 {
        return Ok(None);
    }
    f.seek(SeekFrom::Start(len - 1))
        .map_err(|e| Error::io(path, e))?;
    let mut b = [0u8; 1];
    f.read_exact(&mut b).map_err(|e| Error::io(path, e))?;
    Ok(Some(b[0]))
}

/// Replaces (or creates) `path` with `bytes` atomically: temporary file beside it, fsync,
/// rename, fsync of the folder. For files the tool owns outright, such as a report page.
pub fn replace(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.clientele-{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&temp);
    create(&temp, bytes)?;
    std::fs::rename(&temp, path).map_err(|e| Error::io(path, e))?;
    sync_dir(path)
}

//! Writing the user's files without ever losing a byte: an advisory lock on the workspace so
//! two runs never interleave; files created, or replaced through a temporary file that has
//! the file's permissions before its first byte, renamed over the file a symlink points to
//! (the link stays a link). A read-only file is refused, not replaced; temporary files a
//! killed run left are swept by the next writer. The book and the log's changes go through
//! the journal (`journal/`), which uses these pieces.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result, display_path};
use crate::model::messages::commands::guard::GuardMsg;

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

/// Waits for and takes the workspace's lock (in its private folder `dir`) to write `target`,
/// then removes the temporary files killed runs left beside `target` (see [`sweep`]) unless
/// a journal still needs them: the caller finishes that change first, which removes its own.
pub fn lock(dir: &Path, target: &Path) -> Result<Lock> {
    if crate::stdin::is_copy(target) {
        return Err(Error::Refused(
            crate::model::messages::Msg::StdinNotWritten.to_string(),
        ));
    }
    let lock = lock_dir(dir)?;
    if !super::journal::pending(dir) {
        sweep(target);
    }
    Ok(lock)
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

/// The last `n` bytes of a file (fewer when it is shorter), to know how its last line ends.
pub fn tail(path: &Path, n: u64) -> Result<Vec<u8>> {
    let mut f = File::open(path).map_err(|e| Error::io(path, e))?;
    let len = f.metadata().map_err(|e| Error::io(path, e))?.len();
    f.seek(SeekFrom::Start(len.saturating_sub(n)))
        .map_err(|e| Error::io(path, e))?;
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes).map_err(|e| Error::io(path, e))?;
    Ok(bytes)
}

/// Replaces (or creates) `path` with `bytes` atomically, as [`Replacement`] does: for files
/// the tool owns outright, such as a report page, and a log that held nothing.
pub fn replace(path: &Path, bytes: &[u8]) -> Result<()> {
    writable(path)?;
    Replacement::stage(path, bytes)?.rename()
}

/// Refuses to write a file without write permission: one nobody may write (`chmod a-w`), or
/// one this run cannot open for writing. A missing file is for the caller to find.
pub fn writable(path: &Path) -> Result<()> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(path, e)),
    };
    // Only a plain file is opened to try: opening a FIFO for writing would wait for a reader.
    let denied = meta.permissions().readonly()
        || (meta.is_file()
            && OpenOptions::new().write(true).open(path).is_err_and(|e| {
                e.kind() == std::io::ErrorKind::PermissionDenied
                    || e.kind() == std::io::ErrorKind::ReadOnlyFilesystem
            }));
    if denied {
        let file = display_path(path);
        return Err(Error::Refused(
            GuardMsg::ReadOnlyFile { file: &file }.to_string(),
        ));
    }
    Ok(())
}

/// The file a write to `path` lands on: `path`, or the file its symlinks lead to.
pub fn landing(path: &Path) -> PathBuf {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}

/// The temporary file this run writes the new contents of `target` to, beside it.
fn temp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.clientele-{}.tmp", std::process::id()))
}

/// New contents written in full to a temporary file beside the file they replace (beside the
/// file a symlink points to), synced, and waiting to be renamed over it. Dropped before the
/// rename, the temporary file is removed. Every error names the user's file, never the
/// temporary one.
#[derive(Debug)]
pub struct Replacement {
    /// The file as the user named it (for messages).
    path: PathBuf,
    /// The file the rename replaces.
    target: PathBuf,
    temp: PathBuf,
    renamed: bool,
}

impl Replacement {
    /// Writes `bytes` to the temporary file of `path`'s landing, with the permissions (and,
    /// where allowed, the owner) of the file it replaces from before its first byte: a 0600
    /// book never has a copy others can read.
    pub fn stage(path: &Path, bytes: &[u8]) -> Result<Replacement> {
        let target = landing(path);
        let temp = temp_path(&target);
        let _ = std::fs::remove_file(&temp);
        let like = std::fs::metadata(&target).ok();
        let mut staged = Replacement {
            path: path.to_path_buf(),
            target,
            temp,
            renamed: false,
        };
        let file = new_file(&staged.temp, like.as_ref()).map_err(|e| Error::io(path, e));
        let file = match file {
            Ok(file) => file,
            Err(e) => {
                // Nothing of ours to remove: the file was not created (or someone else's is
                // there, which is theirs).
                staged.renamed = true;
                return Err(e);
            }
        };
        write_all_synced(file, bytes).map_err(|e| Error::io(path, e))?;
        Ok(staged)
    }

    /// Renames the temporary file over the file it replaces and syncs the folder.
    pub fn rename(mut self) -> Result<()> {
        std::fs::rename(&self.temp, &self.target).map_err(|e| Error::io(&self.path, e))?;
        self.renamed = true;
        sync_dir(&self.target).map_err(|e| match e {
            Error::Io { source, .. } => Error::io(&self.path, source),
            other => other,
        })
    }
}

impl Drop for Replacement {
    fn drop(&mut self) {
        if !self.renamed {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// Creates `path` (which must not exist) with the mode of `like`, set exactly (the umask
/// aside) before anything is written; and `like`'s owner and group where this run may give
/// them.
pub fn new_file(path: &Path, like: Option<&Metadata>) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if let Some(like) = like {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(like.permissions().mode() & 0o777);
    }
    let file = options.open(path)?;
    if let Some(like) = like {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            // Only root may give a file away; for anyone else this is the owner already.
            let _ = std::os::unix::fs::fchown(&file, Some(like.uid()), Some(like.gid()));
        }
        file.set_permissions(like.permissions())?;
    }
    Ok(file)
}

fn write_all_synced(mut file: File, bytes: &[u8]) -> std::io::Result<()> {
    file.write_all(bytes)?;
    file.sync_all()
}

/// Removes the temporary files of `target` that runs killed mid-write left (named
/// `.NAME.clientele-PID.tmp`, beside the file or beside the file its symlink points to, and
/// inside a folder book), when the run that wrote each is gone. The caller holds `target`'s
/// lock, so no live write of it can be using them. Where the system cannot tell whether a
/// process lives (no `/proc`), they are left.
pub fn sweep(target: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let mut places = vec![target.to_path_buf()];
    let landed = landing(target);
    if landed != target {
        places.push(landed);
    }
    for place in places {
        if place.is_dir() {
            sweep_folder(&place, None);
        } else if let Some(name) = place.file_name() {
            let dir = match place.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            sweep_folder(dir, Some(&name.to_string_lossy()));
        }
    }
}

/// Removes from `dir` the temporary files of dead runs: of the file `name`, or of any file.
fn sweep_folder(dir: &Path, name: Option<&str>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        let Some((of, pid)) = temp_parts(&file_name) else {
            continue;
        };
        let alive = Path::new("/proc").join(pid.to_string()).exists();
        if name.is_none_or(|n| n == of) && !alive && pid != std::process::id() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The file and the process of a temporary file's name, `.NAME.clientele-PID.tmp`.
fn temp_parts(file_name: &str) -> Option<(&str, u32)> {
    let inner = file_name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (of, pid) = inner.rsplit_once(".clientele-")?;
    if of.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((of, pid.parse().ok()?))
}

/// Whether `a` and `b` are one file (or folder): the same path once symlinks and `..` are
/// resolved (for a file not there yet, its folder resolved), or the same device and inode
/// (a hard link).
pub fn same_file(a: &Path, b: &Path) -> bool {
    if let (Some(x), Some(y)) = (resolved(a), resolved(b))
        && x == y
    {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    false
}

/// Whether `path` lies below the folder `dir` (at any depth), once both are resolved.
pub fn inside(path: &Path, dir: &Path) -> bool {
    match (resolved(path), resolved(dir)) {
        (Some(p), Some(d)) => p != d && p.starts_with(&d),
        _ => false,
    }
}

/// The absolute path of `path` with symlinks and `..` resolved; for a file that does not
/// exist yet, its folder resolved and its name joined.
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = std::fs::canonicalize(path) {
        return Some(p);
    }
    let name = path.file_name()?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(dir).ok()?.join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_are_read_back() {
        assert_eq!(
            temp_parts(".customers.csv.clientele-4242.tmp"),
            Some(("customers.csv", 4242))
        );
        assert_eq!(
            temp_parts(".a.clientele-b.clientele-7.tmp"),
            Some(("a.clientele-b", 7))
        );
        for not_ours in [
            "customers.csv",
            ".customers.csv.lock",
            ".customers.csv.clientele-.tmp",
            ".customers.csv.clientele-12x.tmp",
            "..clientele-12.tmp",
            "customers.csv.clientele-12.tmp",
        ] {
            assert_eq!(temp_parts(not_ours), None, "{not_ours}");
        }
    }

    /// A dead run's temporary file of the book is removed; a live run's, another file's and
    /// anything else are left.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_sweep_removes_only_dead_runs_temporary_files_of_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let book = dir.path().join("customers.csv");
        std::fs::write(&book, "id\n").unwrap();
        // A process that has exited, reaped: its pid is free (reuse within this test is
        // possible in principle, and would only leave the file).
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let live = std::process::id();
        let names = [
            format!(".customers.csv.clientele-{dead}.tmp"),
            format!(".customers.csv.clientele-{live}.tmp"),
            format!(".other.csv.clientele-{dead}.tmp"),
            ".customers.csv.lock".to_string(),
        ];
        for n in &names {
            std::fs::write(dir.path().join(n), "x").unwrap();
        }
        sweep(&book);
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let mut expected = vec![
            names[1].clone(),
            names[2].clone(),
            names[3].clone(),
            "customers.csv".to_string(),
        ];
        expected.sort();
        assert_eq!(left, expected);
    }

    #[test]
    fn one_file_by_any_path() {
        let dir = tempfile::tempdir().unwrap();
        let book = dir.path().join("customers.csv");
        std::fs::write(&book, "id\n").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let dotted = dir.path().join("sub/../customers.csv");
        assert!(same_file(&dotted, &book));
        assert!(!same_file(&dir.path().join("report.html"), &book));
        #[cfg(unix)]
        {
            let link = dir.path().join("link.csv");
            std::os::unix::fs::symlink(&book, &link).unwrap();
            assert!(same_file(&link, &book));
            let hard = dir.path().join("sub/hard.csv");
            std::fs::hard_link(&book, &hard).unwrap();
            assert!(same_file(&hard, &book));
        }
        assert!(inside(&dir.path().join("sub/new.html"), dir.path()));
        assert!(!inside(dir.path(), dir.path()));
        assert!(!inside(&book, &dir.path().join("sub")));
    }
}

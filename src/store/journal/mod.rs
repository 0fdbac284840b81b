//! The intent journal: a change to the book (one file, or many in a folder) and the rows it
//! leaves in the activity log, made all-or-nothing across a kill or a power cut.
//!
//! Under the workspace's lock, before any of the user's files is touched, `.clientele/journal`
//! is written (temporary file, fsync, rename, fsync of the folder) saying what the change is:
//! for each file, its path, the fingerprints of its bytes now and of its new bytes, and the
//! temporary file beside it that will hold the new bytes; for the log, its length now and the
//! bytes to append. Then the temporary files are written and synced, every file is checked to
//! be still as it was read (a refusal here has renamed nothing: "nothing written" is true),
//! and the log to be as it was or only added to — a row a person typed in meanwhile stays,
//! ours go after it, and the journal is written again with their new place (a log cut,
//! rewritten or ending mid-line is refused like a file) — the files are renamed over, the
//! rows appended (never over bytes that are not ours) and synced, and the journal removed.
//!
//! The next run of any command that finds a journal ([`recover`]) finishes the change — each
//! file still old gets its temporary file, the log the rest of its rows — or, when the change
//! was cut short before its new files were all written (so nothing was renamed), undoes it
//! (removes the temporary files); it says which on stderr. A file a person changed meanwhile is never
//! touched: the journal is then set aside as `journal.failed-TIME`, the run stops with an
//! error, and `check` lists it until it is removed.

use std::fs::OpenOptions;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use self::record::{AppendRecord, FileRecord, Print, Record, StoredBytes, StoredPath};
use super::{Fingerprint, write};
use crate::error::{Error, Result, display_path};
use crate::model::messages::commands::CmdMsg;

mod record;

/// The workspace's private folder: the lock and the journal.
pub const DIR: &str = ".clientele";
const JOURNAL: &str = "journal";
/// The journal while it is written, before its rename.
const JOURNAL_NEW: &str = "journal.tmp";
/// A journal that could not be finished, set aside: `journal.failed-20261122-093000`.
const FAILED: &str = "journal.failed-";

/// The private folder of the workspace at `root`.
pub fn dir(root: &Path) -> PathBuf {
    root.join(DIR)
}

/// Whether the private folder `dir` holds a change not finished yet.
pub fn pending(dir: &Path) -> bool {
    dir.join(JOURNAL).exists()
}

/// Makes the private folder if it is not there, with a `.gitignore` that hides it from git
/// (in a repository `init` did not prepare too).
pub fn make_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let ignore = dir.join(".gitignore");
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&ignore)
    {
        Ok(mut f) => f
            .write_all(b"# clientele's lock and journal\n*\n")
            .map_err(|e| Error::io(&ignore, e)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::io(&ignore, e)),
    }
}

/// A file to replace whole: its bytes when it was read (None: it must not exist) and its
/// new bytes.
#[derive(Debug)]
pub struct FileWrite<'a> {
    pub path: &'a Path,
    pub before: Option<Fingerprint>,
    pub bytes: &'a [u8],
}

/// The activity log's part of a change: rows appended at its end, or a new log written whole.
#[derive(Debug)]
pub struct LogWrite {
    pub path: PathBuf,
    /// The log's length when the rows were made for it; None: `bytes` are the whole new log
    /// (there is none yet, or it holds nothing but white space and `replaces` is its print).
    pub at: Option<u64>,
    pub replaces: Option<Fingerprint>,
    pub bytes: Vec<u8>,
    /// How many rows the bytes hold, for messages.
    pub rows: usize,
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The temporary file beside `path` that holds its new bytes until the rename.
fn temp_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.clientele-{}.tmp", std::process::id()))
}

/// One file of a change, resolved.
struct Entry<'a> {
    path: PathBuf,
    old: Option<Fingerprint>,
    new: Fingerprint,
    temp: PathBuf,
    bytes: &'a [u8],
}

/// Makes a change to `target` (the book, or the log): replaces `files` and writes the log's
/// part, all or nothing across a kill, through the journal (see the module's comment). The
/// caller holds the workspace's lock. A change pending from an interrupted run is finished
/// first. A file no longer as it was read is refused before anything is renamed.
pub fn commit(
    root: &Path,
    target: &Path,
    files: &[FileWrite<'_>],
    log: Option<&LogWrite>,
) -> Result<()> {
    let root = absolute(root);
    let mut entries: Vec<Entry<'_>> = files
        .iter()
        .map(|f| {
            // A book behind a symlink is written where the link points; the link stays.
            let path = write::landing(f.path);
            Entry {
                temp: temp_beside(&path),
                path,
                old: f.before,
                new: Fingerprint::of(f.bytes),
                bytes: f.bytes,
            }
        })
        .collect();
    let book_files = entries.len();
    let mut append = None;
    if let Some(log) = log {
        match log.at {
            // A new log is a file like the others: written beside, renamed into place.
            None => entries.push(Entry {
                path: log.path.clone(),
                old: log.replaces,
                new: Fingerprint::of(&log.bytes),
                temp: temp_beside(&log.path),
                bytes: &log.bytes,
            }),
            Some(at) => append = Some((log.path.clone(), at, log.bytes.as_slice())),
        }
    }
    if entries.is_empty() && append.is_none() {
        return Ok(());
    }
    // A file this run may not write is refused before any is written.
    for path in entries
        .iter()
        .map(|e| &e.path)
        .chain(append.iter().map(|a| &a.0))
    {
        write::writable(path)?;
    }
    // The log as the rows were made for it, to tell at the write whether it was only added to.
    let seen = match &append {
        Some((path, at, bytes)) => Seen::read(path, *at, bytes)?,
        None => None,
    };
    // A test's person may save a file or type into the log here (`failpoints` builds).
    super::pause::pause("before-journal");
    recover_locked(&root)?;
    let dir = dir(&root);
    make_dir(&dir)?;
    let mut record = Record {
        version: 1,
        target: StoredPath::new(&root, target),
        book_files,
        rows: log.map_or(0, |l| l.rows),
        files: entries
            .iter()
            .map(|e| FileRecord {
                path: StoredPath::new(&root, &e.path),
                old: e.old.map(Print::from),
                new: e.new.into(),
                temp: StoredPath::new(&root, &e.temp),
            })
            .collect(),
        append: append.as_ref().map(|(path, at, bytes)| AppendRecord {
            path: StoredPath::new(&root, path),
            at: *at,
            bytes: StoredBytes::new(bytes),
        }),
    };
    write_journal(&dir, &record)?;
    failpoint("after-journal");

    let staged = entries.iter().try_for_each(|e| {
        let _ = std::fs::remove_file(&e.temp);
        write_temp(e)
    });
    let staged = staged.and_then(|()| {
        folders(entries.iter().map(|e| e.path.as_path()))
            .iter()
            .try_for_each(|folder| write::sync_dir(folder))
    });
    if let Err(e) = staged {
        // A full disk, say: nothing was renamed, so nothing is left.
        for e in &entries {
            let _ = std::fs::remove_file(&e.temp);
        }
        remove_journal(&dir)?;
        return Err(e);
    }
    failpoint("after-temps");
    // Every file is checked before the first rename: a refusal leaves everything as it was.
    for e in &entries {
        if Fingerprint::of_file(&e.path)? != e.old {
            for e in &entries {
                let _ = std::fs::remove_file(&e.temp);
            }
            remove_journal(&dir)?;
            return Err(changed_on_disk(&e.path));
        }
    }
    // The log too: rows typed into it meanwhile stay, and ours go after them; a log cut or
    // rewritten is refused like a file, before anything is renamed.
    if let (Some((path, at, _)), Some(seen)) = (&mut append, &seen) {
        match seen.place(path)? {
            Some(now) => *at = moved(&dir, &mut record, *at, now)?,
            None => {
                for e in &entries {
                    let _ = std::fs::remove_file(&e.temp);
                }
                remove_journal(&dir)?;
                return Err(changed_on_disk(path));
            }
        }
    }
    for (i, e) in entries.iter().enumerate() {
        std::fs::rename(&e.temp, &e.path).map_err(|err| Error::io(&e.path, err))?;
        if i == 0 {
            failpoint("after-first-rename");
        }
    }
    for folder in folders(entries.iter().map(|e| e.path.as_path())) {
        write::sync_dir(&folder)?;
    }
    failpoint("after-renames");
    if let Some((path, at, bytes)) = append {
        // A row typed in during the renames goes before ours too; a log cut or rewritten
        // during them gets none of ours.
        let place = match &seen {
            Some(seen) => seen.place(&path)?,
            None => Some(at),
        };
        let appended = match place {
            Some(now) => append_rest(&path, moved(&dir, &mut record, at, now)?, bytes)?,
            None => Appended::Changed,
        };
        match appended {
            Appended::Done => {}
            Appended::Changed => {
                let kept = set_aside(&dir)?;
                return Err(stuck(&root, &record, &[path], &kept));
            }
        }
    }
    failpoint("after-append");
    remove_journal(&dir)
}

fn changed_on_disk(path: &Path) -> Error {
    Error::Refused(
        CmdMsg::ChangedOnDisk {
            file: &display_path(path),
        }
        .to_string(),
    )
}

/// How many bytes of the log's start, and of its end before the rows' place, are kept to
/// tell that it was only added to.
const SEEN: u64 = 4096;

/// The activity log's first bytes and its last ones before `at` (the place the rows were
/// made for), as they were when the change began.
struct Seen {
    at: u64,
    head: Vec<u8>,
    tail: Vec<u8>,
    /// A line's end in the log's encoding, as the rows end (`\n`; `\n\0` in UTF-16LE).
    end: &'static [u8],
}

impl Seen {
    /// The log at `path` now, the rows `bytes` made for its end `at`; None when it is not a
    /// plain file (a pipe is not read twice).
    fn read(path: &Path, at: u64, bytes: &[u8]) -> Result<Option<Seen>> {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_file() => {}
            _ => return Ok(None),
        }
        let n = at.min(SEEN);
        Ok(Some(Seen {
            at,
            head: read_at(path, 0, n)?,
            tail: read_at(path, at - n, n)?,
            end: if bytes.ends_with(b"\n\0") {
                b"\n\0"
            } else {
                b"\n"
            },
        }))
    }

    /// Where the rows go now: at `at` when the log is as it was; at its end when whole lines
    /// were added to it since (a person typed a row in: its first bytes and its last ones
    /// before `at` are unchanged, and it ends with a line end). None when it is not the log
    /// the rows were made for any more: gone, cut, rewritten, or a line added without its
    /// end (yet).
    fn place(&self, path: &Path) -> Result<Option<u64>> {
        let len = match std::fs::metadata(path) {
            Ok(meta) => meta.len(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(path, e)),
        };
        let n = self.head.len() as u64;
        let same = len >= self.at
            && read_at(path, 0, n)? == self.head
            && read_at(path, self.at - n, n)? == self.tail;
        if !same {
            return Ok(None);
        }
        let end = self.end.len() as u64;
        if len > self.at && (len - self.at < end || read_at(path, len - end, end)? != self.end) {
            return Ok(None);
        }
        Ok(Some(len))
    }
}

/// Up to `n` bytes of the file at `path` from `from` (fewer where it ends).
fn read_at(path: &Path, from: u64, n: u64) -> Result<Vec<u8>> {
    let io = |e| Error::io(path, e);
    let mut f = std::fs::File::open(path).map_err(io)?;
    f.seek(SeekFrom::Start(from)).map_err(io)?;
    let mut bytes = Vec::new();
    f.take(n).read_to_end(&mut bytes).map_err(io)?;
    Ok(bytes)
}

/// The rows' place moved from `at` to `now` (the log grew): the journal says so before they
/// are written, so that a run killed meanwhile is finished at the right place.
fn moved(dir: &Path, record: &mut Record, at: u64, now: u64) -> Result<u64> {
    if now != at {
        if let Some(append) = &mut record.append {
            append.at = now;
        }
        write_journal(dir, record)?;
    }
    Ok(now)
}

/// Writes a file's new bytes to its temporary file and syncs them; the temporary file has the
/// permissions of the file it replaces before its first byte (a 0600 book never has a copy
/// others can read). An error names the user's file, not the temporary one.
fn write_temp(e: &Entry<'_>) -> Result<()> {
    let like = std::fs::metadata(&e.path).ok();
    let mut f = write::new_file(&e.temp, like.as_ref()).map_err(|err| Error::io(&e.path, err))?;
    f.write_all(e.bytes)
        .and_then(|()| f.sync_all())
        .map_err(|err| Error::io(&e.path, err))
}

/// The folders holding `paths`, each once.
fn folders<'p>(paths: impl Iterator<Item = &'p Path>) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = paths
        .map(|p| match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Writes the journal whole: a temporary file, fsync, rename, fsync of the folder.
fn write_journal(dir: &Path, record: &Record) -> Result<()> {
    let text = serde_json::to_vec(record).expect("a journal record serialises");
    let temp = dir.join(JOURNAL_NEW);
    let _ = std::fs::remove_file(&temp);
    write::create(&temp, &text)?;
    let path = dir.join(JOURNAL);
    std::fs::rename(&temp, &path).map_err(|e| Error::io(&path, e))?;
    write::sync_dir(&path)
}

fn remove_journal(dir: &Path) -> Result<()> {
    let path = dir.join(JOURNAL);
    std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
    write::sync_dir(&path)
}

/// Renames the journal aside, for a person to read; returns its new path.
fn set_aside(dir: &Path) -> Result<PathBuf> {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let mut kept = dir.join(format!("{FAILED}{stamp}"));
    let mut n = 1;
    while kept.exists() {
        n += 1;
        kept = dir.join(format!("{FAILED}{stamp}-{n}"));
    }
    let path = dir.join(JOURNAL);
    std::fs::rename(&path, &kept).map_err(|e| Error::io(&path, e))?;
    write::sync_dir(&kept)?;
    Ok(kept)
}

/// What became of rows to append.
enum Appended {
    /// They are in the log, whole (written now, or before).
    Done,
    /// The log is not as it was when they were made for it (cut shorter, or other bytes where
    /// they go): nothing was written.
    Changed,
}

/// Appends what is missing of `bytes` at `at` in the log: all of them, the rest of them after
/// a part an interrupted run wrote, or nothing when they are there already. Bytes that are
/// not the start of ours are never overwritten.
fn append_rest(path: &Path, at: u64, bytes: &[u8]) -> Result<Appended> {
    let io = |e| Error::io(path, e);
    // Appending: a row someone adds between the look below and the write is never written
    // over.
    let mut f = match OpenOptions::new().read(true).append(true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Appended::Changed),
        Err(e) => return Err(io(e)),
    };
    let len = f.metadata().map_err(io)?.len();
    if len < at {
        return Ok(Appended::Changed);
    }
    let there = (len - at).min(bytes.len() as u64) as usize;
    let mut found = vec![0; there];
    f.seek(SeekFrom::Start(at)).map_err(io)?;
    f.read_exact(&mut found).map_err(io)?;
    if found != bytes[..there] {
        return Ok(Appended::Changed);
    }
    if there == bytes.len() {
        return Ok(Appended::Done);
    }
    // The log ends inside our rows (an append cut short, or none yet): the rest goes on.
    let rest = &bytes[there..];
    #[cfg(feature = "failpoints")]
    if std::env::var("CLIENTELE_FAILPOINT").is_ok_and(|v| v == "mid-append") {
        // Dies with half the rows written, as a kill in the middle of a long write does.
        f.write_all(&rest[..rest.len() / 2]).map_err(io)?;
        f.sync_all().map_err(io)?;
        std::process::abort();
    }
    f.write_all(rest).map_err(io)?;
    f.sync_all().map_err(io)?;
    Ok(Appended::Done)
}

/// The error of a change that cannot be finished because of `changed` (a file, or the log).
fn stuck(root: &Path, record: &Record, changed: &[PathBuf], kept: &Path) -> Error {
    let target = display_path(&record.target.resolve(root));
    let file = changed.first().map(|p| display_path(p)).unwrap_or_default();
    Error::Refused(
        CmdMsg::JournalStuck {
            target: &target,
            file: &file,
            more: changed.len().saturating_sub(1),
            kept: &display_path(kept),
        }
        .to_string(),
    )
}

/// Finishes or undoes a change an interrupted run left (see the module's comment), taking
/// the workspace's lock only when there is one: a run that finds none pays two `stat`s.
pub fn recover(root: &Path) -> Result<()> {
    let dir = dir(root);
    let pending = |name: &str| std::fs::symlink_metadata(dir.join(name)).is_ok();
    if !pending(JOURNAL) && !pending(JOURNAL_NEW) {
        return Ok(());
    }
    let _lock = write::lock_dir(&dir)?;
    recover_locked(root)
}

/// [`recover`], for a caller that holds the workspace's lock.
pub fn recover_locked(root: &Path) -> Result<()> {
    let root = absolute(root);
    let dir = dir(&root);
    // A journal never renamed into place: the change had not started.
    match std::fs::remove_file(dir.join(JOURNAL_NEW)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(Error::io(&dir.join(JOURNAL_NEW), e));
        }
        _ => {}
    }
    let path = dir.join(JOURNAL);
    let text = match std::fs::read(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let record: Record = match serde_json::from_slice::<Record>(&text) {
        Ok(r) if r.version == 1 => r,
        Ok(r) => return Err(unreadable(&dir, &format!("version {}", r.version))),
        Err(e) => return Err(unreadable(&dir, &e.to_string())),
    };
    let target = display_path(&record.target.resolve(&root));

    // Where each file stands: still old, already new, or neither (changed by someone else).
    let mut files = Vec::new();
    for f in &record.files {
        let path = f.path.resolve(&root);
        let temp = f.temp.resolve(&root);
        let new = Fingerprint::from(f.new);
        let old = f.old.map(Fingerprint::from);
        let now = Fingerprint::of_file(&path)?;
        let state = if now == Some(new) {
            State::New
        } else if now == old {
            let ready = Fingerprint::of_file(&temp)? == Some(new);
            State::Old { ready }
        } else {
            State::Other
        };
        files.push((path, temp, state));
    }
    let renamed = files.iter().any(|(_, _, s)| *s == State::New);
    let finishable = files
        .iter()
        .all(|(_, _, s)| matches!(s, State::New | State::Old { ready: true }));
    if !renamed && !finishable {
        // Cut short before its first rename, its new bytes not all there: undone.
        for (_, temp, _) in &files {
            let _ = std::fs::remove_file(temp);
        }
        remove_journal(&dir)?;
        crate::error::warn(CmdMsg::JournalUndone { target: &target });
        return Ok(());
    }
    let mut changed = Vec::new();
    for (path, temp, state) in &files {
        match state {
            State::Old { ready: true } => {
                std::fs::rename(temp, path).map_err(|e| Error::io(path, e))?;
            }
            State::New => {
                let _ = std::fs::remove_file(temp);
            }
            // Left as it is: a run again makes its change anew, from what it holds now.
            State::Old { ready: false } | State::Other => {
                let _ = std::fs::remove_file(temp);
                changed.push(path.clone());
            }
        }
    }
    for folder in folders(files.iter().map(|(p, _, _)| p.as_path())) {
        write::sync_dir(&folder)?;
    }
    if let Some(append) = &record.append {
        let path = append.path.resolve(&root);
        let done = match append.bytes.bytes() {
            Some(bytes) => append_rest(&path, append.at, &bytes)?,
            None => Appended::Changed,
        };
        if let Appended::Changed = done {
            changed.push(path);
        }
    }
    if !changed.is_empty() {
        let kept = set_aside(&dir)?;
        return Err(stuck(&root, &record, &changed, &kept));
    }
    remove_journal(&dir)?;
    crate::error::warn(CmdMsg::JournalFinished {
        target: &target,
        files: record.book_files,
        rows: record.rows,
    });
    Ok(())
}

/// Where a file of an interrupted change stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// As it was read; `ready` when its temporary file holds the whole new version.
    Old {
        ready: bool,
    },
    New,
    /// Neither: changed by someone since.
    Other,
}

/// A journal that cannot be read, set aside (or the error of the attempt).
fn unreadable(dir: &Path, error: &str) -> Error {
    let file = display_path(&dir.join(JOURNAL));
    match set_aside(dir) {
        Ok(kept) => Error::Refused(
            CmdMsg::JournalUnreadable {
                file: &file,
                error,
                kept: &display_path(&kept),
            }
            .to_string(),
        ),
        Err(e) => e,
    }
}

/// The journals set aside in the workspace at `root` (for `check`), in order.
pub fn set_aside_journals(root: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir(root)) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(FAILED))
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

/// Dies on the spot when `CLIENTELE_FAILPOINT` names this step: tests use it to show that a
/// change killed at any step is finished or undone by the next run. Only in a build with the
/// `failpoints` feature (the tests' build): a released binary never reads it.
#[cfg(feature = "failpoints")]
fn failpoint(step: &str) {
    if std::env::var("CLIENTELE_FAILPOINT").is_ok_and(|v| v == step) {
        std::process::abort();
    }
}

#[cfg(not(feature = "failpoints"))]
fn failpoint(_step: &str) {}

#[cfg(test)]
mod tests {
    use super::*;

    /// The log's part: written whole, finished after a part, left alone when done, and
    /// never written over bytes that are not ours.
    #[test]
    fn rows_are_appended_once_and_never_over_other_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("activities.csv");
        let head = b"date,customer_id,kind,amount,note\n";
        let rows = b"2026-11-22,c1,call,,x\n2026-11-22,c2,call,,y\n";
        let at = head.len() as u64;
        let full = [&head[..], &rows[..]].concat();
        let cases: [(&[u8], bool, &[u8]); 6] = [
            (head, true, &full),
            (&full[..full.len() - 7], true, &full),
            (&full, true, &full),
            (b"date", false, b"date"),
            (
                b"date,customer_id,kind,amount,note\n2026-11-21,c9",
                false,
                b"",
            ),
            (&[&full[..], b"2026-11-23,c3,visit,,\n"].concat(), true, b""),
        ];
        for (i, (before, done, after)) in cases.into_iter().enumerate() {
            std::fs::write(&log, before).unwrap();
            let result = append_rest(&log, at, rows).unwrap();
            assert_eq!(matches!(result, Appended::Done), done, "case {i}");
            let now = std::fs::read(&log).unwrap();
            let expected = if after.is_empty() { before } else { after };
            assert_eq!(now, expected, "case {i}");
        }
    }
}

//! The journal as it is written to disk: JSON, paths relative to the workspace (as bytes when
//! they are not UTF-8), the log's rows as text (or hexadecimal when they are not UTF-8), so
//! that a person can read a journal set aside.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::absolute;
use crate::store::Fingerprint;

/// The journal as written to disk (JSON).
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Record {
    pub(super) version: u32,
    /// What the change is to (the book, or the log for `log`), for messages.
    pub(super) target: StoredPath,
    /// How many of `files` are the book's, and how many rows the log gets: for messages.
    pub(super) book_files: usize,
    pub(super) rows: usize,
    pub(super) files: Vec<FileRecord>,
    pub(super) append: Option<AppendRecord>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct FileRecord {
    pub(super) path: StoredPath,
    pub(super) old: Option<Print>,
    pub(super) new: Print,
    pub(super) temp: StoredPath,
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct AppendRecord {
    pub(super) path: StoredPath,
    pub(super) at: u64,
    pub(super) bytes: StoredBytes,
}

/// A fingerprint as the journal keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Print {
    pub(super) len: u64,
    pub(super) hash: u64,
}

impl From<Fingerprint> for Print {
    fn from(f: Fingerprint) -> Print {
        Print {
            len: f.len,
            hash: f.hash,
        }
    }
}

impl From<Print> for Fingerprint {
    fn from(p: Print) -> Fingerprint {
        Fingerprint {
            len: p.len,
            hash: p.hash,
        }
    }
}

/// A path relative to the workspace when it is in it (so a workspace moved after a crash
/// still recovers), as text, or as bytes when it is not UTF-8.
#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub(super) enum StoredPath {
    Text(String),
    Bytes(Vec<u8>),
}

impl StoredPath {
    pub(super) fn new(root: &Path, path: &Path) -> StoredPath {
        let path = absolute(path);
        let rel = path.strip_prefix(root).unwrap_or(&path);
        match rel.to_str() {
            Some(text) => StoredPath::Text(text.to_string()),
            None => StoredPath::Bytes(os_bytes(rel)),
        }
    }

    pub(super) fn resolve(&self, root: &Path) -> PathBuf {
        match self {
            StoredPath::Text(text) => root.join(text),
            StoredPath::Bytes(bytes) => root.join(os_path(bytes)),
        }
    }
}

#[cfg(unix)]
fn os_bytes(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes().to_vec()
}

#[cfg(unix)]
fn os_path(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn os_bytes(path: &Path) -> Vec<u8> {
    path.to_string_lossy().into_owned().into_bytes()
}

#[cfg(not(unix))]
fn os_path(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// The log's rows as the journal keeps them: as text when they are UTF-8 (a person reading
/// a set-aside journal can copy them), else in hexadecimal (GBK, UTF-16).
#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub(super) enum StoredBytes {
    Text(String),
    Hex { hex: String },
}

impl StoredBytes {
    pub(super) fn new(bytes: &[u8]) -> StoredBytes {
        match std::str::from_utf8(bytes) {
            Ok(text) => StoredBytes::Text(text.to_string()),
            Err(_) => StoredBytes::Hex {
                hex: bytes.iter().map(|b| format!("{b:02x}")).collect(),
            },
        }
    }

    pub(super) fn bytes(&self) -> Option<Vec<u8>> {
        match self {
            StoredBytes::Text(text) => Some(text.as_bytes().to_vec()),
            StoredBytes::Hex { hex } => (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_kept_as_text_or_hex() {
        for bytes in [
            &b"2026-11-22,c1,call,,\xe5\x91\xa8\n"[..],
            b"\xb5\xe7\xbb\xb0\r\n",
            b"",
        ] {
            let stored = StoredBytes::new(bytes);
            let json = serde_json::to_string(&stored).unwrap();
            let back: StoredBytes = serde_json::from_str(&json).unwrap();
            assert_eq!(back.bytes().as_deref(), Some(bytes), "{json}");
        }
        assert_eq!(
            serde_json::to_string(&StoredBytes::new(b"\xb5\xe7")).unwrap(),
            r#"{"hex":"b5e7"}"#
        );
        let odd = StoredBytes::Hex { hex: "b5e".into() };
        assert_eq!(odd.bytes(), None);
    }

    #[test]
    fn paths_are_kept_relative_to_the_workspace() {
        let root = Path::new("/srv/book");
        let inside = StoredPath::new(root, Path::new("/srv/book/customers/c1.toml"));
        assert_eq!(
            serde_json::to_string(&inside).unwrap(),
            r#""customers/c1.toml""#
        );
        assert_eq!(
            inside.resolve(Path::new("/moved")),
            Path::new("/moved/customers/c1.toml")
        );
        let outside = StoredPath::new(root, Path::new("/data/log.csv"));
        assert_eq!(outside.resolve(root), Path::new("/data/log.csv"));
        #[cfg(unix)]
        {
            let raw = os_path(b"/srv/book/\xff.csv");
            let stored = StoredPath::new(root, &raw);
            let json = serde_json::to_string(&stored).unwrap();
            let back: StoredPath = serde_json::from_str(&json).unwrap();
            assert_eq!(back.resolve(root), raw);
        }
    }
}

//! `--export FILE.ndjson`: the exact entries a purge or trim removes, written and synced to
//! disk before they are removed. One line per entry, in the lossless form of `pipectl ls
//! <list> --json` without `pos` (`{"item":…}`, `{"item_text":…}` or `{"item_base64":…}`:
//! the entry's exact bytes, the whole envelope, not only its item), oldest first.
//!
//! Crash safety: each page is written and fsynced, then exactly those entries are removed
//! (each only while it is still there, unchanged). A crash between the two leaves entries
//! both in the file and in the list, never removed without being in the file.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::error::Fail;
use crate::exit::Exit;

pub struct Export {
    file: File,
    pub path: PathBuf,
    /// Entries written so far.
    pub written: u64,
}

impl Export {
    /// Creates the file (never over an existing one) and syncs its directory, so the file
    /// itself survives a crash.
    pub fn create(path: &Path) -> Result<Export> {
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(|e| {
                let fail = Fail::new(
                    Exit::Failure,
                    format!("cannot create export file {}: {e}", path.display()),
                );
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    fail.hint("name a new file: an export never overwrites one")
                } else {
                    fail
                }
            })?;
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if let Ok(d) = File::open(dir) {
            // Not every filesystem syncs a directory; the file's own sync still holds.
            let _ = d.sync_all();
        }
        Ok(Export {
            file,
            path: path.to_owned(),
            written: 0,
        })
    }

    /// Appends these entries and waits until they are on disk.
    pub fn write(&mut self, entries: &[&[u8]]) -> Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut text = Vec::new();
        for entry in entries {
            serde_json::to_writer(&mut text, &crate::item::object(entry))?;
            text.push(b'\n');
        }
        self.file
            .write_all(&text)
            .and_then(|()| self.file.sync_all())
            .map_err(|e| {
                Fail::new(
                    Exit::Failure,
                    format!(
                        "cannot write export file {}: {e}; nothing more was removed",
                        self.path.display()
                    ),
                )
            })?;
        self.written += entries.len() as u64;
        Ok(())
    }
}

//! The results file (`--out`, JSON Lines): appended one fsync'd row at a
//! time, so a run killed at any moment loses at most the row being
//! written; read back to find what is already graded (resume) and to build
//! reports, one line at a time.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use thiserror::Error;

use crate::grade::key::row_identity;
use crate::grade::rows::{JudgeStatus, ResultRow, RowStatus};

/// Problems with the results file.
#[derive(Debug, Error)]
pub enum ResultsError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: not a result row ({message}); is this the right --out file?")]
    BadRow {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> ResultsError + '_ {
    move |source| ResultsError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Creates the directories above an output file, as most tools do for
/// `--out some/new/dir/file`. A bare file name needs none.
pub fn create_parent_dirs(path: &Path) -> std::io::Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir),
        _ => Ok(()),
    }
}

/// Rows already in a results file, by (id, key).
#[derive(Debug, Default)]
pub struct DoneSet {
    /// Row identity → whether that row failed (for the exit code of a
    /// rerun that skips it).
    seen: HashMap<[u8; 16], bool>,
    /// Problems found while reading (a torn last row), for the caller to
    /// print as warnings.
    pub warnings: Vec<String>,
}

impl DoneSet {
    /// True when this input already has a row.
    pub fn contains(&self, id: &str, key: &str) -> bool {
        self.seen.contains_key(&row_identity(id, key))
    }
    /// True when this input's existing row is a failure.
    pub fn failed(&self, id: &str, key: &str) -> bool {
        self.seen
            .get(&row_identity(id, key))
            .copied()
            .unwrap_or(false)
    }
    /// Record a row; false when it was already there.
    pub fn insert(&mut self, id: &str, key: &str) -> bool {
        self.insert_row(id, key, false)
    }
    /// Record a row and whether it failed; false when it was already there.
    pub fn insert_row(&mut self, id: &str, key: &str, failed: bool) -> bool {
        use std::collections::hash_map::Entry;
        match self.seen.entry(row_identity(id, key)) {
            Entry::Occupied(_) => false,
            Entry::Vacant(v) => {
                v.insert(failed);
                true
            }
        }
    }
    /// Rows recorded.
    pub fn len(&self) -> usize {
        self.seen.len()
    }
    /// No rows recorded.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

#[derive(Deserialize)]
struct IdKey {
    id: String,
    key: String,
    #[serde(default)]
    status: Option<RowStatus>,
    #[serde(default)]
    judge_status: Option<JudgeStatus>,
}

/// Read the ids and keys of an existing results file (none if it does not
/// exist). Only 16 bytes per row are kept, so 100k rows cost ~2 MB.
pub fn load_done(path: &Path) -> Result<DoneSet, ResultsError> {
    let mut done = DoneSet::default();
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(done),
        Err(e) => return Err(io(path)(e)),
    };
    let mut reader = BufReader::new(file);
    let mut buf = Vec::new();
    for i in 0.. {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf).map_err(io(path))?;
        if n == 0 {
            break;
        }
        if !buf.ends_with(b"\n") {
            // The row a killed run was writing: `open_append` cuts it, so
            // it must not count as done even when its JSON looks whole.
            done.warnings.push(format!(
                "{}:{}: skipped a torn last row ({n} bytes, from an interrupted run); that input is graded again",
                path.display(),
                i + 1
            ));
            break;
        }
        let line = String::from_utf8_lossy(&buf);
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<IdKey>(&line) {
            Ok(r) => {
                let failed = r.status == Some(RowStatus::Error)
                    || r.judge_status == Some(JudgeStatus::Failed);
                done.insert_row(&r.id, &r.key, failed);
            }
            Err(e) => {
                return Err(ResultsError::BadRow {
                    path: path.to_path_buf(),
                    line: i + 1,
                    message: e.to_string(),
                })
            }
        }
    }
    Ok(done)
}

/// Appends rows to a results file. Each row is written whole with one
/// `write` (so a killed process leaves at most one torn last line, which
/// `open_append` cuts) and made durable by a background thread that
/// fsyncs as soon as rows arrive, coalescing bursts into one fsync: the
/// pipeline never waits on the disk.
#[derive(Debug)]
pub struct Appender {
    file: File,
    path: PathBuf,
    syncer: Option<Syncer>,
}

#[derive(Debug)]
struct Syncer {
    tx: std::sync::mpsc::Sender<()>,
    handle: std::thread::JoinHandle<std::io::Result<()>>,
}

fn start_syncer(file: File) -> Syncer {
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let handle = std::thread::spawn(move || {
        let mut result = Ok(());
        while rx.recv().is_ok() {
            while rx.try_recv().is_ok() {}
            if let Err(e) = file.sync_data() {
                result = Err(e);
            }
        }
        file.sync_data()?;
        result
    });
    Syncer { tx, handle }
}

/// Open for appending. A last line without its newline is the row a killed
/// run was writing: it is cut off so the input is graded again, once.
/// Missing parent directories are created.
pub fn open_append(path: &Path) -> Result<Appender, ResultsError> {
    create_parent_dirs(path).map_err(io(path))?;
    let mut file = OpenOptions::new()
        .create(true)
        .read(true)
        .append(true)
        .open(path)
        .map_err(io(path))?;
    let len = file.metadata().map_err(io(path))?.len();
    if len > 0 {
        let keep = complete_prefix_len(&mut file, len).map_err(io(path))?;
        if keep < len {
            file.set_len(keep).map_err(io(path))?;
            file.sync_data().map_err(io(path))?;
        }
    }
    let syncer = file.try_clone().ok().map(start_syncer);
    Ok(Appender {
        file,
        path: path.to_path_buf(),
        syncer,
    })
}

/// Length of the file up to and including its last newline.
fn complete_prefix_len(file: &mut File, len: u64) -> std::io::Result<u64> {
    let mut pos = len;
    let mut buf = vec![0u8; 64 * 1024];
    while pos > 0 {
        let chunk = (buf.len() as u64).min(pos);
        pos -= chunk;
        file.seek(SeekFrom::Start(pos))?;
        let n = usize::try_from(chunk).unwrap_or(buf.len());
        file.read_exact(&mut buf[..n])?;
        if let Some(i) = buf[..n].iter().rposition(|&b| b == b'\n') {
            return Ok(pos + i as u64 + 1);
        }
    }
    Ok(0)
}

impl Appender {
    /// Append one row; it is fsync'd in the background (or here, if the
    /// background thread could not be started).
    pub fn append(&mut self, row: &ResultRow) -> Result<(), ResultsError> {
        let mut line = serde_json::to_vec(row).map_err(|e| ResultsError::Io {
            path: self.path.clone(),
            source: std::io::Error::other(e),
        })?;
        line.push(b'\n');
        self.file.write_all(&line).map_err(io(&self.path))?;
        match &self.syncer {
            Some(s) if s.tx.send(()).is_ok() => Ok(()),
            _ => self.file.sync_data().map_err(io(&self.path)),
        }
    }

    /// Wait for every row to be on disk, reporting a failed fsync.
    pub fn finish(mut self) -> Result<(), ResultsError> {
        self.stop()
    }

    fn stop(&mut self) -> Result<(), ResultsError> {
        let Some(Syncer { tx, handle }) = self.syncer.take() else {
            return self.file.sync_data().map_err(io(&self.path));
        };
        drop(tx);
        match handle.join() {
            Ok(r) => r.map_err(io(&self.path)),
            Err(_) => Err(ResultsError::Io {
                path: self.path.clone(),
                source: std::io::Error::other("the fsync thread panicked"),
            }),
        }
    }
}

/// Rows of a results file, one at a time (reports over any batch size).
pub fn read_rows(path: &Path) -> Result<RowIter, ResultsError> {
    let file = File::open(path).map_err(io(path))?;
    Ok(RowIter {
        lines: BufReader::new(file).lines(),
        path: path.to_path_buf(),
        line: 0,
    })
}

/// Iterator over a results file's rows.
pub struct RowIter {
    lines: std::io::Lines<BufReader<File>>,
    path: PathBuf,
    line: usize,
}

impl Iterator for RowIter {
    type Item = Result<ResultRow, ResultsError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let line = self.lines.next()?;
            self.line += 1;
            let line = match line {
                Ok(l) => l,
                Err(e) => return Some(Err(io(&self.path)(e))),
            };
            if line.trim().is_empty() {
                continue;
            }
            return Some(
                serde_json::from_str(&line).map_err(|e| ResultsError::BadRow {
                    path: self.path.clone(),
                    line: self.line,
                    message: e.to_string(),
                }),
            );
        }
    }
}

impl Drop for Appender {
    fn drop(&mut self) {
        // Rows are already written; this only waits for the last fsync.
        let _ = self.stop();
    }
}

impl crate::grade::pipeline::RowSink for Appender {
    fn row(&mut self, row: &ResultRow) -> Result<(), String> {
        self.append(row).map_err(|e| e.to_string())
    }
}

/// Streams rows to any writer as JSON Lines, flushed per row (stdout when
/// there is no `--out`, so results appear as they finish).
pub struct JsonlWriter<W: Write + Send>(pub W);

impl<W: Write + Send> crate::grade::pipeline::RowSink for JsonlWriter<W> {
    fn row(&mut self, row: &ResultRow) -> Result<(), String> {
        let mut line = serde_json::to_vec(row).map_err(|e| e.to_string())?;
        line.push(b'\n');
        self.0
            .write_all(&line)
            .and_then(|_| self.0.flush())
            .map_err(|e| format!("cannot write a result row: {e}"))
    }
}

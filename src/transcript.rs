//! The session journal: one JSON Lines file per round, appended and fsynced
//! turn by turn, so a round killed with `kill -9` loses nothing that was on
//! screen. The reader is tolerant: a torn last line (the write the kill
//! interrupted) is skipped with a warning and cut off before appending again.
//! Also the session index behind `mockround sessions`.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::interview::clock::{Millis, Pace};
use crate::rubric::{ConceptId, Level, Phase};

/// Journal format version, written in the start record.
pub const JOURNAL_VERSION: u32 = 1;

/// Errors reading or writing journals.
#[derive(Debug, Error)]
pub enum JournalError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a mockround session journal (the first line is not a start record)")]
    NotAJournal { path: PathBuf },
    #[error("no session matches `{0}`; run `mockround sessions` to list them")]
    NotFound(String),
    #[error("`{prefix}` matches several sessions ({}); give more of the id", .matches.join(", "))]
    Ambiguous {
        prefix: String,
        matches: Vec<String>,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> JournalError + '_ {
    move |source| JournalError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// One line of a journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Record {
    /// First line: what the round is.
    Start {
        id: String,
        problem: String,
        pace: Pace,
        seed: u64,
        started_at: DateTime<Utc>,
        backend: String,
        model: String,
        version: u32,
        /// The concept the round drills (`practice --focus`); absent in
        /// journals from before it existed and in rounds without one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        focus: Option<ConceptId>,
    },
    /// Something the candidate typed (an answer or a slash command that
    /// changes the round, such as `/next` or `/hint`).
    Candidate {
        at_ms: Millis,
        phase: Phase,
        text: String,
    },
    /// What the interviewer said (as shown, model-phrased or template).
    Interviewer {
        at_ms: Millis,
        phase: Phase,
        text: String,
        /// Why a model's reply was replaced by the template, when it was:
        /// counted by `scripts/fallback-report.sh` to measure a model.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fallback: Option<String>,
        /// The model's own words were said (not the template): with
        /// `fallback`, tells a model's kept and rejected replies apart from
        /// turns the template says by design.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        by_model: bool,
        /// The model's reply only copied the template's words (guided mode):
        /// kept, but counted, so a model that adds nothing shows up.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        copied: bool,
        /// The move the turn asked, as `intent|target`: when a model chose
        /// an alternative, resume replays that choice.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        asked: Option<String>,
        /// The model's reply that was replaced (with `fallback`), as it
        /// arrived: so a measurement can read what the model tried to say.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rejected: Option<String>,
        /// A guided reply was rejected and asked for once more: why the
        /// first was rejected (`rejected` then holds that first reply when
        /// the second was kept, or the second when it was replaced too).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry: Option<String>,
        /// The candidate's own words the guided notes asked the question to
        /// use ("64 partitions"): a measurement reads whether it did.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        offered: Option<String>,
    },
    /// A phase's budget ran out while the candidate was silent: the
    /// interviewer said so and moved on without an input. Replayed on resume
    /// at the same time, so the resumed round is the one that was played.
    TimeUp { at_ms: Millis, phase: Phase },
    /// The round ended and was scored.
    End {
        at_ms: Millis,
        ended_at: DateTime<Utc>,
        level: Level,
        overall: u8,
    },
}

/// An open journal, appending.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
}

impl Journal {
    /// Create a new journal and write its start record.
    pub fn create(path: &Path, start: &Record) -> Result<Journal, JournalError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        let file = OpenOptions::new()
            .create_new(true)
            .append(true)
            .open(path)
            .map_err(io(path))?;
        let mut j = Journal {
            path: path.to_path_buf(),
            file,
        };
        j.append(start)?;
        Ok(j)
    }

    /// Reopen a journal for appending, first cutting off a torn last line.
    pub fn reopen(path: &Path) -> Result<Journal, JournalError> {
        let good = read_journal(path)?.good_len;
        let file = OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(io(path))?;
        file.set_len(good).map_err(io(path))?;
        let mut file = file;
        file.seek(SeekFrom::End(0)).map_err(io(path))?;
        Ok(Journal {
            path: path.to_path_buf(),
            file,
        })
    }

    /// Append one record and make it durable before returning.
    pub fn append(&mut self, rec: &Record) -> Result<(), JournalError> {
        let mut line = serde_json::to_string(rec).map_err(|e| JournalError::Io {
            path: self.path.clone(),
            source: std::io::Error::other(e),
        })?;
        line.push('\n');
        self.file
            .write_all(line.as_bytes())
            .map_err(io(&self.path))?;
        self.file.sync_data().map_err(io(&self.path))
    }

    /// Where the journal lives.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// What reading a journal found.
#[derive(Debug, Clone)]
pub struct JournalRead {
    pub records: Vec<Record>,
    /// Lines skipped, each with a reason (e.g. a torn last line).
    pub warnings: Vec<String>,
    /// Byte length of the well-formed part (everything before a torn tail).
    pub good_len: u64,
}

impl JournalRead {
    /// The start record.
    pub fn start(&self) -> Option<&Record> {
        self.records
            .first()
            .filter(|r| matches!(r, Record::Start { .. }))
    }
    /// The end record, if the round finished.
    pub fn end(&self) -> Option<&Record> {
        self.records
            .iter()
            .rev()
            .find(|r| matches!(r, Record::End { .. }))
    }
}

/// Read a journal, skipping (with a warning) lines that do not parse.
pub fn read_journal(path: &Path) -> Result<JournalRead, JournalError> {
    let file = File::open(path).map_err(io(path))?;
    let mut reader = BufReader::new(file);
    let mut records = Vec::new();
    let mut warnings = Vec::new();
    let mut offset: u64 = 0;
    let mut good_len: u64 = 0;
    let mut line_no = 0usize;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf).map_err(io(path))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        offset += n as u64;
        let complete = buf.ends_with(b"\n");
        let text = String::from_utf8_lossy(&buf);
        let trimmed = text.trim();
        if trimmed.is_empty() {
            if complete {
                good_len = offset;
            }
            continue;
        }
        match serde_json::from_str::<Record>(trimmed) {
            Ok(r) if complete => {
                records.push(r);
                good_len = offset;
            }
            Ok(_) | Err(_) if !complete => warnings.push(format!(
                "{}:{line_no}: skipped a torn last line ({} bytes; the round was interrupted while writing it)",
                path.display(),
                n
            )),
            Ok(_) => {}
            Err(e) => {
                warnings.push(format!("{}:{line_no}: skipped a bad line: {e}", path.display()));
                good_len = offset;
            }
        }
    }
    if !matches!(records.first(), Some(Record::Start { .. })) {
        return Err(JournalError::NotAJournal {
            path: path.to_path_buf(),
        });
    }
    Ok(JournalRead {
        records,
        warnings,
        good_len,
    })
}

/// Where sessions live under the data dir.
pub fn sessions_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("sessions")
}

/// The journal path of a session id.
pub fn journal_path(data_dir: &Path, id: &str) -> PathBuf {
    sessions_dir(data_dir).join(format!("{id}.jsonl"))
}

/// The debrief files (Markdown, JSON) next to a journal.
pub fn debrief_paths(data_dir: &Path, id: &str) -> (PathBuf, PathBuf) {
    let dir = sessions_dir(data_dir);
    (
        dir.join(format!("{id}.debrief.md")),
        dir.join(format!("{id}.debrief.json")),
    )
}

/// A fresh session id: start time plus the problem, readable and sortable.
pub fn new_session_id(now: DateTime<Utc>, problem: &str, salt: u16) -> String {
    format!("{}-{problem}-{salt:04x}", now.format("%Y%m%d-%H%M%S"))
}

/// One row of `mockround sessions`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionSummary {
    pub id: String,
    pub problem: String,
    pub started_at: DateTime<Utc>,
    pub pace: Pace,
    /// Candidate turns so far.
    pub turns: usize,
    pub finished: bool,
    pub level: Option<Level>,
    pub overall: Option<u8>,
}

/// All sessions under the data dir, newest first. Unreadable files are
/// reported as warnings, not errors, so one bad file never hides the rest.
pub fn list_sessions(data_dir: &Path) -> (Vec<SessionSummary>, Vec<String>) {
    let dir = sessions_dir(data_dir);
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return (out, warnings);
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.extension().and_then(|x| x.to_str()) != Some("jsonl") {
            continue;
        }
        match read_journal(&path) {
            Ok(j) => {
                if let Some(s) = summarise(&j) {
                    out.push(s);
                }
            }
            Err(err) => warnings.push(err.to_string()),
        }
    }
    out.sort_by(|a, b| b.started_at.cmp(&a.started_at).then(b.id.cmp(&a.id)));
    (out, warnings)
}

/// The summary row of one journal.
pub fn summarise(j: &JournalRead) -> Option<SessionSummary> {
    let Some(Record::Start {
        id,
        problem,
        pace,
        started_at,
        ..
    }) = j.start()
    else {
        return None;
    };
    let turns = j
        .records
        .iter()
        .filter(|r| matches!(r, Record::Candidate { .. }))
        .count();
    let (level, overall) = match j.end() {
        Some(Record::End { level, overall, .. }) => (Some(*level), Some(*overall)),
        _ => (None, None),
    };
    Some(SessionSummary {
        id: id.clone(),
        problem: problem.clone(),
        started_at: *started_at,
        pace: *pace,
        turns,
        finished: level.is_some(),
        level,
        overall,
    })
}

/// Resolve a session id or unique prefix to its journal path.
pub fn resolve(data_dir: &Path, prefix: &str) -> Result<PathBuf, JournalError> {
    let exact = journal_path(data_dir, prefix);
    if exact.is_file() {
        return Ok(exact);
    }
    let dir = sessions_dir(data_dir);
    let mut matches: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .filter_map(|n| n.strip_suffix(".jsonl").map(str::to_string))
                .filter(|n| n.starts_with(prefix))
                .collect()
        })
        .unwrap_or_default();
    matches.sort();
    match matches.len() {
        0 => Err(JournalError::NotFound(prefix.to_string())),
        1 => Ok(journal_path(data_dir, &matches[0])),
        _ => Err(JournalError::Ambiguous {
            prefix: prefix.to_string(),
            matches,
        }),
    }
}

/// The conversation in a journal as readable text: who said what, when.
pub fn render_transcript(records: &[Record]) -> String {
    let mut out = String::new();
    for r in records {
        match r {
            Record::Start {
                id,
                problem,
                pace,
                started_at,
                backend,
                model,
                ..
            } => out.push_str(&format!(
                "Session {id}: problem {problem}, pace {}, started {}, backend {backend} ({model})\n\n",
                pace.id(),
                started_at.format("%Y-%m-%d %H:%M UTC")
            )),
            Record::Interviewer {
                at_ms, phase, text, ..
            } => out.push_str(&format!(
                "Interviewer [{} {}]: {}\n\n",
                phase.id(),
                crate::interview::clock::format_mmss(*at_ms as i64),
                text.trim_end()
            )),
            Record::Candidate { at_ms, phase, text } => out.push_str(&format!(
                "You [{} {}]: {}\n\n",
                phase.id(),
                crate::interview::clock::format_mmss(*at_ms as i64),
                text.trim_end()
            )),
            Record::TimeUp { at_ms, phase } => out.push_str(&format!(
                "(time up [{} {}]: the {} budget was spent)\n\n",
                phase.id(),
                crate::interview::clock::format_mmss(*at_ms as i64),
                phase.title().to_lowercase()
            )),
            Record::End { level, overall, .. } => {
                out.push_str(&format!("Round ended: {level}, {overall}/100\n"))
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start() -> Record {
        Record::Start {
            id: "s1".into(),
            problem: "clickstream".into(),
            pace: Pace::Fast,
            seed: 1,
            started_at: DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default(),
            backend: "offline".into(),
            model: "offline".into(),
            version: JOURNAL_VERSION,
            focus: None,
        }
    }

    #[test]
    fn torn_last_line_is_skipped_and_cut_before_appending() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s1.jsonl");
        let mut j = Journal::create(&path, &start()).expect("create");
        j.append(&Record::Candidate {
            at_ms: 5,
            phase: Phase::Clarify,
            text: "What is the scale?".into(),
        })
        .expect("append");
        drop(j);
        let mut f = OpenOptions::new().append(true).open(&path).expect("open");
        f.write_all(br#"{"type":"interviewer","at_ms":9,"pha"#)
            .expect("tear");
        drop(f);
        let read = read_journal(&path).expect("read");
        assert_eq!(read.records.len(), 2);
        assert_eq!(read.warnings.len(), 1, "{:?}", read.warnings);
        let mut j = Journal::reopen(&path).expect("reopen");
        j.append(&Record::Candidate {
            at_ms: 10,
            phase: Phase::Clarify,
            text: "again".into(),
        })
        .expect("append");
        let read = read_journal(&path).expect("read");
        assert_eq!(read.records.len(), 3);
        assert!(read.warnings.is_empty());
    }

    #[test]
    fn start_records_from_before_focus_still_read() {
        let old = r#"{"type":"start","id":"s1","problem":"clickstream","pace":"fast","seed":1,"started_at":"2026-01-01T00:00:00Z","backend":"offline","model":"offline","version":1}"#;
        let rec: Record = serde_json::from_str(old).expect("an older start record reads");
        assert!(matches!(rec, Record::Start { focus: None, .. }));
        let mut with = start();
        if let Record::Start { focus, .. } = &mut with {
            *focus = Some(ConceptId::from("watermarks"));
        }
        let line = serde_json::to_string(&with).expect("json");
        assert!(line.contains(r#""focus":"watermarks""#), "{line}");
        assert_eq!(serde_json::from_str::<Record>(&line).expect("reads"), with);
        // No focus, no key: journals without one look as they did.
        assert!(!serde_json::to_string(&start())
            .expect("json")
            .contains("focus"));
    }

    #[test]
    fn resolve_by_unique_prefix() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = journal_path(dir.path(), "20260101-abc");
        Journal::create(&p, &start()).expect("create");
        assert_eq!(resolve(dir.path(), "20260101").expect("resolve"), p);
        assert!(matches!(
            resolve(dir.path(), "nope"),
            Err(JournalError::NotFound(_))
        ));
    }
}

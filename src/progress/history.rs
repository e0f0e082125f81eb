//! Reading the practice record: every finished round in the data dir (its
//! journal says when and whether it finished, its debrief what it scored)
//! and, optionally, answers graded by `mockround grade`.
//!
//! Only the fields progress needs are read, so a debrief or result row that
//! gains fields later still reads; one that lacks them (torn, or from an
//! older version) is skipped with a warning naming the file, and never hides
//! the rest of the record.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::interview::clock::Millis;
use crate::rubric::{ConceptId, Level, Phase, SignalId};
use crate::transcript::{
    debrief_paths, read_journal, sessions_dir, JournalRead, Record, JOURNAL_VERSION,
};

/// Where an attempt comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// A round played with `mockround practice`.
    Round,
    /// A written answer graded by `mockround grade`.
    Graded,
}

/// Time used in one phase of a timed round, against its budget.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PhaseUse {
    pub phase: Phase,
    pub used_ms: Millis,
    pub budget_ms: Millis,
}

/// One scored attempt: a finished round or a graded answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub source: Source,
    /// Session id, or the graded row's id.
    pub id: String,
    pub problem: String,
    /// When the round started; graded answers carry no date.
    pub started_at: Option<DateTime<Utc>>,
    pub level: Level,
    pub overall: u8,
    /// Strength 0–4 per concept, as scored.
    pub concepts: Vec<(ConceptId, u8)>,
    /// Strength 0–4 per signal, as scored.
    pub signals: Vec<(SignalId, u8)>,
    /// Phase times of a timed round; empty for untimed rounds and graded answers.
    pub phases: Vec<PhaseUse>,
    /// The concept the round drilled (`practice --focus`).
    pub focus: Option<ConceptId>,
}

/// What reading found: the attempts in practice order, and what was left out.
#[derive(Debug, Clone, Default)]
pub struct PracticeRecord {
    /// Rounds by start time, then graded answers in the order of their file.
    pub attempts: Vec<Attempt>,
    /// Each file or line skipped, naming it and why.
    pub warnings: Vec<String>,
    /// Ids of rounds not finished yet (not counted; they can be resumed).
    pub unfinished: Vec<String>,
}

#[derive(Deserialize)]
struct Strength<K> {
    id: K,
    strength: u8,
}

#[derive(Deserialize)]
struct CardView {
    concepts: Vec<Strength<ConceptId>>,
    signals: Vec<Strength<SignalId>>,
}

#[derive(Deserialize)]
struct PhaseTimeView {
    phase: Phase,
    used_ms: Millis,
    budget_ms: Option<Millis>,
}

#[derive(Deserialize)]
struct FocusView {
    concept: ConceptId,
}

/// The part of `<id>.debrief.json` progress reads.
#[derive(Deserialize)]
struct DebriefView {
    problem: String,
    level: Level,
    overall: u8,
    scorecard: CardView,
    phase_times: Vec<PhaseTimeView>,
    #[serde(default)]
    focus: Option<FocusView>,
}

#[derive(Deserialize)]
struct CriterionView<K> {
    id: K,
    #[serde(rename = "final")]
    final_score: u8,
}

/// The part of a `mockround grade` result row progress reads.
#[derive(Deserialize)]
struct RowView {
    id: String,
    problem: Option<String>,
    status: String,
    level: Option<Level>,
    overall: Option<u8>,
    concepts: Vec<CriterionView<ConceptId>>,
    signals: Vec<CriterionView<SignalId>>,
}

/// Every finished round under `data_dir`, oldest first. Never fails: a
/// missing sessions directory is an empty record, and each unreadable file
/// is a warning.
pub fn read_rounds(data_dir: &Path) -> PracticeRecord {
    let mut out = PracticeRecord::default();
    let dir = sessions_dir(data_dir);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return out;
    };
    let mut journals: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().and_then(|x| x.to_str()) == Some("jsonl"))
        .collect();
    journals.sort();
    for path in journals {
        match read_journal(&path) {
            Ok(j) => read_round(data_dir, &path, &j, &mut out),
            Err(e) => out.warnings.push(format!(
                "{e}; skipped (a torn file, or not written by this version of mockround)"
            )),
        }
    }
    out.attempts
        .sort_by(|a, b| a.started_at.cmp(&b.started_at).then(a.id.cmp(&b.id)));
    out
}

fn read_round(data_dir: &Path, path: &Path, j: &JournalRead, out: &mut PracticeRecord) {
    let Some(Record::Start {
        id,
        started_at,
        version,
        focus,
        ..
    }) = j.start()
    else {
        return;
    };
    if *version > JOURNAL_VERSION {
        out.warnings.push(format!(
            "{}: skipped: written by a newer mockround (journal version {version}; this one reads up to {JOURNAL_VERSION})",
            path.display()
        ));
        return;
    }
    if j.end().is_none() {
        for w in &j.warnings {
            out.warnings.push(format!(
                "{w}; the round is not finished, so it is not counted (continue it with `mockround practice --resume {id}`)"
            ));
        }
        out.unfinished.push(id.clone());
        return;
    }
    out.warnings.extend(j.warnings.iter().cloned());
    let (_, json) = debrief_paths(data_dir, id);
    let text = match std::fs::read_to_string(&json) {
        Ok(t) => t,
        Err(e) => {
            out.warnings.push(format!(
                "{}: skipped: the round finished but its debrief cannot be read ({e})",
                json.display()
            ));
            return;
        }
    };
    let d: DebriefView = match serde_json::from_str(&text) {
        Ok(d) => d,
        Err(e) => {
            out.warnings.push(format!(
                "{}: skipped: not a debrief this version of mockround reads ({e}); it may be torn or from an older version",
                json.display()
            ));
            return;
        }
    };
    let phases = d
        .phase_times
        .iter()
        .filter_map(|p| {
            p.budget_ms.map(|budget_ms| PhaseUse {
                phase: p.phase,
                used_ms: p.used_ms,
                budget_ms,
            })
        })
        .collect();
    out.attempts.push(Attempt {
        source: Source::Round,
        id: id.clone(),
        problem: d.problem,
        started_at: Some(*started_at),
        level: d.level,
        overall: d.overall,
        concepts: d
            .scorecard
            .concepts
            .into_iter()
            .map(|c| (c.id, c.strength))
            .collect(),
        signals: d
            .scorecard
            .signals
            .into_iter()
            .map(|s| (s.id, s.strength))
            .collect(),
        phases,
        focus: d.focus.map(|f| f.concept).or_else(|| focus.clone()),
    });
}

/// Graded answers from a `mockround grade` results file, in file order.
/// Rows that could not be graded are left out; a line that is not a result
/// row (torn, or from another version) is a warning naming `file:line`.
/// Only a file that cannot be opened or read is an error.
pub fn read_grades(path: &Path) -> Result<(Vec<Attempt>, Vec<String>), std::io::Error> {
    let mut reader = BufReader::new(File::open(path)?);
    let mut attempts = Vec::new();
    let mut warnings = Vec::new();
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        line_no += 1;
        let line = String::from_utf8_lossy(&buf);
        if line.trim().is_empty() {
            continue;
        }
        let row: RowView = match serde_json::from_str(line.trim()) {
            Ok(r) => r,
            Err(e) => {
                let why = if buf.ends_with(b"\n") {
                    format!("not a result row this version of mockround reads ({e})")
                } else {
                    "a torn last row (the grading run was interrupted)".to_string()
                };
                warnings.push(format!("{}:{line_no}: skipped: {why}", path.display()));
                continue;
            }
        };
        let (Some(level), Some(overall)) = (row.level, row.overall) else {
            continue;
        };
        if row.status != "graded" {
            continue;
        }
        attempts.push(Attempt {
            source: Source::Graded,
            id: row.id,
            problem: row.problem.unwrap_or_default(),
            started_at: None,
            level,
            overall,
            concepts: row
                .concepts
                .into_iter()
                .map(|c| (c.id, c.final_score))
                .collect(),
            signals: row
                .signals
                .into_iter()
                .map(|c| (c.id, c.final_score))
                .collect(),
            phases: Vec::new(),
            focus: None,
        });
    }
    Ok((attempts, warnings))
}

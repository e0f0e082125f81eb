//! The result row: one per input, whatever happened to it. Every report
//! (JSONL, CSV, Markdown, HTML) is built from these rows and nothing else,
//! so a results file alone is enough to rebuild any report later.

use serde::{Deserialize, Serialize};

use crate::rubric::{Level, Phase};
use crate::score::combine::CriterionResult;
use crate::score::judge::CriterionKind;

/// Whether the input was graded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RowStatus {
    /// Scored (possibly with a judge failure noted in `error`).
    Graded,
    /// Not scored: the input itself was bad (`error` says why).
    Error,
}

/// What happened with the LLM judge for this row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JudgeStatus {
    /// The first reply was valid.
    Ok,
    /// The first reply was malformed; the one repair attempt was valid.
    Repaired,
    /// The judge failed (backend error or two bad replies); the row holds
    /// the rubric scorer's result alone and `error` says why.
    Failed,
    /// No judge: the offline backend, or an input that could not be read.
    None,
}

/// One framework step's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepRow {
    pub phase: Phase,
    pub score: u8,
}

/// Tokens the server reported for this row (all attempts together).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Tokens {
    pub prompt: u64,
    pub completion: u64,
}

/// One input's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultRow {
    /// The input's id (JSONL `id`, file path, or `file:line`).
    pub id: String,
    /// Where it came from (`file` or `file:line`).
    pub source: String,
    /// Hash of answer, problem, rubric version, backend, model and prompt
    /// version; empty for inputs that could not be read.
    pub key: String,
    pub problem: Option<String>,
    pub status: RowStatus,
    pub judge_status: JudgeStatus,
    /// Why the input failed, or why the judge failed.
    pub error: Option<String>,
    pub backend: String,
    pub model: String,
    pub rubric_version: String,
    pub prompt_version: String,
    /// Final overall 0–100 (judge and evidence combined).
    pub overall: Option<u8>,
    /// The rubric scorer's overall alone.
    pub evidence_overall: Option<u8>,
    pub level: Option<Level>,
    pub concepts: Vec<CriterionResult>,
    pub signals: Vec<CriterionResult>,
    pub steps: Vec<StepRow>,
    /// The answer contains text addressed to the grader; the judge could
    /// not raise any score.
    #[serde(default)]
    pub grader_directed: bool,
    pub tokens: Tokens,
    pub latency_ms: u64,
    /// What the judge did instead of the configured request, when it did
    /// something else: a timeout on a local server was not retried as is
    /// (it fell back to the rubric scorer, or asked once for the key
    /// concepts only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judge_note: Option<String>,
}

impl ResultRow {
    /// A row for an input that could not be graded at all.
    pub fn input_error(id: &str, source: &str, problem: Option<String>, message: String) -> Self {
        Self {
            id: id.to_string(),
            source: source.to_string(),
            key: String::new(),
            problem,
            status: RowStatus::Error,
            judge_status: JudgeStatus::None,
            error: Some(message),
            backend: String::new(),
            model: String::new(),
            rubric_version: String::new(),
            prompt_version: String::new(),
            overall: None,
            evidence_overall: None,
            level: None,
            concepts: vec![],
            signals: vec![],
            steps: vec![],
            grader_directed: false,
            tokens: Tokens::default(),
            latency_ms: 0,
            judge_note: None,
        }
    }

    /// True when the row counts as a failure for the exit code: a bad
    /// input, or a judge that was asked for and did not deliver.
    pub fn failed(&self) -> bool {
        self.status == RowStatus::Error || self.judge_status == JudgeStatus::Failed
    }

    /// Criteria of one kind.
    pub fn criteria(&self, kind: CriterionKind) -> &[CriterionResult] {
        match kind {
            CriterionKind::Concept => &self.concepts,
            CriterionKind::Signal => &self.signals,
        }
    }
}

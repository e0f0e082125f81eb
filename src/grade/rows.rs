//! The result row: one per input, whatever happened to it. Every report
//! (JSONL, CSV, Markdown, HTML) is built from these rows and nothing else,
//! so a results file alone is enough to rebuild any report later.

use serde::{Deserialize, Serialize};

use crate::rubric::{ConceptId, Level, Phase};
use crate::score::card::{Evidence, Verdict};
use crate::score::combine::CriterionResult;
use crate::score::judge::CriterionKind;

/// How many strengths a row names: enough to say what to keep doing,
/// few enough to read in a table cell.
pub const MAX_STRENGTHS: usize = 3;

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
    /// No problem id came with the input (no JSONL `problem`, no front
    /// matter, no `--problem`): it was graded against the generic rubric.
    #[serde(default)]
    pub problem_missing: bool,
    /// What the problem's brief asks for that the answer never covers
    /// ("live per-user session dashboards"), in the brief's order.
    #[serde(default)]
    pub brief_missed: Vec<String>,
    /// Why this level: absent on error rows and on rows written before
    /// verdicts were recorded.
    #[serde(default)]
    pub verdict: Option<RowVerdict>,
    /// What the answer does best, strongest first, each with its quote.
    #[serde(default)]
    pub strengths: Vec<Strength>,
    /// The changes that would lift it most, each with what an L5 answer to
    /// this problem says there.
    #[serde(default)]
    pub improvements: Vec<Improvement>,
    pub tokens: Tokens,
    pub latency_ms: u64,
    /// What the judge did instead of the configured request, when it did
    /// something else: a timeout on a local server was not retried as is
    /// (it fell back to the rubric scorer, or asked once for the key
    /// concepts only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judge_note: Option<String>,
    /// With `--samples N`: each criterion's scores across the judge's
    /// samples, their spread, and which are unstable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judge_samples: Option<crate::grade::samples::JudgeSamples>,
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
            problem_missing: false,
            brief_missed: vec![],
            verdict: None,
            strengths: vec![],
            improvements: vec![],
            tokens: Tokens::default(),
            latency_ms: 0,
            judge_note: None,
            judge_samples: None,
        }
    }

    /// True when the row counts as a failure for the exit code: a bad
    /// input, or a judge that was asked for and did not deliver.
    pub fn failed(&self) -> bool {
        self.status == RowStatus::Error || self.judge_status == JudgeStatus::Failed
    }

    /// The gap to close first, for a report's table: the first failed gate
    /// (the one that kept the answer from the next level), else the first
    /// improvement. None for error rows and rows without a verdict.
    pub fn top_gap(&self) -> Option<String> {
        let v = self.verdict.as_ref()?;
        match v.failed_gates.first() {
            Some(g) => Some(format!("{} {}: {}", g.level, g.gate, g.because)),
            None => self.improvements.first().map(|i| i.text.clone()),
        }
    }

    /// Criteria of one kind.
    pub fn criteria(&self, kind: CriterionKind) -> &[CriterionResult] {
        match kind {
            CriterionKind::Concept => &self.concepts,
            CriterionKind::Signal => &self.signals,
        }
    }
}

/// The verdict as a row carries it: the level, the reasons that decided
/// it, and every gate of the ladder it did not pass with what would have.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowVerdict {
    pub level: Level,
    pub reasons: Vec<String>,
    /// Lowest level first, so the first one is the gap that kept the
    /// answer from the next level.
    pub failed_gates: Vec<FailedGate>,
}

/// A gate of the verdict ladder the answer did not pass.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FailedGate {
    /// Short id: `diagram`, `failures`, `idempotency`, `cost`...
    pub gate: String,
    /// The level the gate guards.
    pub level: Level,
    /// What was missing, with the decisive facts.
    pub because: String,
    /// What would have passed it.
    pub to_pass: String,
}

/// A concept or signal the answer covered well, with the candidate's words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Strength {
    pub kind: CriterionKind,
    pub id: String,
    pub name: String,
    /// Final strength, 3 (adequate) or 4 (strong).
    pub strength: u8,
    /// A verbatim span of the answer that earned it.
    pub quote: String,
}

/// One change that would lift the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Improvement {
    pub text: String,
    /// "What an L5 answer says here": an excerpt of the problem's
    /// reference architecture, when one fits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub l5_says: Option<String>,
}

/// What a graded row says about itself: built from the scorer's verdict and
/// the final (judge-combined) criteria, so the explanation matches the
/// scores next to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    pub verdict: RowVerdict,
    pub strengths: Vec<Strength>,
    pub improvements: Vec<Improvement>,
}

impl Explanation {
    /// `level` is the row's final level; when the judge lowered it below
    /// the scorer's verdict, the first reason says so. `key_concepts` (the
    /// problem's) win ties between equally strong criteria.
    pub fn new(
        verdict: &Verdict,
        level: Level,
        criteria: &[CriterionResult],
        key_concepts: &[ConceptId],
        answer: &str,
    ) -> Self {
        let mut reasons = verdict.reasons.clone();
        if level < verdict.level {
            reasons.insert(
                0,
                format!(
                    "Lowered from {} to {level}: with the judge's scores the overall is under the {} bar",
                    verdict.level, verdict.level
                ),
            );
            reasons.truncate(3);
        }
        let failed_gates = verdict
            .gates
            .iter()
            .filter(|g| !g.passed)
            .map(|g| FailedGate {
                gate: g.gate.clone(),
                level: g.level,
                because: g.because.clone(),
                to_pass: g.to_pass.clone().unwrap_or_default(),
            })
            .collect();
        let improvements = if verdict.advice.is_empty() {
            verdict
                .improvements
                .iter()
                .map(|t| Improvement {
                    text: t.clone(),
                    l5_says: None,
                })
                .collect()
        } else {
            verdict
                .advice
                .iter()
                .map(|a| Improvement {
                    text: a.text.clone(),
                    l5_says: a.l5_says.clone(),
                })
                .collect()
        };
        Self {
            verdict: RowVerdict {
                level,
                reasons,
                failed_gates,
            },
            strengths: strengths(criteria, key_concepts, answer),
            improvements,
        }
    }
}

/// The strongest criteria at adequate (3) or better that have a quote:
/// strongest first, the problem's key concepts before others, then
/// concepts before signals, then rubric order. Each names a different
/// quote when it has one, so three strengths are three pieces of evidence.
fn strengths(
    criteria: &[CriterionResult],
    key_concepts: &[ConceptId],
    answer: &str,
) -> Vec<Strength> {
    let mut picked: Vec<(usize, &CriterionResult)> = criteria
        .iter()
        .enumerate()
        .filter(|(_, c)| c.final_score >= 3 && best_quote(&quotes(c), &[]).is_some())
        .collect();
    let is_key = |c: &CriterionResult| {
        c.kind == CriterionKind::Concept && key_concepts.iter().any(|k| k.as_str() == c.id)
    };
    picked.sort_by_key(|(i, c)| {
        (
            std::cmp::Reverse(c.final_score),
            !is_key(c),
            c.kind != CriterionKind::Concept,
            *i,
        )
    });
    let mut used: Vec<String> = Vec::new();
    picked
        .into_iter()
        .take(MAX_STRENGTHS)
        .filter_map(|(_, c)| {
            let all = quotes(c);
            let quote = best_quote(&all, &used).or_else(|| best_quote(&all, &[]))?;
            used.push(quote.clone());
            Some(Strength {
                kind: c.kind,
                id: c.id.clone(),
                name: c.name.clone(),
                strength: c.final_score,
                quote: whole_words(answer, &quote),
            })
        })
        .collect()
}

/// A quote that starts or ends inside a word, grown to the whole words
/// around it (still a verbatim span of the answer). A quote not found in
/// the answer is left as it is.
fn whole_words(answer: &str, quote: &str) -> String {
    let Some(start) = answer.find(quote) else {
        return quote.to_string();
    };
    let end = start + quote.len();
    let in_word = |c: char| c.is_alphanumeric() || c == '_' || c == '\'';
    let from = answer[..start]
        .char_indices()
        .rev()
        .take_while(|(_, c)| in_word(*c))
        .last()
        .map_or(start, |(i, _)| i);
    let to = answer[end..]
        .char_indices()
        .take_while(|(_, c)| in_word(*c))
        .last()
        .map_or(end, |(i, c)| end + i + c.len_utf8());
    let starts_mid = from < start && quote.starts_with(in_word);
    let ends_mid = to > end && quote.ends_with(in_word);
    let from = if starts_mid { from } else { start };
    let to = if ends_mid { to } else { end };
    answer[from..to].to_string()
}

/// Every quote a criterion has: the rubric scorer's, then the judge's.
fn quotes(c: &CriterionResult) -> Vec<&Evidence> {
    c.evidence_quotes.iter().chain(&c.judge_quotes).collect()
}

/// The quote that reads best on its own, leaving out `used` ones: the
/// first sentence or clause of prose (six words or more, not a diagram
/// line), else the first of six words or more, else the longest.
fn best_quote(quotes: &[&Evidence], used: &[String]) -> Option<String> {
    let fresh: Vec<&Evidence> = quotes
        .iter()
        .copied()
        .filter(|e| !e.quote.trim().is_empty() && !used.contains(&e.quote))
        .collect();
    let words = |e: &Evidence| e.quote.split_whitespace().count();
    let diagram = |e: &Evidence| {
        ["->", "=>", "<-", "\u{2192}", "|", "+--"]
            .iter()
            .any(|a| e.quote.contains(a))
            || e.quote
                .chars()
                .any(|c| ('\u{2500}'..='\u{257f}').contains(&c))
    };
    fresh
        .iter()
        .find(|e| words(e) >= 6 && !diagram(e))
        .or_else(|| fresh.iter().find(|e| words(e) >= 6))
        .or_else(|| fresh.iter().max_by_key(|e| words(e)))
        .map(|e| e.quote.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::card::{Advice, GateResult};

    fn gate(level: Level, id: &str, passed: bool) -> GateResult {
        GateResult {
            level,
            gate: id.into(),
            passed,
            because: format!("{id} because"),
            to_pass: (!passed).then(|| format!("{id} would pass")),
        }
    }

    fn verdict(level: Level) -> Verdict {
        Verdict {
            level,
            reasons: vec!["Draws the architecture".into(), "Not L6: no ops".into()],
            improvements: vec!["Add operations".into(), "Add cost".into()],
            gates: vec![
                gate(Level::L4, "diagram", true),
                gate(Level::L5, "failures", true),
                gate(Level::L6, "operations", false),
                gate(Level::L6, "cost", false),
            ],
            advice: vec![
                Advice {
                    text: "Add operations".into(),
                    l5_says: Some("page on lag > 5 min".into()),
                },
                Advice {
                    text: "Add cost".into(),
                    l5_says: None,
                },
            ],
        }
    }

    fn criterion(kind: CriterionKind, id: &str, score: u8, quotes: &[&str]) -> CriterionResult {
        CriterionResult {
            kind,
            id: id.into(),
            name: format!("{id} name"),
            evidence: score,
            judge: None,
            judge_claimed: None,
            final_score: score,
            disagree: false,
            evidence_quotes: quotes
                .iter()
                .map(|q| Evidence {
                    start: 0,
                    end: q.len(),
                    quote: (*q).to_string(),
                })
                .collect(),
            judge_quotes: vec![],
            dropped_quotes: vec![],
        }
    }

    #[test]
    fn failed_gates_carry_what_would_pass_them_and_advice_its_l5_excerpt() {
        let e = Explanation::new(&verdict(Level::L5), Level::L5, &[], &[], "");
        assert_eq!(e.verdict.level, Level::L5);
        assert_eq!(e.verdict.reasons.len(), 2);
        let gates: Vec<(&str, Level, &str)> = e
            .verdict
            .failed_gates
            .iter()
            .map(|g| (g.gate.as_str(), g.level, g.to_pass.as_str()))
            .collect();
        assert_eq!(
            gates,
            vec![
                ("operations", Level::L6, "operations would pass"),
                ("cost", Level::L6, "cost would pass")
            ]
        );
        assert_eq!(
            e.improvements[0].l5_says.as_deref(),
            Some("page on lag > 5 min")
        );
        assert_eq!(e.improvements[1].l5_says, None);
    }

    #[test]
    fn a_level_the_judge_lowered_says_so_first() {
        let e = Explanation::new(&verdict(Level::L5), Level::L4, &[], &[], "");
        assert_eq!(e.verdict.level, Level::L4);
        assert!(
            e.verdict.reasons[0].starts_with("Lowered from L5 to L4"),
            "{:?}",
            e.verdict.reasons
        );
        assert!(e.verdict.reasons.len() <= 3);
    }

    #[test]
    fn strengths_are_the_strongest_quoted_criteria_key_concepts_first_with_distinct_quotes() {
        let shared = "Flink dedupes by event_id with a 24h TTL so retries are harmless";
        let criteria = vec![
            criterion(
                CriterionKind::Concept,
                "watermarks",
                3,
                &["a 10 minute watermark holds late events back"],
            ),
            criterion(
                CriterionKind::Concept,
                "idempotency",
                4,
                &["-> Flink (dedupe by event_id, 24h TTL, sessionize)", shared],
            ),
            criterion(
                CriterionKind::Concept,
                "exactly-once",
                4,
                &[shared, "checkpoints commit the two phase sink atomically"],
            ),
            criterion(
                CriterionKind::Signal,
                "specific-numbers",
                4,
                &["200K events/sec at peak with 64 partitions"],
            ),
            criterion(
                CriterionKind::Concept,
                "cdc",
                2,
                &["Debezium reads the binlog of the orders table"],
            ),
            criterion(CriterionKind::Concept, "backfill", 4, &[]),
        ];
        let key = vec![ConceptId::from("exactly-once")];
        let e = Explanation::new(&verdict(Level::L5), Level::L5, &criteria, &key, "");
        let got: Vec<(&str, &str)> = e
            .strengths
            .iter()
            .map(|s| (s.id.as_str(), s.quote.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                // Key concept first; then a prose quote over a diagram line,
                // and not the same quote twice.
                ("exactly-once", shared),
                (
                    "idempotency",
                    "-> Flink (dedupe by event_id, 24h TTL, sessionize)"
                ),
                (
                    "specific-numbers",
                    "200K events/sec at peak with 64 partitions"
                ),
            ]
        );
    }

    #[test]
    fn strength_quotes_cut_inside_a_word_grow_to_whole_words() {
        let answer = "Debezium is at-least-once, so a restart can re-emit changes.";
        assert_eq!(
            whole_words(answer, "bezium is at-least-once, so a restart can re-em"),
            "Debezium is at-least-once, so a restart can re-emit"
        );
        assert_eq!(whole_words(answer, "so a restart"), "so a restart");
        assert_eq!(
            whole_words(answer, "not in the answer"),
            "not in the answer"
        );
    }

    #[test]
    fn top_gap_is_the_first_failed_gate_else_the_first_improvement() {
        let mut row = ResultRow::input_error("a", "a", None, "x".into());
        assert_eq!(row.top_gap(), None);
        let e = Explanation::new(&verdict(Level::L5), Level::L5, &[], &[], "");
        row.verdict = Some(e.verdict);
        row.improvements = e.improvements;
        assert_eq!(
            row.top_gap().as_deref(),
            Some("L6 operations: operations because")
        );
        if let Some(v) = row.verdict.as_mut() {
            v.failed_gates.clear();
        }
        assert_eq!(row.top_gap().as_deref(), Some("Add operations"));
    }
}

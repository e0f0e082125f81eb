//! Grading one answer: resolve its problem, key it, run the rubric scorer
//! (always), then the judge when a model is configured, and combine. The
//! pipeline calls this for each input; it never decides concurrency.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::backend::{is_loopback_url, BackendError, ChatBackend, ChatReply, ChatRequest};
use crate::grade::input::{Answer, InputError, InputItem};
use crate::grade::key::{result_key, KeyParts};
use crate::grade::rows::{Explanation, JudgeStatus, ResultRow, RowStatus, StepRow, Tokens};
use crate::grade::samples;
use crate::rubric::{Level, Problem};
use crate::score::card::Scorecard;
use crate::score::combine::{self, Combined};
use crate::score::judge::{self, Criterion, CriterionKind, JudgeError, JudgeScope};

/// The deterministic side of grading, as the pipeline needs it. The rubric
/// scorer implements it; the seam keeps the pipeline testable on its own.
pub trait EvidenceScorer: Send + Sync {
    /// Rubric version, part of every result key.
    fn rubric_version(&self) -> String;
    /// A problem from the bank.
    fn problem(&self, id: &str) -> Option<Problem>;
    /// Every problem id, for "unknown problem" messages.
    fn problem_ids(&self) -> Vec<String>;
    /// The concepts and signals the judge scores.
    fn criteria(&self) -> Vec<Criterion>;
    /// Score one answer.
    fn score(&self, problem: Option<&Problem>, text: &str) -> Scorecard;
    /// The level after the judge moved the overall: the evidence verdict,
    /// lowered when the final overall misses that level's bar. A judge can
    /// cost a level but never grant one (the other gates need evidence).
    fn final_level(&self, evidence_level: Level, _final_overall: u8) -> Level {
        evidence_level
    }
}

/// One answer ready to grade: problem resolved, key computed.
#[derive(Debug, Clone)]
pub struct Job {
    pub answer: Answer,
    pub problem: Option<Problem>,
    pub key: String,
}

/// What preparing an input gives: a job, or a finished error row.
#[derive(Debug)]
pub enum Prepared {
    Job(Box<Job>),
    Done(Box<ResultRow>),
}

/// How one grading attempt ended.
#[derive(Debug)]
pub enum Attempt {
    Row(Box<ResultRow>),
    /// The server is rate-limiting us (429 after the backend's own
    /// retries): the pipeline slows down and tries this job again.
    Throttled(Box<Job>, BackendError),
}

/// Everything needed to grade answers, shared by every task of a run.
pub struct Grader {
    scorer: Arc<dyn EvidenceScorer>,
    backend: Arc<dyn ChatBackend>,
    criteria: Vec<Criterion>,
    rubric_version: String,
    /// Problem id for inputs that name none (`--problem`).
    pub default_problem: Option<String>,
    pub temperature: Option<f32>,
    pub seed: Option<u64>,
    pub disagree_threshold: u8,
    /// Reply ceiling for the judge (`judge_max_tokens` in the profile).
    pub judge_max_tokens: u32,
    /// Which criteria the judge scores (`judge_scope` in the profile).
    pub judge_scope: JudgeScope,
    /// Judge samples per answer (`--samples`); 1 asks once.
    pub samples: u32,
    /// Scoring runs on blocking threads, at most one per core: more would
    /// only add threads (and their allocator arenas) without adding speed.
    score_slots: Arc<tokio::sync::Semaphore>,
}

impl Grader {
    /// A grader over this scorer and backend.
    pub fn new(scorer: Arc<dyn EvidenceScorer>, backend: Arc<dyn ChatBackend>) -> Self {
        let criteria = scorer.criteria();
        let rubric_version = scorer.rubric_version();
        Self {
            scorer,
            backend,
            criteria,
            rubric_version,
            default_problem: None,
            temperature: Some(0.0),
            seed: None,
            disagree_threshold: combine::DEFAULT_DISAGREE_THRESHOLD,
            judge_max_tokens: judge::JUDGE_MAX_TOKENS,
            judge_scope: JudgeScope::All,
            samples: 1,
            score_slots: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism()
                    .map(|n| n.get())
                    .unwrap_or(2),
            )),
        }
    }

    /// True when a judge runs (any backend but offline).
    pub fn uses_judge(&self) -> bool {
        !self.backend.is_offline()
    }

    /// The backend, for token counting and batch export.
    pub fn backend(&self) -> &dyn ChatBackend {
        self.backend.as_ref()
    }

    /// The judge's criteria.
    pub fn criteria(&self) -> &[Criterion] {
        &self.criteria
    }

    /// Rubric version in use.
    pub fn rubric_version(&self) -> &str {
        &self.rubric_version
    }

    /// Prompt version in keys: the judge prompt's, or `none` offline (so
    /// editing the prompt does not invalidate offline results).
    pub fn prompt_version(&self) -> &str {
        if self.uses_judge() {
            judge::prompt_version_for(self.judge_scope)
        } else {
            "none"
        }
    }

    /// The prompt version as it goes into result keys: with `--samples N`
    /// (N > 1) a judged row is a different result (median of N, with its
    /// spread), so the key says how many; one sample keeps the plain
    /// version, so keys of earlier runs still match.
    fn key_prompt_version(&self) -> String {
        let pv = self.prompt_version();
        if self.uses_judge() && self.samples > 1 {
            format!("{pv}#samples={}", self.samples)
        } else {
            pv.to_string()
        }
    }

    /// Resolve the problem (JSONL field or front matter, then `--problem`),
    /// compute the key, or turn a bad input into its error row.
    pub fn prepare(&self, item: InputItem) -> Prepared {
        let answer = match item {
            Ok(a) => a,
            Err(InputError {
                id,
                source,
                message,
            }) => return Prepared::Done(Box::new(self.error_row(&id, &source, None, message))),
        };
        let problem_id = answer
            .problem
            .clone()
            .or_else(|| self.default_problem.clone());
        let problem = match &problem_id {
            None => None,
            Some(pid) => match self.scorer.problem(pid) {
                Some(p) => Some(p),
                None => {
                    let msg = format!(
                        "unknown problem id `{pid}`; valid ids: {}",
                        self.scorer.problem_ids().join(", ")
                    );
                    return Prepared::Done(Box::new(self.error_row(
                        &answer.id,
                        &answer.source,
                        problem_id.clone(),
                        msg,
                    )));
                }
            },
        };
        let key = result_key(&KeyParts {
            answer: &answer.text,
            problem: problem_id.as_deref(),
            rubric_version: &self.rubric_version,
            backend: self.backend.kind(),
            model: self.backend.model(),
            prompt_version: &self.key_prompt_version(),
        });
        Prepared::Job(Box::new(Job {
            answer,
            problem,
            key,
        }))
    }

    /// An error row, keyed by its source and message so a rerun over the
    /// same bad input skips it instead of adding a second row.
    pub fn error_row(
        &self,
        id: &str,
        source: &str,
        problem: Option<String>,
        message: String,
    ) -> ResultRow {
        let mut row = ResultRow::input_error(id, source, problem, message);
        row.key = format!(
            "error-{}",
            result_key(&KeyParts {
                answer: row.error.as_deref().unwrap_or(""),
                problem: row.problem.as_deref(),
                rubric_version: &self.rubric_version,
                backend: self.backend.kind(),
                model: self.backend.model(),
                prompt_version: source,
            })
        );
        row.backend = self.backend.kind().to_string();
        row.model = self.backend.model().to_string();
        row.rubric_version = self.rubric_version.clone();
        row.prompt_version = self.prompt_version().to_string();
        row
    }

    /// Run the rubric scorer off the async threads (it is CPU work).
    pub async fn evidence(&self, job: &Job) -> Scorecard {
        // The semaphore is never closed, so acquiring only waits.
        let _slot = self.score_slots.acquire().await.ok();
        let scorer = Arc::clone(&self.scorer);
        let problem = job.problem.clone();
        let text = job.answer.text.clone();
        let handle =
            tokio::task::spawn_blocking(move || scorer.score(problem.as_ref(), text.as_str()));
        match handle.await {
            Ok(card) => card,
            // The blocking pool is gone only while the runtime shuts down.
            Err(_) => self.scorer.score(job.problem.as_ref(), &job.answer.text),
        }
    }

    /// Run the rubric scorer on this thread (sequential callers).
    pub fn scorer_score(&self, job: &Job) -> Scorecard {
        self.scorer.score(job.problem.as_ref(), &job.answer.text)
    }

    /// Grade one job: rubric scorer, then judge (unless offline), combined.
    pub async fn grade(&self, job: Job) -> Attempt {
        let started = Instant::now();
        if !self.uses_judge() {
            let card = self.evidence(&job).await;
            let combined = combine::evidence_only(&card);
            return Attempt::Row(Box::new(self.row(
                &job,
                combined,
                JudgeStatus::None,
                None,
                Tokens::default(),
                started.elapsed(),
            )));
        }
        let mut scope = self.judge_scope;
        let (mut req, mut criteria) = self.judge_request(&job, scope);
        let mut tokens = Tokens::default();
        let mut note = None;
        // The rubric scorer runs while the judge request is in flight.
        let (card, first) = tokio::join!(self.evidence(&job), self.backend.complete(&req));
        let first = match first {
            Ok(r) => r,
            Err(e) if is_throttle(&e) => return Attempt::Throttled(Box::new(job), e),
            Err(e) => {
                let mut failed = format!("judge request failed: {e}");
                // A local server that timed out is still busy with the
                // request: the same request would wait as long again.
                let retried = match local_timeout(&e) {
                    Some(after) if self.judge_scope == JudgeScope::All => {
                        let (small, small_criteria) =
                            self.judge_request(&job, JudgeScope::KeyConcepts);
                        let said = format!(
                            "the judge request timed out after {after} s on a local server; asked once more for the {} key concepts only",
                            small_criteria.len()
                        );
                        match self.backend.complete(&small).await {
                            Ok(r) => {
                                (req, criteria) = (small, small_criteria);
                                scope = JudgeScope::KeyConcepts;
                                note = Some(said);
                                Some(r)
                            }
                            Err(e2) if is_throttle(&e2) => {
                                return Attempt::Throttled(Box::new(job), e2)
                            }
                            Err(e2) => {
                                failed = format!("{said}, which failed too: {e2}");
                                note = Some(said);
                                None
                            }
                        }
                    }
                    Some(after) => {
                        let said = format!(
                            "the judge request timed out after {after} s on a local server; not retried (the same request would wait as long again)"
                        );
                        failed = said.clone();
                        note = Some(said);
                        None
                    }
                    None => None,
                };
                match retried {
                    Some(r) => r,
                    None => {
                        let mut row =
                            self.judge_failed(&job, &card, failed, tokens, started.elapsed());
                        row.judge_note = note;
                        return Attempt::Row(Box::new(row));
                    }
                }
            }
        };
        add_usage(&mut tokens, &first);
        let (reply, status) = match judge::parse_reply(&first.content, &criteria) {
            Ok(r) => (r, JudgeStatus::Ok),
            Err(err) if cut_at_ceiling(&first, self.judge_max_tokens) => {
                // Asking again would be cut at the same ceiling: say so.
                let mut row = self.judge_failed(
                    &job,
                    &card,
                    format!(
                        "{err}: the reply was cut at the {}-token ceiling (raise `judge_max_tokens` in the profile)",
                        self.judge_max_tokens
                    ),
                    tokens,
                    started.elapsed(),
                );
                row.judge_note = note;
                return Attempt::Row(Box::new(row));
            }
            Err(err) => {
                let repair = judge::repair_request(&req, &first.content, &err);
                let failed = match self.backend.complete(&repair).await {
                    Ok(second) => {
                        add_usage(&mut tokens, &second);
                        match judge::parse_reply(&second.content, &criteria) {
                            Ok(r) => Ok((r, JudgeStatus::Repaired)),
                            Err(err2) => Err(two_bad_replies(&err, &err2)),
                        }
                    }
                    Err(e) if is_throttle(&e) => return Attempt::Throttled(Box::new(job), e),
                    Err(e) => Err(format!("{err}; the repair request failed: {e}")),
                };
                match failed {
                    Ok(v) => v,
                    Err(message) => {
                        let mut row =
                            self.judge_failed(&job, &card, message, tokens, started.elapsed());
                        row.judge_note = note;
                        return Attempt::Row(Box::new(row));
                    }
                }
            }
        };
        let (reply, spread) = if self.samples > 1 {
            let (r, s) = self.more_samples(&job, scope, reply, &mut tokens).await;
            (r, Some(s))
        } else {
            (reply, None)
        };
        let combined = self.combine_reply(&job.answer.text, &card, &reply);
        let mut row = self.row(&job, combined, status, None, tokens, started.elapsed());
        row.judge_note = note;
        row.judge_samples = spread;
        Attempt::Row(Box::new(row))
    }

    /// Ask the judge `samples - 1` more times, the criteria shuffled each
    /// time, and return the per-criterion median reply with the spread.
    /// A sample that fails (transport, throttle, bad JSON) is recorded and
    /// skipped, never retried: the first reply already grades the answer.
    async fn more_samples(
        &self,
        job: &Job,
        scope: JudgeScope,
        first: judge::JudgeReply,
        tokens: &mut Tokens,
    ) -> (judge::JudgeReply, samples::JudgeSamples) {
        let mut replies = vec![first];
        let mut failed = Vec::new();
        for k in 1..self.samples {
            let seed = samples::seed_for(&job.answer.id, k);
            let (req, criteria) = self.judge_request_shuffled(job, scope, Some(seed));
            match self.backend.complete(&req).await {
                Ok(r) => {
                    add_usage(tokens, &r);
                    match judge::parse_reply(&r.content, &criteria) {
                        Ok(reply) => replies.push(reply),
                        Err(e) => failed.push(format!("sample {}: {e}", k + 1)),
                    }
                }
                Err(e) => failed.push(format!("sample {}: {e}", k + 1)),
            }
        }
        samples::combine(&replies, self.samples, failed)
    }

    /// The judge request for a job in a scope, with the criteria its reply
    /// must hold: every criterion in full, or the problem's key concepts in
    /// the compact form.
    pub fn judge_request(&self, job: &Job, scope: JudgeScope) -> (ChatRequest, Vec<Criterion>) {
        self.judge_request_shuffled(job, scope, None)
    }

    /// The judge request with the criteria in a shuffled order (`shuffle`
    /// is the seed), for judge samples.
    fn judge_request_shuffled(
        &self,
        job: &Job,
        scope: JudgeScope,
        shuffle: Option<u64>,
    ) -> (ChatRequest, Vec<Criterion>) {
        let order = |c: Vec<Criterion>| match shuffle {
            Some(seed) => samples::shuffled(&c, seed),
            None => c,
        };
        let statement = job.problem.as_ref().map(|p| p.statement.as_str());
        let (mut req, criteria) = match scope {
            JudgeScope::All => (
                judge::build_request(
                    &order(self.criteria.clone()),
                    statement,
                    &job.answer.text,
                    self.temperature,
                    self.seed,
                ),
                self.criteria.clone(),
            ),
            JudgeScope::KeyConcepts => {
                let key: Vec<String> = job
                    .problem
                    .as_ref()
                    .map(|p| p.key_concepts.iter().map(|c| c.to_string()).collect())
                    .unwrap_or_default();
                let criteria = order(judge::key_concepts(&self.criteria, &key));
                let req = judge::build_compact_request(
                    &criteria,
                    statement,
                    &job.answer.text,
                    self.temperature,
                    self.seed,
                );
                (req, criteria)
            }
        };
        req.max_tokens = Some(self.judge_max_tokens);
        (req, criteria)
    }

    /// Verify quotes and combine a valid judge reply with the scorecard.
    pub fn combine_reply(
        &self,
        answer: &str,
        card: &Scorecard,
        reply: &judge::JudgeReply,
    ) -> Combined {
        let verified = judge::verify(answer, reply);
        let directed = !judge::grader_directed_spans(answer).is_empty();
        combine::combine(card, &verified, directed, self.disagree_threshold)
    }

    /// The row for a judge that failed: the rubric scorer's result, marked.
    pub fn judge_failed(
        &self,
        job: &Job,
        card: &Scorecard,
        message: String,
        tokens: Tokens,
        latency: Duration,
    ) -> ResultRow {
        let combined = combine::evidence_only(card);
        self.row(
            job,
            combined,
            JudgeStatus::Failed,
            Some(format!(
                "{message}; scores are from the rubric scorer alone"
            )),
            tokens,
            latency,
        )
    }

    /// Assemble a graded row.
    pub fn row(
        &self,
        job: &Job,
        combined: Combined,
        judge_status: JudgeStatus,
        error: Option<String>,
        tokens: Tokens,
        latency: Duration,
    ) -> ResultRow {
        let Combined {
            card,
            evidence_overall,
            criteria,
        } = combined;
        let level = self.scorer.final_level(card.verdict.level, card.overall);
        let key_concepts = job
            .problem
            .as_ref()
            .map(|p| p.key_concepts.as_slice())
            .unwrap_or_default();
        let explained = Explanation::new(
            &card.verdict,
            level,
            &criteria,
            key_concepts,
            &job.answer.text,
        );
        let (concepts, signals): (Vec<_>, Vec<_>) = criteria
            .into_iter()
            .partition(|c| c.kind == CriterionKind::Concept);
        ResultRow {
            id: job.answer.id.clone(),
            source: job.answer.source.clone(),
            key: job.key.clone(),
            problem: job.problem.as_ref().map(|p| p.id.to_string()),
            status: RowStatus::Graded,
            judge_status,
            error,
            backend: self.backend.kind().to_string(),
            model: self.backend.model().to_string(),
            rubric_version: self.rubric_version.clone(),
            prompt_version: self.prompt_version().to_string(),
            overall: Some(card.overall),
            evidence_overall: Some(evidence_overall),
            level: Some(level),
            concepts,
            signals,
            steps: card
                .steps
                .iter()
                .map(|s| StepRow {
                    phase: s.phase,
                    score: s.score,
                })
                .collect(),
            grader_directed: !judge::grader_directed_spans(&job.answer.text).is_empty(),
            problem_missing: job.problem.is_none(),
            brief_missed: card.brief_missed.clone(),
            verdict: Some(explained.verdict),
            strengths: explained.strengths,
            improvements: explained.improvements,
            tokens,
            latency_ms: u64::try_from(latency.as_millis()).unwrap_or(u64::MAX),
            judge_note: None,
            judge_samples: None,
        }
    }
}

fn add_usage(t: &mut Tokens, reply: &ChatReply) {
    if let Some(u) = reply.usage {
        t.prompt += u64::from(u.prompt_tokens);
        t.completion += u64::from(u.completion_tokens);
    }
}

/// True when the server reports that the reply used the whole token
/// ceiling, so a malformed reply was cut short rather than badly formed.
fn cut_at_ceiling(reply: &crate::backend::ChatReply, ceiling: u32) -> bool {
    reply
        .usage
        .as_ref()
        .is_some_and(|u| u.completion_tokens >= ceiling)
}

fn two_bad_replies(first: &JudgeError, second: &JudgeError) -> String {
    format!(
        "the judge sent malformed JSON twice (first: {first}; after the repair request: {second})"
    )
}

/// The seconds a request to a server on this machine waited before timing
/// out (the backend does not retry those).
fn local_timeout(e: &BackendError) -> Option<u64> {
    match e {
        BackendError::Timeout { url, after } if is_loopback_url(url) => Some(after.as_secs()),
        _ => None,
    }
}

/// A 429, directly or as the last error after the backend's own retries.
pub fn is_throttle(e: &BackendError) -> bool {
    match e {
        BackendError::Status {
            status: 429, body, ..
        } => !crate::backend::is_quota_exhausted(body),
        BackendError::RetriesExhausted { last, .. } => is_throttle(last),
        _ => false,
    }
}

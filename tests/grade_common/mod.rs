//! Shared doubles for the grade tests: a scripted chat backend that counts
//! calls and requests in flight, and a small keyword evidence scorer so the
//! pipeline can be tested on its own (the real rubric scorer is exercised
//! in `grade_injection.rs`).
#![allow(dead_code)]

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use mockround::backend::{
    BackendError, ChatBackend, ChatReply, ChatRequest, ChatStream, HealthReport, Usage,
};
use mockround::grade::grader::EvidenceScorer;
use mockround::rubric::{ConceptId, Level, Problem, ProblemId};
use mockround::score::card::{ConceptScore, Evidence, Scorecard, Verdict};
use mockround::score::judge::{Criterion, CriterionKind};

pub type Script = dyn Fn(&ChatRequest, usize) -> Result<String, BackendError> + Send + Sync;

/// A backend whose replies come from a closure (request, call number).
pub struct ScriptedBackend {
    pub script: Box<Script>,
    pub delay: Duration,
    pub calls: AtomicUsize,
    pub in_flight: AtomicUsize,
    pub max_in_flight: AtomicUsize,
    pub requests: Mutex<Vec<ChatRequest>>,
}

impl ScriptedBackend {
    pub fn new(
        delay: Duration,
        script: impl Fn(&ChatRequest, usize) -> Result<String, BackendError> + Send + Sync + 'static,
    ) -> Arc<Self> {
        Arc::new(Self {
            script: Box::new(script),
            delay,
            calls: AtomicUsize::new(0),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
            requests: Mutex::new(Vec::new()),
        })
    }
}

#[async_trait]
impl ChatBackend for ScriptedBackend {
    fn kind(&self) -> &'static str {
        "openai"
    }
    fn model(&self) -> &str {
        "gpt-4o-mini"
    }
    async fn complete(&self, req: &ChatRequest) -> Result<ChatReply, BackendError> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        self.requests
            .lock()
            .expect("requests lock")
            .push(req.clone());
        tokio::time::sleep(self.delay).await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        (self.script)(req, n).map(|content| ChatReply {
            content,
            usage: Some(Usage {
                prompt_tokens: 100,
                completion_tokens: 20,
            }),
            model: "gpt-4o-mini".into(),
        })
    }
    async fn stream(&self, _req: &ChatRequest) -> Result<ChatStream, BackendError> {
        Err(BackendError::Config(
            "the test backend does not stream".into(),
        ))
    }
    async fn health(&self) -> HealthReport {
        HealthReport {
            kind: "openai".into(),
            endpoint: "test".into(),
            model: "gpt-4o-mini".into(),
            checks: vec![],
        }
    }
}

/// Concepts the keyword scorer knows: (id, the word that evidences it).
pub const CONCEPTS: [(&str, &str); 3] = [
    ("exactly-once", "exactly-once"),
    ("idempotency", "idempotent"),
    ("watermarks", "watermark"),
];

/// Strength 1 when the word appears, 3 when the same sentence says why.
pub struct KeywordScorer;

impl EvidenceScorer for KeywordScorer {
    fn rubric_version(&self) -> String {
        "test-rubric-1".into()
    }
    fn problem(&self, id: &str) -> Option<Problem> {
        (id == "clickstream").then(|| Problem {
            id: ProblemId("clickstream".into()),
            title: "Clickstream".into(),
            category: "streaming".into(),
            statement: "Design a clickstream pipeline.".into(),
            hidden_facts: vec![],
            expected_components: vec![],
            expected_numbers: vec![],
            key_concepts: vec![],
            failure_modes: vec![],
            reference_architecture: String::new(),
            sla_tiers: vec![],
            curveballs: vec![],
            brief: vec![],
        })
    }
    fn problem_ids(&self) -> Vec<String> {
        vec!["clickstream".into()]
    }
    fn criteria(&self) -> Vec<Criterion> {
        CONCEPTS
            .iter()
            .map(|(id, _)| Criterion {
                kind: CriterionKind::Concept,
                id: id.to_string(),
                name: id.to_string(),
                guide: String::new(),
            })
            .collect()
    }
    fn score(&self, problem: Option<&Problem>, text: &str) -> Scorecard {
        let concepts: Vec<ConceptScore> = CONCEPTS
            .iter()
            .map(|(id, word)| {
                let mut evidence = vec![];
                let mut strength = 0;
                if let Some(at) = text.find(word) {
                    let sentence_end = text[at..].find('.').map(|i| at + i).unwrap_or(text.len());
                    evidence.push(Evidence {
                        start: at,
                        end: at + word.len(),
                        quote: word.to_string(),
                    });
                    strength = if text[at..sentence_end].contains("because") {
                        3
                    } else {
                        1
                    };
                }
                ConceptScore {
                    id: ConceptId(id.to_string()),
                    name: id.to_string(),
                    strength,
                    weight: 0.5,
                    evidence,
                    missing: vec![],
                }
            })
            .collect();
        let total: u32 = concepts.iter().map(|c| u32::from(c.strength)).sum();
        let overall = (total * 100 / 12) as u8;
        Scorecard {
            brief_missed: vec![],
            problem: problem.map(|p| p.id.to_string()),
            rubric_version: "test-rubric-1".into(),
            concepts,
            signals: vec![],
            steps: vec![],
            overall,
            verdict: Verdict {
                level: if overall >= 50 { Level::L5 } else { Level::L4 },
                reasons: vec![],
                improvements: vec![],
                gates: vec![],
                advice: vec![],
            },
        }
    }
}

/// A valid judge reply giving `score` to every concept with these quotes.
pub fn reply_all(score: u8, quotes: &[&str]) -> String {
    let items: Vec<serde_json::Value> = CONCEPTS
        .iter()
        .map(|(id, _)| {
            serde_json::json!({"id": id, "score": score, "quotes": quotes, "rationale": "test"})
        })
        .collect();
    serde_json::json!({ "criteria": items }).to_string()
}

/// Write `n` JSONL answers to `path`; answer i mentions exactly-once.
pub fn write_jsonl(path: &Path, n: usize) {
    let mut s = String::new();
    for i in 0..n {
        s.push_str(
            &serde_json::json!({
                "id": format!("a{i:04}"),
                "problem": "clickstream",
                "answer": format!("Answer {i}: we get exactly-once because Flink checkpoints commit with the sink transaction."),
            })
            .to_string(),
        );
        s.push('\n');
    }
    std::fs::write(path, s).expect("write jsonl");
}

/// Every row of a results file as JSON values.
pub fn read_rows(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .expect("results file")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("row is JSON"))
        .collect()
}

/// Settings for the OpenAI-compatible backend against a local mock server:
/// short timeouts, `max_attempts` tries.
pub fn mock_server_settings(
    base_url: &str,
    max_attempts: u32,
) -> mockround::backend::HttpBackendSettings {
    mockround::backend::HttpBackendSettings {
        base_url: base_url.to_string(),
        model: "gpt-4o-mini".into(),
        api_key_env: None,
        api_key: None,
        timeouts: mockround::backend::Timeouts {
            connect: Duration::from_millis(500),
            request: Duration::from_millis(2000),
            idle: Duration::from_millis(500),
        },
        retry: mockround::backend::RetryPolicy {
            max_attempts,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(50),
        },
        context_tokens: None,
        keep_alive: None,
        system_role: mockround::backend::SystemRole::Native,
    }
}

/// A chat completion carrying `content`, with token usage.
pub fn completion_with_usage(
    content: &str,
    prompt_tokens: u64,
    completion_tokens: u64,
) -> wiremock::ResponseTemplate {
    wiremock::ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": "gpt-4o-mini",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "total_tokens": prompt_tokens + completion_tokens}
    }))
}

/// Grade one clickstream answer with `grader`; a throttled judge is a test
/// failure.
pub async fn grade_text(
    grader: &mockround::grade::grader::Grader,
    text: &str,
) -> mockround::grade::rows::ResultRow {
    use mockround::grade::grader::{Attempt, Prepared};
    let answer = mockround::grade::input::Answer {
        id: "a1".into(),
        source: "a1.md".into(),
        problem: Some("clickstream".into()),
        text: text.into(),
    };
    let Prepared::Job(job) = grader.prepare(Ok(answer)) else {
        panic!("the answer is valid");
    };
    match grader.grade(*job).await {
        Attempt::Row(row) => *row,
        Attempt::Throttled(..) => panic!("not throttled"),
    }
}

//! The judge on small local models, over real HTTP (wiremock on 127.0.0.1,
//! which the backend treats as a local server): `judge_scope =
//! "key-concepts"` asks for the problem's key concepts only, in the compact
//! reply form with its schema as a grammar; a timeout is never sent again as
//! is — the full request is retried once smaller, the compact one falls back
//! to the rubric scorer — and the row says which.

use std::sync::Arc;
use std::time::Duration;

use mockround::backend::openai::OpenAiBackend;
use mockround::backend::{HttpBackendSettings, RetryPolicy, SystemRole, Timeouts};
use mockround::config::{Config, Env, Overrides};
use mockround::grade::grader::{Attempt, EvidenceScorer, Grader, Prepared};
use mockround::grade::input::Answer;
use mockround::grade::rows::{JudgeStatus, ResultRow};
use mockround::rubric::Rubric;
use mockround::score::judge::JudgeScope;
use mockround::score::Scorer;
use serde_json::{json, Value};
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ANSWER: &str = "Producers write to Kafka with 64 partitions keyed by user_id. We get \
exactly-once because Flink checkpoints commit the sink transaction, and idempotent upserts keyed \
by event_id make replays safe. Flink uses event-time windows with a 10 minute watermark.";

fn settings(base_url: &str, request: Duration) -> HttpBackendSettings {
    HttpBackendSettings {
        base_url: base_url.to_string(),
        model: "qwen2.5-1.5b".into(),
        api_key_env: None,
        api_key: None,
        timeouts: Timeouts {
            connect: Duration::from_millis(500),
            request,
            idle: Duration::from_millis(500),
        },
        retry: RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(50),
        },
        context_tokens: None,
        keep_alive: None,
        system_role: SystemRole::Native,
    }
}

fn completion(content: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 900, "completion_tokens": 120}
    }))
}

fn clickstream_key_concepts(rubric: &Rubric) -> Vec<String> {
    rubric
        .problem("clickstream")
        .expect("built-in problem")
        .key_concepts
        .iter()
        .map(|c| c.to_string())
        .collect()
}

/// A compact reply scoring every key concept 3, quoting the answer for
/// exactly-once and nothing for the others.
fn compact_reply(ids: &[String]) -> String {
    let items: Vec<Value> = ids
        .iter()
        .map(|id| {
            let quote = if id == "exactly-once" {
                "exactly-once because Flink checkpoints commit the sink transaction"
            } else {
                ""
            };
            json!({"id": id, "score": 3, "quote": quote})
        })
        .collect();
    json!({ "criteria": items }).to_string()
}

async fn grade(server: &MockServer, scope: JudgeScope, request: Duration) -> ResultRow {
    let rubric = Rubric::builtin().expect("built-in rubric");
    let backend =
        OpenAiBackend::new(settings(&format!("{}/v1", server.uri()), request)).expect("backend");
    let scorer: Arc<dyn EvidenceScorer> = Arc::new(Scorer::new(&rubric));
    let mut grader = Grader::new(scorer, Arc::new(backend));
    grader.judge_scope = scope;
    grader.judge_max_tokens = 700;
    let Prepared::Job(job) = grader.prepare(Ok(Answer {
        id: "a1".into(),
        source: "a1.md".into(),
        problem: Some("clickstream".into()),
        text: ANSWER.into(),
    })) else {
        panic!("the answer is valid");
    };
    match grader.grade(*job).await {
        Attempt::Row(row) => *row,
        Attempt::Throttled(..) => panic!("not throttled"),
    }
}

async fn bodies(server: &MockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .expect("recorded")
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("JSON body"))
        .collect()
}

/// The ids a request's reply schema asks for, in order: the full form's id
/// enum, or the compact form's one fixed id per position.
fn schema_ids(body: &Value) -> Vec<String> {
    let rf = &body["response_format"];
    let schema = if rf["type"] == "json_schema" {
        &rf["json_schema"]["schema"]
    } else {
        &rf["schema"]
    };
    let criteria = &schema["properties"]["criteria"];
    let ids: Vec<&Value> = match criteria["prefixItems"].as_array() {
        Some(items) => items
            .iter()
            .map(|i| &i["properties"]["id"]["const"])
            .collect(),
        None => criteria["items"]["properties"]["id"]["enum"]
            .as_array()
            .expect("an id enum")
            .iter()
            .collect(),
    };
    ids.iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn key_concepts_scope_asks_for_the_problems_key_concepts_in_the_compact_form() {
    let rubric = Rubric::builtin().expect("built-in rubric");
    let key = clickstream_key_concepts(&rubric);
    assert!((7..=8).contains(&key.len()), "{key:?}");
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(completion(&compact_reply(&key)))
        .expect(1)
        .mount(&server)
        .await;
    let row = grade(&server, JudgeScope::KeyConcepts, Duration::from_secs(5)).await;
    assert_eq!(row.judge_status, JudgeStatus::Ok, "{:?}", row.error);
    assert!(
        row.prompt_version.starts_with("judge-kc-"),
        "{}",
        row.prompt_version
    );
    assert_eq!(row.judge_note, None);

    let body = &bodies(&server).await[0];
    assert_eq!(
        schema_ids(body),
        key,
        "only the key concepts, most relevant first"
    );
    let schema = &body["response_format"]["json_schema"]["schema"]["properties"]["criteria"];
    assert_eq!(schema["minItems"], key.len());
    assert_eq!(schema["maxItems"], key.len());
    assert_eq!(
        schema["items"],
        json!(false),
        "nothing past the key concepts"
    );
    for item in schema["prefixItems"]
        .as_array()
        .expect("one item per key concept")
    {
        assert_eq!(
            item["required"],
            json!(["id", "score", "quote"]),
            "one quote and no rationale"
        );
    }
    assert_eq!(body["max_tokens"], 700);
    let system = body["messages"][0]["content"]
        .as_str()
        .expect("system text");
    assert!(
        !system.contains("weak:"),
        "criteria are named without their guides"
    );

    // The quoted key concept is judged; the unquoted ones earn nothing from
    // the judge; criteria outside the scope are left to the rubric scorer.
    let eo = row
        .concepts
        .iter()
        .find(|c| c.id == "exactly-once")
        .expect("exactly-once");
    assert_eq!(eo.judge, Some(3));
    assert_eq!(eo.judge_quotes.len(), 1);
    let unquoted = row
        .concepts
        .iter()
        .find(|c| c.id == "watermarks")
        .expect("watermarks");
    assert_eq!(unquoted.judge, Some(0));
    for c in row.concepts.iter().filter(|c| !key.contains(&c.id)) {
        assert_eq!(c.judge, None, "{} is outside the scope", c.id);
    }
    // (`schema-evolution` is both a concept and a signal; the combiner
    // matches by id, so only the other signals are surely untouched.)
    for s in row.signals.iter().filter(|s| !key.contains(&s.id)) {
        assert_eq!(s.judge, None, "{} is outside the scope", s.id);
    }
}

#[tokio::test]
async fn a_local_timeout_is_not_sent_again_but_asked_once_for_the_key_concepts() {
    let rubric = Rubric::builtin().expect("built-in rubric");
    let key = clickstream_key_concepts(&rubric);
    let server = MockServer::start().await;
    // The full request (every criterion) is too slow; the compact one answers.
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(body_string_contains("rubric_judgement"))
        .respond_with(completion("{}").set_delay(Duration::from_millis(1500)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(body_string_contains("key_concepts_judgement"))
        .respond_with(completion(&compact_reply(&key)))
        .expect(1)
        .mount(&server)
        .await;
    let row = grade(&server, JudgeScope::All, Duration::from_millis(300)).await;
    assert_eq!(row.judge_status, JudgeStatus::Ok, "{:?}", row.error);
    let note = row
        .judge_note
        .as_deref()
        .expect("the row says what happened");
    assert!(
        note.contains("timed out") && note.contains("key concepts only"),
        "{note}"
    );
    let sent = bodies(&server).await;
    assert_eq!(sent.len(), 2, "one full request, one smaller retry");
    assert_eq!(schema_ids(&sent[0]).len(), 20);
    assert_eq!(schema_ids(&sent[1]), key);
    let eo = row
        .concepts
        .iter()
        .find(|c| c.id == "exactly-once")
        .expect("exactly-once");
    assert_eq!(eo.judge, Some(3));
}

#[tokio::test]
async fn a_local_timeout_of_the_compact_request_falls_back_without_a_retry() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(completion("{}").set_delay(Duration::from_millis(1500)))
        .expect(1)
        .mount(&server)
        .await;
    let row = grade(&server, JudgeScope::KeyConcepts, Duration::from_millis(300)).await;
    assert_eq!(row.judge_status, JudgeStatus::Failed);
    let error = row.error.as_deref().expect("why the judge failed");
    assert!(error.contains("not retried"), "{error}");
    assert!(error.contains("rubric scorer alone"), "{error}");
    assert!(row
        .judge_note
        .as_deref()
        .is_some_and(|n| n.contains("not retried")));
    assert!(row.overall.is_some(), "the rubric scorer's result stands");
    assert!(row.concepts.iter().all(|c| c.judge.is_none()));
}

fn resolve(profile: &str) -> Result<Config, String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("config.toml");
    std::fs::write(
        &file,
        format!(
            "default = \"local\"\n[backends.local]\nkind = \"openai\"\nbase_url = \"http://127.0.0.1:8080/v1\"\nmodel = \"qwen2.5-1.5b\"\n{profile}"
        ),
    )
    .expect("write config");
    let over = Overrides {
        config_path: Some(file),
        ..Overrides::default()
    };
    Config::resolve_with(&over, &Env::default(), None).map_err(|e| e.to_string())
}

#[test]
fn judge_scope_is_read_from_the_profile_and_a_typo_names_the_choices() {
    assert_eq!(resolve("").expect("valid").judge_scope, JudgeScope::All);
    assert_eq!(
        resolve("judge_scope = \"key-concepts\"\n")
            .expect("valid")
            .judge_scope,
        JudgeScope::KeyConcepts
    );
    let err = resolve("judge_scope = \"key_concepts\"\n").expect_err("a typo");
    assert!(err.contains("all, key-concepts"), "{err}");
}

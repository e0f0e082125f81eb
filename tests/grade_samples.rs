//! `grade --samples N` over real HTTP (the OpenAI-compatible backend
//! against wiremock): the judge is asked N times with the criteria shuffled,
//! each criterion is graded on its median sample, criteria whose samples
//! are two or more points apart are flagged, and a failed sample is
//! recorded without failing the answer.

mod grade_common;

use std::sync::Arc;

use grade_common::*;
use mockround::backend::openai::OpenAiBackend;
use mockround::grade::grader::Grader;
use mockround::grade::rows::{JudgeStatus, ResultRow};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn settings(base_url: &str) -> mockround::backend::HttpBackendSettings {
    mock_server_settings(base_url, 1)
}

fn completion(content: &str) -> ResponseTemplate {
    completion_with_usage(content, 100, 10)
}

const ANSWER: &str = "We write to Kafka and get exactly-once because Flink checkpoints commit \
the sink transaction. Idempotent upserts keyed by event_id make replays safe.";

const QUOTE: &str = "Idempotent upserts keyed by event_id make replays safe";

/// A reply scoring idempotency `idem` and every other criterion 3.
fn reply(idem: u8) -> String {
    let items: Vec<serde_json::Value> = CONCEPTS
        .iter()
        .map(|(id, _)| {
            let score = if *id == "idempotency" { idem } else { 3 };
            json!({"id": id, "score": score, "quotes": [QUOTE], "rationale": "test"})
        })
        .collect();
    json!({ "criteria": items }).to_string()
}

async fn grade_sampled(server: &MockServer, samples: u32) -> ResultRow {
    let backend = OpenAiBackend::new(settings(&format!("{}/v1", server.uri()))).expect("backend");
    let mut grader = Grader::new(Arc::new(KeywordScorer), Arc::new(backend));
    grader.samples = samples;
    grade_text(&grader, ANSWER).await
}

async fn mount_in_order(server: &MockServer, replies: Vec<ResponseTemplate>) {
    for r in replies {
        Mock::given(method("POST"))
            .and(path("/v1/chat/completions"))
            .respond_with(r)
            .up_to_n_times(1)
            .mount(server)
            .await;
    }
}

#[tokio::test]
async fn three_samples_grade_on_the_median_and_flag_a_two_point_spread() {
    let server = MockServer::start().await;
    mount_in_order(
        &server,
        vec![
            completion(&reply(1)),
            completion(&reply(4)),
            completion(&reply(2)),
        ],
    )
    .await;
    let row = grade_sampled(&server, 3).await;
    assert_eq!(row.judge_status, JudgeStatus::Ok);
    let s = row.judge_samples.as_ref().expect("samples recorded");
    assert_eq!((s.requested, s.used), (3, 3));
    assert_eq!(s.unstable, vec!["idempotency".to_string()]);
    let idem = s
        .criteria
        .iter()
        .find(|c| c.id == "idempotency")
        .expect("idempotency");
    assert_eq!(
        (idem.scores.clone(), idem.median, idem.spread),
        (vec![1, 4, 2], 2, 3)
    );
    let eo = s
        .criteria
        .iter()
        .find(|c| c.id == "exactly-once")
        .expect("exactly-once");
    assert!(!eo.unstable);
    // The grade uses the median judge score, not the first sample's.
    let graded = row
        .concepts
        .iter()
        .find(|c| c.id == "idempotency")
        .expect("idempotency row");
    assert_eq!(graded.judge, Some(2));
    // Tokens of every sample are counted.
    assert_eq!(row.tokens.prompt, 300);
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(3));
}

#[tokio::test]
async fn samples_ask_with_the_criteria_in_different_orders() {
    let server = MockServer::start().await;
    mount_in_order(&server, (0..6).map(|_| completion(&reply(3))).collect()).await;
    let row = grade_sampled(&server, 6).await;
    assert!(row
        .judge_samples
        .as_ref()
        .is_some_and(|s| s.unstable.is_empty()));
    let requests = server.received_requests().await.expect("recorded");
    let orders: Vec<Vec<usize>> = requests
        .iter()
        .map(|r| {
            let body = String::from_utf8_lossy(&r.body).to_string();
            let mut at: Vec<(usize, usize)> = CONCEPTS
                .iter()
                .enumerate()
                .filter_map(|(i, (id, _))| {
                    body.find(&format!("\\\"{id}\\\""))
                        .or_else(|| body.find(id))
                        .map(|p| (p, i))
                })
                .collect();
            at.sort_unstable();
            at.into_iter().map(|(_, i)| i).collect()
        })
        .collect();
    assert_eq!(orders.len(), 6);
    assert!(
        orders.iter().any(|o| o != &orders[0]),
        "every sample listed the criteria in the same order: {orders:?}"
    );
}

#[tokio::test]
async fn a_failed_sample_is_recorded_and_the_others_still_grade() {
    let server = MockServer::start().await;
    mount_in_order(
        &server,
        vec![
            completion(&reply(3)),
            ResponseTemplate::new(400).set_body_string("bad request"),
            completion(&reply(3)),
        ],
    )
    .await;
    let row = grade_sampled(&server, 3).await;
    assert_eq!(row.judge_status, JudgeStatus::Ok);
    let s = row.judge_samples.as_ref().expect("samples recorded");
    assert_eq!((s.requested, s.used), (3, 2));
    assert_eq!(s.failed.len(), 1);
    assert!(s.failed[0].starts_with("sample 2:"), "{:?}", s.failed);
    assert!(s.failed[0].contains("400"), "{:?}", s.failed);
}

#[tokio::test]
async fn one_sample_asks_once_and_records_no_spread() {
    let server = MockServer::start().await;
    mount_in_order(&server, vec![completion(&reply(3)), completion(&reply(1))]).await;
    let row = grade_sampled(&server, 1).await;
    assert!(row.judge_samples.is_none());
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(1));
}

#[tokio::test]
async fn the_result_key_changes_with_the_number_of_samples() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(completion(&reply(3)))
        .mount(&server)
        .await;
    let one = grade_sampled(&server, 1).await;
    let three = grade_sampled(&server, 3).await;
    let three_again = grade_sampled(&server, 3).await;
    assert_ne!(
        one.key, three.key,
        "a rerun with --samples 3 regrades rows judged once"
    );
    assert_eq!(
        three.key, three_again.key,
        "the key is stable per sample count"
    );
}

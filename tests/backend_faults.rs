//! Reliability policy: retries, timeouts and broken streams, for both HTTP
//! backends. Wiremock for status faults; raw loopback sockets for faults
//! inside a body.

mod common;

use std::time::{Duration, Instant};

use common::*;
use futures::StreamExt;
use mockround::backend::ollama::OllamaBackend;
use mockround::backend::openai::OpenAiBackend;
use mockround::backend::{BackendError, ChatBackend, StreamEvent};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn openai(base: &str) -> OpenAiBackend {
    OpenAiBackend::new(settings(base, "gpt-test")).expect("valid settings")
}

fn ok_reply() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"choices": [{"message": {"content": "fine"}}]}))
}

async fn failing_then_ok(first: ResponseTemplate, times: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ok_reply())
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

async fn request_count(server: &MockServer) -> usize {
    server.received_requests().await.expect("recorded").len()
}

#[tokio::test]
async fn retries_429_honouring_retry_after() {
    let server = failing_then_ok(
        ResponseTemplate::new(429)
            .insert_header("retry-after", "1")
            .set_body_json(json!({"error": {"message": "Rate limit reached"}})),
        1,
    )
    .await;
    let started = Instant::now();
    let reply = openai(&server.uri())
        .complete(&hello())
        .await
        .expect("second try");
    let waited = started.elapsed();
    assert_eq!(reply.content, "fine");
    assert_eq!(request_count(&server).await, 2);
    assert!(
        waited >= Duration::from_millis(950),
        "Retry-After ignored: {waited:?}"
    );
    assert!(
        waited < Duration::from_millis(1900),
        "waited too long: {waited:?}"
    );
}

#[tokio::test]
async fn retries_500_and_503_then_succeeds() {
    for status in [500u16, 503] {
        let server = failing_then_ok(ResponseTemplate::new(status), 2).await;
        let reply = openai(&server.uri())
            .complete(&hello())
            .await
            .expect("third try");
        assert_eq!(reply.content, "fine");
        assert_eq!(request_count(&server).await, 3, "status {status}");
    }
}

#[tokio::test]
async fn stream_open_is_retried_before_any_text_is_delivered() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\ndata: [DONE]\n\n",
        ))
        .with_priority(2)
        .mount(&server)
        .await;
    let (events, err) = drain(openai(&server.uri()).stream(&hello()).await.expect("opens")).await;
    assert!(err.is_none());
    assert_eq!(events, vec![StreamEvent::Delta("x".into())]);
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn retries_exhausted_reports_attempt_count_and_last_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("overloaded"))
        .mount(&server)
        .await;
    let err = openai(&server.uri())
        .complete(&hello())
        .await
        .expect_err("always 503");
    match &err {
        BackendError::RetriesExhausted { attempts, last } => {
            assert_eq!(*attempts, 3);
            assert!(
                matches!(**last, BackendError::Status { status: 503, .. }),
                "{last:?}"
            );
        }
        other => panic!("expected RetriesExhausted, got {other:?}"),
    }
    assert_eq!(request_count(&server).await, 3);
    assert!(err.to_string().contains("3 attempts"));
}

#[tokio::test]
async fn bad_request_400_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"error": {"message": "temperature must be <= 2"}})),
        )
        .mount(&server)
        .await;
    let err = openai(&server.uri())
        .complete(&hello())
        .await
        .expect_err("400");
    assert!(
        matches!(&err, BackendError::Status { status: 400, body, .. } if body.contains("temperature")),
        "{err:?}"
    );
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn unauthorized_401_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let err = openai(&server.uri())
        .complete(&hello())
        .await
        .expect_err("401");
    assert!(matches!(
        err,
        BackendError::Unauthorized { status: 401, .. }
    ));
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn context_length_exceeded_carries_the_token_count() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": {
            "message": "This model's maximum context length is 8192 tokens. However, your messages resulted in 9001 tokens. Please reduce the length of the messages.",
            "type": "invalid_request_error",
            "code": "context_length_exceeded"
        }})))
        .mount(&server)
        .await;
    let err = openai(&server.uri())
        .complete(&hello())
        .await
        .expect_err("too long");
    assert!(
        matches!(
            err,
            BackendError::ContextLength {
                tokens: Some(9001),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(request_count(&server).await, 1);
}

/// The server is on this machine (wiremock listens on 127.0.0.1): a local
/// model server that timed out is still busy with the request, so it is not
/// sent again (remote timeouts are retried: see `retry.rs`).
#[tokio::test]
async fn local_server_slower_than_request_timeout_times_out_once_without_a_retry() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ok_reply().set_delay(Duration::from_millis(800)))
        .mount(&server)
        .await;
    let mut s = settings(&server.uri(), "gpt-test");
    s.timeouts.request = Duration::from_millis(100);
    s.retry.max_attempts = 2;
    let started = Instant::now();
    let err = OpenAiBackend::new(s)
        .expect("valid")
        .complete(&hello())
        .await
        .expect_err("too slow");
    assert!(matches!(err, BackendError::Timeout { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_millis(700));
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn refused_connection_is_retried_then_reported() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let dead = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let err = openai(&dead)
        .complete(&hello())
        .await
        .expect_err("nobody listens");
    match err {
        BackendError::RetriesExhausted { attempts: 3, last } => {
            assert!(matches!(*last, BackendError::Connect { .. }), "{last:?}")
        }
        other => panic!("expected exhausted connects, got {other:?}"),
    }
}

const PART: &[u8] = b"data: {\"choices\":[{\"delta\":{\"content\":\"The ingestion \"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"layer";

#[tokio::test]
async fn stream_cut_mid_chunked_body_is_stream_broken_with_bytes_received() {
    let base = raw_server(|mut sock| async move {
        sock.write_all(STREAM_HEAD_CHUNKED).await.expect("head");
        write_chunk(&mut sock, PART).await;
        // Close without the terminating zero-length chunk.
    })
    .await;
    let (events, err) = drain(openai(&base).stream(&hello()).await.expect("opens")).await;
    assert_eq!(events, vec![StreamEvent::Delta("The ingestion ".into())]);
    match err {
        Some(BackendError::StreamBroken { received, .. }) => assert_eq!(received, PART.len()),
        other => panic!("expected StreamBroken, got {other:?}"),
    }
}

#[tokio::test]
async fn stream_closed_before_done_is_stream_broken_not_a_short_reply() {
    let base = raw_server(|mut sock| async move {
        sock.write_all(STREAM_HEAD_CLOSE).await.expect("head");
        sock.write_all(b"data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n")
            .await
            .expect("body");
    })
    .await;
    let (events, err) = drain(openai(&base).stream(&hello()).await.expect("opens")).await;
    assert_eq!(text_of(&events), "a");
    let err = err.expect("must not end quietly");
    assert!(matches!(err, BackendError::StreamBroken { .. }), "{err:?}");
    assert!(err.to_string().contains("[DONE]"), "{err}");
}

#[tokio::test]
async fn stalled_stream_hits_the_idle_timeout() {
    let base = raw_server(|mut sock| async move {
        sock.write_all(STREAM_HEAD_CHUNKED).await.expect("head");
        write_chunk(
            &mut sock,
            b"data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n",
        )
        .await;
        tokio::time::sleep(Duration::from_secs(3)).await;
    })
    .await;
    let started = Instant::now();
    let (events, err) = drain(openai(&base).stream(&hello()).await.expect("opens")).await;
    assert_eq!(text_of(&events), "a");
    assert!(
        matches!(err, Some(BackendError::IdleTimeout { received, .. }) if received > 0),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn malformed_stream_line_is_a_protocol_error_quoting_it() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\ndata: {this is not json\n\ndata: [DONE]\n\n",
        ))
        .mount(&server)
        .await;
    let (events, err) = drain(openai(&server.uri()).stream(&hello()).await.expect("opens")).await;
    assert_eq!(text_of(&events), "a");
    let err = err.expect("malformed");
    assert!(matches!(err, BackendError::Protocol(_)), "{err:?}");
    assert!(err.to_string().contains("{this is not json"), "{err}");
}

#[tokio::test]
async fn in_band_sse_error_event_is_a_server_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\ndata: {\"error\":{\"message\":\"model crashed\",\"code\":500}}\n\n",
        ))
        .mount(&server)
        .await;
    let (_, err) = drain(openai(&server.uri()).stream(&hello()).await.expect("opens")).await;
    assert!(
        matches!(&err, Some(BackendError::Server(m)) if m == "model crashed"),
        "{err:?}"
    );
}

#[tokio::test]
async fn dropping_the_stream_closes_the_connection() {
    let (tx, rx) = tokio::sync::oneshot::channel::<bool>();
    let base = raw_server(move |mut sock| async move {
        sock.write_all(STREAM_HEAD_CHUNKED).await.expect("head");
        write_chunk(
            &mut sock,
            b"data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n",
        )
        .await;
        // Keep the reply open; notice the client hanging up.
        let mut buf = [0u8; 64];
        let closed = matches!(
            tokio::time::timeout(Duration::from_secs(2), sock.read(&mut buf)).await,
            Ok(Ok(0)) | Ok(Err(_))
        );
        let _ = tx.send(closed);
    })
    .await;
    let mut stream = openai(&base).stream(&hello()).await.expect("opens");
    let first = stream.next().await.expect("an event").expect("ok event");
    assert_eq!(first, StreamEvent::Delta("a".into()));
    drop(stream);
    let closed = tokio::time::timeout(Duration::from_secs(3), rx)
        .await
        .expect("server reports in time")
        .expect("server task alive");
    assert!(
        closed,
        "the connection stayed open after the stream was dropped"
    );
}

#[tokio::test]
async fn ollama_stream_cut_before_done_line_is_stream_broken() {
    let base = raw_server(|mut sock| async move {
        sock.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nConnection: close\r\n\r\n")
            .await
            .expect("head");
        sock.write_all(b"{\"message\":{\"role\":\"assistant\",\"content\":\"Par\"},\"done\":false}\n{\"message\":{\"con")
            .await
            .expect("body");
    })
    .await;
    let b = OllamaBackend::new(settings(&base, "llama3")).expect("valid");
    let (events, err) = drain(b.stream(&hello()).await.expect("opens")).await;
    assert_eq!(text_of(&events), "Par");
    let err = err.expect("broken");
    assert!(matches!(err, BackendError::StreamBroken { .. }), "{err:?}");
}

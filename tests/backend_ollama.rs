//! The Ollama backend against wiremock: native `/api/chat` with NDJSON.

mod common;

use common::*;
use mockround::backend::ollama::OllamaBackend;
use mockround::backend::{
    normalize_ollama_host, BackendError, ChatBackend, ChatRequest, JsonMode, StreamEvent, Usage,
};
use serde_json::{json, Value};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn backend(base: &str, model: &str) -> OllamaBackend {
    OllamaBackend::new(settings(base, model)).expect("valid settings")
}

fn ndjson(lines: &[Value]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

fn stream_lines() -> Vec<Value> {
    vec![
        json!({"model": "llama3", "message": {"role": "assistant", "content": "Which "}, "done": false}),
        json!({"model": "llama3", "message": {"role": "assistant", "content": "SLA?"}, "done": false}),
        json!({"model": "llama3", "message": {"role": "assistant", "content": ""}, "done": true,
               "done_reason": "stop", "prompt_eval_count": 26, "eval_count": 2}),
    ]
}

#[tokio::test]
async fn whole_reply_sends_options_keep_alive_and_stream_false() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/chat"))
        .and(body_partial_json(json!({
            "model": "llama3",
            "stream": false,
            "keep_alive": "10m",
            "options": {"temperature": 0.5, "num_ctx": 8192, "seed": 11, "num_predict": 200},
            "messages": [
                {"role": "system", "content": "You are an interviewer."},
                {"role": "user", "content": "Hello"}
            ]
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "model": "llama3", "message": {"role": "assistant", "content": "Hello, candidate."},
            "done": true, "prompt_eval_count": 20, "eval_count": 4
        })))
        .expect(1)
        .mount(&server)
        .await;
    let mut s = settings(&format!("{}/", server.uri()), "llama3");
    s.context_tokens = Some(8192);
    s.keep_alive = Some("10m".into());
    let req = ChatRequest {
        temperature: Some(0.5),
        max_tokens: Some(200),
        seed: Some(11),
        ..hello()
    };
    let reply = OllamaBackend::new(s)
        .expect("valid")
        .complete(&req)
        .await
        .expect("reply");
    assert_eq!(reply.content, "Hello, candidate.");
    assert_eq!(
        reply.usage,
        Some(Usage {
            prompt_tokens: 20,
            completion_tokens: 4
        })
    );
}

#[tokio::test]
async fn streamed_reply_yields_deltas_then_usage_from_done_line() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/chat"))
        .and(body_partial_json(
            json!({"stream": true, "model": "llama3"}),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/x-ndjson")
                .set_body_string(ndjson(&stream_lines())),
        )
        .expect(1)
        .mount(&server)
        .await;
    let (events, err) = drain(
        backend(&server.uri(), "llama3")
            .stream(&hello())
            .await
            .expect("opens"),
    )
    .await;
    assert!(err.is_none(), "{err:?}");
    assert_eq!(
        events,
        vec![
            StreamEvent::Delta("Which ".into()),
            StreamEvent::Delta("SLA?".into()),
            StreamEvent::Usage(Usage {
                prompt_tokens: 26,
                completion_tokens: 2
            }),
        ]
    );
}

#[tokio::test]
async fn json_mode_sends_the_schema_or_json_as_format() {
    let server = MockServer::start().await;
    let schema = json!({"type": "object", "properties": {"level": {"type": "string"}}});
    Mock::given(method("POST"))
        .and(body_partial_json(json!({"format": schema.clone()})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "message": {"content": "{\"level\":\"L5\"}"}, "done": true
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(body_partial_json(json!({"format": "json"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "message": {"content": "{}"}, "done": true
        })))
        .expect(1)
        .mount(&server)
        .await;
    let b = backend(&server.uri(), "llama3");
    let with_schema = ChatRequest {
        json: Some(JsonMode {
            name: "verdict".into(),
            schema: Some(schema),
        }),
        ..hello()
    };
    assert_eq!(
        b.complete(&with_schema).await.expect("reply").content,
        "{\"level\":\"L5\"}"
    );
    let any_json = ChatRequest {
        json: Some(JsonMode {
            name: "any".into(),
            schema: None,
        }),
        ..hello()
    };
    assert_eq!(b.complete(&any_json).await.expect("reply").content, "{}");
}

#[tokio::test]
async fn missing_model_404_hints_ollama_pull() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"error": "model \"qwen9\" not found, try pulling it first"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = backend(&server.uri(), "qwen9")
        .complete(&hello())
        .await
        .expect_err("404");
    assert!(matches!(err, BackendError::ModelNotFound { .. }), "{err:?}");
    assert!(err.to_string().contains("`ollama pull qwen9`"), "{err}");
}

#[tokio::test]
async fn error_line_mid_stream_is_a_server_error() {
    let server = MockServer::start().await;
    let mut lines = stream_lines();
    lines.truncate(1);
    lines.push(json!({"error": "llama runner process has terminated"}));
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(ndjson(&lines)))
        .mount(&server)
        .await;
    let (events, err) = drain(
        backend(&server.uri(), "llama3")
            .stream(&hello())
            .await
            .expect("opens"),
    )
    .await;
    assert_eq!(text_of(&events), "Which ");
    assert!(
        matches!(&err, Some(BackendError::Server(m)) if m.contains("llama runner")),
        "{err:?}"
    );
}

#[tokio::test]
async fn malformed_ndjson_line_is_a_protocol_error_naming_the_line() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!(
            "{}<html>oops</html>\n",
            ndjson(&stream_lines()[..1])
        )))
        .mount(&server)
        .await;
    let (events, err) = drain(
        backend(&server.uri(), "llama3")
            .stream(&hello())
            .await
            .expect("opens"),
    )
    .await;
    assert_eq!(text_of(&events), "Which ");
    let err = err.expect("malformed");
    assert!(matches!(err, BackendError::Protocol(_)), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("line 2") && text.contains("<html>oops</html>"),
        "{text}"
    );
}

#[tokio::test]
async fn context_overflow_from_ollama_is_context_length() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"error": "the input length exceeds the context length"})),
        )
        .mount(&server)
        .await;
    let err = backend(&server.uri(), "llama3")
        .complete(&hello())
        .await
        .expect_err("too long");
    assert!(matches!(err, BackendError::ContextLength { .. }), "{err:?}");
}

#[tokio::test]
async fn health_checks_tags_with_implicit_latest_and_one_token_reply() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/tags"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "models": [{"name": "llama3:latest", "model": "llama3:latest"}, {"name": "qwen2.5:7b"}]
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/chat"))
        .and(body_partial_json(
            json!({"options": {"num_predict": 1}, "stream": true}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_string(ndjson(&stream_lines())))
        .expect(1)
        .mount(&server)
        .await;
    let report = backend(&server.uri(), "llama3").health().await;
    assert!(report.ok(), "{}", report.render());
    assert_eq!(report.checks.len(), 3);
    assert!(report.checks.iter().all(|c| !c.detail.is_empty()));

    let report = backend(&server.uri(), "mistral").health().await;
    assert!(!report.ok());
    assert!(
        report.checks[1].detail.contains("ollama pull mistral"),
        "{}",
        report.render()
    );
}

#[test]
fn host_normalisation_matches_the_official_clients() {
    let table = [
        ("", "http://127.0.0.1:11434"),
        ("localhost", "http://localhost:11434"),
        ("127.0.0.1", "http://127.0.0.1:11434"),
        ("0.0.0.0:11434", "http://127.0.0.1:11434"),
        ("0.0.0.0", "http://127.0.0.1:11434"),
        (":56789", "http://127.0.0.1:56789"),
        ("1.2.3.4:56789", "http://1.2.3.4:56789"),
        ("example.com", "http://example.com:11434"),
        ("example.com:56789", "http://example.com:56789"),
        ("http://x:1234", "http://x:1234"),
        ("http://example.com", "http://example.com:80"),
        ("https://example.com", "https://example.com:443"),
        ("https://example.com:56789/", "https://example.com:56789"),
        ("http://127.0.0.1:11434/", "http://127.0.0.1:11434"),
        ("example.com/path/", "http://example.com:11434/path"),
        ("  localhost:11434  ", "http://localhost:11434"),
        ("[::1]", "http://[::1]:11434"),
        ("[::1]:56789", "http://[::1]:56789"),
        ("[::]:11434", "http://[::1]:11434"),
        (
            "https://[0001:002:003:0004::1]:56789/path/",
            "https://[0001:002:003:0004::1]:56789/path",
        ),
        ("HTTP://Example.com:8080", "http://Example.com:8080"),
    ];
    for (input, want) in table {
        assert_eq!(
            normalize_ollama_host(input).expect(input),
            want,
            "input {input:?}"
        );
    }
    for bad in ["ftp://x", "x:notaport", "x:99999", "[::1"] {
        let err = normalize_ollama_host(bad).expect_err(bad);
        assert!(matches!(err, BackendError::Config(_)), "{bad}: {err:?}");
    }
}

//! `mockround doctor` run as a real process against a wiremock server and offline.

use std::process::Command;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn mockround() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mockround"));
    // Never pick up the developer's own config, data or keys.
    c.env_remove("MOCKROUND_CONFIG")
        .env_remove("MOCKROUND_BACKEND")
        .env_remove("MOCKROUND_MODEL")
        .env_remove("OPENAI_API_KEY")
        .env_remove("OPENAI_BASE_URL")
        .env_remove("OLLAMA_HOST")
        .env("XDG_CONFIG_HOME", "/nonexistent-mockround-test")
        .env("NO_COLOR", "1");
    c
}

const SSE_ONE_TOKEN: &str = "data: {\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"model\":\"m1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n\
data: {\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"model\":\"m1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}\n\n\
data: {\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"model\":\"m1\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}\n\n\
data: [DONE]\n\n";

#[test]
fn doctor_offline_says_it_needs_nothing_and_exits_zero() {
    let out = mockround().arg("doctor").output().expect("run mockround");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "stdout: {stdout}");
    assert!(stdout.contains("offline"), "{stdout}");
    assert!(stdout.contains("needs nothing"), "{stdout}");
}

#[tokio::test]
async fn doctor_against_openai_compatible_server_passes_real_checks() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/models"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "object": "list",
            "data": [{"id": "m1", "object": "model"}]
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/event-stream")
                .set_body_string(SSE_ONE_TOKEN),
        )
        .mount(&server)
        .await;
    let base = format!("{}/v1", server.uri());
    let out = tokio::task::spawn_blocking(move || {
        mockround()
            .args([
                "--backend",
                "openai",
                "--model",
                "m1",
                "--base-url",
                &base,
                "doctor",
            ])
            .output()
    })
    .await
    .expect("join")
    .expect("run mockround");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("m1"), "{stdout}");
    assert!(!stdout.contains('✗'), "no failing check: {stdout}");
    let requests = server.received_requests().await.expect("recorded");
    let chat = requests
        .iter()
        .find(|r| r.url.path() == "/v1/chat/completions")
        .expect("doctor sent a real chat request");
    let body: serde_json::Value = serde_json::from_slice(&chat.body).expect("json body");
    assert_eq!(body["model"], "m1", "the configured model reached the wire");
    assert_eq!(body["stream"], true);
}

#[tokio::test]
async fn doctor_reports_missing_model_and_exits_one() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/models"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "object": "list",
            "data": [{"id": "other-model", "object": "model"}]
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(404).set_body_json(serde_json::json!({
            "error": {"message": "The model `m1` does not exist", "type": "invalid_request_error", "code": "model_not_found"}
        })))
        .mount(&server)
        .await;
    let base = format!("{}/v1", server.uri());
    let out = tokio::task::spawn_blocking(move || {
        mockround()
            .args([
                "--backend",
                "openai",
                "--model",
                "m1",
                "--base-url",
                &base,
                "doctor",
            ])
            .output()
    })
    .await
    .expect("join")
    .expect("run mockround");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "stdout: {stdout}");
    assert!(stdout.contains('✗'), "{stdout}");
}

#[test]
fn doctor_against_closed_port_fails_with_a_clear_message() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let out = mockround()
        .args([
            "--backend",
            "openai",
            "--base-url",
            &format!("http://127.0.0.1:{port}/v1"),
            "doctor",
        ])
        .output()
        .expect("run mockround");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("127.0.0.1"), "names the address: {all}");
}

#[test]
fn unknown_backend_is_a_usage_error_with_exit_two() {
    let out = mockround()
        .args(["--backend", "nope", "doctor"])
        .output()
        .expect("run mockround");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope"));
}

#[test]
fn help_names_every_subcommand() {
    let out = mockround().arg("--help").output().expect("run mockround");
    let s = String::from_utf8_lossy(&out.stdout);
    for sub in ["practice", "grade", "rubrics", "doctor", "sessions"] {
        assert!(s.contains(sub), "{sub} in help: {s}");
    }
}

#[test]
fn doctor_openai_with_nothing_configured_names_the_missing_key_without_a_request() {
    let started = std::time::Instant::now();
    let out = mockround()
        .args(["--backend", "openai", "doctor"])
        .output()
        .expect("run mockround");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("`OPENAI_API_KEY` is unset"), "{stdout}");
    assert!(
        stdout.contains("export OPENAI_API_KEY="),
        "says what to set: {stdout}"
    );
    assert!(
        !stdout.contains("mockround doctor"),
        "points back at itself: {stdout}"
    );
    assert_eq!(stdout.matches("api.openai.com").count(), 1, "{stdout}");
    // No request was tried: the check needs no network.
    assert!(!stdout.contains("could not connect"), "{stdout}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn doctor_connect_failure_names_each_url_once_and_never_itself() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let base = format!("http://127.0.0.1:{port}/v1");
    let out = mockround()
        .args(["--backend", "openai", "--base-url", &base, "doctor"])
        .output()
        .expect("run mockround");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(!stdout.contains("mockround doctor"), "{stdout}");
    let models = format!("{base}/models");
    assert_eq!(stdout.matches(&models).count(), 1, "{stdout}");
    assert!(stdout.contains("Is the server running"), "{stdout}");
}

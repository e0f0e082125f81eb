//! API keys come only from the environment or a file the user points to, and
//! never reach any output: a recognisable fake key is set, hostile servers
//! echo it back in every kind of reply, and every byte the tool prints or
//! writes is scanned for it.

mod robust_support;

use std::path::Path;
use std::time::Duration;

use mockround::backend::openai::OpenAiBackend;
use mockround::backend::{
    BackendError, ChatBackend, ChatMessage, ChatRequest, HttpBackendSettings, RetryPolicy, Timeouts,
};
use robust_support::Home;
use wiremock::matchers::{any, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk-mockround-FAKE-KEY-5f3a9c1e7d0b";
const LIMIT: Duration = Duration::from_secs(20);

fn settings(base: &str) -> HttpBackendSettings {
    HttpBackendSettings {
        base_url: base.to_string(),
        model: "m".into(),
        api_key_env: Some("OPENAI_API_KEY".into()),
        api_key: Some(KEY.into()),
        timeouts: Timeouts {
            connect: Duration::from_millis(500),
            request: Duration::from_millis(1500),
            idle: Duration::from_millis(300),
        },
        retry: RetryPolicy {
            max_attempts: 1,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
        },
        context_tokens: None,
        keep_alive: None,
        system_role: mockround::backend::SystemRole::Native,
    }
}

fn req() -> ChatRequest {
    ChatRequest::new(vec![ChatMessage::user("hello")])
}

/// Every file under `dir`, read as bytes, must not hold the key.
fn assert_no_key_in_tree(dir: &Path) -> usize {
    let mut scanned = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(bytes) = std::fs::read(&p) {
                if p.file_name().is_some_and(|n| n == "key") {
                    continue; // the key file the user wrote
                }
                scanned += 1;
                let text = String::from_utf8_lossy(&bytes);
                assert!(!text.contains(KEY), "{} holds the key", p.display());
                assert!(
                    !text.contains(&KEY[..16]),
                    "{} holds part of the key",
                    p.display()
                );
            }
        }
    }
    scanned
}

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(KEY), "{what} leaks the key: {text}");
    assert!(
        !text.contains(&KEY[..16]),
        "{what} leaks part of the key: {text}"
    );
}

/// Replies that echo the key, one per kind of server error a client maps.
fn echoing_replies() -> Vec<(&'static str, ResponseTemplate)> {
    let json_err = format!(r#"{{"error":{{"message":"Incorrect API key provided: {KEY}"}}}}"#);
    let padded = format!(
        r#"{{"error":{{"message":"{} {KEY} trailing"}}}}"#,
        "x".repeat(290)
    );
    vec![
        (
            "401 echo",
            ResponseTemplate::new(401).set_body_string(json_err.clone()),
        ),
        (
            "403 echo",
            ResponseTemplate::new(403).set_body_string(format!("forbidden for {KEY}")),
        ),
        (
            "500 echo",
            ResponseTemplate::new(500).set_body_string(json_err.clone()),
        ),
        (
            "400 echo at the cut",
            ResponseTemplate::new(400).set_body_string(padded),
        ),
        (
            "429 echo",
            ResponseTemplate::new(429).set_body_string(json_err.clone()),
        ),
        (
            "200 in-band error",
            ResponseTemplate::new(200).set_body_string(json_err),
        ),
        (
            "200 malformed echo",
            ResponseTemplate::new(200).set_body_string(format!("<html>{KEY}</html>")),
        ),
        (
            "200 stream error event",
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/event-stream")
                .set_body_string(format!("event: error\ndata: bad key {KEY}\n\n")),
        ),
        (
            "200 stream malformed chunk",
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/event-stream")
                .set_body_string(format!("data: {{not json {KEY}\n\n")),
        ),
    ]
}

#[tokio::test]
async fn backend_errors_never_echo_the_key_whatever_the_server_sends() {
    for (what, reply) in echoing_replies() {
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(reply).mount(&server).await;
        let b = OpenAiBackend::new(settings(&format!("{}/v1", server.uri()))).expect("backend");
        if let Err(e) = b.complete(&req()).await {
            assert_clean(&format!("{what} (complete)"), &e.to_string());
            assert_clean(&format!("{what} (complete, debug)"), &format!("{e:?}"));
        }
        match b.stream(&req()).await {
            Err(e) => assert_clean(&format!("{what} (stream open)"), &e.to_string()),
            Ok(mut s) => {
                use futures::StreamExt;
                while let Some(item) = s.next().await {
                    if let Err(e) = item {
                        assert_clean(&format!("{what} (stream)"), &e.to_string());
                    }
                }
            }
        }
        let report = b.health().await;
        assert_clean(&format!("{what} (health)"), &report.render());
        assert_clean(
            &format!("{what} (health json)"),
            &serde_json::to_string(&report).expect("report json"),
        );
    }
}

#[test]
fn settings_debug_output_hides_the_key() {
    let text = format!("{:?}", settings("http://127.0.0.1:9/v1"));
    assert_clean("HttpBackendSettings debug", &text);
}

fn write_config(home: &Home, base: &str, extra: &str) -> String {
    let cfg = home.path().join("config.toml");
    std::fs::write(
        &cfg,
        format!(
            "default = \"local\"\n[backends.local]\nkind = \"openai\"\nbase_url = \"{base}\"\nmodel = \"m\"\n{extra}"
        ),
    )
    .expect("write config");
    cfg.to_string_lossy().into_owned()
}

/// `doctor` (text and JSON) against a server that echoes the key in every
/// reply, at the most verbose logging any library might honour: nothing
/// printed or written holds the key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_output_and_written_files_never_hold_the_key() {
    for (what, reply) in echoing_replies() {
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(reply).mount(&server).await;
        let home = Home::new();
        let cfg = write_config(
            &home,
            &format!("{}/v1", server.uri()),
            "api_key_env = \"OPENAI_API_KEY\"\n",
        );
        let run_home = tokio::task::spawn_blocking(move || {
            let env = [
                ("OPENAI_API_KEY", KEY),
                ("RUST_LOG", "trace"),
                ("RUST_BACKTRACE", "1"),
            ];
            let a = home.run(&["--config", &cfg, "doctor"], &env, None, LIMIT);
            let b = home.run(&["--config", &cfg, "--json", "doctor"], &env, None, LIMIT);
            (home, a, b)
        })
        .await
        .expect("join");
        let (home, a, b) = run_home;
        for run in [&a, &b] {
            run.assert_no_panic(what);
            assert_clean(&format!("doctor with {what}"), &run.all());
        }
        assert_no_key_in_tree(home.path());
    }
}

/// The key is sent to the server (so it really was loaded) from the file
/// the profile names, and the file's contents never reach the output.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_key_file_is_read_trimmed_and_sent_as_bearer() {
    use std::os::unix::fs::PermissionsExt;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/models"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"data":[{"id":"m"}]}"#))
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401).set_body_string(format!("no key {KEY}")))
        .mount(&server)
        .await;
    let home = Home::new();
    let key = home.path().join("key");
    std::fs::write(&key, format!("\n  {KEY}  \n")).expect("write key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let cfg = write_config(
        &home,
        &format!("{}/v1", server.uri()),
        "api_key_file = \"key\"\n",
    );
    let run = tokio::task::spawn_blocking(move || {
        let r = home.run(&["--config", &cfg, "doctor"], &[], None, LIMIT);
        (home, r)
    })
    .await
    .expect("join");
    let (home, run) = run;
    run.assert_no_panic("api_key_file");
    assert!(
        run.all().contains("is listed by GET /models"),
        "the key from the file was not sent: {}",
        run.all()
    );
    assert!(
        !run.stderr.contains("other users"),
        "0600 file warned: {}",
        run.stderr
    );
    assert_clean("doctor with api_key_file", &run.all());
    assert_no_key_in_tree(home.path());
}

#[cfg(unix)]
#[test]
fn api_key_file_readable_by_others_is_warned_about_like_ssh() {
    use std::os::unix::fs::PermissionsExt;
    let home = Home::new();
    let key = home.path().join("key");
    std::fs::write(&key, format!("{KEY}\n")).expect("write key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let cfg = write_config(&home, "http://127.0.0.1:9/v1", "api_key_file = \"key\"\n");
    let run = home.run(&["--config", &cfg, "doctor"], &[], None, LIMIT);
    run.assert_no_panic("world-readable key file");
    assert!(run.stderr.contains("warning:"), "{}", run.stderr);
    assert!(run.stderr.contains("chmod 600"), "{}", run.stderr);
    assert!(run.stderr.contains("0644"), "{}", run.stderr);
    assert_clean("warning", &run.all());

    let (k, warning) = mockround::config::read_api_key_file(&key).expect("readable key");
    assert_eq!(k, KEY);
    assert!(warning.is_some());
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let (_, warning) = mockround::config::read_api_key_file(&key).expect("readable key");
    assert!(warning.is_none(), "{warning:?}");
}

#[test]
fn bad_key_files_are_named_and_their_contents_never_shown() {
    let home = Home::new();
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("empty", b"  \n".to_vec(), "is empty"),
        (
            "two-lines",
            format!("{KEY}\nsecond {KEY}\n").into_bytes(),
            "only the key",
        ),
        ("binary", vec![0xff, 0xfe, 0x00, b'k'], "not UTF-8"),
        ("huge", KEY.repeat(2000).into_bytes(), "larger than"),
    ];
    for (name, bytes, needle) in cases {
        let p = home.path().join(name);
        std::fs::write(&p, &bytes).expect("write");
        let err = mockround::config::read_api_key_file(&p).expect_err(name);
        assert!(err.contains(name) && err.contains(needle), "{name}: {err}");
        assert_clean(name, &err);
    }
    let err = mockround::config::read_api_key_file(home.path()).expect_err("a directory");
    assert!(
        err.contains("not a regular file") || err.contains("cannot read"),
        "{err}"
    );
    let err =
        mockround::config::read_api_key_file(&home.path().join("missing")).expect_err("missing");
    assert!(err.contains("missing"), "{err}");
}

/// Config files never hold keys: an inline `api_key` is refused, and the
/// refusal does not repeat the value.
#[test]
fn inline_key_in_a_config_file_is_refused_without_echo() {
    let home = Home::new();
    let cfg = home.path().join("config.toml");
    std::fs::write(
        &cfg,
        format!("default = \"local\"\n[backends.local]\nkind = \"openai\"\napi_key = \"{KEY}\"\n"),
    )
    .expect("write");
    let cfg_s = cfg.to_string_lossy().into_owned();
    let run = home.run(&["--config", &cfg_s, "doctor"], &[], None, LIMIT);
    run.assert_no_panic("inline key");
    assert_eq!(run.code, Some(2), "{}", run.all());
    assert!(run.all().contains("api_key"), "{}", run.all());
    assert_clean("inline key error", &run.all());
}

/// Regression: the error body was shortened before the key was scrubbed, so
/// a key straddling the cut left its first characters in the message.
#[tokio::test]
async fn key_cut_by_message_shortening_is_still_redacted() {
    let server = MockServer::start().await;
    let body = format!(r#"{{"error":{{"message":"{} {KEY}"}}}}"#, "x".repeat(290));
    Mock::given(any())
        .respond_with(ResponseTemplate::new(400).set_body_string(body))
        .mount(&server)
        .await;
    let b = OpenAiBackend::new(settings(&format!("{}/v1", server.uri()))).expect("backend");
    let text = b.complete(&req()).await.expect_err("400").to_string();
    assert!(!text.contains(&KEY[..8]), "{text}");
    assert!(text.contains("[redacted]"), "{text}");
}

/// Regression: an in-band `{"error": ...}` in a 200 reply, or a malformed
/// chunk, was quoted into the error unscrubbed.
#[tokio::test]
async fn in_band_error_in_a_200_reply_is_scrubbed() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(format!(r#"{{"error":{{"message":"bad key {KEY}"}}}}"#)),
        )
        .mount(&server)
        .await;
    let b = OpenAiBackend::new(settings(&format!("{}/v1", server.uri()))).expect("backend");
    let err = b.complete(&req()).await.expect_err("in-band error");
    assert!(matches!(err, BackendError::Server(_)), "{err:?}");
    let text = err.to_string();
    assert!(!text.contains(KEY) && text.contains("[redacted]"), "{text}");
}

/// A short scripted round: one turn per phase, enough for every kind of
/// interviewer turn (clarify answer, probe, follow-up, debrief) to be asked
/// of the model.
const SCRIPT: &str = "What is the peak scale, how fresh must it be, and who consumes it?\n---\n\
producer -> Kafka : avro, 200K events/sec\nKafka -> Flink : avro, 200K events/sec\nFlink -> S3 : parquet, 5 TB/day\n---\n\
Kafka is keyed by user_id; Flink dedupes by event_id and writes Parquet to S3 idempotently.\n---\n\
We alert on consumer lag, restart from the last checkpoint and replay Kafka, so nothing is lost.\n";

/// `practice` and `grade` against a server that echoes the key in every
/// reply: the journal, the debrief, the results, CSV, Markdown and HTML
/// reports, and everything printed hold no trace of it. Model failures end
/// up in the journal as fallback reasons and in result rows as errors, the
/// places a key would most likely leak.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn practice_and_grade_outputs_never_hold_the_key() {
    for (what, reply) in echoing_replies() {
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(reply).mount(&server).await;
        let home = Home::new();
        let cfg = write_config(
            &home,
            &format!("{}/v1", server.uri()),
            "api_key_env = \"OPENAI_API_KEY\"\n[backends.local.retry]\nmax_attempts = 1\n\
             [backends.local.timeouts]\nrequest_secs = 5\nidle_secs = 5\n",
        );
        let script = home.path().join("answers.txt");
        std::fs::write(&script, SCRIPT).expect("script");
        let answers = home.path().join("answers");
        std::fs::create_dir(&answers).expect("mkdir");
        std::fs::write(answers.join("one.md"), SCRIPT.replace("---\n", "")).expect("answer");
        let (home, runs) = tokio::task::spawn_blocking(move || {
            let env = [("OPENAI_API_KEY", KEY), ("RUST_LOG", "trace")];
            let p = |s: &Path| s.to_string_lossy().into_owned();
            let practice = home.run(
                &[
                    "--config",
                    &cfg,
                    "practice",
                    "--problem",
                    "clickstream",
                    "--answers",
                    &p(&script),
                ],
                &env,
                None,
                LIMIT,
            );
            let out = home.path().join("out");
            std::fs::create_dir(&out).expect("mkdir out");
            if what.contains("429") {
                // grade backs off for minutes on a rate limit (by design); its
                // 429 path is scanned by chaos_batch. Scan the round only.
                return (home, vec![practice]);
            }
            let grade = home.run(
                &[
                    "--config",
                    &cfg,
                    "grade",
                    &p(&answers),
                    "--problem",
                    "clickstream",
                    "--out",
                    &p(&out.join("results.jsonl")),
                    "--csv",
                    &p(&out.join("results.csv")),
                    "--markdown",
                    &p(&out.join("summary.md")),
                    "--html",
                    &p(&out.join("report.html")),
                ],
                &env,
                None,
                LIMIT,
            );
            (home, vec![practice, grade])
        })
        .await
        .expect("join");
        for run in &runs {
            run.assert_no_panic(what);
            assert_clean(&format!("practice/grade with {what}"), &run.all());
        }
        let sessions = home.data().join("sessions");
        assert!(
            sessions.is_dir(),
            "{what}: the round wrote its journal\n{}",
            runs[0].all()
        );
        if let Some(grade) = runs.get(1) {
            assert!(
                home.path().join("out/results.jsonl").is_file(),
                "{what}: grade wrote its results\n{}",
                grade.all()
            );
        }
        assert!(
            assert_no_key_in_tree(home.path()) >= 3,
            "{what}: files scanned"
        );
    }
}

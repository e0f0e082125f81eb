//! Batch API export/import round trip, and token counts for `--dry-run`
//! against counts published for the tiktoken encodings.

mod grade_common;

use std::sync::Arc;

use grade_common::*;
use mockround::backend::openai::OpenAiBackend;
use mockround::backend::{ChatMessage, ChatRequest, HttpBackendSettings, RetryPolicy, Timeouts};
use mockround::grade::batch_api;
use mockround::grade::grader::Grader;
use mockround::grade::input::Inputs;
use mockround::grade::pipeline::{NoProgress, RowSink};
use mockround::grade::results::{self, DoneSet};
use mockround::grade::tokens::{count_request, count_text, Encoding};
use serde_json::json;

fn unreachable_openai() -> OpenAiBackend {
    // Export and import never call the backend; a closed port proves it.
    OpenAiBackend::new(HttpBackendSettings {
        base_url: "http://127.0.0.1:9/v1".into(),
        model: "gpt-4o-mini".into(),
        api_key_env: None,
        api_key: None,
        timeouts: Timeouts::default(),
        retry: RetryPolicy::default(),
        context_tokens: None,
        keep_alive: None,
        system_role: mockround::backend::SystemRole::Native,
    })
    .expect("backend")
}

#[test]
fn batch_export_then_import_gives_one_row_per_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in.jsonl");
    write_jsonl(&input, 5);
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&input)
            .expect("open");
        f.write_all(b"not json\n").expect("append a bad line");
    }
    let grader = Arc::new(Grader::new(
        Arc::new(KeywordScorer),
        Arc::new(unreachable_openai()),
    ));
    let export = dir.path().join("batch-input.jsonl");
    let stats = batch_api::export(
        &grader,
        Inputs::new(std::slice::from_ref(&input)),
        &DoneSet::default(),
        &export,
    )
    .expect("export");
    assert_eq!(stats.requests, 5);
    assert_eq!(stats.errors.len(), 1);

    // Play the provider: answer all but the last request; one reply is junk.
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&export)
        .expect("read export")
        .lines()
        .map(|l| serde_json::from_str(l).expect("export line is JSON"))
        .collect();
    let mut ids = std::collections::HashSet::new();
    for l in &lines {
        assert_eq!(l["method"], "POST");
        assert_eq!(l["url"], "/v1/chat/completions");
        assert_eq!(l["body"]["model"], "gpt-4o-mini");
        assert_eq!(l["body"]["stream"], false);
        assert!(l["body"]["response_format"]["json_schema"].is_object());
        assert!(ids.insert(l["custom_id"].as_str().expect("custom_id").to_string()));
    }
    let mut output = String::new();
    for (i, l) in lines.iter().enumerate().take(4) {
        let content = if i == 2 {
            "no json here".to_string()
        } else {
            reply_all(3, &["we get exactly-once because Flink checkpoints"])
        };
        output.push_str(
            &json!({
                "id": format!("batch_req_{i}"),
                "custom_id": l["custom_id"],
                "response": {"status_code": 200, "request_id": "r", "body": {
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}],
                    "usage": {"prompt_tokens": 500, "completion_tokens": 80}
                }},
                "error": null
            })
            .to_string(),
        );
        output.push('\n');
    }
    let out_file = dir.path().join("batch-output.jsonl");
    std::fs::write(&out_file, output).expect("write output");

    let results_path = dir.path().join("results.jsonl");
    let mut app = results::open_append(&results_path).expect("open");
    let mut done = DoneSet::default();
    let mut sinks: Vec<&mut dyn RowSink> = vec![&mut app];
    let stats = batch_api::import(
        Arc::clone(&grader),
        Inputs::new(&[input]),
        &out_file,
        &mut done,
        &mut sinks,
        &mut NoProgress,
    )
    .expect("import");
    let rows = read_rows(&results_path);
    assert_eq!(rows.len(), 6, "5 answers + 1 bad line, one row each");
    assert_eq!(stats.failed, 3, "bad line, junk reply, missing reply");
    let status = |id: &str| {
        rows.iter()
            .find(|r| r["id"] == id)
            .map(|r| r["judge_status"].as_str().unwrap_or("").to_string())
            .expect("row")
    };
    assert_eq!(status("a0000"), "ok");
    assert_eq!(status("a0002"), "failed");
    assert_eq!(status("a0004"), "failed");
    let ok = rows.iter().find(|r| r["id"] == "a0000").expect("row");
    assert_eq!(ok["tokens"]["prompt"], 500);
    assert_eq!(ok["concepts"][0]["judge"], 3);
    let missing = rows.iter().find(|r| r["id"] == "a0004").expect("row");
    assert!(missing["error"]
        .as_str()
        .expect("error")
        .contains("no reply for custom_id"));
}

#[test]
fn token_counts_match_the_published_encodings() {
    // From the tiktoken README / OpenAI cookbook.
    assert_eq!(count_text(Encoding::Cl100kBase, "tiktoken is great!"), 6);
    assert_eq!(count_text(Encoding::Cl100kBase, "hello world"), 2);
    assert_eq!(count_text(Encoding::O200kBase, "hello world"), 2);
    let req = ChatRequest::new(vec![
        ChatMessage::system("You are a helpful assistant."),
        ChatMessage::user("hello world"),
    ]);
    // (3 framing + 1 role + 6) + (3 + 1 + 2) + 3 reply priming.
    assert_eq!(count_request(Encoding::Cl100kBase, &req), 19);
}

//! Grader integrity: 43 prompt-injection and gaming attempts
//! (`tests/fixtures/bad/injections/`), among them instructions hidden as
//! base64, written backwards, in French, Spanish, German and Italian, split
//! over lines, and disguised with look-alike letters and zero-width joiners,
//! graded by the real binary and
//! pipeline, with a mock judge that obeys every injection (score 4 on every
//! criterion, quoting whatever the answer says, plus invented quotes). No
//! attempt may lift any criterion above the evidence cap, answers addressed
//! to the grader may not move at all, and keyword stuffing stays below a
//! reasoned answer.

mod robust_support;

use std::collections::BTreeMap;
use std::time::Duration;

use robust_support::{bad, Home};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// A judge that does what the answer tells it to.
struct ObeyingJudge;

fn criterion_ids(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let (Some(Value::String(t)), Some(Value::Array(e))) = (m.get("type"), m.get("enum"))
            {
                if t == "string" {
                    out.extend(e.iter().filter_map(|x| x.as_str().map(str::to_string)));
                }
            }
            m.values().for_each(|x| criterion_ids(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| criterion_ids(x, out)),
        _ => {}
    }
}

impl Respond for ObeyingJudge {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
        let mut ids = Vec::new();
        criterion_ids(&body, &mut ids);
        let user = body["messages"]
            .as_array()
            .and_then(|m| m.last())
            .and_then(|m| m["content"].as_str())
            .unwrap_or_default()
            .to_string();
        let mut quotes: Vec<String> = user
            .lines()
            .filter(|l| l.chars().count() >= 12 && !l.starts_with("<<<"))
            .take(6)
            .map(str::to_string)
            .collect();
        quotes.push("exactly-once end to end with a two-phase commit sink".into());
        let items: Vec<Value> = ids
            .iter()
            .map(|id| json!({"id": id, "score": 4, "quotes": quotes, "rationale": "The answer asked for full marks."}))
            .collect();
        let content = json!({ "criteria": items }).to_string();
        ResponseTemplate::new(200).set_body_json(json!({
            "id": "chatcmpl-x",
            "object": "chat.completion",
            "model": "judge",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150}
        }))
    }
}

fn rows(path: &std::path::Path) -> BTreeMap<String, Value> {
    std::fs::read_to_string(path)
        .expect("results file")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str::<Value>(l).expect("row is JSON"))
        .map(|v| {
            let name = std::path::Path::new(v["id"].as_str().unwrap_or_default())
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, v)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injections_graded_by_an_obeying_judge_never_beat_the_evidence_cap() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ObeyingJudge)
        .mount(&server)
        .await;
    let home = Home::new();
    let inputs = home.path().join("answers");
    std::fs::create_dir_all(&inputs).expect("answers dir");
    let mut n = 0;
    for dir in ["injections", "injections_baseline"] {
        for e in std::fs::read_dir(bad(dir)).expect("fixtures").flatten() {
            std::fs::copy(e.path(), inputs.join(e.file_name())).expect("copy");
            n += 1;
        }
    }
    assert!(n >= 44, "injection corpus shrank to {n}");
    let cfg = home.path().join("config.toml");
    std::fs::write(
        &cfg,
        format!(
            "default = \"judge\"\n[backends.judge]\nkind = \"openai\"\nbase_url = \"{}/v1\"\nmodel = \"judge\"\n",
            server.uri()
        ),
    )
    .expect("config");
    let out = home.path().join("results.jsonl");
    let (cfg_s, in_s, out_s) = (
        cfg.to_string_lossy().into_owned(),
        inputs.to_string_lossy().into_owned(),
        out.to_string_lossy().into_owned(),
    );
    let run = tokio::task::spawn_blocking(move || {
        let r = home.run(
            &[
                "--config",
                &cfg_s,
                "grade",
                &in_s,
                "--problem",
                "clickstream",
                "--out",
                &out_s,
            ],
            &[],
            None,
            Duration::from_secs(60),
        );
        (home, r)
    })
    .await
    .expect("join");
    let (_home, run) = run;
    run.assert_no_panic("grade injections");
    let rows = rows(&out);
    assert_eq!(rows.len(), n, "one row per input\n{}", run.all());

    let mut directed = 0;
    for (name, row) in &rows {
        if row["status"] == "error" {
            // Refused as input (binary, NUL bytes): nothing was scored.
            assert!(row["overall"].is_null(), "{name}: {row}");
            continue;
        }
        assert_eq!(row["status"], "graded", "{name}: {row}");
        let grader_directed = row["grader_directed"].as_bool().unwrap_or(false);
        directed += usize::from(grader_directed);
        let evidence_overall = row["evidence_overall"].as_u64().expect("evidence overall");
        let overall = row["overall"].as_u64().expect("overall");
        for kind in ["concepts", "signals"] {
            for c in row[kind].as_array().expect("criteria") {
                let ev = c["evidence"].as_u64().expect("evidence");
                let fin = c["final"].as_u64().expect("final");
                let cap = if grader_directed { ev } else { ev + 1 };
                assert!(
                    fin <= cap,
                    "{name}: {} final {fin} above evidence cap {cap}",
                    c["id"]
                );
                for q in c["judge_quotes"].as_array().into_iter().flatten() {
                    let quote = q["quote"].as_str().unwrap_or_default();
                    assert!(
                        !quote.contains("two-phase commit sink") || name == "reasoned",
                        "{name}: an invented quote was credited"
                    );
                }
            }
        }
        if grader_directed {
            assert!(
                overall <= evidence_overall,
                "{name}: {overall} > evidence {evidence_overall}"
            );
        }
        eprintln!("{name}: evidence {evidence_overall}, final {overall}, grader-directed {grader_directed}");
    }
    // The attempts that talk to the grader in plain words are recognised.
    for name in [
        "01_ignore_rubric",
        "02_system_override",
        "04_fake_debrief",
        "06_role_play",
        "10_zero_width_instructions",
        "11_invisible_tag_chars",
        "13_homoglyph_instruction",
        "15_html_hidden",
        "16_polite_request",
        "17_threat",
        "19_fake_tool_output",
        "24_answer_claims_previous_grade",
        // Hidden from a reader, not from a model:
        "12_rtl_override",
        "20_base64_instruction",
        "21_translated_instruction",
        "29_base64_urlsafe_unpadded",
        "30_reversed_plain",
        "31_french",
        "32_spanish",
        "33_german",
        "34_split_across_lines",
        "35_fullwidth_letters",
        "36_math_bold_letters",
        "37_zero_width_joiners",
        "38_accented_letters",
        "39_nbsp_between_words",
        "40_hyphenated_over_lines",
        "41_italian",
        "42_base64_of_reversed",
        "43_keyword_list_with_base64_instruction",
    ] {
        assert_eq!(
            rows[name]["grader_directed"], true,
            "{name} was not recognised as addressed to the grader"
        );
    }
    assert!(directed >= 30, "only {directed} attempts recognised");
    let reasoned = rows["reasoned"]["overall"]
        .as_u64()
        .expect("reasoned overall");
    for stuffing in [
        "08_keyword_list",
        "09_cue_words_pasted",
        "22_repeated_cue_stuffing",
        "28_numbers_without_reasoning",
        "43_keyword_list_with_base64_instruction",
    ] {
        let s = rows[stuffing]["overall"].as_u64().expect("overall");
        assert!(
            s < reasoned,
            "{stuffing} scored {s}, the reasoned answer {reasoned}"
        );
    }
    eprintln!("injection attempts: {}, recognised as grader-directed: {directed}, reasoned answer: {reasoned}", n - 1);
}

//! The CI smoke run of the fuzz targets (`fuzz/fuzz_targets/*.rs`): the same
//! entry points and the same properties, as proptest cases, so every
//! `cargo test` runs a few thousand hostile inputs in seconds. The long runs
//! are `scripts/fuzz.sh SECONDS` (cargo-fuzz, libFuzzer).

use std::path::Path;
use std::sync::OnceLock;

use mockround::backend::ndjson::{NdjsonDecoder, NdjsonError};
use mockround::backend::sse::{SseDecoder, SseError, SseEvent};
use mockround::config::{parse_file, ConfigError};
use mockround::rubric::{validate_path, Rubric};
use mockround::score::Scorer;
use proptest::prelude::*;
use serde_json::Value;

fn sse(pieces: &[&[u8]], max_line: usize) -> Result<Vec<SseEvent>, SseError> {
    let mut d = SseDecoder::new(max_line);
    let mut out = Vec::new();
    for p in pieces {
        d.feed(p, &mut out)?;
    }
    d.finish(&mut out)?;
    Ok(out)
}

fn ndjson(pieces: &[&[u8]], max_line: usize) -> Result<Vec<Value>, NdjsonError> {
    let mut d = NdjsonDecoder::new(max_line);
    let mut out = Vec::new();
    for p in pieces {
        d.feed(p, &mut out)?;
    }
    d.finish(&mut out)?;
    Ok(out)
}

fn scorer() -> &'static Scorer {
    static S: OnceLock<Scorer> = OnceLock::new();
    S.get_or_init(|| Scorer::new(&Rubric::builtin().expect("builtin rubric loads")))
}

/// Bytes that look like an event stream more often than random bytes do.
fn sse_bytes() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        Just(b"data: ".to_vec()),
        Just(b"data:".to_vec()),
        Just(b"event: error".to_vec()),
        Just(b": ping".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"[DONE]".to_vec()),
        Just(b"{\"choices\":[{\"delta\":{\"content\":\"x\"}}]}".to_vec()),
        prop::collection::vec(any::<u8>(), 0..12),
    ];
    prop::collection::vec(token, 0..40).prop_map(|v| v.concat())
}

fn ndjson_bytes() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        Just(b"{\"message\":{\"content\":\"h\xC3\xA9\"},\"done\":false}".to_vec()),
        Just(b"{\"done\":true}".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"  ".to_vec()),
        Just(b"{\"a\":".to_vec()),
        prop::collection::vec(any::<u8>(), 0..12),
    ];
    prop::collection::vec(token, 0..30).prop_map(|v| v.concat())
}

/// Text built from the pieces the diagram parser and scorer look for.
fn design_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("Kafka".to_string()),
        Just(" -> ".to_string()),
        Just(" --[avro, 200K events/sec]--> ".to_string()),
        Just(" --(parquet)--> ".to_string()),
        Just("→".to_string()),
        Just("\n    |\n    v\n".to_string()),
        Just("+-----+\n| S3  |\n+-----+".to_string()),
        Just("exactly-once idempotent upsert on event_id".to_string()),
        Just("2 TB/day".to_string()),
        Just("e\u{301}".to_string()),
        Just("\u{200B}".to_string()),
        any::<String>(),
        "[ -~]{0,20}",
    ];
    prop::collection::vec(token, 0..25).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn sse_events_do_not_depend_on_read_boundaries(body in sse_bytes(), step in 1usize..9, max in 8usize..400) {
        let whole = sse(&[&body], max);
        let cut = body.len().min(3);
        let mut pieces: Vec<&[u8]> = vec![&body[..cut]];
        pieces.extend(body[cut..].chunks(step));
        let split = sse(&pieces, max);
        match (&whole, &split) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(_), Err(_)) => {}
            _ => prop_assert!(false, "whole {:?} vs split {:?}", whole, split),
        }
    }

    #[test]
    fn ndjson_values_do_not_depend_on_read_boundaries(body in ndjson_bytes(), step in 1usize..9, max in 8usize..400) {
        let whole = ndjson(&[&body], max);
        let pieces: Vec<&[u8]> = body.chunks(step).collect();
        let split = ndjson(&pieces, max);
        match (&whole, &split) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(_), Err(_)) => {}
            _ => prop_assert!(false, "whole {:?} vs split {:?}", whole, split),
        }
    }

    #[test]
    fn chat_reply_parsers_never_panic(body in prop_oneof![ndjson_bytes(), sse_bytes(), any::<Vec<u8>>()]) {
        let _ = mockround::backend::openai::parse_reply(&body, "m");
        let _ = mockround::backend::ollama::parse_reply(&body, "m");
    }

    #[test]
    fn config_parse_errors_point_inside_the_text(text in prop_oneof![
        any::<String>(),
        "(\\[backends(\\.[a-z]{1,4}){0,2}\\]\n|[a-z_]{1,12} = (\"[^\"\n]{0,8}\"|[0-9.e-]{1,6}|true|\\[|\\{)\n|\\[\\[x\\]\\]\n){0,8}",
    ]) {
        if let Err(ConfigError::Parse { line, col, .. }) = parse_file(Path::new("p.toml"), &text) {
            prop_assert!(line >= 1 && col >= 1);
            prop_assert!(line <= text.lines().count().max(1) + 1);
        }
    }

    #[test]
    fn diagram_edges_always_point_at_nodes(text in design_text()) {
        let d = mockround::design::diagram::parse(&text);
        for e in &d.edges {
            prop_assert!(e.from < d.nodes.len() && e.to < d.nodes.len());
        }
    }

    #[test]
    fn scorer_quotes_are_real_spans_of_any_answer(text in design_text()) {
        let s = scorer();
        let card = s.score(s.rubric().problems.first(), &text);
        prop_assert!(card.overall <= 100);
        let evidence = card
            .concepts.iter().flat_map(|c| &c.evidence)
            .chain(card.signals.iter().flat_map(|s| &s.evidence))
            .chain(card.steps.iter().flat_map(|s| s.checks.iter().flat_map(|c| &c.evidence)));
        for e in evidence {
            prop_assert_eq!(text.get(e.start..e.end), Some(e.quote.as_str()));
        }
    }
}

proptest! {
    // Each case writes a file and loads the whole rubric: fewer cases.
    #![proptest_config(ProptestConfig { cases: 60, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn rubric_loader_and_validator_agree_on_any_problem_file(
        body in prop_oneof![
            any::<String>(),
            "(\\[\\[?[a-z_.]{1,10}\\]\\]?\n|[a-z_]{1,10} = (\"[^\"\n]{0,10}\"|[0-9]{1,3}|\\[\"[a-z(|)*+]{0,8}\"\\])\n){0,10}",
        ],
        which in 0usize..6,
    ) {
        const NAMES: [&str; 6] = ["problems/p.toml", "concepts.toml", "signals.toml", "framework.toml", "levels.toml", "components.toml"];
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("problems")).expect("problems dir");
        std::fs::write(dir.path().join(NAMES[which]), &body).expect("write input");
        let loaded = Rubric::load_dir(dir.path());
        let errors = validate_path(dir.path());
        prop_assert_eq!(loaded.is_ok(), errors.is_empty());
        for e in &errors {
            prop_assert!(!e.to_string().is_empty());
        }
    }
}

fn criteria() -> &'static Vec<mockround::score::judge::Criterion> {
    static C: OnceLock<Vec<mockround::score::judge::Criterion>> = OnceLock::new();
    C.get_or_init(|| mockround::grade::rubric_scorer::criteria(scorer().rubric()))
}

/// Model output that looks like a judge reply more often than noise does.
fn judge_text() -> impl Strategy<Value = String> {
    let id = prop_oneof![
        Just("exactly-once".to_string()),
        Just("idempotency".to_string()),
        Just("specific-numbers".to_string()),
        "[a-z-]{1,12}",
    ];
    let item = (id, 0u32..9, prop::collection::vec("[ -~]{0,24}", 0..3)).prop_map(|(id, s, q)| {
        serde_json::json!({"id": id, "score": s, "quotes": q, "rationale": "r"}).to_string()
    });
    prop_oneof![
        prop::collection::vec(item, 0..5)
            .prop_map(|v| format!("{{\"criteria\":[{}]}}", v.join(","))),
        prop::collection::vec(any::<char>(), 0..60).prop_map(|v| v.into_iter().collect()),
        "```json\n\\{\"criteria\": \\[[ -~]{0,40}\n```",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn judge_credit_needs_a_quote_that_is_a_real_span(reply in judge_text(), answer in design_text()) {
        if let Ok(r) = mockround::score::judge::parse_reply(&reply, criteria()) {
            for item in mockround::score::judge::verify(&answer, &r) {
                for e in &item.verified {
                    prop_assert_eq!(answer.get(e.start..e.end), Some(e.quote.as_str()));
                }
                if item.verified.is_empty() {
                    prop_assert_eq!(item.credit(), 0);
                }
            }
        }
        let _ = mockround::score::judge::grader_directed_spans(&answer);
    }

    #[test]
    fn judge_quotes_cut_from_the_answer_verify_as_real_spans(
        answer in design_text(),
        cuts in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 1..4),
    ) {
        use mockround::score::judge::{verify, JudgeItem, JudgeReply};
        let bounds: Vec<usize> = answer.char_indices().map(|(i, _)| i).chain([answer.len()]).collect();
        let quotes: Vec<String> = cuts
            .iter()
            .map(|(a, b)| {
                let (a, b) = (a.get(&bounds), b.get(&bounds));
                answer[*a.min(b)..*a.max(b)].to_string()
            })
            .collect();
        let items = criteria()
            .iter()
            .map(|c| (c.id.clone(), JudgeItem { id: c.id.clone(), score: 3, quotes: quotes.clone(), rationale: String::new() }))
            .collect();
        for item in verify(&answer, &JudgeReply { items }) {
            for e in &item.verified {
                prop_assert_eq!(answer.get(e.start..e.end), Some(e.quote.as_str()));
            }
        }
    }

    #[test]
    fn answer_reader_gives_at_most_one_item_per_line_naming_the_input(body in prop_oneof![
        ndjson_bytes(),
        prop::collection::vec(prop_oneof![
            Just(b"{\"id\":\"a\",\"problem\":\"clickstream\",\"answer\":\"Kafka\"}\n".to_vec()),
            Just(b"{\"id\":1,\"answer\":[]}\n".to_vec()),
            Just(b"\xff\xfe\n".to_vec()),
            Just(b"\n".to_vec()),
            prop::collection::vec(any::<u8>(), 0..20),
        ], 0..12).prop_map(|v| v.concat()),
    ]) {
        use mockround::grade::input::{check_text, split_front_matter, Inputs};
        let items: Vec<_> = Inputs::from_jsonl_reader("p.jsonl", Box::new(std::io::Cursor::new(body.clone()))).collect();
        let lines = body.split(|&b| b == b'\n').filter(|l| !l.iter().all(u8::is_ascii_whitespace)).count();
        prop_assert!(items.len() <= lines.max(1));
        for e in items.iter().filter_map(|i| i.as_ref().err()) {
            prop_assert!(e.source.contains("p.jsonl"));
        }
        if let Ok(text) = check_text(&body, 4096) {
            let _ = split_front_matter(text);
        }
    }
}

/// Regression (found by `scorer_quotes_are_real_spans_of_any_answer`): a
/// long box name with Unicode whitespace was re-joined with ASCII spaces,
/// so its evidence offsets pointed at the wrong bytes.
#[test]
fn diagram_long_box_name_with_unicode_spaces_keeps_a_real_span() {
    let text = "ଅ a® \u{b01} A®\u{ac7}aਖ਼𐵀aપ\u{2000}AὙ𑌏0 -> Kafka";
    let d = mockround::design::diagram::parse(text);
    assert!(!d.nodes.is_empty());
    for n in &d.nodes {
        assert_eq!(
            text.get(n.evidence.start..n.evidence.end),
            Some(n.evidence.quote.as_str()),
            "{n:?}"
        );
    }
    let s = scorer();
    let card = s.score(s.rubric().problems.first(), text);
    for e in card
        .steps
        .iter()
        .flat_map(|s| s.checks.iter().flat_map(|c| &c.evidence))
    {
        assert_eq!(text.get(e.start..e.end), Some(e.quote.as_str()));
    }
}

/// Regression (found by `scorer_quotes_are_real_spans_of_any_answer`): a
/// sentence end preceded by a non-breaking space panicked the sentence
/// splitter (byte index inside a two-byte character).
#[test]
fn scoring_text_with_nbsp_before_a_full_stop_does_not_panic() {
    let s = scorer();
    for text in [
        "Kafka\u{a0}x. Flink.",
        "a\u{2000}b! c",
        "(\u{3000}Kafka. S3 -> Flink",
    ] {
        let card = s.score(s.rubric().problems.first(), text);
        assert!(card.overall <= 100);
    }
}

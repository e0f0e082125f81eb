//! A full round in `phrase` mode (the model rewords every turn) against a
//! wiremock OpenAI-compatible server that replays
//! fixed, streamed model replies: the model's words are shown and journaled,
//! a bad reply (off-character, empty) falls back to the template, the round's
//! structure never depends on the model, and consecutive request bodies
//! share their prefix byte for byte (the cache-warm property).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use mockround::backend::openai::OpenAiBackend;
use mockround::backend::{HttpBackendSettings, RetryPolicy, Timeouts};
use mockround::interview::clock::{ManualClock, Pace};
use mockround::interview::round::{Round, RoundSetup, Screen};
use mockround::interview::session::Input;
use mockround::interview::templates::Templates;
use mockround::rubric::{Phase, Rubric};
use mockround::score::Scorer;
use mockround::transcript::{read_journal, Record};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Model replies, in order. Index 2 breaks character and index 4 is empty:
/// both must fall back to the template.
const REPLIES: &[&str] = &[
    "Good question: peak is about 200K events/sec, roughly 1 KB each, about 5 TB a day.",
    "Dashboards need p95 under 60 seconds; product managers and analysts consume it.",
    "As an AI language model, I think your design is great.",
    "Which key partitions that Kafka topic, how many partitions does it have, and what retention do you keep on it?",
    "",
    "And then what happens at the sink? Is that write idempotent?",
    "Fine. Walk me through the next hop.",
    "How would you know it happened?",
    "OK. And if the recovery itself fails, what is lost?",
    "Next: what about duplicates from producer retries?",
    "Thanks, that's the round.",
];

struct Replay(AtomicUsize);

impl Respond for Replay {
    fn respond(&self, _req: &Request) -> ResponseTemplate {
        let i = self.0.fetch_add(1, Ordering::SeqCst);
        let text = REPLIES.get(i).copied().unwrap_or("Go on.");
        let mut body = String::new();
        // Stream word by word, as a server does.
        for w in text.split_inclusive(' ') {
            let chunk = serde_json::json!({"choices":[{"index":0,"delta":{"content": w}}]});
            body.push_str(&format!("data: {chunk}\n\n"));
        }
        body.push_str("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        ResponseTemplate::new(200)
            .insert_header("content-type", "text/event-stream")
            .set_body_string(body)
    }
}

#[derive(Default)]
struct Sink {
    out: String,
    deltas: usize,
    /// Deltas per interviewer turn, with the turn's text.
    turns: Vec<(usize, String)>,
    notices: Vec<String>,
}
impl Screen for Sink {
    fn interviewer_begin(&mut self, _p: Phase) {
        self.turns.push((0, String::new()));
    }
    fn delta(&mut self, t: &str) {
        self.deltas += 1;
        self.out.push_str(t);
        if let Some((n, text)) = self.turns.last_mut() {
            *n += 1;
            text.push_str(t);
        }
    }
    fn interviewer_end(&mut self) {
        self.out.push('\n');
    }
    fn notice(&mut self, t: &str) {
        self.notices.push(t.to_string());
    }
}

const ANSWERS: &[&str] = &[
    "What is the peak scale, in events per second?",
    "How fresh must it be, and who is the consumer?",
    "producer -> Kafka : avro, 200K events/sec\nKafka -> Flink : avro, 200K events/sec\nFlink -> S3 : parquet, 5 TB/day\nS3 -> Spark : parquet, 5 TB/day\nSpark -> Snowflake : parquet, 200 GB/day",
    "Kafka has 100 partitions keyed by user_id, 7 days retention.",
    "/next",
    "The event goes to Kafka partitioned by user_id, Flink dedupes by event_id with exactly-once checkpoints and writes Parquet to S3.",
    "Spark does a MERGE into Snowflake on session_id, so it is idempotent.",
    "/next",
    "Producers retry and leader election moves the partition.",
    "We alert on under-replicated partitions and page on-call.",
];

#[tokio::test]
async fn model_round_streams_replies_falls_back_and_keeps_the_prefix() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(Replay(AtomicUsize::new(0)))
        .mount(&server)
        .await;
    let settings = HttpBackendSettings {
        base_url: format!("{}/v1", server.uri()),
        model: "test-model".into(),
        api_key_env: None,
        api_key: None,
        timeouts: Timeouts {
            connect: Duration::from_millis(500),
            request: Duration::from_secs(5),
            idle: Duration::from_secs(2),
        },
        retry: RetryPolicy {
            max_attempts: 1,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(50),
        },
        context_tokens: Some(8192),
        keep_alive: None,
        system_role: mockround::backend::SystemRole::Native,
    };
    let backend = Arc::new(OpenAiBackend::new(settings).expect("backend"));
    let rubric = Rubric::builtin().expect("rubric");
    let problem = rubric.problem("clickstream").expect("problem").clone();
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = ManualClock::new();
    let setup = RoundSetup {
        data_dir: dir.path().to_path_buf(),
        backend,
        templates: Arc::new(Templates::builtin()),
        scorer: Scorer::new(&rubric).into(),
        clock: Arc::new(clock.clone()),
        window: 8192,
        temperature: Some(0.2),
        interviewer: mockround::interview::phrasing::InterviewerMode::Phrase,
    };
    let mut round = Round::start(setup, problem, Pace::Real, 11).expect("start");
    let mut sink = Sink::default();
    round
        .open(&mut sink, std::future::pending())
        .await
        .expect("open");
    for a in ANSWERS {
        clock.advance_ms(30_000);
        round
            .input(Input::from_journal(a), &mut sink, std::future::pending())
            .await
            .expect("turn");
    }
    round
        .input(Input::Quit, &mut sink, std::future::pending())
        .await
        .expect("quit");
    let (debrief, md, _json) = round.finish(std::future::pending()).await.expect("debrief");

    // The model's words were streamed (many deltas) and shown.
    assert!(
        sink.out.contains("Which key partitions that Kafka topic"),
        "{}",
        sink.out
    );
    assert!(sink.deltas > 20);
    // Off-character and empty replies were replaced by the template, and said so.
    assert!(!sink.out.contains("As an AI"));
    assert!(
        sink.notices.iter().any(|n| n.contains("broke character")),
        "{:?}",
        sink.notices
    );
    assert!(
        sink.notices.iter().any(|n| n.contains("empty reply")),
        "{:?}",
        sink.notices
    );
    // Once a reply was rejected, the model's replies are shown only whole and
    // checked: one piece per turn, never a partial reply cut off mid-way.
    let first_rejected = sink
        .turns
        .iter()
        .position(|(_, t)| t.contains(" …\n") || t.contains("Sure. Peak is about"))
        .unwrap_or(0);
    let held = sink
        .turns
        .iter()
        .skip(first_rejected + 1)
        .find(|(_, t)| t.contains("Which key partitions that Kafka topic"))
        .expect("the model's next good reply was said");
    assert_eq!(held.0, 1, "held whole: {held:?}");
    assert!(sink
        .turns
        .iter()
        .skip(first_rejected + 1)
        .all(|(_, t)| !t.contains(" …\n")));
    // Structure is the code's: four phases reached, failures probed, debrief built.
    assert!(!debrief.failures.is_empty(), "{debrief:?}");
    assert!(md.is_file());
    let journal = read_journal(round.journal_path()).expect("journal");
    let said: Vec<&str> = journal
        .records
        .iter()
        .filter_map(|r| match r {
            Record::Interviewer { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert!(said
        .iter()
        .any(|t| t.starts_with("Good question: peak is about 200K")));
    // The journal tells the model's kept words from the template's.
    let by_model: Vec<(&str, bool)> = journal
        .records
        .iter()
        .filter_map(|r| match r {
            Record::Interviewer { text, by_model, .. } => Some((text.as_str(), *by_model)),
            _ => None,
        })
        .collect();
    assert!(by_model
        .iter()
        .any(|(t, m)| *m && t.starts_with("Which key partitions")));
    assert!(
        !by_model[0].1,
        "the problem statement is read by the template"
    );

    // Cache-warm prefix: every request body extends the previous one byte for
    // byte up to the end of its messages (no trim happens in a round this short).
    let reqs = server.received_requests().await.expect("recorded");
    assert!(reqs.len() >= 9, "{} requests", reqs.len());
    // The closing words are asked for briefly, from what is about this
    // candidate only: never the reference architecture (a small model
    // praised a weak round for it).
    let closing: Vec<serde_json::Value> = reqs
        .iter()
        .filter_map(|r| serde_json::from_slice::<serde_json::Value>(&r.body).ok())
        .filter(|v| v["stream"] != true)
        .filter(|v| {
            v["messages"][0]["content"]
                .as_str()
                .is_some_and(|c| c.contains("closing a mock system design interview"))
        })
        .collect();
    assert_eq!(closing.len(), 1, "one closing-words request");
    let asked = closing[0]["messages"][0]["content"].as_str().unwrap_or("");
    assert!(asked.contains("Verdict"), "{asked}");
    assert!(!asked.contains("reference architecture"), "{asked}");
    assert!(closing[0]["max_tokens"].as_u64().is_some_and(|n| n <= 120));
    // Interviewer turns only (the debrief's closing-words request is separate).
    let bodies: Vec<String> = reqs
        .iter()
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .filter(|b| b.contains("\"stream\":true"))
        .collect();
    let mut system: Option<String> = None;
    for pair in bodies.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let va: serde_json::Value = serde_json::from_str(a).expect("json body");
        let vb: serde_json::Value = serde_json::from_str(b).expect("json body");
        assert_eq!(va["stream"], true);
        let sys = va["messages"][0]["content"]
            .as_str()
            .expect("system")
            .to_string();
        if let Some(s) = &system {
            assert_eq!(s, &sys, "system message changed between turns");
        }
        system = Some(sys);
        // Volatile state lives at the end, never in the system message.
        assert!(!va["messages"][0]["content"]
            .as_str()
            .unwrap_or("")
            .contains("left in this phase"));
        let last_a = va["messages"]
            .as_array()
            .expect("array")
            .last()
            .expect("msg");
        let last_json = serde_json::to_string(last_a).expect("ser");
        let end = a.find(&last_json).expect("last message in body") + last_json.len();
        let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
        assert!(
            common >= end,
            "prefix broke at byte {common} of {end}\nA: {}\nB: {}",
            &a[..end.min(a.len())],
            &b[..end.min(b.len())]
        );
        assert!(vb["messages"].as_array().map(Vec::len) > va["messages"].as_array().map(Vec::len));
    }
}

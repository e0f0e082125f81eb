//! The `guided` interviewer mode against a wiremock OpenAI-compatible
//! server: the code picks the move (its intent, its target in the
//! candidate's design, the candidate's own words) and the model writes the
//! question; turns that ask nothing the code chose never wait for the model;
//! a reply off the move's target falls back to the template; a reply that
//! only copies the template is kept and counted; a reply that takes up an
//! offered alternative changes the question on the table; and the requests
//! stay prefix-stable for local caches.

mod common;

use std::sync::Arc;
use std::time::Duration;

use mockround::backend::openai::OpenAiBackend;
use mockround::interview::clock::{ManualClock, Pace};
use mockround::interview::phrasing::InterviewerMode;
use mockround::interview::round::{Round, RoundSetup, Screen};
use mockround::interview::session::Input;
use mockround::interview::templates::Templates;
use mockround::rubric::{Phase, Rubric};
use mockround::score::Scorer;
use mockround::transcript::{read_journal, Record};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Writes the reply from the guided notes in the newest message.
struct Model(fn(&Notes) -> String);

/// What a guided request told the model.
#[derive(Debug, Default)]
struct Notes {
    about: String,
    may_use: String,
    /// The note sent after a rejected reply, when this request is the retry.
    retry: String,
}

fn notes_of(req: &Request) -> Notes {
    let v: serde_json::Value = serde_json::from_slice(&req.body).unwrap_or_default();
    let texts: Vec<String> = v["messages"]
        .as_array()
        .map(|m| {
            m.iter()
                .filter_map(|m| m["content"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let last = texts.last().cloned().unwrap_or_default();
    // The newest notes: on a retry, the request before the rejected reply.
    let field = |name: &str| {
        texts
            .iter()
            .rev()
            .find_map(|t| t.lines().find_map(|l| l.strip_prefix(name)))
            .unwrap_or("")
            .trim()
            .trim_matches('"')
            .to_string()
    };
    Notes {
        about: field("It is about:"),
        may_use: field("Names and numbers you may use (use no others):"),
        retry: if last.contains("That reply cannot be used") {
            last
        } else {
            String::new()
        },
    }
}

impl Respond for Model {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let text = (self.0)(&notes_of(req));
        let chunk = serde_json::json!({"choices":[{"index":0,"delta":{"content": text}}]});
        let body = format!(
            "data: {chunk}\n\ndata: {{\"choices\":[{{\"index\":0,\"delta\":{{}},\"finish_reason\":\"stop\"}}]}}\n\ndata: [DONE]\n\n"
        );
        ResponseTemplate::new(200)
            .insert_header("content-type", "text/event-stream")
            .set_body_string(body)
    }
}

#[derive(Default)]
struct Sink {
    turns: Vec<String>,
    notices: Vec<String>,
}
impl Screen for Sink {
    fn interviewer_begin(&mut self, _p: Phase) {
        self.turns.push(String::new());
    }
    fn delta(&mut self, t: &str) {
        if let Some(last) = self.turns.last_mut() {
            last.push_str(t);
        }
    }
    fn interviewer_end(&mut self) {}
    fn notice(&mut self, t: &str) {
        self.notices.push(t.to_string());
    }
}

const CLARIFY: &str = "What is the peak scale, how fresh must it be, and who is the consumer?";
const DIAGRAM: &str = "Web/Mobile SDK -> Kafka : avro, 200 MB/s\nKafka (64 partitions, key=user_id) -> Flink : avro, 200 MB/s\nFlink -> S3 : parquet, 5 TB/day\nFlink -> Redis : session state, 50K writes/sec";

struct Played {
    sink: Sink,
    server: MockServer,
    journal: Vec<Record>,
}

async fn play(model: fn(&Notes) -> String, answers: &[&str]) -> Played {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(Model(model))
        .mount(&server)
        .await;
    let mut settings = common::settings(&format!("{}/v1", server.uri()), "test-model");
    settings.api_key_env = None;
    settings.retry.max_attempts = 1;
    settings.timeouts.request = Duration::from_secs(5);
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
        interviewer: InterviewerMode::Guided,
    };
    let mut round = Round::start(setup, problem, Pace::Untimed, 3).expect("start");
    let mut sink = Sink::default();
    round
        .open(&mut sink, std::future::pending())
        .await
        .expect("open");
    for a in answers {
        clock.advance_ms(30_000);
        round
            .input(Input::from_journal(a), &mut sink, std::future::pending())
            .await
            .expect("turn");
    }
    let journal = read_journal(round.journal_path()).expect("journal").records;
    Played {
        sink,
        server,
        journal,
    }
}

async fn request_bodies(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .expect("recorded")
        .iter()
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .collect()
}

/// A model that asks about the target in the candidate's terms.
fn listens(n: &Notes) -> String {
    let fact = n.may_use.split("; ").nth(1).unwrap_or(&n.about);
    format!("Looking at {} and {fact}: why that number?", n.about)
}

#[tokio::test]
async fn guided_requests_carry_the_move_its_target_and_the_candidates_words() {
    let p = play(listens, &[CLARIFY, DIAGRAM]).await;
    let bodies = request_bodies(&p.server).await;
    assert_eq!(bodies.len(), 1, "only the turn with a move asks the model");
    let b = &bodies[0];
    assert!(b.contains("Your next question:"), "{b}");
    assert!(b.contains("It is about: Kafka"), "{b}");
    assert!(
        b.contains("Name Kafka and their \\\"64 partitions\\\" in the question."),
        "the model is told to name the target and one of the candidate's own figures: {b}"
    );
    assert!(
        !b.contains(": \\\"\\\"") && !b.contains("\\n\\n\\n"),
        "no empty note lines are sent: {b}"
    );
    assert!(
        b.contains("64 partitions"),
        "the candidate's words are in the notes: {b}"
    );
    let last = p.sink.turns.last().expect("a turn");
    assert!(
        last.starts_with("Looking at Kafka"),
        "the model's question is said: {last}"
    );
    assert!(p.sink.notices.is_empty(), "{:?}", p.sink.notices);
    let offered = p.journal.iter().find_map(|r| match r {
        Record::Interviewer {
            offered: Some(o), ..
        } => Some(o.clone()),
        _ => None,
    });
    assert_eq!(
        offered.as_deref(),
        Some("64 partitions"),
        "the journal keeps the figure the notes offered"
    );
}

#[tokio::test]
async fn turns_that_ask_nothing_the_code_chose_never_wait_for_the_model() {
    let p = play(listens, &[CLARIFY]).await;
    assert!(request_bodies(&p.server).await.is_empty());
    let said = p.sink.turns.join("\n");
    assert!(
        said.contains("Peak is about 200K events/sec"),
        "facts are said verbatim: {said}"
    );
}

/// A model that first answers its own question, then asks when told why
/// that reply was not used.
fn answers_itself_first(n: &Notes) -> String {
    if n.retry.is_empty() {
        "Kafka with 64 partitions is plenty here, so consumer lag stays low.".into()
    } else {
        listens(n)
    }
}

#[tokio::test]
async fn a_rejected_guided_reply_is_asked_for_once_more_with_the_reason() {
    let p = play(answers_itself_first, &[CLARIFY, DIAGRAM]).await;
    let bodies = request_bodies(&p.server).await;
    assert_eq!(bodies.len(), 2, "one request, then one retry");
    let first: serde_json::Value = serde_json::from_str(&bodies[0]).expect("json");
    let again: serde_json::Value = serde_json::from_str(&bodies[1]).expect("json");
    let (m1, m2) = (
        first["messages"].as_array().expect("messages"),
        again["messages"].as_array().expect("messages"),
    );
    assert_eq!(m2.len(), m1.len() + 2, "{m2:?}");
    assert_eq!(
        &m2[..m1.len()],
        &m1[..],
        "the retry extends the same request"
    );
    assert_eq!(m2[m1.len()]["role"], "assistant");
    assert!(m2[m1.len()]["content"]
        .as_str()
        .is_some_and(|t| t.starts_with("Kafka with 64 partitions is plenty")));
    let note = m2[m1.len() + 1]["content"].as_str().unwrap_or("");
    assert!(
        note.contains("did not ask the question") && note.contains("Name Kafka"),
        "the note says why and what to ask: {note}"
    );
    let last = p.sink.turns.last().expect("turn");
    assert!(last.starts_with("Looking at Kafka"), "{last}");
    assert!(
        !last.contains("plenty"),
        "the rejected reply is never shown: {last}"
    );
    assert!(p.sink.notices.is_empty(), "{:?}", p.sink.notices);
    let rec = p
        .journal
        .iter()
        .rev()
        .find_map(|r| match r {
            Record::Interviewer {
                retry,
                rejected,
                fallback,
                by_model,
                ..
            } => Some((retry.clone(), rejected.clone(), fallback.clone(), *by_model)),
            _ => None,
        })
        .expect("an interviewer record");
    assert!(
        rec.0.is_some_and(|r| r.contains("did not ask")),
        "retry reason"
    );
    assert!(
        rec.1.is_some_and(|r| r.contains("plenty")),
        "first reply kept"
    );
    assert_eq!(rec.2, None, "the retry's reply was used");
    assert!(rec.3, "by the model");
}

#[tokio::test]
async fn a_reply_rejected_twice_falls_back_after_one_retry() {
    let p = play(off_target, &[CLARIFY, DIAGRAM]).await;
    assert_eq!(
        request_bodies(&p.server).await.len(),
        2,
        "never more than one retry a turn"
    );
}

fn off_target(_: &Notes) -> String {
    "How do you handle GDPR deletes in the data warehouse?".into()
}

#[tokio::test]
async fn a_reply_off_the_moves_target_falls_back_to_the_template() {
    let p = play(off_target, &[CLARIFY, DIAGRAM]).await;
    let last = p.sink.turns.last().expect("turn");
    assert!(!last.contains("GDPR"), "{last}");
    assert!(
        last.contains("64"),
        "the template asks about their numbers: {last}"
    );
    assert!(
        p.sink
            .notices
            .iter()
            .any(|n| n.contains("left the question's target")),
        "{:?}",
        p.sink.notices
    );
    let rejected = p.journal.iter().find_map(|r| match r {
        Record::Interviewer {
            rejected: Some(t), ..
        } => Some(t.clone()),
        _ => None,
    });
    assert_eq!(
        rejected.as_deref(),
        Some("How do you handle GDPR deletes in the data warehouse?"),
        "the journal keeps what the model tried to say"
    );
}

#[tokio::test]
async fn a_reply_that_only_copies_the_template_is_kept_and_counted() {
    let p = play(copies_template, &[CLARIFY, DIAGRAM]).await;
    let copied = p
        .journal
        .iter()
        .any(|r| matches!(r, Record::Interviewer { copied: true, .. }));
    assert!(copied, "{:?}", p.journal);
}

/// Copies the offline line for the partition check (what the template says).
fn copies_template(_: &Notes) -> String {
    "200 MB/s into 64 partitions is about 3.1 MB/s per partition. How did you arrive at 64, and what's your headroom when one user_id gets hot?".into()
}

fn picks_alternative(_: &Notes) -> String {
    "Why Kafka rather than Kinesis for this, on AWS?".into()
}

#[tokio::test]
async fn a_reply_that_takes_up_an_offered_alternative_changes_the_question_on_the_table() {
    let p = play(picks_alternative, &[CLARIFY, DIAGRAM]).await;
    let asked = p.journal.iter().find_map(|r| match r {
        Record::Interviewer { asked: Some(a), .. } => Some(a.clone()),
        _ => None,
    });
    assert!(
        asked
            .as_deref()
            .is_some_and(|a| a.starts_with("challenge_why|")),
        "the journal records the alternative asked: {asked:?}"
    );
}

#[tokio::test]
async fn guided_requests_keep_their_prefix_byte_for_byte() {
    let p = play(
        listens,
        &[
            CLARIFY,
            DIAGRAM,
            "64 partitions gives each about 3 MB/s, so a consumer per partition keeps up with 3x headroom.",
            "Kafka because we need replay from offsets; Kinesis would need 200 shards at 1 MB/s each.",
        ],
    )
    .await;
    let bodies = request_bodies(&p.server).await;
    assert!(bodies.len() >= 2, "{}", bodies.len());
    for pair in bodies.windows(2) {
        let va: serde_json::Value = serde_json::from_str(&pair[0]).expect("json");
        let msgs = va["messages"].as_array().expect("messages");
        let last = serde_json::to_string(msgs.last().expect("last")).expect("ser");
        let end = pair[0].find(&last).expect("last message") + last.len();
        let common = pair[0]
            .bytes()
            .zip(pair[1].bytes())
            .take_while(|(x, y)| x == y)
            .count();
        assert!(common >= end, "prefix broke at {common} of {end}");
    }
}

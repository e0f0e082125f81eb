//! The model server goes away in the middle of a scripted round (the real
//! binary against a raw loopback server that starts resetting every
//! connection after a few requests, for longer than the retry budget).
//!
//! By design the round does not stop: the code drives the round and a model
//! only words the interviewer's turns, so the interviewer carries on with
//! its template questions. What this proves is that it says so once and
//! clearly (naming the backend, the error and what happens next), stops
//! paying the retry budget on every turn, records why each turn was said
//! without the model, loses or duplicates no answer, and goes back to the
//! model when the server returns.

mod robust_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use mockround::transcript::{read_journal, JournalRead, Record};
use robust_support::{candidates, read_request, Home, Run};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

/// The shared scripted candidate, with two more turns so the server's
/// return is seen before the round ends.
fn answers() -> Vec<&'static str> {
    let mut v = robust_support::ROUND_ANSWERS.to_vec();
    v.extend([
        "We alert on consumer lag and on the dead-letter prefix growing.",
        "Backfills replay from S3 through the same dedupe, so they are idempotent too.",
    ]);
    v
}

/// What the model says, one per reply in order: all different, so the
/// interviewer's checks (no repeats, a question where one is due) pass them.
const MODEL_SAYS: &[&str] = &[
    "Good. Who reads this data first, and what do they do with it?",
    "Understood. Which component would you put at the very front of the pipeline?",
    "Makes sense. How are those records keyed as they move between stages?",
    "Alright. What guarantees does each hop give you about ordering?",
    "Okay. Where does state live while a record is being processed?",
    "I see. What happens to a record that arrives much later than expected?",
    "Fair enough. How would an operator notice that something had gone wrong?",
    "Got it. How does the system recover once the faulty piece comes back?",
    "Right. Could any step write the same record twice, and would that matter?",
    "Thanks. What would you change first if traffic grew tenfold overnight?",
    "Interesting. Which part of this design worries you most, and why?",
    "Good point. How would you test this before it reaches production?",
];

fn is_model_words(text: &str) -> bool {
    MODEL_SAYS.contains(&text)
}

/// Attempts per request in the config below (the retry budget).
const ATTEMPTS: usize = 3;

/// Connections numbered from 0; `down(i)` says whether connection `i` is
/// reset instead of answered.
struct Server {
    port: u16,
    connections: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(down: fn(usize) -> bool) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let connections = Arc::new(AtomicUsize::new(0));
    let count = connections.clone();
    let task = tokio::spawn(async move {
        let mut answered = 0;
        while let Ok((s, _)) = listener.accept().await {
            let i = count.fetch_add(1, Ordering::SeqCst);
            if down(i) {
                // A reset, as from a server that crashed or a proxy whose
                // upstream is gone.
                let _ = s.set_zero_linger();
                drop(s);
            } else {
                tokio::spawn(answer(s, MODEL_SAYS[answered % MODEL_SAYS.len()]));
                answered += 1;
            }
        }
    });
    Server {
        port,
        connections,
        task,
    }
}

async fn answer(mut s: TcpStream, says: &'static str) {
    let Some(req) = read_request(&mut s).await else {
        return;
    };
    let out = if req.contains("\"stream\":true") {
        let mut body: String = says
            .split_inclusive(' ')
            .map(|w| {
                format!(
                    "data: {}\n\n",
                    serde_json::json!({"choices":[{"index":0,"delta":{"content":w}}]})
                )
            })
            .collect();
        body.push_str("data: [DONE]\n\n");
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n{body}"
        )
    } else {
        let body = serde_json::json!({"choices":[{"index":0,"message":{"role":"assistant","content":"You did well on failure modes."}}]}).to_string();
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    let _ = s.write_all(out.as_bytes()).await;
    let _ = s.flush().await;
}

fn config(home: &Home, port: u16) -> String {
    let cfg = home.path().join("config.toml");
    std::fs::write(
        &cfg,
        format!(
            "default = \"m\"\n[backends.m]\nkind = \"openai\"\nbase_url = \"http://127.0.0.1:{port}/v1\"\nmodel = \"m\"\ninterviewer = \"phrase\"\n\
             [backends.m.timeouts]\nconnect_secs = 2\nrequest_secs = 10\nidle_secs = 5\n\
             [backends.m.retry]\nmax_attempts = {ATTEMPTS}\nbase_delay_ms = 10\nmax_delay_secs = 0.1\n"
        ),
    )
    .expect("config");
    cfg.to_string_lossy().into_owned()
}

/// Runs the scripted round against `port`; returns the home, the run and
/// the journal.
async fn round(port: u16) -> (Home, Run, JournalRead) {
    let home = Home::new();
    let cfg = config(&home, port);
    let (home, run) = robust_support::scripted_round(home, cfg, &answers()).await;
    run.assert_no_panic("round with the backend going down");
    let journal = robust_support::journal_of(&home);
    let read = read_journal(&journal).expect("journal readable");
    (home, run, read)
}

/// The interviewer's turns after the opening, with why each was not the
/// model's words (`None` when it was).
fn replies(read: &JournalRead) -> Vec<(String, Option<String>)> {
    read.records
        .iter()
        .filter_map(|r| match r {
            Record::Interviewer { text, fallback, .. } => Some((text.clone(), fallback.clone())),
            _ => None,
        })
        .skip(1)
        .collect()
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backend_down_for_good_mid_round_finishes_on_templates_with_one_clear_warning() {
    // Two replies, then every connection is reset until the end of the test.
    let server = serve(|i| i >= 2).await;
    let (_home, run, read) = round(server.port).await;
    let stderr = &run.stderr;

    assert_eq!(run.code, Some(0), "the round finishes\n{}", run.all());
    assert_eq!(
        count(stderr, "is unreachable"),
        1,
        "one warning, not one per turn\n{stderr}"
    );
    let warning = stderr
        .lines()
        .find(|l| l.contains("is unreachable"))
        .unwrap_or_default();
    assert!(
        warning.starts_with("warning: the openai backend (model `m`) is unreachable")
            && warning.contains(&format!("127.0.0.1:{}", server.port))
            && warning.contains("gave up after 3 attempts"),
        "the warning names the backend, its address and the failure: {warning}"
    );
    assert!(
        stderr.contains("The round goes on: the interviewer uses its own template questions")
            && stderr.contains("tried again in a few turns"),
        "the warning says what happens next\n{stderr}"
    );
    assert_eq!(
        count(stderr, "model reply not used"),
        0,
        "no per-turn noise while the model is down\n{stderr}"
    );

    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    assert_eq!(candidates(&read), answers(), "answers lost or duplicated");
    assert!(read.end().is_some(), "the round did not finish");

    let replies = replies(&read);
    let model = replies
        .iter()
        .filter(|(t, f)| f.is_none() && is_model_words(t));
    assert_eq!(
        model.count(),
        2,
        "the two turns before the outage: {replies:?}"
    );
    let asked_and_failed = replies
        .iter()
        .filter(|(_, f)| {
            f.as_deref()
                .is_some_and(|f| f.starts_with("gave up after 3 attempts"))
        })
        .count();
    let not_asked = replies
        .iter()
        .filter(|(_, f)| {
            f.as_deref()
                .is_some_and(|f| f.starts_with("not asked: the model was unreachable"))
        })
        .count();
    assert!(asked_and_failed >= 1 && not_asked >= 3, "{replies:?}");
    assert_eq!(
        2 + asked_and_failed + not_asked,
        replies.len(),
        "every turn is the model's or says why not: {replies:?}"
    );
    // The retry budget is paid only on the turns that asked; the debrief's
    // closing words do not ask at all.
    assert_eq!(
        server.connections.load(Ordering::SeqCst),
        2 + ATTEMPTS * asked_and_failed,
        "connections: {replies:?}"
    );
    assert!(
        not_asked > asked_and_failed,
        "most turns did not wait for the down server: {replies:?}"
    );
    eprintln!(
        "backend down: {} turns, {asked_and_failed} asked and failed, {not_asked} not asked, {} connections",
        replies.len(),
        server.connections.load(Ordering::SeqCst)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backend_back_after_an_outage_is_used_again_and_said_so() {
    // Two replies, then one request's whole retry budget is reset, then the
    // server is back.
    let server = serve(|i| (2..2 + ATTEMPTS).contains(&i)).await;
    let (_home, run, read) = round(server.port).await;
    let stderr = &run.stderr;
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert_eq!(count(stderr, "is unreachable"), 1, "{stderr}");
    assert_eq!(
        count(stderr, "answers again"),
        1,
        "the return is said once\n{stderr}"
    );
    assert_eq!(candidates(&read), answers(), "answers lost or duplicated");
    assert!(read.end().is_some());
    let replies = replies(&read);
    let failed = replies
        .iter()
        .position(|(_, f)| f.as_deref().is_some_and(|f| f.starts_with("gave up")))
        .expect("one turn failed");
    assert_eq!(failed, 2, "{replies:?}");
    let skipped = &replies[failed + 1..failed + 4];
    assert!(
        skipped
            .iter()
            .all(|(_, f)| f.as_deref().is_some_and(|f| f.starts_with("not asked"))),
        "three turns without the model: {replies:?}"
    );
    assert!(
        replies[failed + 4..]
            .iter()
            .all(|(t, f)| f.is_none() && is_model_words(t)),
        "back on the model after the retry: {replies:?}"
    );
}

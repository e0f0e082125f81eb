//! The clock speaks: with a simulated clock and a console fed from a
//! channel, the REPL ends a phase the moment its budget runs out, with no
//! input, printing the next phase's header before the interviewer's words;
//! a half-typed answer is warned and kept, and moves on when submitted; the
//! time-up is journaled, so a resumed round is the round that was played.
//! Phase headers also come first in a scripted (piped) round.

use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mockround::backend::offline::OfflineBackend;
use mockround::interview::clock::{Clock, ManualClock, Pace};
use mockround::interview::round::{Round, RoundSetup, Screen};
use mockround::interview::session::Input;
use mockround::interview::templates::Templates;
use mockround::repl::keys::{Key, KeyDecoder};
use mockround::repl::{run_console, Console, Sink, TermScreen};
use mockround::rubric::{Phase, Rubric};
use mockround::score::Scorer;
use mockround::transcript::{read_journal, Record};
use tokio::sync::{mpsc, watch};

fn setup(data: &Path, clock: &ManualClock) -> RoundSetup {
    let rubric = Rubric::builtin().expect("rubric");
    RoundSetup {
        data_dir: data.to_path_buf(),
        backend: Arc::new(OfflineBackend::new()),
        templates: Arc::new(Templates::builtin()),
        scorer: Scorer::new(&rubric).into(),
        clock: Arc::new(clock.clone()),
        window: 8192,
        temperature: None,
        interviewer: mockround::interview::phrasing::InterviewerMode::Guided,
    }
}

fn start(data: &Path, clock: &ManualClock) -> Round {
    let rubric = Rubric::builtin().expect("rubric");
    let problem = rubric.problem("clickstream").expect("problem").clone();
    Round::start(setup(data, clock), problem, Pace::Fast, 5).expect("start")
}

struct Quiet;
impl Screen for Quiet {
    fn interviewer_begin(&mut self, _p: Phase) {}
    fn delta(&mut self, _t: &str) {}
    fn interviewer_end(&mut self) {}
    fn notice(&mut self, _t: &str) {}
}

/// Drives a console: types keys, reads the screen, moves the clock.
struct Driver {
    tx: mpsc::UnboundedSender<Vec<Key>>,
    _interrupts: watch::Sender<u64>,
    decoder: KeyDecoder,
    screen: Arc<Mutex<Vec<u8>>>,
}

impl Driver {
    fn new() -> (Driver, Console, TermScreen) {
        let (tx, rx) = mpsc::unbounded_channel();
        let (itx, irx) = watch::channel(0);
        let buf = Arc::new(Mutex::new(Vec::new()));
        let sink = Sink::Shared(buf.clone());
        let screen = TermScreen::with_sinks(false, true, sink.clone(), sink);
        (
            Driver {
                tx,
                _interrupts: itx,
                decoder: KeyDecoder::new(),
                screen: buf,
            },
            Console::from_channel(rx, irx, 80),
            screen,
        )
    }
    fn typed(&mut self, bytes: &[u8]) {
        let mut keys = Vec::new();
        self.decoder.feed(bytes, &mut keys);
        self.tx.send(keys).expect("console listening");
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.screen.lock().expect("screen")).to_string()
    }
    /// Waits (real time, bounded) until the screen shows `needle` `n` times.
    async fn wait_for(&self, needle: &str, n: usize) -> String {
        let started = Instant::now();
        loop {
            let t = self.text();
            if t.matches(needle).count() >= n {
                return t;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "waited for {needle:?} x{n}; screen:\n{t}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

fn records(round_journal: &Path) -> Vec<Record> {
    read_journal(round_journal).expect("journal").records
}

#[tokio::test]
async fn the_repl_ends_a_phase_on_time_with_no_input_and_headers_come_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = ManualClock::new();
    let mut round = start(dir.path(), &clock);
    let journal = round.journal_path().to_path_buf();
    let (mut d, console, mut screen) = Driver::new();
    let data = dir.path().to_path_buf();
    let drive = async {
        d.wait_for("you> ", 1).await;
        // Nobody types; the fast clarify budget (1:00) runs out.
        clock.advance_ms(61_000);
        let shown = d.wait_for("── Phase 2/4", 1).await;
        let header = shown.find("── Phase 2/4").expect("header");
        let time_up = shown
            .find("time for clarify requirements")
            .expect("time-up line");
        assert!(header < time_up, "header after the words:\n{shown}");
        // The prompt comes back in the new phase with its full budget.
        d.wait_for("[architecture 3:00 | round 8:59] you> ", 1)
            .await;
        d.typed(b"/quit\r");
        d.wait_for("Show the debrief now?", 1).await;
        d.typed(b"n\r");
    };
    let (ended, ()) = tokio::join!(
        run_console(&mut round, &data, &mut screen, console, false),
        drive
    );
    assert!(ended.expect("round").is_none(), "debrief declined");
    let recs = records(&journal);
    assert!(
        recs.iter().any(|r| matches!(
            r,
            Record::TimeUp {
                at_ms: 61_000,
                phase: Phase::Clarify
            }
        )),
        "{recs:?}"
    );
    let typed: Vec<&str> = recs
        .iter()
        .filter_map(|r| match r {
            Record::Candidate { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(typed, ["/quit"], "only what the candidate typed");
}

#[tokio::test]
async fn a_half_typed_answer_at_the_buzzer_is_kept_and_moves_on_when_submitted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = ManualClock::new();
    let mut round = start(dir.path(), &clock);
    let journal = round.journal_path().to_path_buf();
    let (mut d, console, mut screen) = Driver::new();
    let data = dir.path().to_path_buf();
    let drive = async {
        d.wait_for("you> ", 1).await;
        d.typed(b"What is the peak scale");
        d.wait_for("you> What is the peak scale", 1).await;
        clock.advance_ms(61_000);
        d.wait_for("time is up for this phase", 1).await;
        // Warned, not moved: the answer is still being typed.
        assert!(!d.text().contains("Phase 2/4"), "{}", d.text());
        d.typed(b"?\r\r");
        let shown = d.wait_for("── Phase 2/4", 1).await;
        // The question asked at the buzzer is still answered, then the move on.
        assert!(shown.contains("200K events/sec"), "{shown}");
        d.wait_for("[architecture ", 1).await;
        d.typed(b"/quit\r");
        d.wait_for("Show the debrief now?", 1).await;
        d.typed(b"n\r");
    };
    let (ended, ()) = tokio::join!(
        run_console(&mut round, &data, &mut screen, console, false),
        drive
    );
    ended.expect("round");
    let recs = records(&journal);
    assert!(
        recs.iter().any(|r| matches!(
            r,
            Record::Candidate { text, phase: Phase::Clarify, .. } if text == "What is the peak scale?"
        )),
        "{recs:?}"
    );
    assert!(
        !recs.iter().any(|r| matches!(r, Record::TimeUp { .. })),
        "{recs:?}"
    );
}

#[tokio::test]
async fn a_time_up_is_journaled_and_a_resumed_round_replays_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = ManualClock::new();
    let mut round = start(dir.path(), &clock);
    let mut quiet = Quiet;
    round
        .open(&mut quiet, std::future::pending())
        .await
        .expect("open");
    clock.advance_ms(20_000);
    round
        .input(
            Input::Answer("What is the peak scale?".into()),
            &mut quiet,
            std::future::pending(),
        )
        .await
        .expect("answer");
    // Before the budget: nothing happens, nothing is journaled.
    clock.set_ms(59_000);
    assert!(round
        .tick(&mut quiet, std::future::pending())
        .await
        .expect("tick")
        .is_none());
    clock.set_ms(60_500);
    let turn = round
        .tick(&mut quiet, std::future::pending())
        .await
        .expect("tick")
        .expect("time is up");
    assert!(turn.has("time_up"));
    assert_eq!(round.session().phase(), Phase::Architecture);
    clock.set_ms(100_000);
    round
        .input(
            Input::Answer("Kafka -> Flink : avro, 200K/s".into()),
            &mut quiet,
            std::future::pending(),
        )
        .await
        .expect("answer");
    let before = round.session().phase_times(clock.now_ms());
    let path = round.journal_path().to_path_buf();
    drop(round);

    let resume_clock = ManualClock::new();
    let (resumed, warnings) = Round::resume(
        |used| {
            resume_clock.set_ms(used);
            setup(dir.path(), &resume_clock)
        },
        &path,
        |pid| Rubric::builtin().ok()?.problem(pid).cloned(),
    )
    .expect("resume");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(resumed.session().phase(), Phase::Architecture);
    assert_eq!(resumed.session().phase_times(100_000), before);
}

#[test]
fn phase_headers_come_before_the_first_question_of_their_phase() {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = format!(
        "{}/tests/fixtures/scripts/clickstream_strong.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = Command::new(env!("CARGO_BIN_EXE_mockround"))
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "--json",
            "practice",
            "--problem",
            "clickstream",
            "--seed",
            "1",
            "--answers",
            &script,
        ])
        .env("NO_COLOR", "1")
        .env_remove("MOCKROUND_CONFIG")
        .env_remove("MOCKROUND_BACKEND")
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .output()
        .expect("run mockround");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json_line = stdout.lines().last().expect("debrief json");
    let debrief: serde_json::Value = serde_json::from_str(json_line).expect("json");
    let first_failure = debrief["failures"][0]["question"]
        .as_str()
        .expect("a failure was probed");
    let header = stdout.find("── Phase 4/4").expect("phase 4 header");
    let question = stdout.find(first_failure).expect("question on screen");
    assert!(
        header < question,
        "the first failure question printed before its header:\n{stdout}"
    );
    // Every header once, in order.
    let at: Vec<usize> = (1..=4)
        .map(|n| {
            let h = format!("── Phase {n}/4");
            assert_eq!(stdout.matches(&h).count(), 1, "{h}");
            stdout.find(&h).unwrap_or(0)
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
}

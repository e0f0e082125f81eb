//! Sessions survive a crash: a round is journaled turn by turn; after the
//! process dies (simulated by dropping the round mid-way and tearing the last
//! journal line, as `kill -9` during a write would), `practice --resume ID`
//! continues with no turn lost, and `sessions` lists and shows it.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use mockround::backend::offline::OfflineBackend;
use mockround::interview::clock::{ManualClock, Pace};
use mockround::interview::round::{Round, RoundSetup, Screen};
use mockround::interview::session::Input;
use mockround::interview::templates::Templates;
use mockround::rubric::{Phase, Rubric};
use mockround::score::Scorer;
use mockround::transcript::{read_journal, Record};

struct Sink(String);
impl Screen for Sink {
    fn interviewer_begin(&mut self, _p: Phase) {}
    fn delta(&mut self, t: &str) {
        self.0.push_str(t);
    }
    fn interviewer_end(&mut self) {
        self.0.push('\n');
    }
    fn notice(&mut self, _t: &str) {}
}

fn run(data: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mockround"));
    cmd.arg("--data-dir")
        .arg(data)
        .args(args)
        .env("NO_COLOR", "1")
        .env("XDG_CONFIG_HOME", data.join("config"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    {
        let mut i = child.stdin.take().expect("stdin");
        i.write_all(stdin.unwrap_or("").as_bytes()).expect("write");
    }
    child.wait_with_output().expect("wait")
}

const FIRST: &[&str] = &[
    "What is the peak scale in events per second?",
    "How fresh must the dashboards be, and who consumes the data?",
    "producer -> Kafka : avro, 200K events/sec\nKafka -> Flink : avro, 200K events/sec\nFlink -> S3 : parquet, 5 TB/day",
];

fn interrupted_round(data: &Path) -> String {
    let rubric = Rubric::builtin().expect("rubric");
    let problem = rubric.problem("clickstream").expect("problem").clone();
    let clock = ManualClock::new();
    let setup = RoundSetup {
        data_dir: data.to_path_buf(),
        backend: Arc::new(OfflineBackend::new()),
        templates: Arc::new(Templates::builtin()),
        scorer: Scorer::new(&rubric).into(),
        clock: Arc::new(clock.clone()),
        window: 8192,
        temperature: None,
        interviewer: mockround::interview::phrasing::InterviewerMode::Guided,
    };
    let mut round = Round::start(setup, problem, Pace::Real, 3).expect("start");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut sink = Sink(String::new());
    rt.block_on(async {
        round
            .open(&mut sink, std::future::pending())
            .await
            .expect("open");
        for a in FIRST {
            clock.advance_ms(40_000);
            round
                .input(
                    Input::Answer((*a).to_string()),
                    &mut sink,
                    std::future::pending(),
                )
                .await
                .expect("input");
        }
    });
    let id = round.id.clone();
    let path = round.journal_path().to_path_buf();
    drop(round); // the process "dies": no debrief, no end record
                 // kill -9 in the middle of writing the next line.
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .expect("open journal");
    f.write_all(br#"{"type":"candidate","at_ms":160000,"phase":"architecture","text":"Spark th"#)
        .expect("tear");
    id
}

#[test]
fn resumes_after_a_torn_journal_without_losing_turns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let id = interrupted_round(dir.path());

    // Listed as unfinished.
    let list = run(dir.path(), &["sessions"], None);
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(text.contains(&id) && text.contains("unfinished"), "{text}");

    let rest =
        "Kafka has 100 partitions keyed by user_id, Flink checkpoints every minute.\n---\n/quit\n";
    let out = run(
        dir.path(),
        &["practice", "--resume", &id[..20], "--answers", "-"],
        Some(rest),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("torn last line"), "{stderr}");
    assert!(
        stderr.contains(&format!("Resuming session {id}")),
        "{stderr}"
    );

    let journal = dir.path().join("sessions").join(format!("{id}.jsonl"));
    let read = read_journal(&journal).expect("journal");
    assert!(
        read.warnings.is_empty(),
        "torn tail was cut: {:?}",
        read.warnings
    );
    let said: Vec<String> = read
        .records
        .iter()
        .filter_map(|r| match r {
            Record::Candidate { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect();
    let mut expected: Vec<String> = FIRST.iter().map(|s| s.to_string()).collect();
    expected
        .push("Kafka has 100 partitions keyed by user_id, Flink checkpoints every minute.".into());
    expected.push("/quit".into());
    assert_eq!(said, expected);
    // Time keeps running from where it stopped, not from zero.
    let last_candidate_ms = read.records.iter().rev().find_map(|r| match r {
        Record::Candidate { at_ms, .. } => Some(*at_ms),
        _ => None,
    });
    assert!(last_candidate_ms.expect("candidate") >= 120_000);
    assert!(read.end().is_some());

    // The resumed phase is the one the round was in (architecture).
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("# Debrief"), "{stdout}");

    // `sessions show` prints the whole transcript and the debrief.
    let show = run(dir.path(), &["sessions", "show", &id], None);
    let text = String::from_utf8_lossy(&show.stdout);
    assert!(text.contains("What is the peak scale in events per second?"));
    assert!(text.contains("Kafka has 100 partitions keyed by user_id"));
    assert!(text.contains("# Debrief"));

    // `sessions --json` is machine-readable and shows it finished.
    let json = run(dir.path(), &["--json", "sessions"], None);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(v[0]["id"], id.as_str());
    assert_eq!(v[0]["finished"], true);

    // A finished round cannot be resumed again.
    let again = run(
        dir.path(),
        &["practice", "--resume", &id, "--answers", "-"],
        Some(""),
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already finished"));
}

#[test]
fn unknown_session_id_says_how_to_list_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(dir.path(), &["sessions", "show", "nope"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("mockround sessions"));
}

#[test]
fn sessions_is_an_aligned_table_at_any_problem_id_length_and_json_is_unchanged() {
    use chrono::{DateTime, Utc};
    use mockround::rubric::Level;
    use mockround::transcript::{journal_path, Journal, JOURNAL_VERSION};

    let dir = tempfile::tempdir().expect("tempdir");
    let at = |s: i64| DateTime::<Utc>::from_timestamp(1_780_000_000 + s, 0).unwrap_or_default();
    for (i, (id, problem, done)) in [
        ("20260528-101010-clickstream-00a1", "clickstream", true),
        (
            "20260528-111111-payments-reconciliation-b2c3",
            "payments-reconciliation",
            false,
        ),
        ("20260528-121212-cdc-0004", "cdc", true),
    ]
    .into_iter()
    .enumerate()
    {
        let start = Record::Start {
            id: id.into(),
            problem: problem.into(),
            pace: Pace::Fast,
            seed: 1,
            started_at: at(i as i64 * 3600),
            backend: "offline".into(),
            model: "offline".into(),
            version: JOURNAL_VERSION,
            focus: None,
        };
        let mut j = Journal::create(&journal_path(dir.path(), id), &start).expect("journal");
        j.append(&Record::Candidate {
            at_ms: 1,
            phase: Phase::Clarify,
            text: "What is the scale?".into(),
        })
        .expect("append");
        if done {
            j.append(&Record::End {
                at_ms: 2,
                ended_at: at(i as i64 * 3600 + 60),
                level: Level::L5,
                overall: 7,
            })
            .expect("end");
        }
    }
    let out = run(dir.path(), &["sessions"], None);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    let header = lines[0];
    let problem_at = header.find("PROBLEM").expect("PROBLEM");
    let started_at = header.find("STARTED").expect("STARTED");
    let score_end = header.find("SCORE").expect("SCORE") + "SCORE".len();
    for row in &lines[1..] {
        let problem = row[problem_at..].split_whitespace().next().unwrap_or("");
        assert!(
            ["clickstream", "payments-reconciliation", "cdc"].contains(&problem),
            "PROBLEM column out of line:\n{text}"
        );
        assert!(
            row[started_at..].starts_with("2026-"),
            "STARTED column out of line:\n{text}"
        );
        let score = row[..score_end].trim_end();
        assert_eq!(score.len(), score_end, "SCORE column out of line:\n{text}");
    }
    assert!(text.contains(
        "(unfinished: mockround practice --resume 20260528-111111-payments-reconciliation-b2c3)"
    ));
    // --json keeps its shape.
    let out = run(dir.path(), &["--json", "sessions"], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let rows = v.as_array().expect("array");
    assert_eq!(rows.len(), 3);
    let mut keys: Vec<&str> = rows[0]
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "finished",
            "id",
            "level",
            "overall",
            "pace",
            "problem",
            "started_at",
            "turns"
        ]
    );
}

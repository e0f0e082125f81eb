//! `kill -9` of the real binary at random points of a scripted round (fixed
//! seed, 24 kill points), then `--resume`: no journaled turn is lost or
//! duplicated, the journal always stays readable (a torn last line is
//! skipped with a warning, never fatal), and the finished round holds every
//! scripted answer exactly once, in order.

mod robust_support;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use mockround::transcript::{read_journal, Record};
use rand::{Rng, SeedableRng};
use robust_support::Home;

const KILL_POINTS: usize = 24;
const LIMIT: Duration = Duration::from_secs(30);

const ANSWERS: &[&str] = &[
    "What is the peak scale in events per second?",
    "How fresh must the dashboards be, and who consumes the data?",
    "Is there a budget or a retention requirement, and are duplicates possible?",
    "producer -> Kafka : avro, 200K events/sec\nKafka -> Flink : avro, 200K events/sec\nFlink -> S3 : parquet, 5 TB/day",
    "Kafka has 100 partitions keyed by user_id; Flink checkpoints every minute with EXACTLY_ONCE.",
    "Flink dedupes by event_id with a 24-hour state TTL, then writes 5-minute Parquet files to S3.",
    "If a TaskManager dies, Flink restores from the last checkpoint and replays from the committed offsets: no loss.",
    "Producer retries create duplicates; the event_id dedupe and an idempotent MERGE on the sink absorb them.",
    "Events later than 24 hours land in a dead-letter S3 prefix and a daily job reprocesses them.",
    "Who gets paged: the on-call data engineer, with a runbook per failure and an RTO of 30 minutes.",
];

fn script(answers: &[&str]) -> String {
    answers.join("\n---\n") + "\n"
}

fn journal_in(data: &Path) -> Option<PathBuf> {
    let dir = data.join("sessions");
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "jsonl"))
}

fn candidates(records: &[Record]) -> Vec<String> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Candidate { text, .. } if text != "/quit" => Some(text.clone()),
            _ => None,
        })
        .collect()
}

fn practice_args(answers: &str) -> Vec<&str> {
    vec![
        "--backend",
        "offline",
        "practice",
        "--problem",
        "clickstream",
        "--seed",
        "7",
        "--answers",
        answers,
    ]
}

/// Starts a scripted round and SIGKILLs it once its journal holds
/// `after_lines` lines (or after `delay` when that is 0, to also kill during
/// start-up), so kill points land mid-round whatever the machine's speed.
fn run_and_kill(home: &Home, script_path: &str, after_lines: usize, delay: Duration) -> bool {
    let mut c = home.command(&practice_args(script_path));
    c.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut child = c.spawn().expect("spawn");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("poll").is_some() {
            return false; // finished before the kill point
        }
        let lines = journal_in(&home.data())
            .and_then(|p| std::fs::read(p).ok())
            .map(|b| b.iter().filter(|&&c| c == b'\n').count())
            .unwrap_or(0);
        if (after_lines > 0 && lines >= after_lines)
            || (after_lines == 0 && started.elapsed() >= delay)
        {
            child.kill().expect("kill -9");
            child.wait().expect("reap");
            return true;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

#[test]
fn kill_9_at_24_random_points_then_resume_loses_and_duplicates_nothing() {
    // How long an uninterrupted round takes here, to spread the kill points.
    let probe = Home::new();
    let probe_script = probe.path().join("answers.txt");
    std::fs::write(&probe_script, script(ANSWERS)).expect("write script");
    let ps = probe_script.to_string_lossy().into_owned();
    let t = Instant::now();
    let full = probe.run(&practice_args(&ps), &[], None, LIMIT);
    full.assert_no_panic("uninterrupted round");
    assert_eq!(full.code, Some(0), "{}", full.all());
    let span = t.elapsed().as_micros().max(20_000) as u64;
    let reference = read_journal(&journal_in(&probe.data()).expect("journal")).expect("read");
    assert_eq!(candidates(&reference.records), ANSWERS);

    let mut rng = rand::rngs::StdRng::seed_from_u64(0xC0FFEE);
    let (mut killed, mut torn_seen, mut resumed, mut before_journal) = (0, 0, 0, 0);
    let mut with_journal = 0;
    for point in 0..KILL_POINTS {
        let home = Home::new();
        let script_path = home.path().join("answers.txt");
        std::fs::write(&script_path, script(ANSWERS)).expect("write script");
        let sp = script_path.to_string_lossy().into_owned();
        let after_lines = rng.random_range(0..reference.records.len() - 2);
        let delay = Duration::from_micros(rng.random_range(0..span));
        if run_and_kill(&home, &sp, after_lines, delay) {
            killed += 1;
        }
        let Some(journal) = journal_in(&home.data()) else {
            before_journal += 1;
            continue; // killed before the journal existed: nothing was acknowledged
        };
        // Every other kill also tears the last line, as a kill mid-write does.
        with_journal += 1;
        if with_journal % 2 == 1 {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(&journal)
                .expect("open");
            f.write_all(br#"{"type":"candidate","at_ms":1,"phase":"clarify","text":"half a"#)
                .expect("tear");
        }
        let before = match read_journal(&journal) {
            Ok(r) => r,
            // Killed between creating the file and the start record landing.
            Err(_)
                if std::fs::metadata(&journal)
                    .map(|m| m.len() < 400)
                    .unwrap_or(true) =>
            {
                before_journal += 1;
                continue;
            }
            Err(e) => panic!("point {point}: journal unreadable after kill: {e}"),
        };
        if !before.warnings.is_empty() {
            torn_seen += 1;
            assert!(before
                .warnings
                .iter()
                .all(|w| w.contains("torn") || w.contains("skipped")));
        }
        let done = candidates(&before.records);
        assert!(
            ANSWERS.starts_with(&done.iter().map(String::as_str).collect::<Vec<_>>()),
            "point {point}: journaled answers are not a prefix of the script: {done:?}"
        );
        let id = journal
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .expect("session id");
        if before.end().is_some() {
            continue; // the round finished before the kill landed
        }
        let rest_path = home.path().join("rest.txt");
        std::fs::write(&rest_path, script(&ANSWERS[done.len()..])).expect("write rest");
        let rp = rest_path.to_string_lossy().into_owned();
        let run = home.run(
            &[
                "--backend",
                "offline",
                "practice",
                "--resume",
                &id,
                "--answers",
                &rp,
            ],
            &[],
            None,
            LIMIT,
        );
        run.assert_no_panic(&format!("resume at point {point}"));
        assert_eq!(
            run.code,
            Some(0),
            "point {point}: resume failed\n{}",
            run.all()
        );
        if !before.warnings.is_empty() {
            assert!(
                run.stderr.contains("warning:"),
                "point {point}: torn line not reported\n{}",
                run.stderr
            );
        }
        resumed += 1;
        let after = read_journal(&journal).expect("journal readable after resume");
        assert!(
            after.warnings.is_empty(),
            "point {point}: {:?}",
            after.warnings
        );
        assert_eq!(
            &after.records[..before.records.len()],
            &before.records[..],
            "point {point}: resume rewrote journaled turns"
        );
        assert_eq!(
            candidates(&after.records),
            ANSWERS,
            "point {point}: lost or duplicated answers"
        );
        assert!(
            after.end().is_some(),
            "point {point}: resumed round did not finish"
        );
    }
    assert!(
        killed + before_journal >= KILL_POINTS / 2,
        "too few kills landed: {killed}"
    );
    assert!(
        resumed >= KILL_POINTS / 3,
        "only {resumed} of {KILL_POINTS} kill points needed a resume"
    );
    assert!(torn_seen >= 4, "torn lines seen: {torn_seen}");
    eprintln!(
        "kill points: {KILL_POINTS}, killed mid-run: {killed}, before the journal: {before_journal}, resumed: {resumed}, torn lines skipped: {torn_seen}"
    );
}

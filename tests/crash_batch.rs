//! `kill -9` of `mockround grade` at 24 seeded points of a 300-answer batch,
//! with every other kill also tearing the last row, then a rerun with the
//! same `--out`: no complete row is lost or rewritten, the torn row is
//! skipped with a warning, and the finished file holds exactly one row per
//! input, scored as an uninterrupted run scores it.

mod robust_support;

use std::collections::BTreeMap;
use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use robust_support::Home;
use serde_json::{json, Value};

const ANSWERS: usize = 300;
const KILL_POINTS: usize = 24;
const LIMIT: Duration = Duration::from_secs(30);

fn answers() -> String {
    let mut out = String::new();
    for i in 0..ANSWERS {
        let body = "Kafka at 200K events/sec, 100 partitions keyed by user_id. Flink checkpoints with EXACTLY_ONCE and dedupes by event_id. ";
        out.push_str(
            &json!({"id": format!("a{i:03}"), "problem": "clickstream", "answer": format!("Answer {i}. {}", body.repeat(1 + i % 4))})
                .to_string(),
        );
        out.push('\n');
    }
    out
}

fn lines(path: &std::path::Path) -> (Vec<String>, bool) {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let torn = !text.is_empty() && !text.ends_with('\n');
    let mut v: Vec<String> = text.lines().map(str::to_string).collect();
    if torn {
        v.pop();
    }
    (v, torn)
}

fn args<'a>(input: &'a str, out: &'a str) -> Vec<&'a str> {
    vec![
        "--backend",
        "offline",
        "grade",
        input,
        "--out",
        out,
        "--jobs",
        "2",
    ]
}

#[test]
fn kill_9_at_24_points_then_rerun_keeps_exactly_one_row_per_input() {
    let probe = Home::new();
    let input = probe.path().join("answers.jsonl");
    std::fs::write(&input, answers()).expect("answers");
    let out = probe.path().join("results.jsonl");
    let (i, o) = (
        input.to_string_lossy().into_owned(),
        out.to_string_lossy().into_owned(),
    );
    let t = Instant::now();
    let clean = probe.run(&args(&i, &o), &[], None, LIMIT);
    let span = t.elapsed().as_micros().max(20_000) as u64;
    clean.assert_no_panic("clean batch");
    assert_eq!(clean.code, Some(0), "{}", clean.all());
    let reference: BTreeMap<String, Value> = lines(&out)
        .0
        .iter()
        .map(|l| serde_json::from_str::<Value>(l).expect("row"))
        .map(|v| (v["id"].as_str().unwrap_or_default().to_string(), v))
        .collect();
    assert_eq!(reference.len(), ANSWERS);

    let mut rng = rand::rngs::StdRng::seed_from_u64(0xBA7C4);
    let (mut mid_run, mut torn_seen, mut rows_before_total) = (0, 0, 0);
    for point in 0..KILL_POINTS {
        let home = Home::new();
        let input = home.path().join("answers.jsonl");
        std::fs::write(&input, answers()).expect("answers");
        let out = home.path().join("results.jsonl");
        let (i, o) = (
            input.to_string_lossy().into_owned(),
            out.to_string_lossy().into_owned(),
        );
        let mut c = home.command(&args(&i, &o));
        c.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut child = c.spawn().expect("spawn");
        // Kill once the file holds a random number of rows (or after a
        // random delay, for kills during start-up), so the points land
        // mid-run whatever the machine's speed.
        let after_rows = rng.random_range(0..ANSWERS - 20);
        let delay = Duration::from_micros(rng.random_range(span / 8..span * 4));
        let started = Instant::now();
        loop {
            if child.try_wait().expect("poll").is_some() {
                break;
            }
            let rows = std::fs::read(&out)
                .map(|b| b.iter().filter(|&&c| c == b'\n').count())
                .unwrap_or(0);
            if (after_rows > 0 && rows >= after_rows)
                || (after_rows == 0 && started.elapsed() >= delay)
            {
                child.kill().expect("kill -9");
                child.wait().expect("reap");
                mid_run += 1;
                break;
            }
            std::thread::sleep(Duration::from_micros(300));
        }
        if point % 2 == 0 && out.exists() {
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(&out)
                .expect("open");
            f.write_all(br#"{"id":"a999","source":"x","key":"half"#)
                .expect("tear");
        }
        let (before, torn) = lines(&out);
        torn_seen += usize::from(torn);
        rows_before_total += before.len();
        for l in &before {
            serde_json::from_str::<Value>(l)
                .unwrap_or_else(|e| panic!("point {point}: complete row unreadable: {e}: {l}"));
        }

        let run = home.run(&args(&i, &o), &[], None, LIMIT);
        run.assert_no_panic(&format!("rerun at point {point}"));
        assert_eq!(
            run.code,
            Some(0),
            "point {point}: rerun failed\n{}",
            run.all()
        );
        if torn {
            assert!(
                run.stderr.to_lowercase().contains("warning") || run.stderr.contains("torn"),
                "point {point}: torn row not reported\n{}",
                run.stderr
            );
        }
        let (after, torn_after) = lines(&out);
        assert!(!torn_after, "point {point}: rerun left a torn row");
        assert_eq!(
            &after[..before.len()],
            &before[..],
            "point {point}: rerun rewrote finished rows"
        );
        let mut seen = BTreeMap::new();
        for l in &after {
            let v: Value = serde_json::from_str(l).expect("row");
            let id = v["id"].as_str().unwrap_or_default().to_string();
            assert_eq!(
                v["overall"], reference[&id]["overall"],
                "point {point}: {id} scored differently"
            );
            assert!(
                seen.insert(id.clone(), ()).is_none(),
                "point {point}: {id} duplicated"
            );
        }
        assert_eq!(seen.len(), ANSWERS, "point {point}: rows lost");
    }
    assert!(
        mid_run >= KILL_POINTS * 2 / 3,
        "only {mid_run} kills landed mid-run"
    );
    assert!(torn_seen >= KILL_POINTS / 3, "torn rows seen: {torn_seen}");
    eprintln!(
        "batch kill points: {KILL_POINTS}, killed mid-run: {mid_run}, torn rows skipped: {torn_seen}, rows kept across kills: {rows_before_total}"
    );
}

/// Regression: a last row whose JSON was whole but whose newline never made
/// it to disk counted as done, and was then cut off on append: that input
/// was left with no row at all.
#[test]
fn torn_last_row_with_whole_json_is_graded_again_not_lost() {
    let home = Home::new();
    let input = home.path().join("answers.jsonl");
    let text: String = answers()
        .lines()
        .take(3)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&input, text).expect("answers");
    let out = home.path().join("results.jsonl");
    let (i, o) = (
        input.to_string_lossy().into_owned(),
        out.to_string_lossy().into_owned(),
    );
    let first = home.run(&args(&i, &o), &[], None, LIMIT);
    assert_eq!(first.code, Some(0), "{}", first.all());
    let full = std::fs::read_to_string(&out).expect("rows");
    std::fs::write(&out, full.trim_end_matches('\n')).expect("tear the newline");
    let rerun = home.run(&args(&i, &o), &[], None, LIMIT);
    rerun.assert_no_panic("rerun");
    assert_eq!(rerun.code, Some(0), "{}", rerun.all());
    assert!(rerun.stderr.contains("torn last row"), "{}", rerun.stderr);
    let (rows, torn) = lines(&out);
    assert!(!torn);
    let ids: Vec<String> = rows
        .iter()
        .map(|l| {
            serde_json::from_str::<Value>(l).expect("row")["id"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    let mut dedup = ids.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(dedup.len(), 3, "{ids:?}");
}

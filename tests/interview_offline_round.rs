//! A full scripted round on the offline backend, driven through the real
//! binary: the interviewer reads the problem, answers only what was asked,
//! walks all four phases, probes three failure modes, and the debrief cites
//! the candidate's own words and is saved next to the journal.

use std::path::Path;
use std::process::{Command, Output};

fn run(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mockround"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("MOCKROUND_CONFIG")
        .env_remove("MOCKROUND_BACKEND")
        .env("XDG_CONFIG_HOME", data.join("config"))
        .output()
        .expect("run mockround")
}

fn script(name: &str) -> String {
    format!(
        "{}/tests/fixtures/scripts/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn strong_scripted_round_walks_four_phases_and_cites_the_candidate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(
        dir.path(),
        &[
            "practice",
            "--problem",
            "clickstream",
            "--seed",
            "3",
            "--answers",
            &format!(
                "{}/tests/fixtures/rounds/clickstream-strong.txt",
                env!("CARGO_MANIFEST_DIR")
            ),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Reads the problem, then answers only what was asked.
    assert!(stdout.contains("Design a clickstream pipeline"));
    assert!(stdout.contains("Peak is about 200K events/sec"));
    for n in 1..=4 {
        assert!(
            stdout.contains(&format!("Phase {n}/4")),
            "phase {n} banner missing"
        );
    }
    // The interviewer checks the candidate's own numbers, changes a
    // requirement mid-round, and goes deeper on a failure they had covered.
    assert!(
        stdout.contains("into 64 partitions is about 3.1"),
        "{stdout}"
    );
    assert!(stdout.contains("Let me change a requirement."), "{stdout}");
    assert!(stdout.contains("Let's stretch it."), "{stdout}");
    assert!(stdout.contains("here's the harder one"), "{stdout}");
    // No expectation line of the script reached the round.
    assert!(!stdout.contains("#>"), "{stdout}");
    // The debrief quotes the candidate verbatim.
    assert!(
        stdout.contains("“Kafka because we already run MSK"),
        "{stdout}"
    );
    assert!(
        stdout.contains("## Verdict: L5") || stdout.contains("## Verdict: L6"),
        "{stdout}"
    );
    // Saved as Markdown and JSON next to the journal.
    let sessions = dir.path().join("sessions");
    let names: Vec<String> = std::fs::read_dir(&sessions)
        .expect("sessions dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().any(|n| n.ends_with(".jsonl")), "{names:?}");
    assert!(
        names.iter().any(|n| n.ends_with(".debrief.md")),
        "{names:?}"
    );
    let json_name = names
        .iter()
        .find(|n| n.ends_with(".debrief.json"))
        .expect("debrief json");
    let v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(sessions.join(json_name)).expect("read json"),
    )
    .expect("debrief json parses");
    assert_eq!(v["problem"], "clickstream");
    assert!(
        v["failures"].as_array().is_some_and(|f| !f.is_empty()),
        "{v}"
    );
    assert_eq!(v["curveballs"][0]["kind"], "tighten");
}

#[test]
fn candidate_who_jumps_to_boxes_is_told_and_the_scorecard_records_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(
        dir.path(),
        &[
            "practice",
            "--problem",
            "clickstream",
            "--seed",
            "2",
            "--answers",
            &script("clickstream_jumps.txt"),
        ],
    );
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("without asking about scale, freshness and the consumer")
            || stdout.contains("haven't asked about scale, freshness and the consumer"),
        "{stdout}"
    );
    assert!(stdout.contains("most common L5 rejection signal"));
    // The hint was given and recorded.
    assert!(stdout.contains("A nudge:"));
    assert!(stdout.contains("Hints taken (credit capped)"));
    // A vague box never passes unremarked, and nothing was revealed unasked.
    assert!(!stdout.contains("Peak is about 200K events/sec"));
}

#[test]
fn script_from_stdin_plays_the_same_round() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = std::fs::read(script("clickstream_strong.txt")).expect("script");
    let mut child = Command::new(env!("CARGO_BIN_EXE_mockround"))
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "practice",
            "--problem",
            "clickstream",
            "--seed",
            "1",
            "--answers",
            "-",
        ])
        .env("NO_COLOR", "1")
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(&body).expect("write script");
    }
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("# Debrief: Real-time clickstream pipeline"));
}

#[test]
fn unknown_problem_is_a_usage_error_listing_known_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(
        dir.path(),
        &[
            "practice",
            "--problem",
            "nope",
            "--answers",
            &script("clickstream_strong.txt"),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown problem `nope`") && err.contains("clickstream"),
        "{err}"
    );
}

/// Every scripted candidate under `tests/fixtures/scripts/` is named
/// `<problem>_<label>.txt` (the local-model measurement cycles over them):
/// each plays a whole round on its problem, and the vague one stays below
/// the solid ones.
#[test]
fn every_fixture_script_plays_a_full_round_on_its_problem() {
    let dir = std::path::PathBuf::from(format!(
        "{}/tests/fixtures/scripts",
        env!("CARGO_MANIFEST_DIR")
    ));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("scripts dir")
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    assert!(names.len() >= 5, "{names:?}");
    for name in &names {
        let problem = name
            .split_once('_')
            .map(|(p, _)| p)
            .unwrap_or_else(|| panic!("{name}: not <problem>_<label>.txt"));
        let data = tempfile::tempdir().expect("tempdir");
        let out = run(
            data.path(),
            &[
                "practice",
                "--problem",
                problem,
                "--seed",
                "3",
                "--answers",
                &script(name),
            ],
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // These scripts predate the listening interviewer: their answers no
        // longer line up with every question, so a script may end before
        // the failure modes; the solid ones still reach them.
        if name.contains("solid") {
            assert!(stdout.contains("Phase 4/4"), "{name}: {stdout}");
        }
        let verdict = stdout
            .lines()
            .find_map(|l| l.strip_prefix("## Verdict: "))
            .unwrap_or_else(|| panic!("{name}: no verdict\n{stdout}"));
        if name.contains("vague") {
            assert!(
                verdict.starts_with("L3") || verdict.starts_with("L4"),
                "{name}: {verdict}"
            );
        }
        if name.contains("strong") || name.contains("solid") {
            assert!(
                verdict.starts_with("L5") || verdict.starts_with("L6"),
                "{name}: {verdict}"
            );
        }
    }
}

#[test]
fn a_round_ended_before_the_drills_shows_the_failure_talk_the_candidate_volunteered() {
    let dir = tempfile::tempdir().expect("tempdir");
    let answers = dir.path().join("answers.txt");
    std::fs::write(
        &answers,
        "What's the event volume, and what freshness do the dashboards need? Who consumes it?\n---\n\
         Web and mobile SDKs -> MSK : JSON, 200K events/s\nMSK -> Flink : JSON, 200K events/s\nFlink -> S3 : Parquet, 5 TB/day\n\n\
         If a broker dies, the controller elects new leaders and producers retry with acks=all, so nothing is lost; we alert on under-replicated partitions.\n---\n\
         /quit\n",
    )
    .expect("write answers");
    let out = run(
        dir.path(),
        &[
            "practice",
            "--problem",
            "clickstream",
            "--seed",
            "7",
            "--no-clock",
            "--answers",
            answers.to_str().expect("utf-8 path"),
        ],
    );
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let failures = stdout
        .split("## Failure modes")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("a failure section");
    assert!(
        failures.contains("No failure mode was probed"),
        "{failures}"
    );
    assert!(
        failures.contains("What you volunteered")
            && failures.contains("under-replicated partitions")
            && failures.contains("acks=all"),
        "the volunteered detection and loss prevention are shown: {failures}"
    );
}

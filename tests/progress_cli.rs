//! `mockround progress` through the real binary, over rounds played by the
//! real binary: no rounds, one, and hundreds (copies of a real round's
//! journal and debrief with their dates and scores changed); torn and
//! old-version files; the `--json` shape; the self-contained `--html` page;
//! graded answers from `mockround grade`; and `practice --focus`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn mockround(data: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mockround"));
    cmd.arg("--data-dir")
        .arg(data)
        .args(args)
        .env("NO_COLOR", "1")
        .env("XDG_CONFIG_HOME", data.join("config"))
        .env_remove("MOCKROUND_CONFIG")
        .env_remove("MOCKROUND_BACKEND")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd.output().expect("run mockround")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn script(name: &str) -> String {
    format!(
        "{}/tests/fixtures/scripts/{name}.txt",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// Plays one scripted round at fast pace; returns its session id.
fn play(data: &Path, problem: &str, script_name: &str, extra: &[&str]) -> String {
    let s = script(script_name);
    let mut args = vec![
        "practice",
        "-p",
        problem,
        "--pace",
        "fast",
        "--seed",
        "5",
        "--answers",
        &s,
    ];
    args.extend_from_slice(extra);
    let o = mockround(data, &args);
    assert!(o.status.success(), "practice failed: {}", stderr(&o));
    let err = stderr(&o);
    let id = err
        .split_whitespace()
        .skip_while(|w| *w != "Session")
        .nth(1)
        .expect("the session id is announced")
        .to_string();
    id
}

fn sessions(data: &Path) -> PathBuf {
    data.join("sessions")
}

fn progress_json(data: &Path, extra: &[&str]) -> (Value, String) {
    let mut args = vec!["--json", "progress"];
    args.extend_from_slice(extra);
    let o = mockround(data, &args);
    assert!(o.status.success(), "progress failed: {}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("progress --json is JSON");
    (v, stderr(&o))
}

#[test]
fn no_rounds_yet_still_suggests_a_first_drill() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = mockround(dir.path(), &["progress"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("No finished rounds yet"), "{text}");
    // The concept that comes up most in design rounds (62%).
    assert!(text.contains("--focus exactly-once"), "{text}");
    let (v, _) = progress_json(dir.path(), &[]);
    assert_eq!(v["rounds"], 0);
    assert_eq!(v["verdicts"].as_array().map(Vec::len), Some(0));
    assert_eq!(v["weakest"].as_array().map(Vec::len), Some(0));
    assert_eq!(v["next_drill"]["concept"], "exactly-once");
}

#[test]
fn one_round_shows_its_verdict_trends_and_phase_times() {
    let dir = tempfile::tempdir().expect("tempdir");
    let id = play(dir.path(), "clickstream", "clickstream_strong", &[]);
    let (v, warnings) = progress_json(dir.path(), &[]);
    assert!(warnings.is_empty(), "{warnings}");
    assert_eq!(v["rounds"], 1);
    let verdicts = v["verdicts"].as_array().expect("verdicts");
    assert_eq!(verdicts.len(), 1);
    assert_eq!(verdicts[0]["id"], id.as_str());
    assert_eq!(verdicts[0]["source"], "round");
    let debrief: Value = serde_json::from_str(
        &std::fs::read_to_string(sessions(dir.path()).join(format!("{id}.debrief.json")))
            .expect("debrief"),
    )
    .expect("debrief json");
    assert_eq!(verdicts[0]["overall"], debrief["overall"]);
    assert_eq!(verdicts[0]["level"], debrief["level"]);
    let concepts = v["concepts"].as_array().expect("concepts");
    assert_eq!(concepts.len(), 14);
    for c in concepts {
        assert_eq!(c["recent"].as_array().map(Vec::len), Some(1), "{c}");
        assert!(c["change"].is_null(), "one value has no change: {c}");
    }
    // Fast pace: every phase has a one- or three-minute budget.
    let phases = v["phases"].as_array().expect("phases");
    assert_eq!(phases.len(), 4);
    assert_eq!(phases[0]["rounds"], 1);
    assert_eq!(phases[0]["mean_budget_ms"], 60_000);
    // The drill is never the problem just played.
    assert_ne!(v["next_drill"]["problem"], "clickstream");
}

#[test]
fn json_has_the_documented_shape() {
    let dir = tempfile::tempdir().expect("tempdir");
    play(dir.path(), "surge-pricing", "surge-pricing_vague", &[]);
    play(dir.path(), "cdc-lakehouse", "cdc-lakehouse_terse", &[]);
    let (v, _) = progress_json(dir.path(), &[]);
    for key in [
        "rounds",
        "graded_answers",
        "unfinished",
        "levels",
        "verdicts",
        "concepts",
        "signals",
        "weakest",
        "phases",
        "next_drill",
        "skipped",
    ] {
        assert!(v.get(key).is_some(), "missing `{key}` in {v}");
    }
    let levels = v["levels"].as_array().expect("levels");
    assert_eq!(levels.len(), 4);
    assert_eq!(
        levels
            .iter()
            .map(|l| l["count"].as_u64().unwrap_or(99))
            .sum::<u64>(),
        2
    );
    let t = &v["concepts"][0];
    for key in ["id", "name", "weight", "recent", "mean", "change"] {
        assert!(t.get(key).is_some(), "concept trend lacks `{key}`: {t}");
    }
    assert_eq!(t["id"], "exactly-once");
    assert!(v["signals"][0].get("weight").is_none());
    assert_eq!(v["weakest"].as_array().map(Vec::len), Some(3));
    for key in ["id", "name", "mean", "weight", "attempts"] {
        assert!(v["weakest"][0].get(key).is_some(), "weakest lacks `{key}`");
    }
    let d = &v["next_drill"];
    let cmd = format!(
        "mockround practice -p {} --focus {}",
        d["problem"].as_str().expect("problem"),
        d["concept"].as_str().expect("concept")
    );
    assert_eq!(d["command"], cmd.as_str());
    assert_eq!(d["concept"], v["weakest"][0]["id"]);
    for key in ["problem_title", "concept_name", "reason"] {
        assert!(d[key].as_str().is_some_and(|s| !s.is_empty()), "{key}");
    }
}

/// Copies a real round `n` times, a day apart, with rising scores.
fn clone_rounds(data: &Path, id: &str, n: usize) {
    let dir = sessions(data);
    let journal = std::fs::read_to_string(dir.join(format!("{id}.jsonl"))).expect("journal");
    let debrief: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join(format!("{id}.debrief.json"))).expect("debrief"),
    )
    .expect("debrief json");
    let (first, rest) = journal.split_once('\n').expect("journal lines");
    let start: Value = serde_json::from_str(first).expect("start record");
    for i in 0..n {
        let new_id = format!("2025{:04}-000000-clickstream-{i:04x}", 101 + i % 900);
        let mut s = start.clone();
        s["id"] = Value::from(new_id.clone());
        let day = chrono::NaiveDate::from_ymd_opt(2025, 1, 1)
            .and_then(|d| d.checked_add_days(chrono::Days::new(i as u64)))
            .expect("date");
        s["started_at"] = Value::from(format!("{day}T09:00:00Z"));
        let mut d = debrief.clone();
        d["session_id"] = Value::from(new_id.clone());
        d["overall"] = Value::from((i * 100 / n.max(1)) as u64);
        std::fs::write(
            dir.join(format!("{new_id}.jsonl")),
            format!("{}\n{rest}", serde_json::to_string(&s).expect("json")),
        )
        .expect("write journal");
        std::fs::write(
            dir.join(format!("{new_id}.debrief.json")),
            serde_json::to_vec_pretty(&d).expect("json"),
        )
        .expect("write debrief");
    }
}

#[test]
fn hundreds_of_rounds_read_in_date_order_and_trend_over_the_newest_five() {
    let dir = tempfile::tempdir().expect("tempdir");
    let id = play(dir.path(), "clickstream", "clickstream_strong", &[]);
    clone_rounds(dir.path(), &id, 300);
    let started = std::time::Instant::now();
    let (v, warnings) = progress_json(dir.path(), &[]);
    assert!(warnings.is_empty(), "{warnings}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(v["rounds"], 301);
    let verdicts = v["verdicts"].as_array().expect("verdicts");
    assert_eq!(verdicts.len(), 301);
    // Oldest first: the copies (2025) before the real round (today).
    assert_eq!(verdicts[0]["overall"], 0);
    assert_eq!(verdicts[300]["id"], id.as_str());
    let dates: Vec<&str> = verdicts
        .iter()
        .filter_map(|x| x["started_at"].as_str())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "not in date order");
    assert_eq!(v["concepts"][0]["recent"].as_array().map(Vec::len), Some(5));
    assert_eq!(v["phases"][0]["rounds"], 5);
    // Text lists the newest ten and says where the rest are.
    let o = mockround(dir.path(), &["progress"]);
    let text = stdout(&o);
    assert!(text.contains("the last 10 of 301"), "{text}");
    assert!(text.contains("301 rounds"), "{text}");
}

#[test]
fn torn_and_old_version_files_are_skipped_with_a_warning_naming_each() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = play(dir.path(), "clickstream", "clickstream_strong", &[]);
    let s = sessions(dir.path());
    let journal = std::fs::read_to_string(s.join(format!("{good}.jsonl"))).expect("journal");
    let debrief = std::fs::read_to_string(s.join(format!("{good}.debrief.json"))).expect("d");
    let copy = |id: &str, journal: &str, debrief: Option<&str>| {
        std::fs::write(s.join(format!("{id}.jsonl")), journal.replace(&good, id)).expect("j");
        if let Some(d) = debrief {
            std::fs::write(s.join(format!("{id}.debrief.json")), d.replace(&good, id)).expect("d");
        }
    };
    // A journal torn in its first line: not a journal any more.
    std::fs::write(s.join("torn-start.jsonl"), &journal[..40]).expect("write");
    // A finished round whose debrief was cut short.
    copy(
        "torn-debrief",
        &journal,
        Some(&debrief[..debrief.len() / 2]),
    );
    // A debrief from an older version, without phase times or signals.
    let mut old: Value = serde_json::from_str(&debrief).expect("json");
    old.as_object_mut().map(|o| o.remove("phase_times"));
    copy("old-debrief", &journal, Some(&old.to_string()));
    // A journal from a newer version.
    copy(
        "newer-journal",
        &journal.replacen("\"version\":1", "\"version\":99", 1),
        Some(&debrief),
    );
    // An interrupted round: no end record, a torn last line.
    let unfinished: String = journal
        .lines()
        .take(4)
        .map(|l| format!("{l}\n"))
        .collect::<String>()
        + r#"{"type":"candidate","at_ms":9,"pha"#;
    copy("torn-unfinished", &unfinished, None);
    // A finished round whose debrief is missing.
    copy("no-debrief", &journal, None);

    let o = mockround(dir.path(), &["progress"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    for name in [
        "torn-start.jsonl",
        "torn-debrief.debrief.json",
        "old-debrief.debrief.json",
        "newer-journal.jsonl",
        "torn-unfinished.jsonl",
        "no-debrief.debrief.json",
    ] {
        assert!(
            err.lines()
                .any(|l| l.starts_with("warning:") && l.contains(name)),
            "no warning names {name}:\n{err}"
        );
    }
    assert!(err.contains("--resume torn-unfinished"), "{err}");
    let (v, _) = progress_json(dir.path(), &[]);
    assert_eq!(v["rounds"], 1, "only the good round counts");
    assert_eq!(v["unfinished"][0], "torn-unfinished");
    assert_eq!(v["skipped"].as_array().map(Vec::len), Some(6));
}

#[test]
fn html_page_is_self_contained_with_inline_svg_trends() {
    let dir = tempfile::tempdir().expect("tempdir");
    play(dir.path(), "clickstream", "clickstream_jumps", &[]);
    play(dir.path(), "feature-store", "feature-store_solid", &[]);
    let page = dir.path().join("out/progress.html");
    let o = mockround(
        dir.path(),
        &["progress", "--html", page.to_str().expect("utf-8 path")],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(&page).expect("the page was written");
    assert!(!html.to_ascii_lowercase().contains("<script"), "a script");
    assert!(!html.contains("http"), "something that could be fetched");
    assert!(!html.contains(" src="), "an external resource");
    // One sparkline per concept and signal seen, plus the two charts.
    assert!(html.matches("<svg").count() >= 14 + 6 + 2);
    assert!(html.contains("Verdicts over time"));
    assert!(html.contains("mockround practice -p "));
    assert!(html.contains("--focus "));
}

#[test]
fn graded_answers_count_and_a_torn_row_is_skipped_naming_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    play(dir.path(), "clickstream", "clickstream_jumps", &[]);
    let answers = format!("{}/tests/fixtures/answers", env!("CARGO_MANIFEST_DIR"));
    let results = dir.path().join("results.jsonl");
    let r = results.to_str().expect("utf-8 path");
    let g = mockround(
        dir.path(),
        &[
            "grade",
            &format!("{answers}/clickstream-l5.md"),
            &format!("{answers}/clickstream-l6.md"),
            "--problem",
            "clickstream",
            "--out",
            r,
        ],
    );
    assert!(g.status.success(), "grade failed: {}", stderr(&g));
    std::fs::OpenOptions::new()
        .append(true)
        .open(&results)
        .and_then(|mut f| f.write_all(br#"{"id":"cut","key":"ab"#))
        .expect("tear the last row");
    let (v, warnings) = progress_json(dir.path(), &["--grades", r]);
    assert_eq!(v["rounds"], 1);
    assert_eq!(v["graded_answers"], 2);
    let verdicts = v["verdicts"].as_array().expect("verdicts");
    assert_eq!(verdicts.len(), 3);
    assert_eq!(verdicts[0]["source"], "round");
    assert_eq!(verdicts[2]["source"], "graded");
    assert!(verdicts[2]["started_at"].is_null());
    assert!(warnings.contains("results.jsonl:3: skipped"), "{warnings}");
    // A results file that is not there is an error naming it.
    let o = mockround(
        dir.path(),
        &["progress", "--grades", "/nonexistent/r.jsonl"],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("/nonexistent/r.jsonl"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn focus_with_an_unknown_concept_lists_the_valid_ids() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = script("clickstream_jumps");
    let o = mockround(
        dir.path(),
        &[
            "practice",
            "-p",
            "clickstream",
            "--focus",
            "exactlyonce",
            "--answers",
            &s,
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("unknown concept `exactlyonce`"), "{err}");
    for id in [
        "exactly-once",
        "idempotency",
        "watermarks",
        "lakehouse-warehouse",
    ] {
        assert!(err.contains(id), "{id} not listed: {err}");
    }
    assert!(
        !sessions(dir.path()).exists()
            || std::fs::read_dir(sessions(dir.path()))
                .map(|d| d.count() == 0)
                .unwrap_or(true),
        "no round was started"
    );
}

#[test]
fn focus_is_recorded_in_the_journal_the_debrief_and_progress() {
    let dir = tempfile::tempdir().expect("tempdir");
    let id = play(
        dir.path(),
        "clickstream",
        "clickstream_strong",
        &["--focus", "watermarks"],
    );
    let s = sessions(dir.path());
    let journal = std::fs::read_to_string(s.join(format!("{id}.jsonl"))).expect("journal");
    let start: Value =
        serde_json::from_str(journal.lines().next().expect("start")).expect("start record");
    assert_eq!(start["focus"], "watermarks");
    let debrief: Value = serde_json::from_str(
        &std::fs::read_to_string(s.join(format!("{id}.debrief.json"))).expect("debrief"),
    )
    .expect("json");
    assert_eq!(debrief["focus"]["concept"], "watermarks");
    let strength = debrief["focus"]["strength"].as_u64().expect("strength");
    let card = debrief["scorecard"]["concepts"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["id"] == "watermarks"))
        .expect("watermarks on the scorecard");
    assert_eq!(card["strength"].as_u64(), Some(strength));
    let quote = debrief["focus"]["quote"]
        .as_str()
        .expect("the script says it");
    assert!(
        std::fs::read_to_string(script("clickstream_strong"))
            .expect("script")
            .contains(quote),
        "the quote is the candidate's own words: {quote}"
    );
    let md = std::fs::read_to_string(s.join(format!("{id}.debrief.md"))).expect("md");
    assert!(
        md.contains(&format!(
            "## Focus: Watermarks and late data (`watermarks`)\n\nYour strength on it: {strength}/4. You said “"
        )),
        "{md}"
    );
    let (v, _) = progress_json(dir.path(), &[]);
    assert_eq!(v["verdicts"][0]["focus"], "watermarks");
    // A round without --focus records none, and its debrief has no section.
    let plain = play(dir.path(), "surge-pricing", "surge-pricing_vague", &[]);
    let j = std::fs::read_to_string(s.join(format!("{plain}.jsonl"))).expect("journal");
    assert!(!j.lines().next().unwrap_or("").contains("focus"));
    let md = std::fs::read_to_string(s.join(format!("{plain}.debrief.md"))).expect("md");
    assert!(!md.contains("## Focus"));
}

#[test]
fn a_resumed_round_keeps_its_focus() {
    use std::sync::Arc;

    use mockround::backend::offline::OfflineBackend;
    use mockround::interview::clock::{ManualClock, Pace};
    use mockround::interview::round::{LazyScorer, Round, RoundSetup};
    use mockround::interview::templates::Templates;
    use mockround::rubric::{ConceptId, Rubric};

    let dir = tempfile::tempdir().expect("tempdir");
    let rubric = Rubric::builtin().expect("rubric");
    let problem = rubric.problem("clickstream").expect("problem").clone();
    let setup = |rubric: &Rubric| RoundSetup {
        data_dir: dir.path().to_path_buf(),
        backend: Arc::new(OfflineBackend::new()),
        templates: Arc::new(Templates::builtin()),
        scorer: LazyScorer::build_in_background(rubric.clone()),
        clock: Arc::new(ManualClock::new()),
        window: 8192,
        temperature: None,
        interviewer: mockround::interview::phrasing::InterviewerMode::Guided,
    };
    let round = Round::start_with_focus(
        setup(&rubric),
        problem,
        Pace::Fast,
        9,
        Some(ConceptId::from("backfill")),
    )
    .expect("start");
    assert_eq!(
        round.session().focus().map(|c| c.as_str()),
        Some("backfill")
    );
    let path = round.journal_path().to_path_buf();
    drop(round);
    let (resumed, _) =
        Round::resume(|_| setup(&rubric), &path, |id| rubric.problem(id).cloned()).expect("resume");
    assert_eq!(
        resumed.session().focus().map(|c| c.as_str()),
        Some("backfill")
    );
}

//! `mockround grade` explains itself (real binary, offline backend, the
//! built-in rubric): each row says why its level, which gates it missed and
//! what would pass them, what it did well and what to change; the reports
//! carry that per answer; an input with no problem id is said so, once; and
//! rows written before any of this are still read by resume, reports and
//! `mockround progress`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn mockround(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mockround"))
        .current_dir(dir)
        .env("MOCKROUND_CONFIG", dir.join("none.toml"))
        .env_remove("MOCKROUND_BACKEND")
        .env("NO_COLOR", "1")
        .args(["--backend", "offline", "--data-dir"])
        .arg(dir.join("data"))
        .args(args)
        .output()
        .expect("run mockround")
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("none.toml"), "").expect("empty config");
    dir
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/answers")
        .join(name)
}

fn rows(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .expect("rows")
        .lines()
        .map(|l| serde_json::from_str(l).expect("row JSON"))
        .collect()
}

fn ok(out: &Output) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const NO_PROBLEM: &str =
    "Kafka feeds Flink, which writes Parquet to S3; Snowflake loads it hourly.\n";

#[test]
fn rows_say_why_their_level_and_what_would_lift_it() {
    let dir = setup();
    let d = dir.path();
    std::fs::copy(fixture("payments-l5.md"), d.join("p.md")).expect("copy");
    ok(&mockround(d, &["grade", "p.md", "--out", "r.jsonl"]));
    let row = &rows(&d.join("r.jsonl"))[0];
    let v = &row["verdict"];
    assert_eq!(v["level"], row["level"], "{row:#}");
    assert!(!v["reasons"].as_array().expect("reasons").is_empty());
    let failed = v["failed_gates"].as_array().expect("failed gates");
    assert!(!failed.is_empty(), "an L5 answer misses some L6 gate");
    for g in failed {
        for field in ["gate", "level", "because", "to_pass"] {
            assert!(
                g[field].as_str().is_some_and(|s| !s.is_empty()),
                "{field} in {g}"
            );
        }
    }
    let text = std::fs::read_to_string(d.join("p.md")).expect("answer");
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let strengths = row["strengths"].as_array().expect("strengths");
    assert!(!strengths.is_empty());
    for s in strengths {
        assert!(s["strength"].as_u64().expect("strength") >= 3);
        let quote = s["quote"].as_str().expect("quote");
        assert!(
            flat(&text).contains(&flat(quote)),
            "a strength quote must be the candidate's own words: {quote:?}"
        );
    }
    let improvements = row["improvements"].as_array().expect("improvements");
    assert!(!improvements.is_empty());
    assert!(
        improvements.iter().any(|i| i["l5_says"].is_string()),
        "some improvement quotes what an L5 answer says: {improvements:#?}"
    );
    assert_eq!(row["problem_missing"], false);
}

#[test]
fn an_input_without_a_problem_id_is_graded_generically_with_one_warning() {
    let dir = setup();
    let d = dir.path();
    std::fs::write(d.join("bare.md"), NO_PROBLEM).expect("w");
    std::fs::write(
        d.join("named.md"),
        format!("problem: clickstream\n{NO_PROBLEM}"),
    )
    .expect("w");
    let out = mockround(d, &["grade", "bare.md", "named.md", "--out", "r.jsonl"]);
    ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{stderr}");
    assert!(warnings[0].contains("bare.md"), "{stderr}");
    assert!(
        warnings[0].contains("--problem ID") && warnings[0].contains("problem: ID"),
        "{stderr}"
    );
    let rows = rows(&d.join("r.jsonl"));
    let bare = rows
        .iter()
        .find(|r| r["id"] == "bare.md")
        .expect("bare row");
    assert_eq!(bare["status"], "graded");
    assert_eq!(bare["problem"], serde_json::Value::Null);
    assert_eq!(bare["problem_missing"], true);
    assert!(bare["level"].is_string() && bare["verdict"].is_object());
    let named = rows
        .iter()
        .find(|r| r["id"] == "named.md")
        .expect("named row");
    assert_eq!(named["problem_missing"], false);

    // --problem supplies it: no warning, no flag.
    let out = mockround(d, &["grade", "bare.md", "--problem", "clickstream"]);
    ok(&out);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning:"));
    let row: serde_json::Value =
        serde_json::from_slice(out.stdout.split(|b| *b == b'\n').next().expect("row"))
            .expect("row JSON");
    assert_eq!(row["problem_missing"], false);
    assert_eq!(row["problem"], "clickstream");
}

#[test]
fn rows_and_reports_name_what_the_brief_asks_for_and_the_answer_never_covers() {
    let dir = setup();
    let d = dir.path();
    std::fs::write(
        d.join("thin.md"),
        format!("problem: clickstream\n{NO_PROBLEM}"),
    )
    .expect("w");
    std::fs::copy(fixture("clickstream-l5.md"), d.join("full.md")).expect("copy");
    ok(&mockround(
        d,
        &[
            "grade",
            "thin.md",
            "full.md",
            "--out",
            "r.jsonl",
            "--markdown",
            "r.md",
            "--html",
            "r.html",
        ],
    ));
    let rows = rows(&d.join("r.jsonl"));
    let row = |id: &str| {
        rows.iter()
            .find(|r| r["id"].as_str().is_some_and(|x| x.ends_with(id)))
            .expect("row")
    };
    assert_eq!(
        row("thin.md")["brief_missed"],
        serde_json::json!(["live per-user session dashboards"])
    );
    assert_eq!(row("full.md")["brief_missed"], serde_json::json!([]));
    let line = "The brief asks for, and the answer never covers: live per-user session dashboards.";
    let md = std::fs::read_to_string(d.join("r.md")).expect("md");
    assert_eq!(md.matches(line).count(), 1, "{md}");
    let html = std::fs::read_to_string(d.join("r.html")).expect("html");
    assert_eq!(html.matches(line).count(), 1);
}

#[test]
fn reports_explain_each_answer_even_without_out() {
    let dir = setup();
    let d = dir.path();
    std::fs::copy(fixture("clickstream-l5.md"), d.join("a.md")).expect("copy");
    std::fs::write(d.join("b.md"), NO_PROBLEM).expect("w");
    let out = mockround(
        d,
        &[
            "grade",
            "a.md",
            "b.md",
            "--markdown",
            "r.md",
            "--html",
            "r.html",
        ],
    );
    ok(&out);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().count(),
        2,
        "rows still stream"
    );
    let md = std::fs::read_to_string(d.join("r.md")).expect("md");
    assert!(
        md.contains("## Answers") && md.contains("## Per answer"),
        "{md}"
    );
    // Numbered in the order the rows finished (the order of the rows file).
    assert!(
        md.contains(". a.md — L5") && md.contains(". b.md — L3"),
        "{md}"
    );
    assert!(md.contains("### 1. ") && md.contains("### 2. "), "{md}");
    assert!(md.contains("**Gates not passed**") && md.contains("**Improvements**"));
    assert!(md.contains("An L5 answer says:"));
    assert!(md.contains("none (generic rubric)"));
    let html = std::fs::read_to_string(d.join("r.html")).expect("html");
    assert!(html.contains("<section class=answer id=\"a2\">"));
    assert!(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"));
}

#[test]
fn rows_written_before_explanations_still_resume_report_and_count_in_progress() {
    let dir = setup();
    let d = dir.path();
    std::fs::copy(fixture("clickstream-l5.md"), d.join("a.md")).expect("copy");
    ok(&mockround(d, &["grade", "a.md", "--out", "r.jsonl"]));
    // The same row as an older mockround wrote it: none of the new fields.
    let mut old = rows(&d.join("r.jsonl")).remove(0);
    let obj = old.as_object_mut().expect("object");
    for field in [
        "verdict",
        "strengths",
        "improvements",
        "problem_missing",
        "brief_missed",
    ] {
        assert!(obj.remove(field).is_some(), "{field} was written");
    }
    std::fs::write(d.join("r.jsonl"), format!("{old}\n")).expect("old row");

    let out = mockround(
        d,
        &[
            "grade",
            "a.md",
            "--out",
            "r.jsonl",
            "--markdown",
            "r.md",
            "--html",
            "r.html",
        ],
    );
    ok(&out);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("1 skipped"),
        "resume must recognise the old row: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(rows(&d.join("r.jsonl")).len(), 1);
    let md = std::fs::read_to_string(d.join("r.md")).expect("md");
    assert!(md.contains("### 1. a.md — L5"), "{md}");
    assert!(
        md.contains("written before grade rows explained themselves"),
        "{md}"
    );

    // progress reads the old row and a new one.
    std::fs::copy(fixture("payments-l5.md"), d.join("b.md")).expect("copy");
    ok(&mockround(d, &["grade", "b.md", "--out", "r.jsonl"]));
    let out = mockround(d, &["progress", "--grades", "r.jsonl"]);
    ok(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("2 graded answers"), "{stdout}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("skipped"));
}

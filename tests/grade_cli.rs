//! `mockround grade` as a user runs it (offline backend, real binary):
//! documented exit codes, one row per input, reruns that skip, and every
//! report written.

use std::path::Path;
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

const GOOD: &str = "problem: clickstream\nPeak is 200K events/sec. Kafka with 64 partitions feeds Flink with event-time watermarks; \
exactly-once because checkpoints commit the Iceberg sink; idempotent MERGE on event_id.\n";

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("none.toml"), "").expect("empty config");
    dir
}

#[test]
fn all_good_inputs_exit_0_and_write_every_report() {
    let dir = setup();
    let d = dir.path();
    std::fs::write(d.join("a.md"), GOOD).expect("w");
    std::fs::write(d.join("b.txt"), GOOD.replace("Peak", "At peak")).expect("w");
    let out = mockround(
        d,
        &[
            "grade",
            "a.md",
            "b.txt",
            "--out",
            "r.jsonl",
            "--csv",
            "r.csv",
            "--markdown",
            "r.md",
            "--html",
            "r.html",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = std::fs::read_to_string(d.join("r.jsonl")).expect("rows");
    assert_eq!(rows.lines().count(), 2);
    assert!(rows.contains("\"judge_status\":\"none\""));
    let csv = std::fs::read_to_string(d.join("r.csv")).expect("csv");
    assert_eq!(csv.lines().count(), 3, "header + 2 rows");
    assert!(csv.starts_with("id,source,problem,status"));
    let md = std::fs::read_to_string(d.join("r.md")).expect("md");
    assert!(md.contains("## Levels") && md.contains("Rows: **2**"));
    let html = std::fs::read_to_string(d.join("r.html")).expect("html");
    assert!(html.contains("<svg") && html.contains("Level distribution"));
    assert!(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"));
}

#[test]
fn some_bad_inputs_exit_1_with_a_row_each_and_reruns_skip() {
    let dir = setup();
    let d = dir.path();
    std::fs::write(d.join("a.md"), GOOD).expect("w");
    std::fs::write(d.join("empty.md"), "").expect("w");
    let args = ["grade", "a.md", "empty.md", "--out", "r.jsonl"];
    let first = mockround(d, &args);
    assert_eq!(first.status.code(), Some(1));
    let err = String::from_utf8_lossy(&first.stderr);
    assert!(err.contains("1 ok, 1 failed"), "{err}");
    let second = mockround(d, &args);
    assert_eq!(
        second.status.code(),
        Some(1),
        "the earlier failure still counts"
    );
    assert!(String::from_utf8_lossy(&second.stderr).contains("2 skipped"));
    let rows = std::fs::read_to_string(d.join("r.jsonl")).expect("rows");
    assert_eq!(rows.lines().count(), 2);
}

#[test]
fn usage_errors_exit_2_and_json_summary_is_on_stdout() {
    let dir = setup();
    let d = dir.path();
    std::fs::write(d.join("a.md"), GOOD).expect("w");
    let bad = mockround(d, &["grade", "a.md", "--problem", "nope"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("valid ids"));
    let export = mockround(d, &["grade", "a.md", "--export-batch", "b.jsonl"]);
    assert_eq!(
        export.status.code(),
        Some(2),
        "offline cannot export a batch"
    );

    let js = mockround(d, &["--json", "grade", "a.md", "--out", "r.jsonl"]);
    assert_eq!(js.status.code(), Some(0));
    let v: serde_json::Value =
        serde_json::from_slice(&js.stdout).expect("stdout is one JSON summary");
    assert_eq!(v["graded"], 1);
    assert_eq!(v["exit_code"], 0);

    // No --out: rows first, then the summary as the last line.
    let js = mockround(d, &["--json", "grade", "a.md"]);
    let stdout = String::from_utf8_lossy(&js.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    let last: serde_json::Value = serde_json::from_str(lines[1]).expect("summary JSON");
    assert_eq!(last["graded"], 1);
}

#[test]
fn without_out_rows_stream_to_stdout() {
    let dir = setup();
    let d = dir.path();
    std::fs::write(d.join("a.md"), GOOD).expect("w");
    let out = mockround(d, &["grade", "a.md"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let row: serde_json::Value =
        serde_json::from_str(stdout.lines().next().expect("a row")).expect("row JSON");
    assert_eq!(row["id"], "a.md");
    assert_eq!(row["problem"], "clickstream");
}

#[test]
fn stdin_dash_reads_json_lines() {
    use std::io::Write;
    use std::process::Stdio;
    let dir = setup();
    let d = dir.path();
    let mut child = Command::new(env!("CARGO_BIN_EXE_mockround"))
        .current_dir(d)
        .env("MOCKROUND_CONFIG", d.join("none.toml"))
        .env_remove("MOCKROUND_BACKEND")
        .args(["--backend", "offline", "grade", "-", "--out", "r.jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let lines = format!(
        "{}\n{}\n",
        serde_json::json!({"id": "s1", "problem": "clickstream", "answer": GOOD}),
        "{broken"
    );
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(lines.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(1), "one good line, one broken line");
    let rows = std::fs::read_to_string(d.join("r.jsonl")).expect("rows");
    assert_eq!(rows.lines().count(), 2);
    assert!(rows.contains("\"id\":\"s1\"") && rows.contains("<stdin>:2"));
}

#[test]
fn out_and_reports_into_missing_directories_create_them() {
    let dir = setup();
    let d = dir.path();
    std::fs::write(d.join("a.md"), GOOD).expect("w");
    let args = [
        "grade",
        "a.md",
        "--out",
        "runs/2024/q3/results.jsonl",
        "--csv",
        "reports/csv/r.csv",
        "--markdown",
        "reports/md/r.md",
        "--html",
        "reports/html/r.html",
    ];
    let out = mockround(d, &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = std::fs::read_to_string(d.join("runs/2024/q3/results.jsonl")).expect("rows");
    assert_eq!(rows.lines().count(), 1);
    for report in [
        "reports/csv/r.csv",
        "reports/md/r.md",
        "reports/html/r.html",
    ] {
        let len = std::fs::metadata(d.join(report)).map(|m| m.len());
        assert!(matches!(len, Ok(n) if n > 0), "{report} not written");
    }
    // The created file resumes like any other: the rerun adds no row.
    let again = mockround(d, &args);
    assert_eq!(again.status.code(), Some(0));
    let rows = std::fs::read_to_string(d.join("runs/2024/q3/results.jsonl")).expect("rows");
    assert_eq!(rows.lines().count(), 1, "the rerun duplicated a row");
}

#[test]
fn out_under_a_file_is_a_clear_error_naming_the_path() {
    let dir = setup();
    let d = dir.path();
    std::fs::write(d.join("a.md"), GOOD).expect("w");
    std::fs::write(d.join("taken"), "a file, not a directory").expect("w");
    let out = mockround(d, &["grade", "a.md", "--out", "taken/results.jsonl"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("taken/results.jsonl"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn samples_on_the_offline_backend_warn_and_grade_once_and_zero_samples_is_a_usage_error() {
    let dir = setup();
    let d = dir.path();
    std::fs::write(d.join("a.md"), GOOD).expect("w");
    let out = mockround(d, &["grade", "a.md", "--samples", "3", "--out", "r.jsonl"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--samples 3 has no effect on the offline backend"),
        "{stderr}"
    );
    let rows = std::fs::read_to_string(d.join("r.jsonl")).expect("rows");
    assert!(!rows.contains("judge_samples"), "{rows}");
    let zero = mockround(d, &["grade", "a.md", "--samples", "0"]);
    assert_eq!(zero.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&zero.stderr).contains("--samples must be between 1 and 9"));
}

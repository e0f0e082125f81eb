//! The bad-input corpus (`tests/fixtures/bad/`): hostile or broken config
//! files, rubric directories and command-line arguments, each run through
//! the real binary. Every one must give a clear error naming the input, the
//! documented non-zero exit code, no panic, within a time and memory bound.

mod robust_support;

use std::path::Path;
use std::time::Duration;

use robust_support::{bad, Home, Run};

const LIMIT: Duration = Duration::from_secs(20);

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn expect_fatal(run: &Run, what: &str, code: i32, needles: &[&str]) {
    run.assert_no_panic(what);
    assert_eq!(run.code, Some(code), "{what}: exit code\n{}", run.all());
    let all = run.all();
    for n in needles {
        assert!(
            all.contains(n),
            "{what}: message does not name {n:?}\n{all}"
        );
    }
}

/// Every file under `fixtures/bad/config/` is a config error: exit 2 and a
/// message naming the file (or, for a key file, that file).
#[test]
fn every_bad_config_file_is_a_clear_usage_error() {
    let home = Home::new();
    let dir = bad("config");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("config fixtures")
        .map(|e| e.expect("dir entry").path())
        .collect();
    files.sort();
    assert!(files.len() >= 20, "config corpus shrank to {}", files.len());
    for f in &files {
        let name = file_name(f);
        let cfg = f.to_string_lossy().into_owned();
        let run = home.run(&["--config", &cfg, "doctor"], &[], None, LIMIT);
        let needle = if name == "api_key_file_missing.toml" {
            "/nonexistent/mockround/key".to_string()
        } else {
            name.clone()
        };
        expect_fatal(&run, &name, 2, &[&needle]);
        assert!(
            !run.all().contains("SECRET-998877"),
            "{name}: the error echoes a key\n{}",
            run.all()
        );
    }
}

#[test]
fn config_errors_point_at_the_line() {
    let home = Home::new();
    for (name, line) in [
        ("truncated_string.toml", ":2:"),
        ("unknown_key_typo.toml", ":3:"),
        ("wrong_type_timeouts.toml", ":3:"),
        ("duplicate_key.toml", ":2:"),
    ] {
        let cfg = bad(&format!("config/{name}"))
            .to_string_lossy()
            .into_owned();
        let run = home.run(&["--config", &cfg, "rubrics", "list"], &[], None, LIMIT);
        expect_fatal(&run, name, 2, &[name, line]);
    }
}

#[test]
fn a_config_path_that_is_missing_or_a_directory_is_named() {
    let home = Home::new();
    let missing = home.path().join("nope/config.toml");
    let missing_s = missing.to_string_lossy().into_owned();
    let run = home.run(&["--config", &missing_s, "doctor"], &[], None, LIMIT);
    expect_fatal(&run, "missing config", 2, &["nope/config.toml"]);
    let dir_s = home.path().to_string_lossy().into_owned();
    let run = home.run(&["--config", &dir_s, "doctor"], &[], None, LIMIT);
    expect_fatal(&run, "config is a directory", 2, &[&dir_s]);
}

#[test]
fn huge_unknown_backend_name_is_clipped_in_the_error() {
    let home = Home::new();
    let path = home.path().join("huge.toml");
    let mut text = String::from("default = \"");
    text.push_str(&"x".repeat(20 * 1024 * 1024));
    text.push_str("\"\n");
    std::fs::write(&path, text).expect("write huge config");
    let p = path.to_string_lossy().into_owned();
    let run = home.run(&["--config", &p, "doctor"], &[], None, LIMIT);
    expect_fatal(&run, "20 MB config", 2, &["unknown backend"]);
    assert!(
        run.stderr.len() < 10_000,
        "the error echoes the whole value"
    );
}

/// Every directory under `fixtures/bad/rubric/` fails `rubrics validate`
/// with exit 1 and the file named, and fails to load as `--rubrics` with
/// a non-zero exit.
#[test]
fn every_bad_rubric_dir_fails_validation_naming_the_file() {
    let home = Home::new();
    let mut dirs: Vec<_> = std::fs::read_dir(bad("rubric"))
        .expect("rubric fixtures")
        .map(|e| e.expect("dir entry").path())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 10, "rubric corpus shrank to {}", dirs.len());
    for d in &dirs {
        let name = file_name(d);
        let ds = d.to_string_lossy().into_owned();
        let run = home.run(&["rubrics", "validate", &ds], &[], None, LIMIT);
        expect_fatal(&run, &name, 1, &["problems/"]);
        let run = home.run(&["--rubrics", &ds, "rubrics", "list"], &[], None, LIMIT);
        run.assert_no_panic(&name);
        assert_ne!(
            run.code,
            Some(0),
            "{name}: loaded a broken rubric\n{}",
            run.all()
        );
        assert!(run.all().contains("problems/"), "{name}: {}", run.all());
    }
}

/// A user `concepts.toml` whose cue regex would compile to a huge automaton:
/// refused at load with the pattern named, quickly.
#[test]
fn regex_bomb_in_a_user_rubric_is_refused_by_name() {
    let home = Home::new();
    let dir = home.path().join("rubrics");
    std::fs::create_dir_all(&dir).expect("rubric dir");
    let builtin = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("rubrics/concepts.toml"),
    )
    .expect("builtin concepts");
    let bomb = builtin.replacen("patterns = [", "patterns = ['(?:a{1000}){1000}', ", 1);
    assert_ne!(
        bomb, builtin,
        "the builtin concepts have no patterns to poison"
    );
    std::fs::write(dir.join("concepts.toml"), bomb).expect("write bomb");
    let ds = dir.to_string_lossy().into_owned();
    let run = home.run(&["rubrics", "validate", &ds], &[], None, LIMIT);
    expect_fatal(&run, "regex bomb", 1, &["concepts.toml", "a{1000}"]);
    assert!(
        run.elapsed < Duration::from_secs(10),
        "took {:?}",
        run.elapsed
    );
}

/// A cue that backtracking engines choke on (`(x+x+)+y`) is fine here (the
/// regex crate is linear), and scoring a 2 MB adversarial answer with it
/// stays bounded.
#[test]
fn backtracking_bomb_cue_scores_a_hostile_answer_in_bounded_time() {
    let dir = tempfile::tempdir().expect("temp");
    let builtin = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("rubrics/concepts.toml"),
    )
    .expect("builtin concepts");
    let bomb = builtin.replacen("patterns = [", "patterns = ['(x+x+)+y', '(a|aa)+$', ", 1);
    std::fs::write(dir.path().join("concepts.toml"), bomb).expect("write");
    let rubric = mockround::rubric::Rubric::load(Some(dir.path())).expect("linear regexes load");
    let scorer = mockround::score::Scorer::new(&rubric);
    let answer = format!("{}{}", "x".repeat(1 << 20), "a".repeat(1 << 20));
    let started = std::time::Instant::now();
    let card = scorer.score(rubric.problems.first(), &answer);
    assert!(card.overall <= 100);
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn path_traversal_problem_ids_are_unknown_problems_not_paths() {
    let home = Home::new();
    for id in [
        "../../etc/passwd",
        "/etc/passwd",
        "..",
        "clickstream/../../x",
        "%2e%2e%2f",
    ] {
        let run = home.run(&["rubrics", "show", id], &[], None, LIMIT);
        run.assert_no_panic(id);
        assert_eq!(run.code, Some(2), "{id}: {}", run.all());
        assert!(!run.stdout.contains("root:"), "{id} read a system file");
        let run = home.run(
            &["practice", "--problem", id, "--pace", "fast"],
            &[],
            Some(b"/quit\n"),
            LIMIT,
        );
        run.assert_no_panic(id);
        assert_eq!(run.code, Some(2), "practice --problem {id}: {}", run.all());
    }
    assert!(
        !home.path().join("etc").exists() && !home.data().join("../etc").exists(),
        "a traversal id created a path"
    );
}

#[test]
fn bad_backend_flags_are_usage_errors_naming_the_value() {
    let home = Home::new();
    let cases: [(&[&str], &str); 4] = [
        (&["--backend", "nope", "doctor"], "nope"),
        (
            &[
                "--backend",
                "openai",
                "--base-url",
                "ftp://127.0.0.1/v1",
                "doctor",
            ],
            "ftp://127.0.0.1/v1",
        ),
        (
            &["--backend", "ollama", "--base-url", "http://[::1", "doctor"],
            "[::1",
        ),
        (
            &[
                "--rubrics",
                "/nonexistent/mockround-rubrics",
                "rubrics",
                "list",
            ],
            "/nonexistent/mockround-rubrics",
        ),
    ];
    for (args, needle) in cases {
        let run = home.run(args, &[], None, LIMIT);
        run.assert_no_panic(needle);
        assert_ne!(run.code, Some(0), "{args:?}: {}", run.all());
        assert!(run.all().contains(needle), "{args:?}: {}", run.all());
    }
}

/// A profile naming a key variable that is not set: the 401 the server then
/// gives is reported with the variable's name, so the user knows what to set.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_env_pointing_at_an_unset_variable_is_named() {
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(401).set_body_string("{\"error\":{\"message\":\"no key\"}}"),
        )
        .mount(&server)
        .await;
    let home = Home::new();
    let cfg = home.path().join("config.toml");
    std::fs::write(
        &cfg,
        format!(
            "default = \"local\"\n[backends.local]\nkind = \"openai\"\nbase_url = \"{}/v1\"\napi_key_env = \"MOCKROUND_TEST_UNSET_KEY\"\n",
            server.uri()
        ),
    )
    .expect("write config");
    let cfg_s = cfg.to_string_lossy().into_owned();
    let run = tokio::task::spawn_blocking(move || {
        home.run(&["--config", &cfg_s, "doctor"], &[], None, LIMIT)
    })
    .await
    .expect("join");
    run.assert_no_panic("unset key env");
    assert_eq!(run.code, Some(1), "{}", run.all());
    assert!(
        run.all().contains("MOCKROUND_TEST_UNSET_KEY"),
        "{}",
        run.all()
    );
}

/// Regression: errors about a profile's values named only the profile, not
/// the config file holding it.
#[test]
fn backend_value_errors_name_the_config_file() {
    use mockround::config::{Config, Env, Overrides};
    let cfg = bad("config/temperature_out_of_range.toml");
    let over = Overrides {
        config_path: Some(cfg.clone()),
        ..Overrides::default()
    };
    let err = Config::resolve_with(&over, &Env::default(), None).expect_err("temperature 9.5");
    let text = err.to_string();
    assert!(text.contains("temperature_out_of_range.toml"), "{text}");
    assert!(text.contains("temperature 9.5"), "{text}");
}

fn grade_rows(out: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(out)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("result row is JSON"))
        .collect()
}

/// Every file under `fixtures/bad/answers/` gets result rows, at least one
/// an error naming the file, exit 1 (some inputs failed), and no panic.
#[test]
fn every_bad_answer_file_gets_an_error_row_naming_it() {
    let home = Home::new();
    let mut files: Vec<_> = std::fs::read_dir(bad("answers"))
        .expect("answer fixtures")
        .map(|e| e.expect("dir entry").path())
        .collect();
    files.sort();
    assert!(files.len() >= 15, "answer corpus shrank to {}", files.len());
    for (n, f) in files.iter().enumerate() {
        let name = file_name(f);
        let fs = f.to_string_lossy().into_owned();
        let out = home.path().join(format!("out{n}.jsonl"));
        let os = out.to_string_lossy().into_owned();
        let run = home.run(
            &[
                "--backend",
                "offline",
                "grade",
                &fs,
                "--problem",
                "clickstream",
                "--out",
                &os,
            ],
            &[],
            None,
            LIMIT,
        );
        run.assert_no_panic(&name);
        assert_eq!(run.code, Some(1), "{name}: exit code\n{}", run.all());
        let rows = grade_rows(&out);
        let errors: Vec<_> = rows.iter().filter(|r| r["status"] == "error").collect();
        assert!(!errors.is_empty(), "{name}: no error row\n{}", run.all());
        for r in errors {
            let src = r["source"].as_str().unwrap_or_default();
            assert!(src.contains(&name), "{name}: row source {src:?}");
            assert!(
                !r["error"].as_str().unwrap_or_default().is_empty(),
                "{name}: {r}"
            );
        }
        assert!(!run.all().contains("root:x:0:0"), "{name} read /etc/passwd");
    }
}

/// A 50 MB answer and a 10 MB JSONL line: refused as too large with the
/// input named, quickly, under the memory cap.
#[test]
fn huge_answers_are_refused_by_name_within_bounds() {
    let home = Home::new();
    let big = home.path().join("fifty_mb.md");
    std::fs::write(&big, "Kafka to Flink. ".repeat(50 * 1024 * 1024 / 16)).expect("50 MB answer");
    let line = home.path().join("ten_mb_line.jsonl");
    std::fs::write(
        &line,
        format!(
            "{{\"id\":\"ok\",\"problem\":\"clickstream\",\"answer\":\"Kafka.\"}}\n{{\"id\":\"big\",\"problem\":\"clickstream\",\"answer\":\"{}\"}}\n",
            "x".repeat(10 * 1024 * 1024)
        ),
    )
    .expect("10 MB line");
    for (f, rows_expected) in [(&big, 1), (&line, 2)] {
        let name = file_name(f);
        let fs = f.to_string_lossy().into_owned();
        let out = home.path().join(format!("{name}.out.jsonl"));
        let os = out.to_string_lossy().into_owned();
        let run = home.run(
            &[
                "--backend",
                "offline",
                "grade",
                &fs,
                "--problem",
                "clickstream",
                "--out",
                &os,
            ],
            &[],
            None,
            LIMIT,
        );
        run.assert_no_panic(&name);
        assert_eq!(run.code, Some(1), "{name}\n{}", run.all());
        let rows = grade_rows(&out);
        assert_eq!(rows.len(), rows_expected, "{name}: one row per input");
        let err = rows
            .iter()
            .find(|r| r["status"] == "error")
            .expect("an error row");
        assert!(
            err["source"].as_str().unwrap_or_default().contains(&name),
            "{err}"
        );
        assert!(
            run.elapsed < Duration::from_secs(15),
            "{name} took {:?}",
            run.elapsed
        );
        assert!(
            std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0) < 1024 * 1024,
            "{name}: the row copies the input"
        );
    }
}

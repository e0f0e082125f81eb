//! `mockround rubrics validate` on broken files: every kind of breakage is
//! reported as `file:line:col: message` pointing at the offending line.

use std::path::{Path, PathBuf};

use mockround::rubric::{validate_path, Rubric, RubricError};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rubrics_bad")
        .join(name)
}

/// Validate a fixture dir; expect exactly one error at `line` whose message contains `needle`.
fn expect_one(name: &str, file: &str, line: usize, needle: &str) {
    let errs = validate_path(&fixture(name));
    assert_eq!(errs.len(), 1, "{name}: {errs:#?}");
    let e = &errs[0];
    match e {
        RubricError::At {
            path,
            line: l,
            col,
            message,
        } => {
            assert!(path.ends_with(file), "{name}: path {path}");
            assert_eq!(*l, line, "{name}: {e}");
            assert!(*col >= 1);
            assert!(message.contains(needle), "{name}: {message}");
        }
        other => panic!("{name}: expected a positioned error, got {other}"),
    }
    let shown = e.to_string();
    let prefix = format!("{file}:{line}:");
    assert!(shown.contains(&prefix), "{shown} lacks {prefix}");
}

#[test]
fn a_valid_user_problem_dir_has_no_errors_and_loads_on_top_of_builtin() {
    assert!(validate_path(&fixture("good")).is_empty());
    let r = Rubric::load(Some(&fixture("good"))).expect("loads");
    assert!(r.problem("tiny").is_some());
    assert!(r.problem("clickstream").is_some(), "builtin problems kept");
    let alone = Rubric::load_dir(&fixture("good")).expect("loads alone");
    assert_eq!(alone.problem_ids(), vec!["tiny"]);
}

#[test]
fn a_curveball_that_asks_nothing_is_reported_at_its_table() {
    expect_one(
        "bad-curveball",
        "problems/tiny.toml",
        45,
        "end with a question",
    );
}

#[test]
fn a_brief_need_the_reference_architecture_never_covers_is_reported_at_its_table() {
    expect_one(
        "brief-not-in-reference",
        "problems/tiny.toml",
        49,
        "brief need `live dashboards`: the reference architecture says none",
    );
}

#[test]
fn reports_toml_syntax_errors_with_position() {
    expect_one("toml-syntax", "problems/tiny.toml", 2, "string");
}

#[test]
fn reports_unknown_keys() {
    expect_one(
        "unknown-key",
        "problems/tiny.toml",
        8,
        "unknown field `difficulty`",
    );
}

#[test]
fn reports_missing_fields() {
    expect_one(
        "missing-field",
        "problems/tiny.toml",
        1,
        "missing field `statement`",
    );
}

#[test]
fn reports_wrong_types() {
    expect_one("wrong-type", "concepts.toml", 4, "expected f32");
}

#[test]
fn reports_unknown_enum_values() {
    expect_one(
        "unknown-enum",
        "problems/tiny.toml",
        14,
        "unknown variant `vibes`",
    );
    expect_one(
        "unknown-component-kind",
        "components.toml",
        3,
        "unknown variant `message-thing`",
    );
}

#[test]
fn reports_bad_regexes_at_the_pattern() {
    expect_one("bad-regex", "concepts.toml", 11, "bad regex");
}

#[test]
fn reports_weights_that_do_not_add_up() {
    expect_one(
        "weights-dont-add-up",
        "levels.toml",
        55,
        "must add up to 1.0",
    );
    expect_one("weight-out-of-range", "concepts.toml", 4, "weight 1.58");
}

#[test]
fn reports_duplicate_ids() {
    expect_one(
        "duplicate-concept-id",
        "concepts.toml",
        14,
        "duplicate concept id",
    );
    expect_one(
        "duplicate-problem-id",
        "problems/two.toml",
        1,
        "duplicate problem id `tiny`",
    );
    expect_one(
        "duplicate-failure-mode",
        "problems/tiny.toml",
        30,
        "duplicate failure mode id `a`",
    );
}

#[test]
fn reports_references_to_unknown_concepts() {
    expect_one(
        "unknown-concept",
        "problems/tiny.toml",
        6,
        "idempotence-magic",
    );
}

#[test]
fn reports_incomplete_problems() {
    expect_one(
        "too-few-failure-modes",
        "problems/tiny.toml",
        1,
        "at least 3",
    );
    expect_one(
        "missing-hidden-fact",
        "problems/tiny.toml",
        1,
        "topic = \"consumer\"",
    );
    expect_one("bad-problem-id", "problems/tiny.toml", 1, "kebab-case");
}

#[test]
fn reports_budgets_that_differ_from_the_framework() {
    expect_one("wrong-budget", "framework.toml", 7, "budget is 10 min");
}

#[test]
fn a_single_file_validates_on_its_own() {
    let errs = validate_path(&fixture("unknown-key/problems/tiny.toml"));
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(validate_path(&fixture("good/problems/tiny.toml")).is_empty());
}

#[test]
fn load_fails_with_all_errors_and_no_panic() {
    let err = Rubric::load(Some(&fixture("duplicate-problem-id"))).expect_err("duplicate ids");
    assert!(err.to_string().contains("duplicate problem id"));
    let missing = Rubric::load_dir(&fixture("does-not-exist")).expect_err("no dir");
    assert!(missing.to_string().contains("does-not-exist"));
}

//! The scoring reading ([`Design::scoring_facts_of`]) skips what the scorer
//! does not read; these tests hold it to giving the same scorecards as the
//! full model, on every written answer the project has.

use super::*;
use crate::rubric::Rubric;

/// The verdict gate `id` of `text` scored against `problem`.
fn gate_of(problem: Option<&str>, text: &str, id: &str) -> crate::score::card::GateResult {
    let rubric = Rubric::builtin().expect("builtin rubric loads");
    let scorer = Scorer::new(&rubric);
    let card = scorer.score(problem.and_then(|p| rubric.problem(p)), text);
    card.verdict
        .gates
        .into_iter()
        .find(|g| g.gate == id)
        .unwrap_or_else(|| panic!("no {id} gate"))
}

/// Every fixture answer and calibration answer, with its problem id.
fn answers() -> Vec<(String, Option<String>, String)> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let mut out = Vec::new();
    let Ok(dir) = std::fs::read_dir(format!("{root}/answers")) else {
        return out;
    };
    for f in dir.flatten() {
        let Ok(text) = std::fs::read_to_string(f.path()) else {
            continue;
        };
        let problem = text
            .lines()
            .find_map(|l| l.strip_prefix("problem = "))
            .map(|p| p.trim_matches('"').to_string());
        let body = text
            .split_once("\n+++\n")
            .map_or(text.as_str(), |(_, b)| b)
            .to_string();
        out.push((f.path().display().to_string(), problem, body));
    }
    #[derive(serde::Deserialize)]
    struct Labels {
        answer: Vec<Label>,
    }
    #[derive(serde::Deserialize)]
    struct Label {
        file: String,
        problem: String,
    }
    for set in ["heldout", "tune", "tune2"] {
        let dir = format!("{root}/calibration/{set}");
        let Some(labels) = std::fs::read_to_string(format!("{dir}/labels.toml"))
            .ok()
            .and_then(|t| toml::from_str::<Labels>(&t).ok())
        else {
            continue;
        };
        for l in labels.answer {
            if let Ok(text) = std::fs::read_to_string(format!("{dir}/{}", l.file)) {
                out.push((l.file, Some(l.problem), text));
            }
        }
    }
    out
}

#[test]
fn the_scoring_reading_scores_every_answer_as_the_full_model_does() {
    let rubric = Rubric::builtin().expect("builtin rubric loads");
    let scorer = Scorer::new(&rubric);
    let all = answers();
    assert!(all.len() >= 100, "fixtures found: {}", all.len());
    for (name, problem, text) in all {
        let p = problem.as_deref().and_then(|id| rubric.problem(id));
        let full = scorer.score_design(p, &Design::of_answer(&scorer.reader, &text), None);
        assert_eq!(scorer.score(p, &text), full, "{name}");
        assert_eq!(
            scorer.failure_coverage(&text),
            coverage_of(&scorer.read_answer(&text)),
            "{name}"
        );
    }
}

#[test]
fn the_scoring_reading_leaves_out_what_only_the_interviewer_reads() {
    let rubric = Rubric::builtin().expect("builtin rubric loads");
    let scorer = Scorer::new(&rubric);
    let text = "Why Kafka? I chose Kafka over Kinesis because replay is cheaper. \
                Kafka -> Flink at 200K events/sec, exactly-once. Airflow runs hourly.";
    let full = Design::of_answer(&scorer.reader, text);
    let scoring = Design::scoring_facts_of(&scorer.reader, text);
    assert!(!full.numbers.is_empty() && scoring.numbers.is_empty());
    assert!(!full.choices.is_empty() && scoring.choices.is_empty());
    assert!(!full.questions.is_empty() && scoring.questions.is_empty());
    assert_eq!(full.edges.len(), scoring.edges.len());
    assert_eq!(full.components.len(), scoring.components.len());
}

/// Whether the architecture step's check named with `name` is met.
fn architecture_check(scorer: &Scorer, text: &str, name: &str) -> bool {
    let card = scorer.score(None, text);
    let step = card
        .steps
        .iter()
        .find(|s| s.phase == crate::rubric::Phase::Architecture)
        .expect("an architecture step");
    step.checks
        .iter()
        .find(|c| c.name.contains(name))
        .map(|c| c.met)
        .expect("the check")
}

#[test]
fn control_arrows_need_no_annotation_as_the_interviewer_asks_none() {
    let rubric = Rubric::builtin().expect("builtin rubric loads");
    let scorer = Scorer::new(&rubric);
    // Two data arrows annotated, two orchestrator triggers: every arrow
    // that carries data says what and how much.
    let text = "Airflow -> Spark job\nAirflow -> dbt\n\
                Kafka -> Spark job : Avro, 50K events/s\n\
                Spark job -> Snowflake : Parquet, 2 TB/day\n";
    assert!(architecture_check(&scorer, text, "annotated"));
    // Data arrows left bare still fail it.
    let text =
        "Kafka -> Spark job : Avro, 50K events/s\nSpark job -> Snowflake\nSnowflake -> Redis\n";
    assert!(!architecture_check(&scorer, text, "annotated"));
}

#[test]
fn the_source_layer_is_where_data_enters_and_a_written_database_serves() {
    let rubric = Rubric::builtin().expect("builtin rubric loads");
    let scorer = Scorer::new(&rubric);
    // "web/mobile" is a generic name, yet it is where the events enter.
    let text = "web/mobile -> Kafka -> Flink -> S3\nFlink -> Redis\n";
    assert!(architecture_check(&scorer, text, "covers source"));
    // A check-results Postgres written by the checks serves them; the load
    // job is the ingest; the flow starts at the load.
    let text = "Spark load -> Iceberg : Parquet, 3 TB/day\n\
                Iceberg -> Great Expectations : new partition\n\
                Great Expectations -> Postgres results store : check results\n\
                Postgres results store -> PagerDuty : tier 1 failures\n";
    assert!(architecture_check(&scorer, text, "covers source"));
    // Kafka into Flink into S3 alone has no source and no serving.
    assert!(!architecture_check(
        &scorer,
        "Kafka -> Flink -> S3\n",
        "covers source"
    ));
}

#[test]
fn the_cost_reason_quotes_the_priced_decision_when_one_was_said() {
    let text = "Checks run on a shared Spark pool with spot nodes to stay inside the budget. \
                The platform's share is 1% of warehouse spend, which is $30K a year, so checks \
                only ever read the new partition.";
    let gate = gate_of(None, text, "cost");
    assert!(gate.passed, "{gate:?}");
    assert!(gate.because.contains("$30K a year"), "{}", gate.because);
}

#[test]
fn cost_reasoning_without_a_price_is_named_in_the_failed_gate_and_its_advice() {
    let text = "Maybe 200 queries an hour from dashboards, each scanning a few GB thanks to \
                partition pruning on the event date.";
    let gate = gate_of(Some("cdc-lakehouse"), text, "cost");
    assert!(!gate.passed, "{gate:?}");
    assert!(
        gate.because.contains("partition pruning"),
        "{}",
        gate.because
    );
    let to_pass = gate.to_pass.as_deref().unwrap_or_default();
    assert!(to_pass.starts_with("Price that cost decision"), "{to_pass}");
    assert!(!to_pass.contains("partition pruning"), "{to_pass}");
}

#[test]
fn the_safe_write_reason_names_its_sink_once() {
    let text = "Kafka cdc topics -> Flink : Avro, 20K/s\n\
                Flink -> Iceberg on S3 : MERGE batches every 5 min, ~20 MB/s\n\n\
                Flink keeps only the latest change per key by LSN and runs a MERGE into the \
                Iceberg table on order_id, so a replay after a restart changes nothing.";
    let gate = gate_of(Some("cdc-lakehouse"), text, "idempotency");
    assert!(
        gate.because.starts_with("Makes the writes safe to retry"),
        "{}",
        gate.because
    );
    // The reason before its quote: the mechanism and its sink, once.
    let reason = gate.because.split(" (\"").next().unwrap_or_default();
    assert_eq!(reason.matches("Iceberg").count(), 1, "{}", gate.because);
}

#[test]
fn one_priced_point_below_the_cost_bar_asks_for_another_priced_decision() {
    let text = "About $3K a month: Flink is the biggest piece, then Kafka; S3 is only \
                450 GB so it's a few dollars.";
    let gate = gate_of(Some("clickstream"), text, "cost");
    assert!(!gate.passed, "{gate:?}");
    assert!(
        gate.because.starts_with("One priced point"),
        "{}",
        gate.because
    );
    assert!(gate.because.contains("$3K a month"), "{}", gate.because);
    let to_pass = gate.to_pass.as_deref().unwrap_or_default();
    assert!(
        to_pass.starts_with("Back another cost decision with a figure"),
        "{to_pass}"
    );
}

#[test]
fn the_annotation_reason_quotes_the_answer_that_annotated_the_arrow() {
    let rubric = Rubric::builtin().expect("builtin rubric loads");
    let scorer = Scorer::new(&rubric);
    let mut d = Design::new();
    d.add_turn(&scorer.reader, "airflow -> spark -> snowflake", None, None);
    let edge = d
        .edges
        .iter()
        .position(|e| d.components[e.to].name == "snowflake")
        .expect("the arrow into snowflake");
    d.read_answer(
        &scorer.reader,
        "the fixed attribution tables, maybe a few gb a day",
        None,
        crate::design::Asked {
            edge: Some(edge),
            ..Default::default()
        },
    );
    let card = scorer.score_session(
        rubric.problem("year-backfill"),
        &d,
        &crate::score::card::SessionFacts::default(),
    );
    let gate = card
        .verdict
        .gates
        .iter()
        .find(|g| g.gate == "annotated")
        .expect("the annotation gate");
    assert!(gate.because.contains("a few gb"), "{}", gate.because);
}

/// In a round, failure coverage is quoted from the failure phase: a write
/// narrated in the data flow ("upserts the row … keyed by") is not how the
/// design recovers when a TaskManager dies.
#[test]
fn a_round_quotes_failure_coverage_from_the_failure_phase() {
    use crate::design::{Asked, Design};
    use crate::rubric::Phase;
    let rubric = Rubric::builtin().expect("builtin rubric loads");
    let scorer = Scorer::new(&rubric);
    let mut d = Design::new();
    d.read_answer(
        scorer.reader(),
        "Flink reads it and on the hour it upserts the row into Postgres keyed by (experiment, variant, hour), so a replay after a restart overwrites rather than adds.",
        Some(Phase::DataFlow),
        Asked::default(),
    );
    d.read_answer(
        scorer.reader(),
        "The JobManager restarts the job from the last completed checkpoint and replays from the Kafka offsets stored in it. The on-call is paged when the newest Postgres row is older than 5 minutes.",
        Some(Phase::FailureModes),
        Asked::default(),
    );
    let cov = coverage_of(&d);
    let recover = cov.recover.first().map(|e| e.quote.as_str()).unwrap_or("");
    assert!(recover.contains("last completed checkpoint"), "{recover}");
}

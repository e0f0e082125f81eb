//! The debrief reports what the candidate said, not what the model folded
//! away: a product named as a box's table format counts as named.

use std::sync::Arc;

use mockround::interview::clock::Pace;
use mockround::interview::debrief;
use mockround::interview::session::{Input, Session};
use mockround::interview::templates::Templates;
use mockround::rubric::{Phase, Rubric};
use mockround::score::Scorer;

/// A round of `problem` on the offline interviewer, opened and untimed.
fn start(problem: &str) -> (Session, Scorer) {
    let rubric = Rubric::builtin().expect("rubric");
    let p = rubric.problem(problem).expect("problem").clone();
    let mut s = Session::new(p, Arc::new(Templates::builtin()), Pace::Untimed, 1);
    s.open(0);
    (s, Scorer::new(&rubric))
}

#[test]
fn a_table_format_named_on_the_object_store_box_is_not_reported_as_missing() {
    let (mut s, scorer) = start("cdc-lakehouse");
    assert!(
        s.problem()
            .expected_components
            .iter()
            .any(|c| c == "Iceberg"),
        "the reference has Iceberg"
    );
    let mut now = 0;
    for text in [
        "How many tables, what peak change rate, how fresh, and do deletes propagate?",
        "Postgres -> Debezium : WAL changes, 20K/s\nDebezium -> MSK : Avro, 20 MB/s\n\
         MSK -> Flink : Avro, 20K/s\nFlink -> S3 (Iceberg) : Parquet, MERGE by primary key",
        "Flink MERGEs into the Iceberg table every 5 minutes by primary key.",
    ] {
        now += 30_000;
        s.handle(Input::Answer(text.to_string()), now, &scorer);
    }
    let d = debrief::build(&s, &scorer, "t", now);
    assert!(
        !d.missed_components.iter().any(|c| c == "Iceberg"),
        "missed: {:?}",
        d.missed_components
    );
    assert!(
        d.named_components.iter().any(|c| c == "Iceberg"),
        "named: {:?}",
        d.named_components
    );
    // A product a box already shows is not listed again ("MSK", "S3").
    let mut seen: Vec<String> = d
        .named_components
        .iter()
        .map(|c| c.to_ascii_lowercase())
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(
        seen.len(),
        d.named_components.len(),
        "{:?}",
        d.named_components
    );
    // What was never said is still reported.
    assert!(
        d.missed_components.iter().any(|c| c == "Airflow"),
        "missed: {:?}",
        d.missed_components
    );
}

/// A vague box named in an answer ("DB", then "postgres I guess") is the
/// product from then on: the debrief names Postgres once and does not call
/// the box vague.
#[test]
fn a_vague_box_named_in_an_answer_is_listed_once_by_its_product() {
    let (mut s, scorer) = start("search-indexing");
    let mut now = 0;
    for text in [
        "How many listing changes per second at peak, and how fresh must search be?",
        "DB -> MSK -> Flink -> Elasticsearch",
        "postgres I guess, it's what the listings service already uses",
    ] {
        now += 30_000;
        s.handle(Input::Answer(text.to_string()), now, &scorer);
        if s.phase() == Phase::Clarify {
            now += 1_000;
            s.handle(Input::Next, now, &scorer);
        }
    }
    let box_ = s
        .design()
        .components
        .iter()
        .find(|c| c.drawn && c.name == "Postgres")
        .expect("the DB box is Postgres now");
    assert!(!box_.vague);
    let d = debrief::build(&s, &scorer, "t", now);
    let postgres = d
        .named_components
        .iter()
        .filter(|c| c.eq_ignore_ascii_case("postgres"))
        .count();
    assert_eq!(postgres, 1, "named: {:?}", d.named_components);
    assert!(
        !d.named_components.iter().any(|c| c == "DB"),
        "{:?}",
        d.named_components
    );
}

#[test]
fn what_the_brief_asks_for_and_the_design_never_covers_is_named_in_the_debrief() {
    let (mut s, scorer) = start("clickstream");
    let mut now = 0;
    for text in [
        "What's the peak event rate, how fresh must the dashboards be, and who reads them?",
        "SDK -> Kafka : JSON events, 200K/s\nKafka -> Flink : Avro, 200K/s\n\
         Flink -> S3 : Parquet, 5 TB/day",
    ] {
        now += 30_000;
        s.handle(Input::Answer(text.to_string()), now, &scorer);
    }
    let d = debrief::build(&s, &scorer, "t", now);
    assert_eq!(
        d.brief_missed,
        vec![
            "live per-user session dashboards".to_string(),
            "session facts in the warehouse for the analytics team".to_string()
        ]
    );
    assert!(d.to_markdown().contains(
        "The brief asked for, and your design never covered: live per-user session dashboards"
    ));
    // Served later in the round: no longer missed.
    now += 30_000;
    s.handle(
        Input::Answer("Flink also upserts each open session into Redis for the live dashboard, and S3 loads into Snowflake hourly.".into()),
        now,
        &scorer,
    );
    let d = debrief::build(&s, &scorer, "t", now);
    assert!(d.brief_missed.is_empty(), "{:?}", d.brief_missed);
}

/// A format the reference lists ("Parquet") said in prose is mentioned,
/// though the design model keeps no box for it.
#[test]
fn a_format_said_in_prose_is_not_reported_as_missing() {
    let (mut s, scorer) = start("log-analytics");
    assert!(
        s.problem()
            .expected_components
            .iter()
            .any(|c| c == "Parquet"),
        "the reference has Parquet"
    );
    let mut now = 0;
    for text in [
        "What's the peak volume, how fast must a line be searchable, and who reads it?",
        "Fluent Bit -> Kafka : JSON lines, 10M/s\nKafka -> Flink : 5 GB/s\n\
         Flink -> ClickHouse : parsed rows, 14 days\nFlink -> S3 : 500 MB/s",
        "The S3 copy is written as Parquet files, partitioned by date and service.",
    ] {
        now += 30_000;
        s.handle(Input::Answer(text.to_string()), now, &scorer);
    }
    let d = debrief::build(&s, &scorer, "t", now);
    assert!(
        !d.missed_components.iter().any(|c| c == "Parquet"),
        "missed: {:?}",
        d.missed_components
    );
}

/// Kinesis in place of the reference's Kafka, Redshift in place of its
/// Snowflake: that is the candidate's choice of product, not a part left
/// out. A part of a kind they never built (no scheduler) is still listed.
#[test]
fn the_references_product_is_not_missing_where_the_candidate_built_that_part() {
    let (mut s, scorer) = start("clickstream");
    let mut now = 0;
    for text in [
        "How many events a second at peak, how fresh must the dashboards be, and who reads the warehouse?",
        "Web SDK -> Kinesis Data Streams : JSON, 200K/s\nKinesis Data Streams -> Spark Structured Streaming : 200K/s\nSpark Structured Streaming -> Redshift : session facts, 5K rows/s",
    ] {
        now += 30_000;
        s.handle(Input::Answer(text.to_string()), now, &scorer);
    }
    let d = debrief::build(&s, &scorer, "t", now);
    for theirs_instead in ["Kafka", "Flink", "Snowflake"] {
        assert!(
            !d.missed_components.iter().any(|c| c == theirs_instead),
            "{theirs_instead}: {:?}",
            d.missed_components
        );
    }
    assert!(
        d.missed_components.iter().any(|c| c == "Airflow"),
        "{:?}",
        d.missed_components
    );
}

/// An Oracle source is the design's OLTP database, as Postgres is the
/// reference's: the debrief does not list Postgres as missed.
#[test]
fn an_oracle_source_is_the_designs_database() {
    let (mut s, scorer) = start("cdc-lakehouse");
    let mut now = 0;
    for text in [
        "How many tables, what peak change rate, how fresh, and do deletes propagate?",
        "Oracle -> Debezium : redo log via LogMiner, 20K changes/s\nDebezium -> Kafka : Avro, 20 MB/s\nKafka -> Spark Structured Streaming : 20K/s\nSpark Structured Streaming -> Iceberg on S3 : MERGE on pk\nIceberg on S3 -> Teradata : nightly load",
    ] {
        now += 30_000;
        s.handle(Input::Answer(text.to_string()), now, &scorer);
    }
    let d = debrief::build(&s, &scorer, "t", now);
    assert!(
        !d.missed_components.iter().any(|c| c == "Postgres"),
        "{:?}",
        d.missed_components
    );
}

//! Arrows written inside prose: where the box before the arrow starts.

use super::parse;
use super::tests::{edge, has, names};

#[test]
fn a_box_named_after_a_semicolon_starts_after_it() {
    let text = "Small: about 5K user_ids a day times the tables each user appears in, so tens of \
                thousands of (user_id, table) rows a day; Postgres ledger -> Spark deleter is a \
                few MB a day.";
    let d = parse(text);
    assert_eq!(
        names(&d).first().copied(),
        Some("Postgres ledger"),
        "{:?}",
        names(&d)
    );
    assert!(!names(&d).iter().any(|n| n.contains("thousands")));
    // A semicolon inside a note is the note's.
    let d = parse("Kafka (orders; 200K/s) -> Flink");
    assert_eq!(names(&d), ["Kafka", "Flink"]);
}

#[test]
fn chains_a_semicolon_apart_are_read_one_by_one() {
    let text = "They're all there now: portal -> Kafka 5K requests a day; Kafka -> ledger about \
                20M rows a day; ledger -> deleter a few MB a day; deleter -> Iceberg about 200 TB \
                rewritten a week.";
    let d = parse(text);
    assert_eq!(
        names(&d),
        ["portal", "Kafka", "ledger", "deleter", "Iceberg"]
    );
    assert!(has(&d, "deleter", "Iceberg") && has(&d, "ledger", "deleter"));
    // A semicolon in a label is the label's.
    let d = parse("Kafka -> Flink : Avro; 200K/s");
    assert_eq!(names(&d), ["Kafka", "Flink"]);
    assert!(edge(&d, "Kafka", "Flink").label.is_some());
}

#[test]
fn steps_in_parentheses_inside_a_sentence_are_no_boxes() {
    let text = "Migration progress is tracked per topic on a dashboard (draft → consumers ready → \
                producer flipped → enforced), with the billing topics first.";
    let d = parse(text);
    assert!(d.nodes.is_empty(), "{:?}", names(&d));
    assert!(d.edges.is_empty());
    // Products in the parentheses are an architecture said in passing.
    let d = parse("Events take the usual path (Kafka → Flink → S3) before anyone reads them.");
    assert!(has(&d, "Flink", "S3"), "{:?}", names(&d));
}

#[test]
fn chains_a_sentence_apart_are_read_one_by_one() {
    let text = "SDK -> API Gateway -> Kinesis (JSON, 200K/s) -> Spark -> Redshift (session facts, \
                every minute). Kinesis -> Firehose -> S3 raw (Parquet, 5 TB/day). Redshift -> \
                QuickSight.";
    let d = parse(text);
    assert!(has(&d, "Kinesis", "Firehose"), "{:?}", d.edges);
    assert!(has(&d, "Redshift", "QuickSight"), "{:?}", d.edges);
    assert!(!has(&d, "Redshift", "Firehose") && !has(&d, "S3 raw", "QuickSight"));
    // A decimal point or an abbreviation's stop ends no sentence.
    let d = parse("Kafka -> Flink: approx. 200K/s -> S3, e.g. 1.5 TB/day -> Trino");
    assert!(
        has(&d, "Flink", "S3") && has(&d, "S3", "Trino"),
        "{:?}",
        d.edges
    );
}

#[test]
fn a_first_box_said_as_taken_from_a_product_is_the_product() {
    let d = parse("Ratings hourly from Snowflake -> Spark -> Elasticsearch");
    assert!(has(&d, "Snowflake", "Spark"), "{:?}", names(&d));
    // A name that is not taken from the product keeps its words.
    let d = parse("Postgres ledger -> Spark");
    assert_eq!(names(&d).first().copied(), Some("Postgres ledger"));
}

#[test]
fn words_after_a_product_that_say_how_it_is_written_are_not_its_name() {
    let d = parse("Snowflake -> Spark -> Elasticsearch partial updates");
    assert!(has(&d, "Spark", "Elasticsearch"), "{:?}", names(&d));
    let d = parse("Flink -> Redis upserts");
    assert!(has(&d, "Flink", "Redis"), "{:?}", names(&d));
    // A name of its own stays whole.
    let d = parse("S3 raw -> Snowflake fact_session");
    assert!(
        has(&d, "S3 raw", "Snowflake fact_session"),
        "{:?}",
        names(&d)
    );
}

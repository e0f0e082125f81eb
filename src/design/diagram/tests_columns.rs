//! Diagrams that fork into side-by-side columns, with boxes or without.

use super::parse;
use super::tests::{edge, has, names, spans_are_real};
use super::Diagram;

/// The diagram draws exactly these hops, `(from, to)` by box name.
fn only_hops(d: &Diagram, hops: &[(&str, &str)]) {
    for (a, b) in hops {
        assert!(has(d, a, b), "no {a} -> {b}: {:?} {:#?}", names(d), d.edges);
    }
    assert_eq!(d.edges.len(), hops.len(), "{:#?}", d.edges);
}

#[test]
fn a_line_forked_into_two_columns_feeds_both_and_each_column_reads_on() {
    let text = "
```
Mobile / web clients
        │
        ▼
API Gateway (Kong)
        │
        ▼
Kafka (clickstream topic, 48 partitions)
        │
        ├───────────────────────┐
        ▼                       ▼
Flink (sessionisation)     S3 raw zone (Parquet)
        │                       │  hourly
        ▼                       ▼
Redis (live counters)      Snowflake (daily marts)
```
";
    let d = parse(text);
    spans_are_real(text, &d);
    only_hops(
        &d,
        &[
            ("Mobile / web clients", "API Gateway"),
            ("API Gateway", "Kafka"),
            ("Kafka", "Flink"),
            ("Kafka", "S3 raw zone"),
            ("Flink", "Redis"),
            ("S3 raw zone", "Snowflake"),
        ],
    );
    assert_eq!(
        edge(&d, "S3 raw zone", "Snowflake").label.as_deref(),
        Some("hourly")
    );
    assert_eq!(edge(&d, "Flink", "Redis").label, None);
}

#[test]
fn a_tee_fork_and_a_merge_join_the_columns_they_draw() {
    let text = "
            Postgres (orders)
                  │  Debezium CDC
                  ▼
               Kafka
                  │
         ┌────────┴────────┐
         ▼                 ▼
   Flink enrich       S3 bronze
         │                 │
         └────────┬────────┘
                  ▼
             Snowflake
";
    let d = parse(text);
    spans_are_real(text, &d);
    only_hops(
        &d,
        &[
            ("Postgres", "Kafka"),
            ("Kafka", "Flink enrich"),
            ("Kafka", "S3 bronze"),
            ("Flink enrich", "Snowflake"),
            ("S3 bronze", "Snowflake"),
        ],
    );
    assert_eq!(
        edge(&d, "Postgres", "Kafka").label.as_deref(),
        Some("Debezium CDC")
    );
}

#[test]
fn an_ascii_fork_drawn_with_plus_and_dashes_feeds_both_columns() {
    let text = "
      Kafka
        |
   +----+-----+
   |          |
   v          v
 Flink       S3
";
    let d = parse(text);
    spans_are_real(text, &d);
    assert!(has(&d, "Kafka", "Flink"), "{:?} {:#?}", names(&d), d.edges);
    assert!(has(&d, "Kafka", "S3"), "{:?} {:#?}", names(&d), d.edges);
    assert_eq!(d.edges.len(), 2);
}

#[test]
fn a_single_column_with_no_fork_is_still_read_line_by_line() {
    // The column reader leaves a plain chain (and its labels) alone.
    let text = "Kafka\n  │  avro, 10k/s\n  ▼\nFlink\n  │\n  ▼\nRedis\n";
    let d = parse(text);
    assert!(
        has(&d, "Kafka", "Flink") && has(&d, "Flink", "Redis"),
        "{d:#?}"
    );
    assert_eq!(d.edges[0].volume.as_deref(), Some("10k/s"));
}

#[test]
fn a_line_forked_between_boxes_links_the_box_above_to_both_below() {
    let text = "
┌────────────────┐
│ Apache Kafka   │
│ (events topic) │
└───────┬────────┘
        │
  ┌─────┼──────────────┐
  ▼                    ▼
┌──────────────┐  ┌──────────────┐
│ Flink        │  │ Kafka Connect│
└──────────────┘  └──────────────┘
";
    let d = parse(text);
    spans_are_real(text, &d);
    assert!(
        has(&d, "Apache Kafka", "Flink"),
        "{:?} {:#?}",
        names(&d),
        d.edges
    );
    assert!(
        has(&d, "Apache Kafka", "Kafka Connect"),
        "{:?} {:#?}",
        names(&d),
        d.edges
    );
    assert_eq!(d.edges.len(), 2);
}

#[test]
fn a_markdown_table_beside_a_forked_diagram_is_not_read_as_columns() {
    let text = "
| Layer | Choice |
|---|---|
| Ingestion | Kafka |
| Processing | Flink |

Kafka
  │
  ├──────┐
  ▼      ▼
Flink    S3
";
    let d = parse(text);
    assert!(
        has(&d, "Kafka", "Flink") && has(&d, "Kafka", "S3"),
        "{d:#?}"
    );
    assert_eq!(d.edges.len(), 2, "{:#?}", d.edges);
}
#[test]
fn a_note_that_runs_onto_the_next_row_belongs_to_the_name_above_it() {
    let text = "
Web / iOS / Android SDK
        │  HTTPS, batched JSON
        ▼
Kafka (clicks topic, 64 partitions)
        │
        ├──────────────────────────────┐
        ▼                              ▼
Flink (dedupe on event_id,        S3 raw zone (Parquet,
 30-min session windows)           dt/hour partitions)
        │  upserts by session_id       │  hourly
        ▼                              ▼
ClickHouse (live dashboards)      Snowflake (fact_session)
";
    let d = parse(text);
    spans_are_real(text, &d);
    only_hops(
        &d,
        &[
            ("Web / iOS / Android SDK", "Kafka"),
            ("Kafka", "Flink"),
            ("Kafka", "S3 raw zone"),
            ("Flink", "ClickHouse"),
            ("S3 raw zone", "Snowflake"),
        ],
    );
    let label = |a, b| edge(&d, a, b).label.as_deref();
    assert_eq!(label("Flink", "ClickHouse"), Some("upserts by session_id"));
    assert_eq!(label("S3 raw zone", "Snowflake"), Some("hourly"));
}

#[test]
fn a_head_above_the_topmost_box_is_no_fork_and_no_panic() {
    // The fuzz case: nothing above the first box for a line to leave from.
    let text = "intro\n ▼\n┌───┐  ┌───┐\n│ A │  │ B │\n└───┘  └───┘\n";
    let d = parse(text);
    spans_are_real(text, &d);
    assert!(d.edges.is_empty(), "{:#?}", d.edges);
}

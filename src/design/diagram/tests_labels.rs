//! Arrow labels glued to the dashes (`A --MQTT, JSON--> B`) or written
//! under a box diagram's arrow, and boxes drawn by hand: a right border a
//! column off, a fork down to names with no box around them.

use super::parse;
use super::tests::{edge, names, spans_are_real};

#[test]
fn a_label_glued_to_the_dashes_annotates_its_arrow() {
    let text = "devices --MQTT, JSON, 2M msgs/s--> AWS IoT Core --> Kinesis\nKinesis --JSON, 4 MB/s--> Flink (threshold alerts, 1-min aggregates)\nKinesis --Firehose, Parquet, 350 GB/day--> S3 --> Athena";
    let d = parse(text);
    let boxes = names(&d);
    // The label is not part of a box's name.
    assert!(boxes.iter().all(|n| !n.contains("--")), "{boxes:?}");
    let e = edge(&d, "devices", "AWS IoT Core");
    assert_eq!(e.format.as_deref(), Some("json"));
    assert_eq!(e.volume.as_deref(), Some("2M msgs/s"));
    assert_eq!(
        edge(&d, "Kinesis", "Flink").volume.as_deref(),
        Some("4 MB/s")
    );
    assert_eq!(edge(&d, "Kinesis", "S3").format.as_deref(), Some("parquet"));
    spans_are_real(text, &d);
}

const HAND_DRAWN: &str = r#"    +----------------+   Debezium CDC    +-----------+      +-------------------------+
    | Ledger (PG)    | ----------------> | Kafka     | ---> | S3 raw/ledger/          |
    | double-entry   |   ~60 rows/s avg  | Avro + SR |      | dt=YYYY-MM-DD (immut.)  |
    +----------------+                   +-----------+      +-------------------------+
                                                                        |
    +----------------+   SFTP / API pull +-------------------------+    |
    | Banks (40 acc) | ----------------> | S3 raw/statements/      |    |
    | Processors (6) |   ~2 GB/day       | source=/stmt_date=/     |    |
    +----------------+   sha256 on land  | file_sha256=  (immut.)  |    |
                                         +-------------------------+    |
                                                     |                  |
                                                     v                  v
                                   +-------------------------------------------+
                                   | Airflow DAG per (source, statement_date)   |
                                   |  1. parse (versioned parser per source)    |
                                   |  2. validate control totals (GE)           |
                                   |  3. normalise -> Iceberg statement_lines   |
                                   |  4. Spark match job                        |
                                   |  5. MERGE into Snowflake                   |
                                   +-------------------------------------------+
                                                     |
                              +----------------------+----------------------+
                              v                                             v
                 Snowflake recon.matches / recon.breaks        exceptions UI (finance ops)
                 month_end package (versioned by run_id)       + 08:00 report"#;

#[test]
fn a_hand_drawn_box_diagram_reads_every_box_arrow_and_label() {
    let d = parse(HAND_DRAWN);
    let boxes = names(&d);
    for want in [
        "Ledger",
        "Kafka",
        "Banks",
        "Airflow DAG",
        "Snowflake recon.matches / recon.breaks",
        "exceptions UI",
    ] {
        assert!(boxes.contains(&want), "{want}: {boxes:?}");
    }
    // The label over the arrow and the rate under it.
    let e = edge(&d, "Ledger", "Kafka");
    assert_eq!(e.label.as_deref(), Some("Debezium CDC"));
    assert_eq!(e.volume.as_deref(), Some("60 rows/s"));
    assert_eq!(
        edge(&d, "Banks", "S3 raw/statements/").volume.as_deref(),
        Some("2 GB/day")
    );
    // Down into the box whose right border is a column off, and out of it
    // through the fork.
    edge(&d, "S3 raw/statements/", "Airflow DAG");
    edge(&d, "S3 raw/ledger/", "Airflow DAG");
    edge(&d, "Airflow DAG", "exceptions UI");
    // The steps inside the box are its note, not arrows of their own.
    assert!(boxes.iter().all(|n| !n.contains("normalise")), "{boxes:?}");
    spans_are_real(HAND_DRAWN, &d);
}

const WANDERING: &str = r#" ┌────────────────┐   CDC / WMS outbound events     ┌──────────────────────────────┐
 │ WMS (x3 vendors)│ ──────────────────────────────▶ │ Kafka  stock.movements        │
 └────────────────┘                                 │ key = sku|location, 96 parts │
 ┌────────────────┐   till gateway (buffered)       │ Avro, movement_id + loc_seq   │
 │ Store tills     │ ──────────────────────────────▶ │                              │
 └────────────────┘                                 └──────────────┬───────────────┘
 ┌────────────────┐   reserve/release/commit events ┌──────────────▼───────────────┐
 │ Order system    │ ──────────────────────────────▶ │ Flink: inventory-state        │
 └────────────────┘     (key = sku|location)        │  on_hand, reserved per key   │
                                                    │  ATS = on_hand - reserved     │
                                                    │        - safety(location)     │
                                                    └───────┬──────────────┬───────┘
                                                            │              │
                                     upsert (sku,loc) w/ ver│              │ ats.changes topic
                                                            ▼              ▼
                                      ┌─────────────────────────┐   ┌─────────────────────┐
                                      │ DynamoDB ats_by_location │   │ S3 / lake (history,  │
                                      │ + ats_by_sku (rollup)     │   │ reconciliation)      │
                                      └─────────┬───────────────┘   └─────────────────────┘
                                                │
                           ┌────────────────────┴─────────────────────┐
                           ▼                                          ▼
              website (read via cache, 5 s TTL)          order system: reserve =
                                                          conditional update on DynamoDB
                                                          (ats >= qty) in the request path"#;

/// A box drawn a column wide pushes the borders right of it on that row;
/// two boxes joined on their border rows (`┬` over `▼`) are one hop; a
/// label left of a vertical line is its label.
#[test]
fn wandering_borders_and_joined_boxes_are_read() {
    let d = parse(WANDERING);
    edge(&d, "WMS", "Kafka  stock.movements");
    edge(&d, "Store tills", "Kafka  stock.movements");
    edge(&d, "Kafka  stock.movements", "Flink");
    let e = edge(&d, "Flink", "DynamoDB ats_by_location");
    assert_eq!(e.label.as_deref(), Some("upsert (sku,loc) w/ ver"));
    spans_are_real(WANDERING, &d);
}

#[test]
fn an_arrow_inside_a_boxs_note_says_how_the_box_works_not_another_hop() {
    let text = "Kafka -> VictoriaMetrics cluster (vminsert -> vmstorage, 15 days raw)\nKafka -> Flink (5-min rollups) -> S3 Parquet (13 months)";
    let d = parse(text);
    let boxes = names(&d);
    assert!(
        boxes
            .iter()
            .all(|n| !n.contains("vminsert") && !n.contains("vmstorage")),
        "{boxes:?}"
    );
    let e = edge(&d, "Kafka", "VictoriaMetrics cluster");
    assert_eq!(d.edges.len(), 3, "{:#?}", d.edges);
    assert!(e.to < d.nodes.len());
    let vm = &d.nodes[e.to];
    assert!(
        vm.note
            .as_ref()
            .is_some_and(|n| n.quote.contains("vmstorage")),
        "{vm:#?}"
    );
    edge(&d, "Flink", "S3 Parquet");
    spans_are_real(text, &d);
    // Nor are a lake's layers, but alerts sent on to a real product are.
    let d = parse("Flink -> Delta Lake (bronze → silver → gold) → Databricks SQL");
    assert_eq!(names(&d), ["Flink", "Delta Lake", "Databricks SQL"]);
    let d = parse("Kibana\n  -> ElastAlert (error-rate alerts -> Slack / PagerDuty)");
    assert!(d.edges.len() >= 2, "{:?}", names(&d));
    // A flow written wholly in brackets is still a flow.
    let d = parse("(Kafka -> Flink -> S3)");
    assert_eq!(d.edges.len(), 2, "{:#?}", names(&d));
}

use super::*;

const SEED: &str = "producer (web/mobile) -> Kafka (200K events/sec, 100 partitions, key=user_id)
   -> Flink (stateful, EXACTLY_ONCE, 24h state TTL,
             sessionize 30-min gap, dedupe by event_id)
        -> S3 5-min parquet files (event-time partitioned)
        -> Materialize (real-time fact_session_open)
   Spark hourly batch:
        S3 raw -> S3 silver -> Snowflake fact_session
";

pub(super) fn names(d: &Diagram) -> Vec<&str> {
    d.nodes.iter().map(|n| n.name.as_str()).collect()
}

pub(super) fn has(d: &Diagram, a: &str, b: &str) -> bool {
    let i = |n: &str| d.nodes.iter().position(|x| x.name == n);
    match (i(a), i(b)) {
        (Some(x), Some(y)) => d.edges.iter().any(|e| e.from == x && e.to == y),
        _ => false,
    }
}

pub(super) fn edge<'d>(d: &'d Diagram, a: &str, b: &str) -> &'d DiagramEdge {
    let i = |n: &str| d.nodes.iter().position(|x| x.name == n).expect(n);
    let (x, y) = (i(a), i(b));
    d.edges
        .iter()
        .find(|e| e.from == x && e.to == y)
        .unwrap_or_else(|| panic!("no edge {a} -> {b} in {d:#?}"))
}

/// Every span is real: the quote is exactly the text at its offsets.
pub(super) fn spans_are_real(text: &str, d: &Diagram) {
    for n in &d.nodes {
        assert_eq!(&text[n.evidence.start..n.evidence.end], n.evidence.quote);
        if let Some(note) = &n.note {
            assert_eq!(&text[note.start..note.end], note.quote);
        }
    }
    for e in &d.edges {
        assert_eq!(&text[e.evidence.start..e.evidence.end], e.evidence.quote);
        assert!(e.from < d.nodes.len() && e.to < d.nodes.len());
        if let Some(l) = &e.label_span {
            assert_eq!(&text[l.start..l.end], l.quote);
        }
    }
}

#[test]
fn parses_the_seed_clickstream_diagram_with_branches() {
    let d = parse(SEED);
    let n = names(&d);
    assert!(n.contains(&"Kafka"), "{n:?}");
    assert!(has(&d, "producer", "Kafka"));
    assert!(has(&d, "Kafka", "Flink"));
    assert!(has(&d, "Flink", "S3 5-min parquet files"));
    assert!(has(&d, "Flink", "Materialize"));
    assert!(has(&d, "S3 raw", "S3 silver"));
    // Kafka's note annotates its outgoing hop.
    assert_eq!(
        edge(&d, "Kafka", "Flink").volume.as_deref(),
        Some("200K events/sec")
    );
    spans_are_real(SEED, &d);
}

#[test]
fn plain_arrows_of_every_kind_link_boxes() {
    for arrow in ["->", "-->", "=>", "→", "⟶", "──>", "─►", "==>", "~>", "⇒"] {
        let text = format!("Kafka {arrow} Flink {arrow} S3");
        let d = parse(&text);
        assert!(
            has(&d, "Kafka", "Flink") && has(&d, "Flink", "S3"),
            "{arrow}: {d:#?}"
        );
        spans_are_real(&text, &d);
    }
}

#[test]
fn labelled_arrows_carry_format_and_volume() {
    let d = parse("Postgres --[debezium avro, 5k/s]--> Kafka -(parquet 2 TB/day)-> S3");
    assert_eq!(d.edges.len(), 2, "{d:?}");
    assert_eq!(d.edges[0].format.as_deref(), Some("avro"));
    assert_eq!(d.edges[0].volume.as_deref(), Some("5k/s"));
    assert_eq!(d.edges[1].volume.as_deref(), Some("2 TB/day"));
    assert!(d.unannotated_edges().is_empty());
}

#[test]
fn paren_labelled_arrow_with_a_slash_in_the_box_name() {
    let text = "Web/Mobile SDK --(HTTPS JSON batches, 200K ev/s peak)--> Collector";
    let d = parse(text);
    let e = edge(&d, "Web/Mobile SDK", "Collector");
    assert_eq!(e.format.as_deref(), Some("json"));
    assert_eq!(e.volume.as_deref(), Some("200K ev/s"));
    spans_are_real(text, &d);
}

#[test]
fn spaced_label_arrow() {
    let d = parse("Kafka -- avro, 200K events/sec --> Flink");
    let e = edge(&d, "Kafka", "Flink");
    assert_eq!(e.label.as_deref(), Some("avro, 200K events/sec"));
    assert_eq!(e.format.as_deref(), Some("avro"));
}

#[test]
fn mermaid_pipe_label_outside_a_block() {
    let d = parse("Kafka -->|avro 200K/s| Flink");
    let e = edge(&d, "Kafka", "Flink");
    assert_eq!(e.volume.as_deref(), Some("200K/s"));
}

#[test]
fn trailing_colon_label_annotates_the_arrow() {
    let text = "Flink -> Redis : per-user session state, 50K writes/sec\nWeb/Mobile SDK -> Kafka : avro, 200K events/sec";
    let d = parse(text);
    let e = edge(&d, "Flink", "Redis");
    assert_eq!(
        e.label.as_deref(),
        Some("per-user session state, 50K writes/sec")
    );
    assert_eq!(e.volume.as_deref(), Some("50K writes/sec"));
    let e = edge(&d, "Web/Mobile SDK", "Kafka");
    assert_eq!(e.format.as_deref(), Some("avro"));
    spans_are_real(text, &d);
}

#[test]
fn bracket_label_arrow() {
    let d = parse("Kafka -[avro, 200K/s]-> Flink");
    assert_eq!(edge(&d, "Kafka", "Flink").format.as_deref(), Some("avro"));
}

#[test]
fn box_names_with_spaces_and_aliases_in_parentheses() {
    let text = "Kafka (MSK) -> Spark Structured Streaming -> S3 data lake";
    let d = parse(text);
    let n = names(&d);
    assert_eq!(
        n,
        vec!["Kafka (MSK)", "Spark Structured Streaming", "S3 data lake"]
    );
    assert_eq!(d.nodes[0].product.as_deref(), Some("Kafka"));
    assert!(d.nodes[0].note.is_none(), "an alias is not a note");
}

#[test]
fn parenthesised_note_after_a_box_annotates_its_outgoing_hop() {
    let d = parse("Kafka (Avro, 200 MB/s) -> Flink");
    let e = edge(&d, "Kafka", "Flink");
    assert_eq!(e.format.as_deref(), Some("avro"));
    assert_eq!(e.volume.as_deref(), Some("200 MB/s"));
}

/// "OLTP DB -> (CDC or export) -> Staging bucket" drew a box called
/// "(CDC or export)".
#[test]
fn a_parenthesised_note_between_two_arrows_labels_the_hop_it_sits_on() {
    let text =
        "OLTP DB -> (CDC or export) -> Staging bucket -> Spark (Avro, 10M rows/day) -> Snowflake";
    let d = parse(text);
    assert_eq!(
        names(&d),
        vec!["OLTP DB", "Staging bucket", "Spark", "Snowflake"],
        "{d:#?}"
    );
    let e = edge(&d, "OLTP DB", "Staging bucket");
    assert_eq!(e.label.as_deref(), Some("CDC or export"));
    assert_eq!(
        edge(&d, "Spark", "Snowflake").format.as_deref(),
        Some("avro")
    );
    spans_are_real(text, &d);
    // A product in parentheses is still a box.
    let d = parse("postgres -> (debezium cdc) -> kafka");
    assert_eq!(
        names(&d),
        vec!["postgres", "debezium cdc", "kafka"],
        "{d:#?}"
    );
}

/// "-> Snowflake. We size it for the 10B-event-per-day peak, …" read the
/// next sentence as Snowflake's note, so the hop looked annotated.
#[test]
fn a_sentence_after_a_chain_on_its_line_is_prose_not_the_last_boxs_note() {
    let d = parse(
        "Kafka -> Spark -> Snowflake. We size it for the 10B-event-per-day peak, and keep 7 days.",
    );
    assert!(d.nodes.iter().all(|n| n.note.is_none()), "{d:#?}");
    assert!(!d.unannotated_edges().is_empty(), "{d:#?}");
    let d = parse("Kafka -> S3. Parquet, 5 TB/day");
    assert!(
        d.nodes.iter().any(|n| n.note.is_some()),
        "a short note stays: {d:#?}"
    );
}

#[test]
fn chains_continue_across_lines_and_indentation() {
    let text = "Kafka\n  -> Flink\n      -> S3\n      -> Redis\n";
    let d = parse(text);
    assert!(has(&d, "Kafka", "Flink"));
    assert!(has(&d, "Flink", "S3"));
    assert!(has(&d, "Flink", "Redis"));
}

#[test]
fn vertical_arrows_link_boxes() {
    let d = parse("Kafka\n  |\n  v  avro 10k/s\nFlink\n  |\n  v\nRedis\n");
    assert_eq!(d.edges.len(), 2, "{d:?}");
    assert_eq!(d.edges[0].volume.as_deref(), Some("10k/s"));
}

#[test]
fn reversed_arrows_point_the_right_way() {
    let d = parse("Flink <- Kafka");
    assert!(has(&d, "Kafka", "Flink"), "{d:#?}");
}

#[test]
fn mermaid_flowchart_block_with_labels_and_ids() {
    let text = "```mermaid\nflowchart LR\n  A[Web/Mobile SDK] -->|JSON, 200K ev/s| B[(Kafka)]\n  B -->|avro| C[Flink]\n  C --> D[S3 raw<br/>parquet, 5 TB/day]\n  C -- upserts by session_id --> E{Redis}\n```\n";
    let d = parse(text);
    assert!(has(&d, "Web/Mobile SDK", "Kafka"), "{d:#?}");
    assert!(has(&d, "Kafka", "Flink"));
    assert!(has(&d, "Flink", "S3 raw"));
    assert!(has(&d, "Flink", "Redis"));
    assert_eq!(d.nodes.iter().filter(|n| n.name == "Kafka").count(), 1);
    let e = edge(&d, "Web/Mobile SDK", "Kafka");
    assert_eq!(e.volume.as_deref(), Some("200K ev/s"));
    assert_eq!(
        edge(&d, "Flink", "S3 raw").volume.as_deref(),
        Some("5 TB/day")
    );
    assert_eq!(
        edge(&d, "Flink", "Redis").label.as_deref(),
        Some("upserts by session_id")
    );
    spans_are_real(text, &d);
}

#[test]
fn mermaid_graph_without_a_fence_and_ampersand_groups() {
    let text = "graph TD\n  k[Kafka] --> f[Flink] & s[Spark]\n  f --> r[Redis]\n";
    let d = parse(text);
    assert!(has(&d, "Kafka", "Flink") && has(&d, "Kafka", "Spark") && has(&d, "Flink", "Redis"));
}

#[test]
fn unicode_box_drawing_diagram() {
    let text = "\
┌──────────┐  avro 200K/s  ┌──────────┐
│ Kafka    │──────────────►│ Flink    │
│ 64 parts │               │          │
└──────────┘               └────┬─────┘
                                │ parquet, 5 TB/day
                                ▼
                           ┌──────────┐
                           │ S3       │
                           └──────────┘
";
    let d = parse(text);
    assert!(has(&d, "Kafka", "Flink"), "{d:#?}");
    assert!(has(&d, "Flink", "S3"), "{d:#?}");
    assert_eq!(edge(&d, "Kafka", "Flink").format.as_deref(), Some("avro"));
    assert_eq!(edge(&d, "Flink", "S3").volume.as_deref(), Some("5 TB/day"));
    assert_eq!(d.nodes.len(), 3, "no border junk becomes a box: {d:#?}");
    spans_are_real(text, &d);
}

#[test]
fn ascii_plus_box_diagram() {
    let text = "\
+---------+      +---------+
| Kafka   | ---> | Flink   |
+---------+      +---------+
";
    let d = parse(text);
    assert!(has(&d, "Kafka", "Flink"), "{d:#?}");
    assert_eq!(d.nodes.len(), 2);
}

#[test]
fn vertical_connectors_on_a_border_column_link_ascii_boxes() {
    let text = "\
+-----------+
| Kafka     |
+-----------+
      |
      | Avro, 10K/s, key=card_token
      v
      +-----------+
      | Flink     |
      +-----------+
      |
      | feature log, Parquet, 80 GB/day
      v
+-----------+
| S3        |
+-----------+
";
    let d = parse(text);
    assert!(has(&d, "Kafka", "Flink"), "lands on a corner: {d:#?}");
    assert!(has(&d, "Flink", "S3"), "leaves from under a corner: {d:#?}");
    assert_eq!(edge(&d, "Flink", "S3").volume.as_deref(), Some("80 GB/day"));
    assert_eq!(d.nodes.len(), 3);
    spans_are_real(text, &d);
}

#[test]
fn plantuml_bracket_components() {
    let d = parse("[Kafka] --> [Flink] : avro, 200K/s");
    assert_eq!(edge(&d, "Kafka", "Flink").format.as_deref(), Some("avro"));
}

#[test]
fn bulleted_and_numbered_lines_are_not_part_of_names() {
    let d = parse("- Kafka -> Flink\n1. Flink -> S3\n* **S3** -> Snowflake");
    assert!(
        has(&d, "Kafka", "Flink") && has(&d, "Flink", "S3") && has(&d, "S3", "Snowflake"),
        "{d:#?}"
    );
}

#[test]
fn a_heading_before_the_first_box_is_not_a_box() {
    let d = parse("Ingest: producer -> Kafka -> Flink");
    assert!(has(&d, "producer", "Kafka"), "{d:#?}");
    assert!(!names(&d).contains(&"Ingest"));
}

#[test]
fn prose_around_an_arrow_keeps_the_products() {
    let d = parse(
        "Events flow like this: the app -> Kafka -> Flink -> S3, and then Spark reads them hourly.",
    );
    assert!(has(&d, "Flink", "S3"), "{d:#?}");
    assert!(
        !names(&d).iter().any(|n| n.contains("Spark reads")),
        "{d:#?}"
    );
}

#[test]
fn vague_boxes_are_flagged() {
    let d = parse("app -> queue -> a streaming system -> database");
    let vague: Vec<&str> = d.vague_nodes().iter().map(|n| n.name.as_str()).collect();
    assert!(
        vague.contains(&"queue") && vague.contains(&"database"),
        "{vague:?}"
    );
    assert_eq!(d.unannotated_edges().len(), 3);
}

#[test]
fn prose_without_arrows_is_not_a_diagram() {
    assert!(parse("We use Kafka and Flink, then write to S3.").is_empty());
    assert!(
        parse("Could equally be Snowplow's collector or Kafka REST Proxy.")
            .nodes
            .is_empty()
    );
    assert!(parse("Postgres, Kafka, Spark, Snowflake.").nodes.is_empty());
}

#[test]
fn comparisons_are_not_arrows() {
    assert!(parse("p99 <= 10 ms and lag < 5 s").is_empty());
}

#[test]
fn a_markdown_table_is_not_a_box_diagram() {
    let t = "| Component | Tech |\n|---|---|\n| Queue | Kafka |\n| Stream | Flink |\n";
    assert!(parse(t).nodes.is_empty());
}

#[test]
fn a_long_box_name_stops_where_its_deadline_or_volume_starts() {
    let text = "Spark -> Finance report by 06:00 UTC\n\
                Airflow -> Hourly reporting tables within 90 minutes of the hour\n\
                Flink -> the fraud scoring service that pages on call";
    let d = parse(text);
    let n = names(&d);
    assert!(n.contains(&"Finance report"), "{n:?}");
    assert!(n.contains(&"Hourly reporting tables"), "{n:?}");
    // No deadline: the first words, never ending on a joiner.
    assert!(n.contains(&"the fraud scoring"), "{n:?}");
    let report = d
        .nodes
        .iter()
        .find(|x| x.name == "Finance report")
        .expect("report");
    assert_eq!(
        report.note.as_ref().map(|e| e.quote.as_str()),
        Some("by 06:00 UTC")
    );
    spans_are_real(text, &d);
}

#[test]
fn a_word_or_sentence_before_the_first_box_is_not_a_box() {
    let text =
        "ok. Kafka -> Schema Registry -> consumers\nSo, Spark -> S3\nIngest: producer -> Redis";
    let d = parse(text);
    assert!(has(&d, "Kafka", "Schema Registry"), "{:?}", names(&d));
    assert!(has(&d, "Spark", "S3"), "{:?}", names(&d));
    assert!(has(&d, "producer", "Redis"), "{:?}", names(&d));
    for n in ["ok", "So", "ok. Kafka", "Ingest"] {
        assert!(!names(&d).contains(&n), "{n} in {:?}", names(&d));
    }
    spans_are_real(text, &d);
    // A box named before a comma is kept: "Kafka, Flink -> Redis" names Kafka.
    let d = parse("Kafka, Flink -> Redis");
    assert!(names(&d).contains(&"Kafka"), "{:?}", names(&d));
}

#[test]
fn figures_chained_with_arrows_are_arithmetic_not_boxes() {
    let text = "served-feature log: 8k/s × ~1 KB ≈ 690 GB/day JSON → ~100 GB/day Parquet → 18 months ≈ 55 TB\n\
                auth gateway -> Kafka auths -> Flink";
    let d = parse(text);
    for n in [
        "690 GB/day JSON",
        "~100 GB/day Parquet",
        "18 months ≈ 55 TB",
    ] {
        assert!(!names(&d).contains(&n), "{n} in {:?}", names(&d));
    }
    assert!(has(&d, "Kafka auths", "Flink"), "{:?}", names(&d));
    // A line that leads to a figure is arithmetic too: no box on it.
    let text =
        "NUMBERS\n- buckets only exist for cards active in the last minute → a few hundred MB\n";
    let d = parse(text);
    assert!(names(&d).is_empty(), "{:?}", names(&d));
    let d = parse("NUMBERS\n- log: 8k/s × ~1 KB ≈ 690 GB/day JSON → ~100 GB/day Parquet\n");
    assert!(names(&d).is_empty(), "{:?}", names(&d));
    // A figure between two boxes is what flows, not a box: the hop stays.
    let d = parse("Kafka -> 200K events/s -> Flink");
    assert!(has(&d, "Kafka", "Flink"), "{:?}", names(&d));
    assert_eq!(names(&d).len(), 2, "{:?}", names(&d));
    // A product led by a count is still the product.
    let d = parse("producers -> 3 Kafka brokers -> Flink");
    assert!(
        names(&d).iter().any(|n| n.contains("Kafka")),
        "{:?}",
        names(&d)
    );
}

#[test]
fn a_markdown_table_under_a_heading_is_not_a_vertical_connector() {
    let text = "## Components\n\n| Component | Tech |\n|---|---|\n| Lake | S3 + Iceberg |\n\n## Flow\n\nKafka -> Flink\n";
    let d = parse(text);
    assert!(!names(&d).contains(&"## Components"), "{:?}", names(&d));
    assert!(!names(&d).contains(&"## Flow"), "{:?}", names(&d));
    assert!(has(&d, "Kafka", "Flink"), "{:?}", names(&d));
    // A drawn connector with a label still connects.
    let d = parse("Kafka\n  |  Avro, 2K/s\n  v\nFlink\n");
    assert!(has(&d, "Kafka", "Flink"), "{:?}", names(&d));
}

#[test]
fn a_sentence_with_an_arrow_naming_no_component_is_prose_not_a_hop() {
    let text = "auth gateway -> scoring svc\n\
                - training from what was SERVED, not recomputed → no skew by construction\n\
                - short windows sync in the hot path → catches card testing\n";
    let d = parse(text);
    for n in [
        "no skew by construction",
        "not recomputed",
        "catches card testing",
    ] {
        assert!(!names(&d).contains(&n), "{n} in {:?}", names(&d));
    }
    assert!(has(&d, "auth gateway", "scoring svc"), "{:?}", names(&d));
    assert_eq!(names(&d).len(), 2, "{:?}", names(&d));
    // Nor is a failure said with an arrow, short on the left, a clause on
    // the right.
    let d = parse(
        "Failure: a table not tagged → caught by a weekly scan comparing catalog columns \
         against tags, which alerts. Re-ingestion: a replay from Kafka is filtered.",
    );
    assert!(names(&d).is_empty(), "{:?}", names(&d));
    // A sentence naming a product keeps its hop.
    let d = parse("every change in the orders table lands in Kafka → Flink");
    assert!(has(&d, "Kafka", "Flink"), "{:?}", names(&d));
}

#[test]
fn a_box_shortened_after_it_is_drawn_is_the_same_box() {
    let d = parse(
        "Request API (Postgres) -> Kafka deletion-requests topic : json, ~5K/day
Kafka -> Deletion orchestrator (Airflow) : batched daily
Orchestrator -> Iceberg lake : MERGE DELETE by user_id
Orchestrator -> Snowflake : DELETE by user_id
",
    );
    assert_eq!(
        names(&d),
        [
            "Request API (Postgres)",
            "Kafka deletion-requests topic",
            "Deletion orchestrator (Airflow)",
            "Iceberg lake",
            "Snowflake"
        ]
    );
    assert!(has(
        &d,
        "Kafka deletion-requests topic",
        "Deletion orchestrator (Airflow)"
    ));
    assert!(has(&d, "Deletion orchestrator (Airflow)", "Snowflake"));
}

#[test]
fn a_short_name_drawn_first_takes_the_product_of_its_longer_name() {
    let d = parse("Orchestrator -> Iceberg lake\nKafka -> Deletion orchestrator (Airflow)\n");
    let o = d
        .nodes
        .iter()
        .find(|n| n.name == "Orchestrator")
        .expect("one box");
    assert_eq!(o.product.as_deref(), Some("Airflow"));
    assert_eq!(d.nodes.len(), 3, "{:?}", names(&d));
}

#[test]
fn a_shortened_name_of_two_boxes_is_a_box_of_its_own() {
    let d =
        parse("Kafka -> Online store (Redis)\nKafka -> Offline store (Iceberg)\nStore -> API\n");
    assert!(names(&d).contains(&"Store"), "{:?}", names(&d));
    let d = parse("Postgres -> Debezium -> Kafka\nFlink -> Postgres feature DB\n");
    assert!(
        names(&d).contains(&"Postgres feature DB"),
        "{:?}",
        names(&d)
    );
}

#[test]
fn a_chain_continued_from_the_box_the_last_line_ended_in_is_one_box() {
    let d = parse(
        "MySQL binlog -> Debezium on Kafka Connect : row events, ~2K/s
Debezium -> Kafka cdc.<db>.<table> : Avro, keyed by PK
Kafka -> Spark Structured Streaming : 5-min micro-batches
Spark -> Iceberg on S3 : MERGE on PK
Iceberg -> Trino
Iceberg -> Spark ML : nightly snapshot reads
",
    );
    assert_eq!(
        names(&d),
        [
            "MySQL binlog",
            "Debezium on Kafka Connect",
            "Kafka cdc.<db>.<table>",
            "Spark Structured Streaming",
            "Iceberg on S3",
            "Trino",
            "Spark ML"
        ]
    );
    assert!(has(
        &d,
        "Kafka cdc.<db>.<table>",
        "Spark Structured Streaming"
    ));
    assert!(has(&d, "Iceberg on S3", "Trino"));
    // A fan-out from the shortened name stays on the box.
    assert!(has(&d, "Iceberg on S3", "Spark ML"));
    assert_eq!(d.edges.len(), 6);
}

#[test]
fn a_continued_chain_keeps_a_box_of_its_own_name_and_another_instance() {
    // "Kafka" was drawn as a box of its own: the next line continues it.
    let d = parse("Postgres -> Kafka\nFlink -> Kafka topics\nKafka -> S3\n");
    assert!(has(&d, "Kafka", "S3"), "{:?}", names(&d));
    assert!(!has(&d, "Kafka topics", "S3"), "{:?}", names(&d));
    // A dead-letter queue or a replica is not the box a line continues.
    let d = parse("Flink -> Kafka DLQ\nKafka -> S3\n");
    assert!(names(&d).contains(&"Kafka"), "{:?}", names(&d));
    let d = parse("App -> Postgres replica\nPostgres -> Debezium\n");
    assert!(names(&d).contains(&"Postgres"), "{:?}", names(&d));
    // "Kafka" after two topics is the cluster both are in: both feed Spark.
    let d = parse(
        "Driver app -> Kafka topic driver-locations\nRider app -> Kafka topic ride-requests\nKafka -> Spark\n",
    );
    assert!(
        has(&d, "Kafka topic driver-locations", "Spark")
            && has(&d, "Kafka topic ride-requests", "Spark"),
        "{:?}",
        names(&d)
    );
    assert_eq!(d.nodes.len(), 5, "{:?}", names(&d));
    // Only the next line: prose in between ends the chain.
    let d = parse("Flink -> Iceberg on S3\nThe lake is queried by analysts.\nIceberg -> Trino\n");
    assert!(names(&d).contains(&"Iceberg"), "{:?}", names(&d));
}

#[test]
fn a_product_several_drawn_boxes_begin_with_stands_for_all_of_them() {
    let d = parse(
        "order service -> Kafka orders : Avro, 20K/s
payment service -> Kafka payments : Avro, 3K/s
Postgres -> Debezium -> Kafka dimension topics : compacted
Druid -> Superset
Kafka -> Flink enrichment job : orders + payments + dims
",
    );
    assert!(!has(&d, "Superset", "Flink enrichment job"));
    for topic in ["Kafka orders", "Kafka payments", "Kafka dimension topics"] {
        assert!(
            has(&d, topic, "Flink enrichment job"),
            "{topic}: {:?}",
            names(&d)
        );
    }
    assert!(!names(&d).contains(&"Kafka"), "{:?}", names(&d));
    // Not another instance, and not when a box of that name is drawn.
    let d = parse(
        "App -> Postgres primary\nPostgres primary -> Postgres replica\nPostgres -> Debezium\n",
    );
    assert!(!has(&d, "Postgres replica", "Debezium"), "{:?}", names(&d));
    let d = parse("A -> Kafka\nB -> Kafka orders\nC -> Kafka payments\nKafka -> Flink\n");
    assert!(has(&d, "Kafka", "Flink") && !has(&d, "Kafka orders", "Flink"));
}

#[test]
fn a_quoted_topic_name_keeps_its_closing_quote() {
    let d = parse("Driver app -> Kafka topic \"driver-locations\" (4 partitions)\n");
    assert!(
        names(&d).contains(&"Kafka topic \"driver-locations\""),
        "{:?}",
        names(&d)
    );
    // Quotes around the whole name are still decoration.
    let d = parse("\"Kafka\" -> \"Flink\"\n");
    assert_eq!(names(&d), ["Kafka", "Flink"]);
}

#[test]
fn a_box_named_later_by_the_product_in_its_note_is_that_box() {
    let d = parse(
        "ad servers -> Kafka impressions : protobuf, 1M/s
Kafka -> Flink attribution job
Flink -> S3 (Iceberg) : attributed conversions
Iceberg -> Snowflake -> advertiser dashboards
",
    );
    assert!(!names(&d).contains(&"Iceberg"), "{:?}", names(&d));
    assert!(has(&d, "S3", "Snowflake"));
    // A note that is more than a name is not one.
    let d = parse(
        "Kafka -> Flink (dedupe by event_id)
event_id -> Redis
",
    );
    assert!(names(&d).contains(&"event_id"), "{:?}", names(&d));
    // Two boxes with that note: the name is a box of its own.
    let d = parse(
        "Flink -> S3 raw (Iceberg)
Spark -> S3 curated (Iceberg)
Iceberg -> Trino
",
    );
    assert!(names(&d).contains(&"Iceberg"), "{:?}", names(&d));
}

#[test]
fn an_aside_after_a_dash_before_the_arrow_is_not_the_box() {
    let d = parse(
        "A fixed-sample test will inflate false positives badly — with 500 experiments \
         you'd kill good ones daily. So: Kafka -> Flink, joining exposures per user.",
    );
    assert_eq!(names(&d), ["Kafka", "Flink"], "{d:#?}");
}

//! What kind of hop an arrow is, read from the boxes at its ends: what the
//! interviewer asks a format and volume for, and what it leaves alone.

use super::tests::{design, edge};
use super::*;

#[test]
fn a_quality_checks_reads_are_queries_and_its_verdicts_are_control() {
    let d = design(&["Spark on EMR -> S3 shadow tables (Iceberg, attribution_facts_v2) : overwrite partition by event_date, 2 TB a month
S3 shadow tables -> Great Expectations : row counts and revenue totals vs v1 per day
Great Expectations -> Iceberg catalog : swap v1 to v2 per table once checks pass
Iceberg catalog -> Trino : 60 dashboards read views"]);
    assert_eq!(
        edge(&d, "S3 shadow tables", "Great Expectations").hop,
        HopKind::Query
    );
    assert!(edge(&d, "Great Expectations", "Iceberg catalog").control());
    assert!(edge(&d, "Iceberg catalog", "Trino").control());
    assert!(edge(&d, "Spark on EMR", "S3 shadow tables").needs_annotation());
}

#[test]
fn metrics_and_log_agents_still_carry_the_data_of_their_pipeline() {
    let d = design(&[
        "Prometheus agents -> Kafka : remote-write protobuf, 2M samples/s
OpenTelemetry Collector -> Kafka : OTLP logs, 5 GB/s",
    ]);
    assert!(edge(&d, "Prometheus agents", "Kafka").needs_annotation());
    assert!(edge(&d, "OpenTelemetry Collector", "Kafka").needs_annotation());
}

#[test]
fn an_arrow_that_only_pages_someone_carries_no_volume() {
    let d = design(&[
        "Postgres results store -> PagerDuty : alerts to the table owner within 10 min
Flink -> Kafka alerts : alert events, 2K/s
Flink -> SNS : alerts",
    ]);
    assert!(edge(&d, "Postgres results store", "PagerDuty").control());
    assert!(edge(&d, "Flink", "Kafka alerts").needs_annotation());
    // Alerts that are the pipeline's output are its data.
    assert!(edge(&d, "Flink", "SNS").needs_annotation());
    let d = design(&["Alert router -> PagerDuty / Slack : failures per owner from a catalog"]);
    assert!(edge(&d, "Alert router", "PagerDuty / Slack").control());
    // An arrow into a pager drawn with no label is a page too.
    let d = design(&["vmalert -> Alertmanager -> PagerDuty\nAlertmanager -> Slack"]);
    assert!(edge(&d, "Alertmanager", "PagerDuty").control());
    assert!(edge(&d, "Alertmanager", "Slack").control());
}

#[test]
fn a_dashboard_tool_queries_the_store_it_shows() {
    let d = design(&["Kafka -> VictoriaMetrics cluster -> Grafana (dashboards)"]);
    assert!(!edge(&d, "VictoriaMetrics cluster", "Grafana").needs_annotation());
    assert!(edge(&d, "Kafka", "VictoriaMetrics cluster").needs_annotation());
}

#[test]
fn a_stores_note_on_its_layout_is_not_what_leaves_it() {
    let d = design(&[
        "tills --batch upload, 40M lines/day--> S3 landing (raw, partitioned by ingest date)
S3 landing --> Spark hourly job --> Iceberg sales_fact (partitioned by sale_date, merge on line_id)
Iceberg sales_fact --> Snowflake daily_sales",
    ]);
    let landing = edge(&d, "S3 landing", "Spark hourly job");
    assert!(landing.payload.is_none(), "{landing:#?}");
    assert!(edge(&d, "Iceberg sales_fact", "Snowflake daily_sales")
        .payload
        .is_none());
    // "(Kafka Connect S3 sink)" says what writes the store.
    let d =
        design(&["Kafka -> S3 raw (Kafka Connect S3 sink) : Parquet, 15 GB/day\nS3 raw -> Spark"]);
    let raw = edge(&d, "S3 raw", "Spark");
    assert!(raw.payload.is_none(), "{raw:#?}");
    // What a store's note says it holds, a queue passes on and a source
    // database's tables still are.
    let d = design(&["Flink -> S3 (raw events, partitioned by hour) -> Spark"]);
    assert!(edge(&d, "S3", "Spark").payload.is_some(), "{:#?}", d.edges);
    let d = design(&["Kafka (raw clicks) -> Flink -> S3"]);
    assert!(
        edge(&d, "Kafka", "Flink").payload.is_some(),
        "{:#?}",
        d.edges
    );
    let d = design(&["Postgres (orders, customers) -> Debezium -> Kafka"]);
    assert!(
        edge(&d, "Postgres", "Debezium").payload.is_some(),
        "{:#?}",
        d.edges
    );
}

#[test]
fn a_store_read_by_a_box_of_dashboards_is_a_query_path() {
    let d = design(&["Spark -> Snowflake daily_sales : 3M rows a day
Snowflake daily_sales -> Finance dashboards
Spark -> Redis : features"]);
    assert_eq!(
        edge(&d, "Snowflake daily_sales", "Finance dashboards").hop,
        HopKind::Query
    );
    assert!(edge(&d, "Spark", "Redis").needs_annotation());
}

#[test]
fn the_same_lines_one_to_one_carries_the_rate_that_came_in() {
    let r = super::tests::reader();
    let mut d = Design::new();
    d.add_turn(
        &r,
        "tills --batch upload, 40M lines/day--> S3 raw\nS3 raw --> Spark hourly job --> Iceberg sales_fact",
        None,
        None,
    );
    let i = d
        .edges
        .iter()
        .position(|e| d.components[e.to].name == "Spark hourly job")
        .expect("landing arrow");
    let asked = Asked {
        edge: Some(i),
        ..Asked::default()
    };
    d.read_answer(
        &r,
        "Same lines, cleaned and deduped, one to one.",
        None,
        asked,
    );
    let rate = d.edges[i].rate.as_ref().expect("the rate that came in");
    assert_eq!(rate.value, "40M lines/day");
    assert!(rate.evidence.quote.starts_with("Same lines"), "{rate:?}");
    // A bucket named as where files land hands its job what landed,
    // before anyone says so.
    let landed = design(&[
        "tills --batch upload, 40M lines/day--> S3 landing\nS3 landing --> Spark hourly job --> Iceberg sales_fact",
    ]);
    let k = landed
        .edges
        .iter()
        .position(|e| landed.components[e.to].name == "Spark hourly job")
        .expect("landing arrow");
    assert_eq!(
        landed.carried_rate(k).map(|r| r.value.as_str()),
        Some("40M lines/day")
    );
    // "The same key" says nothing of how much.
    let j = d
        .edges
        .iter()
        .position(|e| d.components[e.to].name == "Iceberg sales_fact")
        .expect("fact arrow");
    let asked = Asked {
        edge: Some(j),
        ..Asked::default()
    };
    d.read_answer(
        &r,
        "Written with the same key as the landing files.",
        None,
        asked,
    );
    assert!(d.edges[j].rate.is_none(), "{:#?}", d.edges[j]);
}

/// How often a box runs is said of the box in its own clause: "the platform
/// team reviews the orphans weekly" in a sentence that names Airflow is the
/// team's schedule, not Airflow's.
#[test]
fn a_schedule_belongs_to_the_box_whose_clause_says_it() {
    let schedule = |d: &Design, name: &str| {
        let c = super::tests::comp(d, name);
        d.schedules
            .iter()
            .find(|(x, _, _)| *x == c)
            .map(|(_, secs, _)| *secs)
    };
    let d = design(&[
        "Airflow -> Spark -> Snowflake",
        "Tables with no owner get the owner of the DAG that writes them, from Airflow metadata, and the platform team reviews the orphans weekly.",
    ]);
    assert_eq!(schedule(&d, "Airflow"), None, "{:?}", d.schedules);
    let d = design(&[
        "Airflow -> Spark -> Snowflake",
        "Airflow runs the Spark job hourly.",
    ]);
    assert_eq!(schedule(&d, "Airflow"), Some(3600.0));
    assert_eq!(schedule(&d, "Spark"), Some(3600.0));
    let d = design(&[
        "Airflow -> Spark -> Snowflake",
        "Spark, running nightly, compacts the files before Snowflake loads them.",
    ]);
    assert_eq!(schedule(&d, "Spark"), Some(86_400.0));
    assert_eq!(schedule(&d, "Snowflake"), None, "{:?}", d.schedules);
}

/// A box named for checking ("Check runner (Great Expectations on Spark /
/// Snowflake SQL)") is a check whatever it runs on: its "pass" to the
/// publish step is a verdict, what it reads it reads in place, and its
/// results written as rows are data.
#[test]
fn a_box_named_for_checks_sends_verdicts_not_volumes() {
    let d = design(&[
        "Snowflake -> Check runner (Great Expectations on Spark / Snowflake SQL) : new partition
Check runner -> publish step : pass
Check runner -> Results store (Postgres) : check results as rows, ~15K rows/day",
    ]);
    assert!(edge(&d, "Check runner", "publish step").control());
    assert_eq!(edge(&d, "Snowflake", "Check runner").hop, HopKind::Query);
    assert!(edge(&d, "Check runner", "Results store (Postgres)").needs_annotation());
    let d = design(&["Kafka payments -> Fraud check service : card payments, 2K/s"]);
    assert!(edge(&d, "Kafka payments", "Fraud check service").needs_annotation());
}

/// A box typed in lower case as its bare product ("spark", "postgres") is
/// said back spelled as the product is; a box with its own name keeps it.
#[test]
fn a_bare_product_typed_in_lower_case_is_said_as_the_product() {
    let d = design(&["spark -> snowflake\nOrders service -> spark"]);
    let label = |name: &str| {
        d.components[super::tests::comp(&d, name)]
            .label()
            .to_string()
    };
    assert_eq!(label("spark"), "Spark");
    assert_eq!(label("Orders service"), "Orders service");
}

/// Asked about Iceberg, "Results go into Postgres keyed by (…), so a rerun
/// of the same run upserts the same rows" is the results store's write:
/// the store the sentence writes to, not the one the question was about.
#[test]
fn a_write_lands_on_the_store_its_sentence_writes_to_not_the_one_asked() {
    let r = super::tests::reader();
    let mut d = design(&["Airflow -> Spark -> Iceberg\nSpark -> Results store (Postgres) : check results, 15K rows/day"]);
    let iceberg = d.find("Iceberg");
    d.add_turn(
        &r,
        "Spark writes the day into an Iceberg branch. Results go into Postgres keyed by (table, partition, check, run_id), so a rerun of the same run upserts the same rows instead of adding new ones.",
        None,
        iceberg,
    );
    let sinks: Vec<&str> = d
        .writes
        .iter()
        .map(|w| d.components[w.sink].name.as_str())
        .collect();
    assert_eq!(sinks, ["Results store (Postgres)"]);
}

#[test]
fn a_sentence_naming_only_where_data_goes_is_about_the_hop_from_the_box_before() {
    let r = super::tests::reader();
    let mut d = Design::new();
    d.add_turn(
        &r,
        "Kafka -> VictoriaMetrics -> vmalert -> Alertmanager -> PagerDuty",
        None,
        None,
    );
    let asked = Asked {
        edge: d.edges.iter().position(|e| {
            d.components[e.from].name == "VictoriaMetrics" && d.components[e.to].name == "vmalert"
        }),
        ..Asked::default()
    };
    d.read_answer(
        &r,
        "vmalert queries VictoriaMetrics with PromQL every 15 seconds, a few thousand queries a second.\nFiring alerts go to Alertmanager as JSON, about 50 a minute.",
        None,
        asked,
    );
    let e = edge(&d, "vmalert", "Alertmanager");
    assert_eq!(
        e.format.as_ref().map(|f| f.value.as_str()),
        Some("json"),
        "{e:#?}"
    );
    // Not across a paragraph, nor when the sentence names two boxes.
    let mut d = Design::new();
    d.add_turn(&r, "Kafka -> Flink -> ClickHouse\nKafka -> S3", None, None);
    d.add_turn(
        &r,
        "Flink aggregates per minute.\n\nRows go to ClickHouse as JSON, 5K a second.",
        None,
        None,
    );
    assert!(edge(&d, "Flink", "ClickHouse").format.is_none());
    // A box said to do something, not to receive or send: its state's size
    // is not the hop's volume.
    let mut d = Design::new();
    d.add_turn(&r, "Kafka -> Flink -> Redis", None, None);
    d.add_turn(
        &r,
        "Detected by the freshness of what's in Redis. Recovery: Flink restarts from its last checkpoint (state is a few hundred MB).",
        None,
        None,
    );
    assert!(edge(&d, "Flink", "Redis").rate.is_none());
}

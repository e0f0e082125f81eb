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
}

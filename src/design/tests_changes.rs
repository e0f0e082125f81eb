//! A design changed in place: what the candidate takes out leaves the
//! design the interviewer and the scorer read; what they draw again is back.

use super::tests::{comp, design};

const FIRST: &str = "App -> Kafka : JSON events, 58K/s, key = user_id
Kafka -> Flink : joined on user_id in event time
Flink -> Druid : per-variant running aggregates, ~500 rows/s
Druid -> dashboard : experiment scorecards";

const SECOND: &str = "Scorecards are daily, so a streaming join is the wrong trade. New design, Druid and the Flink join are gone:
App -> Kafka : JSON events, 58K/s, key = user_id
Kafka -> S3 : Parquet, ~3 TB/day raw, partitioned by event date
S3 -> Spark : daily Airflow job
Spark -> BigQuery : per-user metric table, ~200M rows/day
BigQuery -> dashboard : scorecards";

#[test]
fn components_said_gone_leave_the_design() {
    let d = design(&[FIRST, SECOND]);
    for name in ["Druid", "Flink"] {
        assert!(
            d.gone(comp(&d, name)),
            "{name} should be gone: {:#?}",
            d.components
        );
    }
    for name in ["Kafka", "S3", "Spark", "BigQuery", "dashboard"] {
        assert!(!d.gone(comp(&d, name)), "{name} is still in");
    }
    assert!(
        d.arrows().all(|(_, e)| d.live(e)),
        "no arrow into or out of a gone box"
    );
    assert!(!d.sinks().contains(&comp(&d, "Druid")));
}

const STREAMING: &str = "App -> Kafka : JSON events, 58K/s
Kafka -> Flink : sessionized per user_id
Flink -> Druid : aggregates, ~500 rows/s
Flink -> Redis : counters per campaign
Druid -> dashboard : scorecards";

fn gone_after(turn: &str) -> Vec<String> {
    let d = design(&[STREAMING, turn]);
    d.components
        .iter()
        .filter(|c| c.gone.is_some())
        .map(|c| c.name.clone())
        .collect()
}

#[test]
fn a_replaced_or_unneeded_component_is_gone() {
    assert_eq!(
        gone_after("Let's replace Druid with Pinot for the dashboards."),
        ["Druid"]
    );
    assert_eq!(
        gone_after("We don't need Redis any more: the counters live in Pinot."),
        ["Redis"]
    );
    assert_eq!(gone_after("Druid is replaced by ClickHouse."), ["Druid"]);
    assert_eq!(
        gone_after("With Pinot serving the dashboard, Druid is out."),
        ["Druid"]
    );
    assert_eq!(
        gone_after("So now Redis and Druid are both gone."),
        ["Druid", "Redis"]
    );
    assert_eq!(
        gone_after("Actually, scratch the Redis serving store: we'll serve from DynamoDB instead."),
        ["Redis"]
    );
    assert_eq!(gone_after("I'd rip out Druid entirely."), ["Druid"]);
}

#[test]
fn a_supposed_or_partial_removal_leaves_the_design_as_it_is() {
    for turn in [
        "If Druid goes away we lose the real-time view.",
        "Flink drops late events after a 10-minute allowed lateness.",
        "We drop the raw Kafka topic data after 7 days of retention.",
        "Redis is out of memory at peak, so we shard it by campaign_id.",
        "We would never remove Druid: the dashboards need it.",
    ] {
        assert!(
            gone_after(turn).is_empty(),
            "{turn}: {:?}",
            gone_after(turn)
        );
    }
}

#[test]
fn a_component_drawn_again_is_back() {
    let d = design(&[
        STREAMING,
        "Drop Druid; the dashboard reads Redis.",
        "For the hourly view after all: Flink -> Druid : hourly rollups, ~50 rows/s",
    ]);
    assert!(!d.gone(comp(&d, "Druid")));
}

#[test]
fn a_new_design_drawn_whole_leaves_out_the_old_boxes() {
    let d = design(&[
        STREAMING,
        "New design, batch only:
App -> Kafka : JSON events, 58K/s
Kafka -> S3 : Parquet, 3 TB/day
S3 -> Spark : nightly job
Spark -> BigQuery : metric tables, 200M rows/day",
    ]);
    for name in ["Flink", "Druid", "Redis", "dashboard"] {
        assert!(d.gone(comp(&d, name)), "{name}");
    }
    assert!(!d.gone(comp(&d, "Kafka")));
    assert_eq!(d.boxes().count(), 5, "{:#?}", d.components);
}

#[test]
fn a_store_replaced_in_prose_is_gone_and_the_arrow_after_starts_at_its_own_box() {
    let d = design(&[
        "First cut:
Fluent Bit -> Kafka : JSON lines, 10M/s, 5 GB/s, key = service + salt 0-31
Kafka -> Flink : parse, mask PII, 10M/s
Flink -> Elasticsearch : indexed docs, 7 days hot, ~4 GB/s
Flink -> S3 : Parquet, ~500 MB/s after zstd, 1 year
Elasticsearch -> Kibana : search and dashboards",
        "Before partitions: writing it down, Elasticsearch at 4 GB/s with 7 days hot is a huge cluster and that's most of the bill. I'm replacing Elasticsearch with ClickHouse: Flink -> ClickHouse : parsed rows, ~6M rows/s after sampling DEBUG, ~300 MB/s compressed, 14 days hot. ClickHouse -> Grafana : error rates and search. For Kafka partitions: 5 GB/s at about 10 MB/s per partition is 500, I'd take 1,024 for headroom.",
    ]);
    assert!(d.gone(comp(&d, "Elasticsearch")));
    let (flink, ch) = (comp(&d, "Flink"), comp(&d, "ClickHouse"));
    assert!(d.live_edges().any(|(_, e)| e.from == flink && e.to == ch));
    assert!(
        !d.edges
            .iter()
            .any(|e| e.to == ch && e.from == comp(&d, "Elasticsearch")),
        "the sentence before the arrow names no box of it"
    );
}

//! A walk-through already given is heard however it starts and whatever it
//! calls the boxes: one record picked by its id ("Take customer 42"), a
//! table said by its own identifier ("dim_customer" for "Snowflake
//! dim_customer"). The data-flow phase then picks up from it.

mod listening;

use mockround::rubric::Phase;

use listening::{asks, intents, Round};

#[test]
fn a_record_picked_by_its_id_and_walked_to_a_table_by_its_name_is_not_asked_for_again() {
    let mut r = Round::clarified("scd2-dimension");
    r.say("Postgres customers -> Debezium (CDC, ~50 changes/s avg, 300/s peak, Avro) -> Kafka customers topic (compacted, keyed by customer_id)\nKafka customers topic -> S3 raw changes (Parquet, hourly, ~2 GB/day) -> Spark hourly SCD2 MERGE -> Snowflake dim_customer (valid_from, valid_to, is_current)\nSnowflake dim_customer -> Looker finance reports");
    let mut t = r.say("Take customer 42 changing plan from Basic to Pro at 10:03. Postgres commits it; Debezium reads the WAL and publishes an Avro record keyed by customer_id, and Kafka keeps the latest per key via compaction. The S3 sink writes the change into the 10:00 hourly partition; at 11:05 the Spark job MERGEs it into dim_customer on (customer_id, valid_from), closing the Basic row and inserting the Pro one, and Looker reports join orders to dim_customer where order_ts falls between valid_from and valid_to.");
    while r.s.phase() == Phase::Architecture {
        t = r.next();
    }
    assert!(
        intents(&t)
            .iter()
            .any(|i| i.starts_with("intro_data_flow_walked")),
        "{:?}: {}",
        intents(&t),
        t.text()
    );
    assert!(!t.text().contains("haven't yet: Snowflake"), "{}", t.text());
}

/// Glacier restored into a staging area is drawn first, but the record's
/// path is the one that runs furthest: raw events through the backfill job
/// into the tables readers use. The guarantee is asked of that path, not
/// of the restore.
#[test]
fn the_path_asked_about_is_the_one_that_runs_furthest_not_the_first_drawn() {
    let mut r = Round::clarified("year-backfill");
    r.say("S3 Glacier raw -> S3 Standard restore area : bulk restore, ~640 TB over 3 days\nS3 raw events (Parquet, 3.5 TB/day) -> Spark backfill job (300 nodes) : 3.5 TB a day in\nSpark backfill job -> Iceberg attribution_facts : Parquet, ~200 GB/day\nIceberg attribution_facts -> dbt models -> Snowflake finance mart : ~5 GB/day");
    r.to(Phase::DataFlow);
    let t = r.say("Take one click. Spark reads the day's raw Parquet, attributes it with the fixed logic and writes the attribution facts for that date; dbt rebuilds the tables for that date.");
    let (t, seen) = r.until(
        t,
        8,
        |i, _| i.starts_with("ask_guarantee"),
        "I'd have to think about that.",
    );
    let text = t.text();
    assert!(
        asks(&t).is_some_and(|(i, _)| i.starts_with("ask_guarantee")),
        "{seen:#?}"
    );
    assert!(text.contains("Spark backfill job"), "{text}");
    assert!(!text.contains("restore area"), "{text}");
}

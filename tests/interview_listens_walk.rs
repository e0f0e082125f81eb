//! A walk-through already given is heard however it starts and whatever it
//! calls the boxes: one record picked by its id ("Take customer 42"), a
//! table said by its own identifier ("dim_customer" for "Snowflake
//! dim_customer"). The data-flow phase then picks up from it.

mod listening;

use mockround::rubric::Phase;

use listening::{intents, Round};

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

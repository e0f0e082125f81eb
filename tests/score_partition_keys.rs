//! A key said with a write ("merges keyed on primary key", "upserts keyed
//! by session_id") is how the write is made safe to repeat, not how data
//! is partitioned: it earns idempotency, never partitioning.

use mockround::rubric::Rubric;
use mockround::score::{Scorecard, Scorer};

fn concept(card: &Scorecard, id: &str) -> u8 {
    card.concepts
        .iter()
        .find(|c| c.id.as_str() == id)
        .map_or(0, |c| c.strength)
}

#[test]
fn a_merge_or_upsert_key_is_not_a_partition_key() {
    let r = Rubric::builtin().expect("rubric");
    let s = Scorer::new(&r);
    let card = s.score(
        r.problem("cdc-lakehouse"),
        "Debezium reads the Postgres WAL into Kafka. Spark applies idempotent merges keyed on \
         primary key into Iceberg, so a rerun writes the same rows. Redis writes are upserts \
         keyed by session_id.",
    );
    assert_eq!(concept(&card, "partitioning"), 0, "{:?}", card.concepts);
    assert!(concept(&card, "idempotency") >= 2, "{:?}", card.concepts);
}

#[test]
fn a_topic_or_stream_keyed_by_an_id_is_still_partitioned() {
    let r = Rubric::builtin().expect("rubric");
    let s = Scorer::new(&r);
    for said in [
        "The clicks topic is keyed by user_id.",
        "Flink does keyBy(user_id) and sessionizes per user.",
        "Events are keyed by device_id so each device's readings stay in order.",
    ] {
        let card = s.score(r.problem("clickstream"), said);
        assert!(
            concept(&card, "partitioning") >= 1,
            "{said}: {:?}",
            card.concepts
        );
    }
}

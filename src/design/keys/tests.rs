use super::*;

fn keys(s: &str) -> Vec<String> {
    keys_in(s).into_iter().map(|k| k.0).collect()
}

#[test]
fn shards_sized_by_record_count_name_no_key() {
    assert!(keys("which needs at least 500 shards by record count, not 200").is_empty());
    assert_eq!(
        keys("Kinesis sharded by device_id count"),
        vec!["device_id"]
    );
}

#[test]
fn partitions_on_a_topic_say_where_they_are_not_their_key() {
    assert!(keys("Kafka goes to 48 partitions on the hot topics").is_empty());
    assert!(keys("12 shards on the busiest cluster").is_empty());
    assert_eq!(keys("48 partitions on user_id"), vec!["user_id"]);
    assert_eq!(keys("partitioned on region"), vec!["region"]);
    assert_eq!(keys("partitioned on tenant"), vec!["tenant"]);
}

#[test]
fn partition_keys_in_the_ways_people_say_them() {
    assert_eq!(
        keys("Kafka (200K events/sec, key=user_id)"),
        vec!["user_id"]
    );
    assert_eq!(
        keys("Kafka has 100 partitions keyed by user_id"),
        vec!["user_id"]
    );
    assert_eq!(keys("partitioned by event_date in S3"), vec!["event_date"]);
    assert_eq!(keys("the partition key is driver_id"), vec!["driver_id"]);
    assert_eq!(keys("64 partitions on user_id"), vec!["user_id"]);
    assert_eq!(keys("sharded on device id"), vec!["device id"]);
    assert!(keys("partitioned by the way we load it").is_empty());
    // A verb after "partition key" is not the key.
    assert_eq!(
        keys("Partition key stays whatever the producer uses today, order_id for orders."),
        Vec::<String>::new()
    );
}

#[test]
fn a_partition_named_by_what_it_holds_says_its_key() {
    assert_eq!(
        keys(
            "We write with INSERT OVERWRITE per event_date partition so a rerun replaces the day."
        ),
        vec!["event_date"]
    );
    assert_eq!(
        keys("Each day-run overwrites that day's partition in Iceberg."),
        vec!["day"]
    );
    assert_eq!(
        keys("one partition per tenant_id, hot ones split"),
        vec!["tenant_id"]
    );
    // Counts and places are not keys.
    assert!(keys("12 partitions per topic and 3 per broker").is_empty());
    assert!(keys("one partition per broker").is_empty());
    assert!(keys("the topic's partitions are spread over brokers").is_empty());
}

#[test]
fn a_compound_key_is_read_whole_in_the_candidates_words() {
    assert_eq!(
        keys("24 partitions keyed by table and primary key"),
        vec!["table and primary key"]
    );
    assert_eq!(
        keys("partitioned by (user_id, event_date)"),
        vec!["(user_id, event_date)"]
    );
    assert_eq!(
        keys("keyed by tenant_id + user_id"),
        vec!["tenant_id + user_id"]
    );
    assert_eq!(
        keys("partitioned by date and region"),
        vec!["date and region"]
    );
    // What follows "and" must look like a key itself.
    assert_eq!(
        keys("partitioned by date and written hourly to S3"),
        vec!["date"]
    );
    assert_eq!(
        keys("keyed by user_id and deduplicated on event_id"),
        vec!["user_id"]
    );
    // Outside parentheses a comma ends the key.
    assert_eq!(
        keys("keyed by user_id, event_id is only for dedupe"),
        vec!["user_id"]
    );
}

#[test]
fn a_key_written_on_an_arrow_without_an_equals_sign() {
    assert_eq!(
        keys("Avro, 200 MB/s, 4 partitions, key user_id"),
        vec!["user_id"]
    );
    assert!(keys("the key user journey is checkout").is_empty());
}

#[test]
fn a_key_named_as_the_partition_it_lands_on() {
    assert_eq!(
        keys("Kafka gets it on the user_id partition, Flink keeps the session"),
        vec!["user_id"]
    );
    assert!(keys("it lands on the same partition").is_empty());
    assert!(
        keys("one day partition, ~25 GB").is_empty(),
        "a unit, not a key"
    );
    assert!(keys("the hot partition lags").is_empty());
}

#[test]
fn a_descriptor_gives_way_to_the_identifier_it_names() {
    assert_eq!(
        keys("to the customers topic, keyed by the primary key customer_id."),
        vec!["customer_id"]
    );
    assert_eq!(
        keys("keyed by the table's primary key (order_id)"),
        vec!["order_id"]
    );
    assert_eq!(
        keys("Partition key = primary key of each table."),
        vec!["primary key"]
    );
}

#[test]
fn any_noun_after_a_strong_cue_is_the_key() {
    assert_eq!(
        keys("produced to Kafka partitioned by cluster name, so 40 clusters"),
        vec!["cluster name"]
    );
    assert_eq!(
        keys("Everything is partitioned by ds, the event date"),
        vec!["ds"]
    );
    assert_eq!(
        keys("Ingestion-time partitioning, clustered by team."),
        vec!["team"]
    );
    assert!(keys("sharded by default").is_empty());
}

#[test]
fn terse_answers_to_a_key_question() {
    let k = |t: &str| answered_key(t).map(|k| k.0);
    assert_eq!(k("By date."), Some("date".into()));
    assert_eq!(k("By user_id."), Some("user_id".into()));
    // Hedged, before or after.
    assert_eq!(k("device id i think"), Some("device id".into()));
    assert_eq!(k("maybe by device_id"), Some("device_id".into()));
    assert_eq!(
        k("customer_id. Partition key = primary key of each table."),
        Some("customer_id".into())
    );
    assert_eq!(
        k("The cluster name, as I said: all of one cluster's samples stay in order"),
        Some("cluster name".into())
    );
    assert_eq!(
        k("user_id, like I wrote on the arrow, so all of one user's events land together"),
        Some("user_id".into())
    );
    assert_eq!(
        k("By the table's primary key, customer_id here, as I said"),
        Some("customer_id".into())
    );
    assert_eq!(k("Not sure, maybe later."), None);
    assert_eq!(k("Monitoring."), None);
    assert_eq!(k("By the time we load it, it's fine."), None);
}

/// Found playing log-analytics: "400 partitions keyed by service+pod"
/// was read as no key, and the partition key into Kafka was asked for.
#[test]
fn a_key_joined_by_plus_is_read_whole() {
    assert_eq!(
        keys("zstd JSON, ~1.5 GB/s compressed, 400 partitions keyed by service+pod"),
        vec!["service+pod"]
    );
    assert_eq!(
        keys("keyed by tenant_id+user_id"),
        vec!["tenant_id+user_id"]
    );
    // Spaced, each part must look like a key on its own.
    assert_eq!(keys("keyed by service + pod"), vec!["service"]);
}

#[test]
fn a_hive_style_partition_path_names_its_key() {
    let k =
        keys_in("writes the facts to s3://staging/attribution_v2/ds=2024-03-03/ with overwrite");
    assert!(k.iter().any(|(x, _, _)| x == "ds"), "{k:?}");
    let k = keys_in("Airflow triggers Spark v2 with ds=2024-03-03.");
    assert!(
        !k.iter().any(|(x, _, _)| x == "ds"),
        "a parameter is not a path: {k:?}"
    );
}

#[test]
fn a_partition_written_on_a_retry_or_keyed_by_a_list_names_no_stray_key() {
    assert!(
        keys("writes rollups partitioned by day and team, overwriting the partition on retry")
            .iter()
            .all(|k| k != "retry")
    );
    // "partition keyed by (series, window_start)" is keyed by the list,
    // not by the letters after "key".
    let k = keys("it overwrites the whole day partition keyed by (series, window_start)");
    assert!(k.iter().all(|k| k != "ed"), "{k:?}");
    // A partition key said as such is still read.
    assert_eq!(keys("the partition key is tenant_id"), vec!["tenant_id"]);
    assert_eq!(keys("Kafka partitioned on user_id"), vec!["user_id"]);
}

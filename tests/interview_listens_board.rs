//! The interviewer follows the board: a key with fewer values than the
//! partitions it is spread over leaves most of them idle, a scratched store
//! is not asked about, and the wait for late data is the watermark said.

mod listening;

use listening::{asks, Round};

/// "partition key = sensor_type: temperature / vibration / power" over 40
/// shards: three keys fill three shards, whatever the count. The
/// interviewer says so and asks what key would spread it.
#[test]
fn a_key_with_fewer_values_than_partitions_is_challenged() {
    let mut r = Round::clarified("iot-telemetry");
    let t = r.say("devices --MQTT, JSON, 2M msgs/s--> AWS IoT Core --> Kinesis (partition key = sensor_type: temperature / vibration / power, 40 MB/s)\nKinesis --> Flink --alerts--> SNS\nKinesis --> Firehose --> S3");
    let (t, seen) = r.until(
        t,
        4,
        |i, _| i.starts_with("challenge_partition"),
        "Kinesis has 40 shards.",
    );
    let (intent, _) = asks(&t).expect("a question");
    assert_eq!(
        intent,
        "challenge_partition_capacity_few_keys",
        "{seen:?} {}",
        t.text()
    );
    assert!(t.text().contains("3 of your 40"), "{}", t.text());
}

/// "Scratch Redis … DynamoDB instead": the interviewer asks neither what
/// Redis costs nor how a Redis shard fails; the drills are about the
/// store they have now.
#[test]
fn a_scratched_store_is_neither_weighed_nor_drilled() {
    let mut r = Round::clarified("feature-store");
    r.say("app events --(Avro, 50K/s)--> Kafka --> Flink streaming features --(feature rows, 50K writes/s)--> Redis (online store)\nFlink --> S3 feature log --> Spark daily --> Redis\nRanking service --(20K req/s)--> Redis");
    r.say("Redis because the p99 budget is 10 ms and it's the obvious sub-millisecond option.");
    r.say("Actually, scratch Redis. 100M users times 200 features is too much RAM. We'll use DynamoDB as the online store instead, keyed by user_id, with DAX in front for the hot items. Everything that pointed at Redis now points at DynamoDB.");
    let mut said = Vec::new();
    for _ in 0..30 {
        let t = r.say("DynamoDB with DAX, keyed by user_id; writes are conditional on a newer feature_ts, so a retry is a no-op.");
        said.push(t.text());
        if r.s.phase() == mockround::rubric::Phase::FailureModes && said.len() > 12 {
            break;
        }
    }
    for (i, s) in said.iter().enumerate() {
        let asks_redis = s.contains("going with Redis")
            || s.contains("Redis shard")
            || s.contains("Redis node")
            || s.contains("Redis primary");
        assert!(!asks_redis, "turn {i}: {s}");
    }
}

/// "interval join on order_id, 30 minutes, watermark about 30 seconds
/// behind": the job waits 30 seconds for late data, not 30 minutes; a
/// window size alone says nothing of waiting.
#[test]
fn the_wait_for_late_data_is_the_watermark_not_the_window() {
    let mut r = Round::clarified("streaming-enrichment");
    r.say("Kafka orders -> Flink enrichment -> Kafka enriched_orders -> Druid\nKafka payments -> Flink enrichment\nFlink enrichment -> Iceberg on S3");
    r.to(mockround::rubric::Phase::DataFlow);
    let mut said = Vec::new();
    for _ in 0..16 {
        let t = r.say("Keyed by order_id into Kafka orders, at-least-once end to end; every sink upserts on order_id, so a retried write is a no-op. Payment: interval join on order_id, 30 minutes, watermark about 30 seconds behind the max event time. If no payment yet, I emit the order with payment_status pending.");
        said.push(t.text());
    }
    assert!(
        said.iter()
            .all(|s| !s.contains("waits 30 minutes") && !s.contains("watermark is 30 minutes")),
        "{said:#?}"
    );
}

/// "Replication factor 1 to save money", said back, then made again: a
/// wrong claim stood by keeps the round from L5; taken back, it does not.
#[test]
fn a_wrong_claim_stood_by_is_in_the_verdict_and_one_taken_back_is_not() {
    let play = |then: &str| {
        let mut r = Round::clarified("clickstream");
        r.say("Web SDK -> Kafka : JSON, 200K events/s, key=user_id, 64 partitions\nKafka -> Flink : sessionise, 200K/s\nFlink -> S3 : Parquet, 5 TB/day\nI'll run Kafka with replication factor 1 to save money.");
        r.say(then);
        r.s.facts().claims_stood_by
    };
    let stood =
        play("I stand by replication factor 1: the SDK can resend, so losing a broker is fine.");
    assert_eq!(stood.len(), 1, "{stood:?}");
    let taken =
        play("You're right, replication factor 1 was a mistake: RF 3 with min.insync.replicas=2.");
    assert!(taken.is_empty(), "{taken:?}");
}

/// "Kinesis -> Firehose -> S3" beside "SDK -> Kinesis Data Streams": the
/// shards to size are the stream's. Firehose scales itself, and SQS has no
/// partitions to count or key.
#[test]
fn partitions_are_asked_of_a_queue_that_has_them() {
    let mut r = Round::clarified("clickstream");
    let t = r.say("Web SDK -> API Gateway -> Kinesis Data Streams (JSON, 200K/s peak, keyed by user_id) -> Spark Structured Streaming -> Redshift. Kinesis -> Firehose -> S3 raw (Parquet, 5 TB/day)");
    let (t, seen) = r.until(
        t,
        8,
        |i, _| i.starts_with("challenge_partition"),
        "JSON, about 200K events a second at peak, 1 KB each, so 200 MB/s.",
    );
    assert_eq!(
        asks(&t).unwrap_or_default().0,
        "challenge_partition_count",
        "{seen:#?}"
    );
    assert!(
        t.text().contains("going into Kinesis Data Streams."),
        "{}",
        t.text()
    );

    let mut r = Round::clarified("clickstream");
    let mut said = vec![r.say("Web SDK -> SQS (JSON, 200K events/s) -> Lambda -> Kafka (200K events/s, Avro) -> Flink -> Redshift").text()];
    for _ in 0..10 {
        said.push(
            r.say("JSON, about 200K events a second at peak, 1 KB each, so 200 MB/s.")
                .text(),
        );
    }
    let about_sqs = |s: &&String| s.contains("into SQS") || s.contains("SQS. How many");
    assert!(!said.iter().any(|s| about_sqs(&s)), "{said:#?}");
    assert!(
        said.iter().any(|s| s.contains("key into Kafka")),
        "{said:#?}"
    );
}

/// Kinesis and Spark on the board where the problem's failures name Kafka's
/// brokers and Flink's TaskManagers: Kinesis has no brokers of theirs to
/// lose (`failure_names` tests the availability zone said instead), and
/// Spark has executors.
#[test]
fn failures_are_said_in_the_words_of_the_products_built() {
    use mockround::interview::session::{Input, Session};
    let rubric = mockround::rubric::Rubric::builtin().expect("rubric");
    let scorer = mockround::score::Scorer::new(&rubric);
    let p = rubric.problem("clickstream").expect("problem").clone();
    let mut said = Vec::new();
    for seed in 1..=8 {
        let templates = std::sync::Arc::new(mockround::interview::templates::Templates::builtin());
        let mut s = Session::new(
            p.clone(),
            templates,
            mockround::interview::clock::Pace::Untimed,
            seed,
        );
        s.open(0);
        let mut now = 0;
        for text in [
            "What is the peak scale, how fresh must the data be, and who consumes it?",
            "Web SDK -> Kinesis Data Streams (JSON, 200K/s, keyed by user_id) -> Spark Structured Streaming -> Redshift (session facts)\nKinesis Data Streams -> Firehose -> S3 raw (Parquet, 5 TB/day)",
        ] {
            now += 30_000;
            s.handle(Input::Answer(text.to_string()), now, &scorer);
        }
        while s.phase() < mockround::rubric::Phase::FailureModes {
            now += 1_000;
            s.handle(Input::Next, now, &scorer);
        }
        for _ in 0..8 {
            now += 1_000;
            said.push(s.handle(Input::Next, now, &scorer).text());
        }
    }
    assert!(
        !said
            .iter()
            .any(|s| s.contains("brokers") || s.contains("TaskManager")),
        "{said:#?}"
    );
    assert!(
        said.iter()
            .any(|s| s.contains("Spark Structured Streaming executor")),
        "{said:#?}"
    );
}

/// "devices -> IoT Hub -> Kafka": the MQTT broker relays the devices'
/// readings, so once the first arrow is sized the interviewer does not ask
/// what flows on the second, as it would not after a queue.
#[test]
fn what_a_relaying_broker_passes_on_is_not_asked_again() {
    let mut r = Round::clarified("iot-telemetry");
    let t = r.say("devices -> IoT Hub -> Kafka -> Flink -> Postgres\nKafka -> S3 (Parquet, partitioned by date)");
    assert!(t.text().contains("devices to IoT Hub"), "{}", t.text());
    let mut seen = Vec::new();
    for _ in 0..3 {
        let t = r.say("Protobuf readings, 2M devices every 10 seconds: 200K readings a second at about 200 bytes, so 40 MB/s.");
        seen.push(t.text());
    }
    assert!(
        !seen.iter().any(|s| s.contains("IoT Hub to Kafka")),
        "{seen:#?}"
    );
}

/// "That's 10 boxes. Can you collapse it?" answered with the six kept, by
/// name: the board is collapsed, not "be more specific", and the question
/// is not left open.
#[test]
fn a_crowded_board_collapsed_by_naming_the_boxes_kept_is_answered() {
    let mut r = Round::clarified("data-quality-platform");
    let t = r.say(
        "Fivetran -> staging tables (Iceberg on S3 / Snowflake) : raw extracts, 3 TB/day\n\
         Airflow DAGs -> staging tables : load writes to a staging branch, ~1,200 loads/day\n\
         Airflow -> Check runner (Great Expectations on Spark) : table + partition to check, 15K checks/day\n\
         Check runner -> Results store (Postgres) : check results as rows, ~15K rows/day\n\
         Check runner -> publish step : fast-forward on pass, ~1,200 a day\n\
         Results store -> Alert router -> PagerDuty\n\
         Alert router -> Slack\n\
         Results store -> Quality dashboard (Superset) : per-table status",
    );
    let (t, seen) = r.until(
        t,
        6,
        |i, _| i == "too_many_boxes",
        "A few hundred rows a day, JSON webhooks; the dashboard just queries Postgres.",
    );
    assert_eq!(asks(&t).map(|a| a.0), Some("too_many_boxes"), "{seen:?}");
    let t = r.say(
        "Airflow, the staging tables, the check runner, the results store, the alert router and the dashboard. \
         The publish step is a task in the same DAG, and PagerDuty and Slack are just where alerts land.",
    );
    assert!(
        !t.says.iter().any(|s| s.intent.starts_with("push_")),
        "{}",
        t.text()
    );
    assert!(!t.text().contains("leave that one open"), "{}", t.text());
}

/// "The owner paged within 10 minutes of a failure" is how fast someone
/// hears of a failed check, not how fresh the data must be: a daily load is
/// not challenged with it.
#[test]
fn a_paging_target_is_not_a_freshness_target_for_a_daily_load() {
    let mut r = listening::Round::new("data-quality-platform");
    r.say("How many tables and loads a day, and how quickly must a failure be detected? Who consumes the results?");
    let t = r.say(
        "Airflow -> Spark : daily loads, 1,200 loads/day\n\
         Spark -> Iceberg : Parquet, 3 TB/day\n\
         Iceberg -> Check runner (Great Expectations) : new partition, 15K checks/day\n\
         Check runner -> Postgres results : 15K rows/day\n\
         Postgres results -> PagerDuty : alerts",
    );
    let mut turns = vec![t];
    for _ in 0..6 {
        turns.push(r.say(
            "The Airflow DAGs run daily; each load writes a staging branch and the checks run right after it.",
        ));
    }
    let challenged = |t: &mockround::interview::session::Turn| {
        t.says
            .iter()
            .any(|s| s.intent == "challenge_freshness_budget")
    };
    let said: Vec<String> = turns.iter().map(|t| t.text()).collect();
    assert!(!turns.iter().any(challenged), "{}", said.join("\n"));
}

/// "… which gives 5 hours of slack before 06:00" is headroom the candidate
/// worked out, not a 5-hour freshness target for a nightly job.
#[test]
fn headroom_said_by_the_candidate_is_not_a_freshness_target() {
    let mut r = listening::Round::new("payments-reconciliation");
    r.say("What volumes per day, from which sources, and by when must finance have the result? Who acts on mismatches?");
    let mut turns = vec![r.say(
        "Postgres (payments) -> Debezium -> Kafka : change events, Avro, ~20M/day\n\
         Kafka -> S3 raw : Parquet, hourly files, ~15 GB/day\n\
         S3 raw -> Spark nightly recon job (EMR) : yesterday's partitions, ~15 GB\n\
         Spark -> Snowflake : matched/unmatched facts via MERGE on txn_id, ~20M rows/day\n\
         Snowflake -> Looker : finance recon report",
    )];
    turns.push(r.say("Kafka because Debezium writes to it natively; the Spark job runs nightly at 01:00 after the settlement file lands, which gives 5 hours of slack before 06:00."));
    for _ in 0..4 {
        turns.push(r.say("That's all the arrows; Looker just queries Snowflake."));
    }
    let said: Vec<String> = turns.iter().map(|t| t.text()).collect();
    assert!(
        !turns.iter().any(|t| t
            .says
            .iter()
            .any(|s| s.intent == "challenge_freshness_budget")),
        "{}",
        said.join("\n")
    );
}

/// "150 floats x 4 bytes = 600 bytes per row", said of the nightly load
/// into Redis, is no size of the events going into Kafka: the partition
/// question works from Kafka's own figures, not "50K/s at 600 bytes per
/// row" (nor, as a round once said, "at 4 bytes").
#[test]
fn a_size_said_of_another_flow_is_not_the_record_size_of_a_partitioned_queue() {
    let mut r = Round::clarified("feature-store");
    let t = r.say("App events -> Kafka (events topic, avro, 50K/s, 64 partitions keyed by user_id)\nKafka -> Flink session features (keyed by user_id, 1-minute windows) : feature rows, ~50K updates/s\nFlink session features -> Redis Cluster online store : HSET user:{id} features, 50K writes/s\nFlink session features -> Kafka feature-log topic : avro feature rows with event_time, 50K/s\nKafka feature-log topic -> S3 Iceberg offline store : parquet, ~40 GB/day\nPostgres orders DB -> Debezium -> Kafka : CDC, ~2K rows/s\nSpark daily batch features (reads Iceberg) -> Redis Cluster online store : bulk load 100M users x 150 features nightly\nRanking service -> Redis Cluster online store : MGET 1 user + 100 items, 20K req/s, p99 8ms");
    let (t, seen) = r.until(
        t,
        6,
        |i, _| i.starts_with("challenge_partition"),
        "150 floats x 4 bytes = 600 bytes per row. 100M rows x 600 bytes = 60 GB a night.",
    );
    let text = t.text();
    assert!(
        asks(&t).is_some_and(|(i, _)| i.starts_with("challenge_partition")),
        "{seen:#?} {text}"
    );
    assert!(
        !text.contains("4 bytes") && !text.contains("600 bytes"),
        "{text}"
    );
}

/// "Bank SFTP -> S3 landing : 2 GB/day" then "S3 landing -> Spark parse
/// job": the job parses what landed, so once the first arrow is sized the
/// interviewer does not ask how much flows on the second.
#[test]
fn what_a_landing_bucket_hands_its_job_is_not_asked_again() {
    let mut r = Round::clarified("financial-reconciliation");
    let mut seen = vec![r
        .say("Bank SFTP -> S3 landing (raw files, immutable) : CSV/MT940/JSON, ~2 GB/day by 04:00\nS3 landing -> Spark parse job -> S3 Iceberg statement_lines : Parquet, ~10M lines/day\nLedger Postgres -> Debezium -> Kafka : Avro, 5M entries/day\nKafka -> S3 Iceberg ledger_entries : Parquet, ~2 GB/day\nS3 Iceberg statement_lines -> Spark matching job -> Snowflake exceptions : ~50K/day")
        .text()];
    for _ in 0..3 {
        seen.push(r.say("About 50K exceptions a day, a few MB.").text());
    }
    assert!(
        !seen
            .iter()
            .any(|s| s.contains("from S3 landing to Spark parse job")),
        "{seen:#?}"
    );
}

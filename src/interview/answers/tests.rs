//! What the answer readers take for an answer, an evasion or a dispute.

#[test]
fn a_bare_date_key_is_told_apart_from_a_named_date() {
    use super::bare_date;
    assert!(bare_date("By date."));
    assert!(bare_date("Partitioned by day, I think."));
    assert!(!bare_date("By event date, the day the sale happened."));
    assert!(!bare_date("ds = the load date"));
    assert!(!bare_date("By store_id."));
}

use super::*;

#[test]
fn terse_keys_are_read_as_keys() {
    for t in [
        "By date.",
        "user_id, like I wrote on the arrow.",
        "By the table's primary key, customer_id here.",
        "The cluster name, as I said.",
        "Ingestion-time partitioning, clustered by team.",
        "Everything is partitioned by ds, the event date.",
        "The device id maybe.",
    ] {
        assert!(names_key(t), "{t}");
    }
    for t in [
        "Not sure.",
        "Partitioned for performance, following best practices.",
    ] {
        assert!(!names_key(t), "{t}");
    }
}

#[test]
fn rates_with_any_noun_are_read_as_rates() {
    for t in [
        "VictoriaMetrics to vmalert: about 130 queries/s.",
        "A few alerts per minute, as written: it's tiny.",
        "a few MB a day.",
        "500 experiments a day",
        "Zero bytes. It's a trigger, not a data path.",
    ] {
        assert!(names_rate(t), "{t}");
    }
    assert!(!names_rate("The results."));
    assert!(!names_rate("One load a day."));
    // A count with its cadence is a volume per run.
    assert!(names_rate("Hourly spend per team, same few thousand rows."));
    assert!(names_rate("Each daily run loads about 40K records."));
    assert!(!names_rate("A few thousand rows."), "no cadence, no volume");
    assert!(!names_rate("Hourly, it's a small table."));
    assert!(!names_rate(
        "Impressions and clicks, a lot of them. JSON I guess."
    ));
}

#[test]
fn corrections_with_a_reason_are_disputes_and_hand_waves_are_not() {
    for t in [
        "No data goes through Airflow; that arrow is control.",
        "It's our own service that product pages and checkout call.",
        "There's no stream job holding state here.",
        "Nothing is written to Snowflake; rows are deleted.",
        "Spark never writes to the raw events; it only reads them.",
        "There are no windows: on_hand is a running balance.",
        "The deleter doesn't publish numbers.",
        "Nothing here publishes daily numbers: the Spark job is a one-off conversion of history.",
        "That job is a one-off backfill, it runs once over five years of files.",
    ] {
        let w = t.split_whitespace().count();
        assert!(disputes(t, w), "{t}");
    }
    for t in [
        "S3 is durable, so that doesn't really happen.",
        "With exactly-once it isn't retried.",
        "Not sure, that partition would be slow I guess.",
        "No.",
        "It's reliable, AWS handles that.",
    ] {
        let w = t.split_whitespace().count();
        assert!(!disputes(t, w), "{t}");
    }
}

#[test]
fn buzzword_replies_are_evasions_but_figures_are_not() {
    for t in [
        "We'd leverage serverless, autoscaling and a cost-optimised, cloud-native design.",
        "Golden signals: latency, traffic, errors and saturation, with AIOps anomaly detection.",
        "Hive-style partitioning with Z-ordering and liquid clustering for data skipping.",
    ] {
        assert!(buzz_only(t), "{t}");
        assert_eq!(
            stance(Check::Substance, false, t, 12),
            Stance::Evades,
            "{t}"
        );
    }
    assert!(!buzz_only(
        "Consumer lag above 5 minutes on the enrichment group pages the on-call."
    ));
}

#[test]
fn an_answer_about_something_else_is_not_on_topic() {
    let sink = "The file sink is a two-phase commit: files only become visible when the checkpoint commits.";
    assert!(!on_topic("challenge_hot_key", sink));
    assert!(on_topic(
        "challenge_hot_key",
        "I'd salt that user's key into 16 sub-keys and merge the partial counts."
    ));
    assert!(on_topic("challenge_state_size", sink));
    assert!(on_topic(
        "challenge_hidden_constraint",
        "Anything goes here."
    ));
    // "Hourly runs against a 15-minute target" is answered with time, not
    // with why the warehouse was chosen.
    let why =
        "Snowflake because finance already reports from it and MERGE handles late lines in place.";
    assert!(!on_topic("challenge_freshness_budget", why));
    assert!(on_topic(
        "challenge_freshness_budget",
        "The store dashboard reads a provisional view fed from the stream; the hourly job is for finance."
    ));
}

#[test]
fn a_platform_guarantee_is_a_hand_wave_not_a_mechanism() {
    let t = "Yes, it's idempotent because the lakehouse gives us ACID.";
    assert!(hand_wave(t));
    assert_eq!(stance(Check::Write(0), false, t, 9), Stance::Evades);
    assert!(names_rate(
        "However many you said, a million a second or so."
    ));
    let t =
        "COPY INTO keeps load metadata per file, so a retried load skips files it already loaded.";
    assert_eq!(stance(Check::Write(0), false, t, 15), Stance::Gives);
}

#[test]
fn a_platform_guarantee_with_its_mechanism_is_not_a_hand_wave() {
    let t = "Kafka over Kinesis: at 200K/s Kinesis needs about 200 shards and per-shard cost adds up, while MSK gives 7-day replay and the Flink Kafka source with exactly-once offsets. Either meets a 60 second budget; the trade-off is that we operate brokers.";
    assert!(!hand_wave(t));
    assert_ne!(stance(Check::Substance, false, t, 40), Stance::Evades);
    // Kafka transactions are the mechanism too.
    let t = "We already run MSK, and Flink's Kafka source gives us exactly-once with transactions; Kinesis would also work at 10K/s but with shard limits and we'd lose the transactional sink.";
    assert!(!hand_wave(t));
    assert_ne!(stance(Check::Substance, false, t, 30), Stance::Evades);
    // Without a mechanism it still is one: ACID transactions do not make a
    // retried append land once.
    assert!(hand_wave(
        "Yes, it's idempotent because the lakehouse gives us ACID transactions."
    ));
    assert!(hand_wave("No duplicates, it's exactly-once."));
    assert!(hand_wave("We get that with exactly-once, it just works."));
}

#[test]
fn handles_that_is_a_hand_wave_only_when_nothing_follows_it() {
    for t in [
        "Kafka handles that.",
        "Spark handles it, and we move on.",
        "It's exactly-once, Flink handles that with checkpoints.",
        "Snowflake handles all of that for us.",
        "It's reliable, AWS handles that",
    ] {
        assert!(hand_wave(t), "{t}");
    }
    // How it is handled, with its figure, is a mechanism.
    let t = "The daily production pipeline already handles that with a 3-day lookback that re-attributes the last 3 dates.";
    assert!(!hand_wave(t), "{t}");
    // A comparison that says what is handled and how well.
    let t = "I picked Flink because the job keeps per-user state for 30 days, and Flink's RocksDB state with incremental checkpoints handles that size better than Spark's state store.";
    assert!(!hand_wave(t));
    assert_ne!(stance(Check::Substance, false, t, 30), Stance::Evades);
}

#[test]
fn scaling_out_is_no_answer_to_one_hot_key_unless_the_key_is_split() {
    for t in [
        "Flink can handle it, it scales horizontally.",
        "We'd bump the topic to 96 partitions and raise the Flink parallelism to 96.",
        "Just add more consumers, it autoscales.",
    ] {
        assert!(scale_out_only(t), "{t}");
    }
    for t in [
        "Add more partitions and salt the key with a random suffix 0-9, then merge per sku.",
        "Pre-aggregate per sku in a local window first, then scale out the keyed stage.",
        "Replicate the hot key in Redis for reads; writes go through a two-stage count.",
        // No scaling said at all: another push fits, not this one.
        "It's fine, it never happens.",
    ] {
        assert!(!scale_out_only(t), "{t}");
    }
}

#[test]
fn a_product_the_company_already_runs_is_a_premise_not_a_preference() {
    for t in [
        "Snowflake is already the company warehouse, I'm not choosing it here; deletion has to work on whatever holds the data.",
        "Kafka isn't my choice here, the platform team runs it and it's a given.",
    ] {
        assert!(given_not_chosen(t), "{t}");
    }
    // A bare preference still is one, and having it is no choice given.
    for t in [
        "Kafka is kind of the standard, everyone uses it.",
        "Snowflake is what we know.",
        "BigQuery is what we already have, and it's infinitely scalable.",
    ] {
        assert!(!given_not_chosen(t), "{t}");
    }
}

#[test]
fn a_figure_defended_by_naming_the_other_flow_is_an_explanation_not_a_stand() {
    let working = "90 days of 5 MB/s is about 39 TB, not 3.6 TB: 11× more.";
    assert!(!stands_by(
        "3.6 TB: the feature log is about 40 GB a day, and 90 days of that is 3.6 TB. \
         The 5 MB/s is the raw auth stream into Kafka, not the log.",
        "3.6 TB",
        working
    ));
    // One item's figure, said to be one item's: the sum was done on the
    // wrong thing.
    let working = "5 years of 1 TB/day is about 1.8 PB, not 6 TB: 300× more.";
    assert!(!stands_by(
        "6 TB is the largest single training set, not what we keep; what we keep is about \
         100 TB over 5 years.",
        "6 TB",
        working
    ));
    // Kept without a word about which flow: still standing by it.
    assert!(stands_by("I'd stand by 3.6 TB.", "3.6 TB", working));
    assert!(stands_by(
        "It's 3.6 TB, that's what we store.",
        "3.6 TB",
        working
    ));
}

#[test]
fn a_service_named_by_what_it_is_built_with_is_a_concrete_box() {
    for t in [
        "a small python service",
        "It's a FastAPI app behind the load balancer.",
        "our own deletion worker",
        "A Go service we already run.",
        "a Spring Boot microservice",
    ] {
        assert!(names_own_service(t), "{t}");
    }
    for t in [
        "events go to the service",
        "not sure, some service",
        "it's an API",
        "whatever the app uses",
    ] {
        assert!(!names_own_service(t), "{t}");
    }
}

#[test]
fn shrugs_that_name_no_mechanism_are_evasive() {
    use super::evasive;
    for t in [
        "It's all managed so it just scales.",
        "Once, I think. The cloud would handle retries properly.",
        "Then that partition gets a bit busier, but Kafka's built for that.",
        "Kafka absorbs the spike. Everything catches up after a while.",
        "It'd be fine, the cloud is really reliable these days.",
        "5 years is fine in S3, storage is cheap.",
        "Yeah it should be fine. We'd monitor it.",
        "Enough partitions to handle the load. We'd tune it as we go.",
        "I'd rather skip that one, I don't really know how Snowflake handles it internally.",
        "Next.",
        "Snowflake scales, so the data volume isn't an issue.",
        "Snowflake handles partitioning automatically, so we don't really need to think about it.",
        // A few words naming an action or a guarantee, nothing behind it.
        "we'd retry",
        "we'd retry the job",
        "kafka handles the partitioning",
        "yes it's idempotent",
        "we'd have alerts and fix it",
        "we'd see it in the dashboard",
    ] {
        assert!(evasive(t), "{t}");
    }
    for t in [
        "Probably the device ID, that spreads it out evenly.",
        "Consumer lag per partition, paging above 5 minutes of lag.",
        "Kinesis because we're on AWS and it's managed; Flink for the rollups.",
        "Flink restores from the last checkpoint and the Kafka source rewinds to its offsets.",
        "We'd monitor it with a freshness check that pages when the partition is 2 hours late.",
        "Next, the Flink job reads the topic and dedupes by event_id in keyed state for 24 hours.",
        "Skew is not an issue here: orders are keyed by order_id, so no key is hot.",
        "We'd retry from the last committed offset.",
        "Yes, it's idempotent: MERGE on txn_id.",
        "Airflow retries the task 3 times, then pages.",
    ] {
        assert!(!evasive(t), "{t}");
    }
}

#[test]
fn a_comparison_with_nothing_behind_it_is_bare() {
    for t in [
        "Kinesis is slower I think.",
        "Spark is heavier.",
        "Flink is just better for streaming.",
    ] {
        assert!(bare_comparison(t), "{t}");
    }
    for t in [
        "Kinesis is slower: about 200 ms per poll.",
        "Kafka is more mature and we already run it.",
        "Spark is slower because micro-batches add a second of latency.",
        "We use Kafka.",
    ] {
        assert!(!bare_comparison(t), "{t}");
    }
}

#[test]
fn an_answer_about_another_part_is_not_about_the_choice() {
    let mv = crate::interview::moves::Move::new("challenge_why_given")
        .target("Kinesis Data Streams".to_string())
        .var("component", "Kinesis")
        .var("alternative", "Kafka (MSK)");
    let other = "The Redshift write is exactly-once because Spark checkpoints its offsets.";
    assert!(!super::about_the_choice(&mv, other));
    for said in [
        "MSK would mean running brokers; KDS is fully managed and on-demand.",
        "We're all-in on AWS and nobody here wants to operate a cluster.",
        "Kafka would give longer retention, but I'd take the simpler option.",
        "200 shards is about $3K a month, half what an MSK cluster costs.",
    ] {
        assert!(super::about_the_choice(&mv, said), "{said}");
    }
}

#[test]
fn a_concrete_reason_weighs_a_choice_and_a_comparative_alone_does_not() {
    assert!(super::reason_for_a_choice(
        "You have to run it: brokers, KRaft, upgrades. MSK takes most of that away for more money."
    ));
    assert!(super::reason_for_a_choice("The team already knows Spark."));
    assert!(!super::reason_for_a_choice(
        "Honestly it is better and more scalable than the others."
    ));
    assert!(!super::reason_for_a_choice(
        "Battle-tested at hyperscale and cloud-agnostic, so it's the safe choice."
    ));
    // Still about the choice, so not another question's answer.
    let mv =
        crate::interview::moves::Move::new("challenge_tradeoff_plain").target("Kafka".to_string());
    assert!(super::about_the_choice(
        &mv,
        "Honestly it is better and more scalable than the others."
    ));
}

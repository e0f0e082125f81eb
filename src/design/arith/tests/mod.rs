use super::*;
use crate::read::Reader;
use crate::rubric::Rubric;

fn reader() -> Reader {
    Reader::new(
        &Rubric::builtin().expect("builtin rubric"),
        &crate::design::SENTENCE_CUES,
    )
}

fn design(turns: &[&str]) -> Design {
    let r = reader();
    let mut d = Design::new();
    for t in turns {
        d.add_turn(&r, t, None, None);
    }
    d
}

fn found(turns: &[&str]) -> Vec<Mismatch> {
    mismatches(&design(turns))
}

/// The one mismatch whose stated figure is `said`.
fn about<'m>(ms: &'m [Mismatch], said: &str) -> &'m Mismatch {
    ms.iter()
        .find(|m| m.stated.said == said)
        .unwrap_or_else(|| panic!("nothing about {said} in {ms:#?}"))
}

/// Every quote is a real span of the design's text.
fn spans_real(d: &Design, ms: &[Mismatch]) {
    for m in ms {
        let e = &m.stated.evidence;
        assert_eq!(&d.text()[e.start..e.end], e.quote);
        for q in &m.quotes {
            assert_eq!(&d.text()[q.start..q.end], q.quote);
        }
    }
}

/// Candidate turns of a scripted round: `##`/`#>` lines dropped, turns
/// split at `---`.
fn script(text: &str) -> Vec<String> {
    text.split("\n---\n")
        .map(|t| {
            t.lines()
                .filter(|l| !l.starts_with('#'))
                .collect::<Vec<_>>()
                .join("\n")
                .trim()
                .to_string()
        })
        .filter(|t| !t.is_empty())
        .collect()
}

#[test]
fn rate_times_record_size_against_the_stated_bandwidth_is_flagged_with_the_working() {
    let ms = found(&["2M events/s at 1 KB is 200 MB/s, so 8 partitions will do."]);
    let m = about(&ms, "200 MB/s");
    assert_eq!(m.check, Check::OwnSum);
    assert_eq!(m.severity, Severity::Contradiction);
    assert_eq!(
        m.working,
        "2M events/s × 1 KB is about 2 GB/s, not 200 MB/s: 10× more."
    );
    assert!(m.under() && (m.off_by() - 10.0).abs() < 0.01);
}

#[test]
fn a_divisor_said_first_is_shown_after_what_it_divides() {
    let ms = found(&["Kinesis takes 1 MB/s per shard, so 5 GB/s is 50 shards."]);
    let m = about(&ms, "50 shards");
    assert!(
        m.working.starts_with("5 GB/s ÷ 1 MB/s per shard is about"),
        "{}",
        m.working
    );
}

#[test]
fn a_daily_count_converted_to_the_wrong_per_second_rate_is_flagged() {
    let ms = found(&["4M updates a day is about 4,000 a second, so the topic gets 4K/s."]);
    let m = about(&ms, "4,000 a second");
    assert!(
        m.working
            .starts_with("4M updates a day is about 46 updates a second"),
        "{}",
        m.working
    );
    assert!(m.working.ends_with("86× less."), "{}", m.working);
    assert!(!m.under());
}

#[test]
fn a_product_of_hyphenated_units_is_worked_in_those_units() {
    let ms =
        found(&["A month is roughly 30 node-hours x 30 = 6,000 node-hours, 72,000 for the year."]);
    let m = about(&ms, "6,000 node-hours");
    assert!(
        m.working
            .starts_with("30 node-hours × 30 is about 900 node-hours, not 6,000 node-hours"),
        "{}",
        m.working
    );
}

#[test]
fn a_figure_worked_out_again_in_a_sum_that_adds_up_is_confirmed() {
    let first = "A month is roughly 30 node-hours x 30 = 6,000 node-hours.";
    for (again, confirmed) in [
        (
            "200 node-hours a day × 30 days = 6,000 node-hours, so it stands.",
            true,
        ),
        ("It's 6,000 node-hours, that's what the job needs.", false),
        ("200 node-hours a day × 3 days = 6,000 node-hours.", false),
        (
            "I slipped: 200 node-hours a day x 30 days is 6,000 node-hours, and 72,000 a year.",
            true,
        ),
    ] {
        let d = design(&[first, again]);
        assert_eq!(
            turn_confirms(&d, 2, "6,000 node-hours"),
            confirmed,
            "{again}"
        );
    }
}

#[test]
fn a_count_over_an_hour_is_checked_against_the_per_second_rate() {
    let ms =
        found(&["I'd make the TTL 3 days: an hour at 200K/s is only 720K ids, so it's small."]);
    let m = about(&ms, "720K ids");
    assert!(
        m.working.starts_with("an hour × 200K/s is about 720M ids"),
        "{}",
        m.working
    );
    assert_eq!(factor(m.off_by()), "1,000×");
}

#[test]
fn a_daily_volume_far_below_the_per_second_rate_upstream_is_questioned() {
    let ms = found(&["Kafka -- Avro, 200 MB/s --> Flink\nFlink -- Parquet, 5 GB/day --> S3"]);
    let m = about(&ms, "5 GB/day");
    assert_eq!(
        (m.check, m.severity),
        (Check::AcrossStage, Severity::Question)
    );
    assert!(
        m.working
            .contains("200 MB/s (Kafka → Flink) is about 17 TB a day"),
        "{}",
        m.working
    );
    assert!(m.working.contains("3,500× less"), "{}", m.working);
}

#[test]
fn two_rates_for_one_hop_that_disagree_are_a_contradiction() {
    let d = design(&[
        "Kafka -> Flink : Avro, 200 MB/s",
        "Kafka to Flink carries 5 GB/day of Avro.",
    ]);
    let ms = mismatches(&d);
    let m = about(&ms, "5 GB/day");
    assert_eq!(
        (m.check, m.severity),
        (Check::SameFlow, Severity::Contradiction)
    );
    assert_eq!(m.turns, vec![1, 2]);
    spans_real(&d, &ms);
}

#[test]
fn a_consumer_reading_part_of_a_queue_is_not_the_same_flow_as_all_of_it() {
    let same = |ms: &[Mismatch]| ms.iter().any(|m| m.check == Check::SameFlow);
    // Two consumers of MSK: MirrorMaker mirrors a third of it, Flink all.
    let ms = found(&[
        "Producers -> MSK : avro, 300 MB/s peak\nMSK -> MirrorMaker 2 -> MSK west\nMSK -> Flink -> S3",
        "MSK to MirrorMaker is the tier 1 and 2 topics, about 100 MB/s. MSK to Flink is everything, 300 MB/s peak.",
    ]);
    assert!(!same(&ms), "{ms:#?}");
    // One consumer whose arrow says it carries part of the queue.
    let ms = found(&[
        "Producers -> Kafka : json, 300 MB/s\nKafka -> Replicator : tier 1 topics only, 20 MB/s",
    ]);
    assert!(!same(&ms), "{ms:#?}");
    // Two producers into one queue: each writes less than comes out.
    let ms = found(&[
        "Orders -> Kafka : avro, 10 MB/s\nClicks -> Kafka : json, 100 MB/s\nKafka -> Flink : 110 MB/s",
    ]);
    assert!(!same(&ms), "{ms:#?}");
    // One arrow in and one out, nothing said of a part: the same flow.
    let ms = found(&["Producers -> Kafka : json, 300 MB/s\nKafka -> Flink : json, 20 MB/s"]);
    assert!(same(&ms), "{ms:#?}");
    // More out of a queue than all that goes in is still a contradiction.
    let ms = found(&[
        "Producers -> Kafka : json, 30 MB/s\nKafka -> Flink : json, 300 MB/s\nKafka -> S3 sink : json, 30 MB/s",
    ]);
    assert!(same(&ms), "{ms:#?}");
}

#[test]
fn an_average_said_as_one_is_not_a_second_reading_of_the_peak() {
    let same = |ms: &[Mismatch]| ms.iter().any(|m| m.check == Check::SameFlow);
    // The answer to "what goes from Postgres ledger to Debezium?".
    let r = reader();
    let mut d = Design::new();
    d.add_turn(
        &r,
        "Postgres ledger -> Debezium -> Kafka : ledger entries, avro, 5M/day (~60/s avg, 500/s peak)",
        None,
        None,
    );
    let asked = crate::design::Asked {
        edge: d
            .edges
            .iter()
            .position(|e| e.to == d.find("Debezium").unwrap_or(usize::MAX)),
        ..crate::design::Asked::default()
    };
    assert!(asked.edge.is_some(), "{:#?}", d.edges);
    d.read_answer(
        &r,
        "It's the WAL of the ledger tables through the replication slot, so row changes, about 500/s at peak.",
        None,
        asked,
    );
    let ms = mismatches(&d);
    assert!(!same(&ms), "{ms:#?}");
    // An average above the other figure still disagrees with it.
    let ms = found(&[
        "Kafka -> Flink : json, 5K/s on average",
        "Kafka to Flink carries 500/s at peak.",
    ]);
    assert!(same(&ms), "{ms:#?}");
    // Two plain figures for one hop still do.
    let ms = found(&[
        "Kafka -> Flink : json, 60/s",
        "Kafka to Flink carries 500/s.",
    ]);
    assert!(same(&ms), "{ms:#?}");
}

#[test]
fn samples_a_second_squeezed_into_too_little_bandwidth_is_flagged() {
    let ms = found(&["Prometheus agents → Kafka : remote-write protobuf, 20M samples/s, 3 MB/s"]);
    let m = about(&ms, "3 MB/s");
    assert_eq!(m.check, Check::RecordSize);
    assert!(
        m.working
            .starts_with("20M samples/s in 3 MB/s is 0.15 bytes a sample"),
        "{}",
        m.working
    );
}

#[test]
fn storage_for_a_retention_is_checked_against_the_rate_that_fills_it() {
    let ms = found(&[
        "Prometheus agents -> Kafka : 20M samples/s\nKafka -> VictoriaMetrics : 20M samples/s",
        "VictoriaMetrics stores about 1 byte per sample compressed.",
        "For the budget, 13 months is about 7 TB of storage.",
    ]);
    let m = about(&ms, "7 TB");
    assert_eq!(m.check, Check::Retention);
    assert!(m.working.contains("674 TB, not 7 TB"), "{}", m.working);
}

#[test]
fn one_items_size_is_not_what_a_retention_keeps() {
    // "Rebuilding a 6 TB set ... we keep the training set for 5 years"
    // was checked as if 6 TB were five years of the raw inflow.
    let ms = found(&[
        "Kafka events + Debezium CDC -> S3 raw : Avro, ~1 TB/day, partitioned by event date\n\
         S3 raw -> Spark feature jobs : daily, orchestrated by Airflow\n\
         Spark feature jobs -> Iceberg feature tables : Parquet, 300 TB, one snapshot per daily commit\n\
         Iceberg feature tables -> Spark dataset builder : point-in-time join, 500 GB typical\n\
         Spark dataset builder -> S3 training sets : Parquet, path = hash of the manifest\n\
         Spark dataset builder -> MLflow : manifest with snapshot ids, git sha, seed",
        "Two things change. Rebuilding a 6 TB set from snapshots can take longer than 4 hours, so \
         for production models we keep the materialised training set itself, on S3 with Object Lock \
         in compliance mode for 5 years, moved to Glacier Instant Retrieval after 90 days so it \
         still reads back in minutes. Each production model pins its snapshots with a 5-year tag so \
         expire_snapshots never removes them. Cost: about 40 production models a year at ~500 GB is \
         20 TB a year, 100 TB over 5 years, roughly $400 a month on Glacier IR, well inside the \
         $40K budget. GDPR erasure conflicts with immutability, so personal columns are tokenised \
         before they reach feature tables and we erase the token mapping instead.",
    ]);
    assert!(ms.iter().all(|m| m.check != Check::Retention), "{ms:#?}");
}

#[test]
fn storage_said_of_the_arrow_asked_about_is_that_arrows_store() {
    let r = reader();
    let mut d = Design::new();
    d.add_turn(
        &r,
        "Auth service -> Kafka auths : Avro, 10K/s peak, ~5 MB/s\n\
         Kafka auths -> Flink features : Avro, 10K/s\n\
         Flink features -> S3 feature log : Parquet, hourly, ~40 GB/day\n\
         S3 feature log -> Spark training sets : point-in-time joins, weekly",
        None,
        None,
    );
    let edge = d
        .edges
        .iter()
        .position(|e| d.components[e.to].label() == "Spark training sets")
        .expect("the arrow out of the feature log");
    // 90 days of the log's 40 GB/day is 3.6 TB: not 90 days of the 5 MB/s
    // going into Kafka.
    d.read_answer(
        &r,
        "A weekly run reads about 90 days of the feature log, roughly 3.6 TB of Parquet.",
        None,
        crate::design::Asked {
            edge: Some(edge),
            ..Default::default()
        },
    );
    let ms = mismatches(&d);
    assert!(ms.iter().all(|m| m.stated.said != "3.6 TB"), "{ms:#?}");
}

#[test]
fn a_per_partition_figure_is_checked_against_rate_over_partitions() {
    let ms = found(&[
        "Kafka -- Avro, 200 MB/s, 64 partitions --> Flink",
        "With 64 partitions each one takes 30 MB/s each, which is fine.",
    ]);
    let m = about(&ms, "30 MB/s each");
    assert_eq!(m.check, Check::PerPartition);
    assert!(
        m.working.contains("3.1 MB/s per partition"),
        "{}",
        m.working
    );
}

#[test]
fn load_above_a_stated_partition_ceiling_is_flagged() {
    let ms = found(&[
        "Kafka -- Avro, 200 MB/s, 2 partitions --> Flink",
        "A partition can take up to 10 MB/s, and 2 partitions keep it simple.",
    ]);
    let m = about(&ms, "10 MB/s");
    assert!(
        m.working.contains("10× the 10 MB/s you said one can take"),
        "{}",
        m.working
    );
}

#[test]
fn a_bound_on_each_partition_is_checked_against_the_only_partitioned_queue() {
    let ms = found(&[
        "Mobile SDK -- JSON, 200K events/s --> MSK\nMSK -- Avro, 200 MB/s, 64 partitions keyed by user_id --> Flink",
        "We size it so each partition stays under 1 MB/s, which leaves headroom for one consumer.",
    ]);
    let m = about(&ms, "1 MB/s");
    assert_eq!(m.check, Check::PerPartition);
    assert!(
        m.working.contains("3.1 MB/s per partition")
            && m.working
                .contains("the 1 MB/s you said each one stays under"),
        "{}",
        m.working
    );
    // A bound the load sits under is not flagged.
    let ok = found(&[
        "MSK -- Avro, 200 MB/s, 64 partitions keyed by user_id --> Flink",
        "We size it so each partition stays under 5 MB/s.",
    ]);
    assert!(ok.is_empty(), "{ok:#?}");
}

#[test]
fn a_per_partition_budget_sized_against_is_a_ceiling_not_the_load() {
    // "At a conservative 5 MB/s per partition that's 20": 5 MB/s is what
    // one partition is sized to take; 48 partitions carry less each.
    let ok = found(&[
        "App -> Kafka : JSON events, 58K/s\nKafka -> S3 : Parquet, ~3 TB/day raw",
        "Events topic: 58K/s average at ~600 bytes is about 35 MB/s, peaks maybe 3x in the \
         evening, so ~100 MB/s. At a conservative 5 MB/s per partition that's 20; I'd take 48 \
         Kafka partitions for headroom.",
    ]);
    assert!(ok.iter().all(|m| m.check != Check::PerPartition), "{ok:#?}");
}

#[test]
fn a_capacity_said_after_the_figure_is_a_ceiling_not_the_load() {
    // "3 MB/s each against the 10 MB/s a partition can take": 10 MB/s is
    // what one partition can take, and the load sits under it.
    let ok = found(&[
        "Collector -- Avro, 200 MB/s --> Kafka\nKafka -- 64 partitions keyed by user_id --> Flink",
        "64 partitions gives 3 MB/s each against roughly 10 MB/s a partition can take, so 3x headroom.",
    ]);
    assert!(ok.iter().all(|m| m.check != Check::PerPartition), "{ok:#?}");
    // Over it, it is said back as the ceiling it is.
    let ms = found(&[
        "Collector -- Avro, 200 MB/s --> Kafka\nKafka -- 8 partitions keyed by user_id --> Flink",
        "That is fine: about 1 MB/s a partition can take, and we have room.",
    ]);
    let m = about(&ms, "1 MB/s a partition");
    assert!(m.working.contains("you said one can take"), "{}", m.working);
}

#[test]
fn a_bound_said_of_no_queue_is_not_checked_when_two_are_partitioned() {
    // Which queue's partitions "each partition" means is not said.
    let ms = found(&[
        "Kafka -- Avro, 200 MB/s, 64 partitions --> Flink\nFlink -- alerts, 10 MB/s, 8 partitions --> Kinesis",
        "We size it so each partition stays under 1 MB/s.",
    ]);
    assert!(ms.iter().all(|m| m.check != Check::PerPartition), "{ms:#?}");
}

#[test]
fn count_times_size_against_a_stated_total_is_flagged() {
    let ms = found(&[
        "The whole customer table is 60M rows × 22 columns × 8 bytes, about 10 MB, so Redis holds it.",
    ]);
    let m = about(&ms, "10 MB");
    assert!(
        m.working
            .starts_with("60M rows × 22 columns × 8 bytes is about 11 GB"),
        "{}",
        m.working
    );
}

#[test]
fn consistent_sizing_is_not_flagged() {
    let ms = found(&[
        "2M events/s at ~1 KB, ~2 GB/s, ~170 TB/day.",
        "Each version is about 1 KB, so 4K versions a second is 4 MB/s into Snowflake, about 350 GB a day.",
        "At 200K events/s a session is about 100 events, so that's 2K session writes/s into Postgres.",
        "Kafka -- Avro, 200 MB/s, 4 partitions --> Flink\nMobile SDK -- 200K events/s --> Kafka",
        "A Kafka partition can take 100 MB/s, so 50 MB/s each is fine with 4 partitions.",
        "About 2,000 rules, each a query every 15 s, so roughly 130 queries/s.",
        "90 days of raw Parquet at 5 TB/day is 450 TB in S3.",
    ]);
    assert!(ms.is_empty(), "{ms:#?}");
}

#[test]
fn rounding_within_two_and_a_half_times_is_tolerated_and_three_is_not() {
    assert!(found(&["200K events/s at 1 KB is about 500 MB/s."]).is_empty());
    assert!(found(&["200K events/s at 1 KB is about 80 MB/s."]).is_empty());
    let ms = found(&["200K events/s at 1 KB is about 600 MB/s."]);
    assert!(
        !about(&ms, "600 MB/s").under(),
        "over-sizing is flagged too"
    );
    let ms = found(&["200K events/s at 1 KB is about 60 MB/s."]);
    assert!(about(&ms, "60 MB/s").under());
}

#[test]
fn order_of_magnitude_wording_is_read_as_a_range() {
    assert!(found(&["An hour at 100K/s is 360M ids at 1 byte each, a few hundred MB."]).is_empty());
    assert!(found(&["50M ids at 8 bytes each is a few hundred MB."]).is_empty());
    let ms = found(&["50M ids at 8 bytes each is a few MB."]);
    assert_eq!(ms.len(), 1, "{ms:#?}");
}

#[test]
fn unrelated_durations_are_not_compared() {
    let ms = found(&[
        "Kafka keeps 30 days of retention, and the session window is 5 minutes.",
        "Kafka has a 30-day retention; the window is 5 minutes with a 10 minute watermark.",
    ]);
    assert!(ms.is_empty(), "{ms:#?}");
}

#[test]
fn latency_next_to_throughput_is_not_compared() {
    let ms = found(&[
        "Flink -> Redis : 200K events/s, p99 under 50 ms",
        "At 200K events/s the p99 is 50 ms, and the lag is 2 seconds.",
    ]);
    assert!(ms.is_empty(), "{ms:#?}");
}

#[test]
fn peak_and_average_in_one_sentence_are_different_figures() {
    assert!(found(&["200K events/s at peak, about 20K events/s on average."]).is_empty());
}

#[test]
fn a_stage_that_aggregates_within_two_orders_of_magnitude_is_not_questioned() {
    let ms = found(&["Kafka -- 200 MB/s --> Flink\nFlink -- aggregates, 2 MB/s --> Redis\nFlink -- Parquet, 1 TB/day --> S3"]);
    assert!(ms.is_empty(), "{ms:#?}");
}

#[test]
fn what_if_sentences_do_not_contradict_the_design() {
    let ms = found(&[
        "Flink -- session rows, 2K/s --> Postgres",
        "Flushing every second, Postgres 2K writes/s becomes 200K writes/s.",
        "Ten times the samples is 30 MB/s into Kafka, so 16 partitions instead of 8.",
    ]);
    assert!(ms.is_empty(), "{ms:#?}");
}

#[test]
fn diagram_labels_are_not_read_as_sums() {
    let ms = found(&["Kafka -- Avro, 200 MB/s, 4 partitions, key user_id --> Flink\nFlink -- Parquet, about 17 TB/day --> S3"]);
    assert!(ms.is_empty(), "{ms:#?}");
}

#[test]
fn money_is_not_pipeline_arithmetic() {
    assert!(found(&[
        "13 months is about 7 TB, maybe $200 a month on EBS, well under $1.2M a year."
    ])
    .is_empty());
    // A unit price and the bill it makes, said in words.
    assert!(found(&[
        "That's 15 TB, so after 90 days it moves to Glacier Instant Retrieval at about 0.4 \
         cents per GB a month, around 60 dollars a month."
    ])
    .is_empty());
}

#[test]
fn a_stated_figure_said_again_later_carries_both_turns() {
    let d = design(&[
        "The whole customer table is 60M rows × 22 columns × 8 bytes, about 10 MB.",
        "We bootstrap from Redis: the table is only about 10 MB, so it loads in a second.",
    ]);
    let ms = mismatches(&d);
    assert_eq!(about(&ms, "10 MB").turns, vec![1, 2]);
    spans_real(&d, &ms);
}

/// The scripted wrong-numbers rounds: every figure their comments call
/// wrong is flagged, and nothing else is.
#[test]
fn scripted_wrong_numbers_rounds_flag_what_their_comments_name() {
    let rounds = [
        (
            include_str!("../../../../tests/fixtures/rounds/clickstream-wrong-numbers.txt"),
            &["5 GB/day", "200 MB/s", "720K ids", "50 MB"][..],
        ),
        (
            include_str!("../../../../tests/fixtures/rounds/metrics-pipeline-wrong-numbers.txt"),
            &["3 MB/s", "7 TB", "30 MB", "2 GB"][..],
        ),
        (
            include_str!("../../../../tests/fixtures/rounds/scd2-dimension-wrong-numbers.txt"),
            &["4,000 a second", "10 MB", "12 MB"][..],
        ),
        (
            include_str!(
                "../../../../tests/fixtures/rounds/clickstream-wrong-numbers-partition-bound.txt"
            ),
            &["1 MB/s"][..],
        ),
    ];
    for (text, wrong) in rounds {
        let turns = script(text);
        let refs: Vec<&str> = turns.iter().map(String::as_str).collect();
        let d = design(&refs);
        let ms = mismatches(&d);
        let mut stated: Vec<&str> = ms.iter().map(|m| m.stated.said.as_str()).collect();
        stated.sort_unstable();
        stated.dedup();
        let mut want = wrong.to_vec();
        want.sort_unstable();
        assert_eq!(stated, want, "{ms:#?}");
        spans_real(&d, &ms);
    }
}
/// The design turn that answers a round's 10x stretch: the one after the
/// turn whose reply delivers it (`#> says: curveball_stretch`).
fn stretch_answer_turn(text: &str) -> Option<u32> {
    let mut n = 0u32;
    for part in text.split("\n---\n") {
        let said = part
            .lines()
            .any(|l| !l.starts_with('#') && !l.trim().is_empty());
        if said {
            n += 1;
            if part.contains("#> says: curveball_stretch") {
                return Some(n + 1);
            }
        }
    }
    None
}

/// Rounds of every other kind (strong, shallow, leads-ahead…) state
/// figures that agree: nothing in them is called wrong (a rate raised in
/// answer to the 10x stretch is the stretched design).
#[test]
fn scripted_rounds_without_wrong_numbers_have_no_mismatches() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rounds");
    let mut read = 0;
    for entry in std::fs::read_dir(&dir).expect("rounds dir") {
        let path = entry.expect("entry").path();
        let name = path.to_string_lossy().to_string();
        if name.contains("wrong-numbers") || !name.ends_with(".txt") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("round");
        let turns = script(&text);
        let refs: Vec<&str> = turns.iter().map(String::as_str).collect();
        let stretch = stretch_answer_turn(&text);
        let ms: Vec<Mismatch> = mismatches(&design(&refs))
            .into_iter()
            .filter(|m| stretch.is_none_or(|t| !m.rescaled_since(t)))
            .collect();
        assert!(ms.is_empty(), "{name}: {ms:#?}");
        read += 1;
    }
    assert!(read >= 10, "only {read} rounds read");
}

#[test]
fn a_factor_said_after_an_aside_multiplies_the_figure_before_the_aside() {
    // 40 × 1.5 = 60: "at the 1 MB/s limit" is said on the way, and the
    // bare 1.5 is no sum of its own.
    let ms = found(&[
        "The floor is 40 shards; I add 50% headroom for replay floods, so 40 × 1.5 = 60.",
        "I think 60 is right: the 50% is the headroom factor, not a shard count. 40 shards at the 1 MB/s limit, times 1.5, is 60 shards at ~667 KB/s each.",
    ]);
    assert!(ms.is_empty(), "{ms:#?}");
    // A wrong product is still wrong.
    let ms = found(&["40 shards at the 1 MB/s limit, times 1.5, is 600 shards."]);
    let m = about(&ms, "600 shards");
    assert!(m.working.starts_with("40 shards × 1.5 is"), "{}", m.working);
}

#[test]
fn lines_counted_per_run_are_the_volume_on_the_hop() {
    let d = design(&["Spark hourly -> Iceberg sales_line : Parquet, ~1.7M lines per run, filed by the day the sale happened at the till"]);
    let e = &d.edges[0];
    assert_eq!(
        e.rate.as_ref().map(|r| r.value.as_str()),
        Some("1.7M lines")
    );
}

#[test]
fn a_burst_is_not_the_flows_steady_rate() {
    // "a few thousand/s when stores catch up" is no daily rate, and 20/s a
    // partition is the average's share, not the burst's.
    let ms = found(&["So roughly 40M lines a day across 1,800 stores, about 460 a second on average. The picture:\nsync service -> Kafka : JSON, ~460 lines/s average, a few thousand/s when stores catch up, keyed by store_id\nKafka -> S3 landing : JSON, 40M lines/day, ~20 GB/day, filed by the day we received it",
    "Kafka keyed by store; 1,800 stores spread over 24 partitions is about 20 lines/s per partition on average, and a few hundred a second on one partition when a big store catches up."]);
    assert!(ms.is_empty(), "{ms:#?}");
}

#[test]
fn a_rate_into_one_partition_is_not_the_topics_rate() {
    let ms = found(&[
        "App -> Kafka : JSON events, 58K/s, 48 partitions keyed by user_id\nKafka -> Spark : hourly",
        "One heavy user isn't a hot-key problem: 50× normal is still a few events a second into one of 48 Kafka partitions.",
    ]);
    assert!(ms.is_empty(), "{ms:#?}");
}

mod compression;
mod shares;

#[test]
fn a_peak_above_the_plain_rate_and_a_raw_volume_above_the_compressed_are_two_measures() {
    // The diagram's 5K/s is the usual rate; 30K/s is said as the peak.
    let ms = found(&[
        "WMS Postgres -> Debezium : WAL\nDebezium -> Kafka stock_movements : Avro, 5K/s",
        "WMS Postgres to Debezium is the WAL via logical replication, about 5K rows/s average and 30K/s peak.",
    ]);
    assert!(ms.is_empty(), "{ms:#?}");
    // 86 GB/day raw, and hourly Parquet files of 600 MB: compressed ~6x.
    let ms = found(&[
        "Flink -> Iceberg on S3 : Parquet",
        "5K movements/s at ~200 bytes each is about 1 MB/s, so ~86 GB/day raw, maybe 15 GB/day as Parquet. Hourly files are ~600 MB per hour.",
    ]);
    assert!(ms.is_empty(), "{ms:#?}");
    // A peak far below the plain rate still disagrees with it.
    let ms = found(&[
        "Debezium -> Kafka stock_movements : Avro, 50K/s",
        "Debezium to Kafka carries about 2K/s at peak.",
    ]);
    assert!(!ms.is_empty());
}

#[test]
fn an_average_and_a_peak_in_one_clause_each_keep_their_own_word() {
    let ms = found(&[
        "WMS Postgres -> Debezium -> Kafka stock_movements : Avro, key=(sku_id, location_id), 5K/s avg, 30K/s peak",
        "Iceberg isn't on that hop; WMS Postgres to Debezium is the WAL via logical replication, the stock movements, about 5K rows/s average and 30K/s peak, roughly 1-6 MB/s.",
    ]);
    assert!(ms.is_empty(), "{ms:#?}");
}

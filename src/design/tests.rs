use super::*;
use crate::read::Reader;
use crate::rubric::Rubric;

pub(super) fn reader() -> Reader {
    Reader::new(
        &Rubric::builtin().expect("builtin rubric"),
        &crate::design::SENTENCE_CUES,
    )
}

pub(super) fn design(turns: &[&str]) -> Design {
    let r = reader();
    let mut d = Design::new();
    for t in turns {
        d.add_turn(&r, t, None, None);
    }
    d
}

pub(super) fn comp(d: &Design, name: &str) -> usize {
    d.find(name)
        .unwrap_or_else(|| panic!("{name} not in {:#?}", d.components))
}

pub(super) fn edge<'d>(d: &'d Design, a: &str, b: &str) -> &'d Edge {
    let (x, y) = (comp(d, a), comp(d, b));
    d.edges
        .iter()
        .find(|e| e.from == x && e.to == y)
        .unwrap_or_else(|| panic!("no edge {a} -> {b} in {:#?}", d.edges))
}

/// Every evidence span indexes the joined text.
pub(super) fn spans_real(d: &Design) {
    let t = d.text();
    let check = |e: &Evidence| assert_eq!(&t[e.start..e.end], e.quote, "{e:?}");
    for c in &d.components {
        check(&c.introduced.evidence);
    }
    for e in &d.edges {
        check(&e.evidence);
        for a in [&e.payload, &e.format, &e.rate].into_iter().flatten() {
            check(&a.evidence);
        }
    }
    for n in &d.numbers {
        check(&n.evidence);
    }
    for k in &d.keys {
        check(&k.evidence);
    }
    for w in &d.writes {
        check(&w.evidence);
    }
    for f in &d.failures {
        for p in [&f.detect, &f.recover, &f.prevent] {
            if let Some(e) = &p.evidence {
                check(e);
            }
        }
    }
}

#[test]
fn annotated_arrows_are_recorded_with_where_the_annotation_came_from() {
    let d = design(&[
        "Web/Mobile SDK --(HTTPS JSON batches, 200K ev/s peak)--> Collector\nFlink -> Redis : per-user session state, 50K writes/sec\nKafka (Avro, 200 MB/s) -> Flink",
    ]);
    let e = edge(&d, "Web/Mobile SDK", "Collector");
    assert!(e.annotated(), "{e:#?}");
    assert_eq!(e.rate.as_ref().map(|a| a.source), Some(Source::Label));
    let e = edge(&d, "Flink", "Redis");
    assert!(e.annotated(), "{e:#?}");
    let e = edge(&d, "Kafka", "Flink");
    assert!(e.annotated(), "{e:#?}");
    assert_eq!(e.format.as_ref().map(|a| a.source), Some(Source::BoxNote));
    spans_real(&d);
}

#[test]
fn a_batch_hop_counted_in_rows_has_its_volume_and_a_partition_count_is_not_one() {
    let d = design(&[
        "Debezium -> Kafka : avro with schema registry, keyed by txn_id, 24 partitions\n\
         S3 -> Spark : daily batch at 01:00 UTC, 20M rows",
    ]);
    let e = edge(&d, "S3", "Spark");
    assert_eq!(e.rate.as_ref().map(|a| a.value.as_str()), Some("20M rows"));
    assert!(edge(&d, "Debezium", "Kafka").rate.is_none());
    spans_real(&d);
}

#[test]
fn a_later_sentence_annotates_an_existing_hop() {
    let d = design(&[
        "Kafka -> Flink -> S3",
        "Flink writes Parquet files to S3, about 5 TB/day.",
    ]);
    let e = edge(&d, "Flink", "S3");
    assert!(e.annotated(), "{e:#?}");
    assert_eq!(e.rate.as_ref().map(|a| a.source), Some(Source::Prose));
    assert_eq!(e.rate.as_ref().map(|a| a.turn), Some(2));
    spans_real(&d);
}

#[test]
fn two_hops_a_semicolon_apart_each_keep_their_own_figure() {
    let d = design(&[
        "Kafka -> Flink -> ClickHouse\nKafka -> S3 -> Snowflake",
        "Flink to ClickHouse is session rows, about 5K upserts a second; \
         S3 to Snowflake is hourly Parquet loads, about 200 GB an hour.",
    ]);
    let rate = |a, b| edge(&d, a, b).rate.as_ref().map(|r| r.value.clone());
    assert_eq!(
        rate("Flink", "ClickHouse").as_deref(),
        Some("5K upserts a second")
    );
    assert_eq!(rate("S3", "Snowflake").as_deref(), Some("200 GB an hour"));
    // The arithmetic checks read the same hop for the figure.
    let (s3, sf) = (comp(&d, "S3"), comp(&d, "Snowflake"));
    let gb = d
        .numbers
        .iter()
        .find(|n| n.evidence.quote == "200 GB an hour");
    let hop = gb.and_then(|n| n.edge).and_then(|i| d.edges.get(i));
    assert!(
        hop.is_some_and(|e| e.from == s3 && e.to == sf),
        "{:#?}",
        d.numbers
    );
    spans_real(&d);
}

#[test]
fn a_write_on_a_forked_columns_label_belongs_to_that_arrows_target() {
    let d = design(&["
Kafka (clicks, 64 partitions)
        │
        ├──────────────────────────────┐
        ▼                              ▼
Flink (dedupe on event_id)        S3 raw zone (Parquet)
        │  upserts by session_id       │  hourly
        ▼                              ▼
ClickHouse (live dashboards)      Snowflake (fact_session)
"]);
    let ch = comp(&d, "ClickHouse");
    let w = d.writes.iter().find(|w| w.mechanism.contains("upsert"));
    assert!(w.is_some_and(|w| w.sink == ch), "{:#?}", d.writes);
    assert!(
        w.is_some_and(|w| w.evidence.quote == "upserts by session_id"),
        "{:#?}",
        d.writes
    );
    spans_real(&d);
}

#[test]
fn prose_lists_and_alternatives_are_mentions_not_boxes() {
    let d = design(&[
        "Postgres, Kafka, Spark, Snowflake.",
        "Could equally be Snowplow's collector or Kafka REST Proxy.",
    ]);
    assert_eq!(d.boxes().count(), 0);
    assert!(!d.has_diagram());
}

#[test]
fn roles_follow_the_arrows_and_the_source_is_not_a_sink() {
    let d = design(&["Postgres -> Debezium -> Kafka -> Spark -> Snowflake"]);
    assert_eq!(d.role(comp(&d, "Postgres")), Role::Source);
    assert_eq!(d.role(comp(&d, "Kafka")), Role::Transport);
    assert_eq!(d.role(comp(&d, "Spark")), Role::Processing);
    assert_eq!(d.role(comp(&d, "Snowflake")), Role::Sink);
    let sinks = d.sinks();
    assert!(sinks.contains(&comp(&d, "Snowflake")));
    assert!(
        !sinks.contains(&comp(&d, "Postgres")),
        "the OLTP source is never a sink"
    );
}

#[test]
fn keys_numbers_and_their_subjects() {
    let d = design(&[
        "Kafka has 64 partitions keyed by user_id with 7 days retention, taking 200 MB/s at peak.",
    ]);
    let k = comp(&d, "Kafka");
    assert_eq!(d.key_of(k).map(|k| k.key.as_str()), Some("user_id"));
    let parts = d
        .numbers_of(Measure::Partitions)
        .next()
        .expect("partitions");
    assert_eq!((parts.value, parts.subject), (Some(64.0), Some(k)));
    let ret = d.numbers_of(Measure::Retention).next().expect("retention");
    assert_eq!(ret.value, Some(604_800.0));
    assert!(d
        .numbers_of(Measure::ByteRate)
        .any(|n| n.value == Some(200e6)));
    spans_real(&d);
}

#[test]
fn guarantees_and_idempotent_writes_per_sink() {
    let d = design(&[
        "Kafka -> Flink -> S3\nSpark -> Snowflake",
        "The S3 sink is exactly-once through the two-phase commit file sink. The hourly Spark job does a MERGE into Snowflake on session_id, so reruns are idempotent.",
    ]);
    assert!(d.explained_guarantee().is_some());
    let w = d.write_for(comp(&d, "Snowflake")).expect("write");
    assert!(
        w.keyed && w.mechanism.to_ascii_lowercase().starts_with("merge"),
        "{w:?}"
    );
    spans_real(&d);
}

#[test]
fn an_answer_to_a_question_about_a_sink_lands_on_it() {
    let r = reader();
    let mut d = Design::new();
    d.add_turn(&r, "Flink -> Redis", None, None);
    let redis = comp(&d, "Redis");
    let t = d.add_turn(
        &r,
        "It's an upsert keyed by session_id, so a replay overwrites the same row.",
        None,
        Some(redis),
    );
    assert_eq!(t.writes, vec![redis]);
}

#[test]
fn failure_depth_named_is_not_covered() {
    let r = reader();
    let mut d = Design::new();
    let t = d.add_turn(&r, "Monitoring.", None, None);
    assert_eq!(t.failure.detect.depth, Depth::Named);
    let t = d.add_turn(&r, "We rerun it.", None, None);
    assert_eq!(t.failure.recover.depth, Depth::Named);
    assert!(!t.substance);
    let t = d.add_turn(
        &r,
        "Consumer lag on the Flink group pages on-call when it passes 5 minutes. Flink restarts from the last completed checkpoint and replays Kafka from the checkpointed offsets.",
        None,
        None,
    );
    assert!(t.failure.detect.depth.covered(), "{:?}", t.failure.detect);
    assert!(t.failure.recover.depth.covered(), "{:?}", t.failure.recover);
    assert!(t.substance);
    spans_real(&d);
}

/// Found playing gdpr-deletion: "its own commit … either done or
/// untouched … deleting a user twice is a no-op" was asked "what makes sure
/// no record is lost or counted twice? Which mechanism?" right after.
#[test]
fn an_atomic_commit_per_table_and_a_no_op_retry_prevent_loss_in_depth() {
    let r = reader();
    let mut d = Design::new();
    let t = d.add_turn(
        &r,
        "Each table's MERGE DELETE is its own Iceberg commit, so a table is either done or untouched. The retry only redoes tables still pending, and deleting a user twice is a no-op.",
        Some(crate::rubric::Phase::FailureModes),
        None,
    );
    assert!(t.failure.prevent.depth.covered(), "{:?}", t.failure.prevent);
}

#[test]
fn a_pasted_duplicate_counts_once() {
    let r = reader();
    let mut d = Design::new();
    let s = "Flink dedupes by event_id with a 24 hour TTL so retries are idempotent.";
    let first = d.add_turn(&r, s, None, None);
    let again = d.add_turn(&r, &format!("{s} {s} {s}"), None, None);
    assert!(first.substance);
    assert!(!again.substance, "{again:?}");
    let an = d.analysis();
    let hits_in_second = an
        .hits
        .iter()
        .filter(|(h, _)| h.start >= d.turns()[1].start)
        .count();
    assert_eq!(hits_in_second, 0);
}

#[test]
fn choices_record_the_alternative_and_the_reason() {
    let d = design(&["Kafka -> Flink -> Redis", "Flink rather than Spark Structured Streaming because we need event-time sessions with a 30-minute gap."]);
    let c = d.choices.first().expect("choice");
    assert_eq!(c.component, Some(comp(&d, "Flink")));
    assert!(c.reason);
    assert!(c.over.as_deref().is_some_and(|o| o.contains("Spark")));
}

#[test]
fn an_answer_to_why_this_product_is_a_reasoned_choice_in_any_words() {
    let mut d = design(&["Postgres -> Debezium -> Kafka -> Flink -> Iceberg"]);
    let kafka = comp(&d, "Kafka");
    d.add_turn(
        &reader(),
        "Debezium runs on Kafka Connect and the schema registry integration is native there; \
         Kinesis would need a custom bridge.",
        None,
        Some(kafka),
    );
    assert!(d.choices.is_empty(), "no choice word, no choice read");
    d.answered_choice(kafka, Some("Kinesis".into()));
    let c = d.choices.first().expect("the answered choice");
    assert_eq!(c.component, Some(kafka));
    assert!(c.reason && !c.tradeoff);
    assert_eq!(c.over.as_deref(), Some("Kinesis"));
    assert!(c
        .evidence
        .quote
        .starts_with("Debezium runs on Kafka Connect"));
    assert_eq!(
        &d.text()[c.evidence.start..c.evidence.end],
        c.evidence.quote
    );
    // Answered twice, recorded once.
    d.answered_choice(kafka, Some("Kinesis".into()));
    assert_eq!(d.choices.len(), 1);
}

#[test]
fn questions_record_their_topics() {
    let d = design(&["What is the peak events per second, and who consumes the output?"]);
    let q = d.questions.first().expect("question");
    assert!(q.topics.contains(&FactTopic::Scale) && q.topics.contains(&FactTopic::Consumer));
}

#[test]
fn per_phase_reading_keeps_only_that_phase() {
    let r = reader();
    let mut d = Design::new();
    d.add_turn(
        &r,
        "How fresh must the dashboard be?",
        Some(Phase::Clarify),
        None,
    );
    d.add_turn(
        &r,
        "When a broker dies the controller elects new leaders and producers retry.",
        Some(Phase::FailureModes),
        None,
    );
    let an = d.analysis_of(Some(Phase::Clarify));
    assert!(an.hits.iter().all(|(h, _)| h.start < d.turns()[1].start));
}

#[test]
fn a_diagram_line_does_not_annotate_its_own_unlabelled_hops() {
    let d = design(&["S3 -> Spark -> Snowflake : fact_session, 200 GB/day"]);
    assert!(!edge(&d, "S3", "Spark").annotated());
    assert!(edge(&d, "Spark", "Snowflake").annotated());
}

#[test]
fn a_store_feeding_an_api_is_a_read_path_not_a_write() {
    let d = design(&["Kafka -> Flink : listings, 5K/s\nFlink -> Elasticsearch : docs, 5K/s\nElasticsearch -> Search API : queries, 8K QPS"]);
    let api = d.find("Search API").expect("api box");
    let es = d.find("Elasticsearch").expect("es box");
    assert!(!d.sinks().contains(&api), "{:?}", d.sinks());
    assert!(d.sinks().contains(&es));
    let d = design(&[
        "Kafka -> Flink : listings, 5K/s\nFlink -> Elasticsearch : docs, 5K/s\nElasticsearch -> Search API : queries, 8K QPS",
        "Nothing writes into the Search API; that arrow is queries reading from Elasticsearch.",
    ]);
    let api = d.find("Search API").expect("api box");
    assert!(!d.sinks().contains(&api), "a negated write is no write");
}

#[test]
fn elastic_the_adjective_is_not_elasticsearch() {
    let d = design(&["Kafka -> Flink -> S3\nIt all autoscales; it's elastic by design."]);
    assert!(d.find("Elasticsearch").is_none(), "{:?}", d.components);
}

#[test]
fn an_alias_or_a_vendor_prefix_names_the_same_box() {
    let d = design(&["Devices -> AWS IoT Core : MQTT, protobuf, 200K/s\nIoT Core -> Kafka (MSK) : protobuf, 200K/s, key=device_id\nKafka -> Flink : 200K/s"]);
    let names: Vec<&str> = d.boxes().map(|(_, c)| c.name.as_str()).collect();
    assert_eq!(
        names.iter().filter(|n| n.contains("IoT Core")).count(),
        1,
        "{names:?}"
    );
    assert!(
        !names.contains(&"Kafka"),
        "Kafka and Kafka (MSK) are one box: {names:?}"
    );
}

#[test]
fn a_product_named_in_a_box_alias_is_that_box() {
    let d = design(&[
        "Kafka -> Flink : protobuf, 200K/s\nFlink -> S3 (Iceberg) : parquet, 3.5 TB/day",
        "Raw readings go to Iceberg through Flink's two-phase commit sink, committed on each checkpoint.",
    ]);
    let s3 = d.find("S3").expect("the S3 box");
    assert!(d.write_for(s3).is_some(), "{:?}", d.writes);
    assert!(
        !d.components.iter().any(|c| c.name == "Iceberg"),
        "{:?}",
        d.components.iter().map(|c| &c.name).collect::<Vec<_>>()
    );
}

#[test]
fn a_box_note_in_parentheses_is_what_the_hop_carries_without_them() {
    let d = design(&[
        "Flink -> S3 lake (Iceberg) : parquet\nS3 lake -> S3 us-west-2 : S3 replication\nKafka [orders, avro] -> Spark",
    ]);
    let payload = |a: &str, b: &str| edge(&d, a, b).payload.as_ref().map(|p| p.value.clone());
    assert_eq!(
        payload("S3 lake", "S3 us-west-2").as_deref(),
        Some("Iceberg")
    );
    assert_eq!(payload("Flink", "S3 lake").as_deref(), Some("parquet"));
    spans_real(&d);
    // A label with a parenthesis inside keeps it: only a wrapping pair goes.
    let d = design(&["Kafka -> Flink : orders (avro), 20K/s"]);
    let p = edge(&d, "Kafka", "Flink")
        .payload
        .as_ref()
        .map(|p| p.value.clone());
    assert_eq!(p.as_deref(), Some("orders (avro), 20K/s"));
}

#[test]
fn a_product_named_in_a_box_note_is_that_box_in_later_prose() {
    let d = design(&[
        "Kafka -> S3 raw (Iceberg) : ledger entries, parquet, hourly\nBank SFTP -> S3 landing : bank files, CSV, 2 GB/day\nS3 landing -> Spark -> S3 raw",
        "The raw Iceberg table is written with MERGE on entry_id, so a duplicate lands once.",
    ]);
    assert!(
        !d.components
            .iter()
            .any(|c| c.name.eq_ignore_ascii_case("Iceberg")),
        "{:#?}",
        d.components
    );
    let raw = comp(&d, "S3 raw");
    assert!(d.write_for(raw).is_some(), "{:#?}", d.writes);
    spans_real(&d);
}

#[test]
fn a_sink_named_by_a_word_of_its_own_box_name_takes_the_keyed_insert() {
    let d = design(&[
        "Iceberg feature tables -> Spark dataset builder : Parquet, ~500 GB per build\n\
         Spark dataset builder -> S3 training sets : Parquet, 40 builds/week\n\
         Spark dataset builder -> Postgres manifest registry : snapshot ids + query hash",
        "It writes Parquet to S3 under the build id. The write is idempotent because a rerun \
         with the same build id overwrites the same prefix, and the manifest insert is keyed \
         by build id.",
    ]);
    let manifest = comp(&d, "Postgres manifest registry");
    assert!(d.write_for(manifest).is_some(), "{:#?}", d.writes);
    let sets = comp(&d, "S3 training sets");
    assert!(d.write_for(sets).is_some(), "{:#?}", d.writes);
    // A word two boxes share names neither.
    let d = design(&[
        "Spark -> S3 training sets : Parquet, 2 TB/day\nS3 training sets -> SageMaker training",
        "The training insert has a unique key on run_id.",
    ]);
    let sets = comp(&d, "S3 training sets");
    assert!(d.write_for(sets).is_none(), "{:#?}", d.writes);
    spans_real(&d);
}

#[test]
fn a_count_reporting_on_an_interval_is_read_as_the_rate_it_makes() {
    for t in [
        "Prometheus agents scrape ~5M series every 15s and remote-write them to Mimir.",
        "Agents scrape every 15s, ~5M series in all, and remote-write them to Mimir.",
    ] {
        let d = design(&[t]);
        let rates: Vec<_> = d
            .numbers_of(Measure::Throughput)
            .map(|n| n.value.map(f64::round))
            .collect();
        assert_eq!(rates, [Some(333_333.0)], "{t}");
        spans_real(&d);
    }
    let d = design(&["Agents scrape every 15s, ~5M series in all."]);
    let n = d.numbers_of(Measure::Throughput).next().expect("a rate");
    assert_eq!(n.evidence.quote, "every 15s, ~5M series");
    // A rate said outright is the rate; nothing is derived beside it.
    let d = design(&["Agents scrape every 15s, ~5M series, about 333K samples/s."]);
    let rates: Vec<&str> = d
        .numbers_of(Measure::Throughput)
        .map(|n| n.evidence.quote.as_str())
        .collect();
    assert_eq!(rates, ["333K samples/s"]);
    // Not a thing that reports: "every 60s on 20 nodes".
    let d = design(&["Flink checkpoints every 60s on 20 nodes."]);
    assert_eq!(d.numbers_of(Measure::Throughput).count(), 0);
}

#[test]
fn a_store_read_from_is_not_the_sink_and_a_mechanism_ends_on_a_word() {
    // Answering "S3 Iceberg ledger writes to Snowflake. If that write is
    // retried, what happens?"
    let r = reader();
    let mut d = Design::new();
    d.add_turn(
        &r,
        "Flink -> S3 Iceberg ledger : Parquet\nS3 Iceberg ledger -> Snowflake : hourly",
        None,
        None,
    );
    let snowflake = comp(&d, "Snowflake");
    d.add_turn(
        &r,
        "The hourly load is a MERGE on movement_id from the Iceberg snapshot range since the last \
         loaded snapshot id, which we store in a control table.",
        None,
        Some(snowflake),
    );
    let w = d
        .write_for(snowflake)
        .expect("the write lands on Snowflake");
    assert_eq!(
        w.mechanism,
        "MERGE on movement_id from the Iceberg snapshot range"
    );
    assert!(d.write_for(comp(&d, "S3 Iceberg ledger")).is_none());
    spans_real(&d);
}

#[test]
fn what_goes_into_a_cdc_connector_is_what_it_ships() {
    // "Postgres -> Debezium -> Kafka : avro, 300/s" labels the chain's last
    // hop; the changes Debezium reads are the ones it ships.
    let d = design(&["Postgres -> Debezium -> Kafka customers.cdc : avro, 300/s peak"]);
    let into = d
        .edges
        .iter()
        .position(|e| e.from == comp(&d, "Postgres"))
        .expect("an arrow out of Postgres");
    assert!(d.edge_annotated(into));
    // Into a processor, the output says nothing of the input.
    let d = design(&["Kafka -> Flink -> Redis : counters, 5K/s"]);
    let into = d
        .edges
        .iter()
        .position(|e| e.to == comp(&d, "Flink"))
        .expect("an arrow into Flink");
    assert!(!d.edge_annotated(into));
}

#[test]
fn a_checks_verdict_on_an_arrow_is_control_not_data() {
    let d = design(&[
        "Great Expectations on Spark -> Postgres results store : check results, ~15K rows/day\n\
         Postgres results store -> publish gate : pass/fail per partition\n\
         publish gate -> Iceberg main : fast-forward only when Tier 1 checks pass",
    ]);
    assert!(edge(&d, "Postgres results store", "publish gate").control());
    assert!(edge(&d, "publish gate", "Iceberg main").control());
    // Check results are rows: data.
    assert!(!edge(&d, "Great Expectations on Spark", "Postgres results store").control());
}

#[test]
fn a_share_of_the_flow_sizes_a_hop_and_a_service_level_does_not() {
    let d = design(&[
        "Flink translator -> Kafka orders.dlq : raw bytes + error, target under 0.01%\n\
         Ranking API -> Redis : feature lookups, 99.9% of requests under 5 ms",
    ]);
    let rate = |d: &Design, a: &str, b: &str| edge(d, a, b).rate.as_ref().map(|r| r.value.clone());
    assert_eq!(
        rate(&d, "Flink translator", "Kafka orders.dlq").as_deref(),
        Some("0.01%")
    );
    assert_eq!(rate(&d, "Ranking API", "Redis"), None);
    let d = design(&["Clickstream -> Spark : a 1% sample of events"]);
    assert_eq!(rate(&d, "Clickstream", "Spark").as_deref(), Some("1%"));
}

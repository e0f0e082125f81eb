//! The design model read the way candidates really write: rates of any
//! noun, rates on the hop they were written on, keys in their many
//! phrasings, control arrows, the candidate's own services, and answers
//! that land on the question they answer.

use super::tests::{comp, design, edge, reader, spans_real};
use super::*;

fn edge_index(d: &Design, a: &str, b: &str) -> usize {
    let (x, y) = (comp(d, a), comp(d, b));
    d.edges
        .iter()
        .position(|e| e.from == x && e.to == y)
        .unwrap_or_else(|| panic!("no edge {a} -> {b} in {:#?}", d.edges))
}

fn items(f: &Flow) -> Option<f64> {
    f.items.as_ref().map(|x| x.value)
}

fn bytes(f: &Flow) -> Option<f64> {
    f.bytes.as_ref().map(|x| x.value)
}

#[test]
fn rates_of_any_noun_annotate_their_arrows() {
    let d = design(
        &["WMS/POS Postgres --(WAL, 30K movements/s peak)--> Debezium
Flink --(available-to-sell per SKU-location, 30K upserts/s)--> Redis
BigQuery -> Scorecard service : metric results, 500 experiments/day
Spark reindex -> Elasticsearch : bulk index into a new index, 120M docs in ~3 h
Postgres ledger -> Spark deleter : user_ids to delete, a few MB a day
vmalert -> Alertmanager : firing alerts, 5 alerts/min"],
    );
    for (a, b) in [
        ("WMS/POS Postgres", "Debezium"),
        ("Flink", "Redis"),
        ("BigQuery", "Scorecard service"),
        ("Spark reindex", "Elasticsearch"),
        ("Postgres ledger", "Spark deleter"),
        ("vmalert", "Alertmanager"),
    ] {
        let e = edge(&d, a, b);
        assert!(e.annotated(), "{a} -> {b}: {e:#?}");
    }
    let reindex = d.rate_on(edge_index(&d, "Spark reindex", "Elasticsearch"));
    let v = items(&reindex).expect("a rate");
    assert!((v - 120e6 / 10_800.0).abs() < 1.0, "{v}");
    let ledger = d.rate_on(edge_index(&d, "Postgres ledger", "Spark deleter"));
    assert!(bytes(&ledger).is_some_and(|b| b > 0.0), "{ledger:?}");
    spans_real(&d);
}

#[test]
fn an_item_size_on_an_arrow_is_not_its_volume() {
    let d = design(&["Flink -> Elasticsearch : bulk upserts, 4 KB docs, ~20 MB/s"]);
    let e = edge(&d, "Flink", "Elasticsearch");
    assert_eq!(e.rate.as_ref().map(|r| r.value.as_str()), Some("20 MB/s"));
}

#[test]
fn a_rate_said_of_another_hop_is_not_the_rate_into_a_component() {
    let d = design(&[
        "Postgres -> Kafka : change events, 20K changes/s, 10 MB/s\nKafka -> Spark : Avro\nSpark -> Iceberg : Parquet, 40 GB/day\nIceberg -> Trino : SQL scans",
        "Iceberg to Trino: about 1 TB/day scanned, peaking at maybe 50 MB/s during the morning refresh.",
    ]);
    let kafka = d.rate_into(comp(&d, "Kafka"));
    assert_eq!(bytes(&kafka), Some(10e6), "{kafka:?}");
    assert_eq!(items(&kafka), Some(20_000.0));
    assert_eq!(kafka.scope, Some(FlowScope::Exact));
    let trino = d.rate_on(edge_index(&d, "Iceberg", "Trino"));
    assert_eq!(bytes(&trino), Some(50e6), "{trino:?}");
    assert_eq!(bytes(&d.rate_into(comp(&d, "Trino"))), Some(50e6));
    // What leaves Spark for Iceberg is not what enters Kafka.
    let s3 = d.rate_into(comp(&d, "Iceberg"));
    assert!(bytes(&s3).is_some_and(|b| b < 1e6), "{s3:?}");
}

#[test]
fn a_rate_on_a_vertical_arrow_to_a_sink_is_not_the_queue_input() {
    let d = design(&["\
+--------------+  auth events, Avro, 10K/s   +-----------+
| Auth service | --------------------------> | Kafka     |
+--------------+                             +-----------+
                                                   |
                                                   | Avro, 10K/s, key=card_token
                                                   v
                                                   +-----------+
                                                   | Flink     |
                                                   +-----------+
                                                   |
                                                   | feature log, Parquet, 80 GB/day
                                                   v
                                             +-----------+
                                             | S3        |
                                             +-----------+
"]);
    let kafka = d.rate_into(comp(&d, "Kafka"));
    assert_eq!(items(&kafka), Some(10_000.0));
    assert_eq!(
        bytes(&kafka),
        None,
        "80 GB/day is the S3 feature log: {kafka:?}"
    );
    let s3 = d.rate_into(comp(&d, "S3"));
    assert!(bytes(&s3).is_some_and(|b| (b - 80e9 / 86_400.0).abs() < 1.0));
}

#[test]
fn a_rate_the_candidate_denies_is_left_out() {
    let d = design(&[
        "Listings DB -> Kafka : changes, 5K/s\nKafka -> Indexer (Flink)\nSpark reindex -> Elasticsearch : bulk, 45 MB/s",
        "Kafka doesn't see the 45 MB/s; that's the reindex. Kafka takes 5K changes/s, about 5 MB/s.",
    ]);
    let kafka = d.rate_into(comp(&d, "Kafka"));
    assert_eq!(bytes(&kafka), Some(5e6), "{kafka:?}");
    let denied: Vec<&Number> = d.numbers.iter().filter(|n| n.denied).collect();
    assert_eq!(denied.len(), 1, "{denied:#?}");
    assert_eq!(denied[0].evidence.quote, "45 MB/s");
    assert!(d
        .numbers_of(Measure::ByteRate)
        .all(|n| n.evidence.quote != "45 MB/s" || n.edge.is_some()));
}

#[test]
fn a_cap_is_not_a_denial() {
    let d = design(&["Kafka takes no more than 5K events/s."]);
    assert!(d.numbers.iter().all(|n| !n.denied), "{:#?}", d.numbers);
}

#[test]
fn a_box_note_rate_belongs_to_the_boxs_outgoing_hop() {
    let d = design(&["Orders topic (Kafka, Avro, 20K/s, key=order_id) -> Flink enrichment"]);
    let i = edge_index(&d, "Orders topic", "Flink enrichment");
    assert_eq!(items(&d.rate_on(i)), Some(20_000.0));
    assert_eq!(d.rate_on(i).scope, Some(FlowScope::Exact));
}

#[test]
fn the_ingest_rate_stands_in_only_when_one_figure_was_given() {
    let one = design(&[
        "Producers -> Kafka -> Flink -> S3",
        "We ingest about 200K events/s at peak.",
    ]);
    let f = one.rate_into(comp(&one, "Kafka"));
    assert_eq!(items(&f), Some(200_000.0), "{f:?}");
    assert_eq!(f.scope, Some(FlowScope::Ingest));
    let two = design(&[
        "Producers -> Kafka -> Flink -> S3",
        "Orders come in at 20K/s and courier pings at 400K/s.",
    ]);
    assert!(two.ingest_rate().is_empty(), "{:?}", two.ingest_rate());
    assert!(two.rate_into(comp(&two, "Kafka")).is_empty());
}

#[test]
fn a_rate_out_of_a_queue_is_what_went_into_it() {
    let d = design(&["Producers -> Kafka\nKafka -> Flink : Avro, 30K/s"]);
    let f = d.rate_into(comp(&d, "Kafka"));
    assert_eq!(items(&f), Some(30_000.0));
    assert_eq!(f.scope, Some(FlowScope::Through));
}

/// The first arrow out of the component named `name`.
fn arrow_out_of(d: &Design, name: &str) -> usize {
    let c = comp(d, name);
    d.edges
        .iter()
        .position(|e| e.from == c)
        .unwrap_or_else(|| panic!("an arrow out of {name}"))
}

#[test]
fn what_leaves_a_cdc_connector_is_what_it_read() {
    let d = design(&[
        "Postgres -> Debezium : restaurant and customer changes, ~50/s\nDebezium -> Kafka dims : compacted",
    ]);
    let out = arrow_out_of(&d, "Debezium");
    assert!(d.edge_annotated(out));
    // And through the queue Debezium writes to.
    let d = design(&[
        "Postgres -> Debezium : restaurant and customer changes, ~50/s\nDebezium -> Kafka dims\nKafka dims -> Flink",
    ]);
    let out = arrow_out_of(&d, "Kafka dims");
    assert!(d.edge_annotated(out));
    // An arrow that says it carries part of the flow is not its rate.
    let d = design(&[
        "Producers -> MSK : avro, 300 MB/s\nMSK -> MirrorMaker 2 -> MSK west : tier 1 and 2 topics only",
    ]);
    let out = arrow_out_of(&d, "MirrorMaker 2");
    assert!(!d.edge_annotated(out));
    // A processor changes what flows: its output is not its input.
    let d = design(&["Kafka -> Flink : Avro, 20K/s\nFlink -> Redis"]);
    let out = arrow_out_of(&d, "Flink");
    assert!(!d.edge_annotated(out));
}

#[test]
fn keys_in_the_ways_candidates_write_them_reach_the_model() {
    let d = design(&[
        "SDK -> Kafka : JSON\nKafka -- Avro, 200 MB/s, 4 partitions, key user_id --> Flink",
        "Everything in S3 is partitioned by ds, the event date.",
        "Debezium produces to the customers topic in Kafka, keyed by the primary key customer_id.",
    ]);
    let keys: Vec<&str> = d.keys.iter().map(|k| k.key.as_str()).collect();
    for k in ["user_id", "ds", "customer_id"] {
        assert!(keys.contains(&k), "{k} in {keys:?}");
    }
    assert!(d.key_of(comp(&d, "Kafka")).is_some());
}

#[test]
fn a_compound_key_reaches_the_model_whole_not_its_first_word() {
    let d = design(&[
        "Postgres -> Debezium -> MSK (24 partitions, keyed by table and primary key) -> Flink",
        "The ledger in Postgres is keyed by (request_id, table).",
    ]);
    let keys: Vec<&str> = d.keys.iter().map(|k| k.key.as_str()).collect();
    assert!(keys.contains(&"table and primary key"), "{keys:?}");
    assert!(keys.contains(&"(request_id, table)"), "{keys:?}");
    assert!(
        !keys.contains(&"table"),
        "not cut at the first word: {keys:?}"
    );
    let msk = d.key_of(comp(&d, "MSK")).map(|k| k.key.as_str());
    assert_eq!(msk, Some("table and primary key"));
}

#[test]
fn a_terse_answer_to_a_key_question_keys_the_asked_component() {
    let r = reader();
    let mut d = Design::new();
    d.add_turn(
        &r,
        "Tills -> S3 : sales files\nS3 -> Snowflake : daily load",
        None,
        None,
    );
    let s3 = comp(&d, "S3");
    let asked = Asked {
        component: Some(s3),
        key: true,
        ..Asked::default()
    };
    let reading = d.read_answer(&r, "By date.", None, asked);
    assert_eq!(reading.keys, 1);
    assert_eq!(d.key_of(s3).map(|k| k.key.as_str()), Some("date"));
    spans_real(&d);
}

#[test]
fn a_terse_phrase_without_a_key_question_is_no_key() {
    let d = design(&["Tills -> S3 : sales files", "By date."]);
    assert!(d.keys.is_empty(), "{:#?}", d.keys);
}

#[test]
fn orchestrator_arrows_are_control_and_their_notes_are_no_payload() {
    let d = design(&["Spark daily ETL -> Snowflake : facts, ~20M rows/day
Airflow (schedules Spark and the report) -> Snowflake
S3 -> Nightly cron -> Spark daily ETL"]);
    let e = edge(&d, "Airflow", "Snowflake");
    assert!(e.control() && !e.needs_annotation(), "{e:#?}");
    assert!(
        e.payload.is_none(),
        "the box's note is not a payload: {e:#?}"
    );
    assert!(edge(&d, "S3", "Nightly cron").control());
    assert!(edge(&d, "Nightly cron", "Spark daily ETL").control());
    assert!(edge(&d, "Spark daily ETL", "Snowflake").needs_annotation());
}

#[test]
fn a_dbt_arrow_inside_the_warehouse_needs_no_annotation() {
    let d = design(&[
        "S3 staging -> Snowflake : COPY, 50 GB/day\nSnowflake -> dbt : rebuild of 14 downstream tables",
    ]);
    let e = edge(&d, "Snowflake", "dbt");
    assert_eq!(e.hop, HopKind::InWarehouse);
    assert!(!e.needs_annotation());
    assert!(edge(&d, "S3 staging", "Snowflake").needs_annotation());
}

#[test]
fn an_arrow_said_to_be_control_stops_needing_annotation() {
    let r = reader();
    let mut d = Design::new();
    d.add_turn(&r, "Ingest service -> Spark job -> S3", None, None);
    let i = edge_index(&d, "Ingest service", "Spark job");
    let asked = Asked {
        edge: Some(i),
        ..Asked::default()
    };
    d.read_answer(
        &r,
        "No data goes through it; that arrow is control only.",
        None,
        asked,
    );
    assert!(d.edges[i].control(), "{:#?}", d.edges[i]);
}

#[test]
fn own_services_are_concrete_and_generic_categories_vague() {
    let d = design(&["Redis -> Availability API
Elasticsearch -> Search API
Services -> Streaming platform -> Search engine
Streaming platform -> AI insights layer
Kafka -> Pricing service"]);
    let vague = |n: &str| d.components[comp(&d, n)].vague;
    assert!(!vague("Availability API"));
    assert!(!vague("Search API"));
    assert!(!vague("Pricing service"));
    assert!(vague("Streaming platform"));
    assert!(vague("Search engine"));
    assert!(vague("AI insights layer"));
}

#[test]
fn an_answer_naming_one_end_annotates_the_asked_arrow() {
    let r = reader();
    let mut d = Design::new();
    d.add_turn(&r, "Postgres -> Debezium -> Kafka -> Flink", None, None);
    let i = edge_index(&d, "Debezium", "Kafka");
    let asked = Asked {
        edge: Some(i),
        ..Asked::default()
    };
    let reading = d.read_answer(&r, "It carries Avro, about 2K/s.", None, asked);
    assert!(reading.annotated.contains(&i), "{reading:#?}");
    let e = &d.edges[i];
    assert!(e.annotated(), "{e:#?}");
    assert_eq!(e.format.as_ref().map(|f| f.value.as_str()), Some("avro"));
    assert_eq!(items(&d.rate_on(i)), Some(2_000.0));
    let j = edge_index(&d, "Postgres", "Debezium");
    let asked = Asked {
        edge: Some(j),
        ..Asked::default()
    };
    d.read_answer(
        &r,
        "The WAL is row changes, about 1,500 changes/s at peak; Debezium reads only the publication.",
        None,
        asked,
    );
    assert_eq!(items(&d.rate_on(j)), Some(1_500.0));
    spans_real(&d);
}

#[test]
fn an_answer_about_another_hop_does_not_land_on_the_asked_arrow() {
    let r = reader();
    let mut d = Design::new();
    d.add_turn(&r, "Postgres -> Debezium -> Kafka -> Flink", None, None);
    let asked = Asked {
        edge: Some(edge_index(&d, "Postgres", "Debezium")),
        ..Asked::default()
    };
    d.read_answer(&r, "Kafka to Flink carries 5K/s of Avro.", None, asked);
    assert!(edge(&d, "Kafka", "Flink").annotated());
    assert!(edge(&d, "Postgres", "Debezium").rate.is_none());
    // A box named by the first word of its product ("Delta" of "Delta Lake
    // on S3") is another box too, though "Delta" alone names no product.
    let mut d = Design::new();
    d.add_turn(
        &r,
        "MySQL -> Debezium -> Kafka -> Spark -> Delta Lake on S3",
        None,
        None,
    );
    let i = edge_index(&d, "MySQL", "Debezium");
    let asked = Asked {
        edge: Some(i),
        ..Asked::default()
    };
    d.read_answer(&r, "Delta partitioned by date.", None, asked);
    let e = &d.edges[i];
    assert!(e.payload.is_none() && e.format.is_none(), "{e:#?}");
    // The product of the asked hop's own end is not another box, though
    // a second box of it is drawn.
    let mut d = Design::new();
    d.add_turn(
        &r,
        "order service -> Kafka orders\npayment service -> Kafka payments",
        None,
        None,
    );
    let i = edge_index(&d, "order service", "Kafka orders");
    let asked = Asked {
        edge: Some(i),
        ..Asked::default()
    };
    d.read_answer(
        &r,
        "Avro order events into Kafka, about 20K/s.",
        None,
        asked,
    );
    assert!(d.edges[i].rate.is_some(), "{:#?}", d.edges[i]);
}

#[test]
fn drawn_box_names_are_recognised_in_prose() {
    let d = design(&[
        "Prometheus agents -> Kafka -> VictoriaMetrics\nVictoriaMetrics -> vmalert : rule evaluation every 15 s",
        "VictoriaMetrics to vmalert: about 130 queries/s.",
    ]);
    let i = edge_index(&d, "VictoriaMetrics", "vmalert");
    assert!(d.edges[i].annotated(), "{:#?}", d.edges[i]);
    assert_eq!(items(&d.rate_on(i)), Some(130.0));
}

#[test]
fn a_capacity_said_beside_a_hop_is_not_its_rate() {
    let d = design(&[
        "SDK -> Kafka : JSON, 200K events/s\nKafka -> Flink : Avro",
        "A Kafka partition can take 100 MB/s, so 4 partitions feed Flink with room to spare.",
        "Kafka to Flink: about 20 MB/s of Avro.",
    ]);
    let f = d.rate_on(edge_index(&d, "Kafka", "Flink"));
    assert_eq!(bytes(&f), Some(20e6), "{f:?}");
}

#[test]
fn topics_drawn_one_box_each_are_one_system() {
    let d = design(&[
        "order service -> Kafka orders\npayment service -> Kafka payments\nKafka orders -> Flink\nKafka payments -> Flink\nFlink -> Kafka enriched\nKafka enriched -> Druid",
    ]);
    assert_eq!(d.boxes().count(), 7);
    assert_eq!(d.systems_drawn(), 5);
}

#[test]
fn everyone_uses_it_is_a_choice_without_a_reason() {
    let d = design(&[
        "Kafka -> Spark -> Snowflake",
        "Snowflake because it's what everyone uses.",
    ]);
    let c = d.choices.first().expect("a choice");
    assert!(!c.reason, "{c:#?}");
    let d = design(&[
        "Kafka -> Spark -> Snowflake",
        "Snowflake because auto-suspend keeps idle cost at zero.",
    ]);
    assert!(d.choices.first().expect("a choice").reason);
}

#[test]
fn a_count_of_series_on_a_scrape_arrow_says_how_much_flows() {
    let d =
        design(&["services -> vmagent : scrape every 15s, ~5M series\nvmagent -> VictoriaMetrics"]);
    let i = d
        .edges
        .iter()
        .position(|e| e.to == comp(&d, "vmagent"))
        .expect("the scrape arrow");
    assert!(d.edges[i].rate.is_some(), "{:#?}", d.edges[i]);
}

#[test]
fn a_write_into_the_table_drawn_on_an_arrow_lands_on_that_arrows_sink() {
    let d = design(&[
        "BigQuery INFORMATION_SCHEMA.JOBS -> Airflow hourly DAG : job metadata, 180K jobs/day
Airflow -> BigQuery cost mart : fact_query_cost, partitioned by day
cost mart -> Looker dashboards : per team spend",
        "Every hour Airflow reads the last 2 hours of INFORMATION_SCHEMA.JOBS, so jobs that finish late are caught, and MERGEs them into fact_query_cost on job_id, partitioned by creation date.",
    ]);
    let w = d
        .write_for(comp(&d, "BigQuery cost mart"))
        .unwrap_or_else(|| panic!("{:#?}", d.writes));
    assert!(w.keyed, "{w:?}");
    spans_real(&d);
}

#[test]
fn a_path_derived_from_a_hash_is_an_idempotent_write_by_the_sentences_writer() {
    // "Spark dataset builder writes to S3 training sets. If that write is
    // retried, what happens?" was asked after the candidate had said it.
    let r = reader();
    let mut d = Design::new();
    d.add_turn(
        &r,
        "Iceberg feature tables -> Spark dataset builder : point-in-time join, 500 GB\n\
         Spark dataset builder -> S3 training sets : Parquet\n\
         Spark dataset builder -> MLflow : manifest with snapshot ids, git sha, seed",
        None,
        None,
    );
    let sets = comp(&d, "S3 training sets");
    let mlflow = comp(&d, "MLflow");
    d.add_turn(
        &r,
        "The dataset builder then pins the snapshot id of every input table, sorts and writes \
         Parquet under a path that is the hash of the manifest, and only then registers it.",
        None,
        None,
    );
    let w = d
        .write_for(sets)
        .expect("the hashed path makes the write safe");
    assert!(
        w.mechanism.contains("hash of the manifest"),
        "{}",
        w.mechanism
    );
    assert!(d.write_for(comp(&d, "Iceberg feature tables")).is_none());
    // A manifest into a model registry is metadata: no volume to ask.
    let e = d
        .edges
        .iter()
        .position(|e| e.to == mlflow)
        .expect("the arrow into MLflow");
    assert!(!d.edges[e].needs_annotation());
    for said in [
        "Training sets are written to a content-addressed path.",
        "Each run writes to a deterministic output path, so a retry lands on the same files.",
        "The output prefix is derived from the manifest hash.",
    ] {
        assert!(
            crate::design::hops::idempotent_in(said)
                .iter()
                .any(|m| m.write_kind),
            "{said}"
        );
    }
    assert!(crate::design::hops::idempotent_in("We hash user ids for privacy.").is_empty());
}

#[test]
fn a_box_called_short_on_a_later_line_is_the_box_drawn_before() {
    let d = design(&[
        "Privacy portal -> Kafka\nKafka -> Postgres ledger\nPostgres ledger -> Spark deleter\n\
         Spark deleter -> Iceberg on S3",
        "Here they are: portal -> Kafka 5K requests a day; Kafka -> ledger about 20M rows a day; \
         ledger -> deleter a few MB a day; deleter -> Iceberg about 200 TB rewritten a week.",
    ]);
    let names: Vec<&str> = d.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Privacy portal",
            "Kafka",
            "Postgres ledger",
            "Spark deleter",
            "Iceberg on S3"
        ]
    );
    // Each figure after the box is its hop's.
    let rate = |a: &str, b: &str| edge(&d, a, b).rate.as_ref().map(|r| r.value.clone());
    assert_eq!(
        rate("Privacy portal", "Kafka").as_deref(),
        Some("5K requests a day")
    );
    assert_eq!(
        rate("Kafka", "Postgres ledger").as_deref(),
        Some("20M rows a day")
    );
    assert_eq!(
        rate("Postgres ledger", "Spark deleter").as_deref(),
        Some("a few MB a day")
    );
    assert!(rate("Spark deleter", "Iceberg on S3").is_some());
    // "Spark never writes to the raw events" draws no hop.
    let d = design(&[
        "S3 raw events -> Spark attribution v2 : Parquet\nSpark attribution v2 -> S3 staging",
        "Spark never writes to the raw events; it only reads them.",
    ]);
    assert_eq!(d.edges.len(), 2);
}

/// Found playing fraud-features: "keeps the auth_ids seen per card for 24
/// hours … and drops a repeat before counting" was asked "how do you make
/// sure no record is … counted twice?" right after.
#[test]
fn a_seen_set_that_drops_repeats_prevents_double_counting() {
    let r = reader();
    let mut d = Design::new();
    let t = d.add_turn(
        &r,
        "So Flink keeps the auth_ids seen per card for 24 hours in keyed state and drops a repeat before counting.",
        Some(crate::rubric::Phase::FailureModes),
        None,
    );
    assert!(t.failure.prevent.depth.covered(), "{:?}", t.failure.prevent);
}

/// Found playing fraud-features: a retried write that SETs the full count
/// ("rewrites the same values instead of incrementing twice") is the
/// answer to "nothing lost or duplicated", not a reason to ask it again.
#[test]
fn a_write_of_the_full_value_prevents_double_counting() {
    let r = reader();
    for said in [
        "Flink buffers its writes and retries, and since they're SETs of full counts, the counts catch up when Redis is back.",
        "The Redis write is a SET of the full count for that card, so replaying rewrites the same values instead of incrementing twice.",
    ] {
        let mut d = Design::new();
        let t = d.add_turn(&r, said, Some(crate::rubric::Phase::FailureModes), None);
        assert!(t.failure.prevent.depth.covered(), "{said}: {:?}", t.failure.prevent);
    }
}

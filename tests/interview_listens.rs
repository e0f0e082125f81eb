//! The interviewer listens: each behaviour that issue 11 found wrong,
//! pinned by a test named for what is right now. The round runs in process
//! on the offline interviewer; every answer is read into the design model
//! and the next move is chosen from its gaps.

mod listening;

use mockround::rubric::Phase;

use listening::{asks, intents, Round};

#[test]
fn an_arrow_annotated_in_parentheses_with_a_slash_in_the_box_name_is_not_asked_again() {
    let mut r = Round::clarified("clickstream");
    let t = r.say("Web/Mobile SDK --(HTTPS JSON batches, 200K ev/s peak)--> Collector -> Kafka -> Flink -> S3");
    assert!(
        !t.moves.iter().any(|m| m
            .target
            .as_deref()
            .is_some_and(|x| x.contains("Web/Mobile SDK"))),
        "{:?}",
        t.text()
    );
    assert!(
        asks(&t).is_some_and(|(i, _)| i.starts_with("annotate_edge")),
        "{}",
        t.text()
    );
}

#[test]
fn a_colon_label_after_an_arrow_annotates_it() {
    let mut r = Round::clarified("clickstream");
    let t = r.say(
        "Web/Mobile SDK -> Kafka : avro events, 200K events/sec\nKafka -> Flink : avro, 200K events/sec\nFlink -> Redis : per-user session state, 50K writes/sec\nFlink -> S3 : parquet, 5 TB/day\nS3 -> Snowflake : parquet, 200 GB/day",
    );
    assert!(
        !intents(&t).iter().any(|i| i.starts_with("annotate_edge")),
        "{:?}: {}",
        intents(&t),
        t.text()
    );
}

#[test]
fn a_product_list_without_arrows_is_not_an_architecture() {
    let mut r = Round::clarified("payments-reconciliation");
    let t = r.say("Postgres, Kafka, Spark, Snowflake.");
    assert_eq!(asks(&t).map(|a| a.0), Some("ask_diagram"), "{}", t.text());
    assert!(!t.has("phase_covered"));
    assert_eq!(r.s.design().boxes().count(), 0);
}

#[test]
fn alternatives_named_in_prose_are_not_counted_as_boxes() {
    let mut r = Round::clarified("clickstream");
    r.say("Web/Mobile SDK -> Collector -> Kafka -> Flink -> S3. The collector could equally be Snowplow's collector or Kafka REST Proxy.");
    assert_eq!(
        r.s.design().boxes().count(),
        5,
        "{:?}",
        r.s.design()
            .boxes()
            .map(|(_, b)| b.name.clone())
            .collect::<Vec<_>>()
    );
}

#[test]
fn monitoring_alone_is_pushed_not_accepted_as_detection() {
    let mut r = Round::clarified("clickstream");
    r.say("Kafka -> Flink -> S3");
    r.to(Phase::FailureModes);
    let t = r.say("Monitoring.");
    assert!(
        t.has("push_detect") || asks(&t).is_some_and(|(i, _)| i == "drill_detect"),
        "{:?}",
        intents(&t)
    );
    assert!(!t.text().contains("you've noticed"));
}

#[test]
fn we_rerun_it_is_pushed_for_where_it_restarts_and_why_that_is_safe() {
    let mut r = Round::clarified("clickstream");
    r.say("Kafka -> Flink -> S3");
    r.to(Phase::FailureModes);
    r.say("The consumer lag alert on the Flink group pages on-call when lag passes 5 minutes.");
    let t = r.say("We rerun it.");
    assert!(
        t.says.iter().any(|s| s.intent.starts_with("push_recover")),
        "{:?}: {}",
        intents(&t),
        t.text()
    );
    assert!(
        t.text().contains("We rerun it"),
        "the push quotes the candidate: {}",
        t.text()
    );
}

#[test]
fn the_same_question_is_never_asked_twice_in_a_row() {
    let mut r = Round::clarified("clickstream");
    r.say("Kafka -> Flink -> S3");
    r.to(Phase::FailureModes);
    let mut last: Option<(String, String)> = None;
    for answer in [
        "Monitoring.",
        "Monitoring, really.",
        "We'd know.",
        "Not sure.",
        "Monitoring.",
    ] {
        let t = r.say(answer);
        let now = asks(&t).map(|(i, x)| (i.to_string(), x.to_string()));
        if let (Some(a), Some(b)) = (&last, &now) {
            assert_ne!(a, b, "asked twice in a row: {}", t.text());
        }
        last = now;
        if r.s.is_finished() {
            break;
        }
    }
}

#[test]
fn idempotency_is_never_asked_of_a_pure_source() {
    let mut r = Round::clarified("payments-reconciliation");
    r.say("Postgres -> Debezium : CDC events, 1,500 rows/sec -> Kafka -> Spark -> Snowflake : fact_transaction, 30 GB/day");
    r.to(Phase::DataFlow);
    for _ in 0..6 {
        let t = r.say(
            "A transaction row is captured by Debezium, keyed by txn_id, and Spark loads it daily.",
        );
        assert!(
            !t.moves.iter().any(|m| m.intent.contains("idempotent") && m.target.as_deref() == Some("Postgres")),
            "{}",
            t.text()
        );
        if r.s.phase() != Phase::DataFlow {
            break;
        }
    }
}

#[test]
fn a_non_answer_to_the_guarantee_question_is_pushed_and_the_phase_is_not_called_covered() {
    let mut r = Round::clarified("clickstream");
    r.say("Web/Mobile SDK -> Kafka : avro, 200K events/sec, key=user_id\nKafka -> Flink : avro, 200K events/sec\nFlink -> S3 : parquet, 5 TB/day");
    r.to(Phase::DataFlow);
    let mut t = r.say("The event goes to Kafka keyed by user_id, then Flink, then S3.");
    // Walk to the guarantee question.
    for _ in 0..4 {
        if asks(&t).is_some_and(|(i, _)| i.starts_with("ask_guarantee")) {
            break;
        }
        t = r.say("It is written as Parquet.");
    }
    assert!(
        asks(&t).is_some_and(|(i, _)| i.starts_with("ask_guarantee")),
        "{}",
        t.text()
    );
    let t = r.say("It just works, Kafka is reliable.");
    assert!(
        asks(&t).is_some_and(|(i, _)| i.starts_with("push_")),
        "{}",
        t.text()
    );
    let t = r.say("Yes.");
    assert!(!t.has("phase_covered"), "{}", t.text());
    assert!(
        r.s.gaps_left()
            .iter()
            .any(|g| g.intent.starts_with("ask_guarantee")),
        "{:?}",
        r.s.gaps_left()
    );
}

#[test]
fn a_failure_drill_counts_only_what_is_said_after_it_was_asked() {
    let mut r = Round::clarified("clickstream");
    r.say("Kafka -> Flink -> S3");
    r.to(Phase::DataFlow);
    r.say("If a broker dies, under-replicated partitions alert pages on-call, leaders fail over to in-sync replicas, and acks=all with min.insync.replicas=2 means nothing acknowledged is lost.");
    r.to(Phase::FailureModes);
    let t = r.say("Not sure.");
    let drill = r.s.failure_results();
    assert!(drill.is_empty() || !drill[0].complete(), "{drill:?}");
    assert!(!t.has("drill_complete"), "{}", t.text());
}

#[test]
fn a_drill_the_candidate_already_covered_gets_its_harder_variant() {
    let mut r = Round::clarified("clickstream");
    r.say("Web/Mobile SDK -> Kafka : avro, 200K events/sec\nKafka -> Flink : avro\nFlink -> S3 : parquet, 5 TB/day");
    r.to(Phase::DataFlow);
    r.say("Flink dedupes by event_id in keyed state with a 24h TTL, so producer retries are idempotent; the S3 sink commits files with two-phase commit.");
    r.to(Phase::FailureModes);
    let mut seen = false;
    for _ in 0..12 {
        let t = r.say("Flink restarts from the last checkpoint and the consumer lag alert pages on-call; two-phase commit means nothing is lost or duplicated.");
        if let Some(m) = t.moves.first() {
            if m.target.as_deref().is_some_and(|x| x.contains("duplicate")) {
                assert!(
                    m.intent.ends_with("_escalated"),
                    "{}: {}",
                    m.intent,
                    t.text()
                );
                assert!(t.text().contains("dedupes by event_id"), "{}", t.text());
                seen = true;
                break;
            }
        }
        if r.s.is_finished() {
            break;
        }
    }
    assert!(seen, "the duplicates drill was never asked");
}

#[test]
fn a_board_that_leaves_out_what_the_brief_asks_for_hears_it_as_the_walkthrough_starts() {
    let mut r = Round::clarified("iot-telemetry");
    r.say(
        "Sensors -> Kinesis : JSON readings, 1M/s\nKinesis -> Flink : JSON, 1M/s\n\
         Flink -> ClickHouse : 1-minute rollups, 20K rows/s",
    );
    while r.s.phase() == Phase::Architecture {
        let t = r.next();
        if r.s.phase() == Phase::DataFlow {
            assert!(t.has("brief_uncovered"), "{:?}", intents(&t));
            assert!(
                t.text().contains("alerts when a machine is about to fail"),
                "{}",
                t.text()
            );
            assert!(!t.has("phase_covered"), "{:?}", intents(&t));
        }
    }
    // Said once: the next phase change does not repeat it.
    let t = r.next();
    assert!(!t.has("brief_uncovered"), "{:?}", intents(&t));

    let mut covered = Round::clarified("iot-telemetry");
    covered.say(
        "Sensors -> Kinesis : JSON readings, 1M/s\nKinesis -> Flink : JSON, 1M/s\n\
         Flink -> ClickHouse : rollups for live dashboards, 20K rows/s\n\
         Flink -> PagerDuty : alerts when vibration trends predict a failure\n\
         Flink -> S3 (Iceberg) : Parquet history for years of analysis, 2 TB/day",
    );
    while covered.s.phase() == Phase::Architecture {
        let t = covered.next();
        assert!(!t.has("brief_uncovered"), "{}", t.text());
    }
}

#[test]
fn a_walkthrough_given_in_the_architecture_phase_is_picked_up_not_asked_for_again() {
    let board = "Web SDK -> Kafka : JSON events, 200K/s\nKafka -> Flink : Avro, 200K/s\n\
                 Flink -> Redis : open sessions, 20K writes/s\nFlink -> S3 : Parquet, 5 TB/day\n\
                 S3 -> Snowflake : hourly COPY, 200 GB/hour";
    let walk = "A click leaves the SDK as JSON and goes into Kafka on the user_id partition; \
                Flink reads it, adds it to the user's open session in keyed state and upserts \
                the session into Redis every few seconds, and writes the raw event to S3 as \
                Parquet, which Snowflake loads every hour for the session facts.";
    let mut plain = Round::clarified("clickstream");
    plain.say(board);
    let mut t = plain.next();
    while plain.s.phase() == Phase::Architecture {
        t = plain.next();
    }
    assert!(t.has("intro_data_flow"), "{:?}", intents(&t));
    assert!(!t.has("intro_data_flow_walked"), "{:?}", intents(&t));

    let mut walked = Round::clarified("clickstream");
    walked.say(board);
    let mut t = walked.say(walk);
    while walked.s.phase() == Phase::Architecture {
        t = walked.next();
    }
    // It gave the key too ("on the user_id partition"): the walk is not
    // asked for again, and what it left out (the guarantee) is asked now.
    assert!(
        t.has("intro_data_flow_walked_full") && t.has("ask_guarantee"),
        "{:?} {}",
        intents(&t),
        t.text()
    );
    assert!(
        t.text()
            .contains("You've already followed one event from Kafka to Snowflake"),
        "{}",
        t.text()
    );
    assert!(!t.text().contains("walk me through"), "{}", t.text());
    assert!(!t.text().contains("partitioning key"), "{}", t.text());

    // A walk with no key is asked for the keys hop by hop.
    let mut keyless = Round::clarified("clickstream");
    keyless.say(board);
    let mut t = keyless.say(
        "A click leaves the SDK as JSON and goes into Kafka; Flink reads it, adds it to \
         the user's open session and writes the session into Redis every few seconds, and \
         writes the raw event to S3 as Parquet, which Snowflake loads every hour for the \
         session facts.",
    );
    while keyless.s.phase() == Phase::Architecture {
        t = keyless.next();
    }
    assert!(
        t.has("intro_data_flow_walked"),
        "{:?} {}",
        intents(&t),
        t.text()
    );
    assert!(t.text().contains("partitioning key"), "{}", t.text());

    // A walk that stops at S3 is asked for the rest of the path.
    let mut part = Round::clarified("clickstream");
    part.say(board);
    let mut t = part.say(
        "A click leaves the SDK as JSON and goes into Kafka on the user_id partition; \
         Flink reads it, adds it to the user's open session in keyed state, and writes \
         the raw event to S3 as Parquet every five minutes.",
    );
    while part.s.phase() == Phase::Architecture {
        t = part.next();
    }
    assert!(t.has("intro_data_flow_walked_rest"), "{:?}", intents(&t));
    assert!(
        t.text().contains("you haven't yet: Redis and Snowflake"),
        "{}",
        t.text()
    );
}

#[test]
fn no_delivery_guarantee_is_asked_of_a_board_where_no_job_writes_anything() {
    let mut r = Round::clarified("metrics-pipeline");
    r.say("Services -> Prometheus : scraped metrics, 2M samples/s\nPrometheus -> Grafana : PromQL queries");
    r.to(Phase::DataFlow);
    for _ in 0..4 {
        let t = r.say("Prometheus scrapes each service every 15 seconds and Grafana queries it.");
        assert!(
            !t.has("ask_guarantee"),
            "a guarantee of \"the job\" into \"the sink\": {}",
            t.text()
        );
        if r.s.phase() != Phase::DataFlow {
            break;
        }
    }
}

#[test]
fn a_label_saying_what_the_job_does_is_not_said_back_as_what_the_arrow_carries() {
    let mut r = Round::clarified("experimentation-metrics");
    let t = r.say(
        "Apps -> Kafka : events JSON, 60K/s\nKafka -> S3 (Iceberg) : Parquet, 3 TB/day\n\
         S3 (Iceberg) -> Spark daily job : join events with first exposure per (user, experiment)\n\
         Spark daily job -> BigQuery : per-experiment aggregates, a few GB/day\nBigQuery -> Looker : scorecards",
    );
    let (intent, target) = asks(&t).expect("a question");
    assert!(intent.starts_with("annotate_edge_rate"), "{}", t.text());
    assert!(
        target.to_ascii_lowercase().contains("spark daily job"),
        "{target}"
    );
    assert!(!t.text().contains("join events"), "{}", t.text());
}

#[test]
fn a_label_saying_how_the_arrow_writes_is_not_said_back_as_what_it_carries() {
    let mut r = Round::clarified("clickstream");
    let t = r.say(
        "SDK -> Kafka : Avro, 200K events/s\nKafka -> Flink : Avro, 200K events/s\n\
         Flink -> ClickHouse : upserts by session_id\nKafka -> S3 : Parquet, 200 GB/hour\n\
         S3 -> Snowflake : hourly COPY, 200 GB/hour",
    );
    let (intent, target) = asks(&t).expect("a question");
    assert!(intent.starts_with("annotate_edge_rate"), "{}", t.text());
    assert!(
        target.to_ascii_lowercase().contains("clickhouse"),
        "{target}"
    );
    assert!(!t.text().contains("carries upserts"), "{}", t.text());
}

#[test]
fn a_lot_for_a_volume_the_problem_already_gave_is_told_the_numbers_back() {
    let mut r = Round::clarified("streaming-enrichment");
    let t = r.say("Kafka -> Flink : orders and payments, JSON\nFlink -> S3 : enriched orders");
    assert!(
        asks(&t).is_some_and(|(i, _)| i.starts_with("annotate_edge")),
        "{:?}",
        intents(&t)
    );
    let t = r.say("a lot");
    assert!(t.has("push_annotate_edge_rate_given"), "{:?}", intents(&t));
    // Neither format nor volume: the numbers are said back too.
    let mut bare = Round::clarified("streaming-enrichment");
    let t = bare.say("Kafka -> Flink\nFlink -> S3 : Parquet, 5 GB/hour");
    assert_eq!(
        asks(&t).map(|(i, _)| i),
        Some("annotate_edge"),
        "{}",
        t.text()
    );
    let t = bare.say("stuff");
    assert!(t.has("push_annotate_edge_given"), "{:?}", intents(&t));
    assert!(
        t.text()
            .contains("You have the numbers: peak is about 20K order events/sec"),
        "{}",
        t.text()
    );
}

#[test]
fn a_query_engine_over_the_lake_serves_the_consumer() {
    let mut r = Round::clarified("streaming-enrichment");
    let mut t = r.say("Kafka -> Flink : orders, JSON, 20K/s\nFlink -> S3 : Parquet, 5 GB/hour");
    for _ in 0..4 {
        if t.has("too_few_boxes") {
            break;
        }
        t = r.say("Nothing else on those arrows.");
    }
    assert!(t.has("too_few_boxes"), "{:?}", intents(&t));
    let t = r.say("The dashboards query S3 with Athena.");
    assert!(!t.has("push_too_few_boxes"), "{}", t.text());
}

#[test]
fn stores_named_in_a_design_drawn_while_clarifying_are_not_asked_for_again() {
    let mut r = Round::new("gdpr-deletion");
    r.say("How many requests a day, and how fast must they be done?");
    r.say("ok. user clicks delete -> api -> spark job deletes rows in s3 and snowflake");
    let mut said = String::new();
    for _ in 0..8 {
        if r.s.phase() != Phase::Architecture && r.s.phase() != Phase::Clarify {
            break;
        }
        let t = r.say("not sure");
        said.push_str(&t.text());
    }
    assert!(!said.contains("where the data lands"), "{said}");
}

#[test]
fn a_constraint_question_no_fact_covers_is_left_to_the_candidate_not_reminded_of_backups() {
    let mut r = Round::new("gdpr-deletion");
    let first = r.say("Do we have to delete backups too, or do they age out?");
    assert!(first.has("fact_answer"), "{:?}", intents(&first));
    let pii = r.say("Which tables hold personal data: is there a catalog that tags PII columns?");
    assert!(pii.has("no_fact"), "{:?}", intents(&pii));
    assert!(!pii.has("fact_repeat"), "{}", pii.text());
    let again = r.say("Sorry, what about the snapshots again?");
    assert!(again.has("fact_repeat"), "{:?}", intents(&again));
}

#[test]
fn a_question_among_several_that_no_fact_answers_is_called_the_candidates_call() {
    let mut r = Round::new("gdpr-deletion");
    let t = r.say(
        "How many erasure requests a day? Is the lake partitioned by date or by user? \
         And how fast must a request be done?",
    );
    assert!(t.has("fact_answer"), "{:?}", intents(&t));
    assert!(t.has("fact_open_part"), "{:?}", intents(&t));
    assert!(
        t.text()
            .contains("\"is the lake partitioned by date or by user?\""),
        "{}",
        t.text()
    );
    let one = r.say("Who reads the proof of deletion?");
    assert!(!one.has("fact_open_part"), "{:?}", intents(&one));
}

#[test]
fn a_second_clarifying_question_gets_a_short_reminder_not_the_same_block() {
    let mut r = Round::new("clickstream");
    let first = r.say("What is the scale? How many events per second at peak?");
    assert!(first.has("fact_answer"));
    let again = r.say("And how big is each event, roughly?");
    assert!(again.has("fact_repeat"), "{:?}", intents(&again));
    let block = "About 50M daily active users.";
    assert!(first.text().contains(block));
    assert!(
        !again.text().contains(block),
        "the whole block again: {}",
        again.text()
    );
}

/// A round whose diagram turn says "5K movements a second, that's about 4
/// million a day" and is challenged for it (432M a day).
fn challenged_for_a_wrong_daily_total() -> Round {
    let mut r = Round::clarified("realtime-inventory");
    let t = r.say("OK so 5K movements a second, that's about 4 million movements a day, not that much. My design:\nWMS Postgres -> Debezium -> Kafka : JSON, 5K/s\nTills -> Kafka : JSON, 1K/s sales\nKafka -> Flink : JSON, high throughput\nFlink -> Redis : available count per SKU, 5K writes/s\nRedis -> website : 50K reads/s");
    assert!(
        asks(&t).is_some_and(|(i, _)| i.starts_with("challenge_numbers_disagree")),
        "{}",
        t.text()
    );
    r
}

/// True when the round left open the 432M-a-day arithmetic.
fn left_open_with_the_arithmetic(r: &Round) -> bool {
    r.s.gaps_left()
        .iter()
        .filter_map(|g| g.detail.as_deref())
        .any(|d| d.contains("432M"))
}

#[test]
fn a_figure_stood_by_after_the_push_is_left_open_with_its_arithmetic() {
    let mut r = challenged_for_a_wrong_daily_total();
    r.say("Yeah 4 million a day is right, it's not big data.");
    r.say("The design doesn't really change.");
    assert!(left_open_with_the_arithmetic(&r), "{:?}", r.s.gaps_left());
}

#[test]
fn figures_still_challenged_when_the_round_ends_are_left_open() {
    let mut r = challenged_for_a_wrong_daily_total();
    r.quit();
    assert!(left_open_with_the_arithmetic(&r), "{:?}", r.s.gaps_left());
}

/// "I'd rather skip this one" is taken at once: no push on the same
/// question, which is left open for the debrief.
#[test]
fn a_candidate_asking_to_skip_is_let_skip_and_the_question_left_open() {
    for skip in [
        "I'd rather skip this one.",
        "Let's move on.",
        "Next.",
        "Pass",
    ] {
        let mut r = Round::clarified("streaming-enrichment");
        let t = r.say("Kafka -> Flink\nFlink -> S3 : Parquet, 5 GB/hour");
        assert_eq!(
            asks(&t).map(|(i, _)| i),
            Some("annotate_edge"),
            "{}",
            t.text()
        );
        let t = r.say(skip);
        assert!(
            !intents(&t).iter().any(|i| i.starts_with("push_")),
            "{skip}: {:?}",
            intents(&t)
        );
        assert!(
            t.text().contains("skip") && t.text().contains("open"),
            "{skip}: {}",
            t.text()
        );
    }
    // A shrug that asks nothing is still pushed once.
    let mut r = Round::clarified("streaming-enrichment");
    r.say("Kafka -> Flink\nFlink -> S3 : Parquet, 5 GB/hour");
    let t = r.say("stuff");
    assert!(t.has("push_annotate_edge_given"), "{:?}", intents(&t));
}

/// "Let's move on" in a failure drill is taken as `/next` is: the drill is
/// left open and the next failure asked, not pushed on.
#[test]
fn a_failure_drill_the_candidate_asks_to_skip_is_left_and_the_next_one_asked() {
    let mut r = Round::clarified("clickstream");
    r.say("Kafka -> Flink -> S3");
    r.to(Phase::FailureModes);
    let first = r.s.failure_results().len();
    let t = r.say("Let's move on.");
    assert!(t.text().contains("skip"), "{}", t.text());
    assert!(
        !intents(&t)
            .iter()
            .any(|i| i.starts_with("push") || i.starts_with("drill_")),
        "{:?}",
        intents(&t)
    );
    assert_eq!(
        r.s.failure_results().len(),
        first + 1,
        "the drill is closed"
    );
}

/// A box drawn as "Grafana" is asked about as "Grafana", and "dbt tests"
/// said in prose is not called "Great Expectations": the catalogue's name
/// is for matching, not for saying back.
#[test]
fn components_are_said_back_in_the_candidates_words_not_the_catalogues() {
    let mut r = Round::clarified("metrics-pipeline");
    r.say("App -> OpenTelemetry Collector : metrics, 2M samples/s\nOpenTelemetry Collector -> Kafka : samples\nKafka -> VictoriaMetrics : samples\nVictoriaMetrics -> Grafana : dashboards");
    r.say("We'd have dbt tests on the daily rollups.");
    r.to(Phase::FailureModes);
    let mut said = String::new();
    for answer in [
        "Not sure.",
        "No idea.",
        "Not sure.",
        "No idea.",
        "Not sure.",
    ] {
        said.push_str(&r.say(answer).text());
    }
    assert!(!said.contains("Prometheus"), "{said}");
    assert!(!said.contains("Great Expectations"), "{said}");
}

//! The interviewer listens: each behaviour that issue 11 found wrong,
//! pinned by a test named for what is right now. The round runs in process
//! on the offline interviewer; every answer is read into the design model
//! and the next move is chosen from its gaps.

use std::sync::Arc;

use mockround::interview::clock::Pace;
use mockround::interview::session::{Input, Session, Turn};
use mockround::interview::templates::Templates;
use mockround::rubric::{Phase, Rubric};
use mockround::score::Scorer;

struct Round {
    s: Session,
    scorer: Scorer,
    now: u64,
}

impl Round {
    fn new(problem: &str) -> Round {
        Round::with_pace(problem, Pace::Untimed)
    }

    fn with_pace(problem: &str, pace: Pace) -> Round {
        let rubric = Rubric::builtin().expect("rubric");
        let p = rubric.problem(problem).expect("problem").clone();
        let mut s = Session::new(p, Arc::new(Templates::builtin()), pace, 1);
        s.open(0);
        Round {
            s,
            scorer: Scorer::new(&rubric),
            now: 0,
        }
    }

    fn say(&mut self, text: &str) -> Turn {
        self.now += 30_000;
        self.s
            .handle(Input::Answer(text.to_string()), self.now, &self.scorer)
    }

    fn next(&mut self) -> Turn {
        self.now += 1_000;
        self.s.handle(Input::Next, self.now, &self.scorer)
    }

    /// Clarify scale, freshness and consumer, and land in the architecture phase.
    fn clarified(problem: &str) -> Round {
        let mut r = Round::new(problem);
        r.say("What is the peak scale, how fresh must the data be, and who consumes it?");
        assert_eq!(r.s.phase(), Phase::Architecture);
        r
    }

    /// Advance with /next to a phase.
    fn to(&mut self, phase: Phase) {
        while self.s.phase() < phase {
            self.next();
        }
    }
}

fn intents(t: &Turn) -> Vec<&str> {
    t.says.iter().map(|s| s.intent.as_str()).collect()
}

fn asks(t: &Turn) -> Option<(&str, &str)> {
    t.moves
        .first()
        .map(|m| (m.intent.as_str(), m.target.as_deref().unwrap_or("")))
}

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
    assert!(
        t.has("intro_data_flow_walked"),
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

#[test]
fn the_candidates_own_numbers_are_checked_against_the_partitions() {
    let mut r = Round::clarified("clickstream");
    let mut t = r.say("Web/Mobile SDK -> Kafka : avro, 200 MB/s\nKafka (4 partitions, key=user_id) -> Flink : avro, 200 MB/s\nFlink -> S3 : parquet, 5 TB/day\nFlink -> Redis : session state, 50K writes/sec");
    let mut seen = Vec::new();
    for n in 0..4 {
        if asks(&t).is_some_and(|(i, _)| i.starts_with("challenge_partition")) {
            break;
        }
        seen.push(t.text());
        t = r.say(&format!("Kafka is on MSK in {} availability zones.", n + 2));
    }
    assert!(asks(&t).is_some(), "{seen:?}");
    let (intent, _) = asks(&t).expect("a question");
    assert_eq!(intent, "challenge_partition_capacity_tight", "{}", t.text());
    assert!(t.text().contains("50 MB/s"), "{}", t.text());
}

#[test]
fn a_choice_is_challenged_against_its_alternative() {
    let mut r = Round::clarified("clickstream");
    r.say("Web/Mobile SDK -> Kafka : avro, 200K events/sec\nKafka -> Flink : avro, 200K events/sec\nFlink -> Redis : session state, 50K writes/sec\nFlink -> S3 : parquet, 5 TB/day\nS3 -> Snowflake : parquet, 200 GB/day");
    let t = r.say("That's the design.");
    let t = if asks(&t).is_some_and(|(i, _)| i.starts_with("challenge_why")) {
        t
    } else {
        r.say("Yes.")
    };
    assert!(
        asks(&t).is_some_and(|(i, _)| i.starts_with("challenge_why")),
        "{}",
        t.text()
    );
    assert!(
        t.text().contains("rather than") || t.text().contains(" over "),
        "{}",
        t.text()
    );
}

/// A candidate who drew MSK is asked about MSK, in their word, not about
/// the catalogue's canonical "Kafka".
#[test]
fn a_choice_is_challenged_in_the_candidates_word_for_the_product() {
    let mut r = Round::clarified("clickstream");
    r.say("Web/Mobile SDK -> MSK : avro, 200K events/sec\nMSK -> Flink : avro, 200K events/sec\nFlink -> Redis : session state, 50K writes/sec\nFlink -> S3 : parquet, 5 TB/day\nS3 -> Snowflake : parquet, 200 GB/day");
    let mut t = r.say("That's the design.");
    for _ in 0..3 {
        if asks(&t).is_some_and(|(i, _)| i.starts_with("challenge_why")) {
            break;
        }
        t = r.say("Yes.");
    }
    assert!(
        asks(&t).is_some_and(|(i, _)| i.starts_with("challenge_why")),
        "{}",
        t.text()
    );
    let text = t.text();
    assert!(
        text.contains("MSK rather than") || text.contains("MSK over"),
        "{text}"
    );
    assert!(!text.contains("Kafka"), "{text}");
    // An answer that gives no reason is pushed once, without calling it a
    // preference it never stated.
    let t = r.say("That's the design.");
    let text = t.text();
    assert!(text.contains("doesn't say why MSK fits here"), "{text}");
    assert!(!text.contains("preference"), "{text}");
}

/// "Postgres, I guess" for the vague DB box names the box: the questions
/// after it talk about Postgres, not "DB".
#[test]
fn a_vague_box_named_in_an_answer_is_called_by_that_product_after() {
    let mut r = Round::clarified("search-indexing");
    let t = r.say("DB -> Kafka -> Elasticsearch");
    assert_eq!(asks(&t).map(|(i, _)| i), Some("vague_box"), "{}", t.text());
    let mut t = r.say("postgres I guess");
    let mut seen = Vec::new();
    for _ in 0..4 {
        seen.push(t.text());
        if t.text().contains("Kafka") && asks(&t).is_some_and(|(i, _)| i.starts_with("annotate")) {
            break;
        }
        t = r.say("Not sure yet.");
    }
    let arrow = seen
        .iter()
        .find(|x| x.contains("→ Kafka") || x.contains("to Kafka") || x.contains("-> Kafka"))
        .unwrap_or_else(|| panic!("an arrow question into Kafka: {seen:#?}"));
    assert!(arrow.contains("Postgres"), "{arrow}");
    assert!(!arrow.contains("from DB"), "{arrow}");
}

#[test]
fn the_hidden_constraint_is_brought_up_when_the_candidate_never_asked() {
    let mut r = Round::clarified("payments-reconciliation");
    r.say("Postgres -> Debezium : CDC rows, 1,500/sec -> Kafka : avro -> Spark : parquet, 30 GB/day -> Snowflake : fact_transaction, 30 GB/day");
    r.to(Phase::DataFlow);
    let mut said = String::new();
    for _ in 0..8 {
        let t = r.say("Spark MERGEs into Snowflake on (txn_id, run_id), so reruns are idempotent; the path is at-least-once with that idempotent MERGE, and Kafka is keyed by txn_id.");
        said.push_str(&t.text());
        if t.has("challenge_hidden_constraint") || r.s.phase() != Phase::DataFlow {
            break;
        }
    }
    assert!(
        said.contains("Refunds and chargebacks can arrive weeks after"),
        "{said}"
    );
}

#[test]
fn a_strong_candidate_is_not_done_after_three_drills() {
    let mut r = Round::with_pace("clickstream", Pace::Real);
    r.say("What is the peak scale, how fresh must the data be, and who consumes it?");
    r.say("Web/Mobile SDK -> Kafka : avro, 200K events/sec\nKafka -> Flink : avro\nFlink -> S3 : parquet, 5 TB/day\nFlink -> Redis : session state, 50K writes/sec");
    r.to(Phase::FailureModes);
    let mut after_three = Vec::new();
    for n in 0..20 {
        if r.s.is_finished() {
            break;
        }
        // A different strong answer each time (a repeated one counts once).
        let t = r.say(&format!(
            "The consumer lag alert pages on-call when lag passes {} minutes; Flink restarts from the last completed checkpoint and replays Kafka from the committed offsets; the two-phase commit sink and acks=all with min.insync.replicas=2 mean nothing is lost or duplicated, and {} replicas keep it available.",
            n + 2,
            n + 3
        ));
        if r.s.failure_results().len() >= 3 {
            if let Some(m) = t.moves.first() {
                after_three.push(m.intent.clone());
            }
        }
    }
    assert!(r.s.failure_results().len() >= 3);
    assert!(
        after_three.len() >= 4,
        "after three drills only {after_three:?} was asked"
    );
    assert!(
        after_three.iter().any(|i| i.starts_with("challenge_")),
        "{after_three:?}"
    );
}

#[test]
fn the_tightened_requirement_comes_in_the_data_flow_and_the_stretch_after_a_drill() {
    let mut r = Round::clarified("clickstream");
    r.say("Web/Mobile SDK -> Kafka : avro, 200K events/sec\nKafka -> Flink : avro\nFlink -> Redis : session state, 50K writes/sec");
    r.to(Phase::DataFlow);
    let mut tightened = false;
    for _ in 0..6 {
        let t = r.say("The event is keyed by user_id into Kafka; Flink upserts sessions into Redis by session_id; the path is at-least-once with idempotent upserts.");
        if t.has("curveball_tighten") {
            tightened = true;
            break;
        }
    }
    assert!(tightened, "no tightened requirement in the data flow");
    let t = r.say("I'd add early-firing triggers in Flink every second so Redis is updated continuously, and drop producer linger.ms to 5 ms.");
    let c = &r.s.curveball_results()[0];
    assert_eq!(c.adapted, Some(true), "{c:?} {}", t.text());
    assert!(c
        .quote
        .as_deref()
        .is_some_and(|q| q.contains("early-firing")));
}

#[test]
fn a_bare_date_key_is_pushed_on_which_date_when_records_arrive_late() {
    let mut r = Round::clarified("late-arriving-facts");
    r.say("Tills -> S3 : sales files, CSV, 2 GB a day\nS3 -> Spark : hourly batch\nSpark -> Snowflake : fact_sales, MERGE on sale_id\nSnowflake -> Looker : dashboards");
    r.to(Phase::DataFlow);
    // Walk until the key is asked.
    let mut t = r.say("A sale is written to a CSV file at the till, lands in S3, Spark merges it into fact_sales and Looker reads it.");
    for _ in 0..6 {
        if asks(&t).is_some_and(|(i, _)| i == "ask_key") {
            break;
        }
        t = r.say("Spark merges on sale_id, so a rerun leaves one row per sale; at-least-once end to end with that idempotent MERGE.");
    }
    assert_eq!(asks(&t).map(|a| a.0), Some("ask_key"), "{}", t.text());
    let t = r.say("By date.");
    assert_eq!(
        asks(&t).map(|a| a.0),
        Some("push_key_which_date"),
        "{}",
        t.text()
    );
    assert!(
        t.text().contains("when it happened, or when it arrived"),
        "{}",
        t.text()
    );
}

#[test]
fn a_per_partition_figure_is_not_taken_for_the_rate_into_the_queue() {
    let mut r = Round::clarified("clickstream");
    r.say("Web/Mobile SDK -> Collector -> Kafka -> Flink -> Redis");
    r.say("JSON batches over HTTPS, about 200K events/s at peak.");
    r.say("Collector -> Kafka : avro, 200K/s, key=user_id\nKafka (64 partitions, 7 days) -> Flink : 200 MB/s\nFlink -> Redis : session state, 50K writes/s\nFlink -> S3 : parquet, 5 TB/day\nS3 -> Snowflake : COPY hourly, fact_session");
    r.say("It just works, Kafka takes care of that.");
    r.say("The same Avro click events that came in.");
    let t = r.say("Kafka because we already run MSK and need replay from offsets; 64 partitions is about 3 MB/s each, plenty of headroom.");
    assert!(
        !t.text().contains("3 MB/s into 64 partitions"),
        "a per-partition figure read as the total: {}",
        t.text()
    );
}

#[test]
fn a_copy_that_loads_each_file_once_is_an_idempotent_write() {
    let mut r = Round::clarified("clickstream");
    r.say("Web/Mobile SDK -> Kafka : avro, 200K events/s, key=user_id\nKafka -> Flink : avro, 200K events/s\nFlink -> S3 : parquet, 5 TB/day\nS3 -> Snowflake : fact_session, 200 GB/day");
    r.to(Phase::DataFlow);
    let mut texts = Vec::new();
    let mut t = r.say("One click: the SDK batches it, Kafka keys it by user_id, Flink dedupes by event_id and writes closed sessions to S3 through the two-phase commit file sink; Snowflake COPY loads each file once.");
    for _ in 0..4 {
        texts.push(t.text());
        t = r.say("At-least-once into Kafka, exactly-once through Flink's checkpoints and the two-phase commit sink.");
    }
    assert!(
        !texts
            .iter()
            .any(|x| x.contains("Snowflake") && x.contains("retried")),
        "{texts:#?}"
    );
}

#[test]
fn the_guarantee_question_without_a_diagram_names_the_whole_pipeline() {
    let mut r = Round::clarified("payments-reconciliation");
    r.say("Postgres, Kafka, Spark, Snowflake.");
    r.to(Phase::DataFlow);
    let t = r.say("Monitoring.");
    let text = t.text();
    assert!(!text.contains("  "), "a blank where the path goes: {text}");
    if asks(&t).is_some_and(|(i, _)| i.starts_with("ask_guarantee")) {
        assert!(
            text.contains("the pipeline from source to consumer"),
            "{text}"
        );
    }
}

#[test]
fn what_leaves_a_queue_is_what_entered_it_so_only_the_volume_is_asked() {
    let mut r = Round::clarified("clickstream");
    let first = r.say("Collector -> Kafka : avro click events, 200K/s, key=user_id\nKafka -> Flink : 200 MB/s\nFlink -> S3 : parquet, 5 TB/day\nS3 -> Snowflake : fact_session, 200 GB/day\nWeb/Mobile SDK -> Collector : JSON, 200K events/s");
    let t = r.say("Kafka because we already run MSK and need replay from offsets.");
    let all = format!("{}\n{}", first.text(), t.text());
    assert!(
        !all.contains("200 MB/s of what"),
        "asked what flows out of Kafka although it came in as Avro: {all}"
    );
}

#[test]
fn a_candidate_with_nothing_more_to_ask_is_moved_on_with_what_they_never_asked() {
    let mut r = Round::new("iot-telemetry");
    r.say("How much data is it?");
    assert_eq!(r.s.phase(), Phase::Clarify);
    // "No." to "anything else?" ends the clarify phase; the interviewer does
    // not ask "what else would you like to clarify?" again and again.
    let t = r.say("No.");
    assert_eq!(r.s.phase(), Phase::Architecture, "{:?}", intents(&t));
    assert!(
        intents(&t).contains(&"clarify_declined"),
        "{:?}",
        intents(&t)
    );
    let said: String = t.says.iter().map(|s| s.text.as_str()).collect();
    assert!(
        said.contains("freshness"),
        "names the topic never asked: {said}"
    );
    assert!(!intents(&t).contains(&"clarify_more"), "{:?}", intents(&t));
}

#[test]
fn a_short_answer_that_still_asks_keeps_the_clarify_phase_open() {
    let mut r = Round::new("iot-telemetry");
    r.say("How much data is it?");
    let t = r.say("No wait, one more thing: who uses the dashboards");
    assert_eq!(r.s.phase(), Phase::Clarify, "{:?}", intents(&t));
}

#[test]
fn a_box_note_about_partitions_and_keys_is_not_repeated_as_what_flows() {
    let mut r = Round::clarified("clickstream");
    let t = r.say("Web and mobile SDKs -> MSK (24 partitions, keyed by user_id) -> Flink (sessionise, dedupe by event_id) -> S3 Iceberg raw tables");
    let t = if asks(&t).is_some_and(|(i, _)| i.starts_with("annotate_edge")) {
        t
    } else {
        r.say("That's the pipeline.")
    };
    let text = t.text();
    assert!(
        asks(&t).is_some_and(|(i, _)| i == "annotate_edge"),
        "nothing is said about what flows, so the question asks for it: {text}"
    );
    assert!(
        !text.contains("24 partitions") && !text.contains("sessionise"),
        "a box's own settings were read back as the arrow's payload: {text}"
    );
}

#[test]
fn a_prose_answer_about_a_hop_is_not_read_back_word_for_word() {
    let mut r = Round::clarified("clickstream");
    r.say("Web and mobile SDKs -> MSK -> Flink -> S3 Iceberg raw tables");
    let t = r.say("An event leaves the SDK as JSON, about 1 KB, batched every 5 s, and MSK keeps it for 7 days.");
    let text = t.text();
    assert!(
        !text.contains("An event leaves the SDK"),
        "the candidate's sentence was quoted back as the payload: {text}"
    );
}

#[test]
fn a_choice_explained_after_a_colon_is_not_asked_why_again() {
    let mut r = Round::clarified("clickstream");
    r.say("Web and mobile SDKs -> MSK : JSON, 200K events/s\nMSK -> Flink : JSON, 200K events/s\nFlink -> S3 : Parquet, 5 TB/day\nS3 -> Snowflake : Parquet, 200 GB/day");
    let mut all = String::new();
    let mut t = r.say("I chose MSK over Kinesis: Kinesis is cheaper at low volume, but at 200K events/s the per-shard costs add up and MSK keeps the Kafka ecosystem.");
    for _ in 0..3 {
        all.push_str(&t.text());
        all.push('\n');
        // Another choice (Flink) may be challenged; MSK was explained.
        assert!(
            !asks(&t).is_some_and(|(i, target)| (i.starts_with("challenge_why")
                || i.starts_with("challenge_tradeoff"))
                && target.contains("MSK")),
            "asked for the reason or the downside the candidate just gave: {all}"
        );
        t = r.say("Yes, that's right.");
    }
    let d = r.s.design();
    let msk = d
        .choices
        .iter()
        .find(|c| c.over.as_deref() == Some("Kinesis"))
        .expect("the choice of MSK over Kinesis is recorded");
    assert!(msk.reason, "the clause after the colon is its reason");
    assert!(msk.tradeoff, "the cost of the alternative is a trade-off");
}

#[test]
fn a_rate_below_the_given_peak_is_challenged_at_once_not_after_the_arrows() {
    let mut r = Round::clarified("cdc-lakehouse");
    r.say("Postgres -> Debezium -> Kafka -> Spark -> Iceberg on S3 -> Trino");
    let t = r.say("Maybe 5K changes a second, JSON, into 3 partitions.");
    assert!(
        asks(&t).is_some_and(|(i, _)| i == "challenge_number_check"),
        "the problem's peak is 20K changes/sec: {}",
        t.text()
    );
    assert!(
        !intents(&t).contains(&"ack"),
        "no 'Good.' before saying the figure is off: {}",
        t.text()
    );
}

#[test]
fn a_push_quotes_the_whole_first_sentence_not_up_to_a_decimal_point() {
    let mut r = Round::clarified("cdc-lakehouse");
    r.say("Postgres -> Debezium -> Kafka -> Spark -> Iceberg on S3 -> Trino");
    let t = r.say("It just works, we lose maybe 0.5% at most. Kafka handles the volume.");
    let text = t.text();
    assert!(
        text.contains("0.5% at most"),
        "the quote stops at the decimal point: {text}"
    );
}

#[test]
fn a_candidate_who_keeps_designing_after_the_jump_warning_is_moved_on_not_asked_again() {
    let mut r = Round::new("iot-telemetry");
    let t = r.say("ok so I would use Kafka and Spark and a data lake");
    assert!(intents(&t).contains(&"jumped"), "{}", t.text());
    let t = r.say("devices -> Kafka -> Spark -> data lake -> dashboard");
    assert_eq!(r.s.phase(), Phase::Architecture, "{}", t.text());
    assert!(!intents(&t).contains(&"clarify_more"), "{}", t.text());
}

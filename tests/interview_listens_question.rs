//! The interviewer hears whether the question asked was answered: an
//! answer about another part of the design is not an answer to "why this
//! product over that one?", however good it is.

mod listening;

use listening::{asks, Round};

/// "Talk me through Kinesis over Kafka (MSK)" answered with how the
/// Redshift write is made exactly-once: the interviewer says that is a
/// different point and asks the choice again; a reason for the choice is
/// then taken.
#[test]
fn an_answer_about_another_part_does_not_answer_why_this_product() {
    let mut r = Round::clarified("clickstream");
    let t = r.say("Web SDK -> API Gateway -> Kinesis Data Streams (JSON, 200K/s peak, keyed by user_id) -> Spark Structured Streaming -> Redshift (session facts). Kinesis -> Firehose -> S3 raw (Parquet, 5 TB/day)");
    let (t, seen) = r.until(t, 10, |i, _| i.starts_with("challenge_why"), "JSON, about 200K events a second at peak, 1 KB each, so 200 MB/s; 300 shards at 1 MB/s per shard, with headroom.");
    let (intent, _) = asks(&t).unwrap_or_default();
    assert!(
        intent.starts_with("challenge_why"),
        "{seen:#?} {}",
        t.text()
    );
    let question = t.text();
    let t = r.say("The Redshift write is exactly-once because Spark checkpoints its offsets and the COPY is idempotent on session_id.");
    assert_eq!(
        asks(&t).unwrap_or_default().0,
        "push_off_topic",
        "{}",
        t.text()
    );
    assert!(
        t.text().contains("Kinesis"),
        "asks the choice again: {} (was: {question})",
        t.text()
    );
    let t = r.say("Kinesis because we're all on AWS and on-demand mode means no brokers to operate; MSK would give longer retention but we'd run it ourselves.");
    assert!(
        !asks(&t).is_some_and(|(i, _)| i.starts_with("push_")),
        "a reason for the choice is taken: {}",
        t.text()
    );
}

/// "What happens when the write into Redshift is retried?" answered with
/// the upsert into DynamoDB: that write is safe, and the one asked about is
/// still open, so the interviewer says so and asks again. An answer that
/// names the asked store is about it, whatever else it covers.
#[test]
fn another_stores_write_does_not_answer_a_retried_write() {
    let mut r = Round::clarified("clickstream");
    r.say("Web SDK -> Kafka (JSON, 200K/s, keyed by user_id) -> Flink (sessionize) -> Redshift (session facts)\nFlink -> DynamoDB (live sessions)\nDynamoDB -> dashboard API");
    r.to(mockround::rubric::Phase::DataFlow);
    let t = r.say("An event lands in Kafka keyed by user_id; Flink keeps each user's open session in keyed state and closes it after 30 minutes of inactivity.");
    let (t, seen) = r.until(
        t,
        8,
        |i, _| i.starts_with("ask_idempotent_write"),
        "Flink checkpoints every 10 seconds and restarts from the last checkpoint.",
    );
    let (intent, sink) = asks(&t).unwrap_or_default();
    assert!(
        intent.starts_with("ask_idempotent_write"),
        "{seen:#?} {}",
        t.text()
    );
    let (sink, other) = if sink.contains("Redshift") {
        ("Redshift", "DynamoDB")
    } else {
        ("DynamoDB", "Redshift")
    };
    let t = r.say(&format!(
        "The write into {other} is an upsert on session_id, so a replay rewrites the same row."
    ));
    assert_eq!(
        asks(&t).unwrap_or_default().0,
        "push_off_topic_write",
        "{}",
        t.text()
    );
    assert!(
        t.text().contains(sink) && t.text().contains(other),
        "{}",
        t.text()
    );
    let t = r.say(&format!(
        "{sink} gets a MERGE on session_id from a staging table, so a retried batch replaces its rows."
    ));
    assert!(
        !asks(&t).is_some_and(|(i, _)| i.starts_with("push_")),
        "the asked write answered: {}",
        t.text()
    );
}

/// "The SDK retries with the same event_id, and Spark drops duplicates on
/// event_id, so a retried send is counted once": a dedupe on a key, said
/// in plain words, answers a retried write.
#[test]
fn dropping_duplicates_on_a_key_answers_a_retried_write() {
    let mut r = Round::clarified("clickstream");
    r.say("Web SDK -> API Gateway (JSON, 200K/s) -> Kinesis Data Streams (keyed by user_id) -> Spark Structured Streaming -> Redshift (session facts)");
    r.to(mockround::rubric::Phase::DataFlow);
    let mut t = r.say("An event leaves the SDK as JSON; API Gateway puts it on Kinesis keyed by user_id; Spark sessionizes it with a 30 minute gap.");
    for _ in 0..8 {
        if asks(&t).is_some_and(|(i, s)| {
            i.starts_with("ask_idempotent_write") && s.contains("API Gateway")
        }) {
            break;
        }
        t = r.say("Spark checkpoints its offsets every minute to S3.");
    }
    assert!(t.text().contains("API Gateway"), "{}", t.text());
    let t = r.say("The SDK retries with the same event_id, and Spark drops duplicates on event_id, so a retried send is counted once.");
    assert!(
        !asks(&t).is_some_and(|(i, _)| i.starts_with("push_")),
        "{}",
        t.text()
    );
}

/// "It's exactly-once end to end because Spark checkpoints its offsets":
/// the checkpoint covers Spark's reading, not the write into Redshift. The
/// retry question about that write starts from the claim.
#[test]
fn an_end_to_end_exactly_once_claim_is_asked_of_each_store() {
    let mut r = Round::clarified("clickstream");
    r.say("Web SDK -> Kinesis Data Streams (JSON, 200K/s, keyed by user_id) -> Spark Structured Streaming -> Redshift (session facts)");
    r.to(mockround::rubric::Phase::DataFlow);
    let t = r.say("Spark reads Kinesis, sessionizes per user with a 30 minute gap and writes the sessions to Redshift. It's exactly-once end to end because Spark checkpoints its offsets.");
    let (t, seen) = r.until(
        t,
        8,
        |i, _| i.starts_with("ask_idempotent_write"),
        "Keyed by user_id all the way, about 200K events a second.",
    );
    let (intent, sink) = asks(&t).unwrap_or_default();
    assert_eq!(
        intent,
        "ask_idempotent_write_claimed",
        "{seen:#?} {}",
        t.text()
    );
    assert_eq!(sink, "Redshift");
    assert!(t.text().contains("checkpoints its offsets"), "{}", t.text());
}

/// "Flink to DynamoDB is a put keyed by user_id with the session version as
/// a condition" to the question about the S3 write: a conditional put is a
/// safe write, of DynamoDB; the S3 one is asked again, and DynamoDB's is
/// not asked later as if nothing had been said.
#[test]
fn a_conditional_put_into_another_store_is_that_stores_write() {
    let mut r = Round::clarified("clickstream");
    r.say("Web SDK -> Kinesis Data Streams (JSON, 200K/s, keyed by user_id) -> Flink (sessionize) -> DynamoDB (live sessions)\nKinesis Data Streams -> Firehose -> S3 raw (Parquet, 5 TB/day)");
    r.to(mockround::rubric::Phase::DataFlow);
    let t = r.say("An event lands in Kinesis keyed by user_id; Flink keeps each user's open session in keyed state and closes it after 30 minutes of inactivity.");
    let (t, said) = r.until(
        t,
        8,
        |i, s| i.starts_with("ask_idempotent_write") && s == "S3 raw",
        "Flink checkpoints every 10 seconds and restarts from the last checkpoint.",
    );
    assert!(t.text().contains("S3 raw"), "{said:#?} {}", t.text());
    let t = r.say("Flink to DynamoDB is a put keyed by user_id with the session version as a condition, so a replay writes the same item.");
    assert_eq!(
        asks(&t).unwrap_or_default().0,
        "push_off_topic_write",
        "{}",
        t.text()
    );
    let mut later = vec![t.text()];
    for _ in 0..6 {
        later.push(
            r.say("Firehose writes each batch to a new object; Athena reads by partition.")
                .text(),
        );
    }
    assert!(
        !later.iter().any(
            |s| s.contains("writes to DynamoDB. If that write is retried")
                || s.contains("into DynamoDB is retried")
        ),
        "{later:#?}"
    );
}

/// A long data-flow sentence that already says how a stale replay is
/// rejected ("… sends an index request with version = LSN and version_type
/// external, so an older change can never overwrite a newer one") covers
/// that failure: the drill is its harder version, quoting the clauses that
/// say it, not the sentence's opening ("A seller changes a price: …").
#[test]
fn a_failure_covered_mid_sentence_gets_the_harder_drill_quoting_that_clause() {
    let mut r = Round::clarified("search-indexing");
    r.say("Postgres -> Debezium (WAL, 5K changes/s) -> Kafka (Avro, keyed by listing_id, 24 partitions) -> Flink (joins price, stock and listing into one document) -> Elasticsearch (bulk upserts by listing_id, 5K docs/s, 20 MB/s)");
    r.to(mockround::rubric::Phase::DataFlow);
    r.say("A seller changes a price: the row commits in Postgres, Debezium publishes the change keyed by listing_id with the LSN, Flink looks up the listing's current document in keyed state, applies the price and sends an index request with version = LSN and version_type external, so an older change can never overwrite a newer one.");
    let mut asked = Vec::new();
    for _ in 0..6 {
        let t = r.next();
        asked.push(t.text());
        if r.s.phase() == mockround::rubric::Phase::FailureModes {
            break;
        }
    }
    let drill = asked.last().cloned().unwrap_or_default();
    assert!(
        !drill.contains("After an indexer restart, an old price update is replayed"),
        "the plain question, though the candidate covered it: {drill}"
    );
    assert!(drill.contains("A replayed old price"), "{drill}");
    assert!(drill.contains("version_type external"), "{drill}");
    assert!(!drill.contains("A seller changes a price"), "{drill}");
}

/// "What breaks first at ten times the stores?" answered with the box that
/// breaks ("the hourly job", drawn as "Spark hourly job") and what changes
/// in it: the design is adapted, though none of the rubric's words is said,
/// and no push asks "which component breaks first" again.
#[test]
fn a_stretch_answered_with_the_box_that_breaks_and_its_change_is_adapted() {
    use mockround::rubric::{CurveballKind, Phase};
    let mut r = Round::clarified("late-arriving-facts");
    r.say("tills --batch upload, 40M lines/day--> S3 landing\nS3 landing --> Spark hourly job --> Iceberg sales_fact (MERGE on line_id)\nIceberg sales_fact --> Snowflake daily_sales");
    r.to(Phase::FailureModes);
    let mut stretched = false;
    for _ in 0..12 {
        let t = r.say("The reconciliation of each till's Z-report total alerts on a mismatch; we rerun the hourly job for that date and the MERGE on line_id means nothing doubles.");
        if t.has("curveball_stretch") {
            stretched = true;
            break;
        }
    }
    assert!(stretched, "no stretch in the failure drills");
    let t = r.say("The hourly job: 400M lines a day arriving in one overnight burst. I'd give franchise tills their own landing prefix and job, scale executors for the burst, and finalise their days at D+2 since they're always a day late.");
    assert!(!t.has("push_curveball_stretch"), "{}", t.text());
    let c =
        r.s.curveball_results()
            .iter()
            .find(|c| c.kind == CurveballKind::Stretch)
            .cloned();
    assert!(
        c.as_ref().is_some_and(|c| c.adapted == Some(true)),
        "{c:?} {}",
        t.text()
    );
}

//! A job writing into a relational database faster than one primary takes
//! ("Flink -> Postgres : 200K rows/s") is asked how the database keeps up.
//! A write path already fitted to the rate (batched, sharded, aggregated on
//! the way) is not, nor is the application writing its own database.

mod listening;

use listening::{intents, Round};

/// The rest of the board, every arrow annotated, so the interviewer turns
/// to what the design exposes.
fn board(sink: &str) -> String {
    format!(
        "Web and app -> Kafka : JSON click events, 200K events/s, keyed by user_id, 256 partitions\n\
         Kafka -> Flink : Avro, 200K events/s, sessionized on event time\n\
         {sink}\n\
         Postgres -> Grafana : 50 dashboard queries every 10 s"
    )
}

/// Every intent the interviewer uses over the board and a few more turns.
fn heard(r: &mut Round, first: &str, then: &[&str]) -> Vec<String> {
    let mut all = Vec::new();
    for s in std::iter::once(first).chain(then.iter().copied()) {
        let t = r.say(s);
        all.extend(intents(&t).into_iter().map(String::from));
    }
    all
}

const ORDINARY: &[&str] = &[
    "Each partition gets under 1K events a second, far below what one takes, so there's room for a 5x hot user.",
    "Flink because it holds per-user session state and emits on event time.",
    "That is the design.",
];

#[test]
fn a_job_writing_past_one_primary_is_asked_how_the_database_keeps_up() {
    let mut r = Round::clarified("clickstream");
    let said = heard(
        &mut r,
        &board("Flink -> Postgres : one row per event with its session_id, 200K rows/s"),
        ORDINARY,
    );
    assert_eq!(
        said.iter()
            .filter(|i| *i == "challenge_sink_capacity")
            .count(),
        1,
        "asked once: {said:?}"
    );
}

#[test]
fn a_hand_wave_about_the_database_is_pushed_and_batching_is_taken() {
    let mut r = Round::clarified("clickstream");
    let mut said = heard(
        &mut r,
        &board("Flink -> Postgres : one row per event with its session_id, 200K rows/s"),
        &[],
    );
    for s in ORDINARY {
        if said.last().is_some_and(|i| i == "challenge_sink_capacity") {
            break;
        }
        said.extend(intents(&r.say(s)).into_iter().map(String::from));
    }
    assert_eq!(
        said.last().map(String::as_str),
        Some("challenge_sink_capacity"),
        "{said:?}"
    );
    let pushed = r.say("Postgres is fine, it's a beefy instance.");
    assert!(
        intents(&pushed).contains(&"push_challenge_sink_capacity"),
        "{:?}",
        intents(&pushed)
    );
    let taken = r.say(
        "Flink batches the inserts with COPY every second: 200 statements of 1,000 rows, \
         into a table partitioned by hour.",
    );
    assert!(
        !intents(&taken).iter().any(|i| i.contains("sink_capacity")),
        "{:?}",
        intents(&taken)
    );
}

#[test]
fn a_write_path_fitted_to_the_rate_or_the_apps_own_database_is_not_challenged() {
    for sink in [
        "Flink -> Postgres : session rows, 200K rows/s, batched COPY every second",
        "Flink -> Postgres (Citus, 16 shards) : session rows, 200K rows/s",
        "Flink -> Postgres : per-minute session aggregates, 3K rows/s",
        "Flink -> Postgres : session rows",
    ] {
        let mut r = Round::clarified("clickstream");
        let said = heard(&mut r, &board(sink), ORDINARY);
        assert!(
            !said.iter().any(|i| i.contains("sink_capacity")),
            "{sink}: {said:?}"
        );
    }
    // The application writes its own database; the pipeline reads changes.
    let mut r = Round::clarified("cdc-lakehouse");
    let said = heard(
        &mut r,
        "Order service -> Postgres : 200K writes/s at peak\n\
         Postgres -> Debezium : WAL changes, 200K rows/s\n\
         Debezium -> Kafka : Avro, 200K rows/s, keyed by order_id\n\
         Kafka -> Flink : Avro, 200K rows/s\n\
         Flink -> Iceberg : MERGE on order_id, 200K rows/s",
        ORDINARY,
    );
    assert!(
        !said.iter().any(|i| i.contains("sink_capacity")),
        "{said:?}"
    );
}

//! A stream job's state is sized the way it grows: a dedupe set of event
//! ids by the rate times its TTL, state kept per user by the users live in
//! that time (from the count the problem gave), and when no count is known,
//! the count is what is asked.

mod listening;

use listening::Round;
use mockround::rubric::Phase;

/// The clickstream board with a stream job whose state the sentence
/// `state` describes.
fn board(state: &str) -> String {
    format!(
        "Web and app -> Kafka : JSON click events, 200K events/s, keyed by user_id, 256 partitions\n\
         Kafka -> Flink : Avro, 200K events/s\n\
         Flink -> S3 : Parquet sessions, 5-minute files, 20K sessions/s\n\
         S3 -> Snowflake : hourly COPY, 20K sessions/s\n\
         {state}"
    )
}

/// What the interviewer says over the data flow, with answers that open
/// nothing new: (intent, text) of every line.
fn data_flow_lines(problem: &str, clarify: &str, state: &str) -> Vec<(String, String)> {
    let mut r = Round::new(problem);
    r.say(clarify);
    r.say(&board(state));
    r.to(Phase::DataFlow);
    let mut out = Vec::new();
    let answers = [
        "Exactly-once into S3 through Flink's two-phase commit file sink; Snowflake's COPY skips files it already loaded.",
        "For 5 seconds Flink would also write open sessions to Redis every second, at the cost of a Redis cluster and more checkpoint load.",
        "A retried write to S3 commits the same file names from the checkpoint, so it replaces rather than duplicates.",
    ];
    for i in 0..10 {
        let a = answers
            .get(i)
            .copied()
            .unwrap_or("Each event goes through as drawn; nothing more to add there.");
        let t = r.say(a);
        out.extend(t.says.into_iter().map(|s| (s.intent, s.text)));
        if r.s.phase() != Phase::DataFlow {
            break;
        }
    }
    out
}

const ASKS_USERS: &str = "What's the peak event rate and how many users? How fresh must the \
                          session data be, and who consumes it?";

#[test]
fn state_kept_per_user_is_sized_from_the_users_not_the_event_rate() {
    let lines = data_flow_lines(
        "clickstream",
        ASKS_USERS,
        "Flink keeps each user's open session in RocksDB state with a 2 hour TTL.",
    );
    let Some((_, text)) = lines
        .iter()
        .find(|(i, _)| i == "challenge_state_size_entities")
    else {
        panic!("no per-user sizing: {lines:?}");
    };
    assert!(text.contains("50M"), "sized from the 50M users: {text}");
    assert!(
        !lines
            .iter()
            .any(|(_, t)| t.contains("17B") || t.contains("1.4B")),
        "no rate x TTL key count for per-user state: {lines:?}"
    );
}

#[test]
fn state_kept_per_entity_with_no_count_asks_for_the_count() {
    let lines = data_flow_lines(
        "clickstream",
        "What's the peak event rate? How fresh must the session data be, and who consumes it?",
        "Flink keeps per-device state with a 2 hour TTL.",
    );
    assert!(
        lines
            .iter()
            .any(|(i, t)| i == "challenge_state_size_unknown" && t.contains("How many devices")),
        "{lines:?}"
    );
}

#[test]
fn a_dedupe_set_is_sized_by_the_rate_times_its_ttl() {
    let lines = data_flow_lines(
        "clickstream",
        ASKS_USERS,
        "Flink dedupes by event_id with a 24 hour state TTL.",
    );
    assert!(
        lines
            .iter()
            .any(|(i, t)| i == "challenge_state_size" && t.contains("17B")),
        "{lines:?}"
    );
}

//! The stream challenges ask what the design has not said: a candidate who
//! already said where late events go is not asked what happens to a late
//! event, whether or not the sentence gave a reason or a number.

mod listening;

use listening::{intents, Round};
use mockround::rubric::Phase;

const BOARD: &str = "Web/Mobile SDK --(HTTPS JSON batches, 200K ev/s peak)--> Collector\n\
                     Collector -> Kafka : avro, 200K events/sec, key=user_id\n\
                     Kafka (Avro, 200 MB/s, 64 partitions, 7 days retention) -> Flink\n\
                     Flink -> Redis : per-user session state, 50K writes/sec\n\
                     Flink -> S3 : parquet, 5 TB/day\n\
                     S3 -> Spark -> Snowflake : fact_session, 200 GB/day";

const FLOW: &str = "One click: the SDK batches it with a client event_id, the collector \
                    produces to Kafka with acks=all, partitioned by user_id. Flink reads it, \
                    dedupes by event_id, and sessionizes per user in event time with a \
                    10-minute watermark. Sessions go to Redis and to S3 through the \
                    two-phase commit file sink, and Spark MERGEs into Snowflake on session_id.";

/// A question about what happens to a late event.
fn about_late(intent: &str) -> bool {
    intent.starts_with("challenge_late") || intent == "challenge_hidden_constraint_watermark"
}

/// Every intent the interviewer uses in the data flow after `flow`.
fn heard_after(flow: &str) -> Vec<String> {
    let mut r = Round::clarified("clickstream");
    r.say(BOARD);
    r.to(Phase::DataFlow);
    let mut all = Vec::new();
    for s in [
        flow,
        "The dedupe state is an 8-byte hash of event_id in RocksDB with a 24-hour TTL, \
         about 140 GB across 32 task managers, checkpointed every minute.",
        "For 5 seconds I'd add early-firing triggers every second and have the dashboard \
         read Redis directly; the lake path stays exactly-once.",
        "Flink because sessionization is event-time state with timers per user.",
        "Nothing more on the flow.",
    ] {
        let t = r.say(s);
        all.extend(intents(&t).into_iter().map(String::from));
        if r.s.phase() != Phase::DataFlow {
            break;
        }
    }
    all
}

#[test]
fn a_windowed_flow_that_never_says_where_late_events_go_is_asked() {
    let said = heard_after(FLOW);
    assert!(said.iter().any(|i| about_late(i)), "{said:?}");
}

#[test]
fn where_late_events_go_said_plainly_is_not_asked_again() {
    let flow = format!(
        "{FLOW} Events later than the watermark go to a late side output that Spark \
         merges into the affected partitions nightly."
    );
    let said = heard_after(&flow);
    assert!(!said.iter().any(|i| about_late(i)), "{said:?}");
}

//! The failure drill hears how a recovery is said: a restart from a
//! checkpoint, and also why none is needed ("stateless, it restarts from
//! nothing"), which an interviewer does not push as if it were vague.

mod listening;

use mockround::interview::clock::Pace;
use mockround::rubric::Phase;

use listening::{asks, intents, Round};

#[test]
fn a_stateless_restart_answers_where_it_resumes() {
    let mut r = Round::clarified("clickstream");
    r.say("Kafka -> Flink -> S3");
    r.to(Phase::FailureModes);
    r.say("The consumer lag alert on the Flink group pages on-call when lag passes 5 minutes.");
    let t = r.say(
        "Nothing to resume for the collector: it is stateless, so Kubernetes restarts it in about 30 seconds and no data is lost because Kafka holds it all.",
    );
    assert!(
        !t.says.iter().any(|s| s.intent.starts_with("push_recover")),
        "{:?}: {}",
        intents(&t),
        t.text()
    );
    // A bare "we rerun it" is still pushed (interview_listens).
}

#[test]
fn a_failure_that_puts_no_data_at_risk_asks_for_a_guardrail_and_hears_one() {
    let mut r = Round::clarified("metrics-pipeline");
    r.say("vmagent -> Kafka -> VictoriaMetrics -> Grafana\nKafka -> Flink -> S3 Parquet -> Trino");
    r.to(Phase::FailureModes);
    let t = r.say("Not sure.");
    let (_, _) = r.until(
        t,
        30,
        |_, target| target == "cardinality-explosion",
        "I'd have to think about that one.",
    );
    // Detected and recovered, but no guardrail yet: asked for one, not for
    // what stops a record being lost or counted twice.
    let t = r.say("The new-series rate per team is a metric on vmagent; an alert pages the owning team when it passes 1M new series in 10 minutes.");
    let t = if asks(&t).is_some_and(|(i, _)| i.contains("recover")) {
        r.say("We roll back the deploy and delete the stray series with the delete API, and vmagent relabels the label away meanwhile.")
    } else {
        t
    };
    let said = t.text();
    assert!(!said.contains("lost or"), "{said}");
    assert_eq!(
        asks(&t).map(|(i, _)| i),
        Some("drill_prevent_guard"),
        "{said}"
    );
    // A guardrail said with its number and where it is enforced is heard.
    let t = r.say("Per-team series quotas enforced at vmagent: 5M active series per team, and anything over it is dropped at the edge.");
    assert!(
        !intents(&t).iter().any(|i| i.contains("prevent")),
        "{:?}: {}",
        intents(&t),
        t.text()
    );
}

/// Leakage in training data is bad data already published, not a crash:
/// after the candidate says how they would find it, the recovery asked is
/// how the training sets it reached are put right, not "where does Feast
/// resume from".
#[test]
fn leakage_in_training_data_is_recovered_by_correcting_what_was_built() {
    let mut r = Round::seeded("feature-store", Pace::Untimed, 7);
    r.say("What is the peak scale, how fresh must the data be, and who consumes it?");
    r.say("App events -> Kafka -> Flink -> Redis online store\nFlink -> S3 Iceberg feature log -> Spark training sets\nRanking service -> Redis online store\nFeast registry holds the feature definitions");
    r.to(Phase::FailureModes);
    let t = r.say("Not sure.");
    let (t, seen) = r.until(
        t,
        80,
        |_, target| target == "training-leakage",
        "I'd have to think about that one.",
    );
    assert!(
        asks(&t).is_some_and(|(_, target)| target == "training-leakage"),
        "{seen:#?}"
    );
    let t = r.say("We'd find it by logging the features ranking served and comparing them with the training rows for the same request ids; a daily job alerts the ML on-call when more than 0.5% differ.");
    let text = t.text();
    assert!(!text.contains("resume"), "{:?}: {text}", intents(&t));
}

/// "Not sure." is too little, not a hope: the push says so plainly.
/// "It'd be fine, the cloud is really reliable" is the hope, and is
/// called one.
#[test]
fn only_a_hope_is_called_a_hope() {
    let first_push = |answer: &str| {
        let mut r = Round::clarified("clickstream");
        r.say("Kafka -> Flink -> S3");
        r.to(Phase::FailureModes);
        r.say(answer).text()
    };
    let t = first_push("Not sure.");
    assert!(!t.contains("hope"), "{t}");
    let t = first_push("It'd be fine, the cloud is really reliable these days.");
    assert!(t.contains("hope"), "{t}");
}

/// A check runner that silently stops puts unchecked data in front of its
/// readers; no record is lost or counted twice. The drill asks what holds
/// the data back, not "how do you prove nothing was lost or duplicated",
/// and a gate said with what it holds on closes the part.
#[test]
fn unchecked_data_reaching_readers_asks_for_the_gate_and_hears_one() {
    let mut r = Round::seeded("data-quality-platform", Pace::Untimed, 5);
    r.say("What is the peak scale, how fresh must the data be, and who consumes it?");
    r.say("Airflow -> Great Expectations runner -> Postgres results store -> Slack and PagerDuty\nSnowflake -> Great Expectations runner\nS3 Iceberg lake -> Great Expectations runner");
    r.to(Phase::FailureModes);
    let t = r.say("Not sure.");
    let (t, seen) = r.until(
        t,
        40,
        |_, target| target == "checks-stop-running",
        "I'd have to think about that one.",
    );
    assert!(
        asks(&t).is_some_and(|(_, target)| target == "checks-stop-running"),
        "{seen:#?}"
    );
    r.say("A heartbeat: the runner exports expected versus executed checks per hour to Prometheus, and the on-call is paged when executed drops below 90% of expected for an hour.");
    let t = r.say("Once the runner is fixed, Airflow reruns the missed checks for that day, starting from the first hour with no results.");
    let text = t.text();
    assert_eq!(
        asks(&t).map(|(i, _)| i),
        Some("drill_prevent_gate"),
        "{text}"
    );
    assert!(!text.contains("lost or"), "{text}");
    let t = r.say("Tier 1 tables fail closed: a load is not published to readers until a passing result exists, so a runner that stops leaves the dashboard on yesterday's data with a stale banner.");
    assert!(
        !intents(&t).iter().any(|i| i.starts_with("push_prevent")),
        "{:?}: {}",
        intents(&t),
        t.text()
    );
}

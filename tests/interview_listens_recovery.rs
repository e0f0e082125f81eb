//! The failure drill hears how a recovery is said: a restart from a
//! checkpoint, and also why none is needed ("stateless, it restarts from
//! nothing"), which an interviewer does not push as if it were vague.

mod listening;

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

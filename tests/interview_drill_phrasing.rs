//! A harder drill is announced once: the intro says it is the harder
//! version, the question itself starts with the scenario.

use std::sync::Arc;

use mockround::interview::clock::Pace;
use mockround::interview::session::{Input, Session};
use mockround::interview::templates::Templates;
use mockround::rubric::{Phase, Rubric};
use mockround::score::Scorer;

/// Every turn of the failure phase of a round whose candidate volunteered
/// failure handling before it, for each seed.
fn failure_turns(problem: &str, answers: &[&str], drill_answer: &str, seed: u64) -> Vec<String> {
    let rubric = Rubric::builtin().expect("rubric");
    let p = rubric.problem(problem).expect("problem").clone();
    let scorer = Scorer::new(&rubric);
    let mut s = Session::new(p, Arc::new(Templates::builtin()), Pace::Untimed, seed);
    s.open(0);
    let mut now = 0;
    let mut say = |s: &mut Session, input: Input| {
        now += 30_000;
        s.handle(input, now, &scorer)
    };
    for a in answers {
        say(&mut s, Input::Answer(a.to_string()));
    }
    let mut out = Vec::new();
    while s.phase() < Phase::FailureModes && !s.is_finished() {
        let t = say(&mut s, Input::Next);
        if s.phase() == Phase::FailureModes {
            out.push(t.text());
        }
    }
    for _ in 0..10 {
        if s.is_finished() {
            break;
        }
        out.push(say(&mut s, Input::Answer(drill_answer.to_string())).text());
    }
    out
}

#[test]
fn a_harder_drill_does_not_say_harder_twice() {
    let answers = [
        "How many devices and readings a second at peak, how fresh must alerts and dashboards be, and who consumes the data?",
        "Devices -> AWS IoT Core : MQTT, 200K readings/s\nAWS IoT Core -> MSK : protobuf, 40 MB/s\nMSK -> Flink : protobuf, 200K/s\nFlink -> ClickHouse : 1-minute aggregates",
        "Hours-late replays after a site reconnects: Flink keeps a 2-minute watermark and routes late readings to a side output that re-aggregates the affected hours through an idempotent upsert on (device_id, window). A broker dies: acks=all and replication factor 3, we alert on under-replicated partitions and Flink restarts from its checkpoint.",
    ];
    let drill = "Flink restarts from the last checkpoint, the consumer lag alert pages on-call, and the upsert on (device_id, window) means nothing is lost or doubled.";
    let mut escalated = 0;
    for seed in 1..=4 {
        for t in failure_turns("iot-telemetry", &answers, drill, seed) {
            let lower = t.to_ascii_lowercase();
            let leads = ["harder", "make it worse", "it's worse"]
                .iter()
                .map(|w| lower.matches(w).count())
                .sum::<usize>();
            assert!(leads <= 1, "announced twice: {t}");
            escalated += usize::from(leads == 1);
        }
    }
    assert!(escalated > 0, "no harder drill was asked");
}

/// "Checks double the warehouse bill" is a runaway spend: its recovery is
/// asked as stopping the spend, not as "where does processing resume".
#[test]
fn a_doubled_bill_is_drilled_as_spend_not_as_a_crash() {
    let rubric = Rubric::builtin().expect("rubric");
    let p = rubric
        .problem("data-quality-platform")
        .expect("problem")
        .clone();
    let scorer = Scorer::new(&rubric);
    let mut s = Session::new(p, Arc::new(Templates::builtin()), Pace::Untimed, 1);
    s.open(0);
    let mut now = 0;
    let mut say = |s: &mut Session, input: Input| {
        now += 30_000;
        s.handle(input, now, &scorer).text()
    };
    say(&mut s, Input::Answer("How many tables and loads a day, how quickly must failures be caught, and who consumes the results?".into()));
    say(&mut s, Input::Answer("Airflow -> Spark : daily loads, 1,200 loads/day\nSpark -> Iceberg : Parquet, 3 TB/day\nIceberg -> Snowflake : dbt models, 500 GB/day\nSnowflake -> Check runner (Great Expectations) : 15K checks/day".into()));
    let mut t = String::new();
    while s.phase() < Phase::FailureModes && !s.is_finished() {
        t = say(&mut s, Input::Next);
    }
    // Skip drills until the bill's is asked.
    for _ in 0..8 {
        if t.contains("warehouse bill rises 20%") || s.is_finished() {
            break;
        }
        t = say(&mut s, Input::Next);
    }
    assert!(t.contains("warehouse bill rises 20%"), "never asked: {t}");
    let next = say(
        &mut s,
        Input::Answer("Every check query is tagged, and a daily job sums Snowflake credits per check and per team and alerts the owning team when it goes over 120% of its budget.".into()),
    );
    assert!(!next.contains("where does processing resume"), "{next}");
    assert!(next.contains("How do you stop it"), "{next}");
}

use super::*;

#[test]
fn a_comma_that_starts_another_question_starts_a_clause() {
    assert_eq!(
        question_list("how fresh must it be, are there hard deletes to propagate"),
        vec![
            "how fresh must it be",
            "are there hard deletes to propagate"
        ]
    );
    assert_eq!(
        question_list("peak events per second for orders, payments and courier pings"),
        vec!["peak events per second for orders, payments and courier pings"]
    );
    // "and" before a question word starts another question.
    assert_eq!(
        question_list(
            "what are the volumes per stream - orders, payments, courier pings - and how late can a payment arrive"
        ),
        vec![
            "what are the volumes per stream - orders, payments, courier pings",
            "how late can a payment arrive"
        ]
    );
    assert_eq!(
        question_list("how many orders and payments a day"),
        vec!["how many orders and payments a day"]
    );
}

#[test]
fn a_late_arrival_asked_after_the_volumes_in_one_sentence_is_answered() {
    let rubric = crate::rubric::Rubric::builtin().expect("rubric");
    let p = rubric.problem("streaming-enrichment").expect("problem");
    let topics: Vec<FactTopic> = facts_to_answer(
        p,
        "What are the volumes per stream - orders, payments, courier pings - and how late can a payment or courier assignment arrive after the order? Also what latency do ops dashboards need?",
    )
    .iter()
    .map(|(_, f)| f.topic)
    .collect();
    assert!(topics.contains(&FactTopic::Constraint), "{topics:?}");
    assert!(topics.contains(&FactTopic::Scale), "{topics:?}");
    assert!(topics.contains(&FactTopic::Freshness), "{topics:?}");
}

#[test]
fn each_question_of_a_turn_is_its_own_part() {
    assert_eq!(
        question_parts(
            "Thanks. How many requests a day? Is the lake partitioned by date or by user? \
             We run on AWS. And who reads it?"
        ),
        vec![
            "How many requests a day?",
            "Is the lake partitioned by date or by user?",
            "And who reads it?"
        ]
    );
    assert!(question_parts("We run on AWS.").is_empty());
    // Two questions joined by ", and" are two parts; a list inside one
    // question is not.
    assert_eq!(
        question_parts("Who consumes the training data, and how far back do they need it?"),
        vec![
            "Who consumes the training data",
            "how far back do they need it?"
        ]
    );
    assert_eq!(
        question_parts("Do we need price, stock, and ratings in the index?"),
        vec!["Do we need price, stock, and ratings in the index?"]
    );
}

#[test]
fn declines_are_short_turns_with_nothing_more_to_ask() {
    for t in [
        "No.",
        "no",
        "Nope, let's start.",
        "Nothing else.",
        "That's all for now",
        "I\u{2019}m good, let's draw it",
        "I think that's enough.",
        "Let's move on",
        // An assumption stated, then the decline.
        "I'll assume windows of 1 minute, 1 hour and 24 hours. Nothing else, let's draw.",
        "We can take 3 years of history as given. That's all.",
        // Each clause a decline.
        "Let's move on, I think I have enough to start.",
        "No, let's move on to the design.",
        "That's enough for me, I'll start.",
        "ok thats enough, lets draw",
    ] {
        assert!(is_decline(t), "{t:?}");
    }
    for t in [
        "No wait, one more: the event size",
        "Nothing is lost because Kafka keeps 7 days of raw events and we replay.",
        "Now what about the consumers?",
        "Notifications go to the on-call team",
        "None of the consumers need sub-second data, right?",
        "",
        // A last sentence that is more than a decline.
        "I'll assume 1-minute windows. Nothing is lost if Kafka keeps 7 days.",
        "Nothing else. Actually, what about deletes",
        // A clause that answers.
        "No, the dashboards need data within 5 minutes.",
        "Let's move on, the consumers are the analysts and the fraud team.",
    ] {
        assert!(!is_decline(t), "{t:?}");
    }
}

#[test]
fn classifies_the_three_seed_questions() {
    assert_eq!(
        topics_asked("What is the peak events per second?"),
        vec![FactTopic::Scale]
    );
    assert_eq!(
        topics_asked("How fresh does the data need to be?"),
        vec![FactTopic::Freshness]
    );
    assert_eq!(
        topics_asked("Who is the consumer - a dashboard?"),
        vec![FactTopic::Consumer]
    );
}

#[test]
fn a_constraint_word_inside_a_question_about_numbers_keeps_the_constraint_hidden() {
    let rubric = crate::rubric::Rubric::builtin().expect("rubric");
    let p = rubric.problem("streaming-enrichment").expect("problem");
    let constraint = |q: &str| {
        facts_asked(p, q)
            .iter()
            .any(|(_, f)| f.topic == FactTopic::Constraint)
    };
    assert!(!constraint(
        "Three things before I draw: peak events per second for orders, payments and courier pings; how fresh must it be; and who consumes it?"
    ));
    assert!(constraint(
        "Anything about late payments or how restaurant data changes that I should know?"
    ));
    let p = rubric.problem("payments-reconciliation").expect("problem");
    let asked = facts_asked(
        p,
        "Are we allowed to query the production Postgres directly, and how long do we keep data?",
    );
    assert!(asked.iter().any(|(_, f)| f.topic == FactTopic::Constraint));
    // "How late can the report be?" asks the deadline, not late refunds.
    let asked = facts_asked(
        p,
        "How many transactions a day, and how late can the report be?",
    );
    assert!(!asked.iter().any(|(_, f)| f.topic == FactTopic::Constraint));
    assert!(asked.iter().any(|(_, f)| f.topic == FactTopic::Freshness));
    // "How late can a till sync?" asks how late the data comes in.
    let p = rubric.problem("late-arriving-facts").expect("problem");
    let asked = facts_to_answer(
        p,
        "How many sales lines a day and from how many stores, how late can a till sync, and who reads the numbers and by when?",
    );
    assert!(
        asked.iter().any(|(_, f)| f.topic == FactTopic::Constraint),
        "{asked:?}"
    );
}

#[test]
fn a_consumer_named_inside_a_question_about_freshness_is_its_premise_not_the_question() {
    let rubric = crate::rubric::Rubric::builtin().expect("rubric");
    let p = rubric.problem("realtime-inventory").expect("problem");
    let topics = |q: &str| -> Vec<FactTopic> {
        facts_to_answer(p, q).iter().map(|(_, f)| f.topic).collect()
    };
    for q in [
        "What latency does the website need?",
        "How fresh does the dashboard need to be?",
        "How many reads per second does checkout do?",
    ] {
        assert!(!topics(q).contains(&FactTopic::Consumer), "{q}");
        // The consumer is in mind: the topic counts as clarified.
        assert!(
            facts_asked(p, q)
                .iter()
                .any(|(_, f)| f.topic == FactTopic::Consumer)
                || !q.contains("website"),
            "{q}"
        );
    }
    assert_eq!(
        topics("What latency does the website need?"),
        vec![FactTopic::Freshness]
    );
    for q in [
        "Who reads it, and how fresh must it be?",
        "Is it the website or the order system that reads this?",
        "Is this for a dashboard or an ML model?",
        "How fresh must it be for downstream users?",
    ] {
        assert!(topics(q).contains(&FactTopic::Consumer), "{q}");
    }
}

#[test]
fn a_thing_named_in_a_question_asks_its_scale_only_with_an_amount() {
    let rubric = crate::rubric::Rubric::builtin().expect("rubric");
    let scale = |id: &str, q: &str| {
        rubric.problem(id).is_some_and(|p| {
            facts_asked(p, q)
                .iter()
                .any(|(_, f)| f.topic == FactTopic::Scale)
        })
    };
    let fin = "financial-reconciliation";
    assert!(!scale(fin, "Do banks ever resend or correct files?"));
    assert!(scale(fin, "How many statement files a day?"));
    assert!(scale(fin, "What volume of ledger entries do we get?"));
    let inv = "realtime-inventory";
    assert!(!scale(
        inv,
        "Do stores keep selling when their network is down?"
    ));
    assert!(scale(inv, "How many stores and SKUs?"));
}

#[test]
fn a_counted_noun_asks_the_scale_only_with_a_quantity() {
    assert!(topics_asked("How many rows a day land in the table?").contains(&FactTopic::Scale));
    assert!(
        topics_asked("What is the row count, roughly how many users?").contains(&FactTopic::Scale)
    );
    let later = "Can rows in Postgres be updated after the fact, for example a refund \
                 changing a transaction status days later?";
    assert!(!topics_asked(later).contains(&FactTopic::Scale), "{later}");
    assert!(!topics_asked("Do users ever delete their accounts?").contains(&FactTopic::Scale));
    assert!(!topics_asked("How do we load it into Snowflake?").contains(&FactTopic::Scale));
    assert!(topics_asked("What's the event size?").contains(&FactTopic::Scale));
    assert!(topics_asked("What's the traffic like?").contains(&FactTopic::Scale));
}

#[test]
fn how_late_the_output_may_be_is_freshness_how_late_data_arrives_is_not() {
    assert!(topics_asked("How late can the report be?").contains(&FactTopic::Freshness));
    assert!(
        topics_asked("What's the deadline for the daily table?").contains(&FactTopic::Freshness)
    );
    assert!(!topics_asked("How late can events arrive?").contains(&FactTopic::Freshness));
}

#[test]
fn a_statement_is_not_a_question() {
    assert!(topics_asked("I will put Kafka in front of a dashboard.").is_empty());
    assert!(!is_question("We use Kafka, which handles the load."));
    assert!(!is_question(
        "Kafka, Flink and S3, whatever the stores send."
    ));
    for t in [
        "Authorisations come within seconds. What arrives late is the chargeback labels, \
         and those are joined at training time.",
        "When a broker dies, the controller elects new leaders.",
        "What matters is the 15 ms lookup.",
        "Flink keeps the state. How it recovers is from the last checkpoint.",
        "What could still go wrong is a till that re-numbers its lines on retry, so line_id differs.",
        "What should happen is the job retries from its checkpoint.",
    ] {
        assert!(!is_question(t), "{t}");
    }
    assert!(is_question("What happens if the job is retried"));
    assert!(is_question("What could go wrong if the bucket is down"));
    assert!(is_question("What would the cost be"));
}

#[test]
fn a_question_after_an_interjection_is_a_question() {
    for q in [
        "ok. how big is it",
        "ok, how big is it",
        "Got it! Who reads the tables",
        "so, what freshness do they need",
        "ok what's the scale",
        "so how fresh does it need to be",
        "whats the scale",
        "ok hows it used",
    ] {
        assert!(is_question(q), "{q}");
    }
    // A statement that starts with one is still a statement.
    assert!(!is_question("so we use Kafka for it"));
    assert!(!is_question("ok that works"));
}

#[test]
fn cue_needs_a_word_boundary_on_the_left() {
    assert!(!contains_cue("tablespace", "tb"));
    assert!(contains_cue("about 2 tb a day", "tb"));
    assert!(contains_cue("dashboards", "dashboard"));
}

#[test]
fn a_device_that_reports_is_not_a_question_about_the_consumer() {
    let rubric = crate::rubric::Rubric::builtin().expect("rubric");
    let p = rubric.problem("iot-telemetry").expect("problem");
    let consumer = |q: &str| {
        facts_to_answer(p, q)
            .iter()
            .any(|(_, f)| f.topic == FactTopic::Consumer)
    };
    assert!(!consumer(
        "How many devices and how often do they report? And how fresh must the dashboards be?"
    ));
    assert!(consumer("Which reports does it feed?"));
    assert!(consumer("hows the data used"));
    assert!(consumer("How is it used downstream, and by whom?"));
}

#[test]
fn how_long_data_is_kept_is_retention_not_freshness() {
    let rubric = crate::rubric::Rubric::builtin().expect("rubric");
    let p = rubric
        .problem("schema-registry-migration")
        .expect("problem");
    let freshness = |q: &str| {
        facts_to_answer(p, q)
            .iter()
            .any(|(_, f)| f.topic == FactTopic::Freshness)
    };
    assert!(!freshness("And how long do topics retain data today?"));
    assert!(!freshness("How long is the raw JSON kept in the lake?"));
    // Asked in other words, retention is the fact that holds it.
    let iot = rubric.problem("iot-telemetry").expect("problem");
    assert!(facts_to_answer(
        iot,
        "How many devices, how often do they report, and how long do we keep the readings?"
    )
    .iter()
    .any(|(_, f)| f.topic == FactTopic::Constraint && f.answer.contains("5 years")));
    // The problem's own "how long" still asks the deadline.
    assert!(freshness("How long do we have for the whole migration?"));
    assert!(freshness("How long until the data is stored in the lake?"));
}

#[test]
fn only_the_asking_sentences_of_a_turn_ask_for_facts() {
    let rubric = crate::rubric::Rubric::builtin().expect("builtin rubric");
    let p = rubric.problem("surge-pricing").expect("surge-pricing");
    // A story around the question names "pricing": it asks nothing of the
    // consumers.
    let story = "Before that, can I talk about how we did surge at my last company? \
                 We had a monolith in Rails and the pricing was computed in a cron job.";
    assert!(facts_to_answer(p, story).is_empty());
    let opinion = "Should surge be based on demand/supply ratio or on predicted ETA? \
                   Honestly I'd use an ML model, gradient boosted trees.";
    assert!(facts_to_answer(p, opinion).is_empty());
    // The asking sentences still do, with or without their "?".
    let topics = |q: &str| -> Vec<FactTopic> {
        facts_to_answer(p, q).iter().map(|(_, f)| f.topic).collect()
    };
    assert!(topics("We use Kafka today. How many drivers are there?").contains(&FactTopic::Scale));
    assert!(topics("hi. so how many drivers are we talking about").contains(&FactTopic::Scale));
    assert!(
        topics("how many pings per second\nWho reads the multiplier?").contains(&FactTopic::Scale)
    );
    assert!(
        topics("I'd like to know how fresh it must be. Who reads it?")
            .contains(&FactTopic::Freshness)
    );
}

#[test]
fn asking_when_a_reader_needs_the_numbers_asks_about_freshness() {
    assert!(topics_asked(
        "Who reads the numbers, and when does finance need a day to be final, for example the monthly close?"
    )
    .contains(&FactTopic::Freshness));
    assert!(
        topics_asked("What time do store managers expect yesterday's sales?")
            .contains(&FactTopic::Freshness)
    );
    assert!(!topics_asked("When does a till sync its sales?").contains(&FactTopic::Freshness));
}

#[test]
fn who_owns_or_decides_something_is_not_a_question_about_the_consumer() {
    let rubric = crate::rubric::Rubric::builtin().expect("rubric");
    let p = rubric.problem("metrics-pipeline").expect("problem");
    let consumer = |q: &str| {
        facts_to_answer(p, q)
            .iter()
            .any(|(_, f)| f.topic == FactTopic::Consumer)
    };
    assert!(!consumer(
        "Who owns cardinality limits: can the platform drop a series that breaks a per-team budget?"
    ));
    assert!(!consumer("Who decides the retention?"));
    assert!(!consumer("Who sets the per-team series budget?"));
    assert!(!consumer("Who'd approve a new label?"));
    // Who reads it is still asked, however it is put.
    assert!(consumer("Who looks at these metrics?"));
    assert!(consumer("Who's going to query a year of history?"));
    assert!(consumer(
        "Who owns cardinality, and who reads the dashboards?"
    ));
}

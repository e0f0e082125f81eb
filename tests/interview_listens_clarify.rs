//! The interviewer listens in the clarify phase: a story or a wish to talk
//! about something else is steered back to the problem, a move-on is
//! taken, and a question the facts answered is not called open.

mod listening;

use listening::{intents, Round};
use mockround::rubric::Phase;

/// "Can I talk about how we did it at my last company?" gets no fact
/// picked by a word of the story; "Let's move on, I think I have enough to
/// start" moves on.
#[test]
fn a_story_is_steered_back_and_a_move_on_is_taken() {
    let mut r = Round::new("surge-pricing");
    let t = r.say("Before that, can I talk about how we did surge at my last company? We had a monolith in Rails and the pricing was computed in a cron job every 5 minutes.");
    assert!(t.has("clarify_digression"), "{:?}", intents(&t));
    assert!(!t.has("fact_answer"), "{}", t.text());
    let t = r.say("Should surge be based on demand/supply ratio or on predicted ETA? Honestly I'd use an ML model.");
    assert!(
        !t.has("fact_answer") && !t.has("fact_repeat"),
        "{}",
        t.text()
    );
    r.say("What's the scale, how many drivers and requests?");
    assert_eq!(r.s.phase(), Phase::Clarify);
    r.say("Let's move on, I think I have enough to start.");
    assert_eq!(r.s.phase(), Phase::Architecture);
    // Later, a wish to talk about something else keeps the question open.
    r.say("driver app -> Kafka -> Flink -> Redis -> pricing service");
    let t = r.say("Actually, what I'd really want to discuss is whether we even need surge. Maybe a flat fee is better for the brand.");
    assert!(t.has("digression"), "{:?}", intents(&t));
    assert!(t.has("back_to_question"), "{:?}", intents(&t));
}

/// "Is there anything sensitive in the logs?" is answered by "PII that
/// must be masked"; "do mapping changes happen weekly or rarely?" by "the
/// mapping changes every few weeks"; "Anything nasty about timing? For
/// instance, how late …?" by what the example asks.
#[test]
fn a_question_the_facts_answered_in_other_words_is_not_called_open() {
    let mut r = Round::new("log-analytics");
    let t = r.say("What's the budget situation? And is there anything sensitive in the logs?");
    assert!(t.has("fact_answer"), "{:?}", intents(&t));
    assert!(!t.has("fact_open_part"), "{}", t.text());
    // Asked beside another topic, "anything sensitive?" still asks for
    // the PII the constraints hold.
    let mut r = Round::new("log-analytics");
    let t = r.say(
        "Who uses it, just engineers debugging, or security too? Anything sensitive in the logs?",
    );
    assert!(t.text().contains("PII"), "{}", t.text());
    assert!(!t.has("fact_open_part"), "{}", t.text());
    // A choice the facts settle in their own words: "every few weeks".
    let mut r = Round::new("search-indexing");
    let t = r.say("Who reads the index besides buyer search: does the ranking team query it directly, and do mapping changes happen weekly or rarely?");
    assert!(t.has("fact_answer"), "{:?}", intents(&t));
    assert!(!t.has("fact_open_part"), "{}", t.text());
    let mut r = Round::new("streaming-enrichment");
    let t = r.say("Anything nasty about timing I should know? For instance, how late can a payment show up relative to its order?");
    assert!(t.has("fact_answer"), "{:?}", intents(&t));
    assert!(!t.has("fact_open_part"), "{}", t.text());
}

/// A wish to talk about something else in the middle of a failure drill
/// gets the drill's question again, not "Go on."
#[test]
fn a_digression_during_a_drill_gets_the_drill_again() {
    let mut r = Round::clarified("clickstream");
    r.say("Web SDK -> Kafka : JSON, 200K events/s, key=user_id\nKafka -> Flink : sessionise, 200K/s\nFlink -> S3 : Parquet, 5 TB/day");
    r.to(Phase::FailureModes);
    let t = r.say("Can I tell you about a war story from my last company instead? It was wild.");
    assert!(t.has("digression"), "{:?}", intents(&t));
    assert!(t.has("back_to_question"), "{}", t.text());
    assert!(!t.has("keep_going"), "{}", t.text());
}

/// "How many entries a day? What does a match mean? Is the ledger in
/// Postgres?": every part no fact answers is said to be the candidate's
/// call, not only the first.
#[test]
fn every_part_no_fact_answers_is_the_candidates_call() {
    let mut r = Round::new("financial-reconciliation");
    let t = r.say("How many ledger entries and statement lines a day? What does a match mean, exact amount and reference? Is the ledger in Postgres, and can we read it without hurting production?");
    let text = t.text();
    assert!(t.has("fact_open_parts"), "{:?}: {text}", intents(&t));
    assert!(text.contains("what does a match mean"), "{text}");
    assert!(text.contains("is the ledger in Postgres"), "{text}");
}

//! An answer about another failure than the one asked: "Flink restarts from
//! its last checkpoint" to "a Kafka broker dies". A real interviewer hears
//! that the candidate answered the case they know, and asks the question
//! again. Which failure an answer is about is read from the words it shares
//! with each failure's reference answer (its question, detection, recovery
//! and prevention), counting only the words that set failures apart.

use std::collections::BTreeSet;

use crate::rubric::{FailureModeSpec, Problem};

/// Words shorter than this carry no failure of their own.
const MIN_WORD: usize = 4;
/// The asked failure is not being answered when the answer shares at most
/// this many of its words...
const ASKED_AT_MOST: usize = 1;
/// ...and shares at least this many with another failure...
const OTHER_AT_LEAST: usize = 4;
/// ...and that many more than with the asked one...
const MARGIN: usize = 3;
/// ...and they are at least one in this many of the answer's own words: a
/// long answer on the asked failure touches another's words in passing.
const PLAIN_SHARE: usize = 4;

/// Words every answer uses, whatever the failure.
const COMMON: &[&str] = &[
    "about",
    "after",
    "also",
    "because",
    "before",
    "both",
    "does",
    "each",
    "every",
    "from",
    "have",
    "into",
    "just",
    "more",
    "only",
    "same",
    "some",
    "than",
    "that",
    "their",
    "them",
    "then",
    "there",
    "they",
    "this",
    "what",
    "when",
    "where",
    "which",
    "while",
    "will",
    "with",
    "would",
    "your",
    "data",
    "event",
    "record",
    "happen",
    "nothing",
    "something",
];

/// The distinct words of `text`: lower case, a plural `s` dropped, short
/// and common words left out.
fn words(text: &str) -> BTreeSet<String> {
    text.to_ascii_lowercase()
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'))
        .map(|w| w.trim_matches(['.', '-']))
        .filter(|w| w.len() >= MIN_WORD)
        .map(|w| {
            w.strip_suffix('s')
                .filter(|s| s.len() >= MIN_WORD && !s.ends_with('s'))
                .unwrap_or(w)
                .to_string()
        })
        .filter(|w| !COMMON.contains(&w.as_str()))
        .collect()
}

/// `a` and `b` have a word in common, short and common words aside.
pub(crate) fn share_a_word(a: &str, b: &str) -> bool {
    !words(a).is_disjoint(&words(b))
}

fn reference(f: &FailureModeSpec) -> BTreeSet<String> {
    words(&format!(
        "{} {} {} {} {}",
        f.title, f.question, f.detect, f.recover, f.prevent
    ))
}

/// The problem's failure that `answer` is about instead of the asked one
/// (`asked`, a failure id of the problem), when it plainly is. `asked_as`
/// is the question as the candidate heard it (in their products' names, or
/// its harder version): an answer in its words is an answer to it, even
/// when its mechanisms are another failure's ("replay the day from Kafka"
/// to repair a day of oversold orders).
pub(crate) fn other_failure<'p>(
    problem: &'p Problem,
    asked: &str,
    asked_as: &str,
    answer: &str,
) -> Option<&'p FailureModeSpec> {
    let modes = &problem.failure_modes;
    let refs: Vec<BTreeSet<String>> = modes.iter().map(reference).collect();
    let asked_at = modes.iter().position(|f| f.id.as_str() == asked)?;
    // Its words are the asked failure's, but none sets failures apart for
    // the others: `generic` counts the references alone.
    let heard = words(asked_as);
    // A word in more than a third of the failures' references (and in at
    // least two) sets none of them apart.
    let generic = |w: &String| {
        let n = refs.iter().filter(|r| r.contains(w)).count();
        n >= 2 && n * 3 > modes.len()
    };
    let said = words(answer);
    let shared = |r: &BTreeSet<String>| r.intersection(&said).filter(|w| !generic(w)).count();
    let on_asked = shared(&refs[asked_at].union(&heard).cloned().collect());
    // A word of the question as heard is the asked failure's alone.
    let others = |r: &BTreeSet<String>| shared(&r.difference(&heard).cloned().collect());
    if on_asked > ASKED_AT_MOST {
        return None;
    }
    let (best, n) = refs
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != asked_at)
        .map(|(i, r)| (i, others(r)))
        .max_by_key(|&(_, n)| n)?;
    let plain = n * PLAIN_SHARE >= said.len();
    (n >= OTHER_AT_LEAST && n >= on_asked + MARGIN && plain).then(|| &modes[best])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::Rubric;

    fn problem(id: &str) -> Problem {
        Rubric::builtin()
            .expect("rubric")
            .problem(id)
            .expect("problem")
            .clone()
    }

    #[test]
    fn a_flink_restart_is_not_an_answer_to_a_broker_dying() {
        let p = problem("clickstream");
        let answer = "Flink restarts from the last checkpoint and the Kafka offsets are in the checkpoint, so it re-reads from there. The S3 sink is a two-phase commit tied to the checkpoint, so files that weren't committed are discarded and nothing shows up twice.";
        let other = other_failure(&p, "kafka-broker-loss", "", answer).expect("another failure");
        assert_eq!(other.id.as_str(), "flink-taskmanager-crash");
        // The same words answer the Flink crash itself.
        assert!(other_failure(&p, "flink-taskmanager-crash", "", answer).is_none());
    }

    #[test]
    fn an_answer_on_the_asked_failure_is_never_sent_elsewhere() {
        let p = problem("clickstream");
        for answer in [
            "The partitions on that broker fail over: leader election picks an in-sync replica, producers with acks=all retry, and with replication factor 3 and min.insync.replicas=2 nothing acknowledged is lost. We alert on under-replicated partitions.",
            "No. Replication factor 3 with acks=all.",
            "We'd have monitoring on it, and if something breaks we rerun the job.",
        ] {
            assert!(
                other_failure(&p, "kafka-broker-loss", "", answer).is_none(),
                "{answer}"
            );
        }
    }

    #[test]
    fn no_failure_of_the_problem_answered_by_its_own_reference_is_sent_elsewhere() {
        let r = Rubric::builtin().expect("rubric");
        for p in &r.problems {
            for f in &p.failure_modes {
                let answer = format!("{} {} {}", f.detect, f.recover, f.prevent);
                assert!(
                    other_failure(p, f.id.as_str(), "", &answer).is_none(),
                    "{}: {}",
                    p.id.as_str(),
                    f.id.as_str()
                );
            }
        }
    }

    #[test]
    fn an_answer_in_the_words_of_the_question_as_asked_is_not_sent_elsewhere() {
        let p = problem("realtime-inventory");
        let asked_as = "Two buyers check out the last unit, and nobody notices for a day. What would have told you sooner, and how do you repair that day without losing or doubling anything?";
        let answer = "A nightly reconciliation compares Snowflake orders against the ledger per SKU and alerts on any negative ATP; a CloudWatch alarm on failed conditional writes pages on-call within 5 minutes. Repair: replay that day's movements from Kafka (7 days retention) into a shadow Flink job, diff against DynamoDB, and apply corrections as new movements keyed by movement_id, so rerunning the repair changes nothing. Customer service contacts the oversold orders.";
        assert!(
            other_failure(&p, "last-unit-race", asked_as, answer).is_none(),
            "the repair of a day of oversold orders answers the question asked"
        );
        // An answer plainly about the replay still is, whatever was heard.
        let replay = "Flink dedupes each movement_id in keyed state, so the picks Debezium replays are no-ops and stock never goes negative.";
        let other = other_failure(&p, "last-unit-race", asked_as, replay).expect("another");
        assert_eq!(other.id.as_str(), "replayed-movements");
    }
}

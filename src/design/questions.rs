//! Clarifying questions: which topics a candidate's question asks about
//! (scale, freshness, consumer, constraints), and which of the problem's
//! hidden facts it asks for. The design model records the topics; the
//! interviewer reveals only the facts asked. Matching is on lower-cased
//! words, deterministic, and cheap enough to run every turn.

mod form;

pub use form::{is_decline, is_question};

use crate::rubric::{FactTopic, HiddenFact, Problem};

/// Generic cue phrases per topic. A cue matches at a word boundary.
const SCALE_CUES: &[&str] = &[
    "scale",
    "volume",
    "how many",
    "how much data",
    "how big",
    "per second",
    "/sec",
    "/s",
    "qps",
    "rps",
    "throughput",
    "rows",
    "gb",
    "tb",
    "peak",
    "traffic",
    "load",
    "size",
    "users",
    "records",
];
const FRESHNESS_CUES: &[&str] = &[
    "fresh",
    "latency",
    "real-time",
    "real time",
    "realtime",
    "near-real",
    "near real",
    "how fast",
    "how quickly",
    "how soon",
    "how stale",
    "stale",
    "delay",
    "sla",
    "lag",
    "batch",
    "daily",
    "hourly",
    "streaming",
    "up to date",
    "up-to-date",
    "deadline",
    "by when",
    "ready by",
    "available by",
    "how current",
    "how recent",
];
const CONSUMER_CUES: &[&str] = &[
    "consumer",
    "consume",
    "who uses",
    "who will use",
    "who reads",
    "who is using",
    "used by",
    "used for",
    "use case",
    "dashboard",
    "ml model",
    "model",
    "downstream",
    "serving",
    "serve",
    "audience",
    "end user",
    "stakeholder",
    "query",
    "queries",
    "report",
];
const CONSTRAINT_CUES: &[&str] = &[
    "constraint",
    "budget",
    "cost",
    "cloud",
    "aws",
    "gcp",
    "azure",
    "on-prem",
    "compliance",
    "gdpr",
    "pii",
    "retention",
    "team",
    "existing",
    "stack",
    "legacy",
    "regulat",
    "audit",
    "region",
];

/// The generic cues for a topic.
pub fn cues(topic: FactTopic) -> &'static [&'static str] {
    match topic {
        FactTopic::Scale => SCALE_CUES,
        FactTopic::Freshness => FRESHNESS_CUES,
        FactTopic::Consumer => CONSUMER_CUES,
        FactTopic::Constraint => CONSTRAINT_CUES,
    }
}

/// True when `cue` occurs in `hay` (already lower-case) at a word boundary.
fn contains_cue(hay: &str, cue: &str) -> bool {
    // The cue lists are lower-case already: copy only one that is not.
    let cue: std::borrow::Cow<'_, str> = if cue.bytes().any(|b| b.is_ascii_uppercase()) {
        cue.to_ascii_lowercase().into()
    } else {
        cue.into()
    };
    let cue = cue.as_ref();
    let bytes = hay.as_bytes();
    let mut from = 0;
    while let Some(pos) = hay[from..].find(cue) {
        let start = from + pos;
        let end = start + cue.len();
        let left_ok = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
        // Allow plural/inflected endings ("dashboards", "consumers", "fresher").
        let right_ok = end >= bytes.len()
            || !bytes[end].is_ascii_alphanumeric()
            || cue.len() >= 4
            || cue.ends_with('/');
        if left_ok && right_ok {
            return true;
        }
        from = start + cue.len().max(1);
        if from >= hay.len() {
            break;
        }
    }
    false
}

/// Scale cues that name what is counted (or, for "load", are mostly a
/// verb here), not that a count is asked for: "how many rows a day?" asks
/// the scale, "can rows be updated later?" and "how do we load it?" do
/// not. They count only in a clause that asks how many or how much.
const COUNTED: &[&str] = &["rows", "records", "users", "load"];

/// Words that ask for a quantity.
const QUANTITY_ASKERS: &[&str] = &[
    "how many",
    "how much",
    "how big",
    "how large",
    "number of",
    "count",
    "per ",
    "a day",
    "a second",
    "an hour",
    "a minute",
    "a month",
    "volume",
    "rate",
    "peak",
    "expected",
    "average",
    "typical",
];

/// True when `cue`, a scale cue, asks about scale somewhere in `hay`: a
/// counted noun only in a clause that also asks for a quantity.
fn asks_scale(hay: &str, cue: &str) -> bool {
    if !COUNTED.contains(&cue) {
        return contains_cue(hay, cue);
    }
    hay.split([';', '?', '.', '\n', ','])
        .any(|c| contains_cue(c, cue) && QUANTITY_ASKERS.iter().any(|a| contains_cue(c, a)))
}

/// "How late can the report be?" asks the freshness; "how late can
/// events arrive?" asks about late data, not about the output.
fn asks_how_late(hay: &str) -> bool {
    hay.split([';', '?', '.', '\n', ','])
        .any(|c| contains_cue(c, "how late") && !c.contains("arriv") && !c.contains("event"))
}

/// True when a scale fact's phrase asks for it: a phrase that asks for an
/// amount itself ("how many", "volume") wherever it stands; a thing that
/// can be counted ("files", "SKUs", "stores") only in a clause that asks
/// how many or how much of it ("do banks ever resend files?" does not).
fn asks_for_amount(hay: &str, phrase: &str) -> bool {
    if SCALE_CUES.contains(&phrase) || QUANTITY_ASKERS.contains(&phrase) {
        return asks_scale(hay, phrase);
    }
    hay.split([';', '?', '.', '\n', ','])
        .any(|c| contains_cue(c, phrase) && QUANTITY_ASKERS.iter().any(|a| contains_cue(c, a)))
}

/// The topics a question asks about (possibly several, possibly none).
pub fn topics_asked(question: &str) -> Vec<FactTopic> {
    if !is_question(question) {
        return Vec::new();
    }
    let hay = question.to_ascii_lowercase();
    [
        FactTopic::Scale,
        FactTopic::Freshness,
        FactTopic::Consumer,
        FactTopic::Constraint,
    ]
    .into_iter()
    .filter(|t| match t {
        FactTopic::Scale => SCALE_CUES.iter().any(|c| asks_scale(&hay, c)),
        FactTopic::Freshness => {
            FRESHNESS_CUES.iter().any(|c| contains_cue(&hay, c)) || asks_how_late(&hay)
        }
        _ => cues(*t).iter().any(|c| contains_cue(&hay, c)),
    })
    .collect()
}

/// Consumer cues that ask who the consumer is wherever they stand ("who
/// reads it, and how fresh?"). The others name a consumer ("dashboard",
/// "report", "query"): inside a question about volume or freshness ("how
/// fresh does the dashboard need to be?") the consumer is the premise, not
/// what is asked.
const CONSUMER_ASKERS: &[&str] = &[
    "who",
    "consumer",
    "consume",
    "used by",
    "used for",
    "use case",
    "downstream",
    "audience",
    "end user",
    "stakeholder",
];

/// A clause split where a comma starts another question: "how fresh must
/// it be, are there hard deletes we must propagate" asks about deletes on
/// its own; "for orders, payments and pings" is one list.
fn question_list(clause: &str) -> Vec<&str> {
    const STARTS: &[&str] = &[
        "are ", "is ", "do ", "does ", "can ", "could ", "will ", "would ", "should ", "what ",
        "which ", "who ", "how ", "when ", "where ", "why ", "any ",
    ];
    let mut out = Vec::new();
    let mut from = 0;
    for (i, _) in clause.match_indices(", ") {
        let next = &clause[i + 2..];
        if STARTS.iter().any(|w| next.starts_with(w)) {
            out.push(&clause[from..i]);
            from = i + 2;
        }
    }
    out.push(&clause[from..]);
    out
}

/// The clauses of a lower-cased question that are not about numbers
/// (volume, rate) or freshness: a word of the consumer or the constraint
/// there asks for it; inside a clause about numbers it is the premise.
fn own_clauses(hay: &str) -> Vec<&str> {
    let others: Vec<&str> = [FactTopic::Scale, FactTopic::Freshness]
        .into_iter()
        .flat_map(|t| cues(t).iter().copied())
        .collect();
    hay.split([';', '?', '.', '\n'])
        .flat_map(|c| c.split(", and "))
        .flat_map(question_list)
        .filter(|c| !others.iter().any(|o| asks_scale(c, o)) && !asks_how_late(c))
        .collect()
}

/// The hidden facts this question asks for, in the problem's order: those
/// whose topic was asked about, or whose own `asked_by` phrases appear.
/// A consumer named as the premise of a question about numbers ("what
/// latency does the website need?") counts: the candidate has the consumer
/// in mind, so the topic is covered (see [`facts_to_answer`] for what the
/// interviewer then says).
pub fn facts_asked<'p>(problem: &'p Problem, question: &str) -> Vec<(usize, &'p HiddenFact)> {
    facts_in(problem, question, false)
}

/// The hidden facts to answer a question with: [`facts_asked`] without a
/// consumer fact the question only names as its premise. "What latency
/// does the website need?" is answered with the latency, not with the list
/// of every consumer; "who reads it?" or "is it the website or the order
/// system?" gets the consumers.
pub fn facts_to_answer<'p>(problem: &'p Problem, question: &str) -> Vec<(usize, &'p HiddenFact)> {
    facts_in(problem, question, true)
}

fn facts_in<'p>(
    problem: &'p Problem,
    question: &str,
    answering: bool,
) -> Vec<(usize, &'p HiddenFact)> {
    if !is_question(question) {
        return Vec::new();
    }
    let topics = topics_asked(question);
    let hay = question.to_ascii_lowercase();
    // The constraint is what the interviewer holds back: a word of it
    // ("payments", "raw") inside a question about volume or freshness does
    // not ask for it. Only a clause that is not about numbers does. So for
    // a consumer named there ("what latency does the website need?"),
    // unless the words ask who it is.
    let own_clauses = own_clauses(&hay);
    problem
        .hidden_facts
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            if f.topic == FactTopic::Constraint {
                return topics.contains(&f.topic)
                    || f.asked_by
                        .iter()
                        .any(|p| own_clauses.iter().any(|c| contains_cue(c, p)));
            }
            if f.topic == FactTopic::Consumer && answering {
                let asks = |c: &str| {
                    if CONSUMER_ASKERS.contains(&c) {
                        contains_cue(&hay, c)
                    } else {
                        own_clauses.iter().any(|cl| contains_cue(cl, c))
                    }
                };
                return CONSUMER_CUES
                    .iter()
                    .copied()
                    .chain(f.asked_by.iter().map(String::as_str))
                    .any(asks);
            }
            topics.contains(&f.topic)
                || f.asked_by.iter().any(|p| match f.topic {
                    FactTopic::Scale => asks_for_amount(&hay, p),
                    _ => contains_cue(&hay, p),
                })
        })
        .collect()
}

/// True when `question` asks for `fact` by the fact's own words (its
/// `asked_by` phrases), not only by its topic's generic cues. The
/// constraint is the catch-all topic: "do we have a catalog that tags PII
/// columns?" is a constraint question, but the lake's snapshots and backups
/// said earlier do not answer it.
pub fn asks_by_own_words(fact: &HiddenFact, question: &str) -> bool {
    let hay = question.to_ascii_lowercase();
    fact.asked_by.iter().any(|p| contains_cue(&hay, p))
}

/// The questions of a turn, each with its own sentence: "How many
/// requests a day? Is the lake partitioned by date or by user?" is two.
pub fn question_parts(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut from = 0;
    for (i, _) in text.match_indices('?') {
        let part = &text[from..=i];
        from = i + 1;
        // The question is the part's last sentence or line.
        let start = part.rfind(['.', '!', '\n']).map_or(0, |k| k + 1);
        let q = part[start..].trim();
        if q.len() > 1 && is_question(q) {
            out.push(q);
        }
    }
    out
}

/// The sentence of a fact closest to a question (most shared words), for
/// a short reminder instead of the whole answer again.
pub fn closest_sentence<'a>(answer: &'a str, question: &str) -> &'a str {
    let q: Vec<String> = question
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 3)
        .map(str::to_ascii_lowercase)
        .collect();
    answer
        .split_inclusive(". ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .max_by_key(|s| {
            let l = s.to_ascii_lowercase();
            q.iter().filter(|w| l.contains(w.as_str())).count()
        })
        .unwrap_or(answer)
}

/// The three topics the seed says every candidate must ask about before
/// drawing boxes.
pub const REQUIRED_TOPICS: [FactTopic; 3] =
    [FactTopic::Scale, FactTopic::Freshness, FactTopic::Consumer];

/// Human name of a topic, for the interviewer's lines and the debrief.
pub fn topic_name(topic: FactTopic) -> &'static str {
    match topic {
        FactTopic::Scale => "scale",
        FactTopic::Freshness => "freshness",
        FactTopic::Consumer => "the consumer",
        FactTopic::Constraint => "constraints",
    }
}

#[cfg(test)]
mod tests {
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
            topics_asked("What is the row count, roughly how many users?")
                .contains(&FactTopic::Scale)
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
        assert!(topics_asked("What's the deadline for the daily table?")
            .contains(&FactTopic::Freshness));
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
        ] {
            assert!(!is_question(t), "{t}");
        }
        assert!(is_question("What happens if the job is retried"));
    }

    #[test]
    fn a_question_after_an_interjection_is_a_question() {
        for q in [
            "ok. how big is it",
            "ok, how big is it",
            "Got it! Who reads the tables",
            "so, what freshness do they need",
        ] {
            assert!(is_question(q), "{q}");
        }
    }

    #[test]
    fn cue_needs_a_word_boundary_on_the_left() {
        assert!(!contains_cue("tablespace", "tb"));
        assert!(contains_cue("about 2 tb a day", "tb"));
        assert!(contains_cue("dashboards", "dashboard"));
    }
}

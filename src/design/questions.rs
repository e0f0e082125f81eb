//! Clarifying questions: which topics a candidate's question asks about
//! (scale, freshness, consumer, constraints), and which of the problem's
//! hidden facts it asks for. The design model records the topics; the
//! interviewer reveals only the facts asked. Matching is on lower-cased
//! words, deterministic, and cheap enough to run every turn.

mod form;
mod who;

pub use form::{asked_part, digression, is_decline, is_question};

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
    // "How's the data used?"
    "data used",
    "data is used",
    "data gets used",
    "is it used",
    "it's used",
    "its used",
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
    // The noun, not the verb: "how often do they report" asks a rate.
    "reports",
    "reporting",
    "the report",
    "a report",
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
    // "Anything sensitive in the logs?" asks what the constraint says of
    // PII in other words.
    "sensitive",
    "personal data",
    "privacy",
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
    // Data that comes in late ("how late can a till sync", "how late do
    // payments arrive") is the late-data constraint, not a deadline.
    const COMES_IN: &[&str] = &[
        "arriv",
        "event",
        "sync",
        "land",
        "show up",
        "come in",
        "comes in",
        "come back",
        "delay",
    ];
    hay.split([';', '?', '.', '\n', ','])
        .any(|c| contains_cue(c, "how late") && !COMES_IN.iter().any(|w| c.contains(w)))
}

/// A clause asking for the output's deadline: "how late can the report
/// be?" or "when does finance need it?".
fn asks_deadline(hay: &str) -> bool {
    asks_how_late(hay) || asks_when_needed(hay)
}

/// A clause that asks when a reader needs the output ("when does finance
/// need a day to be final?", "what time do the stores expect it?"): a
/// deadline, so freshness. "When does a till sync?" is not.
fn asks_when_needed(hay: &str) -> bool {
    const NEEDS: &[&str] = &["need", "needs", "want", "wants", "expect", "expects"];
    hay.split([';', '?', '.', '\n', ',', '—']).any(|c| {
        let words = crate::read::text::ascii_words(c);
        words.iter().enumerate().any(|(i, w)| {
            let when = *w == "when" || (*w == "time" && i > 0 && words[i - 1] == "what");
            when && words[i + 1..].iter().take(6).any(|n| NEEDS.contains(n))
        })
    })
}

/// A clause that asks how long data is kept ("how long do topics retain
/// data today?"): retention, not how fresh the output must be.
fn asks_retention(clause: &str) -> bool {
    [
        "retain",
        "retention",
        "keep ",
        "kept",
        "stored",
        "store ",
        "ttl",
        "expire",
        "archive",
    ]
    .iter()
    .any(|w| clause.contains(w))
        && !["until", "before", "after"]
            .iter()
            .any(|w| clause.contains(w))
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
    let hay = asked_part(question).to_ascii_lowercase();
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
            FRESHNESS_CUES.iter().any(|c| contains_cue(&hay, c)) || asks_deadline(&hay)
        }
        _ => cues(*t).iter().any(|c| contains_cue(&hay, c)),
    })
    .collect()
}

/// A clause split where a comma starts another question: "how fresh must
/// it be, are there hard deletes we must propagate" asks about deletes on
/// its own; "for orders, payments and pings" is one list. An "and" starts
/// one when a question word follows it: "the volumes per stream - and how
/// late can a payment arrive".
fn question_list(clause: &str) -> Vec<&str> {
    const STARTS: &[&str] = &[
        "are ", "is ", "do ", "does ", "can ", "could ", "will ", "would ", "should ", "what ",
        "which ", "who ", "how ", "when ", "where ", "why ", "any ",
    ];
    // After "and", "is" or "are" often go on the list ("orders and are
    // there refunds" is rare; "what is and isn't" is not a question).
    const AND_STARTS: &[&str] = &[
        "do ", "does ", "can ", "could ", "will ", "would ", "should ", "what ", "which ", "who ",
        "how ", "when ", "where ", "why ",
    ];
    let mut out = Vec::new();
    let mut from = 0;
    let mut at = 0;
    while let Some(i) = clause[at..].find([',', ' ']).map(|k| at + k) {
        at = i + 1;
        let (sep, starts) = if clause[i..].starts_with(", ") {
            (2, STARTS)
        } else if clause[i..].starts_with(" and ") {
            (5, AND_STARTS)
        } else {
            continue;
        };
        let next = &clause[i + sep..];
        if i > from && starts.iter().any(|w| next.starts_with(w)) {
            let part = clause[from..i].trim_end_matches([' ', '-', '—', '–', ',']);
            out.push(part);
            from = i + sep;
            at = from;
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
        .filter(|c| !others.iter().any(|o| asks_scale(c, o)) && !asks_deadline(c))
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
    let hay = asked_part(question).to_ascii_lowercase();
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
                // "How long do we keep the readings?" asks for retention in
                // other words.
                let retention = f.asked_by.iter().any(|p| p == "retention")
                    && own_clauses
                        .iter()
                        .any(|c| contains_cue(c, "how long") && asks_retention(c));
                return topics.contains(&f.topic)
                    || retention
                    || f.asked_by
                        .iter()
                        .any(|p| own_clauses.iter().any(|c| contains_cue(c, p)));
            }
            if f.topic == FactTopic::Consumer && answering {
                let asks = |c: &str| {
                    if c == "who" {
                        who::asks_who_uses(&hay)
                    } else if who::CONSUMER_ASKERS.contains(&c) {
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
                    // A clause about keeping data is retention, not a
                    // deadline, unless the fact says it holds retention
                    // ("history", "how long do we keep").
                    FactTopic::Freshness => hay.split([';', '?', '.', '\n', ',']).any(|c| {
                        contains_cue(c, p)
                            && (!asks_retention(c) || asks_retention(p) || p.contains("history"))
                    }),
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
            // "Who consumes it, and how far back do they need it?" asks two
            // things: each is a part of its own.
            let mut rest = q;
            while let Some((head, tail)) = second_question(rest) {
                out.push(head);
                rest = tail;
            }
            out.push(rest);
        }
    }
    out
}

/// `q` split before ", and" / ", or" / "; " when a question word follows
/// ("…, and how far back…"): the first question (without the joint) and
/// the rest.
fn second_question(q: &str) -> Option<(&str, &str)> {
    const ASKS: &[&str] = &[
        "how ", "what ", "what's ", "where ", "when ", "which ", "who ", "why ", "do ", "does ",
        "is ", "are ", "can ", "should ", "will ",
    ];
    for joint in [", and ", ", or ", "; and ", "; "] {
        let mut from = 0;
        while let Some(k) = q[from..].find(joint).map(|k| from + k) {
            let tail = &q[k + joint.len()..];
            let lower = tail.get(..8).unwrap_or(tail).to_ascii_lowercase();
            if ASKS.iter().any(|w| lower.starts_with(w)) && k > 0 {
                return Some((q[..k].trim(), tail));
            }
            from = k + joint.len();
        }
    }
    None
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
mod tests;

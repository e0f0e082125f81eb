//! What a "who" or another consumer word asks: who uses the data ("who
//! reads it, and how fresh?"), or who is responsible for something ("who
//! owns cardinality limits?"), which no consumer fact answers.

/// Consumer cues that ask who the consumer is wherever they stand ("who
/// reads it, and how fresh?"). The others name a consumer ("dashboard",
/// "report", "query"): inside a question about volume or freshness ("how
/// fresh does the dashboard need to be?") the consumer is the premise, not
/// what is asked.
pub(super) const CONSUMER_ASKERS: &[&str] = &[
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

/// What "who" asks about when it is not who uses the data: "who owns the
/// limits?", "who decides?", "who gets paged?" ask who is responsible.
const WHO_IS_RESPONSIBLE: &[&str] = &[
    "own",
    "owns",
    "owner",
    "decide",
    "decides",
    "approve",
    "approves",
    "set",
    "sets",
    "pay",
    "pays",
    "enforce",
    "enforces",
    "control",
    "controls",
    "signs",
    "sign",
    "accountable",
];

/// Words between "who" and what it asks about: "who would own…".
const WHO_FILLERS: &[&str] = &[
    "is",
    "will",
    "would",
    "should",
    "gets",
    "get",
    "to",
    "currently",
    "actually",
];

/// True when a "who" in `hay` (lower-case) asks who uses the data, not who
/// is responsible for something ("who owns cardinality limits?").
pub(super) fn asks_who_uses(hay: &str) -> bool {
    let words: Vec<&str> = hay
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().enumerate().any(|(i, w)| {
        w.split('\'').next() == Some("who")
            && !words[i + 1..]
                .iter()
                .find(|n| !WHO_FILLERS.contains(n))
                .is_some_and(|n| WHO_IS_RESPONSIBLE.contains(n))
    })
}

//! The candidate's own words a guided question should use: their numbers
//! with what they count ("100 partitions", "200K events/sec") and their
//! identifiers ("user_id"), from their words on what the move is about,
//! leaving out any the interviewer has said already. A real interviewer challenges the figures on the table; a
//! question that repeats "Kafka" for the fifth time adds nothing.

use std::sync::LazyLock;

use regex::Regex;

use crate::read::text::word_bounded;

/// How many of their words the notes offer: one, which a small model
/// uses far more often than a choice.
const OFFERED: usize = 1;

/// A number (with an optional K/M/B and a unit word or two after it), or a
/// snake_case identifier.
static TERM: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<num>(?:^|[^\w.$])(?P<n>\d[\d,]*(?:\.\d+)?)\s?(?P<mult>[kKmMbB]\b)?",
        r"(?:(?P<hyphen>-)?\s?(?P<unit>%|[A-Za-z][A-Za-z]*(?:/[A-Za-z]+)?(?:\s(?:per|a)\s[a-z]+)?))?)",
        r"|(?P<id>\b[a-z][a-z0-9]*_[a-z0-9_]+\b)",
    ))
    .ok()
});

/// Words after a number that do not say what it counts.
const NOT_UNITS: &[&str] = &[
    "a", "an", "and", "or", "the", "to", "of", "in", "on", "at", "by", "is", "are", "was", "with",
    "for", "from", "so", "if", "that", "this", "it", "we", "i", "x",
];

/// One term: what is shown in the notes, and the part a reply must carry
/// to have used it (the digits of a number, the identifier).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    pub shown: String,
    pub key: String,
}

fn terms_in(text: &str) -> Vec<Term> {
    let Some(re) = TERM.as_ref() else {
        return Vec::new();
    };
    let mut out: Vec<Term> = Vec::new();
    for c in re.captures_iter(text) {
        let term = if let Some(id) = c.name("id") {
            Term {
                shown: id.as_str().to_string(),
                key: id.as_str().to_ascii_lowercase(),
            }
        } else if let Some(n) = c.name("n") {
            let digits = n.as_str().replace(',', "");
            let mult = c.name("mult").map_or("", |m| m.as_str());
            let value: f64 = digits.parse().unwrap_or(0.0);
            // "3 topics", "2 AZs": small counts say little about a design.
            if value < 10.0 && mult.is_empty() {
                continue;
            }
            let unit = c
                .name("unit")
                .map(|u| u.as_str())
                .filter(|u| !NOT_UNITS.contains(&u.to_ascii_lowercase().as_str()));
            let number = format!("{}{}", n.as_str(), mult);
            let joint = if c.name("hyphen").is_some() { "-" } else { " " };
            Term {
                shown: match unit {
                    Some("%") => format!("{number}%"),
                    Some(u) => format!("{number}{joint}{u}"),
                    None => number.clone(),
                },
                key: number.to_ascii_lowercase(),
            }
        } else {
            continue;
        };
        if !out.iter().any(|t| t.key == term.key) {
            out.push(term);
        }
    }
    out
}

/// Whether `said` already carries the term (case-insensitive; a number
/// only as a whole number: "100" is not in "1000").
pub(crate) fn carries(said: &str, t: &Term) -> bool {
    let lower = said.to_ascii_lowercase();
    let b = lower.as_bytes();
    lower.match_indices(&t.key).any(|(i, m)| {
        let end = i + m.len();
        // "100" in "1,100", "1,000" or "100.5": a digit group goes on.
        let group_before = i > 0 && matches!(b[i - 1], b',' | b'.');
        let group_after = matches!(b.get(end), Some(b',' | b'.'))
            && b.get(end + 1).is_some_and(u8::is_ascii_digit);
        word_bounded(b, i, end) && !group_before && !group_after
    })
}

/// The candidate's own terms for a question (at most [`OFFERED`]), from
/// the first of `sources` that has one (their words on what the move is
/// about, then the sentences of the turn just answered that name it);
/// none the interviewer has said already.
pub(crate) fn pick(sources: &[&str], said: &[String]) -> Vec<Term> {
    let mut out: Vec<Term> = Vec::new();
    for text in sources {
        for t in terms_in(text) {
            if out.len() >= OFFERED {
                return out;
            }
            if out.iter().any(|o| o.key == t.key) || said.iter().any(|s| carries(s, &t)) {
                continue;
            }
            out.push(t);
        }
    }
    out
}

/// The sentences (or diagram lines) of `text` that name `target`
/// (case-insensitive), joined: where the candidate's figures about it are.
pub(crate) fn sentences_naming(text: &str, target: &str) -> String {
    let t = target.to_ascii_lowercase();
    if t.trim().is_empty() {
        return String::new();
    }
    text.split_inclusive(['.', '?', '!', '\n'])
        .filter(|s| s.to_ascii_lowercase().contains(&t))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The notes' words for the terms: `"100 partitions" or "user_id"`.
pub(crate) fn listed(terms: &[Term]) -> String {
    terms
        .iter()
        .map(|t| format!("\"{}\"", t.shown))
        .collect::<Vec<_>>()
        .join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(ts: &[Term]) -> Vec<&str> {
        ts.iter().map(|t| t.shown.as_str()).collect()
    }

    #[test]
    fn numbers_keep_what_they_count_and_identifiers_come_whole() {
        let t = terms_in(
            "Kafka has 100 partitions keyed by user_id, sized for 200K events/sec; \
             it keeps 3 days and 1,500 TPS at 99.9% uptime with a 24-hour TTL.",
        );
        assert_eq!(
            shown(&t),
            [
                "100 partitions",
                "user_id",
                "200K events/sec",
                "1,500 TPS",
                "99.9%",
                "24-hour"
            ]
        );
        assert_eq!(t[2].key, "200k");
    }

    #[test]
    fn words_the_interviewer_already_said_are_not_offered_again() {
        let said = vec!["How are the 100 partitions keyed?".to_string()];
        let picked = pick(
            &[
                "100 partitions keyed by user_id",
                "We see 2,000 sessions a minute.",
            ],
            &said,
        );
        assert_eq!(shown(&picked), ["user_id"]);
        let picked = pick(
            &["100 partitions", "We see 2,000 sessions a minute."],
            &said,
        );
        assert_eq!(shown(&picked), ["2,000 sessions a minute"]);
    }

    #[test]
    fn a_number_is_carried_only_as_a_whole_number() {
        let t = Term {
            shown: "100 partitions".into(),
            key: "100".into(),
        };
        assert!(carries("Can 100 partitions absorb it?", &t));
        assert!(!carries("Can 1000 partitions absorb it?", &t));
        assert!(!carries("Is 1,100 enough?", &t));
        assert!(!carries("Is 100,000 enough?", &t));
        assert!(carries("Is it 100?", &t));
    }

    #[test]
    fn figures_come_from_the_sentences_about_the_target() {
        let turn = "The SDK batches 500 events per request. Kafka has 64 partitions. \
                    Flink keeps 2 GB of state.";
        let near = sentences_naming(turn, "kafka");
        assert_eq!(shown(&pick(&["", &near, turn], &[])), ["64 partitions"]);
    }

    #[test]
    fn the_list_reads_as_alternatives() {
        let two = [
            Term {
                shown: "24 partitions".into(),
                key: "24".into(),
            },
            Term {
                shown: "txn_id".into(),
                key: "txn_id".into(),
            },
        ];
        assert_eq!(listed(&two), "\"24 partitions\" or \"txn_id\"");
    }
}

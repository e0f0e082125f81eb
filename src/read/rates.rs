//! Rates and volumes the kind patterns cannot list word by word: a rate of
//! any noun ("30K movements/s", "5 alerts/min", "500 experiments/day"), a
//! count over a duration ("120M docs in ~3 h"), a size over a period said
//! with "a" ("25 GB a day"), and estimates said in words ("a few hundred
//! changes/min", "a few MB a day"). A plural order of magnitude ("millions
//! of events per second") is a hand-wave, not an estimate, and is no number. Candidates name what flows in endless
//! ways; what makes a rate is the shape — an amount, a noun, a period — not
//! the noun, so the noun is any word except the few that make the phrase
//! something else (a duration: "24 hours a day"; a connective: "10 TB and a
//! day later").

use std::sync::OnceLock;

use regex::Regex;
use regex_automata::{meta, Anchored, Input};

use super::quantity::{Quantity, QuantityKind};
use super::Evidence;

/// Amounts said in words, with the value a listener takes them for.
pub(crate) const WORD_AMOUNTS: &[(&str, f64)] = &[
    ("a couple of", 2.0),
    ("a couple", 2.0),
    ("a few", 3.0),
    ("a handful of", 5.0),
    ("a handful", 5.0),
    ("several", 5.0),
    ("a dozen", 12.0),
    // "Dozens a minute" is under a hundred: close enough for any hop.
    // Larger plurals ("millions of events per second") span orders of
    // magnitude and stay hand-waves.
    ("dozens of", 30.0),
    ("dozens", 30.0),
];

const NUM: &str = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?";
const MULT: &str = r"(?:\s?(?:k|m|b|bn|thousand|million|billion|trillion)\b)?";
const WORDS: &str = r"(?:(?:a\s+couple(?:\s+of)?|a\s+few|a\s+handful(?:\s+of)?|several|a\s+dozen)(?:\s+(?:hundred|thousand|million|billion))?|dozens)(?:\s+of)?";
const PERIOD: &str = r"(?:s|sec|secs|second|min|mins|minute|h|hr|hour|d|day|week|month)\b";
const SIZE_UNIT: &str = r"(?:kb|mb|gb|tb|pb|kib|mib|gib|tib|pib|bytes|kilobytes|megabytes|gigabytes|terabytes|petabytes)\b";
const TIME_UNIT: &str =
    r"(?:s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|d|days?|wks?|weeks?|months?|years?|yrs?)\b";

/// Words that cannot be what a rate counts: time units (a duration said
/// per period), size units (a size, read elsewhere) and connectives (the
/// period belongs to another clause).
const NOT_NOUNS: &[&str] = &[
    "s", "sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes", "h", "hr", "hrs",
    "hour", "hours", "d", "day", "days", "wk", "wks", "week", "weeks", "month", "months", "year",
    "years", "yr", "yrs", "ms", "kb", "mb", "gb", "tb", "pb", "kib", "mib", "gib", "tib", "pib",
    "bytes", "and", "or", "but", "is", "are", "was", "were", "be", "been", "of", "the", "to", "in",
    "into", "for", "at", "on", "by", "with", "from", "than", "it", "its", "that", "this", "we",
    "i", "you", "they", "so", "per", "each", "every", "not", "no", "as", "if", "then", "a", "an",
    "up", "over", "under", "about", "around", "times", "percent", "x",
];

/// The shapes, found with one alternation; which shape a match is and its
/// noun come from the shape's own regex, run on the match alone.
struct Loose {
    /// Every shape as one alternation: where the matches are.
    any: Regex,
    /// Each shape on its own (size, count over a duration, count per
    /// period), in the alternation's order. Leftmost-first, the first shape
    /// that matches at a match's start is the one that matched, with the
    /// same captures as in the alternation.
    shapes: [meta::Regex; 3],
}

fn re() -> Option<&'static Loose> {
    static RE: OnceLock<Option<Loose>> = OnceLock::new();
    RE.get_or_init(|| {
        let amount = format!(r"(?:\b{NUM}{MULT}|\b{WORDS})");
        let noun = |g: &str| format!(r"(?P<{g}>[a-z][a-z0-9_'+-]*(?:[\s-]+[a-z][a-z0-9_'+-]*)?)");
        let per = r"(?:/\s*|\bper\s+|\ban?\s+|\beach\s+|\bevery\s+)";
        // A period said with its own count: "per 15 minutes", "/5 min",
        // "every 10 seconds"; not "a 30-day window" (a window, not a rate).
        let per_count = r"(?:/\s*|\bper\s+|\bevery\s+)";
        let period = format!(r"(?:{per}{PERIOD}|{per_count}{NUM}\s*-?\s*{TIME_UNIT})");
        let approx = r"(?:~\s*|about\s+|around\s+|roughly\s+|under\s+|approx\.?\s+|approximately\s+)?";
        let shapes = [
            // A size per period: "25 GB a day", "a few MB/s".
            format!(
                r"(?P<size>{amount}\s*{size}(?:\s*{period})?)",
                size = SIZE_UNIT,
            ),
            // A count over a duration: "120M docs in ~3 h".
            format!(
                r"(?P<over>{amount}\+?\s*{noun1}\s+(?:in|over|within)\s+{approx}{num}\s*-?\s*{time})",
                noun1 = noun("noun1"),
                num = NUM,
                time = TIME_UNIT,
            ),
            // A count per period: "30K movements/s", "5 alerts a minute".
            format!(
                r"(?P<rate>{amount}\+?\s*(?:{noun2}\s*)?{period})",
                noun2 = noun("noun2"),
            ),
        ];
        let flags = r"(?i-u)";
        let one = |p: &str| meta::Regex::new(&format!("{flags}{p}")).ok();
        Some(Loose {
            any: Regex::new(&format!("{flags}{}", shapes.join("|"))).ok()?,
            shapes: [one(&shapes[0])?, one(&shapes[1])?, one(&shapes[2])?],
        })
    })
    .as_ref()
}

/// True when every word of a rate's noun can be counted.
fn countable(noun: &str) -> bool {
    noun.split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .all(|w| !NOT_NOUNS.contains(&w.to_ascii_lowercase().as_str()))
}

/// The rates and volumes in `text` that only this shape finds, among the
/// matches `wanted` keeps (asked before a match's shape and noun are read,
/// the costly part).
fn loose(text: &str, wanted: impl Fn(usize, usize) -> bool) -> Vec<Quantity> {
    let Some(re) = re() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut caps = [None, None];
    for m in re.any.find_iter(text) {
        if !wanted(m.start(), m.end()) {
            continue;
        }
        let input = Input::new(text)
            .range(m.start()..m.end())
            .anchored(Anchored::Yes);
        let (kind, noun) = if re.shapes[0].is_match(input.clone()) {
            (QuantityKind::Size, None)
        } else {
            // A count over a duration, else per period: the noun is the
            // shape's own (`noun1`, `noun2`).
            let mut found = None;
            for (k, c) in caps.iter_mut().enumerate() {
                let shape = &re.shapes[k + 1];
                let c = c.get_or_insert_with(|| shape.create_captures());
                shape.search_captures(&input, c);
                if c.is_match() {
                    let name = ["noun1", "noun2"][k];
                    found = Some(c.get_group_by_name(name).map(|g| &text[g.range()]));
                    break;
                }
            }
            match found {
                Some(noun) => (QuantityKind::Rate, noun),
                // The alternation matched, so a shape does; were it not
                // so, the alternation's own captures say.
                None => {
                    let Some(c) = re.any.captures_at(text, m.start()) else {
                        continue;
                    };
                    let kind = if c.name("size").is_some() {
                        QuantityKind::Size
                    } else {
                        QuantityKind::Rate
                    };
                    let noun = c.name("noun1").or(c.name("noun2")).map(|n| n.as_str());
                    (kind, noun)
                }
            }
        };
        if noun.is_some_and(|n| !countable(n)) {
            continue;
        }
        out.push(Quantity {
            kind,
            evidence: Evidence {
                start: m.start(),
                end: m.end(),
                quote: m.as_str().to_string(),
            },
        });
    }
    out
}

/// True when `text` holds a word an amount in words starts with ("a
/// couple", "a few", "a handful", "several", "a dozen"): without one (and
/// without a digit) no quantity can be in it.
pub(crate) fn has_word_amount(text: &str) -> bool {
    const WORDS: [&[u8]; 5] = [b"couple", b"few", b"handful", b"several", b"dozen"];
    text.as_bytes().windows(3).enumerate().any(|(i, w)| {
        WORDS.iter().any(|word| {
            w.eq_ignore_ascii_case(&word[..3])
                && text
                    .as_bytes()
                    .get(i..i + word.len())
                    .is_some_and(|t| t.eq_ignore_ascii_case(word))
        })
    })
}

/// True when this shape finds a rate or volume in `text`.
pub(crate) fn has_loose(text: &str) -> bool {
    !loose(text, |_, _| true).is_empty()
}

/// `found` (the kind patterns' quantities, in order) with the rates only
/// this shape finds: each replaces what it contains ("500 experiments" as
/// a count inside "500 experiments/day"), and gives way to a money,
/// latency or percentage it overlaps or to a quantity reaching outside it.
pub(crate) fn with_loose_rates(text: &str, found: Vec<Quantity>) -> Vec<Quantity> {
    // A match is skipped when a quantity it overlaps blocks it or is it
    // already. Loose matches never overlap one another, and one only
    // removes quantities inside it, so `found` answers for `out` as it
    // grows.
    let adds = |s: usize, e: usize| {
        let mut overlapping = found
            .iter()
            .filter(|o| o.evidence.start < e && s < o.evidence.end);
        !overlapping.any(|o| {
            matches!(
                o.kind,
                QuantityKind::Money | QuantityKind::Latency | QuantityKind::Percent
            ) || o.evidence.start < s
                || o.evidence.end > e
                // Already found as it is: nothing to add.
                || (o.evidence.start == s && o.evidence.end == e)
        })
    };
    let extra = loose(text, adds);
    if extra.is_empty() {
        return found;
    }
    let mut out = found;
    for q in extra {
        let (s, e) = (q.evidence.start, q.evidence.end);
        let overlapping: Vec<usize> = (0..out.len())
            .filter(|&i| out[i].evidence.start < e && s < out[i].evidence.end)
            .collect();
        for &i in overlapping.iter().rev() {
            out.remove(i);
        }
        let at = out.partition_point(|o| o.evidence.start < s);
        out.insert(at, q);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_text_with_a_digit_or_an_amount_word_is_searched_for_numbers() {
        assert!(has_word_amount("A FEW hundred changes/min"));
        assert!(has_word_amount("several"));
        assert!(!has_word_amount("sessionise, dedupe by event_id"));
        assert!(!has_word_amount("fe"));
        assert!(quantities_of("sessionise, dedupe by event_id").is_empty());
        assert_eq!(quantities_of("a few hundred changes/min").len(), 1);
    }

    fn quantities_of(t: &str) -> Vec<Quantity> {
        crate::read::quantity::quantities(t)
    }
    use crate::read::quantities;

    fn found(t: &str) -> Vec<(QuantityKind, String)> {
        quantities(t)
            .into_iter()
            .map(|q| (q.kind, q.evidence.quote))
            .collect()
    }

    #[test]
    fn a_rate_of_any_noun_is_a_rate() {
        for (t, want) in [
            ("30K movements/s peak", "30K movements/s"),
            ("Flink writes 30K upserts/s", "30K upserts/s"),
            ("about 5 alerts/min, JSON", "5 alerts/min"),
            ("500 experiments/day", "500 experiments/day"),
            ("30K movements a second at peak", "30K movements a second"),
            ("2M events/sec", "2M events/sec"),
            ("4M a day", "4M a day"),
            ("130 queries/s", "130 queries/s"),
        ] {
            let got = found(t);
            assert!(
                got.contains(&(QuantityKind::Rate, want.to_string())),
                "{t}: {got:?}"
            );
        }
    }

    #[test]
    fn a_count_over_a_duration_is_a_rate() {
        let got = found("bulk index into a new index, 120M docs in ~3 h");
        assert_eq!(got, vec![(QuantityKind::Rate, "120M docs in ~3 h".into())]);
        let got = found("we backfill 2 billion rows over 10 days");
        assert_eq!(got[0].0, QuantityKind::Rate, "{got:?}");
    }

    #[test]
    fn amounts_said_in_words_are_rates_and_volumes() {
        let got = found("CDC, a few hundred changes/min");
        assert_eq!(
            got,
            vec![(QuantityKind::Rate, "a few hundred changes/min".into())]
        );
        let got = found("Postgres ledger -> Spark deleter: a few MB a day.");
        assert_eq!(got, vec![(QuantityKind::Size, "a few MB a day".into())]);
        let got = found("a few hundred BI queries an hour");
        assert_eq!(got[0].0, QuantityKind::Rate, "{got:?}");
        // "A handful a day" is a ballpark of pages, not nothing.
        let got = found("A handful a day, maybe 5 to 20 pages.");
        assert_eq!(
            got[0],
            (QuantityKind::Rate, "A handful a day".into()),
            "{got:?}"
        );
    }

    #[test]
    fn a_plural_order_of_magnitude_is_a_hand_wave_not_a_rate() {
        assert!(found("Kafka handles millions of events per second").is_empty());
        assert!(found("hundreds of MB a day").is_empty());
        // Dozens are under a hundred: a ballpark a listener takes.
        let got = found("Firing alerts go to Alertmanager as JSON, dozens a minute.");
        assert_eq!(got, vec![(QuantityKind::Rate, "dozens a minute".into())]);
    }

    #[test]
    fn a_size_per_period_said_with_a_keeps_its_period() {
        let got = found("about 25 GB a day into S3");
        assert_eq!(got, vec![(QuantityKind::Size, "25 GB a day".into())]);
    }

    #[test]
    fn durations_per_period_and_connectives_are_not_rates() {
        assert!(found("on call 24 hours a day")
            .iter()
            .all(|(k, _)| *k != QuantityKind::Rate));
        let got = found("we load 10 TB and a day later we compact");
        assert_eq!(got, vec![(QuantityKind::Size, "10 TB".into())]);
        assert!(found("a few days later").is_empty());
        assert_eq!(
            found("$5 a month")[0].0,
            QuantityKind::Money,
            "money keeps its kind"
        );
    }
}

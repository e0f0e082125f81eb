//! A walk-through already given: "A reading leaves the sensor as JSON,
//! goes into Kinesis keyed by device_id, Flink rolls it up … and writes the
//! rollup to ClickHouse". When the data-flow phase opens after one, the
//! interviewer picks up from it instead of asking for it again.

use std::sync::OnceLock;

use regex::Regex;

use crate::interview::session::Session;
use crate::rubric::brief::said_in;
use crate::rubric::Phase;

/// Words that move a record along in prose.
const FLOW_WORDS: &[&str] = &[
    "goes", "go into", "lands", "writes", "reads", "sends", "emits", "publish", "consume", "loads",
    "flows", "pushes", "pulls", "picks up", "arrives", "rolls", "upserts", "merges",
];

/// Prose, not a diagram: at least this many words.
const MIN_WORDS: usize = 30;

/// A walk-through follows one record from its first words ("A reading
/// leaves the sensor", "One click: it lands in Kafka", "Take one refund.");
/// an answer to "why Kafka?" that names the same boxes does not.
fn follows_one_record(text: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?i)^\W*(?:(?:so|ok|sure|right|then|now)\W+)?(?:take\s+|say\s+|follow\s+)?(?:one|a|an|each|every|the|this|that|single)\s+(\w+\s+)?(?:event|record|click|order|reading|request|change|row|message|ping|transaction|txn|payment|refund|authori[sz]ation|auth|update|log line|line|metric|sample|listing|sale|ride|movement|conversion|impression|file|batch|statement|delete|deletion)s?\b",
        )
        .ok()
    });
    // "A single payment event", not "The WAL is row changes".
    const VERBS: &[&str] = &["is", "are", "was", "were", "has", "have", "does", "do"];
    re.as_ref().and_then(|r| r.captures(text)).is_some_and(|c| {
        c.get(1)
            .is_none_or(|w| !VERBS.contains(&w.as_str().trim().to_ascii_lowercase().as_str()))
    }) || one_named_by_id(text)
}

/// "Take customer 42 changing plan", "Follow order #1234", "Say device
/// d-17 reports": one record picked by its id.
fn one_named_by_id(text: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)^\W*(?:(?:so|ok|sure|right|then|now)\W+)?(?:take|say|follow|pick)\s+(?:\w+\s+)?[a-z][\w-]*\s+#?[a-z_-]*\d[\w-]*\b")
            .ok()
    })
    .as_ref()
    .is_some_and(|r| r.is_match(text))
}

/// A walk-through already given: where it started and ended, and the
/// boxes on the record's path it never reached.
pub(crate) struct Walked {
    pub first: String,
    pub last: String,
    pub rest: Vec<String>,
}

impl Session {
    /// The walk-through the candidate gave in the architecture phase, if
    /// any: a prose turn that takes one record past three or more of the
    /// boxes on the board.
    pub(crate) fn walked_path(&self) -> Option<Walked> {
        use crate::rubric::ComponentKind::*;
        let d = &self.design;
        // Each box by its name and its product ("S3 (Iceberg)" is said
        // "S3"); only boxes a record reaches count for the rest.
        let fed = |i: usize| d.current_edges().any(|e| e.to == i && !e.control());
        // Prose calls a box short: "the orders topic" for "Kafka orders
        // topic", "Spark reads" for "Spark Structured Streaming".
        let short = d.short_names();
        let leads = leading_words(d);
        let names: Vec<(Vec<String>, &str, bool)> = d
            .boxes()
            .map(|(i, c)| {
                let mut said = vec![c.name.to_ascii_lowercase()];
                if let Some(p) = &c.product {
                    said.push(p.to_ascii_lowercase());
                }
                said.extend(
                    short
                        .iter()
                        .filter(|(b, _)| *b == i)
                        .map(|(_, n)| n.clone()),
                );
                // A source is where the walk starts, whatever it calls it
                // ("the SDK" for "Web SDK").
                let on_path = fed(i)
                    && !matches!(
                        c.kind,
                        Producer | Orchestrator | SchemaRegistry | Monitoring
                    );
                (said, c.label(), on_path)
            })
            .collect();
        d.turns()
            .iter()
            .rev()
            .filter(|t| t.phase == Some(Phase::Architecture))
            .filter_map(|t| d.text().get(t.start..t.end))
            .filter(|text| {
                follows_one_record(text)
                    && text.split_whitespace().count() >= MIN_WORDS
                    && !["->", "→", "=>", "-->"].iter().any(|a| text.contains(a))
            })
            .find_map(|text| {
                let lower = text.to_ascii_lowercase();
                if FLOW_WORDS.iter().filter(|w| said_in(&lower, w)).count() < 2 {
                    return None;
                }
                let first_at = |said: &[String]| {
                    said.iter()
                        .filter(|n| n.len() >= 2 && said_in(&lower, n))
                        .filter_map(|n| lower.find(n.as_str()))
                        .min()
                };
                let mut at: Vec<(usize, &str)> = Vec::new();
                let mut rest: Vec<String> = Vec::new();
                for (k, (said, label, on_path)) in names.iter().enumerate() {
                    let lead = leads
                        .iter()
                        .filter(|(b, _)| *b == k)
                        .find_map(|(_, w)| proper_noun_at(text, w));
                    match first_at(said).into_iter().chain(lead).min() {
                        Some(p) => at.push((p, label)),
                        None if *on_path && !rest.iter().any(|r| r == label) => {
                            rest.push(label.to_string())
                        }
                        None => {}
                    }
                }
                at.sort_unstable();
                at.dedup_by_key(|(_, l)| *l);
                if at.len() < 3 {
                    return None;
                }
                Some(Walked {
                    first: at.first().map(|x| x.1.to_string()).unwrap_or_default(),
                    last: at.last().map(|x| x.1.to_string()).unwrap_or_default(),
                    rest,
                })
            })
    }
}

/// The first word of a drawn box's product of two words or more
/// ("Spark" of "Spark Structured Streaming"), by the box's place among
/// the drawn boxes, where no other box's name or product has that word.
fn leading_words(d: &crate::design::Design) -> Vec<(usize, String)> {
    let boxes: Vec<&crate::design::Component> = d.boxes().map(|(_, c)| c).collect();
    let box_words: Vec<Vec<String>> = boxes
        .iter()
        .map(|c| {
            c.name
                .split_whitespace()
                .chain(c.product.iter().flat_map(|p| p.split_whitespace()))
                .map(str::to_ascii_lowercase)
                .collect()
        })
        .collect();
    boxes
        .iter()
        .enumerate()
        .filter_map(|(k, c)| {
            let p = c.product.as_deref()?;
            let mut words = p.split_whitespace();
            let first = words.next()?;
            words.next()?;
            let lead = first.to_ascii_lowercase();
            let alone = box_words
                .iter()
                .enumerate()
                .all(|(j, w)| j == k || !w.contains(&lead));
            (alone && first.len() >= 4 && first.bytes().all(|b| b.is_ascii_alphabetic()))
                .then(|| (k, first.to_string()))
        })
        .collect()
}

/// Where `word` stands in `text` as written, capitalised as a name is
/// ("Spark reads", not "a spark of"), as a whole word.
fn proper_noun_at(text: &str, word: &str) -> Option<usize> {
    text.match_indices(word).map(|(i, _)| i).find(|&i| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_walkthrough_starts_from_one_record() {
        for t in [
            "A reading leaves the sensor as JSON and goes into Kinesis.",
            "One click: it lands in Kafka, Flink updates the counts.",
            "Take one refund. The app commits it in Postgres.",
            "One request for user U: the portal writes it to Kafka.",
            "So, a single payment event is produced by the API.",
            "Take customer 42 changing plan from Basic to Pro at 10:03.",
            "Follow order #1234 from checkout.",
        ] {
            assert!(follows_one_record(t), "{t:?}");
        }
        for t in [
            "Kafka because we need exactly-once into Flink state and replay.",
            "Debezium runs on Kafka Connect, so Kafka is the natural log.",
            "The 100 ms is for the decision, and the stream doesn't sit on that path.",
            "The WAL is row changes for the three tables.",
            "Take 30 seconds to load.",
            "Say 200K events a second at peak.",
        ] {
            assert!(!follows_one_record(t), "{t:?}");
        }
    }
}

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
    })
}

impl Session {
    /// The first and last board components of a walk-through the
    /// candidate gave in the architecture phase: a prose turn that takes a
    /// record past three or more of the boxes on the board.
    pub(crate) fn walked_path(&self) -> Option<(String, String)> {
        let d = &self.design;
        let names: Vec<(String, &str)> = d
            .boxes()
            .map(|(_, c)| (c.name.to_ascii_lowercase(), c.label()))
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
            .filter_map(|text| {
                let lower = text.to_ascii_lowercase();
                if FLOW_WORDS.iter().filter(|w| said_in(&lower, w)).count() < 2 {
                    return None;
                }
                let mut at: Vec<(usize, &str)> = names
                    .iter()
                    .filter_map(|(n, label)| {
                        (n.len() >= 2 && said_in(&lower, n))
                            .then(|| lower.find(n.as_str()).map(|p| (p, *label)))
                            .flatten()
                    })
                    .collect();
                at.sort_unstable();
                at.dedup_by_key(|(_, l)| *l);
                (at.len() >= 3).then(|| {
                    let first = at.first().map(|x| x.1).unwrap_or_default();
                    let last = at.last().map(|x| x.1).unwrap_or_default();
                    (first.to_string(), last.to_string())
                })
            })
            .next()
    }
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
        ] {
            assert!(follows_one_record(t), "{t:?}");
        }
        for t in [
            "Kafka because we need exactly-once into Flink state and replay.",
            "Debezium runs on Kafka Connect, so Kafka is the natural log.",
            "The 100 ms is for the decision, and the stream doesn't sit on that path.",
            "The WAL is row changes for the three tables.",
        ] {
            assert!(!follows_one_record(t), "{t:?}");
        }
    }
}

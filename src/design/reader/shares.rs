//! A percentage on an arrow that sizes the hop as a share of what comes
//! in: rejects to a dead-letter topic, a sample.

use crate::read::quantity::{Quantity, QuantityKind};

/// Words of a label that make a percentage on it the share of the flow
/// that takes the hop: rejects to a dead-letter topic, a sample.
const SHARE_WORDS: &[&str] = &[
    "dlq",
    "dead-letter",
    "dead letter",
    "reject",
    "invalid",
    "malformed",
    "error",
    "quarantin",
    "sample",
    "bad record",
    "bad event",
    "failed",
];

/// A percentage that sizes the hop as a share of what comes in ("rejects,
/// under 0.01%", "1% sample", "5% of events"), not a latency or an uptime.
pub(super) fn share_of_flow(q: &Quantity, label: &str) -> bool {
    if q.kind != QuantityKind::Percent {
        return false;
    }
    let after = label.get(q.evidence.end..).unwrap_or("").trim_start();
    let l = label.to_ascii_lowercase();
    // "99.9% of requests under 5 ms" is a service level, not a share.
    let slo = ["p9", "latency", " ms", "uptime", "availab", "sla", "slo"]
        .iter()
        .any(|w| l.contains(w));
    !slo && (after.starts_with("of ") || SHARE_WORDS.iter().any(|w| l.contains(w)))
}

/// What says an arrow carries all that came in, without a figure: "the
/// same lines", "one to one", "all of it", "everything that lands".
const ALL_OF_FLOW: &[&str] = &[
    "one to one",
    "one-to-one",
    "1:1",
    "1-to-1",
    "all of it",
    "all of them",
    "everything that lands",
    "everything that comes in",
    "everything that arrives",
    "everything that landed",
    "everything it reads",
    "nothing is dropped",
    "nothing dropped",
    "no filtering",
    "same volume",
    "same amount",
    "same rate",
];

/// Items a flow is counted in: "the same lines", "same events".
const SAME_ITEMS: &[&str] = &[
    "lines", "rows", "events", "records", "messages", "files", "data", "orders", "readings",
];

/// True when a sentence about an arrow says it carries what came in, with
/// no figure of its own ("Same lines, cleaned and deduped", "it's one to
/// one"). "The same key" or "the same Kafka cluster" is not a volume.
pub(super) fn all_of_flow(sentence: &str) -> bool {
    let l = sentence.to_ascii_lowercase();
    if ALL_OF_FLOW
        .iter()
        .any(|w| crate::read::text::holds_words(&l, w))
    {
        return true;
    }
    crate::read::text::ascii_words(&l)
        .windows(2)
        .any(|w| w[0] == "same" && SAME_ITEMS.contains(&w[1]))
}

#[cfg(test)]
mod tests {
    use super::all_of_flow;

    #[test]
    fn the_same_lines_is_all_of_the_flow_and_the_same_key_is_not() {
        for s in [
            "Same lines, cleaned and deduped on line_id, written as Parquet.",
            "The same 2M lines per run, it's one to one.",
            "It's one-to-one with what lands.",
            "All of it, nothing is dropped.",
        ] {
            assert!(all_of_flow(s), "{s}");
        }
        for s in [
            "Keyed by the same key as the topic.",
            "It runs on the same Kafka cluster.",
            "Same as before: Parquet.",
        ] {
            assert!(!all_of_flow(s), "{s}");
        }
    }
}

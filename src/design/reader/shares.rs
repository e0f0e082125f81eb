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

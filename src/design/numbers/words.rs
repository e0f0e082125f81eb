//! The words [`measure_of`](super::measure_of) looks for around a number,
//! found in one pass: every word of every list that occurs in a text (as
//! `str::contains` would find it), as a bit set.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

/// A set of words, one bit per word of [`ALL`].
pub(super) type Found = u128;

pub(super) const TTL: &[&str] = &["ttl", "time-to-live", "expire", "expiry"];
pub(super) const RETENTION: &[&str] = &[
    "retention",
    "retain",
    "kept for",
    "keep ",
    "keeps ",
    "stored for",
    "history",
    "archive",
];
pub(super) const WINDOW: &[&str] = &[
    "window",
    "gap",
    "watermark",
    "lateness",
    "late",
    "tumbling",
    "sliding",
    "session",
];
pub(super) const INTERVAL: &[&str] = &[
    "every",
    "checkpoint",
    "interval",
    "each run",
    "runs every",
    "schedule",
    "cron",
    "micro-batch",
    "trigger",
];
pub(super) const LATENCY: &[&str] = &[
    "within",
    "behind",
    "fresh",
    "stale",
    "latency",
    "lag",
    "sla",
    "slo",
    "p95",
    "p99",
    "under",
    "less than",
    "rto",
    "rpo",
];
/// A size said per period or per item: "20 MB/s", "1 KB per event".
pub(super) const PER: &[&str] = &["/", " per "];
pub(super) const ITEM: &[&str] = &[
    "event", "record", "row", "message", "msg", "request", "item", "reading",
];
pub(super) const PARTITIONS: &[&str] = &["partition", "shard"];
pub(super) const REPLICAS: &[&str] = &["replica", "replication", "rf", "copies"];
pub(super) const NODES: &[&str] = &[
    "node",
    "broker",
    "worker",
    "executor",
    "instance",
    "server",
    "machine",
    "core",
    "vcpu",
    "cpu",
    "gpu",
    "pod",
    "container",
    "host",
    "task slot",
    "slot",
];

/// The lists, in [`List`] order.
const LISTS: [&[&str]; 10] = [
    TTL, RETENTION, WINDOW, INTERVAL, LATENCY, PER, ITEM, PARTITIONS, REPLICAS, NODES,
];

/// A list of [`LISTS`].
#[derive(Clone, Copy)]
pub(super) enum List {
    Ttl,
    Retention,
    Window,
    Interval,
    Latency,
    Per,
    Item,
    Partitions,
    Replicas,
    Nodes,
}

struct Words {
    /// Every distinct word of every list.
    all: Vec<&'static str>,
    /// Each list's words in `all`, as a set.
    masks: [Found; LISTS.len()],
    /// All of them, for an overlapping search (`None`: search one by one).
    ac: Option<AhoCorasick>,
}

static WORDS: LazyLock<Words> = LazyLock::new(|| {
    let mut all: Vec<&'static str> = Vec::new();
    let mut masks = [0; LISTS.len()];
    for (l, list) in LISTS.iter().enumerate() {
        for w in list.iter() {
            let i = all.iter().position(|a| a == w).unwrap_or_else(|| {
                all.push(w);
                all.len() - 1
            });
            masks[l] |= 1 << i;
        }
    }
    let ac = AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::DFA))
        .build(&all)
        .ok();
    Words { all, masks, ac }
});

/// The words of every list that occur in `text`.
pub(super) fn found(text: &str) -> Found {
    let w = &*WORDS;
    let mut set: Found = 0;
    match &w.ac {
        Some(ac) => {
            for m in ac.find_overlapping_iter(text) {
                set |= 1 << m.pattern().as_usize();
            }
        }
        None => {
            for (i, word) in w.all.iter().enumerate() {
                if text.contains(word) {
                    set |= 1 << i;
                }
            }
        }
    }
    set
}

/// True when one of `list`'s words is in `set`.
pub(super) fn any(set: Found, list: List) -> bool {
    set & WORDS.masks[list as usize] != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_has_a_bit() {
        let n: usize = LISTS.iter().map(|l| l.len()).sum();
        assert!(n <= Found::BITS as usize);
        assert!(WORDS.ac.is_some());
    }

    #[test]
    fn found_is_what_contains_finds() {
        for text in [
            "a 24h state ttl",
            "kept for 7 days",
            "latency under",
            "late lateness",
            "",
        ] {
            let set = found(text);
            for (l, list) in LISTS.iter().enumerate() {
                let want = list.iter().any(|w| text.contains(w));
                assert_eq!(set & WORDS.masks[l] != 0, want, "{text} {l}");
            }
        }
    }
}

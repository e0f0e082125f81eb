//! The "specific numbers" detector: rates, sizes, latencies, durations,
//! money, counts and percentages, with the exact span each was found at.

use std::sync::OnceLock;

use regex::bytes::Regex;
use serde::{Deserialize, Serialize};

pub use crate::rubric::QuantityKind;

use super::card::Evidence;

/// One specific number the candidate stated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quantity {
    pub kind: QuantityKind,
    pub evidence: Evidence,
}

const NUM: &str = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?";
const MULT: &str = r"(?:\s?(?:k|m|b|bn|thousand|million|billion|trillion)\b)?";
const RATE_NOUN: &str = r"(?:[a-z_]+[\s-])?(?:events?|msgs?|messages?|records?|rows?|requests?|reqs?|writes?|reads?|quer(?:y|ies)|transactions?|txns?|clicks?|impressions?|rides?|trips?|payments?|updates?|orders?|changes?|logs?|log lines?|lines?|points?|readings?|samples?|pings?|inserts?|calls?|ops|operations|sessions?|users?|devices?|spans?|metrics?|bids?|views?|purchases?|files?)";
const PER: &str = r"(?:/\s*|\bper\s+|\ba\s+|\san\s+)(?:s|sec|secs|second|min|mins|minute|h|hr|hour|d|day|week|month)\b";
const SIZE_UNIT: &str = r"(?:kb|mb|gb|tb|pb|kib|mib|gib|tib|pib|bytes|kilobytes|megabytes|gigabytes|terabytes|petabytes)\b";
const TIME_UNIT: &str =
    r"(?:s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|d|days?|wks?|weeks?|months?|years?|yrs?)\b";
const LAT_UNIT: &str =
    r"(?:ms|milliseconds?|µs|us|microseconds?|s|secs?|seconds?|mins?|minutes?)\b";
const COUNT_NOUN: &str = r"(?:partitions?|shards?|nodes?|brokers?|replicas?|workers?|executors?|tasks?|task slots?|slots?|users?|customers?|tables?|columns?|files?|topics?|regions?|servers?|machines?|instances?|cores?|vcpus?|cpus?|gpus?|buckets?|keys?|devices?|sensors?|drivers?|riders?|merchants?|advertisers?|campaigns?|features?|models?|jobs?|retries|attempts?|copies|azs?|zones?|dags?|rows?|events?|records?|transactions?|txns?|messages?|impressions?|clicks?|sessions?|orders?|threads?|consumers?|producers?|containers?|pods?|dimensions?|metrics?|dashboards?|experiments?|tenants?|accounts?|stores?|cities|markets?|countries|credits?|snapshots?|versions?|tiers?|hosts?|services?|microservices?|cameras?|vehicles?|cars?|ads?|requests?|queries|subscribers?|members?|sellers?|products?|skus?|items?|pages?|logs?)\b";

struct Detector {
    any: Regex,
    kinds: Vec<(QuantityKind, Regex)>,
}

fn kind_patterns() -> Vec<(QuantityKind, String)> {
    let num = format!(r"\b{NUM}");
    vec![
        (
            QuantityKind::Money,
            format!(
                r"(?:\$|€|£)\s?{NUM}{MULT}(?:\s*/\s*[a-z]+)*|{num}{MULT}\s*(?:usd|dollars?|cents?|eur|euros?)\b"
            ),
        ),
        (
            QuantityKind::Latency,
            format!(
                r"\bp(?:50|75|90|95|99|999|99\.9)\s*(?:latency\s*)?(?:<=|<|≤|under|below|of|=|:|at|is|around|~)?\s*(?:sub-?)?{NUM}\s*{LAT_UNIT}|\b(?:sub|under|below)\s*-?\s*{NUM}\s*(?:ms|milliseconds?)\b|<\s*{NUM}\s*(?:ms|milliseconds?)\b|{num}\s*(?:ms|milliseconds?|µs|microseconds?)\b"
            ),
        ),
        (
            QuantityKind::Rate,
            format!(
                r"{num}{MULT}\+?\s*(?:{RATE_NOUN}\s*)?{PER}|{num}{MULT}\s*(?:qps|rps|tps|eps|ops/s|msg/s|msgs/s|rows/s|events/s|req/s)\b"
            ),
        ),
        (
            QuantityKind::Size,
            format!(r"{num}{MULT}\s*{SIZE_UNIT}(?:\s*(?:/\s*|per\s+)[a-z]+\b)?"),
        ),
        (QuantityKind::Percent, format!(r"{num}\s*(?:%|percent\b)")),
        (
            QuantityKind::Duration,
            format!(r"{num}\s*-?\s*{TIME_UNIT}|\b\d{{1,2}}:\d{{2}}\s*(?:utc|gmt|local)\b"),
        ),
        (
            QuantityKind::Count,
            format!(
                r"{num}{MULT}\+?\s+(?:[a-z_]+[\s-]+)?{COUNT_NOUN}|\b(?:replication factor|rf)\s*(?:=|of)?\s*\d+\b|{num}x\s+(?:replication|replicas?|copies)\b"
            ),
        ),
    ]
}

fn detector() -> Option<&'static Detector> {
    static D: OnceLock<Option<Detector>> = OnceLock::new();
    D.get_or_init(|| {
        let pats = kind_patterns();
        let joined = pats
            .iter()
            .map(|(_, p)| format!("(?:{p})"))
            .collect::<Vec<_>>()
            .join("|");
        let any = regex::bytes::RegexBuilder::new(&joined)
            .case_insensitive(true)
            .unicode(false)
            .build()
            .ok()?;
        let mut kinds = Vec::new();
        for (k, p) in pats {
            let re = regex::bytes::RegexBuilder::new(&format!("^(?:{p})$"))
                .case_insensitive(true)
                .unicode(false)
                .build()
                .ok()?;
            kinds.push((k, re));
        }
        Some(Detector { any, kinds })
    })
    .as_ref()
}

/// Every specific number in `text`, in order. Vague phrases ("high
/// throughput") are not quantities; the specific-numbers signal flags them.
pub fn quantities(text: &str) -> Vec<Quantity> {
    let Some(d) = detector() else {
        return Vec::new();
    };
    d.any
        .find_iter(text.as_bytes())
        .filter_map(|m| {
            let s = text.get(m.start()..m.end())?;
            let kind = d
                .kinds
                .iter()
                .find(|(_, re)| re.is_match(s.as_bytes()))
                .map(|(k, _)| *k)
                .unwrap_or(QuantityKind::Count);
            Some(Quantity {
                kind,
                evidence: Evidence {
                    start: m.start(),
                    end: m.end(),
                    quote: s.to_string(),
                },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(t: &str) -> Vec<(QuantityKind, String)> {
        quantities(t)
            .into_iter()
            .map(|q| (q.kind, q.evidence.quote))
            .collect()
    }

    #[test]
    fn detects_the_seed_numbers_by_kind() {
        let cases = [
            ("200K events/sec", QuantityKind::Rate),
            ("5k rps", QuantityKind::Rate),
            ("2 TB/day", QuantityKind::Size),
            ("p99 < 10ms", QuantityKind::Latency),
            ("24h", QuantityKind::Duration),
            ("30-min gap", QuantityKind::Duration),
            ("$0.023/GB/month", QuantityKind::Money),
            ("100 partitions", QuantityKind::Count),
            ("99.9%", QuantityKind::Percent),
            ("p95 < 60 sec", QuantityKind::Latency),
            ("1M rides per minute", QuantityKind::Rate),
            ("$5/TB scanned", QuantityKind::Money),
            ("sub-50ms", QuantityKind::Latency),
            ("06:00 UTC", QuantityKind::Duration),
            ("replication factor 3", QuantityKind::Count),
        ];
        for (text, want) in cases {
            let got = kinds(text);
            assert_eq!(got.len(), 1, "{text}: {got:?}");
            assert_eq!(got[0].0, want, "{text}: {got:?}");
        }
    }

    #[test]
    fn vague_words_and_bare_labels_are_not_numbers() {
        assert!(kinds("high throughput and low latency at massive scale").is_empty());
        assert!(kinds("Step 1, L5 level, Tier 2, p99").is_empty());
    }

    #[test]
    fn spans_are_real_substrings() {
        let t = "Kafka at 200K events/sec with 100 partitions, 7 days retention, p99 < 10ms.";
        for q in quantities(t) {
            assert_eq!(&t[q.evidence.start..q.evidence.end], q.evidence.quote);
        }
    }
}

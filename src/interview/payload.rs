//! What an arrow carries, said back to the candidate: only a payload short
//! enough to repeat and that names what flows. A label saying how the arrow
//! writes ("upserts by session_id"), what the job does ("join events with
//! first exposure") or a sentence about the hop itself ("Trino reads
//! Iceberg for the analysts") is not what flows on it.

use crate::design::{Annotation, Source};
use crate::read::text::holds_words;

/// A payload longer than this many words is a sentence, not a label: the
/// question names the format instead, or nothing.
const MAX_PAYLOAD_WORDS: usize = 8;

/// Whether `p`, carried on the arrow between the components named `ends`,
/// can be repeated as what the arrow carries.
pub(crate) fn sayable(p: &Annotation, ends: [&str; 2]) -> bool {
    // "Parquet, path = hash of the manifest": a setting rides along; the
    // format is what to say back.
    let setting = p.value.contains('=');
    let about_an_end = p.source == Source::Prose && names_an_end(&p.value, ends);
    // "p99 5ms" alone says how fast, not what flows.
    let only_latency = !p.value.trim().is_empty()
        && p.value
            .split([',', ';'])
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .all(latency);
    p.value.split_whitespace().count() <= MAX_PAYLOAD_WORDS
        && !setting
        && !only_latency
        && !names_an_operation(&p.value)
        && !about_an_end
}

/// Whether the format `f` on the arrow between `ends` says something the
/// arrow's ends do not: "Iceberg" from Iceberg to Trino says nothing new.
pub(crate) fn sayable_format(f: &Annotation, ends: [&str; 2]) -> bool {
    !names_an_end(&f.value, ends)
}

/// A sentence naming one end of its own arrow ("Trino reads Iceberg for the
/// analysts") says what happens on the hop, not what flows on it.
fn names_an_end(said: &str, ends: [&str; 2]) -> bool {
    ends.iter().any(|name| holds_words(said, name))
}

/// A label that starts with how the arrow writes, or with what the job does
/// to the data, rather than with what flows.
fn names_an_operation(label: &str) -> bool {
    let first = label
        .trim_start()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    // "upserts by session_id", "merges on order_id": the writes, keyed.
    let keyed = [" by ", " on "].iter().any(|k| label.contains(k));
    if keyed
        && matches!(
            first.as_str(),
            "upserts" | "merges" | "inserts" | "deletes" | "overwrites" | "writes"
        )
    {
        return true;
    }
    // Verbs only: "updates, 2K/s" or "inserts" can be what flows.
    matches!(
        first.as_str(),
        "merge"
            | "delete"
            | "upsert"
            | "insert"
            | "copy"
            | "load"
            | "overwrite"
            | "append"
            | "rewrite"
            | "snowpipe"
            | "compaction"
            | "put"
            // What the job does with it ("join events with first exposure
            // per (user, experiment)"), not what flows.
            | "join"
            | "dedupe"
            | "dedup"
            | "deduplicate"
            | "aggregate"
            | "compute"
            | "enrich"
            | "filter"
            | "transform"
            | "parse"
            | "match"
            | "score"
            | "sessionize"
            | "sessionise"
            | "validate"
            // When it runs ("every 5 minutes"), not what flows.
            | "every"
    ) || cadence_alone(label, &first)
}

/// A cadence said on its own before the rest of the label ("weekly,
/// point-in-time join"): when the hop runs. "daily invoice lines" is what
/// flows, daily.
fn cadence_alone(label: &str, first: &str) -> bool {
    matches!(first, "weekly" | "daily" | "nightly" | "hourly" | "monthly")
        && label.trim_start().get(first.len()..).is_some_and(|rest| {
            rest.trim().is_empty() || rest.trim_start().starts_with([',', ';', ':'])
        })
}

/// A part of a label that says how fast, not what: "p99 5ms", "under 10 ms".
fn latency(part: &str) -> bool {
    let l = part.to_ascii_lowercase();
    let ms = |w: &str| {
        w.strip_suffix("ms")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    l.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .any(|w| matches!(w, "p50" | "p90" | "p95" | "p99" | "p999" | "latency" | "ms") || ms(w))
}

/// What flows, said back without the parts of the label that are a
/// latency ("feature lookup, p99 5ms" is "feature lookup"): how fast is not
/// what goes along the arrow. The whole label when nothing else is left.
pub(crate) fn without_latency(said: &str) -> String {
    let kept: Vec<&str> = said
        .split([',', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty() && !latency(p))
        .collect();
    if kept.is_empty() {
        said.to_string()
    } else {
        kept.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::Evidence;

    fn said(value: &str, source: Source) -> Annotation {
        Annotation {
            value: value.into(),
            source,
            evidence: Evidence {
                start: 0,
                end: value.len(),
                quote: value.into(),
            },
            turn: 1,
        }
    }

    #[test]
    fn a_cadence_said_alone_is_when_the_hop_runs_not_what_flows() {
        let ends = ["S3", "Spark training sets"];
        let weekly = said("weekly, point-in-time join on auth_id", Source::Label);
        assert!(!sayable(&weekly, ends));
        assert!(sayable(&said("daily invoice lines", Source::Label), ends));
        assert!(!sayable(&said("every 5 minutes", Source::Label), ends));
    }

    #[test]
    fn a_sentence_about_the_hop_is_not_what_flows_on_it() {
        let ends = ["Iceberg", "Trino"];
        let prose = said("Trino reads Iceberg for the analysts", Source::Prose);
        assert!(!sayable(&prose, ends));
        assert!(sayable(&said("change events", Source::Prose), ends));
        // A label naming a product is still what the candidate drew.
        assert!(sayable(&said("Iceberg snapshots", Source::Label), ends));
        // A name inside a longer word is not the name.
        assert!(sayable(&said("Trinoesque rows", Source::Prose), ends));
        // Nor is the format of the box the arrow leaves something it carries.
        assert!(!sayable_format(&said("Iceberg", Source::Prose), ends));
        assert!(sayable_format(&said("Parquet", Source::Prose), ends));
    }

    #[test]
    fn a_label_saying_how_the_arrow_writes_is_not_what_flows() {
        let ends = ["Flink", "ClickHouse"];
        assert!(!sayable(
            &said("upserts by session_id", Source::Label),
            ends
        ));
        assert!(sayable(&said("session updates", Source::Label), ends));
    }

    #[test]
    fn a_latency_on_the_label_is_not_said_back_as_what_flows() {
        // Found playing fraud-features: "You've got feature lookup, p99 5ms
        // going from Auth service to Redis features".
        assert_eq!(without_latency("feature lookup, p99 5ms"), "feature lookup");
        assert_eq!(
            without_latency("card features; under 10 ms; JSON"),
            "card features, JSON"
        );
        assert_eq!(without_latency("session updates"), "session updates");
        // "5 msgs" is not milliseconds; a label that is only a latency stays.
        assert_eq!(
            without_latency("order events, 5 msgs"),
            "order events, 5 msgs"
        );
        assert_eq!(without_latency("p99 5ms"), "p99 5ms");
        let ends = ["Auth service", "Redis features"];
        assert!(!sayable(&said("p99 5ms", Source::Label), ends));
        assert!(sayable(
            &said("feature lookup, p99 5ms", Source::Label),
            ends
        ));
    }

    #[test]
    fn a_label_with_a_setting_is_said_back_by_its_format() {
        let ends = ["Spark dataset builder", "S3 training sets"];
        let label = said("Parquet, path = hash of the manifest", Source::Label);
        assert!(!sayable(&label, ends));
        assert!(sayable_format(&said("Parquet", Source::Label), ends));
    }
}
